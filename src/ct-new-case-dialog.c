#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-new-case-dialog.h"
#include "ct-widget-util.h"

#define MIN_HANDLERS 2

typedef struct {
  GtkCheckButton *check;  /* owned by the row */
  char           *username;
  gboolean        assistant;
} Officer;

static void
officer_free (Officer *officer)
{
  g_free (officer->username);
  g_free (officer);
}

struct _CtNewCaseDialog
{
  AdwWindow parent_instance;

  /* template children */
  GtkButton           *cancel_button;
  GtkButton           *create_button;
  GtkSpinner          *spinner;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  GtkWidget           *form_box;
  AdwComboRow         *procedure_row;
  AdwEntryRow         *cause_row;
  AdwComboRow         *source_row;
  AdwEntryRow         *source_detail_row;
  AdwEntryRow         *place_row;
  AdwComboRow         *party_kind_row;
  AdwEntryRow         *party_name_row;
  AdwEntryRow         *party_id_row;
  AdwEntryRow         *party_legal_rep_row;
  AdwEntryRow         *party_address_row;
  AdwEntryRow         *party_contact_row;
  AdwPreferencesGroup *officers_group;
  AdwActionRow        *officers_loading_row;
  GtkSpinner          *officers_spinner;
  AdwPreferencesGroup *assistants_group;
  GtkLabel            *hint_label;

  CtStore      *store;
  CtSession    *session;
  GCancellable *cancellable;
  GPtrArray    *officers;  /* Officer* */
  gboolean      ready;
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (CtNewCaseDialog, ct_new_case_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_READY,
  N_PROPS
};

enum {
  SIGNAL_CASE_CREATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void update_state (CtNewCaseDialog *self);

gboolean
ct_new_case_dialog_get_ready (CtNewCaseDialog *self)
{
  g_return_val_if_fail (CT_IS_NEW_CASE_DIALOG (self), FALSE);

  return self->ready;
}

/* ---- choices --------------------------------------------------------------------- */

static void
fill_combo (AdwComboRow    *row,
            const CtChoice *table)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (const CtChoice *c = table; c->id != NULL; c++)
    gtk_string_list_append (list, _(c->label));

  adw_combo_row_set_model (row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (row, 0);
}

static const char *
combo_choice_id (AdwComboRow    *row,
                 const CtChoice *table)
{
  guint selected = adw_combo_row_get_selected (row);
  guint i = 0;

  for (const CtChoice *c = table; c->id != NULL; c++, i++)
    if (i == selected)
      return c->id;

  return NULL;
}

static char *
dup_stripped (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

/* NULL for an empty field: the core treats NULL as "not given". */
static char *
dup_field (gpointer editable)
{
  char *text = dup_stripped (editable);

  if (text[0] == '\0')
    g_clear_pointer (&text, g_free);

  return text;
}

static gboolean
is_organization (CtNewCaseDialog *self)
{
  return g_strcmp0 (combo_choice_id (self->party_kind_row, ct_party_kinds ()), "organization") == 0;
}

static guint
count_checked (CtNewCaseDialog *self,
               gboolean         assistants)
{
  guint n = 0;

  for (guint i = 0; i < self->officers->len; i++)
    {
      Officer *officer = g_ptr_array_index (self->officers, i);

      if (officer->assistant == assistants && gtk_check_button_get_active (officer->check))
        n++;
    }

  return n;
}

/* What is still missing, or NULL when the form can be submitted. */
static char *
missing_fields (CtNewCaseDialog *self)
{
  g_autofree char *cause = dup_stripped (self->cause_row);
  g_autofree char *place = dup_stripped (self->place_row);
  g_autofree char *party = dup_stripped (self->party_name_row);
  g_autofree char *legal_rep = dup_stripped (self->party_legal_rep_row);
  guint handlers = count_checked (self, FALSE);

  if (!self->ready)
    return g_strdup (_("Loading the officers…"));
  if (cause[0] == '\0')
    return g_strdup (_("Enter the cause of the case."));
  if (place[0] == '\0')
    return g_strdup (_("Enter the place of the suspected violation."));
  if (party[0] == '\0')
    return g_strdup (_("Enter the name of the party."));
  if (legal_rep[0] == '\0' && is_organization (self))
    return g_strdup (_("Enter the legal representative of the organization."));
  if (handlers < MIN_HANDLERS)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Check at least %d certified officer (%u checked).",
                                         "Check at least %d certified officers (%u checked).",
                                         MIN_HANDLERS),
                            MIN_HANDLERS, handlers);

  return NULL;
}

static void
update_state (CtNewCaseDialog *self)
{
  g_autofree char *missing = NULL;

  if (self->hint_label == NULL)
    return;

  missing = missing_fields (self);
  gtk_label_set_label (self->hint_label, missing != NULL ? missing : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), missing != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.create",
                                 missing == NULL && !self->busy);
}

static void
on_field_changed (CtNewCaseDialog *self)
{
  if (self->error_revealer != NULL && !self->busy)
    gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  update_state (self);
}

static void
on_party_kind_changed (CtNewCaseDialog *self)
{
  gboolean organization;

  if (self->party_id_row == NULL)
    return;

  organization = is_organization (self);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->party_id_row),
                                 organization ? _("Unified social credit code") : _("ID number"));
  gtk_widget_set_visible (GTK_WIDGET (self->party_legal_rep_row), organization);
  on_field_changed (self);
}

static void
set_busy (CtNewCaseDialog *self,
          gboolean         busy)
{
  self->busy = busy;
  if (busy)
    ct_widget_drop_focus (GTK_WIDGET (self));
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->form_box, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), !busy);
  update_state (self);
}

/* ---- officers -------------------------------------------------------------------- */

static void
add_officer_row (CtNewCaseDialog     *self,
                 AdwPreferencesGroup *group,
                 const CtUser        *user,
                 gboolean             assistant)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  g_autofree char *subtitle = NULL;
  Officer *officer;

  if (user->cert_number != NULL && user->cert_number[0] != '\0')
    /* Translators: %s is a law-enforcement certificate number (执法证号) */
    subtitle = g_strdup_printf (_("Certificate %s"), user->cert_number);
  else if (assistant)
    subtitle = g_strdup (_("Assistant"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), user->display_name);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  /* As the row's activatable widget, the check box is labelled by the row's
   * title (the officer's name) and described by its subtitle. */
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_signal_connect_object (check, "toggled", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);

  officer = g_new0 (Officer, 1);
  officer->check = GTK_CHECK_BUTTON (check);
  officer->username = g_strdup (user->username);
  officer->assistant = assistant;
  g_ptr_array_add (self->officers, officer);

  adw_preferences_group_add (group, row);
}

static void
list_users_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CtNewCaseDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  const char *me;
  guint n_assistants = 0;

  users = ct_store_list_users_finish (CT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (self->officers_spinner, FALSE);
  adw_preferences_group_remove (self->officers_group, GTK_WIDGET (self->officers_loading_row));
  self->officers_loading_row = NULL;

  if (users == NULL)
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
      return;
    }

  me = ct_session_get_username (self->session);

  for (guint i = 0; i < users->len; i++)
    {
      const CtUser *user = g_ptr_array_index (users, i);

      if (!user->active)
        continue;

      if (user->certified && (user->roles & CT_ROLE_HANDLER) != 0)
        {
          add_officer_row (self, self->officers_group, user, FALSE);
          if (g_strcmp0 (user->username, me) == 0)
            {
              Officer *officer = g_ptr_array_index (self->officers, self->officers->len - 1);

              gtk_check_button_set_active (officer->check, TRUE);
            }
        }
      else if ((user->roles & CT_ROLE_ASSISTANT) != 0)
        {
          add_officer_row (self, self->assistants_group, user, TRUE);
          n_assistants++;
        }
    }

  if (count_checked (self, FALSE) == 0 && self->officers->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("No certified officers with the handler role. An administrator can add them."));
      adw_preferences_group_add (self->officers_group, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->assistants_group), n_assistants > 0);

  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  update_state (self);
}

guint
ct_new_case_dialog_set_officers (CtNewCaseDialog    *self,
                                 const char * const *usernames)
{
  guint found = 0;

  g_return_val_if_fail (CT_IS_NEW_CASE_DIALOG (self), 0);

  for (guint i = 0; i < self->officers->len; i++)
    {
      Officer *officer = g_ptr_array_index (self->officers, i);
      gboolean wanted = usernames != NULL && g_strv_contains (usernames, officer->username);

      gtk_check_button_set_active (officer->check, wanted);
      if (wanted)
        found++;
    }

  update_state (self);

  return found;
}

/* ---- creating ---------------------------------------------------------------------- */

static void
create_case_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CtNewCaseDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 case_id;

  case_id = ct_store_create_case_finish (CT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);

  if (case_id <= 0)
    {
      gtk_label_set_label (self->error_label,
                           error != NULL ? error->message : _("The case could not be opened."));
      gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_CASE_CREATED], 0, case_id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CtNewCaseDialog *self = CT_NEW_CASE_DIALOG (widget);
  g_autofree char *missing = NULL;
  g_autofree char *cause = NULL;
  g_autofree char *source_detail = NULL;
  g_autofree char *place = NULL;
  g_autofree char *party_name = NULL;
  g_autofree char *party_id = NULL;
  g_autofree char *party_address = NULL;
  g_autofree char *party_contact = NULL;
  g_autofree char *party_legal_rep = NULL;
  g_autoptr(GPtrArray) handlers = g_ptr_array_new ();
  g_autoptr(GPtrArray) assistants = g_ptr_array_new ();
  CtCaseSpec spec = { 0 };

  if (self->busy)
    return;

  missing = missing_fields (self);
  if (missing != NULL)
    {
      gtk_label_set_label (self->error_label, missing);
      gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
      return;
    }

  cause = dup_field (self->cause_row);
  source_detail = dup_field (self->source_detail_row);
  place = dup_field (self->place_row);
  party_name = dup_field (self->party_name_row);
  party_id = dup_field (self->party_id_row);
  party_address = dup_field (self->party_address_row);
  party_contact = dup_field (self->party_contact_row);
  if (is_organization (self))
    party_legal_rep = dup_field (self->party_legal_rep_row);

  for (guint i = 0; i < self->officers->len; i++)
    {
      Officer *officer = g_ptr_array_index (self->officers, i);

      if (gtk_check_button_get_active (officer->check))
        g_ptr_array_add (officer->assistant ? assistants : handlers, officer->username);
    }
  g_ptr_array_add (handlers, NULL);
  g_ptr_array_add (assistants, NULL);

  spec.procedure = combo_choice_id (self->procedure_row, ct_procedure_types ());
  spec.cause = cause;
  spec.source = combo_choice_id (self->source_row, ct_case_sources ());
  spec.source_detail = source_detail;
  spec.place = place;
  spec.party_kind = combo_choice_id (self->party_kind_row, ct_party_kinds ());
  spec.party_name = party_name;
  spec.party_id_number = party_id;
  spec.party_address = party_address;
  spec.party_contact = party_contact;
  spec.party_legal_rep = party_legal_rep;
  spec.handlers = (const char * const *) handlers->pdata;
  spec.assistants = (const char * const *) assistants->pdata;

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  set_busy (self, TRUE);

  /* The async call copies the spec before returning. */
  ct_store_create_case_async (self->store, self->session, &spec, self->cancellable,
                              create_case_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CtNewCaseDialog *self = CT_NEW_CASE_DIALOG (widget);

  if (!self->busy)
    gtk_window_destroy (GTK_WINDOW (self));
}

/* ---- GObject --------------------------------------------------------------------- */

CtNewCaseDialog *
ct_new_case_dialog_new (CtStore   *store,
                        CtSession *session)
{
  CtNewCaseDialog *self;

  g_return_val_if_fail (CT_IS_STORE (store), NULL);
  g_return_val_if_fail (session != NULL, NULL);

  self = g_object_new (CT_TYPE_NEW_CASE_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->session = ct_session_ref (session);

  gtk_spinner_set_spinning (self->officers_spinner, TRUE);
  ct_store_list_users_async (store, self->cancellable, list_users_cb, g_object_ref (self));

  return self;
}

static gboolean
ct_new_case_dialog_close_request (GtkWindow *window)
{
  CtNewCaseDialog *self = CT_NEW_CASE_DIALOG (window);

  /* The case may already be written: wait for the answer. */
  if (self->busy)
    return TRUE;

  return GTK_WINDOW_CLASS (ct_new_case_dialog_parent_class)->close_request (window);
}

static void
ct_new_case_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CtNewCaseDialog *self = CT_NEW_CASE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ct_new_case_dialog_dispose (GObject *object)
{
  CtNewCaseDialog *self = CT_NEW_CASE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_NEW_CASE_DIALOG);

  g_ptr_array_set_size (self->officers, 0);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->session, ct_session_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ct_new_case_dialog_parent_class)->dispose (object);
}

static void
ct_new_case_dialog_finalize (GObject *object)
{
  CtNewCaseDialog *self = CT_NEW_CASE_DIALOG (object);

  g_clear_pointer (&self->officers, g_ptr_array_unref);

  G_OBJECT_CLASS (ct_new_case_dialog_parent_class)->finalize (object);
}

static void
ct_new_case_dialog_class_init (CtNewCaseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ct_new_case_dialog_dispose;
  object_class->finalize = ct_new_case_dialog_finalize;
  object_class->get_property = ct_new_case_dialog_get_property;

  window_class->close_request = ct_new_case_dialog_close_request;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CtNewCaseDialog::case-created:
   * @case_id: the id of the new case
   */
  signals[SIGNAL_CASE_CREATED] =
    g_signal_new ("case-created",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-new-case-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, form_box);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, procedure_row);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, cause_row);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, source_detail_row);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, place_row);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, party_kind_row);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, party_name_row);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, party_id_row);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, party_legal_rep_row);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, party_address_row);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, party_contact_row);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, officers_group);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, officers_loading_row);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, officers_spinner);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, assistants_group);
  gtk_widget_class_bind_template_child (widget_class, CtNewCaseDialog, hint_label);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_party_kind_changed);

  gtk_widget_class_install_action (widget_class, "dialog.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "dialog.cancel", NULL, cancel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "dialog.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "dialog.create", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "dialog.create", NULL);
}

static void
ct_new_case_dialog_init (CtNewCaseDialog *self)
{
  self->officers = g_ptr_array_new_with_free_func ((GDestroyNotify) officer_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  fill_combo (self->procedure_row, ct_procedure_types ());
  fill_combo (self->source_row, ct_case_sources ());
  fill_combo (self->party_kind_row, ct_party_kinds ());
  on_party_kind_changed (self);
  update_state (self);
}

#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-setup-page.h"
#include "ct-widget-util.h"

#define MIN_PASSPHRASE_LENGTH 8

struct _CtSetupPage
{
  AdwBin parent_instance;

  /* template children */
  GtkButton      *back_button;
  AdwWindowTitle *window_title;
  GtkStack       *stack;
  GtkWidget      *welcome_box;
  GtkButton      *demo_button;
  GtkWidget      *demo_busy_box;
  GtkSpinner     *demo_spinner;
  GtkLabel       *welcome_error_label;
  GtkWidget      *form_box;
  AdwEntryRow    *agency_row;
  AdwEntryRow    *pattern_row;
  GtkSwitch      *crypto_switch;
  GtkLabel       *pattern_hint;
  AdwEntryRow    *admin_username_row;
  AdwEntryRow    *admin_name_row;
  GtkPasswordEntry *passphrase_entry;
  GtkPasswordEntry *confirm_entry;
  GtkLabel       *form_hint;
  GtkLabel       *error_label;
  GtkSpinner     *form_spinner;
  GtkButton      *create_button;

  CtStore      *store;
  GCancellable *cancellable;
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (CtSetupPage, ct_setup_page, ADW_TYPE_BIN)

enum {
  SIGNAL_INITIALIZED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
ct_setup_page_new (void)
{
  return g_object_new (CT_TYPE_SETUP_PAGE, NULL);
}

static char *
dup_stripped (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

/* Returns what is still missing, or NULL when the form can be submitted. */
static char *
validate_form (CtSetupPage *self)
{
  g_autofree char *agency = dup_stripped (self->agency_row);
  g_autofree char *pattern = dup_stripped (self->pattern_row);
  g_autofree char *username = dup_stripped (self->admin_username_row);
  g_autofree char *display_name = dup_stripped (self->admin_name_row);
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_entry));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_entry));

  if (agency[0] == '\0')
    return g_strdup (_("Enter the name of the agency."));
  if (!ct_case_number_pattern_validate (pattern, NULL))
    return g_strdup (_("Correct the case number pattern."));
  if (username[0] == '\0')
    return g_strdup (_("Enter a user name for the administrator."));
  if (display_name[0] == '\0')
    return g_strdup (_("Enter the administrator’s display name."));
  if (g_utf8_strlen (passphrase, -1) < MIN_PASSPHRASE_LENGTH)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The passphrase must have at least %d character.",
                                         "The passphrase must have at least %d characters.",
                                         MIN_PASSPHRASE_LENGTH),
                            MIN_PASSPHRASE_LENGTH);
  if (g_strcmp0 (passphrase, confirm) != 0)
    return g_strdup (_("The passphrases do not match."));

  return NULL;
}

static void
update_pattern_hint (CtSetupPage *self)
{
  g_autofree char *pattern = dup_stripped (self->pattern_row);
  g_autoptr(GError) error = NULL;

  if (ct_case_number_pattern_validate (pattern, &error))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *sample = ct_case_number_format (pattern, g_date_time_get_year (now), 1);
      g_autofree char *text = g_strdup_printf (_("The first case of the year will be numbered %s"), sample);

      gtk_label_set_label (self->pattern_hint, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->pattern_hint), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->pattern_hint), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->pattern_row), "error");
    }
  else
    {
      gtk_label_set_label (self->pattern_hint, error->message);
      gtk_widget_remove_css_class (GTK_WIDGET (self->pattern_hint), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->pattern_hint), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->pattern_row), "error");
    }
}

static void
update_form (CtSetupPage *self)
{
  g_autofree char *missing = validate_form (self);

  update_pattern_hint (self);
  gtk_label_set_label (self->form_hint, missing != NULL ? missing : "");
  gtk_widget_set_visible (GTK_WIDGET (self->form_hint), missing != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.create-agency",
                                 missing == NULL && !self->busy && self->store != NULL);
}

static void
on_form_changed (CtSetupPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update_form (self);
}

static void
on_confirm_activate (CtSetupPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "setup.create-agency", NULL);
}

static void
set_busy (CtSetupPage *self,
          gboolean     busy)
{
  self->busy = busy;

  if (busy)
    ct_widget_drop_focus (GTK_WIDGET (self));
  gtk_widget_set_visible (self->demo_busy_box, busy);
  gtk_spinner_set_spinning (self->demo_spinner, busy);
  gtk_spinner_set_spinning (self->form_spinner, busy);
  gtk_widget_set_sensitive (self->form_box, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), !busy);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.load-demo", !busy && self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.show-form", !busy && self->store != NULL);
  update_form (self);
}

static void
show_stack_page (CtSetupPage *self,
                 const char  *name)
{
  gboolean form = g_str_equal (name, "form");

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), form);
  adw_window_title_set_title (self->window_title, form ? _("Create Agency") : _("Welcome"));
}

/* ---- demo data ----------------------------------------------------------------- */

static void
load_demo_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CtSetupPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ct_store_load_demo_finish (CT_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_label_set_label (self->welcome_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->welcome_error_label), TRUE);
      set_busy (self, FALSE);
      return;
    }

  set_busy (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_INITIALIZED], 0, TRUE);
}

static void
load_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CtSetupPage *self = CT_SETUP_PAGE (widget);

  if (self->store == NULL || self->busy)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->welcome_error_label), FALSE);
  set_busy (self, TRUE);
  ct_store_load_demo_async (self->store, self->cancellable, load_demo_cb, g_object_ref (self));
}

/* ---- creating the agency ---------------------------------------------------------- */

static void
init_agency_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CtSetupPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ct_store_init_agency_finish (CT_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      set_busy (self, FALSE);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_entry), "");
  set_busy (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_INITIALIZED], 0, FALSE);
}

static void
create_agency_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CtSetupPage *self = CT_SETUP_PAGE (widget);
  g_autofree char *missing = NULL;
  g_autofree char *agency = NULL;
  g_autofree char *pattern = NULL;
  g_autofree char *username = NULL;
  g_autofree char *display_name = NULL;
  CtUserSpec admin = { 0 };

  if (self->store == NULL || self->busy)
    return;

  missing = validate_form (self);
  if (missing != NULL)
    {
      gtk_label_set_label (self->error_label, missing);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  agency = dup_stripped (self->agency_row);
  pattern = dup_stripped (self->pattern_row);
  username = dup_stripped (self->admin_username_row);
  display_name = dup_stripped (self->admin_name_row);

  admin.username = username;
  admin.display_name = display_name;
  admin.cert_number = NULL;
  admin.certified = FALSE;
  admin.roles = CT_ROLE_ADMIN;

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  set_busy (self, TRUE);
  ct_store_init_agency_async (self->store, agency, pattern,
                              gtk_switch_get_active (self->crypto_switch),
                              &admin,
                              gtk_editable_get_text (GTK_EDITABLE (self->passphrase_entry)),
                              self->cancellable, init_agency_cb, g_object_ref (self));
}

static void
show_form_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CtSetupPage *self = CT_SETUP_PAGE (widget);

  show_stack_page (self, "form");
  gtk_widget_grab_focus (GTK_WIDGET (self->agency_row));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CtSetupPage *self = CT_SETUP_PAGE (widget);

  if (!self->busy)
    show_stack_page (self, "welcome");
}

void
ct_setup_page_set_store (CtSetupPage *self,
                         CtStore     *store)
{
  g_return_if_fail (CT_IS_SETUP_PAGE (self));
  g_return_if_fail (store == NULL || CT_IS_STORE (store));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->store, store);

  gtk_widget_set_visible (GTK_WIDGET (self->welcome_error_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  show_stack_page (self, "welcome");
  set_busy (self, FALSE);
}

/* ---- GObject ----------------------------------------------------------------------- */

static void
ct_setup_page_dispose (GObject *object)
{
  CtSetupPage *self = CT_SETUP_PAGE (object);

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_SETUP_PAGE);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ct_setup_page_parent_class)->dispose (object);
}

static void
ct_setup_page_class_init (CtSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_setup_page_dispose;

  /**
   * CtSetupPage::initialized:
   * @demo: whether the demo data was loaded
   *
   * The store has its agency now; the login page comes next.
   */
  signals[SIGNAL_INITIALIZED] =
    g_signal_new ("initialized",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, welcome_box);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, demo_busy_box);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, demo_spinner);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, welcome_error_label);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, form_box);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, agency_row);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, pattern_row);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, crypto_switch);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, pattern_hint);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, admin_username_row);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, admin_name_row);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, passphrase_entry);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, confirm_entry);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, form_hint);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, form_spinner);
  gtk_widget_class_bind_template_child (widget_class, CtSetupPage, create_button);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_activate);

  gtk_widget_class_install_action (widget_class, "setup.load-demo", NULL, load_demo_action);
  gtk_widget_class_install_action (widget_class, "setup.show-form", NULL, show_form_action);
  gtk_widget_class_install_action (widget_class, "setup.create-agency", NULL, create_agency_action);
  gtk_widget_class_install_action (widget_class, "setup.back", NULL, back_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "setup.back", NULL);
}

static void
ct_setup_page_init (CtSetupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  gtk_editable_set_text (GTK_EDITABLE (self->pattern_row), CT_DEFAULT_CASE_NUMBER_PATTERN);
  set_busy (self, FALSE);
}

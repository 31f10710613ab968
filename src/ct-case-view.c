#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-case-view.h"
#include "ct-format.h"

struct _CtCaseView
{
  AdwBin parent_instance;

  /* template children */
  AdwHeaderBar        *header_bar;
  GtkButton           *back_button;
  AdwWindowTitle      *window_title;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkLabel            *number_label;
  GtkLabel            *cause_label;
  GtkLabel            *stage_label;
  GtkLabel            *status_label;
  AdwActionRow        *procedure_row;
  AdwActionRow        *cause_row;
  AdwActionRow        *source_row;
  AdwActionRow        *source_detail_row;
  AdwActionRow        *place_row;
  AdwActionRow        *stage_row;
  AdwActionRow        *status_row;
  AdwActionRow        *created_row;
  AdwActionRow        *party_kind_row;
  AdwActionRow        *party_name_row;
  AdwActionRow        *party_id_row;
  AdwActionRow        *party_address_row;
  AdwActionRow        *party_contact_row;
  AdwActionRow        *party_legal_rep_row;
  AdwPreferencesGroup *officers_group;
  AdwPreferencesGroup *events_group;

  CtStore      *store;
  CtSession    *session;
  GCancellable *cancellable;
  CtCase       *current;
  gint64        case_id;       /* shown or loading */
  GPtrArray    *dynamic_rows;  /* (GtkWidget*, AdwPreferencesGroup*) pairs */
  gboolean      folded;
};

G_DEFINE_FINAL_TYPE (CtCaseView, ct_case_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
ct_case_view_new (void)
{
  return g_object_new (CT_TYPE_CASE_VIEW, NULL);
}

gint64
ct_case_view_get_case_id (CtCaseView *self)
{
  g_return_val_if_fail (CT_IS_CASE_VIEW (self), 0);

  return self->case_id;
}

const CtCase *
ct_case_view_get_case (CtCaseView *self)
{
  g_return_val_if_fail (CT_IS_CASE_VIEW (self), NULL);

  return self->current;
}

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "open") == 0)
    return C_("case status", "Open");
  if (g_strcmp0 (status, "closed") == 0)
    return C_("case status", "Closed");
  if (g_strcmp0 (status, "archived") == 0)
    return C_("case status", "Archived");
  return status != NULL ? status : "";
}

static void
set_field (AdwActionRow *row,
           const char   *value)
{
  gboolean has_value = value != NULL && value[0] != '\0';

  adw_action_row_set_subtitle (row, has_value ? value : "");
  gtk_widget_set_visible (GTK_WIDGET (row), has_value);
}

static void
clear_dynamic_rows (CtCaseView *self)
{
  for (guint i = 0; i + 1 < self->dynamic_rows->len; i += 2)
    adw_preferences_group_remove (g_ptr_array_index (self->dynamic_rows, i + 1),
                                  g_ptr_array_index (self->dynamic_rows, i));
  g_ptr_array_set_size (self->dynamic_rows, 0);
}

static void
add_dynamic_row (CtCaseView          *self,
                 AdwPreferencesGroup *group,
                 const char          *title,
                 const char          *subtitle,
                 const char          *icon_name)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : "");
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (icon_name != NULL)
    adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon_name);

  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->dynamic_rows, row);
  g_ptr_array_add (self->dynamic_rows, group);
}

static void
show_case (CtCaseView   *self,
           const CtCase *c)
{
  g_autofree char *created = ct_format_timestamp (c->created_at);
  const char *stage = ct_choice_label (ct_case_stages (), c->stage);
  const char *status = status_label (c->status);
  const CtChoice *kind = ct_choice_lookup (ct_party_kinds (), c->party.kind);
  gboolean organization = g_strcmp0 (c->party.kind, "organization") == 0;

  adw_window_title_set_title (self->window_title, c->number);
  adw_window_title_set_subtitle (self->window_title, c->cause);

  gtk_label_set_label (self->number_label, c->number);
  gtk_label_set_label (self->cause_label, c->cause);
  gtk_label_set_label (self->stage_label, stage);
  gtk_label_set_label (self->status_label, status);

  set_field (self->procedure_row, ct_choice_label (ct_procedure_types (), c->procedure));
  set_field (self->cause_row, c->cause);
  set_field (self->source_row, ct_choice_label (ct_case_sources (), c->source));
  set_field (self->source_detail_row, c->source_detail);
  set_field (self->place_row, c->place);
  set_field (self->stage_row, stage);
  set_field (self->status_row, status);
  set_field (self->created_row, created);

  set_field (self->party_kind_row, kind != NULL ? _(kind->label) : c->party.kind);
  set_field (self->party_name_row, c->party.name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->party_id_row),
                                 organization ? _("Unified social credit code")
                                              : _("ID number"));
  set_field (self->party_id_row, c->party.id_number);
  set_field (self->party_address_row, c->party.address);
  set_field (self->party_contact_row, c->party.contact);
  set_field (self->party_legal_rep_row, organization ? c->party.legal_rep : NULL);

  clear_dynamic_rows (self);

  if (c->officers != NULL && c->officers->len > 0)
    {
      for (guint i = 0; i < c->officers->len; i++)
        {
          const CtCaseOfficer *officer = g_ptr_array_index (c->officers, i);
          g_autofree char *subtitle = NULL;

          if (officer->assistant)
            subtitle = g_strdup (_("Assistant (协助执法人员)"));
          else if (officer->cert_number != NULL && officer->cert_number[0] != '\0')
            /* Translators: %s is a law-enforcement certificate number (执法证号) */
            subtitle = g_strdup_printf (_("Certified officer · certificate %s"), officer->cert_number);
          else
            subtitle = g_strdup (_("Certified officer"));

          add_dynamic_row (self, self->officers_group, officer->display_name, subtitle,
                           officer->assistant ? "avatar-default-symbolic" : "emblem-default-symbolic");
        }
    }
  else
    {
      add_dynamic_row (self, self->officers_group, _("No officers recorded"), NULL, NULL);
    }

  if (c->events != NULL && c->events->len > 0)
    {
      for (guint i = 0; i < c->events->len; i++)
        {
          const CtCaseEvent *event = g_ptr_array_index (c->events, i);
          g_autofree char *at = ct_format_timestamp (event->at);
          g_autofree char *subtitle = NULL;

          if (event->user_name != NULL && event->user_name[0] != '\0')
            /* Translators: "time — user" under an event of the case timeline */
            subtitle = g_strdup_printf (_("%s — %s"), at, event->user_name);
          else
            subtitle = g_steal_pointer (&at);

          add_dynamic_row (self, self->events_group, event->summary, subtitle, NULL);
        }
    }
  else
    {
      add_dynamic_row (self, self->events_group, _("Nothing recorded yet"), NULL, NULL);
    }

  gtk_stack_set_visible_child_name (self->stack, "case");
}

static void
get_case_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CtCaseView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtCase) c = NULL;

  c = ct_store_get_case_finish (CT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (self->spinner, FALSE);

  if (c == NULL)
    {
      self->case_id = 0;  /* allow trying again */
      adw_window_title_set_title (self->window_title, "");
      adw_window_title_set_subtitle (self->window_title, "");
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  show_case (self, c);
  g_clear_pointer (&self->current, ct_case_free);
  self->current = g_steal_pointer (&c);
}

void
ct_case_view_load (CtCaseView *self,
                   gint64      case_id)
{
  g_autofree char *id = NULL;

  g_return_if_fail (CT_IS_CASE_VIEW (self));

  if (self->store == NULL || self->session == NULL)
    return;

  /* Already shown or on its way. */
  if (case_id == self->case_id && case_id != 0)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_clear_pointer (&self->current, ct_case_free);
  self->case_id = case_id;

  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_set_spinning (self->spinner, TRUE);

  id = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  ct_store_get_case_async (self->store, self->session, id, self->cancellable,
                           get_case_cb, g_object_ref (self));
}

void
ct_case_view_set_session (CtCaseView *self,
                          CtStore    *store,
                          CtSession  *session)
{
  g_return_if_fail (CT_IS_CASE_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->store, store);
  if (self->session != session)
    {
      g_clear_pointer (&self->session, ct_session_unref);
      if (session != NULL)
        self->session = ct_session_ref (session);
    }

  g_clear_pointer (&self->current, ct_case_free);
  self->case_id = 0;
  clear_dynamic_rows (self);
  adw_window_title_set_title (self->window_title, "");
  adw_window_title_set_subtitle (self->window_title, "");
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* ---- GObject ------------------------------------------------------------------------ */

static void
ct_case_view_set_folded (CtCaseView *self,
                         gboolean    folded)
{
  folded = !!folded;
  if (self->folded == folded)
    return;

  self->folded = folded;
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), folded);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, folded);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

static void
ct_case_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CtCaseView *self = CT_CASE_VIEW (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ct_case_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CtCaseView *self = CT_CASE_VIEW (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      ct_case_view_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ct_case_view_dispose (GObject *object)
{
  CtCaseView *self = CT_CASE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_ptr_array_set_size (self->dynamic_rows, 0);

  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_CASE_VIEW);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->session, ct_session_unref);
  g_clear_object (&self->store);
  g_clear_pointer (&self->current, ct_case_free);

  G_OBJECT_CLASS (ct_case_view_parent_class)->dispose (object);
}

static void
ct_case_view_finalize (GObject *object)
{
  CtCaseView *self = CT_CASE_VIEW (object);

  g_clear_pointer (&self->dynamic_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (ct_case_view_parent_class)->finalize (object);
}

static void
ct_case_view_class_init (CtCaseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_case_view_dispose;
  object_class->finalize = ct_case_view_finalize;
  object_class->get_property = ct_case_view_get_property;
  object_class->set_property = ct_case_view_set_property;

  /* Whether the leaflet is folded: the view then has a back button and the
   * window buttons at the start. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-case-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, back_button);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, window_title);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, stack);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, error_page);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, number_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, cause_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, stage_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, status_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, procedure_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, cause_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, source_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, source_detail_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, place_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, stage_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, status_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, created_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, party_kind_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, party_name_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, party_id_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, party_address_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, party_contact_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, party_legal_rep_row);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, officers_group);
  gtk_widget_class_bind_template_child (widget_class, CtCaseView, events_group);
}

static void
ct_case_view_init (CtCaseView *self)
{
  self->dynamic_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-requirement-row.h"

struct _CtRequirementRow
{
  GtkListBoxRow parent_instance;

  /* template children */
  GtkImage  *state_icon;
  GtkLabel  *title_label;
  GtkLabel  *reason_label;
  GtkBox    *deadline_box;
  GtkLabel  *deadline_label;
  GtkLabel  *deadline_pill;
  GtkLabel  *citation_label;
  GtkLabel  *severity_label;
  GtkButton *form_button;

  char      *rule_id;
  CtReqState state;
  gboolean   blocking;
};

G_DEFINE_FINAL_TYPE (CtRequirementRow, ct_requirement_row, GTK_TYPE_LIST_BOX_ROW)

const char *
ct_requirement_row_get_rule_id (CtRequirementRow *self)
{
  g_return_val_if_fail (CT_IS_REQUIREMENT_ROW (self), NULL);

  return self->rule_id;
}

CtReqState
ct_requirement_row_get_state (CtRequirementRow *self)
{
  g_return_val_if_fail (CT_IS_REQUIREMENT_ROW (self), CT_REQ_NOT_APPLICABLE);

  return self->state;
}

gboolean
ct_requirement_row_get_blocking (CtRequirementRow *self)
{
  g_return_val_if_fail (CT_IS_REQUIREMENT_ROW (self), FALSE);

  return self->blocking;
}

const char *
ct_requirement_row_get_citation (CtRequirementRow *self)
{
  g_return_val_if_fail (CT_IS_REQUIREMENT_ROW (self), NULL);

  return gtk_label_get_label (self->citation_label);
}

static void
set_pill (GtkLabel   *pill,
          const char *text,
          const char *style)
{
  static const char * const styles[] = { "error", "warning", "success", "neutral", NULL };

  for (guint i = 0; styles[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (pill), styles[i]);

  gtk_label_set_label (pill, text);
  gtk_widget_add_css_class (GTK_WIDGET (pill), style);
  gtk_widget_set_visible (GTK_WIDGET (pill), TRUE);
}

static void
show_deadline (CtRequirementRow        *self,
               const CtRequirementInfo *req)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  if (req->kind != CT_RULE_DEADLINE || req->due == NULL)
    return;

  local = g_date_time_to_local (req->due);
  when = g_date_time_format (local, "%Y-%m-%d %H:%M");
  /* Translators: %s is a date and time, e.g. 2026-03-02 17:30 */
  text = g_strdup_printf (_("Due by %s"), when);
  gtk_label_set_label (self->deadline_label, text);

  switch (req->deadline_state)
    {
    case CT_DEADLINE_OK:
      set_pill (self->deadline_pill, C_("deadline", "On time"), "success");
      break;
    case CT_DEADLINE_DUE_SOON:
      set_pill (self->deadline_pill, C_("deadline", "Due soon"), "warning");
      break;
    case CT_DEADLINE_OVERDUE:
    default:
      set_pill (self->deadline_pill, C_("deadline", "Overdue"), "error");
      break;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->deadline_box), TRUE);
}

static void
ct_requirement_row_set_requirement (CtRequirementRow        *self,
                                    const CtRequirementInfo *req)
{
  g_autofree char *citation = NULL;
  g_autofree char *a11y = NULL;
  const char *icon_name;
  const char *icon_style;
  const char *state_text;

  self->rule_id = g_strdup (req->rule_id);
  self->state = req->state;
  self->blocking = req->state == CT_REQ_MISSING && req->severity == CT_SEVERITY_BLOCK;

  switch (req->state)
    {
    case CT_REQ_SATISFIED:
      icon_name = "emblem-ok-symbolic";
      icon_style = "success";
      state_text = C_("requirement", "Satisfied");
      break;
    case CT_REQ_MISSING:
      if (self->blocking)
        {
          icon_name = "dialog-error-symbolic";
          icon_style = "error";
          state_text = C_("requirement", "Missing, blocks the next step");
          set_pill (self->severity_label, C_("requirement", "Blocks"), "error");
        }
      else
        {
          icon_name = "dialog-warning-symbolic";
          icon_style = "warning";
          state_text = C_("requirement", "Missing, a warning");
          set_pill (self->severity_label, C_("requirement", "Warning"), "warning");
        }
      break;
    case CT_REQ_NOT_APPLICABLE:
    default:
      icon_name = "list-remove-symbolic";
      icon_style = "dim-label";
      state_text = C_("requirement", "Does not apply");
      gtk_widget_add_css_class (GTK_WIDGET (self), "not-applicable");
      break;
    }

  gtk_image_set_from_icon_name (self->state_icon, icon_name);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), icon_style);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_icon), state_text);

  gtk_label_set_label (self->title_label, req->title);

  if (req->reason != NULL && req->reason[0] != '\0')
    {
      gtk_label_set_label (self->reason_label, req->reason);
      gtk_widget_set_visible (GTK_WIDGET (self->reason_label), TRUE);
      if (req->state == CT_REQ_MISSING)
        gtk_widget_add_css_class (GTK_WIDGET (self->reason_label), self->blocking ? "error" : "warning");
      else
        gtk_widget_add_css_class (GTK_WIDGET (self->reason_label), "dim-label");
    }

  show_deadline (self, req);

  /* Translators: the legal basis of a requirement, e.g.
   * "Basis: 行政处罚法 第五十四条" */
  citation = g_strdup_printf (_("Basis: %s"), req->citation);
  gtk_label_set_label (self->citation_label, citation);

  if (req->form != NULL)
    {
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->form_button), "s", req->form);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->form_button), "case.open-form");
      gtk_widget_set_visible (GTK_WIDGET (self->form_button), TRUE);
    }

  /* Translators: accessible description of a checklist item:
   * "state. reason. basis" */
  a11y = g_strdup_printf (_("%s. %s. %s"), state_text,
                          req->reason != NULL ? req->reason : "", citation);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, req->title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, a11y,
                                  -1);
}

GtkWidget *
ct_requirement_row_new (const CtRequirementInfo *req)
{
  CtRequirementRow *self;

  g_return_val_if_fail (req != NULL, NULL);

  self = g_object_new (CT_TYPE_REQUIREMENT_ROW, NULL);
  ct_requirement_row_set_requirement (self, req);

  return GTK_WIDGET (self);
}

static void
ct_requirement_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CT_TYPE_REQUIREMENT_ROW);

  G_OBJECT_CLASS (ct_requirement_row_parent_class)->dispose (object);
}

static void
ct_requirement_row_finalize (GObject *object)
{
  CtRequirementRow *self = CT_REQUIREMENT_ROW (object);

  g_clear_pointer (&self->rule_id, g_free);

  G_OBJECT_CLASS (ct_requirement_row_parent_class)->finalize (object);
}

static void
ct_requirement_row_class_init (CtRequirementRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_requirement_row_dispose;
  object_class->finalize = ct_requirement_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-requirement-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CtRequirementRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, CtRequirementRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CtRequirementRow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, CtRequirementRow, deadline_box);
  gtk_widget_class_bind_template_child (widget_class, CtRequirementRow, deadline_label);
  gtk_widget_class_bind_template_child (widget_class, CtRequirementRow, deadline_pill);
  gtk_widget_class_bind_template_child (widget_class, CtRequirementRow, citation_label);
  gtk_widget_class_bind_template_child (widget_class, CtRequirementRow, severity_label);
  gtk_widget_class_bind_template_child (widget_class, CtRequirementRow, form_button);
}

static void
ct_requirement_row_init (CtRequirementRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

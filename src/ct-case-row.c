#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-case-row.h"
#include "ct-deadline-badge.h"
#include "ct-format.h"

struct _CtCaseRow
{
  GtkListBoxRow parent_instance;

  /* template children */
  GtkLabel *number_label;
  GtkLabel *stage_label;
  GtkLabel *cause_label;
  GtkLabel *details_label;
  CtDeadlineBadge *deadline_badge;

  gint64  case_id;
  char   *number;
};

G_DEFINE_FINAL_TYPE (CtCaseRow, ct_case_row, GTK_TYPE_LIST_BOX_ROW)

static void
ct_case_row_set_case (CtCaseRow    *self,
                      const CtCase *c)
{
  g_autofree char *created = ct_format_date (c->created_at);
  g_autofree char *details = NULL;
  g_autofree char *a11y = NULL;
  const char *stage = ct_choice_label (ct_case_stages (), c->stage);
  const char *procedure = ct_choice_label (ct_procedure_types (), c->procedure);
  const char *party = c->party.name != NULL ? c->party.name : "";

  self->case_id = c->id;
  g_free (self->number);
  self->number = g_strdup (c->number);

  gtk_label_set_label (self->number_label, c->number);
  gtk_label_set_label (self->stage_label, stage);
  gtk_label_set_label (self->cause_label, c->cause);
  ct_deadline_badge_set_case (self->deadline_badge, NULL, c->id);

  /* Translators: second line of a case in the list: party · procedure · date opened */
  details = g_strdup_printf (_("%s · %s · %s"), party, procedure, created);
  gtk_label_set_label (self->details_label, details);

  /* Translators: accessible name of a case in the list:
   * case number, cause, party, stage */
  a11y = g_strdup_printf (_("%s %s, %s, %s"), c->number, c->cause, party, stage);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details,
                                  -1);
}

GtkWidget *
ct_case_row_new (const CtCase *c)
{
  CtCaseRow *self;

  g_return_val_if_fail (c != NULL, NULL);

  self = g_object_new (CT_TYPE_CASE_ROW, NULL);
  ct_case_row_set_case (self, c);

  return GTK_WIDGET (self);
}

gint64
ct_case_row_get_case_id (CtCaseRow *self)
{
  g_return_val_if_fail (CT_IS_CASE_ROW (self), 0);

  return self->case_id;
}

const char *
ct_case_row_get_number (CtCaseRow *self)
{
  g_return_val_if_fail (CT_IS_CASE_ROW (self), NULL);

  return self->number;
}

static void
ct_case_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CT_TYPE_CASE_ROW);

  G_OBJECT_CLASS (ct_case_row_parent_class)->dispose (object);
}

static void
ct_case_row_finalize (GObject *object)
{
  CtCaseRow *self = CT_CASE_ROW (object);

  g_clear_pointer (&self->number, g_free);

  G_OBJECT_CLASS (ct_case_row_parent_class)->finalize (object);
}

static void
ct_case_row_class_init (CtCaseRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_case_row_dispose;
  object_class->finalize = ct_case_row_finalize;

  g_type_ensure (CT_TYPE_DEADLINE_BADGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-case-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CtCaseRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseRow, stage_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseRow, cause_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, CtCaseRow, deadline_badge);
}

static void
ct_case_row_init (CtCaseRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

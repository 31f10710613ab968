#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-checklist.h"

struct _CtChecklist
{
  AdwBin parent_instance;

  /* template children */
  GtkListBox *list_box;

  GHashTable *rows;     /* rule id → CtRequirementRow (owned by the list) */
};

G_DEFINE_FINAL_TYPE (CtChecklist, ct_checklist, ADW_TYPE_BIN)

GtkWidget *
ct_checklist_new (void)
{
  return g_object_new (CT_TYPE_CHECKLIST, NULL);
}

guint
ct_checklist_get_n_rows (CtChecklist *self)
{
  g_return_val_if_fail (CT_IS_CHECKLIST (self), 0);

  return g_hash_table_size (self->rows);
}

CtRequirementRow *
ct_checklist_get_row (CtChecklist *self,
                      const char  *rule_id)
{
  g_return_val_if_fail (CT_IS_CHECKLIST (self), NULL);

  return rule_id != NULL ? g_hash_table_lookup (self->rows, rule_id) : NULL;
}

/* What the user must act on comes first. */
static int
rank (const CtRequirementInfo *req)
{
  switch (req->state)
    {
    case CT_REQ_MISSING:
      return req->severity == CT_SEVERITY_BLOCK ? 0 : 1;
    case CT_REQ_SATISFIED:
      return 2;
    case CT_REQ_NOT_APPLICABLE:
    default:
      return 3;
    }
}

void
ct_checklist_set_requirements (CtChecklist *self,
                               GPtrArray   *requirements)
{
  GtkWidget *child;
  GtkWidget *expander = NULL;
  guint n_not_applicable = 0;

  g_return_if_fail (CT_IS_CHECKLIST (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  g_hash_table_remove_all (self->rows);

  if (requirements == NULL)
    return;

  for (int r = 0; r <= 3; r++)
    for (guint i = 0; i < requirements->len; i++)
      {
        const CtRequirementInfo *req = g_ptr_array_index (requirements, i);
        GtkWidget *row;

        if (rank (req) != r)
          continue;

        row = ct_requirement_row_new (req);
        g_hash_table_insert (self->rows, g_strdup (req->rule_id), row);

        if (req->state != CT_REQ_NOT_APPLICABLE)
          {
            gtk_list_box_append (self->list_box, row);
            continue;
          }

        /* Rules that do not apply are folded away, but can be read: they
         * say why they do not apply. */
        if (expander == NULL)
          {
            expander = adw_expander_row_new ();
            adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
            gtk_list_box_append (self->list_box, expander);
          }
        adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
        n_not_applicable++;
      }

  if (expander != NULL)
    {
      g_autofree char *title =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u rule does not apply to this case",
                                      "%u rules do not apply to this case",
                                      n_not_applicable),
                         n_not_applicable);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander),
                                     _("Each says why; they apply once the case meets their conditions"));
      adw_expander_row_set_icon_name (ADW_EXPANDER_ROW (expander), "list-remove-symbolic");
    }
}

static void
ct_checklist_dispose (GObject *object)
{
  CtChecklist *self = CT_CHECKLIST (object);

  g_hash_table_remove_all (self->rows);

  /* The bin's child is a template child: unparent it through the bin, so
   * AdwBin does not unparent it again once the template has. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_CHECKLIST);

  G_OBJECT_CLASS (ct_checklist_parent_class)->dispose (object);
}

static void
ct_checklist_finalize (GObject *object)
{
  CtChecklist *self = CT_CHECKLIST (object);

  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (ct_checklist_parent_class)->finalize (object);
}

static void
ct_checklist_class_init (CtChecklistClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_checklist_dispose;
  object_class->finalize = ct_checklist_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-checklist.ui");
  gtk_widget_class_bind_template_child (widget_class, CtChecklist, list_box);
}

static void
ct_checklist_init (CtChecklist *self)
{
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-deadline-badge.h"
#include "ct-task.h"
#include "ct-window.h"

struct _CtDeadlineBadge
{
  AdwBin parent_instance;

  /* template children */
  GtkLabel     *label;

  GCancellable *cancellable;
  CtStore      *store;         /* NULL: the window's */
  gint64        case_id;
  int           state;
};

G_DEFINE_FINAL_TYPE (CtDeadlineBadge, ct_deadline_badge, ADW_TYPE_BIN)

GtkWidget *
ct_deadline_badge_new (void)
{
  return g_object_new (CT_TYPE_DEADLINE_BADGE, NULL);
}

int
ct_deadline_badge_get_state (CtDeadlineBadge *self)
{
  g_return_val_if_fail (CT_IS_DEADLINE_BADGE (self), -1);

  return self->state;
}

static void
show_state (CtDeadlineBadge *self,
            int              state)
{
  static const char * const styles[] = { "success", "warning", "error", NULL };
  const char *text = NULL;
  const char *tooltip = NULL;

  self->state = state;
  for (guint i = 0; styles[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->label), styles[i]);

  switch (state)
    {
    case CT_DEADLINE_OK:
      text = C_("deadline", "On time");
      tooltip = _("The deadlines of the current stage are on time");
      break;
    case CT_DEADLINE_DUE_SOON:
      text = C_("deadline", "Due soon");
      tooltip = _("A deadline of the current stage is due soon");
      break;
    case CT_DEADLINE_OVERDUE:
      text = C_("deadline", "Overdue");
      tooltip = _("A deadline of the current stage is overdue");
      break;
    default:
      self->state = -1;
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  gtk_label_set_label (self->label, text);
  gtk_widget_add_css_class (GTK_WIDGET (self->label), styles[state]);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void
deadline_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CtDeadlineBadge) self = user_data;
  g_autoptr(GError) error = NULL;
  int state;

  state = ct_task_case_deadline_finish (CT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Rules that cannot be checked are the case view's to explain. */
  if (error != NULL)
    g_debug ("No deadline state for case %" G_GINT64_FORMAT ": %s", self->case_id, error->message);
  show_state (self, error != NULL ? -1 : state);
}

static void
reload (CtDeadlineBadge *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  CtStore *store = self->store;

  if (store == NULL && root != NULL && CT_IS_WINDOW (root))
    store = ct_window_get_store (CT_WINDOW (root));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (store == NULL || self->case_id == 0)
    {
      show_state (self, -1);
      return;
    }

  self->cancellable = g_cancellable_new ();
  ct_task_case_deadline_async (store, self->case_id, self->cancellable, deadline_cb, g_object_ref (self));
}

void
ct_deadline_badge_set_case (CtDeadlineBadge *self,
                            CtStore         *store,
                            gint64           case_id)
{
  g_return_if_fail (CT_IS_DEADLINE_BADGE (self));
  g_return_if_fail (store == NULL || CT_IS_STORE (store));

  g_set_object (&self->store, store);
  self->case_id = case_id;
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    reload (self);
}

static void
ct_deadline_badge_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ct_deadline_badge_parent_class)->root (widget);

  reload (CT_DEADLINE_BADGE (widget));
}

static void
ct_deadline_badge_unroot (GtkWidget *widget)
{
  CtDeadlineBadge *self = CT_DEADLINE_BADGE (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  GTK_WIDGET_CLASS (ct_deadline_badge_parent_class)->unroot (widget);
}

static void
ct_deadline_badge_dispose (GObject *object)
{
  CtDeadlineBadge *self = CT_DEADLINE_BADGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  /* The bin's child is a template child: unparent it through the bin. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_DEADLINE_BADGE);

  G_OBJECT_CLASS (ct_deadline_badge_parent_class)->dispose (object);
}

static void
ct_deadline_badge_class_init (CtDeadlineBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_deadline_badge_dispose;
  widget_class->root = ct_deadline_badge_root;
  widget_class->unroot = ct_deadline_badge_unroot;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-deadline-badge.ui");
  gtk_widget_class_bind_template_child (widget_class, CtDeadlineBadge, label);
}

static void
ct_deadline_badge_init (CtDeadlineBadge *self)
{
  self->state = -1;

  gtk_widget_init_template (GTK_WIDGET (self));
}

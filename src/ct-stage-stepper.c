#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-case-procedure.h"
#include "ct-stage-stepper.h"

struct _CtStageStepper
{
  AdwBin parent_instance;

  /* template children */
  GtkScrolledWindow *scroller;
  GtkBox            *box;

  GHashTable        *steps;       /* stage id → GtkButton (owned by the box) */
  char              *shown;
  guint              n_steps;
  guint              scroll_tick;
};

G_DEFINE_FINAL_TYPE (CtStageStepper, ct_stage_stepper, ADW_TYPE_BIN)

GtkWidget *
ct_stage_stepper_new (void)
{
  return g_object_new (CT_TYPE_STAGE_STEPPER, NULL);
}

guint
ct_stage_stepper_get_n_steps (CtStageStepper *self)
{
  g_return_val_if_fail (CT_IS_STAGE_STEPPER (self), 0);

  return self->n_steps;
}

GtkWidget *
ct_stage_stepper_get_step (CtStageStepper *self,
                           const char     *stage)
{
  g_return_val_if_fail (CT_IS_STAGE_STEPPER (self), NULL);

  return stage != NULL ? g_hash_table_lookup (self->steps, stage) : NULL;
}

static const char *
state_class (CtStageState state)
{
  switch (state)
    {
    case CT_STAGE_DONE:
      return "done";
    case CT_STAGE_CURRENT:
      return "current";
    case CT_STAGE_UPCOMING:
      return "upcoming";
    case CT_STAGE_SKIPPED:
      return "skipped";
    case CT_STAGE_NOT_TAKEN:
    default:
      return "not-taken";
    }
}

static const char *
state_label (CtStageState state)
{
  switch (state)
    {
    case CT_STAGE_DONE:
      return C_("stage state", "Done");
    case CT_STAGE_CURRENT:
      return C_("stage state", "Current stage");
    case CT_STAGE_UPCOMING:
      return C_("stage state", "Upcoming");
    case CT_STAGE_SKIPPED:
      return C_("stage state", "Does not apply to this case");
    case CT_STAGE_NOT_TAKEN:
    default:
      return C_("stage state", "Not taken");
    }
}

static void
clear_steps (CtStageStepper *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->box))) != NULL)
    gtk_box_remove (self->box, child);
  g_hash_table_remove_all (self->steps);
  self->n_steps = 0;
}

static GtkWidget *
make_marker (const CtStageInfo *info,
             guint              number)
{
  GtkWidget *marker = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (marker, "ct-step-marker");
  gtk_widget_set_halign (marker, GTK_ALIGN_CENTER);

  if (info->state == CT_STAGE_DONE || info->state == CT_STAGE_SKIPPED)
    {
      GtkWidget *image = gtk_image_new_from_icon_name (info->state == CT_STAGE_DONE
                                                       ? "object-select-symbolic"
                                                       : "list-remove-symbolic");
      gtk_widget_set_hexpand (image, TRUE);
      gtk_widget_set_halign (image, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (image, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (marker), image);
    }
  else
    {
      g_autofree char *text = g_strdup_printf ("%u", number);
      GtkWidget *label = gtk_label_new (text);

      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (marker), label);
    }

  return marker;
}

static GtkWidget *
make_step (const CtStageInfo *info,
           guint              number,
           gboolean           shown)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new (info->label);
  g_autofree char *a11y = NULL;
  g_autofree char *tooltip = NULL;

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "ct-step");
  gtk_widget_add_css_class (button, state_class (info->state));
  if (shown)
    gtk_widget_add_css_class (button, "shown");
  gtk_widget_set_valign (button, GTK_ALIGN_START);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "case.show-stage");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", info->id);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  /* Whole words: "Investigation" must not break into "Investigati-on". */
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 10);
  gtk_widget_add_css_class (label, "ct-step-label");
  gtk_widget_add_css_class (label, "caption");

  gtk_box_append (GTK_BOX (box), make_marker (info, number));
  gtk_box_append (GTK_BOX (box), label);
  gtk_button_set_child (GTK_BUTTON (button), box);

  /* Translators: tooltip of a stage in the stage stepper: "stage — state" */
  tooltip = g_strdup_printf (_("%s — %s"), info->label, state_label (info->state));
  gtk_widget_set_tooltip_text (button, tooltip);
  /* Translators: accessible name of a stage in the stepper:
   * "number. stage, state" */
  a11y = g_strdup_printf (_("%u. %s, %s"), number, info->label, state_label (info->state));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                  -1);
  if (shown)
    gtk_accessible_update_state (GTK_ACCESSIBLE (button),
                                 GTK_ACCESSIBLE_STATE_SELECTED, TRUE,
                                 -1);

  return button;
}

/* Brings the shown step into view once the steps have their size. */
static gboolean
scroll_to_shown (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  CtStageStepper *self = CT_STAGE_STEPPER (widget);
  GtkWidget *step = ct_stage_stepper_get_step (self, self->shown);
  GtkAdjustment *adj = gtk_scrolled_window_get_hadjustment (self->scroller);
  graphene_rect_t bounds;
  double page, value;

  if (step == NULL || gtk_widget_get_width (step) == 0)
    {
      if (step == NULL)
        self->scroll_tick = 0;
      return step == NULL ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
    }

  self->scroll_tick = 0;
  if (!gtk_widget_compute_bounds (step, GTK_WIDGET (self->box), &bounds))
    return G_SOURCE_REMOVE;

  page = gtk_adjustment_get_page_size (adj);
  value = gtk_adjustment_get_value (adj);
  if (bounds.origin.x < value || bounds.origin.x + bounds.size.width > value + page)
    gtk_adjustment_set_value (adj, bounds.origin.x + bounds.size.width / 2 - page / 2);

  return G_SOURCE_REMOVE;
}

void
ct_stage_stepper_set_stages (CtStageStepper *self,
                             GPtrArray      *stages,
                             const char     *shown)
{
  GtkWidget *previous = NULL;

  g_return_if_fail (CT_IS_STAGE_STEPPER (self));

  clear_steps (self);
  g_free (self->shown);
  self->shown = g_strdup (shown);

  if (stages == NULL)
    return;

  for (guint i = 0; i < stages->len; i++)
    {
      const CtStageInfo *info = g_ptr_array_index (stages, i);
      GtkWidget *step;

      if (previous != NULL)
        {
          GtkWidget *connector = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

          gtk_widget_add_css_class (connector, "ct-step-connector");
          if (info->state == CT_STAGE_DONE || info->state == CT_STAGE_CURRENT)
            gtk_widget_add_css_class (connector, "done");
          gtk_widget_set_valign (connector, GTK_ALIGN_START);
          gtk_box_append (self->box, connector);
        }

      step = make_step (info, i + 1, g_strcmp0 (info->id, shown) == 0);
      gtk_box_append (self->box, step);
      g_hash_table_insert (self->steps, g_strdup (info->id), step);
      previous = step;
      self->n_steps++;
    }

  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_shown, NULL, NULL);
}

static void
ct_stage_stepper_dispose (GObject *object)
{
  CtStageStepper *self = CT_STAGE_STEPPER (object);

  if (self->scroll_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
      self->scroll_tick = 0;
    }
  g_hash_table_remove_all (self->steps);

  /* The bin's child is a template child: unparent it through the bin, so
   * AdwBin does not unparent it again once the template has. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_STAGE_STEPPER);

  G_OBJECT_CLASS (ct_stage_stepper_parent_class)->dispose (object);
}

static void
ct_stage_stepper_finalize (GObject *object)
{
  CtStageStepper *self = CT_STAGE_STEPPER (object);

  g_clear_pointer (&self->steps, g_hash_table_unref);
  g_clear_pointer (&self->shown, g_free);

  G_OBJECT_CLASS (ct_stage_stepper_parent_class)->finalize (object);
}

static void
ct_stage_stepper_class_init (CtStageStepperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_stage_stepper_dispose;
  object_class->finalize = ct_stage_stepper_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-stage-stepper.ui");
  gtk_widget_class_bind_template_child (widget_class, CtStageStepper, scroller);
  gtk_widget_class_bind_template_child (widget_class, CtStageStepper, box);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ct_stage_stepper_init (CtStageStepper *self)
{
  self->steps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

#define G_LOG_DOMAIN "casetrail"

/* ct-sync-window.c — several cameras of one case, side by side, in step
 *
 * The window is built in code: a grid of cells (video or an audio
 * placeholder, labels, the cell's own wall-clock time), one transport and
 * the lanes, a small widget drawing each recording's span on the shared
 * timeline.  The CtSyncGroup does the synchronising; the window polls it
 * to show where each recording is.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ct-error.h"
#include "ct-paintable-sink.h"
#include "ct-player-window.h"
#include "ct-review.h"
#include "ct-sync-window.h"
#include "ct-transport.h"

#define UPDATE_INTERVAL 50     /* ms */
#define LANE_HEIGHT 22

/* ==== the lanes ========================================================================= */

#define CT_TYPE_SYNC_LANES (ct_sync_lanes_get_type ())
G_DECLARE_FINAL_TYPE (CtSyncLanes, ct_sync_lanes, CT, SYNC_LANES, GtkWidget)

struct _CtSyncLanes
{
  GtkWidget    parent_instance;
  CtSyncGroup *group;     /* not owned: the window's */
  GstClockTime position;
};

G_DEFINE_FINAL_TYPE (CtSyncLanes, ct_sync_lanes, GTK_TYPE_WIDGET)

enum { LANES_SEEK, N_LANES_SIGNALS };
static guint lanes_signals[N_LANES_SIGNALS];

static const char *lane_colors[] = {
  "rgba(53,132,228,0.75)",   /* blue */
  "rgba(38,162,105,0.75)",   /* green */
  "rgba(229,165,10,0.85)",   /* amber */
  "rgba(145,65,172,0.75)",   /* purple */
};

static double
lanes_x_at (CtSyncLanes *self, GstClockTime t)
{
  GstClockTime duration = self->group != NULL ? ct_sync_group_get_duration (self->group) : 0;
  double w = gtk_widget_get_width (GTK_WIDGET (self));

  if (duration == 0)
    return 0;
  return w * ((double) MIN (t, duration) / (double) duration);
}

static GstClockTime
lanes_time_at (CtSyncLanes *self, double x)
{
  GstClockTime duration = self->group != NULL ? ct_sync_group_get_duration (self->group) : 0;
  double w = gtk_widget_get_width (GTK_WIDGET (self));

  if (duration == 0 || w <= 0)
    return 0;
  return (GstClockTime) ((double) duration * CLAMP (x / w, 0.0, 1.0));
}

static void
ct_sync_lanes_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  CtSyncLanes *self = CT_SYNC_LANES (widget);
  double w = gtk_widget_get_width (widget);
  double h = gtk_widget_get_height (widget);
  guint n;
  GdkRGBA c;

  if (self->group == NULL || !ct_sync_group_is_ready (self->group))
    return;
  n = ct_sync_group_get_n_media (self->group);
  for (guint i = 0; i < n; i++)
    {
      double y = 2 + i * LANE_HEIGHT;
      GstClockTime offset = ct_sync_group_get_offset (self->group, i);
      double x0 = lanes_x_at (self, offset);
      double x1 = lanes_x_at (self, offset + ct_sync_group_get_media_duration (self->group, i));
      g_autoptr(PangoLayout) layout = NULL;

      gdk_rgba_parse (&c, "rgba(127,127,127,0.15)");
      gtk_snapshot_append_color (snapshot, &c, &GRAPHENE_RECT_INIT (0, y + 2, w, LANE_HEIGHT - 4));
      gdk_rgba_parse (&c, lane_colors[i % G_N_ELEMENTS (lane_colors)]);
      gtk_snapshot_append_color (snapshot, &c, &GRAPHENE_RECT_INIT (x0, y + 2, MAX (2, x1 - x0), LANE_HEIGHT - 4));

      layout = gtk_widget_create_pango_layout (widget, ct_sync_group_get_name (self->group, i));
      pango_layout_set_width (layout, (int) (MAX (0, x1 - x0 - 8) * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x0 + 4, y + 3));
      gdk_rgba_parse (&c, "white");
      gtk_snapshot_append_layout (snapshot, layout, &c);
      gtk_snapshot_restore (snapshot);
    }

  gdk_rgba_parse (&c, "rgba(192,28,40,0.95)");
  gtk_snapshot_append_color (snapshot, &c, &GRAPHENE_RECT_INIT (lanes_x_at (self, self->position) - 1, 0, 2, h));
}

static void
ct_sync_lanes_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                       int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  CtSyncLanes *self = CT_SYNC_LANES (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 100;
      *natural = 600;
    }
  else
    *minimum = *natural = 4 + LANE_HEIGHT * (int) MAX (1, self->group != NULL ? ct_sync_group_get_n_media (self->group) : 1);
}

static void
lanes_drag_begin (GtkGestureDrag *gesture, double x, double y, CtSyncLanes *self)
{
  g_signal_emit (self, lanes_signals[LANES_SEEK], 0, (guint64) lanes_time_at (self, x), TRUE);
}

static void
lanes_drag_update (GtkGestureDrag *gesture, double dx, double dy, CtSyncLanes *self)
{
  double x0, y0;

  if (gtk_gesture_drag_get_start_point (gesture, &x0, &y0))
    g_signal_emit (self, lanes_signals[LANES_SEEK], 0, (guint64) lanes_time_at (self, x0 + dx), TRUE);
}

static void
lanes_drag_end (GtkGestureDrag *gesture, double dx, double dy, CtSyncLanes *self)
{
  double x0, y0;

  if (gtk_gesture_drag_get_start_point (gesture, &x0, &y0))
    g_signal_emit (self, lanes_signals[LANES_SEEK], 0, (guint64) lanes_time_at (self, x0 + dx), FALSE);
}

static void
ct_sync_lanes_class_init (CtSyncLanesClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = ct_sync_lanes_snapshot;
  widget_class->measure = ct_sync_lanes_measure;
  /* (group time in ns, the pointer is still moving) */
  lanes_signals[LANES_SEEK] = g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_BOOLEAN);
  gtk_widget_class_set_css_name (widget_class, "synclanes");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
ct_sync_lanes_init (CtSyncLanes *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  g_signal_connect (drag, "drag-begin", G_CALLBACK (lanes_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (lanes_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (lanes_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), _("Each recording’s span in wall-clock time; click or drag to go there"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Timeline"), -1);
}

static void
ct_sync_lanes_set_position (CtSyncLanes *self, GstClockTime position)
{
  if (self->position == position)
    return;
  self->position = position;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ==== the window ======================================================================== */

typedef struct {
  gint64       id;
  char        *title;
  char        *people;      /* officers · device */
  char        *recorded_at;
  CtMediaKind  kind;
  char        *path;
  /* widgets */
  GtkWidget   *box;
  GtkWidget   *media;       /* the picture or the audio placeholder */
  GtkWidget   *status_box;
  GtkLabel    *time_label;
  GtkLabel    *status_label;
  GtkToggleButton *sound_button;
  GdkPaintable *paintable;
  CtPlayer    *player;
} Cell;

struct _CtSyncWindow
{
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  AdwToastOverlay *toast_overlay;
  GtkStack       *stack;
  AdwStatusPage  *error_page;
  GtkGrid        *grid;
  GtkButton      *play_button;
  GtkDropDown    *rate_dropdown;
  GtkLabel       *position_label;
  GtkLabel       *start_label;
  GtkLabel       *end_label;
  CtSyncLanes    *lanes;
  GtkShortcutController *shortcuts;

  CtSyncGroup    *group;
  GPtrArray      *cells;         /* Cell */
  char           *start_iso;     /* the group's start */
  char           *error;
  char           *position_text;
  gboolean        scrubbing;
  gboolean        syncing;
  guint           update_id;
};

G_DEFINE_FINAL_TYPE (CtSyncWindow, ct_sync_window, ADW_TYPE_WINDOW)

static void
cell_free (Cell *cell)
{
  g_free (cell->title);
  g_free (cell->people);
  g_free (cell->recorded_at);
  g_free (cell->path);
  g_clear_object (&cell->paintable);
  g_clear_object (&cell->player);
  g_free (cell);
}

static Cell *
cell_at (CtSyncWindow *self, guint i)
{
  return g_ptr_array_index (self->cells, i);
}

static char *
format_wall (const char *iso, GstClockTime t)
{
  char *text = ct_player_format_wall (iso, t);

  return text != NULL ? text : g_strdup ("—");
}

/* ---- showing the state ----------------------------------------------------------------- */

static void
update_actions (CtSyncWindow *self)
{
  gboolean ready = ct_sync_group_is_ready (self->group);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.play-pause", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.seek-back", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.seek-forward", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.frame-back", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.frame-forward", ready);
  gtk_widget_set_sensitive (GTK_WIDGET (self->rate_dropdown), ready);
}

static void
update_cells (CtSyncWindow *self)
{
  GstClockTime t = ct_sync_group_get_position (self->group);
  gboolean playing = ct_sync_group_get_state (self->group) == CT_PLAYER_STATE_PLAYING;

  g_free (self->position_text);
  self->position_text = format_wall (self->start_iso, t);
  gtk_label_set_text (self->position_label, self->position_text);
  ct_sync_lanes_set_position (self->lanes, t);
  ct_transport_show_playing (self->play_button, playing);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), playing ? _("Pause all (Space)")
                                                                       : _("Play all (Space)"));

  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = cell_at (self, i);
      GstClockTime pos = ct_player_get_position (cell->player);
      g_autofree char *wall = format_wall (cell->recorded_at, pos);
      GstClockTime offset = ct_sync_group_get_offset (self->group, i);
      const char *status = "";

      if (!ct_sync_group_is_recording (self->group, i))
        status = t < offset ? _("Not recording at this time: it starts later")
                            : _("Not recording at this time: it has ended");
      if (g_strcmp0 (gtk_label_get_text (cell->time_label), wall) != 0)
        gtk_label_set_text (cell->time_label, wall);
      if (g_strcmp0 (gtk_label_get_text (cell->status_label), status) != 0)
        gtk_label_set_text (cell->status_label, status);
      gtk_widget_set_visible (cell->status_box, status[0] != '\0');
      gtk_widget_set_opacity (cell->media, status[0] != '\0' ? 0.45 : 1.0);
    }
}

static gboolean
update_cb (gpointer user_data)
{
  CtSyncWindow *self = user_data;

  if (ct_sync_group_is_ready (self->group))
    update_cells (self);
  return G_SOURCE_CONTINUE;
}

static void
show_error (CtSyncWindow *self, const char *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  update_actions (self);
}

static void
on_group_ready (CtSyncWindow *self)
{
  g_autofree char *end = NULL;
  g_autofree char *start = NULL;

  start = format_wall (self->start_iso, 0);
  end = format_wall (self->start_iso, ct_sync_group_get_duration (self->group));
  gtk_label_set_text (self->start_label, start);
  gtk_label_set_text (self->end_label, end);
  gtk_stack_set_visible_child_name (self->stack, "grid");
  gtk_widget_queue_resize (GTK_WIDGET (self->lanes));
  update_actions (self);
  update_cells (self);
}

static void
on_group_error (CtSyncWindow *self, GError *error)
{
  show_error (self, error->message);
}

/* What a control could not do, said in a toast. */
static void
report (CtSyncWindow *self, gboolean ok, GError *error)
{
  if (!ok && error != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

/* ---- the transport ----------------------------------------------------------------------- */

static void
play_pause_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CtSyncWindow *self = CT_SYNC_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (ct_sync_group_get_state (self->group) == CT_PLAYER_STATE_PLAYING)
    ok = ct_sync_group_pause (self->group, &error);
  else
    ok = ct_sync_group_play (self->group, &error);
  report (self, ok, error);
  update_cells (self);
}

static void
seek_by (CtSyncWindow *self, gint64 delta)
{
  g_autoptr(GError) error = NULL;
  GstClockTime target = ct_transport_seek_target (ct_sync_group_get_position (self->group), delta,
                                                  ct_sync_group_get_duration (self->group));

  report (self, ct_sync_group_seek (self->group, target, CT_PLAYER_SEEK_EXACT, &error), error);
  update_cells (self);
}

static void
seek_back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  seek_by (CT_SYNC_WINDOW (widget), -(gint64) CT_TRANSPORT_SEEK_STEP);
}

static void
seek_forward_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  seek_by (CT_SYNC_WINDOW (widget), (gint64) CT_TRANSPORT_SEEK_STEP);
}

static void
step (CtSyncWindow *self, int n)
{
  g_autoptr(GError) error = NULL;

  report (self, ct_sync_group_step_frames (self->group, n, &error), error);
  update_cells (self);
}

static void
frame_back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  step (CT_SYNC_WINDOW (widget), -1);
}

static void
frame_forward_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  step (CT_SYNC_WINDOW (widget), 1);
}

static void
on_rate_selected (CtSyncWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->rate_dropdown);
  g_autoptr(GError) error = NULL;

  if (self->syncing || !ct_sync_group_is_ready (self->group) || selected >= CT_TRANSPORT_N_RATES)
    return;
  report (self, ct_sync_group_set_rate (self->group, ct_transport_rates[selected], &error), error);
}

static void
on_lanes_seek (CtSyncWindow *self, guint64 position, gboolean moving)
{
  g_autoptr(GError) error = NULL;

  if (!ct_sync_group_is_ready (self->group))
    return;
  report (self, ct_sync_group_seek (self->group, position,
                                    moving ? CT_PLAYER_SEEK_FAST : CT_PLAYER_SEEK_EXACT, &error), error);
  update_cells (self);
}

static void
on_sound_toggled (GtkToggleButton *button, Cell *cell)
{
  gboolean on = gtk_toggle_button_get_active (button);

  ct_player_set_muted (cell->player, !on);
  gtk_button_set_icon_name (GTK_BUTTON (button), on ? "audio-volume-high-symbolic" : "audio-volume-muted-symbolic");
}

static const CtTransportKey sync_keys[] = {
  { GDK_KEY_space, "sync.play-pause" },
  { GDK_KEY_Left, "sync.seek-back" },
  { GDK_KEY_Right, "sync.seek-forward" },
  { GDK_KEY_comma, "sync.frame-back" },
  { GDK_KEY_period, "sync.frame-forward" },
};

/* ---- building ------------------------------------------------------------------------------ */

static GtkWidget *
transport_button (const char *icon, const char *action, const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static void
ct_sync_window_dispose (GObject *object)
{
  CtSyncWindow *self = CT_SYNC_WINDOW (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  if (self->group != NULL)
    g_signal_handlers_disconnect_by_data (self->group, self);
  if (self->lanes != NULL)
    self->lanes->group = NULL;
  for (guint i = 0; self->cells != NULL && i < self->cells->len; i++)
    g_signal_handlers_disconnect_by_data (cell_at (self, i)->sound_button, cell_at (self, i));
  g_clear_object (&self->group);
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  G_OBJECT_CLASS (ct_sync_window_parent_class)->dispose (object);
}

static void
ct_sync_window_finalize (GObject *object)
{
  CtSyncWindow *self = CT_SYNC_WINDOW (object);

  g_free (self->start_iso);
  g_free (self->error);
  g_free (self->position_text);
  G_OBJECT_CLASS (ct_sync_window_parent_class)->finalize (object);
}

static void
ct_sync_window_class_init (CtSyncWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_sync_window_dispose;
  object_class->finalize = ct_sync_window_finalize;

  gtk_widget_class_install_action (widget_class, "sync.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "sync.seek-back", NULL, seek_back_action);
  gtk_widget_class_install_action (widget_class, "sync.seek-forward", NULL, seek_forward_action);
  gtk_widget_class_install_action (widget_class, "sync.frame-back", NULL, frame_back_action);
  gtk_widget_class_install_action (widget_class, "sync.frame-forward", NULL, frame_forward_action);
}

static void
ct_sync_window_init (CtSyncWindow *self)
{
  GtkWidget *toolbar, *header, *box, *spinner, *transport, *lanes_box, *ends;
  g_autoptr(GtkStringList) rate_names = gtk_string_list_new (NULL);

  self->group = ct_sync_group_new ();
  self->cells = g_ptr_array_new_with_free_func ((GDestroyNotify) cell_free);
  g_signal_connect_swapped (self->group, "ready", G_CALLBACK (on_group_ready), self);
  g_signal_connect_swapped (self->group, "error", G_CALLBACK (on_group_error), self);

  gtk_window_set_default_size (GTK_WINDOW (self), 1100, 720);
  gtk_window_set_title (GTK_WINDOW (self), _("Recordings Together"));

  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  self->window_title = ADW_WINDOW_TITLE (adw_window_title_new (_("Recordings Together"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->window_title));
  gtk_box_append (GTK_BOX (toolbar), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  spinner = gtk_spinner_new ();
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_stack_add_named (self->stack, spinner, "loading");
  self->error_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->error_page, "dialog-error-symbolic");
  adw_status_page_set_title (self->error_page, _("Cannot Play These Recordings Together"));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->error_page), "error");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_spacing (self->grid, 6);
  gtk_grid_set_column_spacing (self->grid, 6);
  gtk_grid_set_row_homogeneous (self->grid, TRUE);
  gtk_grid_set_column_homogeneous (self->grid, TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->grid), TRUE);
  gtk_widget_set_margin_start (GTK_WIDGET (self->grid), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self->grid), 6);
  gtk_widget_set_margin_top (GTK_WIDGET (self->grid), 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->grid));

  /* the shared timeline: the lanes, their start and end times */
  lanes_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_start (lanes_box, 12);
  gtk_widget_set_margin_end (lanes_box, 12);
  self->lanes = g_object_new (CT_TYPE_SYNC_LANES, NULL);
  self->lanes->group = self->group;
  g_signal_connect_swapped (self->lanes, "seek", G_CALLBACK (on_lanes_seek), self);
  gtk_box_append (GTK_BOX (lanes_box), GTK_WIDGET (self->lanes));
  ends = gtk_center_box_new ();
  self->start_label = GTK_LABEL (gtk_label_new (NULL));
  self->end_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->start_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->start_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->end_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->end_label), "caption");
  gtk_center_box_set_start_widget (GTK_CENTER_BOX (ends), GTK_WIDGET (self->start_label));
  gtk_center_box_set_end_widget (GTK_CENTER_BOX (ends), GTK_WIDGET (self->end_label));
  gtk_box_append (GTK_BOX (lanes_box), ends);
  gtk_box_append (GTK_BOX (box), lanes_box);

  transport = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (transport, 12);
  gtk_widget_set_margin_end (transport, 12);
  gtk_widget_set_margin_bottom (transport, 8);
  gtk_box_append (GTK_BOX (transport), transport_button ("media-skip-backward-symbolic", "sync.seek-back",
                                                         _("Back 5 seconds (←)")));
  gtk_box_append (GTK_BOX (transport), transport_button ("go-previous-symbolic", "sync.frame-back",
                                                         _("Previous frame (,)")));
  self->play_button = GTK_BUTTON (transport_button ("media-playback-start-symbolic", "sync.play-pause",
                                                    _("Play all (Space)")));
  gtk_widget_remove_css_class (GTK_WIDGET (self->play_button), "flat");
  gtk_widget_add_css_class (GTK_WIDGET (self->play_button), "circular");
  gtk_box_append (GTK_BOX (transport), GTK_WIDGET (self->play_button));
  gtk_box_append (GTK_BOX (transport), transport_button ("go-next-symbolic", "sync.frame-forward",
                                                         _("Next frame (.)")));
  gtk_box_append (GTK_BOX (transport), transport_button ("media-skip-forward-symbolic", "sync.seek-forward",
                                                         _("Forward 5 seconds (→)")));
  for (guint i = 0; i < CT_TRANSPORT_N_RATES; i++)
    {
      g_autofree char *name = g_strdup_printf ("%g×", ct_transport_rates[i]);
      gtk_string_list_append (rate_names, name);
    }
  self->rate_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (rate_names)), NULL));
  gtk_drop_down_set_selected (self->rate_dropdown, CT_TRANSPORT_RATE_NORMAL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->rate_dropdown), _("Speed of all the recordings"));
  g_signal_connect_swapped (self->rate_dropdown, "notify::selected", G_CALLBACK (on_rate_selected), self);
  gtk_box_append (GTK_BOX (transport), GTK_WIDGET (self->rate_dropdown));
  self->position_label = GTK_LABEL (gtk_label_new ("—"));
  gtk_widget_add_css_class (GTK_WIDGET (self->position_label), "numeric");
  gtk_widget_set_hexpand (GTK_WIDGET (self->position_label), TRUE);
  gtk_widget_set_halign (GTK_WIDGET (self->position_label), GTK_ALIGN_END);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->position_label), _("The wall-clock time shown (China time)"));
  gtk_box_append (GTK_BOX (transport), GTK_WIDGET (self->position_label));
  gtk_box_append (GTK_BOX (box), transport);

  gtk_stack_add_named (self->stack, box, "grid");
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_box_append (GTK_BOX (toolbar), GTK_WIDGET (self->stack));
  self->toast_overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toast_overlay, toolbar);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toast_overlay));

  self->shortcuts = ct_transport_add_keys (GTK_WIDGET (self), "sync-shortcuts", sync_keys, G_N_ELEMENTS (sync_keys));

  update_actions (self);
  self->update_id = g_timeout_add (UPDATE_INTERVAL, update_cb, self);
}

static GtkWidget *
build_cell (CtSyncWindow *self, Cell *cell, guint index)
{
  GtkWidget *box, *overlay, *labels, *top, *name, *people, *media;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (box, "card");
  overlay = gtk_overlay_new ();
  gtk_widget_set_vexpand (overlay, TRUE);
  gtk_widget_set_size_request (overlay, 240, 135);
  if (cell->kind == CT_MEDIA_KIND_AUDIO)
    {
      media = adw_status_page_new ();
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (media), "audio-x-generic-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (media), _("Audio Only"));
      gtk_widget_add_css_class (media, "compact");
    }
  else
    {
      media = gtk_picture_new_for_paintable (cell->paintable);
      gtk_picture_set_can_shrink (GTK_PICTURE (media), TRUE);
    }
  gtk_widget_set_name (media, cell->kind == CT_MEDIA_KIND_AUDIO ? "audio" : "video");
  gtk_overlay_set_child (GTK_OVERLAY (overlay), media);
  cell->media = media;
  cell->status_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (cell->status_box, "osd");
  gtk_widget_set_halign (cell->status_box, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (cell->status_box, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_start (cell->status_box, 12);
  gtk_widget_set_margin_end (cell->status_box, 12);
  cell->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (cell->status_label, TRUE);
  gtk_label_set_justify (cell->status_label, GTK_JUSTIFY_CENTER);
  gtk_widget_set_margin_start (GTK_WIDGET (cell->status_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (cell->status_label), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (cell->status_label), 8);
  gtk_widget_set_margin_bottom (GTK_WIDGET (cell->status_label), 8);
  gtk_box_append (GTK_BOX (cell->status_box), GTK_WIDGET (cell->status_label));
  gtk_widget_set_visible (cell->status_box, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), cell->status_box);
  gtk_box_append (GTK_BOX (box), overlay);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_start (labels, 8);
  gtk_widget_set_margin_end (labels, 8);
  gtk_widget_set_margin_bottom (labels, 6);
  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  name = gtk_label_new (cell->title);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (name, "heading");
  gtk_box_append (GTK_BOX (top), name);
  cell->sound_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new ());
  gtk_widget_add_css_class (GTK_WIDGET (cell->sound_button), "flat");
  gtk_widget_set_tooltip_text (GTK_WIDGET (cell->sound_button), _("Sound of this recording"));
  g_signal_connect (cell->sound_button, "toggled", G_CALLBACK (on_sound_toggled), cell);
  /* one recording's sound at a time by default: the first */
  gtk_toggle_button_set_active (cell->sound_button, index == 0);
  on_sound_toggled (cell->sound_button, cell);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (cell->sound_button));
  gtk_box_append (GTK_BOX (labels), top);
  people = gtk_label_new (cell->people);
  gtk_label_set_ellipsize (GTK_LABEL (people), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (people), 0);
  gtk_widget_add_css_class (people, "dim-label");
  gtk_box_append (GTK_BOX (labels), people);
  cell->time_label = GTK_LABEL (gtk_label_new ("—"));
  gtk_label_set_xalign (cell->time_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (cell->time_label), "numeric");
  gtk_widget_set_tooltip_text (GTK_WIDGET (cell->time_label), _("The wall-clock time of this recording’s frame (China time)"));
  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (cell->time_label));
  gtk_box_append (GTK_BOX (box), labels);
  cell->box = box;
  return box;
}

/* Media already checked by the opening thread: all have a recording time. */
static CtSyncWindow *
ct_sync_window_new (char **paths, CtMedia **media, guint n)
{
  CtSyncWindow *self = g_object_new (CT_TYPE_SYNC_WINDOW, NULL);
  guint columns = n <= 2 ? n : 2;

  for (guint i = 0; i < n; i++)
    {
      const CtMedia *m = media[i];
      Cell *cell = g_new0 (Cell, 1);
      g_autoptr(GError) error = NULL;
      g_autofree char *officers = NULL;
      GstElement *sink = NULL;
      const char *title = m->title != NULL && m->title[0] != '\0' ? m->title : m->original_name;

      cell->id = m->id;
      cell->title = g_strdup (title != NULL ? title : "?");
      officers = g_strjoinv ("、", m->officer_names != NULL ? m->officer_names : (char *[]) { NULL });
      if (m->device != NULL && m->device[0] != '\0')
        /* Translators: the officers who recorded it · the recording device */
        cell->people = officers[0] != '\0' ? g_strdup_printf (_("%s · device %s"), officers, m->device)
                                           : g_strdup_printf (_("Device %s"), m->device);
      else
        cell->people = g_strdup (officers);
      cell->recorded_at = g_strdup (m->recorded_at);
      cell->kind = m->kind;
      cell->path = g_strdup (paths[i]);
      if (cell->kind != CT_MEDIA_KIND_AUDIO)
        sink = ct_paintable_sink_new_bin (&cell->paintable);
      cell->player = ct_player_new (sink);
      g_ptr_array_add (self->cells, cell);

      gtk_grid_attach (self->grid, build_cell (self, cell, i), (int) (i % columns), (int) (i / columns), 1, 1);
      if (!ct_sync_group_add (self->group, cell->player, cell->path, cell->title, cell->recorded_at, &error))
        {
          show_error (self, error->message);
          return self;
        }
    }

  if (n > 0 && media[0]->case_number != NULL)
    adw_window_title_set_subtitle (self->window_title, media[0]->case_number);
  {
    gint64 start_us = ct_sync_group_get_start_us (self->group);
    g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (start_us / G_USEC_PER_SEC);
    g_autoptr(GDateTime) start = g_date_time_add (seconds, start_us % G_USEC_PER_SEC);

    self->start_iso = g_date_time_format_iso8601 (start);
  }
  gtk_widget_queue_resize (GTK_WIDGET (self->lanes));
  ct_sync_group_open (self->group);
  return self;
}

/* ---- opening footage of the store --------------------------------------------------------- */

typedef struct {
  CtSession *session;
  gint64     ids[CT_SYNC_MAX_MEDIA];
  guint      n;
  char      *paths[CT_SYNC_MAX_MEDIA];
  CtMedia   *media[CT_SYNC_MAX_MEDIA];
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_pointer (&data->session, ct_session_unref);
  for (guint i = 0; i < data->n; i++)
    {
      g_free (data->paths[i]);
      g_clear_pointer (&data->media[i], ct_media_free);
    }
  g_free (data);
}

static void
open_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  CtStore *store = CT_STORE (source_object);
  OpenData *data = task_data;
  GError *error = NULL;

  /* everything is checked before anything is opened (and audited) */
  for (guint i = 0; i < data->n; i++)
    {
      g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, data->ids[i]);
      const CtMedia *m;
      const char *name;

      data->media[i] = ct_store_get_media (store, ref, &error);
      if (data->media[i] == NULL || !ct_store_may_open_media (store, data->session, data->media[i], &error))
        {
          g_task_return_error (task, error);
          return;
        }
      m = data->media[i];
      name = m->title != NULL && m->title[0] != '\0' ? m->title : m->original_name;
      if (m->kind != CT_MEDIA_KIND_VIDEO && m->kind != CT_MEDIA_KIND_AUDIO)
        {
          g_task_return_new_error (task, CT_ERROR, CT_ERROR_INVALID,
                                   _("“%s” is not a video or audio recording, so it cannot be played with the others."),
                                   name);
          return;
        }
      if (m->recorded_at == NULL)
        {
          g_task_return_new_error (task, CT_ERROR, CT_ERROR_INVALID,
                                   _("“%s” has no recording time, so it cannot be played in step with the others. "
                                     "Enter when it was recorded in the medium’s details first."), name);
          return;
        }
    }
  for (guint i = 0; i < data->n; i++)
    {
      data->paths[i] = ct_store_open_media (store, data->session, data->ids[i], TRUE, &error);
      if (data->paths[i] == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

void
ct_sync_window_open_async (CtStore             *store,
                           CtSession           *session,
                           const gint64        *media_ids,
                           guint                n_media,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_sync_window_open_async);
  if (n_media < 2 || n_media > CT_SYNC_MAX_MEDIA)
    {
      g_task_return_new_error (task, CT_ERROR, CT_ERROR_INVALID,
                               _("Choose two to four recordings to play together."));
      return;
    }
  data = g_new0 (OpenData, 1);
  data->session = ct_session_ref (session);
  data->n = n_media;
  memcpy (data->ids, media_ids, n_media * sizeof *media_ids);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

CtSyncWindow *
ct_sync_window_open_finish (GAsyncResult  *result,
                            GError       **error)
{
  OpenData *data;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ct_sync_window_open_async, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  data = g_task_get_task_data (G_TASK (result));
  return ct_sync_window_new (data->paths, data->media, data->n);
}

static gboolean
playable (const CtMedia *m)
{
  return (m->kind == CT_MEDIA_KIND_VIDEO || m->kind == CT_MEDIA_KIND_AUDIO) && m->recorded_at != NULL
         && m->disposed_at == NULL;
}

guint
ct_sync_count_playable (GPtrArray *media)
{
  guint n = 0;

  for (guint i = 0; media != NULL && i < media->len; i++)
    if (playable (media->pdata[i]))
      n++;
  return n;
}

/* ---- getters ----------------------------------------------------------------------------- */

CtSyncGroup *
ct_sync_window_get_group (CtSyncWindow *self)
{
  g_return_val_if_fail (CT_IS_SYNC_WINDOW (self), NULL);
  return self->group;
}

const char *
ct_sync_window_get_page (CtSyncWindow *self)
{
  g_return_val_if_fail (CT_IS_SYNC_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
ct_sync_window_get_error (CtSyncWindow *self)
{
  g_return_val_if_fail (CT_IS_SYNC_WINDOW (self), NULL);
  return self->error;
}

const char *
ct_sync_window_get_position_text (CtSyncWindow *self)
{
  g_return_val_if_fail (CT_IS_SYNC_WINDOW (self), NULL);
  if (ct_sync_group_is_ready (self->group))
    update_cells (self);
  return self->position_text;
}

const char *
ct_sync_window_get_cell_time_text (CtSyncWindow *self, guint i)
{
  g_return_val_if_fail (CT_IS_SYNC_WINDOW (self), NULL);
  g_return_val_if_fail (i < self->cells->len, NULL);
  if (ct_sync_group_is_ready (self->group))
    update_cells (self);
  return gtk_label_get_text (cell_at (self, i)->time_label);
}

const char *
ct_sync_window_get_cell_status_text (CtSyncWindow *self, guint i)
{
  g_return_val_if_fail (CT_IS_SYNC_WINDOW (self), NULL);
  g_return_val_if_fail (i < self->cells->len, NULL);
  if (ct_sync_group_is_ready (self->group))
    update_cells (self);
  return gtk_label_get_text (cell_at (self, i)->status_label);
}

const char *
ct_sync_window_get_cell_kind (CtSyncWindow *self, guint i)
{
  g_return_val_if_fail (CT_IS_SYNC_WINDOW (self), NULL);
  g_return_val_if_fail (i < self->cells->len, NULL);
  return cell_at (self, i)->kind == CT_MEDIA_KIND_AUDIO ? "audio" : "video";
}

GtkShortcutController *
ct_sync_window_get_shortcuts (CtSyncWindow *self)
{
  g_return_val_if_fail (CT_IS_SYNC_WINDOW (self), NULL);
  return self->shortcuts;
}

void
ct_sync_window_click_lanes (CtSyncWindow *self, double x)
{
  double w;

  g_return_if_fail (CT_IS_SYNC_WINDOW (self));
  w = gtk_widget_get_width (GTK_WIDGET (self->lanes));
  on_lanes_seek (self, lanes_time_at (self->lanes, x * w), FALSE);
}

/* ==== the chooser =========================================================================== */

typedef struct {
  gint64          id;
  GtkCheckButton *check;
} Choice;

struct _CtSyncChooser
{
  AdwWindow parent_instance;

  CtStore   *store;
  CtSession *session;
  GArray    *choices;     /* Choice */
  GtkWidget *play_button;
  AdwPreferencesGroup *list;
  char      *error;
  gboolean   opening;
};

G_DEFINE_FINAL_TYPE (CtSyncChooser, ct_sync_chooser, ADW_TYPE_WINDOW)

enum { CHOOSER_OPENED, N_CHOOSER_SIGNALS };
static guint chooser_signals[N_CHOOSER_SIGNALS];

static guint
n_chosen (CtSyncChooser *self)
{
  guint n = 0;

  for (guint i = 0; i < self->choices->len; i++)
    if (gtk_check_button_get_active (g_array_index (self->choices, Choice, i).check))
      n++;
  return n;
}

static void
update_chooser (CtSyncChooser *self)
{
  guint n = n_chosen (self);

  gtk_widget_set_sensitive (self->play_button, !self->opening && n >= 2 && n <= CT_SYNC_MAX_MEDIA);
  if (self->error != NULL)
    adw_preferences_group_set_description (self->list, self->error);
  else if (n > CT_SYNC_MAX_MEDIA)
    adw_preferences_group_set_description (self->list, _("At most four recordings play together."));
  else
    adw_preferences_group_set_description (self->list, _("Choose two to four recordings. They play side by side, "
                                                         "lined up by the time each was recorded."));
}

static void
chooser_open_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(CtSyncChooser) self = user_data;
  g_autoptr(GError) error = NULL;
  CtSyncWindow *window = ct_sync_window_open_finish (result, &error);

  self->opening = FALSE;
  if (window == NULL)
    {
      g_free (self->error);
      self->error = g_strdup (error->message);
      update_chooser (self);
      return;
    }
  gtk_window_set_transient_for (GTK_WINDOW (window), gtk_window_get_transient_for (GTK_WINDOW (self)));
  gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (GTK_WINDOW (self)));
  g_signal_emit (self, chooser_signals[CHOOSER_OPENED], 0, window);
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (self));
}

void
ct_sync_chooser_play (CtSyncChooser *self)
{
  gint64 ids[CT_SYNC_MAX_MEDIA];
  guint n = 0;

  g_return_if_fail (CT_IS_SYNC_CHOOSER (self));
  if (!ct_sync_chooser_can_play (self))
    return;
  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *c = &g_array_index (self->choices, Choice, i);

      if (gtk_check_button_get_active (c->check))
        ids[n++] = c->id;
    }
  g_clear_pointer (&self->error, g_free);
  self->opening = TRUE;
  update_chooser (self);
  ct_sync_window_open_async (self->store, self->session, ids, n, NULL, chooser_open_cb, g_object_ref (self));
}

static void
ct_sync_chooser_dispose (GObject *object)
{
  CtSyncChooser *self = CT_SYNC_CHOOSER (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->session, ct_session_unref);
  g_clear_pointer (&self->choices, g_array_unref);
  G_OBJECT_CLASS (ct_sync_chooser_parent_class)->dispose (object);
}

static void
ct_sync_chooser_finalize (GObject *object)
{
  g_free (CT_SYNC_CHOOSER (object)->error);
  G_OBJECT_CLASS (ct_sync_chooser_parent_class)->finalize (object);
}

static void
ct_sync_chooser_class_init (CtSyncChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ct_sync_chooser_dispose;
  object_class->finalize = ct_sync_chooser_finalize;
  /* the window opened, before it is shown */
  chooser_signals[CHOOSER_OPENED] = g_signal_new ("opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                  NULL, NULL, NULL, G_TYPE_NONE, 1, CT_TYPE_SYNC_WINDOW);
}

static void
ct_sync_chooser_init (CtSyncChooser *self)
{
  self->choices = g_array_new (FALSE, FALSE, sizeof (Choice));
}

static void
on_check_toggled (CtSyncChooser *self)
{
  g_clear_pointer (&self->error, g_free);
  update_chooser (self);
}

GtkWidget *
ct_sync_chooser_new (CtStore   *store,
                     CtSession *session,
                     GPtrArray *media)
{
  CtSyncChooser *self;
  GtkWidget *content, *header, *cancel, *page, *group;

  g_return_val_if_fail (CT_IS_STORE (store), NULL);
  g_return_val_if_fail (session != NULL, NULL);

  self = g_object_new (CT_TYPE_SYNC_CHOOSER, NULL);
  self->store = g_object_ref (store);
  self->session = ct_session_ref (session);
  gtk_window_set_title (GTK_WINDOW (self), _("Play Together"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 480);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->play_button = gtk_button_new_with_mnemonic (_("_Play"));
  gtk_widget_add_css_class (self->play_button, "suggested-action");
  g_signal_connect_swapped (self->play_button, "clicked", G_CALLBACK (ct_sync_chooser_play), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->play_button);
  gtk_box_append (GTK_BOX (content), header);

  page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Recordings of the Case"));
  self->list = ADW_PREFERENCES_GROUP (group);

  for (guint i = 0; media != NULL && i < media->len; i++)
    {
      const CtMedia *m = media->pdata[i];
      GtkWidget *row, *check;
      const char *name = m->title != NULL && m->title[0] != '\0' ? m->title : m->original_name;
      g_autofree char *subtitle = NULL;

      if ((m->kind != CT_MEDIA_KIND_VIDEO && m->kind != CT_MEDIA_KIND_AUDIO) || m->disposed_at != NULL)
        continue;
      if (m->recorded_at != NULL)
        {
          g_autofree char *wall = ct_player_format_wall (m->recorded_at, 0);
          g_autofree char *officers = g_strjoinv ("、", m->officer_names != NULL ? m->officer_names
                                                                            : (char *[]) { NULL });

          subtitle = g_strdup_printf ("%s · %s%s%s", wall != NULL ? wall : m->recorded_at,
                                      m->kind == CT_MEDIA_KIND_AUDIO ? _("audio") : _("video"),
                                      officers[0] != '\0' ? " · " : "", officers);
        }
      else
        subtitle = g_strdup (_("No recording time: it cannot be lined up with the others"));
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name != NULL ? name : "?");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      check = gtk_check_button_new ();
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_widget_set_sensitive (row, playable (m));
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_check_toggled), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      if (playable (m))
        g_array_append_val (self->choices, ((Choice) { m->id, GTK_CHECK_BUTTON (check) }));
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  gtk_box_append (GTK_BOX (content), page);
  adw_window_set_content (ADW_WINDOW (self), content);
  update_chooser (self);
  return GTK_WIDGET (self);
}

void
ct_sync_chooser_set_chosen (CtSyncChooser *self,
                            gint64         media_id,
                            gboolean       chosen)
{
  g_return_if_fail (CT_IS_SYNC_CHOOSER (self));
  for (guint i = 0; i < self->choices->len; i++)
    if (g_array_index (self->choices, Choice, i).id == media_id)
      gtk_check_button_set_active (g_array_index (self->choices, Choice, i).check, chosen);
}

gboolean
ct_sync_chooser_can_play (CtSyncChooser *self)
{
  g_return_val_if_fail (CT_IS_SYNC_CHOOSER (self), FALSE);
  return gtk_widget_get_sensitive (self->play_button);
}

const char *
ct_sync_chooser_get_error (CtSyncChooser *self)
{
  g_return_val_if_fail (CT_IS_SYNC_CHOOSER (self), NULL);
  return self->error;
}

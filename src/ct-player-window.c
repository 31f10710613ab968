#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ct-application.h"
#include "ct-error.h"
#include "ct-form.h"
#include "ct-media-details.h"
#include "ct-paintable-sink.h"
#include "ct-player-window.h"
#include "ct-review.h"
#include "ct-rules.h"
#include "ct-timeline.h"
#include "ct-transport.h"

#define UPDATE_INTERVAL 50    /* ms, the position while playing */
#define SCRUB_SETTLE    200   /* ms without a change before the exact seek */

struct _CtPlayerWindow
{
  AdwWindow parent_instance;

  /* template children */
  AdwWindowTitle  *window_title;
  GtkToggleButton *fullscreen_button;
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkSpinner      *spinner;
  GtkPicture      *picture;
  AdwStatusPage   *error_page;
  GtkWidget       *controls;
  GtkScale        *seek_scale;
  GtkAdjustment   *seek_adjustment;
  GtkButton       *play_button;
  GtkDropDown     *rate_dropdown;
  GtkLabel        *position_label;
  GtkLabel        *duration_label;
  GtkLabel        *wall_label;
  GtkLabel        *marks_label;
  GtkToggleButton *mute_button;
  GtkScaleButton  *volume_button;

  CtPlayer              *player;
  GdkPaintable          *paintable;
  GtkShortcutController *shortcuts;
  char                  *path;
  gint64                 media_id;
  char                  *title;
  char                  *recorded_at;
  CtMediaKind            kind;
  char                  *error;

  guint         update_id;
  guint         scrub_id;
  gboolean      scrubbing;        /* a pointer button is down on the seek bar */
  gboolean      scrubbed;         /* the bar moved during it */
  gboolean      syncing;          /* the widgets are being set from the player */
  GstClockTime  in;
  GstClockTime  out;
  GArray       *markers;          /* GstClockTime */
  GstClockTime  start_at;         /* where to seek once ready (a clip's in-point) */

  /* Attaching the in/out range as a clip to a step of the case. */
  CtStore      *store;
  CtSession    *session;
  gint64        case_id;
  GPtrArray    *clip_targets;     /* ClipTarget*, while the dialog is open */
  gboolean      exporting;        /* a clip export runs */

  /* Legal-review annotations of this recording (ct-review.h). */
  GtkMenuButton *annotations_button;
  GtkListBox    *annotations_list;
  GtkDropDown   *annotations_filter;  /* 0: every result, then the codes */
  GPtrArray     *annotations;         /* CtAnnotation*, as listed */
  guint          annotate_seq;        /* annotations made in this window */

  guint          reaction_offset_ms;  /* taken off a segment boundary marked while playing */

  CtTimeline    *timeline;
  GCancellable  *strip_cancel;        /* the timeline's pictures, once started */
};

typedef struct {
  char *template_id;
  char *field_id;
} ClipTarget;

static void
clip_target_free (ClipTarget *t)
{
  g_free (t->template_id);
  g_free (t->field_id);
  g_free (t);
}

enum {
  SIGNAL_CLIP_ATTACHED,
  SIGNAL_CLIP_EXPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CtPlayerWindow, ct_player_window, ADW_TYPE_WINDOW)

static void reload_clips (CtPlayerWindow *self);

/* ---- formatting -------------------------------------------------------------------- */

char *
ct_player_format_position (GstClockTime position)
{
  guint64 ms;

  if (!GST_CLOCK_TIME_IS_VALID (position))
    return g_strdup ("--:--:--.---");
  ms = position / GST_MSECOND;
  return g_strdup_printf ("%02u:%02u:%02u.%03u",
                          (guint) (ms / 3600000), (guint) (ms / 60000 % 60),
                          (guint) (ms / 1000 % 60), (guint) (ms % 1000));
}

char *
ct_player_format_wall (const char  *recorded_at,
                       GstClockTime position)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GDateTime) china = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *seconds = NULL;

  if (recorded_at == NULL)
    return NULL;
  start = g_date_time_new_from_iso8601 (recorded_at, NULL);
  if (start == NULL)
    return NULL;
  at = g_date_time_add (start, GST_CLOCK_TIME_IS_VALID (position) ? (GTimeSpan) (position / GST_USECOND) : 0);
  tz = g_time_zone_new_identifier ("+08:00");
  if (at == NULL || tz == NULL)
    return NULL;
  china = g_date_time_to_timezone (at, tz);
  seconds = g_date_time_format (china, "%Y-%m-%d %H:%M:%S");
  return g_strdup_printf ("%s.%03d +08:00", seconds, g_date_time_get_microsecond (china) / 1000);
}

/* ---- showing the state --------------------------------------------------------------- */

static void
show_toast (CtPlayerWindow *self,
            const char     *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
report (CtPlayerWindow *self,
        GError         *error)
{
  if (error != NULL)
    show_toast (self, error->message);
}

static void
update_actions (CtPlayerWindow *self)
{
  gboolean ready = self->player != NULL && ct_player_is_ready (self->player) && self->error == NULL;
  gboolean video = ready && ct_player_has_video (self->player);
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "player.play-pause", ready);
  gtk_widget_action_set_enabled (widget, "player.pause", ready);
  gtk_widget_action_set_enabled (widget, "player.faster", ready);
  gtk_widget_action_set_enabled (widget, "player.slower", ready);
  gtk_widget_action_set_enabled (widget, "player.seek-back", ready);
  gtk_widget_action_set_enabled (widget, "player.seek-forward", ready);
  gtk_widget_action_set_enabled (widget, "player.frame-back", video);
  gtk_widget_action_set_enabled (widget, "player.frame-forward", video);
  gtk_widget_action_set_enabled (widget, "player.mark-in", ready);
  gtk_widget_action_set_enabled (widget, "player.mark-out", ready);
  gtk_widget_action_set_enabled (widget, "player.marker", ready);
  gtk_widget_action_set_enabled (widget, "player.segment", ready);
  gtk_widget_action_set_enabled (widget, "player.annotate",
                                 ready && ct_session_has_role (self->session, CT_ROLES_REVIEW));
  gtk_widget_action_set_enabled (widget, "player.attach-clip",
                                 ready && self->store != NULL && self->case_id != 0 &&
                                 GST_CLOCK_TIME_IS_VALID (self->in) && GST_CLOCK_TIME_IS_VALID (self->out) &&
                                 self->out > self->in);
  gtk_widget_action_set_enabled (widget, "player.export-clip",
                                 ready && self->store != NULL && self->session != NULL && self->media_id != 0 &&
                                 !self->exporting &&
                                 GST_CLOCK_TIME_IS_VALID (self->in) && GST_CLOCK_TIME_IS_VALID (self->out) &&
                                 self->out > self->in);
  gtk_widget_action_set_enabled (widget, "player.leave-fullscreen", gtk_window_is_fullscreen (GTK_WINDOW (self)));
  gtk_widget_set_sensitive (self->controls, ready);
}

static void
update_marks (CtPlayerWindow *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (GST_CLOCK_TIME_IS_VALID (self->in))
    {
      g_autofree char *at = ct_player_format_position (self->in);
      /* Translators: the in mark of a range, %s is a position like 00:01:02.033 */
      g_string_append_printf (text, _("In %s"), at);
    }
  if (GST_CLOCK_TIME_IS_VALID (self->out))
    {
      g_autofree char *at = ct_player_format_position (self->out);
      if (text->len > 0)
        g_string_append (text, " · ");
      /* Translators: the out mark of a range, %s is a position like 00:01:02.033 */
      g_string_append_printf (text, _("Out %s"), at);
    }
  if (self->markers->len > 0)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u marker", "%u markers", self->markers->len),
                              self->markers->len);
    }
  gtk_label_set_text (self->marks_label, text->str);
  ct_timeline_set_range (self->timeline, GST_CLOCK_TIME_IS_VALID (self->in) ? self->in : G_MAXUINT64,
                         GST_CLOCK_TIME_IS_VALID (self->out) ? self->out : G_MAXUINT64);
  ct_timeline_set_markers (self->timeline, (const guint64 *) self->markers->data, self->markers->len);
  update_actions (self);
}

static void
update_position (CtPlayerWindow *self)
{
  GstClockTime position, duration;
  g_autofree char *text = NULL;
  g_autofree char *wall = NULL;
  CtPlayerState state;

  if (self->player == NULL || !ct_player_is_ready (self->player))
    return;

  state = ct_player_get_state (self->player);
  ct_transport_show_playing (self->play_button, state == CT_PLAYER_STATE_PLAYING);

  position = ct_player_get_position (self->player);
  duration = ct_player_get_duration (self->player);
  if (GST_CLOCK_TIME_IS_VALID (duration))
    {
      g_autofree char *d = ct_player_format_position (duration);
      g_autofree char *label = g_strdup_printf ("/ %s", d);

      gtk_label_set_text (self->duration_label, label);
      ct_timeline_set_duration (self->timeline, duration);
      if (gtk_adjustment_get_upper (self->seek_adjustment) != (double) duration / GST_SECOND)
        gtk_adjustment_set_upper (self->seek_adjustment, (double) duration / GST_SECOND);
    }

  text = ct_player_format_position (position);
  gtk_label_set_text (self->position_label, text);
  if (GST_CLOCK_TIME_IS_VALID (position))
    ct_timeline_set_position (self->timeline, position);
  wall = ct_player_format_wall (self->recorded_at, position);
  gtk_label_set_text (self->wall_label, wall != NULL ? wall : _("Time unknown"));

  if (!self->scrubbing && self->scrub_id == 0 && GST_CLOCK_TIME_IS_VALID (position))
    {
      self->syncing = TRUE;
      gtk_adjustment_set_value (self->seek_adjustment, (double) position / GST_SECOND);
      self->syncing = FALSE;
    }
}

static void
update_rate (CtPlayerWindow *self)
{
  double rate = ct_player_get_rate (self->player);

  for (guint i = 0; i < CT_TRANSPORT_N_RATES; i++)
    if (G_APPROX_VALUE (ct_transport_rates[i], rate, 0.001))
      {
        self->syncing = TRUE;
        gtk_drop_down_set_selected (self->rate_dropdown, i);
        self->syncing = FALSE;
      }
}

static gboolean
update_cb (gpointer data)
{
  update_position (CT_PLAYER_WINDOW (data));
  return G_SOURCE_CONTINUE;
}

static void
show_error (CtPlayerWindow *self,
            const char     *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  adw_status_page_set_description (self->error_page, message);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_widget_set_visible (self->controls, FALSE);
  update_actions (self);
}

/* ---- the timeline's pictures ----------------------------------------------------------------------- */

#define STRIP_FRAMES 32
#define STRIP_WIDTH  96

typedef struct {
  CtStore *store;
  gint64   media_id;
} StripData;

static void
strip_data_free (StripData *data)
{
  g_clear_object (&data->store);
  g_free (data);
}

/* Runs without the window: a window closed meanwhile is not kept alive. */
static void
strip_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StripData *data = task_data;
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, data->media_id);
  g_autoptr(CtMedia) media = NULL;
  g_autoptr(GPtrArray) textures = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) paths = NULL;
  GError *error = NULL;

  media = ct_store_get_media (data->store, ref, &error);
  if (media != NULL)
    paths = ct_store_media_strip (data->store, media, STRIP_FRAMES, STRIP_WIDTH, cancellable, &error);
  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      GdkTexture *texture = gdk_texture_new_from_filename (paths[i], &error);
      if (texture == NULL)
        break;
      g_ptr_array_add (textures, texture);
    }
  if (paths == NULL || error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&textures), (GDestroyNotify) g_ptr_array_unref);
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

static void
strip_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GWeakRef *window_ref = user_data;
  g_autoptr(CtPlayerWindow) self = g_weak_ref_get (window_ref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) textures = g_task_propagate_pointer (G_TASK (result), &error);

  weak_ref_free (window_ref);
  if (textures == NULL)
    {
      /* The timeline works without pictures. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("player: no timeline pictures: %s", error->message);
      return;
    }
  /* (closing the window cancels the task: a window here is not disposed) */
  if (self != NULL)
    ct_timeline_set_thumbnails (self->timeline, (GdkTexture **) textures->pdata, textures->len);
}

/* Pictures of a video of the store behind the timeline, made once per
 * recording by the probe helper off the main thread (and cached). */
static void
load_strip (CtPlayerWindow *self)
{
  g_autoptr(GTask) task = NULL;
  StripData *data;
  GWeakRef *window_ref;

  if (self->strip_cancel != NULL || self->store == NULL || self->media_id == 0 ||
      self->player == NULL || !ct_player_is_ready (self->player) || !ct_player_has_video (self->player))
    return;
  self->strip_cancel = g_cancellable_new ();
  data = g_new0 (StripData, 1);
  data->store = g_object_ref (self->store);
  data->media_id = self->media_id;
  window_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (window_ref, self);
  task = g_task_new (NULL, self->strip_cancel, strip_done, window_ref);
  g_task_set_task_data (task, data, (GDestroyNotify) strip_data_free);
  g_task_run_in_thread (task, strip_thread);
}

/* ---- opening at a clip --------------------------------------------------------------------------------- */

static void
seek_to_start (CtPlayerWindow *self)
{
  g_autoptr(GError) error = NULL;
  GstClockTime at = self->start_at;

  if (!GST_CLOCK_TIME_IS_VALID (at) || self->player == NULL || !ct_player_is_ready (self->player))
    return;
  self->start_at = GST_CLOCK_TIME_NONE;
  if (!ct_player_seek (self->player, at, CT_PLAYER_SEEK_EXACT, &error))
    report (self, error);
}

void
ct_player_window_show_clip (CtPlayerWindow *self,
                            gint64          start_ms,
                            gint64          end_ms)
{
  g_return_if_fail (CT_IS_PLAYER_WINDOW (self));
  g_return_if_fail (start_ms >= 0);

  self->in = (GstClockTime) start_ms * GST_MSECOND;
  self->out = end_ms > start_ms ? (GstClockTime) end_ms * GST_MSECOND : GST_CLOCK_TIME_NONE;
  self->start_at = self->in;
  update_marks (self);
  seek_to_start (self);
}

/* ---- player signals ------------------------------------------------------------------------ */

static void
on_ready (CtPlayerWindow *self)
{
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_stack_set_visible_child_name (self->stack, ct_player_has_video (self->player) ? "video" : "audio");
  ct_player_set_volume (self->player, gtk_scale_button_get_value (self->volume_button));
  ct_player_set_muted (self->player, gtk_toggle_button_get_active (self->mute_button));
  update_actions (self);
  update_rate (self);
  update_position (self);
  seek_to_start (self);
  load_strip (self);
}

static void
on_error (CtPlayerWindow *self,
          GError         *error)
{
  g_autofree char *name = self->path != NULL ? g_path_get_basename (self->path) : NULL;
  g_autofree char *message = NULL;

  g_debug ("player: %s", error->message);
  /* The original is stored under its hash: name it as the case does. */
  if (name != NULL && self->title != NULL && strstr (error->message, name) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (error->message, name, -1);
      message = g_strjoinv (self->title, parts);
    }
  show_error (self, message != NULL ? message : error->message);
}

static void
on_eos (CtPlayerWindow *self)
{
  update_position (self);
}

static void
on_seek_done (CtPlayerWindow *self)
{
  update_position (self);
}

/* ---- actions ------------------------------------------------------------------------------------ */

static void
play_pause_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  CtPlayerState state = ct_player_get_state (self->player);

  if (state == CT_PLAYER_STATE_PLAYING)
    ct_player_pause (self->player, &error);
  else
    {
      if (state == CT_PLAYER_STATE_EOS)
        ct_player_seek (self->player, 0, CT_PLAYER_SEEK_EXACT, NULL);
      ct_player_play (self->player, &error);
    }
  report (self, error);
  update_position (self);
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  ct_player_pause (self->player, &error);
  report (self, error);
  update_position (self);
}

static void
set_rate (CtPlayerWindow *self,
          double          rate)
{
  g_autoptr(GError) error = NULL;

  if (!ct_player_set_rate (self->player, rate, &error))
    report (self, error);
  update_rate (self);
}

/* L: plays; while playing, faster (1 → 2 → 4). */
static void
faster_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  double rate = ct_player_get_rate (self->player);

  if (ct_player_get_state (self->player) != CT_PLAYER_STATE_PLAYING)
    {
      if (ct_player_get_state (self->player) == CT_PLAYER_STATE_EOS)
        ct_player_seek (self->player, 0, CT_PLAYER_SEEK_EXACT, NULL);
      if (!ct_player_play (self->player, &error))
        report (self, error);
    }
  else if (rate < 1.0 - 0.001)
    set_rate (self, 1.0);
  else if (rate < 2.0 - 0.001)
    set_rate (self, 2.0);
  else
    set_rate (self, 4.0);
  update_position (self);
}

/* J: slower (4 → 2 → 1 → 0.5 → 0.25). */
static void
slower_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (widget);
  double rate = ct_player_get_rate (self->player);

  if (rate > 2.0 + 0.001)
    set_rate (self, 2.0);
  else if (rate > 1.0 + 0.001)
    set_rate (self, 1.0);
  else if (rate > 0.5 + 0.001)
    set_rate (self, 0.5);
  else
    set_rate (self, 0.25);
}

static void
seek_by (CtPlayerWindow *self,
         gint64          delta)
{
  g_autoptr(GError) error = NULL;
  GstClockTime target = ct_transport_seek_target (ct_player_get_position (self->player), delta,
                                                  ct_player_get_duration (self->player));

  if (!ct_player_seek (self->player, target, CT_PLAYER_SEEK_EXACT, &error))
    report (self, error);
}

static void
seek_back_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  seek_by (CT_PLAYER_WINDOW (widget), -(gint64) CT_TRANSPORT_SEEK_STEP);
}

static void
seek_forward_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  seek_by (CT_PLAYER_WINDOW (widget), (gint64) CT_TRANSPORT_SEEK_STEP);
}

static void
step (CtPlayerWindow *self,
      int             n)
{
  g_autoptr(GError) error = NULL;

  if (!ct_player_step_frames (self->player, n, &error))
    report (self, error);
}

static void
frame_back_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  step (CT_PLAYER_WINDOW (widget), -1);
}

static void
frame_forward_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  step (CT_PLAYER_WINDOW (widget), 1);
}

static void
fullscreen_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

static void
leave_fullscreen_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  gtk_window_unfullscreen (GTK_WINDOW (widget));
}

static GstClockTime
mark_position (CtPlayerWindow *self)
{
  GstClockTime position = ct_player_get_position (self->player);

  return GST_CLOCK_TIME_IS_VALID (position) ? position : 0;
}

/* Enter: a segment boundary.  While playing, the reaction-time offset (the
 * reaction-offset-ms setting) is taken off the position: the key comes
 * after what it marks.  The first boundary sets the in mark, the next the
 * out mark; one more starts a new segment. */
static void
segment_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (widget);
  GstClockTime position = mark_position (self);
  GstClockTime offset = (GstClockTime) self->reaction_offset_ms * GST_MSECOND;

  if (ct_player_get_state (self->player) == CT_PLAYER_STATE_PLAYING)
    position = position > offset ? position - offset : 0;
  if (!GST_CLOCK_TIME_IS_VALID (self->in) || GST_CLOCK_TIME_IS_VALID (self->out) || position <= self->in)
    {
      self->in = position;
      self->out = GST_CLOCK_TIME_NONE;
    }
  else
    self->out = position;
  update_marks (self);
}

void
ct_player_window_set_reaction_offset (CtPlayerWindow *self,
                                      guint           ms)
{
  g_return_if_fail (CT_IS_PLAYER_WINDOW (self));
  self->reaction_offset_ms = MIN (ms, 2000);
}

static void
mark_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (widget);

  self->in = mark_position (self);
  if (GST_CLOCK_TIME_IS_VALID (self->out) && self->out < self->in)
    self->out = GST_CLOCK_TIME_NONE;
  update_marks (self);
}

static void
mark_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (widget);

  self->out = mark_position (self);
  if (GST_CLOCK_TIME_IS_VALID (self->in) && self->in > self->out)
    self->in = GST_CLOCK_TIME_NONE;
  update_marks (self);
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  GstClockTime x = *(const GstClockTime *) a, y = *(const GstClockTime *) b;

  return x < y ? -1 : x > y;
}

static void
marker_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (widget);
  GstClockTime at = mark_position (self);

  g_array_append_val (self->markers, at);
  g_array_sort (self->markers, compare_times);
  update_marks (self);
}

/* ---- widgets ------------------------------------------------------------------------------------------ */

static gboolean
scrub_settled_cb (gpointer data)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (data);
  g_autoptr(GError) error = NULL;

  self->scrub_id = 0;
  if (self->scrubbing)
    return G_SOURCE_REMOVE;   /* the release seeks */
  if (!ct_player_seek (self->player, (GstClockTime) (gtk_adjustment_get_value (self->seek_adjustment) * GST_SECOND),
                       CT_PLAYER_SEEK_EXACT, &error))
    report (self, error);
  return G_SOURCE_REMOVE;
}

/* The user moves the bar: fast seeks while it moves, an exact one when the
 * button is released (or, from the keyboard, when it rests). */
static gboolean
on_change_value (CtPlayerWindow *self,
                 GtkScrollType   scroll,
                 double          value,
                 GtkRange       *range)
{
  double upper = gtk_adjustment_get_upper (self->seek_adjustment);

  if (self->player == NULL || !ct_player_is_ready (self->player))
    return TRUE;
  value = CLAMP (value, 0.0, upper);
  gtk_adjustment_set_value (self->seek_adjustment, value);
  if (self->scrubbing)
    self->scrubbed = TRUE;
  ct_player_seek (self->player, (GstClockTime) (value * GST_SECOND), CT_PLAYER_SEEK_FAST, NULL);
  g_clear_handle_id (&self->scrub_id, g_source_remove);
  self->scrub_id = g_timeout_add (SCRUB_SETTLE, scrub_settled_cb, self);
  return TRUE;
}

static gboolean
on_seek_event (GtkEventControllerLegacy *controller,
               GdkEvent                 *event,
               CtPlayerWindow           *self)
{
  GdkEventType type = gdk_event_get_event_type (event);

  if (type == GDK_BUTTON_PRESS || type == GDK_TOUCH_BEGIN)
    {
      self->scrubbing = TRUE;
      self->scrubbed = FALSE;
    }
  else if ((type == GDK_BUTTON_RELEASE || type == GDK_TOUCH_END || type == GDK_TOUCH_CANCEL) && self->scrubbing)
    {
      self->scrubbing = FALSE;
      if (self->scrubbed)
        {
          g_clear_handle_id (&self->scrub_id, g_source_remove);
          scrub_settled_cb (self);
        }
    }
  return GDK_EVENT_PROPAGATE;
}

static void
on_rate_selected (CtPlayerWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->rate_dropdown);

  if (self->syncing || self->player == NULL || !ct_player_is_ready (self->player) || selected >= CT_TRANSPORT_N_RATES)
    return;
  set_rate (self, ct_transport_rates[selected]);
}

static void
on_volume_changed (CtPlayerWindow *self,
                   double          value)
{
  if (self->player != NULL)
    ct_player_set_volume (self->player, value);
}

static void
on_mute_toggled (CtPlayerWindow *self)
{
  if (self->player != NULL)
    ct_player_set_muted (self->player, gtk_toggle_button_get_active (self->mute_button));
}

static void
on_fullscreen_toggled (CtPlayerWindow *self)
{
  if (self->syncing)
    return;
  if (gtk_toggle_button_get_active (self->fullscreen_button))
    gtk_window_fullscreen (GTK_WINDOW (self));
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
}

static void
on_fullscreened (CtPlayerWindow *self)
{
  gboolean fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));

  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->fullscreen_button, fullscreen);
  self->syncing = FALSE;
  gtk_button_set_icon_name (GTK_BUTTON (self->fullscreen_button),
                            fullscreen ? "view-restore-symbolic" : "view-fullscreen-symbolic");
  update_actions (self);
}

static const CtTransportKey player_keys[] = {
  { GDK_KEY_space, "player.play-pause" },
  { GDK_KEY_k, "player.pause" },
  { GDK_KEY_l, "player.faster" },
  { GDK_KEY_j, "player.slower" },
  { GDK_KEY_Left, "player.seek-back" },
  { GDK_KEY_Right, "player.seek-forward" },
  { GDK_KEY_comma, "player.frame-back" },
  { GDK_KEY_period, "player.frame-forward" },
  { GDK_KEY_f, "player.fullscreen" },
  { GDK_KEY_Escape, "player.leave-fullscreen" },
  { GDK_KEY_i, "player.mark-in" },
  { GDK_KEY_o, "player.mark-out" },
  { GDK_KEY_m, "player.marker" },
  { GDK_KEY_Return, "player.segment" },
  { GDK_KEY_KP_Enter, "player.segment" },
};

/* ---- exporting the in/out range as a new medium (ct_store_export_clip) ------------------------------- */

typedef struct {
  gint64    media_id;
  gint64    start_ms;
  gint64    end_ms;
  AdwToast *progress;   /* shown while it runs */
} ExportArgs;

static void
export_args_free (ExportArgs *a)
{
  g_clear_object (&a->progress);
  g_free (a);
}

static void
export_clip_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  CtPlayerWindow *self = source;
  const ExportArgs *a = task_data;
  g_autofree char *ref = NULL;
  GError *error = NULL;
  CtMedia *clip;
  gint64 id;

  id = ct_store_export_clip (self->store, self->session, a->media_id, a->start_ms, a->end_ms, cancellable, &error);
  if (id == 0)
    {
      g_task_return_error (task, error);
      return;
    }
  ref = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  clip = ct_store_get_media (self->store, ref, &error);
  if (clip == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, clip, (GDestroyNotify) ct_media_free);
}

static void
export_clip_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (source);
  ExportArgs *a = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(CtMedia) clip = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;

  adw_toast_dismiss (a->progress);
  self->exporting = FALSE;
  update_actions (self);
  if (clip == NULL)
    {
      report (self, error);
      return;
    }
  id = g_strdup_printf ("%" G_GINT64_FORMAT, clip->id);
  /* short: a toast shows one line */
  if (clip->case_number != NULL)
    text = g_strdup_printf (_("Clip saved as medium %s of case %s"), id, clip->case_number);
  else
    text = g_strdup_printf (_("Clip saved as medium %s in the evidence store"), id);
  show_toast (self, text);
  g_signal_emit (self, signals[SIGNAL_CLIP_EXPORTED], 0, clip->id);
}

static void
export_clip_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (widget);
  g_autoptr(GTask) task = NULL;
  ExportArgs *a = g_new0 (ExportArgs, 1);

  a->media_id = self->media_id;
  a->start_ms = (gint64) (self->in / GST_MSECOND);
  a->end_ms = (gint64) (self->out / GST_MSECOND);
  a->progress = adw_toast_new (_("Exporting the clip without re-encoding…"));
  adw_toast_set_timeout (a->progress, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (a->progress));
  self->exporting = TRUE;
  update_actions (self);
  task = g_task_new (self, NULL, export_clip_done, NULL);
  g_task_set_task_data (task, a, (GDestroyNotify) export_args_free);
  g_task_run_in_thread (task, export_clip_thread);
}

/* ---- attaching the in/out range as a clip (ct_store_attach_clip) ------------------------------------ */

typedef struct {
  gint64  media_id;
  char   *template_id;
  char   *field_id;
  gint64  start_ms;
  gint64  end_ms;
  char   *label;
} AttachArgs;

static void
attach_args_free (AttachArgs *a)
{
  g_free (a->template_id);
  g_free (a->field_id);
  g_free (a->label);
  g_free (a);
}

static void
attach_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CtPlayerWindow *self = source;
  AttachArgs *a = task_data;
  GError *error = NULL;

  if (ct_store_attach_clip (self->store, self->session, a->media_id, a->template_id, a->field_id,
                            a->start_ms, a->end_ms, a->label, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
attach_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (source);
  AttachArgs *a = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_toast (self, error->message);
      return;
    }
  show_toast (self, _("The clip is attached; the checklist is updated."));
  reload_clips (self);
  g_signal_emit (self, signals[SIGNAL_CLIP_ATTACHED], 0, a->template_id, a->field_id);
}

void
ct_player_window_attach_clip (CtPlayerWindow *self,
                              const char     *template_id,
                              const char     *field_id,
                              const char     *label)
{
  g_autoptr(GTask) task = NULL;
  AttachArgs *a;

  g_return_if_fail (CT_IS_PLAYER_WINDOW (self));
  g_return_if_fail (self->store != NULL);

  a = g_new0 (AttachArgs, 1);
  a->media_id = self->media_id;
  a->template_id = g_strdup (template_id);
  a->field_id = g_strdup (field_id);
  a->start_ms = (gint64) (self->in / GST_MSECOND);
  a->end_ms = (gint64) (self->out / GST_MSECOND);
  a->label = label != NULL && *label != '\0' ? g_strdup (label) : NULL;
  task = g_task_new (self, NULL, attach_done, NULL);
  g_task_set_task_data (task, a, (GDestroyNotify) attach_args_free);
  g_task_run_in_thread (task, attach_thread);
}

/* What the Attach Clip and Annotate dialogs ask for: one of a list, and a
 * line of text.  The texts are translated when shown. */
typedef struct {
  const char *name;            /* the dialog's widget name */
  const char *heading;
  const char *choice_name;     /* the drop-down's widget name */
  const char *choice_label;    /* its accessible label */
  const char *text_name;       /* the entry's widget name */
  const char *placeholder;
  const char *response;        /* besides "cancel": suggested, the default */
  const char *response_label;
} ChoiceForm;

static const ChoiceForm attach_form = {
  "attach-clip", N_("Attach Clip to a Step"), "attach-target", N_("Form field"),
  "attach-label", N_("What the clip shows (optional)"), "attach", N_("_Attach"),
};

static const ChoiceForm annotate_form = {
  "annotate", N_("Annotate for the Legal Review"), "annotate-code", N_("Result"),
  "annotate-text", N_("What was found (required for “Other”)"), "save", N_("_Save"),
};

/* Presents @form with @body, offering @choices (drawn by @factory, unless
 * NULL).  @on_response finds the drop-down and the entry as the dialog's
 * data "choice" and "text". */
static void
present_choice_dialog (CtPlayerWindow     *self,
                       const ChoiceForm   *form,
                       const char         *body,
                       GtkStringList      *choices,
                       GtkListItemFactory *factory,
                       GCallback           on_response)
{
  GtkWidget *dialog, *box, *choice, *text;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _(form->heading), body);
  gtk_widget_set_name (dialog, form->name);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  choice = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (choices)), NULL);
  if (factory != NULL)
    gtk_drop_down_set_factory (GTK_DROP_DOWN (choice), factory);
  gtk_widget_set_name (choice, form->choice_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (choice), GTK_ACCESSIBLE_PROPERTY_LABEL, _(form->choice_label), -1);
  text = gtk_entry_new ();
  gtk_widget_set_name (text, form->text_name);
  gtk_entry_set_placeholder_text (GTK_ENTRY (text), _(form->placeholder));
  gtk_box_append (GTK_BOX (box), choice);
  gtk_box_append (GTK_BOX (box), text);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    form->response, _(form->response_label), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), form->response, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), form->response);
  g_object_set_data (G_OBJECT (dialog), "choice", choice);
  g_object_set_data (G_OBJECT (dialog), "text", text);
  g_signal_connect (dialog, "response", on_response, self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
attach_response (AdwMessageDialog *dialog,
                 const char       *response,
                 CtPlayerWindow   *self)
{
  GtkDropDown *targets = g_object_get_data (G_OBJECT (dialog), "choice");
  GtkEditable *label = g_object_get_data (G_OBJECT (dialog), "text");
  guint i;

  if (g_strcmp0 (response, "attach") == 0 && self->clip_targets != NULL &&
      (i = gtk_drop_down_get_selected (targets)) < self->clip_targets->len)
    {
      ClipTarget *t = self->clip_targets->pdata[i];
      ct_player_window_attach_clip (self, t->template_id, t->field_id, gtk_editable_get_text (label));
    }
}

/* A clip field an unmet av-record requirement of the case's current stage
 * asks for. */
typedef struct {
  char *template_id;
  char *field_id;
  char *citation;
} RequiredClip;

static void
required_clip_free (RequiredClip *r)
{
  g_free (r->template_id);
  g_free (r->field_id);
  g_free (r->citation);
  g_free (r);
}

/* Whether one of the first @n targets is @template_id.@field_id. */
static gboolean
is_target (CtPlayerWindow *self,
           guint           n,
           const char     *template_id,
           const char     *field_id)
{
  for (guint i = 0; i < n && i < self->clip_targets->len; i++)
    {
      const ClipTarget *t = self->clip_targets->pdata[i];
      if (g_str_equal (t->template_id, template_id) && g_str_equal (t->field_id, field_id))
        return TRUE;
    }
  return FALSE;
}

/* The fields' names with their citations are long: they wrap. */
static void
wrapping_setup (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 56);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
wrapping_bind (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (string));
}

static GtkListItemFactory *
wrapping_factory (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (wrapping_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (wrapping_bind), NULL);
  return factory;
}

/* Offers @t's field @fd, named @name, as a clip target. */
static void
add_clip_target (CtPlayerWindow       *self,
                 GtkStringList        *names,
                 const CtFormTemplate *t,
                 const CtFieldDef     *fd,
                 const char           *name)
{
  ClipTarget *target = g_new0 (ClipTarget, 1);

  target->template_id = g_strdup (t->id);
  target->field_id = g_strdup (fd->id);
  g_ptr_array_add (self->clip_targets, target);
  gtk_string_list_append (names, name);
}

/* Offers every clip field of the form templates: "询问（调查）笔录 · 询问音像记录",
 * first those the case's checklist asks for now (@required: RequiredClip*),
 * marked so with the article that requires them. */
static void
present_attach_dialog (CtPlayerWindow *self,
                       GPtrArray      *required)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *in = ct_player_format_position (self->in);
  g_autofree char *out = ct_player_format_position (self->out);
  g_autofree char *body = NULL;
  g_autoptr(GtkListItemFactory) factory = NULL;
  CtFormRegistry *forms;
  guint n_required;

  forms = self->store != NULL ? ct_store_get_forms (self->store, &error) : NULL;
  if (forms == NULL)
    {
      report (self, error);
      return;
    }
  g_clear_pointer (&self->clip_targets, g_ptr_array_unref);
  self->clip_targets = g_ptr_array_new_with_free_func ((GDestroyNotify) clip_target_free);
  for (guint i = 0; i < required->len; i++)
    {
      const RequiredClip *r = required->pdata[i];
      const CtFormTemplate *t = ct_form_registry_lookup (forms, r->template_id);
      const CtFieldDef *fd = t != NULL ? ct_form_template_get_field (t, r->field_id) : NULL;
      g_autofree char *name = NULL;

      if (fd == NULL || fd->type != CT_FIELD_CLIP)
        continue;
      /* Translators: a clip field the case's checklist asks for, "form · field — required now: citation" */
      name = g_strdup_printf (_("%s · %s — required now: %s"), ct_form_template_display_title (t),
                              ct_field_def_display_label (fd), r->citation);
      add_clip_target (self, names, t, fd, name);
    }
  n_required = self->clip_targets->len;
  templates = ct_form_registry_list (forms);
  for (guint i = 0; i < templates->len; i++)
    {
      const CtFormTemplate *t = templates->pdata[i];
      for (guint f = 0; f < t->fields->len; f++)
        {
          const CtFieldDef *fd = t->fields->pdata[f];
          g_autofree char *name = NULL;

          if (fd->type != CT_FIELD_CLIP || is_target (self, n_required, t->id, fd->id))
            continue;
          name = g_strdup_printf ("%s · %s", ct_form_template_display_title (t), ct_field_def_display_label (fd));
          add_clip_target (self, names, t, fd, name);
        }
    }

  /* Translators: %s and %s are the in and out positions of the clip */
  body = g_strdup_printf (_("The range %s – %s of this recording becomes evidence of the step whose form field "
                            "you choose; the form is saved and the change audited."), in, out);
  if (n_required > 0)
    {
      g_autofree char *with_required =
        g_strdup_printf ("%s\n\n%s", body, _("The fields the case's checklist asks for now come first."));
      g_free (body);
      body = g_steal_pointer (&with_required);
    }
  factory = wrapping_factory ();
  present_choice_dialog (self, &attach_form, body, names, factory, G_CALLBACK (attach_response));
}

/* The checklist of the case's current stage, on a worker thread: the clip
 * fields its unmet av-record requirements name. */
static void
required_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CtPlayerWindow *self = source;
  g_autoptr(GPtrArray) required = g_ptr_array_new_with_free_func ((GDestroyNotify) required_clip_free);
  g_autoptr(GPtrArray) reqs = NULL;
  GError *error = NULL;

  if (self->case_id != 0)
    {
      reqs = ct_store_check_case (self->store, self->case_id, NULL, &error);
      if (reqs == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      for (guint i = 0; i < reqs->len; i++)
        {
          const CtRequirement *req = reqs->pdata[i];
          RequiredClip *r;

          if (req->rule->kind != CT_RULE_AV_RECORD || req->state != CT_REQ_MISSING ||
              req->rule->form == NULL || req->rule->field == NULL)
            continue;
          r = g_new0 (RequiredClip, 1);
          r->template_id = g_strdup (req->rule->form);
          r->field_id = g_strdup (req->rule->field);
          r->citation = ct_basis_format (&req->rule->basis);
          g_ptr_array_add (required, r);
        }
    }
  g_task_return_pointer (task, g_steal_pointer (&required), (GDestroyNotify) g_ptr_array_unref);
}

static void
required_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) required = g_task_propagate_pointer (G_TASK (result), &error);

  if (required == NULL)
    {
      /* The fields can still be chosen, just not in the checklist's order. */
      g_warning ("Could not read the checklist of case %" G_GINT64_FORMAT ": %s", self->case_id, error->message);
      required = g_ptr_array_new ();
    }
  present_attach_dialog (self, required);
}

static void
attach_clip_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (widget);
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL)
    return;
  task = g_task_new (self, NULL, required_done, NULL);
  g_task_run_in_thread (task, required_thread);
}


/* ---- legal-review annotations (ct-review.h) ---------------------------------------------------------- */

static void
annotation_row_activated (GtkListBox     *box,
                          GtkListBoxRow  *row,
                          CtPlayerWindow *self)
{
  int i = gtk_list_box_row_get_index (row);
  CtAnnotation *a;

  if (self->annotations == NULL || i < 0 || (guint) i >= self->annotations->len || self->player == NULL)
    return;
  a = self->annotations->pdata[i];
  {
    g_autoptr(GError) error = NULL;
    if (!ct_player_seek (self->player, (GstClockTime) a->start_ms * GST_MSECOND, CT_PLAYER_SEEK_EXACT, &error))
      report (self, error);
  }
}

/* Rereads this recording's annotations (synchronously: a small indexed
 * query) and fills the list, filtered by the chosen result. */
void
ct_player_window_reload_annotations (CtPlayerWindow *self)
{
  g_autoptr(GError) error = NULL;
  CtAnnotationFilter filter = { .media_id = self->media_id };
  guint selected;
  GtkWidget *child;

  g_return_if_fail (CT_IS_PLAYER_WINDOW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->annotations_list))) != NULL)
    gtk_list_box_remove (self->annotations_list, child);
  g_clear_pointer (&self->annotations, g_ptr_array_unref);
  if (self->store == NULL || self->media_id == 0)
    return;
  selected = gtk_drop_down_get_selected (self->annotations_filter);
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
    {
      filter.has_code = TRUE;
      filter.code = (CtReviewCode) (selected - 1);
    }
  self->annotations = ct_store_list_annotations (self->store, &filter, &error);
  if (self->annotations == NULL)
    {
      report (self, error);
      return;
    }
  ct_timeline_set_annotations (self->timeline, self->annotations);
  for (guint i = 0; i < self->annotations->len; i++)
    {
      CtAnnotation *a = self->annotations->pdata[i];
      g_autofree char *start = ct_format_offset (a->start_ms);
      g_autofree char *end = a->end_ms >= 0 ? ct_format_offset (a->end_ms) : NULL;
      g_autofree char *title = g_strdup_printf ("%s%s%s · %s", start, end ? " – " : "", end ? end : "",
                                                ct_review_code_label (a->code));
      g_autofree char *subtitle = g_strdup_printf ("%s%s%s", a->text, *a->text ? " · " : "", a->author_name);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (self->annotations_list, row);
    }
  {
    /* Translators: the annotations button, %u is how many are listed */
    g_autofree char *label = g_strdup_printf (_("Annotations (%u)"), self->annotations->len);
    gtk_menu_button_set_label (self->annotations_button, label);
  }
}

guint
ct_player_window_get_n_annotations (CtPlayerWindow *self)
{
  return self->annotations != NULL ? self->annotations->len : 0;
}

void
ct_player_window_set_annotation_filter (CtPlayerWindow *self,
                                        int             code)
{
  gtk_drop_down_set_selected (self->annotations_filter, code < 0 ? 0 : (guint) code + 1);
}

gboolean
ct_player_window_export_annotations (CtPlayerWindow *self,
                                     const char     *path,
                                     gboolean        csv,
                                     GError        **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (CT_IS_PLAYER_WINDOW (self), FALSE);

  if (self->annotations == NULL)
    ct_player_window_reload_annotations (self);
  if (self->annotations == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_FAILED, _("The annotations could not be read."));
      return FALSE;
    }
  text = csv ? ct_annotations_to_csv (self->annotations) : ct_annotations_to_json (self->annotations);
  return g_file_set_contents (path, text, -1, error);
}

static void
export_response (GtkNativeDialog *chooser,
                 int              response,
                 CtPlayerWindow  *self)
{
  gboolean csv = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "csv"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path == NULL || !ct_player_window_export_annotations (self, path, csv, &error))
        show_toast (self, error != NULL ? error->message : _("Choose a local file."));
      else
        show_toast (self, _("Annotations exported."));
    }
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (widget);
  gboolean csv = g_str_equal (action_name, "player.export-csv");
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (csv ? _("Export Annotations as CSV") : _("Export Annotations as JSON"),
                                 GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  g_autofree char *name = g_strdup_printf ("%s-annotations.%s", self->title, csv ? "csv" : "json");

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "csv", GINT_TO_POINTER (csv));
  g_signal_connect (chooser, "response", G_CALLBACK (export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

typedef struct {
  gint64        media_id;
  gint64        start_ms;
  gint64        end_ms;
  CtReviewCode  code;
  char         *text;
} AnnotateArgs;

static void
annotate_args_free (AnnotateArgs *a)
{
  g_free (a->text);
  g_free (a);
}

static void
annotate_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CtPlayerWindow *self = source;
  AnnotateArgs *a = task_data;
  GError *error = NULL;

  if (ct_store_annotate (self->store, self->session, a->media_id, a->start_ms, a->end_ms, a->code, a->text, &error) > 0)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
annotate_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_toast (self, error->message);
      return;
    }
  self->annotate_seq++;
  ct_player_window_reload_annotations (self);
  show_toast (self, _("Annotation saved."));
}

void
ct_player_window_annotate (CtPlayerWindow *self,
                           int             code,
                           const char     *text)
{
  g_autoptr(GTask) task = NULL;
  AnnotateArgs *a;
  gboolean range = GST_CLOCK_TIME_IS_VALID (self->in) && GST_CLOCK_TIME_IS_VALID (self->out) && self->out > self->in;

  g_return_if_fail (CT_IS_PLAYER_WINDOW (self));
  g_return_if_fail (code >= 0 && code <= CT_REVIEW_OTHER);

  a = g_new0 (AnnotateArgs, 1);
  a->media_id = self->media_id;
  a->start_ms = range ? (gint64) (self->in / GST_MSECOND) : (gint64) (mark_position (self) / GST_MSECOND);
  a->end_ms = range ? (gint64) (self->out / GST_MSECOND) : -1;
  a->code = (CtReviewCode) code;
  a->text = g_strdup (text != NULL ? text : "");
  task = g_task_new (self, NULL, annotate_done, NULL);
  g_task_set_task_data (task, a, (GDestroyNotify) annotate_args_free);
  g_task_run_in_thread (task, annotate_thread);
}

guint
ct_player_window_get_annotate_count (CtPlayerWindow *self)
{
  return self->annotate_seq;
}

static void
annotate_response (AdwMessageDialog *dialog,
                   const char       *response,
                   CtPlayerWindow   *self)
{
  GtkDropDown *codes = g_object_get_data (G_OBJECT (dialog), "choice");
  GtkEditable *text = g_object_get_data (G_OBJECT (dialog), "text");

  if (g_strcmp0 (response, "save") == 0)
    ct_player_window_annotate (self, (int) gtk_drop_down_get_selected (codes), gtk_editable_get_text (text));
}

/* A point at the frame shown, or the range between the in and out marks. */
static void
annotate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (widget);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  gboolean range = GST_CLOCK_TIME_IS_VALID (self->in) && GST_CLOCK_TIME_IS_VALID (self->out) && self->out > self->in;
  g_autofree char *from = ct_player_format_position (range ? self->in : mark_position (self));
  g_autofree char *to = range ? ct_player_format_position (self->out) : NULL;
  g_autofree char *body = range ? g_strdup_printf (_("The range %s – %s of this recording."), from, to)
                                : g_strdup_printf (_("The frame at %s (set I and O to annotate a range)."), from);

  for (int c = 0; c <= CT_REVIEW_OTHER; c++)
    gtk_string_list_append (names, ct_review_code_label ((CtReviewCode) c));
  present_choice_dialog (self, &annotate_form, body, names, NULL, G_CALLBACK (annotate_response));
}

static void
filter_changed (GtkDropDown    *filter,
                GParamSpec     *pspec,
                CtPlayerWindow *self)
{
  ct_player_window_reload_annotations (self);
}

void
ct_player_window_set_evidence (CtPlayerWindow *self,
                               CtStore        *store,
                               CtSession      *session)
{
  g_return_if_fail (CT_IS_PLAYER_WINDOW (self));

  g_set_object (&self->store, store);
  g_clear_pointer (&self->session, ct_session_unref);
  self->session = session != NULL ? ct_session_ref (session) : NULL;
  update_actions (self);
  ct_player_window_reload_annotations (self);
  reload_clips (self);
  load_strip (self);
}

/* ---- the timeline ----------------------------------------------------------------------------------------- */

/* The clips of this recording attached to the case's forms, drawn on the
 * timeline (a small read of the case's forms, no audit). */
static void
reload_clips (CtPlayerWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) clips = NULL;
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();

  if (self->store == NULL || self->case_id == 0 || self->media_id == 0)
    return;
  clips = ct_store_list_clips (self->store, self->case_id, NULL, &error);
  if (clips == NULL)
    {
      report (self, error);
      return;
    }
  for (guint i = 0; i < clips->len; i++)
    {
      CtClip *clip = clips->pdata[i];
      if (clip->media_id == self->media_id)
        g_ptr_array_add (mine, clip);
    }
  ct_timeline_set_clips (self->timeline, mine);
}

static void
on_timeline_seek (CtTimeline     *timeline,
                  guint64         position,
                  gboolean        moving,
                  CtPlayerWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->player == NULL || !ct_player_is_ready (self->player))
    return;
  /* fast while the pointer moves, exact where it is let go */
  if (!ct_player_seek (self->player, position, moving ? CT_PLAYER_SEEK_FAST : CT_PLAYER_SEEK_EXACT, &error))
    report (self, error);
}

CtTimeline *
ct_player_window_get_timeline (CtPlayerWindow *self)
{
  return self->timeline;
}

/* ---- life ------------------------------------------------------------------------------------------------ */

CtPlayerWindow *
ct_player_window_new (const char    *path,
                      const CtMedia *media)
{
  CtPlayerWindow *self;
  const char *title = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CT_TYPE_PLAYER_WINDOW, NULL);
  self->path = g_strdup (path);
  if (media != NULL)
    {
      self->media_id = media->id;
      self->case_id = media->case_id;
      title = media->title != NULL && media->title[0] != '\0' ? media->title : media->original_name;
      self->recorded_at = g_strdup (media->recorded_at);
      self->kind = media->kind;
    }
  if (title == NULL)
    title = path;
  self->title = g_path_get_basename (title);
  gtk_window_set_title (GTK_WINDOW (self), self->title);
  adw_window_title_set_title (self->window_title, self->title);
  if (media != NULL && media->recorded_at != NULL)
    {
      g_autofree char *at = ct_media_format_china_time (media->recorded_at);
      /* Translators: the subtitle of the player, %s is when the recording started (China time) */
      g_autofree char *subtitle = g_strdup_printf (_("Recorded %s (China time)"), at);
      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  else
    adw_window_title_set_subtitle (self->window_title, _("Recording time unknown"));
  gtk_label_set_text (self->wall_label, _("Time unknown"));

  ct_player_open (self->player, path);
  return self;
}

static void
ct_player_window_dispose (GObject *object)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_handle_id (&self->scrub_id, g_source_remove);
  if (self->strip_cancel != NULL)
    g_cancellable_cancel (self->strip_cancel);
  if (self->player != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->player, self);
      ct_player_close (self->player);
      g_clear_object (&self->player);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_PLAYER_WINDOW);
  g_clear_object (&self->paintable);

  G_OBJECT_CLASS (ct_player_window_parent_class)->dispose (object);
}

static void
ct_player_window_finalize (GObject *object)
{
  CtPlayerWindow *self = CT_PLAYER_WINDOW (object);

  g_free (self->path);
  g_free (self->title);
  g_free (self->recorded_at);
  g_free (self->error);
  g_array_unref (self->markers);
  g_clear_pointer (&self->clip_targets, g_ptr_array_unref);
  g_clear_pointer (&self->annotations, g_ptr_array_unref);
  g_clear_object (&self->strip_cancel);
  g_clear_object (&self->store);
  g_clear_pointer (&self->session, ct_session_unref);

  G_OBJECT_CLASS (ct_player_window_parent_class)->finalize (object);
}

static void
ct_player_window_class_init (CtPlayerWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_player_window_dispose;
  object_class->finalize = ct_player_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-player-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, fullscreen_button);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, picture);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, controls);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, seek_scale);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, seek_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, rate_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, position_label);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, duration_label);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, wall_label);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, marks_label);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, mute_button);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, volume_button);

  gtk_widget_class_install_action (widget_class, "player.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "player.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "player.faster", NULL, faster_action);
  gtk_widget_class_install_action (widget_class, "player.slower", NULL, slower_action);
  gtk_widget_class_install_action (widget_class, "player.seek-back", NULL, seek_back_action);
  gtk_widget_class_install_action (widget_class, "player.seek-forward", NULL, seek_forward_action);
  gtk_widget_class_install_action (widget_class, "player.frame-back", NULL, frame_back_action);
  gtk_widget_class_install_action (widget_class, "player.frame-forward", NULL, frame_forward_action);
  gtk_widget_class_install_action (widget_class, "player.fullscreen", NULL, fullscreen_action);
  gtk_widget_class_install_action (widget_class, "player.leave-fullscreen", NULL, leave_fullscreen_action);
  gtk_widget_class_install_action (widget_class, "player.mark-in", NULL, mark_in_action);
  gtk_widget_class_install_action (widget_class, "player.mark-out", NULL, mark_out_action);
  gtk_widget_class_install_action (widget_class, "player.marker", NULL, marker_action);
  gtk_widget_class_install_action (widget_class, "player.segment", NULL, segment_action);
  gtk_widget_class_install_action (widget_class, "player.attach-clip", NULL, attach_clip_action);
  gtk_widget_class_install_action (widget_class, "player.export-clip", NULL, export_clip_action);
  gtk_widget_class_install_action (widget_class, "player.annotate", NULL, annotate_action);
  gtk_widget_class_install_action (widget_class, "player.export-csv", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "player.export-json", NULL, export_action);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, annotations_button);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, annotations_list);
  gtk_widget_class_bind_template_child (widget_class, CtPlayerWindow, annotations_filter);
  gtk_widget_class_bind_template_callback (widget_class, annotation_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed);

  /* The in/out range was attached to @template_id.@field_id of the case. */
  signals[SIGNAL_CLIP_ATTACHED] =
    g_signal_new ("clip-attached", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* The in/out range was exported as a new medium of that id. */
  signals[SIGNAL_CLIP_EXPORTED] =
    g_signal_new ("clip-exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
ct_player_window_init (CtPlayerWindow *self)
{
  GtkEventController *legacy;
  GstElement *sink;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->in = GST_CLOCK_TIME_NONE;
  self->out = GST_CLOCK_TIME_NONE;
  self->start_at = GST_CLOCK_TIME_NONE;
  self->markers = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  self->kind = CT_MEDIA_KIND_UNKNOWN;

  sink = ct_paintable_sink_new_bin (&self->paintable);
  self->player = ct_player_new (sink);
  gtk_picture_set_paintable (self->picture, self->paintable);
  g_signal_connect_swapped (self->player, "ready", G_CALLBACK (on_ready), self);
  g_signal_connect_swapped (self->player, "error", G_CALLBACK (on_error), self);
  g_signal_connect_swapped (self->player, "eos", G_CALLBACK (on_eos), self);
  g_signal_connect_swapped (self->player, "seek-done", G_CALLBACK (on_seek_done), self);

  self->shortcuts = ct_transport_add_keys (GTK_WIDGET (self), "player-shortcuts",
                                           player_keys, G_N_ELEMENTS (player_keys));
  {
    GSettings *settings = ct_application_get_default_settings ();
    self->reaction_offset_ms = settings != NULL ? (guint) g_settings_get_int (settings, "reaction-offset-ms") : 300;
  }

  legacy = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (legacy, GTK_PHASE_CAPTURE);
  g_signal_connect (legacy, "event", G_CALLBACK (on_seek_event), self);
  gtk_widget_add_controller (GTK_WIDGET (self->seek_scale), legacy);

  /* The timeline sits above the seek bar. */
  self->timeline = CT_TIMELINE (ct_timeline_new ());
  gtk_widget_set_margin_start (GTK_WIDGET (self->timeline), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->timeline), 12);
  gtk_widget_insert_before (GTK_WIDGET (self->timeline), gtk_widget_get_parent (GTK_WIDGET (self->seek_scale)),
                            GTK_WIDGET (self->seek_scale));
  g_signal_connect (self->timeline, "seek", G_CALLBACK (on_timeline_seek), self);
  g_signal_connect_swapped (self->seek_scale, "change-value", G_CALLBACK (on_change_value), self);

  gtk_drop_down_set_selected (self->rate_dropdown, CT_TRANSPORT_RATE_NORMAL);
  g_signal_connect_swapped (self->rate_dropdown, "notify::selected", G_CALLBACK (on_rate_selected), self);
  g_signal_connect_swapped (self->volume_button, "value-changed", G_CALLBACK (on_volume_changed), self);
  g_signal_connect_swapped (self->mute_button, "toggled", G_CALLBACK (on_mute_toggled), self);
  g_signal_connect_swapped (self->fullscreen_button, "toggled", G_CALLBACK (on_fullscreen_toggled), self);
  g_signal_connect_swapped (self, "notify::fullscreened", G_CALLBACK (on_fullscreened), self);

  update_marks (self);
  update_actions (self);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  self->update_id = g_timeout_add (UPDATE_INTERVAL, update_cb, self);
}

/* ---- opening footage of the store ----------------------------------------------------------------- */

typedef struct {
  CtSession *session;
  gint64     media_id;
  char      *path;
  CtMedia   *media;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_pointer (&data->session, ct_session_unref);
  g_free (data->path);
  g_clear_pointer (&data->media, ct_media_free);
  g_free (data);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CtStore *store = CT_STORE (source_object);
  OpenData *data = task_data;
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, data->media_id);
  GError *error = NULL;

  data->path = ct_store_open_media (store, data->session, data->media_id, TRUE, &error);
  if (data->path == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data->media = ct_store_get_media (store, ref, &error);
  if (data->media == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
ct_player_window_open_async (CtStore             *store,
                             CtSession           *session,
                             gint64               media_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);

  data = g_new0 (OpenData, 1);
  data->session = ct_session_ref (session);
  data->media_id = media_id;
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_player_window_open_async);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

CtPlayerWindow *
ct_player_window_open_finish (GAsyncResult  *result,
                              GError       **error)
{
  OpenData *data;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ct_player_window_open_async, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  data = g_task_get_task_data (G_TASK (result));
  return ct_player_window_new (data->path, data->media);
}

/* ---- getters ------------------------------------------------------------------------------------------ */

CtPlayer *
ct_player_window_get_player (CtPlayerWindow *self)
{
  g_return_val_if_fail (CT_IS_PLAYER_WINDOW (self), NULL);
  return self->player;
}

const char *
ct_player_window_get_page (CtPlayerWindow *self)
{
  g_return_val_if_fail (CT_IS_PLAYER_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
ct_player_window_get_error (CtPlayerWindow *self)
{
  g_return_val_if_fail (CT_IS_PLAYER_WINDOW (self), NULL);
  return self->error;
}

const char *
ct_player_window_get_position_text (CtPlayerWindow *self)
{
  g_return_val_if_fail (CT_IS_PLAYER_WINDOW (self), NULL);
  return gtk_label_get_text (self->position_label);
}

const char *
ct_player_window_get_wall_text (CtPlayerWindow *self)
{
  g_return_val_if_fail (CT_IS_PLAYER_WINDOW (self), NULL);
  return gtk_label_get_text (self->wall_label);
}

const char *
ct_player_window_get_marks_text (CtPlayerWindow *self)
{
  g_return_val_if_fail (CT_IS_PLAYER_WINDOW (self), NULL);
  return gtk_label_get_text (self->marks_label);
}

GstClockTime
ct_player_window_get_in (CtPlayerWindow *self)
{
  g_return_val_if_fail (CT_IS_PLAYER_WINDOW (self), GST_CLOCK_TIME_NONE);
  return self->in;
}

GstClockTime
ct_player_window_get_out (CtPlayerWindow *self)
{
  g_return_val_if_fail (CT_IS_PLAYER_WINDOW (self), GST_CLOCK_TIME_NONE);
  return self->out;
}

GArray *
ct_player_window_get_markers (CtPlayerWindow *self)
{
  g_return_val_if_fail (CT_IS_PLAYER_WINDOW (self), NULL);
  return self->markers;
}

GtkShortcutController *
ct_player_window_get_shortcuts (CtPlayerWindow *self)
{
  g_return_val_if_fail (CT_IS_PLAYER_WINDOW (self), NULL);
  return self->shortcuts;
}

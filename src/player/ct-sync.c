/* ct-sync.c — several recordings of one scene played in step, no widgets
 *
 * The group keeps, for each medium, which part of the timeline the group's
 * time is in: before the recording started, within it, or after it ended.
 * A medium within its span plays (or is paused on the frame at t − offset);
 * one outside it is paused on its first or last frame.  While playing, a
 * tick follows the master, starts the media whose recording begins, parks
 * the ones whose recording ended and seeks back in step the ones that
 * drifted.  A player's seek is made with a small lead: the time its last
 * seek took, so that it comes back at the master's time, not behind it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-sync.h"

/* how often the players are compared while playing */
#define SYNC_INTERVAL_MS 100
/* after a player was (re)started, how long its drift is not measured */
#define GRACE_US (300 * G_TIME_SPAN_MILLISECOND)
/* the least tolerance, for media at high frame rates */
#define MIN_TOLERANCE (50 * GST_MSECOND)
/* how far before the end an audio-only medium is parked */
#define AUDIO_END_MARGIN (100 * GST_MSECOND)

typedef enum {
  SPAN_BEFORE,
  SPAN_IN,
  SPAN_AFTER,
} Span;

typedef struct {
  CtSyncGroup *group;
  CtPlayer    *player;
  char        *path;
  char        *name;
  gint64       start_us;
  GstClockTime offset;
  GstClockTime duration;
  gboolean     ready;
  gboolean     has_audio;
  Span         span;
  gboolean     parked;       /* paused on the first or last frame for its span */
  gboolean     waiting;      /* a seek of the group's is not done yet */
  gboolean     correcting;   /* that seek brings it back in step while playing */
  gint64       seek_started; /* monotonic, µs */
  gint64       settled_at;   /* when its last seek was done */
  gulong       handlers[3];
} Medium;

struct _CtSyncGroup
{
  GObject parent_instance;

  GPtrArray    *media;          /* Medium */
  gint64        start_us;
  GstClockTime  duration;
  gboolean      opening;
  gboolean      ready;
  gboolean      failed;
  CtPlayerState state;
  GstClockTime  position;
  double        rate;
  gboolean      seeking;        /* a seek of the group's is running */
  GSource      *idle_done;
  guint         tick_id;
  int           master;
  /* the group's clock when no master is recording */
  gint64        anchor_mono;
  GstClockTime  anchor_position;
  /* measuring */
  GstClockTime  max_drift;
  guint         n_corrections;
  guint         n_checks;
  gint64        latency_us;     /* how long a correcting seek took, smoothed */
};

G_DEFINE_FINAL_TYPE (CtSyncGroup, ct_sync_group, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_READY,
  SIGNAL_ERROR,
  SIGNAL_SEEK_DONE,
  SIGNAL_EOS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void stop_tick (CtSyncGroup *self);

/* ---- helpers ------------------------------------------------------------ */

static Medium *
medium (CtSyncGroup *self, guint i)
{
  return g_ptr_array_index (self->media, i);
}

static void
medium_free (Medium *m)
{
  for (guint i = 0; i < G_N_ELEMENTS (m->handlers); i++)
    g_clear_signal_handler (&m->handlers[i], m->player);
  if (m->player != NULL)
    ct_player_close (m->player);
  g_clear_object (&m->player);
  g_free (m->path);
  g_free (m->name);
  g_free (m);
}

static void
set_state (CtSyncGroup *self, CtPlayerState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

static Span
span_at (Medium *m, GstClockTime t)
{
  if (t < m->offset)
    return SPAN_BEFORE;
  if (t >= m->offset + m->duration)
    return SPAN_AFTER;
  return SPAN_IN;
}

static GstClockTime
frame_duration (CtPlayer *player)
{
  GstClockTime one;

  if (!ct_player_has_video (player))
    return GST_CLOCK_TIME_NONE;
  one = ct_player_frame_to_time (player, 1);
  return GST_CLOCK_TIME_IS_VALID (one) && one > 0 ? one : GST_CLOCK_TIME_NONE;
}

/* Where a medium not recording at the group's time waits. */
static GstClockTime
park_position (Medium *m, Span span)
{
  int fps_n = 0, fps_d = 1;

  if (span == SPAN_BEFORE || m->duration == 0)
    return 0;
  if (ct_player_get_framerate (m->player, &fps_n, &fps_d) && fps_n > 0 && fps_d > 0)
    {
      guint64 frames = gst_util_uint64_scale_round (m->duration, (guint64) fps_n,
                                                    (guint64) fps_d * GST_SECOND);

      return ct_player_frame_to_time (m->player, frames > 0 ? frames - 1 : 0);
    }
  return m->duration > AUDIO_END_MARGIN ? m->duration - AUDIO_END_MARGIN : 0;
}

static gboolean
player_has_audio (CtPlayer *player)
{
  GstElement *pipeline = ct_player_get_pipeline (player);
  int n_audio = 0;

  if (pipeline == NULL || g_object_class_find_property (G_OBJECT_GET_CLASS (pipeline), "n-audio") == NULL)
    return FALSE;
  g_object_get (pipeline, "n-audio", &n_audio, NULL);
  return n_audio > 0;
}

static gboolean
idle_done_cb (gpointer user_data)
{
  CtSyncGroup *self = user_data;

  g_clear_pointer (&self->idle_done, g_source_unref);
  if (!self->seeking)
    return G_SOURCE_REMOVE;
  self->seeking = FALSE;
  g_signal_emit (self, signals[SIGNAL_SEEK_DONE], 0);
  return G_SOURCE_REMOVE;
}

static gboolean
any_waiting (CtSyncGroup *self)
{
  for (guint i = 0; i < self->media->len; i++)
    if (medium (self, i)->waiting)
      return TRUE;
  return FALSE;
}

/* Puts a medium where the group's time @t says: at t − offset when it was
 * recording then (playing when @play), else parked on its first or last
 * frame.  @lead is added to the target of a medium that plays. */
static gboolean
place (Medium           *m,
       GstClockTime      t,
       GstClockTime      lead,
       CtPlayerSeekMode  mode,
       gboolean          play,
       GError          **error)
{
  Span span = span_at (m, t);
  GstClockTime target;

  if (span != SPAN_IN && m->parked && m->span == span && !m->waiting)
    return TRUE;  /* already waiting there */

  m->span = span;
  if (span == SPAN_IN)
    {
      target = t - m->offset;
      if (play)
        target = MIN (target + lead, park_position (m, SPAN_AFTER));
    }
  else
    target = park_position (m, span);

  if (!play || span != SPAN_IN)
    ct_player_pause (m->player, NULL);
  m->waiting = TRUE;
  m->seek_started = g_get_monotonic_time ();
  if (!ct_player_seek (m->player, target, mode, error))
    {
      m->waiting = FALSE;
      return FALSE;
    }
  if (play && span == SPAN_IN)
    ct_player_play (m->player, NULL);
  m->parked = span != SPAN_IN;
  return TRUE;
}

/* The master: the first medium recording at the group's time that has
 * sound, else the first recording; -1 when none is.  With @playing, only
 * a player that is playing and not being sought counts. */
static int
choose_master (CtSyncGroup *self, gboolean playing)
{
  int first = -1;

  for (guint i = 0; i < self->media->len; i++)
    {
      Medium *m = medium (self, i);

      if (m->span != SPAN_IN)
        continue;
      if (playing && (m->waiting || ct_player_get_state (m->player) != CT_PLAYER_STATE_PLAYING))
        continue;
      if (m->has_audio)
        return (int) i;
      if (first < 0)
        first = (int) i;
    }
  return first;
}

/* ---- players' signals ---------------------------------------------------- */

static void
on_player_ready (CtPlayer *player, Medium *m)
{
  CtSyncGroup *self = m->group;

  if (m->ready || self->failed)
    return;
  m->ready = TRUE;
  m->duration = ct_player_get_duration (player);
  if (!GST_CLOCK_TIME_IS_VALID (m->duration))
    m->duration = 0;
  m->has_audio = player_has_audio (player);

  for (guint i = 0; i < self->media->len; i++)
    if (!medium (self, i)->ready)
      return;

  self->opening = FALSE;
  self->ready = TRUE;
  self->duration = 0;
  for (guint i = 0; i < self->media->len; i++)
    {
      Medium *mi = medium (self, i);

      self->duration = MAX (self->duration, mi->offset + mi->duration);
      /* each opened paused on its first frame: where the group's start
       * puts it, recording or waiting for its start */
      mi->span = span_at (mi, 0);
      mi->parked = mi->span == SPAN_BEFORE;
    }
  self->position = 0;
  self->master = choose_master (self, FALSE);
  set_state (self, CT_PLAYER_STATE_PAUSED);
  g_signal_emit (self, signals[SIGNAL_READY], 0);
}

static void
on_player_error (CtPlayer *player, GError *error, Medium *m)
{
  CtSyncGroup *self = m->group;
  g_autoptr(GError) named = NULL;

  if (self->failed)
    return;
  self->failed = TRUE;
  self->opening = FALSE;
  stop_tick (self);
  named = g_error_new (error->domain, error->code,
                       _("“%s” cannot be played with the others: %s"), m->name, error->message);
  set_state (self, CT_PLAYER_STATE_STOPPED);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, named);
}

static void
on_player_seek_done (CtPlayer *player, Medium *m)
{
  CtSyncGroup *self = m->group;
  gint64 now = g_get_monotonic_time ();

  if (!m->waiting)
    return;
  m->waiting = FALSE;
  m->settled_at = now;
  if (m->correcting)
    {
      gint64 took = now - m->seek_started;

      m->correcting = FALSE;
      self->latency_us = self->latency_us == 0 ? took : (self->latency_us * 3 + took) / 4;
    }
  if (self->seeking && !any_waiting (self))
    {
      self->seeking = FALSE;
      g_signal_emit (self, signals[SIGNAL_SEEK_DONE], 0);
    }
}

/* ---- playing -------------------------------------------------------------- */

static GstClockTime
lead (CtSyncGroup *self)
{
  return (GstClockTime) (self->latency_us * self->rate) * GST_USECOND;
}

static void
end_of_group (CtSyncGroup *self)
{
  stop_tick (self);
  for (guint i = 0; i < self->media->len; i++)
    ct_player_pause (medium (self, i)->player, NULL);
  self->position = self->duration;
  for (guint i = 0; i < self->media->len; i++)
    {
      Medium *m = medium (self, i);

      m->span = SPAN_AFTER;
      m->parked = TRUE;
    }
  set_state (self, CT_PLAYER_STATE_EOS);
  g_signal_emit (self, signals[SIGNAL_EOS], 0);
}

/* The group's time while playing: the master's frame, else the clock
 * started at the master's last frame (or at play()). */
static GstClockTime
playing_position (CtSyncGroup *self, gint64 now)
{
  GstClockTime elapsed;

  self->master = choose_master (self, TRUE);
  if (self->master >= 0)
    {
      Medium *m = medium (self, (guint) self->master);
      GstClockTime pos = ct_player_get_position (m->player);

      if (GST_CLOCK_TIME_IS_VALID (pos))
        {
          self->anchor_position = m->offset + pos;
          self->anchor_mono = now;
          return self->anchor_position;
        }
    }
  elapsed = (GstClockTime) ((double) (now - self->anchor_mono) * self->rate) * GST_USECOND;
  return self->anchor_position + elapsed;
}

static gboolean
tick_cb (gpointer user_data)
{
  CtSyncGroup *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GstClockTime t = playing_position (self, now);
  GstClockTime tolerance = ct_sync_group_get_tolerance (self);
  gboolean all_ended = TRUE;

  self->position = MIN (t, self->duration);
  for (guint i = 0; i < self->media->len; i++)
    {
      Medium *m = medium (self, i);
      CtPlayerState state = ct_player_get_state (m->player);
      Span span = span_at (m, t);

      if (span != SPAN_AFTER && state != CT_PLAYER_STATE_EOS)
        all_ended = FALSE;
      if (span != SPAN_IN)
        {
          if (m->span == span && m->waiting)
            continue;  /* being parked */
          /* a player that played to its end shows its last frame already */
          if (span == SPAN_AFTER && state == CT_PLAYER_STATE_EOS)
            {
              m->span = span;
              m->parked = TRUE;
            }
          else
            place (m, t, 0, CT_PLAYER_SEEK_EXACT, FALSE, NULL);
          continue;
        }
      if (m->span != SPAN_IN)
        {
          /* its recording starts now */
          m->correcting = TRUE;
          place (m, t, lead (self), CT_PLAYER_SEEK_EXACT, TRUE, NULL);
          continue;
        }
      if ((int) i == self->master || m->waiting || state != CT_PLAYER_STATE_PLAYING
          || now < m->settled_at + GRACE_US)
        continue;
      {
        GstClockTime pos = ct_player_get_position (m->player);
        GstClockTime wall, drift;

        if (!GST_CLOCK_TIME_IS_VALID (pos) || self->master < 0)
          continue;
        wall = m->offset + pos;
        drift = wall > t ? wall - t : t - wall;
        self->n_checks++;
        self->max_drift = MAX (self->max_drift, drift);
        if (drift > tolerance)
          {
            self->n_corrections++;
            m->correcting = TRUE;
            place (m, t, lead (self), CT_PLAYER_SEEK_EXACT, TRUE, NULL);
          }
      }
    }

  if (t >= self->duration || (all_ended && self->master < 0))
    {
      self->tick_id = 0;
      end_of_group (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
stop_tick (CtSyncGroup *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
}

/* ---- GObject -------------------------------------------------------------- */

static void
ct_sync_group_dispose (GObject *object)
{
  CtSyncGroup *self = CT_SYNC_GROUP (object);

  stop_tick (self);
  if (self->idle_done != NULL)
    {
      g_source_destroy (self->idle_done);
      g_clear_pointer (&self->idle_done, g_source_unref);
    }
  g_clear_pointer (&self->media, g_ptr_array_unref);
  G_OBJECT_CLASS (ct_sync_group_parent_class)->dispose (object);
}

static void
ct_sync_group_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CtSyncGroup *self = CT_SYNC_GROUP (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ct_sync_group_class_init (CtSyncGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ct_sync_group_dispose;
  object_class->get_property = ct_sync_group_get_property;

  props[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, CT_TYPE_PLAYER_STATE,
                                         CT_PLAYER_STATE_STOPPED,
                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_READY] = g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_SEEK_DONE] = g_signal_new ("seek-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_EOS] = g_signal_new ("eos", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ct_sync_group_init (CtSyncGroup *self)
{
  self->media = g_ptr_array_new_with_free_func ((GDestroyNotify) medium_free);
  self->rate = 1.0;
  self->master = -1;
  self->state = CT_PLAYER_STATE_STOPPED;
}

CtSyncGroup *
ct_sync_group_new (void)
{
  return g_object_new (CT_TYPE_SYNC_GROUP, NULL);
}

/* ---- setting up ------------------------------------------------------------ */

gboolean
ct_sync_group_add (CtSyncGroup *self,
                   CtPlayer    *player,
                   const char  *path,
                   const char  *name,
                   const char  *recorded_at,
                   GError     **error)
{
  g_autoptr(GDateTime) start = NULL;
  Medium *m;

  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), FALSE);
  g_return_val_if_fail (CT_IS_PLAYER (player), FALSE);
  g_return_val_if_fail (path != NULL && name != NULL, FALSE);

  if (recorded_at != NULL)
    start = g_date_time_new_from_iso8601 (recorded_at, NULL);
  if (start == NULL)
    {
      g_set_error (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_INVALID,
                   _("“%s” has no recording time, so it cannot be played in step with the others. "
                     "Enter when it was recorded in the medium’s details first."), name);
      return FALSE;
    }
  if (self->opening || self->ready || self->media->len >= CT_SYNC_MAX_MEDIA)
    {
      g_set_error (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_INVALID,
                   _("“%s” cannot be added: at most %d recordings play together, added before they are opened."),
                   name, CT_SYNC_MAX_MEDIA);
      return FALSE;
    }

  m = g_new0 (Medium, 1);
  m->group = self;
  m->player = g_object_ref (player);
  m->path = g_strdup (path);
  m->name = g_strdup (name);
  m->start_us = g_date_time_to_unix (start) * G_USEC_PER_SEC + g_date_time_get_microsecond (start);
  g_ptr_array_add (self->media, m);

  self->start_us = medium (self, 0)->start_us;
  for (guint i = 1; i < self->media->len; i++)
    self->start_us = MIN (self->start_us, medium (self, i)->start_us);
  for (guint i = 0; i < self->media->len; i++)
    medium (self, i)->offset = (GstClockTime) (medium (self, i)->start_us - self->start_us) * GST_USECOND;
  return TRUE;
}

void
ct_sync_group_open (CtSyncGroup *self)
{
  g_return_if_fail (CT_IS_SYNC_GROUP (self));
  g_return_if_fail (!self->opening && !self->ready);
  g_return_if_fail (self->media->len > 0);

  self->opening = TRUE;
  for (guint i = 0; i < self->media->len; i++)
    {
      Medium *m = medium (self, i);

      m->handlers[0] = g_signal_connect (m->player, "ready", G_CALLBACK (on_player_ready), m);
      m->handlers[1] = g_signal_connect (m->player, "error", G_CALLBACK (on_player_error), m);
      m->handlers[2] = g_signal_connect (m->player, "seek-done", G_CALLBACK (on_player_seek_done), m);
      ct_player_open (m->player, m->path);
    }
}

gboolean
ct_sync_group_is_ready (CtSyncGroup *self)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), FALSE);
  return self->ready && !self->failed;
}

/* ---- reading ------------------------------------------------------------------ */

guint
ct_sync_group_get_n_media (CtSyncGroup *self)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), 0);
  return self->media->len;
}

CtPlayer *
ct_sync_group_get_player (CtSyncGroup *self, guint i)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), NULL);
  g_return_val_if_fail (i < self->media->len, NULL);
  return medium (self, i)->player;
}

const char *
ct_sync_group_get_name (CtSyncGroup *self, guint i)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), NULL);
  g_return_val_if_fail (i < self->media->len, NULL);
  return medium (self, i)->name;
}

gint64
ct_sync_group_get_start_us (CtSyncGroup *self)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), 0);
  return self->start_us;
}

GstClockTime
ct_sync_group_get_offset (CtSyncGroup *self, guint i)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), 0);
  g_return_val_if_fail (i < self->media->len, 0);
  return medium (self, i)->offset;
}

GstClockTime
ct_sync_group_get_media_duration (CtSyncGroup *self, guint i)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), 0);
  g_return_val_if_fail (i < self->media->len, 0);
  return medium (self, i)->duration;
}

GstClockTime
ct_sync_group_get_duration (CtSyncGroup *self)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), 0);
  return self->duration;
}

GstClockTime
ct_sync_group_get_position (CtSyncGroup *self)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), 0);
  if (self->state == CT_PLAYER_STATE_PLAYING)
    return MIN (playing_position (self, g_get_monotonic_time ()), self->duration);
  return self->position;
}

gboolean
ct_sync_group_is_recording (CtSyncGroup *self, guint i)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), FALSE);
  g_return_val_if_fail (i < self->media->len, FALSE);
  return self->ready && medium (self, i)->span == SPAN_IN;
}

GstClockTime
ct_sync_group_get_media_wall (CtSyncGroup *self, guint i)
{
  GstClockTime pos;

  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), GST_CLOCK_TIME_NONE);
  g_return_val_if_fail (i < self->media->len, GST_CLOCK_TIME_NONE);
  pos = ct_player_get_position (medium (self, i)->player);
  if (!GST_CLOCK_TIME_IS_VALID (pos))
    return GST_CLOCK_TIME_NONE;
  return medium (self, i)->offset + pos;
}

int
ct_sync_group_get_master (CtSyncGroup *self)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), -1);
  return self->master;
}

CtPlayerState
ct_sync_group_get_state (CtSyncGroup *self)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), CT_PLAYER_STATE_STOPPED);
  return self->state;
}

GstClockTime
ct_sync_group_get_tolerance (CtSyncGroup *self)
{
  GstClockTime frame = 0;

  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), MIN_TOLERANCE);
  for (guint i = 0; i < self->media->len; i++)
    {
      GstClockTime d = frame_duration (medium (self, i)->player);

      if (GST_CLOCK_TIME_IS_VALID (d))
        frame = MAX (frame, d);
    }
  return MAX (2 * frame, MIN_TOLERANCE);
}

GstClockTime
ct_sync_group_get_max_drift (CtSyncGroup *self)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), 0);
  return self->max_drift;
}

guint
ct_sync_group_get_n_corrections (CtSyncGroup *self)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), 0);
  return self->n_corrections;
}

guint
ct_sync_group_get_n_checks (CtSyncGroup *self)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), 0);
  return self->n_checks;
}

void
ct_sync_group_reset_drift (CtSyncGroup *self)
{
  g_return_if_fail (CT_IS_SYNC_GROUP (self));
  self->max_drift = 0;
  self->n_corrections = 0;
  self->n_checks = 0;
}

double
ct_sync_group_get_rate (CtSyncGroup *self)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), 1.0);
  return self->rate;
}

/* ---- control ---------------------------------------------------------------------- */

static gboolean
check_ready (CtSyncGroup *self, GError **error)
{
  if (self->ready && !self->failed)
    return TRUE;
  g_set_error_literal (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_NOT_READY,
                       _("The recordings are not open yet."));
  return FALSE;
}

gboolean
ct_sync_group_seek (CtSyncGroup     *self,
                    GstClockTime     position,
                    CtPlayerSeekMode mode,
                    GError         **error)
{
  gboolean playing;

  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), FALSE);
  if (!check_ready (self, error))
    return FALSE;
  if (!GST_CLOCK_TIME_IS_VALID (position))
    {
      g_set_error_literal (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_INVALID,
                           _("The position to go to is not valid."));
      return FALSE;
    }
  position = MIN (position, self->duration);
  if (self->state == CT_PLAYER_STATE_EOS)
    set_state (self, CT_PLAYER_STATE_PAUSED);
  playing = self->state == CT_PLAYER_STATE_PLAYING;
  self->position = position;
  self->anchor_position = position;
  self->anchor_mono = g_get_monotonic_time ();
  for (guint i = 0; i < self->media->len; i++)
    {
      Medium *m = medium (self, i);

      m->correcting = FALSE;
      if (!place (m, position, 0, mode, playing, error))
        return FALSE;
    }
  self->master = choose_master (self, FALSE);
  self->seeking = TRUE;
  if (!any_waiting (self) && self->idle_done == NULL)
    {
      self->idle_done = g_idle_source_new ();
      g_source_set_callback (self->idle_done, idle_done_cb, self, NULL);
      g_source_attach (self->idle_done, NULL);
    }
  return TRUE;
}

gboolean
ct_sync_group_play (CtSyncGroup *self, GError **error)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), FALSE);
  if (!check_ready (self, error))
    return FALSE;
  if (self->state == CT_PLAYER_STATE_PLAYING)
    return TRUE;
  if (self->state == CT_PLAYER_STATE_EOS || self->position >= self->duration)
    {
      set_state (self, CT_PLAYER_STATE_PAUSED);
      if (!ct_sync_group_seek (self, 0, CT_PLAYER_SEEK_EXACT, error))
        return FALSE;
    }
  set_state (self, CT_PLAYER_STATE_PLAYING);
  self->anchor_position = self->position;
  self->anchor_mono = g_get_monotonic_time ();
  for (guint i = 0; i < self->media->len; i++)
    {
      Medium *m = medium (self, i);

      if (m->span != SPAN_IN)
        continue;
      if (!ct_player_play (m->player, error))
        return FALSE;
      m->settled_at = self->anchor_mono;
    }
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add (SYNC_INTERVAL_MS, tick_cb, self);
  return TRUE;
}

/* Pauses every player; with @align, then lines them up on the master's
 * frame (a seek of the group's, ending in "seek-done"). */
static gboolean
pause_group (CtSyncGroup *self, gboolean align, GError **error)
{
  GstClockTime t;

  if (self->state != CT_PLAYER_STATE_PLAYING)
    return TRUE;
  stop_tick (self);
  t = playing_position (self, g_get_monotonic_time ());
  for (guint i = 0; i < self->media->len; i++)
    ct_player_pause (medium (self, i)->player, NULL);
  set_state (self, CT_PLAYER_STATE_PAUSED);
  self->position = MIN (t, self->duration);
  if (!align)
    return TRUE;
  return ct_sync_group_seek (self, self->position, CT_PLAYER_SEEK_EXACT, error);
}

gboolean
ct_sync_group_pause (CtSyncGroup *self, GError **error)
{
  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), FALSE);
  if (!check_ready (self, error))
    return FALSE;
  return pause_group (self, TRUE, error);
}

gboolean
ct_sync_group_step_frames (CtSyncGroup *self, int n, GError **error)
{
  GstClockTime base, frame = GST_CLOCK_TIME_NONE, target;
  int master;

  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), FALSE);
  if (!check_ready (self, error))
    return FALSE;
  if (!pause_group (self, FALSE, error))
    return FALSE;

  /* the frames of the first medium with video recording now, else of the
   * first with video */
  master = -1;
  for (guint i = 0; i < self->media->len && master < 0; i++)
    if (medium (self, i)->span == SPAN_IN && GST_CLOCK_TIME_IS_VALID (frame_duration (medium (self, i)->player)))
      master = (int) i;
  for (guint i = 0; i < self->media->len && master < 0; i++)
    if (GST_CLOCK_TIME_IS_VALID (frame_duration (medium (self, i)->player)))
      master = (int) i;
  if (master < 0)
    {
      g_set_error_literal (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_NO_VIDEO,
                           _("None of these recordings has video frames."));
      return FALSE;
    }
  frame = frame_duration (medium (self, (guint) master)->player);
  base = self->position;
  if (medium (self, (guint) master)->span == SPAN_IN && !medium (self, (guint) master)->waiting)
    {
      GstClockTime wall = ct_sync_group_get_media_wall (self, (guint) master);

      if (GST_CLOCK_TIME_IS_VALID (wall))
        base = wall;
    }
  if (n < 0)
    target = base > (GstClockTime) -n * frame ? base - (GstClockTime) -n * frame : 0;
  else
    target = MIN (base + (GstClockTime) n * frame, self->duration);
  return ct_sync_group_seek (self, target, CT_PLAYER_SEEK_EXACT, error);
}

gboolean
ct_sync_group_set_rate (CtSyncGroup *self, double rate, GError **error)
{
  GstClockTime t;

  g_return_val_if_fail (CT_IS_SYNC_GROUP (self), FALSE);
  if (!(rate >= CT_PLAYER_RATE_MIN && rate <= CT_PLAYER_RATE_MAX))
    {
      g_set_error (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_INVALID,
                   _("The speed must be between %g× and %g×, not %g×."),
                   CT_PLAYER_RATE_MIN, CT_PLAYER_RATE_MAX, rate);
      return FALSE;
    }
  if (!check_ready (self, error))
    return FALSE;
  if (rate == self->rate)
    return TRUE;
  t = self->state == CT_PLAYER_STATE_PLAYING ? playing_position (self, g_get_monotonic_time ()) : self->position;
  self->rate = rate;
  for (guint i = 0; i < self->media->len; i++)
    if (!ct_player_set_rate (medium (self, i)->player, rate, error))
      return FALSE;
  /* each player kept its own position: line them up again */
  return ct_sync_group_seek (self, MIN (t, self->duration), CT_PLAYER_SEEK_EXACT, error);
}

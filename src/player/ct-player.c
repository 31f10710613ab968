/* ct-player.c — the media player core: GStreamer playbin, no widgets
 *
 * One operation that changes the frame shown (a seek or a frame step) runs
 * at a time; what is asked for meanwhile is merged into one pending
 * operation and made when the running one is done, so scrubbing never
 * queues up dozens of flushing seeks.  Every operation has a time limit:
 * a stream that never prerolls ends the operation anyway.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>

#include "ct-player.h"

GST_DEBUG_CATEGORY_STATIC (ct_player_debug);
#define GST_CAT_DEFAULT ct_player_debug

/* how long a seek or a step may take before it is given up as done */
#define OP_TIMEOUT_MS 5000
/* how long open() waits for a pipeline that timed out to stop */
#define OPEN_WAIT_MS 3000
#define OPEN_WAIT_STEP_MS 20

G_DEFINE_QUARK (ct-player-error-quark, ct_player_error)

G_DEFINE_ENUM_TYPE (CtPlayerState, ct_player_state,
  G_DEFINE_ENUM_VALUE (CT_PLAYER_STATE_STOPPED, "stopped"),
  G_DEFINE_ENUM_VALUE (CT_PLAYER_STATE_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (CT_PLAYER_STATE_PLAYING, "playing"),
  G_DEFINE_ENUM_VALUE (CT_PLAYER_STATE_EOS, "eos"))

/* A step back holds the decoded frames of a GOP (see do_seek_backward):
 * above this size per frame that costs too much memory (a 2 s GOP of 4K
 * is 700 MiB), and steps back are exact seeks instead. */
#define BACKWARD_MAX_PIXELS (1920 * 1088)

typedef enum {
  OP_NONE,
  OP_SEEK,
  OP_STEP,
  OP_PAUSE,   /* PLAYING → PAUSED waits for the sink to preroll */
  OP_PREPARE, /* turns the segment backward on the frame shown: no "seek-done" */
} OpKind;

struct _CtPlayer
{
  GObject parent_instance;

  GMainContext *context;
  GstElement *playbin;
  GstElement *video_sink;   /* what was given, or our appsink */
  GstElement *render_sink;  /* the GstBaseSink inside video_sink */
  gboolean own_appsink;
  GSource *bus_source;
  GThread *stopper;         /* stops a pipeline that did not open in time */
  gint *stopper_done;       /* shared with it; atomic */

  GMutex sample_lock;
  GstSample *last_sample;   /* the appsink's newest frame */

  char *path;
  guint open_timeout_ms;
  GSource *open_timeout;
  GSource *open_idle;       /* reports an error found before GStreamer ran */
  GSource *open_wait;       /* waits for a pipeline stopping in the background */
  GSource *open_watch;      /* looks for a demuxer that gave up silently */
  guint stalled_polls;
  char *open_uri;
  guint open_waits;
  GError *open_error;
  gboolean opening;
  gboolean ready;
  char *missing_plugin;

  CtPlayerState state;
  gboolean want_playing;    /* the state to return to after an operation */
  GstClockTime duration;
  gboolean has_video;
  int fps_n, fps_d;
  int width, height;
  double rate;
  double volume;
  gboolean muted;

  /* the running operation and the merged pending one */
  OpKind busy;
  gint64 busy_since;        /* gst_util_get_timestamp () when it started */
  GSource *op_timeout;
  GstClockTime step_from;   /* the frame shown when the step started */
  gint64 step_target;       /* the frame a step's seek must show, or -1 */
  GSource *step_poll;
  guint step_polls;
  gboolean pending_seek;
  GstClockTime pending_position;
  CtPlayerSeekMode pending_mode;
  int pending_steps;
  gboolean pending_rate;

  /* the last frame the sink held: what stays shown while a flushing seek
   * has emptied the sink (main thread only) */
  GstClockTime shown_pts;

  /* The segment runs backward: a step event then goes to the frame before.
   * Set by a backward step's seek, cleared by any forward seek. */
  gboolean backward;
  gboolean      then_backward;  /* after this exact seek, prepare steps back */
};

static gboolean
small_enough_to_run_backward (CtPlayer *self)
{
  return (gint64) self->width * self->height <= BACKWARD_MAX_PIXELS;
}

G_DEFINE_FINAL_TYPE (CtPlayer, ct_player, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_READY,
  PROP_STATE,
  PROP_DURATION,
  PROP_POSITION,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_RATE,
  PROP_VOLUME,
  PROP_MUTED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_READY,
  SIGNAL_ERROR,
  SIGNAL_EOS,
  SIGNAL_SEEK_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_pending (CtPlayer *self);

/* ---- helpers ------------------------------------------------------------ */

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_source_unref (*source);
      *source = NULL;
    }
}

static GSource *
attach_timeout (CtPlayer *self, guint ms, GSourceFunc func)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

static void
set_state (CtPlayer *self, CtPlayerState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

static char *
display_name (CtPlayer *self)
{
  return self->path != NULL ? g_filename_display_basename (self->path) : g_strdup ("?");
}

static GstClockTime
sample_stream_time (GstSample *sample)
{
  GstBuffer *buffer;
  const GstSegment *segment;
  GstClockTime pts;
  guint64 stream_time = 0;
  int sign;

  if (sample == NULL)
    return GST_CLOCK_TIME_NONE;
  buffer = gst_sample_get_buffer (sample);
  if (buffer == NULL || !GST_BUFFER_PTS_IS_VALID (buffer))
    return GST_CLOCK_TIME_NONE;
  pts = GST_BUFFER_PTS (buffer);
  segment = gst_sample_get_segment (sample);
  if (segment == NULL || segment->format != GST_FORMAT_TIME)
    return pts;
  /* the _full variant: a frame clipped at the segment start still has its
   * own time, not -1 */
  sign = gst_segment_to_stream_time_full (segment, GST_FORMAT_TIME, pts, &stream_time);
  if (sign > 0)
    return stream_time;
  if (sign < 0)
    return 0;
  return pts;
}

/* The first GstBaseSink (an element with "last-sample") inside element. */
static GstElement *
find_render_sink (GstElement *element)
{
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  GstElement *found = NULL;
  gboolean done = FALSE;

  if (!GST_IS_BIN (element))
    {
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (element), "last-sample") != NULL)
        return gst_object_ref (element);
      return NULL;
    }

  it = gst_bin_iterate_recurse (GST_BIN (element));
  while (!done && found == NULL)
    {
      switch (gst_iterator_next (it, &item))
        {
        case GST_ITERATOR_OK:
          {
            GstElement *child = g_value_get_object (&item);

            if (!GST_IS_BIN (child)
                && GST_OBJECT_FLAG_IS_SET (child, GST_ELEMENT_FLAG_SINK)
                && g_object_class_find_property (G_OBJECT_GET_CLASS (child), "last-sample") != NULL)
              found = gst_object_ref (child);
            g_value_reset (&item);
          }
          break;
        case GST_ITERATOR_RESYNC:
          gst_iterator_resync (it);
          break;
        case GST_ITERATOR_ERROR:
        case GST_ITERATOR_DONE:
        default:
          done = TRUE;
          break;
        }
    }
  g_value_unset (&item);
  gst_iterator_free (it);
  return found;
}

/* ---- the default appsink ------------------------------------------------ */

static void
store_sample (CtPlayer *self, GstSample *sample)
{
  if (sample == NULL)
    return;
  g_mutex_lock (&self->sample_lock);
  g_clear_pointer (&self->last_sample, gst_sample_unref);
  self->last_sample = sample;
  g_mutex_unlock (&self->sample_lock);
}

static GstFlowReturn
appsink_new_preroll (GstAppSink *sink, gpointer user_data)
{
  store_sample (user_data, gst_app_sink_pull_preroll (sink));
  return GST_FLOW_OK;
}

static GstFlowReturn
appsink_new_sample (GstAppSink *sink, gpointer user_data)
{
  store_sample (user_data, gst_app_sink_pull_sample (sink));
  return GST_FLOW_OK;
}

/* ---- errors --------------------------------------------------------------- */

static GError *
translate_error (CtPlayer *self, const GError *gst_error)
{
  g_autofree char *name = display_name (self);
  const char *detail = gst_error != NULL && gst_error->message != NULL ? gst_error->message : "";

  if (gst_error == NULL)
    return g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_FAILED,
                        _("Could not play “%s”."), name);

  if (gst_error->domain == GST_RESOURCE_ERROR)
    {
      switch (gst_error->code)
        {
        case GST_RESOURCE_ERROR_NOT_FOUND:
          return g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_NOT_FOUND,
                              _("“%s” does not exist. It may have been moved, renamed or deleted."),
                              name);
        case GST_RESOURCE_ERROR_OPEN_READ:
        case GST_RESOURCE_ERROR_READ:
        case GST_RESOURCE_ERROR_OPEN_READ_WRITE:
        case GST_RESOURCE_ERROR_NOT_AUTHORIZED:
          return g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_NOT_READABLE,
                              _("“%s” cannot be read. Check that the disk is connected and that you may read the file (%s)."),
                              name, detail);
        default:
          break;
        }
    }
  else if (gst_error->domain == GST_STREAM_ERROR)
    {
      switch (gst_error->code)
        {
        case GST_STREAM_ERROR_CODEC_NOT_FOUND:
          return g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_MISSING_PLUGIN,
                              _("“%s” cannot be played because a component is not installed: %s. Install the GStreamer plugins that provide it, or convert the file."),
                              name, self->missing_plugin != NULL ? self->missing_plugin : detail);
        case GST_STREAM_ERROR_TYPE_NOT_FOUND:
        case GST_STREAM_ERROR_WRONG_TYPE:
          return g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_UNSUPPORTED,
                              _("“%s” is not a video or audio file that can be played, or it is too damaged to be recognised. Check that it is the right file, or use the original copy of the recording."),
                              name);
        case GST_STREAM_ERROR_DEMUX:
        case GST_STREAM_ERROR_DECODE:
        case GST_STREAM_ERROR_FORMAT:
        case GST_STREAM_ERROR_FAILED:
          return g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_DAMAGED,
                              _("“%s” is damaged or incomplete and cannot be played (%s). Use the original copy of the recording if there is one."),
                              name, detail);
        default:
          break;
        }
    }
  return g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_FAILED,
                      _("Could not play “%s”: %s"), name, detail);
}

static void
clear_operations (CtPlayer *self)
{
  self->busy = OP_NONE;
  self->then_backward = FALSE;
  destroy_source (&self->op_timeout);
  destroy_source (&self->step_poll);
  self->pending_seek = FALSE;
  self->pending_steps = 0;
  self->pending_rate = FALSE;
}

static void
flush_bus (CtPlayer *self)
{
  GstBus *bus = gst_element_get_bus (self->playbin);

  gst_bus_set_flushing (bus, TRUE);
  gst_bus_set_flushing (bus, FALSE);
  gst_object_unref (bus);
}

typedef struct {
  GstElement *playbin;
  gint *done;
} Stopper;

static gpointer
stopper_thread (gpointer data)
{
  Stopper *stopper = data;

  gst_element_set_state (stopper->playbin, GST_STATE_NULL);
  gst_object_unref (stopper->playbin);
  if (g_atomic_int_dec_and_test (stopper->done))
    g_free (stopper->done);  /* the player let go of it */
  g_free (stopper);
  return NULL;
}

/* Stops the pipeline in a thread: a streaming thread stuck in a read
 * (a FIFO, a dead network share) would block setting the state here. */
static void
start_stopper (CtPlayer *self)
{
  Stopper *stopper = g_new0 (Stopper, 1);

  stopper->playbin = gst_object_ref (self->playbin);
  /* two references: the thread's and ours; the last one frees it */
  self->stopper_done = stopper->done = g_new (gint, 1);
  *stopper->done = 2;
  self->stopper = g_thread_new ("ct-player-stop", stopper_thread, stopper);
}

/* TRUE when no pipeline is being stopped in the background (any more). */
static gboolean
stopper_finished (CtPlayer *self)
{
  if (self->stopper == NULL)
    return TRUE;
  if (g_atomic_int_get (self->stopper_done) > 1)
    return FALSE;
  g_thread_join (g_steal_pointer (&self->stopper));
  g_free (g_steal_pointer (&self->stopper_done));
  flush_bus (self);
  return TRUE;
}

/* Leaves a still-running stopper to itself. */
static void
detach_stopper (CtPlayer *self)
{
  if (self->stopper == NULL)
    return;
  g_thread_unref (g_steal_pointer (&self->stopper));
  if (g_atomic_int_dec_and_test (self->stopper_done))
    g_free (self->stopper_done);
  self->stopper_done = NULL;
}

/* Stops everything and drops the messages of what was running.  A
 * pipeline still being stopped in the background is left alone. */
/* A closed 1080p file leaves some 250 MiB that glibc keeps for the
 * process (the decoder's frames, freed on its threads' arenas); the
 * benchmark measured 412-437 MiB resident after the last close, 189 MiB
 * with this.  The memory is free either way: this returns it to the
 * system, which a reviewer's long day of files notices. */
static void
give_back_memory (void)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

static void
shut_down (CtPlayer *self)
{
  destroy_source (&self->open_timeout);
  destroy_source (&self->open_idle);
  destroy_source (&self->open_wait);
  destroy_source (&self->open_watch);
  g_clear_pointer (&self->open_uri, g_free);
  clear_operations (self);
  if (stopper_finished (self))
    {
      gst_element_set_state (self->playbin, GST_STATE_NULL);
      flush_bus (self);
    }
  g_mutex_lock (&self->sample_lock);
  g_clear_pointer (&self->last_sample, gst_sample_unref);
  g_mutex_unlock (&self->sample_lock);
  self->opening = FALSE;
  self->want_playing = FALSE;
}

static void
fail (CtPlayer *self, GError *error)
{
  GST_INFO_OBJECT (self->playbin, "failed: %s", error->message);
  shut_down (self);
  if (self->ready)
    {
      self->ready = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_READY]);
    }
  set_state (self, CT_PLAYER_STATE_STOPPED);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
  g_error_free (error);
}

static gboolean
open_idle_cb (gpointer user_data)
{
  CtPlayer *self = user_data;
  GError *error = g_steal_pointer (&self->open_error);

  g_source_unref (g_steal_pointer (&self->open_idle));
  fail (self, error);
  return G_SOURCE_REMOVE;
}

static gboolean
open_timeout_cb (gpointer user_data)
{
  CtPlayer *self = user_data;
  g_autofree char *name = display_name (self);
  GError *error;
  guint seconds;

  g_source_unref (g_steal_pointer (&self->open_timeout));
  seconds = (self->open_timeout_ms + 999) / 1000;
  error = g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_TIMEOUT,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "Opening “%s” took longer than %u second. The file may be damaged, or the disk slow or not responding.",
                                    "Opening “%s” took longer than %u seconds. The file may be damaged, or the disk slow or not responding.",
                                    seconds),
                       name, seconds);
  GST_INFO_OBJECT (self->playbin, "open timed out");
  /* A streaming thread stuck in a read would block setting the state here:
   * stop the pipeline in a thread, and ignore it until it has stopped. */
  clear_operations (self);
  destroy_source (&self->open_watch);
  self->opening = FALSE;
  self->want_playing = FALSE;
  start_stopper (self);
  set_state (self, CT_PLAYER_STATE_STOPPED);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
  g_error_free (error);
  return G_SOURCE_REMOVE;
}

/* ---- operations ------------------------------------------------------------ */

static gboolean
op_timeout_cb (gpointer user_data)
{
  CtPlayer *self = user_data;

  g_source_unref (g_steal_pointer (&self->op_timeout));
  GST_WARNING_OBJECT (self->playbin, "operation %d timed out", self->busy);
  self->busy = OP_NONE;
  g_signal_emit (self, signals[SIGNAL_SEEK_DONE], 0);
  run_pending (self);
  return G_SOURCE_REMOVE;
}

static gboolean on_grid (CtPlayer *self, GstClockTime t, GstClockTime *grid);

/* The stream time of the sample the video sink holds, on the frame grid;
 * GST_CLOCK_TIME_NONE when it holds none (before the first frame, or
 * while a flushing seek runs). */
static GstClockTime
sink_frame_pts (CtPlayer *self)
{
  GstSample *sample = NULL;
  GstClockTime pts;

  if (self->own_appsink)
    sample = ct_player_dup_last_sample (self);
  else if (self->render_sink != NULL)
    g_object_get (self->render_sink, "last-sample", &sample, NULL);
  pts = sample_stream_time (sample);
  if (sample != NULL)
    gst_sample_unref (sample);
  on_grid (self, pts, &pts);
  return pts;
}

static void
begin_op (CtPlayer *self, OpKind kind)
{
  if (kind == OP_SEEK || kind == OP_PREPARE)
    {
      /* what stays on screen while the seek flushes the sink; a seek
       * following one that has not shown its frame yet keeps the frame
       * before both */
      GstClockTime pts = sink_frame_pts (self);

      if (GST_CLOCK_TIME_IS_VALID (pts))
        self->shown_pts = pts;
    }
  self->busy = kind;
  self->busy_since = (gint64) gst_util_get_timestamp ();
  self->step_target = -1;
  destroy_source (&self->op_timeout);
  self->op_timeout = attach_timeout (self, OP_TIMEOUT_MS, op_timeout_cb);
}

static gboolean do_seek_backward (CtPlayer *self, GstClockTime position, OpKind kind);
static gboolean do_seek (CtPlayer *self, GstClockTime position, CtPlayerSeekMode mode);
static GstClockTime frame_time (CtPlayer *self, gint64 frame);

static void
end_op (CtPlayer *self)
{
  OpKind finished = self->busy;

  gboolean prepare = self->then_backward;

  destroy_source (&self->op_timeout);
  destroy_source (&self->step_poll);
  self->busy = OP_NONE;
  self->then_backward = FALSE;
  if (self->pending_seek || self->pending_steps != 0 || self->pending_rate)
    run_pending (self);
  if (self->busy != OP_NONE)
    return;
  if (self->want_playing && self->state != CT_PLAYER_STATE_PLAYING)
    {
      /* asked for while the segment was (being) turned backward: forward
       * again from the frame shown first; playing starts after that */
      if (self->backward)
        {
          GstClockTime position = ct_player_get_position (self);

          if (do_seek (self, GST_CLOCK_TIME_IS_VALID (position) ? position : 0, CT_PLAYER_SEEK_EXACT))
            return;
        }
      gst_element_set_state (self->playbin, GST_STATE_PLAYING);
      set_state (self, CT_PLAYER_STATE_PLAYING);
    }
  if (finished != OP_PAUSE && finished != OP_PREPARE)
    g_signal_emit (self, signals[SIGNAL_SEEK_DONE], 0);
  /* The step back is shown; now run the segment backward from that frame
   * for the steps back that may follow.  It takes a while (the GOP is
   * decoded, the first time into new memory); a step asked for meanwhile
   * waits for it, then is a step, not a seek. */
  if (prepare && finished == OP_SEEK && self->busy == OP_NONE && !self->want_playing
      && self->state == CT_PLAYER_STATE_PAUSED)
    {
      gint64 frame = ct_player_get_frame_index (self);

      /* (on the first frame there is nothing before it to step to) */
      if (frame > 0)
        do_seek_backward (self, frame_time (self, frame), OP_PREPARE);
    }
}

/* Pauses; when the sinks have to preroll again, the operations asked for
 * meanwhile wait for it (its ASYNC_DONE would end them too early). */
static void
do_pause (CtPlayer *self)
{
  begin_op (self, OP_PAUSE);
  if (gst_element_set_state (self->playbin, GST_STATE_PAUSED) != GST_STATE_CHANGE_ASYNC)
    {
      destroy_source (&self->op_timeout);
      self->busy = OP_NONE;
    }
  set_state (self, CT_PLAYER_STATE_PAUSED);
}

static GstClockTime
clamp_position (CtPlayer *self, GstClockTime position)
{
  if (GST_CLOCK_TIME_IS_VALID (self->duration) && position > self->duration)
    position = self->duration;
  return position;
}

static GstClockTime frame_time (CtPlayer *self, gint64 frame);
static gint64 frame_of (CtPlayer *self, GstClockTime t);

/* Containers round timestamps (MP4 edit lists subtract rounded offsets,
 * Matroska keeps milliseconds): a frame's time may be off the nominal grid
 * n × fps_d / fps_n s by up to this much, and is then reported on it. */
static GstClockTime
grid_tolerance (CtPlayer *self)
{
  GstClockTime frame = gst_util_uint64_scale (GST_SECOND, (guint64) self->fps_d, (guint64) self->fps_n);

  return MIN (GST_MSECOND, frame / 8);
}

static gboolean
on_grid (CtPlayer *self, GstClockTime t, GstClockTime *grid)
{
  GstClockTime g, diff;

  if (!self->has_video || self->fps_n <= 0 || !GST_CLOCK_TIME_IS_VALID (t))
    return FALSE;
  g = frame_time (self, frame_of (self, t));
  diff = g > t ? g - t : t - g;
  if (diff > grid_tolerance (self))
    return FALSE;
  if (grid != NULL)
    *grid = g;
  return TRUE;
}

static gboolean
do_seek (CtPlayer *self, GstClockTime position, CtPlayerSeekMode mode)
{
  GstSeekFlags flags = GST_SEEK_FLAG_FLUSH;

  if (mode == CT_PLAYER_SEEK_EXACT)
    flags |= GST_SEEK_FLAG_ACCURATE;
  else
    flags |= GST_SEEK_FLAG_KEY_UNIT | GST_SEEK_FLAG_SNAP_NEAREST;

  position = clamp_position (self, position);
  /* A frame's own time asks for that frame: aim just inside it, so that
   * rounding in the container cannot show the frame before it instead. */
  if (mode == CT_PLAYER_SEEK_EXACT && on_grid (self, position, &position))
    position += grid_tolerance (self);
  GST_DEBUG_OBJECT (self->playbin, "seek to %" GST_TIME_FORMAT " rate %g mode %d",
                    GST_TIME_ARGS (position), self->rate, mode);
  begin_op (self, OP_SEEK);
  self->backward = FALSE;
  /* the stop is set too: a backward segment ended where it started */
  if (!gst_element_seek (self->playbin, self->rate, GST_FORMAT_TIME, flags,
                         GST_SEEK_TYPE_SET, (gint64) position,
                         GST_SEEK_TYPE_SET, GST_CLOCK_TIME_NONE))
    {
      GST_WARNING_OBJECT (self->playbin, "seek refused");
      destroy_source (&self->op_timeout);
      self->busy = OP_NONE;
      return FALSE;
    }
  if (self->state == CT_PLAYER_STATE_EOS)
    set_state (self, CT_PLAYER_STATE_PAUSED);
  return TRUE;
}

/* Shows the frame at @position by running the segment backward from it:
 * the decoder then holds the frames of the GOP before it, and each further
 * step back is a step event like a step forward — the frame is already
 * decoded — instead of an exact seek decoding from the keyframe every
 * time.  Falls back to an exact forward seek when the pipeline refuses to
 * run backward. */
static gboolean
do_seek_backward (CtPlayer *self, GstClockTime position, OpKind kind)
{
  GstSeekFlags flags = GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE;
  GstClockTime stop;

  position = clamp_position (self, position);
  /* the segment ends just inside the frame: it is the first one shown */
  stop = on_grid (self, position, &position) ? position + grid_tolerance (self) : position;
  GST_DEBUG_OBJECT (self->playbin, "backward to %" GST_TIME_FORMAT, GST_TIME_ARGS (stop));
  begin_op (self, kind);
  if (!gst_element_seek (self->playbin, -1.0, GST_FORMAT_TIME, flags,
                         GST_SEEK_TYPE_SET, 0, GST_SEEK_TYPE_SET, (gint64) stop))
    {
      GST_INFO_OBJECT (self->playbin, "no backward segment; exact seek instead");
      destroy_source (&self->op_timeout);
      self->busy = OP_NONE;
      /* when preparing, the frame is shown already: steps back stay seeks */
      return kind == OP_PREPARE ? FALSE : do_seek (self, position, CT_PLAYER_SEEK_EXACT);
    }
  self->backward = TRUE;
  if (self->state == CT_PLAYER_STATE_EOS)
    set_state (self, CT_PLAYER_STATE_PAUSED);
  return TRUE;
}

/* Steps |n| frames in the direction the segment runs. */
static gboolean
do_step_forward (CtPlayer *self, int n)
{
  GstEvent *event = gst_event_new_step (GST_FORMAT_BUFFERS, (guint64) n, 1.0, TRUE, FALSE);

  GST_DEBUG_OBJECT (self->playbin, "step %d%s", n, self->backward ? " backward" : "");
  begin_op (self, OP_STEP);
  self->step_from = ct_player_get_last_frame_pts (self);
  if (!gst_element_send_event (self->video_sink, event))
    {
      GST_WARNING_OBJECT (self->playbin, "step refused");
      destroy_source (&self->op_timeout);
      self->busy = OP_NONE;
      return FALSE;
    }
  return TRUE;
}

static GstClockTime
frame_time (CtPlayer *self, gint64 frame)
{
  if (frame < 0)
    frame = 0;
  return gst_util_uint64_scale ((guint64) frame, (guint64) self->fps_d * GST_SECOND,
                                (guint64) self->fps_n);
}

static gint64
frame_of (CtPlayer *self, GstClockTime t)
{
  if (!GST_CLOCK_TIME_IS_VALID (t) || self->fps_n <= 0 || self->fps_d <= 0)
    return -1;
  return (gint64) gst_util_uint64_scale_round (t, (guint64) self->fps_n,
                                               (guint64) self->fps_d * GST_SECOND);
}

/* Makes the merged pending operation, if any. */
static void
run_pending (CtPlayer *self)
{
  gboolean seek = self->pending_seek, rate = self->pending_rate;
  int steps = self->pending_steps;
  GstClockTime position = self->pending_position;
  CtPlayerSeekMode mode = self->pending_mode;

  self->pending_seek = FALSE;
  self->pending_rate = FALSE;
  self->pending_steps = 0;

  /* steps back asked for while the segment was turned backward */
  if (steps < 0 && !seek && !rate && self->backward && self->has_video
      && self->state != CT_PLAYER_STATE_EOS && ct_player_get_frame_index (self) + steps >= 0)
    {
      if (!do_step_forward (self, -steps))
        g_signal_emit (self, signals[SIGNAL_SEEK_DONE], 0);
    }
  else if (seek || rate || steps < 0)
    {
      if (!seek)
        {
          position = ct_player_get_position (self);
          if (!GST_CLOCK_TIME_IS_VALID (position))
            position = 0;
          mode = CT_PLAYER_SEEK_EXACT;
        }
      if (steps != 0 && self->has_video)
        {
          position = frame_time (self, frame_of (self, position) + steps);
          mode = CT_PLAYER_SEEK_EXACT;
        }
      if (!do_seek (self, position, mode))
        g_signal_emit (self, signals[SIGNAL_SEEK_DONE], 0);
      else if (!seek && !rate && steps < 0)
        self->then_backward = small_enough_to_run_backward (self);
    }
  else if (steps > 0)
    {
      gboolean ok;

      if (self->backward)
        ok = do_seek (self, frame_time (self, MAX (ct_player_get_frame_index (self), 0) + steps),
                      CT_PLAYER_SEEK_EXACT);
      else
        ok = do_step_forward (self, steps);
      if (!ok)
        g_signal_emit (self, signals[SIGNAL_SEEK_DONE], 0);
    }
}

/* ---- the bus ---------------------------------------------------------------- */

static void
read_stream_info (CtPlayer *self)
{
  gint64 duration = -1;

  if (gst_element_query_duration (self->playbin, GST_FORMAT_TIME, &duration) && duration >= 0)
    self->duration = (GstClockTime) duration;
  else
    self->duration = GST_CLOCK_TIME_NONE;

  /* video: the video sink has negotiated caps (works with playbin3 too) */
  self->has_video = FALSE;
  self->fps_n = 0;
  self->fps_d = 1;
  self->width = self->height = 0;
  if (self->render_sink != NULL)
    {
      GstPad *pad = gst_element_get_static_pad (self->render_sink, "sink");
      GstCaps *caps = pad != NULL ? gst_pad_get_current_caps (pad) : NULL;
      GstVideoInfo info;

      if (caps != NULL && gst_video_info_from_caps (&info, caps))
        {
          self->has_video = TRUE;
          self->width = GST_VIDEO_INFO_WIDTH (&info);
          self->height = GST_VIDEO_INFO_HEIGHT (&info);
          self->fps_n = GST_VIDEO_INFO_FPS_N (&info);
          self->fps_d = GST_VIDEO_INFO_FPS_D (&info) > 0 ? GST_VIDEO_INFO_FPS_D (&info) : 1;
        }
      if (caps != NULL)
        gst_caps_unref (caps);
      if (pad != NULL)
        gst_object_unref (pad);
    }
  GST_INFO_OBJECT (self->playbin, "duration %" GST_TIME_FORMAT ", video %d, %dx%d, %d/%d fps",
                   GST_TIME_ARGS (self->duration), self->has_video, self->width, self->height,
                   self->fps_n, self->fps_d);
}

/* A new frame is shown (the sink may have no last sample for a moment). */
static gboolean
step_landed (CtPlayer *self)
{
  if (self->step_target >= 0)
    return ct_player_get_frame_index (self) == self->step_target;
  GstClockTime pts = ct_player_get_last_frame_pts (self);

  return GST_CLOCK_TIME_IS_VALID (pts) && pts != self->step_from;
}

static gboolean
step_poll_cb (gpointer user_data)
{
  CtPlayer *self = user_data;

  if (!step_landed (self) && ++self->step_polls < 250)
    return G_SOURCE_CONTINUE;
  g_source_unref (g_steal_pointer (&self->step_poll));
  end_op (self);
  return G_SOURCE_REMOVE;
}

/* libav's video decoders decode into buffers of the downstream pool
 * ("direct rendering").  Running a segment backward holds a whole GOP of
 * decoded frames: from the pool, each step back over a keyframe took
 * 330-640 ms at 1080p (its frames went to freshly allocated memory, 170
 * MiB, every time); from libav's own pool, which keeps its memory, 40-80
 * ms.  The price is a copy of each frame shown, about 1 ms at 1080p.  The
 * first frame is still decoded into the pool: the copy into fresh memory
 * made the first open in a process some 20 ms slower.  A decoder picks
 * the change up when it renegotiates, which reconfiguring asks for. */
static void
decode_into_own_pool (CtPlayer *self)
{
  g_autoptr(GstIterator) it = gst_bin_iterate_recurse (GST_BIN (self->playbin));
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GstElement *element = g_value_get_object (&item);

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (element), "direct-rendering") != NULL)
        {
          GstPad *src = gst_element_get_static_pad (element, "src");

          g_object_set (element, "direct-rendering", FALSE, NULL);
          if (src != NULL)
            {
              gst_pad_mark_reconfigure (src);
              gst_object_unref (src);
            }
          GST_DEBUG_OBJECT (self->playbin, "%s: no direct rendering", GST_ELEMENT_NAME (element));
        }
      g_value_reset (&item);
    }
  g_value_unset (&item);
}

/* Messages carry no time of their own: stamp the ones that end operations
 * when they are posted, to tell those of an earlier state change from
 * those of the running seek. */
static GstBusSyncReply
bus_sync_cb (GstBus *bus, GstMessage *message, gpointer user_data)
{
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ASYNC_DONE)
    GST_MESSAGE_TIMESTAMP (message) = gst_util_get_timestamp ();
  return GST_BUS_PASS;
}

static gboolean
bus_cb (GstBus *bus, GstMessage *message, gpointer user_data)
{
  CtPlayer *self = user_data;

  if (self->stopper != NULL)
    {
      /* a message of the pipeline given up on */
      stopper_finished (self);
      return G_SOURCE_CONTINUE;
    }

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gst_error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &gst_error, &debug);
        GST_INFO_OBJECT (self->playbin, "error from %s: %s (%s)",
                         GST_MESSAGE_SRC_NAME (message), gst_error->message,
                         debug != NULL ? debug : "");
        fail (self, translate_error (self, gst_error));
      }
      break;

    case GST_MESSAGE_ELEMENT:
      if (gst_is_missing_plugin_message (message))
        {
          g_free (self->missing_plugin);
          self->missing_plugin = gst_missing_plugin_message_get_description (message);
        }
      break;

    case GST_MESSAGE_ASYNC_DONE:
      if (GST_MESSAGE_SRC (message) != GST_OBJECT (self->playbin))
        break;
      if (self->opening)
        {
          self->opening = FALSE;
          destroy_source (&self->open_timeout);
          destroy_source (&self->open_watch);
          read_stream_info (self);
          decode_into_own_pool (self);
          self->ready = TRUE;
          set_state (self, CT_PLAYER_STATE_PAUSED);
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DURATION]);
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_WIDTH]);
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HEIGHT]);
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_READY]);
          g_signal_emit (self, signals[SIGNAL_READY], 0);
        }
      else if ((self->busy == OP_SEEK || self->busy == OP_PAUSE || self->busy == OP_PREPARE)
               && GST_MESSAGE_TIMESTAMP (message) != GST_CLOCK_TIME_NONE
               && (gint64) GST_MESSAGE_TIMESTAMP (message) >= self->busy_since
               && self->step_poll == NULL)
        {
          /* A step's seek ends when its frame is there: the ASYNC_DONE of
           * the step before it can come late, after the seek began. */
          if (self->busy == OP_SEEK && self->step_target >= 0 && !step_landed (self))
            {
              self->step_polls = 0;
              self->step_poll = attach_timeout (self, 2, step_poll_cb);
            }
          else
            end_op (self);
        }
      break;

    case GST_MESSAGE_STEP_DONE:
      if (self->busy == OP_STEP && self->step_poll == NULL)
        {
          gboolean eos = FALSE;

          gst_message_parse_step_done (message, NULL, NULL, NULL, NULL, NULL, NULL, &eos);
          /* the step is done when the frames are skipped; the next frame
           * may be prerolled a moment later */
          if (eos || step_landed (self))
            end_op (self);
          else
            {
              self->step_polls = 0;
              self->step_poll = attach_timeout (self, 2, step_poll_cb);
            }
        }
      break;

    case GST_MESSAGE_EOS:
      if (self->ready)
        {
          /* keep the last frame shown; a seek or play() goes on from here */
          self->want_playing = FALSE;
          gst_element_set_state (self->playbin, GST_STATE_PAUSED);
          set_state (self, CT_PLAYER_STATE_EOS);
          g_signal_emit (self, signals[SIGNAL_EOS], 0);
        }
      break;

    case GST_MESSAGE_DURATION_CHANGED:
      if (self->ready)
        {
          gint64 duration = -1;

          if (gst_element_query_duration (self->playbin, GST_FORMAT_TIME, &duration)
              && duration >= 0 && (GstClockTime) duration != self->duration)
            {
              self->duration = (GstClockTime) duration;
              g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DURATION]);
            }
        }
      break;

    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/* ---- GObject ---------------------------------------------------------------- */

static void
ct_player_dispose (GObject *object)
{
  CtPlayer *self = CT_PLAYER (object);

  if (self->playbin != NULL)
    {
      if (self->own_appsink)
        {
          GstAppSinkCallbacks none = { NULL };

          gst_app_sink_set_callbacks (GST_APP_SINK (self->video_sink), &none, NULL, NULL);
        }
      shut_down (self);
      detach_stopper (self);
      destroy_source (&self->bus_source);
      gst_clear_object (&self->render_sink);
      gst_clear_object (&self->video_sink);
      gst_clear_object (&self->playbin);
      give_back_memory ();
    }
  g_clear_error (&self->open_error);
  G_OBJECT_CLASS (ct_player_parent_class)->dispose (object);
}

static void
ct_player_finalize (GObject *object)
{
  CtPlayer *self = CT_PLAYER (object);

  g_clear_pointer (&self->last_sample, gst_sample_unref);
  g_mutex_clear (&self->sample_lock);
  g_free (self->path);
  g_free (self->missing_plugin);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (ct_player_parent_class)->finalize (object);
}

static void
ct_player_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CtPlayer *self = CT_PLAYER (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DURATION:
      g_value_set_uint64 (value, self->duration);
      break;
    case PROP_POSITION:
      g_value_set_uint64 (value, ct_player_get_position (self));
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_VOLUME:
      g_value_set_double (value, self->volume);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ct_player_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CtPlayer *self = CT_PLAYER (object);

  switch (prop_id)
    {
    case PROP_RATE:
      {
        g_autoptr(GError) error = NULL;

        if (!ct_player_set_rate (self, g_value_get_double (value), &error))
          g_warning ("%s", error->message);
      }
      break;
    case PROP_VOLUME:
      ct_player_set_volume (self, g_value_get_double (value));
      break;
    case PROP_MUTED:
      ct_player_set_muted (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ct_player_class_init (CtPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  GST_DEBUG_CATEGORY_INIT (ct_player_debug, "ctplayer", 0, "Casetrail player core");

  object_class->dispose = ct_player_dispose;
  object_class->finalize = ct_player_finalize;
  object_class->get_property = ct_player_get_property;
  object_class->set_property = ct_player_set_property;

  props[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL,
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, CT_TYPE_PLAYER_STATE,
                                         CT_PLAYER_STATE_STOPPED,
                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_DURATION] = g_param_spec_uint64 ("duration", NULL, NULL, 0, G_MAXUINT64, GST_CLOCK_TIME_NONE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* never notified: read it on every frame clock tick */
  props[PROP_POSITION] = g_param_spec_uint64 ("position", NULL, NULL, 0, G_MAXUINT64, GST_CLOCK_TIME_NONE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_WIDTH] = g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0,
                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_HEIGHT] = g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0,
                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, CT_PLAYER_RATE_MIN, CT_PLAYER_RATE_MAX, 1.0,
                                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_VOLUME] = g_param_spec_double ("volume", NULL, NULL, 0.0, 1.0, 1.0,
                                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_MUTED] = g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* the file is open and its first frame shown (paused) */
  signals[SIGNAL_READY] = g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* opening or playing failed; the player is stopped */
  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_EOS] = g_signal_new ("eos", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* a seek or frame step (and every merged one) is done: the frame shown
   * is the one asked for */
  signals[SIGNAL_SEEK_DONE] = g_signal_new ("seek-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ct_player_init (CtPlayer *self)
{
  g_mutex_init (&self->sample_lock);
  self->context = g_main_context_ref_thread_default ();
  self->open_timeout_ms = CT_PLAYER_DEFAULT_OPEN_TIMEOUT_MS;
  self->step_target = -1;
  self->duration = GST_CLOCK_TIME_NONE;
  self->shown_pts = GST_CLOCK_TIME_NONE;
  self->fps_d = 1;
  self->rate = 1.0;
  self->volume = 1.0;
}


/* What a playbin asks for when it opens a body-worn-camera recording (MP4
 * or Matroska, H.264/H.265, AAC).  Loading a plugin holds GStreamer's
 * plugin-loading lock: a pipeline made while this runs waits for it (libav
 * alone takes about 100 ms), so this is for start-up, not for open(). */
static const char *const preload_plugins[] = {
  "coreelements", "playback", "typefindfunctions", "isomp4", "matroska",
  "videoparsersbad", "audioparsers", "libav", "videoconvertscale",
  "deinterlace", "videofilter", "autodetect",
  "audioconvert", "audioresample", "volume", "audiofx",
};

static gpointer
preload_thread (gpointer data)
{
  gint64 t0 = g_get_monotonic_time ();
  guint n = 0;

  /* the class initialises GStreamer and the debug category */
  g_type_class_unref (g_type_class_ref (CT_TYPE_PLAYER));
  for (guint i = 0; i < G_N_ELEMENTS (preload_plugins); i++)
    {
      /* a plugin that is not installed is not an error here: opening
       * says which one a file needs */
      GstPlugin *plugin = gst_plugin_load_by_name (preload_plugins[i]);

      if (plugin != NULL)
        {
          n++;
          gst_object_unref (plugin);
        }
    }
  GST_DEBUG ("preloaded %u plugins in %.1f ms", n, (g_get_monotonic_time () - t0) / 1000.0);
  return NULL;
}

void
ct_player_preload (void)
{
  static gsize started = 0;

  if (g_once_init_enter (&started))
    {
      /* runs detached: the plugins stay loaded for the process anyway */
      g_thread_unref (g_thread_new ("ct-player-preload", preload_thread, NULL));
      g_once_init_leave (&started, 1);
    }
}

CtPlayer *
ct_player_new (GstElement *video_sink)
{
  CtPlayer *self = g_object_new (CT_TYPE_PLAYER, NULL);
  GstElement *scaletempo;
  GstBus *bus;

  g_return_val_if_fail (video_sink == NULL || GST_IS_ELEMENT (video_sink), self);

  /* CT_PLAYER_PLAYBIN=playbin3 tries the newer playbin (the tests pass
   * with both); playbin stays the default on GStreamer 1.22 */
  self->playbin = gst_element_factory_make (g_getenv ("CT_PLAYER_PLAYBIN") != NULL
                                            ? g_getenv ("CT_PLAYER_PLAYBIN") : "playbin", NULL);
  if (self->playbin == NULL)
    g_error ("GStreamer's playbin is not installed (gstreamer1.0-plugins-base)");
  gst_object_ref_sink (self->playbin);

  if (video_sink == NULL)
    {
      GstAppSinkCallbacks callbacks = {
        .new_preroll = appsink_new_preroll,
        .new_sample = appsink_new_sample,
      };
      GstCaps *caps = gst_caps_new_empty_simple ("video/x-raw");

      video_sink = gst_element_factory_make ("appsink", "ct-player-video-sink");
      g_object_set (video_sink,
                    "caps", caps,
                    "sync", TRUE,
                    "max-buffers", 1,
                    "drop", TRUE,
                    "enable-last-sample", FALSE,
                    NULL);
      gst_caps_unref (caps);
      gst_app_sink_set_callbacks (GST_APP_SINK (video_sink), &callbacks, self, NULL);
      self->own_appsink = TRUE;
    }
  self->video_sink = gst_object_ref_sink (video_sink);
  self->render_sink = find_render_sink (video_sink);
  if (self->render_sink == NULL)
    g_warning ("CtPlayer: the video sink has no GstBaseSink; frame positions fall back to queries");
  g_object_set (self->playbin, "video-sink", self->video_sink, NULL);

  /* keep the pitch at other rates */
  scaletempo = gst_element_factory_make ("scaletempo", NULL);
  if (scaletempo != NULL)
    g_object_set (self->playbin, "audio-filter", scaletempo, NULL);

  bus = gst_element_get_bus (self->playbin);
  gst_bus_set_sync_handler (bus, bus_sync_cb, NULL, NULL);
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, G_SOURCE_FUNC (bus_cb), self, NULL);
  g_source_attach (self->bus_source, self->context);
  gst_object_unref (bus);

  return self;
}

/* ---- opening ------------------------------------------------------------------- */

void
ct_player_set_open_timeout (CtPlayer *self, guint timeout_ms)
{
  g_return_if_fail (CT_IS_PLAYER (self));
  self->open_timeout_ms = timeout_ms > 0 ? timeout_ms : CT_PLAYER_DEFAULT_OPEN_TIMEOUT_MS;
}

static void
reset_info (CtPlayer *self)
{
  gboolean was_ready = self->ready;

  self->ready = FALSE;
  self->backward = FALSE;
  self->shown_pts = GST_CLOCK_TIME_NONE;
  self->duration = GST_CLOCK_TIME_NONE;
  self->has_video = FALSE;
  self->fps_n = 0;
  self->fps_d = 1;
  self->width = self->height = 0;
  g_clear_pointer (&self->missing_plugin, g_free);
  g_clear_error (&self->open_error);
  if (self->rate != 1.0)
    {
      /* every recording starts at normal speed */
      self->rate = 1.0;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RATE]);
    }
  if (was_ready)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_READY]);
  set_state (self, CT_PLAYER_STATE_STOPPED);
}

/* A demuxer whose streaming task has paused without exposing a single
 * stream has given up on the file.  Its error message can be lost: decodebin
 * drops the errors an element posts while decodebin is still setting its
 * state (GStreamer 1.22), which a truncated MP4 hits often on a busy
 * machine, and the pipeline would then wait for a preroll that never
 * comes. */
static gboolean
demuxer_gave_up (GstElement *element)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  const char *klass;
  gboolean gave_up = FALSE;
  GstPad *pad;

  if (factory == NULL)
    return FALSE;
  klass = gst_element_factory_get_metadata (factory, GST_ELEMENT_METADATA_KLASS);
  if (klass == NULL || strstr (klass, "Demux") == NULL || element->numsrcpads > 0)
    return FALSE;
  pad = gst_element_get_static_pad (element, "sink");
  if (pad == NULL)
    return FALSE;
  GST_OBJECT_LOCK (pad);
  if (GST_PAD_TASK (pad) != NULL && gst_task_get_state (GST_PAD_TASK (pad)) == GST_TASK_PAUSED)
    gave_up = TRUE;
  GST_OBJECT_UNLOCK (pad);
  gst_object_unref (pad);
  return gave_up;
}

static gboolean
any_demuxer_gave_up (CtPlayer *self)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (self->playbin));
  GValue item = G_VALUE_INIT;
  gboolean found = FALSE, done = FALSE;

  while (!done && !found)
    {
      switch (gst_iterator_next (it, &item))
        {
        case GST_ITERATOR_OK:
          found = demuxer_gave_up (g_value_get_object (&item));
          g_value_reset (&item);
          break;
        case GST_ITERATOR_RESYNC:
          gst_iterator_resync (it);
          break;
        default:
          done = TRUE;
          break;
        }
    }
  g_value_unset (&item);
  gst_iterator_free (it);
  return found;
}

static gboolean
open_watch_cb (gpointer user_data)
{
  CtPlayer *self = user_data;
  g_autofree char *name = NULL;

  if (!any_demuxer_gave_up (self))
    {
      self->stalled_polls = 0;
      return G_SOURCE_CONTINUE;
    }
  /* give a late error message the time to arrive first */
  if (++self->stalled_polls < 3)
    return G_SOURCE_CONTINUE;
  GST_INFO_OBJECT (self->playbin, "the demuxer stopped without any stream");
  g_source_unref (g_steal_pointer (&self->open_watch));
  name = display_name (self);
  fail (self, g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_DAMAGED,
                           _("“%s” is damaged or incomplete and cannot be played: no video or audio stream could be read from it. Use the original copy of the recording if there is one."),
                           name));
  return G_SOURCE_REMOVE;
}

static void
start_pipeline (CtPlayer *self, const char *uri)
{
  g_object_set (self->playbin, "uri", uri, NULL);
  self->open_timeout = attach_timeout (self, self->open_timeout_ms, open_timeout_cb);
  self->stalled_polls = 0;
  self->open_watch = attach_timeout (self, 100, open_watch_cb);
  /* a failure here is followed by an error message on the bus */
  if (gst_element_set_state (self->playbin, GST_STATE_PAUSED) == GST_STATE_CHANGE_NO_PREROLL)
    {
      /* a live source: never happens with files, but do not wait for it */
      g_autofree char *name = display_name (self);

      self->opening = FALSE;
      destroy_source (&self->open_timeout);
      fail (self, g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_UNSUPPORTED,
                               _("“%s” is a live stream, not a recording."), name));
    }
}

static gboolean
open_wait_cb (gpointer user_data)
{
  CtPlayer *self = user_data;
  g_autofree char *uri = NULL;

  if (!stopper_finished (self) && ++self->open_waits < OPEN_WAIT_MS / OPEN_WAIT_STEP_MS)
    return G_SOURCE_CONTINUE;
  g_source_unref (g_steal_pointer (&self->open_wait));
  uri = g_steal_pointer (&self->open_uri);
  if (self->stopper == NULL)
    start_pipeline (self, uri);
  else
    {
      g_autofree char *name = display_name (self);

      fail (self, g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_TIMEOUT,
                               _("“%s” cannot be opened yet: the recording opened before it is still not responding. Try again in a moment."),
                               name));
    }
  return G_SOURCE_REMOVE;
}

void
ct_player_open (CtPlayer *self, const char *path)
{
  g_autofree char *absolute = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) uri_error = NULL;
  GError *error = NULL;

  g_return_if_fail (CT_IS_PLAYER (self));
  g_return_if_fail (path != NULL);

  shut_down (self);
  reset_info (self);
  g_free (self->path);
  self->path = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PATH]);
  name = display_name (self);

  /* what can be told before GStreamer runs, with a plainer message */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    error = g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_NOT_FOUND,
                         _("“%s” does not exist. It may have been moved, renamed or deleted."), name);
  else if (g_file_test (path, G_FILE_TEST_IS_DIR))
    error = g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_NOT_READABLE,
                         _("“%s” is a folder, not a video or audio file."), name);
  else if (g_access (path, R_OK) != 0)
    error = g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_NOT_READABLE,
                         _("You may not read “%s”. Check the file’s permissions."), name);
  else
    {
      absolute = g_canonicalize_filename (path, NULL);
      uri = g_filename_to_uri (absolute, NULL, &uri_error);
      if (uri == NULL)
        error = g_error_new (CT_PLAYER_ERROR, CT_PLAYER_ERROR_NOT_READABLE,
                             _("“%s” cannot be opened: %s"), name, uri_error->message);
    }

  if (error != NULL)
    {
      /* always report asynchronously, like GStreamer's own errors */
      self->open_error = error;
      self->open_idle = g_idle_source_new ();
      g_source_set_callback (self->open_idle, open_idle_cb, self, NULL);
      g_source_attach (self->open_idle, self->context);
      return;
    }

  self->opening = TRUE;
  if (!stopper_finished (self))
    {
      /* the pipeline given up on last time is still stopping */
      self->open_uri = g_steal_pointer (&uri);
      self->open_waits = 0;
      self->open_wait = attach_timeout (self, OPEN_WAIT_STEP_MS, open_wait_cb);
      return;
    }
  start_pipeline (self, uri);
}

void
ct_player_close (CtPlayer *self)
{
  g_return_if_fail (CT_IS_PLAYER (self));
  shut_down (self);
  reset_info (self);
  give_back_memory ();
}

/* ---- getters -------------------------------------------------------------------- */

const char *
ct_player_get_path (CtPlayer *self)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), NULL);
  return self->path;
}

gboolean
ct_player_is_ready (CtPlayer *self)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), FALSE);
  return self->ready;
}

CtPlayerState
ct_player_get_state (CtPlayer *self)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), CT_PLAYER_STATE_STOPPED);
  return self->state;
}

GstClockTime
ct_player_get_duration (CtPlayer *self)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), GST_CLOCK_TIME_NONE);
  return self->duration;
}

GstSample *
ct_player_dup_last_sample (CtPlayer *self)
{
  GstSample *sample = NULL;

  g_return_val_if_fail (CT_IS_PLAYER (self), NULL);
  g_mutex_lock (&self->sample_lock);
  if (self->last_sample != NULL)
    sample = gst_sample_ref (self->last_sample);
  g_mutex_unlock (&self->sample_lock);
  return sample;
}

GstClockTime
ct_player_get_last_frame_pts (CtPlayer *self)
{
  GstClockTime pts;

  g_return_val_if_fail (CT_IS_PLAYER (self), GST_CLOCK_TIME_NONE);
  pts = sink_frame_pts (self);
  /* A flushing seek empties the sink until its frame arrives; the frame
   * shown when the seek began is still the one on screen. */
  if (!GST_CLOCK_TIME_IS_VALID (pts) && self->ready && (self->busy == OP_SEEK || self->busy == OP_PREPARE))
    pts = self->shown_pts;
  return pts;
}

GstClockTime
ct_player_get_position (CtPlayer *self)
{
  GstClockTime pts;
  gint64 position = -1;

  g_return_val_if_fail (CT_IS_PLAYER (self), GST_CLOCK_TIME_NONE);
  if (!self->ready)
    return GST_CLOCK_TIME_NONE;
  if (self->has_video)
    {
      pts = ct_player_get_last_frame_pts (self);
      if (GST_CLOCK_TIME_IS_VALID (pts))
        return pts;
    }
  if (gst_element_query_position (self->playbin, GST_FORMAT_TIME, &position) && position >= 0)
    return (GstClockTime) position;
  return GST_CLOCK_TIME_NONE;
}

gint64
ct_player_get_frame_index (CtPlayer *self)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), -1);
  if (!self->has_video)
    return -1;
  return frame_of (self, ct_player_get_last_frame_pts (self));
}

GstClockTime
ct_player_frame_to_time (CtPlayer *self, guint64 frame)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), GST_CLOCK_TIME_NONE);
  if (self->fps_n <= 0)
    return GST_CLOCK_TIME_NONE;
  return frame_time (self, (gint64) frame);
}

gboolean
ct_player_get_framerate (CtPlayer *self, int *fps_n, int *fps_d)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), FALSE);
  if (fps_n != NULL)
    *fps_n = self->fps_n;
  if (fps_d != NULL)
    *fps_d = self->fps_d;
  return self->has_video && self->fps_n > 0;
}

gboolean
ct_player_get_size (CtPlayer *self, int *width, int *height)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), FALSE);
  if (width != NULL)
    *width = self->width;
  if (height != NULL)
    *height = self->height;
  return self->has_video;
}

gboolean
ct_player_has_video (CtPlayer *self)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), FALSE);
  return self->has_video;
}

GstElement *
ct_player_get_pipeline (CtPlayer *self)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), NULL);
  return self->playbin;
}

/* ---- control -------------------------------------------------------------------- */

static gboolean
check_ready (CtPlayer *self, GError **error)
{
  if (self->ready)
    return TRUE;
  g_set_error_literal (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_NOT_READY,
                       _("No recording is open."));
  return FALSE;
}

gboolean
ct_player_play (CtPlayer *self, GError **error)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), FALSE);
  if (!check_ready (self, error))
    return FALSE;
  self->want_playing = TRUE;
  if (self->state == CT_PLAYER_STATE_EOS)
    {
      /* from the start again; playing resumes when the seek is done */
      clear_operations (self);
      do_seek (self, 0, CT_PLAYER_SEEK_EXACT);
      return TRUE;
    }
  if (self->busy != OP_NONE)
    return TRUE;  /* resumed when the operation is done */
  if (self->backward)
    {
      /* forward again from the frame shown; playing resumes after */
      GstClockTime position = ct_player_get_position (self);

      if (do_seek (self, GST_CLOCK_TIME_IS_VALID (position) ? position : 0, CT_PLAYER_SEEK_EXACT))
        return TRUE;
    }
  if (gst_element_set_state (self->playbin, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_FAILED,
                           _("The recording cannot be played."));
      return FALSE;
    }
  set_state (self, CT_PLAYER_STATE_PLAYING);
  return TRUE;
}

gboolean
ct_player_pause (CtPlayer *self, GError **error)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), FALSE);
  if (!check_ready (self, error))
    return FALSE;
  self->want_playing = FALSE;
  if (self->state != CT_PLAYER_STATE_PLAYING)
    return TRUE;
  if (self->busy != OP_NONE)
    {
      /* a seek while playing: it ends paused */
      gst_element_set_state (self->playbin, GST_STATE_PAUSED);
      set_state (self, CT_PLAYER_STATE_PAUSED);
      return TRUE;
    }
  do_pause (self);
  return TRUE;
}

gboolean
ct_player_seek (CtPlayer *self, GstClockTime position, CtPlayerSeekMode mode, GError **error)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), FALSE);
  if (!check_ready (self, error))
    return FALSE;
  if (!GST_CLOCK_TIME_IS_VALID (position))
    {
      g_set_error_literal (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_INVALID,
                           _("The position to go to is not valid."));
      return FALSE;
    }
  if (self->busy != OP_NONE)
    {
      self->pending_seek = TRUE;
      self->pending_position = position;
      self->pending_mode = mode;
      self->pending_steps = 0;
      return TRUE;
    }
  if (!do_seek (self, position, mode))
    {
      g_set_error_literal (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_FAILED,
                           _("This recording does not allow going to another position."));
      return FALSE;
    }
  return TRUE;
}

gboolean
ct_player_seek_frame (CtPlayer *self, guint64 frame, GError **error)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), FALSE);
  if (!check_ready (self, error))
    return FALSE;
  if (!self->has_video || self->fps_n <= 0)
    {
      g_set_error_literal (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_NO_VIDEO,
                           _("This recording has no video frames."));
      return FALSE;
    }
  return ct_player_seek (self, frame_time (self, (gint64) frame), CT_PLAYER_SEEK_EXACT, error);
}

gboolean
ct_player_step_frames (CtPlayer *self, int n, GError **error)
{
  GstClockTime target;
  gint64 frame;
  gboolean ok;

  g_return_val_if_fail (CT_IS_PLAYER (self), FALSE);
  if (!check_ready (self, error))
    return FALSE;
  if (!self->has_video || self->fps_n <= 0)
    {
      g_set_error_literal (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_NO_VIDEO,
                           _("This recording has no video frames."));
      return FALSE;
    }
  if (n == 0)
    return TRUE;

  self->want_playing = FALSE;
  if (self->state == CT_PLAYER_STATE_PLAYING)
    {
      /* pause on the next frame; the step runs from there */
      if (self->busy == OP_NONE)
        do_pause (self);
      else
        {
          gst_element_set_state (self->playbin, GST_STATE_PAUSED);
          set_state (self, CT_PLAYER_STATE_PAUSED);
        }
    }

  if (self->busy != OP_NONE)
    {
      self->pending_steps += n;
      return TRUE;
    }

  frame = MAX (ct_player_get_frame_index (self), 0);
  target = frame_time (self, MAX (frame + n, 0));
  if (n > 0 && !self->backward && self->state != CT_PLAYER_STATE_EOS)
    ok = do_step_forward (self, n);
  else if (n < 0 && self->backward && frame + n >= 0 && self->state != CT_PLAYER_STATE_EOS)
    ok = do_step_forward (self, -n);   /* the segment runs backward: this goes back */
  else
    {
      /* Back: an exact seek shows the frame soonest (the GOP decoded
       * forward up to it); the segment is turned backward after it, for
       * the steps back that may follow (see end_op ()). */
      ok = do_seek (self, target, CT_PLAYER_SEEK_EXACT);
      self->then_backward = ok && n < 0 && small_enough_to_run_backward (self);
      /* (not past the end, where the seek shows the last frame) */
      if (ok && (n < 0 || !GST_CLOCK_TIME_IS_VALID (self->duration) || target < self->duration))
        self->step_target = MAX (frame + n, 0);
    }

  if (!ok)
    g_set_error_literal (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_FAILED,
                         _("This recording does not allow stepping through frames."));
  return ok;
}

gboolean
ct_player_set_rate (CtPlayer *self, double rate, GError **error)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), FALSE);
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
  self->rate = rate;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RATE]);
  if (self->busy != OP_NONE)
    {
      self->pending_rate = TRUE;
      return TRUE;
    }
  self->pending_rate = TRUE;
  run_pending (self);
  return TRUE;
}

double
ct_player_get_rate (CtPlayer *self)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), 1.0);
  return self->rate;
}

void
ct_player_set_volume (CtPlayer *self, double volume)
{
  g_return_if_fail (CT_IS_PLAYER (self));
  volume = CLAMP (volume, 0.0, 1.0);
  if (volume == self->volume)
    return;
  self->volume = volume;
  g_object_set (self->playbin, "volume", volume, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VOLUME]);
}

double
ct_player_get_volume (CtPlayer *self)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), 1.0);
  return self->volume;
}

void
ct_player_set_muted (CtPlayer *self, gboolean muted)
{
  g_return_if_fail (CT_IS_PLAYER (self));
  muted = !!muted;
  if (muted == self->muted)
    return;
  self->muted = muted;
  g_object_set (self->playbin, "mute", muted, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MUTED]);
}

gboolean
ct_player_get_muted (CtPlayer *self)
{
  g_return_val_if_fail (CT_IS_PLAYER (self), FALSE);
  return self->muted;
}

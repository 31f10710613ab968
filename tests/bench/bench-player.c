#define G_LOG_DOMAIN "casetrail-bench"

/* Benchmark: the player against GtkVideo's media backend (issue 5).
 *
 * On a 1080p, 30 fps, H.264/MP4 file with a keyframe every 2 s (made here
 * with gst-launch-1.0 when missing, cached), in one run:
 *
 *   - CtPlayer with the GTK paintable sink (frames really reach a
 *     GdkPaintable): open → first frame, 50 random exact seeks, frame
 *     steps +1 and −1;
 *   - GtkMediaFile (GTK's GStreamer backend, what GtkVideo plays with):
 *     open → first frame and the same 50 seeks.  GtkMediaStream has no
 *     frame-step API: its "step" is emulated by a seek of one frame
 *     duration, and said so.
 *
 * Each player runs in a child process of its own (this program with
 * --side), one after the other, on the same file: GTK 4.8's GStreamer
 * backend does not stop the pipeline of a file it closes (its threads and
 * buffers stay), and in a shared process that slowed whichever player
 * opened next.  Both children report their thread count and resident
 * memory before the first open and after the last close, so the leak is
 * shown, not hidden.
 *
 * Targets: first frame < 300 ms, seek < 150 ms median, frame step < 50 ms,
 * none slower than GtkVideo.  Figures are printed, never judged by the exit
 * status: the benchmark fails only when something cannot run at all.
 *
 * Environment:
 *   CASETRAIL_BENCH_VIDEO          the file to use (made there if missing)
 *   CASETRAIL_BENCH_VIDEO_SECONDS  its length when made (default 600)
 *
 * Neither player renders into a window: both hand textures to their
 * paintable on the main context, which is where the clock stops.
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <gst/gst.h>

#include "ct-player.h"
#include "ct-paintable-sink.h"

#define N_SEEKS 50
#define N_STEPS 30
#define N_OPENS 21
#define N_COLD_PAIRS 3
#define SEED 20260505
#define WAIT_LIMIT_US (30 * G_USEC_PER_SEC)

#define TARGET_OPEN_MS 300.0
#define TARGET_SEEK_MS 150.0
#define TARGET_STEP_MS 50.0

/* ------------------------------------------------------------------ */
/* statistics */

typedef struct {
  double median;
  double p90;
  double max;
  guint n;
} Stats;

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static Stats
stats_of (const double *samples, guint n)
{
  Stats s = { -1, -1, -1, n };
  g_autofree double *sorted = NULL;

  if (n == 0)
    return s;
  sorted = g_memdup2 (samples, n * sizeof (double));
  qsort (sorted, n, sizeof (double), cmp_double);
  s.median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  s.p90 = sorted[MIN (n - 1, (n * 9) / 10)];
  s.max = sorted[n - 1];
  return s;
}

static double
ms_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the default main context until *flag_a and *flag_b are both set,
 * or the wait limit passes (FALSE). */
static gboolean
wait_for (const gboolean *flag_a, const gboolean *flag_b)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;
  gboolean done = TRUE;
  /* wakes the loop now and then, so a wait with no events still ends */
  guint tick = g_timeout_add (100, wake_cb, NULL);

  while (!(*flag_a && *flag_b))
    {
      if (g_get_monotonic_time () > limit)
        {
          done = FALSE;
          break;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
  return done;
}

/* Lets whatever is already queued (a late frame, a notify) run, so it is
 * not counted for the next operation. */
static void
drain (void)
{
  gint64 until = g_get_monotonic_time () + 20000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

/* ------------------------------------------------------------------ */
/* the test file */

static char *
bench_video_path (guint seconds)
{
  const char *env = g_getenv ("CASETRAIL_BENCH_VIDEO");
  g_autofree char *name = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  name = g_strdup_printf ("casetrail-bench-1080p30-%us.mp4", seconds);
  return g_build_filename (g_get_tmp_dir (), name, NULL);
}

static gboolean
ensure_video (const char *path, guint seconds)
{
  g_autofree char *part = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *quoted = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  gint64 t0;

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_print ("video: %s (cached)\n", path);
      return TRUE;
    }

  part = g_strconcat (path, ".part", NULL);
  quoted = g_shell_quote (part);
  /* ball: a moving ball, so frames differ and P-frames carry data;
   * key-int-max=60: a keyframe every 2 s at 30 fps */
  cmd = g_strdup_printf ("gst-launch-1.0 -q videotestsrc pattern=ball num-buffers=%u"
                         " ! video/x-raw,width=1920,height=1080,framerate=30/1,format=I420"
                         " ! x264enc speed-preset=ultrafast key-int-max=60"
                         " ! video/x-h264,profile=constrained-baseline ! h264parse"
                         " ! mp4mux ! filesink location=%s",
                         seconds * 30, quoted);
  g_print ("video: making %s (1920x1080, 30 fps, %u s, H.264/MP4, keyframe every 2 s)…\n",
           path, seconds);
  t0 = g_get_monotonic_time ();
  if (!g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, error ? NULL : &error))
    {
      g_printerr ("could not make the test video: %s\n", error ? error->message : "failed");
      g_unlink (part);
      return FALSE;
    }
  if (g_rename (part, path) != 0)
    {
      g_printerr ("could not rename %s: %s\n", part, g_strerror (errno));
      return FALSE;
    }
  g_print ("video: made in %.1f s\n", ms_since (t0) / 1000.0);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* CtPlayer + paintable sink */

typedef struct {
  CtPlayer *player;
  GdkPaintable *paintable;
  gboolean ready;
  gboolean seek_done;
  gboolean frame;
  GError *error;
} Ours;

static void
ours_ready_cb (CtPlayer *player, gpointer user_data)
{
  ((Ours *) user_data)->ready = TRUE;
}

static void
ours_error_cb (CtPlayer *player, const GError *error, gpointer user_data)
{
  Ours *o = user_data;

  g_clear_error (&o->error);
  o->error = g_error_copy (error);
  o->ready = TRUE;   /* ends the wait */
  o->frame = TRUE;
}

static void
ours_seek_done_cb (CtPlayer *player, gpointer user_data)
{
  ((Ours *) user_data)->seek_done = TRUE;
}

static void
ours_frame_cb (GdkPaintable *paintable, gpointer user_data)
{
  ((Ours *) user_data)->frame = TRUE;
}

static void
ours_close (Ours *o)
{
  if (o->player != NULL)
    {
      g_signal_handlers_disconnect_by_data (o->player, o);
      ct_player_close (o->player);
    }
  if (o->paintable != NULL)
    g_signal_handlers_disconnect_by_data (o->paintable, o);
  g_clear_object (&o->player);
  g_clear_object (&o->paintable);
  g_clear_error (&o->error);
  drain ();
}

/* Opens path; returns the time to the first frame at the paintable, in
 * ms, or -1. */
static double
ours_open (Ours *o, const char *path)
{
  GstElement *sink;
  gint64 t0;

  t0 = g_get_monotonic_time ();
  sink = ct_paintable_sink_new_bin (&o->paintable);
  o->player = ct_player_new (sink);
  o->ready = o->frame = FALSE;
  g_signal_connect (o->player, "ready", G_CALLBACK (ours_ready_cb), o);
  g_signal_connect (o->player, "error", G_CALLBACK (ours_error_cb), o);
  g_signal_connect (o->player, "seek-done", G_CALLBACK (ours_seek_done_cb), o);
  g_signal_connect (o->paintable, "invalidate-contents", G_CALLBACK (ours_frame_cb), o);
  ct_player_open (o->player, path);
  if (!wait_for (&o->ready, &o->frame))
    {
      g_printerr ("CtPlayer: no first frame within %d s\n", (int) (WAIT_LIMIT_US / G_USEC_PER_SEC));
      return -1;
    }
  if (o->error != NULL)
    {
      g_printerr ("CtPlayer: open failed: %s\n", o->error->message);
      return -1;
    }
  return ms_since (t0);
}

typedef enum { OP_SEEK, OP_STEP } OpKind;

/* One seek or step, timed to "seek-done" and the new frame at the
 * paintable; -1 when it did not end. */
static double
ours_op (Ours *o, OpKind kind, GstClockTime target, int n)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;
  gint64 t0;

  drain ();
  o->seek_done = o->frame = FALSE;
  t0 = g_get_monotonic_time ();
  if (kind == OP_SEEK)
    ok = ct_player_seek (o->player, target, CT_PLAYER_SEEK_EXACT, &error);
  else
    ok = ct_player_step_frames (o->player, n, &error);
  if (!ok)
    {
      g_printerr ("CtPlayer: %s failed: %s\n", kind == OP_SEEK ? "seek" : "step", error->message);
      return -1;
    }
  if (!wait_for (&o->seek_done, &o->frame) || o->error != NULL)
    {
      g_printerr ("CtPlayer: %s did not end%s%s\n", kind == OP_SEEK ? "seek" : "step",
                  o->error ? ": " : "", o->error ? o->error->message : "");
      return -1;
    }
  return ms_since (t0);
}

/* ------------------------------------------------------------------ */
/* GtkMediaFile (GtkVideo's backend) */

typedef struct {
  GtkMediaStream *stream;
  gboolean prepared;
  gboolean not_seeking;
  gboolean frame;
  gboolean failed;
} Theirs;

static void
theirs_frame_cb (GdkPaintable *paintable, gpointer user_data)
{
  ((Theirs *) user_data)->frame = TRUE;
}

static void
theirs_notify_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  Theirs *t = user_data;
  GtkMediaStream *stream = GTK_MEDIA_STREAM (object);

  if (gtk_media_stream_get_error (stream) != NULL)
    {
      t->failed = TRUE;
      t->prepared = t->not_seeking = t->frame = TRUE;   /* ends the wait */
      return;
    }
  if (gtk_media_stream_is_prepared (stream))
    t->prepared = TRUE;
  if (!gtk_media_stream_is_seeking (stream))
    t->not_seeking = TRUE;
}

static void
theirs_close (Theirs *t)
{
  if (t->stream != NULL)
    {
      g_signal_handlers_disconnect_by_data (t->stream, t);
      gtk_media_file_clear (GTK_MEDIA_FILE (t->stream));
    }
  g_clear_object (&t->stream);
  drain ();
}

static double
theirs_open (Theirs *t, const char *path)
{
  gint64 t0;

  t->prepared = t->frame = t->failed = FALSE;
  t0 = g_get_monotonic_time ();
  /* new_for_filename starts loading at once: connect right after, on the
   * same main-context turn, before anything can be dispatched */
  t->stream = gtk_media_file_new_for_filename (path);
  g_signal_connect (t->stream, "notify", G_CALLBACK (theirs_notify_cb), t);
  g_signal_connect (t->stream, "invalidate-contents", G_CALLBACK (theirs_frame_cb), t);
  if (!wait_for (&t->prepared, &t->frame))
    {
      g_printerr ("GtkMediaFile: no first frame within %d s\n", (int) (WAIT_LIMIT_US / G_USEC_PER_SEC));
      return -1;
    }
  if (t->failed)
    {
      const GError *e = gtk_media_stream_get_error (t->stream);
      g_printerr ("GtkMediaFile: open failed: %s\n", e ? e->message : "?");
      return -1;
    }
  return ms_since (t0);
}

static double
theirs_seek (Theirs *t, gint64 timestamp_us)
{
  gint64 t0;

  drain ();
  t->not_seeking = t->frame = FALSE;
  if (!gtk_media_stream_is_seekable (t->stream))
    {
      g_printerr ("GtkMediaFile: not seekable\n");
      return -1;
    }
  t0 = g_get_monotonic_time ();
  gtk_media_stream_seek (t->stream, timestamp_us);
  if (!wait_for (&t->not_seeking, &t->frame) || t->failed)
    {
      g_printerr ("GtkMediaFile: seek did not end\n");
      return -1;
    }
  return ms_since (t0);
}

/* ------------------------------------------------------------------ */
/* report */

static void
row (const char *metric, const Stats *ours, const Stats *theirs, double target_ms,
     const char *their_note)
{
  /* pad by characters, not bytes: the labels hold → and − */
  glong pad = MAX (0, 22 - g_utf8_strlen (metric, -1));

  if (theirs != NULL && theirs->median >= 0)
    g_print ("%s%*s %9.1f %9.1f %9.1f   %9.1f %9.1f %9.1f   < %5.0f\n", metric, (int) pad, "",
             ours->median, ours->p90, ours->max, theirs->median, theirs->p90, theirs->max, target_ms);
  else
    g_print ("%s%*s %9.1f %9.1f %9.1f   %9s %9s %9s   < %5.0f\n", metric, (int) pad, "",
             ours->median, ours->p90, ours->max, "n/a", "", "", target_ms);
  if (their_note != NULL)
    g_print ("%-22s   (GtkVideo: %s)\n", "", their_note);
}

static void
result (const char *metric, const Stats *ours, const Stats *theirs, double target_ms,
        const char *their_note)
{
  const char *vs;
  g_autofree char *theirs_text = NULL;

  if (theirs == NULL || theirs->median < 0)
    {
      vs = "n/a";
      theirs_text = g_strdup ("n/a");
    }
  else
    {
      vs = ours->median <= theirs->median ? "yes" : "NO";
      theirs_text = g_strdup_printf ("%.1f ms", theirs->median);
    }
  g_print ("RESULT %-16s ours median %7.1f ms (p90 %7.1f, n=%u)  target < %.0f ms: %-12s"
           "  GtkVideo %s%s%s  none slower than GtkVideo: %s\n",
           metric, ours->median, ours->p90, ours->n, target_ms,
           ours->median >= 0 && ours->median < target_ms ? "PASS" : "BELOW-TARGET",
           theirs_text, their_note ? " " : "", their_note ? their_note : "", vs);
}

/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* what a child process reports: "key value…" lines on its stdout */

static guint
count_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* VmRSS: or VmHWM: (the peak) of this process, in KiB */
static guint64
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strdup_printf ("\n%s:", field);
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, key);
  return line != NULL ? g_ascii_strtoull (line + strlen (key), NULL, 10) : 0;
}

static void
report_process (const char *when)
{
  g_print ("process %s %u %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n", when,
           count_threads (), status_kib ("VmRSS"), status_kib ("VmHWM"));
}

/* The same random frames on both sides: anywhere but the last second. */
static void
pick_frames (guint64 n_frames, guint64 *frames)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);

  for (guint i = 0; i < N_SEEKS; i++)
    frames[i] = (guint64) g_rand_int_range (rand, 0, (gint32) (n_frames - 30));
}

static GstClockTime
time_of_frame (guint64 frame, int fps_n, int fps_d)
{
  return gst_util_uint64_scale (frame, (guint64) fps_d * GST_SECOND, (guint64) fps_n);
}

static int
side_ours (const char *path)
{
  Ours ours = { 0 };
  guint64 frames[N_SEEKS];
  guint64 n_frames;
  GstClockTime duration;
  int fps_n = 30, fps_d = 1, width = 0, height = 0;
  guint n_inexact = 0, n_step_wrong = 0;
  double ms;

  report_process ("start");
  /* the first open in the process pays for loading the plugins */
  ms = ours_open (&ours, path);
  if (ms < 0)
    return 1;
  g_print ("cold %.3f\n", ms);
  duration = ct_player_get_duration (ours.player);
  ct_player_get_framerate (ours.player, &fps_n, &fps_d);
  ct_player_get_size (ours.player, &width, &height);
  ours_close (&ours);
  if (!GST_CLOCK_TIME_IS_VALID (duration) || fps_n <= 0 || fps_d <= 0)
    {
      g_printerr ("CtPlayer: no duration or frame rate for %s\n", path);
      return 1;
    }
  n_frames = gst_util_uint64_scale (duration, fps_n, (guint64) fps_d * GST_SECOND);
  g_print ("info %" G_GUINT64_FORMAT " %d %d %d %d %" G_GUINT64_FORMAT "\n",
           duration, fps_n, fps_d, width, height, n_frames);
  if (n_frames < 120)
    {
      g_printerr ("the file is too short\n");
      return 1;
    }

  for (guint i = 0; i < N_OPENS; i++)
    {
      ms = ours_open (&ours, path);
      ours_close (&ours);
      if (ms < 0)
        return 1;
      g_print ("open %.3f\n", ms);
    }

  pick_frames (n_frames, frames);
  if (ours_open (&ours, path) < 0)
    return 1;
  for (guint i = 0; i < N_SEEKS; i++)
    {
      ms = ours_op (&ours, OP_SEEK, ct_player_frame_to_time (ours.player, frames[i]), 0);
      if (ms < 0)
        return 1;
      g_print ("seek %.3f\n", ms);
      if (ct_player_get_frame_index (ours.player) != (gint64) frames[i])
        n_inexact++;
    }

  /* steps from the middle of a GOP, half-way through the file */
  {
    guint64 start = (n_frames / 2 / 60) * 60 + 25;
    gint64 expect = (gint64) start;

    if (ours_op (&ours, OP_SEEK, ct_player_frame_to_time (ours.player, start), 0) < 0)
      return 1;
    for (guint i = 0; i < N_STEPS; i++)
      {
        ms = ours_op (&ours, OP_STEP, 0, 1);
        if (ms < 0)
          return 1;
        g_print ("step+ %.3f\n", ms);
        if (ct_player_get_frame_index (ours.player) != ++expect)
          n_step_wrong++;
      }
    for (guint i = 0; i < N_STEPS; i++)
      {
        ms = ours_op (&ours, OP_STEP, 0, -1);
        if (ms < 0)
          return 1;
        g_print ("step- %.3f\n", ms);
        if (ct_player_get_frame_index (ours.player) != --expect)
          n_step_wrong++;
      }
  }
  ours_close (&ours);
  g_print ("inexact %u\nstep-wrong %u\n", n_inexact, n_step_wrong);
  report_process ("end");
  return 0;
}

static int
side_gtkvideo (const char *path, guint64 n_frames, int fps_n, int fps_d)
{
  Theirs theirs = { 0 };
  guint64 frames[N_SEEKS];
  double ms;

  report_process ("start");
  ms = theirs_open (&theirs, path);
  if (ms < 0)
    {
      g_printerr ("GtkVideo baseline could not run (is GTK's GStreamer media backend,"
                  " libgtk-4-media-gstreamer, installed?)\n");
      return 1;
    }
  g_print ("cold %.3f\n", ms);
  theirs_close (&theirs);

  for (guint i = 0; i < N_OPENS; i++)
    {
      ms = theirs_open (&theirs, path);
      theirs_close (&theirs);
      if (ms < 0)
        return 1;
      g_print ("open %.3f\n", ms);
    }

  pick_frames (n_frames, frames);
  if (theirs_open (&theirs, path) < 0)
    return 1;
  for (guint i = 0; i < N_SEEKS; i++)
    {
      GstClockTime t = time_of_frame (frames[i], fps_n, fps_d);

      /* rounded up to the microsecond, so the time falls inside the frame */
      ms = theirs_seek (&theirs, (gint64) ((t + 999) / 1000));
      if (ms < 0)
        return 1;
      g_print ("seek %.3f\n", ms);
    }
  {
    guint64 start = (n_frames / 2 / 60) * 60 + 25;
    gint64 ts = (gint64) gst_util_uint64_scale_ceil (start, (guint64) fps_d * G_USEC_PER_SEC, fps_n);

    if (theirs_seek (&theirs, ts) < 0)
      return 1;
    for (guint i = 0; i < N_STEPS; i++)
      {
        ts = (gint64) gst_util_uint64_scale_ceil (start + i + 1, (guint64) fps_d * G_USEC_PER_SEC, fps_n);
        ms = theirs_seek (&theirs, ts);
        if (ms < 0)
          return 1;
        g_print ("step+ %.3f\n", ms);
      }
  }
  theirs_close (&theirs);
  report_process ("end");
  return 0;
}

/* One open in a fresh process: what the first recording a user opens
 * costs (the plugins are loaded then). */
static int
side_cold (const char *path, gboolean gtkvideo)
{
  double ms;

  if (gtkvideo)
    {
      Theirs theirs = { 0 };

      ms = theirs_open (&theirs, path);
      theirs_close (&theirs);
    }
  else
    {
      Ours ours = { 0 };

      ms = ours_open (&ours, path);
      ours_close (&ours);
    }
  if (ms < 0)
    return 1;
  g_print ("cold %.3f\n", ms);
  return 0;
}

/* ------------------------------------------------------------------ */
/* the parent: runs both sides and compares */

typedef struct {
  GArray *open, *seek, *step_fwd, *step_back, *colds;
  double cold;
  guint64 duration, n_frames;
  int fps_n, fps_d, width, height;
  guint inexact, step_wrong;
  guint threads_start, threads_end;
  guint64 rss_start, rss_end, peak;
} Side;

static void
side_init (Side *side)
{
  memset (side, 0, sizeof *side);
  side->cold = -1;
  side->open = g_array_new (FALSE, FALSE, sizeof (double));
  side->seek = g_array_new (FALSE, FALSE, sizeof (double));
  side->step_fwd = g_array_new (FALSE, FALSE, sizeof (double));
  side->step_back = g_array_new (FALSE, FALSE, sizeof (double));
  side->colds = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
side_clear (Side *side)
{
  g_array_unref (side->open);
  g_array_unref (side->seek);
  g_array_unref (side->step_fwd);
  g_array_unref (side->step_back);
  g_array_unref (side->colds);
}

static gboolean
run_side (const char *self_path, const char *const *args, Side *side)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) self_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  /* the child's stderr is ours: its complaints are seen as they come */
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("%s %s: %s\n", args[0], args[1], error->message);
      return FALSE;
    }

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);
      guint n = g_strv_length (f);
      double v = n > 1 ? g_ascii_strtod (f[1], NULL) : 0;

      if (n < 2)
        continue;
      if (g_str_equal (f[0], "cold"))
        {
          side->cold = v;
          g_array_append_val (side->colds, v);
        }
      else if (g_str_equal (f[0], "open"))
        g_array_append_val (side->open, v);
      else if (g_str_equal (f[0], "seek"))
        g_array_append_val (side->seek, v);
      else if (g_str_equal (f[0], "step+"))
        g_array_append_val (side->step_fwd, v);
      else if (g_str_equal (f[0], "step-"))
        g_array_append_val (side->step_back, v);
      else if (g_str_equal (f[0], "inexact"))
        side->inexact = (guint) v;
      else if (g_str_equal (f[0], "step-wrong"))
        side->step_wrong = (guint) v;
      else if (g_str_equal (f[0], "info") && n == 7)
        {
          side->duration = g_ascii_strtoull (f[1], NULL, 10);
          side->fps_n = atoi (f[2]);
          side->fps_d = atoi (f[3]);
          side->width = atoi (f[4]);
          side->height = atoi (f[5]);
          side->n_frames = g_ascii_strtoull (f[6], NULL, 10);
        }
      else if (g_str_equal (f[0], "process") && n == 5)
        {
          gboolean start = g_str_equal (f[1], "start");
          guint threads = (guint) atoi (f[2]);
          guint64 rss = g_ascii_strtoull (f[3], NULL, 10);

          *(start ? &side->threads_start : &side->threads_end) = threads;
          *(start ? &side->rss_start : &side->rss_end) = rss;
          side->peak = MAX (side->peak, g_ascii_strtoull (f[4], NULL, 10));
        }
    }
  return TRUE;
}

static Stats
stats_of_array (GArray *a)
{
  return stats_of ((const double *) a->data, a->len);
}

static const char *
arg_value (int argc, char **argv, const char *name)
{
  for (int i = 1; i + 1 < argc; i++)
    if (g_str_equal (argv[i], name))
      return argv[i + 1];
  return NULL;
}

int
main (int argc, char **argv)
{
  guint seconds = 600;
  const char *env_seconds = g_getenv ("CASETRAIL_BENCH_VIDEO_SECONDS");
  const char *side = arg_value (argc, argv, "--side");
  g_autofree char *path = NULL;
  g_autofree char *frames_arg = NULL, *fps_n_arg = NULL, *fps_d_arg = NULL;
  Side o, t;
  Stats s_open_o, s_open_t, s_seek_o, s_seek_t, s_fwd, s_back, s_step_t;
  g_autofree char *step_note = NULL;

  /* g_print writes in the locale's charset: the labels hold → and − */
  setlocale (LC_ALL, "");
  if (side != NULL)
    {
      const char *video = arg_value (argc, argv, "--video");

      if (video == NULL)
        return 2;
      gst_init (NULL, NULL);
      gtk_init ();
      if (g_str_equal (side, "ours"))
        return side_ours (video);
      if (g_str_equal (side, "ours-cold") || g_str_equal (side, "gtkvideo-cold"))
        return side_cold (video, g_str_equal (side, "gtkvideo-cold"));
      if (g_str_equal (side, "gtkvideo"))
        {
          const char *frames = arg_value (argc, argv, "--frames");
          const char *fps_n = arg_value (argc, argv, "--fps-n");
          const char *fps_d = arg_value (argc, argv, "--fps-d");

          if (frames == NULL || fps_n == NULL || fps_d == NULL)
            return 2;
          return side_gtkvideo (video, g_ascii_strtoull (frames, NULL, 10),
                                atoi (fps_n), atoi (fps_d));
        }
      return 2;
    }

  if (env_seconds != NULL && *env_seconds != '\0')
    {
      guint64 v = g_ascii_strtoull (env_seconds, NULL, 10);
      if (v < 10 || v > 36000)
        {
          g_printerr ("CASETRAIL_BENCH_VIDEO_SECONDS: %s is not between 10 and 36000\n", env_seconds);
          return 1;
        }
      seconds = (guint) v;
    }

  gst_init (&argc, &argv);
  path = bench_video_path (seconds);
  if (!ensure_video (path, seconds))
    return 1;

  side_init (&o);
  side_init (&t);
  {
    const char *ours_args[] = { "--side", "ours", "--video", path, NULL };
    const char *their_args[] = { "--side", "gtkvideo", "--video", path,
                                 "--frames", NULL, "--fps-n", NULL, "--fps-d", NULL, NULL };

    if (!run_side (argv[0], ours_args, &o))
      return 1;
    frames_arg = g_strdup_printf ("%" G_GUINT64_FORMAT, o.n_frames);
    fps_n_arg = g_strdup_printf ("%d", o.fps_n);
    fps_d_arg = g_strdup_printf ("%d", o.fps_d);
    their_args[5] = frames_arg;
    their_args[7] = fps_n_arg;
    their_args[9] = fps_d_arg;
    if (!run_side (argv[0], their_args, &t))
      return 1;
  }
  /* The first open of each side above is not a fair pair: the side that
   * runs second finds the libraries and the plugin registry in the page
   * cache.  Fresh processes, one open each, in alternating order: */
  g_array_set_size (o.colds, 0);
  g_array_set_size (t.colds, 0);
  for (guint i = 0; i < 2 * N_COLD_PAIRS; i++)
    {
      gboolean gtkvideo = (i % 2 == 0) == (i / 2 % 2 == 1);
      const char *cold_args[] = { "--side", gtkvideo ? "gtkvideo-cold" : "ours-cold",
                                  "--video", path, NULL };

      if (!run_side (argv[0], cold_args, gtkvideo ? &t : &o))
        return 1;
    }
  if (o.open->len != N_OPENS || o.seek->len != N_SEEKS || o.step_fwd->len != N_STEPS
      || o.step_back->len != N_STEPS || t.open->len != N_OPENS || t.seek->len != N_SEEKS
      || t.step_fwd->len != N_STEPS)
    {
      g_printerr ("a side did not report all its figures\n");
      return 1;
    }

  s_open_o = stats_of_array (o.open);
  s_open_t = stats_of_array (t.open);
  s_seek_o = stats_of_array (o.seek);
  s_seek_t = stats_of_array (t.seek);
  s_fwd = stats_of_array (o.step_fwd);
  s_back = stats_of_array (o.step_back);
  s_step_t = stats_of_array (t.step_fwd);

  g_print ("\n%s: %dx%d, %d/%d fps, %.0f s, %" G_GUINT64_FORMAT " frames, seed %d\n",
           path, o.width, o.height, o.fps_n, o.fps_d, o.duration / 1e9, o.n_frames, SEED);
  g_print ("each player ran in its own process, CtPlayer first; %d opens, %d seeks, %d steps each way\n",
           N_OPENS, N_SEEKS, N_STEPS);
  g_print ("first open in a fresh process (loads the plugins): %d each, in alternating order\n",
           N_COLD_PAIRS);
  g_print ("CtPlayer seeks are exact (ACCURATE); %u of %d ended off the frame asked for;"
           " %u of %d frame steps ended off the expected frame\n",
           o.inexact, N_SEEKS, o.step_wrong, 2 * N_STEPS);
  g_print ("GtkVideo (GtkMediaFile, GStreamer backend) seeks as GTK 4.8 does: GstPlayer's"
           " default configuration, not ACCURATE, so not frame-exact\n");
  g_print ("threads / resident memory, before the first open → after the last close (peak):\n"
           "  CtPlayer %u → %u threads, %.0f → %.0f MiB (%.0f);"
           "  GtkVideo %u → %u threads, %.0f → %.0f MiB (%.0f)\n\n",
           o.threads_start, o.threads_end, o.rss_start / 1024.0, o.rss_end / 1024.0, o.peak / 1024.0,
           t.threads_start, t.threads_end, t.rss_start / 1024.0, t.rss_end / 1024.0, t.peak / 1024.0);
  g_print ("%-22s %29s   %29s   %7s\n", "", "CtPlayer (ms)", "GtkVideo (ms)", "target");
  g_print ("%-22s %9s %9s %9s   %9s %9s %9s\n", "metric", "median", "p90", "max",
           "median", "p90", "max");
  row ("open → first frame", &s_open_o, &s_open_t, TARGET_OPEN_MS, NULL);
  row ("seek (50 random)", &s_seek_o, &s_seek_t, TARGET_SEEK_MS, NULL);
  row ("frame step +1", &s_fwd, &s_step_t, TARGET_STEP_MS,
       "no frame-step API; emulated by a seek of +1 frame");
  row ("frame step −1", &s_back, NULL, TARGET_STEP_MS, "no frame-step API: n/a");
  g_print ("\n");

  step_note = g_strdup ("(emulated: seek +1 frame)");
  {
    Stats cold_o = stats_of_array (o.colds), cold_t = stats_of_array (t.colds);
    result ("open-cold", &cold_o, &cold_t, TARGET_OPEN_MS, "(first open in a fresh process)");
  }
  result ("open", &s_open_o, &s_open_t, TARGET_OPEN_MS, NULL);
  result ("seek", &s_seek_o, &s_seek_t, TARGET_SEEK_MS, NULL);
  result ("step+1", &s_fwd, &s_step_t, TARGET_STEP_MS, step_note);
  result ("step-1", &s_back, NULL, TARGET_STEP_MS, "(no frame-step API)");
  side_clear (&o);
  side_clear (&t);
  return 0;
}

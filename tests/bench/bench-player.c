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
 * --side): GTK 4.8's GStreamer backend does not stop the pipeline of a
 * file it closes (its threads and buffers stay), and in a shared process
 * that slowed whichever player opened next.  Both children stay alive and
 * the parent drives them line by line: every open, seek and step is done
 * by one and then the other, the order changing each time, so a busy
 * moment of the machine falls on both.  Each comparison is reported as
 * the median of the paired differences with its 95 % interval (sign
 * test): "faster" or "slower" only when the interval leaves out 0, "equal
 * within the noise" otherwise.  Both children report their thread count
 * and resident memory before the first open and after the last close, so
 * the leak is shown, not hidden.
 *
 * The first open of a process, which loads the plugins, is measured in
 * fresh processes, alternating; and once more as the application has it,
 * with the plugins loaded at start-up (ct_player_preload ()).
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
#include <stdarg.h>
#include <stdio.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <gst/gst.h>

#include "ct-player.h"
#include "ct-paintable-sink.h"

#define N_SEEKS 50
#define N_STEPS 30
/* steps back: from 55 frames into a GOP to 5 frames into the one before */
#define N_BACK_STEPS 60
#define N_OPENS 21
#define N_COLD_PAIRS 8
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
/* a child process: one player, driven line by line from stdin */

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

/* one answer line to the parent, flushed: it waits for it */
G_GNUC_PRINTF (1, 2) static void
reply (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

static GstClockTime
time_of_frame (guint64 frame, int fps_n, int fps_d)
{
  return gst_util_uint64_scale (frame, (guint64) fps_d * GST_SECOND, (guint64) fps_n);
}

/* Commands, one a line; each is answered by one line:
 *   open            open → first frame, then close    "open MS"
 *   load            open and keep it open              "load MS"
 *   info            (CtPlayer) the file's figures      "info DURATION FPS_N FPS_D W H FRAMES"
 *   unload          close what load opened              "unload 0"
 *   idle MS         run the main loop MS ms             "idle 0"
 *   seek FRAME      exact seek                         "seek MS SHOWN" (SHOWN: frame shown, -1 unknown)
 *   step N          (CtPlayer) frame step              "step MS SHOWN"
 *   process         threads, RSS, peak RSS (KiB)       "process THREADS RSS PEAK"
 *   quit
 * A failure answers "fail" (the reason goes to stderr) and the child
 * carries on; the parent gives up. */
static int
serve (const char *path, gboolean gtkvideo, int fps_n, int fps_d)
{
  Ours ours = { 0 };
  Theirs theirs = { 0 };
  char line[256];

  while (fgets (line, sizeof line, stdin) != NULL)
    {
      g_strchomp (line);
      if (g_str_equal (line, "quit"))
        break;
      if (g_str_has_prefix (line, "idle "))
        {
          /* the main loop runs, as while a person looks at a frame */
          gint64 until = g_get_monotonic_time () + g_ascii_strtoll (line + 5, NULL, 10) * 1000;

          while (g_get_monotonic_time () < until)
            if (!g_main_context_iteration (NULL, FALSE))
              g_usleep (1000);
          reply ("idle 0");
        }
      else if (g_str_equal (line, "unload"))
        {
          if (gtkvideo)
            theirs_close (&theirs);
          else
            ours_close (&ours);
          reply ("unload 0");
        }
      else if (g_str_equal (line, "process"))
        reply ("process %u %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, count_threads (),
               status_kib ("VmRSS"), status_kib ("VmHWM"));
      else if (g_str_equal (line, "open") || g_str_equal (line, "load"))
        {
          /* "open" uses players of its own: a loaded one stays as it is */
          gboolean keep = g_str_equal (line, "load");
          Ours once_ours = { 0 };
          Theirs once_theirs = { 0 };
          Ours *o = keep ? &ours : &once_ours;
          Theirs *t = keep ? &theirs : &once_theirs;
          double ms;

          if (keep)
            {
              ours_close (o);
              theirs_close (t);
            }
          ms = gtkvideo ? theirs_open (t, path) : ours_open (o, path);
          if (ms < 0 || !keep)
            {
              if (gtkvideo)
                theirs_close (t);
              else
                ours_close (o);
            }
          if (ms < 0)
            reply ("fail");
          else
            reply ("%s %.3f", line, ms);
        }
      else if (g_str_equal (line, "info") && !gtkvideo && ours.player != NULL)
        {
          GstClockTime duration = ct_player_get_duration (ours.player);
          int n = 30, d = 1, width = 0, height = 0;

          ct_player_get_framerate (ours.player, &n, &d);
          ct_player_get_size (ours.player, &width, &height);
          if (!GST_CLOCK_TIME_IS_VALID (duration) || n <= 0 || d <= 0)
            {
              g_printerr ("CtPlayer: no duration or frame rate for %s\n", path);
              reply ("fail");
            }
          else
            reply ("info %" G_GUINT64_FORMAT " %d %d %d %d %" G_GUINT64_FORMAT, duration, n, d,
                   width, height, gst_util_uint64_scale (duration, n, (guint64) d * GST_SECOND));
        }
      else if (g_str_has_prefix (line, "seek ") && (gtkvideo ? theirs.stream != NULL : ours.player != NULL))
        {
          guint64 frame = g_ascii_strtoull (line + 5, NULL, 10);
          double ms;

          if (gtkvideo)
            {
              GstClockTime t = time_of_frame (frame, fps_n, fps_d);

              /* rounded up to the microsecond, so the time falls inside the frame */
              ms = theirs_seek (&theirs, (gint64) ((t + 999) / 1000));
              if (ms < 0)
                reply ("fail");
              else
                reply ("seek %.3f -1", ms);
            }
          else
            {
              ms = ours_op (&ours, OP_SEEK, ct_player_frame_to_time (ours.player, frame), 0);
              if (ms < 0)
                reply ("fail");
              else
                reply ("seek %.3f %" G_GINT64_FORMAT, ms, ct_player_get_frame_index (ours.player));
            }
        }
      else if (g_str_has_prefix (line, "step ") && !gtkvideo && ours.player != NULL)
        {
          double ms = ours_op (&ours, OP_STEP, 0, atoi (line + 5));

          if (ms < 0)
            reply ("fail");
          else
            reply ("step %.3f %" G_GINT64_FORMAT, ms, ct_player_get_frame_index (ours.player));
        }
      else
        {
          g_printerr ("bench-player child: cannot do \"%s\" now\n", line);
          reply ("fail");
        }
    }
  if (gtkvideo)
    theirs_close (&theirs);
  else
    ours_close (&ours);
  return 0;
}

/* One open in a fresh process: what the first recording opened costs (the
 * plugins are loaded then).  With preload, the process first does what the
 * application does at start-up, and opens a second later, as a user who
 * has just signed in might. */
static int
side_cold (const char *path, gboolean gtkvideo, gboolean preload)
{
  double ms;

  if (preload)
    {
      ct_player_preload ();
      g_usleep (G_USEC_PER_SEC);
    }
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
/* the parent: drives both children in turn */

typedef struct {
  const char *name;
  GPid pid;
  FILE *in, *out;
} Child;

static gboolean
child_start (Child *child, const char *name, const char *self_path, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int in_fd = -1, out_fd = -1;

  child->name = name;
  g_ptr_array_add (argv, (gpointer) self_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  /* the child's stderr is ours: its complaints are seen as they come */
  if (!g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                 NULL, NULL, &child->pid, &in_fd, &out_fd, NULL, &error))
    {
      g_printerr ("%s: %s\n", name, error->message);
      return FALSE;
    }
  child->in = fdopen (in_fd, "w");
  child->out = fdopen (out_fd, "r");
  return child->in != NULL && child->out != NULL;
}

/* Sends one command and reads its answer into fields; FALSE on "fail" or
 * when the child is gone. */
static gboolean
child_ask (Child *child, const char *command, GStrv *fields)
{
  char line[512];

  if (fprintf (child->in, "%s\n", command) < 0 || fflush (child->in) != 0
      || fgets (line, sizeof line, child->out) == NULL)
    {
      g_printerr ("%s: no answer to \"%s\"\n", child->name, command);
      return FALSE;
    }
  g_strchomp (line);
  *fields = g_strsplit (line, " ", -1);
  if (g_str_equal ((*fields)[0], "fail") || g_strv_length (*fields) < 2)
    {
      g_printerr ("%s: \"%s\" failed\n", child->name, command);
      g_clear_pointer (fields, g_strfreev);
      return FALSE;
    }
  return TRUE;
}

/* a timing command: its first figure, in ms; -1 on failure */
static double
child_time (Child *child, const char *command, gint64 *shown)
{
  g_auto(GStrv) f = NULL;

  if (!child_ask (child, command, &f))
    return -1;
  if (shown != NULL)
    *shown = f[2] != NULL ? g_ascii_strtoll (f[2], NULL, 10) : -1;
  return g_ascii_strtod (f[1], NULL);
}

static void
child_finish (Child *child)
{
  if (child->in != NULL)
    {
      fprintf (child->in, "quit\n");
      fclose (child->in);
    }
  if (child->out != NULL)
    fclose (child->out);
  if (child->pid != 0)
    {
      int status = 0;

      waitpid (child->pid, &status, 0);
      g_spawn_close_pid (child->pid);
    }
  memset (child, 0, sizeof *child);
}

typedef struct {
  guint threads;
  guint64 rss, peak;
} ProcessFigures;

static gboolean
child_process (Child *child, ProcessFigures *figures)
{
  g_auto(GStrv) f = NULL;

  if (!child_ask (child, "process", &f) || g_strv_length (f) != 4)
    return FALSE;
  figures->threads = (guint) atoi (f[1]);
  figures->rss = g_ascii_strtoull (f[2], NULL, 10);
  figures->peak = g_ascii_strtoull (f[3], NULL, 10);
  return TRUE;
}

/* Runs one timing command on both children, in turn, the order changing
 * every pair so that neither always goes first. */
static gboolean
pair_time (Child *ours, Child *theirs, guint i, const char *ours_cmd, const char *their_cmd,
           double *ms_ours, double *ms_theirs, gint64 *shown)
{
  if (i % 2 == 0)
    {
      *ms_ours = child_time (ours, ours_cmd, shown);
      *ms_theirs = *ms_ours < 0 ? -1 : child_time (theirs, their_cmd, NULL);
    }
  else
    {
      *ms_theirs = child_time (theirs, their_cmd, NULL);
      *ms_ours = *ms_theirs < 0 ? -1 : child_time (ours, ours_cmd, shown);
    }
  return *ms_ours >= 0 && *ms_theirs >= 0;
}

/* One fresh process's first open: "cold MS" on its stdout. */
static double
run_cold (const char *self_path, const char *side, const char *path)
{
  const char *argv[] = { self_path, "--side", side, "--video", path, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("%s: %s\n", side, error->message);
      return -1;
    }
  if (!g_str_has_prefix (out, "cold "))
    {
      g_printerr ("%s: no figure\n", side);
      return -1;
    }
  return g_ascii_strtod (out + 5, NULL);
}

/* ------------------------------------------------------------------ */
/* paired comparison */

/* The 95 % confidence interval of the median of n paired differences, by
 * the sign test: sorted[k-1] .. sorted[n-k], with k the largest count for
 * which P(Binomial(n, ½) < k) ≤ 2.5 %.  FALSE when n is too small. */
static gboolean
median_ci (const double *sorted, guint n, double *low, double *high)
{
  double p = 0, term = 1;   /* term = C(n, j) / 2^n, built up without overflow */
  guint k = 0;

  for (guint j = 0; j < n; j++)
    term /= 2.0;
  for (guint j = 0; j < n; j++)
    {
      p += term;                       /* P(B ≤ j) */
      if (p > 0.025)
        break;
      k = j + 1;
      term = term * (double) (n - j) / (double) (j + 1);
    }
  if (k == 0)
    return FALSE;
  *low = sorted[k - 1];
  *high = sorted[n - k];
  return TRUE;
}

typedef enum { CMP_FASTER, CMP_EQUAL, CMP_SLOWER, CMP_UNKNOWN } Verdict;

typedef struct {
  double median;        /* of ours − theirs, ms */
  double low, high;     /* its 95 % interval */
  gboolean has_ci;
  guint ours_faster, n;
  Verdict verdict;
} Paired;

static Paired
paired_of (GArray *ours, GArray *theirs)
{
  Paired r = { 0 };
  g_autofree double *d = NULL;

  r.n = MIN (ours->len, theirs->len);
  r.verdict = CMP_UNKNOWN;
  if (r.n == 0)
    return r;
  d = g_new (double, r.n);
  for (guint i = 0; i < r.n; i++)
    {
      d[i] = g_array_index (ours, double, i) - g_array_index (theirs, double, i);
      if (d[i] < 0)
        r.ours_faster++;
    }
  qsort (d, r.n, sizeof (double), cmp_double);
  r.median = r.n % 2 ? d[r.n / 2] : (d[r.n / 2 - 1] + d[r.n / 2]) / 2.0;
  r.has_ci = median_ci (d, r.n, &r.low, &r.high);
  if (r.has_ci)
    r.verdict = r.high < 0 ? CMP_FASTER : r.low > 0 ? CMP_SLOWER : CMP_EQUAL;
  return r;
}

static const char *
verdict_text (Verdict v)
{
  switch (v)
    {
    case CMP_FASTER: return "yes: faster";
    case CMP_EQUAL: return "yes: equal within the noise";
    case CMP_SLOWER: return "NO: slower";
    case CMP_UNKNOWN: default: return "n/a";
    }
}

/* ------------------------------------------------------------------ */
/* report */

static void
row (const char *metric, const Stats *ours, const Stats *theirs, double target_ms,
     const char *their_note)
{
  /* pad by characters, not bytes: the labels hold → and − */
  glong pad = MAX (0, 24 - g_utf8_strlen (metric, -1));

  if (theirs != NULL && theirs->median >= 0)
    g_print ("%s%*s %9.1f %9.1f %9.1f   %9.1f %9.1f %9.1f   < %5.0f\n", metric, (int) pad, "",
             ours->median, ours->p90, ours->max, theirs->median, theirs->p90, theirs->max, target_ms);
  else
    g_print ("%s%*s %9.1f %9.1f %9.1f   %9s %9s %9s   < %5.0f\n", metric, (int) pad, "",
             ours->median, ours->p90, ours->max, "n/a", "", "", target_ms);
  if (their_note != NULL)
    g_print ("%-24s   (GtkVideo: %s)\n", "", their_note);
}

static void
result (const char *metric, const Stats *ours, const Stats *theirs, const Paired *paired,
        double target_ms, const char *their_note)
{
  g_autofree char *theirs_text = NULL;
  g_autofree char *pair_text = NULL;

  if (theirs == NULL || theirs->median < 0)
    theirs_text = g_strdup ("n/a");
  else
    theirs_text = g_strdup_printf ("%.1f ms", theirs->median);
  if (paired == NULL || paired->n == 0)
    pair_text = g_strdup ("");
  else if (paired->has_ci)
    pair_text = g_strdup_printf ("  paired ours−GtkVideo %+.1f ms [95%% %+.1f, %+.1f], ours faster in %u of %u",
                                 paired->median, paired->low, paired->high, paired->ours_faster, paired->n);
  else
    pair_text = g_strdup_printf ("  paired ours−GtkVideo %+.1f ms (too few pairs for an interval), ours faster in %u of %u",
                                 paired->median, paired->ours_faster, paired->n);
  g_print ("RESULT %-16s ours median %7.1f ms (p90 %7.1f, n=%u)  target < %.0f ms: %-12s"
           "  GtkVideo %s%s%s%s  none slower than GtkVideo: %s\n",
           metric, ours->median, ours->p90, ours->n, target_ms,
           ours->median >= 0 && ours->median < target_ms ? "PASS" : "BELOW-TARGET",
           theirs_text, their_note ? " " : "", their_note ? their_note : "", pair_text,
           verdict_text (paired != NULL ? paired->verdict : CMP_UNKNOWN));
}

/* The same random frames on both sides: anywhere but the last second. */
static void
pick_frames (guint64 n_frames, guint64 *frames)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);

  for (guint i = 0; i < N_SEEKS; i++)
    frames[i] = (guint64) g_rand_int_range (rand, 0, (gint32) (n_frames - 30));
}

static Stats
stats_of_array (GArray *a)
{
  return stats_of ((const double *) a->data, a->len);
}

static GArray *
new_samples (void)
{
  return g_array_new (FALSE, FALSE, sizeof (double));
}

static const char *
arg_value (int argc, char **argv, const char *name)
{
  for (int i = 1; i + 1 < argc; i++)
    if (g_str_equal (argv[i], name))
      return argv[i + 1];
  return NULL;
}

static int
child_main (const char *side, int argc, char **argv)
{
  const char *video = arg_value (argc, argv, "--video");

  if (video == NULL)
    return 2;
  gst_init (NULL, NULL);
  gtk_init ();
  if (g_str_equal (side, "ours"))
    return serve (video, FALSE, 0, 1);
  if (g_str_equal (side, "ours-cold") || g_str_equal (side, "gtkvideo-cold"))
    return side_cold (video, g_str_equal (side, "gtkvideo-cold"), FALSE);
  if (g_str_equal (side, "ours-app-cold"))
    return side_cold (video, FALSE, TRUE);
  if (g_str_equal (side, "gtkvideo"))
    {
      const char *fps_n = arg_value (argc, argv, "--fps-n");
      const char *fps_d = arg_value (argc, argv, "--fps-d");

      if (fps_n == NULL || fps_d == NULL)
        return 2;
      return serve (video, TRUE, atoi (fps_n), atoi (fps_d));
    }
  return 2;
}

int
main (int argc, char **argv)
{
  guint seconds = 600;
  const char *env_seconds = g_getenv ("CASETRAIL_BENCH_VIDEO_SECONDS");
  const char *side = arg_value (argc, argv, "--side");
  g_autofree char *path = NULL;
  g_autofree char *fps_n_arg = NULL, *fps_d_arg = NULL;
  g_autoptr(GArray) open_o = new_samples (), open_t = new_samples ();
  g_autoptr(GArray) seek_o = new_samples (), seek_t = new_samples ();
  g_autoptr(GArray) fwd_o = new_samples (), fwd_t = new_samples (), back_o = new_samples ();
  g_autoptr(GArray) cold_o = new_samples (), cold_t = new_samples (), cold_app = new_samples ();
  ProcessFigures start_o, start_t, end_o, end_t;
  Child ours = { 0 }, theirs = { 0 };
  g_auto(GStrv) info = NULL;
  guint64 duration, n_frames, frames[N_SEEKS];
  int fps_n, fps_d, width, height;
  guint n_inexact = 0, n_step_wrong = 0;
  double paced_back[2] = { -1, -1 };
  double mo, mt;
  gint64 shown;

  /* g_print writes in the locale's charset: the labels hold → and − */
  setlocale (LC_ALL, "");
  if (side != NULL)
    return child_main (side, argc, argv);

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

  /* CtPlayer's child first, to learn the frame rate GtkVideo's seeks need */
  {
    const char *args[] = { "--side", "ours", "--video", path, NULL };

    if (!child_start (&ours, "CtPlayer", argv[0], args)
        || !child_process (&ours, &start_o)
        || child_time (&ours, "load", NULL) < 0
        || !child_ask (&ours, "info", &info) || g_strv_length (info) != 7)
      return 1;
    duration = g_ascii_strtoull (info[1], NULL, 10);
    fps_n = atoi (info[2]);
    fps_d = atoi (info[3]);
    width = atoi (info[4]);
    height = atoi (info[5]);
    n_frames = g_ascii_strtoull (info[6], NULL, 10);
    if (n_frames < 120)
      {
        g_printerr ("the file is too short\n");
        return 1;
      }
  }
  {
    const char *args[] = { "--side", "gtkvideo", "--video", path, "--fps-n", NULL,
                           "--fps-d", NULL, NULL };

    fps_n_arg = g_strdup_printf ("%d", fps_n);
    fps_d_arg = g_strdup_printf ("%d", fps_d);
    args[5] = fps_n_arg;
    args[7] = fps_d_arg;
    if (!child_start (&theirs, "GtkVideo", argv[0], args)
        || !child_process (&theirs, &start_t)
        /* its first open loads the plugins: not counted, as CtPlayer's */
        || child_time (&theirs, "open", NULL) < 0)
      {
        g_printerr ("GtkVideo baseline could not run (is GTK's GStreamer media backend,"
                    " libgtk-4-media-gstreamer, installed?)\n");
        return 1;
      }
  }

  /* open → first frame; CtPlayer's loaded file stays open meanwhile, which
   * costs it nothing: it is paused */
  for (guint i = 0; i < N_OPENS; i++)
    {
      if (!pair_time (&ours, &theirs, i, "open", "open", &mo, &mt, NULL))
        return 1;
      g_array_append_val (open_o, mo);
      g_array_append_val (open_t, mt);
    }

  /* the same random frames, each sought by both in turn */
  pick_frames (n_frames, frames);
  if (child_time (&theirs, "load", NULL) < 0)
    return 1;
  for (guint i = 0; i < N_SEEKS; i++)
    {
      g_autofree char *cmd = g_strdup_printf ("seek %" G_GUINT64_FORMAT, frames[i]);

      if (!pair_time (&ours, &theirs, i, cmd, cmd, &mo, &mt, &shown))
        return 1;
      g_array_append_val (seek_o, mo);
      g_array_append_val (seek_t, mt);
      if (shown != (gint64) frames[i])
        n_inexact++;
    }

  /* steps from the middle of a GOP, half-way through the file; GtkVideo's
   * "step" is a seek to the next frame.  Back, CtPlayer steps over the
   * keyframe into the GOP before: the step after the first one back waits
   * for the GOP to be decoded backward, the one over the keyframe decodes
   * the GOP before; the others show a frame already decoded.  (The steps
   * follow each other at once: a person looking at each frame a moment
   * does not wait for the second.) */
  {
    guint64 start = (n_frames / 2 / 60) * 60 + 25;
    g_autofree char *cmd = g_strdup_printf ("seek %" G_GUINT64_FORMAT, start);
    gint64 expect = (gint64) start;

    if (!pair_time (&ours, &theirs, 0, cmd, cmd, &mo, &mt, NULL))
      return 1;
    for (guint i = 0; i < N_STEPS; i++)
      {
        g_autofree char *their_cmd = g_strdup_printf ("seek %" G_GINT64_FORMAT, expect + 1);

        if (!pair_time (&ours, &theirs, i, "step 1", their_cmd, &mo, &mt, &shown))
          return 1;
        g_array_append_val (fwd_o, mo);
        g_array_append_val (fwd_t, mt);
        if (shown != ++expect)
          n_step_wrong++;
      }
    for (guint i = 0; i < N_BACK_STEPS; i++)
      {
        mo = child_time (&ours, "step -1", &shown);
        if (mo < 0)
          return 1;
        g_array_append_val (back_o, mo);
        if (shown != --expect)
          n_step_wrong++;
      }
  }
  /* steps back at a person's pace: a look of a second at each frame */
  {
    guint64 start = (n_frames / 3 / 60) * 60 + 40;
    g_autofree char *cmd = g_strdup_printf ("seek %" G_GUINT64_FORMAT, start);

    for (guint i = 0; i < 2; i++)
      {
        if (child_time (&ours, i == 0 ? cmd : "idle 1000", NULL) < 0)
          return 1;
        paced_back[i] = child_time (&ours, "step -1", &shown);
        if (paced_back[i] < 0)
          return 1;
        if (shown != (gint64) start - 1 - (gint64) i)
          n_step_wrong++;
      }
  }

  if (child_time (&ours, "unload", NULL) < 0 || !child_process (&ours, &end_o)
      || child_time (&theirs, "unload", NULL) < 0 || !child_process (&theirs, &end_t))
    return 1;
  child_finish (&ours);
  child_finish (&theirs);

  /* The first open of a process loads the plugins: fresh processes, one
   * open each, in alternating order (the one that goes second finds the
   * libraries in the page cache). */
  for (guint i = 0; i < 2 * N_COLD_PAIRS; i++)
    {
      gboolean gtkvideo = (i % 2 == 0) == (i / 2 % 2 == 1);
      double ms = run_cold (argv[0], gtkvideo ? "gtkvideo-cold" : "ours-cold", path);

      if (ms < 0)
        return 1;
      g_array_append_val (gtkvideo ? cold_t : cold_o, ms);
    }
  for (guint i = 0; i < N_COLD_PAIRS; i++)
    {
      double ms = run_cold (argv[0], "ours-app-cold", path);

      if (ms < 0)
        return 1;
      g_array_append_val (cold_app, ms);
    }

  {
    Stats s_open_o = stats_of_array (open_o), s_open_t = stats_of_array (open_t);
    Stats s_seek_o = stats_of_array (seek_o), s_seek_t = stats_of_array (seek_t);
    Stats s_fwd_o = stats_of_array (fwd_o), s_fwd_t = stats_of_array (fwd_t);
    Stats s_back = stats_of_array (back_o);
    Stats s_cold_o = stats_of_array (cold_o), s_cold_t = stats_of_array (cold_t);
    Stats s_cold_app = stats_of_array (cold_app);
    Paired p_open = paired_of (open_o, open_t), p_seek = paired_of (seek_o, seek_t);
    Paired p_fwd = paired_of (fwd_o, fwd_t), p_cold = paired_of (cold_o, cold_t);

    g_print ("\n%s: %dx%d, %d/%d fps, %.0f s, %" G_GUINT64_FORMAT " frames, seed %d\n",
             path, width, height, fps_n, fps_d, duration / 1e9, n_frames, SEED);
    g_print ("each player in a process of its own, both alive; every operation is done by one,"
             " then the other, the order changing each time (%d opens, %d seeks, %d steps)\n",
             N_OPENS, N_SEEKS, N_STEPS);
    g_print ("CtPlayer's first steps back: %.1f ms (an exact seek), then %.1f ms (waits for the"
             " GOP to be decoded backward behind it); the step over the keyframe into the GOP"
             " before, %.1f ms\n",
             g_array_index (back_o, double, 0), g_array_index (back_o, double, 1),
             g_array_index (back_o, double, N_BACK_STEPS - 5));
    g_print ("CtPlayer's steps back at a person's pace (a second's look at each frame):"
             " %.1f ms, then %.1f ms\n", paced_back[0], paced_back[1]);
    g_print ("first open in a fresh process (loads the plugins): %d each, in alternating order\n",
             N_COLD_PAIRS);
    g_print ("CtPlayer seeks are exact (ACCURATE); %u of %d ended off the frame asked for;"
             " %u of %d frame steps ended off the expected frame\n",
             n_inexact, N_SEEKS, n_step_wrong, N_STEPS + N_BACK_STEPS + 2);
    g_print ("GtkVideo (GtkMediaFile, GStreamer backend) seeks as GTK 4.8 does: GstPlayer's"
             " default configuration, not ACCURATE\n");
    g_print ("paired: the median of (CtPlayer − GtkVideo) over the pairs, with its 95%% interval"
             " (sign test); \"equal within the noise\" when the interval holds 0\n");
    g_print ("threads / resident memory, before the first open → after the last close (peak):\n"
             "  CtPlayer %u → %u threads, %.0f → %.0f MiB (%.0f);"
             "  GtkVideo %u → %u threads, %.0f → %.0f MiB (%.0f)\n\n",
             start_o.threads, end_o.threads, start_o.rss / 1024.0, end_o.rss / 1024.0,
             end_o.peak / 1024.0, start_t.threads, end_t.threads, start_t.rss / 1024.0,
             end_t.rss / 1024.0, end_t.peak / 1024.0);
    g_print ("%-24s %29s   %29s   %7s\n", "", "CtPlayer (ms)", "GtkVideo (ms)", "target");
    g_print ("%-24s %9s %9s %9s   %9s %9s %9s\n", "metric", "median", "p90", "max",
             "median", "p90", "max");
    row ("open → first frame", &s_open_o, &s_open_t, TARGET_OPEN_MS, NULL);
    row ("seek (50 random)", &s_seek_o, &s_seek_t, TARGET_SEEK_MS, NULL);
    row ("frame step +1", &s_fwd_o, &s_fwd_t, TARGET_STEP_MS,
         "no frame-step API; emulated by a seek of +1 frame");
    row ("frame step −1", &s_back, NULL, TARGET_STEP_MS, "no frame-step API: n/a");
    row ("first open, fresh", &s_cold_o, &s_cold_t, TARGET_OPEN_MS, NULL);
    row ("first open in the app", &s_cold_app, NULL, TARGET_OPEN_MS,
         "n/a: the app loads the plugins at start-up; opened 1 s later");
    g_print ("\n");

    result ("open-cold", &s_cold_o, &s_cold_t, &p_cold, TARGET_OPEN_MS, "(first open in a fresh process)");
    result ("open-app-first", &s_cold_app, NULL, NULL, TARGET_OPEN_MS, "(plugins preloaded at start-up)");
    result ("open", &s_open_o, &s_open_t, &p_open, TARGET_OPEN_MS, NULL);
    result ("seek", &s_seek_o, &s_seek_t, &p_seek, TARGET_SEEK_MS, NULL);
    result ("step+1", &s_fwd_o, &s_fwd_t, &p_fwd, TARGET_STEP_MS, "(emulated: seek +1 frame)");
    result ("step-1", &s_back, NULL, NULL, TARGET_STEP_MS, "(no frame-step API)");
  }
  return 0;
}

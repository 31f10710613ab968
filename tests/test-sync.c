/* test-sync.c — several recordings played in step (CtSyncGroup), headless
 *
 * Two short H.264 files are made at test time with gst-launch-1.0: A, 4 s
 * at 30 fps, and B, 3 s at 25 fps.  The group gets three media with
 * overlapping recording times: A from 10:00:00, B from 10:00:01.5 and A
 * again from 10:00:03, so the timeline runs 7 s.  Each test checks the
 * frame every player shows against the one the wall-clock time asks for.
 * Every wait has a time limit.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "ct-player.h"
#include "ct-player-test-util.h"
#include "ct-sync.h"

static char *media_dir;
static gboolean have_media;

/* How far apart two players' frames may be seen, beyond the group's
 * tolerance: frames at 30 and 25 fps are up to one 25 fps frame apart even
 * in perfect step, and under the sanitizers a frame is often rendered a
 * frame or two late. */
static GstClockTime
slack (void)
{
  return (g_getenv ("CASETRAIL_SANITIZED") != NULL ? 3 : 1) * (GST_SECOND / 25);
}

typedef struct {
  CtSyncGroup *group;
  CtTestPlayerEvents ev;
} Fixture;

/* ---- fixture -------------------------------------------------------------- */

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  memset (f, 0, sizeof *f);
  f->group = ct_sync_group_new ();
  ct_test_player_events_connect (&f->ev, f->group);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->group);
  ct_test_player_events_clear (&f->ev);
}

static void
add (Fixture *f, const char *file, const char *name, const char *recorded_at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtPlayer) player = ct_player_new (NULL);
  g_autofree char *path = g_build_filename (media_dir, file, NULL);

  g_assert_true (ct_sync_group_add (f->group, player, path, name, recorded_at, &error));
  g_assert_no_error (error);
}

/* The three media of the scene, open; FALSE (skipped) without an encoder. */
static gboolean
open_scene (Fixture *f)
{
  if (!have_media)
    {
      g_test_skip ("the H.264 test media could not be made with the installed encoders");
      return FALSE;
    }
  add (f, "a.mp4", "A", "2026-03-01T10:00:00+08:00");
  /* the same instant written in UTC */
  add (f, "b.mp4", "B", "2026-03-01T02:00:01.500Z");
  add (f, "a.mp4", "C", "2026-03-01T10:00:03+08:00");
  ct_sync_group_open (f->group);
  g_assert_true (ct_test_wait_flag (&f->ev.ready, CT_TEST_WAIT_MS) || f->ev.error);
  g_assert_no_error (f->ev.gerror);
  g_assert_true (ct_sync_group_is_ready (f->group));
  return TRUE;
}

static void
seek_and_wait (Fixture *f, GstClockTime t)
{
  g_autoptr(GError) error = NULL;
  guint before = f->ev.seek_done;

  g_assert_true (ct_sync_group_seek (f->group, t, CT_PLAYER_SEEK_EXACT, &error));
  g_assert_no_error (error);
  g_assert_true (ct_test_wait_seek_done (&f->ev, before));
  g_assert_no_error (f->ev.gerror);
}

static gint64
frame (Fixture *f, guint i)
{
  return ct_player_get_frame_index (ct_sync_group_get_player (f->group, i));
}

/* ---- tests ------------------------------------------------------------------ */

static void
test_refuse (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtPlayer) player = ct_player_new (NULL);

  g_assert_false (ct_sync_group_add (f->group, player, "/nonexistent/x.mp4", "执法记录-03.mp4", NULL, &error));
  g_assert_error (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "执法记录-03.mp4"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (ct_sync_group_add (f->group, player, "/nonexistent/x.mp4", "y.mp4", "yesterday", &error));
  g_assert_error (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "y.mp4"));
  g_assert_cmpuint (ct_sync_group_get_n_media (f->group), ==, 0);

  /* at most four */
  for (int i = 0; i < CT_SYNC_MAX_MEDIA; i++)
    g_assert_true (ct_sync_group_add (f->group, player, "/nonexistent/x.mp4", "x.mp4",
                                      "2026-03-01T10:00:00+08:00", NULL));
  g_clear_error (&error);
  g_assert_false (ct_sync_group_add (f->group, player, "/nonexistent/x.mp4", "five.mp4",
                                     "2026-03-01T10:00:00+08:00", &error));
  g_assert_error (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_INVALID);
}

static void
test_open_error (Fixture *f, gconstpointer data)
{
  g_autoptr(CtPlayer) a = ct_player_new (NULL);
  g_autoptr(CtPlayer) b = ct_player_new (NULL);
  g_autofree char *path = g_build_filename (media_dir, "a.mp4", NULL);

  if (!have_media)
    {
      g_test_skip ("no H.264 encoder");
      return;
    }
  g_assert_true (ct_sync_group_add (f->group, a, path, "A", "2026-03-01T10:00:00+08:00", NULL));
  g_assert_true (ct_sync_group_add (f->group, b, "/nonexistent/gone.mp4", "镜头二", "2026-03-01T10:00:00+08:00", NULL));
  ct_sync_group_open (f->group);
  g_assert_true (ct_test_wait_flag (&f->ev.error, CT_TEST_WAIT_MS));
  g_assert_false (f->ev.ready);
  g_assert_nonnull (strstr (f->ev.gerror->message, "镜头二"));
}

static void
test_timeline (Fixture *f, gconstpointer data)
{
  if (!open_scene (f))
    return;
  g_assert_cmpuint (ct_sync_group_get_n_media (f->group), ==, 3);
  g_assert_cmpuint (ct_sync_group_get_offset (f->group, 0), ==, 0);
  g_assert_cmpuint (ct_sync_group_get_offset (f->group, 1), ==, 1500 * GST_MSECOND);
  g_assert_cmpuint (ct_sync_group_get_offset (f->group, 2), ==, 3 * GST_SECOND);
  g_assert_cmpint (ct_sync_group_get_start_us (f->group), ==, (gint64) 1772330400 * G_USEC_PER_SEC);
  /* C ends last: 3 s + 4 s */
  g_assert_cmpuint (ct_sync_group_get_duration (f->group), ==,
                    3 * GST_SECOND + ct_sync_group_get_media_duration (f->group, 2));
  g_assert_cmpuint (ct_sync_group_get_duration (f->group), >=, 7 * GST_SECOND - GST_SECOND / 30);
  g_assert_cmpuint (ct_sync_group_get_duration (f->group), <=, 7 * GST_SECOND + GST_SECOND / 30);
  /* at the start only A records */
  g_assert_cmpint (ct_sync_group_get_state (f->group), ==, CT_PLAYER_STATE_PAUSED);
  g_assert_true (ct_sync_group_is_recording (f->group, 0));
  g_assert_false (ct_sync_group_is_recording (f->group, 1));
  g_assert_false (ct_sync_group_is_recording (f->group, 2));
  g_assert_cmpint (ct_sync_group_get_master (f->group), ==, 0);
}

/* Medium i shows the frame that holds group time t: its own time, in
 * wall-clock time, is within one of its frames of t (a frame cut by the
 * seek is reported at t itself). */
static void
assert_in_step (Fixture *f, guint i, GstClockTime t, int fps)
{
  GstClockTime wall = ct_sync_group_get_media_wall (f->group, i);
  GstClockTime d;

  g_assert_true (GST_CLOCK_TIME_IS_VALID (wall));
  d = wall > t ? wall - t : t - wall;
  if (d >= GST_SECOND / (GstClockTime) fps)
    g_error ("medium %u shows %" GST_TIME_FORMAT " for group time %" GST_TIME_FORMAT,
             i, GST_TIME_ARGS (wall), GST_TIME_ARGS (t));
}

static void
test_seek (Fixture *f, gconstpointer data)
{
  GstClockTime t;

  if (!open_scene (f))
    return;

  /* times on the frames of both A (1/30 s) and B (1.5 s + 1/25 s) */
  /* 2.1 s: A at 2.1, B at 0.6, C not yet */
  t = 2100 * GST_MSECOND;
  seek_and_wait (f, t);
  g_assert_cmpuint (ct_sync_group_get_position (f->group), ==, t);
  g_assert_cmpint (frame (f, 0), ==, 63);
  g_assert_cmpint (frame (f, 1), ==, 15);
  g_assert_cmpint (frame (f, 2), ==, 0);
  g_assert_true (ct_sync_group_is_recording (f->group, 0));
  g_assert_true (ct_sync_group_is_recording (f->group, 1));
  g_assert_false (ct_sync_group_is_recording (f->group, 2));

  /* 4.3 s: A has ended (parked on its last frame), B at 2.8, C at 1.3 */
  t = 4300 * GST_MSECOND;
  seek_and_wait (f, t);
  g_assert_false (ct_sync_group_is_recording (f->group, 0));
  g_assert_cmpint (frame (f, 0), ==, 119);
  g_assert_true (ct_sync_group_is_recording (f->group, 1));
  g_assert_cmpint (frame (f, 1), ==, 70);
  g_assert_true (ct_sync_group_is_recording (f->group, 2));
  g_assert_cmpint (frame (f, 2), ==, 39);

  /* 6.1 s: only C records, at 3.1; B parked on its last frame */
  t = 6100 * GST_MSECOND;
  seek_and_wait (f, t);
  g_assert_false (ct_sync_group_is_recording (f->group, 0));
  g_assert_false (ct_sync_group_is_recording (f->group, 1));
  g_assert_cmpint (frame (f, 1), ==, 74);
  g_assert_true (ct_sync_group_is_recording (f->group, 2));
  g_assert_cmpint (frame (f, 2), ==, 93);
  g_assert_cmpint (ct_sync_group_get_master (f->group), ==, 2);

  /* back to 0.5 s: B and C wait on their first frames */
  t = 500 * GST_MSECOND;
  seek_and_wait (f, t);
  g_assert_cmpint (frame (f, 0), ==, 15);
  g_assert_false (ct_sync_group_is_recording (f->group, 1));
  g_assert_cmpint (frame (f, 1), ==, 0);
  g_assert_false (ct_sync_group_is_recording (f->group, 2));
  g_assert_cmpint (frame (f, 2), ==, 0);

  /* 3.7 s: all three record */
  t = 3700 * GST_MSECOND;
  seek_and_wait (f, t);
  g_assert_cmpint (frame (f, 0), ==, 111);
  g_assert_cmpint (frame (f, 1), ==, 55);
  g_assert_cmpint (frame (f, 2), ==, 21);

  /* between frames: each shows the frame that holds the time */
  t = 3712 * GST_MSECOND;
  seek_and_wait (f, t);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (ct_sync_group_is_recording (f->group, i));
      assert_in_step (f, i, t, i == 1 ? 25 : 30);
    }
}

/* The largest difference between two playing media's frames, in
 * wall-clock time, seen by sampling every 20 ms for @ms. */
static GstClockTime
sample_drift (Fixture *f, guint ms, guint *samples)
{
  GstClockTime worst = 0;
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  guint n = ct_sync_group_get_n_media (f->group);

  *samples = 0;
  while (g_get_monotonic_time () < end)
    {
      GstClockTime wall[CT_SYNC_MAX_MEDIA];

      ct_test_run_for (20);
      for (guint i = 0; i < n; i++)
        {
          CtPlayer *player = ct_sync_group_get_player (f->group, i);

          wall[i] = GST_CLOCK_TIME_NONE;
          if (ct_sync_group_is_recording (f->group, i)
              && ct_player_get_state (player) == CT_PLAYER_STATE_PLAYING)
            wall[i] = ct_sync_group_get_media_wall (f->group, i);
        }
      for (guint i = 0; i < n; i++)
        for (guint j = i + 1; j < n; j++)
          if (GST_CLOCK_TIME_IS_VALID (wall[i]) && GST_CLOCK_TIME_IS_VALID (wall[j]))
            {
              worst = MAX (worst, wall[i] > wall[j] ? wall[i] - wall[j] : wall[j] - wall[i]);
              (*samples)++;
            }
    }
  return worst;
}

static void
test_play (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GstClockTime before, after, drift, tolerance;
  guint samples = 0, seeks;
  gint64 started;

  if (!open_scene (f))
    return;
  seek_and_wait (f, 1 * GST_SECOND);
  tolerance = ct_sync_group_get_tolerance (f->group);
  g_assert_cmpuint (tolerance, ==, 2 * (GST_SECOND / 25));

  before = ct_sync_group_get_position (f->group);
  started = g_get_monotonic_time ();
  g_assert_true (ct_sync_group_play (f->group, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ct_sync_group_get_state (f->group), ==, CT_PLAYER_STATE_PLAYING);
  /* B starts at 1.5 s; let it settle, then measure A and B together */
  ct_test_run_for (900);
  g_assert_true (ct_sync_group_is_recording (f->group, 1));
  g_assert_cmpint (ct_player_get_state (ct_sync_group_get_player (f->group, 1)), ==, CT_PLAYER_STATE_PLAYING);
  drift = sample_drift (f, 1500, &samples);
  g_test_message ("sampled drift over 1.5 s: max %.1f ms in %u samples; the group's own checks: max %.1f ms, "
                  "%u checks, %u corrections",
                  drift / 1e6, samples, ct_sync_group_get_max_drift (f->group) / 1e6,
                  ct_sync_group_get_n_checks (f->group), ct_sync_group_get_n_corrections (f->group));
  g_assert_cmpuint (samples, >, 20);  /* A and B play together all along */
  g_assert_cmpuint (ct_sync_group_get_n_checks (f->group), >, 5);
  g_assert_cmpuint (drift, <=, tolerance + slack ());
  g_assert_cmpuint (ct_sync_group_get_max_drift (f->group), <=, tolerance + slack ());

  /* the group advanced with the clock */
  after = ct_sync_group_get_position (f->group);
  {
    GstClockTime elapsed = (GstClockTime) (g_get_monotonic_time () - started) * GST_USECOND;

    g_test_message ("group advanced %.0f ms in %.0f ms", (after - before) / 1e6, elapsed / 1e6);
    g_assert_cmpuint (after - before, >, elapsed / 2);
    g_assert_cmpuint (after - before, <=, elapsed + 100 * GST_MSECOND);
  }

  /* pause: every player stops on the frame the group's time asks for */
  seeks = f->ev.seek_done;
  g_assert_true (ct_sync_group_pause (f->group, &error));
  g_assert_no_error (error);
  g_assert_true (ct_test_wait_seek_done (&f->ev, seeks));
  g_assert_cmpint (ct_sync_group_get_state (f->group), ==, CT_PLAYER_STATE_PAUSED);
  {
    GstClockTime t = ct_sync_group_get_position (f->group);

    g_test_message ("paused at %" GST_TIME_FORMAT, GST_TIME_ARGS (t));
    for (guint i = 0; i < 2; i++)
      {
        CtPlayer *player = ct_sync_group_get_player (f->group, i);

        g_assert_cmpint (ct_player_get_state (player), ==, CT_PLAYER_STATE_PAUSED);
        g_assert_true (ct_sync_group_is_recording (f->group, i));
        assert_in_step (f, i, t, i == 1 ? 25 : 30);
      }
    ct_test_run_for (300);
    g_assert_cmpuint (ct_sync_group_get_position (f->group), ==, t);
    assert_in_step (f, 0, t, 30);
  }
}

/* A player knocked out of step while playing is brought back. */
static void
test_correct (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  CtPlayer *b;
  GstClockTime drift;
  guint samples = 0, seeks;
  gint64 knocked;

  if (!open_scene (f))
    return;
  seek_and_wait (f, 1700 * GST_MSECOND);
  g_assert_true (ct_sync_group_play (f->group, &error));
  ct_test_run_for (500);
  ct_sync_group_reset_drift (f->group);

  /* B jumps 1 s ahead behind the group's back */
  b = ct_sync_group_get_player (f->group, 1);
  knocked = g_get_monotonic_time ();
  g_assert_true (ct_player_seek (b, ct_player_get_position (b) + GST_SECOND, CT_PLAYER_SEEK_EXACT, NULL));
  /* measure how long until it is back in step */
  while (g_get_monotonic_time () - knocked < 3 * G_USEC_PER_SEC)
    {
      GstClockTime wa, wb;

      ct_test_run_for (10);
      wa = ct_sync_group_get_media_wall (f->group, 0);
      wb = ct_sync_group_get_media_wall (f->group, 1);
      if (ct_sync_group_get_n_corrections (f->group) > 0
          && (wa > wb ? wa - wb : wb - wa) <= ct_sync_group_get_tolerance (f->group))
        break;
    }
  g_test_message ("back in step %.0f ms after being knocked 1 s ahead",
                  (g_get_monotonic_time () - knocked) / 1000.0);
  ct_test_run_for (300);
  g_assert_cmpuint (ct_sync_group_get_n_corrections (f->group), >=, 1);
  g_assert_cmpuint (ct_sync_group_get_max_drift (f->group), >, ct_sync_group_get_tolerance (f->group));
  ct_sync_group_reset_drift (f->group);
  drift = sample_drift (f, 600, &samples);
  g_test_message ("after the correction: drift max %.1f ms in %u samples", drift / 1e6, samples);
  g_assert_cmpuint (samples, >, 10);
  g_assert_cmpuint (drift, <=, ct_sync_group_get_tolerance (f->group) + slack ());

  seeks = f->ev.seek_done;
  g_assert_true (ct_sync_group_pause (f->group, &error));
  g_assert_true (ct_test_wait_seek_done (&f->ev, seeks));
}

static void
test_rate (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GstClockTime before, after;
  guint samples = 0, seeks;
  gint64 started, elapsed;
  GstClockTime drift;

  if (!open_scene (f))
    return;
  seek_and_wait (f, 2100 * GST_MSECOND);
  g_assert_false (ct_sync_group_set_rate (f->group, 8.0, &error));
  g_assert_error (error, CT_PLAYER_ERROR, CT_PLAYER_ERROR_INVALID);
  g_clear_error (&error);

  seeks = f->ev.seek_done;
  g_assert_true (ct_sync_group_set_rate (f->group, 2.0, &error));
  g_assert_no_error (error);
  g_assert_true (ct_test_wait_seek_done (&f->ev, seeks));
  for (guint i = 0; i < 3; i++)
    g_assert_cmpfloat (ct_player_get_rate (ct_sync_group_get_player (f->group, i)), ==, 2.0);
  g_assert_cmpfloat (ct_sync_group_get_rate (f->group), ==, 2.0);
  /* still in step after the rate's own seeks */
  g_assert_cmpint (frame (f, 0), ==, 63);
  g_assert_cmpint (frame (f, 1), ==, 15);

  before = ct_sync_group_get_position (f->group);
  started = g_get_monotonic_time ();
  g_assert_true (ct_sync_group_play (f->group, &error));
  ct_test_run_for (300);
  drift = sample_drift (f, 700, &samples);
  elapsed = g_get_monotonic_time () - started;
  after = ct_sync_group_get_position (f->group);
  g_test_message ("at 2×: advanced %.0f ms in %.0f ms; drift max %.1f ms in %u samples, %u corrections",
                  (after - before) / 1e6, elapsed / 1e3, drift / 1e6, samples,
                  ct_sync_group_get_n_corrections (f->group));
  /* twice as fast as the clock, give or take the start */
  g_assert_cmpuint (after - before, >, (GstClockTime) elapsed * GST_USECOND * 3 / 2);
  g_assert_cmpuint (after - before, <=, (GstClockTime) elapsed * GST_USECOND * 2 + 200 * GST_MSECOND);
  g_assert_cmpuint (drift, <=, 2 * ct_sync_group_get_tolerance (f->group) + slack ());

  seeks = f->ev.seek_done;
  g_assert_true (ct_sync_group_pause (f->group, &error));
  g_assert_true (ct_test_wait_seek_done (&f->ev, seeks));
  /* back to 1× while paused */
  seeks = f->ev.seek_done;
  g_assert_true (ct_sync_group_set_rate (f->group, 1.0, &error));
  g_assert_true (ct_test_wait_seek_done (&f->ev, seeks));
  g_assert_cmpfloat (ct_player_get_rate (ct_sync_group_get_player (f->group, 2)), ==, 1.0);
}

static void
test_step (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint seeks;

  if (!open_scene (f))
    return;
  seek_and_wait (f, 2100 * GST_MSECOND);

  seeks = f->ev.seek_done;
  g_assert_true (ct_sync_group_step_frames (f->group, 1, &error));
  g_assert_no_error (error);
  g_assert_true (ct_test_wait_seek_done (&f->ev, seeks));
  /* one frame of A (the first recording): 2.1333 s; B at 0.6333 s */
  g_assert_cmpint (frame (f, 0), ==, 64);
  assert_in_step (f, 1, ct_sync_group_get_position (f->group), 25);

  seeks = f->ev.seek_done;
  g_assert_true (ct_sync_group_step_frames (f->group, -4, &error));
  g_assert_true (ct_test_wait_seek_done (&f->ev, seeks));
  g_assert_cmpint (frame (f, 0), ==, 60);
  assert_in_step (f, 1, ct_sync_group_get_position (f->group), 25);
  /* A's frame 60, give or take the nanosecond of rounding 1/30 s */
  g_assert_cmpuint (ct_sync_group_get_position (f->group), >=, 2 * GST_SECOND - 1);
  g_assert_cmpuint (ct_sync_group_get_position (f->group), <=, 2 * GST_SECOND + 1);

  /* stepping while playing pauses first */
  g_assert_true (ct_sync_group_play (f->group, &error));
  ct_test_run_for (400);
  seeks = f->ev.seek_done;
  g_assert_true (ct_sync_group_step_frames (f->group, 1, &error));
  g_assert_true (ct_test_wait_seek_done (&f->ev, seeks));
  g_assert_cmpint (ct_sync_group_get_state (f->group), ==, CT_PLAYER_STATE_PAUSED);
  assert_in_step (f, 0, ct_sync_group_get_position (f->group), 30);
  assert_in_step (f, 1, ct_sync_group_get_position (f->group), 25);
}

static void
test_eos (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint seeks;

  if (!open_scene (f))
    return;
  seek_and_wait (f, ct_sync_group_get_duration (f->group) - 600 * GST_MSECOND);
  g_assert_true (ct_sync_group_play (f->group, &error));
  g_assert_true (ct_test_wait_flag (&f->ev.eos, CT_TEST_WAIT_MS));
  g_assert_cmpint (ct_sync_group_get_state (f->group), ==, CT_PLAYER_STATE_EOS);
  g_assert_cmpuint (ct_sync_group_get_position (f->group), ==, ct_sync_group_get_duration (f->group));
  for (guint i = 0; i < 3; i++)
    g_assert_false (ct_sync_group_is_recording (f->group, i));

  /* play again: from the start */
  seeks = f->ev.seek_done;
  g_assert_true (ct_sync_group_play (f->group, &error));
  g_assert_true (ct_test_wait_seek_done (&f->ev, seeks));
  g_assert_cmpint (ct_sync_group_get_state (f->group), ==, CT_PLAYER_STATE_PLAYING);
  g_assert_true (ct_sync_group_is_recording (f->group, 0));
  g_assert_cmpuint (ct_sync_group_get_position (f->group), <, GST_SECOND);
  g_assert_true (ct_sync_group_pause (f->group, &error));
}

/* ---- media ------------------------------------------------------------------ */

static gboolean
make (const char *name, int fps, int frames, const char *pattern)
{
  g_autofree char *path = g_build_filename (media_dir, name, NULL);

  return ct_test_make_h264 (path, 160, 120, fps, frames, pattern);
}

int
main (int argc, char *argv[])
{
  g_autofree char *launcher = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  media_dir = g_dir_make_tmp ("casetrail-sync-XXXXXX", NULL);
  g_assert_nonnull (media_dir);
  launcher = g_find_program_in_path ("gst-launch-1.0");
  if (launcher != NULL && ct_test_have_element ("x264enc") && ct_test_have_element ("h264parse")
      && ct_test_have_element ("mp4mux"))
    have_media = make ("a.mp4", 30, 120, "ball") && make ("b.mp4", 25, 75, "smpte");

  g_test_add ("/sync/refuse", Fixture, NULL, fixture_setup, test_refuse, fixture_teardown);
  g_test_add ("/sync/open-error", Fixture, NULL, fixture_setup, test_open_error, fixture_teardown);
  g_test_add ("/sync/timeline", Fixture, NULL, fixture_setup, test_timeline, fixture_teardown);
  g_test_add ("/sync/seek", Fixture, NULL, fixture_setup, test_seek, fixture_teardown);
  g_test_add ("/sync/play", Fixture, NULL, fixture_setup, test_play, fixture_teardown);
  g_test_add ("/sync/correct", Fixture, NULL, fixture_setup, test_correct, fixture_teardown);
  g_test_add ("/sync/rate", Fixture, NULL, fixture_setup, test_rate, fixture_teardown);
  g_test_add ("/sync/step", Fixture, NULL, fixture_setup, test_step, fixture_teardown);
  g_test_add ("/sync/eos", Fixture, NULL, fixture_setup, test_eos, fixture_teardown);

  status = g_test_run ();
  ct_test_remove_media_dir (media_dir);
  g_free (media_dir);
  return status;
}

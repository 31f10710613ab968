/* test-probe.c — the media probe helper and its caller, on real and broken media
 *
 * Needs CASETRAIL_SOURCE_ROOT (for tests/media/make-media.sh) and
 * CASETRAIL_PROBE (the built casetrail-probe).  Media the installed
 * encoders cannot make is skipped, and so is everything when the helper or
 * gst-launch-1.0 is missing.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ct-error.h"
#include "ct-probe.h"

/* what make-media.sh writes into the files */
#define EXPECT_YEAR 2024
#define EXPECT_MONTH 5
#define EXPECT_DAY 17
#define EXPECT_HOUR 9
#define EXPECT_MINUTE 30
#define EXPECT_SECOND 15
#define EXPECT_LAT 39.9042
#define EXPECT_LON 116.4074
#define EXPECT_ALT 43.5
#define EXPECT_MAKE "Casetrail"
#define EXPECT_MODEL "DSJ-T1"

/* what make-media-ffmpeg.sh writes into its files */
#define FF_YEAR 2023
#define FF_MONTH 11
#define FF_DAY 2
#define FF_HOUR 14
#define FF_MINUTE 5
#define FF_SECOND 9
#define FF_LAT 31.2304
#define FF_LON 121.4737
#define FF_ALT 12.5
#define FF_WIDTH 352
#define FF_HEIGHT 288
#define FF_FPS 30.0
#define FF_RATE 48000
#define FF_DURATION_MS 4000

static char *media_dir;       /* generated corpus */
static char *real_helper;     /* CASETRAIL_PROBE as given */
static GHashTable *made;      /* names make-media.sh made */
static GHashTable *skipped;   /* name → why make-media.sh skipped it */
static char *make_output;

/* ---- fixtures ----------------------------------------------------------- */

static gboolean
have_helper (void)
{
  if (real_helper == NULL || !g_file_test (real_helper, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("CASETRAIL_PROBE does not name the built casetrail-probe");
      return FALSE;
    }
  return TRUE;
}

static char *
media (const char *name)
{
  if (media_dir == NULL)
    {
      g_test_skip ("no media corpus (CASETRAIL_SOURCE_ROOT unset or make-media.sh failed)");
      return NULL;
    }
  if (!g_hash_table_contains (made, name))
    {
      const char *why = g_hash_table_lookup (skipped, name);
      g_autofree char *msg = g_strdup_printf ("%s was not made by make-media.sh: %s", name,
                                              why != NULL ? why : "missing encoder");
      g_test_skip (msg);
      return NULL;
    }
  return g_build_filename (media_dir, name, NULL);
}

static void
make_corpus (void)
{
  const char *root = g_getenv ("CASETRAIL_SOURCE_ROOT");
  g_autofree char *script = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int status = 0;

  made = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  skipped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (root == NULL)
    return;
  script = g_build_filename (root, "tests", "media", "make-media.sh", NULL);
  if (!g_file_test (script, G_FILE_TEST_EXISTS))
    return;
  media_dir = g_dir_make_tmp ("casetrail-probe-XXXXXX", &error);
  g_assert_no_error (error);

  {
    const char *argv[] = { "/bin/sh", script, media_dir, NULL };
    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                       &make_output, &err, &status, &error))
      {
        g_printerr ("make-media.sh: %s\n", error->message);
        return;
      }
  }
  lines = g_strsplit (make_output, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "MADE "))
        g_hash_table_add (made, g_strdup (lines[i] + 5));
      else if (g_str_has_prefix (lines[i], "SKIP ") || g_str_has_prefix (lines[i], "MISSING"))
        {
          const char *colon = strstr (lines[i], ": ");
          g_test_message ("make-media.sh: %s", lines[i]);
          if (g_str_has_prefix (lines[i], "SKIP ") && colon != NULL)
            g_hash_table_replace (skipped, g_strndup (lines[i] + 5, colon - (lines[i] + 5)),
                                  g_strdup (colon + 2));
        }
    }
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

/* A shell script standing in for the helper. */
static char *
fake_helper (const char *name, const char *body)
{
  g_autofree char *dir = NULL;
  g_autofree char *text = g_strdup_printf ("#!/bin/sh\n%s\n", body);
  g_autoptr(GError) error = NULL;
  char *path;

  if (media_dir == NULL)
    {
      media_dir = g_dir_make_tmp ("casetrail-probe-XXXXXX", &error);
      g_assert_no_error (error);
    }
  path = g_build_filename (media_dir, name, NULL);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return path;
}

static CtProbeResult *
probe_with (const char *helper, const char *file, guint timeout_ms, gint64 *elapsed_ms)
{
  g_autoptr(GError) error = NULL;
  CtProbeResult *r;
  gint64 t0 = g_get_monotonic_time ();

  r = ct_probe_file_full (helper, file, timeout_ms, NULL, &error);
  if (elapsed_ms != NULL)
    *elapsed_ms = (g_get_monotonic_time () - t0) / 1000;
  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

static CtProbeResult *
probe_ok (const char *file)
{
  g_autoptr(GError) error = NULL;
  CtProbeResult *r = ct_probe_file (file, 20000, &error);

  g_assert_no_error (error);
  g_assert_nonnull (r);
  if (r->status != CT_PROBE_OK)
    g_error ("%s: unreadable: %s", file, r->reason);
  g_assert_nonnull (r->json);
  g_assert_null (r->reason);
  return r;
}

static void
assert_duration (const CtProbeResult *r, gint64 expect_ms)
{
  g_assert_cmpint (r->duration_ms, >=, expect_ms * 9 / 10);
  g_assert_cmpint (r->duration_ms, <=, expect_ms * 11 / 10);
}

static void
assert_time (const CtProbeResult *r, int y, int mo, int d, int h, int mi, int sec)
{
  g_autoptr(GDateTime) want = g_date_time_new_utc (y, mo, d, h, mi, sec);

  g_assert_nonnull (r->created_iso);
  g_assert_nonnull (r->created_at);
  g_assert_cmpint (g_date_time_to_unix (r->created_at), ==, g_date_time_to_unix (want));
}

static void
assert_recorded_at (const CtProbeResult *r)
{
  assert_time (r, EXPECT_YEAR, EXPECT_MONTH, EXPECT_DAY, EXPECT_HOUR, EXPECT_MINUTE, EXPECT_SECOND);
}

static void
assert_ff_recorded_at (const CtProbeResult *r)
{
  assert_time (r, FF_YEAR, FF_MONTH, FF_DAY, FF_HOUR, FF_MINUTE, FF_SECOND);
}

/* EPS is the precision of the box: 1/65536° for 'loci' (16.16 fixed
 * point), the printed digits for an ISO 6709 string. */
static void
assert_ff_gps (const CtProbeResult *r, double eps)
{
  g_assert_true (r->has_gps);
  g_assert_cmpfloat_with_epsilon (r->lat, FF_LAT, eps);
  g_assert_cmpfloat_with_epsilon (r->lon, FF_LON, eps);
  g_assert_true (r->has_alt);
  g_assert_cmpfloat_with_epsilon (r->alt, FF_ALT, 1e-3);
}

/* ---- good media ----------------------------------------------------------- */

static void
check_h264_aac (const char *name, const char *container)
{
  g_autofree char *file = NULL;
  g_autoptr(CtProbeResult) r = NULL;

  if (!have_helper () || (file = media (name)) == NULL)
    return;
  r = probe_ok (file);
  g_assert_cmpstr (r->container, ==, container);
  g_assert_true (r->has_video);
  g_assert_true (r->has_audio);
  g_assert_false (r->is_image);
  g_assert_cmpstr (r->video_codec, ==, "h264");
  g_assert_cmpuint (r->width, ==, 320);
  g_assert_cmpuint (r->height, ==, 240);
  g_assert_cmpfloat_with_epsilon (r->fps, 25.0, 0.01);
  g_assert_cmpstr (r->audio_codec, ==, "aac");
  g_assert_cmpuint (r->channels, ==, 2);
  g_assert_cmpuint (r->rate, ==, 44100);
  assert_duration (r, 3000);
  assert_recorded_at (r);
  g_assert_false (r->has_gps);
}

static void
test_mp4_h264 (void)
{
  check_h264_aac ("h264-aac.mp4", "mp4");
}

static void
test_mov (void)
{
  check_h264_aac ("h264-aac.mov", "mov");
}

static void
test_mp4_h265 (void)
{
  g_autofree char *file = NULL;
  g_autoptr(CtProbeResult) r = NULL;

  if (!have_helper () || (file = media ("h265.mp4")) == NULL)
    return;
  r = probe_ok (file);
  g_assert_cmpstr (r->container, ==, "mp4");
  g_assert_true (r->has_video);
  g_assert_false (r->has_audio);
  g_assert_cmpstr (r->video_codec, ==, "h265");
  g_assert_cmpuint (r->width, ==, 320);
  g_assert_cmpuint (r->height, ==, 240);
  assert_duration (r, 3000);
  assert_recorded_at (r);
}

static void
check_audio (const char *name, const char *container, const char *codec)
{
  g_autofree char *file = NULL;
  g_autoptr(CtProbeResult) r = NULL;

  if (!have_helper () || (file = media (name)) == NULL)
    return;
  r = probe_ok (file);
  g_assert_cmpstr (r->container, ==, container);
  g_assert_false (r->has_video);
  g_assert_false (r->is_image);
  g_assert_true (r->has_audio);
  g_assert_cmpstr (r->audio_codec, ==, codec);
  g_assert_cmpuint (r->channels, ==, 2);
  g_assert_cmpuint (r->rate, ==, 44100);
  assert_duration (r, 3000);
}

static void
test_wav (void)
{
  check_audio ("tone.wav", "wav", "pcm");
}

static void
test_mp3 (void)
{
  check_audio ("tone.mp3", "mp3", "mp3");
}

static void
test_aac (void)
{
  check_audio ("tone.aac", "aac", "aac");
}

static void
test_jpeg_exif (void)
{
  g_autofree char *file = NULL;
  g_autoptr(CtProbeResult) r = NULL;

  if (!have_helper () || (file = media ("photo.jpg")) == NULL)
    return;
  r = probe_ok (file);
  g_assert_cmpstr (r->container, ==, "jpeg");
  g_assert_true (r->is_image);
  g_assert_false (r->has_video);
  g_assert_false (r->has_audio);
  g_assert_cmpuint (r->width, ==, 640);
  g_assert_cmpuint (r->height, ==, 480);
  g_assert_cmpint (r->duration_ms, ==, 0);
  assert_recorded_at (r);
  g_assert_true (r->has_gps);
  /* EXIF stores degrees/minutes/seconds as rationals: about 1e-6° */
  g_assert_cmpfloat_with_epsilon (r->lat, EXPECT_LAT, 1e-5);
  g_assert_cmpfloat_with_epsilon (r->lon, EXPECT_LON, 1e-5);
  g_assert_true (r->has_alt);
  g_assert_cmpfloat_with_epsilon (r->alt, EXPECT_ALT, 0.01);
  g_assert_cmpstr (r->device_make, ==, EXPECT_MAKE);
  g_assert_cmpstr (r->device_model, ==, EXPECT_MODEL);
}

/* ---- the same kinds of file made by ffmpeg (make-media-ffmpeg.sh) -------- */

static void
assert_ff_video (const CtProbeResult *r, const char *container, const char *codec)
{
  g_assert_cmpstr (r->container, ==, container);
  g_assert_true (r->has_video);
  g_assert_false (r->is_image);
  g_assert_cmpstr (r->video_codec, ==, codec);
  g_assert_cmpuint (r->width, ==, FF_WIDTH);
  g_assert_cmpuint (r->height, ==, FF_HEIGHT);
  g_assert_cmpfloat_with_epsilon (r->fps, FF_FPS, 0.01);
  assert_duration (r, FF_DURATION_MS);
  assert_ff_recorded_at (r);
}

static void
assert_ff_aac (const CtProbeResult *r)
{
  g_assert_true (r->has_audio);
  g_assert_cmpstr (r->audio_codec, ==, "aac");
  g_assert_cmpuint (r->channels, ==, 1);
  g_assert_cmpuint (r->rate, ==, FF_RATE);
}

static void
test_ff_mp4_h264 (void)
{
  g_autofree char *file = NULL;
  g_autoptr(CtProbeResult) r = NULL;

  if (!have_helper () || (file = media ("ff-h264-aac.mp4")) == NULL)
    return;
  r = probe_ok (file);
  assert_ff_video (r, "mp4", "h264");
  assert_ff_aac (r);
  /* moov/udta/loci next to an iTunes meta: qtdemux skips it, the probe reads it */
  assert_ff_gps (r, 2e-5);
}

static void
test_ff_mp4_h265 (void)
{
  g_autofree char *file = NULL;
  g_autoptr(CtProbeResult) r = NULL;

  if (!have_helper () || (file = media ("ff-h265.mp4")) == NULL)
    return;
  r = probe_ok (file);
  assert_ff_video (r, "mp4", "h265");
  g_assert_false (r->has_audio);
  assert_ff_gps (r, 2e-5);
}

static void
test_ff_mov (void)
{
  g_autofree char *file = NULL;
  g_autoptr(CtProbeResult) r = NULL;

  if (!have_helper () || (file = media ("ff-h264-aac.mov")) == NULL)
    return;
  r = probe_ok (file);
  assert_ff_video (r, "mov", "h264");
  assert_ff_aac (r);
  /* moov/udta/©xyz "+31.2304+121.4737+012.500/" */
  assert_ff_gps (r, 1e-9);
}

static void
test_ff_mov_keys (void)
{
  g_autofree char *file = NULL;
  g_autoptr(CtProbeResult) r = NULL;

  if (!have_helper () || (file = media ("ff-keys.mov")) == NULL)
    return;
  r = probe_ok (file);
  assert_ff_video (r, "mov", "h264");
  g_assert_false (r->has_audio);
  /* moov/meta keys: com.apple.quicktime.location.ISO6709 */
  assert_ff_gps (r, 1e-9);
}

static void
test_ff_wav (void)
{
  g_autofree char *file = NULL;
  g_autoptr(CtProbeResult) r = NULL;

  if (!have_helper () || (file = media ("ff-tone.wav")) == NULL)
    return;
  r = probe_ok (file);
  g_assert_cmpstr (r->container, ==, "wav");
  g_assert_false (r->has_video);
  g_assert_false (r->is_image);
  g_assert_true (r->has_audio);
  g_assert_cmpstr (r->audio_codec, ==, "pcm");
  g_assert_cmpuint (r->channels, ==, 1);
  g_assert_cmpuint (r->rate, ==, FF_RATE);
  assert_duration (r, FF_DURATION_MS);
  /* bext OriginationDate/Time, which carry no zone (read as UTC) */
  g_assert_cmpstr (r->created_iso, ==, "2023-11-02T14:05:09");
  assert_ff_recorded_at (r);
  g_assert_false (r->has_gps);
}

static void
test_ff_jpeg (void)
{
  g_autofree char *file = NULL;
  g_autoptr(CtProbeResult) r = NULL;

  if (!have_helper () || (file = media ("ff-photo.jpg")) == NULL)
    return;
  r = probe_ok (file);
  g_assert_cmpstr (r->container, ==, "jpeg");
  g_assert_true (r->is_image);
  g_assert_false (r->has_video);
  g_assert_false (r->has_audio);
  g_assert_cmpuint (r->width, ==, 800);
  g_assert_cmpuint (r->height, ==, 600);
  g_assert_cmpint (r->duration_ms, ==, 0);
  /* ffmpeg writes no EXIF: no time, no place, and none made up */
  g_assert_null (r->created_iso);
  g_assert_false (r->has_gps);
}

/* ---- bad media: unreadable with a reason, never a crash or a hang ------------ */

typedef struct {
  const char *name;
  const char *reason;   /* a part of the reason given, or NULL to accept any */
} BadCase;

static const BadCase bad_cases[] = {
  { "bad-empty.mp4", "the file is empty" },
  { "bad-random.mp4", "cannot read the media" },
  /* index at the end (mdat first): GStreamer alone says "incomplete" */
  { "bad-trunc-1.mp4", "the file is truncated" },
  { "bad-trunc-10.mp4", "the file is truncated" },
  { "bad-trunc-50.mp4", "the file is truncated" },
  { "bad-trunc-99.mp4", "the file is truncated" },
  /* index in front: GStreamer alone would call these whole */
  { "bad-fast-trunc-1.mp4", "the file is truncated" },
  { "bad-fast-trunc-10.mp4", "the file is truncated" },
  { "bad-fast-trunc-50.mp4", "the file is truncated" },
  { "bad-fast-trunc-99.mp4", "the file is truncated" },
  { "bad-moov.mp4", NULL },
  { "bad-index.mp4", NULL },
  { "bad-huge.mp4", "implausible picture size 65535 × 65535" },
  { "bad-huge.png", "implausible picture size 100000 × 100000" },
  { "bad-huge.jpg", "implausible picture size 65500 × 65500" },
  { "bad-loop-a.mp4", "cannot open the file" },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *bc = data;
  const char *name = bc->name;
  g_autofree char *file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtProbeResult) r = NULL;
  gint64 t0 = g_get_monotonic_time ();

  if (!have_helper () || (file = media (name)) == NULL)
    return;
  r = ct_probe_file (file, 10000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_test_message ("%s: %s", name, r->reason ? r->reason : "(ok)");
  g_assert_cmpint (r->status, ==, CT_PROBE_UNREADABLE);
  g_assert_nonnull (r->reason);
  g_assert_cmpstr (r->reason, !=, "");
  /* the helper's own answer, not our kill */
  g_assert_null (strstr (r->reason, "crashed"));
  g_assert_null (strstr (r->reason, "took longer"));
  g_assert_null (strstr (r->reason, "did not finish"));
  if (bc->reason != NULL)
    g_assert_nonnull (strstr (r->reason, bc->reason));
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 11 * G_USEC_PER_SEC);
}

/* Root reads a mode-000 file anyway, so as root the helper runs as nobody
 * (setpriv) to meet the permission check a normal user meets. */
static void
test_unreadable (void)
{
  g_autofree char *file = NULL;
  g_autofree char *helper = NULL;
  g_autofree char *setpriv = NULL;
  g_autoptr(CtProbeResult) r = NULL;

  if (!have_helper () || (file = media ("bad-unreadable.mp4")) == NULL)
    return;
  if (geteuid () == 0)
    {
      g_autofree char *quoted = NULL;
      g_autofree char *body = NULL;

      setpriv = g_find_program_in_path ("setpriv");
      if (setpriv == NULL)
        {
          g_test_skip ("running as root without setpriv (util-linux): permissions do not stop root");
          return;
        }
      quoted = g_shell_quote (real_helper);
      body = g_strdup_printf ("exec %s --reuid=65534 --regid=65534 --clear-groups -- %s \"$@\"",
                              setpriv, quoted);
      helper = fake_helper ("nobody-probe", body);
      /* nobody must reach the file to be refused by its mode */
      g_assert_cmpint (g_chmod (media_dir, 0711), ==, 0);
    }
  else
    helper = g_strdup (real_helper);

  r = probe_with (helper, file, 10000, NULL);
  if (geteuid () == 0)
    g_assert_cmpint (g_chmod (media_dir, 0700), ==, 0);
  g_test_message ("bad-unreadable.mp4: %s", r->reason ? r->reason : "(ok)");
  g_assert_cmpint (r->status, ==, CT_PROBE_UNREADABLE);
  g_assert_nonnull (r->reason);
  g_assert_nonnull (strstr (r->reason, "cannot read the file"));
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtProbeResult) r = NULL;

  if (!have_helper ())
    return;
  r = ct_probe_file ("/nonexistent/casetrail/clip.mp4", 5000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->status, ==, CT_PROBE_UNREADABLE);
  g_assert_nonnull (strstr (r->reason, "No such file"));
}

/* ---- the helper misbehaving ----------------------------------------------- */

static void
test_timeout_fake (void)
{
  /* not exec: the sleeping grandchild keeps the pipe open, the group kill must get it */
  g_autofree char *helper = fake_helper ("sleepy-probe", "sleep 30\necho '{\"ok\":true}'");
  g_autoptr(CtProbeResult) r = NULL;
  gint64 ms = 0;

  r = probe_with (helper, "/dev/null", 300, &ms);
  g_assert_cmpint (r->status, ==, CT_PROBE_UNREADABLE);
  g_assert_cmpstr (r->reason, ==, "probing took longer than 0.3 s");
  g_assert_cmpint (ms, <, 5000);

  g_clear_pointer (&r, ct_probe_result_free);
  r = probe_with (helper, "/dev/null", 1000, &ms);
  g_assert_cmpstr (r->reason, ==, "probing took longer than 1 s");
  g_assert_cmpint (ms, <, 6000);
}

static void
test_timeout_real (void)
{
  g_autofree char *file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtProbeResult) r = NULL;

  if (!have_helper () || (file = media ("h264-aac.mp4")) == NULL)
    return;
  /* too short to start GStreamer: killed and reported, or (very fast machine) read */
  r = ct_probe_file (file, 5, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  if (r->status == CT_PROBE_UNREADABLE)
    g_assert_nonnull (strstr (r->reason, "took longer than"));
}

static void
test_crash (void)
{
  g_autofree char *helper = fake_helper ("crashy-probe", "kill -SEGV $$");
  g_autoptr(CtProbeResult) r = probe_with (helper, "/dev/null", 5000, NULL);

  g_assert_cmpint (r->status, ==, CT_PROBE_UNREADABLE);
  g_assert_nonnull (strstr (r->reason, "SIGSEGV"));
}

static void
test_abort (void)
{
  g_autofree char *helper = fake_helper ("aborty-probe", "kill -ABRT $$");
  g_autoptr(CtProbeResult) r = probe_with (helper, "/dev/null", 5000, NULL);

  g_assert_cmpint (r->status, ==, CT_PROBE_UNREADABLE);
  g_assert_nonnull (strstr (r->reason, "SIGABRT"));
}

static void
test_no_answer (void)
{
  g_autofree char *quiet = fake_helper ("quiet-probe", "exit 3");
  g_autofree char *garbage = fake_helper ("garbage-probe", "echo 'this is not json'");
  g_autofree char *wrong = fake_helper ("wrong-probe", "echo '[1,2,3]'");
  g_autoptr(CtProbeResult) r = NULL;

  r = probe_with (quiet, "/dev/null", 5000, NULL);
  g_assert_cmpint (r->status, ==, CT_PROBE_UNREADABLE);
  g_assert_nonnull (strstr (r->reason, "exit status 3"));
  g_clear_pointer (&r, ct_probe_result_free);

  r = probe_with (garbage, "/dev/null", 5000, NULL);
  g_assert_cmpint (r->status, ==, CT_PROBE_UNREADABLE);
  g_assert_cmpstr (r->reason, !=, "");
  g_clear_pointer (&r, ct_probe_result_free);

  r = probe_with (wrong, "/dev/null", 5000, NULL);
  g_assert_cmpint (r->status, ==, CT_PROBE_UNREADABLE);
  g_assert_cmpstr (r->reason, !=, "");
}

static void
test_parse_fake_answer (void)
{
  g_autofree char *helper = fake_helper ("canned-probe",
    "echo '{\"ok\":true,\"container\":\"mp4\",\"duration_ms\":1234,"
    "\"video\":[{\"codec\":\"h264\",\"width\":1920,\"height\":1080,\"framerate\":29.97}],"
    "\"audio\":[{\"codec\":\"aac\",\"channels\":1,\"rate\":48000}],"
    "\"created\":\"2023-01-02T03:04:05+08:00\",\"gps\":{\"lat\":31.5,\"lon\":121.25,\"alt\":null},"
    "\"device\":{\"make\":\"M\",\"model\":\"X\",\"serial\":\"SN1\"},\"tags\":{}}'");
  g_autoptr(CtProbeResult) r = probe_with (helper, "/dev/null", 5000, NULL);
  g_autoptr(GDateTime) want = g_date_time_new_utc (2023, 1, 1, 19, 4, 5);

  g_assert_cmpint (r->status, ==, CT_PROBE_OK);
  g_assert_cmpstr (r->container, ==, "mp4");
  g_assert_cmpint (r->duration_ms, ==, 1234);
  g_assert_cmpuint (r->width, ==, 1920);
  g_assert_cmpfloat_with_epsilon (r->fps, 29.97, 1e-9);
  g_assert_cmpuint (r->channels, ==, 1);
  g_assert_cmpuint (r->rate, ==, 48000);
  g_assert_cmpint (g_date_time_to_unix (r->created_at), ==, g_date_time_to_unix (want));
  g_assert_true (r->has_gps);
  g_assert_false (r->has_alt);
  g_assert_cmpfloat (r->lat, ==, 31.5);
  g_assert_cmpstr (r->device_serial, ==, "SN1");
}

static void
test_helper_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtProbeResult) r = NULL;

  r = ct_probe_file_full ("/nonexistent/casetrail-probe", "/dev/null", 1000, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, CT_ERROR, CT_ERROR_IO);
}

/* ---- async ------------------------------------------------------------------ */

typedef struct {
  GMainLoop     *loop;
  CtProbeResult *result;
  GError        *error;
} AsyncData;

static void
on_probed (GObject *source, GAsyncResult *res, gpointer user_data)
{
  AsyncData *d = user_data;

  d->result = ct_probe_file_finish (res, &d->error);
  g_main_loop_quit (d->loop);
}

static void
test_async (void)
{
  g_autofree char *file = NULL;
  AsyncData d = { 0 };

  if (!have_helper () || (file = media ("h264-aac.mp4")) == NULL)
    return;
  d.loop = g_main_loop_new (NULL, FALSE);
  ct_probe_file_async (file, 20000, NULL, on_probed, &d);
  g_main_loop_run (d.loop);
  g_assert_no_error (d.error);
  g_assert_nonnull (d.result);
  g_assert_cmpint (d.result->status, ==, CT_PROBE_OK);
  g_assert_cmpstr (d.result->video_codec, ==, "h264");
  ct_probe_result_free (d.result);
  g_main_loop_unref (d.loop);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (200 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel (void)
{
  g_autofree char *helper = fake_helper ("slow-probe", "exec sleep 30");
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CtProbeResult) r = NULL;
  gint64 t0 = g_get_monotonic_time ();
  GThread *canceller = g_thread_new ("cancel", cancel_later, cancel);

  r = ct_probe_file_full (helper, "/dev/null", 20000, cancel, &error);
  g_thread_join (canceller);
  g_assert_null (r);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
}

static void
test_async_cancelled (void)
{
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  AsyncData d = { 0 };

  g_cancellable_cancel (cancel);
  d.loop = g_main_loop_new (NULL, FALSE);
  ct_probe_file_async ("/dev/null", 1000, cancel, on_probed, &d);
  g_main_loop_run (d.loop);
  g_assert_null (d.result);
  g_assert_error (d.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&d.error);
  g_main_loop_unref (d.loop);
}

/* ---- thumbnails --------------------------------------------------------------- */

/* Width and height from a PNG's IHDR. */
static void
png_size (const char *path,
          guint      *width,
          guint      *height)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  const guint8 *p;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 24);
  p = (const guint8 *) data;
  g_assert_cmpmem (p + 1, 3, "PNG", 3);
  *width = (guint) p[16] << 24 | (guint) p[17] << 16 | (guint) p[18] << 8 | p[19];
  *height = (guint) p[20] << 24 | (guint) p[21] << 16 | (guint) p[22] << 8 | p[23];
}

static void
test_thumbnail_picture (gconstpointer data)
{
  const char *name = data;
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  guint w, h;

  if (!have_helper () || (file = media (name)) == NULL)
    return;
  out = g_strconcat (file, ".thumb.png", NULL);
  g_assert_true (ct_probe_thumbnail (file, out, 160, 0, NULL, &error));
  g_assert_no_error (error);
  png_size (out, &w, &h);
  g_assert_cmpuint (w, ==, 160);
  /* The corpus pictures are 4:3 (ffmpeg's 352 × 288 is 11:9). */
  g_assert_cmpuint (h, ==, g_str_has_prefix (name, "ff-h2") || g_str_has_prefix (name, "ff-h264") ? 131 : 120);
  g_unlink (out);
}

static void
test_thumbnail_none (gconstpointer data)
{
  const char *name = data;
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_helper () || (file = media (name)) == NULL)
    return;
  out = g_strconcat (file, ".thumb.png", NULL);
  g_assert_false (ct_probe_thumbnail (file, out, 160, 0, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
  g_test_message ("%s: %s", name, error->message);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

/* --frames: the key frames nearest the positions, one PNG each. */
static void
test_frames (void)
{
  g_autofree char *file = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 at[] = { 0, 1000, 2500 };
  guint w, h;

  if (!have_helper () || (file = media ("h264-aac.mp4")) == NULL)
    return;
  prefix = g_strconcat (file, ".strip", NULL);
  g_assert_true (ct_probe_frames (file, prefix, at, G_N_ELEMENTS (at), 80, 0, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    {
      g_autofree char *out = g_strdup_printf ("%s-%u.png", prefix, i);
      png_size (out, &w, &h);
      g_assert_cmpuint (w, ==, 80);
      g_assert_cmpuint (h, ==, 60);
      g_unlink (out);
    }
  {
    g_autofree char *none = g_strdup_printf ("%s-3.png", prefix);
    g_assert_false (g_file_test (none, G_FILE_TEST_EXISTS));
  }

  /* Nothing to show in a sound file. */
  g_clear_pointer (&file, g_free);
  if ((file = media ("ff-tone.wav")) == NULL)
    return;
  g_assert_false (ct_probe_frames (file, prefix, at, 1, 80, 0, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("CASETRAIL_PROBE") != NULL)
    real_helper = g_strdup (g_getenv ("CASETRAIL_PROBE"));
  make_corpus ();

  g_test_add_func ("/probe/good/mp4-h264-aac", test_mp4_h264);
  g_test_add_func ("/probe/good/mp4-h265", test_mp4_h265);
  g_test_add_func ("/probe/good/mov", test_mov);
  g_test_add_func ("/probe/good/wav", test_wav);
  g_test_add_func ("/probe/good/mp3", test_mp3);
  g_test_add_func ("/probe/good/aac", test_aac);
  g_test_add_func ("/probe/good/jpeg-exif", test_jpeg_exif);
  g_test_add_func ("/probe/ffmpeg/mp4-h264-aac", test_ff_mp4_h264);
  g_test_add_func ("/probe/ffmpeg/mp4-h265", test_ff_mp4_h265);
  g_test_add_func ("/probe/ffmpeg/mov", test_ff_mov);
  g_test_add_func ("/probe/ffmpeg/mov-keys", test_ff_mov_keys);
  g_test_add_func ("/probe/ffmpeg/wav", test_ff_wav);
  g_test_add_func ("/probe/ffmpeg/jpeg", test_ff_jpeg);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/probe/bad/%s", bad_cases[i].name);
      g_test_add_data_func (path, &bad_cases[i], test_bad);
    }
  g_test_add_func ("/probe/bad/unreadable", test_unreadable);
  g_test_add_func ("/probe/bad/missing-file", test_missing_file);
  g_test_add_data_func ("/probe/thumbnail/h264", "h264-aac.mp4", test_thumbnail_picture);
  g_test_add_func ("/probe/frames", test_frames);
  g_test_add_data_func ("/probe/thumbnail/h265", "h265.mp4", test_thumbnail_picture);
  g_test_add_data_func ("/probe/thumbnail/ffmpeg-mov", "ff-h264-aac.mov", test_thumbnail_picture);
  g_test_add_data_func ("/probe/thumbnail/jpeg", "photo.jpg", test_thumbnail_picture);
  g_test_add_data_func ("/probe/thumbnail/audio", "ff-tone.wav", test_thumbnail_none);
  g_test_add_data_func ("/probe/thumbnail/random", "bad-random.mp4", test_thumbnail_none);
  g_test_add_data_func ("/probe/thumbnail/truncated", "bad-trunc-50.mp4", test_thumbnail_none);
  g_test_add_func ("/probe/helper/timeout", test_timeout_fake);
  g_test_add_func ("/probe/helper/timeout-real", test_timeout_real);
  g_test_add_func ("/probe/helper/crash", test_crash);
  g_test_add_func ("/probe/helper/abort", test_abort);
  g_test_add_func ("/probe/helper/no-answer", test_no_answer);
  g_test_add_func ("/probe/helper/canned-answer", test_parse_fake_answer);
  g_test_add_func ("/probe/helper/missing", test_helper_missing);
  g_test_add_func ("/probe/async/ok", test_async);
  g_test_add_func ("/probe/helper/cancel", test_cancel);
  g_test_add_func ("/probe/async/cancelled", test_async_cancelled);

  ret = g_test_run ();

  if (media_dir != NULL)
    remove_tree (media_dir);
  g_free (media_dir);
  g_free (real_helper);
  g_free (make_output);
  g_clear_pointer (&made, g_hash_table_unref);
  g_clear_pointer (&skipped, g_hash_table_unref);
  return ret;
}

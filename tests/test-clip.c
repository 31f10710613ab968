/* test-clip.c — exporting a clip of a recording as a new medium
 * (ct_store_export_clip): the stream copy in the probe helper, the new
 * object verified, its provenance and audit row, the parent untouched, and
 * the refusals (an outsider, a range outside the recording, an unreadable
 * parent).
 *
 * The recordings are made at test time with gst-launch-1.0: 10 s of
 * 320×240 at 30 fps with a keyframe every second (H.264 with B-frames, or
 * H.265) and AAC sound in MP4, and a 10 s WAV.  Without gst-launch-1.0 or
 * the encoders the tests that need them are skipped. */

#define G_LOG_DOMAIN "casetrail-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ct-db.h"
#include "ct-error.h"
#include "ct-media.h"
#include "ct-review.h"
#include "ct-test-util.h"

#define GOP_MS 1000   /* key-int-max=30 at 30 fps */

static char *media_dir;

static char *
media_path (const char *name)
{
  return g_build_filename (media_dir, name, NULL);
}

static void
launch (const char *pipeline,
        const char *out)
{
  g_autofree char *cmd = g_strdup_printf ("gst-launch-1.0 -q %s", pipeline);
  g_auto(GStrv) argv = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_shell_parse_argv (cmd, NULL, &argv, &error)
      || !g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                        NULL, NULL, NULL, &err, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("# could not make %s: %s %s\n", out, error->message, err != NULL ? err : "");
      g_unlink (out);
    }
}

static void
make_media (void)
{
  const char *vsrc = "videotestsrc num-buffers=300 pattern=ball "
                     "! video/x-raw,width=320,height=240,framerate=30/1,format=I420";
  const char *asrc = "audiotestsrc num-buffers=430 ! audio/x-raw,rate=44100,channels=1 "
                     "! avenc_aac ! aacparse ! queue ! mux.";
  g_autofree char *h264 = media_path ("h264.mp4");
  g_autofree char *h265 = media_path ("h265.mp4");
  g_autofree char *wav = media_path ("tone.wav");
  g_autofree char *p1 = g_strdup_printf ("%s ! x264enc key-int-max=30 bframes=2 speed-preset=superfast "
                                         "! h264parse ! queue ! mp4mux name=mux ! filesink location=%s %s",
                                         vsrc, h264, asrc);
  g_autofree char *p2 = g_strdup_printf ("%s ! x265enc key-int-max=30 speed-preset=superfast "
                                         "option-string=open-gop=0 "
                                         "! h265parse ! queue ! mp4mux name=mux ! filesink location=%s %s",
                                         vsrc, h265, asrc);
  g_autofree char *p3 = g_strdup_printf ("audiotestsrc num-buffers=100 samplesperbuffer=4410 "
                                         "! audio/x-raw,rate=44100,channels=1,format=S16LE "
                                         "! wavenc ! filesink location=%s", wav);

  launch (p1, h264);
  launch (p2, h265);
  launch (p3, wav);
}

/* ---- fixtures ------------------------------------------------------------------------- */

typedef struct {
  char      *dir;
  CtStore   *store;
  CtSession *h1;
  CtSession *h2;
  gint64     case_id;
} Fixture;

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  ct_test_set_now ("2026-03-02T08:00:00Z");
  f->dir = ct_test_make_dir ();
  f->store = ct_test_store_new (f->dir, FALSE);
  f->h1 = ct_test_login (f->store, "h1");
  f->h2 = ct_test_login (f->store, "h2");
  f->case_id = ct_test_new_case (f->store, "涉嫌销售过期食品");
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  g_clear_pointer (&f->h1, ct_session_unref);
  g_clear_pointer (&f->h2, ct_session_unref);
  g_clear_object (&f->store);
  ct_test_remove_dir (f->dir);
  g_free (f->dir);
  ct_test_clock_reset ();
}

static CtMedia *
import (Fixture    *f,
        const char *path)
{
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, f->case_id);
  const char *officers[] = { "h1", "h2", NULL };
  CtMediaSpec spec = { .case_ref = ref, .recorded_at = "2026-03-02T09:30:00+08:00", .device = "DSJ-001",
                       .place = "某某超市", .officers = officers };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtMediaImport) imp = ct_store_import_media (f->store, f->h1, path, &spec, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (imp);
  return g_steal_pointer (&imp->media);
}

static CtMedia *
get_media (Fixture *f,
           gint64   id)
{
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(GError) error = NULL;
  CtMedia *m = ct_store_get_media (f->store, ref, &error);

  g_assert_no_error (error);
  return m;
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return ct_test_raw_count (f->dir, sql);
}

/* The parent's row exactly as imported. */
static gint64
parent_unchanged (Fixture       *f,
                  const CtMedia *p)
{
  g_autofree char *sql =
    g_strdup_printf ("SELECT COUNT(*) FROM media WHERE id = %" G_GINT64_FORMAT " AND sha256 = '%s'"
                     " AND size = %" G_GUINT64_FORMAT " AND original_name = '%s' AND stored_at = '%s'"
                     " AND recorded_at = '%s' AND duration_ms = %" G_GINT64_FORMAT " AND title = '%s'"
                     " AND device = 'DSJ-001' AND place = '某某超市' AND disposed_at IS NULL"
                     " AND NOT EXISTS (SELECT 1 FROM media_derivations d WHERE d.media_id = media.id)",
                     p->id, p->sha256, p->size, p->original_name, p->stored_at, p->recorded_at,
                     p->duration_ms, p->title);
  return count (f, sql);
}

/* ---- export ----------------------------------------------------------------------------- */

static void
test_export (Fixture      *f,
             gconstpointer data)
{
  const char *name = data;
  g_autofree char *src = media_path (name);
  g_autoptr(CtMedia) parent = NULL;
  g_autoptr(CtMedia) clip = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) parent_at = NULL;
  g_autoptr(GDateTime) clip_at = NULL;
  g_autofree char *sql = NULL;
  CtObjectStore *objects;
  gboolean is_wav = g_str_has_suffix (name, ".wav");
  gint64 id;

  if (!g_file_test (src, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the recording could not be made here (gst-launch-1.0 or an encoder is missing)");
      return;
    }
  parent = import (f, src);
  g_assert_cmpstr (parent->probe_status, ==, "ok");
  g_assert_cmpint (parent->duration_ms, >=, 9900);
  g_assert_false (parent->late);

  /* A week later h2, another officer of the case, exports
   * 00:00:03.500–00:00:06.200 */
  ct_test_set_now ("2026-03-09T08:00:00Z");
  id = ct_store_export_clip (f->store, f->h2, parent->id, 3500, 6200, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, parent->id);
  clip = get_media (f, id);

  /* Its provenance: the parent, the range asked for and the range the copy
   * holds — a copied video starts at the keyframe at or before the start. */
  g_test_message ("%s: asked 3500-6200 ms, the copy holds %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT
                  " ms, its duration %" G_GINT64_FORMAT " ms", name, clip->clip_actual_start_ms,
                  clip->clip_actual_end_ms, clip->duration_ms);
  g_assert_cmpint (clip->parent_id, ==, parent->id);
  g_assert_cmpstr (clip->parent_sha256, ==, parent->sha256);
  g_assert_cmpstr (clip->parent_name, ==, name);
  g_assert_cmpint (clip->clip_start_ms, ==, 3500);
  g_assert_cmpint (clip->clip_end_ms, ==, 6200);
  g_assert_cmpstr (clip->derive_method, ==, "stream-copy");
  g_assert_cmpint (clip->clip_actual_start_ms, <=, 3500);
  g_assert_cmpint (clip->clip_actual_end_ms, >=, 6200 - 40);
  if (is_wav)
    {
      /* every sample is a keyframe: the range is exact */
      g_assert_cmpint (clip->clip_actual_start_ms, ==, 3500);
      g_assert_cmpint (clip->clip_actual_end_ms, ==, 6200);
    }
  else
    {
      g_assert_cmpint (clip->clip_actual_start_ms, >=, 3500 - GOP_MS - 50);
      g_assert_cmpint (clip->clip_actual_end_ms, <=, 6200 + 100);
    }
  /* The new object's own duration is the range it holds. */
  g_assert_cmpstr (clip->probe_status, ==, "ok");
  g_assert_cmpint (clip->kind, ==, parent->kind);
  g_assert_cmpint (ABS (clip->duration_ms - (clip->clip_actual_end_ms - clip->clip_actual_start_ms)), <=, 50);

  /* A new medium of the same case, with what the parent says about it. */
  g_assert_cmpstr (clip->sha256, !=, parent->sha256);
  g_assert_cmpint (clip->case_id, ==, f->case_id);
  g_assert_cmpint (clip->category, ==, CT_MEDIA_CATEGORY_EVIDENCE);
  g_assert_cmpstr (clip->device, ==, "DSJ-001");
  g_assert_cmpstr (clip->place, ==, "某某超市");
  g_assert_cmpstr (clip->party, ==, parent->party);
  g_assert_cmpstr (clip->cause, ==, parent->cause);
  g_assert_cmpuint (g_strv_length (clip->officers), ==, 2);
  g_assert_cmpstr (clip->officers[0], ==, "h1");
  g_assert_cmpstr (clip->officers[1], ==, "h2");
  g_assert_cmpstr (clip->imported_by, ==, "h2");
  g_assert_nonnull (strstr (clip->original_name, "clip 00-00-03.500-00-00-06.200"));
  g_assert_nonnull (strstr (clip->title, "00:00:03.500"));
  parent_at = g_date_time_new_from_iso8601 (parent->recorded_at, NULL);
  clip_at = g_date_time_new_from_iso8601 (clip->recorded_at, NULL);
  g_assert_cmpint (g_date_time_difference (clip_at, parent_at), ==,
                   clip->clip_actual_start_ms * G_TIME_SPAN_MILLISECOND);

  /* The storage limit is about originals: the clip is not "stored late",
   * and it makes no interruption of the recording it is part of. */
  g_assert_false (clip->late);
  g_assert_null (clip->storage_due);
  {
    g_autoptr(GPtrArray) gaps = ct_store_list_interruptions (f->store, f->case_id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (gaps->len, ==, 0);
  }

  /* Both objects verify: the parent untouched, the clip as recorded. */
  objects = ct_store_get_objects (f->store, &error);
  g_assert_no_error (error);
  g_assert_true (ct_object_store_verify (objects, clip->sha256, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ct_object_store_verify (objects, parent->sha256, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (parent_unchanged (f, parent), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM media"), ==, 2);
  /* nothing is left in the store's tmp area */
  {
    g_autofree char *tmp = g_build_filename (ct_object_store_get_root (objects), "tmp", NULL);
    g_autoptr(GDir) d = g_dir_open (tmp, 0, NULL);
    g_assert_nonnull (d);
    g_assert_null (g_dir_read_name (d));
  }

  /* One audit row, with the parent's hash, both ranges and the new hash. */
  sql = g_strdup_printf ("SELECT COUNT(*) FROM audit_log WHERE action = 'media.clip-export' AND actor = 'h2'"
                         " AND object_id = '%" G_GINT64_FORMAT "' AND case_id = %" G_GINT64_FORMAT
                         " AND detail LIKE '%%\"parent_sha256\":\"%s\"%%' AND detail LIKE '%%\"sha256\":\"%s\"%%'"
                         " AND detail LIKE '%%\"start_ms\":\"3500\"%%' AND detail LIKE '%%\"end_ms\":\"6200\"%%'"
                         " AND detail LIKE '%%\"actual_start_ms\":\"%" G_GINT64_FORMAT "\"%%'"
                         " AND detail LIKE '%%\"method\":\"stream-copy\"%%'",
                         id, f->case_id, parent->sha256, clip->sha256, clip->clip_actual_start_ms);
  g_assert_cmpint (count (f, sql), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.import'"), ==, 1);
  {
    CtAuditReport report = { 0 };
    g_assert_true (ct_store_verify_audit (f->store, &report, &error));
    g_assert_no_error (error);
    ct_audit_report_clear (&report);
  }

  /* A clip of the clip records its own parent. */
  {
    g_autoptr(CtMedia) again = NULL;
    gint64 id2 = ct_store_export_clip (f->store, f->h1, clip->id, 0, 1000, NULL, &error);
    g_assert_no_error (error);
    again = get_media (f, id2);
    g_assert_cmpint (again->parent_id, ==, clip->id);
    g_assert_cmpstr (again->parent_sha256, ==, clip->sha256);
  }
}

static void
test_refused (Fixture      *f,
              gconstpointer data)
{
  g_autofree char *src = media_path ("tone.wav");
  g_autofree char *broken = g_build_filename (f->dir, "broken.mp4", NULL);
  g_autoptr(CtMedia) parent = NULL;
  g_autoptr(CtMedia) bad = NULL;
  g_autoptr(CtSession) h3 = ct_test_login (f->store, "h3");
  g_autoptr(GError) error = NULL;
  guint8 noise[4096];

  if (!g_file_test (src, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the recording could not be made here (gst-launch-1.0 is missing)");
      return;
    }
  parent = import (f, src);

  /* Not an officer of the case: refused as opening it would be; audited. */
  g_assert_cmpint (ct_store_export_clip (f->store, h3, parent->id, 1000, 2000, NULL, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "004"));
  g_clear_error (&error);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.clip-export-failed'"
                             " AND actor = 'h3' AND detail LIKE '%\"stage\":\"permission\"%'"), ==, 1);

  /* A range outside the recording, or backwards. */
  g_assert_cmpint (ct_store_export_clip (f->store, f->h1, parent->id, 9000, 12000, NULL, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "within the recording (0 to 00:00:10.000)"));
  g_clear_error (&error);
  g_assert_cmpint (ct_store_export_clip (f->store, f->h1, parent->id, 2000, 2000, NULL, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (ct_store_export_clip (f->store, f->h1, 9999, 0, 1000, NULL, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A parent the probe could not read. */
  for (guint i = 0; i < G_N_ELEMENTS (noise); i++)
    noise[i] = (guint8) g_test_rand_int ();
  g_assert_true (g_file_set_contents (broken, (const char *) noise, sizeof noise, NULL));
  bad = import (f, broken);
  g_assert_cmpstr (bad->probe_status, ==, "unreadable");
  g_assert_cmpint (ct_store_export_clip (f->store, f->h1, bad->id, 0, 1000, NULL, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "could not be read by the media probe"));
  g_clear_error (&error);

  /* Nothing was stored, every refusal is on record, the parent untouched. */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM media"), ==, 2);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM media_derivations"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.clip-export-failed'"), ==, 4);
  g_assert_cmpint (parent_unchanged (f, parent), ==, 1);
}

/* A container that cannot be copied is refused with the reason, not
 * re-encoded. */
static void
test_not_copyable (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *src = media_path ("h264.mp4");
  g_autofree char *out = g_build_filename (f->dir, "out.ts", NULL);
  g_autofree char *ts = g_build_filename (f->dir, "in.ts", NULL);
  g_autofree char *pipeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtProbeCut) cut = NULL;

  if (!g_file_test (src, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the recording could not be made here");
      return;
    }
  pipeline = g_strdup_printf ("filesrc location=%s ! qtdemux ! h264parse ! mpegtsmux ! filesink location=%s", src, ts);
  launch (pipeline, ts);
  if (!g_file_test (ts, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no MPEG-TS muxer here");
      return;
    }
  cut = ct_probe_cut (ts, 1000, 2000, out, 0, NULL, &error);
  g_assert_null (cut);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "MP4, MOV and WAV"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* A MOV whose video is Motion JPEG: the container could be copied, the
   * stream could not without re-encoding. */
  {
    g_autofree char *mov = g_build_filename (f->dir, "mjpeg.mov", NULL);
    g_autofree char *p = g_strdup_printf ("videotestsrc num-buffers=60 ! video/x-raw,width=160,height=120,framerate=30/1 "
                                          "! jpegenc ! qtmux ! filesink location=%s", mov);
    launch (p, mov);
    if (!g_file_test (mov, G_FILE_TEST_EXISTS))
      return;
    cut = ct_probe_cut (mov, 500, 1500, out, 0, NULL, &error);
    g_assert_null (cut);
    g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "JPEG stream cannot be copied into a clip without re-encoding"));
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  }
}

static void
remove_media (void)
{
  GDir *dir = g_dir_open (media_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = media_path (name);
      g_unlink (path);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (media_dir);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *launcher = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  media_dir = g_dir_make_tmp ("casetrail-clip-XXXXXX", NULL);
  g_assert_nonnull (media_dir);
  launcher = g_find_program_in_path ("gst-launch-1.0");
  if (launcher != NULL)
    make_media ();
  else
    g_printerr ("# gst-launch-1.0 is not installed: the clip tests are skipped\n");

  g_test_add ("/clip/export/h264-aac.mp4", Fixture, "h264.mp4", fixture_setup, test_export, fixture_teardown);
  g_test_add ("/clip/export/h265-aac.mp4", Fixture, "h265.mp4", fixture_setup, test_export, fixture_teardown);
  g_test_add ("/clip/export/wav", Fixture, "tone.wav", fixture_setup, test_export, fixture_teardown);
  g_test_add ("/clip/refused", Fixture, NULL, fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/clip/not-copyable", Fixture, NULL, fixture_setup, test_not_copyable, fixture_teardown);

  ret = g_test_run ();
  remove_media ();
  g_free (media_dir);
  return ret;
}

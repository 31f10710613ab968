/* test-media.c — evidence media in the case record (ct-store-media.c):
 * import with its audit row, re-import, failures audited, metadata,
 * storage deadline and interruptions in the checklist, clips that must be
 * the case's own media, holds, disposal with a tombstone, verification. */

#define G_LOG_DOMAIN "casetrail-test"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ct-crypto.h"
#include "ct-db.h"
#include "ct-error.h"
#include "ct-media.h"
#include "ct-review.h"
#include "ct-rules.h"
#include "ct-test-util.h"

/* ---- fixtures ------------------------------------------------------------------------- */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* A 3-second 8 kHz mono WAV whose samples are all @fill: distinct content
 * for each @fill. */
static char *
make_wav (const char *dir,
          const char *name,
          guint8      fill)
{
  const guint32 rate = 8000, data_len = rate * 2 * 3;
  g_autoptr(GByteArray) b = g_byte_array_new ();
  char *path = g_build_filename (dir, name, NULL);
  guint8 *samples = g_malloc (data_len);
  guint32 u32;
  guint16 u16;
  g_autoptr(GError) error = NULL;

#define PUT(ptr, n) g_byte_array_append (b, (const guint8 *) (ptr), (n))
#define U32(v) (u32 = GUINT32_TO_LE (v), PUT (&u32, 4))
#define U16(v) (u16 = GUINT16_TO_LE (v), PUT (&u16, 2))
  PUT ("RIFF", 4); U32 (36 + data_len); PUT ("WAVE", 4);
  PUT ("fmt ", 4); U32 (16); U16 (1); U16 (1); U32 (rate); U32 (rate * 2); U16 (2); U16 (16);
  PUT ("data", 4); U32 (data_len);
  memset (samples, fill, data_len);
  PUT (samples, data_len);
#undef PUT
#undef U32
#undef U16
  g_free (samples);
  g_assert_true (g_file_set_contents (path, (const char *) b->data, b->len, &error));
  g_assert_no_error (error);
  return path;
}

typedef struct {
  char      *dir;
  char      *src;      /* where the "camera card" files are */
  CtStore   *store;
  CtSession *h1;
  CtSession *sup;
  gint64     case_id;
} Fixture;

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  ct_test_set_now ("2026-03-02T08:00:00Z");
  f->dir = ct_test_make_dir ();
  f->src = g_build_filename (f->dir, "card", NULL);
  g_assert_cmpint (g_mkdir (f->src, 0755), ==, 0);
  f->store = ct_test_store_new (f->dir, data != NULL);
  f->h1 = ct_test_login (f->store, "h1");
  f->sup = ct_test_login (f->store, "sup");
  f->case_id = ct_test_new_case (f->store, "涉嫌销售过期食品");
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  g_clear_pointer (&f->h1, ct_session_unref);
  g_clear_pointer (&f->sup, ct_session_unref);
  g_clear_object (&f->store);
  ct_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->src);
  ct_test_clock_reset ();
}

static char *
case_ref (Fixture *f)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, f->case_id);
}

static CtMedia *
import (Fixture    *f,
        CtSession  *who,
        const char *path,
        const char *recorded_at,
        gboolean   *again)
{
  g_autofree char *ref = case_ref (f);
  CtMediaSpec spec = { .case_ref = ref, .recorded_at = recorded_at, .device = "DSJ-001" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtMediaImport) imp = ct_store_import_media (f->store, who, path, &spec, NULL, NULL, NULL, &error);
  CtMedia *m;

  g_assert_no_error (error);
  g_assert_nonnull (imp);
  if (again != NULL)
    *again = imp->already_present;
  m = g_steal_pointer (&imp->media);
  return m;
}

static const CtRequirement *
find_req (GPtrArray  *reqs,
          const char *rule_id)
{
  for (guint i = 0; i < reqs->len; i++)
    {
      const CtRequirement *r = reqs->pdata[i];
      if (strcmp (r->rule->id, rule_id) == 0)
        return r;
    }
  g_error ("no requirement %s", rule_id);
}

static GPtrArray *
investigation_checklist (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *reqs = ct_store_check_case (f->store, f->case_id, "investigation", &error);

  g_assert_no_error (error);
  g_assert_nonnull (reqs);
  return reqs;
}

static void
assert_audit_intact (Fixture *f)
{
  CtAuditReport report = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (ct_store_verify_audit (f->store, &report, &error));
  g_assert_no_error (error);
  ct_audit_report_clear (&report);
}

/* ---- import ------------------------------------------------------------------------------ */

static void
test_import (Fixture      *f,
             gconstpointer data)
{
  g_autofree char *wav = make_wav (f->src, "VID_0001.wav", 0x11);
  g_autofree char *object = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(CtMedia) m = NULL;
  g_autoptr(CtMedia) again = NULL;
  g_autoptr(CtMedia) by_hash = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gboolean already = TRUE;
  struct stat st;
  gsize len;

  g_assert_true (g_file_get_contents (wav, &before, &len, NULL));
  /* the record names the importer by username and by name */
  ct_test_raw_exec (f->dir, "UPDATE users SET display_name = '张伟' WHERE username = 'h1'");
  m = import (f, f->h1, wav, NULL, &already);
  g_assert_false (already);
  g_assert_cmpstr (m->imported_by, ==, "h1");
  g_assert_cmpstr (m->imported_by_name, ==, "张伟");
  g_assert_cmpuint (m->size, ==, 44 + 48000);
  g_assert_cmpint (strlen (m->sha256), ==, 64);
  if (data != NULL)
    g_assert_cmpint (strlen (m->sm3), ==, 64);   /* national cryptography */
  else
    g_assert_null (m->sm3);
  g_assert_cmpstr (m->original_name, ==, "VID_0001.wav");
  g_assert_cmpint (m->case_id, ==, f->case_id);
  g_assert_nonnull (m->case_number);
  g_assert_cmpint (m->category, ==, CT_MEDIA_CATEGORY_EVIDENCE);
  g_assert_cmpstr (m->officers[0], ==, "h1");
  g_assert_null (m->officers[1]);
  g_assert_cmpstr (m->device, ==, "DSJ-001");
  g_assert_cmpint (m->kind, ==, CT_MEDIA_KIND_AUDIO);
  g_assert_cmpint (m->duration_ms, ==, 3000);
  g_assert_cmpstr (m->probe_status, ==, "ok");
  g_assert_cmpstr (m->stored_at, ==, "2026-03-02T08:00:00.000Z");
  g_assert_cmpstr (m->title, ==, "VID_0001.wav");            /* 004 第十六条 labels default from the case */
  g_assert_cmpstr (m->cause, ==, "涉嫌销售过期食品");
  g_assert_nonnull (m->party);
  /* A WAV states no recording time: nobody has said when it was made. */
  g_assert_null (m->recorded_at);
  g_assert_null (m->storage_due);

  /* A recording without pictures has no thumbnail, and says so. */
  g_assert_null (ct_store_media_thumbnail (f->store, m, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The object is stored read-only under its hash; the source untouched. */
  object = ct_object_store_path (ct_store_get_objects (f->store, NULL), m->sha256);
  g_assert_cmpint (stat (object, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0444);
  g_assert_true (g_file_get_contents (wav, &after, NULL, NULL));
  g_assert_cmpmem (before, len, after, len);

  /* Audited in the same step, and the case shows it. */
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.import'"
                                                 " AND detail LIKE '%VID_0001.wav%'"), ==, 1);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM case_events WHERE kind = 'media'"), ==, 1);

  /* The same content again, under another name: recognized. */
  {
    g_autofree char *copy = g_build_filename (f->src, "COPY.wav", NULL);
    g_assert_true (g_file_set_contents (copy, before, len, NULL));
    again = import (f, f->h1, copy, NULL, &already);
    g_assert_true (already);
    g_assert_cmpint (again->id, ==, m->id);
  }
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM media"), ==, 1);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.import-again'"), ==, 1);

  /* Found by id, by hash prefix, listed with its case. */
  by_hash = ct_store_get_media (f->store, m->sha256 + 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (by_hash->id, ==, m->id);
  g_clear_pointer (&by_hash, ct_media_free);
  {
    g_autofree char *prefix = g_strndup (m->sha256, 10);
    by_hash = ct_store_get_media (f->store, prefix, &error);
    g_assert_no_error (error);
    g_assert_cmpint (by_hash->id, ==, m->id);
  }
  g_assert_null (ct_store_get_media (f->store, "nothex!", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  list = ct_store_list_media (f->store, f->case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  assert_audit_intact (f);
}

static void
test_import_refused (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char *wav = make_wav (f->src, "A.wav", 0x21);
  g_autofree char *missing = g_build_filename (f->src, "gone.mp4", NULL);
  g_autofree char *ref = case_ref (f);
  g_autoptr(CtSession) rev = ct_test_login (f->store, "rev");
  g_autoptr(CtSession) h3 = ct_test_login (f->store, "h3");
  g_autoptr(GError) error = NULL;
  CtMediaSpec spec = { .case_ref = ref };
  CtMediaSpec no_case = { .category = "evidence" };
  const char *officers[] = { "nobody", NULL };
  CtMediaSpec bad_officer = { .case_ref = ref, .officers = officers };
  CtMediaSpec bad_time = { .case_ref = ref, .recorded_at = "yesterday" };

  /* A legal reviewer does not import footage. */
  g_assert_null (ct_store_import_media (f->store, rev, wav, &spec, NULL, NULL, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);
  /* A handler who is not an officer of the case cannot add to it. */
  g_assert_null (ct_store_import_media (f->store, h3, wav, &spec, NULL, NULL, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);
  /* Evidence needs its case; officers must exist; times need a zone. */
  g_assert_null (ct_store_import_media (f->store, h3, wav, &no_case, NULL, NULL, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (ct_store_import_media (f->store, f->h1, wav, &bad_officer, NULL, NULL, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nobody"));
  g_clear_error (&error);
  g_assert_null (ct_store_import_media (f->store, f->h1, wav, &bad_time, NULL, NULL, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  /* Nothing was copied for any of them. */
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM media"), ==, 0);

  /* A file that is not there fails in the copy, and the failure is audited. */
  g_assert_null (ct_store_import_media (f->store, f->h1, missing, &spec, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "gone.mp4"));
  g_clear_error (&error);
  g_assert_null (ct_store_import_media (f->store, f->h1, f->src, &spec, NULL, NULL, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.import-failed'"
                                                 " AND detail LIKE '%gone.mp4%'"), ==, 1);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.import-failed'"), ==, 2);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM media"), ==, 0);
}

/* A full disk in the middle of the copy: no record, no object, no temp
 * file, the failure audited with a message that says what to do. */
static ssize_t
write_enospc (int fd, const void *buf, size_t count)
{
  static int calls;
  if (++calls % 2 == 0)
    {
      errno = ENOSPC;
      return -1;
    }
  return write (fd, buf, count);
}

static void
test_import_disk_full (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->src, "BIG.MP4", NULL);
  g_autofree char *tmp = g_build_filename (f->dir, "objects", "tmp", NULL);
  g_autofree char *ref = case_ref (f);
  g_autofree char *junk = g_malloc (24 * 1024 * 1024);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = NULL;
  CtMediaSpec spec = { .case_ref = ref };

  for (gsize i = 0; i < 24 * 1024 * 1024; i++)
    junk[i] = (char) (i * 2654435761u >> 13);
  g_assert_true (g_file_set_contents (path, junk, 24 * 1024 * 1024, NULL));
  g_assert_nonnull (ct_store_get_objects (f->store, NULL));

  ct_object_store_test_set_write_func (write_enospc);
  g_assert_null (ct_store_import_media (f->store, f->h1, path, &spec, NULL, NULL, NULL, &error));
  ct_object_store_test_set_write_func (NULL);
  g_assert_error (error, CT_ERROR, CT_ERROR_IO);
  g_test_message ("disk full: %s", error->message);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM media"), ==, 0);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.import-failed'"), ==, 1);
  d = g_dir_open (tmp, 0, NULL);
  g_assert_nonnull (d);
  g_assert_null (g_dir_read_name (d));
}

static void
test_cancel (Fixture      *f,
             gconstpointer data)
{
  g_autofree char *wav = make_wav (f->src, "C.wav", 0x31);
  g_autofree char *ref = case_ref (f);
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CtMediaSpec spec = { .case_ref = ref };

  g_cancellable_cancel (cancel);
  g_assert_null (ct_store_import_media (f->store, f->h1, wav, &spec, NULL, NULL, cancel, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM media"), ==, 0);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.import-cancelled'"), ==, 1);
}

/* ---- finding files on a card ------------------------------------------------------------------ */

static void
test_collect (Fixture      *f,
              gconstpointer data)
{
  g_autofree char *dcim = g_build_filename (f->src, "DCIM", "100MEDIA", NULL);
  g_autofree char *a = NULL, *b = NULL, *txt = NULL, *hidden = NULL, *loop = NULL, *dirlink = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) skipped = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { f->src, NULL };
  const char *missing[] = { "/nonexistent/card", NULL };

  g_assert_cmpint (g_mkdir_with_parents (dcim, 0755), ==, 0);
  a = make_wav (dcim, "REC_0002.WAV", 1);
  b = make_wav (dcim, "REC_0001.wav", 2);
  txt = g_build_filename (dcim, "INDEX.TXT", NULL);
  g_assert_true (g_file_set_contents (txt, "x", 1, NULL));
  hidden = make_wav (dcim, ".trash.wav", 3);
  loop = g_build_filename (dcim, "LOOP.MP4", NULL);
  g_assert_cmpint (symlink ("LOOP.MP4", loop), ==, 0);
  dirlink = g_build_filename (f->src, "again", NULL);
  g_assert_cmpint (symlink ("DCIM", dirlink), ==, 0);

  g_assert_true (ct_media_collect_paths (paths, &files, &skipped, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 2);   /* sorted, the hidden one left out */
  g_assert_true (g_str_has_suffix (files->pdata[0], "REC_0001.wav"));
  g_assert_true (g_str_has_suffix (files->pdata[1], "REC_0002.WAV"));
  g_assert_cmpuint (skipped->len, ==, 3);  /* INDEX.TXT, the loop, the folder link */
  for (guint i = 0; i < skipped->len; i++)
    g_assert_nonnull (((CtSkippedPath *) skipped->pdata[i])->reason);
  g_clear_pointer (&files, g_ptr_array_unref);
  g_clear_pointer (&skipped, g_ptr_array_unref);

  g_assert_false (ct_media_collect_paths (missing, &files, &skipped, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
}

/* ---- metadata ------------------------------------------------------------------------------------ */

static void
test_update (Fixture      *f,
             gconstpointer data)
{
  g_autofree char *wav = make_wav (f->src, "U.wav", 0x41);
  g_autoptr(CtMedia) m = import (f, f->h1, wav, NULL, NULL);
  g_autoptr(CtMedia) after = NULL;
  g_autoptr(CtSession) h3 = ct_test_login (f->store, "h3");
  g_autoptr(GError) error = NULL;
  const char *officers[] = { "h1", "h2", NULL };
  CtMediaSpec change = { .recorded_at = "2026-03-02T09:30:00+08:00", .place = "人民路 88 号",
                         .officers = officers, .device = "DSJ-002" };
  CtMediaSpec detach = { .case_ref = "" };
  CtMediaSpec to_patrol = { .case_ref = "", .category = "patrol" };

  g_assert_false (ct_store_update_media (f->store, h3, m->id, &change, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);

  g_assert_true (ct_store_update_media (f->store, f->h1, m->id, &change, &error));
  g_assert_no_error (error);
  after = ct_store_get_media (f->store, m->sha256, &error);
  g_assert_cmpstr (after->recorded_at, ==, "2026-03-02T01:30:00.000Z");
  g_assert_cmpstr (after->recorded_at_source, ==, "person");
  g_assert_cmpstr (after->place, ==, "人民路 88 号");
  g_assert_cmpstr (after->device, ==, "DSJ-002");
  g_assert_cmpstr (after->officers[1], ==, "h2");
  g_assert_nonnull (after->storage_due);
  /* The old and the new values are in the audit row. */
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.update'"
                                                 " AND detail LIKE '%DSJ-001%' AND detail LIKE '%DSJ-002%'"), ==, 1);

  /* Evidence cannot lose its case; as patrol footage it can. */
  g_assert_false (ct_store_update_media (f->store, f->h1, m->id, &detach, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (ct_store_update_media (f->store, f->h1, m->id, &to_patrol, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, ct_media_free);
  after = ct_store_get_media (f->store, m->sha256, &error);
  g_assert_cmpint (after->case_id, ==, 0);
  g_assert_cmpint (after->category, ==, CT_MEDIA_CATEGORY_PATROL);
}

/* ---- the storage deadline in the checklist ----------------------------------------------------------- */

static void
test_storage_deadline (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *on_time = make_wav (f->src, "ON_TIME.wav", 0x51);
  g_autofree char *late = make_wav (f->src, "LATE.wav", 0x52);
  g_autoptr(CtMedia) a = NULL;
  g_autoptr(CtMedia) b = NULL;
  g_autoptr(GPtrArray) reqs = NULL;
  const CtRequirement *r;

  /* Stored 2026-03-02 08:00Z.  Recorded 20 h before: within 24 h. */
  a = import (f, f->h1, on_time, "2026-03-01T12:00:00Z", NULL);
  g_assert_false (a->late);
  g_assert_cmpstr (a->storage_due, ==, "2026-03-02T12:00:03.000Z");   /* from the end of the recording */
  reqs = investigation_checklist (f);
  r = find_req (reqs, "001.general.investigation.storage-in-time");
  g_assert_cmpint (r->state, ==, CT_REQ_SATISFIED);
  g_clear_pointer (&reqs, g_ptr_array_unref);

  /* Recorded 30 h before: late, and the checklist says which and why. */
  b = import (f, f->h1, late, "2026-03-01T02:00:00Z", NULL);
  g_assert_true (b->late);
  reqs = investigation_checklist (f);
  r = find_req (reqs, "001.general.investigation.storage-in-time");
  g_assert_cmpint (r->state, ==, CT_REQ_MISSING);
  g_assert_cmpint (r->rule->severity, ==, CT_SEVERITY_WARN);
  g_assert_nonnull (strstr (r->reason, "LATE.wav"));
  g_assert_null (strstr (r->reason, "ON_TIME.wav"));
  g_assert_nonnull (strstr (r->reason, "24"));
}

/* ---- interruptions (001 第十九条) ---------------------------------------------------------------------- */

static void
test_interruptions (Fixture      *f,
                    gconstpointer data)
{
  g_autofree char *p1 = make_wav (f->src, "S1.wav", 0x61);
  g_autofree char *p2 = make_wav (f->src, "S2.wav", 0x62);
  g_autofree char *p3 = make_wav (f->src, "S3.wav", 0x63);
  g_autofree char *p4 = make_wav (f->src, "S4.wav", 0x64);
  g_autoptr(CtMedia) m1 = NULL, m2 = NULL, m3 = NULL, m4 = NULL;
  g_autoptr(GPtrArray) gaps = NULL;
  g_autoptr(GPtrArray) reqs = NULL;
  g_autoptr(GError) error = NULL;
  const CtRequirement *r;
  CtInterruption *it;

  /* Each clip is 3 s.  S1 → S2: 1 s (a file split); S2 → S3: 2 min (an
   * interruption); S3 → S4: 3 h (a new session). */
  m1 = import (f, f->h1, p1, "2026-03-02T01:00:00Z", NULL);
  m2 = import (f, f->h1, p2, "2026-03-02T01:00:04Z", NULL);
  m3 = import (f, f->h1, p3, "2026-03-02T01:02:07Z", NULL);
  m4 = import (f, f->h1, p4, "2026-03-02T04:02:10Z", NULL);

  gaps = ct_store_list_interruptions (f->store, f->case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gaps->len, ==, 1);
  it = gaps->pdata[0];
  g_assert_cmpint (it->before_id, ==, m2->id);
  g_assert_cmpint (it->after_id, ==, m3->id);
  g_assert_cmpint (it->gap_seconds, ==, 120);
  g_assert_false (it->explained);
  g_clear_pointer (&gaps, g_ptr_array_unref);

  reqs = investigation_checklist (f);
  r = find_req (reqs, "001.general.investigation.interruptions-explained");
  g_assert_cmpint (r->state, ==, CT_REQ_MISSING);
  g_assert_cmpint (r->rule->severity, ==, CT_SEVERITY_BLOCK);
  g_assert_nonnull (strstr (r->reason, "S2.wav"));
  g_assert_cmpstr (r->rule->basis.article, ==, "第十九条");
  g_clear_pointer (&reqs, g_ptr_array_unref);

  /* "Other" needs words; a battery does not. */
  g_assert_false (ct_store_explain_interruption (f->store, f->h1, m2->id, m3->id, CT_INTERRUPTION_OTHER, "  ", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (ct_store_explain_interruption (f->store, f->h1, m2->id, m3->id, CT_INTERRUPTION_BATTERY, NULL, &error));
  g_assert_no_error (error);
  reqs = investigation_checklist (f);
  g_assert_cmpint (find_req (reqs, "001.general.investigation.interruptions-explained")->state, ==, CT_REQ_SATISFIED);
  g_clear_pointer (&reqs, g_ptr_array_unref);

  /* Recording stopped after S4 and did not resume: a written statement. */
  g_assert_false (ct_store_explain_interruption (f->store, f->h1, m4->id, 0, CT_INTERRUPTION_OBSTRUCTION, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (ct_store_explain_interruption (f->store, f->h1, m4->id, 0, CT_INTERRUPTION_OBSTRUCTION,
                                                "当事人抢夺执法记录仪，未能继续录像，已现场口头告知。", &error));
  g_assert_no_error (error);
  gaps = ct_store_list_interruptions (f->store, f->case_id, &error);
  g_assert_cmpuint (gaps->len, ==, 2);
  for (guint i = 0; i < gaps->len; i++)
    {
      CtInterruption *g = gaps->pdata[i];
      g_assert_true (g->explained);
      g_assert_cmpstr (g->explained_by, ==, "h1");
      g_assert_cmpstr (g->explained_by_name, ==, "h1");   /* the test users' display names are their user names */
    }
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.interruption'"), ==, 2);
}

/* ---- clips must be the case's own media ---------------------------------------------------------------- */

static void
test_clip_facts (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *own_path = make_wav (f->src, "OWN.wav", 0x71);
  g_autofree char *other_path = make_wav (f->src, "OTHER.wav", 0x72);
  g_autoptr(CtMedia) own = import (f, f->h1, own_path, NULL, NULL);
  g_autoptr(CtMedia) other = NULL;
  g_autoptr(GError) error = NULL;
  gint64 other_case = ct_test_new_case (f->store, "另一案件");
  g_autofree char *other_ref = g_strdup_printf ("%" G_GINT64_FORMAT, other_case);
  CtMediaSpec spec = { .case_ref = other_ref };
  const char *refs[] = { "OWN", "OTHER", "FAKE" };

  {
    g_autoptr(CtMediaImport) imp = ct_store_import_media (f->store, f->h1, other_path, &spec, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    other = g_steal_pointer (&imp->media);
  }

  for (guint i = 0; i < G_N_ELEMENTS (refs); i++)
    {
      g_autoptr(JsonObject) values = json_object_new ();
      g_autoptr(JsonObject) clip = json_object_new ();
      g_autoptr(CtFacts) facts = NULL;
      const char *hash = i == 0 ? own->sha256 : i == 1 ? other->sha256 : "abababababababababababababababababababababababababababababababab";

      json_object_set_string_member (clip, "media", hash);
      json_object_set_int_member (clip, "start_ms", 0);
      json_object_set_int_member (clip, "end_ms", 2000);
      json_object_set_object_member (values, "av_recording", json_object_ref (clip));
      g_assert_true (ct_store_save_form (f->store, f->h1, f->case_id, "questioning_record", values, &error));
      g_assert_no_error (error);
      facts = ct_store_case_facts (f->store, f->case_id, &error);
      g_assert_no_error (error);
      if (i == 0)
        g_assert_nonnull (ct_facts_get (facts, "form.questioning_record.av_recording"));
      else
        g_assert_null (ct_facts_get (facts, "form.questioning_record.av_recording"));
      g_test_message ("clip of %s media: %s", refs[i], i == 0 ? "counts" : "does not count");
    }
}

/* ---- retention, holds, disposal --------------------------------------------------------------------------- */

static void
test_retention (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *wav = make_wav (f->src, "PATROL.wav", 0x81);
  g_autoptr(CtMedia) m = NULL;
  g_autoptr(CtMedia) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *object = NULL;
  CtMediaSpec patrol = { .category = "patrol", .recorded_at = "2026-03-01T02:00:00Z" };
  CtMediaVerifyReport report;

  {
    g_autoptr(CtMediaImport) imp = ct_store_import_media (f->store, f->h1, wav, &patrol, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    m = g_steal_pointer (&imp->media);
  }
  g_assert_cmpint (m->category, ==, CT_MEDIA_CATEGORY_PATROL);
  g_assert_cmpint (m->case_id, ==, 0);
  /* The default stack (national, 001, 002) sets no retention period. */
  g_assert_null (m->retain_until);
  g_assert_false (ct_store_dispose_media (f->store, f->sup, m->id, "到期", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);

  /* 004 sets patrol footage to at least 6 months (第十二条第二款). */
  ct_test_raw_exec (f->dir, "UPDATE agency SET rulepacks = 'national,001-province,003-liuhe,004-qianjiang'");
  g_clear_pointer (&m, ct_media_free);
  m = ct_store_get_media (f->store, "1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (m->retain_until, ==, "2026-09-01T02:00:03.000Z");

  /* Not before its time; not by a handler. */
  g_assert_false (ct_store_dispose_media (f->store, f->sup, m->id, "到期", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);
  ct_test_set_now ("2026-09-02T00:00:00Z");
  g_assert_false (ct_store_dispose_media (f->store, f->h1, m->id, "到期", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);

  /* A long-term hold (004 第十三条) keeps it; only a supervisor lifts it. */
  g_assert_true (ct_store_hold_media (f->store, f->h1, m->id, TRUE, "当事人对现场执法有异议", &error));
  g_assert_no_error (error);
  g_assert_false (ct_store_dispose_media (f->store, f->sup, m->id, "到期", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (ct_store_hold_media (f->store, f->h1, m->id, FALSE, "异议已处理", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (ct_store_hold_media (f->store, f->sup, m->id, FALSE, "异议已处理完毕", &error));
  g_assert_no_error (error);

  /* Disposal: signed, tombstoned, the file gone, the record kept. */
  g_assert_false (ct_store_dispose_media (f->store, f->sup, m->id, "  ", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  object = ct_object_store_path (ct_store_get_objects (f->store, NULL), m->sha256);
  g_assert_true (g_file_test (object, G_FILE_TEST_EXISTS));
  g_assert_true (ct_store_dispose_media (f->store, f->sup, m->id, "保存期限届满", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (object, G_FILE_TEST_EXISTS));
  after = ct_store_get_media (f->store, m->sha256, &error);
  g_assert_nonnull (after->disposed_at);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM audit_log WHERE action = 'media.dispose'"
                                            " AND detail LIKE '%%%s%%' AND detail LIKE '%%保存期限届满%%'"
                                            " AND detail LIKE '%%signature%%' AND detail LIKE '%%\"size\":\"48044\"%%'",
                                            m->sha256);
    g_assert_cmpint (ct_test_raw_count (f->dir, sql), ==, 1);
  }
  g_assert_false (ct_store_dispose_media (f->store, f->sup, m->id, "again", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);

  /* A disposed medium is not "missing"; the chain still verifies. */
  g_assert_true (ct_store_verify_media (f->store, f->sup, 0, FALSE, NULL, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.n_missing, ==, 0);
  assert_audit_intact (f);
}

/* Evidence is kept as long as the case file: not disposable while the case is open. */
static void
test_evidence_retention (Fixture      *f,
                         gconstpointer data)
{
  g_autofree char *wav = make_wav (f->src, "EVIDENCE.wav", 0x91);
  g_autoptr(CtMedia) m = import (f, f->h1, wav, "2026-03-01T02:00:00Z", NULL);
  g_autoptr(GError) error = NULL;

  ct_test_raw_exec (f->dir, "UPDATE agency SET rulepacks = 'national,001-province,003-liuhe,004-qianjiang'");
  ct_test_set_now ("2036-03-02T00:00:00Z");
  g_assert_false (ct_store_dispose_media (f->store, f->sup, m->id, "到期", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "open"));
}

/* ---- verification ------------------------------------------------------------------------------------ */

typedef struct {
  guint   bad;
  guint   missing;
  guint   unrecorded;
  guint   progress_calls;
  guint64 bytes;
} Seen;

static void
on_progress (guint    objects_done,
             guint64  bytes_done,
             double   bytes_per_second,
             gpointer user_data)
{
  Seen *seen = user_data;

  seen->progress_calls++;
  g_assert_cmpuint (bytes_done, >=, seen->bytes);   /* never goes back */
  seen->bytes = bytes_done;
}

static void
on_verified (const char    *sha256,
             const CtMedia *m,
             const GError  *error,
             gpointer       user_data)
{
  Seen *seen = user_data;

  if (error == NULL)
    return;
  if (g_error_matches (error, CT_ERROR, CT_ERROR_NOT_FOUND))
    seen->missing++;
  else if (m == NULL)
    seen->unrecorded++;
  else
    seen->bad++;
}

static void
flip_byte (const char *path)
{
  int fd;
  guint8 c;

  g_assert_cmpint (chmod (path, 0644), ==, 0);
  fd = open (path, O_RDWR);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, &c, 1, 100), ==, 1);
  c ^= 0x01;
  g_assert_cmpint (pwrite (fd, &c, 1, 100), ==, 1);
  close (fd);
  g_assert_cmpint (chmod (path, 0444), ==, 0);
}

static void
test_verify (Fixture      *f,
             gconstpointer data)
{
  g_autofree char *p1 = make_wav (f->src, "V1.wav", 0xa1);
  g_autofree char *p2 = make_wav (f->src, "V2.wav", 0xa2);
  g_autofree char *p3 = make_wav (f->src, "V3.wav", 0xa3);
  g_autoptr(CtMedia) m1 = import (f, f->h1, p1, NULL, NULL);
  g_autoptr(CtMedia) m2 = import (f, f->h1, p2, NULL, NULL);
  g_autofree char *o1 = NULL, *o2 = NULL;
  g_autoptr(GError) error = NULL;
  CtObjectStore *objects = ct_store_get_objects (f->store, NULL);
  CtMediaVerifyReport report;
  Seen seen = { 0 };

  g_assert_true (ct_store_verify_media (f->store, f->h1, f->case_id, TRUE, on_verified, on_progress, &seen, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.n_checked, ==, 2);
  g_assert_cmpuint (report.bytes, ==, 2 * 48044);

  /* One flipped byte, one removed file, one object nobody recorded. */
  o1 = ct_object_store_path (objects, m1->sha256);
  o2 = ct_object_store_path (objects, m2->sha256);
  flip_byte (o1);
  g_assert_cmpint (g_unlink (o2), ==, 0);
  g_assert_true (ct_object_store_import (objects, p3, FALSE, TRUE, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (ct_store_verify_media (f->store, f->h1, f->case_id, FALSE, on_verified, NULL, &seen, NULL, &report, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INTEGRITY);
  g_clear_error (&error);
  g_assert_cmpuint (report.n_bad, ==, 1);
  g_assert_cmpuint (report.n_missing, ==, 1);
  g_assert_cmpuint (seen.bad, ==, 1);
  g_assert_cmpuint (seen.missing, ==, 1);

  memset (&seen, 0, sizeof seen);
  g_assert_false (ct_store_verify_media (f->store, f->h1, 0, FALSE, on_verified, on_progress, &seen, NULL, &report, &error));
  g_assert_cmpuint (seen.progress_calls, >, 0);   /* with the caller's own data (a Seen) */
  g_assert_error (error, CT_ERROR, CT_ERROR_INTEGRITY);
  g_clear_error (&error);
  g_assert_cmpuint (report.n_bad, ==, 1);
  g_assert_cmpuint (report.n_missing, ==, 1);
  g_assert_cmpuint (report.n_unrecorded, ==, 1);
  g_assert_cmpuint (seen.bad + seen.missing + seen.unrecorded, ==, 3);
  /* Every run is in the audit log. */
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.verify'"), ==, 3);
}

/* ---- the probe corpus through the store ---------------------------------------------------------------- */

/* Every file of tests/media/make-media.sh imported as patrol footage: good
 * ones with what the file states, damaged ones complete (size and hash of
 * the source) but marked unreadable with the reason, the symlink loop and a
 * file nobody may read refused with a message; the store verifies after. */
static void
test_corpus (Fixture      *f,
             gconstpointer data)
{
  const char *root = g_getenv ("CASETRAIL_SOURCE_ROOT");
  g_autofree char *script = NULL;
  g_autofree char *corpus = g_build_filename (f->dir, "corpus", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  CtMediaSpec spec = { .category = "patrol" };
  CtMediaVerifyReport report;
  const char *name;
  guint n_ok = 0, n_unreadable = 0, n_refused = 0;

  if (root == NULL)
    {
      g_test_skip ("CASETRAIL_SOURCE_ROOT is not set");
      return;
    }
  script = g_build_filename (root, "tests", "media", "make-media.sh", NULL);
  {
    const char *argv[] = { "/bin/sh", script, corpus, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 &out, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  dir = g_dir_open (corpus, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && strcmp (name, "bad-loop-b.mp4") != 0)
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  if (names->len < 10)
    {
      g_test_skip ("make-media.sh made too few files (GStreamer tools missing?)");
      return;
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *n = names->pdata[i];
      g_autofree char *path = g_build_filename (corpus, n, NULL);
      g_autoptr(CtMediaImport) imp = NULL;
      g_autoptr(GError) one = NULL;

      imp = ct_store_import_media (f->store, f->h1, path, &spec, NULL, NULL, NULL, &one);
      if (imp == NULL)
        {
          /* Only what cannot be read at all is refused, with the file named. */
          g_test_message ("%s: refused: %s", n, one->message);
          g_assert_true (strcmp (n, "bad-loop-a.mp4") == 0 || access (path, R_OK) != 0);
          g_assert_nonnull (strstr (one->message, n));
          n_refused++;
          continue;
        }
      if (imp->already_present)
        continue;   /* e.g. two empty files */
      /* Complete: the stored object is the source, byte for byte. */
      {
        g_autofree char *src = NULL;
        gsize len = 0;
        g_autofree char *hex = NULL;
        g_assert_true (g_file_get_contents (path, &src, &len, NULL));
        g_assert_cmpuint (imp->media->size, ==, len);
        hex = ct_hash_hex (CT_HASH_SHA256, src, len);
        g_assert_cmpstr (hex, ==, imp->media->sha256);
      }
      g_test_message ("%s: %s%s%s", n, imp->media->probe_status, imp->media->probe_reason ? ": " : "",
                      imp->media->probe_reason ? imp->media->probe_reason : "");
      if (g_str_has_prefix (n, "bad-") && strcmp (n, "bad-unreadable.mp4") != 0)
        {
          g_assert_cmpstr (imp->media->probe_status, ==, "unreadable");
          g_assert_nonnull (imp->media->probe_reason);
          g_assert_cmpuint (strlen (imp->media->probe_reason), >, 5);
          n_unreadable++;
        }
      else if (!g_str_has_prefix (n, "bad-"))
        {
          g_assert_cmpstr (imp->media->probe_status, ==, "ok");
          if (g_str_has_suffix (n, ".mp4") || g_str_has_suffix (n, ".mov"))
            {
              g_assert_cmpint (imp->media->kind, ==, CT_MEDIA_KIND_VIDEO);
              g_assert_cmpstr (imp->media->recorded_at_source, ==, "file");
              g_assert_cmpstr (imp->media->recorded_at, ==, g_str_has_prefix (n, "ff-")
                               ? "2023-11-02T14:05:09.000Z" : "2024-05-17T09:30:15.000Z");
            }
          if (strcmp (n, "photo.jpg") == 0)
            {
              g_assert_cmpint (imp->media->kind, ==, CT_MEDIA_KIND_PHOTO);
              g_assert_cmpstr (imp->media->recorded_at, ==, "2024-05-17T09:30:15.000Z");
            }
          n_ok++;
        }
    }
  g_test_message ("%u readable, %u unreadable, %u refused", n_ok, n_unreadable, n_refused);
  g_assert_cmpuint (n_ok, >=, 5);
  g_assert_cmpuint (n_unreadable, >=, 8);
  g_assert_cmpuint (n_refused, >=, 1);

  /* Nothing half-stored: the whole store verifies, no temp files. */
  g_assert_true (ct_store_verify_media (f->store, f->h1, 0, FALSE, NULL, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  {
    g_autofree char *tmp = g_build_filename (f->dir, "objects", "tmp", NULL);
    g_autoptr(GDir) t = g_dir_open (tmp, 0, NULL);
    g_assert_nonnull (t);
    g_assert_null (g_dir_read_name (t));
  }
  /* The unreadable copy must be removable by the test's cleanup. */
  {
    g_autofree char *u = g_build_filename (corpus, "bad-unreadable.mp4", NULL);
    g_chmod (u, 0644);
  }
}

/* ---- access and legal-review annotations (ct-review.h) ------------------------------------------------ */

static void
test_offsets (void)
{
  struct { const char *text; gint64 ms; } good[] = {
    { "0", 0 }, { "12", 12000 }, { "12.5", 12500 }, { "1:02.25", 62250 }, { "01:02:03.456", 3723456 },
    { "00:00:01.0009", 1000 },
  };
  const char *bad[] = { "", "a", "1:60", "1:2:3:4", "12.", ":3", "-1", "1.5:00", NULL };
  gint64 ms;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_assert_true (ct_parse_offset (good[i].text, &ms));
      g_assert_cmpint (ms, ==, good[i].ms);
    }
  for (guint i = 0; bad[i] != NULL; i++)
    g_assert_false (ct_parse_offset (bad[i], &ms));
  {
    g_autofree char *t = ct_format_offset (3723456);
    g_assert_cmpstr (t, ==, "01:02:03.456");
  }
}

static void
test_access (Fixture      *f,
             gconstpointer data)
{
  g_autofree char *wav = make_wav (f->src, "ACCESS.wav", 0xb1);
  g_autoptr(CtMedia) m = import (f, f->h1, wav, NULL, NULL);
  g_autoptr(CtSession) h3 = ct_test_login (f->store, "h3");
  g_autoptr(CtSession) rev = ct_test_login (f->store, "rev");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *path2 = NULL;

  /* Not an officer of the case: refused, citing the rule; the attempt is audited. */
  g_assert_false (ct_store_may_open_media (f->store, h3, m, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "004"));
  g_clear_error (&error);
  g_assert_null (ct_store_open_media (f->store, h3, m->id, TRUE, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.open-refused'"
                                                 " AND actor = 'h3'"), ==, 1);

  /* The handler, a legal reviewer and a supervisor may; each opening is audited. */
  path = ct_store_open_media (f->store, f->h1, m->id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (path, m->sha256));
  path2 = ct_store_open_media (f->store, rev, m->id, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, path2);
  g_assert_true (ct_store_may_open_media (f->store, f->sup, m, &error));
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.open'"), ==, 1);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.play'"), ==, 1);
}

static void
test_annotations (Fixture      *f,
                  gconstpointer data)
{
  g_autofree char *wav = make_wav (f->src, "REVIEW.wav", 0xc1);
  g_autoptr(CtMedia) m = import (f, f->h1, wav, "2026-03-02T01:30:00Z", NULL);
  g_autoptr(CtSession) rev = ct_test_login (f->store, "rev");
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  CtAnnotationFilter by_media = { .media_id = m->id };
  CtAnnotationFilter only_gaps = { .case_id = f->case_id, .has_code = TRUE, .code = CT_REVIEW_UNEXPLAINED_INTERRUPTION };
  CtAnnotationFilter all = { .media_id = m->id, .include_withdrawn = TRUE };
  gint64 a1, a2, a3;
  CtAnnotation *a;

  /* Handlers do not annotate; "other" needs words; ranges lie within the 3 s. */
  g_assert_cmpint (ct_store_annotate (f->store, f->h1, m->id, 0, -1, CT_REVIEW_COMPLIANT, NULL, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (ct_store_annotate (f->store, rev, m->id, 0, -1, CT_REVIEW_OTHER, " ", &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (ct_store_annotate (f->store, rev, m->id, 2000, 1000, CT_REVIEW_LATE_START, NULL, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (ct_store_annotate (f->store, rev, m->id, 0, 9000, CT_REVIEW_LATE_START, NULL, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);

  a1 = ct_store_annotate (f->store, rev, m->id, 250, -1, CT_REVIEW_NOT_ANNOUNCED, "未告知当事人正在录音录像", &error);
  g_assert_no_error (error);
  a2 = ct_store_annotate (f->store, rev, m->id, 1000, 2500, CT_REVIEW_UNEXPLAINED_INTERRUPTION, "画面中断, \"原因\"不明", &error);
  g_assert_no_error (error);
  a3 = ct_store_annotate (f->store, f->sup, m->id, 0, 3000, CT_REVIEW_COMPLIANT, "", &error);
  g_assert_no_error (error);
  g_assert_cmpint (a1, >, 0);
  g_assert_cmpint (a2, >, a1);

  list = ct_store_list_annotations (f->store, &by_media, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  a = list->pdata[0];                       /* by start: a3 at 0, a1 at 250, a2 at 1000 */
  g_assert_cmpint (a->id, ==, a3);
  a = list->pdata[1];
  g_assert_cmpint (a->id, ==, a1);
  g_assert_cmpint (a->end_ms, ==, -1);
  g_assert_cmpstr (a->start_wall, ==, "2026-03-02T09:30:00.250+08:00");   /* recorded-at + offset, China time */
  g_assert_null (a->end_wall);
  g_assert_cmpstr (a->author, ==, "rev");
  a = list->pdata[2];
  g_assert_cmpstr (a->end_wall, ==, "2026-03-02T09:30:02.500+08:00");
  g_clear_pointer (&list, g_ptr_array_unref);

  list = ct_store_list_annotations (f->store, &only_gaps, &error);
  g_assert_cmpuint (list->len, ==, 1);
  csv = ct_annotations_to_csv (list);
  g_assert_true (g_str_has_prefix (csv, "id,case,media,sha256,start,end,"));
  g_assert_nonnull (strstr (csv, "00:00:01.000,00:00:02.500,1000,2500,2026-03-02T09:30:01.000+08:00"));
  g_assert_nonnull (strstr (csv, "中断未说明"));
  g_assert_nonnull (strstr (csv, "\"画面中断, \"\"原因\"\"不明\""));   /* quoted, quotes doubled */
  json = ct_annotations_to_json (list);
  {
    g_autoptr(JsonNode) node = json_from_string (json, &error);
    JsonObject *o;
    g_assert_no_error (error);
    o = json_array_get_object_element (json_node_get_array (node), 0);
    g_assert_cmpstr (json_object_get_string_member (o, "code"), ==, "unexplained-interruption");
    g_assert_cmpint (json_object_get_int_member (o, "end_ms"), ==, 2500);
    g_assert_cmpstr (json_object_get_string_member (o, "start"), ==, "00:00:01.000");
  }
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Withdrawn, not deleted: only by its author or a supervisor, with a reason. */
  g_assert_false (ct_store_withdraw_annotation (f->store, f->h1, a1, "错了", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (ct_store_withdraw_annotation (f->store, rev, a1, "", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (ct_store_withdraw_annotation (f->store, rev, a1, "复看后确认已告知", &error));
  g_assert_no_error (error);
  list = ct_store_list_annotations (f->store, &by_media, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = ct_store_list_annotations (f->store, &all, &error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.annotate'"), ==, 3);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.annotation-withdraw'"), ==, 1);
  assert_audit_intact (f);
}

static void
test_review_queue (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *p1 = make_wav (f->src, "Q1.wav", 0xd1);
  g_autofree char *p2 = make_wav (f->src, "Q2.wav", 0xd2);
  g_autoptr(CtMedia) m1 = import (f, f->h1, p1, NULL, NULL);
  g_autoptr(CtMedia) m2 = import (f, f->h1, p2, NULL, NULL);
  g_autoptr(CtSession) rev = ct_test_login (f->store, "rev");
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  g_assert_null (ct_store_review_queue (f->store, f->h1, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);

  /* Nothing waits while the case is being investigated. */
  queue = ct_store_review_queue (f->store, rev, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 0);
  g_clear_pointer (&queue, g_ptr_array_unref);

  sql = g_strdup_printf ("UPDATE cases SET stage = 'legal_review' WHERE id = %" G_GINT64_FORMAT, f->case_id);
  ct_test_raw_exec (f->dir, sql);
  queue = ct_store_review_queue (f->store, rev, &error);
  g_assert_cmpuint (queue->len, ==, 2);
  /* sound recordings: the queue shows them with a sound icon, not a camera */
  g_assert_true (((CtReviewItem *) queue->pdata[0])->audio);
  g_assert_true (((CtReviewItem *) queue->pdata[1])->audio);
  g_clear_pointer (&queue, g_ptr_array_unref);

  g_assert_cmpint (ct_store_annotate (f->store, rev, m1->id, 0, -1, CT_REVIEW_COMPLIANT, NULL, &error), >, 0);
  queue = ct_store_review_queue (f->store, rev, &error);
  g_assert_cmpuint (queue->len, ==, 1);
  g_assert_cmpint (((CtReviewItem *) queue->pdata[0])->media_id, ==, m2->id);
}

static void
test_attach_clip (Fixture      *f,
                  gconstpointer data)
{
  g_autofree char *wav = make_wav (f->src, "QUESTIONING.wav", 0xe1);
  g_autofree char *patrol_path = make_wav (f->src, "PATROL2.wav", 0xe2);
  g_autoptr(CtMedia) m = import (f, f->h1, wav, NULL, NULL);
  g_autoptr(CtMedia) patrol = NULL;
  g_autoptr(GPtrArray) reqs = NULL;
  g_autoptr(JsonObject) form = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) h3 = ct_test_login (f->store, "h3");
  CtMediaSpec patrol_spec = { .category = "patrol" };
  JsonNode *field;

  reqs = investigation_checklist (f);
  g_assert_cmpint (find_req (reqs, "001.general.investigation.questioning-av")->state, !=, CT_REQ_SATISFIED);
  g_clear_pointer (&reqs, g_ptr_array_unref);

  /* Refused: not a clip field, outside the recording, not the user's case. */
  g_assert_false (ct_store_attach_clip (f->store, f->h1, m->id, "questioning_record", "place", 0, 1000, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ct_store_attach_clip (f->store, f->h1, m->id, "questioning_record", "av_recording", 1000, 9000, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ct_store_attach_clip (f->store, h3, m->id, "questioning_record", "av_recording", 0, 1000, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);
  {
    g_autoptr(CtMediaImport) imp = ct_store_import_media (f->store, f->h1, patrol_path, &patrol_spec, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    patrol = g_steal_pointer (&imp->media);
  }
  g_assert_false (ct_store_attach_clip (f->store, f->h1, patrol->id, "questioning_record", "av_recording", 0, 1000, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);

  /* The first clip makes the form; the requirement is met. */
  g_assert_true (ct_store_attach_clip (f->store, f->h1, m->id, "questioning_record", "av_recording", 500, 2500,
                                       "询问开始", &error));
  g_assert_no_error (error);
  reqs = investigation_checklist (f);
  g_assert_cmpint (find_req (reqs, "001.general.investigation.questioning-av")->state, ==, CT_REQ_SATISFIED);

  /* A second range joins it; the same range again is refused. */
  g_assert_true (ct_store_attach_clip (f->store, f->h1, m->id, "questioning_record", "av_recording", 2500, 3000, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (ct_store_attach_clip (f->store, f->h1, m->id, "questioning_record", "av_recording", 2500, 3000, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_EXISTS);
  g_clear_error (&error);
  form = ct_store_get_form (f->store, f->case_id, "questioning_record", &error);
  g_assert_no_error (error);
  field = json_object_get_member (form, "av_recording");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (field));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (field)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (field), 0), "label"),
                   ==, "询问开始");
  /* Each attachment is a form save, audited with the values. */
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'form.save'"
                                                 " AND detail LIKE '%questioning_record%'"), ==, 2);
}

/* ct_store_list_clips: what the forms hold, with the medium's name and the
 * wall-clock times of the range. */
static void
test_list_clips (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *wav = make_wav (f->src, "CLIPS.wav", 0xe3);
  g_autoptr(CtMedia) m = import (f, f->h1, wav, "2026-03-01T09:30:00+08:00", NULL);
  g_autoptr(GPtrArray) clips = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(JsonObject) stray = json_object_new ();
  g_autoptr(GError) error = NULL;
  CtClip *c;

  clips = ct_store_list_clips (f->store, f->case_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clips->len, ==, 0);
  g_clear_pointer (&clips, g_ptr_array_unref);

  g_assert_true (ct_store_attach_clip (f->store, f->h1, m->id, "questioning_record", "av_recording", 1250, 2500,
                                       "询问开始", &error));
  g_assert_no_error (error);
  g_assert_true (ct_store_attach_clip (f->store, f->h1, m->id, "questioning_record", "av_recording", 0, 500, NULL, &error));
  g_assert_true (ct_store_attach_clip (f->store, f->h1, m->id, "inspection_record", "av_recording", 2000, 3000, NULL, &error));
  g_assert_no_error (error);

  clips = ct_store_list_clips (f->store, f->case_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clips->len, ==, 3);
  c = clips->pdata[0];
  g_assert_cmpstr (c->template_id, ==, "questioning_record");
  g_assert_cmpstr (c->field_id, ==, "av_recording");
  g_assert_cmpuint (c->index, ==, 0);
  g_assert_cmpint (c->media_id, ==, m->id);
  g_assert_cmpstr (c->sha256, ==, m->sha256);
  g_assert_cmpstr (c->media_name, ==, "CLIPS.wav");
  g_assert_cmpint (c->start_ms, ==, 1250);
  g_assert_cmpint (c->end_ms, ==, 2500);
  g_assert_cmpstr (c->label, ==, "询问开始");
  g_assert_cmpstr (c->start_wall, ==, "2026-03-01T09:30:01.250+08:00");
  g_assert_cmpstr (c->end_wall, ==, "2026-03-01T09:30:02.500+08:00");
  g_assert_nonnull (c->form_title);
  g_assert_nonnull (c->field_label);
  c = clips->pdata[1];
  g_assert_cmpuint (c->index, ==, 1);
  g_assert_cmpint (c->start_ms, ==, 0);
  g_assert_null (c->label);
  c = clips->pdata[2];
  g_assert_cmpstr (c->template_id, ==, "inspection_record");
  g_clear_pointer (&clips, g_ptr_array_unref);

  /* One form only. */
  clips = ct_store_list_clips (f->store, f->case_id, "inspection_record", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clips->len, ==, 1);
  g_assert_cmpint (((CtClip *) clips->pdata[0])->start_ms, ==, 2000);
  g_clear_pointer (&clips, g_ptr_array_unref);

  /* A clip naming a medium the store does not hold is listed by its hash;
   * a value that is no clip is skipped. */
  json_object_set_string_member (stray, "media", "0000000000000000000000000000000000000000000000000000000000000000");
  json_object_set_int_member (stray, "start_ms", 0);
  json_object_set_int_member (stray, "end_ms", 1000);
  json_object_set_object_member (values, "av_recording", g_steal_pointer (&stray));
  g_assert_true (ct_store_save_form (f->store, f->h1, f->case_id, "sampling_record", values, &error));
  g_assert_no_error (error);
  clips = ct_store_list_clips (f->store, f->case_id, "sampling_record", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clips->len, ==, 1);
  c = clips->pdata[0];
  g_assert_cmpint (c->media_id, ==, 0);
  g_assert_cmpstr (c->media_name, ==, c->sha256);
  g_assert_null (c->start_wall);
  g_clear_pointer (&clips, g_ptr_array_unref);

  /* Nothing for another case. */
  clips = ct_store_list_clips (f->store, f->case_id + 1000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clips->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/media/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("import", test_import);
  g_test_add ("/media/import-sm3", Fixture, "sm3", fixture_setup, test_import, fixture_teardown);
  ADD ("import-refused", test_import_refused);
  ADD ("import-disk-full", test_import_disk_full);
  ADD ("import-cancelled", test_cancel);
  ADD ("collect", test_collect);
  ADD ("update", test_update);
  ADD ("storage-deadline", test_storage_deadline);
  ADD ("interruptions", test_interruptions);
  ADD ("clip-facts", test_clip_facts);
  ADD ("retention", test_retention);
  ADD ("evidence-retention", test_evidence_retention);
  ADD ("verify", test_verify);
  ADD ("corpus", test_corpus);
  g_test_add_func ("/media/offsets", test_offsets);
  ADD ("access", test_access);
  ADD ("annotations", test_annotations);
  ADD ("review-queue", test_review_queue);
  ADD ("attach-clip", test_attach_clip);
  ADD ("list-clips", test_list_clips);
#undef ADD
  return g_test_run ();
}

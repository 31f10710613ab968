/* test-bundle.c — a case exported as a bundle, and every way to tamper with it
 *
 * Issue 6: "Tampering an exported bundle — one flipped byte in any media
 * file, the manifest or the PDF; a removed file; a replaced signature — is
 * detected and named each time.  SM2 signatures in a bundle verify with the
 * openssl command-line tool."
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ct-bundle.h"
#include "ct-crypto.h"
#include "ct-dossier.h"
#include "ct-error.h"
#include "ct-media.h"
#include "ct-objects.h"
#include "ct-review.h"
#include "ct-statement.h"
#include "ct-test-util.h"

typedef struct {
  char      *dir;
  CtStore   *store;
  gint64     case_id;
  CtSession *sup;
  char      *bundle;   /* exported once per fixture */
  char      *media_sha[2];
} Fixture;

static char *
write_file (const char *dir, const char *name, gsize len, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint8 *buf = g_malloc (len);
  char *path = g_build_filename (dir, name, NULL);

  for (gsize i = 0; i < len; i++)
    buf[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (path, (const char *) buf, (gssize) len, NULL));
  return path;
}

static void
setup (Fixture *f, gconstpointer data)
{
  gboolean national = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) h1 = NULL;
  g_autofree char *ref = NULL;
  const char *officers[] = { "h1", NULL };

  f->dir = ct_test_make_dir ();
  f->store = ct_test_store_new (f->dir, national);
  f->case_id = ct_test_new_case (f->store, "涉嫌销售超过保质期的食品");
  h1 = ct_test_login (f->store, "h1");
  f->sup = ct_test_login (f->store, "sup");
  ref = g_strdup_printf ("%" G_GINT64_FORMAT, f->case_id);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("DSJ_%u.mp4", i);
      g_autofree char *src = write_file (f->dir, name, 300000 + i * 4099, 7 + i);
      CtMediaSpec spec = { .case_ref = ref, .officers = officers, .device = "DSJ-001",
                           .recorded_at = "2026-03-02T09:00:00+08:00" };
      g_autoptr(CtMediaImport) imp = ct_store_import_media (f->store, h1, src, &spec, NULL, NULL,
                                                           NULL, &error);
      g_assert_no_error (error);
      f->media_sha[i] = g_strdup (imp->media->sha256);
    }
  g_assert_cmpint (ct_store_approve (f->store, f->sup, f->case_id, "filing", &error), >, 0);
  g_assert_no_error (error);

  f->bundle = g_build_filename (f->dir, "export", NULL);
  {
    CtBundleOptions options = { .include_media = TRUE, .render_dossier = ct_dossier_for_bundle };
    g_assert_true (ct_store_export_bundle (f->store, f->sup, f->case_id, f->bundle, &options,
                                           NULL, &error));
    g_assert_no_error (error);
  }
}

static void
teardown (Fixture *f, gconstpointer data)
{
  ct_session_unref (f->sup);
  g_object_unref (f->store);
  ct_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->bundle);
  g_free (f->media_sha[0]);
  g_free (f->media_sha[1]);
}

/* A fresh copy of the export to damage. */
static char *
copy_bundle (Fixture *f, const char *name)
{
  char *dst = g_build_filename (f->dir, name, NULL);
  g_autofree char *cmd = g_strdup_printf ("sh -c \"rm -rf '%s' && cp -a '%s' '%s' && chmod -R u+w '%s'\"",
                                          dst, f->bundle, dst, dst);
  g_autofree char *err = NULL;
  int status;

  g_assert_true (g_spawn_command_line_sync (cmd, NULL, &err, &status, NULL));
  if (status != 0)
    g_error ("%s: %s", cmd, err);
  return dst;
}

static void
flip_byte (const char *path, goffset offset)
{
  int fd = open (path, O_RDWR);
  guint8 b;

  g_assert_cmpint (fd, >=, 0);
  if (offset < 0)
    offset += lseek (fd, 0, SEEK_END);
  g_assert_cmpint (pread (fd, &b, 1, offset), ==, 1);
  b ^= 0x04;
  g_assert_cmpint (pwrite (fd, &b, 1, offset), ==, 1);
  close (fd);
}

/* Verifies @dir expecting failure with a problem that mentions @needle. */
static void
assert_detected (const char *dir, const char *needle)
{
  g_autoptr(GError) error = NULL;
  CtBundleReport report;
  gboolean found = FALSE;

  g_assert_false (ct_bundle_verify (dir, NULL, &report, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INTEGRITY);
  g_assert_cmpuint (report.problems->len, >, 0);
  for (guint i = 0; i < report.problems->len; i++)
    {
      const char *p = g_ptr_array_index (report.problems, i);
      g_test_message ("%s", p);
      if (strstr (p, needle) != NULL)
        found = TRUE;
    }
  if (!found)
    g_error ("no problem names “%s” (first: %s)", needle,
             (const char *) g_ptr_array_index (report.problems, 0));
  ct_bundle_report_clear (&report);
}

static void
test_export_verifies (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *manifest = g_build_filename (f->bundle, "manifest.json", NULL);
  CtBundleReport report;
  JsonObject *root;
  JsonArray *media;

  g_assert_true (ct_bundle_verify (f->bundle, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.problems->len, ==, 0);
  /* two media, audit, checkpoint, approvals, VERIFY.txt, at least one key */
  g_assert_cmpuint (report.files_checked, >=, 7);
  /* the manifest, the checkpoint and the approval */
  g_assert_cmpuint (report.signatures_checked, ==, 3);
  g_assert_cmpuint (report.audit_rows, >, 3);
  g_assert_nonnull (strstr (report.exported_by, "sup"));

  /* Trusting the signer's own fingerprint passes; any other fails. */
  {
    g_autofree char *fp = g_strdup (report.signer_fingerprint);
    CtBundleReport again;
    ct_bundle_report_clear (&report);
    g_assert_true (ct_bundle_verify (f->bundle, fp, &again, NULL));
    ct_bundle_report_clear (&again);
    g_assert_false (ct_bundle_verify (f->bundle, "SHA256:0000", &again, NULL));
    g_assert_nonnull (strstr (g_ptr_array_index (again.problems, 0), "trusted"));
    ct_bundle_report_clear (&again);
  }

  /* The manifest lists the media with their officers and device, and the
   * copies are the originals byte for byte. */
  g_assert_true (json_parser_load_from_file (parser, manifest, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  media = json_object_get_array_member (root, "media");
  g_assert_cmpuint (json_array_get_length (media), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *m = json_array_get_object_element (media, i);
      const char *file = json_object_get_string_member (m, "file");
      g_autofree char *path = g_build_filename (f->bundle, file, NULL);
      g_autoptr(GMappedFile) map = g_mapped_file_new (path, FALSE, &error);
      g_autofree char *sha = NULL;

      g_assert_no_error (error);
      sha = ct_hash_hex (CT_HASH_SHA256, g_mapped_file_get_contents (map),
                         g_mapped_file_get_length (map));
      g_assert_cmpstr (sha, ==, json_object_get_string_member (m, "sha256"));
      g_assert_cmpstr (json_object_get_string_member (m, "device"), ==, "DSJ-001");
      g_assert_cmpstr (json_object_get_string_member (
                         json_array_get_object_element (json_object_get_array_member (m, "officers"), 0),
                         "username"), ==, "h1");
      if (GPOINTER_TO_INT (data))
        g_assert_true (json_object_has_member (m, "sm3"));
    }

  /* The written explanations of the evidence recordings go with them. */
  {
    g_autofree char *path = g_build_filename (f->bundle, "statements.txt", NULL);
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "音像资料文字说明（2）"));
    g_assert_nonnull (strstr (text, f->media_sha[0]));
    g_assert_nonnull (strstr (text, "取证人员："));
  }

  /* Exporting is audited, and the originals are untouched. */
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT count(*) FROM audit_log WHERE action = 'case.export'"), ==, 1);
  {
    CtObjectStore *objects = ct_store_get_objects (f->store, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 2; i++)
      {
        g_assert_true (ct_object_store_verify (objects, f->media_sha[i], NULL, &error));
        g_assert_no_error (error);
      }
  }
}

static void
test_export_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) h1 = ct_test_login (f->store, "h1");
  g_autofree char *other = g_build_filename (f->dir, "other", NULL);
  g_autofree char *ro = g_build_filename (f->dir, "ro", NULL);
  g_autofree char *inside = g_build_filename (ro, "export", NULL);
  CtBundleOptions options = { TRUE };

  /* A handler may not; the folder must be new. */
  g_assert_false (ct_store_export_bundle (f->store, h1, f->case_id, other, &options, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_false (ct_store_export_bundle (f->store, f->sup, f->case_id, f->bundle, &options, NULL,
                                          &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_EXISTS);
  g_clear_error (&error);

  /* A folder that cannot be written: the failure is audited and nothing is
   * left behind. */
  if (geteuid () != 0)
    {
      g_assert_cmpint (g_mkdir (ro, 0555), ==, 0);
      g_assert_false (ct_store_export_bundle (f->store, f->sup, f->case_id, inside, &options, NULL,
                                              &error));
      g_assert_error (error, CT_ERROR, CT_ERROR_IO);
      g_clear_error (&error);
      g_assert_cmpuint (ct_test_raw_count (f->dir, "SELECT count(*) FROM audit_log WHERE action = 'case.export-failed'"),
                        ==, 1);
      g_chmod (ro, 0755);
      {
        g_autoptr(GDir) d = g_dir_open (ro, 0, NULL);
        g_assert_null (g_dir_read_name (d));
      }
    }
}

static void
test_tampering_detected (Fixture *f, gconstpointer data)
{
  g_autofree char *media0 = NULL;

  {
    g_autofree char *dir = copy_bundle (f, "t-ok");
    CtBundleReport report;
    g_assert_true (ct_bundle_verify (dir, NULL, &report, NULL));
    ct_bundle_report_clear (&report);
  }

  /* One flipped byte in a media file: first, middle and last byte. */
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *dir = copy_bundle (f, "t-media");
      g_autoptr(GDir) d = NULL;
      g_autofree char *media_dir = g_build_filename (dir, "media", NULL);
      g_autofree char *path = NULL;
      const char *name;

      d = g_dir_open (media_dir, 0, NULL);
      name = g_dir_read_name (d);
      path = g_build_filename (media_dir, name, NULL);
      flip_byte (path, i == 0 ? 0 : i == 1 ? 150000 : -1);
      g_free (media0);
      media0 = g_strdup (name);
      assert_detected (dir, name);
    }

  /* One flipped byte in the dossier PDF (issue 6: "… or the PDF"): in
   * its header, and in the middle of its content. */
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *dir = copy_bundle (f, "t-pdf");
      g_autofree char *path = g_build_filename (dir, "documents", "dossier.pdf", NULL);
      struct stat st;

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 10000);
      flip_byte (path, i == 0 ? 3 : st.st_size / 2);
      assert_detected (dir, "documents/dossier.pdf");
    }

  /* One flipped byte in the manifest (in a value) and in its signature. */
  {
    g_autofree char *dir = copy_bundle (f, "t-manifest");
    g_autofree char *path = g_build_filename (dir, "manifest.json", NULL);
    g_autofree char *text = NULL;
    char *at;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    at = strstr (text, "DSJ-001");
    g_assert_nonnull (at);
    flip_byte (path, at - text + 4);
    assert_detected (dir, "manifest.sig");
  }
  {
    g_autofree char *dir = copy_bundle (f, "t-sig");
    g_autofree char *path = g_build_filename (dir, "manifest.sig", NULL);
    flip_byte (path, 10);
    assert_detected (dir, "manifest.sig");
  }

  /* The audit trail, the checkpoint, an approval's signature. */
  {
    g_autofree char *dir = copy_bundle (f, "t-audit");
    g_autofree char *path = g_build_filename (dir, "audit.json", NULL);
    g_autofree char *text = NULL;
    char *at;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    at = strstr (text, "\"action\"");
    flip_byte (path, at - text + 14);
    assert_detected (dir, "audit.json");
  }
  {
    g_autofree char *dir = copy_bundle (f, "t-approval");
    g_autofree char *path = g_build_filename (dir, "approvals.json", NULL);
    g_autofree char *text = NULL;
    char *at;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    at = strstr (text, "\"signature\" : \"");
    g_assert_nonnull (at);
    flip_byte (path, at - text + 20);
    assert_detected (dir, "approvals.json");
  }

  /* A removed file, an added one. */
  {
    g_autofree char *dir = copy_bundle (f, "t-removed");
    g_autofree char *path = g_build_filename (dir, "media", media0, NULL);
    g_assert_cmpint (g_unlink (path), ==, 0);
    assert_detected (dir, "is missing");
  }
  {
    g_autofree char *dir = copy_bundle (f, "t-removed-sig");
    g_autofree char *path = g_build_filename (dir, "manifest.sig", NULL);
    g_assert_cmpint (g_unlink (path), ==, 0);
    assert_detected (dir, "manifest.sig");
  }
  {
    g_autofree char *dir = copy_bundle (f, "t-added");
    g_autofree char *path = g_build_filename (dir, "media", "note.txt", NULL);
    g_assert_true (g_file_set_contents (path, "added later", -1, NULL));
    assert_detected (dir, "note.txt");
  }

  /* A replaced signature: a genuine signature by the same key, of another
   * export's manifest. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *second = g_build_filename (f->dir, "export-2", NULL);
    g_autofree char *dir = copy_bundle (f, "t-replaced");
    g_autofree char *from = g_build_filename (second, "manifest.sig", NULL);
    g_autofree char *to = g_build_filename (dir, "manifest.sig", NULL);
    g_autofree char *sig = NULL;
    gsize len;
    CtBundleOptions options = { FALSE };

    g_assert_true (ct_store_export_bundle (f->store, f->sup, f->case_id, second, &options, NULL,
                                           &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (from, &sig, &len, NULL));
    g_assert_true (g_file_set_contents (to, sig, (gssize) len, NULL));
    assert_detected (dir, "manifest.sig");
  }

  /* A replaced key: another user's key under the exporter's key file name. */
  {
    g_autofree char *dir = copy_bundle (f, "t-key");
    g_autofree char *keys = g_build_filename (dir, "keys", NULL);
    g_autoptr(GDir) d = g_dir_open (keys, 0, NULL);
    g_autoptr(CtKeyPair) kp = ct_keypair_generate (GPOINTER_TO_INT (data) ? CT_SIG_SM2 : CT_SIG_ED25519, NULL);
    g_autoptr(GBytes) pub = ct_keypair_get_public (kp);
    g_autofree char *pem = ct_public_key_to_pem (GPOINTER_TO_INT (data) ? CT_SIG_SM2 : CT_SIG_ED25519,
                                                 pub, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (keys, name, NULL);
        g_assert_true (g_file_set_contents (path, pem, -1, NULL));
      }
    assert_detected (dir, "is not the key named");
  }
}

/* Issue 6: SM2 signatures in a bundle verify with the openssl tool. */
static void
test_sm2_openssl (Fixture *f, gconstpointer data)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *manifest = g_build_filename (f->bundle, "manifest.json", NULL);
  g_autofree char *out = NULL, *err = NULL, *cmd = NULL;
  const char *key;
  int status;

  if (openssl == NULL)
    {
      g_test_skip ("the openssl command-line tool is not installed");
      return;
    }
  g_assert_true (json_parser_load_from_file (parser, manifest, NULL));
  key = json_object_get_string_member (
      json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                     "exported_by"), "key");
  g_assert_cmpstr (json_object_get_string_member (
      json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                     "exported_by"), "alg"), ==, "sm2-sm3");
  cmd = g_strdup_printf ("sh -c 'cd \"%s\" && openssl dgst -sm3 -verify \"%s\" "
                         "-sigopt distid:1234567812345678 -signature manifest.sig manifest.json'",
                         f->bundle, key);
  g_assert_true (g_spawn_command_line_sync (cmd, &out, &err, &status, NULL));
  g_test_message ("openssl: %s %s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "Verified OK"));

  /* Negative control: openssl refuses a manifest with one changed byte. */
  {
    g_autofree char *dir = copy_bundle (f, "t-openssl");
    g_autofree char *path = g_build_filename (dir, "manifest.json", NULL);
    g_autofree char *out2 = NULL;
    g_autofree char *cmd2 = g_strdup_printf ("sh -c 'cd \"%s\" && openssl dgst -sm3 -verify \"%s\" "
                                             "-sigopt distid:1234567812345678 -signature manifest.sig manifest.json'",
                                             dir, key);
    flip_byte (path, 40);
    g_assert_true (g_spawn_command_line_sync (cmd2, &out2, NULL, &status, NULL));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_null (strstr (out2, "Verified OK"));
  }
}

static void
test_not_a_bundle (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = ct_test_make_dir ();
  g_autofree char *manifest = g_build_filename (dir, "manifest.json", NULL);
  CtBundleReport report;

  g_assert_false (ct_bundle_verify (dir, NULL, &report, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "manifest.json"));
  g_clear_error (&error);
  ct_bundle_report_clear (&report);

  g_assert_true (g_file_set_contents (manifest, "{ not json", -1, NULL));
  g_assert_false (ct_bundle_verify (dir, NULL, &report, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INTEGRITY);
  g_clear_error (&error);
  ct_bundle_report_clear (&report);

  g_assert_true (g_file_set_contents (manifest, "{\"format\": \"other\"}", -1, NULL));
  g_assert_false (ct_bundle_verify (dir, NULL, &report, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  ct_bundle_report_clear (&report);
  ct_test_remove_dir (dir);
}

/* A 10-second 8 kHz mono PCM WAV: enough for the probe to read a duration. */
static char *
write_wav (const char *dir, const char *name)
{
  const guint32 rate = 8000, n = rate * 10, data_len = n * 2;
  g_autoptr(GByteArray) b = g_byte_array_new ();
  char *path = g_build_filename (dir, name, NULL);
  guint32 v32;
  guint16 v16;

#define PUT(p, len) g_byte_array_append (b, (const guint8 *) (p), len)
#define U32(x) (v32 = GUINT32_TO_LE (x), PUT (&v32, 4))
#define U16(x) (v16 = GUINT16_TO_LE (x), PUT (&v16, 2))
  PUT ("RIFF", 4); U32 (36 + data_len); PUT ("WAVE", 4);
  PUT ("fmt ", 4); U32 (16); U16 (1); U16 (1); U32 (rate); U32 (rate * 2); U16 (2); U16 (16);
  PUT ("data", 4); U32 (data_len);
  for (guint32 i = 0; i < n; i++)
    U16 ((guint16) (gint16) (8000.0 * ((i / 20) % 2 ? 1 : -1)));
#undef PUT
#undef U32
#undef U16
  g_assert_true (g_file_set_contents (path, (const char *) b->data, (gssize) b->len, NULL));
  return path;
}

/* 001 第二十三条: a written explanation for each recording used as evidence,
 * naming who recorded it, when and where. */
static void
test_statements (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) h1 = ct_test_login (f->store, "h1");
  g_autofree char *wav = write_wav (f->dir, "询问录音.wav");
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, f->case_id);
  const char *officers[] = { "h1", "h2", NULL };
  CtMediaSpec spec = { .case_ref = ref, .officers = officers, .device = "DSJ-007",
                       .recorded_at = "2026-03-02T01:00:00Z", .place = "示例市好邻居超市" };
  g_autoptr(CtMediaImport) imp = ct_store_import_media (f->store, h1, wav, &spec, NULL, NULL,
                                                       NULL, &error);
  g_autoptr(GPtrArray) list = NULL;
  const CtAvStatement *clip = NULL;
  g_autofree char *text = NULL;
  guint whole = 0;

  g_assert_no_error (error);
  g_assert_true (ct_store_attach_clip (f->store, h1, imp->media->id, "questioning_record",
                                       "av_recording", 2000, 6500, "询问开始", &error));
  g_assert_no_error (error);

  /* A clip exported from the recording (a new medium) says where it
   * comes from. */
  g_assert_cmpint (ct_store_export_clip (f->store, h1, imp->media->id, 1000, 3000, NULL, &error), >, 0);
  g_assert_no_error (error);

  list = ct_store_av_statements (f->store, f->case_id, &error);
  g_assert_no_error (error);
  /* The clip first, then the three recordings no form uses (the exported
   * clip among them). */
  g_assert_cmpuint (list->len, ==, 4);
  for (guint i = 0; i < list->len; i++)
    {
      const CtAvStatement *s = g_ptr_array_index (list, i);
      g_assert_cmpuint (s->number, ==, i + 1);
      if (s->proves != NULL)
        clip = s;
      else
        whole++;
    }
  g_assert_true (clip == g_ptr_array_index (list, 0));
  g_assert_cmpuint (whole, ==, 3);
  {
    guint derived = 0;
    for (guint i = 1; i < list->len; i++)
      {
        const CtAvStatement *s = g_ptr_array_index (list, i);
        if (s->derived_from != NULL)
          {
            g_autofree char *t = ct_av_statement_to_text (s, "测试〔2026〕1号");
            derived++;
            g_assert_nonnull (strstr (s->derived_from, imp->media->sha256));
            g_assert_nonnull (strstr (s->derived_from, "00:00:01.000 至 00:00:03.000"));
            g_assert_nonnull (strstr (t, "来源："));
            g_assert_cmpstr (s->time_from, ==, "2026年3月2日 09:00:01");
          }
      }
    g_assert_cmpuint (derived, ==, 1);
  }
  g_assert_cmpint (clip->media_id, ==, imp->media->id);
  g_assert_cmpint (clip->start_ms, ==, 2000);
  g_assert_cmpint (clip->end_ms, ==, 6500);
  g_assert_cmpstr (clip->time_from, ==, "2026年3月2日 09:00:02");
  g_assert_cmpstr (clip->time_to, ==, "2026年3月2日 09:00:06");
  g_assert_cmpstr (clip->place, ==, "示例市好邻居超市");
  g_assert_cmpstr (clip->device, ==, "DSJ-007");
  g_assert_cmpstr (clip->sha256, ==, imp->media->sha256);
  g_assert_true ((clip->sm3 != NULL) == GPOINTER_TO_INT (data));

  text = ct_av_statement_to_text (clip, "测试〔2026〕1号");
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "音像资料文字说明（1）"));
  g_assert_nonnull (strstr (text, "取证人员："));
  g_assert_nonnull (strstr (text, "（执法证号 "));
  g_assert_nonnull (strstr (text, "取证时间：2026年3月2日 09:00:02 至 2026年3月2日 09:00:06（北京时间）"));
  g_assert_nonnull (strstr (text, "取证地点：示例市好邻居超市"));
  g_assert_nonnull (strstr (text, "记录设备：DSJ-007"));
  g_assert_nonnull (strstr (text, imp->media->sha256));
  g_assert_nonnull (strstr (text, "00:00:02.000 至 00:00:06.500，询问开始"));
  g_assert_nonnull (strstr (text, "第二十三条"));

  /* Exported with the clips only: the exported clip is copied, the
   * originals listed; the bundle verifies. */
  {
    g_autofree char *dir = g_build_filename (f->dir, "clips-only", NULL);
    g_autofree char *media_dir = g_build_filename (dir, "media", NULL);
    g_autoptr(GDir) d = NULL;
    CtBundleOptions options = { .include_media = TRUE, .clips_only = TRUE };
    CtBundleReport report;
    guint copied = 0;

    g_assert_true (ct_store_export_bundle (f->store, f->sup, f->case_id, dir, &options, NULL, &error));
    g_assert_no_error (error);
    d = g_dir_open (media_dir, 0, NULL);
    g_assert_nonnull (d);
    while (g_dir_read_name (d) != NULL)
      copied++;
    g_assert_cmpuint (copied, ==, 1);
    g_assert_true (ct_bundle_verify (dir, NULL, &report, &error));
    g_assert_no_error (error);
    ct_bundle_report_clear (&report);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bundle/ed25519/export-verifies", Fixture, GINT_TO_POINTER (FALSE), setup,
              test_export_verifies, teardown);
  g_test_add ("/bundle/ed25519/export-refused", Fixture, GINT_TO_POINTER (FALSE), setup,
              test_export_refused, teardown);
  g_test_add ("/bundle/ed25519/tampering", Fixture, GINT_TO_POINTER (FALSE), setup,
              test_tampering_detected, teardown);
  g_test_add ("/bundle/sm2/export-verifies", Fixture, GINT_TO_POINTER (TRUE), setup,
              test_export_verifies, teardown);
  g_test_add ("/bundle/sm2/tampering", Fixture, GINT_TO_POINTER (TRUE), setup,
              test_tampering_detected, teardown);
  g_test_add ("/bundle/sm2/openssl", Fixture, GINT_TO_POINTER (TRUE), setup,
              test_sm2_openssl, teardown);
  g_test_add_func ("/bundle/not-a-bundle", test_not_a_bundle);
  g_test_add ("/bundle/ed25519/statements", Fixture, GINT_TO_POINTER (FALSE), setup,
              test_statements, teardown);
  g_test_add ("/bundle/sm2/statements", Fixture, GINT_TO_POINTER (TRUE), setup,
              test_statements, teardown);

  return g_test_run ();
}

/* ct-bundle.c — checking an exported bundle offline (see ct-bundle.h)
 *
 * Needs only the directory: no database, no store, no network.
 */

#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ct-audit.h"
#include "ct-bundle.h"
#include "ct-bundle-private.h"
#include "ct-crypto.h"
#include "ct-error.h"
#include "ct-store.h"

gboolean
ct_bundle_remove_tree (const char *path, GError **error)
{
  struct stat st;

  if (lstat (path, &st) < 0)
    return errno == ENOENT;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, error);
      const char *name;

      if (dir == NULL)
        return FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (!ct_bundle_remove_tree (child, error))
            return FALSE;
        }
    }
  if (g_remove (path) < 0)
    {
      int errsv = errno;
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot remove %s: %s"), path,
                   g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

void
ct_bundle_report_clear (CtBundleReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->case_number, g_free);
  g_clear_pointer (&report->exported_at, g_free);
  g_clear_pointer (&report->exported_by, g_free);
  g_clear_pointer (&report->signer_fingerprint, g_free);
  g_clear_pointer (&report->signer_alg, g_free);
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  memset (report, 0, sizeof *report);
}

typedef struct {
  const char     *dir;
  CtBundleReport *report;
  GHashTable     *listed;   /* relative path → JsonObject (borrowed) */
} Check;

static void
problem (Check *c, char *text)
{
  g_ptr_array_add (c->report->problems, text);
}

static const char *
member_string (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;

  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE ||
      json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
member_int (JsonObject *o, const char *name, gint64 *out)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;

  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE ||
      json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (n);
  return TRUE;
}

/* A path inside the bundle: relative, no "..", no empty parts. */
static gboolean
safe_relative (const char *rel)
{
  g_auto(GStrv) parts = NULL;

  if (rel == NULL || *rel == '\0' || g_path_is_absolute (rel) || strchr (rel, '\\') != NULL)
    return FALSE;
  parts = g_strsplit (rel, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] == '\0' || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}

/* Loads keys/….pem named by @key_rel and checks it has @fingerprint.
 * Problems are reported as being about @what. */
static GBytes *
load_key (Check *c, const char *key_rel, const char *fingerprint, const char *alg_name,
          const char *what, CtSigAlg *alg_out)
{
  g_autofree char *path = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *fp = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) pub = NULL;
  CtSigAlg alg, named;

  if (!safe_relative (key_rel) || fingerprint == NULL || alg_name == NULL ||
      !ct_sig_alg_from_string (alg_name, &named, NULL))
    {
      problem (c, g_strdup_printf (_("%s: the signer's key or algorithm is not named"), what));
      return NULL;
    }
  path = g_build_filename (c->dir, key_rel, NULL);
  if (!g_file_get_contents (path, &pem, NULL, &local))
    {
      problem (c, g_strdup_printf (_("%s: the key %s cannot be read: %s"), what, key_rel,
                                   local->message));
      return NULL;
    }
  pub = ct_public_key_from_pem (pem, &alg, &local);
  if (pub == NULL)
    {
      problem (c, g_strdup_printf (_("%s: the key %s is damaged: %s"), what, key_rel,
                                   local->message));
      return NULL;
    }
  fp = ct_key_fingerprint (alg, pub);
  if (alg != named || g_strcmp0 (fp, fingerprint) != 0)
    {
      problem (c, g_strdup_printf (_("%s: the key %s is not the key named (%s), it is %s"),
                                   what, key_rel, fingerprint, fp));
      return NULL;
    }
  *alg_out = alg;
  return g_steal_pointer (&pub);
}

static gboolean
check_signature (Check *c, const char *what, const char *key_rel, const char *fingerprint,
                 const char *alg_name, const void *msg, gsize len, GBytes *sig)
{
  g_autoptr(GBytes) pub = NULL;
  CtSigAlg alg;

  pub = load_key (c, key_rel, fingerprint, alg_name, what, &alg);
  if (pub == NULL)
    return FALSE;
  c->report->signatures_checked++;
  if (sig == NULL || !ct_verify (alg, pub, msg, len, sig, NULL))
    {
      problem (c, g_strdup_printf (_("%s: the signature does not verify with the key %s — "
                                     "the signed content or the signature was changed"),
                                   what, fingerprint));
      return FALSE;
    }
  return TRUE;
}

static GBytes *
decode_b64 (const char *text)
{
  guchar *data;
  gsize len;

  if (text == NULL || *text == '\0')
    return NULL;
  data = g_base64_decode (text, &len);
  return g_bytes_new_take (data, len);
}

/* Hashes a listed file and compares its size, SHA-256 and SM3. */
static void
check_file (Check *c, JsonObject *entry)
{
  const char *rel = member_string (entry, "path");
  const char *want_sha = member_string (entry, "sha256");
  const char *want_sm3 = member_string (entry, "sm3");
  g_autofree char *path = NULL;
  g_autoptr(CtHasher) hasher = NULL;
  g_autofree guint8 *buf = NULL;
  guint8 sha[CT_HASH_LEN], sm3[CT_HASH_LEN];
  g_autofree char *sha_hex = NULL, *sm3_hex = NULL;
  gint64 want_size = -1;
  guint64 size = 0;
  struct stat st;
  int fd;

  member_int (entry, "size", &want_size);
  if (!safe_relative (rel) || want_sha == NULL)
    {
      problem (c, g_strdup_printf (_("manifest.json lists a file with a bad path or no SHA-256 (%s)"),
                                   rel != NULL ? rel : "?"));
      return;
    }
  path = g_build_filename (c->dir, rel, NULL);
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    {
      int errsv = errno;
      problem (c, errsv == ENOENT
                  ? g_strdup_printf (_("%s is missing"), rel)
                  : g_strdup_printf (_("%s cannot be read: %s"), rel, g_strerror (errsv)));
      return;
    }
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    {
      problem (c, g_strdup_printf (_("%s is not a regular file"), rel));
      close (fd);
      return;
    }
  hasher = ct_hasher_new (want_sm3 != NULL);
  buf = g_malloc (4 * 1024 * 1024);
  for (;;)
    {
      ssize_t n = read (fd, buf, 4 * 1024 * 1024);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;
          problem (c, g_strdup_printf (_("%s cannot be read: %s"), rel, g_strerror (errsv)));
          close (fd);
          return;
        }
      if (n == 0)
        break;
      ct_hasher_update (hasher, buf, (gsize) n);
      size += (guint64) n;
    }
  close (fd);
  ct_hasher_finish (hasher, sha, sm3);
  sha_hex = ct_hex_encode (sha, CT_HASH_LEN);
  c->report->files_checked++;
  c->report->bytes_checked += size;
  if (want_size >= 0 && (guint64) want_size != size)
    problem (c, g_strdup_printf (_("%s has %" PRIu64 " bytes; the manifest says %"
                                   PRId64), rel, size, want_size));
  else if (g_strcmp0 (sha_hex, want_sha) != 0)
    problem (c, g_strdup_printf (_("%s was changed: its SHA-256 is %s; the manifest says %s"),
                                 rel, sha_hex, want_sha));
  else if (want_sm3 != NULL &&
           g_strcmp0 ((sm3_hex = ct_hex_encode (sm3, CT_HASH_LEN)), want_sm3) != 0)
    problem (c, g_strdup_printf (_("%s was changed: its SM3 is %s; the manifest says %s"),
                                 rel, sm3_hex, want_sm3));
}

/* Every file under the bundle must be listed (or be the manifest or its
 * signature). */
static void
check_unlisted (Check *c, const char *rel_dir)
{
  g_autofree char *path = g_build_filename (c->dir, rel_dir, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *rel = *rel_dir != '\0' ? g_strconcat (rel_dir, "/", name, NULL)
                                              : g_strdup (name);
      g_autofree char *full = g_build_filename (c->dir, rel, NULL);

      if (g_file_test (full, G_FILE_TEST_IS_DIR) && !g_file_test (full, G_FILE_TEST_IS_SYMLINK))
        check_unlisted (c, rel);
      else if (!g_str_equal (rel, "manifest.json") && !g_str_equal (rel, "manifest.sig") &&
               !g_hash_table_contains (c->listed, rel))
        problem (c, g_strdup_printf (_("%s is not listed in the manifest: it was added after "
                                       "the export"), rel));
    }
}

static JsonNode *
read_json (Check *c, const char *rel)
{
  g_autofree char *path = g_build_filename (c->dir, rel, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;

  if (!g_hash_table_contains (c->listed, rel))
    {
      problem (c, g_strdup_printf (_("%s is not listed in the manifest"), rel));
      return NULL;
    }
  if (!json_parser_load_from_file (parser, path, &local))
    {
      /* Missing or changed files are reported by the hash check already. */
      if (!g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        problem (c, g_strdup_printf (_("%s cannot be read: %s"), rel, local->message));
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static void
check_audit (Check *c, JsonObject *manifest)
{
  g_autoptr(JsonNode) node = read_json (c, "audit.json");
  JsonArray *rows;
  JsonObject *audit = json_object_get_object_member (manifest, "audit");
  gint64 want_rows = -1, prev_id = 0;
  const char *prev_hash = NULL;

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      problem (c, g_strdup (_("audit.json is not a list of audit rows")));
      return;
    }
  rows = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *o = json_array_get_object_element (rows, i);
      CtAuditEntry e = { 0 };
      g_autofree char *hash = NULL;

      if (o == NULL || !member_int (o, "id", &e.id) || !member_int (o, "actor_id", &e.actor_id) ||
          !member_int (o, "case_id", &e.case_id))
        {
          problem (c, g_strdup_printf (_("audit.json: row %u is malformed"), i + 1));
          continue;
        }
      e.at = (char *) member_string (o, "at");
      e.actor = (char *) member_string (o, "actor");
      e.action = (char *) member_string (o, "action");
      e.object_type = (char *) member_string (o, "object_type");
      e.object_id = (char *) member_string (o, "object_id");
      e.detail = (char *) member_string (o, "detail");
      e.prev_hash = (char *) member_string (o, "prev_hash");
      e.hash = (char *) member_string (o, "hash");
      if (e.at == NULL || e.actor == NULL || e.action == NULL || e.object_type == NULL ||
          e.object_id == NULL || e.detail == NULL || e.prev_hash == NULL || e.hash == NULL)
        {
          problem (c, g_strdup_printf (_("audit.json: row %" PRId64 " is malformed"), e.id));
          continue;
        }
      hash = ct_audit_compute_hash (&e);
      if (g_strcmp0 (hash, e.hash) != 0)
        problem (c, g_strdup_printf (_("audit.json: row %" PRId64 " (%s at %s) was "
                                       "changed: it no longer matches its hash"),
                                     e.id, e.action, e.at));
      if (prev_hash != NULL && e.id == prev_id + 1 && g_strcmp0 (e.prev_hash, prev_hash) != 0)
        problem (c, g_strdup_printf (_("audit.json: row %" PRId64 " does not follow "
                                       "row %" PRId64 " in the chain"), e.id, prev_id));
      if (prev_hash != NULL && e.id <= prev_id)
        problem (c, g_strdup_printf (_("audit.json: row %" PRId64 " is out of order"),
                                     e.id));
      prev_id = e.id;
      prev_hash = e.hash;
      c->report->audit_rows++;
    }
  if (member_int (audit, "rows", &want_rows) && want_rows != (gint64) c->report->audit_rows)
    problem (c, g_strdup_printf (_("audit.json has %u rows; the manifest says %" PRId64),
                                 c->report->audit_rows, want_rows));
}

static void
check_checkpoint (Check *c)
{
  g_autoptr(JsonNode) node = read_json (c, "checkpoint.json");
  g_autoptr(GBytes) sig = NULL;
  g_autofree char *message = NULL;
  JsonObject *o;
  gint64 upto = 0;
  const char *head, *created;

  if (node == NULL)
    return;
  o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  head = member_string (o, "head_hash");
  created = member_string (o, "created_at");
  if (o == NULL || !member_int (o, "upto_id", &upto) || head == NULL || created == NULL)
    {
      problem (c, g_strdup (_("checkpoint.json is malformed")));
      return;
    }
  message = ct_audit_checkpoint_message (upto, head, created);
  sig = decode_b64 (member_string (o, "signature"));
  check_signature (c, "checkpoint.json", member_string (o, "key"),
                   member_string (o, "fingerprint"), member_string (o, "alg"),
                   message, strlen (message), sig);
}

static void
check_approvals (Check *c, gint64 case_id)
{
  g_autoptr(JsonNode) node = read_json (c, "approvals.json");
  JsonArray *list;

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      problem (c, g_strdup (_("approvals.json is not a list of approvals")));
      return;
    }
  list = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = json_array_get_object_element (list, i);
      const char *subject = member_string (o, "subject");
      const char *role = member_string (o, "role");
      const char *signer = member_string (o, "signer");
      const char *signed_at = member_string (o, "signed_at");
      const char *payload = member_string (o, "payload");
      g_autoptr(GBytes) sig = decode_b64 (member_string (o, "signature"));
      g_autofree char *what = g_strdup_printf (_("approvals.json: approval “%s” by %s"),
                                               subject != NULL ? subject : "?",
                                               member_string (o, "signer_name") ?: "?");
      g_autofree char *message = NULL;
      gint64 approval_case = 0;

      if (subject == NULL || role == NULL || signer == NULL || signed_at == NULL ||
          payload == NULL || !member_int (o, "case_id", &approval_case))
        {
          problem (c, g_strdup_printf (_("%s is incomplete"), what));
          continue;
        }
      if (approval_case != case_id)
        problem (c, g_strdup_printf (_("%s belongs to another case"), what));
      message = ct_approval_message (subject, approval_case, role, signer, signed_at, payload);
      check_signature (c, what, member_string (o, "key"), member_string (o, "fingerprint"),
                       member_string (o, "alg"), message, strlen (message), sig);
    }
}

gboolean
ct_bundle_verify (const char     *dir,
                  const char     *trusted_fingerprint,
                  CtBundleReport *report,
                  GError        **error)
{
  g_autofree char *manifest_path = NULL, *sig_path = NULL;
  g_autofree char *manifest = NULL, *sig_data = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) sig = NULL;
  JsonObject *root, *by, *case_obj;
  JsonArray *files;
  gsize manifest_len = 0, sig_len = 0;
  Check c = { dir, report, listed };

  g_return_val_if_fail (dir != NULL && report != NULL, FALSE);
  memset (report, 0, sizeof *report);
  report->problems = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("%s is not a folder"), dir);
      return FALSE;
    }
  manifest_path = g_build_filename (dir, "manifest.json", NULL);
  if (!g_file_get_contents (manifest_path, &manifest, &manifest_len, &local))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND,
                   _("%s is not a Casetrail export: manifest.json cannot be read (%s)"),
                   dir, local->message);
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, manifest, (gssize) manifest_len, &local) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INTEGRITY,
                   _("manifest.json in %s is damaged: it is not valid JSON (%s)"), dir,
                   local != NULL ? local->message : _("not an object"));
      return FALSE;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (member_string (root, "format"), CT_BUNDLE_FORMAT) != 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("%s is not a Casetrail export this version can check (format “%s”)"), dir,
                   member_string (root, "format") ?: "");
      return FALSE;
    }
  by = json_object_has_member (root, "exported_by") ? json_object_get_object_member (root, "exported_by") : NULL;
  case_obj = json_object_has_member (root, "case") ? json_object_get_object_member (root, "case") : NULL;
  report->case_number = g_strdup (member_string (case_obj, "number"));
  report->exported_at = g_strdup (member_string (root, "exported_at"));
  if (by != NULL)
    report->exported_by = g_strdup_printf ("%s (%s)", member_string (by, "name") ?: "?",
                                           member_string (by, "username") ?: "?");
  report->signer_fingerprint = g_strdup (member_string (by, "fingerprint"));
  report->signer_alg = g_strdup (member_string (by, "alg"));

  files = json_object_has_member (root, "files") ? json_object_get_array_member (root, "files") : NULL;
  for (guint i = 0; files != NULL && i < json_array_get_length (files); i++)
    {
      JsonObject *entry = json_array_get_object_element (files, i);
      const char *rel = member_string (entry, "path");
      if (rel != NULL)
        g_hash_table_insert (listed, (gpointer) rel, entry);
    }

  /* The manifest's signature first: everything else hangs on it. */
  sig_path = g_build_filename (dir, "manifest.sig", NULL);
  if (!g_file_get_contents (sig_path, &sig_data, &sig_len, NULL))
    problem (&c, g_strdup (_("manifest.sig, the signature of the manifest, is missing")));
  else
    {
      sig = g_bytes_new (sig_data, sig_len);
      if (!g_hash_table_contains (listed, member_string (by, "key") ?: ""))
        problem (&c, g_strdup (_("manifest.json: the exporter's key is not among the listed files")));
      check_signature (&c, "manifest.sig", member_string (by, "key"),
                       member_string (by, "fingerprint"), member_string (by, "alg"),
                       manifest, manifest_len, sig);
    }
  if (trusted_fingerprint != NULL &&
      g_strcmp0 (trusted_fingerprint, report->signer_fingerprint) != 0)
    problem (&c, g_strdup_printf (_("manifest.sig: signed with the key %s, not with the trusted "
                                    "key %s"), report->signer_fingerprint ?: "?",
                                  trusted_fingerprint));

  for (guint i = 0; files != NULL && i < json_array_get_length (files); i++)
    check_file (&c, json_array_get_object_element (files, i));
  if (files == NULL)
    problem (&c, g_strdup (_("manifest.json lists no files")));
  check_unlisted (&c, "");
  check_audit (&c, root);
  check_checkpoint (&c);
  {
    gint64 case_id = 0;
    member_int (case_obj, "id", &case_id);
    check_approvals (&c, case_id);
  }

  if (report->problems->len > 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INTEGRITY,
                   g_dngettext (GETTEXT_PACKAGE, "The export does not verify: %u problem",
                                "The export does not verify: %u problems", report->problems->len),
                   report->problems->len);
      return FALSE;
    }
  return TRUE;
}

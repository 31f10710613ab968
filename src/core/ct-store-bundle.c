/* ct-store-bundle.c — exporting a case as a bundle (see ct-bundle.h) */

#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ct-audit.h"
#include "ct-bundle.h"
#include "ct-bundle-private.h"
#include "ct-crypto.h"
#include "ct-error.h"
#include "ct-media.h"
#include "ct-objects.h"
#include "ct-statement.h"
#include "ct-store-private.h"

typedef struct {
  char       *root;       /* the directory being built */
  gboolean    with_sm3;
  JsonArray  *files;      /* manifest "files" */
  GHashTable *keys;       /* fingerprint → relative PEM path, written */
} Export;

static void
export_clear (Export *x)
{
  g_free (x->root);
  g_clear_pointer (&x->files, json_array_unref);
  g_clear_pointer (&x->keys, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Export, export_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CtAuditReport, ct_audit_report_clear)

static void
add_file_entry (Export *x, const char *rel, guint64 size, const char *sha256, const char *sm3,
                const char *role)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "path", rel);
  json_object_set_string_member (o, "role", role);
  json_object_set_int_member (o, "size", (gint64) size);
  json_object_set_string_member (o, "sha256", sha256);
  if (sm3 != NULL)
    json_object_set_string_member (o, "sm3", sm3);
  json_array_add_object_element (x->files, o);
}

static gboolean
write_bytes (Export *x, const char *rel, const void *data, gsize len, const char *role,
             GError **error)
{
  g_autofree char *path = g_build_filename (x->root, rel, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *sha = NULL;
  g_autofree char *sm3 = NULL;

  if (g_mkdir_with_parents (dir, 0755) < 0)
    {
      int errsv = errno;
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot create the folder %s: %s"),
                   dir, g_strerror (errsv));
      return FALSE;
    }
  if (!g_file_set_contents_full (path, data, (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, error))
    return FALSE;
  if (role != NULL)
    {
      sha = ct_hash_hex (CT_HASH_SHA256, data, len);
      if (x->with_sm3)
        sm3 = ct_hash_hex (CT_HASH_SM3, data, len);
      add_file_entry (x, rel, len, sha, sm3, role);
    }
  return TRUE;
}

static gboolean
write_json (Export *x, const char *rel, JsonNode *node, const char *role, GError **error)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  gsize len;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 1);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);
  return write_bytes (x, rel, text, len, role, error);
}

/* Copies a stored object into the bundle, hashing what it writes: the copy
 * must hash to the record's SHA-256 (and SM3), or the export fails. */
static gboolean
copy_object (Export *x, const char *object_path, const char *rel, const CtMedia *m,
             GCancellable *cancellable, GError **error)
{
  g_autofree char *path = g_build_filename (x->root, rel, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(CtHasher) hasher = ct_hasher_new (x->with_sm3 && m->sm3 != NULL);
  g_autofree guint8 *buf = g_malloc (4 * 1024 * 1024);
  guint8 sha[CT_HASH_LEN], sm3[CT_HASH_LEN];
  g_autofree char *sha_hex = NULL, *sm3_hex = NULL;
  guint64 done = 0;
  int in = -1, out = -1;
  gboolean ok = FALSE;

  if (g_mkdir_with_parents (dir, 0755) < 0)
    {
      int errsv = errno;
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot create the folder %s: %s"),
                   dir, g_strerror (errsv));
      return FALSE;
    }
  in = open (object_path, O_RDONLY | O_CLOEXEC);
  if (in < 0)
    {
      int errsv = errno;
      g_set_error (error, CT_ERROR, CT_ERROR_IO,
                   _("Cannot read “%s” (%s) from the evidence store: %s. Run Verify Evidence Store"),
                   m->original_name, object_path, g_strerror (errsv));
      return FALSE;
    }
  out = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
  if (out < 0)
    {
      int errsv = errno;
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot write %s: %s"), path,
                   g_strerror (errsv));
      goto done;
    }
  for (;;)
    {
      ssize_t n = read (in, buf, 4 * 1024 * 1024);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;
          g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot read %s: %s"), object_path,
                       g_strerror (errsv));
          goto done;
        }
      if (n == 0)
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto done;
      ct_hasher_update (hasher, buf, (gsize) n);
      for (ssize_t off = 0; off < n;)
        {
          ssize_t w = write (out, buf + off, (size_t) (n - off));
          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            {
              int errsv = errno;
              g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot write %s: %s"), path,
                           g_strerror (errsv));
              goto done;
            }
          off += w;
        }
      done += (guint64) n;
    }
  if (fsync (out) < 0)
    {
      int errsv = errno;
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot write %s: %s"), path,
                   g_strerror (errsv));
      goto done;
    }
  ct_hasher_finish (hasher, sha, sm3);
  sha_hex = ct_hex_encode (sha, CT_HASH_LEN);
  if (x->with_sm3 && m->sm3 != NULL)
    sm3_hex = ct_hex_encode (sm3, CT_HASH_LEN);
  if (g_strcmp0 (sha_hex, m->sha256) != 0 || done != (guint64) m->size ||
      (sm3_hex != NULL && g_strcmp0 (sm3_hex, m->sm3) != 0))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INTEGRITY,
                   _("The stored copy of “%s” does not match its record (SHA-256 %s). "
                     "Run Verify Evidence Store and restore it from a backup before exporting"),
                   m->original_name, m->sha256);
      goto done;
    }
  add_file_entry (x, rel, done, sha_hex, sm3_hex, "media");
  ok = TRUE;
done:
  if (in >= 0)
    close (in);
  if (out >= 0)
    close (out);
  return ok;
}

/* Writes keys/FP.pem once per key; returns the relative path. */
static const char *
add_key (Export *x, const char *alg_name, const void *public_key, gsize len,
         const char *fingerprint, GError **error)
{
  const char *have = g_hash_table_lookup (x->keys, fingerprint);
  g_autoptr(GBytes) pub = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *rel = NULL;
  CtSigAlg alg;

  if (have != NULL)
    return have;
  if (!ct_sig_alg_from_string (alg_name, &alg, error))
    return NULL;
  pub = g_bytes_new (public_key, len);
  pem = ct_public_key_to_pem (alg, pub, error);
  if (pem == NULL)
    return NULL;
  {
    /* "SHA256:21fe 31df …" → keys/21fe31df….pem */
    g_autoptr(GString) name = g_string_new ("keys/");
    const char *p = g_str_has_prefix (fingerprint, "SHA256:") ? fingerprint + 7 : fingerprint;
    for (; *p != '\0'; p++)
      if (g_ascii_isalnum (*p))
        g_string_append_c (name, *p);
    g_string_append (name, ".pem");
    rel = g_string_free (g_steal_pointer (&name), FALSE);
  }
  if (!write_bytes (x, rel, pem, strlen (pem), "key", error))
    return NULL;
  g_hash_table_insert (x->keys, g_strdup (fingerprint), g_strdup (rel));
  return g_hash_table_lookup (x->keys, fingerprint);
}

static const char *
add_key_by_id (CtStore *self, Export *x, gint64 key_id, char **alg_out, char **fp_out,
               GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = ct_db_prepare (self->db,
      "SELECT alg, public_key, fingerprint FROM signing_keys WHERE id = ?", error);
  const char *rel;

  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, key_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("Signing key %" PRId64 " is missing"),
                   key_id);
      return NULL;
    }
  rel = add_key (x, (const char *) sqlite3_column_text (stmt, 0),
                 sqlite3_column_blob (stmt, 1), (gsize) sqlite3_column_bytes (stmt, 1),
                 (const char *) sqlite3_column_text (stmt, 2), error);
  if (rel != NULL)
    {
      *alg_out = ct_db_column_dup (stmt, 0);
      *fp_out = ct_db_column_dup (stmt, 2);
    }
  return rel;
}

static JsonNode *
audit_rows (CtStore *self, gint64 case_id, guint *n_rows, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = ct_db_prepare (self->db,
      "SELECT id, at, actor_id, actor, action, object_type, object_id, case_id, detail,"
      " prev_hash, hash FROM audit_log WHERE case_id = ? ORDER BY id", error);
  JsonArray *rows;
  int rc;

  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  rows = json_array_new ();
  *n_rows = 0;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "id", sqlite3_column_int64 (stmt, 0));
      json_object_set_string_member (o, "at", (const char *) sqlite3_column_text (stmt, 1));
      json_object_set_int_member (o, "actor_id", sqlite3_column_int64 (stmt, 2));
      json_object_set_string_member (o, "actor", (const char *) sqlite3_column_text (stmt, 3));
      json_object_set_string_member (o, "action", (const char *) sqlite3_column_text (stmt, 4));
      json_object_set_string_member (o, "object_type", (const char *) sqlite3_column_text (stmt, 5));
      json_object_set_string_member (o, "object_id", (const char *) sqlite3_column_text (stmt, 6));
      json_object_set_int_member (o, "case_id", sqlite3_column_int64 (stmt, 7));
      json_object_set_string_member (o, "detail", (const char *) sqlite3_column_text (stmt, 8));
      json_object_set_string_member (o, "prev_hash", (const char *) sqlite3_column_text (stmt, 9));
      json_object_set_string_member (o, "hash", (const char *) sqlite3_column_text (stmt, 10));
      json_array_add_object_element (rows, o);
      (*n_rows)++;
    }
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, "reading the audit log");
      json_array_unref (rows);
      return NULL;
    }
  return json_node_init_array (json_node_alloc (), rows);
}

static JsonNode *
approvals_json (CtStore *self, Export *x, gint64 case_id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = ct_db_prepare (self->db,
      "SELECT a.id, a.subject, u.username, u.display_name, a.role, a.signed_at, a.payload,"
      " a.signature, a.key_id FROM approvals a JOIN users u ON u.id = a.signer_id"
      " WHERE a.case_id = ? ORDER BY a.id", error);
  g_autoptr(JsonArray) list = json_array_new ();
  int rc;

  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();
      g_autofree char *alg = NULL, *fp = NULL;
      g_autofree char *sig = g_base64_encode (sqlite3_column_blob (stmt, 7),
                                              (gsize) sqlite3_column_bytes (stmt, 7));
      const char *key;

      json_array_add_object_element (list, o);
      json_object_set_int_member (o, "id", sqlite3_column_int64 (stmt, 0));
      json_object_set_int_member (o, "case_id", case_id);
      json_object_set_string_member (o, "subject", (const char *) sqlite3_column_text (stmt, 1));
      json_object_set_string_member (o, "signer", (const char *) sqlite3_column_text (stmt, 2));
      json_object_set_string_member (o, "signer_name", (const char *) sqlite3_column_text (stmt, 3));
      json_object_set_string_member (o, "role", (const char *) sqlite3_column_text (stmt, 4));
      json_object_set_string_member (o, "signed_at", (const char *) sqlite3_column_text (stmt, 5));
      json_object_set_string_member (o, "payload", (const char *) sqlite3_column_text (stmt, 6));
      json_object_set_string_member (o, "signature", sig);
      key = add_key_by_id (self, x, sqlite3_column_int64 (stmt, 8), &alg, &fp, error);
      if (key == NULL)
        return NULL;
      json_object_set_string_member (o, "alg", alg);
      json_object_set_string_member (o, "fingerprint", fp);
      json_object_set_string_member (o, "key", key);
    }
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, "reading the approvals");
      return NULL;
    }
  return json_node_init_array (json_node_alloc (), g_steal_pointer (&list));
}

static JsonNode *
checkpoint_json (CtStore *self, Export *x, gint64 checkpoint_id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = ct_db_prepare (self->db,
      "SELECT upto_id, head_hash, created_at, signature, key_id FROM audit_checkpoints"
      " WHERE id = ?", error);
  JsonObject *o;
  g_autofree char *alg = NULL, *fp = NULL, *sig = NULL, *message = NULL;
  const char *key;

  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, checkpoint_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      ct_db_set_error (self->db, error, "reading the checkpoint");
      return NULL;
    }
  key = add_key_by_id (self, x, sqlite3_column_int64 (stmt, 4), &alg, &fp, error);
  if (key == NULL)
    return NULL;
  sig = g_base64_encode (sqlite3_column_blob (stmt, 3), (gsize) sqlite3_column_bytes (stmt, 3));
  message = ct_audit_checkpoint_message (sqlite3_column_int64 (stmt, 0),
                                         (const char *) sqlite3_column_text (stmt, 1),
                                         (const char *) sqlite3_column_text (stmt, 2));
  o = json_object_new ();
  json_object_set_int_member (o, "id", checkpoint_id);
  json_object_set_int_member (o, "upto_id", sqlite3_column_int64 (stmt, 0));
  json_object_set_string_member (o, "head_hash", (const char *) sqlite3_column_text (stmt, 1));
  json_object_set_string_member (o, "created_at", (const char *) sqlite3_column_text (stmt, 2));
  json_object_set_string_member (o, "message", message);
  json_object_set_string_member (o, "alg", alg);
  json_object_set_string_member (o, "fingerprint", fp);
  json_object_set_string_member (o, "key", key);
  json_object_set_string_member (o, "signature", sig);
  return json_node_init_object (json_node_alloc (), o);
}

static char *
media_file_name (const CtMedia *m)
{
  const char *dot = strrchr (m->original_name, '.');
  g_autofree char *ext = NULL;

  if (dot != NULL && strlen (dot) <= 6 && strchr (dot, '/') == NULL)
    ext = g_ascii_strdown (dot, -1);
  return g_strdup_printf ("media/%s%s", m->sha256, ext != NULL ? ext : "");
}

static JsonObject *
media_json (const CtMedia *m, const char *file)
{
  JsonObject *o = json_object_new ();
  JsonArray *officers = json_array_new ();

  json_object_set_int_member (o, "id", m->id);
  if (file != NULL)
    json_object_set_string_member (o, "file", file);
  json_object_set_string_member (o, "original_name", m->original_name);
  json_object_set_string_member (o, "sha256", m->sha256);
  if (m->sm3 != NULL)
    json_object_set_string_member (o, "sm3", m->sm3);
  json_object_set_int_member (o, "size", m->size);
  json_object_set_string_member (o, "kind", ct_media_kind_to_id (m->kind));
  json_object_set_int_member (o, "duration_ms", m->duration_ms);
  for (guint i = 0; m->officers[i] != NULL; i++)
    {
      JsonObject *who = json_object_new ();
      json_object_set_string_member (who, "username", m->officers[i]);
      json_object_set_string_member (who, "name", m->officer_names[i]);
      json_array_add_object_element (officers, who);
    }
  json_object_set_array_member (o, "officers", officers);
#define OPT(key, value) if ((value) != NULL) json_object_set_string_member (o, key, value)
  OPT ("device", m->device);
  OPT ("recorded_at", m->recorded_at);
  OPT ("stored_at", m->stored_at);
  OPT ("place", m->place);
  OPT ("title", m->title);
  OPT ("party", m->party);
  OPT ("cause", m->cause);
  OPT ("imported_by", m->imported_by);
  OPT ("disposed_at", m->disposed_at);
#undef OPT
  /* A clip exported from another recording says which, and which part. */
  if (m->parent_id != 0)
    {
      JsonObject *p = json_object_new ();
      json_object_set_int_member (p, "parent_id", m->parent_id);
      json_object_set_string_member (p, "parent_sha256", m->parent_sha256);
      if (m->parent_name != NULL)
        json_object_set_string_member (p, "parent_name", m->parent_name);
      json_object_set_int_member (p, "start_ms", m->clip_start_ms);
      json_object_set_int_member (p, "end_ms", m->clip_end_ms);
      json_object_set_int_member (p, "actual_start_ms", m->clip_actual_start_ms);
      json_object_set_int_member (p, "actual_end_ms", m->clip_actual_end_ms);
      if (m->derive_method != NULL)
        json_object_set_string_member (p, "method", m->derive_method);
      json_object_set_object_member (o, "derived_from", p);
    }
  return o;
}

static const char verify_text[] =
  "本目录是 Casetrail 导出的案件材料副本（参见 000 第十九条、004 第十四条）。\n"
  "离线核验：casetrail-cli bundle verify 本目录\n"
  "\n"
  "手工核验：\n"
  "1. manifest.json 的签名：签名人公钥为 keys/<指纹>.pem（指纹见 manifest.json 的 exported_by）。\n"
  "   SM2：openssl dgst -sm3 -verify keys/<指纹>.pem -sigopt distid:1234567812345678 "
  "-signature manifest.sig manifest.json\n"
  "   Ed25519：openssl pkeyutl -verify -pubin -inkey keys/<指纹>.pem -rawin -in manifest.json "
  "-sigfile manifest.sig\n"
  "2. 每个文件的大小与 SHA-256（sha256sum 文件名）应与 manifest.json 的 files 一致；不得缺少或多出文件。\n"
  "3. 请将签名人公钥指纹与本机关公布的指纹核对。\n"
  "\n"
  "This folder is a copy of a case exported by Casetrail.  Verify it offline with\n"
  "`casetrail-cli bundle verify DIR`, or by hand: check manifest.sig against manifest.json\n"
  "with the exporter's key in keys/ (commands above), then every file's size and SHA-256\n"
  "against manifest.json's \"files\".  Compare the signer's key fingerprint with the one\n"
  "the agency publishes.\n";

gboolean
ct_store_export_bundle (CtStore               *self,
                        CtSession             *session,
                        gint64                 case_id,
                        const char            *dir,
                        const CtBundleOptions *options,
                        GCancellable          *cancellable,
                        GError               **error)
{
  g_auto(CtAuditReport) chain = { 0 };
  g_autoptr(CtCase) c = NULL;
  g_autoptr(GPtrArray) media = NULL;
  g_autoptr(CtAgency) agency = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) gen = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autofree char *case_ref = NULL, *now = NULL, *detail = NULL, *parent = NULL, *base = NULL;
  g_autofree char *manifest = NULL, *exporter_alg = NULL, *exporter_fp = NULL, *canonical = NULL;
  g_autofree char *tmp_name = NULL;
  g_auto(Export) x = { 0 };
  JsonNode *node;
  JsonArray *media_list;
  const char *exporter_key;
  gint64 checkpoint_id;
  guint n_rows = 0;
  gsize manifest_len;
  gboolean ok = FALSE;
  CtObjectStore *objects = NULL;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);
  g_return_val_if_fail (session != NULL && dir != NULL, FALSE);

  if (!ct_session_has_role (session, CT_ROLE_SUPERVISOR) &&
      !ct_session_has_role (session, CT_ROLE_ARCHIVIST))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("Only a supervisor or the records officer may export a case "
                     "(004_18ca961c9dc26b05.txt 第十五条: footage is not provided without approval)"));
      return FALSE;
    }
  if (g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_EXISTS,
                   _("%s already exists; choose a new folder name for the export"), dir);
      return FALSE;
    }

  case_ref = g_strdup_printf ("%" PRId64, case_id);
  c = ct_store_get_case (self, session, case_ref, error);
  if (c == NULL)
    return FALSE;
  agency = ct_store_get_agency (self, error);
  if (agency == NULL)
    return FALSE;
  media = ct_store_list_media (self, case_id, error);
  if (media == NULL)
    return FALSE;
  if (options != NULL && options->include_media && media->len > 0)
    {
      objects = ct_store_get_objects (self, error);
      if (objects == NULL)
        return FALSE;
    }

  if (!ct_store_verify_audit (self, &chain, error))
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      g_set_error (error, CT_ERROR, CT_ERROR_INTEGRITY,
                   _("The audit chain does not verify (%s); a case is not exported from a "
                     "damaged record. Run Verify Audit Chain and report it"),
                   chain.problem != NULL ? chain.problem : "?");
      return FALSE;
    }

  /* Audited first; then the signed checkpoint covers the export itself. */
  detail = ct_store_detail_json ("folder", dir, "media",
                                 options == NULL || !options->include_media ? "listed"
                                 : options->clips_only ? "clips" : "originals",
                                 NULL);
  {
    CT_STORE_LOCK (self);
    if (!ct_db_begin (self->db, error))
      return FALSE;
    if (ct_store_audit (self, session, "case.export", "case", case_ref, case_id, detail,
                        error) == 0 ||
        !ct_db_commit (self->db, error))
      {
        ct_db_rollback (self->db);
        return FALSE;
      }
  }
  checkpoint_id = ct_store_checkpoint (self, session, error);
  if (checkpoint_id == 0)
    return FALSE;

  parent = g_path_get_dirname (dir);
  base = g_path_get_basename (dir);
  tmp_name = g_strdup_printf (".%s.partial-XXXXXX", base);
  x.root = g_build_filename (parent, tmp_name, NULL);
  if (g_mkdtemp (x.root) == NULL)
    {
      int errsv = errno;
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot create the folder %s: %s"),
                   parent, g_strerror (errsv));
      return FALSE;
    }
  x.with_sm3 = agency->national_crypto;
  x.files = json_array_new ();
  x.keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  {
    CT_STORE_LOCK (self);
    exporter_key = add_key_by_id (self, &x, session->key_id, &exporter_alg, &exporter_fp, error);
    if (exporter_key == NULL)
      goto out;
    node = audit_rows (self, case_id, &n_rows, error);
    if (node == NULL || !write_json (&x, "audit.json", node, "audit", error))
      {
        g_clear_pointer (&node, json_node_unref);
        goto out;
      }
    json_node_unref (node);
    node = checkpoint_json (self, &x, checkpoint_id, error);
    if (node == NULL || !write_json (&x, "checkpoint.json", node, "checkpoint", error))
      {
        g_clear_pointer (&node, json_node_unref);
        goto out;
      }
    json_node_unref (node);
    node = approvals_json (self, &x, case_id, error);
    if (node == NULL || !write_json (&x, "approvals.json", node, "approvals", error))
      {
        g_clear_pointer (&node, json_node_unref);
        goto out;
      }
    json_node_unref (node);
  }
  canonical = ct_store_case_canonical (self, case_id, error);
  if (canonical == NULL)
    goto out;
  if (options != NULL && options->render_dossier != NULL)
    {
      g_autoptr(GBytes) pdf = options->render_dossier (self, session, case_id, checkpoint_id, error);

      if (pdf == NULL ||
          !write_bytes (&x, "documents/dossier.pdf", g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                        "dossier", error))
        goto out;
    }

  media_list = json_array_new ();
  for (guint i = 0; i < media->len; i++)
    {
      const CtMedia *m = g_ptr_array_index (media, i);
      g_autofree char *rel = NULL;

      if (objects != NULL && m->disposed_at == NULL &&
          (!options->clips_only || m->parent_id != 0))
        {
          g_autofree char *obj = ct_object_store_path (objects, m->sha256);
          rel = media_file_name (m);
          if (!copy_object (&x, obj, rel, m, cancellable, error))
            {
              json_array_unref (media_list);
              goto out;
            }
        }
      json_array_add_object_element (media_list, media_json (m, rel));
    }

  /* The written explanation of each recording used as evidence
   * (001 第二十三条, 000 第十九条), on the disc with the recordings. */
  {
    g_autoptr(GPtrArray) statements = ct_store_av_statements (self, case_id, error);
    g_autoptr(GString) text = g_string_new (NULL);

    if (statements == NULL)
      {
        json_array_unref (media_list);
        goto out;
      }
    for (guint i = 0; i < statements->len; i++)
      {
        g_autofree char *one = ct_av_statement_to_text (g_ptr_array_index (statements, i), c->number);
        g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "", one);
      }
    if (statements->len > 0 &&
        !write_bytes (&x, "statements.txt", text->str, text->len, "statements", error))
      {
        json_array_unref (media_list);
        goto out;
      }
  }

  if (!write_bytes (&x, "VERIFY.txt", verify_text, strlen (verify_text), "readme", error))
    {
      json_array_unref (media_list);
      goto out;
    }

  now = ct_db_now_iso ();
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, CT_BUNDLE_FORMAT);
  json_builder_set_member_name (b, "agency");
  json_builder_add_string_value (b, agency->name);
  json_builder_set_member_name (b, "case");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, c->id);
  json_builder_set_member_name (b, "number");
  json_builder_add_string_value (b, c->number);
  json_builder_set_member_name (b, "cause");
  json_builder_add_string_value (b, c->cause);
  json_builder_set_member_name (b, "party");
  json_builder_add_string_value (b, c->party.name);
  json_builder_set_member_name (b, "stage");
  json_builder_add_string_value (b, c->stage);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, c->status);
  json_builder_set_member_name (b, "canonical");
  json_builder_add_string_value (b, canonical);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "exported_at");
  json_builder_add_string_value (b, now);
  json_builder_set_member_name (b, "exported_by");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, ct_session_get_username (session));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, ct_session_get_display_name (session));
  json_builder_set_member_name (b, "alg");
  json_builder_add_string_value (b, exporter_alg);
  json_builder_set_member_name (b, "fingerprint");
  json_builder_add_string_value (b, exporter_fp);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, exporter_key);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "audit");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, n_rows);
  json_builder_set_member_name (b, "chain_verified_at_export");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "checkpoint");
  json_builder_add_int_value (b, checkpoint_id);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "media");
  json_builder_add_value (b, json_node_init_array (json_node_alloc (), media_list));
  json_array_unref (media_list);
  json_builder_set_member_name (b, "files");
  json_builder_add_value (b, json_node_init_array (json_node_alloc (), x.files));
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 1);
  json_generator_set_root (gen, root);
  manifest = json_generator_to_data (gen, &manifest_len);
  if (!write_bytes (&x, "manifest.json", manifest, manifest_len, NULL, error))
    goto out;
  sig = ct_sign (session->key, manifest, manifest_len, error);
  if (sig == NULL)
    goto out;
  if (!write_bytes (&x, "manifest.sig", g_bytes_get_data (sig, NULL), g_bytes_get_size (sig),
                    NULL, error))
    goto out;

  if (g_rename (x.root, dir) < 0)
    {
      int errsv = errno;
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot name the export %s: %s"), dir,
                   g_strerror (errsv));
      goto out;
    }
  g_clear_pointer (&x.root, g_free);
  ok = TRUE;

out:
  if (x.root != NULL)
    {
      g_autoptr(GError) ignored = NULL;
      ct_bundle_remove_tree (x.root, &ignored);
    }
  if (!ok)
    {
      g_autofree char *why = ct_store_detail_json ("folder", dir, "error",
                                                   error != NULL && *error != NULL ? (*error)->message : "",
                                                   NULL);
      CT_STORE_LOCK (self);
      if (ct_db_begin (self->db, NULL))
        {
          if (ct_store_audit (self, session, "case.export-failed", "case", case_ref, case_id,
                              why, NULL) != 0)
            ct_db_commit (self->db, NULL);
          else
            ct_db_rollback (self->db);
        }
    }
  return ok;
}

#define G_LOG_DOMAIN "casetrail-core"

/* The printed documents' side of CtStore: a form with the approvals that
 * cover it, ready to print; the audit of printing; checking a paper copy's
 * code against the system.  See ct-document.h for the hashes. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ct-document.h"
#include "ct-error.h"
#include "ct-media.h"
#include "ct-store-private.h"

typedef struct {
  char   *subject;
  char   *signer;
  char   *signer_name;
  char   *role;
  char   *signed_at;
  char   *alg;
  char   *fingerprint;
  char   *payload;
  GBytes *signature;
  GBytes *public_key;
} ApprovalRow;

static void
approval_row_free (ApprovalRow *row)
{
  g_free (row->subject);
  g_free (row->signer);
  g_free (row->signer_name);
  g_free (row->role);
  g_free (row->signed_at);
  g_free (row->alg);
  g_free (row->fingerprint);
  g_free (row->payload);
  g_bytes_unref (row->signature);
  g_bytes_unref (row->public_key);
  g_free (row);
}

/* Every approval of the case, oldest first; the lock is held. */
static GPtrArray *
read_approvals (CtStore *self,
                gint64   case_id,
                GError **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) approval_row_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = ct_db_prepare (self->db,
                        "SELECT a.subject, u.username, u.display_name, a.role, a.signed_at,"
                        " k.alg, k.fingerprint, a.payload, a.signature, k.public_key"
                        " FROM approvals a JOIN users u ON u.id = a.signer_id"
                        " JOIN signing_keys k ON k.id = a.key_id"
                        " WHERE a.case_id = ? ORDER BY a.id",
                        error);
  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ApprovalRow *row = g_new0 (ApprovalRow, 1);

      row->subject = ct_db_column_dup (stmt, 0);
      row->signer = ct_db_column_dup (stmt, 1);
      row->signer_name = ct_db_column_dup (stmt, 2);
      row->role = ct_db_column_dup (stmt, 3);
      row->signed_at = ct_db_column_dup (stmt, 4);
      row->alg = ct_db_column_dup (stmt, 5);
      row->fingerprint = ct_db_column_dup (stmt, 6);
      row->payload = ct_db_column_dup (stmt, 7);
      row->signature = g_bytes_new (sqlite3_column_blob (stmt, 8), sqlite3_column_bytes (stmt, 8));
      row->public_key = g_bytes_new (sqlite3_column_blob (stmt, 9), sqlite3_column_bytes (stmt, 9));
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, _("Could not read the approvals"));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* The SHA-256 (hex) the payload records for the form, or NULL when the
 * approval was signed before the form existed. */
static char *
payload_form_hash (const char *payload,
                   const char *template_id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *forms;

  if (payload == NULL || !json_parser_load_from_data (parser, payload, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "forms") || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "forms")))
    return NULL;
  forms = json_object_get_object_member (root, "forms");
  if (!json_object_has_member (forms, template_id))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (forms, template_id, NULL));
}

/* "filing" belongs on the 立案审批表 (stage filing), "decision" on the
 * 决定审批表 and the 决定书, "not_filed" on the 不予立案审批表. */
static gboolean
subject_applies (const char           *subject,
                 const CtFormTemplate *tmpl)
{
  gsize n = strlen (subject);

  if (g_strcmp0 (subject, tmpl->stage) == 0)
    return TRUE;
  return n > 0 && strncmp (tmpl->id, subject, n) == 0 && (tmpl->id[n] == '\0' || tmpl->id[n] == '_');
}

static gboolean
signature_verifies (const ApprovalRow *row,
                    gint64             case_id,
                    GBytes            *signature)
{
  g_autofree char *message = ct_approval_message (row->subject, case_id, row->role, row->signer,
                                                        row->signed_at, row->payload);
  CtSigAlg alg;

  return ct_sig_alg_from_string (row->alg, &alg, NULL) &&
         ct_verify (alg, row->public_key, message, strlen (message), signature, NULL);
}

static gboolean
read_form_row (CtStore     *self,
               gint64       case_id,
               const char  *template_id,
               char       **data,
               gint64      *version,
               char       **updated_at,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ct_db_prepare (self->db, "SELECT data, version, updated_at FROM forms WHERE case_id = ? AND template = ?",
                        error);
  if (stmt == NULL)
    return FALSE;
  ct_db_bind_int64 (stmt, 1, case_id);
  ct_db_bind_text (stmt, 2, template_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("The case has no form “%s” yet."), template_id);
      return FALSE;
    }
  *data = ct_db_column_dup (stmt, 0);
  *version = sqlite3_column_int64 (stmt, 1);
  *updated_at = ct_db_column_dup (stmt, 2);
  return TRUE;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static GHashTable *
officer_names (CtStore *self)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) users = ct_store_list_users (self, NULL);

  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      CtUser *u = users->pdata[i];
      g_hash_table_insert (names, g_strdup (u->username),
                           u->cert_number && *u->cert_number
                             ? g_strdup_printf ("%s（执法证号：%s）", u->display_name, u->cert_number)
                             : g_strdup (u->display_name));
    }
  return names;
}

/* What clip fields print beside a recording's hash: its file name when
 * imported (the case's media, oldest first, so the same case always names a
 * hash the same way). */
static GHashTable *
media_names (CtStore *self,
             gint64   case_id)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) media = ct_store_list_media (self, case_id, NULL);

  for (guint i = 0; media != NULL && i < media->len; i++)
    {
      CtMedia *m = media->pdata[i];

      if (m->sha256 != NULL && m->original_name != NULL && !g_hash_table_contains (names, m->sha256))
        g_hash_table_insert (names, g_strdup (m->sha256), g_strdup (m->original_name));
    }
  return names;
}

/* The document of a form; the lock is held. */
static CtDocument *
build_document (CtStore     *self,
                CtCase      *c,
                const char  *template_id,
                GError     **error)
{
  g_autoptr(CtDocument) doc = g_new0 (CtDocument, 1);
  g_autoptr(CtAgency) agency = NULL;
  g_autoptr(GPtrArray) approvals = NULL;
  g_autofree char *data = NULL;
  CtFormRegistry *forms;

  forms = ct_store_get_forms (self, error);
  if (forms == NULL)
    return NULL;
  doc->tmpl = ct_form_registry_lookup (forms, template_id);
  if (doc->tmpl == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("There is no form template “%s”."), template_id);
      return NULL;
    }
  if (!read_form_row (self, c->id, template_id, &data, &doc->version, &doc->updated_at, error))
    return NULL;
  doc->values = parse_object (data);
  if (doc->values == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INTEGRITY, _("The saved form “%s” of case %s is damaged."),
                   template_id, c->number);
      return NULL;
    }
  agency = ct_store_get_agency (self, error);
  if (agency == NULL)
    return NULL;

  doc->agency = g_strdup (agency->name);
  doc->case_number = g_strdup (c->number);
  doc->form_hash = ct_hash_hex (CT_HASH_SHA256, data, strlen (data));
  doc->doc_hash = ct_document_hash (c->number, template_id, doc->form_hash);
  doc->officers = officer_names (self);
  doc->media_names = media_names (self, c->id);
  doc->signatures = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_doc_signature_free);

  approvals = read_approvals (self, c->id, error);
  if (approvals == NULL)
    return NULL;
  for (guint i = 0; i < approvals->len; i++)
    {
      ApprovalRow *row = approvals->pdata[i];
      g_autofree char *signed_hash = payload_form_hash (row->payload, template_id);
      CtDocSignature *sig;

      if (signed_hash == NULL || !subject_applies (row->subject, doc->tmpl))
        continue;
      sig = g_new0 (CtDocSignature, 1);
      sig->signer = g_strdup (row->signer);
      sig->signer_name = g_strdup (row->signer_name);
      sig->role = g_strdup (row->role);
      sig->signed_at = g_strdup (row->signed_at);
      sig->alg = g_strdup (row->alg);
      sig->fingerprint = g_strdup (row->fingerprint);
      g_ptr_array_add (doc->signatures, sig);

      if (!signature_verifies (row, c->id, row->signature))
        sig->invalid_reason = g_strdup (_("The signature does not verify: the approval record was altered."));
      else if (strcmp (signed_hash, doc->form_hash) != 0)
        sig->invalid_reason = g_strdup (_("The form was changed after it was signed; the approval no longer applies to it."));
      else if (!ct_store_approval_payload_matches (self, c, row->payload))
        sig->invalid_reason = g_strdup (_("The case was changed after it was signed; the approval no longer applies."));
      sig->valid = sig->invalid_reason == NULL;
      if (sig->valid)
        {
          CtDocCode code = { 0 };
          g_autofree char *fp = ct_fingerprint_compact (row->fingerprint);

          code.case_number = c->number;
          code.template_id = (char *) template_id;
          code.doc_hash = doc->doc_hash;
          code.alg = row->alg;
          code.fingerprint_hex = fp;
          code.signature = row->signature;
          sig->code = fp ? ct_doc_code_format (&code) : NULL;
        }
    }
  return g_steal_pointer (&doc);
}

CtDocument *
ct_store_get_document (CtStore     *self,
                       CtSession   *session,
                       gint64       case_id,
                       const char  *template_id,
                       GError     **error)
{
  g_autoptr(CtCase) c = NULL;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  g_return_val_if_fail (template_id != NULL, NULL);

  if (session == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("Sign in to print the documents of a case."));
      return NULL;
    }
  CT_STORE_LOCK (self);
  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL)
    return NULL;
  return build_document (self, c, template_id, error);
}

gboolean
ct_store_record_document (CtStore          *self,
                          CtSession        *session,
                          gint64            case_id,
                          const CtDocument *doc,
                          const char       *how,
                          const char       *target,
                          GError          **error)
{
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, doc->version);
  g_autofree char *n_sig = g_strdup_printf ("%u", doc->signatures->len);
  g_autofree char *detail = NULL;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);
  g_return_val_if_fail (doc != NULL && how != NULL, FALSE);

  if (session == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("Sign in to print the documents of a case."));
      return FALSE;
    }
  /* A preview shows a draft; printing or writing it out issues it. */
  if (g_strcmp0 (how, "preview") != 0 && !ct_document_check_issuable (doc, error))
    return FALSE;
  detail = ct_store_detail_json ("template", doc->tmpl->id, "version", version, "doc_sha256", doc->doc_hash,
                                 "approvals", n_sig, "how", how, "target", target, NULL);
  CT_STORE_LOCK (self);
  if (!ct_db_begin (self->db, error))
    return FALSE;
  if (ct_store_audit (self, session, "document.render", "case", id_str, case_id, detail, error) == 0)
    {
      ct_db_rollback (self->db);
      return FALSE;
    }
  return ct_db_commit (self->db, error);
}

/* ---- verification ---------------------------------------------------------------------- */

void
ct_doc_verdict_free (CtDocVerdict *v)
{
  if (v == NULL)
    return;
  g_free (v->case_number);
  g_free (v->template_id);
  g_free (v->title);
  g_free (v->paper_hash);
  g_free (v->system_hash);
  g_free (v->signer_name);
  g_free (v->role);
  g_free (v->signed_at);
  g_clear_pointer (&v->problems, g_ptr_array_unref);
  g_free (v);
}

static CtDocVerdict *
verdict_new (void)
{
  CtDocVerdict *v = g_new0 (CtDocVerdict, 1);
  v->problems = g_ptr_array_new_with_free_func (g_free);
  return v;
}

static void
add_problem (CtDocVerdict *v,
             const char   *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
add_problem (CtDocVerdict *v,
             const char   *format,
             ...)
{
  va_list ap;

  va_start (ap, format);
  g_ptr_array_add (v->problems, g_strdup_vprintf (format, ap));
  va_end (ap);
}

/* The values of the version of the form whose document hash is @doc_hash,
 * read back from the audit chain (every save carries the full values), or
 * NULL.  The lock is held. */
static JsonObject *
find_printed_version (CtStore    *self,
                      gint64      case_id,
                      const char *case_number,
                      const char *template_id,
                      const char *doc_hash)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ct_db_prepare (self->db,
                        "SELECT detail FROM audit_log WHERE case_id = ? AND action = 'form.save' ORDER BY id DESC",
                        NULL);
  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(JsonObject) detail = parse_object ((const char *) sqlite3_column_text (stmt, 0));
      const char *data;
      g_autofree char *form_hash = NULL;
      g_autofree char *hash = NULL;

      if (detail == NULL ||
          g_strcmp0 (json_object_get_string_member_with_default (detail, "template", NULL), template_id) != 0)
        continue;
      data = json_object_get_string_member_with_default (detail, "data", NULL);
      if (data == NULL)
        continue;
      form_hash = ct_hash_hex (CT_HASH_SHA256, data, strlen (data));
      hash = ct_document_hash (case_number, template_id, form_hash);
      if (strcmp (hash, doc_hash) == 0)
        return parse_object (data);
    }
  return NULL;
}

/* One problem per field whose printed value differs. */
static void
name_differences (CtDocVerdict     *v,
                  const CtDocument *doc,
                  JsonObject       *printed)
{
  for (guint i = 0; i < doc->tmpl->fields->len; i++)
    {
      const CtFieldDef *f = doc->tmpl->fields->pdata[i];
      JsonNode *a = json_object_get_member (printed, f->id);
      JsonNode *b = json_object_get_member (doc->values, f->id);
      g_autofree char *was = ct_document_format_value (doc, f, a);
      g_autofree char *now = ct_document_format_value (doc, f, b);

      if (strcmp (was, now) == 0)
        continue;
      add_problem (v, _("“%s” differs: the paper copy reads “%s”, the system now holds “%s”."),
                   f->label, *was ? was : _("(empty)"), *now ? now : _("(empty)"));
    }
}

static gboolean
audit_verify (CtStore      *self,
              CtSession    *session,
              gint64        case_id,
              CtDocVerdict *v,
              GError      **error)
{
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  g_autofree char *detail = ct_store_detail_json ("template", v->template_id, "paper_sha256", v->paper_hash,
                                                  "system_sha256", v->system_hash,
                                                  "result", v->matches ? "match" : "mismatch", NULL);

  if (!ct_db_begin (self->db, error))
    return FALSE;
  if (ct_store_audit (self, session, "document.verify", "case", id_str, case_id, detail, error) == 0)
    {
      ct_db_rollback (self->db);
      return FALSE;
    }
  return ct_db_commit (self->db, error);
}

CtDocVerdict *
ct_store_verify_document_code (CtStore     *self,
                               CtSession   *session,
                               const char  *text,
                               GError     **error)
{
  g_autoptr(CtDocVerdict) v = verdict_new ();
  g_autoptr(CtDocCode) code = NULL;
  g_autoptr(CtCase) c = NULL;
  g_autoptr(CtDocument) doc = NULL;
  g_autoptr(GPtrArray) approvals = NULL;
  g_autoptr(GError) local = NULL;
  ApprovalRow *signer = NULL;
  CtFormRegistry *forms;
  const CtFormTemplate *tmpl;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  if (session == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("Sign in to check a document."));
      return NULL;
    }
  code = ct_doc_code_parse (text, error);
  if (code == NULL)
    return NULL;
  v->case_number = g_strdup (code->case_number);
  v->template_id = g_strdup (code->template_id);
  v->paper_hash = g_strdup (code->doc_hash);

  CT_STORE_LOCK (self);

  forms = ct_store_get_forms (self, error);
  if (forms == NULL)
    return NULL;
  tmpl = ct_form_registry_lookup (forms, code->template_id);
  if (tmpl != NULL)
    v->title = g_strdup (tmpl->title);

  c = ct_store_read_case (self, code->case_number, &local);
  if (c == NULL || strcmp (c->number, code->case_number) != 0)
    {
      if (local != NULL && !g_error_matches (local, CT_ERROR, CT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      add_problem (v, _("There is no case numbered “%s” in this system."), code->case_number);
      return g_steal_pointer (&v);
    }
  if (tmpl == NULL)
    {
      add_problem (v, _("This system has no form template “%s”."), code->template_id);
      return audit_verify (self, session, c->id, v, error) ? g_steal_pointer (&v) : NULL;
    }

  doc = build_document (self, c, code->template_id, &local);
  if (doc == NULL)
    {
      if (!g_error_matches (local, CT_ERROR, CT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      add_problem (v, _("Case %s has no form “%s” in the system."), c->number, tmpl->title);
      return audit_verify (self, session, c->id, v, error) ? g_steal_pointer (&v) : NULL;
    }
  v->system_hash = g_strdup (doc->doc_hash);
  v->n_signatures = doc->signatures->len;

  /* The signature: a genuine approval signature of this case by the key
   * the code names. */
  approvals = read_approvals (self, c->id, error);
  if (approvals == NULL)
    return NULL;
  for (guint i = 0; i < approvals->len && signer == NULL; i++)
    {
      ApprovalRow *row = approvals->pdata[i];
      g_autofree char *fp = ct_fingerprint_compact (row->fingerprint);

      if (g_strcmp0 (fp, code->fingerprint_hex) == 0 && g_strcmp0 (row->alg, code->alg) == 0 &&
          signature_verifies (row, c->id, code->signature))
        signer = row;
    }
  if (signer == NULL)
    add_problem (v, _("The signature in the code is not a signature of any approval of case %s by key %s: the paper copy is not genuine."),
                 c->number, code->fingerprint_hex);
  else
    {
      g_autofree char *signed_form = payload_form_hash (signer->payload, code->template_id);
      g_autofree char *signed_doc = signed_form ? ct_document_hash (c->number, code->template_id, signed_form) : NULL;

      v->signer_name = g_strdup (signer->signer_name);
      v->role = g_strdup (signer->role);
      v->signed_at = g_strdup (signer->signed_at);
      if (signed_doc == NULL)
        add_problem (v, _("The approval signed by %s on %s does not cover the form “%s”."),
                     signer->signer_name, signer->signed_at, tmpl->title);
      else if (strcmp (signed_doc, code->doc_hash) != 0)
        add_problem (v, _("The document hash on the paper copy is not the one %s signed: the code was altered."),
                     signer->signer_name);
      else if (!ct_store_approval_payload_matches (self, c, signer->payload) &&
               strcmp (doc->doc_hash, code->doc_hash) == 0)
        add_problem (v, _("The case was changed after %s signed; the approval no longer applies."), signer->signer_name);
    }

  /* The content: the form as saved now. */
  if (strcmp (doc->doc_hash, code->doc_hash) != 0)
    {
      g_autoptr(JsonObject) printed = find_printed_version (self, c->id, c->number, code->template_id,
                                                           code->doc_hash);
      add_problem (v, _("The form “%s” in the system is not the version on the paper copy."), tmpl->title);
      if (printed != NULL)
        name_differences (v, doc, printed);
      else
        add_problem (v, _("No saved version of the form has the paper copy’s document hash, so the differing fields cannot be named."));
    }

  v->matches = v->problems->len == 0;
  return audit_verify (self, session, c->id, v, error) ? g_steal_pointer (&v) : NULL;
}

CtDocVerdict *
ct_store_verify_document (CtStore     *self,
                          CtSession   *session,
                          gint64       case_id,
                          const char  *template_id,
                          GError     **error)
{
  g_autoptr(CtDocVerdict) v = verdict_new ();
  g_autoptr(CtCase) c = NULL;
  g_autoptr(CtDocument) doc = NULL;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  if (session == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("Sign in to check a document."));
      return NULL;
    }
  CT_STORE_LOCK (self);
  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL)
    return NULL;
  doc = build_document (self, c, template_id, error);
  if (doc == NULL)
    return NULL;

  v->case_number = g_strdup (c->number);
  v->template_id = g_strdup (template_id);
  v->title = g_strdup (doc->tmpl->title);
  v->system_hash = g_strdup (doc->doc_hash);
  v->n_signatures = doc->signatures->len;
  for (guint i = 0; i < doc->signatures->len; i++)
    {
      CtDocSignature *sig = doc->signatures->pdata[i];
      if (!sig->valid)
        add_problem (v, _("Approval by %s (%s): %s"), sig->signer_name, sig->signed_at, sig->invalid_reason);
    }
  v->matches = v->problems->len == 0;
  return audit_verify (self, session, c->id, v, error) ? g_steal_pointer (&v) : NULL;
}

#define G_LOG_DOMAIN "casetrail-core"

/* The dossier of a case from the store, and archiving it (ct-dossier.h). */

#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ct-crypto.h"
#include "ct-dossier.h"
#include "ct-error.h"
#include "ct-objects.h"
#include "ct-rules.h"
#include "ct-statement.h"
#include "ct-store-private.h"

void
ct_dossier_free (CtDossier *d)
{
  if (d == NULL)
    return;
  g_free (d->agency);
  g_free (d->case_number);
  g_free (d->cause);
  g_free (d->party);
  g_free (d->procedure);
  g_free (d->officers);
  g_free (d->opened_at);
  g_free (d->closed_at);
  g_free (d->retention);
  g_free (d->made_by);
  g_clear_pointer (&d->documents, g_ptr_array_unref);
  g_clear_pointer (&d->statements, g_ptr_array_unref);
  g_clear_pointer (&d->media, g_ptr_array_unref);
  g_clear_pointer (&d->approvals, g_ptr_array_unref);
  g_clear_pointer (&d->audit, g_ptr_array_unref);
  g_free (d->checkpoint_head);
  g_free (d->checkpoint_at);
  g_free (d->checkpoint_signer);
  g_free (d->checkpoint_alg);
  g_free (d->checkpoint_fingerprint);
  g_free (d->checkpoint_signature);
  g_free (d);
}

void
ct_case_archive_free (CtCaseArchive *a)
{
  if (a == NULL)
    return;
  g_free (a->sha256);
  g_free (a->sm3);
  g_free (a->created_at);
  g_free (a->created_by);
  g_free (a);
}

typedef enum {
  DOSSIER_MAKE,          /* make the dossier, or archive the case with it */
  DOSSIER_READ_ARCHIVE,  /* read or save the archived one */
} DossierUse;

/* Who may: the case's officers, a supervisor, the records officer
 * (001_79771f0fef6d4575.txt 第二十条, 第二十四条). */
static gboolean
may_use (CtCase      *c,
         CtSession   *session,
         DossierUse   use,
         GError     **error)
{
  if (session == NULL)
    {
      g_set_error_literal (error, CT_ERROR, CT_ERROR_PERMISSION,
                           use == DOSSIER_MAKE ? _("Sign in to make the dossier of a case.")
                                               : _("Sign in to read the archived dossier of a case."));
      return FALSE;
    }
  if (ct_session_has_role (session, CT_ROLE_SUPERVISOR) || ct_session_has_role (session, CT_ROLE_ARCHIVIST) ||
      ct_case_has_officer (c, session))
    return TRUE;
  if (use == DOSSIER_MAKE)
    g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                 _("%s may not make the dossier of case %s: only its officers, a supervisor or the records "
                   "officer may (001_79771f0fef6d4575.txt 第二十条, 第二十四条)"),
                 ct_session_get_display_name (session), c->number);
  else
    g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                 _("%s may not read the archived dossier of case %s: only its officers, a supervisor or "
                   "the records officer may; ask one of them for a copy (001_79771f0fef6d4575.txt 第二十条, "
                   "第二十四条)"),
                 ct_session_get_display_name (session), c->number);
  return FALSE;
}

static gboolean
may_make (CtCase     *c,
          CtSession  *session,
          GError    **error)
{
  return may_use (c, session, DOSSIER_MAKE, error);
}

gboolean
ct_store_may_make_dossier (CtStore    *self,
                           CtSession  *session,
                           gint64      case_id,
                           GError    **error)
{
  g_autoptr(CtCase) c = NULL;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);
  CT_STORE_LOCK (self);
  c = ct_store_read_case_by_id (self, case_id, error);
  return c != NULL && may_make (c, session, error);
}

/* Index of @stage in the procedure, or G_MAXINT when it has none. */
static int
stage_index (const CtProcedureDef *proc,
             const char           *stage)
{
  for (guint i = 0; proc != NULL && i < proc->stages->len; i++)
    if (g_strcmp0 (((CtStageDef *) proc->stages->pdata[i])->id, stage) == 0)
      return (int) i;
  return G_MAXINT;
}

typedef struct {
  const char *template_id;
  int         stage;
  gboolean    foreign;      /* of another procedure's stage: after the stage's own */
  int         rule_order;
  char       *created_at;
} DocKey;

static int
compare_doc_keys (gconstpointer a,
                  gconstpointer b)
{
  const DocKey *x = a, *y = b;

  if (x->stage != y->stage)
    return x->stage < y->stage ? -1 : 1;
  if (x->foreign != y->foreign)
    return x->foreign ? 1 : -1;
  if (x->rule_order != y->rule_order)
    return x->rule_order < y->rule_order ? -1 : 1;
  if (g_strcmp0 (x->created_at, y->created_at) != 0)
    return g_strcmp0 (x->created_at, y->created_at);
  return strcmp (x->template_id, y->template_id);
}

static void
doc_key_clear (gpointer p)
{
  g_free (((DocKey *) p)->created_at);
}

/* When the form was first saved, and the stage the case was at then.  A
 * template of another procedure's stage (an 现场笔录 of a coercive measure
 * taken during an investigation) files under the stage it was made in.
 * Lock held. */
static void
form_origin (CtStore    *self,
             gint64      case_id,
             const char *template_id,
             char      **created_at,
             char      **stage)
{
  g_autoptr(sqlite3_stmt) stmt = ct_db_prepare (self->db,
      "SELECT f.created_at, (SELECT s.stage FROM case_stages s WHERE s.case_id = f.case_id"
      "   AND s.entered_at <= f.created_at ORDER BY s.entered_at DESC, s.rowid DESC LIMIT 1)"
      " FROM forms f WHERE f.case_id = ? AND f.template = ?", NULL);

  *created_at = NULL;
  *stage = NULL;
  if (stmt == NULL)
    return;
  ct_db_bind_int64 (stmt, 1, case_id);
  ct_db_bind_text (stmt, 2, template_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *created_at = ct_db_column_dup (stmt, 0);
      *stage = ct_db_column_dup (stmt, 1);
    }
}

/* The case's saved forms in procedural order.  Lock held. */
static GPtrArray *
documents_in_order (CtStore    *self,
                    CtSession  *session,
                    CtCase     *c,
                    GError    **error)
{
  CtRuleSet *rules = ct_store_get_rules (self, error);
  CtFormRegistry *forms = rules != NULL ? ct_store_get_forms (self, error) : NULL;
  g_autoptr(CtFacts) facts = NULL;
  g_autoptr(GPtrArray) reqs = NULL;
  g_autoptr(GHashTable) order = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  const CtProcedureDef *proc;
  int n = 0;

  if (forms == NULL)
    return NULL;
  proc = ct_ruleset_get_procedure (rules, c->procedure);

  /* The order in which the procedure's rules name the templates. */
  facts = ct_store_case_facts (self, c->id, error);
  if (facts == NULL)
    return NULL;
  reqs = ct_ruleset_evaluate (rules, c->procedure, NULL, facts, NULL, NULL);
  order = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; reqs != NULL && i < reqs->len; i++)
    {
      const CtRule *r = ((CtRequirement *) reqs->pdata[i])->rule;
      if (r->form != NULL && !g_hash_table_contains (order, r->form))
        g_hash_table_insert (order, r->form, GINT_TO_POINTER (++n));
    }

  ids = ct_store_list_forms (self, c->id, error);
  if (ids == NULL)
    return NULL;
  keys = g_array_new (FALSE, FALSE, sizeof (DocKey));
  g_array_set_clear_func (keys, doc_key_clear);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      const CtFormTemplate *t = ct_form_registry_lookup (forms, ids[i]);
      DocKey k = { ids[i], G_MAXINT, FALSE, G_MAXINT, NULL };
      g_autofree char *made_in = NULL;

      form_origin (self, c->id, ids[i], &k.created_at, &made_in);
      if (t != NULL)
        k.stage = stage_index (proc, t->stage);
      if (k.stage == G_MAXINT)
        {
          k.stage = stage_index (proc, made_in);
          k.foreign = TRUE;
        }
      if (g_hash_table_contains (order, ids[i]))
        k.rule_order = GPOINTER_TO_INT (g_hash_table_lookup (order, ids[i]));
      g_array_append_val (keys, k);
    }
  g_array_sort (keys, compare_doc_keys);

  docs = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_document_free);
  for (guint i = 0; i < keys->len; i++)
    {
      CtDocument *doc = ct_store_get_document (self, session, c->id, g_array_index (keys, DocKey, i).template_id,
                                               error);
      if (doc == NULL)
        return NULL;
      g_ptr_array_add (docs, doc);
    }
  return g_steal_pointer (&docs);
}

/* The checkpoint with its signer, its signature verified.  Lock held. */
static gboolean
read_checkpoint (CtStore    *self,
                 CtDossier  *d,
                 gint64      checkpoint_id,
                 GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = ct_db_prepare (self->db,
      "SELECT c.upto_id, c.head_hash, c.created_at, c.signature, k.alg, k.public_key, k.fingerprint,"
      " u.display_name FROM audit_checkpoints c JOIN signing_keys k ON k.id = c.key_id"
      " JOIN users u ON u.id = k.user_id WHERE c.id = ?", error);
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GBytes) pub = NULL;
  g_autofree char *message = NULL;
  CtSigAlg alg;

  if (stmt == NULL)
    return FALSE;
  ct_db_bind_int64 (stmt, 1, checkpoint_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("Checkpoint %" PRId64 " of the audit chain is missing"),
                   checkpoint_id);
      return FALSE;
    }
  d->checkpoint_id = checkpoint_id;
  d->checkpoint_upto = sqlite3_column_int64 (stmt, 0);
  d->checkpoint_head = ct_db_column_dup (stmt, 1);
  d->checkpoint_at = ct_db_column_dup (stmt, 2);
  sig = g_bytes_new (sqlite3_column_blob (stmt, 3), (gsize) sqlite3_column_bytes (stmt, 3));
  d->checkpoint_alg = ct_db_column_dup (stmt, 4);
  pub = g_bytes_new (sqlite3_column_blob (stmt, 5), (gsize) sqlite3_column_bytes (stmt, 5));
  d->checkpoint_fingerprint = ct_db_column_dup (stmt, 6);
  d->checkpoint_signer = ct_db_column_dup (stmt, 7);
  d->checkpoint_signature = g_base64_encode (g_bytes_get_data (sig, NULL), g_bytes_get_size (sig));
  message = ct_audit_checkpoint_message (d->checkpoint_upto, d->checkpoint_head, d->checkpoint_at);
  d->checkpoint_valid = ct_sig_alg_from_string (d->checkpoint_alg, &alg, NULL) &&
                        ct_verify (alg, pub, message, strlen (message), sig, NULL);
  return TRUE;
}

static char *
officer_line (CtCase *c)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < c->officers->len; i++)
    {
      CtCaseOfficer *o = c->officers->pdata[i];
      if (s->len > 0)
        g_string_append (s, "、");
      g_string_append (s, o->display_name);
      if (o->cert_number != NULL && *o->cert_number != '\0')
        g_string_append_printf (s, "（执法证号 %s）", o->cert_number);
      if (o->assistant)
        g_string_append (s, "（协助）");
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* When the case's enforcement act ended: it entered the archive stage (or
 * was closed).  Lock held. */
static char *
closed_at (CtStore *self,
           gint64   case_id)
{
  g_autoptr(sqlite3_stmt) stmt = ct_db_prepare (self->db,
      "SELECT MIN (entered_at) FROM case_stages WHERE case_id = ? AND stage IN ('archive', 'closed')", NULL);

  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return ct_db_column_dup (stmt, 0);
}

static gint64
audit_and_checkpoint (CtStore    *self,
                      CtSession  *session,
                      gint64      case_id,
                      const char *target,
                      GError    **error)
{
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  g_autofree char *detail = ct_store_detail_json ("target", target ? target : "", NULL);

  {
    CT_STORE_LOCK (self);
    if (!ct_db_begin (self->db, error))
      return 0;
    if (ct_store_audit (self, session, "case.dossier", "case", id_str, case_id, detail, error) == 0 ||
        !ct_db_commit (self->db, error))
      {
        ct_db_rollback (self->db);
        return 0;
      }
  }
  return ct_store_checkpoint (self, session, error);
}

static CtDossier *
get_dossier (CtStore    *self,
             CtSession  *session,
             gint64      case_id,
             gint64      checkpoint_id,
             const char *target,
             GError    **error)
{
  g_autoptr(CtDossier) d = g_new0 (CtDossier, 1);
  g_autoptr(CtCase) c = NULL;
  g_autoptr(CtAgency) agency = NULL;
  g_autoptr(GPtrArray) statements = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  CtRuleSet *rules;
  const CtProcedureDef *proc;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  {
    CT_STORE_LOCK (self);
    c = ct_store_read_case_by_id (self, case_id, error);
    if (c == NULL || !may_make (c, session, error))
      return NULL;
  }
  if (checkpoint_id == 0)
    {
      checkpoint_id = audit_and_checkpoint (self, session, case_id, target, error);
      if (checkpoint_id == 0)
        return NULL;
    }
  else
    {
      g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
      g_autofree char *detail = ct_store_detail_json ("target", target ? target : "", NULL);
      CT_STORE_LOCK (self);

      if (!ct_db_begin (self->db, error))
        return NULL;
      if (ct_store_audit (self, session, "case.dossier", "case", id_str, case_id, detail, error) == 0 ||
          !ct_db_commit (self->db, error))
        {
          ct_db_rollback (self->db);
          return NULL;
        }
    }

  CT_STORE_LOCK (self);
  agency = ct_store_get_agency (self, error);
  rules = agency != NULL ? ct_store_get_rules (self, error) : NULL;
  if (rules == NULL)
    return NULL;
  proc = ct_ruleset_get_procedure (rules, c->procedure);

  d->agency = g_strdup (agency->name);
  d->with_sm3 = agency->national_crypto;
  d->case_number = g_strdup (c->number);
  d->cause = g_strdup (c->cause);
  d->party = g_strdup (c->party.name);
  d->procedure = g_strdup (proc != NULL ? proc->title : c->procedure);
  d->officers = officer_line (c);
  d->opened_at = g_strdup (c->created_at);
  d->closed_at = closed_at (self, case_id);
  d->retention = g_strdup ("按照档案管理规定执行；作为证据使用的音像资料与案卷保存期限相同"
                           "（001 第二十条，004 第十二条）");
  d->made_by = g_strdup (ct_session_get_display_name (session));

  d->documents = documents_in_order (self, session, c, error);
  if (d->documents == NULL)
    return NULL;

  statements = ct_store_av_statements (self, case_id, error);
  if (statements == NULL)
    return NULL;
  d->statements = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < statements->len; i++)
    g_ptr_array_add (d->statements, ct_av_statement_to_text (statements->pdata[i], c->number));

  d->media = ct_store_list_media (self, case_id, error);
  if (d->media == NULL)
    return NULL;
  d->approvals = ct_store_list_approvals (self, case_id, error);
  if (d->approvals == NULL)
    return NULL;

  /* The case's rows up to the checkpoint, oldest first. */
  audit = ct_store_list_audit (self, case_id, 0, error);
  if (audit == NULL)
    return NULL;
  if (!read_checkpoint (self, d, checkpoint_id, error))
    return NULL;
  d->audit = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_audit_entry_free);
  for (guint i = audit->len; i > 0; i--)
    {
      CtAuditEntry *e = audit->pdata[i - 1];
      if (e->id <= d->checkpoint_upto)
        g_ptr_array_add (d->audit, g_steal_pointer (&audit->pdata[i - 1]));
    }
  return g_steal_pointer (&d);
}

CtDossier *
ct_store_get_dossier (CtStore    *self,
                      CtSession  *session,
                      gint64      case_id,
                      gint64      checkpoint_id,
                      GError    **error)
{
  return get_dossier (self, session, case_id, checkpoint_id, NULL, error);
}

GBytes *
ct_store_render_dossier (CtStore    *self,
                         CtSession  *session,
                         gint64      case_id,
                         gint64      checkpoint_id,
                         const char *target,
                         guint      *n_pages,
                         GError    **error)
{
  g_autoptr(CtDossier) d = get_dossier (self, session, case_id, checkpoint_id, target, error);

  if (d == NULL)
    return NULL;
  return ct_dossier_render_pdf (d, n_pages, error);
}

GBytes *
ct_dossier_for_bundle (CtStore    *self,
                       CtSession  *session,
                       gint64      case_id,
                       gint64      checkpoint_id,
                       GError    **error)
{
  return ct_store_render_dossier (self, session, case_id, checkpoint_id, "bundle", NULL, error);
}

/* ---- archiving ------------------------------------------------------------------------ */

static CtCaseArchive *
read_archive (CtStore *self,
              gint64   case_id,
              GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = ct_db_prepare (self->db,
      "SELECT a.sha256, a.sm3, a.size, a.pages, a.created_at, u.username, a.checkpoint_id"
      " FROM case_archives a JOIN users u ON u.id = a.created_by WHERE a.case_id = ?", error);
  CtCaseArchive *a;

  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      break;
    case SQLITE_DONE:
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("Case %" PRId64 " has no archived dossier."), case_id);
      return NULL;
    default:
      ct_db_set_error (self->db, error, "reading the archived dossier");
      return NULL;
    }
  a = g_new0 (CtCaseArchive, 1);
  a->case_id = case_id;
  a->sha256 = ct_db_column_dup (stmt, 0);
  a->sm3 = ct_db_column_dup (stmt, 1);
  a->size = (guint64) sqlite3_column_int64 (stmt, 2);
  a->pages = (guint) sqlite3_column_int64 (stmt, 3);
  a->created_at = ct_db_column_dup (stmt, 4);
  a->created_by = ct_db_column_dup (stmt, 5);
  a->checkpoint_id = sqlite3_column_int64 (stmt, 6);
  return a;
}

CtCaseArchive *
ct_store_get_case_archive (CtStore *self,
                           gint64   case_id,
                           GError **error)
{
  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  CT_STORE_LOCK (self);
  return read_archive (self, case_id, error);
}

static gboolean
may_archive (CtCase     *c,
             CtSession  *session,
             GError    **error)
{
  if (session != NULL && ct_session_has_role (session, CT_ROLE_ARCHIVIST))
    return TRUE;
  for (guint i = 0; session != NULL && i < c->officers->len; i++)
    {
      CtCaseOfficer *o = c->officers->pdata[i];
      if (o->user_id == ct_session_get_user_id (session) && !o->assistant && o->certified)
        return TRUE;
    }
  g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
               _("Only the records officer or a certified handler of case %s archives it "
                 "(001_79771f0fef6d4575.txt 第二十条, 000_c8799fc573923ff9.txt 第十八条)."), c->number);
  return FALSE;
}

CtCaseArchive *
ct_store_archive_case (CtStore    *self,
                       CtSession  *session,
                       gint64      case_id,
                       GError    **error)
{
  g_autoptr(CtCase) c = NULL;
  g_autoptr(GPtrArray) reqs = NULL;
  g_autoptr(CtFacts) facts = NULL;
  g_autoptr(CtDossier) d = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(CtObjectInfo) info = NULL;
  g_autoptr(CtAgency) agency = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *message = NULL, *tmp_path = NULL, *now = NULL, *detail = NULL, *summary = NULL;
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  g_autofree char *pages_str = NULL, *checkpoint_str = NULL;
  CtObjectStore *objects;
  CtRuleSet *rules;
  const char *next;
  guint pages = 0;
  int fd;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  rules = ct_store_get_rules (self, error);
  if (rules == NULL)
    return NULL;
  {
    CT_STORE_LOCK (self);
    c = ct_store_read_case_by_id (self, case_id, error);
    if (c == NULL || !may_archive (c, session, error))
      return NULL;
    if (g_strcmp0 (c->status, "archived") == 0)
      {
        g_set_error (error, CT_ERROR, CT_ERROR_EXISTS, _("Case %s is already archived."), c->number);
        return NULL;
      }
    facts = ct_store_case_facts (self, case_id, error);
    if (facts == NULL)
      return NULL;
    next = ct_ruleset_next_stage (rules, c->procedure, c->stage, facts);
    if (g_strcmp0 (c->stage, "archive") != 0 || g_strcmp0 (next, "archived") != 0)
      {
        g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                     _("Case %s is at stage “%s”; a case is archived from the stage “%s”, once concluded."),
                     c->number, ct_choice_label (ct_case_stages (), c->stage),
                     ct_choice_label (ct_case_stages (), "archive"));
        return NULL;
      }
    reqs = ct_store_check_case (self, case_id, NULL, error);
    if (reqs == NULL)
      return NULL;
    message = ct_store_blocked_message (c, reqs);
    if (message != NULL)
      {
        g_set_error_literal (error, CT_ERROR, CT_ERROR_BLOCKED, message);
        return NULL;
      }
  }

  /* The dossier, with a checkpoint signed now; stored as an object. */
  d = get_dossier (self, session, case_id, 0, "archive", error);
  if (d == NULL)
    return NULL;
  pdf = ct_dossier_render_pdf (d, &pages, error);
  if (pdf == NULL)
    return NULL;
  objects = ct_store_get_objects (self, error);
  agency = objects != NULL ? ct_store_get_agency (self, error) : NULL;
  if (agency == NULL)
    return NULL;
  fd = g_file_open_tmp ("casetrail-dossier-XXXXXX.pdf", &tmp_path, error);
  if (fd < 0)
    return NULL;
  close (fd);
  if (!g_file_set_contents (tmp_path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), &local))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Could not write the dossier to %s: %s"), tmp_path,
                   local->message);
      g_unlink (tmp_path);
      return NULL;
    }
  if (!ct_object_store_import (objects, tmp_path, agency->national_crypto, TRUE, NULL, NULL, NULL, &info, NULL,
                               error))
    {
      g_unlink (tmp_path);
      return NULL;
    }
  g_unlink (tmp_path);

  now = ct_db_now_iso ();
  pages_str = g_strdup_printf ("%u", pages);
  checkpoint_str = g_strdup_printf ("%" G_GINT64_FORMAT, d->checkpoint_id);
  detail = ct_store_detail_json ("sha256", info->sha256, "pages", pages_str, "checkpoint", checkpoint_str, NULL);
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Archived with its dossier (%u page, SHA-256 %.16s…)",
                                          "Archived with its dossier (%u pages, SHA-256 %.16s…)", pages),
                             pages, info->sha256);

  CT_STORE_LOCK (self);
  if (!ct_db_begin (self->db, error))
    return NULL;
  g_clear_pointer (&c, ct_case_free);
  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL)
    goto fail;
  if (g_strcmp0 (c->stage, "archive") != 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Case %s changed while its dossier was made; try again."),
                   c->number);
      goto fail;
    }
  stmt = ct_db_prepare (self->db,
                        "INSERT INTO case_archives (case_id, sha256, sm3, size, pages, created_at, created_by,"
                        " checkpoint_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  ct_db_bind_int64 (stmt, 1, case_id);
  ct_db_bind_text (stmt, 2, info->sha256);
  ct_db_bind_text (stmt, 3, info->sm3);
  ct_db_bind_int64 (stmt, 4, (gint64) info->size);
  ct_db_bind_int64 (stmt, 5, pages);
  ct_db_bind_text (stmt, 6, now);
  ct_db_bind_int64 (stmt, 7, ct_session_get_user_id (session));
  ct_db_bind_int64 (stmt, 8, d->checkpoint_id);
  if (!ct_db_step_done (self->db, stmt, error) ||
      !ct_store_enter_stage (self, session, c, "archived", error) ||
      !ct_store_add_event (self, session, case_id, "stage", summary, error) ||
      ct_store_audit (self, session, "case.archive", "case", id_str, case_id, detail, error) == 0 ||
      !ct_db_commit (self->db, error))
    goto fail;
  return read_archive (self, case_id, error);

fail:
  ct_db_rollback (self->db);
  return NULL;
}

/* The stored dossier, re-hashed against its record; not yet audited.  The
 * caller holds the store's lock. */
static GBytes *
load_verified_archive (CtStore        *self,
                       CtSession      *session,
                       gint64          case_id,
                       CtCase        **case_out,
                       CtCaseArchive **archive_out,
                       GError        **error)
{
  g_autoptr(CtCase) c = NULL;
  g_autoptr(CtCaseArchive) a = NULL;
  g_autofree char *path = NULL, *sha = NULL;
  g_autoptr(GError) local = NULL;
  CtObjectStore *objects;
  char *data = NULL;
  gsize len = 0;

  objects = ct_store_get_objects (self, error);
  if (objects == NULL)
    return NULL;
  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL || !may_use (c, session, DOSSIER_READ_ARCHIVE, error))
    return NULL;
  a = read_archive (self, case_id, error);
  if (a == NULL)
    return NULL;
  path = ct_object_store_path (objects, a->sha256);
  if (path == NULL || !g_file_get_contents (path, &data, &len, &local))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INTEGRITY,
                   _("The archived dossier of case %s (SHA-256 %s) is missing from the evidence store: %s"),
                   c->number, a->sha256, local != NULL ? local->message : "?");
      return NULL;
    }
  sha = ct_hash_hex (CT_HASH_SHA256, data, len);
  if (strcmp (sha, a->sha256) != 0 || len != a->size)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INTEGRITY,
                   _("The archived dossier of case %s does not match its record (SHA-256 %s, recorded %s)"),
                   c->number, sha, a->sha256);
      g_free (data);
      return NULL;
    }
  *case_out = g_steal_pointer (&c);
  *archive_out = g_steal_pointer (&a);
  return g_bytes_new_take (data, len);
}

/* "case.dossier-read", naming the file written when there is one. */
static gboolean
audit_archive_read (CtStore             *self,
                    CtSession           *session,
                    gint64               case_id,
                    const CtCaseArchive *a,
                    const char          *target,
                    GError             **error)
{
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  g_autofree char *detail = NULL;

  if (target != NULL)
    detail = ct_store_detail_json ("sha256", a->sha256, "target", target, NULL);
  else
    detail = ct_store_detail_json ("sha256", a->sha256, NULL);
  if (!ct_db_begin (self->db, error))
    return FALSE;
  if (ct_store_audit (self, session, "case.dossier-read", "case", id_str, case_id, detail, error) == 0 ||
      !ct_db_commit (self->db, error))
    {
      ct_db_rollback (self->db);
      return FALSE;
    }
  return TRUE;
}

GBytes *
ct_store_read_case_archive (CtStore        *self,
                            CtSession      *session,
                            gint64          case_id,
                            CtCaseArchive **archive_out,
                            GError        **error)
{
  g_autoptr(CtCase) c = NULL;
  g_autoptr(CtCaseArchive) a = NULL;
  g_autoptr(GBytes) pdf = NULL;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  CT_STORE_LOCK (self);
  pdf = load_verified_archive (self, session, case_id, &c, &a, error);
  if (pdf == NULL || !audit_archive_read (self, session, case_id, a, NULL, error))
    return NULL;
  if (archive_out != NULL)
    *archive_out = g_steal_pointer (&a);
  return g_steal_pointer (&pdf);
}

gboolean
ct_store_save_case_archive (CtStore        *self,
                            CtSession      *session,
                            gint64          case_id,
                            const char     *path,
                            CtCaseArchive **archive_out,
                            GError        **error)
{
  g_autoptr(CtCase) c = NULL;
  g_autoptr(CtCaseArchive) a = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *written = NULL, *sha = NULL;
  gsize len = 0;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  CT_STORE_LOCK (self);
  pdf = load_verified_archive (self, session, case_id, &c, &a, error);
  if (pdf == NULL)
    return FALSE;

  /* Written whole or not at all (a temporary file renamed into place), then
   * read back: the copy is the archived one, byte for byte. */
  if (!g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), &local))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_IO,
                   _("Could not write the archived dossier of case %s to %s: %s. Choose a folder you may write to, "
                     "with enough free space."),
                   c->number, path, local->message);
      return FALSE;
    }
  if (g_file_get_contents (path, &written, &len, NULL))
    sha = ct_hash_hex (CT_HASH_SHA256, written, len);
  if (sha == NULL || strcmp (sha, a->sha256) != 0)
    {
      g_unlink (path);
      g_set_error (error, CT_ERROR, CT_ERROR_IO,
                   _("The copy of the archived dossier of case %s written to %s did not read back unchanged; it "
                     "was removed. Check the disk and try again."),
                   c->number, path);
      return FALSE;
    }

  /* Only a copy that was written is recorded; one that cannot be recorded
   * is not left behind. */
  if (!audit_archive_read (self, session, case_id, a, path, error))
    {
      g_unlink (path);
      return FALSE;
    }
  if (archive_out != NULL)
    *archive_out = g_steal_pointer (&a);
  return TRUE;
}

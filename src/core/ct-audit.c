#define G_LOG_DOMAIN "casetrail-core"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "ct-audit.h"
#include "ct-crypto.h"
#include "ct-db.h"
#include "ct-error.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

void
ct_audit_entry_free (CtAuditEntry *e)
{
  if (e == NULL)
    return;
  g_free (e->at);
  g_free (e->actor);
  g_free (e->action);
  g_free (e->object_type);
  g_free (e->object_id);
  g_free (e->detail);
  g_free (e->prev_hash);
  g_free (e->hash);
  g_free (e);
}

void
ct_audit_report_clear (CtAuditReport *report)
{
  g_clear_pointer (&report->problem, g_free);
  memset (report, 0, sizeof *report);
}

/* Netstring-like framing, so that no two different rows encode alike. */
static void
frame_str (GString    *s,
           const char *value,
           gsize       len)
{
  g_string_append_printf (s, "%" G_GSIZE_FORMAT ":", len);
  g_string_append_len (s, value, len);
  g_string_append_c (s, ',');
}

static void
frame_text (GString    *s,
            const char *value)
{
  value = value != NULL ? value : "";
  frame_str (s, value, strlen (value));
}

static void
frame_int (GString *s,
           gint64   value)
{
  char buf[32];
  int n = g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  frame_str (s, buf, n);
}

char *
ct_audit_compute_hash (const CtAuditEntry *e)
{
  g_autoptr(GString) s = g_string_new ("casetrail-audit-v1,");

  frame_int (s, e->id);
  frame_text (s, e->at);
  frame_int (s, e->actor_id);
  frame_text (s, e->actor);
  frame_text (s, e->action);
  frame_text (s, e->object_type);
  frame_text (s, e->object_id);
  frame_int (s, e->case_id);
  frame_text (s, e->detail);
  frame_text (s, e->prev_hash);

  return ct_hash_hex (CT_HASH_SHA256, s->str, s->len);
}

char *
ct_audit_checkpoint_message (gint64      upto_id,
                             const char *head_hash,
                             const char *created_at)
{
  return g_strdup_printf ("casetrail-audit-checkpoint-v1\n%" G_GINT64_FORMAT "\n%s\n%s\n",
                          upto_id, head_hash, created_at);
}

gboolean
ct_audit_head (CtDb    *db,
               gint64  *id,
               char   **hash,
               GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = ct_db_prepare (db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *id = sqlite3_column_int64 (stmt, 0);
      *hash = ct_db_column_dup (stmt, 1);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      *id = 0;
      *hash = g_strdup (ZERO_HASH);
      return TRUE;
    }
  ct_db_set_error (db, error, _("Could not read the audit log"));
  return FALSE;
}

gint64
ct_audit_append (CtDb        *db,
                 gint64       actor_id,
                 const char  *actor,
                 const char  *action,
                 const char  *object_type,
                 const char  *object_id,
                 gint64       case_id,
                 const char  *detail_json,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *prev_hash = NULL;
  g_autofree char *at = ct_db_now_iso ();
  g_autofree char *hash = NULL;
  CtAuditEntry e = { 0 };
  gint64 last_id;

  g_return_val_if_fail (action != NULL, 0);

  if (!ct_audit_head (db, &last_id, &prev_hash, error))
    return 0;

  e.id = last_id + 1;
  e.at = at;
  e.actor_id = actor_id;
  e.actor = (char *) (actor ? actor : "");
  e.action = (char *) action;
  e.object_type = (char *) (object_type ? object_type : "");
  e.object_id = (char *) (object_id ? object_id : "");
  e.case_id = case_id;
  e.detail = (char *) (detail_json ? detail_json : "{}");
  e.prev_hash = prev_hash;
  hash = ct_audit_compute_hash (&e);

  stmt = ct_db_prepare (db,
                        "INSERT INTO audit_log (id, at, actor_id, actor, action, object_type,"
                        " object_id, case_id, detail, prev_hash, hash)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    return 0;
  ct_db_bind_int64 (stmt, 1, e.id);
  ct_db_bind_text (stmt, 2, e.at);
  ct_db_bind_int64 (stmt, 3, e.actor_id);
  ct_db_bind_text (stmt, 4, e.actor);
  ct_db_bind_text (stmt, 5, e.action);
  ct_db_bind_text (stmt, 6, e.object_type);
  ct_db_bind_text (stmt, 7, e.object_id);
  ct_db_bind_int64 (stmt, 8, e.case_id);
  ct_db_bind_text (stmt, 9, e.detail);
  ct_db_bind_text (stmt, 10, e.prev_hash);
  ct_db_bind_text (stmt, 11, hash);
  if (!ct_db_step_done (db, stmt, error))
    {
      g_prefix_error (error, _("Could not record the action in the audit log: "));
      return 0;
    }
  return e.id;
}

/* Exact bytes of a column, so that a flipped byte is never normalized away. */
static char *
column_bytes (sqlite3_stmt *stmt,
              int           col)
{
  const char *data = (const char *) sqlite3_column_text (stmt, col);
  int len = sqlite3_column_bytes (stmt, col);

  if (data == NULL)
    return g_strdup ("");
  return g_strndup (data, len);
}

static void
report_problem (CtAuditReport *report,
                gint64         row,
                char          *problem)
{
  if (report->first_bad_row == 0 || row < report->first_bad_row)
    {
      report->first_bad_row = row;
      g_free (report->problem);
      report->problem = problem;
    }
  else
    g_free (problem);
}

/* Ids and hashes of the chain in order, for the checkpoint pass. */
typedef struct {
  GHashTable *hashes;  /* gint64 id → hash (owned) */
} ChainIndex;

static gboolean
verify_rows (CtDb          *db,
             CtAuditReport *report,
             ChainIndex    *index,
             gint64        *last_id,
             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *expected_prev = g_strdup (ZERO_HASH);
  gint64 expected_id = 1;
  int rc;

  stmt = ct_db_prepare (db,
                        "SELECT id, at, actor_id, actor, action, object_type, object_id,"
                        " case_id, detail, prev_hash, hash FROM audit_log ORDER BY id",
                        error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CtAuditEntry) e = g_new0 (CtAuditEntry, 1);
      g_autofree char *computed = NULL;

      e->id = sqlite3_column_int64 (stmt, 0);
      e->at = column_bytes (stmt, 1);
      e->actor_id = sqlite3_column_int64 (stmt, 2);
      e->actor = column_bytes (stmt, 3);
      e->action = column_bytes (stmt, 4);
      e->object_type = column_bytes (stmt, 5);
      e->object_id = column_bytes (stmt, 6);
      e->case_id = sqlite3_column_int64 (stmt, 7);
      e->detail = column_bytes (stmt, 8);
      e->prev_hash = column_bytes (stmt, 9);
      e->hash = column_bytes (stmt, 10);
      report->rows++;

      /* Integer columns must really be integers: a text value would
       * otherwise read as 0 and could hide a change. */
      if (sqlite3_column_type (stmt, 0) != SQLITE_INTEGER ||
          sqlite3_column_type (stmt, 2) != SQLITE_INTEGER ||
          sqlite3_column_type (stmt, 7) != SQLITE_INTEGER)
        {
          report_problem (report, MIN (e->id, expected_id),
                          g_strdup_printf (_("Audit row %" PRId64 " has a malformed number."),
                                           MIN (e->id, expected_id)));
          break;
        }

      if (e->id != expected_id)
        {
          report_problem (report, expected_id,
                          g_strdup_printf (_("Audit row %" PRId64 " is missing."), expected_id));
          break;
        }

      if (strcmp (e->prev_hash, expected_prev) != 0)
        {
          report_problem (report, e->id,
                          g_strdup_printf (_("Audit row %" PRId64 " does not follow the row before it (the chain is broken)."),
                                           e->id));
          break;
        }

      computed = ct_audit_compute_hash (e);
      if (strcmp (computed, e->hash) != 0)
        {
          report_problem (report, e->id,
                          g_strdup_printf (_("Audit row %" PRId64 " was altered: its contents do not match its hash."),
                                           e->id));
          break;
        }

      g_hash_table_insert (index->hashes, g_memdup2 (&e->id, sizeof e->id), g_strdup (e->hash));
      g_free (expected_prev);
      expected_prev = g_steal_pointer (&e->hash);
      *last_id = e->id;
      expected_id++;
    }

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ct_db_set_error (db, error, _("Could not read the audit log"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
verify_checkpoints (CtDb          *db,
                    CtAuditReport *report,
                    ChainIndex    *index,
                    gint64         last_good_id,
                    GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 last_matching_upto = 0;
  int rc;

  stmt = ct_db_prepare (db,
                        "SELECT c.id, c.upto_id, c.head_hash, c.created_at, c.signature,"
                        " k.alg, k.public_key"
                        " FROM audit_checkpoints c LEFT JOIN signing_keys k ON k.id = c.key_id"
                        " ORDER BY c.id",
                        error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 cp_id = sqlite3_column_int64 (stmt, 0);
      gint64 upto = sqlite3_column_int64 (stmt, 1);
      g_autofree char *head = column_bytes (stmt, 2);
      g_autofree char *created = column_bytes (stmt, 3);
      g_autofree char *alg_name = column_bytes (stmt, 5);
      g_autofree char *message = NULL;
      g_autoptr(GBytes) sig = NULL;
      g_autoptr(GBytes) pub = NULL;
      const char *row_hash;
      CtSigAlg alg;

      if (upto < 1)
        {
          report_problem (report, 1,
                          g_strdup_printf (_("Checkpoint %" PRId64 " is malformed."), cp_id));
          continue;
        }

      sig = g_bytes_new (sqlite3_column_blob (stmt, 4), sqlite3_column_bytes (stmt, 4));
      pub = g_bytes_new (sqlite3_column_blob (stmt, 6), sqlite3_column_bytes (stmt, 6));
      message = ct_audit_checkpoint_message (upto, head, created);

      if (!ct_sig_alg_from_string (alg_name, &alg, NULL) ||
          !ct_verify (alg, pub, message, strlen (message), sig, NULL))
        {
          report_problem (report, upto,
                          g_strdup_printf (_("The signature of checkpoint %" PRId64 " (covering audit rows up to %" PRId64 ") does not verify."),
                                           cp_id, upto));
          continue;
        }

      report->checkpoints++;

      if (upto > last_good_id)
        {
          /* Rows the checkpoint vouched for are gone or broken. */
          gint64 first = last_good_id + 1;
          report_problem (report, first,
                          g_strdup_printf (_("Audit row %" PRId64 " is missing or broken: signed checkpoint %" PRId64 " covers rows up to %" PRId64 "."),
                                           first, cp_id, upto));
          continue;
        }

      /* The chain is consistent but differs from what was signed: it was
       * rewritten somewhere after the last checkpoint that still matches. */
      row_hash = g_hash_table_lookup (index->hashes, &upto);
      if (row_hash == NULL || strcmp (row_hash, head) != 0)
        report_problem (report, MIN (last_matching_upto + 1, upto),
                        g_strdup_printf (_("The audit log was rewritten between rows %" PRId64 " and %" PRId64 ": row %" PRId64 " no longer matches signed checkpoint %" PRId64 "."),
                                         MIN (last_matching_upto + 1, upto), upto, upto, cp_id));
      else if (upto > last_matching_upto)
        last_matching_upto = upto;
    }

  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (db, error, _("Could not read the audit checkpoints"));
      return FALSE;
    }
  return TRUE;
}

gboolean
ct_audit_verify (CtDb          *db,
                 CtAuditReport *report,
                 GError       **error)
{
  ChainIndex index;
  gint64 last_good = 0;
  gboolean ok;

  g_return_val_if_fail (report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  index.hashes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  ok = verify_rows (db, report, &index, &last_good, error) &&
       verify_checkpoints (db, report, &index, last_good, error);

  g_hash_table_unref (index.hashes);

  if (!ok)
    return FALSE;
  return report->first_bad_row == 0;
}

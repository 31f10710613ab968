#define G_LOG_DOMAIN "casetrail-test"

#include "config.h"

#include <glib/gstdio.h>

#include "ct-audit.h"
#include "ct-db.h"
#include "ct-error.h"
#include "ct-test-util.h"

static char *
db_path (const char *dir)
{
  return g_build_filename (dir, "casetrail.db", NULL);
}

/* A store with some history: users, logins, failed logins, cases, views,
 * an approval, and a checkpoint at the end. */
static char *
make_history (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtSession) sup = NULL;
  g_autoptr(CtSession) h1 = NULL;

  for (int i = 0; i < 6; i++)
    {
      g_autofree char *cause = g_strdup_printf ("案由 %d", i);
      ct_test_new_case (store, cause);
    }
  g_assert_null (ct_store_login (store, "h1", "wrong passphrase", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_AUTH);
  g_clear_error (&error);

  h1 = ct_test_login (store, "h1");
  for (int i = 1; i <= 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("%d", i);
      g_autoptr(CtCase) c = ct_store_get_case (store, h1, id, &error);
      g_assert_no_error (error);
    }
  sup = ct_test_login (store, "sup");
  g_assert_cmpint (ct_store_approve (store, sup, 1, "filing", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (ct_store_checkpoint (store, sup, &error), >, 0);
  g_assert_no_error (error);
  return dir;
}

static void
test_every_action_audited (void)
{
  g_autofree char *dir = make_history ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CtStore) store = ct_store_open (dir, &error);
  g_autoptr(GPtrArray) rows = NULL;
  CtAuditReport report = { 0 };
  GHashTable *actions = g_hash_table_new (g_str_hash, g_str_equal);
  const char *expected[] = { "agency.create", "user.create", "user.login", "user.login_failed",
                             "user.logout", "case.create", "case.view", "case.approve",
                             "audit.checkpoint", NULL };

  g_assert_no_error (error);
  g_assert_true (ct_store_verify_audit (store, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.first_bad_row, ==, 0);
  g_assert_cmpint (report.checkpoints, >, 5);
  g_assert_cmpint (report.rows, ==, ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log"));
  ct_audit_report_clear (&report);

  rows = ct_store_list_audit (store, 0, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_hash_table_add (actions, ((CtAuditEntry *) rows->pdata[i])->action);
  for (guint i = 0; expected[i]; i++)
    if (g_strcmp0 (expected[i], "user.logout") != 0)
      g_assert_true (g_hash_table_contains (actions, expected[i]));

  /* Rows of one case only. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = ct_store_list_audit (store, 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, >=, 3); /* create, view, approve */
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpint (((CtAuditEntry *) rows->pdata[i])->case_id, ==, 1);

  g_hash_table_unref (actions);
  ct_test_remove_dir (dir);
}

static void
test_update_delete_refused (void)
{
  g_autofree char *dir = make_history ();
  g_autofree char *path = db_path (dir);
  sqlite3 *db = NULL;
  char *msg = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit_log SET actor = 'mallory' WHERE id = 3", NULL, NULL, &msg),
                   ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (msg, "append-only"));
  sqlite3_free (msg);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit_log WHERE id = 3", NULL, NULL, &msg),
                   ==, SQLITE_CONSTRAINT);
  sqlite3_free (msg);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit_log", NULL, NULL, &msg), ==, SQLITE_CONSTRAINT);
  sqlite3_free (msg);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit_checkpoints SET upto_id = 1", NULL, NULL, &msg),
                   ==, SQLITE_CONSTRAINT);
  sqlite3_free (msg);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit_checkpoints", NULL, NULL, &msg), ==, SQLITE_CONSTRAINT);
  sqlite3_free (msg);
  sqlite3_close (db);

  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log WHERE actor = 'mallory'"), ==, 0);
  ct_test_remove_dir (dir);
}

/* The failed change and its audit row share a transaction: a change the
 * database refuses leaves no audit row behind. */
static void
test_audit_in_same_transaction (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtSession) admin = ct_test_login (store, "admin");
  g_autoptr(GError) error = NULL;
  gint64 before = ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log");
  CtUserSpec dup = { .username = "h1", .display_name = "h1", .cert_number = "Z", .certified = TRUE,
                     .roles = CT_ROLE_HANDLER };

  g_assert_cmpint (ct_store_add_user (store, admin, &dup, CT_TEST_PASSPHRASE, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_EXISTS);
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log"), ==, before);
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM users WHERE username = 'h1'"), ==, 1);
  ct_test_remove_dir (dir);
}

/* ---- random tampering -------------------------------------------------------- */

typedef enum {
  TAMPER_FLIP,
  TAMPER_DELETE,
  TAMPER_SWAP,
  TAMPER_RENUMBER,
  TAMPER_TRUNCATE,
  N_TAMPER
} TamperKind;

static const char * const text_columns[] = {
  "at", "actor", "action", "object_type", "object_id", "detail", "prev_hash", "hash"
};
static const char * const int_columns[] = { "actor_id", "case_id" };

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *msg = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &msg);

  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
}

static gboolean
flip_text (sqlite3    *db,
           gint64      row,
           const char *column)
{
  g_autofree char *select = g_strdup_printf ("SELECT %s FROM audit_log WHERE id = ?", column);
  g_autofree char *update = g_strdup_printf ("UPDATE audit_log SET %s = ? WHERE id = ?", column);
  g_autofree char *value = NULL;
  sqlite3_stmt *stmt = NULL;
  int len;
  int pos;

  g_assert_cmpint (sqlite3_prepare_v2 (db, select, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, row);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  len = sqlite3_column_bytes (stmt, 0);
  if (len == 0)
    {
      sqlite3_finalize (stmt);
      return FALSE;
    }
  value = g_memdup2 (sqlite3_column_text (stmt, 0), len);
  sqlite3_finalize (stmt);

  pos = g_test_rand_int_range (0, len);
  value[pos] ^= (char) (1 << g_test_rand_int_range (0, 8));

  g_assert_cmpint (sqlite3_prepare_v2 (db, update, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, value, len, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, row);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return TRUE;
}

/* SQLite has no XOR operator: a XOR b is (a | b) - (a & b). */
static void
flip_int (sqlite3    *db,
          gint64      row,
          const char *column)
{
  int bit = 1 << g_test_rand_int_range (0, 20);
  g_autofree char *sql =
    g_strdup_printf ("UPDATE audit_log SET %s = (%s | %d) - (%s & %d) WHERE id = %" G_GINT64_FORMAT,
                     column, column, bit, column, bit, row);

  exec_ok (db, sql);
}

/* Performs one random tampering; returns the row the verifier must name. */
static gint64
tamper (sqlite3 *db,
        gint64   n_rows,
        GString *what)
{
  TamperKind kind = g_test_rand_int_range (0, N_TAMPER);
  gint64 row = g_test_rand_int_range (1, n_rows + 1);

  exec_ok (db, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");

  switch (kind)
    {
    case TAMPER_FLIP:
      if (g_test_rand_bit ())
        {
          const char *col = int_columns[g_test_rand_int_range (0, G_N_ELEMENTS (int_columns))];
          flip_int (db, row, col);
          g_string_printf (what, "flip a bit of %s in row %" G_GINT64_FORMAT, col, row);
        }
      else
        {
          const char *col;
          do
            col = text_columns[g_test_rand_int_range (0, G_N_ELEMENTS (text_columns))];
          while (!flip_text (db, row, col));
          g_string_printf (what, "flip a byte of %s in row %" G_GINT64_FORMAT, col, row);
        }
      return row;

    case TAMPER_DELETE:
      {
        g_autofree char *sql = g_strdup_printf ("DELETE FROM audit_log WHERE id = %" G_GINT64_FORMAT, row);
        exec_ok (db, sql);
        g_string_printf (what, "delete row %" G_GINT64_FORMAT, row);
        return row;
      }

    case TAMPER_SWAP:
      {
        gint64 other;
        g_autofree char *sql = NULL;
        do
          other = g_test_rand_int_range (1, n_rows + 1);
        while (other == row);
        /* Swap every column but the id, through a spare id. */
        sql = g_strdup_printf (
          "UPDATE audit_log SET id = -1 WHERE id = %1$" G_GINT64_FORMAT ";"
          "UPDATE audit_log SET id = %1$" G_GINT64_FORMAT " WHERE id = %2$" G_GINT64_FORMAT ";"
          "UPDATE audit_log SET id = %2$" G_GINT64_FORMAT " WHERE id = -1;",
          row, other);
        exec_ok (db, sql);
        g_string_printf (what, "swap rows %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT, row, other);
        return MIN (row, other);
      }

    case TAMPER_RENUMBER:
      {
        g_autofree char *sql = g_strdup_printf ("UPDATE audit_log SET id = id + 100000 WHERE id = %" G_GINT64_FORMAT, row);
        exec_ok (db, sql);
        g_string_printf (what, "renumber row %" G_GINT64_FORMAT, row);
        return row;
      }

    case TAMPER_TRUNCATE:
      {
        g_autofree char *sql = g_strdup_printf ("DELETE FROM audit_log WHERE id >= %" G_GINT64_FORMAT, row);
        exec_ok (db, sql);
        g_string_printf (what, "truncate from row %" G_GINT64_FORMAT, row);
        return row;
      }

    case N_TAMPER:
    default:
      g_assert_not_reached ();
    }
  return 0;
}

static void
test_random_tampering (void)
{
  g_autofree char *dir = make_history ();
  g_autofree char *orig = db_path (dir);
  g_autofree char *copy = g_build_filename (dir, "tampered.db", NULL);
  g_autofree char *original = NULL;
  g_autoptr(GString) what = g_string_new (NULL);
  gsize len;
  gint64 n_rows = ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log");
  const guint rounds = 1000;

  g_assert_cmpint (n_rows, >, 30);
  g_assert_true (g_file_get_contents (orig, &original, &len, NULL));

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(GError) error = NULL;
      CtAuditReport report = { 0 };
      sqlite3 *raw = NULL;
      CtDb *db;
      gint64 expected;

      g_assert_true (g_file_set_contents (copy, original, len, NULL));
      g_assert_cmpint (sqlite3_open (copy, &raw), ==, SQLITE_OK);
      expected = tamper (raw, n_rows, what);
      sqlite3_close (raw);

      db = ct_db_open (copy, 0, &error);
      g_assert_no_error (error);
      if (ct_audit_verify (db, &report, &error))
        g_error ("round %u: “%s” went undetected", i, what->str);
      g_assert_no_error (error);
      if (report.first_bad_row != expected)
        g_error ("round %u: “%s”: verifier named row %" G_GINT64_FORMAT " (%s), expected %" G_GINT64_FORMAT,
                 i, what->str, report.first_bad_row, report.problem, expected);
      g_assert_nonnull (report.problem);
      ct_audit_report_clear (&report);
      ct_db_close (db);
      g_unlink (copy);
      g_autofree char *wal = g_strconcat (copy, "-wal", NULL);
      g_autofree char *shm = g_strconcat (copy, "-shm", NULL);
      g_unlink (wal);
      g_unlink (shm);
    }

  g_test_message ("%u random tamperings of a %" G_GINT64_FORMAT "-row chain all detected", rounds, n_rows);
  ct_test_remove_dir (dir);
}

/* A signed checkpoint catches a consistent rewrite of the whole chain. */
static void
test_checkpoint_catches_rewrite (void)
{
  g_autofree char *dir = make_history ();
  g_autofree char *path = db_path (dir);
  g_autoptr(GError) error = NULL;
  CtAuditReport report = { 0 };
  sqlite3 *raw = NULL;
  sqlite3_stmt *sel = NULL, *upd = NULL;
  char prev[65];
  CtDb *db;

  /* Change row 5 and recompute every hash after it, as a forger would. */
  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  exec_ok (raw, "DROP TRIGGER audit_log_no_update;");
  exec_ok (raw, "UPDATE audit_log SET actor = 'mallory' WHERE id = 5");
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "SELECT id, at, actor_id, actor, action, object_type, object_id,"
                                       " case_id, detail, hash FROM audit_log ORDER BY id", -1, &sel, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
                                       -1, &upd, NULL), ==, SQLITE_OK);
  memset (prev, '0', 64);
  prev[64] = '\0';
  while (sqlite3_step (sel) == SQLITE_ROW)
    {
      CtAuditEntry e = {
        .id = sqlite3_column_int64 (sel, 0),
        .at = (char *) sqlite3_column_text (sel, 1),
        .actor_id = sqlite3_column_int64 (sel, 2),
        .actor = (char *) sqlite3_column_text (sel, 3),
        .action = (char *) sqlite3_column_text (sel, 4),
        .object_type = (char *) sqlite3_column_text (sel, 5),
        .object_id = (char *) sqlite3_column_text (sel, 6),
        .case_id = sqlite3_column_int64 (sel, 7),
        .detail = (char *) sqlite3_column_text (sel, 8),
        .prev_hash = prev,
      };
      g_autofree char *h = ct_audit_compute_hash (&e);
      sqlite3_bind_text (upd, 1, prev, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (upd, 2, h, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (upd, 3, e.id);
      g_assert_cmpint (sqlite3_step (upd), ==, SQLITE_DONE);
      sqlite3_reset (upd);
      memcpy (prev, h, 65);
    }
  sqlite3_finalize (sel);
  sqlite3_finalize (upd);
  sqlite3_close (raw);

  db = ct_db_open (path, 0, &error);
  g_assert_no_error (error);
  g_assert_false (ct_audit_verify (db, &report, &error));
  g_assert_no_error (error);
  /* Row 5 was changed: the verifier names a row no later than it. */
  g_assert_cmpint (report.first_bad_row, >, 0);
  g_assert_cmpint (report.first_bad_row, <=, 5);
  g_assert_nonnull (strstr (report.problem, "checkpoint"));
  ct_audit_report_clear (&report);
  ct_db_close (db);
  ct_test_remove_dir (dir);
}

/* A forged checkpoint signature is named. */
static void
test_checkpoint_signature (void)
{
  g_autofree char *dir = make_history ();
  g_autofree char *path = db_path (dir);
  g_autoptr(GError) error = NULL;
  CtAuditReport report = { 0 };
  sqlite3 *raw = NULL;
  CtDb *db;

  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  exec_ok (raw, "DROP TRIGGER audit_checkpoints_no_update;");
  exec_ok (raw, "UPDATE audit_checkpoints SET created_at = '2020-01-01T00:00:00.000Z' WHERE id = 2");
  sqlite3_close (raw);

  db = ct_db_open (path, 0, &error);
  g_assert_no_error (error);
  g_assert_false (ct_audit_verify (db, &report, &error));
  g_assert_nonnull (strstr (report.problem, "signature of checkpoint 2"));
  ct_audit_report_clear (&report);
  ct_db_close (db);
  ct_test_remove_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audit/every-action", test_every_action_audited);
  g_test_add_func ("/audit/update-delete-refused", test_update_delete_refused);
  g_test_add_func ("/audit/same-transaction", test_audit_in_same_transaction);
  g_test_add_func ("/audit/random-tampering", test_random_tampering);
  g_test_add_func ("/audit/checkpoint-rewrite", test_checkpoint_catches_rewrite);
  g_test_add_func ("/audit/checkpoint-signature", test_checkpoint_signature);
  return g_test_run ();
}

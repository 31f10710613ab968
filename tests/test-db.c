#define G_LOG_DOMAIN "casetrail-test"

#include "config.h"

#include <glib/gstdio.h>

#include "ct-db.h"
#include "ct-error.h"
#include "ct-test-util.h"

static sqlite3 *
raw_open (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "casetrail.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

static gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 v;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

static void
test_pragmas (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "casetrail.db", NULL);
  g_autoptr(GError) error = NULL;
  CtDb *db = ct_db_open (path, 0, &error);
  sqlite3_stmt *stmt = NULL;
  int defensive = -1;

  g_assert_no_error (error);
  g_assert_cmpint (ct_db_get_version (db), ==, CT_DB_SCHEMA_VERSION);

  g_assert_cmpint (sqlite3_prepare_v2 (ct_db_handle (db), "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);

  g_assert_cmpint (raw_int (ct_db_handle (db), "PRAGMA synchronous"), ==, 2 /* FULL */);
  g_assert_cmpint (raw_int (ct_db_handle (db), "PRAGMA foreign_keys"), ==, 1);
  sqlite3_db_config (ct_db_handle (db), SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
  g_assert_cmpint (defensive, ==, 1);

  /* Defensive mode: the schema cannot be edited behind SQLite's back. */
  g_assert_cmpint (sqlite3_exec (ct_db_handle (db), "PRAGMA writable_schema = ON;"
                                 "UPDATE sqlite_master SET sql = '' WHERE name = 'audit_log'",
                                 NULL, NULL, NULL), !=, SQLITE_OK);

  ct_db_close (db);
  ct_test_remove_dir (dir);
}

/* An agency, a user and a case written with nothing but the version-1
 * schema, as Casetrail 0.0 would have left them. */
static void
fill_v1 (CtDb *db)
{
  g_assert_true (ct_db_exec (db,
    "INSERT INTO agency VALUES (1, '旧局', 'J立〔{year}〕{seq}号', 0, '2025-01-02T03:04:05.000Z');"
    "INSERT INTO users (id, username, display_name, cert_number, certified, active, created_at,"
    "  kdf_salt, kdf_t, kdf_m, kdf_p, verifier)"
    "  VALUES (1, 'old', '老用户', 'X1', 1, 1, '2025-01-02T03:04:05.000Z', zeroblob(16), 1, 8192, 1, zeroblob(32));"
    "INSERT INTO user_roles VALUES (1, 'handler');"
    "INSERT INTO cases (id, number, year, seq, procedure, cause, source, place, stage, status,"
    "  created_at, updated_at, created_by)"
    "  VALUES (1, 'J立〔2025〕1号', 2025, 1, 'general', '旧案由', 'inspection', '旧地点', 'investigation',"
    "  'open', '2025-01-02T03:04:05.000Z', '2025-01-02T03:04:05.000Z', 1);"
    "INSERT INTO parties (case_id, kind, name) VALUES (1, 'person', '旧当事人');",
    NULL));
}

static void
test_migrate_v1 (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "casetrail.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtStore) store = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autofree char *canonical = NULL;
  CtDb *db;
  sqlite3 *raw;

  db = ct_db_open (path, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ct_db_get_version (db), ==, 1);
  fill_v1 (db);
  /* No version-2 tables yet. */
  g_assert_false (ct_db_exec (db, "SELECT * FROM approvals", NULL));
  ct_db_close (db);

  store = ct_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ct_store_get_schema_version (store), ==, CT_DB_SCHEMA_VERSION);

  users = ct_store_list_users (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 1);
  g_assert_cmpstr (((CtUser *) users->pdata[0])->display_name, ==, "老用户");

  canonical = ct_store_case_canonical (store, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (canonical, "旧案由"));
  g_assert_nonnull (strstr (canonical, "旧当事人"));

  g_clear_object (&store);

  raw = raw_open (dir);
  g_assert_cmpint (raw_int (raw, "SELECT COUNT(*) FROM schema_version"), ==, CT_DB_SCHEMA_VERSION);
  g_assert_cmpint (raw_int (raw, "SELECT COUNT(*) FROM approvals"), ==, 0);
  g_assert_cmpint (raw_int (raw, "SELECT COUNT(*) FROM audit_checkpoints"), ==, 0);
  /* Version 6: provenance of derived media. */
  g_assert_cmpint (raw_int (raw, "SELECT COUNT(*) FROM media_derivations"), ==, 0);
  sqlite3_close (raw);

  /* Opening again is a no-op. */
  store = ct_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ct_store_get_schema_version (store), ==, CT_DB_SCHEMA_VERSION);

  ct_test_remove_dir (dir);
}

static void
test_refuse_newer (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "casetrail.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize len_before, len_after;
  sqlite3 *raw;

  store = ct_store_open (dir, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  raw = raw_open (dir);
  g_assert_cmpint (sqlite3_exec (raw, "INSERT INTO schema_version VALUES (99, '2030-01-01T00:00:00.000Z')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  g_assert_true (g_file_get_contents (path, &before, &len_before, NULL));
  store = ct_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, CT_ERROR, CT_ERROR_DB_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_assert_true (g_file_get_contents (path, &after, &len_after, NULL));
  g_assert_cmpmem (before, len_before, after, len_after);

  ct_test_remove_dir (dir);
}

static void
test_bad_locations (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autofree char *file = g_build_filename (dir, "plain-file", NULL);
  g_autofree char *under_file = g_build_filename (file, "data", NULL);
  g_autofree char *junk_dir = g_build_filename (dir, "junk", NULL);
  g_autofree char *junk_db = g_build_filename (junk_dir, "casetrail.db", NULL);
  g_autoptr(GError) error = NULL;
  CtStore *store;

  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  store = ct_store_open (under_file, &error);
  g_assert_null (store);
  g_assert_error (error, CT_ERROR, CT_ERROR_IO);
  g_assert_nonnull (strstr (error->message, under_file));
  g_clear_error (&error);

  /* Not a database at all. */
  g_assert_cmpint (g_mkdir (junk_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (junk_db, "This is not an SQLite database, it is a letter.\n"
                                      "This is not an SQLite database, it is a letter.\n", -1, NULL));
  store = ct_store_open (junk_dir, &error);
  g_assert_null (store);
  g_assert_error (error, CT_ERROR, CT_ERROR_INTEGRITY);
  g_assert_nonnull (strstr (error->message, "damaged"));

  ct_test_remove_dir (dir);
}

static void
test_default_dir (void)
{
  g_autofree char *dir = NULL;

  g_setenv ("CASETRAIL_DATA_DIR", "/tmp/somewhere-else", TRUE);
  dir = ct_store_default_data_dir ();
  g_assert_cmpstr (dir, ==, "/tmp/somewhere-else");
  g_clear_pointer (&dir, g_free);

  g_unsetenv ("CASETRAIL_DATA_DIR");
  dir = ct_store_default_data_dir ();
  g_assert_true (g_str_has_suffix (dir, "/casetrail"));
  g_assert_true (g_str_has_prefix (dir, g_get_user_data_dir ()));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/db/pragmas", test_pragmas);
  g_test_add_func ("/db/migrate-v1", test_migrate_v1);
  g_test_add_func ("/db/refuse-newer", test_refuse_newer);
  g_test_add_func ("/db/bad-locations", test_bad_locations);
  g_test_add_func ("/db/default-dir", test_default_dir);
  return g_test_run ();
}

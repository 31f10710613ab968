#define G_LOG_DOMAIN "casetrail-test"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "ct-test-util.h"

char *
ct_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("casetrail-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
ct_test_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            ct_test_remove_dir (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

static void
add_user (CtStore    *store,
          CtSession  *admin,
          const char *username,
          const char *cert,
          guint       roles)
{
  g_autoptr(GError) error = NULL;
  CtUserSpec spec = {
    .username = username,
    .display_name = username,
    .cert_number = cert,
    .certified = cert != NULL,
    .roles = roles,
  };

  g_assert_cmpint (ct_store_add_user (store, admin, &spec, CT_TEST_PASSPHRASE, &error), >, 0);
  g_assert_no_error (error);
}

CtStore *
ct_test_store_new (const char *dir,
                   gboolean    national_crypto)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) admin = NULL;
  CtKdfParams cheap = { .t_cost = 1, .m_cost_kib = 8192, .parallelism = 1 };
  CtUserSpec admin_spec = { .username = "admin", .display_name = "管理员", .roles = CT_ROLE_ADMIN };
  CtStore *store;

  store = ct_store_open (dir, &error);
  g_assert_no_error (error);
  ct_store_set_kdf_params (store, &cheap);

  g_assert_true (ct_store_init_agency (store, "测试局", "测罚立〔{year}〕{seq}号", national_crypto,
                                       &admin_spec, CT_TEST_PASSPHRASE, &error));
  g_assert_no_error (error);

  admin = ct_store_login (store, "admin", CT_TEST_PASSPHRASE, &error);
  g_assert_no_error (error);
  add_user (store, admin, "h1", "A001", CT_ROLE_HANDLER);
  add_user (store, admin, "h2", "A002", CT_ROLE_HANDLER);
  add_user (store, admin, "h3", "A003", CT_ROLE_HANDLER);
  add_user (store, admin, "asst", NULL, CT_ROLE_ASSISTANT);
  add_user (store, admin, "rev", "A010", CT_ROLE_LEGAL_REVIEWER);
  add_user (store, admin, "sup", "A020", CT_ROLE_SUPERVISOR);
  add_user (store, admin, "hsup", "A021", CT_ROLE_HANDLER | CT_ROLE_SUPERVISOR);
  return store;
}

CtSession *
ct_test_login (CtStore    *store,
               const char *username)
{
  g_autoptr(GError) error = NULL;
  CtSession *session = ct_store_login (store, username, CT_TEST_PASSPHRASE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

gint64
ct_test_new_case (CtStore    *store,
                  const char *cause)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) h1 = ct_test_login (store, "h1");
  const char *handlers[] = { "h1", "h2", NULL };
  CtCaseSpec spec = {
    .procedure = "general",
    .cause = cause,
    .source = "inspection",
    .place = "测试路 1 号",
    .party_kind = "person",
    .party_name = "王某",
    .party_id_number = "110101199001011234",
    .handlers = handlers,
  };
  gint64 id = ct_store_create_case (store, h1, &spec, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

gint64
ct_test_raw_count (const char *dir,
                   const char *sql)
{
  g_autofree char *path = g_build_filename (dir, "casetrail.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

void
ct_test_raw_exec (const char *dir,
                  const char *sql)
{
  g_autofree char *path = g_build_filename (dir, "casetrail.db", NULL);
  sqlite3 *db = NULL;
  char *msg = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
  sqlite3_close (db);
}

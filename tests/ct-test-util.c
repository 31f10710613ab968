#define G_LOG_DOMAIN "casetrail-test"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "ct-db.h"
#include "ct-media.h"
#include "ct-test-util.h"

const char ct_test_paragraph[] =
  "经查，当事人于2026年2月10日至3月1日期间，在其经营场所销售超过保质期的“康乐”牌酸奶共计48盒，"
  "货值金额人民币576元，违法所得人民币96元。上述事实有现场检查笔录、询问笔录、进货单据及照片等证据证实。";

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
          if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            g_unlink (child);
          else if (g_file_test (child, G_FILE_TEST_IS_DIR))
            ct_test_remove_dir (child);
          else
            {
              g_chmod (child, 0600);
              g_unlink (child);
            }
        }
    }
  g_chmod (path, 0700);
  g_rmdir (path);
}

CtStore *
ct_test_store_open_cheap (const char *dir)
{
  g_autoptr(GError) error = NULL;
  CtKdfParams cheap = { .t_cost = 1, .m_cost_kib = 8192, .parallelism = 1 };
  CtStore *store = ct_store_open (dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  ct_store_set_kdf_params (store, &cheap);
  return store;
}

CtStore *
ct_test_demo_store_new (const char *dir)
{
  g_autoptr(GError) error = NULL;
  CtStore *store = ct_test_store_open_cheap (dir);

  g_assert_true (ct_store_load_demo (store, &error));
  g_assert_no_error (error);
  return store;
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
  CtUserSpec admin_spec = { .username = "admin", .display_name = "管理员", .roles = CT_ROLE_ADMIN };
  CtStore *store = ct_test_store_open_cheap (dir);

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
ct_test_import_media (CtStore    *store,
                      CtSession  *session,
                      gint64      case_id,
                      const char *path,
                      const char *device,
                      const char *recorded_at)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *case_ref = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  const char *officers[] = { "h1", NULL };
  CtMediaSpec spec = {
    .case_ref = case_ref,
    .officers = officers,
    .device = device,
    .recorded_at = recorded_at,
  };
  g_autoptr(CtMediaImport) import = NULL;

  import = ct_store_import_media (store, session, path, &spec, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (import);
  return import->media->id;
}

static GDateTime *fake_now;

static GDateTime *
clock_now (void)
{
  return g_date_time_ref (fake_now);
}

void
ct_test_set_now (const char *iso)
{
  g_clear_pointer (&fake_now, g_date_time_unref);
  fake_now = g_date_time_new_from_iso8601 (iso, NULL);
  g_assert_nonnull (fake_now);
  ct_db_set_clock (clock_now);
}

void
ct_test_clock_reset (void)
{
  ct_db_set_clock (NULL);
  g_clear_pointer (&fake_now, g_date_time_unref);
}

JsonObject *
ct_test_form_values (const CtFormTemplate *tmpl,
                     const CtTestFormFill *fill)
{
  JsonObject *o = json_object_new ();
  gboolean long_done = FALSE;

  for (guint i = 0; i < tmpl->fields->len; i++)
    {
      const CtFieldDef *f = tmpl->fields->pdata[i];
      JsonObject *sub;
      JsonArray *a;

      switch (f->type)
        {
        case CT_FIELD_TEXT:
          json_object_set_string_member (o, f->id, fill->texts[i % fill->n_texts]);
          break;
        case CT_FIELD_MULTILINE:
          if (!long_done)
            {
              g_autoptr(GString) s = g_string_new (NULL);
              for (guint k = 0; k < fill->long_repeat; k++)
                g_string_append (s, ct_test_paragraph);
              json_object_set_string_member (o, f->id, s->str);
              long_done = TRUE;
            }
          else
            json_object_set_string_member (o, f->id, fill->multiline);
          break;
        case CT_FIELD_DATE:
          json_object_set_string_member (o, f->id, fill->date);
          break;
        case CT_FIELD_DATETIME:
          json_object_set_string_member (o, f->id, fill->datetime);
          break;
        case CT_FIELD_MONEY:
          json_object_set_string_member (o, f->id, "5000.50");
          break;
        case CT_FIELD_NUMBER:
          json_object_set_int_member (o, f->id, 48);
          break;
        case CT_FIELD_PARTY:
          sub = json_object_new ();
          json_object_set_string_member (sub, "name", "示例市好邻居超市有限公司");
          json_object_set_string_member (sub, "kind", "organization");
          if (fill->party_details)
            {
              json_object_set_string_member (sub, "id_number", "91000000MA0000001X");
              json_object_set_string_member (sub, "legal_rep", "周某某");
              json_object_set_string_member (sub, "address", "示例市东城区人民路88号");
            }
          json_object_set_object_member (o, f->id, sub);
          break;
        case CT_FIELD_OFFICERS:
          a = json_array_new ();
          json_array_add_string_element (a, fill->officers[0]);
          json_array_add_string_element (a, fill->officers[1]);
          json_object_set_array_member (o, f->id, a);
          break;
        case CT_FIELD_CHOICE:
          json_object_set_string_member (o, f->id, ((CtFormChoice *) f->choices->pdata[0])->id);
          break;
        case CT_FIELD_BOOLEAN:
          json_object_set_boolean_member (o, f->id, TRUE);
          break;
        case CT_FIELD_SIGNATURE:
          a = json_array_new ();
          for (guint k = 0; k < MAX (f->min_count, 1); k++)
            {
              sub = json_object_new ();
              json_object_set_string_member (sub, "signer", k == 0 ? fill->first_signer : fill->signer);
              json_object_set_string_member (sub, "signed_at", fill->signed_at);
              json_array_add_object_element (a, sub);
            }
          json_object_set_array_member (o, f->id, a);
          break;
        case CT_FIELD_CLIP:
          if (!fill->attachments)
            break;
          sub = json_object_new ();
          json_object_set_string_member (sub, "media", "DSJ-0001-20260301-0930.mp4");
          json_object_set_int_member (sub, "start_ms", 61000);
          json_object_set_int_member (sub, "end_ms", 183000);
          json_object_set_string_member (sub, "label", "告知陈述申辩权利");
          json_object_set_object_member (o, f->id, sub);
          break;
        case CT_FIELD_SCAN:
          if (!fill->attachments)
            break;
          sub = json_object_new ();
          json_object_set_string_member (sub, "media",
                                         "5ca9d0c1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d");
          json_object_set_string_member (sub, "pages", "1-2");
          json_object_set_string_member (sub, "label", "签收页");
          json_object_set_object_member (o, f->id, sub);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return o;
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

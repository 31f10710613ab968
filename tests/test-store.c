#define G_LOG_DOMAIN "casetrail-test"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "ct-error.h"
#include "ct-test-util.h"

static void
test_agency (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtAgency) agency = NULL;
  g_autoptr(CtSession) admin = ct_test_login (store, "admin");
  g_autoptr(CtSession) h1 = ct_test_login (store, "h1");
  g_autoptr(GError) error = NULL;
  CtUserSpec spec = { .username = "x", .display_name = "x", .roles = CT_ROLE_ADMIN };
  gboolean yes = TRUE;

  g_assert_true (ct_store_is_initialized (store));
  agency = ct_store_get_agency (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (agency->name, ==, "测试局");
  g_assert_false (agency->national_crypto);
  g_clear_pointer (&agency, ct_agency_free);

  /* Only once. */
  g_assert_false (ct_store_init_agency (store, "别的局", "A{year}{seq}", FALSE, &spec, "longpassphrase", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_EXISTS);
  g_clear_error (&error);

  /* Only the administrator changes settings. */
  g_assert_false (ct_store_update_agency (store, h1, "别的局", NULL, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (ct_store_update_agency (store, admin, NULL, "no placeholders", NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (ct_store_update_agency (store, admin, "新名称局", NULL, &yes, &error));
  g_assert_no_error (error);
  agency = ct_store_get_agency (store, &error);
  g_assert_cmpstr (agency->name, ==, "新名称局");
  g_assert_cmpstr (agency->case_number_pattern, ==, "测罚立〔{year}〕{seq}号");
  g_assert_true (agency->national_crypto);
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'agency.update'"), ==, 1);

  ct_test_remove_dir (dir);
}

static void
test_case_number_pattern (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL;

  g_assert_true (ct_case_number_pattern_validate ("X司罚立〔{year}〕{seq}号", &error));
  g_assert_true (ct_case_number_pattern_validate ("{year}-{seq:4}", &error));
  g_assert_no_error (error);
  g_assert_false (ct_case_number_pattern_validate ("X司罚立〔{year}〕号", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ct_case_number_pattern_validate ("{year}{seq}{month}", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ct_case_number_pattern_validate ("{year{seq}", &error));
  g_clear_error (&error);
  g_assert_false (ct_case_number_pattern_validate ("", &error));
  g_clear_error (&error);

  a = ct_case_number_format ("X司罚立〔{year}〕{seq}号", 2026, 7);
  g_assert_cmpstr (a, ==, "X司罚立〔2026〕7号");
  b = ct_case_number_format ("{year}-{seq:4}", 2026, 42);
  g_assert_cmpstr (b, ==, "2026-0042");
}

static void
test_users (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtSession) admin = ct_test_login (store, "admin");
  g_autoptr(CtSession) h1 = ct_test_login (store, "h1");
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(CtUser) asst = NULL;
  g_autoptr(GError) error = NULL;
  CtUserSpec spec = { .username = "new.user", .display_name = "新用户", .cert_number = "B1",
                      .certified = TRUE, .roles = CT_ROLE_HANDLER | CT_ROLE_LEGAL_REVIEWER };

  users = ct_store_list_users (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 8);

  asst = ct_store_get_user (store, "asst", &error);
  g_assert_no_error (error);
  g_assert_false (asst->certified);
  g_assert_cmpuint (asst->roles, ==, CT_ROLE_ASSISTANT);
  g_assert_cmpstr (asst->key_alg, ==, "ed25519");
  g_assert_nonnull (asst->key_fingerprint);

  /* Only an administrator adds users. */
  g_assert_cmpint (ct_store_add_user (store, h1, &spec, "longpassphrase", &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);

  /* Passphrase policy. */
  g_assert_cmpint (ct_store_add_user (store, admin, &spec, "short", &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Passphrase"));
  g_clear_error (&error);

  /* Handlers are certified officers. */
  spec.certified = FALSE;
  spec.cert_number = NULL;
  g_assert_cmpint (ct_store_add_user (store, admin, &spec, "longpassphrase", &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  spec.certified = TRUE;
  spec.cert_number = "B1";

  /* Bad user names. */
  spec.username = "has space";
  g_assert_cmpint (ct_store_add_user (store, admin, &spec, "longpassphrase", &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  spec.username = "new.user";

  g_assert_cmpint (ct_store_add_user (store, admin, &spec, "longpassphrase", &error), >, 0);
  g_assert_no_error (error);
  g_clear_pointer (&users, g_ptr_array_unref);
  users = ct_store_list_users (store, &error);
  g_assert_cmpuint (users->len, ==, 9);

  ct_test_remove_dir (dir);
}

static void
test_login (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) s = NULL;
  gint64 failed_before = ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.login_failed'");

  g_assert_null (ct_store_login (store, "h1", "passphrase2", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_null (ct_store_login (store, "h1", "", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_null (ct_store_login (store, "nobody", CT_TEST_PASSPHRASE, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_AUTH);
  /* The same message for both, so nobody learns which names exist. */
  g_assert_cmpstr (error->message, ==, "Wrong user name or passphrase.");
  g_clear_error (&error);

  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.login_failed'"),
                   ==, failed_before + 3);
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.login_failed'"
                                   " AND actor = 'nobody' AND actor_id = 0"), ==, 1);

  s = ct_store_login (store, "h1", CT_TEST_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ct_session_get_username (s), ==, "h1");
  g_assert_true (ct_session_has_role (s, CT_ROLE_HANDLER));
  g_assert_false (ct_session_has_role (s, CT_ROLE_SUPERVISOR));

  ct_test_remove_dir (dir);
}

static void
test_production_kdf (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CtStore) store = ct_store_open (dir, &error);
  g_autoptr(CtSession) s = NULL;
  CtUserSpec admin = { .username = "admin", .display_name = "管理员", .roles = CT_ROLE_ADMIN };
  CtKdfParams params;

  ct_kdf_params_default (&params);
  g_assert_cmpuint (params.m_cost_kib, >=, 65536);

  g_assert_true (ct_store_init_agency (store, "局", "{year}{seq}", FALSE, &admin, "correct horse", &error));
  g_assert_no_error (error);
  /* The stored parameters are the production ones: at least 64 MiB. */
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT kdf_m FROM users WHERE username = 'admin'"), >=, 65536);
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT length(kdf_salt) FROM users WHERE username = 'admin'"), ==, 16);
  /* Nothing secret is stored in the clear: the verifier is not the
   * passphrase and the key is sealed. */
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM users WHERE instr(verifier, 'correct horse') > 0"), ==, 0);

  g_assert_null (ct_store_login (store, "admin", "correct horsE", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_AUTH);
  g_clear_error (&error);
  s = ct_store_login (store, "admin", "correct horse", &error);
  g_assert_no_error (error);
  g_assert_nonnull (s);
  ct_test_remove_dir (dir);
}

static void
test_change_passphrase (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtSession) sup = ct_test_login (store, "sup");
  g_autoptr(CtSession) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtUser) before = ct_store_get_user (store, "sup", NULL);
  g_autoptr(CtUser) after = NULL;
  g_autoptr(GPtrArray) approvals = NULL;
  gint64 case_id = ct_test_new_case (store, "改密码后签名");

  g_assert_false (ct_store_change_passphrase (store, sup, "wrong one!", "new passphrase", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_true (ct_store_change_passphrase (store, sup, CT_TEST_PASSPHRASE, "new passphrase", &error));
  g_assert_no_error (error);

  g_assert_null (ct_store_login (store, "sup", CT_TEST_PASSPHRASE, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_AUTH);
  g_clear_error (&error);
  again = ct_store_login (store, "sup", "new passphrase", &error);
  g_assert_no_error (error);

  /* Same key, still signing. */
  after = ct_store_get_user (store, "sup", NULL);
  g_assert_cmpstr (before->key_fingerprint, ==, after->key_fingerprint);
  g_assert_cmpint (ct_store_approve (store, again, case_id, "filing", &error), >, 0);
  approvals = ct_store_list_approvals (store, case_id, &error);
  g_assert_no_error (error);
  g_assert_true (((CtApproval *) approvals->pdata[0])->valid);
  ct_test_remove_dir (dir);
}

static void
test_cases (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtSession) h1 = ct_test_login (store, "h1");
  g_autoptr(CtSession) rev = ct_test_login (store, "rev");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(CtCase) c = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *expected_number = g_strdup_printf ("测罚立〔%d〕2号", g_date_time_get_year (now));
  const char *two[] = { "h1", "h2", NULL };
  const char *one_plus_asst[] = { "h1", NULL };
  const char *asst[] = { "asst", NULL };
  const char *not_handler[] = { "h1", "rev", NULL };
  const char *twice[] = { "h1", "h1", NULL };
  CtCaseSpec spec = {
    .procedure = "general",
    .cause = "涉嫌无照经营",
    .source = "complaint",
    .source_detail = "投诉人李某",
    .place = "某市某路 5 号",
    .party_kind = "organization",
    .party_name = "某某贸易有限公司",
    .party_id_number = "91000000MA00000000",
    .party_legal_rep = "赵某",
    .handlers = two,
    .assistants = asst,
  };
  gint64 first, id;
  gint64 views_before;

  first = ct_test_new_case (store, "第一案");
  g_assert_cmpint (first, >, 0);

  /* Only handlers open cases. */
  g_assert_cmpint (ct_store_create_case (store, rev, &spec, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);

  /* One certified handler plus an assistant is not two officers. */
  spec.handlers = one_plus_asst;
  g_assert_cmpint (ct_store_create_case (store, h1, &spec, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "two certified"));
  g_clear_error (&error);

  spec.handlers = not_handler;
  g_assert_cmpint (ct_store_create_case (store, h1, &spec, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);

  spec.handlers = twice;
  g_assert_cmpint (ct_store_create_case (store, h1, &spec, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  spec.handlers = two;

  /* Each field's validation names the field. */
  spec.cause = "  ";
  g_assert_cmpint (ct_store_create_case (store, h1, &spec, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Cause"));
  g_clear_error (&error);
  spec.cause = "涉嫌无照经营";
  spec.party_legal_rep = NULL;
  g_assert_cmpint (ct_store_create_case (store, h1, &spec, &error), ==, 0);
  g_assert_true (g_str_has_prefix (error->message, "Legal representative"));
  g_clear_error (&error);
  spec.party_legal_rep = "赵某";
  spec.source_detail = NULL;
  g_assert_cmpint (ct_store_create_case (store, h1, &spec, &error), ==, 0);
  g_assert_true (g_str_has_prefix (error->message, "Source details"));
  g_clear_error (&error);
  spec.source_detail = "投诉人李某";
  spec.source = "rumour";
  g_assert_cmpint (ct_store_create_case (store, h1, &spec, &error), ==, 0);
  g_assert_true (g_str_has_prefix (error->message, "Source"));
  g_clear_error (&error);
  spec.source = "complaint";
  spec.procedure = "martial";
  g_assert_cmpint (ct_store_create_case (store, h1, &spec, &error), ==, 0);
  g_assert_true (g_str_has_prefix (error->message, "Procedure"));
  g_clear_error (&error);
  spec.procedure = "general";

  id = ct_store_create_case (store, h1, &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, first);

  list = ct_store_list_cases (store, h1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (((CtCase *) list->pdata[0])->id, ==, id); /* newest first */
  g_clear_pointer (&list, g_ptr_array_unref);

  list = ct_store_list_cases (store, h1, "贸易", &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = ct_store_list_cases (store, h1, "第一", &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = ct_store_list_cases (store, h1, "%", &error);   /* wildcards are literal */
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = ct_store_list_cases (store, NULL, NULL, &error);
  g_assert_null (list);
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);

  views_before = ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.view'");
  c = ct_store_get_case (store, h1, expected_number, &error);
  g_assert_no_error (error);
  g_assert_cmpint (c->id, ==, id);
  g_assert_cmpstr (c->number, ==, expected_number);
  g_assert_cmpstr (c->stage, ==, "filing");
  g_assert_cmpstr (c->status, ==, "open");
  g_assert_cmpstr (c->party.kind, ==, "organization");
  g_assert_cmpstr (c->party.legal_rep, ==, "赵某");
  g_assert_cmpuint (c->officers->len, ==, 3);
  g_assert_false (((CtCaseOfficer *) c->officers->pdata[0])->assistant);
  g_assert_true (((CtCaseOfficer *) c->officers->pdata[2])->assistant);
  g_assert_cmpuint (c->events->len, ==, 1);
  g_assert_cmpstr (((CtCaseEvent *) c->events->pdata[0])->kind, ==, "created");
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.view'"), ==, views_before + 1);
  g_clear_pointer (&c, ct_case_free);

  c = ct_store_get_case (store, h1, "99999", &error);
  g_assert_null (c);
  g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);

  ct_test_remove_dir (dir);
}

static void
test_separation_of_duties (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtSession) hsup = ct_test_login (store, "hsup");
  g_autoptr(CtSession) sup = ct_test_login (store, "sup");
  g_autoptr(CtSession) h1 = ct_test_login (store, "h1");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) approvals = NULL;
  const char *handlers[] = { "hsup", "h2", NULL };
  CtCaseSpec spec = {
    .procedure = "general", .cause = "自审自批", .source = "inspection", .place = "某处",
    .party_kind = "person", .party_name = "张某", .handlers = handlers,
  };
  gint64 own_case = ct_store_create_case (store, hsup, &spec, &error);
  gint64 other_case = ct_test_new_case (store, "他人案件");
  gint64 approvals_before;

  g_assert_no_error (error);

  /* A supervisor who handles the case cannot approve it. */
  approvals_before = ct_test_raw_count (dir, "SELECT COUNT(*) FROM approvals");
  g_assert_cmpint (ct_store_approve (store, hsup, own_case, "filing", &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "separation of duties"));
  g_clear_error (&error);
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM approvals"), ==, approvals_before);

  /* A handler without the supervisor role cannot approve at all. */
  g_assert_cmpint (ct_store_approve (store, h1, other_case, "filing", &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);

  /* The same supervisor may approve a case they do not work on. */
  g_assert_cmpint (ct_store_approve (store, hsup, other_case, "filing", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (ct_store_approve (store, sup, own_case, "filing", &error), >, 0);
  g_assert_no_error (error);

  approvals = ct_store_list_approvals (store, own_case, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (approvals->len, ==, 1);
  g_assert_true (((CtApproval *) approvals->pdata[0])->valid);
  g_assert_cmpstr (((CtApproval *) approvals->pdata[0])->signer, ==, "sup");

  ct_test_remove_dir (dir);
}

static void
check_approval_invalidation (gboolean national)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, national);
  g_autoptr(CtSession) sup = ct_test_login (store, "sup");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) approvals = NULL;
  gint64 case_id = ct_test_new_case (store, "签名后被修改");
  CtApproval *a;

  g_assert_cmpint (ct_store_approve (store, sup, case_id, "filing", &error), >, 0);
  g_assert_no_error (error);
  approvals = ct_store_list_approvals (store, case_id, &error);
  a = approvals->pdata[0];
  g_assert_true (a->valid);
  g_assert_cmpstr (a->alg, ==, national ? "sm2-sm3" : "ed25519");
  g_assert_nonnull (strstr (a->payload, "签名后被修改"));
  g_clear_pointer (&approvals, g_ptr_array_unref);

  /* Changing the signed content invalidates the approval. */
  ct_test_raw_exec (dir, "UPDATE parties SET name = '李某' WHERE case_id = 1");
  approvals = ct_store_list_approvals (store, case_id, &error);
  a = approvals->pdata[0];
  g_assert_false (a->valid);
  g_assert_nonnull (strstr (a->invalid_reason, "changed after"));
  g_clear_pointer (&approvals, g_ptr_array_unref);
  ct_test_raw_exec (dir, "UPDATE parties SET name = '王某' WHERE case_id = 1");
  approvals = ct_store_list_approvals (store, case_id, &error);
  g_assert_true (((CtApproval *) approvals->pdata[0])->valid);
  g_clear_pointer (&approvals, g_ptr_array_unref);

  /* A forged record (payload and case changed together) fails the signature. */
  ct_test_raw_exec (dir, "UPDATE approvals SET payload = replace(payload, '王某', '赵某');"
                 "UPDATE parties SET name = '赵某' WHERE case_id = 1");
  approvals = ct_store_list_approvals (store, case_id, &error);
  a = approvals->pdata[0];
  g_assert_false (a->valid);
  g_assert_nonnull (strstr (a->invalid_reason, "signature does not verify"));

  ct_test_remove_dir (dir);
}

static void
test_approval_invalidation (void)
{
  check_approval_invalidation (FALSE);
}

static void
test_approval_sm2 (void)
{
  check_approval_invalidation (TRUE);
}

typedef struct {
  CtStore *store;
  guint    made;
} ThreadData;

static gpointer
create_cases_thread (gpointer data)
{
  ThreadData *td = data;
  g_autoptr(CtSession) h = ct_test_login (td->store, "h2");

  for (int i = 0; i < 10; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *handlers[] = { "h2", "h3", NULL };
      CtCaseSpec spec = {
        .procedure = "general", .cause = "并发", .source = "inspection", .place = "某处",
        .party_kind = "person", .party_name = "某人", .handlers = handlers,
      };
      if (ct_store_create_case (td->store, h, &spec, &error) > 0)
        g_atomic_int_inc (&td->made);
      g_assert_no_error (error);
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  ThreadData td = { store, 0 };
  GThread *threads[4];
  CtAuditReport report = { 0 };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("creator", create_cases_thread, &td);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (td.made, ==, 40);
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(DISTINCT number) FROM cases"), ==, 40);
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT MAX(seq) FROM cases"), ==, 40);
  g_assert_true (ct_store_verify_audit (store, &report, &error));
  ct_audit_report_clear (&report);
  ct_test_remove_dir (dir);
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static void
test_async (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtSession) h1 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(CtCase) c = NULL;
  GAsyncResult *result = NULL;
  const char *handlers[] = { "h1", "h3", NULL };
  CtCaseSpec spec = {
    .procedure = "general", .cause = "异步", .source = "inspection", .place = "某处",
    .party_kind = "person", .party_name = "某人", .handlers = handlers,
  };
  gint64 id;

  ct_store_login_async (store, "h1", CT_TEST_PASSPHRASE, NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  h1 = ct_store_login_finish (store, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  ct_store_create_case_async (store, h1, &spec, NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  id = ct_store_create_case_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_clear_object (&result);

  ct_store_list_cases_async (store, h1, "异步", NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  list = ct_store_list_cases_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_object (&result);

  ct_store_get_case_async (store, h1, "1", NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  c = ct_store_get_case_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->cause, ==, "异步");
  g_clear_object (&result);

  ct_store_login_async (store, "h1", "nope nope", NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (ct_store_login_finish (store, result, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_AUTH);
  g_clear_object (&result);

  ct_test_remove_dir (dir);
}

static void
test_demo (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CtStore) store = ct_store_open (dir, &error);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(CtSession) s = NULL;
  g_autoptr(GHashTable) stages = g_hash_table_new (g_str_hash, g_str_equal);
  CtAuditReport report = { 0 };
  guint roles = 0;

  g_assert_no_error (error);
  g_assert_false (ct_store_is_initialized (store));
  g_assert_true (ct_store_load_demo (store, &error));
  g_assert_no_error (error);
  g_assert_true (ct_store_is_initialized (store));

  users = ct_store_list_users (store, &error);
  for (guint i = 0; i < users->len; i++)
    roles |= ((CtUser *) users->pdata[i])->roles;
  g_assert_cmpuint (roles, ==, (1u << CT_N_ROLES) - 1); /* every role */

  s = ct_store_login (store, "zhangwei", CT_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);
  cases = ct_store_list_cases (store, s, NULL, &error);
  g_assert_cmpuint (cases->len, >=, 3);
  for (guint i = 0; i < cases->len; i++)
    g_hash_table_add (stages, ((CtCase *) cases->pdata[i])->stage);
  g_assert_cmpuint (g_hash_table_size (stages), >=, 3);

  g_assert_true (ct_store_verify_audit (store, &report, &error));
  ct_audit_report_clear (&report);

  /* Not twice. */
  g_assert_false (ct_store_load_demo (store, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_EXISTS);
  ct_test_remove_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/agency", test_agency);
  g_test_add_func ("/store/case-number-pattern", test_case_number_pattern);
  g_test_add_func ("/store/users", test_users);
  g_test_add_func ("/store/login", test_login);
  g_test_add_func ("/store/production-kdf", test_production_kdf);
  g_test_add_func ("/store/change-passphrase", test_change_passphrase);
  g_test_add_func ("/store/cases", test_cases);
  g_test_add_func ("/store/separation-of-duties", test_separation_of_duties);
  g_test_add_func ("/store/approval-invalidation", test_approval_invalidation);
  g_test_add_func ("/store/approval-sm2", test_approval_sm2);
  g_test_add_func ("/store/threads", test_threads);
  g_test_add_func ("/store/async", test_async);
  g_test_add_func ("/store/demo", test_demo);
  return g_test_run ();
}

#define G_LOG_DOMAIN "casetrail-test"

/* The procedure side of the store: forms, flags, facts, approvals over
 * forms, the checklist and advancing, on the real forms, packs and
 * calendars of data/. */

#include "config.h"

#include <sqlite3.h>

#include "ct-error.h"
#include "ct-test-util.h"

static JsonObject *
obj (const char *json)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (p, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (p)));
}

static const char filing_values[] =
  "{\"party\": {\"name\": \"王某\", \"kind\": \"person\"}, \"cause\": \"涉嫌无照经营\", \"place\": \"测试路 1 号\","
  " \"source\": \"inspection\", \"case_summary\": \"检查发现无照经营。\", \"filing_reason\": \"符合立案条件。\","
  " \"emergency_start\": false, \"handlers\": [\"h1\", \"h2\"], \"handler_opinion\": \"建议立案。\","
  " \"handler_signatures\": [{\"signer\": \"h1\", \"signed_at\": \"2026-03-02T09:00:00+08:00\"}]}";

static void
test_forms (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtSession) h1 = ct_test_login (store, "h1");
  g_autoptr(CtSession) h3 = ct_test_login (store, "h3");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) partial = obj ("{\"cause\": \"涉嫌无照经营\"}");
  g_autoptr(JsonObject) wrong_type = obj ("{\"emergency_start\": \"maybe\"}");
  g_autoptr(JsonObject) unknown = obj ("{\"no_such_field\": \"x\"}");
  g_autoptr(JsonObject) full = obj (filing_values);
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(CtFacts) facts = NULL;
  g_auto(GStrv) list = NULL;
  gint64 case_id = ct_test_new_case (store, "表单");
  JsonNode *n;

  /* Unknown template, wrong types and unknown fields are refused. */
  g_assert_false (ct_store_save_form (store, h1, case_id, "no_such_form", partial, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (ct_store_save_form (store, h1, case_id, "filing_approval", wrong_type, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ct_store_save_form (store, h1, case_id, "filing_approval", unknown, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no_such_field"));
  g_clear_error (&error);

  /* Someone who is not on the case cannot write its forms. */
  g_assert_false (ct_store_save_form (store, h3, case_id, "filing_approval", partial, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);

  /* Incomplete is fine; it shows as incomplete. */
  g_assert_true (ct_store_save_form (store, h1, case_id, "filing_approval", partial, &error));
  g_assert_no_error (error);
  facts = ct_store_case_facts (store, case_id, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_get_boolean (ct_facts_get (facts, "form.filing_approval")));
  g_assert_false (json_node_get_boolean (ct_facts_get (facts, "form.filing_approval.complete")));
  g_assert_cmpstr (json_node_get_string (ct_facts_get (facts, "form.filing_approval.cause")), ==, "涉嫌无照经营");
  g_assert_cmpstr (json_node_get_string (ct_facts_get (facts, "title.form.filing_approval")), ==,
                   ct_form_template_display_title (ct_form_registry_lookup (ct_store_get_forms (store, NULL),
                                                                             "filing_approval")));
  g_clear_pointer (&facts, ct_facts_free);

  g_assert_true (ct_store_save_form (store, h1, case_id, "filing_approval", full, &error));
  facts = ct_store_case_facts (store, case_id, &error);
  g_assert_true (json_node_get_boolean (ct_facts_get (facts, "form.filing_approval.complete")));
  n = ct_facts_get (facts, "case.certified_officers");
  g_assert_cmpint (json_node_get_int (n), ==, 2);

  back = ct_store_get_form (store, case_id, "filing_approval", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (back, "filing_reason"), ==, "符合立案条件。");
  list = ct_store_list_forms (store, case_id, &error);
  g_assert_cmpuint (g_strv_length (list), ==, 1);

  /* Each save is audited with its values, in the same transaction. */
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'form.save'"), ==, 2);
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT version FROM forms WHERE template = 'filing_approval'"), ==, 2);
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'form.save'"
                                   " AND detail LIKE '%符合立案条件%'"), ==, 1);

  ct_test_remove_dir (dir);
}

static void
test_approval_covers_forms (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtSession) h1 = ct_test_login (store, "h1");
  g_autoptr(CtSession) sup = ct_test_login (store, "sup");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) full = obj (filing_values);
  g_autoptr(JsonObject) other = obj ("{\"place\": \"询问室\"}");
  g_autoptr(GPtrArray) approvals = NULL;
  g_autoptr(CtFacts) facts = NULL;
  gint64 case_id = ct_test_new_case (store, "审批覆盖表单");

  g_assert_true (ct_store_save_form (store, h1, case_id, "filing_approval", full, &error));
  g_assert_cmpint (ct_store_approve (store, sup, case_id, "filing", &error), >, 0);
  g_assert_no_error (error);
  facts = ct_store_case_facts (store, case_id, &error);
  g_assert_true (json_node_get_boolean (ct_facts_get (facts, "approval.filing.supervisor")));
  g_clear_pointer (&facts, ct_facts_free);

  /* A form made afterwards does not touch the approval… */
  g_assert_true (ct_store_save_form (store, h1, case_id, "questioning_record", other, &error));
  g_assert_no_error (error);
  approvals = ct_store_list_approvals (store, case_id, &error);
  g_assert_true (((CtApproval *) approvals->pdata[0])->valid);
  g_clear_pointer (&approvals, g_ptr_array_unref);

  /* …changing the signed form does. */
  json_object_set_string_member (full, "filing_reason", "改过的理由");
  g_assert_true (ct_store_save_form (store, h1, case_id, "filing_approval", full, &error));
  approvals = ct_store_list_approvals (store, case_id, &error);
  g_assert_false (((CtApproval *) approvals->pdata[0])->valid);
  facts = ct_store_case_facts (store, case_id, &error);
  g_assert_null (ct_facts_get (facts, "approval.filing.supervisor"));

  ct_test_remove_dir (dir);
}

static void
test_flags (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtSession) h1 = ct_test_login (store, "h1");
  g_autoptr(GError) error = NULL;
  g_autoptr(CtFacts) facts = NULL;
  gint64 case_id = ct_test_new_case (store, "标记");

  g_assert_true (ct_store_set_flag (store, h1, case_id, "complex", "true", &error));
  g_assert_true (ct_store_set_flag (store, h1, case_id, "fine_amount", "5000", &error));
  g_assert_true (ct_store_set_flag (store, h1, case_id, "decision_kind", "penalty", &error));
  g_assert_false (ct_store_set_flag (store, h1, case_id, "Bad Flag", "true", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);

  facts = ct_store_case_facts (store, case_id, &error);
  g_assert_true (json_node_get_boolean (ct_facts_get (facts, "flag.complex")));
  g_assert_cmpint (json_node_get_int (ct_facts_get (facts, "flag.fine_amount")), ==, 5000);
  g_assert_cmpstr (json_node_get_string (ct_facts_get (facts, "flag.decision_kind")), ==, "penalty");
  g_clear_pointer (&facts, ct_facts_free);

  g_assert_true (ct_store_set_flag (store, h1, case_id, "complex", NULL, &error));
  facts = ct_store_case_facts (store, case_id, &error);
  g_assert_null (ct_facts_get (facts, "flag.complex"));
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.flag'"), ==, 4);
  ct_test_remove_dir (dir);
}

static void
test_advance_blocks (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtSession) h1 = ct_test_login (store, "h1");
  g_autoptr(CtSession) h3 = ct_test_login (store, "h3");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reqs = NULL;
  g_autofree char *stage = NULL;
  gint64 case_id = ct_test_new_case (store, "推进");
  gboolean blocked = FALSE;

  reqs = ct_store_check_case (store, case_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reqs->len, >, 0);
  for (guint i = 0; i < reqs->len; i++)
    {
      CtRequirement *r = reqs->pdata[i];
      g_assert_cmpstr (r->rule->stage, ==, "filing");
      g_assert_nonnull (r->rule->basis.file);
      blocked |= r->state == CT_REQ_MISSING && r->rule->severity == CT_SEVERITY_BLOCK;
    }
  g_assert_true (blocked);

  /* Only a handler of the case moves it. */
  g_assert_null (ct_store_advance_case (store, h3, case_id, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);

  stage = ct_store_advance_case (store, h1, case_id, NULL, &error);
  g_assert_null (stage);
  g_assert_error (error, CT_ERROR, CT_ERROR_BLOCKED);
  /* The message names what is missing and cites where it comes from. */
  g_assert_nonnull (strstr (error->message, "cannot leave stage"));
  g_assert_nonnull (strstr (error->message, "第"));
  g_assert_cmpint (ct_error_to_exit_code (error), ==, CT_EXIT_BLOCKED);
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM case_stages WHERE case_id = 1"), ==, 1);
  ct_test_remove_dir (dir);
}

static void
test_draw_inspectors (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtSession) h1 = ct_test_login (store, "h1");
  g_autoptr(CtSession) h3 = ct_test_login (store, "h3");
  g_autoptr(GError) error = NULL;
  g_autoptr(CtFacts) facts = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 case_id = ct_test_new_case (store, "双随机");
  const char *pool[] = { "h1", "h2", "h3", "hsup", NULL };

  /* Not by hand, not fewer than two, not more than the pool, not by a stranger. */
  g_assert_false (ct_store_set_flag (store, h1, case_id, "drawn_inspectors", "h1,h2", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (ct_store_draw_inspectors (store, h1, case_id, 1, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (ct_store_draw_inspectors (store, h1, case_id, 5, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (ct_store_draw_inspectors (store, h3, case_id, 2, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);

  /* Draws are distinct certified handlers, and over many draws every one
   * of the pool comes up. */
  for (int round = 0; round < 40; round++)
    {
      g_auto(GStrv) drawn = ct_store_draw_inspectors (store, h1, case_id, 2, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_strv_length (drawn), ==, 2);
      g_assert_cmpstr (drawn[0], !=, drawn[1]);
      for (guint i = 0; i < 2; i++)
        {
          g_assert_true (g_strv_contains (pool, drawn[i]));
          g_hash_table_add (seen, g_strdup (drawn[i]));
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 4);

  facts = ct_store_case_facts (store, case_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ct_facts_get (facts, "flag.drawn_inspectors"));
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'inspection.draw'"
                                   " AND detail LIKE '%\"pool\":\"h1,h2,h3,hsup\"%'"), ==, 40);
  ct_test_remove_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/procedure/forms", test_forms);
  g_test_add_func ("/procedure/approval-covers-forms", test_approval_covers_forms);
  g_test_add_func ("/procedure/flags", test_flags);
  g_test_add_func ("/procedure/advance-blocks", test_advance_blocks);
  g_test_add_func ("/procedure/draw-inspectors", test_draw_inspectors);
  return g_test_run ();
}

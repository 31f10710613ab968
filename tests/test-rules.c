#define G_LOG_DOMAIN "casetrail-test"

/* The rule engine on synthetic packs: stacking, validation messages,
 * conditions, every kind of rule, next stages. */

#include "config.h"

#include <glib/gstdio.h>

#include "ct-error.h"
#include "ct-rules.h"
#include "ct-test-util.h"

static const char base_pack[] =
  "{\"id\": \"base\", \"title\": \"基础\","
  " \"procedures\": [{\"id\": \"general\", \"title\": \"一般程序\", \"title_en\": \"General\","
  "   \"stages\": [{\"id\": \"filing\"}, {\"id\": \"investigation\"},"
  "                {\"id\": \"hearing\", \"when\": {\"fact\": \"flag.hearing_requested\", \"equals\": true}},"
  "                {\"id\": \"decision\"}, {\"id\": \"archive\", \"terminal\": true}, {\"id\": \"closed\", \"terminal\": true}],"
  "   \"branches\": [{\"from\": \"filing\", \"to\": \"closed\", \"title\": \"不予立案\", \"title_en\": \"Not filed\","
  "                   \"when\": {\"fact\": \"form.not_filed.complete\", \"equals\": true}}]}],"
  " \"rules\": ["
  "  {\"id\": \"r.form\", \"procedure\": \"general\", \"stage\": \"filing\", \"kind\": \"form\", \"form\": \"filing_approval\","
  "   \"severity\": \"block\", \"basis\": {\"file\": \"002.txt\", \"article\": \"第六条\"}, \"title\": \"立案审批表\", \"title_en\": \"Filing form\"},"
  "  {\"id\": \"r.approval\", \"procedure\": \"general\", \"stage\": \"filing\", \"kind\": \"approval\", \"subject\": \"filing\","
  "   \"role\": \"supervisor\", \"severity\": \"block\", \"basis\": {\"file\": \"002.txt\", \"article\": \"第六条\", \"clause\": \"第一款\"},"
  "   \"title\": \"负责人审批\", \"title_en\": \"Head approves\","
  "   \"when\": {\"not\": {\"fact\": \"flag.emergency_start\", \"equals\": true}}},"
  "  {\"id\": \"r.field\", \"procedure\": \"general\", \"stage\": \"investigation\", \"kind\": \"field\", \"form\": \"questioning_record\","
  "   \"field\": \"certificates_shown\", \"equals\": true, \"severity\": \"block\", \"basis\": {\"file\": \"法\", \"article\": \"第四十二条\"},"
  "   \"title\": \"出示证件\", \"title_en\": \"Certificates shown\"},"
  "  {\"id\": \"r.av\", \"procedure\": \"general\", \"stage\": \"hearing\", \"kind\": \"av-record\", \"form\": \"hearing_record\","
  "   \"field\": \"recording\", \"severity\": \"block\", \"basis\": {\"file\": \"002.txt\", \"article\": \"第七条\"},"
  "   \"title\": \"听证全程录像\", \"title_en\": \"Hearing recorded\"},"
  "  {\"id\": \"r.cond\", \"procedure\": \"general\", \"stage\": \"investigation\", \"kind\": \"condition\","
  "   \"condition\": {\"fact\": \"case.certified_officers\", \"gte\": 2}, \"severity\": \"block\","
  "   \"basis\": {\"file\": \"法\", \"article\": \"第四十二条\"}, \"title\": \"两名执法人员\", \"title_en\": \"Two officers\"},"
  "  {\"id\": \"r.deadline\", \"procedure\": \"general\", \"stage\": \"decision\", \"kind\": \"deadline\","
  "   \"from\": \"stage.filing.entered_at\", \"until\": \"stage.decision.left_at\", \"period\": {\"unit\": \"days\", \"amount\": 90},"
  "   \"severity\": \"warn\", \"basis\": {\"file\": \"法\", \"article\": \"第六十条\"}, \"title\": \"九十日内作出决定\", \"title_en\": \"Decide in 90 days\"},"
  "  {\"id\": \"r.minimum\", \"procedure\": \"general\", \"stage\": \"hearing\", \"kind\": \"deadline\","
  "   \"from\": \"form.hearing_notification.issued_on\", \"until\": \"form.hearing_notification.hearing_at\","
  "   \"period\": {\"unit\": \"days\", \"amount\": 7}, \"minimum\": true,"
  "   \"severity\": \"block\", \"basis\": {\"file\": \"法\", \"article\": \"第六十四条\"}, \"title\": \"七日前通知\", \"title_en\": \"Notified 7 days before\"},"
  "  {\"id\": \"r.explained\", \"procedure\": \"general\", \"stage\": \"hearing\", \"kind\": \"condition\","
  "   \"condition\": {\"fact\": \"media.late\", \"lte\": 0}, \"explain\": \"media.late.summary\","
  "   \"severity\": \"warn\", \"basis\": {\"file\": \"001.txt\", \"article\": \"第二十二条\"}, \"title\": \"及时储存\", \"title_en\": \"Stored in time\"}"
  " ],"
  " \"media\": {\"storage\": {\"period\": {\"unit\": \"hours\", \"amount\": 24}, \"basis\": {\"file\": \"001.txt\", \"article\": \"第二十二条\"}},"
  "            \"retention\": {\"patrol\": {\"months\": 6, \"basis\": {\"file\": \"004.txt\", \"article\": \"第十二条\"}}},"
  "            \"interruption\": {\"min_gap_seconds\": 10, \"session_break_minutes\": 60,"
  "                             \"basis\": {\"file\": \"001.txt\", \"article\": \"第十九条\"}}}"
  "}";

static const char local_pack[] =
  "{\"id\": \"local\", \"title\": \"地方\","
  " \"media\": {\"storage\": {\"period\": {\"unit\": \"working-days\", \"amount\": 2},"
  "                          \"basis\": {\"file\": \"000.txt\", \"article\": \"第十八条\"}},"
  "            \"retention\": {\"evidence\": {\"years\": 5, \"basis\": {\"file\": \"003.txt\", \"article\": \"第十七条\"}}}},"
  " \"rules\": ["
  "  {\"id\": \"r.field\", \"procedure\": \"general\", \"stage\": \"investigation\", \"kind\": \"field\", \"form\": \"questioning_record\","
  "   \"field\": \"certificates_shown\", \"equals\": true, \"severity\": \"warn\", \"basis\": {\"file\": \"003.txt\", \"article\": \"第二十九条\"},"
  "   \"title\": \"出示证件（地方）\", \"title_en\": \"Certificates shown (local)\"},"
  "  {\"id\": \"r.local\", \"procedure\": \"general\", \"stage\": \"filing\", \"kind\": \"condition\","
  "   \"condition\": {\"any\": [{\"fact\": \"case.source\", \"in\": [\"inspection\", \"report\"]}, {\"fact\": \"case.has_source_detail\", \"equals\": true}]},"
  "   \"severity\": \"warn\", \"basis\": {\"file\": \"001.txt\", \"article\": \"第九条\"}, \"title\": \"记录案件来源\", \"title_en\": \"Source recorded\"}"
  " ]}";

typedef struct {
  char *dir;
  CtRuleSet *set;
  CtCalendar *calendar;
} Fixture;

static void
write_pack (const char *dir,
            const char *id,
            const char *json)
{
  g_autofree char *name = g_strconcat (id, ".json", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *caldir = g_build_filename (g_getenv ("CASETRAIL_SOURCE_ROOT"), "data", "calendars", NULL);
  const char *ids[] = { "base", "local", NULL };

  f->dir = ct_test_make_dir ();
  write_pack (f->dir, "base", base_pack);
  write_pack (f->dir, "local", local_pack);
  f->set = ct_ruleset_load (f->dir, ids, &error);
  g_assert_no_error (error);
  f->calendar = ct_calendar_new ();
  g_assert_true (ct_calendar_load_dir (f->calendar, caldir, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ct_ruleset_free (f->set);
  ct_calendar_free (f->calendar);
  ct_test_remove_dir (f->dir);
  g_free (f->dir);
}

static CtRequirement *
find_req (GPtrArray  *reqs,
          const char *id)
{
  for (guint i = 0; i < reqs->len; i++)
    if (strcmp (((CtRequirement *) reqs->pdata[i])->rule->id, id) == 0)
      return reqs->pdata[i];
  g_error ("no requirement %s", id);
  return NULL;
}

static GPtrArray *
eval (Fixture *f, const char *stage, CtFacts *facts)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *reqs = ct_ruleset_evaluate (f->set, "general", stage, facts, f->calendar, &error);
  g_assert_no_error (error);
  return reqs;
}

static void
test_stacking (Fixture *f, gconstpointer data)
{
  const CtRule *r = ct_ruleset_lookup_rule (f->set, "r.field");
  GPtrArray *rules = ct_ruleset_get_rules (f->set);

  /* The later pack replaced the rule in place. */
  g_assert_cmpstr (r->pack, ==, "local");
  g_assert_cmpint (r->severity, ==, CT_SEVERITY_WARN);
  g_assert_cmpstr (r->basis.file, ==, "003.txt");
  g_assert_cmpuint (rules->len, ==, 9);
  g_assert_cmpstr (((CtRule *) rules->pdata[2])->id, ==, "r.field");
  g_assert_cmpstr (((CtRule *) rules->pdata[8])->id, ==, "r.local");
  g_assert_nonnull (ct_ruleset_get_procedure (f->set, "general"));
  g_assert_null (ct_ruleset_get_procedure (f->set, "martial"));
}

static void
test_form_and_approval (Fixture *f, gconstpointer data)
{
  g_autoptr(CtFacts) facts = ct_facts_new ();
  g_autoptr(GPtrArray) reqs = NULL;
  g_autofree char *basis = NULL;
  CtRequirement *form, *approval;

  ct_facts_set_string (facts, "title.form.filing_approval", "立案审批表");
  reqs = eval (f, "filing", facts);
  g_assert_cmpuint (reqs->len, ==, 3);
  form = find_req (reqs, "r.form");
  approval = find_req (reqs, "r.approval");
  g_assert_cmpint (form->state, ==, CT_REQ_MISSING);
  g_assert_nonnull (strstr (form->reason, "立案审批表"));
  g_assert_cmpint (approval->state, ==, CT_REQ_MISSING);
  basis = ct_basis_format (&approval->rule->basis);
  g_assert_cmpstr (basis, ==, "002.txt 第六条 第一款");
  g_clear_pointer (&reqs, g_ptr_array_unref);

  ct_facts_set_boolean (facts, "form.filing_approval", TRUE);
  reqs = eval (f, "filing", facts);
  form = find_req (reqs, "r.form");
  g_assert_cmpint (form->state, ==, CT_REQ_MISSING);
  g_assert_nonnull (strstr (form->reason, "not complete"));
  g_clear_pointer (&reqs, g_ptr_array_unref);

  ct_facts_set_boolean (facts, "form.filing_approval.complete", TRUE);
  ct_facts_set_boolean (facts, "approval.filing.legal_reviewer", TRUE); /* the wrong role */
  reqs = eval (f, "filing", facts);
  g_assert_cmpint (find_req (reqs, "r.form")->state, ==, CT_REQ_SATISFIED);
  g_assert_cmpint (find_req (reqs, "r.approval")->state, ==, CT_REQ_MISSING);
  g_clear_pointer (&reqs, g_ptr_array_unref);

  ct_facts_set_boolean (facts, "approval.filing.supervisor", TRUE);
  reqs = eval (f, "filing", facts);
  g_assert_cmpint (find_req (reqs, "r.approval")->state, ==, CT_REQ_SATISFIED);
  g_clear_pointer (&reqs, g_ptr_array_unref);

  /* Emergency start: the approval does not apply at filing. */
  ct_facts_set (facts, "approval.filing.supervisor", json_node_init_null (json_node_alloc ()));
  ct_facts_set_boolean (facts, "flag.emergency_start", TRUE);
  reqs = eval (f, "filing", facts);
  g_assert_cmpint (find_req (reqs, "r.approval")->state, ==, CT_REQ_NOT_APPLICABLE);
}

static void
test_field_and_condition (Fixture *f, gconstpointer data)
{
  g_autoptr(CtFacts) facts = ct_facts_new ();
  g_autoptr(GPtrArray) reqs = NULL;

  ct_facts_set_int (facts, "case.certified_officers", 1);
  ct_facts_set_boolean (facts, "form.questioning_record.certificates_shown", FALSE);
  reqs = eval (f, "investigation", facts);
  g_assert_cmpint (find_req (reqs, "r.field")->state, ==, CT_REQ_MISSING);
  g_assert_cmpint (find_req (reqs, "r.cond")->state, ==, CT_REQ_MISSING);
  g_clear_pointer (&reqs, g_ptr_array_unref);

  ct_facts_set_int (facts, "case.certified_officers", 2);
  ct_facts_set_boolean (facts, "form.questioning_record.certificates_shown", TRUE);
  reqs = eval (f, "investigation", facts);
  g_assert_cmpint (find_req (reqs, "r.field")->state, ==, CT_REQ_SATISFIED);
  g_assert_cmpint (find_req (reqs, "r.cond")->state, ==, CT_REQ_SATISFIED);
}

static void
test_av_record (Fixture *f, gconstpointer data)
{
  g_autoptr(CtFacts) facts = ct_facts_new ();
  g_autoptr(GPtrArray) reqs = NULL;
  g_autoptr(JsonParser) p = json_parser_new ();

  reqs = eval (f, "hearing", facts);
  g_assert_cmpint (find_req (reqs, "r.av")->state, ==, CT_REQ_MISSING);
  g_assert_nonnull (strstr (find_req (reqs, "r.av")->reason, "audio-visual"));
  g_clear_pointer (&reqs, g_ptr_array_unref);

  g_assert_true (json_parser_load_from_data (p, "{\"media\": \"ab12\", \"start_ms\": 0, \"end_ms\": 5000}", -1, NULL));
  ct_facts_set (facts, "form.hearing_record.recording", json_node_copy (json_parser_get_root (p)));
  reqs = eval (f, "hearing", facts);
  g_assert_cmpint (find_req (reqs, "r.av")->state, ==, CT_REQ_SATISFIED);
}

static void
test_deadline (Fixture *f, gconstpointer data)
{
  g_autoptr(CtFacts) facts = ct_facts_new ();
  g_autoptr(GPtrArray) reqs = NULL;
  CtRequirement *d;

  reqs = eval (f, "decision", facts);
  g_assert_cmpint (find_req (reqs, "r.deadline")->state, ==, CT_REQ_NOT_APPLICABLE);
  g_clear_pointer (&reqs, g_ptr_array_unref);

  /* Filed 2026-07-03 (China time): 90 days end on 2026-10-01, a holiday, so
   * the period runs to the end of the next working day, 2026-10-08. */
  ct_facts_set_string (facts, "stage.filing.entered_at", "2026-07-03T02:00:00Z");
  ct_facts_set_string (facts, "now", "2026-08-01T00:00:00Z");
  reqs = eval (f, "decision", facts);
  d = find_req (reqs, "r.deadline");
  g_assert_cmpint (d->state, ==, CT_REQ_SATISFIED);
  g_assert_cmpint (d->deadline_state, ==, CT_DEADLINE_OK);
  {
    g_autoptr(GTimeZone) cst = g_time_zone_new_offset (8 * 3600);
    g_autoptr(GDateTime) local = g_date_time_to_timezone (d->due, cst);
    g_autofree char *text = g_date_time_format (local, "%F");
    g_assert_cmpstr (text, ==, "2026-10-08");
  }
  g_clear_pointer (&reqs, g_ptr_array_unref);

  ct_facts_set_string (facts, "now", "2026-10-07T00:00:00Z");
  reqs = eval (f, "decision", facts);
  g_assert_cmpint (find_req (reqs, "r.deadline")->deadline_state, ==, CT_DEADLINE_DUE_SOON);
  g_clear_pointer (&reqs, g_ptr_array_unref);

  ct_facts_set_string (facts, "now", "2026-10-20T00:00:00Z");
  reqs = eval (f, "decision", facts);
  d = find_req (reqs, "r.deadline");
  g_assert_cmpint (d->deadline_state, ==, CT_DEADLINE_OVERDUE);
  g_assert_cmpint (d->state, ==, CT_REQ_MISSING);
  g_assert_nonnull (strstr (d->reason, "Overdue"));
  g_clear_pointer (&reqs, g_ptr_array_unref);

  /* A period running into a year without a holiday calendar is still
   * shown, counting weekends only, and says so. */
  ct_facts_set_string (facts, "stage.filing.entered_at", "2026-12-01T02:00:00Z");
  ct_facts_set_string (facts, "now", "2026-12-02T00:00:00Z");
  reqs = eval (f, "decision", facts);
  d = find_req (reqs, "r.deadline");
  g_assert_cmpint (d->state, ==, CT_REQ_SATISFIED);
  g_assert_nonnull (d->due);
  g_assert_nonnull (d->reason);
  g_assert_nonnull (strstr (d->reason, "2027"));
  {
    g_autoptr(GTimeZone) cst = g_time_zone_new_offset (8 * 3600);
    g_autoptr(GDateTime) local = g_date_time_to_timezone (d->due, cst);
    g_autofree char *text = g_date_time_format (local, "%F");
    g_assert_cmpstr (text, ==, "2027-03-01");
  }
  g_clear_pointer (&reqs, g_ptr_array_unref);
  ct_facts_set_string (facts, "stage.filing.entered_at", "2026-07-03T02:00:00Z");

  /* Decided in time. */
  ct_facts_set_string (facts, "stage.decision.left_at", "2026-09-30T08:00:00Z");
  reqs = eval (f, "decision", facts);
  g_assert_cmpint (find_req (reqs, "r.deadline")->state, ==, CT_REQ_SATISFIED);
}

static void
test_minimum_period (Fixture *f, gconstpointer data)
{
  g_autoptr(CtFacts) facts = ct_facts_new ();
  g_autoptr(GPtrArray) reqs = NULL;
  CtRequirement *r;

  /* Not started without the notification's date. */
  reqs = eval (f, "hearing", facts);
  g_assert_cmpint (find_req (reqs, "r.minimum")->state, ==, CT_REQ_NOT_APPLICABLE);
  g_clear_pointer (&reqs, g_ptr_array_unref);

  /* Notified 2026-03-02: a hearing on 03-08 is too early, on 03-09 fine. */
  ct_facts_set_string (facts, "form.hearing_notification.issued_on", "2026-03-02");
  ct_facts_set_string (facts, "form.hearing_notification.hearing_at", "2026-03-08T15:00:00+08:00");
  reqs = eval (f, "hearing", facts);
  r = find_req (reqs, "r.minimum");
  g_assert_cmpint (r->state, ==, CT_REQ_MISSING);
  g_assert_nonnull (strstr (r->reason, "2026-03-09 00:00"));
  g_assert_null (r->due);   /* not a deadline to count down to */
  g_clear_pointer (&reqs, g_ptr_array_unref);

  ct_facts_set_string (facts, "form.hearing_notification.hearing_at", "2026-03-09T09:00:00+08:00");
  reqs = eval (f, "hearing", facts);
  g_assert_cmpint (find_req (reqs, "r.minimum")->state, ==, CT_REQ_SATISFIED);
}

static void
test_explain_and_media_policy (Fixture *f, gconstpointer data)
{
  g_autoptr(CtFacts) facts = ct_facts_new ();
  g_autoptr(GPtrArray) reqs = NULL;
  const CtMediaPolicy *policy = ct_ruleset_get_media_policy (f->set);
  CtRequirement *r;

  /* A condition names why it fails when the facts say. */
  ct_facts_set_int (facts, "media.late", 1);
  reqs = eval (f, "hearing", facts);
  r = find_req (reqs, "r.explained");
  g_assert_cmpint (r->state, ==, CT_REQ_MISSING);
  g_assert_cmpstr (r->reason, ==, "The case does not meet this condition.");
  g_clear_pointer (&reqs, g_ptr_array_unref);
  ct_facts_set_string (facts, "media.late.summary", "“A.mp4” stored 30 h after it ended");
  reqs = eval (f, "hearing", facts);
  g_assert_cmpstr (find_req (reqs, "r.explained")->reason, ==, "“A.mp4” stored 30 h after it ended");
  g_clear_pointer (&reqs, g_ptr_array_unref);

  /* The later pack replaces storage whole and adds evidence retention; the
   * earlier pack's patrol retention and interruption stay. */
  g_assert_true (policy->storage.set);
  g_assert_cmpstr (policy->storage.pack, ==, "local");
  g_assert_cmpint (policy->storage.unit, ==, CT_PERIOD_WORKING_DAYS);
  g_assert_cmpuint (policy->storage.amount, ==, 2);
  g_assert_cmpstr (policy->storage.basis.article, ==, "第十八条");
  g_assert_cmpuint (policy->retention_patrol.months, ==, 6);
  g_assert_cmpstr (policy->retention_patrol.pack, ==, "base");
  g_assert_cmpuint (policy->retention_evidence.months, ==, 60);
  g_assert_cmpuint (policy->interruption.min_gap_seconds, ==, 10);
  g_assert_cmpuint (policy->interruption.session_break_minutes, ==, 60);
}

static void
test_next_stage (Fixture *f, gconstpointer data)
{
  g_autoptr(CtFacts) facts = ct_facts_new ();

  g_assert_cmpstr (ct_ruleset_next_stage (f->set, "general", "filing", facts), ==, "investigation");
  /* The hearing only when requested. */
  g_assert_cmpstr (ct_ruleset_next_stage (f->set, "general", "investigation", facts), ==, "decision");
  ct_facts_set_boolean (facts, "flag.hearing_requested", TRUE);
  g_assert_cmpstr (ct_ruleset_next_stage (f->set, "general", "investigation", facts), ==, "hearing");
  g_assert_null (ct_ruleset_next_stage (f->set, "general", "archive", facts));
}

static void
test_conditions (void)
{
  g_autoptr(CtFacts) facts = ct_facts_new ();
  struct { const char *json; gboolean want; } cases[] = {
    { "{\"fact\": \"a\", \"equals\": 3}", TRUE },
    { "{\"fact\": \"a\", \"equals\": 3.0}", TRUE },
    { "{\"fact\": \"a\", \"equals\": \"3\"}", FALSE },
    { "{\"fact\": \"a\", \"gte\": 3}", TRUE },
    { "{\"fact\": \"a\", \"gte\": 4}", FALSE },
    { "{\"fact\": \"a\", \"lte\": 3}", TRUE },
    { "{\"fact\": \"s\", \"in\": [\"x\", \"y\"]}", TRUE },
    { "{\"fact\": \"s\", \"in\": [\"z\"]}", FALSE },
    { "{\"fact\": \"s\", \"exists\": true}", TRUE },
    { "{\"fact\": \"empty\", \"exists\": true}", FALSE },
    { "{\"fact\": \"missing\", \"exists\": false}", TRUE },
    { "{\"fact\": \"missing\", \"equals\": false}", TRUE },   /* absent booleans are false */
    { "{\"fact\": \"missing\", \"equals\": \"x\"}", FALSE },
    { "{\"fact\": \"money\", \"gte\": 10000}", TRUE },        /* numeric strings compare as numbers */
    { "{\"all\": [{\"fact\": \"b\", \"equals\": true}, {\"fact\": \"a\", \"equals\": 3}]}", TRUE },
    { "{\"all\": [{\"fact\": \"b\", \"equals\": true}, {\"fact\": \"a\", \"equals\": 4}]}", FALSE },
    { "{\"any\": [{\"fact\": \"b\", \"equals\": false}, {\"fact\": \"a\", \"equals\": 3}]}", TRUE },
    { "{\"not\": {\"fact\": \"b\", \"equals\": true}}", FALSE },
  };

  ct_facts_set_int (facts, "a", 3);
  ct_facts_set_string (facts, "s", "y");
  ct_facts_set_string (facts, "empty", "");
  ct_facts_set_string (facts, "money", "12000.50");
  ct_facts_set_boolean (facts, "b", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonParser) p = json_parser_new ();
      g_assert_true (json_parser_load_from_data (p, cases[i].json, -1, NULL));
      if (ct_condition_eval (json_parser_get_root (p), facts) != cases[i].want)
        g_error ("condition %s should be %s", cases[i].json, cases[i].want ? "true" : "false");
    }
}

/* Each malformed pack is refused with a message naming the file, the rule
 * and the field. */
static void
test_validation (void)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "bad.json", NULL);
  struct { const char *json; const char *needle; } cases[] = {
    { "not json", "not valid JSON" },
    { "[]", "JSON object" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"rules\": [{\"id\": \"x\", \"procedure\": \"general\", \"stage\": \"filing\","
      " \"kind\": \"form\", \"form\": \"f\", \"severity\": \"fatal\", \"basis\": {\"file\": \"a\", \"article\": \"b\"},"
      " \"title\": \"t\", \"title_en\": \"t\"}]}", "rule “x”: field “severity”" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"rules\": [{\"id\": \"x\", \"procedure\": \"general\", \"stage\": \"filing\","
      " \"kind\": \"form\", \"form\": \"f\", \"severity\": \"block\", \"title\": \"t\", \"title_en\": \"t\"}]}", "rule “x”: field “basis”" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"rules\": [{\"id\": \"x\", \"procedure\": \"general\", \"stage\": \"filing\","
      " \"kind\": \"approval\", \"subject\": \"s\", \"role\": \"king\", \"severity\": \"block\", \"basis\": {\"file\": \"a\", \"article\": \"b\"},"
      " \"title\": \"t\", \"title_en\": \"t\"}]}", "field “role”: unknown role “king”" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"rules\": [{\"id\": \"x\", \"procedure\": \"general\", \"stage\": \"filing\","
      " \"kind\": \"spell\", \"severity\": \"block\", \"basis\": {\"file\": \"a\", \"article\": \"b\"},"
      " \"title\": \"t\", \"title_en\": \"t\"}]}", "field “kind”" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"rules\": [{\"id\": \"x\", \"procedure\": \"general\", \"stage\": \"filing\","
      " \"kind\": \"form\", \"form\": \"f\", \"severity\": \"block\", \"basis\": {\"file\": \"a\", \"article\": \"b\"},"
      " \"title\": \"t\", \"title_en\": \"t\", \"sevrity\": \"warn\"}]}", "field “sevrity”: unknown field" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"rules\": [{\"id\": \"x\", \"procedure\": \"general\", \"stage\": \"filing\","
      " \"kind\": \"form\", \"form\": \"f\", \"subject\": \"s\", \"severity\": \"block\", \"basis\": {\"file\": \"a\", \"article\": \"b\"},"
      " \"title\": \"t\", \"title_en\": \"t\"}]}", "field “subject”: does not belong" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"rules\": [{\"id\": \"x\", \"procedure\": \"general\", \"stage\": \"filing\","
      " \"kind\": \"condition\", \"condition\": {\"fact\": \"a\", \"above\": 3}, \"severity\": \"block\","
      " \"basis\": {\"file\": \"a\", \"article\": \"b\"}, \"title\": \"t\", \"title_en\": \"t\"}]}", "field “condition”: unknown test" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"rules\": [{\"id\": \"x\", \"procedure\": \"general\", \"stage\": \"filing\","
      " \"kind\": \"deadline\", \"from\": \"a\", \"until\": \"b\", \"period\": {\"unit\": \"weeks\", \"amount\": 2}, \"severity\": \"warn\","
      " \"basis\": {\"file\": \"a\", \"article\": \"b\"}, \"title\": \"t\", \"title_en\": \"t\"}]}", "field “period”: unknown unit" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"rules\": [{\"id\": \"x\", \"procedure\": \"general\", \"stage\": \"filing\","
      " \"kind\": \"form\", \"form\": \"f\", \"severity\": \"block\", \"basis\": {\"file\": \"a\", \"article\": \"b\"},"
      " \"title\": \"t\", \"title_en\": \"t\"}, {\"id\": \"x\", \"procedure\": \"general\", \"stage\": \"filing\","
      " \"kind\": \"form\", \"form\": \"f\", \"severity\": \"block\", \"basis\": {\"file\": \"a\", \"article\": \"b\"},"
      " \"title\": \"t\", \"title_en\": \"t\"}]}", "used twice" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"procedures\": [{\"id\": \"general\", \"title\": \"t\", \"title_en\": \"t\","
      " \"stages\": [{\"id\": \"filing\"}, {\"id\": \"nowhere\"}]}], \"rules\": []}", "unknown stage “nowhere”" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"procedures\": [{\"id\": \"general\", \"title\": \"t\", \"title_en\": \"t\","
      " \"stages\": [{\"id\": \"filing\"}]}], \"rules\": [{\"id\": \"x\", \"procedure\": \"general\", \"stage\": \"decision\","
      " \"kind\": \"form\", \"form\": \"f\", \"severity\": \"block\", \"basis\": {\"file\": \"a\", \"article\": \"b\"},"
      " \"title\": \"t\", \"title_en\": \"t\"}]}", "rule “x”: field “stage”" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"rules\": [{\"id\": \"x\", \"procedure\": \"general\", \"stage\": \"filing\","
      " \"kind\": \"deadline\", \"from\": \"a\", \"until\": \"b\", \"period\": {\"unit\": \"working-days\", \"amount\": 2},"
      " \"minimum\": true, \"severity\": \"warn\", \"basis\": {\"file\": \"a\", \"article\": \"b\"}, \"title\": \"t\","
      " \"title_en\": \"t\"}]}", "field “minimum”: a minimum period" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"rules\": [{\"id\": \"x\", \"procedure\": \"general\", \"stage\": \"filing\","
      " \"kind\": \"form\", \"form\": \"f\", \"explain\": \"y\", \"severity\": \"block\","
      " \"basis\": {\"file\": \"a\", \"article\": \"b\"}, \"title\": \"t\", \"title_en\": \"t\"}]}", "field “explain”: does not belong" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"media\": {\"storage\": {\"period\": {\"unit\": \"hours\", \"amount\": 24}}},"
      " \"rules\": []}", "media.storage: field “basis”" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"media\": {\"retention\": {\"patrol\": {\"months\": 6, \"years\": 1,"
      " \"basis\": {\"file\": \"a\", \"article\": \"b\"}}}}, \"rules\": []}", "media.retention.patrol: states its minimum" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"media\": {\"interruption\": {\"min_gap_seconds\": 7200,"
      " \"session_break_minutes\": 60, \"basis\": {\"file\": \"a\", \"article\": \"b\"}}}, \"rules\": []}",
      "media.interruption: field “session_break_minutes”" },
    { "{\"id\": \"bad\", \"title\": \"t\", \"media\": {\"storage\": {\"period\": {\"unit\": \"hours\", \"amount\": 24},"
      " \"basis\": {\"file\": \"a\", \"article\": \"b\"}, \"limit\": 3}}, \"rules\": []}", "media.storage: field “limit”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_true (g_file_set_contents (path, cases[i].json, -1, NULL));
      g_assert_false (ct_rulepack_validate_file (path, &error));
      g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
      if (strstr (error->message, cases[i].needle) == NULL || strstr (error->message, path) == NULL)
        g_error ("case %u: “%s” does not name %s and the file", i, error->message, cases[i].needle);
    }

  /* The stack names missing packs, and rules of procedures nobody defines. */
  {
    g_autoptr(GError) error = NULL;
    const char *missing[] = { "nope", NULL };
    const char *orphan[] = { "orphan", NULL };
    g_autofree char *orphan_path = g_build_filename (dir, "orphan.json", NULL);

    g_assert_null (ct_ruleset_load (dir, missing, &error));
    g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
    g_clear_error (&error);

    g_assert_true (g_file_set_contents (orphan_path,
      "{\"id\": \"orphan\", \"title\": \"t\", \"rules\": [{\"id\": \"x\", \"procedure\": \"general\", \"stage\": \"filing\","
      " \"kind\": \"form\", \"form\": \"f\", \"severity\": \"block\", \"basis\": {\"file\": \"a\", \"article\": \"b\"},"
      " \"title\": \"t\", \"title_en\": \"t\"}]}", -1, NULL));
    g_assert_null (ct_ruleset_load (dir, orphan, &error));
    g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "rule “x”"));
  }
  ct_test_remove_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/rules/stacking", Fixture, NULL, fixture_setup, test_stacking, fixture_teardown);
  g_test_add ("/rules/form-approval", Fixture, NULL, fixture_setup, test_form_and_approval, fixture_teardown);
  g_test_add ("/rules/field-condition", Fixture, NULL, fixture_setup, test_field_and_condition, fixture_teardown);
  g_test_add ("/rules/av-record", Fixture, NULL, fixture_setup, test_av_record, fixture_teardown);
  g_test_add ("/rules/deadline", Fixture, NULL, fixture_setup, test_deadline, fixture_teardown);
  g_test_add ("/rules/minimum-period", Fixture, NULL, fixture_setup, test_minimum_period, fixture_teardown);
  g_test_add ("/rules/explain-media-policy", Fixture, NULL, fixture_setup, test_explain_and_media_policy, fixture_teardown);
  g_test_add ("/rules/next-stage", Fixture, NULL, fixture_setup, test_next_stage, fixture_teardown);
  g_test_add_func ("/rules/conditions", test_conditions);
  g_test_add_func ("/rules/validation", test_validation);
  return g_test_run ();
}

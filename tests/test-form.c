/* test-form.c — tests for src/core/ct-form.c
 *
 * The real templates come from $CASETRAIL_SOURCE_ROOT/data/forms; malformed
 * ones are written into temporary directories.  No display is needed.
 *
 * The test never calls setlocale(), so messages and display labels are the
 * English ones whatever the environment says.
 */

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ct-error.h"
#include "ct-form.h"

/* ---- helpers ---------------------------------------------------------------------- */

static char *
forms_dir (void)
{
  const char *root = g_getenv ("CASETRAIL_SOURCE_ROOT");

  if (root == NULL)
    g_error ("CASETRAIL_SOURCE_ROOT is not set; run the test through meson or set it to "
             "the source tree");
  return g_build_filename (root, "data", "forms", NULL);
}

static CtFormRegistry *
load_real (void)
{
  g_autofree char *dir = forms_dir ();
  g_autoptr(GError) error = NULL;
  CtFormRegistry *registry = ct_form_registry_load_dir (dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (registry);
  return registry;
}

static const CtFormTemplate *
lookup (CtFormRegistry *registry,
        const char     *id)
{
  const CtFormTemplate *t = ct_form_registry_lookup (registry, id);

  if (t == NULL)
    g_error ("template %s is missing", id);
  return t;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const CtFormProblem *
find_problem (GPtrArray  *problems,
              const char *field_id)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const CtFormProblem *p = g_ptr_array_index (problems, i);
      if (g_strcmp0 (p->field_id, field_id) == 0)
        return p;
    }
  return NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Like find_problem(), but the problem must be there. */
static const CtFormProblem *
get_problem (GPtrArray  *problems,
             const char *field_id)
{
  const CtFormProblem *p = find_problem (problems, field_id);

  if (p == NULL)
    g_error ("no problem reported for %s", field_id);
  return p;
}

/* The sorted, comma-separated ids of the problems of @kind. */
static char *
problem_ids (GPtrArray         *problems,
             CtFormProblemKind  kind)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      const CtFormProblem *p = g_ptr_array_index (problems, i);
      if (p->kind == kind)
        g_ptr_array_add (ids, p->field_id);
    }
  g_ptr_array_sort (ids, compare_strings);
  for (guint i = 0; i < ids->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append (s, g_ptr_array_index (ids, i));
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
validate_ids (const CtFormTemplate *t,
              const char           *json,
              CtFormProblemKind     kind)
{
  g_autoptr(JsonObject) values = parse_object (json);
  g_autoptr(GPtrArray) problems = ct_form_validate (t, values);

  return problem_ids (problems, kind);
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("casetrail-form-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* ---- field types ------------------------------------------------------------------------ */

static void
test_field_types (void)
{
  const char *ids[] = {
    "text", "multiline", "date", "datetime", "money", "number", "party", "officers",
    "choice", "boolean", "signature", "clip",
  };
  CtFieldType type;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_assert_true (ct_field_type_from_id (ids[i], &type));
      g_assert_cmpint (type, ==, (CtFieldType) i);
      g_assert_cmpstr (ct_field_type_to_id (type), ==, ids[i]);
    }
  g_assert_false (ct_field_type_from_id ("email", &type));
  g_assert_false (ct_field_type_from_id ("Text", &type));
  g_assert_false (ct_field_type_from_id (NULL, &type));
  g_assert_null (ct_field_type_to_id ((CtFieldType) 99));
}

/* ---- the real templates -------------------------------------------------------------------- */

static const char * const expected_templates[] = {
  "filing_approval", "not_filed_approval", "questioning_record", "inspection_record",
  "evidence_preservation_list", "prior_notice", "statement_defence_record",
  "hearing_notice_of_rights", "hearing_notification", "hearing_record", "hearing_report",
  "investigation_final_report", "decision_approval", "legal_review_opinion",
  "collective_discussion_record", "penalty_decision", "service_receipt", "reminder",
  "transfer_letter", "closing_report", "inspection_notice", "inspection_report",
  "facts_not_established_notice", "no_penalty_decision", "not_filed_notice", "onsite_record",
  "seizure_decision", "on_the_spot_decision", "sampling_record", "evidence_request_notice",
  "complaint_registration", "complaint_reply", "supervision_filing_approval", "referral_letter",
};

static const char * const regulation_files[] = {
  "000_c8799fc573923ff9.txt", "001_79771f0fef6d4575.txt", "002_bd12176678c1676b.txt",
  "003_41c78582f6a07220.txt", "004_18ca961c9dc26b05.txt", "行政处罚法", "行政强制法", NULL,
};

static void
assert_citations (const CtFormTemplate *t,
                  GPtrArray            *basis)
{
  for (guint i = 0; i < basis->len; i++)
    {
      const CtCitation *c = g_ptr_array_index (basis, i);

      if (!g_strv_contains (regulation_files, c->file))
        g_error ("%s cites the unknown file %s", t->id, c->file);
      /* 003 holds two documents, each numbering its articles from 第一条. */
      if (strcmp (c->file, "003_41c78582f6a07220.txt") == 0 && c->document == NULL)
        g_error ("%s cites 003 %s without naming the document", t->id, c->article);
      g_assert_true (g_str_has_prefix (c->article, "第"));
    }
}

static void
test_real_templates (void)
{
  g_autoptr(CtFormRegistry) registry = load_real ();
  g_autoptr(GPtrArray) list = ct_form_registry_list (registry);
  const char *stages[] = {
    "filing", "investigation", "rights_notice", "hearing", "legal_review",
    "collective_discussion", "decision", "service", "enforcement", "archive",
    "notice", "inspection", "report", "on_the_spot", "measure", "acceptance", "conclusion", NULL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected_templates); i++)
    lookup (registry, expected_templates[i]);
  g_assert_null (ct_form_registry_lookup (registry, "no_such_form"));
  g_assert_null (ct_form_registry_lookup (registry, NULL));

  g_assert_cmpuint (list->len, >=, G_N_ELEMENTS (expected_templates));
  for (guint i = 0; i < list->len; i++)
    {
      const CtFormTemplate *t = g_ptr_array_index (list, i);
      g_autofree char *base = g_path_get_basename (t->path);
      g_autofree char *expected_base = g_strconcat (t->id, ".json", NULL);

      if (i > 0)
        g_assert_cmpstr (((const CtFormTemplate *) g_ptr_array_index (list, i - 1))->id, <,
                         t->id);
      g_assert_cmpstr (base, ==, expected_base);
      g_assert_true (g_strv_contains (stages, t->stage));
      g_assert_cmpuint (t->basis->len, >, 0);
      g_assert_true (g_utf8_validate (t->title, -1, NULL));
      g_assert_cmpuint (t->fields->len, >, 0);
      assert_citations (t, t->basis);
      for (guint j = 0; j < t->fields->len; j++)
        {
          const CtFieldDef *f = g_ptr_array_index (t->fields, j);

          assert_citations (t, f->basis);
          g_assert_true (ct_form_template_get_field (t, f->id) == f);
          if (f->type == CT_FIELD_CHOICE)
            g_assert_cmpuint (f->choices->len, >, 0);
          g_assert_cmpuint (f->min_count, >=, 1);
        }
    }

  /* Official titles. */
  g_assert_cmpstr (lookup (registry, "filing_approval")->title, ==, "行政处罚立案审批表");
  g_assert_cmpstr (lookup (registry, "questioning_record")->title, ==, "询问（调查）笔录");
  g_assert_cmpstr (lookup (registry, "inspection_record")->title, ==, "现场检查（勘验）笔录");
  g_assert_cmpstr (lookup (registry, "prior_notice")->title, ==, "行政处罚事先告知书");
  g_assert_cmpstr (lookup (registry, "legal_review_opinion")->title, ==,
                   "重大行政执法决定法制审核意见表");
  g_assert_cmpstr (lookup (registry, "penalty_decision")->title, ==, "行政处罚决定书");
  g_assert_cmpstr (lookup (registry, "service_receipt")->title, ==, "送达回证");
  g_assert_cmpstr (lookup (registry, "penalty_decision")->stage, ==, "decision");
  g_assert_cmpstr (lookup (registry, "inspection_report")->stage, ==, "report");
}

static void
test_real_details (void)
{
  g_autoptr(CtFormRegistry) registry = load_real ();
  const CtFormTemplate *t;
  const CtFieldDef *f;

  /* Two officers, their certificate numbers and whether they were shown. */
  t = lookup (registry, "questioning_record");
  f = ct_form_template_get_field (t, "officers");
  g_assert_nonnull (f);
  g_assert_cmpint (f->type, ==, CT_FIELD_OFFICERS);
  g_assert_cmpuint (f->min_count, ==, 2);
  g_assert_true (ct_form_template_get_field (t, "officer_cert_numbers")->required);
  g_assert_cmpint (ct_form_template_get_field (t, "certificates_shown")->type, ==,
                   CT_FIELD_BOOLEAN);
  f = ct_form_template_get_field (t, "av_recording");
  g_assert_cmpint (f->type, ==, CT_FIELD_CLIP);
  g_assert_true (f->required);

  /* Emergency start: the time is required only when it happened. */
  t = lookup (registry, "filing_approval");
  f = ct_form_template_get_field (t, "emergency_started_at");
  g_assert_cmpint (f->type, ==, CT_FIELD_DATETIME);
  g_assert_false (f->required);
  g_assert_cmpstr (f->required_when_field, ==, "emergency_start");
  g_assert_cmpstr (f->required_when_equals[0], ==, "true");
  g_assert_null (f->required_when_equals[1]);

  /* Evidence preservation: 002 art. 8, reason, subject matter, form. */
  t = lookup (registry, "evidence_preservation_list");
  for (guint i = 0; i < 3; i++)
    {
      const char *ids[] = { "preservation_reason", "subject_matter", "preservation_form" };
      const CtCitation *c;

      f = ct_form_template_get_field (t, ids[i]);
      g_assert_nonnull (f);
      g_assert_true (f->required);
      g_assert_cmpuint (f->basis->len, >=, 1);
      c = g_ptr_array_index (f->basis, 0);
      g_assert_cmpstr (c->file, ==, "002_bd12176678c1676b.txt");
      g_assert_cmpstr (c->article, ==, "第八条");
    }

  /* The legal review opinion: pass / return among the choices. */
  t = lookup (registry, "legal_review_opinion");
  f = ct_form_template_get_field (t, "opinion");
  g_assert_nonnull (ct_field_def_get_choice (f, "pass"));
  g_assert_nonnull (ct_field_def_get_choice (f, "return"));
  g_assert_null (ct_field_def_get_choice (f, "maybe"));
  g_assert_cmpstr (ct_form_choice_display_label (ct_field_def_get_choice (f, "pass")), ==,
                   "Passed");

  /* Hearing notification: the chair, not involved in the investigation. */
  t = lookup (registry, "hearing_notification");
  g_assert_true (ct_form_template_get_field (t, "chair")->required);
  g_assert_true (ct_form_template_get_field (t, "chair_not_investigator")->required);
  g_assert_true (ct_form_template_get_field (t, "hearing_at")->required);

  /* The hearing record holds the full recording. */
  t = lookup (registry, "hearing_record");
  f = ct_form_template_get_field (t, "av_recording");
  g_assert_cmpint (f->type, ==, CT_FIELD_CLIP);
  g_assert_true (f->required);

  /* English mode (no setlocale() here). */
  g_assert_cmpstr (ct_form_template_display_title (lookup (registry, "service_receipt")), ==,
                   "Proof of service");
}

/* ---- the eight items of a decision --------------------------------------------------------------- */

static const char *decision_complete =
  "{"
  "\"party\": {\"kind\": \"organization\", \"name\": \"示例公司\", \"address\": \"示例路1号\"},"
  "\"facts_and_evidence\": \"经查……\","
  "\"legal_basis\": \"《示例条例》第十条\","
  "\"decision_content\": \"罚款人民币2000元\","
  "\"performance\": \"自收到本决定书之日起十五日内缴纳\","
  "\"remedies\": \"六十日内申请行政复议，或者六个月内提起行政诉讼\","
  "\"agency_name\": \"示例市司法局\","
  "\"decision_date\": \"2024-03-01\","
  "\"other_matters\": \"无\""
  "}";

static void
check_eight_items (const CtFormTemplate *t)
{
  g_autoptr(GPtrArray) problems = ct_form_validate (t, NULL);
  g_autoptr(JsonObject) complete = parse_object (decision_complete);
  gboolean seen[9] = { FALSE, };

  /* Every field is required and carries one of the eight items. */
  for (guint i = 0; i < t->fields->len; i++)
    {
      const CtFieldDef *f = g_ptr_array_index (t->fields, i);

      g_assert_true (f->required);
      g_assert_cmpuint (f->item, >=, 1);
      g_assert_cmpuint (f->item, <=, 8);
      g_assert_null (f->required_when_field);
    }

  /* Nothing filled in: each item is reported, by number. */
  g_assert_cmpuint (problems->len, ==, t->fields->len);
  for (guint i = 0; i < problems->len; i++)
    {
      const CtFormProblem *p = g_ptr_array_index (problems, i);
      g_autofree char *number = g_strdup_printf ("item %u", p->item);

      g_assert_cmpint (p->kind, ==, CT_FORM_PROBLEM_MISSING);
      g_assert_cmpuint (p->item, >=, 1);
      g_assert_cmpuint (p->item, <=, 8);
      g_assert_nonnull (strstr (p->message, number));
      g_assert_nonnull (strstr (p->message, p->label));
      seen[p->item] = TRUE;
    }
  for (guint item = 1; item <= 8; item++)
    g_assert_true (seen[item]);

  g_assert_true (ct_form_is_complete (t, complete));

  /* Each field removed in turn: exactly its item is reported. */
  for (guint i = 0; i < t->fields->len; i++)
    {
      const CtFieldDef *f = g_ptr_array_index (t->fields, i);
      g_autoptr(JsonObject) values = parse_object (decision_complete);
      g_autoptr(GPtrArray) one = NULL;
      const CtFormProblem *p;

      json_object_remove_member (values, f->id);
      one = ct_form_validate (t, values);
      g_assert_cmpuint (one->len, ==, 1);
      p = g_ptr_array_index (one, 0);
      g_assert_cmpstr (p->field_id, ==, f->id);
      g_assert_cmpuint (p->item, ==, f->item);
      g_assert_false (ct_form_is_complete (t, values));
    }

  /* Item 8 may say 无, but not nothing. */
  {
    g_autoptr(JsonObject) values = parse_object (decision_complete);
    g_autoptr(GPtrArray) empty = NULL;
    g_autoptr(GPtrArray) blank = NULL;

    json_object_set_string_member (values, "other_matters", "");
    empty = ct_form_validate (t, values);
    g_assert_cmpuint (empty->len, ==, 1);
    g_assert_cmpuint (((CtFormProblem *) g_ptr_array_index (empty, 0))->item, ==, 8);

    json_object_set_string_member (values, "other_matters", " \t\u3000");
    blank = ct_form_validate (t, values);
    g_assert_cmpuint (blank->len, ==, 1);
    g_assert_cmpint (((CtFormProblem *) g_ptr_array_index (blank, 0))->kind, ==,
                     CT_FORM_PROBLEM_MISSING);
  }

  /* A wrong value still says which item. */
  {
    g_autoptr(JsonObject) values = parse_object (decision_complete);
    g_autoptr(GPtrArray) bad = NULL;
    const CtFormProblem *p;

    json_object_set_string_member (values, "decision_date", "2024-02-30");
    bad = ct_form_validate (t, values);
    g_assert_cmpuint (bad->len, ==, 1);
    p = g_ptr_array_index (bad, 0);
    g_assert_cmpint (p->kind, ==, CT_FORM_PROBLEM_INVALID);
    g_assert_cmpuint (p->item, ==, 7);
  }
}

static void
test_decision_items (void)
{
  g_autoptr(CtFormRegistry) registry = load_real ();
  const CtFormTemplate *t = lookup (registry, "penalty_decision");
  const char *labels[] = {
    NULL, "当事人基本情况", "事实和证据", "适用依据", "决定内容", "履行方式和期限",
    "不服行政执法决定，申请行政复议或者提起行政诉讼的途径和期限", NULL, "应当载明的其他事项",
  };

  /* The wording of 柳河县行政执法责任制 第三十一条. */
  for (guint i = 0; i < t->fields->len; i++)
    {
      const CtFieldDef *f = g_ptr_array_index (t->fields, i);
      if (labels[f->item] != NULL)
        g_assert_cmpstr (f->label, ==, labels[f->item]);
    }
  g_assert_cmpstr (ct_form_template_get_field (t, "agency_name")->label, ==, "行政机关名称");
  g_assert_cmpstr (ct_form_template_get_field (t, "decision_date")->label, ==, "决定日期");
  g_assert_cmpint (ct_form_template_get_field (t, "party")->type, ==, CT_FIELD_PARTY);
  g_assert_cmpint (ct_form_template_get_field (t, "decision_date")->type, ==, CT_FIELD_DATE);

  check_eight_items (t);
  check_eight_items (lookup (registry, "no_penalty_decision"));
}

/* ---- service methods (002 art. 12) -------------------------------------------------------------- */

static char *
service_missing (const CtFormTemplate *t,
                 const char           *extra)
{
  g_autofree char *json = g_strdup_printf (
    "{\"document_name\": \"行政处罚决定书\","
    "\"recipient\": {\"name\": \"张三\"},"
    "\"servers\": [\"h1\", \"h2\"]%s%s}", extra[0] ? "," : "", extra);

  return validate_ids (t, json, CT_FORM_PROBLEM_MISSING);
}

static void
test_service_methods (void)
{
  g_autoptr(CtFormRegistry) registry = load_real ();
  const CtFormTemplate *t = lookup (registry, "service_receipt");
  struct {
    const char *extra;
    const char *missing;
  } cases[] = {
    { "", "method" },
    { "\"method\": \"direct\"",
      "place,recipient_signature,served_at,server_signature" },
    { "\"method\": \"post\"",
      "mail_kind,mail_number,mail_result,posted_on,posting_record" },
    { "\"method\": \"post\", \"mail_result\": \"delivered\"",
      "mail_kind,mail_number,posted_on,posting_record,received_on,return_receipt" },
    { "\"method\": \"post\", \"mail_result\": \"returned\"",
      "mail_kind,mail_number,posted_on,posting_record,returned_note" },
    { "\"method\": \"lien\"",
      "place,refusal_reason,refused_on,served_at,server_signature,service_av,witness_name,"
      "witness_signature" },
    { "\"method\": \"entrusted\"",
      "entrust_reason,place,recipient_signature,served_at,server_signature" },
    { "\"method\": \"public_notice\"",
      "notice_medium,notice_process,notice_published_on,other_methods_failed,service_av,"
      "written_notice" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *missing = service_missing (t, cases[i].extra);
      g_assert_cmpstr (missing, ==, cases[i].missing);
    }

  /* A complete lien service, then the same values without the AV clip. */
  {
    const char *json =
      "{\"document_name\": \"行政处罚决定书\", \"recipient\": {\"name\": \"张三\"},"
      "\"servers\": [\"h1\", \"h2\"], \"method\": \"lien\","
      "\"served_at\": \"2024-03-05T10:00:00+08:00\", \"place\": \"张三住所\","
      "\"server_signature\": {\"signer\": \"h1\", \"signed_at\": \"2024-03-05T10:05:00+08:00\"},"
      "\"refusal_reason\": \"受送达人拒绝签收\", \"refused_on\": \"2024-03-05\","
      "\"witness_name\": \"李四\","
      "\"witness_signature\": {\"signer\": \"李四\", \"signed_at\": \"2024-03-05T10:06:00+08:00\"},"
      "\"service_av\": [{\"media\": \"5f2b\", \"start_ms\": 0, \"end_ms\": 60000},"
      "                 {\"media\": \"77aa\", \"start_ms\": 0, \"end_ms\": 1000, \"label\": \"续\"}]}";
    g_autoptr(JsonObject) values = parse_object (json);
    g_autoptr(GPtrArray) problems = NULL;
    const CtFormProblem *p;

    g_assert_true (ct_form_is_complete (t, values));

    json_object_remove_member (values, "service_av");
    problems = ct_form_validate (t, values);
    g_assert_cmpuint (problems->len, ==, 1);
    p = g_ptr_array_index (problems, 0);
    g_assert_cmpstr (p->field_id, ==, "service_av");
    g_assert_cmpint (p->kind, ==, CT_FORM_PROBLEM_MISSING);
    g_assert_cmpuint (p->item, ==, 0);
    /* The message names the field, the condition and its value. */
    g_assert_nonnull (strstr (p->message, "Audio-visual record of the service"));
    g_assert_nonnull (strstr (p->message, "Method of service"));
    g_assert_nonnull (strstr (p->message, "Left at the residence (lien)"));
  }

  /* An unknown method is a wrong value, and then nothing is conditionally required. */
  {
    g_autofree char *invalid = NULL;
    g_autofree char *missing = service_missing (t, "\"method\": \"carrier_pigeon\"");

    g_assert_cmpstr (missing, ==, "");
    invalid = validate_ids (t,
                            "{\"document_name\": \"x\", \"recipient\": {\"name\": \"张三\"},"
                            "\"servers\": [\"h1\"], \"method\": \"carrier_pigeon\"}",
                            CT_FORM_PROBLEM_INVALID);
    g_assert_cmpstr (invalid, ==, "method");
  }
}

static void
test_boolean_condition (void)
{
  g_autoptr(CtFormRegistry) registry = load_real ();
  const CtFormTemplate *t = lookup (registry, "filing_approval");
  const char *base =
    "{\"party\": {\"kind\": \"person\", \"name\": \"张三\"}, \"cause\": \"无证执业\","
    "\"place\": \"示例区\", \"source\": \"complaint\", \"case_summary\": \"……\","
    "\"filing_reason\": \"……\", \"handlers\": [\"h1\", \"h2\"], \"handler_opinion\": \"建议立案\","
    "\"handler_signatures\": {\"signer\": \"h1\", \"signed_at\": \"2024-03-01T09:00:00Z\"},"
    "\"emergency_start\": ";
  g_autofree char *no = g_strconcat (base, "false}", NULL);
  g_autofree char *yes = g_strconcat (base, "true}", NULL);
  g_autofree char *unanswered = g_strconcat (base, "null}", NULL);
  g_autofree char *missing_yes = validate_ids (t, yes, CT_FORM_PROBLEM_MISSING);
  g_autofree char *missing_unanswered = validate_ids (t, unanswered, CT_FORM_PROBLEM_MISSING);
  g_autoptr(JsonObject) values = parse_object (no);

  /* false is an answer: complete. */
  g_assert_true (ct_form_is_complete (t, values));
  g_assert_cmpstr (missing_yes, ==, "emergency_reason,emergency_started_at");
  g_assert_cmpstr (missing_unanswered, ==, "emergency_start");
}

/* ---- value types ------------------------------------------------------------------------------------- */

static const char *all_types_template =
  "{\"id\": \"all_types\", \"title\": \"类型\", \"title_en\": \"Types\", \"stage\": \"filing\","
  " \"basis\": [{\"file\": \"行政处罚法\", \"article\": \"第四十七条\"}],"
  " \"fields\": ["
  "  {\"id\": \"t\", \"label\": \"文本\", \"label_en\": \"Text\", \"type\": \"text\"},"
  "  {\"id\": \"ml\", \"label\": \"多行\", \"label_en\": \"Lines\", \"type\": \"multiline\"},"
  "  {\"id\": \"d\", \"label\": \"日期\", \"label_en\": \"Day\", \"type\": \"date\"},"
  "  {\"id\": \"dt\", \"label\": \"时间\", \"label_en\": \"When\", \"type\": \"datetime\"},"
  "  {\"id\": \"m\", \"label\": \"金额\", \"label_en\": \"Amount\", \"type\": \"money\"},"
  "  {\"id\": \"n\", \"label\": \"数\", \"label_en\": \"Count\", \"type\": \"number\"},"
  "  {\"id\": \"p\", \"label\": \"当事人\", \"label_en\": \"Party\", \"type\": \"party\"},"
  "  {\"id\": \"o\", \"label\": \"执法人员\", \"label_en\": \"Officers\", \"type\": \"officers\","
  "   \"min_count\": 2},"
  "  {\"id\": \"c\", \"label\": \"选项\", \"label_en\": \"Pick\", \"type\": \"choice\","
  "   \"choices\": [{\"id\": \"a\", \"label\": \"甲\", \"label_en\": \"A\"},"
  "                 {\"id\": \"b\", \"label\": \"乙\", \"label_en\": \"B\"}]},"
  "  {\"id\": \"b\", \"label\": \"是否\", \"label_en\": \"Flag\", \"type\": \"boolean\"},"
  "  {\"id\": \"s\", \"label\": \"签名\", \"label_en\": \"Signed\", \"type\": \"signature\"},"
  "  {\"id\": \"v\", \"label\": \"音像\", \"label_en\": \"Clip\", \"type\": \"clip\"}"
  " ]}";

static CtFormRegistry *
load_all_types (char **dir_out)
{
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(GError) error = NULL;
  CtFormRegistry *registry;

  write_file (dir, "all_types.json", all_types_template);
  registry = ct_form_registry_load_dir (dir, &error);
  g_assert_no_error (error);
  *dir_out = g_steal_pointer (&dir);
  return registry;
}

/* Validates {"<field>": <value>} against all_types. */
static void
check_value (const CtFormTemplate *t,
             const char           *field,
             const char           *value,
             gboolean              valid,
             const char           *message_part)
{
  g_autofree char *json = g_strdup_printf ("{\"%s\": %s}", field, value);
  g_autoptr(JsonObject) values = parse_object (json);
  g_autoptr(GPtrArray) problems = ct_form_validate (t, values);

  if (valid)
    {
      if (problems->len != 0)
        g_error ("%s = %s should be valid: %s", field, value,
                 ((CtFormProblem *) g_ptr_array_index (problems, 0))->message);
    }
  else
    {
      const CtFormProblem *p;

      if (problems->len != 1)
        g_error ("%s = %s should give one problem, got %u", field, value, problems->len);
      p = g_ptr_array_index (problems, 0);
      g_assert_cmpstr (p->field_id, ==, field);
      g_assert_cmpint (p->kind, ==, CT_FORM_PROBLEM_INVALID);
      g_assert_nonnull (strstr (p->message, p->label));
      g_assert_cmpstr (p->label, ==, ct_field_def_display_label (ct_form_template_get_field (t,
                                                                                           field)));
      if (message_part != NULL && strstr (p->message, message_part) == NULL)
        g_error ("%s = %s: “%s” does not mention “%s”", field, value, p->message, message_part);
    }
}

static void
test_value_types (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(CtFormRegistry) registry = load_all_types (&dir);
  const CtFormTemplate *t = lookup (registry, "all_types");

  check_value (t, "t", "\"一行\"", TRUE, NULL);
  check_value (t, "t", "\"two\\nlines\"", FALSE, "single line");
  check_value (t, "t", "12", FALSE, "Text");
  check_value (t, "ml", "\"two\\nlines\"", TRUE, NULL);
  check_value (t, "ml", "[\"x\"]", FALSE, NULL);

  check_value (t, "d", "\"2024-02-29\"", TRUE, NULL);
  check_value (t, "d", "\"2023-02-29\"", FALSE, "YYYY-MM-DD");
  check_value (t, "d", "\"2024-2-1\"", FALSE, NULL);
  check_value (t, "d", "\"2024-03-01T00:00:00Z\"", FALSE, NULL);
  check_value (t, "d", "20240301", FALSE, NULL);

  check_value (t, "dt", "\"2024-03-01T09:30:00+08:00\"", TRUE, NULL);
  check_value (t, "dt", "\"2024-03-01T09:30Z\"", TRUE, NULL);
  check_value (t, "dt", "\"2024-03-01T09:30:00.250-05:00\"", TRUE, NULL);
  check_value (t, "dt", "\"2024-03-01T09:30:00\"", FALSE, "time zone");
  check_value (t, "dt", "\"2024-03-01 09:30:00+08:00\"", FALSE, NULL);
  check_value (t, "dt", "\"2024-03-01T25:30:00+08:00\"", FALSE, NULL);
  check_value (t, "dt", "\"2024-02-30T09:30:00+08:00\"", FALSE, NULL);
  check_value (t, "dt", "\"2024-03-01\"", FALSE, NULL);

  check_value (t, "m", "\"1234.50\"", TRUE, NULL);
  check_value (t, "m", "\"0.5\"", TRUE, NULL);
  check_value (t, "m", "\"200\"", TRUE, NULL);
  check_value (t, "m", "3000", TRUE, NULL);
  check_value (t, "m", "12.34", TRUE, NULL);
  check_value (t, "m", "0", TRUE, NULL);
  check_value (t, "m", "\"12.345\"", FALSE, "two decimals");
  check_value (t, "m", "12.345", FALSE, "two decimals");
  check_value (t, "m", "\"-1\"", FALSE, "negative");
  check_value (t, "m", "-0.5", FALSE, "negative");
  check_value (t, "m", "-3", FALSE, "negative");
  check_value (t, "m", "\"01.00\"", FALSE, NULL);
  check_value (t, "m", "\"1e3\"", FALSE, NULL);
  check_value (t, "m", "\"1,000\"", FALSE, NULL);
  check_value (t, "m", "\"12.\"", FALSE, NULL);
  check_value (t, "m", "\"¥12\"", FALSE, NULL);
  check_value (t, "m", "true", FALSE, NULL);

  check_value (t, "n", "3", TRUE, NULL);
  check_value (t, "n", "-2.5", TRUE, NULL);
  check_value (t, "n", "\"3\"", FALSE, "number");

  check_value (t, "b", "false", TRUE, NULL);
  check_value (t, "b", "\"true\"", FALSE, NULL);
  check_value (t, "b", "1", FALSE, NULL);

  check_value (t, "c", "\"b\"", TRUE, NULL);
  check_value (t, "c", "\"z\"", FALSE, "“z”");
  check_value (t, "c", "1", FALSE, NULL);

  check_value (t, "o", "[\"h1\", \"h2\"]", TRUE, NULL);
  /* Fewer entries than min_count: missing (the form saves as incomplete
   * and the next officer adds theirs), not invalid. */
  {
    g_autoptr(JsonObject) short_values = parse_object ("{\"o\": [\"h1\"]}");
    g_autoptr(GPtrArray) short_problems = ct_form_validate (t, short_values);
    const CtFormProblem *p = get_problem (short_problems, "o");
    g_assert_cmpint (p->kind, ==, CT_FORM_PROBLEM_MISSING);
    g_assert_nonnull (strstr (p->message, "at least 2"));
  }
  check_value (t, "o", "[\"h1\", \"h1\"]", FALSE, "twice");
  check_value (t, "o", "[\"h1\", 2]", FALSE, "user names");
  check_value (t, "o", "[\"h1\", \"\"]", FALSE, NULL);
  check_value (t, "o", "\"h1\"", FALSE, NULL);

  check_value (t, "p", "{\"name\": \"张三\", \"address\": null, \"id_number\": \"1101\"}", TRUE,
               NULL);
  check_value (t, "p", "{\"kind\": \"person\"}", FALSE, "name");
  check_value (t, "p", "{\"name\": \"  \"}", FALSE, "name");
  check_value (t, "p", "{\"name\": \"张三\", \"age\": 30}", FALSE, "age");
  check_value (t, "p", "\"张三\"", FALSE, NULL);

  check_value (t, "s", "{\"signer\": \"sup\", \"signed_at\": \"2024-03-01T09:00:00+08:00\"}",
               TRUE, NULL);
  check_value (t, "s", "[{\"signer\": \"h1\", \"signed_at\": \"2024-03-01T09:00:00+08:00\"},"
                       " {\"signer\": \"h2\", \"signed_at\": \"2024-03-01T09:01:00+08:00\"}]",
               TRUE, NULL);
  check_value (t, "s", "{\"signer\": \"sup\"}", FALSE, NULL);
  check_value (t, "s", "{\"signer\": \"sup\", \"signed_at\": \"yesterday\"}", FALSE, NULL);
  check_value (t, "s", "{\"signed_at\": \"2024-03-01T09:00:00Z\"}", FALSE, "signer");
  check_value (t, "s", "[\"sup\"]", FALSE, NULL);
  check_value (t, "s", "true", FALSE, NULL);

  check_value (t, "v", "{\"media\": \"ab12\", \"start_ms\": 0, \"end_ms\": 1500}", TRUE, NULL);
  check_value (t, "v", "[{\"media\": \"ab12\", \"start_ms\": 10, \"end_ms\": 11}]", TRUE, NULL);
  check_value (t, "v", "{\"media\": \"ab12\", \"start_ms\": 5, \"end_ms\": 5}", FALSE, "end");
  check_value (t, "v", "{\"media\": \"ab12\", \"start_ms\": 9, \"end_ms\": 5}", FALSE, NULL);
  check_value (t, "v", "{\"media\": \"ab12\", \"start_ms\": -1, \"end_ms\": 5}", FALSE, NULL);
  check_value (t, "v", "{\"media\": \"ab12\", \"start_ms\": 0.5, \"end_ms\": 5}", FALSE, NULL);
  check_value (t, "v", "{\"media\": \"\", \"start_ms\": 0, \"end_ms\": 5}", FALSE, NULL);
  check_value (t, "v", "{\"start_ms\": 0, \"end_ms\": 5}", FALSE, NULL);
  check_value (t, "v", "\"ab12\"", FALSE, NULL);

  /* Empty values of optional fields are simply absent. */
  {
    g_autoptr(JsonObject) values = parse_object (
      "{\"t\": \"\", \"ml\": \"  \", \"o\": [], \"p\": {}, \"s\": null, \"v\": []}");
    g_assert_true (ct_form_is_complete (t, values));
  }

  /* Unknown ids, reported after the fields, sorted. */
  {
    g_autoptr(JsonObject) values = parse_object ("{\"zeta\": 1, \"b\": \"no\", \"alpha\": 2}");
    g_autoptr(GPtrArray) problems = ct_form_validate (t, values);
    const CtFormProblem *p;

    g_assert_cmpuint (problems->len, ==, 3);
    p = g_ptr_array_index (problems, 0);
    g_assert_cmpstr (p->field_id, ==, "b");
    p = g_ptr_array_index (problems, 1);
    g_assert_cmpstr (p->field_id, ==, "alpha");
    g_assert_cmpint (p->kind, ==, CT_FORM_PROBLEM_UNKNOWN_FIELD);
    g_assert_nonnull (strstr (p->message, "alpha"));
    p = g_ptr_array_index (problems, 2);
    g_assert_cmpstr (p->field_id, ==, "zeta");
  }

  remove_dir (dir);
}

/* Real templates: required fields, in template order, and a too-short list. */
static void
test_real_validation (void)
{
  g_autoptr(CtFormRegistry) registry = load_real ();
  const CtFormTemplate *t = lookup (registry, "questioning_record");
  g_autoptr(JsonObject) values = parse_object (
    "{\"started_at\": \"2024-03-01T09:00:00+08:00\", \"officers\": [\"h1\"],"
    " \"place\": 7}");
  g_autoptr(GPtrArray) problems = ct_form_validate (t, values);
  const CtFormProblem *p;
  guint previous = 0;

  /* One of the two required officers: well-formed but short, so missing
   * (the form saves as incomplete), not invalid. */
  p = get_problem (problems, "officers");
  g_assert_cmpint (p->kind, ==, CT_FORM_PROBLEM_MISSING);
  g_assert_nonnull (strstr (p->message, "at least 2"));
  p = get_problem (problems, "place");
  g_assert_cmpint (p->kind, ==, CT_FORM_PROBLEM_INVALID);
  g_assert_null (find_problem (problems, "started_at"));
  g_assert_cmpint (get_problem (problems, "av_recording")->kind, ==, CT_FORM_PROBLEM_MISSING);
  g_assert_cmpint (get_problem (problems, "officer_cert_numbers")->kind, ==,
                   CT_FORM_PROBLEM_MISSING);
  g_assert_cmpint (get_problem (problems, "certificates_shown")->kind, ==,
                   CT_FORM_PROBLEM_MISSING);
  /* questioned_signature depends on signature_refused, which is unanswered. */
  g_assert_null (find_problem (problems, "questioned_signature"));

  /* Problems come in the order of the form. */
  for (guint i = 0; i < problems->len; i++)
    {
      const CtFormProblem *q = g_ptr_array_index (problems, i);
      guint index = 0;

      for (; index < t->fields->len; index++)
        if (strcmp (((CtFieldDef *) g_ptr_array_index (t->fields, index))->id, q->field_id) == 0)
          break;
      g_assert_cmpuint (index, <, t->fields->len);
      g_assert_cmpuint (index, >=, previous);
      previous = index;
    }
}

/* ---- canonical JSON ---------------------------------------------------------------------------------- */

static void
test_canonical (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(CtFormRegistry) registry = load_all_types (&dir);
  g_autoptr(CtFormRegistry) real = load_real ();
  const CtFormTemplate *t = lookup (registry, "all_types");
  const char *a =
    "{\"v\": {\"start_ms\": 0, \"media\": \"ab\", \"end_ms\": 3.0},"
    " \"m\": 12.5, \"t\": \"say \\\"hi\\\"\\n\", \"o\": [\"h2\", \"h1\"], \"b\": false,"
    " \"p\": {\"name\": \"张三\", \"address\": \"\", \"kind\": \"person\", \"id_number\": null},"
    " \"ml\": \"\", \"unknown\": 1, \"n\": 2.50, \"c\": \"a\", \"d\": \"2024-03-01\"}";
  const char *b =
    "{\"d\": \"2024-03-01\", \"c\": \"a\", \"n\": 2.5, \"unknown\": 2,"
    " \"p\": {\"kind\": \"person\", \"name\": \"张三\"}, \"b\": false, \"o\": [\"h2\", \"h1\"],"
    " \"t\": \"say \\\"hi\\\"\\n\", \"m\": \"12.50\","
    " \"v\": {\"end_ms\": 3, \"media\": \"ab\", \"start_ms\": 0}}";
  const char *expected =
    "{\"t\":\"say \\\"hi\\\"\\u000a\",\"d\":\"2024-03-01\",\"m\":\"12.50\",\"n\":2.5,"
    "\"p\":{\"kind\":\"person\",\"name\":\"张三\"},\"o\":[\"h2\",\"h1\"],\"c\":\"a\","
    "\"b\":false,\"v\":{\"end_ms\":3,\"media\":\"ab\",\"start_ms\":0}}";
  g_autoptr(JsonObject) va = parse_object (a);
  g_autoptr(JsonObject) vb = parse_object (b);
  g_autofree char *ca = ct_form_canonical_json (t, va);
  g_autofree char *cb = ct_form_canonical_json (t, vb);
  g_autofree char *again = ct_form_canonical_json (t, va);
  g_autofree char *empty = ct_form_canonical_json (t, NULL);

  g_assert_cmpstr (ca, ==, expected);
  g_assert_cmpstr (cb, ==, expected);
  g_assert_cmpstr (again, ==, expected);
  g_assert_cmpstr (empty, ==, "{}");

  /* Money in every spelling. */
  {
    const char *spellings[] = { "12", "12.0", "\"12\"", "\"12.0\"", "\"12.00\"" };

    for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
      {
        g_autofree char *json = g_strdup_printf ("{\"m\": %s}", spellings[i]);
        g_autoptr(JsonObject) values = parse_object (json);
        g_autofree char *canonical = ct_form_canonical_json (t, values);

        g_assert_cmpstr (canonical, ==, "{\"m\":\"12.00\"}");
      }
  }

  /* A real form: the order is the template's, whatever the input's. */
  {
    const CtFormTemplate *decision = lookup (real, "penalty_decision");
    g_autoptr(JsonObject) forward = parse_object (decision_complete);
    g_autoptr(JsonObject) backward = json_object_new ();
    g_autoptr(GList) members = json_object_get_members (forward);
    g_autofree char *cf = NULL;
    g_autofree char *cr = NULL;

    members = g_list_reverse (members);
    for (GList *l = members; l != NULL; l = l->next)
      json_object_set_member (backward, l->data,
                              json_node_copy (json_object_get_member (forward, l->data)));
    cf = ct_form_canonical_json (decision, forward);
    cr = ct_form_canonical_json (decision, backward);
    g_assert_cmpstr (cf, ==, cr);
    g_assert_true (g_str_has_prefix (cf, "{\"party\":{\"address\":\"示例路1号\",\"kind\":"));
    g_assert_true (g_str_has_suffix (cf, ",\"decision_date\":\"2024-03-01\","
                                         "\"other_matters\":\"无\"}"));
    g_assert_null (strchr (cf, '\n'));
    g_assert_null (strstr (cf, ": "));
  }

  remove_dir (dir);
}

/* ---- the loader rejects ------------------------------------------------------------------------------ */

#define GOOD_FIELD "{\"id\": \"name\", \"label\": \"名称\", \"label_en\": \"Name\", \"type\": \"text\"}"
#define CHOICE_FIELD \
  "{\"id\": \"kind\", \"label\": \"种类\", \"label_en\": \"Kind\", \"type\": \"choice\"," \
  " \"choices\": [{\"id\": \"a\", \"label\": \"甲\", \"label_en\": \"A\"}]}"
#define FLAG_FIELD \
  "{\"id\": \"flag\", \"label\": \"是否\", \"label_en\": \"Flag\", \"type\": \"boolean\"}"

/* A template "bad_form" with @fields (the inside of the array). */
static char *
template_with (const char *fields)
{
  return g_strdup_printf ("{\"id\": \"bad_form\", \"title\": \"坏表\", \"title_en\": \"Bad\","
                          " \"stage\": \"filing\","
                          " \"basis\": [{\"file\": \"行政处罚法\", \"article\": \"第四十七条\"}],"
                          " \"fields\": [%s]}", fields);
}

typedef struct {
  const char *name;
  const char *fields;       /* NULL: @whole is the file */
  const char *whole;
  const char *field;        /* must be named, or NULL */
  const char *template_id;  /* must be named, or NULL */
  const char *what;         /* a word of the problem */
} RejectCase;

static const RejectCase reject_cases[] = {
  { "unknown type",
    "{\"id\": \"when\", \"label\": \"时\", \"label_en\": \"When\", \"type\": \"timestamp\"}",
    NULL, "when", "bad_form", "timestamp" },
  { "duplicate field id",
    GOOD_FIELD ", " GOOD_FIELD, NULL, "name", "bad_form", "duplicate" },
  { "required_when names a missing field",
    GOOD_FIELD ", {\"id\": \"other\", \"label\": \"其他\", \"label_en\": \"Other\","
    " \"type\": \"text\", \"required_when\": {\"field\": \"ghost\", \"equals\": \"a\"}}",
    NULL, "other", "bad_form", "ghost" },
  { "required_when names a missing choice",
    CHOICE_FIELD ", {\"id\": \"other\", \"label\": \"其他\", \"label_en\": \"Other\","
    " \"type\": \"text\", \"required_when\": {\"field\": \"kind\", \"equals\": [\"a\", \"zz\"]}}",
    NULL, "other", "bad_form", "zz" },
  { "required_when on a text field",
    GOOD_FIELD ", {\"id\": \"other\", \"label\": \"其他\", \"label_en\": \"Other\","
    " \"type\": \"text\", \"required_when\": {\"field\": \"name\", \"equals\": \"x\"}}",
    NULL, "other", "bad_form", "name" },
  { "required_when boolean with a string",
    FLAG_FIELD ", {\"id\": \"other\", \"label\": \"其他\", \"label_en\": \"Other\","
    " \"type\": \"text\", \"required_when\": {\"field\": \"flag\", \"equals\": \"yes\"}}",
    NULL, "other", "bad_form", "true or false" },
  { "required_when on itself",
    CHOICE_FIELD ", {\"id\": \"other\", \"label\": \"其他\", \"label_en\": \"Other\","
    " \"type\": \"choice\", \"choices\": [{\"id\": \"a\", \"label\": \"甲\", \"label_en\": \"A\"}],"
    " \"required_when\": {\"field\": \"other\", \"equals\": \"a\"}}",
    NULL, "other", "bad_form", "itself" },
  { "required and required_when",
    FLAG_FIELD ", {\"id\": \"other\", \"label\": \"其他\", \"label_en\": \"Other\","
    " \"type\": \"text\", \"required\": true,"
    " \"required_when\": {\"field\": \"flag\", \"equals\": true}}",
    NULL, "other", "bad_form", "required_when" },
  { "choice without choices",
    "{\"id\": \"kind\", \"label\": \"种类\", \"label_en\": \"Kind\", \"type\": \"choice\"}",
    NULL, "kind", "bad_form", "choices" },
  { "choice with no choices",
    "{\"id\": \"kind\", \"label\": \"种类\", \"label_en\": \"Kind\", \"type\": \"choice\","
    " \"choices\": []}",
    NULL, "kind", "bad_form", "choice" },
  { "duplicate choice id",
    "{\"id\": \"kind\", \"label\": \"种类\", \"label_en\": \"Kind\", \"type\": \"choice\","
    " \"choices\": [{\"id\": \"a\", \"label\": \"甲\", \"label_en\": \"A\"},"
    "               {\"id\": \"a\", \"label\": \"乙\", \"label_en\": \"B\"}]}",
    NULL, "kind", "bad_form", "duplicate" },
  { "choices on a text field",
    "{\"id\": \"name\", \"label\": \"名称\", \"label_en\": \"Name\", \"type\": \"text\","
    " \"choices\": [{\"id\": \"a\", \"label\": \"甲\", \"label_en\": \"A\"}]}",
    NULL, "name", "bad_form", "choices" },
  { "misspelt key",
    "{\"id\": \"name\", \"label\": \"名称\", \"label_en\": \"Name\", \"type\": \"text\","
    " \"requried\": true}",
    NULL, "name", "bad_form", "requried" },
  { "duplicate key",
    "{\"id\": \"name\", \"label\": \"名称\", \"label_en\": \"Name\", \"type\": \"text\","
    " \"required\": true, \"required\": false}",
    NULL, "name", "bad_form", "twice" },
  { "missing label_en",
    "{\"id\": \"name\", \"label\": \"名称\", \"type\": \"text\"}",
    NULL, "name", "bad_form", "label_en" },
  { "empty label",
    "{\"id\": \"name\", \"label\": \" \", \"label_en\": \"Name\", \"type\": \"text\"}",
    NULL, "name", "bad_form", "label" },
  { "field id not snake_case",
    "{\"id\": \"Name-1\", \"label\": \"名称\", \"label_en\": \"Name\", \"type\": \"text\"}",
    NULL, "Name-1", "bad_form", "snake_case" },
  { "required not a boolean",
    "{\"id\": \"name\", \"label\": \"名称\", \"label_en\": \"Name\", \"type\": \"text\","
    " \"required\": \"yes\"}",
    NULL, "name", "bad_form", "required" },
  { "item out of range",
    "{\"id\": \"name\", \"label\": \"名称\", \"label_en\": \"Name\", \"type\": \"text\","
    " \"required\": true, \"item\": 9}",
    NULL, "name", "bad_form", "item" },
  { "item on an optional field",
    "{\"id\": \"name\", \"label\": \"名称\", \"label_en\": \"Name\", \"type\": \"text\","
    " \"item\": 3}",
    NULL, "name", "bad_form", "item 3" },
  { "min_count on text",
    "{\"id\": \"name\", \"label\": \"名称\", \"label_en\": \"Name\", \"type\": \"text\","
    " \"min_count\": 2}",
    NULL, "name", "bad_form", "min_count" },
  { "bad citation article",
    "{\"id\": \"name\", \"label\": \"名称\", \"label_en\": \"Name\", \"type\": \"text\","
    " \"basis\": {\"file\": \"行政处罚法\", \"article\": \"59\"}}",
    NULL, "name", "bad_form", "59" },
  { "unknown key in a citation",
    "{\"id\": \"name\", \"label\": \"名称\", \"label_en\": \"Name\", \"type\": \"text\","
    " \"basis\": {\"file\": \"行政处罚法\", \"article\": \"第五十九条\", \"page\": 3}}",
    NULL, "name", "bad_form", "page" },
  { "unknown key in a template", NULL,
    "{\"id\": \"bad_form\", \"title\": \"坏表\", \"title_en\": \"Bad\", \"stage\": \"filing\","
    " \"basis\": [{\"file\": \"行政处罚法\", \"article\": \"第四十七条\"}], \"version\": 2,"
    " \"fields\": [" GOOD_FIELD "]}",
    NULL, "bad_form", "version" },
  { "unknown stage", NULL,
    "{\"id\": \"bad_form\", \"title\": \"坏表\", \"title_en\": \"Bad\", \"stage\": \"lunch\","
    " \"basis\": [{\"file\": \"行政处罚法\", \"article\": \"第四十七条\"}],"
    " \"fields\": [" GOOD_FIELD "]}",
    NULL, "bad_form", "lunch" },
  { "missing title_en", NULL,
    "{\"id\": \"bad_form\", \"title\": \"坏表\", \"stage\": \"filing\","
    " \"basis\": [{\"file\": \"行政处罚法\", \"article\": \"第四十七条\"}],"
    " \"fields\": [" GOOD_FIELD "]}",
    NULL, "bad_form", "title_en" },
  { "no basis", NULL,
    "{\"id\": \"bad_form\", \"title\": \"坏表\", \"title_en\": \"Bad\", \"stage\": \"filing\","
    " \"basis\": [], \"fields\": [" GOOD_FIELD "]}",
    NULL, "bad_form", "basis" },
  { "no fields", NULL,
    "{\"id\": \"bad_form\", \"title\": \"坏表\", \"title_en\": \"Bad\", \"stage\": \"filing\","
    " \"basis\": [{\"file\": \"行政处罚法\", \"article\": \"第四十七条\"}], \"fields\": []}",
    NULL, "bad_form", "fields" },
  { "template id not snake_case", NULL,
    "{\"id\": \"bad form\", \"title\": \"坏表\", \"title_en\": \"Bad\", \"stage\": \"filing\","
    " \"basis\": [{\"file\": \"行政处罚法\", \"article\": \"第四十七条\"}],"
    " \"fields\": [" GOOD_FIELD "]}",
    NULL, "bad form", "snake_case" },
  { "duplicate key in a template", NULL,
    "{\"id\": \"bad_form\", \"title\": \"坏表\", \"title\": \"坏表二\", \"title_en\": \"Bad\","
    " \"stage\": \"filing\", \"basis\": [{\"file\": \"行政处罚法\", \"article\": \"第四十七条\"}],"
    " \"fields\": [" GOOD_FIELD "]}",
    NULL, "bad_form", "title" },
  { "not JSON", NULL, "{\"id\": \"bad_form\", ", NULL, NULL, "JSON" },
  { "not an object", NULL, "[1, 2]", NULL, NULL, "object" },
};

static void
test_loader_rejects (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (reject_cases); i++)
    {
      const RejectCase *c = &reject_cases[i];
      g_autofree char *dir = make_temp_dir ();
      g_autofree char *contents = c->fields != NULL ? template_with (c->fields)
                                                    : g_strdup (c->whole);
      g_autoptr(CtFormRegistry) registry = NULL;
      g_autoptr(GError) error = NULL;

      /* A good template beside it, so that only the bad one can fail. */
      write_file (dir, "a_good.json",
                  "{\"id\": \"good\", \"title\": \"好表\", \"title_en\": \"Good\","
                  " \"stage\": \"filing\","
                  " \"basis\": [{\"file\": \"行政处罚法\", \"article\": \"第四十七条\"}],"
                  " \"fields\": [" GOOD_FIELD "]}");
      write_file (dir, "b_bad.json", contents);

      registry = ct_form_registry_load_dir (dir, &error);
      g_test_message ("%s: %s", c->name, error != NULL ? error->message : "(loaded)");
      if (registry != NULL)
        g_error ("case “%s” loaded", c->name);
      g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "b_bad.json"));
      if (c->template_id != NULL)
        {
          g_autofree char *quoted = g_strdup_printf ("template “%s”", c->template_id);
          if (strstr (error->message, quoted) == NULL)
            g_error ("case “%s”: “%s” does not name the template", c->name, error->message);
        }
      if (c->field != NULL)
        {
          g_autofree char *quoted = g_strdup_printf ("field “%s”", c->field);
          if (strstr (error->message, quoted) == NULL)
            g_error ("case “%s”: “%s” does not name the field", c->name, error->message);
        }
      if (strstr (error->message, c->what) == NULL)
        g_error ("case “%s”: “%s” does not mention “%s”", c->name, error->message, c->what);

      remove_dir (dir);
    }
}

static void
test_loader_duplicate_templates (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *contents = template_with (GOOD_FIELD);
  g_autoptr(CtFormRegistry) registry = NULL;
  g_autoptr(GError) error = NULL;

  write_file (dir, "first.json", contents);
  write_file (dir, "second.json", contents);
  write_file (dir, "README.md", "not a template");

  registry = ct_form_registry_load_dir (dir, &error);
  g_assert_null (registry);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "second.json"));
  g_assert_nonnull (strstr (error->message, "first.json"));
  g_assert_nonnull (strstr (error->message, "template “bad_form”"));

  /* One of them alone loads, README.md ignored. */
  {
    g_autofree char *path = g_build_filename (dir, "second.json", NULL);
    g_autoptr(GError) again_error = NULL;
    g_autoptr(CtFormRegistry) again = NULL;
    g_autoptr(GPtrArray) list = NULL;

    g_assert_cmpint (g_unlink (path), ==, 0);
    again = ct_form_registry_load_dir (dir, &again_error);
    g_assert_no_error (again_error);
    list = ct_form_registry_list (again);
    g_assert_cmpuint (list->len, ==, 1);
  }

  remove_dir (dir);
}

static void
test_loader_directories (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "nope", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) empty_error = NULL;

  g_assert_null (ct_form_registry_load_dir (missing, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "nope"));

  g_assert_null (ct_form_registry_load_dir (dir, &empty_error));
  g_assert_error (empty_error, CT_ERROR, CT_ERROR_INVALID);

  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/form/field-types", test_field_types);
  g_test_add_func ("/form/real/templates", test_real_templates);
  g_test_add_func ("/form/real/details", test_real_details);
  g_test_add_func ("/form/real/validation", test_real_validation);
  g_test_add_func ("/form/decision/eight-items", test_decision_items);
  g_test_add_func ("/form/service/methods", test_service_methods);
  g_test_add_func ("/form/required-when/boolean", test_boolean_condition);
  g_test_add_func ("/form/values/types", test_value_types);
  g_test_add_func ("/form/canonical", test_canonical);
  g_test_add_func ("/form/loader/rejects", test_loader_rejects);
  g_test_add_func ("/form/loader/duplicate-templates", test_loader_duplicate_templates);
  g_test_add_func ("/form/loader/directories", test_loader_directories);

  return g_test_run ();
}

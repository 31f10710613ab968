#define G_LOG_DOMAIN "casetrail-test"

/* The shipped rule packs (data/rulepacks/): every pack validates and stacks,
 * every form, field, role and fact a rule names exists, and every rule of
 * the stacks agencies use is exercised both ways — satisfied, and missing
 * (blocking or warning) — on facts built for it by a small condition
 * solver.  Then whole cases are walked through each procedure to show that
 * the rules can all be met together. */

#include "config.h"

#include <string.h>

#include "ct-error.h"
#include "ct-form.h"
#include "ct-model.h"
#include "ct-rules.h"

/* The stacks an agency may choose; the first is the default stored for a new agency. */
static const char * const stacks[] = {
  "national,001-province,002-jinpu",
  "national,000-longyang",
  "national,001-province,003-liuhe,004-qianjiang",
  "national",
  "national,001-province",
  "national,002-jinpu",
  "national,003-liuhe",
  "national,004-qianjiang",
  NULL
};

/* Flags the packs may read (documented in data/rulepacks/README.md): a typo
 * in a flag name would silently switch a rule off. */
static const char * const known_flags[] = {
  "hearing_requested", "complex", "major", "legal_review_required", "emergency_start",
  "court_enforcement", "correction_ordered", "seizure", "warning_only", "fine_amount",
  "not_accepted", "drawn_inspectors", NULL
};

static const char * const known_case_facts[] = {
  "number", "procedure", "source", "stage", "status", "created_at", "party_kind",
  "has_source_detail", "certified_officers", "officers", NULL
};

/* What a basis may cite. */
static const char * const known_files[] = {
  "行政处罚法", "行政强制法",
  "000_c8799fc573923ff9.txt", "001_79771f0fef6d4575.txt", "002_bd12176678c1676b.txt",
  "003_41c78582f6a07220.txt", "004_18ca961c9dc26b05.txt", NULL
};

#define T0       "2026-03-02T01:00:00Z"
#define T0_PLUS  "2026-03-02T01:01:00Z"
#define LONG_AGO "2026-01-05T01:00:00Z"
#define FAR_LATER "2026-12-01T01:00:00Z"
#define CLIP     "{\"media\": \"0123abcd\", \"start_ms\": 0, \"end_ms\": 1000}"

/* ---- fixtures --------------------------------------------------------------------- */

static char *
data_path (const char *sub)
{
  const char *pkg = g_getenv ("CASETRAIL_PKGDATADIR");
  const char *src = g_getenv ("CASETRAIL_SOURCE_ROOT");

  if (pkg != NULL && *pkg != '\0')
    return g_build_filename (pkg, sub, NULL);
  g_assert_nonnull (src);
  return g_build_filename (src, "data", sub, NULL);
}

static CtRuleSet *
load_stack (const char *stack)
{
  g_autofree char *dir = data_path ("rulepacks");
  g_auto(GStrv) ids = g_strsplit (stack, ",", -1);
  g_autoptr(GError) error = NULL;
  CtRuleSet *set = ct_ruleset_load (dir, (const char * const *) ids, &error);

  if (set == NULL)
    g_error ("stack %s: %s", stack, error->message);
  return set;
}

static CtFormRegistry *
load_forms (void)
{
  g_autofree char *dir = data_path ("forms");
  g_autoptr(GError) error = NULL;
  CtFormRegistry *forms = ct_form_registry_load_dir (dir, &error);

  g_assert_no_error (error);
  return forms;
}

static CtCalendar *
load_calendar (void)
{
  g_autofree char *dir = data_path ("calendars");
  g_autoptr(GError) error = NULL;
  CtCalendar *cal = ct_calendar_new ();

  g_assert_true (ct_calendar_load_dir (cal, dir, &error));
  g_assert_no_error (error);
  return cal;
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (p, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (p));
}

/* ---- (a) every pack validates and every stack loads ------------------------------------- */

static void
test_validate (void)
{
  g_autofree char *dir = data_path ("rulepacks");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open (dir, 0, &error);
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *id = NULL;
      g_autofree char *stack = NULL;
      g_autoptr(CtRuleSet) set = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (!ct_rulepack_validate_file (path, &error))
        g_error ("%s", error->message);

      /* Every pack loads on its own, stacked after national. */
      id = g_strndup (name, strlen (name) - strlen (".json"));
      stack = strcmp (id, "national") == 0 ? g_strdup (id) : g_strconcat ("national,", id, NULL);
      set = load_stack (stack);
      g_assert_cmpstr (ct_ruleset_get_pack_ids (set)[0], ==, "national");
      n++;
    }
  g_assert_cmpuint (n, >=, 6);
  g_test_message ("%u rule packs validate", n);
}

static void
test_stacks (void)
{
  for (guint i = 0; stacks[i] != NULL; i++)
    {
      g_autoptr(CtRuleSet) set = load_stack (stacks[i]);
      static const char * const procedures[] = { "general", "simplified", "inspection", "coercive", "complaint", NULL };

      for (guint p = 0; procedures[p] != NULL; p++)
        g_assert_nonnull (ct_ruleset_get_procedure (set, procedures[p]));
      /* Every procedure is a choice the store knows. */
      for (guint p = 0; procedures[p] != NULL; p++)
        g_assert_nonnull (ct_choice_lookup (ct_procedure_types (), procedures[p]));
      g_test_message ("stack %s: %u rules", stacks[i], ct_ruleset_get_rules (set)->len);
    }
}

/* ---- (b) everything a rule names exists ---------------------------------------------------- */

typedef struct {
  CtFormRegistry *forms;
  GString        *problems;
  const char     *where;   /* "rule x" */
} RefCtx;

static void G_GNUC_PRINTF (2, 3)
problem (RefCtx     *ctx,
         const char *format,
         ...)
{
  va_list ap;

  g_string_append_printf (ctx->problems, "\n  %s: ", ctx->where);
  va_start (ap, format);
  g_string_append_vprintf (ctx->problems, format, ap);
  va_end (ap);
}

static const CtFieldDef *
lookup_field (RefCtx     *ctx,
              const char *template_id,
              const char *field_id)
{
  const CtFormTemplate *t = ct_form_registry_lookup (ctx->forms, template_id);

  if (t == NULL)
    {
      problem (ctx, "no form template “%s”", template_id);
      return NULL;
    }
  if (field_id == NULL)
    return NULL;
  if (ct_form_template_get_field (t, field_id) == NULL)
    problem (ctx, "form “%s” has no field “%s”", template_id, field_id);
  return ct_form_template_get_field (t, field_id);
}

/* A value a rule compares a field with must be one the field can hold. */
static void
check_value (RefCtx           *ctx,
             const CtFieldDef *fd,
             JsonNode         *value)
{
  GType type = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_INVALID;

  switch (fd->type)
    {
    case CT_FIELD_BOOLEAN:
      if (type != G_TYPE_BOOLEAN)
        problem (ctx, "field “%s” is a boolean; compare it with true or false", fd->id);
      break;
    case CT_FIELD_CHOICE:
      if (type != G_TYPE_STRING || ct_field_def_get_choice (fd, json_node_get_string (value)) == NULL)
        problem (ctx, "field “%s” has no choice %s", fd->id,
                 type == G_TYPE_STRING ? json_node_get_string (value) : "(not a string)");
      break;
    case CT_FIELD_NUMBER:
    case CT_FIELD_MONEY:
      if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
        problem (ctx, "field “%s” is a number", fd->id);
      break;
    default:
      if (type != G_TYPE_STRING)
        problem (ctx, "field “%s” holds text", fd->id);
      break;
    }
}

/* Checks one fact name; @leaf is the condition object naming it, or NULL. */
static void
check_fact (RefCtx     *ctx,
            const char *fact,
            JsonObject *leaf)
{
  g_auto(GStrv) parts = g_strsplit (fact, ".", -1);
  guint n = g_strv_length (parts);

  if (strcmp (fact, "now") == 0)
    return;
  if (n == 2 && strcmp (parts[0], "case") == 0)
    {
      if (!g_strv_contains (known_case_facts, parts[1]))
        problem (ctx, "unknown case fact “%s”", fact);
      return;
    }
  if (n == 2 && strcmp (parts[0], "flag") == 0)
    {
      if (!g_strv_contains (known_flags, parts[1]))
        problem (ctx, "flag “%s” is not documented in data/rulepacks/README.md (a typo?)", fact);
      return;
    }
  if (strcmp (parts[0], "form") == 0 && (n == 2 || n == 3))
    {
      const CtFieldDef *fd;

      if (n == 2 || strcmp (parts[2], "complete") == 0 || strcmp (parts[2], "saved_at") == 0)
        {
          lookup_field (ctx, parts[1], NULL);
          return;
        }
      fd = lookup_field (ctx, parts[1], parts[2]);
      if (fd == NULL || leaf == NULL)
        return;
      if (json_object_has_member (leaf, "equals"))
        check_value (ctx, fd, json_object_get_member (leaf, "equals"));
      if (json_object_has_member (leaf, "in"))
        {
          JsonArray *arr = json_object_get_array_member (leaf, "in");
          for (guint i = 0; i < json_array_get_length (arr); i++)
            check_value (ctx, fd, json_array_get_element (arr, i));
        }
      if ((json_object_has_member (leaf, "gte") || json_object_has_member (leaf, "lte")) &&
          fd->type != CT_FIELD_NUMBER && fd->type != CT_FIELD_MONEY)
        problem (ctx, "field “%s” is not a number", fd->id);
      return;
    }
  if (n == 3 && strcmp (parts[0], "approval") == 0)
    {
      if (strcmp (parts[2], "at") != 0 && strcmp (parts[2], "supervisor") != 0 &&
          strcmp (parts[2], "legal_reviewer") != 0)
        problem (ctx, "approvals are signed by a supervisor or a legal_reviewer, not “%s”", parts[2]);
      return;
    }
  if (strcmp (parts[0], "media") == 0)
    {
      /* Set by ct_store_media_facts (ct-store-media.c). */
      static const char * const known_media_facts[] = {
        "media.count", "media.av", "media.late", "media.unknown_time", "media.unreadable",
        "media.interruptions.unexplained", "media.late.summary", "media.interruptions.summary", NULL
      };
      if (!g_strv_contains (known_media_facts, fact))
        problem (ctx, "unknown media fact “%s”", fact);
      return;
    }
  if (n == 3 && strcmp (parts[0], "stage") == 0)
    {
      if (ct_choice_lookup (ct_case_stages (), parts[1]) == NULL)
        problem (ctx, "unknown stage “%s”", parts[1]);
      if (strcmp (parts[2], "entered_at") != 0 && strcmp (parts[2], "left_at") != 0)
        problem (ctx, "a stage has entered_at and left_at, not “%s”", parts[2]);
      return;
    }
  problem (ctx, "unknown fact “%s”", fact);
}

static void
check_condition (RefCtx   *ctx,
                 JsonNode *node)
{
  JsonObject *obj;

  if (node == NULL)
    return;
  obj = json_node_get_object (node);
  if (json_object_has_member (obj, "all") || json_object_has_member (obj, "any"))
    {
      JsonArray *arr = json_object_get_array_member (obj, json_object_has_member (obj, "all") ? "all" : "any");
      for (guint i = 0; i < json_array_get_length (arr); i++)
        check_condition (ctx, json_array_get_element (arr, i));
    }
  else if (json_object_has_member (obj, "not"))
    check_condition (ctx, json_object_get_member (obj, "not"));
  else
    check_fact (ctx, json_object_get_string_member (obj, "fact"), obj);
}

/* The type of a period end: "datetime", "date" or NULL when unknown. */
static const char *
endpoint_type (CtFormRegistry *forms,
               const char     *fact)
{
  g_auto(GStrv) parts = g_strsplit (fact, ".", -1);
  const CtFormTemplate *t;
  const CtFieldDef *fd;

  if (g_str_has_prefix (fact, "stage.") || g_str_has_prefix (fact, "approval.") ||
      g_str_has_suffix (fact, ".saved_at") || strcmp (fact, "now") == 0)
    return "datetime";
  if (g_strv_length (parts) != 3 || strcmp (parts[0], "form") != 0 ||
      (t = ct_form_registry_lookup (forms, parts[1])) == NULL ||
      (fd = ct_form_template_get_field (t, parts[2])) == NULL)
    return NULL;
  if (fd->type == CT_FIELD_DATETIME)
    return "datetime";
  if (fd->type == CT_FIELD_DATE)
    return "date";
  return NULL;
}

static void
test_references (void)
{
  g_autoptr(CtFormRegistry) forms = load_forms ();
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GHashTable) dormant = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint s = 0; stacks[s] != NULL; s++)
    {
      g_autoptr(CtRuleSet) set = load_stack (stacks[s]);
      g_autoptr(GHashTable) titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      GPtrArray *rules = ct_ruleset_get_rules (set);
      static const char * const procedures[] = { "general", "simplified", "inspection", "coercive", "complaint", NULL };

      for (guint i = 0; i < rules->len; i++)
        {
          const CtRule *r = rules->pdata[i];
          g_autofree char *where = g_strdup_printf ("%s: rule %s (pack %s)", stacks[s], r->id, r->pack);
          g_autofree char *title_key = g_strdup_printf ("%s/%s/%s", r->procedure, r->stage, r->title);
          RefCtx ctx = { forms, problems, where };
          const CtFieldDef *fd;

          /* A checklist line is told apart by its title. */
          if (g_hash_table_contains (titles, title_key))
            problem (&ctx, "has the same title as %s in the same stage",
                     (const char *) g_hash_table_lookup (titles, title_key));
          else
            g_hash_table_insert (titles, g_steal_pointer (&title_key), r->id);

          /* Ids: <pack>.<procedure>.<stage>.<what>, in the rule's own procedure and stage. */
          {
            g_auto(GStrv) parts = g_strsplit (r->id, ".", 4);
            if (g_strv_length (parts) != 4 || strcmp (parts[1], r->procedure) != 0 || strcmp (parts[2], r->stage) != 0)
              problem (&ctx, "the id does not read <pack>.%s.%s.<what>", r->procedure, r->stage);
          }
          if (!g_strv_contains (known_files, r->basis.file))
            problem (&ctx, "cites an unknown file “%s”", r->basis.file);
          if (!g_str_has_suffix (r->basis.article, "条") || strstr (r->basis.article, "第") == NULL)
            problem (&ctx, "article “%s” does not read 第…条", r->basis.article);
          if (r->basis.clause != NULL && !g_str_has_suffix (r->basis.clause, "款") && !g_str_has_suffix (r->basis.clause, "项"))
            problem (&ctx, "clause “%s” is neither 第…款 nor 第（…）项", r->basis.clause);
          /* A local pack cites its own regulation. */
          if (strcmp (r->pack, "national") != 0 && strncmp (r->basis.file, r->pack, 3) != 0)
            problem (&ctx, "pack %s cites %s", r->pack, r->basis.file);

          check_condition (&ctx, r->when);
          switch (r->kind)
            {
            case CT_RULE_FORM:
              lookup_field (&ctx, r->form, NULL);
              break;
            case CT_RULE_FIELD:
              fd = lookup_field (&ctx, r->form, r->field);
              if (fd != NULL && r->equals != NULL)
                check_value (&ctx, fd, r->equals);
              break;
            case CT_RULE_AV_RECORD:
              fd = lookup_field (&ctx, r->form, r->field);
              if (fd != NULL && fd->type != CT_FIELD_CLIP)
                problem (&ctx, "field “%s” of “%s” is not a clip", r->field, r->form);
              break;
            case CT_RULE_APPROVAL:
              if (r->role != CT_ROLE_SUPERVISOR && r->role != CT_ROLE_LEGAL_REVIEWER)
                problem (&ctx, "approvals are signed by a supervisor or a legal reviewer");
              break;
            case CT_RULE_CONDITION:
              check_condition (&ctx, r->condition);
              if (r->explain != NULL)
                check_fact (&ctx, r->explain, NULL);
              break;
            case CT_RULE_DEADLINE:
              {
                const char *from_type = endpoint_type (forms, r->from);
                const char *until_type = endpoint_type (forms, r->until);

                check_fact (&ctx, r->from, NULL);
                check_fact (&ctx, r->until, NULL);
                if (from_type == NULL || until_type == NULL)
                  problem (&ctx, "period ends must be date-times (or dates): %s, %s", r->from, r->until);
                /* A date the engine cannot read yet as the end, after a
                 * date-time start, would report every case as late. */
                else if (strcmp (until_type, "date") == 0 && strcmp (from_type, "date") != 0)
                  problem (&ctx, "a date end (%s) after a date-time start would always look overdue", r->until);
                else if (strcmp (from_type, "date") == 0)
                  g_hash_table_add (dormant, g_strdup (r->id));
              }
              break;
            default:
              g_assert_not_reached ();
            }
        }

      /* Stage and branch conditions name real facts too. */
      for (guint p = 0; procedures[p] != NULL; p++)
        {
          const CtProcedureDef *proc = ct_ruleset_get_procedure (set, procedures[p]);
          g_autofree char *where = g_strdup_printf ("%s: procedure %s", stacks[s], procedures[p]);
          RefCtx ctx = { forms, problems, where };
          gboolean terminal = FALSE;

          for (guint i = 0; i < proc->stages->len; i++)
            {
              CtStageDef *sd = proc->stages->pdata[i];
              check_condition (&ctx, sd->when);
              terminal |= sd->terminal;
            }
          for (guint i = 0; i < proc->branches->len; i++)
            check_condition (&ctx, ((CtBranch *) proc->branches->pdata[i])->when);
          if (!terminal)
            problem (&ctx, "has no terminal stage");
        }
    }

  if (problems->len > 0)
    g_error ("the packs name things that do not exist:%s", problems->str);
  {
    g_autoptr(GList) keys = g_hash_table_get_keys (dormant);
    for (GList *l = keys; l != NULL; l = l->next)
      g_test_message ("dormant until the engine reads dates as period ends: %s", (const char *) l->data);
  }
}

/* ---- (c) every rule, satisfied and missing ------------------------------------------------------ */

/* The condition solver: sets facts so that @cond holds (satisfy) or does
 * not (falsify).  equals → that value; in → the first element; gte / lte →
 * the bound; exists → a non-empty string; all → each; any → the first;
 * not → the opposite of the inner one. */
static void falsify (JsonNode *cond, CtFacts *facts);

static JsonNode *
number_node (double x,
             gboolean integer)
{
  JsonNode *n = json_node_new (JSON_NODE_VALUE);

  if (integer)
    json_node_set_int (n, (gint64) x);
  else
    json_node_set_double (n, x);
  return n;
}

static JsonNode *
other_value (JsonNode *v)
{
  JsonNode *n = json_node_new (JSON_NODE_VALUE);

  switch (json_node_get_value_type (v))
    {
    case G_TYPE_BOOLEAN:
      json_node_set_boolean (n, !json_node_get_boolean (v));
      break;
    case G_TYPE_INT64:
      json_node_set_int (n, json_node_get_int (v) + 1);
      break;
    case G_TYPE_DOUBLE:
      json_node_set_double (n, json_node_get_double (v) + 1);
      break;
    default:
      {
        g_autofree char *s = g_strconcat ("not-", json_node_get_string (v), NULL);
        json_node_set_string (n, s);
      }
      break;
    }
  return n;
}

static void
satisfy (JsonNode *cond,
         CtFacts  *facts)
{
  JsonObject *obj = json_node_get_object (cond);
  const char *fact;

  if (json_object_has_member (obj, "all"))
    {
      JsonArray *arr = json_object_get_array_member (obj, "all");
      for (guint i = 0; i < json_array_get_length (arr); i++)
        satisfy (json_array_get_element (arr, i), facts);
      return;
    }
  if (json_object_has_member (obj, "any"))
    {
      satisfy (json_array_get_element (json_object_get_array_member (obj, "any"), 0), facts);
      return;
    }
  if (json_object_has_member (obj, "not"))
    {
      falsify (json_object_get_member (obj, "not"), facts);
      return;
    }
  fact = json_object_get_string_member (obj, "fact");
  if (json_object_has_member (obj, "equals"))
    ct_facts_set (facts, fact, json_node_copy (json_object_get_member (obj, "equals")));
  else if (json_object_has_member (obj, "in"))
    ct_facts_set (facts, fact, json_node_copy (json_array_get_element (json_object_get_array_member (obj, "in"), 0)));
  else if (json_object_has_member (obj, "gte"))
    ct_facts_set (facts, fact, json_node_copy (json_object_get_member (obj, "gte")));
  else if (json_object_has_member (obj, "lte"))
    ct_facts_set (facts, fact, json_node_copy (json_object_get_member (obj, "lte")));
  else if (json_object_get_boolean_member (obj, "exists"))
    ct_facts_set_string (facts, fact, "已填写");
  else
    ct_facts_set_string (facts, fact, NULL);
}

static void
falsify (JsonNode *cond,
         CtFacts  *facts)
{
  JsonObject *obj = json_node_get_object (cond);
  const char *fact;

  if (json_object_has_member (obj, "all"))
    {
      falsify (json_array_get_element (json_object_get_array_member (obj, "all"), 0), facts);
      return;
    }
  if (json_object_has_member (obj, "any"))
    {
      JsonArray *arr = json_object_get_array_member (obj, "any");
      for (guint i = 0; i < json_array_get_length (arr); i++)
        falsify (json_array_get_element (arr, i), facts);
      return;
    }
  if (json_object_has_member (obj, "not"))
    {
      satisfy (json_object_get_member (obj, "not"), facts);
      return;
    }
  fact = json_object_get_string_member (obj, "fact");
  if (json_object_has_member (obj, "equals"))
    ct_facts_set (facts, fact, other_value (json_object_get_member (obj, "equals")));
  else if (json_object_has_member (obj, "in"))
    ct_facts_set_string (facts, fact, "none-of-these");
  else if (json_object_has_member (obj, "gte") || json_object_has_member (obj, "lte"))
    {
      JsonNode *bound = json_object_get_member (obj, json_object_has_member (obj, "gte") ? "gte" : "lte");
      gboolean integer = json_node_get_value_type (bound) == G_TYPE_INT64;
      double x = integer ? json_node_get_int (bound) : json_node_get_double (bound);
      ct_facts_set (facts, fact, number_node (json_object_has_member (obj, "gte") ? x - 1 : x + 1, integer));
    }
  else if (json_object_get_boolean_member (obj, "exists"))
    ct_facts_set_string (facts, fact, NULL);
  else
    ct_facts_set_string (facts, fact, "已填写");
}

/* Facts under which @r applies (its "when" holds). */
static CtFacts *
applicable_facts (const CtRule *r)
{
  CtFacts *facts = ct_facts_new ();

  ct_facts_set_string (facts, "now", T0_PLUS);
  if (r->when != NULL)
    satisfy (r->when, facts);
  return facts;
}

/* Adds what the rule asks for. */
static void
satisfy_rule (const CtRule *r,
              CtFacts      *facts)
{
  g_autofree char *name = NULL;

  switch (r->kind)
    {
    case CT_RULE_FORM:
      name = g_strconcat ("form.", r->form, NULL);
      ct_facts_set_boolean (facts, name, TRUE);
      g_free (name);
      name = g_strconcat ("form.", r->form, ".complete", NULL);
      ct_facts_set_boolean (facts, name, TRUE);
      break;
    case CT_RULE_FIELD:
      name = g_strconcat ("form.", r->form, ".", r->field, NULL);
      if (r->equals != NULL)
        ct_facts_set (facts, name, json_node_copy (r->equals));
      else
        ct_facts_set_string (facts, name, "已填写");
      break;
    case CT_RULE_AV_RECORD:
      name = g_strconcat ("form.", r->form, ".", r->field, NULL);
      ct_facts_set (facts, name, parse (CLIP));
      break;
    case CT_RULE_APPROVAL:
      name = g_strdup_printf ("approval.%s.%s", r->subject, ct_role_to_id (r->role));
      ct_facts_set_boolean (facts, name, TRUE);
      g_free (name);
      name = g_strdup_printf ("approval.%s.at", r->subject);
      ct_facts_set_string (facts, name, T0);
      break;
    case CT_RULE_CONDITION:
      satisfy (r->condition, facts);
      break;
    case CT_RULE_DEADLINE:
      ct_facts_set_string (facts, r->from, T0);
      /* A minimum period is met by an act long after the start. */
      ct_facts_set_string (facts, r->until, r->minimum ? FAR_LATER : T0_PLUS);
      ct_facts_set_string (facts, "now", T0_PLUS);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Takes away what the rule asks for; @variant 1 tries a second way to miss
 * it (a wrong value, a wrong role, an empty clip list).  Returns FALSE when
 * the kind has no second way. */
static gboolean
break_rule (const CtRule *r,
            CtFacts      *facts,
            guint         variant)
{
  g_autofree char *name = NULL;

  switch (r->kind)
    {
    case CT_RULE_FORM:
      if (variant > 0)
        return FALSE;
      /* Made, but not complete. */
      name = g_strconcat ("form.", r->form, NULL);
      ct_facts_set_boolean (facts, name, TRUE);
      return TRUE;
    case CT_RULE_FIELD:
      name = g_strconcat ("form.", r->form, ".", r->field, NULL);
      if (variant == 0)
        ct_facts_set_string (facts, name, NULL);
      else if (r->equals != NULL)
        ct_facts_set (facts, name, other_value (r->equals));
      else
        ct_facts_set_string (facts, name, "");
      return TRUE;
    case CT_RULE_AV_RECORD:
      name = g_strconcat ("form.", r->form, ".", r->field, NULL);
      if (variant == 0)
        ct_facts_set_string (facts, name, NULL);
      else
        ct_facts_set (facts, name, parse ("[]"));
      return TRUE;
    case CT_RULE_APPROVAL:
      if (variant > 0)
        {
          /* Signed, but by the other role. */
          name = g_strdup_printf ("approval.%s.%s", r->subject,
                                  r->role == CT_ROLE_SUPERVISOR ? "legal_reviewer" : "supervisor");
          ct_facts_set_boolean (facts, name, TRUE);
        }
      return TRUE;
    case CT_RULE_CONDITION:
      if (variant > 0)
        return FALSE;
      falsify (r->condition, facts);
      return TRUE;
    case CT_RULE_DEADLINE:
      if (r->minimum)
        {
          if (variant > 0)
            return FALSE;
          /* Too soon after the start. */
          ct_facts_set_string (facts, r->from, T0);
          ct_facts_set_string (facts, r->until, T0_PLUS);
          ct_facts_set_string (facts, "now", T0);
          return TRUE;
        }
      ct_facts_set_string (facts, r->from, LONG_AGO);
      if (variant == 0)
        {
          /* Still open long after it was due. */
          ct_facts_set_string (facts, r->until, NULL);
          ct_facts_set_string (facts, "now", FAR_LATER);
        }
      else
        {
          /* Done, but late. */
          ct_facts_set_string (facts, r->until, FAR_LATER);
          ct_facts_set_string (facts, "now", FAR_LATER);
        }
      return TRUE;
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

static CtReqState
evaluate (CtRuleSet    *set,
          CtCalendar   *calendar,
          const CtRule *r,
          CtFacts      *facts,
          char        **reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reqs = ct_ruleset_evaluate (set, r->procedure, r->stage, facts, calendar, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < reqs->len; i++)
    {
      CtRequirement *req = reqs->pdata[i];
      if (req->rule == r)
        {
          if (reason != NULL)
            *reason = g_strdup (req->reason);
          return req->state;
        }
    }
  g_error ("rule %s is not evaluated in %s/%s", r->id, r->procedure, r->stage);
  return CT_REQ_NOT_APPLICABLE;
}

static const char *
state_name (CtReqState s)
{
  return ct_req_state_to_id (s);
}

static guint
exercise_stack (const char *stack,
                CtCalendar *calendar)
{
  g_autoptr(CtRuleSet) set = load_stack (stack);
  GPtrArray *rules = ct_ruleset_get_rules (set);
  guint blocking = 0;

  for (guint i = 0; i < rules->len; i++)
    {
      const CtRule *r = rules->pdata[i];
      CtReqState st;

      /* Satisfied. */
      {
        g_autoptr(CtFacts) facts = applicable_facts (r);
        satisfy_rule (r, facts);
        if (r->when != NULL && !ct_condition_eval (r->when, facts))
          g_error ("%s: rule %s: what satisfies it also switches it off (its “when” no longer holds)", stack, r->id);
        st = evaluate (set, calendar, r, facts, NULL);
        if (st != CT_REQ_SATISFIED)
          g_error ("%s: rule %s should be satisfied, is %s", stack, r->id, state_name (st));
      }

      /* Missing: it blocks (or warns). */
      for (guint variant = 0; variant < 2; variant++)
        {
          g_autoptr(CtFacts) facts = applicable_facts (r);
          g_autofree char *reason = NULL;

          if (!break_rule (r, facts, variant))
            continue;
          if (r->when != NULL && !ct_condition_eval (r->when, facts))
            g_error ("%s: rule %s: breaking it also switches it off", stack, r->id);
          st = evaluate (set, calendar, r, facts, &reason);
          if (st != CT_REQ_MISSING)
            g_error ("%s: rule %s (way %u) should be missing, is %s", stack, r->id, variant, state_name (st));
          g_assert_nonnull (reason);
          g_assert_cmpstr (reason, !=, "");
        }

      /* Not applicable when its "when" does not hold. */
      if (r->when != NULL)
        {
          g_autoptr(CtFacts) facts = ct_facts_new ();
          ct_facts_set_string (facts, "now", T0_PLUS);
          falsify (r->when, facts);
          st = evaluate (set, calendar, r, facts, NULL);
          if (st != CT_REQ_NOT_APPLICABLE)
            g_error ("%s: rule %s should not apply when its “when” is false, is %s", stack, r->id, state_name (st));
        }

      if (r->severity == CT_SEVERITY_BLOCK)
        blocking++;
    }
  g_test_message ("stack %s: %u rules exercised (%u blocking, %u warnings)", stack, rules->len, blocking,
                  rules->len - blocking);
  return rules->len;
}

static void
test_every_rule (void)
{
  g_autoptr(CtCalendar) calendar = load_calendar ();
  g_autoptr(GHashTable) distinct = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint total = 0;

  for (guint s = 0; stacks[s] != NULL; s++)
    {
      guint n = exercise_stack (stacks[s], calendar);
      g_autoptr(CtRuleSet) set = load_stack (stacks[s]);
      GPtrArray *rules = ct_ruleset_get_rules (set);

      if (s == 0)
        g_assert_cmpuint (n, >=, 60);   /* the default stack */
      total += n;
      for (guint i = 0; i < rules->len; i++)
        {
          const CtRule *r = rules->pdata[i];
          g_hash_table_add (distinct, g_strdup_printf ("%s@%s", r->id, r->pack));
        }
    }
  g_test_message ("%u rule evaluations over %u stacks; %u distinct rules (id and pack) exercised",
                  total, g_strv_length ((char **) stacks), g_hash_table_size (distinct));
}

/* ---- whole cases ------------------------------------------------------------------------------ */

typedef struct {
  const char *name;
  const char *json;   /* JSON value */
} Fact;

static void
set_facts (CtFacts    *facts,
           const Fact *list)
{
  for (guint i = 0; list[i].name != NULL; i++)
    ct_facts_set (facts, list[i].name, parse (list[i].json));
}

/* Forms every complete general case has. */
static const Fact general_base[] = {
  { "now", "\"2026-05-07T02:00:00Z\"" },
  { "case.certified_officers", "2" },
  { "media.late", "0" },
  { "media.interruptions.unexplained", "0" },
  { "case.party_kind", "\"organization\"" },
  { "case.source", "\"inspection\"" },
  { "case.has_source_detail", "false" },
  { "stage.filing.entered_at", "\"2026-03-02T01:00:00Z\"" },
  { "stage.decision.left_at", "\"2026-04-01T01:00:00Z\"" },
  { "stage.archive.entered_at", "\"2026-05-06T01:00:00Z\"" },
  { "form.filing_approval", "true" }, { "form.filing_approval.complete", "true" },
  { "form.filing_approval.source", "\"inspection\"" }, { "form.filing_approval.emergency_start", "false" },
  { "approval.filing.supervisor", "true" }, { "approval.filing.at", "\"2026-03-02T02:00:00Z\"" },
  { "form.questioning_record", "true" }, { "form.questioning_record.complete", "true" },
  { "form.questioning_record.certificates_shown", "true" }, { "form.questioning_record.av_notified", "true" },
  { "form.questioning_record.officer_cert_numbers", "\"22010001, 22010002\"" },
  { "form.questioning_record.refused", "false" },
  { "form.questioning_record.av_recording", CLIP },
  { "form.investigation_final_report", "true" }, { "form.investigation_final_report.complete", "true" },
  { "form.legal_review_opinion", "true" }, { "form.legal_review_opinion.complete", "true" },
  { "form.legal_review_opinion.opinion", "\"pass\"" },
  { "approval.legal_review.legal_reviewer", "true" },
  { "form.decision_approval", "true" }, { "form.decision_approval.complete", "true" },
  { "form.decision_approval.collective_discussion_needed", "false" },
  { "form.decision_approval.major_decision", "false" },
  { "form.decision_approval.hearing_held", "false" },
  { "approval.decision.supervisor", "true" },
  { "form.closing_report", "true" }, { "form.closing_report.complete", "true" },
  { "form.closing_report.performance", "\"已全额缴纳罚款。\"" },
  { NULL, NULL }
};

/* A penalty with a hearing, decided by collective discussion, served in person. */
static const Fact general_penalty_heard[] = {
  { "flag.hearing_requested", "true" },
  { "flag.complex", "true" },
  { "form.investigation_final_report.proposed_outcome", "\"penalty\"" },
  { "form.prior_notice", "true" }, { "form.prior_notice.complete", "true" },
  { "form.prior_notice.hearing_eligible", "true" },
  { "form.statement_defence_record", "true" }, { "form.statement_defence_record.complete", "true" },
  { "form.hearing_notice_of_rights", "true" }, { "form.hearing_notice_of_rights.complete", "true" },
  { "form.hearing_notice_of_rights.issued_on", "\"2026-03-10\"" },
  { "form.hearing_notification", "true" }, { "form.hearing_notification.complete", "true" },
  { "form.hearing_notification.chair_not_investigator", "true" },
  { "form.hearing_notification.requested_on", "\"2026-03-12\"" },
  { "form.hearing_record", "true" }, { "form.hearing_record.complete", "true" },
  { "form.hearing_record.av_recording", CLIP },
  { "form.hearing_report", "true" }, { "form.hearing_report.complete", "true" },
  { "form.collective_discussion_record", "true" }, { "form.collective_discussion_record.complete", "true" },
  { "form.decision_approval.outcome", "\"penalty\"" },
  { "form.decision_approval.hearing_held", "true" },
  { "form.decision_approval.collective_discussion_needed", "true" },
  { "form.penalty_decision", "true" }, { "form.penalty_decision.complete", "true" },
  { "form.service_receipt", "true" }, { "form.service_receipt.complete", "true" },
  { "form.service_receipt.method", "\"direct\"" },
  { "form.service_receipt.recipient_signature", "{\"signer\": \"周某某\", \"signed_at\": \"2026-04-02T09:00:00+08:00\"}" },
  { "form.service_receipt.served_at", "\"2026-04-02T01:00:00Z\"" },
  { "form.service_receipt.service_av", CLIP },
  { "form.service_receipt.signed_receipt", "{\"media\": \"5ca9\", \"label\": \"送达回证签收页\"}" },
  { NULL, NULL }
};

/* A suspected crime transferred to the judicial organs: no rights notice, no service. */
static const Fact general_transfer[] = {
  { "form.investigation_final_report.proposed_outcome", "\"transfer\"" },
  { "form.decision_approval.outcome", "\"transfer\"" },
  { "form.transfer_letter", "true" }, { "form.transfer_letter.complete", "true" },
  { NULL, NULL }
};

/* Not filed, with a named reporter told the result. */
static const Fact general_not_filed[] = {
  { "now", "\"2026-03-03T02:00:00Z\"" },
  { "case.certified_officers", "2" },
  { "media.late", "0" },
  { "media.interruptions.unexplained", "0" },
  { "stage.filing.entered_at", "\"2026-03-02T01:00:00Z\"" },
  { "form.not_filed_approval", "true" }, { "form.not_filed_approval.complete", "true" },
  { "form.not_filed_approval.has_named_complainant", "true" },
  { "form.not_filed_notice", "true" }, { "form.not_filed_notice.complete", "true" },
  { "approval.not_filed.supervisor", "true" },
  { NULL, NULL }
};

static const Fact simplified_case[] = {
  { "now", "\"2026-03-03T02:00:00Z\"" },
  { "case.certified_officers", "2" },
  { "media.late", "0" },
  { "media.interruptions.unexplained", "0" },
  { "case.party_kind", "\"person\"" },
  { "flag.fine_amount", "100" },
  { "stage.archive.entered_at", "\"2026-03-02T05:00:00Z\"" },
  { "form.on_the_spot_decision", "true" }, { "form.on_the_spot_decision.complete", "true" },
  { "form.on_the_spot_decision.certificates_shown", "true" },
  { "form.on_the_spot_decision.rights_told", "true" },
  { "form.on_the_spot_decision.handed_over", "true" },
  { "form.on_the_spot_decision.av_recording", CLIP },
  { "form.closing_report", "true" }, { "form.closing_report.complete", "true" },
  { NULL, NULL }
};

static const Fact inspection_case[] = {
  { "now", "\"2026-03-20T02:00:00Z\"" },
  { "case.certified_officers", "2" },
  { "media.late", "0" },
  { "media.interruptions.unexplained", "0" },
  { "flag.drawn_inspectors", "\"h1,h2\"" },
  { "case.source", "\"inspection\"" },
  { "stage.archive.entered_at", "\"2026-03-19T05:00:00Z\"" },
  { "form.inspection_notice", "true" }, { "form.inspection_notice.complete", "true" },
  { "form.inspection_notice.random_selection", "true" },
  { "form.inspection_notice.inspection_reason", "\"年度双随机抽查。\"" },
  { "form.inspection_record", "true" }, { "form.inspection_record.complete", "true" },
  { "form.inspection_record.certificates_shown", "true" }, { "form.inspection_record.av_notified", "true" },
  { "form.inspection_record.officer_cert_numbers", "\"22010001, 22010002\"" },
  { "form.inspection_record.av_recording", CLIP },
  { "form.inspection_report", "true" }, { "form.inspection_report.complete", "true" },
  { "form.inspection_report.major", "false" }, { "form.inspection_report.penalty_possible", "true" },
  { "approval.inspection_report.supervisor", "true" },
  { "approval.penalty_referral.supervisor", "true" },
  { NULL, NULL }
};

static const Fact coercive_case[] = {
  { "now", "\"2026-03-20T02:00:00Z\"" },
  { "case.certified_officers", "2" },
  { "media.late", "0" },
  { "media.interruptions.unexplained", "0" },
  { "stage.measure.entered_at", "\"2026-03-02T05:00:00Z\"" },
  { "stage.archive.entered_at", "\"2026-03-19T05:00:00Z\"" },
  { "approval.measure.supervisor", "true" }, { "approval.measure.at", "\"2026-03-02T03:00:00Z\"" },
  { "form.onsite_record", "true" }, { "form.onsite_record.complete", "true" },
  { "form.onsite_record.measure_kind", "\"seize\"" },
  { "form.onsite_record.certificates_shown", "true" }, { "form.onsite_record.av_notified", "true" },
  { "form.onsite_record.party_notified", "true" }, { "form.onsite_record.party_present", "true" },
  { "form.onsite_record.reasons_told", "true" }, { "form.onsite_record.statement_heard", "true" },
  { "form.onsite_record.av_recording", CLIP },
  { "form.seizure_decision", "true" }, { "form.seizure_decision.complete", "true" },
  { "form.seizure_decision.term_days", "30" },
  { "form.service_receipt", "true" }, { "form.service_receipt.complete", "true" },
  { "form.service_receipt.method", "\"direct\"" },
  { "form.service_receipt.service_av", CLIP },
  { "form.service_receipt.signed_receipt", "{\"media\": \"5ca9\", \"label\": \"送达回证签收页\"}" },
  { "form.closing_report", "true" }, { "form.closing_report.complete", "true" },
  { NULL, NULL }
};

static const Fact complaint_case[] = {
  { "now", "\"2026-03-20T02:00:00Z\"" },
  { "case.has_source_detail", "true" },
  { "form.complaint_registration", "true" }, { "form.complaint_registration.complete", "true" },
  { "form.complaint_registration.acceptance", "\"accepted\"" },
  { "form.complaint_reply", "true" }, { "form.complaint_reply.complete", "true" },
  { "form.complaint_reply.onsite_handling", "false" }, { "form.complaint_reply.extended", "false" },
  { "stage.acceptance.entered_at", "\"2026-03-02T01:00:00Z\"" },
  { "stage.acceptance.left_at", "\"2026-03-04T01:00:00Z\"" },
  { "stage.conclusion.entered_at", "\"2026-03-04T01:00:00Z\"" },
  { "stage.conclusion.left_at", "\"2026-03-18T01:00:00Z\"" },
  { NULL, NULL }
};

/* Walks @procedure from its first stage, checking at each stage that
 * nothing is missing, and returns the path taken. */
static char *
walk (CtRuleSet  *set,
      CtCalendar *calendar,
      const char *stack,
      const char *procedure,
      CtFacts    *facts)
{
  const CtProcedureDef *proc = ct_ruleset_get_procedure (set, procedure);
  g_autoptr(GString) path = g_string_new (NULL);
  const char *stage = ((CtStageDef *) proc->stages->pdata[0])->id;

  while (stage != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) reqs = ct_ruleset_evaluate (set, procedure, stage, facts, calendar, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < reqs->len; i++)
        {
          CtRequirement *r = reqs->pdata[i];
          if (r->state == CT_REQ_MISSING)
            g_error ("%s: %s case at %s: %s is missing: %s", stack, procedure, stage, r->rule->id, r->reason);
        }
      if (path->len > 0)
        g_string_append (path, " → ");
      g_string_append (path, stage);
      stage = ct_ruleset_next_stage (set, procedure, stage, facts);
    }
  return g_string_free (g_steal_pointer (&path), FALSE);
}

static void
test_whole_cases (void)
{
  g_autoptr(CtCalendar) calendar = load_calendar ();

  for (guint s = 0; stacks[s] != NULL; s++)
    {
      g_autoptr(CtRuleSet) set = load_stack (stacks[s]);

      {
        g_autoptr(CtFacts) facts = ct_facts_new ();
        g_autofree char *path = NULL;
        set_facts (facts, general_base);
        set_facts (facts, general_penalty_heard);
        path = walk (set, calendar, stacks[s], "general", facts);
        g_assert_cmpstr (path, ==, "filing → investigation → rights_notice → hearing → legal_review → "
                                   "collective_discussion → decision → service → enforcement → archive → archived");
      }
      {
        g_autoptr(CtFacts) facts = ct_facts_new ();
        g_autofree char *path = NULL;
        set_facts (facts, general_base);
        set_facts (facts, general_transfer);
        path = walk (set, calendar, stacks[s], "general", facts);
        g_assert_cmpstr (path, ==, "filing → investigation → legal_review → decision → archive → archived");
      }
      {
        g_autoptr(CtFacts) facts = ct_facts_new ();
        g_autoptr(GPtrArray) reqs = NULL;
        const CtProcedureDef *proc = ct_ruleset_get_procedure (set, "general");
        gboolean branch = FALSE;

        set_facts (facts, general_not_filed);
        reqs = ct_ruleset_evaluate (set, "general", "filing", facts, calendar, NULL);
        for (guint i = 0; i < reqs->len; i++)
          {
            CtRequirement *r = reqs->pdata[i];
            if (r->state == CT_REQ_MISSING)
              g_error ("%s: not-filed case: %s is missing: %s", stacks[s], r->rule->id, r->reason);
          }
        for (guint i = 0; i < proc->branches->len; i++)
          {
            CtBranch *b = proc->branches->pdata[i];
            if (strcmp (b->from, "filing") == 0 && strcmp (b->to, "closed") == 0)
              branch = ct_condition_eval (b->when, facts);
          }
        g_assert_true (branch);
        /* Without the head's signature it may not close. */
        ct_facts_set_string (facts, "approval.not_filed.supervisor", NULL);
        for (guint i = 0; i < proc->branches->len; i++)
          g_assert_false (ct_condition_eval (((CtBranch *) proc->branches->pdata[i])->when, facts));
      }
      {
        g_autoptr(CtFacts) facts = ct_facts_new ();
        g_autofree char *path = NULL;
        set_facts (facts, simplified_case);
        path = walk (set, calendar, stacks[s], "simplified", facts);
        g_assert_cmpstr (path, ==, "on_the_spot → archive → archived");
      }
      {
        g_autoptr(CtFacts) facts = ct_facts_new ();
        g_autofree char *path = NULL;
        set_facts (facts, inspection_case);
        path = walk (set, calendar, stacks[s], "inspection", facts);
        g_assert_cmpstr (path, ==, "notice → inspection → report → archive → archived");
      }
      {
        g_autoptr(CtFacts) facts = ct_facts_new ();
        g_autofree char *path = NULL;
        set_facts (facts, coercive_case);
        path = walk (set, calendar, stacks[s], "coercive", facts);
        g_assert_cmpstr (path, ==, "filing → measure → decision → service → archive → archived");
      }
      {
        g_autoptr(CtFacts) facts = ct_facts_new ();
        g_autofree char *path = NULL;
        set_facts (facts, complaint_case);
        path = walk (set, calendar, stacks[s], "complaint", facts);
        g_assert_cmpstr (path, ==, "acceptance → conclusion → archive → archived");
      }
    }
}

/* The default stack on a fresh case: what the store shows for a case just
 * opened (two handlers, nothing filled in) blocks at filing, citing the law. */
static void
test_fresh_case_blocks (void)
{
  g_autoptr(CtRuleSet) set = load_stack (stacks[0]);
  g_autoptr(CtCalendar) calendar = load_calendar ();
  g_autoptr(CtFacts) facts = ct_facts_new ();
  g_autoptr(GPtrArray) reqs = NULL;
  g_autoptr(GError) error = NULL;
  guint blocked = 0;

  ct_facts_set_string (facts, "now", T0_PLUS);
  ct_facts_set_int (facts, "case.certified_officers", 2);
  ct_facts_set_string (facts, "stage.filing.entered_at", T0);
  reqs = ct_ruleset_evaluate (set, "general", "filing", facts, calendar, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < reqs->len; i++)
    {
      CtRequirement *r = reqs->pdata[i];
      if (r->state == CT_REQ_MISSING && r->rule->severity == CT_SEVERITY_BLOCK)
        {
          g_autofree char *basis = ct_basis_format (&r->rule->basis);
          g_assert_nonnull (strstr (basis, "第"));
          blocked++;
        }
    }
  /* The filing form and the head's approval. */
  g_assert_cmpuint (blocked, ==, 2);

  /* An emergency start needs no approval at filing; the approval follows
   * within 24 hours and is required to leave the investigation. */
  ct_facts_set_boolean (facts, "form.filing_approval", TRUE);
  ct_facts_set_boolean (facts, "form.filing_approval.complete", TRUE);
  ct_facts_set_boolean (facts, "form.filing_approval.emergency_start", TRUE);
  ct_facts_set_string (facts, "form.filing_approval.emergency_started_at", "2026-03-02T09:00:00+08:00");
  g_clear_pointer (&reqs, g_ptr_array_unref);
  reqs = ct_ruleset_evaluate (set, "general", "filing", facts, calendar, &error);
  for (guint i = 0; i < reqs->len; i++)
    g_assert_cmpint (((CtRequirement *) reqs->pdata[i])->state, !=, CT_REQ_MISSING);

  ct_facts_set_string (facts, "now", "2026-03-03T02:00:00Z");   /* 25 hours later */
  g_clear_pointer (&reqs, g_ptr_array_unref);
  reqs = ct_ruleset_evaluate (set, "general", "investigation", facts, calendar, &error);
  for (guint i = 0; i < reqs->len; i++)
    {
      CtRequirement *r = reqs->pdata[i];
      if (strcmp (r->rule->id, "002.general.investigation.late-approval-24h") == 0)
        {
          g_assert_cmpint (r->state, ==, CT_REQ_MISSING);
          g_assert_cmpint (r->deadline_state, ==, CT_DEADLINE_OVERDUE);
        }
      if (strcmp (r->rule->id, "002.general.investigation.late-approval") == 0)
        g_assert_cmpint (r->state, ==, CT_REQ_MISSING);
    }
}

/* Overrides tighten, never loosen: a rule a later pack replaces keeps at
 * least its severity, its procedure and its stage. */
static void
test_overrides_tighten (void)
{
  for (guint s = 0; stacks[s] != NULL; s++)
    {
      g_auto(GStrv) ids = g_strsplit (stacks[s], ",", -1);

      for (guint n = 1; ids[n] != NULL; n++)
        {
          g_autofree char *before_stack = NULL;
          g_autofree char *after_stack = NULL;
          g_autoptr(CtRuleSet) before = NULL;
          g_autoptr(CtRuleSet) after = NULL;
          GPtrArray *rules;
          char *saved = ids[n + 1];

          ids[n + 1] = NULL;
          after_stack = g_strjoinv (",", ids);
          ids[n + 1] = saved;
          saved = ids[n];
          ids[n] = NULL;
          before_stack = g_strjoinv (",", ids);
          ids[n] = saved;

          before = load_stack (before_stack);
          after = load_stack (after_stack);
          rules = ct_ruleset_get_rules (before);
          for (guint i = 0; i < rules->len; i++)
            {
              const CtRule *old = rules->pdata[i];
              const CtRule *new = ct_ruleset_lookup_rule (after, old->id);

              g_assert_nonnull (new);
              if (new == NULL || strcmp (new->pack, old->pack) == 0)
                continue;
              if (old->severity == CT_SEVERITY_BLOCK && new->severity != CT_SEVERITY_BLOCK)
                g_error ("%s: %s loosens %s from block to warn", after_stack, new->pack, old->id);
              g_assert_cmpstr (new->procedure, ==, old->procedure);
              g_assert_cmpstr (new->stage, ==, old->stage);
              g_assert_cmpint (new->kind, ==, old->kind);
            }
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rulepacks/validate", test_validate);
  g_test_add_func ("/rulepacks/stacks", test_stacks);
  g_test_add_func ("/rulepacks/references", test_references);
  g_test_add_func ("/rulepacks/every-rule", test_every_rule);
  g_test_add_func ("/rulepacks/overrides-tighten", test_overrides_tighten);
  g_test_add_func ("/rulepacks/whole-cases", test_whole_cases);
  g_test_add_func ("/rulepacks/fresh-case-blocks", test_fresh_case_blocks);
  return g_test_run ();
}

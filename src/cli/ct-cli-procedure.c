#define G_LOG_DOMAIN "casetrail-cli"

/* casetrail-cli: the checklist, moving cases through their stages, forms. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-cli.h"
#include "ct-error.h"

/* A case id or number → the case (viewing it is audited). */
static CtCase *
resolve_case (Cli        *cli,
              CtSession  *session,
              const char *ref,
              GError    **error)
{
  return ct_store_get_case (cli->store, session, ref, error);
}

/* The signed-in user and the case every case command starts from. */
static int
open_case (Cli         *cli,
           const char  *case_ref,
           CtSession  **session,
           CtCase     **c)
{
  g_autoptr(GError) error = NULL;

  *session = ct_cli_login (cli, &error);
  if (*session == NULL)
    return ct_cli_fail (error);
  *c = resolve_case (cli, *session, case_ref, &error);
  if (*c == NULL)
    return ct_cli_fail (error);
  return CT_EXIT_OK;
}

static const char *
state_mark (const CtRequirement *r)
{
  switch (r->state)
    {
    case CT_REQ_SATISFIED:
      return "✓";
    case CT_REQ_NOT_APPLICABLE:
      return "–";
    case CT_REQ_MISSING:
    default:
      return r->rule->severity == CT_SEVERITY_BLOCK ? "✗" : "!";
    }
}

static const char *
rule_kind_id (CtRuleKind kind)
{
  switch (kind)
    {
    case CT_RULE_FORM: return "form";
    case CT_RULE_FIELD: return "field";
    case CT_RULE_APPROVAL: return "approval";
    case CT_RULE_AV_RECORD: return "av-record";
    case CT_RULE_DEADLINE: return "deadline";
    case CT_RULE_CONDITION:
    default: return "condition";
    }
}

static void
add_requirement_json (JsonBuilder         *b,
                      const CtRequirement *r)
{
  g_autofree char *basis = ct_basis_format (&r->rule->basis);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rule");
  json_builder_add_string_value (b, r->rule->id);
  json_builder_set_member_name (b, "pack");
  json_builder_add_string_value (b, r->rule->pack);
  json_builder_set_member_name (b, "stage");
  json_builder_add_string_value (b, r->rule->stage);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, r->rule->title);
  json_builder_set_member_name (b, "title_en");
  json_builder_add_string_value (b, r->rule->title_en);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, rule_kind_id (r->rule->kind));
  if (r->rule->form != NULL)
    {
      json_builder_set_member_name (b, "form");
      json_builder_add_string_value (b, r->rule->form);
    }
  if (r->rule->field != NULL)
    {
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, r->rule->field);
    }
  if (r->rule->equals != NULL)
    {
      json_builder_set_member_name (b, "equals");
      json_builder_add_value (b, json_node_copy (r->rule->equals));
    }
  if (r->rule->subject != NULL)
    {
      json_builder_set_member_name (b, "subject");
      json_builder_add_string_value (b, r->rule->subject);
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, ct_role_to_id (r->rule->role));
    }
  json_builder_set_member_name (b, "severity");
  json_builder_add_string_value (b, r->rule->severity == CT_SEVERITY_BLOCK ? "block" : "warn");
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, ct_req_state_to_id (r->state));
  json_builder_set_member_name (b, "reason");
  if (r->reason != NULL)
    json_builder_add_string_value (b, r->reason);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "basis");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, r->rule->basis.file);
  json_builder_set_member_name (b, "article");
  json_builder_add_string_value (b, r->rule->basis.article);
  json_builder_set_member_name (b, "clause");
  if (r->rule->basis.clause)
    json_builder_add_string_value (b, r->rule->basis.clause);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, basis);
  json_builder_end_object (b);
  if (r->due != NULL)
    {
      g_autofree char *due = g_date_time_format_iso8601 (r->due);
      json_builder_set_member_name (b, "due");
      json_builder_add_string_value (b, due);
      json_builder_set_member_name (b, "deadline");
      json_builder_add_string_value (b, ct_deadline_state_to_id (r->deadline_state));
    }
  json_builder_end_object (b);
}

int
ct_cli_case_check (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtCase) c = NULL;
  int rc;
  g_autoptr(GPtrArray) reqs = NULL;
  g_autofree char *stage = NULL;
  guint blocking = 0;
  GOptionEntry entries[] = {
    { "stage", 0, 0, G_OPTION_ARG_STRING, &stage, N_("Check another stage than the current one"), N_("STAGE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("case check", entries, &argc, &argv, N_("CASE")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("case check needs one case id or number."));
  rc = open_case (cli, argv[1], &session, &c);
  if (rc != CT_EXIT_OK)
    return rc;
  reqs = ct_store_check_case (cli->store, c->id, stage, &error);
  if (reqs == NULL)
    return ct_cli_fail (error);

  for (guint i = 0; i < reqs->len; i++)
    {
      CtRequirement *r = reqs->pdata[i];
      if (r->state == CT_REQ_MISSING && r->rule->severity == CT_SEVERITY_BLOCK)
        blocking++;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "case");
      json_builder_add_string_value (b, c->number);
      json_builder_set_member_name (b, "stage");
      json_builder_add_string_value (b, stage ? stage : c->stage);
      json_builder_set_member_name (b, "blocked");
      json_builder_add_boolean_value (b, blocking > 0);
      json_builder_set_member_name (b, "requirements");
      json_builder_begin_array (b);
      for (guint i = 0; i < reqs->len; i++)
        add_requirement_json (b, reqs->pdata[i]);
      json_builder_end_array (b);
      json_builder_end_object (b);
      ct_cli_print_json (b);
      return CT_EXIT_OK;
    }

  g_print (_("%s — stage “%s”\n"), c->number, ct_choice_label (ct_case_stages (), stage ? stage : c->stage));
  for (guint i = 0; i < reqs->len; i++)
    {
      CtRequirement *r = reqs->pdata[i];
      g_autofree char *basis = ct_basis_format (&r->rule->basis);
      g_print ("  %s %s  [%s]\n", state_mark (r), r->rule->title, basis);
      if (r->reason != NULL && r->state == CT_REQ_MISSING)
        g_print ("      %s\n", r->reason);
    }
  if (blocking > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE, "%u requirement blocks this stage.\n",
                          "%u requirements block this stage.\n", blocking), blocking);
  else
    g_print (_("Nothing blocks this stage.\n"));
  return CT_EXIT_OK;
}

int
ct_cli_case_advance (Cli   *cli,
                     int    argc,
                     char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtCase) c = NULL;
  int rc;
  g_autofree char *to = NULL;
  g_autofree char *stage = NULL;
  GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Take a branch to STAGE instead of the next stage"), N_("STAGE") },
    { NULL }
  };

  if (!ct_cli_parse_options ("case advance", entries, &argc, &argv, N_("CASE")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("case advance needs one case id or number."));
  rc = open_case (cli, argv[1], &session, &c);
  if (rc != CT_EXIT_OK)
    return rc;
  stage = ct_store_advance_case (cli->store, session, c->id, to, &error);
  if (stage == NULL)
    return ct_cli_fail (error);
  g_print (_("Case %s is now at stage “%s”.\n"), c->number, ct_choice_label (ct_case_stages (), stage));
  return CT_EXIT_OK;
}

int
ct_cli_case_flag (Cli   *cli,
                  int    argc,
                  char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtCase) c = NULL;
  int rc;
  gboolean clear = FALSE;
  GOptionEntry entries[] = {
    { "clear", 0, 0, G_OPTION_ARG_NONE, &clear, N_("Remove the flag"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("case flag", entries, &argc, &argv, N_("CASE FLAG [VALUE]")))
    return CT_EXIT_USAGE;
  if ((clear && argc != 3) || (!clear && argc != 4))
    return ct_cli_usage_error (_("case flag needs CASE FLAG VALUE, or CASE FLAG --clear."));
  rc = open_case (cli, argv[1], &session, &c);
  if (rc != CT_EXIT_OK)
    return rc;
  if (!ct_store_set_flag (cli->store, session, c->id, argv[2], clear ? NULL : argv[3], &error))
    return ct_cli_fail (error);
  return CT_EXIT_OK;
}

int
ct_cli_case_draw (Cli   *cli,
                  int    argc,
                  char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtCase) c = NULL;
  int rc;
  g_auto(GStrv) drawn = NULL;
  g_autofree char *list = NULL;
  int count = 2;
  GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &count, N_("How many inspectors to draw (default 2)"), N_("N") },
    { NULL }
  };

  if (!ct_cli_parse_options ("case draw-inspectors", entries, &argc, &argv, N_("CASE")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("case draw-inspectors needs one case id or number."));
  if (count < 0)
    return ct_cli_usage_error (_("--count must be a positive number."));
  rc = open_case (cli, argv[1], &session, &c);
  if (rc != CT_EXIT_OK)
    return rc;
  drawn = ct_store_draw_inspectors (cli->store, session, c->id, (guint) count, &error);
  if (drawn == NULL)
    return ct_cli_fail (error);
  list = g_strjoinv (", ", drawn);
  g_print (_("Case %s: inspectors drawn at random: %s\n"), c->number, list);
  return CT_EXIT_OK;
}

/* What form fill and form show both start with: the signed-in user, the
 * case (its viewing audited) and the template. */
static int
open_case_form (Cli                   *cli,
                const char            *case_ref,
                const char            *template_id,
                CtSession            **session,
                CtCase               **c,
                const CtFormTemplate **t)
{
  g_autoptr(GError) error = NULL;
  CtFormRegistry *forms;
  int rc;

  rc = open_case (cli, case_ref, session, c);
  if (rc != CT_EXIT_OK)
    return rc;
  forms = ct_store_get_forms (cli->store, &error);
  if (forms == NULL)
    return ct_cli_fail (error);
  *t = ct_form_registry_lookup (forms, template_id);
  if (*t == NULL)
    return ct_cli_usage_error (_("There is no form template “%s”; “casetrail-cli form list” shows them."), template_id);
  return CT_EXIT_OK;
}

/* --set FIELD=VALUE: the text is read according to the field's type. */
static JsonNode *
parse_value (const CtFieldDef *f,
             const char       *text,
             GError          **error)
{
  JsonNode *node = NULL;

  switch (f->type)
    {
    case CT_FIELD_BOOLEAN:
      if (g_strv_contains ((const char * const[]) { "true", "yes", "1", "是", NULL }, text))
        node = json_node_init_boolean (json_node_alloc (), TRUE);
      else if (g_strv_contains ((const char * const[]) { "false", "no", "0", "否", NULL }, text))
        node = json_node_init_boolean (json_node_alloc (), FALSE);
      break;
    case CT_FIELD_NUMBER:
      {
        char *end = NULL;
        double d = g_ascii_strtod (text, &end);
        if (end != text && *end == '\0')
          node = (d == (gint64) d) ? json_node_init_int (json_node_alloc (), (gint64) d)
                                   : json_node_init_double (json_node_alloc (), d);
        break;
      }
    case CT_FIELD_OFFICERS:
      {
        g_auto(GStrv) names = g_strsplit (text, ",", -1);
        JsonArray *arr = json_array_new ();
        for (guint i = 0; names[i]; i++)
          if (*g_strstrip (names[i]) != '\0')
            json_array_add_string_element (arr, names[i]);
        node = json_node_init_array (json_node_alloc (), arr);
        json_array_unref (arr);
        break;
      }
    case CT_FIELD_PARTY:
    case CT_FIELD_SIGNATURE:
    case CT_FIELD_CLIP:
    case CT_FIELD_SCAN:
      {
        g_autoptr(JsonParser) p = json_parser_new ();
        if (json_parser_load_from_data (p, text, -1, NULL))
          node = json_node_copy (json_parser_get_root (p));
        break;
      }
    case CT_FIELD_TEXT:
    case CT_FIELD_MULTILINE:
    case CT_FIELD_DATE:
    case CT_FIELD_DATETIME:
    case CT_FIELD_MONEY:
    case CT_FIELD_CHOICE:
    default:
      node = json_node_init_string (json_node_alloc (), text);
      break;
    }

  if (node == NULL)
    g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                 _("Field “%s” (%s): cannot read “%s” as a %s value."),
                 f->id, ct_field_def_display_label (f), text, ct_field_type_to_id (f->type));
  return node;
}

int
ct_cli_form_fill (Cli   *cli,
                  int    argc,
                  char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtCase) c = NULL;
  g_autoptr(JsonObject) values = NULL;
  g_auto(GStrv) sets = NULL;
  g_auto(GStrv) clears = NULL;
  g_autofree char *from_file = NULL;
  const CtFormTemplate *t;
  int rc;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, N_("Set FIELD to VALUE (read by the field’s type; JSON for party, signature and clip fields); repeatable"), N_("FIELD=VALUE") },
    { "clear", 0, 0, G_OPTION_ARG_STRING_ARRAY, &clears, N_("Remove a field’s value; repeatable"), N_("FIELD") },
    { "from-json", 0, 0, G_OPTION_ARG_FILENAME, &from_file, N_("Start from the JSON object in FILE instead of the saved values"), N_("FILE") },
    { NULL }
  };

  if (!ct_cli_parse_options ("form fill", entries, &argc, &argv, N_("CASE TEMPLATE")))
    return CT_EXIT_USAGE;
  if (argc != 3)
    return ct_cli_usage_error (_("form fill needs CASE and TEMPLATE."));
  rc = open_case_form (cli, argv[1], argv[2], &session, &c, &t);
  if (rc != CT_EXIT_OK)
    return rc;

  if (from_file != NULL)
    {
      g_autoptr(JsonParser) p = json_parser_new ();
      if (!json_parser_load_from_file (p, from_file, &error))
        return ct_cli_fail (error);
      if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p)))
        return ct_cli_usage_error (_("%s does not hold a JSON object."), from_file);
      values = json_object_ref (json_node_get_object (json_parser_get_root (p)));
    }
  else
    {
      values = ct_store_get_form (cli->store, c->id, t->id, &error);
      if (values == NULL && !g_error_matches (error, CT_ERROR, CT_ERROR_NOT_FOUND))
        return ct_cli_fail (error);
      g_clear_error (&error);
      if (values == NULL)
        values = json_object_new ();
    }

  for (guint i = 0; sets && sets[i]; i++)
    {
      g_auto(GStrv) kv = g_strsplit (sets[i], "=", 2);
      const CtFieldDef *f;
      JsonNode *node;

      if (kv[0] == NULL || kv[1] == NULL)
        return ct_cli_usage_error (_("--set takes FIELD=VALUE, not “%s”."), sets[i]);
      f = ct_form_template_get_field (t, kv[0]);
      if (f == NULL)
        return ct_cli_usage_error (_("“%s” has no field “%s”; “casetrail-cli form show CASE %s” lists them."),
                                   ct_form_template_display_title (t), kv[0], t->id);
      node = parse_value (f, kv[1], &error);
      if (node == NULL)
        return ct_cli_fail (error);
      json_object_set_member (values, kv[0], node);
    }
  for (guint i = 0; clears && clears[i]; i++)
    json_object_remove_member (values, clears[i]);

  if (!ct_store_save_form (cli->store, session, c->id, t->id, values, &error))
    return ct_cli_fail (error);

  {
    g_autoptr(GPtrArray) problems = ct_form_validate (t, values);
    if (problems->len == 0)
      g_print (_("“%s” of case %s saved; it is complete.\n"), ct_form_template_display_title (t), c->number);
    else
      {
        g_print (_("“%s” of case %s saved; still missing:\n"), ct_form_template_display_title (t), c->number);
        for (guint i = 0; i < problems->len; i++)
          g_print ("  %s\n", ((CtFormProblem *) problems->pdata[i])->message);
      }
  }
  return CT_EXIT_OK;
}

static void
print_value (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_print ("%s", json_node_get_string (node));
      return;
    }
  json_generator_set_root (gen, node);
  {
    g_autofree char *text = json_generator_to_data (gen, NULL);
    g_print ("%s", text);
  }
}

int
ct_cli_form_show (Cli   *cli,
                  int    argc,
                  char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtCase) c = NULL;
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  const CtFormTemplate *t;
  int rc;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print the saved values as JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("form show", entries, &argc, &argv, N_("CASE TEMPLATE")))
    return CT_EXIT_USAGE;
  if (argc != 3)
    return ct_cli_usage_error (_("form show needs CASE and TEMPLATE."));
  rc = open_case_form (cli, argv[1], argv[2], &session, &c, &t);
  if (rc != CT_EXIT_OK)
    return rc;
  values = ct_store_get_form (cli->store, c->id, t->id, &error);
  if (values == NULL && !g_error_matches (error, CT_ERROR, CT_ERROR_NOT_FOUND))
    return ct_cli_fail (error);
  g_clear_error (&error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "template");
      json_builder_add_string_value (b, t->id);
      json_builder_set_member_name (b, "values");
      if (values != NULL)
        {
          JsonNode *n = json_node_init_object (json_node_alloc (), values);
          json_builder_add_value (b, n);
        }
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "complete");
      json_builder_add_boolean_value (b, values != NULL && ct_form_is_complete (t, values));
      json_builder_set_member_name (b, "fields");
      json_builder_begin_array (b);
      for (guint i = 0; i < t->fields->len; i++)
        {
          const CtFieldDef *f = t->fields->pdata[i];
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, f->id);
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, ct_field_type_to_id (f->type));
          json_builder_set_member_name (b, "label");
          json_builder_add_string_value (b, f->label);
          json_builder_set_member_name (b, "required");
          json_builder_add_boolean_value (b, f->required);
          if (f->required_when_field != NULL)
            {
              json_builder_set_member_name (b, "required_when");
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "field");
              json_builder_add_string_value (b, f->required_when_field);
              json_builder_set_member_name (b, "equals");
              json_builder_begin_array (b);
              for (guint k = 0; f->required_when_equals && f->required_when_equals[k]; k++)
                json_builder_add_string_value (b, f->required_when_equals[k]);
              json_builder_end_array (b);
              json_builder_end_object (b);
            }
          if (f->type == CT_FIELD_CHOICE)
            {
              json_builder_set_member_name (b, "choices");
              json_builder_begin_array (b);
              for (guint k = 0; k < f->choices->len; k++)
                json_builder_add_string_value (b, ((CtFormChoice *) f->choices->pdata[k])->id);
              json_builder_end_array (b);
            }
          json_builder_set_member_name (b, "min_count");
          json_builder_add_int_value (b, f->min_count);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      ct_cli_print_json (b);
      return CT_EXIT_OK;
    }

  g_print ("%s — %s\n", c->number, t->title);
  for (guint i = 0; i < t->fields->len; i++)
    {
      const CtFieldDef *f = t->fields->pdata[i];
      JsonNode *v = values ? json_object_get_member (values, f->id) : NULL;
      g_print ("  %-24s %s%s: ", f->id, ct_field_def_display_label (f), f->required ? "*" : "");
      if (v != NULL)
        print_value (v);
      g_print ("\n");
    }
  if (values == NULL)
    g_print (_("Not made yet.\n"));
  else
    {
      problems = ct_form_validate (t, values);
      for (guint i = 0; i < problems->len; i++)
        g_print ("  ✗ %s\n", ((CtFormProblem *) problems->pdata[i])->message);
    }
  return CT_EXIT_OK;
}

int
ct_cli_form_list (Cli   *cli,
                  int    argc,
                  char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  CtFormRegistry *forms;
  GOptionEntry entries[] = { { NULL } };

  if (!ct_cli_parse_options ("form list", entries, &argc, &argv, NULL))
    return CT_EXIT_USAGE;
  if (!ct_cli_open_store (cli, &error))
    return ct_cli_fail (error);
  forms = ct_store_get_forms (cli->store, &error);
  if (forms == NULL)
    return ct_cli_fail (error);
  list = ct_form_registry_list (forms);
  for (guint i = 0; i < list->len; i++)
    {
      const CtFormTemplate *t = list->pdata[i];
      g_print ("%-32s %-16s %s\n", t->id, t->stage, t->title);
    }
  return CT_EXIT_OK;
}

#define G_LOG_DOMAIN "casetrail-core"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "ct-error.h"
#include "ct-rules.h"

struct _CtRuleSet {
  GPtrArray  *rules;        /* CtRule*, stacked order */
  GHashTable *rule_index;   /* id → CtRule* */
  GPtrArray  *procedures;   /* CtProcedureDef* */
  GStrv       pack_ids;
  CtMediaPolicy media;
};

struct _CtFacts {
  GHashTable *table;        /* name → JsonNode* */
};

/* ---- freeing --------------------------------------------------------------------- */

static void
rule_free (CtRule *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->pack);
  g_free (r->procedure);
  g_free (r->stage);
  g_free (r->basis.file);
  g_free (r->basis.article);
  g_free (r->basis.clause);
  g_free (r->title);
  g_free (r->title_en);
  g_clear_pointer (&r->when, json_node_unref);
  g_free (r->form);
  g_free (r->field);
  g_clear_pointer (&r->equals, json_node_unref);
  g_free (r->subject);
  g_clear_pointer (&r->condition, json_node_unref);
  g_free (r->explain);
  g_free (r->from);
  g_free (r->until);
  g_free (r);
}

static void
stage_def_free (CtStageDef *s)
{
  g_free (s->id);
  g_clear_pointer (&s->when, json_node_unref);
  g_free (s);
}

static void
branch_free (CtBranch *b)
{
  g_free (b->from);
  g_free (b->to);
  g_free (b->title);
  g_free (b->title_en);
  g_clear_pointer (&b->when, json_node_unref);
  g_free (b);
}

static void
procedure_free (CtProcedureDef *p)
{
  if (p == NULL)
    return;
  g_free (p->id);
  g_free (p->pack);
  g_free (p->title);
  g_free (p->title_en);
  g_clear_pointer (&p->stages, g_ptr_array_unref);
  g_clear_pointer (&p->branches, g_ptr_array_unref);
  g_free (p);
}

static void
media_item_clear (CtMediaPolicyItem *item)
{
  g_free (item->pack);
  g_free (item->basis.file);
  g_free (item->basis.article);
  g_free (item->basis.clause);
  memset (item, 0, sizeof *item);
}

static void
media_policy_clear (CtMediaPolicy *policy)
{
  media_item_clear (&policy->storage);
  media_item_clear (&policy->retention_patrol);
  media_item_clear (&policy->retention_evidence);
  media_item_clear (&policy->interruption);
}

void
ct_ruleset_free (CtRuleSet *set)
{
  if (set == NULL)
    return;
  media_policy_clear (&set->media);
  g_clear_pointer (&set->rule_index, g_hash_table_unref);
  g_clear_pointer (&set->rules, g_ptr_array_unref);
  g_clear_pointer (&set->procedures, g_ptr_array_unref);
  g_strfreev (set->pack_ids);
  g_free (set);
}

void
ct_requirement_free (CtRequirement *req)
{
  if (req == NULL)
    return;
  g_free (req->reason);
  g_clear_pointer (&req->due, g_date_time_unref);
  g_free (req);
}

/* ---- parsing helpers ------------------------------------------------------------------ */

typedef struct {
  const char *file;     /* for messages */
  const char *what;     /* "rule “x”" or "procedure “y”" */
} Ctx;

static gboolean G_GNUC_PRINTF (4, 5)
bad (GError    **error,
     const Ctx  *ctx,
     const char *member,
     const char *format,
     ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);

  if (member != NULL)
    g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("%s: %s: field “%s”: %s"),
                 ctx->file, ctx->what, member, msg);
  else
    g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("%s: %s: %s"), ctx->file, ctx->what, msg);
  return FALSE;
}

static gboolean
only_members (JsonObject          *obj,
              const char * const  *allowed,
              const Ctx           *ctx,
              GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (obj);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return bad (error, ctx, l->data, _("unknown field (a typo?)"));
  return TRUE;
}

static gboolean
get_string (JsonObject  *obj,
            const char  *member,
            gboolean     required,
            char       **out,
            const Ctx   *ctx,
            GError     **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return bad (error, ctx, member, _("missing"));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      *json_node_get_string (node) == '\0')
    return bad (error, ctx, member, _("must be a non-empty string"));
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean validate_condition (JsonNode *node, const Ctx *ctx, const char *member, GError **error);

static gboolean
validate_condition (JsonNode   *node,
                    const Ctx  *ctx,
                    const char *member,
                    GError    **error)
{
  JsonObject *obj;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad (error, ctx, member, _("a condition must be an object"));
  obj = json_node_get_object (node);

  if (json_object_has_member (obj, "all") || json_object_has_member (obj, "any"))
    {
      const char *key = json_object_has_member (obj, "all") ? "all" : "any";
      JsonNode *list = json_object_get_member (obj, key);
      JsonArray *arr;

      if (json_object_get_size (obj) != 1)
        return bad (error, ctx, member, _("“%s” stands alone in its condition"), key);
      if (!JSON_NODE_HOLDS_ARRAY (list) || json_array_get_length (json_node_get_array (list)) == 0)
        return bad (error, ctx, member, _("“%s” needs a non-empty list of conditions"), key);
      arr = json_node_get_array (list);
      for (guint i = 0; i < json_array_get_length (arr); i++)
        if (!validate_condition (json_array_get_element (arr, i), ctx, member, error))
          return FALSE;
      return TRUE;
    }
  if (json_object_has_member (obj, "not"))
    {
      if (json_object_get_size (obj) != 1)
        return bad (error, ctx, member, _("“not” stands alone in its condition"));
      return validate_condition (json_object_get_member (obj, "not"), ctx, member, error);
    }
  if (json_object_has_member (obj, "fact"))
    {
      static const char * const tests[] = { "equals", "in", "gte", "lte", "exists", NULL };
      guint n_tests = 0;
      g_autoptr(GList) members = json_object_get_members (obj);
      JsonNode *fact = json_object_get_member (obj, "fact");

      if (!JSON_NODE_HOLDS_VALUE (fact) || json_node_get_value_type (fact) != G_TYPE_STRING)
        return bad (error, ctx, member, _("“fact” must name a fact"));
      for (GList *l = members; l != NULL; l = l->next)
        {
          if (strcmp (l->data, "fact") == 0)
            continue;
          if (!g_strv_contains (tests, l->data))
            return bad (error, ctx, member, _("unknown test “%s”; use equals, in, gte, lte or exists"),
                        (const char *) l->data);
          n_tests++;
        }
      if (n_tests != 1)
        return bad (error, ctx, member, _("a fact condition needs exactly one test (equals, in, gte, lte or exists)"));
      if (json_object_has_member (obj, "in") && !JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "in")))
        return bad (error, ctx, member, _("“in” needs a list"));
      if ((json_object_has_member (obj, "gte") && json_node_get_value_type (json_object_get_member (obj, "gte")) != G_TYPE_INT64 &&
           json_node_get_value_type (json_object_get_member (obj, "gte")) != G_TYPE_DOUBLE) ||
          (json_object_has_member (obj, "lte") && json_node_get_value_type (json_object_get_member (obj, "lte")) != G_TYPE_INT64 &&
           json_node_get_value_type (json_object_get_member (obj, "lte")) != G_TYPE_DOUBLE))
        return bad (error, ctx, member, _("“gte” and “lte” need a number"));
      return TRUE;
    }
  return bad (error, ctx, member, _("a condition needs “fact”, “all”, “any” or “not”"));
}

static gboolean
get_condition (JsonObject  *obj,
               const char  *member,
               gboolean     required,
               JsonNode   **out,
               const Ctx   *ctx,
               GError     **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  *out = NULL;
  if (node == NULL)
    {
      if (required)
        return bad (error, ctx, member, _("missing"));
      return TRUE;
    }
  if (!validate_condition (node, ctx, member, error))
    return FALSE;
  *out = json_node_copy (node);
  return TRUE;
}

/* ---- rules ------------------------------------------------------------------------------- */

static const char * const kind_ids[] = { "form", "field", "approval", "av-record", "deadline", "condition", NULL };

static CtRule *
parse_rule (JsonNode   *node,
            const char *pack_id,
            const char *file,
            guint       index,
            GError    **error)
{
  static const char * const allowed[] = {
    "id", "procedure", "stage", "kind", "severity", "basis", "title", "title_en", "when",
    "form", "field", "equals", "subject", "role", "condition", "explain", "from", "until", "period", "minimum", "note", NULL
  };
  g_autofree char *what = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *severity = NULL;
  g_autofree char *role = NULL;
  CtRule *r = NULL;
  JsonObject *obj;
  JsonNode *basis;
  Ctx ctx = { file, NULL };

  what = g_strdup_printf (_("rule %u"), index + 1);
  ctx.what = what;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad (error, &ctx, NULL, _("must be an object"));
      return NULL;
    }
  obj = json_node_get_object (node);

  r = g_new0 (CtRule, 1);
  if (!get_string (obj, "id", TRUE, &r->id, &ctx, error))
    goto fail;
  g_free (what);
  what = g_strdup_printf (_("rule “%s”"), r->id);
  ctx.what = what;
  r->pack = g_strdup (pack_id);

  if (!only_members (obj, allowed, &ctx, error) ||
      !get_string (obj, "procedure", TRUE, &r->procedure, &ctx, error) ||
      !get_string (obj, "stage", TRUE, &r->stage, &ctx, error) ||
      !get_string (obj, "kind", TRUE, &kind, &ctx, error) ||
      !get_string (obj, "severity", TRUE, &severity, &ctx, error) ||
      !get_string (obj, "title", TRUE, &r->title, &ctx, error) ||
      !get_string (obj, "title_en", TRUE, &r->title_en, &ctx, error) ||
      !get_condition (obj, "when", FALSE, &r->when, &ctx, error))
    goto fail;

  if (strcmp (severity, "block") == 0)
    r->severity = CT_SEVERITY_BLOCK;
  else if (strcmp (severity, "warn") == 0)
    r->severity = CT_SEVERITY_WARN;
  else
    {
      bad (error, &ctx, "severity", _("must be “block” or “warn”, not “%s”"), severity);
      goto fail;
    }

  basis = json_object_get_member (obj, "basis");
  if (basis == NULL || !JSON_NODE_HOLDS_OBJECT (basis))
    {
      bad (error, &ctx, "basis", _("every rule cites its legal basis: {\"file\": …, \"article\": …}"));
      goto fail;
    }
  {
    static const char * const basis_allowed[] = { "file", "article", "clause", NULL };
    JsonObject *bobj = json_node_get_object (basis);
    g_autofree char *bwhat = g_strdup_printf (_("rule “%s” basis"), r->id);
    Ctx bctx = { file, bwhat };

    if (!only_members (bobj, basis_allowed, &bctx, error) ||
        !get_string (bobj, "file", TRUE, &r->basis.file, &bctx, error) ||
        !get_string (bobj, "article", TRUE, &r->basis.article, &bctx, error) ||
        !get_string (bobj, "clause", FALSE, &r->basis.clause, &bctx, error))
      goto fail;
  }

  if (strcmp (kind, "form") == 0)
    {
      r->kind = CT_RULE_FORM;
      if (!get_string (obj, "form", TRUE, &r->form, &ctx, error))
        goto fail;
    }
  else if (strcmp (kind, "field") == 0 || strcmp (kind, "av-record") == 0)
    {
      r->kind = strcmp (kind, "field") == 0 ? CT_RULE_FIELD : CT_RULE_AV_RECORD;
      if (!get_string (obj, "form", TRUE, &r->form, &ctx, error) ||
          !get_string (obj, "field", TRUE, &r->field, &ctx, error))
        goto fail;
      if (json_object_has_member (obj, "equals"))
        {
          if (r->kind == CT_RULE_AV_RECORD)
            {
              bad (error, &ctx, "equals", _("an av-record rule takes no “equals”"));
              goto fail;
            }
          r->equals = json_node_copy (json_object_get_member (obj, "equals"));
        }
    }
  else if (strcmp (kind, "approval") == 0)
    {
      r->kind = CT_RULE_APPROVAL;
      if (!get_string (obj, "subject", TRUE, &r->subject, &ctx, error) ||
          !get_string (obj, "role", TRUE, &role, &ctx, error))
        goto fail;
      if (!ct_role_from_id (role, &r->role))
        {
          bad (error, &ctx, "role", _("unknown role “%s”"), role);
          goto fail;
        }
    }
  else if (strcmp (kind, "condition") == 0)
    {
      r->kind = CT_RULE_CONDITION;
      if (!get_condition (obj, "condition", TRUE, &r->condition, &ctx, error) ||
          !get_string (obj, "explain", FALSE, &r->explain, &ctx, error))
        goto fail;
    }
  else if (strcmp (kind, "deadline") == 0)
    {
      JsonNode *period = json_object_get_member (obj, "period");
      JsonObject *pobj;
      g_autofree char *unit = NULL;
      JsonNode *amount;

      r->kind = CT_RULE_DEADLINE;
      if (!get_string (obj, "from", TRUE, &r->from, &ctx, error) ||
          !get_string (obj, "until", TRUE, &r->until, &ctx, error))
        goto fail;
      if (period == NULL || !JSON_NODE_HOLDS_OBJECT (period))
        {
          bad (error, &ctx, "period", _("needs {\"unit\": \"hours\"|\"days\"|\"working-days\", \"amount\": N}"));
          goto fail;
        }
      pobj = json_node_get_object (period);
      if (!get_string (pobj, "unit", TRUE, &unit, &ctx, error))
        goto fail;
      if (!ct_period_unit_from_id (unit, &r->unit))
        {
          bad (error, &ctx, "period", _("unknown unit “%s”; use hours, days or working-days"), unit);
          goto fail;
        }
      amount = json_object_get_member (pobj, "amount");
      if (amount == NULL || json_node_get_value_type (amount) != G_TYPE_INT64 ||
          json_node_get_int (amount) <= 0 || json_node_get_int (amount) > 100000)
        {
          bad (error, &ctx, "period", _("“amount” must be a positive whole number"));
          goto fail;
        }
      r->amount = json_node_get_int (amount);
      {
        JsonNode *minimum = json_object_get_member (obj, "minimum");
        if (minimum != NULL && (!JSON_NODE_HOLDS_VALUE (minimum) ||
                                json_node_get_value_type (minimum) != G_TYPE_BOOLEAN))
          {
            bad (error, &ctx, "minimum", _("must be true or false"));
            goto fail;
          }
        r->minimum = minimum != NULL && json_node_get_boolean (minimum);
        if (r->minimum && r->unit == CT_PERIOD_WORKING_DAYS)
          {
            bad (error, &ctx, "minimum", _("a minimum period is counted in hours or days"));
            goto fail;
          }
      }
    }
  else
    {
      g_autofree char *list = g_strjoinv (", ", (char **) kind_ids);
      bad (error, &ctx, "kind", _("unknown kind “%s”; use one of %s"), kind, list);
      goto fail;
    }

  /* Members that belong to other kinds are mistakes. */
  {
    struct { const char *member; gboolean ok; } extra[] = {
      { "form", r->kind == CT_RULE_FORM || r->kind == CT_RULE_FIELD || r->kind == CT_RULE_AV_RECORD },
      { "field", r->kind == CT_RULE_FIELD || r->kind == CT_RULE_AV_RECORD },
      { "equals", r->kind == CT_RULE_FIELD },
      { "subject", r->kind == CT_RULE_APPROVAL },
      { "role", r->kind == CT_RULE_APPROVAL },
      { "condition", r->kind == CT_RULE_CONDITION },
      { "explain", r->kind == CT_RULE_CONDITION },
      { "from", r->kind == CT_RULE_DEADLINE },
      { "until", r->kind == CT_RULE_DEADLINE },
      { "period", r->kind == CT_RULE_DEADLINE },
      { "minimum", r->kind == CT_RULE_DEADLINE },
    };
    for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
      if (!extra[i].ok && json_object_has_member (obj, extra[i].member))
        {
          bad (error, &ctx, extra[i].member, _("does not belong to a rule of kind “%s”"), kind);
          goto fail;
        }
  }

  return r;

fail:
  rule_free (r);
  return NULL;
}

static CtProcedureDef *
parse_procedure (JsonNode   *node,
                 const char *pack_id,
                 const char *file,
                 guint       index,
                 GError    **error)
{
  static const char * const allowed[] = { "id", "title", "title_en", "stages", "branches", "note", NULL };
  g_autofree char *what = g_strdup_printf (_("procedure %u"), index + 1);
  Ctx ctx = { file, what };
  CtProcedureDef *p = g_new0 (CtProcedureDef, 1);
  JsonObject *obj;
  JsonNode *stages, *branches;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  p->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) stage_def_free);
  p->branches = g_ptr_array_new_with_free_func ((GDestroyNotify) branch_free);
  p->pack = g_strdup (pack_id);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad (error, &ctx, NULL, _("must be an object"));
      goto fail;
    }
  obj = json_node_get_object (node);
  if (!get_string (obj, "id", TRUE, &p->id, &ctx, error))
    goto fail;
  g_free (what);
  what = g_strdup_printf (_("procedure “%s”"), p->id);
  ctx.what = what;
  if (!only_members (obj, allowed, &ctx, error) ||
      !get_string (obj, "title", TRUE, &p->title, &ctx, error) ||
      !get_string (obj, "title_en", TRUE, &p->title_en, &ctx, error))
    goto fail;

  stages = json_object_get_member (obj, "stages");
  if (stages == NULL || !JSON_NODE_HOLDS_ARRAY (stages) || json_array_get_length (json_node_get_array (stages)) == 0)
    {
      bad (error, &ctx, "stages", _("needs a non-empty list of stages"));
      goto fail;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (stages)); i++)
    {
      static const char * const stage_allowed[] = { "id", "when", "terminal", NULL };
      JsonNode *sn = json_array_get_element (json_node_get_array (stages), i);
      CtStageDef *s;
      JsonObject *so;

      if (!JSON_NODE_HOLDS_OBJECT (sn))
        {
          bad (error, &ctx, "stages", _("each stage is an object {\"id\": …}"));
          goto fail;
        }
      so = json_node_get_object (sn);
      s = g_new0 (CtStageDef, 1);
      g_ptr_array_add (p->stages, s);
      if (!only_members (so, stage_allowed, &ctx, error) ||
          !get_string (so, "id", TRUE, &s->id, &ctx, error) ||
          !get_condition (so, "when", FALSE, &s->when, &ctx, error))
        goto fail;
      if (ct_choice_lookup (ct_case_stages (), s->id) == NULL)
        {
          bad (error, &ctx, "stages", _("unknown stage “%s”"), s->id);
          goto fail;
        }
      if (!g_hash_table_add (seen, s->id))
        {
          bad (error, &ctx, "stages", _("stage “%s” is listed twice"), s->id);
          goto fail;
        }
      s->terminal = json_object_get_boolean_member_with_default (so, "terminal", FALSE);
    }

  branches = json_object_get_member (obj, "branches");
  if (branches != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (branches))
        {
          bad (error, &ctx, "branches", _("must be a list"));
          goto fail;
        }
      for (guint i = 0; i < json_array_get_length (json_node_get_array (branches)); i++)
        {
          static const char * const branch_allowed[] = { "from", "to", "title", "title_en", "when", NULL };
          JsonNode *bn = json_array_get_element (json_node_get_array (branches), i);
          CtBranch *b;
          JsonObject *bo;

          if (!JSON_NODE_HOLDS_OBJECT (bn))
            {
              bad (error, &ctx, "branches", _("each branch is an object"));
              goto fail;
            }
          bo = json_node_get_object (bn);
          b = g_new0 (CtBranch, 1);
          g_ptr_array_add (p->branches, b);
          if (!only_members (bo, branch_allowed, &ctx, error) ||
              !get_string (bo, "from", TRUE, &b->from, &ctx, error) ||
              !get_string (bo, "to", TRUE, &b->to, &ctx, error) ||
              !get_string (bo, "title", TRUE, &b->title, &ctx, error) ||
              !get_string (bo, "title_en", TRUE, &b->title_en, &ctx, error) ||
              !get_condition (bo, "when", TRUE, &b->when, &ctx, error))
            goto fail;
          if (!g_hash_table_contains (seen, b->from) || !g_hash_table_contains (seen, b->to))
            {
              bad (error, &ctx, "branches", _("branch %s → %s names a stage the procedure does not have"),
                   b->from, b->to);
              goto fail;
            }
        }
    }
  return p;

fail:
  procedure_free (p);
  return NULL;
}

/* ---- the "media" policy ----------------------------------------------------------------- */

static gboolean
parse_basis_into (JsonObject *obj,
                  CtBasis    *basis,
                  const Ctx  *ctx,
                  GError    **error)
{
  static const char * const basis_allowed[] = { "file", "article", "clause", NULL };
  JsonNode *node = json_object_get_member (obj, "basis");
  JsonObject *bobj;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return bad (error, ctx, "basis", _("cites its legal basis: {\"file\": …, \"article\": …}"));
  bobj = json_node_get_object (node);
  return only_members (bobj, basis_allowed, ctx, error) &&
         get_string (bobj, "file", TRUE, &basis->file, ctx, error) &&
         get_string (bobj, "article", TRUE, &basis->article, ctx, error) &&
         get_string (bobj, "clause", FALSE, &basis->clause, ctx, error);
}

/* A positive whole number no larger than @max, or absent when !@required. */
static gboolean
get_count (JsonObject *obj,
           const char *member,
           gboolean    required,
           guint       max,
           guint      *out,
           const Ctx  *ctx,
           GError    **error)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL && !required)
    return TRUE;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) <= 0 || json_node_get_int (node) > max)
    return bad (error, ctx, member, _("must be a whole number from 1 to %u"), max);
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
parse_media_item (JsonObject        *parent,
                  const char        *member,
                  const char        *what,
                  const char        *file,
                  const char        *pack_id,
                  CtMediaPolicyItem *item,
                  GError           **error)
{
  JsonNode *node = json_object_get_member (parent, member);
  JsonObject *obj;
  Ctx ctx = { file, what };

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad (error, &ctx, NULL, _("must be an object"));
  obj = json_node_get_object (node);
  item->set = TRUE;
  item->pack = g_strdup (pack_id);
  return parse_basis_into (obj, &item->basis, &ctx, error);
}

static gboolean
parse_media_policy (JsonNode      *node,
                    const char    *file,
                    const char    *pack_id,
                    CtMediaPolicy *policy,
                    GError       **error)
{
  static const char * const allowed[] = { "storage", "retention", "interruption", "note", NULL };
  static const char * const storage_allowed[] = { "period", "basis", "note", NULL };
  static const char * const retention_allowed[] = { "patrol", "evidence", "note", NULL };
  static const char * const keep_allowed[] = { "months", "years", "basis", "note", NULL };
  static const char * const gap_allowed[] = { "min_gap_seconds", "session_break_minutes", "basis", "note", NULL };
  Ctx ctx = { file, "media" };
  JsonObject *obj;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad (error, &ctx, NULL, _("must be an object"));
  obj = json_node_get_object (node);
  if (!only_members (obj, allowed, &ctx, error))
    return FALSE;

  if (json_object_has_member (obj, "storage"))
    {
      Ctx sctx = { file, "media.storage" };
      JsonObject *sobj;
      JsonNode *period;
      g_autofree char *unit = NULL;

      if (!parse_media_item (obj, "storage", "media.storage", file, pack_id, &policy->storage, error))
        return FALSE;
      sobj = json_object_get_object_member (obj, "storage");
      if (!only_members (sobj, storage_allowed, &sctx, error))
        return FALSE;
      period = json_object_get_member (sobj, "period");
      if (period == NULL || !JSON_NODE_HOLDS_OBJECT (period))
        return bad (error, &sctx, "period", _("needs {\"unit\": \"hours\"|\"days\"|\"working-days\", \"amount\": N}"));
      if (!get_string (json_node_get_object (period), "unit", TRUE, &unit, &sctx, error))
        return FALSE;
      if (!ct_period_unit_from_id (unit, &policy->storage.unit))
        return bad (error, &sctx, "period", _("unknown unit “%s”; use hours, days or working-days"), unit);
      if (!get_count (json_node_get_object (period), "amount", TRUE, 100000, &policy->storage.amount, &sctx, error))
        return FALSE;
    }

  if (json_object_has_member (obj, "retention"))
    {
      Ctx rctx = { file, "media.retention" };
      JsonNode *rnode = json_object_get_member (obj, "retention");
      JsonObject *robj;
      struct { const char *member; const char *what; CtMediaPolicyItem *item; } kinds[] = {
        { "patrol", "media.retention.patrol", &policy->retention_patrol },
        { "evidence", "media.retention.evidence", &policy->retention_evidence },
      };

      if (!JSON_NODE_HOLDS_OBJECT (rnode))
        return bad (error, &rctx, NULL, _("must be an object"));
      robj = json_node_get_object (rnode);
      if (!only_members (robj, retention_allowed, &rctx, error))
        return FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        {
          Ctx kctx = { file, kinds[i].what };
          JsonObject *kobj;
          guint months = 0, years = 0;

          if (!json_object_has_member (robj, kinds[i].member))
            continue;
          if (!parse_media_item (robj, kinds[i].member, kinds[i].what, file, pack_id, kinds[i].item, error))
            return FALSE;
          kobj = json_object_get_object_member (robj, kinds[i].member);
          if (!only_members (kobj, keep_allowed, &kctx, error) ||
              !get_count (kobj, "months", FALSE, 1200, &months, &kctx, error) ||
              !get_count (kobj, "years", FALSE, 100, &years, &kctx, error))
            return FALSE;
          if ((months == 0) == (years == 0))
            return bad (error, &kctx, NULL, _("states its minimum in “months” or in “years”"));
          kinds[i].item->months = months != 0 ? months : years * 12;
        }
    }

  if (json_object_has_member (obj, "interruption"))
    {
      Ctx ictx = { file, "media.interruption" };
      JsonObject *iobj;

      if (!parse_media_item (obj, "interruption", "media.interruption", file, pack_id, &policy->interruption, error))
        return FALSE;
      iobj = json_object_get_object_member (obj, "interruption");
      if (!only_members (iobj, gap_allowed, &ictx, error) ||
          !get_count (iobj, "min_gap_seconds", TRUE, 86400, &policy->interruption.min_gap_seconds, &ictx, error) ||
          !get_count (iobj, "session_break_minutes", TRUE, 1440, &policy->interruption.session_break_minutes, &ictx, error))
        return FALSE;
      if (policy->interruption.session_break_minutes * 60 <= policy->interruption.min_gap_seconds)
        return bad (error, &ictx, "session_break_minutes",
                    _("must be longer than “min_gap_seconds”"));
    }
  return TRUE;
}

/* A later pack's item replaces the earlier one as a whole. */
static void
media_policy_take (CtMediaPolicy *into,
                   CtMediaPolicy *from)
{
  CtMediaPolicyItem *dst[] = { &into->storage, &into->retention_patrol, &into->retention_evidence, &into->interruption };
  CtMediaPolicyItem *src[] = { &from->storage, &from->retention_patrol, &from->retention_evidence, &from->interruption };

  for (guint i = 0; i < G_N_ELEMENTS (dst); i++)
    if (src[i]->set)
      {
        media_item_clear (dst[i]);
        *dst[i] = *src[i];
        memset (src[i], 0, sizeof *src[i]);
      }
}

const CtMediaPolicy *
ct_ruleset_get_media_policy (CtRuleSet *set)
{
  return &set->media;
}

/* Titles of the cited documents, from the packs' "documents" objects
 * (file → title).  Titles are facts about documents, the same in every
 * stack, so one table serves the process. */
G_LOCK_DEFINE_STATIC (doc_titles);
static GHashTable *doc_titles;

static void
register_documents (JsonNode *documents)
{
  g_autoptr(GList) members = NULL;
  JsonObject *obj;

  if (documents == NULL || !JSON_NODE_HOLDS_OBJECT (documents))
    return;
  obj = json_node_get_object (documents);
  members = json_object_get_members (obj);
  G_LOCK (doc_titles);
  if (doc_titles == NULL)
    doc_titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *title = json_object_get_member (obj, l->data);
      if (JSON_NODE_HOLDS_VALUE (title) && json_node_get_value_type (title) == G_TYPE_STRING)
        g_hash_table_replace (doc_titles, g_strdup (l->data), g_strdup (json_node_get_string (title)));
    }
  G_UNLOCK (doc_titles);
}

typedef struct {
  char         *id;
  GPtrArray    *procedures;
  GPtrArray    *rules;
  CtMediaPolicy media;
} Pack;

static void
pack_free (Pack *pack)
{
  if (pack == NULL)
    return;
  g_free (pack->id);
  g_clear_pointer (&pack->procedures, g_ptr_array_unref);
  g_clear_pointer (&pack->rules, g_ptr_array_unref);
  media_policy_clear (&pack->media);
  g_free (pack);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pack, pack_free)

static Pack *
load_pack (const char *path,
           GError    **error)
{
  static const char * const allowed[] = { "id", "title", "title_en", "version", "documents",
                                          "procedures", "rules", "media", "note", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  g_autoptr(Pack) pack = g_new0 (Pack, 1);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  Ctx ctx = { path, _("pack") };
  JsonObject *root;
  JsonNode *node;
  g_autofree char *title = NULL;

  if (!json_parser_load_from_file (parser, path, &local))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("%s: not valid JSON: %s"), path, local->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("%s: a rule pack is a JSON object"), path);
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if (!only_members (root, allowed, &ctx, error) ||
      !get_string (root, "id", TRUE, &pack->id, &ctx, error) ||
      !get_string (root, "title", TRUE, &title, &ctx, error))
    return NULL;

  pack->procedures = g_ptr_array_new_with_free_func ((GDestroyNotify) procedure_free);
  pack->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);

  node = json_object_get_member (root, "documents");
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node))
    return (bad (error, &ctx, "documents", _("must map each cited file to its title")), NULL);
  register_documents (node);

  node = json_object_get_member (root, "procedures");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return (bad (error, &ctx, "procedures", _("must be a list")), NULL);
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        {
          CtProcedureDef *p = parse_procedure (json_array_get_element (json_node_get_array (node), i),
                                               pack->id, path, i, error);
          if (p == NULL)
            return NULL;
          g_ptr_array_add (pack->procedures, p);
        }
    }

  node = json_object_get_member (root, "media");
  if (node != NULL && !parse_media_policy (node, path, pack->id, &pack->media, error))
    return NULL;

  node = json_object_get_member (root, "rules");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return (bad (error, &ctx, "rules", _("must be a list")), NULL);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      CtRule *r = parse_rule (json_array_get_element (json_node_get_array (node), i), pack->id, path, i, error);
      if (r == NULL)
        return NULL;
      g_ptr_array_add (pack->rules, r);
      if (!g_hash_table_add (ids, r->id))
        {
          g_autofree char *w = g_strdup_printf (_("rule “%s”"), r->id);
          Ctx rctx = { path, w };
          return (bad (error, &rctx, "id", _("the id is used twice in this pack")), NULL);
        }
      /* A rule's stage must belong to its procedure when this pack defines it. */
      for (guint k = 0; k < pack->procedures->len; k++)
        {
          CtProcedureDef *p = g_ptr_array_index (pack->procedures, k);
          gboolean found = FALSE;
          if (strcmp (p->id, r->procedure) != 0)
            continue;
          for (guint s = 0; s < p->stages->len; s++)
            found |= strcmp (((CtStageDef *) g_ptr_array_index (p->stages, s))->id, r->stage) == 0;
          if (!found)
            {
              g_autofree char *w = g_strdup_printf (_("rule “%s”"), r->id);
              Ctx rctx = { path, w };
              return (bad (error, &rctx, "stage", _("procedure “%s” has no stage “%s”"), r->procedure, r->stage), NULL);
            }
        }
    }

  return g_steal_pointer (&pack);
}

gboolean
ct_rulepack_validate_file (const char  *path,
                           GError     **error)
{
  g_autoptr(Pack) pack = load_pack (path, error);

  return pack != NULL;
}

CtRuleSet *
ct_ruleset_load (const char          *dir,
                 const char * const  *pack_ids,
                 GError             **error)
{
  g_autoptr(CtRuleSet) set = g_new0 (CtRuleSet, 1);

  g_return_val_if_fail (dir != NULL && pack_ids != NULL, NULL);

  set->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  set->rule_index = g_hash_table_new (g_str_hash, g_str_equal);
  set->procedures = g_ptr_array_new_with_free_func ((GDestroyNotify) procedure_free);
  set->pack_ids = g_strdupv ((char **) pack_ids);

  for (guint i = 0; pack_ids[i] != NULL; i++)
    {
      g_autofree char *name = g_strconcat (pack_ids[i], ".json", NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(Pack) pack = NULL;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND,
                       _("Rule pack “%s” is not installed (looked for %s)."), pack_ids[i], path);
          return NULL;
        }
      pack = load_pack (path, error);
      if (pack == NULL)
        return NULL;
      if (strcmp (pack->id, pack_ids[i]) != 0)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("%s: the pack says its id is “%s”, but the file is named for “%s”."),
                       path, pack->id, pack_ids[i]);
          return NULL;
        }

      media_policy_take (&set->media, &pack->media);

      /* Procedures: a later pack replaces one with the same id. */
      while (pack->procedures->len > 0)
        {
          CtProcedureDef *p = g_ptr_array_steal_index (pack->procedures, 0);
          for (guint k = 0; k < set->procedures->len; k++)
            if (strcmp (((CtProcedureDef *) set->procedures->pdata[k])->id, p->id) == 0)
              {
                g_ptr_array_remove_index (set->procedures, k);
                break;
              }
          g_ptr_array_add (set->procedures, p);
        }

      /* Rules: a later pack overrides an earlier rule by id, in place. */
      while (pack->rules->len > 0)
        {
          CtRule *r = g_ptr_array_steal_index (pack->rules, 0);
          CtRule *old = g_hash_table_lookup (set->rule_index, r->id);

          if (old != NULL)
            {
              guint pos;
              g_assert_true (g_ptr_array_find (set->rules, old, &pos));
              g_hash_table_replace (set->rule_index, r->id, r);
              set->rules->pdata[pos] = r;
              rule_free (old);
            }
          else
            {
              g_hash_table_insert (set->rule_index, r->id, r);
              g_ptr_array_add (set->rules, r);
            }
        }
    }

  /* Every rule must name a procedure and stage that exist after stacking. */
  for (guint i = 0; i < set->rules->len; i++)
    {
      CtRule *r = set->rules->pdata[i];
      const CtProcedureDef *p = ct_ruleset_get_procedure (set, r->procedure);
      gboolean found = FALSE;

      if (p == NULL)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("Rule pack “%s”: rule “%s”: field “procedure”: no pack in the stack defines procedure “%s”."),
                       r->pack, r->id, r->procedure);
          return NULL;
        }
      for (guint s = 0; s < p->stages->len; s++)
        found |= strcmp (((CtStageDef *) p->stages->pdata[s])->id, r->stage) == 0;
      if (!found)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("Rule pack “%s”: rule “%s”: field “stage”: procedure “%s” has no stage “%s”."),
                       r->pack, r->id, r->procedure, r->stage);
          return NULL;
        }
    }

  return g_steal_pointer (&set);
}

const CtProcedureDef *
ct_ruleset_get_procedure (CtRuleSet  *set,
                          const char *procedure)
{
  for (guint i = 0; i < set->procedures->len; i++)
    if (g_strcmp0 (((CtProcedureDef *) set->procedures->pdata[i])->id, procedure) == 0)
      return set->procedures->pdata[i];
  return NULL;
}

GPtrArray *
ct_ruleset_get_rules (CtRuleSet *set)
{
  return set->rules;
}

const CtRule *
ct_ruleset_lookup_rule (CtRuleSet  *set,
                        const char *rule_id)
{
  return g_hash_table_lookup (set->rule_index, rule_id);
}

const char * const *
ct_ruleset_get_pack_ids (CtRuleSet *set)
{
  return (const char * const *) set->pack_ids;
}

char *
ct_basis_format (const CtBasis *basis)
{
  g_autofree char *title = NULL;

  G_LOCK (doc_titles);
  if (doc_titles != NULL)
    title = g_strdup (g_hash_table_lookup (doc_titles, basis->file));
  G_UNLOCK (doc_titles);

  if (title != NULL)
    return basis->clause != NULL
      ? g_strdup_printf ("《%s》%s%s", title, basis->article, basis->clause)
      : g_strdup_printf ("《%s》%s", title, basis->article);
  if (basis->clause != NULL)
    return g_strdup_printf ("%s %s %s", basis->file, basis->article, basis->clause);
  return g_strdup_printf ("%s %s", basis->file, basis->article);
}

/* ---- facts -------------------------------------------------------------------------------- */

CtFacts *
ct_facts_new (void)
{
  CtFacts *facts = g_new0 (CtFacts, 1);

  facts->table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
  return facts;
}

void
ct_facts_free (CtFacts *facts)
{
  if (facts == NULL)
    return;
  g_hash_table_unref (facts->table);
  g_free (facts);
}

void
ct_facts_set (CtFacts    *facts,
              const char *name,
              JsonNode   *value)
{
  g_hash_table_replace (facts->table, g_strdup (name), value);
}

void
ct_facts_set_string (CtFacts    *facts,
                     const char *name,
                     const char *value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  if (value == NULL)
    {
      g_hash_table_remove (facts->table, name);
      json_node_unref (node);
      return;
    }
  json_node_set_string (node, value);
  ct_facts_set (facts, name, node);
}

void
ct_facts_set_int (CtFacts    *facts,
                  const char *name,
                  gint64      value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (node, value);
  ct_facts_set (facts, name, node);
}

void
ct_facts_set_boolean (CtFacts    *facts,
                      const char *name,
                      gboolean    value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (node, value);
  ct_facts_set (facts, name, node);
}

JsonNode *
ct_facts_get (CtFacts    *facts,
              const char *name)
{
  return g_hash_table_lookup (facts->table, name);
}

/* ---- conditions ----------------------------------------------------------------------------- */

static gboolean
node_number (JsonNode *node,
             double   *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return TRUE;
    case G_TYPE_STRING:
      {
        char *end = NULL;
        const char *s = json_node_get_string (node);
        *out = g_ascii_strtod (s, &end);
        return end != s && *end == '\0';
      }
    default:
      return FALSE;
    }
}

static gboolean
node_has_value (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return *json_node_get_string (node) != '\0';
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) > 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_size (json_node_get_object (node)) > 0;
  return TRUE;
}

static gboolean
nodes_equal (JsonNode *a,
             JsonNode *b)
{
  double x, y;

  if (a == NULL || b == NULL)
    return FALSE;
  if (node_number (a, &x) && node_number (b, &y) &&
      JSON_NODE_HOLDS_VALUE (a) && JSON_NODE_HOLDS_VALUE (b) &&
      json_node_get_value_type (a) != G_TYPE_STRING && json_node_get_value_type (b) != G_TYPE_STRING)
    return x == y;
  return json_node_equal (a, b);
}

gboolean
ct_condition_eval (JsonNode *condition,
                   CtFacts  *facts)
{
  JsonObject *obj;
  JsonNode *value;
  double x, y;

  if (condition == NULL)
    return TRUE;
  obj = json_node_get_object (condition);

  if (json_object_has_member (obj, "all"))
    {
      JsonArray *arr = json_object_get_array_member (obj, "all");
      for (guint i = 0; i < json_array_get_length (arr); i++)
        if (!ct_condition_eval (json_array_get_element (arr, i), facts))
          return FALSE;
      return TRUE;
    }
  if (json_object_has_member (obj, "any"))
    {
      JsonArray *arr = json_object_get_array_member (obj, "any");
      for (guint i = 0; i < json_array_get_length (arr); i++)
        if (ct_condition_eval (json_array_get_element (arr, i), facts))
          return TRUE;
      return FALSE;
    }
  if (json_object_has_member (obj, "not"))
    return !ct_condition_eval (json_object_get_member (obj, "not"), facts);

  value = ct_facts_get (facts, json_object_get_string_member (obj, "fact"));

  if (json_object_has_member (obj, "exists"))
    return node_has_value (value) == json_object_get_boolean_member (obj, "exists");
  if (json_object_has_member (obj, "equals"))
    {
      JsonNode *want = json_object_get_member (obj, "equals");
      /* An absent boolean fact counts as false. */
      if (value == NULL && JSON_NODE_HOLDS_VALUE (want) && json_node_get_value_type (want) == G_TYPE_BOOLEAN)
        return !json_node_get_boolean (want);
      return nodes_equal (value, want);
    }
  if (json_object_has_member (obj, "in"))
    {
      JsonArray *arr = json_object_get_array_member (obj, "in");
      for (guint i = 0; i < json_array_get_length (arr); i++)
        if (nodes_equal (value, json_array_get_element (arr, i)))
          return TRUE;
      return FALSE;
    }
  if (json_object_has_member (obj, "gte"))
    return node_number (value, &x) && node_number (json_object_get_member (obj, "gte"), &y) && x >= y;
  if (json_object_has_member (obj, "lte"))
    return node_number (value, &x) && node_number (json_object_get_member (obj, "lte"), &y) && x <= y;
  return FALSE;
}

/* ---- evaluation ----------------------------------------------------------------------------- */

const char *
ct_req_state_to_id (CtReqState state)
{
  switch (state)
    {
    case CT_REQ_SATISFIED:
      return "satisfied";
    case CT_REQ_MISSING:
      return "missing";
    case CT_REQ_NOT_APPLICABLE:
    default:
      return "not-applicable";
    }
}

static gboolean
fact_true (CtFacts    *facts,
           const char *name)
{
  JsonNode *n = ct_facts_get (facts, name);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (n);
}

static const char *
form_title (CtFacts    *facts,
            const char *form)
{
  g_autofree char *key = g_strconcat ("title.form.", form, NULL);
  JsonNode *n = ct_facts_get (facts, key);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) ? json_node_get_string (n) : form;
}

static GDateTime *
fact_time (CtFacts    *facts,
           const char *name)
{
  JsonNode *n = ct_facts_get (facts, name);

  const char *text;
  GDateTime *t;
  int y, m, d;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  text = json_node_get_string (n);
  t = g_date_time_new_from_iso8601 (text, NULL);
  if (t != NULL)
    return t;
  /* A date field (YYYY-MM-DD) counts from the start of that day, China time. */
  if (strlen (text) == 10 && sscanf (text, "%4d-%2d-%2d", &y, &m, &d) == 3 && g_date_valid_dmy (d, m, y))
    {
      g_autoptr(GTimeZone) cst = g_time_zone_new_offset (8 * 3600);
      return g_date_time_new (cst, y, m, d, 0, 0, 0);
    }
  return NULL;
}

/* Without a holiday calendar: natural days end at the end of the day in
 * China time; working days skip Saturdays and Sundays only. */
static GDateTime *
approximate_deadline (GDateTime    *start,
                      CtPeriodUnit  unit,
                      guint         amount)
{
  g_autoptr(GTimeZone) cst = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (start, cst);
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) end = NULL;

  if (unit == CT_PERIOD_HOURS)
    return g_date_time_add_hours (start, amount);

  day = g_date_time_new (cst, g_date_time_get_year (local), g_date_time_get_month (local),
                         g_date_time_get_day_of_month (local), 0, 0, 0);
  if (unit == CT_PERIOD_DAYS)
    {
      GDateTime *next = g_date_time_add_days (day, amount);
      g_date_time_unref (day);
      day = next;
    }
  else
    {
      for (guint n = 0; n < amount;)
        {
          GDateTime *next = g_date_time_add_days (day, 1);
          g_date_time_unref (day);
          day = next;
          if (g_date_time_get_day_of_week (day) < 6)
            n++;
        }
    }
  end = g_date_time_add (day, G_TIME_SPAN_DAY - 1);
  return g_date_time_to_utc (end);
}

static gboolean
evaluate_rule (const CtRule  *r,
               CtFacts       *facts,
               CtCalendar    *calendar,
               CtRequirement *req,
               GError       **error)
{
  if (r->when != NULL && !ct_condition_eval (r->when, facts))
    {
      req->state = CT_REQ_NOT_APPLICABLE;
      req->reason = g_strdup (_("Does not apply to this case."));
      return TRUE;
    }

  switch (r->kind)
    {
    case CT_RULE_FORM:
      {
        g_autofree char *exists = g_strconcat ("form.", r->form, NULL);
        g_autofree char *complete = g_strconcat ("form.", r->form, ".complete", NULL);

        if (fact_true (facts, complete))
          req->state = CT_REQ_SATISFIED;
        else
          {
            req->state = CT_REQ_MISSING;
            req->reason = fact_true (facts, exists)
              ? g_strdup_printf (_("“%s” is not complete: fill in its required fields."), form_title (facts, r->form))
              : g_strdup_printf (_("“%s” has not been made."), form_title (facts, r->form));
          }
        return TRUE;
      }

    case CT_RULE_FIELD:
    case CT_RULE_AV_RECORD:
      {
        g_autofree char *name = g_strconcat ("form.", r->form, ".", r->field, NULL);
        g_autofree char *label_key = g_strconcat ("title.form.", r->form, ".", r->field, NULL);
        JsonNode *value = ct_facts_get (facts, name);
        JsonNode *label = ct_facts_get (facts, label_key);
        const char *field_label = label ? json_node_get_string (label) : r->field;
        gboolean ok = r->equals != NULL ? nodes_equal (value, r->equals) : node_has_value (value);

        req->state = ok ? CT_REQ_SATISFIED : CT_REQ_MISSING;
        if (!ok && r->kind == CT_RULE_AV_RECORD)
          req->reason = g_strdup_printf (_("No audio-visual recording is attached to “%s” of “%s”."),
                                         field_label, form_title (facts, r->form));
        else if (!ok && r->equals != NULL && JSON_NODE_HOLDS_VALUE (r->equals) &&
                 json_node_get_value_type (r->equals) == G_TYPE_BOOLEAN)
          req->reason = g_strdup_printf (_("“%s” of “%s” must be confirmed."), field_label, form_title (facts, r->form));
        else if (!ok && r->equals != NULL)
          req->reason = g_strdup_printf (_("“%s” of “%s” does not have the required value."),
                                         field_label, form_title (facts, r->form));
        else if (!ok)
          req->reason = g_strdup_printf (_("“%s” of “%s” is empty."), field_label, form_title (facts, r->form));
        return TRUE;
      }

    case CT_RULE_APPROVAL:
      {
        g_autofree char *name = g_strdup_printf ("approval.%s.%s", r->subject, ct_role_to_id (r->role));
        if (fact_true (facts, name))
          req->state = CT_REQ_SATISFIED;
        else
          {
            req->state = CT_REQ_MISSING;
            req->reason = g_strdup_printf (_("Needs the signed approval of a %s who is not an officer of the case."),
                                           ct_role_to_label (r->role));
          }
        return TRUE;
      }

    case CT_RULE_CONDITION:
      req->state = ct_condition_eval (r->condition, facts) ? CT_REQ_SATISFIED : CT_REQ_MISSING;
      if (req->state == CT_REQ_MISSING)
        {
          JsonNode *why = r->explain != NULL ? ct_facts_get (facts, r->explain) : NULL;
          if (why != NULL && JSON_NODE_HOLDS_VALUE (why) && json_node_get_value_type (why) == G_TYPE_STRING &&
              *json_node_get_string (why) != '\0')
            req->reason = g_strdup (json_node_get_string (why));
          else
            req->reason = g_strdup (_("The case does not meet this condition."));
        }
      return TRUE;

    case CT_RULE_DEADLINE:
      {
        g_autoptr(GDateTime) start = fact_time (facts, r->from);
        g_autoptr(GDateTime) done = fact_time (facts, r->until);
        g_autoptr(GDateTime) now = fact_time (facts, "now");
        g_autofree char *approx_note = NULL;
        GTimeSpan window;

        if (start == NULL)
          {
            req->state = CT_REQ_NOT_APPLICABLE;
            req->reason = g_strdup (_("The period has not started."));
            return TRUE;
          }
        if (r->minimum)
          {
            /* The act must come no earlier than the period after the start:
             * "at least seven days before the hearing" — counted from the
             * start of the start's day (China time) for days. */
            g_autoptr(GTimeZone) cst = g_time_zone_new_offset (8 * 3600);
            g_autoptr(GDateTime) local = g_date_time_to_timezone (start, cst);
            g_autoptr(GDateTime) day = g_date_time_new (cst, g_date_time_get_year (local),
                                                        g_date_time_get_month (local),
                                                        g_date_time_get_day_of_month (local), 0, 0, 0);
            g_autoptr(GDateTime) earliest = r->unit == CT_PERIOD_HOURS ? g_date_time_add_hours (start, r->amount)
                                                                      : g_date_time_add_days (day, r->amount);
            g_autoptr(GDateTime) shown = g_date_time_to_timezone (earliest, cst);
            g_autofree char *earliest_text = g_date_time_format (shown, "%Y-%m-%d %H:%M");

            req->deadline_state = CT_DEADLINE_OK;
            if (done == NULL)
              {
                req->state = CT_REQ_NOT_APPLICABLE;
                req->reason = g_strdup_printf (_("Not yet set; it may be no earlier than %s."), earliest_text);
              }
            else if (g_date_time_compare (done, earliest) < 0)
              {
                req->state = CT_REQ_MISSING;
                req->reason = g_strdup_printf (_("Too early: it may be no earlier than %s."), earliest_text);
              }
            else
              req->state = CT_REQ_SATISFIED;
            return TRUE;
          }
        if (calendar == NULL)
          {
            g_set_error (error, CT_ERROR, CT_ERROR_FAILED, _("No working-day calendar is loaded."));
            return FALSE;
          }
        {
          g_autoptr(GError) cal_error = NULL;

          req->due = ct_calendar_deadline (calendar, start, r->unit, r->amount, &cal_error);
          if (req->due == NULL)
            {
              /* A period that runs into a year the calendar does not cover
               * yet (the State Council publishes next year's holidays late
               * in the year) is still shown, counting weekends only, and
               * says so, rather than hiding the whole checklist. */
              if (!g_error_matches (cal_error, CT_ERROR, CT_ERROR_INVALID))
                {
                  g_propagate_error (error, g_steal_pointer (&cal_error));
                  return FALSE;
                }
              req->due = approximate_deadline (start, r->unit, r->amount);
              approx_note = g_strdup (cal_error->message);
            }
        }
        if (now == NULL)
          now = g_date_time_new_now_utc ();
        window = r->unit == CT_PERIOD_HOURS ? 6 * G_TIME_SPAN_HOUR : 3 * G_TIME_SPAN_DAY;
        req->deadline_state = ct_deadline_state (req->due, now, done, window);
        if (req->deadline_state == CT_DEADLINE_OVERDUE)
          {
            g_autoptr(GDateTime) local = g_date_time_to_local (req->due);
            g_autofree char *due_text = g_date_time_format (local, "%Y-%m-%d %H:%M");
            req->state = CT_REQ_MISSING;
            req->reason = done != NULL
              ? g_strdup_printf (_("Done late: it was due by %s."), due_text)
              : g_strdup_printf (_("Overdue: it was due by %s."), due_text);
          }
        else
          req->state = CT_REQ_SATISFIED; /* on time, or not yet due */
        if (approx_note != NULL)
          {
            char *with_note = g_strdup_printf (_("%s%sThe due date counts weekends only: %s"),
                                               req->reason ? req->reason : "", req->reason ? " " : "",
                                               approx_note);
            g_free (req->reason);
            req->reason = with_note;
          }
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

GPtrArray *
ct_ruleset_evaluate (CtRuleSet   *set,
                     const char  *procedure,
                     const char  *stage,
                     CtFacts     *facts,
                     CtCalendar  *calendar,
                     GError     **error)
{
  g_autoptr(GPtrArray) reqs = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_requirement_free);

  for (guint i = 0; i < set->rules->len; i++)
    {
      const CtRule *r = set->rules->pdata[i];
      CtRequirement *req;

      if (strcmp (r->procedure, procedure) != 0)
        continue;
      if (stage != NULL && strcmp (r->stage, stage) != 0)
        continue;

      req = g_new0 (CtRequirement, 1);
      req->rule = r;
      g_ptr_array_add (reqs, req);
      if (!evaluate_rule (r, facts, calendar, req, error))
        return NULL;
    }
  return g_steal_pointer (&reqs);
}

const char *
ct_ruleset_next_stage (CtRuleSet  *set,
                       const char *procedure,
                       const char *stage,
                       CtFacts    *facts)
{
  const CtProcedureDef *p = ct_ruleset_get_procedure (set, procedure);
  gboolean after = FALSE;

  if (p == NULL)
    return NULL;
  for (guint i = 0; i < p->stages->len; i++)
    {
      CtStageDef *s = p->stages->pdata[i];
      if (after && ct_condition_eval (s->when, facts))
        return s->id;
      if (strcmp (s->id, stage) == 0)
        {
          if (s->terminal)
            return NULL;
          after = TRUE;
        }
    }
  return NULL;
}

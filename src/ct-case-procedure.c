#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ct-case-procedure.h"

struct _CtCaseProcedure
{
  GObject parent_instance;

  CtStore        *store;      /* keeps the form registry alive */
  CtFormRegistry *registry;   /* borrowed from the store */
  gint64          case_id;
  char           *procedure;
  char           *title;
  char           *current;
  char           *shown;
  char           *next;
  gboolean        open;

  GPtrArray      *stages;
  GPtrArray      *requirements;
  GPtrArray      *branches;
  GPtrArray      *forms;
  GPtrArray      *approval_needs;
  GPtrArray      *flags;
  GPtrArray      *approvals;
};

G_DEFINE_FINAL_TYPE (CtCaseProcedure, ct_case_procedure, G_TYPE_OBJECT)

/* ---- records ------------------------------------------------------------------------- */

static void
stage_info_free (CtStageInfo *info)
{
  g_free (info->id);
  g_free (info->label);
  g_free (info);
}

static void
requirement_info_free (CtRequirementInfo *info)
{
  g_free (info->rule_id);
  g_free (info->title);
  g_free (info->reason);
  g_free (info->citation);
  g_free (info->form);
  g_free (info->subject);
  g_clear_pointer (&info->due, g_date_time_unref);
  g_free (info);
}

static void
branch_info_free (CtBranchInfo *info)
{
  g_free (info->to);
  g_free (info->title);
  g_free (info);
}

static void
form_info_free (CtFormInfo *info)
{
  g_free (info->id);
  g_free (info->title);
  g_free (info);
}

static void
approval_need_free (CtApprovalNeed *need)
{
  g_free (need->subject);
  g_free (need->title);
  g_free (need);
}

static void
flag_info_free (CtFlagInfo *info)
{
  g_free (info->name);
  g_free (info->value);
  g_strfreev (info->stages);
  g_strfreev (info->values);
  g_free (info);
}

/* ---- building the snapshot (on a worker thread) ---------------------------------------- */

/* Whether the UI shows Chinese: the same test the form templates use for
 * their labels (ct_form_template_display_title()), so rule titles and form
 * titles are always in one language. */
static gboolean
prefer_chinese (void)
{
  const char *messages = setlocale (LC_MESSAGES, NULL);
  const char * const *languages;

  if (messages == NULL || strcmp (messages, "C") == 0 || strcmp (messages, "POSIX") == 0)
    return FALSE;

  languages = g_get_language_names ();
  return languages[0] != NULL && g_str_has_prefix (languages[0], "zh");
}

static const char *
display (const char *zh,
         const char *en)
{
  if (prefer_chinese () || en == NULL || en[0] == '\0')
    return zh;
  return en;
}

static gboolean
fact_is_true (CtFacts    *facts,
              const char *name)
{
  JsonNode *node = ct_facts_get (facts, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

static const char *
fact_string (CtFacts    *facts,
             const char *name)
{
  JsonNode *node = ct_facts_get (facts, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
node_to_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    default:
      return NULL;
    }
}

/* -- the flags the rules ask about -- */

typedef struct {
  CtFlagKind  kind;
  gboolean    boolean;
  gboolean    number;
  GPtrArray  *stages;   /* char*, unique */
  GPtrArray  *values;   /* char*, unique */
} FlagScan;

static void
flag_scan_free (FlagScan *scan)
{
  g_ptr_array_unref (scan->stages);
  g_ptr_array_unref (scan->values);
  g_free (scan);
}

static void
add_unique (GPtrArray  *array,
            const char *value)
{
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (g_ptr_array_index (array, i), value) == 0)
      return;
  g_ptr_array_add (array, g_strdup (value));
}

static void
note_test_value (FlagScan *scan,
                 JsonNode *value)
{
  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value))
    return;

  switch (json_node_get_value_type (value))
    {
    case G_TYPE_BOOLEAN:
      scan->boolean = TRUE;
      break;
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      scan->number = TRUE;
      break;
    case G_TYPE_STRING:
      add_unique (scan->values, json_node_get_string (value));
      break;
    default:
      break;
    }
}

/* Walks a condition ({"fact", test}, {"all"|"any": […]}, {"not": …}) and
 * notes every "flag.*" fact it tests, how, and in which stage. */
static void
scan_condition (GHashTable *flags,
                GPtrArray  *order,
                JsonNode   *condition,
                const char *stage)
{
  JsonObject *obj;
  const char *fact;
  FlagScan *scan;

  if (condition == NULL || !JSON_NODE_HOLDS_OBJECT (condition))
    return;
  obj = json_node_get_object (condition);

  if (json_object_has_member (obj, "all") || json_object_has_member (obj, "any"))
    {
      JsonNode *list = json_object_get_member (obj, json_object_has_member (obj, "all") ? "all" : "any");

      if (JSON_NODE_HOLDS_ARRAY (list))
        {
          JsonArray *array = json_node_get_array (list);

          for (guint i = 0; i < json_array_get_length (array); i++)
            scan_condition (flags, order, json_array_get_element (array, i), stage);
        }
      return;
    }
  if (json_object_has_member (obj, "not"))
    {
      scan_condition (flags, order, json_object_get_member (obj, "not"), stage);
      return;
    }

  fact = json_object_get_string_member_with_default (obj, "fact", NULL);
  if (fact == NULL || !g_str_has_prefix (fact, "flag.") || fact[5] == '\0')
    return;

  scan = g_hash_table_lookup (flags, fact + 5);
  if (scan == NULL)
    {
      scan = g_new0 (FlagScan, 1);
      scan->stages = g_ptr_array_new_with_free_func (g_free);
      scan->values = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (flags, g_strdup (fact + 5), scan);
      g_ptr_array_add (order, g_strdup (fact + 5));
    }
  if (stage != NULL)
    add_unique (scan->stages, stage);

  if (json_object_has_member (obj, "equals"))
    note_test_value (scan, json_object_get_member (obj, "equals"));
  if (json_object_has_member (obj, "gte") || json_object_has_member (obj, "lte"))
    scan->number = TRUE;
  if (json_object_has_member (obj, "in") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "in")))
    {
      JsonArray *array = json_object_get_array_member (obj, "in");

      for (guint i = 0; i < json_array_get_length (array); i++)
        note_test_value (scan, json_array_get_element (array, i));
    }
}

static GStrv
strv_from_array (GPtrArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (array->len == 0)
    return NULL;
  for (guint i = 0; i < array->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (array, i));
  return g_strv_builder_end (builder);
}

static void
collect_flags (CtRuleSet            *rules,
               const CtProcedureDef *proc,
               CtFacts              *facts,
               GPtrArray            *flags)
{
  g_autoptr(GHashTable) scans = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) flag_scan_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *all = ct_ruleset_get_rules (rules);

  for (guint i = 0; i < proc->stages->len; i++)
    {
      const CtStageDef *stage = g_ptr_array_index (proc->stages, i);
      scan_condition (scans, order, stage->when, stage->id);
    }
  for (guint i = 0; i < proc->branches->len; i++)
    {
      const CtBranch *branch = g_ptr_array_index (proc->branches, i);
      scan_condition (scans, order, branch->when, branch->from);
    }
  for (guint i = 0; i < all->len; i++)
    {
      const CtRule *rule = g_ptr_array_index (all, i);

      if (g_strcmp0 (rule->procedure, proc->id) != 0)
        continue;
      scan_condition (scans, order, rule->when, rule->stage);
      scan_condition (scans, order, rule->condition, rule->stage);
    }

  for (guint i = 0; i < order->len; i++)
    {
      const char *name = g_ptr_array_index (order, i);
      FlagScan *scan = g_hash_table_lookup (scans, name);
      g_autofree char *fact = g_strconcat ("flag.", name, NULL);
      CtFlagInfo *info = g_new0 (CtFlagInfo, 1);

      info->name = g_strdup (name);
      if (scan->boolean)
        info->kind = CT_FLAG_BOOLEAN;
      else if (scan->number)
        info->kind = CT_FLAG_NUMBER;
      else
        info->kind = CT_FLAG_TEXT;
      info->value = node_to_text (ct_facts_get (facts, fact));
      info->stages = strv_from_array (scan->stages);
      info->values = strv_from_array (scan->values);
      g_ptr_array_add (flags, info);
    }
}

/* -- approvals a branch condition asks for ("approval.<subject>.<role>") -- */

static void
scan_branch_approvals (JsonNode   *condition,
                       GPtrArray  *needs,
                       const char *title,
                       CtFacts    *facts)
{
  JsonObject *obj;
  const char *fact;
  g_auto(GStrv) parts = NULL;
  CtRole role;

  if (condition == NULL || !JSON_NODE_HOLDS_OBJECT (condition))
    return;
  obj = json_node_get_object (condition);

  if (json_object_has_member (obj, "all") || json_object_has_member (obj, "any"))
    {
      JsonNode *list = json_object_get_member (obj, json_object_has_member (obj, "all") ? "all" : "any");

      if (JSON_NODE_HOLDS_ARRAY (list))
        {
          JsonArray *array = json_node_get_array (list);

          for (guint i = 0; i < json_array_get_length (array); i++)
            scan_branch_approvals (json_array_get_element (array, i), needs, title, facts);
        }
      return;
    }
  if (json_object_has_member (obj, "not"))
    return;  /* an approval that must be absent is not one to offer */

  fact = json_object_get_string_member_with_default (obj, "fact", NULL);
  if (fact == NULL || !g_str_has_prefix (fact, "approval."))
    return;
  parts = g_strsplit (fact, ".", -1);
  if (g_strv_length (parts) != 3 || !ct_role_from_id (parts[2], &role))
    return;

  for (guint i = 0; i < needs->len; i++)
    {
      const CtApprovalNeed *need = g_ptr_array_index (needs, i);
      if (need->role == role && g_strcmp0 (need->subject, parts[1]) == 0)
        return;
    }

  {
    CtApprovalNeed *need = g_new0 (CtApprovalNeed, 1);

    need->subject = g_strdup (parts[1]);
    need->role = role;
    need->title = g_strdup (title);
    need->applies = TRUE;
    need->satisfied = fact_is_true (facts, fact);
    g_ptr_array_add (needs, need);
  }
}

/* -- forms -- */

static CtFormInfo *
find_form (GPtrArray  *forms,
           const char *id)
{
  for (guint i = 0; i < forms->len; i++)
    {
      CtFormInfo *info = g_ptr_array_index (forms, i);
      if (g_strcmp0 (info->id, id) == 0)
        return info;
    }
  return NULL;
}

static CtFormInfo *
add_form (CtCaseProcedure      *self,
          const CtFormTemplate *tmpl,
          CtFacts              *facts)
{
  g_autofree char *made_key = g_strconcat ("form.", tmpl->id, NULL);
  g_autofree char *complete_key = g_strconcat ("form.", tmpl->id, ".complete", NULL);
  CtFormInfo *info = find_form (self->forms, tmpl->id);

  if (info != NULL)
    return info;

  info = g_new0 (CtFormInfo, 1);
  info->tmpl = tmpl;
  info->id = g_strdup (tmpl->id);
  info->title = g_strdup (ct_form_template_display_title (tmpl));
  info->made = fact_is_true (facts, made_key);
  info->complete = fact_is_true (facts, complete_key);

  if (info->made && !info->complete)
    {
      g_autoptr(JsonObject) values = ct_store_get_form (self->store, self->case_id, tmpl->id, NULL);

      if (values != NULL)
        {
          g_autoptr(GPtrArray) problems = ct_form_validate (tmpl, values);

          for (guint i = 0; i < problems->len; i++)
            if (((CtFormProblem *) g_ptr_array_index (problems, i))->kind == CT_FORM_PROBLEM_MISSING)
              info->n_missing++;
        }
    }

  g_ptr_array_add (self->forms, info);
  return info;
}

static gboolean
build (CtCaseProcedure  *self,
       const char       *stage,
       GError          **error)
{
  g_autoptr(CtFacts) facts = NULL;
  g_autoptr(GPtrArray) reqs = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  const CtProcedureDef *proc;
  CtRuleSet *rules;
  const char *status;
  gboolean ended = FALSE;
  int current_index = -1;

  rules = ct_store_get_rules (self->store, error);
  if (rules == NULL)
    return FALSE;
  self->registry = ct_store_get_forms (self->store, error);
  if (self->registry == NULL)
    return FALSE;
  facts = ct_store_case_facts (self->store, self->case_id, error);
  if (facts == NULL)
    return FALSE;

  self->procedure = g_strdup (fact_string (facts, "case.procedure"));
  self->current = g_strdup (fact_string (facts, "case.stage"));
  status = fact_string (facts, "case.status");
  self->open = g_strcmp0 (status, "open") == 0;

  proc = ct_ruleset_get_procedure (rules, self->procedure);
  if (proc == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("No rule pack of this agency defines the procedure “%s”."),
                   ct_choice_label (ct_procedure_types (), self->procedure));
      return FALSE;
    }
  self->title = g_strdup (display (proc->title, proc->title_en));

  /* The stages, in order. */
  for (guint i = 0; i < proc->stages->len; i++)
    if (g_strcmp0 (((CtStageDef *) g_ptr_array_index (proc->stages, i))->id, self->current) == 0)
      current_index = i;

  for (guint i = 0; i < proc->stages->len; i++)
    {
      const CtStageDef *def = g_ptr_array_index (proc->stages, i);
      g_autofree char *entered = g_strdup_printf ("stage.%s.entered_at", def->id);
      CtStageInfo *info = g_new0 (CtStageInfo, 1);

      info->id = g_strdup (def->id);
      info->label = g_strdup (ct_choice_label (ct_case_stages (), def->id));
      info->terminal = def->terminal;

      if ((int) i == current_index)
        info->state = CT_STAGE_CURRENT;
      else if ((int) i < current_index)
        info->state = ct_facts_get (facts, entered) != NULL ? CT_STAGE_DONE
                      : !ct_condition_eval (def->when, facts) ? CT_STAGE_SKIPPED
                      : CT_STAGE_NOT_TAKEN;
      else if (ended)
        info->state = CT_STAGE_NOT_TAKEN;   /* past an ending: reached only by a branch */
      else if (!ct_condition_eval (def->when, facts))
        info->state = CT_STAGE_SKIPPED;
      else
        info->state = CT_STAGE_UPCOMING;

      /* Once the case has passed (or is at) an ending, what follows it is
       * another ending. */
      if ((int) i >= current_index && def->terminal)
        ended = TRUE;

      g_ptr_array_add (self->stages, info);
    }

  if (stage != NULL && ct_case_procedure_lookup_stage (self, stage) != NULL)
    self->shown = g_strdup (stage);
  else
    self->shown = g_strdup (self->current);

  if (self->open)
    self->next = g_strdup (ct_ruleset_next_stage (rules, self->procedure, self->current, facts));

  /* The checklist of the shown stage. */
  reqs = ct_store_check_case (self->store, self->case_id, self->shown, error);
  if (reqs == NULL)
    return FALSE;

  for (guint i = 0; i < reqs->len; i++)
    {
      const CtRequirement *req = g_ptr_array_index (reqs, i);
      const CtRule *rule = req->rule;
      CtRequirementInfo *info = g_new0 (CtRequirementInfo, 1);

      info->rule_id = g_strdup (rule->id);
      info->kind = rule->kind;
      info->severity = rule->severity;
      info->state = req->state;
      info->title = g_strdup (display (rule->title, rule->title_en));
      info->reason = req->state != CT_REQ_SATISFIED ? g_strdup (req->reason) : NULL;
      info->citation = ct_basis_format (&rule->basis);
      if (rule->kind == CT_RULE_FORM || rule->kind == CT_RULE_FIELD || rule->kind == CT_RULE_AV_RECORD)
        info->form = g_strdup (rule->form);
      if (rule->kind == CT_RULE_APPROVAL)
        {
          info->subject = g_strdup (rule->subject);
          info->role = rule->role;
        }
      if (req->due != NULL)
        info->due = g_date_time_ref (req->due);
      info->deadline_state = req->deadline_state;
      g_ptr_array_add (self->requirements, info);
    }

  /* Forms: those the applicable rules name first, then the rest of the
   * stage's templates. */
  for (guint i = 0; i < self->requirements->len; i++)
    {
      const CtRequirementInfo *req = g_ptr_array_index (self->requirements, i);
      const CtFormTemplate *tmpl;
      CtFormInfo *info;

      if (req->form == NULL || req->state == CT_REQ_NOT_APPLICABLE)
        continue;
      tmpl = ct_form_registry_lookup (self->registry, req->form);
      if (tmpl == NULL)
        continue;
      info = add_form (self, tmpl, facts);
      info->required = TRUE;
    }
  templates = ct_form_registry_list (self->registry);
  for (guint i = 0; i < templates->len; i++)
    {
      const CtFormTemplate *tmpl = g_ptr_array_index (templates, i);

      if (g_strcmp0 (tmpl->stage, self->shown) == 0)
        add_form (self, tmpl, facts);
    }
  for (guint i = 0; i < self->requirements->len; i++)
    {
      const CtRequirementInfo *req = g_ptr_array_index (self->requirements, i);
      const CtFormTemplate *tmpl;

      if (req->form == NULL || req->state != CT_REQ_NOT_APPLICABLE)
        continue;
      tmpl = ct_form_registry_lookup (self->registry, req->form);
      if (tmpl != NULL)
        add_form (self, tmpl, facts);
    }

  /* Approvals the stage asks for, by its rules or its branches. */
  for (guint i = 0; i < self->requirements->len; i++)
    {
      const CtRequirementInfo *req = g_ptr_array_index (self->requirements, i);
      CtApprovalNeed *need;

      if (req->kind != CT_RULE_APPROVAL)
        continue;
      need = g_new0 (CtApprovalNeed, 1);
      need->subject = g_strdup (req->subject);
      need->role = req->role;
      need->title = g_strdup (req->title);
      need->applies = req->state != CT_REQ_NOT_APPLICABLE;
      need->satisfied = req->state == CT_REQ_SATISFIED;
      g_ptr_array_add (self->approval_needs, need);
    }

  for (guint i = 0; i < proc->branches->len; i++)
    {
      const CtBranch *branch = g_ptr_array_index (proc->branches, i);
      CtBranchInfo *info;

      if (g_strcmp0 (branch->from, self->shown) != 0)
        continue;
      info = g_new0 (CtBranchInfo, 1);
      info->to = g_strdup (branch->to);
      info->title = g_strdup (display (branch->title, branch->title_en));
      info->available = ct_condition_eval (branch->when, facts);
      g_ptr_array_add (self->branches, info);
      scan_branch_approvals (branch->when, self->approval_needs, info->title, facts);
    }

  collect_flags (rules, proc, facts, self->flags);

  self->approvals = ct_store_list_approvals (self->store, self->case_id, error);
  if (self->approvals == NULL)
    return FALSE;

  return TRUE;
}

CtCaseProcedure *
ct_case_procedure_load (CtStore     *store,
                        gint64       case_id,
                        const char  *stage,
                        GError     **error)
{
  g_autoptr(CtCaseProcedure) self = NULL;

  g_return_val_if_fail (CT_IS_STORE (store), NULL);

  self = g_object_new (CT_TYPE_CASE_PROCEDURE, NULL);
  self->store = g_object_ref (store);
  self->case_id = case_id;

  if (!build (self, stage, error))
    return NULL;

  return g_steal_pointer (&self);
}

typedef struct {
  gint64  case_id;
  char   *stage;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->stage);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GError) error = NULL;
  CtCaseProcedure *self;

  if (g_task_return_error_if_cancelled (task))
    return;

  self = ct_case_procedure_load (CT_STORE (source_object), data->case_id, data->stage, &error);
  if (self == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, self, g_object_unref);
}

void
ct_case_procedure_load_async (CtStore             *store,
                              gint64               case_id,
                              const char          *stage,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (CT_IS_STORE (store));

  data = g_new0 (LoadData, 1);
  data->case_id = case_id;
  data->stage = g_strdup (stage);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_case_procedure_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

CtCaseProcedure *
ct_case_procedure_load_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ct_case_procedure_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- getters ------------------------------------------------------------------------------ */

gint64
ct_case_procedure_get_case_id (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), 0);
  return self->case_id;
}

const char *
ct_case_procedure_get_procedure (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);
  return self->procedure;
}

const char *
ct_case_procedure_get_title (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);
  return self->title;
}

const char *
ct_case_procedure_get_current_stage (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);
  return self->current;
}

const char *
ct_case_procedure_get_shown_stage (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);
  return self->shown;
}

gboolean
ct_case_procedure_is_showing_current (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), FALSE);
  return g_strcmp0 (self->shown, self->current) == 0;
}

const char *
ct_case_procedure_get_next_stage (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);
  return self->next;
}

gboolean
ct_case_procedure_is_open (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), FALSE);
  return self->open;
}

GPtrArray *
ct_case_procedure_get_stages (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);
  return self->stages;
}

GPtrArray *
ct_case_procedure_get_requirements (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);
  return self->requirements;
}

GPtrArray *
ct_case_procedure_get_branches (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);
  return self->branches;
}

GPtrArray *
ct_case_procedure_get_forms (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);
  return self->forms;
}

GPtrArray *
ct_case_procedure_get_approval_needs (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);
  return self->approval_needs;
}

GPtrArray *
ct_case_procedure_get_flags (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);
  return self->flags;
}

GPtrArray *
ct_case_procedure_get_approvals (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);
  return self->approvals;
}

const CtStageInfo *
ct_case_procedure_lookup_stage (CtCaseProcedure *self,
                                const char      *stage)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);

  for (guint i = 0; i < self->stages->len; i++)
    {
      const CtStageInfo *info = g_ptr_array_index (self->stages, i);
      if (g_strcmp0 (info->id, stage) == 0)
        return info;
    }
  return NULL;
}

const CtFormInfo *
ct_case_procedure_lookup_form (CtCaseProcedure *self,
                               const char      *template_id)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);

  return find_form (self->forms, template_id);
}

const CtFormTemplate *
ct_case_procedure_lookup_template (CtCaseProcedure *self,
                                   const char      *template_id)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), NULL);

  if (self->registry == NULL || template_id == NULL)
    return NULL;
  return ct_form_registry_lookup (self->registry, template_id);
}

static guint
count_missing (CtCaseProcedure *self,
               CtSeverity       severity)
{
  guint n = 0;

  for (guint i = 0; i < self->requirements->len; i++)
    {
      const CtRequirementInfo *req = g_ptr_array_index (self->requirements, i);
      if (req->state == CT_REQ_MISSING && req->severity == severity)
        n++;
    }
  return n;
}

guint
ct_case_procedure_count_blocking (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), 0);
  return count_missing (self, CT_SEVERITY_BLOCK);
}

guint
ct_case_procedure_count_warnings (CtCaseProcedure *self)
{
  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), 0);
  return count_missing (self, CT_SEVERITY_WARN);
}

int
ct_case_procedure_get_deadline_state (CtCaseProcedure *self)
{
  int worst = -1;

  g_return_val_if_fail (CT_IS_CASE_PROCEDURE (self), -1);

  for (guint i = 0; i < self->requirements->len; i++)
    {
      const CtRequirementInfo *req = g_ptr_array_index (self->requirements, i);
      if (req->kind == CT_RULE_DEADLINE && req->due != NULL)
        worst = MAX (worst, (int) req->deadline_state);
    }
  return worst;
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
ct_case_procedure_finalize (GObject *object)
{
  CtCaseProcedure *self = CT_CASE_PROCEDURE (object);

  g_clear_pointer (&self->stages, g_ptr_array_unref);
  g_clear_pointer (&self->requirements, g_ptr_array_unref);
  g_clear_pointer (&self->branches, g_ptr_array_unref);
  g_clear_pointer (&self->forms, g_ptr_array_unref);
  g_clear_pointer (&self->approval_needs, g_ptr_array_unref);
  g_clear_pointer (&self->flags, g_ptr_array_unref);
  g_clear_pointer (&self->approvals, g_ptr_array_unref);
  g_clear_pointer (&self->procedure, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->current, g_free);
  g_clear_pointer (&self->shown, g_free);
  g_clear_pointer (&self->next, g_free);
  self->registry = NULL;
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ct_case_procedure_parent_class)->finalize (object);
}

static void
ct_case_procedure_class_init (CtCaseProcedureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ct_case_procedure_finalize;
}

static void
ct_case_procedure_init (CtCaseProcedure *self)
{
  self->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) stage_info_free);
  self->requirements = g_ptr_array_new_with_free_func ((GDestroyNotify) requirement_info_free);
  self->branches = g_ptr_array_new_with_free_func ((GDestroyNotify) branch_info_free);
  self->forms = g_ptr_array_new_with_free_func ((GDestroyNotify) form_info_free);
  self->approval_needs = g_ptr_array_new_with_free_func ((GDestroyNotify) approval_need_free);
  self->flags = g_ptr_array_new_with_free_func ((GDestroyNotify) flag_info_free);
}

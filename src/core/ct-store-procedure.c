#define G_LOG_DOMAIN "casetrail-core"

/* The procedure side of CtStore: forms, flags, the facts of a case, the
 * checklist and moving a case from stage to stage. */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "ct-audit.h"
#include "ct-calendar.h"
#include "ct-error.h"
#include "ct-form.h"
#include "ct-rules.h"
#include "ct-store-private.h"

void
ct_store_procedure_clear (CtStore *self)
{
  g_clear_pointer (&self->rules, ct_ruleset_free);
  g_clear_pointer (&self->forms, ct_form_registry_free);
  g_clear_pointer (&self->calendar, ct_calendar_free);
  g_clear_pointer (&self->rules_key, g_free);
}

char *
ct_store_data_path (const char *subdir)
{
  const char *env = g_getenv ("CASETRAIL_PKGDATADIR");

  return g_build_filename (env && *env ? env : PKGDATADIR, subdir, NULL);
}

static char *
read_pack_stack (CtStore *self,
                 GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = ct_db_prepare (self->db, "SELECT rulepacks FROM agency WHERE id = 1", error);

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_INITIALIZED, _("No agency has been set up yet."));
      return NULL;
    }
  return ct_db_column_dup (stmt, 0);
}

CtRuleSet *
ct_store_get_rules (CtStore *self,
                    GError **error)
{
  g_autofree char *stack = NULL;
  g_autofree char *dir = NULL;
  g_auto(GStrv) ids = NULL;

  CT_STORE_LOCK (self);

  stack = read_pack_stack (self, error);
  if (stack == NULL)
    return NULL;
  if (self->rules != NULL && g_strcmp0 (self->rules_key, stack) == 0)
    return self->rules;

  dir = ct_store_data_path ("rulepacks");
  ids = g_strsplit (stack, ",", -1);
  g_clear_pointer (&self->rules, ct_ruleset_free);
  self->rules = ct_ruleset_load (dir, (const char * const *) ids, error);
  if (self->rules == NULL)
    return NULL;
  g_free (self->rules_key);
  self->rules_key = g_steal_pointer (&stack);
  return self->rules;
}

CtFormRegistry *
ct_store_get_forms (CtStore *self,
                    GError **error)
{
  CT_STORE_LOCK (self);

  if (self->forms == NULL)
    {
      g_autofree char *dir = ct_store_data_path ("forms");
      self->forms = ct_form_registry_load_dir (dir, error);
    }
  return self->forms;
}

CtCalendar *
ct_store_get_calendar (CtStore *self,
                       GError **error)
{
  CT_STORE_LOCK (self);

  if (self->calendar == NULL)
    {
      g_autofree char *dir = ct_store_data_path ("calendars");
      g_autoptr(CtCalendar) cal = ct_calendar_new ();
      if (!ct_calendar_load_dir (cal, dir, error))
        return NULL;
      self->calendar = g_steal_pointer (&cal);
    }
  return self->calendar;
}

/* ---- who may touch a case ------------------------------------------------------- */

gboolean
ct_case_has_officer (CtCase    *c,
                     CtSession *session)
{
  for (guint i = 0; i < c->officers->len; i++)
    if (((CtCaseOfficer *) c->officers->pdata[i])->user_id == session->user_id)
      return TRUE;
  return FALSE;
}

static gboolean
is_certified_handler_of (CtCase    *c,
                         CtSession *session)
{
  for (guint i = 0; i < c->officers->len; i++)
    {
      CtCaseOfficer *o = c->officers->pdata[i];
      if (o->user_id == session->user_id && !o->assistant && o->certified)
        return TRUE;
    }
  return FALSE;
}

static gboolean
may_edit (CtCase     *c,
          CtSession  *session,
          GError    **error)
{
  if (session == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("Sign in to change the case."));
      return FALSE;
    }
  if (g_strcmp0 (c->status, "archived") == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("Case %s is archived and can no longer change."), c->number);
      return FALSE;
    }
  if (ct_case_has_officer (c, session) ||
      ct_session_has_role (session, CT_ROLE_LEGAL_REVIEWER) ||
      ct_session_has_role (session, CT_ROLE_SUPERVISOR))
    return TRUE;
  g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
               _("%s is not an officer of case %s; only its officers, legal reviewers and supervisors may change it."),
               ct_session_get_display_name (session), c->number);
  return FALSE;
}

CtCase *
ct_store_read_case_by_id (CtStore *self,
                          gint64   case_id,
                          GError **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  return ct_store_read_case (self, id, error);
}

/* ---- forms ------------------------------------------------------------------------ */

gboolean
ct_store_save_form (CtStore     *self,
                    CtSession   *session,
                    gint64       case_id,
                    const char  *template_id,
                    JsonObject  *values,
                    GError     **error)
{
  g_autoptr(CtCase) c = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *now = NULL;
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  g_autofree char *detail = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *version_str = NULL;
  CtFormRegistry *forms;
  const CtFormTemplate *t;
  gboolean complete;
  gint64 version = 1;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);
  g_return_val_if_fail (values != NULL, FALSE);

  forms = ct_store_get_forms (self, error);
  if (forms == NULL)
    return FALSE;
  t = ct_form_registry_lookup (forms, template_id);
  if (t == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("There is no form template “%s”."), template_id);
      return FALSE;
    }

  /* Wrong types and unknown fields are refused; what is merely missing
   * is kept, and the form counts as incomplete. */
  problems = ct_form_validate (t, values);
  for (guint i = 0; i < problems->len; i++)
    {
      CtFormProblem *p = problems->pdata[i];
      if (p->kind != CT_FORM_PROBLEM_MISSING)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID, "%s: %s",
                       ct_form_template_display_title (t), p->message);
          return FALSE;
        }
    }
  complete = problems->len == 0;
  canonical = ct_form_canonical_json (t, values);

  CT_STORE_LOCK (self);

  if (!ct_db_begin (self->db, error))
    return FALSE;
  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL || !may_edit (c, session, error))
    goto fail;

  stmt = ct_db_prepare (self->db, "SELECT version FROM forms WHERE case_id = ? AND template = ?", error);
  if (stmt == NULL)
    goto fail;
  ct_db_bind_int64 (stmt, 1, case_id);
  ct_db_bind_text (stmt, 2, template_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0) + 1;
  g_clear_pointer (&stmt, sqlite3_finalize);

  now = ct_db_now_iso ();
  if (version == 1)
    stmt = ct_db_prepare (self->db,
                          "INSERT INTO forms (data, version, complete, updated_at, updated_by, case_id, template,"
                          " created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?4, ?5)",
                          error);
  else
    stmt = ct_db_prepare (self->db,
                          "UPDATE forms SET data = ?1, version = ?2, complete = ?3, updated_at = ?4, updated_by = ?5"
                          " WHERE case_id = ?6 AND template = ?7",
                          error);
  if (stmt == NULL)
    goto fail;
  ct_db_bind_text (stmt, 1, canonical);
  ct_db_bind_int64 (stmt, 2, version);
  ct_db_bind_int64 (stmt, 3, complete ? 1 : 0);
  ct_db_bind_text (stmt, 4, now);
  ct_db_bind_int64 (stmt, 5, ct_session_get_user_id (session));
  ct_db_bind_int64 (stmt, 6, case_id);
  ct_db_bind_text (stmt, 7, template_id);
  if (!ct_db_step_done (self->db, stmt, error))
    goto fail;

  version_str = g_strdup_printf ("%" G_GINT64_FORMAT, version);
  summary = g_strdup_printf (version == 1 ? _("“%s” made") : _("“%s” changed"), ct_form_template_display_title (t));
  /* The audit row carries the full values, so every version of the form
   * can be read back from the chain. */
  detail = ct_store_detail_json ("template", template_id, "version", version_str,
                                 "complete", complete ? "yes" : "no", "data", canonical, NULL);
  if (!ct_store_add_event (self, session, case_id, "form", summary, error) ||
      !ct_store_touch_case (self, case_id, error) ||
      ct_store_audit (self, session, "form.save", "case", id_str, case_id, detail, error) == 0)
    goto fail;
  return ct_db_commit (self->db, error);

fail:
  ct_db_rollback (self->db);
  return FALSE;
}

JsonObject *
ct_store_get_form (CtStore     *self,
                   gint64       case_id,
                   const char  *template_id,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  CT_STORE_LOCK (self);

  stmt = ct_db_prepare (self->db, "SELECT data FROM forms WHERE case_id = ? AND template = ?", error);
  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  ct_db_bind_text (stmt, 2, template_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND,
                   _("Case %" PRId64 " has no form “%s” yet."), case_id, template_id);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 0), -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INTEGRITY,
                   _("The saved form “%s” of case %" PRId64 " is damaged."), template_id, case_id);
      return NULL;
    }
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

GStrv
ct_store_list_forms (CtStore *self,
                     gint64   case_id,
                     GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  CT_STORE_LOCK (self);
  stmt = ct_db_prepare (self->db, "SELECT template FROM forms WHERE case_id = ? ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (b, (const char *) sqlite3_column_text (stmt, 0));
  return g_strv_builder_end (b);
}

/* ---- flags ----------------------------------------------------------------------------- */

gboolean
ct_store_set_flag (CtStore     *self,
                   CtSession   *session,
                   gint64       case_id,
                   const char  *flag,
                   const char  *value,
                   GError     **error)
{
  g_autoptr(CtCase) c = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  g_autofree char *now = ct_db_now_iso ();
  g_autofree char *detail = NULL;
  g_autofree char *summary = NULL;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);

  if (flag == NULL || *flag == '\0' || strspn (flag, "abcdefghijklmnopqrstuvwxyz_0123456789") != strlen (flag))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Flag “%s”: use lower-case letters, digits and “_”."), flag ? flag : "");
      return FALSE;
    }
  if (g_str_has_prefix (flag, "drawn_"))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("“%s” records a random draw and cannot be set by hand; draw the inspectors instead."), flag);
      return FALSE;
    }

  CT_STORE_LOCK (self);
  if (!ct_db_begin (self->db, error))
    return FALSE;
  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL || !may_edit (c, session, error))
    goto fail;

  if (value != NULL)
    {
      stmt = ct_db_prepare (self->db,
                            "INSERT INTO case_flags (case_id, flag, value, set_at, set_by) VALUES (?1, ?2, ?3, ?4, ?5)"
                            " ON CONFLICT (case_id, flag) DO UPDATE SET value = ?3, set_at = ?4, set_by = ?5",
                            error);
      if (stmt == NULL)
        goto fail;
      ct_db_bind_int64 (stmt, 1, case_id);
      ct_db_bind_text (stmt, 2, flag);
      ct_db_bind_text (stmt, 3, value);
      ct_db_bind_text (stmt, 4, now);
      ct_db_bind_int64 (stmt, 5, ct_session_get_user_id (session));
      summary = g_strdup_printf (_("“%s” set to “%s”"), flag, value);
    }
  else
    {
      stmt = ct_db_prepare (self->db, "DELETE FROM case_flags WHERE case_id = ? AND flag = ?", error);
      if (stmt == NULL)
        goto fail;
      ct_db_bind_int64 (stmt, 1, case_id);
      ct_db_bind_text (stmt, 2, flag);
      summary = g_strdup_printf (_("“%s” cleared"), flag);
    }
  if (!ct_db_step_done (self->db, stmt, error))
    goto fail;

  detail = ct_store_detail_json ("flag", flag, "value", value, NULL);
  if (!ct_store_add_event (self, session, case_id, "flag", summary, error) ||
      !ct_store_touch_case (self, case_id, error) ||
      ct_store_audit (self, session, "case.flag", "case", id_str, case_id, detail, error) == 0)
    goto fail;
  return ct_db_commit (self->db, error);

fail:
  ct_db_rollback (self->db);
  return FALSE;
}

/* ---- facts ------------------------------------------------------------------------------ */

static void
flag_fact (CtFacts    *facts,
           const char *flag,
           const char *value)
{
  g_autofree char *name = g_strconcat ("flag.", flag, NULL);

  if (g_strcmp0 (value, "true") == 0 || g_strcmp0 (value, "false") == 0)
    ct_facts_set_boolean (facts, name, strcmp (value, "true") == 0);
  else
    {
      char *end = NULL;
      gint64 n = g_ascii_strtoll (value, &end, 10);
      if (end != value && end != NULL && *end == '\0')
        ct_facts_set_int (facts, name, n);
      else
        ct_facts_set_string (facts, name, value);
    }
}

/* @media maps the case's media hashes to their kinds; a scan must be a
 * "document" medium, a clip any medium. */
static gboolean
clip_in_case (JsonNode   *clip,
              GHashTable *media,
              gboolean    scan)
{
  const char *ref;
  const char *kind;

  if (clip == NULL || !JSON_NODE_HOLDS_OBJECT (clip))
    return FALSE;
  ref = json_object_get_string_member_with_default (json_node_get_object (clip), "media", NULL);
  if (ref != NULL && g_str_has_prefix (ref, "sha256:"))
    ref += strlen ("sha256:");
  if (ref == NULL || !g_hash_table_lookup_extended (media, ref, NULL, (gpointer *) &kind))
    return FALSE;
  return !scan || g_strcmp0 (kind, "document") == 0;
}

/* A clip (scan), or a list of them, all of them of media of the case. */
static gboolean
clips_in_case (JsonNode   *value,
               GHashTable *media,
               gboolean    scan)
{
  if (value != NULL && JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *a = json_node_get_array (value);
      if (json_array_get_length (a) == 0)
        return FALSE;
      for (guint i = 0; i < json_array_get_length (a); i++)
        if (!clip_in_case (json_array_get_element (a, i), media, scan))
          return FALSE;
      return TRUE;
    }
  return clip_in_case (value, media, scan);
}

static gboolean
form_facts (CtStore        *self,
            CtFormRegistry *forms,
            gint64          case_id,
            CtFacts        *facts,
            GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) media = NULL;
  int rc;

  /* Titles, so the checklist can name forms and fields as people know them. */
  {
    g_autoptr(GPtrArray) list = ct_form_registry_list (forms);
    for (guint i = 0; i < list->len; i++)
      {
        const CtFormTemplate *t = list->pdata[i];
        g_autofree char *key = g_strconcat ("title.form.", t->id, NULL);
        ct_facts_set_string (facts, key, ct_form_template_display_title (t));
        for (guint f = 0; f < t->fields->len; f++)
          {
            const CtFieldDef *fd = t->fields->pdata[f];
            g_autofree char *fkey = g_strconcat ("title.form.", t->id, ".", fd->id, NULL);
            ct_facts_set_string (facts, fkey, ct_field_def_display_label (fd));
          }
      }
  }

  media = ct_store_case_media_hashes (self, case_id, error);
  if (media == NULL)
    return FALSE;

  stmt = ct_db_prepare (self->db, "SELECT template, data, updated_at FROM forms WHERE case_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  ct_db_bind_int64 (stmt, 1, case_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *template_id = (const char *) sqlite3_column_text (stmt, 0);
      const CtFormTemplate *t = ct_form_registry_lookup (forms, template_id);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *base = g_strconcat ("form.", template_id, NULL);
      g_autofree char *complete_key = g_strconcat (base, ".complete", NULL);
      g_autofree char *saved_key = g_strconcat (base, ".saved_at", NULL);
      JsonObject *values;
      g_autoptr(GList) members = NULL;

      ct_facts_set_boolean (facts, base, TRUE);
      ct_facts_set_string (facts, saved_key, (const char *) sqlite3_column_text (stmt, 2));
      if (!json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 1), -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        continue;
      values = json_node_get_object (json_parser_get_root (parser));
      /* Completeness is judged against today's template, not the flag saved
       * with the form, so a changed template shows at once. */
      ct_facts_set_boolean (facts, complete_key, t != NULL && ct_form_is_complete (t, values));
      members = json_object_get_members (values);
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *key = g_strconcat (base, ".", (const char *) l->data, NULL);
          JsonNode *value = json_object_get_member (values, l->data);
          const CtFieldDef *fd = t != NULL ? ct_form_template_get_field (t, l->data) : NULL;

          /* A clip proves something only when its medium is evidence of
           * this case and still in the store; a scan, when that medium is a
           * scanned document. */
          if (fd != NULL && (fd->type == CT_FIELD_CLIP || fd->type == CT_FIELD_SCAN) &&
              !clips_in_case (value, media, fd->type == CT_FIELD_SCAN))
            continue;
          ct_facts_set (facts, key, json_node_copy (value));
        }
    }
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, _("Could not read the forms"));
      return FALSE;
    }
  return TRUE;
}

CtFacts *
ct_store_case_facts (CtStore *self,
                     gint64   case_id,
                     GError **error)
{
  g_autoptr(CtFacts) facts = ct_facts_new ();
  g_autoptr(CtCase) c = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) approvals = NULL;
  g_autofree char *now = ct_db_now_iso ();
  CtFormRegistry *forms;
  guint certified = 0;

  forms = ct_store_get_forms (self, error);
  if (forms == NULL)
    return NULL;

  CT_STORE_LOCK (self);

  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL)
    return NULL;

  ct_facts_set_string (facts, "now", now);
  ct_facts_set_string (facts, "case.number", c->number);
  ct_facts_set_string (facts, "case.procedure", c->procedure);
  ct_facts_set_string (facts, "case.source", c->source);
  ct_facts_set_string (facts, "case.stage", c->stage);
  ct_facts_set_string (facts, "case.status", c->status);
  ct_facts_set_string (facts, "case.created_at", c->created_at);
  ct_facts_set_string (facts, "case.party_kind", c->party.kind);
  ct_facts_set_boolean (facts, "case.has_source_detail", c->source_detail != NULL);
  for (guint i = 0; i < c->officers->len; i++)
    {
      CtCaseOfficer *o = c->officers->pdata[i];
      if (!o->assistant && o->certified)
        certified++;
    }
  ct_facts_set_int (facts, "case.certified_officers", certified);
  ct_facts_set_int (facts, "case.officers", c->officers->len);

  stmt = ct_db_prepare (self->db, "SELECT flag, value FROM case_flags WHERE case_id = ?", error);
  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    flag_fact (facts, (const char *) sqlite3_column_text (stmt, 0), (const char *) sqlite3_column_text (stmt, 1));
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = ct_db_prepare (self->db, "SELECT stage, entered_at, left_at FROM case_stages WHERE case_id = ? ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *stage = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *entered = g_strdup_printf ("stage.%s.entered_at", stage);
      g_autofree char *left = g_strdup_printf ("stage.%s.left_at", stage);
      /* The first entry into a stage counts for its periods. */
      if (ct_facts_get (facts, entered) == NULL)
        ct_facts_set_string (facts, entered, (const char *) sqlite3_column_text (stmt, 1));
      if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        ct_facts_set_string (facts, left, (const char *) sqlite3_column_text (stmt, 2));
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!form_facts (self, forms, case_id, facts, error) ||
      !ct_store_media_facts (self, case_id, facts, error))
    return NULL;

  approvals = ct_store_list_approvals (self, case_id, error);
  if (approvals == NULL)
    return NULL;
  for (guint i = 0; i < approvals->len; i++)
    {
      CtApproval *a = approvals->pdata[i];
      g_autofree char *key = NULL;
      g_autofree char *at = NULL;
      if (!a->valid)
        continue;
      key = g_strdup_printf ("approval.%s.%s", a->subject, a->role);
      at = g_strdup_printf ("approval.%s.at", a->subject);
      ct_facts_set_boolean (facts, key, TRUE);
      ct_facts_set_string (facts, at, a->signed_at);
    }

  return g_steal_pointer (&facts);
}

/* ---- checklist and advancing -------------------------------------------------------------- */

static GPtrArray *
check_locked (CtStore     *self,
              CtCase      *c,
              const char  *stage,
              GError     **error)
{
  g_autoptr(CtFacts) facts = NULL;
  CtRuleSet *rules;
  CtCalendar *calendar;

  rules = ct_store_get_rules (self, error);
  if (rules == NULL)
    return NULL;
  calendar = ct_store_get_calendar (self, error);
  if (calendar == NULL)
    return NULL;
  facts = ct_store_case_facts (self, c->id, error);
  if (facts == NULL)
    return NULL;
  return ct_ruleset_evaluate (rules, c->procedure, stage ? stage : c->stage, facts, calendar, error);
}

GPtrArray *
ct_store_check_case (CtStore     *self,
                     gint64       case_id,
                     const char  *stage,
                     GError     **error)
{
  g_autoptr(CtCase) c = NULL;

  CT_STORE_LOCK (self);
  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL)
    return NULL;
  return check_locked (self, c, stage, error);
}

char *
ct_store_blocked_message (CtCase    *c,
                          GPtrArray *reqs)
{
  g_autoptr(GString) s = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; i < reqs->len; i++)
    {
      CtRequirement *r = reqs->pdata[i];
      g_autofree char *basis = NULL;
      if (r->state != CT_REQ_MISSING || r->rule->severity != CT_SEVERITY_BLOCK)
        continue;
      basis = ct_basis_format (&r->rule->basis);
      g_string_append_printf (s, "\n  • %s — %s [%s; %s]", r->rule->title, r->reason, basis, r->rule->id);
      n++;
    }
  if (n == 0)
    return NULL;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Case %s cannot leave stage “%s”: %u requirement is missing:%s",
                                       "Case %s cannot leave stage “%s”: %u requirements are missing:%s", n),
                          c->number, ct_choice_label (ct_case_stages (), c->stage), n, s->str);
}

gboolean
ct_store_enter_stage (CtStore    *self,
                      CtSession  *session,
                      CtCase     *c,
                      const char *stage,
                      GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = ct_db_now_iso ();
  const char *status = "open";

  stmt = ct_db_prepare (self->db, "UPDATE case_stages SET left_at = ? WHERE case_id = ? AND left_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  ct_db_bind_text (stmt, 1, now);
  ct_db_bind_int64 (stmt, 2, c->id);
  if (!ct_db_step_done (self->db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = ct_db_prepare (self->db, "INSERT INTO case_stages (case_id, stage, entered_at, entered_by) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  ct_db_bind_int64 (stmt, 1, c->id);
  ct_db_bind_text (stmt, 2, stage);
  ct_db_bind_text (stmt, 3, now);
  ct_db_bind_int64 (stmt, 4, ct_session_get_user_id (session));
  if (!ct_db_step_done (self->db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (strcmp (stage, "closed") == 0)
    status = "closed";
  else if (strcmp (stage, "archived") == 0)
    status = "archived";
  stmt = ct_db_prepare (self->db, "UPDATE cases SET stage = ?, status = ?, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  ct_db_bind_text (stmt, 1, stage);
  ct_db_bind_text (stmt, 2, status);
  ct_db_bind_text (stmt, 3, now);
  ct_db_bind_int64 (stmt, 4, c->id);
  return ct_db_step_done (self->db, stmt, error);
}

char *
ct_store_advance_case (CtStore     *self,
                       CtSession   *session,
                       gint64       case_id,
                       const char  *to,
                       GError     **error)
{
  g_autoptr(CtCase) c = NULL;
  g_autoptr(GPtrArray) reqs = NULL;
  g_autoptr(CtFacts) facts = NULL;
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  g_autofree char *message = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *target = NULL;
  const CtProcedureDef *proc;
  CtRuleSet *rules;
  const char *next;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  rules = ct_store_get_rules (self, error);
  if (rules == NULL)
    return NULL;

  CT_STORE_LOCK (self);

  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL)
    return NULL;
  if (session == NULL || !is_certified_handler_of (c, session))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("Only a certified handler of case %s moves it to the next stage."), c->number);
      return NULL;
    }
  if (g_strcmp0 (c->status, "open") != 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Case %s is concluded (%s); it has no further stage."), c->number,
                   ct_choice_label (ct_case_stages (), c->stage));
      return NULL;
    }

  proc = ct_ruleset_get_procedure (rules, c->procedure);
  if (proc == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("No rule pack of this agency defines the procedure “%s”."), c->procedure);
      return NULL;
    }

  facts = ct_store_case_facts (self, case_id, error);
  if (facts == NULL)
    return NULL;
  next = ct_ruleset_next_stage (rules, c->procedure, c->stage, facts);

  if (to == NULL || (next != NULL && strcmp (to, next) == 0))
    {
      if (next == NULL)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("Case %s is at the last stage of its procedure."), c->number);
          return NULL;
        }
      target = g_strdup (next);
    }
  else
    {
      /* A branch: allowed only from this stage and when its condition holds. */
      for (guint i = 0; i < proc->branches->len && target == NULL; i++)
        {
          CtBranch *b = proc->branches->pdata[i];
          if (strcmp (b->from, c->stage) == 0 && strcmp (b->to, to) == 0)
            {
              if (!ct_condition_eval (b->when, facts))
                {
                  g_set_error (error, CT_ERROR, CT_ERROR_BLOCKED,
                               _("Case %s cannot take the branch “%s” yet: its conditions are not met."),
                               c->number, b->title);
                  return NULL;
                }
              target = g_strdup (to);
            }
        }
      if (target == NULL)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("Case %s cannot go from stage “%s” to “%s”; the next stage is “%s”."),
                       c->number, ct_choice_label (ct_case_stages (), c->stage),
                       ct_choice_label (ct_case_stages (), to),
                       next ? ct_choice_label (ct_case_stages (), next) : "—");
          return NULL;
        }
    }

  /* The archived stage is reached only with the case file made and stored
   * (001_79771f0fef6d4575.txt 第二十一条): ct_store_archive_case(). */
  if (strcmp (target, "archived") == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Case %s is archived together with its dossier: use Archive Case "
                     "(casetrail-cli case archive)."), c->number);
      return NULL;
    }

  reqs = check_locked (self, c, NULL, error);
  if (reqs == NULL)
    return NULL;
  message = ct_store_blocked_message (c, reqs);
  if (message != NULL)
    {
      g_set_error_literal (error, CT_ERROR, CT_ERROR_BLOCKED, message);
      return NULL;
    }

  if (!ct_db_begin (self->db, error))
    return NULL;
  summary = g_strdup_printf (_("Moved from “%s” to “%s”"), ct_choice_label (ct_case_stages (), c->stage),
                             ct_choice_label (ct_case_stages (), target));
  detail = ct_store_detail_json ("from", c->stage, "to", target, NULL);
  if (!ct_store_enter_stage (self, session, c, target, error) ||
      !ct_store_add_event (self, session, case_id, "stage", summary, error) ||
      ct_store_audit (self, session, "case.advance", "case", id_str, case_id, detail, error) == 0 ||
      !ct_db_commit (self->db, error))
    {
      ct_db_rollback (self->db);
      return NULL;
    }
  return g_steal_pointer (&target);
}

gboolean
ct_store_set_stage_unchecked (CtStore    *self,
                              CtSession  *session,
                              gint64      case_id,
                              const char *stage,
                              const char *summary,
                              GError    **error)
{
  g_autoptr(CtCase) c = NULL;
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  g_autofree char *detail = ct_store_detail_json ("stage", stage, NULL);

  CT_STORE_LOCK (self);
  if (!ct_db_begin (self->db, error))
    return FALSE;
  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL ||
      !ct_store_enter_stage (self, session, c, stage, error) ||
      !ct_store_add_event (self, session, case_id, "stage", summary, error) ||
      ct_store_audit (self, session, "case.stage", "case", id_str, case_id, detail, error) == 0)
    {
      ct_db_rollback (self->db);
      return FALSE;
    }
  return ct_db_commit (self->db, error);
}

/* ---- double-random selection of inspectors ------------------------------------------------ */

/* A uniform integer in [0, bound) from the strong random generator. */
static guint32
random_below (guint32 bound)
{
  guint32 limit = G_MAXUINT32 - G_MAXUINT32 % bound;
  guint32 r;

  do
    ct_random_bytes (&r, sizeof r);
  while (r >= limit);
  return r % bound;
}

GStrv
ct_store_draw_inspectors (CtStore    *self,
                          CtSession  *session,
                          gint64      case_id,
                          guint       count,
                          GError    **error)
{
  g_autoptr(CtCase) c = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GStrvBuilder) drawn = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  g_autofree char *pool_text = NULL;
  g_autofree char *drawn_text = NULL;
  g_autofree char *count_text = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *now = ct_db_now_iso ();
  int rc;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  if (count < 2)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Draw at least two inspectors: an inspection needs two certified officers (行政处罚法 第四十二条)."));
      return NULL;
    }

  CT_STORE_LOCK (self);
  if (!ct_db_begin (self->db, error))
    return NULL;
  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL || !may_edit (c, session, error))
    goto fail;

  stmt = ct_db_prepare (self->db,
                        "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'handler'"
                        " WHERE u.certified = 1 AND u.active = 1 ORDER BY u.username",
                        error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (pool, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, _("Could not read the officers"));
      goto fail;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (pool->len < count)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Cannot draw %u inspectors: the agency has only %u active certified handler.",
                                "Cannot draw %u inspectors: the agency has only %u active certified handlers.",
                                pool->len),
                   count, pool->len);
      goto fail;
    }

  {
    g_autoptr(GString) joined = g_string_new (NULL);
    for (guint i = 0; i < pool->len; i++)
      g_string_append_printf (joined, "%s%s", i ? "," : "", (const char *) pool->pdata[i]);
    pool_text = g_string_free (g_steal_pointer (&joined), FALSE);
  }

  /* A partial Fisher–Yates shuffle: each k-subset equally likely. */
  for (guint i = 0; i < count; i++)
    {
      guint j = i + random_below (pool->len - i);
      gpointer tmp = pool->pdata[i];
      pool->pdata[i] = pool->pdata[j];
      pool->pdata[j] = tmp;
      g_strv_builder_add (drawn, pool->pdata[i]);
    }
  result = g_strv_builder_end (drawn);
  drawn_text = g_strjoinv (",", result);
  count_text = g_strdup_printf ("%u", count);

  stmt = ct_db_prepare (self->db,
                        "INSERT INTO case_flags (case_id, flag, value, set_at, set_by) VALUES (?1, 'drawn_inspectors', ?2, ?3, ?4)"
                        " ON CONFLICT (case_id, flag) DO UPDATE SET value = ?2, set_at = ?3, set_by = ?4",
                        error);
  if (stmt == NULL)
    goto fail;
  ct_db_bind_int64 (stmt, 1, case_id);
  ct_db_bind_text (stmt, 2, drawn_text);
  ct_db_bind_text (stmt, 3, now);
  ct_db_bind_int64 (stmt, 4, ct_session_get_user_id (session));
  if (!ct_db_step_done (self->db, stmt, error))
    goto fail;

  summary = g_strdup_printf (_("Inspectors drawn at random from %u certified handlers: %s"), pool->len, drawn_text);
  detail = ct_store_detail_json ("pool", pool_text, "count", count_text, "drawn", drawn_text, NULL);
  if (!ct_store_add_event (self, session, case_id, "draw", summary, error) ||
      !ct_store_touch_case (self, case_id, error) ||
      ct_store_audit (self, session, "inspection.draw", "case", id_str, case_id, detail, error) == 0 ||
      !ct_db_commit (self->db, error))
    goto fail;
  return g_steal_pointer (&result);

fail:
  ct_db_rollback (self->db);
  return NULL;
}

#define G_LOG_DOMAIN "casetrail-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-model.h"

typedef struct {
  CtRole      role;
  const char *id;
  const char *label;
} RoleInfo;

static const RoleInfo roles[CT_N_ROLES] = {
  { CT_ROLE_HANDLER,        "handler",        N_("Case handler") },
  { CT_ROLE_ASSISTANT,      "assistant",      N_("Assistant") },
  { CT_ROLE_LEGAL_REVIEWER, "legal_reviewer", N_("Legal reviewer") },
  { CT_ROLE_SUPERVISOR,     "supervisor",     N_("Supervisor") },
  { CT_ROLE_ARCHIVIST,      "archivist",      N_("Archivist") },
  { CT_ROLE_ADMIN,          "admin",          N_("Administrator") },
};

CtRole
ct_role_nth (guint n)
{
  g_return_val_if_fail (n < CT_N_ROLES, CT_ROLE_HANDLER);
  return roles[n].role;
}

const char *
ct_role_to_id (CtRole role)
{
  for (guint i = 0; i < CT_N_ROLES; i++)
    if (roles[i].role == role)
      return roles[i].id;
  return NULL;
}

gboolean
ct_role_from_id (const char *id,
                 CtRole     *role)
{
  if (id == NULL)
    return FALSE;
  for (guint i = 0; i < CT_N_ROLES; i++)
    if (g_strcmp0 (roles[i].id, id) == 0)
      {
        *role = roles[i].role;
        return TRUE;
      }
  return FALSE;
}

const char *
ct_role_to_label (CtRole role)
{
  for (guint i = 0; i < CT_N_ROLES; i++)
    if (roles[i].role == role)
      return _(roles[i].label);
  return "";
}

char *
ct_roles_to_string (guint flags)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < CT_N_ROLES; i++)
    if (flags & roles[i].role)
      {
        if (s->len > 0)
          g_string_append_c (s, ',');
        g_string_append (s, roles[i].id);
      }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static const CtChoice case_sources[] = {
  { "inspection",          N_("Found during inspection"),        "监督检查发现" },
  { "complaint",           N_("Complaint"),                      "投诉" },
  { "report",              N_("Report by the public"),           "举报" },
  { "judicial_suggestion", N_("Judicial suggestion"),            "司法建议" },
  { "assigned",            N_("Assigned by a superior agency"),  "上级交办" },
  { "transferred",         N_("Transferred by another agency"),  "其他机关移送" },
  { NULL, NULL, NULL }
};

static const CtChoice party_kinds[] = {
  { "person",       N_("Person"),       "公民" },
  { "organization", N_("Organization"), "法人或者其他组织" },
  { NULL, NULL, NULL }
};

static const CtChoice procedure_types[] = {
  { "general",    N_("General penalty procedure"),          "行政处罚一般程序" },
  { "simplified", N_("Simplified on-the-spot penalty"),     "行政处罚简易程序" },
  { "inspection", N_("Administrative inspection"),          "行政检查" },
  { "coercive",   N_("Administrative coercive measures"),   "行政强制措施" },
  { "complaint",  N_("Complaint about enforcement"),        "执法投诉举报" },
  { NULL, NULL, NULL }
};

static const CtChoice case_stages[] = {
  { "filing",                N_("Filing"),                 "立案" },
  { "investigation",         N_("Investigation"),          "调查取证" },
  { "rights_notice",         N_("Rights notice"),          "权利告知" },
  { "hearing",               N_("Hearing"),                "听证" },
  { "legal_review",          N_("Legal review"),           "法制审核" },
  { "collective_discussion", N_("Collective discussion"),  "集体讨论" },
  { "decision",              N_("Decision"),               "决定" },
  { "service",               N_("Service"),                "送达" },
  { "enforcement",           N_("Enforcement"),            "执行" },
  { "archive",               N_("Archive"),                "归档" },
  { "on_the_spot",           N_("On-the-spot decision"),   "当场处罚" },
  { "notice",                N_("Inspection notice"),      "检查通知" },
  { "inspection",            N_("Inspection"),             "实施检查" },
  { "report",                N_("Inspection report"),      "检查报告" },
  { "measure",               N_("Coercive measure"),       "实施强制措施" },
  { "acceptance",            N_("Acceptance"),             "受理" },
  { "conclusion",            N_("Conclusion"),             "办结" },
  { "closed",                N_("Closed"),                 "结案" },
  { "archived",              N_("Archived"),               "已归档" },
  { NULL, NULL, NULL }
};

const CtChoice *ct_case_sources (void)    { return case_sources; }
const CtChoice *ct_party_kinds (void)     { return party_kinds; }
const CtChoice *ct_procedure_types (void) { return procedure_types; }
const CtChoice *ct_case_stages (void)     { return case_stages; }

const CtChoice *
ct_choice_lookup (const CtChoice *table,
                  const char     *id)
{
  if (id == NULL)
    return NULL;
  for (const CtChoice *c = table; c->id != NULL; c++)
    if (strcmp (c->id, id) == 0)
      return c;
  return NULL;
}

const char *
ct_choice_label (const CtChoice *table,
                 const char     *id)
{
  const CtChoice *c = ct_choice_lookup (table, id);

  return c != NULL ? _(c->label) : (id != NULL ? id : "");
}

void
ct_user_free (CtUser *user)
{
  if (user == NULL)
    return;
  g_free (user->username);
  g_free (user->display_name);
  g_free (user->cert_number);
  g_free (user->created_at);
  g_free (user->key_alg);
  g_free (user->key_fingerprint);
  g_free (user);
}

void
ct_agency_free (CtAgency *agency)
{
  if (agency == NULL)
    return;
  g_free (agency->name);
  g_free (agency->case_number_pattern);
  g_free (agency->created_at);
  g_free (agency);
}

static void
ct_party_clear (CtParty *p)
{
  g_clear_pointer (&p->kind, g_free);
  g_clear_pointer (&p->name, g_free);
  g_clear_pointer (&p->id_number, g_free);
  g_clear_pointer (&p->address, g_free);
  g_clear_pointer (&p->contact, g_free);
  g_clear_pointer (&p->legal_rep, g_free);
}

void
ct_case_free (CtCase *c)
{
  if (c == NULL)
    return;
  g_free (c->number);
  g_free (c->procedure);
  g_free (c->cause);
  g_free (c->source);
  g_free (c->source_detail);
  g_free (c->place);
  g_free (c->stage);
  g_free (c->status);
  g_free (c->created_at);
  g_free (c->updated_at);
  ct_party_clear (&c->party);
  g_clear_pointer (&c->officers, g_ptr_array_unref);
  g_clear_pointer (&c->events, g_ptr_array_unref);
  g_free (c);
}

void
ct_case_officer_free (CtCaseOfficer *o)
{
  if (o == NULL)
    return;
  g_free (o->username);
  g_free (o->display_name);
  g_free (o->cert_number);
  g_free (o);
}

void
ct_case_event_free (CtCaseEvent *e)
{
  if (e == NULL)
    return;
  g_free (e->at);
  g_free (e->user_name);
  g_free (e->kind);
  g_free (e->summary);
  g_free (e);
}

/* ct-rules.h — rule packs, procedures and the checklist engine
 *
 * A rule pack (JSON under data/rulepacks/) declares procedures with their
 * stages and the rules that must hold before a stage can be left.  An
 * agency stacks packs (national base → province → local); a later pack
 * replaces an earlier rule or procedure with the same id.  Every rule cites
 * its legal basis (document, article, clause) and either blocks or warns.
 *
 * The engine is pure: it evaluates the stacked rules against a CtFacts
 * table the store builds from a case (its fields, flags, forms, approvals,
 * stage history), so it is tested and benchmarked without a database.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ct-calendar.h"
#include "ct-model.h"

G_BEGIN_DECLS

typedef enum {
  CT_RULE_FORM,       /* a form of a template exists and is complete */
  CT_RULE_FIELD,      /* a form field has a value (or a given value) */
  CT_RULE_APPROVAL,   /* a valid signed approval of a subject by a role */
  CT_RULE_AV_RECORD,  /* an audio-visual clip is attached (a clip field) */
  CT_RULE_DEADLINE,   /* an act happens within a period */
  CT_RULE_CONDITION,  /* a fact about the case holds */
} CtRuleKind;

typedef enum {
  CT_SEVERITY_BLOCK,
  CT_SEVERITY_WARN,
} CtSeverity;

typedef struct {
  char *file;     /* "002_bd12176678c1676b.txt" or "行政处罚法" */
  char *article;  /* "第六条" */
  char *clause;   /* "第一款", may be NULL */
} CtBasis;

typedef struct {
  char        *id;
  char        *pack;        /* the pack that defined it (last in the stack wins) */
  char        *procedure;
  char        *stage;
  CtRuleKind   kind;
  CtSeverity   severity;
  CtBasis      basis;
  char        *title;       /* Chinese, as in the regulation */
  char        *title_en;
  JsonNode    *when;        /* NULL: always applies */
  /* form, field, av-record */
  char        *form;
  char        *field;
  JsonNode    *equals;      /* field: the required value, NULL = any value */
  /* approval */
  char        *subject;
  CtRole       role;
  /* condition */
  JsonNode    *condition;
  char        *explain;     /* fact holding a sentence that says why it fails, may be NULL */
  /* deadline */
  char        *from;        /* fact holding the start timestamp */
  char        *until;       /* fact holding the completion timestamp */
  CtPeriodUnit unit;
  guint        amount;
  gboolean     minimum;     /* "until" must come at least the period after "from" */
} CtRule;

typedef struct {
  char     *id;
  JsonNode *when;           /* NULL: the stage always applies */
  gboolean  terminal;       /* a case that reaches it is concluded */
} CtStageDef;

typedef struct {
  char      *id;
  char      *pack;
  char      *title;
  char      *title_en;
  GPtrArray *stages;        /* CtStageDef*, in order */
  /* Branches: a case may leave stage "from" for stage "to" instead of the
   * next one, when "when" holds (e.g. not filed → closed). */
  GPtrArray *branches;      /* CtBranch* */
} CtProcedureDef;

typedef struct {
  char     *from;
  char     *to;
  char     *title;
  char     *title_en;
  JsonNode *when;
} CtBranch;

typedef struct _CtRuleSet CtRuleSet;

/* Loads and validates one pack file; errors name the file, the rule and the
 * field. */
gboolean    ct_rulepack_validate_file (const char *path, GError **error);

/* Stacks the packs @pack_ids (in order) found in @dir. */
CtRuleSet  *ct_ruleset_load        (const char          *dir,
                                    const char * const  *pack_ids,
                                    GError             **error);
void        ct_ruleset_free        (CtRuleSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtRuleSet, ct_ruleset_free)

const CtProcedureDef *ct_ruleset_get_procedure (CtRuleSet *set, const char *procedure);
/* Every rule after stacking, in pack order then file order. */
GPtrArray  *ct_ruleset_get_rules   (CtRuleSet *set);
const CtRule *ct_ruleset_lookup_rule (CtRuleSet *set, const char *rule_id);
/* Ids of the stacked packs, in order. */
const char * const *ct_ruleset_get_pack_ids (CtRuleSet *set);

/* ---- the evidence policy ------------------------------------------------------------ */

/* A pack may carry a "media" object:
 *   "storage":      {"period": {"unit": "hours"|"days"|"working-days", "amount": N}, "basis": {…}}
 *   "retention":    {"patrol": {"months": N, "basis": {…}}, "evidence": {"years": N, "basis": {…}}}
 *                   (either of "months"/"years" in each)
 *   "interruption": {"min_gap_seconds": N, "session_break_minutes": N, "basis": {…}}
 * Each of storage, retention.patrol, retention.evidence and interruption is
 * replaced as a whole by a later pack that states it. */
typedef struct {
  gboolean     set;
  char        *pack;
  CtBasis      basis;
  /* storage */
  CtPeriodUnit unit;
  guint        amount;
  /* retention */
  guint        months;
  /* interruption */
  guint        min_gap_seconds;
  guint        session_break_minutes;
} CtMediaPolicyItem;

typedef struct {
  CtMediaPolicyItem storage;
  CtMediaPolicyItem retention_patrol;
  CtMediaPolicyItem retention_evidence;
  CtMediaPolicyItem interruption;
} CtMediaPolicy;

const CtMediaPolicy *ct_ruleset_get_media_policy (CtRuleSet *set);

/* ---- facts -------------------------------------------------------------------- */

/* Name → JSON value.  Names used by the store:
 *   case.<column>                 case.procedure, case.filed_at, case.certified_officers, …
 *   flag.<name>                   flags a handler sets: flag.complex, flag.major, flag.hearing_requested, …
 *   form.<template>               true when a form of the template exists
 *   form.<template>.complete      true when it also passes validation
 *   form.<template>.<field>       field values
 *   form.<template>.saved_at      when it was last saved
 *   approval.<subject>            true when a valid approval exists
 *   approval.<subject>.at         when it was signed
 *   stage.<id>.entered_at / left_at
 *   now                           the evaluation time (ISO 8601)
 */
typedef struct _CtFacts CtFacts;

CtFacts  *ct_facts_new          (void);
void      ct_facts_free         (CtFacts *facts);
void      ct_facts_set          (CtFacts *facts, const char *name, JsonNode *value); /* takes ownership */
void      ct_facts_set_string   (CtFacts *facts, const char *name, const char *value);
void      ct_facts_set_int      (CtFacts *facts, const char *name, gint64 value);
void      ct_facts_set_boolean  (CtFacts *facts, const char *name, gboolean value);
JsonNode *ct_facts_get          (CtFacts *facts, const char *name);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtFacts, ct_facts_free)

/* Evaluates a condition ({"fact":…, "equals"|"in"|"gte"|"lte"|"exists":…},
 * {"all":[…]}, {"any":[…]}, {"not":…}).  Unknown facts are absent. */
gboolean  ct_condition_eval     (JsonNode *condition, CtFacts *facts);

/* ---- the checklist --------------------------------------------------------------- */

typedef enum {
  CT_REQ_SATISFIED,
  CT_REQ_MISSING,
  CT_REQ_NOT_APPLICABLE,
} CtReqState;

typedef struct {
  const CtRule   *rule;           /* owned by the rule set */
  CtReqState      state;
  char           *reason;         /* translated, says what is missing or why it does not apply */
  /* deadlines */
  GDateTime      *due;            /* NULL unless a deadline */
  CtDeadlineState deadline_state;
} CtRequirement;

void ct_requirement_free (CtRequirement *req);

const char *ct_req_state_to_id (CtReqState state); /* "satisfied", "missing", "not-applicable" */

/* The requirements of @stage of @procedure (NULL: every stage), in rule
 * order.  @calendar may be NULL when no deadline applies. */
GPtrArray *ct_ruleset_evaluate (CtRuleSet   *set,
                                const char  *procedure,
                                const char  *stage,
                                CtFacts     *facts,
                                CtCalendar  *calendar,
                                GError     **error);

/* The stage that follows @stage for a case with @facts, skipping stages
 * whose "when" does not hold; NULL at the end. */
const char *ct_ruleset_next_stage (CtRuleSet  *set,
                                   const char *procedure,
                                   const char *stage,
                                   CtFacts    *facts);

/* A one-line citation, e.g. "002_bd12176678c1676b.txt 第六条 第一款". */
char *ct_basis_format (const CtBasis *basis);

G_END_DECLS

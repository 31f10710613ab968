/* ct-model.h — plain data records handed out by the core
 *
 * Records are plain structs owned by the caller (free with the matching
 * _free function or g_autoptr).  They are snapshots: changing one changes
 * nothing in the database.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ---- roles --------------------------------------------------------------- */

typedef enum {
  CT_ROLE_HANDLER        = 1 << 0, /* 承办人 */
  CT_ROLE_ASSISTANT      = 1 << 1, /* 协助执法人员 */
  CT_ROLE_LEGAL_REVIEWER = 1 << 2, /* 法制审核人员 */
  CT_ROLE_SUPERVISOR     = 1 << 3, /* 负责人 */
  CT_ROLE_ARCHIVIST      = 1 << 4, /* 档案/设备管理员 */
  CT_ROLE_ADMIN          = 1 << 5, /* 管理员 */
} CtRole;

#define CT_N_ROLES 6

/* Who reviews footage: annotates it and has a review queue.  A mask, for
 * ct_session_has_role () (any of). */
#define CT_ROLES_REVIEW (CT_ROLE_LEGAL_REVIEWER | CT_ROLE_SUPERVISOR)

/* Stable identifiers used in the database, the CLI and JSON. */
const char *ct_role_to_id      (CtRole role);
gboolean    ct_role_from_id    (const char *id, CtRole *role);
/* Translated, human-readable name ("Case handler" / "承办人"). */
const char *ct_role_to_label   (CtRole role);
/* Comma-separated ids of every role in @roles. */
char       *ct_roles_to_string (guint roles);
CtRole      ct_role_nth        (guint n);   /* n < CT_N_ROLES */

/* ---- enumerations stored as text ----------------------------------------- */

typedef struct {
  const char *id;     /* stored identifier, e.g. "complaint" */
  const char *label;  /* untranslated English label (N_()), translate with _() */
  const char *zh;     /* the official Chinese term, printed on forms */
} CtChoice;

/* NULL-terminated tables (id == NULL ends them). */
const CtChoice *ct_case_sources     (void); /* inspection, complaint, report, judicial_suggestion, assigned, transferred */
const CtChoice *ct_party_kinds      (void); /* person, organization */
const CtChoice *ct_procedure_types  (void); /* general, simplified, inspection, coercive, complaint */
/* Every stage id any procedure uses: filing, investigation, rights_notice,
 * hearing, legal_review, collective_discussion, decision, service,
 * enforcement, archive, closed, … (the procedure engine orders them). */
const CtChoice *ct_case_stages      (void);
/* Translated label of a stage/status id, or the id itself when unknown. */
const char     *ct_choice_label     (const CtChoice *table, const char *id);
const CtChoice *ct_choice_lookup    (const CtChoice *table, const char *id);

/* ---- users --------------------------------------------------------------- */

typedef struct {
  gint64  id;
  char   *username;
  char   *display_name;
  char   *cert_number;   /* 执法证号, NULL when none */
  gboolean certified;    /* holds a law-enforcement certificate */
  guint   roles;         /* CtRole flags */
  gboolean active;
  char   *created_at;    /* ISO 8601 UTC */
  char   *key_alg;       /* "ed25519" | "sm2-sm3" of the current signing key */
  char   *key_fingerprint;
} CtUser;

void ct_user_free (CtUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtUser, ct_user_free)

/* What the caller supplies to create a user. */
typedef struct {
  const char *username;
  const char *display_name;
  const char *cert_number;
  gboolean    certified;
  guint       roles;
} CtUserSpec;

/* ---- agency -------------------------------------------------------------- */

typedef struct {
  char    *name;                /* 示例市市场监督管理局 */
  char    *case_number_pattern; /* X司罚立〔{year}〕{seq}号 */
  gboolean national_crypto;     /* SM2/SM3 instead of Ed25519 for new keys; SM3 beside SHA-256 */
  char    *created_at;
} CtAgency;

void ct_agency_free (CtAgency *agency);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtAgency, ct_agency_free)

/* ---- cases --------------------------------------------------------------- */

typedef struct {
  char *kind;        /* "person" | "organization" */
  char *name;
  char *id_number;   /* 身份证号 / 统一社会信用代码 */
  char *address;
  char *contact;
  char *legal_rep;   /* organizations: 法定代表人 */
} CtParty;

typedef struct {
  gint64  user_id;
  char   *username;
  char   *display_name;
  char   *cert_number;
  gboolean certified;
  gboolean assistant;  /* takes part as 协助执法人员 */
} CtCaseOfficer;

typedef struct {
  gint64  id;
  char   *at;
  gint64  user_id;        /* 0 when the system did it */
  char   *user_name;
  char   *kind;           /* "created", "stage", "approval", … */
  char   *summary;        /* one line, human readable */
} CtCaseEvent;

typedef struct {
  gint64   id;
  char    *number;        /* 案号 */
  char    *procedure;     /* ct_procedure_types() id */
  char    *cause;         /* 案由 */
  char    *source;        /* ct_case_sources() id */
  char    *source_detail; /* complainant, referring organ, … */
  char    *place;
  char    *stage;         /* current stage id */
  char    *status;        /* "open" | "closed" | "archived" */
  char    *created_at;
  char    *updated_at;
  gint64   created_by;
  CtParty  party;
  GPtrArray *officers;    /* CtCaseOfficer*; NULL in list results */
  GPtrArray *events;      /* CtCaseEvent*;  NULL in list results */
} CtCase;

void ct_case_officer_free (CtCaseOfficer *officer);
void ct_case_event_free   (CtCaseEvent *event);
void ct_case_free         (CtCase *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtCase, ct_case_free)

/* What the caller supplies to open a case. */
typedef struct {
  const char *procedure;
  const char *cause;
  const char *source;
  const char *source_detail;
  const char *place;
  const char *party_kind;
  const char *party_name;
  const char *party_id_number;
  const char *party_address;
  const char *party_contact;
  const char *party_legal_rep;
  /* Usernames of the officers; at least two must be certified handlers. */
  const char * const *handlers;
  const char * const *assistants;
} CtCaseSpec;

G_END_DECLS

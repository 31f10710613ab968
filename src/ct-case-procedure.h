/* ct-case-procedure.h — where a case stands in its procedure, for the UI
 *
 * A CtCaseProcedure is an immutable snapshot, built on a worker thread from
 * the store (rule packs, forms, facts, the checklist of one stage, the
 * approvals), of everything the case view shows about the procedure: the
 * stages in order with their state, the checklist of the shown stage, its
 * forms, the approvals it asks for, the branches out of it and the facts
 * (flags) the rules ask a person to state.  Everything is copied out of the
 * rule set, so the snapshot stays valid whatever the store loads later;
 * only the form templates are borrowed from the store's form registry,
 * which lives as long as the store (the snapshot holds a reference).
 *
 * GTK-free: it can be built and inspected without a display.
 */
#pragma once

#include <gio/gio.h>

#include "ct-store.h"

G_BEGIN_DECLS

typedef enum {
  CT_STAGE_DONE,        /* entered and left */
  CT_STAGE_CURRENT,     /* the case is there */
  CT_STAGE_UPCOMING,    /* still ahead and applies */
  CT_STAGE_SKIPPED,     /* its "when" does not hold for the case (as it is now) */
  CT_STAGE_NOT_TAKEN,   /* passed over by a branch, or an ending the case did not reach */
} CtStageState;

typedef struct {
  char         *id;
  char         *label;      /* translated */
  CtStageState  state;
  gboolean      terminal;
} CtStageInfo;

typedef struct {
  char           *rule_id;
  CtRuleKind      kind;
  CtSeverity      severity;
  CtReqState      state;
  char           *title;     /* in the UI's language */
  char           *reason;    /* what is missing, why it does not apply; NULL when satisfied */
  char           *citation;  /* ct_basis_format() */
  char           *form;      /* template id (form, field, av-record), else NULL */
  char           *subject;   /* approval subject, else NULL */
  CtRole          role;      /* approval role */
  GDateTime      *due;       /* deadlines that have started, else NULL */
  CtDeadlineState deadline_state;
} CtRequirementInfo;

typedef struct {
  char    *to;
  char    *title;            /* in the UI's language */
  gboolean available;        /* its condition holds now */
} CtBranchInfo;

typedef struct {
  const CtFormTemplate *tmpl;  /* borrowed from the store's registry */
  char    *id;
  char    *title;              /* in the UI's language */
  gboolean made;
  gboolean complete;
  guint    n_missing;          /* required fields still empty, when made */
  gboolean required;           /* an applicable rule of the stage asks for it */
} CtFormInfo;

typedef struct {
  char    *subject;
  CtRole   role;
  char    *title;              /* the rule (or branch) that asks for it */
  gboolean applies;
  gboolean satisfied;
} CtApprovalNeed;

typedef enum {
  CT_FLAG_BOOLEAN,
  CT_FLAG_NUMBER,
  CT_FLAG_TEXT,
} CtFlagKind;

typedef struct {
  char       *name;            /* without "flag." */
  CtFlagKind  kind;
  char       *value;           /* as stored ("true", "5000", "penalty"), NULL when unset */
  GStrv       stages;          /* ids of the stages whose rules ask about it */
  GStrv       values;          /* text values the rules test for, or NULL */
} CtFlagInfo;

#define CT_TYPE_CASE_PROCEDURE (ct_case_procedure_get_type ())
G_DECLARE_FINAL_TYPE (CtCaseProcedure, ct_case_procedure, CT, CASE_PROCEDURE, GObject)

/* Builds the snapshot of case @case_id showing the checklist of @stage
 * (NULL, or a stage the procedure lacks: the current stage).  Fails like
 * ct_store_check_case(): rule packs not installed, an unknown case, … */
void             ct_case_procedure_load_async  (CtStore             *store,
                                                gint64               case_id,
                                                const char          *stage,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
CtCaseProcedure *ct_case_procedure_load_finish (GAsyncResult  *result,
                                                GError       **error);
/* The same, synchronously (blocks on the store). */
CtCaseProcedure *ct_case_procedure_load        (CtStore     *store,
                                                gint64       case_id,
                                                const char  *stage,
                                                GError     **error);

gint64       ct_case_procedure_get_case_id        (CtCaseProcedure *self);
const char  *ct_case_procedure_get_procedure      (CtCaseProcedure *self);
/* The procedure's title in the UI's language. */
const char  *ct_case_procedure_get_title          (CtCaseProcedure *self);
const char  *ct_case_procedure_get_current_stage  (CtCaseProcedure *self);
const char  *ct_case_procedure_get_shown_stage    (CtCaseProcedure *self);
gboolean     ct_case_procedure_is_showing_current (CtCaseProcedure *self);
/* The stage a plain advance moves to, NULL at the end. */
const char  *ct_case_procedure_get_next_stage     (CtCaseProcedure *self);
/* Whether the case is open (not closed or archived). */
gboolean     ct_case_procedure_is_open            (CtCaseProcedure *self);

GPtrArray   *ct_case_procedure_get_stages         (CtCaseProcedure *self); /* CtStageInfo* */
GPtrArray   *ct_case_procedure_get_requirements   (CtCaseProcedure *self); /* CtRequirementInfo* */
GPtrArray   *ct_case_procedure_get_branches       (CtCaseProcedure *self); /* CtBranchInfo*, out of the shown stage */
GPtrArray   *ct_case_procedure_get_forms          (CtCaseProcedure *self); /* CtFormInfo* */
GPtrArray   *ct_case_procedure_get_approval_needs (CtCaseProcedure *self); /* CtApprovalNeed* */
GPtrArray   *ct_case_procedure_get_flags          (CtCaseProcedure *self); /* CtFlagInfo* */
GPtrArray   *ct_case_procedure_get_approvals      (CtCaseProcedure *self); /* CtApproval* */

const CtStageInfo    *ct_case_procedure_lookup_stage    (CtCaseProcedure *self,
                                                         const char      *stage);
const CtFormInfo     *ct_case_procedure_lookup_form     (CtCaseProcedure *self,
                                                         const char      *template_id);
/* Any template of the registry (not only the shown stage's), or NULL. */
const CtFormTemplate *ct_case_procedure_lookup_template (CtCaseProcedure *self,
                                                         const char      *template_id);

/* Missing requirements of the shown stage that block / only warn. */
guint        ct_case_procedure_count_blocking     (CtCaseProcedure *self);
guint        ct_case_procedure_count_warnings     (CtCaseProcedure *self);

/* The worst deadline state of the shown stage's running deadlines, or -1. */
int          ct_case_procedure_get_deadline_state (CtCaseProcedure *self);

G_END_DECLS

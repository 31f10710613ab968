/* ct-store.h — the case store: one database, its users, cases and audit chain
 *
 * CtStore is the single entry point of the core for the app, the CLI and the
 * tests.  Every public call is thread-safe (calls are serialized on the
 * store's lock) and every call that changes case data or is an auditable
 * action (login, failed login, view, export) appends its audit row in the
 * same database transaction as the change.
 *
 * The synchronous calls block on disk; the app uses the _async/_finish pairs,
 * which run the same synchronous calls on a worker thread.
 */
#pragma once

#include <gio/gio.h>

#include "ct-model.h"
#include "ct-crypto.h"
#include "ct-document.h"
#include "ct-audit.h"
#include "ct-error.h"
#include "ct-form.h"
#include "ct-rules.h"

G_BEGIN_DECLS

#define CT_TYPE_STORE (ct_store_get_type ())
G_DECLARE_FINAL_TYPE (CtStore, ct_store, CT, STORE, GObject)

/* ---- the data directory -------------------------------------------------- */

/* --data-dir, else $CASETRAIL_DATA_DIR, else $XDG_DATA_HOME/casetrail. */
char    *ct_store_default_data_dir (void);

/* Opens (creating when absent) DIR/casetrail.db and migrates it to the
 * current schema.  Fails with CT_ERROR_DB_TOO_NEW on a database written by a
 * newer version. */
CtStore *ct_store_open             (const char  *data_dir,
                                    GError     **error);
const char *ct_store_get_data_dir  (CtStore *self);
int      ct_store_get_schema_version (CtStore *self);

/* For tests and the CLI's kdf benchmark: lower the Argon2id cost of users
 * created from now on (never below 8 MiB; production default is 64 MiB). */
void     ct_store_set_kdf_params   (CtStore *self, const CtKdfParams *params);

/* ---- sessions ------------------------------------------------------------ */

typedef struct _CtSession CtSession;

gint64      ct_session_get_user_id   (CtSession *session);
const char *ct_session_get_username  (CtSession *session);
const char *ct_session_get_display_name (CtSession *session);
guint       ct_session_get_roles     (CtSession *session);
gboolean    ct_session_has_role      (CtSession *session, CtRole role);
CtSession  *ct_session_ref           (CtSession *session);
void        ct_session_unref         (CtSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtSession, ct_session_unref)

/* Checks the passphrase (Argon2id), unlocks the user's signing key and
 * records the login; a wrong passphrase or an unknown user is recorded as a
 * failed login and fails with CT_ERROR_AUTH. */
CtSession *ct_store_login  (CtStore     *self,
                            const char  *username,
                            const char  *passphrase,
                            GError     **error);
void       ct_store_logout (CtStore *self, CtSession *session);

/* ---- agency and users ------------------------------------------------------ */

gboolean   ct_store_is_initialized (CtStore *self);
CtAgency  *ct_store_get_agency     (CtStore *self, GError **error);

/* First run: creates the agency and its administrator.  Fails with
 * CT_ERROR_EXISTS when the agency already exists. */
gboolean   ct_store_init_agency    (CtStore          *self,
                                    const char       *agency_name,
                                    const char       *case_number_pattern,
                                    gboolean          national_crypto,
                                    const CtUserSpec *admin,
                                    const char       *admin_passphrase,
                                    GError          **error);
/* Admin only.  NULL leaves a value as it is. */
gboolean   ct_store_update_agency  (CtStore    *self,
                                    CtSession  *session,
                                    const char *agency_name,
                                    const char *case_number_pattern,
                                    const gboolean *national_crypto,
                                    GError    **error);

/* Validates a case number pattern: {year} and {seq} (or {seq:N}, zero-padded
 * to N digits) must appear; other text is literal. */
gboolean   ct_case_number_pattern_validate (const char *pattern, GError **error);
char      *ct_case_number_format           (const char *pattern, int year, gint64 seq);

/* Admin only; returns the new user's id or 0. */
gint64     ct_store_add_user       (CtStore          *self,
                                    CtSession        *session,
                                    const CtUserSpec *spec,
                                    const char       *passphrase,
                                    GError          **error);
GPtrArray *ct_store_list_users     (CtStore *self, GError **error); /* CtUser* */
CtUser    *ct_store_get_user       (CtStore *self, const char *username, GError **error);

/* A user's own passphrase: re-seals the signing key. */
gboolean   ct_store_change_passphrase (CtStore    *self,
                                       CtSession  *session,
                                       const char *old_passphrase,
                                       const char *new_passphrase,
                                       GError    **error);

/* ---- cases ------------------------------------------------------------------- */

/* Needs the handler role.  Validates the spec (the message names the field),
 * assigns the next case number of the year, records the filing event.
 * Returns the case id or 0. */
gint64     ct_store_create_case (CtStore          *self,
                                 CtSession        *session,
                                 const CtCaseSpec *spec,
                                 GError          **error);
/* Cases matching @search (number, cause, party, place; NULL for all), newest
 * first.  Officers and events are not filled in. */
GPtrArray *ct_store_list_cases  (CtStore     *self,
                                 CtSession   *session,
                                 const char  *search,
                                 GError     **error);
/* A full case; viewing is audited. @id_or_number is a numeric id or a case
 * number. */
CtCase    *ct_store_get_case    (CtStore     *self,
                                 CtSession   *session,
                                 const char  *id_or_number,
                                 GError     **error);

/* ---- approvals ------------------------------------------------------------------ */

typedef struct {
  gint64  id;
  gint64  case_id;
  char   *subject;     /* what was approved, e.g. "filing" */
  char   *signer;      /* username */
  char   *signer_name;
  char   *role;        /* role id under which it was signed */
  char   *signed_at;
  char   *alg;
  char   *fingerprint;
  char   *payload;     /* canonical JSON that was signed */
  gboolean valid;      /* signature verifies and the payload still matches the case */
  char   *invalid_reason;
} CtApproval;

void ct_approval_free (CtApproval *approval);

/* The exact bytes an approval's signature covers. */
char *ct_approval_message (const char *subject,
                           gint64      case_id,
                           const char *role,
                           const char *signer,
                           const char *signed_at,
                           const char *payload);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtApproval, ct_approval_free)

/* Signs the canonical record of the case as it is now under @subject.
 * Requires the supervisor role and that the signer is not an officer of the
 * case (separation of duties); otherwise CT_ERROR_PERMISSION. Returns the
 * approval id or 0. */
gint64     ct_store_approve        (CtStore    *self,
                                    CtSession  *session,
                                    gint64      case_id,
                                    const char *subject,
                                    GError    **error);
/* Every approval of the case, each verified against the case as it is now. */
GPtrArray *ct_store_list_approvals (CtStore   *self,
                                    gint64     case_id,
                                    GError   **error);

/* The canonical record an approval signs: stable JSON (sorted keys, no
 * insignificant whitespace) of the case's identifying data. */
char      *ct_store_case_canonical (CtStore *self, gint64 case_id, GError **error);

/* ---- audit ---------------------------------------------------------------------- */

/* Verifies the whole chain and its checkpoints (see ct-audit.h). */
gboolean   ct_store_verify_audit   (CtStore        *self,
                                    CtAuditReport  *report,
                                    GError        **error);
/* Signs the current head of the chain with the session user's key. */
gint64     ct_store_checkpoint     (CtStore    *self,
                                    CtSession  *session,
                                    GError    **error);
/* Rows of the chain, newest first, optionally of one case. */
GPtrArray *ct_store_list_audit     (CtStore *self,
                                    gint64   case_id,
                                    guint    limit,
                                    GError **error); /* CtAuditEntry* */

/* ---- the procedure ------------------------------------------------------------------ */

/* Where installed data lives (rule packs, forms, calendars):
 * $CASETRAIL_PKGDATADIR, else the installed PKGDATADIR. */
char      *ct_store_data_path      (const char *subdir);

/* The procedure engine's data for this agency, loaded on first use and kept;
 * borrowed.  Errors name the bad file. */
CtRuleSet      *ct_store_get_rules     (CtStore *self, GError **error);
CtFormRegistry *ct_store_get_forms     (CtStore *self, GError **error);
CtCalendar     *ct_store_get_calendar  (CtStore *self, GError **error);

/* Saves a form of the case, replacing its earlier values.  Values are
 * checked for type and unknown fields (CT_ERROR_INVALID naming the field);
 * missing required fields are allowed and make the form incomplete.  Needs
 * an officer of the case, a legal reviewer or a supervisor; audited with
 * the values. */
gboolean   ct_store_save_form      (CtStore     *self,
                                    CtSession   *session,
                                    gint64       case_id,
                                    const char  *template_id,
                                    JsonObject  *values,
                                    GError     **error);
/* The saved values (a new reference), or NULL with CT_ERROR_NOT_FOUND. */
JsonObject *ct_store_get_form      (CtStore     *self,
                                    gint64       case_id,
                                    const char  *template_id,
                                    GError     **error);
/* Template ids of the forms saved for the case. */
GStrv      ct_store_list_forms     (CtStore *self, gint64 case_id, GError **error);

/* Sets (or, with @value NULL, clears) a fact a person states about the case:
 * complex, major, hearing_requested, emergency_start, … ("true"/"false" or
 * text). */
gboolean   ct_store_set_flag       (CtStore     *self,
                                    CtSession   *session,
                                    gint64       case_id,
                                    const char  *flag,
                                    const char  *value,
                                    GError     **error);

/* Everything the rules can ask about the case. */
CtFacts   *ct_store_case_facts     (CtStore *self, gint64 case_id, GError **error);

/* The checklist of @stage (NULL: the current stage): CtRequirement*. */
GPtrArray *ct_store_check_case     (CtStore     *self,
                                    gint64       case_id,
                                    const char  *stage,
                                    GError     **error);

/* Moves the case to @to (NULL: the next stage that applies).  Fails with
 * CT_ERROR_BLOCKED, listing every missing blocking requirement with its
 * citation, when the current stage's checklist blocks.  Returns the new
 * stage id. */
char      *ct_store_advance_case   (CtStore     *self,
                                    CtSession   *session,
                                    gint64       case_id,
                                    const char  *to,
                                    GError     **error);

/* Double-random selection (双随机, 002 第十七条): draws @count distinct
 * inspectors at random among the active certified handlers, records the
 * pool, the random draw and the result in the audit chain, and sets the
 * reserved fact flag.drawn_inspectors (comma-separated usernames), which
 * nobody can set by hand.  Needs an officer of the case. Returns the
 * usernames drawn. */
GStrv      ct_store_draw_inspectors (CtStore    *self,
                                     CtSession  *session,
                                     gint64      case_id,
                                     guint       count,
                                     GError    **error);

/* Like ct_store_approve(), signing under @role (supervisor or legal
 * reviewer). */
gint64     ct_store_approve_as     (CtStore    *self,
                                    CtSession  *session,
                                    gint64      case_id,
                                    const char *subject,
                                    CtRole      role,
                                    GError    **error);

/* ---- printed documents (ct-store-document.c) ---------------------------------------- */

/* A saved form of the case ready to print (see ct-document.h): its values,
 * hashes and the approvals that cover it, each verified.  Needs a signed-in
 * user; CT_ERROR_NOT_FOUND when the form was never saved. */
CtDocument *ct_store_get_document     (CtStore     *self,
                                       CtSession   *session,
                                       gint64       case_id,
                                       const char  *template_id,
                                       GError     **error);
/* Records that @doc was rendered (@how: "pdf", "print", "preview") to
 * @target (a file name, or NULL) as the audit row "document.render" with
 * the template, form version and document hash. */
gboolean    ct_store_record_document  (CtStore          *self,
                                       CtSession        *session,
                                       gint64            case_id,
                                       const CtDocument *doc,
                                       const char       *how,
                                       const char       *target,
                                       GError          **error);

typedef struct {
  gboolean   matches;        /* paper (or printed record) and system agree */
  char      *case_number;
  char      *template_id;
  char      *title;          /* the template's title, or NULL when unknown */
  char      *paper_hash;     /* the code's document hash; NULL without a code */
  char      *system_hash;    /* the document hash of the form as saved now, or NULL */
  char      *signer_name;    /* the approval the code names, when found */
  char      *role;
  char      *signed_at;
  guint      n_signatures;   /* approvals covering the form */
  GPtrArray *problems;       /* char*, translated, each names what differs */
} CtDocVerdict;

void ct_doc_verdict_free (CtDocVerdict *verdict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtDocVerdict, ct_doc_verdict_free)

/* Checks a document code read off paper against the system: the signature
 * must be a genuine approval signature of the named case by that key over
 * that document hash, and the form as saved now must still have that hash
 * and the approval must still apply.  When the form changed since, the
 * problems name each field whose value differs (the printed version is
 * found in the audit chain).  A verdict that does not match is no error;
 * errors are only for a code that cannot be read or a store that fails.
 * Audited as "document.verify". */
CtDocVerdict *ct_store_verify_document_code (CtStore     *self,
                                             CtSession   *session,
                                             const char  *code,
                                             GError     **error);
/* The same for the current record of a form: every approval covering it
 * must verify and still cover the form as saved now. */
CtDocVerdict *ct_store_verify_document      (CtStore     *self,
                                             CtSession   *session,
                                             gint64       case_id,
                                             const char  *template_id,
                                             GError     **error);

/* ---- demo data ------------------------------------------------------------------- */

/* The passphrase of every demo user. */
#define CT_DEMO_PASSPHRASE "demo"

/* Creates a demo agency, one user of every role and a few cases at different
 * stages.  Only on an uninitialized store. */
gboolean   ct_store_load_demo      (CtStore *self, GError **error);

/* ---- async variants for the UI --------------------------------------------------- */

void       ct_store_open_async        (const char *data_dir, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
CtStore   *ct_store_open_finish       (GAsyncResult *result, GError **error);

void       ct_store_login_async       (CtStore *self, const char *username, const char *passphrase,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
CtSession *ct_store_login_finish      (CtStore *self, GAsyncResult *result, GError **error);

void       ct_store_init_agency_async (CtStore *self, const char *agency_name,
                                       const char *case_number_pattern, gboolean national_crypto,
                                       const CtUserSpec *admin, const char *admin_passphrase,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
gboolean   ct_store_init_agency_finish (CtStore *self, GAsyncResult *result, GError **error);

void       ct_store_load_demo_async   (CtStore *self, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
gboolean   ct_store_load_demo_finish  (CtStore *self, GAsyncResult *result, GError **error);

void       ct_store_list_cases_async  (CtStore *self, CtSession *session, const char *search,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *ct_store_list_cases_finish (CtStore *self, GAsyncResult *result, GError **error);

void       ct_store_create_case_async (CtStore *self, CtSession *session, const CtCaseSpec *spec,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
gint64     ct_store_create_case_finish (CtStore *self, GAsyncResult *result, GError **error);

void       ct_store_get_case_async    (CtStore *self, CtSession *session, const char *id_or_number,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
CtCase    *ct_store_get_case_finish   (CtStore *self, GAsyncResult *result, GError **error);

void       ct_store_list_users_async  (CtStore *self, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *ct_store_list_users_finish (CtStore *self, GAsyncResult *result, GError **error);

void       ct_store_update_agency_async (CtStore *self, CtSession *session, const char *agency_name,
                                         const char *case_number_pattern, const gboolean *national_crypto,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean   ct_store_update_agency_finish (CtStore *self, GAsyncResult *result, GError **error);

G_END_DECLS

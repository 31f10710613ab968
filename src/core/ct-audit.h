/* ct-audit.h — the append-only, hash-chained audit log
 *
 * Each row's hash is SHA-256 over a length-prefixed encoding of its own
 * fields and the previous row's hash (the first row's previous hash is 64
 * zeros).  Triggers refuse UPDATE and DELETE.  Checkpoints sign the head of
 * the chain (row id and hash) with a user's key, so that truncating the tail
 * or rewriting the whole chain is detectable too.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CtDb CtDb;

typedef struct {
  gint64  id;
  char   *at;           /* ISO 8601 UTC with milliseconds */
  gint64  actor_id;     /* 0: no signed-in user (failed login, system) */
  char   *actor;        /* username at the time, or "" */
  char   *action;       /* "case.create", "user.login", "user.login_failed", … */
  char   *object_type;  /* "case", "user", "agency", "media", … */
  char   *object_id;
  gint64  case_id;      /* 0 when not about a case */
  char   *detail;       /* JSON object */
  char   *prev_hash;    /* hex */
  char   *hash;         /* hex */
} CtAuditEntry;

void ct_audit_entry_free (CtAuditEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtAuditEntry, ct_audit_entry_free)

typedef struct {
  gint64  rows;             /* rows read */
  gint64  checkpoints;      /* checkpoints verified */
  gint64  first_bad_row;    /* 0 when the chain verifies */
  char   *problem;          /* translated description of the first problem, or NULL */
} CtAuditReport;

void ct_audit_report_clear (CtAuditReport *report);

/* Computes the hash of a row from its fields (hex, 64 chars). */
char *ct_audit_compute_hash (const CtAuditEntry *entry);

/* Appends a row.  Must be called inside a write transaction on @db (the
 * caller's change and its audit row commit or roll back together).
 * @detail_json may be NULL ("{}").  Returns the new row id or 0. */
gint64 ct_audit_append (CtDb        *db,
                        gint64       actor_id,
                        const char  *actor,
                        const char  *action,
                        const char  *object_type,
                        const char  *object_id,
                        gint64       case_id,
                        const char  *detail_json,
                        GError     **error);

/* Walks the chain and every checkpoint.  Returns TRUE when everything
 * verifies; otherwise FALSE with report->first_bad_row and report->problem
 * set (error is only set when the database itself could not be read). */
gboolean ct_audit_verify (CtDb          *db,
                          CtAuditReport *report,
                          GError       **error);

/* The last row of the chain (0 and 64 zeros when empty). */
gboolean ct_audit_head (CtDb    *db,
                        gint64  *id,
                        char   **hash,
                        GError **error);

/* The exact bytes a checkpoint signature covers. */
char    *ct_audit_checkpoint_message (gint64      upto_id,
                                      const char *head_hash,
                                      const char *created_at);

G_END_DECLS

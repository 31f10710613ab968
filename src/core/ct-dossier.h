/* ct-dossier.h — the case file (案卷) as one PDF, and archiving it
 *
 * 001_79771f0fef6d4575.txt 第二十一条 asks that the written record of an
 * enforcement act be made into a case file within 20 working days of its
 * end and archived; 000_c8799fc573923ff9.txt 第十八条 and 第十九条 that the
 * officers build the file and that recordings used as evidence go with it,
 * with their written explanation.  The dossier is that file:
 *
 *   cover            agency, 行政执法案卷, case number, cause, party,
 *                    officers, dates opened and closed, retention, pages
 *   卷内文书目录      every part with the dossier page it starts on
 *   documents        every saved form, in procedural order (the stages of
 *                    the case's procedure, then the order in which the
 *                    procedure's rules name the templates), each drawn as
 *                    ct-document draws it, with its approvals and QR codes
 *   音像资料文字说明  the written explanation of each recording
 *   音像资料清单      the media: name, officers, device, times, SHA-256 (and
 *                    SM3 under national cryptography)
 *   审批记录          every approval with its verification
 *   执法过程记录      the case's rows of the audit chain
 *   审计链签名检查点  a checkpoint of the whole chain signed when the
 *                    dossier was made
 *
 * and every page says "卷内第 N 页 共 M 页".  The same inputs give the same
 * bytes (the PDF's date is the checkpoint's).
 *
 * Archiving (ct_store_archive_case) moves a case from the archive stage to
 * "archived": it renders the dossier, stores it in the evidence object
 * store and records it in case_archives with the stage change and the
 * audit row in one transaction.  An archived case no longer changes.
 *
 * This needs cairo and pango: it lives in the docs library beside
 * ct-document-pdf.c, not in the core.
 */
#pragma once

#include "ct-audit.h"
#include "ct-document.h"
#include "ct-media.h"
#include "ct-store.h"

G_BEGIN_DECLS

typedef struct {
  char      *agency;
  char      *case_number;
  char      *cause;
  char      *party;
  char      *procedure;        /* the procedure's Chinese title */
  char      *officers;         /* "name（执法证号 …）、…" */
  char      *opened_at;        /* ISO 8601 UTC */
  char      *closed_at;        /* entering the archive stage, or NULL */
  char      *retention;
  char      *made_by;          /* who made the dossier (display name) */
  gboolean   with_sm3;
  GPtrArray *documents;        /* CtDocument*, procedural order */
  GPtrArray *statements;       /* char*, ct_av_statement_to_text() */
  GPtrArray *media;            /* CtMedia* */
  GPtrArray *approvals;        /* CtApproval*, each verified */
  GPtrArray *audit;            /* CtAuditEntry*, oldest first */
  /* the signed checkpoint */
  gint64     checkpoint_id;
  gint64     checkpoint_upto;
  char      *checkpoint_head;
  char      *checkpoint_at;
  char      *checkpoint_signer;
  char      *checkpoint_alg;
  char      *checkpoint_fingerprint;
  char      *checkpoint_signature;  /* base64 */
  gboolean   checkpoint_valid;
} CtDossier;

void ct_dossier_free (CtDossier *dossier);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtDossier, ct_dossier_free)

/* ---- PDF (ct-dossier-pdf.c) --------------------------------------------------------- */

/* A4, every font embedded; the table of contents gives each part's first
 * page (laid out twice). */
GBytes *ct_dossier_render_pdf (const CtDossier *dossier,
                               guint           *n_pages,
                               GError         **error);

/* ---- from the store (ct-store-dossier.c) ----------------------------------------------- */

/* Who may make a case's dossier: a supervisor (001 第二十四条第二款: reading
 * the records needs the head's approval), the records officer (001 第二十条:
 * the person in charge of archiving) and the case's own officers (000
 * 第十八条: they build the file).  Anyone else: CT_ERROR_PERMISSION. */
gboolean   ct_store_may_make_dossier (CtStore    *self,
                                      CtSession  *session,
                                      gint64      case_id,
                                      GError    **error);

/* Everything the dossier prints.  @checkpoint_id: the checkpoint to print,
 * or 0 to sign one now with @session's key (after auditing "case.dossier",
 * so the checkpoint covers the making of the dossier). */
CtDossier *ct_store_get_dossier      (CtStore    *self,
                                      CtSession  *session,
                                      gint64      case_id,
                                      gint64      checkpoint_id,
                                      GError    **error);

/* ct_store_get_dossier() + ct_dossier_render_pdf(); the audit row
 * "case.dossier" names @target (a file, a bundle, the archive). */
GBytes    *ct_store_render_dossier   (CtStore    *self,
                                      CtSession  *session,
                                      gint64      case_id,
                                      gint64      checkpoint_id,
                                      const char *target,
                                      guint      *n_pages,
                                      GError    **error);

/* For CtBundleOptions.render_dossier. */
GBytes    *ct_dossier_for_bundle     (CtStore    *self,
                                      CtSession  *session,
                                      gint64      case_id,
                                      gint64      checkpoint_id,
                                      GError    **error);

typedef struct {
  gint64   case_id;
  char    *sha256;
  char    *sm3;           /* NULL without national cryptography */
  guint64  size;
  guint    pages;
  char    *created_at;
  char    *created_by;    /* username */
  gint64   checkpoint_id;
} CtCaseArchive;

void ct_case_archive_free (CtCaseArchive *archive);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtCaseArchive, ct_case_archive_free)

/* Archives a case at its archive stage: checks the stage's checklist (a
 * blocking requirement stops it, as advancing does), renders the dossier,
 * stores it as an object (content-addressed, read back and verified) and,
 * in one transaction, records it in case_archives, moves the case to
 * "archived" and audits "case.archive".  Needs the records officer or a
 * certified handler of the case.  Returns the record. */
CtCaseArchive *ct_store_archive_case     (CtStore    *self,
                                          CtSession  *session,
                                          gint64      case_id,
                                          GError    **error);
/* The record, or NULL with CT_ERROR_NOT_FOUND when the case is not archived. */
CtCaseArchive *ct_store_get_case_archive (CtStore    *self,
                                          gint64      case_id,
                                          GError    **error);
/* The stored dossier, re-hashed from the object store against the record
 * (CT_ERROR_INTEGRITY when it differs); needs what making one needs;
 * audited as "case.dossier-read". */
GBytes        *ct_store_read_case_archive (CtStore        *self,
                                           CtSession      *session,
                                           gint64          case_id,
                                           CtCaseArchive **archive,
                                           GError        **error);
/* Writes the stored dossier to @path as ct_store_read_case_archive() reads
 * it (the same permission, re-verified against the record), replacing the
 * file whole, and reads the copy back; audited as "case.dossier-read" with
 * the target only once the copy is there.  A copy that fails is removed. */
gboolean       ct_store_save_case_archive (CtStore        *self,
                                           CtSession      *session,
                                           gint64          case_id,
                                           const char     *path,
                                           CtCaseArchive **archive,
                                           GError        **error);

G_END_DECLS

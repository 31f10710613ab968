/* ct-document.h — printed documents (文书) of a case and their check codes
 *
 * A filled form of a case prints as an A4 PDF laid out like the standard
 * 文书: the agency, the title, the case number, the fields in ruled tables,
 * the seal line and "第 N 页 共 M 页".  Every signed approval covering the
 * form prints with its signer, role, time, algorithm, key fingerprint and a
 * QR code, so a paper copy can be checked against the system.
 *
 * The document hash identifies the content, not the PDF bytes, so a reprint
 * verifies the same:
 *
 *   form_sha256 = SHA-256 (ct_form_canonical_json (template, values))
 *                 — exactly the hash an approval's payload records for the
 *                 form under "forms" (ct-store.c, approval_payload())
 *   doc_sha256  = SHA-256 ("casetrail-document-v1\n" case_number "\n"
 *                          template_id "\n" hex (form_sha256))
 *
 * both as 64 lower-case hex digits.  The QR code of an approval carries
 *
 *   CT1:<case number>:<template id>:<doc_sha256>:<alg>:<fingerprint>:<signature>
 *
 * where <alg> is "ed25519" or "sm2-sm3", <fingerprint> the 64 hex digits of
 * the key fingerprint (ct_key_fingerprint() without "SHA256:" and spaces)
 * and <signature> the approval's signature in standard base64.  The case
 * number may itself hold ':', so the string is split from the right.
 *
 * Which approvals a document shows: those whose signed payload covers the
 * form (the form existed when they were signed) and whose subject is the
 * template's stage or a prefix of the template id ("filing" on the
 * 立案审批表, "decision" on the 决定审批表 and 决定书, "legal_review" on the
 * 法制审核意见表).
 *
 * This file (ct-document.c) is GTK-free and cairo-free; ct-document-pdf.c
 * draws the PDF (cairo, pango, libqrencode).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ct-form.h"

G_BEGIN_DECLS

#define CT_DOC_CODE_PREFIX "CT1"

/* ---- hashes and the check code ---------------------------------------------- */

/* doc_sha256 from the form's SHA-256 (hex); see above. */
char *ct_document_hash           (const char *case_number,
                                  const char *template_id,
                                  const char *form_sha256_hex);
/* doc_sha256 of values as they would be stored. */
char *ct_document_hash_of_values (const char           *case_number,
                                  const CtFormTemplate *tmpl,
                                  JsonObject           *values);
/* "SHA256:21fe 31df …" → "21fe31df…" (64 hex digits); NULL when malformed. */
char *ct_fingerprint_compact     (const char *fingerprint);

typedef struct {
  char   *case_number;
  char   *template_id;
  char   *doc_hash;         /* 64 hex */
  char   *alg;              /* "ed25519" | "sm2-sm3" */
  char   *fingerprint_hex;  /* 64 hex */
  GBytes *signature;
} CtDocCode;

void       ct_doc_code_free   (CtDocCode *code);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtDocCode, ct_doc_code_free)

char      *ct_doc_code_format (const CtDocCode *code);
/* Parses what a QR scanner reads off paper (surrounding white space is
 * ignored).  CT_ERROR_INVALID says which part is malformed. */
CtDocCode *ct_doc_code_parse  (const char *text, GError **error);

/* ---- a document ready to print ---------------------------------------------------- */

typedef struct {
  char    *signer;        /* username */
  char    *signer_name;
  char    *role;          /* role id */
  char    *signed_at;     /* ISO 8601 UTC */
  char    *alg;
  char    *fingerprint;   /* as ct_key_fingerprint() prints it */
  gboolean valid;         /* the signature verifies and still covers the form */
  char    *invalid_reason;
  char    *code;          /* the QR string; NULL when not valid */
} CtDocSignature;

void ct_doc_signature_free (CtDocSignature *sig);

typedef struct {
  char                 *agency;
  char                 *case_number;
  const CtFormTemplate *tmpl;        /* borrowed from the store's registry */
  JsonObject           *values;
  char                 *form_hash;   /* form_sha256, hex */
  char                 *doc_hash;    /* doc_sha256, hex */
  char                 *updated_at;  /* when the form was last saved (ISO 8601 UTC) */
  gint64                version;     /* the form's version */
  GHashTable           *officers;    /* username → "name（执法证号 …）" */
  GHashTable           *media_names; /* the case's media: SHA-256 → original file name; may be NULL */
  GPtrArray            *signatures;  /* CtDocSignature*, oldest first */
} CtDocument;

void        ct_document_free (CtDocument *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtDocument, ct_document_free)

/* How a value prints (Chinese): dates as 2024年3月1日, money as
 * 1234.50元, choices as ■ chosen / □ other options, a party with its
 * particulars, officers with their certificates.  Returns "" for a missing
 * value. */
char *ct_document_format_value (const CtDocument *doc,
                                const CtFieldDef *field,
                                JsonNode         *value);

/* Whether @doc may be issued (printed or written out for service): a
 * decision document whose fields carry the items a decision must state
 * (003_41c78582f6a07220.txt 第三十一条: 行政执法决定应当载明下列事项; 行政处罚法
 * 第五十九条) cannot be while any of them is missing.  CT_ERROR_BLOCKED
 * names every missing item by number and label.  Forms without numbered
 * items are always issuable; a preview is not an issue. */
gboolean ct_document_check_issuable (const CtDocument *doc,
                                     GError          **error);

/* ---- PDF (ct-document-pdf.c) ------------------------------------------------------- */

/* A4 PDF with every font embedded.  The same document always gives the
 * same bytes: the PDF's creation date is the form's last change. */
GBytes  *ct_document_render_pdf (const CtDocument *doc,
                                 guint            *n_pages,
                                 GError          **error);
gboolean ct_document_write_pdf  (const CtDocument *doc,
                                 const char       *path,
                                 guint            *n_pages,
                                 GError          **error);

/* The QR code of @text as a square of width × width modules, one byte per
 * module (1 dark, 0 light), without the quiet zone; NULL on failure. */
guint8  *ct_document_qr_modules (const char *text,
                                 guint      *width,
                                 GError    **error);

G_END_DECLS

/* ct-bundle.h — the case's export bundle: a copy anyone can verify offline
 *
 * 000_c8799fc573923ff9.txt 第十九条 asks that recordings used as evidence be
 * copied to disc with the case file; 004_18ca961c9dc26b05.txt 第十四条 that
 * the case file stand up years later.  A bundle is a directory:
 *
 *   manifest.json   what the bundle holds: the case, who exported it and
 *                   with which key, every file with its size and SHA-256
 *                   (and SM3 under national cryptography), the media with
 *                   their officers, device and times
 *   manifest.sig    the exporter's signature of manifest.json's bytes
 *                   (Ed25519, or SM2 with SM3 and the default ID — DER, as
 *                   `openssl dgst -sm3 -sigopt distid:1234567812345678`
 *                   expects)
 *   keys/FP.pem     every public key a signature in the bundle needs,
 *                   named by fingerprint
 *   media/…         the originals, named by SHA-256
 *   documents/…     rendered documents: dossier.pdf, the whole case file
 *                   (ct-dossier.h), when the exporter draws it
 *   audit.json      the case's rows of the audit chain, each with its hash
 *   checkpoint.json a checkpoint of the whole chain signed at export
 *   approvals.json  the case's signed approvals with their signatures
 *   statements.txt  the written explanation of each recording used as
 *                   evidence (001 第二十三条; see ct-statement.h)
 *   VERIFY.txt      how to check all this by hand (zh_CN and English)
 *
 * ct_bundle_verify() needs nothing but the directory: it checks the
 * manifest's signature, every listed file's size and hashes, that no file
 * is missing or unlisted, each audit row's hash and the links between
 * consecutive rows, the checkpoint's and every approval's signature.  What
 * it cannot know offline is whether the exporter's key is the agency's:
 * pass the fingerprint the agency publishes as @trusted_fingerprint.
 */
#pragma once

#include <gio/gio.h>

#include "ct-store.h"

G_BEGIN_DECLS

#define CT_BUNDLE_FORMAT "casetrail-bundle-v1"

typedef struct {
  gboolean include_media;   /* copy the media (else only list them) */
  gboolean clips_only;      /* with include_media: copy only the clips exported
                             * from recordings (media with a parent) and list
                             * the originals — the "originals or clips, chosen
                             * at export" of the copy on disc */
  /* Draws the case's dossier as documents/dossier.pdf (role "dossier"),
   * printing the checkpoint the bundle carries; NULL: no dossier.  The
   * dossier needs cairo and pango, so the core only calls it: pass
   * ct_dossier_for_bundle (ct-dossier.h). */
  GBytes *(*render_dossier) (CtStore    *store,
                             CtSession  *session,
                             gint64      case_id,
                             gint64      checkpoint_id,
                             GError    **error);
} CtBundleOptions;

/* Exports case @case_id into @dir, which must not exist yet (it is built
 * under a temporary name beside it and renamed when complete, so a failed
 * export leaves nothing behind).  Needs the supervisor or archivist role;
 * the export is audited and a checkpoint of the audit chain is signed with
 * @session's key first, so the bundle carries a signed head that covers its
 * own export.  The chain must verify: a damaged chain is not exported. */
gboolean ct_store_export_bundle (CtStore               *self,
                                 CtSession             *session,
                                 gint64                 case_id,
                                 const char            *dir,
                                 const CtBundleOptions *options,
                                 GCancellable          *cancellable,
                                 GError               **error);

typedef struct {
  char      *case_number;
  char      *exported_at;
  char      *exported_by;        /* display name (username) */
  char      *signer_fingerprint; /* of the key that signed manifest.json */
  char      *signer_alg;
  guint      files_checked;
  guint64    bytes_checked;
  guint      signatures_checked;
  guint      audit_rows;
  GPtrArray *problems;           /* char*, translated, each naming the file */
} CtBundleReport;

void ct_bundle_report_clear (CtBundleReport *report);

/* Checks the bundle in @dir (see above).  Returns TRUE when everything
 * verifies.  FALSE with @error CT_ERROR_INTEGRITY when anything does not
 * (every problem is in report->problems), or another error when the bundle
 * cannot be read at all (no manifest, not JSON, not a bundle). */
gboolean ct_bundle_verify (const char     *dir,
                           const char     *trusted_fingerprint,
                           CtBundleReport *report,
                           GError        **error);

G_END_DECLS

/* ct-document-preview.h — a form of a case as its printed document
 *
 * Renders the document (ct-document.h) on a worker thread, shows its pages
 * with poppler in a scrolled view and prints them through
 * GtkPrintOperation.  Showing and printing are audited
 * ("document.render", how = preview / print).
 */
#pragma once

#include <adwaita.h>

#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_DOCUMENT_PREVIEW (ct_document_preview_get_type ())
G_DECLARE_FINAL_TYPE (CtDocumentPreview, ct_document_preview, CT, DOCUMENT_PREVIEW, AdwWindow)

CtDocumentPreview *ct_document_preview_new         (CtStore    *store,
                                                    CtSession  *session,
                                                    gint64      case_id,
                                                    const char *template_id);
/* TRUE once the pages are shown (or the error is). */
gboolean           ct_document_preview_get_ready   (CtDocumentPreview *self);
/* Pages shown; 0 before ready or on error. */
guint              ct_document_preview_get_n_pages (CtDocumentPreview *self);
/* The error shown instead of the pages, or NULL. */
const char        *ct_document_preview_get_error   (CtDocumentPreview *self);
/* Why the document cannot be printed (an incomplete decision), or NULL. */
const char        *ct_document_preview_get_blocked (CtDocumentPreview *self);

/* Prints the shown pages to a PDF file through the same print operation
 * as Print… (what the print dialog's "Print to File" does, without the
 * dialog); audited like printing.  Only once ready without an error. */
gboolean           ct_document_preview_export      (CtDocumentPreview  *self,
                                                    const char         *path,
                                                    GError            **error);

G_END_DECLS

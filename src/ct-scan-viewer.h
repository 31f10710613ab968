/* ct-scan-viewer.h — a scanned paper document of the evidence store, shown
 *
 * Opens a "document" medium (a signed 送达回证, a party's written
 * statement) only through ct_store_open_media, which checks the permission
 * and audits the viewing ("media.open"), like the player.  A PDF is shown
 * page by page with poppler — only once the probe helper has read it
 * without trouble in its own process: an unreadable scan is refused with
 * the probe's reason — and a picture with a GtkPicture; a multi-page TIFF
 * (a sheet-feed scan) page by page, each cut out of the file (ct-tiff.h).  Page navigation
 * (Page Up / Page Down), zoom (Ctrl+plus, Ctrl+minus, Ctrl+0) and "Attach
 * to Step…", which adds the document to a scan field of a form of its case
 * (ct_store_attach_scan).
 */
#pragma once

#include <adwaita.h>

#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_SCAN_VIEWER (ct_scan_viewer_get_type ())
G_DECLARE_FINAL_TYPE (CtScanViewer, ct_scan_viewer, CT, SCAN_VIEWER, AdwWindow)

/* NULL with the reason when the medium is no readable document or
 * @session may not open it.  Emits "attached" after Attach to Step…. */
CtScanViewer *ct_scan_viewer_new       (CtStore    *store,
                                        CtSession  *session,
                                        gint64      media_id,
                                        GError    **error);
guint         ct_scan_viewer_get_n_pages (CtScanViewer *self);
guint         ct_scan_viewer_get_page    (CtScanViewer *self);   /* from 0 */
void          ct_scan_viewer_set_page    (CtScanViewer *self, guint page);
double        ct_scan_viewer_get_zoom    (CtScanViewer *self);   /* 1.0: the page 720 px wide */

/* The "Attach to Step…" dialog for document @media_id: a scan field of a
 * form of its case, the pages and a label.  After the form was saved,
 * @on_attached (may be NULL) is called with (NULL, @owner) while @owner
 * (a GObject, held weakly) is alive. */
void          ct_scan_attach_dialog_present (GtkWindow  *parent,
                                             CtStore    *store,
                                             CtSession  *session,
                                             gint64      media_id,
                                             GFunc       on_attached,
                                             GObject    *owner);

G_END_DECLS

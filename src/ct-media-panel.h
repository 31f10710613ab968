/* ct-media-panel.h — the case's recordings: thumbnails, what is known and
 * stated about each, their flags (stored late, unreadable, time unknown,
 * held, disposed), the interruptions to explain, and importing
 *
 * Actions (installed on the panel):
 *   media.import            open the import window for the case
 *   media.details x         open a recording's details (metadata editing)
 *   media.explain (xx)      explain the gap between two recordings
 *   media.not-resumed x     state that recording did not resume after one
 *   media.play-together     choose 2–4 recordings to play side by side in step
 *   media.play x            play a recording (permission checked, audited)
 *   media.play-clip (xxx)   play a clip (medium, in, out ms) from its
 *                           in-point, with the marks set to it
 *   media.reload            read the recordings again
 *
 * Signals:
 *   changed ()   something was written (imported, edited, explained, held);
 *                the case view reloads the case so its checklist follows
 */
#pragma once

#include <adwaita.h>

#include "ct-media-task.h"
#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_MEDIA_PANEL (ct_media_panel_get_type ())
G_DECLARE_FINAL_TYPE (CtMediaPanel, ct_media_panel, CT, MEDIA_PANEL, AdwBin)

GtkWidget      *ct_media_panel_new (void);
/* Shows the recordings of @c (NULL: nothing); reads them again when it is
 * the case already shown. */
void            ct_media_panel_set_case (CtMediaPanel *self,
                                         CtStore      *store,
                                         CtSession    *session,
                                         const CtCase *c);
void            ct_media_panel_reload   (CtMediaPanel *self);

/* TRUE while the recordings load. */
gboolean        ct_media_panel_get_busy (CtMediaPanel *self);
/* What is shown, NULL while loading or when it failed. */
CtMediaListing *ct_media_panel_get_listing (CtMediaPanel *self);
/* Whether the signed-in user may import into the case (the Import button
 * is shown). */
gboolean        ct_media_panel_can_import (CtMediaPanel *self);
/* The row of a recording or of the interruption after @before_id. */
GtkWidget      *ct_media_panel_get_media_row        (CtMediaPanel *self,
                                                     gint64        media_id);
GtkWidget      *ct_media_panel_get_interruption_row (CtMediaPanel *self,
                                                     gint64        before_id);
/* The row of the @index-th clip attached in the case's forms (the "Clips"
 * section, in ct_store_list_clips() order), or NULL. */
GtkWidget      *ct_media_panel_get_clip_row (CtMediaPanel *self,
                                             guint         index);
/* The window the panel opened last (import, details, explanation) while it
 * is open, or NULL. */
GtkWindow      *ct_media_panel_get_dialog (CtMediaPanel *self);

G_END_DECLS

/* ct-media-details.h — one recording's facts and what may be stated about
 * it (CtMediaDetails), and the statement of why a recording stopped
 * (CtExplainDialog)
 *
 * Both are thin: they show what the core says, send what the person wrote
 * to the core on a worker thread, and show the core's refusal in place.
 * The widgets that tests drive have names (gtk_widget_get_name):
 *   details: recorded_at, place, device, officers, category, title, party,
 *            cause, save, hold, error; clip-of, clip-range (a clip's provenance)
 *   explain: reason, explanation, save, error
 *
 * Signals (both):
 *   saved ()   a change was written (the window then closes itself)
 */
#pragma once

#include <adwaita.h>

#include "ct-media.h"
#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_MEDIA_DETAILS (ct_media_details_get_type ())
G_DECLARE_FINAL_TYPE (CtMediaDetails, ct_media_details, CT, MEDIA_DETAILS, AdwWindow)

CtMediaDetails *ct_media_details_new  (CtStore       *store,
                                       CtSession     *session,
                                       const CtMedia *media);
/* What the Save button does. */
void            ct_media_details_save (CtMediaDetails *self);
gboolean        ct_media_details_get_busy (CtMediaDetails *self);

#define CT_TYPE_EXPLAIN_DIALOG (ct_explain_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CtExplainDialog, ct_explain_dialog, CT, EXPLAIN_DIALOG, AdwWindow)

/* @after_id 0: the recording did not resume after @before_id.
 * @description says which gap (e.g. "S2.mp4 → S3.mp4, 2 min gap"). */
CtExplainDialog *ct_explain_dialog_new (CtStore              *store,
                                        CtSession            *session,
                                        gint64                before_id,
                                        gint64                after_id,
                                        const char           *description,
                                        const CtInterruption *current);
gboolean         ct_explain_dialog_get_busy (CtExplainDialog *self);

/* Looks for a descendant of @root with that widget name (tests). */
GtkWidget *ct_media_find_named (GtkWidget  *root,
                                const char *name);

/* A UTC ISO 8601 time in China time, "YYYY-MM-DD HH:MM:SS"; "" for NULL. */
char *ct_media_format_china_time (const char *iso8601);
/* "1:02:03" or "2:03". */
char *ct_media_format_duration   (gint64 ms);

G_END_DECLS

/* ct-review-queue.h — what waits for the signed-in legal reviewer
 *
 * The recordings of cases at the legal-review stage that nobody has
 * annotated yet (ct_store_review_queue), oldest case first: case number,
 * cause, medium, duration and recording time.  Activating a row opens the
 * recording in the player (ct_player_window_open_async: the core checks the
 * permission and audits the playing), ready for annotating.  The list is
 * read again when that player closes, so an annotated recording leaves it.  For legal reviewers and supervisors; others get the core's
 * reason instead of a list.
 */
#pragma once

#include <adwaita.h>

#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_REVIEW_QUEUE (ct_review_queue_get_type ())
G_DECLARE_FINAL_TYPE (CtReviewQueue, ct_review_queue, CT, REVIEW_QUEUE, AdwWindow)

/* Reads the queue at once, on a worker thread. */
CtReviewQueue *ct_review_queue_new (CtStore   *store,
                                    CtSession *session);
void           ct_review_queue_reload (CtReviewQueue *self);

/* ---- state, for tests ---------------------------------------------------------------- */
gboolean    ct_review_queue_get_busy   (CtReviewQueue *self);
/* "loading", "error", "empty" or "list" */
const char *ct_review_queue_get_page   (CtReviewQueue *self);
/* The row of the @index-th recording listed, or NULL. */
GtkWidget  *ct_review_queue_get_row    (CtReviewQueue *self,
                                        guint          index);
/* The window the queue opened last (a player, or the dialog saying why
 * not) while it is open, or NULL. */
GtkWindow  *ct_review_queue_get_dialog (CtReviewQueue *self);

G_END_DECLS

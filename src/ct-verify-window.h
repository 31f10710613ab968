/* ct-verify-window.h — checking the evidence store in the background
 *
 * Re-hashes every stored recording (ct_store_verify_media, whole store) on
 * a worker thread, with the objects and bytes done and the speed, a Cancel
 * button, and at the end a summary and the list of problems: missing,
 * changed (hash mismatch) and unrecorded objects.
 *
 * Signals:
 *   finished ()   the run is over (passed, found problems, failed or cancelled)
 */
#pragma once

#include <adwaita.h>

#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_VERIFY_WINDOW (ct_verify_window_get_type ())
G_DECLARE_FINAL_TYPE (CtVerifyWindow, ct_verify_window, CT, VERIFY_WINDOW, AdwWindow)

/* Starts the run at once. */
CtVerifyWindow *ct_verify_window_new (CtStore   *store,
                                      CtSession *session);
void            ct_verify_window_cancel       (CtVerifyWindow *self);
gboolean        ct_verify_window_get_running  (CtVerifyWindow *self);
guint           ct_verify_window_get_n_problems (CtVerifyWindow *self);

G_END_DECLS

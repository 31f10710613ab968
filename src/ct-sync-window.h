/* ct-sync-window.h — several cameras of one case, side by side, in step
 *
 * CtSyncWindow plays two to four recordings of a case at once, in a grid,
 * on one wall-clock timeline (CtSyncGroup): each cell is labelled with the
 * recording's name, officers and device and shows the wall-clock time of
 * its own frame, or that it was not recording at that time; an audio
 * recording shows a placeholder.  One transport drives them all: play and
 * pause (Space), ±5 s (←/→), ±1 frame (comma/period) and the speed; the
 * timeline shows each recording's span as a lane under one playhead, and
 * a click or a drag there moves them all.
 *
 * Footage is opened only through ct_sync_window_open_async(): every
 * recording goes through ct_store_open_media (permission and the
 * "media.play" audit), on a worker thread.
 *
 * CtSyncChooser is the "Play Together…" dialog of the Media page: check
 * buttons for the case's video and audio recordings that have a recording
 * time; Play opens the chosen ones (2–4) in a CtSyncWindow.
 */
#pragma once

#include <adwaita.h>

#include "ct-media.h"
#include "ct-store.h"
#include "ct-sync.h"

G_BEGIN_DECLS

#define CT_TYPE_SYNC_WINDOW (ct_sync_window_get_type ())
G_DECLARE_FINAL_TYPE (CtSyncWindow, ct_sync_window, CT, SYNC_WINDOW, AdwWindow)

/* Checks that @session may play each of @media_ids (2–4) and that each has
 * a recording time (else the error names it), then opens each through
 * ct_store_open_media (play), on a worker thread. */
void          ct_sync_window_open_async  (CtStore             *store,
                                          CtSession           *session,
                                          const gint64        *media_ids,
                                          guint                n_media,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* The new window (owned by GTK, not yet shown: present it), or NULL with
 * the reason (CT_ERROR_PERMISSION when the user may not see one of them). */
CtSyncWindow *ct_sync_window_open_finish (GAsyncResult  *result,
                                          GError       **error);

/* How many of @media (CtMedia*) can be played together: video or audio
 * with a recording time. */
guint         ct_sync_count_playable     (GPtrArray *media);

/* ---- state, for tests ---------------------------------------------------- */
CtSyncGroup  *ct_sync_window_get_group       (CtSyncWindow *self);
/* "loading", "grid" or "error" */
const char   *ct_sync_window_get_page        (CtSyncWindow *self);
const char   *ct_sync_window_get_error       (CtSyncWindow *self);
/* The group's wall-clock time, "YYYY-MM-DD HH:MM:SS.mmm +08:00". */
const char   *ct_sync_window_get_position_text (CtSyncWindow *self);
/* Cell i: the wall-clock time of its frame shown, and what its status line
 * says ("" while recording, else why it is not playing). */
const char   *ct_sync_window_get_cell_time_text   (CtSyncWindow *self, guint i);
const char   *ct_sync_window_get_cell_status_text (CtSyncWindow *self, guint i);
/* "video" or "audio" */
const char   *ct_sync_window_get_cell_kind        (CtSyncWindow *self, guint i);
GtkShortcutController *ct_sync_window_get_shortcuts (CtSyncWindow *self);
/* What a click on the lanes at @x (a fraction of the width, 0–1) does. */
void          ct_sync_window_click_lanes     (CtSyncWindow *self, double x);

#define CT_TYPE_SYNC_CHOOSER (ct_sync_chooser_get_type ())
G_DECLARE_FINAL_TYPE (CtSyncChooser, ct_sync_chooser, CT, SYNC_CHOOSER, AdwWindow)

/* @media: CtMedia* of the case (copied: those that can play together). */
GtkWidget    *ct_sync_chooser_new          (CtStore   *store,
                                            CtSession *session,
                                            GPtrArray *media);
/* Ticks or unticks a recording's check button. */
void          ct_sync_chooser_set_chosen   (CtSyncChooser *self,
                                            gint64         media_id,
                                            gboolean       chosen);
/* Whether Play is enabled (2–4 chosen). */
gboolean      ct_sync_chooser_can_play     (CtSyncChooser *self);
/* What Play does: opens the chosen ones; "opened" (CtSyncWindow) follows
 * and the chooser closes, or an error is shown in it. */
void          ct_sync_chooser_play         (CtSyncChooser *self);
const char   *ct_sync_chooser_get_error    (CtSyncChooser *self);

G_END_DECLS

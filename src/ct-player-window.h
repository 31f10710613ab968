/* ct-player-window.h — the built-in player: one recording in its own window
 *
 * Shows the video (or a placeholder for audio), the exact position of the
 * frame shown (hh:mm:ss.mmm) and the wall-clock time of the recording
 * (recorded-at + position, China time), with play/pause, frame steps, the
 * rate, volume and fullscreen, all on the keyboard too (Space, J/K/L, ←/→,
 * comma/period, F, Escape).  I, O and M set the in and out marks and add
 * markers, Enter marks segment boundaries with a reaction-time offset; the
 * in–out range can be attached as a clip to a step of the case, and legal
 * reviewers annotate points and ranges.  A file that cannot be played shows why, in words.
 * With the store (ct_player_window_set_evidence), a video gets a strip of
 * pictures behind its timeline (ct_store_media_strip, off the main thread).
 *
 * Footage is opened only through ct_player_window_open_async(): the core
 * checks who may see it and audits the playing, on a worker thread.
 */
#pragma once

#include <adwaita.h>
#include <gst/gst.h>

#include "ct-media.h"
#include "ct-player.h"
#include "ct-store.h"
#include "ct-timeline.h"

G_BEGIN_DECLS

#define CT_TYPE_PLAYER_WINDOW (ct_player_window_get_type ())
G_DECLARE_FINAL_TYPE (CtPlayerWindow, ct_player_window, CT, PLAYER_WINDOW, AdwWindow)

/* A window playing @path; @media gives the name, kind and recording time
 * (copied).  Use ct_player_window_open_async() for footage of the store. */
CtPlayerWindow *ct_player_window_new (const char    *path,
                                      const CtMedia *media);

/* ct_store_open_media (play = TRUE) on a worker thread: checks the
 * permission, audits "media.play" and reads the medium's record. */
void            ct_player_window_open_async  (CtStore             *store,
                                              CtSession           *session,
                                              gint64               media_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* The new window (owned by GTK, not yet shown: present it), or NULL with
 * the reason (CT_ERROR_PERMISSION when the user may not see it). */
CtPlayerWindow *ct_player_window_open_finish (GAsyncResult  *result,
                                              GError       **error);

/* Lets the window attach its in/out range as a clip to a form field of the
 * medium's case (the "Attach Clip…" button; action player.attach-clip),
 * signed in as @session.  Emits "clip-attached" (template id, field id). */
void            ct_player_window_set_evidence (CtPlayerWindow *self,
                                               CtStore        *store,
                                               CtSession      *session);
/* What the dialog's Attach does: ct_store_attach_clip on a worker thread. */
void            ct_player_window_attach_clip  (CtPlayerWindow *self,
                                               const char     *template_id,
                                               const char     *field_id,
                                               const char     *label);

/* Sets the in and out marks to the clip [@start_ms, @end_ms) and shows its
 * in-point: at once when the recording is ready, else as soon as it is. */
void            ct_player_window_show_clip    (CtPlayerWindow *self,
                                               gint64          start_ms,
                                               gint64          end_ms);

/* Legal-review annotations of the recording: the header's list (filtered by
 * result, a row seeks to its start), "Annotate…" for legal reviewers and
 * supervisors (a point at the frame shown, or the in–out range), export as
 * CSV or JSON.  These run what the widgets do, for tests. */
void            ct_player_window_reload_annotations    (CtPlayerWindow *self);
void            ct_player_window_annotate              (CtPlayerWindow *self,
                                                        int             code,   /* CtReviewCode */
                                                        const char     *text);
guint           ct_player_window_get_annotate_count    (CtPlayerWindow *self);
guint           ct_player_window_get_n_annotations     (CtPlayerWindow *self);
/* -1: every result, else a CtReviewCode. */
void            ct_player_window_set_annotation_filter (CtPlayerWindow *self,
                                                        int             code);
gboolean        ct_player_window_export_annotations    (CtPlayerWindow *self,
                                                        const char     *path,
                                                        gboolean        csv,
                                                        GError        **error);

/* Enter marks segment boundaries (in, then out); while playing, @ms (the
 * reaction-offset-ms setting by default) is taken off the position. */
void            ct_player_window_set_reaction_offset (CtPlayerWindow *self,
                                                      guint           ms);

/* ---- state, for tests ------------------------------------------------------------------ */
CtTimeline   *ct_player_window_get_timeline   (CtPlayerWindow *self);

CtPlayer     *ct_player_window_get_player     (CtPlayerWindow *self);
/* "loading", "video", "audio" or "error" */
const char   *ct_player_window_get_page       (CtPlayerWindow *self);
/* The error shown, or NULL. */
const char   *ct_player_window_get_error      (CtPlayerWindow *self);
const char   *ct_player_window_get_position_text (CtPlayerWindow *self);
const char   *ct_player_window_get_wall_text  (CtPlayerWindow *self);
const char   *ct_player_window_get_marks_text (CtPlayerWindow *self);
/* GST_CLOCK_TIME_NONE when not set */
GstClockTime  ct_player_window_get_in         (CtPlayerWindow *self);
GstClockTime  ct_player_window_get_out        (CtPlayerWindow *self);
/* The markers' positions, in order (GstClockTime values). */
GArray       *ct_player_window_get_markers    (CtPlayerWindow *self);
/* The window's key shortcuts (a GtkShortcutController, capture phase). */
GtkShortcutController *ct_player_window_get_shortcuts (CtPlayerWindow *self);

/* "hh:mm:ss.mmm" */
char *ct_player_format_position (GstClockTime position);
/* recorded_at (ISO 8601) + position in China time,
 * "YYYY-MM-DD HH:MM:SS.mmm +08:00";
 * NULL when recorded_at is NULL or unreadable. */
char *ct_player_format_wall     (const char  *recorded_at,
                                 GstClockTime position);

G_END_DECLS

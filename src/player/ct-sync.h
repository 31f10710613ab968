/* ct-sync.h — several recordings of one scene played in step, no widgets
 *
 * A CtSyncGroup owns a few CtPlayer and plays them on one timeline in
 * wall-clock time: from the earliest recording start to the latest end.
 * Each medium sits on it at its offset (its recorded-at time minus the
 * group's start).  Seeking the group to time t seeks every player to
 * t − offset with an exact seek; a medium that was not recording at t is
 * parked on its first or last frame and reported as not recording.  Play,
 * pause, the rate and frame steps apply to all.
 *
 * While playing, one player is the master (the first one recording that
 * has sound, else the first one recording): the group's time is the
 * master's frame shown plus its offset.  Every SYNC_INTERVAL the others
 * are compared with it and one that is off by more than the tolerance
 * (two frames, at least 50 ms) is sought back in step; the drift seen is
 * kept for measuring (ct_sync_group_get_max_drift).
 */
#pragma once

#include <gst/gst.h>

#include "ct-player.h"

G_BEGIN_DECLS

#define CT_SYNC_MAX_MEDIA 4

#define CT_TYPE_SYNC_GROUP (ct_sync_group_get_type ())
G_DECLARE_FINAL_TYPE (CtSyncGroup, ct_sync_group, CT, SYNC_GROUP, GObject)

CtSyncGroup  *ct_sync_group_new              (void);

/* Adds @player (not yet opened; the group opens @path in it) recorded from
 * @recorded_at (ISO 8601 with an offset).  @name names the medium in
 * messages.  Refused (CT_PLAYER_ERROR_INVALID) when the recording time is
 * missing or unreadable, or when the group is full or already open. */
gboolean      ct_sync_group_add              (CtSyncGroup *self,
                                              CtPlayer    *player,
                                              const char  *path,
                                              const char  *name,
                                              const char  *recorded_at,
                                              GError     **error);
/* Opens every medium; ends in "ready" (all open, parked at the group's
 * start) or "error" (the first failure, naming the file). */
void          ct_sync_group_open             (CtSyncGroup *self);
gboolean      ct_sync_group_is_ready         (CtSyncGroup *self);

guint         ct_sync_group_get_n_media      (CtSyncGroup *self);
CtPlayer     *ct_sync_group_get_player       (CtSyncGroup *self, guint i);
const char   *ct_sync_group_get_name         (CtSyncGroup *self, guint i);
/* The group's start, in microseconds since the Unix epoch (UTC). */
gint64        ct_sync_group_get_start_us     (CtSyncGroup *self);
/* The medium's place on the timeline, ns from the group's start. */
GstClockTime  ct_sync_group_get_offset       (CtSyncGroup *self, guint i);
/* Its length (the player's once open, else 0). */
GstClockTime  ct_sync_group_get_media_duration (CtSyncGroup *self, guint i);
/* From the group's start to the latest end. */
GstClockTime  ct_sync_group_get_duration     (CtSyncGroup *self);

/* The group's time, ns from its start: the master's frame while playing,
 * else where it was sought to. */
GstClockTime  ct_sync_group_get_position     (CtSyncGroup *self);
/* Whether medium i was recording at the group's time. */
gboolean      ct_sync_group_is_recording     (CtSyncGroup *self, guint i);
/* The group time of medium i's frame shown (offset + its position). */
GstClockTime  ct_sync_group_get_media_wall   (CtSyncGroup *self, guint i);
/* -1 when no medium is recording */
int           ct_sync_group_get_master       (CtSyncGroup *self);
CtPlayerState ct_sync_group_get_state        (CtSyncGroup *self);

/* Ends in "seek-done" once every player is done. */
gboolean      ct_sync_group_seek             (CtSyncGroup     *self,
                                              GstClockTime     position,
                                              CtPlayerSeekMode mode,
                                              GError         **error);
gboolean      ct_sync_group_play             (CtSyncGroup *self, GError **error);
gboolean      ct_sync_group_pause            (CtSyncGroup *self, GError **error);
/* Pauses and moves the group by n frames of the master (n < 0: back). */
gboolean      ct_sync_group_step_frames      (CtSyncGroup *self, int n, GError **error);
gboolean      ct_sync_group_set_rate         (CtSyncGroup *self, double rate, GError **error);
double        ct_sync_group_get_rate         (CtSyncGroup *self);

/* The drift measured while playing: the largest difference (ns) between
 * a recording player's frame and where the master says it should be,
 * leaving out the moments just after a player was (re)started; how many
 * times a player was sought back in step; how many checks were made. */
GstClockTime  ct_sync_group_get_max_drift    (CtSyncGroup *self);
guint         ct_sync_group_get_n_corrections (CtSyncGroup *self);
guint         ct_sync_group_get_n_checks     (CtSyncGroup *self);
void          ct_sync_group_reset_drift      (CtSyncGroup *self);
/* How far apart two media's frames may be before one is sought back. */
GstClockTime  ct_sync_group_get_tolerance    (CtSyncGroup *self);

G_END_DECLS

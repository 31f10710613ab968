/* ct-player.h — the media player core: GStreamer playbin, no widgets
 *
 * CtPlayer opens one file at a time and reports, exactly, which frame is
 * shown: the position is the presentation time of the last buffer the video
 * sink rendered (or prerolled), in stream time, not a position query.
 *
 * Everything is asynchronous and happens on the thread-default main context
 * current when the player was made: open() ends in "ready" or "error"
 * (never both, never neither: a time limit turns a hang into an error),
 * seeks and frame steps end in "seek-done", the end of the stream in "eos".
 *
 * The video goes to the sink given to ct_player_new(): an element or a bin
 * (the GTK paintable sink, for instance).  Without one, an appsink keeps
 * the newest frame, which is what the headless tests and thumbnailers use.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define CT_PLAYER_ERROR (ct_player_error_quark ())

typedef enum {
  CT_PLAYER_ERROR_FAILED,          /* anything not covered below */
  CT_PLAYER_ERROR_NOT_FOUND,       /* the file does not exist */
  CT_PLAYER_ERROR_NOT_READABLE,    /* permissions, a directory, I/O error */
  CT_PLAYER_ERROR_UNSUPPORTED,     /* not a media file, or no playable stream */
  CT_PLAYER_ERROR_MISSING_PLUGIN,  /* a decoder or demuxer is not installed */
  CT_PLAYER_ERROR_DAMAGED,         /* the demuxer or decoder gave up on the data */
  CT_PLAYER_ERROR_TIMEOUT,         /* opening took longer than the time limit */
  CT_PLAYER_ERROR_INVALID,         /* bad argument (a rate out of range, …) */
  CT_PLAYER_ERROR_NOT_READY,       /* nothing is open yet */
  CT_PLAYER_ERROR_NO_VIDEO,        /* frame operations on a file without video */
} CtPlayerError;

GQuark ct_player_error_quark (void);

typedef enum {
  CT_PLAYER_STATE_STOPPED,  /* nothing open, opening, or failed */
  CT_PLAYER_STATE_PAUSED,
  CT_PLAYER_STATE_PLAYING,
  CT_PLAYER_STATE_EOS,      /* played to the end; the last frame is shown */
} CtPlayerState;

GType ct_player_state_get_type (void);
#define CT_TYPE_PLAYER_STATE (ct_player_state_get_type ())

typedef enum {
  CT_PLAYER_SEEK_EXACT,  /* FLUSH | ACCURATE: decode from the keyframe up to the frame */
  CT_PLAYER_SEEK_FAST,   /* FLUSH | KEY_UNIT | SNAP_NEAREST: for scrubbing */
} CtPlayerSeekMode;

#define CT_PLAYER_RATE_MIN 0.25
#define CT_PLAYER_RATE_MAX 4.0
/* The default time limit for open(), in milliseconds. */
#define CT_PLAYER_DEFAULT_OPEN_TIMEOUT_MS 10000

#define CT_TYPE_PLAYER (ct_player_get_type ())
G_DECLARE_FINAL_TYPE (CtPlayer, ct_player, CT, PLAYER, GObject)

/* Loads GStreamer and the plugins a recording needs (demuxers, parsers,
 * decoders, the audio chain) on a thread of its own, once per process, so
 * that the first recording opened does not wait for them.  Returns at
 * once; safe from any thread.  Call it early (the application does at
 * start-up): a pipeline made while it runs waits for its plugin loads. */
void          ct_player_preload            (void);

/* video_sink: NULL for the default appsink, or an element/bin (floating
 * references are sunk) to render into. */
CtPlayer     *ct_player_new                (GstElement *video_sink);

/* Starts opening path; ends in "ready" or "error".  Closes what was open. */
void          ct_player_open               (CtPlayer *self, const char *path);
void          ct_player_close              (CtPlayer *self);
const char   *ct_player_get_path           (CtPlayer *self);
void          ct_player_set_open_timeout   (CtPlayer *self, guint timeout_ms);

gboolean      ct_player_is_ready           (CtPlayer *self);
CtPlayerState ct_player_get_state          (CtPlayer *self);
/* GST_CLOCK_TIME_NONE when unknown */
GstClockTime  ct_player_get_duration       (CtPlayer *self);
/* The stream time of the frame shown (video), else a position query. */
GstClockTime  ct_player_get_position       (CtPlayer *self);
/* The stream time of the last frame the video sink rendered or prerolled;
 * GST_CLOCK_TIME_NONE before the first one. */
GstClockTime  ct_player_get_last_frame_pts (CtPlayer *self);
/* The index of the frame shown (PTS × framerate, rounded), or -1. */
gint64        ct_player_get_frame_index    (CtPlayer *self);
/* The presentation time of frame n, as GStreamer computes it. */
GstClockTime  ct_player_frame_to_time      (CtPlayer *self, guint64 frame);
gboolean      ct_player_get_framerate      (CtPlayer *self, int *fps_n, int *fps_d);
gboolean      ct_player_get_size           (CtPlayer *self, int *width, int *height);
gboolean      ct_player_has_video          (CtPlayer *self);
/* The newest frame of the default appsink (NULL with another sink). */
GstSample    *ct_player_dup_last_sample    (CtPlayer *self);
GstElement   *ct_player_get_pipeline       (CtPlayer *self);

gboolean      ct_player_play               (CtPlayer *self, GError **error);
gboolean      ct_player_pause              (CtPlayer *self, GError **error);
/* Seeks to position (stream time, ns); ends in "seek-done".  Seeks asked
 * for while one is running are merged: only the newest one is made. */
gboolean      ct_player_seek               (CtPlayer        *self,
                                            GstClockTime     position,
                                            CtPlayerSeekMode mode,
                                            GError         **error);
gboolean      ct_player_seek_frame         (CtPlayer *self, guint64 frame, GError **error);
/* Pauses, then shows the frame n frames away (n < 0: backwards); ends in
 * "seek-done".  Forward steps use a GST_EVENT_STEP, backward steps an
 * accurate seek to the earlier frame's boundary. */
gboolean      ct_player_step_frames        (CtPlayer *self, int n, GError **error);
/* Between CT_PLAYER_RATE_MIN and CT_PLAYER_RATE_MAX; keeps the position. */
gboolean      ct_player_set_rate           (CtPlayer *self, double rate, GError **error);
double        ct_player_get_rate           (CtPlayer *self);
/* Linear, 0.0 – 1.0 */
void          ct_player_set_volume         (CtPlayer *self, double volume);
double        ct_player_get_volume         (CtPlayer *self);
void          ct_player_set_muted          (CtPlayer *self, gboolean muted);
gboolean      ct_player_get_muted          (CtPlayer *self);

G_END_DECLS

/* ct-player-test-util.h — what the player tests share: media made with
 * gst-launch-1.0 at test time, a player's (or a sync group's) signals
 * recorded, and waits on the main context that always have a time limit.
 * It links GStreamer: only for tests that have it in the process already. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* How long a test waits for a player by default. */
#define CT_TEST_WAIT_MS 15000

/* Whether the GStreamer registry has an element factory called @name. */
gboolean ct_test_have_element (const char *name);

/* Runs `gst-launch-1.0 -q @pipeline`, which writes @out.  On failure it says
 * why on stderr (as a TAP comment), removes @out and returns FALSE. */
gboolean ct_test_gst_launch   (const char *pipeline,
                               const char *out);

/* Makes @path: @frames frames of videotestsrc @pattern, @width×@height at
 * @fps, in H.264 (x264enc, a keyframe every @fps frames, B-frames on so
 * that presentation and decoding order differ) in MP4.  As
 * ct_test_gst_launch(); the caller checks the elements exist. */
gboolean ct_test_make_h264    (const char *path,
                               int         width,
                               int         height,
                               int         fps,
                               int         frames,
                               const char *pattern);

/* Removes the files in @dir, then @dir itself. */
void     ct_test_remove_media_dir (const char *dir);

/* Iterates the main context until *@flag is set or @ms have passed;
 * returns *@flag. */
gboolean ct_test_wait_flag    (gboolean *flag,
                               guint     ms);

/* Iterates the main context for @ms. */
void     ct_test_run_for      (guint     ms);

/* What a CtPlayer or a CtSyncGroup has signalled: both emit "ready",
 * "error" (with a GError), "eos" and "seek-done". */
typedef struct {
  gboolean  ready;
  gboolean  error;
  gboolean  eos;
  guint     seek_done;   /* how many "seek-done" so far */
  GError   *gerror;      /* the last "error" */
} CtTestPlayerEvents;

/* Records @instance's signals in @events (zeroed first); @events must
 * outlive @instance. */
void     ct_test_player_events_connect (CtTestPlayerEvents *events,
                                        gpointer            instance);
void     ct_test_player_events_clear   (CtTestPlayerEvents *events);

/* Iterates the main context until "seek-done" has come since the count was
 * @before, an error came, or CT_TEST_WAIT_MS have passed; TRUE if the seek
 * came. */
gboolean ct_test_wait_seek_done (CtTestPlayerEvents *events,
                                 guint               before);

G_END_DECLS

/* test-paintable-sink.c — the GTK 4.8 paintable video sink, and the player
 * core driving it
 *
 * Needs no window: the paintable builds GdkMemoryTextures, which are read
 * back on the CPU.  Registered with the UI tests since it links GTK.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "ct-paintable-sink.h"
#include "ct-player.h"

#define WAIT_MS 15000

static char *media_dir;
static gboolean have_display;

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until the paintable has shown more than
 * `before` frames, or the time is up. */
static gboolean
wait_frames (CtVideoPaintable *paintable, guint64 before)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (WAIT_MS, timed_out_cb, &timed_out);

  while (ct_video_paintable_get_frames_shown (paintable) <= before && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return ct_video_paintable_get_frames_shown (paintable) > before;
}

static void
pixel_at (GdkTexture *texture, int x, int y, guint8 bgra[4])
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guint8 *data = g_malloc ((gsize) width * (gsize) height * 4);

  /* GDK_MEMORY_DEFAULT: premultiplied B, G, R, A bytes on little endian */
  gdk_texture_download (texture, data, (gsize) width * 4);
  memcpy (bgra, data + ((gsize) y * (gsize) width + (gsize) x) * 4, 4);
}

static GstElement *
run_pipeline (const char *description, GstElement *sink_bin)
{
  g_autoptr(GError) error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);
  GstElement *last;
  GstIterator *it;
  GValue item = G_VALUE_INIT;

  g_assert_no_error (error);
  /* link the last element of the description to the sink bin */
  it = gst_bin_iterate_sorted (GST_BIN (pipeline));
  g_assert_cmpint (gst_iterator_next (it, &item), ==, GST_ITERATOR_OK);
  last = g_value_get_object (&item);
  gst_bin_add (GST_BIN (pipeline), sink_bin);
  g_assert_true (gst_element_link (last, sink_bin));
  g_value_unset (&item);
  gst_iterator_free (it);
  return pipeline;
}

static void
test_frames (void)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  GstElement *bin = ct_paintable_sink_new_bin (&paintable);
  GstElement *pipeline = run_pipeline ("videotestsrc num-buffers=5 pattern=red "
                                       "! capsfilter caps=video/x-raw,width=64,height=48,format=I420", bin);
  GdkTexture *texture;
  guint8 px[4];

  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 0);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);
  g_assert_true (wait_frames (CT_VIDEO_PAINTABLE (paintable), 0));
  texture = ct_video_paintable_get_texture (CT_VIDEO_PAINTABLE (paintable));
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 64);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 48);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 64);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 48);
  pixel_at (texture, 10, 10, px);
  g_test_message ("pixel B=%u G=%u R=%u A=%u", px[0], px[1], px[2], px[3]);
  g_assert_cmpuint (px[2], >=, 240);  /* red */
  g_assert_cmpuint (px[1], <=, 16);
  g_assert_cmpuint (px[0], <=, 16);
  g_assert_cmpuint (px[3], ==, 255);

  /* a snapshot draws the texture (GSK needs gtk_init, so a display) */
  if (have_display)
  {
    GtkSnapshot *snapshot = gtk_snapshot_new ();
    GskRenderNode *node;

    gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), 64, 48);
    node = gtk_snapshot_free_to_node (snapshot);
    g_assert_nonnull (node);
    gsk_render_node_unref (node);
  }

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

/* A main thread that does not keep up gets the newest frame only. */
static void
test_drops_old_frames (void)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  GstElement *bin = ct_paintable_sink_new_bin (&paintable);
  GstElement *pipeline = run_pipeline ("videotestsrc num-buffers=40 pattern=ball "
                                       "! capsfilter caps=video/x-raw,width=64,height=48,framerate=30/1", bin);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GstElement *sink = NULL;
  GstSample *sample = NULL;
  GstBuffer *last;

  /* as fast as possible, while the main context is not iterated */
  {
    GstIterator *it = gst_bin_iterate_sinks (GST_BIN (bin));
    GValue item = G_VALUE_INIT;

    g_assert_cmpint (gst_iterator_next (it, &item), ==, GST_ITERATOR_OK);
    sink = g_value_dup_object (&item);
    g_value_unset (&item);
    gst_iterator_free (it);
  }
  g_object_set (sink, "sync", FALSE, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_message_unref (msg);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_test_message ("40 frames rendered, %" G_GUINT64_FORMAT " handed to the main thread",
                  ct_video_paintable_get_frames_shown (CT_VIDEO_PAINTABLE (paintable)));
  g_assert_cmpuint (ct_video_paintable_get_frames_shown (CT_VIDEO_PAINTABLE (paintable)), ==, 1);

  /* and that one is the last frame */
  g_object_get (sink, "last-sample", &sample, NULL);
  g_assert_nonnull (sample);
  last = gst_sample_get_buffer (sample);
  g_assert_cmpuint (GST_BUFFER_PTS (last), ==, gst_util_uint64_scale (39, GST_SECOND, 30));
  gst_sample_unref (sample);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

typedef struct {
  gboolean ready, error;
  guint seek_done;
} PlayerState;

static void on_ready (CtPlayer *p, PlayerState *s) { s->ready = TRUE; }
static void on_error (CtPlayer *p, GError *e, PlayerState *s) { g_test_message ("%s", e->message); s->error = TRUE; }
static void on_seek_done (CtPlayer *p, PlayerState *s) { s->seek_done++; }

/* The player core with this sink: frame-exact positions come from the
 * sink's last sample, and the paintable shows that frame. */
static void
test_player (void)
{
  g_autofree char *path = g_build_filename (media_dir, "h264.mp4", NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(CtPlayer) player = NULL;
  PlayerState s = { 0 };
  gboolean timed_out = FALSE;
  guint id;
  guint64 shown;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no H.264 file (x264enc or mp4mux missing)");
      return;
    }
  player = ct_player_new (ct_paintable_sink_new_bin (&paintable));
  g_signal_connect (player, "ready", G_CALLBACK (on_ready), &s);
  g_signal_connect (player, "error", G_CALLBACK (on_error), &s);
  g_signal_connect (player, "seek-done", G_CALLBACK (on_seek_done), &s);
  ct_player_open (player, path);
  id = g_timeout_add (WAIT_MS, timed_out_cb, &timed_out);
  while (!s.ready && !s.error && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (s.ready);
  g_assert_true (wait_frames (CT_VIDEO_PAINTABLE (paintable), 0));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 320);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 240);

  shown = ct_video_paintable_get_frames_shown (CT_VIDEO_PAINTABLE (paintable));
  g_assert_true (ct_player_seek_frame (player, 45, NULL));
  while (s.seek_done == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (s.seek_done, ==, 1);
  g_assert_cmpuint (ct_player_get_last_frame_pts (player), ==, gst_util_uint64_scale (45, GST_SECOND, 30));
  g_assert_true (wait_frames (CT_VIDEO_PAINTABLE (paintable), shown));

  shown = ct_video_paintable_get_frames_shown (CT_VIDEO_PAINTABLE (paintable));
  g_assert_true (ct_player_step_frames (player, 1, NULL));
  while (s.seek_done == 1 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ct_player_get_frame_index (player), ==, 46);
  g_assert_true (wait_frames (CT_VIDEO_PAINTABLE (paintable), shown));
  if (!timed_out)
    g_source_remove (id);
}

int
main (int argc, char **argv)
{
  g_autofree char *launcher = NULL;
  g_autofree char *path = NULL;
  int ret;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  have_display = gtk_init_check ();

  media_dir = g_dir_make_tmp ("casetrail-sink-XXXXXX", NULL);
  g_assert_nonnull (media_dir);
  path = g_build_filename (media_dir, "h264.mp4", NULL);
  launcher = g_find_program_in_path ("gst-launch-1.0");
  if (launcher != NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("gst-launch-1.0 -q videotestsrc num-buffers=90 pattern=ball "
                                              "! video/x-raw,width=320,height=240,framerate=30/1 "
                                              "! x264enc key-int-max=30 speed-preset=superfast "
                                              "! h264parse ! mp4mux ! filesink location=%s", path);
      int status = 0;

      if (!g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL)
          || !g_spawn_check_wait_status (status, NULL))
        g_unlink (path);
    }

  g_test_add_func ("/paintable-sink/frames", test_frames);
  g_test_add_func ("/paintable-sink/drops-old-frames", test_drops_old_frames);
  g_test_add_func ("/paintable-sink/player", test_player);
  ret = g_test_run ();

  g_unlink (path);
  g_rmdir (media_dir);
  g_free (media_dir);
  return ret;
}

#define G_LOG_DOMAIN "casetrail"

/* test-sync-ui.c — several cameras in step, in the window, over a real store
 *
 * Two H.264 files made with gst-launch-1.0 at test time (A: 4 s at 30 fps,
 * B: 3 s at 25 fps) and a WAV are imported into a case with recording
 * times 1.5 s apart; the window opens them the way the Media page does
 * (the core checks and audits each), and the group is moved by seeks, the
 * window's keys and a click on the lanes while each cell's wall-clock time
 * is read.  An outsider is refused and nothing is audited as played; a
 * recording without a recording time is refused by name; the Media page's
 * "Play Together…" is enabled only with two recordings that have a time,
 * and its chooser opens the window.
 *
 * With CASETRAIL_SCREENSHOT_DIR set, the window is saved as a PNG there. */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ct-error.h"
#include "ct-media-panel.h"
#include "ct-media.h"
#include "ct-review.h"
#include "ct-store.h"
#include "ct-sync-window.h"
#include "ct-player-test-util.h"
#include "ct-test-util.h"
#include "ct-transport.h"
#include "ct-ui-test-util.h"

#define A_AT "2026-03-01T14:00:00+08:00"
#define B_AT "2026-03-01T14:00:01.500+08:00"

static char *media_dir;
static gboolean have_media;

typedef struct {
  char         *dir;
  CtStore      *store;
  CtSession    *session;     /* h1, handler of the case */
  gint64        case_id;
  CtSyncWindow *window;
  guint         seek_done;
  gboolean      opened;
  CtSyncWindow *result;
  GError       *error;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = ct_test_make_dir ();
  f->store = ct_test_store_new (f->dir, FALSE);
  f->case_id = ct_test_new_case (f->store, "涉嫌无照经营（多机位测试）");
  f->session = ct_test_login (f->store, "h1");
  g_assert_nonnull (f->session);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  ct_ui_settle (50);
  g_clear_error (&f->error);
  g_clear_pointer (&f->session, ct_session_unref);
  g_clear_object (&f->store);
  ct_test_remove_dir (f->dir);
  g_free (f->dir);
}

static gint64
import (Fixture *f, const char *name, const char *recorded_at, const char *device)
{
  g_autofree char *path = g_build_filename (media_dir, name, NULL);

  return ct_test_import_media (f->store, f->session, f->case_id, path, device, recorded_at);
}

static int
plays_audited (Fixture *f)
{
  return ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action='media.play'");
}

static void
open_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Fixture *f = user_data;

  f->result = ct_sync_window_open_finish (result, &f->error);
  f->opened = TRUE;
}

static gboolean
opened (gpointer data)
{
  return ((Fixture *) data)->opened;
}

static CtSyncWindow *
open_as (Fixture *f, CtSession *session, const gint64 *ids, guint n)
{
  f->opened = FALSE;
  f->result = NULL;
  g_clear_error (&f->error);
  ct_sync_window_open_async (f->store, session, ids, n, NULL, open_cb, f);
  g_assert_true (ct_ui_wait_until (opened, f));
  return f->result;
}

static void
on_seek_done (CtSyncGroup *group, Fixture *f)
{
  f->seek_done++;
}

static gboolean
window_settled (gpointer data)
{
  return g_strcmp0 (ct_sync_window_get_page (((Fixture *) data)->window), "loading") != 0;
}

static void
show_window (Fixture *f, CtSyncWindow *window)
{
  g_assert_true (CT_IS_SYNC_WINDOW (window));
  f->window = window;
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (ct_sync_window_get_group (window), "seek-done", G_CALLBACK (on_seek_done), f);
  g_assert_true (ct_ui_wait_until (window_settled, f));
  g_assert_cmpstr (ct_sync_window_get_page (window), ==, "grid");
}

static void
seek (Fixture *f, GstClockTime t)
{
  g_autoptr(GError) error = NULL;
  guint seeks_before = f->seek_done;

  g_assert_true (ct_sync_group_seek (ct_sync_window_get_group (f->window), t, CT_PLAYER_SEEK_EXACT, &error));
  g_assert_no_error (error);
  g_assert_true (ct_ui_wait_count (&f->seek_done, seeks_before));
}

/* Presses @keyval through the window's shortcut controller. */
static void
press (Fixture *f, guint keyval)
{
  GListModel *shortcuts = G_LIST_MODEL (ct_sync_window_get_shortcuts (f->window));

  for (guint i = 0; i < g_list_model_get_n_items (shortcuts); i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, i);
      GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

      if (GTK_IS_KEYVAL_TRIGGER (trigger) && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval)
        {
          g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, GTK_WIDGET (f->window),
                                                       gtk_shortcut_get_arguments (shortcut)));
          return;
        }
    }
  g_error ("no shortcut for %s", gdk_keyval_name (keyval));
}

static void
press_and_wait_seek (Fixture *f, guint keyval)
{
  guint seeks_before = f->seek_done;

  press (f, keyval);
  g_assert_true (ct_ui_wait_count (&f->seek_done, seeks_before));
  ct_ui_settle (30);
}

static gboolean
is_playing (gpointer data)
{
  Fixture *f = data;

  return ct_sync_group_get_state (ct_sync_window_get_group (f->window)) == CT_PLAYER_STATE_PLAYING;
}

/* ---- tests ------------------------------------------------------------------------- */

static void
test_window (Fixture *f, gconstpointer data)
{
  gint64 ids[2];
  CtSyncGroup *group;

  if (!have_media)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  ids[0] = import (f, "a.mp4", A_AT, "DSJ-A1");
  ids[1] = import (f, "b.mp4", B_AT, "DSJ-B2");
  g_assert_cmpint (plays_audited (f), ==, 0);
  show_window (f, open_as (f, f->session, ids, 2));
  g_assert_no_error (f->error);
  /* each was checked and audited as played */
  g_assert_cmpint (plays_audited (f), ==, 2);
  group = ct_sync_window_get_group (f->window);
  g_assert_cmpuint (ct_sync_group_get_n_media (group), ==, 2);
  g_assert_cmpstr (ct_sync_window_get_cell_kind (f->window, 0), ==, "video");

  /* at the start only A records; B waits on its first frame */
  g_assert_cmpstr (ct_sync_window_get_position_text (f->window), ==, "2026-03-01 14:00:00.000 +08:00");
  g_assert_cmpstr (ct_sync_window_get_cell_time_text (f->window, 0), ==, "2026-03-01 14:00:00.000 +08:00");
  g_assert_cmpstr (ct_sync_window_get_cell_status_text (f->window, 0), ==, "");
  g_assert_cmpstr (ct_sync_window_get_cell_time_text (f->window, 1), ==, "2026-03-01 14:00:01.500 +08:00");
  g_assert_cmpstr (ct_sync_window_get_cell_status_text (f->window, 1), !=, "");
  g_test_message ("B at the start: %s", ct_sync_window_get_cell_status_text (f->window, 1));
  ct_ui_settle (100);
  ct_ui_screenshot (GTK_WIDGET (f->window), "sync-window-start");

  /* the group to 14:00:02.100: A 2.1 s in, B 0.6 s in, both show that time */
  seek (f, 2100 * GST_MSECOND);
  g_assert_cmpstr (ct_sync_window_get_position_text (f->window), ==, "2026-03-01 14:00:02.100 +08:00");
  g_assert_cmpstr (ct_sync_window_get_cell_time_text (f->window, 0), ==, "2026-03-01 14:00:02.100 +08:00");
  g_assert_cmpstr (ct_sync_window_get_cell_time_text (f->window, 1), ==, "2026-03-01 14:00:02.100 +08:00");
  g_assert_cmpstr (ct_sync_window_get_cell_status_text (f->window, 1), ==, "");
  ct_ui_screenshot (GTK_WIDGET (f->window), "sync-window");

  /* period: one frame of A on; B shows the frame that holds that time */
  press_and_wait_seek (f, GDK_KEY_period);
  g_assert_cmpstr (ct_sync_window_get_cell_time_text (f->window, 0), ==, "2026-03-01 14:00:02.133 +08:00");
  g_assert_cmpint (ct_player_get_frame_index (ct_sync_group_get_player (group, 0)), ==, 64);
  g_assert_cmpstr (ct_sync_window_get_cell_time_text (f->window, 1), ==, "2026-03-01 14:00:02.133 +08:00");
  press_and_wait_seek (f, GDK_KEY_comma);
  g_assert_cmpstr (ct_sync_window_get_cell_time_text (f->window, 0), ==, "2026-03-01 14:00:02.100 +08:00");

  /* → 5 s on: past the end of both (B ends at 14:00:04.500) */
  press_and_wait_seek (f, GDK_KEY_Right);
  g_assert_cmpuint (ct_sync_group_get_position (group), ==, ct_sync_group_get_duration (group));
  g_assert_cmpstr (ct_sync_window_get_cell_status_text (f->window, 0), !=, "");
  g_assert_cmpstr (ct_sync_window_get_cell_status_text (f->window, 1), !=, "");
  /* A parked on its last frame */
  g_assert_cmpstr (ct_sync_window_get_cell_time_text (f->window, 0), ==, "2026-03-01 14:00:03.966 +08:00");

  /* ← back 5 s: the start */
  press_and_wait_seek (f, GDK_KEY_Left);
  g_assert_cmpuint (ct_sync_group_get_position (group), ==, 0);
  g_assert_cmpstr (ct_sync_window_get_cell_time_text (f->window, 0), ==, "2026-03-01 14:00:00.000 +08:00");

  /* a click on the lanes at two thirds: 3.0 s of 4.5 */
  {
    guint seeks_before = f->seek_done;

    ct_sync_window_click_lanes (f->window, 2.0 / 3.0);
    g_assert_true (ct_ui_wait_count (&f->seek_done, seeks_before));
  }
  g_assert_cmpuint (ct_sync_group_get_position (group), >=, 2990 * GST_MSECOND);
  g_assert_cmpuint (ct_sync_group_get_position (group), <=, 3010 * GST_MSECOND);
  g_assert_cmpstr (ct_sync_window_get_cell_status_text (f->window, 0), ==, "");
  g_assert_cmpstr (ct_sync_window_get_cell_status_text (f->window, 1), ==, "");

  /* Space plays both, Space pauses them in step */
  seek (f, 1800 * GST_MSECOND);
  press (f, GDK_KEY_space);
  g_assert_true (ct_ui_wait_until (is_playing, f));
  ct_ui_settle (800);
  {
    guint seeks_before = f->seek_done;

    press (f, GDK_KEY_space);
    g_assert_true (ct_ui_wait_count (&f->seek_done, seeks_before));
  }
  g_assert_cmpint (ct_sync_group_get_state (group), ==, CT_PLAYER_STATE_PAUSED);
  g_test_message ("paused at %s: A %s, B %s", ct_sync_window_get_position_text (f->window),
                  ct_sync_window_get_cell_time_text (f->window, 0), ct_sync_window_get_cell_time_text (f->window, 1));
  /* it moved on (how far depends on how busy the machine is) */
  g_assert_cmpuint (ct_sync_group_get_position (group), >, 1800 * GST_MSECOND);
  for (guint i = 0; i < 2; i++)
    {
      GstClockTime wall = ct_sync_group_get_media_wall (group, i);
      GstClockTime t = ct_sync_group_get_position (group);

      g_assert_cmpuint (wall > t ? wall - t : t - wall, <, GST_SECOND / 25);
    }
}

static void
test_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(CtSession) outsider = NULL;
  gint64 ids[2];

  if (!have_media)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  ids[0] = import (f, "a.mp4", A_AT, "DSJ-A1");
  ids[1] = import (f, "b.mp4", B_AT, "DSJ-B2");
  outsider = ct_test_login (f->store, "h3");   /* a handler, not of this case */
  g_assert_null (open_as (f, outsider, ids, 2));
  g_assert_error (f->error, CT_ERROR, CT_ERROR_PERMISSION);
  g_test_message ("refused: %s", f->error->message);
  g_assert_cmpint (plays_audited (f), ==, 0);

  /* one is not enough */
  g_assert_null (open_as (f, f->session, ids, 1));
  g_assert_error (f->error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_cmpint (plays_audited (f), ==, 0);
}

/* The import reads no time from a WAV, so it has none unless one is given. */
static void
test_no_time (Fixture *f, gconstpointer data)
{
  g_autofree char *ref = NULL;
  g_autoptr(CtMedia) wav = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ids[2];

  if (!have_media)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  ids[0] = import (f, "a.mp4", A_AT, "DSJ-A1");
  ids[1] = import (f, "audio.wav", NULL, "DSJ-C3");
  ref = g_strdup_printf ("%" G_GINT64_FORMAT, ids[1]);
  wav = ct_store_get_media (f->store, ref, &error);
  g_assert_no_error (error);
  if (wav->recorded_at != NULL)
    {
      g_test_skip ("the probe read a recording time from the WAV");
      return;
    }
  g_assert_null (open_as (f, f->session, ids, 2));
  g_assert_error (f->error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (f->error->message, "audio.wav"));
  g_test_message ("refused: %s", f->error->message);
  g_assert_cmpint (plays_audited (f), ==, 0);
}

/* Audio plays along, with a placeholder in its cell. */
static void
test_audio (Fixture *f, gconstpointer data)
{
  gint64 ids[2];

  if (!have_media)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  ids[0] = import (f, "a.mp4", A_AT, "DSJ-A1");
  ids[1] = import (f, "audio.wav", "2026-03-01T14:00:01+08:00", "DSJ-C3");
  show_window (f, open_as (f, f->session, ids, 2));
  g_assert_cmpstr (ct_sync_window_get_cell_kind (f->window, 1), ==, "audio");
  seek (f, 2 * GST_SECOND);
  g_assert_cmpstr (ct_sync_window_get_cell_time_text (f->window, 0), ==, "2026-03-01 14:00:02.000 +08:00");
  g_assert_cmpstr (ct_sync_window_get_cell_status_text (f->window, 1), ==, "");
  {
    GstClockTime wall = ct_sync_group_get_media_wall (ct_sync_window_get_group (f->window), 1);

    g_assert_cmpuint (wall, >=, 2 * GST_SECOND - 30 * GST_MSECOND);
    g_assert_cmpuint (wall, <=, 2 * GST_SECOND + 30 * GST_MSECOND);
  }
}

/* The Media page's "Play Together…". */
static gboolean
panel_idle (gpointer data)
{
  CtMediaPanel *panel = data;

  return !ct_media_panel_get_busy (panel) && ct_media_panel_get_listing (panel) != NULL;
}

static void
on_chooser_opened (CtSyncChooser *chooser, CtSyncWindow *window, Fixture *f)
{
  f->result = window;
  f->opened = TRUE;
}

static CtMediaPanel *
show_panel (Fixture *f, GtkWindow **window)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, f->case_id);
  g_autoptr(CtCase) c = ct_store_get_case (f->store, f->session, ref, &error);
  CtMediaPanel *panel = CT_MEDIA_PANEL (ct_media_panel_new ());

  g_assert_no_error (error);
  *window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (*window, GTK_WIDGET (panel));
  gtk_window_present (*window);
  ct_media_panel_set_case (panel, f->store, f->session, c);
  g_assert_true (ct_ui_wait_until (panel_idle, panel));
  return panel;
}

static void
test_panel (Fixture *f, gconstpointer data)
{
  GtkWindow *window = NULL;
  CtMediaPanel *panel;
  CtSyncChooser *chooser;
  gint64 a, b;

  if (!have_media)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  a = import (f, "a.mp4", A_AT, "DSJ-A1");

  /* one recording: nothing to play together */
  panel = show_panel (f, &window);
  gtk_widget_activate_action (GTK_WIDGET (panel), "media.play-together", NULL);
  ct_ui_settle (30);
  g_assert_null (ct_media_panel_get_dialog (panel));
  gtk_window_destroy (window);
  ct_ui_settle (30);

  b = import (f, "b.mp4", B_AT, "DSJ-B2");
  panel = show_panel (f, &window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "media.play-together", NULL));
  g_assert_true (CT_IS_SYNC_CHOOSER (ct_media_panel_get_dialog (panel)));
  chooser = CT_SYNC_CHOOSER (ct_media_panel_get_dialog (panel));
  g_assert_false (ct_sync_chooser_can_play (chooser));
  ct_sync_chooser_set_chosen (chooser, a, TRUE);
  g_assert_false (ct_sync_chooser_can_play (chooser));
  ct_sync_chooser_set_chosen (chooser, b, TRUE);
  g_assert_true (ct_sync_chooser_can_play (chooser));
  ct_ui_screenshot (GTK_WIDGET (chooser), "sync-chooser");

  f->opened = FALSE;
  g_signal_connect (chooser, "opened", G_CALLBACK (on_chooser_opened), f);
  ct_sync_chooser_play (chooser);
  g_assert_true (ct_ui_wait_until (opened, f));
  show_window (f, f->result);
  g_assert_cmpint (plays_audited (f), ==, 2);
  g_assert_null (ct_media_panel_get_dialog (panel));   /* the chooser closed */
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  gtk_window_destroy (window);
}

/* ---- media ------------------------------------------------------------------------ */

static gboolean
make_video (const char *name, int fps, int frames, const char *pattern)
{
  g_autofree char *path = g_build_filename (media_dir, name, NULL);

  return ct_test_make_h264 (path, 320, 240, fps, frames, pattern);
}

static void
make_media (void)
{
  g_autofree char *launcher = g_find_program_in_path ("gst-launch-1.0");
  g_autofree char *wav = g_build_filename (media_dir, "audio.wav", NULL);

  if (launcher == NULL || !ct_test_have_element ("x264enc") || !ct_test_have_element ("h264parse")
      || !ct_test_have_element ("mp4mux") || !ct_test_have_element ("wavenc"))
    return;
  have_media = make_video ("a.mp4", 30, 120, "ball") && make_video ("b.mp4", 25, 75, "smpte");
  if (have_media)
    {
      g_autofree char *p =
        g_strdup_printf ("audiotestsrc num-buffers=40 samplesperbuffer=4410 "
                         "! audio/x-raw,rate=44100,channels=1 ! wavenc ! filesink location=%s", wav);
      have_media = ct_test_gst_launch (p, wav);
    }
}

/* ct-transport.c, shared with the player window: where ← and → land (the
 * player's unknown position and duration now reach the sync window's
 * seeks as well) and the keys' controller. */
static void
test_transport (void)
{
  const GstClockTime step = CT_TRANSPORT_SEEK_STEP;
  static const CtTransportKey keys[] = {
    { GDK_KEY_space, "sync.play-pause" },
    { GDK_KEY_Left, "sync.seek-back" },
  };
  g_autoptr(GtkWidget) box = g_object_ref_sink (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0));
  GtkShortcutController *controller;

  g_assert_cmpuint (ct_transport_seek_target (7 * GST_SECOND, -(gint64) step, 10 * GST_SECOND), ==, 2 * GST_SECOND);
  g_assert_cmpuint (ct_transport_seek_target (3 * GST_SECOND, -(gint64) step, 10 * GST_SECOND), ==, 0);
  g_assert_cmpuint (ct_transport_seek_target (step, -(gint64) step, 10 * GST_SECOND), ==, 0);
  g_assert_cmpuint (ct_transport_seek_target (3 * GST_SECOND, (gint64) step, 10 * GST_SECOND), ==, 8 * GST_SECOND);
  g_assert_cmpuint (ct_transport_seek_target (7 * GST_SECOND, (gint64) step, 10 * GST_SECOND), ==, 10 * GST_SECOND);
  /* an unknown position counts as the start; an unknown duration bounds nothing */
  g_assert_cmpuint (ct_transport_seek_target (GST_CLOCK_TIME_NONE, (gint64) step, 10 * GST_SECOND), ==, step);
  g_assert_cmpuint (ct_transport_seek_target (GST_CLOCK_TIME_NONE, -(gint64) step, 10 * GST_SECOND), ==, 0);
  g_assert_cmpuint (ct_transport_seek_target (7 * GST_SECOND, (gint64) step, GST_CLOCK_TIME_NONE), ==, 12 * GST_SECOND);
  /* a duration of 0 (nothing known to play) keeps every seek at 0 */
  g_assert_cmpuint (ct_transport_seek_target (0, (gint64) step, 0), ==, 0);

  g_assert_cmpfloat (ct_transport_rates[CT_TRANSPORT_RATE_NORMAL], ==, 1.0);
  for (guint i = 1; i < CT_TRANSPORT_N_RATES; i++)
    g_assert_cmpfloat (ct_transport_rates[i - 1], <, ct_transport_rates[i]);

  controller = ct_transport_add_keys (box, "test-shortcuts", keys, G_N_ELEMENTS (keys));
  g_assert_cmpstr (gtk_event_controller_get_name (GTK_EVENT_CONTROLLER (controller)), ==, "test-shortcuts");
  g_assert_cmpint (gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)), ==,
                   GTK_PHASE_CAPTURE);
  g_assert_true (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)) == box);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (controller)), ==, G_N_ELEMENTS (keys));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), i);
      GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
      GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

      g_assert_true (GTK_IS_KEYVAL_TRIGGER (trigger));
      g_assert_cmpuint (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)), ==, keys[i].keyval);
      g_assert_true (GTK_IS_NAMED_ACTION (action));
      g_assert_cmpstr (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), ==, keys[i].action);
    }
}

int
main (int argc, char *argv[])
{
  int status;

  if (!ct_ui_test_init (&argc, &argv, TRUE))
    return 0;
  gst_init (NULL, NULL);

  media_dir = g_dir_make_tmp ("casetrail-sync-ui-XXXXXX", NULL);
  g_assert_nonnull (media_dir);
  make_media ();

  g_test_add ("/ui/sync/window", Fixture, NULL, fixture_set_up, test_window, fixture_tear_down);
  g_test_add ("/ui/sync/refused", Fixture, NULL, fixture_set_up, test_refused, fixture_tear_down);
  g_test_add ("/ui/sync/no-time", Fixture, NULL, fixture_set_up, test_no_time, fixture_tear_down);
  g_test_add ("/ui/sync/audio", Fixture, NULL, fixture_set_up, test_audio, fixture_tear_down);
  g_test_add ("/ui/sync/panel", Fixture, NULL, fixture_set_up, test_panel, fixture_tear_down);
  g_test_add_func ("/ui/sync/transport", test_transport);

  status = g_test_run ();
  ct_test_remove_dir (media_dir);
  g_free (media_dir);
  return status;
}

#define G_LOG_DOMAIN "casetrail"

/* test-player-ui.c — the player window driven as a user would, over a real
 * store: a short 30 fps H.264 file made with gst-launch-1.0 at test time is
 * imported into a case, opened the way the Media page opens it (the core
 * checks the permission and audits "media.play" on a worker thread), and
 * played, paused, stepped and marked through the window's key shortcuts.
 * A broken file shows the error page; an audio file plays with a
 * placeholder; someone who is not an officer of the case gets the refusal
 * and no window.
 *
 * With CASETRAIL_SCREENSHOT_DIR set, the window is saved as a PNG there. */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ct-error.h"
#include "ct-form-editor.h"
#include "ct-form.h"
#include "ct-media-details.h"
#include "ct-media-panel.h"
#include "ct-media.h"
#include "ct-player-window.h"
#include "ct-review-queue.h"
#include "ct-review.h"
#include "ct-rules.h"
#include "ct-store.h"
#include "ct-player-test-util.h"
#include "ct-test-util.h"
#include "ct-ui-test-util.h"
#include "ct-widget-util.h"

#define FPS         30
#define N_FRAMES    240     /* 8 s */
#define RECORDED_AT "2026-03-01T14:00:00+08:00"

static char *media_dir;
static char *cache_dir;
static gboolean have_h264;

/* ---- fixture ------------------------------------------------------------------- */

typedef struct {
  char           *dir;
  CtStore        *store;
  CtSession      *session;     /* h1, handler of the case */
  gint64          case_id;
  CtPlayerWindow *window;
  guint           seek_done;
  /* the open call */
  gboolean        opened;
  CtPlayerWindow *result;
  GError         *error;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = ct_test_make_dir ();
  f->store = ct_test_store_new (f->dir, FALSE);
  f->case_id = ct_test_new_case (f->store, "涉嫌无照经营（播放器测试）");
  f->session = ct_test_login (f->store, "h1");
  g_assert_nonnull (f->session);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
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
import (Fixture    *f,
        const char *name,
        const char *recorded_at)
{
  g_autofree char *path = g_build_filename (media_dir, name, NULL);

  return ct_test_import_media (f->store, f->session, f->case_id, path, "DSJ-T1", recorded_at);
}

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = ct_player_window_open_finish (result, &f->error);
  f->opened = TRUE;
}

static gboolean
opened (gpointer data)
{
  return ((Fixture *) data)->opened;
}

static void
on_seek_done (CtPlayer *player,
              Fixture  *f)
{
  f->seek_done++;
}

static gboolean
window_settled (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (ct_player_window_get_page (f->window), "loading") != 0;
}

/* Opens @media_id as @session the way the Media page does. */
static CtPlayerWindow *
open_as (Fixture   *f,
         CtSession *session,
         gint64     media_id)
{
  f->opened = FALSE;
  f->result = NULL;
  g_clear_error (&f->error);
  ct_player_window_open_async (f->store, session, media_id, NULL, open_cb, f);
  g_assert_true (ct_ui_wait_until (opened, f));
  return f->result;
}

static void
open_window (Fixture *f,
             gint64   media_id)
{
  CtPlayerWindow *window = open_as (f, f->session, media_id);

  g_assert_no_error (f->error);
  g_assert_true (CT_IS_PLAYER_WINDOW (window));
  f->window = window;
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (ct_player_window_get_player (window), "seek-done", G_CALLBACK (on_seek_done), f);
  g_assert_true (ct_ui_wait_until (window_settled, f));
}

/* ---- driving it --------------------------------------------------------------- */

/* Presses @keyval: finds the shortcut the window has for it and activates
 * it as the shortcut controller would.  FALSE when the shortcut did
 * nothing (its action is disabled): the key then goes on to the widgets. */
static gboolean
try_key (Fixture *f,
         guint    keyval)
{
  GListModel *shortcuts = G_LIST_MODEL (ct_player_window_get_shortcuts (f->window));

  for (guint i = 0; i < g_list_model_get_n_items (shortcuts); i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, i);
      GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

      if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
          gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
          gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
        return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, GTK_WIDGET (f->window),
                                             gtk_shortcut_get_arguments (shortcut));
    }
  g_error ("no shortcut for %s", gdk_keyval_name (keyval));
  return FALSE;
}

static void
press (Fixture *f,
       guint    keyval)
{
  g_assert_true (try_key (f, keyval));
}

/* Presses a key that seeks and waits for the seek to be done. */
static void
press_and_wait_seek (Fixture *f,
                     guint    keyval)
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

  return ct_player_get_state (ct_player_window_get_player (f->window)) == CT_PLAYER_STATE_PLAYING;
}

static gboolean
is_paused (gpointer data)
{
  Fixture *f = data;

  return ct_player_get_state (ct_player_window_get_player (f->window)) == CT_PLAYER_STATE_PAUSED;
}

static gboolean
at_frame_90 (gpointer data)
{
  Fixture *f = data;

  return ct_player_get_frame_index (ct_player_window_get_player (f->window)) == 90;
}

static gboolean
is_fullscreen (gpointer data)
{
  return gtk_window_is_fullscreen (GTK_WINDOW (((Fixture *) data)->window));
}

static gboolean
is_not_fullscreen (gpointer data)
{
  return !is_fullscreen (data);
}

/* wait_until() for things a window manager may not do */
static gboolean
wait_short (gboolean (*cond) (gpointer),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 2 * G_TIME_SPAN_SECOND;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return TRUE;
}

static gboolean
is_position_text (const char *text)
{
  return g_regex_match_simple ("^[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}$", text, 0, 0);
}

/* The labels show the frame the player says is shown. */
static void
check_labels (Fixture *f)
{
  CtPlayer *player = ct_player_window_get_player (f->window);
  GstClockTime position = ct_player_get_position (player);
  g_autofree char *text = ct_player_format_position (position);
  g_autofree char *wall = ct_player_format_wall (RECORDED_AT, position);

  g_assert_true (is_position_text (ct_player_window_get_position_text (f->window)));
  g_assert_cmpstr (ct_player_window_get_position_text (f->window), ==, text);
  g_assert_cmpstr (ct_player_window_get_wall_text (f->window), ==, wall);
}

/* ---- tests -------------------------------------------------------------------- */

static void
test_play (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *marks = NULL;
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;
  CtPlayer *player;
  gint64 media_id, index;
  GstClockTime position;

  if (!have_h264)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }

  media_id = import (f, "h264.mp4", RECORDED_AT);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action='media.play'"), ==, 0);
  open_window (f, media_id);
  player = ct_player_window_get_player (f->window);

  /* opening was checked and audited */
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action='media.play'"), ==, 1);
  g_assert_null (ct_player_window_get_error (f->window));
  g_assert_cmpstr (ct_player_window_get_page (f->window), ==, "video");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "h264.mp4");

  /* the first frame: 00:00:00.000 at the recording's start, China time */
  ct_ui_settle (100);
  g_assert_cmpstr (ct_player_window_get_position_text (f->window), ==, "00:00:00.000");
  g_assert_cmpstr (ct_player_window_get_wall_text (f->window), ==, "2026-03-01 14:00:00.000 +08:00");
  check_labels (f);

  /* Space plays, K pauses */
  press (f, GDK_KEY_space);
  g_assert_true (ct_ui_wait_until (is_playing, f));
  ct_ui_settle (400);
  press (f, GDK_KEY_k);
  g_assert_true (ct_ui_wait_until (is_paused, f));
  ct_ui_settle (200);
  position = ct_player_get_position (player);
  g_assert_cmpuint (position, >, 0);
  check_labels (f);
  g_test_message ("paused at %s", ct_player_window_get_position_text (f->window));

  /* period and comma step exactly one frame */
  index = ct_player_get_frame_index (player);
  g_assert_cmpint (index, >=, 0);
  press_and_wait_seek (f, GDK_KEY_period);
  g_assert_cmpint (ct_player_get_frame_index (player), ==, index + 1);
  check_labels (f);
  press_and_wait_seek (f, GDK_KEY_period);
  g_assert_cmpint (ct_player_get_frame_index (player), ==, index + 2);
  press_and_wait_seek (f, GDK_KEY_comma);
  g_assert_cmpint (ct_player_get_frame_index (player), ==, index + 1);
  check_labels (f);

  /* Right and Left: ±5 s, to the frame */
  position = ct_player_get_position (player);
  press_and_wait_seek (f, GDK_KEY_Right);
  g_assert_cmpint (ABS ((gint64) ct_player_get_position (player) - (gint64) (position + 5 * GST_SECOND)), <=,
                   GST_SECOND / FPS);
  check_labels (f);
  press_and_wait_seek (f, GDK_KEY_Left);
  g_assert_cmpint (ABS ((gint64) ct_player_get_position (player) - (gint64) position), <=, GST_SECOND / FPS);
  check_labels (f);

  /* I, O and M: the marks */
  g_assert_cmpstr (ct_player_window_get_marks_text (f->window), ==, "");
  press (f, GDK_KEY_i);
  in = ct_player_format_position (ct_player_get_position (player));
  marks = g_strdup_printf ("In %s", in);
  g_assert_cmpstr (ct_player_window_get_marks_text (f->window), ==, marks);
  g_assert_cmpuint (ct_player_window_get_in (f->window), ==, ct_player_get_position (player));
  press_and_wait_seek (f, GDK_KEY_Right);
  press (f, GDK_KEY_o);
  out = ct_player_format_position (ct_player_get_position (player));
  press (f, GDK_KEY_m);
  press_and_wait_seek (f, GDK_KEY_period);
  press (f, GDK_KEY_m);
  g_free (marks);
  marks = g_strdup_printf ("In %s · Out %s · 2 markers", in, out);
  g_assert_cmpstr (ct_player_window_get_marks_text (f->window), ==, marks);
  g_assert_cmpuint (ct_player_window_get_markers (f->window)->len, ==, 2);
  g_assert_cmpuint (ct_player_window_get_out (f->window), >, ct_player_window_get_in (f->window));
  g_test_message ("marks: %s", marks);

  /* L plays, then faster; J slower */
  press_and_wait_seek (f, GDK_KEY_Left);
  press_and_wait_seek (f, GDK_KEY_Left);
  g_assert_cmpfloat_with_epsilon (ct_player_get_rate (player), 1.0, 0.001);
  press (f, GDK_KEY_l);
  g_assert_true (ct_ui_wait_until (is_playing, f));
  press (f, GDK_KEY_l);
  g_assert_cmpfloat_with_epsilon (ct_player_get_rate (player), 2.0, 0.001);
  press (f, GDK_KEY_l);
  g_assert_cmpfloat_with_epsilon (ct_player_get_rate (player), 4.0, 0.001);
  press (f, GDK_KEY_j);
  g_assert_cmpfloat_with_epsilon (ct_player_get_rate (player), 2.0, 0.001);
  press (f, GDK_KEY_j);
  press (f, GDK_KEY_j);
  g_assert_cmpfloat_with_epsilon (ct_player_get_rate (player), 0.5, 0.001);
  press (f, GDK_KEY_j);
  g_assert_cmpfloat_with_epsilon (ct_player_get_rate (player), 0.25, 0.001);
  press (f, GDK_KEY_k);
  g_assert_true (ct_ui_wait_until (is_paused, f));
  ct_ui_settle (100);
  check_labels (f);

  /* the seek bar: fast seeks while it is dragged, an exact one when it rests */
  {
    GtkWidget *scale = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->window), CT_TYPE_PLAYER_WINDOW,
                                                                  "seek_scale"));
    gboolean handled = FALSE;

    g_signal_emit_by_name (scale, "change-value", GTK_SCROLL_JUMP, 1.7, &handled);
    g_assert_true (handled);
    ct_ui_settle (50);
    g_signal_emit_by_name (scale, "change-value", GTK_SCROLL_JUMP, 3.0, &handled);
    g_assert_true (ct_ui_wait_until (at_frame_90, f));
    ct_ui_settle (100);
    g_assert_cmpint (ct_player_get_frame_index (player), ==, 90);
    g_assert_cmpstr (ct_player_window_get_position_text (f->window), ==, "00:00:03.000");
    g_assert_cmpstr (ct_player_window_get_wall_text (f->window), ==, "2026-03-01 14:00:03.000 +08:00");
    g_assert_cmpfloat_with_epsilon (gtk_range_get_value (GTK_RANGE (scale)), 3.0, 0.001);
  }

  /* Escape does nothing outside fullscreen (the key goes on to the widgets) */
  g_assert_false (try_key (f, GDK_KEY_Escape));
  press (f, GDK_KEY_f);
  if (wait_short (is_fullscreen, f))
    {
      press (f, GDK_KEY_Escape);
      g_assert_true (wait_short (is_not_fullscreen, f));
    }
  else
    {
      g_test_message ("fullscreen was not applied (no window manager?)");
      gtk_window_unfullscreen (GTK_WINDOW (f->window));
    }

  ct_ui_screenshot (GTK_WIDGET (f->window), "player-window");
}

static void
test_broken (Fixture       *f,
             gconstpointer  data)
{
  gint64 media_id = import (f, "random.mp4", RECORDED_AT);

  open_window (f, media_id);
  g_assert_cmpstr (ct_player_window_get_page (f->window), ==, "error");
  g_assert_nonnull (ct_player_window_get_error (f->window));
  g_assert_cmpstr (ct_player_window_get_error (f->window), !=, "");
  g_test_message ("error shown: %s", ct_player_window_get_error (f->window));
  /* nothing to play: the keys do nothing */
  g_assert_false (try_key (f, GDK_KEY_space));
  g_assert_false (try_key (f, GDK_KEY_period));
  ct_ui_screenshot (GTK_WIDGET (f->window), "player-broken");
}

static void
test_audio (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (media_dir, "audio.wav", NULL);
  gint64 media_id;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no audio file");
      return;
    }
  media_id = import (f, "audio.wav", NULL);
  open_window (f, media_id);
  g_assert_cmpstr (ct_player_window_get_page (f->window), ==, "audio");
  g_assert_cmpstr (ct_player_window_get_wall_text (f->window), ==, _("Time unknown"));
  g_assert_false (try_key (f, GDK_KEY_period));
  press (f, GDK_KEY_space);
  g_assert_true (ct_ui_wait_until (is_playing, f));
  press (f, GDK_KEY_space);
  g_assert_true (ct_ui_wait_until (is_paused, f));
}

static gboolean
no_player_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      if (CT_IS_PLAYER_WINDOW (window))
        return FALSE;
    }
  return TRUE;
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CtSession) outsider = NULL;
  gint64 media_id;

  if (!have_h264)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  media_id = import (f, "h264.mp4", RECORDED_AT);
  outsider = ct_test_login (f->store, "h3");   /* a handler, not of this case */
  g_assert_null (open_as (f, outsider, media_id));
  g_assert_error (f->error, CT_ERROR, CT_ERROR_PERMISSION);
  g_assert_cmpstr (f->error->message, !=, "");
  g_test_message ("refused: %s", f->error->message);
  g_assert_true (no_player_window ());
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action='media.play'"), ==, 0);
}

/* The Media page: a row's "Play" opens the window; for an outsider it
 * says why not, in a dialog. */
static gboolean
panel_idle (gpointer data)
{
  CtMediaPanel *panel = data;

  return !ct_media_panel_get_busy (panel) && ct_media_panel_get_listing (panel) != NULL;
}

static gboolean
panel_dialog (gpointer data)
{
  return ct_media_panel_get_dialog (CT_MEDIA_PANEL (data)) != NULL;
}

static void
run_panel (Fixture   *f,
           CtSession *session,
           gint64     media_id,
           GType      expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, f->case_id);
  g_autoptr(CtCase) c = ct_store_get_case (f->store, session, ref, &error);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  CtMediaPanel *panel = CT_MEDIA_PANEL (ct_media_panel_new ());
  GtkWindow *dialog;

  g_assert_no_error (error);
  gtk_window_set_child (window, GTK_WIDGET (panel));
  gtk_window_present (window);
  ct_media_panel_set_case (panel, f->store, session, c);
  g_assert_true (ct_ui_wait_until (panel_idle, panel));
  g_assert_nonnull (ct_media_panel_get_media_row (panel, media_id));

  gtk_widget_activate_action (GTK_WIDGET (panel), "media.play", "x", media_id);
  g_assert_true (ct_ui_wait_until (panel_dialog, panel));
  dialog = ct_media_panel_get_dialog (panel);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (dialog, expected));
  if (CT_IS_PLAYER_WINDOW (dialog))
    {
      f->window = CT_PLAYER_WINDOW (dialog);
      g_assert_true (ct_ui_wait_until (window_settled, f));
      g_assert_cmpstr (ct_player_window_get_page (f->window), ==, "video");
      gtk_window_destroy (dialog);
      f->window = NULL;
    }
  else
    {
      g_assert_true (no_player_window ());
      g_test_message ("refused: %s", adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
      gtk_window_destroy (dialog);
    }
  gtk_window_destroy (window);
}

static void
test_panel (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CtSession) outsider = NULL;
  g_autoptr(CtSession) supervisor = NULL;
  gint64 media_id;

  if (!have_h264)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  media_id = import (f, "h264.mp4", RECORDED_AT);
  run_panel (f, f->session, media_id, CT_TYPE_PLAYER_WINDOW);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action='media.play'"), ==, 1);

  /* h3 may see the case list but not this case's footage */
  outsider = ct_test_login (f->store, "h3");
  supervisor = ct_test_login (f->store, "sup");
  (void) supervisor;
  run_panel (f, outsider, media_id, ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action='media.play'"), ==, 1);
}

/* ---- clips in the case ------------------------------------------------------------ */

typedef struct {
  Fixture    *f;
  GtkWindow **window;
} PlayerWait;

static gboolean
player_at_clip (gpointer data)
{
  PlayerWait *w = data;
  CtPlayerWindow *window;
  CtPlayer *player;

  if (*w->window == NULL || !CT_IS_PLAYER_WINDOW (*w->window))
    return FALSE;
  window = CT_PLAYER_WINDOW (*w->window);
  player = ct_player_window_get_player (window);
  return ct_player_is_ready (player) &&
         ABS ((gint64) ct_player_get_position (player) - (gint64) (2 * GST_SECOND)) <= (gint64) (GST_SECOND / FPS);
}

/* The player Play opened shows the clip's in-point with its marks. */
static void
check_player_at_clip (Fixture   *f,
                      GtkWindow *window)
{
  CtPlayerWindow *player = CT_PLAYER_WINDOW (window);

  f->window = player;
  g_assert_cmpuint (ct_player_window_get_in (player), ==, 2 * GST_SECOND);
  g_assert_cmpuint (ct_player_window_get_out (player), ==, 4 * GST_SECOND);
  g_assert_cmpstr (ct_player_window_get_marks_text (player), ==, "In 00:00:02.000 · Out 00:00:04.000");
  ct_ui_settle (100);
  g_assert_cmpstr (ct_player_window_get_position_text (player), ==, "00:00:02.000");
  g_assert_cmpstr (ct_player_window_get_wall_text (player), ==, "2026-03-01 14:00:02.000 +08:00");
  gtk_window_destroy (window);
  f->window = NULL;
}

static gboolean
editor_has_clip (gpointer data)
{
  return ct_form_editor_get_clip_row (data, "av_recording", 0) != NULL;
}

static void
test_clips (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, f->case_id);
  g_autoptr(CtCase) c = NULL;
  GtkWindow *window;
  CtMediaPanel *panel;
  CtFormEditor *editor;
  CtFormRegistry *forms;
  GtkWidget *row, *play;
  GtkWindow *player = NULL;
  PlayerWait w = { f, &player };
  gint64 media_id;
  const char *subtitle;

  if (!have_h264)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  media_id = import (f, "h264.mp4", RECORDED_AT);
  g_assert_true (ct_store_attach_clip (f->store, f->session, media_id, "questioning_record", "av_recording",
                                       2000, 4000, "询问开始", &error));
  g_assert_no_error (error);
  c = ct_store_get_case (f->store, f->session, ref, &error);
  g_assert_no_error (error);

  /* The Media page lists it under Clips: form, field, medium, times. */
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 800, 700);
  panel = CT_MEDIA_PANEL (ct_media_panel_new ());
  gtk_window_set_child (window, GTK_WIDGET (panel));
  gtk_window_present (window);
  ct_media_panel_set_case (panel, f->store, f->session, c);
  g_assert_true (ct_ui_wait_until (panel_idle, panel));
  row = ct_media_panel_get_clip_row (panel, 0);
  g_assert_nonnull (row);
  g_assert_null (ct_media_panel_get_clip_row (panel, 1));
  g_assert_true (gtk_widget_get_visible (ct_media_find_named (GTK_WIDGET (panel), "clips")));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "Questioning (investigation) record"));
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_test_message ("Media page: %s | %s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), subtitle);
  g_assert_nonnull (strstr (subtitle, "h264.mp4 · 00:00:02.000 – 00:00:04.000"));
  g_assert_nonnull (strstr (subtitle, "2026-03-01 14:00:02.000 – 14:00:04.000 (China time)"));
  g_assert_nonnull (strstr (subtitle, "询问开始"));
  ct_ui_screenshot (GTK_WIDGET (window), "media-clips");

  /* Play opens the player at the in-point with the marks set, audited. */
  play = ct_media_find_named (row, "play-clip");
  g_assert_true (gtk_widget_is_sensitive (play));
  gtk_widget_activate (play);
  g_assert_true (ct_ui_wait_until (panel_dialog, panel));
  player = ct_media_panel_get_dialog (panel);
  g_assert_true (ct_ui_wait_until (player_at_clip, &w));
  check_player_at_clip (f, player);
  player = NULL;
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action='media.play'"), ==, 1);
  gtk_window_destroy (window);

  /* The form editor lists it in its field, and plays it the same way. */
  forms = ct_store_get_forms (f->store, &error);
  g_assert_no_error (error);
  editor = ct_form_editor_new (f->store, f->session, c, ct_form_registry_lookup (forms, "questioning_record"));
  gtk_window_set_default_size (GTK_WINDOW (editor), 700, 900);
  gtk_window_present (GTK_WINDOW (editor));
  g_assert_true (ct_ui_wait_until (editor_has_clip, editor));
  row = ct_form_editor_get_clip_row (editor, "av_recording", 0);
  g_assert_null (ct_form_editor_get_clip_row (editor, "av_recording", 1));
  g_test_message ("form: %s | %s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                  adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "h264.mp4 · 00:00:02.000 – 00:00:04.000");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "2026-03-01 14:00:02.000 – 14:00:04.000 (China time)\n询问开始");
  {
    /* scrolled to the clip field, for the screenshot */
    GtkWidget *sw = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw));
    graphene_point_t at;

    ct_ui_settle (100);
    if (gtk_widget_compute_point (row, sw, &GRAPHENE_POINT_INIT (0, 0), &at))
      gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + at.y - 200);
    ct_ui_settle (200);
  }
  ct_ui_screenshot (GTK_WIDGET (editor), "form-clips");
  gtk_widget_activate (ct_media_find_named (row, "play-clip"));
  player = NULL;
  for (guint i = 0; i < 6000 && (player = ct_form_editor_get_player (editor)) == NULL; i++)
    ct_ui_settle (10);
  g_assert_nonnull (player);
  g_assert_true (ct_ui_wait_until (player_at_clip, &w));
  /* only to watch: attaching there would be lost by this editor's Save */
  g_assert_false (gtk_widget_is_sensitive (ct_media_find_named (GTK_WIDGET (player), "attach-button")));
  check_player_at_clip (f, player);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action='media.play'"), ==, 2);
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* ---- the review queue -------------------------------------------------------------- */

static gboolean
queue_idle (gpointer data)
{
  return !ct_review_queue_get_busy (data);
}

static gboolean
queue_dialog (gpointer data)
{
  return ct_review_queue_get_dialog (data) != NULL;
}

static void
test_review_queue (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) rev = NULL;
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, f->case_id);
  g_autofree char *sql = NULL;
  g_autoptr(CtCase) c = NULL;
  CtReviewQueue *queue;
  GtkWidget *row;
  GtkWindow *dialog;
  const char *subtitle;
  gint64 media_id;

  if (!have_h264)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  media_id = import (f, "h264.mp4", RECORDED_AT);
  c = ct_store_get_case (f->store, f->session, ref, &error);
  g_assert_no_error (error);
  rev = ct_test_login (f->store, "rev");
  sql = g_strdup_printf ("UPDATE cases SET stage = 'legal_review' WHERE id = %" G_GINT64_FORMAT, f->case_id);
  ct_test_raw_exec (f->dir, sql);

  /* A handler has no queue: the window says why. */
  queue = ct_review_queue_new (f->store, f->session);
  gtk_window_present (GTK_WINDOW (queue));
  g_assert_true (ct_ui_wait_until (queue_idle, queue));
  g_assert_cmpstr (ct_review_queue_get_page (queue), ==, "error");
  g_assert_null (ct_review_queue_get_row (queue, 0));
  gtk_window_destroy (GTK_WINDOW (queue));

  /* The legal reviewer's lists the case's recording. */
  queue = ct_review_queue_new (f->store, rev);
  gtk_window_present (GTK_WINDOW (queue));
  g_assert_true (ct_ui_wait_until (queue_idle, queue));
  g_assert_cmpstr (ct_review_queue_get_page (queue), ==, "list");
  row = ct_review_queue_get_row (queue, 0);
  g_assert_nonnull (row);
  g_assert_null (ct_review_queue_get_row (queue, 1));
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_test_message ("queue: %s | %s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), subtitle);
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), c->number));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "涉嫌无照经营（播放器测试）"));
  g_assert_cmpstr (subtitle, ==, "h264.mp4 · 0:08 · recorded 2026-03-01 14:00:00 (China time)");
  ct_ui_settle (100);
  ct_ui_screenshot (GTK_WIDGET (queue), "review-queue");

  /* Activating the row plays the recording, audited as the reviewer's. */
  adw_action_row_activate (ADW_ACTION_ROW (row));
  g_assert_true (ct_ui_wait_until (queue_dialog, queue));
  dialog = ct_review_queue_get_dialog (queue);
  g_assert_true (CT_IS_PLAYER_WINDOW (dialog));
  f->window = CT_PLAYER_WINDOW (dialog);
  g_assert_true (ct_ui_wait_until (window_settled, f));
  g_assert_cmpstr (ct_player_window_get_page (f->window), ==, "video");
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.play' AND actor = 'rev'"), ==, 1);

  /* Annotated, it leaves the queue. */
  g_assert_cmpint (ct_store_annotate (f->store, rev, media_id, 0, -1, CT_REVIEW_COMPLIANT, NULL, &error), >, 0);
  g_assert_no_error (error);
  gtk_window_destroy (dialog);
  f->window = NULL;
  g_assert_true (ct_review_queue_get_busy (queue));   /* reading again since the player closed */
  g_assert_true (ct_ui_wait_until (queue_idle, queue));
  g_assert_cmpstr (ct_review_queue_get_page (queue), ==, "empty");
  g_assert_null (ct_review_queue_get_row (queue, 0));
  gtk_window_destroy (GTK_WINDOW (queue));
}

/* ---- the timeline's pictures ------------------------------------------------------------ */

static gboolean
has_thumbnails (gpointer data)
{
  Fixture *f = data;
  return ct_timeline_get_n_thumbnails (ct_player_window_get_timeline (f->window)) > 0;
}

static void
test_thumbnails (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = NULL;
  g_autoptr(CtMedia) media = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *first = NULL;
  g_autoptr(GDir) listing = NULL;
  CtTimeline *timeline;
  GStatBuf st;
  time_t made;
  double width;
  guint n_files = 0;
  gint64 media_id;

  if (!have_h264)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  media_id = import (f, "h264.mp4", RECORDED_AT);
  ref = g_strdup_printf ("%" G_GINT64_FORMAT, media_id);
  media = ct_store_get_media (f->store, ref, &error);
  g_assert_no_error (error);
  dir = g_build_filename (g_get_user_cache_dir (), "casetrail", "strips", media->sha256, NULL);
  g_assert_true (g_str_has_prefix (dir, cache_dir));
  /* other tests played the same file */
  if (g_file_test (dir, G_FILE_TEST_EXISTS))
    ct_test_remove_dir (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  /* Opened from the store, the video gets its pictures behind the timeline. */
  open_window (f, media_id);
  timeline = ct_player_window_get_timeline (f->window);
  g_assert_cmpuint (ct_timeline_get_n_thumbnails (timeline), ==, 0);
  ct_player_window_set_evidence (f->window, f->store, f->session);
  g_assert_true (ct_ui_wait_until (has_thumbnails, f));
  g_assert_cmpuint (ct_timeline_get_n_thumbnails (timeline), ==, 32);
  ct_ui_settle (200);
  ct_ui_screenshot (GTK_WIDGET (f->window), "timeline-thumbnails");

  /* Cached per object hash in the user's cache folder. */
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while (g_dir_read_name (listing) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 32);
  first = g_build_filename (dir, "32x96-0.png", NULL);
  g_assert_cmpint (g_stat (first, &st), ==, 0);
  made = st.st_mtime;

  /* They follow the zoom: the whole recording at 1×, its start at 8×. */
  width = gtk_widget_get_width (GTK_WIDGET (timeline));
  /* (each tile shows the picture of the time under its middle) */
  g_assert_cmpint (ct_timeline_thumbnail_at (timeline, 0), <=, 1);
  g_assert_cmpint (ct_timeline_thumbnail_at (timeline, width - 1), >=, 29);
  ct_timeline_set_zoom (timeline, 8);
  {
    /* an eighth of the recording: four or five of its 32 pictures */
    int first_shown = ct_timeline_thumbnail_at (timeline, 0);
    int last_shown = ct_timeline_thumbnail_at (timeline, width - 1);
    g_test_message ("zoom 8: pictures %d to %d", first_shown, last_shown);
    g_assert_cmpint (last_shown - first_shown, >=, 2);
    g_assert_cmpint (last_shown - first_shown, <=, 5);
  }
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;

  /* Opened again: read from the cache, not made again. */
  g_usleep (1100 * 1000);
  open_window (f, media_id);
  ct_player_window_set_evidence (f->window, f->store, f->session);
  g_assert_true (ct_ui_wait_until (has_thumbnails, f));
  g_assert_cmpint (g_stat (first, &st), ==, 0);
  g_assert_cmpint (st.st_mtime, ==, made);
}

/* ---- media ----------------------------------------------------------------------- */

static void
make_media (void)
{
  g_autofree char *h264 = g_build_filename (media_dir, "h264.mp4", NULL);
  g_autofree char *wav = g_build_filename (media_dir, "audio.wav", NULL);
  g_autofree char *random_path = g_build_filename (media_dir, "random.mp4", NULL);
  g_autofree char *launcher = g_find_program_in_path ("gst-launch-1.0");
  guint32 noise[16384];

  if (launcher != NULL)
    {
      if (ct_test_have_element ("x264enc") && ct_test_have_element ("h264parse")
          && ct_test_have_element ("mp4mux"))
        have_h264 = ct_test_make_h264 (h264, 320, 240, FPS, N_FRAMES, "ball");
      if (ct_test_have_element ("wavenc"))
        {
          g_autofree char *p =
            g_strdup_printf ("audiotestsrc num-buffers=40 samplesperbuffer=4410 "
                             "! audio/x-raw,rate=44100,channels=1 ! wavenc ! filesink location=%s", wav);
          ct_test_gst_launch (p, wav);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (noise); i++)
    noise[i] = g_random_int ();
  g_assert_true (g_file_set_contents (random_path, (const char *) noise, sizeof noise, NULL));
}

/* The scenario: mark in and out while reviewing, attach the range to
 * the step it proves through the window's own dialog, and the checklist's
 * requirement turns satisfied. */
static void
on_clip_attached (CtPlayerWindow *window,
                  const char     *template_id,
                  const char     *field_id,
                  gpointer        data)
{
  Fixture *f = data;
  f->seek_done += 1000;   /* a distinct count the wait below looks for */
}

static gboolean
attached (gpointer data)
{
  Fixture *f = data;
  return f->seek_done >= 1000;
}

static CtReqState
questioning_av_state (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reqs = ct_store_check_case (f->store, f->case_id, "investigation", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < reqs->len; i++)
    {
      CtRequirement *r = reqs->pdata[i];
      if (g_str_equal (r->rule->id, "001.general.investigation.questioning-av"))
        return r->state;
    }
  g_assert_not_reached ();
}

static void
test_attach_clip (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *dialog = NULL;
  GtkDropDown *targets;
  GListModel *names;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) form = NULL;
  JsonObject *clip;
  gint64 media_id;
  guint wanted = G_MAXUINT;

  if (!have_h264)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  media_id = import (f, "h264.mp4", RECORDED_AT);
  open_window (f, media_id);
  ct_player_window_set_evidence (f->window, f->store, f->session);
  g_signal_connect (f->window, "clip-attached", G_CALLBACK (on_clip_attached), f);
  g_assert_cmpint (questioning_av_state (f), !=, CT_REQ_SATISFIED);
  g_assert_cmpuint (ct_timeline_get_n_clips (ct_player_window_get_timeline (f->window)), ==, 0);

  /* Nothing to attach before both marks are set. */
  g_assert_false (gtk_widget_is_sensitive (ct_media_find_named (GTK_WIDGET (f->window), "attach-button")));
  press_and_wait_seek (f, GDK_KEY_Right);          /* 5 s */
  press_and_wait_seek (f, GDK_KEY_Left);           /* 0 s */
  press (f, GDK_KEY_i);
  press_and_wait_seek (f, GDK_KEY_Right);          /* 5 s */
  press (f, GDK_KEY_o);

  g_assert_true (gtk_widget_is_sensitive (ct_media_find_named (GTK_WIDGET (f->window), "attach-button")));

  /* The dialog lists the clip fields; choose the questioning record's. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "player.attach-clip", NULL));
  for (guint i = 0; i < 200 && dialog == NULL; i++)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();
      for (guint k = 0; k < g_list_model_get_n_items (toplevels) && dialog == NULL; k++)
        {
          g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, k);
          if (g_strcmp0 (gtk_widget_get_name (w), "attach-clip") == 0)
            dialog = w;
        }
      ct_ui_settle (10);
    }
  g_assert_nonnull (dialog);
  targets = GTK_DROP_DOWN (ct_media_find_named (dialog, "attach-target"));
  names = gtk_drop_down_get_model (targets);
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    {
      const char *name = gtk_string_list_get_string (GTK_STRING_LIST (names), i);
      /* titles and labels as the locale shows them (English here, Chinese for users) */
      if ((strstr (name, "询问（调查）笔录") != NULL && strstr (name, "询问音像记录") != NULL) ||
          (strstr (name, "Questioning (investigation) record") != NULL &&
           strstr (name, "recording of the questioning") != NULL))
        wanted = i;
    }
  g_assert_cmpuint (wanted, !=, G_MAXUINT);
  gtk_drop_down_set_selected (targets, wanted);
  gtk_editable_set_text (GTK_EDITABLE (ct_media_find_named (dialog, "attach-label")), "询问开始");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "attach");
  g_assert_true (ct_ui_wait_until (attached, f));

  /* The requirement is met; the clip carries the marked range. */
  g_assert_cmpint (questioning_av_state (f), ==, CT_REQ_SATISFIED);
  form = ct_store_get_form (f->store, f->case_id, "questioning_record", &error);
  g_assert_no_error (error);
  clip = json_object_get_object_member (form, "av_recording");
  g_assert_cmpint (json_object_get_int_member (clip, "start_ms"), ==, 0);
  g_assert_cmpint (ABS (json_object_get_int_member (clip, "end_ms") - 5000), <=, 1000 / FPS + 1);
  g_assert_cmpstr (json_object_get_string_member (clip, "label"), ==, "询问开始");

  /* The clip is drawn on the timeline over its range, named by its form
   * and field (and label) in its tooltip; nothing is drawn after it. */
  {
    CtTimeline *timeline = ct_player_window_get_timeline (f->window);
    const char *text;

    g_assert_cmpuint (ct_timeline_get_n_clips (timeline), ==, 1);
    text = ct_timeline_clip_at (timeline, ct_timeline_x_at (timeline, 2500 * GST_MSECOND));
    g_assert_nonnull (text);
    g_assert_true (strstr (text, "询问开始") != NULL);
    g_assert_true (strstr (text, "询问音像记录") != NULL || strstr (text, "recording of the questioning") != NULL);
    g_assert_null (ct_timeline_clip_at (timeline, ct_timeline_x_at (timeline, 7 * GST_SECOND)));
    ct_ui_screenshot (GTK_WIDGET (f->window), "player-clip-attached");
  }

  /* Read again from the case's forms (as when the window opens), it is still one clip. */
  ct_player_window_set_evidence (f->window, f->store, f->session);
  g_assert_cmpuint (ct_timeline_get_n_clips (ct_player_window_get_timeline (f->window)), ==, 1);
}

/* Export Clip: the in/out range becomes a new medium of the case, copied
 * on a worker thread; the button waits for both marks. */
static void
on_clip_exported (CtPlayerWindow *window,
                  gint64          media_id,
                  gpointer        data)
{
  Fixture *f = data;
  f->seek_done = 1000 + (guint) media_id;
}

static void
test_export_clip (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *ref = NULL;
  g_autoptr(CtMedia) clip = NULL;
  g_autoptr(GError) error = NULL;
  gint64 media_id;

  if (!have_h264)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  media_id = import (f, "h264.mp4", RECORDED_AT);
  open_window (f, media_id);
  ct_player_window_set_evidence (f->window, f->store, f->session);
  g_signal_connect (f->window, "clip-exported", G_CALLBACK (on_clip_exported), f);

  g_assert_false (gtk_widget_is_sensitive (ct_media_find_named (GTK_WIDGET (f->window), "export-clip-button")));
  press_and_wait_seek (f, GDK_KEY_Right);          /* 5 s */
  press_and_wait_seek (f, GDK_KEY_Left);           /* 0 s */
  press (f, GDK_KEY_i);
  press_and_wait_seek (f, GDK_KEY_Right);          /* 5 s */
  press (f, GDK_KEY_o);
  g_assert_true (gtk_widget_is_sensitive (ct_media_find_named (GTK_WIDGET (f->window), "export-clip-button")));

  f->seek_done = 0;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "player.export-clip", NULL));
  g_assert_true (ct_ui_wait_until (attached, f));
  ct_ui_settle (600);
  ct_ui_screenshot (GTK_WIDGET (f->window), "player-export-clip");

  ref = g_strdup_printf ("%u", f->seek_done - 1000);
  clip = ct_store_get_media (f->store, ref, &error);
  g_assert_no_error (error);
  g_assert_cmpint (clip->parent_id, ==, media_id);
  g_assert_cmpint (clip->case_id, ==, f->case_id);
  g_assert_cmpint (clip->clip_start_ms, ==, 0);
  g_assert_cmpint (ABS (clip->clip_end_ms - 5000), <=, 1000 / FPS + 1);
  g_assert_cmpint (clip->clip_actual_start_ms, ==, 0);
  g_assert_cmpstr (clip->derive_method, ==, "stream-copy");

  /* Its details name the recording it was cut from and the range. */
  {
    CtMediaDetails *details = ct_media_details_new (f->store, f->session, clip);
    GtkWidget *row;

    gtk_window_present (GTK_WINDOW (details));
    ct_ui_settle (50);
    row = ct_media_find_named (GTK_WIDGET (details), "clip-of");
    g_assert_nonnull (row);
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "“h264.mp4”"));
    row = ct_media_find_named (GTK_WIDGET (details), "clip-range");
    g_assert_nonnull (row);
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "00:00:00.000–00:00:05"));
    ct_ui_screenshot (GTK_WIDGET (details), "media-details-clip");
    gtk_window_destroy (GTK_WINDOW (details));
  }
}

static GtkWidget *
wait_for_toplevel (const char *name)
{
  for (guint i = 0; i < 2000; i++)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();
      for (guint k = 0; k < g_list_model_get_n_items (toplevels); k++)
        {
          g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, k);
          if (g_strcmp0 (gtk_widget_get_name (w), name) == 0 && gtk_widget_get_visible (w))
            return w;
        }
      ct_ui_settle (10);
    }
  return NULL;
}

/* The dialog offers first the clip fields the checklist asks for now,
 * marked so with the article; once attached, the field is no longer first. */
static void
test_attach_required (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GPtrArray) reqs = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *citation = NULL;
  g_autofree char *expected = NULL;
  const char *field = "Questioning (investigation) record · Audio-visual recording of the questioning";
  GtkWidget *dialog;
  GListModel *names;
  gint64 media_id;

  if (!have_h264)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  media_id = import (f, "h264.mp4", RECORDED_AT);
  sql = g_strdup_printf ("UPDATE cases SET stage = 'investigation' WHERE id = %" G_GINT64_FORMAT, f->case_id);
  ct_test_raw_exec (f->dir, sql);
  /* A questioning record without its recording: 001 第十五条 asks for it. */
  json_object_set_string_member (values, "place", "测试路 1 号");
  g_assert_true (ct_store_save_form (f->store, f->session, f->case_id, "questioning_record", values, &error));
  g_assert_no_error (error);
  g_assert_cmpint (questioning_av_state (f), ==, CT_REQ_MISSING);
  reqs = ct_store_check_case (f->store, f->case_id, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < reqs->len; i++)
    {
      CtRequirement *r = reqs->pdata[i];
      if (g_str_equal (r->rule->id, "001.general.investigation.questioning-av"))
        citation = ct_basis_format (&r->rule->basis);
    }
  g_assert_nonnull (citation);
  expected = g_strdup_printf ("%s — required now: %s", field, citation);

  open_window (f, media_id);
  ct_player_window_set_evidence (f->window, f->store, f->session);
  g_signal_connect (f->window, "clip-attached", G_CALLBACK (on_clip_attached), f);
  ct_player_window_show_clip (f->window, 1000, 3000);
  g_assert_true (gtk_widget_is_sensitive (ct_media_find_named (GTK_WIDGET (f->window), "attach-button")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "player.attach-clip", NULL));
  dialog = wait_for_toplevel ("attach-clip");
  g_assert_nonnull (dialog);
  names = gtk_drop_down_get_model (GTK_DROP_DOWN (ct_media_find_named (dialog, "attach-target")));
  g_test_message ("first: %s", gtk_string_list_get_string (GTK_STRING_LIST (names), 0));
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), ==, expected);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (ct_media_find_named (dialog, "attach-target"))), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (names), >, 1);
  for (guint i = 1; i < g_list_model_get_n_items (names); i++)
    {
      const char *name = gtk_string_list_get_string (GTK_STRING_LIST (names), i);
      g_assert_null (strstr (name, "required now"));
      g_assert_cmpstr (name, !=, field);    /* not offered twice */
    }
  ct_ui_screenshot (dialog, "attach-required");
  /* as its button does: the response, then the dialog closes */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "attach");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (ct_ui_wait_until (attached, f));
  g_assert_cmpint (questioning_av_state (f), ==, CT_REQ_SATISFIED);
  ct_ui_settle (50);

  /* Met now: nothing is marked required any more. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "player.attach-clip", NULL));
  dialog = wait_for_toplevel ("attach-clip");
  g_assert_nonnull (dialog);
  names = gtk_drop_down_get_model (GTK_DROP_DOWN (ct_media_find_named (dialog, "attach-target")));
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    g_assert_null (strstr (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "required now"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
annotated_once (gpointer data)
{
  Fixture *f = data;
  return ct_player_window_get_annotate_count (f->window) >= 1;
}

static gboolean
annotated_twice (gpointer data)
{
  Fixture *f = data;
  return ct_player_window_get_annotate_count (f->window) >= 2;
}

/* The legal reviewer's scenario: annotate a range through the dialog and a
 * point, filter the list, export CSV and JSON. */
static void
test_annotate (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CtSession) rev = ct_test_login (f->store, "rev");
  g_autofree char *csv_path = g_build_filename (f->dir, "annotations.csv", NULL);
  g_autofree char *json_path = g_build_filename (f->dir, "annotations.json", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog = NULL;
  gint64 media_id;

  if (!have_h264)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  media_id = import (f, "h264.mp4", RECORDED_AT);

  /* A handler may watch, not annotate. */
  open_window (f, media_id);
  ct_player_window_set_evidence (f->window, f->store, f->session);
  g_assert_false (gtk_widget_is_sensitive (ct_media_find_named (GTK_WIDGET (f->window), "annotate-button")));
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  ct_ui_settle (50);

  f->window = open_as (f, rev, media_id);
  g_assert_nonnull (f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  g_signal_connect (ct_player_window_get_player (f->window), "seek-done", G_CALLBACK (on_seek_done), f);
  g_assert_true (ct_ui_wait_until (window_settled, f));
  ct_player_window_set_evidence (f->window, f->store, rev);
  g_assert_true (gtk_widget_is_sensitive (ct_media_find_named (GTK_WIDGET (f->window), "annotate-button")));
  g_assert_cmpuint (ct_player_window_get_n_annotations (f->window), ==, 0);

  /* A range, through the dialog. */
  press (f, GDK_KEY_i);
  press_and_wait_seek (f, GDK_KEY_Right);
  press (f, GDK_KEY_o);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "player.annotate", NULL));
  for (guint i = 0; i < 200 && dialog == NULL; i++)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();
      for (guint k = 0; k < g_list_model_get_n_items (toplevels) && dialog == NULL; k++)
        {
          g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, k);
          if (g_strcmp0 (gtk_widget_get_name (w), "annotate") == 0)
            dialog = w;
        }
      ct_ui_settle (10);
    }
  g_assert_nonnull (dialog);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ct_media_find_named (dialog, "annotate-code")), CT_REVIEW_LATE_START);
  gtk_editable_set_text (GTK_EDITABLE (ct_media_find_named (dialog, "annotate-text")), "到场后才开始录像");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  g_assert_true (ct_ui_wait_until (annotated_once, f));
  g_assert_cmpuint (ct_player_window_get_n_annotations (f->window), ==, 1);

  /* "Other" without words is refused by the core (a toast), a point is not. */
  ct_player_window_annotate (f->window, CT_REVIEW_OTHER, "");
  ct_ui_settle (300);
  g_assert_cmpuint (ct_player_window_get_annotate_count (f->window), ==, 1);
  ct_player_window_annotate (f->window, CT_REVIEW_COMPLIANT, NULL);
  g_assert_true (ct_ui_wait_until (annotated_twice, f));
  g_assert_cmpuint (ct_player_window_get_n_annotations (f->window), ==, 2);

  ct_player_window_set_annotation_filter (f->window, CT_REVIEW_LATE_START);
  g_assert_cmpuint (ct_player_window_get_n_annotations (f->window), ==, 1);
  g_assert_true (ct_player_window_export_annotations (f->window, csv_path, TRUE, &error));
  g_assert_no_error (error);
  ct_player_window_set_annotation_filter (f->window, -1);
  g_assert_cmpuint (ct_player_window_get_n_annotations (f->window), ==, 2);
  g_assert_true (ct_player_window_export_annotations (f->window, json_path, FALSE, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_nonnull (strstr (csv, "late-start"));
  g_assert_nonnull (strstr (csv, "到场后才开始录像"));
  g_assert_null (strstr (csv, "compliant"));          /* filtered out */
  g_assert_true (g_file_get_contents (json_path, &json, NULL, NULL));
  g_assert_nonnull (strstr (json, "\"compliant\""));
  g_assert_nonnull (strstr (json, "2026-03-01T14:00:0"));   /* wall-clock times */
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action='media.annotate'"), ==, 2);
}

/* Enter while playing marks a boundary the reaction-time offset earlier;
 * paused, exactly at the frame shown; a third Enter starts a new segment. */
static void
test_segments (Fixture       *f,
               gconstpointer  data)
{
  CtPlayer *player;
  GstClockTime before, after, in;
  gint64 media_id;

  if (!have_h264)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  media_id = import (f, "h264.mp4", RECORDED_AT);
  open_window (f, media_id);
  player = ct_player_window_get_player (f->window);
  ct_player_window_set_reaction_offset (f->window, 400);

  press (f, GDK_KEY_space);
  g_assert_true (ct_ui_wait_until (is_playing, f));
  ct_ui_settle (1200);
  before = ct_player_get_position (player);
  press (f, GDK_KEY_Return);
  after = ct_player_get_position (player);
  in = ct_player_window_get_in (f->window);
  g_test_message ("Enter at %" GST_TIME_FORMAT "–%" GST_TIME_FORMAT ": in %" GST_TIME_FORMAT,
                  GST_TIME_ARGS (before), GST_TIME_ARGS (after), GST_TIME_ARGS (in));
  g_assert_cmpuint (in + 400 * GST_MSECOND, >=, before);
  g_assert_cmpuint (in + 400 * GST_MSECOND, <=, after + GST_SECOND / FPS);
  g_assert_false (GST_CLOCK_TIME_IS_VALID (ct_player_window_get_out (f->window)));

  press (f, GDK_KEY_k);
  g_assert_true (ct_ui_wait_until (is_paused, f));
  ct_ui_settle (100);
  press_and_wait_seek (f, GDK_KEY_Right);
  press (f, GDK_KEY_Return);
  g_assert_cmpuint (ct_player_window_get_out (f->window), ==, ct_player_get_position (player));   /* no offset when paused */

  press_and_wait_seek (f, GDK_KEY_period);
  press (f, GDK_KEY_Return);
  g_assert_cmpuint (ct_player_window_get_in (f->window), ==, ct_player_get_position (player));
  g_assert_false (GST_CLOCK_TIME_IS_VALID (ct_player_window_get_out (f->window)));
}

/* The timeline: spans the recording, zooms around the playhead, a click
 * (its "seek" with the pointer let go) lands exactly, annotations show. */
static void
test_timeline (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CtSession) rev = ct_test_login (f->store, "rev");
  CtTimeline *timeline;
  CtPlayer *player;
  guint64 start, end, duration, target;
  gint64 media_id;
  double width;

  if (!have_h264)
    {
      g_test_skip ("no H.264 encoder (x264enc) or mp4mux");
      return;
    }
  media_id = import (f, "h264.mp4", RECORDED_AT);
  f->window = open_as (f, rev, media_id);
  g_assert_nonnull (f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 640);
  gtk_window_present (GTK_WINDOW (f->window));
  g_signal_connect (ct_player_window_get_player (f->window), "seek-done", G_CALLBACK (on_seek_done), f);
  g_assert_true (ct_ui_wait_until (window_settled, f));
  ct_ui_settle (200);
  player = ct_player_window_get_player (f->window);
  timeline = ct_player_window_get_timeline (f->window);
  duration = ct_player_get_duration (player);

  ct_timeline_get_visible (timeline, &start, &end);
  g_assert_cmpuint (start, ==, 0);
  g_assert_cmpuint (end, ==, duration);
  width = gtk_widget_get_width (GTK_WIDGET (timeline));
  g_assert_cmpfloat (width, >, 100);

  /* A click three quarters along: an exact seek there. */
  target = ct_timeline_time_at (timeline, width * 0.75);
  g_assert_cmpuint (ABS ((gint64) target - (gint64) (duration * 3 / 4)), <=, duration / (guint64) width + 1);
  {
    guint seeks_before = f->seek_done;
    g_signal_emit_by_name (timeline, "seek", target, FALSE);
    g_assert_true (ct_ui_wait_count (&f->seek_done, seeks_before));
  }
  g_assert_cmpint (ABS ((gint64) ct_player_get_position (player) - (gint64) target), <=, GST_SECOND / FPS);

  /* Zoomed 4×: a quarter of the recording around the playhead. */
  ct_timeline_set_zoom (timeline, 4.0);
  ct_ui_settle (100);
  ct_timeline_get_visible (timeline, &start, &end);
  g_assert_cmpuint (end - start, <=, duration / 4 + 1);
  g_assert_cmpuint (start, <=, ct_player_get_position (player));
  g_assert_cmpuint (end, >=, ct_player_get_position (player));

  /* Annotations appear on it. */
  ct_player_window_set_evidence (f->window, f->store, rev);
  g_assert_cmpuint (ct_timeline_get_n_annotations (timeline), ==, 0);
  ct_player_window_annotate (f->window, CT_REVIEW_COMPLIANT, NULL);
  g_assert_true (ct_ui_wait_until (annotated_once, f));
  g_assert_cmpuint (ct_timeline_get_n_annotations (timeline), ==, 1);
}

/* ct_widget_clip_row, shared by the Media page and the form editor: a clip
 * whose medium the store does not hold gets no Play action, and says why. */
static void
test_clip_row (void)
{
  CtClip known = { .media_id = 7, .start_ms = 1250, .end_ms = 2500 };
  CtClip unknown = { .media_id = 0, .start_ms = 0, .end_ms = 500 };
  g_autoptr(GtkWidget) row = g_object_ref_sink (ct_widget_clip_row (&known, "Title", "line 1\nline 2",
                                                                    "media.play-clip"));
  g_autoptr(GtkWidget) orphan = NULL;
  GtkWidget *play = ct_media_find_named (row, "play-clip");
  g_autoptr(GVariant) target = NULL;
  gint64 id, start, end;

  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Title");
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "line 1\nline 2");
  g_assert_cmpint (adw_action_row_get_subtitle_lines (ADW_ACTION_ROW (row)), ==, 0);
  g_assert_nonnull (play);
  /* (its sensitivity follows the action, which only the page or the editor has) */
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (play)), ==, "media.play-clip");
  target = g_variant_ref (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (play)));
  g_assert_true (g_variant_is_of_type (target, G_VARIANT_TYPE ("(xxx)")));
  g_variant_get (target, "(xxx)", &id, &start, &end);
  g_assert_cmpint (id, ==, 7);
  g_assert_cmpint (start, ==, 1250);
  g_assert_cmpint (end, ==, 2500);

  orphan = g_object_ref_sink (ct_widget_clip_row (&unknown, "Orphan", "", "editor.play-clip"));
  play = ct_media_find_named (orphan, "play-clip");
  g_assert_nonnull (play);
  g_assert_false (gtk_widget_get_sensitive (play));
  g_assert_null (gtk_actionable_get_action_name (GTK_ACTIONABLE (play)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (play), ==, _("The evidence store holds no recording with this hash."));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* The timeline's pictures are cached under the user cache folder: a
   * fresh one, set before anything asks GLib for it. */
  cache_dir = g_dir_make_tmp ("casetrail-player-cache-XXXXXX", NULL);
  g_assert_nonnull (cache_dir);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);

  if (!ct_ui_test_init (&argc, &argv, TRUE))
    return 0;
  gst_init (NULL, NULL);

  media_dir = g_dir_make_tmp ("casetrail-player-ui-XXXXXX", NULL);
  g_assert_nonnull (media_dir);
  make_media ();

  g_test_add ("/ui/player/play", Fixture, NULL, fixture_set_up, test_play, fixture_tear_down);
  g_test_add ("/ui/player/broken", Fixture, NULL, fixture_set_up, test_broken, fixture_tear_down);
  g_test_add ("/ui/player/audio", Fixture, NULL, fixture_set_up, test_audio, fixture_tear_down);
  g_test_add ("/ui/player/refused", Fixture, NULL, fixture_set_up, test_refused, fixture_tear_down);
  g_test_add ("/ui/player/panel", Fixture, NULL, fixture_set_up, test_panel, fixture_tear_down);
  g_test_add ("/ui/player/attach-clip", Fixture, NULL, fixture_set_up, test_attach_clip, fixture_tear_down);
  g_test_add ("/ui/player/export-clip", Fixture, NULL, fixture_set_up, test_export_clip, fixture_tear_down);
  g_test_add ("/ui/player/annotate", Fixture, NULL, fixture_set_up, test_annotate, fixture_tear_down);
  g_test_add ("/ui/player/segments", Fixture, NULL, fixture_set_up, test_segments, fixture_tear_down);
  g_test_add ("/ui/player/timeline", Fixture, NULL, fixture_set_up, test_timeline, fixture_tear_down);
  g_test_add ("/ui/player/clips", Fixture, NULL, fixture_set_up, test_clips, fixture_tear_down);
  g_test_add ("/ui/player/attach-required", Fixture, NULL, fixture_set_up, test_attach_required, fixture_tear_down);
  g_test_add ("/ui/player/thumbnails", Fixture, NULL, fixture_set_up, test_thumbnails, fixture_tear_down);
  g_test_add ("/ui/player/review-queue", Fixture, NULL, fixture_set_up, test_review_queue, fixture_tear_down);
  g_test_add_func ("/ui/player/clip-row", test_clip_row);

  status = g_test_run ();
  ct_test_remove_dir (cache_dir);
  g_free (cache_dir);
  ct_test_remove_dir (media_dir);
  g_free (media_dir);
  return status;
}

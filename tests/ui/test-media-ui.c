#define G_LOG_DOMAIN "casetrail"

/* test-media-ui.c — the evidence UI of a case, driven programmatically over
 * a real store (demo users, the real rule packs of data/, the built probe
 * helper): the import window run through its test hooks, the media panel's
 * rows and flags, explaining an interruption and editing a recording's
 * metadata through their windows, and cancelling a large import.
 *
 * With CASETRAIL_SCREENSHOT_DIR set, the windows are also saved as PNG
 * files there (e.g. in Chinese with LC_ALL=zh_CN.UTF-8 and
 * CASETRAIL_LOCALEDIR pointing at the built translations). */

#include "config.h"


#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ct-case-view.h"
#include "ct-error.h"
#include "ct-import-dialog.h"
#include "ct-media-details.h"
#include "ct-media-panel.h"
#include "ct-media.h"
#include "ct-store.h"
#include "ct-verify-window.h"
#include "ct-test-util.h"
#include "ct-ui-test-util.h"


/* ---- fixtures ------------------------------------------------------------------ */

typedef struct {
  char         *dir;
  CtStore      *store;
  GtkWindow    *window;
  CtCaseView   *view;
  CtMediaPanel *panel;
  CtSession    *session;
  gint64        case_id;
} Fixture;

static gboolean
view_idle (gpointer data)
{
  CtCaseView *view = data;

  return !ct_case_view_get_busy (view) &&
         (ct_case_view_get_procedure (view) != NULL || ct_case_view_get_procedure_error (view) != NULL);
}


static gboolean
panel_idle (gpointer data)
{
  Fixture *fixture = data;

  return view_idle (fixture->view) && !ct_media_panel_get_busy (fixture->panel) &&
         ct_media_panel_get_listing (fixture->panel) != NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  const char *handlers[] = { "zhangwei", "lina", NULL };
  CtCaseSpec spec = {
    .procedure = "general",
    .cause = "涉嫌无照经营（界面测试）",
    .source = "inspection",
    .place = "示例市北城区测试路 9 号",
    .party_kind = "person",
    .party_name = "测试个体户",
    .party_id_number = "110101199001011111",
    .party_address = "示例市北城区测试路 9 号",
    .party_contact = "13900000001",
    .handlers = handlers,
  };

  fixture->dir = g_dir_make_tmp ("casetrail-media-ui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = ct_test_demo_store_new (fixture->dir);

  fixture->session = ct_store_login (fixture->store, "zhangwei", CT_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);
  fixture->case_id = ct_store_create_case (fixture->store, fixture->session, &spec, &error);
  g_assert_no_error (error);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (fixture->window, 980, 860);
  fixture->view = CT_CASE_VIEW (ct_case_view_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  gtk_window_present (fixture->window);

  fixture->panel = CT_MEDIA_PANEL (gtk_widget_get_template_child (GTK_WIDGET (fixture->view),
                                                                  CT_TYPE_CASE_VIEW, "media_panel"));
  g_assert_nonnull (fixture->panel);

  ct_case_view_set_session (fixture->view, fixture->store, fixture->session);
  ct_case_view_load (fixture->view, fixture->case_id);
  g_assert_true (ct_ui_wait_until (panel_idle, fixture));
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->view),
                                                                                       CT_TYPE_CASE_VIEW,
                                                                                       "view_stack")),
                                         "media");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GtkWindow *dialog = ct_media_panel_get_dialog (fixture->panel);

  if (dialog != NULL)
    gtk_window_destroy (dialog);
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->window);
  g_clear_pointer (&fixture->session, ct_session_unref);
  g_clear_object (&fixture->store);
  ct_test_remove_dir (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

#define child(widget, type, name) gtk_widget_get_template_child (GTK_WIDGET (widget), type, name)

/* A WAV file of @seconds of 8 kHz 16-bit mono PCM whose samples depend on
 * @seed, so that every file has content of its own. */
static char *
write_wav (Fixture    *fixture,
           const char *name,
           guint       seconds,
           guint       seed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  guint32 data_len = 8000 * 2 * seconds;
  guint8 header[44] = { 'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' ',
                        16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0,
                        'd', 'a', 't', 'a', 0, 0, 0, 0 };
  g_autofree guint8 *bytes = g_malloc (sizeof header + data_len);

  header[4] = (36 + data_len) & 0xff;
  header[5] = ((36 + data_len) >> 8) & 0xff;
  header[6] = ((36 + data_len) >> 16) & 0xff;
  header[40] = data_len & 0xff;
  header[41] = (data_len >> 8) & 0xff;
  header[42] = (data_len >> 16) & 0xff;
  memcpy (bytes, header, sizeof header);
  for (guint32 i = 0; i < data_len; i++)
    bytes[sizeof header + i] = (guint8) ((i * (seed + 3) + seed * 7919) >> 3);
  g_assert_true (g_file_set_contents (path, (const char *) bytes, sizeof header + data_len, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static char *
iso_at (GDateTime *dt)
{
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S%:z");
}

/* ---- driving the import window ------------------------------------------------------- */

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_finished (CtImportDialog *dialog,
             gboolean       *finished)
{
  *finished = TRUE;
}

static CtImportDialog *
open_import (Fixture *fixture)
{
  GtkWindow *dialog;

  g_assert_true (ct_media_panel_can_import (fixture->panel));
  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "media.import", NULL);
  dialog = ct_media_panel_get_dialog (fixture->panel);
  g_assert_true (CT_IS_IMPORT_DIALOG (dialog));
  return CT_IMPORT_DIALOG (dialog);
}

static void
set_row_text (gpointer    widget,
              GType       type,
              const char *name,
              const char *text)
{
  GtkWidget *row = GTK_WIDGET (child (widget, type, name));

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* Imports @paths through the window (device DSJ-T1, recorded at @recorded
 * or from the file), waits for the run and for the panel to show it. */
static CtImportDialog *
import_files (Fixture            *fixture,
              const char * const *paths,
              const char         *recorded,
              gboolean            keep_open)
{
  CtImportDialog *dialog = open_import (fixture);
  gboolean finished = FALSE;

  set_row_text (dialog, CT_TYPE_IMPORT_DIALOG, "device_row", "DSJ-T1");
  if (recorded != NULL)
    set_row_text (dialog, CT_TYPE_IMPORT_DIALOG, "recorded_row", recorded);
  ct_import_dialog_set_paths (dialog, paths);
  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &finished);
  ct_import_dialog_start (dialog);
  g_assert_null (ct_import_dialog_get_error (dialog));
  g_assert_true (ct_import_dialog_get_running (dialog));
  g_assert_true (ct_ui_wait_until (flag_set, &finished));
  g_assert_false (ct_import_dialog_get_running (dialog));
  g_assert_null (ct_import_dialog_get_error (dialog));
  ct_ui_settle (50);
  g_assert_true (ct_ui_wait_until (panel_idle, fixture));
  if (!keep_open)
    {
      gtk_window_destroy (GTK_WINDOW (dialog));
      return NULL;
    }
  return dialog;
}

static GPtrArray *
core_media (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *media = ct_store_list_media (fixture->store, fixture->case_id, &error);

  g_assert_no_error (error);
  return media;
}

static const CtMedia *
media_named (GPtrArray  *media,
             const char *name)
{
  for (guint i = 0; i < media->len; i++)
    if (g_strcmp0 (((CtMedia *) media->pdata[i])->original_name, name) == 0)
      return media->pdata[i];
  g_error ("no medium named %s", name);
  return NULL;
}

/* ---- (a) import and list --------------------------------------------------------------- */

static void
test_import (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *a = write_wav (fixture, "S1.wav", 2, 1);
  g_autofree char *b = write_wav (fixture, "S2.wav", 2, 2);
  g_autofree char *notes = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autofree char *folder = g_build_filename (fixture->dir, "card", NULL);
  g_autofree char *c = NULL;
  g_autoptr(GPtrArray) media = NULL;
  GtkStack *stack = GTK_STACK (child (fixture->panel, CT_TYPE_MEDIA_PANEL, "stack"));
  CtImportDialog *dialog;

  /* Nothing yet: the empty state says what to do, with the Import button. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (child (fixture->panel, CT_TYPE_MEDIA_PANEL,
                                                               "empty_import_button"))));
  ct_ui_screenshot (GTK_WIDGET (fixture->window), "media-empty");

  /* A folder with a recording and a file that is not one. */
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  {
    g_autofree char *tmp = write_wav (fixture, "S3.wav", 1, 3);
    c = g_build_filename (folder, "S3.wav", NULL);
    g_assert_cmpint (g_rename (tmp, c), ==, 0);
  }
  {
    g_autofree char *readme = g_build_filename (folder, "readme.txt", NULL);
    g_assert_true (g_file_set_contents (readme, "x", -1, NULL));
  }
  g_assert_true (g_file_set_contents (notes, "not a recording", -1, NULL));

  {
    const char *paths[] = { a, b, folder, NULL };
    dialog = import_files (fixture, paths, NULL, TRUE);
  }
  g_assert_cmpuint (ct_import_dialog_get_n_imported (dialog), ==, 3);
  g_assert_cmpuint (ct_import_dialog_get_n_failed (dialog), ==, 0);
  g_assert_cmpuint (ct_import_dialog_get_n_skipped (dialog), ==, 1);
  g_assert_false (ct_import_dialog_get_cancelled (dialog));
  ct_ui_screenshot (GTK_WIDGET (dialog), "media-import-done");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The core has the records; the panel lists each of them. */
  media = core_media (fixture);
  g_assert_cmpuint (media->len, ==, 3);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
  for (guint i = 0; i < media->len; i++)
    {
      const CtMedia *m = media->pdata[i];
      GtkWidget *row = ct_media_panel_get_media_row (fixture->panel, m->id);

      g_assert_nonnull (row);
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, m->original_name);
      g_assert_cmpstr (m->device, ==, "DSJ-T1");
      g_assert_true (g_strv_contains ((const char * const *) m->officers, "zhangwei"));
      /* No time in a plain WAV: the flag says so. */
      if (m->recorded_at == NULL)
        g_assert_nonnull (ct_media_find_named (row, "time-unknown"));
    }

  /* The same file again: already present, nothing stored twice. */
  {
    const char *paths[] = { a, NULL };
    dialog = import_files (fixture, paths, NULL, TRUE);
  }
  g_assert_cmpuint (ct_import_dialog_get_n_imported (dialog), ==, 0);
  g_assert_cmpuint (ct_import_dialog_get_n_present (dialog), ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_clear_pointer (&media, g_ptr_array_unref);
  media = core_media (fixture);
  g_assert_cmpuint (media->len, ==, 3);

  /* A malformed recording time is refused in place, nothing runs. */
  dialog = open_import (fixture);
  {
    const char *paths[] = { b, NULL };
    ct_import_dialog_set_paths (dialog, paths);
  }
  set_row_text (dialog, CT_TYPE_IMPORT_DIALOG, "recorded_row", "yesterday at noon");
  ct_import_dialog_start (dialog);
  g_assert_false (ct_import_dialog_get_running (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (child (dialog, CT_TYPE_IMPORT_DIALOG, "error_label"))));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Someone who is not an officer of the case has no Import button. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CtSession) reviewer = ct_store_login (fixture->store, "zhaomin", CT_DEMO_PASSPHRASE, &error);

    g_assert_no_error (error);
    ct_case_view_set_session (fixture->view, fixture->store, reviewer);
    ct_case_view_load (fixture->view, fixture->case_id);
    g_assert_true (ct_ui_wait_until (panel_idle, fixture));
    g_assert_false (ct_media_panel_can_import (fixture->panel));
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (child (fixture->panel, CT_TYPE_MEDIA_PANEL,
                                                                  "import_button"))));
    ct_case_view_set_session (fixture->view, fixture->store, fixture->session);
  }
}

/* ---- (b) stored late --------------------------------------------------------------------- */

static void
test_late (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autofree char *a = write_wav (fixture, "late.wav", 2, 11);
  g_autofree char *b = write_wav (fixture, "fresh.wav", 2, 12);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -2);
  g_autoptr(GTimeZone) china = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) china_then = g_date_time_to_timezone (then, china);
  g_autofree char *recorded = iso_at (china_then);
  g_autoptr(GPtrArray) media = NULL;
  const CtMedia *late, *fresh;
  GtkWidget *row, *pill;

  {
    const char *paths[] = { a, NULL };
    import_files (fixture, paths, recorded, FALSE);
  }
  {
    g_autoptr(GDateTime) recent = g_date_time_add_minutes (now, -5);
    g_autofree char *at = iso_at (recent);
    const char *paths[] = { b, NULL };
    import_files (fixture, paths, at, FALSE);
  }

  media = core_media (fixture);
  late = media_named (media, "late.wav");
  fresh = media_named (media, "fresh.wav");
  g_assert_true (late->late);
  g_assert_false (fresh->late);
  g_assert_cmpstr (late->recorded_at_source, ==, "person");

  row = ct_media_panel_get_media_row (fixture->panel, late->id);
  pill = ct_media_find_named (row, "late");
  g_assert_nonnull (pill);
  g_assert_nonnull (gtk_widget_get_tooltip_text (pill));
  g_assert_null (ct_media_find_named (ct_media_panel_get_media_row (fixture->panel, fresh->id), "late"));
  ct_ui_screenshot (GTK_WIDGET (fixture->window), "media-late");
}

/* ---- (c) an interruption, explained through its window -------------------------------------- */

static gboolean
dialog_closed (gpointer data)
{
  Fixture *fixture = data;

  return ct_media_panel_get_dialog (fixture->panel) == NULL && panel_idle (fixture);
}

static gboolean
explain_idle (gpointer data)
{
  return !ct_explain_dialog_get_busy (data);
}

static void
test_interruption (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *a = write_wav (fixture, "S2.wav", 3, 21);
  g_autofree char *b = write_wav (fixture, "S3.wav", 3, 22);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) t0 = g_date_time_add_minutes (now, -30);
  g_autoptr(GDateTime) t1 = g_date_time_add_seconds (t0, 123);
  g_autofree char *at0 = iso_at (t0);
  g_autofree char *at1 = iso_at (t1);
  g_autoptr(GPtrArray) media = NULL;
  g_autoptr(GPtrArray) gaps = NULL;
  g_autoptr(GError) error = NULL;
  const CtMedia *first, *second;
  const CtInterruption *gap;
  GtkWidget *row, *button;
  CtExplainDialog *dialog;
  GtkWidget *reason, *text, *save, *error_label;

  {
    const char *paths[] = { a, NULL };
    import_files (fixture, paths, at0, FALSE);
  }
  {
    const char *paths[] = { b, NULL };
    import_files (fixture, paths, at1, FALSE);
  }

  media = core_media (fixture);
  first = media_named (media, "S2.wav");
  second = media_named (media, "S3.wav");
  g_assert_cmpint (first->duration_ms, ==, 3000);

  gaps = ct_store_list_interruptions (fixture->store, fixture->case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gaps->len, ==, 1);
  gap = gaps->pdata[0];
  g_assert_cmpint (gap->before_id, ==, first->id);
  g_assert_cmpint (gap->after_id, ==, second->id);
  g_assert_false (gap->explained);

  /* The panel shows it, not explained, with its Explain… button. */
  row = ct_media_panel_get_interruption_row (fixture->panel, first->id);
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "S2.wav"));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "S3.wav"));
  g_assert_cmpint (gap->gap_seconds, ==, 120);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ct_media_find_named (row, "state"))), ==, _("Not explained"));
  ct_ui_screenshot (GTK_WIDGET (fixture->window), "media-interruption");

  button = ct_media_find_named (row, "explain");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  dialog = CT_EXPLAIN_DIALOG (ct_media_panel_get_dialog (fixture->panel));
  g_assert_nonnull (dialog);
  reason = ct_media_find_named (GTK_WIDGET (dialog), "reason");
  text = ct_media_find_named (GTK_WIDGET (dialog), "explanation");
  save = ct_media_find_named (GTK_WIDGET (dialog), "save");
  error_label = ct_media_find_named (GTK_WIDGET (dialog), "error");
  g_assert_nonnull (reason);
  g_assert_nonnull (text);
  g_assert_nonnull (save);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (reason))), ==, 6);

  /* "Other" without a word: the core's refusal is shown in the window. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (reason), CT_INTERRUPTION_OTHER);
  g_signal_emit_by_name (save, "clicked");
  g_assert_true (ct_ui_wait_until (explain_idle, dialog));
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), !=, "");
  g_assert_true (ct_media_panel_get_dialog (fixture->panel) == GTK_WINDOW (dialog));

  /* The battery ran out: saved, the window closes, the panel follows. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (reason), CT_INTERRUPTION_BATTERY);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text)), "电池耗尽，更换电池后继续录制。", -1);
  g_signal_emit_by_name (save, "clicked");
  g_assert_true (ct_ui_wait_until (dialog_closed, fixture));

  g_clear_pointer (&gaps, g_ptr_array_unref);
  gaps = ct_store_list_interruptions (fixture->store, fixture->case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gaps->len, ==, 1);
  gap = gaps->pdata[0];
  g_assert_true (gap->explained);
  g_assert_true (gap->has_reason);
  g_assert_cmpint (gap->reason, ==, CT_INTERRUPTION_BATTERY);
  g_assert_cmpstr (gap->explanation, ==, "电池耗尽，更换电池后继续录制。");
  row = ct_media_panel_get_interruption_row (fixture->panel, first->id);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ct_media_find_named (row, "state"))), ==, _("Explained"));

  /* The last clip: recording did not resume, from the row's menu. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "media.not-resumed", "x", second->id);
  dialog = CT_EXPLAIN_DIALOG (ct_media_panel_get_dialog (fixture->panel));
  g_assert_nonnull (dialog);
  reason = ct_media_find_named (GTK_WIDGET (dialog), "reason");
  text = ct_media_find_named (GTK_WIDGET (dialog), "explanation");
  save = ct_media_find_named (GTK_WIDGET (dialog), "save");
  error_label = ct_media_find_named (GTK_WIDGET (dialog), "error");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (reason), CT_INTERRUPTION_STORAGE);
  g_signal_emit_by_name (save, "clicked");
  g_assert_true (ct_ui_wait_until (explain_idle, dialog));
  g_assert_true (gtk_widget_get_visible (error_label));   /* a written explanation is required */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text)), "存储卡已满，现场无备用卡。", -1);
  g_signal_emit_by_name (save, "clicked");
  g_assert_true (ct_ui_wait_until (dialog_closed, fixture));
  g_clear_pointer (&gaps, g_ptr_array_unref);
  gaps = ct_store_list_interruptions (fixture->store, fixture->case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gaps->len, ==, 2);
  g_assert_nonnull (ct_media_panel_get_interruption_row (fixture->panel, second->id));
  ct_ui_screenshot (GTK_WIDGET (fixture->window), "media-interruption-explained");
}

/* ---- (d) metadata through the details window ------------------------------------------------ */

static gboolean
details_closed (gpointer data)
{
  return dialog_closed (data);
}

static void
test_details (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *a = write_wav (fixture, "edit.wav", 2, 31);
  g_autoptr(GPtrArray) media = NULL;
  g_autoptr(CtMedia) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = NULL;
  const CtMedia *m;
  GtkWidget *row, *window, *place, *recorded, *save, *error_label;

  {
    const char *paths[] = { a, NULL };
    import_files (fixture, paths, "2024-05-01T09:30:00+08:00", FALSE);
  }
  media = core_media (fixture);
  m = media_named (media, "edit.wav");
  row = ct_media_panel_get_media_row (fixture->panel, m->id);
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "2024-05-01 09:30:00"));

  /* Activating the row opens its details. */
  gtk_widget_activate (row);
  window = GTK_WIDGET (ct_media_panel_get_dialog (fixture->panel));
  g_assert_true (CT_IS_MEDIA_DETAILS (window));
  place = ct_media_find_named (window, "place");
  recorded = ct_media_find_named (window, "recorded_at");
  save = ct_media_find_named (window, "save");
  error_label = ct_media_find_named (window, "error");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (recorded)), ==, "2024-05-01T09:30:00+08:00");
  ct_ui_screenshot (window, "media-details");

  /* A time that does not parse is refused before anything is sent. */
  gtk_editable_set_text (GTK_EDITABLE (recorded), "2024-05-01 9点半");
  g_signal_emit_by_name (save, "clicked");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_false (ct_media_details_get_busy (CT_MEDIA_DETAILS (window)));
  gtk_editable_set_text (GTK_EDITABLE (recorded), "2024-05-01T09:30:00+08:00");

  gtk_editable_set_text (GTK_EDITABLE (place), "示例市北城区测试路 9 号门前");
  g_signal_emit_by_name (save, "clicked");
  g_assert_true (ct_ui_wait_until (details_closed, fixture));

  ref = g_strdup_printf ("%" G_GINT64_FORMAT, m->id);
  after = ct_store_get_media (fixture->store, ref, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after->place, ==, "示例市北城区测试路 9 号门前");
  /* Only what changed was sent: the time is still the stated one. */
  g_assert_cmpstr (after->recorded_at_source, ==, "person");
  {
    g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 ("2024-05-01T09:30:00+08:00", NULL);
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
    g_autoptr(GDateTime) got = g_date_time_new_from_iso8601 (after->recorded_at, utc);
    g_assert_nonnull (got);
    g_assert_true (g_date_time_equal (expected, got));
  }
}

/* ---- (e) cancelling a large import ---------------------------------------------------------- */

static gboolean
file_progressing (gpointer data)
{
  CtImportDialog *dialog = data;
  GtkProgressBar *bar = GTK_PROGRESS_BAR (child (dialog, CT_TYPE_IMPORT_DIALOG, "file_progress"));

  return gtk_progress_bar_get_fraction (bar) > 0 || !ct_import_dialog_get_running (dialog);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *big = g_build_filename (fixture->dir, "big.wav", NULL);
  g_autoptr(GPtrArray) media = NULL;
  const char *paths[] = { big, NULL };
  gboolean finished = FALSE;
  CtImportDialog *dialog;
  GtkLabel *label;
  const guint64 size = 200 * 1024 * 1024;

  /* ~200 MB: a WAV header and a sparse body. */
  {
    g_autofree char *head = write_wav (fixture, "head.wav", 1, 41);
    g_autoptr(GFile) src = g_file_new_for_path (head);
    g_autoptr(GFile) dst = g_file_new_for_path (big);
    g_autoptr(GError) error = NULL;
    FILE *f;

    g_assert_true (g_file_move (src, dst, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    f = fopen (big, "r+b");
    g_assert_nonnull (f);
    g_assert_cmpint (fseeko (f, size - 1, SEEK_SET), ==, 0);
    g_assert_cmpint (fputc (0x5a, f), ==, 0x5a);
    fclose (f);
  }

  dialog = open_import (fixture);
  ct_import_dialog_set_paths (dialog, paths);
  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &finished);
  ct_import_dialog_start (dialog);
  g_assert_true (ct_import_dialog_get_running (dialog));
  /* Right after it started copying. */
  g_assert_true (ct_ui_wait_until (file_progressing, dialog));
  g_signal_emit_by_name (child (dialog, CT_TYPE_IMPORT_DIALOG, "cancel_button"), "clicked");
  g_assert_true (ct_ui_wait_until (flag_set, &finished));

  g_assert_true (ct_import_dialog_get_cancelled (dialog));
  g_assert_cmpuint (ct_import_dialog_get_n_imported (dialog), ==, 0);
  label = GTK_LABEL (child (dialog, CT_TYPE_IMPORT_DIALOG, "file_label"));
  g_assert_cmpstr (gtk_label_get_label (label), ==, _("Import cancelled"));
  ct_ui_screenshot (GTK_WIDGET (dialog), "media-import-cancelled");

  media = core_media (fixture);
  g_assert_cmpuint (media->len, ==, 0);

  /* Closing it now just closes it. */
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (ct_ui_wait_until (dialog_closed, fixture));

  /* Closing it while it runs cancels the import; the window goes when the
   * run is over. */
  dialog = open_import (fixture);
  ct_import_dialog_set_paths (dialog, paths);
  ct_import_dialog_start (dialog);
  g_assert_true (ct_ui_wait_until (file_progressing, dialog));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (ct_ui_wait_until (dialog_closed, fixture));
  g_clear_pointer (&media, g_ptr_array_unref);
  media = core_media (fixture);
  g_assert_cmpuint (media->len, ==, 0);
}

/* ---- verifying the store in the background ------------------------------------------------------ */

static gboolean
verify_done (gpointer data)
{
  return !ct_verify_window_get_running (data);
}

static void
test_verify (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *a = write_wav (fixture, "V1.wav", 2, 61);
  g_autofree char *b = write_wav (fixture, "V2.wav", 2, 62);
  const char *paths[] = { a, b, NULL };
  g_autoptr(GPtrArray) media = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *object = NULL;
  CtObjectStore *objects;
  CtVerifyWindow *window;

  import_files (fixture, paths, NULL, FALSE);
  media = core_media (fixture);
  g_assert_cmpuint (media->len, ==, 2);

  /* All intact. */
  window = ct_verify_window_new (fixture->store, fixture->session);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ct_verify_window_get_running (window));
  g_assert_true (ct_ui_wait_until (verify_done, window));
  g_assert_cmpuint (ct_verify_window_get_n_problems (window), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));

  /* One stored copy changed behind the store's back: listed as a problem. */
  objects = ct_store_get_objects (fixture->store, &error);
  g_assert_no_error (error);
  object = ct_object_store_path (objects, media_named (media, "V1.wav")->sha256);
  g_assert_nonnull (object);
  g_assert_cmpint (g_chmod (object, 0600), ==, 0);
  g_assert_true (g_file_set_contents (object, "tampered", -1, &error));
  g_assert_no_error (error);

  window = ct_verify_window_new (fixture->store, fixture->session);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ct_ui_wait_until (verify_done, window));
  g_assert_cmpuint (ct_verify_window_get_n_problems (window), ==, 1);
  ct_ui_screenshot (GTK_WIDGET (window), "media-verify-problems");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- screenshot of a panel with a few recordings ------------------------------------------------ */

static void
test_overview (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *a = write_wav (fixture, "S1.wav", 3, 51);
  g_autofree char *b = write_wav (fixture, "S2.wav", 3, 52);
  g_autofree char *c = write_wav (fixture, "S3.wav", 4, 53);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) t0 = g_date_time_add_days (now, -3);
  g_autoptr(GDateTime) t1 = g_date_time_add_seconds (t0, 3);
  g_autoptr(GDateTime) t2 = g_date_time_add_seconds (t0, 3 + 3 + 300);
  g_autofree char *at0 = iso_at (t0);
  g_autofree char *at1 = iso_at (t1);
  g_autofree char *at2 = iso_at (t2);

  if (g_getenv ("CASETRAIL_SCREENSHOT_DIR") == NULL)
    {
      g_test_skip ("screenshots only");
      return;
    }
  {
    const char *paths[] = { a, NULL };
    import_files (fixture, paths, at0, FALSE);
  }
  {
    const char *paths[] = { b, NULL };
    import_files (fixture, paths, at1, FALSE);
  }
  {
    const char *paths[] = { c, NULL };
    import_files (fixture, paths, at2, FALSE);
  }
  /* A video (when ffmpeg is installed) for a thumbnail, and a file that
   * cannot be read. */
  {
    g_autofree char *ffmpeg = g_find_program_in_path ("ffmpeg");
    g_autofree char *video = g_build_filename (fixture->dir, "DSJ-T1_0001.mp4", NULL);
    g_autofree char *bad = g_build_filename (fixture->dir, "broken.mp4", NULL);
    g_autofree char *created = g_strdup_printf ("creation_time=%s", at2);
    g_autofree char *random = g_malloc (65536);
    GPtrArray *paths = g_ptr_array_new ();

    for (guint i = 0; i < 65536; i++)
      random[i] = (char) g_random_int ();
    g_assert_true (g_file_set_contents (bad, random, 65536, NULL));
    g_ptr_array_add (paths, bad);
    if (ffmpeg != NULL)
      {
        const char *argv[] = { ffmpeg, "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                               "testsrc=duration=3:size=320x240:rate=15", "-c:v", "mpeg4",
                               "-metadata", created, video, NULL };
        int status = 0;

        if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, NULL) &&
            g_spawn_check_wait_status (status, NULL))
          g_ptr_array_add (paths, video);
      }
    g_ptr_array_add (paths, NULL);
    import_files (fixture, (const char * const *) paths->pdata, NULL, FALSE);
    g_ptr_array_unref (paths);
  }
  ct_ui_settle (1500);
  ct_ui_screenshot (GTK_WIDGET (fixture->window), "media-panel");
}

int
main (int   argc,
      char *argv[])
{
  if (!ct_ui_test_init (&argc, &argv, TRUE))
    return 0;

  g_test_add ("/ui/media/import", Fixture, NULL, fixture_set_up, test_import, fixture_tear_down);
  g_test_add ("/ui/media/late", Fixture, NULL, fixture_set_up, test_late, fixture_tear_down);
  g_test_add ("/ui/media/interruption", Fixture, NULL, fixture_set_up, test_interruption, fixture_tear_down);
  g_test_add ("/ui/media/details", Fixture, NULL, fixture_set_up, test_details, fixture_tear_down);
  g_test_add ("/ui/media/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/ui/media/verify", Fixture, NULL, fixture_set_up, test_verify, fixture_tear_down);
  g_test_add ("/ui/media/overview", Fixture, NULL, fixture_set_up, test_overview, fixture_tear_down);

  return g_test_run ();
}

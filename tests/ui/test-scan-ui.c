#define G_LOG_DOMAIN "casetrail"

/* test-scan-ui.c — scanned paper documents in the UI: the viewer shows the
 * N pages of an imported PDF (the case's own form, rendered and imported
 * as if printed, signed and scanned) with page navigation and zoom, opens
 * only through the core (audited "media.open"), refuses an unreadable scan
 * with the probe's reason; the Media page lists the document with its
 * first-page thumbnail and a View button, and Attach to Step… from its menu
 * fills the 送达回证's scan field; the form editor lists the scan with a
 * View button; a photo of a page becomes a scanned document on its
 * details. */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ct-case-view.h"
#include "ct-document.h"
#include "ct-form-editor.h"
#include "ct-import-dialog.h"
#include "ct-media.h"
#include "ct-media-details.h"
#include "ct-media-panel.h"
#include "ct-review.h"
#include "ct-scan-viewer.h"
#include "ct-store.h"
#include "ct-test-util.h"
#include "ct-ui-test-util.h"

static guint
count_opens (CtStore *store,
             gint64   case_id)
{
  g_autoptr(GPtrArray) rows = ct_store_list_audit (store, case_id, 0, NULL);
  guint n = 0;

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    if (g_strcmp0 (((CtAuditEntry *) rows->pdata[i])->action, "media.open") == 0)
      n++;
  return n;
}

static gboolean
panel_idle (gpointer data)
{
  return !ct_media_panel_get_busy (data) && ct_media_panel_get_listing (data) != NULL;
}

static gboolean
has_thumbnail (gpointer data)
{
  return ct_media_find_named (data, "thumbnail") != NULL;
}

static gboolean
editor_ready (gpointer data)
{
  return ct_form_editor_get_ready (data);
}

static void
set_flag (gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

typedef struct {
  CtStore *store;
  gint64   id;
} DocWait;

static gboolean
is_document (gpointer data)
{
  DocWait *w = data;
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, w->id);
  g_autoptr(CtMedia) m = ct_store_get_media (w->store, ref, NULL);

  return m != NULL && m->kind == CT_MEDIA_KIND_DOCUMENT;
}

static CtMedia *
import (CtStore    *store,
        CtSession  *session,
        const char *path)
{
  g_autoptr(GError) error = NULL;
  CtMediaSpec spec = { .case_ref = "3" };
  g_autoptr(CtMediaImport) imp = ct_store_import_media (store, session, path, &spec, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return g_steal_pointer (&imp->media);
}

static void
test_scan (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("casetrail-scan-ui-XXXXXX", &error);
  g_autofree char *signed_pdf = NULL;
  g_autofree char *broken_pdf = NULL;
  g_autoptr(CtStore) store = NULL;
  g_autoptr(CtSession) handler = NULL;
  g_autoptr(CtDocument) doc = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(CtMedia) scan = NULL;
  g_autoptr(CtMedia) broken = NULL;
  CtScanViewer *viewer;
  guint pages = 0, opens;

  g_assert_no_error (error);
  store = ct_test_demo_store_new (dir);
  handler = ct_store_login (store, "zhangwei", CT_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);

  /* The case's own form, printed: long enough for three pages. */
  ct_ui_test_save_long_filing (store, handler);
  doc = ct_store_get_document (store, handler, 3, "filing_approval", &error);
  g_assert_no_error (error);
  pdf = ct_document_render_pdf (doc, &pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages, >=, 3);
  signed_pdf = g_build_filename (dir, "送达回证-签收.pdf", NULL);
  g_assert_true (g_file_set_contents (signed_pdf, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL));
  broken_pdf = g_build_filename (dir, "broken.pdf", NULL);
  g_assert_true (g_file_set_contents (broken_pdf, "%PDF-1.4\nnothing here\n", -1, NULL));
  scan = import (store, handler, signed_pdf);
  broken = import (store, handler, broken_pdf);
  g_assert_cmpint (scan->kind, ==, CT_MEDIA_KIND_DOCUMENT);
  g_assert_cmpuint (scan->pages, ==, pages);

  /* The viewer: N pages, navigation, zoom; opened through the core. */
  opens = count_opens (store, 3);
  viewer = ct_scan_viewer_new (store, handler, scan->id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (viewer);
  g_assert_cmpuint (count_opens (store, 3), ==, opens + 1);
  gtk_window_present (GTK_WINDOW (viewer));
  g_assert_cmpuint (ct_scan_viewer_get_n_pages (viewer), ==, pages);
  g_assert_cmpuint (ct_scan_viewer_get_page (viewer), ==, 0);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.previous", NULL) &&
                  ct_scan_viewer_get_page (viewer) != 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.next", NULL));
  g_assert_cmpuint (ct_scan_viewer_get_page (viewer), ==, 1);
  ct_scan_viewer_set_page (viewer, 99);
  g_assert_cmpuint (ct_scan_viewer_get_page (viewer), ==, pages - 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.zoom-in", NULL));
  g_assert_cmpfloat (ct_scan_viewer_get_zoom (viewer), >, 1.0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.zoom-reset", NULL));
  g_assert_cmpfloat (ct_scan_viewer_get_zoom (viewer), ==, 1.0);
  ct_scan_viewer_set_page (viewer, 0);
  {
    GtkWidget *page = ct_media_find_named (GTK_WIDGET (viewer), "page");
    g_assert_nonnull (page);
    ct_ui_settle (300);
    g_assert_cmpint (gtk_widget_get_width (page), ==, 720);
    g_assert_cmpint (gtk_widget_get_height (page), >, 1000);   /* A4 */
  }
  ct_ui_screenshot (GTK_WIDGET (viewer), "scan-viewer");
  gtk_window_destroy (GTK_WINDOW (viewer));

  /* An unreadable scan is not handed to poppler in the app. */
  viewer = ct_scan_viewer_new (store, handler, broken->id, &error);
  g_assert_null (viewer);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, broken->probe_reason));
  g_clear_error (&error);

  /* The Media page: the document with its first page and a View button. */
  {
    g_autoptr(GtkWindow) window = g_object_ref_sink (GTK_WINDOW (gtk_window_new ()));
    CtCaseView *view = CT_CASE_VIEW (ct_case_view_new ());
    CtMediaPanel *panel;
    GtkWidget *row;

    gtk_window_set_default_size (window, 980, 860);
    gtk_window_set_child (window, GTK_WIDGET (view));
    gtk_window_present (window);
    panel = CT_MEDIA_PANEL (gtk_widget_get_template_child (GTK_WIDGET (view), CT_TYPE_CASE_VIEW, "media_panel"));
    ct_case_view_set_session (view, store, handler);
    ct_case_view_load (view, 3);
    g_assert_true (ct_ui_wait_until (panel_idle, panel));
    adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                                         CT_TYPE_CASE_VIEW,
                                                                                         "view_stack")),
                                           "media");
    row = ct_media_panel_get_media_row (panel, scan->id);
    g_assert_nonnull (row);
    g_assert_nonnull (ct_media_find_named (row, "view-thumbnail"));
    g_assert_null (ct_media_find_named (row, "time-unknown"));
    g_assert_true (ct_ui_wait_until (has_thumbnail, row));
    g_assert_nonnull (ct_media_find_named (ct_media_panel_get_media_row (panel, broken->id), "unreadable"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "media.view-scan", "x", scan->id));
    g_assert_true (CT_IS_SCAN_VIEWER (ct_media_panel_get_dialog (panel)));
    ct_ui_settle (200);
    ct_ui_screenshot (GTK_WIDGET (window), "scan-media-page");
    gtk_window_destroy (ct_media_panel_get_dialog (panel));

    /* Attach to Step… from the row's menu: the 送达回证's signed receipt. */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "media.attach-scan", "x", scan->id));
    {
      GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */
      GtkWidget *dialog = NULL, *fields;
      GListModel *names;
      guint pick = G_MAXUINT;

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);
          if (g_strcmp0 (gtk_widget_get_name (w), "attach-scan") == 0)
            dialog = w;
        }
      g_assert_nonnull (dialog);
      fields = ct_media_find_named (dialog, "field");
      names = gtk_drop_down_get_model (GTK_DROP_DOWN (fields));
      g_assert_cmpuint (g_list_model_get_n_items (names), >=, 4);   /* the scan fields of the templates */
      for (guint i = 0; i < g_list_model_get_n_items (names); i++)
        if (strstr (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "Scan of the signed proof of service") != NULL)
          pick = i;
      g_assert_cmpuint (pick, !=, G_MAXUINT);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (fields), pick);
      gtk_editable_set_text (GTK_EDITABLE (ct_media_find_named (dialog, "pages")), "1");
      gtk_editable_set_text (GTK_EDITABLE (ct_media_find_named (dialog, "label")), "签收页");
      ct_ui_settle (100);
      ct_ui_screenshot (dialog, "scan-attach-dialog");
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "attach");
    }
    g_assert_true (ct_ui_wait_until (panel_idle, panel));

    /* The import window: pictures imported as scanned paper. */
    {
      g_autofree char *png = g_build_filename (dir, "statement-page.png", NULL);
      g_autofree guchar *pixels = g_malloc (50 * 70 * 4);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      g_autoptr(CtMedia) imported = NULL;
      const char *paths[] = { png, NULL };
      CtImportDialog *import_dialog;
      GtkWidget *toggle;
      gboolean finished = FALSE;

      memset (pixels, 0xdd, 50 * 70 * 4);
      bytes = g_bytes_new_take (g_steal_pointer (&pixels), 50 * 70 * 4);
      texture = gdk_memory_texture_new (50, 70, GDK_MEMORY_R8G8B8A8, bytes, 50 * 4);
      g_assert_true (gdk_texture_save_to_png (texture, png));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "media.import", NULL));
      import_dialog = CT_IMPORT_DIALOG (ct_media_panel_get_dialog (panel));
      toggle = ct_media_find_named (GTK_WIDGET (import_dialog), "as-document");
      g_assert_nonnull (toggle);
      gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
      ct_import_dialog_set_paths (import_dialog, paths);
      g_signal_connect_swapped (import_dialog, "finished", G_CALLBACK (set_flag), &finished);
      ct_import_dialog_start (import_dialog);
      g_assert_true (ct_ui_wait_until (flag_set, &finished));
      g_assert_cmpuint (ct_import_dialog_get_n_imported (import_dialog), ==, 1);
      g_assert_true (ct_ui_wait_until (panel_idle, panel));
      {
        g_autoptr(GPtrArray) list = ct_store_list_media (store, 3, &error);
        g_assert_no_error (error);
        for (guint i = 0; i < list->len; i++)
          if (g_strcmp0 (((CtMedia *) list->pdata[i])->original_name, "statement-page.png") == 0)
            imported = ct_store_get_media (store, ((CtMedia *) list->pdata[i])->sha256, &error);
      }
      g_assert_nonnull (imported);
      g_assert_cmpint (imported->kind, ==, CT_MEDIA_KIND_DOCUMENT);
      g_assert_nonnull (ct_media_panel_get_media_row (panel, imported->id));
      gtk_window_destroy (GTK_WINDOW (import_dialog));
    }
    gtk_window_destroy (window);
  }

  /* Attached to the 送达回证, the form editor lists it with View. */
  {
    g_autoptr(JsonObject) saved = ct_store_get_form (store, 3, "service_receipt", &error);
    JsonObject *entry;
    g_assert_no_error (error);
    entry = json_object_get_object_member (saved, "signed_receipt");
    g_assert_cmpstr (json_object_get_string_member (entry, "media"), ==, scan->sha256);
    g_assert_cmpstr (json_object_get_string_member (entry, "pages"), ==, "1");
  }
  {
    g_autoptr(CtCase) c = ct_store_get_case (store, handler, "3", &error);
    CtFormRegistry *forms = ct_store_get_forms (store, &error);
    CtFormEditor *editor;
    GtkWidget *field, *row, *view_button;

    g_assert_no_error (error);
    editor = ct_form_editor_new (store, handler, c, ct_form_registry_lookup (forms, "service_receipt"));
    gtk_window_present (GTK_WINDOW (editor));
    g_assert_true (ct_ui_wait_until (editor_ready, editor));
    field = ct_form_editor_get_widget (editor, "signed_receipt");
    g_assert_true (ADW_IS_EXPANDER_ROW (field));
    row = ct_media_find_named (field, "scan");
    g_assert_nonnull (row);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "送达回证-签收.pdf");
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "签收页"));
    view_button = ct_media_find_named (row, "view-scan");
    g_assert_true (gtk_widget_get_sensitive (view_button));
    opens = count_opens (store, 3);
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (view_button)), ==, "editor.view-scan");
    g_assert_cmpint (g_variant_get_int64 (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (view_button))),
                     ==, scan->id);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.view-scan", "x", scan->id));
    g_assert_cmpuint (count_opens (store, 3), ==, opens + 1);
    /* the collected values keep the scan as it was */
    {
      g_autoptr(JsonObject) collected = ct_form_editor_collect (editor);
      g_assert_true (json_object_has_member (collected, "signed_receipt"));
    }
    gtk_widget_grab_focus (view_button);   /* scrolls the scan field into view */
    ct_ui_settle (300);
    ct_ui_screenshot (GTK_WIDGET (editor), "scan-form-editor");
    gtk_window_destroy (GTK_WINDOW (editor));
  }

  /* A photo of a page is marked as a scanned document on its details. */
  {
    g_autofree char *png = g_build_filename (dir, "receipt-photo.png", NULL);
    g_autofree guchar *pixels = g_malloc (64 * 90 * 4);
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GdkTexture) texture = NULL;
    g_autoptr(CtMedia) photo = NULL;
    CtMediaDetails *details;
    GtkWidget *toggle;
    DocWait wait = { store, 0 };

    memset (pixels, 0xee, 64 * 90 * 4);
    bytes = g_bytes_new_take (g_steal_pointer (&pixels), 64 * 90 * 4);
    texture = gdk_memory_texture_new (64, 90, GDK_MEMORY_R8G8B8A8, bytes, 64 * 4);
    g_assert_true (gdk_texture_save_to_png (texture, png));
    photo = import (store, handler, png);
    g_assert_cmpint (photo->kind, ==, CT_MEDIA_KIND_PHOTO);
    g_assert_false (ct_store_attach_scan (store, handler, photo->id, "service_receipt", "signed_receipt", NULL,
                                         NULL, &error));
    g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
    g_clear_error (&error);

    details = ct_media_details_new (store, handler, photo);
    gtk_window_present (GTK_WINDOW (details));
    toggle = ct_media_find_named (GTK_WIDGET (details), "document");
    g_assert_nonnull (toggle);
    g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
    gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
    ct_media_details_save (details);
    wait.id = photo->id;
    g_assert_true (ct_ui_wait_until (is_document, &wait));
    g_assert_true (ct_store_attach_scan (store, handler, photo->id, "service_receipt", "signed_receipt", NULL,
                                        NULL, &error));
    g_assert_no_error (error);
  }

  ct_ui_settle (100);
  g_clear_object (&store);
  ct_test_remove_dir (dir);
}

/* ---- a multi-page TIFF in the viewer ------------------------------------------------------- */

static void
put_le (GByteArray *b, guint32 v, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      guint8 c = (v >> (8 * i)) & 0xff;
      g_byte_array_append (b, &c, 1);
    }
}

/* An uncompressed RGB TIFF of @n_pages, page k light grey with a black
 * bar 20 * (k + 1) pixels wide along the top. */
static void
make_tiff_pages (const char *path,
                 guint       n_pages,
                 guint       width,
                 guint       height)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  guint32 pixels = width * height * 3;
  const guint16 tags[] = { 256, 257, 258, 259, 262, 273, 277, 278, 279, 284 };

  g_byte_array_append (b, (const guint8 *) "II*\0", 4);
  put_le (b, 8, 4);
  for (guint k = 0; k < n_pages; k++)
    {
      guint32 ifd = b->len;
      guint32 bps = ifd + 2 + G_N_ELEMENTS (tags) * 12 + 4;
      guint32 data = bps + 6;
      const guint32 values[] = { width, height, bps, 1, 2, data, 3, height, pixels, 1 };

      put_le (b, G_N_ELEMENTS (tags), 2);
      for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
        {
          /* LONG for sizes and offsets, SHORT (3 of them for BitsPerSample) otherwise */
          gboolean is_long = tags[i] == 256 || tags[i] == 257 || tags[i] == 273 || tags[i] == 278 || tags[i] == 279;
          put_le (b, tags[i], 2);
          put_le (b, is_long ? 4 : 3, 2);
          put_le (b, tags[i] == 258 ? 3 : 1, 4);
          put_le (b, values[i], 4);
        }
      put_le (b, k + 1 < n_pages ? data + pixels : 0, 4);
      put_le (b, 8, 2);
      put_le (b, 8, 2);
      put_le (b, 8, 2);
      for (guint y = 0; y < height; y++)
        for (guint x = 0; x < width; x++)
          {
            guint8 v = y < 20 && x < 20 * (k + 1) ? 0 : 230;
            guint8 px[3] = { v, v, v };
            g_byte_array_append (b, px, 3);
          }
    }
  g_assert_true (g_file_set_contents (path, (const char *) b->data, b->len, NULL));
}

/* Whether the picture the viewer shows is dark at (@x, @y). */
static gboolean
shown_dark_at (CtScanViewer *viewer,
               int           x,
               int           y)
{
  GtkWidget *page = ct_media_find_named (GTK_WIDGET (viewer), "page");
  GdkPaintable *paintable;
  g_autofree guint8 *data = NULL;
  int w, h;

  g_assert_true (GTK_IS_PICTURE (page));
  paintable = gtk_picture_get_paintable (GTK_PICTURE (page));
  g_assert_true (GDK_IS_TEXTURE (paintable));
  w = gdk_texture_get_width (GDK_TEXTURE (paintable));
  h = gdk_texture_get_height (GDK_TEXTURE (paintable));
  data = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (GDK_TEXTURE (paintable), data, (gsize) w * 4);
  return data[(y * w + x) * 4 + 1] < 100;
}

/* A sheet-feed scan saved as one TIFF: every page in the viewer, not only
 * the first that picture loaders read. */
static void
test_scan_tiff (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("casetrail-scan-tiff-XXXXXX", &error);
  g_autofree char *tiff = NULL;
  CtKdfParams kdf = { .t_cost = 1, .m_cost_kib = 8192, .parallelism = 1 };
  g_autoptr(CtStore) store = NULL;
  g_autoptr(CtSession) handler = NULL;
  g_autoptr(CtMedia) scan = NULL;
  CtScanViewer *viewer;
  guint opens;

  g_assert_no_error (error);
  store = ct_store_open (dir, &error);
  g_assert_no_error (error);
  ct_store_set_kdf_params (store, &kdf);
  g_assert_true (ct_store_load_demo (store, &error));
  handler = ct_store_login (store, "zhangwei", CT_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);

  tiff = g_build_filename (dir, "陈述申辩书-扫描.tif", NULL);
  make_tiff_pages (tiff, 3, 200, 283);
  scan = import (store, handler, tiff);
  g_assert_cmpint (scan->kind, ==, CT_MEDIA_KIND_DOCUMENT);
  g_assert_cmpuint (scan->pages, ==, 3);

  opens = count_opens (store, 3);
  viewer = ct_scan_viewer_new (store, handler, scan->id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (viewer);
  g_assert_cmpuint (count_opens (store, 3), ==, opens + 1);
  gtk_window_present (GTK_WINDOW (viewer));
  g_assert_cmpuint (ct_scan_viewer_get_n_pages (viewer), ==, 3);

  /* Page 1: a bar 20 px wide; page 2: 40 px; page 3: 60 px. */
  g_assert_true (shown_dark_at (viewer, 5, 5));
  g_assert_false (shown_dark_at (viewer, 30, 5));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.next", NULL));
  g_assert_cmpuint (ct_scan_viewer_get_page (viewer), ==, 1);
  g_assert_true (shown_dark_at (viewer, 30, 5));
  g_assert_false (shown_dark_at (viewer, 50, 5));
  ct_scan_viewer_set_page (viewer, 2);
  g_assert_true (shown_dark_at (viewer, 50, 5));
  g_assert_false (shown_dark_at (viewer, 70, 5));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.next", NULL) &&
                  ct_scan_viewer_get_page (viewer) != 2);
  ct_ui_settle (300);
  ct_ui_screenshot (GTK_WIDGET (viewer), "scan-tiff-page-3");
  {
    GtkWidget *page = ct_media_find_named (GTK_WIDGET (viewer), "page");
    g_assert_cmpint (gtk_widget_get_width (page), ==, 720);
  }
  ct_scan_viewer_set_page (viewer, 0);
  g_assert_false (shown_dark_at (viewer, 30, 5));
  gtk_window_destroy (GTK_WINDOW (viewer));

  g_clear_object (&store);
  ct_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!ct_ui_test_init (&argc, &argv, FALSE))
    return 0;
  g_test_add_func ("/ui/scan/viewer", test_scan);
  g_test_add_func ("/ui/scan/tiff", test_scan_tiff);
  return g_test_run ();
}

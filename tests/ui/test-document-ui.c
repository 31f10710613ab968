#define G_LOG_DOMAIN "casetrail"

/* test-document-ui.c — a form of a case previewed as its printed document:
 * the pages poppler shows are the pages of the PDF the core renders, the
 * preview is audited, the case view offers it for a saved form, and a
 * form never saved shows an error instead of pages. */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include <poppler.h>

#include "ct-document-preview.h"
#include "ct-store.h"
#include "ct-test-util.h"
#include "ct-ui-test-util.h"

static gboolean
preview_ready (gpointer data)
{
  return ct_document_preview_get_ready (data);
}

static guint
count_audit (CtStore    *store,
             gint64      case_id,
             const char *how)
{
  g_autoptr(GPtrArray) rows = ct_store_list_audit (store, case_id, 0, NULL);
  guint n = 0;

  g_assert_nonnull (rows);
  for (guint i = 0; i < rows->len; i++)
    {
      CtAuditEntry *e = rows->pdata[i];
      g_autofree char *want = g_strdup_printf ("\"how\":\"%s\"", how);
      if (g_strcmp0 (e->action, "document.render") == 0 && strstr (e->detail, want) != NULL)
        n++;
    }
  return n;
}

typedef struct {
  CtStore *store;
  gint64   case_id;
} AuditWait;

static gboolean
printed (gpointer data)
{
  AuditWait *w = data;
  return count_audit (w->store, w->case_id, "print") == 1;
}

static void
test_preview (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("casetrail-document-ui-XXXXXX", &error);
  g_autoptr(CtStore) store = NULL;
  g_autoptr(CtSession) handler = NULL;
  g_autoptr(CtSession) head = NULL;
  g_autoptr(CtDocument) doc = NULL;
  g_autoptr(GBytes) pdf = NULL;
  CtDocumentPreview *preview;
  CtDocumentPreview *missing;
  guint pages = 0;

  g_assert_no_error (error);
  store = ct_test_demo_store_new (dir);
  handler = ct_store_login (store, "zhangwei", CT_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);
  head = ct_store_login (store, "sunqiang", CT_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);

  /* Demo case 3, long enough for three pages, approved by the head. */
  ct_ui_test_save_long_filing (store, handler);
  g_assert_cmpint (ct_store_approve (store, head, 3, "filing", &error), >, 0);

  doc = ct_store_get_document (store, handler, 3, "filing_approval", &error);
  g_assert_no_error (error);
  pdf = ct_document_render_pdf (doc, &pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages, >=, 3);

  preview = ct_document_preview_new (store, handler, 3, "filing_approval");
  gtk_window_present (GTK_WINDOW (preview));
  g_assert_true (ct_ui_wait_until (preview_ready, preview));
  g_assert_null (ct_document_preview_get_error (preview));
  g_assert_cmpuint (ct_document_preview_get_n_pages (preview), ==, pages);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (preview)));
  ct_ui_settle (200);
  ct_ui_screenshot (GTK_WIDGET (preview), "document-preview");
  g_assert_cmpuint (count_audit (store, 3, "preview"), ==, 1);

  /* Printing: the same pages, A4, through GtkPrintOperation (to a file). */
  {
    g_autofree char *out = g_build_filename (dir, "printed.pdf", NULL);
    g_autofree char *uri = NULL;
    PopplerDocument *printed_pdf;
    PopplerPage *page;
    g_autofree char *text = NULL;
    AuditWait wait = { store, 3 };
    double w, h;

    g_assert_true (ct_document_preview_export (preview, out, &error));
    g_assert_no_error (error);
    uri = g_filename_to_uri (out, NULL, &error);
    printed_pdf = poppler_document_new_from_file (uri, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (poppler_document_get_n_pages (printed_pdf), ==, pages);
    page = poppler_document_get_page (printed_pdf, 0);
    poppler_page_get_size (page, &w, &h);
    g_assert_cmpfloat_with_epsilon (w, 595.28, 1.0);
    g_assert_cmpfloat_with_epsilon (h, 841.89, 1.0);
    text = poppler_page_get_text (page);
    g_assert_nonnull (strstr (text, "行政处罚立案审批表"));
    g_assert_nonnull (strstr (text, doc->case_number));
    g_object_unref (page);
    g_object_unref (printed_pdf);
    g_assert_true (ct_ui_wait_until (printed, &wait));
  }
  gtk_window_destroy (GTK_WINDOW (preview));

  /* A form never saved: an error, no pages. */
  missing = ct_document_preview_new (store, handler, 3, "penalty_decision");
  gtk_window_present (GTK_WINDOW (missing));
  g_assert_true (ct_ui_wait_until (preview_ready, missing));
  g_assert_nonnull (ct_document_preview_get_error (missing));
  g_assert_cmpuint (ct_document_preview_get_n_pages (missing), ==, 0);
  g_assert_cmpuint (count_audit (store, 3, "preview"), ==, 1);
  gtk_window_destroy (GTK_WINDOW (missing));

  /* A decision missing items it must state (003 第三十一条): shown as a
   * draft, Print disabled, and printing it is refused naming the items. */
  {
    g_autoptr(JsonObject) decision = json_object_new ();
    g_autofree char *out = g_build_filename (dir, "decision.pdf", NULL);
    CtDocumentPreview *draft;

    json_object_set_string_member (decision, "decision_content", "罚款人民币一万元");
    g_assert_true (ct_store_save_form (store, handler, 3, "penalty_decision", decision, &error));
    g_assert_no_error (error);
    draft = ct_document_preview_new (store, handler, 3, "penalty_decision");
    gtk_window_present (GTK_WINDOW (draft));
    g_assert_true (ct_ui_wait_until (preview_ready, draft));
    g_assert_null (ct_document_preview_get_error (draft));
    g_assert_cmpuint (ct_document_preview_get_n_pages (draft), >=, 1);
    g_assert_nonnull (ct_document_preview_get_blocked (draft));
    g_assert_nonnull (strstr (ct_document_preview_get_blocked (draft), "item 2"));
    g_assert_false (ct_document_preview_export (draft, out, &error));
    g_assert_error (error, CT_ERROR, CT_ERROR_BLOCKED);
    g_clear_error (&error);
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    gtk_window_destroy (GTK_WINDOW (draft));
  }

  ct_ui_settle (100);
  g_clear_object (&store);
  ct_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!ct_ui_test_init (&argc, &argv, FALSE))
    return 0;
  g_test_add_func ("/ui/document/preview", test_preview);
  return g_test_run ();
}

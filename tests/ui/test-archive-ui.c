#define G_LOG_DOMAIN "casetrail"

/* test-archive-ui.c — an archived case in the case view: "Save Archived
 * Dossier…" opens a file chooser and writes the stored dossier, verified
 * against its record and audited, to the file chosen; a user who may not
 * read the archive is told why and gets no file.
 *
 * The case is archived through the core (as ct_store_load_demo() makes
 * cases), not by walking the procedure: test-procedure-ui does that. */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "ct-case-view.h"
#include "ct-crypto.h"
#include "ct-dossier.h"
#include "ct-error.h"
#include "ct-form.h"
#include "ct-store.h"
#include "ct-store-private.h"
#include "ct-test-util.h"
#include "ct-ui-test-util.h"

typedef struct {
  char       *dir;
  CtStore    *store;
  GtkWindow  *window;
  CtCaseView *view;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->dir = ct_test_make_dir ();
  fixture->store = ct_test_demo_store_new (fixture->dir);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (fixture->window, 980, 900);
  fixture->view = CT_CASE_VIEW (ct_case_view_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  gtk_window_present (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->store);
  ct_test_remove_dir (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

static CtSession *
login (Fixture    *fixture,
       const char *username)
{
  g_autoptr(GError) error = NULL;
  CtSession *session = ct_store_login (fixture->store, username, CT_DEMO_PASSPHRASE, &error);

  g_assert_no_error (error);
  return session;
}

/* Every field filled, so that the form is complete. */
static const char *const closing_texts[] = { "当事人已履行行政处罚决定，案件办理完毕。" };
static const CtTestFormFill complete_fill = {
  .texts = closing_texts,
  .n_texts = 1,
  .long_repeat = 1,
  .multiline = "当事人已履行行政处罚决定，案件办理完毕。",
  .date = "2026-03-20",
  .datetime = "2026-03-20T09:30:00+08:00",
  .officers = { "zhangwei", "lina" },
  .first_signer = "张伟",
  .signer = "张伟",
  .signed_at = "2026-03-20T10:05:00+08:00",
};

/* A general-procedure case of the demo agency, archived through the core. */
static gint64
archived_case (Fixture        *fixture,
               CtSession      *handler,
               CtCaseArchive **archive)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) values = NULL;
  const char *handlers[] = { "zhangwei", "lina", NULL };
  CtCaseSpec spec = {
    .procedure = "general",
    .cause = "涉嫌无照经营（归档测试）",
    .source = "inspection",
    .place = "示例市北城区测试路 9 号",
    .party_kind = "person",
    .party_name = "测试个体户",
    .party_id_number = "110101199001011111",
    .party_address = "示例市北城区测试路 9 号",
    .party_contact = "13900000001",
    .handlers = handlers,
  };
  gint64 id = ct_store_create_case (fixture->store, handler, &spec, &error);
  CtFormRegistry *forms;

  g_assert_no_error (error);
  g_assert_true (ct_store_set_stage_unchecked (fixture->store, handler, id, "archive", "test", &error));
  g_assert_no_error (error);
  forms = ct_store_get_forms (fixture->store, &error);
  g_assert_no_error (error);
  values = ct_test_form_values (ct_form_registry_lookup (forms, "closing_report"), &complete_fill);
  g_assert_true (ct_store_save_form (fixture->store, handler, id, "closing_report", values, &error));
  g_assert_no_error (error);
  *archive = ct_store_archive_case (fixture->store, handler, id, &error);
  if (*archive == NULL)
    g_error ("archiving the test case: %s", error->message);
  return id;
}

static gboolean
view_idle (gpointer data)
{
  CtCaseView *view = data;

  return !ct_case_view_get_busy (view) && ct_case_view_get_case (view) != NULL &&
         (ct_case_view_get_procedure (view) != NULL || ct_case_view_get_procedure_error (view) != NULL);
}

static void
show_case (Fixture   *fixture,
           CtSession *session,
           gint64     case_id)
{
  ct_case_view_set_session (fixture->view, fixture->store, session);
  ct_case_view_load (fixture->view, case_id);
  g_assert_true (ct_ui_wait_until (view_idle, fixture->view));
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (c)), action) == 0)
        return c;
      found = find_button (c, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
view_not_busy (gpointer data)
{
  return !ct_case_view_get_busy (data);
}

/* The toplevel of @type other than @except, or NULL. */
static GtkWindow *
find_toplevel (GType      type,
               GtkWindow *except)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (w != except && G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

typedef struct {
  GType      type;
  GtkWindow *except;
} ToplevelWait;

static gboolean
toplevel_shown (gpointer data)
{
  ToplevelWait *wait = data;

  return find_toplevel (wait->type, wait->except) != NULL;
}

static int
count_reads (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, "casetrail.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.dossier-read'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static char *
file_sha256 (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return NULL;
  return ct_hash_hex (CT_HASH_SHA256, data, len);
}

static void
test_save_archive (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(CtSession) handler = login (fixture, "zhangwei");
  g_autoptr(CtSession) reviewer = login (fixture, "zhaomin");
  g_autoptr(CtCaseArchive) archive = NULL;
  g_autofree char *target = g_build_filename (fixture->dir, "saved.pdf", NULL);
  g_autofree char *chosen_name = NULL;
  g_autofree char *sha = NULL;
  gint64 case_id = archived_case (fixture, handler, &archive);
  GtkWidget *button;
  GtkWindow *chooser;
  ToplevelWait wait = { GTK_TYPE_FILE_CHOOSER_DIALOG, fixture->window };
  int reads;

  show_case (fixture, handler, case_id);
  g_assert_cmpstr (ct_case_view_get_case (fixture->view)->status, ==, "archived");

  /* The button is on the archived case, and on.  */
  button = find_button (GTK_WIDGET (fixture->view), "case.save-archive");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->view),
                                                                                      CT_TYPE_CASE_VIEW,
                                                                                      "view_stack")),
                                         "details");
  ct_ui_settle (200);
  g_assert_true (gtk_widget_get_mapped (button));
  ct_ui_screenshot (GTK_WIDGET (fixture->window), "archive-case-view");
  reads = count_reads (fixture);

  /* It opens a save chooser named after the case number. */
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (ct_ui_wait_until (toplevel_shown, &wait));
  chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, fixture->window);
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==, GTK_FILE_CHOOSER_ACTION_SAVE);
  chosen_name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_true (g_str_has_suffix (chosen_name, ".pdf"));
  g_assert_true (g_str_has_prefix (chosen_name, ct_case_view_get_case (fixture->view)->number));
  ct_ui_screenshot (GTK_WIDGET (chooser), "archive-chooser");
  /* Cancelled: nothing written, nothing audited. */
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  ct_ui_settle (200);
  g_assert_null (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, fixture->window));
  g_assert_cmpint (count_reads (fixture), ==, reads);

  /* Chosen: the stored copy, byte for byte, and one audit row. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.save-archive-to", "s", target));
  g_assert_true (ct_ui_wait_until (view_not_busy, fixture->view));
  sha = file_sha256 (target);
  g_assert_cmpstr (sha, ==, archive->sha256);
  g_assert_cmpint (count_reads (fixture), ==, reads + 1);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, fixture->window));

  /* A folder that is not there: the message says where and what to do. */
  {
    g_autofree char *nowhere = g_build_filename (fixture->dir, "gone", "saved.pdf", NULL);
    ToplevelWait dialog_wait = { ADW_TYPE_MESSAGE_DIALOG, fixture->window };
    AdwMessageDialog *dialog;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.save-archive-to", "s", nowhere));
    g_assert_true (ct_ui_wait_until (toplevel_shown, &dialog_wait));
    dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, fixture->window));
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Save the Archived Dossier");
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), nowhere));
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Choose a folder"));
    ct_ui_screenshot (GTK_WIDGET (dialog), "archive-save-failed");
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
    g_assert_cmpint (count_reads (fixture), ==, reads + 1);
  }

  /* A legal reviewer sees the case but may not read its archive: told
   * why, no file. */
  {
    g_autofree char *refused = g_build_filename (fixture->dir, "refused.pdf", NULL);
    ToplevelWait dialog_wait = { ADW_TYPE_MESSAGE_DIALOG, fixture->window };
    AdwMessageDialog *dialog;

    show_case (fixture, reviewer, case_id);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.save-archive-to", "s", refused));
    g_assert_true (ct_ui_wait_until (toplevel_shown, &dialog_wait));
    dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, fixture->window));
    g_test_message ("refused: %s", adw_message_dialog_get_body (dialog));
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Save the Archived Dossier");
    g_assert_cmpstr (adw_message_dialog_get_body (dialog), !=, "");
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_assert_false (g_file_test (refused, G_FILE_TEST_EXISTS));
    g_assert_cmpint (count_reads (fixture), ==, reads + 1);
  }
}

/* A case that is not archived has no such button. */
static void
test_open_case (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(CtSession) handler = login (fixture, "zhangwei");
  g_autoptr(GError) error = NULL;
  const char *handlers[] = { "zhangwei", "lina", NULL };
  CtCaseSpec spec = {
    .procedure = "general",
    .cause = "涉嫌无照经营（未归档）",
    .place = "示例市北城区测试路 9 号",
    .source = "inspection",
    .party_kind = "person",
    .party_name = "测试个体户",
    .handlers = handlers,
  };
  gint64 id = ct_store_create_case (fixture->store, handler, &spec, &error);
  GtkWidget *button;

  g_assert_no_error (error);
  show_case (fixture, handler, id);
  button = find_button (GTK_WIDGET (fixture->view), "case.save-archive");
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_false (gtk_widget_is_sensitive (button));
}

int
main (int   argc,
      char *argv[])
{
  if (!ct_ui_test_init (&argc, &argv, TRUE))
    return 0;

  g_test_add ("/ui/archive/save", Fixture, NULL, fixture_set_up, test_save_archive, fixture_tear_down);
  g_test_add ("/ui/archive/open-case", Fixture, NULL, fixture_set_up, test_open_case, fixture_tear_down);

  return g_test_run ();
}

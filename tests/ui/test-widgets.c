#define G_LOG_DOMAIN "casetrail"

/* test-widgets.c — the new-case dialog, the setup page and the login page,
 * driven programmatically over a real store. */

#include "config.h"

#include <locale.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ct-error.h"
#include "ct-login-page.h"
#include "ct-new-case-dialog.h"
#include "ct-setup-page.h"
#include "ct-store.h"
#include "ct-test-util.h"
#include "ct-ui-test-util.h"

/* ---- fixtures ------------------------------------------------------------------ */

typedef struct {
  char      *dir;
  CtStore   *store;
  GtkWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean demo = GPOINTER_TO_INT (user_data);

  fixture->dir = g_dir_make_tmp ("casetrail-ui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = ct_test_store_open_cheap (fixture->dir);

  if (demo)
    {
      g_assert_true (ct_store_load_demo (fixture->store, &error));
      g_assert_no_error (error);
    }

  fixture->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref_sink (fixture->window);
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

/* Iterates the main loop until @cond holds; FALSE on time-out. */
typedef gboolean (*Condition) (gpointer data);

/* A named child of a widget's template. */
#define child(widget, type, name) gtk_widget_get_template_child (GTK_WIDGET (widget), type, name)

static void
set_text (gpointer    widget,
          GType       type,
          const char *name,
          const char *text)
{
  GObject *editable = child (widget, type, name);

  g_assert_nonnull (editable);
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

static gboolean
is_sensitive (gpointer    widget,
              GType       type,
              const char *name)
{
  GObject *button = child (widget, type, name);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (GTK_WIDGET (button));
}

static guint
choice_index (const CtChoice *table,
              const char     *id)
{
  for (guint i = 0; table[i].id != NULL; i++)
    if (g_str_equal (table[i].id, id))
      return i;

  g_assert_not_reached ();
}

/* ---- the new-case dialog ---------------------------------------------------------- */

static gboolean
dialog_ready (gpointer data)
{
  return ct_new_case_dialog_get_ready (data);
}

static gboolean
value_nonzero (gpointer data)
{
  return *(gint64 *) data != 0;
}

static void
on_case_created (CtNewCaseDialog *dialog,
                 gint64           case_id,
                 gint64          *out)
{
  *out = case_id;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_new_case_dialog (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtCase) c = NULL;
  g_autofree char *id = NULL;
  CtNewCaseDialog *dialog;
  gpointer weak = NULL;
  gint64 case_id = 0;
  const char *officers[] = { "zhangwei", "lina", "chenjing", NULL };
  GType type = CT_TYPE_NEW_CASE_DIALOG;
  gboolean lina = FALSE, zhangwei = FALSE, chenjing = FALSE;

  session = ct_store_login (fixture->store, "zhangwei", CT_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);

  dialog = ct_new_case_dialog_new (fixture->store, session);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), fixture->window);
  g_signal_connect (dialog, "case-created", G_CALLBACK (on_case_created), &case_id);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_window_present (GTK_WINDOW (dialog));

  g_assert_true (ct_ui_wait_until (dialog_ready, dialog));

  /* Nothing filled in: Create is insensitive. */
  g_assert_false (is_sensitive (dialog, type, "create_button"));

  set_text (dialog, type, "cause_row", "涉嫌无照经营（界面测试）");
  set_text (dialog, type, "place_row", "示例市北城区测试路 9 号");
  set_text (dialog, type, "party_name_row", "测试个体户");
  set_text (dialog, type, "party_id_row", "110101199001011111");
  set_text (dialog, type, "party_contact_row", "13900000001");

  /* Only the signed-in handler is pre-checked: one officer is not enough. */
  g_assert_false (is_sensitive (dialog, type, "create_button"));

  /* Two handlers and an assistant. */
  g_assert_cmpuint (ct_new_case_dialog_set_officers (dialog, officers), ==, 3);
  g_assert_true (is_sensitive (dialog, type, "create_button"));

  /* A required field emptied again. */
  set_text (dialog, type, "cause_row", "   ");
  g_assert_false (is_sensitive (dialog, type, "create_button"));
  set_text (dialog, type, "cause_row", "涉嫌无照经营（界面测试）");
  g_assert_true (is_sensitive (dialog, type, "create_button"));

  /* An organization needs its legal representative. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, type, "party_kind_row")),
                              choice_index (ct_party_kinds (), "organization"));
  g_assert_false (is_sensitive (dialog, type, "create_button"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, type, "party_kind_row")),
                              choice_index (ct_party_kinds (), "person"));
  g_assert_true (is_sensitive (dialog, type, "create_button"));

  /* The core's own validation is shown inline: a complaint needs its
   * complainant, which the dialog leaves to the core to require. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, type, "source_row")),
                              choice_index (ct_case_sources (), "complaint"));
  g_assert_true (is_sensitive (dialog, type, "create_button"));
  gtk_widget_activate (GTK_WIDGET (child (dialog, type, "create_button")));
  g_assert_true (ct_ui_wait_until ((Condition) gtk_revealer_get_reveal_child,
                             child (dialog, type, "error_revealer")));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (child (dialog, type, "error_label"))),
                            "Source details"));
  g_assert_cmpint (case_id, ==, 0);
  g_assert_nonnull (weak);

  /* Fixed: the case is opened and the dialog closes itself. */
  set_text (dialog, type, "source_detail_row", "市民张某（来电投诉）");
  g_assert_true (is_sensitive (dialog, type, "create_button"));
  gtk_widget_activate (GTK_WIDGET (child (dialog, type, "create_button")));

  g_assert_true (ct_ui_wait_until (value_nonzero, &case_id));
  g_assert_true (ct_ui_wait_until (pointer_cleared, &weak));

  id = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  c = ct_store_get_case (fixture->store, session, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (c);
  g_assert_cmpstr (c->cause, ==, "涉嫌无照经营（界面测试）");
  g_assert_cmpstr (c->source, ==, "complaint");
  g_assert_cmpstr (c->source_detail, ==, "市民张某（来电投诉）");
  g_assert_cmpstr (c->party.kind, ==, "person");
  g_assert_cmpstr (c->party.name, ==, "测试个体户");
  g_assert_cmpstr (c->place, ==, "示例市北城区测试路 9 号");
  g_assert_cmpstr (c->procedure, ==, ct_procedure_types ()[0].id);
  g_assert_nonnull (c->officers);
  for (guint i = 0; i < c->officers->len; i++)
    {
      const CtCaseOfficer *officer = g_ptr_array_index (c->officers, i);

      if (g_str_equal (officer->username, "zhangwei"))
        zhangwei = !officer->assistant;
      else if (g_str_equal (officer->username, "lina"))
        lina = !officer->assistant;
      else if (g_str_equal (officer->username, "chenjing"))
        chenjing = officer->assistant;
    }
  g_assert_true (zhangwei);
  g_assert_true (lina);
  g_assert_true (chenjing);
}

static void
test_new_case_dialog_cancel (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  CtNewCaseDialog *dialog;
  gpointer weak = NULL;

  session = ct_store_login (fixture->store, "lina", CT_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);
  before = ct_store_list_cases (fixture->store, session, NULL, &error);
  g_assert_no_error (error);

  dialog = ct_new_case_dialog_new (fixture->store, session);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), fixture->window);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (ct_ui_wait_until (dialog_ready, dialog));

  set_text (dialog, CT_TYPE_NEW_CASE_DIALOG, "cause_row", "不应保存的案由");
  /* Escape is bound to dialog.cancel. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.cancel", NULL));
  g_assert_true (ct_ui_wait_until (pointer_cleared, &weak));

  after = ct_store_list_cases (fixture->store, session, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, before->len);
}

/* ---- the setup page ------------------------------------------------------------------- */

static void
on_initialized (CtSetupPage *page,
                gboolean     demo,
                int         *out)
{
  *out = demo ? 2 : 1;
}

static gboolean
int_nonzero (gpointer data)
{
  return *(int *) data != 0;
}

static void
test_setup_page (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *sample = NULL;
  g_autoptr(CtAgency) agency = NULL;
  g_autoptr(CtSession) session = NULL;
  GtkWidget *page = ct_setup_page_new ();
  GType type = CT_TYPE_SETUP_PAGE;
  GtkLabel *hint;
  int initialized = 0;

  gtk_window_set_child (fixture->window, page);
  gtk_window_present (fixture->window);
  g_signal_connect (page, "initialized", G_CALLBACK (on_initialized), &initialized);
  ct_setup_page_set_store (CT_SETUP_PAGE (page), fixture->store);
  g_assert_true (gtk_widget_activate_action (page, "setup.show-form", NULL));

  /* The default pattern is valid and its sample number is shown. */
  hint = GTK_LABEL (child (page, type, "pattern_hint"));
  sample = ct_case_number_format (CT_DEFAULT_CASE_NUMBER_PATTERN, g_date_time_get_year (now), 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (page, type, "pattern_row"))),
                   ==, CT_DEFAULT_CASE_NUMBER_PATTERN);
  g_assert_nonnull (strstr (gtk_label_get_label (hint), sample));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (hint), "error"));

  /* A pattern without {seq}: the core's message, shown as an error. */
  set_text (page, type, "pattern_row", "X司罚立〔{year}〕号");
  g_assert_false (ct_case_number_pattern_validate ("X司罚立〔{year}〕号", &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (gtk_label_get_label (hint), ==, error->message);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (hint), "error"));
  g_clear_error (&error);

  /* Zero-padded sequence numbers are fine. */
  set_text (page, type, "pattern_row", "测试〔{year}〕{seq:4}号");
  g_clear_pointer (&sample, g_free);
  sample = ct_case_number_format ("测试〔{year}〕{seq:4}号", g_date_time_get_year (now), 1);
  g_assert_nonnull (strstr (gtk_label_get_label (hint), sample));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (hint), "error"));

  /* The rest of the form, live. */
  g_assert_false (is_sensitive (page, type, "create_button"));
  set_text (page, type, "agency_row", "测试市市场监督管理局");
  set_text (page, type, "admin_username_row", "chief");
  set_text (page, type, "admin_name_row", "测试管理员");
  set_text (page, type, "passphrase_entry", "short");
  set_text (page, type, "confirm_entry", "short");
  g_assert_false (is_sensitive (page, type, "create_button"));
  set_text (page, type, "passphrase_entry", "correct horse");
  set_text (page, type, "confirm_entry", "correct hors");
  g_assert_false (is_sensitive (page, type, "create_button"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (child (page, type, "form_hint"))), "match"));
  set_text (page, type, "confirm_entry", "correct horse");
  g_assert_true (is_sensitive (page, type, "create_button"));
  set_text (page, type, "pattern_row", "{year}");
  g_assert_false (is_sensitive (page, type, "create_button"));
  set_text (page, type, "pattern_row", "测试〔{year}〕{seq:4}号");
  g_assert_true (is_sensitive (page, type, "create_button"));

  gtk_widget_activate (GTK_WIDGET (child (page, type, "create_button")));
  g_assert_true (ct_ui_wait_until (int_nonzero, &initialized));
  g_assert_cmpint (initialized, ==, 1);

  g_assert_true (ct_store_is_initialized (fixture->store));
  agency = ct_store_get_agency (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (agency->name, ==, "测试市市场监督管理局");
  g_assert_cmpstr (agency->case_number_pattern, ==, "测试〔{year}〕{seq:4}号");
  session = ct_store_login (fixture->store, "chief", "correct horse", &error);
  g_assert_no_error (error);
  g_assert_true (ct_session_has_role (session, CT_ROLE_ADMIN));
}

/* ---- the login page ---------------------------------------------------------------------- */

static gboolean
login_ready (gpointer data)
{
  return ct_login_page_get_ready (data);
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static void
on_logged_in (CtLoginPage *page,
              CtSession   *session,
              CtSession  **out)
{
  *out = ct_session_ref (session);
}

static void
test_login_page (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) expected = NULL;
  g_autoptr(CtSession) session = NULL;
  GtkWidget *page = ct_login_page_new ();
  GType type = CT_TYPE_LOGIN_PAGE;
  GtkWidget *error_label;

  gtk_window_set_child (fixture->window, page);
  gtk_window_present (fixture->window);
  g_signal_connect (page, "logged-in", G_CALLBACK (on_logged_in), &session);
  ct_login_page_set_store (CT_LOGIN_PAGE (page), fixture->store);
  g_assert_true (ct_ui_wait_until (login_ready, page));

  /* No user picked, no passphrase: nothing to do. */
  g_assert_null (ct_login_page_get_selected_user (CT_LOGIN_PAGE (page)));
  g_assert_false (is_sensitive (page, type, "login_button"));

  g_assert_false (ct_login_page_select_user (CT_LOGIN_PAGE (page), "nobody"));
  g_assert_true (ct_login_page_select_user (CT_LOGIN_PAGE (page), "zhangwei"));
  g_assert_cmpstr (ct_login_page_get_selected_user (CT_LOGIN_PAGE (page)), ==, "zhangwei");
  g_assert_false (is_sensitive (page, type, "login_button"));

  /* A wrong passphrase: the core's message, inline, and no session. */
  set_text (page, type, "passphrase_entry", "not the passphrase");
  g_assert_true (is_sensitive (page, type, "login_button"));
  error_label = GTK_WIDGET (child (page, type, "error_label"));
  g_assert_false (gtk_widget_get_visible (error_label));
  g_signal_emit_by_name (child (page, type, "login_button"), "clicked");
  /* Busy while Argon2id runs. */
  g_assert_false (is_sensitive (page, type, "login_button"));
  g_assert_true (ct_ui_wait_until (widget_visible, error_label));
  g_assert_null (session);

  g_assert_null (ct_store_login (fixture->store, "zhangwei", "not the passphrase", &expected));
  g_assert_error (expected, CT_ERROR, CT_ERROR_AUTH);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), ==, expected->message);

  /* The right one: ::logged-in with the user's session; the passphrase is
   * not kept in the entry. */
  set_text (page, type, "passphrase_entry", CT_DEMO_PASSPHRASE);
  /* Enter in the passphrase entry logs in. */
  g_signal_emit_by_name (child (page, type, "passphrase_entry"), "activate");
  g_assert_true (ct_ui_wait_until (pointer_set, &session));
  g_assert_cmpstr (ct_session_get_username (session), ==, "zhangwei");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (page, type, "passphrase_entry"))), ==, "");
  g_assert_false (gtk_widget_get_visible (error_label));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");

  if (!gtk_init_check ())
    {
      /* TAP: the whole binary is skipped. */
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }
  adw_init ();

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ui/new-case-dialog/create", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_new_case_dialog, fixture_tear_down);
  g_test_add ("/ui/new-case-dialog/cancel", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_new_case_dialog_cancel, fixture_tear_down);
  g_test_add ("/ui/setup-page/create-agency", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_setup_page, fixture_tear_down);
  g_test_add ("/ui/login-page/passphrase", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_login_page, fixture_tear_down);

  return g_test_run ();
}

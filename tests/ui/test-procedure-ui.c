#define G_LOG_DOMAIN "casetrail"

/* test-procedure-ui.c — the procedure in the case view, driven
 * programmatically over a real store with the real forms, rule packs and
 * calendars of data/: the stage stepper, the checklist with a blocked
 * requirement and its citation, the generated form editor, approvals,
 * case facts and advancing — and a whole general-procedure penalty case
 * walked from filing to archive through those widgets.
 *
 * With CASETRAIL_SCREENSHOT_DIR set, the windows are also saved as PNG
 * files there (to look at the UI, e.g. in Chinese with LC_ALL=zh_CN.UTF-8
 * and CASETRAIL_LOCALEDIR pointing at the built translations). */

#include "config.h"


#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "ct-case-procedure.h"
#include "ct-case-view.h"
#include "ct-checklist.h"
#include "ct-deadline-badge.h"
#include "ct-error.h"
#include "ct-media.h"
#include "ct-form-editor.h"
#include "ct-stage-stepper.h"
#include "ct-store.h"
#include "ct-task.h"
#include "ct-test-util.h"
#include "ct-ui-test-util.h"


/* ---- fixtures ------------------------------------------------------------------ */

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
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("casetrail-procedure-ui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = ct_test_demo_store_new (fixture->dir);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref_sink (fixture->window);
  /* Tall when taking screenshots, so that they show the whole page. */
  gtk_window_set_default_size (fixture->window, 980,
                               g_getenv ("CASETRAIL_SCREENSHOT_DIR") != NULL ? 1900 : 860);
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

typedef gboolean (*Condition) (gpointer data);

#define child(widget, type, name) gtk_widget_get_template_child (GTK_WIDGET (widget), type, name)

/* Scrolls every scrolled window of @widget to its end (for screenshots of
 * the bottom of a page). */
static void
scroll_to_end (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_SCROLLED_WINDOW (c) && gtk_widget_get_mapped (c))
        {
          GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (c));
          gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
        }
      scroll_to_end (c);
    }
}

/* Scrolls @widget's scrolled window so that it shows near the top. */
static void
scroll_to_widget (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content;
  graphene_rect_t bounds;

  if (scroller == NULL)
    return;
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  if (content != NULL && gtk_widget_compute_bounds (widget, content, &bounds))
    {
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
      gtk_adjustment_set_value (adj, MAX (0, bounds.origin.y - 120));
    }
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

static gint64
new_case (Fixture   *fixture,
          CtSession *session)
{
  g_autoptr(GError) error = NULL;
  const char *handlers[] = { "zhangwei", "lina", NULL };
  const char *assistants[] = { "chenjing", NULL };
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
    .assistants = assistants,
  };
  gint64 id = ct_store_create_case (fixture->store, session, &spec, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gboolean
view_idle (gpointer data)
{
  CtCaseView *view = data;

  return !ct_case_view_get_busy (view) &&
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

static gboolean
packs_installed (void)
{
  g_autofree char *dir = ct_store_data_path ("rulepacks");
  const char *stack[] = { "national", "001-province", "002-jinpu", NULL };

  for (guint i = 0; stack[i] != NULL; i++)
    {
      g_autofree char *name = g_strconcat (stack[i], ".json", NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return FALSE;
    }
  return TRUE;
}

static CtRequirementRow *
requirement_row (Fixture    *fixture,
                 const char *rule_id)
{
  CtChecklist *checklist = CT_CHECKLIST (child (fixture->view, CT_TYPE_CASE_VIEW, "checklist"));

  return ct_checklist_get_row (checklist, rule_id);
}

/* Whether an action is enabled, as the button bound to it shows. */
static gboolean
action_enabled (GtkWidget  *widget,
                const char *action)
{
  static const struct {
    const char *action;
    const char *button;
  } buttons[] = {
    { "case.advance", "advance_button" },
    { "case.reload", "reload_button" },
    { "editor.save", "save_button" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    if (g_str_equal (buttons[i].action, action))
      {
        GtkWidget *button = GTK_WIDGET (child (widget, G_OBJECT_TYPE (widget), buttons[i].button));

        g_assert_nonnull (button);
        g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, action);
        return gtk_widget_get_sensitive (button);
      }
  g_assert_not_reached ();
}

/* ---- no case shown: the hint says what this person can do --------------------------- */

static void
test_empty_hint (Fixture       *fixture,
                 gconstpointer  user_data)
{
  static const struct {
    const char *username;
    const char *hint;
  } people[] = {
    { "zhangwei", "Choose a case from the list, or open a new one." },
    /* a reviewer opens no cases: their work waits in the review queue */
    { "zhaomin", "Choose a case from the list, or see what waits for you in the Review Queue of the main menu." },
    { "chenjing", "Choose a case from the list." },
  };
  AdwStatusPage *page = ADW_STATUS_PAGE (child (fixture->view, CT_TYPE_CASE_VIEW, "empty_page"));

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autoptr(CtSession) session = login (fixture, people[i].username);

      ct_case_view_set_session (fixture->view, fixture->store, session);
      g_assert_cmpstr (adw_status_page_get_description (page), ==, people[i].hint);
    }
}

/* ---- the rule packs are missing: an error state, not a crash -------------------------- */

static void
set_pack_stack (Fixture    *fixture,
                const char *stack)
{
  g_autofree char *path = g_build_filename (fixture->dir, "casetrail.db", NULL);
  g_autofree char *sql = g_strdup_printf ("UPDATE agency SET rulepacks = '%s' WHERE id = 1", stack);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_packs_missing (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(CtSession) session = login (fixture, "zhangwei");
  gint64 case_id = new_case (fixture, session);
  GtkLabel *label;
  GtkStack *stack;

  set_pack_stack (fixture, "national,not-installed-pack");
  show_case (fixture, session, case_id);

  /* The case itself is shown; its procedure says why it cannot be checked. */
  g_assert_nonnull (ct_case_view_get_case (fixture->view));
  g_assert_null (ct_case_view_get_procedure (fixture->view));
  g_assert_nonnull (ct_case_view_get_procedure_error (fixture->view));
  g_assert_nonnull (strstr (ct_case_view_get_procedure_error (fixture->view), "not-installed-pack"));
  stack = GTK_STACK (child (fixture->view, CT_TYPE_CASE_VIEW, "procedure_stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "error");
  label = GTK_LABEL (child (fixture->view, CT_TYPE_CASE_VIEW, "procedure_error_label"));
  g_assert_cmpstr (gtk_label_get_label (label), ==, ct_case_view_get_procedure_error (fixture->view));
  g_assert_false (action_enabled (GTK_WIDGET (fixture->view), "case.advance"));
  g_assert_true (action_enabled (GTK_WIDGET (fixture->view), "case.reload"));
  ct_ui_screenshot (GTK_WIDGET (fixture->window), "procedure-packs-missing");

  /* Installed again: Try Again shows the checklist. */
  set_pack_stack (fixture, "national,001-province,002-jinpu");
  if (!packs_installed ())
    return;
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.reload", NULL);
  g_assert_true (ct_ui_wait_until (view_idle, fixture->view));
  g_assert_nonnull (ct_case_view_get_procedure (fixture->view));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "ready");
}

/* ---- the walk: checklist, form editor, approval, advancing ---------------------------------- */

static gboolean
editor_ready (gpointer data)
{
  CtCaseView *view = data;
  CtFormEditor *editor = ct_case_view_get_form_editor (view);

  return editor != NULL && ct_form_editor_get_ready (editor);
}

static gboolean
editor_closed (gpointer data)
{
  return ct_case_view_get_form_editor (data) == NULL;
}

static GtkWidget *
field (CtFormEditor *editor,
       const char   *key)
{
  GtkWidget *widget = ct_form_editor_get_widget (editor, key);

  if (widget == NULL)
    g_error ("the form editor has no widget for “%s”", key);
  return widget;
}

static void
set_entry (CtFormEditor *editor,
           const char   *key,
           const char   *text)
{
  GtkWidget *widget = field (editor, key);

  g_assert_true (GTK_IS_EDITABLE (widget));
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static void
set_multiline (CtFormEditor *editor,
               const char   *key,
               const char   *text)
{
  GtkWidget *widget = field (editor, key);

  g_assert_true (GTK_IS_TEXT_VIEW (widget));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), text, -1);
}

static const char *
row_title (GtkWidget *widget)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
}

static guint
choice_position (const CtFormTemplate *tmpl,
                 const char           *field_id,
                 const char           *choice_id)
{
  const CtFieldDef *def = ct_form_template_get_field (tmpl, field_id);

  for (guint i = 0; i < def->choices->len; i++)
    if (g_str_equal (((CtFormChoice *) g_ptr_array_index (def->choices, i))->id, choice_id))
      return i + 1;   /* item 0 is "not chosen" */
  g_assert_not_reached ();
}

static void
fill_filing_form (Fixture *fixture)
{
  CtFormEditor *editor;
  const CtFormTemplate *tmpl;
  g_autoptr(JsonObject) values = NULL;
  GtkWidget *emergency_time;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.open-form", "s", "filing_approval"));
  g_assert_true (ct_ui_wait_until (editor_ready, fixture->view));
  editor = ct_case_view_get_form_editor (fixture->view);
  if (g_getenv ("CASETRAIL_SCREENSHOT_DIR") != NULL)
    gtk_widget_set_size_request (GTK_WIDGET (editor), 680, 1900);
  tmpl = ct_case_procedure_lookup_template (ct_case_view_get_procedure (fixture->view), "filing_approval");
  g_assert_nonnull (tmpl);
  ct_ui_screenshot (GTK_WIDGET (editor), "procedure-form-new");

  /* The party is prefilled from the case. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (editor, "party.name"))), ==, "测试个体户");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (editor, "party.id_number"))), ==, "110101199001011111");
  g_assert_false (gtk_widget_get_visible (field (editor, "party.legal_rep")));

  /* The generated widgets, by field type. */
  g_assert_true (ADW_IS_ENTRY_ROW (field (editor, "cause")));
  g_assert_true (GTK_IS_TEXT_VIEW (field (editor, "case_summary")));
  g_assert_true (ADW_IS_COMBO_ROW (field (editor, "source")));
  g_assert_true (GTK_IS_SWITCH (field (editor, "emergency_start")));
  g_assert_true (ADW_IS_ENTRY_ROW (field (editor, "emergency_started_at")));
  g_assert_true (GTK_IS_CHECK_BUTTON (field (editor, "handlers.zhangwei")));
  g_assert_true (GTK_IS_CHECK_BUTTON (field (editor, "handlers.chenjing")));
  g_assert_true (GTK_IS_BUTTON (field (editor, "handler_signatures")));

  /* Required fields are marked; required_when follows the switch live. */
  g_assert_true (g_str_has_suffix (row_title (field (editor, "cause")), "*"));
  g_assert_false (g_str_has_suffix (row_title (field (editor, "emergency_started_at")), "*"));
  gtk_switch_set_active (GTK_SWITCH (field (editor, "emergency_start")), TRUE);
  emergency_time = field (editor, "emergency_started_at");
  g_assert_true (g_str_has_suffix (row_title (emergency_time), "*"));

  /* A malformed date-time: shown at the field, and Save refuses it. */
  gtk_editable_set_text (GTK_EDITABLE (emergency_time), "昨天下午");
  g_assert_nonnull (ct_form_editor_get_problem (editor, "emergency_started_at"));
  g_assert_true (gtk_widget_has_css_class (emergency_time, "error"));
  g_assert_false (action_enabled (GTK_WIDGET (editor), "editor.save"));
  ct_ui_screenshot (GTK_WIDGET (editor), "procedure-form-invalid");

  /* A proper one, then back to the ordinary case. */
  gtk_editable_set_text (GTK_EDITABLE (emergency_time), "2026-03-02 09:30");
  g_assert_null (ct_form_editor_get_problem (editor, "emergency_started_at"));
  g_assert_true (action_enabled (GTK_WIDGET (editor), "editor.save"));
  values = ct_form_editor_collect (editor);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (values, "emergency_started_at"), "2026-03-02T09:30:00"));
  g_clear_pointer (&values, json_object_unref);
  gtk_editable_set_text (GTK_EDITABLE (emergency_time), "");
  gtk_switch_set_active (GTK_SWITCH (field (editor, "emergency_start")), FALSE);
  g_assert_false (g_str_has_suffix (row_title (emergency_time), "*"));

  /* Fill in the rest. */
  set_entry (editor, "cause", "涉嫌无照经营");
  set_entry (editor, "place", "示例市北城区测试路 9 号");
  adw_combo_row_set_selected (ADW_COMBO_ROW (field (editor, "source")),
                              choice_position (tmpl, "source", "inspection"));
  set_multiline (editor, "case_summary", "日常检查发现当事人未取得营业执照从事经营活动。");
  set_multiline (editor, "filing_reason", "有违法事实，依法应当给予行政处罚，属于本机关管辖。");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (field (editor, "handlers.zhangwei")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (field (editor, "handlers.lina")), TRUE);
  set_multiline (editor, "handler_opinion", "建议立案调查。");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.sign", "s", "handler_signatures"));

  values = ct_form_editor_collect (editor);
  g_assert_true (ct_form_is_complete (tmpl, values));
  g_assert_cmpstr (json_object_get_string_member (values, "source"), ==, "inspection");
  g_assert_false (json_object_get_boolean_member (values, "emergency_start"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (values, "party"), "name"), ==,
                   "测试个体户");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (values, "handlers")), ==, 2);
  {
    JsonArray *sigs = json_object_get_array_member (values, "handler_signatures");
    JsonObject *sig = json_array_get_object_element (sigs, 0);
    g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (json_object_get_string_member (sig, "signed_at"), NULL);

    g_assert_cmpuint (json_array_get_length (sigs), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (sig, "signer"), ==, "zhangwei");
    g_assert_nonnull (at);
  }
  ct_ui_screenshot (GTK_WIDGET (editor), "procedure-form-filled");
  if (g_getenv ("CASETRAIL_SCREENSHOT_DIR") != NULL)
    {
      scroll_to_end (GTK_WIDGET (editor));
      ct_ui_screenshot (GTK_WIDGET (editor), "procedure-form-filled-end");
    }

  /* Save runs on a worker thread; the editor closes itself. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_true (ct_ui_wait_until (editor_closed, fixture->view));
  g_assert_true (ct_ui_wait_until (view_idle, fixture->view));
}

static gboolean
message_dialog_open (gpointer data)
{
  AdwMessageDialog **out = data;
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      {
        *out = l->data;
        return TRUE;
      }
  return FALSE;
}

static void
respond (const char *response)
{
  AdwMessageDialog *dialog = NULL;

  g_assert_true (ct_ui_wait_until (message_dialog_open, &dialog));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_walk (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(CtSession) handler = login (fixture, "zhangwei");
  g_autoptr(CtSession) supervisor = login (fixture, "sunqiang");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(CtCase) c = NULL;
  g_autofree char *id = NULL;
  gint64 case_id = new_case (fixture, handler);
  CtStageStepper *stepper;
  CtCaseProcedure *proc;
  CtRequirementRow *row;
  GPtrArray *approvals;

  show_case (fixture, handler, case_id);
  if (ct_case_view_get_procedure (fixture->view) == NULL)
    {
      /* Without rule packs, only the error state can be checked. */
      g_assert_false (packs_installed ());
      g_test_skip ("The rule packs national, 001-province and 002-jinpu are not installed in "
                   "data/rulepacks: the checklist and advancing need them.");
      return;
    }
  proc = ct_case_view_get_procedure (fixture->view);

  /* The stepper: every stage of the general procedure, filing current. */
  stepper = CT_STAGE_STEPPER (child (fixture->view, CT_TYPE_CASE_VIEW, "stepper"));
  g_assert_cmpuint (ct_stage_stepper_get_n_steps (stepper), ==, ct_case_procedure_get_stages (proc)->len);
  g_assert_true (gtk_widget_has_css_class (ct_stage_stepper_get_step (stepper, "filing"), "current"));
  g_assert_true (gtk_widget_has_css_class (ct_stage_stepper_get_step (stepper, "filing"), "shown"));
  g_assert_true (gtk_widget_has_css_class (ct_stage_stepper_get_step (stepper, "investigation"), "upcoming"));
  /* Hearing applies only when one is requested. */
  g_assert_true (gtk_widget_has_css_class (ct_stage_stepper_get_step (stepper, "hearing"), "skipped"));

  /* The checklist: the filing form is missing and blocks, and says why. */
  row = requirement_row (fixture, "national.general.filing.filing-form");
  g_assert_nonnull (row);
  g_assert_cmpint (ct_requirement_row_get_state (row), ==, CT_REQ_MISSING);
  g_assert_true (ct_requirement_row_get_blocking (row));
  g_assert_nonnull (strstr (ct_requirement_row_get_citation (row), "第"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (child (row, CT_TYPE_REQUIREMENT_ROW, "reason_label"))));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (child (row, CT_TYPE_REQUIREMENT_ROW, "citation_label"))),
                            "第五十四条"));
  row = requirement_row (fixture, "002.general.filing.approval");
  g_assert_nonnull (row);
  g_assert_true (ct_requirement_row_get_blocking (row));
  g_assert_cmpuint (ct_case_procedure_count_blocking (proc), >=, 2);

  /* Advancing is refused, with the reason. */
  g_assert_false (action_enabled (GTK_WIDGET (fixture->view), "case.advance"));
  {
    /* It says how many requirements block (in any language). */
    g_autofree char *count = g_strdup_printf ("%u", ct_case_procedure_count_blocking (proc));
    g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (fixture->view, CT_TYPE_CASE_VIEW, "advance_row"))),
                              count));
  }
  /* The handler does not handle approvals of their own case. */
  g_assert_cmpuint (ct_case_view_get_n_approvals_to_sign (fixture->view), ==, 0);
  /* The not-filed branch is offered, but not yet available. */
  g_assert_nonnull (gtk_widget_get_first_child (GTK_WIDGET (child (fixture->view, CT_TYPE_CASE_VIEW, "branch_box"))));
  g_assert_false (gtk_widget_get_sensitive (gtk_widget_get_first_child (GTK_WIDGET (child (fixture->view, CT_TYPE_CASE_VIEW, "branch_box")))));
  ct_ui_screenshot (GTK_WIDGET (fixture->window), "procedure-filing-blocked");

  /* The filing form, through the generated widgets. */
  fill_filing_form (fixture);
  proc = ct_case_view_get_procedure (fixture->view);
  g_assert_nonnull (proc);
  row = requirement_row (fixture, "national.general.filing.filing-form");
  g_assert_cmpint (ct_requirement_row_get_state (row), ==, CT_REQ_SATISFIED);
  g_assert_true (ct_case_procedure_lookup_form (proc, "filing_approval")->complete);
  saved = ct_store_get_form (fixture->store, case_id, "filing_approval", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (saved, "cause"), ==, "涉嫌无照经营");

  /* Saved values load back into the widgets. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.open-form", "s", "filing_approval"));
  g_assert_true (ct_ui_wait_until (editor_ready, fixture->view));
  {
    CtFormEditor *editor = ct_case_view_get_form_editor (fixture->view);
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (field (editor, "case_summary")));
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (editor, "cause"))), ==, "涉嫌无照经营");
    g_assert_cmpstr (text, ==, "日常检查发现当事人未取得营业执照从事经营活动。");
    g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (field (editor, "handlers.lina"))));
    g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (field (editor, "handlers.chenjing"))));
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (field (editor, "source"))), ==,
                      choice_position (ct_case_procedure_lookup_template (proc, "filing_approval"), "source", "inspection"));
    g_assert_false (gtk_widget_get_visible (field (editor, "handler_signatures")));  /* signed already */
    gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL);
    g_assert_true (ct_ui_wait_until (editor_closed, fixture->view));
  }

  /* Still blocked: the head's approval. */
  row = requirement_row (fixture, "002.general.filing.approval");
  g_assert_true (ct_requirement_row_get_blocking (row));
  g_assert_false (action_enabled (GTK_WIDGET (fixture->view), "case.advance"));

  /* Case facts come from the packs; stating one changes the stages. */
  {
    GPtrArray *flags = ct_case_procedure_get_flags (proc);
    gboolean complex = FALSE, hearing = FALSE;

    for (guint i = 0; i < flags->len; i++)
      {
        const CtFlagInfo *flag = g_ptr_array_index (flags, i);
        complex |= g_str_equal (flag->name, "complex") && flag->kind == CT_FLAG_BOOLEAN;
        hearing |= g_str_equal (flag->name, "hearing_requested") && flag->kind == CT_FLAG_BOOLEAN;
      }
    g_assert_true (complex);
    g_assert_true (hearing);
  }
  g_assert_true (gtk_widget_has_css_class (ct_stage_stepper_get_step (stepper, "collective_discussion"), "skipped"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.set-flag", "(ss)", "complex", "true"));
  g_assert_true (ct_ui_wait_until (view_idle, fixture->view));
  g_assert_true (gtk_widget_has_css_class (ct_stage_stepper_get_step (stepper, "collective_discussion"), "upcoming"));

  /* Another stage's checklist, from the stepper. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.show-stage", "s", "decision"));
  g_assert_true (ct_ui_wait_until (view_idle, fixture->view));
  proc = ct_case_view_get_procedure (fixture->view);
  g_assert_cmpstr (ct_case_procedure_get_shown_stage (proc), ==, "decision");
  g_assert_true (gtk_widget_has_css_class (ct_stage_stepper_get_step (stepper, "decision"), "shown"));
  g_assert_nonnull (requirement_row (fixture, "national.general.decision.approval-form"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (child (fixture->view, CT_TYPE_CASE_VIEW, "show_current_button"))));
  g_assert_false (action_enabled (GTK_WIDGET (fixture->view), "case.advance"));
  ct_ui_screenshot (GTK_WIDGET (fixture->window), "procedure-other-stage");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.show-current-stage", NULL));
  g_assert_true (ct_ui_wait_until (view_idle, fixture->view));
  g_assert_cmpstr (ct_case_procedure_get_shown_stage (ct_case_view_get_procedure (fixture->view)), ==, "filing");

  /* The supervisor, who does not handle the case, signs the filing. */
  show_case (fixture, supervisor, case_id);
  g_assert_cmpuint (ct_case_view_get_n_approvals_to_sign (fixture->view), ==, 1);
  g_assert_false (action_enabled (GTK_WIDGET (fixture->view), "case.advance"));
  ct_ui_screenshot (GTK_WIDGET (fixture->window), "procedure-supervisor");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.approve", "(ss)", "filing", "supervisor"));
  respond ("sign");
  g_assert_true (ct_ui_wait_until (view_idle, fixture->view));
  approvals = ct_case_procedure_get_approvals (ct_case_view_get_procedure (fixture->view));
  g_assert_cmpuint (approvals->len, ==, 1);
  g_assert_true (((CtApproval *) g_ptr_array_index (approvals, 0))->valid);
  g_assert_cmpstr (((CtApproval *) g_ptr_array_index (approvals, 0))->subject, ==, "filing");
  g_assert_cmpuint (ct_case_view_get_n_approvals_to_sign (fixture->view), ==, 0);

  /* The handler may advance the case now… */
  show_case (fixture, handler, case_id);
  g_assert_cmpint (ct_case_procedure_count_blocking (ct_case_view_get_procedure (fixture->view)), ==, 0);
  g_assert_true (action_enabled (GTK_WIDGET (fixture->view), "case.advance"));
  ct_ui_screenshot (GTK_WIDGET (fixture->window), "procedure-filing-ready");

  /* …but meanwhile someone changes the signed form, which voids the
   * approval: the core refuses, and its message (with the citation) shows. */
  {
    g_autoptr(JsonObject) changed = ct_store_get_form (fixture->store, case_id, "filing_approval", &error);
    GtkLabel *message = GTK_LABEL (child (fixture->view, CT_TYPE_CASE_VIEW, "advance_error"));
    g_autoptr(GError) expected = NULL;

    g_assert_no_error (error);
    json_object_set_string_member (changed, "handler_opinion", "建议立案调查（补充）。");
    g_assert_true (ct_store_save_form (fixture->store, handler, case_id, "filing_approval", changed, &error));
    g_assert_no_error (error);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.advance", NULL));
    g_assert_true (ct_ui_wait_until (view_idle, fixture->view));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (message)));
    g_assert_null (ct_store_advance_case (fixture->store, handler, case_id, NULL, &expected));
    g_assert_error (expected, CT_ERROR, CT_ERROR_BLOCKED);
    g_assert_cmpstr (gtk_label_get_label (message), ==, expected->message);
    g_assert_nonnull (strstr (gtk_label_get_label (message), "第六条"));
    g_assert_false (action_enabled (GTK_WIDGET (fixture->view), "case.advance"));
    ct_ui_screenshot (GTK_WIDGET (fixture->window), "procedure-advance-refused");

    /* Signed again over the changed form. */
    g_assert_cmpint (ct_store_approve_as (fixture->store, supervisor, case_id, "filing", CT_ROLE_SUPERVISOR, &error), >, 0);
    g_assert_no_error (error);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.reload", NULL));
    g_assert_true (ct_ui_wait_until (view_idle, fixture->view));
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (message)));
    g_assert_true (action_enabled (GTK_WIDGET (fixture->view), "case.advance"));
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.advance", NULL));
  g_assert_true (ct_ui_wait_until (view_idle, fixture->view));

  id = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  c = ct_store_get_case (fixture->store, handler, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->stage, ==, "investigation");
  g_assert_cmpstr (ct_case_view_get_case (fixture->view)->stage, ==, "investigation");
  proc = ct_case_view_get_procedure (fixture->view);
  g_assert_cmpstr (ct_case_procedure_get_current_stage (proc), ==, "investigation");
  g_assert_true (gtk_widget_has_css_class (ct_stage_stepper_get_step (stepper, "filing"), "done"));
  g_assert_true (gtk_widget_has_css_class (ct_stage_stepper_get_step (stepper, "investigation"), "current"));
  /* The next stage blocks on its own rules. */
  g_assert_nonnull (requirement_row (fixture, "national.general.investigation.final-report"));
  g_assert_false (action_enabled (GTK_WIDGET (fixture->view), "case.advance"));
  ct_ui_screenshot (GTK_WIDGET (fixture->window), "procedure-investigation");

  /* The details page keeps the case's record, with the moves in its timeline. */
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (child (fixture->view, CT_TYPE_CASE_VIEW, "view_stack")), "details");
  ct_ui_screenshot (GTK_WIDGET (fixture->window), "procedure-details");
}

/* ---- the whole walk: a general-procedure penalty case from filing to archive ----------------- */

/* The answers that route the case (as tests/test-walk.py gives them): a
 * penalty, no hearing, the legal review passed, no collective discussion,
 * direct service.  A choice id, or "true" / "false" for a switch. */
static const struct {
  const char *form;
  const char *field;
  const char *value;
} walk_answers[] = {
  { "filing_approval", "emergency_start", "false" },
  { "investigation_final_report", "proposed_outcome", "penalty" },
  { "prior_notice", "hearing_eligible", "false" },
  { "legal_review_opinion", "opinion", "pass" },
  { "decision_approval", "outcome", "penalty" },
  { "decision_approval", "collective_discussion_needed", "false" },
  { "decision_approval", "major_decision", "false" },
  { "service_receipt", "method", "direct" },
};

/* The officers of the case the walk fills its forms as (new_case()). */
static const char *walk_officers[] = { "zhangwei", "lina" };

/* A click on @button (gtk_widget_activate() would only click it after a
 * visual-feedback timeout). */
static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static const char *
walk_answer (const char *form,
             const char *field_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (walk_answers); i++)
    if (g_str_equal (walk_answers[i].form, form) && g_str_equal (walk_answers[i].field, field_id))
      return walk_answers[i].value;
  return NULL;
}

/* Whether a field is required given @values (its required_when follows them). */
static gboolean
walk_required_now (const CtFieldDef *def,
                   JsonObject       *values)
{
  JsonNode *node;
  const char *value;

  if (def->required)
    return TRUE;
  if (def->required_when_field == NULL || values == NULL)
    return FALSE;
  node = json_object_get_member (values, def->required_when_field);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    value = json_node_get_boolean (node) ? "true" : "false";
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    value = json_node_get_string (node);
  else
    return FALSE;
  return def->required_when_equals != NULL && g_strv_contains ((const char * const *) def->required_when_equals, value);
}

static guint
walk_count (JsonObject *values,
            const char *field_id)
{
  JsonNode *node = json_object_get_member (values, field_id);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_array_get_length (json_node_get_array (node)) : 0;
}

/* What the form editor cannot enter, saved through the core and merged into
 * what the form holds; the editor keeps both as loaded, so the widgets' Save
 * later keeps them:
 *
 * - clips: the editor cannot attach media yet (that is the player's job);
 *   the clip is of a recording imported into the case's evidence store;
 * Signature fields that need two or more signers (the handlers' signatures
 * of 案件调查终结报告) are signed in the editor, each officer in their own
 * session: the form saves as incomplete after the first signature
 * (walk_second_signer). */
/* The case's body-worn-camera recording: a short WAV of its own content,
 * imported once into the evidence store; its SHA-256. */
static char *
walk_case_media (Fixture   *fixture,
                 CtSession *session,
                 gint64     case_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtMediaImport) imp = NULL;
  g_autofree char *name = g_strdup_printf ("case-%" G_GINT64_FORMAT ".wav", case_id);
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  CtMediaSpec spec = { .case_ref = ref, .device = "DSJ-T1" };
  g_autoptr(GPtrArray) existing = ct_store_list_media (fixture->store, case_id, &error);
  guint8 header[44] = { 'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' ',
                        16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0,
                        'd', 'a', 't', 'a', 0, 0, 0, 0 };
  const guint32 data_len = 8000 * 2 * 2;
  g_autofree guint8 *bytes = g_malloc (sizeof header + data_len);

  g_assert_no_error (error);
  if (existing->len > 0)
    return g_strdup (((CtMedia *) existing->pdata[0])->sha256);
  header[4] = (36 + data_len) & 0xff; header[5] = ((36 + data_len) >> 8) & 0xff;
  header[40] = data_len & 0xff; header[41] = (data_len >> 8) & 0xff;
  memcpy (bytes, header, sizeof header);
  memset (bytes + sizeof header, (int) (case_id & 0x7f), data_len);
  g_assert_true (g_file_set_contents (path, (const char *) bytes, sizeof header + data_len, &error));
  imp = ct_store_import_media (fixture->store, session, path, &spec, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (imp->media->sha256);
}

static void
walk_save_core_only (Fixture              *fixture,
                 CtSession            *session,
                 gint64                case_id,
                 const CtFormTemplate *tmpl,
                 gboolean              all_clips)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) values = ct_store_get_form (fixture->store, case_id, tmpl->id, &error);
  gboolean changed = FALSE;

  if (values == NULL)
    {
      g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
      g_clear_error (&error);
      values = json_object_new ();
    }
  for (guint i = 0; i < tmpl->fields->len; i++)
    {
      const CtFieldDef *def = g_ptr_array_index (tmpl->fields, i);
      const char *answer = walk_answer (tmpl->id, def->required_when_field != NULL ? def->required_when_field : "");
      g_autoptr(JsonObject) routed = json_object_new ();
      JsonObject *clip;

      if (def->type != CT_FIELD_CLIP || json_object_has_member (values, def->id))
        continue;
      /* Required by an answer the widgets give later (e.g. a service method). */
      if (answer != NULL)
        json_object_set_string_member (routed, def->required_when_field, answer);
      if (!all_clips && !walk_required_now (def, values) && !walk_required_now (def, routed))
        continue;
      clip = json_object_new ();
      {
        g_autofree char *sha256 = walk_case_media (fixture, session, case_id);
        json_object_set_string_member (clip, "media", sha256);
      }
      json_object_set_int_member (clip, "start_ms", 0);
      json_object_set_int_member (clip, "end_ms", 1500);
      json_object_set_object_member (values, def->id, clip);
      g_test_message ("through the core: %s.%s (clip)", tmpl->id, def->id);
      changed = TRUE;
    }
  if (changed)
    {
      g_assert_true (ct_store_save_form (fixture->store, session, case_id, tmpl->id, values, &error));
      g_assert_no_error (error);
    }
}

/* Fills in what @tmpl requires (and the routing answers) through the
 * editor's generated widgets, and signs its signature fields as the
 * editor's user. */
static void
walk_fill_widgets (CtFormEditor         *editor,
                   const CtFormTemplate *tmpl)
{
  /* Twice: an answer of the first pass can make more fields required. */
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(JsonObject) values = ct_form_editor_collect (editor);

      for (guint i = 0; i < tmpl->fields->len; i++)
        {
          const CtFieldDef *def = g_ptr_array_index (tmpl->fields, i);
          const char *answer = walk_answer (tmpl->id, def->id);
          gboolean missing = !json_object_has_member (values, def->id);
          g_autofree char *text = NULL;

          if (answer == NULL && !walk_required_now (def, values))
            continue;

          switch (def->type)
            {
            case CT_FIELD_TEXT:
              if (missing)
                {
                  text = g_strdup_printf ("%s（测试）", def->label);
                  set_entry (editor, def->id, text);
                }
              break;
            case CT_FIELD_MULTILINE:
              if (missing)
                {
                  text = g_strdup_printf ("%s：经查属实。", def->label);
                  set_multiline (editor, def->id, text);
                }
              break;
            case CT_FIELD_DATE:
              if (missing)
                set_entry (editor, def->id, "2026-03-02");
              break;
            case CT_FIELD_DATETIME:
              if (missing)
                set_entry (editor, def->id, "2026-03-02 09:30");
              break;
            case CT_FIELD_MONEY:
              if (missing)
                set_entry (editor, def->id, "3000.00");
              break;
            case CT_FIELD_NUMBER:
              if (missing)
                set_entry (editor, def->id, "1");
              break;
            case CT_FIELD_BOOLEAN:
              /* A switch always has a value; required yes/no questions are
               * answered yes unless the walk routes them (as test-walk.py). */
              g_assert_true (GTK_IS_SWITCH (field (editor, def->id)));
              gtk_switch_set_active (GTK_SWITCH (field (editor, def->id)),
                                     answer != NULL ? g_str_equal (answer, "true") : TRUE);
              break;
            case CT_FIELD_CHOICE:
              g_assert_true (ADW_IS_COMBO_ROW (field (editor, def->id)));
              if (answer != NULL)
                adw_combo_row_set_selected (ADW_COMBO_ROW (field (editor, def->id)),
                                            choice_position (tmpl, def->id, answer));
              else if (missing)
                adw_combo_row_set_selected (ADW_COMBO_ROW (field (editor, def->id)), 1);
              break;
            case CT_FIELD_OFFICERS:
              for (guint k = 0; k < G_N_ELEMENTS (walk_officers); k++)
                {
                  g_autofree char *key = g_strdup_printf ("%s.%s", def->id, walk_officers[k]);
                  GtkWidget *check = field (editor, key);

                  g_assert_true (GTK_IS_CHECK_BUTTON (check));
                  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
                }
              break;
            case CT_FIELD_PARTY:
              if (missing)
                {
                  g_autofree char *key = g_strdup_printf ("%s.name", def->id);
                  set_entry (editor, key, "测试个体户");
                }
              break;
            case CT_FIELD_SIGNATURE:
              {
                GtkWidget *sign = field (editor, def->id);

                /* The Sign button shows while the user has not signed. */
                if (walk_count (values, def->id) < MAX (def->min_count, 1) && gtk_widget_get_visible (sign))
                  {
                    g_assert_true (GTK_IS_BUTTON (sign));
                    click (sign);
                    g_clear_pointer (&values, json_object_unref);
                    values = ct_form_editor_collect (editor);
                  }
              }
              break;
            case CT_FIELD_CLIP:
              /* Saved through the core beforehand (walk_save_core_only). */
              break;
            default:
              g_assert_not_reached ();
            }
        }
    }
}

static gboolean
editor_done (gpointer data)
{
  CtFormEditor *editor = ct_case_view_get_form_editor (data);
  GtkRevealer *revealer;

  if (editor == NULL)
    return TRUE;
  revealer = GTK_REVEALER (child (editor, CT_TYPE_FORM_EDITOR, "error_revealer"));
  return gtk_revealer_get_reveal_child (revealer) && action_enabled (GTK_WIDGET (editor), "editor.save");
}

/* Opens form @form_id from its requirement row's button when the checklist
 * shows one (else by the view's action, as the forms list does). */
static CtFormEditor *
walk_open_form (Fixture    *fixture,
                const char *rule_id,
                const char *form_id)
{
  CtRequirementRow *row = rule_id != NULL ? requirement_row (fixture, rule_id) : NULL;
  GtkWidget *button = row != NULL ? GTK_WIDGET (child (row, CT_TYPE_REQUIREMENT_ROW, "form_button")) : NULL;
  CtFormEditor *editor;

  if (button != NULL && gtk_widget_get_visible (button) && gtk_widget_is_sensitive (button))
    click (button);
  else
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.open-form", "s", form_id));
  g_assert_true (ct_ui_wait_until (editor_ready, fixture->view));
  editor = ct_case_view_get_form_editor (fixture->view);
  g_assert_cmpstr (ct_form_editor_get_template_id (editor), ==, form_id);
  return editor;
}

/* Clicks the editor's Save button; the editor closes once it is written. */
static void
walk_save (Fixture      *fixture,
           CtFormEditor *editor)
{
  GtkWidget *save = GTK_WIDGET (child (editor, CT_TYPE_FORM_EDITOR, "save_button"));

  if (!gtk_widget_is_sensitive (save))
    {
      g_autoptr(JsonObject) values = ct_form_editor_collect (editor);
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), values);

      const CtFormTemplate *tmpl =
        ct_case_procedure_lookup_template (ct_case_view_get_procedure (fixture->view),
                                           ct_form_editor_get_template_id (editor));
      g_autoptr(GString) problems = g_string_new (NULL);

      for (guint i = 0; tmpl != NULL && i < tmpl->fields->len; i++)
        {
          const CtFieldDef *def = g_ptr_array_index (tmpl->fields, i);
          const char *problem = ct_form_editor_get_problem (editor, def->id);

          if (problem != NULL)
            g_string_append_printf (problems, " %s: %s;", def->id, problem);
        }
      json_generator_set_root (gen, root);
      g_error ("cannot save “%s”:%s %s", ct_form_editor_get_template_id (editor), problems->str,
               json_generator_to_data (gen, NULL));
    }
  click (save);
  g_assert_true (ct_ui_wait_until (editor_done, fixture->view));
  if (ct_case_view_get_form_editor (fixture->view) != NULL)
    g_error ("saving “%s” failed: %s", ct_form_editor_get_template_id (editor),
             gtk_label_get_label (GTK_LABEL (child (editor, CT_TYPE_FORM_EDITOR, "error_label"))));
  g_assert_true (ct_ui_wait_until (view_idle, fixture->view));
}

static gboolean
walk_form_complete (Fixture    *fixture,
                    const char *form_id)
{
  const CtFormInfo *info = ct_case_procedure_lookup_form (ct_case_view_get_procedure (fixture->view), form_id);

  return info != NULL && info->complete;
}

/* The button of an approval row that signs @subject as @role. */
static GtkWidget *
find_approve_button (GtkWidget  *widget,
                     const char *subject,
                     CtRole      role)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (c)), "case.approve") == 0)
        {
          GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (c));
          const char *t_subject, *t_role;

          g_variant_get (target, "(&s&s)", &t_subject, &t_role);
          if (g_str_equal (t_subject, subject) && g_str_equal (t_role, ct_role_to_id (role)))
            return c;
        }
      if ((found = find_approve_button (c, subject, role)) != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  char       *rule_id;
  CtRuleKind  kind;
  char       *form;
  char       *subject;
  CtRole      role;
} WalkNeed;

static void
walk_need_free (gpointer data)
{
  WalkNeed *need = data;

  g_free (need->rule_id);
  g_free (need->form);
  g_free (need->subject);
  g_free (need);
}

/* What blocks the shown stage, as its checklist rows show it. */
static GPtrArray *
walk_blocking (Fixture *fixture)
{
  CtCaseProcedure *proc = ct_case_view_get_procedure (fixture->view);
  GPtrArray *reqs = ct_case_procedure_get_requirements (proc);
  GPtrArray *out = g_ptr_array_new_with_free_func (walk_need_free);

  for (guint i = 0; i < reqs->len; i++)
    {
      const CtRequirementInfo *req = g_ptr_array_index (reqs, i);
      CtRequirementRow *row;
      WalkNeed *need;

      if (req->state != CT_REQ_MISSING || req->severity != CT_SEVERITY_BLOCK)
        continue;
      row = requirement_row (fixture, req->rule_id);
      g_assert_nonnull (row);
      g_assert_true (ct_requirement_row_get_blocking (row));
      g_assert_cmpint (ct_requirement_row_get_state (row), ==, CT_REQ_MISSING);
      need = g_new0 (WalkNeed, 1);
      need->rule_id = g_strdup (req->rule_id);
      need->kind = req->kind;
      need->form = g_strdup (req->form);
      need->subject = g_strdup (req->subject);
      need->role = req->role;
      g_ptr_array_add (out, need);
    }
  g_assert_cmpuint (out->len, ==, ct_case_procedure_count_blocking (proc));
  return out;
}

static char *
walk_describe_blocking (Fixture *fixture)
{
  GPtrArray *reqs = ct_case_procedure_get_requirements (ct_case_view_get_procedure (fixture->view));
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < reqs->len; i++)
    {
      const CtRequirementInfo *req = g_ptr_array_index (reqs, i);

      if (req->state == CT_REQ_MISSING && req->severity == CT_SEVERITY_BLOCK)
        g_string_append_printf (text, "%s%s: %s", text->len > 0 ? "; " : "", req->rule_id, req->reason);
    }
  return g_string_free (text, FALSE);
}

/* A signature field that needs more signers than the first officer: the
 * second officer of the case opens the form in their own session, signs
 * with the editor's Sign button and saves; then the handler's view again. */
static void
walk_second_signer (Fixture              *fixture,
                    CtSession            *second,
                    CtSession            *handler,
                    gint64                case_id,
                    const char           *rule_id,
                    const CtFormTemplate *tmpl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) saved = ct_store_get_form (fixture->store, case_id, tmpl->id, &error);
  gboolean needed = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < tmpl->fields->len; i++)
    {
      const CtFieldDef *def = g_ptr_array_index (tmpl->fields, i);
      if (def->type == CT_FIELD_SIGNATURE && walk_required_now (def, saved) &&
          walk_count (saved, def->id) < def->min_count)
        needed = TRUE;
    }
  if (!needed)
    return;

  g_assert_false (walk_form_complete (fixture, tmpl->id));   /* half-signed: saved, not complete */
  show_case (fixture, second, case_id);
  {
    CtFormEditor *editor = walk_open_form (fixture, rule_id, tmpl->id);
    for (guint i = 0; i < tmpl->fields->len; i++)
      {
        const CtFieldDef *def = g_ptr_array_index (tmpl->fields, i);
        GtkWidget *sign;
        if (def->type != CT_FIELD_SIGNATURE || def->min_count < 2)
          continue;
        sign = field (editor, def->id);
        g_assert_true (GTK_IS_BUTTON (sign));
        g_assert_true (gtk_widget_get_visible (sign));   /* lina has not signed yet */
        click (sign);
      }
    walk_save (fixture, editor);
    g_test_message ("%s: second officer signed in her own session", tmpl->id);
  }
  g_assert_true (walk_form_complete (fixture, tmpl->id));
  show_case (fixture, handler, case_id);
}

static void
test_walk_to_archive (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(CtSession) handler = login (fixture, "zhangwei");
  g_autoptr(CtSession) supervisor = login (fixture, "sunqiang");
  g_autoptr(CtSession) reviewer = login (fixture, "zhaomin");
  g_autoptr(CtSession) second = login (fixture, "lina");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(CtCase) c = NULL;
  g_autofree char *id = NULL;
  gint64 case_id = new_case (fixture, handler);
  CtStageStepper *stepper = CT_STAGE_STEPPER (child (fixture->view, CT_TYPE_CASE_VIEW, "stepper"));
  GtkWidget *advance = GTK_WIDGET (child (fixture->view, CT_TYPE_CASE_VIEW, "advance_button"));
  gboolean archived = FALSE;

  show_case (fixture, handler, case_id);
  if (ct_case_view_get_procedure (fixture->view) == NULL)
    {
      g_assert_false (packs_installed ());
      g_test_skip ("The rule packs national, 001-province and 002-jinpu are not installed in data/rulepacks.");
      return;
    }

  for (guint step = 0; step < 30 && !archived; step++)
    {
      CtCaseProcedure *proc = ct_case_view_get_procedure (fixture->view);
      g_autofree char *stage = g_strdup (ct_case_procedure_get_current_stage (proc));

      g_assert_true (ct_case_procedure_is_showing_current (proc));
      g_assert_cmpstr (ct_case_view_get_case (fixture->view)->stage, ==, stage);
      g_assert_true (gtk_widget_has_css_class (ct_stage_stepper_get_step (stepper, stage), "current"));
      g_string_append_printf (path, "%s%s", path->len > 0 ? " → " : "", stage);
      if (g_str_equal (stage, "archived"))
        {
          archived = TRUE;
          break;
        }

      /* What one answer makes applicable (the decision document once the
       * decision is known) shows on the next reading of the checklist. */
      for (guint round = 0; round < 4 && ct_case_procedure_count_blocking (ct_case_view_get_procedure (fixture->view)) > 0; round++)
        {
          g_autoptr(GPtrArray) needs = walk_blocking (fixture);

          /* While anything blocks, the advance button is insensitive. */
          g_assert_false (action_enabled (GTK_WIDGET (fixture->view), "case.advance"));

          for (guint i = 0; i < needs->len; i++)
            {
              WalkNeed *need = g_ptr_array_index (needs, i);
              CtRequirementRow *row = requirement_row (fixture, need->rule_id);

              /* Met already by what an earlier one of this round filled in. */
              if (row != NULL && ct_requirement_row_get_state (row) != CT_REQ_MISSING)
                continue;

              switch (need->kind)
                {
                case CT_RULE_FORM:
                case CT_RULE_FIELD:
                case CT_RULE_AV_RECORD:
                  {
                    const CtFormTemplate *tmpl =
                      ct_case_procedure_lookup_template (ct_case_view_get_procedure (fixture->view), need->form);

                    g_assert_nonnull (tmpl);
                    walk_save_core_only (fixture, handler, case_id, tmpl, need->kind == CT_RULE_AV_RECORD);
                    show_case (fixture, handler, case_id);
                    {
                      CtFormEditor *editor = walk_open_form (fixture, need->rule_id, need->form);

                      walk_fill_widgets (editor, tmpl);
                      walk_save (fixture, editor);
                      g_test_message ("%s: %s filled and saved in the form editor", stage, need->form);
                    }
                    walk_second_signer (fixture, second, handler, case_id, need->rule_id, tmpl);
                    g_assert_true (walk_form_complete (fixture, need->form));
                  }
                  break;

                case CT_RULE_APPROVAL:
                  {
                    GtkWidget *button;
                    GPtrArray *approvals;
                    gboolean signed_ = FALSE;

                    /* The approver, who does not handle the case, signs in the approval row. */
                    g_assert_true (need->role == CT_ROLE_SUPERVISOR || need->role == CT_ROLE_LEGAL_REVIEWER);
                    show_case (fixture, need->role == CT_ROLE_LEGAL_REVIEWER ? reviewer : supervisor, case_id);
                    g_assert_cmpuint (ct_case_view_get_n_approvals_to_sign (fixture->view), >=, 1);
                    button = find_approve_button (GTK_WIDGET (fixture->view), need->subject, need->role);
                    g_assert_nonnull (button);
                    g_assert_true (gtk_widget_is_sensitive (button));
                    click (button);
                    respond ("sign");
                    g_assert_true (ct_ui_wait_until (view_idle, fixture->view));
                    approvals = ct_case_procedure_get_approvals (ct_case_view_get_procedure (fixture->view));
                    for (guint k = 0; k < approvals->len; k++)
                      {
                        const CtApproval *a = g_ptr_array_index (approvals, k);
                        signed_ |= a->valid && g_strcmp0 (a->subject, need->subject) == 0;
                      }
                    g_assert_true (signed_);
                    g_test_message ("%s: %s signed as %s in its approval row", stage, need->subject,
                                    ct_role_to_id (need->role));
                    show_case (fixture, handler, case_id);
                  }
                  break;

                default:
                  {
                    g_autofree char *why = walk_describe_blocking (fixture);
                    g_error ("stage %s: the walk cannot satisfy %s (%s)", stage, need->rule_id, why);
                  }
                }
            }
        }

      if (ct_case_procedure_count_blocking (ct_case_view_get_procedure (fixture->view)) > 0)
        {
          g_autofree char *why = walk_describe_blocking (fixture);
          g_error ("stage %s: still blocked by %s", stage, why);
        }

      /* Nothing blocks: the advance button moves the case on. */
      g_assert_true (gtk_widget_get_visible (advance));
      g_assert_true (action_enabled (GTK_WIDGET (fixture->view), "case.advance"));
      click (advance);
      g_assert_true (ct_ui_wait_until (view_idle, fixture->view));
      if (gtk_widget_get_visible (GTK_WIDGET (child (fixture->view, CT_TYPE_CASE_VIEW, "advance_error"))))
        g_error ("stage %s: advancing was refused: %s", stage,
                 gtk_label_get_label (GTK_LABEL (child (fixture->view, CT_TYPE_CASE_VIEW, "advance_error"))));
      g_assert_cmpstr (ct_case_procedure_get_current_stage (ct_case_view_get_procedure (fixture->view)), !=, stage);
    }

  g_test_message ("walked: %s", path->str);
  g_assert_true (archived);
  g_assert_nonnull (strstr (path->str, "legal_review"));
  g_assert_nonnull (strstr (path->str, "decision"));
  g_assert_null (strstr (path->str, "hearing"));

  /* The view shows the archived case: stage, stepper, no advancing. */
  g_assert_cmpstr (ct_case_view_get_case (fixture->view)->stage, ==, "archived");
  g_assert_cmpstr (ct_case_view_get_case (fixture->view)->status, ==, "archived");
  g_assert_false (ct_case_procedure_is_open (ct_case_view_get_procedure (fixture->view)));
  g_assert_true (gtk_widget_has_css_class (ct_stage_stepper_get_step (stepper, "archived"), "current"));
  g_assert_true (gtk_widget_has_css_class (ct_stage_stepper_get_step (stepper, "filing"), "done"));
  g_assert_false (gtk_widget_get_visible (advance) && action_enabled (GTK_WIDGET (fixture->view), "case.advance"));
  id = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  c = ct_store_get_case (fixture->store, handler, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->status, ==, "archived");

  /* Read-only: the editor's Save is off, or the store refuses it and the
   * editor says so; the saved form is unchanged either way. */
  {
    g_autoptr(JsonObject) before = ct_store_get_form (fixture->store, case_id, "closing_report", &error);
    g_autoptr(JsonObject) after = NULL;
    CtFormEditor *editor;
    GtkWidget *save;

    g_assert_no_error (error);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.open-form", "s", "closing_report"));
    g_assert_true (ct_ui_wait_until (editor_ready, fixture->view));
    editor = ct_case_view_get_form_editor (fixture->view);
    set_multiline (editor, "handler_opinion", "改动");
    save = GTK_WIDGET (child (editor, CT_TYPE_FORM_EDITOR, "save_button"));
    if (gtk_widget_is_sensitive (save))
      {
        click (save);
        g_assert_true (ct_ui_wait_until (editor_done, fixture->view));
        g_assert_true (ct_case_view_get_form_editor (fixture->view) == editor);
        g_test_message ("archived: Save refused: %s",
                        gtk_label_get_label (GTK_LABEL (child (editor, CT_TYPE_FORM_EDITOR, "error_label"))));
      }
    gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL);
    g_assert_true (ct_ui_wait_until (editor_closed, fixture->view));
    after = ct_store_get_form (fixture->store, case_id, "closing_report", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (after, "handler_opinion"), ==,
                     json_object_get_string_member (before, "handler_opinion"));
  }
}

/* ---- money, dates and clips in the generated editor ------------------------------------------- */

static void
test_form_types (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(CtSession) handler = login (fixture, "zhangwei");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) saved = NULL;
  gint64 case_id = new_case (fixture, handler);
  CtFormEditor *editor;
  GtkWidget *amount;
  GtkWidget *clip;

  show_case (fixture, handler, case_id);
  if (ct_case_view_get_procedure (fixture->view) == NULL)
    {
      g_test_skip ("The rule packs are not installed in data/rulepacks.");
      return;
    }

  /* 催告书: money, dates, a money field required when money is involved. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.open-form", "s", "reminder"));
  g_assert_true (ct_ui_wait_until (editor_ready, fixture->view));
  editor = ct_case_view_get_form_editor (fixture->view);

  amount = field (editor, "amount");
  g_assert_true (ADW_IS_ENTRY_ROW (amount));
  g_assert_false (g_str_has_suffix (row_title (amount), "*"));
  gtk_switch_set_active (GTK_SWITCH (field (editor, "involves_money")), TRUE);
  g_assert_true (g_str_has_suffix (row_title (amount), "*"));

  /* Yuan with at most two decimals. */
  gtk_editable_set_text (GTK_EDITABLE (amount), "12.345");
  g_assert_nonnull (ct_form_editor_get_problem (editor, "amount"));
  g_assert_false (action_enabled (GTK_WIDGET (editor), "editor.save"));
  gtk_editable_set_text (GTK_EDITABLE (amount), "一千元");
  g_assert_nonnull (ct_form_editor_get_problem (editor, "amount"));
  gtk_editable_set_text (GTK_EDITABLE (amount), "1500.5");
  g_assert_null (ct_form_editor_get_problem (editor, "amount"));

  /* Dates as YYYY-MM-DD. */
  gtk_editable_set_text (GTK_EDITABLE (field (editor, "deadline")), "2026-13-01");
  g_assert_nonnull (ct_form_editor_get_problem (editor, "deadline"));
  gtk_widget_queue_resize (GTK_WIDGET (editor));
  ct_ui_settle (1000);
  scroll_to_widget (amount);
  ct_ui_screenshot (GTK_WIDGET (editor), "procedure-form-money-date");
  gtk_editable_set_text (GTK_EDITABLE (field (editor, "deadline")), "2026-03-20");
  g_assert_null (ct_form_editor_get_problem (editor, "deadline"));
  set_entry (editor, "decision_number", "示市监罚〔2026〕1号");
  g_assert_true (action_enabled (GTK_WIDGET (editor), "editor.save"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_true (ct_ui_wait_until (editor_closed, fixture->view));
  g_assert_true (ct_ui_wait_until (view_idle, fixture->view));
  saved = ct_store_get_form (fixture->store, case_id, "reminder", &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (saved, "involves_money"));
  g_assert_cmpstr (json_object_get_string_member (saved, "deadline"), ==, "2026-03-20");
  g_assert_cmpstr (json_object_get_string_member (saved, "decision_number"), ==, "示市监罚〔2026〕1号");

  /* Back in the widgets. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.open-form", "s", "reminder"));
  g_assert_true (ct_ui_wait_until (editor_ready, fixture->view));
  editor = ct_case_view_get_form_editor (fixture->view);
  g_assert_true (g_str_has_prefix (gtk_editable_get_text (GTK_EDITABLE (field (editor, "amount"))), "1500.5"));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (field (editor, "involves_money"))));
  /* Saved before and incomplete: what is missing shows at once. */
  g_assert_nonnull (ct_form_editor_get_problem (editor, "obligation"));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL);
  g_assert_true (ct_ui_wait_until (editor_closed, fixture->view));

  /* A clip field: clips are attached in the player; it says none is yet
   * and lists none. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "case.open-form", "s", "inspection_record"));
  g_assert_true (ct_ui_wait_until (editor_ready, fixture->view));
  editor = ct_case_view_get_form_editor (fixture->view);
  clip = field (editor, "av_recording");
  g_assert_true (ADW_IS_EXPANDER_ROW (clip));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (clip)), ==, "No recording attached");
  g_assert_false (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (clip)));
  g_assert_null (ct_form_editor_get_clip_row (editor, "av_recording", 0));
  {
    g_autoptr(JsonObject) values = ct_form_editor_collect (editor);
    g_assert_false (json_object_has_member (values, "av_recording"));
  }
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL);
  g_assert_true (ct_ui_wait_until (editor_closed, fixture->view));
}

/* ---- the case list's deadline state ---------------------------------------------------------- */

static void
raw_sql (Fixture    *fixture,
         const char *sql)
{
  g_autofree char *path = g_build_filename (fixture->dir, "casetrail.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Puts a case at the decision stage, filed at @filed_at: the 90-day
 * decision period (行政处罚法 第六十条) runs there. */
static void
put_at_decision (Fixture    *fixture,
                 gint64      case_id,
                 const char *filed_at)
{
  g_autofree char *sql =
    g_strdup_printf ("UPDATE case_stages SET entered_at = '%1$s', left_at = '%1$s' WHERE case_id = %2$" G_GINT64_FORMAT ";"
                     "INSERT INTO case_stages (case_id, stage, entered_at, entered_by)"
                     "  VALUES (%2$" G_GINT64_FORMAT ", 'decision', '%1$s', 1);"
                     "UPDATE cases SET stage = 'decision' WHERE id = %2$" G_GINT64_FORMAT ";",
                     filed_at, case_id);
  raw_sql (fixture, sql);
}

typedef struct {
  int  state;
  gboolean done;
} DeadlineResult;

static void
on_deadline (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DeadlineResult *out = user_data;
  g_autoptr(GError) error = NULL;

  out->state = ct_task_case_deadline_finish (CT_STORE (object), result, &error);
  g_assert_no_error (error);
  out->done = TRUE;
}

static gboolean
deadline_done (gpointer data)
{
  return ((DeadlineResult *) data)->done;
}

static int
case_deadline (Fixture *fixture,
               gint64   case_id)
{
  DeadlineResult result = { -100, FALSE };

  ct_task_case_deadline_async (fixture->store, case_id, NULL, on_deadline, &result);
  g_assert_true (ct_ui_wait_until (deadline_done, &result));
  return result.state;
}

static gboolean
badge_shown (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static gboolean
badge_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

static void
test_case_deadline (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(CtSession) handler = login (fixture, "zhangwei");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_iso = g_date_time_format_iso8601 (now);
  gint64 fresh = new_case (fixture, handler);
  gint64 late = new_case (fixture, handler);
  gint64 decided = new_case (fixture, handler);
  GtkWidget *badge;
  GtkWidget *label;

  if (!packs_installed ())
    {
      g_test_skip ("The rule packs are not installed in data/rulepacks.");
      return;
    }

  /* A new case at filing has no running deadline there. */
  g_assert_cmpint (case_deadline (fixture, fresh), ==, -1);

  /* At the decision stage the 90 days run: long past, or just begun. */
  put_at_decision (fixture, late, "2026-01-05T01:00:00Z");
  put_at_decision (fixture, decided, now_iso);
  g_assert_cmpint (case_deadline (fixture, late), ==, CT_DEADLINE_OVERDUE);
  g_assert_cmpint (case_deadline (fixture, decided), ==, CT_DEADLINE_OK);

  /* The badge of the case list shows it. */
  badge = ct_deadline_badge_new ();
  gtk_window_set_child (fixture->window, badge);
  ct_deadline_badge_set_case (CT_DEADLINE_BADGE (badge), fixture->store, late);
  g_assert_true (ct_ui_wait_until (badge_shown, badge));
  g_assert_cmpint (ct_deadline_badge_get_state (CT_DEADLINE_BADGE (badge)), ==, CT_DEADLINE_OVERDUE);
  label = adw_bin_get_child (ADW_BIN (badge));
  g_assert_true (gtk_widget_has_css_class (label, "error"));

  /* Nothing running: nothing shown. */
  ct_deadline_badge_set_case (CT_DEADLINE_BADGE (badge), fixture->store, fresh);
  g_assert_true (ct_ui_wait_until (badge_hidden, badge));
  g_assert_cmpint (ct_deadline_badge_get_state (CT_DEADLINE_BADGE (badge)), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  if (!ct_ui_test_init (&argc, &argv, TRUE))
    return 0;

  g_test_add ("/ui/procedure/empty-hint", Fixture, NULL,
              fixture_set_up, test_empty_hint, fixture_tear_down);
  g_test_add ("/ui/procedure/packs-missing", Fixture, NULL,
              fixture_set_up, test_packs_missing, fixture_tear_down);
  g_test_add ("/ui/procedure/walk", Fixture, NULL,
              fixture_set_up, test_walk, fixture_tear_down);
  g_test_add ("/ui/procedure/walk-to-archive", Fixture, NULL,
              fixture_set_up, test_walk_to_archive, fixture_tear_down);
  g_test_add ("/ui/procedure/form-types", Fixture, NULL,
              fixture_set_up, test_form_types, fixture_tear_down);
  g_test_add ("/ui/procedure/case-deadline", Fixture, NULL,
              fixture_set_up, test_case_deadline, fixture_tear_down);

  return g_test_run ();
}

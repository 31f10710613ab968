#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-case-list-page.h"
#include "ct-case-view.h"
#include "ct-login-page.h"
#include "ct-new-case-dialog.h"
#include "ct-preferences-window.h"
#include "ct-review-queue.h"
#include "ct-setup-page.h"
#include "ct-task.h"
#include "ct-verify-window.h"
#include "ct-window.h"

struct _CtWindow
{
  AdwApplicationWindow parent_instance;

  /* template children */
  AdwToastOverlay  *toast_overlay;
  GtkStack         *stack;
  GtkSpinner       *loading_spinner;
  GtkLabel         *loading_label;
  AdwStatusPage    *error_page;
  GtkLabel         *error_dir_label;
  CtSetupPage      *setup_page;
  CtLoginPage      *login_page;
  AdwLeaflet       *leaflet;
  CtCaseListPage   *case_list;
  CtCaseView       *case_view;

  GCancellable         *cancellable;
  CtStore              *store;
  CtSession            *session;
  char                 *data_dir;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (CtWindow, ct_window, ADW_TYPE_APPLICATION_WINDOW)

static void update_actions (CtWindow *self);

static void ct_window_start (CtWindow *self);

CtWindow *
ct_window_new (CtApplication *application)
{
  CtWindow *self;

  g_return_val_if_fail (CT_IS_APPLICATION (application), NULL);

  self = g_object_new (CT_TYPE_WINDOW,
                       "application", application,
                       NULL);
  /* Not in constructed(): "application" is set only after it. */
  ct_window_start (self);

  return self;
}

CtStore *
ct_window_get_store (CtWindow *self)
{
  g_return_val_if_fail (CT_IS_WINDOW (self), NULL);

  return self->store;
}

CtSession *
ct_window_get_session (CtWindow *self)
{
  g_return_val_if_fail (CT_IS_WINDOW (self), NULL);

  return self->session;
}

const char *
ct_window_get_page (CtWindow *self)
{
  g_return_val_if_fail (CT_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

static GSettings *
get_settings (CtWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app != NULL && CT_IS_APPLICATION (app))
    return ct_application_get_settings (CT_APPLICATION (app));

  return NULL;
}

static void
show_page (CtWindow   *self,
           const char *name)
{
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (name, "loading"));
  gtk_stack_set_visible_child_name (self->stack, name);
}

/* ---- signing in and out ------------------------------------------------------- */

static void
set_session (CtWindow  *self,
             CtSession *session)
{
  if (self->session == session)
    return;

  g_clear_pointer (&self->session, ct_session_unref);
  if (session != NULL)
    self->session = ct_session_ref (session);

  ct_case_list_page_set_session (self->case_list, self->store, self->session);
  ct_case_view_set_session (self->case_view, self->store, self->session);
  update_actions (self);
}

static void
show_login (CtWindow *self,
            gboolean  demo)
{
  ct_login_page_set_store (self->login_page, self->store);
  ct_login_page_set_demo_hint (self->login_page, demo);
  show_page (self, "login");
}

static void
on_logged_in (CtWindow    *self,
              CtSession   *session,
              CtLoginPage *page)
{
  GSettings *settings = get_settings (self);

  if (settings != NULL)
    g_settings_set_string (settings, "last-user", ct_session_get_username (session));

  set_session (self, session);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->case_list));
  show_page (self, "main");
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GApplication) app = user_data;
  g_autoptr(GError) error = NULL;

  if (!ct_task_logout_finish (CT_STORE (object), result, &error))
    g_warning ("Could not record the logout: %s", error->message);

  if (app != NULL)
    g_application_release (app);
}

/* Records the logout in the background; holds the application so it does
 * not exit before the audit row is written. */
static void
end_session (CtWindow *self)
{
  GtkApplication *app;

  if (self->session == NULL || self->store == NULL)
    return;

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (app != NULL)
    g_application_hold (G_APPLICATION (app));

  ct_task_logout_async (self->store, self->session, NULL, logout_cb,
                        app != NULL ? g_object_ref (app) : NULL);
  set_session (self, NULL);
}

/* ---- opening the store --------------------------------------------------------- */

static void
is_initialized_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CtWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean initialized;

  initialized = ct_task_is_initialized_finish (CT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      show_page (self, "error");
      return;
    }

  if (initialized)
    {
      show_login (self, FALSE);
    }
  else
    {
      ct_setup_page_set_store (self->setup_page, self->store);
      show_page (self, "setup");
    }
}

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CtWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtStore) store = NULL;

  store = ct_store_open_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (store == NULL)
    {
      g_autofree char *where = g_strdup_printf (_("Data folder: %s"), self->data_dir);

      adw_status_page_set_description (self->error_page, error->message);
      gtk_label_set_label (self->error_dir_label, where);
      show_page (self, "error");
      return;
    }

  g_set_object (&self->store, store);
  ct_task_is_initialized_async (self->store, self->cancellable, is_initialized_cb,
                                g_object_ref (self));
}

static void
open_store (CtWindow   *self,
            const char *data_dir)
{
  g_autofree char *message = NULL;

  end_session (self);
  g_clear_object (&self->store);
  ct_login_page_set_store (self->login_page, NULL);
  ct_setup_page_set_store (self->setup_page, NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (data_dir != self->data_dir)
    {
      g_free (self->data_dir);
      self->data_dir = g_strdup (data_dir);
    }

  message = g_strdup_printf (_("Opening the case store in %s…"), self->data_dir);
  gtk_label_set_label (self->loading_label, message);
  show_page (self, "loading");

  ct_store_open_async (self->data_dir, self->cancellable, open_cb, g_object_ref (self));
}

static void
on_setup_initialized (CtWindow    *self,
                      gboolean     demo,
                      CtSetupPage *page)
{
  show_login (self, demo);
}

/* ---- cases ------------------------------------------------------------------------- */

static void
on_case_created (CtWindow        *self,
                 gint64           case_id,
                 CtNewCaseDialog *dialog)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Case opened")));
  ct_case_list_page_reload (self->case_list, case_id);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-case", "x", case_id);
}

/* ---- actions ------------------------------------------------------------------------- */

static void
update_actions (CtWindow *self)
{
  gboolean signed_in = self->session != NULL;
  gboolean handler = signed_in && ct_session_has_role (self->session, CT_ROLE_HANDLER);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-case", handler);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.logout", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.verify-store", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-case", signed_in);
  /* Only legal reviewers and supervisors have a review queue
   * (ct_store_review_queue); the menu hides it from the others. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.review-queue",
                                 ct_session_has_role (self->session, CT_ROLES_REVIEW));
}

static void
new_case_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CtWindow *self = CT_WINDOW (widget);
  CtNewCaseDialog *dialog;

  if (self->session == NULL)
    return;

  dialog = ct_new_case_dialog_new (self->store, self->session);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  /* So the application's shortcuts (Ctrl+Q, F1) work in it too. */
  gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "case-created", G_CALLBACK (on_case_created),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CtWindow *self = CT_WINDOW (widget);

  if (self->session == NULL)
    return;

  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->case_list));
  ct_case_list_page_start_search (self->case_list);
}

static void
logout_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CtWindow *self = CT_WINDOW (widget);

  end_session (self);
  if (self->store != NULL)
    show_login (self, FALSE);
}

/* Re-hashes the whole evidence store in the background, in a window of its
 * own with progress, Cancel and the problems found. */
static void
verify_store_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CtWindow *self = CT_WINDOW (widget);
  CtVerifyWindow *window;

  if (self->session == NULL)
    return;

  window = ct_verify_window_new (self->store, self->session);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_present (GTK_WINDOW (window));
}

/* What waits for the legal reviewer, in a window of its own. */
static void
review_queue_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CtWindow *self = CT_WINDOW (widget);
  CtReviewQueue *queue;

  if (self->session == NULL)
    return;

  queue = ct_review_queue_new (self->store, self->session);
  gtk_window_set_transient_for (GTK_WINDOW (queue), GTK_WINDOW (self));
  gtk_window_set_application (GTK_WINDOW (queue), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (queue), TRUE);
  gtk_window_present (GTK_WINDOW (queue));
}

/* The shortcuts window is built the first time it is asked for, instead of
 * by GtkApplication when the window is created: until then it would be a
 * hidden toplevel that is never realized, and GTK 4.8's AT-SPI root answers
 * GetChildAtIndex past the last visible window with the last toplevel,
 * visible or not.  A screen reader that counted a dialog just before it
 * closed then got a reference to the overlay, which has no object path
 * (g_variant_new_object_path criticals), and lost the application's
 * accessible tree.  Once shown, the overlay is realized and has its path. */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = NULL;

      builder = gtk_builder_new_from_resource ("/org/casetrail/Casetrail/ct-shortcuts-window.ui");
      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }

  gtk_window_present (GTK_WINDOW (overlay));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
show_case_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CtWindow *self = CT_WINDOW (widget);
  gint64 case_id = g_variant_get_int64 (parameter);

  if (self->session == NULL)
    return;

  ct_case_view_load (self->case_view, case_id);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->case_view));
}

static void
back_to_list_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CtWindow *self = CT_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->case_list));
}

static void
reopen_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CtWindow *self = CT_WINDOW (widget);

  open_store (self, self->data_dir);
}

static void
chooser_response (CtWindow             *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;
  GSettings *settings;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_clear_object (&self->chooser);

  if (folder == NULL || (path = g_file_get_path (folder)) == NULL)
    return;

  settings = get_settings (self);
  if (settings != NULL)
    g_settings_set_string (settings, "data-directory", path);

  open_store (self, path);
}

static void
choose_data_dir_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CtWindow *self = CT_WINDOW (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose a Data Folder"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Open"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
ct_window_present_preferences (CtWindow *self)
{
  CtPreferencesWindow *prefs;

  g_return_if_fail (CT_IS_WINDOW (self));

  prefs = ct_preferences_window_new (self->store, self->session, self->data_dir);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (self));
  gtk_window_set_application (GTK_WINDOW (prefs), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (prefs), TRUE);
  gtk_window_present (GTK_WINDOW (prefs));
}

/* ---- GtkWindow --------------------------------------------------------------------- */

static gboolean
ct_window_close_request (GtkWindow *window)
{
  CtWindow *self = CT_WINDOW (window);
  GSettings *settings = get_settings (self);

  if (settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (settings);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (settings, "window-width", width);
          g_settings_set_int (settings, "window-height", height);
        }
      g_settings_apply (settings);
    }

  end_session (self);

  return GTK_WINDOW_CLASS (ct_window_parent_class)->close_request (window);
}

/* Restores the window size and opens the store. */
static void
ct_window_start (CtWindow *self)
{
  GtkApplication *app;
  GSettings *settings;
  g_autofree char *data_dir = NULL;

  settings = get_settings (self);
  if (settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (app != NULL && CT_IS_APPLICATION (app))
    data_dir = ct_application_dup_data_dir (CT_APPLICATION (app));
  else
    data_dir = ct_store_default_data_dir ();

  open_store (self, data_dir);
}

static void
ct_window_dispose (GObject *object)
{
  CtWindow *self = CT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_WINDOW);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->session, ct_session_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ct_window_parent_class)->dispose (object);
}

static void
ct_window_finalize (GObject *object)
{
  CtWindow *self = CT_WINDOW (object);

  g_clear_pointer (&self->data_dir, g_free);

  G_OBJECT_CLASS (ct_window_parent_class)->finalize (object);
}

static void
ct_window_class_init (CtWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ct_window_dispose;
  object_class->finalize = ct_window_finalize;

  window_class->close_request = ct_window_close_request;

  g_type_ensure (CT_TYPE_SETUP_PAGE);
  g_type_ensure (CT_TYPE_LOGIN_PAGE);
  g_type_ensure (CT_TYPE_CASE_LIST_PAGE);
  g_type_ensure (CT_TYPE_CASE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CtWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, error_dir_label);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, setup_page);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, case_list);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, case_view);
  gtk_widget_class_bind_template_callback (widget_class, on_setup_initialized);
  gtk_widget_class_bind_template_callback (widget_class, on_logged_in);

  gtk_widget_class_install_action (widget_class, "win.new-case", NULL, new_case_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.logout", NULL, logout_action);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "win.verify-store", NULL, verify_store_action);
  gtk_widget_class_install_action (widget_class, "win.review-queue", NULL, review_queue_action);
  gtk_widget_class_install_action (widget_class, "win.show-case", "x", show_case_action);
  gtk_widget_class_install_action (widget_class, "win.back-to-list", NULL, back_to_list_action);
  gtk_widget_class_install_action (widget_class, "win.reopen", NULL, reopen_action);
  gtk_widget_class_install_action (widget_class, "win.choose-data-dir", NULL, choose_data_dir_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_action);
}

static void
ct_window_init (CtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  g_object_bind_property (self->leaflet, "folded",
                          self->case_view, "folded",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->leaflet, "folded",
                          self->case_list, "folded",
                          G_BINDING_SYNC_CREATE);
  update_actions (self);
}

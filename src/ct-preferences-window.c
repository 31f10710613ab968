#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-application.h"
#include "ct-preferences-window.h"
#include "ct-task.h"

struct _CtPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* template children */
  AdwActionRow        *data_dir_row;
  GtkButton           *change_dir_button;
  GtkButton           *reset_dir_button;
  GtkLabel            *data_dir_note;
  AdwPreferencesGroup *agency_group;
  GtkSpinner          *agency_spinner;
  GtkButton           *save_button;
  AdwEntryRow         *agency_name_row;
  AdwEntryRow         *pattern_row;
  AdwActionRow        *crypto_row;
  GtkSwitch           *crypto_switch;
  GtkLabel            *agency_hint;

  CtStore              *store;
  CtSession            *session;
  GSettings            *settings;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  CtAgency             *agency;      /* as last loaded or saved */
  gboolean              national_crypto;  /* the value being saved */
  gboolean              populating;
  gboolean              data_dir_changed;
  gboolean              busy;
};

G_DEFINE_FINAL_TYPE (CtPreferencesWindow, ct_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static gboolean
is_admin (CtPreferencesWindow *self)
{
  return self->session != NULL && ct_session_has_role (self->session, CT_ROLE_ADMIN);
}

static char *
dup_stripped (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

/* ---- data folder ----------------------------------------------------------------- */

static void
update_data_dir (CtPreferencesWindow *self)
{
  g_autofree char *configured = NULL;
  g_autofree char *note = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.choose-data-dir", self->settings != NULL);

  if (self->settings == NULL)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.reset-data-dir", FALSE);
      gtk_label_set_label (self->data_dir_note,
                           _("Settings cannot be saved: the GSettings schema of Casetrail is not installed."));
      gtk_widget_set_visible (GTK_WIDGET (self->data_dir_note), TRUE);
      return;
    }

  configured = g_settings_get_string (self->settings, "data-directory");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.reset-data-dir", configured[0] != '\0');

  /* Say what happens next only once the folder was changed here: at start
   * --data-dir and $CASETRAIL_DATA_DIR may override the setting. */
  if (!self->data_dir_changed)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->data_dir_note), FALSE);
      return;
    }

  if (configured[0] == '\0')
    {
      g_autofree char *fallback = ct_store_default_data_dir ();

      note = g_strdup_printf (_("Casetrail will use the default folder %s the next time it starts."), fallback);
    }
  else
    {
      note = g_strdup_printf (_("Casetrail will use %s the next time it starts."), configured);
    }

  gtk_label_set_label (self->data_dir_note, note);
  gtk_widget_set_visible (GTK_WIDGET (self->data_dir_note), TRUE);
}

static void
chooser_response (CtPreferencesWindow  *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (folder == NULL || (path = g_file_get_path (folder)) == NULL || self->settings == NULL)
    return;

  g_settings_set_string (self->settings, "data-directory", path);
  self->data_dir_changed = TRUE;
  update_data_dir (self);
}

static void
choose_data_dir_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CtPreferencesWindow *self = CT_PREFERENCES_WINDOW (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose a Data Folder"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
reset_data_dir_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CtPreferencesWindow *self = CT_PREFERENCES_WINDOW (widget);

  if (self->settings != NULL)
    g_settings_reset (self->settings, "data-directory");
  self->data_dir_changed = TRUE;
  update_data_dir (self);
}

/* ---- agency ---------------------------------------------------------------------- */

static gboolean
agency_is_dirty (CtPreferencesWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *pattern = NULL;

  if (self->agency == NULL)
    return FALSE;

  name = dup_stripped (self->agency_name_row);
  pattern = dup_stripped (self->pattern_row);

  return g_strcmp0 (name, self->agency->name) != 0 ||
         g_strcmp0 (pattern, self->agency->case_number_pattern) != 0 ||
         gtk_switch_get_active (self->crypto_switch) != self->agency->national_crypto;
}

static void
update_agency (CtPreferencesWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *pattern = NULL;
  g_autoptr(GError) error = NULL;
  gboolean editable = is_admin (self) && self->agency != NULL && !self->busy;
  gboolean valid = FALSE;

  if (self->agency_hint == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->agency_name_row), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pattern_row), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->crypto_row), editable);

  if (self->store == NULL)
    adw_preferences_group_set_description (self->agency_group,
                                           _("Open a case store to see its agency."));
  else if (!is_admin (self))
    adw_preferences_group_set_description (self->agency_group,
                                           _("Only an administrator can change these settings. Log in as an administrator to edit them."));
  else
    adw_preferences_group_set_description (self->agency_group,
                                           _("Applies to every user of this case store."));

  if (self->agency == NULL)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.save-agency", FALSE);
      return;
    }

  name = dup_stripped (self->agency_name_row);
  pattern = dup_stripped (self->pattern_row);

  if (name[0] == '\0')
    {
      gtk_label_set_label (self->agency_hint, _("Enter the name of the agency."));
    }
  else if (!ct_case_number_pattern_validate (pattern, &error))
    {
      gtk_label_set_label (self->agency_hint, error->message);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *sample = ct_case_number_format (pattern, g_date_time_get_year (now), 1);
      g_autofree char *text = g_strdup_printf (_("The first case of the year will be numbered %s"), sample);

      gtk_label_set_label (self->agency_hint, text);
      valid = TRUE;
    }

  if (valid)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->agency_hint), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->agency_hint), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->agency_hint), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->agency_hint), "error");
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.save-agency",
                                 editable && valid && agency_is_dirty (self));
}

static void
on_agency_changed (CtPreferencesWindow *self)
{
  if (!self->populating)
    update_agency (self);
}

static void
show_agency (CtPreferencesWindow *self,
             const CtAgency      *agency)
{
  self->populating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->agency_name_row), agency->name != NULL ? agency->name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->pattern_row),
                         agency->case_number_pattern != NULL ? agency->case_number_pattern : "");
  gtk_switch_set_active (self->crypto_switch, agency->national_crypto);
  self->populating = FALSE;
  update_agency (self);
}

static void
get_agency_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CtPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CtAgency *agency;

  agency = ct_task_get_agency_finish (CT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (self->agency_spinner, FALSE);

  if (agency == NULL)
    {
      gtk_label_set_label (self->agency_hint, error->message);
      update_agency (self);
      return;
    }

  g_clear_pointer (&self->agency, ct_agency_free);
  self->agency = agency;
  show_agency (self, agency);
}

static void
update_agency_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CtPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ct_store_update_agency_finish (CT_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      self->busy = FALSE;
      gtk_spinner_set_spinning (self->agency_spinner, FALSE);
      update_agency (self);
      /* Shown after update_agency(), which rewrites the hint. */
      gtk_label_set_label (self->agency_hint, error->message);
      gtk_widget_remove_css_class (GTK_WIDGET (self->agency_hint), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->agency_hint), "error");
      return;
    }

  self->busy = FALSE;
  gtk_spinner_set_spinning (self->agency_spinner, FALSE);

  g_free (self->agency->name);
  self->agency->name = dup_stripped (self->agency_name_row);
  g_free (self->agency->case_number_pattern);
  self->agency->case_number_pattern = dup_stripped (self->pattern_row);
  self->agency->national_crypto = self->national_crypto;

  update_agency (self);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Agency settings saved")));
}

static void
save_agency_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CtPreferencesWindow *self = CT_PREFERENCES_WINDOW (widget);
  g_autofree char *name = NULL;
  g_autofree char *pattern = NULL;

  if (self->busy || self->store == NULL || !is_admin (self) || self->agency == NULL)
    return;

  name = dup_stripped (self->agency_name_row);
  pattern = dup_stripped (self->pattern_row);
  self->national_crypto = gtk_switch_get_active (self->crypto_switch);

  self->busy = TRUE;
  gtk_spinner_set_spinning (self->agency_spinner, TRUE);
  update_agency (self);

  ct_store_update_agency_async (self->store, self->session, name, pattern, &self->national_crypto,
                                self->cancellable, update_agency_cb, g_object_ref (self));
}

/* ---- GObject ------------------------------------------------------------------------ */

CtPreferencesWindow *
ct_preferences_window_new (CtStore    *store,
                           CtSession  *session,
                           const char *data_dir)
{
  CtPreferencesWindow *self;

  g_return_val_if_fail (store == NULL || CT_IS_STORE (store), NULL);

  self = g_object_new (CT_TYPE_PREFERENCES_WINDOW, NULL);
  if (store != NULL)
    self->store = g_object_ref (store);
  if (session != NULL)
    self->session = ct_session_ref (session);

  adw_action_row_set_subtitle (self->data_dir_row, data_dir != NULL ? data_dir : "");
  update_data_dir (self);
  update_agency (self);

  if (self->store != NULL)
    {
      gtk_spinner_set_spinning (self->agency_spinner, TRUE);
      ct_task_get_agency_async (self->store, self->cancellable, get_agency_cb, g_object_ref (self));
    }

  return self;
}

static void
ct_preferences_window_dispose (GObject *object)
{
  CtPreferencesWindow *self = CT_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_PREFERENCES_WINDOW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->session, ct_session_unref);
  g_clear_object (&self->store);
  g_clear_pointer (&self->agency, ct_agency_free);

  G_OBJECT_CLASS (ct_preferences_window_parent_class)->dispose (object);
}

static void
ct_preferences_window_class_init (CtPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, data_dir_row);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, change_dir_button);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, reset_dir_button);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, data_dir_note);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, agency_group);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, agency_spinner);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, save_button);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, agency_name_row);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, pattern_row);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, crypto_row);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, crypto_switch);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, agency_hint);
  gtk_widget_class_bind_template_callback (widget_class, on_agency_changed);

  gtk_widget_class_install_action (widget_class, "prefs.choose-data-dir", NULL, choose_data_dir_action);
  gtk_widget_class_install_action (widget_class, "prefs.reset-data-dir", NULL, reset_data_dir_action);
  gtk_widget_class_install_action (widget_class, "prefs.save-agency", NULL, save_agency_action);
}

static void
ct_preferences_window_init (CtPreferencesWindow *self)
{
  GSettings *settings;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  settings = ct_application_get_default_settings ();
  if (settings != NULL)
    self->settings = g_object_ref (settings);
}

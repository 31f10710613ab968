#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-application.h"
#include "ct-player.h"
#include "ct-store.h"
#include "ct-window.h"

struct _CtApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  char      *data_dir_option;
};

G_DEFINE_FINAL_TYPE (CtApplication, ct_application, ADW_TYPE_APPLICATION)

CtApplication *
ct_application_new (void)
{
  return g_object_new (CT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/casetrail/Casetrail",
                       NULL);
}

GSettings *
ct_application_get_settings (CtApplication *self)
{
  g_return_val_if_fail (CT_IS_APPLICATION (self), NULL);

  return self->settings;
}

GSettings *
ct_application_get_default_settings (void)
{
  GApplication *app = g_application_get_default ();

  if (app == NULL || !CT_IS_APPLICATION (app))
    return NULL;

  return CT_APPLICATION (app)->settings;
}

char *
ct_application_dup_data_dir (CtApplication *self)
{
  const char *env;

  g_return_val_if_fail (CT_IS_APPLICATION (self), NULL);

  if (self->data_dir_option != NULL && self->data_dir_option[0] != '\0')
    return g_strdup (self->data_dir_option);

  env = g_getenv ("CASETRAIL_DATA_DIR");
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  if (self->settings != NULL)
    {
      g_autofree char *setting = g_settings_get_string (self->settings, "data-directory");

      if (setting[0] != '\0')
        return g_steal_pointer (&setting);
    }

  return ct_store_default_data_dir ();
}

static CtWindow *
get_main_window (CtApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL && CT_IS_WINDOW (window))
    return CT_WINDOW (window);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (CT_IS_WINDOW (l->data))
      return CT_WINDOW (l->data);

  return NULL;
}

/* ---- actions ---------------------------------------------------------------- */

static GtkWindow *
find_transient_window (CtApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (gtk_window_get_transient_for (l->data) != NULL)
      return l->data;

  return NULL;
}

static gboolean
quit_idle (gpointer user_data)
{
  CtApplication *self = user_data;
  GtkWindow *window;
  GList *windows;

  /* Dialogs first: GTK 4.8 does not expect a transient window to outlive
   * its parent. */
  while ((window = find_transient_window (self)) != NULL)
    gtk_window_destroy (window);

  /* Closing the main windows lets them save their state and record the
   * logout; the application exits once the last one is gone and the logout
   * is written (see ct_window_close_request()). */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);

  return G_SOURCE_REMOVE;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  /* From an idle: the key event that asked may still hold a reference to a
   * dialog whose parent closing now would destroy. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, quit_idle,
                   g_object_ref (user_data), g_object_unref);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  CtApplication *self = user_data;
  static const char *developers[] = { "The Casetrail developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application", self,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Casetrail"),
                        "developer-name", _("The Casetrail developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Whole-process recording of administrative law-enforcement cases "
                                      "(执法全过程记录): every stage, every record, traceable years later."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", _("© The Casetrail developers"),
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  CtApplication *self = user_data;
  CtWindow *window = get_main_window (self);

  if (window != NULL)
    ct_window_present_preferences (window);
}

static void
help_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  CtApplication *self = user_data;

  gtk_show_uri (gtk_application_get_active_window (GTK_APPLICATION (self)),
                "help:casetrail", GDK_CURRENT_TIME);
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_activated },
  { .name = "about", .activate = about_activated },
  { .name = "preferences", .activate = preferences_activated },
  { .name = "help", .activate = help_activated },
};

static const struct {
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.help", { "F1", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "win.new-case", { "<Control>n", NULL } },
  { "win.search", { "<Control>f", NULL } },
  { "win.close", { "<Control>w", NULL } },
};

/* ---- GApplication ------------------------------------------------------------ */

static GSettings *
create_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  if (schema == NULL)
    {
      g_warning ("The GSettings schema %s is not installed; settings will not be remembered "
                 "(set GSETTINGS_SCHEMA_DIR when running uninstalled)", APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
ct_application_startup (GApplication *application)
{
  CtApplication *self = CT_APPLICATION (application);

  G_APPLICATION_CLASS (ct_application_parent_class)->startup (application);

  g_set_application_name (_("Casetrail"));
  gtk_window_set_default_icon_name (APP_ID);

  self->settings = create_settings ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           app_accels[i].action,
                                           app_accels[i].accels);
}

/* Once the window is drawn: the first recording opened then does not wait
 * ~200 ms for GStreamer's plugins (measured by the player benchmark). */
static gboolean
preload_player_cb (gpointer user_data)
{
  ct_player_preload ();
  return G_SOURCE_REMOVE;
}

static void
ct_application_activate (GApplication *application)
{
  CtApplication *self = CT_APPLICATION (application);
  CtWindow *window = get_main_window (self);

  if (window == NULL)
    {
      window = ct_window_new (self);
      g_idle_add_full (G_PRIORITY_LOW, preload_player_cb, NULL, NULL);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static int
ct_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  CtApplication *self = CT_APPLICATION (application);
  g_autofree char *data_dir = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "casetrail", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "data-dir", "^ay", &data_dir))
    {
      g_clear_pointer (&self->data_dir_option, g_free);
      if (data_dir[0] != '\0')
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (data_dir);

          self->data_dir_option = g_file_get_path (file);
        }
    }

  return -1;
}

static void
ct_application_finalize (GObject *object)
{
  CtApplication *self = CT_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->data_dir_option, g_free);

  G_OBJECT_CLASS (ct_application_parent_class)->finalize (object);
}

static void
ct_application_class_init (CtApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = ct_application_finalize;

  app_class->startup = ct_application_startup;
  app_class->activate = ct_application_activate;
  app_class->handle_local_options = ct_application_handle_local_options;
}

static void
ct_application_init (CtApplication *self)
{
  static const GOptionEntry entries[] = {
    { "data-dir", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
      N_("Open the case store in DIR instead of the configured folder"), N_("DIR") },
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Whole-process recording of administrative law-enforcement cases."));
}

#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-application.h"
#include "ct-format.h"
#include "ct-login-page.h"
#include "ct-widget-util.h"

struct _CtLoginPage
{
  AdwBin parent_instance;

  /* template children */
  GtkWidget        *form_box;
  GtkLabel         *demo_hint;
  GtkStack         *users_stack;
  GtkSpinner       *users_spinner;
  GtkListBox       *users_list;
  GtkPasswordEntry *passphrase_entry;
  GtkLabel         *error_label;
  GtkSpinner       *login_spinner;
  GtkButton        *login_button;

  CtStore      *store;
  GCancellable *cancellable;
  GPtrArray    *usernames;  /* char*, one per row of users_list */
  gboolean      busy;
  gboolean      ready;
};

G_DEFINE_FINAL_TYPE (CtLoginPage, ct_login_page, ADW_TYPE_BIN)

enum {
  SIGNAL_LOGGED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
ct_login_page_new (void)
{
  return g_object_new (CT_TYPE_LOGIN_PAGE, NULL);
}

const char *
ct_login_page_get_selected_user (CtLoginPage *self)
{
  GtkListBoxRow *row;
  int index;

  g_return_val_if_fail (CT_IS_LOGIN_PAGE (self), NULL);

  row = gtk_list_box_get_selected_row (self->users_list);
  if (row == NULL)
    return NULL;

  index = gtk_list_box_row_get_index (row);
  if (index < 0 || (guint) index >= self->usernames->len)
    return NULL;

  return g_ptr_array_index (self->usernames, index);
}

gboolean
ct_login_page_get_ready (CtLoginPage *self)
{
  g_return_val_if_fail (CT_IS_LOGIN_PAGE (self), FALSE);

  return self->ready;
}

static void
update_actions (CtLoginPage *self)
{
  const char *passphrase;

  /* Row and text signals may still arrive while the template is disposed. */
  if (self->passphrase_entry == NULL || self->users_list == NULL)
    return;

  passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_entry));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "login.log-in",
                                 !self->busy &&
                                 self->store != NULL &&
                                 ct_login_page_get_selected_user (self) != NULL &&
                                 passphrase[0] != '\0');
}

static void
show_error (CtLoginPage *self,
            const char  *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (CtLoginPage *self,
          gboolean     busy)
{
  self->busy = busy;
  if (busy)
    ct_widget_drop_focus (self->form_box);
  gtk_spinner_set_spinning (self->login_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->users_list), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->passphrase_entry), !busy);
  update_actions (self);
}

gboolean
ct_login_page_select_user (CtLoginPage *self,
                           const char  *username)
{
  g_return_val_if_fail (CT_IS_LOGIN_PAGE (self), FALSE);

  if (username == NULL)
    return FALSE;

  for (guint i = 0; i < self->usernames->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (self->usernames, i), username) == 0)
        {
          GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->users_list, i);

          gtk_list_box_select_row (self->users_list, row);
          return TRUE;
        }
    }

  return FALSE;
}

static void
on_user_selected (CtLoginPage   *self,
                  GtkListBoxRow *row)
{
  if (self->error_label == NULL)
    return;

  show_error (self, NULL);
  update_actions (self);
  if (row != NULL && !self->busy)
    gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_entry));
}

static void
on_passphrase_changed (CtLoginPage *self)
{
  update_actions (self);
}

static void
on_passphrase_activate (CtLoginPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "login.log-in", NULL);
}

/* ---- the user list ----------------------------------------------------------------- */

static GtkWidget *
create_user_row (const CtUser *user)
{
  g_autofree char *roles = ct_format_roles (user->roles);
  g_autofree char *subtitle = NULL;
  GtkWidget *row;
  GtkWidget *avatar;

  /* Translators: "user name · roles" under a user's display name */
  subtitle = g_strdup_printf (_("%s · %s"), user->username, roles);
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), user->display_name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  avatar = adw_avatar_new (32, user->display_name, TRUE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);

  /* The row's title (display name) names it for assistive technologies and
   * its subtitle (user name, roles) describes it. */

  return row;
}

static void
clear_users (CtLoginPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->users_list))) != NULL)
    gtk_list_box_remove (self->users_list, child);
  g_ptr_array_set_size (self->usernames, 0);
}

static void
list_users_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CtLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  GSettings *settings;
  gboolean selected = FALSE;

  users = ct_store_list_users_finish (CT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (self->users_spinner, FALSE);
  gtk_stack_set_visible_child_name (self->users_stack, "users");

  if (users == NULL)
    {
      show_error (self, error->message);
      return;
    }

  clear_users (self);
  for (guint i = 0; i < users->len; i++)
    {
      const CtUser *user = g_ptr_array_index (users, i);

      if (!user->active)
        continue;

      gtk_list_box_append (self->users_list, create_user_row (user));
      g_ptr_array_add (self->usernames, g_strdup (user->username));
    }

  settings = ct_application_get_default_settings ();
  if (settings != NULL)
    {
      g_autofree char *last_user = g_settings_get_string (settings, "last-user");

      selected = ct_login_page_select_user (self, last_user);
    }

  if (!selected && self->usernames->len == 1)
    gtk_list_box_select_row (self->users_list, gtk_list_box_get_row_at_index (self->users_list, 0));

  self->ready = TRUE;
  update_actions (self);

  if (ct_login_page_get_selected_user (self) != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_entry));
}

void
ct_login_page_set_store (CtLoginPage *self,
                         CtStore     *store)
{
  g_return_if_fail (CT_IS_LOGIN_PAGE (self));
  g_return_if_fail (store == NULL || CT_IS_STORE (store));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->store, store);

  clear_users (self);
  self->ready = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_entry), "");
  show_error (self, NULL);
  set_busy (self, FALSE);

  if (store == NULL)
    return;

  gtk_stack_set_visible_child_name (self->users_stack, "loading");
  gtk_spinner_set_spinning (self->users_spinner, TRUE);
  ct_store_list_users_async (store, self->cancellable, list_users_cb, g_object_ref (self));
}

void
ct_login_page_set_demo_hint (CtLoginPage *self,
                             gboolean     demo)
{
  g_return_if_fail (CT_IS_LOGIN_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->demo_hint), demo);
}

/* ---- logging in -------------------------------------------------------------------- */

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CtLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;

  session = ct_store_login_finish (CT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);

  if (session == NULL)
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_entry));
      gtk_editable_select_region (GTK_EDITABLE (self->passphrase_entry), 0, -1);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_entry), "");
  gtk_widget_set_visible (GTK_WIDGET (self->demo_hint), FALSE);
  g_signal_emit (self, signals[SIGNAL_LOGGED_IN], 0, session);
}

static void
log_in_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CtLoginPage *self = CT_LOGIN_PAGE (widget);
  const char *username = ct_login_page_get_selected_user (self);
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_entry));

  if (self->busy || self->store == NULL)
    return;

  if (username == NULL)
    {
      show_error (self, _("Choose who you are from the list."));
      return;
    }

  show_error (self, NULL);
  set_busy (self, TRUE);
  ct_store_login_async (self->store, username, passphrase, self->cancellable,
                        login_cb, g_object_ref (self));
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
ct_login_page_dispose (GObject *object)
{
  CtLoginPage *self = CT_LOGIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_LOGIN_PAGE);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ct_login_page_parent_class)->dispose (object);
}

static void
ct_login_page_finalize (GObject *object)
{
  CtLoginPage *self = CT_LOGIN_PAGE (object);

  g_clear_pointer (&self->usernames, g_ptr_array_unref);

  G_OBJECT_CLASS (ct_login_page_parent_class)->finalize (object);
}

static void
ct_login_page_class_init (CtLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_login_page_dispose;
  object_class->finalize = ct_login_page_finalize;

  /**
   * CtLoginPage::logged-in:
   * @session: (type gpointer): the new CtSession, borrowed
   */
  signals[SIGNAL_LOGGED_IN] =
    g_signal_new ("logged-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CtLoginPage, form_box);
  gtk_widget_class_bind_template_child (widget_class, CtLoginPage, demo_hint);
  gtk_widget_class_bind_template_child (widget_class, CtLoginPage, users_stack);
  gtk_widget_class_bind_template_child (widget_class, CtLoginPage, users_spinner);
  gtk_widget_class_bind_template_child (widget_class, CtLoginPage, users_list);
  gtk_widget_class_bind_template_child (widget_class, CtLoginPage, passphrase_entry);
  gtk_widget_class_bind_template_child (widget_class, CtLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CtLoginPage, login_spinner);
  gtk_widget_class_bind_template_child (widget_class, CtLoginPage, login_button);
  gtk_widget_class_bind_template_callback (widget_class, on_user_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_passphrase_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_passphrase_activate);

  gtk_widget_class_install_action (widget_class, "login.log-in", NULL, log_in_action);
}

static void
ct_login_page_init (CtLoginPage *self)
{
  self->usernames = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  update_actions (self);
}

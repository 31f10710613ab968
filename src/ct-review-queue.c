#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-error.h"
#include "ct-media-details.h"
#include "ct-player-window.h"
#include "ct-review-queue.h"
#include "ct-review.h"

struct _CtReviewQueue
{
  AdwWindow parent_instance;

  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  AdwPreferencesGroup *group;

  CtStore      *store;
  CtSession    *session;
  GCancellable *cancellable;
  GPtrArray    *items;     /* CtReviewItem*, as listed */
  GPtrArray    *rows;      /* GtkWidget*, borrowed */
  gboolean      loading;
  GtkWindow    *dialog;    /* weak */
};

G_DEFINE_FINAL_TYPE (CtReviewQueue, ct_review_queue, ADW_TYPE_WINDOW)

/* ---- reading the queue ---------------------------------------------------------------- */

static void
queue_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *items = ct_store_review_queue (CT_STORE (source_object), task_data, &error);

  if (items == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

static void
clear_rows (CtReviewQueue *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);
}

static void
row_activated (AdwActionRow  *row,
               CtReviewQueue *self);

static GtkWidget *
new_row (CtReviewQueue      *self,
         const CtReviewItem *item)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("media-playback-start-symbolic");
  g_autofree char *title = g_strdup_printf ("%s · %s", item->case_number, item->cause != NULL ? item->cause : "");
  g_autoptr(GString) subtitle = g_string_new (item->media_name);

  if (item->duration_ms > 0)
    {
      g_autofree char *duration = ct_media_format_duration (item->duration_ms);
      g_string_append_printf (subtitle, " · %s", duration);
    }
  if (item->recorded_at != NULL)
    {
      g_autofree char *at = ct_media_format_china_time (item->recorded_at);
      /* Translators: when a recording in the review queue was made, %s is a date and time */
      g_string_append (subtitle, " · ");
      g_string_append_printf (subtitle, _("recorded %s (China time)"), at);
    }
  else
    {
      g_string_append (subtitle, " · ");
      g_string_append (subtitle, _("Recording time unknown"));
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), item->audio ? "audio-x-generic-symbolic" : "camera-video-symbolic");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  gtk_widget_set_tooltip_text (row, _("Play the recording to review it"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_signal_connect (row, "activated", G_CALLBACK (row_activated), self);
  return row;
}

static void
queue_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CtReviewQueue) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *items = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  clear_rows (self);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  if (items == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  self->items = items;
  if (items->len == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  for (guint i = 0; i < items->len; i++)
    {
      GtkWidget *row = new_row (self, items->pdata[i]);

      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->rows, row);
    }
  {
    g_autofree char *description =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u recording waits for review",
                                    "%u recordings wait for review", items->len),
                       items->len);
    adw_preferences_group_set_description (self->group, description);
  }
  gtk_stack_set_visible_child_name (self->stack, "list");
}

void
ct_review_queue_reload (CtReviewQueue *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CT_IS_REVIEW_QUEUE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  if (self->items == NULL)
    {
      gtk_spinner_set_spinning (self->spinner, TRUE);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }
  task = g_task_new (self->store, self->cancellable, queue_cb, g_object_ref (self));
  g_task_set_task_data (task, self->session != NULL ? ct_session_ref (self->session) : NULL,
                        (GDestroyNotify) ct_session_unref);
  g_task_run_in_thread (task, queue_thread);
}

/* ---- opening a recording ---------------------------------------------------------------- */

static void
set_dialog (CtReviewQueue *self,
            GtkWindow     *dialog)
{
  gtk_window_set_transient_for (dialog, GTK_WINDOW (self));
  gtk_window_set_application (dialog, gtk_window_get_application (GTK_WINDOW (self)));
  if (self->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  self->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  gtk_window_present (dialog);
}

/* Back from the player: what was annotated there has left the queue. */
static void
on_player_closed (CtReviewQueue *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    ct_review_queue_reload (self);
}

static void
play_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CtReviewQueue) self = user_data;
  g_autoptr(GError) error = NULL;
  CtPlayerWindow *window = ct_player_window_open_finish (result, &error);

  if (window == NULL)
    {
      GtkWidget *dialog;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Cannot Play This Recording"), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_widget_set_name (dialog, "play-error");
      set_dialog (self, GTK_WINDOW (dialog));
      return;
    }
  /* The reviewer annotates in the player. */
  ct_player_window_set_evidence (window, self->store, self->session);
  g_signal_connect_object (window, "destroy", G_CALLBACK (on_player_closed), self, G_CONNECT_SWAPPED);
  set_dialog (self, GTK_WINDOW (window));
}

static void
row_activated (AdwActionRow  *row,
               CtReviewQueue *self)
{
  guint index;

  if (self->items == NULL || self->session == NULL || !g_ptr_array_find (self->rows, row, &index))
    return;
  ct_player_window_open_async (self->store, self->session, ((CtReviewItem *) self->items->pdata[index])->media_id,
                               NULL, play_cb, g_object_ref (self));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ct_review_queue_reload (CT_REVIEW_QUEUE (widget));
}

/* ---- getters ------------------------------------------------------------------------------ */

gboolean
ct_review_queue_get_busy (CtReviewQueue *self)
{
  g_return_val_if_fail (CT_IS_REVIEW_QUEUE (self), FALSE);
  return self->loading;
}

const char *
ct_review_queue_get_page (CtReviewQueue *self)
{
  g_return_val_if_fail (CT_IS_REVIEW_QUEUE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
ct_review_queue_get_row (CtReviewQueue *self,
                         guint          index)
{
  g_return_val_if_fail (CT_IS_REVIEW_QUEUE (self), NULL);
  return index < self->rows->len ? self->rows->pdata[index] : NULL;
}

GtkWindow *
ct_review_queue_get_dialog (CtReviewQueue *self)
{
  g_return_val_if_fail (CT_IS_REVIEW_QUEUE (self), NULL);
  return self->dialog;
}

/* ---- life ---------------------------------------------------------------------------------- */

static GtkWidget *
status_page (const char *icon_name,
             const char *title,
             const char *description)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), icon_name);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  if (description != NULL)
    adw_status_page_set_description (ADW_STATUS_PAGE (page), description);
  return page;
}

CtReviewQueue *
ct_review_queue_new (CtStore   *store,
                     CtSession *session)
{
  CtReviewQueue *self;

  g_return_val_if_fail (CT_IS_STORE (store), NULL);

  self = g_object_new (CT_TYPE_REVIEW_QUEUE, NULL);
  self->store = g_object_ref (store);
  self->session = session != NULL ? ct_session_ref (session) : NULL;
  ct_review_queue_reload (self);
  return self;
}

static void
ct_review_queue_dispose (GObject *object)
{
  CtReviewQueue *self = CT_REVIEW_QUEUE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      self->dialog = NULL;
    }
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->session, ct_session_unref);

  G_OBJECT_CLASS (ct_review_queue_parent_class)->dispose (object);
}

static void
ct_review_queue_finalize (GObject *object)
{
  CtReviewQueue *self = CT_REVIEW_QUEUE (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (ct_review_queue_parent_class)->finalize (object);
}

static void
ct_review_queue_class_init (CtReviewQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_review_queue_dispose;
  object_class->finalize = ct_review_queue_finalize;

  gtk_widget_class_install_action (widget_class, "queue.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "queue.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ct_review_queue_init (CtReviewQueue *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *reload = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *page;
  GtkWidget *error_page;
  GtkWidget *empty_page;
  GtkWidget *group = adw_preferences_group_new ();

  self->rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Review Queue"));
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 520);

  gtk_widget_set_tooltip_text (reload, _("Read the Queue Again"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (reload), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Read the Queue Again"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (reload), "queue.reload");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), reload);
  gtk_box_append (GTK_BOX (toolbar), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);

  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (spinner, 32, 32);
  self->spinner = GTK_SPINNER (spinner);
  gtk_stack_add_named (self->stack, spinner, "loading");

  error_page = status_page ("dialog-error-symbolic", _("Could Not Read the Review Queue"), NULL);
  self->error_page = ADW_STATUS_PAGE (error_page);
  gtk_stack_add_named (self->stack, error_page, "error");

  empty_page = status_page ("emblem-ok-symbolic", _("Nothing Waits for Review"),
                            _("Recordings of cases at the legal-review stage that nobody has annotated yet "
                              "are listed here."));
  gtk_stack_add_named (self->stack, empty_page, "empty");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Recordings of Cases at Legal Review"));
  self->group = ADW_PREFERENCES_GROUP (group);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
  gtk_widget_set_margin_top (group, 24);
  gtk_widget_set_margin_bottom (group, 24);
  gtk_widget_set_margin_start (group, 12);
  gtk_widget_set_margin_end (group, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), group);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  page = scrolled;
  gtk_stack_add_named (self->stack, page, "list");

  gtk_box_append (GTK_BOX (toolbar), GTK_WIDGET (self->stack));
  adw_window_set_content (ADW_WINDOW (self), toolbar);
}

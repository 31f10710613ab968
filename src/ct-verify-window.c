#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-error.h"
#include "ct-media-task.h"
#include "ct-verify-window.h"

struct _CtVerifyWindow
{
  AdwWindow parent_instance;

  CtStore      *store;
  CtSession    *session;
  GCancellable *cancellable;
  gboolean      running;
  guint         n_problems;

  GtkWidget    *status_label;
  GtkWidget    *progress;
  GtkWidget    *detail_label;
  GtkWidget    *button;
  GtkWidget    *problems_group;
};

G_DEFINE_FINAL_TYPE (CtVerifyWindow, ct_verify_window, ADW_TYPE_WINDOW)

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

gboolean
ct_verify_window_get_running (CtVerifyWindow *self)
{
  g_return_val_if_fail (CT_IS_VERIFY_WINDOW (self), FALSE);
  return self->running;
}

guint
ct_verify_window_get_n_problems (CtVerifyWindow *self)
{
  g_return_val_if_fail (CT_IS_VERIFY_WINDOW (self), 0);
  return self->n_problems;
}

static char *
progress_text (guint   objects,
               guint64 bytes,
               double  bytes_per_second)
{
  g_autofree char *size = g_format_size (bytes);
  g_autofree char *rate = g_format_size ((guint64) bytes_per_second);

  /* Translators: verification progress: "12 recordings · 1.2 GB · 150 MB/s" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u recording · %s · %s/s",
                                       "%u recordings · %s · %s/s", objects),
                          objects, size, rate);
}

static void
on_event (GObject            *target,
          const CtMediaEvent *event)
{
  CtVerifyWindow *self = CT_VERIFY_WINDOW (target);

  if (event->type == CT_MEDIA_EVENT_PROGRESS)
    {
      g_autofree char *text = progress_text (event->index, event->done, event->bytes_per_second);

      gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress));
      gtk_label_set_label (GTK_LABEL (self->detail_label), text);
    }
  else if (event->type == CT_MEDIA_EVENT_PROBLEM)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = NULL;
      const char *what;

      if (g_error_matches (event->error, CT_ERROR, CT_ERROR_NOT_FOUND))
        what = _("Missing");
      else if (g_error_matches (event->error, CT_ERROR, CT_ERROR_INTEGRITY))
        what = event->path != NULL ? _("Changed") : _("Not recorded");
      else
        what = _("Could not be checked");

      self->n_problems++;
      title = g_strdup_printf ("%s: %s", what, event->path != NULL ? event->path : event->sha256);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), event->error != NULL ? event->error->message : "");
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "dialog-warning-symbolic");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->problems_group), row);
      gtk_widget_set_visible (self->problems_group, TRUE);
    }
}

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CtVerifyWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CtMediaVerifyReport report = { 0 };
  g_autofree char *detail = NULL;
  g_autofree char *size = NULL;
  g_autofree char *rate = NULL;
  gboolean ok;

  ok = ct_media_task_verify_finish (CT_STORE (object), result, &report, &error);
  self->running = FALSE;
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), 1);
  gtk_button_set_label (GTK_BUTTON (self->button), _("_Close"));
  gtk_widget_set_sensitive (self->button, TRUE);

  size = g_format_size (report.bytes);
  rate = g_format_size ((guint64) report.bytes_per_second);
  if (ok)
    gtk_label_set_label (GTK_LABEL (self->status_label), _("Every recording is intact"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_label_set_label (GTK_LABEL (self->status_label), _("Check cancelled"));
  else if (g_error_matches (error, CT_ERROR, CT_ERROR_INTEGRITY))
    gtk_label_set_label (GTK_LABEL (self->status_label), _("Problems found"));
  else
    gtk_label_set_label (GTK_LABEL (self->status_label), error->message);

  /* Translators: the verification summary */
  detail = g_strdup_printf (_("%u checked (%s, %.1f s, %s/s): %u changed, %u missing, %u not recorded"),
                            report.n_checked, size, report.seconds, rate,
                            report.n_bad, report.n_missing, report.n_unrecorded);
  if (error != NULL && g_error_matches (error, CT_ERROR, CT_ERROR_INTEGRITY))
    {
      g_autofree char *both = g_strdup_printf ("%s\n%s", detail, error->message);
      gtk_label_set_label (GTK_LABEL (self->detail_label), both);
    }
  else
    gtk_label_set_label (GTK_LABEL (self->detail_label), detail);

  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

void
ct_verify_window_cancel (CtVerifyWindow *self)
{
  g_return_if_fail (CT_IS_VERIFY_WINDOW (self));

  if (self->running)
    {
      g_cancellable_cancel (self->cancellable);
      gtk_label_set_label (GTK_LABEL (self->status_label), _("Cancelling…"));
      gtk_widget_set_sensitive (self->button, FALSE);
    }
}

static void
on_button_clicked (CtVerifyWindow *self)
{
  if (self->running)
    ct_verify_window_cancel (self);
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
ct_verify_window_close_request (GtkWindow *window)
{
  ct_verify_window_cancel (CT_VERIFY_WINDOW (window));
  return GTK_WINDOW_CLASS (ct_verify_window_parent_class)->close_request (window);
}

CtVerifyWindow *
ct_verify_window_new (CtStore   *store,
                      CtSession *session)
{
  CtVerifyWindow *self;

  g_return_val_if_fail (CT_IS_STORE (store), NULL);
  g_return_val_if_fail (session != NULL, NULL);

  self = g_object_new (CT_TYPE_VERIFY_WINDOW, NULL);
  self->store = g_object_ref (store);
  self->session = ct_session_ref (session);
  self->running = TRUE;
  ct_media_task_verify_async (store, session, 0, on_event, G_OBJECT (self), self->cancellable,
                              verify_cb, g_object_ref (self));
  return self;
}

static void
ct_verify_window_dispose (GObject *object)
{
  CtVerifyWindow *self = CT_VERIFY_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (ct_verify_window_parent_class)->dispose (object);
}

static void
ct_verify_window_finalize (GObject *object)
{
  CtVerifyWindow *self = CT_VERIFY_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->session, ct_session_unref);
  G_OBJECT_CLASS (ct_verify_window_parent_class)->finalize (object);
}

static void
ct_verify_window_class_init (CtVerifyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ct_verify_window_dispose;
  object_class->finalize = ct_verify_window_finalize;
  window_class->close_request = ct_verify_window_close_request;

  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ct_verify_window_init (CtVerifyWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->cancellable = g_cancellable_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Verify Evidence Store"));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 420);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  self->button = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (on_button_clicked), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->button);
  gtk_box_append (GTK_BOX (box), header);

  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);

  self->status_label = gtk_label_new (_("Reading every stored recording and comparing its hash…"));
  gtk_label_set_wrap (GTK_LABEL (self->status_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->status_label), 0);
  gtk_widget_add_css_class (self->status_label, "heading");
  gtk_box_append (GTK_BOX (content), self->status_label);

  self->progress = gtk_progress_bar_new ();
  gtk_progress_bar_set_pulse_step (GTK_PROGRESS_BAR (self->progress), 0.05);
  gtk_box_append (GTK_BOX (content), self->progress);

  self->detail_label = gtk_label_new ("");
  gtk_label_set_wrap (GTK_LABEL (self->detail_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->detail_label), 0);
  gtk_widget_add_css_class (self->detail_label, "dim-label");
  gtk_box_append (GTK_BOX (content), self->detail_label);

  self->problems_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->problems_group), _("Problems"));
  gtk_widget_set_visible (self->problems_group, FALSE);
  gtk_box_append (GTK_BOX (content), self->problems_group);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), content);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (self), box);
}

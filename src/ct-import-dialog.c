#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-import-dialog.h"
#include "ct-media-task.h"
#include "ct-widget-util.h"

struct _CtImportDialog
{
  AdwWindow parent_instance;

  /* template children */
  AdwToastOverlay     *toast_overlay;
  GtkButton           *cancel_button;
  GtkButton           *import_button;
  GtkStack            *stack;
  AdwPreferencesGroup *files_group;
  AdwActionRow        *no_files_row;
  GtkButton           *add_files_button;
  GtkButton           *add_folder_button;
  AdwEntryRow         *device_row;
  AdwComboRow         *category_row;
  AdwEntryRow         *officers_row;
  AdwEntryRow         *recorded_row;
  GtkLabel            *file_label;
  GtkProgressBar      *file_progress;
  GtkLabel            *overall_label;
  GtkProgressBar      *overall_progress;
  AdwPreferencesGroup *results_group;
  GtkLabel            *error_label;
  GtkSwitch           *document_switch;  /* pictures are scanned paper */

  CtStore      *store;
  CtSession    *session;
  gint64        case_id;
  char         *case_number;
  GPtrArray    *paths;        /* char*, as chosen */
  GPtrArray    *path_rows;    /* the rows showing them */
  GtkFileChooserNative *chooser;
  GCancellable *cancellable;

  gboolean      running;
  gboolean      done;
  gboolean      close_when_done;
  guint         n_files;
  guint         n_imported;
  guint         n_present;
  guint         n_failed;
  guint         n_skipped;
  gboolean      cancelled;
  char         *error;
};

G_DEFINE_FINAL_TYPE (CtImportDialog, ct_import_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (CtImportDialog *self,
            const char     *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* ---- the chosen files ----------------------------------------------------------------- */

static void
update_buttons (CtImportDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button),
                            self->done || (!self->running && self->paths->len > 0));
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_files_button), !self->running && !self->done);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_folder_button), !self->running && !self->done);
}

static void
on_remove_path (CtImportDialog *self,
                GtkButton      *button)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);
  guint index;

  if (row == NULL || self->running || !g_ptr_array_find (self->path_rows, row, &index))
    return;

  adw_preferences_group_remove (self->files_group, row);
  g_ptr_array_remove_index (self->path_rows, index);
  g_ptr_array_remove_index (self->paths, index);
  gtk_widget_set_visible (GTK_WIDGET (self->no_files_row), self->paths->len == 0);
  update_buttons (self);
}

static void
add_path (CtImportDialog *self,
          const char     *path)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *dir = g_path_get_dirname (path);
  GtkWidget *row;
  GtkWidget *remove;
  gboolean folder = g_file_test (path, G_FILE_TEST_IS_DIR);

  for (guint i = 0; i < self->paths->len; i++)
    if (g_str_equal (self->paths->pdata[i], path))
      return;

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), dir);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), folder ? "folder-symbolic" : "text-x-generic-symbolic");
  remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove from the list"));
  gtk_widget_add_css_class (remove, "flat");
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_path), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  adw_preferences_group_add (self->files_group, row);

  g_ptr_array_add (self->paths, g_strdup (path));
  g_ptr_array_add (self->path_rows, row);
  gtk_widget_set_visible (GTK_WIDGET (self->no_files_row), FALSE);
}

void
ct_import_dialog_set_paths (CtImportDialog     *self,
                            const char * const *paths)
{
  g_return_if_fail (CT_IS_IMPORT_DIALOG (self));
  g_return_if_fail (!self->running);

  for (guint i = 0; i < self->path_rows->len; i++)
    adw_preferences_group_remove (self->files_group, self->path_rows->pdata[i]);
  g_ptr_array_set_size (self->path_rows, 0);
  g_ptr_array_set_size (self->paths, 0);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    add_path (self, paths[i]);
  gtk_widget_set_visible (GTK_WIDGET (self->no_files_row), self->paths->len == 0);
  update_buttons (self);
}

static void
on_chooser_response (CtImportDialog       *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          g_autofree char *path = g_file_get_path (file);

          if (path != NULL)
            add_path (self, path);
        }
      update_buttons (self);
    }
  g_clear_object (&self->chooser);
}

static void
choose (CtImportDialog       *self,
        GtkFileChooserAction  action)
{
  gboolean folder = action == GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER;

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (folder ? _("Add a Folder") : _("Add Files"),
                                               GTK_WINDOW (self), action, _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_add_files_clicked (CtImportDialog *self)
{
  choose (self, GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
on_add_folder_clicked (CtImportDialog *self)
{
  choose (self, GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
}

/* ---- the run -------------------------------------------------------------------------- */

static void
add_result (CtImportDialog *self,
            const char     *path,
            const char     *status,
            const char     *detail,
            const char     *icon_name,
            const char     *style)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  if (detail != NULL && detail[0] != '\0')
    /* Translators: an import result: "Failed — why" */
    subtitle = g_strdup_printf (_("%s — %s"), status, detail);
  else
    subtitle = g_strdup (status);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_name (row, "result");
  if (style != NULL)
    gtk_widget_add_css_class (icon, style);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_group_add (self->results_group, row);
}

static void
show_overall (CtImportDialog *self,
              guint           index,
              double          file_fraction)
{
  g_autofree char *text = NULL;

  if (self->n_files == 0)
    {
      gtk_progress_bar_set_fraction (self->overall_progress, 0);
      return;
    }
  /* Translators: overall import progress: file N of M */
  text = g_strdup_printf (_("File %u of %u"), MIN (index + 1, self->n_files), self->n_files);
  gtk_label_set_label (self->overall_label, text);
  gtk_progress_bar_set_fraction (self->overall_progress,
                                 CLAMP ((index + file_fraction) / self->n_files, 0.0, 1.0));
}

static void
on_event (GObject            *target,
          const CtMediaEvent *event)
{
  CtImportDialog *self = CT_IMPORT_DIALOG (target);

  switch (event->type)
    {
    case CT_MEDIA_EVENT_COLLECTED:
      self->n_files = event->n_files;
      for (guint i = 0; event->skipped != NULL && i < event->skipped->len; i++)
        {
          const CtSkippedPath *skipped = event->skipped->pdata[i];

          self->n_skipped++;
          add_result (self, skipped->path, _("Skipped"), skipped->reason, "action-unavailable-symbolic", "dim-label");
        }
      if (self->n_files == 0)
        {
          gtk_label_set_label (self->file_label, _("No recordings found in what was chosen"));
          gtk_progress_bar_set_fraction (self->file_progress, 0);
        }
      show_overall (self, 0, 0);
      break;

    case CT_MEDIA_EVENT_FILE_START:
      {
        g_autofree char *name = g_path_get_basename (event->path);

        gtk_label_set_label (self->file_label, name);
        gtk_progress_bar_set_fraction (self->file_progress, 0);
        gtk_progress_bar_set_text (self->file_progress, _("Starting…"));
        show_overall (self, event->index, 0);
      }
      break;

    case CT_MEDIA_EVENT_PROGRESS:
      {
        double fraction = event->total > 0 ? (double) event->done / event->total : 1.0;
        g_autofree char *rate = g_format_size ((guint64) event->bytes_per_second);
        g_autofree char *text = NULL;
        int percent = (int) (fraction * 100);

        if (event->phase == CT_IMPORT_PHASE_COPY)
          /* Translators: import progress: percent done, speed (e.g. "120.5 MB/s") */
          text = g_strdup_printf (_("Copying and hashing — %d %% — %s/s"), percent, rate);
        else
          text = g_strdup_printf (_("Verifying the stored copy — %d %% — %s/s"), percent, rate);
        gtk_progress_bar_set_text (self->file_progress, text);
        /* Copying and verifying each read the whole file. */
        fraction = event->phase == CT_IMPORT_PHASE_COPY ? fraction / 2 : 0.5 + fraction / 2;
        gtk_progress_bar_set_fraction (self->file_progress, fraction);
        show_overall (self, event->index, fraction);
      }
      break;

    case CT_MEDIA_EVENT_FILE_DONE:
      if (event->import != NULL && event->import->already_present)
        {
          g_autofree char *detail = NULL;
          const CtMedia *m = event->import->media;

          self->n_present++;
          /* Translators: the same content was imported before, under this name */
          detail = g_strdup_printf (_("the same recording was imported before as “%s”"), m->original_name);
          add_result (self, event->path, _("Already in the store"), detail, "emblem-default-symbolic", "dim-label");
        }
      else if (event->import != NULL)
        {
          const CtMedia *m = event->import->media;
          g_autofree char *detail = NULL;

          self->n_imported++;
          if (m->late)
            detail = g_strdup (_("stored after the storage deadline"));
          add_result (self, event->path, _("Imported"), detail, "emblem-ok-symbolic", "success");
        }
      else if (g_error_matches (event->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          add_result (self, event->path, _("Cancelled"), _("nothing of this file was kept"),
                      "process-stop-symbolic", "warning");
        }
      else
        {
          self->n_failed++;
          add_result (self, event->path, _("Failed"), event->error != NULL ? event->error->message : NULL,
                      "dialog-error-symbolic", "error");
        }
      gtk_progress_bar_set_fraction (self->file_progress, 1);
      show_overall (self, event->index, 1);
      break;

    case CT_MEDIA_EVENT_PROBLEM:
    default:
      break;
    }
}

static void
import_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CtImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  ct_media_task_import_finish (CT_STORE (object), result, &error);

  self->running = FALSE;
  self->done = TRUE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->cancelled = TRUE;
      gtk_label_set_label (self->file_label, _("Import cancelled"));
      gtk_progress_bar_set_text (self->file_progress, _("Cancelled"));
    }
  else if (error != NULL)
    {
      self->error = g_strdup (error->message);
      gtk_label_set_label (self->file_label, _("The import could not start"));
      show_error (self, error->message);
    }
  else
    {
      gtk_label_set_label (self->file_label, _("Import finished"));
      gtk_progress_bar_set_text (self->file_progress, NULL);
      gtk_progress_bar_set_fraction (self->overall_progress, 1);
    }

  /* Translators: the import summary: counts of files */
  summary = g_strdup_printf (_("%u imported, %u already present, %u failed, %u skipped"),
                             self->n_imported, self->n_present, self->n_failed, self->n_skipped);
  gtk_label_set_label (self->overall_label, summary);

  gtk_button_set_label (self->import_button, _("_Close"));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  update_buttons (self);

  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);

  if (self->close_when_done)
    gtk_window_destroy (GTK_WINDOW (self));
}

static char **
split_officers (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text != NULL ? text : "", ",，;； ", -1);
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      if (part[0] != '\0')
        g_ptr_array_add (out, g_strdup (part));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

void
ct_import_dialog_start (CtImportDialog *self)
{
  g_autofree char *case_ref = NULL;
  g_auto(GStrv) officers = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autofree char *recorded = NULL;
  const char *device;
  CtMediaSpec spec = { 0 };

  g_return_if_fail (CT_IS_IMPORT_DIALOG (self));

  if (self->running || self->done || self->paths->len == 0)
    return;

  show_error (self, NULL);
  recorded = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->recorded_row))));
  if (recorded[0] != '\0')
    {
      when = g_date_time_new_from_iso8601 (recorded, NULL);
      if (when == NULL)
        {
          show_error (self, _("The recording time is not understood. Write it with its time zone, "
                              "e.g. 2024-05-01T09:30:00+08:00, or leave it empty to take it from the files."));
          gtk_widget_add_css_class (GTK_WIDGET (self->recorded_row), "error");
          return;
        }
      spec.recorded_at = recorded;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->recorded_row), "error");

  officers = split_officers (gtk_editable_get_text (GTK_EDITABLE (self->officers_row)));
  if (officers[0] != NULL)
    spec.officers = (const char * const *) officers;
  device = gtk_editable_get_text (GTK_EDITABLE (self->device_row));
  if (device[0] != '\0')
    spec.device = device;
  spec.category = adw_combo_row_get_selected (self->category_row) == 1 ? "patrol" : "evidence";
  if (gtk_switch_get_active (self->document_switch))
    spec.kind = "document";
  if (self->case_id > 0)
    {
      case_ref = g_strdup_printf ("%" G_GINT64_FORMAT, self->case_id);
      spec.case_ref = case_ref;
    }

  paths = g_ptr_array_new ();
  for (guint i = 0; i < self->paths->len; i++)
    g_ptr_array_add (paths, self->paths->pdata[i]);
  g_ptr_array_add (paths, NULL);

  self->running = TRUE;
  self->cancelled = FALSE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  gtk_label_set_label (self->file_label, _("Looking for recordings…"));
  gtk_progress_bar_set_fraction (self->file_progress, 0);
  gtk_progress_bar_set_text (self->file_progress, "");
  gtk_label_set_label (self->overall_label, "");
  ct_widget_drop_focus (GTK_WIDGET (self->stack));
  gtk_stack_set_visible_child_name (self->stack, "run");
  update_buttons (self);

  ct_media_task_import_async (self->store, self->session, (const char * const *) paths->pdata, &spec,
                              on_event, G_OBJECT (self), self->cancellable,
                              import_cb, g_object_ref (self));
}

void
ct_import_dialog_cancel (CtImportDialog *self)
{
  g_return_if_fail (CT_IS_IMPORT_DIALOG (self));

  if (self->running)
    {
      g_cancellable_cancel (self->cancellable);
      gtk_label_set_label (self->file_label, _("Cancelling…"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
    }
}

static void
on_import_clicked (CtImportDialog *self)
{
  if (self->done)
    gtk_window_close (GTK_WINDOW (self));
  else
    ct_import_dialog_start (self);
}

static void
on_cancel_clicked (CtImportDialog *self)
{
  if (self->running)
    ct_import_dialog_cancel (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* Closing while it runs cancels it; the window goes once the run is over. */
static gboolean
ct_import_dialog_close_request (GtkWindow *window)
{
  CtImportDialog *self = CT_IMPORT_DIALOG (window);

  if (self->running)
    {
      self->close_when_done = TRUE;
      ct_import_dialog_cancel (self);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (ct_import_dialog_parent_class)->close_request (window);
}

/* ---- getters ------------------------------------------------------------------------------ */

gboolean
ct_import_dialog_get_running (CtImportDialog *self)
{
  g_return_val_if_fail (CT_IS_IMPORT_DIALOG (self), FALSE);
  return self->running;
}

guint
ct_import_dialog_get_n_imported (CtImportDialog *self)
{
  g_return_val_if_fail (CT_IS_IMPORT_DIALOG (self), 0);
  return self->n_imported;
}

guint
ct_import_dialog_get_n_present (CtImportDialog *self)
{
  g_return_val_if_fail (CT_IS_IMPORT_DIALOG (self), 0);
  return self->n_present;
}

guint
ct_import_dialog_get_n_failed (CtImportDialog *self)
{
  g_return_val_if_fail (CT_IS_IMPORT_DIALOG (self), 0);
  return self->n_failed;
}

guint
ct_import_dialog_get_n_skipped (CtImportDialog *self)
{
  g_return_val_if_fail (CT_IS_IMPORT_DIALOG (self), 0);
  return self->n_skipped;
}

gboolean
ct_import_dialog_get_cancelled (CtImportDialog *self)
{
  g_return_val_if_fail (CT_IS_IMPORT_DIALOG (self), FALSE);
  return self->cancelled;
}

const char *
ct_import_dialog_get_error (CtImportDialog *self)
{
  g_return_val_if_fail (CT_IS_IMPORT_DIALOG (self), NULL);
  return self->error;
}

/* ---- life ------------------------------------------------------------------------------------ */

CtImportDialog *
ct_import_dialog_new (CtStore    *store,
                      CtSession  *session,
                      gint64      case_id,
                      const char *case_number)
{
  CtImportDialog *self;

  g_return_val_if_fail (CT_IS_STORE (store), NULL);
  g_return_val_if_fail (session != NULL, NULL);

  self = g_object_new (CT_TYPE_IMPORT_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->session = ct_session_ref (session);
  self->case_id = case_id;
  self->case_number = g_strdup (case_number);

  if (case_number != NULL && case_number[0] != '\0')
    {
      /* Translators: the import window's title for a case, %s is its number */
      g_autofree char *title = g_strdup_printf (_("Import Recordings — %s"), case_number);
      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->officers_row), ct_session_get_username (session));
  adw_combo_row_set_selected (self->category_row, case_id > 0 ? 0 : 1);

  return self;
}

static void
ct_import_dialog_dispose (GObject *object)
{
  CtImportDialog *self = CT_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (ct_import_dialog_parent_class)->dispose (object);
}

static void
ct_import_dialog_finalize (GObject *object)
{
  CtImportDialog *self = CT_IMPORT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->session, ct_session_unref);
  g_clear_pointer (&self->paths, g_ptr_array_unref);
  g_clear_pointer (&self->path_rows, g_ptr_array_unref);
  g_free (self->case_number);
  g_free (self->error);

  G_OBJECT_CLASS (ct_import_dialog_parent_class)->finalize (object);
}

static void
ct_import_dialog_class_init (CtImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ct_import_dialog_dispose;
  object_class->finalize = ct_import_dialog_finalize;
  window_class->close_request = ct_import_dialog_close_request;

  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, files_group);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, no_files_row);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, add_files_button);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, add_folder_button);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, device_row);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, category_row);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, officers_row);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, recorded_row);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, file_label);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, file_progress);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, overall_label);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, overall_progress);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, results_group);
  gtk_widget_class_bind_template_child (widget_class, CtImportDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_add_files_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_add_folder_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
ct_import_dialog_init (CtImportDialog *self)
{
  g_autoptr(GtkStringList) categories = NULL;

  self->paths = g_ptr_array_new_with_free_func (g_free);
  self->path_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  categories = gtk_string_list_new (NULL);
  gtk_string_list_append (categories, ct_media_category_label (CT_MEDIA_CATEGORY_EVIDENCE));
  gtk_string_list_append (categories, ct_media_category_label (CT_MEDIA_CATEGORY_PATROL));
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (categories));

  /* Scanned paper: PDFs always are documents; pictures when this is on. */
  {
    GtkWidget *group = gtk_widget_get_ancestor (GTK_WIDGET (self->category_row), ADW_TYPE_PREFERENCES_GROUP);
    GtkWidget *row = adw_action_row_new ();

    self->document_switch = GTK_SWITCH (gtk_switch_new ());
    gtk_widget_set_valign (GTK_WIDGET (self->document_switch), GTK_ALIGN_CENTER);
    gtk_widget_set_name (GTK_WIDGET (self->document_switch), "as-document");
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Pictures Are Scanned Paper"));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                 _("Signed receipts, written statements: PDFs always are scanned documents"));
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->document_switch));
    adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (self->document_switch));
    g_object_ref_sink (row);
    if (group != NULL)
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    g_object_unref (row);
  }
  update_buttons (self);
}

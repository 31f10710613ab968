#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>

#include "ct-document.h"
#include "ct-document-preview.h"

/* Pages are shown this wide, in logical pixels. */
#define PAGE_WIDTH 640

struct _CtDocumentPreview {
  AdwWindow        parent_instance;

  AdwWindowTitle  *title;
  GtkStack        *stack;
  AdwStatusPage   *error_page;
  GtkBox          *pages_box;

  CtStore         *store;
  CtSession       *session;
  gint64           case_id;
  char            *template_id;
  GCancellable    *cancellable;
  char            *blocked;     /* why it cannot be printed, or NULL */

  CtDocument      *doc;
  PopplerDocument *pdf;
  gboolean         ready;
  char            *error;
};

G_DEFINE_FINAL_TYPE (CtDocumentPreview, ct_document_preview, ADW_TYPE_WINDOW)

/* ---- rendering and auditing on a worker thread --------------------------------- */

typedef struct {
  CtStore    *store;
  CtSession  *session;
  gint64      case_id;
  char       *template_id;
  CtDocument *doc;       /* print: the document printed */
  char       *how;
} Job;

typedef struct {
  CtDocument *doc;
  GBytes     *pdf;
} Rendered;

static void
job_free (Job *job)
{
  g_object_unref (job->store);
  ct_session_unref (job->session);
  g_free (job->template_id);
  g_free (job->how);
  g_free (job);
}

static void
rendered_free (Rendered *r)
{
  ct_document_free (r->doc);
  g_clear_pointer (&r->pdf, g_bytes_unref);
  g_free (r);
}

static void
render_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  Rendered *r = g_new0 (Rendered, 1);

  r->doc = ct_store_get_document (job->store, job->session, job->case_id, job->template_id, &error);
  if (r->doc != NULL)
    r->pdf = ct_document_render_pdf (r->doc, NULL, &error);
  if (r->pdf == NULL ||
      !ct_store_record_document (job->store, job->session, job->case_id, r->doc, "preview", NULL, &error))
    {
      rendered_free (r);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, r, (GDestroyNotify) rendered_free);
}

static void
record_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;

  if (!ct_store_record_document (job->store, job->session, job->case_id, job->doc, job->how, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static Job *
job_new (CtDocumentPreview *self)
{
  Job *job = g_new0 (Job, 1);

  job->store = g_object_ref (self->store);
  job->session = ct_session_ref (self->session);
  job->case_id = self->case_id;
  job->template_id = g_strdup (self->template_id);
  return job;
}

/* ---- the pages ------------------------------------------------------------------------ */

static void
draw_page (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        data)
{
  PopplerPage *page = data;
  double w, h;

  poppler_page_get_size (page, &w, &h);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, width / w, height / h);
  poppler_page_render (page, cr);
}

static void
show_error (CtDocumentPreview *self,
            const char        *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  self->ready = TRUE;
}

static void
render_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CtDocumentPreview) self = user_data;
  g_autoptr(GError) error = NULL;
  Rendered *r = g_task_propagate_pointer (G_TASK (result), &error);
  int n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (r == NULL)
    {
      show_error (self, error->message);
      return;
    }

  self->doc = g_steal_pointer (&r->doc);
  self->pdf = poppler_document_new_from_bytes (r->pdf, NULL, &error);
  rendered_free (r);
  if (self->pdf == NULL)
    {
      show_error (self, error->message);
      return;
    }

  adw_window_title_set_title (self->title, ct_form_template_display_title (self->doc->tmpl));
  adw_window_title_set_subtitle (self->title, self->doc->case_number);
  n = poppler_document_get_n_pages (self->pdf);
  for (int i = 0; i < n; i++)
    {
      PopplerPage *page = poppler_document_get_page (self->pdf, i);
      GtkWidget *area = gtk_drawing_area_new ();
      g_autofree char *label = g_strdup_printf (_("Page %d of %d"), i + 1, n);
      double w, h;

      poppler_page_get_size (page, &w, &h);
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), PAGE_WIDTH);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), (int) (PAGE_WIDTH * h / w));
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_page, page, g_object_unref);
      gtk_widget_set_halign (area, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (area, "card");
      gtk_accessible_update_property (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_box_append (self->pages_box, area);
    }
  gtk_stack_set_visible_child_name (self->stack, "pages");
  self->ready = TRUE;
  /* An incomplete decision is shown as a draft, but not printed. */
  {
    g_autoptr(GError) blocked = NULL;
    gboolean issuable = ct_document_check_issuable (self->doc, &blocked);

    gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.print", issuable);
    if (!issuable)
      {
        /* Translators: the preview's subtitle when the document cannot be printed yet */
        g_autofree char *subtitle = g_strdup_printf (_("%s — draft, cannot be printed"), self->doc->case_number);
        adw_window_title_set_subtitle (self->title, subtitle);
        gtk_widget_set_tooltip_text (GTK_WIDGET (self->title), blocked->message);
        self->blocked = g_strdup (blocked->message);
      }
  }
}

/* ---- printing ------------------------------------------------------------------------------- */

static void
begin_print (GtkPrintOperation *op,
             GtkPrintContext   *context,
             gpointer           user_data)
{
  CtDocumentPreview *self = user_data;

  gtk_print_operation_set_n_pages (op, poppler_document_get_n_pages (self->pdf));
}

static void
print_page (GtkPrintOperation *op,
            GtkPrintContext   *context,
            int                page_nr,
            gpointer           user_data)
{
  CtDocumentPreview *self = user_data;
  PopplerPage *page = poppler_document_get_page (self->pdf, page_nr);
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double w, h, scale;

  if (page == NULL)
    return;
  poppler_page_get_size (page, &w, &h);
  scale = MIN (gtk_print_context_get_width (context) / w, gtk_print_context_get_height (context) / h);
  cairo_scale (cr, scale, scale);
  poppler_page_render_for_printing (page, cr);
  g_object_unref (page);
}

static void
record_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CtDocumentPreview) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not record the printing of a document: %s", error->message);
}

static void
print_done (GtkPrintOperation       *op,
            GtkPrintOperationResult  result,
            gpointer                 user_data)
{
  CtDocumentPreview *self = user_data;
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;
      gtk_print_operation_get_error (op, &error);
      show_error (self, error->message);
      return;
    }
  if (result != GTK_PRINT_OPERATION_RESULT_APPLY)
    return;

  job = job_new (self);
  job->doc = self->doc;   /* lives as long as the window, which the task holds */
  job->how = g_strdup ("print");
  task = g_task_new (NULL, self->cancellable, record_cb, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, record_thread);
}

static GtkPrintOperation *
new_print_operation (CtDocumentPreview *self)
{
  GtkPrintOperation *op = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autofree char *job_name = g_strdup_printf ("%s %s", self->doc->case_number, self->doc->tmpl->title);

  /* The PDF carries its own margins: the pages print at full size. */
  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_print_operation_set_default_page_setup (op, setup);
  gtk_print_operation_set_use_full_page (op, TRUE);
  gtk_print_operation_set_job_name (op, job_name);
  g_signal_connect (op, "begin-print", G_CALLBACK (begin_print), self);
  g_signal_connect (op, "draw-page", G_CALLBACK (print_page), self);
  return op;
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CtDocumentPreview *self = CT_DOCUMENT_PREVIEW (widget);
  g_autoptr(GtkPrintOperation) op = NULL;
  g_autoptr(GError) error = NULL;

  if (self->pdf == NULL)
    return;
  op = new_print_operation (self);
  gtk_print_operation_set_allow_async (op, TRUE);
  g_signal_connect (op, "done", G_CALLBACK (print_done), self);
  if (gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, GTK_WINDOW (self), &error) ==
      GTK_PRINT_OPERATION_RESULT_ERROR)
    show_error (self, error->message);
}

gboolean
ct_document_preview_export (CtDocumentPreview  *self,
                            const char         *path,
                            GError            **error)
{
  g_autoptr(GtkPrintOperation) op = NULL;

  g_return_val_if_fail (CT_IS_DOCUMENT_PREVIEW (self), FALSE);
  g_return_val_if_fail (self->pdf != NULL, FALSE);

  if (self->blocked != NULL)
    {
      g_set_error_literal (error, CT_ERROR, CT_ERROR_BLOCKED, self->blocked);
      return FALSE;
    }
  op = new_print_operation (self);
  gtk_print_operation_set_export_filename (op, path);
  if (gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT, GTK_WINDOW (self), error) ==
      GTK_PRINT_OPERATION_RESULT_ERROR)
    return FALSE;
  print_done (op, GTK_PRINT_OPERATION_RESULT_APPLY, self);
  return TRUE;
}

/* ---- the window ------------------------------------------------------------------------------ */

gboolean
ct_document_preview_get_ready (CtDocumentPreview *self)
{
  g_return_val_if_fail (CT_IS_DOCUMENT_PREVIEW (self), FALSE);
  return self->ready;
}

guint
ct_document_preview_get_n_pages (CtDocumentPreview *self)
{
  guint n = 0;

  g_return_val_if_fail (CT_IS_DOCUMENT_PREVIEW (self), 0);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->pages_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

const char *
ct_document_preview_get_error (CtDocumentPreview *self)
{
  g_return_val_if_fail (CT_IS_DOCUMENT_PREVIEW (self), NULL);
  return self->error;
}

CtDocumentPreview *
ct_document_preview_new (CtStore    *store,
                         CtSession  *session,
                         gint64      case_id,
                         const char *template_id)
{
  CtDocumentPreview *self = g_object_new (CT_TYPE_DOCUMENT_PREVIEW, NULL);
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (CT_IS_STORE (store), NULL);
  g_return_val_if_fail (session != NULL && template_id != NULL, NULL);

  self->store = g_object_ref (store);
  self->session = ct_session_ref (session);
  self->case_id = case_id;
  self->template_id = g_strdup (template_id);

  task = g_task_new (NULL, self->cancellable, render_cb, g_object_ref (self));
  g_task_set_task_data (task, job_new (self), (GDestroyNotify) job_free);
  g_task_run_in_thread (task, render_thread);
  return self;
}

static void
ct_document_preview_dispose (GObject *object)
{
  CtDocumentPreview *self = CT_DOCUMENT_PREVIEW (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (ct_document_preview_parent_class)->dispose (object);
}

static void
ct_document_preview_finalize (GObject *object)
{
  CtDocumentPreview *self = CT_DOCUMENT_PREVIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->session, ct_session_unref);
  g_clear_pointer (&self->doc, ct_document_free);
  g_clear_object (&self->pdf);
  g_free (self->template_id);
  g_free (self->blocked);
  g_free (self->error);
  G_OBJECT_CLASS (ct_document_preview_parent_class)->finalize (object);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
ct_document_preview_class_init (CtDocumentPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_document_preview_dispose;
  object_class->finalize = ct_document_preview_finalize;

  gtk_widget_class_install_action (widget_class, "preview.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "preview.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "preview.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "preview.print", NULL);
}

static void
ct_document_preview_init (CtDocumentPreview *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *print = gtk_button_new_with_mnemonic (_("_Print…"));
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *error_page = adw_status_page_new ();

  self->cancellable = g_cancellable_new ();

  gtk_window_set_default_size (GTK_WINDOW (self), 760, 900);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  self->title = ADW_WINDOW_TITLE (adw_window_title_new (_("Document Preview"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (print), "preview.print");
  gtk_widget_set_tooltip_text (print, _("Print the document (Ctrl+P)"));
  gtk_widget_add_css_class (print, "suggested-action");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), print);
  gtk_box_append (GTK_BOX (box), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);

  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Rendering the document"), -1);
  gtk_stack_add_named (self->stack, spinner, "loading");

  self->error_page = ADW_STATUS_PAGE (error_page);
  adw_status_page_set_icon_name (self->error_page, "dialog-error-symbolic");
  adw_status_page_set_title (self->error_page, _("Could Not Show the Document"));
  gtk_stack_add_named (self->stack, error_page, "error");

  self->pages_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 18));
  gtk_widget_set_margin_top (GTK_WIDGET (self->pages_box), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->pages_box), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (self->pages_box), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self->pages_box), 18);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->pages_box));
  gtk_widget_add_css_class (scrolled, "view");
  gtk_stack_add_named (self->stack, scrolled, "pages");
  gtk_stack_set_visible_child_name (self->stack, "loading");

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  adw_window_set_content (ADW_WINDOW (self), box);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.print", FALSE);
}

const char *
ct_document_preview_get_blocked (CtDocumentPreview *self)
{
  g_return_val_if_fail (CT_IS_DOCUMENT_PREVIEW (self), NULL);
  return self->blocked;
}

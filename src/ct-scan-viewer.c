#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>
#include <string.h>

#include "ct-error.h"
#include "ct-form.h"
#include "ct-media.h"
#include "ct-review.h"
#include "ct-scan-viewer.h"
#include "ct-tiff.h"

/* At zoom 1.0 a page is this wide, in logical pixels. */
#define PAGE_WIDTH 720
#define ZOOM_MIN 0.25
#define ZOOM_MAX 4.0

/* poppler-glib 22.02 declares no autoptr cleanups */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

struct _CtScanViewer {
  AdwWindow        parent_instance;

  AdwWindowTitle  *title;
  GtkWidget       *scrolled;
  GtkWidget       *area;       /* a PDF page */
  GtkWidget       *picture;    /* a scanned picture */
  GtkWidget       *zoom_label;

  CtStore         *store;
  CtSession       *session;
  gint64           media_id;
  char            *name;
  PopplerDocument *pdf;
  GdkTexture      *texture;
  GBytes          *tiff;       /* a multi-page TIFF: its bytes, one page shown at a time */
  guint            texture_page;
  guint            n_pages;
  guint            page;
  double           zoom;
};

enum { SIGNAL_ATTACHED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CtScanViewer, ct_scan_viewer, ADW_TYPE_WINDOW)

static void
draw_page (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        data)
{
  CtScanViewer *self = data;
  g_autoptr(PopplerPage) page = NULL;
  double w, h;

  if (self->pdf == NULL)
    return;
  page = poppler_document_get_page (self->pdf, (int) self->page);
  if (page == NULL)
    return;
  poppler_page_get_size (page, &w, &h);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, width / w, height / h);
  poppler_page_render (page, cr);
}

/* Page @page of the multi-page TIFF, as a texture of its own. */
static GdkTexture *
tiff_page_texture (CtScanViewer *self,
                   guint         page,
                   GError      **error)
{
  g_autoptr(GBytes) one = ct_tiff_extract_page (self->tiff, page);

  if (one == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("“%s” has no page %u."), self->name, page + 1);
      return NULL;
    }
  return gdk_texture_new_from_bytes (one, error);
}

static void
update (CtScanViewer *self)
{
  g_autofree char *subtitle = g_strdup_printf (_("Page %u of %u"), self->page + 1, self->n_pages);
  g_autofree char *percent = g_strdup_printf ("%.0f %%", self->zoom * 100);
  int width = (int) (PAGE_WIDTH * self->zoom);

  adw_window_title_set_subtitle (self->title, subtitle);
  gtk_label_set_text (GTK_LABEL (self->zoom_label), percent);
  if (self->pdf != NULL)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (self->pdf, (int) self->page);
      double w = 1, h = 1;

      if (page != NULL)
        poppler_page_get_size (page, &w, &h);
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self->area), width);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->area), (int) (width * h / w));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->area), GTK_ACCESSIBLE_PROPERTY_LABEL, subtitle, -1);
      gtk_widget_queue_draw (self->area);
    }
  else if (self->texture != NULL)
    {
      int tw, th;

      if (self->tiff != NULL && self->texture_page != self->page)
        {
          g_autoptr(GError) error = NULL;
          GdkTexture *texture = tiff_page_texture (self, self->page, &error);

          if (texture != NULL)
            {
              g_set_object (&self->texture, texture);
              g_object_unref (texture);
              gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (self->texture));
              gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              subtitle, -1);
            }
          else
            {
              g_autofree char *label = g_strdup_printf (_("%s cannot be shown: %s"), subtitle, error->message);

              gtk_picture_set_paintable (GTK_PICTURE (self->picture), NULL);
              gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              label, -1);
            }
          self->texture_page = self->page;
        }
      tw = gdk_texture_get_width (self->texture);
      th = gdk_texture_get_height (self->texture);
      gtk_widget_set_size_request (self->picture, width, (int) ((double) width * th / MAX (tw, 1)));
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.previous", self->page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.next", self->page + 1 < self->n_pages);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.zoom-in", self->zoom < ZOOM_MAX);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.zoom-out", self->zoom > ZOOM_MIN);
}

guint
ct_scan_viewer_get_n_pages (CtScanViewer *self)
{
  g_return_val_if_fail (CT_IS_SCAN_VIEWER (self), 0);
  return self->n_pages;
}

guint
ct_scan_viewer_get_page (CtScanViewer *self)
{
  g_return_val_if_fail (CT_IS_SCAN_VIEWER (self), 0);
  return self->page;
}

void
ct_scan_viewer_set_page (CtScanViewer *self,
                         guint         page)
{
  g_return_if_fail (CT_IS_SCAN_VIEWER (self));
  if (self->n_pages == 0)
    return;
  self->page = MIN (page, self->n_pages - 1);
  update (self);
}

double
ct_scan_viewer_get_zoom (CtScanViewer *self)
{
  g_return_val_if_fail (CT_IS_SCAN_VIEWER (self), 1.0);
  return self->zoom;
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CtScanViewer *self = CT_SCAN_VIEWER (widget);

  if (g_str_equal (action_name, "viewer.next") && self->page + 1 < self->n_pages)
    self->page++;
  else if (g_str_equal (action_name, "viewer.previous") && self->page > 0)
    self->page--;
  update (self);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CtScanViewer *self = CT_SCAN_VIEWER (widget);

  if (g_str_equal (action_name, "viewer.zoom-in"))
    self->zoom = MIN (self->zoom * 1.25, ZOOM_MAX);
  else if (g_str_equal (action_name, "viewer.zoom-out"))
    self->zoom = MAX (self->zoom / 1.25, ZOOM_MIN);
  else
    self->zoom = 1.0;
  update (self);
}

static void
attached (gpointer data,
          gpointer user_data)
{
  CtScanViewer *self = user_data;

  g_signal_emit (self, signals[SIGNAL_ATTACHED], 0);
}

static void
attach_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CtScanViewer *self = CT_SCAN_VIEWER (widget);

  ct_scan_attach_dialog_present (GTK_WINDOW (self), self->store, self->session, self->media_id,
                                 attached, G_OBJECT (self));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

CtScanViewer *
ct_scan_viewer_new (CtStore    *store,
                    CtSession  *session,
                    gint64      media_id,
                    GError    **error)
{
  g_autoptr(CtScanViewer) self = NULL;
  g_autoptr(CtMedia) m = NULL;
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, media_id);
  g_autofree char *path = NULL;

  g_return_val_if_fail (CT_IS_STORE (store), NULL);
  g_return_val_if_fail (session != NULL, NULL);

  m = ct_store_get_media (store, ref, error);
  if (m == NULL)
    return NULL;
  if (m->kind != CT_MEDIA_KIND_DOCUMENT)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("“%s” is not a scanned document."), m->original_name);
      return NULL;
    }
  /* poppler runs in this process only on what the helper read safely */
  if (g_strcmp0 (m->probe_status, "ok") != 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("“%s” cannot be shown: %s"), m->original_name,
                   m->probe_reason != NULL ? m->probe_reason : m->probe_status);
      return NULL;
    }
  path = ct_store_open_media (store, session, media_id, FALSE, error);
  if (path == NULL)
    return NULL;

  self = g_object_ref_sink (g_object_new (CT_TYPE_SCAN_VIEWER, NULL));
  self->store = g_object_ref (store);
  self->session = ct_session_ref (session);
  self->media_id = media_id;
  self->name = g_strdup (m->title != NULL ? m->title : m->original_name);
  adw_window_title_set_title (self->title, self->name);

  if (m->probe_json != NULL && strstr (m->probe_json, "\"document\"") != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *uri = g_file_get_uri (file);

      self->pdf = poppler_document_new_from_file (uri, NULL, error);
      if (self->pdf == NULL)
        return NULL;
      self->n_pages = (guint) MAX (poppler_document_get_n_pages (self->pdf), 0);
      self->area = gtk_drawing_area_new ();
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->area), draw_page, self, NULL);
      gtk_widget_set_name (self->area, "page");
      gtk_widget_set_halign (self->area, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (self->area, GTK_ALIGN_START);
      gtk_widget_add_css_class (self->area, "card");
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), self->area);
    }
  else
    {
      guint tiff_pages = ct_tiff_count_pages (path);

      if (tiff_pages > 1)
        {
          /* a sheet-feed scan: the loaders read only the first page */
          g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, error);

          if (mapped == NULL)
            return NULL;
          self->tiff = g_mapped_file_get_bytes (mapped);
          self->n_pages = tiff_pages;
          self->texture = tiff_page_texture (self, 0, error);
        }
      else
        {
          self->texture = gdk_texture_new_from_filename (path, error);
          self->n_pages = 1;
        }
      if (self->texture == NULL)
        return NULL;
      self->picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (self->texture));
      gtk_picture_set_can_shrink (GTK_PICTURE (self->picture), TRUE);
      gtk_widget_set_name (self->picture, "page");
      gtk_widget_set_halign (self->picture, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (self->picture, GTK_ALIGN_START);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      self->name, -1);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), self->picture);
    }
  if (self->n_pages == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("“%s” has no pages."), m->original_name);
      return NULL;
    }
  update (self);
  return g_steal_pointer (&self);
}

static void
ct_scan_viewer_finalize (GObject *object)
{
  CtScanViewer *self = CT_SCAN_VIEWER (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->session, ct_session_unref);
  g_clear_object (&self->pdf);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->tiff, g_bytes_unref);
  g_free (self->name);
  G_OBJECT_CLASS (ct_scan_viewer_parent_class)->finalize (object);
}

static void
ct_scan_viewer_class_init (CtScanViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ct_scan_viewer_finalize;

  /* The document was attached to a step: the case's checklist may change. */
  signals[SIGNAL_ATTACHED] = g_signal_new ("attached", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "viewer.previous", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "viewer.next", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.attach", NULL, attach_action);
  gtk_widget_class_install_action (widget_class, "viewer.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "viewer.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "viewer.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "viewer.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "viewer.zoom-reset", NULL);
}

static GtkWidget *
icon_button (const char *icon,
             const char *action,
             const char *tooltip,
             const char *name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_set_name (button, name);
  return button;
}

static void
ct_scan_viewer_init (CtScanViewer *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *pages = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *zoom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *attach = gtk_button_new_with_mnemonic (_("_Attach to Step…"));

  self->zoom = 1.0;
  gtk_window_set_default_size (GTK_WINDOW (self), 800, 960);

  self->title = ADW_WINDOW_TITLE (adw_window_title_new (_("Scanned Document"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));

  gtk_widget_add_css_class (pages, "linked");
  gtk_box_append (GTK_BOX (pages), icon_button ("go-previous-symbolic", "viewer.previous",
                                                _("Previous Page (Page Up)"), "previous"));
  gtk_box_append (GTK_BOX (pages), icon_button ("go-next-symbolic", "viewer.next",
                                                _("Next Page (Page Down)"), "next"));
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), pages);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (attach), "viewer.attach");
  gtk_widget_set_tooltip_text (attach, _("Attach this document to a step of its case"));
  gtk_widget_set_name (attach, "attach");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), attach);

  gtk_widget_add_css_class (zoom, "linked");
  gtk_box_append (GTK_BOX (zoom), icon_button ("zoom-out-symbolic", "viewer.zoom-out", _("Zoom Out (Ctrl+−)"),
                                               "zoom-out"));
  self->zoom_label = gtk_button_new_with_label ("100 %");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->zoom_label), "viewer.zoom-reset");
  gtk_widget_set_tooltip_text (self->zoom_label, _("Original Size (Ctrl+0)"));
  gtk_widget_set_name (self->zoom_label, "zoom-reset");
  gtk_box_append (GTK_BOX (zoom), self->zoom_label);
  self->zoom_label = gtk_button_get_child (GTK_BUTTON (self->zoom_label));
  gtk_box_append (GTK_BOX (zoom), icon_button ("zoom-in-symbolic", "viewer.zoom-in", _("Zoom In (Ctrl+plus)"),
                                               "zoom-in"));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), zoom);
  gtk_box_append (GTK_BOX (box), header);

  self->scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (self->scrolled, TRUE);
  gtk_widget_add_css_class (self->scrolled, "view");
  gtk_box_append (GTK_BOX (box), self->scrolled);
  adw_window_set_content (ADW_WINDOW (self), box);
}

/* ---- Attach to Step… ------------------------------------------------------------------------ */

typedef struct {
  CtStore   *store;
  CtSession *session;
  gint64     media_id;
  GPtrArray *targets;    /* "template\nfield" */
  GtkWidget *fields;     /* GtkDropDown */
  GtkWidget *pages;
  GtkWidget *label;
  GFunc      on_attached;
  GWeakRef   owner;      /* the GObject @on_attached is called with */
} Attach;

static void
attach_free (Attach *a)
{
  g_object_unref (a->store);
  ct_session_unref (a->session);
  g_ptr_array_unref (a->targets);
  g_weak_ref_clear (&a->owner);
  g_free (a);
}

static void
attach_response (AdwMessageDialog *dialog,
                 const char       *response,
                 gpointer          data)
{
  Attach *a = data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) target = NULL;
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (a->fields));

  if (g_strcmp0 (response, "attach") != 0 || i >= a->targets->len)
    return;
  target = g_strsplit (a->targets->pdata[i], "\n", 2);
  if (!ct_store_attach_scan (a->store, a->session, a->media_id, target[0], target[1],
                             gtk_editable_get_text (GTK_EDITABLE (a->pages)),
                             gtk_editable_get_text (GTK_EDITABLE (a->label)), &error))
    {
      GtkWidget *failed = adw_message_dialog_new (gtk_window_get_transient_for (GTK_WINDOW (dialog)),
                                                  _("Could Not Attach the Document"), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (failed), "close", _("_Close"));
      gtk_widget_set_name (failed, "attach-error");
      gtk_window_present (GTK_WINDOW (failed));
      return;
    }
  if (a->on_attached != NULL)
    {
      g_autoptr(GObject) owner = g_weak_ref_get (&a->owner);
      if (owner != NULL)
        a->on_attached (NULL, owner);
    }
}

void
ct_scan_attach_dialog_present (GtkWindow  *parent,
                               CtStore    *store,
                               CtSession  *session,
                               gint64      media_id,
                               GFunc       on_attached,
                               GObject    *owner)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  CtFormRegistry *forms = ct_store_get_forms (store, &error);
  GtkWidget *dialog, *box;
  Attach *a;

  if (forms == NULL)
    {
      dialog = adw_message_dialog_new (parent, _("Could Not Attach the Document"), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  a = g_new0 (Attach, 1);
  a->store = g_object_ref (store);
  a->session = ct_session_ref (session);
  a->media_id = media_id;
  a->on_attached = on_attached;
  g_weak_ref_init (&a->owner, owner);
  a->targets = g_ptr_array_new_with_free_func (g_free);

  templates = ct_form_registry_list (forms);
  for (guint t = 0; t < templates->len; t++)
    {
      const CtFormTemplate *tmpl = templates->pdata[t];
      for (guint f = 0; f < tmpl->fields->len; f++)
        {
          const CtFieldDef *fd = tmpl->fields->pdata[f];
          g_autofree char *name = NULL;
          if (fd->type != CT_FIELD_SCAN)
            continue;
          /* Translators: a form's title, then one of its fields */
          name = g_strdup_printf (_("%s — %s"), ct_form_template_display_title (tmpl),
                                  ct_field_def_display_label (fd));
          gtk_string_list_append (names, name);
          g_ptr_array_add (a->targets, g_strdup_printf ("%s\n%s", tmpl->id, fd->id));
        }
    }

  dialog = adw_message_dialog_new (parent, _("Attach to Step"),
                                   _("The document becomes evidence of a form of its case: the signed receipt, "
                                     "the party's written statement, the signed pages of a record."));
  gtk_widget_set_name (dialog, "attach-scan");
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  a->fields = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  gtk_widget_set_name (a->fields, "field");
  gtk_accessible_update_property (GTK_ACCESSIBLE (a->fields), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Form and field"), -1);
  a->pages = gtk_entry_new ();
  gtk_widget_set_name (a->pages, "pages");
  gtk_entry_set_placeholder_text (GTK_ENTRY (a->pages), _("Pages, e.g. 1-2 (empty: all)"));
  a->label = gtk_entry_new ();
  gtk_widget_set_name (a->label, "label");
  gtk_entry_set_placeholder_text (GTK_ENTRY (a->label), _("What it is, e.g. 签收页"));
  gtk_box_append (GTK_BOX (box), a->fields);
  gtk_box_append (GTK_BOX (box), a->pages);
  gtk_box_append (GTK_BOX (box), a->label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "attach", _("_Attach"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "attach", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "attach");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (attach_response), a, (GClosureNotify) (void (*) (void)) attach_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

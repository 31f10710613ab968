#define G_LOG_DOMAIN "casetrail-core"

/* Draws a case's document (文书) as an A4 PDF: cairo's PDF surface, pango
 * for the Chinese text (Noto CJK, embedded as subsets), libqrencode for
 * the approvals' check codes.  No GTK.
 *
 * The page follows the usual layout of administrative documents: the
 * agency's name and the title centred on top, the case number below, the
 * fields in a ruled two-column table (label left), long values split
 * across pages at line boundaries, the agency and seal line at the end,
 * then the signed approvals with their QR codes, and "第 N 页 共 M 页" at the
 * foot of every page.  The pages are laid out twice: the first pass only
 * counts them, so the footer can say how many there are. */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <cairo-pdf.h>
#include <qrencode.h>

#include <glib/gi18n-lib.h>

#include "ct-document.h"
#include "ct-error.h"

#include "ct-pdf-private.h"

/* One pango context per pen: making one for every layout (what
 * pango_cairo_create_layout() does) costs more than shaping the text, and
 * the pen never transforms its cairo context, so one stays right. */
PangoLayout *
ct_pen_layout (CtPen          *pen,
               const char     *text,
               const char     *font,
               double          width,
               PangoAlignment  align)
{
  PangoLayout *layout;
  PangoFontDescription *desc;

  if (pen->context == NULL)
    pen->context = pango_cairo_create_context (pen->cr);
  layout = pango_layout_new (pen->context);
  desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

double
ct_pen_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

void
ct_pen_footer (CtPen *pen)
{
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;

  if (pen->dossier)
    {
      if (pen->dossier_total == 0)
        text = g_strdup_printf ("%s　卷内第 %u 页", pen->dossier, pen->base + pen->page);
      else
        text = g_strdup_printf ("%s　卷内第 %u 页 共 %u 页", pen->dossier, pen->base + pen->page,
                                pen->dossier_total);
    }
  else if (pen->total == 0)
    text = g_strdup_printf ("第 %u 页", pen->page);
  else
    text = g_strdup_printf ("第 %u 页 共 %u 页", pen->page, pen->total);
  layout = ct_pen_layout (pen, text, SERIF " 9", BODY_W, PANGO_ALIGN_CENTER);
  cairo_move_to (pen->cr, MARGIN_LEFT, FOOTER_Y);
  pango_cairo_show_layout (pen->cr, layout);
}

void
ct_pen_next_page (CtPen *pen)
{
  if (pen->page > 0)
    {
      ct_pen_footer (pen);
      cairo_show_page (pen->cr);
    }
  pen->page++;
  pen->y = MARGIN_TOP;

  /* Continuation pages say which document (or part of the dossier) they
   * continue. */
  if (pen->page > 1 && (pen->doc != NULL || pen->running_head != NULL))
    {
      g_autofree char *text = pen->doc != NULL
        ? g_strdup_printf ("%s　%s（续）", pen->doc->case_number, pen->doc->tmpl->title)
        : g_strdup_printf ("%s（续）", pen->running_head);
      g_autoptr(PangoLayout) layout = ct_pen_layout (pen, text, SERIF " 9", BODY_W, PANGO_ALIGN_RIGHT);
      cairo_move_to (pen->cr, MARGIN_LEFT, MARGIN_TOP - 10.0 * MM);
      pango_cairo_show_layout (pen->cr, layout);
    }
}

void
ct_pen_finish (CtPen *pen)
{
  if (pen->page == 0)
    return;
  ct_pen_footer (pen);
  cairo_show_page (pen->cr);
}

void
ct_pen_ensure_space (CtPen  *pen,
                     double  height)
{
  if (pen->y + height > BODY_BOTTOM && pen->y > MARGIN_TOP)
    ct_pen_next_page (pen);
}

void
ct_pen_block (CtPen          *pen,
              const char     *text,
              const char     *font,
              PangoAlignment  align,
              double          space_after)
{
  g_autoptr(PangoLayout) layout = ct_pen_layout (pen, text, font, BODY_W, align);
  double h = ct_pen_height (layout);

  ct_pen_ensure_space (pen, h);
  cairo_move_to (pen->cr, MARGIN_LEFT, pen->y);
  pango_cairo_show_layout (pen->cr, layout);
  pen->y += h + space_after;
}

/* Bottoms of the layout's lines, in points from its top. */
static GArray *
line_bottoms (PangoLayout *layout)
{
  GArray *bottoms = g_array_new (FALSE, FALSE, sizeof (double));
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  do
    {
      int y0, y1;
      double b;

      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      b = (double) y1 / PANGO_SCALE;
      g_array_append_val (bottoms, b);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  return bottoms;
}

/* Shows the part of @layout from @from to @to (points from its top) at
 * (x, y), clipped to whole lines. */
static void
show_slice (CtPen       *pen,
            PangoLayout *layout,
            double       x,
            double       y,
            double       width,
            double       from,
            double       to)
{
  cairo_save (pen->cr);
  cairo_rectangle (pen->cr, x, y, width, to - from);
  cairo_clip (pen->cr);
  cairo_move_to (pen->cr, x, y - from);
  pango_cairo_show_layout (pen->cr, layout);
  cairo_restore (pen->cr);
}

static void
stroke_row (CtPen   *pen,
            double  top,
            double  height,
            gboolean top_rule)
{
  cairo_t *cr = pen->cr;

  cairo_set_line_width (cr, RULE);
  if (top_rule)
    {
      cairo_move_to (cr, MARGIN_LEFT, top);
      cairo_line_to (cr, MARGIN_LEFT + BODY_W, top);
    }
  cairo_move_to (cr, MARGIN_LEFT, top + height);
  cairo_line_to (cr, MARGIN_LEFT + BODY_W, top + height);
  cairo_move_to (cr, MARGIN_LEFT, top);
  cairo_line_to (cr, MARGIN_LEFT, top + height);
  cairo_move_to (cr, MARGIN_LEFT + LABEL_W, top);
  cairo_line_to (cr, MARGIN_LEFT + LABEL_W, top + height);
  cairo_move_to (cr, MARGIN_LEFT + BODY_W, top);
  cairo_line_to (cr, MARGIN_LEFT + BODY_W, top + height);
  cairo_stroke (cr);
}

/* One row of the table: the label left, the value right.  A value too long
 * for the page continues on the next, its label marked （续）. */
void
ct_pen_row (CtPen      *pen,
            const char *label,
            const char *value,
            double      min_height,
            gboolean   *table_open)
{
  double label_w = LABEL_W - 2 * CELL_PAD;
  double value_w = BODY_W - LABEL_W - 2 * CELL_PAD;
  g_autoptr(PangoLayout) lab = ct_pen_layout (pen, label, SERIF " bold 10.5", label_w, PANGO_ALIGN_LEFT);
  g_autoptr(PangoLayout) val = ct_pen_layout (pen, value, SERIF " 10.5", value_w, PANGO_ALIGN_LEFT);
  g_autoptr(GArray) bottoms = line_bottoms (val);
  double lab_h = ct_pen_height (lab);
  double from = 0;
  guint next_line = 0;
  gboolean first = TRUE;

  while (next_line < bottoms->len)
    {
      double avail = BODY_BOTTOM - pen->y - 2 * CELL_PAD;
      double to = from;
      double height;
      guint n = next_line;

      while (n < bottoms->len && g_array_index (bottoms, double, n) - from <= avail)
        to = g_array_index (bottoms, double, n++);
      /* Not even one line (or the label) fits: the row starts on a new page. */
      if (n == next_line || (first && MAX (lab_h, min_height - 2 * CELL_PAD) > avail))
        {
          if (pen->y <= MARGIN_TOP + 0.5)
            {
              /* Nothing taller than a page happens with these fonts; show
               * at least a line anyway rather than loop. */
              if (n == next_line)
                to = g_array_index (bottoms, double, n++);
            }
          else
            {
              ct_pen_next_page (pen);
              *table_open = FALSE;
              continue;
            }
        }

      height = MAX (to - from, first ? lab_h : 0) + 2 * CELL_PAD;
      if (first)
        height = MAX (height, min_height);
      if (first)
        {
          cairo_move_to (pen->cr, MARGIN_LEFT + CELL_PAD, pen->y + CELL_PAD);
          pango_cairo_show_layout (pen->cr, lab);
        }
      else
        {
          g_autofree char *cont = g_strdup_printf ("%s（续）", label);
          g_autoptr(PangoLayout) c = ct_pen_layout (pen, cont, SERIF " bold 10.5", label_w, PANGO_ALIGN_LEFT);
          cairo_move_to (pen->cr, MARGIN_LEFT + CELL_PAD, pen->y + CELL_PAD);
          pango_cairo_show_layout (pen->cr, c);
          height = MAX (height, ct_pen_height (c) + 2 * CELL_PAD);
        }
      show_slice (pen, val, MARGIN_LEFT + LABEL_W + CELL_PAD, pen->y + CELL_PAD, value_w, from, to);
      stroke_row (pen, pen->y, height, !*table_open);
      *table_open = TRUE;
      pen->y += height;
      from = to;
      next_line = n;
      first = FALSE;
      if (next_line < bottoms->len)
        {
          ct_pen_next_page (pen);
          *table_open = FALSE;
        }
    }
}

char *
ct_pdf_date_zh (const char *iso,
                gboolean    with_time)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) beijing = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GDateTime) t = iso ? g_date_time_new_from_iso8601 (iso, utc) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (t == NULL || beijing == NULL)
    return g_strdup (iso ? iso : "");
  local = g_date_time_to_timezone (t, beijing);
  if (with_time)
    return g_strdup_printf ("%d年%d月%d日%02d时%02d分（北京时间）", g_date_time_get_year (local),
                            g_date_time_get_month (local), g_date_time_get_day_of_month (local),
                            g_date_time_get_hour (local), g_date_time_get_minute (local));
  return g_strdup_printf ("%d年%d月%d日", g_date_time_get_year (local), g_date_time_get_month (local),
                          g_date_time_get_day_of_month (local));
}

const char *
ct_pdf_role_zh (const char *role)
{
  if (g_strcmp0 (role, "supervisor") == 0)
    return "行政机关负责人";
  if (g_strcmp0 (role, "legal_reviewer") == 0)
    return "法制审核人员";
  return role;
}

const char *
ct_pdf_alg_zh (const char *alg)
{
  if (g_strcmp0 (alg, "ed25519") == 0)
    return "Ed25519（RFC 8032）";
  if (g_strcmp0 (alg, "sm2-sm3") == 0)
    return "SM2 / SM3（GB/T 32918）";
  return alg;
}

guint8 *
ct_document_qr_modules (const char *text,
                        guint      *width,
                        GError    **error)
{
  QRcode *qr;
  guint8 *modules;
  guint n;

  g_return_val_if_fail (text != NULL && width != NULL, NULL);
  qr = QRcode_encodeString8bit (text, 0, QR_ECLEVEL_M);
  if (qr == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_FAILED, _("Could not make the QR code of a signature: %s"),
                   g_strerror (errno));
      return NULL;
    }
  n = (guint) qr->width;
  modules = g_malloc (n * n);
  for (guint i = 0; i < n * n; i++)
    modules[i] = qr->data[i] & 1;
  *width = n;
  QRcode_free (qr);
  return modules;
}

/* The QR code with its quiet zone of four modules, @size points wide. */
static gboolean
draw_qr (CtPen       *pen,
         const char  *text,
         double       x,
         double       y,
         double       size,
         GError     **error)
{
  g_autofree guint8 *modules = NULL;
  guint n;
  double m;

  modules = ct_document_qr_modules (text, &n, error);
  if (modules == NULL)
    return FALSE;
  m = size / (n + 8);
  cairo_save (pen->cr);
  cairo_set_source_rgb (pen->cr, 1, 1, 1);
  cairo_rectangle (pen->cr, x, y, size, size);
  cairo_fill (pen->cr);
  cairo_set_source_rgb (pen->cr, 0, 0, 0);
  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < n; c++)
      if (modules[r * n + c])
        cairo_rectangle (pen->cr, x + (c + 4) * m, y + (r + 4) * m, m, m);
  cairo_fill (pen->cr);
  cairo_restore (pen->cr);
  return TRUE;
}

static gboolean
draw_signature (CtPen                *pen,
                const CtDocSignature *sig,
                GError              **error)
{
  g_autofree char *when = ct_pdf_date_zh (sig->signed_at, TRUE);
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  double text_w = BODY_W - QR_SIZE - 3 * CELL_PAD;
  double h;

  text = g_strdup_printf ("审批人：%s\n身份：%s\n签署时间：%s\n签名算法：%s\n公钥指纹：%s%s",
                          sig->signer_name, ct_pdf_role_zh (sig->role), when, ct_pdf_alg_zh (sig->alg), sig->fingerprint,
                          sig->valid ? "" : "\n（此审批在系统中已失效，不能作为有效签章）");
  layout = ct_pen_layout (pen, text, SERIF " 9.5", text_w, PANGO_ALIGN_LEFT);
  h = MAX (ct_pen_height (layout), sig->valid ? QR_SIZE : 0) + 2 * CELL_PAD;
  ct_pen_ensure_space (pen, h);

  cairo_set_line_width (pen->cr, RULE);
  cairo_rectangle (pen->cr, MARGIN_LEFT, pen->y, BODY_W, h);
  cairo_stroke (pen->cr);
  cairo_move_to (pen->cr, MARGIN_LEFT + CELL_PAD, pen->y + CELL_PAD);
  pango_cairo_show_layout (pen->cr, layout);
  if (sig->valid && sig->code != NULL &&
      !draw_qr (pen, sig->code, MARGIN_LEFT + BODY_W - CELL_PAD - QR_SIZE, pen->y + CELL_PAD, QR_SIZE, error))
    return FALSE;
  pen->y += h;
  return TRUE;
}

/* The date the seal line carries: the form's first filled date. */
static char *
seal_date (const CtDocument *doc)
{
  for (guint i = 0; i < doc->tmpl->fields->len; i++)
    {
      const CtFieldDef *f = doc->tmpl->fields->pdata[i];
      JsonNode *n = json_object_get_member (doc->values, f->id);

      if (f->type == CT_FIELD_DATE && n != NULL && JSON_NODE_HOLDS_VALUE (n) &&
          json_node_get_value_type (n) == G_TYPE_STRING)
        return ct_document_format_value (doc, f, n);
    }
  return g_strdup ("　　　　年　　月　　日");
}

gboolean
ct_pen_document (CtPen   *pen,
                 GError **error)
{
  const CtDocument *doc = pen->doc;
  g_autofree char *date = seal_date (doc);
  g_autofree char *seal = NULL;
  g_autofree char *hash_line = NULL;
  gboolean table_open = FALSE;

  ct_pen_next_page (pen);
  ct_pen_block (pen, doc->agency, SERIF " bold 16", PANGO_ALIGN_CENTER, 2.0 * MM);
  ct_pen_block (pen, doc->tmpl->title, SERIF " bold 22", PANGO_ALIGN_CENTER, 3.0 * MM);
  ct_pen_block (pen, doc->case_number, SERIF " 12", PANGO_ALIGN_RIGHT, 3.0 * MM);

  for (guint i = 0; i < doc->tmpl->fields->len; i++)
    {
      const CtFieldDef *f = doc->tmpl->fields->pdata[i];
      g_autofree char *value = ct_document_format_value (doc, f, json_object_get_member (doc->values, f->id));
      /* An empty opinion or signature keeps room to be written by hand. */
      gboolean by_hand = *value == '\0' && (f->type == CT_FIELD_MULTILINE || f->type == CT_FIELD_SIGNATURE);

      ct_pen_row (pen, f->label, value, by_hand ? 16.0 * MM : 0, &table_open);
    }

  /* The agency's seal and the date, right-aligned under the table. */
  pen->y += 8.0 * MM;
  seal = g_strdup_printf ("%s（印章）\n%s", doc->agency, date);
  ct_pen_block (pen, seal, SERIF " 12", PANGO_ALIGN_RIGHT, 6.0 * MM);

  if (doc->signatures->len > 0)
    {
      ct_pen_ensure_space (pen, 8.0 * MM + QR_SIZE + 2 * CELL_PAD);
      ct_pen_block (pen, "电子签章", SANS " bold 11", PANGO_ALIGN_LEFT, 1.5 * MM);
      for (guint i = 0; i < doc->signatures->len; i++)
        if (!draw_signature (pen, doc->signatures->pdata[i], error))
          return FALSE;
      pen->y += 3.0 * MM;
    }

  hash_line = g_strdup_printf ("文书校验码（SHA-256）：%s\n可扫描二维码或以 casetrail-cli doc verify 与系统记录核对。",
                               doc->doc_hash);
  ct_pen_block (pen, hash_line, SANS " 8", PANGO_ALIGN_LEFT, 0);

  ct_pen_finish (pen);
  return TRUE;
}

/* cairo write functions: a counting pass that keeps nothing, and the
 * real one appending to a GByteArray (@closure). */
cairo_status_t
ct_pdf_write_nothing (void                *closure,
                      const unsigned char *data,
                      unsigned int         length)
{
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t
ct_pdf_write_bytes (void                *closure,
                    const unsigned char *data,
                    unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* "2024-03-01T09:30:00.123Z" → "2024-03-01T09:30:00Z", what cairo takes. */
char *
ct_pdf_iso_date (const char *iso)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) t = iso ? g_date_time_new_from_iso8601 (iso, utc) : NULL;

  if (t == NULL)
    return g_strdup ("2000-01-01T00:00:00Z");
  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
render_pass (const CtDocument     *doc,
             cairo_write_func_t    write,
             gpointer              closure,
             guint                 total,
             guint                *n_pages,
             GError              **error)
{
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (write, closure, PAGE_W, PAGE_H);
  g_autofree char *date = ct_pdf_iso_date (doc->updated_at);
  g_autofree char *subject = g_strdup_printf ("%s %s", doc->case_number, doc->doc_hash);
  CtPen pen = { 0 };
  gboolean ok;
  cairo_status_t status;

  cairo_pdf_surface_restrict_to_version (surface, CAIRO_PDF_VERSION_1_5);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, doc->tmpl->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, doc->agency);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, subject);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Casetrail " PACKAGE_VERSION);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_MOD_DATE, date);

  pen.cr = cairo_create (surface);
  pen.doc = doc;
  pen.total = total;
  cairo_set_source_rgb (pen.cr, 0, 0, 0);
  ok = ct_pen_document (&pen, error);
  g_clear_object (&pen.context);
  cairo_destroy (pen.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (ok && status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_FAILED, _("Could not draw the document “%s”: %s"), doc->tmpl->title,
                   cairo_status_to_string (status));
      return FALSE;
    }
  if (ok && n_pages != NULL)
    *n_pages = pen.page;
  return ok;
}

GBytes *
ct_document_render_pdf (const CtDocument *doc,
                        guint            *n_pages,
                        GError          **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint total = 0;

  g_return_val_if_fail (doc != NULL && doc->tmpl != NULL, NULL);

  if (!render_pass (doc, ct_pdf_write_nothing, NULL, 0, &total, error) ||
      !render_pass (doc, ct_pdf_write_bytes, out, total, n_pages, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

gboolean
ct_document_write_pdf (const CtDocument *doc,
                       const char       *path,
                       guint            *n_pages,
                       GError          **error)
{
  g_autoptr(GBytes) pdf = ct_document_render_pdf (doc, n_pages, error);
  g_autoptr(GError) local = NULL;
  gsize len;
  const char *data;

  if (pdf == NULL)
    return FALSE;
  data = g_bytes_get_data (pdf, &len);
  if (!g_file_set_contents (path, data, len, &local))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Could not write the document to %s: %s"), path, local->message);
      return FALSE;
    }
  return TRUE;
}

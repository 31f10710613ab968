#define G_LOG_DOMAIN "casetrail-core"

/* Draws the dossier (案卷) of a case as one A4 PDF (see ct-dossier.h) on
 * the page layout of the printed documents (ct-pdf-private.h): the cover,
 * the table of contents, every document as ct-document-pdf.c draws it, then
 * the written explanations of the recordings, the media manifest, the
 * approvals, the audit trail and the signed checkpoint.  Every page carries
 * "卷内第 N 页 共 M 页".  Laid out twice: the first pass finds the page on
 * which every part starts, the second prints them in the contents. */

#include "config.h"

#include <string.h>

#include <cairo-pdf.h>

#include <glib/gi18n-lib.h>

#include "ct-dossier.h"
#include "ct-error.h"
#include "ct-pdf-private.h"

#define TABLE_FONT  SANS " 8"
#define HEAD_FONT   SANS " bold 8.5"
#define HASH_LEN    16

typedef struct {
  guint               n;
  const double       *widths;   /* fractions of the body width, adding up to 1 */
  const char * const *header;
} Table;

typedef struct {
  CtPen      pen;
  GArray    *starts;    /* guint: first page of each part, in order */
  GPtrArray *titles;    /* char*: the part's title in the contents */
  const guint *known;   /* the first pass's starts, or NULL in it */
  guint       total;    /* 0 in the first pass */
} Dossier;

static void
begin_part (Dossier    *dz,
            const char *title,
            const char *running_head)
{
  dz->pen.base += dz->pen.page;
  dz->pen.page = 0;
  dz->pen.doc = NULL;
  dz->pen.running_head = running_head;
  g_array_append_val (dz->starts, (guint) { dz->pen.base + 1 });
  g_ptr_array_add (dz->titles, g_strdup (title));
}

static double
row_height (CtPen              *pen,
            const Table        *t,
            const char * const *cells,
            const char         *font,
            PangoLayout       **layouts)
{
  double h = 0;

  for (guint i = 0; i < t->n; i++)
    {
      layouts[i] = ct_pen_layout (pen, cells[i] ? cells[i] : "", font, t->widths[i] * BODY_W - 2 * CELL_PAD,
                                  PANGO_ALIGN_LEFT);
      h = MAX (h, ct_pen_height (layouts[i]));
    }
  return h + 2 * CELL_PAD;
}

static void
draw_cells (CtPen        *pen,
            const Table  *t,
            PangoLayout **layouts,
            double        h,
            gboolean      shaded)
{
  double x = MARGIN_LEFT;

  /* The counting pass needs the heights only: the long tables (the audit
   * trail) then cost half. */
  if (pen->measure_only)
    {
      for (guint i = 0; i < t->n; i++)
        g_object_unref (layouts[i]);
      pen->y += h;
      return;
    }
  cairo_set_line_width (pen->cr, RULE * 0.8);
  for (guint i = 0; i < t->n; i++)
    {
      double w = t->widths[i] * BODY_W;

      if (shaded)
        {
          cairo_save (pen->cr);
          cairo_set_source_rgb (pen->cr, 0.92, 0.92, 0.92);
          cairo_rectangle (pen->cr, x, pen->y, w, h);
          cairo_fill (pen->cr);
          cairo_restore (pen->cr);
        }
      cairo_rectangle (pen->cr, x, pen->y, w, h);
      cairo_stroke (pen->cr);
      cairo_move_to (pen->cr, x + CELL_PAD, pen->y + CELL_PAD);
      pango_cairo_show_layout (pen->cr, layouts[i]);
      g_object_unref (layouts[i]);
      x += w;
    }
  pen->y += h;
}

static void
table_header (CtPen       *pen,
              const Table *t)
{
  PangoLayout *layouts[8];
  double h = row_height (pen, t, t->header, HEAD_FONT, layouts);

  draw_cells (pen, t, layouts, h, TRUE);
}

/* A row, on the next page under a repeated header when it does not fit.
 * A row taller than a page does not happen with what the dossier prints
 * (at most a few lines a cell); it would be clipped by the page. */
static void
table_row (CtPen              *pen,
           const Table        *t,
           const char * const *cells)
{
  PangoLayout *layouts[8];
  double h = row_height (pen, t, cells, TABLE_FONT, layouts);

  if (pen->y + h > BODY_BOTTOM)
    {
      ct_pen_next_page (pen);
      table_header (pen, t);
    }
  draw_cells (pen, t, layouts, h, FALSE);
}

static void
table_begin (CtPen       *pen,
             const Table *t)
{
  ct_pen_ensure_space (pen, 30.0 * MM);
  table_header (pen, t);
}

static void
heading (CtPen      *pen,
         const char *title)
{
  ct_pen_next_page (pen);
  ct_pen_block (pen, title, SERIF " bold 18", PANGO_ALIGN_CENTER, 2.0 * MM);
  ct_pen_block (pen, pen->dossier, SERIF " 11", PANGO_ALIGN_RIGHT, 3.0 * MM);
}

static void
draw_cover (Dossier         *dz,
            const CtDossier *d)
{
  CtPen *pen = &dz->pen;
  gboolean open = FALSE;
  g_autofree char *opened = ct_pdf_date_zh (d->opened_at, FALSE);
  g_autofree char *closed = d->closed_at ? ct_pdf_date_zh (d->closed_at, FALSE) : g_strdup ("（未结案）");
  g_autofree char *made = ct_pdf_date_zh (d->checkpoint_at, TRUE);
  g_autofree char *pages = dz->total > 0 ? g_strdup_printf ("%u 页", dz->total) : g_strdup ("　 页");
  g_autofree char *docs = g_strdup_printf ("%u 件", d->documents->len);
  g_autofree char *media = g_strdup_printf ("%u 件", d->media->len);

  begin_part (dz, "行政执法案卷（封面）", "行政执法案卷");
  ct_pen_next_page (pen);
  ct_pen_block (pen, d->agency, SERIF " bold 18", PANGO_ALIGN_CENTER, 6.0 * MM);
  ct_pen_block (pen, "行政执法案卷", SERIF " bold 30", PANGO_ALIGN_CENTER, 4.0 * MM);
  ct_pen_block (pen, d->case_number, SERIF " 14", PANGO_ALIGN_CENTER, 8.0 * MM);

  ct_pen_row (pen, "案　　号", d->case_number, 0, &open);
  ct_pen_row (pen, "案　　由", d->cause, 0, &open);
  ct_pen_row (pen, "当 事 人", d->party, 0, &open);
  ct_pen_row (pen, "程　　序", d->procedure, 0, &open);
  ct_pen_row (pen, "承办人员", d->officers, 0, &open);
  ct_pen_row (pen, "立案日期", opened, 0, &open);
  ct_pen_row (pen, "结案日期", closed, 0, &open);
  ct_pen_row (pen, "保存期限", d->retention, 0, &open);
  ct_pen_row (pen, "卷内文书", docs, 0, &open);
  ct_pen_row (pen, "音像资料", media, 0, &open);
  ct_pen_row (pen, "本卷页数", pages, 0, &open);
  ct_pen_row (pen, "立 卷 人", d->made_by, 0, &open);
  ct_pen_row (pen, "立卷时间", made, 0, &open);
  ct_pen_finish (pen);
}

/* The contents: one line per part with its first page.  In the first pass
 * the pages are not known yet; the lines are the same count either way. */
static void
draw_contents (Dossier         *dz,
               const CtDossier *d,
               GPtrArray       *part_titles)
{
  static const double widths[] = { 0.1, 0.72, 0.18 };
  static const char * const header[] = { "序号", "题　名", "页　号" };
  const Table t = { 3, widths, header };
  CtPen *pen = &dz->pen;

  begin_part (dz, "卷内文书目录", "卷内文书目录");
  heading (pen, "卷内文书目录");
  table_begin (pen, &t);
  for (guint i = 0; i < part_titles->len; i++)
    {
      g_autofree char *no = g_strdup_printf ("%u", i + 1);
      g_autofree char *page = dz->known != NULL ? g_strdup_printf ("%u", dz->known[i]) : g_strdup ("");
      const char *cells[] = { no, part_titles->pdata[i], page };

      table_row (pen, &t, cells);
    }
  ct_pen_finish (pen);
}

static void
draw_statements (Dossier         *dz,
                 const CtDossier *d)
{
  CtPen *pen = &dz->pen;

  begin_part (dz, "音像资料文字说明", "音像资料文字说明");
  heading (pen, "音像资料文字说明");
  for (guint i = 0; i < d->statements->len; i++)
    {
      g_auto(GStrv) lines = g_strsplit (d->statements->pdata[i], "\n", -1);

      for (guint l = 0; lines[l] != NULL; l++)
        ct_pen_block (pen, *lines[l] ? lines[l] : " ", l == 0 ? SERIF " bold 11" : SERIF " 10",
                      PANGO_ALIGN_LEFT, 1.0 * MM);
      pen->y += 4.0 * MM;
    }
  ct_pen_finish (pen);
}

static char *
ms_text (gint64 ms)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                          ms / 3600000, ms / 60000 % 60, ms / 1000 % 60);
}

static void
draw_media (Dossier         *dz,
            const CtDossier *d)
{
  static const double widths[] = { 0.07, 0.28, 0.27, 0.38 };
  static const char * const header[] = { "序号", "名称 · 设备", "取证人员 · 时间", "校验值" };
  const Table t = { 4, widths, header };
  CtPen *pen = &dz->pen;

  begin_part (dz, "音像资料清单", "音像资料清单");
  heading (pen, "音像资料清单");
  if (d->media->len == 0)
    ct_pen_block (pen, "本案无音像资料。", SERIF " 11", PANGO_ALIGN_LEFT, 0);
  else
    table_begin (pen, &t);
  for (guint i = 0; i < d->media->len; i++)
    {
      const CtMedia *m = d->media->pdata[i];
      g_autofree char *no = g_strdup_printf ("%u", i + 1);
      g_autofree char *officers = m->officer_names ? g_strjoinv ("、", m->officer_names) : g_strdup ("");
      g_autofree char *recorded = m->recorded_at ? ct_pdf_date_zh (m->recorded_at, TRUE) : g_strdup ("不详");
      g_autofree char *stored = ct_pdf_date_zh (m->stored_at, TRUE);
      g_autofree char *name = NULL, *who = NULL, *hashes = NULL;

      if (m->parent_id != 0)
        {
          g_autofree char *from = ms_text (m->clip_actual_start_ms);
          g_autofree char *to = ms_text (m->clip_actual_end_ms);
          name = g_strdup_printf ("%s\n设备：%s\n剪辑自 %s（%s–%s）", m->title ? m->title : m->original_name,
                                  m->device ? m->device : "—", m->parent_name ? m->parent_name : "—", from, to);
        }
      else
        name = g_strdup_printf ("%s\n设备：%s", m->title ? m->title : m->original_name,
                                m->device ? m->device : "—");
      who = g_strdup_printf ("%s\n录制：%s\n入库：%s%s", officers, recorded, stored,
                             m->disposed_at ? "\n（原件已按期销毁）" : "");
      if (d->with_sm3 && m->sm3 != NULL)
        hashes = g_strdup_printf ("SHA-256：%s\nSM3：%s", m->sha256, m->sm3);
      else
        hashes = g_strdup_printf ("SHA-256：%s", m->sha256);
      {
        const char *cells[] = { no, name, who, hashes };
        table_row (pen, &t, cells);
      }
    }
  ct_pen_finish (pen);
}

static void
draw_approvals (Dossier         *dz,
                const CtDossier *d)
{
  static const double widths[] = { 0.14, 0.3, 0.36, 0.2 };
  static const char * const header[] = { "事项", "审批人 · 身份 · 时间", "算法 · 公钥指纹", "验证结果" };
  const Table t = { 4, widths, header };
  CtPen *pen = &dz->pen;

  begin_part (dz, "审批记录", "审批记录");
  heading (pen, "审批记录");
  if (d->approvals->len == 0)
    ct_pen_block (pen, "本案无电子审批记录。", SERIF " 11", PANGO_ALIGN_LEFT, 0);
  else
    table_begin (pen, &t);
  for (guint i = 0; i < d->approvals->len; i++)
    {
      const CtApproval *a = d->approvals->pdata[i];
      g_autofree char *when = ct_pdf_date_zh (a->signed_at, TRUE);
      g_autofree char *who = g_strdup_printf ("%s\n%s\n%s", a->signer_name, ct_pdf_role_zh (a->role), when);
      g_autofree char *key = g_strdup_printf ("%s\n%s", ct_pdf_alg_zh (a->alg), a->fingerprint);
      g_autofree char *verdict = a->valid ? g_strdup ("签名有效，与案件记录一致")
                                          : g_strdup_printf ("无效：%s", a->invalid_reason ? a->invalid_reason : "");
      const char *cells[] = { a->subject, who, key, verdict };

      table_row (pen, &t, cells);
    }
  ct_pen_finish (pen);
}

static void
draw_audit (Dossier         *dz,
            const CtDossier *d)
{
  static const double widths[] = { 0.08, 0.19, 0.15, 0.21, 0.12, 0.25 };
  static const char * const header[] = { "序号", "时间", "操作人", "操作", "对象", "哈希（前缀）" };
  const Table t = { 6, widths, header };
  CtPen *pen = &dz->pen;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) beijing = g_time_zone_new_identifier ("+08:00");

  begin_part (dz, "执法过程记录（审计链）", "执法过程记录");
  heading (pen, "执法过程记录（审计链）");
  table_begin (pen, &t);
  for (guint i = 0; i < d->audit->len; i++)
    {
      const CtAuditEntry *e = d->audit->pdata[i];
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (e->at, utc);
      g_autoptr(GDateTime) local = at ? g_date_time_to_timezone (at, beijing) : NULL;
      g_autofree char *no = g_strdup_printf ("%" G_GINT64_FORMAT, e->id);
      g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup (e->at);
      g_autofree char *object = g_strdup_printf ("%s %s", e->object_type, e->object_id ? e->object_id : "");
      g_autofree char *hash = g_strndup (e->hash, HASH_LEN);
      const char *cells[] = { no, when, *e->actor ? e->actor : "system", e->action, object, hash };

      table_row (pen, &t, cells);
    }
  ct_pen_finish (pen);
}

static void
draw_checkpoint (Dossier         *dz,
                 const CtDossier *d)
{
  CtPen *pen = &dz->pen;
  gboolean open = FALSE;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, d->checkpoint_id);
  g_autofree char *upto = g_strdup_printf ("第 %" G_GINT64_FORMAT " 条（含）以前的全部审计记录", d->checkpoint_upto);
  g_autofree char *when = ct_pdf_date_zh (d->checkpoint_at, TRUE);

  begin_part (dz, "审计链签名检查点", "审计链签名检查点");
  heading (pen, "审计链签名检查点");
  ct_pen_row (pen, "检查点编号", id, 0, &open);
  ct_pen_row (pen, "覆盖范围", upto, 0, &open);
  ct_pen_row (pen, "链头哈希", d->checkpoint_head, 0, &open);
  ct_pen_row (pen, "签署时间", when, 0, &open);
  ct_pen_row (pen, "签署人", d->checkpoint_signer, 0, &open);
  ct_pen_row (pen, "签名算法", ct_pdf_alg_zh (d->checkpoint_alg), 0, &open);
  ct_pen_row (pen, "公钥指纹", d->checkpoint_fingerprint, 0, &open);
  ct_pen_row (pen, "签名", d->checkpoint_signature, 0, &open);
  ct_pen_row (pen, "验证结果", d->checkpoint_valid ? "签名有效" : "签名无效", 0, &open);
  pen->y += 6.0 * MM;
  ct_pen_block (pen,
                "签名覆盖的内容为 \"casetrail-checkpoint-v1\" 格式的检查点消息（覆盖记录号、链头哈希、签署时间）。"
                "可以 casetrail-cli audit verify 核对审计链，以导出包中的 checkpoint.json 与公钥离线核对。",
                SANS " 8", PANGO_ALIGN_LEFT, 0);
  ct_pen_finish (pen);
}

static gboolean
draw_dossier (Dossier         *dz,
              const CtDossier *d,
              GError         **error)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();

  /* The contents list every part; their titles are known before drawing. */
  g_ptr_array_add (titles, "行政执法案卷（封面）");
  g_ptr_array_add (titles, "卷内文书目录");
  for (guint i = 0; i < d->documents->len; i++)
    g_ptr_array_add (titles, (gpointer) ((CtDocument *) d->documents->pdata[i])->tmpl->title);
  if (d->statements->len > 0)
    g_ptr_array_add (titles, "音像资料文字说明");
  g_ptr_array_add (titles, "音像资料清单");
  g_ptr_array_add (titles, "审批记录");
  g_ptr_array_add (titles, "执法过程记录（审计链）");
  g_ptr_array_add (titles, "审计链签名检查点");

  draw_cover (dz, d);
  draw_contents (dz, d, titles);
  for (guint i = 0; i < d->documents->len; i++)
    {
      CtDocument *doc = d->documents->pdata[i];

      begin_part (dz, doc->tmpl->title, NULL);
      dz->pen.doc = doc;
      if (!ct_pen_document (&dz->pen, error))
        return FALSE;
    }
  if (d->statements->len > 0)
    draw_statements (dz, d);
  draw_media (dz, d);
  draw_approvals (dz, d);
  draw_audit (dz, d);
  draw_checkpoint (dz, d);
  dz->pen.base += dz->pen.page;
  dz->pen.page = 0;
  return TRUE;
}

static gboolean
render_pass (const CtDossier     *d,
             cairo_write_func_t   write,
             gpointer             closure,
             Dossier             *dz,
             GError             **error)
{
  cairo_surface_t *surface;
  g_autofree char *date = ct_pdf_iso_date (d->checkpoint_at);
  g_autofree char *title = g_strdup_printf ("行政执法案卷 %s", d->case_number);
  g_autofree char *subject = g_strdup_printf ("%s %s", d->case_number, d->checkpoint_head);
  gboolean ok;
  cairo_status_t status;

  /* A counting pass draws onto a surface that writes nothing but still
   * shapes and measures every line as the real one does. */
  surface = cairo_pdf_surface_create_for_stream (write, closure, PAGE_W, PAGE_H);
  cairo_pdf_surface_restrict_to_version (surface, CAIRO_PDF_VERSION_1_5);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, d->agency);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, subject);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Casetrail " PACKAGE_VERSION);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_MOD_DATE, date);

  dz->pen.cr = cairo_create (surface);
  dz->pen.dossier = d->case_number;
  dz->pen.dossier_total = dz->total;
  dz->pen.measure_only = dz->known == NULL;
  cairo_set_source_rgb (dz->pen.cr, 0, 0, 0);
  ok = draw_dossier (dz, d, error);
  g_clear_object (&dz->pen.context);
  cairo_destroy (dz->pen.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (ok && status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_FAILED, _("Could not draw the dossier of case %s: %s"),
                   d->case_number, cairo_status_to_string (status));
      return FALSE;
    }
  return ok;
}

static void
dossier_clear (Dossier *dz)
{
  g_clear_pointer (&dz->starts, g_array_unref);
  g_clear_pointer (&dz->titles, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Dossier, dossier_clear)

GBytes *
ct_dossier_render_pdf (const CtDossier *d,
                       guint           *n_pages,
                       GError         **error)
{
  g_auto(Dossier) first = { 0 };
  g_auto(Dossier) second = { 0 };
  g_autoptr(GByteArray) out = NULL;

  g_return_val_if_fail (d != NULL, NULL);

  first.starts = g_array_new (FALSE, FALSE, sizeof (guint));
  first.titles = g_ptr_array_new_with_free_func (g_free);
  if (!render_pass (d, ct_pdf_write_nothing, NULL, &first, error))
    return NULL;

  out = g_byte_array_sized_new (256 * 1024);
  second.starts = g_array_new (FALSE, FALSE, sizeof (guint));
  second.titles = g_ptr_array_new_with_free_func (g_free);
  second.known = (const guint *) first.starts->data;
  second.total = first.pen.base;
  if (!render_pass (d, ct_pdf_write_bytes, out, &second, error))
    return NULL;
  /* Same lines, same breaks: the contents must be right. */
  g_warn_if_fail (second.pen.base == first.pen.base);
  if (n_pages != NULL)
    *n_pages = second.pen.base;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

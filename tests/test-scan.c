/* test-scan.c — scanned paper documents in the evidence store: a PDF (one
 * page, three pages), a picture and a multi-page TIFF imported as a
 * document, read by the probe helper (poppler, GStreamer); a malformed PDF recorded as unreadable with
 * the reason, a password-protected one too (with qpdf); the recording checks (late storage, unknown recording time)
 * leaving documents out; attaching a scan to a step (ct_store_attach_scan)
 * and what it refuses; the facts and the 002 rule that asks for the signed
 * 送达回证 on direct service.
 *
 * The PDFs and the picture are drawn at test time with cairo. */

#define G_LOG_DOMAIN "casetrail-test"

#include "config.h"

#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <glib/gstdio.h>

#include "ct-db.h"
#include "ct-error.h"
#include "ct-media.h"
#include "ct-probe.h"
#include "ct-review.h"
#include "ct-rules.h"
#include "ct-test-util.h"
#include "ct-tiff.h"

/* ---- making files ------------------------------------------------------------------------ */

/* An A4 PDF of @n_pages, each with its number written large. */
static void
make_pdf (const char *path,
          guint       n_pages,
          const char *title)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595.276, 841.89);
  cairo_t *cr = cairo_create (surface);

  if (title != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, "2026-03-01T10:00:00+08:00");
  for (guint i = 0; i < n_pages; i++)
    {
      char text[32];
      g_snprintf (text, sizeof text, "Page %u", i + 1);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      cairo_set_font_size (cr, 48);
      cairo_move_to (cr, 72, 144);
      cairo_show_text (cr, text);
      cairo_rectangle (cr, 72, 600, 200, 60);   /* where the party signs */
      cairo_stroke (cr);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static void
make_png (const char *path,
          double      shade)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 566);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, shade, shade, shade);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_rectangle (cr, 40, 400, 150, 40);
  cairo_stroke (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static void
put16 (GByteArray *b, guint16 v)
{
  guint8 le[2] = { v & 0xff, v >> 8 };
  g_byte_array_append (b, le, 2);
}

static void
put32 (GByteArray *b, guint32 v)
{
  guint8 le[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append (b, le, 4);
}

static void
tiff_entry (GByteArray *b, guint16 tag, guint16 type, guint32 n, guint32 value)
{
  put16 (b, tag);
  put16 (b, type);
  put32 (b, n);
  if (type == 3 && n == 1)
    {
      put16 (b, (guint16) value);
      put16 (b, 0);
    }
  else
    put32 (b, value);
}

/* A baseline TIFF of @n_pages uncompressed RGB pages (what a sheet-feed
 * scanner writes), page k a shade darker than page k-1 with a black bar
 * k * 20 pixels wide at the top, so that pages tell apart. */
static void
make_tiff (const char *path,
           guint       n_pages,
           guint       width,
           guint       height)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  guint32 pixels = width * height * 3;

  g_byte_array_append (b, (const guint8 *) "II", 2);
  put16 (b, 42);
  put32 (b, 8);
  for (guint k = 0; k < n_pages; k++)
    {
      guint32 ifd = b->len;
      guint16 entries = 11;
      guint32 bps = ifd + 2 + entries * 12 + 4;
      guint32 data = bps + 6;
      guint32 next = k + 1 < n_pages ? data + pixels : 0;
      guint8 shade = (guint8) (240 - 60 * k);

      put16 (b, entries);
      tiff_entry (b, 256, 4, 1, width);        /* ImageWidth */
      tiff_entry (b, 257, 4, 1, height);       /* ImageLength */
      tiff_entry (b, 258, 3, 3, bps);          /* BitsPerSample 8,8,8 */
      tiff_entry (b, 259, 3, 1, 1);            /* no compression */
      tiff_entry (b, 262, 3, 1, 2);            /* RGB */
      tiff_entry (b, 273, 4, 1, data);         /* StripOffsets */
      tiff_entry (b, 277, 3, 1, 3);            /* SamplesPerPixel */
      tiff_entry (b, 278, 4, 1, height);       /* RowsPerStrip */
      tiff_entry (b, 279, 4, 1, pixels);       /* StripByteCounts */
      tiff_entry (b, 284, 3, 1, 1);            /* PlanarConfiguration: chunky */
      put16 (b, 297);                          /* PageNumber k of n */
      put16 (b, 3);
      put32 (b, 2);
      put16 (b, (guint16) k);
      put16 (b, (guint16) n_pages);
      put32 (b, next);
      g_assert_cmpuint (b->len, ==, bps);
      put16 (b, 8);
      put16 (b, 8);
      put16 (b, 8);
      for (guint y = 0; y < height; y++)
        for (guint x = 0; x < width; x++)
          {
            guint8 v = y < 20 && x < 20 * (k + 1) ? 0 : shade;
            guint8 px[3] = { v, v, v };
            g_byte_array_append (b, px, 3);
          }
    }
  g_assert_true (g_file_set_contents (path, (const char *) b->data, b->len, NULL));
}

/* ---- fixtures ------------------------------------------------------------------------- */

typedef struct {
  char      *dir;
  char      *files;
  CtStore   *store;
  CtSession *h1;
  CtSession *h3;
  gint64     case_id;
  gint64     other_case_id;
} Fixture;

static char *
file_path (Fixture    *f,
           const char *name)
{
  return g_build_filename (f->files, name, NULL);
}

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  ct_test_set_now ("2026-03-02T08:00:00Z");
  f->dir = ct_test_make_dir ();
  f->files = ct_test_make_dir ();
  f->store = ct_test_store_new (f->dir, FALSE);
  f->h1 = ct_test_login (f->store, "h1");
  f->h3 = ct_test_login (f->store, "h3");
  f->case_id = ct_test_new_case (f->store, "涉嫌销售过期食品");
  f->other_case_id = ct_test_new_case (f->store, "涉嫌无证经营");
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  g_clear_pointer (&f->h1, ct_session_unref);
  g_clear_pointer (&f->h3, ct_session_unref);
  g_clear_object (&f->store);
  ct_test_remove_dir (f->dir);
  ct_test_remove_dir (f->files);
  g_free (f->dir);
  g_free (f->files);
  ct_test_clock_reset ();
}

static CtMedia *
import_to (Fixture    *f,
           gint64      case_id,
           const char *path,
           const char *kind)
{
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  CtMediaSpec spec = { .case_ref = ref, .kind = kind };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtMediaImport) imp = ct_store_import_media (f->store, f->h1, path, &spec, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (imp);
  return g_steal_pointer (&imp->media);
}

static CtMedia *
import (Fixture    *f,
        const char *path,
        const char *kind)
{
  return import_to (f, f->case_id, path, kind);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return ct_test_raw_count (f->dir, sql);
}

/* ---- import ----------------------------------------------------------------------------- */

static void
test_import_pdf (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *one = file_path (f, "送达回证.pdf");
  g_autofree char *three = file_path (f, "statement.pdf");
  g_autofree char *thumb = NULL;
  g_autofree char *original = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(CtMedia) a = NULL;
  g_autoptr(CtMedia) b = NULL;
  g_autoptr(CtProbeResult) probe = NULL;
  g_autoptr(GError) error = NULL;
  gsize len_a = 0, len_b = 0;

  make_pdf (one, 1, "送达回证");
  make_pdf (three, 3, NULL);

  /* The helper reads a PDF with poppler. */
  probe = ct_probe_file (three, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (probe->status, ==, CT_PROBE_OK);
  g_assert_true (probe->is_document);
  g_assert_cmpstr (probe->container, ==, "pdf");
  g_assert_cmpuint (probe->pages, ==, 3);
  g_assert_false (probe->encrypted);
  g_assert_nonnull (probe->doc_created);
  g_assert_true (g_str_has_prefix (probe->doc_created, "2026-03-01"));
  g_assert_null (probe->created_at);   /* a scan's date is no recording time */

  /* A week after the scan: late for a recording, but a document is no recording. */
  ct_test_set_now ("2026-03-09T08:00:00Z");
  a = import (f, one, NULL);
  b = import (f, three, NULL);
  g_assert_cmpint (a->kind, ==, CT_MEDIA_KIND_DOCUMENT);
  g_assert_cmpint (b->kind, ==, CT_MEDIA_KIND_DOCUMENT);
  g_assert_cmpuint (a->pages, ==, 1);
  g_assert_cmpuint (b->pages, ==, 3);
  g_assert_cmpstr (a->probe_status, ==, "ok");
  g_assert_nonnull (strstr (a->probe_json, "送达回证"));
  g_assert_null (a->recorded_at);
  g_assert_null (a->storage_due);
  g_assert_false (a->late);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.import'"
                             " AND detail LIKE '%\"kind\":\"document\"%'"), ==, 2);

  /* Stored unchanged. */
  g_assert_true (g_file_get_contents (one, &original, &len_a, NULL));
  {
    CtObjectStore *objects = ct_store_get_objects (f->store, &error);
    g_autofree char *path = NULL;
    g_assert_no_error (error);
    path = ct_object_store_path (objects, a->sha256);
    g_assert_true (g_file_get_contents (path, &stored, &len_b, NULL));
  }
  g_assert_cmpuint (len_a, ==, len_b);
  g_assert_true (memcmp (original, stored, len_a) == 0);

  /* The first page as a thumbnail. */
  thumb = ct_store_media_thumbnail (f->store, b, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (thumb, G_FILE_TEST_IS_REGULAR));
  {
    cairo_surface_t *s = cairo_image_surface_create_from_png (thumb);
    g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_image_surface_get_width (s), ==, 320);
    /* A4 is 1 : √2 */
    g_assert_cmpint (cairo_image_surface_get_height (s), >=, 450);
    g_assert_cmpint (cairo_image_surface_get_height (s), <=, 454);
    cairo_surface_destroy (s);
  }

  /* Neither counts as a recording of unknown time, nor as audio-visual. */
  {
    g_autoptr(CtFacts) facts = ct_store_case_facts (f->store, f->case_id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (json_node_get_int (ct_facts_get (facts, "media.unknown_time")), ==, 0);
    g_assert_cmpint (json_node_get_int (ct_facts_get (facts, "media.late")), ==, 0);
    g_assert_cmpint (json_node_get_int (ct_facts_get (facts, "media.av")), ==, 0);
    g_assert_cmpint (json_node_get_int (ct_facts_get (facts, "media.count")), ==, 2);
  }
  /* No clip is cut from paper. */
  g_assert_cmpint (ct_store_export_clip (f->store, f->h1, b->id, 0, 1000, NULL, &error), ==, 0);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "scanned document"));
}

static void
test_import_picture (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char *scan = file_path (f, "receipt-scan.png");
  g_autofree char *photo = file_path (f, "shop.png");
  g_autofree char *pdf = file_path (f, "x.pdf");
  g_autofree char *thumb = NULL;
  g_autoptr(CtMedia) a = NULL;
  g_autoptr(CtMedia) b = NULL;
  g_autoptr(CtMedia) again = NULL;
  g_autoptr(GError) error = NULL;

  make_png (scan, 1.0);
  make_png (photo, 0.8);
  make_pdf (pdf, 1, NULL);

  a = import (f, scan, "document");
  b = import (f, photo, NULL);
  g_assert_cmpint (a->kind, ==, CT_MEDIA_KIND_DOCUMENT);
  g_assert_cmpuint (a->pages, ==, 1);
  g_assert_cmpint (b->kind, ==, CT_MEDIA_KIND_PHOTO);
  thumb = ct_store_media_thumbnail (f->store, a, NULL, &error);
  g_assert_no_error (error);

  /* The person marks the photo as a scan later, audited. */
  {
    CtMediaSpec change = { .kind = "document" };
    g_assert_true (ct_store_update_media (f->store, f->h1, b->id, &change, &error));
    g_assert_no_error (error);
    again = ct_store_get_media (f->store, b->sha256, &error);
    g_assert_cmpint (again->kind, ==, CT_MEDIA_KIND_DOCUMENT);
    g_assert_cmpuint (again->pages, ==, 1);
    g_assert_cmpint (count (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'media.update'"
                               " AND detail LIKE '%kind%'"), ==, 1);
  }

  /* A PDF cannot be a photo, a recording cannot be a document. */
  {
    g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, f->case_id);
    g_autofree char *wav = file_path (f, "tone.wav");
    CtMediaSpec as_photo = { .case_ref = ref, .kind = "photo" };
    CtMediaSpec as_doc = { .case_ref = ref, .kind = "document" };
    CtMediaSpec bogus = { .case_ref = ref, .kind = "letter" };
    g_autoptr(CtMediaImport) imp = NULL;

    g_assert_true (g_file_set_contents (wav, "RIFF", 4, NULL));
    imp = ct_store_import_media (f->store, f->h1, pdf, &as_photo, NULL, NULL, NULL, &error);
    g_assert_null (imp);
    g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
    g_clear_error (&error);
    imp = ct_store_import_media (f->store, f->h1, wav, &as_doc, NULL, NULL, NULL, &error);
    g_assert_null (imp);
    g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
    g_clear_error (&error);
    imp = ct_store_import_media (f->store, f->h1, pdf, &bogus, NULL, NULL, NULL, &error);
    g_assert_null (imp);
    g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
    g_clear_error (&error);
    /* nothing was stored by the refusals */
    g_assert_cmpint (count (f, "SELECT COUNT(*) FROM media"), ==, 2);
  }
}

/* Whether the pixel at (@fx, @fy) (fractions of the size) of the PNG
 * @path is dark. */
static gboolean
png_dark_at (const char *path,
             double      fx,
             double      fy)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);
  const guint8 *px;
  int x, y;
  gboolean dark;

  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (png);
  x = (int) (fx * cairo_image_surface_get_width (png));
  y = (int) (fy * cairo_image_surface_get_height (png));
  px = cairo_image_surface_get_data (png) + y * cairo_image_surface_get_stride (png) + x * 4;
  dark = px[0] < 100 && px[1] < 100 && px[2] < 100;   /* B, G, R of RGB24/ARGB32 */
  cairo_surface_destroy (png);
  return dark;
}

/* A multi-page TIFF, as a sheet-feed scanner writes one: a document by its
 * name, its pages counted by the probe, a thumbnail of its first page; a
 * one-page TIFF is one page. */
static void
test_import_tiff (Fixture      *f,
                  gconstpointer data)
{
  g_autofree char *two = file_path (f, "询问笔录-扫描.tif");
  g_autofree char *one = file_path (f, "receipt.tiff");
  g_autofree char *thumb = NULL;
  g_autoptr(CtMedia) m = NULL;
  g_autoptr(CtMedia) single = NULL;
  g_autoptr(CtMedia) again = NULL;
  g_autoptr(CtProbeResult) probe = NULL;
  g_autoptr(GError) error = NULL;

  make_tiff (two, 2, 300, 424);
  make_tiff (one, 1, 200, 283);

  m = import (f, two, NULL);
  g_assert_cmpint (m->kind, ==, CT_MEDIA_KIND_DOCUMENT);
  g_assert_cmpstr (m->probe_status, ==, "ok");
  g_assert_cmpuint (m->pages, ==, 2);
  again = ct_store_get_media (f->store, m->sha256, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->pages, ==, 2);

  /* What the probe itself says of it. */
  probe = ct_probe_file_full (NULL, two, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (probe->status, ==, CT_PROBE_OK);
  g_assert_true (probe->is_image);
  g_assert_cmpuint (probe->width, ==, 300);
  g_assert_cmpuint (probe->height, ==, 424);

  /* The thumbnail is the first page: its bar (20 px of 300) at the top
   * left, light beyond it, where page 2's bar (40 px) would still be. */
  thumb = ct_store_media_thumbnail (f->store, m, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (png_dark_at (thumb, 2.0 / 300, 2.0 / 424));
  g_assert_false (png_dark_at (thumb, 30.0 / 300, 2.0 / 424));
  g_assert_false (png_dark_at (thumb, 0.5, 0.5));

  single = import (f, one, NULL);
  g_assert_cmpint (single->kind, ==, CT_MEDIA_KIND_DOCUMENT);
  g_assert_cmpstr (single->probe_status, ==, "ok");
  g_assert_cmpuint (single->pages, ==, 1);
}

/* The page chain of a TIFF read safely: pages counted, one page cut out,
 * a chain that loops or runs off the file stopped, other files refused. */
static void
test_tiff_pages (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *three = file_path (f, "three.tif");
  g_autofree char *pdf = file_path (f, "x.pdf");
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GArray) offsets = NULL;
  g_autoptr(GArray) cut = NULL;
  gsize len = 0;

  make_tiff (three, 3, 40, 30);
  make_pdf (pdf, 1, NULL);
  g_assert_cmpuint (ct_tiff_count_pages (three), ==, 3);
  g_assert_cmpuint (ct_tiff_count_pages (pdf), ==, 0);
  g_assert_cmpuint (ct_tiff_count_pages ("/nonexistent/x.tif"), ==, 0);

  g_assert_true (g_file_get_contents (three, &contents, &len, NULL));
  whole = g_bytes_new (contents, len);
  offsets = ct_tiff_page_offsets ((const guint8 *) contents, len);
  g_assert_cmpuint (offsets->len, ==, 3);

  /* Page 2 alone: the same bytes, the header pointing at its directory. */
  second = ct_tiff_extract_page (whole, 1);
  g_assert_nonnull (second);
  g_assert_cmpuint (g_bytes_get_size (second), ==, len);
  cut = ct_tiff_page_offsets (g_bytes_get_data (second, NULL), len);
  g_assert_cmpuint (cut->len, ==, 2);
  g_assert_cmpuint (g_array_index (cut, guint32, 0), ==, g_array_index (offsets, guint32, 1));
  g_assert_cmpint (memcmp ((const guint8 *) g_bytes_get_data (second, NULL) + 8, contents + 8, len - 8), ==, 0);
  g_assert_null (ct_tiff_extract_page (whole, 3));

  /* Page 2's next offset pointing back at page 1: two pages, no loop. */
  {
    g_autofree guint8 *looped = g_memdup2 (contents, len);
    guint32 ifd = g_array_index (offsets, guint32, 1);
    guint16 n = looped[ifd] | looped[ifd + 1] << 8;
    g_autoptr(GArray) got = NULL;

    looped[ifd + 2 + n * 12] = 8;
    looped[ifd + 2 + n * 12 + 1] = 0;
    looped[ifd + 2 + n * 12 + 2] = 0;
    looped[ifd + 2 + n * 12 + 3] = 0;
    got = ct_tiff_page_offsets (looped, len);
    g_assert_cmpuint (got->len, ==, 2);
  }
  /* Cut short inside page 3's directory: the pages before it. */
  {
    g_autoptr(GArray) got = ct_tiff_page_offsets ((const guint8 *) contents, g_array_index (offsets, guint32, 2) + 10);
    g_assert_cmpuint (got->len, ==, 2);
  }
  g_assert_null (ct_tiff_page_offsets ((const guint8 *) "II*", 3));
  g_assert_null (ct_tiff_page_offsets ((const guint8 *) "%PDF-1.5 not a tiff", 19));
}

static void
test_malformed (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *bad = file_path (f, "broken.pdf");
  g_autofree char *cut = file_path (f, "cut.pdf");
  g_autofree char *good = file_path (f, "good.pdf");
  g_autofree char *contents = NULL;
  g_autoptr(CtMedia) a = NULL;
  g_autoptr(CtMedia) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *thumb = NULL;
  gsize len = 0;

  g_assert_true (g_file_set_contents (bad, "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n"
                                           "trailer << /Root 1 0 R >>\n%%EOF\n", -1, NULL));
  make_pdf (good, 2, NULL);
  g_assert_true (g_file_get_contents (good, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (cut, contents, 200, NULL));   /* the header and little else */

  a = import (f, bad, NULL);
  g_assert_cmpint (a->kind, ==, CT_MEDIA_KIND_DOCUMENT);
  g_assert_cmpstr (a->probe_status, ==, "unreadable");
  g_assert_nonnull (a->probe_reason);
  g_test_message ("malformed PDF: %s", a->probe_reason);
  g_assert_nonnull (strstr (a->probe_reason, "PDF"));
  g_assert_cmpuint (a->pages, ==, 0);

  b = import (f, cut, NULL);
  g_assert_cmpint (b->kind, ==, CT_MEDIA_KIND_DOCUMENT);
  g_assert_cmpstr (b->probe_status, ==, "unreadable");
  g_test_message ("truncated PDF: %s", b->probe_reason);

  /* No thumbnail, with the reason; the case shows it as unreadable. */
  thumb = ct_store_media_thumbnail (f->store, a, NULL, &error);
  g_assert_null (thumb);
  g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
  g_test_message ("no thumbnail: %s", error->message);
  g_clear_error (&error);
  {
    g_autoptr(CtFacts) facts = ct_store_case_facts (f->store, f->case_id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (json_node_get_int (ct_facts_get (facts, "media.unreadable")), ==, 2);
  }
}

/* A PDF with a password to open is unreadable; one whose owner password
 * only restricts printing opens and says it is encrypted (qpdf makes both
 * when it is installed). */
static void
test_encrypted (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *plain = file_path (f, "plain.pdf");
  g_autofree char *locked = file_path (f, "locked.pdf");
  g_autofree char *restricted = file_path (f, "restricted.pdf");
  g_autoptr(CtMedia) a = NULL;
  g_autoptr(CtMedia) b = NULL;
  g_autofree char *qpdf = g_find_program_in_path ("qpdf");

  if (qpdf == NULL)
    {
      g_test_skip ("qpdf is not installed");
      return;
    }
  make_pdf (plain, 2, NULL);
  {
    const char *lock[] = { qpdf, "--encrypt", "secret", "owner", "256", "--", plain, locked, NULL };
    const char *restrict_[] = { qpdf, "--encrypt", "", "owner", "256", "--print=none", "--", plain, restricted, NULL };
    int status = 0;
    g_autoptr(GError) error = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) lock, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, &error));
    g_assert_true (g_spawn_sync (NULL, (char **) restrict_, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                                 &error));
    g_assert_true (g_spawn_check_wait_status (status, &error));
  }
  a = import (f, locked, NULL);
  g_assert_cmpint (a->kind, ==, CT_MEDIA_KIND_DOCUMENT);
  g_assert_cmpstr (a->probe_status, ==, "unreadable");
  g_assert_nonnull (strstr (a->probe_reason, "password"));
  b = import (f, restricted, NULL);
  g_assert_cmpstr (b->probe_status, ==, "ok");
  g_assert_cmpuint (b->pages, ==, 2);
  g_assert_nonnull (strstr (b->probe_json, "\"encrypted\":true"));
}

/* ---- attaching ------------------------------------------------------------------------- */

static void
test_attach (Fixture      *f,
             gconstpointer data)
{
  g_autofree char *receipt = file_path (f, "receipt.pdf");
  g_autofree char *other = file_path (f, "other.pdf");
  g_autofree char *photo = file_path (f, "shop.png");
  g_autoptr(CtMedia) doc = NULL;
  g_autoptr(CtMedia) foreign = NULL;
  g_autoptr(CtMedia) pic = NULL;
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;
  gint64 saves;

  make_pdf (receipt, 2, "送达回证");
  make_pdf (other, 1, "其他");
  make_png (photo, 0.5);
  doc = import (f, receipt, NULL);
  foreign = import_to (f, f->other_case_id, other, NULL);
  pic = import (f, photo, NULL);

  saves = count (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'form.save'");
  g_assert_true (ct_store_attach_scan (f->store, f->h1, doc->id, "service_receipt", "signed_receipt",
                                      "1", "送达回证签收页", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'form.save'"), ==, saves + 1);
  values = ct_store_get_form (f->store, f->case_id, "service_receipt", &error);
  g_assert_no_error (error);
  node = json_object_get_member (values, "signed_receipt");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "media"), ==, doc->sha256);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "pages"), ==, "1");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "label"), ==, "送达回证签收页");

  /* The whole document as a second entry; the same twice is refused. */
  g_assert_true (ct_store_attach_scan (f->store, f->h1, doc->id, "service_receipt", "signed_receipt",
                                      NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (ct_store_attach_scan (f->store, f->h1, doc->id, "service_receipt", "signed_receipt",
                                       "1", NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_pointer (&values, json_object_unref);
  values = ct_store_get_form (f->store, f->case_id, "service_receipt", &error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (values, "signed_receipt")), ==, 2);

  /* Refusals: pages beyond the document, a photo, another case's document
   * (its form would be the other case's: the medium's case decides), an
   * unknown field, a field that is no scan field, an outsider. */
  g_assert_false (ct_store_attach_scan (f->store, f->h1, doc->id, "service_receipt", "signed_receipt",
                                       "2-3", NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ct_store_attach_scan (f->store, f->h1, doc->id, "service_receipt", "signed_receipt",
                                       "a", NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ct_store_attach_scan (f->store, f->h1, pic->id, "service_receipt", "signed_receipt",
                                       NULL, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not a scanned document"));
  g_clear_error (&error);
  g_assert_false (ct_store_attach_scan (f->store, f->h1, doc->id, "service_receipt", "no_such_field",
                                       NULL, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ct_store_attach_scan (f->store, f->h1, doc->id, "service_receipt", "document_name",
                                       NULL, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ct_store_attach_scan (f->store, f->h3, doc->id, "service_receipt", "signed_receipt",
                                       NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A scan field holding another case's document, saved by hand, is no
   * fact of this case: the rule does not see it. */
  {
    g_autoptr(CtFacts) facts = NULL;
    g_autoptr(JsonObject) forged = json_object_new ();
    g_autoptr(JsonObject) entry = json_object_new ();
    json_object_set_string_member (entry, "media", foreign->sha256);
    json_object_set_string_member (forged, "method", "direct");
    json_object_set_object_member (forged, "signed_receipt", g_steal_pointer (&entry));
    g_assert_true (ct_store_save_form (f->store, f->h1, f->case_id, "service_receipt", forged, &error));
    g_assert_no_error (error);
    facts = ct_store_case_facts (f->store, f->case_id, &error);
    g_assert_no_error (error);
    g_assert_null (ct_facts_get (facts, "form.service_receipt.signed_receipt"));
  }
}

/* 002 第十二条（一）: direct service keeps the signed receipt. */
static void
test_rule (Fixture      *f,
           gconstpointer data)
{
  g_autofree char *receipt = file_path (f, "receipt.pdf");
  g_autofree char *photo = file_path (f, "receipt.png");
  g_autoptr(CtMedia) doc = NULL;
  g_autoptr(CtMedia) pic = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GError) error = NULL;
  CtRuleSet *rules;
  const char *state[3] = { NULL };

  make_pdf (receipt, 1, NULL);
  make_png (photo, 0.9);
  doc = import (f, receipt, NULL);
  pic = import (f, photo, NULL);
  json_object_set_string_member (values, "method", "direct");
  g_assert_true (ct_store_save_form (f->store, f->h1, f->case_id, "service_receipt", values, &error));
  g_assert_no_error (error);
  rules = ct_store_get_rules (f->store, &error);
  g_assert_no_error (error);

  for (guint step = 0; step < 3; step++)
    {
      g_autoptr(CtFacts) facts = NULL;
      g_autoptr(GPtrArray) reqs = NULL;

      if (step == 1)
        {
          /* a picture that is a photo does not count, even written in by hand */
          g_autoptr(JsonObject) entry = json_object_new ();
          json_object_set_string_member (entry, "media", pic->sha256);
          json_object_set_object_member (values, "signed_receipt", g_steal_pointer (&entry));
          g_assert_true (ct_store_save_form (f->store, f->h1, f->case_id, "service_receipt", values, &error));
          g_assert_no_error (error);
        }
      if (step == 2)
        {
          json_object_remove_member (values, "signed_receipt");
          g_assert_true (ct_store_save_form (f->store, f->h1, f->case_id, "service_receipt", values, &error));
          g_assert_true (ct_store_attach_scan (f->store, f->h1, doc->id, "service_receipt", "signed_receipt",
                                              NULL, NULL, &error));
          g_assert_no_error (error);
        }
      facts = ct_store_case_facts (f->store, f->case_id, &error);
      g_assert_no_error (error);
      reqs = ct_ruleset_evaluate (rules, "general", "service", facts, NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < reqs->len; i++)
        {
          CtRequirement *r = reqs->pdata[i];
          if (g_strcmp0 (r->rule->id, "002.general.service.direct-receipt-scan") == 0)
            state[step] = ct_req_state_to_id (r->state);
        }
    }
  g_assert_cmpstr (state[0], ==, "missing");
  g_assert_cmpstr (state[1], ==, "missing");
  g_assert_cmpstr (state[2], ==, "satisfied");
}

/* A document of no case is no evidence of a step yet: the same refusal as
 * for a recording of no case (ct_store_attach_clip), and no form is made. */
static void
test_attach_no_case (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char *path = file_path (f, "loose.pdf");
  CtMediaSpec spec = { 0 };
  g_autoptr(CtMediaImport) imp = NULL;
  g_autoptr(GError) error = NULL;
  gint64 saves;

  make_pdf (path, 1, "送达回证");
  imp = ct_store_import_media (f->store, f->h1, path, &spec, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (imp->media->case_id, ==, 0);
  g_assert_cmpint (imp->media->kind, ==, CT_MEDIA_KIND_DOCUMENT);

  saves = count (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'form.save'");
  g_assert_false (ct_store_attach_scan (f->store, f->h1, imp->media->id, "service_receipt", "signed_receipt",
                                       NULL, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "belongs to no case"));
  g_clear_error (&error);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'form.save'"), ==, saves);
  g_assert_null (ct_store_get_form (f->store, f->case_id, "service_receipt", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/scan/import/pdf", Fixture, NULL, fixture_setup, test_import_pdf, fixture_teardown);
  g_test_add ("/scan/import/picture", Fixture, NULL, fixture_setup, test_import_picture, fixture_teardown);
  g_test_add ("/scan/import/tiff", Fixture, NULL, fixture_setup, test_import_tiff, fixture_teardown);
  g_test_add ("/scan/tiff-pages", Fixture, NULL, fixture_setup, test_tiff_pages, fixture_teardown);
  g_test_add ("/scan/import/malformed", Fixture, NULL, fixture_setup, test_malformed, fixture_teardown);
  g_test_add ("/scan/import/encrypted", Fixture, NULL, fixture_setup, test_encrypted, fixture_teardown);
  g_test_add ("/scan/attach", Fixture, NULL, fixture_setup, test_attach, fixture_teardown);
  g_test_add ("/scan/attach/no-case", Fixture, NULL, fixture_setup, test_attach_no_case, fixture_teardown);
  g_test_add ("/scan/rule", Fixture, NULL, fixture_setup, test_rule, fixture_teardown);
  return g_test_run ();
}

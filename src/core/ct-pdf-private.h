/* ct-pdf-private.h — the page layout shared by printed documents and the
 * dossier (ct-document-pdf.c, ct-dossier-pdf.c); not installed, no GTK.
 *
 * A CtPen draws onto a cairo PDF context page by page: ct_pen_next_page()
 * closes the page it is on (footer, show page) and starts the next one,
 * ct_pen_finish() closes the last.  A printed document on its own numbers
 * its pages "第 N 页 共 M 页"; inside a dossier (@dossier set to the case
 * number) every page carries the dossier's numbering instead,
 * "卷内第 N 页 共 M 页", counted from @base. */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "ct-document.h"

G_BEGIN_DECLS

/* A4 in PostScript points, and the margins of GB/T 9704 (rounded). */
#define MM            (72.0 / 25.4)
#define PAGE_W        (210.0 * MM)
#define PAGE_H        (297.0 * MM)
#define MARGIN_LEFT   (28.0 * MM)
#define MARGIN_RIGHT  (26.0 * MM)
#define MARGIN_TOP    (30.0 * MM)
#define MARGIN_BOTTOM (30.0 * MM)
#define FOOTER_Y      (PAGE_H - 18.0 * MM)
#define BODY_W        (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT)
#define BODY_BOTTOM   (PAGE_H - MARGIN_BOTTOM)
#define LABEL_W       (34.0 * MM)
#define CELL_PAD      (2.2 * MM)
#define QR_SIZE       (38.0 * MM)
#define RULE          0.75

#define SERIF       "Noto Serif CJK SC"
#define SANS        "Noto Sans CJK SC"

typedef struct {
  cairo_t          *cr;
  PangoContext     *context;       /* made on first use, unref it after the pass */
  const CtDocument *doc;           /* the document being drawn, or NULL */
  guint             page;          /* 1-based within the part; 0 before the first */
  guint             total;         /* pages of the document; 0 in the counting pass */
  double            y;
  /* In a dossier: */
  const char       *dossier;       /* the case number, or NULL for a document alone */
  const char       *running_head;  /* continuation line of a dossier part */
  guint             base;          /* dossier pages before this part */
  guint             dossier_total; /* 0 in the counting pass */
  gboolean          measure_only;  /* counting pass: the dossier's tables only measure */
} CtPen;

PangoLayout *ct_pen_layout       (CtPen          *pen,
                                  const char     *text,
                                  const char     *font,
                                  double          width,
                                  PangoAlignment  align);
double       ct_pen_height       (PangoLayout    *layout);
void         ct_pen_footer       (CtPen          *pen);
void         ct_pen_next_page    (CtPen          *pen);
void         ct_pen_finish       (CtPen          *pen);

cairo_status_t ct_pdf_write_nothing (void                *closure,
                                     const unsigned char *data,
                                     unsigned int         length);
cairo_status_t ct_pdf_write_bytes   (void                *closure,
                                     const unsigned char *data,
                                     unsigned int         length);
void         ct_pen_ensure_space (CtPen          *pen,
                                  double          height);
void         ct_pen_block        (CtPen          *pen,
                                  const char     *text,
                                  const char     *font,
                                  PangoAlignment  align,
                                  double          space_after);
/* A row of a two-column ruled table (label, value) that continues across
 * pages; @table_open tracks whether the row above drew the top rule. */
void         ct_pen_row          (CtPen          *pen,
                                  const char     *label,
                                  const char     *value,
                                  double          min_height,
                                  gboolean       *table_open);
/* pen->doc from a new page to the end of its last page. */
gboolean     ct_pen_document     (CtPen          *pen,
                                  GError        **error);

/* 2024年3月1日[09时30分（北京时间）] */
char        *ct_pdf_date_zh      (const char *iso,
                                  gboolean    with_time);
const char  *ct_pdf_role_zh      (const char *role);
const char  *ct_pdf_alg_zh       (const char *alg);
/* What cairo takes as a PDF date. */
char        *ct_pdf_iso_date     (const char *iso);

G_END_DECLS

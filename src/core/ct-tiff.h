/* ct-tiff.h — the pages of a multi-page TIFF (a sheet-feed scanner's file)
 *
 * A TIFF holds its pages as a chain of image file directories (IFDs); the
 * picture loaders (GdkTexture, GdkPixbuf, GStreamer) only read the first.
 * Page k alone is the same bytes with the header's first-IFD offset
 * pointing at page k's directory: every offset in a TIFF is from the start
 * of the file, so nothing else moves.  Classic TIFF only (not BigTIFF);
 * the chain is followed with bounds and loop checks, since scans come from
 * outside.  No GTK, no libtiff.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The offsets of the directories of @data, page 1 first, in a new array
 * of guint32; NULL when @data is no classic TIFF.  A chain that runs off
 * the file or loops stops where it goes wrong (the pages before it are
 * kept). */
GArray *ct_tiff_page_offsets (const guint8 *data,
                              gsize         len);

/* How many pages @path has: 0 when it is no classic TIFF or cannot be
 * read. */
guint   ct_tiff_count_pages  (const char *path);

/* Page @page (from 0) of @tiff as a TIFF of its own; NULL when @tiff has
 * no such page.  (Only GLib: the probe helper builds this file too.) */
GBytes *ct_tiff_extract_page (GBytes *tiff,
                              guint   page);

G_END_DECLS

#define G_LOG_DOMAIN "casetrail-core"

/* The pages of a multi-page TIFF (ct-tiff.h). */

#include "config.h"

#include <string.h>

#include "ct-tiff.h"

/* More directories than any scan has: a longer chain is taken as broken. */
#define MAX_PAGES 10000

static guint16
read16 (const guint8 *p,
        gboolean      big)
{
  return big ? (guint16) (p[0] << 8 | p[1]) : (guint16) (p[1] << 8 | p[0]);
}

static guint32
read32 (const guint8 *p,
        gboolean      big)
{
  return big ? (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3]
             : (guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0];
}

GArray *
ct_tiff_page_offsets (const guint8 *data,
                      gsize         len)
{
  GArray *offsets;
  g_autoptr(GHashTable) seen = NULL;
  gboolean big;
  guint32 ifd;

  if (data == NULL || len < 8)
    return NULL;
  if (memcmp (data, "II", 2) == 0)
    big = FALSE;
  else if (memcmp (data, "MM", 2) == 0)
    big = TRUE;
  else
    return NULL;
  if (read16 (data + 2, big) != 42)
    return NULL;

  offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  ifd = read32 (data + 4, big);
  while (ifd != 0 && offsets->len < MAX_PAGES)
    {
      guint16 n;

      /* the count, the entries and the next offset must lie in the file */
      if ((gsize) ifd + 2 > len || g_hash_table_contains (seen, GUINT_TO_POINTER (ifd)))
        break;
      n = read16 (data + ifd, big);
      if ((gsize) ifd + 2 + (gsize) n * 12 + 4 > len || n == 0)
        break;
      g_hash_table_add (seen, GUINT_TO_POINTER (ifd));
      g_array_append_val (offsets, ifd);
      ifd = read32 (data + ifd + 2 + (gsize) n * 12, big);
    }
  return offsets;
}

guint
ct_tiff_count_pages (const char *path)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  g_autoptr(GArray) offsets = NULL;

  if (file == NULL)
    return 0;
  offsets = ct_tiff_page_offsets ((const guint8 *) g_mapped_file_get_contents (file),
                                  g_mapped_file_get_length (file));
  return offsets != NULL ? offsets->len : 0;
}

GBytes *
ct_tiff_extract_page (GBytes *tiff,
                      guint   page)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (tiff, &len);
  g_autoptr(GArray) offsets = ct_tiff_page_offsets (data, len);
  guint8 *copy;
  guint32 ifd;

  if (offsets == NULL || page >= offsets->len)
    return NULL;
  if (page == 0)
    return g_bytes_ref (tiff);

  ifd = g_array_index (offsets, guint32, page);
  copy = g_memdup2 (data, len);
  if (data[0] == 'M')
    {
      copy[4] = ifd >> 24;
      copy[5] = (ifd >> 16) & 0xff;
      copy[6] = (ifd >> 8) & 0xff;
      copy[7] = ifd & 0xff;
    }
  else
    {
      copy[4] = ifd & 0xff;
      copy[5] = (ifd >> 8) & 0xff;
      copy[6] = (ifd >> 16) & 0xff;
      copy[7] = ifd >> 24;
    }
  return g_bytes_new_take (copy, len);
}

/* casetrail-probe — look inside one media file, in a process of its own
 *
 *   casetrail-probe [--timeout-ms N] FILE
 *   casetrail-probe [--timeout-ms N] --thumbnail OUT.png [--size PIXELS] FILE
 *   casetrail-probe [--timeout-ms N] --cut START_MS END_MS --output OUT FILE
 *
 * Runs GstDiscoverer on FILE and prints exactly one JSON object on stdout:
 *
 *   {"ok": true, "container": "mp4", "duration_ms": 3000,
 *    "video": [{"codec": "h264", "width": 320, "height": 240, "framerate": 25.0}],
 *    "audio": [{"codec": "aac", "channels": 2, "rate": 44100}],
 *    "image": {"width": 640, "height": 480},            (photos only)
 *    "created": "2024-05-17T09:30:15Z",
 *    "gps": {"lat": 39.9, "lon": 116.4, "alt": 43.5},
 *    "device": {"make": "…", "model": "…", "serial": "…"},
 *    "tags": {"…": "…"}}
 *
 * or {"ok": false, "reason": "…"}.  With --cut it copies the range into OUT
 * without re-encoding (MP4/MOV: H.264, H.265, AAC, MP3; WAV: PCM) and prints
 *
 *   {"ok": true, "clip": "OUT", "method": "stream-copy", "container": "mp4",
 *    "requested_start_ms": 62000, "requested_end_ms": 70000,
 *    "start_ms": 60000, "end_ms": 70013, "streams": ["h264", "aac"], "dropped": []}
 *
 * where start_ms/end_ms is the range the clip really holds (a copied video
 * starts at the keyframe at or before the requested start).  The exit status is 0 whenever a JSON
 * object was printed, 2 for a usage error.
 *
 * With --thumbnail OUT.png it writes one picture instead; with --frames
 * PREFIX --at MS,MS,… the key frames nearest those positions as
 * PREFIX-0.png, PREFIX-1.png, … ({"ok": true, "frames": N}), for the
 * player's timeline.
 *
 * Besides GStreamer's tags, the helper reads a few things itself: EXIF in
 * JPEG, the QuickTime/MP4 location boxes qtdemux leaves out (©xyz, loci,
 * the ISO6709 metadata key), the Broadcast Wave 'bext' recording time, and
 * whether an MP4/MOV's last box runs past the end of the file (truncated).
 *
 * A PDF (a scanned paper document: a signed receipt, a party's statement)
 * is read with poppler instead of GStreamer:
 *
 *   {"ok": true, "container": "pdf",
 *    "document": {"pages": 2, "title": "…", "created": "2024-05-17T09:30:15+08:00",
 *                 "encrypted": false, "width_pt": 595.3, "height_pt": 841.9}}
 *
 * ("created" is the PDF's own creation date, kept inside "document": it is
 * when the paper was scanned, not a recording time).  A PDF that poppler
 * cannot open, that has no pages or that needs a password is "ok": false
 * with the reason.  --thumbnail renders its first page.
 *
 * Malformed files are the point of this helper: the process limits its own
 * address space (RLIMIT_AS) and CPU time (RLIMIT_CPU) and arms alarm() as a
 * backstop so it never hangs, whatever the demuxers do.  The application
 * kills it from outside as well (ct_probe_file()).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <gst/tag/tag.h>
#include <json-glib/json-glib.h>
#include <cairo.h>
#include <poppler.h>

#include "ct-tiff.h"

#define DEFAULT_TIMEOUT_MS 10000
#define MEMORY_LIMIT ((rlim_t) 2 << 30)   /* 2 GiB of address space */
#define MAX_DIMENSION 32768               /* larger frames are not camera output */

/* The descriptor the JSON goes to.  Plugins sometimes print on stdout, so
 * fd 1 is pointed at stderr while GStreamer runs. */
static int json_fd = STDOUT_FILENO;

static void
write_all (int fd, const char *buf, size_t len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, buf, len);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return;
        }
      buf += n;
      len -= (size_t) n;
    }
}

static void
on_alarm (int sig)
{
  /* async-signal-safe: a fixed string, write(), _exit() */
  static const char msg[] = "{\"ok\":false,\"reason\":\"probing did not finish in time (the helper's own alarm)\"}\n";
  write_all (json_fd, msg, sizeof msg - 1);
  _exit (0);
}

#if defined(__SANITIZE_ADDRESS__)
/* In sanitized test builds only: GStreamer's registry and plugins keep
 * allocations for the life of this short-lived process, which LeakSanitizer
 * (with its shallow malloc stacks) cannot tell from leaks.  The probe's own
 * code is checked under ASan for memory errors all the same. */
const char *__lsan_default_suppressions (void);
const char *
__lsan_default_suppressions (void)
{
  return "leak:libglib-2.0.so\nleak:libgstreamer-1.0.so\nleak:libgobject-2.0.so\n";
}
#endif

static void
limit_resources (guint timeout_ms)
{
  struct rlimit rl;
  rlim_t cpu = (rlim_t) (timeout_ms / 1000) * 2 + 5;

  /* AddressSanitizer reserves terabytes of address space for its shadow
   * memory, so an address-space limit would abort every sanitized run;
   * there the CPU limit and the alarm remain the backstop. */
#if !defined(__SANITIZE_ADDRESS__)
  {
    struct rlimit want = { MEMORY_LIMIT, MEMORY_LIMIT };
    if (getrlimit (RLIMIT_AS, &rl) == 0 && rl.rlim_max != RLIM_INFINITY && rl.rlim_max < MEMORY_LIMIT)
      want.rlim_cur = want.rlim_max = rl.rlim_max;
    setrlimit (RLIMIT_AS, &want);
  }
#endif

  /* SIGXCPU at the soft limit (default action: terminate), SIGKILL at the hard one */
  {
    struct rlimit want = { cpu, cpu + 5 };
    if (getrlimit (RLIMIT_CPU, &rl) == 0 && rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want.rlim_max)
      want.rlim_cur = want.rlim_max = rl.rlim_max;
    setrlimit (RLIMIT_CPU, &want);
  }

  /* No core files from a malformed input. */
  {
    struct rlimit none = { 0, 0 };
    setrlimit (RLIMIT_CORE, &none);
  }

  signal (SIGALRM, on_alarm);
  alarm (timeout_ms / 1000 + 3);
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  alarm (0);
  write_all (json_fd, text, strlen (text));
  write_all (json_fd, "\n", 1);
}

static void
print_failure (const char *reason)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_end_object (b);
  print_json (b);
}

/* ---- names -------------------------------------------------------------- */

static const char *
container_name (const GstCaps *caps)
{
  const GstStructure *s;
  const char *name;

  if (caps == NULL || gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return NULL;
  s = gst_caps_get_structure (caps, 0);
  name = gst_structure_get_name (s);

  if (g_str_equal (name, "video/quicktime"))
    {
      const char *variant = gst_structure_get_string (s, "variant");
      if (g_strcmp0 (variant, "iso") == 0 || g_strcmp0 (variant, "iso-fragmented") == 0)
        return "mp4";
      if (g_strcmp0 (variant, "3gpp") == 0)
        return "3gp";
      return "mov";
    }
  if (g_str_equal (name, "audio/x-wav") || g_str_equal (name, "audio/x-rf64"))
    return "wav";
  if (g_str_equal (name, "video/x-matroska"))
    return "mkv";
  if (g_str_equal (name, "video/webm") || g_str_equal (name, "audio/webm"))
    return "webm";
  if (g_str_equal (name, "video/x-msvideo"))
    return "avi";
  if (g_str_equal (name, "video/mpegts"))
    return "mpegts";
  if (g_str_equal (name, "video/mpeg") || g_str_equal (name, "video/x-mpeg"))
    return "mpeg-ps";
  if (g_str_equal (name, "application/ogg") || g_str_equal (name, "audio/ogg") || g_str_equal (name, "video/ogg"))
    return "ogg";
  if (g_str_equal (name, "video/x-flv"))
    return "flv";
  if (g_str_equal (name, "video/x-ms-asf"))
    return "asf";
  if (g_str_equal (name, "application/x-3gp"))
    return "3gp";
  if (g_str_equal (name, "audio/x-amr-nb-sh") || g_str_equal (name, "audio/x-amr-wb-sh"))
    return "amr";
  if (g_str_equal (name, "application/x-id3") || g_str_equal (name, "application/x-apetag"))
    return NULL; /* a tag wrapper: named after what it wraps */
  return name;
}

static const char *
codec_name (const GstCaps *caps)
{
  const GstStructure *s;
  const char *name;
  int version = 0, layer = 0;

  if (caps == NULL || gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return "unknown";
  s = gst_caps_get_structure (caps, 0);
  name = gst_structure_get_name (s);

  if (g_str_equal (name, "video/x-h264"))
    return "h264";
  if (g_str_equal (name, "video/x-h265"))
    return "h265";
  if (g_str_equal (name, "video/x-vp8"))
    return "vp8";
  if (g_str_equal (name, "video/x-vp9"))
    return "vp9";
  if (g_str_equal (name, "video/x-av1"))
    return "av1";
  if (g_str_equal (name, "image/jpeg"))
    return "jpeg";
  if (g_str_equal (name, "image/png"))
    return "png";
  if (g_str_equal (name, "video/x-raw"))
    return "raw";
  if (g_str_equal (name, "video/mpeg"))
    {
      gst_structure_get_int (s, "mpegversion", &version);
      return version == 4 ? "mpeg4" : version == 2 ? "mpeg2" : "mpeg1";
    }
  if (g_str_equal (name, "audio/mpeg"))
    {
      gst_structure_get_int (s, "mpegversion", &version);
      if (version == 1)
        {
          gst_structure_get_int (s, "layer", &layer);
          return layer == 2 ? "mp2" : layer == 1 ? "mp1" : "mp3";
        }
      return "aac";
    }
  if (g_str_equal (name, "audio/x-raw") || g_str_equal (name, "audio/x-wav"))
    return "pcm";
  if (g_str_equal (name, "audio/x-alaw"))
    return "alaw";
  if (g_str_equal (name, "audio/x-mulaw"))
    return "mulaw";
  if (g_str_equal (name, "audio/x-opus"))
    return "opus";
  if (g_str_equal (name, "audio/x-vorbis"))
    return "vorbis";
  if (g_str_equal (name, "audio/x-flac"))
    return "flac";
  if (g_str_equal (name, "audio/AMR"))
    return "amr-nb";
  if (g_str_equal (name, "audio/AMR-WB"))
    return "amr-wb";
  if (g_str_equal (name, "audio/x-ac3") || g_str_equal (name, "audio/ac3"))
    return "ac3";
  return name;
}

/* The file's format when there is no container (mp3, aac, jpeg, png …). */
static const char *
bare_stream_container (const GstCaps *caps)
{
  const char *codec = codec_name (caps);

  if (caps != NULL && !gst_caps_is_empty (caps) && !gst_caps_is_any (caps)
      && g_str_equal (gst_structure_get_name (gst_caps_get_structure (caps, 0)), "audio/x-wav"))
    return "wav";

  if (g_str_equal (codec, "mp3") || g_str_equal (codec, "mp2") || g_str_equal (codec, "aac")
      || g_str_equal (codec, "jpeg") || g_str_equal (codec, "png") || g_str_equal (codec, "flac")
      || g_str_equal (codec, "h264") || g_str_equal (codec, "h265") || g_str_equal (codec, "amr-nb")
      || g_str_equal (codec, "amr-wb") || g_str_equal (codec, "ac3"))
    return codec;
  return NULL;
}

/* ---- tags --------------------------------------------------------------- */

static void
merge_tags (GstTagList **into, const GstTagList *tags)
{
  if (tags == NULL)
    return;
  if (*into == NULL)
    *into = gst_tag_list_copy (tags);
  else
    gst_tag_list_insert (*into, tags, GST_TAG_MERGE_KEEP);
}

/* GStreamer's EXIF reader is only plugged when jpegparse is; read the APP1
 * segment ourselves so photos keep their time, place and camera. */
static GstTagList *
read_jpeg_exif (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *data = NULL;
  gsize len = 0, pos = 2;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, &error);

  if (in == NULL)
    return NULL;
  data = g_malloc (256 * 1024);
  if (!g_input_stream_read_all (G_INPUT_STREAM (in), data, 256 * 1024, &len, NULL, &error))
    return NULL;
  if (len < 4 || data[0] != 0xFF || data[1] != 0xD8)
    return NULL;

  while (pos + 4 <= len && data[pos] == 0xFF)
    {
      guint8 marker = data[pos + 1];
      gsize seglen = ((gsize) data[pos + 2] << 8) | data[pos + 3];

      if (marker == 0xDA || marker == 0xD9 || seglen < 2)
        break;
      if (marker == 0xE1 && seglen >= 8 && pos + 2 + seglen <= len
          && memcmp (data + pos + 4, "Exif\0\0", 6) == 0)
        {
          g_autoptr(GstBuffer) buf =
            gst_buffer_new_memdup (data + pos + 10, seglen - 8);
          return gst_tag_list_from_exif_buffer_with_tiff_header (buf);
        }
      pos += 2 + seglen;
    }
  return NULL;
}

/* Decoders allocate the whole frame a header claims.  Refuse absurd PNG and
 * JPEG sizes before GStreamer sees them (RLIMIT_AS is the backstop). */
static gboolean
picture_header_size (const char *path, guint *w, guint *h)
{
  guint8 d[65536];
  gsize len = 0, pos = 2;
  FILE *f = fopen (path, "rb");

  if (f == NULL)
    return FALSE;
  len = fread (d, 1, sizeof d, f);
  fclose (f);

  if (len >= 24 && memcmp (d, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp (d + 12, "IHDR", 4) == 0)
    {
      *w = ((guint) d[16] << 24) | ((guint) d[17] << 16) | ((guint) d[18] << 8) | d[19];
      *h = ((guint) d[20] << 24) | ((guint) d[21] << 16) | ((guint) d[22] << 8) | d[23];
      return TRUE;
    }
  if (len < 4 || d[0] != 0xFF || d[1] != 0xD8)
    return FALSE;
  while (pos + 9 <= len && d[pos] == 0xFF)
    {
      guint8 m = d[pos + 1];
      gsize seglen = ((gsize) d[pos + 2] << 8) | d[pos + 3];

      if (m == 0xFF)
        {
          pos++;
          continue;
        }
      if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC)
        {
          *h = ((guint) d[pos + 5] << 8) | d[pos + 6];
          *w = ((guint) d[pos + 7] << 8) | d[pos + 8];
          return TRUE;
        }
      if (m == 0xDA || m == 0xD9 || seglen < 2)
        break;
      pos += 2 + seglen;
    }
  return FALSE;
}

static void
add_tag_string (JsonBuilder *b, const GstTagList *tags, const char *tag)
{
  const GValue *v;
  g_autofree char *text = NULL;

  if (tags == NULL || gst_tag_list_get_tag_size (tags, tag) == 0)
    return;
  v = gst_tag_list_get_value_index (tags, tag, 0);
  if (G_VALUE_HOLDS_STRING (v))
    text = g_value_dup_string (v);
  else if (G_VALUE_HOLDS (v, GST_TYPE_DATE_TIME))
    {
      GstDateTime *dt = g_value_get_boxed (v);
      text = dt ? gst_date_time_to_iso8601_string (dt) : NULL;
    }
  else if (G_VALUE_HOLDS (v, GST_TYPE_SAMPLE) || G_VALUE_HOLDS (v, GST_TYPE_BUFFER))
    return; /* pictures and blobs stay out */
  else
    text = gst_value_serialize (v);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return;
  if (strlen (text) > 1024)
    text[1024] = '\0';
  if (!g_utf8_validate (text, -1, NULL))
    return;
  json_builder_set_member_name (b, tag);
  json_builder_add_string_value (b, text);
}

static char *
tag_dup_string (const GstTagList *tags, const char *tag)
{
  char *s = NULL;

  if (tags != NULL && gst_tag_list_get_string (tags, tag, &s) && s != NULL && *s != '\0'
      && g_utf8_validate (s, -1, NULL))
    return s;
  g_free (s);
  return NULL;
}

static char *
created_from_tags (const GstTagList *tags)
{
  GstDateTime *dt = NULL;
  GDate *date = NULL;
  char *iso = NULL;

  if (tags == NULL)
    return NULL;
  if (gst_tag_list_get_date_time (tags, GST_TAG_DATE_TIME, &dt) && dt != NULL)
    {
      if (gst_date_time_has_year (dt))
        iso = gst_date_time_to_iso8601_string (dt);
      gst_date_time_unref (dt);
    }
  if (iso == NULL && gst_tag_list_get_date (tags, GST_TAG_DATE, &date) && date != NULL)
    {
      if (g_date_valid (date))
        iso = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date),
                               g_date_get_month (date), g_date_get_day (date));
      g_date_free (date);
    }
  return iso;
}

/* ---- what GStreamer leaves out ------------------------------------------ */

/* qtdemux reads its tags from moov/udta/meta/ilst when there is such a box,
 * and from udta itself otherwise; it knows neither '©xyz' (the location
 * Android's recorder, ffmpeg's MOV muxer and many cameras write) nor the
 * 'com.apple.quicktime.location.ISO6709' key (iPhone), and misses a 'loci'
 * box next to an iTunes 'meta' (as ffmpeg writes MP4).  So the location
 * boxes are read here when GStreamer gave no place.  Everything is
 * bounds-checked: the input may be hostile. */

#define QT_MAX_MOOV ((guint64) 64 << 20)
#define QT_MAX_BOXES 4096

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* Find the first child box of TYPE in the box list BUF[0..LEN). */
static gboolean
qt_find_child (const guint8 *buf, gsize len, const char *type,
               const guint8 **body, gsize *body_len)
{
  gsize pos = 0;
  guint n = 0;

  while (pos + 8 <= len && n++ < QT_MAX_BOXES)
    {
      guint64 size = be32 (buf + pos);
      gsize hdr = 8;

      if (size == 1)
        {
          if (pos + 16 > len)
            return FALSE;
          size = ((guint64) be32 (buf + pos + 8) << 32) | be32 (buf + pos + 12);
          hdr = 16;
        }
      else if (size == 0)
        size = len - pos;
      if (size < hdr || size > len - pos)
        return FALSE;
      if (memcmp (buf + pos + 4, type, 4) == 0)
        {
          *body = buf + pos + hdr;
          *body_len = (gsize) size - hdr;
          return TRUE;
        }
      pos += (gsize) size;
    }
  return FALSE;
}

/* One ISO 6709 coordinate: sign, then degrees as D…D[.D…], DDMM[.M…] or
 * DDMMSS[.S…] (DEG_DIGITS is 2 for latitude, 3 for longitude). */
static gboolean
iso6709_coord (const char **s, guint deg_digits, double *out)
{
  const char *p = *s;
  double sign, value = 0, frac = 0, scale = 1;
  guint ndig = 0;

  if (*p != '+' && *p != '-')
    return FALSE;
  sign = *p++ == '-' ? -1 : 1;
  while (g_ascii_isdigit (*p) && ndig < 16)
    {
      value = value * 10 + (*p++ - '0');
      ndig++;
    }
  if (ndig == 0)
    return FALSE;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      {
        scale /= 10;
        frac += (*p - '0') * scale;
      }
  value += frac;
  if (ndig == deg_digits + 2)         /* DDMM.M */
    {
      double deg = (double) (guint) (value / 100);
      value = deg + (value - deg * 100) / 60;
    }
  else if (ndig == deg_digits + 4)    /* DDMMSS.S */
    {
      double deg = (double) (guint) (value / 10000);
      double min = (double) (guint) ((value - deg * 10000) / 100);
      value = deg + min / 60 + (value - deg * 10000 - min * 100) / 3600;
    }
  else if (ndig > deg_digits)
    return FALSE;
  *out = sign * value;
  *s = p;
  return TRUE;
}

/* "+31.2304+121.4737+012.500/" and the like */
static gboolean
parse_iso6709 (const char *text, double *lat, double *lon, double *alt, gboolean *has_alt)
{
  const char *p = text;

  *has_alt = FALSE;
  if (!iso6709_coord (&p, 2, lat) || !iso6709_coord (&p, 3, lon))
    return FALSE;
  if (*p == '+' || *p == '-')
    {
      char *end = NULL;
      double a = g_ascii_strtod (p, &end);
      if (end != p && isfinite (a))
        {
          *alt = a;
          *has_alt = TRUE;
        }
    }
  return *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180;
}

static gboolean
iso6709_from_bytes (const guint8 *p, gsize len, double *lat, double *lon,
                    double *alt, gboolean *has_alt)
{
  g_autofree char *text = NULL;

  if (len == 0 || len > 256)
    return FALSE;
  text = g_strndup ((const char *) p, len);
  return parse_iso6709 (text, lat, lon, alt, has_alt);
}

/* 'loci' (3GPP TS 26.244): full box, language, name, role, then
 * longitude, latitude, altitude as signed 16.16 fixed point. */
static gboolean
qt_parse_loci (const guint8 *p, gsize len, double *lat, double *lon, double *alt, gboolean *has_alt)
{
  gsize pos = 6;

  if (len < pos + 1)
    return FALSE;
  if (pos + 2 <= len && (p[pos] == 0xFE || p[pos] == 0xFF) && (p[pos + 1] == 0xFE || p[pos + 1] == 0xFF))
    {
      /* UTF-16 name up to a double NUL */
      for (pos += 2; pos + 2 <= len && (p[pos] != 0 || p[pos + 1] != 0); pos += 2)
        ;
      pos += 2;
    }
  else
    {
      while (pos < len && p[pos] != 0)
        pos++;
      pos++;
    }
  pos++;                                /* role */
  if (pos + 12 > len)
    return FALSE;
  *lon = (gint32) be32 (p + pos) / 65536.0;
  *lat = (gint32) be32 (p + pos + 4) / 65536.0;
  *alt = (gint32) be32 (p + pos + 8) / 65536.0;
  *has_alt = TRUE;
  return *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180;
}

/* A 'data' box inside an ilst item: type, locale, value. */
static gboolean
qt_item_value (const guint8 *item, gsize len, const guint8 **value, gsize *value_len)
{
  const guint8 *data;
  gsize data_len;

  if (!qt_find_child (item, len, "data", &data, &data_len) || data_len < 8)
    return FALSE;
  *value = data + 8;
  *value_len = data_len - 8;
  return TRUE;
}

/* 'meta': the iTunes kind (ilst items named by fourcc) or the QuickTime
 * kind (keys, and ilst items named by their 1-based key index). */
static gboolean
qt_parse_meta (const guint8 *p, gsize len, double *lat, double *lon, double *alt, gboolean *has_alt)
{
  const guint8 *keys = NULL, *ilst, *item, *value;
  gsize keys_len = 0, ilst_len, item_len, value_len;
  guint32 want = 0;

  /* ISO 'meta' is a full box; QuickTime's is not */
  if (len >= 8 && memcmp (p + 4, "hdlr", 4) != 0)
    {
      p += 4;
      len -= 4;
    }
  if (!qt_find_child (p, len, "ilst", &ilst, &ilst_len))
    return FALSE;

  if (qt_find_child (ilst, ilst_len, "\xa9xyz", &item, &item_len)
      && qt_item_value (item, item_len, &value, &value_len)
      && iso6709_from_bytes (value, value_len, lat, lon, alt, has_alt))
    return TRUE;

  if (qt_find_child (p, len, "keys", &keys, &keys_len) && keys_len >= 8)
    {
      guint32 count = be32 (keys + 4);
      gsize pos = 8;

      for (guint32 i = 1; i <= count && i <= QT_MAX_BOXES && pos + 8 <= keys_len; i++)
        {
          guint32 ksize = be32 (keys + pos);
          static const char name[] = "com.apple.quicktime.location.ISO6709";

          if (ksize < 8 || ksize > keys_len - pos)
            break;
          if (ksize - 8 == sizeof name - 1 && memcmp (keys + pos + 8, name, sizeof name - 1) == 0)
            {
              want = i;
              break;
            }
          pos += ksize;
        }
    }
  if (want != 0)
    {
      guint8 fourcc[5] = { want >> 24, (want >> 16) & 0xFF, (want >> 8) & 0xFF, want & 0xFF, 0 };
      if (qt_find_child (ilst, ilst_len, (const char *) fourcc, &item, &item_len)
          && qt_item_value (item, item_len, &value, &value_len)
          && iso6709_from_bytes (value, value_len, lat, lon, alt, has_alt))
        return TRUE;
    }
  return FALSE;
}

static gboolean
qt_location_in_moov (const guint8 *moov, gsize len, double *lat, double *lon, double *alt, gboolean *has_alt)
{
  const guint8 *udta, *box;
  gsize udta_len, box_len;

  if (qt_find_child (moov, len, "udta", &udta, &udta_len))
    {
      /* '©xyz': a 16-bit length, a 16-bit language, the text */
      if (qt_find_child (udta, udta_len, "\xa9xyz", &box, &box_len) && box_len >= 4)
        {
          gsize n = MIN ((gsize) ((box[0] << 8) | box[1]), box_len - 4);
          if (iso6709_from_bytes (box + 4, n, lat, lon, alt, has_alt))
            return TRUE;
        }
      if (qt_find_child (udta, udta_len, "loci", &box, &box_len)
          && qt_parse_loci (box, box_len, lat, lon, alt, has_alt))
        return TRUE;
      if (qt_find_child (udta, udta_len, "meta", &box, &box_len)
          && qt_parse_meta (box, box_len, lat, lon, alt, has_alt))
        return TRUE;
    }
  if (qt_find_child (moov, len, "meta", &box, &box_len)
      && qt_parse_meta (box, box_len, lat, lon, alt, has_alt))
    return TRUE;
  return FALSE;
}

static gboolean
qt_read_location (const char *path, double *lat, double *lon, double *alt, gboolean *has_alt)
{
  FILE *f = fopen (path, "rb");
  guint64 pos = 0;
  gboolean found = FALSE;

  if (f == NULL)
    return FALSE;
  for (guint n = 0; n < QT_MAX_BOXES; n++)
    {
      guint8 hdr[16];
      guint64 size;
      guint hlen = 8;

      if (fseeko (f, (off_t) pos, SEEK_SET) != 0 || fread (hdr, 1, 8, f) != 8)
        break;
      size = be32 (hdr);
      if (size == 1)
        {
          if (fread (hdr + 8, 1, 8, f) != 8)
            break;
          size = ((guint64) be32 (hdr + 8) << 32) | be32 (hdr + 12);
          hlen = 16;
        }
      if (memcmp (hdr + 4, "moov", 4) == 0)
        {
          g_autofree guint8 *body = NULL;
          gsize body_len;

          if (size == 0 || size < hlen || size - hlen > QT_MAX_MOOV)
            break;
          body_len = (gsize) (size - hlen);
          body = g_malloc (body_len);
          if (fread (body, 1, body_len, f) == body_len)
            found = qt_location_in_moov (body, body_len, lat, lon, alt, has_alt);
          break;
        }
      if (size == 0 || size < hlen || pos + size < pos)
        break;
      pos += size;
    }
  fclose (f);
  return found;
}

/* A QuickTime/MP4 file whose last box runs past the end of the file was cut
 * short (a recording interrupted, a copy not finished).  With the index at
 * the front GStreamer reads it as whole, so say so here. */
static char *
qt_truncation_reason (const char *path)
{
  static const char *const first[] = { "ftyp", "moov", "mdat", "free", "skip", "wide", "pnot" };
  FILE *f = fopen (path, "rb");
  struct stat st;
  guint64 pos = 0, end;
  char *reason = NULL;

  if (f == NULL)
    return NULL;
  if (fstat (fileno (f), &st) != 0 || st.st_size < 8)
    {
      fclose (f);
      return NULL;
    }
  end = (guint64) st.st_size;
  for (guint n = 0; n < QT_MAX_BOXES && pos + 8 <= end; n++)
    {
      guint8 hdr[16];
      guint64 size;
      guint hlen = 8;
      gboolean known = FALSE;

      if (fseeko (f, (off_t) pos, SEEK_SET) != 0 || fread (hdr, 1, 8, f) != 8)
        break;
      if (n == 0)
        {
          for (gsize i = 0; i < G_N_ELEMENTS (first) && !known; i++)
            known = memcmp (hdr + 4, first[i], 4) == 0;
          if (!known)
            break;              /* not a QuickTime file */
        }
      for (guint i = 4; i < 8; i++)
        if (hdr[i] < 0x20 && hdr[i] != 0)
          goto done;            /* not a box: trailing data, leave it to GStreamer */
      size = be32 (hdr);
      if (size == 1)
        {
          if (pos + 16 > end || fread (hdr + 8, 1, 8, f) != 8)
            break;
          size = ((guint64) be32 (hdr + 8) << 32) | be32 (hdr + 12);
          hlen = 16;
        }
      else if (size == 0)
        break;                  /* runs to the end of the file */
      if (size < hlen)
        break;
      if (size > end - pos)
        {
          char kind[5];
          for (guint i = 0; i < 4; i++)
            kind[i] = g_ascii_isprint (hdr[4 + i]) ? (char) hdr[4 + i] : '?';
          kind[4] = '\0';
          reason = g_strdup_printf (_("the file is truncated: its '%s' box needs %" PRIu64
                                    " bytes but only %" PRIu64 " are left"),
                                    kind, (uint64_t) size, (uint64_t) (end - pos));
          break;
        }
      pos += size;
    }
done:
  fclose (f);
  return reason;
}

/* A Broadcast Wave 'bext' chunk: the recording's local date and time
 * (EBU Tech 3285), which wavparse does not read.  No zone is given. */
static char *
wav_bext_origination (const char *path)
{
  FILE *f = fopen (path, "rb");
  guint8 hdr[12];
  guint64 pos = 12;
  char *iso = NULL;

  if (f == NULL)
    return NULL;
  if (fread (hdr, 1, 12, f) != 12
      || (memcmp (hdr, "RIFF", 4) != 0 && memcmp (hdr, "RF64", 4) != 0)
      || memcmp (hdr + 8, "WAVE", 4) != 0)
    {
      fclose (f);
      return NULL;
    }
  for (guint n = 0; n < QT_MAX_BOXES; n++)
    {
      guint8 ch[8];
      guint32 size;

      if (fseeko (f, (off_t) pos, SEEK_SET) != 0 || fread (ch, 1, 8, f) != 8)
        break;
      size = ch[4] | ((guint32) ch[5] << 8) | ((guint32) ch[6] << 16) | ((guint32) ch[7] << 24);
      if (memcmp (ch, "bext", 4) == 0)
        {
          char when[19];        /* "yyyy-mm-dd" "hh:mm:ss" at offset 320 */

          if (size >= 338 && fseeko (f, (off_t) (pos + 8 + 320), SEEK_SET) == 0
              && fread (when, 1, 18, f) == 18)
            {
              static const char shape[] = "dddd-dd-dddd:dd:dd";
              gboolean good = TRUE;

              when[18] = '\0';
              /* the spec allows any separator between the numbers */
              for (guint i = 0; i < 18 && good; i++)
                good = shape[i] == 'd' ? g_ascii_isdigit (when[i])
                                       : (g_ascii_ispunct (when[i]) || when[i] == ' ');
              if (good)
                iso = g_strdup_printf ("%.4s-%.2s-%.2sT%.2s:%.2s:%.2s", when, when + 5, when + 8,
                                       when + 10, when + 13, when + 16);
            }
          break;
        }
      if (memcmp (ch, "data", 4) == 0 && size == 0xFFFFFFFF)
        break;                  /* RF64: the real size is elsewhere */
      pos += 8 + (guint64) size + (size & 1);
    }
  fclose (f);
  return iso;
}

/* ---- the report --------------------------------------------------------- */

static void
report (const char *path, GstDiscovererInfo *info)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GstDiscovererStreamInfo *top = gst_discoverer_info_get_stream_info (info);
  GList *streams = gst_discoverer_info_get_stream_list (info);
  GstTagList *tags = NULL;
  const char *container = NULL;
  g_autofree char *container_desc = NULL;
  gboolean any_video = FALSE, any_audio = FALSE, any_image = FALSE;
  guint image_w = 0, image_h = 0;
  GstClockTime duration = gst_discoverer_info_get_duration (info);
  g_autofree char *created = NULL;
  gdouble lat = 0, lon = 0, alt = 0;
  gboolean has_lat, has_lon, has_alt;
  g_autofree char *make = NULL, *model = NULL, *serial = NULL;
  GList *l;
  static const char *const raw_tags[] = {
    GST_TAG_TITLE, GST_TAG_ARTIST, GST_TAG_COMMENT, GST_TAG_DESCRIPTION,
    GST_TAG_ENCODER, GST_TAG_APPLICATION_NAME, GST_TAG_CONTAINER_FORMAT,
    GST_TAG_VIDEO_CODEC, GST_TAG_AUDIO_CODEC, GST_TAG_BITRATE,
    GST_TAG_DATE_TIME, GST_TAG_DATE, GST_TAG_IMAGE_ORIENTATION,
    GST_TAG_DEVICE_MANUFACTURER, GST_TAG_DEVICE_MODEL,
    GST_TAG_GEO_LOCATION_NAME, GST_TAG_GEO_LOCATION_LATITUDE,
    GST_TAG_GEO_LOCATION_LONGITUDE, GST_TAG_GEO_LOCATION_ELEVATION,
    GST_TAG_CAPTURING_SOURCE, GST_TAG_LANGUAGE_CODE, GST_TAG_EXTENDED_COMMENT,
    GST_TAG_KEYWORDS, GST_TAG_COPYRIGHT,
  };

  if (top == NULL)
    {
      gst_discoverer_stream_info_list_free (streams);
      print_failure (_("the file holds no stream GStreamer recognises"));
      return;
    }

  /* container and global tags */
  if (GST_IS_DISCOVERER_CONTAINER_INFO (top))
    {
      g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (top);
      container = container_name (caps);
      if (caps != NULL && !gst_caps_is_empty (caps))
        container_desc = gst_pb_utils_get_codec_description (caps);
      merge_tags (&tags, gst_discoverer_container_info_get_tags (GST_DISCOVERER_CONTAINER_INFO (top)));
      merge_tags (&tags, gst_discoverer_stream_info_get_tags (top));
      if (container == NULL)
        {
          /* a tag wrapper (ID3, APE): name the file after its first stream */
          GList *inner = gst_discoverer_container_info_get_streams (GST_DISCOVERER_CONTAINER_INFO (top));
          if (inner != NULL)
            {
              g_autoptr(GstCaps) icaps = gst_discoverer_stream_info_get_caps (inner->data);
              container = bare_stream_container (icaps);
            }
          gst_discoverer_stream_info_list_free (inner);
        }
    }
  else
    {
      g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (top);
      container = bare_stream_container (caps);
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "container");
  if (container != NULL)
    json_builder_add_string_value (b, container);
  else
    json_builder_add_null_value (b);
  if (container_desc != NULL && g_utf8_validate (container_desc, -1, NULL))
    {
      json_builder_set_member_name (b, "container_description");
      json_builder_add_string_value (b, container_desc);
    }
  json_builder_set_member_name (b, "duration_ms");
  json_builder_add_int_value (b, GST_CLOCK_TIME_IS_VALID (duration) ? (gint64) (duration / GST_MSECOND) : 0);
  json_builder_set_member_name (b, "seekable");
  json_builder_add_boolean_value (b, gst_discoverer_info_get_seekable (info));

  json_builder_set_member_name (b, "video");
  json_builder_begin_array (b);
  for (l = streams; l != NULL; l = l->next)
    {
      GstDiscovererStreamInfo *si = l->data;
      GstDiscovererVideoInfo *vi;
      g_autoptr(GstCaps) caps = NULL;
      guint num, den, w, h;

      if (!GST_IS_DISCOVERER_VIDEO_INFO (si))
        continue;
      vi = GST_DISCOVERER_VIDEO_INFO (si);
      merge_tags (&tags, gst_discoverer_stream_info_get_tags (si));
      w = gst_discoverer_video_info_get_width (vi);
      h = gst_discoverer_video_info_get_height (vi);
      if (w > MAX_DIMENSION || h > MAX_DIMENSION)
        {
          g_autofree char *reason = g_strdup_printf (_("implausible picture size %u × %u"), w, h);
          g_clear_pointer (&tags, gst_tag_list_unref);
          gst_discoverer_stream_info_list_free (streams);
          gst_discoverer_stream_info_unref (top);
          print_failure (reason);
          return;
        }
      if (gst_discoverer_video_info_is_image (vi))
        {
          if (!any_image)
            {
              image_w = w;
              image_h = h;
            }
          any_image = TRUE;
          continue;
        }
      any_video = TRUE;
      caps = gst_discoverer_stream_info_get_caps (si);
      num = gst_discoverer_video_info_get_framerate_num (vi);
      den = gst_discoverer_video_info_get_framerate_denom (vi);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "codec");
      json_builder_add_string_value (b, codec_name (caps));
      json_builder_set_member_name (b, "width");
      json_builder_add_int_value (b, w);
      json_builder_set_member_name (b, "height");
      json_builder_add_int_value (b, h);
      json_builder_set_member_name (b, "framerate");
      json_builder_add_double_value (b, den > 0 ? (double) num / den : 0.0);
      json_builder_set_member_name (b, "bitrate");
      json_builder_add_int_value (b, gst_discoverer_video_info_get_bitrate (vi));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "audio");
  json_builder_begin_array (b);
  for (l = streams; l != NULL; l = l->next)
    {
      GstDiscovererStreamInfo *si = l->data;
      GstDiscovererAudioInfo *ai;
      g_autoptr(GstCaps) caps = NULL;
      const char *lang;

      if (!GST_IS_DISCOVERER_AUDIO_INFO (si))
        continue;
      ai = GST_DISCOVERER_AUDIO_INFO (si);
      any_audio = TRUE;
      merge_tags (&tags, gst_discoverer_stream_info_get_tags (si));
      caps = gst_discoverer_stream_info_get_caps (si);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "codec");
      json_builder_add_string_value (b, codec_name (caps));
      json_builder_set_member_name (b, "channels");
      json_builder_add_int_value (b, gst_discoverer_audio_info_get_channels (ai));
      json_builder_set_member_name (b, "rate");
      json_builder_add_int_value (b, gst_discoverer_audio_info_get_sample_rate (ai));
      json_builder_set_member_name (b, "bitrate");
      json_builder_add_int_value (b, gst_discoverer_audio_info_get_bitrate (ai));
      lang = gst_discoverer_audio_info_get_language (ai);
      if (lang != NULL && g_utf8_validate (lang, -1, NULL))
        {
          json_builder_set_member_name (b, "language");
          json_builder_add_string_value (b, lang);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  for (l = streams; l != NULL; l = l->next)
    merge_tags (&tags, gst_discoverer_stream_info_get_tags (l->data));

  if (any_image)
    {
      g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (top);
      if (caps != NULL && !gst_caps_is_empty (caps)
          && g_str_equal (gst_structure_get_name (gst_caps_get_structure (caps, 0)), "image/jpeg"))
        {
          GstTagList *exif = read_jpeg_exif (path);
          if (exif != NULL)
            {
              merge_tags (&tags, exif);
              gst_tag_list_unref (exif);
            }
        }
      json_builder_set_member_name (b, "image");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "width");
      json_builder_add_int_value (b, image_w);
      json_builder_set_member_name (b, "height");
      json_builder_add_int_value (b, image_h);
      /* A TIFF may hold several pages (a sheet-feed scan); the decoders
       * only see the first. */
      {
        guint tiff_pages = ct_tiff_count_pages (path);

        if (tiff_pages > 0)
          {
            json_builder_set_member_name (b, "pages");
            json_builder_add_int_value (b, tiff_pages);
          }
      }
      json_builder_end_object (b);
    }

  if (!any_video && !any_audio && !any_image)
    {
      g_clear_pointer (&tags, gst_tag_list_unref);
      gst_discoverer_stream_info_list_free (streams);
      gst_discoverer_stream_info_unref (top);
      print_failure (_("the file holds neither video, audio nor a picture"));
      return;
    }

  created = created_from_tags (tags);
  if ((created == NULL || strchr (created, 'T') == NULL) && g_strcmp0 (container, "wav") == 0)
    {
      char *bext = wav_bext_origination (path);
      if (bext != NULL)
        {
          g_free (created);
          created = bext;
        }
    }
  json_builder_set_member_name (b, "created");
  if (created != NULL && g_utf8_validate (created, -1, NULL))
    json_builder_add_string_value (b, created);
  else
    json_builder_add_null_value (b);

  has_lat = tags && gst_tag_list_get_double (tags, GST_TAG_GEO_LOCATION_LATITUDE, &lat);
  has_lon = tags && gst_tag_list_get_double (tags, GST_TAG_GEO_LOCATION_LONGITUDE, &lon);
  has_alt = tags && gst_tag_list_get_double (tags, GST_TAG_GEO_LOCATION_ELEVATION, &alt);
  if (!(has_lat && has_lon)
      && (g_strcmp0 (container, "mp4") == 0 || g_strcmp0 (container, "mov") == 0
          || g_strcmp0 (container, "3gp") == 0))
    has_lat = has_lon = qt_read_location (path, &lat, &lon, &alt, &has_alt);
  json_builder_set_member_name (b, "gps");
  if (has_lat && has_lon && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "lat");
      json_builder_add_double_value (b, lat);
      json_builder_set_member_name (b, "lon");
      json_builder_add_double_value (b, lon);
      json_builder_set_member_name (b, "alt");
      if (has_alt)
        json_builder_add_double_value (b, alt);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  make = tag_dup_string (tags, GST_TAG_DEVICE_MANUFACTURER);
  model = tag_dup_string (tags, GST_TAG_DEVICE_MODEL);
  /* There is no standard serial-number tag; recorders put it in the
   * extended comment as "serial=…" when they write it at all. */
  if (tags != NULL)
    {
      guint i, n = gst_tag_list_get_tag_size (tags, GST_TAG_EXTENDED_COMMENT);
      for (i = 0; i < n && serial == NULL; i++)
        {
          const char *ec = NULL;
          if (gst_tag_list_peek_string_index (tags, GST_TAG_EXTENDED_COMMENT, i, &ec) && ec != NULL
              && g_str_has_prefix (ec, "serial=") && g_utf8_validate (ec, -1, NULL))
            serial = g_strdup (ec + strlen ("serial="));
        }
    }
  json_builder_set_member_name (b, "device");
  if (make != NULL || model != NULL || serial != NULL)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "make");
      if (make) json_builder_add_string_value (b, make); else json_builder_add_null_value (b);
      json_builder_set_member_name (b, "model");
      if (model) json_builder_add_string_value (b, model); else json_builder_add_null_value (b);
      json_builder_set_member_name (b, "serial");
      if (serial) json_builder_add_string_value (b, serial); else json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "tags");
  json_builder_begin_object (b);
  for (gsize i = 0; i < G_N_ELEMENTS (raw_tags); i++)
    add_tag_string (b, tags, raw_tags[i]);
  json_builder_end_object (b);

  json_builder_end_object (b);
  print_json (b);

  if (tags != NULL)
    gst_tag_list_unref (tags);
  gst_discoverer_stream_info_list_free (streams);
  gst_discoverer_stream_info_unref (top);
}

/* A frame size no decoder accepts makes the discoverer report a missing
 * plugin or an error; name the real trouble instead. */
static char *
implausible_size_reason (GstDiscovererInfo *info)
{
  GList *streams = gst_discoverer_info_get_video_streams (info);
  char *reason = NULL;

  for (GList *l = streams; l != NULL && reason == NULL; l = l->next)
    {
      GstDiscovererVideoInfo *vi = l->data;
      guint w = gst_discoverer_video_info_get_width (vi);
      guint h = gst_discoverer_video_info_get_height (vi);

      if (w > MAX_DIMENSION || h > MAX_DIMENSION)
        reason = g_strdup_printf (_("implausible picture size %u × %u"), w, h);
    }
  gst_discoverer_stream_info_list_free (streams);
  return reason;
}

static char *
missing_plugins_reason (GstDiscovererInfo *info)
{
  const char **details = gst_discoverer_info_get_missing_elements_installer_details (info);
  g_autoptr(GString) s = g_string_new ("a GStreamer plugin is missing: ");
  guint n = 0;

  for (guint i = 0; details != NULL && details[i] != NULL; i++)
    {
      /* installer detail: gstreamer|1.0|app|DESCRIPTION|TYPE-DETAIL */
      g_auto(GStrv) parts = g_strsplit (details[i], "|", 5);
      const char *desc = g_strv_length (parts) >= 4 ? parts[3] : details[i];
      if (!g_utf8_validate (desc, -1, NULL))
        continue;
      g_string_append_printf (s, "%s%s", n++ ? ", " : "", desc);
    }
  if (n == 0)
    g_string_append (s, "(no details)");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* ---- thumbnails ------------------------------------------------------------ */

/* Waits for the pipeline to settle in PAUSED; the bus error, if any. */
static char *
wait_paused (GstElement *pipeline,
             guint       timeout_ms)
{
  GstStateChangeReturn ret = gst_element_get_state (pipeline, NULL, NULL, (GstClockTime) timeout_ms * GST_MSECOND);

  if (ret == GST_STATE_CHANGE_SUCCESS || ret == GST_STATE_CHANGE_NO_PREROLL)
    return NULL;
  {
    g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
    g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    if (msg != NULL)
      {
        g_autoptr(GError) err = NULL;
        gst_message_parse_error (msg, &err, NULL);
        return g_strdup_printf (_("cannot decode a picture: %s"), err->message);
      }
  }
  return g_strdup (ret == GST_STATE_CHANGE_ASYNC ? "decoding a picture took too long" : "cannot decode a picture");
}

/* Writes a PNG of the frame at a tenth of the way in (at most 5 s), @size
 * pixels wide, to @out.  NULL on success, else the reason. */
static char *
make_thumbnail (const char *uri,
                const char *out,
                guint       size,
                guint       timeout_ms)
{
  g_autoptr(GstElement) pipeline = gst_element_factory_make ("playbin", NULL);
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GError) error = NULL;
  GstElement *vsink, *asink;
  GstBuffer *buffer;
  GstMapInfo map;
  gint64 duration = 0;
  char *reason;
  gboolean ok;

  if (pipeline == NULL)
    return g_strdup (_("GStreamer has no playbin element"));
  vsink = gst_element_factory_make ("fakesink", NULL);
  asink = gst_element_factory_make ("fakesink", NULL);
  if (vsink == NULL || asink == NULL)
    return g_strdup (_("GStreamer has no fakesink element"));
  /* flags = video only (GST_PLAY_FLAG_VIDEO) */
  g_object_set (pipeline, "uri", uri, "video-sink", vsink, "audio-sink", asink, "flags", 0x1, NULL);

  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  reason = wait_paused (pipeline, timeout_ms / 2);
  if (reason == NULL &&
      gst_element_query_duration (pipeline, GST_FORMAT_TIME, &duration) && duration > 10 * GST_SECOND / 10)
    {
      gint64 at = MIN (duration / 10, 5 * GST_SECOND);
      if (gst_element_seek_simple (pipeline, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_KEY_UNIT, at))
        reason = wait_paused (pipeline, timeout_ms / 4);
    }
  if (reason != NULL)
    {
      gst_element_set_state (pipeline, GST_STATE_NULL);
      return reason;
    }

  caps = gst_caps_new_simple ("image/png", "width", G_TYPE_INT, (int) size,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
  g_signal_emit_by_name (pipeline, "convert-sample", caps, &sample);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (sample == NULL || (buffer = gst_sample_get_buffer (sample)) == NULL)
    return g_strdup (_("the file has no picture"));
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return g_strdup (_("cannot read the converted picture"));
  ok = g_file_set_contents (out, (const char *) map.data, (gssize) map.size, &error);
  gst_buffer_unmap (buffer, &map);
  if (!ok)
    return g_strdup_printf (_("cannot write the thumbnail: %s"), error->message);
  return NULL;
}

/* Writes PNGs of the frames at @at (milliseconds, comma-separated; the key
 * frame nearest each, for speed), @size pixels wide, as @prefix-<i>.png:
 * the timeline's strip of pictures.  NULL on success, else the reason. */
static char *
make_frames (const char *uri,
             const char *prefix,
             const char *at,
             guint       size,
             guint       timeout_ms)
{
  g_autoptr(GstElement) pipeline = gst_element_factory_make ("playbin", NULL);
  g_autoptr(GstCaps) caps = NULL;
  g_auto(GStrv) positions = g_strsplit (at, ",", -1);
  guint n = g_strv_length (positions);
  GstElement *vsink, *asink;
  char *reason;

  if (pipeline == NULL)
    return g_strdup (_("GStreamer has no playbin element"));
  if (n == 0 || n > 256)
    return g_strdup ("between 1 and 256 positions are needed");
  vsink = gst_element_factory_make ("fakesink", NULL);
  asink = gst_element_factory_make ("fakesink", NULL);
  if (vsink == NULL || asink == NULL)
    return g_strdup (_("GStreamer has no fakesink element"));
  g_object_set (pipeline, "uri", uri, "video-sink", vsink, "audio-sink", asink, "flags", 0x1, NULL);

  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  reason = wait_paused (pipeline, timeout_ms / 4);
  caps = gst_caps_new_simple ("image/png", "width", G_TYPE_INT, (int) size,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
  for (guint i = 0; reason == NULL && i < n; i++)
    {
      g_autoptr(GstSample) sample = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = g_strdup_printf ("%s-%u.png", prefix, i);
      char *end = NULL;
      gint64 ms = g_ascii_strtoll (positions[i], &end, 10);
      GstBuffer *buffer;
      GstMapInfo map;
      gboolean ok;

      if (end == positions[i] || *end != '\0' || ms < 0)
        {
          reason = g_strdup_printf ("not a position in milliseconds: %s", positions[i]);
          break;
        }
      if (!gst_element_seek_simple (pipeline, GST_FORMAT_TIME,
                                    GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_KEY_UNIT | GST_SEEK_FLAG_SNAP_NEAREST,
                                    ms * GST_MSECOND))
        {
          reason = g_strdup (_("cannot decode a picture"));
          break;
        }
      if ((reason = wait_paused (pipeline, MAX (timeout_ms / (n + 2), 500))) != NULL)
        break;
      g_signal_emit_by_name (pipeline, "convert-sample", caps, &sample);
      if (sample == NULL || (buffer = gst_sample_get_buffer (sample)) == NULL)
        {
          reason = g_strdup (_("the file has no picture"));
          break;
        }
      if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
        {
          reason = g_strdup (_("cannot read the converted picture"));
          break;
        }
      ok = g_file_set_contents (out, (const char *) map.data, (gssize) map.size, &error);
      gst_buffer_unmap (buffer, &map);
      if (!ok)
        reason = g_strdup_printf (_("cannot write the thumbnail: %s"), error->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return reason;
}

static void
print_frames_ok (guint n)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "frames");
  json_builder_add_int_value (b, n);
  json_builder_end_object (b);
  print_json (b);
}

static void
print_thumbnail_ok (const char *out)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "thumbnail");
  json_builder_add_string_value (b, out);
  json_builder_end_object (b);
  print_json (b);
}

/* ---- PDF documents (scanned paper) -------------------------------------------- */

#define MAX_PDF_PAGES 10000

/* poppler-glib 22.02 declares no autoptr cleanups */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

static gboolean
is_pdf (const char *path)
{
  char head[1024];
  size_t len;
  FILE *f = fopen (path, "rb");

  if (f == NULL)
    return FALSE;
  len = fread (head, 1, sizeof head, f);
  fclose (f);
  /* the header may follow a little junk (PDF 1.7, 7.5.2 is lenient readers' practice) */
  for (size_t i = 0; i + 5 <= len; i++)
    if (memcmp (head + i, "%PDF-", 5) == 0)
      return TRUE;
  return FALSE;
}

/* Opens @path with poppler; NULL with the reason in @reason. */
static PopplerDocument *
open_pdf (const char *path,
          char      **reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *abs = g_canonicalize_filename (path, NULL);
  PopplerDocument *doc;
  int n;

  uri = g_filename_to_uri (abs, NULL, &error);
  if (uri == NULL)
    {
      *reason = g_strdup_printf (_("invalid file name: %s"), error->message);
      return NULL;
    }
  doc = poppler_document_new_from_file (uri, NULL, &error);
  if (doc == NULL)
    {
      if (g_error_matches (error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        *reason = g_strdup (_("the PDF is protected by a password and cannot be opened"));
      else
        *reason = g_strdup_printf (_("not a readable PDF: %s"), error ? error->message : "unknown error");
      return NULL;
    }
  n = poppler_document_get_n_pages (doc);
  if (n <= 0)
    {
      *reason = g_strdup (_("the PDF has no pages"));
      g_object_unref (doc);
      return NULL;
    }
  if (n > MAX_PDF_PAGES)
    {
      *reason = g_strdup_printf (_("implausible page count %d"), n);
      g_object_unref (doc);
      return NULL;
    }
  return doc;
}

static void
report_pdf (const char *path)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(PopplerDocument) doc = NULL;
  g_autoptr(PopplerPage) first = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GDateTime) created = NULL;
  double w = 0, h = 0;

  doc = open_pdf (path, &reason);
  if (doc == NULL)
    {
      print_failure (reason);
      return;
    }
  first = poppler_document_get_page (doc, 0);
  if (first == NULL)
    {
      print_failure (_("the PDF's first page cannot be read"));
      return;
    }
  poppler_page_get_size (first, &w, &h);
  title = poppler_document_get_title (doc);
  created = poppler_document_get_creation_date_time (doc);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "container");
  json_builder_add_string_value (b, "pdf");
  json_builder_set_member_name (b, "document");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pages");
  json_builder_add_int_value (b, poppler_document_get_n_pages (doc));
  if (title != NULL && *title != '\0' && g_utf8_validate (title, -1, NULL))
    {
      if (strlen (title) > 1024)
        title[1024] = '\0';
      if (g_utf8_validate (title, -1, NULL))
        {
          json_builder_set_member_name (b, "title");
          json_builder_add_string_value (b, title);
        }
    }
  if (created != NULL)
    {
      g_autofree char *iso = g_date_time_format_iso8601 (created);
      json_builder_set_member_name (b, "created");
      json_builder_add_string_value (b, iso);
    }
  /* Opened without a password: any encryption is an owner password that
   * only restricts printing, copying or changing. */
  json_builder_set_member_name (b, "encrypted");
  json_builder_add_boolean_value (b, poppler_document_get_permissions (doc) != POPPLER_PERMISSIONS_FULL);
  json_builder_set_member_name (b, "width_pt");
  json_builder_add_double_value (b, w);
  json_builder_set_member_name (b, "height_pt");
  json_builder_add_double_value (b, h);
  json_builder_end_object (b);
  json_builder_end_object (b);
  print_json (b);
}

/* Renders page 1 of the PDF @path, @size pixels wide, on white, to @out.
 * NULL on success, else the reason. */
static char *
make_pdf_thumbnail (const char *path,
                    const char *out,
                    guint       size)
{
  g_autoptr(PopplerDocument) doc = NULL;
  g_autoptr(PopplerPage) page = NULL;
  char *reason = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double w = 0, h = 0, scale;
  int height;

  doc = open_pdf (path, &reason);
  if (doc == NULL)
    return reason;
  page = poppler_document_get_page (doc, 0);
  if (page == NULL)
    return g_strdup (_("the PDF's first page cannot be read"));
  poppler_page_get_size (page, &w, &h);
  if (w < 1 || h < 1 || w > 14400 || h > 14400)
    return g_strdup_printf (_("implausible page size %.0f × %.0f pt"), w, h);
  scale = size / w;
  height = MAX (1, (int) (h * scale + 0.5));
  if (height > 4 * (int) size)
    height = 4 * (int) size;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) size, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render_for_printing (page, cr);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, out);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_unlink (out);
      return g_strdup_printf (_("cannot write the picture: %s"), cairo_status_to_string (status));
    }
  return NULL;
}

/* ---- clips ------------------------------------------------------------------ */

/* A clip is cut by stream copy: demux, parse, mux into the same family of
 * container — no decoding, no re-encoding.  The demuxer seeks to the
 * keyframe at or before the requested start (a copied stream can only start
 * there), so the clip may begin earlier than asked; the range it really
 * holds is measured on the demuxed buffers and reported. */

typedef enum {
  CUT_MP4,
  CUT_MOV,
  CUT_WAV,
} CutFamily;

typedef struct {
  GMutex        lock;
  GstElement   *pipeline;
  GstElement   *mux;
  CutFamily     family;
  char         *reason;      /* why the file cannot be cut this way */
  GPtrArray    *streams;     /* char*: codecs copied */
  GPtrArray    *dropped;     /* char*: caps of streams left out (metadata, subtitles) */
  GstClockTime  origin;      /* stream time where the muxer's timeline starts (the keyframe) */
  GstClockTime  first;       /* the earliest data measured */
  GstClockTime  last;        /* the end of the latest data measured */
} Cut;

typedef struct {
  Cut        *cut;
  gboolean    live;          /* gate: the seek's flush has passed, data is the clip's */
  GstSegment  segment;       /* measure: the segment of the data going into the muxer */
} CutPad;

/* The container family, from the file's first bytes. */
static gboolean
cut_family (const char *path,
            CutFamily  *out)
{
  guint8 head[12];
  FILE *f = fopen (path, "rb");
  size_t n;

  if (f == NULL)
    return FALSE;
  n = fread (head, 1, sizeof head, f);
  fclose (f);
  if (n < sizeof head)
    return FALSE;
  if (memcmp (head, "RIFF", 4) == 0 && memcmp (head + 8, "WAVE", 4) == 0)
    {
      *out = CUT_WAV;
      return TRUE;
    }
  if (memcmp (head + 4, "ftyp", 4) == 0)
    {
      *out = memcmp (head + 8, "qt  ", 4) == 0 ? CUT_MOV : CUT_MP4;
      return TRUE;
    }
  if (memcmp (head + 4, "moov", 4) == 0 || memcmp (head + 4, "mdat", 4) == 0 ||
      memcmp (head + 4, "wide", 4) == 0 || memcmp (head + 4, "free", 4) == 0)
    {
      *out = CUT_MOV;
      return TRUE;
    }
  return FALSE;
}

static void
cut_refuse (Cut        *cut,
            const char *reason)
{
  g_mutex_lock (&cut->lock);
  if (cut->reason == NULL)
    cut->reason = g_strdup (reason);
  g_mutex_unlock (&cut->lock);
  gst_element_post_message (cut->pipeline,
                            gst_message_new_application (GST_OBJECT (cut->pipeline),
                                                         gst_structure_new_empty ("casetrail-cut-refused")));
}

static GstClockTime
stream_time (const GstSegment *segment,
             GstClockTime      ts)
{
  guint64 st = 0;
  int sign = gst_segment_to_stream_time_full (segment, GST_FORMAT_TIME, ts, &st);

  return sign > 0 ? st : 0;
}

/* On the demuxer's pads: holds back everything from before the seek. */
static GstPadProbeReturn
on_cut_gate (GstPad          *pad,
             GstPadProbeInfo *info,
             gpointer         data)
{
  CutPad *cp = data;
  GstEvent *ev;

  if (cp->live)
    return GST_PAD_PROBE_OK;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    return GST_PAD_PROBE_DROP;
  ev = GST_PAD_PROBE_INFO_EVENT (info);
  switch (GST_EVENT_TYPE (ev))
    {
    case GST_EVENT_FLUSH_STOP:
      /* Nothing of the unseeked stream went downstream, so the seek's
       * flush need not go either. */
      cp->live = TRUE;
      return GST_PAD_PROBE_DROP;
    case GST_EVENT_FLUSH_START:
    case GST_EVENT_SEGMENT:
    case GST_EVENT_EOS:
    case GST_EVENT_GAP:
    case GST_EVENT_SEGMENT_DONE:
      return GST_PAD_PROBE_DROP;
    default:
      return GST_PAD_PROBE_OK;
    }
}

/* On what goes into the muxer (the parsers drop what lies outside the
 * segment): the range the clip really holds. */
static GstPadProbeReturn
on_cut_measure (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         data)
{
  CutPad *cp = data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    {
      GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
      GstClockTime ts = GST_BUFFER_PTS_IS_VALID (buf) ? GST_BUFFER_PTS (buf) : GST_BUFFER_DTS (buf);

      if (GST_CLOCK_TIME_IS_VALID (ts) && cp->segment.format == GST_FORMAT_TIME)
        {
          GstClockTime end = ts + (GST_BUFFER_DURATION_IS_VALID (buf) ? GST_BUFFER_DURATION (buf) : 0);
          GstClockTime s = stream_time (&cp->segment, ts);
          GstClockTime e = stream_time (&cp->segment, end);

          g_mutex_lock (&cp->cut->lock);
          if (!GST_CLOCK_TIME_IS_VALID (cp->cut->first) || s < cp->cut->first)
            cp->cut->first = s;
          if (!GST_CLOCK_TIME_IS_VALID (cp->cut->last) || e > cp->cut->last)
            cp->cut->last = e;
          g_mutex_unlock (&cp->cut->lock);
        }
    }
  else if ((info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) &&
           GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_SEGMENT)
    {
      gst_event_copy_segment (GST_PAD_PROBE_INFO_EVENT (info), &cp->segment);
      g_mutex_lock (&cp->cut->lock);
      if (!GST_CLOCK_TIME_IS_VALID (cp->cut->origin) && cp->segment.format == GST_FORMAT_TIME)
        cp->cut->origin = stream_time (&cp->segment, cp->segment.start);
      g_mutex_unlock (&cp->cut->lock);
    }
  return GST_PAD_PROBE_OK;
}

static GstElement *
add_element (Cut        *cut,
             const char *factory)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  if (e != NULL)
    gst_bin_add (GST_BIN (cut->pipeline), e);
  return e;
}

static void
on_cut_pad (GstElement *demux,
            GstPad     *pad,
            gpointer    data)
{
  Cut *cut = data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autoptr(GstPad) mux_pad = NULL;
  const GstStructure *s;
  const char *name;
  const char *parser = NULL;
  const char *template = NULL;
  const char *codec = NULL;
  GstElement *queue, *parse = NULL, *sink;
  CutPad *cp = g_new0 (CutPad, 1);
  int version = 0;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  s = gst_caps_get_structure (caps, 0);
  name = gst_structure_get_name (s);
  gst_structure_get_int (s, "mpegversion", &version);

  if (cut->family == CUT_WAV)
    codec = "pcm";   /* wavenc takes what wavparse gives: PCM, A-law, µ-law */
  else if (cut->family != CUT_WAV && g_str_equal (name, "video/x-h264"))
    parser = "h264parse", template = "video_%u", codec = "h264";
  else if (cut->family != CUT_WAV && g_str_equal (name, "video/x-h265"))
    parser = "h265parse", template = "video_%u", codec = "h265";
  else if (cut->family != CUT_WAV && g_str_equal (name, "audio/mpeg") && (version == 2 || version == 4))
    parser = "aacparse", template = "audio_%u", codec = "aac";
  else if (cut->family != CUT_WAV && g_str_equal (name, "audio/mpeg") && version == 1)
    parser = "mpegaudioparse", template = "audio_%u", codec = "mp3";

  cp->cut = cut;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM |
                     GST_PAD_PROBE_TYPE_EVENT_FLUSH, on_cut_gate, cp, g_free);

  if (codec == NULL && (g_str_has_prefix (name, "video/") || g_str_has_prefix (name, "audio/") ||
                        g_str_has_prefix (name, "image/")))
    {
      g_autofree char *desc = gst_pb_utils_get_codec_description (caps);
      g_autofree char *reason = g_strdup_printf (_("its %s stream cannot be copied into a clip without "
                                                   "re-encoding"), desc != NULL ? desc : name);
      cut_refuse (cut, reason);
      return;
    }
  if (codec == NULL)
    {
      /* Timed metadata, subtitles: not part of the picture or sound. */
      sink = add_element (cut, "fakesink");
      g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
      gst_element_sync_state_with_parent (sink);
      g_mutex_lock (&cut->lock);
      g_ptr_array_add (cut->dropped, g_strdup (name));
      g_mutex_unlock (&cut->lock);
      {
        g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (sink, "sink");
        gst_pad_link (pad, sinkpad);
      }
      return;
    }

  queue = add_element (cut, "queue");
  if (parser != NULL)
    parse = add_element (cut, parser);
  if (queue == NULL || (parser != NULL && parse == NULL))
    {
      g_autofree char *reason = g_strdup_printf (_("GStreamer has no %s element"), parse == NULL ? parser : "queue");
      cut_refuse (cut, reason);
      return;
    }
  /* one streaming thread feeds every stream: the queues keep the muxer fed */
  g_object_set (queue, "max-size-buffers", 0, "max-size-bytes", 256 << 20,
                "max-size-time", (guint64) 0, NULL);
  mux_pad = template != NULL ? gst_element_request_pad_simple (cut->mux, template)
                             : gst_element_get_static_pad (cut->mux, "sink");
  if (mux_pad == NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("its %s stream cannot be written to the clip's container"), codec);
      cut_refuse (cut, reason);
      return;
    }
  {
    g_autoptr(GstPad) qsink = gst_element_get_static_pad (queue, "sink");
    g_autoptr(GstPad) last = NULL;

    if (parse != NULL && !gst_element_link (queue, parse))
      {
        cut_refuse (cut, _("the stream parser could not be linked"));
        return;
      }
    last = gst_element_get_static_pad (parse != NULL ? parse : queue, "src");
    {
      CutPad *measure = g_new0 (CutPad, 1);
      measure->cut = cut;
      gst_segment_init (&measure->segment, GST_FORMAT_UNDEFINED);
      gst_pad_add_probe (last, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                         on_cut_measure, measure, g_free);
    }
    if (gst_pad_link (last, mux_pad) != GST_PAD_LINK_OK || gst_pad_link (pad, qsink) != GST_PAD_LINK_OK)
      {
        g_autofree char *reason = g_strdup_printf (_("its %s stream cannot be written to the clip's container"),
                                                   codec);
        cut_refuse (cut, reason);
        return;
      }
  }
  if (parse != NULL)
    gst_element_sync_state_with_parent (parse);
  gst_element_sync_state_with_parent (queue);
  g_mutex_lock (&cut->lock);
  g_ptr_array_add (cut->streams, g_strdup (codec));
  g_mutex_unlock (&cut->lock);
}

static void
on_cut_no_more_pads (GstElement *demux,
                     gpointer    data)
{
  Cut *cut = data;

  gst_element_post_message (cut->pipeline,
                            gst_message_new_application (GST_OBJECT (cut->pipeline),
                                                         gst_structure_new_empty ("casetrail-cut-pads")));
}

static const char *
family_name (CutFamily family)
{
  switch (family)
    {
    case CUT_MP4: return "mp4";
    case CUT_MOV: return "mov";
    case CUT_WAV: return "wav";
    default: return NULL;
    }
}

static void
print_clip_ok (Cut        *cut,
               const char *out,
               gint64      start_ms,
               gint64      end_ms)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "clip");
  json_builder_add_string_value (b, out);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, "stream-copy");
  json_builder_set_member_name (b, "container");
  json_builder_add_string_value (b, family_name (cut->family));
  json_builder_set_member_name (b, "requested_start_ms");
  json_builder_add_int_value (b, start_ms);
  json_builder_set_member_name (b, "requested_end_ms");
  json_builder_add_int_value (b, end_ms);
  /* the first frame is a keyframe: the start is rounded down, the end up */
  json_builder_set_member_name (b, "start_ms");
  json_builder_add_int_value (b, (gint64) (cut->first / GST_MSECOND));
  json_builder_set_member_name (b, "end_ms");
  json_builder_add_int_value (b, (gint64) ((cut->last + GST_MSECOND - 1) / GST_MSECOND));
  json_builder_set_member_name (b, "streams");
  json_builder_begin_array (b);
  for (guint i = 0; i < cut->streams->len; i++)
    json_builder_add_string_value (b, cut->streams->pdata[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "dropped");
  json_builder_begin_array (b);
  for (guint i = 0; i < cut->dropped->len; i++)
    json_builder_add_string_value (b, cut->dropped->pdata[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  print_json (b);
}

static void
on_measure_pad (GstElement *demux,
                GstPad     *pad,
                gpointer    data)
{
  Cut *cut = data;
  GstElement *sink = add_element (cut, "fakesink");
  g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (sink, "sink");
  CutPad *cp = g_new0 (CutPad, 1);

  cp->cut = cut;
  gst_segment_init (&cp->segment, GST_FORMAT_UNDEFINED);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                     on_cut_measure, cp, g_free);
  /* one streaming thread feeds every sink: none may wait for preroll */
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_element_sync_state_with_parent (sink);
  gst_pad_link (pad, sinkpad);
}

/* Reads the clip back: the range of its own timeline that holds data
 * (*@first, *@last).  NULL on success, else the reason. */
static char *
measure_clip (const char   *out,
              CutFamily     family,
              gint64        deadline,
              GstClockTime *first,
              GstClockTime *last)
{
  g_autoptr(GstBus) bus = NULL;
  GstElement *src, *demux;
  char *reason = NULL;
  Cut m = { 0 };

  g_mutex_init (&m.lock);
  m.origin = m.first = m.last = GST_CLOCK_TIME_NONE;
  m.pipeline = gst_pipeline_new ("measure");
  src = add_element (&m, "filesrc");
  demux = add_element (&m, family == CUT_WAV ? "wavparse" : "qtdemux");
  g_object_set (src, "location", out, NULL);
  gst_element_link (src, demux);
  if (family == CUT_WAV)
    {
      g_autoptr(GstPad) pad = gst_element_get_static_pad (demux, "src");
      on_measure_pad (demux, pad, &m);
    }
  else
    g_signal_connect (demux, "pad-added", G_CALLBACK (on_measure_pad), &m);
  bus = gst_element_get_bus (m.pipeline);
  gst_element_set_state (m.pipeline, GST_STATE_PLAYING);
  for (;;)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      g_autoptr(GstMessage) msg = NULL;

      if (left <= 0)
        {
          reason = g_strdup (_("reading the clip back took too long"));
          break;
        }
      msg = gst_bus_timed_pop_filtered (bus, (GstClockTime) left * GST_USECOND,
                                        GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
      if (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
        {
          g_autoptr(GError) err = NULL;
          gst_message_parse_error (msg, &err, NULL);
          reason = g_strdup_printf (_("the clip cannot be read back: %s"), err->message);
          break;
        }
      if (msg != NULL)
        break;
    }
  gst_element_set_state (m.pipeline, GST_STATE_NULL);
  gst_object_unref (m.pipeline);
  g_mutex_clear (&m.lock);
  if (reason == NULL && !GST_CLOCK_TIME_IS_VALID (m.first))
    reason = g_strdup (_("the clip holds no sound or picture"));
  *first = m.first;
  *last = m.last;
  return reason;
}

/* Writes [@start_ms, @end_ms) of @path to @out by stream copy.  NULL on
 * success (the answer printed), else the reason. */
static char *
make_clip (const char *path,
           gint64      start_ms,
           gint64      end_ms,
           const char *out,
           guint       timeout_ms)
{
  g_autoptr(GstBus) bus = NULL;
  GstElement *src, *demux, *sink;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000 * 9 / 10;
  gboolean seeked = FALSE, done = FALSE;
  char *reason = NULL;
  Cut cut = { 0 };

  if (!cut_family (path, &cut.family))
    return g_strdup (_("clips are cut without re-encoding from MP4, MOV and WAV recordings only, "
                       "and this file is none of them"));
  if (start_ms < 0 || end_ms <= start_ms)
    return g_strdup (_("the clip must end after it starts"));

  g_mutex_init (&cut.lock);
  cut.origin = cut.first = cut.last = GST_CLOCK_TIME_NONE;
  cut.streams = g_ptr_array_new_with_free_func (g_free);
  cut.dropped = g_ptr_array_new_with_free_func (g_free);
  cut.pipeline = gst_pipeline_new ("cut");
  src = add_element (&cut, "filesrc");
  demux = add_element (&cut, cut.family == CUT_WAV ? "wavparse" : "qtdemux");
  cut.mux = add_element (&cut, cut.family == CUT_WAV ? "wavenc" : cut.family == CUT_MOV ? "qtmux" : "mp4mux");
  sink = add_element (&cut, "filesink");
  if (src == NULL || demux == NULL || cut.mux == NULL || sink == NULL)
    {
      reason = g_strdup (_("GStreamer lacks the elements to copy this container"));
      goto out;
    }
  g_object_set (src, "location", path, NULL);
  g_object_set (sink, "location", out, "sync", FALSE, NULL);
  if (!gst_element_link (src, demux) || !gst_element_link (cut.mux, sink))
    {
      reason = g_strdup (_("the copying pipeline could not be linked"));
      goto out;
    }
  if (cut.family == CUT_WAV)
    {
      /* wavparse's source pad is always there */
      g_autoptr(GstPad) pad = gst_element_get_static_pad (demux, "src");
      on_cut_pad (demux, pad, &cut);
      on_cut_no_more_pads (demux, &cut);
    }
  else
    {
      g_signal_connect (demux, "pad-added", G_CALLBACK (on_cut_pad), &cut);
      g_signal_connect (demux, "no-more-pads", G_CALLBACK (on_cut_no_more_pads), &cut);
    }

  bus = gst_element_get_bus (cut.pipeline);
  if (gst_element_set_state (cut.pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      g_autoptr(GError) err = NULL;
      if (msg != NULL)
        gst_message_parse_error (msg, &err, NULL);
      reason = g_strdup_printf (_("cannot read the recording: %s"), err != NULL ? err->message : "state change failed");
      goto out;
    }

  while (!done && reason == NULL)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      g_autoptr(GstMessage) msg = NULL;

      if (left <= 0)
        {
          reason = g_strdup (_("copying the clip took too long"));
          break;
        }
      msg = gst_bus_timed_pop_filtered (bus, (GstClockTime) left * GST_USECOND,
                                        GST_MESSAGE_ERROR | GST_MESSAGE_EOS | GST_MESSAGE_APPLICATION);
      if (msg == NULL)
        continue;
      switch (GST_MESSAGE_TYPE (msg))
        {
        case GST_MESSAGE_ERROR:
          {
            g_autoptr(GError) err = NULL;
            gst_message_parse_error (msg, &err, NULL);
            g_mutex_lock (&cut.lock);
            reason = cut.reason != NULL ? g_strdup (cut.reason)
                                        : g_strdup_printf (_("cannot copy the clip: %s"), err->message);
            g_mutex_unlock (&cut.lock);
          }
          break;
        case GST_MESSAGE_EOS:
          done = TRUE;
          break;
        case GST_MESSAGE_APPLICATION:
          g_mutex_lock (&cut.lock);
          if (cut.reason != NULL)
            reason = g_strdup (cut.reason);
          else if (gst_message_has_name (msg, "casetrail-cut-pads") && !seeked && cut.streams->len == 0)
            reason = g_strdup (_("the recording has no sound or picture to copy"));
          g_mutex_unlock (&cut.lock);
          if (reason == NULL && gst_message_has_name (msg, "casetrail-cut-pads") && !seeked)
            {
              GstEvent *seek = gst_event_new_seek (1.0, GST_FORMAT_TIME,
                                                   GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_KEY_UNIT |
                                                   GST_SEEK_FLAG_SNAP_BEFORE,
                                                   GST_SEEK_TYPE_SET, (GstClockTime) start_ms * GST_MSECOND,
                                                   GST_SEEK_TYPE_SET, (GstClockTime) end_ms * GST_MSECOND);
              seeked = TRUE;
              if (!gst_element_send_event (demux, seek))
                reason = g_strdup (_("the recording cannot be cut at that point (seeking failed)"));
            }
          break;
        default:
          break;
        }
    }
  gst_element_set_state (cut.pipeline, GST_STATE_NULL);
  if (reason == NULL && (!GST_CLOCK_TIME_IS_VALID (cut.first) || !GST_CLOCK_TIME_IS_VALID (cut.origin)))
    reason = g_strdup (_("the range holds no sound or picture"));
  /* What the clip holds is read from the clip itself: its timeline starts
   * at the muxer's origin, the keyframe the copy starts at. */
  if (reason == NULL)
    {
      GstClockTime first, last;
      reason = measure_clip (out, cut.family, deadline, &first, &last);
      if (reason == NULL)
        {
          cut.first = cut.origin + first;
          cut.last = cut.origin + last;
          if (cut.last <= (GstClockTime) start_ms * GST_MSECOND)
            reason = g_strdup (_("the recording ends before the clip would start"));
          else
            print_clip_ok (&cut, out, start_ms, end_ms);
        }
    }

out:
  if (reason != NULL)
    g_unlink (out);
  gst_object_unref (cut.pipeline);
  g_ptr_array_unref (cut.streams);
  g_ptr_array_unref (cut.dropped);
  g_free (cut.reason);
  g_mutex_clear (&cut.lock);
  return reason;
}

static void
usage (void)
{
  fprintf (stderr, "usage: casetrail-probe [--timeout-ms N] [--thumbnail OUT.png [--size PIXELS]]\n"
                   "                       [--cut START_MS END_MS --output OUT] FILE\n"
                   "       casetrail-probe [--timeout-ms N] --frames PREFIX --at MS[,MS…] [--size PIXELS] FILE\n");
}

int
main (int argc, char **argv)
{
  guint timeout_ms = DEFAULT_TIMEOUT_MS;
  const char *path = NULL;
  const char *thumbnail = NULL;
  const char *frames = NULL;
  const char *frames_at = NULL;
  guint thumbnail_size = 320;
  const char *clip_out = NULL;
  gint64 cut_start = -1, cut_end = -1;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) disc = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autofree char *uri = NULL;
  struct stat st;
  int fd;

  /* Reasons are shown to people as they are: in their language. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("CASETRAIL_LOCALEDIR") ? g_getenv ("CASETRAIL_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--timeout-ms") && i + 1 < argc)
        {
          guint64 v = g_ascii_strtoull (argv[++i], NULL, 10);
          /* up to 4 h: copying a long clip of a large recording is mostly reading */
          timeout_ms = (guint) CLAMP (v, 100, 4 * 3600 * 1000);
        }
      else if (g_str_equal (argv[i], "--thumbnail") && i + 1 < argc)
        thumbnail = argv[++i];
      else if (g_str_equal (argv[i], "--cut") && i + 2 < argc)
        {
          if (!g_ascii_string_to_signed (argv[i + 1], 10, 0, G_MAXINT64 / GST_MSECOND, &cut_start, NULL) ||
              !g_ascii_string_to_signed (argv[i + 2], 10, 0, G_MAXINT64 / GST_MSECOND, &cut_end, NULL))
            {
              usage ();
              return 2;
            }
          i += 2;
        }
      else if (g_str_equal (argv[i], "--output") && i + 1 < argc)
        clip_out = argv[++i];
      else if (g_str_equal (argv[i], "--frames") && i + 1 < argc)
        frames = argv[++i];
      else if (g_str_equal (argv[i], "--at") && i + 1 < argc)
        frames_at = argv[++i];
      else if (g_str_equal (argv[i], "--size") && i + 1 < argc)
        {
          guint64 v = g_ascii_strtoull (argv[++i], NULL, 10);
          thumbnail_size = (guint) CLAMP (v, 16, 1024);
        }
      else if (g_str_equal (argv[i], "--") && i + 1 < argc && path == NULL)
        path = argv[++i];
      else if (argv[i][0] != '-' && path == NULL)
        path = argv[i];
      else
        {
          usage ();
          return 2;
        }
    }
  if (path == NULL || (cut_start >= 0) != (clip_out != NULL) ||
      (frames != NULL) != (frames_at != NULL))
    {
      usage ();
      return 2;
    }

  /* keep stdout for the JSON alone */
  fd = dup (STDOUT_FILENO);
  if (fd >= 0)
    {
      json_fd = fd;
      fcntl (json_fd, F_SETFD, FD_CLOEXEC);
      dup2 (STDERR_FILENO, STDOUT_FILENO);
    }

  limit_resources (timeout_ms);

  if (stat (path, &st) != 0)
    {
      g_autofree char *reason = g_strdup_printf (_("cannot open the file: %s"), g_strerror (errno));
      print_failure (reason);
      return 0;
    }
  if (!S_ISREG (st.st_mode))
    {
      print_failure (_("not a regular file"));
      return 0;
    }
  if (st.st_size == 0)
    {
      print_failure (_("the file is empty"));
      return 0;
    }
  if (access (path, R_OK) != 0)
    {
      g_autofree char *reason = g_strdup_printf (_("cannot read the file: %s"), g_strerror (errno));
      print_failure (reason);
      return 0;
    }

  {
    guint w = 0, h = 0;
    if (picture_header_size (path, &w, &h) && (w > MAX_DIMENSION || h > MAX_DIMENSION))
      {
        g_autofree char *reason = g_strdup_printf (_("implausible picture size %u × %u"), w, h);
        print_failure (reason);
        return 0;
      }
  }

  {
    g_autofree char *reason = qt_truncation_reason (path);
    if (reason != NULL)
      {
        print_failure (reason);
        return 0;
      }
  }

  if (is_pdf (path) && clip_out == NULL && frames == NULL)
    {
      if (thumbnail != NULL)
        {
          g_autofree char *reason = make_pdf_thumbnail (path, thumbnail, thumbnail_size);
          if (reason != NULL)
            print_failure (reason);
          else
            print_thumbnail_ok (thumbnail);
        }
      else
        report_pdf (path);
      return 0;
    }

  if (!gst_init_check (NULL, NULL, &error))
    {
      g_autofree char *reason = g_strdup_printf (_("GStreamer could not start: %s"), error->message);
      print_failure (reason);
      return 0;
    }

  /* libav's TIFF decoder has no parser in front of it to hand it whole
   * files: it decodes no frame of a TIFF (a scanner's usual format).  The
   * GdkPixbuf decoder reads the whole file first but is never chosen on its
   * own; in this process, decodebin takes it for what nothing better
   * decodes (PNG and JPEG keep their own decoders, of higher rank). */
  {
    g_autoptr(GstPluginFeature) avdec_tiff = gst_registry_lookup_feature (gst_registry_get (), "avdec_tiff");
    g_autoptr(GstPluginFeature) pixbuf = gst_registry_lookup_feature (gst_registry_get (), "gdkpixbufdec");

    if (avdec_tiff != NULL && pixbuf != NULL)
      {
        gst_plugin_feature_set_rank (avdec_tiff, GST_RANK_NONE);
        gst_plugin_feature_set_rank (pixbuf, GST_RANK_MARGINAL);
      }
  }

  {
    g_autofree char *abs = g_canonicalize_filename (path, NULL);
    uri = g_filename_to_uri (abs, NULL, &error);
  }
  if (uri == NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("invalid file name: %s"), error->message);
      print_failure (reason);
      return 0;
    }

  if (thumbnail != NULL)
    {
      g_autofree char *reason = make_thumbnail (uri, thumbnail, thumbnail_size, timeout_ms);
      if (reason != NULL)
        print_failure (reason);
      else
        print_thumbnail_ok (thumbnail);
      return 0;
    }

  if (clip_out != NULL)
    {
      g_autofree char *reason = make_clip (path, cut_start, cut_end, clip_out, timeout_ms);
      if (reason != NULL)
        print_failure (reason);
      return 0;
    }

  if (frames != NULL)
    {
      g_autofree char *reason = make_frames (uri, frames, frames_at, thumbnail_size, timeout_ms);
      g_auto(GStrv) at = g_strsplit (frames_at, ",", -1);
      if (reason != NULL)
        print_failure (reason);
      else
        print_frames_ok (g_strv_length (at));
      return 0;
    }

  /* the discoverer gives up a little before the caller's deadline */
  disc = gst_discoverer_new ((GstClockTime) (timeout_ms * 3 / 4) * GST_MSECOND, &error);
  if (disc == NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("GStreamer could not start: %s"),
                                                 error ? error->message : "no discoverer");
      print_failure (reason);
      return 0;
    }

  g_clear_error (&error);
  info = gst_discoverer_discover_uri (disc, uri, &error);
  if (info == NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("cannot read the media: %s"),
                                                 error ? error->message : "unknown error");
      print_failure (reason);
      return 0;
    }

  switch (gst_discoverer_info_get_result (info))
    {
    case GST_DISCOVERER_OK:
      report (path, info);
      break;
    case GST_DISCOVERER_URI_INVALID:
      print_failure (_("invalid URI"));
      break;
    case GST_DISCOVERER_ERROR:
      {
        g_autofree char *reason = implausible_size_reason (info);
        if (reason == NULL)
          reason = g_strdup_printf (_("cannot read the media: %s"),
                                    error ? error->message : "unknown error");
        print_failure (reason);
      }
      break;
    case GST_DISCOVERER_TIMEOUT:
      {
        g_autofree char *reason = g_strdup_printf (_("probing took longer than %.1f s"),
                                                   timeout_ms * 0.75 / 1000.0);
        print_failure (reason);
      }
      break;
    case GST_DISCOVERER_BUSY:
      print_failure (_("the media probe was busy"));
      break;
    case GST_DISCOVERER_MISSING_PLUGINS:
      {
        g_autofree char *reason = implausible_size_reason (info);
        if (reason == NULL)
          reason = missing_plugins_reason (info);
        print_failure (reason);
      }
      break;
    default:
      print_failure (_("unexpected discoverer result"));
      break;
    }

  g_clear_object (&info);
  g_clear_object (&disc);
  return 0;
}

/* casetrail-probe — look inside one media file, in a process of its own
 *
 *   casetrail-probe [--timeout-ms N] FILE
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
 * or {"ok": false, "reason": "…"}.  The exit status is 0 whenever a JSON
 * object was printed, 2 for a usage error.
 *
 * Malformed files are the point of this helper: the process limits its own
 * address space (RLIMIT_AS) and CPU time (RLIMIT_CPU) and arms alarm() as a
 * backstop so it never hangs, whatever the demuxers do.  The application
 * kills it from outside as well (ct_probe_file()).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <gst/tag/tag.h>
#include <json-glib/json-glib.h>

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
      print_failure ("the file holds no stream GStreamer recognises");
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
          g_autofree char *reason = g_strdup_printf ("implausible picture size %u × %u", w, h);
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
      json_builder_end_object (b);
    }

  if (!any_video && !any_audio && !any_image)
    {
      g_clear_pointer (&tags, gst_tag_list_unref);
      gst_discoverer_stream_info_list_free (streams);
      gst_discoverer_stream_info_unref (top);
      print_failure ("the file holds neither video, audio nor a picture");
      return;
    }

  created = created_from_tags (tags);
  json_builder_set_member_name (b, "created");
  if (created != NULL && g_utf8_validate (created, -1, NULL))
    json_builder_add_string_value (b, created);
  else
    json_builder_add_null_value (b);

  has_lat = tags && gst_tag_list_get_double (tags, GST_TAG_GEO_LOCATION_LATITUDE, &lat);
  has_lon = tags && gst_tag_list_get_double (tags, GST_TAG_GEO_LOCATION_LONGITUDE, &lon);
  has_alt = tags && gst_tag_list_get_double (tags, GST_TAG_GEO_LOCATION_ELEVATION, &alt);
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

static void
usage (void)
{
  fprintf (stderr, "usage: casetrail-probe [--timeout-ms N] FILE\n");
}

int
main (int argc, char **argv)
{
  guint timeout_ms = DEFAULT_TIMEOUT_MS;
  const char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) disc = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autofree char *uri = NULL;
  struct stat st;
  int fd;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--timeout-ms") && i + 1 < argc)
        {
          guint64 v = g_ascii_strtoull (argv[++i], NULL, 10);
          timeout_ms = (guint) CLAMP (v, 100, 600000);
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
  if (path == NULL)
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
      g_autofree char *reason = g_strdup_printf ("cannot open the file: %s", g_strerror (errno));
      print_failure (reason);
      return 0;
    }
  if (!S_ISREG (st.st_mode))
    {
      print_failure ("not a regular file");
      return 0;
    }
  if (st.st_size == 0)
    {
      print_failure ("the file is empty");
      return 0;
    }
  if (access (path, R_OK) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("cannot read the file: %s", g_strerror (errno));
      print_failure (reason);
      return 0;
    }

  {
    guint w = 0, h = 0;
    if (picture_header_size (path, &w, &h) && (w > MAX_DIMENSION || h > MAX_DIMENSION))
      {
        g_autofree char *reason = g_strdup_printf ("implausible picture size %u × %u", w, h);
        print_failure (reason);
        return 0;
      }
  }

  if (!gst_init_check (NULL, NULL, &error))
    {
      g_autofree char *reason = g_strdup_printf ("GStreamer could not start: %s", error->message);
      print_failure (reason);
      return 0;
    }

  {
    g_autofree char *abs = g_canonicalize_filename (path, NULL);
    uri = g_filename_to_uri (abs, NULL, &error);
  }
  if (uri == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("invalid file name: %s", error->message);
      print_failure (reason);
      return 0;
    }

  /* the discoverer gives up a little before the caller's deadline */
  disc = gst_discoverer_new ((GstClockTime) (timeout_ms * 3 / 4) * GST_MSECOND, &error);
  if (disc == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("GStreamer could not start: %s",
                                                 error ? error->message : "no discoverer");
      print_failure (reason);
      return 0;
    }

  g_clear_error (&error);
  info = gst_discoverer_discover_uri (disc, uri, &error);
  if (info == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("cannot read the media: %s",
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
      print_failure ("invalid URI");
      break;
    case GST_DISCOVERER_ERROR:
      {
        g_autofree char *reason = g_strdup_printf ("cannot read the media: %s",
                                                   error ? error->message : "unknown error");
        print_failure (reason);
      }
      break;
    case GST_DISCOVERER_TIMEOUT:
      {
        g_autofree char *reason = g_strdup_printf ("probing took longer than %.1f s",
                                                   timeout_ms * 0.75 / 1000.0);
        print_failure (reason);
      }
      break;
    case GST_DISCOVERER_BUSY:
      print_failure ("the media probe was busy");
      break;
    case GST_DISCOVERER_MISSING_PLUGINS:
      {
        g_autofree char *reason = missing_plugins_reason (info);
        print_failure (reason);
      }
      break;
    default:
      print_failure ("unexpected discoverer result");
      break;
    }

  g_clear_object (&info);
  g_clear_object (&disc);
  return 0;
}

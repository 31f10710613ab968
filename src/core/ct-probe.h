/* ct-probe.h — what is inside a media file, asked of a helper process
 *
 * Media is probed by casetrail-probe (src/probe/), a separate process with
 * its own memory and CPU limits, so a malformed file can never take the
 * window down.  The core does not link GStreamer: it spawns the helper,
 * kills it (with its process group) when it overruns the time limit, and
 * reads the one JSON object it prints.
 *
 * The helper is found through the environment variable CASETRAIL_PROBE
 * (tests, the build tree), else LIBEXECDIR/casetrail-probe.
 *
 * A file the helper cannot read — or that makes it crash or overrun — is
 * not an error: the result has status CT_PROBE_UNREADABLE and a reason.
 * A GError is only reported when the helper itself cannot be started or
 * the operation was cancelled.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CT_PROBE_DEFAULT_TIMEOUT_MS 10000
#define CT_PROBE_CUT_MAX_TIMEOUT_MS (4 * 3600 * 1000)

typedef enum {
  CT_PROBE_OK,
  CT_PROBE_UNREADABLE,
} CtProbeStatus;

typedef struct {
  CtProbeStatus status;
  char      *reason;         /* why UNREADABLE (never NULL then, never empty); NULL when OK */

  char      *container;      /* "mp4", "mov", "wav", "mp3", "aac", "jpeg", … or NULL */
  gint64     duration_ms;    /* 0 for photos or when unknown */

  gboolean   has_video;
  gboolean   has_audio;
  gboolean   is_image;       /* a still picture: width/height are its size */
  gboolean   is_document;    /* a PDF (container "pdf"): the members below */
  guint      pages;          /* its page count (≥ 1) */
  char      *doc_title;      /* the PDF's own title, or NULL */
  char      *doc_created;    /* the PDF's creation date (when it was scanned), ISO 8601, or NULL */
  gboolean   encrypted;      /* owner-password restrictions (it opened without a password) */

  char      *video_codec;    /* first video stream: "h264", "h265", … */
  guint      width;          /* first video stream, or the picture */
  guint      height;
  double     fps;

  char      *audio_codec;    /* first audio stream: "aac", "mp3", "pcm", … */
  guint      channels;
  guint      rate;

  char      *created_iso;    /* recording time as the file states it (ISO 8601), or NULL */
  GDateTime *created_at;     /* the same, parsed (UTC when the file gives no zone); NULL if not a full time */

  gboolean   has_gps;
  double     lat;
  double     lon;
  gboolean   has_alt;
  double     alt;            /* metres */

  char      *device_make;
  char      *device_model;
  char      *device_serial;

  char      *json;           /* the helper's answer as printed, NULL if it gave none */
} CtProbeResult;

void           ct_probe_result_free  (CtProbeResult *result);

/* The helper this process would run. */
char          *ct_probe_helper_path  (void);

/* @timeout_ms: 0 for CT_PROBE_DEFAULT_TIMEOUT_MS.  Blocks; use the async
 * variant from the UI thread. */
CtProbeResult *ct_probe_file         (const char    *path,
                                      guint          timeout_ms,
                                      GError       **error);

/* @helper: the helper to run, NULL for ct_probe_helper_path().
 * Cancelling kills the helper and fails with G_IO_ERROR_CANCELLED. */
CtProbeResult *ct_probe_file_full    (const char    *helper,
                                      const char    *path,
                                      guint          timeout_ms,
                                      GCancellable  *cancellable,
                                      GError       **error);

/* Makes a PNG of @path — a frame a tenth of the way into a video (at most
 * 5 s in), or a photo — @width pixels wide, in the helper process, and
 * writes it to @out_png.  CT_ERROR_NOT_FOUND with the reason when the file
 * has no picture or it cannot be decoded. */
gboolean       ct_probe_thumbnail    (const char    *path,
                                      const char    *out_png,
                                      guint          width,
                                      guint          timeout_ms,
                                      GCancellable  *cancellable,
                                      GError       **error);

/* What a clip cut by stream copy really holds. */
typedef struct {
  gint64  start_ms;      /* at or before the requested start: the copy starts at a keyframe */
  gint64  end_ms;
  char   *container;     /* "mp4", "mov", "wav" */
  char   *method;        /* "stream-copy" */
  char   *json;          /* the helper's answer */
} CtProbeCut;

void           ct_probe_cut_free     (CtProbeCut *cut);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtProbeCut, ct_probe_cut_free)

/* Copies [@start_ms, @end_ms) of @path to @out_path in the helper process
 * by stream copy (demux, parse, mux into the same container family: MP4/MOV
 * with H.264, H.265, AAC or MP3; WAV), never re-encoding.  A file that
 * cannot be copied that way fails with CT_ERROR_INVALID and the reason
 * (and @out_path is removed); @timeout_ms 0 picks a limit from the range
 * (a minute plus a second per minute of clip).
 * Cancelling kills the helper (G_IO_ERROR_CANCELLED). */
CtProbeCut    *ct_probe_cut          (const char    *path,
                                      gint64         start_ms,
                                      gint64         end_ms,
                                      const char    *out_path,
                                      guint          timeout_ms,
                                      GCancellable  *cancellable,
                                      GError       **error);

/* Makes PNGs of the key frames nearest @positions_ms (@n of them, 1–256)
 * of the video @path, @width pixels wide, in the helper process, as
 * @out_prefix-0.png, @out_prefix-1.png, …  CT_ERROR_NOT_FOUND with the
 * reason when the file has no picture or it cannot be decoded. */
gboolean       ct_probe_frames       (const char    *path,
                                      const char    *out_prefix,
                                      const gint64  *positions_ms,
                                      guint          n,
                                      guint          width,
                                      guint          timeout_ms,
                                      GCancellable  *cancellable,
                                      GError       **error);

/* Runs ct_probe_file_full() on a GTask thread, with the helper
 * ct_probe_helper_path() names at the time of the call. */
void           ct_probe_file_async   (const char          *path,
                                      guint                timeout_ms,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);

CtProbeResult *ct_probe_file_finish  (GAsyncResult  *result,
                                      GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtProbeResult, ct_probe_result_free)

G_END_DECLS

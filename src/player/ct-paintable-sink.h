/* ct-paintable-sink.h — a GStreamer video sink drawing into a GdkPaintable
 *
 * For GTK 4.8, which has no gtk4paintablesink: the sink maps each RGBA or
 * BGRA frame (no copy), keeps only the newest one not yet shown and hands
 * it to the main context, where the paintable wraps it in a
 * GdkMemoryTexture and invalidates itself.  Older frames still waiting
 * are dropped, so a busy main thread never makes the pipeline queue up.
 */
#pragma once

#include <gdk/gdk.h>
#include <gst/video/gstvideosink.h>

G_BEGIN_DECLS

#define CT_TYPE_VIDEO_PAINTABLE (ct_video_paintable_get_type ())
G_DECLARE_FINAL_TYPE (CtVideoPaintable, ct_video_paintable, CT, VIDEO_PAINTABLE, GObject)

/* The texture of the frame shown, or NULL before the first one. */
GdkTexture   *ct_video_paintable_get_texture (CtVideoPaintable *self);
/* Frames handed over so far (dropped ones not counted). */
guint64       ct_video_paintable_get_frames_shown (CtVideoPaintable *self);

#define CT_TYPE_PAINTABLE_SINK (ct_paintable_sink_get_type ())
G_DECLARE_FINAL_TYPE (CtPaintableSink, ct_paintable_sink, CT, PAINTABLE_SINK, GstVideoSink)

/* The bare sink: takes RGBA/BGRA only.  Frames go to the main context that
 * is the thread default where the sink is made. */
GstElement   *ct_paintable_sink_new           (void);
/* videoconvert ! ctpaintablesink in a bin, ready for playbin's video-sink
 * (or ct_player_new ()); *paintable (transfer full) is where it draws. */
GstElement   *ct_paintable_sink_new_bin       (GdkPaintable **paintable);
GdkPaintable *ct_paintable_sink_get_paintable (CtPaintableSink *self);

G_END_DECLS

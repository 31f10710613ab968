/* ct-paintable-sink.c — a GStreamer video sink drawing into a GdkPaintable
 *
 * The streaming thread maps the frame (no copy: the GBytes given to the
 * texture unmaps it when the texture is gone), stores it as the one
 * pending frame, replacing an older pending one, and schedules at most one
 * hand-over on the main context.  The main thread builds the
 * GdkMemoryTexture there, once per frame, however often it is drawn.
 */
#include "config.h"

#include <gst/video/video.h>

#include "ct-paintable-sink.h"

GST_DEBUG_CATEGORY_STATIC (ct_paintable_sink_debug);
#define GST_CAT_DEFAULT ct_paintable_sink_debug

/* ---- the paintable ------------------------------------------------------- */

typedef struct {
  GBytes *bytes;
  int width, height;
  gsize stride;
  GdkMemoryFormat format;
  double par;  /* pixel aspect ratio */
} Frame;

struct _CtVideoPaintable
{
  GObject parent_instance;

  GMainContext *context;
  GMutex lock;
  Frame pending;             /* under lock */
  gboolean scheduled;        /* under lock */

  GdkTexture *texture;       /* main thread only */
  double par;
  guint64 frames_shown;
};

static void ct_video_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CtVideoPaintable, ct_video_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, ct_video_paintable_iface_init))

static void
ct_video_paintable_snapshot (GdkPaintable *paintable, GdkSnapshot *snapshot,
                             double width, double height)
{
  CtVideoPaintable *self = CT_VIDEO_PAINTABLE (paintable);

  if (self->texture != NULL)
    gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
}

static GdkPaintable *
ct_video_paintable_get_current_image (GdkPaintable *paintable)
{
  CtVideoPaintable *self = CT_VIDEO_PAINTABLE (paintable);

  if (self->texture != NULL)
    return GDK_PAINTABLE (g_object_ref (self->texture));
  return gdk_paintable_new_empty (0, 0);
}

static int
ct_video_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  CtVideoPaintable *self = CT_VIDEO_PAINTABLE (paintable);

  if (self->texture == NULL)
    return 0;
  return (int) (gdk_texture_get_width (self->texture) * self->par + 0.5);
}

static int
ct_video_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  CtVideoPaintable *self = CT_VIDEO_PAINTABLE (paintable);

  return self->texture != NULL ? gdk_texture_get_height (self->texture) : 0;
}

static double
ct_video_paintable_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  CtVideoPaintable *self = CT_VIDEO_PAINTABLE (paintable);

  if (self->texture == NULL || gdk_texture_get_height (self->texture) == 0)
    return 0.0;
  return gdk_texture_get_width (self->texture) * self->par / gdk_texture_get_height (self->texture);
}

static void
ct_video_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = ct_video_paintable_snapshot;
  iface->get_current_image = ct_video_paintable_get_current_image;
  iface->get_intrinsic_width = ct_video_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = ct_video_paintable_get_intrinsic_height;
  iface->get_intrinsic_aspect_ratio = ct_video_paintable_get_intrinsic_aspect_ratio;
}

static void
ct_video_paintable_finalize (GObject *object)
{
  CtVideoPaintable *self = CT_VIDEO_PAINTABLE (object);

  g_clear_pointer (&self->pending.bytes, g_bytes_unref);
  g_clear_object (&self->texture);
  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (ct_video_paintable_parent_class)->finalize (object);
}

static void
ct_video_paintable_class_init (CtVideoPaintableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ct_video_paintable_finalize;
}

static void
ct_video_paintable_init (CtVideoPaintable *self)
{
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
  self->par = 1.0;
}

/* On the main context: show the newest pending frame. */
static gboolean
apply_frame_cb (gpointer user_data)
{
  CtVideoPaintable *self = user_data;
  Frame frame;
  GdkTexture *texture;
  gboolean size_changed;

  g_mutex_lock (&self->lock);
  frame = self->pending;
  self->pending.bytes = NULL;
  self->scheduled = FALSE;
  g_mutex_unlock (&self->lock);

  if (frame.bytes == NULL)
    return G_SOURCE_REMOVE;

  texture = gdk_memory_texture_new (frame.width, frame.height, frame.format,
                                    frame.bytes, frame.stride);
  g_bytes_unref (frame.bytes);
  size_changed = self->texture == NULL
                 || gdk_texture_get_width (self->texture) != frame.width
                 || gdk_texture_get_height (self->texture) != frame.height
                 || self->par != frame.par;
  g_clear_object (&self->texture);
  self->texture = texture;
  self->par = frame.par;
  self->frames_shown++;
  if (size_changed)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
  return G_SOURCE_REMOVE;
}

/* From the streaming thread; takes bytes. */
static void
ct_video_paintable_push (CtVideoPaintable *self, const Frame *frame)
{
  gboolean schedule;

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->pending.bytes, g_bytes_unref);  /* not shown in time: dropped */
  self->pending = *frame;
  schedule = !self->scheduled;
  self->scheduled = TRUE;
  g_mutex_unlock (&self->lock);

  /* not g_main_context_invoke (): when no thread holds the main context,
   * it would run the callback right here, on the streaming thread */
  if (schedule)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, apply_frame_cb, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[casetrail] video frame");
      g_source_attach (source, self->context);
      g_source_unref (source);
    }
}

GdkTexture *
ct_video_paintable_get_texture (CtVideoPaintable *self)
{
  g_return_val_if_fail (CT_IS_VIDEO_PAINTABLE (self), NULL);
  return self->texture;
}

guint64
ct_video_paintable_get_frames_shown (CtVideoPaintable *self)
{
  g_return_val_if_fail (CT_IS_VIDEO_PAINTABLE (self), 0);
  return self->frames_shown;
}

/* ---- the sink -------------------------------------------------------------- */

struct _CtPaintableSink
{
  GstVideoSink parent_instance;

  GstVideoInfo info;          /* under the object lock */
  CtVideoPaintable *paintable;
};

G_DEFINE_FINAL_TYPE (CtPaintableSink, ct_paintable_sink, GST_TYPE_VIDEO_SINK)

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
  GST_PAD_SINK,
  GST_PAD_ALWAYS,
  GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE ("{ BGRA, RGBA }")));

static gboolean
ct_paintable_sink_set_info (GstVideoSink *video_sink, GstCaps *caps, const GstVideoInfo *info)
{
  CtPaintableSink *self = CT_PAINTABLE_SINK (video_sink);

  GST_OBJECT_LOCK (self);
  self->info = *info;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static void
unmap_frame (gpointer data)
{
  GstVideoFrame *frame = data;

  gst_video_frame_unmap (frame);
  g_free (frame);
}

static GstFlowReturn
ct_paintable_sink_show_frame (GstVideoSink *video_sink, GstBuffer *buffer)
{
  CtPaintableSink *self = CT_PAINTABLE_SINK (video_sink);
  GstVideoInfo info;
  GstVideoFrame *mapped = g_new0 (GstVideoFrame, 1);
  Frame frame;
  int width, height;
  gsize stride;

  GST_OBJECT_LOCK (self);
  info = self->info;
  GST_OBJECT_UNLOCK (self);

  if (!gst_video_frame_map (mapped, &info, buffer, GST_MAP_READ))
    {
      g_free (mapped);
      GST_ELEMENT_ERROR (self, RESOURCE, READ, (NULL), ("Could not map a video frame"));
      return GST_FLOW_ERROR;
    }

  width = GST_VIDEO_FRAME_WIDTH (mapped);
  height = GST_VIDEO_FRAME_HEIGHT (mapped);
  stride = (gsize) GST_VIDEO_FRAME_PLANE_STRIDE (mapped, 0);
  frame.width = width;
  frame.height = height;
  frame.stride = stride;
  frame.format = GST_VIDEO_FRAME_FORMAT (mapped) == GST_VIDEO_FORMAT_BGRA
                 ? GDK_MEMORY_B8G8R8A8 : GDK_MEMORY_R8G8B8A8;
  frame.par = GST_VIDEO_INFO_PAR_D (&info) > 0 && GST_VIDEO_INFO_PAR_N (&info) > 0
              ? (double) GST_VIDEO_INFO_PAR_N (&info) / GST_VIDEO_INFO_PAR_D (&info) : 1.0;
  /* the texture keeps the buffer mapped for as long as it lives */
  frame.bytes = g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (mapped, 0),
                                            stride * (gsize) (height - 1) + (gsize) width * 4,
                                            unmap_frame, mapped);
  ct_video_paintable_push (self->paintable, &frame);
  return GST_FLOW_OK;
}

static gboolean
ct_paintable_sink_propose_allocation (GstBaseSink *sink, GstQuery *query)
{
  /* strides and offsets of upstream buffers are read from the meta */
  gst_query_add_allocation_meta (query, GST_VIDEO_META_API_TYPE, NULL);
  return TRUE;
}

static void
ct_paintable_sink_finalize (GObject *object)
{
  CtPaintableSink *self = CT_PAINTABLE_SINK (object);

  g_clear_object (&self->paintable);
  G_OBJECT_CLASS (ct_paintable_sink_parent_class)->finalize (object);
}

static void
ct_paintable_sink_class_init (CtPaintableSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *base_sink_class = GST_BASE_SINK_CLASS (klass);
  GstVideoSinkClass *video_sink_class = GST_VIDEO_SINK_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (ct_paintable_sink_debug, "ctpaintablesink", 0,
                           "Casetrail GdkPaintable video sink");

  object_class->finalize = ct_paintable_sink_finalize;
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class, "Casetrail paintable sink",
                                         "Sink/Video",
                                         "Hands the newest video frame to a GdkPaintable",
                                         "Casetrail");
  base_sink_class->propose_allocation = ct_paintable_sink_propose_allocation;
  video_sink_class->set_info = ct_paintable_sink_set_info;
  video_sink_class->show_frame = ct_paintable_sink_show_frame;
}

static void
ct_paintable_sink_init (CtPaintableSink *self)
{
  gst_video_info_init (&self->info);
  self->paintable = g_object_new (CT_TYPE_VIDEO_PAINTABLE, NULL);
}

GstElement *
ct_paintable_sink_new (void)
{
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  return g_object_new (CT_TYPE_PAINTABLE_SINK, NULL);
}

GdkPaintable *
ct_paintable_sink_get_paintable (CtPaintableSink *self)
{
  g_return_val_if_fail (CT_IS_PAINTABLE_SINK (self), NULL);
  return GDK_PAINTABLE (self->paintable);
}

GstElement *
ct_paintable_sink_new_bin (GdkPaintable **paintable)
{
  GstElement *bin, *convert, *sink;
  GstPad *pad;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  bin = gst_bin_new ("ct-paintable-sink-bin");
  convert = gst_element_factory_make ("videoconvert", NULL);
  sink = ct_paintable_sink_new ();
  if (convert == NULL)
    g_error ("GStreamer's videoconvert is not installed (gstreamer1.0-plugins-base)");
  gst_bin_add_many (GST_BIN (bin), convert, sink, NULL);
  gst_element_link (convert, sink);
  pad = gst_element_get_static_pad (convert, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", pad));
  gst_object_unref (pad);
  if (paintable != NULL)
    *paintable = g_object_ref (ct_paintable_sink_get_paintable (CT_PAINTABLE_SINK (sink)));
  return bin;
}

/* ct-timeline.c — see ct-timeline.h */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "ct-timeline.h"

#define NONE G_MAXUINT64
#define MAX_ZOOM 64.0

typedef struct {
  guint64      start;
  guint64      end;      /* NONE for a point */
  CtReviewCode code;
} Span;

/* A clip of this recording attached to a form field of the case. */
typedef struct {
  guint64  start;
  guint64  end;
  char    *text;     /* "form · field", with the clip's label when it has one */
} ClipSpan;

static void
clip_span_free (ClipSpan *c)
{
  g_free (c->text);
  g_free (c);
}

struct _CtTimeline
{
  GtkWidget parent_instance;

  guint64  duration;
  guint64  position;
  guint64  in;
  guint64  out;
  GArray  *markers;      /* guint64 */
  GArray  *spans;        /* Span */
  GPtrArray *clips;      /* ClipSpan* */
  double   zoom;
  GPtrArray *thumbnails; /* GdkTexture*, spread evenly over the recording */
};

G_DEFINE_FINAL_TYPE (CtTimeline, ct_timeline, GTK_TYPE_WIDGET)

enum {
  SIGNAL_SEEK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- geometry ----------------------------------------------------------------------- */

void
ct_timeline_get_visible (CtTimeline *self,
                         guint64    *start,
                         guint64    *end)
{
  guint64 span, first;

  if (self->duration == 0 || self->duration == NONE)
    {
      *start = 0;
      *end = 1;
      return;
    }
  span = (guint64) (self->duration / self->zoom);
  if (span == 0)
    span = 1;
  first = self->position != NONE && self->position > span / 2 ? self->position - span / 2 : 0;
  if (first + span > self->duration)
    first = self->duration - span;
  *start = first;
  *end = first + span;
}

guint64
ct_timeline_time_at (CtTimeline *self,
                     double      x)
{
  guint64 start, end;
  double width = MAX (1, gtk_widget_get_width (GTK_WIDGET (self)));

  ct_timeline_get_visible (self, &start, &end);
  x = CLAMP (x, 0, width);
  return start + (guint64) ((end - start) * (x / width));
}

double
ct_timeline_x_at (CtTimeline *self,
                  guint64     time)
{
  guint64 start, end;
  double width = gtk_widget_get_width (GTK_WIDGET (self));

  ct_timeline_get_visible (self, &start, &end);
  if (time <= start)
    return 0;
  if (time >= end)
    return width;
  return width * (double) (time - start) / (double) (end - start);
}

/* ---- drawing ---------------------------------------------------------------------------- */

/* Tiles of the thumbnail strip: as wide as the pictures' aspect gives at
 * the widget's height. */
static double
tile_width (CtTimeline *self)
{
  GdkTexture *t = self->thumbnails->pdata[0];
  double h = MAX (1, gtk_widget_get_height (GTK_WIDGET (self)));

  return MAX (8, h * gdk_texture_get_width (t) / MAX (1, gdk_texture_get_height (t)));
}

int
ct_timeline_thumbnail_at (CtTimeline *self,
                          double      x)
{
  double tw;
  guint64 t;
  guint index;

  g_return_val_if_fail (CT_IS_TIMELINE (self), -1);

  if (self->thumbnails->len == 0 || self->duration == 0 || self->duration == NONE)
    return -1;
  tw = tile_width (self);
  /* the picture of the time under the tile's middle */
  t = ct_timeline_time_at (self, floor (x / tw) * tw + tw / 2);
  index = (guint) ((double) t / (double) self->duration * self->thumbnails->len);
  return (int) MIN (index, self->thumbnails->len - 1);
}

static void
span_color (CtReviewCode code,
            GdkRGBA     *color)
{
  /* compliant green, other findings amber */
  gdk_rgba_parse (color, code == CT_REVIEW_COMPLIANT ? "rgba(38,162,105,0.75)" : "rgba(229,165,10,0.85)");
}

static void
ct_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  CtTimeline *self = CT_TIMELINE (widget);
  double w = gtk_widget_get_width (widget);
  double h = gtk_widget_get_height (widget);
  GdkRGBA c;

  if (self->thumbnails->len > 0 && self->duration != 0 && self->duration != NONE)
    {
      double tw = tile_width (self);

      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
      gtk_snapshot_push_opacity (snapshot, 0.6);
      for (double x = 0; x < w; x += tw)
        gtk_snapshot_append_texture (snapshot, self->thumbnails->pdata[ct_timeline_thumbnail_at (self, x)],
                                     &GRAPHENE_RECT_INIT (x, 0, tw, h));
      gtk_snapshot_pop (snapshot);
      gtk_snapshot_pop (snapshot);
    }

  gdk_rgba_parse (&c, "rgba(127,127,127,0.18)");
  gtk_snapshot_append_color (snapshot, &c, &GRAPHENE_RECT_INIT (0, h * 0.25, w, h * 0.5));

  if (self->in != NONE && self->out != NONE && self->out > self->in)
    {
      double x0 = ct_timeline_x_at (self, self->in), x1 = ct_timeline_x_at (self, self->out);
      gdk_rgba_parse (&c, "rgba(53,132,228,0.45)");
      gtk_snapshot_append_color (snapshot, &c, &GRAPHENE_RECT_INIT (x0, h * 0.2, MAX (1, x1 - x0), h * 0.6));
    }
  else if (self->in != NONE)
    {
      gdk_rgba_parse (&c, "rgba(53,132,228,0.9)");
      gtk_snapshot_append_color (snapshot, &c, &GRAPHENE_RECT_INIT (ct_timeline_x_at (self, self->in) - 1, 0, 2, h));
    }

  /* the attached clips: a purple lane along the top of the strip */
  gdk_rgba_parse (&c, "rgba(145,65,172,0.85)");
  for (guint i = 0; i < self->clips->len; i++)
    {
      const ClipSpan *clip = self->clips->pdata[i];
      double x0 = ct_timeline_x_at (self, clip->start), x1 = ct_timeline_x_at (self, clip->end);
      gtk_snapshot_append_color (snapshot, &c, &GRAPHENE_RECT_INIT (x0, h * 0.06, MAX (3, x1 - x0), h * 0.16));
    }

  for (guint i = 0; i < self->spans->len; i++)
    {
      Span *s = &g_array_index (self->spans, Span, i);
      double x0 = ct_timeline_x_at (self, s->start);
      double x1 = s->end != NONE ? ct_timeline_x_at (self, s->end) : x0 + 3;
      span_color (s->code, &c);
      gtk_snapshot_append_color (snapshot, &c, &GRAPHENE_RECT_INIT (x0, h * 0.72, MAX (3, x1 - x0), h * 0.22));
    }

  gdk_rgba_parse (&c, "rgba(192,28,40,0.9)");
  for (guint i = 0; i < self->markers->len; i++)
    {
      double x = ct_timeline_x_at (self, g_array_index (self->markers, guint64, i));
      gtk_snapshot_append_color (snapshot, &c, &GRAPHENE_RECT_INIT (x - 1, 0, 2, h * 0.3));
    }

  if (self->position != NONE)
    {
      gdk_rgba_parse (&c, "rgba(0,0,0,0.85)");
      gtk_snapshot_append_color (snapshot, &c,
                                 &GRAPHENE_RECT_INIT (ct_timeline_x_at (self, self->position) - 1, 0, 2, h));
    }
}

const char *
ct_timeline_clip_at (CtTimeline *self,
                     double      x)
{
  g_return_val_if_fail (CT_IS_TIMELINE (self), NULL);

  for (guint i = 0; i < self->clips->len; i++)
    {
      const ClipSpan *clip = self->clips->pdata[i];
      double x0 = ct_timeline_x_at (self, clip->start), x1 = ct_timeline_x_at (self, clip->end);
      if (x >= x0 - 1 && x <= MAX (x0 + 3, x1) + 1)
        return clip->text;
    }
  return NULL;
}

/* Over a clip, its form and field; elsewhere what a click does. */
static gboolean
ct_timeline_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard,
                           GtkTooltip *tooltip)
{
  const char *text = keyboard ? NULL : ct_timeline_clip_at (CT_TIMELINE (widget), x);

  if (text == NULL)
    return GTK_WIDGET_CLASS (ct_timeline_parent_class)->query_tooltip (widget, x, y, keyboard, tooltip);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
ct_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 100;
      *natural = 600;
    }
  else
    *minimum = *natural = CT_TIMELINE (widget)->thumbnails->len > 0 ? 48 : 36;
}

/* ---- input --------------------------------------------------------------------------------- */

static void
emit_seek (CtTimeline *self,
           double      x,
           gboolean    moving)
{
  if (self->duration == 0 || self->duration == NONE)
    return;
  g_signal_emit (self, signals[SIGNAL_SEEK], 0, ct_timeline_time_at (self, x), moving);
}

static void
drag_begin (GtkGestureDrag *gesture,
            double          x,
            double          y,
            CtTimeline     *self)
{
  emit_seek (self, x, TRUE);
}

static void
drag_update (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             CtTimeline     *self)
{
  double x0, y0;

  if (gtk_gesture_drag_get_start_point (gesture, &x0, &y0))
    emit_seek (self, x0 + dx, TRUE);
}

static void
drag_end (GtkGestureDrag *gesture,
          double          dx,
          double          dy,
          CtTimeline     *self)
{
  double x0, y0;

  if (gtk_gesture_drag_get_start_point (gesture, &x0, &y0))
    emit_seek (self, x0 + dx, FALSE);
}

static gboolean
scrolled (GtkEventControllerScroll *controller,
          double                    dx,
          double                    dy,
          CtTimeline               *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!(mods & GDK_CONTROL_MASK))
    return FALSE;
  ct_timeline_set_zoom (self, dy < 0 ? self->zoom * 1.5 : self->zoom / 1.5);
  return TRUE;
}

/* ---- state ---------------------------------------------------------------------------------- */

void
ct_timeline_set_duration (CtTimeline *self,
                          guint64     duration)
{
  g_return_if_fail (CT_IS_TIMELINE (self));
  self->duration = duration;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ct_timeline_set_position (CtTimeline *self,
                          guint64     position)
{
  g_return_if_fail (CT_IS_TIMELINE (self));
  if (self->position == position)
    return;
  self->position = position;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ct_timeline_set_range (CtTimeline *self,
                       guint64     in,
                       guint64     out)
{
  g_return_if_fail (CT_IS_TIMELINE (self));
  self->in = in;
  self->out = out;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ct_timeline_set_markers (CtTimeline    *self,
                         const guint64 *markers,
                         guint          n_markers)
{
  g_return_if_fail (CT_IS_TIMELINE (self));
  g_array_set_size (self->markers, 0);
  if (n_markers > 0)
    g_array_append_vals (self->markers, markers, n_markers);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ct_timeline_set_annotations (CtTimeline *self,
                             GPtrArray  *annotations)
{
  g_return_if_fail (CT_IS_TIMELINE (self));
  g_array_set_size (self->spans, 0);
  for (guint i = 0; annotations != NULL && i < annotations->len; i++)
    {
      CtAnnotation *a = annotations->pdata[i];
      Span s = {
        (guint64) a->start_ms * G_GUINT64_CONSTANT (1000000),
        a->end_ms >= 0 ? (guint64) a->end_ms * G_GUINT64_CONSTANT (1000000) : NONE,
        a->code,
      };
      g_array_append_val (self->spans, s);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ct_timeline_set_clips (CtTimeline *self,
                       GPtrArray  *clips)
{
  g_return_if_fail (CT_IS_TIMELINE (self));

  g_ptr_array_set_size (self->clips, 0);
  for (guint i = 0; clips != NULL && i < clips->len; i++)
    {
      const CtClip *clip = clips->pdata[i];
      ClipSpan *c;

      if (clip->end_ms <= clip->start_ms || clip->start_ms < 0)
        continue;
      c = g_new0 (ClipSpan, 1);
      c->start = (guint64) clip->start_ms * G_GUINT64_CONSTANT (1000000);
      c->end = (guint64) clip->end_ms * G_GUINT64_CONSTANT (1000000);
      if (clip->label != NULL)
        c->text = g_strdup_printf ("%s · %s · %s", clip->form_title, clip->field_label, clip->label);
      else
        c->text = g_strdup_printf ("%s · %s", clip->form_title, clip->field_label);
      g_ptr_array_add (self->clips, c);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
ct_timeline_get_n_clips (CtTimeline *self)
{
  g_return_val_if_fail (CT_IS_TIMELINE (self), 0);
  return self->clips->len;
}

guint
ct_timeline_get_n_annotations (CtTimeline *self)
{
  return self->spans->len;
}

void
ct_timeline_set_thumbnails (CtTimeline  *self,
                            GdkTexture **textures,
                            guint        n)
{
  g_return_if_fail (CT_IS_TIMELINE (self));

  g_ptr_array_set_size (self->thumbnails, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->thumbnails, g_object_ref (textures[i]));
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
ct_timeline_get_n_thumbnails (CtTimeline *self)
{
  g_return_val_if_fail (CT_IS_TIMELINE (self), 0);
  return self->thumbnails->len;
}

void
ct_timeline_set_zoom (CtTimeline *self,
                      double      zoom)
{
  g_return_if_fail (CT_IS_TIMELINE (self));
  self->zoom = CLAMP (zoom, 1.0, MAX_ZOOM);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
ct_timeline_get_zoom (CtTimeline *self)
{
  return self->zoom;
}

/* ---- life ---------------------------------------------------------------------------------- */

static void
ct_timeline_finalize (GObject *object)
{
  CtTimeline *self = CT_TIMELINE (object);

  g_array_unref (self->markers);
  g_array_unref (self->spans);
  g_ptr_array_unref (self->clips);
  g_ptr_array_unref (self->thumbnails);
  G_OBJECT_CLASS (ct_timeline_parent_class)->finalize (object);
}

static void
ct_timeline_class_init (CtTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ct_timeline_finalize;
  widget_class->snapshot = ct_timeline_snapshot;
  widget_class->measure = ct_timeline_measure;
  widget_class->query_tooltip = ct_timeline_query_tooltip;

  /* (position in ns, the pointer is still moving) */
  signals[SIGNAL_SEEK] = g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_BOOLEAN);
  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
ct_timeline_init (CtTimeline *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  self->duration = 0;
  self->position = NONE;
  self->in = NONE;
  self->out = NONE;
  self->zoom = 1.0;
  self->markers = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->spans = g_array_new (FALSE, FALSE, sizeof (Span));
  self->clips = g_ptr_array_new_with_free_func ((GDestroyNotify) clip_span_free);
  self->thumbnails = g_ptr_array_new_with_free_func (g_object_unref);

  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (scroll, "scroll", G_CALLBACK (scrolled), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), _("Click or drag to go there; Ctrl+scroll to zoom"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Timeline"), -1);
}

GtkWidget *
ct_timeline_new (void)
{
  return g_object_new (CT_TYPE_TIMELINE, NULL);
}

/* ct-timeline.h — the player's zoomable timeline
 *
 * A strip under the video showing the recording's length, the in–out range,
 * the markers, the clips of it attached to the case's forms (a purple lane
 * at the top; their tooltip names form · field), the legal-review
 * annotations (points and ranges, coloured by result) and the playhead.  A click or a drag seeks ("seek" signal: the
 * position, and whether the pointer is still moving); Ctrl+scroll or
 * ct_timeline_set_zoom() zooms around the playhead.  Times are nanoseconds
 * (GStreamer clock time); G_MAXUINT64 means "not set".
 */
#pragma once

#include <gtk/gtk.h>

#include "ct-review.h"

G_BEGIN_DECLS

#define CT_TYPE_TIMELINE (ct_timeline_get_type ())
G_DECLARE_FINAL_TYPE (CtTimeline, ct_timeline, CT, TIMELINE, GtkWidget)

GtkWidget *ct_timeline_new             (void);

void       ct_timeline_set_duration    (CtTimeline *self, guint64 duration);
void       ct_timeline_set_position    (CtTimeline *self, guint64 position);
void       ct_timeline_set_range       (CtTimeline *self, guint64 in, guint64 out);
void       ct_timeline_set_markers     (CtTimeline *self, const guint64 *markers, guint n_markers);
/* CtAnnotation* of this recording (copied: start, end, result). */
void       ct_timeline_set_annotations (CtTimeline *self, GPtrArray *annotations);
/* CtClip* of this recording (copied: start, end, form · field · label). */
void       ct_timeline_set_clips       (CtTimeline *self, GPtrArray *clips);
guint      ct_timeline_get_n_clips     (CtTimeline *self);
/* The text of the clip drawn at @x ("form · field"), NULL when none. */
const char *ct_timeline_clip_at        (CtTimeline *self, double x);

/* Pictures spread evenly over the recording (the i-th of @n stands for the
 * i-th n-th of it; referenced), drawn faintly behind the strip as tiles
 * that follow the zoom; @n 0 clears them.  The index of the picture drawn
 * at @x, -1 when none. */
void       ct_timeline_set_thumbnails  (CtTimeline *self, GdkTexture **textures, guint n);
guint      ct_timeline_get_n_thumbnails (CtTimeline *self);
int        ct_timeline_thumbnail_at    (CtTimeline *self, double x);

/* 1 shows the whole recording; 2 half of it around the playhead; up to 64. */
void       ct_timeline_set_zoom        (CtTimeline *self, double zoom);
double     ct_timeline_get_zoom        (CtTimeline *self);

/* The time under @x (widget coordinates) and back; the first and last
 * times shown. */
guint64    ct_timeline_time_at         (CtTimeline *self, double x);
double     ct_timeline_x_at            (CtTimeline *self, guint64 time);
void       ct_timeline_get_visible     (CtTimeline *self, guint64 *start, guint64 *end);
guint      ct_timeline_get_n_annotations (CtTimeline *self);

G_END_DECLS

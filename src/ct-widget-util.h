/* ct-widget-util.h — small helpers shared by the widgets */
#pragma once

#include <adwaita.h>

#include "ct-review.h"

G_BEGIN_DECLS

/* Moves the keyboard focus out of @widget before it is made insensitive:
 * GTK 4.8 otherwise leaves a focused GtkText without its focus-out event
 * (and warns about it). */
void ct_widget_drop_focus (GtkWidget *widget);

/* A row for @clip attached to a form: @title and @subtitle as plain text
 * (the subtitle on as many lines as it has), and a Play button named
 * "play-clip" that activates @play_action with the target (media_id,
 * start_ms, end_ms), "(xxx)".  When the store holds no medium with the
 * clip's hash the button is insensitive and its tooltip says why. */
GtkWidget *ct_widget_clip_row (const CtClip *clip,
                               const char   *title,
                               const char   *subtitle,
                               const char   *play_action);

G_END_DECLS

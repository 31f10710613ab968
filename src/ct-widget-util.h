/* ct-widget-util.h — small helpers shared by the widgets */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Moves the keyboard focus out of @widget before it is made insensitive:
 * GTK 4.8 otherwise leaves a focused GtkText without its focus-out event
 * (and warns about it). */
void ct_widget_drop_focus (GtkWidget *widget);

G_END_DECLS

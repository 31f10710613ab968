/* ct-transport.h — what the player window's and the sync window's transports share
 *
 * The seek step and the speeds offered, where a seek by a step lands, the
 * play button's icon and the window's key shortcuts.
 */
#pragma once

#include <gst/gst.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* ← and → go back and forward this much. */
#define CT_TRANSPORT_SEEK_STEP (5 * GST_SECOND)

/* The speeds the rate drop-downs offer, slowest first (the player window's
 * .ui lists the same); 1× is at CT_TRANSPORT_RATE_NORMAL. */
#define CT_TRANSPORT_N_RATES    6
#define CT_TRANSPORT_RATE_NORMAL 2
extern const double ct_transport_rates[CT_TRANSPORT_N_RATES];

/* Where a seek by @delta from @position lands: not before 0 nor, when
 * @duration is valid, after it.  An unknown @position counts as 0. */
GstClockTime ct_transport_seek_target (GstClockTime position,
                                       gint64       delta,
                                       GstClockTime duration);

/* The play button shows pause while @playing, play otherwise. */
void ct_transport_show_playing (GtkButton *play_button,
                                gboolean   playing);

typedef struct {
  guint       keyval;
  const char *action;   /* a named action of the window, "player.play-pause" */
} CtTransportKey;

/* A shortcut controller named @name with @keys, added to @window.  It takes
 * the keys in the capture phase, before the focused widget sees them (Space
 * would press a focused button, ←/→ move a focused scale by its own steps). */
GtkShortcutController *ct_transport_add_keys (GtkWidget            *window,
                                              const char           *name,
                                              const CtTransportKey *keys,
                                              guint                 n_keys);

G_END_DECLS

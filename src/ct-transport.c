#define G_LOG_DOMAIN "casetrail"

/* ct-transport.c — what the player window's and the sync window's transports share */
#include "config.h"

#include "ct-transport.h"

const double ct_transport_rates[CT_TRANSPORT_N_RATES] = { 0.25, 0.5, 1.0, 1.5, 2.0, 4.0 };

GstClockTime
ct_transport_seek_target (GstClockTime position,
                          gint64       delta,
                          GstClockTime duration)
{
  GstClockTime target;

  if (!GST_CLOCK_TIME_IS_VALID (position))
    position = 0;
  if (delta < 0)
    return position > (GstClockTime) -delta ? position - (GstClockTime) -delta : 0;
  target = position + (GstClockTime) delta;
  if (GST_CLOCK_TIME_IS_VALID (duration) && target > duration)
    target = duration;
  return target;
}

void
ct_transport_show_playing (GtkButton *play_button,
                           gboolean   playing)
{
  g_return_if_fail (GTK_IS_BUTTON (play_button));

  gtk_button_set_icon_name (play_button, playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
}

GtkShortcutController *
ct_transport_add_keys (GtkWidget            *window,
                       const char           *name,
                       const CtTransportKey *keys,
                       guint                 n_keys)
{
  GtkEventController *controller;

  g_return_val_if_fail (GTK_IS_WIDGET (window), NULL);

  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_name (controller, name);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < n_keys; i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].keyval, 0),
                                                            gtk_named_action_new (keys[i].action)));
  gtk_widget_add_controller (window, controller);
  return GTK_SHORTCUT_CONTROLLER (controller);
}

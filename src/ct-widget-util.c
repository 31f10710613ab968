#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-widget-util.h"

void
ct_widget_drop_focus (GtkWidget *widget)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  root = gtk_widget_get_root (widget);
  if (root == NULL)
    return;

  focus = gtk_root_get_focus (root);
  if (focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget)))
    gtk_root_set_focus (root, NULL);
}

GtkWidget *
ct_widget_clip_row (const CtClip *clip,
                    const char   *title,
                    const char   *subtitle,
                    const char   *play_action)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *play = gtk_button_new_from_icon_name ("media-playback-start-symbolic");

  g_return_val_if_fail (clip != NULL, NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  gtk_widget_set_valign (play, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (play, "flat");
  gtk_widget_set_name (play, "play-clip");
  if (clip->media_id != 0)
    {
      gtk_widget_set_tooltip_text (play, _("Play the Clip From Its In-Point"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (play), play_action);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (play), "(xxx)", clip->media_id, clip->start_ms, clip->end_ms);
    }
  else
    {
      gtk_widget_set_sensitive (play, FALSE);
      gtk_widget_set_tooltip_text (play, _("The evidence store holds no recording with this hash."));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (play), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Play the Clip From Its In-Point"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), play);
  return row;
}

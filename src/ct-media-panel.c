#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-error.h"
#include "ct-format.h"
#include "ct-import-dialog.h"
#include "ct-media-details.h"
#include "ct-media-panel.h"
#include "ct-player-window.h"
#include "ct-scan-viewer.h"
#include "ct-review.h"
#include "ct-sync-window.h"
#include "ct-widget-util.h"

#define THUMB_HEIGHT 64
#define THUMB_WIDTH  96

struct _CtMediaPanel
{
  AdwBin parent_instance;

  /* template children */
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  AdwStatusPage       *empty_page;
  GtkWidget           *empty_import_button;
  AdwPreferencesGroup *media_group;
  GtkWidget           *import_button;
  GtkWidget           *play_together_button;
  AdwPreferencesGroup *interruptions_group;
  AdwPreferencesGroup *clips_group;

  CtStore        *store;
  CtSession      *session;
  gint64          case_id;
  char           *case_number;
  char           *case_status;
  GStrv           officers;         /* usernames of the case's officers */
  GCancellable   *cancellable;      /* the listing and its thumbnails */
  CtMediaListing *listing;
  GPtrArray      *rows;             /* (GtkWidget*, AdwPreferencesGroup*) pairs */
  GHashTable     *media_rows;       /* id → row */
  GHashTable     *gap_rows;         /* before id → row */
  GPtrArray      *clip_rows;        /* GtkWidget*, in the listing's order */
  gboolean        loading;
  GtkWindow      *dialog;           /* weak */
};

G_DEFINE_FINAL_TYPE (CtMediaPanel, ct_media_panel, ADW_TYPE_BIN)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
ct_media_panel_new (void)
{
  return g_object_new (CT_TYPE_MEDIA_PANEL, NULL);
}

/* ---- getters ---------------------------------------------------------------------------- */

gboolean
ct_media_panel_get_busy (CtMediaPanel *self)
{
  g_return_val_if_fail (CT_IS_MEDIA_PANEL (self), FALSE);
  return self->loading;
}

CtMediaListing *
ct_media_panel_get_listing (CtMediaPanel *self)
{
  g_return_val_if_fail (CT_IS_MEDIA_PANEL (self), NULL);
  return self->listing;
}

GtkWidget *
ct_media_panel_get_media_row (CtMediaPanel *self,
                              gint64        media_id)
{
  g_return_val_if_fail (CT_IS_MEDIA_PANEL (self), NULL);
  return g_hash_table_lookup (self->media_rows, &media_id);
}

GtkWidget *
ct_media_panel_get_interruption_row (CtMediaPanel *self,
                                     gint64        before_id)
{
  g_return_val_if_fail (CT_IS_MEDIA_PANEL (self), NULL);
  return g_hash_table_lookup (self->gap_rows, &before_id);
}

GtkWidget *
ct_media_panel_get_clip_row (CtMediaPanel *self,
                             guint         index)
{
  g_return_val_if_fail (CT_IS_MEDIA_PANEL (self), NULL);
  return index < self->clip_rows->len ? self->clip_rows->pdata[index] : NULL;
}

GtkWindow *
ct_media_panel_get_dialog (CtMediaPanel *self)
{
  g_return_val_if_fail (CT_IS_MEDIA_PANEL (self), NULL);
  return self->dialog;
}

/* Importers: handlers, assistants, supervisors and archivists; the first
 * two only into their own cases.  (The core decides; this only hides a
 * button that would be refused.) */
gboolean
ct_media_panel_can_import (CtMediaPanel *self)
{
  gboolean officer;

  g_return_val_if_fail (CT_IS_MEDIA_PANEL (self), FALSE);

  if (self->session == NULL || self->case_id == 0 || g_strcmp0 (self->case_status, "archived") == 0)
    return FALSE;
  if (ct_session_has_role (self->session, CT_ROLE_SUPERVISOR) ||
      ct_session_has_role (self->session, CT_ROLE_ARCHIVIST))
    return TRUE;
  officer = self->officers != NULL &&
            g_strv_contains ((const char * const *) self->officers, ct_session_get_username (self->session));
  return officer && (ct_session_has_role (self->session, CT_ROLE_HANDLER) ||
                     ct_session_has_role (self->session, CT_ROLE_ASSISTANT));
}

/* ---- rows ---------------------------------------------------------------------------------- */

static void
clear_rows (CtMediaPanel *self)
{
  for (guint i = 0; i + 1 < self->rows->len; i += 2)
    adw_preferences_group_remove (self->rows->pdata[i + 1], self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);
  g_hash_table_remove_all (self->media_rows);
  g_hash_table_remove_all (self->gap_rows);
  g_ptr_array_set_size (self->clip_rows, 0);
}

static void
add_row (CtMediaPanel        *self,
         AdwPreferencesGroup *group,
         GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  g_ptr_array_add (self->rows, group);
}

static GtkWidget *
new_pill (const char *text,
          const char *style,
          const char *tooltip,
          const char *name)
{
  GtkWidget *pill = gtk_label_new (text);

  gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (pill, "ct-pill");
  if (style != NULL)
    gtk_widget_add_css_class (pill, style);
  if (tooltip != NULL && tooltip[0] != '\0')
    gtk_widget_set_tooltip_text (pill, tooltip);
  gtk_widget_set_name (pill, name);
  return pill;
}

static const char *
kind_icon (CtMediaKind kind)
{
  switch (kind)
    {
    case CT_MEDIA_KIND_VIDEO: return "camera-video-symbolic";
    case CT_MEDIA_KIND_AUDIO: return "audio-x-generic-symbolic";
    case CT_MEDIA_KIND_PHOTO: return "image-x-generic-symbolic";
    case CT_MEDIA_KIND_DOCUMENT: return "x-office-document-symbolic";
    case CT_MEDIA_KIND_UNKNOWN:
    default: return "dialog-question-symbolic";
    }
}

static const CtMedia *
find_media (CtMediaPanel *self,
            gint64        id)
{
  if (self->listing == NULL)
    return NULL;
  for (guint i = 0; i < self->listing->media->len; i++)
    {
      const CtMedia *m = self->listing->media->pdata[i];
      if (m->id == id)
        return m;
    }
  return NULL;
}

static const char *
officer_name (const CtMedia *m,
              const char    *username)
{
  for (guint i = 0; m != NULL && m->officers[i] != NULL; i++)
    if (g_strcmp0 (m->officers[i], username) == 0 && m->officer_names != NULL && m->officer_names[i] != NULL)
      return m->officer_names[i];
  return username;
}

/* thumbnails */

static void
thumbnail_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GtkWidget) frame = user_data;   /* a GtkBox holding the icon */
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkWidget *picture;

  path = ct_media_task_thumbnail_finish (CT_STORE (object), result, &error);
  if (path == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, CT_ERROR, CT_ERROR_NOT_FOUND))
        g_debug ("no thumbnail: %s", error->message);
      return;
    }
  texture = gdk_texture_new_from_filename (path, &error);
  if (texture == NULL)
    {
      g_debug ("thumbnail %s: %s", path, error->message);
      return;
    }
  if (gtk_widget_get_parent (frame) == NULL)
    return;   /* the row is gone */

  while (gtk_widget_get_first_child (frame) != NULL)
    gtk_box_remove (GTK_BOX (frame), gtk_widget_get_first_child (frame));
  picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_size_request (picture, THUMB_WIDTH, THUMB_HEIGHT);
  gtk_widget_set_name (picture, "thumbnail");
  gtk_widget_set_overflow (picture, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (picture, "card");
  gtk_box_append (GTK_BOX (frame), picture);
}

/* A scanned document the probe read, still in the store, can be viewed. */
static gboolean
viewable (const CtMedia *m)
{
  return m->kind == CT_MEDIA_KIND_DOCUMENT && g_strcmp0 (m->probe_status, "ok") == 0 && m->disposed_at == NULL;
}

/* Video and audio that is still in the store can be played. */
static gboolean
playable (const CtMedia *m)
{
  return (m->kind == CT_MEDIA_KIND_VIDEO || m->kind == CT_MEDIA_KIND_AUDIO) && m->disposed_at == NULL;
}

static GtkWidget *
new_thumbnail (CtMediaPanel  *self,
               const CtMedia *m)
{
  GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *icon = gtk_image_new_from_icon_name (kind_icon (m->kind));

  gtk_widget_set_size_request (frame, THUMB_WIDTH, THUMB_HEIGHT);
  gtk_widget_set_valign (frame, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (frame, 6);
  gtk_widget_set_margin_bottom (frame, 6);
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
  gtk_widget_set_hexpand (icon, TRUE);
  gtk_widget_set_hexpand (frame, FALSE);
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_widget_set_name (icon, "kind-icon");
  gtk_box_append (GTK_BOX (frame), icon);

  /* Audio has no picture; unreadable and disposed media neither. */
  if (((m->kind == CT_MEDIA_KIND_VIDEO || m->kind == CT_MEDIA_KIND_PHOTO) && m->disposed_at == NULL) ||
      viewable (m))
    ct_media_task_thumbnail_async (self->store, m, self->listing->media, self->cancellable,
                                   thumbnail_cb, g_object_ref (frame));

  /* Activating the thumbnail of a recording plays it. */
  if (playable (m))
    {
      GtkWidget *button = gtk_button_new ();

      gtk_button_set_child (GTK_BUTTON (button), frame);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_name (button, "play-thumbnail");
      gtk_widget_set_tooltip_text (button, _("Play"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "media.play");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", m->id);
      return button;
    }
  /* … and of a scanned document shows its pages. */
  if (viewable (m))
    {
      GtkWidget *button = gtk_button_new ();

      gtk_button_set_child (GTK_BUTTON (button), frame);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_name (button, "view-thumbnail");
      gtk_widget_set_tooltip_text (button, _("View the Pages"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "media.view-scan");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", m->id);
      return button;
    }
  return frame;
}

static GtkWidget *
new_media_row (CtMediaPanel  *self,
               const CtMedia *m)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *pills = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) item = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *officers = NULL;
  const char *title = m->original_name;

  if (m->kind == CT_MEDIA_KIND_DOCUMENT)
    {
      /* scanned paper has no recording time */
      g_string_append (subtitle, _("Scanned document"));
      if (m->pages > 0)
        {
          g_string_append (subtitle, " · ");
          g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages", m->pages),
                                  m->pages);
        }
    }
  else if (m->recorded_at != NULL)
    {
      g_autofree char *at = ct_media_format_china_time (m->recorded_at);

      g_string_append (subtitle, at);
      g_string_append_c (subtitle, ' ');
      g_string_append (subtitle, g_strcmp0 (m->recorded_at_source, "file") == 0
                                 ? _("(from the file)") : _("(stated)"));
    }
  else
    g_string_append (subtitle, _("Recording time unknown"));
  if (m->duration_ms > 0)
    {
      g_autofree char *duration = ct_media_format_duration (m->duration_ms);
      g_string_append_printf (subtitle, " · %s", duration);
    }

  if (m->officer_names != NULL && m->officer_names[0] != NULL)
    officers = g_strjoinv ("、", m->officer_names);
  else if (m->officers[0] != NULL)
    officers = g_strjoinv ("、", m->officers);
  if (officers != NULL)
    /* Translators: who recorded a file */
    g_string_append_printf (subtitle, "\n%s %s", _("Officers:"), officers);
  if (m->device != NULL && m->device[0] != '\0')
    /* Translators: the recording device's number */
    g_string_append_printf (subtitle, "%s%s %s", officers != NULL ? " · " : "\n", _("Device:"), m->device);

  if (m->parent_id != 0)
    {
      g_autofree char *from = ct_format_offset (m->clip_actual_start_ms);
      g_autofree char *to = ct_format_offset (m->clip_actual_end_ms);
      g_string_append_c (subtitle, '\n');
      g_string_append_printf (subtitle, _("Clip of “%s”, %s–%s"), m->parent_name, from, to);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), new_thumbnail (self, m));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "media.details");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "x", m->id);

  /* flags */
  gtk_widget_set_valign (pills, GTK_ALIGN_CENTER);
  gtk_widget_set_name (pills, "flags");
  if (m->late)
    {
      g_autofree char *due = ct_media_format_china_time (m->storage_due);
      /* Translators: tooltip of the "Stored late" flag; %s is a China time */
      g_autofree char *tip = g_strdup_printf (_("It had to be stored by %s (China time)"), due);
      gtk_box_append (GTK_BOX (pills), new_pill (_("Stored late"), "warning", tip, "late"));
    }
  if (g_strcmp0 (m->probe_status, "unreadable") == 0)
    gtk_box_append (GTK_BOX (pills), new_pill (_("Unreadable"), "error", m->probe_reason, "unreadable"));
  if (m->recorded_at == NULL && m->kind != CT_MEDIA_KIND_DOCUMENT)
    gtk_box_append (GTK_BOX (pills), new_pill (_("Time unknown"), "warning",
                                               _("Neither the file nor a person says when it was recorded"),
                                               "time-unknown"));
  if (m->held)
    gtk_box_append (GTK_BOX (pills), new_pill (_("Held long-term"), NULL, NULL, "held"));
  if (m->disposed_at != NULL)
    {
      g_autofree char *at = ct_media_format_china_time (m->disposed_at);
      gtk_box_append (GTK_BOX (pills), new_pill (_("Disposed"), NULL, at, "disposed"));
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), pills);

  /* menu */
  if (playable (m))
    {
      item = g_menu_item_new (_("_Play"), NULL);
      g_menu_item_set_action_and_target_value (item, "media.play", g_variant_new_int64 (m->id));
      g_menu_append_item (menu, item);
      g_clear_object (&item);
    }
  if (viewable (m))
    {
      item = g_menu_item_new (_("_View"), NULL);
      g_menu_item_set_action_and_target_value (item, "media.view-scan", g_variant_new_int64 (m->id));
      g_menu_append_item (menu, item);
      g_clear_object (&item);
      item = g_menu_item_new (_("Attach to _Step…"), NULL);
      g_menu_item_set_action_and_target_value (item, "media.attach-scan", g_variant_new_int64 (m->id));
      g_menu_append_item (menu, item);
      g_clear_object (&item);
    }
  item = g_menu_item_new (_("_Details…"), NULL);
  g_menu_item_set_action_and_target_value (item, "media.details", g_variant_new_int64 (m->id));
  g_menu_append_item (menu, item);
  g_clear_object (&item);
  item = g_menu_item_new (_("Recording _stopped here and did not resume…"), NULL);
  g_menu_item_set_action_and_target_value (item, "media.not-resumed", g_variant_new_int64 (m->id));
  g_menu_append_item (menu, item);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_widget_set_tooltip_text (menu_button, _("More"));
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (menu_button, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);

  return row;
}

static char *
gap_text (gint64 seconds)
{
  if (seconds < 120)
    /* Translators: a gap between two recordings, in seconds */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d s gap", "%d s gap", (gulong) seconds), (int) seconds);
  /* Translators: a gap between two recordings, in minutes */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min gap", "%d min gap", (gulong) (seconds / 60)),
                          (int) (seconds / 60));
}

/* "S2.mp4 → S3.mp4, 2 min gap" */
static char *
describe_gap (CtMediaPanel         *self,
              const CtInterruption *it)
{
  const CtMedia *before = find_media (self, it->before_id);
  const CtMedia *after = it->after_id != 0 ? find_media (self, it->after_id) : NULL;
  const char *before_name = before != NULL ? before->original_name : "?";

  if (it->after_id == 0)
    /* Translators: %s is a file name */
    return g_strdup_printf (_("%s → recording did not resume"), before_name);
  else
    {
      g_autofree char *gap = gap_text (it->gap_seconds);
      /* Translators: "first.mp4 → second.mp4, 2 min gap" */
      return g_strdup_printf (_("%s → %s, %s"), before_name, after != NULL ? after->original_name : "?", gap);
    }
}

static GtkWidget *
new_gap_row (CtMediaPanel         *self,
             const CtInterruption *it)
{
  GtkWidget *row = adw_action_row_new ();
  const CtMedia *before = find_media (self, it->before_id);
  g_autofree char *title = describe_gap (self, it);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *stopped = ct_media_format_china_time (it->stopped_at);
  GtkWidget *button;

  /* Translators: who recorded, and when the recording stopped (China time) */
  g_string_append_printf (subtitle, _("%s · stopped at %s"), officer_name (before, it->officer), stopped);
  if (it->device != NULL && it->device[0] != '\0')
    g_string_append_printf (subtitle, " · %s", it->device);
  if (it->explained)
    {
      g_string_append_c (subtitle, '\n');
      g_string_append (subtitle, it->has_reason ? ct_interruption_reason_label (it->reason) : "");
      if (it->explanation != NULL && it->explanation[0] != '\0')
        g_string_append_printf (subtitle, " — %s", it->explanation);
      if (it->explained_by_name != NULL)
        /* Translators: who explained an interruption */
        g_string_append_printf (subtitle, _(" (stated by %s)"), it->explained_by_name);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), it->after_id != 0 ? "media-playback-pause-symbolic"
                                                                         : "media-playback-stop-symbolic");

  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             it->explained ? new_pill (_("Explained"), "success", NULL, "state")
                                           : new_pill (_("Not explained"), "warning", NULL, "state"));
  button = gtk_button_new_with_mnemonic (it->explained ? _("_Change…") : _("_Explain…"));
  gtk_widget_set_name (button, "explain");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (it->explained)
    gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "media.explain");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(xx)", it->before_id, it->after_id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

/* "询问（调查）笔录 · 询问音像记录", the medium and its range, Play. */
static GtkWidget *
new_clip_row (CtMediaPanel *self,
              const CtClip *clip)
{
  g_autofree char *title = g_strdup_printf ("%s · %s", clip->form_title, clip->field_label);
  g_autofree char *range = ct_format_clip_range (clip);
  g_autofree char *wall = ct_format_clip_wall (clip);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *row;

  g_string_append_printf (subtitle, "%s · %s\n%s", clip->media_name, range, wall);
  if (clip->label != NULL)
    g_string_append_printf (subtitle, "\n%s", clip->label);
  row = ct_widget_clip_row (clip, title, subtitle->str, "media.play-clip");
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "camera-video-symbolic");
  return row;
}

static void
show_listing (CtMediaPanel *self)
{
  gboolean can_import = ct_media_panel_can_import (self);

  clear_rows (self);
  gtk_widget_set_visible (self->import_button, can_import);
  gtk_widget_set_visible (self->empty_import_button, can_import);
  {
    gboolean together = ct_sync_count_playable (self->listing->media) >= 2;

    gtk_widget_action_set_enabled (GTK_WIDGET (self), "media.play-together", together);
    gtk_widget_set_tooltip_text (self->play_together_button,
                                 together ? _("Play two to four recordings side by side, in step by their recording times")
                                          : _("Needs two or more video or audio recordings with a recording time"));
  }

  if (self->listing->media->len == 0)
    {
      adw_status_page_set_description (self->empty_page,
                                       can_import
                                       ? _("Import the body-worn camera recordings, audio and photos of this case: "
                                           "they are copied into the evidence store, verified and listed here.")
                                       : _("The case's officers import its body-worn camera recordings, audio and "
                                           "photos; they will be listed here."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  for (guint i = 0; i < self->listing->media->len; i++)
    {
      const CtMedia *m = self->listing->media->pdata[i];
      GtkWidget *row = new_media_row (self, m);

      add_row (self, self->media_group, row);
      g_hash_table_insert (self->media_rows, g_memdup2 (&m->id, sizeof m->id), row);
    }
  /* Translators: the number of recordings of the case */
  {
    g_autofree char *description =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u recording", "%u recordings", self->listing->media->len),
                       self->listing->media->len);
    adw_preferences_group_set_description (self->media_group, description);
  }

  gtk_widget_set_visible (GTK_WIDGET (self->interruptions_group), self->listing->interruptions->len > 0);
  for (guint i = 0; i < self->listing->interruptions->len; i++)
    {
      const CtInterruption *it = self->listing->interruptions->pdata[i];
      GtkWidget *row = new_gap_row (self, it);

      add_row (self, self->interruptions_group, row);
      g_hash_table_insert (self->gap_rows, g_memdup2 (&it->before_id, sizeof it->before_id), row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->clips_group), self->listing->clips->len > 0);
  for (guint i = 0; i < self->listing->clips->len; i++)
    {
      GtkWidget *row = new_clip_row (self, self->listing->clips->pdata[i]);

      add_row (self, self->clips_group, row);
      g_ptr_array_add (self->clip_rows, row);
    }

  gtk_stack_set_visible_child_name (self->stack, "list");
}

/* ---- loading -------------------------------------------------------------------------------- */

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CtMediaPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  CtMediaListing *listing;

  listing = ct_media_task_list_finish (CT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (listing == NULL)
    {
      clear_rows (self);
      g_clear_pointer (&self->listing, ct_media_listing_free);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  /* The rows point into the listing (thumbnail tasks keep its array). */
  clear_rows (self);
  g_clear_pointer (&self->listing, ct_media_listing_free);
  self->listing = listing;
  show_listing (self);
}

void
ct_media_panel_reload (CtMediaPanel *self)
{
  g_return_if_fail (CT_IS_MEDIA_PANEL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->store == NULL || self->case_id == 0)
    {
      self->loading = FALSE;
      return;
    }

  self->loading = TRUE;
  if (self->listing == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "loading");
      gtk_spinner_set_spinning (self->spinner, TRUE);
    }
  ct_media_task_list_async (self->store, self->case_id, self->cancellable, list_cb, g_object_ref (self));
}

void
ct_media_panel_set_case (CtMediaPanel *self,
                         CtStore      *store,
                         CtSession    *session,
                         const CtCase *c)
{
  g_autoptr(GPtrArray) officers = g_ptr_array_new ();
  gint64 case_id = c != NULL ? c->id : 0;

  g_return_if_fail (CT_IS_MEDIA_PANEL (self));

  if (case_id != self->case_id || store != self->store)
    {
      clear_rows (self);
      g_clear_pointer (&self->listing, ct_media_listing_free);
    }

  g_set_object (&self->store, store);
  if (session != self->session)
    {
      g_clear_pointer (&self->session, ct_session_unref);
      if (session != NULL)
        self->session = ct_session_ref (session);
    }
  self->case_id = case_id;
  g_free (self->case_number);
  self->case_number = c != NULL ? g_strdup (c->number) : NULL;
  g_free (self->case_status);
  self->case_status = c != NULL ? g_strdup (c->status) : NULL;
  for (guint i = 0; c != NULL && c->officers != NULL && i < c->officers->len; i++)
    g_ptr_array_add (officers, ((CtCaseOfficer *) c->officers->pdata[i])->username);
  g_ptr_array_add (officers, NULL);
  g_strfreev (self->officers);
  self->officers = g_strdupv ((char **) officers->pdata);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "media.import", ct_media_panel_can_import (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "media.reload", self->case_id != 0);

  if (self->case_id == 0 || self->store == NULL || self->session == NULL)
    {
      g_cancellable_cancel (self->cancellable);
      self->loading = FALSE;
      gtk_spinner_set_spinning (self->spinner, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      return;
    }
  ct_media_panel_reload (self);
}

/* ---- changes ------------------------------------------------------------------------------------ */

static void
on_changed (CtMediaPanel *self)
{
  ct_media_panel_reload (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_import_finished (CtMediaPanel   *self,
                    CtImportDialog *dialog)
{
  if (ct_import_dialog_get_n_imported (dialog) > 0 || ct_import_dialog_get_n_present (dialog) > 0)
    on_changed (self);
  else
    ct_media_panel_reload (self);
}

static void
present_dialog (CtMediaPanel *self,
                GtkWindow    *dialog)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (dialog, GTK_WINDOW (root));
      gtk_window_set_application (dialog, gtk_window_get_application (GTK_WINDOW (root)));
    }
  gtk_window_set_destroy_with_parent (dialog, TRUE);
  if (self->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  self->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  gtk_window_present (dialog);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CtMediaPanel *self = CT_MEDIA_PANEL (widget);
  CtImportDialog *dialog;

  if (!ct_media_panel_can_import (self))
    return;
  dialog = ct_import_dialog_new (self->store, self->session, self->case_id, self->case_number);
  g_signal_connect_object (dialog, "finished", G_CALLBACK (on_import_finished), self, G_CONNECT_SWAPPED);
  present_dialog (self, GTK_WINDOW (dialog));
}

static void
details_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CtMediaPanel *self = CT_MEDIA_PANEL (widget);
  const CtMedia *m = find_media (self, g_variant_get_int64 (parameter));
  CtMediaDetails *details;

  if (m == NULL || self->session == NULL)
    return;
  details = ct_media_details_new (self->store, self->session, m);
  g_signal_connect_object (details, "saved", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  present_dialog (self, GTK_WINDOW (details));
}

static void
play_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CtMediaPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  CtPlayerWindow *window = ct_player_window_open_finish (result, &error);

  if (window == NULL)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *dialog;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       _("Cannot Play This Recording"), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_widget_set_name (dialog, "play-error");
      present_dialog (self, GTK_WINDOW (dialog));
      return;
    }
  /* Its in/out range can become a clip of a step of this case; the case
   * view then reloads the checklist. */
  ct_player_window_set_evidence (window, self->store, self->session);
  g_signal_connect_object (window, "clip-attached", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "clip-exported", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  present_dialog (self, GTK_WINDOW (window));
}

/* Opening is checked and audited by the core, on a worker thread. */
static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CtMediaPanel *self = CT_MEDIA_PANEL (widget);

  if (self->store == NULL || self->session == NULL)
    return;
  ct_player_window_open_async (self->store, self->session, g_variant_get_int64 (parameter), NULL,
                               play_cb, g_object_ref (self));
}

/* A scanned document: opened (permission, audit) by the core. */
static void
view_scan_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CtMediaPanel *self = CT_MEDIA_PANEL (widget);
  g_autoptr(GError) error = NULL;
  CtScanViewer *viewer;

  if (self->store == NULL || self->session == NULL)
    return;
  viewer = ct_scan_viewer_new (self->store, self->session, g_variant_get_int64 (parameter), &error);
  if (viewer == NULL)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                  _("Cannot Show This Document"), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_widget_set_name (dialog, "view-error");
      present_dialog (self, GTK_WINDOW (dialog));
      return;
    }
  g_signal_connect_object (viewer, "attached", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  present_dialog (self, GTK_WINDOW (viewer));
}

static void
scan_attached (gpointer data,
               gpointer user_data)
{
  on_changed (user_data);
}

static void
attach_scan_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CtMediaPanel *self = CT_MEDIA_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->store == NULL || self->session == NULL)
    return;
  ct_scan_attach_dialog_present (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store, self->session,
                                 g_variant_get_int64 (parameter), scan_attached, G_OBJECT (self));
}

/* Several cameras in step: the chooser opens them through the core. */
static void
play_together_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CtMediaPanel *self = CT_MEDIA_PANEL (widget);

  if (self->store == NULL || self->session == NULL || self->listing == NULL)
    return;
  present_dialog (self, GTK_WINDOW (ct_sync_chooser_new (self->store, self->session, self->listing->media)));
}

typedef struct {
  CtMediaPanel *panel;
  gint64        start_ms;
  gint64        end_ms;
} PlayClip;

static void
play_clip_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PlayClip *clip = user_data;
  g_autoptr(CtMediaPanel) self = clip->panel;
  gint64 start_ms = clip->start_ms, end_ms = clip->end_ms;

  g_free (clip);
  play_cb (object, result, g_object_ref (self));
  if (CT_IS_PLAYER_WINDOW (self->dialog))
    ct_player_window_show_clip (CT_PLAYER_WINDOW (self->dialog), start_ms, end_ms);
}

/* (media id, start ms, end ms): a clip opens at its in-point, marked. */
static void
play_clip_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CtMediaPanel *self = CT_MEDIA_PANEL (widget);
  PlayClip *clip;
  gint64 media_id;

  if (self->store == NULL || self->session == NULL)
    return;
  clip = g_new0 (PlayClip, 1);
  clip->panel = g_object_ref (self);
  g_variant_get (parameter, "(xxx)", &media_id, &clip->start_ms, &clip->end_ms);
  ct_player_window_open_async (self->store, self->session, media_id, NULL, play_clip_cb, clip);
}

static const CtInterruption *
find_gap (CtMediaPanel *self,
          gint64        before_id,
          gint64        after_id)
{
  for (guint i = 0; self->listing != NULL && i < self->listing->interruptions->len; i++)
    {
      const CtInterruption *it = self->listing->interruptions->pdata[i];
      if (it->before_id == before_id && it->after_id == after_id)
        return it;
    }
  return NULL;
}

static void
open_explain (CtMediaPanel *self,
              gint64        before_id,
              gint64        after_id)
{
  const CtInterruption *it = find_gap (self, before_id, after_id);
  g_autofree char *description = NULL;
  CtExplainDialog *dialog;

  if (self->session == NULL || self->listing == NULL)
    return;

  if (it != NULL)
    description = describe_gap (self, it);
  else
    {
      const CtMedia *m = find_media (self, before_id);
      CtInterruption fake = { .before_id = before_id, .after_id = 0 };

      if (m == NULL)
        return;
      description = describe_gap (self, &fake);
    }

  dialog = ct_explain_dialog_new (self->store, self->session, before_id, after_id, description, it);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  present_dialog (self, GTK_WINDOW (dialog));
}

static void
explain_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  gint64 before_id, after_id;

  g_variant_get (parameter, "(xx)", &before_id, &after_id);
  open_explain (CT_MEDIA_PANEL (widget), before_id, after_id);
}

static void
not_resumed_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  open_explain (CT_MEDIA_PANEL (widget), g_variant_get_int64 (parameter), 0);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ct_media_panel_reload (CT_MEDIA_PANEL (widget));
}

/* ---- life ---------------------------------------------------------------------------------------- */

static void
ct_media_panel_dispose (GObject *object)
{
  CtMediaPanel *self = CT_MEDIA_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      self->dialog = NULL;
    }
  g_ptr_array_set_size (self->rows, 0);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_MEDIA_PANEL);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->session, ct_session_unref);
  g_clear_pointer (&self->listing, ct_media_listing_free);

  G_OBJECT_CLASS (ct_media_panel_parent_class)->dispose (object);
}

static void
ct_media_panel_finalize (GObject *object)
{
  CtMediaPanel *self = CT_MEDIA_PANEL (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->media_rows, g_hash_table_unref);
  g_clear_pointer (&self->gap_rows, g_hash_table_unref);
  g_clear_pointer (&self->clip_rows, g_ptr_array_unref);
  g_free (self->case_number);
  g_free (self->case_status);
  g_strfreev (self->officers);

  G_OBJECT_CLASS (ct_media_panel_parent_class)->finalize (object);
}

static void
ct_media_panel_class_init (CtMediaPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_media_panel_dispose;
  object_class->finalize = ct_media_panel_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-media-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CtMediaPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, CtMediaPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, CtMediaPanel, error_page);
  gtk_widget_class_bind_template_child (widget_class, CtMediaPanel, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CtMediaPanel, empty_import_button);
  gtk_widget_class_bind_template_child (widget_class, CtMediaPanel, media_group);
  gtk_widget_class_bind_template_child (widget_class, CtMediaPanel, import_button);
  gtk_widget_class_bind_template_child (widget_class, CtMediaPanel, play_together_button);
  gtk_widget_class_bind_template_child (widget_class, CtMediaPanel, interruptions_group);
  gtk_widget_class_bind_template_child (widget_class, CtMediaPanel, clips_group);

  gtk_widget_class_install_action (widget_class, "media.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "media.details", "x", details_action);
  gtk_widget_class_install_action (widget_class, "media.play", "x", play_action);
  gtk_widget_class_install_action (widget_class, "media.view-scan", "x", view_scan_action);
  gtk_widget_class_install_action (widget_class, "media.attach-scan", "x", attach_scan_action);
  gtk_widget_class_install_action (widget_class, "media.play-together", NULL, play_together_action);
  gtk_widget_class_install_action (widget_class, "media.play-clip", "(xxx)", play_clip_action);
  gtk_widget_class_install_action (widget_class, "media.explain", "(xx)", explain_action);
  gtk_widget_class_install_action (widget_class, "media.not-resumed", "x", not_resumed_action);
  gtk_widget_class_install_action (widget_class, "media.reload", NULL, reload_action);
}

static void
ct_media_panel_init (CtMediaPanel *self)
{
  self->rows = g_ptr_array_new ();
  self->media_rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->gap_rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->clip_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "media.import", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "media.play-together", FALSE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
}

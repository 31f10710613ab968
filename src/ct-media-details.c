#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ct-media-details.h"
#include "ct-media-task.h"
#include "ct-review.h"
#include "ct-widget-util.h"

/* ---- shared helpers -------------------------------------------------------------------- */

GtkWidget *
ct_media_find_named (GtkWidget  *root,
                     const char *name)
{
  if (root == NULL)
    return NULL;
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = ct_media_find_named (c, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GDateTime *
to_china (const char *iso8601)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) china = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) dt = NULL;

  if (iso8601 == NULL)
    return NULL;
  dt = g_date_time_new_from_iso8601 (iso8601, utc);
  return dt != NULL ? g_date_time_to_timezone (dt, china) : NULL;
}

char *
ct_media_format_china_time (const char *iso8601)
{
  g_autoptr(GDateTime) dt = to_china (iso8601);

  if (iso8601 == NULL)
    return g_strdup ("");
  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : g_strdup (iso8601);
}

char *
ct_media_format_duration (gint64 ms)
{
  gint64 s = (ms + 500) / 1000;

  if (s >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int) (s / 60 % 60), (int) (s % 60));
  return g_strdup_printf ("%d:%02d", (int) (s / 60), (int) (s % 60));
}

static GtkWidget *
add_fact (AdwPreferencesGroup *group,
          const char          *title,
          const char          *value)
{
  GtkWidget *row;

  if (value == NULL || value[0] == '\0')
    return NULL;
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (group, row);
  return row;
}

static GtkWidget *
add_entry (AdwPreferencesGroup *group,
           const char          *name,
           const char          *title,
           const char          *value)
{
  GtkWidget *row = adw_entry_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
  adw_preferences_group_add (group, row);
  return row;
}

static GtkWidget *
new_error_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_name (label, "error");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 18);
  gtk_widget_set_margin_end (label, 18);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_set_visible (label, FALSE);
  return label;
}

static void
set_error (GtkWidget  *label,
           const char *message)
{
  gtk_label_set_label (GTK_LABEL (label), message != NULL ? message : "");
  gtk_widget_set_visible (label, message != NULL);
}

/* ---- details ---------------------------------------------------------------------------- */

struct _CtMediaDetails
{
  AdwWindow parent_instance;

  CtStore      *store;
  CtSession    *session;
  GCancellable *cancellable;
  gint64        media_id;
  gboolean      busy;

  /* what was shown, to send only what changed */
  char         *shown_recorded_at;
  char         *shown_officers;
  guint         shown_category;

  GtkWidget    *error_label;
  GtkWidget    *save_button;
  GtkWidget    *hold_button;
  GtkWidget    *recorded_row;
  GtkWidget    *place_row;
  GtkWidget    *device_row;
  GtkWidget    *officers_row;
  GtkWidget    *category_row;
  GtkWidget    *document_switch;   /* pictures only: a scanned paper document */
  gboolean      shown_document;
  GtkWidget    *title_row;
  GtkWidget    *party_row;
  GtkWidget    *cause_row;
  /* the original values of the plain text rows */
  char         *shown_place;
  char         *shown_device;
  char         *shown_title;
  char         *shown_party;
  char         *shown_cause;
};

G_DEFINE_FINAL_TYPE (CtMediaDetails, ct_media_details, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint details_signals[N_SIGNALS];

gboolean
ct_media_details_get_busy (CtMediaDetails *self)
{
  g_return_val_if_fail (CT_IS_MEDIA_DETAILS (self), FALSE);
  return self->busy;
}

static void
details_set_busy (CtMediaDetails *self,
                  gboolean        busy)
{
  self->busy = busy;
  if (busy)
    ct_widget_drop_focus (GTK_WIDGET (self));
  gtk_widget_set_sensitive (self->save_button, !busy);
  if (self->hold_button != NULL)
    gtk_widget_set_sensitive (self->hold_button, !busy);
}

static const char *
changed_text (GtkWidget  *row,
              const char *shown)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return g_strcmp0 (text, shown != NULL ? shown : "") == 0 ? NULL : text;
}

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CtMediaDetails) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ct_media_task_update_finish (CT_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      details_set_busy (self, FALSE);
      set_error (self->error_label, error->message);
      return;
    }
  details_set_busy (self, FALSE);
  g_signal_emit (self, details_signals[SIGNAL_SAVED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

void
ct_media_details_save (CtMediaDetails *self)
{
  CtMediaSpec spec = { 0 };
  g_auto(GStrv) officers = NULL;
  g_autofree char *recorded = NULL;
  const char *officers_text;
  guint category;

  g_return_if_fail (CT_IS_MEDIA_DETAILS (self));

  if (self->busy)
    return;
  set_error (self->error_label, NULL);

  recorded = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->recorded_row))));
  if (g_strcmp0 (recorded, self->shown_recorded_at != NULL ? self->shown_recorded_at : "") != 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (recorded, NULL);

      if (when == NULL)
        {
          set_error (self->error_label,
                     _("The recording time is not understood. Write it with its time zone, "
                       "e.g. 2024-05-01T09:30:00+08:00."));
          gtk_widget_add_css_class (self->recorded_row, "error");
          return;
        }
      spec.recorded_at = recorded;
    }
  gtk_widget_remove_css_class (self->recorded_row, "error");

  officers_text = gtk_editable_get_text (GTK_EDITABLE (self->officers_row));
  if (g_strcmp0 (officers_text, self->shown_officers) != 0)
    {
      g_auto(GStrv) parts = g_strsplit_set (officers_text, ",，;； ", -1);
      g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *part = g_strstrip (parts[i]);
          if (part[0] != '\0')
            g_ptr_array_add (list, g_strdup (part));
        }
      g_ptr_array_add (list, NULL);
      officers = (char **) g_ptr_array_free (g_steal_pointer (&list), FALSE);
      spec.officers = (const char * const *) officers;
    }

  spec.place = changed_text (self->place_row, self->shown_place);
  spec.device = changed_text (self->device_row, self->shown_device);
  spec.title = changed_text (self->title_row, self->shown_title);
  spec.party = changed_text (self->party_row, self->shown_party);
  spec.cause = changed_text (self->cause_row, self->shown_cause);
  category = adw_combo_row_get_selected (ADW_COMBO_ROW (self->category_row));
  if (category != self->shown_category)
    spec.category = ct_media_category_to_id (category == 0 ? CT_MEDIA_CATEGORY_EVIDENCE : CT_MEDIA_CATEGORY_PATROL);
  if (self->document_switch != NULL &&
      gtk_switch_get_active (GTK_SWITCH (self->document_switch)) != self->shown_document)
    spec.kind = gtk_switch_get_active (GTK_SWITCH (self->document_switch)) ? "document" : "photo";

  if (spec.recorded_at == NULL && spec.officers == NULL && spec.place == NULL && spec.device == NULL &&
      spec.title == NULL && spec.party == NULL && spec.cause == NULL && spec.category == NULL &&
      spec.kind == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  details_set_busy (self, TRUE);
  ct_media_task_update_async (self->store, self->session, self->media_id, &spec,
                              self->cancellable, update_cb, g_object_ref (self));
}

static void
hold_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CtMediaDetails) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ct_media_task_hold_finish (CT_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      details_set_busy (self, FALSE);
      set_error (self->error_label, error->message);
      return;
    }
  details_set_busy (self, FALSE);
  g_signal_emit (self, details_signals[SIGNAL_SAVED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_hold_response (AdwMessageDialog *dialog,
                  const char       *response,
                  CtMediaDetails   *self)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  const char *reason = gtk_editable_get_text (GTK_EDITABLE (entry));

  if (!g_str_equal (response, "hold") || self->busy)
    return;
  details_set_busy (self, TRUE);
  ct_media_task_hold_async (self->store, self->session, self->media_id, TRUE, reason,
                            self->cancellable, hold_cb, g_object_ref (self));
}

static void
on_hold_reason_changed (GtkEditable      *entry,
                        AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "hold", text[0] != '\0');
}

static void
on_hold_clicked (CtMediaDetails *self)
{
  GtkWidget *dialog;
  GtkWidget *entry = gtk_entry_new ();

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Hold Long-Term?"),
                                   _("The recording is then kept beyond its retention period until a "
                                     "supervisor lifts the hold (004 第十三条: objection, obstruction, "
                                     "mass incident, …). State why."));
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason for the hold"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "hold", _("_Hold"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "hold", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "hold", FALSE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (entry, "changed", G_CALLBACK (on_hold_reason_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_hold_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const char *
kind_label (CtMediaKind kind)
{
  switch (kind)
    {
    case CT_MEDIA_KIND_VIDEO: return _("Video");
    case CT_MEDIA_KIND_AUDIO: return _("Audio");
    case CT_MEDIA_KIND_PHOTO: return _("Photo");
    case CT_MEDIA_KIND_DOCUMENT: return _("Scanned document");
    case CT_MEDIA_KIND_UNKNOWN:
    default: return _("Unreadable or unknown");
    }
}

static const char *
probe_label (const char *status)
{
  if (g_strcmp0 (status, "ok") == 0)
    return _("Read successfully");
  if (g_strcmp0 (status, "unreadable") == 0)
    return _("Could not be read");
  if (g_strcmp0 (status, "unprobed") == 0)
    return _("Not examined");
  return status;
}

static void
build_details (CtMediaDetails *self,
               const CtMedia  *m)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page = adw_preferences_page_new ();
  AdwPreferencesGroup *facts = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *stated = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *labels = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *keep = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  g_autoptr(GtkStringList) categories = gtk_string_list_new (NULL);
  g_autoptr(GDateTime) recorded = to_china (m->recorded_at);
  g_autofree char *size = g_format_size_full (m->size, G_FORMAT_SIZE_LONG_FORMAT);
  g_autofree char *duration = m->duration_ms > 0 ? ct_media_format_duration (m->duration_ms) : NULL;
  g_autofree char *stored = ct_media_format_china_time (m->stored_at);
  g_autofree char *due = ct_media_format_china_time (m->storage_due);
  g_autofree char *keep_until = ct_media_format_china_time (m->retain_until);
  g_autofree char *disposed = ct_media_format_china_time (m->disposed_at);
  g_autofree char *probe = NULL;
  g_autofree char *due_text = NULL;
  g_autofree char *imported_by = NULL;

  gtk_window_set_title (GTK_WINDOW (self), m->title != NULL && m->title[0] != '\0' ? m->title : m->original_name);
  gtk_window_set_default_size (GTK_WINDOW (self), 620, 760);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_set_name (self->save_button, "save");
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (ct_media_details_save), self);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (box), header);

  self->error_label = new_error_label ();
  gtk_box_append (GTK_BOX (box), self->error_label);

  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (self), box);

  /* what the file is */
  adw_preferences_group_set_title (facts, _("The Recording"));
  add_fact (facts, _("File name"), m->original_name);
  add_fact (facts, _("Kind"), kind_label (m->kind));
  add_fact (facts, _("Duration"), duration);
  add_fact (facts, _("Size"), size);
  add_fact (facts, "SHA-256", m->sha256);
  add_fact (facts, "SM3", m->sm3);
  add_fact (facts, _("Stored at (China time)"), stored);
  if (m->storage_due != NULL)
    due_text = m->late ? g_strdup_printf (_("%s — stored late"), due) : g_strdup (due);
  add_fact (facts, _("Storage due by"), due_text);
  imported_by = g_strdup_printf ("%s (%s)", m->imported_by_name, m->imported_by);
  add_fact (facts, _("Imported by"), imported_by);
  add_fact (facts, _("Imported from"), m->source_path);
  if (m->parent_id != 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, m->parent_id);
      g_autofree char *parent = g_strdup_printf (_("Medium %s “%s” (SHA-256 %s)"), id, m->parent_name, m->parent_sha256);
      g_autofree char *from = ct_format_offset (m->clip_actual_start_ms);
      g_autofree char *to = ct_format_offset (m->clip_actual_end_ms);
      g_autofree char *asked_from = ct_format_offset (m->clip_start_ms);
      g_autofree char *asked_to = ct_format_offset (m->clip_end_ms);
      g_autofree char *range = g_strdup_printf (_("%s–%s, copied without re-encoding (asked: %s–%s; a copy "
                                                  "starts at the keyframe at or before the start asked)"),
                                                from, to, asked_from, asked_to);
      gtk_widget_set_name (add_fact (facts, _("Clip of"), parent), "clip-of");
      gtk_widget_set_name (add_fact (facts, _("Range of the original"), range), "clip-range");
    }
  if (m->probe_reason != NULL && m->probe_reason[0] != '\0')
    probe = g_strdup_printf (_("%s — %s"), probe_label (m->probe_status), m->probe_reason);
  else
    probe = g_strdup (probe_label (m->probe_status));
  add_fact (facts, _("Examination"), probe);
  add_fact (facts, _("Keep until"), m->held ? _("Held long-term") : keep_until);
  add_fact (facts, _("Disposed of"), disposed);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), facts);

  /* what a person states */
  adw_preferences_group_set_title (stated, _("What Is Stated"));
  if (recorded != NULL)
    self->shown_recorded_at = g_date_time_format (recorded, "%Y-%m-%dT%H:%M:%S%:z");
  self->recorded_row = add_entry (stated, "recorded_at",
                                  g_strcmp0 (m->recorded_at_source, "file") == 0
                                    ? _("Recorded at (from the file; e.g. 2024-05-01T09:30:00+08:00)")
                                    : _("Recorded at (e.g. 2024-05-01T09:30:00+08:00)"),
                                  self->shown_recorded_at);
  self->shown_place = g_strdup (m->place);
  self->place_row = add_entry (stated, "place", _("Place"), m->place);
  self->shown_device = g_strdup (m->device);
  self->device_row = add_entry (stated, "device", _("Device number (执法记录设备编号)"), m->device);
  self->shown_officers = g_strjoinv (", ", m->officers);
  self->officers_row = add_entry (stated, "officers", _("Officers (usernames, separated by commas)"),
                                  self->shown_officers);
  self->category_row = adw_combo_row_new ();
  gtk_widget_set_name (self->category_row, "category");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->category_row), _("Category"));
  gtk_string_list_append (categories, ct_media_category_label (CT_MEDIA_CATEGORY_EVIDENCE));
  gtk_string_list_append (categories, ct_media_category_label (CT_MEDIA_CATEGORY_PATROL));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->category_row), G_LIST_MODEL (categories));
  self->shown_category = m->category == CT_MEDIA_CATEGORY_PATROL ? 1 : 0;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->category_row), self->shown_category);
  adw_preferences_group_add (stated, self->category_row);
  /* A picture is a photo or a scanned paper document, as the person says. */
  if (m->kind == CT_MEDIA_KIND_PHOTO ||
      (m->kind == CT_MEDIA_KIND_DOCUMENT && m->probe_json != NULL && strstr (m->probe_json, "\"image\"") != NULL))
    {
      GtkWidget *row = adw_action_row_new ();

      self->shown_document = m->kind == CT_MEDIA_KIND_DOCUMENT;
      self->document_switch = gtk_switch_new ();
      gtk_widget_set_name (self->document_switch, "document");
      gtk_widget_set_valign (self->document_switch, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (self->document_switch), self->shown_document);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Scanned Paper Document"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("A page a party signed or handed in, not a photo of the scene"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->document_switch);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), self->document_switch);
      adw_preferences_group_add (stated, row);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), stated);

  /* 004 第十六条 */
  adw_preferences_group_set_title (labels, _("Classification (004 第十六条)"));
  self->shown_title = g_strdup (m->title);
  self->title_row = add_entry (labels, "title", _("名称 (title)"), m->title);
  self->shown_party = g_strdup (m->party);
  self->party_row = add_entry (labels, "party", _("案件当事人 (party)"), m->party);
  self->shown_cause = g_strdup (m->cause);
  self->cause_row = add_entry (labels, "cause", _("案由名称 (cause)"), m->cause);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), labels);

  /* retention */
  if (!m->held && m->disposed_at == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_group_set_title (keep, _("Retention"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Keep beyond the retention period"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("For an objection, obstruction of the law, a mass incident or another reason to keep it long-term"));
      self->hold_button = gtk_button_new_with_mnemonic (_("_Hold Long-Term…"));
      gtk_widget_set_name (self->hold_button, "hold");
      gtk_widget_set_valign (self->hold_button, GTK_ALIGN_CENTER);
      g_signal_connect_swapped (self->hold_button, "clicked", G_CALLBACK (on_hold_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->hold_button);
      adw_preferences_group_add (keep, row);
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), keep);
    }
  else
    {
      g_object_ref_sink (keep);
      g_object_unref (keep);
    }
}

CtMediaDetails *
ct_media_details_new (CtStore       *store,
                      CtSession     *session,
                      const CtMedia *media)
{
  CtMediaDetails *self;

  g_return_val_if_fail (CT_IS_STORE (store), NULL);
  g_return_val_if_fail (session != NULL, NULL);
  g_return_val_if_fail (media != NULL, NULL);

  self = g_object_new (CT_TYPE_MEDIA_DETAILS, NULL);
  self->store = g_object_ref (store);
  self->session = ct_session_ref (session);
  self->media_id = media->id;
  build_details (self, media);
  return self;
}

static void
ct_media_details_dispose (GObject *object)
{
  CtMediaDetails *self = CT_MEDIA_DETAILS (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (ct_media_details_parent_class)->dispose (object);
}

static void
ct_media_details_finalize (GObject *object)
{
  CtMediaDetails *self = CT_MEDIA_DETAILS (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->session, ct_session_unref);
  g_free (self->shown_recorded_at);
  g_free (self->shown_officers);
  g_free (self->shown_place);
  g_free (self->shown_device);
  g_free (self->shown_title);
  g_free (self->shown_party);
  g_free (self->shown_cause);
  G_OBJECT_CLASS (ct_media_details_parent_class)->finalize (object);
}

static void
ct_media_details_class_init (CtMediaDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ct_media_details_dispose;
  object_class->finalize = ct_media_details_finalize;

  details_signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ct_media_details_init (CtMediaDetails *self)
{
  self->cancellable = g_cancellable_new ();
}

/* ---- explaining an interruption ---------------------------------------------------------- */

struct _CtExplainDialog
{
  AdwWindow parent_instance;

  CtStore      *store;
  CtSession    *session;
  GCancellable *cancellable;
  gint64        before_id;
  gint64        after_id;
  gboolean      busy;

  GtkWidget    *reason;
  GtkWidget    *text_view;
  GtkWidget    *save_button;
  GtkWidget    *error_label;
};

G_DEFINE_FINAL_TYPE (CtExplainDialog, ct_explain_dialog, ADW_TYPE_WINDOW)

static guint explain_signals[N_SIGNALS];

gboolean
ct_explain_dialog_get_busy (CtExplainDialog *self)
{
  g_return_val_if_fail (CT_IS_EXPLAIN_DIALOG (self), FALSE);
  return self->busy;
}

static void
explain_set_busy (CtExplainDialog *self,
                  gboolean         busy)
{
  self->busy = busy;
  if (busy)
    ct_widget_drop_focus (GTK_WIDGET (self));
  gtk_widget_set_sensitive (self->save_button, !busy);
}

static void
explain_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CtExplainDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ct_media_task_explain_finish (CT_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      explain_set_busy (self, FALSE);
      set_error (self->error_label, error->message);
      return;
    }
  explain_set_busy (self, FALSE);
  g_signal_emit (self, explain_signals[SIGNAL_SAVED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_explain_save (CtExplainDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view));
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  guint reason;

  if (self->busy)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  reason = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->reason));
  if (reason == GTK_INVALID_LIST_POSITION)
    reason = CT_INTERRUPTION_OTHER;

  set_error (self->error_label, NULL);
  explain_set_busy (self, TRUE);
  ct_media_task_explain_async (self->store, self->session, self->before_id, self->after_id,
                               (CtInterruptionReason) reason, text[0] != '\0' ? text : NULL,
                               self->cancellable, explain_cb, g_object_ref (self));
}

CtExplainDialog *
ct_explain_dialog_new (CtStore              *store,
                       CtSession            *session,
                       gint64                before_id,
                       gint64                after_id,
                       const char           *description,
                       const CtInterruption *current)
{
  CtExplainDialog *self;
  GtkWidget *box, *header, *cancel, *content, *label, *scroller, *frame;
  g_autoptr(GtkStringList) reasons = gtk_string_list_new (NULL);

  g_return_val_if_fail (CT_IS_STORE (store), NULL);
  g_return_val_if_fail (session != NULL, NULL);

  self = g_object_new (CT_TYPE_EXPLAIN_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->session = ct_session_ref (session);
  self->before_id = before_id;
  self->after_id = after_id;

  gtk_window_set_title (GTK_WINDOW (self), after_id != 0 ? _("Why Did the Recording Stop?")
                                                         : _("Recording Did Not Resume"));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 480);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_set_name (self->save_button, "save");
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (on_explain_save), self);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (box), header);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (box), content);

  label = gtk_label_new (description);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (content), label);

  label = gtk_label_new (after_id != 0
                         ? _("State why the recording stopped (001 第十九条).")
                         : _("The recording stopped here and did not resume. 001 第十九条 asks for the reason "
                             "and a written explanation."));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (content), label);

  for (int r = CT_INTERRUPTION_DEVICE_FAULT; r <= CT_INTERRUPTION_OTHER; r++)
    gtk_string_list_append (reasons, ct_interruption_reason_label ((CtInterruptionReason) r));
  self->reason = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (reasons)), NULL);
  gtk_widget_set_name (self->reason, "reason");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->reason),
                              current != NULL && current->has_reason ? (guint) current->reason : 0);
  gtk_box_append (GTK_BOX (content), self->reason);

  label = gtk_label_new_with_mnemonic (after_id != 0 ? _("_Explanation (required for “Other”)")
                                                     : _("_Written explanation"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, 6);
  gtk_box_append (GTK_BOX (content), label);

  self->text_view = gtk_text_view_new ();
  gtk_widget_set_name (self->text_view, "explanation");
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->text_view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->text_view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (self->text_view), 8);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (self->text_view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (self->text_view), 8);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->text_view);
  if (current != NULL && current->explanation != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view)), current->explanation, -1);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->text_view);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_set_size_request (scroller, -1, 120);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), scroller);
  gtk_box_append (GTK_BOX (content), frame);

  self->error_label = new_error_label ();
  gtk_widget_set_margin_start (self->error_label, 0);
  gtk_widget_set_margin_end (self->error_label, 0);
  gtk_box_append (GTK_BOX (content), self->error_label);

  adw_window_set_content (ADW_WINDOW (self), box);
  return self;
}

static void
ct_explain_dialog_dispose (GObject *object)
{
  CtExplainDialog *self = CT_EXPLAIN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (ct_explain_dialog_parent_class)->dispose (object);
}

static void
ct_explain_dialog_finalize (GObject *object)
{
  CtExplainDialog *self = CT_EXPLAIN_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->session, ct_session_unref);
  G_OBJECT_CLASS (ct_explain_dialog_parent_class)->finalize (object);
}

static void
ct_explain_dialog_class_init (CtExplainDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ct_explain_dialog_dispose;
  object_class->finalize = ct_explain_dialog_finalize;

  explain_signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ct_explain_dialog_init (CtExplainDialog *self)
{
  self->cancellable = g_cancellable_new ();
}

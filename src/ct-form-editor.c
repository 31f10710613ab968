#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ct-form-editor.h"
#include "ct-format.h"
#include "ct-media-task.h"
#include "ct-player-window.h"
#include "ct-scan-viewer.h"
#include "ct-rules.h"
#include "ct-task.h"
#include "ct-widget-util.h"

typedef struct _Field Field;

typedef struct {
  char    *username;
  char    *display_name;
  char    *cert_number;
  gboolean assistant;
} Officer;

struct _CtFormEditor
{
  AdwWindow parent_instance;

  /* template children */
  AdwWindowTitle      *window_title;
  GtkButton           *save_button;
  GtkStack            *save_stack;
  GtkSpinner          *save_spinner;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  AdwPreferencesPage  *page;
  AdwPreferencesGroup *intro_group;
  GtkLabel            *summary_label;

  CtStore              *store;
  CtSession            *session;
  const CtFormTemplate *tmpl;
  GCancellable         *cancellable;
  gint64                case_id;
  char                 *case_number;
  CtParty               party;       /* copied from the case, to prefill */
  GPtrArray            *officers;    /* Officer* of the case */
  GPtrArray            *clips;       /* CtClip* of this form, once read */
  GtkWindow            *player;      /* weak: the player a clip's Play opened last */

  GPtrArray            *fields;      /* Field* in template order */
  GHashTable           *widgets;     /* key → GtkWidget (borrowed) */
  AdwPreferencesGroup  *group;       /* where the next simple field goes */
  gboolean              ready;
  gboolean              busy;
  gboolean              updating;    /* setting widgets from values */
  gboolean              show_missing;
  gboolean              has_invalid;
};

struct _Field
{
  CtFormEditor     *editor;        /* unowned */
  const CtFieldDef *def;
  GtkWidget        *row;           /* an AdwPreferencesRow, or NULL for grouped fields */
  AdwPreferencesGroup *own_group;  /* party and officers have their own group */
  GtkWidget        *note_row;
  GtkImage         *note_icon;
  GtkLabel         *note_label;
  char             *problem;       /* shown problem, or NULL */
  gboolean          touched;

  GtkEditable      *entry;         /* text, date, datetime, money, number */
  GtkTextBuffer    *buffer;        /* multiline */
  GtkSwitch        *toggle;        /* boolean */
  AdwComboRow      *combo;         /* choice; party kind */
  GPtrArray        *checks;        /* officers: GtkCheckButton*, "username" data */
  GHashTable       *members;       /* party: member → GtkEditable */
  GtkWidget        *legal_rep_row; /* party */
  AdwEntryRow      *id_row;        /* party */
  JsonObject       *party_kept;    /* party: the loaded object, for members not edited here */
  JsonArray        *signatures;    /* signature */
  GtkWidget        *sign_button;
  GtkWidget        *unsign_button;
  JsonNode         *kept;          /* clip: the loaded value, kept as it is */
  GPtrArray        *clip_rows;     /* clip: a row per clip, in the expander row */
  GtkCalendar      *calendar;      /* date */
  GtkPopover       *popover;       /* date */
};

G_DEFINE_FINAL_TYPE (CtFormEditor, ct_form_editor, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The party's particulars edited here, in order. */
static const char * const party_members[] = { "name", "id_number", "address", "contact", "legal_rep", NULL };

static void update_validation (CtFormEditor *self);

static void
officer_free (Officer *officer)
{
  g_free (officer->username);
  g_free (officer->display_name);
  g_free (officer->cert_number);
  g_free (officer);
}

static void
field_free (Field *field)
{
  g_clear_pointer (&field->problem, g_free);
  g_clear_pointer (&field->checks, g_ptr_array_unref);
  g_clear_pointer (&field->members, g_hash_table_unref);
  g_clear_pointer (&field->party_kept, json_object_unref);
  g_clear_pointer (&field->signatures, json_array_unref);
  g_clear_pointer (&field->kept, json_node_unref);
  g_clear_pointer (&field->clip_rows, g_ptr_array_unref);
  g_free (field);
}

/* ---- public ----------------------------------------------------------------------------- */

const char *
ct_form_editor_get_template_id (CtFormEditor *self)
{
  g_return_val_if_fail (CT_IS_FORM_EDITOR (self), NULL);

  return self->tmpl->id;
}

gboolean
ct_form_editor_get_ready (CtFormEditor *self)
{
  g_return_val_if_fail (CT_IS_FORM_EDITOR (self), FALSE);

  return self->ready;
}

GtkWidget *
ct_form_editor_get_widget (CtFormEditor *self,
                           const char   *key)
{
  g_return_val_if_fail (CT_IS_FORM_EDITOR (self), NULL);

  return key != NULL ? g_hash_table_lookup (self->widgets, key) : NULL;
}

static Field *
find_field (CtFormEditor *self,
            const char   *field_id)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      if (g_strcmp0 (field->def->id, field_id) == 0)
        return field;
    }
  return NULL;
}

const char *
ct_form_editor_get_problem (CtFormEditor *self,
                            const char   *field_id)
{
  Field *field;

  g_return_val_if_fail (CT_IS_FORM_EDITOR (self), NULL);

  field = find_field (self, field_id);
  return field != NULL ? field->problem : NULL;
}

/* ---- values ↔ text ------------------------------------------------------------------------- */

static char *
stripped_text (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

/* "YYYY-MM-DD HH:MM[:SS]" in local time (or any ISO 8601 form) → ISO 8601
 * with the offset; text that does not parse is passed on as it is, so the
 * template's validation names the problem. */
static char *
datetime_to_iso (const char *text)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *iso = g_strdup (text);
  size_t len = strlen (iso);

  if (len > 10 && iso[10] == ' ')
    iso[10] = 'T';
  /* GLib wants seconds: "…T09:30" → "…T09:30:00". */
  if (len == 16 && iso[10] == 'T' && iso[13] == ':')
    {
      g_autofree char *with_seconds = g_strconcat (iso, ":00", NULL);
      g_free (iso);
      iso = g_steal_pointer (&with_seconds);
    }

  dt = g_date_time_new_from_iso8601 (iso, local);
  if (dt == NULL)
    return g_strdup (text);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S%:z");
}

static char *
iso_to_display (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);
  g_autoptr(GDateTime) local = NULL;

  if (dt == NULL)
    return g_strdup (iso);
  local = g_date_time_to_local (dt);
  return g_date_time_format (local, g_date_time_get_second (local) != 0 ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M");
}

static char *
now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S%:z");
}

static JsonNode *
number_node (const char *text)
{
  char *end = NULL;
  gint64 n;
  double d;

  errno = 0;
  n = g_ascii_strtoll (text, &end, 10);
  if (end != text && *end == '\0' && errno == 0)
    return json_node_init_int (json_node_alloc (), n);
  d = g_ascii_strtod (text, &end);
  if (end != text && *end == '\0')
    return json_node_init_double (json_node_alloc (), d);
  return json_node_init_string (json_node_alloc (), text);
}

static char *
node_to_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

static const char *
officer_display_name (CtFormEditor *self,
                      const char   *username)
{
  for (guint i = 0; i < self->officers->len; i++)
    {
      const Officer *officer = g_ptr_array_index (self->officers, i);
      if (g_strcmp0 (officer->username, username) == 0)
        return officer->display_name;
    }
  if (self->session != NULL && g_strcmp0 (ct_session_get_username (self->session), username) == 0)
    return ct_session_get_display_name (self->session);
  return NULL;
}

static const char *
session_username (CtFormEditor *self)
{
  return self->session != NULL ? ct_session_get_username (self->session) : NULL;
}

/* Collects one field's value; NULL when it is empty. */
static JsonNode *
field_value (Field *field)
{
  g_autofree char *text = NULL;

  switch (field->def->type)
    {
    case CT_FIELD_TEXT:
    case CT_FIELD_DATE:
    case CT_FIELD_MONEY:
      text = stripped_text (field->entry);
      if (text[0] == '\0')
        return NULL;
      return json_node_init_string (json_node_alloc (), text);

    case CT_FIELD_DATETIME:
      {
        g_autofree char *iso = NULL;

        text = stripped_text (field->entry);
        if (text[0] == '\0')
          return NULL;
        iso = datetime_to_iso (text);
        return json_node_init_string (json_node_alloc (), iso);
      }

    case CT_FIELD_NUMBER:
      text = stripped_text (field->entry);
      if (text[0] == '\0')
        return NULL;
      return number_node (text);

    case CT_FIELD_MULTILINE:
      {
        GtkTextIter start, end;
        g_autofree char *all = NULL;

        gtk_text_buffer_get_bounds (field->buffer, &start, &end);
        all = gtk_text_buffer_get_text (field->buffer, &start, &end, FALSE);
        text = g_strdup (all);
        if (g_strstrip (text)[0] == '\0')
          return NULL;
        /* Keep the writer's line breaks, drop trailing blank space. */
        return json_node_init_string (json_node_alloc (), g_strchomp (all));
      }

    case CT_FIELD_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), gtk_switch_get_active (field->toggle));

    case CT_FIELD_CHOICE:
      {
        guint selected = adw_combo_row_get_selected (field->combo);
        const CtFormChoice *choice;

        /* Item 0 is "not chosen". */
        if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > field->def->choices->len)
          return NULL;
        choice = g_ptr_array_index (field->def->choices, selected - 1);
        return json_node_init_string (json_node_alloc (), choice->id);
      }

    case CT_FIELD_OFFICERS:
      {
        g_autoptr(JsonArray) array = json_array_new ();

        for (guint i = 0; i < field->checks->len; i++)
          {
            GtkCheckButton *check = g_ptr_array_index (field->checks, i);
            if (gtk_check_button_get_active (check))
              json_array_add_string_element (array, g_object_get_data (G_OBJECT (check), "username"));
          }
        if (json_array_get_length (array) == 0)
          return NULL;
        return json_node_init_array (json_node_alloc (), array);
      }

    case CT_FIELD_PARTY:
      {
        g_autoptr(JsonObject) obj = json_object_new ();
        guint kind = adw_combo_row_get_selected (field->combo);
        gboolean any = FALSE;

        if (field->party_kept != NULL)
          {
            g_autoptr(GList) members = json_object_get_members (field->party_kept);

            for (GList *l = members; l != NULL; l = l->next)
              if (!g_strv_contains (party_members, l->data) && g_strcmp0 (l->data, "kind") != 0)
                json_object_set_member (obj, l->data,
                                        json_node_copy (json_object_get_member (field->party_kept, l->data)));
          }

        for (guint i = 0; party_members[i] != NULL; i++)
          {
            GtkEditable *editable = g_hash_table_lookup (field->members, party_members[i]);
            g_autofree char *value = stripped_text (editable);

            if (g_str_equal (party_members[i], "legal_rep") &&
                !gtk_widget_get_visible (field->legal_rep_row))
              continue;
            if (value[0] != '\0')
              {
                json_object_set_string_member (obj, party_members[i], value);
                any = TRUE;
              }
          }
        if (!any)
          return NULL;
        if (kind != GTK_INVALID_LIST_POSITION && ct_party_kinds ()[kind].id != NULL)
          json_object_set_string_member (obj, "kind", ct_party_kinds ()[kind].id);
        return json_node_init_object (json_node_alloc (), obj);
      }

    case CT_FIELD_SIGNATURE:
      if (json_array_get_length (field->signatures) == 0)
        return NULL;
      return json_node_init_array (json_node_alloc (), field->signatures);

    case CT_FIELD_CLIP:
    case CT_FIELD_SCAN:
      return field->kept != NULL ? json_node_copy (field->kept) : NULL;

    default:
      return NULL;
    }
}

JsonObject *
ct_form_editor_collect (CtFormEditor *self)
{
  JsonObject *values = json_object_new ();

  g_return_val_if_fail (CT_IS_FORM_EDITOR (self), values);

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      JsonNode *node = field_value (field);

      if (node != NULL)
        json_object_set_member (values, field->def->id, node);
    }

  return values;
}

/* ---- required, live ------------------------------------------------------------------------- */

/* Whether @def is required for @values: unconditionally, or because its
 * controlling field has one of the listed values (and, when that field is
 * itself conditional, its own condition holds too). */
static gboolean
field_required (const CtFormTemplate *tmpl,
                const CtFieldDef     *def,
                JsonObject           *values,
                guint                 depth)
{
  const CtFieldDef *control;
  g_autofree char *text = NULL;

  if (def->required)
    return TRUE;
  if (def->required_when_field == NULL || depth > 8)
    return FALSE;

  control = ct_form_template_get_field (tmpl, def->required_when_field);
  if (control == NULL)
    return FALSE;

  text = node_to_text (json_object_get_member (values, def->required_when_field));
  if (text == NULL || def->required_when_equals == NULL ||
      !g_strv_contains ((const char * const *) def->required_when_equals, text))
    return FALSE;

  return control->required_when_field == NULL || field_required (tmpl, control, values, depth + 1);
}

static void
set_field_title (Field    *field,
                 gboolean  required)
{
  const char *label = ct_field_def_display_label (field->def);
  g_autofree char *title = required ? g_strdup_printf (_("%s *"), label) : g_strdup (label);

  if (field->own_group != NULL)
    adw_preferences_group_set_title (field->own_group, title);
  else if (field->row != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), title);
}

/* A hint for the field when nothing is wrong with it. */
static char *
field_hint (Field *field)
{
  const CtFieldDef *def = field->def;
  const char *format = NULL;
  g_autofree char *count = NULL;

  switch (def->type)
    {
    case CT_FIELD_DATE:
      format = _("Format: YYYY-MM-DD");
      break;
    case CT_FIELD_DATETIME:
      format = _("Format: YYYY-MM-DD HH:MM, local time");
      break;
    case CT_FIELD_MONEY:
      format = _("In yuan, with at most two decimals, e.g. 1500.00");
      break;
    case CT_FIELD_OFFICERS:
      if (def->min_count > 1)
        count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Check at least %u officer",
                                              "Check at least %u officers", def->min_count),
                                 def->min_count);
      format = count;
      break;
    case CT_FIELD_SIGNATURE:
      if (def->min_count > 1)
        count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "At least %u signature",
                                              "At least %u signatures", def->min_count),
                                 def->min_count);
      format = count;
      break;
    case CT_FIELD_CLIP:
      format = _("Clips are attached from the player: open the recording on the case's Media page, mark "
                 "the in and out points and choose Attach Clip.");
      break;
    case CT_FIELD_SCAN:
      format = _("Scanned documents are attached from the case's Media page: import the scan, open it and "
                 "choose Attach to Step.");
      break;
    default:
      break;
    }

  if (def->help != NULL && format != NULL)
    /* Translators: a field's help text, then its format */
    return g_strdup_printf (_("%s\n%s"), def->help, format);
  if (def->help != NULL)
    return g_strdup (def->help);
  return g_strdup (format);
}

static void
show_note (Field      *field,
           const char *text,
           const char *icon_name,
           const char *style)
{
  static const char * const styles[] = { "error", "warning", "dim-label", NULL };

  if (field->note_row == NULL)
    return;

  for (guint i = 0; styles[i] != NULL; i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (field->note_label), styles[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (field->note_icon), styles[i]);
    }

  if (text == NULL || text[0] == '\0')
    {
      gtk_widget_set_visible (field->note_row, FALSE);
      return;
    }

  gtk_label_set_label (field->note_label, text);
  gtk_image_set_from_icon_name (field->note_icon, icon_name);
  gtk_widget_add_css_class (GTK_WIDGET (field->note_label), style);
  gtk_widget_add_css_class (GTK_WIDGET (field->note_icon), style);
  gtk_widget_set_visible (field->note_row, TRUE);
}

static void
update_validation (CtFormEditor *self)
{
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  guint n_missing = 0;

  if (self->tmpl == NULL || self->fields->len == 0)
    return;

  values = ct_form_editor_collect (self);
  problems = ct_form_validate (self->tmpl, values);
  self->has_invalid = FALSE;

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      const CtFormProblem *problem = NULL;
      g_autofree char *hint = NULL;

      for (guint p = 0; p < problems->len; p++)
        {
          const CtFormProblem *candidate = g_ptr_array_index (problems, p);
          if (g_strcmp0 (candidate->field_id, field->def->id) == 0)
            {
              problem = candidate;
              break;
            }
        }

      set_field_title (field, field_required (self->tmpl, field->def, values, 0));
      g_clear_pointer (&field->problem, g_free);

      if (problem != NULL && problem->kind == CT_FORM_PROBLEM_MISSING)
        n_missing++;

      if (problem != NULL && problem->kind != CT_FORM_PROBLEM_MISSING)
        {
          self->has_invalid = TRUE;
          /* The entry takes local time and adds the offset itself, so ask
           * for what it takes rather than for ISO 8601. */
          if (field->def->type == CT_FIELD_DATETIME && problem->kind == CT_FORM_PROBLEM_INVALID)
            /* Translators: %s is a form field's label */
            field->problem = g_strdup_printf (_("“%s”: enter a date and time as YYYY-MM-DD HH:MM, e.g. 2026-03-02 09:30."),
                                              ct_field_def_display_label (field->def));
          else
            field->problem = g_strdup (problem->message);
          show_note (field, field->problem, "dialog-error-symbolic", "error");
        }
      else if (problem != NULL && (field->touched || self->show_missing))
        {
          field->problem = g_strdup (problem->message);
          show_note (field, problem->message, "dialog-warning-symbolic", "warning");
        }
      else
        {
          hint = field_hint (field);
          show_note (field, hint, "dialog-information-symbolic", "dim-label");
        }

      if (field->entry != NULL && ADW_IS_ENTRY_ROW (field->entry))
        {
          if (problem != NULL && problem->kind != CT_FORM_PROBLEM_MISSING)
            gtk_widget_add_css_class (GTK_WIDGET (field->entry), "error");
          else
            gtk_widget_remove_css_class (GTK_WIDGET (field->entry), "error");
        }
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "error");
  if (self->has_invalid)
    {
      gtk_label_set_label (self->summary_label, _("Fix the fields marked in red"));
      gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "error");
    }
  else if (n_missing > 0)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u required field is empty",
                                      "%u required fields are empty", n_missing),
                         n_missing);
      gtk_label_set_label (self->summary_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "warning");
    }
  else
    {
      gtk_label_set_label (self->summary_label, C_("form", "Complete"));
      gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "success");
    }

  /* Wrong types are refused by the store; missing values are not (the
   * form is then kept as incomplete). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 self->ready && !self->busy && !self->has_invalid);
}

static void
field_changed (Field *field)
{
  CtFormEditor *self = field->editor;

  if (self->updating)
    return;

  field->touched = TRUE;
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  update_validation (self);
}

/* ---- building the widgets ------------------------------------------------------------------------ */

static AdwPreferencesGroup *
current_group (CtFormEditor *self)
{
  if (self->group == NULL)
    {
      self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_page_add (self->page, self->group);
    }
  return self->group;
}

static void
add_note_row (Field               *field,
              AdwPreferencesGroup *group)
{
  GtkWidget *row = g_object_new (ADW_TYPE_PREFERENCES_ROW,
                                 "activatable", FALSE,
                                 "selectable", FALSE,
                                 "visible", FALSE,
                                 NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (row, "ct-note");
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  field->note_row = row;
  field->note_icon = GTK_IMAGE (icon);
  field->note_label = GTK_LABEL (label);
  adw_preferences_group_add (group, row);
}

static char *
basis_text (GPtrArray *basis)
{
  g_autoptr(GString) s = g_string_new (NULL);

  if (basis == NULL)
    return NULL;
  for (guint i = 0; i < basis->len; i++)
    {
      const CtCitation *c = g_ptr_array_index (basis, i);

      g_autofree char *article = c->document != NULL
        ? g_strdup_printf ("《%s》%s", c->document, c->article) : g_strdup (c->article);
      CtBasis b = { c->file, article, c->clause };
      g_autofree char *text = ct_basis_format (&b);

      if (s->len > 0)
        g_string_append (s, _("; "));
      g_string_append (s, text);
    }
  return s->len > 0 ? g_string_free (g_steal_pointer (&s), FALSE) : NULL;
}

static void
set_basis_tooltip (Field     *field,
                   GtkWidget *widget)
{
  g_autofree char *basis = basis_text (field->def->basis);
  g_autofree char *tooltip = NULL;

  if (basis == NULL)
    return;
  /* Translators: tooltip of a form field: the rules it comes from */
  tooltip = g_strdup_printf (_("Basis: %s"), basis);
  gtk_widget_set_tooltip_text (widget, tooltip);
}

static void
on_editable_changed (GtkEditable *editable,
                     Field       *field)
{
  field_changed (field);
}

static void
on_buffer_changed (GtkTextBuffer *buffer,
                   Field         *field)
{
  field_changed (field);
}

static void
on_switch_active (GtkSwitch  *toggle,
                  GParamSpec *pspec,
                  Field      *field)
{
  field_changed (field);
}

static void
on_combo_selected (AdwComboRow *combo,
                   GParamSpec  *pspec,
                   Field       *field)
{
  field_changed (field);
}

static void
on_check_toggled (GtkCheckButton *check,
                  Field          *field)
{
  field_changed (field);
}

static void
on_day_selected (GtkCalendar *calendar,
                 Field       *field)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");

  gtk_editable_set_text (field->entry, text);
  gtk_popover_popdown (field->popover);
}

static void
on_calendar_shown (GtkPopover *popover,
                   Field      *field)
{
  g_autofree char *text = stripped_text (field->entry);
  g_autofree char *iso = g_strconcat (text, "T00:00:00", NULL);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 (iso, local);

  if (date == NULL)
    date = g_date_time_new_now_local ();
  g_signal_handlers_block_by_func (field->calendar, on_day_selected, field);
  gtk_calendar_select_day (field->calendar, date);
  g_signal_handlers_unblock_by_func (field->calendar, on_day_selected, field);
}

static GtkWidget *
add_entry_field (CtFormEditor *self,
                 Field        *field)
{
  GtkWidget *row = adw_entry_row_new ();
  AdwPreferencesGroup *group = current_group (self);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  field->row = row;
  field->entry = GTK_EDITABLE (row);

  switch (field->def->type)
    {
    case CT_FIELD_DATE:
      {
        GtkWidget *button = gtk_menu_button_new ();
        GtkWidget *popover = gtk_popover_new ();
        GtkWidget *calendar = gtk_calendar_new ();

        gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
        gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
        gtk_widget_add_css_class (button, "flat");
        gtk_widget_set_tooltip_text (button, _("Pick a Date"));
        gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pick a Date"), -1);
        gtk_popover_set_child (GTK_POPOVER (popover), calendar);
        gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
        field->calendar = GTK_CALENDAR (calendar);
        field->popover = GTK_POPOVER (popover);
        g_signal_connect (calendar, "day-selected", G_CALLBACK (on_day_selected), field);
        g_signal_connect (popover, "show", G_CALLBACK (on_calendar_shown), field);
        adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);
        break;
      }
    case CT_FIELD_DATETIME:
      {
        GtkWidget *button = gtk_button_new_with_label (C_("time", "Now"));
        g_autofree char *target = g_strdup (field->def->id);

        gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
        gtk_widget_add_css_class (button, "flat");
        gtk_widget_set_tooltip_text (button, _("Fill in the current time"));
        gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "editor.now");
        gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
        adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);
        break;
      }
    case CT_FIELD_MONEY:
      {
        GtkWidget *unit = gtk_label_new (C_("currency", "yuan"));

        gtk_widget_add_css_class (unit, "dim-label");
        adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), unit);
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_NUMBER);
        break;
      }
    case CT_FIELD_NUMBER:
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_NUMBER);
      break;
    default:
      break;
    }

  set_basis_tooltip (field, row);
  g_signal_connect (row, "changed", G_CALLBACK (on_editable_changed), field);
  adw_preferences_group_add (group, row);
  add_note_row (field, group);
  return row;
}

static GtkWidget *
add_multiline_field (CtFormEditor *self,
                     Field        *field)
{
  AdwPreferencesGroup *group = current_group (self);
  GtkWidget *row = g_object_new (ADW_TYPE_PREFERENCES_ROW,
                                 "activatable", FALSE,
                                 "selectable", FALSE,
                                 "use-markup", FALSE,
                                 NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "ct-field-title");
  g_object_bind_property (row, "title", title, "label", G_BINDING_SYNC_CREATE);

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_widget_set_size_request (view, -1, 72);
  gtk_widget_add_css_class (view, "ct-text");
  gtk_frame_set_child (GTK_FRAME (frame), view);
  g_object_bind_property (row, "title", view, "tooltip-text", G_BINDING_DEFAULT);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, title, NULL,
                                  -1);

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), frame);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  field->row = row;
  field->buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  set_basis_tooltip (field, title);
  g_signal_connect (field->buffer, "changed", G_CALLBACK (on_buffer_changed), field);
  adw_preferences_group_add (group, row);
  add_note_row (field, group);
  return view;
}

static GtkWidget *
add_boolean_field (CtFormEditor *self,
                   Field        *field)
{
  AdwPreferencesGroup *group = current_group (self);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  field->row = row;
  field->toggle = GTK_SWITCH (toggle);
  set_basis_tooltip (field, row);
  g_signal_connect (toggle, "notify::active", G_CALLBACK (on_switch_active), field);
  adw_preferences_group_add (group, row);
  add_note_row (field, group);
  return toggle;
}

static GtkWidget *
add_choice_field (CtFormEditor *self,
                  Field        *field)
{
  AdwPreferencesGroup *group = current_group (self);
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  gtk_string_list_append (model, C_("choice", "Not chosen"));
  for (guint i = 0; i < field->def->choices->len; i++)
    gtk_string_list_append (model, ct_form_choice_display_label (g_ptr_array_index (field->def->choices, i)));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);
  field->row = row;
  field->combo = ADW_COMBO_ROW (row);
  set_basis_tooltip (field, row);
  g_signal_connect (row, "notify::selected", G_CALLBACK (on_combo_selected), field);
  adw_preferences_group_add (group, row);
  add_note_row (field, group);
  return row;
}

static AdwPreferencesGroup *
add_own_group (CtFormEditor *self,
               Field        *field)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  g_autofree char *basis = basis_text (field->def->basis);

  if (basis != NULL)
    {
      /* Translators: the description of a group of form fields: the rules it comes from */
      g_autofree char *description = g_strdup_printf (_("Basis: %s"), basis);
      adw_preferences_group_set_description (group, description);
    }
  adw_preferences_page_add (self->page, group);
  field->own_group = group;
  /* Fields after this one start a new group. */
  self->group = NULL;
  return group;
}

static GtkWidget *
add_officer_row (CtFormEditor        *self,
                 Field               *field,
                 AdwPreferencesGroup *group,
                 const char          *username,
                 const char          *display_name,
                 const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  g_autofree char *key = g_strconcat (field->def->id, ".", username, NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), display_name != NULL ? display_name : username);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_object_set_data_full (G_OBJECT (check), "username", g_strdup (username), g_free);
  g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled), field);
  g_ptr_array_add (field->checks, check);
  g_hash_table_insert (self->widgets, g_steal_pointer (&key), check);
  adw_preferences_group_add (group, row);
  return check;
}

static GtkWidget *
add_officers_field (CtFormEditor *self,
                    Field        *field)
{
  AdwPreferencesGroup *group = add_own_group (self, field);

  field->checks = g_ptr_array_new ();
  for (guint i = 0; i < self->officers->len; i++)
    {
      const Officer *officer = g_ptr_array_index (self->officers, i);
      g_autofree char *subtitle = NULL;

      if (officer->assistant)
        /* Translators: an officer in a form: "username · Assistant" */
        subtitle = g_strdup_printf (_("%s · Assistant"), officer->username);
      else if (officer->cert_number != NULL && officer->cert_number[0] != '\0')
        /* Translators: an officer in a form: "username · certificate number" */
        subtitle = g_strdup_printf (_("%s · Certificate %s"), officer->username, officer->cert_number);
      else
        subtitle = g_strdup (officer->username);
      add_officer_row (self, field, group, officer->username, officer->display_name, subtitle);
    }
  add_note_row (field, group);
  return NULL;
}

static void
update_party_kind (Field *field)
{
  guint kind = adw_combo_row_get_selected (field->combo);
  gboolean organization = kind != GTK_INVALID_LIST_POSITION &&
                          g_strcmp0 (ct_party_kinds ()[kind].id, "organization") == 0;

  gtk_widget_set_visible (field->legal_rep_row, organization);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->id_row),
                                 organization ? _("Unified social credit code") : _("ID number"));
}

static void
on_party_kind (AdwComboRow *combo,
               GParamSpec  *pspec,
               Field       *field)
{
  update_party_kind (field);
  field_changed (field);
}

static GtkWidget *
add_party_field (CtFormEditor *self,
                 Field        *field)
{
  AdwPreferencesGroup *group = add_own_group (self, field);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  GtkWidget *kind_row = adw_combo_row_new ();
  static const struct {
    const char *member;
    const char *label;
  } labels[] = {
    { "name", N_("Name") },
    { "id_number", N_("ID number") },
    { "address", N_("Address") },
    { "contact", N_("Contact") },
    { "legal_rep", N_("Legal representative") },
  };

  for (guint i = 0; ct_party_kinds ()[i].id != NULL; i++)
    gtk_string_list_append (kinds, _(ct_party_kinds ()[i].label));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (kind_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (kind_row), _("Type"));
  adw_combo_row_set_model (ADW_COMBO_ROW (kind_row), G_LIST_MODEL (kinds));
  field->combo = ADW_COMBO_ROW (kind_row);
  adw_preferences_group_add (group, kind_row);
  {
    g_autofree char *key = g_strconcat (field->def->id, ".kind", NULL);
    g_hash_table_insert (self->widgets, g_steal_pointer (&key), kind_row);
  }

  field->members = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      GtkWidget *row = adw_entry_row_new ();
      g_autofree char *key = g_strconcat (field->def->id, ".", labels[i].member, NULL);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(labels[i].label));
      g_signal_connect (row, "changed", G_CALLBACK (on_editable_changed), field);
      g_hash_table_insert (field->members, (gpointer) labels[i].member, row);
      g_hash_table_insert (self->widgets, g_steal_pointer (&key), row);
      adw_preferences_group_add (group, row);
      if (g_str_equal (labels[i].member, "legal_rep"))
        field->legal_rep_row = row;
      if (g_str_equal (labels[i].member, "id_number"))
        field->id_row = ADW_ENTRY_ROW (row);
    }
  g_signal_connect (kind_row, "notify::selected", G_CALLBACK (on_party_kind), field);
  update_party_kind (field);
  add_note_row (field, group);
  return kind_row;
}

static void
update_signatures (Field *field)
{
  CtFormEditor *self = field->editor;
  g_autoptr(GString) text = g_string_new (NULL);
  const char *me = session_username (self);
  gboolean signed_by_me = FALSE;

  for (guint i = 0; i < json_array_get_length (field->signatures); i++)
    {
      JsonNode *node = json_array_get_element (field->signatures, i);
      JsonObject *sig;
      const char *signer, *at, *name;
      g_autofree char *when = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      sig = json_node_get_object (node);
      signer = json_object_get_string_member_with_default (sig, "signer", "");
      at = json_object_get_string_member_with_default (sig, "signed_at", "");
      name = officer_display_name (self, signer);
      when = iso_to_display (at);
      if (g_strcmp0 (signer, me) == 0)
        signed_by_me = TRUE;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (name != NULL)
        /* Translators: a signature in a form: "name (username) · date time" */
        g_string_append_printf (text, _("%s (%s) · %s"), name, signer, when);
      else
        /* Translators: a signature in a form: "username · date time" */
        g_string_append_printf (text, _("%s · %s"), signer, when);
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (field->row),
                               text->len > 0 ? text->str : _("Not signed yet"));
  gtk_widget_set_visible (field->sign_button, me != NULL && !signed_by_me);
  gtk_widget_set_visible (field->unsign_button, signed_by_me);
}

static GtkWidget *
add_signature_field (CtFormEditor *self,
                     Field        *field)
{
  AdwPreferencesGroup *group = current_group (self);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sign = gtk_button_new_with_mnemonic (_("_Sign"));
  GtkWidget *unsign = gtk_button_new_from_icon_name ("edit-delete-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "document-edit-symbolic");
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  gtk_widget_set_valign (sign, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (sign, _("Sign with your name and the current time"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (sign), "editor.sign");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (sign), "s", field->def->id);

  gtk_widget_set_valign (unsign, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (unsign, "flat");
  gtk_widget_set_tooltip_text (unsign, _("Remove Your Signature"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (unsign),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Your Signature"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (unsign), "editor.unsign");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (unsign), "s", field->def->id);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), unsign);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sign);

  field->row = row;
  field->sign_button = sign;
  field->unsign_button = unsign;
  field->signatures = json_array_new ();
  set_basis_tooltip (field, row);
  update_signatures (field);
  adw_preferences_group_add (group, row);
  add_note_row (field, group);
  return sign;
}

/* A clip of the field: the medium, its range and wall-clock times, Play. */
static GtkWidget *
new_clip_row (const CtClip *clip)
{
  g_autofree char *range = ct_format_clip_range (clip);
  g_autofree char *wall = ct_format_clip_wall (clip);
  g_autofree char *title = g_strdup_printf ("%s · %s", clip->media_name, range);
  g_autofree char *subtitle = clip->label != NULL ? g_strdup_printf ("%s\n%s", wall, clip->label) : g_strdup (wall);

  return ct_widget_clip_row (clip, title, subtitle, "editor.play-clip");
}

static void
update_clip (Field *field)
{
  CtFormEditor *self = field->editor;
  AdwExpanderRow *expander = ADW_EXPANDER_ROW (field->row);
  guint n = 0;

  if (field->kept != NULL)
    n = JSON_NODE_HOLDS_ARRAY (field->kept) ? json_array_get_length (json_node_get_array (field->kept)) : 1;

  if (n == 0)
    adw_expander_row_set_subtitle (expander, _("No recording attached"));
  else
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u recording attached",
                                                            "%u recordings attached", n),
                                               n);
      adw_expander_row_set_subtitle (expander, text);
    }

  /* The clips one by one, once the store has named their media. */
  for (guint i = 0; i < field->clip_rows->len; i++)
    adw_expander_row_remove (expander, field->clip_rows->pdata[i]);
  g_ptr_array_set_size (field->clip_rows, 0);
  for (guint i = 0; self->clips != NULL && i < self->clips->len; i++)
    {
      const CtClip *clip = self->clips->pdata[i];
      GtkWidget *row;

      if (g_strcmp0 (clip->field_id, field->def->id) != 0)
        continue;
      row = new_clip_row (clip);
      adw_expander_row_add_row (expander, row);
      g_ptr_array_add (field->clip_rows, row);
    }
  adw_expander_row_set_enable_expansion (expander, field->clip_rows->len > 0);
  adw_expander_row_set_expanded (expander, field->clip_rows->len > 0);
}

static GtkWidget *
add_clip_field (CtFormEditor *self,
                Field        *field)
{
  AdwPreferencesGroup *group = current_group (self);
  GtkWidget *row = adw_expander_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_expander_row_set_icon_name (ADW_EXPANDER_ROW (row), "camera-video-symbolic");
  field->row = row;
  field->clip_rows = g_ptr_array_new ();
  set_basis_tooltip (field, row);
  update_clip (field);
  adw_preferences_group_add (group, row);
  add_note_row (field, group);
  return row;
}

/* A scanned document of the field: its name, pages and label, View. */
static GtkWidget *
new_scan_row (CtFormEditor *self,
              JsonObject   *scan)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *view = gtk_button_new_with_mnemonic (_("_View"));
  const char *sha256 = json_object_get_string_member_with_default (scan, "media", "");
  const char *pages = json_object_get_string_member_with_default (scan, "pages", NULL);
  const char *label = json_object_get_string_member_with_default (scan, "label", NULL);
  g_autoptr(CtMedia) m = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);

  if (strlen (sha256) >= 8)
    m = ct_store_get_media (self->store, sha256, NULL);
  if (pages != NULL)
    /* Translators: which pages of a scanned document */
    g_string_append_printf (subtitle, _("Pages %s"), pages);
  else if (m != NULL && m->pages > 0)
    g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages", m->pages), m->pages);
  if (label != NULL)
    g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "", label);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 m != NULL ? (m->title != NULL ? m->title : m->original_name) : sha256);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_widget_set_name (row, "scan");

  gtk_widget_set_valign (view, GTK_ALIGN_CENTER);
  gtk_widget_set_name (view, "view-scan");
  if (m != NULL && m->kind == CT_MEDIA_KIND_DOCUMENT && m->case_id == self->case_id && m->disposed_at == NULL)
    {
      gtk_widget_set_tooltip_text (view, _("Show the scanned pages"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (view), "editor.view-scan");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (view), "x", m->id);
    }
  else
    {
      gtk_widget_set_sensitive (view, FALSE);
      gtk_widget_set_tooltip_text (view, _("The evidence store holds no scanned document of this case with this hash."));
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), view);
  return row;
}

static void
update_scan (Field *field)
{
  AdwExpanderRow *expander = ADW_EXPANDER_ROW (field->row);
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  if (field->kept != NULL && JSON_NODE_HOLDS_ARRAY (field->kept))
    {
      JsonArray *a = json_node_get_array (field->kept);
      for (guint i = 0; i < json_array_get_length (a); i++)
        if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (a, i)))
          g_ptr_array_add (entries, json_array_get_object_element (a, i));
    }
  else if (field->kept != NULL && JSON_NODE_HOLDS_OBJECT (field->kept))
    g_ptr_array_add (entries, json_node_get_object (field->kept));

  if (entries->len == 0)
    adw_expander_row_set_subtitle (expander, _("No scanned document attached"));
  else
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u scanned document attached",
                                                            "%u scanned documents attached", entries->len),
                                               entries->len);
      adw_expander_row_set_subtitle (expander, text);
    }
  for (guint i = 0; i < field->clip_rows->len; i++)
    adw_expander_row_remove (expander, field->clip_rows->pdata[i]);
  g_ptr_array_set_size (field->clip_rows, 0);
  for (guint i = 0; i < entries->len; i++)
    {
      GtkWidget *row = new_scan_row (field->editor, entries->pdata[i]);
      adw_expander_row_add_row (expander, row);
      g_ptr_array_add (field->clip_rows, row);
    }
  adw_expander_row_set_enable_expansion (expander, entries->len > 0);
  adw_expander_row_set_expanded (expander, entries->len > 0);
}

static GtkWidget *
add_scan_field (CtFormEditor *self,
                Field        *field)
{
  AdwPreferencesGroup *group = current_group (self);
  GtkWidget *row = adw_expander_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_expander_row_set_icon_name (ADW_EXPANDER_ROW (row), "x-office-document-symbolic");
  field->row = row;
  field->clip_rows = g_ptr_array_new ();
  set_basis_tooltip (field, row);
  update_scan (field);
  adw_preferences_group_add (group, row);
  add_note_row (field, group);
  return row;
}

static void
build_fields (CtFormEditor *self)
{
  for (guint i = 0; i < self->tmpl->fields->len; i++)
    {
      Field *field = g_new0 (Field, 1);
      GtkWidget *widget = NULL;

      field->editor = self;
      field->def = g_ptr_array_index (self->tmpl->fields, i);
      g_ptr_array_add (self->fields, field);

      switch (field->def->type)
        {
        case CT_FIELD_TEXT:
        case CT_FIELD_DATE:
        case CT_FIELD_DATETIME:
        case CT_FIELD_MONEY:
        case CT_FIELD_NUMBER:
          widget = add_entry_field (self, field);
          break;
        case CT_FIELD_MULTILINE:
          widget = add_multiline_field (self, field);
          break;
        case CT_FIELD_BOOLEAN:
          widget = add_boolean_field (self, field);
          break;
        case CT_FIELD_CHOICE:
          widget = add_choice_field (self, field);
          break;
        case CT_FIELD_OFFICERS:
          widget = add_officers_field (self, field);
          break;
        case CT_FIELD_PARTY:
          widget = add_party_field (self, field);
          break;
        case CT_FIELD_SIGNATURE:
          widget = add_signature_field (self, field);
          break;
        case CT_FIELD_CLIP:
          widget = add_clip_field (self, field);
          break;
        case CT_FIELD_SCAN:
          widget = add_scan_field (self, field);
          break;
        default:
          g_warn_if_reached ();
          break;
        }

      set_field_title (field, field->def->required);
      if (widget != NULL)
        g_hash_table_insert (self->widgets, g_strdup (field->def->id), widget);
    }
}

/* ---- loading values into the widgets ---------------------------------------------------------------- */

static void
set_editable (GtkEditable *editable,
              const char  *text)
{
  gtk_editable_set_text (editable, text != NULL ? text : "");
}

static void
prefill_party (CtFormEditor *self,
               Field        *field)
{
  const CtParty *party = &self->party;

  for (guint i = 0; ct_party_kinds ()[i].id != NULL; i++)
    if (g_strcmp0 (ct_party_kinds ()[i].id, party->kind) == 0)
      adw_combo_row_set_selected (field->combo, i);
  update_party_kind (field);
  set_editable (g_hash_table_lookup (field->members, "name"), party->name);
  set_editable (g_hash_table_lookup (field->members, "id_number"), party->id_number);
  set_editable (g_hash_table_lookup (field->members, "address"), party->address);
  set_editable (g_hash_table_lookup (field->members, "contact"), party->contact);
  set_editable (g_hash_table_lookup (field->members, "legal_rep"), party->legal_rep);
}

static void
load_field (Field    *field,
            JsonNode *node)
{
  CtFormEditor *self = field->editor;
  g_autofree char *text = node_to_text (node);

  switch (field->def->type)
    {
    case CT_FIELD_TEXT:
    case CT_FIELD_DATE:
    case CT_FIELD_MONEY:
    case CT_FIELD_NUMBER:
      set_editable (field->entry, text);
      break;

    case CT_FIELD_DATETIME:
      {
        g_autofree char *display = text != NULL ? iso_to_display (text) : NULL;
        set_editable (field->entry, display);
        break;
      }

    case CT_FIELD_MULTILINE:
      gtk_text_buffer_set_text (field->buffer, text != NULL ? text : "", -1);
      break;

    case CT_FIELD_BOOLEAN:
      gtk_switch_set_active (field->toggle, g_strcmp0 (text, "true") == 0);
      break;

    case CT_FIELD_CHOICE:
      adw_combo_row_set_selected (field->combo, 0);
      for (guint i = 0; text != NULL && i < field->def->choices->len; i++)
        if (g_strcmp0 (((CtFormChoice *) g_ptr_array_index (field->def->choices, i))->id, text) == 0)
          adw_combo_row_set_selected (field->combo, i + 1);
      break;

    case CT_FIELD_OFFICERS:
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              const char *username = json_array_get_string_element (array, i);
              gboolean found = FALSE;

              if (username == NULL)
                continue;
              for (guint c = 0; c < field->checks->len; c++)
                {
                  GtkCheckButton *check = g_ptr_array_index (field->checks, c);
                  if (g_strcmp0 (g_object_get_data (G_OBJECT (check), "username"), username) == 0)
                    {
                      gtk_check_button_set_active (check, TRUE);
                      found = TRUE;
                    }
                }
              /* Someone named in the saved form who is no longer an
               * officer of the case: keep them, visibly. */
              if (!found)
                {
                  GtkWidget *check = add_officer_row (self, field, field->own_group, username, NULL,
                                                      _("Not an officer of this case"));
                  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
                }
            }
        }
      break;

    case CT_FIELD_PARTY:
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *obj = json_node_get_object (node);
          const char *kind = json_object_get_string_member_with_default (obj, "kind", NULL);

          g_clear_pointer (&field->party_kept, json_object_unref);
          field->party_kept = json_object_ref (obj);
          for (guint i = 0; ct_party_kinds ()[i].id != NULL; i++)
            if (g_strcmp0 (ct_party_kinds ()[i].id, kind) == 0)
              adw_combo_row_set_selected (field->combo, i);
          update_party_kind (field);
          for (guint i = 0; party_members[i] != NULL; i++)
            {
              JsonNode *member = json_object_get_member (obj, party_members[i]);
              g_autofree char *value = node_to_text (member);
              set_editable (g_hash_table_lookup (field->members, party_members[i]), value);
            }
        }
      else
        prefill_party (self, field);
      break;

    case CT_FIELD_SIGNATURE:
      g_clear_pointer (&field->signatures, json_array_unref);
      field->signatures = json_array_new ();
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          for (guint i = 0; i < json_array_get_length (array); i++)
            json_array_add_element (field->signatures, json_node_copy (json_array_get_element (array, i)));
        }
      else if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        json_array_add_element (field->signatures, json_node_copy (node));
      update_signatures (field);
      break;

    case CT_FIELD_CLIP:
      g_clear_pointer (&field->kept, json_node_unref);
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
        field->kept = json_node_copy (node);
      update_clip (field);
      break;

    case CT_FIELD_SCAN:
      g_clear_pointer (&field->kept, json_node_unref);
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
        field->kept = json_node_copy (node);
      update_scan (field);
      break;

    default:
      break;
    }
}

static void
load_values (CtFormEditor *self,
             JsonObject   *values)
{
  self->updating = TRUE;
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      load_field (field, values != NULL ? json_object_get_member (values, field->def->id) : NULL);
    }
  self->updating = FALSE;

  /* A form saved before shows what it still lacks at once. */
  self->show_missing = values != NULL;
}

static void
get_form_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CtFormEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) values = NULL;

  values = ct_task_get_form_finish (CT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (self->spinner, FALSE);

  if (values == NULL && !g_error_matches (error, CT_ERROR, CT_ERROR_NOT_FOUND))
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  load_values (self, values);
  self->ready = TRUE;
  gtk_stack_set_visible_child_name (self->stack, "form");
  update_validation (self);
}

static void
clips_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CtFormEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *clips = ct_media_task_clips_finish (CT_STORE (object), result, &error);

  if (clips == NULL)
    {
      /* The form still shows how many clips it holds. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not list the clips of the form: %s", error->message);
      return;
    }
  g_clear_pointer (&self->clips, g_ptr_array_unref);
  self->clips = clips;
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      if (field->def->type == CT_FIELD_CLIP)
        update_clip (field);
    }
}

GtkWidget *
ct_form_editor_get_clip_row (CtFormEditor *self,
                             const char   *field_id,
                             guint         index)
{
  Field *field;

  g_return_val_if_fail (CT_IS_FORM_EDITOR (self), NULL);
  field = find_field (self, field_id);
  if (field == NULL || field->clip_rows == NULL || index >= field->clip_rows->len)
    return NULL;
  return field->clip_rows->pdata[index];
}

GtkWindow *
ct_form_editor_get_player (CtFormEditor *self)
{
  g_return_val_if_fail (CT_IS_FORM_EDITOR (self), NULL);
  return self->player;
}

/* ---- actions ------------------------------------------------------------------------------------------ */

static void
set_busy (CtFormEditor *self,
          gboolean      busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->save_spinner, busy);
  gtk_stack_set_visible_child_name (self->save_stack, busy ? "busy" : "label");
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), !busy);
  update_validation (self);
}

static void
save_form_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CtFormEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ct_task_save_form_finish (CT_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      gtk_label_set_label (self->error_label, error->message);
      gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
      return;
    }

  set_busy (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->tmpl->id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CtFormEditor *self = CT_FORM_EDITOR (widget);
  g_autoptr(JsonObject) values = NULL;

  if (!self->ready || self->busy || self->session == NULL)
    return;

  self->show_missing = TRUE;
  update_validation (self);
  if (self->has_invalid)
    return;

  values = ct_form_editor_collect (self);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  ct_widget_drop_focus (GTK_WIDGET (self->page));
  set_busy (self, TRUE);
  ct_task_save_form_async (self->store, self->session, self->case_id, self->tmpl->id, values,
                           self->cancellable, save_form_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
sign_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CtFormEditor *self = CT_FORM_EDITOR (widget);
  Field *field = find_field (self, g_variant_get_string (parameter, NULL));
  g_autoptr(JsonObject) sig = NULL;
  g_autofree char *now = NULL;

  if (field == NULL || field->def->type != CT_FIELD_SIGNATURE || session_username (self) == NULL)
    return;

  /* What the form records; the cryptographic approval of a form is a
   * separate step (Approvals in the case view). */
  now = now_iso ();
  sig = json_object_new ();
  json_object_set_string_member (sig, "signer", session_username (self));
  json_object_set_string_member (sig, "signed_at", now);
  json_array_add_object_element (field->signatures, g_steal_pointer (&sig));
  update_signatures (field);
  field_changed (field);
}

static void
unsign_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CtFormEditor *self = CT_FORM_EDITOR (widget);
  Field *field = find_field (self, g_variant_get_string (parameter, NULL));
  const char *me = session_username (self);
  g_autoptr(JsonArray) kept = json_array_new ();

  if (field == NULL || field->def->type != CT_FIELD_SIGNATURE)
    return;

  for (guint i = 0; i < json_array_get_length (field->signatures); i++)
    {
      JsonNode *node = json_array_get_element (field->signatures, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node), "signer", NULL), me) == 0)
        continue;
      json_array_add_element (kept, json_node_copy (node));
    }
  g_clear_pointer (&field->signatures, json_array_unref);
  field->signatures = g_steal_pointer (&kept);
  update_signatures (field);
  field_changed (field);
}

static void
now_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CtFormEditor *self = CT_FORM_EDITOR (widget);
  Field *field = find_field (self, g_variant_get_string (parameter, NULL));
  g_autofree char *now = NULL;
  g_autofree char *text = NULL;

  if (field == NULL || field->entry == NULL)
    return;
  now = now_iso ();
  text = iso_to_display (now);
  gtk_editable_set_text (field->entry, text);
}

typedef struct {
  CtFormEditor *editor;
  gint64        start_ms;
  gint64        end_ms;
} PlayClip;

static void
play_clip_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PlayClip *clip = user_data;
  g_autoptr(CtFormEditor) self = clip->editor;
  g_autoptr(GError) error = NULL;
  CtPlayerWindow *window = ct_player_window_open_finish (result, &error);
  gint64 start_ms = clip->start_ms, end_ms = clip->end_ms;

  g_free (clip);
  if (window == NULL)
    {
      GtkWidget *dialog;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Cannot Play This Recording"), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_widget_set_name (dialog, "play-error");
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  /* Only to watch: attaching from here would save the form behind this
   * editor's back, and its Save would then drop the new clip. */
  ct_player_window_show_clip (window, start_ms, end_ms);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (GTK_WINDOW (self)));
  if (self->player != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->player), (gpointer *) &self->player);
  self->player = GTK_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->player);
  gtk_window_present (GTK_WINDOW (window));
}

/* (media id, start ms, end ms): opens the recording at the clip's in-point
 * with the marks set to it; the core checks and audits the opening. */
static void
play_clip_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CtFormEditor *self = CT_FORM_EDITOR (widget);
  PlayClip *clip;
  gint64 media_id;

  if (self->session == NULL)
    return;
  clip = g_new0 (PlayClip, 1);
  clip->editor = g_object_ref (self);
  g_variant_get (parameter, "(xxx)", &media_id, &clip->start_ms, &clip->end_ms);
  ct_player_window_open_async (self->store, self->session, media_id, NULL, play_clip_cb, clip);
}

/* A scanned document: opened (permission, audit) by the core; only to
 * read — attaching from here would save the form behind this editor. */
static void
view_scan_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CtFormEditor *self = CT_FORM_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  CtScanViewer *viewer;

  if (self->session == NULL)
    return;
  viewer = ct_scan_viewer_new (self->store, self->session, g_variant_get_int64 (parameter), &error);
  if (viewer == NULL)
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Cannot Show This Document"), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_widget_set_name (dialog, "view-error");
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (viewer), "viewer.attach", FALSE);
  gtk_window_set_transient_for (GTK_WINDOW (viewer), GTK_WINDOW (self));
  gtk_window_set_application (GTK_WINDOW (viewer), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (viewer), TRUE);
  gtk_window_present (GTK_WINDOW (viewer));
}

/* ---- construction -------------------------------------------------------------------------------------- */

static void
show_intro (CtFormEditor *self)
{
  g_autoptr(GString) description = g_string_new (NULL);
  g_autoptr(GString) basis = g_string_new (NULL);
  const char *title = ct_form_template_display_title (self->tmpl);
  GtkWidget *row;

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, self->case_number);
  gtk_window_set_title (GTK_WINDOW (self), title);

  /* The official title is what is printed; show it when the UI is not in
   * Chinese too. */
  adw_preferences_group_set_title (self->intro_group, self->tmpl->title);
  if (g_strcmp0 (title, self->tmpl->title) != 0)
    g_string_append_printf (description, "%s\n", title);
  if (self->tmpl->help != NULL)
    g_string_append_printf (description, "%s\n", self->tmpl->help);
  g_string_append (description, _("Fields marked * are required. A form can be saved before it is complete."));
  adw_preferences_group_set_description (self->intro_group, description->str);

  /* Where the form comes from, one citation a line. */
  for (guint i = 0; self->tmpl->basis != NULL && i < self->tmpl->basis->len; i++)
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();
      g_autofree char *text = NULL;

      g_ptr_array_add (one, g_ptr_array_index (self->tmpl->basis, i));
      text = basis_text (one);
      if (basis->len > 0)
        g_string_append_c (basis, '\n');
      g_string_append (basis, text);
    }
  if (basis->len > 0)
    {
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Legal basis"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), basis->str);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "accessories-dictionary-symbolic");
      adw_preferences_group_add (self->intro_group, row);
    }
}

CtFormEditor *
ct_form_editor_new (CtStore              *store,
                    CtSession            *session,
                    const CtCase         *c,
                    const CtFormTemplate *tmpl)
{
  CtFormEditor *self;

  g_return_val_if_fail (CT_IS_STORE (store), NULL);
  g_return_val_if_fail (c != NULL, NULL);
  g_return_val_if_fail (tmpl != NULL, NULL);

  self = g_object_new (CT_TYPE_FORM_EDITOR, NULL);
  self->store = g_object_ref (store);
  self->session = session != NULL ? ct_session_ref (session) : NULL;
  self->tmpl = tmpl;
  self->case_id = c->id;
  self->case_number = g_strdup (c->number);
  self->party.kind = g_strdup (c->party.kind);
  self->party.name = g_strdup (c->party.name);
  self->party.id_number = g_strdup (c->party.id_number);
  self->party.address = g_strdup (c->party.address);
  self->party.contact = g_strdup (c->party.contact);
  self->party.legal_rep = g_strdup (c->party.legal_rep);
  for (guint i = 0; c->officers != NULL && i < c->officers->len; i++)
    {
      const CtCaseOfficer *o = g_ptr_array_index (c->officers, i);
      Officer *officer = g_new0 (Officer, 1);

      officer->username = g_strdup (o->username);
      officer->display_name = g_strdup (o->display_name);
      officer->cert_number = g_strdup (o->cert_number);
      officer->assistant = o->assistant;
      g_ptr_array_add (self->officers, officer);
    }

  show_intro (self);
  build_fields (self);

  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  ct_task_get_form_async (store, c->id, tmpl->id, self->cancellable, get_form_cb, g_object_ref (self));
  ct_media_task_clips_async (store, c->id, tmpl->id, self->cancellable, clips_cb, g_object_ref (self));

  return self;
}

static void
ct_form_editor_dispose (GObject *object)
{
  CtFormEditor *self = CT_FORM_EDITOR (object);

  /* No more validation while the widgets go away. */
  self->updating = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_hash_table_remove_all (self->widgets);
  if (self->player != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->player), (gpointer *) &self->player);
      self->player = NULL;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_FORM_EDITOR);

  /* The widgets the fields point into are gone now. */
  g_ptr_array_set_size (self->fields, 0);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->session, ct_session_unref);
  g_clear_object (&self->store);
  self->tmpl = NULL;

  G_OBJECT_CLASS (ct_form_editor_parent_class)->dispose (object);
}

static void
ct_form_editor_finalize (GObject *object)
{
  CtFormEditor *self = CT_FORM_EDITOR (object);

  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->widgets, g_hash_table_unref);
  g_clear_pointer (&self->officers, g_ptr_array_unref);
  g_clear_pointer (&self->clips, g_ptr_array_unref);
  g_clear_pointer (&self->case_number, g_free);
  g_clear_pointer (&self->party.kind, g_free);
  g_clear_pointer (&self->party.name, g_free);
  g_clear_pointer (&self->party.id_number, g_free);
  g_clear_pointer (&self->party.address, g_free);
  g_clear_pointer (&self->party.contact, g_free);
  g_clear_pointer (&self->party.legal_rep, g_free);

  G_OBJECT_CLASS (ct_form_editor_parent_class)->finalize (object);
}

static void
ct_form_editor_class_init (CtFormEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_form_editor_dispose;
  object_class->finalize = ct_form_editor_finalize;

  /**
   * CtFormEditor::saved:
   * @template_id: the form's template
   *
   * The form was saved; the editor closes itself afterwards.
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/casetrail/Casetrail/ct-form-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CtFormEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CtFormEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, CtFormEditor, save_stack);
  gtk_widget_class_bind_template_child (widget_class, CtFormEditor, save_spinner);
  gtk_widget_class_bind_template_child (widget_class, CtFormEditor, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, CtFormEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, CtFormEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, CtFormEditor, spinner);
  gtk_widget_class_bind_template_child (widget_class, CtFormEditor, error_page);
  gtk_widget_class_bind_template_child (widget_class, CtFormEditor, page);
  gtk_widget_class_bind_template_child (widget_class, CtFormEditor, intro_group);
  gtk_widget_class_bind_template_child (widget_class, CtFormEditor, summary_label);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.sign", "s", sign_action);
  gtk_widget_class_install_action (widget_class, "editor.unsign", "s", unsign_action);
  gtk_widget_class_install_action (widget_class, "editor.now", "s", now_action);
  gtk_widget_class_install_action (widget_class, "editor.play-clip", "(xxx)", play_clip_action);
  gtk_widget_class_install_action (widget_class, "editor.view-scan", "x", view_scan_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
ct_form_editor_init (CtFormEditor *self)
{
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  self->widgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->officers = g_ptr_array_new_with_free_func ((GDestroyNotify) officer_free);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", FALSE);
}

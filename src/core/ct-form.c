/* ct-form.c — form templates (文书): strict loader, validation of filled
 * values and the canonical record approvals sign
 *
 * See ct-form.h for the value formats and data/forms/README.md for the
 * template format.
 */

#define G_LOG_DOMAIN "casetrail-core"

#include "config.h"

#include <locale.h>
#include <math.h>  /* isfinite(), a macro: no libm needed */
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ct-error.h"
#include "ct-form.h"

#define MAX_MONEY_INTEGER_DIGITS 15      /* up to 999 999 999 999 999.99 yuan */
#define MAX_EXACT_DOUBLE         9007199254740992.0  /* 2^53 */
#define MAX_MIN_COUNT            100

/* ---- field types -------------------------------------------------------------------- */

static const char * const field_type_ids[] = {
  [CT_FIELD_TEXT]      = "text",
  [CT_FIELD_MULTILINE] = "multiline",
  [CT_FIELD_DATE]      = "date",
  [CT_FIELD_DATETIME]  = "datetime",
  [CT_FIELD_MONEY]     = "money",
  [CT_FIELD_NUMBER]    = "number",
  [CT_FIELD_PARTY]     = "party",
  [CT_FIELD_OFFICERS]  = "officers",
  [CT_FIELD_CHOICE]    = "choice",
  [CT_FIELD_BOOLEAN]   = "boolean",
  [CT_FIELD_SIGNATURE] = "signature",
  [CT_FIELD_CLIP]      = "clip",
  [CT_FIELD_SCAN]      = "scan",
};

const char *
ct_field_type_to_id (CtFieldType type)
{
  if ((guint) type < G_N_ELEMENTS (field_type_ids))
    return field_type_ids[type];
  return NULL;
}

gboolean
ct_field_type_from_id (const char  *id,
                       CtFieldType *type)
{
  if (id == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (field_type_ids); i++)
    {
      if (strcmp (field_type_ids[i], id) == 0)
        {
          if (type != NULL)
            *type = (CtFieldType) i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
type_allows_count (CtFieldType type)
{
  return type == CT_FIELD_OFFICERS || type == CT_FIELD_SIGNATURE || type == CT_FIELD_CLIP ||
         type == CT_FIELD_SCAN;
}

/* Every stage id a procedure uses (keep in step with ct_case_stages()). */
static const char * const known_stages[] = {
  "filing", "investigation", "rights_notice", "hearing", "legal_review",
  "collective_discussion", "decision", "service", "enforcement", "archive",
  "on_the_spot",
  "notice", "inspection", "report",
  "measure",
  "acceptance", "conclusion",
};

static gboolean
is_known_stage (const char *stage)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_stages); i++)
    if (strcmp (known_stages[i], stage) == 0)
      return TRUE;
  return FALSE;
}

/* ASCII snake_case: a lower-case letter, then letters, digits and single
 * underscores, not ending in one. */
static gboolean
is_snake_id (const char *id)
{
  if (id == NULL || !g_ascii_islower (id[0]))
    return FALSE;

  for (const char *p = id; *p; p++)
    {
      if (g_ascii_islower (*p) || g_ascii_isdigit (*p))
        continue;
      if (*p == '_' && p[1] != '\0' && p[1] != '_')
        continue;
      return FALSE;
    }
  return TRUE;
}

/* @s must be valid UTF-8. */
static gboolean
string_is_blank (const char *s)
{
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* For g_ptr_array_sort() of strings. */
static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static const char *
node_string (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

/* The member names of @obj, sorted (byte order), so that messages and
 * output never depend on the order of the input.  (Beware: json-glib 1.6's
 * json_object_iter_next_ordered() writes through a NULL @member_name.) */
static GPtrArray *
sorted_members (JsonObject *obj)
{
  GPtrArray *names = g_ptr_array_new ();
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &name, NULL))
    g_ptr_array_add (names, (gpointer) name);
  g_ptr_array_sort (names, compare_strings);
  return names;
}

/* ---- freeing ------------------------------------------------------------------------ */

static void
citation_free (CtCitation *c)
{
  if (c == NULL)
    return;
  g_free (c->file);
  g_free (c->document);
  g_free (c->article);
  g_free (c->clause);
  g_free (c);
}

static void
choice_free (CtFormChoice *c)
{
  if (c == NULL)
    return;
  g_free (c->id);
  g_free (c->label);
  g_free (c->label_en);
  g_free (c);
}

static void
field_def_free (CtFieldDef *f)
{
  if (f == NULL)
    return;
  g_free (f->id);
  g_free (f->label);
  g_free (f->label_en);
  g_free (f->required_when_field);
  g_strfreev (f->required_when_equals);
  g_clear_pointer (&f->choices, g_ptr_array_unref);
  g_clear_pointer (&f->basis, g_ptr_array_unref);
  g_free (f->help);
  g_free (f);
}

static void
form_template_free (CtFormTemplate *t)
{
  if (t == NULL)
    return;
  g_free (t->id);
  g_free (t->title);
  g_free (t->title_en);
  g_free (t->stage);
  g_free (t->help);
  g_clear_pointer (&t->basis, g_ptr_array_unref);
  g_clear_pointer (&t->fields, g_ptr_array_unref);
  g_free (t->path);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtFormTemplate, form_template_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtFieldDef, field_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtCitation, citation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtFormChoice, choice_free)

void
ct_form_problem_free (CtFormProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->field_id);
  g_free (problem->label);
  g_free (problem->message);
  g_free (problem);
}

/* ---- lookups and labels ------------------------------------------------------------- */

const CtFieldDef *
ct_form_template_get_field (const CtFormTemplate *tmpl,
                            const char           *field_id)
{
  g_return_val_if_fail (tmpl != NULL, NULL);

  if (field_id == NULL)
    return NULL;
  for (guint i = 0; i < tmpl->fields->len; i++)
    {
      const CtFieldDef *f = g_ptr_array_index (tmpl->fields, i);
      if (strcmp (f->id, field_id) == 0)
        return f;
    }
  return NULL;
}

const CtFormChoice *
ct_field_def_get_choice (const CtFieldDef *field,
                         const char       *choice_id)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (choice_id == NULL)
    return NULL;
  for (guint i = 0; i < field->choices->len; i++)
    {
      const CtFormChoice *c = g_ptr_array_index (field->choices, i);
      if (strcmp (c->id, choice_id) == 0)
        return c;
    }
  return NULL;
}

/* Whether gettext shows messages in Chinese: a real (not C/POSIX) message
 * locale, and Chinese as the first language asked for. */
static gboolean
prefer_chinese (void)
{
  const char *messages = setlocale (LC_MESSAGES, NULL);
  const char * const *languages;

  if (messages == NULL || strcmp (messages, "C") == 0 || strcmp (messages, "POSIX") == 0)
    return FALSE;

  languages = g_get_language_names ();
  return languages[0] != NULL && g_str_has_prefix (languages[0], "zh");
}

const char *
ct_form_template_display_title (const CtFormTemplate *tmpl)
{
  g_return_val_if_fail (tmpl != NULL, NULL);
  return prefer_chinese () ? tmpl->title : tmpl->title_en;
}

const char *
ct_field_def_display_label (const CtFieldDef *field)
{
  g_return_val_if_fail (field != NULL, NULL);
  return prefer_chinese () ? field->label : field->label_en;
}

const char *
ct_form_choice_display_label (const CtFormChoice *choice)
{
  g_return_val_if_fail (choice != NULL, NULL);
  return prefer_chinese () ? choice->label : choice->label_en;
}

/* ---- loader: errors ----------------------------------------------------------------- */

/* Where the loader is, for messages. */
typedef struct {
  const char *path;
  const char *template_id;  /* NULL until known */
  const char *field_id;     /* NULL outside a field */
} LoadCtx;

static void load_error (GError       **error,
                        const LoadCtx *ctx,
                        const char    *format,
                        ...) G_GNUC_PRINTF (3, 4);

static void
load_error (GError       **error,
            const LoadCtx *ctx,
            const char    *format,
            ...)
{
  va_list args;
  g_autofree char *what = NULL;
  const char *template_id = ctx->template_id != NULL ? ctx->template_id : _("(no id)");

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (ctx->field_id != NULL)
    g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                 /* Translators: file, template id, field id, problem */
                 _("%s: template “%s”, field “%s”: %s"),
                 ctx->path, template_id, ctx->field_id, what);
  else
    g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                 /* Translators: file, template id, problem */
                 _("%s: template “%s”: %s"),
                 ctx->path, template_id, what);
}

/* ---- loader: reading members -------------------------------------------------------- */

static gboolean
check_keys (JsonObject          *obj,
            const char * const  *allowed,
            const char          *where,
            const LoadCtx       *ctx,
            GError             **error)
{
  g_autoptr(GPtrArray) names = sorted_members (obj);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (!g_strv_contains (allowed, name))
        {
          load_error (error, ctx, _("unknown key “%s” in %s"), name, where);
          return FALSE;
        }
    }
  return TRUE;
}

/* A string member: FALSE with an error when it has another type, is empty,
 * or is absent although @required.  *out is NULL when absent. */
static gboolean
get_string (JsonObject    *obj,
            const char    *key,
            gboolean       required,
            const char    *where,
            char         **out,
            const LoadCtx *ctx,
            GError       **error)
{
  JsonNode *node = json_object_get_member (obj, key);
  const char *s;

  *out = NULL;
  if (node == NULL)
    {
      if (required)
        {
          load_error (error, ctx, _("“%s” is missing in %s"), key, where);
          return FALSE;
        }
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      load_error (error, ctx, _("“%s” must be a string in %s"), key, where);
      return FALSE;
    }
  s = json_node_get_string (node);
  if (s == NULL || !g_utf8_validate (s, -1, NULL))
    {
      load_error (error, ctx, _("“%s” is not valid UTF-8 in %s"), key, where);
      return FALSE;
    }
  if (string_is_blank (s))
    {
      load_error (error, ctx, _("“%s” must not be empty in %s"), key, where);
      return FALSE;
    }
  *out = g_strdup (s);
  return TRUE;
}

static gboolean
get_boolean (JsonObject    *obj,
             const char    *key,
             gboolean      *out,
             const LoadCtx *ctx,
             GError       **error)
{
  JsonNode *node = json_object_get_member (obj, key);

  *out = FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      load_error (error, ctx, _("“%s” must be true or false"), key);
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* An integer member in [min, max]; *out = 0 when absent. */
static gboolean
get_uint (JsonObject    *obj,
          const char    *key,
          guint          min,
          guint          max,
          guint         *out,
          const LoadCtx *ctx,
          GError       **error)
{
  JsonNode *node = json_object_get_member (obj, key);
  gint64 v;

  *out = 0;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      load_error (error, ctx, _("“%s” must be a whole number from %u to %u"), key, min, max);
      return FALSE;
    }
  v = json_node_get_int (node);
  if (v < (gint64) min || v > (gint64) max)
    {
      load_error (error, ctx, _("“%s” must be a whole number from %u to %u"), key, min, max);
      return FALSE;
    }
  *out = (guint) v;
  return TRUE;
}

/* ---- loader: citations, choices, fields, templates ---------------------------------- */

static CtCitation *
parse_citation (JsonNode      *node,
                const char    *where,
                const LoadCtx *ctx,
                GError       **error)
{
  static const char * const keys[] = { "file", "document", "article", "clause", NULL };
  g_autoptr(CtCitation) c = g_new0 (CtCitation, 1);
  JsonObject *obj;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      load_error (error, ctx,
                  _("a citation in %s must be an object {file, document?, article, clause?}"),
                  where);
      return NULL;
    }
  obj = json_node_get_object (node);
  if (!check_keys (obj, keys, where, ctx, error) ||
      !get_string (obj, "file", TRUE, where, &c->file, ctx, error) ||
      !get_string (obj, "document", FALSE, where, &c->document, ctx, error) ||
      !get_string (obj, "article", TRUE, where, &c->article, ctx, error) ||
      !get_string (obj, "clause", FALSE, where, &c->clause, ctx, error))
    return NULL;

  /* Chinese article numbers: 第…条 */
  if (!g_str_has_prefix (c->article, "第") || !g_str_has_suffix (c->article, "条"))
    {
      load_error (error, ctx, _("article “%s” in %s must be written like 第十二条"),
                  c->article, where);
      return NULL;
    }
  return g_steal_pointer (&c);
}

/* "basis": one citation object or an array of them.  An empty array is
 * allowed only when !@required. */
static GPtrArray *
parse_basis (JsonNode      *node,
             gboolean       required,
             const char    *where,
             const LoadCtx *ctx,
             GError       **error)
{
  g_autoptr(GPtrArray) basis = g_ptr_array_new_with_free_func ((GDestroyNotify) citation_free);

  if (node == NULL)
    {
      if (required)
        {
          load_error (error, ctx, _("“%s” is missing in %s"), "basis", where);
          return NULL;
        }
      return g_steal_pointer (&basis);
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          CtCitation *c = parse_citation (json_array_get_element (array, i), where, ctx, error);
          if (c == NULL)
            return NULL;
          g_ptr_array_add (basis, c);
        }
    }
  else
    {
      CtCitation *c = parse_citation (node, where, ctx, error);
      if (c == NULL)
        return NULL;
      g_ptr_array_add (basis, c);
    }

  if (required && basis->len == 0)
    {
      load_error (error, ctx, _("“%s” must cite at least one article in %s"), "basis", where);
      return NULL;
    }
  return g_steal_pointer (&basis);
}

static GPtrArray *
parse_choices (JsonNode      *node,
               const LoadCtx *ctx,
               GError       **error)
{
  static const char * const keys[] = { "id", "label", "label_en", NULL };
  const char *where = _("a choice");
  g_autoptr(GPtrArray) choices = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      load_error (error, ctx, _("“%s” must be an array of {id, label, label_en}"), "choices");
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(CtFormChoice) c = g_new0 (CtFormChoice, 1);
      JsonObject *obj;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          load_error (error, ctx, _("“%s” must be an array of {id, label, label_en}"), "choices");
          return NULL;
        }
      obj = json_node_get_object (element);
      if (!check_keys (obj, keys, where, ctx, error) ||
          !get_string (obj, "id", TRUE, where, &c->id, ctx, error) ||
          !get_string (obj, "label", TRUE, where, &c->label, ctx, error) ||
          !get_string (obj, "label_en", TRUE, where, &c->label_en, ctx, error))
        return NULL;
      if (!is_snake_id (c->id))
        {
          load_error (error, ctx, _("choice id “%s” is not ASCII snake_case"), c->id);
          return NULL;
        }
      for (guint j = 0; j < choices->len; j++)
        {
          CtFormChoice *other = g_ptr_array_index (choices, j);
          if (strcmp (other->id, c->id) == 0)
            {
              load_error (error, ctx, _("duplicate choice id “%s”"), c->id);
              return NULL;
            }
        }
      g_ptr_array_add (choices, g_steal_pointer (&c));
    }
  return g_steal_pointer (&choices);
}

/* Everything about one field that needs no other field. */
static CtFieldDef *
parse_field (JsonNode      *node,
             guint          index,
             LoadCtx       *ctx,
             GError       **error)
{
  static const char * const keys[] = {
    "id", "label", "label_en", "type", "required", "choices", "required_when",
    "basis", "help", "item", "min_count", NULL
  };
  g_autoptr(CtFieldDef) f = g_new0 (CtFieldDef, 1);
  g_autofree char *where = g_strdup_printf (_("field %u"), index + 1);
  g_autofree char *type_id = NULL;
  JsonObject *obj;
  JsonNode *choices;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      load_error (error, ctx, _("%s must be an object"), where);
      return NULL;
    }
  obj = json_node_get_object (node);

  /* The id first, so that every later message can name the field. */
  if (!get_string (obj, "id", TRUE, where, &f->id, ctx, error))
    return NULL;
  ctx->field_id = f->id;
  if (!is_snake_id (f->id))
    {
      load_error (error, ctx, _("the field id is not ASCII snake_case"));
      return NULL;
    }
  g_free (where);
  where = g_strdup (_("the field"));

  if (!check_keys (obj, keys, where, ctx, error) ||
      !get_string (obj, "label", TRUE, where, &f->label, ctx, error) ||
      !get_string (obj, "label_en", TRUE, where, &f->label_en, ctx, error) ||
      !get_string (obj, "type", TRUE, where, &type_id, ctx, error) ||
      !get_boolean (obj, "required", &f->required, ctx, error) ||
      !get_string (obj, "help", FALSE, where, &f->help, ctx, error) ||
      !get_uint (obj, "item", 1, 8, &f->item, ctx, error) ||
      !get_uint (obj, "min_count", 1, MAX_MIN_COUNT, &f->min_count, ctx, error))
    return NULL;

  if (!ct_field_type_from_id (type_id, &f->type))
    {
      load_error (error, ctx, _("unknown field type “%s”"), type_id);
      return NULL;
    }

  f->basis = parse_basis (json_object_get_member (obj, "basis"), FALSE, where, ctx, error);
  if (f->basis == NULL)
    return NULL;

  choices = json_object_get_member (obj, "choices");
  if (f->type == CT_FIELD_CHOICE)
    {
      if (choices == NULL)
        {
          load_error (error, ctx, _("a choice field needs “choices”"));
          return NULL;
        }
      f->choices = parse_choices (choices, ctx, error);
      if (f->choices == NULL)
        return NULL;
      if (f->choices->len == 0)
        {
          load_error (error, ctx, _("a choice field needs at least one choice"));
          return NULL;
        }
    }
  else
    {
      if (choices != NULL)
        {
          load_error (error, ctx, _("only choice fields have “choices”, this one is “%s”"),
                      type_id);
          return NULL;
        }
      f->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);
    }

  if (f->min_count != 0 && !type_allows_count (f->type))
    {
      load_error (error, ctx, _("only officers, signature, clip and scan fields have “min_count”"));
      return NULL;
    }
  if (f->min_count == 0)
    f->min_count = 1;

  if (f->item != 0 && !f->required)
    {
      load_error (error, ctx, _("a field carrying required item %u of a decision must be "
                                "required"), f->item);
      return NULL;
    }
  if (f->item != 0 && json_object_has_member (obj, "required_when"))
    {
      load_error (error, ctx, _("a field carrying required item %u of a decision cannot be "
                                "conditional"), f->item);
      return NULL;
    }
  if (f->required && json_object_has_member (obj, "required_when"))
    {
      load_error (error, ctx, _("a field cannot be both “required” and “required_when”"));
      return NULL;
    }

  return g_steal_pointer (&f);
}

/* "required_when": {"field": id, "equals": value or [values]} — resolved
 * once every field of the template is known. */
static gboolean
resolve_required_when (CtFormTemplate *t,
                       CtFieldDef     *f,
                       JsonNode       *node,
                       const LoadCtx  *ctx,
                       GError        **error)
{
  static const char * const keys[] = { "field", "equals", NULL };
  const char *where = "required_when";
  g_autofree char *target_id = NULL;
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  const CtFieldDef *target;
  JsonNode *equals;
  JsonObject *obj;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      load_error (error, ctx, _("“required_when” must be an object {field, equals}"));
      return FALSE;
    }
  obj = json_node_get_object (node);
  if (!check_keys (obj, keys, where, ctx, error) ||
      !get_string (obj, "field", TRUE, where, &target_id, ctx, error))
    return FALSE;

  target = ct_form_template_get_field (t, target_id);
  if (target == NULL)
    {
      load_error (error, ctx, _("“required_when” names the field “%s”, which this template "
                                "does not have"), target_id);
      return FALSE;
    }
  if (target == f)
    {
      load_error (error, ctx, _("“required_when” cannot name the field itself"));
      return FALSE;
    }

  equals = json_object_get_member (obj, "equals");
  if (equals == NULL)
    {
      load_error (error, ctx, _("“%s” is missing in %s"), "equals", where);
      return FALSE;
    }

  if (target->type == CT_FIELD_BOOLEAN)
    {
      if (!JSON_NODE_HOLDS_VALUE (equals) || json_node_get_value_type (equals) != G_TYPE_BOOLEAN)
        {
          load_error (error, ctx, _("“required_when” refers to the yes/no field “%s”, so "
                                    "“equals” must be true or false"), target_id);
          return FALSE;
        }
      g_ptr_array_add (values, g_strdup (json_node_get_boolean (equals) ? "true" : "false"));
    }
  else if (target->type == CT_FIELD_CHOICE)
    {
      g_autoptr(GPtrArray) nodes = g_ptr_array_new ();

      if (JSON_NODE_HOLDS_ARRAY (equals))
        {
          JsonArray *array = json_node_get_array (equals);
          for (guint i = 0; i < json_array_get_length (array); i++)
            g_ptr_array_add (nodes, json_array_get_element (array, i));
          if (nodes->len == 0)
            {
              load_error (error, ctx, _("“equals” of “required_when” must not be empty"));
              return FALSE;
            }
        }
      else
        g_ptr_array_add (nodes, equals);

      for (guint i = 0; i < nodes->len; i++)
        {
          JsonNode *v = g_ptr_array_index (nodes, i);
          const char *id;

          if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
            {
              load_error (error, ctx, _("“equals” of “required_when” must be choice ids of "
                                        "the field “%s”"), target_id);
              return FALSE;
            }
          id = json_node_get_string (v);
          if (ct_field_def_get_choice (target, id) == NULL)
            {
              load_error (error, ctx, _("“required_when” expects the choice “%s” of the field "
                                        "“%s”, which has no such choice"), id, target_id);
              return FALSE;
            }
          g_ptr_array_add (values, g_strdup (id));
        }
    }
  else
    {
      load_error (error, ctx, _("“required_when” can only refer to a choice or yes/no field; "
                                "“%s” is “%s”"), target_id, ct_field_type_to_id (target->type));
      return FALSE;
    }

  g_ptr_array_add (values, NULL);
  f->required_when_field = g_steal_pointer (&target_id);
  f->required_when_equals = (GStrv) g_ptr_array_free (g_steal_pointer (&values), FALSE);
  return TRUE;
}

static CtFormTemplate *
parse_template (JsonNode    *root,
                const char  *path,
                GError     **error)
{
  static const char * const keys[] = {
    "id", "title", "title_en", "stage", "basis", "fields", "help", NULL
  };
  const char *where = _("the template");
  g_autoptr(CtFormTemplate) t = g_new0 (CtFormTemplate, 1);
  LoadCtx ctx = { path, NULL, NULL };
  JsonObject *obj;
  JsonNode *fields_node;
  JsonArray *fields;

  t->path = g_strdup (path);
  t->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_def_free);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      load_error (error, &ctx, _("the file must hold one JSON object"));
      return NULL;
    }
  obj = json_node_get_object (root);

  if (!get_string (obj, "id", TRUE, where, &t->id, &ctx, error))
    return NULL;
  ctx.template_id = t->id;
  if (!is_snake_id (t->id))
    {
      load_error (error, &ctx, _("the template id is not ASCII snake_case"));
      return NULL;
    }

  if (!check_keys (obj, keys, where, &ctx, error) ||
      !get_string (obj, "title", TRUE, where, &t->title, &ctx, error) ||
      !get_string (obj, "title_en", TRUE, where, &t->title_en, &ctx, error) ||
      !get_string (obj, "stage", TRUE, where, &t->stage, &ctx, error) ||
      !get_string (obj, "help", FALSE, where, &t->help, &ctx, error))
    return NULL;

  if (!is_known_stage (t->stage))
    {
      load_error (error, &ctx, _("unknown stage “%s”"), t->stage);
      return NULL;
    }

  t->basis = parse_basis (json_object_get_member (obj, "basis"), TRUE, where, &ctx, error);
  if (t->basis == NULL)
    return NULL;

  fields_node = json_object_get_member (obj, "fields");
  if (fields_node == NULL || !JSON_NODE_HOLDS_ARRAY (fields_node) ||
      json_array_get_length (json_node_get_array (fields_node)) == 0)
    {
      load_error (error, &ctx, _("“fields” must be a non-empty array"));
      return NULL;
    }
  fields = json_node_get_array (fields_node);

  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      CtFieldDef *f = parse_field (json_array_get_element (fields, i), i, &ctx, error);

      if (f == NULL)
        return NULL;
      if (ct_form_template_get_field (t, f->id) != NULL)
        {
          load_error (error, &ctx, _("duplicate field id"));
          field_def_free (f);
          return NULL;
        }
      g_ptr_array_add (t->fields, f);
      ctx.field_id = NULL;
    }

  for (guint i = 0; i < t->fields->len; i++)
    {
      CtFieldDef *f = g_ptr_array_index (t->fields, i);
      JsonObject *field_obj = json_array_get_object_element (fields, i);
      JsonNode *rw = json_object_get_member (field_obj, "required_when");

      ctx.field_id = f->id;
      if (rw != NULL && !resolve_required_when (t, f, rw, &ctx, error))
        return NULL;
    }

  return g_steal_pointer (&t);
}

/* ---- loader: files and the registry ------------------------------------------------- */

struct _CtFormRegistry {
  GHashTable *by_id;     /* id → CtFormTemplate* (owned) */
};

void
ct_form_registry_free (CtFormRegistry *registry)
{
  if (registry == NULL)
    return;
  g_clear_pointer (&registry->by_id, g_hash_table_unref);
  g_free (registry);
}

/* JsonParser silently keeps the last of duplicate keys; a template with
 * "required" twice must not load.  "object-member" is emitted once per
 * member, so a second emission for the same object and name is a
 * duplicate. */
typedef struct {
  GHashTable *seen;
  char       *duplicate;   /* the first duplicate key */
  JsonObject *object;      /* the object holding it */
} DupCheck;

static void
on_object_member (JsonParser *parser,
                  JsonObject *object,
                  const char *member_name,
                  gpointer    user_data)
{
  DupCheck *check = user_data;
  char *key = g_strdup_printf ("%p/%s", (void *) object, member_name);

  if (!g_hash_table_add (check->seen, key) && check->duplicate == NULL)
    {
      check->duplicate = g_strdup (member_name);
      check->object = object;
    }
}

static gboolean
node_holds (JsonNode   *node,
            JsonObject *target)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      JsonObjectIter iter;
      JsonNode *member;

      if (obj == target)
        return TRUE;
      json_object_iter_init (&iter, obj);
      while (json_object_iter_next (&iter, NULL, &member))
        if (node_holds (member, target))
          return TRUE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (node_holds (json_array_get_element (array, i), target))
          return TRUE;
    }
  return FALSE;
}

/* Fills in the template and field ids of @ctx for a problem inside
 * @target, as far as the raw tree tells them. */
static void
locate_object (JsonNode   *root,
               JsonObject *target,
               LoadCtx    *ctx)
{
  JsonObject *obj;
  JsonNode *fields;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return;
  obj = json_node_get_object (root);
  ctx->template_id = node_string (json_object_get_member (obj, "id"));

  fields = json_object_get_member (obj, "fields");
  if (fields == NULL || !JSON_NODE_HOLDS_ARRAY (fields))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (fields)); i++)
    {
      JsonNode *field = json_array_get_element (json_node_get_array (fields), i);

      if (JSON_NODE_HOLDS_OBJECT (field) && node_holds (field, target))
        {
          ctx->field_id = node_string (json_object_get_member (json_node_get_object (field),
                                                               "id"));
          if (ctx->field_id == NULL)
            ctx->field_id = "?";
          return;
        }
    }
}

static CtFormTemplate *
load_file (const char  *path,
           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  DupCheck check = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL), NULL, NULL };
  CtFormTemplate *t = NULL;

  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &check);

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      if (local_error->domain == G_FILE_ERROR)
        g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot read %s: %s"),
                     path, local_error->message);
      else
        g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("%s: not valid JSON: %s"),
                     path, local_error->message);
    }
  else if (json_parser_get_root (parser) == NULL)
    g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("%s: the file is empty"), path);
  else if (check.duplicate != NULL)
    {
      LoadCtx ctx = { path, NULL, NULL };

      locate_object (json_parser_get_root (parser), check.object, &ctx);
      load_error (error, &ctx, _("the key “%s” appears twice in one object"), check.duplicate);
    }
  else
    t = parse_template (json_parser_get_root (parser), path, error);

  g_hash_table_unref (check.seen);
  g_free (check.duplicate);
  return t;
}

CtFormRegistry *
ct_form_registry_load_dir (const char  *dir,
                           GError     **error)
{
  g_autoptr(CtFormRegistry) registry = g_new0 (CtFormRegistry, 1);
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  const char *name;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  registry->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) form_template_free);

  d = g_dir_open (dir, 0, &local_error);
  if (d == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Cannot read the form templates in %s: %s"),
                   dir, local_error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json") && name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));

  /* A fixed order, so the same broken directory always reports the same error. */
  g_ptr_array_sort (names, compare_strings);

  if (names->len == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("%s holds no form templates (*.json)"),
                   dir);
      return NULL;
    }

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      CtFormTemplate *t = load_file (path, error);
      CtFormTemplate *other;

      if (t == NULL)
        return NULL;
      other = g_hash_table_lookup (registry->by_id, t->id);
      if (other != NULL)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("%s: template “%s”: the id is already used by %s"),
                       path, t->id, other->path);
          form_template_free (t);
          return NULL;
        }
      g_hash_table_insert (registry->by_id, t->id, t);
    }

  return g_steal_pointer (&registry);
}

const CtFormTemplate *
ct_form_registry_lookup (CtFormRegistry *registry,
                         const char     *template_id)
{
  g_return_val_if_fail (registry != NULL, NULL);

  if (template_id == NULL)
    return NULL;
  return g_hash_table_lookup (registry->by_id, template_id);
}

static int
compare_templates (gconstpointer a,
                   gconstpointer b)
{
  const CtFormTemplate *ta = *(const CtFormTemplate * const *) a;
  const CtFormTemplate *tb = *(const CtFormTemplate * const *) b;

  return strcmp (ta->id, tb->id);
}

GPtrArray *
ct_form_registry_list (CtFormRegistry *registry)
{
  GPtrArray *list;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (registry != NULL, NULL);

  list = g_ptr_array_sized_new (g_hash_table_size (registry->by_id));
  g_hash_table_iter_init (&iter, registry->by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, value);
  g_ptr_array_sort (list, compare_templates);
  return list;
}

/* ---- values: shapes ----------------------------------------------------------------- */

static gboolean
node_is_int (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
node_is_number (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 ||
          json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

/* null, blank text, [] and {} are "missing". */
static gboolean
node_is_empty (JsonNode *node)
{
  const char *s;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) == 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_size (json_node_get_object (node)) == 0;
  s = node_string (node);
  return s != NULL && g_utf8_validate (s, -1, NULL) && string_is_blank (s);
}

/* @s matches @pattern, where 'd' stands for an ASCII digit and everything
 * else for itself. */
static gboolean
matches_digits (const char *s,
                const char *pattern)
{
  for (; *pattern; pattern++, s++)
    {
      if (*pattern == 'd' ? !g_ascii_isdigit (*s) : *s != *pattern)
        return FALSE;
    }
  return *s == '\0';
}

static gboolean
parse_date (const char *s)
{
  int y, m, d;

  if (s == NULL || !matches_digits (s, "dddd-dd-dd"))
    return FALSE;
  y = atoi (s);
  m = atoi (s + 5);
  d = atoi (s + 8);
  return y >= 1 && g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

/* YYYY-MM-DDTHH:MM[:SS[.f…]](Z|±HH:MM), a real instant. */
static gboolean
parse_datetime (const char *s)
{
  g_autoptr(GDateTime) dt = NULL;
  const char *p;
  g_autofree char *date = NULL;

  if (s == NULL || strlen (s) < 17 || s[10] != 'T')
    return FALSE;
  date = g_strndup (s, 10);
  if (!parse_date (date))
    return FALSE;

  p = s + 11;
  if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]) || p[2] != ':' ||
      !g_ascii_isdigit (p[3]) || !g_ascii_isdigit (p[4]))
    return FALSE;
  p += 5;
  if (*p != ':')
    {
      /* GLib wants seconds; ISO 8601 lets them out. */
      g_autofree char *with_seconds = g_strdup_printf ("%.*s:00%s", (int) (p - s), s, p);
      return parse_datetime (with_seconds);
    }
  if (!g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]))
    return FALSE;
  p += 3;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (!(strcmp (p, "Z") == 0 || ((p[0] == '+' || p[0] == '-') && matches_digits (p + 1, "dd:dd"))))
    return FALSE;

  dt = g_date_time_new_from_iso8601 (s, NULL);
  return dt != NULL;
}

/* The shortest decimal text that reads back as @d (deterministic). */
static char *
shortest_double (double d)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, d);
      if (g_ascii_strtod (buf, NULL) == d)
        break;
    }
  return g_strdup (buf);
}

typedef enum {
  MONEY_OK,
  MONEY_NEGATIVE,
  MONEY_BAD,
} MoneyCheck;

/* Checks a money value and, when @canonical is not NULL and it is fine,
 * writes it as "123.40". */
static MoneyCheck
check_money (JsonNode  *node,
             char     **canonical)
{
  const char *s = node_string (node);

  if (canonical != NULL)
    *canonical = NULL;

  if (s != NULL)
    {
      const char *dot;
      gsize int_len;
      gsize frac_len = 0;

      if (s[0] == '-')
        return MONEY_NEGATIVE;
      dot = strchr (s, '.');
      int_len = dot != NULL ? (gsize) (dot - s) : strlen (s);
      if (int_len == 0 || int_len > MAX_MONEY_INTEGER_DIGITS || (s[0] == '0' && int_len > 1))
        return MONEY_BAD;
      for (gsize i = 0; i < int_len; i++)
        if (!g_ascii_isdigit (s[i]))
          return MONEY_BAD;
      if (dot != NULL)
        {
          frac_len = strlen (dot + 1);
          if (frac_len < 1 || frac_len > 2)
            return MONEY_BAD;
          for (gsize i = 0; i < frac_len; i++)
            if (!g_ascii_isdigit (dot[1 + i]))
              return MONEY_BAD;
        }
      if (canonical != NULL)
        *canonical = g_strdup_printf ("%.*s.%s%s", (int) int_len, s,
                                      frac_len > 0 ? dot + 1 : "",
                                      frac_len == 2 ? "" : (frac_len == 1 ? "0" : "00"));
      return MONEY_OK;
    }

  if (node_is_int (node))
    {
      gint64 v = json_node_get_int (node);

      if (v < 0)
        return MONEY_NEGATIVE;
      if (v >= (gint64) 1000000000000000)
        return MONEY_BAD;
      if (canonical != NULL)
        *canonical = g_strdup_printf ("%" G_GINT64_FORMAT ".00", v);
      return MONEY_OK;
    }

  if (node_is_number (node))
    {
      double d = json_node_get_double (node);
      g_autofree char *text = NULL;
      const char *dot;

      if (!isfinite (d))
        return MONEY_BAD;
      if (d < 0)
        return MONEY_NEGATIVE;
      if (d >= 1e15)
        return MONEY_BAD;
      text = shortest_double (d);
      if (strchr (text, 'e') != NULL && d != 0)
        return MONEY_BAD;
      dot = strchr (text, '.');
      if (dot != NULL && strlen (dot + 1) > 2)
        return MONEY_BAD;
      if (canonical != NULL)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          *canonical = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.2f", d));
        }
      return MONEY_OK;
    }

  return MONEY_BAD;
}

/* ---- values: checks by type --------------------------------------------------------- */

static char *
check_text (const CtFieldDef *f,
            const char       *label,
            JsonNode         *node)
{
  const char *s = node_string (node);

  if (s == NULL)
    return g_strdup_printf (_("“%s” must be text"), label);
  if (!g_utf8_validate (s, -1, NULL))
    return g_strdup_printf (_("“%s” is not valid UTF-8 text"), label);
  if (f->type == CT_FIELD_TEXT && strchr (s, '\n') != NULL)
    return g_strdup_printf (_("“%s” must be a single line"), label);
  return NULL;
}

static char *
check_count (const CtFieldDef *f,
             const char       *label,
             guint             count)
{
  if (count < f->min_count)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "“%s” needs at least %u entry",
                                         "“%s” needs at least %u entries",
                                         f->min_count),
                            label, f->min_count);
  return NULL;
}

static char *
check_officers (const CtFieldDef *f,
                const char       *label,
                JsonNode         *node)
{
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup_printf (_("“%s” must be a list of user names"), label);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      const char *name = node_string (json_array_get_element (array, i));

      if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
        return g_strdup_printf (_("“%s” must be a list of user names"), label);
      for (guint j = 0; j < i; j++)
        if (strcmp (name, node_string (json_array_get_element (array, j))) == 0)
          return g_strdup_printf (_("“%s” names “%s” twice"), label, name);
    }
  return check_count (f, label, n);
}

static char *
check_party (const CtFieldDef *f,
             const char       *label,
             JsonNode         *node)
{
  g_autoptr(GPtrArray) members = NULL;
  JsonObject *obj;
  const char *name;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup_printf (_("“%s” must be a party with at least a name"), label);
  obj = json_node_get_object (node);

  members = sorted_members (obj);
  for (guint i = 0; i < members->len; i++)
    {
      const char *member = g_ptr_array_index (members, i);
      JsonNode *value = json_object_get_member (obj, member);
      const char *s = node_string (value);

      if (JSON_NODE_HOLDS_NULL (value))
        continue;
      if (s == NULL || !g_utf8_validate (s, -1, NULL))
        return g_strdup_printf (_("“%s”: “%s” must be text"), label, member);
    }

  name = node_string (json_object_get_member (obj, "name"));
  if (name == NULL || !g_utf8_validate (name, -1, NULL) || string_is_blank (name))
    return g_strdup_printf (_("“%s” must give the party’s name"), label);
  return NULL;
}

/* One object or a non-empty array of objects, each checked by @check_one. */
typedef char *(*CheckOne) (const char *label, JsonObject *obj);

static char *
shape_message (const CtFieldDef *f,
               const char       *label)
{
  if (f->type == CT_FIELD_SIGNATURE)
    return g_strdup_printf (_("“%s” must be a signature with a signer and a time"), label);
  if (f->type == CT_FIELD_SCAN)
    return g_strdup_printf (_("“%s” must be a scanned document {media, pages, label}"), label);
  return g_strdup_printf (_("“%s” must be a media clip {media, start_ms, end_ms}"), label);
}

static char *
check_objects (const CtFieldDef *f,
               const char       *label,
               JsonNode         *node,
               CheckOne          check_one)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      char *problem = check_one (label, json_node_get_object (node));
      return problem != NULL ? problem : check_count (f, label, 1);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          char *problem;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            return shape_message (f, label);
          problem = check_one (label, json_node_get_object (element));
          if (problem != NULL)
            return problem;
        }
      return check_count (f, label, n);
    }
  return shape_message (f, label);
}

static char *
check_one_signature (const char *label,
                     JsonObject *obj)
{
  const char *signer = node_string (json_object_get_member (obj, "signer"));
  const char *signed_at = node_string (json_object_get_member (obj, "signed_at"));

  if (signer == NULL || !g_utf8_validate (signer, -1, NULL) || string_is_blank (signer))
    return g_strdup_printf (_("“%s” must be a signature with a signer and a time"), label);
  if (!parse_datetime (signed_at))
    return g_strdup_printf (_("“%s”: the time of signing must be an ISO 8601 date and time "
                              "with a time zone offset"), label);
  return NULL;
}

static char *
check_one_clip (const char *label,
                JsonObject *obj)
{
  const char *media = node_string (json_object_get_member (obj, "media"));
  JsonNode *start = json_object_get_member (obj, "start_ms");
  JsonNode *end = json_object_get_member (obj, "end_ms");
  JsonNode *clip_label = json_object_get_member (obj, "label");

  if (media == NULL || *media == '\0' || !g_utf8_validate (media, -1, NULL) ||
      !node_is_int (start) || !node_is_int (end) ||
      (clip_label != NULL && !JSON_NODE_HOLDS_NULL (clip_label) &&
       node_string (clip_label) == NULL))
    return g_strdup_printf (_("“%s” must be a media clip {media, start_ms, end_ms}"), label);
  if (json_node_get_int (start) < 0 || json_node_get_int (end) <= json_node_get_int (start))
    return g_strdup_printf (_("“%s”: a clip must start at 0 ms or later and end after it "
                              "starts"), label);
  return NULL;
}

gboolean
ct_scan_pages_valid (const char *pages,
                     guint       n_pages)
{
  g_auto(GStrv) parts = NULL;

  if (pages == NULL || *pages == '\0')
    return FALSE;
  parts = g_strsplit (pages, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) range = g_strsplit (g_strstrip (parts[i]), "-", 3);
      guint64 first = 0, last = 0;

      if (range[0] == NULL || (range[1] != NULL && range[2] != NULL) ||
          !g_ascii_string_to_unsigned (g_strstrip (range[0]), 10, 1, G_MAXUINT, &first, NULL))
        return FALSE;
      last = first;
      if (range[1] != NULL &&
          !g_ascii_string_to_unsigned (g_strstrip (range[1]), 10, first, G_MAXUINT, &last, NULL))
        return FALSE;
      if (n_pages > 0 && last > n_pages)
        return FALSE;
    }
  return TRUE;
}

static char *
check_one_scan (const char *label,
                JsonObject *obj)
{
  const char *media = node_string (json_object_get_member (obj, "media"));
  JsonNode *pages = json_object_get_member (obj, "pages");
  JsonNode *scan_label = json_object_get_member (obj, "label");

  if (media == NULL || *media == '\0' || !g_utf8_validate (media, -1, NULL) ||
      (scan_label != NULL && !JSON_NODE_HOLDS_NULL (scan_label) && node_string (scan_label) == NULL) ||
      (pages != NULL && !JSON_NODE_HOLDS_NULL (pages) && node_string (pages) == NULL))
    return g_strdup_printf (_("“%s” must be a scanned document {media, pages, label}"), label);
  if (pages != NULL && !JSON_NODE_HOLDS_NULL (pages) && !ct_scan_pages_valid (node_string (pages), 0))
    return g_strdup_printf (_("“%s”: pages are written like “1”, “1-3” or “1,3-4”"), label);
  return NULL;
}

/* NULL when @node (not empty) is a valid value of @f, else the message. */
static char *
check_value (const CtFieldDef *f,
             const char       *label,
             JsonNode         *node)
{
  switch (f->type)
    {
    case CT_FIELD_TEXT:
    case CT_FIELD_MULTILINE:
      return check_text (f, label, node);

    case CT_FIELD_DATE:
      if (!parse_date (node_string (node)))
        return g_strdup_printf (_("“%s” must be a date written as YYYY-MM-DD"), label);
      return NULL;

    case CT_FIELD_DATETIME:
      if (!parse_datetime (node_string (node)))
        return g_strdup_printf (_("“%s” must be a date and time in ISO 8601 with a time zone "
                                  "offset, such as 2024-03-01T09:30:00+08:00"), label);
      return NULL;

    case CT_FIELD_MONEY:
      switch (check_money (node, NULL))
        {
        case MONEY_OK:
          return NULL;
        case MONEY_NEGATIVE:
          return g_strdup_printf (_("“%s” must not be negative"), label);
        case MONEY_BAD:
        default:
          return g_strdup_printf (_("“%s” must be an amount in yuan with at most two decimals"),
                                  label);
        }

    case CT_FIELD_NUMBER:
      if (!node_is_number (node))
        return g_strdup_printf (_("“%s” must be a number"), label);
      return NULL;

    case CT_FIELD_BOOLEAN:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return g_strdup_printf (_("“%s” must be yes or no (true or false)"), label);
      return NULL;

    case CT_FIELD_CHOICE:
      {
        const char *id = node_string (node);

        if (id == NULL)
          return g_strdup_printf (_("“%s” must be one of its choices"), label);
        if (ct_field_def_get_choice (f, id) == NULL)
          return g_strdup_printf (_("“%s” has no choice “%s”"), label, id);
        return NULL;
      }

    case CT_FIELD_OFFICERS:
      return check_officers (f, label, node);

    case CT_FIELD_PARTY:
      return check_party (f, label, node);

    case CT_FIELD_SIGNATURE:
      return check_objects (f, label, node, check_one_signature);

    case CT_FIELD_CLIP:
      return check_objects (f, label, node, check_one_clip);

    case CT_FIELD_SCAN:
      return check_objects (f, label, node, check_one_scan);

    default:
      g_assert_not_reached ();
    }
}

/* Whether the condition of @f holds for @values. */
static gboolean
condition_holds (const CtFormTemplate *t,
                 const CtFieldDef     *f,
                 JsonObject           *values)
{
  const CtFieldDef *target;
  JsonNode *node;
  const char *actual = NULL;

  if (f->required_when_field == NULL)
    return FALSE;
  target = ct_form_template_get_field (t, f->required_when_field);
  node = values != NULL ? json_object_get_member (values, f->required_when_field) : NULL;
  if (target == NULL || node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (target->type == CT_FIELD_BOOLEAN)
    {
      if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return FALSE;
      actual = json_node_get_boolean (node) ? "true" : "false";
    }
  else
    actual = node_string (node);

  return actual != NULL && g_strv_contains ((const char * const *) f->required_when_equals,
                                            actual);
}

/* "“受送达人签名” is required when “送达方式” is “直接送达”" */
static char *
conditional_message (const CtFormTemplate *t,
                     const CtFieldDef     *f,
                     const char           *label,
                     JsonObject           *values)
{
  const CtFieldDef *target = ct_form_template_get_field (t, f->required_when_field);
  JsonNode *node = json_object_get_member (values, f->required_when_field);
  const char *value_label;

  if (target->type == CT_FIELD_BOOLEAN)
    value_label = json_node_get_boolean (node) ? _("yes") : _("no");
  else
    value_label = ct_form_choice_display_label (ct_field_def_get_choice (target,
                                                                         node_string (node)));

  return g_strdup_printf (_("“%s” is required when “%s” is “%s”"),
                          label, ct_field_def_display_label (target), value_label);
}

static void
add_problem (GPtrArray         *problems,
             CtFormProblemKind  kind,
             const char        *field_id,
             const char        *label,
             guint              item,
             char              *message)
{
  CtFormProblem *p = g_new0 (CtFormProblem, 1);

  p->kind = kind;
  p->field_id = g_strdup (field_id);
  p->label = g_strdup (label);
  p->item = item;
  p->message = message;
  g_ptr_array_add (problems, p);
}

GPtrArray *
ct_form_validate (const CtFormTemplate *tmpl,
                  JsonObject           *values)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_form_problem_free);

  g_return_val_if_fail (tmpl != NULL, problems);

  for (guint i = 0; i < tmpl->fields->len; i++)
    {
      const CtFieldDef *f = g_ptr_array_index (tmpl->fields, i);
      const char *label = ct_field_def_display_label (f);
      JsonNode *node = values != NULL ? json_object_get_member (values, f->id) : NULL;

      if (node_is_empty (node))
        {
          if (f->required)
            add_problem (problems, CT_FORM_PROBLEM_MISSING, f->id, label, f->item,
                         f->item != 0
                         ? g_strdup_printf (_("“%s” is required: it is item %u of what a "
                                              "decision must state"), label, f->item)
                         : g_strdup_printf (_("“%s” is required"), label));
          else if (condition_holds (tmpl, f, values))
            add_problem (problems, CT_FORM_PROBLEM_MISSING, f->id, label, f->item,
                         conditional_message (tmpl, f, label, values));
          continue;
        }

      {
        char *message = check_value (f, label, node);
        if (message != NULL)
          {
            /* Well-formed but with fewer entries than required (one of two
             * officers has signed so far) is missing, not invalid: the form
             * saves as incomplete and the next officer signs in turn. */
            CtFieldDef without_count = *f;
            g_autofree char *shape = NULL;
            CtFormProblemKind kind = CT_FORM_PROBLEM_INVALID;

            without_count.min_count = 0;
            if (f->min_count > 1 && (shape = check_value (&without_count, label, node)) == NULL)
              kind = CT_FORM_PROBLEM_MISSING;
            add_problem (problems, kind, f->id, label, f->item, message);
          }
      }
    }

  if (values != NULL)
    {
      g_autoptr(GPtrArray) names = sorted_members (values);

      for (guint i = 0; i < names->len; i++)
        {
          const char *id = g_ptr_array_index (names, i);

          if (ct_form_template_get_field (tmpl, id) == NULL)
            add_problem (problems, CT_FORM_PROBLEM_UNKNOWN_FIELD, id, id, 0,
                         g_strdup_printf (_("This form has no field “%s”"), id));
        }
    }

  return problems;
}

gboolean
ct_form_is_complete (const CtFormTemplate *tmpl,
                     JsonObject           *values)
{
  g_autoptr(GPtrArray) problems = NULL;

  g_return_val_if_fail (tmpl != NULL, FALSE);

  problems = ct_form_validate (tmpl, values);
  return problems->len == 0;
}

/* ---- canonical JSON ----------------------------------------------------------------- */

/* Same escaping as the store's canonical records: '"' and '\\' escaped,
 * control characters as \u00XX, everything else (UTF-8) as is. */
static void
canon_string (GString    *s,
              const char *value)
{
  g_string_append_c (s, '"');
  for (const guchar *p = (const guchar *) value; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (s, '\\');
          g_string_append_c (s, (char) *p);
        }
      else if (*p < 0x20)
        g_string_append_printf (s, "\\u%04x", *p);
      else
        g_string_append_c (s, (char) *p);
    }
  g_string_append_c (s, '"');
}

static void
canon_number (GString  *s,
              JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      g_string_append_printf (s, "%" G_GINT64_FORMAT, json_node_get_int (node));
      return;
    }
  else
    {
      double d = json_node_get_double (node);

      if (!isfinite (d))
        g_string_append (s, "null");
      else if (d >= -MAX_EXACT_DOUBLE && d <= MAX_EXACT_DOUBLE && d == (double) (gint64) d)
        g_string_append_printf (s, "%" G_GINT64_FORMAT, (gint64) d);
      else
        {
          g_autofree char *text = shortest_double (d);
          g_string_append (s, text);
        }
    }
}

static void canon_node (GString *s, JsonNode *node);

static void
canon_object (GString    *s,
              JsonObject *obj)
{
  g_autoptr(GPtrArray) keys = sorted_members (obj);
  gboolean first = TRUE;

  g_string_append_c (s, '{');
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      JsonNode *value = json_object_get_member (obj, key);

      if (node_is_empty (value))
        continue;
      if (!first)
        g_string_append_c (s, ',');
      first = FALSE;
      canon_string (s, key);
      g_string_append_c (s, ':');
      canon_node (s, value);
    }
  g_string_append_c (s, '}');
}

static void
canon_node (GString  *s,
            JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (s, "null");
      return;
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      canon_object (s, json_node_get_object (node));
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (s, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (s, ',');
            canon_node (s, json_array_get_element (array, i));
          }
        g_string_append_c (s, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          canon_string (s, json_node_get_string (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (s, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_INT64:
        case G_TYPE_DOUBLE:
          canon_number (s, node);
          break;
        default:
          g_string_append (s, "null");
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (s, "null");
      break;
    }
}

char *
ct_form_canonical_json (const CtFormTemplate *tmpl,
                        JsonObject           *values)
{
  GString *s = g_string_new ("{");
  gboolean first = TRUE;

  g_return_val_if_fail (tmpl != NULL, g_string_free (s, TRUE));

  for (guint i = 0; i < tmpl->fields->len && values != NULL; i++)
    {
      const CtFieldDef *f = g_ptr_array_index (tmpl->fields, i);
      JsonNode *node = json_object_get_member (values, f->id);
      g_autofree char *money = NULL;

      if (node_is_empty (node))
        continue;

      if (!first)
        g_string_append_c (s, ',');
      first = FALSE;
      canon_string (s, f->id);
      g_string_append_c (s, ':');

      if (f->type == CT_FIELD_MONEY && check_money (node, &money) == MONEY_OK)
        canon_string (s, money);
      else
        canon_node (s, node);
    }
  g_string_append_c (s, '}');

  return g_string_free (s, FALSE);
}

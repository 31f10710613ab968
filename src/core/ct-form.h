/* ct-form.h — form templates (文书) and the validation of filled forms
 *
 * A form template is data: one JSON file per template under data/forms/
 * (the format is described in data/forms/README.md).  The registry loads a
 * whole directory strictly: anything it does not understand is an error
 * whose message names the file, the template and the field, so a typo in a
 * template can never silently drop a legal requirement.
 *
 * Filled values are a JsonObject keyed by field id.  Value formats:
 *
 *   text, multiline  string
 *   date             "YYYY-MM-DD"
 *   datetime         "YYYY-MM-DDTHH:MM[:SS[.fff]]" with "Z" or "±HH:MM"
 *                    (the offset is mandatory: records are read years later)
 *   money            yuan, non-negative, at most 2 decimals: "1234.50" or
 *                    1234.5 (a JSON number); canonical form is the string
 *   number           JSON number
 *   boolean          JSON true / false (false is an answer, not a gap)
 *   choice           string, one of the field's choice ids
 *   officers         array of usernames, no duplicates
 *   party            object with a non-empty "name"; every other member is
 *                    a string or null (kind, id_number, address, contact,
 *                    legal_rep, gender, birth_date, employer, …)
 *   signature        object {"signer", "signed_at" (a datetime)}, or an array
 *                    of them; other members are allowed.  Only the shape is
 *                    checked here: whether a cryptographic signature is
 *                    genuine is checked by the store.
 *   clip             object {"media": string, "start_ms", "end_ms": integers,
 *                    0 <= start_ms < end_ms, "label"?: string}, or an array
 *                    of them (a recording split over several files)
 *   scan             object {"media": string, "pages"?: string such as "1-2,4",
 *                    "label"?: string}, or an array of them: scanned paper
 *                    (a signed receipt, a party's written statement) kept as
 *                    a "document" medium of the case
 *
 * null, "" (or only white space) and [] count as missing.
 *
 * Everything here is GTK-free and does no I/O except the loader.  A loaded
 * registry is immutable and may be read from any thread.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- field types ----------------------------------------------------------- */

typedef enum {
  CT_FIELD_TEXT,
  CT_FIELD_MULTILINE,
  CT_FIELD_DATE,
  CT_FIELD_DATETIME,
  CT_FIELD_MONEY,
  CT_FIELD_NUMBER,
  CT_FIELD_PARTY,
  CT_FIELD_OFFICERS,
  CT_FIELD_CHOICE,
  CT_FIELD_BOOLEAN,
  CT_FIELD_SIGNATURE,
  CT_FIELD_CLIP,
  CT_FIELD_SCAN,
} CtFieldType;

/* "text", "multiline", "date", …, "clip", "scan" (the ids used in the JSON). */
const char *ct_field_type_to_id   (CtFieldType type);
gboolean    ct_field_type_from_id (const char *id, CtFieldType *type);

/* ---- template definitions ---------------------------------------------------- */

/* A legal citation: @file is a regulations file name such as
 * "002_bd12176678c1676b.txt", or the short name of a national law such as
 * "行政处罚法"; @document names the document inside a file that holds
 * several (003 holds two, each numbering its articles from 第一条), else
 * NULL; @article like "第十二条"; @clause like "（三）" or "第二款", or NULL. */
typedef struct {
  char *file;
  char *document;
  char *article;
  char *clause;
} CtCitation;

typedef struct {
  char *id;
  char *label;     /* official Chinese wording */
  char *label_en;
} CtFormChoice;

typedef struct {
  char        *id;
  char        *label;      /* official Chinese wording, printed on the form */
  char        *label_en;   /* the UI's English mode */
  CtFieldType  type;
  gboolean     required;   /* unconditionally required */
  /* Conditional requirement: the field is required when the value of the
   * field @required_when_field is one of @required_when_equals (choice ids;
   * "true" / "false" when that field is a boolean).  NULL when none. */
  char        *required_when_field;
  GStrv        required_when_equals;
  GPtrArray   *choices;    /* CtFormChoice*; empty unless CT_FIELD_CHOICE */
  GPtrArray   *basis;      /* CtCitation*; why the field is required, may be empty */
  char        *help;       /* Chinese, or NULL */
  guint        item;       /* 1..8: which required item of a decision (柳河县行政执法责任制
                            * 第三十一条) the field carries; 0 for none */
  guint        min_count;  /* officers, signature, clip, scan: least number of entries (≥ 1) */
} CtFieldDef;

typedef struct {
  char      *id;
  char      *title;     /* official Chinese title, e.g. 行政处罚决定书 */
  char      *title_en;
  char      *stage;     /* procedure stage id: filing, investigation, … */
  char      *help;      /* Chinese, or NULL */
  GPtrArray *basis;     /* CtCitation*, at least one */
  GPtrArray *fields;    /* CtFieldDef*, in the order of the form */
  char      *path;      /* the file it was loaded from */
} CtFormTemplate;

const CtFieldDef   *ct_form_template_get_field (const CtFormTemplate *tmpl,
                                                const char           *field_id);
const CtFormChoice *ct_field_def_get_choice    (const CtFieldDef     *field,
                                                const char           *choice_id);

/* Labels in the language the UI runs in: the official Chinese wording when
 * messages are shown in Chinese, the English one otherwise. */
const char *ct_form_template_display_title (const CtFormTemplate *tmpl);
const char *ct_field_def_display_label     (const CtFieldDef     *field);
const char *ct_form_choice_display_label   (const CtFormChoice   *choice);

/* ---- the registry ---------------------------------------------------------------- */

typedef struct _CtFormRegistry CtFormRegistry;

/* Loads every "*.json" file of @dir (other files are ignored).  Fails with
 * CT_ERROR_IO when the directory cannot be read and CT_ERROR_INVALID, naming
 * file, template and field, for any malformed template: invalid JSON,
 * duplicate or unknown keys, unknown field types or stages, duplicate field
 * or template ids, a required_when naming a missing field or a value that
 * field cannot take, a choice field without choices, … */
CtFormRegistry       *ct_form_registry_load_dir (const char      *dir,
                                                 GError         **error);
void                  ct_form_registry_free     (CtFormRegistry  *registry);
/* NULL when unknown; owned by the registry. */
const CtFormTemplate *ct_form_registry_lookup   (CtFormRegistry  *registry,
                                                 const char      *template_id);
/* Every template (const CtFormTemplate*, owned by the registry), sorted by
 * id.  Free the array with g_ptr_array_unref(). */
GPtrArray            *ct_form_registry_list     (CtFormRegistry  *registry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtFormRegistry, ct_form_registry_free)

/* ---- filled forms ------------------------------------------------------------------ */

typedef enum {
  CT_FORM_PROBLEM_MISSING,        /* a required value is absent or empty */
  CT_FORM_PROBLEM_INVALID,        /* the value has the wrong type or format */
  CT_FORM_PROBLEM_UNKNOWN_FIELD,  /* the values name a field the form lacks */
} CtFormProblemKind;

typedef struct {
  CtFormProblemKind kind;
  char  *field_id;
  char  *label;     /* display label (see ct_field_def_display_label()); the
                     * id itself for an unknown field */
  guint  item;      /* the field's decision item 1..8, or 0 */
  char  *message;   /* translated, names the field by its label */
} CtFormProblem;

void ct_form_problem_free (CtFormProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtFormProblem, ct_form_problem_free)

/* Every problem of @values (NULL counts as an empty object) against the
 * template: fields in template order, then unknown ids sorted.  Returns an
 * array of CtFormProblem* with a free function; empty when complete. */
GPtrArray *ct_form_validate        (const CtFormTemplate *tmpl,
                                    JsonObject           *values);
gboolean   ct_form_is_complete     (const CtFormTemplate *tmpl,
                                    JsonObject           *values);

/* Deterministic JSON of the filled form, what approvals sign: one object
 * with the template's fields in template order, no white space.  Missing
 * values (see above) and ids the template lacks are left out, so adding an
 * optional field to a template does not change the record of older forms.
 * Money becomes a "123.40" string; integral numbers print as integers;
 * members of nested objects are sorted by key (byte order); arrays keep
 * their order; strings are escaped like the store's canonical records. */
char      *ct_form_canonical_json  (const CtFormTemplate *tmpl,
                                    JsonObject           *values);

/* Whether @pages is a page list such as "1", "1-3" or "1,3-4" (pages from
 * 1, ranges rising); with @n_pages > 0, every page must be at most it. */
gboolean ct_scan_pages_valid (const char *pages, guint n_pages);

G_END_DECLS

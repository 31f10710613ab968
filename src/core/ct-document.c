#define G_LOG_DOMAIN "casetrail-core"

/* The printed documents' hashes, check codes and value formatting; see
 * ct-document.h.  No cairo here: the store and the CLI's verifier use it. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ct-crypto.h"
#include "ct-document.h"
#include "ct-error.h"

/* ---- hashes -------------------------------------------------------------------- */

char *
ct_document_hash (const char *case_number,
                  const char *template_id,
                  const char *form_sha256_hex)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (case_number != NULL && template_id != NULL && form_sha256_hex != NULL, NULL);
  text = g_strdup_printf ("casetrail-document-v1\n%s\n%s\n%s", case_number, template_id, form_sha256_hex);
  return ct_hash_hex (CT_HASH_SHA256, text, strlen (text));
}

char *
ct_document_hash_of_values (const char           *case_number,
                            const CtFormTemplate *tmpl,
                            JsonObject           *values)
{
  g_autofree char *canonical = ct_form_canonical_json (tmpl, values);
  g_autofree char *form_hash = ct_hash_hex (CT_HASH_SHA256, canonical, strlen (canonical));

  return ct_document_hash (case_number, tmpl->id, form_hash);
}

static gboolean
is_hex64 (const char *s)
{
  if (s == NULL || strlen (s) != 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

char *
ct_fingerprint_compact (const char *fingerprint)
{
  g_autoptr(GString) s = g_string_new (NULL);
  const char *p = fingerprint;

  if (p == NULL)
    return NULL;
  if (g_str_has_prefix (p, "SHA256:"))
    p += strlen ("SHA256:");
  for (; *p; p++)
    if (*p != ' ')
      g_string_append_c (s, g_ascii_tolower (*p));
  if (!is_hex64 (s->str))
    return NULL;
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* ---- the check code --------------------------------------------------------------- */

void
ct_doc_code_free (CtDocCode *code)
{
  if (code == NULL)
    return;
  g_free (code->case_number);
  g_free (code->template_id);
  g_free (code->doc_hash);
  g_free (code->alg);
  g_free (code->fingerprint_hex);
  g_clear_pointer (&code->signature, g_bytes_unref);
  g_free (code);
}

char *
ct_doc_code_format (const CtDocCode *code)
{
  g_autofree char *sig = NULL;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (code != NULL && code->signature != NULL, NULL);
  data = g_bytes_get_data (code->signature, &len);
  sig = g_base64_encode (data, len);
  return g_strdup_printf (CT_DOC_CODE_PREFIX ":%s:%s:%s:%s:%s:%s", code->case_number, code->template_id,
                          code->doc_hash, code->alg, code->fingerprint_hex, sig);
}

static gboolean
is_template_id (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

static gboolean
is_base64 (const char *s)
{
  gsize n = strlen (s);

  if (n == 0 || n % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      char c = s[i];
      if (g_ascii_isalnum (c) || c == '+' || c == '/')
        continue;
      if (c == '=' && i >= n - 2)
        continue;
      return FALSE;
    }
  return TRUE;
}

CtDocCode *
ct_doc_code_parse (const char  *text,
                   GError     **error)
{
  g_autoptr(CtDocCode) code = g_new0 (CtDocCode, 1);
  g_autofree char *s = NULL;
  char *parts[6];
  char *end;
  guchar *sig;
  gsize sig_len;

  g_return_val_if_fail (text != NULL, NULL);
  s = g_strstrip (g_strdup (text));
  if (!g_str_has_prefix (s, CT_DOC_CODE_PREFIX ":"))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("This is not a Casetrail document code: it must start with “%s:”."), CT_DOC_CODE_PREFIX);
      return NULL;
    }

  /* From the right: signature, fingerprint, alg, hash, template; what is
   * left is the case number, which may hold ':'. */
  end = s + strlen (s);
  for (int i = 5; i >= 1; i--)
    {
      char *colon = g_strrstr_len (s, end - s, ":");
      if (colon == NULL || colon <= s + strlen (CT_DOC_CODE_PREFIX))
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("The document code is incomplete: it needs the case number, template, document hash, algorithm, key fingerprint and signature, separated by “:”."));
          return NULL;
        }
      *colon = '\0';
      parts[i] = colon + 1;
      end = colon;
    }
  parts[0] = s + strlen (CT_DOC_CODE_PREFIX ":");

  if (*parts[0] == '\0')
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("The document code names no case number."));
      return NULL;
    }
  if (!is_template_id (parts[1]))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("The document code names no valid form template (“%s”)."), parts[1]);
      return NULL;
    }
  if (!is_hex64 (parts[2]))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("The document hash in the code must be 64 lower-case hexadecimal digits."));
      return NULL;
    }
  if (!ct_sig_alg_from_string (parts[3], &(CtSigAlg) { 0 }, NULL))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("The document code names an unknown signature algorithm “%s”."), parts[3]);
      return NULL;
    }
  if (!is_hex64 (parts[4]))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("The key fingerprint in the code must be 64 lower-case hexadecimal digits."));
      return NULL;
    }
  if (!is_base64 (parts[5]))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("The signature in the document code is not valid base64."));
      return NULL;
    }
  sig = g_base64_decode (parts[5], &sig_len);
  if (sig_len == 0)
    {
      g_free (sig);
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("The signature in the document code is empty."));
      return NULL;
    }

  code->case_number = g_strdup (parts[0]);
  code->template_id = g_strdup (parts[1]);
  code->doc_hash = g_strdup (parts[2]);
  code->alg = g_strdup (parts[3]);
  code->fingerprint_hex = g_strdup (parts[4]);
  code->signature = g_bytes_new_take (sig, sig_len);
  return g_steal_pointer (&code);
}

/* ---- documents --------------------------------------------------------------------- */

void
ct_doc_signature_free (CtDocSignature *sig)
{
  if (sig == NULL)
    return;
  g_free (sig->signer);
  g_free (sig->signer_name);
  g_free (sig->role);
  g_free (sig->signed_at);
  g_free (sig->alg);
  g_free (sig->fingerprint);
  g_free (sig->invalid_reason);
  g_free (sig->code);
  g_free (sig);
}

void
ct_document_free (CtDocument *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->agency);
  g_free (doc->case_number);
  g_clear_pointer (&doc->values, json_object_unref);
  g_free (doc->form_hash);
  g_free (doc->doc_hash);
  g_free (doc->updated_at);
  g_clear_pointer (&doc->officers, g_hash_table_unref);
  g_clear_pointer (&doc->media_names, g_hash_table_unref);
  g_clear_pointer (&doc->signatures, g_ptr_array_unref);
  g_free (doc);
}

static gboolean
node_is_missing (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      for (; s && *s; s++)
        if (!g_ascii_isspace (*s))
          return FALSE;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) == 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_size (json_node_get_object (node)) == 0;
  return FALSE;
}

static const char *
node_string (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

/* "2024-03-01" → "2024年3月1日"; anything else as it is. */
static void
append_date (GString    *s,
             const char *iso)
{
  int y, m, d;

  if (iso != NULL && sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
    g_string_append_printf (s, "%d年%d月%d日", y, m, d);
  else if (iso != NULL)
    g_string_append (s, iso);
}

/* Printed in the time zone it was written in: the offset is part of the
 * record, and 9:30 Beijing time must read 9时30分 on paper. */
static void
append_datetime (GString    *s,
                 const char *iso)
{
  int y, mo, d, h, mi;

  if (iso != NULL && sscanf (iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) == 5)
    {
      const char *t = strchr (iso, 'T');
      const char *zone = t ? t + strcspn (t, "Z+-") : "";

      g_string_append_printf (s, "%d年%d月%d日%02d时%02d分", y, mo, d, h, mi);
      if (*zone != '\0' && strcmp (zone, "+08:00") != 0)
        g_string_append_printf (s, "（%s）", strcmp (zone, "Z") == 0 ? "UTC" : zone);
    }
  else if (iso != NULL)
    g_string_append (s, iso);
}

static void
append_ms (GString *s,
           gint64   ms)
{
  gint64 sec = ms / 1000;
  g_string_append_printf (s, "%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                          sec / 3600, (sec / 60) % 60, sec % 60);
}

static const struct {
  const char *key;
  const char *label;
} party_keys[] = {
  { "kind", NULL },
  { "gender", "性别" },
  { "birth_date", "出生日期" },
  { "id_number", "证件号码" },
  { "legal_rep", "法定代表人" },
  { "employer", "工作单位" },
  { "address", "住址" },
  { "contact", "联系方式" },
};

static void
append_party (GString    *s,
              JsonObject *party)
{
  g_autoptr(GList) members = json_object_get_members (party);
  const char *kind = NULL;

  g_string_append (s, json_object_get_string_member_with_default (party, "name", ""));
  if (json_object_has_member (party, "kind"))
    kind = node_string (json_object_get_member (party, "kind"));
  if (g_strcmp0 (kind, "person") == 0)
    g_string_append (s, "（自然人）");
  else if (g_strcmp0 (kind, "organization") == 0)
    g_string_append (s, "（单位）");

  for (guint i = 1; i < G_N_ELEMENTS (party_keys); i++)
    {
      JsonNode *n = json_object_get_member (party, party_keys[i].key);
      if (node_is_missing (n) || node_string (n) == NULL)
        continue;
      g_string_append_printf (s, "\n%s：", party_keys[i].label);
      if (strcmp (party_keys[i].key, "birth_date") == 0)
        append_date (s, node_string (n));
      else
        g_string_append (s, node_string (n));
    }
  /* Members the printed form has no label for still print. */
  members = g_list_sort (members, (GCompareFunc) strcmp);
  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean known = strcmp (l->data, "name") == 0;
      JsonNode *n = json_object_get_member (party, l->data);

      for (guint i = 0; i < G_N_ELEMENTS (party_keys) && !known; i++)
        known = strcmp (party_keys[i].key, l->data) == 0;
      if (!known && !node_is_missing (n) && node_string (n) != NULL)
        g_string_append_printf (s, "\n%s：%s", (const char *) l->data, node_string (n));
    }
}

static void
append_signature (const CtDocument *doc,
                  GString          *s,
                  JsonObject       *sig)
{
  g_string_append (s, json_object_get_string_member_with_default (sig, "signer", ""));
  if (json_object_has_member (sig, "signed_at"))
    {
      g_string_append (s, "　");
      append_datetime (s, node_string (json_object_get_member (sig, "signed_at")));
    }
}

/* A clip names its recording by the file's name and, as nothing else on
 * the page gives it, its full SHA-256: the name is what people know it by,
 * the hash what identifies it. */
static void
append_clip (const CtDocument *doc,
             GString          *s,
             JsonObject       *clip)
{
  const char *media = json_object_get_string_member_with_default (clip, "media", "");
  const char *name = NULL;

  if (doc != NULL && doc->media_names != NULL)
    name = g_hash_table_lookup (doc->media_names, media);
  if (name != NULL && name[0] != '\0')
    g_string_append_printf (s, "音像记录 %s（SHA-256 %s） ", name, media);
  else
    g_string_append_printf (s, "音像记录 %s ", media);
  append_ms (s, json_object_get_int_member_with_default (clip, "start_ms", 0));
  g_string_append (s, "—");
  append_ms (s, json_object_get_int_member_with_default (clip, "end_ms", 0));
  if (json_object_has_member (clip, "label") && node_string (json_object_get_member (clip, "label")))
    g_string_append_printf (s, "　%s", node_string (json_object_get_member (clip, "label")));
}

static void
append_scan (const CtDocument *doc,
             GString          *s,
             JsonObject       *scan)
{
  const char *media = json_object_get_string_member_with_default (scan, "media", "");
  JsonNode *pages = json_object_get_member (scan, "pages");

  /* the hash's first 12 digits name the scan as `media show` accepts it */
  g_string_append_printf (s, "扫描件 %.12s", media);
  if (pages != NULL && node_string (pages))
    g_string_append_printf (s, " 第%s页", node_string (pages));
  if (json_object_has_member (scan, "label") && node_string (json_object_get_member (scan, "label")))
    g_string_append_printf (s, "　%s", node_string (json_object_get_member (scan, "label")));
}

static void
append_number (GString  *s,
               JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append (s, json_node_get_string (node));
  else
    {
      double v = json_node_get_double (node);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      if (v == (double) (gint64) v)
        g_string_append_printf (s, "%" G_GINT64_FORMAT, (gint64) v);
      else
        g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
    }
}

/* Each object of @node (an object or an array of them), one per line. */
static void
append_each (const CtDocument *doc,
             GString          *s,
             JsonNode         *node,
             void            (*append) (const CtDocument *, GString *, JsonObject *))
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      append (doc, s, json_node_get_object (node));
      return;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (node), i);
      if (!JSON_NODE_HOLDS_OBJECT (e))
        continue;
      if (s->len > 0)
        g_string_append_c (s, '\n');
      append (doc, s, json_node_get_object (e));
    }
}

char *
ct_document_format_value (const CtDocument *doc,
                          const CtFieldDef *field,
                          JsonNode         *value)
{
  g_autoptr(GString) s = g_string_new (NULL);

  g_return_val_if_fail (field != NULL, NULL);

  /* A choice or a yes/no question prints its options, the answer ticked,
   * even when unanswered: the paper form is filled in by hand then. */
  if (field->type == CT_FIELD_CHOICE)
    {
      const char *chosen = node_is_missing (value) ? NULL : node_string (value);
      for (guint i = 0; i < field->choices->len; i++)
        {
          const CtFormChoice *c = field->choices->pdata[i];
          g_string_append_printf (s, "%s%s%s", i > 0 ? "　" : "", g_strcmp0 (chosen, c->id) == 0 ? "■" : "□",
                                  c->label);
        }
      return g_string_free (g_steal_pointer (&s), FALSE);
    }
  if (field->type == CT_FIELD_BOOLEAN)
    {
      gboolean answered = value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
                          json_node_get_value_type (value) == G_TYPE_BOOLEAN;
      gboolean yes = answered && json_node_get_boolean (value);
      g_string_append_printf (s, "%s是　%s否", answered && yes ? "■" : "□", answered && !yes ? "■" : "□");
      return g_string_free (g_steal_pointer (&s), FALSE);
    }
  if (node_is_missing (value))
    return g_strdup ("");

  switch (field->type)
    {
    case CT_FIELD_TEXT:
    case CT_FIELD_MULTILINE:
      if (node_string (value) != NULL)
        g_string_append (s, node_string (value));
      break;
    case CT_FIELD_DATE:
      append_date (s, node_string (value));
      break;
    case CT_FIELD_DATETIME:
      append_datetime (s, node_string (value));
      break;
    case CT_FIELD_MONEY:
      if (JSON_NODE_HOLDS_VALUE (value))
        {
          if (json_node_get_value_type (value) == G_TYPE_STRING)
            g_string_append (s, json_node_get_string (value));
          else
            {
              char buf[G_ASCII_DTOSTR_BUF_SIZE];
              g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.2f", json_node_get_double (value)));
            }
          g_string_append (s, "元");
        }
      break;
    case CT_FIELD_NUMBER:
      if (JSON_NODE_HOLDS_VALUE (value))
        append_number (s, value);
      break;
    case CT_FIELD_PARTY:
      if (JSON_NODE_HOLDS_OBJECT (value))
        append_party (s, json_node_get_object (value));
      break;
    case CT_FIELD_OFFICERS:
      if (JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *a = json_node_get_array (value);
          for (guint i = 0; i < json_array_get_length (a); i++)
            {
              const char *user = node_string (json_array_get_element (a, i));
              const char *shown = NULL;

              if (user == NULL)
                continue;
              if (doc != NULL && doc->officers != NULL)
                shown = g_hash_table_lookup (doc->officers, user);
              g_string_append_printf (s, "%s%s", s->len > 0 ? "\n" : "", shown ? shown : user);
            }
        }
      break;
    case CT_FIELD_SIGNATURE:
      append_each (doc, s, value, append_signature);
      break;
    case CT_FIELD_CLIP:
      append_each (doc, s, value, append_clip);
      break;
    case CT_FIELD_SCAN:
      append_each (doc, s, value, append_scan);
      break;
    case CT_FIELD_CHOICE:
    case CT_FIELD_BOOLEAN:
    default:
      g_assert_not_reached ();
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

gboolean
ct_document_check_issuable (const CtDocument *doc,
                            GError          **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GString) missing = g_string_new (NULL);
  guint n = 0;

  g_return_val_if_fail (doc != NULL, FALSE);

  problems = ct_form_validate (doc->tmpl, doc->values);
  for (guint i = 0; i < problems->len; i++)
    {
      const CtFormProblem *p = g_ptr_array_index (problems, i);

      if (p->item == 0)
        continue;
      if (missing->len > 0)
        g_string_append (missing, _("; "));
      /* Translators: one missing item of a decision: its number (1–8) and the field */
      g_string_append_printf (missing, _("item %u “%s”"), p->item, p->label);
      n++;
    }
  if (n == 0)
    return TRUE;
  g_set_error (error, CT_ERROR, CT_ERROR_BLOCKED,
               g_dngettext (GETTEXT_PACKAGE,
                            "“%s” cannot be issued while an item it must state is missing "
                            "(003_41c78582f6a07220.txt 第三十一条): %s. Fill it in first",
                            "“%s” cannot be issued while items it must state are missing "
                            "(003_41c78582f6a07220.txt 第三十一条): %s. Fill them in first", n),
               doc->tmpl->title, missing->str);
  return FALSE;
}

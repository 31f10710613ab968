/* test-document.c — printed documents (文书): hashes, check codes, the PDF
 * of every template, and checking paper copies against the store.
 *
 * The PDF checks run the tools a person would: qpdf --check, pdffonts
 * (every font embedded), pdftotext (the values are there), pdftoppm +
 * zbarimg (the QR codes read back).  A check whose tool is missing is
 * skipped; build-aux/debian-packages.txt lists them. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ct-crypto.h"
#include "ct-document.h"
#include "ct-error.h"
#include "ct-media.h"
#include "ct-test-util.h"

/* ---- helpers ---------------------------------------------------------------------- */

static gboolean
have_tool (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);
  return path != NULL;
}

/* Runs argv; returns the exit status, the output in *out. */
static int
run (const char * const *argv,
     char              **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err, &status,
                               &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s: %s", argv[0], err ? err : "");
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static char *
strip_space (const char *s)
{
  GString *out = g_string_new (NULL);

  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_isspace (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* The first @n characters of @s. */
static char *
utf8_prefix (const char *s,
             glong       n)
{
  if (g_utf8_strlen (s, -1) <= n)
    return g_strdup (s);
  return g_strndup (s, g_utf8_offset_to_pointer (s, n) - s);
}

static const char *const texts[] = {
  "示例市好邻居超市有限公司",
  "示例市东城区人民路88号",
  "《中华人民共和国食品安全法》第三十四条第（十）项",
  "当事人经营场所货架",
  "0431-88886666",
  "示例市市场监督管理局东城分局",
};

/* Realistic values for every field of a template; the first multiline
 * field is long enough to continue on another page. */
static const CtTestFormFill fill = {
  .texts = texts,
  .n_texts = G_N_ELEMENTS (texts),
  .long_repeat = 14,
  .multiline = "当事人对上述事实无异议，请求从轻处罚。",
  .date = "2026-03-02",
  .datetime = "2026-03-01T09:30:00+08:00",
  .party_details = TRUE,
  .officers = { "zhangwei", "lina" },
  .first_signer = "周某某",
  .signer = "张伟",
  .signed_at = "2026-03-01T10:05:00+08:00",
  .attachments = TRUE,
};

/* What pdftotext must find for @field: the printed value, or for long
 * text a prefix that sits on one page. */
static char *
expected_text (const CtDocument *doc,
               const CtFieldDef *f)
{
  JsonNode *n = json_object_get_member (doc->values, f->id);
  g_autofree char *shown = ct_document_format_value (doc, f, n);
  g_autofree char *flat = strip_space (shown);

  switch (f->type)
    {
    case CT_FIELD_MULTILINE:
      return utf8_prefix (flat, 16);
    case CT_FIELD_SCAN:
      /* "扫描件 5ca9d0c1e2f3 第1-2页　签收页": a narrow value column may wrap it */
      return utf8_prefix (flat, 9);
    case CT_FIELD_BOOLEAN:
      return g_strdup (json_node_get_boolean (n) ? "■是" : "■否");
    case CT_FIELD_CHOICE:
      /* The ticked option (the list may wrap anywhere). */
      return g_strdup_printf ("■%s", ct_field_def_get_choice (f, json_node_get_string (n))->label);
    case CT_FIELD_PARTY:
    case CT_FIELD_OFFICERS:
    case CT_FIELD_SIGNATURE:
      /* Several lines: the first one is enough to find.  A signature's
       * signer and time stand apart, and pdftotext may read them apart. */
      {
        g_auto(GStrv) lines = g_strsplit (shown, "\n", 2);
        g_auto(GStrv) parts = g_strsplit (lines[0], "　", 2);
        g_autofree char *first = strip_space (f->type == CT_FIELD_SIGNATURE ? parts[0] : lines[0]);
        return utf8_prefix (first, 24);
      }
    default:
      return g_steal_pointer (&flat);
    }
}

static void
check_fonts_embedded (const char *pdf)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  const char *argv[] = { "pdffonts", pdf, NULL };
  const char *emb;
  gsize col;
  guint fonts = 0;

  g_assert_cmpint (run (argv, &out), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_nonnull (lines[0]);
  emb = strstr (lines[0], " emb ");
  g_assert_nonnull (emb);
  col = emb - lines[0] + 1;
  for (guint i = 2; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0')
        continue;
      g_assert_cmpuint (strlen (lines[i]), >, col + 3);
      if (strncmp (lines[i] + col, "yes", 3) != 0)
        g_error ("%s: font not embedded: %s", pdf, lines[i]);
      fonts++;
    }
  g_assert_cmpuint (fonts, >, 0);
}

/* Every QR code on every page, as zbarimg reads them. */
static GPtrArray *
read_qr_codes (const char *dir,
               const char *pdf)
{
  g_autofree char *prefix = g_build_filename (dir, "page", NULL);
  const char *argv[] = { "pdftoppm", "-png", "-r", "150", pdf, prefix, NULL };
  g_autoptr(GDir) d = NULL;
  g_autofree char *out = NULL;
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_cmpint (run (argv, &out), ==, 0);
  d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *png = NULL;
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_str_has_prefix (name, "page") || !g_str_has_suffix (name, ".png"))
        continue;
      png = g_build_filename (dir, name, NULL);
      {
        const char *zargv[] = { "zbarimg", "-q", "--raw", png, NULL };
        run (zargv, &text);   /* exit 4: no code on the page */
      }
      g_unlink (png);
      lines = g_strsplit (text ? text : "", "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (*lines[i] != '\0')
          g_ptr_array_add (codes, g_strdup (lines[i]));
    }
  return codes;
}

/* ---- hashes and codes ------------------------------------------------------------------ */

static void
test_hash (void)
{
  g_autofree char *h = ct_document_hash ("测市监立〔2026〕1号", "penalty_decision",
                                         "00000000000000000000000000000000000000000000000000000000000000ff");
  g_autofree char *want = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                         "casetrail-document-v1\n测市监立〔2026〕1号\npenalty_decision\n"
                                                         "00000000000000000000000000000000000000000000000000000000000000ff", -1);
  g_autofree char *other = ct_document_hash ("测市监立〔2026〕2号", "penalty_decision",
                                             "00000000000000000000000000000000000000000000000000000000000000ff");
  g_autofree char *fp = ct_fingerprint_compact (
    "SHA256:21fe 31df a154 a261 626b f854 046f d227 1b7b ed4b 6abe 45aa 5887 7ef4 7f97 21b9");

  g_assert_cmpstr (h, ==, want);
  g_assert_cmpstr (h, !=, other);
  g_assert_cmpstr (fp, ==, "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9");
  g_assert_null (ct_fingerprint_compact ("SHA256:21fe"));
}

static void
test_code (void)
{
  static const guint8 sig_bytes[] = { 1, 2, 3, 250, 251, 252, 0, 63 };
  g_autoptr(GBytes) sig = g_bytes_new_static (sig_bytes, sizeof sig_bytes);
  CtDocCode code = {
    .case_number = (char *) "A:B〔2026〕7号",   /* a pattern may hold ':' */
    .template_id = (char *) "penalty_decision",
    .doc_hash = (char *) "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    .alg = (char *) "sm2-sm3",
    .fingerprint_hex = (char *) "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9",
    .signature = sig,
  };
  g_autofree char *text = ct_doc_code_format (&code);
  g_autofree char *padded = g_strdup_printf ("  %s\n", text);
  g_autoptr(CtDocCode) back = NULL;
  g_autoptr(GError) error = NULL;
  static const char *bad[] = {
    "CT2:x:penalty_decision:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef:ed25519:"
      "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9:AQID",
    "CT1:x:penalty_decision:0123:ed25519:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9:AQID",
    "CT1:x:penalty_decision:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef:rsa:"
      "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9:AQID",
    "CT1:x:penalty_decision:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef:ed25519:"
      "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9:A*ID",
    "CT1::penalty_decision:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef:ed25519:"
      "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9:AQID",
    "CT1:penalty_decision:ed25519",
    /* Five separators but no case number: the prefix's ':' is no separator. */
    "CT1:penalty_decision:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef:ed25519:"
      "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9:AQID",
  };

  g_assert_true (g_str_has_prefix (text, "CT1:A:B〔2026〕7号:penalty_decision:0123"));
  back = ct_doc_code_parse (padded, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->case_number, ==, code.case_number);
  g_assert_cmpstr (back->template_id, ==, code.template_id);
  g_assert_cmpstr (back->doc_hash, ==, code.doc_hash);
  g_assert_cmpstr (back->alg, ==, code.alg);
  g_assert_cmpstr (back->fingerprint_hex, ==, code.fingerprint_hex);
  g_assert_true (g_bytes_equal (back->signature, sig));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CtDocCode) none = ct_doc_code_parse (bad[i], &error);
      g_assert_null (none);
      g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
      g_clear_error (&error);
    }
}

static void
test_format (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *forms_dir = g_build_filename (g_getenv ("CASETRAIL_PKGDATADIR"), "forms", NULL);
  g_autoptr(CtFormRegistry) reg = ct_form_registry_load_dir (forms_dir, &error);
  const CtFormTemplate *t;
  CtFieldDef f = { 0 };
  struct {
    CtFieldType type;
    const char *json;
    const char *want;
  } cases[] = {
    { CT_FIELD_DATE, "\"2026-03-02\"", "2026年3月2日" },
    { CT_FIELD_DATETIME, "\"2026-03-01T09:30:00+08:00\"", "2026年3月1日09时30分" },
    { CT_FIELD_DATETIME, "\"2026-03-01T01:30:00Z\"", "2026年3月1日01时30分（UTC）" },
    { CT_FIELD_MONEY, "\"5000.50\"", "5000.50元" },
    { CT_FIELD_MONEY, "12.5", "12.50元" },
    { CT_FIELD_NUMBER, "48", "48" },
    { CT_FIELD_BOOLEAN, "true", "■是　□否" },
    { CT_FIELD_BOOLEAN, "false", "□是　■否" },
    { CT_FIELD_BOOLEAN, "null", "□是　□否" },
    { CT_FIELD_TEXT, "\"  \"", "" },
    { CT_FIELD_PARTY, "{\"name\":\"王某\",\"kind\":\"person\",\"id_number\":\"110101199001011234\"}",
      "王某（自然人）\n证件号码：110101199001011234" },
    { CT_FIELD_SIGNATURE, "[{\"signer\":\"王某\",\"signed_at\":\"2026-03-01T10:05:00+08:00\"},"
                          "{\"signer\":\"张伟\",\"signed_at\":\"2026-03-01T10:06:00+08:00\"}]",
      "王某　2026年3月1日10时05分\n张伟　2026年3月1日10时06分" },
    { CT_FIELD_CLIP, "{\"media\":\"a.mp4\",\"start_ms\":61000,\"end_ms\":3723000}",
      "音像记录 a.mp4 00:01:01—01:02:03" },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) n = json_from_string (cases[i].json, &error);
      g_autofree char *got = NULL;

      g_assert_no_error (error);
      f.type = cases[i].type;
      f.id = (char *) "x";
      got = ct_document_format_value (NULL, &f, n);
      g_assert_cmpstr (got, ==, cases[i].want);
    }

  /* A choice prints every option, the answer ticked. */
  t = ct_form_registry_lookup (reg, "filing_approval");
  g_assert_nonnull (t);
  {
    const CtFieldDef *src = ct_form_template_get_field (t, "source");
    g_autoptr(JsonNode) n = json_from_string ("\"complaint\"", NULL);
    g_autofree char *got = ct_document_format_value (NULL, src, n);
    g_assert_true (g_str_has_prefix (got, "□监督检查发现　■投诉　□举报"));
  }
}

/* ---- every template as a PDF ------------------------------------------------------------- */

static void
test_render_all (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = ct_test_make_dir ();
  g_autofree char *pdfdir = g_build_filename (dir, "pdf", NULL);
  g_autoptr(CtStore) store = ct_store_open (dir, &error);
  g_autoptr(CtSession) handler = NULL;
  g_autoptr(CtSession) head = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  gboolean tools = have_tool ("qpdf") && have_tool ("pdffonts") && have_tool ("pdftotext");
  gboolean zbar = have_tool ("zbarimg") && have_tool ("pdftoppm");
  guint multipage = 0, with_qr = 0;
  gint64 case_id;
  CtFormRegistry *reg;

  g_assert_no_error (error);
  g_assert_true (ct_store_load_demo (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (pdfdir, 0700), ==, 0);
  handler = ct_store_login (store, "zhangwei", CT_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);
  head = ct_store_login (store, "sunqiang", CT_DEMO_PASSPHRASE, &error);
  g_assert_no_error (error);
  reg = ct_store_get_forms (store, &error);
  g_assert_no_error (error);
  templates = ct_form_registry_list (reg);
  g_assert_cmpuint (templates->len, >=, 30);

  /* A new case like demo case 1 (张伟 and 李娜 handle it; the demo's own
   * case 1 already has papers and a filing approval): every form filled,
   * then the head approves filing and the decision. */
  {
    const char *handlers[] = { "zhangwei", "lina", NULL };
    CtCaseSpec spec = {
      .procedure = "general", .cause = "涉嫌销售超过保质期的食品", .source = "report",
      .source_detail = "市民刘某（12315 热线转办）",
      .place = "示例市东城区人民路 88 号", .party_kind = "organization",
      .party_name = "示例市好邻居超市有限公司", .party_id_number = "91000000MA0000001X",
      .party_address = "示例市东城区人民路 88 号", .party_legal_rep = "周某某",
      .handlers = handlers,
    };
    case_id = ct_store_create_case (store, handler, &spec, &error);
    g_assert_no_error (error);
    g_assert_cmpint (case_id, >, 0);
  }
  for (guint i = 0; i < templates->len; i++)
    {
      const CtFormTemplate *t = templates->pdata[i];
      g_autoptr(JsonObject) values = ct_test_form_values (t, &fill);

      if (!ct_store_save_form (store, handler, case_id, t->id, values, &error))
        g_error ("%s: %s", t->id, error->message);
    }
  g_assert_cmpint (ct_store_approve (store, head, case_id, "filing", &error), >, 0);
  g_assert_cmpint (ct_store_approve (store, head, case_id, "decision", &error), >, 0);
  g_assert_no_error (error);

  for (guint i = 0; i < templates->len; i++)
    {
      const CtFormTemplate *t = templates->pdata[i];
      g_autoptr(CtDocument) doc = ct_store_get_document (store, handler, case_id, t->id, &error);
      g_autoptr(GBytes) again = NULL;
      g_autoptr(GBytes) pdf = NULL;
      g_autofree char *name = g_strdup_printf ("%s.pdf", t->id);
      g_autofree char *path = g_build_filename (pdfdir, name, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *doc_hash = NULL;
      gsize len;
      guint pages = 0;

      g_assert_no_error (error);
      doc_hash = ct_document_hash (doc->case_number, t->id, doc->form_hash);
      g_assert_cmpstr (doc->doc_hash, ==, doc_hash);
      g_assert_true (ct_document_write_pdf (doc, path, &pages, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (pages, >=, 1);
      if (pages > 1)
        multipage++;

      /* The same document always gives the same bytes (under the
       * sanitizers, which render ten times slower, for a few of them). */
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      pdf = g_bytes_new_take (g_steal_pointer (&contents), len);
      g_assert_true (g_str_has_prefix (g_bytes_get_data (pdf, NULL), "%PDF-1.5"));
      if (g_getenv ("CASETRAIL_SANITIZED") == NULL || i % 8 == 0)
        {
          again = ct_document_render_pdf (doc, NULL, &error);
          g_assert_no_error (error);
          g_assert_true (g_bytes_equal (pdf, again));
        }

      /* Approvals print only where they belong, each with its code. */
      for (guint k = 0; k < doc->signatures->len; k++)
        {
          CtDocSignature *sig = doc->signatures->pdata[k];
          g_assert_true (sig->valid);
          g_assert_nonnull (sig->code);
          g_assert_cmpstr (sig->signer_name, ==, "孙强");
        }
      if (strcmp (t->id, "filing_approval") == 0 || strcmp (t->id, "decision_approval") == 0 ||
          strcmp (t->id, "penalty_decision") == 0)
        g_assert_cmpuint (doc->signatures->len, ==, 1);
      if (strcmp (t->id, "questioning_record") == 0)
        g_assert_cmpuint (doc->signatures->len, ==, 0);
      if (doc->signatures->len > 0)
        with_qr++;

      if (!tools)
        continue;
      {
        const char *qpdf[] = { "qpdf", "--check", path, NULL };
        const char *totext[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
        g_autofree char *out = NULL;
        g_autofree char *text = NULL;
        g_autofree char *flat = NULL;
        g_autofree char *title = strip_space (t->title);
        g_autofree char *footer = g_strdup_printf ("第1页共%u页", pages);

        g_assert_cmpint (run (qpdf, &out), ==, 0);
        check_fonts_embedded (path);
        g_assert_cmpint (run (totext, &text), ==, 0);
        flat = strip_space (text);
        g_assert_nonnull (strstr (flat, "示例市市场监督管理局"));
        g_assert_nonnull (strstr (flat, title));
        g_assert_nonnull (strstr (flat, doc->case_number));
        g_assert_nonnull (strstr (flat, footer));
        g_assert_nonnull (strstr (flat, doc->doc_hash));
        for (guint k = 0; k < t->fields->len; k++)
          {
            const CtFieldDef *f = t->fields->pdata[k];
            g_autofree char *label = strip_space (f->label);
            g_autofree char *want = expected_text (doc, f);

            if (strstr (flat, label) == NULL)
              g_error ("%s: label “%s” not in the PDF text", t->id, f->label);
            if (*want != '\0' && strstr (flat, want) == NULL)
              g_error ("%s: value of “%s” (“%s”) not in the PDF text", t->id, f->id, want);
          }
        for (guint k = 0; k < doc->signatures->len; k++)
          g_assert_nonnull (strstr (flat, "孙强"));
      }

      /* The QR codes read back as the codes of the approvals. */
      if (zbar && doc->signatures->len > 0)
        {
          g_autoptr(GPtrArray) codes = read_qr_codes (pdfdir, path);
          g_assert_cmpuint (codes->len, ==, doc->signatures->len);
          /* zbarimg need not read a page's codes top to bottom. */
          for (guint k = 0; k < doc->signatures->len; k++)
            {
              const char *want = ((CtDocSignature *) doc->signatures->pdata[k])->code;
              gboolean found = FALSE;
              for (guint m = 0; m < codes->len && !found; m++)
                found = strcmp (codes->pdata[m], want) == 0;
              if (!found)
                g_error ("%s: the QR code of approval %u does not read back as %s", t->id, k, want);
            }
        }
    }
  g_assert_cmpuint (multipage, >, 0);
  g_assert_cmpuint (with_qr, >=, 3);

  if (!tools)
    g_test_skip ("qpdf, pdffonts or pdftotext missing (Debian: qpdf poppler-utils)");
  else if (!zbar)
    g_test_message ("zbarimg missing (Debian: zbar-tools): QR codes not read back");
  ct_test_remove_dir (dir);
}

/* ---- a clip names its recording ------------------------------------------------------------ */

/* A clip field prints the recording's file name as imported beside its
 * full SHA-256 (the hash is nowhere else on the page), with the in and out
 * times; rendering stays deterministic. */
static void
test_clip_file_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtSession) h1 = ct_test_login (store, "h1");
  g_autoptr(CtDocument) doc = NULL;
  g_autoptr(CtMediaImport) imp = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autofree char *src = g_build_filename (dir, "执法记录仪_DSJ-0042_0930.mp4", NULL);
  g_autofree char *ref = NULL;
  g_autofree char *shown = NULL;
  gint64 case_id = ct_test_new_case (store, "涉嫌销售过期食品");
  const char *officers[] = { "h1", NULL };
  const CtFieldDef *field;
  JsonObject *clip;

  ref = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  {
    CtMediaSpec spec = { .case_ref = ref, .officers = officers, .device = "DSJ-0042",
                         .recorded_at = "2026-03-02T09:30:00+08:00" };

    g_assert_true (g_file_set_contents (src, "a recording's bytes, for the hash only", -1, NULL));
    imp = ct_store_import_media (store, h1, src, &spec, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }

  clip = json_object_new ();
  json_object_set_string_member (clip, "media", imp->media->sha256);
  json_object_set_int_member (clip, "start_ms", 61000);
  json_object_set_int_member (clip, "end_ms", 183000);
  json_object_set_string_member (clip, "label", "告知陈述申辩权利");
  json_object_set_object_member (values, "av_recording", clip);
  if (!ct_store_save_form (store, h1, case_id, "onsite_record", values, &error))
    g_error ("onsite_record: %s", error->message);

  doc = ct_store_get_document (store, h1, case_id, "onsite_record", &error);
  g_assert_no_error (error);
  field = ct_form_template_get_field (doc->tmpl, "av_recording");
  g_assert_nonnull (field);
  shown = ct_document_format_value (doc, field, json_object_get_member (doc->values, "av_recording"));
  {
    g_autofree char *want = g_strdup_printf ("音像记录 执法记录仪_DSJ-0042_0930.mp4（SHA-256 %s） 00:01:01—00:03:03"
                                             "　告知陈述申辩权利", imp->media->sha256);
    g_assert_cmpstr (shown, ==, want);
  }

  /* The same document, the same bytes. */
  pdf = ct_document_render_pdf (doc, NULL, &error);
  g_assert_no_error (error);
  again = ct_document_render_pdf (doc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (pdf, again));

  if (have_tool ("pdftotext"))
    {
      g_autofree char *path = g_build_filename (dir, "onsite_record.pdf", NULL);
      const char *totext[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
      g_autofree char *text = NULL;
      g_autofree char *flat = NULL;

      g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), NULL));
      g_assert_cmpint (run (totext, &text), ==, 0);
      flat = strip_space (text);
      if (strstr (flat, "执法记录仪_DSJ-0042_0930.mp4") == NULL)
        g_error ("the clip's file name is not in the PDF text:\n%s", text);
      g_assert_nonnull (strstr (flat, imp->media->sha256));
      g_assert_nonnull (strstr (flat, "00:01:01—00:03:03"));
    }
  else
    g_test_message ("pdftotext missing (Debian: poppler-utils): the PDF text is not checked");

  /* A clip of a recording the case does not hold still prints its hash. */
  {
    g_autoptr(JsonNode) n = json_from_string ("{\"media\":\"" "00000000000000000000000000000000"
                                              "000000000000000000000000000000ff\",\"start_ms\":0,\"end_ms\":1000}",
                                              &error);
    g_autofree char *other = NULL;

    g_assert_no_error (error);
    other = ct_document_format_value (doc, field, n);
    g_assert_cmpstr (other, ==, "音像记录 00000000000000000000000000000000000000000000000000000000000000ff "
                                "00:00:00—00:00:01");
  }
  ct_test_remove_dir (dir);
}

/* ---- checking paper copies ------------------------------------------------------------------- */

static void
check_paper (gboolean national)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, national);
  g_autoptr(CtSession) h1 = ct_test_login (store, "h1");
  g_autoptr(CtSession) sup = ct_test_login (store, "sup");
  g_autoptr(CtDocument) doc = NULL;
  g_autoptr(CtDocVerdict) v = NULL;
  g_autoptr(CtDocCode) code = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autofree char *forged = NULL;
  gint64 case_id = ct_test_new_case (store, "涉嫌销售过期食品");
  GBytes *sig;
  guint8 *bytes;
  gsize len;

  json_object_set_string_member (values, "cause", "涉嫌销售过期食品");
  json_object_set_string_member (values, "place", "示例市东城区人民路88号");
  json_object_set_string_member (values, "case_summary", "当事人货架上有过期酸奶48盒。");
  g_assert_true (ct_store_save_form (store, h1, case_id, "filing_approval", values, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ct_store_approve (store, sup, case_id, "filing", &error), >, 0);

  doc = ct_store_get_document (store, h1, case_id, "filing_approval", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (doc->signatures->len, ==, 1);
  g_assert_cmpstr (((CtDocSignature *) doc->signatures->pdata[0])->alg, ==, national ? "sm2-sm3" : "ed25519");
  g_assert_true (ct_store_record_document (store, h1, case_id, doc, "pdf", "x.pdf", &error));
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'document.render'"), ==, 1);

  /* The genuine code matches. */
  v = ct_store_verify_document_code (store, h1, ((CtDocSignature *) doc->signatures->pdata[0])->code, &error);
  g_assert_no_error (error);
  g_assert_true (v->matches);
  g_assert_cmpuint (v->problems->len, ==, 0);
  g_assert_cmpstr (v->signer_name, ==, "sup");
  g_clear_pointer (&v, ct_doc_verdict_free);
  v = ct_store_verify_document (store, h1, case_id, "filing_approval", &error);
  g_assert_true (v->matches);
  g_assert_cmpuint (v->n_signatures, ==, 1);
  g_clear_pointer (&v, ct_doc_verdict_free);

  /* A forged signature: one bit flipped. */
  code = ct_doc_code_parse (((CtDocSignature *) doc->signatures->pdata[0])->code, &error);
  g_assert_no_error (error);
  len = g_bytes_get_size (code->signature);
  bytes = g_memdup2 (g_bytes_get_data (code->signature, NULL), len);
  bytes[len / 2] ^= 0x10;
  sig = g_bytes_new_take (bytes, len);
  g_bytes_unref (code->signature);
  code->signature = sig;
  forged = ct_doc_code_format (code);
  v = ct_store_verify_document_code (store, h1, forged, &error);
  g_assert_no_error (error);
  g_assert_false (v->matches);
  g_assert_cmpuint (v->problems->len, ==, 1);
  g_assert_nonnull (strstr (v->problems->pdata[0], "not genuine"));
  g_clear_pointer (&v, ct_doc_verdict_free);

  /* One field altered in the database behind the core's back. */
  ct_test_raw_exec (dir, "UPDATE forms SET data = replace (data, '人民路88号', '人民路99号')"
                         " WHERE template = 'filing_approval'");
  v = ct_store_verify_document_code (store, h1, ((CtDocSignature *) doc->signatures->pdata[0])->code, &error);
  g_assert_no_error (error);
  g_assert_false (v->matches);
  g_assert_cmpstr (v->paper_hash, ==, doc->doc_hash);
  g_assert_cmpstr (v->system_hash, !=, doc->doc_hash);
  {
    gboolean named = FALSE;
    for (guint i = 0; i < v->problems->len; i++)
      named |= strstr (v->problems->pdata[i], "“案发地” differs") != NULL &&
               strstr (v->problems->pdata[i], "人民路99号") != NULL;
    g_assert_true (named);
  }
  g_clear_pointer (&v, ct_doc_verdict_free);
  v = ct_store_verify_document (store, h1, case_id, "filing_approval", &error);
  g_assert_false (v->matches);
  g_assert_cmpuint (v->problems->len, ==, 1);
  g_clear_pointer (&v, ct_doc_verdict_free);

  /* A code for a case that does not exist. */
  {
    g_autoptr(CtDocCode) c2 = ct_doc_code_parse (((CtDocSignature *) doc->signatures->pdata[0])->code, NULL);
    g_autofree char *text = NULL;
    g_free (c2->case_number);
    c2->case_number = g_strdup ("无此案〔2026〕9号");
    text = ct_doc_code_format (c2);
    v = ct_store_verify_document_code (store, h1, text, &error);
    g_assert_no_error (error);
    g_assert_false (v->matches);
    g_clear_pointer (&v, ct_doc_verdict_free);
  }

  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'document.verify'"), ==, 5);
  ct_test_remove_dir (dir);
}

static void
test_verify_ed25519 (void)
{
  check_paper (FALSE);
}

static void
test_verify_sm2 (void)
{
  check_paper (TRUE);
}

/* 003 第三十一条: a decision cannot be issued while an item it must state is
 * missing; the message names the items.  A preview of the draft is fine. */
static void
test_decision_not_issuable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  g_autoptr(CtSession) h1 = ct_test_login (store, "h1");
  g_autoptr(CtDocument) doc = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  gint64 case_id = ct_test_new_case (store, "涉嫌销售过期食品");

  /* Items 2 (事实和证据) and 5 (履行方式和期限) left out; the rest given. */
  json_object_set_string_member (values, "legal_basis", "《中华人民共和国食品安全法》第一百二十四条");
  json_object_set_string_member (values, "decision_content", "罚款人民币50000元");
  json_object_set_string_member (values, "remedies", "自收到本决定书之日起六十日内申请行政复议");
  json_object_set_string_member (values, "agency_name", "测试局");
  json_object_set_string_member (values, "decision_date", "2026-03-02");
  json_object_set_string_member (values, "other_matters", "无");
  g_assert_true (ct_store_save_form (store, h1, case_id, "penalty_decision", values, &error));
  g_assert_no_error (error);

  doc = ct_store_get_document (store, h1, case_id, "penalty_decision", &error);
  g_assert_no_error (error);
  g_assert_false (ct_document_check_issuable (doc, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_BLOCKED);
  g_assert_nonnull (strstr (error->message, "item 2 “"));
  g_assert_nonnull (strstr (error->message, "item 5 “"));
  g_assert_nonnull (strstr (error->message, "item 1 “"));     /* the party, not given either */
  g_assert_null (strstr (error->message, "item 4 “"));
  g_assert_nonnull (strstr (error->message, "第三十一条"));
  g_clear_error (&error);

  g_assert_false (ct_store_record_document (store, h1, case_id, doc, "pdf", "x.pdf", &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_BLOCKED);
  g_clear_error (&error);
  g_assert_true (ct_store_record_document (store, h1, case_id, doc, "preview", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ct_test_raw_count (dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'document.render'"), ==, 1);

  /* A form without numbered items is always issuable. */
  {
    g_autoptr(CtDocument) other = NULL;
    g_autoptr(JsonObject) v2 = json_object_new ();
    json_object_set_string_member (v2, "cause", "涉嫌销售过期食品");
    g_assert_true (ct_store_save_form (store, h1, case_id, "filing_approval", v2, &error));
    other = ct_store_get_document (store, h1, case_id, "filing_approval", &error);
    g_assert_no_error (error);
    g_assert_true (ct_document_check_issuable (other, &error));
    g_assert_no_error (error);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/document/hash", test_hash);
  g_test_add_func ("/document/code", test_code);
  g_test_add_func ("/document/format", test_format);
  g_test_add_func ("/document/render-all", test_render_all);
  g_test_add_func ("/document/clip-file-name", test_clip_file_name);
  g_test_add_func ("/document/decision-not-issuable", test_decision_not_issuable);
  g_test_add_func ("/document/verify/ed25519", test_verify_ed25519);
  g_test_add_func ("/document/verify/sm2", test_verify_sm2);
  return g_test_run ();
}

/* test-dossier.c — the case file as one PDF, and archiving it (issue 6
 * items 6 and 7)
 *
 * "Done when: qpdf --check passes and pdffonts shows every font embedded on
 * every generated PDF; pdftotext finds the field values."  The contents'
 * page numbers are checked against the pages pdftotext finds each title on.
 * Archiving stores the dossier as an object, records it with its audit row
 * and leaves the case read-only on every write path.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ct-crypto.h"
#include "ct-dossier.h"
#include "ct-error.h"
#include "ct-form.h"
#include "ct-media.h"
#include "ct-objects.h"
#include "ct-review.h"
#include "ct-rules.h"
#include "ct-store-private.h"
#include "ct-test-util.h"

typedef struct {
  char      *dir;
  CtStore   *store;
  gint64     case_id;
  CtSession *h1;
  CtSession *sup;
  char      *media_sha;
  gint64     media_id;
  GPtrArray *titles;     /* char*: titles of the documents saved */
} Fixture;

static gboolean
have_tool (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);
  return path != NULL;
}

static char *
run (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s%s", argv[0], out, err);
  return g_steal_pointer (&out);
}

/* Text fields get a marker naming the template; the first long text a few
 * paragraphs, so documents run over a page. */
static JsonObject *
make_values (const CtFormTemplate *tmpl)
{
  JsonObject *o = json_object_new ();

  for (guint i = 0; i < tmpl->fields->len; i++)
    {
      const CtFieldDef *f = tmpl->fields->pdata[i];

      if (f->type == CT_FIELD_TEXT)
        {
          g_autofree char *v = g_strdup_printf ("标记%s", tmpl->id);
          json_object_set_string_member (o, f->id, v);
        }
      else if (f->type == CT_FIELD_MULTILINE)
        {
          g_autoptr(GString) s = g_string_new (NULL);
          for (int k = 0; k < 6; k++)
            g_string_append (s, ct_test_paragraph);
          json_object_set_string_member (o, f->id, s->str);
        }
      else if (f->type == CT_FIELD_DATE)
        json_object_set_string_member (o, f->id, "2026-03-02");
    }
  return o;
}

/* Every field filled: a complete form. */
static const char *const complete_texts[] = { ct_test_paragraph };
static const CtTestFormFill complete_fill = {
  .texts = complete_texts,
  .n_texts = G_N_ELEMENTS (complete_texts),
  .long_repeat = 1,
  .multiline = ct_test_paragraph,
  .date = "2026-03-20",
  .datetime = "2026-03-20T09:30:00+08:00",
  .party_details = FALSE,
  .officers = { "h1", "h2" },
  .first_signer = "张伟",
  .signer = "张伟",
  .signed_at = "2026-03-20T10:05:00+08:00",
  .attachments = FALSE,
};

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = NULL;
  g_autofree char *src = NULL;
  const char *officers[] = { "h1", NULL };
  const char *templates[] = { "filing_approval", "questioning_record", "onsite_record",
                              "investigation_final_report", "penalty_decision", NULL };
  CtFormRegistry *forms;

  f->dir = ct_test_make_dir ();
  f->store = ct_test_store_new (f->dir, GPOINTER_TO_INT (data));
  f->case_id = ct_test_new_case (f->store, "涉嫌销售超过保质期的食品");
  f->h1 = ct_test_login (f->store, "h1");
  f->sup = ct_test_login (f->store, "sup");
  f->titles = g_ptr_array_new_with_free_func (g_free);
  ref = g_strdup_printf ("%" G_GINT64_FORMAT, f->case_id);

  forms = ct_store_get_forms (f->store, &error);
  g_assert_no_error (error);
  /* Saved out of procedural order on purpose. */
  for (int i = G_N_ELEMENTS (templates) - 2; i >= 0; i--)
    {
      const CtFormTemplate *t = ct_form_registry_lookup (forms, templates[i]);
      g_autoptr(JsonObject) values = NULL;

      g_assert_nonnull (t);
      values = make_values (t);
      if (!ct_store_save_form (f->store, f->h1, f->case_id, t->id, values, &error))
        g_error ("%s: %s", t->id, error->message);
      g_ptr_array_insert (f->titles, 0, g_strdup (t->title));
    }
  g_assert_cmpint (ct_store_approve (f->store, f->sup, f->case_id, "filing", &error), >, 0);
  g_assert_no_error (error);

  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (11);
    g_autofree guint8 *buf = g_malloc (200000);
    CtMediaSpec spec = { .case_ref = ref, .officers = officers, .device = "DSJ-007",
                         .recorded_at = "2026-03-02T09:00:00+08:00" };
    g_autoptr(CtMediaImport) imp = NULL;

    for (gsize i = 0; i < 200000; i++)
      buf[i] = (guint8) g_rand_int_range (rand, 0, 256);
    src = g_build_filename (f->dir, "DSJ_1.mp4", NULL);
    g_assert_true (g_file_set_contents (src, (const char *) buf, 200000, NULL));
    imp = ct_store_import_media (f->store, f->h1, src, &spec, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    f->media_sha = g_strdup (imp->media->sha256);
    f->media_id = imp->media->id;
  }
}

static void
teardown (Fixture *f, gconstpointer data)
{
  ct_session_unref (f->h1);
  ct_session_unref (f->sup);
  g_object_unref (f->store);
  ct_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->media_sha);
  g_ptr_array_unref (f->titles);
}

static void
check_pdf_tools (const char *path)
{
  if (have_tool ("qpdf"))
    {
      const char *argv[] = { "qpdf", "--check", path, NULL };
      g_autofree char *out = run (argv);
      g_assert_nonnull (strstr (out, "No syntax or stream encoding errors"));
    }
  if (have_tool ("pdffonts"))
    {
      const char *argv[] = { "pdffonts", path, NULL };
      g_autofree char *out = run (argv);
      g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
      guint fonts = 0;

      /* name type encoding emb sub uni object ID: "emb" is the fourth
       * column from the right. */
      for (guint i = 2; lines[i] != NULL; i++)
        {
          g_auto(GStrv) cols = NULL;
          guint n;

          if (*lines[i] == '\0')
            continue;
          cols = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
          {
            GPtrArray *words = g_ptr_array_new ();
            for (guint k = 0; cols[k] != NULL; k++)
              if (*cols[k] != '\0')
                g_ptr_array_add (words, cols[k]);
            n = words->len;
            g_assert_cmpuint (n, >=, 6);
            if (strcmp (words->pdata[n - 5], "yes") != 0)
              g_error ("font not embedded: %s", lines[i]);
            g_ptr_array_free (words, TRUE);
          }
          fonts++;
        }
      g_assert_cmpuint (fonts, >, 0);
    }
}

/* The text of page @page (1-based). */
static char *
page_text (const char *path, guint page)
{
  g_autofree char *p = g_strdup_printf ("%u", page);
  const char *argv[] = { "pdftotext", "-layout", "-f", p, "-l", p, path, "-", NULL };
  return run (argv);
}

static char *
squeeze (const char *s)
{
  GString *out = g_string_new (NULL);
  for (const char *p = s; *p; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
test_render (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDossier) d = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autofree char *path = g_build_filename (f->dir, "dossier.pdf", NULL);
  g_autofree char *all = NULL, *flat = NULL;
  g_autoptr(CtSession) rev = ct_test_login (f->store, "rev");
  g_autoptr(CtSession) h3 = ct_test_login (f->store, "h3");
  gint64 before, after;
  guint pages = 0;

  /* Not an officer, supervisor or records officer: refused. */
  g_assert_null (ct_store_render_dossier (f->store, h3, f->case_id, 0, NULL, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (ct_store_render_dossier (f->store, rev, f->case_id, 0, NULL, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);

  before = ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.dossier'");
  d = ct_store_get_dossier (f->store, f->h1, f->case_id, 0, &error);
  g_assert_no_error (error);
  after = ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.dossier'");
  g_assert_cmpint (after, ==, before + 1);
  g_assert_true (d->checkpoint_valid);
  g_assert_cmpuint (d->documents->len, ==, f->titles->len);
  /* Procedural order: by the stages of the procedure, whatever the order
   * they were saved in (penalty decision first, filing approval last). */
  {
    CtRuleSet *rules = ct_store_get_rules (f->store, &error);
    const CtProcedureDef *proc = ct_ruleset_get_procedure (rules, "general");
    guint last = 0;

    for (guint i = 0; i < d->documents->len; i++)
      {
        const CtFormTemplate *t = ((CtDocument *) d->documents->pdata[i])->tmpl;
        guint s = G_MAXUINT;

        for (guint k = 0; k < proc->stages->len; k++)
          if (g_strcmp0 (((CtStageDef *) proc->stages->pdata[k])->id, t->stage) == 0)
            s = k;
        if (s == G_MAXUINT)
          continue;   /* 现场笔录 belongs to the coercive procedure: filed where it was made */
        g_assert_cmpuint (s, >=, last);
        last = s;
      }
    g_assert_cmpstr (((CtDocument *) d->documents->pdata[0])->tmpl->id, ==, "filing_approval");
    g_assert_cmpstr (((CtDocument *) d->documents->pdata[d->documents->len - 1])->tmpl->id, ==, "penalty_decision");
  }

  pdf = ct_dossier_render_pdf (d, &pages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pages, >, 8);
  /* Deterministic for the same inputs. */
  again = ct_dossier_render_pdf (d, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (pdf, again));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), NULL));

  check_pdf_tools (path);
  if (!have_tool ("pdftotext"))
    {
      g_test_skip ("pdftotext is not installed");
      return;
    }
  {
    const char *argv[] = { "pdftotext", path, "-", NULL };
    all = run (argv);
    flat = squeeze (all);
  }
  g_assert_nonnull (strstr (flat, d->case_number));
  g_assert_nonnull (strstr (flat, "标记filing_approval"));
  g_assert_nonnull (strstr (flat, "标记penalty_decision"));
  g_assert_nonnull (strstr (flat, f->media_sha));
  g_assert_nonnull (strstr (flat, "DSJ-007"));
  g_assert_nonnull (strstr (flat, "case.dossier"));
  g_assert_nonnull (strstr (flat, "media.import"));
  {
    g_autofree char *fp = squeeze (d->checkpoint_fingerprint);
    g_autofree char *head = g_strndup (d->checkpoint_head, 32);
    g_assert_nonnull (strstr (flat, fp));
    g_assert_nonnull (strstr (flat, head));
  }
  if (d->with_sm3)
    {
      const CtMedia *m = d->media->pdata[0];
      g_assert_nonnull (strstr (flat, m->sm3));
    }

  /* The contents: each title's page number is the page it starts on. */
  {
    g_autofree char *toc = page_text (path, 2);
    g_auto(GStrv) lines = g_strsplit (toc, "\n", -1);
    guint checked = 0;

    g_assert_nonnull (strstr (toc, "卷内文书目录"));
    for (guint i = 0; lines[i] != NULL; i++)
      {
        g_auto(GStrv) words = NULL;
        g_autofree char *text = NULL, *flat_page = NULL, *title_flat = NULL;
        guint n = 0;
        guint64 page;
        char *end;

        words = g_regex_split_simple ("\\s+", g_strstrip (lines[i]), 0, 0);
        n = g_strv_length (words);
        if (n < 3 || !g_ascii_isdigit (*words[0]))
          continue;
        page = g_ascii_strtoull (words[n - 1], &end, 10);
        if (*end != '\0' || page == 0)
          continue;
        g_assert_cmpuint (page, <=, pages);
        text = page_text (path, (guint) page);
        flat_page = squeeze (text);
        /* "行政执法案卷（封面）": the cover reads 行政执法案卷 */
        title_flat = squeeze (words[1]);
        if (g_str_has_suffix (title_flat, "（封面）"))
          title_flat[strlen (title_flat) - strlen ("（封面）")] = '\0';
        if (strstr (flat_page, title_flat) == NULL)
          g_error ("contents say “%s” starts on page %" G_GUINT64_FORMAT ", which reads: %s", words[1], page, text);
        /* and it is the first page of it: the page before does not run on */
        checked++;
      }
    g_assert_cmpuint (checked, ==, 2 + f->titles->len + 1 + 4);
  }
  /* The dossier-wide footer on the last page. */
  {
    g_autofree char *last = page_text (path, pages);
    g_autofree char *foot = g_strdup_printf ("卷内第%u页共%u页", pages, pages);
    g_autofree char *flat_last = squeeze (last);
    g_assert_nonnull (strstr (flat_last, foot));
  }
}

static void
expect_read_only (GError **error)
{
  g_assert_error (*error, CT_ERROR, CT_ERROR_PERMISSION);
  g_assert_nonnull (strstr ((*error)->message, "archived"));
  g_clear_error (error);
}

static void
test_archive (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtCaseArchive) a = NULL;
  g_autoptr(CtCaseArchive) again = NULL;
  g_autoptr(CtObjectStore) objects = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(CtSession) rev = ct_test_login (f->store, "rev");
  g_autoptr(CtSession) asst = ct_test_login (f->store, "asst");
  g_autofree char *objects_root = g_build_filename (f->dir, "objects", NULL);
  g_autofree char *sha = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *stage = NULL;

  /* Not yet at the archive stage. */
  g_assert_null (ct_store_archive_case (f->store, f->h1, f->case_id, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (ct_store_set_stage_unchecked (f->store, f->h1, f->case_id, "archive", "test", &error));
  g_assert_no_error (error);

  /* Advancing past the archive stage is archiving: never without the
   * dossier. */
  stage = ct_store_advance_case (f->store, f->h1, f->case_id, NULL, &error);
  g_assert_null (stage);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A supervisor or an assistant does not archive. */
  g_assert_null (ct_store_archive_case (f->store, asst, f->case_id, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);

  /* The archive stage's checklist blocks as advancing would: no closing
   * report yet. */
  g_assert_null (ct_store_archive_case (f->store, f->h1, f->case_id, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_BLOCKED);
  g_assert_nonnull (strstr (error->message, "national.general.archive.closing-report"));
  g_clear_error (&error);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM case_archives"), ==, 0);
  {
    CtFormRegistry *forms = ct_store_get_forms (f->store, &error);
    g_autoptr(JsonObject) values =
      ct_test_form_values (ct_form_registry_lookup (forms, "closing_report"), &complete_fill);
    g_assert_true (ct_store_save_form (f->store, f->h1, f->case_id, "closing_report", values, &error));
    g_assert_no_error (error);
  }

  a = ct_store_archive_case (f->store, f->h1, f->case_id, &error);
  if (a == NULL && g_error_matches (error, CT_ERROR, CT_ERROR_BLOCKED))
    g_error ("the archive stage blocks: %s", error->message);
  g_assert_no_error (error);
  g_assert_nonnull (a);
  g_assert_cmpuint (a->pages, >, 8);
  g_assert_cmpint (a->checkpoint_id, >, 0);
  g_assert_true (ct_object_hash_is_valid (a->sha256));
  g_assert_true ((a->sm3 != NULL) == GPOINTER_TO_INT (data));

  /* The row, the stage and the audit row. */
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM case_archives"), ==, 1);
  sql = g_strdup_printf ("SELECT COUNT(*) FROM audit_log WHERE action = 'case.archive' AND detail LIKE '%%%s%%'",
                         a->sha256);
  g_assert_cmpint (ct_test_raw_count (f->dir, sql), ==, 1);
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM cases WHERE status = 'archived'"), ==, 1);
  /* The archive stage was left when the case was archived: 001 第二十一条's
   * deadline (from entering to leaving it) is met by archiving itself. */
  g_assert_cmpint (ct_test_raw_count (f->dir, "SELECT COUNT(*) FROM case_stages WHERE stage = 'archive'"
                                               " AND left_at IS NOT NULL"), ==, 1);
  {
    g_autoptr(GPtrArray) reqs = ct_store_check_case (f->store, f->case_id, "archive", &error);
    gboolean found = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < reqs->len; i++)
      {
        CtRequirement *r = reqs->pdata[i];
        if (g_strcmp0 (r->rule->id, "001.general.archive.within-20-working-days") == 0)
          {
            g_assert_cmpint (r->state, ==, CT_REQ_SATISFIED);
            g_assert_cmpint (r->deadline_state, !=, CT_DEADLINE_OVERDUE);
            found = TRUE;
          }
      }
    g_assert_true (found);
  }

  /* The object is in the store and verifies. */
  objects = ct_object_store_open (objects_root, &error);
  g_assert_no_error (error);
  g_assert_true (ct_object_store_verify (objects, a->sha256, NULL, &error));
  g_assert_no_error (error);

  /* Read back verified; a reviewer (not an officer) may not. */
  stored = ct_store_read_case_archive (f->store, f->h1, f->case_id, &again, &error);
  g_assert_no_error (error);
  sha = ct_hash_hex (CT_HASH_SHA256, g_bytes_get_data (stored, NULL), g_bytes_get_size (stored));
  g_assert_cmpstr (sha, ==, a->sha256);
  g_assert_null (ct_store_read_case_archive (f->store, rev, f->case_id, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  /* the message says what was refused: reading, not making */
  g_assert_nonnull (strstr (error->message, "read the archived dossier"));
  g_clear_error (&error);

  /* Archived twice: no. */
  g_assert_null (ct_store_archive_case (f->store, f->h1, f->case_id, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_EXISTS);
  g_clear_error (&error);

  /* Read-only: form save, media import, attaching a clip, annotating. */
  {
    g_autoptr(JsonObject) values = json_object_new ();
    g_assert_false (ct_store_save_form (f->store, f->h1, f->case_id, "onsite_record", values, &error));
    expect_read_only (&error);
  }
  {
    g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, f->case_id);
    const char *officers[] = { "h1", NULL };
    CtMediaSpec spec = { .case_ref = ref, .officers = officers, .device = "DSJ-008" };
    g_autofree char *src = g_build_filename (f->dir, "late.mp4", NULL);
    g_autoptr(CtMediaImport) imp = NULL;

    g_assert_true (g_file_set_contents (src, "not really a video, but new bytes", -1, NULL));
    imp = ct_store_import_media (f->store, f->h1, src, &spec, NULL, NULL, NULL, &error);
    g_assert_null (imp);
    expect_read_only (&error);
  }
  g_assert_false (ct_store_attach_clip (f->store, f->h1, f->media_id, "onsite_record", "av_recording", 0, 1000, NULL,
                                        &error));
  expect_read_only (&error);
  g_assert_cmpint (ct_store_annotate (f->store, rev, f->media_id, 0, -1, CT_REVIEW_OTHER, "late", &error), ==, 0);
  expect_read_only (&error);
  g_assert_false (ct_store_set_flag (f->store, f->h1, f->case_id, "complex", "true", &error));
  expect_read_only (&error);
}

/* The archived copy written out to a file chosen by a person (the app's
 * "Save Archived Dossier…"): the same permission as reading it, verified
 * against its record before anything is written, audited with the file it
 * went to. */
static void
test_save_archive (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtCaseArchive) a = NULL;
  g_autoptr(CtCaseArchive) saved = NULL;
  g_autoptr(CtObjectStore) objects = NULL;
  g_autoptr(CtSession) rev = ct_test_login (f->store, "rev");
  g_autofree char *objects_root = g_build_filename (f->dir, "objects", NULL);
  g_autofree char *target = g_build_filename (f->dir, "案卷副本.pdf", NULL);
  g_autofree char *refused = g_build_filename (f->dir, "refused.pdf", NULL);
  g_autofree char *nowhere = g_build_filename (f->dir, "no-such-folder", "copy.pdf", NULL);
  g_autofree char *damaged = g_build_filename (f->dir, "damaged.pdf", NULL);
  g_autofree char *object = NULL, *contents = NULL, *sha = NULL, *sql = NULL;
  const char *reads = "SELECT COUNT(*) FROM audit_log WHERE action = 'case.dossier-read'";
  gsize len = 0;

  /* Not archived yet: nothing to write. */
  g_assert_false (ct_store_save_case_archive (f->store, f->h1, f->case_id, target, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));

  g_assert_true (ct_store_set_stage_unchecked (f->store, f->h1, f->case_id, "archive", "test", &error));
  {
    CtFormRegistry *forms = ct_store_get_forms (f->store, &error);
    g_autoptr(JsonObject) values = ct_test_form_values (ct_form_registry_lookup (forms, "closing_report"), &complete_fill);
    g_assert_true (ct_store_save_form (f->store, f->h1, f->case_id, "closing_report", values, &error));
    g_assert_no_error (error);
  }
  a = ct_store_archive_case (f->store, f->h1, f->case_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (a);

  /* A legal reviewer may not read the archive: no file, no audit row. */
  g_assert_false (ct_store_save_case_archive (f->store, rev, f->case_id, refused, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (g_file_test (refused, G_FILE_TEST_EXISTS));
  g_assert_cmpint (ct_test_raw_count (f->dir, reads), ==, 0);

  /* The handler: the stored bytes, recorded with where they went. */
  g_assert_true (ct_store_save_case_archive (f->store, f->h1, f->case_id, target, &saved, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (saved->sha256, ==, a->sha256);
  g_assert_cmpuint (saved->pages, ==, a->pages);
  g_assert_true (g_file_get_contents (target, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, a->size);
  sha = ct_hash_hex (CT_HASH_SHA256, contents, len);
  g_assert_cmpstr (sha, ==, a->sha256);
  g_assert_cmpint (ct_test_raw_count (f->dir, reads), ==, 1);
  sql = g_strdup_printf ("SELECT COUNT(*) FROM audit_log WHERE action = 'case.dossier-read'"
                         " AND detail LIKE '%%%s%%' AND detail LIKE '%%案卷副本.pdf%%'", a->sha256);
  g_assert_cmpint (ct_test_raw_count (f->dir, sql), ==, 1);

  /* A folder that is not there: an error naming the file, nothing audited. */
  g_assert_false (ct_store_save_case_archive (f->store, f->h1, f->case_id, nowhere, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_IO);
  g_assert_nonnull (strstr (error->message, nowhere));
  g_clear_error (&error);
  g_assert_cmpint (ct_test_raw_count (f->dir, reads), ==, 1);

  /* The stored copy damaged: refused before anything is written. */
  objects = ct_object_store_open (objects_root, &error);
  g_assert_no_error (error);
  object = ct_object_store_path (objects, a->sha256);
  g_assert_cmpint (g_chmod (object, 0600), ==, 0);
  contents[len / 2] ^= 0x20;
  g_assert_true (g_file_set_contents (object, contents, (gssize) len, NULL));
  g_assert_false (ct_store_save_case_archive (f->store, f->h1, f->case_id, damaged, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INTEGRITY);
  g_assert_nonnull (strstr (error->message, a->sha256));
  g_clear_error (&error);
  g_assert_false (g_file_test (damaged, G_FILE_TEST_EXISTS));
  g_assert_cmpint (ct_test_raw_count (f->dir, reads), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/dossier/render", Fixture, GINT_TO_POINTER (FALSE), setup, test_render, teardown);
  g_test_add ("/dossier/render/sm3", Fixture, GINT_TO_POINTER (TRUE), setup, test_render, teardown);
  g_test_add ("/dossier/archive", Fixture, GINT_TO_POINTER (FALSE), setup, test_archive, teardown);
  g_test_add ("/dossier/archive/sm3", Fixture, GINT_TO_POINTER (TRUE), setup, test_archive, teardown);
  g_test_add ("/dossier/archive/save", Fixture, GINT_TO_POINTER (FALSE), setup, test_save_archive, teardown);
  return g_test_run ();
}

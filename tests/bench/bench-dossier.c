/* bench-dossier.c — issue 6: "a 200-page dossier exports in under 5 s,
 * memory flat."
 *
 * Builds a case with every form template filled (long texts), media and a
 * long audit trail, grows it until its dossier reaches 50, 100 and 200
 * pages, and at each size times ct_store_render_dossier() (gathering,
 * checkpoint, both layout passes) and reads the peak RSS (VmHWM) and the
 * current RSS.  Memory is flat when the peak does not grow with the page
 * count beyond the PDF's own bytes.  Prints RESULT lines against the
 * target; exits 1 when the 200-page dossier misses it.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ct-dossier.h"
#include "ct-form.h"
#include "ct-media.h"
#include "ct-test-util.h"

#define TARGET_SECONDS 5.0

static long
status_kb (const char *key)
{
  g_autofree char *text = NULL;
  const char *at;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return -1;
  at = strstr (text, key);
  return at ? strtol (at + strlen (key) + 1, NULL, 10) : -1;
}

static void
fill_forms (CtStore *store, CtSession *h1, gint64 case_id, guint n_forms, int paragraphs)
{
  g_autoptr(GError) error = NULL;
  CtFormRegistry *forms = ct_store_get_forms (store, &error);
  g_autoptr(GPtrArray) list = ct_form_registry_list (forms);

  for (guint i = 0; i < MIN (n_forms, list->len); i++)
    {
      const CtFormTemplate *t = list->pdata[i];
      g_autoptr(JsonObject) o = json_object_new ();

      for (guint k = 0; k < t->fields->len; k++)
        {
          const CtFieldDef *f = t->fields->pdata[k];
          if (f->type == CT_FIELD_TEXT)
            json_object_set_string_member (o, f->id, "示例市好邻居超市有限公司");
          else if (f->type == CT_FIELD_MULTILINE)
            {
              g_autoptr(GString) s = g_string_new (NULL);
              for (int p = 0; p < paragraphs; p++)
                g_string_append (s, ct_test_paragraph);
              json_object_set_string_member (o, f->id, s->str);
            }
        }
      if (!ct_store_save_form (store, h1, case_id, t->id, o, &error))
        g_error ("%s: %s", t->id, error->message);
    }
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = ct_test_make_dir ();
  g_autoptr(CtStore) store = ct_test_store_new (dir, FALSE);
  gint64 case_id = ct_test_new_case (store, "涉嫌销售超过保质期的食品");
  g_autoptr(CtSession) h1 = ct_test_login (store, "h1");
  g_autoptr(CtSession) sup = ct_test_login (store, "sup");
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  const guint targets[] = { 50, 100, 200 };
  const char *officers[] = { "h1", NULL };
  double seconds_200 = 0;
  guint flag = 0;
  int rc = 0;

  fill_forms (store, h1, case_id, 6, 1);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("DSJ_%03u.mp4", i);
      g_autofree char *src = g_build_filename (dir, name, NULL);
      g_autofree char *body = g_strdup_printf ("medium %u of the benchmark", i);
      CtMediaSpec spec = { .case_ref = ref, .officers = officers, .device = "DSJ-001",
                           .recorded_at = "2026-03-02T09:00:00+08:00" };
      g_autoptr(CtMediaImport) imp = NULL;

      g_assert_true (g_file_set_contents (src, body, -1, NULL));
      imp = ct_store_import_media (store, h1, src, &spec, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (ct_store_approve (store, sup, case_id, "filing", &error), >, 0);

  /* A first dossier loads the fonts (fontconfig, the Noto CJK files):
   * reported, not counted. */
  {
    guint pages = 0;
    gint64 start = g_get_monotonic_time ();
    g_autoptr(GBytes) pdf = ct_store_render_dossier (store, sup, case_id, 0, "benchmark", &pages, &error);

    g_assert_no_error (error);
    printf ("RESULT dossier-cold pages=%u seconds=%.2f (first in the process: fonts loaded)\n", pages,
            (g_get_monotonic_time () - start) / 1e6);
  }

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      guint pages = 0;
      double seconds = 0, gather_s = 0;
      gsize bytes = 0;

      /* Grow the audit trail (and the texts) until the dossier is long
       * enough: each flag change is one audited row. */
      for (;;)
        {
          g_autoptr(GBytes) pdf = NULL;
          g_autoptr(CtDossier) d = NULL;
          gint64 start = g_get_monotonic_time ();
          gint64 gathered;

          /* What ct_store_render_dossier() does, timed in two parts. */
          d = ct_store_get_dossier (store, sup, case_id, 0, &error);
          g_assert_no_error (error);
          gathered = g_get_monotonic_time ();
          pdf = ct_dossier_render_pdf (d, &pages, &error);
          g_assert_no_error (error);
          seconds = (g_get_monotonic_time () - start) / 1e6;
          gather_s = (gathered - start) / 1e6;
          bytes = g_bytes_get_size (pdf);
          if (pages >= targets[t])
            break;
          for (guint k = 0; k < (targets[t] - pages) * 14 + 5; k++)
            {
              g_autofree char *v = g_strdup_printf ("%u", flag++);
              if (!ct_store_set_flag (store, h1, case_id, "note", v, &error))
                g_error ("%s", error->message);
            }
        }
      printf ("RESULT dossier pages=%u seconds=%.2f (gather %.2f, layout and PDF %.2f) pdf_bytes=%zu "
              "vm_hwm_kb=%ld vm_rss_kb=%ld\n", pages, seconds, gather_s, seconds - gather_s, bytes,
              status_kb ("VmHWM:"), status_kb ("VmRSS:"));
      fflush (stdout);
      if (targets[t] == 200)
        seconds_200 = seconds;
    }
  printf ("RESULT dossier-200 %.2f s (target < %.1f s): %s\n", seconds_200, TARGET_SECONDS,
          seconds_200 < TARGET_SECONDS ? "PASS" : "FAIL");
  if (seconds_200 >= TARGET_SECONDS)
    rc = 1;
  g_clear_object (&store);
  ct_test_remove_dir (dir);
  return rc;
}

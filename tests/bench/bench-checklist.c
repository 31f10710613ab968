#define G_LOG_DOMAIN "casetrail-bench"

/* Benchmark: evaluating the checklist of a case with 200 requirements.
 * Target (issue 3): under 5 ms.  Prints the median and the 99th
 * percentile of the pure engine and of the whole store path (facts read
 * from SQLite, then evaluated), against that target. */

#include "config.h"

#include <glib/gstdio.h>

#include "ct-rules.h"
#include "ct-store.h"
#include "../ct-test-util.h"

#define N_RULES 200
#define ROUNDS 500
#define TARGET_US 5000.0

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static char *
make_pack (void)
{
  g_autoptr(GString) s = g_string_new (NULL);

  g_string_append (s,
    "{\"id\": \"bench\", \"title\": \"bench\", \"procedures\": [{\"id\": \"general\", \"title\": \"t\", \"title_en\": \"t\","
    " \"stages\": [{\"id\": \"filing\"}, {\"id\": \"investigation\"}, {\"id\": \"rights_notice\"},"
    " {\"id\": \"legal_review\"}, {\"id\": \"decision\"}]}], \"rules\": [");
  for (int i = 0; i < N_RULES; i++)
    {
      const char *when = i % 3 == 0
        ? ", \"when\": {\"any\": [{\"fact\": \"flag.complex\", \"equals\": true}, {\"fact\": \"case.source\", \"in\": [\"report\", \"complaint\"]}]}"
        : "";
      const char *stage = "filing";   /* one stage holds all 200 */
      if (i > 0)
        g_string_append_c (s, ',');
      switch (i % 6)
        {
        case 0:
          g_string_append_printf (s, "{\"id\": \"r%d\", \"procedure\": \"general\", \"stage\": \"%s\", \"kind\": \"form\","
                                  " \"form\": \"form%d\"", i, stage, i);
          break;
        case 1:
          g_string_append_printf (s, "{\"id\": \"r%d\", \"procedure\": \"general\", \"stage\": \"%s\", \"kind\": \"field\","
                                  " \"form\": \"form%d\", \"field\": \"f%d\", \"equals\": true", i, stage, i - 1, i);
          break;
        case 2:
          g_string_append_printf (s, "{\"id\": \"r%d\", \"procedure\": \"general\", \"stage\": \"%s\", \"kind\": \"approval\","
                                  " \"subject\": \"s%d\", \"role\": \"supervisor\"", i, stage, i);
          break;
        case 3:
          g_string_append_printf (s, "{\"id\": \"r%d\", \"procedure\": \"general\", \"stage\": \"%s\", \"kind\": \"av-record\","
                                  " \"form\": \"form%d\", \"field\": \"clip\"", i, stage, i);
          break;
        case 4:
          g_string_append_printf (s, "{\"id\": \"r%d\", \"procedure\": \"general\", \"stage\": \"%s\", \"kind\": \"condition\","
                                  " \"condition\": {\"all\": [{\"fact\": \"case.certified_officers\", \"gte\": 2},"
                                  " {\"not\": {\"fact\": \"flag.x%d\", \"equals\": true}}]}", i, stage, i);
          break;
        default:
          g_string_append_printf (s, "{\"id\": \"r%d\", \"procedure\": \"general\", \"stage\": \"%s\", \"kind\": \"deadline\","
                                  " \"from\": \"stage.filing.entered_at\", \"until\": \"stage.decision.left_at\","
                                  " \"period\": {\"unit\": \"%s\", \"amount\": %d}", i, stage,
                                  i % 12 == 5 ? "working-days" : "days", 20 + i % 70);
          break;
        }
      g_string_append_printf (s, ", \"severity\": \"%s\", \"basis\": {\"file\": \"bench\", \"article\": \"第%d条\"},"
                              " \"title\": \"规则%d\", \"title_en\": \"Rule %d\"%s}",
                              i % 4 ? "block" : "warn", i, i, i, when);
    }
  g_string_append (s, "]}");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
report (const char *what,
        double     *samples,
        guint       n)
{
  double median, p99;

  qsort (samples, n, sizeof (double), cmp_double);
  median = samples[n / 2];
  p99 = samples[(n * 99) / 100];
  g_print ("%-48s median %8.1f us   p99 %8.1f us   target < %.0f us   %s\n",
           what, median, p99, TARGET_US, median < TARGET_US ? "MEETS TARGET" : "MISSES TARGET");
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = ct_test_make_dir ();
  g_autofree char *pack = make_pack ();
  g_autofree char *pack_path = g_build_filename (dir, "bench.json", NULL);
  g_autofree char *caldir = g_build_filename (g_getenv ("CASETRAIL_PKGDATADIR"), "calendars", NULL);
  g_autoptr(CtRuleSet) set = NULL;
  g_autoptr(CtCalendar) cal = ct_calendar_new ();
  g_autoptr(CtFacts) facts = ct_facts_new ();
  const char *ids[] = { "bench", NULL };
  double samples[ROUNDS];
  guint n_reqs = 0;

  g_assert_true (g_file_set_contents (pack_path, pack, -1, NULL));
  set = ct_ruleset_load (dir, ids, &error);
  g_assert_no_error (error);
  g_assert_true (ct_calendar_load_dir (cal, caldir, &error));

  /* A case with about half of everything done. */
  ct_facts_set_string (facts, "now", "2026-06-01T00:00:00Z");
  ct_facts_set_string (facts, "case.source", "report");
  ct_facts_set_int (facts, "case.certified_officers", 2);
  ct_facts_set_string (facts, "stage.filing.entered_at", "2026-04-01T02:00:00Z");
  for (int i = 0; i < N_RULES; i += 2)
    {
      g_autofree char *a = g_strdup_printf ("form.form%d.complete", i);
      g_autofree char *b = g_strdup_printf ("approval.s%d.supervisor", i);
      g_autofree char *c = g_strdup_printf ("form.form%d.f%d", i, i + 1);
      ct_facts_set_boolean (facts, a, TRUE);
      ct_facts_set_boolean (facts, b, TRUE);
      ct_facts_set_boolean (facts, c, TRUE);
    }

  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(GPtrArray) reqs = ct_ruleset_evaluate (set, "general", "filing", facts, cal, &error);
      samples[r] = g_get_monotonic_time () - t0;
      g_assert_no_error (error);
      n_reqs = reqs->len;
    }
  g_assert_cmpuint (n_reqs, ==, N_RULES);
  report ("engine: 200 requirements", samples, ROUNDS);

  /* The whole path the app takes: facts read from the database, then the
   * checklist of the demo case's current stage against the real packs. */
  {
    g_autofree char *data = ct_test_make_dir ();
    g_autoptr(CtStore) store = ct_store_open (data, &error);
    g_autoptr(GPtrArray) probe = NULL;

    g_assert_no_error (error);
    g_assert_true (ct_store_load_demo (store, &error));
    g_assert_no_error (error);
    probe = ct_store_check_case (store, 1, NULL, &error);
    if (probe == NULL)
      {
        g_print ("store path: skipped (%s)\n", error->message);
      }
    else
      {
        for (guint r = 0; r < ROUNDS; r++)
          {
            gint64 t0 = g_get_monotonic_time ();
            g_autoptr(GPtrArray) reqs = ct_store_check_case (store, 1, NULL, &error);
            samples[r] = g_get_monotonic_time () - t0;
            g_assert_no_error (error);
          }
        {
          g_autofree char *what = g_strdup_printf ("store: demo case, %u requirements (real packs)", probe->len);
          report (what, samples, ROUNDS);
        }
      }
    ct_test_remove_dir (data);
  }

  ct_test_remove_dir (dir);
  return 0;
}

/* test-calendar.c — tests for src/core/ct-calendar.c
 *
 * The real calendars in data/calendars/ are loaded from
 * $CASETRAIL_SOURCE_ROOT.  Every expected date below was worked out by hand
 * from the State Council notices (国办发明电〔2024〕12号 for 2025,
 * 国办发明电〔2025〕7号 for 2026); the comments show the counting.
 */
#define G_LOG_DOMAIN "casetrail-test"

#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ct-calendar.h"
#include "ct-error.h"

/* ---- helpers -------------------------------------------------------------- */

static CtCalendar *
load_real_calendar (void)
{
  const char *root = g_getenv ("CASETRAIL_SOURCE_ROOT");
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  CtCalendar *calendar;

  if (root == NULL)
    g_error ("Set CASETRAIL_SOURCE_ROOT to the source tree to run this test");

  dir = g_build_filename (root, "data", "calendars", NULL);
  calendar = ct_calendar_new ();
  g_assert_true (ct_calendar_load_dir (calendar, dir, &error));
  g_assert_no_error (error);
  return calendar;
}

static GDate
make_date (int year,
           int month,
           int day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  return date;
}

static char *
date_to_iso (const GDate *date)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

static void
check_working_day (CtCalendar *calendar,
                   int         year,
                   int         month,
                   int         day,
                   gboolean    expected)
{
  g_autoptr(GError) error = NULL;
  GDate date = make_date (year, month, day);
  gboolean working;

  working = ct_calendar_is_working_day (calendar, &date, &error);
  g_assert_no_error (error);
  if (working != expected)
    g_error ("%04d-%02d-%02d: expected %s, got %s", year, month, day,
             expected ? "a working day" : "a day off", working ? "a working day" : "a day off");
}

/* Returns the n-th working day after from, as YYYY-MM-DD. */
static char *
add_working_days (CtCalendar *calendar,
                  int         year,
                  int         month,
                  int         day,
                  guint       n)
{
  g_autoptr(GError) error = NULL;
  GDate from = make_date (year, month, day);
  GDate out;

  g_date_clear (&out, 1);
  g_assert_true (ct_calendar_add_working_days (calendar, &from, n, &out, &error));
  g_assert_no_error (error);
  return date_to_iso (&out);
}

/* The deadline as ISO 8601 in UTC, e.g. "2025-10-09T15:59:59.999999Z". */
static char *
deadline (CtCalendar   *calendar,
          const char   *start_iso,
          CtPeriodUnit  unit,
          guint         amount)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 (start_iso, NULL);
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (start);
  due = ct_calendar_deadline (calendar, start, unit, amount, &error);
  g_assert_no_error (error);
  g_assert_nonnull (due);
  g_assert_cmpint (g_date_time_get_utc_offset (due), ==, 0);
  return g_date_time_format_iso8601 (due);
}

static GDateTime *
iso (const char *text)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (dt);
  return dt;
}

/* ---- loading the real files ----------------------------------------------- */

static void
test_real_files (void)
{
  g_autoptr(CtCalendar) calendar = load_real_calendar ();

  g_assert_true (ct_calendar_covers (calendar, 2025));
  g_assert_true (ct_calendar_covers (calendar, 2026));
  g_assert_false (ct_calendar_covers (calendar, 2024));
  g_assert_false (ct_calendar_covers (calendar, 2027));

  g_assert_cmpstr (ct_calendar_get_source (calendar, 2025), ==, "国办发明电〔2024〕12号");
  g_assert_cmpstr (ct_calendar_get_source (calendar, 2026), ==, "国办发明电〔2025〕7号");
  g_assert_null (ct_calendar_get_source (calendar, 2027));

  /* Working days per year, counted by hand.  2025: 261 weekdays − 18
   * holidays on weekdays (元旦 1, 春节 6, 清明 1, 劳动节 3, 端午 1,
   * 国庆中秋 6) + 5 swapped workdays = 248.  2026: 261 − 19 (元旦 2,
   * 春节 6, 清明 1, 劳动节 3, 端午 1, 中秋 1, 国庆 5) + 6 = 248. */
  for (int year = 2025; year <= 2026; year++)
    {
      GDate date = make_date (year, 1, 1);
      guint count = 0;

      while (g_date_get_year (&date) == year)
        {
          g_autoptr(GError) error = NULL;

          if (ct_calendar_is_working_day (calendar, &date, &error))
            count++;
          g_assert_no_error (error);
          g_date_add_days (&date, 1);
        }
      g_assert_cmpuint (count, ==, 248);
    }
}

/* ---- is_working_day ------------------------------------------------------- */

static void
test_is_working_day (void)
{
  g_autoptr(CtCalendar) calendar = load_real_calendar ();
  GDate date;

  /* 2025 春节: 1/28 (Tue) – 2/4 (Tue) off; 1/26 (Sun) and 2/8 (Sat) worked. */
  check_working_day (calendar, 2025, 1, 24, TRUE);   /* Fri */
  check_working_day (calendar, 2025, 1, 25, FALSE);  /* Sat */
  check_working_day (calendar, 2025, 1, 26, TRUE);   /* Sun, swapped */
  check_working_day (calendar, 2025, 1, 27, TRUE);   /* Mon */
  check_working_day (calendar, 2025, 1, 28, FALSE);  /* Tue, 除夕 */
  check_working_day (calendar, 2025, 2, 1, FALSE);   /* Sat within the holiday */
  check_working_day (calendar, 2025, 2, 4, FALSE);   /* Tue, last day */
  check_working_day (calendar, 2025, 2, 5, TRUE);    /* Wed */
  check_working_day (calendar, 2025, 2, 8, TRUE);    /* Sat, swapped */
  check_working_day (calendar, 2025, 2, 9, FALSE);   /* Sun */

  /* 2025 国庆节、中秋节: 10/1 – 10/8 off; 9/28 (Sun) and 10/11 (Sat) worked. */
  check_working_day (calendar, 2025, 9, 27, FALSE);  /* Sat */
  check_working_day (calendar, 2025, 9, 28, TRUE);   /* Sun, swapped */
  check_working_day (calendar, 2025, 10, 1, FALSE);
  check_working_day (calendar, 2025, 10, 6, FALSE);  /* Mon, 中秋 */
  check_working_day (calendar, 2025, 10, 8, FALSE);  /* Wed, last day */
  check_working_day (calendar, 2025, 10, 9, TRUE);   /* Thu */
  check_working_day (calendar, 2025, 10, 11, TRUE);  /* Sat, swapped */
  check_working_day (calendar, 2025, 10, 12, FALSE); /* Sun */

  /* 2025: the other holidays. */
  check_working_day (calendar, 2025, 1, 1, FALSE);   /* 元旦, Wed */
  check_working_day (calendar, 2025, 4, 4, FALSE);   /* 清明, Fri */
  check_working_day (calendar, 2025, 4, 27, TRUE);   /* Sun, swapped for 劳动节 */
  check_working_day (calendar, 2025, 5, 5, FALSE);   /* 劳动节, Mon */
  check_working_day (calendar, 2025, 6, 2, FALSE);   /* 端午, Mon */
  check_working_day (calendar, 2025, 6, 3, TRUE);    /* Tue */

  /* 2026 元旦: 1/1 – 1/3 off, 1/4 (Sun) worked. */
  check_working_day (calendar, 2026, 1, 2, FALSE);   /* Fri */
  check_working_day (calendar, 2026, 1, 3, FALSE);   /* Sat */
  check_working_day (calendar, 2026, 1, 4, TRUE);    /* Sun, swapped */

  /* 2026 春节: 2/15 (Sun) – 2/23 (Mon) off; 2/14 (Sat), 2/28 (Sat) worked. */
  check_working_day (calendar, 2026, 2, 13, TRUE);   /* Fri */
  check_working_day (calendar, 2026, 2, 14, TRUE);   /* Sat, swapped */
  check_working_day (calendar, 2026, 2, 15, FALSE);  /* Sun */
  check_working_day (calendar, 2026, 2, 17, FALSE);  /* Tue, 正月初一 */
  check_working_day (calendar, 2026, 2, 23, FALSE);  /* Mon, last day */
  check_working_day (calendar, 2026, 2, 24, TRUE);   /* Tue */
  check_working_day (calendar, 2026, 2, 28, TRUE);   /* Sat, swapped */
  check_working_day (calendar, 2026, 3, 1, FALSE);   /* Sun */

  /* 2026 中秋 9/25 – 9/27, 国庆 10/1 – 10/7; 9/20 (Sun), 10/10 (Sat) worked. */
  check_working_day (calendar, 2026, 9, 19, FALSE);  /* Sat */
  check_working_day (calendar, 2026, 9, 20, TRUE);   /* Sun, swapped */
  check_working_day (calendar, 2026, 9, 25, FALSE);  /* Fri, 中秋 */
  check_working_day (calendar, 2026, 9, 28, TRUE);   /* Mon */
  check_working_day (calendar, 2026, 10, 7, FALSE);  /* Wed */
  check_working_day (calendar, 2026, 10, 8, TRUE);   /* Thu */
  check_working_day (calendar, 2026, 10, 10, TRUE);  /* Sat, swapped */
  check_working_day (calendar, 2026, 10, 11, FALSE); /* Sun */

  /* 2026: the other holidays. */
  check_working_day (calendar, 2026, 4, 6, FALSE);   /* 清明, Mon */
  check_working_day (calendar, 2026, 5, 5, FALSE);   /* 劳动节, Tue */
  check_working_day (calendar, 2026, 5, 9, TRUE);    /* Sat, swapped */
  check_working_day (calendar, 2026, 6, 19, FALSE);  /* 端午, Fri */

  /* Ordinary weeks. */
  check_working_day (calendar, 2026, 3, 6, TRUE);    /* Fri */
  check_working_day (calendar, 2026, 3, 7, FALSE);   /* Sat */
  check_working_day (calendar, 2026, 3, 8, FALSE);   /* Sun */
  check_working_day (calendar, 2026, 3, 9, TRUE);    /* Mon */

  /* Festival names. */
  date = make_date (2025, 10, 6);
  g_assert_cmpstr (ct_calendar_get_day_name (calendar, &date), ==, "国庆节、中秋节");
  date = make_date (2026, 2, 17);
  g_assert_cmpstr (ct_calendar_get_day_name (calendar, &date), ==, "春节");
  date = make_date (2026, 2, 14);
  g_assert_cmpstr (ct_calendar_get_day_name (calendar, &date), ==, "春节");
  date = make_date (2026, 3, 9);
  g_assert_null (ct_calendar_get_day_name (calendar, &date));
  date = make_date (2027, 1, 1);
  g_assert_null (ct_calendar_get_day_name (calendar, &date));
}

/* ---- add_working_days ----------------------------------------------------- */

static void
test_add_working_days (void)
{
  g_autoptr(CtCalendar) calendar = load_real_calendar ();
  struct {
    int year, month, day;
    guint n;
    const char *expected;
  } cases[] = {
    /* 2026 春节: 2/13 Fri (1), 2/14 Sat swapped (2), 2/15–2/23 off,
     * 2/24 Tue (3), 2/25 (4), 2/26 Thu (5). */
    { 2026, 2, 12, 5, "2026-02-26" },
    { 2026, 2, 12, 2, "2026-02-14" },
    { 2026, 2, 12, 3, "2026-02-24" },
    /* 2/13 … 2/26 are 5; 2/27 Fri (6), 2/28 Sat swapped (7), 3/2 … 3/6 (8–12),
     * 3/9, 3/10, 3/11 (13–15). */
    { 2026, 2, 12, 15, "2026-03-11" },
    /* Starting on a holiday: 2/24 is the first working day after 2/20. */
    { 2026, 2, 20, 1, "2026-02-24" },

    /* 2025 国庆: 9/27 Sat off, 9/28 Sun swapped (1), 9/29 (2), 9/30 (3). */
    { 2025, 9, 26, 3, "2025-09-30" },
    /* 10/1–10/8 off, 10/9 Thu (1), 10/10 Fri (2), 10/11 Sat swapped (3). */
    { 2025, 9, 30, 1, "2025-10-09" },
    { 2025, 9, 30, 3, "2025-10-11" },
    /* 9/28, 9/29, 9/30 (1–3), 10/9, 10/10, 10/11 (4–6), 10/13 … 10/17 (7–11),
     * 10/20 … 10/23 (12–15). */
    { 2025, 9, 26, 15, "2025-10-23" },

    /* 2025 春节: 1/25 Sat off, 1/26 Sun swapped (1), 1/27 Mon (2),
     * 1/28–2/4 off, 2/5 Wed (3). */
    { 2025, 1, 24, 2, "2025-01-27" },
    { 2025, 1, 24, 3, "2025-02-05" },

    /* 2026 国庆: 10/1–10/7 off, 10/8 Thu (1), 10/9 Fri (2), 10/10 Sat (3). */
    { 2026, 9, 30, 1, "2026-10-08" },
    { 2026, 9, 30, 3, "2026-10-10" },
    /* 9/19 Sat off, 9/20 Sun swapped. */
    { 2026, 9, 18, 1, "2026-09-20" },

    /* Year end: 12/31 Wed (1), 2026-01-01–01-03 off, 1/4 Sun swapped (2),
     * 1/5 Mon (3). */
    { 2025, 12, 30, 3, "2026-01-05" },
    { 2025, 12, 31, 1, "2026-01-04" },

    /* n = 0 is the start day itself, even a holiday. */
    { 2025, 10, 1, 0, "2025-10-01" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = add_working_days (calendar, cases[i].year, cases[i].month,
                                               cases[i].day, cases[i].n);

      g_test_message ("%04d-%02d-%02d + %u working days", cases[i].year, cases[i].month,
                      cases[i].day, cases[i].n);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

/* ---- uncovered years ------------------------------------------------------ */

static void
test_uncovered_year (void)
{
  g_autoptr(CtCalendar) calendar = load_real_calendar ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) due = NULL;
  g_autofree char *got = NULL;
  GDate date = make_date (2027, 3, 1);
  GDate out;

  g_assert_false (ct_calendar_is_working_day (calendar, &date, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2027"));
  g_assert_nonnull (strstr (error->message, "data/calendars/2027.json"));
  g_clear_error (&error);

  date = make_date (2024, 12, 31);
  g_assert_false (ct_calendar_is_working_day (calendar, &date, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "data/calendars/2024.json"));
  g_clear_error (&error);

  /* 2026-12-31 Thu (1), then 2027 is unknown. */
  date = make_date (2026, 12, 30);
  g_date_clear (&out, 1);
  g_assert_false (ct_calendar_add_working_days (calendar, &date, 2, &out, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "data/calendars/2027.json"));
  g_clear_error (&error);

  /* A natural-days period that ends in 2027 cannot be checked for holidays. */
  start = iso ("2026-12-28T10:00:00+08:00");
  due = ct_calendar_deadline (calendar, start, CT_PERIOD_DAYS, 10, &error);
  g_assert_null (due);
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "data/calendars/2027.json"));
  g_clear_error (&error);

  /* But the start day's year does not matter: 2024-12-31 + 1 day is 元旦
   * 2025 (Wed), extended to 2025-01-02 (Thu). */
  got = deadline (calendar, "2024-12-31T09:00:00+08:00", CT_PERIOD_DAYS, 1);
  g_assert_cmpstr (got, ==, "2025-01-02T15:59:59.999999Z");
  g_clear_pointer (&got, g_free);

  /* And hours need no calendar at all. */
  got = deadline (calendar, "2030-05-01T08:00:00+08:00", CT_PERIOD_HOURS, 24);
  g_assert_cmpstr (got, ==, "2030-05-02T00:00:00Z");
}

/* ---- deadlines ------------------------------------------------------------ */

static void
test_deadline_hours (void)
{
  g_autoptr(CtCalendar) calendar = load_real_calendar ();
  struct {
    const char *start;
    guint hours;
    const char *expected;
  } cases[] = {
    /* 23:00 China time on 3/10 (15:00 UTC) + 2 h = 01:00 on 3/11 China time. */
    { "2025-03-10T15:00:00Z", 2, "2025-03-10T17:00:00Z" },
    { "2025-03-10T23:00:00+08:00", 2, "2025-03-10T17:00:00Z" },
    /* 24 h across midnight: 22:30 on 3/10 → 22:30 on 3/11 China time. */
    { "2025-03-10T22:30:00+08:00", 24, "2025-03-11T14:30:00Z" },
    /* Hours run through holidays: 9/30 20:00 + 48 h = 10/2 20:00 China time. */
    { "2025-09-30T20:00:00+08:00", 48, "2025-10-02T12:00:00Z" },
    /* Year end: 12/31 23:30 China time + 1 h = 2026-01-01 00:30 China time. */
    { "2025-12-31T23:30:00+08:00", 1, "2025-12-31T16:30:00Z" },
    { "2025-12-31T23:30:00+08:00", 0, "2025-12-31T15:30:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = deadline (calendar, cases[i].start, CT_PERIOD_HOURS,
                                       cases[i].hours);

      g_test_message ("%s + %u hours", cases[i].start, cases[i].hours);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

static void
test_deadline_days (void)
{
  g_autoptr(CtCalendar) calendar = load_real_calendar ();
  struct {
    const char *start;
    guint days;
    const char *expected;
  } cases[] = {
    /* Ordinary: Mon 3/3 + 3 = Thu 3/6, end of day China time = 15:59:59.999999Z. */
    { "2025-03-03T10:00:00+08:00", 3, "2025-03-06T15:59:59.999999Z" },
    /* Ends on a plain Saturday (3/8): extended to Monday 3/10. */
    { "2025-03-03T10:00:00+08:00", 5, "2025-03-10T15:59:59.999999Z" },
    /* Ends on 10/1 (国庆): extended past 10/1–10/8 to Thu 10/9. */
    { "2025-09-24T10:00:00+08:00", 7, "2025-10-09T15:59:59.999999Z" },
    /* Ends on the swapped workday Sun 9/28: no extension. */
    { "2025-09-21T10:00:00+08:00", 7, "2025-09-28T15:59:59.999999Z" },
    /* The start date is taken in China time: 9/23 17:00 UTC is 9/24 01:00
     * in China, so + 7 = 10/1 → 10/9; 9/23 15:00 UTC is still 9/23 23:00 in
     * China, so + 7 = Tue 9/30, a working day. */
    { "2025-09-23T17:00:00Z", 7, "2025-10-09T15:59:59.999999Z" },
    { "2025-09-23T15:00:00Z", 7, "2025-09-30T15:59:59.999999Z" },
    /* 2026 春节: Tue 2/10 + 7 = Tue 2/17 (初一) → first working day is 2/24. */
    { "2026-02-10T09:00:00+08:00", 7, "2026-02-24T15:59:59.999999Z" },
    /* Ends on the swapped Saturday 2/28: no extension. */
    { "2026-02-21T09:00:00+08:00", 7, "2026-02-28T15:59:59.999999Z" },
    /* Year end: Thu 2025-12-25 + 7 = 2026-01-01 (元旦, off to 1/3), then
     * Sun 1/4 is a swapped workday. */
    { "2025-12-25T09:00:00+08:00", 7, "2026-01-04T15:59:59.999999Z" },
    /* 2026 国庆: Wed 9/30 + 1 = 10/1 → Thu 10/8. */
    { "2026-09-30T16:00:00+08:00", 1, "2026-10-08T15:59:59.999999Z" },
    /* 0 days: the end of the start day itself. */
    { "2026-03-09T09:00:00+08:00", 0, "2026-03-09T15:59:59.999999Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = deadline (calendar, cases[i].start, CT_PERIOD_DAYS,
                                       cases[i].days);

      g_test_message ("%s + %u days", cases[i].start, cases[i].days);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

static void
test_deadline_working_days (void)
{
  g_autoptr(CtCalendar) calendar = load_real_calendar ();
  struct {
    const char *start;
    guint days;
    const char *expected;
  } cases[] = {
    /* 2/13, 2/14 (Sat, swapped), 2/24, 2/25, 2/26. */
    { "2026-02-12T09:00:00+08:00", 5, "2026-02-26T15:59:59.999999Z" },
    /* 9/28 (Sun, swapped), 9/29, 9/30. */
    { "2025-09-26T17:30:00+08:00", 3, "2025-09-30T15:59:59.999999Z" },
    /* 10/1–10/8 off. */
    { "2025-09-30T09:00:00+08:00", 1, "2025-10-09T15:59:59.999999Z" },
    /* Starting at 00:30 China time on 9/30 is still 9/29 in UTC; the China
     * date 9/30 counts. */
    { "2025-09-29T16:30:00Z", 1, "2025-10-09T15:59:59.999999Z" },
    /* Year end: 12/31 (1), 1/4 Sun swapped (2), 1/5 (3). */
    { "2025-12-30T09:00:00+08:00", 3, "2026-01-05T15:59:59.999999Z" },
    /* 15 working days from Fri 2025-09-26 (see test_add_working_days). */
    { "2025-09-26T09:00:00+08:00", 15, "2025-10-23T15:59:59.999999Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = deadline (calendar, cases[i].start, CT_PERIOD_WORKING_DAYS,
                                       cases[i].days);

      g_test_message ("%s + %u working days", cases[i].start, cases[i].days);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

static void
test_deadline_end_of_day (void)
{
  g_autoptr(CtCalendar) calendar = load_real_calendar ();
  g_autoptr(GDateTime) start = iso ("2025-03-03T10:00:00+08:00");
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GTimeZone) china = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GError) error = NULL;

  due = ct_calendar_deadline (calendar, start, CT_PERIOD_DAYS, 3, &error);
  g_assert_no_error (error);
  local = g_date_time_to_timezone (due, china);
  g_assert_cmpint (g_date_time_get_year (local), ==, 2025);
  g_assert_cmpint (g_date_time_get_month (local), ==, 3);
  g_assert_cmpint (g_date_time_get_day_of_month (local), ==, 6);
  g_assert_cmpint (g_date_time_get_hour (local), ==, 23);
  g_assert_cmpint (g_date_time_get_minute (local), ==, 59);
  g_assert_cmpint (g_date_time_get_second (local), ==, 59);
  g_assert_cmpint (g_date_time_get_microsecond (local), ==, 999999);
}

/* ---- deadline states ------------------------------------------------------ */

static void
test_deadline_state (void)
{
  g_autoptr(GDateTime) due = iso ("2025-10-09T15:59:59.999999Z");
  g_autoptr(GDateTime) three_days_before = iso ("2025-10-06T15:59:59.999999Z");
  g_autoptr(GDateTime) twelve_hours_before = iso ("2025-10-09T03:59:59.999999Z");
  g_autoptr(GDateTime) one_day_before = iso ("2025-10-08T15:59:59.999999Z");
  g_autoptr(GDateTime) just_after = g_date_time_add (due, 1);
  g_autoptr(GDateTime) week_after = iso ("2025-10-16T00:00:00Z");
  const GTimeSpan day = G_TIME_SPAN_DAY;

  /* Open. */
  g_assert_cmpint (ct_deadline_state (due, three_days_before, NULL, day), ==, CT_DEADLINE_OK);
  g_assert_cmpint (ct_deadline_state (due, twelve_hours_before, NULL, day), ==,
                   CT_DEADLINE_DUE_SOON);
  g_assert_cmpint (ct_deadline_state (due, one_day_before, NULL, day), ==,
                   CT_DEADLINE_DUE_SOON);  /* exactly the window */
  g_assert_cmpint (ct_deadline_state (due, due, NULL, day), ==, CT_DEADLINE_DUE_SOON);
  g_assert_cmpint (ct_deadline_state (due, just_after, NULL, day), ==, CT_DEADLINE_OVERDUE);
  g_assert_cmpint (ct_deadline_state (due, week_after, NULL, day), ==, CT_DEADLINE_OVERDUE);
  g_assert_cmpint (ct_deadline_state (due, twelve_hours_before, NULL, 0), ==, CT_DEADLINE_OK);

  /* Done: only when it was done matters, not now. */
  g_assert_cmpint (ct_deadline_state (due, week_after, twelve_hours_before, day), ==,
                   CT_DEADLINE_OK);
  g_assert_cmpint (ct_deadline_state (due, week_after, due, day), ==, CT_DEADLINE_OK);
  g_assert_cmpint (ct_deadline_state (due, week_after, just_after, day), ==,
                   CT_DEADLINE_OVERDUE);
  g_assert_cmpint (ct_deadline_state (due, three_days_before, three_days_before, day), ==,
                   CT_DEADLINE_OK);

  g_assert_cmpstr (ct_deadline_state_to_id (CT_DEADLINE_OK), ==, "ok");
  g_assert_cmpstr (ct_deadline_state_to_id (CT_DEADLINE_DUE_SOON), ==, "due-soon");
  g_assert_cmpstr (ct_deadline_state_to_id (CT_DEADLINE_OVERDUE), ==, "overdue");
}

static void
test_period_unit_ids (void)
{
  CtPeriodUnit unit = CT_PERIOD_DAYS;

  g_assert_true (ct_period_unit_from_id ("hours", &unit));
  g_assert_cmpint (unit, ==, CT_PERIOD_HOURS);
  g_assert_true (ct_period_unit_from_id ("days", &unit));
  g_assert_cmpint (unit, ==, CT_PERIOD_DAYS);
  g_assert_true (ct_period_unit_from_id ("working-days", &unit));
  g_assert_cmpint (unit, ==, CT_PERIOD_WORKING_DAYS);

  unit = CT_PERIOD_HOURS;
  g_assert_false (ct_period_unit_from_id ("workdays", &unit));
  g_assert_false (ct_period_unit_from_id ("Days", &unit));
  g_assert_false (ct_period_unit_from_id ("", &unit));
  g_assert_false (ct_period_unit_from_id (NULL, &unit));
  g_assert_cmpint (unit, ==, CT_PERIOD_HOURS);

  g_assert_cmpstr (ct_period_unit_to_id (CT_PERIOD_HOURS), ==, "hours");
  g_assert_cmpstr (ct_period_unit_to_id (CT_PERIOD_DAYS), ==, "days");
  g_assert_cmpstr (ct_period_unit_to_id (CT_PERIOD_WORKING_DAYS), ==, "working-days");
}

/* ---- validation ----------------------------------------------------------- */

#define SOURCE_2027 "\"source\": { \"document\": \"国办发明电〔2026〕1号\" }"

/* A made-up but well-formed 2027 file (2027-02-06 is a Saturday). */
#define VALID_2027 \
  "{ \"year\": 2027, " SOURCE_2027 ", " \
  "  \"holidays\": [ { \"date\": \"2027-01-01\", \"name\": \"元旦\" }, " \
  "                  { \"date\": \"2027-02-08\", \"name\": \"春节\" } ], " \
  "  \"workdays\": [ { \"date\": \"2027-02-06\", \"name\": \"春节\" } ] }"

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_load_valid_custom (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ct-calendar-XXXXXX", NULL);
  g_autofree char *path = write_file (dir, "2027.json", VALID_2027);
  g_autofree char *readme = write_file (dir, "README.md", "not a calendar");
  g_autoptr(CtCalendar) calendar = ct_calendar_new ();
  g_autoptr(GError) error = NULL;
  GDate date;

  g_assert_true (ct_calendar_load_dir (calendar, dir, &error));
  g_assert_no_error (error);
  g_assert_true (ct_calendar_covers (calendar, 2027));
  g_assert_cmpstr (ct_calendar_get_source (calendar, 2027), ==, "国办发明电〔2026〕1号");

  check_working_day (calendar, 2027, 1, 1, FALSE);  /* Fri, 元旦 */
  check_working_day (calendar, 2027, 2, 6, TRUE);   /* Sat, swapped */
  check_working_day (calendar, 2027, 2, 7, FALSE);  /* Sun */
  check_working_day (calendar, 2027, 2, 8, FALSE);  /* Mon, 春节 */
  check_working_day (calendar, 2027, 2, 9, TRUE);   /* Tue */

  /* Loading the same year again is refused and names both files. */
  g_assert_false (ct_calendar_load_file (calendar, path, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  /* A missing file is an I/O error that names the file. */
  {
    g_autofree char *missing = g_build_filename (dir, "2030.json", NULL);

    g_assert_false (ct_calendar_load_file (calendar, missing, &error));
    g_assert_error (error, CT_ERROR, CT_ERROR_IO);
    g_assert_nonnull (strstr (error->message, missing));
    g_clear_error (&error);
  }

  date = make_date (2027, 2, 8);
  g_assert_cmpstr (ct_calendar_get_day_name (calendar, &date), ==, "春节");

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_remove (readme), ==, 0);

  /* An empty folder. */
  {
    g_autoptr(CtCalendar) empty = ct_calendar_new ();

    g_assert_false (ct_calendar_load_dir (empty, dir, &error));
    g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, dir));
    g_clear_error (&error);
  }

  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_validation_errors (void)
{
  struct {
    const char *what;
    const char *name;
    const char *contents;
    const char *expected;  /* must appear in the message besides the path */
  } cases[] = {
    { "malformed JSON", "2027.json",
      "{ \"year\": 2027, \"holidays\": [ { \"date\": \"2027-01-01\" ",
      "JSON" },
    { "not an object", "2027.json", "[ 2027 ]", "object" },
    { "no year", "2027.json",
      "{ " SOURCE_2027 ", \"holidays\": [], \"workdays\": [] }", "year" },
    { "year as text", "2027.json",
      "{ \"year\": \"2027\", " SOURCE_2027 ", \"holidays\": [], \"workdays\": [] }", "year" },
    { "year not matching the file name", "2027.json",
      "{ \"year\": 2028, " SOURCE_2027 ", \"holidays\": [], \"workdays\": [] }", "2028" },
    { "no source", "2027.json",
      "{ \"year\": 2027, \"holidays\": [], \"workdays\": [] }", "source" },
    { "source without document", "2027.json",
      "{ \"year\": 2027, \"source\": { \"title\": \"x\" }, \"holidays\": [], "
      "\"workdays\": [] }", "document" },
    { "misspelt field", "2027.json",
      "{ \"year\": 2027, " SOURCE_2027 ", \"holidays\": [], \"workday\": [] }", "workday" },
    { "no workdays list", "2027.json",
      "{ \"year\": 2027, " SOURCE_2027 ", \"holidays\": [] }", "workdays" },
    { "entry not an object", "2027.json",
      "{ \"year\": 2027, " SOURCE_2027 ", \"holidays\": [ \"2027-01-01\" ], "
      "\"workdays\": [] }", "entry 1 of “holidays”" },
    { "holiday outside the year", "2027.json",
      "{ \"year\": 2027, " SOURCE_2027 ", \"holidays\": [ "
      "{ \"date\": \"2027-01-01\", \"name\": \"元旦\" }, "
      "{ \"date\": \"2028-01-01\", \"name\": \"元旦\" } ], \"workdays\": [] }",
      "2028-01-01" },
    { "workday outside the year", "2027.json",
      "{ \"year\": 2027, " SOURCE_2027 ", \"holidays\": [], \"workdays\": [ "
      "{ \"date\": \"2026-12-26\" } ] }", "2026-12-26" },
    { "impossible date", "2027.json",
      "{ \"year\": 2027, " SOURCE_2027 ", \"holidays\": [ "
      "{ \"date\": \"2027-02-30\", \"name\": \"春节\" } ], \"workdays\": [] }",
      "2027-02-30" },
    { "sloppy date", "2027.json",
      "{ \"year\": 2027, " SOURCE_2027 ", \"holidays\": [ "
      "{ \"date\": \"2027-2-8\", \"name\": \"春节\" } ], \"workdays\": [] }",
      "2027-2-8" },
    { "holiday without name", "2027.json",
      "{ \"year\": 2027, " SOURCE_2027 ", \"holidays\": [ "
      "{ \"date\": \"2027-02-08\" } ], \"workdays\": [] }", "2027-02-08" },
    { "both holiday and workday", "2027.json",
      "{ \"year\": 2027, " SOURCE_2027 ", \"holidays\": [ "
      "{ \"date\": \"2027-02-06\", \"name\": \"春节\" } ], \"workdays\": [ "
      "{ \"date\": \"2027-02-06\", \"name\": \"春节\" } ] }", "2027-02-06" },
    { "workday on a Wednesday", "2027.json",
      "{ \"year\": 2027, " SOURCE_2027 ", \"holidays\": [], \"workdays\": [ "
      "{ \"date\": \"2027-02-03\", \"name\": \"春节\" } ] }", "2027-02-03" },
    { "duplicate holiday", "2027.json",
      "{ \"year\": 2027, " SOURCE_2027 ", \"holidays\": [ "
      "{ \"date\": \"2027-01-01\", \"name\": \"元旦\" }, "
      "{ \"date\": \"2027-01-01\", \"name\": \"元旦\" } ], \"workdays\": [] }",
      "entry 2 of “holidays”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dir = g_dir_make_tmp ("ct-calendar-XXXXXX", NULL);
      g_autofree char *path = write_file (dir, cases[i].name, cases[i].contents);
      g_autoptr(CtCalendar) calendar = ct_calendar_new ();
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].what);

      g_assert_false (ct_calendar_load_file (calendar, path, &error));
      g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
      g_test_message ("  → %s", error->message);
      g_assert_nonnull (strstr (error->message, path));
      g_assert_nonnull (strstr (error->message, cases[i].expected));
      g_clear_error (&error);

      g_assert_false (ct_calendar_load_dir (calendar, dir, &error));
      g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);

      g_assert_false (ct_calendar_covers (calendar, 2027));
      g_assert_false (ct_calendar_covers (calendar, 2028));

      g_assert_cmpint (g_remove (path), ==, 0);
      g_assert_cmpint (g_rmdir (dir), ==, 0);
    }
}

/* One bad file keeps the whole folder out. */
static void
test_load_dir_all_or_nothing (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ct-calendar-XXXXXX", NULL);
  g_autofree char *good = write_file (dir, "2027.json", VALID_2027);
  g_autofree char *bad = write_file (dir, "2028.json",
                                     "{ \"year\": 2028, " SOURCE_2027 ", \"holidays\": [], "
                                     "\"workdays\": [ { \"date\": \"2028-03-01\" } ] }");
  g_autoptr(CtCalendar) calendar = ct_calendar_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (ct_calendar_load_dir (calendar, dir, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, bad));
  g_assert_nonnull (strstr (error->message, "2028-03-01"));
  g_assert_false (ct_calendar_covers (calendar, 2027));
  g_assert_false (ct_calendar_covers (calendar, 2028));
  g_clear_error (&error);

  g_assert_cmpint (g_remove (good), ==, 0);
  g_assert_cmpint (g_remove (bad), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);

  /* A folder that does not exist. */
  g_assert_false (ct_calendar_load_dir (calendar, dir, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_IO);
  g_assert_nonnull (strstr (error->message, dir));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/calendar/real-files", test_real_files);
  g_test_add_func ("/calendar/is-working-day", test_is_working_day);
  g_test_add_func ("/calendar/add-working-days", test_add_working_days);
  g_test_add_func ("/calendar/uncovered-year", test_uncovered_year);
  g_test_add_func ("/calendar/deadline/hours", test_deadline_hours);
  g_test_add_func ("/calendar/deadline/days", test_deadline_days);
  g_test_add_func ("/calendar/deadline/working-days", test_deadline_working_days);
  g_test_add_func ("/calendar/deadline/end-of-day", test_deadline_end_of_day);
  g_test_add_func ("/calendar/deadline-state", test_deadline_state);
  g_test_add_func ("/calendar/period-unit-ids", test_period_unit_ids);
  g_test_add_func ("/calendar/load/valid-custom", test_load_valid_custom);
  g_test_add_func ("/calendar/load/validation-errors", test_validation_errors);
  g_test_add_func ("/calendar/load/all-or-nothing", test_load_dir_all_or_nothing);

  return g_test_run ();
}

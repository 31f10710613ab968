/* ct-calendar.h — the working-day calendar behind every deadline
 *
 * Which days are working days is data, not code: one JSON file per year in
 * data/calendars/ (see data/calendars/README.md), transcribed from the State
 * Council General Office notice on that year's holidays.  A weekday is a
 * working day unless the file lists it as a holiday; a Saturday or Sunday is
 * a working day only if the file lists it as a swapped workday (调休上班).
 * A year without a file is not guessed: every query that needs it fails
 * with CT_ERROR_INVALID and says which file to add.
 *
 * Dates are civil dates in China (UTC+8, no daylight saving time); times
 * passed in and returned are GDateTimes in any time zone, and deadlines are
 * returned in UTC.  "End of day" is 23:59:59.999999 China time.
 *
 * Periods follow the usual rule of Chinese administrative law (e.g.
 * 《行政处罚法》第八十五条): the day on which a period starts is not
 * counted.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CtCalendar CtCalendar;

typedef enum {
  CT_PERIOD_HOURS,
  CT_PERIOD_DAYS,          /* natural days, extended past a closing holiday */
  CT_PERIOD_WORKING_DAYS,
} CtPeriodUnit;

typedef enum {
  CT_DEADLINE_OK,
  CT_DEADLINE_DUE_SOON,
  CT_DEADLINE_OVERDUE,
} CtDeadlineState;

CtCalendar *ct_calendar_new  (void);
void        ct_calendar_free (CtCalendar *calendar);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtCalendar, ct_calendar_free)

/* Loads one year's file.  The file is validated completely before anything
 * is added, so on failure the calendar is unchanged.  Loading a year that is
 * already loaded fails with CT_ERROR_EXISTS. */
gboolean ct_calendar_load_file (CtCalendar  *calendar,
                                const char  *path,
                                GError     **error);

/* Loads every file named NNNN.json in @dir (other files, such as README.md,
 * are ignored).  All or nothing: if one file is invalid, none is added. */
gboolean ct_calendar_load_dir  (CtCalendar  *calendar,
                                const char  *dir,
                                GError     **error);

gboolean    ct_calendar_covers     (CtCalendar *calendar,
                                    int         year);

/* The notice a year's file was transcribed from, e.g. "国办发明电〔2024〕12号",
 * for citing next to a computed deadline; NULL when @year is not covered. */
const char *ct_calendar_get_source (CtCalendar *calendar,
                                    int         year);

/* The festival name of a holiday ("春节"), or of the holiday a swapped
 * workday belongs to; NULL for an ordinary day or an uncovered year. */
const char *ct_calendar_get_day_name (CtCalendar  *calendar,
                                      const GDate *date);

gboolean ct_calendar_is_working_day   (CtCalendar   *calendar,
                                       const GDate  *date,
                                       GError      **error);

/* Sets @out to the @n-th working day after @from (@from itself is not
 * counted; @n == 0 gives @from). */
gboolean ct_calendar_add_working_days (CtCalendar   *calendar,
                                       const GDate  *from,
                                       guint         n,
                                       GDate        *out,
                                       GError      **error);

/* The moment a period of @amount @unit starting at @start ends, in UTC:
 *  - CT_PERIOD_HOURS: @start + @amount hours;
 *  - CT_PERIOD_DAYS: end of the day @amount days after @start's date (China
 *    time); if that day is not a working day, end of the next working day;
 *  - CT_PERIOD_WORKING_DAYS: end of the @amount-th working day after
 *    @start's date. */
GDateTime *ct_calendar_deadline (CtCalendar    *calendar,
                                 GDateTime     *start,
                                 CtPeriodUnit   unit,
                                 guint          amount,
                                 GError       **error);

/* @done_at: when the obligation was met, or NULL if it is still open.
 * Met on or before @due: OK; met after @due: OVERDUE (it was late).
 * Open: OVERDUE once @now is past @due, DUE_SOON when at most
 * @soon_window remains, OK otherwise. */
CtDeadlineState ct_deadline_state       (GDateTime       *due,
                                         GDateTime       *now,
                                         GDateTime       *done_at,
                                         GTimeSpan        soon_window);
const char     *ct_deadline_state_to_id (CtDeadlineState  state);

/* "hours", "days", "working-days" (as used in rule packs). */
gboolean    ct_period_unit_from_id (const char   *id,
                                    CtPeriodUnit *unit);
const char *ct_period_unit_to_id   (CtPeriodUnit  unit);

G_END_DECLS

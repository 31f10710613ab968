#define G_LOG_DOMAIN "casetrail-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "ct-calendar.h"
#include "ct-error.h"

/* Years outside this range are certainly typing mistakes. */
#define MIN_YEAR 1949
#define MAX_YEAR 9999

#define CHINA_UTC_OFFSET (8 * 60 * 60)

typedef enum {
  DAY_HOLIDAY,
  DAY_WORKDAY,
} DayKind;

typedef struct {
  DayKind  kind;
  char    *name;   /* festival name, may be NULL for a workday */
} CtDay;

typedef struct {
  int         year;
  char       *path;      /* the file it was loaded from */
  char       *document;  /* e.g. 国办发明电〔2024〕12号 */
  GHashTable *days;      /* julian day number → CtDay */
} CtCalendarYear;

struct _CtCalendar {
  GHashTable *years;     /* GINT_TO_POINTER (year) → CtCalendarYear */
};

static void
ct_day_free (gpointer data)
{
  CtDay *day = data;

  g_free (day->name);
  g_free (day);
}

static void
ct_calendar_year_free (CtCalendarYear *year)
{
  if (year == NULL)
    return;

  g_free (year->path);
  g_free (year->document);
  g_clear_pointer (&year->days, g_hash_table_unref);
  g_free (year);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtCalendarYear, ct_calendar_year_free)

CtCalendar *
ct_calendar_new (void)
{
  CtCalendar *calendar = g_new0 (CtCalendar, 1);

  calendar->years = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                           (GDestroyNotify) ct_calendar_year_free);
  return calendar;
}

void
ct_calendar_free (CtCalendar *calendar)
{
  if (calendar == NULL)
    return;

  g_clear_pointer (&calendar->years, g_hash_table_unref);
  g_free (calendar);
}

/* ---- parsing -------------------------------------------------------------- */

static const char *
weekday_name (GDateWeekday weekday)
{
  static const char *names[] = {
    NULL, N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"),
    N_("Friday"), N_("Saturday"), N_("Sunday"),
  };

  g_return_val_if_fail (weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, "?");
  return _(names[weekday]);
}

/* Strictly "YYYY-MM-DD", and a real date. */
static gboolean
parse_iso_date (const char *text,
                GDate      *date)
{
  int year, month, day;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;

  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  year = (int) g_ascii_strtoll (text, NULL, 10);
  month = (int) g_ascii_strtoll (text + 5, NULL, 10);
  day = (int) g_ascii_strtoll (text + 8, NULL, 10);

  if (!g_date_valid_dmy (day, month, year))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/* "2025.json" → 2025; anything else → FALSE. */
static gboolean
year_from_basename (const char *basename,
                    int        *year)
{
  if (strlen (basename) != strlen ("NNNN.json") || !g_str_has_suffix (basename, ".json"))
    return FALSE;

  for (int i = 0; i < 4; i++)
    if (!g_ascii_isdigit (basename[i]))
      return FALSE;

  *year = (int) g_ascii_strtoll (basename, NULL, 10);
  return TRUE;
}

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

/* Rejects members not in @allowed (NULL-terminated), so that a misspelt
 * field ("holiday", "workday") is reported instead of silently ignored.
 * @where names the object for the message; NULL for the top level. */
static gboolean
check_members (JsonObject         *object,
               const char * const *allowed,
               const char         *path,
               const char         *where,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (allowed, l->data))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) allowed);

          if (where == NULL)
            g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                         _("The calendar file “%s” has an unknown field “%s”. "
                           "The known fields are: %s."),
                         path, (const char *) l->data, known);
          else
            g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                         _("The calendar file “%s”: %s has an unknown field “%s”. "
                           "The known fields are: %s."),
                         path, where, (const char *) l->data, known);
          return FALSE;
        }
    }

  return TRUE;
}

/* Parses the "holidays" or "workdays" array into @year->days. */
static gboolean
parse_day_list (CtCalendarYear *year,
                JsonObject     *root,
                const char     *key,
                DayKind         kind,
                const char     *path,
                GError        **error)
{
  static const char * const entry_members[] = { "date", "name", NULL };
  JsonNode *node = json_object_get_member (root, key);
  JsonArray *array;
  guint length;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("The calendar file “%s” must have a list “%s” "
                     "(write [] if the notice gives none)."),
                   path, key);
      return FALSE;
    }

  array = json_node_get_array (node);
  length = json_array_get_length (array);

  for (guint i = 0; i < length; i++)
    {
      JsonNode *entry_node = json_array_get_element (array, i);
      g_autofree char *where = g_strdup_printf (_("entry %u of “%s”"), i + 1, key);
      JsonObject *entry;
      JsonNode *date_node, *name_node;
      const char *date_text, *name = NULL;
      GDate date;
      CtDay *existing, *day;
      guint julian;

      if (!JSON_NODE_HOLDS_OBJECT (entry_node))
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("The calendar file “%s”: %s must be an object like "
                         "{ \"date\": \"%d-01-01\", \"name\": \"元旦\" }."),
                       path, where, year->year);
          return FALSE;
        }

      entry = json_node_get_object (entry_node);
      if (!check_members (entry, entry_members, path, where, error))
        return FALSE;

      date_node = json_object_get_member (entry, "date");
      if (!node_is_string (date_node))
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("The calendar file “%s”: %s has no “date” (a text YYYY-MM-DD)."),
                       path, where);
          return FALSE;
        }

      date_text = json_node_get_string (date_node);
      if (!parse_iso_date (date_text, &date))
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("The calendar file “%s”: %s has the date “%s”, which is not a "
                         "real date written YYYY-MM-DD."),
                       path, where, date_text);
          return FALSE;
        }

      if (g_date_get_year (&date) != year->year)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("The calendar file “%s”: %s (%s) is not in %d, the year of the "
                         "file. Put it in the file for its own year."),
                       path, where, date_text, year->year);
          return FALSE;
        }

      name_node = json_object_get_member (entry, "name");
      if (name_node != NULL)
        {
          if (!node_is_string (name_node) || *json_node_get_string (name_node) == '\0')
            {
              g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                           _("The calendar file “%s”: %s (%s) has a “name” that is not a "
                             "non-empty text."),
                           path, where, date_text);
              return FALSE;
            }
          name = json_node_get_string (name_node);
        }
      else if (kind == DAY_HOLIDAY)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("The calendar file “%s”: %s (%s) has no “name”; give the "
                         "festival, e.g. “春节”."),
                       path, where, date_text);
          return FALSE;
        }

      if (kind == DAY_WORKDAY &&
          g_date_get_weekday (&date) != G_DATE_SATURDAY &&
          g_date_get_weekday (&date) != G_DATE_SUNDAY)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("The calendar file “%s”: %s (%s) is a %s. Only a Saturday or "
                         "Sunday that is worked (调休上班) belongs in “workdays”."),
                       path, where, date_text, weekday_name (g_date_get_weekday (&date)));
          return FALSE;
        }

      julian = g_date_get_julian (&date);
      existing = g_hash_table_lookup (year->days, GUINT_TO_POINTER (julian));
      if (existing != NULL && existing->kind == kind)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("The calendar file “%s”: %s (%s) is listed twice in “%s”; "
                         "remove the duplicate."),
                       path, where, date_text, key);
          return FALSE;
        }
      else if (existing != NULL)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("The calendar file “%s”: %s (%s) is listed both as a holiday and "
                         "as a swapped workday; keep only what the notice says."),
                       path, where, date_text);
          return FALSE;
        }

      day = g_new0 (CtDay, 1);
      day->kind = kind;
      day->name = g_strdup (name);
      g_hash_table_insert (year->days, GUINT_TO_POINTER (julian), day);
    }

  return TRUE;
}

static gboolean
parse_source (CtCalendarYear *year,
              JsonObject     *root,
              const char     *path,
              GError        **error)
{
  static const char * const source_members[] = { "document", "title", "issued", "url", NULL };
  JsonNode *node = json_object_get_member (root, "source");
  JsonObject *source;
  const char *where = "“source”";  /* a JSON key: not translated */

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("The calendar file “%s” must have a “source” naming the notice it "
                     "comes from, e.g. { \"document\": \"国办发明电〔2024〕12号\" }."),
                   path);
      return FALSE;
    }

  source = json_node_get_object (node);
  if (!check_members (source, source_members, path, where, error))
    return FALSE;

  for (guint i = 0; source_members[i] != NULL; i++)
    {
      JsonNode *member = json_object_get_member (source, source_members[i]);

      if (member != NULL &&
          (!node_is_string (member) || *json_node_get_string (member) == '\0'))
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("The calendar file “%s”: “source” field “%s” must be a "
                         "non-empty text."),
                       path, source_members[i]);
          return FALSE;
        }
    }

  if (!json_object_has_member (source, "document"))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("The calendar file “%s”: “source” has no “document”; give the "
                     "number of the notice, e.g. 国办发明电〔2024〕12号."),
                   path);
      return FALSE;
    }

  if (json_object_has_member (source, "issued"))
    {
      const char *issued = json_object_get_string_member (source, "issued");
      GDate date;

      if (!parse_iso_date (issued, &date))
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("The calendar file “%s”: “source” field “issued” is “%s”, "
                         "which is not a real date written YYYY-MM-DD."),
                       path, issued);
          return FALSE;
        }
    }

  year->document = g_strdup (json_object_get_string_member (source, "document"));
  return TRUE;
}

static CtCalendarYear *
parse_file (const char  *path,
            GError     **error)
{
  static const char * const root_members[] = { "year", "source", "holidays", "workdays",
                                               "note", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CtCalendarYear) year = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = NULL;
  JsonNode *root_node, *year_node, *note_node;
  JsonObject *root;
  gint64 value;
  int name_year;

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      if (local_error->domain == G_FILE_ERROR)
        g_set_error (error, CT_ERROR, CT_ERROR_IO,
                     _("Could not read the calendar file “%s”: %s"),
                     path, local_error->message);
      else
        g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                     _("The calendar file “%s” is not valid JSON: %s"),
                     path, local_error->message);
      return NULL;
    }

  root_node = json_parser_get_root (parser);
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("The calendar file “%s” must contain one JSON object "
                     "{ \"year\": …, \"source\": …, \"holidays\": […], \"workdays\": […] }."),
                   path);
      return NULL;
    }

  root = json_node_get_object (root_node);
  if (!check_members (root, root_members, path, NULL, error))
    return NULL;

  year_node = json_object_get_member (root, "year");
  if (year_node == NULL || !JSON_NODE_HOLDS_VALUE (year_node) ||
      json_node_get_value_type (year_node) != G_TYPE_INT64 ||
      (value = json_node_get_int (year_node)) < MIN_YEAR || value > MAX_YEAR)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("The calendar file “%s” must have a “year”, a whole number "
                     "between %d and %d."),
                   path, MIN_YEAR, MAX_YEAR);
      return NULL;
    }

  basename = g_path_get_basename (path);
  if (year_from_basename (basename, &name_year) && name_year != (int) value)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("The calendar file “%s” says “year”: %d, but its name says %d. "
                     "Rename the file or correct the year."),
                   path, (int) value, name_year);
      return NULL;
    }

  note_node = json_object_get_member (root, "note");
  if (note_node != NULL && !node_is_string (note_node))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("The calendar file “%s”: “note” must be a text."), path);
      return NULL;
    }

  year = g_new0 (CtCalendarYear, 1);
  year->year = (int) value;
  year->path = g_strdup (path);
  year->days = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, ct_day_free);

  if (!parse_source (year, root, path, error) ||
      !parse_day_list (year, root, "holidays", DAY_HOLIDAY, path, error) ||
      !parse_day_list (year, root, "workdays", DAY_WORKDAY, path, error))
    return NULL;

  return g_steal_pointer (&year);
}

static gboolean
check_not_loaded (CtCalendar     *calendar,
                  CtCalendarYear *year,
                  GError        **error)
{
  CtCalendarYear *existing = g_hash_table_lookup (calendar->years,
                                                  GINT_TO_POINTER (year->year));

  if (existing != NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_EXISTS,
                   _("The calendar for %d is already loaded from “%s”, so “%s” cannot "
                     "be loaded as well. Keep only one file for each year."),
                   year->year, existing->path, year->path);
      return FALSE;
    }

  return TRUE;
}

gboolean
ct_calendar_load_file (CtCalendar  *calendar,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(CtCalendarYear) year = NULL;

  g_return_val_if_fail (calendar != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  year = parse_file (path, error);
  if (year == NULL)
    return FALSE;

  if (!check_not_loaded (calendar, year, error))
    return FALSE;

  g_debug ("Loaded the calendar for %d from %s (%u days)",
           year->year, path, g_hash_table_size (year->days));
  g_hash_table_insert (calendar->years, GINT_TO_POINTER (year->year), year);
  g_steal_pointer (&year);
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

gboolean
ct_calendar_load_dir (CtCalendar  *calendar,
                      const char  *dir,
                      GError     **error)
{
  g_autoptr(GDir) gdir = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) years = g_ptr_array_new_with_free_func (
    (GDestroyNotify) ct_calendar_year_free);
  const char *name;

  g_return_val_if_fail (calendar != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  gdir = g_dir_open (dir, 0, &local_error);
  if (gdir == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_IO,
                   _("Could not open the calendar folder “%s”: %s"),
                   dir, local_error->message);
      return FALSE;
    }

  while ((name = g_dir_read_name (gdir)) != NULL)
    {
      int year;

      if (year_from_basename (name, &year))
        g_ptr_array_add (names, g_strdup (name));
    }

  if (names->len == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND,
                   _("The calendar folder “%s” has no calendar files. Add one file per "
                     "year, named like 2025.json (see README.md in data/calendars)."),
                   dir);
      return FALSE;
    }

  /* Sorted, so that errors are reported in a stable order. */
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);
      CtCalendarYear *year = parse_file (path, error);

      if (year == NULL)
        return FALSE;

      g_ptr_array_add (years, year);
      if (!check_not_loaded (calendar, year, error))
        return FALSE;
    }

  /* Everything is valid: now add it all. */
  for (guint i = 0; i < years->len; i++)
    {
      CtCalendarYear *year = years->pdata[i];

      g_debug ("Loaded the calendar for %d from %s (%u days)",
               year->year, year->path, g_hash_table_size (year->days));
      g_hash_table_insert (calendar->years, GINT_TO_POINTER (year->year), year);
      years->pdata[i] = NULL;
    }

  return TRUE;
}

/* ---- queries -------------------------------------------------------------- */

gboolean
ct_calendar_covers (CtCalendar *calendar,
                    int         year)
{
  g_return_val_if_fail (calendar != NULL, FALSE);

  return g_hash_table_contains (calendar->years, GINT_TO_POINTER (year));
}

const char *
ct_calendar_get_source (CtCalendar *calendar,
                        int         year)
{
  CtCalendarYear *cy;

  g_return_val_if_fail (calendar != NULL, NULL);

  cy = g_hash_table_lookup (calendar->years, GINT_TO_POINTER (year));
  return cy != NULL ? cy->document : NULL;
}

static CtCalendarYear *
lookup_year (CtCalendar  *calendar,
             int          year,
             GError     **error)
{
  CtCalendarYear *cy = g_hash_table_lookup (calendar->years, GINT_TO_POINTER (year));

  if (cy == NULL)
    g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                 _("No calendar for year %d; add data/calendars/%d.json, transcribed from "
                   "the State Council General Office notice on the holidays of %d."),
                 year, year, year);
  return cy;
}

const char *
ct_calendar_get_day_name (CtCalendar  *calendar,
                          const GDate *date)
{
  CtCalendarYear *cy;
  CtDay *day;

  g_return_val_if_fail (calendar != NULL, NULL);
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  cy = g_hash_table_lookup (calendar->years, GINT_TO_POINTER ((int) g_date_get_year (date)));
  if (cy == NULL)
    return NULL;

  day = g_hash_table_lookup (cy->days, GUINT_TO_POINTER (g_date_get_julian (date)));
  return day != NULL ? day->name : NULL;
}

/* Sets *working; FALSE (with @error) only when the year is not covered. */
static gboolean
classify_day (CtCalendar   *calendar,
              const GDate  *date,
              gboolean     *working,
              GError      **error)
{
  CtCalendarYear *cy = lookup_year (calendar, g_date_get_year (date), error);
  CtDay *day;
  GDateWeekday weekday;

  if (cy == NULL)
    return FALSE;

  day = g_hash_table_lookup (cy->days, GUINT_TO_POINTER (g_date_get_julian (date)));
  if (day != NULL)
    {
      *working = day->kind == DAY_WORKDAY;
      return TRUE;
    }

  weekday = g_date_get_weekday (date);
  *working = weekday != G_DATE_SATURDAY && weekday != G_DATE_SUNDAY;
  return TRUE;
}

gboolean
ct_calendar_is_working_day (CtCalendar   *calendar,
                            const GDate  *date,
                            GError      **error)
{
  gboolean working = FALSE;

  g_return_val_if_fail (calendar != NULL, FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!classify_day (calendar, date, &working, error))
    return FALSE;

  return working;
}

/* Advances @date to the next working day after it. */
static gboolean
next_working_day (CtCalendar  *calendar,
                  GDate       *date,
                  GError     **error)
{
  gboolean working = FALSE;

  do
    {
      g_date_add_days (date, 1);
      if (!classify_day (calendar, date, &working, error))
        return FALSE;
    }
  while (!working);

  return TRUE;
}

gboolean
ct_calendar_add_working_days (CtCalendar   *calendar,
                              const GDate  *from,
                              guint         n,
                              GDate        *out,
                              GError      **error)
{
  GDate date;

  g_return_val_if_fail (calendar != NULL, FALSE);
  g_return_val_if_fail (from != NULL && g_date_valid (from), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  date = *from;
  for (guint i = 0; i < n; i++)
    {
      /* Every day stepped over is checked, so the walk stops at the first
       * uncovered year long before GDate could overflow. */
      if (!next_working_day (calendar, &date, error))
        return FALSE;
    }

  *out = date;
  return TRUE;
}

static GDateTime *
end_of_day_utc (GTimeZone   *tz,
                const GDate *date)
{
  g_autoptr(GDateTime) last_second = NULL;
  g_autoptr(GDateTime) end = NULL;

  last_second = g_date_time_new (tz, g_date_get_year (date), g_date_get_month (date),
                                 g_date_get_day (date), 23, 59, 59);
  if (last_second == NULL)
    return NULL;

  end = g_date_time_add (last_second, G_TIME_SPAN_SECOND - 1);
  if (end == NULL)
    return NULL;

  return g_date_time_to_utc (end);
}

static void
set_out_of_range (GError       **error,
                  guint          amount,
                  CtPeriodUnit   unit)
{
  g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
               _("A period of %u %s is too long to compute a deadline; check the amount."),
               amount, ct_period_unit_to_id (unit));
}

GDateTime *
ct_calendar_deadline (CtCalendar    *calendar,
                      GDateTime     *start,
                      CtPeriodUnit   unit,
                      guint          amount,
                      GError       **error)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) local_start = NULL;
  g_autoptr(GDateTime) result = NULL;
  GDate date;
  gboolean working = FALSE;

  g_return_val_if_fail (calendar != NULL, NULL);
  g_return_val_if_fail (start != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (unit)
    {
    case CT_PERIOD_HOURS:
      if (amount > G_MAXINT)
        break;
      result = g_date_time_add_hours (start, (int) amount);
      if (result == NULL)
        break;
      return g_date_time_to_utc (result);

    case CT_PERIOD_DAYS:
    case CT_PERIOD_WORKING_DAYS:
      tz = g_time_zone_new_offset (CHINA_UTC_OFFSET);
      local_start = g_date_time_to_timezone (start, tz);
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, g_date_time_get_day_of_month (local_start),
                      g_date_time_get_month (local_start), g_date_time_get_year (local_start));

      if (unit == CT_PERIOD_DAYS)
        {
          /* Only years up to MAX_YEAR can be covered; stop before GDate's
           * own limits. */
          if (amount > (guint) (MAX_YEAR + 1 - g_date_get_year (&date)) * 366)
            break;
          g_date_add_days (&date, amount);
          /* 期间届满的最后一日是法定节假日的，以节假日后的第一日为期间届满的日期. */
          if (!classify_day (calendar, &date, &working, error))
            return NULL;
          if (!working && !next_working_day (calendar, &date, error))
            return NULL;
        }
      else if (!ct_calendar_add_working_days (calendar, &date, amount, &date, error))
        {
          return NULL;
        }

      result = end_of_day_utc (tz, &date);
      if (result == NULL)
        break;
      return g_steal_pointer (&result);

    default:
      g_return_val_if_reached (NULL);
    }

  set_out_of_range (error, amount, unit);
  return NULL;
}

/* ---- deadline states ------------------------------------------------------ */

CtDeadlineState
ct_deadline_state (GDateTime *due,
                   GDateTime *now,
                   GDateTime *done_at,
                   GTimeSpan  soon_window)
{
  g_return_val_if_fail (due != NULL, CT_DEADLINE_OK);
  g_return_val_if_fail (now != NULL, CT_DEADLINE_OK);

  if (done_at != NULL)
    return g_date_time_compare (done_at, due) <= 0 ? CT_DEADLINE_OK : CT_DEADLINE_OVERDUE;

  if (g_date_time_compare (now, due) > 0)
    return CT_DEADLINE_OVERDUE;

  if (g_date_time_difference (due, now) <= soon_window)
    return CT_DEADLINE_DUE_SOON;

  return CT_DEADLINE_OK;
}

const char *
ct_deadline_state_to_id (CtDeadlineState state)
{
  switch (state)
    {
    case CT_DEADLINE_OK:
      return "ok";
    case CT_DEADLINE_DUE_SOON:
      return "due-soon";
    case CT_DEADLINE_OVERDUE:
      return "overdue";
    default:
      g_return_val_if_reached (NULL);
    }
}

static const struct {
  CtPeriodUnit  unit;
  const char   *id;
} period_units[] = {
  { CT_PERIOD_HOURS, "hours" },
  { CT_PERIOD_DAYS, "days" },
  { CT_PERIOD_WORKING_DAYS, "working-days" },
};

gboolean
ct_period_unit_from_id (const char   *id,
                        CtPeriodUnit *unit)
{
  g_return_val_if_fail (unit != NULL, FALSE);

  if (id == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (period_units); i++)
    {
      if (g_str_equal (id, period_units[i].id))
        {
          *unit = period_units[i].unit;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
ct_period_unit_to_id (CtPeriodUnit unit)
{
  for (guint i = 0; i < G_N_ELEMENTS (period_units); i++)
    if (period_units[i].unit == unit)
      return period_units[i].id;

  g_return_val_if_reached (NULL);
}

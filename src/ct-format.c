#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ct-format.h"
#include "ct-model.h"

static char *
format_iso8601 (const char *iso8601,
                const char *format)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso8601 == NULL)
    return g_strdup ("");

  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (iso8601, utc);
  if (dt == NULL)
    return g_strdup (iso8601);

  local = g_date_time_to_local (dt);
  return g_date_time_format (local, format);
}

char *
ct_format_timestamp (const char *iso8601)
{
  return format_iso8601 (iso8601, "%Y-%m-%d %H:%M");
}

char *
ct_format_date (const char *iso8601)
{
  return format_iso8601 (iso8601, "%Y-%m-%d");
}

char *
ct_format_roles (guint roles)
{
  g_autoptr(GString) str = g_string_new (NULL);

  for (guint i = 0; i < CT_N_ROLES; i++)
    {
      CtRole role = ct_role_nth (i);

      if ((roles & role) == 0)
        continue;
      if (str->len > 0)
        /* Translators: separates role names in a list */
        g_string_append (str, _(", "));
      g_string_append (str, ct_role_to_label (role));
    }

  return g_string_free (g_steal_pointer (&str), FALSE);
}

char *
ct_format_clip_range (const CtClip *clip)
{
  g_autofree char *start = ct_format_offset (clip->start_ms);
  g_autofree char *end = ct_format_offset (clip->end_ms);

  return g_strdup_printf ("%s – %s", start, end);
}

/* "2026-03-01T09:30:01.250+08:00" → "2026-03-01 09:30:01.250" */
static char *
china_wall (const char *iso)
{
  char *text = g_strdup (iso);
  char *plus = strstr (text, "+08:00");

  if (plus != NULL)
    *plus = '\0';
  if (strlen (text) > 10 && text[10] == 'T')
    text[10] = ' ';
  return text;
}

char *
ct_format_clip_wall (const CtClip *clip)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  if (clip->start_wall == NULL || clip->end_wall == NULL)
    return g_strdup (_("Recording time unknown"));
  start = china_wall (clip->start_wall);
  end = china_wall (clip->end_wall);
  /* Translators: the wall-clock times of a clip, "2026-03-01 09:30:01.250 – 09:30:02.500 (China time)" */
  return g_strdup_printf (_("%s – %s (China time)"), start,
                          strncmp (start, end, 11) == 0 && strlen (end) > 11 ? end + 11 : end);
}

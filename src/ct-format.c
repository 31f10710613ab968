#define G_LOG_DOMAIN "casetrail"

#include "config.h"

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

/* ct-format.h — small formatting helpers shared by the widgets */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An ISO 8601 timestamp (UTC) as local "YYYY-MM-DD HH:MM"; the input itself
 * when it does not parse, "" for NULL. */
char *ct_format_timestamp (const char *iso8601);
/* Same, date only. */
char *ct_format_date      (const char *iso8601);
/* Translated role names of @roles joined by ", ". */
char *ct_format_roles     (guint roles);

G_END_DECLS

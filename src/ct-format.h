/* ct-format.h — small formatting helpers shared by the widgets */
#pragma once

#include <glib.h>

#include "ct-review.h"

G_BEGIN_DECLS

/* An ISO 8601 timestamp (UTC) as local "YYYY-MM-DD HH:MM"; the input itself
 * when it does not parse, "" for NULL. */
char *ct_format_timestamp (const char *iso8601);
/* Same, date only. */
char *ct_format_date      (const char *iso8601);
/* Translated role names of @roles joined by ", ". */
char *ct_format_roles     (guint roles);
/* A clip's range in the recording, "00:00:01.250 – 00:00:02.500". */
char *ct_format_clip_range (const CtClip *clip);
/* Its wall-clock times, "2026-03-01 09:30:01.250 – 09:30:02.500 (China
 * time)"; says so when the recording time is unknown. */
char *ct_format_clip_wall  (const CtClip *clip);

G_END_DECLS

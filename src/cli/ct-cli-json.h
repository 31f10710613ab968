/* ct-cli-json.h — JSON forms of core records for casetrail-cli --json */
#pragma once

#include <json-glib/json-glib.h>

#include "ct-model.h"
#include "ct-store.h"

G_BEGIN_DECLS

/* A member "key": value of the object being built; a NULL string is null. */
void  ct_json_member_str       (JsonBuilder *b, const char *key, const char *value);
void  ct_json_member_int       (JsonBuilder *b, const char *key, gint64 value);
void  ct_json_member_bool      (JsonBuilder *b, const char *key, gboolean value);
void  ct_json_member_double    (JsonBuilder *b, const char *key, double value);
/* An array of the strings of @values, NULL-terminated (NULL: empty). */
void  ct_json_member_strv      (JsonBuilder *b, const char *key, char **values);
/* An array of the strings @values holds (NULL: empty). */
void  ct_json_member_strings   (JsonBuilder *b, const char *key, GPtrArray *values);

void  ct_json_add_user         (JsonBuilder *b, const CtUser *user);
void  ct_json_add_case         (JsonBuilder *b, const CtCase *c);
void  ct_json_add_approval     (JsonBuilder *b, const CtApproval *a);
void  ct_json_add_audit_report (JsonBuilder *b, const CtAuditReport *report, gboolean ok);
/* Pretty-printed, with a trailing newline. */
char *ct_json_to_string        (JsonBuilder *b);

G_END_DECLS

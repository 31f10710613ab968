/* ct-cli-json.h — JSON forms of core records for casetrail-cli --json */
#pragma once

#include <json-glib/json-glib.h>

#include "ct-model.h"
#include "ct-store.h"

G_BEGIN_DECLS

void  ct_json_add_user         (JsonBuilder *b, const CtUser *user);
void  ct_json_add_case         (JsonBuilder *b, const CtCase *c);
void  ct_json_add_approval     (JsonBuilder *b, const CtApproval *a);
void  ct_json_add_audit_report (JsonBuilder *b, const CtAuditReport *report, gboolean ok);
/* Pretty-printed, with a trailing newline. */
char *ct_json_to_string        (JsonBuilder *b);

G_END_DECLS

/* ct-requirement-row.h — one requirement of a stage's checklist
 *
 * Shows whether it is met (satisfied, missing and blocking, missing as a
 * warning, not applicable), its title, why it is missing, the legal basis it
 * comes from and, for deadlines, the due time and whether it is on time.
 * A requirement about a form offers to open it ("case.open-form").
 */
#pragma once

#include <gtk/gtk.h>

#include "ct-case-procedure.h"

G_BEGIN_DECLS

#define CT_TYPE_REQUIREMENT_ROW (ct_requirement_row_get_type ())
G_DECLARE_FINAL_TYPE (CtRequirementRow, ct_requirement_row, CT, REQUIREMENT_ROW, GtkListBoxRow)

GtkWidget  *ct_requirement_row_new          (const CtRequirementInfo *req);
const char *ct_requirement_row_get_rule_id  (CtRequirementRow *self);
CtReqState  ct_requirement_row_get_state    (CtRequirementRow *self);
gboolean    ct_requirement_row_get_blocking (CtRequirementRow *self);
/* The citation as shown, e.g. "Basis: 行政处罚法 第五十四条". */
const char *ct_requirement_row_get_citation (CtRequirementRow *self);

G_END_DECLS

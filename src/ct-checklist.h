/* ct-checklist.h — the checklist of one stage of a case
 *
 * Every requirement of the stage as a CtRequirementRow: what blocks the
 * next step first, then warnings, what is done, and (folded away) what
 * does not apply to the case.
 */
#pragma once

#include <adwaita.h>

#include "ct-requirement-row.h"

G_BEGIN_DECLS

#define CT_TYPE_CHECKLIST (ct_checklist_get_type ())
G_DECLARE_FINAL_TYPE (CtChecklist, ct_checklist, CT, CHECKLIST, AdwBin)

GtkWidget        *ct_checklist_new              (void);
/* @requirements: CtRequirementInfo*; NULL clears. */
void              ct_checklist_set_requirements (CtChecklist *self,
                                                 GPtrArray   *requirements);
guint             ct_checklist_get_n_rows       (CtChecklist *self);
/* The row of rule @rule_id, or NULL. */
CtRequirementRow *ct_checklist_get_row          (CtChecklist *self,
                                                 const char  *rule_id);

G_END_DECLS

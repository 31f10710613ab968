/* ct-deadline-badge.h — a case's deadline state, for the case list
 *
 * A small label: on time, due soon or overdue — the worst state among the
 * deadline requirements of the case's current stage, worked out on a worker
 * thread (ct_task_case_deadline_async()).  Hidden while it is worked out,
 * when no deadline is running, and when the rules cannot be checked.
 */
#pragma once

#include <adwaita.h>

#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_DEADLINE_BADGE (ct_deadline_badge_get_type ())
G_DECLARE_FINAL_TYPE (CtDeadlineBadge, ct_deadline_badge, CT, DEADLINE_BADGE, AdwBin)

GtkWidget *ct_deadline_badge_new         (void);
/* Shows the deadline state of case @case_id (0: nothing) in @store; NULL
 * @store: the store of the CtWindow the badge is shown in. */
void       ct_deadline_badge_set_case    (CtDeadlineBadge *self,
                                          CtStore         *store,
                                          gint64           case_id);
/* A CtDeadlineState, or -1 when nothing is shown. */
int        ct_deadline_badge_get_state   (CtDeadlineBadge *self);

G_END_DECLS

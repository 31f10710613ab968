/* ct-stage-stepper.h — the stages of a case's procedure, in order
 *
 * One step per stage, marked done, current, upcoming, skipped (does not
 * apply) or not taken; the step whose checklist is shown is highlighted.
 * Clicking a step activates "case.show-stage" with the stage id, so the
 * stepper must sit inside a widget that installs that action.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CT_TYPE_STAGE_STEPPER (ct_stage_stepper_get_type ())
G_DECLARE_FINAL_TYPE (CtStageStepper, ct_stage_stepper, CT, STAGE_STEPPER, AdwBin)

GtkWidget *ct_stage_stepper_new        (void);
/* @stages: CtStageInfo* (see ct-case-procedure.h), copied; NULL clears. */
void       ct_stage_stepper_set_stages (CtStageStepper *self,
                                        GPtrArray      *stages,
                                        const char     *shown);
guint      ct_stage_stepper_get_n_steps (CtStageStepper *self);
/* The step button of @stage, or NULL. */
GtkWidget *ct_stage_stepper_get_step   (CtStageStepper *self,
                                        const char     *stage);

G_END_DECLS

/* ct-case-view.h — one case: its procedure (stages, the checklist of a
 * stage, forms, approvals, case facts) and its details (summary, party,
 * officers, timeline)
 *
 * Actions (installed on the view, so buttons, keys and tests share them):
 *   case.show-stage s          show another stage's checklist
 *   case.show-current-stage    back to the current stage
 *   case.advance               move the case to its next stage
 *   case.take-branch s         leave the stage by a branch (e.g. not filed → closed)
 *   case.open-form s           open the form editor for a template
 *   case.approve (ss)          sign an approval: subject, role id
 *   case.set-flag (ss)         state a fact: flag, value ("" clears it)
 *   case.reload                read the case again (Ctrl+R, F5)
 *   case.save-archive          an archived case: choose a file for its stored dossier
 *   case.save-archive-to s     write the stored dossier, verified, to that path
 */
#pragma once

#include <adwaita.h>

#include "ct-case-procedure.h"
#include "ct-form-editor.h"
#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_CASE_VIEW (ct_case_view_get_type ())
G_DECLARE_FINAL_TYPE (CtCaseView, ct_case_view, CT, CASE_VIEW, AdwBin)

GtkWidget *ct_case_view_new         (void);
/* Clears the view; NULL session shows nothing. */
void       ct_case_view_set_session (CtCaseView *self,
                                     CtStore    *store,
                                     CtSession  *session);
/* Loads (and so audits the viewing of) case @case_id. */
void       ct_case_view_load        (CtCaseView *self,
                                     gint64      case_id);
/* The case shown, or 0. */
gint64     ct_case_view_get_case_id (CtCaseView *self);
/* The case shown, NULL while loading or when none. */
const CtCase *ct_case_view_get_case (CtCaseView *self);
/* The procedure snapshot shown, NULL while it loads or when it failed. */
CtCaseProcedure *ct_case_view_get_procedure       (CtCaseView *self);
/* Why the procedure could not be checked (e.g. rule packs not
 * installed), or NULL. */
const char      *ct_case_view_get_procedure_error (CtCaseView *self);
/* TRUE while the case or its procedure loads or a change is written. */
gboolean         ct_case_view_get_busy            (CtCaseView *self);
/* How many approvals of the shown stage the user may sign now. */
guint            ct_case_view_get_n_approvals_to_sign (CtCaseView *self);
/* The open form editor, or NULL. */
CtFormEditor    *ct_case_view_get_form_editor     (CtCaseView *self);

G_END_DECLS

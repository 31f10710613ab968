/* ct-new-case-dialog.h — open (立案) a new case */
#pragma once

#include <adwaita.h>

#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_NEW_CASE_DIALOG (ct_new_case_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CtNewCaseDialog, ct_new_case_dialog, CT, NEW_CASE_DIALOG, AdwWindow)

/* A modal dialog; emits ::case-created (gint64 case id) and closes itself
 * once the store has the case. */
CtNewCaseDialog *ct_new_case_dialog_new           (CtStore   *store,
                                                   CtSession *session);
/* TRUE once the officers are listed. */
gboolean         ct_new_case_dialog_get_ready     (CtNewCaseDialog *self);
/* Checks exactly the officers (handlers or assistants) named in
 * @usernames; returns how many of them are listed. */
guint            ct_new_case_dialog_set_officers  (CtNewCaseDialog    *self,
                                                   const char * const *usernames);

G_END_DECLS

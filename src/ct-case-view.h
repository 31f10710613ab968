/* ct-case-view.h — one case: summary, party, officers and timeline */
#pragma once

#include <adwaita.h>

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

G_END_DECLS

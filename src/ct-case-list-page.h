/* ct-case-list-page.h — the searchable list of cases (the leaflet's sidebar) */
#pragma once

#include <adwaita.h>

#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_CASE_LIST_PAGE (ct_case_list_page_get_type ())
G_DECLARE_FINAL_TYPE (CtCaseListPage, ct_case_list_page, CT, CASE_LIST_PAGE, AdwBin)

GtkWidget *ct_case_list_page_new          (void);
/* Loads the cases visible to @session; NULL clears the list. */
void       ct_case_list_page_set_session  (CtCaseListPage *self,
                                           CtStore        *store,
                                           CtSession      *session);
/* Reloads, then selects the case @select_id (0: keep the selection) without
 * activating it again. */
void       ct_case_list_page_reload       (CtCaseListPage *self,
                                           gint64          select_id);
void       ct_case_list_page_start_search (CtCaseListPage *self);
/* Number of cases listed (after the search filter). */
guint      ct_case_list_page_get_n_cases  (CtCaseListPage *self);
/* TRUE while a reload is running. */
gboolean   ct_case_list_page_get_loading  (CtCaseListPage *self);

G_END_DECLS

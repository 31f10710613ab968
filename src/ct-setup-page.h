/* ct-setup-page.h — first run: load the demo data or create the agency */
#pragma once

#include <adwaita.h>

#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_SETUP_PAGE (ct_setup_page_get_type ())
G_DECLARE_FINAL_TYPE (CtSetupPage, ct_setup_page, CT, SETUP_PAGE, AdwBin)

/* The case number pattern offered when creating an agency. */
#define CT_DEFAULT_CASE_NUMBER_PATTERN "X司罚立〔{year}〕{seq}号"

GtkWidget *ct_setup_page_new       (void);
/* Emits ::initialized (gboolean demo) once the store has its agency. */
void       ct_setup_page_set_store (CtSetupPage *self,
                                    CtStore     *store);

G_END_DECLS

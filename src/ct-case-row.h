/* ct-case-row.h — one case in the case list */
#pragma once

#include <gtk/gtk.h>

#include "ct-model.h"

G_BEGIN_DECLS

#define CT_TYPE_CASE_ROW (ct_case_row_get_type ())
G_DECLARE_FINAL_TYPE (CtCaseRow, ct_case_row, CT, CASE_ROW, GtkListBoxRow)

GtkWidget  *ct_case_row_new        (const CtCase *c);
gint64      ct_case_row_get_case_id (CtCaseRow *self);
const char *ct_case_row_get_number (CtCaseRow *self);

G_END_DECLS

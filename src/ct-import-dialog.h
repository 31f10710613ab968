/* ct-import-dialog.h — importing recordings into the evidence store
 *
 * A modal window: the files and folders to import, what is stated about
 * them (device, category, officers, an optional recording time), then one
 * run on a worker thread with the progress of the file and of the whole,
 * a Cancel that stops it (the file being imported is rolled back by the
 * core; those already imported stay) and a list of results.
 *
 * Signals:
 *   finished ()   the run is over (done, failed or cancelled)
 */
#pragma once

#include <adwaita.h>

#include "ct-store.h"

G_BEGIN_DECLS

#define CT_TYPE_IMPORT_DIALOG (ct_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CtImportDialog, ct_import_dialog, CT, IMPORT_DIALOG, AdwWindow)

/* @case_id 0: not attached to a case. */
CtImportDialog *ct_import_dialog_new       (CtStore    *store,
                                            CtSession  *session,
                                            gint64      case_id,
                                            const char *case_number);
/* Replaces the chosen files and folders (what the choosers do; tests). */
void            ct_import_dialog_set_paths (CtImportDialog     *self,
                                            const char * const *paths);
/* Starts the import (what the Import button does). */
void            ct_import_dialog_start     (CtImportDialog *self);
/* Cancels a running import (what the Cancel button does while it runs). */
void            ct_import_dialog_cancel    (CtImportDialog *self);

gboolean        ct_import_dialog_get_running   (CtImportDialog *self);
/* After "finished": how the files went. */
guint           ct_import_dialog_get_n_imported (CtImportDialog *self);
guint           ct_import_dialog_get_n_present  (CtImportDialog *self);
guint           ct_import_dialog_get_n_failed   (CtImportDialog *self);
guint           ct_import_dialog_get_n_skipped  (CtImportDialog *self);
gboolean        ct_import_dialog_get_cancelled  (CtImportDialog *self);
/* Why the run stopped early (e.g. a named file does not exist), or NULL. */
const char     *ct_import_dialog_get_error      (CtImportDialog *self);

G_END_DECLS

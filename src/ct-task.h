/* ct-task.h — asynchronous wrappers for store calls that ct-store.h only
 * offers synchronously
 *
 * Each runs the synchronous core call on a GTask worker thread, so widgets
 * never block on the database.  Drop a wrapper once the core grows its own
 * _async/_finish pair.
 */
#pragma once

#include <gio/gio.h>

#include "ct-store.h"

G_BEGIN_DECLS

void      ct_task_is_initialized_async  (CtStore             *store,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* Returns FALSE with @error unset when the store has no agency yet. */
gboolean  ct_task_is_initialized_finish (CtStore       *store,
                                         GAsyncResult  *result,
                                         GError       **error);

void      ct_task_get_agency_async      (CtStore             *store,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
CtAgency *ct_task_get_agency_finish     (CtStore       *store,
                                         GAsyncResult  *result,
                                         GError       **error);

/* Records the logout; the session is kept alive until the call is done. */
void      ct_task_logout_async          (CtStore             *store,
                                         CtSession           *session,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  ct_task_logout_finish         (CtStore       *store,
                                         GAsyncResult  *result,
                                         GError       **error);

/* ---- the procedure ------------------------------------------------------------ */

/* The saved values of a form (a new reference), or NULL with
 * CT_ERROR_NOT_FOUND when the case has none yet. */
void        ct_task_get_form_async      (CtStore             *store,
                                         gint64               case_id,
                                         const char          *template_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
JsonObject *ct_task_get_form_finish     (CtStore       *store,
                                         GAsyncResult  *result,
                                         GError       **error);

/* ct_store_save_form(); @values is copied before the call returns. */
void        ct_task_save_form_async     (CtStore             *store,
                                         CtSession           *session,
                                         gint64               case_id,
                                         const char          *template_id,
                                         JsonObject          *values,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean    ct_task_save_form_finish    (CtStore       *store,
                                         GAsyncResult  *result,
                                         GError       **error);

/* ct_store_set_flag(); @value NULL clears the flag. */
void        ct_task_set_flag_async      (CtStore             *store,
                                         CtSession           *session,
                                         gint64               case_id,
                                         const char          *flag,
                                         const char          *value,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean    ct_task_set_flag_finish     (CtStore       *store,
                                         GAsyncResult  *result,
                                         GError       **error);

/* ct_store_advance_case(), or ct_store_archive_case() when @to is "archived";
 * returns the new stage id. */
void        ct_task_advance_case_async  (CtStore             *store,
                                         CtSession           *session,
                                         gint64               case_id,
                                         const char          *to,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
char       *ct_task_advance_case_finish (CtStore       *store,
                                         GAsyncResult  *result,
                                         GError       **error);

/* ct_store_approve_as(); returns the approval id, or 0. */
void        ct_task_approve_as_async    (CtStore             *store,
                                         CtSession           *session,
                                         gint64               case_id,
                                         const char          *subject,
                                         CtRole               role,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gint64      ct_task_approve_as_finish   (CtStore       *store,
                                         GAsyncResult  *result,
                                         GError       **error);

/* The worst deadline state among the deadline requirements of the case's
 * current stage: a CtDeadlineState, or -1 when no deadline is running
 * there.  Fails like ct_store_check_case() (e.g. rule packs not
 * installed). */
void        ct_task_case_deadline_async  (CtStore             *store,
                                          gint64               case_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
int         ct_task_case_deadline_finish (CtStore       *store,
                                          GAsyncResult  *result,
                                          GError       **error);

G_END_DECLS

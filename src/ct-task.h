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

G_END_DECLS

#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include "ct-task.h"

/* ---- is_initialized ------------------------------------------------------ */

static void
is_initialized_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  g_task_return_boolean (task, ct_store_is_initialized (CT_STORE (source_object)));
}

void
ct_task_is_initialized_async (CtStore             *store,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CT_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_task_is_initialized_async);
  g_task_run_in_thread (task, is_initialized_thread);
}

gboolean
ct_task_is_initialized_finish (CtStore       *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- get_agency -------------------------------------------------------------- */

static void
get_agency_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  CtAgency *agency;

  agency = ct_store_get_agency (CT_STORE (source_object), &error);
  if (agency == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, agency, (GDestroyNotify) ct_agency_free);
}

void
ct_task_get_agency_async (CtStore             *store,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CT_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_task_get_agency_async);
  g_task_run_in_thread (task, get_agency_thread);
}

CtAgency *
ct_task_get_agency_finish (CtStore       *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- logout ---------------------------------------------------------------- */

static void
logout_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ct_store_logout (CT_STORE (source_object), task_data);
  g_task_return_boolean (task, TRUE);
}

void
ct_task_logout_async (CtStore             *store,
                      CtSession           *session,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_task_logout_async);
  g_task_set_task_data (task, ct_session_ref (session), (GDestroyNotify) ct_session_unref);
  g_task_run_in_thread (task, logout_thread);
}

gboolean
ct_task_logout_finish (CtStore       *store,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

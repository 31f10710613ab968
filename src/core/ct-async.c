#define G_LOG_DOMAIN "casetrail-core"

#include "config.h"

#include "ct-async.h"

typedef enum {
  KIND_NONE,
  KIND_POINTER,
  KIND_BOOLEAN,
  KIND_INT,
} Kind;

struct _CtAsyncJob {
  gpointer        data;
  GDestroyNotify  data_free;
  GMainContext   *context;      /* the caller's, for ct_async_job_post() */
  Kind            kind;
  union {
    CtAsyncPointerFunc pointer;
    CtAsyncBooleanFunc boolean;
    CtAsyncIntFunc     integer;
  } func;
  GDestroyNotify  result_free;
  /* the worker's alone */
  GCancellable   *cancellable;  /* borrowed from the task */
  gint64          last_post;
};

static void
job_free (CtAsyncJob *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_main_context_unref (job->context);
  g_free (job);
}

GTask *
ct_async_new (gpointer             source_object,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag,
              gpointer             data,
              GDestroyNotify       data_free)
{
  GTask *task = g_task_new (source_object, cancellable, callback, user_data);
  CtAsyncJob *job = g_new0 (CtAsyncJob, 1);

  job->data = data;
  job->data_free = data_free;
  /* The context g_task_new() returns on. */
  job->context = g_main_context_ref (g_task_get_context (task));
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  return task;
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  CtAsyncJob *job = task_data;
  g_autoptr(GError) error = NULL;

  job->cancellable = cancellable;
  switch (job->kind)
    {
    case KIND_POINTER:
      {
        gpointer result = job->func.pointer (job, source_object, job->data, &error);

        if (error != NULL)
          {
            if (result != NULL && job->result_free != NULL)
              job->result_free (result);
            g_task_return_error (task, g_steal_pointer (&error));
          }
        else
          g_task_return_pointer (task, result, job->result_free);
      }
      break;

    case KIND_BOOLEAN:
      {
        gboolean ok = job->func.boolean (job, source_object, job->data, &error);

        if (error != NULL)
          g_task_return_error (task, g_steal_pointer (&error));
        else
          g_task_return_boolean (task, ok);
      }
      break;

    case KIND_INT:
      {
        gint64 value = job->func.integer (job, source_object, job->data, &error);

        if (error != NULL)
          g_task_return_error (task, g_steal_pointer (&error));
        else
          g_task_return_int (task, value);
      }
      break;

    case KIND_NONE:
    default:
      g_assert_not_reached ();
    }
}

static void
job_run (GTask *task,
         Kind   kind)
{
  CtAsyncJob *job = g_task_get_task_data (task);

  job->kind = kind;
  g_task_run_in_thread (task, job_thread);
  g_object_unref (task);
}

void
ct_async_run_pointer (GTask              *task,
                      CtAsyncPointerFunc  func,
                      GDestroyNotify      result_free)
{
  CtAsyncJob *job;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  job = g_task_get_task_data (task);
  job->func.pointer = func;
  job->result_free = result_free;
  job_run (task, KIND_POINTER);
}

void
ct_async_run_boolean (GTask              *task,
                      CtAsyncBooleanFunc  func)
{
  CtAsyncJob *job;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  job = g_task_get_task_data (task);
  job->func.boolean = func;
  job_run (task, KIND_BOOLEAN);
}

void
ct_async_run_int (GTask          *task,
                  CtAsyncIntFunc  func)
{
  CtAsyncJob *job;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  job = g_task_get_task_data (task);
  job->func.integer = func;
  job_run (task, KIND_INT);
}

gpointer
ct_async_finish_pointer (gpointer       source_object,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
ct_async_finish_boolean (gpointer       source_object,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gint64
ct_async_finish_int (gpointer       source_object,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

gpointer
ct_async_get_data (GAsyncResult *result)
{
  CtAsyncJob *job;

  g_return_val_if_fail (G_IS_TASK (result), NULL);

  job = g_task_get_task_data (G_TASK (result));
  return job != NULL ? job->data : NULL;
}

/* ---- the worker's side ---- */

gpointer
ct_async_job_get_data (CtAsyncJob *job)
{
  return job->data;
}

GCancellable *
ct_async_job_get_cancellable (CtAsyncJob *job)
{
  return job->cancellable;
}

void
ct_async_job_post (CtAsyncJob     *job,
                   GSourceFunc     func,
                   gpointer        func_data,
                   GDestroyNotify  func_data_free)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  /* Not g_main_context_invoke_full(): a worker's thread-default context is
   * the global default one, so when that is the caller's and nobody holds
   * it just now, invoke would run @func right here on the worker. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, func_data, func_data_free);
  g_source_set_static_name (source, "[casetrail] ct_async_job_post");
  g_source_attach (source, job->context);
}

gboolean
ct_async_job_progress_due (CtAsyncJob *job,
                           guint64     done,
                           guint64     total)
{
  gint64 now = g_get_monotonic_time ();

  if (done < total && now - job->last_post < CT_ASYNC_PROGRESS_INTERVAL)
    return FALSE;
  job->last_post = now;
  return TRUE;
}

void
ct_async_job_progress_restart (CtAsyncJob *job)
{
  job->last_post = 0;
}

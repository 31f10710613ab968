/* ct-async.h — one blocking call on a worker thread, its result on the
 * caller's main context (GTK-free)
 *
 * The _async/_finish pairs of the store (ct-store-async.c) and of the
 * widgets (ct-task.c, ct-media-task.c) all do the same: run a synchronous
 * call on a GTask worker thread, so that nothing waits on the disk, and hand
 * its result or its GError to the callback on the main context that was the
 * thread default when the call started.  This is that, once.
 *
 *   ct_async_run_boolean (ct_async_new (store, cancellable, callback, user_data,
 *                                       my_call_async, data, data_free),
 *                         my_call_work);
 *
 * The work function runs on the worker thread.  It fails by setting @error
 * (its return value is then dropped); a boolean work function may return
 * FALSE with @error unset, which the _finish function hands on as FALSE.
 * It may only touch @source and @data in ways that are thread-safe, and the
 * job through the ct_async_job_*() calls below.
 *
 * Cancellation is GTask's own: the work function finds the cancellable with
 * ct_async_job_get_cancellable() and may stop early with
 * G_IO_ERROR_CANCELLED; whatever it does, a call whose cancellable is
 * cancelled before the callback runs finishes with G_IO_ERROR_CANCELLED.
 *
 * Progress: the work function posts closures to the caller's main context
 * with ct_async_job_post(), at most CT_ASYNC_PROGRESS_INTERVAL apart when it
 * asks ct_async_job_progress_due() first.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Progress is reported at most ten times a second. */
#define CT_ASYNC_PROGRESS_INTERVAL (100 * G_TIME_SPAN_MILLISECOND)

typedef struct _CtAsyncJob CtAsyncJob;

typedef gpointer (*CtAsyncPointerFunc) (CtAsyncJob  *job,
                                        gpointer     source_object,
                                        gpointer     data,
                                        GError     **error);
typedef gboolean (*CtAsyncBooleanFunc) (CtAsyncJob  *job,
                                        gpointer     source_object,
                                        gpointer     data,
                                        GError     **error);
typedef gint64   (*CtAsyncIntFunc)     (CtAsyncJob  *job,
                                        gpointer     source_object,
                                        gpointer     data,
                                        GError     **error);

/* ---- on the calling thread ------------------------------------------------------------ */

/* A task for one call; @data (freed with @data_free once the task is gone)
 * is what the work function gets.  Hand it to one of ct_async_run_*(). */
GTask   *ct_async_new            (gpointer             source_object,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data,
                                  gpointer             source_tag,
                                  gpointer             data,
                                  GDestroyNotify       data_free);

/* Run @func on a worker thread; these take over @task.  A pointer result
 * that nobody finishes is freed with @result_free. */
void     ct_async_run_pointer    (GTask               *task,
                                  CtAsyncPointerFunc   func,
                                  GDestroyNotify       result_free);
void     ct_async_run_boolean    (GTask               *task,
                                  CtAsyncBooleanFunc   func);
void     ct_async_run_int        (GTask               *task,
                                  CtAsyncIntFunc       func);

/* In the callback: the result (transfer full), or NULL / FALSE / -1 with
 * @error set. */
gpointer ct_async_finish_pointer (gpointer       source_object,
                                  GAsyncResult  *result,
                                  GError       **error);
gboolean ct_async_finish_boolean (gpointer       source_object,
                                  GAsyncResult  *result,
                                  GError       **error);
gint64   ct_async_finish_int     (gpointer       source_object,
                                  GAsyncResult  *result,
                                  GError       **error);

/* The @data of ct_async_new(), e.g. for what the work left in it; only
 * once the callback runs. */
gpointer ct_async_get_data       (GAsyncResult  *result);

/* ---- on the worker thread ------------------------------------------------------------- */

gpointer      ct_async_job_get_data         (CtAsyncJob *job);
GCancellable *ct_async_job_get_cancellable  (CtAsyncJob *job);

/* Runs @func (@func_data) on the caller's main context, then @func_data_free
 * (also when the context goes away first).  @func_data must own what it
 * carries: the worker goes on meanwhile. */
void          ct_async_job_post             (CtAsyncJob     *job,
                                             GSourceFunc     func,
                                             gpointer        func_data,
                                             GDestroyNotify  func_data_free);

/* Whether a progress report of @done out of @total is to be posted now: not
 * within CT_ASYNC_PROGRESS_INTERVAL of the last one that was, except the
 * last one (@done >= @total), which always is. */
gboolean      ct_async_job_progress_due     (CtAsyncJob *job,
                                             guint64     done,
                                             guint64     total);
/* The next report is due whatever came before (e.g. a new phase). */
void          ct_async_job_progress_restart (CtAsyncJob *job);

G_END_DECLS

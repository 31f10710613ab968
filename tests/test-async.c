/* test-async.c — tests for src/core/ct-async.c
 *
 * The worker-thread helper behind every _async/_finish pair of the store
 * and the widgets: the result (or the GError) reaches the callback on the
 * main context of the thread that started the call, cancellation before and
 * during the work ends the call with G_IO_ERROR_CANCELLED, nothing is
 * leaked or freed twice, and progress posted from the worker arrives on the
 * caller's context at most once per CT_ASYNC_PROGRESS_INTERVAL (the last
 * report always) and before the result.
 */
#define G_LOG_DOMAIN "casetrail-test"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "ct-async.h"

/* ---- helpers -------------------------------------------------------------- */

static int results_freed;

static void
counted_free (gpointer p)
{
  g_atomic_int_inc (&results_freed);
  g_free (p);
}

/* What the work gets as its data; lives on the test's stack. */
typedef struct {
  GThread      *worker;       /* the thread the work ran on */
  int           data_freed;
  gboolean      ran;          /* the work got past its cancellation check */
  gboolean      started;      /* set on the caller's context by a post */
  gboolean      started_on_caller;
  GThread      *caller;
  GMainContext *context;
  /* progress, written by the worker, read once the call is done */
  gint64        stamps[64];
  guint         n_due;
  gboolean      final_due;
  gboolean      restart_due;
  gboolean      repeat_due_early;  /* a report right after a due one was due too */
  gint64        elapsed;
  guint         delivered;
  gboolean      delivered_elsewhere;
  gboolean      delivered_after_result;
  gboolean      have_result;
} Probe;

/* The worker thread may drop its reference to the task just after the
 * callback ran: what the task frees is freed by then or a little later. */
static void
wait_for_count (int *counter,
                int  expected)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (g_atomic_int_get (counter) < expected && g_get_monotonic_time () < deadline)
    g_usleep (G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (g_atomic_int_get (counter), ==, expected);
}

static void
probe_release (gpointer data)
{
  Probe *probe = data;

  g_atomic_int_inc (&probe->data_freed);
}

typedef struct {
  GThread      *thread;
  GMainContext *context;
  GAsyncResult *result;
  gboolean      on_thread;
  gboolean      on_context;
  Probe        *probe;
} Waiter;

static void
waiter_init (Waiter *w,
             Probe  *probe)
{
  w->thread = g_thread_self ();
  w->context = g_main_context_ref_thread_default ();
  w->result = NULL;
  w->probe = probe;
  if (probe != NULL)
    {
      probe->caller = w->thread;
      probe->context = w->context;
    }
}

static void
waiter_clear (Waiter *w)
{
  g_clear_object (&w->result);
  g_main_context_unref (w->context);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Waiter *w = user_data;

  w->result = g_object_ref (result);
  w->on_thread = g_thread_self () == w->thread;
  w->on_context = g_main_context_get_thread_default () == w->context
                  || (g_main_context_get_thread_default () == NULL
                      && w->context == g_main_context_default ());
  if (w->probe != NULL)
    w->probe->have_result = TRUE;
}

/* Not finishing the call: the helper must free the result itself. */
static void
on_done_ignore (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Waiter *w = user_data;

  w->result = g_object_ref (result);
}

static void
waiter_wait (Waiter *w)
{
  while (w->result == NULL)
    g_main_context_iteration (w->context, TRUE);
}

/* ---- work functions --------------------------------------------------------- */

static gpointer
echo_work (CtAsyncJob  *job,
           gpointer     source,
           gpointer     data,
           GError     **error)
{
  Probe *probe = data;

  probe->worker = g_thread_self ();
  probe->ran = TRUE;
  return g_strdup (G_OBJECT_TYPE_NAME (source));
}

static gpointer
fail_pointer_work (CtAsyncJob  *job,
                   gpointer     source,
                   gpointer     data,
                   GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Record %d is not there any more", 7);
  /* A result next to an error is a bug of the work, but must not leak. */
  return g_strdup ("stray");
}

static gboolean
false_work (CtAsyncJob  *job,
            gpointer     source,
            gpointer     data,
            GError     **error)
{
  return FALSE;
}

static gboolean
fail_boolean_work (CtAsyncJob  *job,
                   gpointer     source,
                   gpointer     data,
                   GError     **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "Not yours to change");
  return FALSE;
}

static gint64
minus_one_work (CtAsyncJob  *job,
                gpointer     source,
                gpointer     data,
                GError     **error)
{
  return -1;
}

static gint64
big_work (CtAsyncJob  *job,
          gpointer     source,
          gpointer     data,
          GError     **error)
{
  return G_GINT64_CONSTANT (1) << 40;
}

static gint64
fail_int_work (CtAsyncJob  *job,
               gpointer     source,
               gpointer     data,
               GError     **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Bad row");
  return 0;
}

static gpointer
honour_cancel_work (CtAsyncJob  *job,
                    gpointer     source,
                    gpointer     data,
                    GError     **error)
{
  Probe *probe = data;

  if (g_cancellable_set_error_if_cancelled (ct_async_job_get_cancellable (job), error))
    return NULL;
  probe->ran = TRUE;
  return g_strdup ("done");
}

static gboolean
started_dispatch (gpointer data)
{
  Probe *probe = data;

  probe->started = TRUE;
  probe->started_on_caller = g_thread_self () == probe->caller
                             && g_main_context_is_owner (probe->context);
  return G_SOURCE_REMOVE;
}

/* Runs until cancelled (or 20 s, then fails the test by not failing). */
static gpointer
wait_for_cancel_work (CtAsyncJob  *job,
                      gpointer     source,
                      gpointer     data,
                      GError     **error)
{
  Probe *probe = data;
  GCancellable *cancellable = ct_async_job_get_cancellable (job);
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  ct_async_job_post (job, started_dispatch, probe, NULL);
  while (!g_cancellable_is_cancelled (cancellable) && g_get_monotonic_time () < deadline)
    g_usleep (G_TIME_SPAN_MILLISECOND);
  probe->ran = TRUE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return g_strdup ("never cancelled");
}

typedef struct {
  Probe *probe;
  guint  index;
} Report;

static gboolean
report_dispatch (gpointer data)
{
  Report *report = data;
  Probe *probe = report->probe;

  if (g_thread_self () != probe->caller || !g_main_context_is_owner (probe->context))
    probe->delivered_elsewhere = TRUE;
  if (probe->have_result)
    probe->delivered_after_result = TRUE;
  probe->delivered++;
  return G_SOURCE_REMOVE;
}

static void
post_report (CtAsyncJob *job,
             Probe      *probe)
{
  Report *report = g_new0 (Report, 1);

  report->probe = probe;
  report->index = probe->n_due;
  ct_async_job_post (job, report_dispatch, report, g_free);
}

/* Reports progress every millisecond for 350 ms. */
static gboolean
progress_work (CtAsyncJob  *job,
               gpointer     source,
               gpointer     data,
               GError     **error)
{
  Probe *probe = data;
  gint64 start = g_get_monotonic_time ();
  const guint64 total = 1000000;
  guint64 done = 0;

  while (g_get_monotonic_time () - start < 350 * G_TIME_SPAN_MILLISECOND)
    {
      done++;
      if (ct_async_job_progress_due (job, done, total))
        {
          gint64 now = g_get_monotonic_time ();

          if (probe->n_due < G_N_ELEMENTS (probe->stamps))
            probe->stamps[probe->n_due] = now;
          probe->n_due++;
          post_report (job, probe);
          /* The very next one is not due... */
          if (ct_async_job_progress_due (job, done + 1, total)
              && g_get_monotonic_time () - now < CT_ASYNC_PROGRESS_INTERVAL)
            probe->repeat_due_early = TRUE;
        }
      g_usleep (G_TIME_SPAN_MILLISECOND);
    }
  probe->elapsed = g_get_monotonic_time () - start;

  /* ...but the last one always is, however soon it comes... */
  probe->final_due = ct_async_job_progress_due (job, total, total);
  if (probe->final_due)
    post_report (job, probe);
  /* ...and so is the first after a restart. */
  ct_async_job_progress_restart (job);
  probe->restart_due = ct_async_job_progress_due (job, 1, total);
  if (probe->restart_due)
    post_report (job, probe);
  return TRUE;
}

/* ---- tests ------------------------------------------------------------------ */

typedef struct {
  gboolean on_thread;
  gboolean on_context;
  gboolean worker_elsewhere;
  char    *value;
  int      data_freed;
} CallerOutcome;

/* Starts a call on the calling thread's own main context and waits there. */
static gpointer
call_on_own_context (gpointer user_data)
{
  CallerOutcome *out = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GObject) source = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GError) error = NULL;
  Probe probe = { 0 };
  Waiter w;

  g_main_context_push_thread_default (context);
  waiter_init (&w, &probe);
  ct_async_run_pointer (ct_async_new (source, NULL, on_done, &w, call_on_own_context,
                                      &probe, probe_release),
                        echo_work, counted_free);
  waiter_wait (&w);
  out->on_thread = w.on_thread;
  out->on_context = w.on_context;
  out->worker_elsewhere = probe.worker != NULL && probe.worker != g_thread_self ();
  out->value = ct_async_finish_pointer (source, w.result, &error);
  g_assert_no_error (error);
  waiter_clear (&w);
  wait_for_count (&probe.data_freed, 1);
  out->data_freed = probe.data_freed;
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
test_result_on_caller_context (void)
{
  CallerOutcome here = { 0 }, there = { 0 };
  GThread *thread;

  /* From the test's thread, with a context of its own pushed... */
  call_on_own_context (&here);
  g_assert_true (here.on_thread);
  g_assert_true (here.on_context);
  g_assert_true (here.worker_elsewhere);
  g_assert_cmpstr (here.value, ==, "GObject");
  g_assert_cmpint (here.data_freed, ==, 1);
  g_free (here.value);

  /* ...and from another thread: the callback runs there, not here. */
  thread = g_thread_new ("caller", call_on_own_context, &there);
  g_thread_join (thread);
  g_assert_true (there.on_thread);
  g_assert_true (there.on_context);
  g_assert_true (there.worker_elsewhere);
  g_assert_cmpstr (there.value, ==, "GObject");
  g_assert_cmpint (there.data_freed, ==, 1);
  g_free (there.value);
  g_assert_false (g_main_context_pending (NULL));
}

static void
test_kinds (void)
{
  g_autoptr(GObject) source = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GError) error = NULL;
  Waiter w;

  /* FALSE without an error is a result, not a failure. */
  waiter_init (&w, NULL);
  ct_async_run_boolean (ct_async_new (source, NULL, on_done, &w, test_kinds, NULL, NULL), false_work);
  waiter_wait (&w);
  g_assert_true (w.on_thread);
  g_assert_false (ct_async_finish_boolean (source, w.result, &error));
  g_assert_no_error (error);
  waiter_clear (&w);

  /* -1 likewise (ct_task_case_deadline: no deadline running). */
  waiter_init (&w, NULL);
  ct_async_run_int (ct_async_new (source, NULL, on_done, &w, test_kinds, NULL, NULL), minus_one_work);
  waiter_wait (&w);
  g_assert_cmpint (ct_async_finish_int (source, w.result, &error), ==, -1);
  g_assert_no_error (error);
  waiter_clear (&w);

  /* A 64-bit id comes back whole. */
  waiter_init (&w, NULL);
  ct_async_run_int (ct_async_new (source, NULL, on_done, &w, test_kinds, NULL, NULL), big_work);
  waiter_wait (&w);
  g_assert_cmpint (ct_async_finish_int (source, w.result, &error), ==, G_GINT64_CONSTANT (1) << 40);
  g_assert_no_error (error);
  waiter_clear (&w);
}

static void
test_errors (void)
{
  g_autoptr(GObject) source = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GError) error = NULL;
  int freed_before = g_atomic_int_get (&results_freed);
  Probe probe = { 0 };
  Waiter w;

  waiter_init (&w, &probe);
  ct_async_run_pointer (ct_async_new (source, NULL, on_done, &w, test_errors, &probe, probe_release),
                        fail_pointer_work, counted_free);
  waiter_wait (&w);
  g_assert_true (w.on_thread);
  g_assert_null (ct_async_finish_pointer (source, w.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Record 7 is not there any more");
  g_clear_error (&error);
  waiter_clear (&w);
  wait_for_count (&results_freed, freed_before + 1);
  wait_for_count (&probe.data_freed, 1);

  waiter_init (&w, NULL);
  ct_async_run_boolean (ct_async_new (source, NULL, on_done, &w, test_errors, NULL, NULL), fail_boolean_work);
  waiter_wait (&w);
  g_assert_false (ct_async_finish_boolean (source, w.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, "Not yours to change");
  g_clear_error (&error);
  waiter_clear (&w);

  waiter_init (&w, NULL);
  ct_async_run_int (ct_async_new (source, NULL, on_done, &w, test_errors, NULL, NULL), fail_int_work);
  waiter_wait (&w);
  ct_async_finish_int (source, w.result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  waiter_clear (&w);
}

static void
test_unfinished_result_freed (void)
{
  g_autoptr(GObject) source = g_object_new (G_TYPE_OBJECT, NULL);
  int freed_before = g_atomic_int_get (&results_freed);
  Probe probe = { 0 };
  Waiter w;

  waiter_init (&w, &probe);
  ct_async_run_pointer (ct_async_new (source, NULL, on_done_ignore, &w, test_unfinished_result_freed,
                                      &probe, probe_release),
                        echo_work, counted_free);
  waiter_wait (&w);
  g_assert_true (probe.ran);
  waiter_clear (&w);
  wait_for_count (&results_freed, freed_before + 1);
  wait_for_count (&probe.data_freed, 1);
}

static void
test_cancel_before (void)
{
  g_autoptr(GObject) source = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  int freed_before = g_atomic_int_get (&results_freed);
  Probe probe = { 0 };
  Waiter w;

  g_cancellable_cancel (cancellable);

  /* Work that looks at the cancellable does not run... */
  waiter_init (&w, &probe);
  ct_async_run_pointer (ct_async_new (source, cancellable, on_done, &w, test_cancel_before,
                                      &probe, probe_release),
                        honour_cancel_work, counted_free);
  waiter_wait (&w);
  g_assert_true (w.on_thread);
  g_assert_null (ct_async_finish_pointer (source, w.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (probe.ran);
  waiter_clear (&w);
  wait_for_count (&probe.data_freed, 1);

  /* ...and work that does not look still ends the call as cancelled, its
   * result freed. */
  memset (&probe, 0, sizeof probe);
  waiter_init (&w, &probe);
  ct_async_run_pointer (ct_async_new (source, cancellable, on_done, &w, test_cancel_before,
                                      &probe, probe_release),
                        echo_work, counted_free);
  waiter_wait (&w);
  g_assert_null (ct_async_finish_pointer (source, w.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  waiter_clear (&w);
  wait_for_count (&results_freed, freed_before + 1);
  wait_for_count (&probe.data_freed, 1);
}

static void
test_cancel_during (void)
{
  g_autoptr(GObject) source = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Probe probe = { 0 };
  Waiter w;

  waiter_init (&w, &probe);
  ct_async_run_pointer (ct_async_new (source, cancellable, on_done, &w, test_cancel_during,
                                      &probe, probe_release),
                        wait_for_cancel_work, counted_free);
  while (!probe.started)
    g_main_context_iteration (w.context, TRUE);
  g_assert_true (probe.started_on_caller);
  g_assert_null (w.result);

  g_cancellable_cancel (cancellable);
  waiter_wait (&w);
  g_assert_true (w.on_thread);
  g_assert_true (probe.ran);
  g_assert_null (ct_async_finish_pointer (source, w.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  waiter_clear (&w);
  wait_for_count (&probe.data_freed, 1);
}

static void
test_progress_throttled (void)
{
  g_autoptr(GObject) source = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GError) error = NULL;
  Probe probe = { 0 };
  Waiter w;
  guint n_throttled;

  waiter_init (&w, &probe);
  ct_async_run_boolean (ct_async_new (source, NULL, on_done, &w, test_progress_throttled,
                                      &probe, probe_release),
                        progress_work);
  waiter_wait (&w);
  g_assert_true (ct_async_finish_boolean (source, w.result, &error));
  g_assert_no_error (error);
  waiter_clear (&w);

  g_assert_true (probe.final_due);
  g_assert_true (probe.restart_due);
  g_assert_false (probe.repeat_due_early);

  /* About 350 ms of reports every millisecond: the first, then one at most
   * every CT_ASYNC_PROGRESS_INTERVAL, not one a millisecond. */
  n_throttled = probe.n_due;
  g_assert_cmpuint (n_throttled, >=, 1);
  g_assert_cmpuint (n_throttled, <=, probe.elapsed / CT_ASYNC_PROGRESS_INTERVAL + 1);
  g_assert_cmpuint (n_throttled, <, G_N_ELEMENTS (probe.stamps));
  for (guint i = 1; i < n_throttled; i++)
    g_assert_cmpint (probe.stamps[i] - probe.stamps[i - 1], >=, CT_ASYNC_PROGRESS_INTERVAL);

  /* Every report reached the caller's context, and before the result. */
  g_assert_cmpuint (probe.delivered, ==, probe.n_due + 2);  /* and the last, and after the restart */
  g_assert_false (probe.delivered_elsewhere);
  g_assert_false (probe.delivered_after_result);
  wait_for_count (&probe.data_freed, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/async/result-on-caller-context", test_result_on_caller_context);
  g_test_add_func ("/async/kinds", test_kinds);
  g_test_add_func ("/async/errors", test_errors);
  g_test_add_func ("/async/unfinished-result-freed", test_unfinished_result_freed);
  g_test_add_func ("/async/cancel-before", test_cancel_before);
  g_test_add_func ("/async/cancel-during", test_cancel_during);
  g_test_add_func ("/async/progress-throttled", test_progress_throttled);

  return g_test_run ();
}

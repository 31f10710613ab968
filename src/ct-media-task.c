#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include "ct-async.h"
#include "ct-media-task.h"

void
ct_media_listing_free (CtMediaListing *listing)
{
  if (listing == NULL)
    return;
  g_clear_pointer (&listing->media, g_ptr_array_unref);
  g_clear_pointer (&listing->interruptions, g_ptr_array_unref);
  g_clear_pointer (&listing->clips, g_ptr_array_unref);
  g_free (listing);
}

/* ---- list ------------------------------------------------------------------------- */

static gpointer
list_work (CtAsyncJob  *job,
           gpointer     source_object,
           gpointer     task_data,
           GError     **error)
{
  CtStore *store = CT_STORE (source_object);
  gint64 case_id = *(gint64 *) task_data;
  g_autoptr(CtMediaListing) listing = g_new0 (CtMediaListing, 1);

  listing->media = ct_store_list_media (store, case_id, error);
  if (listing->media != NULL)
    listing->interruptions = ct_store_list_interruptions (store, case_id, error);
  if (listing->interruptions != NULL)
    listing->clips = ct_store_list_clips (store, case_id, NULL, error);
  if (listing->media == NULL || listing->interruptions == NULL || listing->clips == NULL)
    return NULL;
  return g_steal_pointer (&listing);
}

void
ct_media_task_list_async (CtStore             *store,
                          gint64               case_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (CT_IS_STORE (store));

  ct_async_run_pointer (ct_async_new (store, cancellable, callback, user_data, ct_media_task_list_async,
                                      g_memdup2 (&case_id, sizeof case_id), g_free),
                        list_work, (GDestroyNotify) ct_media_listing_free);
}

CtMediaListing *
ct_media_task_list_finish (CtStore       *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  return ct_async_finish_pointer (store, result, error);
}

/* ---- clips ------------------------------------------------------------------------ */

typedef struct {
  gint64  case_id;
  char   *template_id;
} ClipsData;

static void
clips_data_free (ClipsData *data)
{
  g_free (data->template_id);
  g_free (data);
}

static gpointer
clips_work (CtAsyncJob  *job,
            gpointer     source_object,
            gpointer     task_data,
            GError     **error)
{
  ClipsData *data = task_data;

  return ct_store_list_clips (CT_STORE (source_object), data->case_id, data->template_id, error);
}

void
ct_media_task_clips_async (CtStore             *store,
                           gint64               case_id,
                           const char          *template_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  ClipsData *data;

  g_return_if_fail (CT_IS_STORE (store));

  data = g_new0 (ClipsData, 1);
  data->case_id = case_id;
  data->template_id = g_strdup (template_id);
  ct_async_run_pointer (ct_async_new (store, cancellable, callback, user_data, ct_media_task_clips_async,
                                      data, (GDestroyNotify) clips_data_free),
                        clips_work, (GDestroyNotify) g_ptr_array_unref);
}

GPtrArray *
ct_media_task_clips_finish (CtStore       *store,
                            GAsyncResult  *result,
                            GError       **error)
{
  return ct_async_finish_pointer (store, result, error);
}

/* ---- thumbnail ------------------------------------------------------------------------ */

typedef struct {
  const CtMedia *media;
  GPtrArray     *owner;
} ThumbData;

static void
thumb_data_free (ThumbData *data)
{
  g_clear_pointer (&data->owner, g_ptr_array_unref);
  g_free (data);
}

static gpointer
thumbnail_work (CtAsyncJob  *job,
                gpointer     source_object,
                gpointer     task_data,
                GError     **error)
{
  ThumbData *data = task_data;

  return ct_store_media_thumbnail (CT_STORE (source_object), data->media,
                                   ct_async_job_get_cancellable (job), error);
}

void
ct_media_task_thumbnail_async (CtStore             *store,
                               const CtMedia       *media,
                               GPtrArray           *owner,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  ThumbData *data;

  g_return_if_fail (CT_IS_STORE (store));

  data = g_new0 (ThumbData, 1);
  data->media = media;
  data->owner = owner != NULL ? g_ptr_array_ref (owner) : NULL;
  ct_async_run_pointer (ct_async_new (store, cancellable, callback, user_data, ct_media_task_thumbnail_async,
                                      data, (GDestroyNotify) thumb_data_free),
                        thumbnail_work, g_free);
}

char *
ct_media_task_thumbnail_finish (CtStore       *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  return ct_async_finish_pointer (store, result, error);
}

/* ---- changes ---------------------------------------------------------------------------- */

typedef struct {
  CtSession           *session;
  gint64               id;
  gint64               id2;
  gboolean             on;
  CtInterruptionReason reason;
  char                *text;
  /* an owned CtMediaSpec */
  char  *case_ref;
  char **officers;
  char  *device;
  char  *recorded_at;
  char  *place;
  char  *title;
  char  *party;
  char  *cause;
  char  *category;
  char  *kind;
} ChangeData;

static void
change_data_free (ChangeData *data)
{
  g_clear_pointer (&data->session, ct_session_unref);
  g_free (data->text);
  g_free (data->case_ref);
  g_strfreev (data->officers);
  g_free (data->device);
  g_free (data->recorded_at);
  g_free (data->place);
  g_free (data->title);
  g_free (data->party);
  g_free (data->cause);
  g_free (data->category);
  g_free (data->kind);
  g_free (data);
}

static void
change_data_set_spec (ChangeData        *data,
                      const CtMediaSpec *spec)
{
  if (spec == NULL)
    return;
  data->case_ref = g_strdup (spec->case_ref);
  data->officers = g_strdupv ((char **) spec->officers);
  data->device = g_strdup (spec->device);
  data->recorded_at = g_strdup (spec->recorded_at);
  data->place = g_strdup (spec->place);
  data->title = g_strdup (spec->title);
  data->party = g_strdup (spec->party);
  data->cause = g_strdup (spec->cause);
  data->category = g_strdup (spec->category);
  data->kind = g_strdup (spec->kind);
}

static CtMediaSpec
change_data_get_spec (ChangeData *data)
{
  CtMediaSpec spec = {
    .case_ref = data->case_ref,
    .officers = (const char * const *) data->officers,
    .device = data->device,
    .recorded_at = data->recorded_at,
    .place = data->place,
    .title = data->title,
    .party = data->party,
    .cause = data->cause,
    .category = data->category,
    .kind = data->kind,
  };

  return spec;
}

static GTask *
change_task_new (CtStore             *store,
                 CtSession           *session,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             source_tag,
                 ChangeData         **out)
{
  ChangeData *data = g_new0 (ChangeData, 1);

  data->session = ct_session_ref (session);
  *out = data;
  return ct_async_new (store, cancellable, callback, user_data, source_tag,
                       data, (GDestroyNotify) change_data_free);
}

static gboolean
update_work (CtAsyncJob  *job,
             gpointer     source_object,
             gpointer     task_data,
             GError     **error)
{
  ChangeData *data = task_data;
  CtMediaSpec spec = change_data_get_spec (data);

  return ct_store_update_media (CT_STORE (source_object), data->session, data->id, &spec, error);
}

void
ct_media_task_update_async (CtStore             *store,
                            CtSession           *session,
                            gint64               media_id,
                            const CtMediaSpec   *changes,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  ChangeData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);

  task = change_task_new (store, session, cancellable, callback, user_data,
                          ct_media_task_update_async, &data);
  data->id = media_id;
  change_data_set_spec (data, changes);
  ct_async_run_boolean (task, update_work);
}

gboolean
ct_media_task_update_finish (CtStore       *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  return ct_async_finish_boolean (store, result, error);
}

static gboolean
explain_work (CtAsyncJob  *job,
              gpointer     source_object,
              gpointer     task_data,
              GError     **error)
{
  ChangeData *data = task_data;

  return ct_store_explain_interruption (CT_STORE (source_object), data->session,
                                        data->id, data->id2, data->reason, data->text, error);
}

void
ct_media_task_explain_async (CtStore             *store,
                             CtSession           *session,
                             gint64               before_id,
                             gint64               after_id,
                             CtInterruptionReason reason,
                             const char          *explanation,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  ChangeData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);

  task = change_task_new (store, session, cancellable, callback, user_data,
                          ct_media_task_explain_async, &data);
  data->id = before_id;
  data->id2 = after_id;
  data->reason = reason;
  data->text = g_strdup (explanation);
  ct_async_run_boolean (task, explain_work);
}

gboolean
ct_media_task_explain_finish (CtStore       *store,
                              GAsyncResult  *result,
                              GError       **error)
{
  return ct_async_finish_boolean (store, result, error);
}

static gboolean
hold_work (CtAsyncJob  *job,
           gpointer     source_object,
           gpointer     task_data,
           GError     **error)
{
  ChangeData *data = task_data;

  return ct_store_hold_media (CT_STORE (source_object), data->session,
                              data->id, data->on, data->text, error);
}

void
ct_media_task_hold_async (CtStore             *store,
                          CtSession           *session,
                          gint64               media_id,
                          gboolean             on,
                          const char          *reason,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  ChangeData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);

  task = change_task_new (store, session, cancellable, callback, user_data,
                          ct_media_task_hold_async, &data);
  data->id = media_id;
  data->on = on;
  data->text = g_strdup (reason);
  ct_async_run_boolean (task, hold_work);
}

gboolean
ct_media_task_hold_finish (CtStore       *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  return ct_async_finish_boolean (store, result, error);
}

/* ---- events: from the worker to the main context ------------------------------------------ */

typedef struct {
  CtMediaEvent   event;
  GObject       *target;
  CtMediaEventFunc func;
  char          *path;
  char          *sha256;
  GError        *error;
  GPtrArray     *skipped;
  CtMediaImport *import;
} OwnedEvent;

static void
owned_event_free (OwnedEvent *ev)
{
  g_clear_object (&ev->target);
  g_free (ev->path);
  g_free (ev->sha256);
  g_clear_error (&ev->error);
  g_clear_pointer (&ev->skipped, g_ptr_array_unref);
  g_clear_pointer (&ev->import, ct_media_import_free);
  g_free (ev);
}

static gboolean
owned_event_dispatch (gpointer data)
{
  OwnedEvent *ev = data;

  ev->event.path = ev->path;
  ev->event.sha256 = ev->sha256;
  ev->event.error = ev->error;
  ev->event.skipped = ev->skipped;
  ev->event.import = ev->import;
  ev->func (ev->target, &ev->event);
  return G_SOURCE_REMOVE;
}

typedef struct {
  CtSession        *session;
  char            **paths;
  ChangeData       *spec;      /* only its spec part */
  gint64            case_id;
  CtMediaEventFunc  func;
  GObject          *target;    /* not referenced: the caller keeps it alive */
  /* on the worker */
  gint64            phase_start;
  int               last_phase;
  guint             index;
  CtMediaVerifyReport report;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->session, ct_session_unref);
  g_strfreev (data->paths);
  g_clear_pointer (&data->spec, change_data_free);
  g_free (data);
}

static OwnedEvent *
event_new (RunData          *data,
           CtMediaEventType  type)
{
  OwnedEvent *ev = g_new0 (OwnedEvent, 1);

  ev->event.type = type;
  ev->event.index = data->index;
  ev->func = data->func;
  ev->target = g_object_ref (data->target);
  return ev;
}

static void
event_post (CtAsyncJob *job,
            OwnedEvent *ev)
{
  RunData *data = ct_async_job_get_data (job);

  if (data->func == NULL)
    {
      owned_event_free (ev);
      return;
    }
  ct_async_job_post (job, owned_event_dispatch, ev, (GDestroyNotify) owned_event_free);
}

static void
import_progress (CtImportPhase phase,
                 guint64       done,
                 guint64       total,
                 gpointer      user_data)
{
  CtAsyncJob *job = user_data;
  RunData *data = ct_async_job_get_data (job);
  OwnedEvent *ev;
  gint64 now = g_get_monotonic_time ();
  double seconds;

  if ((int) phase != data->last_phase)
    {
      data->last_phase = phase;
      data->phase_start = now;
      ct_async_job_progress_restart (job);
    }
  if (!ct_async_job_progress_due (job, done, total))
    return;

  seconds = (double) (now - data->phase_start) / G_USEC_PER_SEC;
  ev = event_new (data, CT_MEDIA_EVENT_PROGRESS);
  ev->event.phase = phase;
  ev->event.done = done;
  ev->event.total = total;
  ev->event.bytes_per_second = seconds > 0.05 ? done / seconds : 0;
  event_post (job, ev);
}

static gboolean
import_work (CtAsyncJob  *job,
             gpointer     source_object,
             gpointer     task_data,
             GError     **out_error)
{
  CtStore *store = CT_STORE (source_object);
  RunData *data = task_data;
  GCancellable *cancellable = ct_async_job_get_cancellable (job);
  CtMediaSpec spec = change_data_get_spec (data->spec);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) skipped = NULL;
  g_autoptr(GError) error = NULL;
  OwnedEvent *ev;

  if (!ct_media_collect_paths ((const char * const *) data->paths, &files, &skipped, out_error))
    return FALSE;

  ev = event_new (data, CT_MEDIA_EVENT_COLLECTED);
  ev->event.n_files = files->len;
  ev->skipped = g_steal_pointer (&skipped);
  event_post (job, ev);

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = files->pdata[i];
      g_autoptr(GError) file_error = NULL;
      CtMediaImport *import;

      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        break;

      data->index = i;
      data->last_phase = -1;
      ev = event_new (data, CT_MEDIA_EVENT_FILE_START);
      ev->event.n_files = files->len;
      ev->path = g_strdup (path);
      event_post (job, ev);

      import = ct_store_import_media (store, data->session, path, &spec,
                                      import_progress, job, cancellable, &file_error);

      ev = event_new (data, CT_MEDIA_EVENT_FILE_DONE);
      ev->event.n_files = files->len;
      ev->path = g_strdup (path);
      ev->import = import;
      ev->error = file_error != NULL ? g_error_copy (file_error) : NULL;
      event_post (job, ev);

      if (g_error_matches (file_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          error = g_steal_pointer (&file_error);
          break;
        }
    }

  if (error == NULL && g_cancellable_is_cancelled (cancellable))
    g_cancellable_set_error_if_cancelled (cancellable, &error);

  if (error != NULL)
    {
      g_propagate_error (out_error, g_steal_pointer (&error));
      return FALSE;
    }
  return TRUE;
}

static RunData *
run_data_new (CtSession        *session,
              CtMediaEventFunc  event_func,
              GObject          *target)
{
  RunData *data = g_new0 (RunData, 1);

  data->session = ct_session_ref (session);
  data->func = event_func;
  data->target = target;
  data->last_phase = -1;
  return data;
}

void
ct_media_task_import_async (CtStore             *store,
                            CtSession           *session,
                            const char * const  *paths,
                            const CtMediaSpec   *spec,
                            CtMediaEventFunc     event_func,
                            GObject             *target,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  RunData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);
  g_return_if_fail (paths != NULL);
  g_return_if_fail (event_func == NULL || G_IS_OBJECT (target));

  data = run_data_new (session, event_func, target);
  data->paths = g_strdupv ((char **) paths);
  data->spec = g_new0 (ChangeData, 1);
  change_data_set_spec (data->spec, spec);

  ct_async_run_boolean (ct_async_new (store, cancellable, callback, user_data, ct_media_task_import_async,
                                      data, (GDestroyNotify) run_data_free),
                        import_work);
}

gboolean
ct_media_task_import_finish (CtStore       *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  return ct_async_finish_boolean (store, result, error);
}

/* ---- verify ------------------------------------------------------------------------------- */

static void
verify_func (const char    *sha256,
             const CtMedia *media,
             const GError  *error,
             gpointer       user_data)
{
  CtAsyncJob *job = user_data;
  OwnedEvent *ev;

  if (error == NULL)
    return;

  ev = event_new (ct_async_job_get_data (job), CT_MEDIA_EVENT_PROBLEM);
  ev->sha256 = g_strdup (sha256);
  ev->path = media != NULL ? g_strdup (media->original_name) : NULL;
  ev->error = g_error_copy (error);
  event_post (job, ev);
}

static void
verify_progress (guint    objects_done,
                 guint64  bytes_done,
                 double   bytes_per_second,
                 gpointer user_data)
{
  CtAsyncJob *job = user_data;
  OwnedEvent *ev;

  if (!ct_async_job_progress_due (job, 0, 1))
    return;

  ev = event_new (ct_async_job_get_data (job), CT_MEDIA_EVENT_PROGRESS);
  ev->event.index = objects_done;
  ev->event.done = bytes_done;
  ev->event.bytes_per_second = bytes_per_second;
  event_post (job, ev);
}

static gboolean
verify_work (CtAsyncJob  *job,
             gpointer     source_object,
             gpointer     task_data,
             GError     **error)
{
  RunData *data = task_data;

  return ct_store_verify_media (CT_STORE (source_object), data->session, data->case_id, FALSE,
                                verify_func, verify_progress, job, ct_async_job_get_cancellable (job),
                                &data->report, error);
}

void
ct_media_task_verify_async (CtStore             *store,
                            CtSession           *session,
                            gint64               case_id,
                            CtMediaEventFunc     event_func,
                            GObject             *target,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  RunData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);
  g_return_if_fail (event_func == NULL || G_IS_OBJECT (target));

  data = run_data_new (session, event_func, target);
  data->case_id = case_id;

  ct_async_run_boolean (ct_async_new (store, cancellable, callback, user_data, ct_media_task_verify_async,
                                      data, (GDestroyNotify) run_data_free),
                        verify_work);
}

gboolean
ct_media_task_verify_finish (CtStore              *store,
                             GAsyncResult         *result,
                             CtMediaVerifyReport  *report,
                             GError              **error)
{
  RunData *data;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  data = ct_async_get_data (result);
  if (report != NULL)
    *report = data->report;
  return ct_async_finish_boolean (store, result, error);
}

#define G_LOG_DOMAIN "casetrail"

#include "config.h"

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

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CtStore *store = CT_STORE (source_object);
  gint64 case_id = *(gint64 *) task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtMediaListing) listing = g_new0 (CtMediaListing, 1);

  listing->media = ct_store_list_media (store, case_id, &error);
  if (listing->media != NULL)
    listing->interruptions = ct_store_list_interruptions (store, case_id, &error);
  if (listing->interruptions != NULL)
    listing->clips = ct_store_list_clips (store, case_id, NULL, &error);
  if (listing->media == NULL || listing->interruptions == NULL || listing->clips == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&listing), (GDestroyNotify) ct_media_listing_free);
}

void
ct_media_task_list_async (CtStore             *store,
                          gint64               case_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CT_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_media_task_list_async);
  g_task_set_task_data (task, g_memdup2 (&case_id, sizeof case_id), g_free);
  g_task_run_in_thread (task, list_thread);
}

CtMediaListing *
ct_media_task_list_finish (CtStore       *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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

static void
clips_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ClipsData *data = task_data;
  GError *error = NULL;
  GPtrArray *clips = ct_store_list_clips (CT_STORE (source_object), data->case_id, data->template_id, &error);

  if (clips == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, clips, (GDestroyNotify) g_ptr_array_unref);
}

void
ct_media_task_clips_async (CtStore             *store,
                           gint64               case_id,
                           const char          *template_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ClipsData *data;

  g_return_if_fail (CT_IS_STORE (store));

  data = g_new0 (ClipsData, 1);
  data->case_id = case_id;
  data->template_id = g_strdup (template_id);
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_media_task_clips_async);
  g_task_set_task_data (task, data, (GDestroyNotify) clips_data_free);
  g_task_run_in_thread (task, clips_thread);
}

GPtrArray *
ct_media_task_clips_finish (CtStore       *store,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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

static void
thumbnail_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ThumbData *data = task_data;
  g_autoptr(GError) error = NULL;
  char *path;

  path = ct_store_media_thumbnail (CT_STORE (source_object), data->media, cancellable, &error);
  if (path == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, path, g_free);
}

void
ct_media_task_thumbnail_async (CtStore             *store,
                               const CtMedia       *media,
                               GPtrArray           *owner,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ThumbData *data = g_new0 (ThumbData, 1);

  g_return_if_fail (CT_IS_STORE (store));

  data->media = media;
  data->owner = owner != NULL ? g_ptr_array_ref (owner) : NULL;
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_media_task_thumbnail_async);
  g_task_set_task_data (task, data, (GDestroyNotify) thumb_data_free);
  g_task_run_in_thread (task, thumbnail_thread);
}

char *
ct_media_task_thumbnail_finish (CtStore       *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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
  GTask *task = g_task_new (store, cancellable, callback, user_data);
  ChangeData *data = g_new0 (ChangeData, 1);

  data->session = ct_session_ref (session);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) change_data_free);
  *out = data;
  return task;
}

static void
return_boolean (GTask    *task,
                gboolean  ok,
                GError   *error)
{
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
update_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ChangeData *data = task_data;
  CtMediaSpec spec = change_data_get_spec (data);
  GError *error = NULL;

  gboolean ok = ct_store_update_media (CT_STORE (source_object), data->session, data->id, &spec, &error);

  return_boolean (task, ok, error);
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
  g_autoptr(GTask) task = NULL;
  ChangeData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);

  task = change_task_new (store, session, cancellable, callback, user_data,
                          ct_media_task_update_async, &data);
  data->id = media_id;
  change_data_set_spec (data, changes);
  g_task_run_in_thread (task, update_thread);
}

gboolean
ct_media_task_update_finish (CtStore       *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
explain_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ChangeData *data = task_data;
  GError *error = NULL;

  gboolean ok = ct_store_explain_interruption (CT_STORE (source_object), data->session,
                                               data->id, data->id2, data->reason, data->text, &error);

  return_boolean (task, ok, error);
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
  g_autoptr(GTask) task = NULL;
  ChangeData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);

  task = change_task_new (store, session, cancellable, callback, user_data,
                          ct_media_task_explain_async, &data);
  data->id = before_id;
  data->id2 = after_id;
  data->reason = reason;
  data->text = g_strdup (explanation);
  g_task_run_in_thread (task, explain_thread);
}

gboolean
ct_media_task_explain_finish (CtStore       *store,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
hold_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ChangeData *data = task_data;
  GError *error = NULL;

  gboolean ok = ct_store_hold_media (CT_STORE (source_object), data->session,
                                     data->id, data->on, data->text, &error);

  return_boolean (task, ok, error);
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
  g_autoptr(GTask) task = NULL;
  ChangeData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);

  task = change_task_new (store, session, cancellable, callback, user_data,
                          ct_media_task_hold_async, &data);
  data->id = media_id;
  data->on = on;
  data->text = g_strdup (reason);
  g_task_run_in_thread (task, hold_thread);
}

gboolean
ct_media_task_hold_finish (CtStore       *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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
  GMainContext     *context;
  /* progress throttling, on the worker */
  gint64            last_post;
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
  g_clear_pointer (&data->context, g_main_context_unref);
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
event_post (RunData    *data,
            OwnedEvent *ev)
{
  if (data->func == NULL)
    {
      owned_event_free (ev);
      return;
    }
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, owned_event_dispatch,
                              ev, (GDestroyNotify) owned_event_free);
}

/* At most ten progress events a second, and always the last one. */
static gboolean
progress_due (RunData *data,
              guint64  done,
              guint64  total)
{
  gint64 now = g_get_monotonic_time ();

  if (done < total && now - data->last_post < 100 * G_TIME_SPAN_MILLISECOND)
    return FALSE;
  data->last_post = now;
  return TRUE;
}

static void
import_progress (CtImportPhase phase,
                 guint64       done,
                 guint64       total,
                 gpointer      user_data)
{
  RunData *data = user_data;
  OwnedEvent *ev;
  gint64 now = g_get_monotonic_time ();
  double seconds;

  if ((int) phase != data->last_phase)
    {
      data->last_phase = phase;
      data->phase_start = now;
      data->last_post = 0;
    }
  if (!progress_due (data, done, total))
    return;

  seconds = (double) (now - data->phase_start) / G_USEC_PER_SEC;
  ev = event_new (data, CT_MEDIA_EVENT_PROGRESS);
  ev->event.phase = phase;
  ev->event.done = done;
  ev->event.total = total;
  ev->event.bytes_per_second = seconds > 0.05 ? done / seconds : 0;
  event_post (data, ev);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CtStore *store = CT_STORE (source_object);
  RunData *data = task_data;
  CtMediaSpec spec = change_data_get_spec (data->spec);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) skipped = NULL;
  g_autoptr(GError) error = NULL;
  OwnedEvent *ev;

  if (!ct_media_collect_paths ((const char * const *) data->paths, &files, &skipped, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ev = event_new (data, CT_MEDIA_EVENT_COLLECTED);
  ev->event.n_files = files->len;
  ev->skipped = g_steal_pointer (&skipped);
  event_post (data, ev);

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
      event_post (data, ev);

      import = ct_store_import_media (store, data->session, path, &spec,
                                      import_progress, data, cancellable, &file_error);

      ev = event_new (data, CT_MEDIA_EVENT_FILE_DONE);
      ev->event.n_files = files->len;
      ev->path = g_strdup (path);
      ev->import = import;
      ev->error = file_error != NULL ? g_error_copy (file_error) : NULL;
      event_post (data, ev);

      if (g_error_matches (file_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          error = g_steal_pointer (&file_error);
          break;
        }
    }

  if (error == NULL && g_cancellable_is_cancelled (cancellable))
    g_cancellable_set_error_if_cancelled (cancellable, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
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
  data->context = g_main_context_ref_thread_default ();
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
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);
  g_return_if_fail (paths != NULL);
  g_return_if_fail (event_func == NULL || G_IS_OBJECT (target));

  data = run_data_new (session, event_func, target);
  data->paths = g_strdupv ((char **) paths);
  data->spec = g_new0 (ChangeData, 1);
  change_data_set_spec (data->spec, spec);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_media_task_import_async);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, import_thread);
}

gboolean
ct_media_task_import_finish (CtStore       *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- verify ------------------------------------------------------------------------------- */

static void
verify_func (const char    *sha256,
             const CtMedia *media,
             const GError  *error,
             gpointer       user_data)
{
  RunData *data = user_data;
  OwnedEvent *ev;

  if (error == NULL)
    return;

  ev = event_new (data, CT_MEDIA_EVENT_PROBLEM);
  ev->sha256 = g_strdup (sha256);
  ev->path = media != NULL ? g_strdup (media->original_name) : NULL;
  ev->error = g_error_copy (error);
  event_post (data, ev);
}

static void
verify_progress (guint    objects_done,
                 guint64  bytes_done,
                 double   bytes_per_second,
                 gpointer user_data)
{
  RunData *data = user_data;
  OwnedEvent *ev;

  if (!progress_due (data, 0, 1))
    return;

  ev = event_new (data, CT_MEDIA_EVENT_PROGRESS);
  ev->event.index = objects_done;
  ev->event.done = bytes_done;
  ev->event.bytes_per_second = bytes_per_second;
  event_post (data, ev);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(GError) error = NULL;

  if (ct_store_verify_media (CT_STORE (source_object), data->session, data->case_id, FALSE,
                             verify_func, verify_progress, data, cancellable,
                             &data->report, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
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
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);
  g_return_if_fail (event_func == NULL || G_IS_OBJECT (target));

  data = run_data_new (session, event_func, target);
  data->case_id = case_id;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_media_task_verify_async);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, verify_thread);
}

gboolean
ct_media_task_verify_finish (CtStore              *store,
                             GAsyncResult         *result,
                             CtMediaVerifyReport  *report,
                             GError              **error)
{
  RunData *data;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (report != NULL)
    *report = data->report;
  return g_task_propagate_boolean (G_TASK (result), error);
}

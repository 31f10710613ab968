#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include "ct-async.h"
#include "ct-task.h"
#include "ct-dossier.h"

/* ---- is_initialized ------------------------------------------------------ */

static gboolean
is_initialized_work (CtAsyncJob  *job,
                     gpointer     source_object,
                     gpointer     data,
                     GError     **error)
{
  return ct_store_is_initialized (CT_STORE (source_object));
}

void
ct_task_is_initialized_async (CtStore             *store,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (CT_IS_STORE (store));

  ct_async_run_boolean (ct_async_new (store, cancellable, callback, user_data,
                                      ct_task_is_initialized_async, NULL, NULL),
                        is_initialized_work);
}

gboolean
ct_task_is_initialized_finish (CtStore       *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  return ct_async_finish_boolean (store, result, error);
}

/* ---- get_agency -------------------------------------------------------------- */

static gpointer
get_agency_work (CtAsyncJob  *job,
                 gpointer     source_object,
                 gpointer     data,
                 GError     **error)
{
  return ct_store_get_agency (CT_STORE (source_object), error);
}

void
ct_task_get_agency_async (CtStore             *store,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (CT_IS_STORE (store));

  ct_async_run_pointer (ct_async_new (store, cancellable, callback, user_data,
                                      ct_task_get_agency_async, NULL, NULL),
                        get_agency_work, (GDestroyNotify) ct_agency_free);
}

CtAgency *
ct_task_get_agency_finish (CtStore       *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  return ct_async_finish_pointer (store, result, error);
}

/* ---- logout ---------------------------------------------------------------- */

static gboolean
logout_work (CtAsyncJob  *job,
             gpointer     source_object,
             gpointer     data,
             GError     **error)
{
  ct_store_logout (CT_STORE (source_object), data);
  return TRUE;
}

void
ct_task_logout_async (CtStore             *store,
                      CtSession           *session,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);

  ct_async_run_boolean (ct_async_new (store, cancellable, callback, user_data, ct_task_logout_async,
                                      ct_session_ref (session), (GDestroyNotify) ct_session_unref),
                        logout_work);
}

gboolean
ct_task_logout_finish (CtStore       *store,
                       GAsyncResult  *result,
                       GError       **error)
{
  return ct_async_finish_boolean (store, result, error);
}

/* ---- the procedure ------------------------------------------------------------ */

typedef struct {
  CtSession  *session;
  gint64      case_id;
  char       *name;      /* template id, flag, target stage or subject */
  char       *value;     /* flag value */
  JsonObject *values;    /* form values */
  CtRole      role;
} ProcedureData;

static void
procedure_data_free (ProcedureData *data)
{
  g_clear_pointer (&data->session, ct_session_unref);
  g_clear_pointer (&data->name, g_free);
  g_clear_pointer (&data->value, g_free);
  g_clear_pointer (&data->values, json_object_unref);
  g_free (data);
}

static GTask *
procedure_task_new (CtStore             *store,
                    CtSession           *session,
                    gint64               case_id,
                    const char          *name,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             source_tag,
                    ProcedureData      **out_data)
{
  ProcedureData *data = g_new0 (ProcedureData, 1);

  data->session = session != NULL ? ct_session_ref (session) : NULL;
  data->case_id = case_id;
  data->name = g_strdup (name);
  *out_data = data;

  return ct_async_new (store, cancellable, callback, user_data, source_tag,
                       data, (GDestroyNotify) procedure_data_free);
}

/* get_form */

static gpointer
get_form_work (CtAsyncJob  *job,
               gpointer     source_object,
               gpointer     task_data,
               GError     **error)
{
  ProcedureData *data = task_data;

  return ct_store_get_form (CT_STORE (source_object), data->case_id, data->name, error);
}

void
ct_task_get_form_async (CtStore             *store,
                        gint64               case_id,
                        const char          *template_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  ProcedureData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (template_id != NULL);

  task = procedure_task_new (store, NULL, case_id, template_id, cancellable, callback, user_data,
                             ct_task_get_form_async, &data);
  ct_async_run_pointer (task, get_form_work, (GDestroyNotify) json_object_unref);
}

JsonObject *
ct_task_get_form_finish (CtStore       *store,
                         GAsyncResult  *result,
                         GError       **error)
{
  return ct_async_finish_pointer (store, result, error);
}

/* save_form */

static gboolean
save_form_work (CtAsyncJob  *job,
                gpointer     source_object,
                gpointer     task_data,
                GError     **error)
{
  ProcedureData *data = task_data;

  return ct_store_save_form (CT_STORE (source_object), data->session, data->case_id,
                             data->name, data->values, error);
}

void
ct_task_save_form_async (CtStore             *store,
                         CtSession           *session,
                         gint64               case_id,
                         const char          *template_id,
                         JsonObject          *values,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *json = NULL;
  ProcedureData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);
  g_return_if_fail (template_id != NULL);
  g_return_if_fail (values != NULL);

  task = procedure_task_new (store, session, case_id, template_id, cancellable, callback, user_data,
                             ct_task_save_form_async, &data);
  /* A deep copy (json_node_copy() only shares the object): the caller
   * keeps editing its own object, and JSON-GLib objects are not
   * thread-safe. */
  node = json_node_init_object (json_node_alloc (), values);
  json = json_to_string (node, FALSE);
  copy = json_from_string (json, NULL);
  g_assert (copy != NULL && JSON_NODE_HOLDS_OBJECT (copy));
  data->values = json_object_ref (json_node_get_object (copy));
  ct_async_run_boolean (task, save_form_work);
}

gboolean
ct_task_save_form_finish (CtStore       *store,
                          GAsyncResult  *result,
                          GError       **error)
{
  return ct_async_finish_boolean (store, result, error);
}

/* set_flag */

static gboolean
set_flag_work (CtAsyncJob  *job,
               gpointer     source_object,
               gpointer     task_data,
               GError     **error)
{
  ProcedureData *data = task_data;

  return ct_store_set_flag (CT_STORE (source_object), data->session, data->case_id,
                            data->name, data->value, error);
}

void
ct_task_set_flag_async (CtStore             *store,
                        CtSession           *session,
                        gint64               case_id,
                        const char          *flag,
                        const char          *value,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  ProcedureData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);
  g_return_if_fail (flag != NULL);

  task = procedure_task_new (store, session, case_id, flag, cancellable, callback, user_data,
                             ct_task_set_flag_async, &data);
  data->value = g_strdup (value);
  ct_async_run_boolean (task, set_flag_work);
}

gboolean
ct_task_set_flag_finish (CtStore       *store,
                         GAsyncResult  *result,
                         GError       **error)
{
  return ct_async_finish_boolean (store, result, error);
}

/* advance_case */

static gpointer
advance_case_work (CtAsyncJob  *job,
                   gpointer     source_object,
                   gpointer     task_data,
                   GError     **error)
{
  ProcedureData *data = task_data;

  /* Archived only with the dossier made and stored (ct-dossier.h). */
  if (g_strcmp0 (data->name, "archived") == 0)
    {
      g_autoptr(CtCaseArchive) archive = ct_store_archive_case (CT_STORE (source_object), data->session,
                                                                data->case_id, error);
      return archive != NULL ? g_strdup ("archived") : NULL;
    }
  return ct_store_advance_case (CT_STORE (source_object), data->session, data->case_id,
                                data->name, error);
}

void
ct_task_advance_case_async (CtStore             *store,
                            CtSession           *session,
                            gint64               case_id,
                            const char          *to,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  ProcedureData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);

  task = procedure_task_new (store, session, case_id, to, cancellable, callback, user_data,
                             ct_task_advance_case_async, &data);
  ct_async_run_pointer (task, advance_case_work, g_free);
}

char *
ct_task_advance_case_finish (CtStore       *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  return ct_async_finish_pointer (store, result, error);
}

/* approve_as */

static gint64
approve_as_work (CtAsyncJob  *job,
                 gpointer     source_object,
                 gpointer     task_data,
                 GError     **error)
{
  ProcedureData *data = task_data;

  return ct_store_approve_as (CT_STORE (source_object), data->session, data->case_id,
                              data->name, data->role, error);
}

void
ct_task_approve_as_async (CtStore             *store,
                          CtSession           *session,
                          gint64               case_id,
                          const char          *subject,
                          CtRole               role,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  ProcedureData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);
  g_return_if_fail (subject != NULL);

  task = procedure_task_new (store, session, case_id, subject, cancellable, callback, user_data,
                             ct_task_approve_as_async, &data);
  data->role = role;
  ct_async_run_int (task, approve_as_work);
}

gint64
ct_task_approve_as_finish (CtStore       *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  return ct_async_finish_int (store, result, error);
}

/* case_deadline */

static gint64
case_deadline_work (CtAsyncJob  *job,
                    gpointer     source_object,
                    gpointer     task_data,
                    GError     **error)
{
  ProcedureData *data = task_data;
  g_autoptr(GPtrArray) reqs = NULL;
  int worst = -1;

  if (g_cancellable_set_error_if_cancelled (ct_async_job_get_cancellable (job), error))
    return -1;

  reqs = ct_store_check_case (CT_STORE (source_object), data->case_id, NULL, error);
  if (reqs == NULL)
    return -1;

  for (guint i = 0; i < reqs->len; i++)
    {
      const CtRequirement *req = g_ptr_array_index (reqs, i);

      if (req->rule->kind != CT_RULE_DEADLINE || req->due == NULL)
        continue;
      worst = MAX (worst, (int) req->deadline_state);
    }

  return worst;
}

void
ct_task_case_deadline_async (CtStore             *store,
                             gint64               case_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  ProcedureData *data;

  g_return_if_fail (CT_IS_STORE (store));

  task = procedure_task_new (store, NULL, case_id, NULL, cancellable, callback, user_data,
                             ct_task_case_deadline_async, &data);
  ct_async_run_int (task, case_deadline_work);
}

int
ct_task_case_deadline_finish (CtStore       *store,
                              GAsyncResult  *result,
                              GError       **error)
{
  return (int) ct_async_finish_int (store, result, error);
}

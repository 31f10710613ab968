#define G_LOG_DOMAIN "casetrail"

#include "config.h"

#include "ct-task.h"
#include "ct-dossier.h"

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
  GTask *task = g_task_new (store, cancellable, callback, user_data);
  ProcedureData *data = g_new0 (ProcedureData, 1);

  data->session = session != NULL ? ct_session_ref (session) : NULL;
  data->case_id = case_id;
  data->name = g_strdup (name);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) procedure_data_free);
  *out_data = data;

  return task;
}

/* get_form */

static void
get_form_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ProcedureData *data = task_data;
  g_autoptr(GError) error = NULL;
  JsonObject *values;

  values = ct_store_get_form (CT_STORE (source_object), data->case_id, data->name, &error);
  if (values == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, values, (GDestroyNotify) json_object_unref);
}

void
ct_task_get_form_async (CtStore             *store,
                        gint64               case_id,
                        const char          *template_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ProcedureData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (template_id != NULL);

  task = procedure_task_new (store, NULL, case_id, template_id, cancellable, callback, user_data,
                             ct_task_get_form_async, &data);
  g_task_run_in_thread (task, get_form_thread);
}

JsonObject *
ct_task_get_form_finish (CtStore       *store,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* save_form */

static void
save_form_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ProcedureData *data = task_data;
  g_autoptr(GError) error = NULL;

  if (!ct_store_save_form (CT_STORE (source_object), data->session, data->case_id,
                           data->name, data->values, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
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
  g_autoptr(GTask) task = NULL;
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
  g_task_run_in_thread (task, save_form_thread);
}

gboolean
ct_task_save_form_finish (CtStore       *store,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* set_flag */

static void
set_flag_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ProcedureData *data = task_data;
  g_autoptr(GError) error = NULL;

  if (!ct_store_set_flag (CT_STORE (source_object), data->session, data->case_id,
                          data->name, data->value, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
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
  g_autoptr(GTask) task = NULL;
  ProcedureData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);
  g_return_if_fail (flag != NULL);

  task = procedure_task_new (store, session, case_id, flag, cancellable, callback, user_data,
                             ct_task_set_flag_async, &data);
  data->value = g_strdup (value);
  g_task_run_in_thread (task, set_flag_thread);
}

gboolean
ct_task_set_flag_finish (CtStore       *store,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* advance_case */

static void
advance_case_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ProcedureData *data = task_data;
  g_autoptr(GError) error = NULL;
  char *stage;

  /* Archived only with the dossier made and stored (ct-dossier.h). */
  if (g_strcmp0 (data->name, "archived") == 0)
    {
      g_autoptr(CtCaseArchive) archive = ct_store_archive_case (CT_STORE (source_object), data->session,
                                                                data->case_id, &error);
      stage = archive != NULL ? g_strdup ("archived") : NULL;
    }
  else
    stage = ct_store_advance_case (CT_STORE (source_object), data->session, data->case_id,
                                   data->name, &error);
  if (stage == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, stage, g_free);
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
  g_autoptr(GTask) task = NULL;
  ProcedureData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);

  task = procedure_task_new (store, session, case_id, to, cancellable, callback, user_data,
                             ct_task_advance_case_async, &data);
  g_task_run_in_thread (task, advance_case_thread);
}

char *
ct_task_advance_case_finish (CtStore       *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* approve_as */

static void
approve_as_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ProcedureData *data = task_data;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = ct_store_approve_as (CT_STORE (source_object), data->session, data->case_id,
                            data->name, data->role, &error);
  if (id == 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, id);
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
  g_autoptr(GTask) task = NULL;
  ProcedureData *data;

  g_return_if_fail (CT_IS_STORE (store));
  g_return_if_fail (session != NULL);
  g_return_if_fail (subject != NULL);

  task = procedure_task_new (store, session, case_id, subject, cancellable, callback, user_data,
                             ct_task_approve_as_async, &data);
  data->role = role;
  g_task_run_in_thread (task, approve_as_thread);
}

gint64
ct_task_approve_as_finish (CtStore       *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), 0);

  return g_task_propagate_int (G_TASK (result), error);
}

/* case_deadline */

static void
case_deadline_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  ProcedureData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reqs = NULL;
  int worst = -1;

  if (g_task_return_error_if_cancelled (task))
    return;

  reqs = ct_store_check_case (CT_STORE (source_object), data->case_id, NULL, &error);
  if (reqs == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < reqs->len; i++)
    {
      const CtRequirement *req = g_ptr_array_index (reqs, i);

      if (req->rule->kind != CT_RULE_DEADLINE || req->due == NULL)
        continue;
      worst = MAX (worst, (int) req->deadline_state);
    }

  g_task_return_int (task, worst);
}

void
ct_task_case_deadline_async (CtStore             *store,
                             gint64               case_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ProcedureData *data;

  g_return_if_fail (CT_IS_STORE (store));

  task = procedure_task_new (store, NULL, case_id, NULL, cancellable, callback, user_data,
                             ct_task_case_deadline_async, &data);
  g_task_run_in_thread (task, case_deadline_thread);
}

int
ct_task_case_deadline_finish (CtStore       *store,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), -1);

  return (int) g_task_propagate_int (G_TASK (result), error);
}

#define G_LOG_DOMAIN "casetrail-core"

/* The _async/_finish pairs: each runs the synchronous call on a GTask
 * worker thread, so the UI never blocks on the disk or on Argon2id. */

#include "config.h"

#include "ct-store.h"

typedef struct {
  CtSession  *session;
  char       *a;
  char       *b;
  char       *c;
  char       *d;
  char       *e;
  gboolean    flag;
  gboolean    has_flag;
  CtUserSpec  user;
  CtCaseSpec  spec;
  GStrv       handlers;
  GStrv       assistants;
  GPtrArray  *owned;  /* strings the specs point into */
} Args;

static void
args_free (Args *args)
{
  g_clear_pointer (&args->session, ct_session_unref);
  g_free (args->a);
  g_free (args->b);
  g_free (args->c);
  g_free (args->d);
  g_free (args->e);
  g_strfreev (args->handlers);
  g_strfreev (args->assistants);
  g_clear_pointer (&args->owned, g_ptr_array_unref);
  g_free (args);
}

static Args *
args_new (CtSession *session)
{
  Args *args = g_new0 (Args, 1);

  args->session = session ? ct_session_ref (session) : NULL;
  args->owned = g_ptr_array_new_with_free_func (g_free);
  return args;
}

static const char *
keep (Args       *args,
      const char *s)
{
  char *copy;

  if (s == NULL)
    return NULL;
  copy = g_strdup (s);
  g_ptr_array_add (args->owned, copy);
  return copy;
}

static GTask *
task_new (gpointer             source,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             tag,
          Args                *args)
{
  GTask *task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  if (args != NULL)
    g_task_set_task_data (task, args, (GDestroyNotify) args_free);
  return task;
}

/* ---- open ---- */

static void
open_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  Args *args = data;
  GError *error = NULL;
  CtStore *store = ct_store_open (args->a, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

void
ct_store_open_async (const char          *data_dir,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  Args *args = args_new (NULL);
  g_autoptr(GTask) task = NULL;

  args->a = g_strdup (data_dir);
  task = task_new (NULL, cancellable, callback, user_data, ct_store_open_async, args);
  g_task_run_in_thread (task, open_thread);
}

CtStore *
ct_store_open_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- login ---- */

static void
login_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  Args *args = data;
  GError *error = NULL;
  CtSession *session = ct_store_login (source, args->a, args->b, &error);

  /* The passphrase is not needed any more. */
  if (args->b != NULL)
    explicit_bzero (args->b, strlen (args->b));

  if (session == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, session, (GDestroyNotify) ct_session_unref);
}

void
ct_store_login_async (CtStore             *self,
                      const char          *username,
                      const char          *passphrase,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  Args *args = args_new (NULL);
  g_autoptr(GTask) task = NULL;

  args->a = g_strdup (username);
  args->b = g_strdup (passphrase);
  task = task_new (self, cancellable, callback, user_data, ct_store_login_async, args);
  g_task_run_in_thread (task, login_thread);
}

CtSession *
ct_store_login_finish (CtStore       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- init agency ---- */

static void
init_agency_thread (GTask        *task,
                    gpointer      source,
                    gpointer      data,
                    GCancellable *cancellable)
{
  Args *args = data;
  GError *error = NULL;

  if (ct_store_init_agency (source, args->a, args->b, args->flag, &args->user, args->c, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  if (args->c != NULL)
    explicit_bzero (args->c, strlen (args->c));
}

void
ct_store_init_agency_async (CtStore             *self,
                            const char          *agency_name,
                            const char          *case_number_pattern,
                            gboolean             national_crypto,
                            const CtUserSpec    *admin,
                            const char          *admin_passphrase,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Args *args = args_new (NULL);
  g_autoptr(GTask) task = NULL;

  args->a = g_strdup (agency_name);
  args->b = g_strdup (case_number_pattern);
  args->c = g_strdup (admin_passphrase);
  args->flag = national_crypto;
  args->user = *admin;
  args->user.username = keep (args, admin->username);
  args->user.display_name = keep (args, admin->display_name);
  args->user.cert_number = keep (args, admin->cert_number);
  task = task_new (self, cancellable, callback, user_data, ct_store_init_agency_async, args);
  g_task_run_in_thread (task, init_agency_thread);
}

gboolean
ct_store_init_agency_finish (CtStore       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- demo ---- */

static void
demo_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (ct_store_load_demo (source, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ct_store_load_demo_async (CtStore             *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = task_new (self, cancellable, callback, user_data, ct_store_load_demo_async, NULL);
  g_task_run_in_thread (task, demo_thread);
}

gboolean
ct_store_load_demo_finish (CtStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- list cases ---- */

static void
list_cases_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  Args *args = data;
  GError *error = NULL;
  GPtrArray *cases = ct_store_list_cases (source, args->session, args->a, &error);

  if (cases == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, cases, (GDestroyNotify) g_ptr_array_unref);
}

void
ct_store_list_cases_async (CtStore             *self,
                           CtSession           *session,
                           const char          *search,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Args *args = args_new (session);
  g_autoptr(GTask) task = NULL;

  args->a = g_strdup (search);
  task = task_new (self, cancellable, callback, user_data, ct_store_list_cases_async, args);
  g_task_run_in_thread (task, list_cases_thread);
}

GPtrArray *
ct_store_list_cases_finish (CtStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- create case ---- */

static void
create_case_thread (GTask        *task,
                    gpointer      source,
                    gpointer      data,
                    GCancellable *cancellable)
{
  Args *args = data;
  GError *error = NULL;
  gint64 id = ct_store_create_case (source, args->session, &args->spec, &error);

  if (id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
}

void
ct_store_create_case_async (CtStore             *self,
                            CtSession           *session,
                            const CtCaseSpec    *spec,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Args *args = args_new (session);
  g_autoptr(GTask) task = NULL;

  args->spec.procedure = keep (args, spec->procedure);
  args->spec.cause = keep (args, spec->cause);
  args->spec.source = keep (args, spec->source);
  args->spec.source_detail = keep (args, spec->source_detail);
  args->spec.place = keep (args, spec->place);
  args->spec.party_kind = keep (args, spec->party_kind);
  args->spec.party_name = keep (args, spec->party_name);
  args->spec.party_id_number = keep (args, spec->party_id_number);
  args->spec.party_address = keep (args, spec->party_address);
  args->spec.party_contact = keep (args, spec->party_contact);
  args->spec.party_legal_rep = keep (args, spec->party_legal_rep);
  args->handlers = g_strdupv ((char **) spec->handlers);
  args->assistants = g_strdupv ((char **) spec->assistants);
  args->spec.handlers = (const char * const *) args->handlers;
  args->spec.assistants = (const char * const *) args->assistants;
  task = task_new (self, cancellable, callback, user_data, ct_store_create_case_async, args);
  g_task_run_in_thread (task, create_case_thread);
}

gint64
ct_store_create_case_finish (CtStore       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  return g_task_propagate_int (G_TASK (result), error);
}

/* ---- get case ---- */

static void
get_case_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  Args *args = data;
  GError *error = NULL;
  CtCase *c = ct_store_get_case (source, args->session, args->a, &error);

  if (c == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, c, (GDestroyNotify) ct_case_free);
}

void
ct_store_get_case_async (CtStore             *self,
                         CtSession           *session,
                         const char          *id_or_number,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  Args *args = args_new (session);
  g_autoptr(GTask) task = NULL;

  args->a = g_strdup (id_or_number);
  task = task_new (self, cancellable, callback, user_data, ct_store_get_case_async, args);
  g_task_run_in_thread (task, get_case_thread);
}

CtCase *
ct_store_get_case_finish (CtStore       *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- list users ---- */

static void
list_users_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *users = ct_store_list_users (source, &error);

  if (users == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, users, (GDestroyNotify) g_ptr_array_unref);
}

void
ct_store_list_users_async (CtStore             *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = task_new (self, cancellable, callback, user_data, ct_store_list_users_async, NULL);
  g_task_run_in_thread (task, list_users_thread);
}

GPtrArray *
ct_store_list_users_finish (CtStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- update agency ---- */

static void
update_agency_thread (GTask        *task,
                      gpointer      source,
                      gpointer      data,
                      GCancellable *cancellable)
{
  Args *args = data;
  GError *error = NULL;

  if (ct_store_update_agency (source, args->session, args->a, args->b,
                              args->has_flag ? &args->flag : NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ct_store_update_agency_async (CtStore             *self,
                              CtSession           *session,
                              const char          *agency_name,
                              const char          *case_number_pattern,
                              const gboolean      *national_crypto,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Args *args = args_new (session);
  g_autoptr(GTask) task = NULL;

  args->a = g_strdup (agency_name);
  args->b = g_strdup (case_number_pattern);
  args->has_flag = national_crypto != NULL;
  args->flag = national_crypto ? *national_crypto : FALSE;
  task = task_new (self, cancellable, callback, user_data, ct_store_update_agency_async, args);
  g_task_run_in_thread (task, update_agency_thread);
}

gboolean
ct_store_update_agency_finish (CtStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

#define G_LOG_DOMAIN "casetrail-core"

/* The _async/_finish pairs: each runs the synchronous call on a worker
 * thread (ct-async.h), so the UI never blocks on the disk or on Argon2id. */

#include "config.h"

#include "ct-async.h"
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

/* ---- open ---- */

static gpointer
open_work (CtAsyncJob  *job,
           gpointer     source,
           gpointer     data,
           GError     **error)
{
  Args *args = data;

  return ct_store_open (args->a, error);
}

void
ct_store_open_async (const char          *data_dir,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  Args *args = args_new (NULL);

  args->a = g_strdup (data_dir);
  ct_async_run_pointer (ct_async_new (NULL, cancellable, callback, user_data, ct_store_open_async,
                                      args, (GDestroyNotify) args_free),
                        open_work, g_object_unref);
}

CtStore *
ct_store_open_finish (GAsyncResult  *result,
                      GError       **error)
{
  return ct_async_finish_pointer (NULL, result, error);
}

/* ---- login ---- */

static gpointer
login_work (CtAsyncJob  *job,
            gpointer     source,
            gpointer     data,
            GError     **error)
{
  Args *args = data;
  CtSession *session = ct_store_login (source, args->a, args->b, error);

  /* The passphrase is not needed any more. */
  if (args->b != NULL)
    explicit_bzero (args->b, strlen (args->b));
  return session;
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

  args->a = g_strdup (username);
  args->b = g_strdup (passphrase);
  ct_async_run_pointer (ct_async_new (self, cancellable, callback, user_data, ct_store_login_async,
                                      args, (GDestroyNotify) args_free),
                        login_work, (GDestroyNotify) ct_session_unref);
}

CtSession *
ct_store_login_finish (CtStore       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return ct_async_finish_pointer (self, result, error);
}

/* ---- init agency ---- */

static gboolean
init_agency_work (CtAsyncJob  *job,
                  gpointer     source,
                  gpointer     data,
                  GError     **error)
{
  Args *args = data;
  gboolean ok = ct_store_init_agency (source, args->a, args->b, args->flag, &args->user, args->c, error);

  if (args->c != NULL)
    explicit_bzero (args->c, strlen (args->c));
  return ok;
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

  args->a = g_strdup (agency_name);
  args->b = g_strdup (case_number_pattern);
  args->c = g_strdup (admin_passphrase);
  args->flag = national_crypto;
  args->user = *admin;
  args->user.username = keep (args, admin->username);
  args->user.display_name = keep (args, admin->display_name);
  args->user.cert_number = keep (args, admin->cert_number);
  ct_async_run_boolean (ct_async_new (self, cancellable, callback, user_data, ct_store_init_agency_async,
                                      args, (GDestroyNotify) args_free),
                        init_agency_work);
}

gboolean
ct_store_init_agency_finish (CtStore       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return ct_async_finish_boolean (self, result, error);
}

/* ---- demo ---- */

static gboolean
demo_work (CtAsyncJob  *job,
           gpointer     source,
           gpointer     data,
           GError     **error)
{
  return ct_store_load_demo (source, error);
}

void
ct_store_load_demo_async (CtStore             *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  ct_async_run_boolean (ct_async_new (self, cancellable, callback, user_data, ct_store_load_demo_async,
                                      NULL, NULL),
                        demo_work);
}

gboolean
ct_store_load_demo_finish (CtStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return ct_async_finish_boolean (self, result, error);
}

/* ---- list cases ---- */

static gpointer
list_cases_work (CtAsyncJob  *job,
                 gpointer     source,
                 gpointer     data,
                 GError     **error)
{
  Args *args = data;

  return ct_store_list_cases (source, args->session, args->a, error);
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

  args->a = g_strdup (search);
  ct_async_run_pointer (ct_async_new (self, cancellable, callback, user_data, ct_store_list_cases_async,
                                      args, (GDestroyNotify) args_free),
                        list_cases_work, (GDestroyNotify) g_ptr_array_unref);
}

GPtrArray *
ct_store_list_cases_finish (CtStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return ct_async_finish_pointer (self, result, error);
}

/* ---- create case ---- */

static gint64
create_case_work (CtAsyncJob  *job,
                  gpointer     source,
                  gpointer     data,
                  GError     **error)
{
  Args *args = data;

  return ct_store_create_case (source, args->session, &args->spec, error);
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
  ct_async_run_int (ct_async_new (self, cancellable, callback, user_data, ct_store_create_case_async,
                                  args, (GDestroyNotify) args_free),
                    create_case_work);
}

gint64
ct_store_create_case_finish (CtStore       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return ct_async_finish_int (self, result, error);
}

/* ---- get case ---- */

static gpointer
get_case_work (CtAsyncJob  *job,
               gpointer     source,
               gpointer     data,
               GError     **error)
{
  Args *args = data;

  return ct_store_get_case (source, args->session, args->a, error);
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

  args->a = g_strdup (id_or_number);
  ct_async_run_pointer (ct_async_new (self, cancellable, callback, user_data, ct_store_get_case_async,
                                      args, (GDestroyNotify) args_free),
                        get_case_work, (GDestroyNotify) ct_case_free);
}

CtCase *
ct_store_get_case_finish (CtStore       *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return ct_async_finish_pointer (self, result, error);
}

/* ---- list users ---- */

static gpointer
list_users_work (CtAsyncJob  *job,
                 gpointer     source,
                 gpointer     data,
                 GError     **error)
{
  return ct_store_list_users (source, error);
}

void
ct_store_list_users_async (CtStore             *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  ct_async_run_pointer (ct_async_new (self, cancellable, callback, user_data, ct_store_list_users_async,
                                      NULL, NULL),
                        list_users_work, (GDestroyNotify) g_ptr_array_unref);
}

GPtrArray *
ct_store_list_users_finish (CtStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return ct_async_finish_pointer (self, result, error);
}

/* ---- update agency ---- */

static gboolean
update_agency_work (CtAsyncJob  *job,
                    gpointer     source,
                    gpointer     data,
                    GError     **error)
{
  Args *args = data;

  return ct_store_update_agency (source, args->session, args->a, args->b,
                                 args->has_flag ? &args->flag : NULL, error);
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

  args->a = g_strdup (agency_name);
  args->b = g_strdup (case_number_pattern);
  args->has_flag = national_crypto != NULL;
  args->flag = national_crypto ? *national_crypto : FALSE;
  ct_async_run_boolean (ct_async_new (self, cancellable, callback, user_data, ct_store_update_agency_async,
                                      args, (GDestroyNotify) args_free),
                        update_agency_work);
}

gboolean
ct_store_update_agency_finish (CtStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return ct_async_finish_boolean (self, result, error);
}

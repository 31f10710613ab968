/* ct-probe.c — run casetrail-probe with a time limit and read its answer */
#define G_LOG_DOMAIN "casetrail-core"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ct-error.h"
#include "ct-probe.h"

#define HELPER_NAME "casetrail-probe"
#define MAX_ANSWER (1024 * 1024)

void
ct_probe_result_free (CtProbeResult *result)
{
  if (result == NULL)
    return;
  g_free (result->reason);
  g_free (result->container);
  g_free (result->video_codec);
  g_free (result->audio_codec);
  g_free (result->created_iso);
  g_free (result->doc_title);
  g_free (result->doc_created);
  g_clear_pointer (&result->created_at, g_date_time_unref);
  g_free (result->device_make);
  g_free (result->device_model);
  g_free (result->device_serial);
  g_free (result->json);
  g_free (result);
}

char *
ct_probe_helper_path (void)
{
  const char *env = g_getenv ("CASETRAIL_PROBE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (LIBEXECDIR, HELPER_NAME, NULL);
}

static CtProbeResult *
unreadable (const char *reason)
{
  CtProbeResult *r = g_new0 (CtProbeResult, 1);

  r->status = CT_PROBE_UNREADABLE;
  r->reason = g_strdup (reason != NULL && *reason != '\0' ? reason : _("the file could not be read"));
  return r;
}

/* ---- reading the answer ----------------------------------------------- */

static const char *
member_string (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
member_number (JsonObject *o, const char *name, double *out)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  GType t;

  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE)
    return FALSE;
  t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64)
    *out = (double) json_node_get_int (n);
  else if (t == G_TYPE_DOUBLE)
    *out = json_node_get_double (n);
  else
    return FALSE;
  return TRUE;
}

static guint
member_uint (JsonObject *o, const char *name)
{
  double v = 0;

  if (!member_number (o, name, &v) || v < 0 || v > G_MAXUINT)
    return 0;
  return (guint) v;
}

static JsonObject *
member_object (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonObject *
first_of_array (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  JsonArray *a;
  JsonNode *e;

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    return NULL;
  a = json_node_get_array (n);
  if (json_array_get_length (a) == 0)
    return NULL;
  e = json_array_get_element (a, 0);
  return JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
}

static char *
dup_nonempty (const char *s)
{
  return s != NULL && *s != '\0' ? g_strdup (s) : NULL;
}

static CtProbeResult *
parse_answer (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonObject *o, *v, *a, *img, *gps, *dev, *doc;
  JsonNode *okn;
  CtProbeResult *r;
  double d;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  o = json_node_get_object (root);
  okn = json_object_get_member (o, "ok");
  if (okn == NULL || JSON_NODE_TYPE (okn) != JSON_NODE_VALUE || json_node_get_value_type (okn) != G_TYPE_BOOLEAN)
    return NULL;

  if (!json_node_get_boolean (okn))
    {
      r = unreadable (member_string (o, "reason"));
      r->json = g_strdup (text);
      return r;
    }

  r = g_new0 (CtProbeResult, 1);
  r->status = CT_PROBE_OK;
  r->json = g_strdup (text);
  r->container = dup_nonempty (member_string (o, "container"));
  if (member_number (o, "duration_ms", &d) && d > 0)
    r->duration_ms = (gint64) d;

  if ((v = first_of_array (o, "video")) != NULL)
    {
      r->has_video = TRUE;
      r->video_codec = dup_nonempty (member_string (v, "codec"));
      r->width = member_uint (v, "width");
      r->height = member_uint (v, "height");
      if (member_number (v, "framerate", &d) && d > 0)
        r->fps = d;
    }
  if ((a = first_of_array (o, "audio")) != NULL)
    {
      r->has_audio = TRUE;
      r->audio_codec = dup_nonempty (member_string (a, "codec"));
      r->channels = member_uint (a, "channels");
      r->rate = member_uint (a, "rate");
    }
  if ((img = member_object (o, "image")) != NULL)
    {
      r->is_image = TRUE;
      if (!r->has_video)
        {
          r->width = member_uint (img, "width");
          r->height = member_uint (img, "height");
        }
    }

  if ((doc = member_object (o, "document")) != NULL && member_number (doc, "pages", &d) && d >= 1)
    {
      JsonNode *enc = json_object_get_member (doc, "encrypted");
      r->is_document = TRUE;
      r->pages = (guint) MIN (d, G_MAXUINT);
      r->doc_title = dup_nonempty (member_string (doc, "title"));
      r->doc_created = dup_nonempty (member_string (doc, "created"));
      r->encrypted = enc != NULL && JSON_NODE_HOLDS_VALUE (enc) &&
                     json_node_get_value_type (enc) == G_TYPE_BOOLEAN && json_node_get_boolean (enc);
    }

  r->created_iso = dup_nonempty (member_string (o, "created"));
  if (r->created_iso != NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      r->created_at = g_date_time_new_from_iso8601 (r->created_iso, utc);
    }

  if ((gps = member_object (o, "gps")) != NULL
      && member_number (gps, "lat", &r->lat) && member_number (gps, "lon", &r->lon)
      && r->lat >= -90 && r->lat <= 90 && r->lon >= -180 && r->lon <= 180)
    {
      r->has_gps = TRUE;
      r->has_alt = member_number (gps, "alt", &r->alt);
    }
  else
    r->lat = r->lon = 0;

  if ((dev = member_object (o, "device")) != NULL)
    {
      r->device_make = dup_nonempty (member_string (dev, "make"));
      r->device_model = dup_nonempty (member_string (dev, "model"));
      r->device_serial = dup_nonempty (member_string (dev, "serial"));
    }
  return r;
}

/* ---- running the helper ------------------------------------------------- */

typedef struct {
  gboolean done;
  gboolean timed_out;
  gboolean cancelled;
  GBytes  *out;
  GError  *error;
} RunState;

static void
child_setup (gpointer data)
{
  /* its own process group, so a timeout kills whatever it started too */
  setpgid (0, 0);
}

static void
on_communicate (GObject *source, GAsyncResult *res, gpointer data)
{
  RunState *st = data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), res, &st->out, NULL, &st->error);
  st->done = TRUE;
}

static gboolean
on_timeout (gpointer data)
{
  RunState *st = data;

  st->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable, gpointer data)
{
  RunState *st = data;

  st->cancelled = TRUE;
  return G_SOURCE_REMOVE;
}

static char *
signal_text (int sig)
{
  const char *abbrev = sigabbrev_np (sig);
  const char *desc = strsignal (sig);

  if (abbrev != NULL)
    return g_strdup_printf ("SIG%s, %s", abbrev, desc ? desc : "");
  return g_strdup_printf (_("signal %d"), sig);
}

static char *
seconds_text (guint timeout_ms)
{
  if (timeout_ms % 1000 == 0)
    return g_strdup_printf ("%u", timeout_ms / 1000);
  if (timeout_ms >= 100)
    return g_strdup_printf ("%.1f", timeout_ms / 1000.0);
  return g_strdup_printf ("%.3f", timeout_ms / 1000.0);
}

/* Runs the helper on @path with @extra arguments before it. */
static CtProbeResult *
run_helper (const char          *helper_path,
            const char * const  *extra,
            const char          *path,
            guint                timeout_ms,
            GCancellable        *cancellable,
            GError             **error)
{
  g_autofree char *helper = NULL;
  g_autofree char *timeout_arg = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GMainContext) ctx = NULL;
  g_autoptr(GCancellable) comm_cancel = NULL;
  g_autoptr(GError) local = NULL;
  GSource *timer = NULL, *cancel_src = NULL;
  RunState st = { 0 };
  CtProbeResult *result = NULL;
  const char *ident;
  pid_t pid = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (timeout_ms == 0)
    timeout_ms = CT_PROBE_DEFAULT_TIMEOUT_MS;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  helper = helper_path != NULL ? g_strdup (helper_path) : ct_probe_helper_path ();
  timeout_arg = g_strdup_printf ("%u", timeout_ms);

  /* stdin is /dev/null by default */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  ctx = g_main_context_new ();
  g_main_context_push_thread_default (ctx);

  {
    g_autoptr(GPtrArray) argv = g_ptr_array_new ();
    g_ptr_array_add (argv, helper);
    g_ptr_array_add (argv, (char *) "--timeout-ms");
    g_ptr_array_add (argv, timeout_arg);
    for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
      g_ptr_array_add (argv, (char *) extra[i]);
    g_ptr_array_add (argv, (char *) "--");
    g_ptr_array_add (argv, (char *) path);
    g_ptr_array_add (argv, NULL);
    proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &local);
  }
  if (proc == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_IO,
                   _("The media probe %s could not be started: %s"), helper, local->message);
      g_main_context_pop_thread_default (ctx);
      return NULL;
    }
  ident = g_subprocess_get_identifier (proc);
  if (ident != NULL)
    pid = (pid_t) atoi (ident);

  comm_cancel = g_cancellable_new ();
  g_subprocess_communicate_async (proc, NULL, comm_cancel, on_communicate, &st);

  timer = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timer, on_timeout, &st, NULL);
  g_source_attach (timer, ctx);
  if (cancellable != NULL)
    {
      cancel_src = g_cancellable_source_new (cancellable);
      g_source_set_callback (cancel_src, G_SOURCE_FUNC (on_cancelled), &st, NULL);
      g_source_attach (cancel_src, ctx);
    }

  while (!st.done && !st.timed_out && !st.cancelled)
    g_main_context_iteration (ctx, TRUE);

  if (!st.done)
    {
      /* overran or cancelled: kill the helper and anything it started */
      if (pid > 0)
        kill (-pid, SIGKILL);
      g_subprocess_force_exit (proc);
      g_cancellable_cancel (comm_cancel);
      while (!st.done)
        g_main_context_iteration (ctx, TRUE);
    }
  else if (st.error != NULL)
    {
      /* reading failed; do not wait on a helper that may still run */
      if (pid > 0)
        kill (-pid, SIGKILL);
      g_subprocess_force_exit (proc);
    }
  /* communicate finishes only once the helper has exited, or it was killed above */
  g_subprocess_wait (proc, NULL, NULL);

  g_source_destroy (timer);
  g_source_unref (timer);
  if (cancel_src != NULL)
    {
      g_source_destroy (cancel_src);
      g_source_unref (cancel_src);
    }
  g_main_context_pop_thread_default (ctx);

  if (st.cancelled && !st.timed_out)
    {
      g_clear_pointer (&st.out, g_bytes_unref);
      g_clear_error (&st.error);
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));
      return NULL;
    }

  if (st.timed_out)
    {
      g_autofree char *secs = seconds_text (timeout_ms);
      g_autofree char *reason = g_strdup_printf (_("probing took longer than %s s"), secs);
      result = unreadable (reason);
    }
  else if (g_subprocess_get_if_signaled (proc))
    {
      g_autofree char *sig = signal_text (g_subprocess_get_term_sig (proc));
      g_autofree char *reason = g_strdup_printf (_("the media probe crashed on this file (%s)"), sig);
      result = unreadable (reason);
    }
  else if (st.error != NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("the media probe's answer could not be read: %s"),
                                                 st.error->message);
      result = unreadable (reason);
    }
  else
    {
      gsize len = 0;
      const char *data = st.out ? g_bytes_get_data (st.out, &len) : NULL;
      g_autofree char *text = NULL;

      if (data != NULL && len > 0 && len <= MAX_ANSWER && g_utf8_validate (data, (gssize) len, NULL))
        {
          text = g_strndup (data, len);
          g_strstrip (text);
          result = parse_answer (text);
        }
      if (result == NULL)
        {
          int status = g_subprocess_get_exit_status (proc);
          g_autofree char *reason = NULL;
          if (status == 127)
            reason = g_strdup_printf (_("the media probe %s is not installed"), helper);
          else
            reason = g_strdup_printf (_("the media probe gave no answer (exit status %d)"), status);
          result = unreadable (reason);
          result->json = g_steal_pointer (&text);
        }
    }

  g_clear_pointer (&st.out, g_bytes_unref);
  g_clear_error (&st.error);
  return result;
}

CtProbeResult *
ct_probe_file_full (const char    *helper_path,
                    const char    *path,
                    guint          timeout_ms,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return run_helper (helper_path, NULL, path, timeout_ms, cancellable, error);
}

gboolean
ct_probe_thumbnail (const char    *path,
                    const char    *out_png,
                    guint          width,
                    guint          timeout_ms,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autofree char *size = g_strdup_printf ("%u", width);
  const char *extra[] = { "--thumbnail", out_png, "--size", size, NULL };
  g_autoptr(CtProbeResult) r = NULL;

  g_return_val_if_fail (path != NULL && out_png != NULL, FALSE);

  r = run_helper (NULL, extra, path, timeout_ms, cancellable, error);
  if (r == NULL)
    return FALSE;
  if (r->status != CT_PROBE_OK)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("No picture could be made of %s: %s"), path, r->reason);
      return FALSE;
    }
  return TRUE;
}

void
ct_probe_cut_free (CtProbeCut *cut)
{
  if (cut == NULL)
    return;
  g_free (cut->container);
  g_free (cut->method);
  g_free (cut->json);
  g_free (cut);
}

CtProbeCut *
ct_probe_cut (const char    *path,
              gint64         start_ms,
              gint64         end_ms,
              const char    *out_path,
              guint          timeout_ms,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, start_ms);
  g_autofree char *end = g_strdup_printf ("%" G_GINT64_FORMAT, end_ms);
  const char *extra[] = { "--cut", start, end, "--output", out_path, NULL };
  g_autoptr(CtProbeResult) r = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *o;
  CtProbeCut *cut;

  g_return_val_if_fail (path != NULL && out_path != NULL, NULL);
  g_return_val_if_fail (start_ms >= 0 && end_ms > start_ms, NULL);

  /* copying is mostly reading: a minute, plus a second per minute of clip */
  if (timeout_ms == 0)
    timeout_ms = (guint) MIN (60000 + (end_ms - start_ms) / 60, CT_PROBE_CUT_MAX_TIMEOUT_MS);
  r = run_helper (NULL, extra, path, timeout_ms, cancellable, error);
  if (r == NULL)
    {
      g_unlink (out_path);
      return NULL;
    }
  if (r->status != CT_PROBE_OK)
    {
      g_unlink (out_path);
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("No clip could be cut from %s: %s"), path, r->reason);
      return NULL;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, r->json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      !json_object_has_member ((o = json_node_get_object (json_parser_get_root (parser))), "start_ms") ||
      !json_object_has_member (o, "end_ms"))
    {
      g_unlink (out_path);
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("The media probe did not say which range the clip of %s holds."),
                   path);
      return NULL;
    }
  cut = g_new0 (CtProbeCut, 1);
  cut->start_ms = json_object_get_int_member (o, "start_ms");
  cut->end_ms = json_object_get_int_member (o, "end_ms");
  cut->container = g_strdup (json_object_get_string_member_with_default (o, "container", NULL));
  cut->method = g_strdup (json_object_get_string_member_with_default (o, "method", "stream-copy"));
  cut->json = g_strdup (r->json);
  return cut;
}

gboolean
ct_probe_frames (const char    *path,
                 const char    *out_prefix,
                 const gint64  *positions_ms,
                 guint          n,
                 guint          width,
                 guint          timeout_ms,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autofree char *size = g_strdup_printf ("%u", width);
  g_autoptr(GString) at = g_string_new (NULL);
  const char *extra[] = { "--frames", out_prefix, "--at", NULL, "--size", size, NULL };
  g_autoptr(CtProbeResult) r = NULL;

  g_return_val_if_fail (path != NULL && out_prefix != NULL, FALSE);
  g_return_val_if_fail (n > 0 && n <= 256 && positions_ms != NULL, FALSE);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (at, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", MAX (positions_ms[i], 0));
  extra[3] = at->str;
  r = run_helper (NULL, extra, path, timeout_ms, cancellable, error);
  if (r == NULL)
    return FALSE;
  if (r->status != CT_PROBE_OK)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("No picture could be made of %s: %s"), path, r->reason);
      return FALSE;
    }
  return TRUE;
}

CtProbeResult *
ct_probe_file (const char *path, guint timeout_ms, GError **error)
{
  return ct_probe_file_full (NULL, path, timeout_ms, NULL, error);
}

/* ---- async ------------------------------------------------------------ */

typedef struct {
  char  *helper;
  char  *path;
  guint  timeout_ms;
} ProbeData;

static void
probe_data_free (gpointer p)
{
  ProbeData *d = p;

  g_free (d->helper);
  g_free (d->path);
  g_free (d);
}

static void
probe_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ProbeData *d = task_data;
  GError *error = NULL;
  CtProbeResult *r = ct_probe_file_full (d->helper, d->path, d->timeout_ms,
                                         cancellable, &error);

  if (r == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, r, (GDestroyNotify) ct_probe_result_free);
}

void
ct_probe_file_async (const char          *path,
                     guint                timeout_ms,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ProbeData *d;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_probe_file_async);
  g_task_set_name (task, "ct_probe_file_async");
  d = g_new0 (ProbeData, 1);
  d->helper = ct_probe_helper_path ();  /* getenv here, not on the worker thread */
  d->path = g_strdup (path);
  d->timeout_ms = timeout_ms;
  g_task_set_task_data (task, d, probe_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, probe_thread);
}

CtProbeResult *
ct_probe_file_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ct_probe_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

#define G_LOG_DOMAIN "casetrail-cli"

/* casetrail-cli media …: importing footage, its details, interruptions,
 * holds, disposal and verification of the evidence store. */

#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "ct-cli.h"
#include "ct-cli-json.h"
#include "ct-error.h"
#include "ct-media.h"
#include "ct-review.h"

#define MB (1000.0 * 1000.0)

static void
add_media_json (JsonBuilder   *b,
                const CtMedia *m)
{
  json_builder_begin_object (b);
  ct_json_member_int (b, "id", m->id);
  ct_json_member_str (b, "sha256", m->sha256);
  ct_json_member_str (b, "sm3", m->sm3);
  ct_json_member_int (b, "size", (gint64) m->size);
  ct_json_member_str (b, "name", m->original_name);
  ct_json_member_str (b, "source_path", m->source_path);
  ct_json_member_str (b, "case", m->case_number);
  ct_json_member_str (b, "category", ct_media_category_to_id (m->category));
  ct_json_member_strv (b, "officers", m->officers);
  ct_json_member_str (b, "device", m->device);
  ct_json_member_str (b, "title", m->title);
  ct_json_member_str (b, "party", m->party);
  ct_json_member_str (b, "cause", m->cause);
  ct_json_member_str (b, "place", m->place);
  ct_json_member_str (b, "kind", ct_media_kind_to_id (m->kind));
  ct_json_member_int (b, "duration_ms", m->duration_ms);
  if (m->kind == CT_MEDIA_KIND_DOCUMENT)
    ct_json_member_int (b, "pages", m->pages);
  ct_json_member_str (b, "recorded_at", m->recorded_at);
  ct_json_member_str (b, "recorded_at_source", m->recorded_at_source);
  ct_json_member_str (b, "stored_at", m->stored_at);
  ct_json_member_str (b, "storage_due", m->storage_due);
  ct_json_member_bool (b, "late", m->late);
  ct_json_member_str (b, "imported_by", m->imported_by);
  ct_json_member_str (b, "imported_by_name", m->imported_by_name);
  ct_json_member_str (b, "probe_status", m->probe_status);
  ct_json_member_str (b, "probe_reason", m->probe_reason);
  ct_json_member_bool (b, "held", m->held);
  ct_json_member_str (b, "retain_until", m->retain_until);
  ct_json_member_str (b, "disposed_at", m->disposed_at);
  if (m->parent_id != 0)
    {
      json_builder_set_member_name (b, "derived_from");
      json_builder_begin_object (b);
      ct_json_member_int (b, "media_id", m->parent_id);
      ct_json_member_str (b, "sha256", m->parent_sha256);
      ct_json_member_str (b, "name", m->parent_name);
      ct_json_member_int (b, "start_ms", m->clip_start_ms);
      ct_json_member_int (b, "end_ms", m->clip_end_ms);
      ct_json_member_int (b, "actual_start_ms", m->clip_actual_start_ms);
      ct_json_member_int (b, "actual_end_ms", m->clip_actual_end_ms);
      ct_json_member_str (b, "method", m->derive_method);
      json_builder_end_object (b);
    }
  if (m->probe_json != NULL)
    {
      g_autoptr(JsonNode) probe = json_from_string (m->probe_json, NULL);
      if (probe != NULL)
        {
          json_builder_set_member_name (b, "probe");
          json_builder_add_value (b, g_steal_pointer (&probe));
        }
    }
  json_builder_end_object (b);
}

static char *
format_size (guint64 size)
{
  return g_format_size (size);
}

/* Flags a person should see at a glance. */
static char *
media_flags (const CtMedia *m)
{
  g_autoptr(GString) s = g_string_new (NULL);

  if (m->late)
    g_string_append_printf (s, " [%s]", _("stored late"));
  if (g_strcmp0 (m->probe_status, "ok") != 0)
    g_string_append_printf (s, " [%s]", _("unreadable"));
  if (m->recorded_at == NULL)
    g_string_append_printf (s, " [%s]", _("recording time unknown"));
  if (m->held)
    g_string_append_printf (s, " [%s]", _("held long-term"));
  if (m->disposed_at != NULL)
    g_string_append_printf (s, " [%s]", _("disposed of"));
  if (m->parent_id != 0)
    {
      g_autofree char *from = ct_format_offset (m->clip_actual_start_ms);
      g_autofree char *to = ct_format_offset (m->clip_actual_end_ms);
      g_string_append (s, " [");
      g_string_append_printf (s, _("clip of medium %" PRId64 ", %s–%s"), m->parent_id, from, to);
      g_string_append (s, "]");
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* ---- import ----------------------------------------------------------------------------- */

typedef struct {
  const char *name;
  gint64      started;
  gint64      last;
  gboolean    tty;
} Progress;

static void
import_progress (CtImportPhase phase,
                 guint64       done,
                 guint64       total,
                 gpointer      user_data)
{
  Progress *p = user_data;
  gint64 now = g_get_monotonic_time ();
  double secs;

  if (!p->tty || now - p->last < 200 * 1000)
    return;
  p->last = now;
  secs = (now - p->started) / (double) G_USEC_PER_SEC;
  g_printerr ("\r\033[K%s  %s %3.0f%%  %.0f MB/s", p->name,
              phase == CT_IMPORT_PHASE_COPY ? _("copying") : _("verifying"),
              total > 0 ? 100.0 * done / total : 100.0, secs > 0 ? done / secs / MB : 0);
}

int
ct_cli_media_import (Cli   *cli,
                     int    argc,
                     char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) skipped = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *case_ref = NULL;
  g_autofree char *device = NULL;
  g_autofree char *category = NULL;
  g_autofree char *recorded_at = NULL;
  g_autofree char *place = NULL;
  g_auto(GStrv) officers = NULL;
  gboolean as_document = FALSE;
  CtMediaSpec spec = { 0 };
  guint n_new = 0, n_again = 0, n_failed = 0, n_not_tried = 0;
  guint64 bytes = 0;
  gint64 started;
  double secs;
  GOptionEntry entries[] = {
    { "case", 0, 0, G_OPTION_ARG_STRING, &case_ref, N_("Attach to this case"), N_("CASE") },
    { "officer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &officers, N_("Officer who recorded it (repeat for more)"), N_("USER") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("Recording device number"), N_("D") },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category, N_("patrol or evidence"), N_("C") },
    { "recorded-at", 0, 0, G_OPTION_ARG_STRING, &recorded_at, N_("When it was recorded (ISO 8601), if the file does not say"), N_("TIME") },
    { "place", 0, 0, G_OPTION_ARG_STRING, &place, N_("Where it was recorded"), N_("PLACE") },
    { "as-document", 0, 0, G_OPTION_ARG_NONE, &as_document, N_("The pictures are scanned paper documents (PDFs always are)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print a JSON summary"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("media import", entries, &argc, &argv, N_("PATH…")))
    return CT_EXIT_USAGE;
  if (argc < 2)
    return ct_cli_usage_error (_("media import needs at least one file or folder."));
  if (!ct_media_collect_paths ((const char * const *) argv + 1, &files, &skipped, &error))
    return ct_cli_fail (error);
  session = ct_cli_login (cli, &error);
  if (session == NULL)
    return ct_cli_fail (error);

  spec.case_ref = case_ref;
  spec.officers = (const char * const *) officers;
  spec.device = device;
  spec.category = category;
  spec.recorded_at = recorded_at;
  spec.place = place;
  spec.kind = as_document ? "document" : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  started = g_get_monotonic_time ();
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = files->pdata[i];
      g_autoptr(GError) one = NULL;
      g_autoptr(CtMediaImport) import = NULL;
      g_autofree char *base = g_path_get_basename (path);
      Progress p = { base, g_get_monotonic_time (), 0, isatty (STDERR_FILENO) && !cli->json };

      import = ct_store_import_media (cli->store, session, path, &spec, import_progress, &p, NULL, &one);
      if (p.tty)
        g_printerr ("\r\033[K");
      json_builder_begin_object (b);
      ct_json_member_str (b, "path", path);
      if (import == NULL)
        {
          n_failed++;
          ct_json_member_str (b, "status", "failed");
          ct_json_member_str (b, "error", one->message);
          if (!cli->json)
            g_printerr (_("%s: not imported: %s\n"), path, one->message);
          /* A wrong case, officer or permission is the same for every
           * file (the file itself fails with CT_ERROR_IO or
           * CT_ERROR_INVALID): stop at once. */
          if (g_error_matches (one, CT_ERROR, CT_ERROR_PERMISSION) ||
              g_error_matches (one, CT_ERROR, CT_ERROR_NOT_FOUND))
            {
              json_builder_end_object (b);
              n_not_tried = files->len - i - 1;
              if (n_not_tried > 0 && !cli->json)
                g_printerr (g_dngettext (GETTEXT_PACKAGE, "Stopped: %u more file was not tried.\n",
                                         "Stopped: %u more files were not tried.\n", n_not_tried),
                            n_not_tried);
              break;
            }
        }
      else
        {
          g_autofree char *flags = media_flags (import->media);
          g_autofree char *size = format_size (import->media->size);
          if (import->already_present)
            n_again++;
          else
            {
              n_new++;
              bytes += import->media->size;
            }
          ct_json_member_str (b, "status", import->already_present ? "already-present" : "imported");
          json_builder_set_member_name (b, "media");
          add_media_json (b, import->media);
          if (!cli->json)
            g_print (import->already_present
                     ? _("%s: already in the store as medium %" PRId64 " (%.12s…)%s\n")
                     : _("%s: medium %" PRId64 ", SHA-256 %.12s…, %s%s\n"),
                     path, import->media->id, import->media->sha256,
                     import->already_present ? flags : size, import->already_present ? "" : flags);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  secs = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;

  json_builder_set_member_name (b, "skipped");
  json_builder_begin_array (b);
  for (guint i = 0; i < skipped->len; i++)
    {
      CtSkippedPath *s = skipped->pdata[i];
      json_builder_begin_object (b);
      ct_json_member_str (b, "path", s->path);
      ct_json_member_str (b, "reason", s->reason);
      json_builder_end_object (b);
      if (!cli->json)
        g_printerr (_("%s: skipped: %s\n"), s->path, s->reason);
    }
  json_builder_end_array (b);
  ct_json_member_int (b, "imported", n_new);
  ct_json_member_int (b, "already_present", n_again);
  ct_json_member_int (b, "failed", n_failed);
  ct_json_member_int (b, "not_tried", n_not_tried);
  ct_json_member_int (b, "bytes", (gint64) bytes);
  ct_json_member_double (b, "seconds", secs);
  ct_json_member_double (b, "mb_per_second", secs > 0 ? bytes / secs / MB : 0);
  json_builder_end_object (b);

  if (cli->json)
    ct_cli_print_json (b);
  else
    {
      g_autofree char *size = format_size (bytes);
      g_print (_("%u imported (%s in %.1f s, %.0f MB/s with verification), %u already present, %u failed, %u skipped.\n"),
               n_new, size, secs, secs > 0 ? bytes / secs / MB : 0.0, n_again, n_failed, skipped->len);
    }
  return n_failed > 0 ? CT_EXIT_ERROR : CT_EXIT_OK;
}

/* ---- list and show ------------------------------------------------------------------------ */

int
ct_cli_media_list (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *case_ref = NULL;
  gint64 case_id = 0;
  int rc = CT_EXIT_OK;
  GOptionEntry entries[] = {
    { "case", 0, 0, G_OPTION_ARG_STRING, &case_ref, N_("Only this case's media"), N_("CASE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("media list", entries, &argc, &argv, NULL))
    return CT_EXIT_USAGE;
  if (argc != 1)
    return ct_cli_usage_error (_("media list takes no arguments; use --case CASE."));
  session = ct_cli_login_with_case (cli, case_ref, &case_id, &rc);
  if (session == NULL)
    return rc;
  list = ct_store_list_media (cli->store, case_id, &error);
  if (list == NULL)
    return ct_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        add_media_json (b, list->pdata[i]);
      json_builder_end_array (b);
      ct_cli_print_json (b);
      return CT_EXIT_OK;
    }
  if (list->len == 0)
    g_print (_("No media.\n"));
  for (guint i = 0; i < list->len; i++)
    {
      CtMedia *m = list->pdata[i];
      g_autofree char *flags = media_flags (m);
      g_autofree char *size = format_size (m->size);
      g_print ("%4" PRId64 "  %.12s  %-24s  %-8s  %-24s  %-14s  %s%s\n", m->id, m->sha256, m->original_name,
               ct_media_kind_to_id (m->kind), m->recorded_at ? m->recorded_at : "-",
               m->case_number ? m->case_number : "-", size, flags);
    }
  return CT_EXIT_OK;
}

int
ct_cli_media_show (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtMedia) m = NULL;
  g_autofree char *flags = NULL;
  g_autofree char *officers = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("media show", entries, &argc, &argv, N_("MEDIUM")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("media show needs one medium number or SHA-256."));
  session = ct_cli_login (cli, &error);
  if (session == NULL)
    return ct_cli_fail (error);
  m = ct_store_get_media (cli->store, argv[1], &error);
  if (m == NULL)
    return ct_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      add_media_json (b, m);
      ct_cli_print_json (b);
      return CT_EXIT_OK;
    }
  flags = media_flags (m);
  officers = g_strjoinv (", ", m->officer_names);
  g_print (_("Medium %" PRId64 ": %s%s\n"), m->id, m->original_name, flags);
  g_print ("  %-16s %s\n", _("SHA-256"), m->sha256);
  if (m->sm3 != NULL)
    g_print ("  %-16s %s\n", _("SM3"), m->sm3);
  g_print ("  %-16s %" G_GUINT64_FORMAT "\n", _("Size (bytes)"), m->size);
  g_print ("  %-16s %s\n", _("Kind"), ct_media_kind_to_id (m->kind));
  if (m->kind == CT_MEDIA_KIND_DOCUMENT)
    g_print ("  %-16s %u\n", _("Pages"), m->pages);
  else
    g_print ("  %-16s %.3f s\n", _("Duration"), m->duration_ms / 1000.0);
  g_print ("  %-16s %s (%s)\n", _("Recorded at"), m->recorded_at ? m->recorded_at : _("unknown"),
           m->recorded_at_source ? m->recorded_at_source : "-");
  g_print ("  %-16s %s\n", _("Stored at"), m->stored_at);
  g_print ("  %-16s %s\n", _("Storage due"), m->storage_due ? m->storage_due : "-");
  g_print ("  %-16s %s\n", _("Case"), m->case_number ? m->case_number : "-");
  g_print ("  %-16s %s\n", _("Category"), ct_media_category_label (m->category));
  g_print ("  %-16s %s\n", _("Officers"), officers);
  g_print ("  %-16s %s\n", _("Device"), m->device ? m->device : "-");
  g_print ("  %-16s %s\n", _("Place"), m->place ? m->place : "-");
  g_print ("  %-16s %s\n", _("Title"), m->title ? m->title : "-");
  g_print ("  %-16s %s\n", _("Party"), m->party ? m->party : "-");
  g_print ("  %-16s %s\n", _("Cause"), m->cause ? m->cause : "-");
  g_print ("  %-16s %s (%s)\n", _("Imported by"), m->imported_by_name, m->imported_by);
  g_print ("  %-16s %s\n", _("Imported from"), m->source_path);
  g_print ("  %-16s %s%s%s\n", _("Probe"), m->probe_status, m->probe_reason ? ": " : "",
           m->probe_reason ? m->probe_reason : "");
  g_print ("  %-16s %s\n", _("Keep until"), m->held ? _("held long-term")
                                            : m->retain_until ? m->retain_until : _("not yet known"));
  if (m->disposed_at != NULL)
    g_print ("  %-16s %s\n", _("Disposed of"), m->disposed_at);
  if (m->parent_id != 0)
    {
      g_autofree char *from = ct_format_offset (m->clip_start_ms);
      g_autofree char *to = ct_format_offset (m->clip_end_ms);
      g_autofree char *afrom = ct_format_offset (m->clip_actual_start_ms);
      g_autofree char *ato = ct_format_offset (m->clip_actual_end_ms);

      g_print ("  %-16s ", _("Clip of"));
      g_print (_("medium %" PRId64 " “%s” (SHA-256 %s)\n"), m->parent_id, m->parent_name, m->parent_sha256);
      g_print ("  %-16s %s–%s\n", _("Range asked"), from, to);
      g_print ("  %-16s %s–%s (%s)\n", _("Range copied"), afrom, ato,
               g_strcmp0 (m->derive_method, "stream-copy") == 0
               ? _("stream copy: starts at the keyframe at or before the start asked")
               : m->derive_method);
    }
  return CT_EXIT_OK;
}

/* ---- editing ---------------------------------------------------------------------------- */

static CtMedia *
open_media (Cli        *cli,
            const char *ref,
            CtSession **session,
            int        *rc)
{
  g_autoptr(GError) error = NULL;
  CtMedia *m;

  *session = ct_cli_login (cli, &error);
  if (*session == NULL)
    {
      *rc = ct_cli_fail (error);
      return NULL;
    }
  m = ct_store_get_media (cli->store, ref, &error);
  if (m == NULL)
    *rc = ct_cli_fail (error);
  return m;
}

int
ct_cli_media_edit (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtMedia) m = NULL;
  g_autofree char *case_ref = NULL, *device = NULL, *category = NULL, *recorded_at = NULL;
  g_autofree char *place = NULL, *title = NULL, *party = NULL, *cause = NULL, *kind = NULL;
  g_auto(GStrv) officers = NULL;
  CtMediaSpec spec = { 0 };
  int rc = CT_EXIT_OK;
  GOptionEntry entries[] = {
    { "case", 0, 0, G_OPTION_ARG_STRING, &case_ref, N_("Attach to this case (\"\" detaches)"), N_("CASE") },
    { "officer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &officers, N_("Officer who recorded it (repeat for more)"), N_("USER") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("Recording device number"), N_("D") },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category, N_("patrol or evidence"), N_("C") },
    { "recorded-at", 0, 0, G_OPTION_ARG_STRING, &recorded_at, N_("When it was recorded (ISO 8601)"), N_("TIME") },
    { "place", 0, 0, G_OPTION_ARG_STRING, &place, N_("Where it was recorded"), N_("PLACE") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("Name (004 第十六条)"), N_("TEXT") },
    { "party", 0, 0, G_OPTION_ARG_STRING, &party, N_("Party of the case"), N_("TEXT") },
    { "cause", 0, 0, G_OPTION_ARG_STRING, &cause, N_("Cause of the case"), N_("TEXT") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("A picture is a photo or a scanned document"), N_("photo|document") },
    { NULL }
  };

  if (!ct_cli_parse_options ("media edit", entries, &argc, &argv, N_("MEDIUM")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("media edit needs one medium number or SHA-256."));
  m = open_media (cli, argv[1], &session, &rc);
  if (m == NULL)
    return rc;
  spec.case_ref = case_ref;
  spec.officers = (const char * const *) officers;
  spec.device = device;
  spec.category = category;
  spec.recorded_at = recorded_at;
  spec.place = place;
  spec.title = title;
  spec.party = party;
  spec.cause = cause;
  spec.kind = kind;
  if (!ct_store_update_media (cli->store, session, m->id, &spec, &error))
    return ct_cli_fail (error);
  g_print (_("Medium %" PRId64 " updated.\n"), m->id);
  return CT_EXIT_OK;
}

/* ---- interruptions ------------------------------------------------------------------------ */

int
ct_cli_media_gaps (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtCase) c = NULL;
  g_autoptr(GPtrArray) gaps = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("media gaps", entries, &argc, &argv, N_("CASE")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("media gaps needs one case id or number."));
  session = ct_cli_login (cli, &error);
  if (session == NULL)
    return ct_cli_fail (error);
  c = ct_store_get_case (cli->store, session, argv[1], &error);
  if (c == NULL)
    return ct_cli_fail (error);
  gaps = ct_store_list_interruptions (cli->store, c->id, &error);
  if (gaps == NULL)
    return ct_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_array (b);
      for (guint i = 0; i < gaps->len; i++)
        {
          CtInterruption *it = gaps->pdata[i];
          json_builder_begin_object (b);
          ct_json_member_int (b, "before", it->before_id);
          json_builder_set_member_name (b, "after");
          if (it->after_id != 0)
            json_builder_add_int_value (b, it->after_id);
          else
            json_builder_add_null_value (b);
          ct_json_member_str (b, "officer", it->officer);
          ct_json_member_str (b, "device", it->device);
          ct_json_member_str (b, "stopped_at", it->stopped_at);
          ct_json_member_str (b, "resumed_at", it->resumed_at);
          ct_json_member_int (b, "gap_seconds", it->gap_seconds);
          ct_json_member_bool (b, "explained", it->explained);
          ct_json_member_str (b, "reason", it->has_reason ? ct_interruption_reason_to_id (it->reason) : NULL);
          ct_json_member_str (b, "explanation", it->explanation);
          ct_json_member_str (b, "explained_by", it->explained_by);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      ct_cli_print_json (b);
      return CT_EXIT_OK;
    }
  if (gaps->len == 0)
    g_print (_("Case %s: no interruptions.\n"), c->number);
  for (guint i = 0; i < gaps->len; i++)
    {
      CtInterruption *it = gaps->pdata[i];
      g_autofree char *what = it->after_id != 0
        ? g_strdup_printf (_("%" PRId64 " → %" PRId64 ", %" PRId64 " s gap"), it->before_id, it->after_id, it->gap_seconds)
        : g_strdup_printf (_("%" PRId64 " → did not resume"), it->before_id);
      g_print ("%s %s  %s  %s%s%s\n", it->explained ? "✓" : "✗", what, it->officer ? it->officer : "-",
               it->has_reason ? ct_interruption_reason_label (it->reason) : _("no reason given"),
               it->explanation ? ": " : "", it->explanation ? it->explanation : "");
    }
  return CT_EXIT_OK;
}

int
ct_cli_media_explain (Cli   *cli,
                      int    argc,
                      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtMedia) before = NULL;
  g_autoptr(CtMedia) after = NULL;
  g_autofree char *after_ref = NULL;
  g_autofree char *reason_id = NULL;
  g_autofree char *text = NULL;
  gboolean not_resumed = FALSE;
  CtInterruptionReason reason;
  int rc = CT_EXIT_OK;
  GOptionEntry entries[] = {
    { "after", 0, 0, G_OPTION_ARG_STRING, &after_ref, N_("The medium where recording resumed"), N_("MEDIUM") },
    { "not-resumed", 0, 0, G_OPTION_ARG_NONE, &not_resumed, N_("Recording did not resume"), NULL },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason_id, N_("device-fault, battery, storage, weather, obstruction or other"), N_("R") },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, N_("Written explanation"), N_("TEXT") },
    { NULL }
  };

  if (!ct_cli_parse_options ("media explain", entries, &argc, &argv, N_("MEDIUM")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("media explain needs the medium after which recording stopped."));
  if ((after_ref == NULL) == !not_resumed)
    return ct_cli_usage_error (_("Give either --after MEDIUM or --not-resumed."));
  if (reason_id == NULL || !ct_interruption_reason_from_id (reason_id, &reason))
    return ct_cli_usage_error (_("--reason is one of device-fault, battery, storage, weather, obstruction, other."));
  before = open_media (cli, argv[1], &session, &rc);
  if (before == NULL)
    return rc;
  if (after_ref != NULL)
    {
      after = ct_store_get_media (cli->store, after_ref, &error);
      if (after == NULL)
        return ct_cli_fail (error);
    }
  if (!ct_store_explain_interruption (cli->store, session, before->id, after ? after->id : 0, reason, text, &error))
    return ct_cli_fail (error);
  g_print (_("Interruption after medium %" PRId64 " explained.\n"), before->id);
  return CT_EXIT_OK;
}

/* ---- retention ---------------------------------------------------------------------------- */

int
ct_cli_media_hold (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtMedia) m = NULL;
  g_autofree char *reason = NULL;
  gboolean lift = FALSE;
  int rc = CT_EXIT_OK;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why (004 第十三条)"), N_("TEXT") },
    { "lift", 0, 0, G_OPTION_ARG_NONE, &lift, N_("Lift the hold (supervisors)"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("media hold", entries, &argc, &argv, N_("MEDIUM")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("media hold needs one medium number or SHA-256."));
  m = open_media (cli, argv[1], &session, &rc);
  if (m == NULL)
    return rc;
  if (!ct_store_hold_media (cli->store, session, m->id, !lift, reason, &error))
    return ct_cli_fail (error);
  g_print (lift ? _("Medium %" PRId64 ": long-term hold lifted.\n")
                : _("Medium %" PRId64 " is held long-term.\n"), m->id);
  return CT_EXIT_OK;
}

int
ct_cli_media_dispose (Cli   *cli,
                      int    argc,
                      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtMedia) m = NULL;
  g_autofree char *reason = NULL;
  int rc = CT_EXIT_OK;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why it is disposed of"), N_("TEXT") },
    { NULL }
  };

  if (!ct_cli_parse_options ("media dispose", entries, &argc, &argv, N_("MEDIUM")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("media dispose needs one medium number or SHA-256."));
  m = open_media (cli, argv[1], &session, &rc);
  if (m == NULL)
    return rc;
  if (!ct_store_dispose_media (cli->store, session, m->id, reason, &error))
    return ct_cli_fail (error);
  g_print (_("Medium %" PRId64 " (%s, SHA-256 %s) disposed of; the tombstone is in the audit log.\n"),
           m->id, m->original_name, m->sha256);
  return CT_EXIT_OK;
}

/* ---- verification --------------------------------------------------------------------------- */

typedef struct {
  gboolean json;
  gboolean tty;
  gint64   last;
  JsonBuilder *problems;
} Verify;

static void
verify_one (const char    *sha256,
            const CtMedia *m,
            const GError  *error,
            gpointer       user_data)
{
  Verify *v = user_data;

  if (error == NULL)
    return;
  if (v->tty)
    g_printerr ("\r\033[K");
  json_builder_begin_object (v->problems);
  ct_json_member_str (v->problems, "sha256", sha256);
  json_builder_set_member_name (v->problems, "media");
  if (m != NULL)
    json_builder_add_int_value (v->problems, m->id);
  else
    json_builder_add_null_value (v->problems);
  ct_json_member_str (v->problems, "problem", g_error_matches (error, CT_ERROR, CT_ERROR_NOT_FOUND) ? "missing" : "mismatch");
  ct_json_member_str (v->problems, "message", error->message);
  json_builder_end_object (v->problems);
  if (!v->json)
    g_print ("✗ %s: %s\n", m != NULL ? m->original_name : sha256, error->message);
}

static void
verify_progress (guint    objects_done,
                 guint64  bytes_done,
                 double   bytes_per_second,
                 gpointer user_data)
{
  Verify *v = user_data;
  gint64 now = g_get_monotonic_time ();

  if (!v->tty || now - v->last < 200 * 1000)
    return;
  v->last = now;
  g_printerr ("\r\033[K%u  %.0f MB  %.0f MB/s", objects_done, bytes_done / MB, bytes_per_second / MB);
}

int
ct_cli_media_verify (Cli   *cli,
                     int    argc,
                     char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(JsonBuilder) problems = json_builder_new ();
  g_autofree char *case_ref = NULL;
  gboolean cold = FALSE;
  gint64 case_id = 0;
  int rc = CT_EXIT_OK;
  CtMediaVerifyReport report = { 0 };
  Verify v = { 0 };
  gboolean ok;
  GOptionEntry entries[] = {
    { "case", 0, 0, G_OPTION_ARG_STRING, &case_ref, N_("Only this case's media"), N_("CASE") },
    { "cold", 0, 0, G_OPTION_ARG_NONE, &cold, N_("Read from the disk, not the page cache"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("media verify", entries, &argc, &argv, NULL))
    return CT_EXIT_USAGE;
  if (argc != 1)
    return ct_cli_usage_error (_("media verify takes no arguments; use --case CASE."));
  session = ct_cli_login_with_case (cli, case_ref, &case_id, &rc);
  if (session == NULL)
    return rc;

  v.json = cli->json;
  v.tty = !cli->json && isatty (STDERR_FILENO);
  v.problems = problems;
  json_builder_begin_array (problems);
  ok = ct_store_verify_media (cli->store, session, case_id, cold, verify_one, verify_progress, &v, NULL,
                              &report, &error);
  json_builder_end_array (problems);
  if (v.tty)
    g_printerr ("\r\033[K");
  if (!ok && !g_error_matches (error, CT_ERROR, CT_ERROR_INTEGRITY))
    return ct_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      ct_json_member_bool (b, "ok", ok);
      ct_json_member_int (b, "checked", report.n_checked);
      ct_json_member_int (b, "mismatched", report.n_bad);
      ct_json_member_int (b, "missing", report.n_missing);
      ct_json_member_int (b, "unrecorded", report.n_unrecorded);
      ct_json_member_int (b, "bytes", (gint64) report.bytes);
      ct_json_member_double (b, "seconds", report.seconds);
      ct_json_member_double (b, "mb_per_second", report.bytes_per_second / MB);
      json_builder_set_member_name (b, "problems");
      json_builder_add_value (b, json_builder_get_root (problems));
      json_builder_end_object (b);
      ct_cli_print_json (b);
    }
  else
    {
      g_autofree char *size = format_size (report.bytes);
      g_print (_("%u objects checked (%s in %.1f s, %.0f MB/s): %u mismatched, %u missing, %u unrecorded.\n"),
               report.n_checked, size, report.seconds, report.bytes_per_second / MB,
               report.n_bad, report.n_missing, report.n_unrecorded);
    }
  return ok ? CT_EXIT_OK : CT_EXIT_INTEGRITY;
}

/* ---- opening and legal review (ct-review.h) ------------------------------------------------------ */

int
ct_cli_media_open (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtMedia) m = NULL;
  g_autofree char *path = NULL;
  int rc = CT_EXIT_OK;
  GOptionEntry entries[] = { { NULL } };

  if (!ct_cli_parse_options ("media open", entries, &argc, &argv, N_("MEDIUM")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("media open needs one medium number or SHA-256."));
  m = open_media (cli, argv[1], &session, &rc);
  if (m == NULL)
    return rc;
  path = ct_store_open_media (cli->store, session, m->id, FALSE, &error);
  if (path == NULL)
    return ct_cli_fail (error);
  g_print ("%s\n", path);
  return CT_EXIT_OK;
}

int
ct_cli_media_annotate (Cli   *cli,
                       int    argc,
                       char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtMedia) m = NULL;
  g_autofree char *at = NULL, *to = NULL, *code_id = NULL, *text = NULL;
  CtReviewCode code;
  gint64 start_ms, end_ms = -1, id;
  int rc = CT_EXIT_OK;
  GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, N_("Where: an offset such as 1:02.5"), N_("TIME") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("End of a range"), N_("TIME") },
    { "code", 0, 0, G_OPTION_ARG_STRING, &code_id, N_("compliant, not-announced, late-start, early-stop, unexplained-interruption, certificate-not-shown or other"), N_("CODE") },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, N_("What was found"), N_("TEXT") },
    { NULL }
  };

  if (!ct_cli_parse_options ("media annotate", entries, &argc, &argv, N_("MEDIUM")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("media annotate needs one medium number or SHA-256."));
  if (at == NULL || !ct_parse_offset (at, &start_ms) || (to != NULL && !ct_parse_offset (to, &end_ms)))
    return ct_cli_usage_error (_("--at (and --to) take an offset into the recording, e.g. 75, 1:15 or 0:01:15.250."));
  if (code_id == NULL || !ct_review_code_from_id (code_id, &code))
    return ct_cli_usage_error (_("--code is one of compliant, not-announced, late-start, early-stop, "
                                 "unexplained-interruption, certificate-not-shown, other."));
  m = open_media (cli, argv[1], &session, &rc);
  if (m == NULL)
    return rc;
  id = ct_store_annotate (cli->store, session, m->id, start_ms, end_ms, code, text, &error);
  if (id == 0)
    return ct_cli_fail (error);
  g_print (_("Annotation %" PRId64 " added to medium %" PRId64 ".\n"), id, m->id);
  return CT_EXIT_OK;
}

int
ct_cli_media_annotations (Cli   *cli,
                          int    argc,
                          char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtMedia) m = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *case_ref = NULL, *code_id = NULL, *author = NULL;
  gboolean csv = FALSE, withdrawn = FALSE;
  CtAnnotationFilter filter = { 0 };
  int rc = CT_EXIT_OK;
  GOptionEntry entries[] = {
    { "case", 0, 0, G_OPTION_ARG_STRING, &case_ref, N_("Only this case's media"), N_("CASE") },
    { "code", 0, 0, G_OPTION_ARG_STRING, &code_id, N_("Only this result code"), N_("CODE") },
    { "author", 0, 0, G_OPTION_ARG_STRING, &author, N_("Only this reviewer's"), N_("USER") },
    { "withdrawn", 0, 0, G_OPTION_ARG_NONE, &withdrawn, N_("Include withdrawn annotations"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("Print CSV"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("media annotations", entries, &argc, &argv, N_("[MEDIUM]")))
    return CT_EXIT_USAGE;
  if (argc > 2)
    return ct_cli_usage_error (_("media annotations takes at most one medium."));
  if (code_id != NULL && !ct_review_code_from_id (code_id, &filter.code))
    return ct_cli_usage_error (_("--code is one of compliant, not-announced, late-start, early-stop, "
                                 "unexplained-interruption, certificate-not-shown, other."));
  filter.has_code = code_id != NULL;
  filter.author = author;
  filter.include_withdrawn = withdrawn;
  session = ct_cli_login_with_case (cli, case_ref, &filter.case_id, &rc);
  if (session == NULL)
    return rc;
  if (argc == 2)
    {
      m = ct_store_get_media (cli->store, argv[1], &error);
      if (m == NULL)
        return ct_cli_fail (error);
      filter.media_id = m->id;
    }
  list = ct_store_list_annotations (cli->store, &filter, &error);
  if (list == NULL)
    return ct_cli_fail (error);
  if (csv)
    {
      g_autofree char *out = ct_annotations_to_csv (list);
      fputs (out, stdout);
    }
  else if (cli->json)
    {
      g_autofree char *out = ct_annotations_to_json (list);
      g_print ("%s\n", out);
    }
  else
    {
      if (list->len == 0)
        g_print (_("No annotations.\n"));
      for (guint i = 0; i < list->len; i++)
        {
          CtAnnotation *a = list->pdata[i];
          g_autofree char *start = ct_format_offset (a->start_ms);
          g_autofree char *end = a->end_ms >= 0 ? ct_format_offset (a->end_ms) : NULL;
          g_print ("%4" PRId64 "  %s  %s%s%s  %s  %s%s%s  (%s)%s\n", a->id, a->media_name, start,
                   end ? "–" : "", end ? end : "", a->start_wall ? a->start_wall : "-",
                   ct_review_code_label (a->code), *a->text ? ": " : "", a->text, a->author_name,
                   a->withdrawn_at ? _(" [withdrawn]") : "");
        }
    }
  return CT_EXIT_OK;
}

int
ct_cli_media_withdraw (Cli   *cli,
                       int    argc,
                       char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autofree char *reason = NULL;
  guint64 id;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why it is withdrawn"), N_("TEXT") },
    { NULL }
  };

  if (!ct_cli_parse_options ("media withdraw-annotation", entries, &argc, &argv, N_("ANNOTATION")))
    return CT_EXIT_USAGE;
  if (argc != 2 || !g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXINT64, &id, NULL))
    return ct_cli_usage_error (_("media withdraw-annotation needs one annotation number."));
  session = ct_cli_login (cli, &error);
  if (session == NULL)
    return ct_cli_fail (error);
  if (!ct_store_withdraw_annotation (cli->store, session, (gint64) id, reason, &error))
    return ct_cli_fail (error);
  g_print (_("Annotation %" PRIu64 " withdrawn.\n"), id);
  return CT_EXIT_OK;
}

int
ct_cli_review_queue (Cli   *cli,
                     int    argc,
                     char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("review queue", entries, &argc, &argv, NULL))
    return CT_EXIT_USAGE;
  if (argc != 1)
    return ct_cli_usage_error (_("review queue takes no arguments."));
  session = ct_cli_login (cli, &error);
  if (session == NULL)
    return ct_cli_fail (error);
  queue = ct_store_review_queue (cli->store, session, &error);
  if (queue == NULL)
    return ct_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_array (b);
      for (guint i = 0; i < queue->len; i++)
        {
          CtReviewItem *item = queue->pdata[i];
          json_builder_begin_object (b);
          ct_json_member_str (b, "case", item->case_number);
          ct_json_member_str (b, "cause", item->cause);
          ct_json_member_int (b, "media_id", item->media_id);
          ct_json_member_str (b, "media", item->media_name);
          ct_json_member_int (b, "duration_ms", item->duration_ms);
          ct_json_member_str (b, "recorded_at", item->recorded_at);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      ct_cli_print_json (b);
      return CT_EXIT_OK;
    }
  if (queue->len == 0)
    g_print (_("Nothing waits for review.\n"));
  for (guint i = 0; i < queue->len; i++)
    {
      CtReviewItem *item = queue->pdata[i];
      g_autofree char *dur = ct_format_offset (item->duration_ms);
      g_print ("%s  %s  %4" PRId64 "  %s  %s\n", item->case_number, item->cause, item->media_id,
               item->media_name, dur);
    }
  return CT_EXIT_OK;
}

int
ct_cli_media_clip (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtMedia) m = NULL;
  g_autofree char *form = NULL, *field = NULL, *in = NULL, *out = NULL, *label = NULL;
  gint64 start_ms, end_ms;
  int rc = CT_EXIT_OK;
  GOptionEntry entries[] = {
    { "form", 0, 0, G_OPTION_ARG_STRING, &form, N_("The form template (e.g. questioning_record)"), N_("TEMPLATE") },
    { "field", 0, 0, G_OPTION_ARG_STRING, &field, N_("Its clip field (e.g. av_recording)"), N_("FIELD") },
    { "in", 0, 0, G_OPTION_ARG_STRING, &in, N_("Where the clip starts"), N_("TIME") },
    { "out", 0, 0, G_OPTION_ARG_STRING, &out, N_("Where it ends"), N_("TIME") },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, N_("What the clip shows"), N_("TEXT") },
    { NULL }
  };

  if (!ct_cli_parse_options ("media clip", entries, &argc, &argv, N_("MEDIUM")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("media clip needs one medium number or SHA-256."));
  if (form == NULL || field == NULL)
    return ct_cli_usage_error (_("media clip needs --form TEMPLATE and --field FIELD."));
  if (in == NULL || out == NULL || !ct_parse_offset (in, &start_ms) || !ct_parse_offset (out, &end_ms))
    return ct_cli_usage_error (_("--in and --out take offsets into the recording, e.g. 75, 1:15 or 0:01:15.250."));
  m = open_media (cli, argv[1], &session, &rc);
  if (m == NULL)
    return rc;
  if (!ct_store_attach_clip (cli->store, session, m->id, form, field, start_ms, end_ms, label, &error))
    return ct_cli_fail (error);
  g_print (_("Clip %s–%s of medium %" PRId64 " attached to %s.%s.\n"), in, out, m->id, form, field);
  return CT_EXIT_OK;
}

int
ct_cli_media_scan (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtMedia) m = NULL;
  g_autofree char *form = NULL, *field = NULL, *pages = NULL, *label = NULL;
  int rc = CT_EXIT_OK;
  GOptionEntry entries[] = {
    { "form", 0, 0, G_OPTION_ARG_STRING, &form, N_("The form template (e.g. service_receipt)"), N_("TEMPLATE") },
    { "field", 0, 0, G_OPTION_ARG_STRING, &field, N_("Its scan field (e.g. signed_receipt)"), N_("FIELD") },
    { "pages", 0, 0, G_OPTION_ARG_STRING, &pages, N_("Which pages, e.g. 1-2 (default: all)"), N_("PAGES") },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, N_("What the document is"), N_("TEXT") },
    { NULL }
  };

  if (!ct_cli_parse_options ("media scan", entries, &argc, &argv, N_("MEDIUM")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("media scan needs one medium number or SHA-256."));
  if (form == NULL || field == NULL)
    return ct_cli_usage_error (_("media scan needs --form TEMPLATE and --field FIELD."));
  m = open_media (cli, argv[1], &session, &rc);
  if (m == NULL)
    return rc;
  if (!ct_store_attach_scan (cli->store, session, m->id, form, field, pages, label, &error))
    return ct_cli_fail (error);
  g_print (_("Scanned document %" PRId64 " attached to %s.%s.\n"), m->id, form, field);
  return CT_EXIT_OK;
}

int
ct_cli_media_export_clip (Cli   *cli,
                          int    argc,
                          char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtMedia) m = NULL;
  g_autoptr(CtMedia) clip = NULL;
  g_autofree char *in = NULL, *out = NULL;
  g_autofree char *id_str = NULL;
  gint64 start_ms, end_ms, id;
  int rc = CT_EXIT_OK;
  GOptionEntry entries[] = {
    { "in", 0, 0, G_OPTION_ARG_STRING, &in, N_("Where the clip starts"), N_("TIME") },
    { "out", 0, 0, G_OPTION_ARG_STRING, &out, N_("Where it ends"), N_("TIME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("media export-clip", entries, &argc, &argv, N_("MEDIUM")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("media export-clip needs one medium number or SHA-256."));
  if (in == NULL || out == NULL || !ct_parse_offset (in, &start_ms) || !ct_parse_offset (out, &end_ms))
    return ct_cli_usage_error (_("--in and --out take offsets into the recording, e.g. 75, 1:15 or 0:01:15.250."));
  m = open_media (cli, argv[1], &session, &rc);
  if (m == NULL)
    return rc;
  id = ct_store_export_clip (cli->store, session, m->id, start_ms, end_ms, NULL, &error);
  if (id == 0)
    return ct_cli_fail (error);
  id_str = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  clip = ct_store_get_media (cli->store, id_str, &error);
  if (clip == NULL)
    return ct_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      add_media_json (b, clip);
      ct_cli_print_json (b);
      return CT_EXIT_OK;
    }
  {
    g_autofree char *from = ct_format_offset (clip->clip_actual_start_ms);
    g_autofree char *to = ct_format_offset (clip->clip_actual_end_ms);
    g_print (_("Medium %" PRId64 " “%s”: %s–%s of medium %" PRId64 ", copied without re-encoding.\n"),
             clip->id, clip->original_name, from, to, m->id);
    g_print ("  %-16s %s\n", _("SHA-256"), clip->sha256);
    if (clip->clip_actual_start_ms < clip->clip_start_ms)
      {
        g_autofree char *asked = ct_format_offset (clip->clip_start_ms);
        g_print (_("  It starts at the keyframe before %s: a copied video can start only at a keyframe.\n"), asked);
      }
  }
  return CT_EXIT_OK;
}

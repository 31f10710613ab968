/* ct-cli-bundle.c — casetrail-cli bundle export|verify */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ct-bundle.h"
#include "ct-dossier.h"
#include "ct-cli.h"
#include "ct-cli-json.h"
#include "ct-error.h"
#include "ct-statement.h"

int
ct_cli_bundle_export (Cli   *cli,
                      int    argc,
                      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autofree char *case_ref = NULL, *out = NULL;
  gboolean no_media = FALSE, clips_only = FALSE;
  gint64 case_id = 0;
  int rc = CT_EXIT_OK;
  CtBundleOptions options = { TRUE };
  GOptionEntry entries[] = {
    { "case", 0, 0, G_OPTION_ARG_STRING, &case_ref, N_("The case to export"), N_("CASE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("The new folder to write"), N_("DIR") },
    { "no-media", 0, 0, G_OPTION_ARG_NONE, &no_media, N_("List the media without copying them"), NULL },
    { "clips-only", 0, 0, G_OPTION_ARG_NONE, &clips_only,
      N_("Copy only the clips exported from recordings; list the originals"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("bundle export", entries, &argc, &argv, NULL))
    return CT_EXIT_USAGE;
  if (argc != 1 || case_ref == NULL || out == NULL)
    return ct_cli_usage_error (_("bundle export needs --case CASE and --output DIR."));
  session = ct_cli_login_with_case (cli, case_ref, &case_id, &rc);
  if (session == NULL)
    return rc;
  if (no_media && clips_only)
    return ct_cli_usage_error (_("Choose either --no-media or --clips-only."));
  options.include_media = !no_media;
  options.clips_only = clips_only;
  options.render_dossier = ct_dossier_for_bundle;
  if (!ct_store_export_bundle (cli->store, session, case_id, out, &options, NULL, &error))
    return ct_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      ct_json_member_bool (b, "ok", TRUE);
      ct_json_member_str (b, "folder", out);
      json_builder_end_object (b);
      ct_cli_print_json (b);
    }
  else
    g_print (_("Exported to %s. Check it with: casetrail-cli bundle verify %s\n"), out, out);
  return CT_EXIT_OK;
}

int
ct_cli_bundle_verify (Cli   *cli,
                      int    argc,
                      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *trust = NULL;
  CtBundleReport report = { 0 };
  gboolean ok;
  GOptionEntry entries[] = {
    { "trust", 0, 0, G_OPTION_ARG_STRING, &trust,
      N_("The agency's published key fingerprint the export must be signed with"), N_("FINGERPRINT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("bundle verify", entries, &argc, &argv, N_("DIR")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("bundle verify takes one folder."));

  ok = ct_bundle_verify (argv[1], trust, &report, &error);
  if (!ok && report.problems != NULL && report.problems->len == 0)
    {
      ct_bundle_report_clear (&report);
      return ct_cli_fail (error);
    }
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      ct_json_member_bool (b, "ok", ok);
      ct_json_member_str (b, "case", report.case_number);
      ct_json_member_str (b, "exported_at", report.exported_at);
      ct_json_member_str (b, "exported_by", report.exported_by);
      ct_json_member_str (b, "signer_fingerprint", report.signer_fingerprint);
      ct_json_member_int (b, "files", report.files_checked);
      ct_json_member_int (b, "bytes", (gint64) report.bytes_checked);
      ct_json_member_int (b, "signatures", report.signatures_checked);
      ct_json_member_int (b, "audit_rows", report.audit_rows);
      ct_json_member_strings (b, "problems", report.problems);
      json_builder_end_object (b);
      ct_cli_print_json (b);
    }
  else
    {
      g_print (_("Case %s, exported %s by %s, signed with %s (%s).\n"),
               report.case_number ?: "?", report.exported_at ?: "?", report.exported_by ?: "?",
               report.signer_fingerprint ?: "?", report.signer_alg ?: "?");
      g_print (_("%u files (%" PRIu64 " bytes), %u signatures, %u audit rows checked.\n"),
               report.files_checked, report.bytes_checked, report.signatures_checked,
               report.audit_rows);
      for (guint i = 0; i < report.problems->len; i++)
        g_print ("  ✗ %s\n", (const char *) g_ptr_array_index (report.problems, i));
      if (ok)
        g_print (_("The export verifies. Compare the signing key's fingerprint with the one "
                   "the agency publishes.\n"));
      else
        g_print ("%s\n", error->message);
    }
  ct_bundle_report_clear (&report);
  return ok ? CT_EXIT_OK : CT_EXIT_INTEGRITY;
}

int
ct_cli_media_statements (Cli   *cli,
                         int    argc,
                         char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(CtCase) c = NULL;
  g_autofree char *case_ref = NULL;
  gint64 case_id = 0;
  int rc = CT_EXIT_OK;
  GOptionEntry entries[] = {
    { "case", 0, 0, G_OPTION_ARG_STRING, &case_ref, N_("The case"), N_("CASE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("media statements", entries, &argc, &argv, NULL))
    return CT_EXIT_USAGE;
  if (argc != 1 || case_ref == NULL)
    return ct_cli_usage_error (_("media statements needs --case CASE."));
  session = ct_cli_login_with_case (cli, case_ref, &case_id, &rc);
  if (session == NULL)
    return rc;
  c = ct_store_get_case (cli->store, session, case_ref, &error);
  if (c == NULL)
    return ct_cli_fail (error);
  list = ct_store_av_statements (cli->store, case_id, &error);
  if (list == NULL)
    return ct_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        {
          const CtAvStatement *s = g_ptr_array_index (list, i);
          g_autofree char *text = ct_av_statement_to_text (s, c->number);
          json_builder_begin_object (b);
          ct_json_member_int (b, "number", s->number);
          ct_json_member_int (b, "media_id", s->media_id);
          ct_json_member_str (b, "file", s->file_name);
          ct_json_member_str (b, "sha256", s->sha256);
          ct_json_member_str (b, "sm3", s->sm3);
          ct_json_member_str (b, "officers", s->officers);
          ct_json_member_str (b, "device", s->device);
          ct_json_member_str (b, "place", s->place);
          ct_json_member_str (b, "from", s->time_from);
          ct_json_member_str (b, "to", s->time_to);
          ct_json_member_str (b, "proves", s->proves);
          ct_json_member_int (b, "start_ms", s->start_ms);
          ct_json_member_int (b, "end_ms", s->end_ms);
          ct_json_member_str (b, "text", text);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      ct_cli_print_json (b);
    }
  else
    {
      if (list->len == 0)
        g_print (_("No recording of case %s is used as evidence yet.\n"), c->number);
      for (guint i = 0; i < list->len; i++)
        {
          g_autofree char *text = ct_av_statement_to_text (g_ptr_array_index (list, i), c->number);
          g_print ("%s%s", i > 0 ? "\n" : "", text);
        }
    }
  return CT_EXIT_OK;
}

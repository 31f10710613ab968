/* ct-cli-dossier.c — casetrail-cli dossier, case archive */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "ct-cli.h"
#include "ct-dossier.h"
#include "ct-error.h"

static gboolean
write_file (const char  *path,
            GBytes      *data,
            GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents (path, g_bytes_get_data (data, NULL), (gssize) g_bytes_get_size (data), &local))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_IO, _("Could not write the dossier to %s: %s"), path, local->message);
      return FALSE;
    }
  return TRUE;
}

int
ct_cli_dossier (Cli   *cli,
                int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(CtCaseArchive) archive = NULL;
  g_autofree char *case_ref = NULL;
  g_autofree char *output = NULL;
  g_autofree char *sha = NULL;
  gboolean archived = FALSE;
  gint64 case_id = 0;
  guint pages = 0;
  int rc;
  GOptionEntry entries[] = {
    { "case", 0, 0, G_OPTION_ARG_STRING, &case_ref, N_("The case (id or number)"), N_("CASE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the PDF to FILE"), N_("FILE") },
    { "archived", 0, 0, G_OPTION_ARG_NONE, &archived, N_("Write out the archived copy, verified, instead of making one"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("dossier", entries, &argc, &argv, NULL))
    return CT_EXIT_USAGE;
  if (argc != 1 || case_ref == NULL || output == NULL)
    return ct_cli_usage_error (_("dossier needs --case CASE -o FILE.pdf."));

  session = ct_cli_login_with_case (cli, case_ref, &case_id, &rc);
  if (session == NULL)
    return rc;
  if (archived)
    {
      /* as the app's "Save Archived Dossier…": verified, written, read
       * back, audited with the file it went to */
      g_autofree char *target = g_canonicalize_filename (output, NULL);

      if (!ct_store_save_case_archive (cli->store, session, case_id, target, &archive, &error))
        return ct_cli_fail (error);
      pages = archive->pages;
      sha = g_strdup (archive->sha256);
    }
  else
    {
      pdf = ct_store_render_dossier (cli->store, session, case_id, 0, output, &pages, &error);
      if (pdf == NULL || !write_file (output, pdf, &error))
        return ct_cli_fail (error);
      sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, output);
      json_builder_set_member_name (b, "pages");
      json_builder_add_int_value (b, pages);
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, sha);
      json_builder_set_member_name (b, "archived");
      json_builder_add_boolean_value (b, archived);
      json_builder_end_object (b);
      ct_cli_print_json (b);
    }
  else
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "%s: the dossier of case %s, %u page.\n",
                            "%s: the dossier of case %s, %u pages.\n", pages),
               output, case_ref, pages);
      if (archived)
        g_print (_("Archived copy verified against its record: SHA-256 %s\n"), sha);
      else
        g_print (_("SHA-256: %s\n"), sha);
    }
  return CT_EXIT_OK;
}

int
ct_cli_case_archive (Cli   *cli,
                     int    argc,
                     char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtCaseArchive) archive = NULL;
  gint64 case_id = 0;
  int rc;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("case archive", entries, &argc, &argv, N_("CASE")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("case archive needs one case id or number."));
  session = ct_cli_login_with_case (cli, argv[1], &case_id, &rc);
  if (session == NULL)
    return rc;
  archive = ct_store_archive_case (cli->store, session, case_id, &error);
  if (archive == NULL)
    return ct_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, archive->sha256);
      if (archive->sm3 != NULL)
        {
          json_builder_set_member_name (b, "sm3");
          json_builder_add_string_value (b, archive->sm3);
        }
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, (gint64) archive->size);
      json_builder_set_member_name (b, "pages");
      json_builder_add_int_value (b, archive->pages);
      json_builder_set_member_name (b, "checkpoint");
      json_builder_add_int_value (b, archive->checkpoint_id);
      json_builder_end_object (b);
      ct_cli_print_json (b);
      return CT_EXIT_OK;
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "Case %s is archived: its dossier (%u page) is stored as %s.\n",
                        "Case %s is archived: its dossier (%u pages) is stored as %s.\n", archive->pages),
           argv[1], archive->pages, archive->sha256);
  return CT_EXIT_OK;
}

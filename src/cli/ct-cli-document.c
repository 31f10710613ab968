#define G_LOG_DOMAIN "casetrail-cli"

/* casetrail-cli doc: print a case's document (文书) as PDF, and check a
 * paper copy's code against the system. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-cli.h"
#include "ct-cli-json.h"
#include "ct-document.h"
#include "ct-error.h"

int
ct_cli_doc_render (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtDocument) doc = NULL;
  g_autofree char *case_ref = NULL;
  g_autofree char *template_id = NULL;
  g_autofree char *output = NULL;
  gint64 case_id = 0;
  guint pages = 0;
  int rc;
  GOptionEntry entries[] = {
    { "case", 0, 0, G_OPTION_ARG_STRING, &case_ref, N_("The case (id or number)"), N_("CASE") },
    { "template", 0, 0, G_OPTION_ARG_STRING, &template_id, N_("The form template"), N_("TEMPLATE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the PDF to FILE"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("doc render", entries, &argc, &argv, NULL))
    return CT_EXIT_USAGE;
  if (argc != 1 || case_ref == NULL || template_id == NULL || output == NULL)
    return ct_cli_usage_error (_("doc render needs --case CASE --template TEMPLATE -o FILE.pdf."));

  session = ct_cli_login_with_case (cli, case_ref, &case_id, &rc);
  if (session == NULL)
    return rc;
  doc = ct_store_get_document (cli->store, session, case_id, template_id, &error);
  if (doc == NULL)
    return ct_cli_fail (error);
  if (!ct_document_check_issuable (doc, &error) ||
      !ct_document_write_pdf (doc, output, &pages, &error) ||
      !ct_store_record_document (cli->store, session, case_id, doc, "pdf", output, &error))
    return ct_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, output);
      json_builder_set_member_name (b, "pages");
      json_builder_add_int_value (b, pages);
      json_builder_set_member_name (b, "doc_sha256");
      json_builder_add_string_value (b, doc->doc_hash);
      json_builder_set_member_name (b, "codes");
      json_builder_begin_array (b);
      for (guint i = 0; i < doc->signatures->len; i++)
        {
          CtDocSignature *sig = doc->signatures->pdata[i];
          if (sig->code != NULL)
            json_builder_add_string_value (b, sig->code);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      ct_cli_print_json (b);
    }
  else
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "%s: “%s” of case %s, %u page.\n",
                            "%s: “%s” of case %s, %u pages.\n", pages),
               output, doc->tmpl->title, doc->case_number, pages);
      g_print (_("Document hash: %s\n"), doc->doc_hash);
      for (guint i = 0; i < doc->signatures->len; i++)
        {
          CtDocSignature *sig = doc->signatures->pdata[i];
          if (sig->valid)
            g_print (_("Signed by %s (%s) on %s; code: %s\n"), sig->signer_name, sig->role, sig->signed_at, sig->code);
          else
            g_print (_("Approval by %s (%s) printed as no longer valid: %s\n"), sig->signer_name, sig->role,
                     sig->invalid_reason);
        }
    }
  return CT_EXIT_OK;
}

static void
print_verdict (Cli                *cli,
               const CtDocVerdict *v)
{
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      ct_json_member_bool (b, "matches", v->matches);
      ct_json_member_str (b, "case", v->case_number);
      ct_json_member_str (b, "template", v->template_id);
      ct_json_member_str (b, "paper_sha256", v->paper_hash);
      ct_json_member_str (b, "system_sha256", v->system_hash);
      ct_json_member_str (b, "signer", v->signer_name);
      ct_json_member_str (b, "signed_at", v->signed_at);
      ct_json_member_int (b, "approvals", v->n_signatures);
      ct_json_member_strings (b, "problems", v->problems);
      json_builder_end_object (b);
      ct_cli_print_json (b);
      return;
    }

  if (v->matches && v->paper_hash != NULL)
    g_print (_("MATCH: the paper copy of “%s” of case %s is the system’s current record, signed by %s (%s) on %s.\n"),
             v->title, v->case_number, v->signer_name, v->role, v->signed_at);
  else if (v->matches)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "MATCH: “%s” of case %s: %u approval covers the form as saved now and verifies.\n",
                          "MATCH: “%s” of case %s: %u approvals cover the form as saved now and verify.\n",
                          v->n_signatures),
             v->title, v->case_number, v->n_signatures);
  else
    {
      g_print (_("MISMATCH: “%s” of case %s does not match the system’s record:\n"),
               v->title ? v->title : v->template_id, v->case_number);
      for (guint i = 0; i < v->problems->len; i++)
        g_print ("  - %s\n", (const char *) v->problems->pdata[i]);
    }
  if (v->system_hash != NULL)
    g_print (_("Document hash in the system: %s\n"), v->system_hash);
}

int
ct_cli_doc_verify (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtDocVerdict) verdict = NULL;
  g_autofree char *case_ref = NULL;
  g_autofree char *template_id = NULL;
  gint64 case_id = 0;
  int rc;
  GOptionEntry entries[] = {
    { "case", 0, 0, G_OPTION_ARG_STRING, &case_ref, N_("Check the current record of this case’s form"), N_("CASE") },
    { "template", 0, 0, G_OPTION_ARG_STRING, &template_id, N_("The form template (with --case)"), N_("TEMPLATE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("doc verify", entries, &argc, &argv, N_("[CODE]")))
    return CT_EXIT_USAGE;
  if (argc == 2 && case_ref == NULL && template_id == NULL)
    {
      session = ct_cli_login (cli, &error);
      if (session == NULL)
        return ct_cli_fail (error);
      verdict = ct_store_verify_document_code (cli->store, session, argv[1], &error);
    }
  else if (argc == 1 && case_ref != NULL && template_id != NULL)
    {
      session = ct_cli_login_with_case (cli, case_ref, &case_id, &rc);
      if (session == NULL)
        return rc;
      verdict = ct_store_verify_document (cli->store, session, case_id, template_id, &error);
    }
  else
    return ct_cli_usage_error (_("doc verify needs the code read off the paper copy (CT1:…), or --case CASE --template TEMPLATE."));

  if (verdict == NULL)
    {
      if (g_error_matches (error, CT_ERROR, CT_ERROR_INVALID))
        return ct_cli_usage_error ("%s", error->message);
      return ct_cli_fail (error);
    }
  print_verdict (cli, verdict);
  return verdict->matches ? CT_EXIT_OK : CT_EXIT_INTEGRITY;
}

#define G_LOG_DOMAIN "casetrail-cli"

/* casetrail-cli — the core for scripting, administration and verification.
 *
 * Exit codes: 0 ok, 1 error, 2 usage, 3 blocked by the checklist,
 * 4 integrity failure.  Errors are one line on stderr.
 */

#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "ct-cli.h"
#include "ct-cli-json.h"
#include "ct-dossier.h"
#include "ct-error.h"
#include "ct-store.h"

typedef int (*CommandFunc) (Cli *cli, int argc, char **argv);

typedef struct {
  const char *group;
  const char *name;     /* NULL for one-word commands */
  const char *synopsis;
  CommandFunc func;
} Command;

int
ct_cli_usage_error (const char *format, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_printerr ("casetrail-cli: %s\n", msg);
  g_printerr (_("Try “casetrail-cli --help”.\n"));
  return CT_EXIT_USAGE;
}

int
ct_cli_fail (GError *error)
{
  g_printerr ("casetrail-cli: %s\n", error->message);
  return ct_error_to_exit_code (error);
}

/* ---- passphrases ------------------------------------------------------------- */

static char *
read_passphrase_file (const char  *path,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  char *nl;

  if (!g_file_get_contents (path, &contents, NULL, error))
    {
      g_prefix_error (error, _("Could not read the passphrase file: "));
      return NULL;
    }
  nl = strpbrk (contents, "\r\n");
  if (nl != NULL)
    *nl = '\0';
  return g_steal_pointer (&contents);
}

static char *
prompt_tty (const char *prompt,
            GError    **error)
{
  struct termios old, quiet;
  char buf[1024];
  FILE *tty;
  gboolean have_termios;
  char *line;

  tty = fopen ("/dev/tty", "r+");
  if (tty == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("No terminal to ask for the passphrase on; give --passphrase-file FILE."));
      return NULL;
    }
  fputs (prompt, tty);
  fflush (tty);
  have_termios = tcgetattr (fileno (tty), &old) == 0;
  if (have_termios)
    {
      quiet = old;
      quiet.c_lflag &= ~(ECHO);
      tcsetattr (fileno (tty), TCSAFLUSH, &quiet);
    }
  line = fgets (buf, sizeof buf, tty);
  if (have_termios)
    tcsetattr (fileno (tty), TCSAFLUSH, &old);
  fputs ("\n", tty);
  fclose (tty);

  if (line == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("No passphrase was entered."));
      return NULL;
    }
  buf[strcspn (buf, "\r\n")] = '\0';
  line = g_strdup (buf);
  explicit_bzero (buf, sizeof buf);
  return line;
}

/* The passphrase of --user: from --passphrase-file, else asked on the tty. */
static char *
get_passphrase (Cli     *cli,
                GError **error)
{
  if (cli->passphrase_file != NULL)
    return read_passphrase_file (cli->passphrase_file, error);
  return prompt_tty (_("Passphrase: "), error);
}

/* A passphrase for a new account: from @file, else asked twice. */
static char *
get_new_passphrase (const char *file,
                    const char *whose,
                    GError    **error)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *prompt = NULL;

  if (file != NULL)
    return read_passphrase_file (file, error);

  prompt = g_strdup_printf (_("New passphrase for %s: "), whose);
  first = prompt_tty (prompt, error);
  if (first == NULL)
    return NULL;
  second = prompt_tty (_("Repeat the passphrase: "), error);
  if (second == NULL)
    return NULL;
  if (strcmp (first, second) != 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("The two passphrases differ."));
      return NULL;
    }
  return g_steal_pointer (&first);
}

/* ---- shared steps --------------------------------------------------------------- */

gboolean
ct_cli_open_store (Cli     *cli,
            GError **error)
{
  if (cli->store != NULL)
    return TRUE;
  cli->store = ct_store_open (cli->data_dir, error);
  return cli->store != NULL;
}

CtSession *
ct_cli_login_with_case (Cli        *cli,
                        const char *case_ref,
                        gint64     *case_id,
                        int        *rc)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = ct_cli_login (cli, &error);

  *case_id = 0;
  if (session == NULL)
    {
      *rc = ct_cli_fail (error);
      return NULL;
    }
  if (case_ref != NULL)
    {
      g_autoptr(CtCase) c = ct_store_get_case (cli->store, session, case_ref, &error);
      if (c == NULL)
        {
          *rc = ct_cli_fail (error);
          return NULL;
        }
      *case_id = c->id;
    }
  return g_steal_pointer (&session);
}

CtSession *
ct_cli_login (Cli     *cli,
       GError **error)
{
  g_autofree char *passphrase = NULL;
  CtSession *session;

  if (cli->user == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("This command acts as a user: give --user NAME."));
      return NULL;
    }
  if (!ct_cli_open_store (cli, error))
    return NULL;
  if (!ct_store_is_initialized (cli->store))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_INITIALIZED,
                   _("No agency has been set up in %s yet; run “casetrail-cli init” first."),
                   ct_store_get_data_dir (cli->store));
      return NULL;
    }
  passphrase = get_passphrase (cli, error);
  if (passphrase == NULL)
    return NULL;
  session = ct_store_login (cli->store, cli->user, passphrase, error);
  explicit_bzero (passphrase, strlen (passphrase));
  return session;
}

/* Parses command options; returns FALSE (and prints) on a usage error. */
gboolean
ct_cli_parse_options (const char   *command,
               GOptionEntry *entries,
               int          *argc,
               char       ***argv,
               const char   *parameter_string)
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = g_strdup_printf ("casetrail-cli %s", command);

  ctx = g_option_context_new (parameter_string);
  g_option_context_set_summary (ctx, summary);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      ct_cli_usage_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

void
ct_cli_print_json (JsonBuilder *b)
{
  g_autofree char *text = ct_json_to_string (b);
  fputs (text, stdout);
}

/* ---- commands --------------------------------------------------------------------- */

static int
cmd_init (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *agency = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *admin_name = NULL;
  g_autofree char *pattern = NULL;
  g_autofree char *passphrase = NULL;
  gboolean national = FALSE;
  GOptionEntry entries[] = {
    { "agency", 0, 0, G_OPTION_ARG_STRING, &agency, N_("Full name of the agency"), N_("NAME") },
    { "admin", 0, 0, G_OPTION_ARG_STRING, &admin, N_("User name of the administrator"), N_("USER") },
    { "admin-name", 0, 0, G_OPTION_ARG_STRING, &admin_name, N_("Full name of the administrator"), N_("NAME") },
    { "pattern", 0, 0, G_OPTION_ARG_STRING, &pattern, N_("Case number pattern with {year} and {seq}"), N_("PATTERN") },
    { "national-crypto", 0, 0, G_OPTION_ARG_NONE, &national, N_("Use SM2/SM3 national cryptography"), NULL },
    { NULL }
  };
  CtUserSpec spec = { 0 };

  if (!ct_cli_parse_options ("init", entries, &argc, &argv, NULL))
    return CT_EXIT_USAGE;
  if (agency == NULL || admin == NULL)
    return ct_cli_usage_error (_("init needs --agency NAME and --admin USER."));

  if (!ct_cli_open_store (cli, &error))
    return ct_cli_fail (error);

  passphrase = get_new_passphrase (cli->passphrase_file, admin, &error);
  if (passphrase == NULL)
    return ct_cli_fail (error);

  spec.username = admin;
  spec.display_name = admin_name ? admin_name : admin;
  spec.roles = CT_ROLE_ADMIN;
  if (!ct_store_init_agency (cli->store, agency,
                             pattern ? pattern : "X司罚立〔{year}〕{seq}号",
                             national, &spec, passphrase, &error))
    return ct_cli_fail (error);

  g_print (_("Agency “%s” created in %s; administrator: %s\n"),
           agency, ct_store_get_data_dir (cli->store), admin);
  return CT_EXIT_OK;
}

static int
cmd_demo (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = { { NULL } };

  if (!ct_cli_parse_options ("demo", entries, &argc, &argv, NULL))
    return CT_EXIT_USAGE;
  if (!ct_cli_open_store (cli, &error) || !ct_store_load_demo (cli->store, &error))
    return ct_cli_fail (error);
  g_print (_("Demo data loaded into %s; every demo user’s passphrase is “%s”.\n"),
           ct_store_get_data_dir (cli->store), CT_DEMO_PASSPHRASE);
  return CT_EXIT_OK;
}

static int
cmd_user_add (Cli   *cli,
              int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autofree char *name = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *new_pass_file = NULL;
  g_autofree char *passphrase = NULL;
  g_auto(GStrv) roles = NULL;
  CtUserSpec spec = { 0 };
  gint64 id;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Full name"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING_ARRAY, &roles,
      N_("Role (handler, assistant, legal_reviewer, supervisor, archivist, admin); repeatable"), N_("ROLE") },
    { "cert", 0, 0, G_OPTION_ARG_STRING, &cert, N_("Law-enforcement certificate number (makes the user certified)"), N_("NUMBER") },
    { "new-passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &new_pass_file,
      N_("Read the new user’s passphrase from FILE"), N_("FILE") },
    { NULL }
  };

  if (!ct_cli_parse_options ("user add", entries, &argc, &argv, N_("USERNAME")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("user add needs exactly one USERNAME."));
  if (roles == NULL)
    return ct_cli_usage_error (_("user add needs at least one --role."));

  spec.username = argv[1];
  spec.display_name = name ? name : argv[1];
  spec.cert_number = cert;
  spec.certified = cert != NULL;
  for (guint i = 0; roles[i]; i++)
    {
      CtRole role;
      if (!ct_role_from_id (roles[i], &role))
        return ct_cli_usage_error (_("Unknown role “%s”; use handler, assistant, legal_reviewer, supervisor, archivist or admin."),
                            roles[i]);
      spec.roles |= role;
    }

  session = ct_cli_login (cli, &error);
  if (session == NULL)
    return ct_cli_fail (error);
  passphrase = get_new_passphrase (new_pass_file, argv[1], &error);
  if (passphrase == NULL)
    return ct_cli_fail (error);
  id = ct_store_add_user (cli->store, session, &spec, passphrase, &error);
  explicit_bzero (passphrase, strlen (passphrase));
  if (id == 0)
    return ct_cli_fail (error);
  g_print (_("User “%s” added.\n"), argv[1]);
  return CT_EXIT_OK;
}

static int
cmd_user_list (Cli   *cli,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("user list", entries, &argc, &argv, NULL))
    return CT_EXIT_USAGE;
  if (!ct_cli_open_store (cli, &error))
    return ct_cli_fail (error);
  users = ct_store_list_users (cli->store, &error);
  if (users == NULL)
    return ct_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_array (b);
      for (guint i = 0; i < users->len; i++)
        ct_json_add_user (b, g_ptr_array_index (users, i));
      json_builder_end_array (b);
      ct_cli_print_json (b);
      return CT_EXIT_OK;
    }

  for (guint i = 0; i < users->len; i++)
    {
      CtUser *u = g_ptr_array_index (users, i);
      g_autofree char *roles = ct_roles_to_string (u->roles);
      g_print ("%-16s %-12s %-14s %s%s\n", u->username, u->display_name,
               u->cert_number ? u->cert_number : "-", roles,
               u->active ? "" : _(" (disabled)"));
    }
  return CT_EXIT_OK;
}

static int
cmd_case_new (Cli   *cli,
              int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtCase) c = NULL;
  g_autofree char *procedure = NULL, *cause = NULL, *source = NULL, *source_detail = NULL;
  g_autofree char *place = NULL, *party_kind = NULL, *party_name = NULL, *party_id = NULL;
  g_autofree char *party_address = NULL, *party_contact = NULL, *party_rep = NULL;
  g_auto(GStrv) handlers = NULL;
  g_auto(GStrv) assistants = NULL;
  g_autofree char *id_str = NULL;
  CtCaseSpec spec = { 0 };
  gint64 id;
  GOptionEntry entries[] = {
    { "procedure", 0, 0, G_OPTION_ARG_STRING, &procedure,
      N_("general, simplified, inspection, coercive or complaint (default general)"), N_("PROC") },
    { "cause", 0, 0, G_OPTION_ARG_STRING, &cause, N_("The suspected violation (案由)"), N_("TEXT") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source,
      N_("inspection, complaint, report, judicial_suggestion, assigned or transferred"), N_("SOURCE") },
    { "source-detail", 0, 0, G_OPTION_ARG_STRING, &source_detail, N_("Complainant, reporter or referring agency"), N_("TEXT") },
    { "place", 0, 0, G_OPTION_ARG_STRING, &place, N_("Where it happened"), N_("TEXT") },
    { "party-kind", 0, 0, G_OPTION_ARG_STRING, &party_kind, N_("person or organization"), N_("KIND") },
    { "party-name", 0, 0, G_OPTION_ARG_STRING, &party_name, N_("Name of the party"), N_("NAME") },
    { "party-id", 0, 0, G_OPTION_ARG_STRING, &party_id, N_("ID card number or unified social credit code"), N_("ID") },
    { "party-address", 0, 0, G_OPTION_ARG_STRING, &party_address, N_("Address of the party"), N_("TEXT") },
    { "party-contact", 0, 0, G_OPTION_ARG_STRING, &party_contact, N_("Telephone or other contact"), N_("TEXT") },
    { "party-legal-rep", 0, 0, G_OPTION_ARG_STRING, &party_rep, N_("Legal representative of an organization"), N_("NAME") },
    { "handler", 0, 0, G_OPTION_ARG_STRING_ARRAY, &handlers, N_("A certified handler (at least two); repeatable"), N_("USER") },
    { "assistant", 0, 0, G_OPTION_ARG_STRING_ARRAY, &assistants, N_("An assistant; repeatable"), N_("USER") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print the new case as JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("case new", entries, &argc, &argv, NULL))
    return CT_EXIT_USAGE;
  if (argc != 1)
    return ct_cli_usage_error (_("case new takes no arguments besides its options."));

  spec.procedure = procedure ? procedure : "general";
  spec.cause = cause;
  spec.source = source;
  spec.source_detail = source_detail;
  spec.place = place;
  spec.party_kind = party_kind;
  spec.party_name = party_name;
  spec.party_id_number = party_id;
  spec.party_address = party_address;
  spec.party_contact = party_contact;
  spec.party_legal_rep = party_rep;
  spec.handlers = (const char * const *) handlers;
  spec.assistants = (const char * const *) assistants;

  session = ct_cli_login (cli, &error);
  if (session == NULL)
    return ct_cli_fail (error);
  id = ct_store_create_case (cli->store, session, &spec, &error);
  if (id == 0)
    return ct_cli_fail (error);
  id_str = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  c = ct_store_get_case (cli->store, session, id_str, &error);
  if (c == NULL)
    return ct_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      ct_json_add_case (b, c);
      ct_cli_print_json (b);
    }
  else
    g_print (_("Case %s opened (id %" PRId64 ").\n"), c->number, c->id);
  return CT_EXIT_OK;
}

static int
cmd_case_list (Cli   *cli,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autofree char *search = NULL;
  GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Only cases whose number, cause, party or place contain TEXT"), N_("TEXT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("case list", entries, &argc, &argv, NULL))
    return CT_EXIT_USAGE;
  session = ct_cli_login (cli, &error);
  if (session == NULL)
    return ct_cli_fail (error);
  cases = ct_store_list_cases (cli->store, session, search, &error);
  if (cases == NULL)
    return ct_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_array (b);
      for (guint i = 0; i < cases->len; i++)
        ct_json_add_case (b, g_ptr_array_index (cases, i));
      json_builder_end_array (b);
      ct_cli_print_json (b);
      return CT_EXIT_OK;
    }

  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = g_ptr_array_index (cases, i);
      g_print ("%-5" G_GINT64_FORMAT " %-26s %-14s %-24s %s\n", c->id, c->number,
               ct_choice_label (ct_case_stages (), c->stage),
               c->party.name ? c->party.name : "", c->cause);
    }
  return CT_EXIT_OK;
}

static int
cmd_case_show (Cli   *cli,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtCase) c = NULL;
  g_autoptr(GPtrArray) approvals = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("case show", entries, &argc, &argv, N_("ID|NUMBER")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("case show needs one case id or number."));
  session = ct_cli_login (cli, &error);
  if (session == NULL)
    return ct_cli_fail (error);
  c = ct_store_get_case (cli->store, session, argv[1], &error);
  if (c == NULL)
    return ct_cli_fail (error);
  approvals = ct_store_list_approvals (cli->store, c->id, &error);
  if (approvals == NULL)
    return ct_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      ct_json_add_case (b, c);
      /* Append the approvals to the case object. */
      {
        g_autoptr(JsonNode) node = json_builder_get_root (b);
        g_autoptr(JsonBuilder) ab = json_builder_new ();
        g_autoptr(JsonNode) anode = NULL;
        g_autoptr(JsonGenerator) gen = json_generator_new ();
        g_autofree char *text = NULL;

        json_builder_begin_array (ab);
        for (guint i = 0; i < approvals->len; i++)
          ct_json_add_approval (ab, g_ptr_array_index (approvals, i));
        json_builder_end_array (ab);
        anode = json_builder_get_root (ab);
        json_object_set_member (json_node_get_object (node), "approvals", g_steal_pointer (&anode));
        {
          g_autoptr(CtCaseArchive) archive = ct_store_get_case_archive (cli->store, c->id, NULL);
          if (archive != NULL)
            {
              JsonObject *ao = json_object_new ();
              json_object_set_string_member (ao, "sha256", archive->sha256);
              if (archive->sm3 != NULL)
                json_object_set_string_member (ao, "sm3", archive->sm3);
              json_object_set_int_member (ao, "size", (gint64) archive->size);
              json_object_set_int_member (ao, "pages", archive->pages);
              json_object_set_string_member (ao, "created_at", archive->created_at);
              json_object_set_string_member (ao, "created_by", archive->created_by);
              json_object_set_int_member (ao, "checkpoint", archive->checkpoint_id);
              json_object_set_object_member (json_node_get_object (node), "archive", ao);
            }
        }
        json_generator_set_pretty (gen, TRUE);
        json_generator_set_root (gen, node);
        text = json_generator_to_data (gen, NULL);
        g_print ("%s\n", text);
      }
      return CT_EXIT_OK;
    }

  g_print ("%s  %s\n", c->number, c->cause);
  g_print (_("Procedure: %s\n"), ct_choice_label (ct_procedure_types (), c->procedure));
  g_print (_("Stage:     %s\n"), ct_choice_label (ct_case_stages (), c->stage));
  g_print (_("Source:    %s%s%s\n"), ct_choice_label (ct_case_sources (), c->source),
           c->source_detail ? " — " : "", c->source_detail ? c->source_detail : "");
  g_print (_("Place:     %s\n"), c->place ? c->place : "");
  g_print (_("Party:     %s (%s)%s%s\n"), c->party.name, ct_choice_label (ct_party_kinds (), c->party.kind),
           c->party.id_number ? " " : "", c->party.id_number ? c->party.id_number : "");
  g_print (_("Officers:\n"));
  for (guint i = 0; i < c->officers->len; i++)
    {
      CtCaseOfficer *o = g_ptr_array_index (c->officers, i);
      g_print ("  %s (%s) %s\n", o->display_name, o->username,
               o->assistant ? _("assistant") : (o->cert_number ? o->cert_number : ""));
    }
  if (approvals->len > 0)
    {
      g_print (_("Approvals:\n"));
      for (guint i = 0; i < approvals->len; i++)
        {
          CtApproval *a = g_ptr_array_index (approvals, i);
          g_print ("  %s  %s  %s  %s%s%s\n", a->signed_at, a->subject, a->signer_name,
                   a->valid ? _("valid") : _("INVALID"),
                   a->invalid_reason ? ": " : "", a->invalid_reason ? a->invalid_reason : "");
        }
    }
  if (g_strcmp0 (c->status, "archived") == 0)
    {
      g_autoptr(CtCaseArchive) archive = ct_store_get_case_archive (cli->store, c->id, NULL);
      if (archive != NULL)
        {
          g_print (g_dngettext (GETTEXT_PACKAGE, "Archived:  %s by %s, dossier of %u page\n",
                                "Archived:  %s by %s, dossier of %u pages\n", archive->pages),
                   archive->created_at, archive->created_by, archive->pages);
          g_print (_("           SHA-256 %s\n"), archive->sha256);
          if (archive->sm3 != NULL)
            g_print (_("           SM3 %s\n"), archive->sm3);
        }
    }
  g_print (_("History:\n"));
  for (guint i = 0; i < c->events->len; i++)
    {
      CtCaseEvent *e = g_ptr_array_index (c->events, i);
      g_print ("  %s  %s\n", e->at, e->summary);
    }
  return CT_EXIT_OK;
}

static int
cmd_approve (Cli   *cli,
             int    argc,
             char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSession) session = NULL;
  g_autoptr(CtCase) c = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *role_id = NULL;
  CtRole role = CT_ROLE_SUPERVISOR;
  GOptionEntry entries[] = {
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject, N_("What is approved (default: filing)"), N_("TEXT") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_id, N_("Sign as supervisor (default) or legal_reviewer"), N_("ROLE") },
    { NULL }
  };

  if (!ct_cli_parse_options ("approve", entries, &argc, &argv, N_("CASE")))
    return CT_EXIT_USAGE;
  if (argc != 2)
    return ct_cli_usage_error (_("approve needs one case id or number."));
  if (role_id != NULL && (!ct_role_from_id (role_id, &role) ||
                          (role != CT_ROLE_SUPERVISOR && role != CT_ROLE_LEGAL_REVIEWER)))
    return ct_cli_usage_error (_("--role is supervisor or legal_reviewer."));
  session = ct_cli_login (cli, &error);
  if (session == NULL)
    return ct_cli_fail (error);
  c = ct_store_get_case (cli->store, session, argv[1], &error);
  if (c == NULL)
    return ct_cli_fail (error);
  if (ct_store_approve_as (cli->store, session, c->id, subject ? subject : "filing", role, &error) == 0)
    return ct_cli_fail (error);
  g_print (_("Case %s: “%s” approved and signed.\n"), c->number, subject ? subject : "filing");
  return CT_EXIT_OK;
}

static int
cmd_audit_verify (Cli   *cli,
                  int    argc,
                  char **argv)
{
  g_autoptr(GError) error = NULL;
  CtAuditReport report = { 0 };
  gboolean ok;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!ct_cli_parse_options ("audit verify", entries, &argc, &argv, NULL))
    return CT_EXIT_USAGE;
  if (!ct_cli_open_store (cli, &error))
    return ct_cli_fail (error);
  ok = ct_store_verify_audit (cli->store, &report, &error);
  if (!ok && error != NULL)
    return ct_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      ct_json_add_audit_report (b, &report, ok);
      ct_cli_print_json (b);
    }
  else if (ok)
    g_print (_("Audit chain intact: %" PRId64 " rows, %" PRId64 " signed checkpoints verified.\n"),
             report.rows, report.checkpoints);
  else
    g_printerr (_("casetrail-cli: audit chain broken at row %" PRId64 ": %s\n"),
                report.first_bad_row, report.problem);

  ct_audit_report_clear (&report);
  return ok ? CT_EXIT_OK : CT_EXIT_INTEGRITY;
}

static const Command commands[] = {
  { "init",    NULL,     N_("init --agency NAME --admin USER [--admin-name NAME] [--pattern P] [--national-crypto]"), cmd_init },
  { "demo",    NULL,     N_("demo                       load demo data into an empty data folder"), cmd_demo },
  { "user",    "add",    N_("user add USERNAME --role ROLE… [--name NAME] [--cert NUMBER] [--new-passphrase-file FILE]"), cmd_user_add },
  { "user",    "list",   N_("user list [--json]"), cmd_user_list },
  { "case",    "new",    N_("case new --cause … --source … --place … --party-kind … --party-name … --handler U --handler U"), cmd_case_new },
  { "case",    "list",   N_("case list [--search TEXT] [--json]"), cmd_case_list },
  { "case",    "show",   N_("case show ID|NUMBER [--json]"), cmd_case_show },
  { "case",    "check",  N_("case check CASE [--stage STAGE] [--json]   the checklist, with citations"), ct_cli_case_check },
  { "case",    "advance", N_("case advance CASE [--to STAGE]   next stage (exit 3 when the checklist blocks)"), ct_cli_case_advance },
  { "case",    "archive", N_("case archive CASE   store its dossier and make it read-only (records officer, certified handler)"), ct_cli_case_archive },
  { "case",    "flag",   N_("case flag CASE FLAG VALUE|--clear   state a fact (complex, hearing_requested, …)"), ct_cli_case_flag },
  { "case",    "draw-inspectors", N_("case draw-inspectors CASE [--count N]   double-random selection (002 第十七条)"), ct_cli_case_draw },
  { "form",    "list",   N_("form list                  the form templates"), ct_cli_form_list },
  { "form",    "fill",   N_("form fill CASE TEMPLATE --set FIELD=VALUE…"), ct_cli_form_fill },
  { "form",    "show",   N_("form show CASE TEMPLATE [--json]"), ct_cli_form_show },
  { "doc",     "render", N_("doc render --case CASE --template T -o FILE.pdf   print a form as an A4 PDF (audited)"), ct_cli_doc_render },
  { "doc",     "verify", N_("doc verify CODE | --case CASE --template T   check a paper copy against the system (exit 4 on mismatch)"), ct_cli_doc_verify },
  { "dossier", NULL,     N_("dossier --case CASE -o FILE.pdf [--archived]   the whole case file as one PDF (audited)"), ct_cli_dossier },
  { "approve", NULL,     N_("approve CASE [--subject TEXT] [--role supervisor|legal_reviewer]  sign an approval"), cmd_approve },
  { "media",   "import", N_("media import PATH… [--case CASE] [--officer U]… [--device D] [--category patrol|evidence] [--as-document] [--json]"), ct_cli_media_import },
  { "media",   "list",   N_("media list [--case CASE] [--json]"), ct_cli_media_list },
  { "media",   "show",   N_("media show MEDIUM [--json]"), ct_cli_media_show },
  { "media",   "edit",   N_("media edit MEDIUM [--case …] [--officer U]… [--device D] [--recorded-at T] [--place P] …"), ct_cli_media_edit },
  { "media",   "gaps",   N_("media gaps CASE [--json]   interruptions of recording (001 第十九条)"), ct_cli_media_gaps },
  { "media",   "explain", N_("media explain MEDIUM --after MEDIUM|--not-resumed --reason R [--text T]"), ct_cli_media_explain },
  { "media",   "hold",   N_("media hold MEDIUM --reason T [--lift]   long-term hold (004 第十三条)"), ct_cli_media_hold },
  { "media",   "dispose", N_("media dispose MEDIUM --reason T   after retention, signed by a supervisor"), ct_cli_media_dispose },
  { "media",   "verify", N_("media verify [--case CASE] [--cold] [--json]   re-hash the evidence store (exit 4 on damage)"), ct_cli_media_verify },
  { "media",   "open",   N_("media open MEDIUM          print the original's path (audited; officers, reviewers, supervisors)"), ct_cli_media_open },
  { "media",   "clip",   N_("media clip MEDIUM --form T --field F --in T --out T [--label L]   attach a clip as evidence of a step"), ct_cli_media_clip },
  { "media",   "scan",   N_("media scan MEDIUM --form T --field F [--pages P] [--label L]   attach a scanned document to a step"), ct_cli_media_scan },
  { "media",   "export-clip", N_("media export-clip MEDIUM --in T --out T [--json]   copy a range into a new medium (no re-encoding)"), ct_cli_media_export_clip },
  { "media",   "annotate", N_("media annotate MEDIUM --at T [--to T] --code C [--text T]   legal-review annotation"), ct_cli_media_annotate },
  { "media",   "annotations", N_("media annotations [MEDIUM] [--case CASE] [--code C] [--csv|--json]"), ct_cli_media_annotations },
  { "media",   "withdraw-annotation", N_("media withdraw-annotation ID --reason T"), ct_cli_media_withdraw },
  { "media",   "statements", N_("media statements --case CASE [--json]   the written explanation of each recording used as evidence (001 第二十三条)"), ct_cli_media_statements },
  { "review",  "queue",  N_("review queue [--json]      recordings of cases at legal review not yet annotated"), ct_cli_review_queue },
  { "bundle",  "export", N_("bundle export --case CASE -o DIR [--no-media|--clips-only]   the case with its media, signed (supervisor, records officer)"), ct_cli_bundle_export },
  { "bundle",  "verify", N_("bundle verify DIR [--trust FINGERPRINT]   check an export offline (exit 4 when anything differs)"), ct_cli_bundle_verify },
  { "audit",   "verify", N_("audit verify [--json]      check the audit chain (exit 4 when broken)"), cmd_audit_verify },
};

static void
print_help (void)
{
  g_print (_("Usage: casetrail-cli [--data-dir DIR] [--user NAME] [--passphrase-file FILE] COMMAND …\n\n"));
  g_print (_("Global options:\n"
             "  --data-dir DIR          data folder (default: $CASETRAIL_DATA_DIR or ~/.local/share/casetrail)\n"
             "  --user NAME             act as this user\n"
             "  --passphrase-file FILE  read the passphrase from FILE instead of asking\n\n"));
  g_print (_("Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %s\n", _(commands[i].synopsis));
  g_print (_("\nExit codes: 0 ok, 1 error, 2 usage, 3 blocked by the checklist, 4 integrity failure.\n"));
  g_print (_("“casetrail-cli COMMAND --help” describes a command’s options.\n"));
}

/* Takes the global options out of argv, wherever they stand. */
static int
take_globals (Cli    *cli,
              int    *argc,
              char  **argv)
{
  int out = 1;

  for (int i = 1; i < *argc; i++)
    {
      const char *arg = argv[i];
      char **target = NULL;
      const char *value = NULL;

      if (g_str_has_prefix (arg, "--data-dir"))
        target = &cli->data_dir;
      else if (g_str_has_prefix (arg, "--user") && (arg[6] == '\0' || arg[6] == '='))
        target = &cli->user;
      else if (g_str_has_prefix (arg, "--passphrase-file"))
        target = &cli->passphrase_file;

      if (target == NULL)
        {
          argv[out++] = argv[i];
          continue;
        }

      value = strchr (arg, '=');
      if (value != NULL)
        value++;
      else if (strcmp (arg, "--data-dir") == 0 || strcmp (arg, "--user") == 0 ||
               strcmp (arg, "--passphrase-file") == 0)
        {
          if (i + 1 >= *argc)
            return ct_cli_usage_error (_("%s needs a value."), arg);
          value = argv[++i];
        }
      else
        {
          argv[out++] = argv[i];
          continue;
        }
      g_free (*target);
      *target = g_strdup (value);
    }
  *argc = out;
  argv[out] = NULL;
  return CT_EXIT_OK;
}

int
main (int    argc,
      char **argv)
{
  Cli cli = { 0 };
  const char *localedir = g_getenv ("CASETRAIL_LOCALEDIR");
  int rc;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  rc = take_globals (&cli, &argc, argv);
  if (rc != CT_EXIT_OK)
    goto out;

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_help ();
      rc = argc < 2 ? CT_EXIT_USAGE : CT_EXIT_OK;
      goto out;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("casetrail-cli %s\n", PACKAGE_VERSION);
      rc = CT_EXIT_OK;
      goto out;
    }

  rc = -1;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const Command *cmd = &commands[i];

      if (strcmp (argv[1], cmd->group) != 0)
        continue;
      if (cmd->name == NULL)
        {
          rc = cmd->func (&cli, argc - 1, argv + 1);
          break;
        }
      if (argc >= 3 && strcmp (argv[2], cmd->name) == 0)
        {
          rc = cmd->func (&cli, argc - 2, argv + 2);
          break;
        }
    }
  if (rc == -1)
    rc = ct_cli_usage_error (_("Unknown command “%s%s%s”."), argv[1], argc >= 3 ? " " : "", argc >= 3 ? argv[2] : "");

out:
  g_clear_object (&cli.store);
  g_free (cli.data_dir);
  g_free (cli.user);
  g_free (cli.passphrase_file);
  return rc;
}

/* ct-cli.h — what the casetrail-cli command files share */
#pragma once

#include <json-glib/json-glib.h>

#include "ct-store.h"

G_BEGIN_DECLS

typedef struct {
  char    *data_dir;
  char    *user;
  char    *passphrase_file;
  gboolean json;
  CtStore *store;
} Cli;

int        ct_cli_usage_error   (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* Prints the error as one line and returns its exit code. */
int        ct_cli_fail          (GError *error);
gboolean   ct_cli_open_store    (Cli *cli, GError **error);
CtSession *ct_cli_login         (Cli *cli, GError **error);
/* Signs in and, when @case_ref is not NULL, finds the case (its viewing is
 * audited) and sets *@case_id (else 0).  On failure prints the error, sets
 * *@rc to the exit code and returns NULL. */
CtSession *ct_cli_login_with_case (Cli *cli, const char *case_ref, gint64 *case_id, int *rc);
gboolean   ct_cli_parse_options (const char    *command,
                                 GOptionEntry  *entries,
                                 int           *argc,
                                 char        ***argv,
                                 const char    *parameter_string);
void       ct_cli_print_json    (JsonBuilder *b);

/* ct-cli-procedure.c */
int ct_cli_case_check   (Cli *cli, int argc, char **argv);
int ct_cli_case_advance (Cli *cli, int argc, char **argv);
int ct_cli_case_flag    (Cli *cli, int argc, char **argv);
int ct_cli_case_draw    (Cli *cli, int argc, char **argv);
int ct_cli_form_fill    (Cli *cli, int argc, char **argv);
int ct_cli_form_show    (Cli *cli, int argc, char **argv);
int ct_cli_form_list    (Cli *cli, int argc, char **argv);

/* ct-cli-document.c */
int ct_cli_doc_render   (Cli *cli, int argc, char **argv);
int ct_cli_doc_verify   (Cli *cli, int argc, char **argv);

/* ct-cli-media.c */
int ct_cli_media_import  (Cli *cli, int argc, char **argv);
int ct_cli_media_list    (Cli *cli, int argc, char **argv);
int ct_cli_media_show    (Cli *cli, int argc, char **argv);
int ct_cli_media_edit    (Cli *cli, int argc, char **argv);
int ct_cli_media_gaps    (Cli *cli, int argc, char **argv);
int ct_cli_media_explain (Cli *cli, int argc, char **argv);
int ct_cli_media_hold    (Cli *cli, int argc, char **argv);
int ct_cli_media_dispose (Cli *cli, int argc, char **argv);
int ct_cli_media_verify  (Cli *cli, int argc, char **argv);
int ct_cli_media_open    (Cli *cli, int argc, char **argv);
int ct_cli_media_annotate (Cli *cli, int argc, char **argv);
int ct_cli_media_annotations (Cli *cli, int argc, char **argv);
int ct_cli_media_withdraw (Cli *cli, int argc, char **argv);
int ct_cli_review_queue  (Cli *cli, int argc, char **argv);
int ct_cli_media_clip    (Cli *cli, int argc, char **argv);
int ct_cli_media_scan    (Cli *cli, int argc, char **argv);
int ct_cli_media_export_clip (Cli *cli, int argc, char **argv);

/* ct-cli-bundle.c */
int ct_cli_bundle_export (Cli *cli, int argc, char **argv);
int ct_cli_bundle_verify (Cli *cli, int argc, char **argv);
int ct_cli_media_statements (Cli *cli, int argc, char **argv);

/* ct-cli-dossier.c */
int ct_cli_dossier       (Cli *cli, int argc, char **argv);
int ct_cli_case_archive  (Cli *cli, int argc, char **argv);

G_END_DECLS

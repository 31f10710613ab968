/* ct-error.h — the core's error domain
 *
 * Every failure the core reports carries a message a person can act on,
 * translated through gettext.  Library errors (SQLite, libgcrypt, I/O) are
 * converted into these codes at the boundary.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CT_ERROR (ct_error_quark ())

typedef enum {
  CT_ERROR_FAILED,          /* anything not covered below */
  CT_ERROR_IO,              /* disk, permissions, missing directory */
  CT_ERROR_DATABASE,        /* SQLite reported an error */
  CT_ERROR_DB_TOO_NEW,      /* the database was written by a newer Casetrail */
  CT_ERROR_NOT_FOUND,       /* no such user, case, … */
  CT_ERROR_INVALID,         /* bad input: the message names the field */
  CT_ERROR_EXISTS,          /* unique name already taken */
  CT_ERROR_AUTH,            /* wrong user name or passphrase */
  CT_ERROR_PERMISSION,      /* role missing or separation of duties */
  CT_ERROR_INTEGRITY,       /* hash chain or signature does not verify */
  CT_ERROR_BLOCKED,         /* the checklist blocks the step */
  CT_ERROR_NOT_INITIALIZED, /* no agency has been set up yet */
} CtError;

GQuark ct_error_quark (void);

/* Exit codes shared by casetrail-cli and its documentation. */
typedef enum {
  CT_EXIT_OK = 0,
  CT_EXIT_ERROR = 1,
  CT_EXIT_USAGE = 2,
  CT_EXIT_BLOCKED = 3,
  CT_EXIT_INTEGRITY = 4,
} CtExitCode;

int ct_error_to_exit_code (const GError *error);

G_END_DECLS

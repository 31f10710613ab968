#define G_LOG_DOMAIN "casetrail"

/* main.c — Casetrail (执法全过程记录) */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "ct-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CtApplication) app = NULL;
  const char *localedir;

  /* CASETRAIL_LOCALEDIR points at the build tree's .mo files when running
   * uninstalled. */
  localedir = g_getenv ("CASETRAIL_LOCALEDIR");
  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ct_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

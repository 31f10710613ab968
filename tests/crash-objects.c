/* crash-objects.c — imports one file into an object store; the crash test in
 * test-objects.c kills it with SIGKILL at random moments.
 *
 *   crash-objects STORE_ROOT FILE [--sm3] [--no-verify]
 *
 * Prints the object's SHA-256 on success; exit 1 with the message otherwise.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ct-objects.h"

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtObjectStore) store = NULL;
  g_autoptr(CtObjectInfo) info = NULL;
  gboolean sm3 = FALSE, verify = TRUE, present = FALSE;

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s STORE_ROOT FILE [--sm3] [--no-verify]\n", argv[0]);
      return 2;
    }
  for (int i = 3; i < argc; i++)
    {
      if (strcmp (argv[i], "--sm3") == 0)
        sm3 = TRUE;
      else if (strcmp (argv[i], "--no-verify") == 0)
        verify = FALSE;
    }

  store = ct_object_store_open (argv[1], &error);
  if (store == NULL ||
      !ct_object_store_import (store, argv[2], sm3, verify, NULL, NULL, NULL,
                               &info, &present, &error))
    {
      fprintf (stderr, "crash-objects: %s\n", error->message);
      return 1;
    }
  printf ("%s%s\n", info->sha256, present ? " (already present)" : "");
  return 0;
}

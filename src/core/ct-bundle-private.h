/* ct-bundle-private.h — helpers shared by the bundle's export and check */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes @path and everything under it (not following symbolic links). */
gboolean ct_bundle_remove_tree (const char *path, GError **error);

G_END_DECLS

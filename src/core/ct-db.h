/* ct-db.h — the storage interface under CtStore (private to the core)
 *
 * A small wrapper around one SQLite connection: pragmas, versioned
 * migrations, transactions and prepared statements, with SQLite errors
 * turned into CT_ERROR_DATABASE messages.  SQL kept portable (no SQLite-only
 * syntax outside ct-db.c and the trigger definitions) so that a PostgreSQL
 * backend can take its place.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "ct-audit.h"

G_BEGIN_DECLS

/* The schema version this build writes. */
#define CT_DB_SCHEMA_VERSION 7

/* Opens @path, applies the pragmas (WAL, synchronous=FULL, foreign keys,
 * defensive mode) and migrates up to @target_version (0 means
 * CT_DB_SCHEMA_VERSION; tests use 1 to make an old database). */
CtDb    *ct_db_open            (const char *path, int target_version, GError **error);
void     ct_db_close           (CtDb *db);
int      ct_db_get_version     (CtDb *db);
sqlite3 *ct_db_handle          (CtDb *db);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK.  Not nestable. */
gboolean ct_db_begin           (CtDb *db, GError **error);
gboolean ct_db_commit          (CtDb *db, GError **error);
void     ct_db_rollback        (CtDb *db);

gboolean ct_db_exec            (CtDb *db, const char *sql, GError **error);
/* Prepares @sql; on failure sets a CT_ERROR_DATABASE error. */
sqlite3_stmt *ct_db_prepare    (CtDb *db, const char *sql, GError **error);
/* Steps a statement that returns no rows (or ignores them); resets it. */
gboolean ct_db_step_done       (CtDb *db, sqlite3_stmt *stmt, GError **error);
/* Sets @error from the connection's last error, prefixed by @what. */
void     ct_db_set_error       (CtDb *db, GError **error, const char *what);

/* Binding helpers: NULL strings bind as SQL NULL. */
void ct_db_bind_text  (sqlite3_stmt *stmt, int idx, const char *text);
void ct_db_bind_int64 (sqlite3_stmt *stmt, int idx, gint64 value);
char *ct_db_column_dup (sqlite3_stmt *stmt, int col); /* NULL for SQL NULL */

/* Current UTC time as ISO 8601 with milliseconds, e.g. 2026-11-23T08:01:02.345Z.
 * Tests may fix it with ct_db_set_clock(). */
char *ct_db_now_iso   (void);
void  ct_db_set_clock (GDateTime *(*now_func) (void));

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS

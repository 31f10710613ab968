#define G_LOG_DOMAIN "casetrail-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ct-db.h"
#include "ct-error.h"

struct _CtDb {
  sqlite3 *handle;
  char    *path;
  int      version;
  gboolean in_transaction;
};

/* ---- migrations ----------------------------------------------------------
 *
 * Each entry upgrades the schema from version N-1 to N.  Applied migrations
 * are never edited: a change is a new entry.  The SQL is kept portable
 * (types TEXT/INTEGER/BLOB, no AUTOINCREMENT); only the triggers are
 * dialect-specific.
 */

static const char migration_1[] =
  "CREATE TABLE schema_version ("
  "  version    INTEGER NOT NULL,"
  "  applied_at TEXT NOT NULL);"

  "CREATE TABLE agency ("
  "  id                  INTEGER PRIMARY KEY CHECK (id = 1),"
  "  name                TEXT NOT NULL,"
  "  case_number_pattern TEXT NOT NULL,"
  "  national_crypto     INTEGER NOT NULL DEFAULT 0,"
  "  created_at          TEXT NOT NULL);"

  "CREATE TABLE users ("
  "  id           INTEGER PRIMARY KEY,"
  "  username     TEXT NOT NULL UNIQUE,"
  "  display_name TEXT NOT NULL,"
  "  cert_number  TEXT,"
  "  certified    INTEGER NOT NULL DEFAULT 0,"
  "  active       INTEGER NOT NULL DEFAULT 1,"
  "  created_at   TEXT NOT NULL,"
  "  kdf_salt     BLOB NOT NULL,"
  "  kdf_t        INTEGER NOT NULL,"
  "  kdf_m        INTEGER NOT NULL,"
  "  kdf_p        INTEGER NOT NULL,"
  "  verifier     BLOB NOT NULL);"

  "CREATE TABLE user_roles ("
  "  user_id INTEGER NOT NULL REFERENCES users (id),"
  "  role    TEXT NOT NULL CHECK (role IN ('handler', 'assistant', 'legal_reviewer',"
  "                                        'supervisor', 'archivist', 'admin')),"
  "  PRIMARY KEY (user_id, role));"

  /* Keys are never deleted: old signatures must stay verifiable. */
  "CREATE TABLE signing_keys ("
  "  id            INTEGER PRIMARY KEY,"
  "  user_id       INTEGER NOT NULL REFERENCES users (id),"
  "  alg           TEXT NOT NULL,"
  "  public_key    BLOB NOT NULL,"
  "  fingerprint   TEXT NOT NULL,"
  "  sealed_secret BLOB,"
  "  created_at    TEXT NOT NULL,"
  "  retired_at    TEXT);"

  "CREATE TABLE cases ("
  "  id            INTEGER PRIMARY KEY,"
  "  number        TEXT NOT NULL UNIQUE,"
  "  year          INTEGER NOT NULL,"
  "  seq           INTEGER NOT NULL,"
  "  procedure     TEXT NOT NULL,"
  "  cause         TEXT NOT NULL,"
  "  source        TEXT NOT NULL,"
  "  source_detail TEXT,"
  "  place         TEXT,"
  "  stage         TEXT NOT NULL,"
  "  status        TEXT NOT NULL DEFAULT 'open',"
  "  created_at    TEXT NOT NULL,"
  "  updated_at    TEXT NOT NULL,"
  "  created_by    INTEGER NOT NULL REFERENCES users (id),"
  "  UNIQUE (year, seq));"

  "CREATE TABLE parties ("
  "  id        INTEGER PRIMARY KEY,"
  "  case_id   INTEGER NOT NULL REFERENCES cases (id),"
  "  kind      TEXT NOT NULL CHECK (kind IN ('person', 'organization')),"
  "  name      TEXT NOT NULL,"
  "  id_number TEXT,"
  "  address   TEXT,"
  "  contact   TEXT,"
  "  legal_rep TEXT);"

  "CREATE TABLE case_officers ("
  "  case_id   INTEGER NOT NULL REFERENCES cases (id),"
  "  user_id   INTEGER NOT NULL REFERENCES users (id),"
  "  assistant INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (case_id, user_id));"

  "CREATE TABLE case_events ("
  "  id      INTEGER PRIMARY KEY,"
  "  case_id INTEGER NOT NULL REFERENCES cases (id),"
  "  at      TEXT NOT NULL,"
  "  user_id INTEGER REFERENCES users (id),"
  "  kind    TEXT NOT NULL,"
  "  summary TEXT NOT NULL);"

  "CREATE TABLE audit_log ("
  "  id          INTEGER PRIMARY KEY,"
  "  at          TEXT NOT NULL,"
  "  actor_id    INTEGER NOT NULL,"
  "  actor       TEXT NOT NULL,"
  "  action      TEXT NOT NULL,"
  "  object_type TEXT NOT NULL,"
  "  object_id   TEXT NOT NULL,"
  "  case_id     INTEGER NOT NULL,"
  "  detail      TEXT NOT NULL,"
  "  prev_hash   TEXT NOT NULL,"
  "  hash        TEXT NOT NULL);"

  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
  " BEGIN SELECT RAISE (ABORT, 'audit_log is append-only'); END;"
  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
  " BEGIN SELECT RAISE (ABORT, 'audit_log is append-only'); END;"

  "CREATE INDEX cases_stage ON cases (stage);"
  "CREATE INDEX case_events_case ON case_events (case_id);"
  "CREATE INDEX audit_log_case ON audit_log (case_id);";

/* Version 2: signed approvals and signed checkpoints of the audit chain. */
static const char migration_2[] =
  "CREATE TABLE approvals ("
  "  id           INTEGER PRIMARY KEY,"
  "  case_id      INTEGER NOT NULL REFERENCES cases (id),"
  "  subject      TEXT NOT NULL,"
  "  signer_id    INTEGER NOT NULL REFERENCES users (id),"
  "  role         TEXT NOT NULL,"
  "  key_id       INTEGER NOT NULL REFERENCES signing_keys (id),"
  "  signed_at    TEXT NOT NULL,"
  "  payload      TEXT NOT NULL,"
  "  signature    BLOB NOT NULL);"
  "CREATE INDEX approvals_case ON approvals (case_id);"

  "CREATE TABLE audit_checkpoints ("
  "  id          INTEGER PRIMARY KEY,"
  "  upto_id     INTEGER NOT NULL,"
  "  head_hash   TEXT NOT NULL,"
  "  created_at  TEXT NOT NULL,"
  "  key_id      INTEGER NOT NULL REFERENCES signing_keys (id),"
  "  signature   BLOB NOT NULL);"
  "CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints"
  " BEGIN SELECT RAISE (ABORT, 'audit_checkpoints is append-only'); END;"
  "CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints"
  " BEGIN SELECT RAISE (ABORT, 'audit_checkpoints is append-only'); END;";

/* Version 3: the procedure engine — filled forms, case flags, the stage
 * history, and the agency's stack of rule packs. */
static const char migration_3[] =
  "CREATE TABLE forms ("
  "  id         INTEGER PRIMARY KEY,"
  "  case_id    INTEGER NOT NULL REFERENCES cases (id),"
  "  template   TEXT NOT NULL,"
  "  data       TEXT NOT NULL,"
  "  version    INTEGER NOT NULL,"
  "  complete   INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL,"
  "  created_by INTEGER NOT NULL REFERENCES users (id),"
  "  updated_at TEXT NOT NULL,"
  "  updated_by INTEGER NOT NULL REFERENCES users (id),"
  "  UNIQUE (case_id, template));"

  "CREATE TABLE case_flags ("
  "  case_id INTEGER NOT NULL REFERENCES cases (id),"
  "  flag    TEXT NOT NULL,"
  "  value   TEXT NOT NULL,"
  "  set_at  TEXT NOT NULL,"
  "  set_by  INTEGER NOT NULL REFERENCES users (id),"
  "  PRIMARY KEY (case_id, flag));"

  "CREATE TABLE case_stages ("
  "  id         INTEGER PRIMARY KEY,"
  "  case_id    INTEGER NOT NULL REFERENCES cases (id),"
  "  stage      TEXT NOT NULL,"
  "  entered_at TEXT NOT NULL,"
  "  entered_by INTEGER REFERENCES users (id),"
  "  left_at    TEXT);"
  "CREATE INDEX case_stages_case ON case_stages (case_id);"

  /* Cases opened before version 3 start their history at their current stage. */
  "INSERT INTO case_stages (case_id, stage, entered_at, entered_by)"
  "  SELECT id, stage, created_at, created_by FROM cases;"

  "ALTER TABLE agency ADD COLUMN rulepacks TEXT NOT NULL DEFAULT 'national,001-province,002-jinpu';";

/* Version 4: evidence media.  A medium is one distinct content (its SHA-256
 * names the object in the store); what people state about it can change
 * (audited), what it is cannot.  Disposal keeps the row. */
static const char migration_4[] =
  "CREATE TABLE media ("
  "  id                 INTEGER PRIMARY KEY,"
  "  sha256             TEXT NOT NULL UNIQUE CHECK (length (sha256) = 64),"
  "  sm3                TEXT CHECK (sm3 IS NULL OR length (sm3) = 64),"
  "  size               INTEGER NOT NULL CHECK (size >= 0),"
  "  original_name      TEXT NOT NULL,"
  "  source_path        TEXT NOT NULL,"
  "  case_id            INTEGER REFERENCES cases (id),"
  "  category           TEXT NOT NULL CHECK (category IN ('patrol', 'evidence')),"
  "  device             TEXT,"
  "  title              TEXT,"
  "  party              TEXT,"
  "  cause              TEXT,"
  "  place              TEXT,"
  "  kind               TEXT NOT NULL,"
  "  duration_ms        INTEGER NOT NULL DEFAULT 0,"
  "  recorded_at        TEXT,"
  "  recorded_at_source TEXT,"
  "  stored_at          TEXT NOT NULL,"
  "  imported_by        INTEGER NOT NULL REFERENCES users (id),"
  "  probe_status       TEXT NOT NULL,"
  "  probe_reason       TEXT,"
  "  probe_json         TEXT,"
  "  disposed_at        TEXT);"
  "CREATE INDEX media_case ON media (case_id);"

  "CREATE TABLE media_officers ("
  "  media_id INTEGER NOT NULL REFERENCES media (id),"
  "  user_id  INTEGER NOT NULL REFERENCES users (id),"
  "  position INTEGER NOT NULL,"
  "  PRIMARY KEY (media_id, user_id));"

  "CREATE TABLE media_interruptions ("
  "  id           INTEGER PRIMARY KEY,"
  "  before_id    INTEGER NOT NULL REFERENCES media (id),"
  "  after_id     INTEGER REFERENCES media (id),"
  "  reason       TEXT NOT NULL,"
  "  explanation  TEXT,"
  "  explained_at TEXT NOT NULL,"
  "  explained_by INTEGER NOT NULL REFERENCES users (id));"
  "CREATE UNIQUE INDEX media_interruptions_pair ON media_interruptions (before_id, ifnull (after_id, 0));"

  "CREATE TABLE media_holds ("
  "  id        INTEGER PRIMARY KEY,"
  "  media_id  INTEGER NOT NULL REFERENCES media (id),"
  "  reason    TEXT NOT NULL,"
  "  placed_at TEXT NOT NULL,"
  "  placed_by INTEGER NOT NULL REFERENCES users (id),"
  "  lifted_at TEXT,"
  "  lifted_by INTEGER REFERENCES users (id));"
  "CREATE INDEX media_holds_media ON media_holds (media_id);"

  "CREATE TABLE media_disposals ("
  "  media_id    INTEGER PRIMARY KEY REFERENCES media (id),"
  "  reason      TEXT NOT NULL,"
  "  disposed_at TEXT NOT NULL,"
  "  disposed_by INTEGER NOT NULL REFERENCES users (id),"
  "  key_id      INTEGER NOT NULL REFERENCES signing_keys (id),"
  "  payload     TEXT NOT NULL,"
  "  signature   BLOB NOT NULL);";

/* Version 5: legal-review annotations on media.  Never updated except to
 * withdraw one (who, when, why); the text stays. */
static const char migration_5[] =
  "CREATE TABLE annotations ("
  "  id              INTEGER PRIMARY KEY,"
  "  media_id        INTEGER NOT NULL REFERENCES media (id),"
  "  start_ms        INTEGER NOT NULL CHECK (start_ms >= 0),"
  "  end_ms          INTEGER CHECK (end_ms IS NULL OR end_ms > start_ms),"
  "  code            TEXT NOT NULL,"
  "  text            TEXT NOT NULL,"
  "  author_id       INTEGER NOT NULL REFERENCES users (id),"
  "  created_at      TEXT NOT NULL,"
  "  withdrawn_at    TEXT,"
  "  withdrawn_by    INTEGER REFERENCES users (id),"
  "  withdraw_reason TEXT);"
  "CREATE INDEX annotations_media ON annotations (media_id);";

/* Version 6: provenance of derived media (clips exported from a recording).
 * The requested range is what the person marked; the actual range is what
 * the stream copy produced — it starts at the keyframe at or before the
 * requested start, so actual_start_ms <= start_ms.  Written once with the
 * derived medium's record, never updated. */
static const char migration_6[] =
  "CREATE TABLE media_derivations ("
  "  media_id        INTEGER PRIMARY KEY REFERENCES media (id),"
  "  parent_id       INTEGER NOT NULL REFERENCES media (id),"
  "  parent_sha256   TEXT NOT NULL CHECK (length (parent_sha256) = 64),"
  "  start_ms        INTEGER NOT NULL CHECK (start_ms >= 0),"
  "  end_ms          INTEGER NOT NULL CHECK (end_ms > start_ms),"
  "  actual_start_ms INTEGER NOT NULL CHECK (actual_start_ms >= 0),"
  "  actual_end_ms   INTEGER NOT NULL CHECK (actual_end_ms > actual_start_ms),"
  "  method          TEXT NOT NULL CHECK (method IN ('stream-copy', 're-encode')),"
  "  created_at      TEXT NOT NULL,"
  "  created_by      INTEGER NOT NULL REFERENCES users (id));"
  "CREATE INDEX media_derivations_parent ON media_derivations (parent_id);"
  "CREATE TRIGGER media_derivations_no_update BEFORE UPDATE ON media_derivations"
  "  BEGIN SELECT RAISE (ABORT, 'media provenance is never changed'); END;";

/* Version 7: the archived case file (001_79771f0fef6d4575.txt 第二十一条).
 * When a concluded case is archived its dossier PDF is stored as an object
 * of the evidence store; this row names it by hash, with the checkpoint of
 * the audit chain the dossier prints.  One per case, never changed. */
static const char migration_7[] =
  "CREATE TABLE case_archives ("
  "  case_id       INTEGER PRIMARY KEY REFERENCES cases (id),"
  "  sha256        TEXT NOT NULL CHECK (length (sha256) = 64),"
  "  sm3           TEXT CHECK (sm3 IS NULL OR length (sm3) = 64),"
  "  size          INTEGER NOT NULL CHECK (size > 0),"
  "  pages         INTEGER NOT NULL CHECK (pages > 0),"
  "  created_at    TEXT NOT NULL,"
  "  created_by    INTEGER NOT NULL REFERENCES users (id),"
  "  checkpoint_id INTEGER NOT NULL REFERENCES audit_checkpoints (id));"
  "CREATE TRIGGER case_archives_no_update BEFORE UPDATE ON case_archives"
  "  BEGIN SELECT RAISE (ABORT, 'an archived case file is never changed'); END;"
  "CREATE TRIGGER case_archives_no_delete BEFORE DELETE ON case_archives"
  "  BEGIN SELECT RAISE (ABORT, 'an archived case file is never removed'); END;";

static const char * const migrations[] = {
  NULL,          /* version 0: empty database */
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
  migration_6,
  migration_7,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CT_DB_SCHEMA_VERSION + 1);

/* ---- clock ---------------------------------------------------------------- */

static GDateTime *(*clock_func) (void) = NULL;

void
ct_db_set_clock (GDateTime *(*now_func) (void))
{
  clock_func = now_func;
}

char *
ct_db_now_iso (void)
{
  g_autoptr(GDateTime) now = clock_func ? clock_func () : g_date_time_new_now_utc ();
  g_autoptr(GDateTime) utc = g_date_time_to_utc (now);

  g_autofree char *base = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (utc) / 1000);
}

/* ---- errors ------------------------------------------------------------------ */

static void
set_sqlite_error (GError    **error,
                  sqlite3    *handle,
                  int         rc,
                  const char *what)
{
  int code = CT_ERROR_DATABASE;
  const char *detail = handle ? sqlite3_errmsg (handle) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, CT_ERROR, CT_ERROR_IO,
                   _("%s: the disk is full. Free some space and try again."), what);
      return;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      g_set_error (error, CT_ERROR, CT_ERROR_IO,
                   _("%s: the database cannot be opened for writing (%s). Check the permissions of the data folder."),
                   what, detail);
      return;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CT_ERROR, CT_ERROR_DATABASE,
                   _("%s: the database is in use by another program. Close it and try again."), what);
      return;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, CT_ERROR, CT_ERROR_INTEGRITY,
                   _("%s: the database file is damaged (%s). Restore it from a backup."), what, detail);
      return;
    case SQLITE_CONSTRAINT:
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("%s: the change was refused by the database (%s)."), what, detail);
      return;
    default:
      break;
    }

  g_set_error (error, CT_ERROR, code, _("%s: database error (%s)."), what, detail);
}

void
ct_db_set_error (CtDb       *db,
                 GError    **error,
                 const char *what)
{
  set_sqlite_error (error, db->handle, sqlite3_extended_errcode (db->handle), what);
}

/* ---- statements ----------------------------------------------------------------- */

gboolean
ct_db_exec (CtDb        *db,
            const char  *sql,
            GError     **error)
{
  char *msg = NULL;
  int rc = sqlite3_exec (db->handle, sql, NULL, NULL, &msg);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db->handle, rc, _("Could not update the database"));
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
ct_db_prepare (CtDb        *db,
               const char  *sql,
               GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db->handle, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db->handle, rc, _("Could not read the database"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

gboolean
ct_db_step_done (CtDb          *db,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, db->handle, sqlite3_extended_errcode (db->handle),
                        _("Could not save the change"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

void
ct_db_bind_text (sqlite3_stmt *stmt,
                 int           idx,
                 const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_text (stmt, idx, text, -1, SQLITE_TRANSIENT);
}

void
ct_db_bind_int64 (sqlite3_stmt *stmt,
                  int           idx,
                  gint64        value)
{
  sqlite3_bind_int64 (stmt, idx, value);
}

char *
ct_db_column_dup (sqlite3_stmt *stmt,
                  int           col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* ---- transactions ----------------------------------------------------------------- */

gboolean
ct_db_begin (CtDb    *db,
             GError **error)
{
  g_return_val_if_fail (!db->in_transaction, FALSE);

  if (!ct_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  db->in_transaction = TRUE;
  return TRUE;
}

gboolean
ct_db_commit (CtDb    *db,
              GError **error)
{
  g_return_val_if_fail (db->in_transaction, FALSE);

  if (!ct_db_exec (db, "COMMIT", error))
    {
      ct_db_rollback (db);
      return FALSE;
    }
  db->in_transaction = FALSE;
  return TRUE;
}

void
ct_db_rollback (CtDb *db)
{
  if (!db->in_transaction)
    return;
  /* Fails harmlessly when SQLite already rolled back on its own. */
  sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
  db->in_transaction = FALSE;
}

/* ---- open and migrate ---------------------------------------------------------------- */

static int
read_version (CtDb    *db,
              GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_table = FALSE;
  int version = 0;

  stmt = ct_db_prepare (db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", error);
  if (stmt == NULL)
    return -1;
  has_table = sqlite3_step (stmt) == SQLITE_ROW;
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!has_table)
    return 0;

  stmt = ct_db_prepare (db, "SELECT MAX(version) FROM schema_version", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  return version;
}

static gboolean
migrate (CtDb    *db,
         int      target,
         GError **error)
{
  for (int v = db->version + 1; v <= target; v++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autofree char *now = ct_db_now_iso ();

      g_debug ("Migrating %s to schema version %d", db->path, v);

      if (!ct_db_begin (db, error))
        return FALSE;
      if (!ct_db_exec (db, migrations[v], error))
        goto fail;
      stmt = ct_db_prepare (db, "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int (stmt, 1, v);
      ct_db_bind_text (stmt, 2, now);
      if (!ct_db_step_done (db, stmt, error))
        goto fail;
      if (!ct_db_commit (db, error))
        return FALSE;
      db->version = v;
      continue;

    fail:
      ct_db_rollback (db);
      g_prefix_error (error, _("Could not upgrade the database to version %d: "), v);
      return FALSE;
    }
  return TRUE;
}

CtDb *
ct_db_open (const char  *path,
            int          target_version,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  CtDb *db;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (target_version >= 0 && target_version <= CT_DB_SCHEMA_VERSION, NULL);

  if (target_version == 0)
    target_version = CT_DB_SCHEMA_VERSION;

  db = g_new0 (CtDb, 1);
  db->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &db->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf (_("Could not open the database “%s”"), path);
      set_sqlite_error (error, db->handle, rc, what);
      ct_db_close (db);
      return NULL;
    }

  sqlite3_extended_result_codes (db->handle, 1);
  sqlite3_busy_timeout (db->handle, 5000);
  /* Defensive mode: no writes to the schema or shadow tables through SQL,
   * so the append-only triggers cannot be dropped by a crafted statement. */
  sqlite3_db_config (db->handle, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (db->handle, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);

  if (!ct_db_exec (db,
                   "PRAGMA journal_mode = WAL;"
                   "PRAGMA synchronous = FULL;"
                   "PRAGMA foreign_keys = ON;",
                   &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not open the database “%s”: "), path);
      ct_db_close (db);
      return NULL;
    }

  db->version = read_version (db, &local_error);
  if (db->version < 0)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not open the database “%s”: "), path);
      ct_db_close (db);
      return NULL;
    }

  if (db->version > CT_DB_SCHEMA_VERSION)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_DB_TOO_NEW,
                   _("The database “%s” was written by a newer version of Casetrail (schema %d; this version understands up to %d). Install the newer version; the database was not changed."),
                   path, db->version, CT_DB_SCHEMA_VERSION);
      ct_db_close (db);
      return NULL;
    }

  if (!migrate (db, target_version, error))
    {
      ct_db_close (db);
      return NULL;
    }

  return db;
}

void
ct_db_close (CtDb *db)
{
  if (db == NULL)
    return;
  if (db->in_transaction)
    ct_db_rollback (db);
  if (db->handle != NULL && sqlite3_close (db->handle) == SQLITE_BUSY)
    {
      /* A statement was not finalized: a bug, and it would keep the WAL
       * from being checkpointed.  Say so, then close when it is done. */
      g_critical ("Closing %s with statements still prepared", db->path);
      sqlite3_close_v2 (db->handle);
    }
  g_free (db->path);
  g_free (db);
}

int
ct_db_get_version (CtDb *db)
{
  return db->version;
}

sqlite3 *
ct_db_handle (CtDb *db)
{
  return db->handle;
}

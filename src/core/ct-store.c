#define G_LOG_DOMAIN "casetrail-core"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ct-audit.h"
#include "ct-crypto.h"
#include "ct-db.h"
#include "ct-error.h"
#include "ct-store-private.h"
#include "ct-objects.h"

#define MIN_PASSPHRASE_LEN 8
#define SALT_LEN 16
#define MIN_KDF_MEMORY_KIB 8192

G_DEFINE_FINAL_TYPE (CtStore, ct_store, G_TYPE_OBJECT)

/* ---- GObject ------------------------------------------------------------------ */

static void
ct_store_finalize (GObject *object)
{
  CtStore *self = CT_STORE (object);

  ct_store_procedure_clear (self);
  g_clear_pointer (&self->objects, ct_object_store_free);
  g_clear_pointer (&self->db, ct_db_close);
  g_clear_pointer (&self->data_dir, g_free);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ct_store_parent_class)->finalize (object);
}

static void
ct_store_class_init (CtStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ct_store_finalize;
}

static void
ct_store_init (CtStore *self)
{
  g_rec_mutex_init (&self->lock);
  ct_kdf_params_default (&self->kdf);
}

/* ---- sessions --------------------------------------------------------------------- */

CtSession *
ct_session_ref (CtSession *session)
{
  g_return_val_if_fail (session != NULL, NULL);
  g_atomic_ref_count_inc (&session->ref_count);
  return session;
}

void
ct_session_unref (CtSession *session)
{
  if (session == NULL)
    return;
  if (!g_atomic_ref_count_dec (&session->ref_count))
    return;
  g_free (session->username);
  g_free (session->display_name);
  g_clear_pointer (&session->key, ct_keypair_free);
  g_free (session);
}

gint64      ct_session_get_user_id (CtSession *s)      { return s->user_id; }
const char *ct_session_get_username (CtSession *s)     { return s->username; }
const char *ct_session_get_display_name (CtSession *s) { return s->display_name; }
guint       ct_session_get_roles (CtSession *s)        { return s->roles; }

gboolean
ct_session_has_role (CtSession *session,
                     CtRole     role)
{
  return session != NULL && (session->roles & role) != 0;
}

/* ---- helpers ------------------------------------------------------------------------ */

static gboolean
is_blank (const char *s)
{
  if (s == NULL)
    return TRUE;
  for (; *s; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

static char *
strip_dup (const char *s)
{
  return is_blank (s) ? NULL : g_strstrip (g_strdup (s));
}

/* A JSON object from key/value string pairs, NULL-terminated. */
char *
ct_store_detail_json (const char *first_key, ...)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  va_list ap;

  json_builder_begin_object (b);
  va_start (ap, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (ap, const char *))
    {
      const char *value = va_arg (ap, const char *);
      json_builder_set_member_name (b, key);
      if (value != NULL)
        json_builder_add_string_value (b, value);
      else
        json_builder_add_null_value (b);
    }
  va_end (ap);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

gboolean
ct_store_require_role (CtSession  *session,
              CtRole      role,
              const char *what,
              GError    **error)
{
  if (session == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("Sign in to %s."), what);
      return FALSE;
    }
  if (!ct_session_has_role (session, role))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("Only a user with the role “%s” may %s; ask your administrator to grant it."),
                   ct_role_to_label (role), what);
      return FALSE;
    }
  return TRUE;
}

gint64
ct_store_audit (CtStore    *self,
       CtSession  *session,
       const char *action,
       const char *object_type,
       const char *object_id,
       gint64      case_id,
       const char *detail,
       GError    **error)
{
  return ct_audit_append (self->db,
                          session ? session->user_id : 0,
                          session ? session->username : "",
                          action, object_type, object_id, case_id, detail, error);
}

/* ---- open ---------------------------------------------------------------------------- */

char *
ct_store_default_data_dir (void)
{
  const char *env = g_getenv ("CASETRAIL_DATA_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "casetrail", NULL);
}

CtStore *
ct_store_open (const char  *data_dir,
               GError     **error)
{
  g_autoptr(CtStore) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  if (!ct_crypto_init (error))
    return NULL;

  dir = data_dir != NULL ? g_strdup (data_dir) : ct_store_default_data_dir ();

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, CT_ERROR, CT_ERROR_IO,
                   _("Could not create the data folder “%s”: %s. Choose another folder or check its permissions."),
                   dir, g_strerror (saved));
      return NULL;
    }

  path = g_build_filename (dir, "casetrail.db", NULL);

  self = g_object_new (CT_TYPE_STORE, NULL);
  self->data_dir = g_steal_pointer (&dir);
  self->db = ct_db_open (path, 0, error);
  if (self->db == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

const char *
ct_store_get_data_dir (CtStore *self)
{
  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  return self->data_dir;
}

int
ct_store_get_schema_version (CtStore *self)
{
  g_return_val_if_fail (CT_IS_STORE (self), 0);
  return ct_db_get_version (self->db);
}

void
ct_store_set_kdf_params (CtStore           *self,
                         const CtKdfParams *params)
{
  g_return_if_fail (CT_IS_STORE (self));
  CT_STORE_LOCK (self);
  self->kdf = *params;
  self->kdf.m_cost_kib = MAX (self->kdf.m_cost_kib, MIN_KDF_MEMORY_KIB);
  self->kdf.t_cost = MAX (self->kdf.t_cost, 1);
  self->kdf.parallelism = MAX (self->kdf.parallelism, 1);
}

/* ---- agency ---------------------------------------------------------------------------- */

gboolean
ct_store_is_initialized (CtStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);
  CT_STORE_LOCK (self);

  stmt = ct_db_prepare (self->db, "SELECT 1 FROM agency WHERE id = 1", NULL);
  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW;
}

static CtAgency *
read_agency (CtStore *self,
             GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  CtAgency *agency;

  stmt = ct_db_prepare (self->db,
                        "SELECT name, case_number_pattern, national_crypto, created_at FROM agency WHERE id = 1",
                        error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_INITIALIZED,
                   _("No agency has been set up yet. Create the agency first (casetrail-cli init, or the first-run screen of the app)."));
      return NULL;
    }
  agency = g_new0 (CtAgency, 1);
  agency->name = ct_db_column_dup (stmt, 0);
  agency->case_number_pattern = ct_db_column_dup (stmt, 1);
  agency->national_crypto = sqlite3_column_int (stmt, 2) != 0;
  agency->created_at = ct_db_column_dup (stmt, 3);
  return agency;
}

CtAgency *
ct_store_get_agency (CtStore *self,
                     GError **error)
{
  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  CT_STORE_LOCK (self);
  return read_agency (self, error);
}

gboolean
ct_case_number_pattern_validate (const char  *pattern,
                                 GError     **error)
{
  gboolean has_year = FALSE, has_seq = FALSE;

  if (is_blank (pattern))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("The case number pattern is empty. It must contain {year} and {seq}, e.g. X司罚立〔{year}〕{seq}号."));
      return FALSE;
    }

  for (const char *p = pattern; *p; p++)
    {
      const char *end;
      g_autofree char *token = NULL;

      if (*p == '}')
        goto bad;
      if (*p != '{')
        continue;
      end = strchr (p, '}');
      if (end == NULL)
        goto bad;
      token = g_strndup (p + 1, end - p - 1);
      if (strcmp (token, "year") == 0)
        has_year = TRUE;
      else if (strcmp (token, "seq") == 0)
        has_seq = TRUE;
      else if (g_str_has_prefix (token, "seq:") && strlen (token) == 5 &&
               token[4] >= '1' && token[4] <= '9')
        has_seq = TRUE;
      else
        goto bad;
      p = end;
    }

  if (!has_year || !has_seq)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("The case number pattern “%s” must contain both {year} and {seq}."), pattern);
      return FALSE;
    }
  return TRUE;

bad:
  g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
               _("The case number pattern “%s” has an unknown placeholder; use only {year}, {seq} or {seq:N} (N digits, 1–9)."),
               pattern);
  return FALSE;
}

char *
ct_case_number_format (const char *pattern,
                       int         year,
                       gint64      seq)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (const char *p = pattern; *p; p++)
    {
      if (*p == '{')
        {
          const char *end = strchr (p, '}');
          if (end != NULL)
            {
              g_autofree char *token = g_strndup (p + 1, end - p - 1);
              if (strcmp (token, "year") == 0)
                g_string_append_printf (s, "%d", year);
              else if (strcmp (token, "seq") == 0)
                g_string_append_printf (s, "%" G_GINT64_FORMAT, seq);
              else if (g_str_has_prefix (token, "seq:"))
                g_string_append_printf (s, "%0*" G_GINT64_FORMAT, (int) g_ascii_strtoll (token + 4, NULL, 10), seq);
              else
                g_string_append_len (s, p, end - p + 1);
              p = end;
              continue;
            }
        }
      g_string_append_c (s, *p);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* ---- users -------------------------------------------------------------------------------- */

static gboolean
validate_user_spec (const CtUserSpec *spec,
                    const char       *passphrase,
                    gboolean          check_policy,
                    GError          **error)
{
  if (is_blank (spec->username))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("User name: enter a user name."));
      return FALSE;
    }
  for (const char *p = spec->username; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '.' || *p == '_' || *p == '-'))
      {
        g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                     _("User name “%s”: use only letters, digits, “.”, “_” and “-”."), spec->username);
        return FALSE;
      }
  if (strlen (spec->username) > 64)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("User name: at most 64 characters."));
      return FALSE;
    }
  if (is_blank (spec->display_name))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Name: enter the person’s full name for user “%s”."), spec->username);
      return FALSE;
    }
  if (spec->roles == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Roles: give user “%s” at least one role."), spec->username);
      return FALSE;
    }
  if (spec->certified && is_blank (spec->cert_number))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Certificate number: a certified officer needs the number of their law-enforcement certificate (执法证号)."));
      return FALSE;
    }
  if ((spec->roles & CT_ROLE_HANDLER) && !spec->certified)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Roles: only a certified officer can be a case handler; make “%s” an assistant or enter the certificate number."),
                   spec->username);
      return FALSE;
    }
  if (passphrase == NULL || *passphrase == '\0')
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Passphrase: enter a passphrase."));
      return FALSE;
    }
  if (check_policy && g_utf8_strlen (passphrase, -1) < MIN_PASSPHRASE_LEN)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Passphrase: use at least %d characters."), MIN_PASSPHRASE_LEN);
      return FALSE;
    }
  return TRUE;
}

/* Derives 64 bytes: the first half is checked (through its hash) at login,
 * the second half seals the signing key.  One Argon2id run serves both. */
static gboolean
derive (const char        *passphrase,
        const guint8      *salt,
        const CtKdfParams *params,
        guint8             verifier[CT_HASH_LEN],
        guint8             kek[32],
        GError           **error)
{
  guint8 out[64];

  if (!ct_kdf_argon2id (passphrase, strlen (passphrase), salt, SALT_LEN, params, out, sizeof out, error))
    return FALSE;
  ct_hash_buffer (CT_HASH_SHA256, out, 32, verifier);
  memcpy (kek, out + 32, 32);
  explicit_bzero (out, sizeof out);
  return TRUE;
}

typedef struct {
  guint8     salt[SALT_LEN];
  guint8     verifier[CT_HASH_LEN];
  CtKdfParams kdf;
  CtSigAlg   alg;
  GBytes    *public_key;
  GBytes    *sealed;
  char      *fingerprint;
} UserSecrets;

static void
user_secrets_clear (UserSecrets *s)
{
  g_clear_pointer (&s->public_key, g_bytes_unref);
  g_clear_pointer (&s->sealed, g_bytes_unref);
  g_clear_pointer (&s->fingerprint, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (UserSecrets, user_secrets_clear)

/* The slow part of creating a user, done before any transaction. */
static gboolean
make_user_secrets (const char        *passphrase,
                   const CtKdfParams *params,
                   CtSigAlg           alg,
                   UserSecrets       *out,
                   GError           **error)
{
  g_autoptr(CtKeyPair) kp = NULL;
  g_autoptr(GBytes) secret = NULL;
  guint8 kek[32];

  ct_random_bytes (out->salt, SALT_LEN);
  out->kdf = *params;
  out->alg = alg;
  if (!derive (passphrase, out->salt, params, out->verifier, kek, error))
    return FALSE;

  kp = ct_keypair_generate (alg, error);
  if (kp == NULL)
    {
      explicit_bzero (kek, sizeof kek);
      return FALSE;
    }
  secret = ct_keypair_get_secret (kp);
  out->sealed = ct_seal (kek, g_bytes_get_data (secret, NULL), g_bytes_get_size (secret), error);
  explicit_bzero (kek, sizeof kek);
  if (out->sealed == NULL)
    return FALSE;
  out->public_key = ct_keypair_get_public (kp);
  out->fingerprint = ct_key_fingerprint (alg, out->public_key);
  return TRUE;
}

static gint64
insert_signing_key (CtStore     *self,
                    gint64       user_id,
                    UserSecrets *secrets,
                    const char  *now,
                    GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ct_db_prepare (self->db,
                        "INSERT INTO signing_keys (user_id, alg, public_key, fingerprint, sealed_secret, created_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    return 0;
  ct_db_bind_int64 (stmt, 1, user_id);
  ct_db_bind_text (stmt, 2, ct_sig_alg_to_string (secrets->alg));
  sqlite3_bind_blob (stmt, 3, g_bytes_get_data (secrets->public_key, NULL),
                     g_bytes_get_size (secrets->public_key), SQLITE_TRANSIENT);
  ct_db_bind_text (stmt, 4, secrets->fingerprint);
  sqlite3_bind_blob (stmt, 5, g_bytes_get_data (secrets->sealed, NULL),
                     g_bytes_get_size (secrets->sealed), SQLITE_TRANSIENT);
  ct_db_bind_text (stmt, 6, now);
  if (!ct_db_step_done (self->db, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (ct_db_handle (self->db));
}

/* Inside a transaction. */
static gint64
insert_user (CtStore          *self,
             CtSession        *actor,
             const CtUserSpec *spec,
             UserSecrets      *secrets,
             GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = ct_db_now_iso ();
  g_autofree char *roles = ct_roles_to_string (spec->roles);
  g_autofree char *detail = NULL;
  g_autofree char *id_str = NULL;
  gint64 id;

  stmt = ct_db_prepare (self->db, "SELECT 1 FROM users WHERE username = ?", error);
  if (stmt == NULL)
    return 0;
  ct_db_bind_text (stmt, 1, spec->username);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_EXISTS,
                   _("User name “%s” is already taken; choose another."), spec->username);
      return 0;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  {
    g_autofree char *display = g_strstrip (g_strdup (spec->display_name));
    g_autofree char *cert = strip_dup (spec->cert_number);

    stmt = ct_db_prepare (self->db,
                          "INSERT INTO users (username, display_name, cert_number, certified, active,"
                          " created_at, kdf_salt, kdf_t, kdf_m, kdf_p, verifier)"
                          " VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)",
                          error);
    if (stmt == NULL)
      return 0;
    ct_db_bind_text (stmt, 1, spec->username);
    ct_db_bind_text (stmt, 2, display);
    ct_db_bind_text (stmt, 3, cert);
    ct_db_bind_int64 (stmt, 4, spec->certified ? 1 : 0);
    ct_db_bind_text (stmt, 5, now);
    sqlite3_bind_blob (stmt, 6, secrets->salt, SALT_LEN, SQLITE_TRANSIENT);
    ct_db_bind_int64 (stmt, 7, secrets->kdf.t_cost);
    ct_db_bind_int64 (stmt, 8, secrets->kdf.m_cost_kib);
    ct_db_bind_int64 (stmt, 9, secrets->kdf.parallelism);
    sqlite3_bind_blob (stmt, 10, secrets->verifier, CT_HASH_LEN, SQLITE_TRANSIENT);
    if (!ct_db_step_done (self->db, stmt, error))
      return 0;
    id = sqlite3_last_insert_rowid (ct_db_handle (self->db));
  }
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = ct_db_prepare (self->db, "INSERT INTO user_roles (user_id, role) VALUES (?, ?)", error);
  if (stmt == NULL)
    return 0;
  for (guint i = 0; i < CT_N_ROLES; i++)
    {
      CtRole role = ct_role_nth (i);
      if (!(spec->roles & role))
        continue;
      ct_db_bind_int64 (stmt, 1, id);
      ct_db_bind_text (stmt, 2, ct_role_to_id (role));
      if (!ct_db_step_done (self->db, stmt, error))
        return 0;
    }

  if (insert_signing_key (self, id, secrets, now, error) == 0)
    return 0;

  id_str = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  detail = ct_store_detail_json ("username", spec->username,
                        "display_name", spec->display_name,
                        "cert_number", spec->cert_number,
                        "certified", spec->certified ? "yes" : "no",
                        "roles", roles,
                        "key_alg", ct_sig_alg_to_string (secrets->alg),
                        "key_fingerprint", secrets->fingerprint,
                        NULL);
  if (ct_store_audit (self, actor, "user.create", "user", id_str, 0, detail, error) == 0)
    return 0;
  return id;
}

gboolean
ct_store_init_agency_full (CtStore          *self,
                           const char       *agency_name,
                           const char       *case_number_pattern,
                           gboolean          national_crypto,
                           const CtUserSpec *admin,
                           const char       *admin_passphrase,
                           gboolean          check_policy,
                           GError          **error)
{
  g_auto(UserSecrets) secrets = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = NULL;
  g_autofree char *name = NULL;
  g_autofree char *detail = NULL;
  CtUserSpec spec;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);

  if (is_blank (agency_name))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Agency name: enter the full name of the agency."));
      return FALSE;
    }
  if (!ct_case_number_pattern_validate (case_number_pattern, error))
    return FALSE;

  spec = *admin;
  spec.roles |= CT_ROLE_ADMIN;
  if (!validate_user_spec (&spec, admin_passphrase, check_policy, error))
    return FALSE;

  if (ct_store_is_initialized (self))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_EXISTS,
                   _("This data folder already holds an agency; it cannot be set up twice."));
      return FALSE;
    }

  if (!make_user_secrets (admin_passphrase, &self->kdf,
                          national_crypto ? CT_SIG_SM2 : CT_SIG_ED25519, &secrets, error))
    return FALSE;

  CT_STORE_LOCK (self);

  if (!ct_db_begin (self->db, error))
    return FALSE;

  now = ct_db_now_iso ();
  name = g_strstrip (g_strdup (agency_name));
  stmt = ct_db_prepare (self->db,
                        "INSERT INTO agency (id, name, case_number_pattern, national_crypto, created_at)"
                        " VALUES (1, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    goto fail;
  ct_db_bind_text (stmt, 1, name);
  ct_db_bind_text (stmt, 2, case_number_pattern);
  ct_db_bind_int64 (stmt, 3, national_crypto ? 1 : 0);
  ct_db_bind_text (stmt, 4, now);
  if (!ct_db_step_done (self->db, stmt, error))
    goto fail;

  detail = ct_store_detail_json ("name", name,
                        "case_number_pattern", case_number_pattern,
                        "national_crypto", national_crypto ? "yes" : "no",
                        NULL);
  if (ct_store_audit (self, NULL, "agency.create", "agency", "1", 0, detail, error) == 0)
    goto fail;

  if (insert_user (self, NULL, &spec, &secrets, error) == 0)
    goto fail;

  return ct_db_commit (self->db, error);

fail:
  ct_db_rollback (self->db);
  return FALSE;
}

gboolean
ct_store_init_agency (CtStore          *self,
                      const char       *agency_name,
                      const char       *case_number_pattern,
                      gboolean          national_crypto,
                      const CtUserSpec *admin,
                      const char       *admin_passphrase,
                      GError          **error)
{
  return ct_store_init_agency_full (self, agency_name, case_number_pattern, national_crypto,
                                    admin, admin_passphrase, TRUE, error);
}

gboolean
ct_store_update_agency (CtStore        *self,
                        CtSession      *session,
                        const char     *agency_name,
                        const char     *case_number_pattern,
                        const gboolean *national_crypto,
                        GError        **error)
{
  g_autoptr(CtAgency) old = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *name = NULL;
  g_autofree char *detail = NULL;
  const char *pattern;
  gboolean nc;

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);

  if (!ct_store_require_role (session, CT_ROLE_ADMIN, _("change the agency settings"), error))
    return FALSE;
  if (agency_name != NULL && is_blank (agency_name))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Agency name: enter the full name of the agency."));
      return FALSE;
    }
  if (case_number_pattern != NULL && !ct_case_number_pattern_validate (case_number_pattern, error))
    return FALSE;

  CT_STORE_LOCK (self);

  old = read_agency (self, error);
  if (old == NULL)
    return FALSE;

  name = g_strstrip (g_strdup (agency_name ? agency_name : old->name));
  pattern = case_number_pattern ? case_number_pattern : old->case_number_pattern;
  nc = national_crypto ? *national_crypto : old->national_crypto;

  if (!ct_db_begin (self->db, error))
    return FALSE;
  stmt = ct_db_prepare (self->db,
                        "UPDATE agency SET name = ?, case_number_pattern = ?, national_crypto = ? WHERE id = 1",
                        error);
  if (stmt == NULL)
    goto fail;
  ct_db_bind_text (stmt, 1, name);
  ct_db_bind_text (stmt, 2, pattern);
  ct_db_bind_int64 (stmt, 3, nc ? 1 : 0);
  if (!ct_db_step_done (self->db, stmt, error))
    goto fail;

  detail = ct_store_detail_json ("old_name", old->name, "name", name,
                        "old_case_number_pattern", old->case_number_pattern,
                        "case_number_pattern", pattern,
                        "old_national_crypto", old->national_crypto ? "yes" : "no",
                        "national_crypto", nc ? "yes" : "no",
                        NULL);
  if (ct_store_audit (self, session, "agency.update", "agency", "1", 0, detail, error) == 0)
    goto fail;
  return ct_db_commit (self->db, error);

fail:
  ct_db_rollback (self->db);
  return FALSE;
}

gint64
ct_store_add_user_full (CtStore          *self,
                        CtSession        *session,
                        const CtUserSpec *spec,
                        const char       *passphrase,
                        gboolean          check_policy,
                        GError          **error)
{
  g_auto(UserSecrets) secrets = { 0 };
  g_autoptr(CtAgency) agency = NULL;
  gint64 id;

  g_return_val_if_fail (CT_IS_STORE (self), 0);

  if (!ct_store_require_role (session, CT_ROLE_ADMIN, _("add users"), error))
    return 0;
  if (!validate_user_spec (spec, passphrase, check_policy, error))
    return 0;

  agency = ct_store_get_agency (self, error);
  if (agency == NULL)
    return 0;

  if (!make_user_secrets (passphrase, &self->kdf,
                          agency->national_crypto ? CT_SIG_SM2 : CT_SIG_ED25519, &secrets, error))
    return 0;

  CT_STORE_LOCK (self);
  if (!ct_db_begin (self->db, error))
    return 0;
  id = insert_user (self, session, spec, &secrets, error);
  if (id == 0 || !ct_db_commit (self->db, error))
    {
      ct_db_rollback (self->db);
      return 0;
    }
  return id;
}

gint64
ct_store_add_user (CtStore          *self,
                   CtSession        *session,
                   const CtUserSpec *spec,
                   const char       *passphrase,
                   GError          **error)
{
  return ct_store_add_user_full (self, session, spec, passphrase, TRUE, error);
}

static guint
read_roles (CtStore *self,
            gint64   user_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint roles = 0;

  stmt = ct_db_prepare (self->db, "SELECT role FROM user_roles WHERE user_id = ?", NULL);
  if (stmt == NULL)
    return 0;
  ct_db_bind_int64 (stmt, 1, user_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      CtRole role;
      if (ct_role_from_id ((const char *) sqlite3_column_text (stmt, 0), &role))
        roles |= role;
    }
  return roles;
}

#define USER_COLUMNS \
  "u.id, u.username, u.display_name, u.cert_number, u.certified, u.active, u.created_at," \
  " (SELECT k.alg FROM signing_keys k WHERE k.user_id = u.id AND k.retired_at IS NULL ORDER BY k.id DESC LIMIT 1)," \
  " (SELECT k.fingerprint FROM signing_keys k WHERE k.user_id = u.id AND k.retired_at IS NULL ORDER BY k.id DESC LIMIT 1)"

static CtUser *
user_from_row (CtStore      *self,
               sqlite3_stmt *stmt)
{
  CtUser *u = g_new0 (CtUser, 1);

  u->id = sqlite3_column_int64 (stmt, 0);
  u->username = ct_db_column_dup (stmt, 1);
  u->display_name = ct_db_column_dup (stmt, 2);
  u->cert_number = ct_db_column_dup (stmt, 3);
  u->certified = sqlite3_column_int (stmt, 4) != 0;
  u->active = sqlite3_column_int (stmt, 5) != 0;
  u->created_at = ct_db_column_dup (stmt, 6);
  u->key_alg = ct_db_column_dup (stmt, 7);
  u->key_fingerprint = ct_db_column_dup (stmt, 8);
  u->roles = read_roles (self, u->id);
  return u;
}

GPtrArray *
ct_store_list_users (CtStore *self,
                     GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_user_free);
  int rc;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  CT_STORE_LOCK (self);

  stmt = ct_db_prepare (self->db, "SELECT " USER_COLUMNS " FROM users u ORDER BY u.username", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (users, user_from_row (self, stmt));
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, _("Could not read the users"));
      return NULL;
    }
  return g_steal_pointer (&users);
}

CtUser *
ct_store_get_user (CtStore    *self,
                   const char *username,
                   GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  CT_STORE_LOCK (self);

  stmt = ct_db_prepare (self->db, "SELECT " USER_COLUMNS " FROM users u WHERE u.username = ?", error);
  if (stmt == NULL)
    return NULL;
  ct_db_bind_text (stmt, 1, username);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("There is no user “%s”."), username);
      return NULL;
    }
  return user_from_row (self, stmt);
}

/* ---- login ------------------------------------------------------------------------------------ */

typedef struct {
  gint64      id;
  char       *display_name;
  gboolean    active;
  guint8      salt[SALT_LEN];
  CtKdfParams kdf;
  guint8      verifier[CT_HASH_LEN];
  gint64      key_id;
  CtSigAlg    alg;
  GBytes     *sealed;
} LoginRecord;

static void
login_record_clear (LoginRecord *r)
{
  g_clear_pointer (&r->display_name, g_free);
  g_clear_pointer (&r->sealed, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LoginRecord, login_record_clear)

static gboolean
read_login_record (CtStore     *self,
                   const char  *username,
                   LoginRecord *r)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ct_db_prepare (self->db,
                        "SELECT u.id, u.display_name, u.active, u.kdf_salt, u.kdf_t, u.kdf_m, u.kdf_p,"
                        " u.verifier, k.id, k.alg, k.sealed_secret"
                        " FROM users u JOIN signing_keys k ON k.user_id = u.id AND k.retired_at IS NULL"
                        " WHERE u.username = ? ORDER BY k.id DESC LIMIT 1",
                        NULL);
  if (stmt == NULL)
    return FALSE;
  ct_db_bind_text (stmt, 1, username);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  if (sqlite3_column_bytes (stmt, 3) != SALT_LEN || sqlite3_column_bytes (stmt, 7) != CT_HASH_LEN)
    return FALSE;

  r->id = sqlite3_column_int64 (stmt, 0);
  r->display_name = ct_db_column_dup (stmt, 1);
  r->active = sqlite3_column_int (stmt, 2) != 0;
  memcpy (r->salt, sqlite3_column_blob (stmt, 3), SALT_LEN);
  r->kdf.t_cost = sqlite3_column_int (stmt, 4);
  r->kdf.m_cost_kib = sqlite3_column_int (stmt, 5);
  r->kdf.parallelism = sqlite3_column_int (stmt, 6);
  memcpy (r->verifier, sqlite3_column_blob (stmt, 7), CT_HASH_LEN);
  r->key_id = sqlite3_column_int64 (stmt, 8);
  if (!ct_sig_alg_from_string ((const char *) sqlite3_column_text (stmt, 9), &r->alg, NULL))
    return FALSE;
  r->sealed = g_bytes_new (sqlite3_column_blob (stmt, 10), sqlite3_column_bytes (stmt, 10));
  return TRUE;
}

static gint64 checkpoint_locked (CtStore *self, CtSession *session, GError **error);

static void
record_failed_login (CtStore    *self,
                     const char *username,
                     gint64      user_id,
                     const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = ct_store_detail_json ("username", username, "reason", reason, NULL);
  g_autofree char *id_str = user_id ? g_strdup_printf ("%" G_GINT64_FORMAT, user_id) : g_strdup ("");

  if (!ct_db_begin (self->db, &error) ||
      ct_audit_append (self->db, user_id, username, "user.login_failed", "user", id_str, 0,
                       detail, &error) == 0 ||
      !ct_db_commit (self->db, &error))
    {
      ct_db_rollback (self->db);
      g_warning ("Could not record a failed login: %s", error->message);
    }
}

CtSession *
ct_store_login (CtStore     *self,
                const char  *username,
                const char  *passphrase,
                GError     **error)
{
  g_auto(LoginRecord) rec = { 0 };
  g_autoptr(CtSession) session = NULL;
  g_autoptr(GBytes) secret = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id_str = NULL;
  guint8 verifier[CT_HASH_LEN];
  guint8 kek[32];
  gboolean found;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  if (username == NULL)
    username = "";
  if (passphrase == NULL)
    passphrase = "";

  CT_STORE_LOCK (self);

  found = read_login_record (self, username, &rec);
  if (found && *passphrase == '\0')
    {
      record_failed_login (self, username, rec.id, "empty passphrase");
      g_set_error (error, CT_ERROR, CT_ERROR_AUTH, _("Wrong user name or passphrase."));
      return NULL;
    }
  if (!found)
    {
      /* Spend the same time as a real check, so that timing does not tell
       * which user names exist. */
      CtKdfParams params;
      guint8 salt[SALT_LEN] = { 0 };
      ct_kdf_params_default (&params);
      params.m_cost_kib = self->kdf.m_cost_kib;
      params.t_cost = self->kdf.t_cost;
      derive (passphrase, salt, &params, verifier, kek, NULL);
      explicit_bzero (kek, sizeof kek);
      record_failed_login (self, username, 0, "unknown user");
      g_set_error (error, CT_ERROR, CT_ERROR_AUTH, _("Wrong user name or passphrase."));
      return NULL;
    }

  if (!derive (passphrase, rec.salt, &rec.kdf, verifier, kek, error))
    return NULL;

  if (!ct_memeq (verifier, rec.verifier, CT_HASH_LEN))
    {
      explicit_bzero (kek, sizeof kek);
      record_failed_login (self, username, rec.id, "wrong passphrase");
      g_set_error (error, CT_ERROR, CT_ERROR_AUTH, _("Wrong user name or passphrase."));
      return NULL;
    }

  if (!rec.active)
    {
      explicit_bzero (kek, sizeof kek);
      record_failed_login (self, username, rec.id, "account disabled");
      g_set_error (error, CT_ERROR, CT_ERROR_AUTH,
                   _("The account “%s” is disabled. Ask your administrator."), username);
      return NULL;
    }

  secret = ct_unseal (kek, rec.sealed, &local_error);
  explicit_bzero (kek, sizeof kek);
  if (secret == NULL)
    {
      record_failed_login (self, username, rec.id, "signing key does not unseal");
      g_set_error (error, CT_ERROR, CT_ERROR_INTEGRITY,
                   _("The signing key of “%s” is damaged and cannot be unlocked (%s). Ask your administrator to issue a new key."),
                   username, local_error->message);
      return NULL;
    }

  session = g_new0 (CtSession, 1);
  g_atomic_ref_count_init (&session->ref_count);
  session->user_id = rec.id;
  session->username = g_strdup (username);
  session->display_name = g_strdup (rec.display_name);
  session->roles = read_roles (self, rec.id);
  session->key_id = rec.key_id;
  session->key = ct_keypair_from_secret (rec.alg, g_bytes_get_data (secret, NULL),
                                         g_bytes_get_size (secret), error);
  if (session->key == NULL)
    return NULL;

  id_str = g_strdup_printf ("%" G_GINT64_FORMAT, rec.id);
  if (!ct_db_begin (self->db, error))
    return NULL;
  if (ct_store_audit (self, session, "user.login", "user", id_str, 0, NULL, error) == 0 ||
      checkpoint_locked (self, session, error) == 0 ||
      !ct_db_commit (self->db, error))
    {
      ct_db_rollback (self->db);
      return NULL;
    }

  return g_steal_pointer (&session);
}

void
ct_store_logout (CtStore   *self,
                 CtSession *session)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id_str = NULL;

  g_return_if_fail (CT_IS_STORE (self));
  if (session == NULL)
    return;

  CT_STORE_LOCK (self);
  id_str = g_strdup_printf ("%" G_GINT64_FORMAT, session->user_id);
  if (!ct_db_begin (self->db, &error) ||
      ct_store_audit (self, session, "user.logout", "user", id_str, 0, NULL, &error) == 0 ||
      checkpoint_locked (self, session, &error) == 0 ||
      !ct_db_commit (self->db, &error))
    {
      ct_db_rollback (self->db);
      g_warning ("Could not record the logout: %s", error->message);
    }
}

gboolean
ct_store_change_passphrase (CtStore    *self,
                            CtSession  *session,
                            const char *old_passphrase,
                            const char *new_passphrase,
                            GError    **error)
{
  g_auto(LoginRecord) rec = { 0 };
  g_autoptr(GBytes) secret = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id_str = NULL;
  guint8 verifier[CT_HASH_LEN], kek[32], salt[SALT_LEN];
  guint8 new_verifier[CT_HASH_LEN];

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);
  g_return_val_if_fail (session != NULL, FALSE);

  if (new_passphrase == NULL || g_utf8_strlen (new_passphrase, -1) < MIN_PASSPHRASE_LEN)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Passphrase: use at least %d characters."), MIN_PASSPHRASE_LEN);
      return FALSE;
    }

  CT_STORE_LOCK (self);

  if (!read_login_record (self, session->username, &rec))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("There is no user “%s”."), session->username);
      return FALSE;
    }
  if (!derive (old_passphrase ? old_passphrase : "", rec.salt, &rec.kdf, verifier, kek, error))
    return FALSE;
  if (!ct_memeq (verifier, rec.verifier, CT_HASH_LEN))
    {
      explicit_bzero (kek, sizeof kek);
      g_set_error (error, CT_ERROR, CT_ERROR_AUTH, _("The current passphrase is wrong."));
      return FALSE;
    }
  secret = ct_unseal (kek, rec.sealed, error);
  explicit_bzero (kek, sizeof kek);
  if (secret == NULL)
    return FALSE;

  ct_random_bytes (salt, SALT_LEN);
  if (!derive (new_passphrase, salt, &self->kdf, new_verifier, kek, error))
    return FALSE;
  sealed = ct_seal (kek, g_bytes_get_data (secret, NULL), g_bytes_get_size (secret), error);
  explicit_bzero (kek, sizeof kek);
  if (sealed == NULL)
    return FALSE;

  if (!ct_db_begin (self->db, error))
    return FALSE;
  stmt = ct_db_prepare (self->db,
                        "UPDATE users SET kdf_salt = ?, kdf_t = ?, kdf_m = ?, kdf_p = ?, verifier = ? WHERE id = ?",
                        error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_blob (stmt, 1, salt, SALT_LEN, SQLITE_TRANSIENT);
  ct_db_bind_int64 (stmt, 2, self->kdf.t_cost);
  ct_db_bind_int64 (stmt, 3, self->kdf.m_cost_kib);
  ct_db_bind_int64 (stmt, 4, self->kdf.parallelism);
  sqlite3_bind_blob (stmt, 5, new_verifier, CT_HASH_LEN, SQLITE_TRANSIENT);
  ct_db_bind_int64 (stmt, 6, rec.id);
  if (!ct_db_step_done (self->db, stmt, error))
    goto fail;
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = ct_db_prepare (self->db, "UPDATE signing_keys SET sealed_secret = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), SQLITE_TRANSIENT);
  ct_db_bind_int64 (stmt, 2, rec.key_id);
  if (!ct_db_step_done (self->db, stmt, error))
    goto fail;

  id_str = g_strdup_printf ("%" G_GINT64_FORMAT, rec.id);
  if (ct_store_audit (self, session, "user.passphrase_change", "user", id_str, 0, NULL, error) == 0)
    goto fail;
  return ct_db_commit (self->db, error);

fail:
  ct_db_rollback (self->db);
  return FALSE;
}

/* ---- cases ------------------------------------------------------------------------------------- */

typedef struct {
  gint64   id;
  char    *display_name;
  gboolean certified;
  guint    roles;
  gboolean active;
} OfficerInfo;

static gboolean
lookup_officer (CtStore     *self,
                const char  *username,
                OfficerInfo *info,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ct_db_prepare (self->db, "SELECT id, display_name, certified, active FROM users WHERE username = ?", error);
  if (stmt == NULL)
    return FALSE;
  ct_db_bind_text (stmt, 1, username);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Officers: there is no user “%s”."), username);
      return FALSE;
    }
  info->id = sqlite3_column_int64 (stmt, 0);
  info->display_name = ct_db_column_dup (stmt, 1);
  info->certified = sqlite3_column_int (stmt, 2) != 0;
  info->active = sqlite3_column_int (stmt, 3) != 0;
  info->roles = read_roles (self, info->id);
  return TRUE;
}

static gboolean
validate_case_spec (const CtCaseSpec *spec,
                    GError          **error)
{
  if (ct_choice_lookup (ct_procedure_types (), spec->procedure) == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Procedure: “%s” is not a known procedure."), spec->procedure ? spec->procedure : "");
      return FALSE;
    }
  if (is_blank (spec->cause))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Cause: describe the suspected violation (案由)."));
      return FALSE;
    }
  if (ct_choice_lookup (ct_case_sources (), spec->source) == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Source: “%s” is not a known case source."), spec->source ? spec->source : "");
      return FALSE;
    }
  if ((g_strcmp0 (spec->source, "complaint") == 0 || g_strcmp0 (spec->source, "report") == 0 ||
       g_strcmp0 (spec->source, "transferred") == 0 || g_strcmp0 (spec->source, "assigned") == 0) &&
      is_blank (spec->source_detail))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Source details: name the complainant, reporter or referring agency."));
      return FALSE;
    }
  if (is_blank (spec->place))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Place: enter where the suspected violation took place."));
      return FALSE;
    }
  if (ct_choice_lookup (ct_party_kinds (), spec->party_kind) == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Party: choose person or organization."));
      return FALSE;
    }
  if (is_blank (spec->party_name))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Party name: enter the name of the party."));
      return FALSE;
    }
  if (g_strcmp0 (spec->party_kind, "organization") == 0 && is_blank (spec->party_legal_rep))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Legal representative: enter the legal representative of the organization (法定代表人)."));
      return FALSE;
    }
  return TRUE;
}

static gint64
next_case_seq (CtStore *self,
               int      year,
               GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ct_db_prepare (self->db, "SELECT COALESCE(MAX(seq), 0) + 1 FROM cases WHERE year = ?", error);
  if (stmt == NULL)
    return 0;
  ct_db_bind_int64 (stmt, 1, year);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      ct_db_set_error (self->db, error, _("Could not number the case"));
      return 0;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gboolean
ct_store_add_event (CtStore    *self,
           CtSession  *session,
           gint64      case_id,
           const char *kind,
           const char *summary,
           GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = ct_db_now_iso ();

  stmt = ct_db_prepare (self->db,
                        "INSERT INTO case_events (case_id, at, user_id, kind, summary) VALUES (?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    return FALSE;
  ct_db_bind_int64 (stmt, 1, case_id);
  ct_db_bind_text (stmt, 2, now);
  if (session != NULL)
    ct_db_bind_int64 (stmt, 3, session->user_id);
  else
    sqlite3_bind_null (stmt, 3);
  ct_db_bind_text (stmt, 4, kind);
  ct_db_bind_text (stmt, 5, summary);
  return ct_db_step_done (self->db, stmt, error);
}

gboolean
ct_store_touch_case (CtStore *self,
            gint64   case_id,
            GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = ct_db_now_iso ();

  stmt = ct_db_prepare (self->db, "UPDATE cases SET updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  ct_db_bind_text (stmt, 1, now);
  ct_db_bind_int64 (stmt, 2, case_id);
  return ct_db_step_done (self->db, stmt, error);
}

static const char *
first_stage_of (const char *procedure)
{
  if (g_strcmp0 (procedure, "simplified") == 0)
    return "on_the_spot";
  if (g_strcmp0 (procedure, "inspection") == 0)
    return "notice";
  if (g_strcmp0 (procedure, "coercive") == 0)
    return "filing";
  if (g_strcmp0 (procedure, "complaint") == 0)
    return "acceptance";
  return "filing";
}

gint64
ct_store_create_case (CtStore          *self,
                      CtSession        *session,
                      const CtCaseSpec *spec,
                      GError          **error)
{
  g_autoptr(CtAgency) agency = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GDateTime) now_local = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) officers = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *now = NULL;
  g_autofree char *number = NULL;
  g_autofree char *id_str = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GString) officer_list = g_string_new (NULL);
  OfficerInfo *infos = NULL;
  guint n_handlers = 0, n_assistants = 0, n_certified = 0;
  gboolean ok = FALSE;
  int year;
  gint64 seq, case_id = 0;

  g_return_val_if_fail (CT_IS_STORE (self), 0);
  g_return_val_if_fail (spec != NULL, 0);

  if (!ct_store_require_role (session, CT_ROLE_HANDLER, _("open cases"), error))
    return 0;
  if (!validate_case_spec (spec, error))
    return 0;

  for (guint i = 0; spec->handlers && spec->handlers[i]; i++)
    n_handlers++;
  for (guint i = 0; spec->assistants && spec->assistants[i]; i++)
    n_assistants++;

  CT_STORE_LOCK (self);

  agency = read_agency (self, error);
  if (agency == NULL)
    return 0;

  /* At least two certified officers (行政处罚法 art. 42); assistants never
   * count towards the two. */
  infos = g_new0 (OfficerInfo, n_handlers + n_assistants + 1);
  for (guint i = 0; i < n_handlers + n_assistants; i++)
    {
      gboolean assistant = i >= n_handlers;
      const char *name = assistant ? spec->assistants[i - n_handlers] : spec->handlers[i];

      if (!g_hash_table_add (seen, (gpointer) name))
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("Officers: “%s” is listed more than once."), name);
          goto out;
        }
      if (!lookup_officer (self, name, &infos[i], error))
        goto out;
      if (!infos[i].active)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                       _("Officers: the account of “%s” is disabled."), name);
          goto out;
        }
      if (!assistant)
        {
          if (!infos[i].certified || !(infos[i].roles & CT_ROLE_HANDLER))
            {
              g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                           _("Handlers: %s is not a certified case handler; add them as an assistant instead."),
                           infos[i].display_name);
              goto out;
            }
          n_certified++;
        }
    }

  if (n_certified < 2)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Handlers: a case needs at least two certified law-enforcement officers (行政处罚法 art. 42); assistants do not count."));
      goto out;
    }

  if (!ct_db_begin (self->db, error))
    goto out;

  year = g_date_time_get_year (now_local);
  seq = next_case_seq (self, year, error);
  if (seq == 0)
    goto fail;
  number = ct_case_number_format (agency->case_number_pattern, year, seq);
  now = ct_db_now_iso ();

  stmt = ct_db_prepare (self->db,
                        "INSERT INTO cases (number, year, seq, procedure, cause, source, source_detail, place,"
                        " stage, status, created_at, updated_at, created_by)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
                        error);
  if (stmt == NULL)
    goto fail;
  {
    g_autofree char *cause = strip_dup (spec->cause);
    g_autofree char *detail_src = strip_dup (spec->source_detail);
    g_autofree char *place = strip_dup (spec->place);

    ct_db_bind_text (stmt, 1, number);
    ct_db_bind_int64 (stmt, 2, year);
    ct_db_bind_int64 (stmt, 3, seq);
    ct_db_bind_text (stmt, 4, spec->procedure);
    ct_db_bind_text (stmt, 5, cause);
    ct_db_bind_text (stmt, 6, spec->source);
    ct_db_bind_text (stmt, 7, detail_src);
    ct_db_bind_text (stmt, 8, place);
    ct_db_bind_text (stmt, 9, first_stage_of (spec->procedure));
    ct_db_bind_text (stmt, 10, now);
    ct_db_bind_text (stmt, 11, now);
    ct_db_bind_int64 (stmt, 12, session->user_id);
    if (!ct_db_step_done (self->db, stmt, error))
      goto fail;
  }
  case_id = sqlite3_last_insert_rowid (ct_db_handle (self->db));
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = ct_db_prepare (self->db,
                        "INSERT INTO parties (case_id, kind, name, id_number, address, contact, legal_rep)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    goto fail;
  {
    g_autofree char *name = strip_dup (spec->party_name);
    g_autofree char *idn = strip_dup (spec->party_id_number);
    g_autofree char *addr = strip_dup (spec->party_address);
    g_autofree char *contact = strip_dup (spec->party_contact);
    g_autofree char *rep = g_strcmp0 (spec->party_kind, "organization") == 0 ? strip_dup (spec->party_legal_rep) : NULL;

    ct_db_bind_int64 (stmt, 1, case_id);
    ct_db_bind_text (stmt, 2, spec->party_kind);
    ct_db_bind_text (stmt, 3, name);
    ct_db_bind_text (stmt, 4, idn);
    ct_db_bind_text (stmt, 5, addr);
    ct_db_bind_text (stmt, 6, contact);
    ct_db_bind_text (stmt, 7, rep);
    if (!ct_db_step_done (self->db, stmt, error))
      goto fail;
  }
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = ct_db_prepare (self->db, "INSERT INTO case_officers (case_id, user_id, assistant) VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < n_handlers + n_assistants; i++)
    {
      gboolean assistant = i >= n_handlers;
      ct_db_bind_int64 (stmt, 1, case_id);
      ct_db_bind_int64 (stmt, 2, infos[i].id);
      ct_db_bind_int64 (stmt, 3, assistant ? 1 : 0);
      if (!ct_db_step_done (self->db, stmt, error))
        goto fail;
      if (officer_list->len > 0)
        g_string_append (officer_list, ",");
      g_string_append (officer_list, assistant ? spec->assistants[i - n_handlers] : spec->handlers[i]);
      if (assistant)
        g_string_append (officer_list, "(assistant)");
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = ct_db_prepare (self->db,
                        "INSERT INTO case_stages (case_id, stage, entered_at, entered_by) VALUES (?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    goto fail;
  ct_db_bind_int64 (stmt, 1, case_id);
  ct_db_bind_text (stmt, 2, first_stage_of (spec->procedure));
  ct_db_bind_text (stmt, 3, now);
  ct_db_bind_int64 (stmt, 4, session->user_id);
  if (!ct_db_step_done (self->db, stmt, error))
    goto fail;
  g_clear_pointer (&stmt, sqlite3_finalize);

  summary = g_strdup_printf (_("Case %s opened by %s"), number, session->display_name);
  if (!ct_store_add_event (self, session, case_id, "created", summary, error))
    goto fail;

  id_str = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  detail = ct_store_detail_json ("number", number,
                        "procedure", spec->procedure,
                        "cause", spec->cause,
                        "source", spec->source,
                        "source_detail", spec->source_detail,
                        "place", spec->place,
                        "party_kind", spec->party_kind,
                        "party_name", spec->party_name,
                        "party_id_number", spec->party_id_number,
                        "party_address", spec->party_address,
                        "party_contact", spec->party_contact,
                        "party_legal_rep", spec->party_legal_rep,
                        "officers", officer_list->str,
                        NULL);
  if (ct_store_audit (self, session, "case.create", "case", id_str, case_id, detail, error) == 0)
    goto fail;

  if (!ct_db_commit (self->db, error))
    goto out;
  ok = TRUE;
  goto out;

fail:
  ct_db_rollback (self->db);
out:
  for (guint i = 0; i < n_handlers + n_assistants; i++)
    g_free (infos[i].display_name);
  g_free (infos);
  return ok ? case_id : 0;
}

#define CASE_COLUMNS \
  "c.id, c.number, c.procedure, c.cause, c.source, c.source_detail, c.place, c.stage, c.status," \
  " c.created_at, c.updated_at, c.created_by," \
  " p.kind, p.name, p.id_number, p.address, p.contact, p.legal_rep"

static CtCase *
case_from_row (sqlite3_stmt *stmt)
{
  CtCase *c = g_new0 (CtCase, 1);

  c->id = sqlite3_column_int64 (stmt, 0);
  c->number = ct_db_column_dup (stmt, 1);
  c->procedure = ct_db_column_dup (stmt, 2);
  c->cause = ct_db_column_dup (stmt, 3);
  c->source = ct_db_column_dup (stmt, 4);
  c->source_detail = ct_db_column_dup (stmt, 5);
  c->place = ct_db_column_dup (stmt, 6);
  c->stage = ct_db_column_dup (stmt, 7);
  c->status = ct_db_column_dup (stmt, 8);
  c->created_at = ct_db_column_dup (stmt, 9);
  c->updated_at = ct_db_column_dup (stmt, 10);
  c->created_by = sqlite3_column_int64 (stmt, 11);
  c->party.kind = ct_db_column_dup (stmt, 12);
  c->party.name = ct_db_column_dup (stmt, 13);
  c->party.id_number = ct_db_column_dup (stmt, 14);
  c->party.address = ct_db_column_dup (stmt, 15);
  c->party.contact = ct_db_column_dup (stmt, 16);
  c->party.legal_rep = ct_db_column_dup (stmt, 17);
  return c;
}

/* LIKE with the wildcards of the user's text escaped. */
static char *
like_pattern (const char *search)
{
  g_autoptr(GString) s = g_string_new ("%");

  for (const char *p = search; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

GPtrArray *
ct_store_list_cases (CtStore     *self,
                     CtSession   *session,
                     const char  *search,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_case_free);
  g_autofree char *pattern = NULL;
  gboolean filter = !is_blank (search);
  int rc;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);

  if (session == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("Sign in to see the cases."));
      return NULL;
    }

  CT_STORE_LOCK (self);

  stmt = ct_db_prepare (self->db,
                        filter
                        ? "SELECT " CASE_COLUMNS " FROM cases c LEFT JOIN parties p ON p.case_id = c.id"
                          " WHERE c.number LIKE ?1 ESCAPE '\\' OR c.cause LIKE ?1 ESCAPE '\\'"
                          " OR p.name LIKE ?1 ESCAPE '\\' OR c.place LIKE ?1 ESCAPE '\\'"
                          " OR p.id_number LIKE ?1 ESCAPE '\\'"
                          " ORDER BY c.created_at DESC, c.id DESC"
                        : "SELECT " CASE_COLUMNS " FROM cases c LEFT JOIN parties p ON p.case_id = c.id"
                          " ORDER BY c.created_at DESC, c.id DESC",
                        error);
  if (stmt == NULL)
    return NULL;
  if (filter)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (search));
      pattern = like_pattern (stripped);
      ct_db_bind_text (stmt, 1, pattern);
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (cases, case_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, _("Could not read the cases"));
      return NULL;
    }
  return g_steal_pointer (&cases);
}

CtCase *
ct_store_read_case (CtStore    *self,
           const char *id_or_number,
           GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(CtCase) c = NULL;
  char *end = NULL;
  gint64 id;
  int rc;

  id = g_ascii_strtoll (id_or_number, &end, 10);
  if (end != NULL && *end == '\0' && end != id_or_number)
    {
      stmt = ct_db_prepare (self->db,
                            "SELECT " CASE_COLUMNS " FROM cases c LEFT JOIN parties p ON p.case_id = c.id WHERE c.id = ?",
                            error);
      if (stmt == NULL)
        return NULL;
      ct_db_bind_int64 (stmt, 1, id);
    }
  else
    {
      stmt = ct_db_prepare (self->db,
                            "SELECT " CASE_COLUMNS " FROM cases c LEFT JOIN parties p ON p.case_id = c.id WHERE c.number = ?",
                            error);
      if (stmt == NULL)
        return NULL;
      ct_db_bind_text (stmt, 1, id_or_number);
    }

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_NOT_FOUND, _("There is no case “%s”."), id_or_number);
      return NULL;
    }
  c = case_from_row (stmt);
  g_clear_pointer (&stmt, sqlite3_finalize);

  c->officers = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_case_officer_free);
  stmt = ct_db_prepare (self->db,
                        "SELECT u.id, u.username, u.display_name, u.cert_number, u.certified, o.assistant"
                        " FROM case_officers o JOIN users u ON u.id = o.user_id"
                        " WHERE o.case_id = ? ORDER BY o.assistant, o.rowid",
                        error);
  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, c->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CtCaseOfficer *o = g_new0 (CtCaseOfficer, 1);
      o->user_id = sqlite3_column_int64 (stmt, 0);
      o->username = ct_db_column_dup (stmt, 1);
      o->display_name = ct_db_column_dup (stmt, 2);
      o->cert_number = ct_db_column_dup (stmt, 3);
      o->certified = sqlite3_column_int (stmt, 4) != 0;
      o->assistant = sqlite3_column_int (stmt, 5) != 0;
      g_ptr_array_add (c->officers, o);
    }
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, _("Could not read the case officers"));
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  c->events = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_case_event_free);
  stmt = ct_db_prepare (self->db,
                        "SELECT e.id, e.at, e.user_id, COALESCE(u.display_name, ''), e.kind, e.summary"
                        " FROM case_events e LEFT JOIN users u ON u.id = e.user_id"
                        " WHERE e.case_id = ? ORDER BY e.id",
                        error);
  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, c->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CtCaseEvent *e = g_new0 (CtCaseEvent, 1);
      e->id = sqlite3_column_int64 (stmt, 0);
      e->at = ct_db_column_dup (stmt, 1);
      e->user_id = sqlite3_column_int64 (stmt, 2);
      e->user_name = ct_db_column_dup (stmt, 3);
      e->kind = ct_db_column_dup (stmt, 4);
      e->summary = ct_db_column_dup (stmt, 5);
      g_ptr_array_add (c->events, e);
    }
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, _("Could not read the case history"));
      return NULL;
    }

  return g_steal_pointer (&c);
}

CtCase *
ct_store_get_case (CtStore     *self,
                   CtSession   *session,
                   const char  *id_or_number,
                   GError     **error)
{
  g_autoptr(CtCase) c = NULL;
  g_autofree char *id_str = NULL;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  g_return_val_if_fail (id_or_number != NULL, NULL);

  if (session == NULL)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION, _("Sign in to see the case."));
      return NULL;
    }

  CT_STORE_LOCK (self);

  if (!ct_db_begin (self->db, error))
    return NULL;
  c = ct_store_read_case (self, id_or_number, error);
  if (c == NULL)
    goto fail;
  id_str = g_strdup_printf ("%" G_GINT64_FORMAT, c->id);
  if (ct_store_audit (self, session, "case.view", "case", id_str, c->id, NULL, error) == 0)
    goto fail;
  if (!ct_db_commit (self->db, error))
    return NULL;
  return g_steal_pointer (&c);

fail:
  ct_db_rollback (self->db);
  return NULL;
}

/* ---- canonical records and approvals ------------------------------------------------------- */

static void
canon_string (GString    *s,
              const char *value)
{
  g_string_append_c (s, '"');
  for (const guchar *p = (const guchar *) (value ? value : ""); *p; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      else if (*p < 0x20)
        g_string_append_printf (s, "\\u%04x", *p);
      else
        g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

static void
canon_member (GString    *s,
              const char *key,
              const char *value,
              gboolean    last)
{
  canon_string (s, key);
  g_string_append_c (s, ':');
  if (value == NULL)
    g_string_append (s, "null");
  else
    canon_string (s, value);
  if (!last)
    g_string_append_c (s, ',');
}

static int
compare_officers (gconstpointer a,
                  gconstpointer b)
{
  const CtCaseOfficer *oa = *(CtCaseOfficer * const *) a;
  const CtCaseOfficer *ob = *(CtCaseOfficer * const *) b;
  return strcmp (oa->username, ob->username);
}

/* Keys in byte order, no whitespace: the same case always gives the same
 * bytes, whatever produced it. */
static char *
canonical_case (CtCase *c)
{
  g_autoptr(GString) s = g_string_new ("{");
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, c->id);

  canon_member (s, "cause", c->cause, FALSE);
  canon_member (s, "id", id, FALSE);
  canon_member (s, "number", c->number, FALSE);

  canon_string (s, "officers");
  g_string_append (s, ":[");
  g_ptr_array_sort (c->officers, compare_officers);
  for (guint i = 0; i < c->officers->len; i++)
    {
      CtCaseOfficer *o = g_ptr_array_index (c->officers, i);
      g_string_append_c (s, '{');
      canon_member (s, "assistant", o->assistant ? "yes" : "no", FALSE);
      canon_member (s, "cert_number", o->cert_number, FALSE);
      canon_member (s, "name", o->display_name, FALSE);
      canon_member (s, "username", o->username, TRUE);
      g_string_append_c (s, '}');
      if (i + 1 < c->officers->len)
        g_string_append_c (s, ',');
    }
  g_string_append (s, "],");

  canon_string (s, "party");
  g_string_append (s, ":{");
  canon_member (s, "address", c->party.address, FALSE);
  canon_member (s, "contact", c->party.contact, FALSE);
  canon_member (s, "id_number", c->party.id_number, FALSE);
  canon_member (s, "kind", c->party.kind, FALSE);
  canon_member (s, "legal_rep", c->party.legal_rep, FALSE);
  canon_member (s, "name", c->party.name, TRUE);
  g_string_append (s, "},");

  canon_member (s, "place", c->place, FALSE);
  canon_member (s, "procedure", c->procedure, FALSE);
  canon_member (s, "source", c->source, FALSE);
  canon_member (s, "source_detail", c->source_detail, TRUE);
  g_string_append_c (s, '}');

  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* SHA-256 of each saved form's canonical data, keyed by template; NULL
 * @only means every form, else just those templates. */
static gboolean
canonical_forms (CtStore     *self,
                 gint64       case_id,
                 GHashTable  *only,
                 GString     *out,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = ct_db_prepare (self->db, "SELECT template, data FROM forms WHERE case_id = ? ORDER BY template", error);
  if (stmt == NULL)
    return FALSE;
  ct_db_bind_int64 (stmt, 1, case_id);
  g_string_append_c (out, '{');
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *template_id = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *hash = NULL;

      if (only != NULL && !g_hash_table_contains (only, template_id))
        continue;
      hash = ct_hash_hex (CT_HASH_SHA256, sqlite3_column_text (stmt, 1), sqlite3_column_bytes (stmt, 1));
      canon_member (out, template_id, hash, FALSE);
    }
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, _("Could not read the forms"));
      return FALSE;
    }
  if (out->str[out->len - 1] == ',')
    g_string_truncate (out, out->len - 1);
  g_string_append_c (out, '}');
  return TRUE;
}

/* What an approval signs: the case record and the hash of every form saved
 * at the time.  A form saved later does not touch the approval; a change
 * to the case or to one of those forms invalidates it. */
static char *
approval_payload (CtStore    *self,
                  CtCase     *c,
                  GHashTable *only_forms,
                  GError    **error)
{
  g_autoptr(GString) s = g_string_new ("{\"case\":");
  g_autofree char *canon = canonical_case (c);

  g_string_append (s, canon);
  g_string_append (s, ",\"forms\":");
  if (!canonical_forms (self, c->id, only_forms, s, error))
    return NULL;
  g_string_append_c (s, '}');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
ct_store_case_canonical (CtStore *self,
                         gint64   case_id,
                         GError **error)
{
  g_autoptr(CtCase) c = NULL;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  CT_STORE_LOCK (self);
  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL)
    return NULL;
  return approval_payload (self, c, NULL, error);
}

char *
ct_approval_message (const char *subject,
                     gint64      case_id,
                     const char *role,
                     const char *signer,
                     const char *signed_at,
                     const char *payload)
{
  return g_strdup_printf ("casetrail-approval-v1\n%s\n%" G_GINT64_FORMAT "\n%s\n%s\n%s\n%s",
                          subject, case_id, role, signer, signed_at, payload);
}

gint64
ct_store_approve (CtStore    *self,
                  CtSession  *session,
                  gint64      case_id,
                  const char *subject,
                  GError    **error)
{
  return ct_store_approve_as (self, session, case_id, subject, CT_ROLE_SUPERVISOR, error);
}

gint64
ct_store_approve_as (CtStore    *self,
                     CtSession  *session,
                     gint64      case_id,
                     const char *subject,
                     CtRole      role,
                     GError    **error)
{
  g_autoptr(CtCase) c = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  g_autofree char *payload = NULL;
  g_autofree char *now = NULL;
  g_autofree char *message = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *approval_id = NULL;
  const char *role_id = ct_role_to_id (role);
  gint64 id;

  g_return_val_if_fail (CT_IS_STORE (self), 0);

  if (role != CT_ROLE_SUPERVISOR && role != CT_ROLE_LEGAL_REVIEWER)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID,
                   _("Approvals are signed as supervisor or as legal reviewer, not as %s."), ct_role_to_label (role));
      return 0;
    }
  if (!ct_store_require_role (session, role, _("sign approvals"), error))
    return 0;
  if (is_blank (subject))
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("Approval: say what is being approved."));
      return 0;
    }

  CT_STORE_LOCK (self);

  if (!ct_db_begin (self->db, error))
    return 0;
  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL)
    goto fail;
  if (g_strcmp0 (c->status, "archived") == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                   _("Case %s is archived and can no longer change."), c->number);
      goto fail;
    }

  /* Separation of duties: nobody approves or reviews a case they work on. */
  for (guint i = 0; i < c->officers->len; i++)
    {
      CtCaseOfficer *o = g_ptr_array_index (c->officers, i);
      if (o->user_id == session->user_id)
        {
          g_set_error (error, CT_ERROR, CT_ERROR_PERMISSION,
                       _("%s is an officer of case %s and cannot approve or review it (separation of duties); someone else must sign."),
                       session->display_name, c->number);
          goto fail;
        }
    }

  payload = approval_payload (self, c, NULL, error);
  if (payload == NULL)
    goto fail;
  now = ct_db_now_iso ();
  message = ct_approval_message (subject, case_id, role_id, session->username, now, payload);
  sig = ct_sign (session->key, message, strlen (message), error);
  if (sig == NULL)
    goto fail;

  stmt = ct_db_prepare (self->db,
                        "INSERT INTO approvals (case_id, subject, signer_id, role, key_id, signed_at, payload, signature)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    goto fail;
  ct_db_bind_int64 (stmt, 1, case_id);
  ct_db_bind_text (stmt, 2, subject);
  ct_db_bind_int64 (stmt, 3, session->user_id);
  ct_db_bind_text (stmt, 4, role_id);
  ct_db_bind_int64 (stmt, 5, session->key_id);
  ct_db_bind_text (stmt, 6, now);
  ct_db_bind_text (stmt, 7, payload);
  sqlite3_bind_blob (stmt, 8, g_bytes_get_data (sig, NULL), g_bytes_get_size (sig), SQLITE_TRANSIENT);
  if (!ct_db_step_done (self->db, stmt, error))
    goto fail;
  id = sqlite3_last_insert_rowid (ct_db_handle (self->db));

  summary = g_strdup_printf (_("Approval “%s” signed by %s (%s)"), subject, session->display_name,
                             ct_role_to_label (role));
  approval_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  detail = ct_store_detail_json ("approval_id", approval_id, "subject", subject, "role", role_id, NULL);
  if (!ct_store_add_event (self, session, case_id, "approval", summary, error) ||
      !ct_store_touch_case (self, case_id, error) ||
      ct_store_audit (self, session, "case.approve", "case", id_str, case_id, detail, error) == 0)
    goto fail;
  if (!ct_db_commit (self->db, error))
    return 0;
  return id;

fail:
  ct_db_rollback (self->db);
  return 0;
}

/* The forms a stored payload covers. */
static GHashTable *
payload_forms (const char *payload)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObject *root, *forms;
  g_autoptr(GList) members = NULL;

  if (!json_parser_load_from_data (parser, payload, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return set;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "forms") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "forms")))
    return set;
  forms = json_object_get_object_member (root, "forms");
  members = json_object_get_members (forms);
  for (GList *l = members; l != NULL; l = l->next)
    g_hash_table_add (set, g_strdup (l->data));
  return set;
}

void
ct_approval_free (CtApproval *a)
{
  if (a == NULL)
    return;
  g_free (a->subject);
  g_free (a->signer);
  g_free (a->signer_name);
  g_free (a->role);
  g_free (a->signed_at);
  g_free (a->alg);
  g_free (a->fingerprint);
  g_free (a->payload);
  g_free (a->invalid_reason);
  g_free (a);
}

gboolean
ct_store_approval_payload_matches (CtStore    *self,
                                   CtCase     *c,
                                   const char *payload)
{
  g_autoptr(GHashTable) forms = payload_forms (payload);
  g_autofree char *current = approval_payload (self, c, forms, NULL);

  return current != NULL && strcmp (current, payload) == 0;
}

GPtrArray *
ct_store_list_approvals (CtStore *self,
                         gint64   case_id,
                         GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_approval_free);
  g_autoptr(CtCase) c = NULL;
  int rc;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  CT_STORE_LOCK (self);

  c = ct_store_read_case_by_id (self, case_id, error);
  if (c == NULL)
    return NULL;

  stmt = ct_db_prepare (self->db,
                        "SELECT a.id, a.subject, u.username, u.display_name, a.role, a.signed_at,"
                        " k.alg, k.fingerprint, a.payload, a.signature, k.public_key"
                        " FROM approvals a JOIN users u ON u.id = a.signer_id"
                        " JOIN signing_keys k ON k.id = a.key_id"
                        " WHERE a.case_id = ? ORDER BY a.id",
                        error);
  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CtApproval *a = g_new0 (CtApproval, 1);
      g_autoptr(GBytes) sig = g_bytes_new (sqlite3_column_blob (stmt, 9), sqlite3_column_bytes (stmt, 9));
      g_autoptr(GBytes) pub = g_bytes_new (sqlite3_column_blob (stmt, 10), sqlite3_column_bytes (stmt, 10));
      g_autofree char *message = NULL;
      CtSigAlg alg;

      a->id = sqlite3_column_int64 (stmt, 0);
      a->case_id = case_id;
      a->subject = ct_db_column_dup (stmt, 1);
      a->signer = ct_db_column_dup (stmt, 2);
      a->signer_name = ct_db_column_dup (stmt, 3);
      a->role = ct_db_column_dup (stmt, 4);
      a->signed_at = ct_db_column_dup (stmt, 5);
      a->alg = ct_db_column_dup (stmt, 6);
      a->fingerprint = ct_db_column_dup (stmt, 7);
      a->payload = ct_db_column_dup (stmt, 8);
      g_ptr_array_add (list, a);

      message = ct_approval_message (a->subject, case_id, a->role, a->signer, a->signed_at, a->payload);
      if (!ct_sig_alg_from_string (a->alg, &alg, NULL) ||
          !ct_verify (alg, pub, message, strlen (message), sig, NULL))
        a->invalid_reason = g_strdup (_("The signature does not verify: the approval record was altered."));
      else if (!ct_store_approval_payload_matches (self, c, a->payload))
        a->invalid_reason = g_strdup (_("The case was changed after it was signed; the approval no longer applies."));
      a->valid = a->invalid_reason == NULL;
    }
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, _("Could not read the approvals"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* ---- audit ------------------------------------------------------------------------------------ */

gboolean
ct_store_verify_audit (CtStore        *self,
                       CtAuditReport  *report,
                       GError        **error)
{
  g_return_val_if_fail (CT_IS_STORE (self), FALSE);
  CT_STORE_LOCK (self);
  return ct_audit_verify (self->db, report, error);
}

/* Inside a transaction; the session's key signs the head. */
static gint64
checkpoint_locked (CtStore   *self,
                   CtSession *session,
                   GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autofree char *head = NULL;
  g_autofree char *now = ct_db_now_iso ();
  g_autofree char *message = NULL;
  gint64 upto;

  if (!ct_audit_head (self->db, &upto, &head, error))
    return 0;
  if (upto == 0)
    {
      g_set_error (error, CT_ERROR, CT_ERROR_INVALID, _("The audit log is empty; there is nothing to sign."));
      return 0;
    }
  message = ct_audit_checkpoint_message (upto, head, now);
  sig = ct_sign (session->key, message, strlen (message), error);
  if (sig == NULL)
    return 0;

  stmt = ct_db_prepare (self->db,
                        "INSERT INTO audit_checkpoints (upto_id, head_hash, created_at, key_id, signature)"
                        " VALUES (?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    return 0;
  ct_db_bind_int64 (stmt, 1, upto);
  ct_db_bind_text (stmt, 2, head);
  ct_db_bind_text (stmt, 3, now);
  ct_db_bind_int64 (stmt, 4, session->key_id);
  sqlite3_bind_blob (stmt, 5, g_bytes_get_data (sig, NULL), g_bytes_get_size (sig), SQLITE_TRANSIENT);
  if (!ct_db_step_done (self->db, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (ct_db_handle (self->db));
}

gint64
ct_store_checkpoint (CtStore   *self,
                     CtSession *session,
                     GError   **error)
{
  gint64 id;

  g_return_val_if_fail (CT_IS_STORE (self), 0);
  g_return_val_if_fail (session != NULL, 0);

  CT_STORE_LOCK (self);
  if (!ct_db_begin (self->db, error))
    return 0;
  if (ct_store_audit (self, session, "audit.checkpoint", "audit", "", 0, NULL, error) == 0 ||
      (id = checkpoint_locked (self, session, error)) == 0 ||
      !ct_db_commit (self->db, error))
    {
      ct_db_rollback (self->db);
      return 0;
    }
  return id;
}

GPtrArray *
ct_store_list_audit (CtStore *self,
                     gint64   case_id,
                     guint    limit,
                     GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_audit_entry_free);
  int rc;

  g_return_val_if_fail (CT_IS_STORE (self), NULL);
  CT_STORE_LOCK (self);

  stmt = ct_db_prepare (self->db,
                        "SELECT id, at, actor_id, actor, action, object_type, object_id, case_id, detail,"
                        " prev_hash, hash FROM audit_log WHERE (?1 = 0 OR case_id = ?1)"
                        " ORDER BY id DESC LIMIT ?2",
                        error);
  if (stmt == NULL)
    return NULL;
  ct_db_bind_int64 (stmt, 1, case_id);
  ct_db_bind_int64 (stmt, 2, limit ? limit : G_MAXINT32);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CtAuditEntry *e = g_new0 (CtAuditEntry, 1);
      e->id = sqlite3_column_int64 (stmt, 0);
      e->at = ct_db_column_dup (stmt, 1);
      e->actor_id = sqlite3_column_int64 (stmt, 2);
      e->actor = ct_db_column_dup (stmt, 3);
      e->action = ct_db_column_dup (stmt, 4);
      e->object_type = ct_db_column_dup (stmt, 5);
      e->object_id = ct_db_column_dup (stmt, 6);
      e->case_id = sqlite3_column_int64 (stmt, 7);
      e->detail = ct_db_column_dup (stmt, 8);
      e->prev_hash = ct_db_column_dup (stmt, 9);
      e->hash = ct_db_column_dup (stmt, 10);
      g_ptr_array_add (rows, e);
    }
  if (rc != SQLITE_DONE)
    {
      ct_db_set_error (self->db, error, _("Could not read the audit log"));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

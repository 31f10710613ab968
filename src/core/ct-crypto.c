/* ct-crypto.c — hashing, passphrase KDF, signatures and key sealing
 *
 * Everything here goes through libgcrypt 1.10.  The few encodings libgcrypt
 * does not provide (the SM2 Z value, DER signatures, SubjectPublicKeyInfo
 * and PEM) are written out by hand below, with a deliberately tiny DER
 * reader that only knows the handful of structures we need.
 */

#define G_LOG_DOMAIN "casetrail-crypto"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gcrypt.h>

#include "ct-crypto.h"

#if defined(__SANITIZE_ADDRESS__)
# define CT_UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define CT_UNDER_ASAN 1
# endif
#endif

#define CT_GCRYPT_MIN_VERSION "1.10.0"
#define CT_SECMEM_POOL_SIZE   65536

#define ED25519_KEY_LEN    32
#define ED25519_SIG_LEN    64
#define SM2_SCALAR_LEN     32
#define SM2_POINT_LEN      65   /* 0x04 || X || Y */

#define SEAL_KEY_LEN   32
#define SEAL_NONCE_LEN 12
#define SEAL_TAG_LEN   16

/* DER tags */
#define DER_INTEGER    0x02
#define DER_BIT_STRING 0x03
#define DER_OID        0x06
#define DER_SEQUENCE   0x30

G_DEFINE_QUARK (ct-crypto-error-quark, ct_crypto_error)

/* ---- small helpers -------------------------------------------------------- */

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gcry_sexp_t, gcry_sexp_release, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gcry_mpi_t, gcry_mpi_release, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gcry_ctx_t, gcry_ctx_release, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gcry_md_hd_t, gcry_md_close, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gcry_cipher_hd_t, gcry_cipher_close, NULL)

static void
wipe (void *buf,
      gsize len)
{
  if (buf != NULL && len > 0)
    explicit_bzero (buf, len);
}

static void
set_gcry_error (GError      **error,
                const char   *what,
                gcry_error_t  err)
{
  /* TRANSLATORS: the first %s says what failed, the second is the
   * library's own (English) reason. */
  g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
               _("%s (libgcrypt: %s)"), what, gcry_strerror (err));
}

/* A block of libgcrypt secure memory that remembers its size, so that it can
 * be wiped on release and handed out wrapped in a GBytes. */
typedef struct
{
  gsize  len;
  guint8 data[];
} SecureBlock;

static SecureBlock *
secure_block_new (gsize len)
{
  SecureBlock *block = gcry_xmalloc_secure (sizeof (SecureBlock) + len);

  block->len = len;
  return block;
}

static void
secure_block_free (gpointer data)
{
  SecureBlock *block = data;

  if (block == NULL)
    return;
  wipe (block->data, block->len);
  gcry_free (block);
}

/* Takes ownership of @block. */
static GBytes *
secure_block_to_bytes (SecureBlock *block)
{
  return g_bytes_new_with_free_func (block->data, block->len,
                                     secure_block_free, block);
}

/* Copies an MPI as an unsigned big-endian number left-padded to @len bytes.
 * Fails when the number does not fit. */
static gboolean
mpi_to_fixed (gcry_mpi_t  mpi,
              guint8     *out,
              gsize       len)
{
  gsize written = 0;
  gcry_error_t err;

  if (gcry_mpi_get_nbits (mpi) > len * 8)
    return FALSE;
  memset (out, 0, len);
  err = gcry_mpi_print (GCRYMPI_FMT_USG, out, len, &written, mpi);
  if (err != 0 || written > len)
    return FALSE;
  if (written < len)
    {
      memmove (out + (len - written), out, written);
      memset (out, 0, len - written);
    }
  return TRUE;
}

/* ---- initialization ----------------------------------------------------- */

enum
{
  INIT_OK = 1,
  INIT_TOO_OLD = 2,
};

static gpointer
crypto_init_once (gpointer data)
{
  if (gcry_check_version (CT_GCRYPT_MIN_VERSION) == NULL)
    return GINT_TO_POINTER (INIT_TOO_OLD);

  /* Another library in the process may have set libgcrypt up already;
   * then its settings win. */
  if (!gcry_control (GCRYCTL_INITIALIZATION_FINISHED_P))
    {
#ifdef CT_UNDER_ASAN
      /* Once its RNG is seeded, libgcrypt keeps the only pointer to one of
       * its heap blocks inside the mmap()ed secure pool, which LeakSanitizer
       * does not scan, so it reports that block as leaked; and
       * AddressSanitizer cannot see overflows inside the pool.  Use
       * ordinary, instrumented memory in sanitizer builds; our own secret
       * buffers are wiped explicitly either way. */
      gcry_control (GCRYCTL_DISABLE_SECMEM, 0);
#else
      /* mlock() may be refused in containers; the pool is still used for
       * wiping, so the warning would only confuse people. */
      gcry_control (GCRYCTL_DISABLE_SECMEM_WARN, 0);
      gcry_control (GCRYCTL_INIT_SECMEM, CT_SECMEM_POOL_SIZE, 0);
#endif
      gcry_control (GCRYCTL_INITIALIZATION_FINISHED, 0);
    }

  return GINT_TO_POINTER (INIT_OK);
}

gboolean
ct_crypto_init (GError **error)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, crypto_init_once, NULL);

  if (GPOINTER_TO_INT (once.retval) != INIT_OK)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                   _("The installed libgcrypt is version %s, but Casetrail "
                     "needs %s or newer; please update libgcrypt"),
                   gcry_check_version (NULL), CT_GCRYPT_MIN_VERSION);
      return FALSE;
    }

  return TRUE;
}

/* For functions that have no way to report an error.  A libgcrypt older than
 * the one we were built against is a broken installation, not a runtime
 * condition, so stop rather than hash with an unknown library. */
static void
ensure_init (void)
{
  g_autoptr(GError) error = NULL;

  if (!ct_crypto_init (&error))
    g_error ("%s", error->message);
}

/* ---- hashing ---------------------------------------------------------------- */

static int
hash_alg_to_gcry (CtHashAlg alg)
{
  switch (alg)
    {
    case CT_HASH_SHA256:
      return GCRY_MD_SHA256;
    case CT_HASH_SM3:
      return GCRY_MD_SM3;
    default:
      g_return_val_if_reached (GCRY_MD_SHA256);
    }
}

void
ct_hash_buffer (CtHashAlg    alg,
                const void  *data,
                gsize        len,
                guint8       out[CT_HASH_LEN])
{
  static const guint8 empty[1] = { 0 };

  g_return_if_fail (data != NULL || len == 0);
  g_return_if_fail (out != NULL);

  ensure_init ();
  gcry_md_hash_buffer (hash_alg_to_gcry (alg), out,
                       data != NULL ? data : empty, len);
}

guint32
ct_crc32 (const void *data, gsize len)
{
  guint8 out[4];

  gcry_md_hash_buffer (GCRY_MD_CRC32, out, data, len);
  return ((guint32) out[0] << 24) | ((guint32) out[1] << 16) | ((guint32) out[2] << 8) | out[3];
}

char *
ct_hash_hex (CtHashAlg    alg,
             const void  *data,
             gsize        len)
{
  guint8 digest[CT_HASH_LEN];

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  ct_hash_buffer (alg, data, len, digest);
  return ct_hex_encode (digest, sizeof digest);
}

char *
ct_hex_encode (const guint8 *data,
               gsize         len)
{
  static const char digits[] = "0123456789abcdef";
  char *hex;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (len <= (G_MAXSIZE - 1) / 2, NULL);

  hex = g_malloc (len * 2 + 1);
  for (gsize i = 0; i < len; i++)
    {
      hex[2 * i] = digits[data[i] >> 4];
      hex[2 * i + 1] = digits[data[i] & 0x0f];
    }
  hex[len * 2] = '\0';

  return hex;
}

GBytes *
ct_hex_decode (const char *hex)
{
  gsize hex_len;
  gsize len;
  guint8 *bytes;

  g_return_val_if_fail (hex != NULL, NULL);

  hex_len = strlen (hex);
  if (hex_len % 2 != 0)
    return NULL;

  len = hex_len / 2;
  bytes = g_malloc (MAX (len, 1));
  for (gsize i = 0; i < len; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        {
          g_free (bytes);
          return NULL;
        }
      bytes[i] = (guint8) ((hi << 4) | lo);
    }

  return g_bytes_new_take (bytes, len);
}

struct _CtHasher
{
  gcry_md_hd_t md;
  gboolean     with_sm3;
  gboolean     finished;
};

CtHasher *
ct_hasher_new (gboolean with_sm3)
{
  CtHasher *hasher;
  gcry_error_t err;

  ensure_init ();

  hasher = g_new0 (CtHasher, 1);
  hasher->with_sm3 = with_sm3 != FALSE;

  err = gcry_md_open (&hasher->md, GCRY_MD_SHA256, 0);
  if (err == 0 && hasher->with_sm3)
    err = gcry_md_enable (hasher->md, GCRY_MD_SM3);
  if (err != 0)
    g_error ("Cannot set up SHA-256/SM3 hashing: %s", gcry_strerror (err));

  return hasher;
}

void
ct_hasher_update (CtHasher   *hasher,
                  const void *data,
                  gsize       len)
{
  g_return_if_fail (hasher != NULL);
  g_return_if_fail (!hasher->finished);
  g_return_if_fail (data != NULL || len == 0);

  if (len > 0)
    gcry_md_write (hasher->md, data, len);
}

void
ct_hasher_finish (CtHasher *hasher,
                  guint8    sha256_out[CT_HASH_LEN],
                  guint8    sm3_out[CT_HASH_LEN])
{
  const unsigned char *digest;

  g_return_if_fail (hasher != NULL);
  g_return_if_fail (!hasher->finished);

  gcry_md_final (hasher->md);
  hasher->finished = TRUE;

  if (sha256_out != NULL)
    {
      digest = gcry_md_read (hasher->md, GCRY_MD_SHA256);
      memcpy (sha256_out, digest, CT_HASH_LEN);
    }

  if (sm3_out != NULL && hasher->with_sm3)
    {
      digest = gcry_md_read (hasher->md, GCRY_MD_SM3);
      memcpy (sm3_out, digest, CT_HASH_LEN);
    }
}

void
ct_hasher_free (CtHasher *hasher)
{
  if (hasher == NULL)
    return;

  gcry_md_close (hasher->md);
  g_free (hasher);
}

gboolean
ct_memeq (const void *a,
          const void *b,
          gsize       len)
{
  const volatile guint8 *pa = a;
  const volatile guint8 *pb = b;
  guint8 diff = 0;

  g_return_val_if_fail (a != NULL || len == 0, FALSE);
  g_return_val_if_fail (b != NULL || len == 0, FALSE);

  for (gsize i = 0; i < len; i++)
    diff |= pa[i] ^ pb[i];

  return diff == 0;
}

void
ct_random_bytes (void  *buf,
                 gsize  len)
{
  g_return_if_fail (buf != NULL || len == 0);

  ensure_init ();
  if (len > 0)
    gcry_randomize (buf, len, GCRY_STRONG_RANDOM);
}

/* ---- passphrase KDF ------------------------------------------------------- */

void
ct_kdf_params_default (CtKdfParams *params)
{
  g_return_if_fail (params != NULL);

  params->t_cost = 3;
  params->m_cost_kib = 65536;
  params->parallelism = 1;
}

gboolean
ct_kdf_argon2id_keyed (const char        *passphrase,
                       gsize              passphrase_len,
                       const guint8      *salt,
                       gsize              salt_len,
                       const guint8      *secret,
                       gsize              secret_len,
                       const guint8      *ad,
                       gsize              ad_len,
                       const CtKdfParams *params,
                       guint8            *out,
                       gsize              out_len,
                       GError           **error)
{
  gcry_kdf_hd_t hd = NULL;
  unsigned long argon2_params[4];
  gcry_error_t err;

  g_return_val_if_fail (passphrase != NULL || passphrase_len == 0, FALSE);
  g_return_val_if_fail (salt != NULL || salt_len == 0, FALSE);
  g_return_val_if_fail (secret != NULL || secret_len == 0, FALSE);
  g_return_val_if_fail (ad != NULL || ad_len == 0, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ct_crypto_init (error))
    return FALSE;

  /* RFC 9106 allows an empty password, libgcrypt 1.10 does not. */
  if (passphrase_len == 0)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                   _("The passphrase is empty; please enter a passphrase"));
      return FALSE;
    }

  /* The limits of RFC 9106 section 3.1 that matter in practice. */
  if (salt_len < 8 || salt_len > G_MAXUINT32)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                   _("The key derivation salt must be at least 8 bytes long"));
      return FALSE;
    }
  if (out_len < 4 || out_len > G_MAXUINT32)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                   _("The derived key must be between 4 bytes and 4 GiB long"));
      return FALSE;
    }
  if (params->t_cost < 1 || params->parallelism < 1 ||
      params->parallelism > 0xffffff ||
      params->m_cost_kib / 8 < params->parallelism)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                   _("The Argon2id parameters are invalid (t=%u, m=%u KiB, p=%u): "
                     "iterations and lanes must be at least 1 and memory at "
                     "least 8 KiB per lane"),
                   params->t_cost, params->m_cost_kib, params->parallelism);
      return FALSE;
    }
  if (passphrase_len > G_MAXUINT32 || secret_len > G_MAXUINT32 ||
      ad_len > G_MAXUINT32)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                   _("The passphrase is too long"));
      return FALSE;
    }

  /* gcry_kdf_open() takes the tag length, passes, memory and lanes, in
   * this order. */
  argon2_params[0] = out_len;
  argon2_params[1] = params->t_cost;
  argon2_params[2] = params->m_cost_kib;
  argon2_params[3] = params->parallelism;

  err = gcry_kdf_open (&hd, GCRY_KDF_ARGON2, GCRY_KDF_ARGON2ID,
                       argon2_params, G_N_ELEMENTS (argon2_params),
                       passphrase, passphrase_len,
                       salt, salt_len,
                       secret, secret_len,
                       ad, ad_len);
  if (err == 0)
    err = gcry_kdf_compute (hd, NULL);
  if (err == 0)
    err = gcry_kdf_final (hd, out_len, out);
  if (hd != NULL)
    gcry_kdf_close (hd);

  if (err != 0)
    {
      wipe (out, out_len);
      if (gcry_err_code (err) == GPG_ERR_ENOMEM)
        g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                     _("Not enough memory to derive the key from the "
                       "passphrase (%u KiB are needed); close other "
                       "applications and try again"),
                     params->m_cost_kib);
      else
        set_gcry_error (error, _("Could not derive a key from the passphrase"),
                        err);
      return FALSE;
    }

  return TRUE;
}

gboolean
ct_kdf_argon2id (const char        *passphrase,
                 gsize              passphrase_len,
                 const guint8      *salt,
                 gsize              salt_len,
                 const CtKdfParams *params,
                 guint8            *out,
                 gsize              out_len,
                 GError           **error)
{
  return ct_kdf_argon2id_keyed (passphrase, passphrase_len, salt, salt_len,
                                NULL, 0, NULL, 0, params, out, out_len, error);
}

/* ---- algorithm names -------------------------------------------------------- */

const char *
ct_sig_alg_to_string (CtSigAlg alg)
{
  switch (alg)
    {
    case CT_SIG_ED25519:
      return "ed25519";
    case CT_SIG_SM2:
      return "sm2-sm3";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
ct_sig_alg_from_string (const char  *name,
                        CtSigAlg    *alg,
                        GError     **error)
{
  g_return_val_if_fail (alg != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (name, "ed25519") == 0)
    {
      *alg = CT_SIG_ED25519;
      return TRUE;
    }
  if (g_strcmp0 (name, "sm2-sm3") == 0)
    {
      *alg = CT_SIG_SM2;
      return TRUE;
    }

  g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_UNSUPPORTED,
               _("Unknown signature algorithm “%s”; use “ed25519” or “sm2-sm3”"),
               name != NULL ? name : "");
  return FALSE;
}

static gboolean
sig_alg_is_valid (CtSigAlg alg)
{
  return alg == CT_SIG_ED25519 || alg == CT_SIG_SM2;
}

/* ---- SM2 constants ---------------------------------------------------------- */

/* The SM2 recommended curve, GB/T 32918.5-2017 (= sm2p256v1). */
static const guint8 sm2_a[SM2_SCALAR_LEN] = {
  0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfc,
};
static const guint8 sm2_b[SM2_SCALAR_LEN] = {
  0x28, 0xe9, 0xfa, 0x9e, 0x9d, 0x9f, 0x5e, 0x34,
  0x4d, 0x5a, 0x9e, 0x4b, 0xcf, 0x65, 0x09, 0xa7,
  0xf3, 0x97, 0x89, 0xf5, 0x15, 0xab, 0x8f, 0x92,
  0xdd, 0xbc, 0xbd, 0x41, 0x4d, 0x94, 0x0e, 0x93,
};
static const guint8 sm2_gx[SM2_SCALAR_LEN] = {
  0x32, 0xc4, 0xae, 0x2c, 0x1f, 0x19, 0x81, 0x19,
  0x5f, 0x99, 0x04, 0x46, 0x6a, 0x39, 0xc9, 0x94,
  0x8f, 0xe3, 0x0b, 0xbf, 0xf2, 0x66, 0x0b, 0xe1,
  0x71, 0x5a, 0x45, 0x89, 0x33, 0x4c, 0x74, 0xc7,
};
static const guint8 sm2_gy[SM2_SCALAR_LEN] = {
  0xbc, 0x37, 0x36, 0xa2, 0xf4, 0xf6, 0x77, 0x9c,
  0x59, 0xbd, 0xce, 0xe3, 0x6b, 0x69, 0x21, 0x53,
  0xd0, 0xa9, 0x87, 0x7c, 0xc6, 0x2a, 0x47, 0x40,
  0x02, 0xdf, 0x32, 0xe5, 0x21, 0x39, 0xf0, 0xa0,
};
/* n - 1: a private scalar must lie in [1, n - 2]. */
static const guint8 sm2_n_minus_1[SM2_SCALAR_LEN] = {
  0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0x72, 0x03, 0xdf, 0x6b, 0x21, 0xc6, 0x05, 0x2b,
  0x53, 0xbb, 0xf4, 0x09, 0x39, 0xd5, 0x41, 0x22,
};

/* The default distinguishing identifier of GM/T 0009-2012, also OpenSSL's. */
static const char sm2_default_id[] = "1234567812345678";

/* The Ed25519 group order L, little-endian (RFC 8032 section 5.1). */
static const guint8 ed25519_order_le[32] = {
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
  0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

/* e = SM3 (Z || msg) with Z = SM3 (ENTL || ID || a || b || xG || yG || xA || yA)
 * (GB/T 32918.2-2016, sections 5.5 and 6.1). */
static void
sm2_digest (const guint8 *public_point,
            const void   *msg,
            gsize         msg_len,
            guint8        e[CT_HASH_LEN])
{
  g_auto(gcry_md_hd_t) md = NULL;
  guint8 z[CT_HASH_LEN];
  const gsize id_bits = (sizeof sm2_default_id - 1) * 8;
  const guint8 entl[2] = { (guint8) (id_bits >> 8), (guint8) (id_bits & 0xff) };
  gcry_error_t err;

  err = gcry_md_open (&md, GCRY_MD_SM3, 0);
  if (err != 0)
    g_error ("Cannot set up SM3 hashing: %s", gcry_strerror (err));

  gcry_md_write (md, entl, sizeof entl);
  gcry_md_write (md, sm2_default_id, sizeof sm2_default_id - 1);
  gcry_md_write (md, sm2_a, sizeof sm2_a);
  gcry_md_write (md, sm2_b, sizeof sm2_b);
  gcry_md_write (md, sm2_gx, sizeof sm2_gx);
  gcry_md_write (md, sm2_gy, sizeof sm2_gy);
  gcry_md_write (md, public_point + 1, 2 * SM2_SCALAR_LEN);
  memcpy (z, gcry_md_read (md, GCRY_MD_SM3), sizeof z);

  gcry_md_reset (md);
  gcry_md_write (md, z, sizeof z);
  if (msg_len > 0)
    gcry_md_write (md, msg, msg_len);
  memcpy (e, gcry_md_read (md, GCRY_MD_SM3), CT_HASH_LEN);
}

/* ---- public keys -------------------------------------------------------------- */

static gcry_sexp_t
build_public_sexp (CtSigAlg      alg,
                   const guint8 *key,
                   gsize         key_len)
{
  gcry_sexp_t sexp = NULL;
  gcry_error_t err;

  if (alg == CT_SIG_ED25519)
    err = gcry_sexp_build (&sexp, NULL,
                           "(public-key (ecc (curve Ed25519) (flags eddsa) (q %b)))",
                           (int) key_len, key);
  else
    err = gcry_sexp_build (&sexp, NULL,
                           "(public-key (ecc (curve sm2p256v1) (q %b)))",
                           (int) key_len, key);

  return err == 0 ? sexp : NULL;
}

/* Checks length, encoding and that the point lies on the curve. */
static gboolean
check_public_key (CtSigAlg      alg,
                  const guint8 *key,
                  gsize         key_len,
                  GError      **error)
{
  g_auto(gcry_sexp_t) sexp = NULL;
  g_auto(gcry_ctx_t) ctx = NULL;
  gcry_mpi_point_t point;
  gboolean ok = FALSE;

  if (alg == CT_SIG_ED25519)
    ok = key_len == ED25519_KEY_LEN;
  else
    ok = key_len == SM2_POINT_LEN && key[0] == 0x04;

  if (ok)
    sexp = build_public_sexp (alg, key, key_len);
  if (sexp != NULL && gcry_mpi_ec_new (&ctx, sexp, NULL) == 0)
    {
      /* For Ed25519 this decodes the compressed point, which fails for
       * values that are not the y coordinate of any curve point. */
      point = gcry_mpi_ec_get_point ("q", ctx, 1);
      ok = point != NULL && gcry_mpi_ec_curve_point (point, ctx);
      if (point != NULL)
        gcry_mpi_point_release (point);
    }
  else
    ok = FALSE;

  if (!ok)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_BAD_KEY,
                   alg == CT_SIG_ED25519
                     ? _("The Ed25519 public key is damaged: it must be 32 bytes "
                         "encoding a point on the curve")
                     : _("The SM2 public key is damaged: it must be 65 bytes "
                         "(04 || X || Y) encoding a point on the curve"));
      return FALSE;
    }

  return TRUE;
}

/* ---- key pairs -------------------------------------------------------------- */

struct _CtKeyPair
{
  CtSigAlg     alg;
  SecureBlock *secret;     /* Ed25519 seed or SM2 scalar d, 32 bytes */
  GBytes      *public_key;
  gcry_sexp_t  private_sexp;
};

void
ct_keypair_free (CtKeyPair *kp)
{
  if (kp == NULL)
    return;

  secure_block_free (kp->secret);
  g_clear_pointer (&kp->public_key, g_bytes_unref);
  gcry_sexp_release (kp->private_sexp);
  g_free (kp);
}

G_STATIC_ASSERT (ED25519_KEY_LEN == SM2_SCALAR_LEN);

CtKeyPair *
ct_keypair_from_secret (CtSigAlg       alg,
                        const guint8  *secret,
                        gsize          secret_len,
                        GError       **error)
{
  g_autoptr(CtKeyPair) kp = NULL;
  g_auto(gcry_sexp_t) d_only = NULL;
  g_auto(gcry_ctx_t) ctx = NULL;
  g_auto(gcry_mpi_t) q = NULL;
  guint8 point[SM2_POINT_LEN];
  gsize point_len;
  gcry_error_t err;

  g_return_val_if_fail (secret != NULL || secret_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ct_crypto_init (error))
    return NULL;

  if (!sig_alg_is_valid (alg))
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_UNSUPPORTED,
                   _("Unknown signature algorithm number %d"), (int) alg);
      return NULL;
    }

  if (secret_len != SM2_SCALAR_LEN)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_BAD_KEY,
                   _("The private key is damaged: it must be 32 bytes long, "
                     "not %zu"),
                   secret_len);
      return NULL;
    }

  if (alg == CT_SIG_SM2)
    {
      static const guint8 zero[SM2_SCALAR_LEN] = { 0 };

      /* Big-endian, equal length: memcmp() orders them numerically. */
      if (memcmp (secret, zero, SM2_SCALAR_LEN) == 0 ||
          memcmp (secret, sm2_n_minus_1, SM2_SCALAR_LEN) >= 0)
        {
          g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_BAD_KEY,
                       _("The SM2 private key is damaged: the scalar is out of "
                         "range for the curve"));
          return NULL;
        }
    }

  kp = g_new0 (CtKeyPair, 1);
  kp->alg = alg;
  kp->secret = secure_block_new (SM2_SCALAR_LEN);
  memcpy (kp->secret->data, secret, SM2_SCALAR_LEN);

  /* libgcrypt derives the public point from d for us: for Ed25519 it hashes
   * the seed as RFC 8032 section 5.1.5 says, "q@eddsa" is the 32-byte
   * encoding; for SM2 "q" is the uncompressed 04 || X || Y. */
  if (alg == CT_SIG_ED25519)
    err = gcry_sexp_build (&d_only, NULL,
                           "(private-key (ecc (curve Ed25519) (flags eddsa) (d %b)))",
                           (int) SM2_SCALAR_LEN, kp->secret->data);
  else
    err = gcry_sexp_build (&d_only, NULL,
                           "(private-key (ecc (curve sm2p256v1) (d %b)))",
                           (int) SM2_SCALAR_LEN, kp->secret->data);
  if (err == 0)
    err = gcry_mpi_ec_new (&ctx, d_only, NULL);
  if (err != 0)
    {
      set_gcry_error (error, _("Could not load the private key"), err);
      return NULL;
    }

  q = gcry_mpi_ec_get_mpi (alg == CT_SIG_ED25519 ? "q@eddsa" : "q", ctx, 1);
  if (q == NULL)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                   _("Could not compute the public key from the private key"));
      return NULL;
    }

  if (gcry_mpi_get_flag (q, GCRYMPI_FLAG_OPAQUE))
    {
      unsigned int nbits = 0;
      const guint8 *raw = gcry_mpi_get_opaque (q, &nbits);

      point_len = (nbits + 7) / 8;
      if (raw == NULL || point_len > sizeof point)
        point_len = 0;
      else
        memcpy (point, raw, point_len);
    }
  else
    {
      point_len = alg == CT_SIG_ED25519 ? ED25519_KEY_LEN : SM2_POINT_LEN;
      if (!mpi_to_fixed (q, point, point_len))
        point_len = 0;
    }

  if ((alg == CT_SIG_ED25519 && point_len != ED25519_KEY_LEN) ||
      (alg == CT_SIG_SM2 && (point_len != SM2_POINT_LEN || point[0] != 0x04)))
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                   _("Could not compute the public key from the private key"));
      return NULL;
    }

  kp->public_key = g_bytes_new (point, point_len);

  /* Both halves, so that signing does not recompute the public key.  The
   * secret is in secure memory, so libgcrypt keeps the S-expression there. */
  if (alg == CT_SIG_ED25519)
    err = gcry_sexp_build (&kp->private_sexp, NULL,
                           "(private-key (ecc (curve Ed25519) (flags eddsa)"
                           " (q %b) (d %b)))",
                           (int) point_len, point,
                           (int) SM2_SCALAR_LEN, kp->secret->data);
  else
    err = gcry_sexp_build (&kp->private_sexp, NULL,
                           "(private-key (ecc (curve sm2p256v1) (q %b) (d %b)))",
                           (int) point_len, point,
                           (int) SM2_SCALAR_LEN, kp->secret->data);
  if (err != 0)
    {
      set_gcry_error (error, _("Could not load the private key"), err);
      return NULL;
    }

  return g_steal_pointer (&kp);
}

CtKeyPair *
ct_keypair_generate (CtSigAlg   alg,
                     GError   **error)
{
  SecureBlock *secret;
  CtKeyPair *kp;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ct_crypto_init (error))
    return NULL;

  secret = secure_block_new (SM2_SCALAR_LEN);

  if (alg == CT_SIG_ED25519)
    {
      /* An Ed25519 private key is 32 random bytes (RFC 8032 section 5.1.5);
       * taking them straight from the RNG avoids any question of how the
       * seed is laid out in libgcrypt's key S-expression. */
      gcry_randomize (secret->data, SM2_SCALAR_LEN, GCRY_VERY_STRONG_RANDOM);
    }
  else if (alg == CT_SIG_SM2)
    {
      g_auto(gcry_sexp_t) spec = NULL;
      g_auto(gcry_sexp_t) key = NULL;
      g_auto(gcry_sexp_t) d_token = NULL;
      g_auto(gcry_mpi_t) d = NULL;
      gcry_error_t err;

      err = gcry_sexp_build (&spec, NULL, "(genkey (ecc (curve sm2p256v1)))");
      if (err == 0)
        err = gcry_pk_genkey (&key, spec);
      if (err != 0)
        {
          secure_block_free (secret);
          set_gcry_error (error, _("Could not generate an SM2 key pair"), err);
          return NULL;
        }

      d_token = gcry_sexp_find_token (key, "d", 0);
      if (d_token != NULL)
        d = gcry_sexp_nth_mpi (d_token, 1, GCRYMPI_FMT_USG);
      if (d == NULL || !mpi_to_fixed (d, secret->data, SM2_SCALAR_LEN))
        {
          secure_block_free (secret);
          g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                       _("Could not generate an SM2 key pair"));
          return NULL;
        }
    }
  else
    {
      secure_block_free (secret);
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_UNSUPPORTED,
                   _("Unknown signature algorithm number %d"), (int) alg);
      return NULL;
    }

  kp = ct_keypair_from_secret (alg, secret->data, secret->len, error);
  secure_block_free (secret);

  return kp;
}

CtSigAlg
ct_keypair_get_alg (CtKeyPair *kp)
{
  g_return_val_if_fail (kp != NULL, CT_SIG_ED25519);

  return kp->alg;
}

GBytes *
ct_keypair_get_public (CtKeyPair *kp)
{
  g_return_val_if_fail (kp != NULL, NULL);

  return g_bytes_ref (kp->public_key);
}

GBytes *
ct_keypair_get_secret (CtKeyPair *kp)
{
  SecureBlock *copy;

  g_return_val_if_fail (kp != NULL, NULL);

  /* Secure memory, wiped when the last reference goes away. */
  copy = secure_block_new (kp->secret->len);
  memcpy (copy->data, kp->secret->data, kp->secret->len);

  return secure_block_to_bytes (copy);
}

/* ---- DER ---------------------------------------------------------------------- */

/* A read cursor over DER input.  Every read checks the remaining length
 * first, so no input can make us read past the end. */
typedef struct
{
  const guint8 *data;
  gsize         len;
} DerReader;

/* Takes one element with tag @tag off the front of @reader and points
 * @content at its contents.  Only definite, minimally encoded lengths of up
 * to 65535 bytes are accepted (DER, and more than any key we read). */
static gboolean
der_read (DerReader *reader,
          guint8     tag,
          DerReader *content)
{
  gsize header;
  gsize len;

  if (reader->len < 2 || reader->data[0] != tag)
    return FALSE;

  if (reader->data[1] < 0x80)
    {
      len = reader->data[1];
      header = 2;
    }
  else if (reader->data[1] == 0x81)
    {
      if (reader->len < 3)
        return FALSE;
      len = reader->data[2];
      if (len < 0x80)
        return FALSE;
      header = 3;
    }
  else if (reader->data[1] == 0x82)
    {
      if (reader->len < 4)
        return FALSE;
      len = ((gsize) reader->data[2] << 8) | reader->data[3];
      if (len < 0x100)
        return FALSE;
      header = 4;
    }
  else
    return FALSE;

  if (len > reader->len - header)
    return FALSE;

  content->data = reader->data + header;
  content->len = len;
  reader->data += header + len;
  reader->len -= header + len;

  return TRUE;
}

/* Reads a DER INTEGER that must be positive and minimally encoded, and
 * returns its magnitude without the sign byte. */
static gboolean
der_read_positive_integer (DerReader     *reader,
                           const guint8 **magnitude,
                           gsize         *magnitude_len)
{
  DerReader value;

  if (!der_read (reader, DER_INTEGER, &value) || value.len == 0)
    return FALSE;

  if (value.data[0] & 0x80)
    return FALSE;                       /* negative */
  if (value.data[0] == 0x00)
    {
      if (value.len == 1)
        return FALSE;                   /* zero */
      if (!(value.data[1] & 0x80))
        return FALSE;                   /* superfluous leading zero */
      value.data++;
      value.len--;
    }

  *magnitude = value.data;
  *magnitude_len = value.len;
  return TRUE;
}

static void
der_write_header (GByteArray *out,
                  guint8      tag,
                  gsize       len)
{
  guint8 header[4];
  guint header_len;

  g_assert (len <= 0xffff);

  header[0] = tag;
  if (len < 0x80)
    {
      header[1] = (guint8) len;
      header_len = 2;
    }
  else if (len <= 0xff)
    {
      header[1] = 0x81;
      header[2] = (guint8) len;
      header_len = 3;
    }
  else
    {
      header[1] = 0x82;
      header[2] = (guint8) (len >> 8);
      header[3] = (guint8) (len & 0xff);
      header_len = 4;
    }

  g_byte_array_append (out, header, header_len);
}

static void
der_write (GByteArray   *out,
           guint8        tag,
           const guint8 *content,
           gsize         len)
{
  der_write_header (out, tag, len);
  if (len > 0)
    g_byte_array_append (out, content, len);
}

/* Appends an INTEGER holding the unsigned big-endian number @num. */
static void
der_write_unsigned_integer (GByteArray   *out,
                            const guint8 *num,
                            gsize         len)
{
  static const guint8 zero = 0;

  while (len > 0 && num[0] == 0)
    {
      num++;
      len--;
    }

  if (len == 0)
    {
      der_write (out, DER_INTEGER, &zero, 1);
      return;
    }

  if (num[0] & 0x80)
    {
      der_write_header (out, DER_INTEGER, len + 1);
      g_byte_array_append (out, &zero, 1);
      g_byte_array_append (out, num, len);
    }
  else
    der_write (out, DER_INTEGER, num, len);
}

/* Encoded OBJECT IDENTIFIER contents. */
static const guint8 oid_ed25519[] = { 0x2b, 0x65, 0x70 };   /* 1.3.101.112 */
static const guint8 oid_ec_public_key[] = {                 /* 1.2.840.10045.2.1 */
  0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
};
static const guint8 oid_sm2_curve[] = {                     /* 1.2.156.10197.1.301 */
  0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d,
};

static gboolean
der_equals (const DerReader *value,
            const guint8    *expected,
            gsize            expected_len)
{
  return value->len == expected_len &&
         memcmp (value->data, expected, expected_len) == 0;
}

/* ---- signatures ------------------------------------------------------------- */

static GBytes *
sign_ed25519 (CtKeyPair   *kp,
              const void  *msg,
              gsize        msg_len,
              GError     **error)
{
  g_auto(gcry_sexp_t) data = NULL;
  g_auto(gcry_sexp_t) sig = NULL;
  g_auto(gcry_sexp_t) r_token = NULL;
  g_auto(gcry_sexp_t) s_token = NULL;
  static const guint8 empty[1] = { 0 };
  const char *r = NULL;
  const char *s = NULL;
  size_t r_len = 0;
  size_t s_len = 0;
  guint8 out[ED25519_SIG_LEN];
  gcry_error_t err;

  if (msg_len > G_MAXINT)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                   _("The data to sign is too large for an Ed25519 signature "
                     "(more than 2 GiB); sign its hash instead"));
      return NULL;
    }

  err = gcry_sexp_build (&data, NULL,
                         "(data (flags eddsa) (hash-algo sha512) (value %b))",
                         (int) msg_len, msg_len > 0 ? msg : (const void *) empty);
  if (err == 0)
    err = gcry_pk_sign (&sig, data, kp->private_sexp);
  if (err != 0)
    {
      set_gcry_error (error, _("Could not create the Ed25519 signature"), err);
      return NULL;
    }

  /* (sig-val (eddsa (r R) (s S))), both as 32-byte strings. */
  r_token = gcry_sexp_find_token (sig, "r", 0);
  s_token = gcry_sexp_find_token (sig, "s", 0);
  if (r_token != NULL)
    r = gcry_sexp_nth_data (r_token, 1, &r_len);
  if (s_token != NULL)
    s = gcry_sexp_nth_data (s_token, 1, &s_len);
  if (r == NULL || s == NULL || r_len != 32 || s_len != 32)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                   _("Could not create the Ed25519 signature: libgcrypt "
                     "returned it in an unexpected form"));
      return NULL;
    }

  memcpy (out, r, 32);
  memcpy (out + 32, s, 32);
  return g_bytes_new (out, sizeof out);
}

static GBytes *
sign_sm2 (CtKeyPair   *kp,
          const void  *msg,
          gsize        msg_len,
          GError     **error)
{
  g_auto(gcry_sexp_t) data = NULL;
  g_auto(gcry_sexp_t) sig = NULL;
  g_auto(gcry_sexp_t) r_token = NULL;
  g_auto(gcry_sexp_t) s_token = NULL;
  g_auto(gcry_mpi_t) r = NULL;
  g_auto(gcry_mpi_t) s = NULL;
  g_autoptr(GByteArray) body = NULL;
  g_autoptr(GByteArray) der = NULL;
  guint8 e[CT_HASH_LEN];
  guint8 r_bytes[SM2_SCALAR_LEN];
  guint8 s_bytes[SM2_SCALAR_LEN];
  gcry_error_t err;

  sm2_digest (g_bytes_get_data (kp->public_key, NULL), msg, msg_len, e);

  /* "(flags sm2)" selects the SM2 algorithm; "(hash sm3 …)" hands libgcrypt
   * the finished digest e, which it uses as is for the 256-bit order. */
  err = gcry_sexp_build (&data, NULL, "(data (flags sm2) (hash sm3 %b))",
                         (int) sizeof e, e);
  if (err == 0)
    err = gcry_pk_sign (&sig, data, kp->private_sexp);
  if (err != 0)
    {
      set_gcry_error (error, _("Could not create the SM2 signature"), err);
      return NULL;
    }

  /* (sig-val (sm2 (r R) (s S))) */
  r_token = gcry_sexp_find_token (sig, "r", 0);
  s_token = gcry_sexp_find_token (sig, "s", 0);
  if (r_token != NULL)
    r = gcry_sexp_nth_mpi (r_token, 1, GCRYMPI_FMT_USG);
  if (s_token != NULL)
    s = gcry_sexp_nth_mpi (s_token, 1, GCRYMPI_FMT_USG);
  if (r == NULL || s == NULL ||
      !mpi_to_fixed (r, r_bytes, sizeof r_bytes) ||
      !mpi_to_fixed (s, s_bytes, sizeof s_bytes))
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                   _("Could not create the SM2 signature: libgcrypt "
                     "returned it in an unexpected form"));
      return NULL;
    }

  body = g_byte_array_new ();
  der_write_unsigned_integer (body, r_bytes, sizeof r_bytes);
  der_write_unsigned_integer (body, s_bytes, sizeof s_bytes);

  der = g_byte_array_new ();
  der_write (der, DER_SEQUENCE, body->data, body->len);

  return g_byte_array_free_to_bytes (g_steal_pointer (&der));
}

GBytes *
ct_sign (CtKeyPair   *kp,
         const void  *msg,
         gsize        msg_len,
         GError     **error)
{
  g_return_val_if_fail (kp != NULL, NULL);
  g_return_val_if_fail (msg != NULL || msg_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ct_crypto_init (error))
    return NULL;

  if (kp->alg == CT_SIG_ED25519)
    return sign_ed25519 (kp, msg, msg_len, error);
  else
    return sign_sm2 (kp, msg, msg_len, error);
}

static void
set_bad_signature (GError **error)
{
  g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_BAD_SIGNATURE,
               _("The signature does not match: the data or the signature has "
                 "been altered, or it was signed with a different key"));
}

/* Returns TRUE when the little-endian 32-byte scalar is below the group
 * order L, as RFC 8032 section 5.1.7 requires of S. */
static gboolean
ed25519_scalar_is_canonical (const guint8 *s)
{
  for (int i = 31; i >= 0; i--)
    {
      if (s[i] < ed25519_order_le[i])
        return TRUE;
      if (s[i] > ed25519_order_le[i])
        return FALSE;
    }
  return FALSE;                         /* equal to L */
}

static gboolean
finish_verify (gcry_sexp_t   sig,
               gcry_sexp_t   data,
               gcry_sexp_t   key,
               GError      **error)
{
  gcry_error_t err = gcry_pk_verify (sig, data, key);

  if (err == 0)
    return TRUE;

  /* The public key has been checked already, so whatever libgcrypt
   * dislikes now is the signature (e.g. an R that is no curve point),
   * unless it ran out of memory. */
  if (gcry_err_code (err) == GPG_ERR_ENOMEM)
    set_gcry_error (error, _("Could not check the signature"), err);
  else
    set_bad_signature (error);

  return FALSE;
}

static gboolean
verify_ed25519 (const guint8  *key,
                gsize          key_len,
                const void    *msg,
                gsize          msg_len,
                const guint8  *sig,
                gsize          sig_len,
                GError       **error)
{
  g_auto(gcry_sexp_t) key_sexp = NULL;
  g_auto(gcry_sexp_t) data = NULL;
  g_auto(gcry_sexp_t) sig_sexp = NULL;
  static const guint8 empty[1] = { 0 };
  gcry_error_t err;

  /* libgcrypt 1.10 accepts S + L as well as S; RFC 8032 does not. */
  if (sig_len != ED25519_SIG_LEN || !ed25519_scalar_is_canonical (sig + 32))
    {
      set_bad_signature (error);
      return FALSE;
    }

  if (msg_len > G_MAXINT)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                   _("The signed data is too large for an Ed25519 signature "
                     "(more than 2 GiB)"));
      return FALSE;
    }

  key_sexp = build_public_sexp (CT_SIG_ED25519, key, key_len);
  err = key_sexp != NULL ? 0 : gcry_error (GPG_ERR_INV_OBJ);
  if (err == 0)
    err = gcry_sexp_build (&data, NULL,
                           "(data (flags eddsa) (hash-algo sha512) (value %b))",
                           (int) msg_len,
                           msg_len > 0 ? msg : (const void *) empty);
  if (err == 0)
    err = gcry_sexp_build (&sig_sexp, NULL, "(sig-val (eddsa (r %b) (s %b)))",
                           32, sig, 32, sig + 32);
  if (err != 0)
    {
      set_gcry_error (error, _("Could not check the signature"), err);
      return FALSE;
    }

  return finish_verify (sig_sexp, data, key_sexp, error);
}

static gboolean
verify_sm2 (const guint8  *key,
            gsize          key_len,
            const void    *msg,
            gsize          msg_len,
            const guint8  *sig,
            gsize          sig_len,
            GError       **error)
{
  g_auto(gcry_sexp_t) key_sexp = NULL;
  g_auto(gcry_sexp_t) data = NULL;
  g_auto(gcry_sexp_t) sig_sexp = NULL;
  DerReader input = { sig, sig_len };
  DerReader seq;
  const guint8 *r = NULL;
  const guint8 *s = NULL;
  gsize r_len = 0;
  gsize s_len = 0;
  guint8 e[CT_HASH_LEN];
  gcry_error_t err;

  /* SEQUENCE { INTEGER r, INTEGER s } and nothing else, both in [1, 2^256). */
  if (!der_read (&input, DER_SEQUENCE, &seq) || input.len != 0 ||
      !der_read_positive_integer (&seq, &r, &r_len) ||
      !der_read_positive_integer (&seq, &s, &s_len) ||
      seq.len != 0 ||
      r_len > SM2_SCALAR_LEN || s_len > SM2_SCALAR_LEN)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_BAD_SIGNATURE,
                   _("The SM2 signature is damaged: it is not a valid DER "
                     "SEQUENCE of two integers"));
      return FALSE;
    }

  sm2_digest (key, msg, msg_len, e);

  key_sexp = build_public_sexp (CT_SIG_SM2, key, key_len);
  err = key_sexp != NULL ? 0 : gcry_error (GPG_ERR_INV_OBJ);
  if (err == 0)
    err = gcry_sexp_build (&data, NULL, "(data (flags sm2) (hash sm3 %b))",
                           (int) sizeof e, e);
  if (err == 0)
    err = gcry_sexp_build (&sig_sexp, NULL, "(sig-val (sm2 (r %b) (s %b)))",
                           (int) r_len, r, (int) s_len, s);
  if (err != 0)
    {
      set_gcry_error (error, _("Could not check the signature"), err);
      return FALSE;
    }

  return finish_verify (sig_sexp, data, key_sexp, error);
}

gboolean
ct_verify (CtSigAlg     alg,
           GBytes      *public_key,
           const void  *msg,
           gsize        msg_len,
           GBytes      *signature,
           GError     **error)
{
  const guint8 *key;
  const guint8 *sig;
  gsize key_len;
  gsize sig_len;

  g_return_val_if_fail (public_key != NULL, FALSE);
  g_return_val_if_fail (msg != NULL || msg_len == 0, FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ct_crypto_init (error))
    return FALSE;

  if (!sig_alg_is_valid (alg))
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_UNSUPPORTED,
                   _("Unknown signature algorithm number %d"), (int) alg);
      return FALSE;
    }

  key = g_bytes_get_data (public_key, &key_len);
  sig = g_bytes_get_data (signature, &sig_len);

  if (!check_public_key (alg, key, key_len, error))
    return FALSE;

  if (alg == CT_SIG_ED25519)
    return verify_ed25519 (key, key_len, msg, msg_len, sig, sig_len, error);
  else
    return verify_sm2 (key, key_len, msg, msg_len, sig, sig_len, error);
}

char *
ct_key_fingerprint (CtSigAlg  alg,
                    GBytes   *public_key)
{
  guint8 digest[CT_HASH_LEN];
  g_autofree char *hex = NULL;
  GString *out;
  const guint8 *key;
  gsize key_len;

  g_return_val_if_fail (sig_alg_is_valid (alg), NULL);
  g_return_val_if_fail (public_key != NULL, NULL);

  key = g_bytes_get_data (public_key, &key_len);
  ct_hash_buffer (CT_HASH_SHA256, key, key_len, digest);
  hex = ct_hex_encode (digest, sizeof digest);

  out = g_string_new ("SHA256:");
  for (gsize i = 0; i < 16; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append_len (out, hex + 4 * i, 4);
    }

  return g_string_free (out, FALSE);
}

/* ---- PEM -------------------------------------------------------------------- */

#define PEM_BEGIN "-----BEGIN PUBLIC KEY-----"
#define PEM_END   "-----END PUBLIC KEY-----"

char *
ct_public_key_to_pem (CtSigAlg   alg,
                      GBytes    *public_key,
                      GError   **error)
{
  g_autoptr(GByteArray) algid = NULL;
  g_autoptr(GByteArray) bits = NULL;
  g_autoptr(GByteArray) body = NULL;
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *b64 = NULL;
  static const guint8 no_unused_bits = 0;
  const guint8 *key;
  gsize key_len;
  gsize b64_len;
  GString *pem;

  g_return_val_if_fail (public_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ct_crypto_init (error))
    return NULL;

  if (!sig_alg_is_valid (alg))
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_UNSUPPORTED,
                   _("Unknown signature algorithm number %d"), (int) alg);
      return NULL;
    }

  key = g_bytes_get_data (public_key, &key_len);
  if (!check_public_key (alg, key, key_len, error))
    return NULL;

  /* SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
   *                                     subjectPublicKey BIT STRING }
   * Ed25519 (RFC 8410): algorithm { id-Ed25519 } with no parameters.
   * SM2 (GM/T 0010, as OpenSSL writes it): algorithm { id-ecPublicKey,
   * sm2p256v1 } and the uncompressed point. */
  algid = g_byte_array_new ();
  if (alg == CT_SIG_ED25519)
    der_write (algid, DER_OID, oid_ed25519, sizeof oid_ed25519);
  else
    {
      der_write (algid, DER_OID, oid_ec_public_key, sizeof oid_ec_public_key);
      der_write (algid, DER_OID, oid_sm2_curve, sizeof oid_sm2_curve);
    }

  bits = g_byte_array_new ();
  g_byte_array_append (bits, &no_unused_bits, 1);
  g_byte_array_append (bits, key, key_len);

  body = g_byte_array_new ();
  der_write (body, DER_SEQUENCE, algid->data, algid->len);
  der_write (body, DER_BIT_STRING, bits->data, bits->len);

  der = g_byte_array_new ();
  der_write (der, DER_SEQUENCE, body->data, body->len);

  b64 = g_base64_encode (der->data, der->len);
  b64_len = strlen (b64);

  pem = g_string_new (PEM_BEGIN "\n");
  for (gsize i = 0; i < b64_len; i += 64)
    {
      g_string_append_len (pem, b64 + i, MIN (64, b64_len - i));
      g_string_append_c (pem, '\n');
    }
  g_string_append (pem, PEM_END "\n");

  return g_string_free (pem, FALSE);
}

static void
set_bad_pem (GError **error)
{
  /* TRANSLATORS: %s is the PEM armour line, keep it as is. */
  g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_BAD_KEY,
               _("This is not a readable public key: expected a PEM block "
                 "starting with “%s”"), PEM_BEGIN);
}

static void
set_bad_spki (GError **error)
{
  g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_BAD_KEY,
               _("The public key is damaged: its contents are not a valid "
                 "SubjectPublicKeyInfo structure"));
}

/* Strictly decodes the base64 between the PEM armour lines: only the
 * base64 alphabet and white space, padding only at the very end. */
static guint8 *
pem_decode (const char  *pem,
            gsize       *der_len)
{
  g_autoptr(GString) b64 = NULL;
  const char *begin;
  const char *end;
  const char *p;
  guint padding = 0;

  begin = strstr (pem, PEM_BEGIN);
  if (begin == NULL)
    return NULL;
  begin += strlen (PEM_BEGIN);
  if (*begin == '\r')
    begin++;
  if (*begin != '\n')
    return NULL;

  end = strstr (begin, PEM_END);
  if (end == NULL)
    return NULL;

  b64 = g_string_new (NULL);
  for (p = begin; p < end; p++)
    {
      char c = *p;

      if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        continue;
      if (c == '=')
        {
          padding++;
          if (padding > 2)
            return NULL;
        }
      else if (padding > 0)
        return NULL;                    /* data after padding */
      else if (!g_ascii_isalnum (c) && c != '+' && c != '/')
        return NULL;

      g_string_append_c (b64, c);
    }

  if (b64->len == 0 || b64->len % 4 != 0)
    return NULL;

  return g_base64_decode (b64->str, der_len);
}

GBytes *
ct_public_key_from_pem (const char  *pem,
                        CtSigAlg    *alg,
                        GError     **error)
{
  g_autofree guint8 *der = NULL;
  gsize der_len = 0;
  DerReader input;
  DerReader spki;
  DerReader algid;
  DerReader oid;
  DerReader curve;
  DerReader bits;
  CtSigAlg found;
  const guint8 *key;
  gsize key_len;

  g_return_val_if_fail (pem != NULL, NULL);
  g_return_val_if_fail (alg != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ct_crypto_init (error))
    return NULL;

  der = pem_decode (pem, &der_len);
  if (der == NULL)
    {
      set_bad_pem (error);
      return NULL;
    }

  input.data = der;
  input.len = der_len;

  if (!der_read (&input, DER_SEQUENCE, &spki) || input.len != 0 ||
      !der_read (&spki, DER_SEQUENCE, &algid) ||
      !der_read (&spki, DER_BIT_STRING, &bits) || spki.len != 0 ||
      !der_read (&algid, DER_OID, &oid))
    {
      set_bad_spki (error);
      return NULL;
    }

  if (der_equals (&oid, oid_ed25519, sizeof oid_ed25519))
    {
      /* RFC 8410 section 3: the parameters MUST be absent. */
      if (algid.len != 0)
        {
          set_bad_spki (error);
          return NULL;
        }
      found = CT_SIG_ED25519;
    }
  else if (der_equals (&oid, oid_ec_public_key, sizeof oid_ec_public_key))
    {
      if (!der_read (&algid, DER_OID, &curve) || algid.len != 0)
        {
          set_bad_spki (error);
          return NULL;
        }
      if (!der_equals (&curve, oid_sm2_curve, sizeof oid_sm2_curve))
        {
          g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_UNSUPPORTED,
                       _("The public key is on an elliptic curve Casetrail "
                         "does not support; use an Ed25519 or SM2 key"));
          return NULL;
        }
      found = CT_SIG_SM2;
    }
  else
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_UNSUPPORTED,
                   _("The public key uses an algorithm Casetrail does not "
                     "support; use an Ed25519 or SM2 key"));
      return NULL;
    }

  /* BIT STRING: one byte of unused bits, which must be zero. */
  if (bits.len < 1 || bits.data[0] != 0)
    {
      set_bad_spki (error);
      return NULL;
    }
  key = bits.data + 1;
  key_len = bits.len - 1;

  if (!check_public_key (found, key, key_len, error))
    return NULL;

  *alg = found;
  return g_bytes_new (key, key_len);
}

/* ---- sealing ---------------------------------------------------------------- */

static gcry_error_t
open_seal_cipher (const guint8      key[SEAL_KEY_LEN],
                  const guint8      nonce[SEAL_NONCE_LEN],
                  gcry_cipher_hd_t *hd)
{
  gcry_error_t err;

  err = gcry_cipher_open (hd, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM,
                          GCRY_CIPHER_SECURE);
  if (err == 0)
    err = gcry_cipher_setkey (*hd, key, SEAL_KEY_LEN);
  if (err == 0)
    err = gcry_cipher_setiv (*hd, nonce, SEAL_NONCE_LEN);

  return err;
}

GBytes *
ct_seal (const guint8   key[32],
         const void    *plain,
         gsize          len,
         GError       **error)
{
  g_auto(gcry_cipher_hd_t) hd = NULL;
  guint8 *out;
  gsize out_len;
  gcry_error_t err;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (plain != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ct_crypto_init (error))
    return NULL;

  /* GCM limit (NIST SP 800-38D): 2^39 - 256 bits of plaintext. */
  if (len > (G_GUINT64_CONSTANT (1) << 36) - 32 ||
      len > G_MAXSIZE - SEAL_NONCE_LEN - SEAL_TAG_LEN)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED,
                   _("The data is too large to be sealed"));
      return NULL;
    }

  out_len = SEAL_NONCE_LEN + len + SEAL_TAG_LEN;
  out = g_malloc (out_len);

  /* A fresh random nonce per message: with 96 random bits, a key may seal
   * far more messages than a key store will ever hold. */
  gcry_randomize (out, SEAL_NONCE_LEN, GCRY_STRONG_RANDOM);

  err = open_seal_cipher (key, out, &hd);
  if (err == 0)
    err = gcry_cipher_final (hd);
  if (err == 0 && len > 0)
    err = gcry_cipher_encrypt (hd, out + SEAL_NONCE_LEN, len, plain, len);
  if (err == 0)
    err = gcry_cipher_gettag (hd, out + SEAL_NONCE_LEN + len, SEAL_TAG_LEN);
  if (err != 0)
    {
      wipe (out, out_len);
      g_free (out);
      set_gcry_error (error, _("Could not encrypt the private key"), err);
      return NULL;
    }

  return g_bytes_new_take (out, out_len);
}

GBytes *
ct_unseal (const guint8   key[32],
           GBytes        *sealed,
           GError       **error)
{
  g_auto(gcry_cipher_hd_t) hd = NULL;
  SecureBlock *plain;
  const guint8 *data;
  gsize data_len;
  gsize len;
  gcry_error_t err;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (sealed != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ct_crypto_init (error))
    return NULL;

  data = g_bytes_get_data (sealed, &data_len);
  if (data_len < SEAL_NONCE_LEN + SEAL_TAG_LEN)
    {
      g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_DECRYPT,
                   _("The key file is damaged: the encrypted key is truncated"));
      return NULL;
    }

  len = data_len - SEAL_NONCE_LEN - SEAL_TAG_LEN;
  plain = secure_block_new (len);

  err = open_seal_cipher (key, data, &hd);
  if (err == 0)
    err = gcry_cipher_final (hd);
  if (err == 0 && len > 0)
    err = gcry_cipher_decrypt (hd, plain->data, len,
                               data + SEAL_NONCE_LEN, len);
  if (err == 0)
    err = gcry_cipher_checktag (hd, data + SEAL_NONCE_LEN + len, SEAL_TAG_LEN);

  if (err != 0)
    {
      secure_block_free (plain);
      if (gcry_err_code (err) == GPG_ERR_CHECKSUM)
        g_set_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_DECRYPT,
                     _("The passphrase is wrong or the key file is damaged"));
      else
        set_gcry_error (error, _("Could not decrypt the private key"), err);
      return NULL;
    }

  return secure_block_to_bytes (plain);
}

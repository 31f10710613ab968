/* test-crypto.c — tests for src/core/ct-crypto.c
 *
 * Known-answer tests come from the standards (FIPS 180-4 examples,
 * GB/T 32905, RFC 9106 section 5.3, RFC 8032 section 7.1, RFC 8410
 * section 10.1).  Interoperability is checked against the `openssl`
 * command-line tool when it is installed.
 */

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ct-crypto.h"

#define SM2_DISTID "distid:1234567812345678"

/* ---- helpers -------------------------------------------------------------- */

static GBytes *
hex_bytes (const char *hex)
{
  GBytes *bytes = ct_hex_decode (hex);

  g_assert_nonnull (bytes);
  return bytes;
}

static void
assert_bytes_equal (GBytes *actual,
                    GBytes *expected)
{
  gsize actual_len;
  gsize expected_len;
  const guint8 *a = g_bytes_get_data (actual, &actual_len);
  const guint8 *e = g_bytes_get_data (expected, &expected_len);

  g_assert_cmpmem (a, actual_len, e, expected_len);
}

/* A copy of @bytes with bit @bit (counted from the first byte) flipped. */
static GBytes *
flip_bit (GBytes *bytes,
          gsize   bit)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  guint8 *copy;

  g_assert_cmpuint (bit / 8, <, len);
  copy = g_memdup2 (data, len);
  copy[bit / 8] ^= (guint8) (1u << (bit % 8));

  return g_bytes_new_take (copy, len);
}

static GBytes *
append_byte (GBytes *bytes,
             guint8  extra)
{
  GByteArray *array = g_byte_array_new ();
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  g_byte_array_append (array, data, len);
  g_byte_array_append (array, &extra, 1);

  return g_byte_array_free_to_bytes (array);
}

static void
write_file (const char *dir,
            const char *name,
            const void *data,
            gsize       len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);
}

static GBytes *
read_file (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, len);
}

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("casetrail-crypto-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tmp_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }

  g_rmdir (dir);
}

static gboolean
have_openssl (void)
{
  g_autofree char *path = g_find_program_in_path ("openssl");

  if (path == NULL)
    {
      g_test_skip ("the openssl command-line tool is not installed");
      return FALSE;
    }
  return TRUE;
}

/* Runs openssl with @args (NULL-terminated, without "openssl") in @dir.
 * Returns whether it exited with status 0; stdout and stderr are
 * returned combined in @output when not NULL. */
static gboolean
run_openssl (const char  *dir,
             char       **output,
             const char  *first_arg,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  gboolean ok;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) "openssl");
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  ok = g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH,
                     NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  ok = g_spawn_check_wait_status (status, NULL);
  if (!ok)
    g_test_message ("openssl %s exited with an error (expected in the "
                    "negative controls): %s%s", first_arg, out, err);

  if (output != NULL)
    *output = g_strconcat (out, err, NULL);

  return ok;
}

/* ---- hashing -------------------------------------------------------------- */

static void
test_init (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ct_crypto_init (&error));
  g_assert_no_error (error);
  /* Idempotent. */
  g_assert_true (ct_crypto_init (&error));
  g_assert_no_error (error);
}

static void
test_sha256_known_answers (void)
{
  static const char two_block[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  g_autofree char *abc = ct_hash_hex (CT_HASH_SHA256, "abc", 3);
  g_autofree char *longer = ct_hash_hex (CT_HASH_SHA256, two_block,
                                         strlen (two_block));
  g_autofree char *empty = ct_hash_hex (CT_HASH_SHA256, NULL, 0);
  guint8 raw[CT_HASH_LEN];
  g_autofree char *raw_hex = NULL;

  /* FIPS 180-4 examples (SHA256.pdf). */
  g_assert_cmpstr (abc, ==,
                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_cmpstr (longer, ==,
                   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  g_assert_cmpstr (empty, ==,
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  ct_hash_buffer (CT_HASH_SHA256, "abc", 3, raw);
  raw_hex = ct_hex_encode (raw, sizeof raw);
  g_assert_cmpstr (raw_hex, ==, abc);
}

static void
test_sm3_known_answers (void)
{
  g_autofree char *abc = ct_hash_hex (CT_HASH_SM3, "abc", 3);
  g_autoptr(GString) abcd16 = g_string_new (NULL);
  g_autofree char *longer = NULL;

  for (int i = 0; i < 16; i++)
    g_string_append (abcd16, "abcd");
  longer = ct_hash_hex (CT_HASH_SM3, abcd16->str, abcd16->len);

  /* GB/T 32905-2016, appendix A, examples 1 and 2. */
  g_assert_cmpstr (abc, ==,
                   "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  g_assert_cmpstr (longer, ==,
                   "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

static void
test_hasher_incremental (void)
{
  static const gsize lengths[] = { 0, 1, 55, 56, 63, 64, 65, 1000, 100000 };

  for (gsize n = 0; n < G_N_ELEMENTS (lengths); n++)
    {
      gsize len = lengths[n];
      g_autofree guint8 *data = g_malloc (MAX (len, 1));
      guint8 sha_one[CT_HASH_LEN];
      guint8 sm3_one[CT_HASH_LEN];
      guint8 sha_inc[CT_HASH_LEN];
      guint8 sm3_inc[CT_HASH_LEN];
      guint8 sha_only[CT_HASH_LEN];
      guint8 sm3_untouched[CT_HASH_LEN];
      g_autoptr(CtHasher) both = NULL;
      g_autoptr(CtHasher) sha = NULL;
      gsize pos = 0;
      gsize chunk = 1;

      for (gsize i = 0; i < len; i++)
        data[i] = (guint8) g_test_rand_int_range (0, 256);

      ct_hash_buffer (CT_HASH_SHA256, data, len, sha_one);
      ct_hash_buffer (CT_HASH_SM3, data, len, sm3_one);

      /* Irregular chunk sizes across block boundaries. */
      both = ct_hasher_new (TRUE);
      while (pos < len)
        {
          gsize take = MIN (chunk, len - pos);

          ct_hasher_update (both, data + pos, take);
          pos += take;
          chunk = chunk * 3 + 1;
        }
      ct_hasher_update (both, NULL, 0);
      ct_hasher_finish (both, sha_inc, sm3_inc);

      g_assert_cmpmem (sha_inc, sizeof sha_inc, sha_one, sizeof sha_one);
      g_assert_cmpmem (sm3_inc, sizeof sm3_inc, sm3_one, sizeof sm3_one);
      g_assert_false (memcmp (sha_inc, sm3_inc, CT_HASH_LEN) == 0);

      /* Without SM3 the SM3 output is left alone. */
      memset (sm3_untouched, 0xa5, sizeof sm3_untouched);
      sha = ct_hasher_new (FALSE);
      ct_hasher_update (sha, data, len);
      ct_hasher_finish (sha, sha_only, sm3_untouched);
      g_assert_cmpmem (sha_only, sizeof sha_only, sha_one, sizeof sha_one);
      for (gsize i = 0; i < sizeof sm3_untouched; i++)
        g_assert_cmpuint (sm3_untouched[i], ==, 0xa5);
    }
}

static void
test_hasher_null_outputs (void)
{
  g_autoptr(CtHasher) hasher = ct_hasher_new (TRUE);
  guint8 sm3[CT_HASH_LEN];
  guint8 expected[CT_HASH_LEN];

  ct_hasher_update (hasher, "abc", 3);
  ct_hasher_finish (hasher, NULL, sm3);
  ct_hash_buffer (CT_HASH_SM3, "abc", 3, expected);
  g_assert_cmpmem (sm3, sizeof sm3, expected, sizeof expected);
}

static void
test_hex_round_trip (void)
{
  guint8 all[256];
  g_autofree char *hex = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GBytes) upper = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autofree char *empty_hex = NULL;

  for (int i = 0; i < 256; i++)
    all[i] = (guint8) i;

  hex = ct_hex_encode (all, sizeof all);
  g_assert_cmpuint (strlen (hex), ==, 512);
  g_assert_true (g_str_has_prefix (hex, "000102"));
  g_assert_true (g_str_has_suffix (hex, "fdfeff"));
  for (const char *p = hex; *p != '\0'; p++)
    g_assert_true (g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f'));

  back = ct_hex_decode (hex);
  g_assert_nonnull (back);
  g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back),
                   all, sizeof all);

  upper = ct_hex_decode ("DEADbeef");
  g_assert_nonnull (upper);
  g_assert_cmpmem (g_bytes_get_data (upper, NULL), g_bytes_get_size (upper),
                   "\xde\xad\xbe\xef", 4);

  empty = ct_hex_decode ("");
  g_assert_nonnull (empty);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);
  empty_hex = ct_hex_encode (NULL, 0);
  g_assert_cmpstr (empty_hex, ==, "");
}

static void
test_hex_malformed (void)
{
  static const char *const bad[] = {
    "0", "abc", "zz", "0g", "g0", "12 34", " 1234", "1234 ", "0x12",
    "12\n", "-1", "+1", "\xc3\xa9\xc3\xa9",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) bytes = ct_hex_decode (bad[i]);

      if (bytes != NULL)
        g_test_message ("accepted malformed hex “%s”", bad[i]);
      g_assert_null (bytes);
    }
}

static void
test_memeq_and_random (void)
{
  guint8 a[64];
  guint8 b[64];
  guint8 zero[64] = { 0 };

  ct_random_bytes (a, sizeof a);
  ct_random_bytes (b, sizeof b);
  g_assert_false (memcmp (a, b, sizeof a) == 0);
  g_assert_false (memcmp (a, zero, sizeof a) == 0);

  memcpy (b, a, sizeof a);
  g_assert_true (ct_memeq (a, b, sizeof a));
  g_assert_true (ct_memeq (a, b, 0));
  for (gsize i = 0; i < sizeof a; i++)
    {
      b[i] ^= 0x01;
      g_assert_false (ct_memeq (a, b, sizeof a));
      b[i] ^= 0x01;
    }
}

/* ---- KDF -------------------------------------------------------------------- */

static void
test_argon2id_rfc9106 (void)
{
  /* RFC 9106 section 5.3: Argon2id, version 0x13. */
  guint8 password[32];
  guint8 salt[16];
  guint8 secret[8];
  guint8 ad[12];
  CtKdfParams params = { .t_cost = 3, .m_cost_kib = 32, .parallelism = 4 };
  guint8 tag[32];
  g_autofree char *tag_hex = NULL;
  g_autoptr(GError) error = NULL;

  memset (password, 0x01, sizeof password);
  memset (salt, 0x02, sizeof salt);
  memset (secret, 0x03, sizeof secret);
  memset (ad, 0x04, sizeof ad);

  g_assert_true (ct_kdf_argon2id_keyed ((const char *) password, sizeof password,
                                        salt, sizeof salt,
                                        secret, sizeof secret,
                                        ad, sizeof ad,
                                        &params, tag, sizeof tag, &error));
  g_assert_no_error (error);

  tag_hex = ct_hex_encode (tag, sizeof tag);
  g_assert_cmpstr (tag_hex, ==,
                   "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
}

static void
test_argon2id_properties (void)
{
  CtKdfParams params = { .t_cost = 2, .m_cost_kib = 256, .parallelism = 2 };
  const guint8 salt1[16] = "salt-number-one";
  const guint8 salt2[16] = "salt-number-two";
  guint8 a[32];
  guint8 b[32];
  guint8 c[32];
  guint8 d[32];
  guint8 keyed[32];
  guint8 k[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  g_autoptr(GError) error = NULL;

  g_assert_true (ct_kdf_argon2id ("correct horse", 13, salt1, sizeof salt1,
                                  &params, a, sizeof a, &error));
  g_assert_no_error (error);
  g_assert_true (ct_kdf_argon2id ("correct horse", 13, salt1, sizeof salt1,
                                  &params, b, sizeof b, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);

  g_assert_true (ct_kdf_argon2id ("correct horse", 13, salt2, sizeof salt2,
                                  &params, c, sizeof c, &error));
  g_assert_no_error (error);
  g_assert_false (memcmp (a, c, sizeof a) == 0);

  g_assert_true (ct_kdf_argon2id ("correct horsf", 13, salt1, sizeof salt1,
                                  &params, d, sizeof d, &error));
  g_assert_no_error (error);
  g_assert_false (memcmp (a, d, sizeof a) == 0);

  /* The public function is the keyed one without K and X … */
  g_assert_true (ct_kdf_argon2id_keyed ("correct horse", 13, salt1, sizeof salt1,
                                        NULL, 0, NULL, 0,
                                        &params, d, sizeof d, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (a, sizeof a, d, sizeof d);
  /* … and K does change the result. */
  g_assert_true (ct_kdf_argon2id_keyed ("correct horse", 13, salt1, sizeof salt1,
                                        k, sizeof k, NULL, 0,
                                        &params, keyed, sizeof keyed, &error));
  g_assert_no_error (error);
  g_assert_false (memcmp (a, keyed, sizeof a) == 0);
}

static void
test_argon2id_bad_params (void)
{
  const guint8 salt[16] = { 0 };
  guint8 out[32];
  CtKdfParams params;
  CtKdfParams bad_t = { .t_cost = 0, .m_cost_kib = 64, .parallelism = 1 };
  CtKdfParams bad_p = { .t_cost = 1, .m_cost_kib = 64, .parallelism = 0 };
  CtKdfParams bad_m = { .t_cost = 1, .m_cost_kib = 31, .parallelism = 4 };
  CtKdfParams ok = { .t_cost = 1, .m_cost_kib = 64, .parallelism = 1 };
  g_autoptr(GError) error = NULL;

  ct_kdf_params_default (&params);
  g_assert_cmpuint (params.t_cost, ==, 3);
  g_assert_cmpuint (params.m_cost_kib, ==, 65536);
  g_assert_cmpuint (params.parallelism, ==, 1);

  g_assert_false (ct_kdf_argon2id ("pw", 2, salt, sizeof salt, &bad_t,
                                   out, sizeof out, &error));
  g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_false (ct_kdf_argon2id ("pw", 2, salt, sizeof salt, &bad_p,
                                   out, sizeof out, &error));
  g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_false (ct_kdf_argon2id ("pw", 2, salt, sizeof salt, &bad_m,
                                   out, sizeof out, &error));
  g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED);
  g_clear_error (&error);

  /* Salt shorter than RFC 9106's 8 bytes. */
  g_assert_false (ct_kdf_argon2id ("pw", 2, salt, 7, &ok,
                                   out, sizeof out, &error));
  g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED);
  g_clear_error (&error);

  /* Output shorter than 4 bytes. */
  g_assert_false (ct_kdf_argon2id ("pw", 2, salt, sizeof salt, &ok,
                                   out, 3, &error));
  g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED);
  g_clear_error (&error);

  /* libgcrypt 1.10 cannot derive from an empty passphrase: a clear error. */
  g_assert_false (ct_kdf_argon2id ("", 0, salt, sizeof salt, &ok,
                                   out, sizeof out, &error));
  g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_FAILED);
  g_clear_error (&error);

  /* The smallest valid parameters work. */
  g_assert_true (ct_kdf_argon2id ("pw", 2, salt, 8, &ok, out, 4, &error));
  g_assert_no_error (error);
}

static void
test_argon2id_default_cost (void)
{
  CtKdfParams params;
  const guint8 salt[16] = "0123456789abcdef";
  guint8 out[32];
  guint8 zero[32] = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 elapsed;

  ct_kdf_params_default (&params);

  start = g_get_monotonic_time ();
  g_assert_true (ct_kdf_argon2id ("a passphrase", 12, salt, sizeof salt,
                                  &params, out, sizeof out, &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_false (memcmp (out, zero, sizeof out) == 0);

  g_test_message ("Argon2id t=%u m=%u KiB p=%u took %.3f s",
                  params.t_cost, params.m_cost_kib, params.parallelism,
                  elapsed / (double) G_USEC_PER_SEC);
}

/* ---- Ed25519 ------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  const char *secret;
  const char *public_key;
  const char *message;
  const char *signature;
} Ed25519Vector;

/* RFC 8032 section 7.1. */
static const Ed25519Vector ed25519_vectors[] = {
  {
    "TEST 1",
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    "",
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
    "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  },
  {
    "TEST 2",
    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    "72",
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
    "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
  },
  {
    "TEST 3",
    "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
    "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
    "af82",
    "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
    "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
  },
  {
    "TEST 1024",
    "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
    "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
    "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98"
    "fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
    "79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
    "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
    "1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe"
    "ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
    "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef"
    "efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
    "aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
    "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
    "d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24"
    "554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
    "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
    "2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
    "07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
    "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a"
    "ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e"
    "c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
    "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c"
    "42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8"
    "ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
    "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08"
    "d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649"
    "de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
    "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
    "2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
    "6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
    "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5"
    "0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1"
    "369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
    "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c"
    "0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0",
    "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
    "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03",
  },
};

static void
assert_verify_fails (CtSigAlg  alg,
                     GBytes   *public_key,
                     GBytes   *msg,
                     GBytes   *sig)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = ct_verify (alg, public_key, g_bytes_get_data (msg, NULL),
                  g_bytes_get_size (msg), sig, &error);
  g_assert_false (ok);
  g_assert_nonnull (error);
  g_assert_true (g_error_matches (error, CT_CRYPTO_ERROR,
                                  CT_CRYPTO_ERROR_BAD_SIGNATURE) ||
                 g_error_matches (error, CT_CRYPTO_ERROR,
                                  CT_CRYPTO_ERROR_BAD_KEY));
}

static void
assert_verify_ok (CtSigAlg  alg,
                  GBytes   *public_key,
                  GBytes   *msg,
                  GBytes   *sig)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ct_verify (alg, public_key, g_bytes_get_data (msg, NULL),
                            g_bytes_get_size (msg), sig, &error));
  g_assert_no_error (error);
}

static void
test_ed25519_rfc8032 (void)
{
  for (gsize v = 0; v < G_N_ELEMENTS (ed25519_vectors); v++)
    {
      const Ed25519Vector *vec = &ed25519_vectors[v];
      g_autoptr(GBytes) secret = hex_bytes (vec->secret);
      g_autoptr(GBytes) expected_public = hex_bytes (vec->public_key);
      g_autoptr(GBytes) msg = hex_bytes (vec->message);
      g_autoptr(GBytes) expected_sig = hex_bytes (vec->signature);
      g_autoptr(CtKeyPair) kp = NULL;
      g_autoptr(GBytes) public_key = NULL;
      g_autoptr(GBytes) secret_back = NULL;
      g_autoptr(GBytes) sig = NULL;
      g_autoptr(GBytes) longer_msg = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("RFC 8032 %s", vec->name);

      kp = ct_keypair_from_secret (CT_SIG_ED25519,
                                   g_bytes_get_data (secret, NULL),
                                   g_bytes_get_size (secret), &error);
      g_assert_no_error (error);
      g_assert_nonnull (kp);
      g_assert_cmpint (ct_keypair_get_alg (kp), ==, CT_SIG_ED25519);

      public_key = ct_keypair_get_public (kp);
      assert_bytes_equal (public_key, expected_public);

      secret_back = ct_keypair_get_secret (kp);
      assert_bytes_equal (secret_back, secret);

      sig = ct_sign (kp, g_bytes_get_data (msg, NULL), g_bytes_get_size (msg),
                     &error);
      g_assert_no_error (error);
      assert_bytes_equal (sig, expected_sig);

      /* Verify the RFC's bytes, not only our own output. */
      assert_verify_ok (CT_SIG_ED25519, expected_public, msg, expected_sig);

      /* Any flipped bit in the signature breaks it. */
      for (gsize bit = 0; bit < 64 * 8; bit++)
        {
          g_autoptr(GBytes) bad = flip_bit (expected_sig, bit);
          assert_verify_fails (CT_SIG_ED25519, expected_public, msg, bad);
        }

      /* Any flipped bit in the public key. */
      for (gsize bit = 0; bit < 32 * 8; bit++)
        {
          g_autoptr(GBytes) bad = flip_bit (expected_public, bit);
          assert_verify_fails (CT_SIG_ED25519, bad, msg, expected_sig);
        }

      /* Flipped bits in the message, and an extra byte. */
      for (gsize bit = 0; bit < g_bytes_get_size (msg) * 8; bit += 7)
        {
          g_autoptr(GBytes) bad = flip_bit (msg, bit);
          assert_verify_fails (CT_SIG_ED25519, expected_public, bad, expected_sig);
        }
      longer_msg = append_byte (msg, 0);
      assert_verify_fails (CT_SIG_ED25519, expected_public, longer_msg,
                           expected_sig);
    }
}

static void
test_ed25519_malleability (void)
{
  /* S + L must be rejected (RFC 8032 section 5.1.7, step 1). */
  static const guint8 order[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
    0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
  };
  const Ed25519Vector *vec = &ed25519_vectors[0];
  g_autoptr(GBytes) public_key = hex_bytes (vec->public_key);
  g_autoptr(GBytes) msg = hex_bytes (vec->message);
  g_autoptr(GBytes) sig = hex_bytes (vec->signature);
  g_autoptr(GBytes) malleated = NULL;
  g_autoptr(GError) error = NULL;
  guint8 raw[64];
  guint carry = 0;

  memcpy (raw, g_bytes_get_data (sig, NULL), sizeof raw);
  for (int i = 0; i < 32; i++)
    {
      guint sum = raw[32 + i] + order[i] + carry;

      raw[32 + i] = (guint8) sum;
      carry = sum >> 8;
    }
  g_assert_cmpuint (carry, ==, 0);
  malleated = g_bytes_new (raw, sizeof raw);

  /* The original verifies, S + L does not. */
  assert_verify_ok (CT_SIG_ED25519, public_key, msg, sig);
  g_assert_false (ct_verify (CT_SIG_ED25519, public_key,
                             g_bytes_get_data (msg, NULL), g_bytes_get_size (msg),
                             malleated, &error));
  g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_BAD_SIGNATURE);
}

static void
test_ed25519_generate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtKeyPair) kp = ct_keypair_generate (CT_SIG_ED25519, &error);
  g_autoptr(CtKeyPair) other = NULL;
  g_autoptr(CtKeyPair) again = NULL;
  g_autoptr(GBytes) public_key = NULL;
  g_autoptr(GBytes) other_public = NULL;
  g_autoptr(GBytes) again_public = NULL;
  g_autoptr(GBytes) secret = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GBytes) msg = g_bytes_new_static ("chain of custody", 16);
  g_autoptr(GBytes) short_sig = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (kp);
  public_key = ct_keypair_get_public (kp);
  g_assert_cmpuint (g_bytes_get_size (public_key), ==, 32);

  sig = ct_sign (kp, "chain of custody", 16, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (sig), ==, 64);
  assert_verify_ok (CT_SIG_ED25519, public_key, msg, sig);

  /* Another key does not verify it. */
  other = ct_keypair_generate (CT_SIG_ED25519, &error);
  g_assert_no_error (error);
  other_public = ct_keypair_get_public (other);
  g_assert_false (g_bytes_equal (public_key, other_public));
  assert_verify_fails (CT_SIG_ED25519, other_public, msg, sig);

  /* The secret recreates the same key pair. */
  secret = ct_keypair_get_secret (kp);
  g_assert_cmpuint (g_bytes_get_size (secret), ==, 32);
  again = ct_keypair_from_secret (CT_SIG_ED25519,
                                  g_bytes_get_data (secret, NULL),
                                  g_bytes_get_size (secret), &error);
  g_assert_no_error (error);
  again_public = ct_keypair_get_public (again);
  assert_bytes_equal (again_public, public_key);

  /* Wrong-length signature. */
  short_sig = g_bytes_new (g_bytes_get_data (sig, NULL), 63);
  assert_verify_fails (CT_SIG_ED25519, public_key, msg, short_sig);

  /* Wrong-length secret. */
  g_assert_null (ct_keypair_from_secret (CT_SIG_ED25519,
                                         g_bytes_get_data (secret, NULL), 31,
                                         &error));
  g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_BAD_KEY);
}

/* ---- SM2 ---------------------------------------------------------------------- */

static void
test_sm2_sign_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtKeyPair) kp = ct_keypair_generate (CT_SIG_SM2, &error);
  g_autoptr(CtKeyPair) other = NULL;
  g_autoptr(CtKeyPair) again = NULL;
  g_autoptr(GBytes) public_key = NULL;
  g_autoptr(GBytes) other_public = NULL;
  g_autoptr(GBytes) again_public = NULL;
  g_autoptr(GBytes) secret = NULL;
  g_autoptr(GBytes) msg = g_bytes_new_static ("evidence item 42", 16);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GBytes) sig2 = NULL;
  g_autoptr(GBytes) empty_sig = NULL;
  const guint8 *pub;

  g_assert_no_error (error);
  g_assert_nonnull (kp);
  g_assert_cmpint (ct_keypair_get_alg (kp), ==, CT_SIG_SM2);

  public_key = ct_keypair_get_public (kp);
  pub = g_bytes_get_data (public_key, NULL);
  g_assert_cmpuint (g_bytes_get_size (public_key), ==, 65);
  g_assert_cmpuint (pub[0], ==, 0x04);

  sig = ct_sign (kp, "evidence item 42", 16, &error);
  g_assert_no_error (error);
  assert_verify_ok (CT_SIG_SM2, public_key, msg, sig);

  /* SM2 signatures are randomized, both verify. */
  sig2 = ct_sign (kp, "evidence item 42", 16, &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (sig, sig2));
  assert_verify_ok (CT_SIG_SM2, public_key, msg, sig2);

  empty_sig = ct_sign (kp, NULL, 0, &error);
  g_assert_no_error (error);
  assert_verify_ok (CT_SIG_SM2, public_key, empty, empty_sig);
  assert_verify_fails (CT_SIG_SM2, public_key, msg, empty_sig);

  /* Tampered message, signature and key. */
  for (gsize bit = 0; bit < 16 * 8; bit++)
    {
      g_autoptr(GBytes) bad = flip_bit (msg, bit);
      assert_verify_fails (CT_SIG_SM2, public_key, bad, sig);
    }
  for (gsize bit = 0; bit < g_bytes_get_size (sig) * 8; bit++)
    {
      g_autoptr(GBytes) bad = flip_bit (sig, bit);
      assert_verify_fails (CT_SIG_SM2, public_key, msg, bad);
    }
  for (gsize bit = 0; bit < 65 * 8; bit += 3)
    {
      g_autoptr(GBytes) bad = flip_bit (public_key, bit);
      assert_verify_fails (CT_SIG_SM2, bad, msg, sig);
    }

  other = ct_keypair_generate (CT_SIG_SM2, &error);
  g_assert_no_error (error);
  other_public = ct_keypair_get_public (other);
  assert_verify_fails (CT_SIG_SM2, other_public, msg, sig);

  /* An Ed25519 verification of an SM2 signature fails cleanly. */
  assert_verify_fails (CT_SIG_ED25519, public_key, msg, sig);

  secret = ct_keypair_get_secret (kp);
  g_assert_cmpuint (g_bytes_get_size (secret), ==, 32);
  again = ct_keypair_from_secret (CT_SIG_SM2, g_bytes_get_data (secret, NULL),
                                  g_bytes_get_size (secret), &error);
  g_assert_no_error (error);
  again_public = ct_keypair_get_public (again);
  assert_bytes_equal (again_public, public_key);
}

static void
test_sm2_bad_secrets (void)
{
  /* d must be in [1, n - 2]. */
  static const char *const bad[] = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54122", /* n-1 */
    "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123", /* n */
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "00",
    "0000000000000000000000000000000000000000000000000000000000000001ff",
  };
  static const char *const good[] = {
    "0000000000000000000000000000000000000000000000000000000000000001",
    "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54121", /* n-2 */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) secret = hex_bytes (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(CtKeyPair) kp = NULL;

      kp = ct_keypair_from_secret (CT_SIG_SM2, g_bytes_get_data (secret, NULL),
                                   g_bytes_get_size (secret), &error);
      g_assert_null (kp);
      g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_BAD_KEY);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GBytes) secret = hex_bytes (good[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(CtKeyPair) kp = NULL;
      g_autoptr(GBytes) public_key = NULL;
      g_autoptr(GBytes) sig = NULL;
      g_autoptr(GBytes) msg = g_bytes_new_static ("x", 1);

      kp = ct_keypair_from_secret (CT_SIG_SM2, g_bytes_get_data (secret, NULL),
                                   g_bytes_get_size (secret), &error);
      g_assert_no_error (error);
      public_key = ct_keypair_get_public (kp);
      sig = ct_sign (kp, "x", 1, &error);
      g_assert_no_error (error);
      assert_verify_ok (CT_SIG_SM2, public_key, msg, sig);
    }

  /* d = 1 gives the generator. */
  {
    g_autoptr(GBytes) one = hex_bytes (good[0]);
    g_autoptr(GBytes) generator = hex_bytes (
      "04"
      "32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7"
      "bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0");
    g_autoptr(GError) error = NULL;
    g_autoptr(CtKeyPair) kp = NULL;
    g_autoptr(GBytes) public_key = NULL;

    kp = ct_keypair_from_secret (CT_SIG_SM2, g_bytes_get_data (one, NULL), 32,
                                 &error);
    g_assert_no_error (error);
    public_key = ct_keypair_get_public (kp);
    assert_bytes_equal (public_key, generator);
  }
}

/* Splits our own DER SM2 signature into the magnitudes of r and s. */
static void
split_sm2_signature (GBytes  *sig,
                     GBytes **r,
                     GBytes **s)
{
  gsize len;
  const guint8 *p = g_bytes_get_data (sig, &len);
  gsize pos = 2;

  g_assert_cmpuint (len, >=, 8);
  g_assert_cmpuint (p[0], ==, 0x30);
  g_assert_cmpuint (p[1], ==, len - 2);

  for (int i = 0; i < 2; i++)
    {
      gsize ilen;
      const guint8 *value;

      g_assert_cmpuint (p[pos], ==, 0x02);
      ilen = p[pos + 1];
      value = p + pos + 2;
      g_assert_cmpuint (pos + 2 + ilen, <=, len);
      g_assert_cmpuint (ilen, >=, 1);
      if (ilen > 1 && value[0] == 0)
        {
          /* The only allowed leading zero is the sign byte. */
          g_assert_cmpuint (value[1] & 0x80, !=, 0);
          value++;
          ilen--;
        }
      else
        g_assert_cmpuint (value[0] & 0x80, ==, 0);
      g_assert_cmpuint (ilen, <=, 32);
      *(i == 0 ? r : s) = g_bytes_new (value, ilen);
      pos += 2 + p[pos + 1];
    }
  g_assert_cmpuint (pos, ==, len);
}

/* SEQUENCE { INTEGER pre_r || r, INTEGER pre_s || s } with short lengths,
 * or a long-form outer length when asked. */
static GBytes *
build_sm2_signature (const guint8 *pre_r, gsize pre_r_len,
                     GBytes       *r,
                     const guint8 *pre_s, gsize pre_s_len,
                     GBytes       *s,
                     gboolean      long_form)
{
  GByteArray *out = g_byte_array_new ();
  GByteArray *body = g_byte_array_new ();
  GBytes *ints[2] = { r, s };
  const guint8 *pres[2] = { pre_r, pre_s };
  gsize pre_lens[2] = { pre_r_len, pre_s_len };
  guint8 header[3];

  for (int i = 0; i < 2; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (ints[i], &len);
      gboolean pad = len > 0 && pre_lens[i] == 0 && (data[0] & 0x80);

      header[0] = 0x02;
      header[1] = (guint8) (pre_lens[i] + len + (pad ? 1 : 0));
      g_byte_array_append (body, header, 2);
      if (pad)
        g_byte_array_append (body, (const guint8 *) "\0", 1);
      if (pre_lens[i] > 0)
        g_byte_array_append (body, pres[i], pre_lens[i]);
      g_byte_array_append (body, data, len);
    }

  header[0] = 0x30;
  if (long_form)
    {
      header[1] = 0x81;
      header[2] = (guint8) body->len;
      g_byte_array_append (out, header, 3);
    }
  else
    {
      header[1] = (guint8) body->len;
      g_byte_array_append (out, header, 2);
    }
  g_byte_array_append (out, body->data, body->len);
  g_byte_array_unref (body);

  return g_byte_array_free_to_bytes (out);
}

static gboolean
needs_sign_byte (GBytes *magnitude)
{
  const guint8 *p = g_bytes_get_data (magnitude, NULL);

  return (p[0] & 0x80) != 0;
}

static void
test_sm2_der_strict (void)
{
  static const guint8 zero = 0x00;
  static const guint8 zeros[2] = { 0x00, 0x00 };
  static const guint8 minus = 0xff;
  static const guint8 one = 0x01;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtKeyPair) kp = ct_keypair_generate (CT_SIG_SM2, &error);
  g_autoptr(GBytes) public_key = ct_keypair_get_public (kp);
  g_autoptr(GBytes) msg = g_bytes_new_static ("der", 3);
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GBytes) r = NULL;
  g_autoptr(GBytes) s = NULL;
  g_autoptr(GBytes) rebuilt = NULL;
  g_autoptr(GBytes) variant = NULL;
  gsize sig_len;
  const guint8 *sig_data;

  g_assert_no_error (error);
  sig = ct_sign (kp, "der", 3, &error);
  g_assert_no_error (error);
  split_sm2_signature (sig, &r, &s);

  /* Our test encoder reproduces the signature exactly, and it verifies. */
  rebuilt = build_sm2_signature (NULL, 0, r, NULL, 0, s, FALSE);
  assert_bytes_equal (rebuilt, sig);
  assert_verify_ok (CT_SIG_SM2, public_key, msg, rebuilt);

  /* Superfluous leading zero (one more than the sign byte needs). */
  variant = build_sm2_signature (zeros, needs_sign_byte (r) ? 2 : 1, r,
                                 NULL, 0, s, FALSE);
  assert_verify_fails (CT_SIG_SM2, public_key, msg, variant);
  g_clear_pointer (&variant, g_bytes_unref);
  variant = build_sm2_signature (NULL, 0, r,
                                 zeros, needs_sign_byte (s) ? 2 : 1, s, FALSE);
  assert_verify_fails (CT_SIG_SM2, public_key, msg, variant);
  g_clear_pointer (&variant, g_bytes_unref);

  /* Negative integer. */
  variant = build_sm2_signature (&minus, 1, r, NULL, 0, s, FALSE);
  assert_verify_fails (CT_SIG_SM2, public_key, msg, variant);
  g_clear_pointer (&variant, g_bytes_unref);

  /* More than 256 bits. */
  variant = build_sm2_signature (NULL, 0, r, &one, 1, s, FALSE);
  assert_verify_fails (CT_SIG_SM2, public_key, msg, variant);
  g_clear_pointer (&variant, g_bytes_unref);

  /* Long-form length where the short form fits. */
  variant = build_sm2_signature (NULL, 0, r, NULL, 0, s, TRUE);
  assert_verify_fails (CT_SIG_SM2, public_key, msg, variant);
  g_clear_pointer (&variant, g_bytes_unref);

  /* Trailing garbage, inside or outside the SEQUENCE. */
  variant = append_byte (sig, 0x00);
  assert_verify_fails (CT_SIG_SM2, public_key, msg, variant);
  g_clear_pointer (&variant, g_bytes_unref);

  /* r and s swapped. */
  variant = build_sm2_signature (NULL, 0, s, NULL, 0, r, FALSE);
  assert_verify_fails (CT_SIG_SM2, public_key, msg, variant);
  g_clear_pointer (&variant, g_bytes_unref);

  /* Every truncation, and the empty signature. */
  sig_data = g_bytes_get_data (sig, &sig_len);
  for (gsize len = 0; len < sig_len; len++)
    {
      g_autoptr(GBytes) cut = g_bytes_new (sig_data, len);
      g_autoptr(GError) cut_error = NULL;

      g_assert_false (ct_verify (CT_SIG_SM2, public_key, "der", 3, cut,
                                 &cut_error));
      g_assert_error (cut_error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_BAD_SIGNATURE);
    }

  /* Zero r. */
  {
    g_autoptr(GBytes) zero_int = g_bytes_new_static ("", 0);
    variant = build_sm2_signature (&zero, 1, zero_int, NULL, 0, s, FALSE);
    assert_verify_fails (CT_SIG_SM2, public_key, msg, variant);
    g_clear_pointer (&variant, g_bytes_unref);
  }
}

/* Many signatures so that r and s with and without the high bit set both
 * occur; each must be minimal DER that verifies. */
static void
test_sm2_der_lengths (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtKeyPair) kp = ct_keypair_generate (CT_SIG_SM2, &error);
  g_autoptr(GBytes) public_key = ct_keypair_get_public (kp);
  guint padded = 0;
  guint unpadded = 0;

  g_assert_no_error (error);

  for (int i = 0; i < 64; i++)
    {
      g_autofree char *text = g_strdup_printf ("message %d", i);
      g_autoptr(GBytes) msg = g_bytes_new (text, strlen (text));
      g_autoptr(GBytes) sig = ct_sign (kp, text, strlen (text), &error);
      g_autoptr(GBytes) r = NULL;
      g_autoptr(GBytes) s = NULL;
      g_autoptr(GBytes) rebuilt = NULL;
      const guint8 *p;

      g_assert_no_error (error);
      split_sm2_signature (sig, &r, &s);
      rebuilt = build_sm2_signature (NULL, 0, r, NULL, 0, s, FALSE);
      assert_bytes_equal (rebuilt, sig);
      assert_verify_ok (CT_SIG_SM2, public_key, msg, sig);

      p = g_bytes_get_data (sig, NULL);
      if (p[3] == 33)
        padded++;
      else
        unpadded++;
    }

  g_assert_cmpuint (padded, >, 0);
  g_assert_cmpuint (unpadded, >, 0);
}

/* (a) Casetrail signs, OpenSSL verifies. */
static void
test_sm2_openssl_verifies_core (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtKeyPair) kp = NULL;
  g_autoptr(GBytes) public_key = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *reencoded = NULL;

  if (!have_openssl ())
    return;

  kp = ct_keypair_generate (CT_SIG_SM2, &error);
  g_assert_no_error (error);
  public_key = ct_keypair_get_public (kp);
  pem = ct_public_key_to_pem (CT_SIG_SM2, public_key, &error);
  g_assert_no_error (error);

  dir = make_tmp_dir ();
  write_file (dir, "pub.pem", pem, strlen (pem));

  /* OpenSSL reads the key and writes it back byte for byte the same. */
  g_assert_true (run_openssl (dir, &reencoded, "pkey", "-pubin", "-in", "pub.pem",
                              NULL));
  g_assert_cmpstr (reencoded, ==, pem);

  for (int i = 0; i < 8; i++)
    {
      g_autofree char *msg = g_strdup_printf ("Exhibit %d: one hard drive", i);
      g_autoptr(GBytes) sig = ct_sign (kp, msg, strlen (msg), &error);
      g_autofree char *result = NULL;
      g_autofree char *tampered = NULL;

      g_assert_no_error (error);
      write_file (dir, "msg.bin", msg, strlen (msg));
      write_file (dir, "sig.der", g_bytes_get_data (sig, NULL),
                  g_bytes_get_size (sig));

      g_assert_true (run_openssl (dir, &result, "dgst", "-sm3",
                                  "-verify", "pub.pem",
                                  "-sigopt", SM2_DISTID,
                                  "-signature", "sig.der", "msg.bin", NULL));
      g_assert_nonnull (strstr (result, "Verified OK"));

      /* Negative control: OpenSSL must reject a changed message. */
      msg[0] ^= 0x20;
      write_file (dir, "msg.bin", msg, strlen (msg));
      g_assert_false (run_openssl (dir, &tampered, "dgst", "-sm3",
                                   "-verify", "pub.pem",
                                   "-sigopt", SM2_DISTID,
                                   "-signature", "sig.der", "msg.bin", NULL));
      g_assert_null (strstr (tampered, "Verified OK"));
    }

  remove_tmp_dir (dir);
}

/* (b) OpenSSL signs, Casetrail verifies. */
static void
test_sm2_core_verifies_openssl (void)
{
  g_autofree char *dir = NULL;

  if (!have_openssl ())
    return;

  dir = make_tmp_dir ();

  for (int i = 0; i < 4; i++)
    {
      g_autofree char *msg = g_strdup_printf ("Seized on day %d", i);
      g_autoptr(GBytes) pem = NULL;
      g_autoptr(GBytes) sig = NULL;
      g_autoptr(GBytes) public_key = NULL;
      g_autoptr(GBytes) msg_bytes = NULL;
      g_autoptr(GBytes) other_msg = NULL;
      g_autofree char *pem_str = NULL;
      g_autoptr(GError) error = NULL;
      CtSigAlg alg = CT_SIG_ED25519;

      g_assert_true (run_openssl (dir, NULL, "genpkey", "-algorithm", "EC",
                                  "-pkeyopt", "ec_paramgen_curve:SM2",
                                  "-out", "key.pem", NULL));
      g_assert_true (run_openssl (dir, NULL, "pkey", "-in", "key.pem",
                                  "-pubout", "-out", "pub.pem", NULL));
      write_file (dir, "msg.bin", msg, strlen (msg));
      g_assert_true (run_openssl (dir, NULL, "dgst", "-sm3",
                                  "-sign", "key.pem",
                                  "-sigopt", SM2_DISTID,
                                  "-out", "sig.der", "msg.bin", NULL));

      pem = read_file (dir, "pub.pem");
      pem_str = g_strndup (g_bytes_get_data (pem, NULL), g_bytes_get_size (pem));
      public_key = ct_public_key_from_pem (pem_str, &alg, &error);
      g_assert_no_error (error);
      g_assert_cmpint (alg, ==, CT_SIG_SM2);

      sig = read_file (dir, "sig.der");
      msg_bytes = g_bytes_new (msg, strlen (msg));
      assert_verify_ok (CT_SIG_SM2, public_key, msg_bytes, sig);

      other_msg = flip_bit (msg_bytes, 3);
      assert_verify_fails (CT_SIG_SM2, public_key, other_msg, sig);
    }

  remove_tmp_dir (dir);
}

/* Ed25519: OpenSSL reads our PEM and verifies our signature; we verify
 * OpenSSL's. */
static void
test_ed25519_openssl_interop (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtKeyPair) kp = NULL;
  g_autoptr(GBytes) public_key = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GBytes) their_pem = NULL;
  g_autoptr(GBytes) their_sig = NULL;
  g_autoptr(GBytes) their_public = NULL;
  g_autoptr(GBytes) msg_bytes = NULL;
  g_autoptr(GBytes) other_msg = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *output = NULL;
  g_autofree char *reencoded = NULL;
  g_autofree char *their_pem_str = NULL;
  static const char msg[] = "Sealed evidence bag #1138";
  CtSigAlg alg = CT_SIG_SM2;

  if (!have_openssl ())
    return;

  dir = make_tmp_dir ();

  /* Ours → OpenSSL. */
  kp = ct_keypair_generate (CT_SIG_ED25519, &error);
  g_assert_no_error (error);
  public_key = ct_keypair_get_public (kp);
  pem = ct_public_key_to_pem (CT_SIG_ED25519, public_key, &error);
  g_assert_no_error (error);
  sig = ct_sign (kp, msg, strlen (msg), &error);
  g_assert_no_error (error);

  write_file (dir, "pub.pem", pem, strlen (pem));
  write_file (dir, "msg.bin", msg, strlen (msg));
  write_file (dir, "sig.bin", g_bytes_get_data (sig, NULL),
              g_bytes_get_size (sig));

  g_assert_true (run_openssl (dir, NULL, "pkey", "-pubin", "-in", "pub.pem",
                              "-noout", NULL));
  g_assert_true (run_openssl (dir, &reencoded, "pkey", "-pubin", "-in", "pub.pem",
                              NULL));
  g_assert_cmpstr (reencoded, ==, pem);
  g_assert_true (run_openssl (dir, &output, "pkeyutl", "-verify", "-pubin",
                              "-inkey", "pub.pem", "-rawin", "-in", "msg.bin",
                              "-sigfile", "sig.bin", NULL));
  g_assert_nonnull (strstr (output, "Signature Verified Successfully"));

  /* OpenSSL → ours. */
  g_assert_true (run_openssl (dir, NULL, "genpkey", "-algorithm", "ed25519",
                              "-out", "key.pem", NULL));
  g_assert_true (run_openssl (dir, NULL, "pkey", "-in", "key.pem", "-pubout",
                              "-out", "theirs.pem", NULL));
  g_assert_true (run_openssl (dir, NULL, "pkeyutl", "-sign", "-rawin",
                              "-inkey", "key.pem", "-in", "msg.bin",
                              "-out", "theirs.sig", NULL));

  their_pem = read_file (dir, "theirs.pem");
  their_pem_str = g_strndup (g_bytes_get_data (their_pem, NULL),
                             g_bytes_get_size (their_pem));
  their_public = ct_public_key_from_pem (their_pem_str, &alg, &error);
  g_assert_no_error (error);
  g_assert_cmpint (alg, ==, CT_SIG_ED25519);
  g_assert_cmpuint (g_bytes_get_size (their_public), ==, 32);

  their_sig = read_file (dir, "theirs.sig");
  msg_bytes = g_bytes_new_static (msg, strlen (msg));
  assert_verify_ok (CT_SIG_ED25519, their_public, msg_bytes, their_sig);
  other_msg = flip_bit (msg_bytes, 0);
  assert_verify_fails (CT_SIG_ED25519, their_public, other_msg, their_sig);
  assert_verify_fails (CT_SIG_ED25519, public_key, msg_bytes, their_sig);

  remove_tmp_dir (dir);
}

/* ---- PEM -------------------------------------------------------------------- */

static char *
der_to_pem (const guint8 *der,
            gsize         len)
{
  g_autofree char *b64 = g_base64_encode (der, len);

  return g_strdup_printf ("-----BEGIN PUBLIC KEY-----\n%s\n"
                          "-----END PUBLIC KEY-----\n", b64);
}

static void
assert_pem_rejected (const char   *pem,
                     CtCryptoError code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = NULL;
  CtSigAlg alg = CT_SIG_ED25519;

  key = ct_public_key_from_pem (pem, &alg, &error);
  if (key != NULL)
    g_test_message ("accepted bad PEM:\n%s", pem);
  g_assert_null (key);
  g_assert_error (error, CT_CRYPTO_ERROR, (gint) code);
}

static void
test_pem_round_trip (void)
{
  const CtSigAlg algs[] = { CT_SIG_ED25519, CT_SIG_SM2 };

  for (gsize i = 0; i < G_N_ELEMENTS (algs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CtKeyPair) kp = ct_keypair_generate (algs[i], &error);
      g_autoptr(GBytes) public_key = NULL;
      g_autoptr(GBytes) back = NULL;
      g_autofree char *pem = NULL;
      g_autofree char *crlf = NULL;
      g_autoptr(GBytes) back_crlf = NULL;
      CtSigAlg alg = algs[i] == CT_SIG_SM2 ? CT_SIG_ED25519 : CT_SIG_SM2;

      g_assert_no_error (error);
      public_key = ct_keypair_get_public (kp);
      pem = ct_public_key_to_pem (algs[i], public_key, &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (pem, "-----BEGIN PUBLIC KEY-----\n"));
      g_assert_true (g_str_has_suffix (pem, "\n-----END PUBLIC KEY-----\n"));

      back = ct_public_key_from_pem (pem, &alg, &error);
      g_assert_no_error (error);
      g_assert_cmpint (alg, ==, algs[i]);
      assert_bytes_equal (back, public_key);

      /* Windows line endings are fine too. */
      {
        g_auto(GStrv) lines = g_strsplit (pem, "\n", -1);
        crlf = g_strjoinv ("\r\n", lines);
      }
      back_crlf = ct_public_key_from_pem (crlf, &alg, &error);
      g_assert_no_error (error);
      assert_bytes_equal (back_crlf, public_key);
    }
}

static void
test_pem_rfc8410 (void)
{
  /* RFC 8410 section 10.1. */
  static const char pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
    "-----END PUBLIC KEY-----\n";
  g_autoptr(GBytes) expected = hex_bytes (
    "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autofree char *written = NULL;
  CtSigAlg alg = CT_SIG_SM2;

  key = ct_public_key_from_pem (pem, &alg, &error);
  g_assert_no_error (error);
  g_assert_cmpint (alg, ==, CT_SIG_ED25519);
  assert_bytes_equal (key, expected);

  written = ct_public_key_to_pem (CT_SIG_ED25519, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (written, ==, pem);
}

static void
test_pem_malformed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtKeyPair) ed = ct_keypair_generate (CT_SIG_ED25519, &error);
  g_autoptr(CtKeyPair) sm2 = ct_keypair_generate (CT_SIG_SM2, &error);
  g_autoptr(GBytes) ed_public = ct_keypair_get_public (ed);
  g_autoptr(GBytes) sm2_public = ct_keypair_get_public (sm2);
  const guint8 *ed_key = g_bytes_get_data (ed_public, NULL);
  const guint8 *sm2_key = g_bytes_get_data (sm2_public, NULL);
  static const guint8 ed_prefix[] = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
  };
  static const guint8 sm2_prefix[] = {
    0x30, 0x59, 0x30, 0x13,
    0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
    0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d,
    0x03, 0x42, 0x00,
  };
  guint8 ed_der[sizeof ed_prefix + 32];
  guint8 sm2_der[sizeof sm2_prefix + 65];
  guint8 buf[128];
  static const char *const texts[] = {
    "",
    "garbage",
    "-----BEGIN PUBLIC KEY-----\n",
    "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n",
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE\n"
    "-----END PUBLIC KEY-----\n",
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZu=E\n"
    "-----END PUBLIC KEY-----\n",
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=*\n"
    "-----END PUBLIC KEY-----\n",
    "-----BEGIN PRIVATE KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
    "-----END PRIVATE KEY-----\n",
    "-----BEGIN PUBLIC KEY-----MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
    "-----END PUBLIC KEY-----\n",
  };

  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    assert_pem_rejected (texts[i], CT_CRYPTO_ERROR_BAD_KEY);

  memcpy (ed_der, ed_prefix, sizeof ed_prefix);
  memcpy (ed_der + sizeof ed_prefix, ed_key, 32);
  memcpy (sm2_der, sm2_prefix, sizeof sm2_prefix);
  memcpy (sm2_der + sizeof sm2_prefix, sm2_key, 65);

  /* Sanity: the hand-made DER is accepted. */
  {
    g_autofree char *pem = der_to_pem (ed_der, sizeof ed_der);
    g_autoptr(GBytes) key = NULL;
    CtSigAlg alg;

    key = ct_public_key_from_pem (pem, &alg, &error);
    g_assert_no_error (error);
    assert_bytes_equal (key, ed_public);
  }
  {
    g_autofree char *pem = der_to_pem (sm2_der, sizeof sm2_der);
    g_autoptr(GBytes) key = NULL;
    CtSigAlg alg;

    key = ct_public_key_from_pem (pem, &alg, &error);
    g_assert_no_error (error);
    assert_bytes_equal (key, sm2_public);
  }

  /* Every truncation of the DER. */
  for (gsize len = 1; len < sizeof ed_der; len++)
    {
      g_autofree char *pem = der_to_pem (ed_der, len);
      assert_pem_rejected (pem, CT_CRYPTO_ERROR_BAD_KEY);
    }
  for (gsize len = 1; len < sizeof sm2_der; len++)
    {
      g_autofree char *pem = der_to_pem (sm2_der, len);
      assert_pem_rejected (pem, CT_CRYPTO_ERROR_BAD_KEY);
    }

  /* Trailing byte after the SEQUENCE. */
  {
    g_autofree char *pem = NULL;

    memcpy (buf, ed_der, sizeof ed_der);
    buf[sizeof ed_der] = 0x00;
    pem = der_to_pem (buf, sizeof ed_der + 1);
    assert_pem_rejected (pem, CT_CRYPTO_ERROR_BAD_KEY);
  }

  /* Non-zero unused-bits byte in the BIT STRING. */
  {
    g_autofree char *pem = NULL;

    memcpy (buf, ed_der, sizeof ed_der);
    buf[11] = 0x01;
    pem = der_to_pem (buf, sizeof ed_der);
    assert_pem_rejected (pem, CT_CRYPTO_ERROR_BAD_KEY);
  }

  /* Ed25519 with NULL parameters (RFC 8410: they MUST be absent). */
  {
    static const guint8 with_null[] = {
      0x30, 0x2c, 0x30, 0x07, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x05, 0x00,
      0x03, 0x21, 0x00,
    };
    g_autofree char *pem = NULL;

    memcpy (buf, with_null, sizeof with_null);
    memcpy (buf + sizeof with_null, ed_key, 32);
    pem = der_to_pem (buf, sizeof with_null + 32);
    assert_pem_rejected (pem, CT_CRYPTO_ERROR_BAD_KEY);
  }

  /* Non-minimal length encoding of the outer SEQUENCE. */
  {
    g_autofree char *pem = NULL;

    buf[0] = 0x30;
    buf[1] = 0x81;
    buf[2] = 0x2a;
    memcpy (buf + 3, ed_der + 2, sizeof ed_der - 2);
    pem = der_to_pem (buf, sizeof ed_der + 1);
    assert_pem_rejected (pem, CT_CRYPTO_ERROR_BAD_KEY);
  }

  /* Indefinite length. */
  {
    g_autofree char *pem = NULL;

    memcpy (buf, ed_der, sizeof ed_der);
    buf[1] = 0x80;
    buf[sizeof ed_der] = 0x00;
    buf[sizeof ed_der + 1] = 0x00;
    pem = der_to_pem (buf, sizeof ed_der + 2);
    assert_pem_rejected (pem, CT_CRYPTO_ERROR_BAD_KEY);
  }

  /* SM2 point off the curve, compressed, or with the wrong prefix. */
  {
    g_autofree char *off = NULL;
    g_autofree char *compressed = NULL;

    memcpy (buf, sm2_der, sizeof sm2_der);
    buf[sizeof sm2_der - 1] ^= 0x01;
    off = der_to_pem (buf, sizeof sm2_der);
    assert_pem_rejected (off, CT_CRYPTO_ERROR_BAD_KEY);

    memcpy (buf, sm2_der, sizeof sm2_der);
    buf[sizeof sm2_prefix] = 0x02;
    compressed = der_to_pem (buf, sizeof sm2_der);
    assert_pem_rejected (compressed, CT_CRYPTO_ERROR_BAD_KEY);
  }

  /* Ed25519 key of the wrong size (33 bytes). */
  {
    static const guint8 prefix[] = {
      0x30, 0x2b, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x22, 0x00,
    };
    g_autofree char *pem = NULL;

    memcpy (buf, prefix, sizeof prefix);
    memcpy (buf + sizeof prefix, ed_key, 32);
    buf[sizeof prefix + 32] = 0;
    pem = der_to_pem (buf, sizeof prefix + 33);
    assert_pem_rejected (pem, CT_CRYPTO_ERROR_BAD_KEY);
  }

  /* to_pem refuses keys that are not on the curve. */
  {
    g_autoptr(GBytes) bad = flip_bit (sm2_public, 8 * 64);
    g_autofree char *pem = ct_public_key_to_pem (CT_SIG_SM2, bad, &error);

    g_assert_null (pem);
    g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_BAD_KEY);
    g_clear_error (&error);
  }
}

static void
test_pem_unsupported (void)
{
  /* id-ecPublicKey on prime256v1, and rsaEncryption. */
  static const guint8 p256_prefix[] = {
    0x30, 0x59, 0x30, 0x13,
    0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
    0x03, 0x42, 0x00, 0x04,
  };
  static const guint8 rsa[] = {
    0x30, 0x1c, 0x30, 0x0d,
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
    0x05, 0x00,
    0x03, 0x0b, 0x00, 0x30, 0x08, 0x02, 0x01, 0x03, 0x02, 0x03, 0x01, 0x00, 0x01,
  };
  guint8 buf[sizeof p256_prefix + 64];
  g_autofree char *p256_pem = NULL;
  g_autofree char *rsa_pem = NULL;

  memcpy (buf, p256_prefix, sizeof p256_prefix);
  memset (buf + sizeof p256_prefix, 0x42, 64);
  p256_pem = der_to_pem (buf, sizeof buf);
  assert_pem_rejected (p256_pem, CT_CRYPTO_ERROR_UNSUPPORTED);

  rsa_pem = der_to_pem (rsa, sizeof rsa);
  assert_pem_rejected (rsa_pem, CT_CRYPTO_ERROR_UNSUPPORTED);
}

/* Random corruption of valid DER must never crash or read out of bounds
 * (run under AddressSanitizer); whatever is accepted must be a valid key. */
static void
test_pem_fuzz (void)
{
  const CtSigAlg algs[] = { CT_SIG_ED25519, CT_SIG_SM2 };

  for (gsize a = 0; a < G_N_ELEMENTS (algs); a++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CtKeyPair) kp = ct_keypair_generate (algs[a], &error);
      g_autoptr(GBytes) public_key = ct_keypair_get_public (kp);
      g_autofree char *pem = ct_public_key_to_pem (algs[a], public_key, &error);
      g_auto(GStrv) lines = NULL;
      g_autofree char *b64 = NULL;
      g_autofree guint8 *der = NULL;
      gsize der_len = 0;

      g_assert_no_error (error);
      lines = g_strsplit (pem, "\n", -1);
      b64 = g_strjoinv ("", lines + 1);
      *strstr (b64, "-----END") = '\0';
      der = g_base64_decode (b64, &der_len);

      for (int round = 0; round < 2000; round++)
        {
          g_autofree guint8 *mutated = g_memdup2 (der, der_len);
          g_autofree char *mutated_pem = NULL;
          g_autoptr(GBytes) key = NULL;
          g_autoptr(GError) fuzz_error = NULL;
          int edits = g_test_rand_int_range (1, 4);
          gsize len = der_len;
          CtSigAlg alg;

          for (int e = 0; e < edits; e++)
            mutated[g_test_rand_int_range (0, (gint32) der_len)] =
              (guint8) g_test_rand_int_range (0, 256);
          if (g_test_rand_bit ())
            len = (gsize) g_test_rand_int_range (1, (gint32) der_len + 1);

          mutated_pem = der_to_pem (mutated, len);
          key = ct_public_key_from_pem (mutated_pem, &alg, &fuzz_error);
          if (key == NULL)
            {
              g_assert_nonnull (fuzz_error);
              g_assert_true (fuzz_error->domain == CT_CRYPTO_ERROR);
            }
          else
            {
              g_autofree char *again = ct_public_key_to_pem (alg, key, &fuzz_error);
              g_assert_no_error (fuzz_error);
              g_assert_nonnull (again);
            }
        }
    }
}

/* ---- fingerprints and names --------------------------------------------------- */

static void
test_fingerprint (void)
{
  g_autoptr(GBytes) key = hex_bytes (ed25519_vectors[0].public_key);
  g_autoptr(GBytes) other = hex_bytes (ed25519_vectors[1].public_key);
  g_autofree char *fp = ct_key_fingerprint (CT_SIG_ED25519, key);
  g_autofree char *fp_again = ct_key_fingerprint (CT_SIG_ED25519, key);
  g_autofree char *fp_other = ct_key_fingerprint (CT_SIG_ED25519, other);
  g_autofree char *hash = ct_hash_hex (CT_HASH_SHA256,
                                       g_bytes_get_data (key, NULL),
                                       g_bytes_get_size (key));
  g_autoptr(GString) expected = g_string_new ("SHA256:");
  g_auto(GStrv) groups = NULL;

  for (int i = 0; i < 16; i++)
    {
      if (i > 0)
        g_string_append_c (expected, ' ');
      g_string_append_len (expected, hash + 4 * i, 4);
    }

  g_assert_cmpstr (fp, ==, expected->str);
  g_assert_cmpstr (fp, ==, "SHA256:21fe 31df a154 a261 626b f854 046f d227 "
                           "1b7b ed4b 6abe 45aa 5887 7ef4 7f97 21b9");
  g_assert_cmpuint (strlen (fp), ==, 86);
  g_assert_cmpstr (fp, ==, fp_again);
  g_assert_cmpstr (fp, !=, fp_other);
  g_assert_null (strchr (fp + strlen ("SHA256:"), ':'));

  groups = g_strsplit (fp + strlen ("SHA256:"), " ", -1);
  g_assert_cmpuint (g_strv_length (groups), ==, 16);
  for (int i = 0; i < 16; i++)
    {
      g_assert_cmpuint (strlen (groups[i]), ==, 4);
      for (int j = 0; j < 4; j++)
        g_assert_true (g_ascii_isxdigit (groups[i][j]) &&
                       !g_ascii_isupper (groups[i][j]));
    }
}

static void
test_sig_alg_names (void)
{
  g_autoptr(GError) error = NULL;
  CtSigAlg alg = CT_SIG_SM2;

  g_assert_cmpstr (ct_sig_alg_to_string (CT_SIG_ED25519), ==, "ed25519");
  g_assert_cmpstr (ct_sig_alg_to_string (CT_SIG_SM2), ==, "sm2-sm3");

  g_assert_true (ct_sig_alg_from_string ("ed25519", &alg, &error));
  g_assert_no_error (error);
  g_assert_cmpint (alg, ==, CT_SIG_ED25519);
  g_assert_true (ct_sig_alg_from_string ("sm2-sm3", &alg, &error));
  g_assert_no_error (error);
  g_assert_cmpint (alg, ==, CT_SIG_SM2);

  g_assert_false (ct_sig_alg_from_string ("rsa", &alg, &error));
  g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (ct_sig_alg_from_string ("", &alg, &error));
  g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (ct_sig_alg_from_string (NULL, &alg, &error));
  g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_UNSUPPORTED);
}

/* ---- sealing ------------------------------------------------------------------ */

static void
test_seal_round_trip (void)
{
  static const gsize lengths[] = { 0, 1, 15, 16, 17, 32, 1000 };
  guint8 key[32];

  ct_random_bytes (key, sizeof key);

  for (gsize i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      gsize len = lengths[i];
      g_autofree guint8 *plain = g_malloc (MAX (len, 1));
      g_autoptr(GBytes) sealed = NULL;
      g_autoptr(GBytes) sealed2 = NULL;
      g_autoptr(GBytes) opened = NULL;
      g_autoptr(GError) error = NULL;

      for (gsize j = 0; j < len; j++)
        plain[j] = (guint8) (j * 7 + 3);

      sealed = ct_seal (key, plain, len, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (sealed), ==, 12 + len + 16);
      if (len >= 16)
        g_assert_null (memmem (g_bytes_get_data (sealed, NULL),
                               g_bytes_get_size (sealed), plain, len));

      /* Fresh nonce each time. */
      sealed2 = ct_seal (key, plain, len, &error);
      g_assert_no_error (error);
      g_assert_false (g_bytes_equal (sealed, sealed2));

      opened = ct_unseal (key, sealed, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (opened, NULL), g_bytes_get_size (opened),
                       plain, len);
    }
}

static void
test_seal_known_answer (void)
{
  /* AES-256-GCM, McGrew & Viega test case 13/14 (all-zero key and IV):
   * one zero block encrypts to cea7403d4d606b6e074ec5d3baf39d18 with tag
   * d0d1c8a799996bf0265b98b5d48ab919.  Checks the layout nonce||ct||tag. */
  guint8 key[32] = { 0 };
  g_autoptr(GBytes) sealed = hex_bytes (
    "000000000000000000000000"
    "cea7403d4d606b6e074ec5d3baf39d18"
    "d0d1c8a799996bf0265b98b5d48ab919");
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GError) error = NULL;
  guint8 zero[16] = { 0 };

  opened = ct_unseal (key, sealed, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (opened, NULL), g_bytes_get_size (opened),
                   zero, sizeof zero);
}

static void
test_seal_tamper (void)
{
  static const char secret[] = "the private key bytes";
  guint8 key[32];
  guint8 wrong[32];
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GError) error = NULL;
  gsize sealed_len;

  ct_random_bytes (key, sizeof key);
  memcpy (wrong, key, sizeof key);
  wrong[31] ^= 0x80;

  sealed = ct_seal (key, secret, sizeof secret, &error);
  g_assert_no_error (error);
  sealed_len = g_bytes_get_size (sealed);

  opened = ct_unseal (wrong, sealed, &error);
  g_assert_null (opened);
  g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_DECRYPT);
  g_clear_error (&error);

  /* Every byte: nonce, ciphertext and tag. */
  for (gsize bit = 0; bit < sealed_len * 8; bit += 5)
    {
      g_autoptr(GBytes) bad = flip_bit (sealed, bit);
      g_autoptr(GBytes) out = ct_unseal (key, bad, &error);

      g_assert_null (out);
      g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_DECRYPT);
      g_clear_error (&error);
    }

  /* Truncated and extended. */
  for (gsize len = 0; len < sealed_len; len += 3)
    {
      g_autoptr(GBytes) cut = g_bytes_new_from_bytes (sealed, 0, len);
      g_autoptr(GBytes) out = ct_unseal (key, cut, &error);

      g_assert_null (out);
      g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_DECRYPT);
      g_clear_error (&error);
    }
  {
    g_autoptr(GBytes) longer = append_byte (sealed, 0);
    g_autoptr(GBytes) out = ct_unseal (key, longer, &error);

    g_assert_null (out);
    g_assert_error (error, CT_CRYPTO_ERROR, CT_CRYPTO_ERROR_DECRYPT);
    g_clear_error (&error);
  }

  /* The untouched one still opens. */
  opened = ct_unseal (key, sealed, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (opened, NULL), g_bytes_get_size (opened),
                   secret, sizeof secret);
}

/* ---- main ----------------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crypto/init", test_init);
  g_test_add_func ("/crypto/hash/sha256-known-answers", test_sha256_known_answers);
  g_test_add_func ("/crypto/hash/sm3-known-answers", test_sm3_known_answers);
  g_test_add_func ("/crypto/hash/incremental", test_hasher_incremental);
  g_test_add_func ("/crypto/hash/null-outputs", test_hasher_null_outputs);
  g_test_add_func ("/crypto/hex/round-trip", test_hex_round_trip);
  g_test_add_func ("/crypto/hex/malformed", test_hex_malformed);
  g_test_add_func ("/crypto/memeq-random", test_memeq_and_random);
  g_test_add_func ("/crypto/kdf/rfc9106", test_argon2id_rfc9106);
  g_test_add_func ("/crypto/kdf/properties", test_argon2id_properties);
  g_test_add_func ("/crypto/kdf/bad-params", test_argon2id_bad_params);
  g_test_add_func ("/crypto/kdf/default-cost", test_argon2id_default_cost);
  g_test_add_func ("/crypto/ed25519/rfc8032", test_ed25519_rfc8032);
  g_test_add_func ("/crypto/ed25519/malleability", test_ed25519_malleability);
  g_test_add_func ("/crypto/ed25519/generate", test_ed25519_generate);
  g_test_add_func ("/crypto/ed25519/openssl-interop", test_ed25519_openssl_interop);
  g_test_add_func ("/crypto/sm2/sign-verify", test_sm2_sign_verify);
  g_test_add_func ("/crypto/sm2/bad-secrets", test_sm2_bad_secrets);
  g_test_add_func ("/crypto/sm2/der-strict", test_sm2_der_strict);
  g_test_add_func ("/crypto/sm2/der-lengths", test_sm2_der_lengths);
  g_test_add_func ("/crypto/sm2/openssl-verifies-core", test_sm2_openssl_verifies_core);
  g_test_add_func ("/crypto/sm2/core-verifies-openssl", test_sm2_core_verifies_openssl);
  g_test_add_func ("/crypto/pem/round-trip", test_pem_round_trip);
  g_test_add_func ("/crypto/pem/rfc8410", test_pem_rfc8410);
  g_test_add_func ("/crypto/pem/malformed", test_pem_malformed);
  g_test_add_func ("/crypto/pem/unsupported", test_pem_unsupported);
  g_test_add_func ("/crypto/pem/fuzz", test_pem_fuzz);
  g_test_add_func ("/crypto/fingerprint", test_fingerprint);
  g_test_add_func ("/crypto/sig-alg-names", test_sig_alg_names);
  g_test_add_func ("/crypto/seal/round-trip", test_seal_round_trip);
  g_test_add_func ("/crypto/seal/known-answer", test_seal_known_answer);
  g_test_add_func ("/crypto/seal/tamper", test_seal_tamper);

  return g_test_run ();
}

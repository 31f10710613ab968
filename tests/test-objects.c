/* test-objects.c — the content-addressed evidence object store
 *
 * The crash test (/objects/crash/sigkill) kills a helper importer (crash-objects) with SIGKILL at
 * random moments; it is slow and run on its own:
 *   test-objects -p /objects/crash      (only the crash test)
 *   test-objects -s /objects/crash      (everything else)
 * Environment: CASETRAIL_CRASH_SIZE_MB (default 1024: the 1 GiB import;
 *                                      build-aux/test --sanitize uses 64),
 *              CASETRAIL_CRASH_POINTS  (default 50).
 */

#include "config.h"

#include <sys/statvfs.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ct-crypto.h"
#include "ct-error.h"
#include "ct-objects.h"

#define MIB (1024 * 1024)

/* ---- fixtures ------------------------------------------------------------ */

static void
rm_rf (const char *path)
{
  struct stat st;

  if (lstat (path, &st) < 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      chmod (path, 0700);
      if (dir != NULL)
        while ((name = g_dir_read_name (dir)) != NULL)
          {
            g_autofree char *child = g_build_filename (path, name, NULL);
            rm_rf (child);
          }
      rmdir (path);
    }
  else
    unlink (path);
}

typedef struct
{
  char          *dir;
  char          *root;
  CtObjectStore *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("ct-objects-XXXXXX", &error);
  g_assert_no_error (error);
  f->root = g_build_filename (f->dir, "objects", NULL);
  f->store = ct_object_store_open (f->root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ct_object_store_test_set_write_func (NULL);
  ct_object_store_free (f->store);
  rm_rf (f->dir);
  g_free (f->root);
  g_free (f->dir);
}

/* Deterministic pseudo-random bytes. */
static guint8 *
random_bytes (gsize len, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *buf = g_malloc (len + 4);

  for (gsize i = 0; i < len; i += 4)
    {
      guint32 v = g_rand_int (rand);
      memcpy (buf + i, &v, 4);
    }
  return buf;
}

static char *
write_random_file (const char *dir, const char *name, gsize len, guint32 seed)
{
  g_autofree guint8 *buf = random_bytes (len, seed);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, (const char *) buf, (gssize) len, &error);
  g_assert_no_error (error);
  return path;
}

/* An independent computation: the whole file in memory through ct_hash. */
static char *
file_hash (CtHashAlg alg, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) map = g_mapped_file_new (path, FALSE, &error);

  g_assert_no_error (error);
  return ct_hash_hex (alg, g_mapped_file_get_contents (map), g_mapped_file_get_length (map));
}

static guint
count_entries (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Objects in all shards. */
static guint
count_objects (const char *root)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (strlen (name) == 2)
      {
        g_autofree char *shard = g_build_filename (root, name, NULL);
        n += count_entries (shard);
      }
  return n;
}

static void
assert_store_clean (Fixture *f, guint n_objects)
{
  g_autofree char *tmp = g_build_filename (f->root, "tmp", NULL);

  g_assert_cmpuint (count_entries (tmp), ==, 0);
  g_assert_cmpuint (count_objects (f->root), ==, n_objects);
}

static CtObjectInfo *
import_ok (Fixture *f, const char *path, gboolean sm3, gboolean *present)
{
  g_autoptr(GError) error = NULL;
  CtObjectInfo *info = NULL;
  gboolean ok;

  ok = ct_object_store_import (f->store, path, sm3, TRUE, NULL, NULL, NULL,
                               &info, present, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (info);
  return info;
}

static void
check_object (Fixture *f, CtObjectInfo *info, const char *src, gsize len)
{
  g_autofree char *expect = file_hash (CT_HASH_SHA256, src);
  g_autofree char *stored = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  g_assert_cmpstr (info->sha256, ==, expect);
  g_assert_cmpuint (info->size, ==, len);
  path = ct_object_store_path (f->store, info->sha256);
  g_assert_cmpstr (info->path, ==, path);
  g_assert_true (ct_object_store_has (f->store, info->sha256));
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 07777, ==, 0444);
  g_assert_cmpuint ((guint64) st.st_size, ==, len);
  stored = file_hash (CT_HASH_SHA256, path);
  g_assert_cmpstr (stored, ==, expect);
  g_assert_true (ct_object_store_verify (f->store, info->sha256, NULL, &error));
  g_assert_no_error (error);
}

/* ---- import ---------------------------------------------------------------- */

static void
test_import_small (Fixture *f, gconstpointer data)
{
  const gsize sizes[] = { 0, 1, 1000, 65536 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *name = g_strdup_printf ("small-%u", i);
      g_autofree char *src = write_random_file (f->dir, name, sizes[i], 42 + i);
      g_autoptr(CtObjectInfo) info = NULL;
      gboolean present = TRUE;

      info = import_ok (f, src, FALSE, &present);
      g_assert_false (present);
      g_assert_null (info->sm3);
      check_object (f, info, src, sizes[i]);
    }
  assert_store_clean (f, 4);
}

typedef struct
{
  guint   calls;
  guint64 last_done;
  gboolean saw_verify;
} ProgressRec;

static void
record_progress (CtImportPhase phase, guint64 done, guint64 total, gpointer data)
{
  ProgressRec *rec = data;

  rec->calls++;
  g_assert_cmpuint (done, <=, total);
  if (phase == CT_IMPORT_PHASE_VERIFY)
    rec->saw_verify = TRUE;
  else
    rec->last_done = done;
}

static void
test_import_large (Fixture *f, gconstpointer data)
{
  const gsize len = 9 * MIB + 123;
  g_autofree char *src = write_random_file (f->dir, "large.bin", len, 7);
  /* buffer size, threaded */
  const struct { gsize bs; gboolean threaded; } modes[] = {
    { 4 * MIB, TRUE }, { 4 * MIB, FALSE }, { 64 * 1024, TRUE }, { 1 * MIB, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(CtObjectInfo) info = NULL;
      g_autoptr(GError) error = NULL;
      ProgressRec rec = { 0 };
      gboolean present = TRUE;

      /* Start from an empty store each time so the copy path really runs. */
      if (i > 0)
        {
          ct_object_store_free (f->store);
          rm_rf (f->root);
          f->store = ct_object_store_open (f->root, &error);
          g_assert_no_error (error);
        }
      ct_object_store_set_tuning (f->store, modes[i].bs, modes[i].threaded);
      g_assert_true (ct_object_store_import (f->store, src, FALSE, TRUE, record_progress,
                                             &rec, NULL, &info, &present, &error));
      g_assert_no_error (error);
      g_assert_false (present);
      g_assert_cmpuint (rec.last_done, ==, len);
      g_assert_true (rec.saw_verify);
      g_assert_cmpuint (rec.calls, >=, 2);
      check_object (f, info, src, len);
      assert_store_clean (f, 1);
    }
}

static void
test_import_reimport (Fixture *f, gconstpointer data)
{
  g_autofree char *src = write_random_file (f->dir, "a.bin", 3 * MIB + 5, 11);
  g_autofree char *copy = g_build_filename (f->dir, "copy-of-a.bin", NULL);
  g_autoptr(CtObjectInfo) first = NULL;
  g_autoptr(CtObjectInfo) second = NULL;
  g_autoptr(CtObjectInfo) third = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  gboolean present = TRUE;
  struct stat st1, st2;

  first = import_ok (f, src, FALSE, &present);
  g_assert_false (present);
  g_assert_cmpint (stat (first->path, &st1), ==, 0);

  second = import_ok (f, src, FALSE, &present);
  g_assert_true (present);
  g_assert_cmpstr (second->sha256, ==, first->sha256);

  /* Same content under another name is the same object. */
  g_assert_true (g_file_get_contents (src, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (copy, contents, (gssize) len, NULL));
  third = import_ok (f, copy, FALSE, &present);
  g_assert_true (present);
  g_assert_cmpstr (third->sha256, ==, first->sha256);

  /* The existing object was not rewritten. */
  g_assert_cmpint (stat (first->path, &st2), ==, 0);
  g_assert_cmpuint (st1.st_ino, ==, st2.st_ino);
  g_assert_cmpint (st1.st_mtim.tv_sec, ==, st2.st_mtim.tv_sec);
  g_assert_cmpint (st1.st_mtim.tv_nsec, ==, st2.st_mtim.tv_nsec);
  assert_store_clean (f, 1);
}

static void
test_import_repairs_damaged (Fixture *f, gconstpointer data)
{
  g_autofree char *src = write_random_file (f->dir, "r.bin", 100000, 12);
  g_autoptr(CtObjectInfo) info = import_ok (f, src, FALSE, NULL);
  g_autoptr(CtObjectInfo) again = NULL;
  g_autoptr(GError) error = NULL;
  gboolean present = FALSE;
  int fd;

  g_assert_cmpint (chmod (info->path, 0644), ==, 0);
  fd = open (info->path, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, "X", 1, 5000), ==, 1);
  close (fd);
  g_assert_false (ct_object_store_verify (f->store, info->sha256, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INTEGRITY);
  g_clear_error (&error);

  g_test_expect_message ("casetrail-objects", G_LOG_LEVEL_WARNING, "Repairing*");
  again = import_ok (f, src, FALSE, &present);
  g_test_assert_expected_messages ();
  g_assert_true (present);
  check_object (f, again, src, 100000);
  assert_store_clean (f, 1);
}

static void
test_import_sm3 (Fixture *f, gconstpointer data)
{
  g_autofree char *src = write_random_file (f->dir, "sm3.bin", 5 * MIB + 17, 13);
  g_autofree char *expect_sm3 = file_hash (CT_HASH_SM3, src);
  g_autoptr(CtObjectInfo) info = import_ok (f, src, TRUE, NULL);

  g_assert_nonnull (info->sm3);
  g_assert_cmpstr (info->sm3, ==, expect_sm3);
  check_object (f, info, src, 5 * MIB + 17);

  /* GB/T 32905 example 1: SM3("abc"). */
  {
    g_autofree char *abc = g_build_filename (f->dir, "abc", NULL);
    g_autoptr(CtObjectInfo) i2 = NULL;

    g_assert_true (g_file_set_contents (abc, "abc", 3, NULL));
    i2 = import_ok (f, abc, TRUE, NULL);
    g_assert_cmpstr (i2->sm3, ==,
                     "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    g_assert_cmpstr (i2->sha256, ==,
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}

static void
test_import_source_untouched (Fixture *f, gconstpointer data)
{
  g_autofree char *src = write_random_file (f->dir, "orig.mp4", 6 * MIB + 1, 14);
  g_autofree char *before = file_hash (CT_HASH_SHA256, src);
  g_autofree char *after = NULL;
  g_autoptr(CtObjectInfo) info = NULL;
  struct timespec times[2] = { { 1000000000, 0 }, { 1000000000, 123 } };
  struct stat st1, st2;

  /* An old atime: a read without O_NOATIME would move it under relatime. */
  g_assert_cmpint (utimensat (AT_FDCWD, src, times, 0), ==, 0);
  g_assert_cmpint (stat (src, &st1), ==, 0);
  info = import_ok (f, src, TRUE, NULL);
  g_assert_cmpint (stat (src, &st2), ==, 0);
  after = file_hash (CT_HASH_SHA256, src);

  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (st1.st_mode, ==, st2.st_mode);
  g_assert_cmpuint (st1.st_size, ==, st2.st_size);
  g_assert_cmpuint (st1.st_ino, ==, st2.st_ino);
  g_assert_cmpint (st1.st_mtim.tv_sec, ==, st2.st_mtim.tv_sec);
  g_assert_cmpint (st1.st_mtim.tv_nsec, ==, st2.st_mtim.tv_nsec);
  g_assert_cmpint (st1.st_ctim.tv_sec, ==, st2.st_ctim.tv_sec);
  g_assert_cmpint (st1.st_ctim.tv_nsec, ==, st2.st_ctim.tv_nsec);
  /* We own the file, so O_NOATIME is permitted: atime must not move. */
  g_assert_cmpint (st1.st_atim.tv_sec, ==, st2.st_atim.tv_sec);
}

/* Decision: a symbolic link to a regular file is followed; the object is the
 * target's content (the link is only a way to name the file). */
static void
test_import_symlink_followed (Fixture *f, gconstpointer data)
{
  g_autofree char *src = write_random_file (f->dir, "target.bin", 200000, 15);
  g_autofree char *link = g_build_filename (f->dir, "link.bin", NULL);
  g_autoptr(CtObjectInfo) info = NULL;

  g_assert_cmpint (symlink (src, link), ==, 0);
  info = import_ok (f, link, FALSE, NULL);
  check_object (f, info, src, 200000);
}

static void
expect_refused (Fixture *f, const char *path, gint code, const char *fragment)
{
  g_autoptr(GError) error = NULL;
  CtObjectInfo *info = NULL;

  g_assert_false (ct_object_store_import (f->store, path, FALSE, TRUE, NULL, NULL, NULL,
                                          &info, NULL, &error));
  g_assert_null (info);
  g_assert_error (error, CT_ERROR, code);
  g_test_message ("%s → %s", path, error->message);
  if (strstr (error->message, fragment) == NULL)
    g_error ("message “%s” lacks “%s”", error->message, fragment);
  assert_store_clean (f, 0);
}

static void
test_import_refused (Fixture *f, gconstpointer data)
{
  g_autofree char *loop_a = g_build_filename (f->dir, "loop-a", NULL);
  g_autofree char *loop_b = g_build_filename (f->dir, "loop-b", NULL);
  g_autofree char *dangling = g_build_filename (f->dir, "dangling", NULL);
  g_autofree char *fifo = g_build_filename (f->dir, "fifo", NULL);
  g_autofree char *subdir = g_build_filename (f->dir, "DCIM", NULL);
  g_autofree char *fifo_link = g_build_filename (f->dir, "fifo-link", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no-such-file.mp4", NULL);

  g_assert_cmpint (symlink (loop_b, loop_a), ==, 0);
  g_assert_cmpint (symlink (loop_a, loop_b), ==, 0);
  g_assert_cmpint (symlink ("/nonexistent/target", dangling), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink (fifo, fifo_link), ==, 0);
  g_assert_cmpint (g_mkdir (subdir, 0755), ==, 0);

  expect_refused (f, loop_a, CT_ERROR_INVALID, "loop");
  expect_refused (f, dangling, CT_ERROR_INVALID, "does not exist");
  expect_refused (f, fifo, CT_ERROR_INVALID, "pipe");
  expect_refused (f, fifo_link, CT_ERROR_INVALID, "pipe");
  expect_refused (f, subdir, CT_ERROR_INVALID, "folder");
  expect_refused (f, "/dev/null", CT_ERROR_INVALID, "device");
  expect_refused (f, missing, CT_ERROR_IO, "no longer exists");
}

static void
test_import_unreadable (Fixture *f, gconstpointer data)
{
  g_autofree char *src = NULL;

  if (geteuid () == 0)
    {
      /* root reads a mode-000 file anyway; the vanished-file path (refused
       * as missing) is covered by test_import_refused. */
      g_test_skip ("running as root: permissions do not stop root");
      return;
    }
  src = write_random_file (f->dir, "secret.bin", 1000, 16);
  g_assert_cmpint (chmod (src, 0), ==, 0);
  expect_refused (f, src, CT_ERROR_IO, "permission denied");
}

static void
cancel_after_first (CtImportPhase phase, guint64 done, guint64 total, gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static void
test_import_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *src = write_random_file (f->dir, "big.bin", 12 * MIB, 17);

  for (int threaded = 0; threaded <= 1; threaded++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      CtObjectInfo *info = NULL;

      ct_object_store_set_tuning (f->store, 1 * MIB, threaded);
      g_assert_false (ct_object_store_import (f->store, src, TRUE, TRUE, cancel_after_first,
                                              cancellable, cancellable, &info, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_null (info);
      assert_store_clean (f, 0);
    }
}

/* The source grows while it is copied, as a file a camera is still
 * recording does. */
static void
append_to_source (CtImportPhase phase, guint64 done, guint64 total, gpointer data)
{
  const char *path = data;
  int fd;

  if (done != 1 * MIB)
    return;
  fd = open (path, O_WRONLY | O_APPEND);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "more frames", 11), ==, 11);
  close (fd);
}

static void
test_import_source_changes (Fixture *f, gconstpointer data)
{
  g_autofree char *src = write_random_file (f->dir, "recording.mp4", 4 * MIB, 18);
  g_autoptr(GError) error = NULL;
  CtObjectInfo *info = NULL;

  ct_object_store_set_tuning (f->store, 1 * MIB, FALSE);
  g_assert_false (ct_object_store_import (f->store, src, FALSE, TRUE, append_to_source,
                                          src, NULL, &info, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "changed while it was being copied"));
  g_assert_nonnull (strstr (error->message, "recording"));
  g_assert_null (info);
  assert_store_clean (f, 0);
}

/* Write hook: fails with fail_errno after fail_after successful calls. */
static int fail_after;
static int fail_errno;

static ssize_t
failing_write (int fd, const void *buf, size_t count)
{
  if (fail_after-- <= 0)
    {
      errno = fail_errno;
      return -1;
    }
  /* Short writes, too, to exercise the loop. */
  return write (fd, buf, count > 4096 ? count / 2 : count);
}

static void
test_import_write_errors (Fixture *f, gconstpointer data)
{
  g_autofree char *src = write_random_file (f->dir, "video.mp4", 8 * MIB, 19);
  const struct { int err; const char *fragment; } cases[] = {
    { ENOSPC, "The evidence store is full: free at least" },
    { EDQUOT, "MiB on " },
    { EIO, "I/O error" },
    { EROFS, "read-only" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int threaded = 0; threaded <= 1; threaded++)
      {
        g_autoptr(GError) error = NULL;
        CtObjectInfo *info = NULL;

        fail_after = 3;
        fail_errno = cases[i].err;
        ct_object_store_test_set_write_func (failing_write);
        ct_object_store_set_tuning (f->store, 1 * MIB, threaded);
        g_assert_false (ct_object_store_import (f->store, src, FALSE, TRUE, NULL, NULL, NULL,
                                                &info, NULL, &error));
        ct_object_store_test_set_write_func (NULL);
        g_assert_error (error, CT_ERROR, CT_ERROR_IO);
        g_test_message ("%s", error->message);
        if (strstr (error->message, cases[i].fragment) == NULL)
          g_error ("message “%s” lacks “%s”", error->message, cases[i].fragment);
        g_assert_nonnull (strstr (error->message, "video.mp4"));
        g_assert_null (info);
        assert_store_clean (f, 0);
      }

  /* And the store still works afterwards. */
  {
    g_autoptr(CtObjectInfo) info = import_ok (f, src, FALSE, NULL);
    check_object (f, info, src, 8 * MIB);
  }
}

/* ---- verify ------------------------------------------------------------------ */

typedef struct
{
  guint  n_ok, n_bad;
  char  *bad_sha;
  guint  progress_calls;
  double last_rate;
} VerifyRec;

static void
verify_object_cb (const char *sha256, gboolean ok, const GError *error, gpointer data)
{
  VerifyRec *rec = data;

  if (ok)
    rec->n_ok++;
  else
    {
      rec->n_bad++;
      g_assert_error ((GError *) error, CT_ERROR, CT_ERROR_INTEGRITY);
      g_free (rec->bad_sha);
      rec->bad_sha = g_strdup (sha256);
    }
}

static void
verify_progress_cb (guint objects, guint64 bytes, double rate, gpointer data)
{
  VerifyRec *rec = data;

  rec->progress_calls++;
  rec->last_rate = rate;
}

static void
test_verify (Fixture *f, gconstpointer data)
{
  CtObjectInfo *infos[4] = { NULL };
  g_autoptr(GError) error = NULL;
  VerifyRec rec = { 0 };
  CtVerifyReport report;
  int fd;
  guint8 byte;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("v%u", i);
      g_autofree char *src = write_random_file (f->dir, name, (i + 1) * MIB + i, 30 + i);
      infos[i] = import_ok (f, src, FALSE, NULL);
    }

  g_assert_true (ct_object_store_verify_all (f->store, FALSE, verify_object_cb,
                                             verify_progress_cb, &rec, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rec.n_ok, ==, 4);
  g_assert_cmpuint (report.n_objects, ==, 4);
  g_assert_cmpuint (report.n_bad, ==, 0);
  g_assert_cmpuint (report.bytes, ==, 10 * MIB + 6);
  g_assert_cmpfloat (report.bytes_per_second, >, 0);
  g_assert_cmpuint (rec.progress_calls, >=, 4);

  /* Flip one bit in the middle of object 2. */
  g_assert_cmpint (chmod (infos[2]->path, 0644), ==, 0);
  fd = open (infos[2]->path, O_RDWR);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, &byte, 1, 1500000), ==, 1);
  byte ^= 0x10;
  g_assert_cmpint (pwrite (fd, &byte, 1, 1500000), ==, 1);
  close (fd);
  g_assert_cmpint (chmod (infos[2]->path, 0444), ==, 0);

  g_assert_false (ct_object_store_verify (f->store, infos[2]->sha256, NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INTEGRITY);
  g_assert_nonnull (strstr (error->message, infos[2]->sha256));
  g_clear_error (&error);
  g_assert_true (ct_object_store_verify (f->store, infos[1]->sha256, NULL, &error));
  g_assert_no_error (error);

  memset (&rec, 0, sizeof rec);
  g_assert_false (ct_object_store_verify_all (f->store, TRUE, verify_object_cb, NULL, &rec,
                                              NULL, &report, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INTEGRITY);
  g_assert_cmpuint (rec.n_ok, ==, 3);
  g_assert_cmpuint (rec.n_bad, ==, 1);
  g_assert_cmpstr (rec.bad_sha, ==, infos[2]->sha256);
  g_assert_cmpuint (report.n_bad, ==, 1);
  g_free (rec.bad_sha);
  g_clear_error (&error);

  /* Missing and malformed names. */
  g_assert_false (ct_object_store_verify (f->store, "00000000000000000000000000000000"
                                          "00000000000000000000000000000000", NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (ct_object_store_verify (f->store, "../../etc/passwd", NULL, &error));
  g_assert_error (error, CT_ERROR, CT_ERROR_INVALID);
  g_assert_null (ct_object_store_path (f->store, "ABCDEF"));
  g_assert_false (ct_object_store_has (f->store, "../x"));
  for (guint i = 0; i < 4; i++)
    ct_object_info_free (infos[i]);
}

/* ---- recovery ------------------------------------------------------------------ */

static void
test_recovery (Fixture *f, gconstpointer data)
{
  g_autofree char *src = write_random_file (f->dir, "keep.bin", 300000, 40);
  g_autoptr(CtObjectInfo) kept = import_ok (f, src, FALSE, NULL);
  g_autofree char *tmp1 = g_build_filename (f->root, "tmp", "import-AAAAAA", NULL);
  g_autofree char *tmp2 = g_build_filename (f->root, "tmp", "import-BBBBBB", NULL);
  g_autofree char *shard = g_build_filename (f->root, "ab", NULL);
  g_autofree char *empty_bad = g_build_filename (shard, "ab00000000000000000000000000000000"
                                                 "000000000000000000000000000000", NULL);
  g_autofree char *stray = g_build_filename (shard, "notes.txt", NULL);
  g_autofree char *wrong_shard = g_build_filename (shard, "cd00000000000000000000000000000000"
                                                   "000000000000000000000000000000", NULL);
  g_autofree char *empty_ok_src = g_build_filename (f->dir, "empty", NULL);
  g_autofree char *quarantine = g_build_filename (f->root, "quarantine", NULL);
  g_autoptr(CtObjectInfo) empty = NULL;
  g_autoptr(GError) error = NULL;
  const CtObjectRecovery *rec;

  g_assert_true (g_file_set_contents (empty_ok_src, "", 0, NULL));
  empty = import_ok (f, empty_ok_src, FALSE, NULL);

  g_assert_true (g_file_set_contents (tmp1, "half a video", -1, NULL));
  g_assert_true (g_file_set_contents (tmp2, "", 0, NULL));
  g_assert_cmpint (g_mkdir_with_parents (shard, 0755), ==, 0);
  g_assert_true (g_file_set_contents (empty_bad, "", 0, NULL));
  g_assert_true (g_file_set_contents (stray, "someone's notes", -1, NULL));
  g_assert_true (g_file_set_contents (wrong_shard, "x", 1, NULL));

  ct_object_store_free (f->store);
  f->store = ct_object_store_open (f->root, &error);
  g_assert_no_error (error);
  rec = ct_object_store_get_recovery (f->store);
  g_assert_cmpuint (rec->n_temp_removed, ==, 2);
  g_assert_cmpuint (rec->n_empty_removed, ==, 1);
  g_assert_cmpuint (rec->n_quarantined, ==, 2);
  g_assert_cmpuint (count_entries (quarantine), ==, 2);

  g_assert_false (g_file_test (tmp1, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (empty_bad, G_FILE_TEST_EXISTS));
  g_assert_true (ct_object_store_has (f->store, kept->sha256));
  /* The genuine empty object survives. */
  g_assert_true (ct_object_store_has (f->store, empty->sha256));
  check_object (f, kept, src, 300000);
  assert_store_clean (f, 2);

  /* A second open finds nothing to do. */
  ct_object_store_free (f->store);
  f->store = ct_object_store_open (f->root, &error);
  g_assert_no_error (error);
  rec = ct_object_store_get_recovery (f->store);
  g_assert_cmpuint (rec->n_temp_removed + rec->n_empty_removed + rec->n_quarantined, ==, 0);
}

/* ---- crash ----------------------------------------------------------------------- */

static guint
env_uint (const char *name, guint fallback)
{
  const char *v = g_getenv (name);
  guint64 n;

  if (v == NULL || !g_ascii_string_to_unsigned (v, 10, 1, G_MAXUINT, &n, NULL))
    return fallback;
  return (guint) n;
}

static GSubprocess *
spawn_importer (const char *helper, const char *root, const char *src)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                        helper, root, src, "--sm3", NULL);
  g_assert_no_error (error);
  return proc;
}

static void
test_crash (void)
{
  guint size_mb = env_uint ("CASETRAIL_CRASH_SIZE_MB", 1024);
  guint points = env_uint ("CASETRAIL_CRASH_POINTS", 50);
  g_autofree char *helper = g_test_build_filename (G_TEST_BUILT, "crash-objects", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ct-crash-XXXXXX", &error);
  g_autofree char *src = NULL;
  g_autofree char *root = NULL;
  g_autofree char *expect = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  gint64 t0;
  double duration;
  guint n_none = 0, n_complete = 0, n_finished = 0;

  g_assert_no_error (error);
  if (!g_file_test (helper, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("crash-objects helper not built next to the test");
      rm_rf (dir);
      return;
    }

  /* The source and at most two copies in the store must fit; on a nearly
   * full disk the test runs smaller rather than failing on its own files. */
  {
    struct statvfs vfs;
    if (statvfs (dir, &vfs) == 0)
      {
        guint64 free_mb = (guint64) vfs.f_bavail * vfs.f_frsize / (1024 * 1024);
        if ((guint64) size_mb * 3 + 64 > free_mb)
          {
            guint fit = free_mb > 64 + 3 * 16 ? (guint) ((free_mb - 64) / 3) : 16;
            g_test_message ("only %" G_GUINT64_FORMAT " MiB free in %s: importing %u MiB instead of %u",
                            free_mb, dir, fit, size_mb);
            size_mb = fit;
          }
      }
  }
  g_test_message ("crash test: %u kills of a %u MiB import", points, size_mb);

  /* The source, written in 1 MiB pieces so 1 GiB needs no 1 GiB buffer. */
  src = g_build_filename (dir, "source.mp4", NULL);
  {
    g_autoptr(CtHasher) hasher = ct_hasher_new (FALSE);
    guint8 digest[CT_HASH_LEN];
    FILE *fp = fopen (src, "wb");

    g_assert_nonnull (fp);
    for (guint i = 0; i < size_mb; i++)
      {
        g_autofree guint8 *buf = random_bytes (MIB, 1000 + i);
        g_assert_cmpuint (fwrite (buf, 1, MIB, fp), ==, MIB);
        ct_hasher_update (hasher, buf, MIB);
      }
    g_assert_cmpint (fclose (fp), ==, 0);
    ct_hasher_finish (hasher, digest, NULL);
    expect = ct_hex_encode (digest, CT_HASH_LEN);
  }

  root = g_build_filename (dir, "objects", NULL);

  /* Measure one whole import. */
  {
    g_autoptr(GSubprocess) proc = spawn_importer (helper, root, src);
    t0 = g_get_monotonic_time ();
    g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
    g_assert_no_error (error);
    duration = (g_get_monotonic_time () - t0) / 1e6;
    g_test_message ("one import of %u MiB takes %.3f s", size_mb, duration);
  }

  for (guint p = 0; p < points; p++)
    {
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(CtObjectStore) store = NULL;
      g_autofree char *tmp = NULL;
      g_autofree char *obj = NULL;
      /* Spread over the whole run, a little past the end. */
      gulong delay_us = (gulong) (g_rand_double (rand) * duration * 1.1e6);

      rm_rf (root);
      proc = spawn_importer (helper, root, src);
      g_usleep (delay_us);
      g_subprocess_force_exit (proc);
      g_subprocess_wait (proc, NULL, &error);
      g_assert_no_error (error);
      if (g_subprocess_get_if_exited (proc))
        n_finished++;
      else
        g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGKILL);

      /* Recovery. */
      store = ct_object_store_open (root, &error);
      g_assert_no_error (error);
      tmp = g_build_filename (root, "tmp", NULL);
      g_assert_cmpuint (count_entries (tmp), ==, 0);
      g_assert_cmpuint (ct_object_store_get_recovery (store)->n_quarantined, ==, 0);

      obj = ct_object_store_path (store, expect);
      if (count_objects (root) == 0)
        n_none++;
      else
        {
          struct stat st;

          g_assert_cmpuint (count_objects (root), ==, 1);
          g_assert_true (ct_object_store_has (store, expect));
          g_assert_cmpint (stat (obj, &st), ==, 0);
          g_assert_cmpuint ((guint64) st.st_size, ==, (guint64) size_mb * MIB);
          g_assert_cmpuint (st.st_mode & 07777, ==, 0444);
          g_assert_true (ct_object_store_verify (store, expect, NULL, &error));
          g_assert_no_error (error);
          n_complete++;
        }
    }

  g_test_message ("%u kill points: %u left no object, %u a complete verified object "
                  "(%u imports had finished before the kill)",
                  points, n_none, n_complete, n_finished);
  g_printerr ("# crash: %u points over %.3f s: %u none, %u complete (%u finished)\n",
              points, duration, n_none, n_complete, n_finished);
  rm_rf (dir);
}

/* A second process opening the store (the CLI beside the app) must not take
 * the first one's import in progress for a leftover. */
static void
test_recovery_shared (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ct-shared-XXXXXX", &error);
  g_autofree char *root = g_build_filename (dir, "objects", NULL);
  g_autofree char *tmp_file = g_build_filename (root, "tmp", "import-in-progress", NULL);
  CtObjectStore *a, *b, *c;

  g_assert_no_error (error);
  a = ct_object_store_open (root, &error);
  g_assert_no_error (error);
  g_assert_false (ct_object_store_get_recovery (a)->shared);
  g_assert_true (g_file_set_contents (tmp_file, "half", -1, NULL));

  b = ct_object_store_open (root, &error);
  g_assert_no_error (error);
  g_assert_true (ct_object_store_get_recovery (b)->shared);
  g_assert_cmpuint (ct_object_store_get_recovery (b)->n_temp_removed, ==, 0);
  g_assert_true (g_file_test (tmp_file, G_FILE_TEST_EXISTS));

  /* Once nobody else has it open, a leftover is a leftover. */
  ct_object_store_free (a);
  ct_object_store_free (b);
  c = ct_object_store_open (root, &error);
  g_assert_no_error (error);
  g_assert_false (ct_object_store_get_recovery (c)->shared);
  g_assert_cmpuint (ct_object_store_get_recovery (c)->n_temp_removed, ==, 1);
  g_assert_false (g_file_test (tmp_file, G_FILE_TEST_EXISTS));
  ct_object_store_free (c);
  rm_rf (dir);
}

/* ---- the re-read after the fsync --------------------------------------------- */

static goffset damage_offset;   /* < 0: truncate by one byte; else flip this byte */

static void
damage_before_verify (const char *path)
{
  int fd;

  g_assert_cmpint (chmod (path, 0644), ==, 0);
  fd = open (path, O_RDWR);
  g_assert_cmpint (fd, >=, 0);
  if (damage_offset < 0)
    {
      struct stat st;
      g_assert_cmpint (fstat (fd, &st), ==, 0);
      g_assert_cmpint (ftruncate (fd, st.st_size - 1), ==, 0);
    }
  else
    {
      guint8 b;
      g_assert_cmpint (pread (fd, &b, 1, damage_offset), ==, 1);
      b ^= 0x01;
      g_assert_cmpint (pwrite (fd, &b, 1, damage_offset), ==, 1);
    }
  fsync (fd);
  close (fd);
  chmod (path, 0444);
}

/* A copy that reads back differently from what was written (here: damaged
 * between the fsync and the re-read) is refused and removed, whichever way
 * the import checks it: the per-chunk CRC-32s or a full SHA-256. */
static void
test_import_reread_detects (Fixture *f, gconstpointer data)
{
  /* 9 MiB + 123: three chunks of the default 4 MiB, the last one short. */
  const gsize len = 9 * MIB + 123;
  g_autofree char *src = write_random_file (f->dir, "v.bin", len, 99);
  const goffset offsets[] = { 0, 4 * MIB - 1, 4 * MIB, 8 * MIB + 5, (goffset) len - 1, -1 };

  for (guint mode = 0; mode < 2; mode++)
    for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
      {
        g_autoptr(GError) error = NULL;
        CtObjectInfo *info = NULL;

        ct_object_store_set_verify_by_hash (f->store, mode == 1);
        damage_offset = offsets[i];
        ct_object_store_test_set_before_verify (damage_before_verify);
        g_assert_false (ct_object_store_import (f->store, src, FALSE, TRUE, NULL, NULL, NULL,
                                                &info, NULL, &error));
        ct_object_store_test_set_before_verify (NULL);
        g_assert_error (error, CT_ERROR, CT_ERROR_INTEGRITY);
        g_assert_nonnull (strstr (error->message, "v.bin"));
        g_assert_null (info);
        assert_store_clean (f, 0);
      }

  /* Undamaged, both ways give the same verified object. */
  for (guint mode = 0; mode < 2; mode++)
    {
      g_autoptr(CtObjectInfo) info = NULL;
      g_autoptr(GError) error = NULL;

      ct_object_store_set_verify_by_hash (f->store, mode == 1);
      info = import_ok (f, src, FALSE, NULL);
      check_object (f, info, src, len);
      g_assert_true (ct_object_store_verify (f->store, info->sha256, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (chmod (info->path, 0644), ==, 0);
      g_assert_cmpint (unlink (info->path), ==, 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/objects/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

  ADD ("import/small", test_import_small);
  ADD ("import/large", test_import_large);
  ADD ("import/reimport", test_import_reimport);
  ADD ("import/repairs-damaged", test_import_repairs_damaged);
  ADD ("import/sm3", test_import_sm3);
  ADD ("import/source-untouched", test_import_source_untouched);
  ADD ("import/symlink-followed", test_import_symlink_followed);
  ADD ("import/refused", test_import_refused);
  ADD ("import/unreadable", test_import_unreadable);
  ADD ("import/cancel", test_import_cancel);
  ADD ("import/source-changes", test_import_source_changes);
  ADD ("import/write-errors", test_import_write_errors);
  ADD ("import/reread-detects", test_import_reread_detects);
  ADD ("verify", test_verify);
  ADD ("recovery", test_recovery);
  g_test_add_func ("/objects/recovery/shared", test_recovery_shared);
  g_test_add_func ("/objects/crash/sigkill", test_crash);

  return g_test_run ();
}

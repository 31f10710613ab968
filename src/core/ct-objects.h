/* ct-objects.h — the content-addressed evidence object store
 *
 * GTK-free, no database.  Layout under @root (e.g. DATA_DIR/objects):
 *
 *   root/ab/<sha256 hex>   one object per distinct content, mode 0444,
 *                          never modified after creation; "ab" is the
 *                          first two hex digits of the SHA-256.
 *   root/tmp/              temp files of imports in progress
 *   root/quarantine/       files recovery found in a shard directory under a
 *                          name that is not a SHA-256 (never deleted: a
 *                          person decides)
 *
 * An import copies the source into root/tmp/ while hashing it in one pass
 * (SHA-256 always, SM3 as well when asked), fsyncs the temp file, checks that
 * the source did not change while it was copied, renames the temp file to
 * its final name without replacing an existing object, fsyncs the shard
 * directory and, when asked, drops the object from the page cache and
 * re-reads it from the device to compare the hash.  Any failure or a
 * cancellation removes the temp file (and an object that failed
 * verification), so the store holds either nothing or a complete object.
 *
 * The source is opened read-only (O_NOATIME when permitted) and never
 * written.  A symbolic link that resolves to a regular file is followed and
 * the content of the target is imported (the link itself is not evidence);
 * symlink loops, dangling links, directories, FIFOs, sockets and devices are
 * refused.
 *
 * RECOVERY (run by ct_object_store_open):
 *   - every file in root/tmp/ is removed (only interrupted imports write
 *     there; an object becomes visible only by an atomic rename of a fully
 *     fsynced temp file, so a leftover temp file is never needed);
 *   - in a shard directory, a file whose name is not 64 lower-case hex digits
 *     starting with the shard name is moved to root/quarantine/;
 *   - an object of size 0 whose name is not the SHA-256 of the empty input
 *     is removed: it can only be a file system's remnant of a crash (the data
 *     never reached the disk), there is nothing in it to keep, and keeping it
 *     would make a later import of the real content look "already present";
 *   - objects are otherwise NOT re-hashed at open (that is
 *     ct_object_store_verify_all(), which can take hours on a large store).
 *   Every open store holds root/.lock shared; temp files are removed only
 *   when the opening process can take that lock exclusively, so a second
 *   process (the CLI beside the app) never deletes another's import in
 *   progress (recovery.shared tells).
 */
#pragma once

#include <gio/gio.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct _CtObjectStore CtObjectStore;

typedef struct {
  char   *sha256;   /* 64 lower-case hex digits */
  char   *sm3;      /* 64 lower-case hex digits, or NULL when not computed */
  guint64 size;
  char   *path;     /* absolute or root-relative path of the object file */
} CtObjectInfo;

void ct_object_info_free (CtObjectInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtObjectInfo, ct_object_info_free)

typedef struct {
  guint n_temp_removed;      /* leftover temp files removed */
  guint n_empty_removed;     /* zero-size objects with a non-empty hash name */
  guint n_quarantined;       /* badly named files moved to quarantine/ */
  gboolean shared;           /* another process had the store open: its temp files were left alone */
} CtObjectRecovery;

/* Creates @root (and root/tmp) when missing, then runs recovery. */
CtObjectStore *ct_object_store_open  (const char *root, GError **error);
void           ct_object_store_free  (CtObjectStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtObjectStore, ct_object_store_free)

const char             *ct_object_store_get_root     (CtObjectStore *store);
/* What recovery did when the store was opened. */
const CtObjectRecovery *ct_object_store_get_recovery (CtObjectStore *store);

typedef enum {
  CT_IMPORT_PHASE_COPY,     /* copying and hashing */
  CT_IMPORT_PHASE_VERIFY,   /* re-reading the stored object */
} CtImportPhase;

/* Called from the importing thread after every buffer (a few MiB). */
typedef void (*CtImportProgress) (CtImportPhase phase,
                                  guint64       done,
                                  guint64       total,
                                  gpointer      user_data);

/* Imports @src_path.  On success *out (if not NULL) receives the object and
 * *already_present (if not NULL) whether the same content was stored before
 * (the new copy is then dropped; the existing object is not touched).
 * Errors are CT_ERROR_IO (with a message naming the file and what to do),
 * CT_ERROR_INVALID (not a regular file, changed while copying),
 * CT_ERROR_INTEGRITY (the stored copy read back differently) or
 * G_IO_ERROR_CANCELLED.  Thread-safe: several imports may run at once. */
gboolean ct_object_store_import (CtObjectStore    *store,
                                 const char       *src_path,
                                 gboolean          with_sm3,
                                 gboolean          verify,
                                 CtImportProgress  progress,
                                 gpointer          user_data,
                                 GCancellable     *cancellable,
                                 CtObjectInfo    **out,
                                 gboolean         *already_present,
                                 GError          **error);

/* Returns NULL (and sets nothing) when @sha256 is not a valid hash. */
char    *ct_object_store_path (CtObjectStore *store, const char *sha256);
gboolean ct_object_store_has  (CtObjectStore *store, const char *sha256);

/* Re-hashes one object from the device (its cached pages are dropped first).
 * CT_ERROR_NOT_FOUND when missing, CT_ERROR_INTEGRITY on mismatch. */
gboolean ct_object_store_verify (CtObjectStore *store,
                                 const char    *sha256,
                                 GCancellable  *cancellable,
                                 GError       **error);

/* The same, reading from the page cache unless @drop_cache, and adding the
 * bytes hashed to *@bytes_read (may be NULL). */
gboolean ct_object_store_verify_full (CtObjectStore *store,
                                      const char    *sha256,
                                      gboolean       drop_cache,
                                      guint64       *bytes_read,
                                      GCancellable  *cancellable,
                                      GError       **error);

/* Per object: ok, or the error (CT_ERROR_INTEGRITY for a mismatch). */
typedef void (*CtVerifyObjectFunc) (const char   *sha256,
                                    gboolean      ok,
                                    const GError *error,
                                    gpointer      user_data);
/* After every buffer: bytes hashed so far and the running throughput. */
typedef void (*CtVerifyProgress)   (guint         objects_done,
                                    guint64       bytes_done,
                                    double        bytes_per_second,
                                    gpointer      user_data);

typedef struct {
  guint   n_objects;
  guint   n_bad;
  guint64 bytes;
  double  seconds;
  double  bytes_per_second;
} CtVerifyReport;

/* Walks every object.  Returns FALSE with CT_ERROR_INTEGRITY when any object
 * is bad (after walking all of them), or with the error that stopped the
 * walk (cancellation, unreadable store).  @drop_cache: read from the device
 * rather than the page cache (slower, but what an audit wants). */
gboolean ct_object_store_verify_all (CtObjectStore      *store,
                                     gboolean            drop_cache,
                                     CtVerifyObjectFunc  object_cb,
                                     CtVerifyProgress    progress,
                                     gpointer            user_data,
                                     GCancellable       *cancellable,
                                     CtVerifyReport     *report,
                                     GError            **error);

gboolean ct_object_hash_is_valid (const char *sha256);

/* ---- tuning and test hooks (not for application code) ------------------ */

/* Buffer size of the copy loop (default 4 MiB; clamped to 64 KiB..64 MiB)
 * and whether a writer thread overlaps writing with reading and hashing
 * (default on).  Also settable with CASETRAIL_IMPORT_BUFFER_KIB and
 * CASETRAIL_IMPORT_THREADED=0|1 in the environment, read at store open. */
void ct_object_store_set_tuning (CtObjectStore *store,
                                 gsize          buffer_size,
                                 gboolean       threaded);

/* How an import checks its copy after the fsync: by default it reads it
 * back from the device and compares every chunk's CRC-32 with the chunk's
 * CRC-32 taken as it was written (the SHA-256 was computed over the same
 * buffers); with @sha256 it re-hashes the copy with SHA-256 instead, at
 * several times the CPU cost.  Also CASETRAIL_IMPORT_VERIFY=sha256|crc. */
void ct_object_store_set_verify_by_hash (CtObjectStore *store,
                                         gboolean       sha256);

/* Called with the new object's path just before an import reads it back,
 * so tests can damage it; NULL removes the hook.  Tests only. */
void ct_object_store_test_set_before_verify (void (*func) (const char *path));

/* Replaces write(2) in the copy loop so tests can inject ENOSPC or EIO;
 * NULL restores write(2).  Process-wide, not thread-safe: tests only. */
typedef ssize_t (*CtWriteFunc) (int fd, const void *buf, size_t count);
void ct_object_store_test_set_write_func (CtWriteFunc func);

G_END_DECLS

/* ct-media-task.h — the evidence calls of ct-media.h on GTask worker threads
 *
 * The core's media calls are synchronous (they copy, hash and probe files):
 * the widgets run them here.  Progress of a long run (import, verification)
 * reaches the main thread as CtMediaEvent values through @event_func, which
 * always runs on the main context of the caller; the widgets never touch the
 * worker thread.
 */
#pragma once

#include <gio/gio.h>

#include "ct-media.h"
#include "ct-review.h"
#include "ct-store.h"

G_BEGIN_DECLS

/* ---- reading ---------------------------------------------------------------------- */

typedef struct {
  GPtrArray *media;           /* CtMedia* */
  GPtrArray *interruptions;   /* CtInterruption* */
  GPtrArray *clips;           /* CtClip* attached in the case's forms */
} CtMediaListing;

void ct_media_listing_free (CtMediaListing *listing);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtMediaListing, ct_media_listing_free)

/* The media of a case, its interruptions and the clips in its forms in one
 * go. */
void            ct_media_task_list_async  (CtStore             *store,
                                           gint64               case_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
CtMediaListing *ct_media_task_list_finish (CtStore       *store,
                                           GAsyncResult  *result,
                                           GError       **error);

/* ct_store_list_clips() of one form of a case (every form: NULL). */
void       ct_media_task_clips_async  (CtStore             *store,
                                       gint64               case_id,
                                       const char          *template_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GPtrArray *ct_media_task_clips_finish (CtStore       *store,
                                       GAsyncResult  *result,
                                       GError       **error);

/* ct_store_media_thumbnail(); @media must stay alive until the callback:
 * pass the array holding it as @owner (it is referenced). */
void  ct_media_task_thumbnail_async  (CtStore             *store,
                                      const CtMedia       *media,
                                      GPtrArray           *owner,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
char *ct_media_task_thumbnail_finish (CtStore       *store,
                                      GAsyncResult  *result,
                                      GError       **error);

/* ---- changes ---------------------------------------------------------------------- */

/* ct_store_update_media(); @changes is copied. */
void     ct_media_task_update_async  (CtStore             *store,
                                      CtSession           *session,
                                      gint64               media_id,
                                      const CtMediaSpec   *changes,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean ct_media_task_update_finish (CtStore       *store,
                                      GAsyncResult  *result,
                                      GError       **error);

/* ct_store_explain_interruption(). */
void     ct_media_task_explain_async  (CtStore             *store,
                                       CtSession           *session,
                                       gint64               before_id,
                                       gint64               after_id,
                                       CtInterruptionReason reason,
                                       const char          *explanation,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean ct_media_task_explain_finish (CtStore       *store,
                                       GAsyncResult  *result,
                                       GError       **error);

/* ct_store_hold_media(). */
void     ct_media_task_hold_async  (CtStore             *store,
                                    CtSession           *session,
                                    gint64               media_id,
                                    gboolean             on,
                                    const char          *reason,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean ct_media_task_hold_finish (CtStore       *store,
                                    GAsyncResult  *result,
                                    GError       **error);

/* ---- long runs with progress ------------------------------------------------------- */

typedef enum {
  CT_MEDIA_EVENT_COLLECTED,    /* n_files files to import, skipped: CtSkippedPath* */
  CT_MEDIA_EVENT_FILE_START,   /* index, path */
  CT_MEDIA_EVENT_PROGRESS,     /* import: phase, done, total, bytes_per_second;
                                * verify: index (objects done), done (bytes), bytes_per_second */
  CT_MEDIA_EVENT_FILE_DONE,    /* index, path, import (or NULL) and error */
  CT_MEDIA_EVENT_PROBLEM,      /* verify: sha256, media (or NULL), error */
} CtMediaEventType;

typedef struct {
  CtMediaEventType type;
  guint            index;
  guint            n_files;
  const char      *path;
  GPtrArray       *skipped;          /* CtSkippedPath* */
  CtImportPhase    phase;
  guint64          done;
  guint64          total;
  double           bytes_per_second;
  CtMediaImport   *import;           /* borrowed: copy what you keep */
  const GError    *error;
  const char      *sha256;
  const CtMedia   *media;
} CtMediaEvent;

typedef void (*CtMediaEventFunc) (GObject            *target,
                                  const CtMediaEvent *event);

/* Collects @paths (ct_media_collect_paths) and imports the files one after
 * the other with @spec, on one worker thread.  @event_func runs on the
 * calling thread's main context with @target (kept alive meanwhile).
 * Cancelling stops the file being imported (the core rolls it back) and the
 * rest; the run then fails with G_IO_ERROR_CANCELLED.  A file that fails
 * does not stop the run: FILE_DONE carries its error. */
void     ct_media_task_import_async  (CtStore             *store,
                                      CtSession           *session,
                                      const char * const  *paths,
                                      const CtMediaSpec   *spec,
                                      CtMediaEventFunc     event_func,
                                      GObject             *target,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean ct_media_task_import_finish (CtStore       *store,
                                      GAsyncResult  *result,
                                      GError       **error);

/* ct_store_verify_media(); PROGRESS and PROBLEM events.  The report is
 * filled even when the run fails with CT_ERROR_INTEGRITY. */
void     ct_media_task_verify_async  (CtStore             *store,
                                      CtSession           *session,
                                      gint64               case_id,
                                      CtMediaEventFunc     event_func,
                                      GObject             *target,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean ct_media_task_verify_finish (CtStore              *store,
                                      GAsyncResult         *result,
                                      CtMediaVerifyReport  *report,
                                      GError              **error);

G_END_DECLS

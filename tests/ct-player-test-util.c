/* ct-player-test-util.c — see ct-player-test-util.h */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "ct-player-test-util.h"

gboolean
ct_test_have_element (const char *name)
{
  g_autoptr(GstElementFactory) factory = gst_element_factory_find (name);

  return factory != NULL;
}

gboolean
ct_test_gst_launch (const char *pipeline,
                    const char *out)
{
  g_autofree char *cmd = g_strdup_printf ("gst-launch-1.0 -q %s", pipeline);
  g_auto(GStrv) argv = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_shell_parse_argv (cmd, NULL, &argv, &error)
      || !g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                        NULL, NULL, NULL, &err, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("# could not make %s: %s %s\n", out, error->message, err != NULL ? err : "");
      g_unlink (out);
      return FALSE;
    }
  return TRUE;
}

gboolean
ct_test_make_h264 (const char *path,
                   int         width,
                   int         height,
                   int         fps,
                   int         frames,
                   const char *pattern)
{
  g_autofree char *p =
    g_strdup_printf ("videotestsrc num-buffers=%d pattern=%s "
                     "! video/x-raw,width=%d,height=%d,framerate=%d/1,format=I420 "
                     "! x264enc key-int-max=%d bframes=2 speed-preset=superfast "
                     "! h264parse ! mp4mux ! filesink location=%s",
                     frames, pattern, width, height, fps, fps, path);

  return ct_test_gst_launch (p, path);
}

void
ct_test_remove_media_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* ---- waiting ------------------------------------------------------------------ */

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
ct_test_wait_flag (gboolean *flag,
                   guint     ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (ms, timed_out_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *flag;
}

void
ct_test_run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timed_out_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- signals ------------------------------------------------------------------ */

static void
on_ready (GObject            *instance,
          CtTestPlayerEvents *events)
{
  events->ready = TRUE;
}

static void
on_error (GObject            *instance,
          GError             *error,
          CtTestPlayerEvents *events)
{
  g_test_message ("error signal: %s", error->message);
  g_clear_error (&events->gerror);
  events->gerror = g_error_copy (error);
  events->error = TRUE;
}

static void
on_eos (GObject            *instance,
        CtTestPlayerEvents *events)
{
  events->eos = TRUE;
}

static void
on_seek_done (GObject            *instance,
              CtTestPlayerEvents *events)
{
  events->seek_done++;
}

void
ct_test_player_events_connect (CtTestPlayerEvents *events,
                               gpointer            instance)
{
  memset (events, 0, sizeof *events);
  g_signal_connect (instance, "ready", G_CALLBACK (on_ready), events);
  g_signal_connect (instance, "error", G_CALLBACK (on_error), events);
  g_signal_connect (instance, "eos", G_CALLBACK (on_eos), events);
  g_signal_connect (instance, "seek-done", G_CALLBACK (on_seek_done), events);
}

void
ct_test_player_events_clear (CtTestPlayerEvents *events)
{
  g_clear_error (&events->gerror);
}

gboolean
ct_test_wait_seek_done (CtTestPlayerEvents *events,
                        guint               before)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (CT_TEST_WAIT_MS, timed_out_cb, &timed_out);

  while (events->seek_done == before && !timed_out && !events->error)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return events->seek_done > before;
}

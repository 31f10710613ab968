/* ct-ui-test-util.c — see ct-ui-test-util.h */

#include "config.h"

#include <locale.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ct-ui-test-util.h"

#define WAIT_TIMEOUT_MS 60000

gboolean
ct_ui_test_init (int       *argc,
                 char    ***argv,
                 gboolean   as_app)
{
  const char *localedir = g_getenv ("CASETRAIL_LOCALEDIR");

  setlocale (LC_ALL, "");
  if (as_app && localedir != NULL && localedir[0] != '\0')
    {
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return FALSE;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* What AdwApplication does for the app: the app's style sheet. */
  if (as_app)
    {
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (css, "/org/casetrail/Casetrail/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }

  g_test_init (argc, argv, NULL);
  return TRUE;
}

void
ct_ui_test_save_long_filing (CtStore   *store,
                             CtSession *handler)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GString) summary = g_string_new (NULL);

  for (int i = 0; i < 30; i++)
    g_string_append (summary, "经查，当事人在其经营场所及微信公众号发布含有“国家级”“最佳”等用语的广告，广告内容与实际情况不符。");
  json_object_set_string_member (values, "cause", "涉嫌发布虚假广告");
  json_object_set_string_member (values, "place", "示例市南城区商业广场");
  json_object_set_string_member (values, "case_summary", summary->str);
  g_assert_true (ct_store_save_form (store, handler, 3, "filing_approval", values, &error));
  g_assert_no_error (error);
}

gboolean
ct_ui_wait_until (gboolean (*cond) (gpointer data),
                  gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return TRUE;
}

typedef struct {
  const guint *count;
  guint        before;
} CountWait;

static gboolean
count_above (gpointer data)
{
  CountWait *w = data;

  return *w->count > w->before;
}

gboolean
ct_ui_wait_count (const guint *count,
                  guint        before)
{
  CountWait w = { count, before };

  return ct_ui_wait_until (count_above, &w);
}

void
ct_ui_settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

void
ct_ui_screenshot (GtkWidget  *window,
                  const char *name)
{
  const char *dir = g_getenv ("CASETRAIL_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL || dir[0] == '\0')
    return;

  ct_ui_settle (500);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_test_message ("screenshot %s: nothing drawn (%d×%d)", name, width, height);
      return;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s", path);
}

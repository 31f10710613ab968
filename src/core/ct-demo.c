#define G_LOG_DOMAIN "casetrail-core"

/* Demo data: an agency, one user of every role and a few cases at
 * different stages, so that a newcomer sees a real case on first run.
 * Everything goes through the same audited store calls as real work. */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ct-error.h"
#include "ct-media.h"
#include "ct-store-private.h"

typedef struct {
  const char *username;
  const char *name;
  const char *cert;
  guint       roles;
} DemoUser;

static const DemoUser demo_users[] = {
  { "zhangwei", "张伟", "22010001", CT_ROLE_HANDLER },
  { "lina",     "李娜", "22010002", CT_ROLE_HANDLER },
  { "liuyang",  "刘洋", "22010003", CT_ROLE_HANDLER },
  { "chenjing", "陈静", NULL,       CT_ROLE_ASSISTANT },
  { "zhaomin",  "赵敏", "22010008", CT_ROLE_LEGAL_REVIEWER },
  { "sunqiang", "孙强", "22010009", CT_ROLE_SUPERVISOR },
  { "zhoujie",  "周杰", NULL,       CT_ROLE_ARCHIVIST },
};

typedef struct {
  const char *procedure;
  const char *cause;
  const char *source;
  const char *source_detail;
  const char *place;
  const char *party_kind;
  const char *party_name;
  const char *party_id;
  const char *party_address;
  const char *party_contact;
  const char *party_legal_rep;
  const char *handlers[3];
  const char *assistants[2];
  gboolean    approve_filing;
  const char *stages[5];
} DemoCase;

static const DemoCase demo_cases[] = {
  {
    "general", "涉嫌销售超过保质期的食品", "report", "市民刘某（12315 热线转办）",
    "示例市东城区人民路 88 号", "organization", "示例市好邻居超市有限公司",
    "91000000MA0000001X", "示例市东城区人民路 88 号", "0000-12345678", "周某某",
    { "zhangwei", "lina", NULL }, { "chenjing", NULL }, TRUE,
    { "investigation", "rights_notice", "legal_review", NULL },
  },
  {
    "general", "涉嫌未取得营业执照从事经营活动", "inspection", NULL,
    "示例市西城区建设街 12 号", "person", "王某",
    "110101199001011234", "示例市西城区建设街 12 号", "13800000000", NULL,
    { "lina", "liuyang", NULL }, { NULL }, TRUE,
    { "investigation", NULL },
  },
  {
    "general", "涉嫌发布虚假广告", "transferred", "示例市广播电视局移送",
    "示例市南城区商业广场", "organization", "示例市美好生活科技有限公司",
    "91000000MA0000002Y", "示例市南城区商业广场 3 楼", "0000-87654321", "陈某",
    { "zhangwei", "liuyang", NULL }, { NULL }, FALSE,
    { NULL },
  },
};

static gboolean
open_demo_cases (CtStore   *self,
                 CtSession *handler,
                 CtSession *supervisor,
                 GError   **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_cases); i++)
    {
      const DemoCase *d = &demo_cases[i];
      CtCaseSpec spec = {
        .procedure = d->procedure,
        .cause = d->cause,
        .source = d->source,
        .source_detail = d->source_detail,
        .place = d->place,
        .party_kind = d->party_kind,
        .party_name = d->party_name,
        .party_id_number = d->party_id,
        .party_address = d->party_address,
        .party_contact = d->party_contact,
        .party_legal_rep = d->party_legal_rep,
        .handlers = d->handlers,
        .assistants = d->assistants,
      };
      gint64 id = ct_store_create_case (self, handler, &spec, error);

      if (id == 0)
        return FALSE;
      if (d->approve_filing && ct_store_approve (self, supervisor, id, "filing", error) == 0)
        return FALSE;
      for (guint s = 0; d->stages[s] != NULL; s++)
        {
          g_autofree char *summary =
            g_strdup_printf (_("Moved to stage “%s” (demo data)"),
                             ct_choice_label (ct_case_stages (), d->stages[s]));
          if (!ct_store_set_stage_unchecked (self, handler, id, d->stages[s], summary, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* ---- demo footage ------------------------------------------------------------------- */

/* A 20-second 8 kHz mono WAV of a @hz tone: a stand-in for a body-worn
 * camera's audio recording, distinct for each tone. */
static char *
write_tone (const char *dir,
            const char *name,
            double      hz,
            GError    **error)
{
  const guint32 rate = 8000, n = rate * 20, data_len = n * 2;
  g_autoptr(GByteArray) b = g_byte_array_sized_new (44 + data_len);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  guint32 u32;
  guint16 u16;

#define PUT(p, len) g_byte_array_append (b, (const guint8 *) (p), (len))
#define U32(v) (u32 = GUINT32_TO_LE (v), PUT (&u32, 4))
#define U16(v) (u16 = GUINT16_TO_LE (v), PUT (&u16, 2))
  PUT ("RIFF", 4); U32 (36 + data_len); PUT ("WAVE", 4);
  PUT ("fmt ", 4); U32 (16); U16 (1); U16 (1); U32 (rate); U32 (rate * 2); U16 (2); U16 (16);
  PUT ("data", 4); U32 (data_len);
  for (guint32 i = 0; i < n; i++)
    {
      gint16 v = (gint16) (6000.0 * sin (2.0 * G_PI * hz * i / rate));
      U16 ((guint16) v);
    }
#undef PUT
#undef U32
#undef U16
  if (!g_file_set_contents (path, (const char *) b->data, b->len, error))
    return NULL;
  return g_steal_pointer (&path);
}

static char *
iso_ago (GDateTime *now,
         GTimeSpan  ago)
{
  g_autoptr(GDateTime) t = g_date_time_add (now, -ago);
  return g_date_time_format_iso8601 (t);
}

/* Three recordings of the first case by 张伟's camera: two of one
 * questioning with a two-minute interruption (explained: battery), and one
 * stored three days after it was made (late, a warning in the checklist). */
static gboolean
add_demo_footage (CtStore   *self,
                  CtSession *handler,
                  GError   **error)
{
  g_autofree char *dir = g_dir_make_tmp ("casetrail-demo-XXXXXX", error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  struct { const char *name; double hz; GTimeSpan ago; } clips[] = {
    { "DSJ-0931_20_0001.WAV", 440.0, 20 * G_TIME_SPAN_HOUR },
    { "DSJ-0931_20_0002.WAV", 523.3, 20 * G_TIME_SPAN_HOUR - 140 * G_TIME_SPAN_SECOND },
    { "DSJ-0931_20_0003.WAV", 659.3, 3 * G_TIME_SPAN_DAY + 5 * G_TIME_SPAN_HOUR },
  };
  const char *officers[] = { "zhangwei", NULL };
  gint64 ids[G_N_ELEMENTS (clips)] = { 0 };
  gboolean ok = TRUE;

  if (dir == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (clips) && ok; i++)
    {
      g_autofree char *path = write_tone (dir, clips[i].name, clips[i].hz, error);
      g_autofree char *at = iso_ago (now, clips[i].ago);
      g_autoptr(CtMediaImport) imp = NULL;
      CtMediaSpec spec = {
        .case_ref = "1", .officers = officers, .device = "DSJ-0931", .recorded_at = at,
        .place = "示例市东城区人民路 88 号",
      };

      ok = path != NULL &&
           (imp = ct_store_import_media (self, handler, path, &spec, NULL, NULL, NULL, error)) != NULL;
      if (ok)
        ids[i] = imp->media->id;
      if (path != NULL)
        g_unlink (path);
    }
  g_rmdir (dir);
  return ok && ct_store_explain_interruption (self, handler, ids[0], ids[1], CT_INTERRUPTION_BATTERY, NULL, error);
}

gboolean
ct_store_load_demo (CtStore *self,
                    GError **error)
{
  g_autoptr(CtSession) admin = NULL;
  g_autoptr(CtSession) handler = NULL;
  g_autoptr(CtSession) supervisor = NULL;
  CtUserSpec admin_spec = {
    .username = "admin",
    .display_name = "王管理",
    .certified = FALSE,
    .roles = CT_ROLE_ADMIN,
  };

  g_return_val_if_fail (CT_IS_STORE (self), FALSE);

  if (!ct_store_init_agency_full (self, "示例市市场监督管理局", "示市监立〔{year}〕{seq}号",
                                  FALSE, &admin_spec, CT_DEMO_PASSPHRASE, FALSE, error))
    {
      g_prefix_error (error, _("Could not load the demo data: "));
      return FALSE;
    }

  admin = ct_store_login (self, "admin", CT_DEMO_PASSPHRASE, error);
  if (admin == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    {
      const DemoUser *u = &demo_users[i];
      CtUserSpec spec = {
        .username = u->username,
        .display_name = u->name,
        .cert_number = u->cert,
        .certified = u->cert != NULL,
        .roles = u->roles,
      };
      if (ct_store_add_user_full (self, admin, &spec, CT_DEMO_PASSPHRASE, FALSE, error) == 0)
        return FALSE;
    }
  ct_store_logout (self, admin);

  handler = ct_store_login (self, "zhangwei", CT_DEMO_PASSPHRASE, error);
  if (handler == NULL)
    return FALSE;
  supervisor = ct_store_login (self, "sunqiang", CT_DEMO_PASSPHRASE, error);
  if (supervisor == NULL)
    return FALSE;

  if (!open_demo_cases (self, handler, supervisor, error) ||
      !add_demo_footage (self, handler, error))
    {
      g_prefix_error (error, _("Could not load the demo data: "));
      return FALSE;
    }

  ct_store_logout (self, supervisor);
  ct_store_logout (self, handler);
  return TRUE;
}

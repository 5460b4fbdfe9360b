/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Quality bar "sync stall" (issue 6): the main loop's longest stall while a 200 MB sync
 * runs in the kiosk, bar ≤ 50 ms.
 *
 * Generates a ~200 MB channel in a temporary folder (several packs whose bulk is large CSV
 * datasets, plus Markdown explainers), publishes it with the content API, opens a fresh
 * store and runs digithek_sync_run_async() on the main context, as the kiosk does
 * (app/digithek-application.c: start_sync / sync_done_cb), while a 1 ms GSource on the
 * same main context records the time between its dispatches. The largest gap and the
 * 99th percentile count; the same measurement of an idle main loop, in the same run, is the
 * reference. The sync runs from the channel folder (a USB stick) and, unless --no-http,
 * over HTTP from a SoupServer on loopback that runs on its own thread (so that serving
 * costs CPU, as nginx on the same machine would, but never runs on the measured loop).
 *
 * For each of the largest gaps, the main thread's own CPU time and its time waiting on
 * the run queue (/proc/thread-self/schedstat) during that gap are printed: a gap spent on
 * the CPU is work done on the main thread; a gap spent waiting on the run queue is the
 * scheduler giving the CPUs to other threads. The exit status is 0 either way: the
 * figure lines say PASS or FAIL. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "digithek-channel.h"
#include "digithek-channel-publish.h"
#include "digithek-pack.h"
#include "digithek-store.h"
#include "digithek-sync.h"
#include "store-test-util.h"

#define BAR_MS 50.0
#define TICK_MS 1
#define TOP_GAPS 5

static int channel_mb = 200;
static int n_packs = 4;
static int datasets_per_pack = 2;
static double idle_seconds = 5.0;
static gboolean no_http = FALSE;
static gboolean keep = FALSE;
static gboolean print_windows = FALSE;

static GOptionEntry entries[] = {
  { "mb", 0, 0, G_OPTION_ARG_INT, &channel_mb, "Size of the channel's CSV data in MB (200)", "N" },
  { "packs", 0, 0, G_OPTION_ARG_INT, &n_packs, "Packs in the channel (4)", "N" },
  { "datasets", 0, 0, G_OPTION_ARG_INT, &datasets_per_pack, "CSV datasets per pack (2)", "N" },
  { "idle-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &idle_seconds, "Length of the idle reference (5)", "S" },
  { "no-http", 0, 0, G_OPTION_ARG_NONE, &no_http, "Sync only from the channel folder", NULL },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the temporary folder", NULL },
  { "windows", 0, 0, G_OPTION_ARG_NONE, &print_windows,
    "Print each measurement's window in CLOCK_MONOTONIC seconds (for perf record -k CLOCK_MONOTONIC "
    "and perf report --time)", NULL },
  { NULL },
};

/* ---- helpers ---- */

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      rm_rf (child);
    }
  g_rmdir (path);
}

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("bench-stall: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (2);
}

static gint64
thread_cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The main thread's time spent waiting on a run queue, ns (schedstat's second field);
 * -1 when the kernel does not say. */
static int schedstat_fd = -1;

static gint64
thread_run_delay_ns (void)
{
  char buf[128];
  ssize_t n;
  unsigned long long on_cpu, run_delay;

  if (schedstat_fd < 0)
    return -1;
  n = pread (schedstat_fd, buf, sizeof buf - 1, 0);
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  if (sscanf (buf, "%llu %llu", &on_cpu, &run_delay) != 2)
    return -1;
  return (gint64) run_delay;
}

/* ---- the channel ---- */

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void
civil_from_days (gint64  z,
                 int    *y,
                 int    *m,
                 int    *d)
{
  gint64 era, doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (int) (doy - (153 * mp + 2) / 5 + 1);
  *m = (int) (mp < 10 ? mp + 3 : mp - 9);
  *y = (int) (yoe + era * 400 + (*m <= 2));
}

/* Readings every minute from a sensor: an ISO 8601 time and four numeric columns, gaps as
 * empty cells. Each file gets its own seed, so that no two files share an object. */
static guint64
write_csv (const char *path,
           guint64     target_bytes,
           guint32     seed)
{
  FILE *file = fopen (path, "w");
  gint64 minute = (gint64) 1577836800 / 60; /* 2020-01-01T00:00Z */
  guint64 written;
  char line[160];
  int day_y = 0, day_m = 0, day_d = 0;
  gint64 day = -1;

  if (file == NULL)
    {
      g_printerr ("bench-stall: %s: %s\n", path, g_strerror (errno));
      exit (2);
    }
  written = fprintf (file, "zeit,temperatur,feuchte,druck,wind\n");
  for (guint64 i = 0; written < target_bytes; i++, minute++)
    {
      gint64 d = minute / 1440;
      int hm = (int) (minute % 1440);
      int values[4];
      int n;

      if (d != day)
        {
          day = d;
          civil_from_days (d, &day_y, &day_m, &day_d);
        }
      for (int v = 0; v < 4; v++)
        {
          seed = seed * 1103515245 + 12345;
          values[v] = (int) ((seed >> 8) % 100000);
        }
      if (i % 97 == 13)
        n = snprintf (line, sizeof line, "%04d-%02d-%02dT%02d:%02d:00Z,,%d.%02d,%d.%d,%d.%d\n",
                      day_y, day_m, day_d, hm / 60, hm % 60, values[1] / 1000, values[1] % 100,
                      900 + values[2] / 1000, values[2] % 10, values[3] / 1000, values[3] % 10);
      else
        n = snprintf (line, sizeof line, "%04d-%02d-%02dT%02d:%02d:00Z,%d.%02d,%d.%02d,%d.%d,%d.%d\n",
                      day_y, day_m, day_d, hm / 60, hm % 60, values[0] / 2500 - 10,
                      values[0] % 100, values[1] / 1000, values[1] % 100,
                      900 + values[2] / 1000, values[2] % 10, values[3] / 1000, values[3] % 10);
      fwrite (line, 1, n, file);
      written += n;
    }
  if (fclose (file) != 0)
    {
      g_printerr ("bench-stall: %s: %s\n", path, g_strerror (errno));
      exit (2);
    }
  return written;
}

static void
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, text, -1, &error))
    die (path, error);
}

/* A Markdown explainer of a few KB, different for each pack and language. */
static char *
markdown_text (int         pack,
               int         item,
               const char *language)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "# %s %d.%d\n\n", g_str_equal (language, "de") ? "Messnetz" : "Sensor network",
                          pack, item);
  for (int p = 0; p < 40; p++)
    g_string_append_printf (s, "%s %d. Die Sensoren melden jede Minute Temperatur, Feuchte, "
                            "Luftdruck und Wind; **fehlende Werte** bleiben leer.\n\n"
                            "- Station %d\n- Abschnitt %d\n\n",
                            g_str_equal (language, "de") ? "Absatz" : "Paragraph", p, pack, p);
  return g_string_free (s, FALSE);
}

static guint64
write_pack (const char *dir,
            int         index,
            guint64     csv_bytes_per_dataset)
{
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *texts_dir = g_build_filename (dir, "texts", NULL);
  g_autofree char *json_path = g_build_filename (dir, "pack.json", NULL);
  GString *json = g_string_new (NULL);
  guint64 total = 0;

  g_mkdir_with_parents (data_dir, 0755);
  g_mkdir_with_parents (texts_dir, 0755);
  g_string_append_printf (json,
                          "{\"format\": 1, \"id\": \"messnetz-%d\", \"version\": 1,\n"
                          " \"title\": {\"de\": \"Messnetz %d\", \"en\": \"Sensor network %d\"},\n"
                          " \"languages\": [\"de\", \"en\"], \"publisher\": \"Benchmark\",\n"
                          " \"items\": [\n",
                          index, index, index);
  for (int i = 0; i < datasets_per_pack; i++)
    {
      g_autofree char *name = g_strdup_printf ("sensor-%d.csv", i);
      g_autofree char *path = g_build_filename (data_dir, name, NULL);

      total += write_csv (path, csv_bytes_per_dataset, 0x9e3779b9u * (guint32) (index * 64 + i + 1));
      g_string_append_printf (json,
                              "  {\"id\": \"sensor-%d\", \"kind\": \"dataset\",\n"
                              "   \"title\": {\"de\": \"Sensor %d\", \"en\": \"Sensor %d\"},\n"
                              "   \"data\": \"data/%s\", \"csv\": {\"delimiter\": \",\", \"decimal\": \".\"},\n"
                              "   \"chart\": {\"type\": \"line\", \"x\": \"zeit\",\n"
                              "             \"y\": [\"temperatur\", \"feuchte\", \"druck\", \"wind\"]},\n"
                              "   \"source\": {\"name\": \"Benchmark\", \"license\": \"CC0-1.0\"}},\n",
                              i, i, i, name);
    }
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *de_name = g_strdup_printf ("text-%d.de.md", i);
      g_autofree char *en_name = g_strdup_printf ("text-%d.en.md", i);
      g_autofree char *de_path = g_build_filename (texts_dir, de_name, NULL);
      g_autofree char *en_path = g_build_filename (texts_dir, en_name, NULL);
      g_autofree char *de = markdown_text (index, i, "de");
      g_autofree char *en = markdown_text (index, i, "en");

      write_text (de_path, de);
      write_text (en_path, en);
      total += strlen (de) + strlen (en);
      g_string_append_printf (json,
                              "  {\"id\": \"text-%d\", \"kind\": \"explainer\",\n"
                              "   \"title\": {\"de\": \"Erklärung %d\", \"en\": \"Explainer %d\"},\n"
                              "   \"body\": {\"de\": \"texts/%s\", \"en\": \"texts/%s\"}}%s\n",
                              i, i, i, de_name, en_name, i < 2 ? "," : "");
    }
  g_string_append (json, " ]}\n");
  write_text (json_path, json->str);
  g_string_free (json, TRUE);
  return total;
}

/* Writes the packs and publishes them; returns the public key. */
static char *
make_channel (const char *root,
              const char *channel_dir,
              guint64    *out_bytes)
{
  g_autofree char *key_path = g_build_filename (root, "key", NULL);
  g_autoptr(GPtrArray) packs = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(DigithekChannelPublishResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  char *public_b64 = NULL;
  guint64 per_dataset = (guint64) channel_mb * 1000000 / (n_packs * datasets_per_pack);
  guint64 total = 0;
  gint64 start = g_get_monotonic_time ();

  for (int p = 0; p < n_packs; p++)
    {
      g_autofree char *name = g_strdup_printf ("pack-%d", p);
      g_autofree char *dir = g_build_filename (root, "packs", name, NULL);
      g_autoptr(GPtrArray) problems = NULL;
      DigithekPack *pack;

      g_mkdir_with_parents (dir, 0755);
      total += write_pack (dir, p, per_dataset);
      pack = digithek_pack_load (dir, NULL, &problems, &error);
      if (pack == NULL)
        {
          for (guint i = 0; problems != NULL && i < problems->len && i < 10; i++)
            g_printerr ("bench-stall: %s\n", (char *) g_ptr_array_index (problems, i));
          die (dir, error);
        }
      g_ptr_array_add (packs, pack);
    }
  if (!digithek_channel_keygen (key_path, TRUE, &public_b64, &error))
    die ("keygen", error);
  if (!digithek_channel_publish (channel_dir, packs, key_path, NULL, &result, &error))
    die ("publish", error);
  printf ("# channel: %d packs, %u objects, %.1f MB (%.1f MB of files); generated, validated "
          "and published in %.1f s\n",
          n_packs, result.objects_written, result.bytes_written / 1e6, total / 1e6,
          (g_get_monotonic_time () - start) / 1e6);
  fflush (stdout);
  *out_bytes = result.bytes_written;
  {
    g_autofree char *packs_dir = g_build_filename (root, "packs", NULL);

    rm_rf (packs_dir); /* the channel is what counts */
  }
  return public_b64;
}

/* ---- an HTTP server on its own thread ---- */

typedef struct
{
  char         *root;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  guint         port;
  GMutex        mutex;
  GCond         cond;
  gboolean      ready;
} HttpServer;

static void
serve_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  HttpServer *http = user_data;
  g_autofree char *file_path = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_GET) || strstr (path, "..") != NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_IMPLEMENTED, NULL);
      return;
    }
  file_path = g_build_filename (http->root, path, NULL);
  mapped = g_mapped_file_new (file_path, FALSE, NULL);
  if (mapped == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/octet-stream", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static gpointer
http_thread (gpointer data)
{
  HttpServer *http = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (http->context);
  http->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (http->server, NULL, serve_cb, http, NULL);
  if (!soup_server_listen_local (http->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    die ("SoupServer", error);
  uris = soup_server_get_uris (http->server);
  http->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&http->mutex);
  http->ready = TRUE;
  g_cond_signal (&http->cond);
  g_mutex_unlock (&http->mutex);

  g_main_loop_run (http->loop);
  soup_server_disconnect (http->server);
  g_clear_object (&http->server);
  g_main_context_pop_thread_default (http->context);
  return NULL;
}

/* ---- the measurement ---- */

typedef struct
{
  gint64 at_us;      /* when the gap ended, from the start of the measurement */
  gint64 gap_us;
  gint64 cpu_us;     /* main thread on CPU during the gap */
  gint64 runq_us;    /* main thread waiting for a CPU during the gap, -1 if unknown */
} Gap;

typedef struct
{
  GMainLoop   *loop;
  GArray      *gaps;         /* of gint64, µs */
  Gap          top[TOP_GAPS];
  gint64       start_us;
  gint64       last_us;
  gint64       last_cpu_ns;
  gint64       last_runq_ns;
  /* the sync */
  DigithekSync *sync;
  DigithekSyncResult *result;
  GError      *error;
  gint64       done_us;      /* when the callback ran, from the start */
  gint64       callback_us;  /* how long it took */
  gint64       stop_at_us;   /* idle run: when to stop */
} Measure;

static void
record_gap (Measure *m,
            gint64   now_us)
{
  gint64 gap = now_us - m->last_us;
  gint64 cpu_ns = thread_cpu_ns ();
  gint64 runq_ns = thread_run_delay_ns ();
  Gap g = { now_us - m->start_us, gap, (cpu_ns - m->last_cpu_ns) / 1000,
            runq_ns >= 0 && m->last_runq_ns >= 0 ? (runq_ns - m->last_runq_ns) / 1000 : -1 };

  g_array_append_val (m->gaps, gap);
  for (int i = 0; i < TOP_GAPS; i++)
    if (g.gap_us > m->top[i].gap_us)
      {
        memmove (&m->top[i + 1], &m->top[i], (TOP_GAPS - 1 - i) * sizeof (Gap));
        m->top[i] = g;
        break;
      }
  m->last_us = now_us;
  /* Sampled after the bookkeeping, so that the next gap does not count it twice. */
  m->last_cpu_ns = thread_cpu_ns ();
  m->last_runq_ns = thread_run_delay_ns ();
}

static gboolean
tick_cb (gpointer user_data)
{
  Measure *m = user_data;
  gint64 now = g_get_monotonic_time ();

  record_gap (m, now);
  if (m->stop_at_us > 0 && now - m->start_us >= m->stop_at_us)
    g_main_loop_quit (m->loop);
  return G_SOURCE_CONTINUE;
}

/* What the kiosk's sync_done_cb does that touches the sync: finish, look at the changes. */
static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Measure *m = user_data;
  gint64 start = g_get_monotonic_time ();

  m->result = digithek_sync_run_finish (DIGITHEK_SYNC (source), result, &m->error);
  m->done_us = start - m->start_us;
  m->callback_us = g_get_monotonic_time () - start;
  g_main_loop_quit (m->loop);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

typedef struct
{
  double max_ms;
  double p99_ms;
  double p50_ms;
  guint  ticks;
  guint  over_bar;
  double seconds;
} Figures;

static Figures
measure_finish (Measure    *m,
                const char *label)
{
  Figures f = { 0 };
  gint64 *v = (gint64 *) m->gaps->data;
  guint n = m->gaps->len;

  g_array_sort (m->gaps, compare_gint64);
  f.ticks = n;
  if (n > 0)
    {
      f.max_ms = v[n - 1] / 1000.0;
      f.p99_ms = v[MIN (n - 1, (guint) (n * 0.99))] / 1000.0;
      f.p50_ms = v[n / 2] / 1000.0;
    }
  for (guint i = 0; i < n; i++)
    if (v[i] > BAR_MS * 1000)
      f.over_bar++;
  f.seconds = (m->last_us - m->start_us) / 1e6;
  if (print_windows)
    printf ("# %s: window %.6f,%.6f (CLOCK_MONOTONIC s)\n", label, m->start_us / 1e6, m->last_us / 1e6);
  printf ("# %s: %u ticks in %.1f s; gap median %.2f ms, p99 %.2f ms, max %.2f ms; %u gaps > %.0f ms\n",
          label, f.ticks, f.seconds, f.p50_ms, f.p99_ms, f.max_ms, f.over_bar, BAR_MS);
  for (int i = 0; i < TOP_GAPS && m->top[i].gap_us > 0; i++)
    {
      const Gap *g = &m->top[i];

      if (g->runq_us >= 0)
        printf ("#   gap %.2f ms at %.3f s: main thread on CPU %.2f ms, waiting for a CPU %.2f ms, "
                "sleeping %.2f ms\n",
                g->gap_us / 1000.0, g->at_us / 1e6, g->cpu_us / 1000.0, g->runq_us / 1000.0,
                MAX (0, g->gap_us - g->cpu_us - g->runq_us) / 1000.0);
      else
        printf ("#   gap %.2f ms at %.3f s: main thread on CPU %.2f ms\n",
                g->gap_us / 1000.0, g->at_us / 1e6, g->cpu_us / 1000.0);
    }
  fflush (stdout);
  return f;
}

static void
measure_begin (Measure *m)
{
  memset (m, 0, sizeof *m);
  m->loop = g_main_loop_new (NULL, FALSE);
  m->gaps = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 65536);
}

static void
measure_run (Measure *m)
{
  GSource *tick = g_timeout_source_new (TICK_MS);

  /* The same priority as the sync's completion and as most of a GTK app's work. */
  g_source_set_priority (tick, G_PRIORITY_DEFAULT);
  g_source_set_callback (tick, tick_cb, m, NULL);
  g_source_attach (tick, NULL);
  m->start_us = m->last_us = g_get_monotonic_time ();
  m->last_cpu_ns = thread_cpu_ns ();
  m->last_runq_ns = thread_run_delay_ns ();
  g_main_loop_run (m->loop);
  g_source_destroy (tick);
  g_source_unref (tick);
}

static void
measure_clear (Measure *m)
{
  g_clear_pointer (&m->loop, g_main_loop_unref);
  g_clear_pointer (&m->gaps, g_array_unref);
  g_clear_pointer (&m->result, digithek_sync_result_free);
  g_clear_error (&m->error);
}

static Figures
measure_idle (void)
{
  Measure m;
  Figures f;

  measure_begin (&m);
  m.stop_at_us = (gint64) (idle_seconds * 1e6);
  measure_run (&m);
  f = measure_finish (&m, "idle main loop");
  measure_clear (&m);
  return f;
}

static Figures
measure_sync (const char *root,
              const char *name,
              const char *channel,
              const char *public_b64,
              guint64     channel_bytes,
              gboolean   *out_ok)
{
  g_autofree char *dir = g_build_filename (root, name, NULL);
  g_autofree char *store_path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekStore) store = NULL;
  g_autoptr(DigithekSync) sync = NULL;
  const char *keys[] = { public_b64, NULL };
  g_autofree char *label = NULL;
  Measure m;
  Figures f;

  g_mkdir_with_parents (dir, 0755);
  store = tu_store_new (store_path, NULL, &error);
  if (store == NULL)
    die (store_path, error);
  sync = digithek_sync_new (channel, keys, store, NULL);

  measure_begin (&m);
  /* Started from the loop, as the kiosk's start_sync() does from a timeout. */
  digithek_sync_run_async (sync, NULL, sync_done_cb, &m);
  measure_run (&m);
  *out_ok = m.result != NULL && m.result->changes->len == (guint) n_packs;
  if (m.result == NULL)
    printf ("# sync from %s failed: %s\n", name, m.error->message);
  else
    printf ("# sync from %s: %u packs installed, %.1f MB downloaded in %.1f s (%.1f MB/s); "
            "completion callback on the main thread %.3f ms\n",
            name, m.result->changes->len, m.result->bytes_downloaded / 1e6, m.done_us / 1e6,
            channel_bytes / 1e6 / (m.done_us / 1e6), m.callback_us / 1000.0);
  label = g_strdup_printf ("main loop during the sync from %s", name);
  f = measure_finish (&m, label);
  measure_clear (&m);
  digithek_store_close (store);
  return f;
}

static void
print_figure (const char *name,
              Figures     sync,
              Figures     idle,
              gboolean    ok)
{
  printf ("%s: %.1f ms max, %.1f ms p99 (reference: idle main loop %.1f ms max, %.1f ms p99; "
          "bar: %.0f ms) %s\n",
          name, sync.max_ms, sync.p99_ms, idle.max_ms, idle.p99_ms, BAR_MS,
          ok && sync.max_ms <= BAR_MS ? "PASS" : "FAIL");
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context =
    g_option_context_new ("— the main loop's longest stall during a 200 MB sync");
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  g_autofree char *channel_dir = NULL;
  g_autofree char *public_b64 = NULL;
  guint64 channel_bytes = 0;
  Figures idle, local, http_figures;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-stall: %s\n", error->message);
      return 2;
    }
  n_packs = CLAMP (n_packs, 1, 64);
  datasets_per_pack = CLAMP (datasets_per_pack, 1, 32);
  channel_mb = MAX (channel_mb, 1);
  if ((guint64) channel_mb * 1000000 / (n_packs * datasets_per_pack) > 60 * 1024 * 1024)
    {
      g_printerr ("bench-stall: a dataset would exceed a pack's 64 MiB file limit: use more "
                  "--packs or --datasets\n");
      return 2;
    }
  schedstat_fd = open ("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);

  root = g_dir_make_tmp ("bench-stall-XXXXXX", &error);
  if (root == NULL)
    die ("temporary folder", error);
  channel_dir = g_build_filename (root, "channel", NULL);
  public_b64 = make_channel (root, channel_dir, &channel_bytes);

  idle = measure_idle ();

  local = measure_sync (root, "folder", channel_dir, public_b64, channel_bytes, &ok);
  print_figure ("sync-main-loop-stall", local, idle, ok);

  if (!no_http)
    {
      HttpServer http = { 0 };
      g_autofree char *url = NULL;
      GThread *thread;

      http.root = channel_dir;
      http.context = g_main_context_new ();
      http.loop = g_main_loop_new (http.context, FALSE);
      g_mutex_init (&http.mutex);
      g_cond_init (&http.cond);
      thread = g_thread_new ("http", http_thread, &http);
      g_mutex_lock (&http.mutex);
      while (!http.ready)
        g_cond_wait (&http.cond, &http.mutex);
      g_mutex_unlock (&http.mutex);

      url = g_strdup_printf ("http://127.0.0.1:%u/", http.port);
      http_figures = measure_sync (root, "http", url, public_b64, channel_bytes, &ok);
      print_figure ("sync-main-loop-stall-http", http_figures, idle, ok);

      g_main_loop_quit (http.loop);
      g_thread_join (thread);
      g_main_loop_unref (http.loop);
      g_main_context_unref (http.context);
      g_mutex_clear (&http.mutex);
      g_cond_clear (&http.cond);
    }

  if (keep)
    printf ("# kept %s\n", root);
  else
    rm_rf (root);
  if (schedstat_fd >= 0)
    close (schedstat_fd);
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Prometheus text-format metrics for node-exporter's textfile collector: the kiosk keeps
 * one DigithekMetrics, updates it as things happen and writes it to a `.prom` file after
 * every sync and every minute. Counters count from the start of the process, as
 * Prometheus expects counters to do (a restart shows up as a reset, which rate() handles).
 */

#define DIGITHEK_TYPE_METRICS (digithek_metrics_get_type ())
G_DECLARE_FINAL_TYPE (DigithekMetrics, digithek_metrics, DIGITHEK, METRICS, GObject)

DigithekMetrics *digithek_metrics_new                     (void);

/* Unix time in seconds of the last sync that ended well (up to date counts); 0 = none. */
void             digithek_metrics_set_sync_last_success   (DigithekMetrics *self,
                                                           gint64           unix_seconds);
gint64           digithek_metrics_get_sync_last_success   (DigithekMetrics *self);
void             digithek_metrics_add_sync_failure        (DigithekMetrics *self);
guint64          digithek_metrics_get_sync_failures       (DigithekMetrics *self);
/* One per citizen or guided session that ended (idle reset or "reset-session"). */
void             digithek_metrics_add_session             (DigithekMetrics *self);
guint64          digithek_metrics_get_sessions            (DigithekMetrics *self);

/* The installed version of @pack_id; replaces an earlier value for the same pack. */
void             digithek_metrics_set_pack_version        (DigithekMetrics *self,
                                                           const char      *pack_id,
                                                           gint64           version);
/* Forgets every pack, so that a pack removed from the store disappears from the output. */
void             digithek_metrics_clear_packs             (DigithekMetrics *self);

void             digithek_metrics_set_store_bytes         (DigithekMetrics *self,
                                                           guint64          bytes);
guint64          digithek_metrics_get_store_bytes         (DigithekMetrics *self);
/**
 * digithek_metrics_measure_store:
 * @self: the metrics
 * @store_path: the sqlite database
 *
 * Sets the store size to the size of @store_path plus its write-ahead log
 * (`@store_path-wal`); a file that does not exist counts as 0 bytes.
 */
void             digithek_metrics_measure_store           (DigithekMetrics *self,
                                                           const char      *store_path);

/**
 * digithek_metrics_to_string:
 * @self: the metrics
 *
 * Returns: (transfer full): the metrics in the Prometheus text exposition format, each
 *   family with `# HELP` and `# TYPE` lines, packs sorted by id
 */
char            *digithek_metrics_to_string               (DigithekMetrics *self);

/**
 * digithek_metrics_write:
 * @self: the metrics
 * @path: the `.prom` file
 * @error: return location for a #GError in the %G_FILE_ERROR domain
 *
 * Writes the metrics to a hidden temporary file in the folder of @path and renames it
 * over @path, so that a reader sees the old file or the new one, never a part; the file
 * is made mode 0644 whatever the umask, so node-exporter (another user) can read it.
 * On failure @path is left as it was and no temporary file is left behind.
 *
 * Returns: %TRUE on success
 */
gboolean         digithek_metrics_write                   (DigithekMetrics *self,
                                                           const char      *path,
                                                           GError         **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DIGITHEK_CONFIG_ERROR (digithek_config_error_quark ())

typedef enum
{
  DIGITHEK_CONFIG_ERROR_INVALID,
} DigithekConfigError;

GQuark digithek_config_error_quark (void);

/* Where the kiosk looks when no --config is given. */
#define DIGITHEK_CONFIG_DEFAULT_PATH "/etc/digithek/kiosk.ini"

#define DIGITHEK_TYPE_CONFIG (digithek_config_get_type ())
G_DECLARE_FINAL_TYPE (DigithekConfig, digithek_config, DIGITHEK, CONFIG, GObject)

/**
 * digithek_config_load:
 * @path: (nullable): the config file; %NULL for %DIGITHEK_CONFIG_DEFAULT_PATH
 * @error: return location for a #GError
 *
 * Reads the `[kiosk]` group of an ini file. A missing file at the default path means
 * "all defaults"; a missing file named explicitly, a syntax error or a value of the
 * wrong type is an error naming the file, the key and what is expected.
 *
 * Returns: (transfer full): the config, or %NULL with @error set
 */
DigithekConfig     *digithek_config_load              (const char      *path,
                                                       GError         **error);
/* A config with every default, for tests and --demo. */
DigithekConfig     *digithek_config_new_default       (void);

const char         *digithek_config_get_path          (DigithekConfig  *self);
/* (nullable): an http(s) URL or a local folder. */
const char         *digithek_config_get_channel       (DigithekConfig  *self);
void                digithek_config_set_channel       (DigithekConfig  *self,
                                                       const char      *channel);
/* Base64 Ed25519 public keys (or paths of .pub files), never %NULL. */
const char * const *digithek_config_get_trusted_keys  (DigithekConfig  *self);
void                digithek_config_set_trusted_keys  (DigithekConfig  *self,
                                                       const char * const *keys);
/* Seconds without input before the session resets; default 90. */
guint               digithek_config_get_idle_timeout  (DigithekConfig  *self);
void                digithek_config_set_idle_timeout  (DigithekConfig  *self,
                                                       guint            seconds);
/* Default language of a fresh session; default "de". */
const char         *digithek_config_get_language      (DigithekConfig  *self);
/* (nullable): the store; %NULL means the per-user default. */
const char         *digithek_config_get_store_path    (DigithekConfig  *self);
/* Minutes between background syncs; default 15. */
guint               digithek_config_get_sync_interval (DigithekConfig  *self);
/* (nullable): where Prometheus metrics are written. */
const char         *digithek_config_get_metrics_file  (DigithekConfig  *self);
void                digithek_config_set_metrics_file  (DigithekConfig  *self,
                                                       const char      *path);

/* Whether QR codes point at the items' web pages or at the kiosk's own handoff server. */
typedef enum
{
  DIGITHEK_HANDOFF_MODE_WEB,    /* the item's `web` URL; the local page only without one */
  DIGITHEK_HANDOFF_MODE_LOCAL,  /* always the kiosk's own page */
} DigithekHandoffMode;

DigithekHandoffMode digithek_config_get_handoff_mode     (DigithekConfig *self);
/* (nullable): `ADDRESS:PORT` the handoff server listens on; %NULL: no server. */
const char         *digithek_config_get_handoff_listen   (DigithekConfig *self);
/* (nullable): the base URL phones reach the handoff server by. */
const char         *digithek_config_get_handoff_base_url (DigithekConfig *self);

/* (nullable): the staff PIN's Argon2id hash, written by `digithek --set-pin`. */
const char         *digithek_config_get_pin_hash         (DigithekConfig *self);

/* The per-user default store: $XDG_DATA_HOME/digithek/store.db. */
char               *digithek_config_default_store_path (void);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "digithek-store.h"

G_BEGIN_DECLS

#define DIGITHEK_HANDOFF_ERROR (digithek_handoff_error_quark ())

typedef enum
{
  DIGITHEK_HANDOFF_ERROR_INVALID_ADDRESS,  /* the listen address is not ADDRESS:PORT */
  DIGITHEK_HANDOFF_ERROR_INVALID_BASE_URL, /* the base URL is not an http(s) URL */
  DIGITHEK_HANDOFF_ERROR_LISTEN,           /* the socket could not be bound */
} DigithekHandoffError;

GQuark digithek_handoff_error_quark (void);

/* Port used when the listen address names none. */
#define DIGITHEK_HANDOFF_DEFAULT_PORT 8088

/* Default per-client limit: a phone loading one page with its images stays far below. */
#define DIGITHEK_HANDOFF_DEFAULT_RATE  20.0 /* requests per second, refilled */
#define DIGITHEK_HANDOFF_DEFAULT_BURST 40   /* requests at once */

/* Largest request line URI and header block accepted; requests with a body are
 * refused whatever their size (the server only reads). */
#define DIGITHEK_HANDOFF_MAX_REQUEST 8192

/* Dataset pages show at most this many rows: the first and the last half. */
#define DIGITHEK_HANDOFF_MAX_TABLE_ROWS 500

/*
 * The phone page server.
 *
 * URLs (all GET or HEAD; everything else is 405):
 *   /i/PACK/ITEM            an item of an installed pack, in the kiosk's default language
 *   /i/PACK/ITEM?lang=en    the same in another of the pack's languages
 *   /i/PACK/ITEM#step-2     a guide's step: every step is a <section id="step-N">,
 *                           N counting from 1, whatever the language
 *   /asset/SHA256           an image (item or step image) of an item page served before
 *                           whose item is still installed
 * Anything else is 404: there is no index, no status, no admin and no store access.
 * Pages carry no scripts, cookies or external requests (see the headers in the .c);
 * nothing a citizen opens is logged.
 */
#define DIGITHEK_TYPE_HANDOFF (digithek_handoff_get_type ())
G_DECLARE_FINAL_TYPE (DigithekHandoff, digithek_handoff, DIGITHEK, HANDOFF, GObject)

/**
 * digithek_handoff_new:
 * @store: the store pages are rendered from
 * @listen: (nullable): `ADDRESS:PORT`, `[IPV6]:PORT`, `ADDRESS` or `:PORT`; an empty
 *   address or %NULL means every interface, a missing port
 *   %DIGITHEK_HANDOFF_DEFAULT_PORT, port 0 a free port (tests)
 * @base_url: (nullable): the `http(s)://HOST[:PORT][/PREFIX]` phones reach the server
 *   by (a venue's DNS name or the kiosk's address on the venue network); %NULL derives
 *   it from the listen address once listening, which only suits a specific address
 * @default_language: (nullable): language of pages without `?lang=`; %NULL for "de"
 * @error: return location for a #GError
 *
 * Checks the configuration; digithek_handoff_start() then listens.
 *
 * Returns: (transfer full): the server, or %NULL with @error set
 */
DigithekHandoff *digithek_handoff_new            (DigithekStore   *store,
                                                  const char      *listen,
                                                  const char      *base_url,
                                                  const char      *default_language,
                                                  GError         **error);

/**
 * digithek_handoff_start:
 *
 * Binds the socket and serves in the thread-default main context of the caller (run it
 * on a thread of its own to keep a flood of requests away from the UI's frame clock).
 *
 * Returns: %TRUE when listening, else %FALSE with @error set
 *   (%DIGITHEK_HANDOFF_ERROR_LISTEN)
 */
gboolean         digithek_handoff_start          (DigithekHandoff *self,
                                                  GError         **error);
/* Closes the socket and every connection. Safe to call when not started. */
void             digithek_handoff_stop           (DigithekHandoff *self);

/* The port listened on (useful with port 0), or 0 when not listening. */
guint16          digithek_handoff_get_port       (DigithekHandoff *self);
/* (nullable): the base URL without a trailing "/"; %NULL before start when derived. */
const char      *digithek_handoff_get_base_url   (DigithekHandoff *self);

/* Per-client token bucket (by remote address): @rate requests per second refill a
 * bucket of @burst; an empty bucket answers 429. @rate 0 turns the limit off. */
void             digithek_handoff_set_rate_limit (DigithekHandoff *self,
                                                  double           rate,
                                                  guint            burst);

/**
 * digithek_handoff_item_url:
 * @pack_id: an installed pack
 * @item_id: an item in it
 * @step: a guide's step counting from 1, or 0 for the item as a whole
 * @language: (nullable): the page's language; %NULL for the server's default
 *
 * Returns: (transfer full) (nullable): the public URL of the item's page, e.g.
 *   `http://192.168.10.5:8088/i/e-government/online-ausweis?lang=en#step-2`, or %NULL
 *   when the base URL is not known yet or an id is not valid
 */
char            *digithek_handoff_item_url       (DigithekHandoff *self,
                                                  const char      *pack_id,
                                                  const char      *item_id,
                                                  guint            step,
                                                  const char      *language);

/**
 * digithek_handoff_url_for_item:
 * @handoff: (nullable): the running server, or %NULL when there is none
 * @item: (nullable): the item's manifest object (#DigithekStoreItem.manifest_json,
 *   parsed once by whoever shows the item)
 * @pack_id: the item's pack
 * @item_id: the item
 * @step: the guide step shown, counting from 1, or 0
 * @language: (nullable): the language shown
 * @prefer_local: %TRUE when the config says `handoff = local`
 *
 * Decides where the "continue on your phone" code points: the item's `web` URL; for a
 * guide step, its `web_step` with `{step}` replaced when the pack has one; the local
 * handoff page when the item has no `web` URL (or only one that is not http(s)) or
 * @prefer_local is set. A web URL is returned with non-ASCII characters
 * percent-encoded as UTF-8 and an internationalised host name in its ASCII form, so
 * every phone reads the same address.
 *
 * Returns: (transfer full) (nullable): the URL, or %NULL when there is none to offer
 *   (no web URL and no handoff server)
 */
char            *digithek_handoff_url_for_item   (DigithekHandoff *handoff,
                                                  JsonObject      *item,
                                                  const char      *pack_id,
                                                  const char      *item_id,
                                                  guint            step,
                                                  const char      *language,
                                                  gboolean         prefer_local);

/**
 * digithek_handoff_normalize_url:
 * @url: an http(s) URL as a pack author typed it
 *
 * Returns: (transfer full) (nullable): @url with non-ASCII percent-encoded (reserved
 *   characters and existing escapes kept) and the host in ASCII (punycode), or %NULL
 *   when it is not an http(s) URL
 */
char            *digithek_handoff_normalize_url  (const char      *url);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * What the phone page server's files share (kiosk/handoff/):
 *   digithek-handoff.c           the object, the listener, rate limit and routing
 *   digithek-handoff-request.c   a request waiting for the store, and the responses
 *   digithek-handoff-page.c      an item's page as HTML
 *   digithek-handoff-manifest.c  reading an item's manifest JSON
 *   digithek-handoff-url.c       the URLs a QR code points at
 * Everything runs in the thread-default main context of digithek_handoff_start().
 */

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "digithek-handoff.h"
#include "digithek-json.h"

G_BEGIN_DECLS

struct _DigithekHandoff
{
  GObject        parent_instance;

  /* owned */
  DigithekStore *store;
  SoupServer    *server;
  GCancellable  *cancellable;
  GInetAddress  *listen_address; /* %NULL: every interface */
  guint16        listen_port;
  guint16        port;
  char          *base_url;       /* no trailing "/"; %NULL until derived */
  gboolean       derive_base_url;
  char          *default_language;
  double         rate;
  guint          burst;
  GHashTable    *buckets;        /* remote address → Bucket */
  GHashTable    *assets;         /* image sha256 → "pack/item" whose page showed it */
  GHashTable    *markdown;       /* "LEVEL:sha256" → HTML */
};

/* One GET or HEAD of a page or an image, waiting for the store. */
typedef struct
{
  DigithekHandoff   *self;
  SoupServerMessage *msg;
  gboolean           gone;        /* the connection finished before the answer */
  gulong             finished_id;
  guint              pending;     /* store calls in flight */

  char              *pack_id;
  char              *item_id;
  char              *language;    /* asked for */
  char              *asset;       /* asset requests: the hash */

  DigithekStoreItem     *item;
  JsonObject            *manifest;
  DigithekStorePackInfo *pack;
  DigithekStoreDataset  *dataset;
  GHashTable            *texts;   /* sha256 → GBytes of Markdown */
  GPtrArray             *stops;   /* DigithekStoreItem or NULL, by stop */
} DigithekHandoffRequest;

/* digithek-handoff-request.c */
void                    digithek_handoff_add_common_headers (SoupServerMessage      *msg);
void                    digithek_handoff_respond_error      (SoupServerMessage      *msg,
                                                             guint                   status,
                                                             const char             *text);
void                    digithek_handoff_respond_not_found  (SoupServerMessage      *msg);
/* Pauses @msg until the store has answered. */
DigithekHandoffRequest *digithek_handoff_request_new        (DigithekHandoff        *self,
                                                             SoupServerMessage      *msg);
void                    digithek_handoff_request_free       (DigithekHandoffRequest *request);
void                    digithek_handoff_request_done       (DigithekHandoffRequest *request);
void                    digithek_handoff_request_fail       (DigithekHandoffRequest *request,
                                                             GError                 *error);
/* /i/PACK/ITEM: the item, its pack and whatever its page shows, then the page. */
void                    digithek_handoff_serve_page         (DigithekHandoff        *self,
                                                             SoupServerMessage      *msg,
                                                             const char             *pack_id,
                                                             const char             *item_id,
                                                             const char             *language);
/* /asset/SHA256: the image, while the item whose page showed it still shows it. */
void                    digithek_handoff_serve_asset        (DigithekHandoff        *self,
                                                             SoupServerMessage      *msg,
                                                             const char             *sha256,
                                                             const char             *owner);

/* digithek-handoff-page.c */
char                   *digithek_handoff_render_page        (DigithekHandoffRequest *request);

/* digithek-handoff-manifest.c */
gboolean                digithek_handoff_is_sha256          (const char             *text);
void                    digithek_handoff_collect_images     (JsonObject             *item,
                                                             GHashTable             *set);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "digithek-store.h"
#include "digithek-sync.h"

G_BEGIN_DECLS

/*
 * USB sticks for staff: importing content from a channel folder on a stick (for kiosks
 * without a network, or to hurry an update) and exporting the feedback counts onto one.
 *
 * Removable media are the mounts under /media, /run/media and /mnt (where udisks, a
 * desktop or an admin mounts a stick), in path order. The environment variable
 * DIGITHEK_USB_ROOTS, a colon-separated list of folders, replaces them: tests use it,
 * and so can a setup that mounts sticks elsewhere.
 *
 * A channel folder is one that holds index.json and index.json.sig, as
 * `digithek-pack publish` writes it; it is looked for at each mount's root and one level
 * down. Importing is the ordinary folder sync (content/digithek-sync.h): the same
 * signature, serial, expiry and hash checks with the config's trusted keys.
 */

#define DIGITHEK_USB_ERROR (digithek_usb_error_quark ())

typedef enum
{
  DIGITHEK_USB_ERROR_NO_MEDIA,    /* no removable medium is mounted */
  DIGITHEK_USB_ERROR_NO_CHANNEL,  /* media, but no channel folder on them */
  DIGITHEK_USB_ERROR_FAILED,      /* writing to the medium failed */
} DigithekUsbError;

GQuark digithek_usb_error_quark (void);

/* The environment variable that overrides the mount search. */
#define DIGITHEK_USB_ROOTS_ENV "DIGITHEK_USB_ROOTS"

/**
 * digithek_usb_list_media:
 *
 * Returns: (transfer full): the mount folders of removable media now, in order (the
 *   DIGITHEK_USB_ROOTS folders that exist, else the mounts under /media, /run/media and
 *   /mnt); empty when there is none
 */
GStrv digithek_usb_list_media    (void);

/**
 * digithek_usb_find_channels:
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the channel folders on the media, sorted; or %NULL with
 *   %DIGITHEK_USB_ERROR_NO_MEDIA or %DIGITHEK_USB_ERROR_NO_CHANNEL
 */
GStrv digithek_usb_find_channels (GError    **error);

/* What an import did with one channel folder: exactly one of @result and @error is set. */
typedef struct
{
  char               *folder;
  DigithekSyncResult *result;
  GError             *error;   /* the sync's error: bad signature, expired, older serial… */
} DigithekUsbImport;

void digithek_usb_import_free (DigithekUsbImport *import);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekUsbImport, digithek_usb_import_free)

/**
 * digithek_usb_import_async:
 * @store: the store to install into
 * @trusted_keys: %NULL-terminated keys, as digithek_sync_new() takes them
 * @staging_dir: (nullable): where downloads wait; %NULL for `STORE.usb-staging` beside
 *   the store's file (not the network sync's staging, so both may run at once)
 *
 * Syncs from every channel folder on the media, one after the other, on a worker thread.
 * Each run writes the sync meta keys as a network sync does (sync.channel then names the
 * folder). Nothing installed is lost when a folder is refused.
 */
void       digithek_usb_import_async  (DigithekStore        *store,
                                       const char * const   *trusted_keys,
                                       const char           *staging_dir,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
/* Returns: (transfer full) (element-type DigithekUsbImport): one entry per folder, or
 * %NULL with %DIGITHEK_USB_ERROR_NO_MEDIA or %DIGITHEK_USB_ERROR_NO_CHANNEL. */
GPtrArray *digithek_usb_import_finish (GAsyncResult         *result,
                                       GError              **error);

/**
 * digithek_usb_write_file:
 * @name: a file name (no folder)
 * @contents: what to write
 * @length: its length, or -1 for a string
 * @error: return location for a #GError
 *
 * Writes @name onto the first removable medium, atomically (a temporary file renamed
 * over it), replacing a file of that name.
 *
 * Returns: (transfer full): the path written, or %NULL with %DIGITHEK_USB_ERROR_NO_MEDIA
 *   or %DIGITHEK_USB_ERROR_FAILED (the message names the path)
 */
char      *digithek_usb_write_file    (const char           *name,
                                       const char           *contents,
                                       gssize                length,
                                       GError              **error);

/* The feedback export's file name for @when (nullable: today), local date:
 * `digithek-feedback-YYYY-MM-DD.csv`. */
char      *digithek_usb_feedback_file_name (GDateTime       *when);

/* digithek_usb_write_file() on a worker thread (a stick can be slow); @contents is
 * copied. Finish returns: (transfer full): the path written, or %NULL with @error. */
void       digithek_usb_write_file_async  (const char          *name,
                                           const char          *contents,
                                           gssize               length,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
char      *digithek_usb_write_file_finish (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS

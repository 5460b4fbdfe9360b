/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private: the one way for a headless caller (the command line, a sync thread, a test)
 * to run a store job and wait for it. The store's API is asynchronous only; the kiosk's
 * main thread never waits on it.
 *
 *   g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();
 *
 *   digithek_store_wait_begin (wait);
 *   digithek_store_get_meta_async (store, key, cancellable, digithek_store_wait_cb, wait);
 *   value = digithek_store_get_meta_finish (store, digithek_store_wait_end (wait), &error);
 *
 * begin() makes a private main context the thread's default, so the job's callback
 * comes back to this thread and to nothing else; end() iterates that context until the
 * result arrives and restores the thread's default. A wait can be used again. */

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _DigithekStoreWait DigithekStoreWait;

DigithekStoreWait *digithek_store_wait_new   (void);
void               digithek_store_wait_free  (DigithekStoreWait *wait);
void               digithek_store_wait_begin (DigithekStoreWait *wait);
/* The #GAsyncReadyCallback to pass to the job, with @wait as its user data. */
void               digithek_store_wait_cb    (GObject           *source_object,
                                              GAsyncResult      *result,
                                              gpointer           user_data);
/* Returns: (transfer none): the job's result, valid until the next begin() or free(). */
GAsyncResult      *digithek_store_wait_end   (DigithekStoreWait *wait);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekStoreWait, digithek_store_wait_free)

G_END_DECLS

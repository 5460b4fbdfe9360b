/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-store-wait.h"

struct _DigithekStoreWait
{
  GMainContext *context;
  GAsyncResult *result;
  gboolean      waiting;
};

DigithekStoreWait *
digithek_store_wait_new (void)
{
  DigithekStoreWait *wait = g_new0 (DigithekStoreWait, 1);

  wait->context = g_main_context_new ();
  return wait;
}

void
digithek_store_wait_free (DigithekStoreWait *wait)
{
  if (wait == NULL)
    return;
  g_return_if_fail (!wait->waiting);
  g_clear_object (&wait->result);
  g_main_context_unref (wait->context);
  g_free (wait);
}

void
digithek_store_wait_begin (DigithekStoreWait *wait)
{
  g_return_if_fail (wait != NULL);
  g_return_if_fail (!wait->waiting);

  g_clear_object (&wait->result);
  wait->waiting = TRUE;
  g_main_context_push_thread_default (wait->context);
}

void
digithek_store_wait_cb (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  DigithekStoreWait *wait = user_data;

  g_set_object (&wait->result, result);
}

GAsyncResult *
digithek_store_wait_end (DigithekStoreWait *wait)
{
  g_return_val_if_fail (wait != NULL, NULL);
  g_return_val_if_fail (wait->waiting, NULL);

  while (wait->result == NULL)
    g_main_context_iteration (wait->context, TRUE);
  g_main_context_pop_thread_default (wait->context);
  wait->waiting = FALSE;
  return wait->result;
}

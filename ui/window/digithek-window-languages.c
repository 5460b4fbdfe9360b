/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "digithek-json.h"

#include "digithek-window-private.h"



/* Languages ----------------------------------------------------------------- */

void
_digithek_window_update_out_of_service_texts (DigithekWindow *self)
{
  g_autofree char *escaped = NULL;
  g_autofree char *description = NULL;

  adw_status_page_set_title (self->out_of_service_page, _("Temporarily out of service"));
  /* The reason may quote content or paths: never markup. */
  escaped = g_markup_escape_text (self->out_of_service_reason != NULL
                                    ? self->out_of_service_reason : "", -1);
  description = g_strdup_printf ("%s\n\n<small>%s</small>",
                                 _("Please try again later or ask our staff."), escaped);
  adw_status_page_set_description (self->out_of_service_page, description);
}

/* "Leichte Sprache" is offered where the content shown has it: the item's texts, or
 * on home any installed pack's. */
void
_digithek_window_update_language_switch (DigithekWindow *self)
{
  digithek_language_switch_set_offer_easy (self->language_switch,
                                           self->current_item != NULL ? self->item_has_easy
                                                                      : self->home_has_easy);
}

gboolean
_digithek_window_item_has_easy_texts (JsonObject *manifest)
{
  JsonObject *title = digithek_json_get_object (manifest, "title");

  return title != NULL && json_object_has_member (title, "de-x-easy");
}

static void
packs_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DigithekWindow *self = user_data;
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GError) error = NULL;

  packs = digithek_store_list_packs_finish (DIGITHEK_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (packs == NULL)
    {
      g_debug ("Cannot list the packs' languages: %s", error->message);
      return;
    }
  self->home_has_easy = FALSE;
  for (guint i = 0; i < packs->len; i++)
    {
      DigithekStorePackInfo *info = g_ptr_array_index (packs, i);

      if (info->languages != NULL &&
          g_strv_contains ((const char * const *) info->languages, "de-x-easy"))
        self->home_has_easy = TRUE;
    }
  _digithek_window_update_language_switch (self);
}

void
_digithek_window_update_home_has_easy (DigithekWindow *self)
{
  g_cancellable_cancel (self->packs_cancellable);
  g_clear_object (&self->packs_cancellable);
  if (self->store == NULL)
    {
      self->home_has_easy = FALSE;
      _digithek_window_update_language_switch (self);
      return;
    }
  self->packs_cancellable = g_cancellable_new ();
  digithek_store_list_packs_async (self->store, NULL, self->packs_cancellable,
                                   packs_listed_cb, self);
}

/* Where the citizen is in the item shown, for its re-render in another language. */
void
_digithek_window_remember_position (DigithekWindow *self)
{
  GtkWidget *view = adw_bin_get_child (self->item_bin);
  DigithekItemView *inner;
  const char *inner_id = NULL;

  g_clear_pointer (&self->restore_item, g_free);
  g_clear_pointer (&self->restore_stop, g_free);
  if (self->current_item == NULL || view == NULL)
    return;

  self->restore_item = g_strdup (self->current_item);
  self->restore_position = 0;
  if (!DIGITHEK_IS_ITEM_VIEW (view))
    return;
  self->restore_position = digithek_item_view_get_position (DIGITHEK_ITEM_VIEW (view));
  /* A tour: the step of the stop shown too. */
  inner = digithek_item_view_get_inner_view (DIGITHEK_ITEM_VIEW (view), &inner_id);
  if (inner != NULL)
    {
      self->restore_stop = g_strdup (inner_id);
      self->restore_stop_step = digithek_item_view_get_position (inner);
    }
}

void
_digithek_window_restore_position (DigithekWindow *self,
                  GtkWidget      *view,
                  const char     *id)
{
  if (self->restore_item == NULL || g_strcmp0 (id, self->restore_item) != 0)
    return;
  g_clear_pointer (&self->restore_item, g_free);
  digithek_item_view_set_position (DIGITHEK_ITEM_VIEW (view), self->restore_position);
}

DigithekLanguageSwitch *
digithek_window_get_language_switch (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return self->language_switch;
}

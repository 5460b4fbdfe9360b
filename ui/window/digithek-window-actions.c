/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"


#include "digithek-window-private.h"



/* The "view.*" actions: the views and the bar activate them (gtk_widget_activate_action
 * or action-name in the templates), so that nothing below the window includes it. */
static void
open_item_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  digithek_window_open_item (DIGITHEK_WINDOW (widget), g_variant_get_string (parameter, NULL));
}


static void
show_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DigithekWindow *self = DIGITHEK_WINDOW (widget);
  const char *uri = NULL;
  const char *label = NULL;

  g_variant_get (parameter, "(&s&s)", &uri, &label);
  if (!digithek_qr_overlay_open (self->link_overlay, uri, label, self->language))
    g_debug ("Link %s has no code to show", uri);
  _digithek_window_update_actions (self);
}


static void
close_link_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  _digithek_window_close_link (DIGITHEK_WINDOW (widget));
}


static void
navigate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DigithekWindow *self = DIGITHEK_WINDOW (widget);

  if (g_str_equal (action_name, "view.back"))
    digithek_window_go_back (self);
  else if (g_str_equal (action_name, "view.home"))
    digithek_window_go_home (self);
  else if (g_str_equal (action_name, "view.next"))
    digithek_window_next (self);
  else if (g_str_equal (action_name, "view.previous"))
    digithek_window_previous (self);
}


/* search */
static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  digithek_window_search (DIGITHEK_WINDOW (widget), NULL);
}


static void
end_tour_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  digithek_window_end_tour (DIGITHEK_WINDOW (widget));
}


static void
guided_pin_cb (DigithekWindow *self,
               gboolean        granted,
               gpointer        user_data)
{
  g_autofree char *id = user_data;

  if (granted)
    digithek_window_start_tour (self, id);
}


/* The tour view's "Start guided tour": only with the staff PIN. */
static void
start_guided_tour_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  DigithekWindow *self = DIGITHEK_WINDOW (widget);

  if (self->current_item == NULL || self->guided_tour != NULL)
    return;
  digithek_window_request_pin (self, guided_pin_cb, g_strdup (self->current_item));
}

/* "(ss)": plain text and its language. From a DigithekReadAloudButton. */
static void
read_aloud_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  const char *text = NULL;
  const char *language = NULL;

  g_variant_get (parameter, "(&s&s)", &text, &language);
  digithek_window_read_aloud (DIGITHEK_WINDOW (widget), text,
                              *language != '\0' ? language : NULL, NULL);
}

static void
stop_read_aloud_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  digithek_window_stop_read_aloud (DIGITHEK_WINDOW (widget));
}

void
_digithek_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "view.open-item", "s", open_item_action);
  gtk_widget_class_install_action (widget_class, "view.back", NULL, navigate_action);
  gtk_widget_class_install_action (widget_class, "view.home", NULL, navigate_action);
  gtk_widget_class_install_action (widget_class, "view.next", NULL, navigate_action);
  gtk_widget_class_install_action (widget_class, "view.previous", NULL, navigate_action);
  /* A tapped Markdown link ("(uri, label)") shows its code; Escape closes it. */
  gtk_widget_class_install_action (widget_class, "view.show-link", "(ss)", show_link_action);
  gtk_widget_class_install_action (widget_class, "view.close-link", NULL, close_link_action);
  gtk_widget_class_install_action (widget_class, "view.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "view.close-link", NULL);
  /* Guided tours: the tour view's "Start guided tour" asks for the staff PIN. */
  gtk_widget_class_install_action (widget_class, "view.end-tour", NULL, end_tour_action);
  gtk_widget_class_install_action (widget_class, "view.start-guided-tour", NULL,
                                   start_guided_tour_action);
  /* a11y: the read-aloud buttons of the views. */
  gtk_widget_class_install_action (widget_class, "view.read-aloud", "(ss)", read_aloud_action);
  gtk_widget_class_install_action (widget_class, "view.stop-read-aloud", NULL,
                                   stop_read_aloud_action);
}

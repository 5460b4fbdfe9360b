/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "digithek-window.h"

#define N_KINDS 4

struct _DigithekWindow
{
  AdwApplicationWindow parent_instance;

  /* template widgets */
  AdwHeaderBar  *header_bar;
  GtkStack      *stack;
  GtkBox        *groups_box;
  AdwStatusPage *out_of_service_page;

  /* owned: one list per kind while the home view is being built */
  GtkListBox    *lists[N_KINDS];
  guint          n_items;
};

G_DEFINE_FINAL_TYPE (DigithekWindow, digithek_window, ADW_TYPE_APPLICATION_WINDOW)

static const char *
kind_heading (DigithekItemKind kind)
{
  switch (kind)
    {
    case DIGITHEK_ITEM_DATASET:
      return _("Open data");
    case DIGITHEK_ITEM_EXPLAINER:
      return _("Smart-city projects");
    case DIGITHEK_ITEM_GUIDE:
      return _("E-government guides");
    case DIGITHEK_ITEM_TOUR:
      return _("Tours");
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
digithek_window_class_init (DigithekWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, groups_box);
  gtk_widget_class_bind_template_child (widget_class, DigithekWindow, out_of_service_page);
}

static void
digithek_window_init (DigithekWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "digithek");
}

DigithekWindow *
digithek_window_new (AdwApplication *application)
{
  return g_object_new (DIGITHEK_TYPE_WINDOW, "application", application, NULL);
}

void
digithek_window_set_kiosk_mode (DigithekWindow *self,
                                gboolean        kiosk_mode)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  /* Citizens get no close, minimize or maximize buttons. */
  adw_header_bar_set_show_start_title_buttons (self->header_bar, !kiosk_mode);
  adw_header_bar_set_show_end_title_buttons (self->header_bar, !kiosk_mode);
  gtk_window_set_deletable (GTK_WINDOW (self), !kiosk_mode);
  if (kiosk_mode)
    gtk_window_fullscreen (GTK_WINDOW (self));
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
}

void
digithek_window_show_loading (DigithekWindow *self)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));
  gtk_stack_set_visible_child_name (self->stack, "loading");
}

void
digithek_window_show_out_of_service (DigithekWindow *self,
                                     const char     *reason)
{
  g_autofree char *description = NULL;

  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  description = g_strdup_printf ("%s\n\n<small>%s</small>",
                                 _("Please try again later or ask our staff."),
                                 reason != NULL ? reason : "");
  adw_status_page_set_description (self->out_of_service_page, description);
  gtk_stack_set_visible_child_name (self->stack, "out-of-service");
}

void
digithek_window_begin_home (DigithekWindow *self)
{
  GtkWidget *child;

  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box))) != NULL)
    gtk_box_remove (self->groups_box, child);

  for (guint i = 0; i < N_KINDS; i++)
    {
      GtkWidget *heading = gtk_label_new (kind_heading (i));
      GtkWidget *list = gtk_list_box_new ();

      gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
      gtk_widget_add_css_class (heading, "group-title");
      gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, kind_heading (i),
                                      -1);
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_widget_set_visible (heading, FALSE);
      gtk_widget_set_visible (list, FALSE);
      gtk_box_append (self->groups_box, heading);
      gtk_box_append (self->groups_box, list);
      self->lists[i] = GTK_LIST_BOX (list);
    }
  self->n_items = 0;
}

void
digithek_window_add_home_item (DigithekWindow  *self,
                               DigithekItemKind kind,
                               const char      *pack_id,
                               const char      *item_id,
                               const char      *title,
                               const char      *summary)
{
  GtkWidget *row;
  GtkWidget *list;

  g_return_if_fail (DIGITHEK_IS_WINDOW (self));
  g_return_if_fail ((guint) kind < N_KINDS);
  g_return_if_fail (self->lists[kind] != NULL);

  list = GTK_WIDGET (self->lists[kind]);
  row = adw_action_row_new ();
  gtk_widget_add_css_class (row, "item-row");
  /* Content comes from packs: never interpret it as Pango markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : item_id);
  if (summary != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_set_name (row, item_id);
  g_object_set_data_full (G_OBJECT (row), "digithek-item",
                          g_strdup_printf ("%s/%s", pack_id, item_id), g_free);
  gtk_list_box_append (GTK_LIST_BOX (list), row);

  gtk_widget_set_visible (list, TRUE);
  gtk_widget_set_visible (gtk_widget_get_prev_sibling (list), TRUE);
  self->n_items++;
}

void
digithek_window_end_home (DigithekWindow *self)
{
  g_return_if_fail (DIGITHEK_IS_WINDOW (self));

  for (guint i = 0; i < N_KINDS; i++)
    self->lists[i] = NULL;
  gtk_stack_set_visible_child_name (self->stack, self->n_items > 0 ? "home" : "empty");
}

const char *
digithek_window_get_view (DigithekWindow *self)
{
  g_return_val_if_fail (DIGITHEK_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

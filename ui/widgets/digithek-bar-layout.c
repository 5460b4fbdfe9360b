/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "digithek-bar-layout.h"

struct _DigithekBarLayout
{
  GtkLayoutManager parent_instance;
};

G_DEFINE_FINAL_TYPE (DigithekBarLayout, digithek_bar_layout, GTK_TYPE_LAYOUT_MANAGER)

static gboolean
is_shown (GtkWidget *child)
{
  return gtk_widget_should_layout (child);
}

static int
sum_min_widths (GtkWidget *widget)
{
  int sum = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min = 0;

      if (!is_shown (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      sum += min;
    }
  return sum;
}

static void
digithek_bar_layout_measure (GtkLayoutManager *manager,
                             GtkWidget        *widget,
                             GtkOrientation    orientation,
                             int               for_size,
                             int              *minimum,
                             int              *natural,
                             int              *minimum_baseline,
                             int              *natural_baseline)
{
  gboolean stacked = orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0 &&
                     for_size < sum_min_widths (widget);

  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min = 0;
      int child_nat = 0;

      if (!is_shown (child))
        continue;
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          /* As narrow as the widest child (then stacked), as wide as all in a row. */
          gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          *minimum = MAX (*minimum, child_min);
          *natural += child_nat;
        }
      else if (stacked)
        {
          gtk_widget_measure (child, orientation, for_size, &child_min, &child_nat, NULL, NULL);
          *minimum += child_min;
          *natural += child_nat;
        }
      else
        {
          gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
    }
  *minimum_baseline = *natural_baseline = -1;
}

static void
digithek_bar_layout_allocate (GtkLayoutManager *manager,
                              GtkWidget        *widget,
                              int               width,
                              int               height,
                              int               baseline)
{
  int sum_min = sum_min_widths (widget);
  int extra = MAX (0, width - sum_min);
  int x = width;
  int y = 0;
  GtkWidget *first;

  if (width < sum_min)
    {
      /* Stacked: each child the full width, one below the other. */
      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int child_height = 0;

          if (!is_shown (child))
            continue;
          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, NULL, &child_height,
                              NULL, NULL);
          gtk_widget_size_allocate (child, &(GtkAllocation) { 0, y, width, child_height }, -1);
          y += child_height;
        }
      return;
    }

  /* One row, placed from the right: every child after the first gets up to its natural
   * width, the first (the bar with Back and Home) what is left, so the last ends flush
   * right. */
  for (first = gtk_widget_get_first_child (widget);
       first != NULL && !is_shown (first);
       first = gtk_widget_get_next_sibling (first))
    ;
  for (GtkWidget *child = gtk_widget_get_last_child (widget);
       child != NULL && child != first;
       child = gtk_widget_get_prev_sibling (child))
    {
      int child_min = 0;
      int child_nat = 0;
      int grow;

      if (!is_shown (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, &child_nat,
                          NULL, NULL);
      grow = MIN (extra, child_nat - child_min);
      extra -= grow;
      x -= child_min + grow;
      gtk_widget_size_allocate (child, &(GtkAllocation) { x, 0, child_min + grow, height }, -1);
    }
  if (first != NULL)
    gtk_widget_size_allocate (first, &(GtkAllocation) { 0, 0, x, height }, -1);
}

static GtkSizeRequestMode
digithek_bar_layout_get_request_mode (GtkLayoutManager *manager,
                                      GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
digithek_bar_layout_class_init (DigithekBarLayoutClass *klass)
{
  GtkLayoutManagerClass *manager_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  manager_class->get_request_mode = digithek_bar_layout_get_request_mode;
  manager_class->measure = digithek_bar_layout_measure;
  manager_class->allocate = digithek_bar_layout_allocate;
}

static void
digithek_bar_layout_init (DigithekBarLayout *self)
{
}

GtkLayoutManager *
digithek_bar_layout_new (void)
{
  return g_object_new (DIGITHEK_TYPE_BAR_LAYOUT, NULL);
}

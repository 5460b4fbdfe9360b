/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>

#include "digithek-feedback-poll.h"

struct _DigithekFeedbackPoll
{
  AdwBin parent_instance;

  /* template widgets */
  GtkStack *stack;
  GtkBox   *faces_box;

  /* owned */
  guint     satisfaction;
  guint     thanks_id;
};

G_DEFINE_FINAL_TYPE (DigithekFeedbackPoll, digithek_feedback_poll, ADW_TYPE_BIN)

enum {
  ANSWERED,
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Both languages, for screen readers as for eyes. */
static const char * const face_names[5] = {
  "1 von 5: sehr unzufrieden · 1 of 5: very dissatisfied",
  "2 von 5: unzufrieden · 2 of 5: dissatisfied",
  "3 von 5: teils, teils · 3 of 5: neutral",
  "4 von 5: zufrieden · 4 of 5: satisfied",
  "5 von 5: sehr zufrieden · 5 of 5: very satisfied",
};

/* A face from frowning (0) to beaming (4), in colours from red to green that read
 * without them too: the mouth says it. */
static void
draw_face (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        user_data)
{
  static const double colours[5][3] = {
    { 0.85, 0.25, 0.22 }, { 0.93, 0.52, 0.20 }, { 0.96, 0.78, 0.22 },
    { 0.55, 0.78, 0.30 }, { 0.22, 0.66, 0.35 },
  };
  int mood = GPOINTER_TO_INT (user_data);
  double r = MIN (width, height) / 2.0 - 4;
  double cx = width / 2.0, cy = height / 2.0;
  double curve = (mood - 2) / 2.0;   /* -1 frown … 1 smile */

  cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, colours[mood][0], colours[mood][1], colours[mood][2]);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_set_line_width (cr, MAX (2, r / 14));
  cairo_stroke (cr);

  cairo_arc (cr, cx - r * 0.35, cy - r * 0.25, r * 0.1, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_arc (cr, cx + r * 0.35, cy - r * 0.25, r * 0.1, 0, 2 * G_PI);
  cairo_fill (cr);

  cairo_set_line_width (cr, MAX (3, r / 9));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_move_to (cr, cx - r * 0.45, cy + r * 0.35 - curve * r * 0.12);
  cairo_curve_to (cr, cx - r * 0.2, cy + r * 0.35 + curve * r * 0.3,
                  cx + r * 0.2, cy + r * 0.35 + curve * r * 0.3,
                  cx + r * 0.45, cy + r * 0.35 - curve * r * 0.12);
  cairo_stroke (cr);
}

static gboolean
thanks_timeout_cb (gpointer user_data)
{
  DigithekFeedbackPoll *self = user_data;

  self->thanks_id = 0;
  g_signal_emit (self, signals[DONE], 0);
  return G_SOURCE_REMOVE;
}

void
digithek_feedback_poll_answer_satisfaction (DigithekFeedbackPoll *self,
                                            guint                 satisfaction)
{
  g_return_if_fail (DIGITHEK_IS_FEEDBACK_POLL (self));
  g_return_if_fail (satisfaction >= 1 && satisfaction <= 5);

  self->satisfaction = satisfaction;
  gtk_stack_set_visible_child_name (self->stack, "again");
}

void
digithek_feedback_poll_answer_again (DigithekFeedbackPoll *self,
                                     int                   again)
{
  guint satisfaction;

  g_return_if_fail (DIGITHEK_IS_FEEDBACK_POLL (self));

  satisfaction = self->satisfaction;
  self->satisfaction = 0;
  gtk_stack_set_visible_child_name (self->stack, "thanks");
  g_signal_emit (self, signals[ANSWERED], 0, satisfaction, again);
  g_clear_handle_id (&self->thanks_id, g_source_remove);
  self->thanks_id = g_timeout_add_seconds (DIGITHEK_FEEDBACK_POLL_THANKS_SECONDS,
                                           thanks_timeout_cb, self);
}

void
digithek_feedback_poll_finish (DigithekFeedbackPoll *self)
{
  g_return_if_fail (DIGITHEK_IS_FEEDBACK_POLL (self));

  if (self->thanks_id == 0)
    return;
  g_clear_handle_id (&self->thanks_id, g_source_remove);
  g_signal_emit (self, signals[DONE], 0);
}

static void
face_clicked_cb (GtkButton            *button,
                 DigithekFeedbackPoll *self)
{
  digithek_feedback_poll_answer_satisfaction (self, GPOINTER_TO_UINT (
    g_object_get_data (G_OBJECT (button), "satisfaction")));
}

static void
yes_clicked_cb (DigithekFeedbackPoll *self)
{
  digithek_feedback_poll_answer_again (self, 1);
}

static void
no_clicked_cb (DigithekFeedbackPoll *self)
{
  digithek_feedback_poll_answer_again (self, 2);
}

static void
digithek_feedback_poll_dispose (GObject *object)
{
  DigithekFeedbackPoll *self = DIGITHEK_FEEDBACK_POLL (object);

  g_clear_handle_id (&self->thanks_id, g_source_remove);

  G_OBJECT_CLASS (digithek_feedback_poll_parent_class)->dispose (object);
}

static void
digithek_feedback_poll_class_init (DigithekFeedbackPollClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_feedback_poll_dispose;

  /**
   * DigithekFeedbackPoll::answered:
   * @satisfaction: 1 to 5, 0 when skipped
   * @again: 0 unanswered, 1 yes, 2 no
   *
   * The group answered both questions; the thank-you shows now.
   */
  signals[ANSWERED] = g_signal_new ("answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                    G_TYPE_UINT, G_TYPE_INT);
  /**
   * DigithekFeedbackPoll::done:
   *
   * The thank-you has shown; the kiosk goes home.
   */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-feedback-poll.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekFeedbackPoll, stack);
  gtk_widget_class_bind_template_child (widget_class, DigithekFeedbackPoll, faces_box);
  gtk_widget_class_bind_template_callback (widget_class, yes_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, no_clicked_cb);
  gtk_widget_class_set_css_name (widget_class, "feedback-poll");
}

static void
digithek_feedback_poll_init (DigithekFeedbackPoll *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < 5; i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *face = gtk_drawing_area_new ();

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (face), 120);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (face), 120);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (face), draw_face, GUINT_TO_POINTER (i),
                                      NULL);
      gtk_button_set_child (GTK_BUTTON (button), face);
      gtk_widget_add_css_class (button, "face-button");
      gtk_widget_set_tooltip_text (button, face_names[i]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, face_names[i], -1);
      g_object_set_data (G_OBJECT (button), "satisfaction", GUINT_TO_POINTER (i + 1));
      g_signal_connect (button, "clicked", G_CALLBACK (face_clicked_cb), self);
      gtk_box_append (self->faces_box, button);
    }
}

GtkWidget *
digithek_feedback_poll_new (void)
{
  return g_object_new (DIGITHEK_TYPE_FEEDBACK_POLL, NULL);
}

void
digithek_feedback_poll_restart (DigithekFeedbackPoll *self)
{
  g_return_if_fail (DIGITHEK_IS_FEEDBACK_POLL (self));

  g_clear_handle_id (&self->thanks_id, g_source_remove);
  self->satisfaction = 0;
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_NONE);
  gtk_stack_set_visible_child_name (self->stack, "satisfaction");
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
}

const char *
digithek_feedback_poll_get_page (DigithekFeedbackPoll *self)
{
  g_return_val_if_fail (DIGITHEK_IS_FEEDBACK_POLL (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

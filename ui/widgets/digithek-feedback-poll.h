/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * The anonymous poll at the end of a guided tour, in German and English at once (a
 * group may speak both): "Wie zufrieden waren Sie? / How satisfied were you?" with five
 * large faces, then "Würden Sie wieder teilnehmen? / Would you take part again?" yes or
 * no, then a thank-you. It keeps nothing: the answers leave it once, through
 * DigithekFeedbackPoll::answered.
 */

#define DIGITHEK_TYPE_FEEDBACK_POLL (digithek_feedback_poll_get_type ())
G_DECLARE_FINAL_TYPE (DigithekFeedbackPoll, digithek_feedback_poll, DIGITHEK, FEEDBACK_POLL, AdwBin)

/* How long the thank-you shows before DigithekFeedbackPoll::done. */
#define DIGITHEK_FEEDBACK_POLL_THANKS_SECONDS 4

GtkWidget  *digithek_feedback_poll_new       (void);
/* Back to the first question, answers forgotten. */
void        digithek_feedback_poll_restart   (DigithekFeedbackPoll *self);
/* "satisfaction", "again" or "thanks": the page shown. */
const char *digithek_feedback_poll_get_page  (DigithekFeedbackPoll *self);
/* As the buttons do: @satisfaction 1 to 5. */
void        digithek_feedback_poll_answer_satisfaction (DigithekFeedbackPoll *self,
                                                        guint                 satisfaction);
/* As the buttons do: 1 yes, 2 no (DigithekFeedbackAgain's values). */
void        digithek_feedback_poll_answer_again        (DigithekFeedbackPoll *self,
                                                        int                   again);
/* Ends the thank-you at once, as its timer does. */
void        digithek_feedback_poll_finish    (DigithekFeedbackPoll *self);

G_END_DECLS

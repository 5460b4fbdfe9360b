/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * The presenter bar of a guided tour: "Station 2 von 6" with large Back, Next and End
 * buttons for the pilot. The buttons activate the window's `view.previous`,
 * `view.next` and `view.end-tour` actions.
 */

#define DIGITHEK_TYPE_TOUR_BAR (digithek_tour_bar_get_type ())
G_DECLARE_FINAL_TYPE (DigithekTourBar, digithek_tour_bar, DIGITHEK, TOUR_BAR, AdwBin)

GtkWidget  *digithek_tour_bar_new          (void);
/**
 * digithek_tour_bar_set_progress:
 * @stop: the stop shown, counting from 0
 * @n_stops: how many stops the tour has
 *
 * Shows "Station @stop+1 von @n_stops" (or "Stop … of …").
 */
void        digithek_tour_bar_set_progress (DigithekTourBar *self,
                                            guint            stop,
                                            guint            n_stops);
/* The language of the bar's words ("de…" German, otherwise English). */
void        digithek_tour_bar_set_language (DigithekTourBar *self,
                                            const char      *language);
/* The progress text shown, for tests. */
const char *digithek_tour_bar_get_text     (DigithekTourBar *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "digithek-store.h"

G_BEGIN_DECLS

/*
 * The attract loop between two citizens: a full-screen carousel of the items that have
 * an image, moving on by itself every few seconds, with "Berühren Sie den Bildschirm /
 * Touch to start" in both languages. It takes no input itself: the window starts a
 * fresh session on any touch.
 */

#define DIGITHEK_TYPE_ATTRACT_VIEW (digithek_attract_view_get_type ())
G_DECLARE_FINAL_TYPE (DigithekAttractView, digithek_attract_view, DIGITHEK, ATTRACT_VIEW, AdwBin)

#define DIGITHEK_ATTRACT_VIEW_MAX_SLIDES 12
/* Seconds each slide shows. */
#define DIGITHEK_ATTRACT_VIEW_INTERVAL 6

GtkWidget *digithek_attract_view_new        (void);
/* (nullable): where the slides come from. */
void       digithek_attract_view_set_store  (DigithekAttractView *self,
                                             DigithekStore       *store);
/**
 * digithek_attract_view_start:
 * @language: the language of the slides' titles
 *
 * Lists the items with images again (new content shows in the next loop), loads their
 * images off the main thread and starts moving on every few seconds while mapped.
 */
void       digithek_attract_view_start      (DigithekAttractView *self,
                                             const char          *language);
/* Stops moving on and loading; the slides stay for the next start. */
void       digithek_attract_view_stop       (DigithekAttractView *self);
/* The number of slides, and the one shown (for tests). */
guint      digithek_attract_view_get_n_slides (DigithekAttractView *self);
guint      digithek_attract_view_get_position (DigithekAttractView *self);
/* Moves to the next slide, as the timer does; wraps around. */
void       digithek_attract_view_advance    (DigithekAttractView *self);

G_END_DECLS

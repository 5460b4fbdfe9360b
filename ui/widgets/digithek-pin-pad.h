/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "digithek-pin.h"

G_BEGIN_DECLS

/*
 * The staff PIN pad: big keys 0–9, Delete, OK and Cancel; the PIN shows as dots, never
 * as digits. The digits live only in a fixed buffer inside the pad, handed to
 * digithek_pin_try_async() and wiped right after each try (and on Cancel, reset and
 * dispose); they are never logged or put into a label.
 *
 * It tells wrong tries ("Wrong PIN – 3 tries left"), the lockout with a countdown, and
 * "No PIN set" (with how to set one) when the config has no pin_hash.
 *
 * Actions (for the keys, the keyboard and tests): `pin.digit` (int 0–9), `pin.delete`,
 * `pin.ok`, `pin.cancel`.
 *
 * Signals: "unlocked" (the PIN was right; the #DigithekPin's admin session is open),
 * "cancelled" (Cancel).
 */
#define DIGITHEK_TYPE_PIN_PAD (digithek_pin_pad_get_type ())
G_DECLARE_FINAL_TYPE (DigithekPinPad, digithek_pin_pad, DIGITHEK, PIN_PAD, GtkWidget)

GtkWidget   *digithek_pin_pad_new          (void);

/* (nullable): the policy that checks tries; without one every key is disabled. */
void         digithek_pin_pad_set_pin      (DigithekPinPad *self,
                                            DigithekPin    *pin);
DigithekPin *digithek_pin_pad_get_pin      (DigithekPinPad *self);

/* Empties the entry and the message: call it each time the pad is shown. */
void         digithek_pin_pad_reset        (DigithekPinPad *self);

/* How many digits are entered (the dots shown). */
guint        digithek_pin_pad_get_n_digits (DigithekPinPad *self);
/* The message shown under the dots ("" when none), as the user reads it. */
const char  *digithek_pin_pad_get_message  (DigithekPinPad *self);
/* %TRUE while a try is being checked. */
gboolean     digithek_pin_pad_get_busy     (DigithekPinPad *self);

G_END_DECLS

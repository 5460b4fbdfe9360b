/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "digithek-clock.h"

G_BEGIN_DECLS

/*
 * The staff PIN that opens the admin view.
 *
 * The config keeps only an Argon2id hash of it (libsodium crypto_pwhash_str() with the
 * "interactive" limits: 64 MiB of memory, 2 passes). Hashing and verifying take a
 * noticeable fraction of a second on purpose, so the UI uses the _async variants, which
 * run in a GTask thread.
 *
 * A DigithekPin object holds the hash, counts wrong tries and keeps the admin session:
 *
 *   wrong tries     1 2 3 4 5 → locked 60 s; after that every further wrong try locks
 *                   again, each lock twice as long as the one before (120 s, 240 s, …,
 *                   at most DIGITHEK_PIN_MAX_LOCK seconds); the right PIN resets all.
 *   admin session   LOCKED ── right PIN ──> UNLOCKED ── 2 min without input ──> LOCKED
 *                                           └─ digithek_pin_activity() re-arms ─┘
 *
 * A PIN never appears in a log, an error message or a GTask name, and the copies this
 * module makes of one are wiped before they are freed.
 */

#define DIGITHEK_PIN_ERROR (digithek_pin_error_quark ())

typedef enum
{
  DIGITHEK_PIN_ERROR_RULES,     /* not 4 to 8 digits */
  DIGITHEK_PIN_ERROR_WRONG,     /* a valid PIN, but not this one */
  DIGITHEK_PIN_ERROR_LOCKED,    /* too many wrong tries: wait */
  DIGITHEK_PIN_ERROR_BUSY,      /* a try is still being checked */
  DIGITHEK_PIN_ERROR_NO_PIN,    /* no PIN set in the config */
  DIGITHEK_PIN_ERROR_HASH,      /* the stored hash is not an Argon2id string */
  DIGITHEK_PIN_ERROR_FAILED,    /* out of memory, libsodium unusable, a file error */
} DigithekPinError;

GQuark digithek_pin_error_quark (void);

#define DIGITHEK_PIN_MIN_DIGITS     4
#define DIGITHEK_PIN_MAX_DIGITS     8
#define DIGITHEK_PIN_FREE_TRIES     5           /* wrong tries before the first lock */
#define DIGITHEK_PIN_FIRST_LOCK     60          /* seconds */
#define DIGITHEK_PIN_MAX_LOCK       (60 * 60)   /* seconds */
#define DIGITHEK_PIN_ADMIN_TIMEOUT  (2 * 60)    /* seconds */

/* --- the PIN and its hash ------------------------------------------------------------ */

/**
 * digithek_pin_check_rules:
 * @pin: a candidate PIN
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @pin is 4 to 8 ASCII digits; otherwise %FALSE with
 *   %DIGITHEK_PIN_ERROR_RULES, whose message says what a PIN must be (never the PIN)
 */
gboolean  digithek_pin_check_rules (const char    *pin,
                                    GError       **error);

/**
 * digithek_pin_hash:
 * @pin: the new PIN, 4 to 8 digits
 * @error: return location for a #GError
 *
 * Blocks for a noticeable time (see the module comment); from the UI use
 * digithek_pin_hash_async().
 *
 * Returns: (transfer full): the `$argon2id$v=19$m=…,t=…,p=…$salt$hash` string, or %NULL
 */
char     *digithek_pin_hash        (const char    *pin,
                                    GError       **error);
void      digithek_pin_hash_async  (const char          *pin,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
char     *digithek_pin_hash_finish (GAsyncResult  *result,
                                    GError       **error);

/**
 * digithek_pin_verify:
 * @hash: a string from digithek_pin_hash()
 * @pin: the PIN typed
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @pin matches; %FALSE with %DIGITHEK_PIN_ERROR_WRONG if it does not
 *   (also when it breaks the PIN rules: those are not told apart here),
 *   %DIGITHEK_PIN_ERROR_HASH if @hash is no Argon2id string
 */
gboolean  digithek_pin_verify        (const char    *hash,
                                      const char    *pin,
                                      GError       **error);
void      digithek_pin_verify_async  (const char          *hash,
                                      const char          *pin,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  digithek_pin_verify_finish (GAsyncResult  *result,
                                      GError       **error);

/**
 * digithek_pin_set_in_config:
 * @config_path: the kiosk's ini file; created if it does not exist
 * @hash: a string from digithek_pin_hash()
 * @error: return location for a #GError
 *
 * Sets `pin_hash` in the `[kiosk]` group and keeps every other key and every comment.
 * The file is replaced atomically (a temporary file in the same folder, fsync, rename)
 * with the mode, owner and group of the old one; a new file gets mode 0640.
 *
 * Returns: %TRUE on success
 */
gboolean  digithek_pin_set_in_config (const char    *config_path,
                                      const char    *hash,
                                      GError       **error);

/* --- lockout and the admin session --------------------------------------------------- */

#define DIGITHEK_TYPE_PIN (digithek_pin_get_type ())
G_DECLARE_FINAL_TYPE (DigithekPin, digithek_pin, DIGITHEK, PIN, GObject)

/**
 * digithek_pin_new:
 * @clock: the time source (a #DigithekFakeClock in tests)
 * @hash: (nullable): the `pin_hash` from the config; %NULL: no PIN opens the admin view
 *
 * Returns: (transfer full): a PIN pad's policy, admin session locked
 */
DigithekPin *digithek_pin_new                 (DigithekClock  *clock,
                                               const char     *hash);

/**
 * digithek_pin_try_async:
 * @self: the policy
 * @pin: the PIN typed on the pad
 * @cancellable: (nullable): cancels waiting for the answer (the try still counts)
 * @callback: called on the thread-default main context of this call
 * @user_data: passed to @callback
 *
 * Checks @pin unless the pad is locked out or another try is still being checked; on
 * success the admin session unlocks. Wrong tries are counted when the answer arrives.
 */
void         digithek_pin_try_async           (DigithekPin         *self,
                                               const char          *pin,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/**
 * digithek_pin_try_finish:
 * @self: the policy
 * @result: the result
 * @error: return location for a #GError: %DIGITHEK_PIN_ERROR_WRONG,
 *   %DIGITHEK_PIN_ERROR_LOCKED (see digithek_pin_get_lock_remaining()),
 *   %DIGITHEK_PIN_ERROR_BUSY, %DIGITHEK_PIN_ERROR_NO_PIN or %DIGITHEK_PIN_ERROR_HASH
 *
 * Returns: %TRUE if the PIN was right and the admin session is now unlocked
 */
gboolean     digithek_pin_try_finish          (DigithekPin    *self,
                                               GAsyncResult   *result,
                                               GError        **error);
/* The same, blocking; for the command line and tests. */
gboolean     digithek_pin_try                 (DigithekPin    *self,
                                               const char     *pin,
                                               GError        **error);

/* Seconds (rounded up) until the pad takes tries again; 0 when it does now. */
guint        digithek_pin_get_lock_remaining  (DigithekPin    *self);
/* Whether the pad refuses tries now (#DigithekPin:locked-out, notified both ways). */
gboolean     digithek_pin_get_locked_out      (DigithekPin    *self);
/* Wrong tries since the last right one. */
guint        digithek_pin_get_failures        (DigithekPin    *self);

/* Whether the admin session is open (#DigithekPin:unlocked, notified both ways). */
gboolean     digithek_pin_get_unlocked        (DigithekPin    *self);
/* Input in the admin view: the auto-lock starts over. Ignored while locked. */
void         digithek_pin_activity            (DigithekPin    *self);
/* Leave the admin view now. */
void         digithek_pin_lock                (DigithekPin    *self);

/* (nullable): the hash set; digithek_pin_set_hash() after --set-pin or a config reload. */
const char  *digithek_pin_get_hash            (DigithekPin    *self);
void         digithek_pin_set_hash            (DigithekPin    *self,
                                               const char     *hash);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "digithek-store.h"

G_BEGIN_DECLS

/*
 * Anonymous answers to the poll at the end of a guided tour ("Wie zufrieden waren Sie?"
 * 1–5, "Würden Sie wieder teilnehmen?" yes/no), kept as counts per tour and day only.
 * An answer is added to its counts and forgotten: no time of day, no order, nothing
 * that tells one answer from another is ever stored, so neither the JSON the store
 * keeps nor the CSV export can be read back into individual answers.
 */

#define DIGITHEK_FEEDBACK_ERROR (digithek_feedback_error_quark ())

typedef enum
{
  DIGITHEK_FEEDBACK_ERROR_INVALID,   /* a bad answer, tour id, day or JSON document */
} DigithekFeedbackError;

GQuark digithek_feedback_error_quark (void);

typedef enum
{
  DIGITHEK_FEEDBACK_AGAIN_UNANSWERED,
  DIGITHEK_FEEDBACK_AGAIN_YES,
  DIGITHEK_FEEDBACK_AGAIN_NO,
} DigithekFeedbackAgain;

typedef struct
{
  guint satisfaction[5];   /* [0] counts the 1s, … [4] the 5s */
  guint again_yes;
  guint again_no;
} DigithekFeedbackCounts;

#define DIGITHEK_TYPE_FEEDBACK (digithek_feedback_get_type ())
G_DECLARE_FINAL_TYPE (DigithekFeedback, digithek_feedback, DIGITHEK, FEEDBACK, GObject)

DigithekFeedback *digithek_feedback_new        (void);

/**
 * digithek_feedback_add:
 * @self: the counts
 * @tour: the tour's `pack/item` id (or a bare item id)
 * @day: the local date the tour ended, `YYYY-MM-DD`
 * @satisfaction: 1 to 5, or 0 when the question was skipped
 * @again: the answer to "would you take part again?"
 * @error: return location for a #GError
 *
 * Counts one poll. A poll with both questions skipped counts nothing.
 *
 * Returns: %TRUE, or %FALSE with %DIGITHEK_FEEDBACK_ERROR_INVALID
 */
gboolean          digithek_feedback_add        (DigithekFeedback       *self,
                                                const char             *tour,
                                                const char             *day,
                                                guint                   satisfaction,
                                                DigithekFeedbackAgain   again,
                                                GError                **error);

/* The local date of @when (nullable: now) as `YYYY-MM-DD`, for digithek_feedback_add(). */
char             *digithek_feedback_day        (GDateTime              *when);

/* Fills @out (zeros when nothing was counted); returns whether anything was. */
gboolean          digithek_feedback_get_counts (DigithekFeedback       *self,
                                                const char             *tour,
                                                const char             *day,
                                                DigithekFeedbackCounts *out);

/* Called for each tour and day counted, sorted by tour, then day. */
typedef void (*DigithekFeedbackFunc) (const char                   *tour,
                                      const char                   *day,
                                      const DigithekFeedbackCounts *counts,
                                      gpointer                      user_data);
void              digithek_feedback_foreach    (DigithekFeedback       *self,
                                                DigithekFeedbackFunc    func,
                                                gpointer                user_data);

/* Adds every count of @other to @self, e.g. today's counts to the stored ones. */
void              digithek_feedback_merge      (DigithekFeedback       *self,
                                                DigithekFeedback       *other);

/**
 * digithek_feedback_to_json:
 * @self: the counts
 *
 * Returns: (transfer full): `{"format": 1, "counts": [{"tour", "day", "satisfaction":
 *   [n1, …, n5], "again_yes", "again_no"}, …]}`, sorted by tour and day
 */
char             *digithek_feedback_to_json    (DigithekFeedback       *self);

/**
 * digithek_feedback_new_from_json:
 * @json: what digithek_feedback_to_json() wrote
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the counts, or %NULL with %DIGITHEK_FEEDBACK_ERROR_INVALID
 */
DigithekFeedback *digithek_feedback_new_from_json (const char          *json,
                                                   GError             **error);

/**
 * digithek_feedback_to_csv:
 * @self: the counts
 *
 * Returns: (transfer full): a header `tour,day,satisfaction_1,…,satisfaction_5,
 *   again_yes,again_no` and one row per tour and day, sorted, CRLF line ends (as
 *   RFC 4180 and spreadsheet programs expect)
 */
char             *digithek_feedback_to_csv     (DigithekFeedback       *self);

/* ---- the counts kept in the store ---- */

/* The store's meta key that holds digithek_feedback_to_json() of every count so far. */
#define DIGITHEK_FEEDBACK_META_KEY "feedback.counts"

/**
 * digithek_feedback_record_async:
 * @store: the content store
 * @tour: the tour's `pack/item` id (or a bare item id)
 * @satisfaction: 1 to 5, or 0 when the question was skipped
 * @again: the answer to "would you take part again?"
 *
 * Counts one poll under today's local date and writes the counts back to @store
 * (%DIGITHEK_FEEDBACK_META_KEY): read, add, write, on a thread of its own that waits for
 * the store's worker, one record at a time. The calling thread never waits. Stored
 * counts that cannot be read are kept aside under `feedback.counts.unreadable` rather
 * than overwritten, and counting starts afresh.
 *
 * Finish returns: %TRUE, or %FALSE with %DIGITHEK_FEEDBACK_ERROR_INVALID (a bad answer)
 *   or a store error; then nothing was written
 */
void              digithek_feedback_record_async  (DigithekStore          *store,
                                                   const char             *tour,
                                                   guint                   satisfaction,
                                                   DigithekFeedbackAgain   again,
                                                   GCancellable           *cancellable,
                                                   GAsyncReadyCallback     callback,
                                                   gpointer                user_data);
gboolean          digithek_feedback_record_finish (DigithekStore          *store,
                                                   GAsyncResult           *result,
                                                   GError                **error);

/**
 * digithek_feedback_load_async:
 * @store: the content store
 *
 * Reads every count recorded in @store.
 * Finish returns: (transfer full): the counts (empty when none), or %NULL with a store
 *   error or %DIGITHEK_FEEDBACK_ERROR_INVALID when the stored counts cannot be read
 */
void              digithek_feedback_load_async    (DigithekStore          *store,
                                                   GCancellable           *cancellable,
                                                   GAsyncReadyCallback     callback,
                                                   gpointer                user_data);
DigithekFeedback *digithek_feedback_load_finish   (DigithekStore          *store,
                                                   GAsyncResult           *result,
                                                   GError                **error);

G_END_DECLS

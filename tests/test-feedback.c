/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <glib/gstdio.h>

#include "digithek-feedback.h"
#include "digithek-test-util.h"
#include "digithek-store-wait.h"
#include "store-test-util.h"

#define TOUR "smart-city-konstanz/rundgang"
#define DAY  "2026-11-27"

/* The kiosk records feedback asynchronously; a test waits for it. */
static gboolean
feedback_record (DigithekStore          *store,
                 const char             *tour,
                 guint                   satisfaction,
                 DigithekFeedbackAgain   again,
                 GError                **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_feedback_record_async (store, tour, satisfaction, again, NULL,
                                  digithek_store_wait_cb, wait);
  return digithek_feedback_record_finish (store, digithek_store_wait_end (wait), error);
}

static DigithekFeedback *
feedback_load (DigithekStore  *store,
               GError        **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();

  digithek_store_wait_begin (wait);
  digithek_feedback_load_async (store, NULL, digithek_store_wait_cb, wait);
  return digithek_feedback_load_finish (store, digithek_store_wait_end (wait), error);
}

static void
add_ok (DigithekFeedback      *feedback,
        const char            *tour,
        const char            *day,
        guint                  satisfaction,
        DigithekFeedbackAgain  again)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (digithek_feedback_add (feedback, tour, day, satisfaction, again, &error));
  g_assert_no_error (error);
}

static void
test_feedback_counts (void)
{
  g_autoptr(DigithekFeedback) feedback = digithek_feedback_new ();
  DigithekFeedbackCounts counts;

  add_ok (feedback, TOUR, DAY, 5, DIGITHEK_FEEDBACK_AGAIN_YES);
  add_ok (feedback, TOUR, DAY, 5, DIGITHEK_FEEDBACK_AGAIN_NO);
  add_ok (feedback, TOUR, DAY, 2, DIGITHEK_FEEDBACK_AGAIN_UNANSWERED);
  add_ok (feedback, TOUR, DAY, 0, DIGITHEK_FEEDBACK_AGAIN_YES);
  /* Both skipped: nothing to count. */
  add_ok (feedback, TOUR, "2026-11-28", 0, DIGITHEK_FEEDBACK_AGAIN_UNANSWERED);

  g_assert_true (digithek_feedback_get_counts (feedback, TOUR, DAY, &counts));
  g_assert_cmpuint (counts.satisfaction[0], ==, 0);
  g_assert_cmpuint (counts.satisfaction[1], ==, 1);
  g_assert_cmpuint (counts.satisfaction[4], ==, 2);
  g_assert_cmpuint (counts.again_yes, ==, 2);
  g_assert_cmpuint (counts.again_no, ==, 1);
  g_assert_false (digithek_feedback_get_counts (feedback, TOUR, "2026-11-28", &counts));
  g_assert_cmpuint (counts.satisfaction[4], ==, 0);
}

static void
test_feedback_invalid (void)
{
  g_autoptr(DigithekFeedback) feedback = digithek_feedback_new ();
  struct { const char *tour; const char *day; guint satisfaction; } bad[] = {
    { NULL, DAY, 3 }, { "", DAY, 3 }, { "Tour", DAY, 3 }, { "a/b/c", DAY, 3 },
    { "=cmd|'/c calc'!A1", DAY, 3 }, { "a,b", DAY, 3 }, { "pack/", DAY, 3 },
    { TOUR, "27.11.2026", 3 }, { TOUR, "2026-02-30", 3 }, { TOUR, "2026-11-27T10:00", 3 },
    { TOUR, NULL, 3 }, { TOUR, DAY, 6 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (digithek_feedback_add (feedback, bad[i].tour, bad[i].day,
                                             bad[i].satisfaction,
                                             DIGITHEK_FEEDBACK_AGAIN_YES, &error));
      g_assert_error (error, DIGITHEK_FEEDBACK_ERROR, DIGITHEK_FEEDBACK_ERROR_INVALID);
    }
  add_ok (feedback, "rundgang", DAY, 1, DIGITHEK_FEEDBACK_AGAIN_NO);
}

static void
test_feedback_json (void)
{
  g_autoptr(DigithekFeedback) feedback = digithek_feedback_new ();
  g_autoptr(DigithekFeedback) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  DigithekFeedbackCounts counts;
  const char *bad[] = {
    "", "[]", "{\"format\": 2, \"counts\": []}", "{\"counts\": []}",
    "{\"format\": 1, \"counts\": [{\"tour\": \"a\", \"day\": \"2026-11-27\", "
    "\"satisfaction\": [1, 2, 3, 4], \"again_yes\": 0, \"again_no\": 0}]}",
    "{\"format\": 1, \"counts\": [{\"tour\": \"a\", \"day\": \"2026-11-27\", "
    "\"satisfaction\": [1, 2, 3, 4, -5], \"again_yes\": 0, \"again_no\": 0}]}",
    "{\"format\": 1, \"counts\": [{\"tour\": \"a\", \"day\": \"2026-11-27\", "
    "\"satisfaction\": [1, 2, 3, 4, 5], \"again_yes\": 1.5, \"again_no\": 0}]}",
    "{\"format\": 1, \"counts\": [{\"tour\": \"A\", \"day\": \"2026-11-27\", "
    "\"satisfaction\": [1, 2, 3, 4, 5], \"again_yes\": 0, \"again_no\": 0}]}",
  };

  add_ok (feedback, "b-tour", DAY, 3, DIGITHEK_FEEDBACK_AGAIN_YES);
  add_ok (feedback, "a-tour", "2026-11-28", 4, DIGITHEK_FEEDBACK_AGAIN_NO);
  add_ok (feedback, "a-tour", DAY, 1, DIGITHEK_FEEDBACK_AGAIN_NO);

  json = digithek_feedback_to_json (feedback);
  /* Sorted by tour and day, so the order of answers is not kept even there. */
  g_assert_cmpstr (json, ==,
                   "{\"format\":1,\"counts\":["
                   "{\"tour\":\"a-tour\",\"day\":\"2026-11-27\",\"satisfaction\":[1,0,0,0,0],"
                   "\"again_yes\":0,\"again_no\":1},"
                   "{\"tour\":\"a-tour\",\"day\":\"2026-11-28\",\"satisfaction\":[0,0,0,1,0],"
                   "\"again_yes\":0,\"again_no\":1},"
                   "{\"tour\":\"b-tour\",\"day\":\"2026-11-27\",\"satisfaction\":[0,0,1,0,0],"
                   "\"again_yes\":1,\"again_no\":0}]}");

  loaded = digithek_feedback_new_from_json (json, &error);
  g_assert_no_error (error);
  again = digithek_feedback_to_json (loaded);
  g_assert_cmpstr (again, ==, json);

  /* Today's counts added to the stored ones. */
  digithek_feedback_merge (loaded, feedback);
  g_assert_true (digithek_feedback_get_counts (loaded, "b-tour", DAY, &counts));
  g_assert_cmpuint (counts.satisfaction[2], ==, 2);
  g_assert_cmpuint (counts.again_yes, ==, 2);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(DigithekFeedback) none = digithek_feedback_new_from_json (bad[i], &error);

      g_assert_null (none);
      g_assert_error (error, DIGITHEK_FEEDBACK_ERROR, DIGITHEK_FEEDBACK_ERROR_INVALID);
      g_clear_error (&error);
    }
}

static void
test_feedback_csv (void)
{
  g_autoptr(DigithekFeedback) feedback = digithek_feedback_new ();
  g_autofree char *csv = NULL;
  g_autofree char *empty = NULL;

  empty = digithek_feedback_to_csv (feedback);
  g_assert_cmpstr (empty, ==,
                   "tour,day,satisfaction_1,satisfaction_2,satisfaction_3,satisfaction_4,"
                   "satisfaction_5,again_yes,again_no\r\n");

  add_ok (feedback, TOUR, DAY, 5, DIGITHEK_FEEDBACK_AGAIN_YES);
  add_ok (feedback, TOUR, DAY, 4, DIGITHEK_FEEDBACK_AGAIN_YES);
  add_ok (feedback, "e-government/ausweis-tour", DAY, 3, DIGITHEK_FEEDBACK_AGAIN_NO);
  csv = digithek_feedback_to_csv (feedback);
  g_assert_cmpstr (csv, ==,
                   "tour,day,satisfaction_1,satisfaction_2,satisfaction_3,satisfaction_4,"
                   "satisfaction_5,again_yes,again_no\r\n"
                   "e-government/ausweis-tour,2026-11-27,0,0,1,0,0,0,1\r\n"
                   "smart-city-konstanz/rundgang,2026-11-27,0,0,0,1,1,2,0\r\n");
}

static void
test_feedback_day (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (3600);
  g_autoptr(GDateTime) late = g_date_time_new (tz, 2026, 11, 27, 23, 59, 59);
  g_autofree char *day = digithek_feedback_day (late);
  g_autofree char *today = digithek_feedback_day (NULL);

  g_assert_cmpstr (day, ==, "2026-11-27");
  g_assert_cmpuint (strlen (today), ==, 10);
}

static DigithekStore *
open_store (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "store.sqlite", NULL);
  DigithekStore *store = tu_store_new (path, NULL, &error);

  g_assert_no_error (error);
  return store;
}

static void
record_ok (DigithekStore         *store,
           const char            *tour,
           guint                  satisfaction,
           DigithekFeedbackAgain  again)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (feedback_record (store, tour, satisfaction, again, &error));
  g_assert_no_error (error);
}

/* Counts survive closing and reopening the store, and the stored value holds counts only. */
static void
test_feedback_store (void)
{
  g_autofree char *dir = dt_make_tmp_dir ();
  g_autofree char *today = digithek_feedback_day (NULL);
  g_autoptr(DigithekFeedback) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *expected = NULL;
  DigithekFeedbackCounts counts;

  {
    g_autoptr(DigithekStore) store = open_store (dir);

    /* Nothing recorded yet: empty counts, not an error. */
    loaded = feedback_load (store, &error);
    g_assert_no_error (error);
    g_assert_false (digithek_feedback_get_counts (loaded, TOUR, today, &counts));
    g_clear_object (&loaded);

    record_ok (store, TOUR, 5, DIGITHEK_FEEDBACK_AGAIN_YES);
    record_ok (store, TOUR, 4, DIGITHEK_FEEDBACK_AGAIN_NO);
    record_ok (store, "e-government/ausweis-tour", 1, DIGITHEK_FEEDBACK_AGAIN_UNANSWERED);
    /* Both skipped: nothing counted. */
    record_ok (store, "other-tour", 0, DIGITHEK_FEEDBACK_AGAIN_UNANSWERED);

    /* A bad answer writes nothing. */
    g_assert_false (feedback_record (store, TOUR, 6, DIGITHEK_FEEDBACK_AGAIN_YES,
                                     &error));
    g_assert_error (error, DIGITHEK_FEEDBACK_ERROR, DIGITHEK_FEEDBACK_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (feedback_record (store, "=1+1", 3, DIGITHEK_FEEDBACK_AGAIN_YES,
                                     &error));
    g_assert_error (error, DIGITHEK_FEEDBACK_ERROR, DIGITHEK_FEEDBACK_ERROR_INVALID);
    g_clear_error (&error);
    digithek_store_close (store);
  }

  {
    g_autoptr(DigithekStore) store = open_store (dir);

    loaded = feedback_load (store, &error);
    g_assert_no_error (error);
    g_assert_true (digithek_feedback_get_counts (loaded, TOUR, today, &counts));
    g_assert_cmpuint (counts.satisfaction[3], ==, 1);
    g_assert_cmpuint (counts.satisfaction[4], ==, 1);
    g_assert_cmpuint (counts.again_yes, ==, 1);
    g_assert_cmpuint (counts.again_no, ==, 1);
    g_assert_true (digithek_feedback_get_counts (loaded, "e-government/ausweis-tour", today,
                                                 &counts));
    g_assert_cmpuint (counts.satisfaction[0], ==, 1);
    g_assert_false (digithek_feedback_get_counts (loaded, "other-tour", today, &counts));

    /* Exactly the counts: no time of day, no order of answers. */
    json = tu_store_get_meta (store, DIGITHEK_FEEDBACK_META_KEY, NULL, &error);
    g_assert_no_error (error);
    expected = g_strdup_printf ("{\"format\":1,\"counts\":["
                                "{\"tour\":\"e-government/ausweis-tour\",\"day\":\"%s\","
                                "\"satisfaction\":[1,0,0,0,0],\"again_yes\":0,\"again_no\":0},"
                                "{\"tour\":\"" TOUR "\",\"day\":\"%s\","
                                "\"satisfaction\":[0,0,0,1,1],\"again_yes\":1,\"again_no\":1}]}",
                                today, today);
    g_assert_cmpstr (json, ==, expected);
    digithek_store_close (store);
  }

  dt_remove_tree (dir);
}

/* Unreadable stored counts are kept aside, not overwritten, and counting goes on. */
static void
test_feedback_store_unreadable (void)
{
  g_autofree char *dir = dt_make_tmp_dir ();
  g_autofree char *today = digithek_feedback_day (NULL);
  g_autoptr(DigithekStore) store = open_store (dir);
  g_autoptr(DigithekFeedback) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  DigithekFeedbackCounts counts;

  g_assert_true (tu_store_set_meta (store, DIGITHEK_FEEDBACK_META_KEY, "{broken",
                                    NULL, &error));
  g_assert_no_error (error);
  loaded = feedback_load (store, &error);
  g_assert_null (loaded);
  g_assert_error (error, DIGITHEK_FEEDBACK_ERROR, DIGITHEK_FEEDBACK_ERROR_INVALID);
  g_clear_error (&error);

  g_test_expect_message ("digithek-kiosk", G_LOG_LEVEL_WARNING, "*unreadable*");
  record_ok (store, TOUR, 3, DIGITHEK_FEEDBACK_AGAIN_YES);
  g_test_assert_expected_messages ();

  kept = tu_store_get_meta (store, DIGITHEK_FEEDBACK_META_KEY ".unreadable", NULL,
                            &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, "{broken");
  loaded = feedback_load (store, &error);
  g_assert_no_error (error);
  g_assert_true (digithek_feedback_get_counts (loaded, TOUR, today, &counts));
  g_assert_cmpuint (counts.satisfaction[2], ==, 1);
  g_assert_cmpuint (counts.again_yes, ==, 1);

  digithek_store_close (store);
  dt_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/feedback/counts", test_feedback_counts);
  g_test_add_func ("/kiosk/feedback/invalid", test_feedback_invalid);
  g_test_add_func ("/kiosk/feedback/json", test_feedback_json);
  g_test_add_func ("/kiosk/feedback/csv", test_feedback_csv);
  g_test_add_func ("/kiosk/feedback/day", test_feedback_day);
  g_test_add_func ("/kiosk/feedback/store", test_feedback_store);
  g_test_add_func ("/kiosk/feedback/store-unreadable", test_feedback_store_unreadable);

  return g_test_run ();
}

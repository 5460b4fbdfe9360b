/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The views on the demo packs: every item opens in its view without a warning,
 * navigation through the actions, guide steps and tour stops, and the kiosk's exported
 * D-Bus actions with their current-view strings. */

#include <signal.h>
#include <sys/wait.h>
#include <adwaita.h>

#include "digithek-dataset-view.h"
#include "digithek-explainer-view.h"
#include "digithek-guide-view.h"
#include "digithek-handoff.h"
#include "digithek-i18n.h"
#include "digithek-markdown.h"
#include "digithek-qr-card.h"
#include "digithek-pack.h"
#include "digithek-store.h"
#include "demo-test-util.h"
#include "digithek-test-util.h"
#include "digithek-tour-view.h"
#include "digithek-window.h"
#include "store-test-util.h"

typedef struct
{
  char           *dir;
  DigithekStore  *store;
  DigithekWindow *window;
  guint           boundaries;
} Fixture;

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the window shows @view (any view when %NULL) and nothing in
 * it loads any more. */
static void
wait_for_view (Fixture    *fixture,
               const char *view)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (20, timeout_cb, &timed_out);

  while (!timed_out &&
         (digithek_window_get_busy (fixture->window) ||
          (view != NULL && g_strcmp0 (digithek_window_get_view (fixture->window), view) != 0)))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);

  g_assert_false (timed_out);
  /* Let layout and drawing run once, so that a view that warns while drawing fails. */
  for (guint i = 0; i < 5 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
show_home (Fixture    *fixture,
           const char *language)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  digithek_window_set_language (fixture->window, language);
  items = tu_store_list_items (fixture->store, language, NULL, &error);
  g_assert_no_error (error);
  digithek_window_show_home (fixture->window, items);
  wait_for_view (fixture, "home");
}

static void
session_boundary_cb (DigithekWindow *window,
                     Fixture        *fixture)
{
  fixture->boundaries++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = dt_make_tmp_dir ();
  path = g_build_filename (fixture->dir, "store.db", NULL);
  fixture->store = tu_store_new (path, NULL, &error);
  g_assert_no_error (error);
  dt_import_demo_packs (fixture->store);

  fixture->window = g_object_ref_sink (digithek_window_new (NULL));
  g_signal_connect (fixture->window, "session-boundary", G_CALLBACK (session_boundary_cb), fixture);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1920, 1080);
  digithek_window_set_store (fixture->window, fixture->store);
  gtk_window_present (GTK_WINDOW (fixture->window));
  show_home (fixture, "de");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
  digithek_store_close (fixture->store);
  g_assert_finalize_object (fixture->store);
  dt_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
activate (Fixture    *fixture,
          const char *action,
          const char *id)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), action,
                                             id != NULL ? "s" : NULL, id));
}

static void
check_item_view (GtkWidget        *view,
                 DigithekItemKind  kind,
                 const char       *language)
{
  gboolean de = g_str_has_prefix (language, "de");

  switch (kind)
    {
    case DIGITHEK_ITEM_DATASET:
      g_assert_true (DIGITHEK_IS_DATASET_VIEW (view));
      /* Source and licence, always. */
      g_assert_true (g_str_has_prefix (digithek_dataset_view_get_source_text (DIGITHEK_DATASET_VIEW (view)),
                                       de ? "Quelle: " : "Source: "));
      g_assert_nonnull (strstr (digithek_dataset_view_get_source_text (DIGITHEK_DATASET_VIEW (view)),
                                de ? " · Lizenz: " : " · Licence: "));
      /* Every demo dataset has a licence the kiosk names, in the view's language. */
      g_assert_nonnull (strstr (digithek_dataset_view_get_source_text (DIGITHEK_DATASET_VIEW (view)),
                                de ? "Namensnennung" : "ttribution"));
      break;
    case DIGITHEK_ITEM_EXPLAINER:
      {
        g_autofree char *text = NULL;

        g_assert_true (DIGITHEK_IS_EXPLAINER_VIEW (view));
        text = digithek_markdown_get_plain_text (digithek_explainer_view_get_markdown (DIGITHEK_EXPLAINER_VIEW (view)));
        g_assert_cmpuint (strlen (text), >, 100);
      }
      break;
    case DIGITHEK_ITEM_GUIDE:
      g_assert_true (DIGITHEK_IS_GUIDE_VIEW (view));
      g_assert_cmpuint (digithek_guide_view_get_n_steps (DIGITHEK_GUIDE_VIEW (view)), ==, 5);
      g_assert_cmpstr (digithek_guide_view_get_progress_text (DIGITHEK_GUIDE_VIEW (view)), ==,
                       de ? "Schritt 1 von 5" : "Step 1 of 5");
      break;
    case DIGITHEK_ITEM_TOUR:
      g_assert_true (DIGITHEK_IS_TOUR_VIEW (view));
      g_assert_nonnull (digithek_tour_view_get_stop_view (DIGITHEK_TOUR_VIEW (view)));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
test_views_open_every_item (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *languages[] = { "de", "en", "de-x-easy" };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;
      guint kinds[4] = { 0, };

      show_home (fixture, languages[l]);
      items = tu_store_list_items (fixture->store, languages[l], NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (items->len, >=, 10);

      for (guint i = 0; i < items->len; i++)
        {
          DigithekStoreItemInfo *info = g_ptr_array_index (items, i);
          g_autofree char *id = g_strdup_printf ("%s/%s", info->pack_id, info->item_id);
          g_autofree char *view = g_strdup_printf ("%s:%s",
                                                   info->kind == DIGITHEK_ITEM_TOUR ? "tour" : "item",
                                                   id);

          g_test_message ("opening %s in %s", id, languages[l]);
          activate (fixture, "view.open-item", id);
          wait_for_view (fixture, view);
          check_item_view (digithek_window_get_item_view (fixture->window), info->kind, languages[l]);
          kinds[info->kind]++;
        }
      /* The demo has every kind. */
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        g_assert_cmpuint (kinds[k], >, 0);

      activate (fixture, "view.home", NULL);
      wait_for_view (fixture, "home");
    }
}

static void
test_views_navigation (Fixture       *fixture,
                       gconstpointer  data)
{
  guint boundaries = fixture->boundaries;

  activate (fixture, "view.open-item", "e-government/online-ausweis");
  wait_for_view (fixture, "item:e-government/online-ausweis");
  activate (fixture, "view.open-item", "offene-daten-konstanz/temperatur-konstanz");
  wait_for_view (fixture, "item:offene-daten-konstanz/temperatur-konstanz");
  activate (fixture, "view.open-item", "smart-city-konstanz/simra");
  wait_for_view (fixture, "item:smart-city-konstanz/simra");
  g_assert_cmpuint (digithek_window_get_back_depth (fixture->window), ==, 2);

  activate (fixture, "view.back", NULL);
  wait_for_view (fixture, "item:offene-daten-konstanz/temperatur-konstanz");
  g_assert_true (DIGITHEK_IS_DATASET_VIEW (digithek_window_get_item_view (fixture->window)));
  activate (fixture, "view.back", NULL);
  wait_for_view (fixture, "item:e-government/online-ausweis");
  activate (fixture, "view.back", NULL);
  wait_for_view (fixture, "home");
  g_assert_null (digithek_window_get_item_view (fixture->window));
  /* Back at home, by back, is home too: a session boundary. */
  g_assert_cmpuint (fixture->boundaries, ==, boundaries + 1);

  /* Home clears the back stack from anywhere. */
  activate (fixture, "view.open-item", "e-government/online-ausweis");
  wait_for_view (fixture, "item:e-government/online-ausweis");
  activate (fixture, "view.open-item", "smart-city-konstanz/rundgang-smarte-stadt");
  wait_for_view (fixture, "tour:smart-city-konstanz/rundgang-smarte-stadt");
  activate (fixture, "view.home", NULL);
  wait_for_view (fixture, "home");
  g_assert_cmpuint (digithek_window_get_back_depth (fixture->window), ==, 0);
  g_assert_cmpuint (fixture->boundaries, ==, boundaries + 2);

  /* The latest tap wins; an unknown item changes nothing and warns nobody. */
  activate (fixture, "view.open-item", "e-government/umzug-online");
  activate (fixture, "view.open-item", "smart-city-konstanz/simra");
  wait_for_view (fixture, "item:smart-city-konstanz/simra");
  g_assert_cmpuint (digithek_window_get_back_depth (fixture->window), ==, 0);
  activate (fixture, "view.open-item", "no-such-pack/nothing");
  wait_for_view (fixture, NULL);
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==, "item:smart-city-konstanz/simra");
  g_assert_false (digithek_window_open_item (fixture->window, "not an id"));
}

static void
test_views_guide_steps (Fixture       *fixture,
                        gconstpointer  data)
{
  DigithekGuideView *guide;

  activate (fixture, "view.open-item", "e-government/online-ausweis");
  wait_for_view (fixture, "item:e-government/online-ausweis");
  guide = DIGITHEK_GUIDE_VIEW (digithek_window_get_item_view (fixture->window));

  /* Clamped at the start. */
  activate (fixture, "view.previous", NULL);
  g_assert_cmpuint (digithek_guide_view_get_step (guide), ==, 0);
  g_assert_cmpstr (digithek_guide_view_get_progress_text (guide), ==, "Schritt 1 von 5");

  for (guint i = 2; i <= 5; i++)
    {
      g_autofree char *expected = g_strdup_printf ("Schritt %u von 5", i);

      activate (fixture, "view.next", NULL);
      g_assert_cmpstr (digithek_guide_view_get_progress_text (guide), ==, expected);
    }
  /* Clamped at the end. */
  activate (fixture, "view.next", NULL);
  g_assert_false (digithek_window_next (fixture->window));
  g_assert_cmpuint (digithek_guide_view_get_step (guide), ==, 4);
  g_assert_cmpstr (digithek_guide_view_get_progress_text (guide), ==, "Schritt 5 von 5");

  activate (fixture, "view.previous", NULL);
  g_assert_cmpstr (digithek_guide_view_get_progress_text (guide), ==, "Schritt 4 von 5");
  /* The guide's own buttons take the same way. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (guide), "guide.previous", NULL));
  g_assert_cmpstr (digithek_guide_view_get_progress_text (guide), ==, "Schritt 3 von 5");
  wait_for_view (fixture, NULL);

  /* In English, at the same step. */
  digithek_window_set_language (fixture->window, "en");
  wait_for_view (fixture, "item:e-government/online-ausweis");
  guide = DIGITHEK_GUIDE_VIEW (digithek_window_get_item_view (fixture->window));
  g_assert_cmpstr (digithek_guide_view_get_progress_text (guide), ==, "Step 3 of 5");
  activate (fixture, "view.next", NULL);
  g_assert_cmpstr (digithek_guide_view_get_progress_text (guide), ==, "Step 4 of 5");
}

static void
test_views_tour_stops (Fixture       *fixture,
                       gconstpointer  data)
{
  DigithekTourView *tour;

  activate (fixture, "view.open-item", "smart-city-konstanz/rundgang-smarte-stadt");
  wait_for_view (fixture, "tour:smart-city-konstanz/rundgang-smarte-stadt");
  tour = DIGITHEK_TOUR_VIEW (digithek_window_get_item_view (fixture->window));

  g_assert_cmpuint (digithek_tour_view_get_n_stops (tour), ==, 6);
  /* Bare ids are the tour's own pack; "pack/item" is another pack. */
  g_assert_cmpstr (digithek_tour_view_get_stop_id (tour, 0), ==, "smart-city-konstanz/parken-lorawan");
  g_assert_cmpstr (digithek_tour_view_get_stop_id (tour, 2), ==,
                   "offene-daten-konstanz/luftqualitaet-konstanz");
  g_assert_cmpstr (digithek_tour_view_get_progress_text (tour), ==, "Station 1 von 6");
  g_assert_true (DIGITHEK_IS_EXPLAINER_VIEW (digithek_tour_view_get_stop_view (tour)));

  activate (fixture, "view.previous", NULL);
  g_assert_cmpuint (digithek_tour_view_get_stop (tour), ==, 0);

  activate (fixture, "view.next", NULL);
  activate (fixture, "view.next", NULL);
  wait_for_view (fixture, "tour:smart-city-konstanz/rundgang-smarte-stadt");
  g_assert_cmpstr (digithek_tour_view_get_progress_text (tour), ==, "Station 3 von 6");
  g_assert_true (DIGITHEK_IS_DATASET_VIEW (digithek_tour_view_get_stop_view (tour)));

  for (guint i = 0; i < 5; i++)
    activate (fixture, "view.next", NULL);
  wait_for_view (fixture, NULL);
  g_assert_cmpstr (digithek_tour_view_get_progress_text (tour), ==, "Station 6 von 6");
  g_assert_true (DIGITHEK_IS_GUIDE_VIEW (digithek_tour_view_get_stop_view (tour)));

  activate (fixture, "view.previous", NULL);
  wait_for_view (fixture, NULL);
  g_assert_cmpstr (digithek_tour_view_get_progress_text (tour), ==, "Station 5 von 6");
  g_assert_true (DIGITHEK_IS_DATASET_VIEW (digithek_tour_view_get_stop_view (tour)));
  /* The window's view stays the tour all along. */
  g_assert_cmpstr (digithek_window_get_view (fixture->window), ==,
                   "tour:smart-city-konstanz/rundgang-smarte-stadt");
}


/* Continue on phone ------------------------------------------------------------ */

/* A pack of its own: a guide with a web_step, an explainer without a web URL. */
static void
import_qr_pack (Fixture *fixture)
{
  g_autofree char *dir = g_build_filename (fixture->dir, "qr-pack", NULL);
  g_autoptr(DigithekPack) pack = NULL;
  g_autoptr(GError) error = NULL;

  dt_write_file (dir, "texts/1.md", "Der erste Schritt.\n");
  dt_write_file (dir, "texts/2.md", "Der zweite Schritt mit einem [Link](https://example.org/zwei).\n");
  dt_write_file (dir, "texts/ohne-web.md",
                 "Eine Erklärung ohne eigene Webseite, mit einem [Link zur Stadt](https://www.konstanz.de/) "
                 "und einem [Skript](javascript:alert(1)).\n");
  dt_write_file (dir, "pack.json",
                 "{\"format\": 1, \"id\": \"qr-test\", \"version\": 1,"
                 " \"title\": {\"de\": \"QR\"}, \"languages\": [\"de\"],"
                 " \"items\": ["
                 "  {\"id\": \"schritte\", \"kind\": \"guide\", \"title\": {\"de\": \"Schritte\"},"
                 "   \"web\": \"https://example.org/anleitung\","
                 "   \"web_step\": \"https://example.org/anleitung#schritt-{step}\","
                 "   \"steps\": [{\"title\": {\"de\": \"Eins\"}, \"body\": {\"de\": \"texts/1.md\"}},"
                 "               {\"title\": {\"de\": \"Zwei\"}, \"body\": {\"de\": \"texts/2.md\"}}]},"
                 "  {\"id\": \"ohne-web\", \"kind\": \"explainer\", \"title\": {\"de\": \"Ohne Web\"},"
                 "   \"body\": {\"de\": \"texts/ohne-web.md\"}}]}");
  pack = digithek_pack_load (dir, NULL, NULL, &error);
  g_assert_no_error (error);
  tu_store_import_pack (fixture->store, pack, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The QR card of the item view shown (a tour: of its stop); its URL while shown. */
static const char *
shown_qr_url (Fixture *fixture)
{
  GtkWidget *view = digithek_window_get_item_view (fixture->window);
  DigithekQrCard *card = NULL;

  if (DIGITHEK_IS_TOUR_VIEW (view))
    view = digithek_tour_view_get_stop_view (DIGITHEK_TOUR_VIEW (view));
  if (DIGITHEK_IS_DATASET_VIEW (view))
    card = digithek_dataset_view_get_qr_card (DIGITHEK_DATASET_VIEW (view));
  else if (DIGITHEK_IS_EXPLAINER_VIEW (view))
    card = digithek_explainer_view_get_qr_card (DIGITHEK_EXPLAINER_VIEW (view));
  else if (DIGITHEK_IS_GUIDE_VIEW (view))
    card = digithek_guide_view_get_qr_card (DIGITHEK_GUIDE_VIEW (view));
  g_assert_nonnull (card);
  if (!gtk_widget_get_visible (GTK_WIDGET (card)))
    return NULL;
  return digithek_qr_card_get_url (card);
}

static void
open_and_wait (Fixture    *fixture,
               const char *id)
{
  g_autofree char *view = g_strdup_printf ("item:%s", id);

  activate (fixture, "view.open-item", id);
  wait_for_view (fixture, view);
}

static void
test_views_qr_urls (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(DigithekHandoff) handoff = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *local_item = NULL;
  g_autofree char *local_step = NULL;

  import_qr_pack (fixture);

  /* Every kind: the item's web URL. */
  open_and_wait (fixture, "e-government/online-ausweis");
  g_assert_cmpstr (shown_qr_url (fixture), ==, "https://www.ausweisapp.bund.de/");
  open_and_wait (fixture, "offene-daten-konstanz/temperatur-konstanz");
  g_assert_cmpstr (shown_qr_url (fixture), ==, "https://opendata.dwd.de/");
  open_and_wait (fixture, "smart-city-konstanz/open-bike-sensor");
  g_assert_cmpstr (shown_qr_url (fixture), ==, "https://www.openbikesensor.org/");
  /* A tour's stop brings its own. */
  activate (fixture, "view.open-item", "smart-city-konstanz/rundgang-smarte-stadt");
  wait_for_view (fixture, "tour:smart-city-konstanz/rundgang-smarte-stadt");
  g_assert_cmpstr (shown_qr_url (fixture), ==, "https://www.konstanz.de/");

  /* A guide's step travels along, both ways. */
  open_and_wait (fixture, "qr-test/schritte");
  g_assert_cmpstr (shown_qr_url (fixture), ==, "https://example.org/anleitung#schritt-1");
  activate (fixture, "view.next", NULL);
  g_assert_cmpstr (shown_qr_url (fixture), ==, "https://example.org/anleitung#schritt-2");
  activate (fixture, "view.previous", NULL);
  g_assert_cmpstr (shown_qr_url (fixture), ==, "https://example.org/anleitung#schritt-1");

  /* No web URL and no phone page server: no code at all. */
  open_and_wait (fixture, "qr-test/ohne-web");
  g_assert_null (shown_qr_url (fixture));

  /* With a server: the kiosk's own page, for the item shown too. */
  handoff = digithek_handoff_new (fixture->store, "127.0.0.1:0", NULL, "de", &error);
  g_assert_no_error (error);
  g_assert_true (digithek_handoff_start (handoff, &error));
  g_assert_no_error (error);
  digithek_window_set_handoff (fixture->window, handoff, FALSE);
  wait_for_view (fixture, "item:qr-test/ohne-web");
  local_item = digithek_handoff_item_url (handoff, "qr-test", "ohne-web", 0, "de");
  g_assert_true (g_str_has_prefix (local_item, "http://127.0.0.1:"));
  g_assert_nonnull (strstr (local_item, "/i/qr-test/ohne-web"));
  g_assert_cmpstr (shown_qr_url (fixture), ==, local_item);
  /* Items with a web URL keep it... */
  open_and_wait (fixture, "qr-test/schritte");
  g_assert_cmpstr (shown_qr_url (fixture), ==, "https://example.org/anleitung#schritt-1");
  /* ...unless the config says handoff = local. */
  digithek_window_set_handoff (fixture->window, handoff, TRUE);
  wait_for_view (fixture, "item:qr-test/schritte");
  activate (fixture, "view.next", NULL);
  local_step = digithek_handoff_item_url (handoff, "qr-test", "schritte", 2, "de");
  g_assert_nonnull (strstr (local_step, "#step-2"));
  g_assert_cmpstr (shown_qr_url (fixture), ==, local_step);

  /* Another language re-renders: the card's words follow. */
  digithek_window_set_handoff (fixture->window, NULL, FALSE);
  digithek_window_set_language (fixture->window, "en");
  open_and_wait (fixture, "e-government/online-ausweis");
  {
    GtkWidget *view = digithek_window_get_item_view (fixture->window);

    g_assert_cmpstr (digithek_qr_card_get_language (digithek_guide_view_get_qr_card (DIGITHEK_GUIDE_VIEW (view))),
                     ==, "en");
  }

  activate (fixture, "view.home", NULL);
  wait_for_view (fixture, "home");
  digithek_handoff_stop (handoff);
}

static DigithekMarkdown *
shown_markdown (Fixture *fixture)
{
  GtkWidget *view = digithek_window_get_item_view (fixture->window);
  GtkWidget *markdown;

  if (DIGITHEK_IS_GUIDE_VIEW (view))
    {
      /* The step shown: the guide's carousel keeps every step's page. */
      AdwCarousel *carousel = ADW_CAROUSEL (find_type (view, ADW_TYPE_CAROUSEL));
      guint step = digithek_guide_view_get_step (DIGITHEK_GUIDE_VIEW (view));

      view = adw_carousel_get_nth_page (carousel, step);
    }
  markdown = find_type (view, DIGITHEK_TYPE_MARKDOWN);
  g_assert_nonnull (markdown);
  return DIGITHEK_MARKDOWN (markdown);
}

static void
tap_link (Fixture    *fixture,
          const char *uri,
          const char *label)
{
  g_signal_emit_by_name (shown_markdown (fixture), "link-activated", uri, label);
}

static void
test_views_link_overlay (Fixture       *fixture,
                         gconstpointer  data)
{
  import_qr_pack (fixture);
  open_and_wait (fixture, "qr-test/ohne-web");
  g_assert_null (digithek_window_get_link_url (fixture->window));

  /* A tapped link shows its code; the close action (Escape, the button) closes. */
  tap_link (fixture, "https://www.konstanz.de/", "Link zur Stadt");
  g_assert_cmpstr (digithek_window_get_link_url (fixture->window), ==, "https://www.konstanz.de/");
  wait_for_view (fixture, NULL);
  activate (fixture, "view.close-link", NULL);
  g_assert_null (digithek_window_get_link_url (fixture->window));

  /* Nothing a phone could open: nothing shown, nothing opened. */
  tap_link (fixture, "javascript:alert(1)", "Skript");
  g_assert_null (digithek_window_get_link_url (fixture->window));

  /* Umlauts travel percent-encoded. */
  tap_link (fixture, "https://example.org/bürger", "Bürger");
  g_assert_cmpstr (digithek_window_get_link_url (fixture->window), ==,
                   "https://example.org/b%C3%BCrger");
  /* Back closes it (and goes back). */
  activate (fixture, "view.back", NULL);
  g_assert_null (digithek_window_get_link_url (fixture->window));
  wait_for_view (fixture, "home");

  /* In a guide step; opening another item closes it. */
  open_and_wait (fixture, "qr-test/schritte");
  activate (fixture, "view.next", NULL);
  tap_link (fixture, "https://example.org/zwei", "Link");
  g_assert_cmpstr (digithek_window_get_link_url (fixture->window), ==, "https://example.org/zwei");
  open_and_wait (fixture, "qr-test/ohne-web");
  g_assert_null (digithek_window_get_link_url (fixture->window));

  /* Home closes it. */
  tap_link (fixture, "https://www.konstanz.de/", "Link zur Stadt");
  g_assert_nonnull (digithek_window_get_link_url (fixture->window));
  activate (fixture, "view.home", NULL);
  g_assert_null (digithek_window_get_link_url (fixture->window));
  wait_for_view (fixture, "home");
}

/* Draws the window as it is now into @path; FALSE while it has nothing drawn yet. */
static gboolean
render_window_png (Fixture    *fixture,
                   const char *path)
{
  GtkWidget *widget = GTK_WIDGET (fixture->window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return FALSE;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return TRUE;
}

/* What zbarimg reads in @path, one code a line; NULL when zbarimg is missing. */
static char *
zbar_decode (const char *path)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { zbarimg, "-q", "--raw", path, NULL };
  int status;

  if (zbarimg == NULL)
    return NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  return g_strdup (g_strstrip (out));
}

/* What a phone reads on the window within 10 s, as a citizen would wait for it: the card
 * follows a step in a short animation, later still on a loaded machine. Returns the
 * first reading with @expected among its lines, else the last one. */
static char *
scan_window (Fixture    *fixture,
             const char *path,
             const char *expected)
{
  g_autofree char *decoded = NULL;

  for (guint i = 0; i < 50; i++)
    {
      g_auto(GStrv) lines = NULL;
      gboolean done = FALSE;

      g_timeout_add (200, timeout_cb, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      if (!render_window_png (fixture, path))
        continue;
      g_free (decoded);
      decoded = zbar_decode (path);
      lines = g_strsplit (decoded, "\n", -1);
      if (g_strv_contains ((const char * const *) lines, expected))
        break;
    }
  return decoded != NULL ? g_steal_pointer (&decoded) : g_strdup ("");
}

static void
test_views_qr_scans (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *guide_png = g_build_filename (fixture->dir, "guide.png", NULL);
  g_autofree char *link_png = g_build_filename (fixture->dir, "link.png", NULL);
  g_autofree char *decoded = NULL;
  g_autofree char *decoded_link = NULL;
  g_auto(GStrv) lines = NULL;

  if (g_find_program_in_path ("zbarimg") == NULL)
    {
      g_test_skip ("needs zbarimg (zbar-tools)");
      return;
    }
  import_qr_pack (fixture);
  open_and_wait (fixture, "qr-test/schritte");
  activate (fixture, "view.next", NULL);
  /* The carousel moves in a short animation; the card is not part of it. */
  wait_for_view (fixture, NULL);
  g_test_message ("window %d×%d", gtk_widget_get_width (GTK_WIDGET (fixture->window)),
                  gtk_widget_get_height (GTK_WIDGET (fixture->window)));
  decoded = scan_window (fixture, guide_png, "https://example.org/anleitung#schritt-2");
  g_assert_cmpstr (decoded, ==, "https://example.org/anleitung#schritt-2");

  /* The link's code over everything (the item's code, dimmed, may be read too). */
  tap_link (fixture, "https://example.org/zwei", "Link");
  wait_for_view (fixture, NULL);
  decoded_link = scan_window (fixture, link_png, "https://example.org/zwei");
  lines = g_strsplit (decoded_link, "\n", -1);
  g_assert_true (g_strv_contains ((const char * const *) lines, "https://example.org/zwei"));
}

/* A pack's chart.labels name the series in the legend, the table and the summary, in
 * the window's language; a dataset without them keeps its column names. */
static void
test_views_series_labels (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *languages[] = { "de", "en" };
  const char *first[] = { "Stickstoffdioxid (NO₂)", "Nitrogen dioxide (NO₂)" };
  const char *fourth[] = { "Feinstaub PM2,5", "Particulates PM2.5" };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      DigithekChart *chart;

      digithek_window_set_language (fixture->window, languages[l]);
      open_and_wait (fixture, "offene-daten-konstanz/luftqualitaet-konstanz");
      chart = digithek_dataset_view_get_chart (DIGITHEK_DATASET_VIEW (
                digithek_window_get_item_view (fixture->window)));
      g_assert_cmpuint (digithek_chart_get_n_series (chart), ==, 4);
      g_assert_cmpstr (digithek_chart_get_series_name (chart, 0), ==, first[l]);
      g_assert_cmpstr (digithek_chart_get_series_name (chart, 3), ==, fourth[l]);
      g_assert_nonnull (strstr (digithek_chart_get_summary (chart), first[l]));
      g_assert_null (strstr (digithek_chart_get_summary (chart), "no2"));
      activate (fixture, "view.home", NULL);
      wait_for_view (fixture, "home");
    }
}

/* The running kiosk, driven as staff tooling drives it: org.gtk.Actions on D-Bus. */

static char *
kiosk_view (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.digithek.Kiosk", "/org/digithek/Kiosk",
                                       "org.gtk.Actions", "Describe",
                                       g_variant_new ("(s)", "current-view"),
                                       G_VARIANT_TYPE ("((bgav))"),
                                       G_DBUS_CALL_FLAGS_NO_AUTO_START, 2000, NULL, NULL);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "((bg@av))", NULL, NULL, &state);
  if (g_variant_n_children (state) != 1)
    return NULL;
  g_variant_get_child (state, 0, "v", &value);
  return g_variant_dup_string (value, NULL);
}

static void
kiosk_activate (GDBusConnection *bus,
                const char      *action,
                const char      *parameter)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder params;

  g_variant_builder_init (&params, G_VARIANT_TYPE ("av"));
  if (parameter != NULL)
    g_variant_builder_add (&params, "v", g_variant_new_string (parameter));
  reply = g_dbus_connection_call_sync (bus, "org.digithek.Kiosk", "/org/digithek/Kiosk",
                                       "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", action, &params, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL, &error);
  g_assert_no_error (error);
}

static void
kiosk_wait_for_view (GDBusConnection *bus,
                     const char      *view)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  g_autofree char *current = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      g_free (current);
      current = kiosk_view (bus);
      if (g_strcmp0 (current, view) == 0)
        return;
      g_usleep (100 * 1000);
    }
  g_assert_cmpstr (current, ==, view);
}

static void
test_views_dbus_actions (void)
{
  const char *argv[] = { g_getenv ("DIGITHEK_BIN"), "--demo", NULL };
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GDataInputStream) daemon_out = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  int wait_status;
  GPid pid;

  if (argv[0] == NULL)
    {
      g_test_skip ("needs DIGITHEK_BIN");
      return;
    }

  /* A private bus: other suites start kiosks under the same org.digithek.Kiosk name
   * on the shared one, and a second instance would only forward to the first. */
  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             "dbus-daemon", "--session", "--nofork", "--print-address=1", NULL);
  if (daemon == NULL)
    {
      g_test_skip_printf ("no dbus-daemon: %s", error->message);
      return;
    }
  daemon_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon));
  address = g_data_input_stream_read_line_utf8 (daemon_out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  envp = g_environ_setenv (envp, "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  /* The private bus has no accessibility bus; GTK would warn, fatally here. */
  envp = g_environ_setenv (envp, "GTK_A11Y", "none", TRUE);
  bus = g_dbus_connection_new_for_address_sync (address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  g_assert_no_error (error);

  g_spawn_async (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
  g_assert_no_error (error);

  kiosk_wait_for_view (bus, "home");
  kiosk_activate (bus, "open-item", "e-government/online-ausweis");
  kiosk_wait_for_view (bus, "item:e-government/online-ausweis");
  kiosk_activate (bus, "next", NULL);
  kiosk_activate (bus, "open-item", "smart-city-konstanz/rundgang-smarte-stadt");
  kiosk_wait_for_view (bus, "tour:smart-city-konstanz/rundgang-smarte-stadt");
  kiosk_activate (bus, "next", NULL);
  kiosk_activate (bus, "previous", NULL);
  kiosk_activate (bus, "back", NULL);
  kiosk_wait_for_view (bus, "item:e-government/online-ausweis");
  kiosk_activate (bus, "open-item", "offene-daten-konstanz/temperatur-konstanz");
  kiosk_wait_for_view (bus, "item:offene-daten-konstanz/temperatur-konstanz");
  /* A new language re-renders in place: the same view. */
  kiosk_activate (bus, "set-language", "en");
  kiosk_activate (bus, "set-language", "not a language");
  kiosk_wait_for_view (bus, "item:offene-daten-konstanz/temperatur-konstanz");
  kiosk_activate (bus, "home", NULL);
  kiosk_wait_for_view (bus, "home");

  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);

  g_dbus_connection_close_sync (bus, NULL, NULL);
  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  /* Before any thread, as main() does: the German catalog for the German texts. */
  digithek_i18n_init ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Any critical or warning fails the test, whatever G_DEBUG says. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* The kiosk's own style, as the application loads it. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/digithek/Kiosk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add ("/ui/views/open-every-item", Fixture, NULL,
              fixture_set_up, test_views_open_every_item, fixture_tear_down);
  g_test_add ("/ui/views/navigation", Fixture, NULL,
              fixture_set_up, test_views_navigation, fixture_tear_down);
  g_test_add ("/ui/views/guide-steps", Fixture, NULL,
              fixture_set_up, test_views_guide_steps, fixture_tear_down);
  g_test_add ("/ui/views/tour-stops", Fixture, NULL,
              fixture_set_up, test_views_tour_stops, fixture_tear_down);
  g_test_add ("/ui/views/qr-urls", Fixture, NULL,
              fixture_set_up, test_views_qr_urls, fixture_tear_down);
  g_test_add ("/ui/views/link-overlay", Fixture, NULL,
              fixture_set_up, test_views_link_overlay, fixture_tear_down);
  g_test_add ("/ui/views/series-labels", Fixture, NULL,
              fixture_set_up, test_views_series_labels, fixture_tear_down);
  g_test_add ("/ui/views/qr-scans", Fixture, NULL,
              fixture_set_up, test_views_qr_scans, fixture_tear_down);
  g_test_add_func ("/ui/views/dbus-actions", test_views_dbus_actions);

  return g_test_run ();
}

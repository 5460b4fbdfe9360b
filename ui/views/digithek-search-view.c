/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "digithek-home-view.h"
#include "digithek-keyboard.h"
#include "digithek-search-view.h"

#define N_KINDS 4

struct _DigithekSearchView
{
  AdwBin             parent_instance;

  /* template widgets */
  GtkSearchEntry    *entry;
  GtkStack          *results_stack;
  AdwStatusPage     *empty_page;
  AdwStatusPage     *no_results_page;
  GtkScrolledWindow *scrolled_window;
  GtkBox            *results_box;
  DigithekKeyboard  *keyboard;

  /* borrowed */
  GtkEventController *entry_focus;  /* owned by the entry */

  /* owned */
  DigithekStore     *store;
  GCancellable      *cancellable;   /* the search running, if any */
  char              *language;
  char              *state;
  guint              n_results;
  gboolean           busy;
};

G_DEFINE_FINAL_TYPE (DigithekSearchView, digithek_search_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_LANGUAGE,
  PROP_STATE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_busy (DigithekSearchView *self,
          gboolean            busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_state (DigithekSearchView *self,
           const char         *state)
{
  gtk_stack_set_visible_child_name (self->results_stack, state);
  if (g_strcmp0 (self->state, state) == 0)
    return;
  g_free (self->state);
  self->state = g_strdup (state);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
remove_results (DigithekSearchView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_box))) != NULL)
    gtk_box_remove (self->results_box, child);
  self->n_results = 0;
}

/* The words of the view, in the current language; the query is shown back only on
 * screen, never kept. */
static void
render_words (DigithekSearchView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *no_results = NULL;

  g_object_set (self->entry, "placeholder-text", _("What are you looking for?"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search"),
                                  -1);
  /* The text widget inside is what takes the focus. */
  if (gtk_editable_get_delegate (GTK_EDITABLE (self->entry)) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (self->entry))),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search"),
                                    -1);
  adw_status_page_set_title (self->empty_page, _("Search everything on this kiosk"));
  adw_status_page_set_description (self->empty_page,
                                   _("Type a word with the keyboard, for example a street, "
                                     "a service or a topic. Results appear as you type."));
  /* TRANSLATORS: %s is what the citizen typed. */
  no_results = g_strdup_printf (_("Nothing found for “%s”"), text);
  adw_status_page_set_title (self->no_results_page, no_results);
  adw_status_page_set_description (self->no_results_page,
                                   _("Check the spelling, or try a shorter or a different "
                                     "word. Umlauts are optional: “Strasse” also finds "
                                     "“Straße”."));
}

static GtkWidget *
create_result (DigithekStoreSearchHit *hit)
{
  g_autofree char *target = g_strdup_printf ("%s/%s", hit->pack_id, hit->item_id);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (hit->title != NULL ? hit->title : hit->item_id);

  /* One big button per result, opening the item as a home tile does. */
  gtk_widget_add_css_class (button, "search-result");
  gtk_widget_add_css_class (button, "card");
  gtk_widget_set_name (button, hit->item_id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "view.open-item");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_text (GTK_LABEL (title)),
                                  -1);

  gtk_widget_add_css_class (title, "tile-title");
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (box), title);

  if (hit->summary != NULL && *hit->summary != '\0')
    {
      GtkWidget *summary = gtk_label_new (hit->summary);

      gtk_widget_add_css_class (summary, "tile-summary");
      gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (summary), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_lines (GTK_LABEL (summary), 2);
      gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (summary), 0);
      gtk_box_append (GTK_BOX (box), summary);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, hit->summary,
                                      -1);
    }

  gtk_button_set_child (GTK_BUTTON (button), box);
  return button;
}

/* Groups the hits by kind under the home view's headings; the group with the best hit
 * comes first, and each keeps the store's order. */
static void
show_results (DigithekSearchView *self,
              GPtrArray          *hits)
{
  int order[N_KINDS];
  int n_groups = 0;

  remove_results (self);
  if (hits->len == 0)
    {
      render_words (self);
      set_state (self, "no-results");
      return;
    }

  for (guint k = 0; k < N_KINDS; k++)
    order[k] = -1;
  for (guint i = 0; i < hits->len; i++)
    {
      DigithekStoreSearchHit *hit = g_ptr_array_index (hits, i);

      if ((guint) hit->kind < N_KINDS && order[hit->kind] < 0)
        order[hit->kind] = n_groups++;
    }

  for (int g = 0; g < n_groups; g++)
    {
      GtkWidget *group = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      GtkWidget *heading = NULL;
      DigithekItemKind kind = 0;

      for (guint k = 0; k < N_KINDS; k++)
        if (order[k] == g)
          kind = k;

      heading = gtk_label_new (digithek_home_view_kind_heading (kind));
      gtk_widget_add_css_class (heading, "group-title");
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (heading),
                                      GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
      gtk_widget_add_css_class (group, "search-group");
      gtk_widget_set_name (group, digithek_item_kind_to_string (kind));
      gtk_accessible_update_property (GTK_ACCESSIBLE (group),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, digithek_home_view_kind_heading (kind),
                                      -1);
      gtk_box_append (GTK_BOX (group), heading);

      for (guint i = 0; i < hits->len; i++)
        {
          DigithekStoreSearchHit *hit = g_ptr_array_index (hits, i);

          if (hit->kind != kind)
            continue;
          gtk_box_append (GTK_BOX (group), create_result (hit));
          self->n_results++;
        }
      gtk_box_append (self->results_box, group);
    }

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
  set_state (self, "results");
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DigithekSearchView *self = user_data;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  hits = digithek_store_search_finish (DIGITHEK_STORE (source), result, &error);
  /* Cancelled: a newer query replaced this one, or the view is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  if (hits == NULL)
    {
      /* Never a crash, never a technical message for the citizen. */
      g_warning ("Search failed: %s", error->message);
      hits = g_ptr_array_new ();
    }
  show_results (self, hits);
}

static void
cancel_search (DigithekSearchView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
}

/* Searches what the field holds; the latest keystroke wins. */
static void
run_search (DigithekSearchView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  cancel_search (self);
  if (*stripped == '\0' || self->store == NULL)
    {
      remove_results (self);
      set_state (self, "empty");
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  digithek_store_search_async (self->store, text, self->language,
                               DIGITHEK_SEARCH_VIEW_LIMIT, self->cancellable,
                               search_done_cb, self);
}

static void
entry_changed_cb (DigithekSearchView *self)
{
  run_search (self);
}

static void
show_keyboard (DigithekSearchView *self,
               gboolean            show)
{
  gtk_widget_set_visible (GTK_WIDGET (self->keyboard), show);
}

/* Enter, on the keyboard or a real one: the results get the whole screen, and the
 * focus goes to the first of them, ready to be opened. */
static void
entry_activate_cb (DigithekSearchView *self)
{
  GtkWidget *first = gtk_widget_get_first_child (GTK_WIDGET (self->results_box));

  show_keyboard (self, FALSE);
  if (first != NULL && g_str_equal (self->state, "results"))
    {
      /* The group's heading, then its first result. */
      GtkWidget *button = gtk_widget_get_next_sibling (gtk_widget_get_first_child (first));

      if (button != NULL)
        gtk_widget_grab_focus (button);
    }
}

static void
keyboard_activate_cb (DigithekSearchView *self)
{
  entry_activate_cb (self);
}

static void
keyboard_hide_requested_cb (DigithekSearchView *self)
{
  show_keyboard (self, FALSE);
}

/* The keyboard is there exactly while the field has the focus. The keys never take
 * the focus (see DigithekKeyboard), so typing keeps it there. */
static void
entry_focus_changed_cb (GtkEventControllerFocus *controller,
                        GParamSpec              *pspec,
                        DigithekSearchView      *self)
{
  show_keyboard (self, gtk_event_controller_focus_contains_focus (controller));
}

/* A tap on the field brings a keyboard that was hidden with its own key back. */
static void
entry_pressed_cb (GtkGestureClick    *gesture,
                  int                 n_press,
                  double              x,
                  double              y,
                  DigithekSearchView *self)
{
  show_keyboard (self, TRUE);
}

static void
digithek_search_view_dispose (GObject *object)
{
  DigithekSearchView *self = DIGITHEK_SEARCH_VIEW (object);

  cancel_search (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (digithek_search_view_parent_class)->dispose (object);
}

static void
digithek_search_view_finalize (GObject *object)
{
  DigithekSearchView *self = DIGITHEK_SEARCH_VIEW (object);

  g_free (self->language);
  g_free (self->state);

  G_OBJECT_CLASS (digithek_search_view_parent_class)->finalize (object);
}

static void
digithek_search_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DigithekSearchView *self = DIGITHEK_SEARCH_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_search_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DigithekSearchView *self = DIGITHEK_SEARCH_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      digithek_search_view_set_store (self, g_value_get_object (value));
      break;
    case PROP_LANGUAGE:
      digithek_search_view_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_search_view_class_init (DigithekSearchViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_search_view_dispose;
  object_class->finalize = digithek_search_view_finalize;
  object_class->get_property = digithek_search_view_get_property;
  object_class->set_property = digithek_search_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DIGITHEK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, "de",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, "empty",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DIGITHEK_TYPE_KEYBOARD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-search-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekSearchView, entry);
  gtk_widget_class_bind_template_child (widget_class, DigithekSearchView, results_stack);
  gtk_widget_class_bind_template_child (widget_class, DigithekSearchView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DigithekSearchView, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, DigithekSearchView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, DigithekSearchView, results_box);
  gtk_widget_class_bind_template_child (widget_class, DigithekSearchView, keyboard);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, keyboard_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, keyboard_hide_requested_cb);

  gtk_widget_class_set_css_name (widget_class, "searchview");
}

static void
digithek_search_view_init (DigithekSearchView *self)
{
  GtkEditable *text;
  GtkEventController *focus;
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->language = g_strdup ("de");
  self->state = g_strdup ("empty");

  /* No spelling suggestions, no emoji picker, no system keyboard (ours is docked
   * below), and nothing learnt from what citizens type. GtkSearchEntry has no hints of
   * its own before GTK 4.14; its text widget has. */
  text = gtk_editable_get_delegate (GTK_EDITABLE (self->entry));
  if (GTK_IS_TEXT (text))
    {
      gtk_text_set_input_hints (GTK_TEXT (text),
                                GTK_INPUT_HINT_NO_SPELLCHECK | GTK_INPUT_HINT_NO_EMOJI |
                                GTK_INPUT_HINT_INHIBIT_OSK);
      gtk_text_set_input_purpose (GTK_TEXT (text), GTK_INPUT_PURPOSE_FREE_FORM);
    }

  focus = self->entry_focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "notify::contains-focus", G_CALLBACK (entry_focus_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), focus);
  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (entry_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), GTK_EVENT_CONTROLLER (click));

  digithek_keyboard_set_target (self->keyboard, GTK_EDITABLE (self->entry));
  digithek_keyboard_set_language (self->keyboard, self->language);
  render_words (self);
  set_state (self, "empty");
}

GtkWidget *
digithek_search_view_new (void)
{
  return g_object_new (DIGITHEK_TYPE_SEARCH_VIEW, NULL);
}

void
digithek_search_view_set_store (DigithekSearchView *self,
                                DigithekStore      *store)
{
  g_return_if_fail (DIGITHEK_IS_SEARCH_VIEW (self));
  g_return_if_fail (store == NULL || DIGITHEK_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  run_search (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

DigithekStore *
digithek_search_view_get_store (DigithekSearchView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SEARCH_VIEW (self), NULL);
  return self->store;
}

void
digithek_search_view_set_language (DigithekSearchView *self,
                                   const char         *language)
{
  g_return_if_fail (DIGITHEK_IS_SEARCH_VIEW (self));

  if (language == NULL)
    language = "de";
  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  digithek_keyboard_set_language (self->keyboard, language);
  render_words (self);
  /* The same words, searched in the new language's texts. */
  run_search (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

const char *
digithek_search_view_get_language (DigithekSearchView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SEARCH_VIEW (self), NULL);
  return self->language;
}

void
digithek_search_view_set_query (DigithekSearchView *self,
                                const char         *text)
{
  g_return_if_fail (DIGITHEK_IS_SEARCH_VIEW (self));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), text) == 0)
    run_search (self);
  else
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
}

const char *
digithek_search_view_get_query (DigithekSearchView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SEARCH_VIEW (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}

void
digithek_search_view_clear (DigithekSearchView *self)
{
  g_return_if_fail (DIGITHEK_IS_SEARCH_VIEW (self));

  cancel_search (self);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  remove_results (self);
  render_words (self);
  set_state (self, "empty");
  show_keyboard (self, FALSE);
  /* The next citizen starts with the kiosk's layout, not the one switched to. */
  g_object_set (self->keyboard, "shift", FALSE, "caps-lock", FALSE, NULL);
  digithek_keyboard_set_language (self->keyboard, self->language);
}

void
digithek_search_view_focus_entry (DigithekSearchView *self)
{
  g_return_if_fail (DIGITHEK_IS_SEARCH_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
  /* Already focused (after the keyboard's own hide key): no focus change to show it. */
  if (gtk_event_controller_focus_contains_focus (GTK_EVENT_CONTROLLER_FOCUS (self->entry_focus)))
    show_keyboard (self, TRUE);
}

const char *
digithek_search_view_get_state (DigithekSearchView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SEARCH_VIEW (self), NULL);
  return self->state;
}

guint
digithek_search_view_get_n_results (DigithekSearchView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SEARCH_VIEW (self), 0);
  return self->n_results;
}

gboolean
digithek_search_view_get_busy (DigithekSearchView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SEARCH_VIEW (self), FALSE);
  return self->busy;
}

GtkWidget *
digithek_search_view_get_entry (DigithekSearchView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SEARCH_VIEW (self), NULL);
  return GTK_WIDGET (self->entry);
}

GtkWidget *
digithek_search_view_get_keyboard (DigithekSearchView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SEARCH_VIEW (self), NULL);
  return GTK_WIDGET (self->keyboard);
}

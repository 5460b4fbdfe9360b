/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "digithek-i18n.h"
#include "digithek-keyboard.h"

typedef enum
{
  KEY_END,          /* ends a row */
  KEY_CHAR,
  KEY_BACKSPACE,
  KEY_SHIFT,
  KEY_CAPS,
  KEY_SPACE,
  KEY_ENTER,
  KEY_LANGUAGE,
  KEY_HIDE,
} KeyKind;

typedef struct
{
  KeyKind     kind;
  const char *text;    /* KEY_CHAR: what it types, lower case */
  int         units;   /* width in half keys */
} KeyDef;

/* The grid is 26 half keys wide; a shorter row is centred. */
#define GRID_UNITS 26

#define C(t) { KEY_CHAR, t, 2 }
#define END { KEY_END, NULL, 0 }

static const KeyDef layout_de[] = {
  C ("1"), C ("2"), C ("3"), C ("4"), C ("5"), C ("6"), C ("7"), C ("8"), C ("9"), C ("0"),
  C ("ß"), { KEY_BACKSPACE, NULL, 4 }, END,
  C ("q"), C ("w"), C ("e"), C ("r"), C ("t"), C ("z"), C ("u"), C ("i"), C ("o"), C ("p"),
  C ("ü"), END,
  { KEY_CAPS, NULL, 4 }, C ("a"), C ("s"), C ("d"), C ("f"), C ("g"), C ("h"), C ("j"),
  C ("k"), C ("l"), C ("ö"), C ("ä"), END,
  { KEY_SHIFT, NULL, 6 }, C ("y"), C ("x"), C ("c"), C ("v"), C ("b"), C ("n"), C ("m"),
  C (","), C ("."), C ("-"), END,
  { KEY_LANGUAGE, NULL, 4 }, { KEY_SPACE, NULL, 12 }, { KEY_ENTER, NULL, 6 },
  { KEY_HIDE, NULL, 4 }, END,
  END,
};

static const KeyDef layout_en[] = {
  C ("1"), C ("2"), C ("3"), C ("4"), C ("5"), C ("6"), C ("7"), C ("8"), C ("9"), C ("0"),
  { KEY_BACKSPACE, NULL, 6 }, END,
  C ("q"), C ("w"), C ("e"), C ("r"), C ("t"), C ("y"), C ("u"), C ("i"), C ("o"), C ("p"),
  END,
  { KEY_CAPS, NULL, 4 }, C ("a"), C ("s"), C ("d"), C ("f"), C ("g"), C ("h"), C ("j"),
  C ("k"), C ("l"), END,
  { KEY_SHIFT, NULL, 6 }, C ("z"), C ("x"), C ("c"), C ("v"), C ("b"), C ("n"), C ("m"),
  C (","), C ("."), C ("-"), END,
  { KEY_LANGUAGE, NULL, 4 }, { KEY_SPACE, NULL, 12 }, { KEY_ENTER, NULL, 6 },
  { KEY_HIDE, NULL, 4 }, END,
  END,
};

#undef C
#undef END

/* Backspace held down: a first repeat after a pause, then steady, as on a keyboard. */
#define REPEAT_DELAY_MS    500
#define REPEAT_INTERVAL_MS 70

struct _DigithekKeyboard
{
  GtkWidget    parent_instance;

  /* template widgets */
  AdwClamp    *clamp;
  GtkGrid     *grid;

  /* borrowed */
  GtkEditable *target;       /* weak */
  GPtrArray   *char_keys;    /* the KEY_CHAR buttons, owned by the grid */

  /* owned */
  char        *language;     /* "de" or "en" */
  gboolean     shift;
  gboolean     caps_lock;
  guint        repeat_id;
};

G_DEFINE_FINAL_TYPE (DigithekKeyboard, digithek_keyboard, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TARGET,
  PROP_LANGUAGE,
  PROP_SHIFT,
  PROP_CAPS_LOCK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ACTIVATE,
  SIGNAL_HIDE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_german (DigithekKeyboard *self)
{
  return g_str_equal (self->language, "de");
}

/* The keys speak the layout's language ("names and all"), which a citizen may switch
 * apart from the kiosk's: translated into it rather than into the UI language. */
#define TR(msgid) digithek_i18n_translate (self->language, (msgid))

static const char *
key_name (DigithekKeyboard *self,
          KeyKind           kind)
{
  switch (kind)
    {
    case KEY_BACKSPACE: return TR (N_("Backspace"));
    case KEY_SHIFT:     return TR (N_("Shift"));
    case KEY_CAPS:      return TR (N_("Caps Lock"));
    case KEY_SPACE:     return TR (N_("Space"));
    /* TRANSLATORS: the keyboard's Enter key, which starts the search */
    case KEY_ENTER:     return TR (N_("Search"));
    /* TRANSLATORS: the key that switches the German keyboard to English QWERTY (and back) */
    case KEY_LANGUAGE:  return is_german (self) ? TR (N_("English keyboard"))
                                                : TR (N_("German keyboard"));
    case KEY_HIDE:      return TR (N_("Hide keyboard"));
    case KEY_CHAR:
    case KEY_END:
    default:            return NULL;
    }
}

/* Characters a screen reader would not say well on their own. */
static const char *
char_name (DigithekKeyboard *self,
           const char       *text)
{
  if (g_str_equal (text, ","))
    return TR (N_("Comma"));
  if (g_str_equal (text, "."))
    return TR (N_("Full stop"));
  if (g_str_equal (text, "-"))
    return TR (N_("Hyphen"));
  return NULL;
}

static gboolean
upper_case (DigithekKeyboard *self)
{
  return self->shift != self->caps_lock;
}

/* What a character key types now. ß has no upper case a German reader expects. */
static char *
char_for (DigithekKeyboard *self,
          const char       *text)
{
  if (!upper_case (self) || g_str_equal (text, "ß"))
    return g_strdup (text);
  return g_utf8_strup (text, -1);
}

static void
set_accessible_label (GtkWidget  *widget,
                      const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
update_char_labels (DigithekKeyboard *self)
{
  for (guint i = 0; i < self->char_keys->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->char_keys, i);
      const char *text = g_object_get_data (G_OBJECT (button), "digithek-key-text");
      g_autofree char *shown = char_for (self, text);
      const char *name = char_name (self, text);

      gtk_button_set_label (GTK_BUTTON (button), shown);
      set_accessible_label (button, name != NULL ? name : shown);
    }
}

/* typing */

static void
type_text (DigithekKeyboard *self,
           const char       *text)
{
  int start, end, position;

  if (self->target == NULL)
    return;

  if (gtk_editable_get_selection_bounds (self->target, &start, &end))
    gtk_editable_delete_text (self->target, start, end);
  position = gtk_editable_get_position (self->target);
  gtk_editable_insert_text (self->target, text, -1, &position);
  gtk_editable_set_position (self->target, position);
}

static void
delete_backward (DigithekKeyboard *self)
{
  int start, end, position;

  if (self->target == NULL)
    return;

  if (gtk_editable_get_selection_bounds (self->target, &start, &end))
    {
      gtk_editable_delete_text (self->target, start, end);
      return;
    }
  position = gtk_editable_get_position (self->target);
  if (position > 0)
    gtk_editable_delete_text (self->target, position - 1, position);
}

static void
set_shift (DigithekKeyboard *self,
           gboolean          shift)
{
  shift = !!shift;
  if (self->shift == shift)
    return;
  self->shift = shift;
  update_char_labels (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHIFT]);
}

static void
set_caps_lock (DigithekKeyboard *self,
               gboolean          caps_lock)
{
  caps_lock = !!caps_lock;
  if (self->caps_lock == caps_lock)
    return;
  self->caps_lock = caps_lock;
  update_char_labels (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPS_LOCK]);
}

static void
type_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DigithekKeyboard *self = DIGITHEK_KEYBOARD (widget);
  g_autofree char *text = char_for (self, g_variant_get_string (parameter, NULL));

  type_text (self, text);
  /* Shift holds for one character, as on a phone. */
  set_shift (self, FALSE);
}

static void
backspace_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  delete_backward (DIGITHEK_KEYBOARD (widget));
}

static void
enter_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_ACTIVATE], 0);
}

static void
hide_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_HIDE_REQUESTED], 0);
}

static void
switch_language_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  DigithekKeyboard *self = DIGITHEK_KEYBOARD (widget);

  digithek_keyboard_set_language (self, is_german (self) ? "en" : "de");
}

/* Backspace repeats while held. The press is taken in the capture phase by a box
 * around the key, before the key sees it, so the key does not also delete once more
 * through "clicked" on release; keyboard activation still reaches the key's action. */

static void
stop_repeat (DigithekKeyboard *self)
{
  g_clear_handle_id (&self->repeat_id, g_source_remove);
}

static gboolean
repeat_cb (gpointer user_data)
{
  DigithekKeyboard *self = user_data;

  delete_backward (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
repeat_delay_cb (gpointer user_data)
{
  DigithekKeyboard *self = user_data;

  delete_backward (self);
  self->repeat_id = g_timeout_add (REPEAT_INTERVAL_MS, repeat_cb, self);
  return G_SOURCE_REMOVE;
}

static GtkWidget *
pressed_key (GtkGesture *gesture)
{
  GtkWidget *box = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  return gtk_widget_get_first_child (box);
}

static void
backspace_pressed_cb (GtkGestureClick  *gesture,
                      int               n_press,
                      double            x,
                      double            y,
                      DigithekKeyboard *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_set_state_flags (pressed_key (GTK_GESTURE (gesture)), GTK_STATE_FLAG_ACTIVE, FALSE);
  delete_backward (self);
  stop_repeat (self);
  self->repeat_id = g_timeout_add (REPEAT_DELAY_MS, repeat_delay_cb, self);
}

/* On release or cancellation; not on GtkGestureClick::stopped, which also comes when
 * the double-click time has passed with the finger still down. */
static void
backspace_end_cb (GtkGesture       *gesture,
                  GdkEventSequence *sequence,
                  DigithekKeyboard *self)
{
  gtk_widget_unset_state_flags (pressed_key (gesture), GTK_STATE_FLAG_ACTIVE);
  stop_repeat (self);
}

/* building the keys */

static GtkWidget *
icon_key (const char * const *icon_names)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  for (guint i = 0; icon_names[i] != NULL; i++)
    {
      GtkWidget *image = gtk_image_new_from_icon_name (icon_names[i]);

      gtk_image_set_pixel_size (GTK_IMAGE (image), 32);
      gtk_box_append (GTK_BOX (box), image);
    }
  gtk_button_set_child (GTK_BUTTON (button), box);
  return button;
}

static void
add_key (DigithekKeyboard *self,
         const KeyDef     *key,
         int               column,
         int               row)
{
  GtkWidget *button = NULL;
  GtkWidget *cell = NULL;   /* what goes into the grid, when not the button itself */
  gboolean de = is_german (self);

  switch (key->kind)
    {
    case KEY_CHAR:
      button = gtk_button_new ();
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "keyboard.type");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", key->text);
      g_object_set_data (G_OBJECT (button), "digithek-key-text", (gpointer) key->text);
      g_ptr_array_add (self->char_keys, button);
      break;

    case KEY_BACKSPACE:
      {
        static const char * const icons[] = { "edit-clear-symbolic", NULL };
        GtkGesture *press = gtk_gesture_click_new ();

        button = icon_key (icons);
        gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "keyboard.backspace");
        gtk_widget_add_css_class (button, "special");

        cell = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
        gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (press), "backspace-repeat");
        gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (press),
                                                    GTK_PHASE_CAPTURE);
        g_signal_connect (press, "pressed", G_CALLBACK (backspace_pressed_cb), self);
        g_signal_connect (press, "end", G_CALLBACK (backspace_end_cb), self);
        g_signal_connect (press, "cancel", G_CALLBACK (backspace_end_cb), self);
        gtk_widget_add_controller (cell, GTK_EVENT_CONTROLLER (press));
      }
      break;

    case KEY_SHIFT:
      button = gtk_toggle_button_new ();
      gtk_button_set_child (GTK_BUTTON (button), gtk_image_new_from_icon_name ("go-up-symbolic"));
      gtk_image_set_pixel_size (GTK_IMAGE (gtk_button_get_child (GTK_BUTTON (button))), 32);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "keyboard.shift");
      gtk_widget_add_css_class (button, "special");
      break;

    case KEY_CAPS:
      button = gtk_toggle_button_new_with_label ("ABC");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "keyboard.caps-lock");
      gtk_widget_add_css_class (button, "special");
      break;

    case KEY_SPACE:
      button = gtk_button_new_with_label (key_name (self, KEY_SPACE));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "keyboard.type");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", " ");
      break;

    case KEY_ENTER:
      button = gtk_button_new_with_label (key_name (self, KEY_ENTER));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "keyboard.enter");
      gtk_widget_add_css_class (button, "enter");
      break;

    case KEY_LANGUAGE:
      /* Names the layout it switches to, in that language. */
      button = gtk_button_new_with_label (de ? "English" : "Deutsch");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "keyboard.switch-language");
      gtk_widget_add_css_class (button, "special");
      break;

    case KEY_HIDE:
      {
        static const char * const icons[] = { "input-keyboard-symbolic", "go-down-symbolic", NULL };

        button = icon_key (icons);
      }
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "keyboard.hide");
      gtk_widget_add_css_class (button, "special");
      break;

    case KEY_END:
    default:
      g_assert_not_reached ();
    }

  gtk_widget_add_css_class (button, "key");
  /* A touch on a key must leave the focus, and the cursor, in the search field. */
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_set_hexpand (button, TRUE);
  if (key->kind != KEY_CHAR)
    set_accessible_label (button, key_name (self, key->kind));

  /* The cell goes into the grid before the key goes into the cell: GTK 4.8 links a
   * key's actions to the keyboard only when the key is parented under it. */
  if (cell != NULL)
    {
      gtk_grid_attach (self->grid, cell, column, row, key->units, 1);
      gtk_box_append (GTK_BOX (cell), button);
    }
  else
    gtk_grid_attach (self->grid, button, column, row, key->units, 1);
}

static void
build_layout (DigithekKeyboard *self)
{
  const KeyDef *layout = is_german (self) ? layout_de : layout_en;
  GtkWidget *child;
  int row = 0;

  stop_repeat (self);
  g_ptr_array_set_size (self->char_keys, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);

  for (const KeyDef *key = layout; key->kind != KEY_END; key++, row++)
    {
      const KeyDef *row_start = key;
      int units = 0;
      int column;

      for (; key->kind != KEY_END; key++)
        units += key->units;
      g_assert (units <= GRID_UNITS);

      column = (GRID_UNITS - units) / 2;
      for (const KeyDef *k = row_start; k->kind != KEY_END; k++)
        {
          add_key (self, k, column, row);
          column += k->units;
        }
    }

  update_char_labels (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  TR (N_("On-screen keyboard")),
                                  -1);
}

/* public API */

/**
 * digithek_keyboard_new:
 *
 * Creates a keyboard in German. It types nowhere until given a target.
 *
 * Returns: (transfer floating): a new #DigithekKeyboard
 */
GtkWidget *
digithek_keyboard_new (void)
{
  return g_object_new (DIGITHEK_TYPE_KEYBOARD, NULL);
}

/**
 * digithek_keyboard_set_target:
 * @self: a #DigithekKeyboard
 * @target: (nullable): where keys type, usually the search entry
 *
 * Keys insert at @target's cursor, replacing its selection. The keyboard does not keep
 * @target alive.
 */
void
digithek_keyboard_set_target (DigithekKeyboard *self,
                              GtkEditable      *target)
{
  g_return_if_fail (DIGITHEK_IS_KEYBOARD (self));
  g_return_if_fail (target == NULL || GTK_IS_EDITABLE (target));

  if (g_set_weak_pointer (&self->target, target))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET]);
}

/**
 * digithek_keyboard_get_target:
 * @self: a #DigithekKeyboard
 *
 * Returns: (transfer none) (nullable): where keys type
 */
GtkEditable *
digithek_keyboard_get_target (DigithekKeyboard *self)
{
  g_return_val_if_fail (DIGITHEK_IS_KEYBOARD (self), NULL);

  return self->target;
}

/**
 * digithek_keyboard_set_language:
 * @self: a #DigithekKeyboard
 * @language: a content language; "de" and its variants ("de-x-easy") give the German
 *   layout and names, anything else the English ones
 *
 * Switches the layout and every key's label and accessible name.
 */
void
digithek_keyboard_set_language (DigithekKeyboard *self,
                                const char       *language)
{
  const char *normalized;

  g_return_if_fail (DIGITHEK_IS_KEYBOARD (self));
  g_return_if_fail (language != NULL);

  normalized = g_str_equal (language, "de") || g_str_has_prefix (language, "de-") ? "de" : "en";
  if (g_strcmp0 (self->language, normalized) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (normalized);
  build_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

/**
 * digithek_keyboard_get_language:
 * @self: a #DigithekKeyboard
 *
 * Returns: "de" or "en"
 */
const char *
digithek_keyboard_get_language (DigithekKeyboard *self)
{
  g_return_val_if_fail (DIGITHEK_IS_KEYBOARD (self), NULL);

  return self->language;
}

/* GObject */

static void
digithek_keyboard_dispose (GObject *object)
{
  DigithekKeyboard *self = DIGITHEK_KEYBOARD (object);

  stop_repeat (self);
  g_clear_weak_pointer (&self->target);
  if (self->char_keys != NULL)
    g_ptr_array_set_size (self->char_keys, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), DIGITHEK_TYPE_KEYBOARD);

  G_OBJECT_CLASS (digithek_keyboard_parent_class)->dispose (object);
}

static void
digithek_keyboard_finalize (GObject *object)
{
  DigithekKeyboard *self = DIGITHEK_KEYBOARD (object);

  g_clear_pointer (&self->char_keys, g_ptr_array_unref);
  g_free (self->language);

  G_OBJECT_CLASS (digithek_keyboard_parent_class)->finalize (object);
}

static void
digithek_keyboard_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DigithekKeyboard *self = DIGITHEK_KEYBOARD (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      g_value_set_object (value, self->target);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_SHIFT:
      g_value_set_boolean (value, self->shift);
      break;
    case PROP_CAPS_LOCK:
      g_value_set_boolean (value, self->caps_lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_keyboard_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DigithekKeyboard *self = DIGITHEK_KEYBOARD (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      digithek_keyboard_set_target (self, g_value_get_object (value));
      break;
    case PROP_LANGUAGE:
      digithek_keyboard_set_language (self, g_value_get_string (value));
      break;
    case PROP_SHIFT:
      set_shift (self, g_value_get_boolean (value));
      break;
    case PROP_CAPS_LOCK:
      set_caps_lock (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The keys' look is part of the widget, wherever it is used: loaded once per display. */
static void
ensure_css (GtkWidget *widget)
{
  static GtkCssProvider *provider = NULL;
  GdkDisplay *display = gtk_widget_get_display (widget);

  if (provider == NULL)
    {
      provider = gtk_css_provider_new ();
      gtk_css_provider_load_from_resource (provider,
                                           "/org/digithek/Kiosk/digithek-keyboard.css");
    }
  if (display != NULL && g_object_get_data (G_OBJECT (display), "digithek-keyboard-css") == NULL)
    {
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_object_set_data (G_OBJECT (display), "digithek-keyboard-css", provider);
    }
}

static void
digithek_keyboard_class_init (DigithekKeyboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_keyboard_dispose;
  object_class->finalize = digithek_keyboard_finalize;
  object_class->get_property = digithek_keyboard_get_property;
  object_class->set_property = digithek_keyboard_set_property;

  properties[PROP_TARGET] =
    g_param_spec_object ("target", NULL, NULL, GTK_TYPE_EDITABLE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, "de",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * DigithekKeyboard:shift:
   *
   * The next character is typed in upper case; released after it.
   */
  properties[PROP_SHIFT] =
    g_param_spec_boolean ("shift", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_CAPS_LOCK] =
    g_param_spec_boolean ("caps-lock", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DigithekKeyboard::activate:
   *
   * The Enter key ("Suchen") was pressed.
   */
  signals[SIGNAL_ACTIVATE] =
    g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * DigithekKeyboard::hide-requested:
   *
   * The citizen asked the keyboard to go away; the owner hides it.
   */
  signals[SIGNAL_HIDE_REQUESTED] =
    g_signal_new ("hide-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (ADW_TYPE_CLAMP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-keyboard.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekKeyboard, clamp);
  gtk_widget_class_bind_template_child (widget_class, DigithekKeyboard, grid);

  gtk_widget_class_install_action (widget_class, "keyboard.type", "s", type_action);
  gtk_widget_class_install_action (widget_class, "keyboard.backspace", NULL, backspace_action);
  gtk_widget_class_install_action (widget_class, "keyboard.enter", NULL, enter_action);
  gtk_widget_class_install_action (widget_class, "keyboard.hide", NULL, hide_action);
  gtk_widget_class_install_action (widget_class, "keyboard.switch-language", NULL,
                                   switch_language_action);
  gtk_widget_class_install_property_action (widget_class, "keyboard.shift", "shift");
  gtk_widget_class_install_property_action (widget_class, "keyboard.caps-lock", "caps-lock");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "keyboard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
digithek_keyboard_init (DigithekKeyboard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->char_keys = g_ptr_array_new ();
  ensure_css (GTK_WIDGET (self));
  digithek_keyboard_set_language (self, "de");
}

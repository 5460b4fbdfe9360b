/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include <adwaita.h>
#include <cmark.h>

#include "digithek-markdown.h"

/* Pack text is untrusted. Containers nested deeper than this are flattened into their
 * parent, so a hostile document cannot build a widget tree deep enough to exhaust the
 * stack when GTK measures it recursively. */
#define MAX_NESTING 8

/* Images keep their own size when smaller, and shrink to fit this box otherwise. */
#define IMAGE_MAX_WIDTH 720
#define IMAGE_MAX_HEIGHT 540

/* Spacing in pixels at the 20 px body size the app's stylesheet sets. */
#define BLOCK_SPACING 12
#define TIGHT_ITEM_SPACING 6
#define INDENT 12

/* How long set_text() may block, and how long each later slice on the main loop may
 * take: the first screenful appears at once, a very long document follows without
 * holding up frames. */
#define SYNC_BUDGET_US (50 * G_TIME_SPAN_MILLISECOND)
#define SLICE_BUDGET_US (8 * G_TIME_SPAN_MILLISECOND)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cmark_iter, cmark_iter_free)

struct _DigithekMarkdown
{
  GtkWidget                  parent_instance;

  /* owned */
  GtkWidget                 *box;
  char                      *text;
  char                      *plain_text;    /* NULL while rendering */
  struct _RenderState       *render;        /* non-NULL while rendering */
  guint                      render_source;
  DigithekMarkdownImageFunc  image_func;
  gpointer                   image_data;
  GDestroyNotify             image_destroy;
};

G_DEFINE_FINAL_TYPE (DigithekMarkdown, digithek_markdown, GTK_TYPE_WIDGET)

enum {
  LINK_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GQuark
links_quark (void)
{
  return g_quark_from_static_string ("digithek-markdown-links");
}

typedef struct
{
  gboolean ordered;
  int      number;       /* the next item's number */
  char     delim;
  guint    depth;        /* 0 for a list that is not inside another list */
  int      n_rows;
} ListState;

/* Where blocks go: appended to a box, or put into the content cell of a list row. */
typedef struct
{
  GtkWidget *widget;     /* borrowed */
  int        grid_row;   /* -1 for a box */
} Container;

typedef struct _RenderState
{
  DigithekMarkdown *self;
  cmark_node       *document;
  cmark_iter       *iter;
  GArray           *containers;      /* Container: the last receives blocks */
  GArray           *lists;           /* ListState */
  GString          *plain;           /* the whole document without markup */

  /* The paragraph or heading being built. */
  GString          *markup;          /* of the current label */
  gboolean          markup_visible;  /* the current label has any text */
  GString          *block_plain;
  int               heading_level;   /* 0 in a paragraph */
  guint             inline_depth;    /* open emphasis, strong and link tags */
  GHashTable       *links;           /* uri → link text, in the current label */
  char             *link_uri;        /* non-NULL inside a link that is rendered */
  GString          *link_text;

  /* Plain text: items of one list are separated by one newline, not a blank line. */
  char             *item_prefix;
  guint             list_group;      /* the outermost list being rendered, or 0 */
  guint             n_list_groups;
  guint             last_list_group;
} RenderState;

static gboolean
is_safe_link (const char *uri)
{
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;

  /* A kiosk never opens anything; the URI only goes on to become a QR code, and that
   * is only useful, and only harmless, for a web address with a host. */
  if (uri == NULL ||
      !g_uri_split (uri, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED,
                    &scheme, NULL, &host, NULL, NULL, NULL, NULL, NULL))
    return FALSE;

  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0) &&
         host != NULL && host[0] != '\0';
}

static Container *
current_container (RenderState *st)
{
  return &g_array_index (st->containers, Container, st->containers->len - 1);
}

static gboolean
nesting_full (RenderState *st)
{
  return st->containers->len > MAX_NESTING;
}

static void
append_block (RenderState *st,
              GtkWidget   *widget)
{
  Container *container = current_container (st);

  if (container->grid_row < 0)
    gtk_box_append (GTK_BOX (container->widget), widget);
  else
    gtk_grid_attach (GTK_GRID (container->widget), widget, 1, container->grid_row, 1, 1);
}

static GtkWidget *
text_label_new (GtkAccessibleRole role)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "accessible-role", role,
                                   "wrap", TRUE,
                                   "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                   "xalign", 0.0f,
                                   "selectable", FALSE,
                                   NULL);

  return label;
}

static void
add_plain_block (RenderState *st,
                 const char  *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (stripped[0] == '\0')
    return;

  if (st->plain->len > 0)
    {
      gboolean same_list = st->list_group != 0 && st->list_group == st->last_list_group;

      g_string_append (st->plain, same_list ? "\n" : "\n\n");
    }
  if (st->item_prefix != NULL)
    g_string_append (st->plain, st->item_prefix);
  g_clear_pointer (&st->item_prefix, g_free);
  g_string_append (st->plain, stripped);
  st->last_list_group = st->list_group;
}

static gboolean
activate_link_cb (GtkLabel         *label,
                  const char       *uri,
                  DigithekMarkdown *self)
{
  GHashTable *links = g_object_get_qdata (G_OBJECT (label), links_quark ());
  const char *text = links != NULL ? g_hash_table_lookup (links, uri) : NULL;

  g_signal_emit (self, signals[LINK_ACTIVATED], 0, uri, text != NULL ? text : "");

  /* Always handled: GtkLabel's default handler would open a browser. */
  return TRUE;
}

static void
swallow_context_menu_cb (GtkGestureClick *gesture,
                         int              n_press,
                         double           x,
                         double           y,
                         gpointer         user_data)
{
  /* The label's context menu offers "Copy Link Address", which has no place on a
   * public kiosk; claiming the secondary click first keeps it closed. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
flush_label (RenderState *st)
{
  GtkWidget *label;

  if (!st->markup_visible)
    goto out;

  label = text_label_new (st->heading_level > 0 ? GTK_ACCESSIBLE_ROLE_HEADING
                                                : GTK_ACCESSIBLE_ROLE_LABEL);
  gtk_label_set_markup (GTK_LABEL (label), st->markup->str);

  if (st->heading_level > 0)
    {
      int level = MIN (st->heading_level, 4);
      g_autofree char *title_class = g_strdup_printf ("title-%d", level);
      g_autofree char *level_class = g_strdup_printf ("markdown-h%d", level);

      gtk_widget_add_css_class (label, "markdown-heading");
      gtk_widget_add_css_class (label, title_class);
      gtk_widget_add_css_class (label, level_class);
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_LEVEL, st->heading_level,
                                      -1);
      /* Headings sit closer to the text they introduce than to the text before. */
      if (current_container (st)->grid_row < 0 &&
          gtk_widget_get_first_child (current_container (st)->widget) != NULL)
        gtk_widget_set_margin_top (label, 8 * (4 - level));
    }
  else
    {
      gtk_widget_add_css_class (label, "markdown-paragraph");
    }

  if (g_hash_table_size (st->links) > 0)
    {
      GtkGesture *gesture = gtk_gesture_click_new ();

      g_object_set_qdata_full (G_OBJECT (label), links_quark (),
                               g_steal_pointer (&st->links),
                               (GDestroyNotify) g_hash_table_unref);
      st->links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_signal_connect_object (label, "activate-link",
                               G_CALLBACK (activate_link_cb), st->self, 0);

      gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
      gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture),
                                                  GTK_PHASE_CAPTURE);
      g_signal_connect (gesture, "pressed", G_CALLBACK (swallow_context_menu_cb), NULL);
      gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (gesture));
    }

  append_block (st, label);

out:
  g_string_truncate (st->markup, 0);
  g_hash_table_remove_all (st->links);
  st->markup_visible = FALSE;
}

static void
append_text (RenderState *st,
             const char  *text)
{
  g_autofree char *escaped = NULL;

  if (text == NULL || text[0] == '\0')
    return;

  /* Every fragment is escaped: pack text must never become Pango markup. */
  escaped = g_markup_escape_text (text, -1);
  g_string_append (st->markup, escaped);
  g_string_append (st->block_plain, text);
  if (st->link_text != NULL)
    g_string_append (st->link_text, text);
  st->markup_visible = TRUE;
}

static char *
collect_plain (cmark_node *node)
{
  g_autoptr(cmark_iter) iter = cmark_iter_new (node);
  GString *text = g_string_new (NULL);
  cmark_event_type ev;

  while ((ev = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *child = cmark_iter_get_node (iter);

      if (ev != CMARK_EVENT_ENTER)
        continue;
      switch ((int) cmark_node_get_type (child))
        {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
          g_string_append (text, cmark_node_get_literal (child));
          break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
          g_string_append_c (text, ' ');
          break;
        default:
          break;
        }
    }

  return g_string_free (text, FALSE);
}

static void
render_image (RenderState *st,
              const char  *path,
              const char  *alt)
{
  DigithekMarkdown *self = st->self;
  g_autoptr(GdkPaintable) paintable = NULL;

  if (self->image_func != NULL && path != NULL)
    paintable = self->image_func (path, self->image_data);

  if (paintable != NULL)
    {
      GtkWidget *picture = gtk_picture_new_for_paintable (paintable);
      GtkWidget *clamp = adw_clamp_new ();
      double width = gdk_paintable_get_intrinsic_width (paintable);
      double height = gdk_paintable_get_intrinsic_height (paintable);
      double ratio = gdk_paintable_get_intrinsic_aspect_ratio (paintable);
      double scale;

      if (ratio <= 0)
        ratio = width > 0 && height > 0 ? width / height : 4.0 / 3.0;
      if (width <= 0)
        width = IMAGE_MAX_WIDTH;
      height = width / ratio;
      scale = MIN (1.0, MIN (IMAGE_MAX_WIDTH / width, IMAGE_MAX_HEIGHT / height));

      gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_picture_set_alternative_text (GTK_PICTURE (picture), alt);
      gtk_accessible_update_property (GTK_ACCESSIBLE (picture),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, alt,
                                      -1);

      /* The clamp caps the width; the picture's height follows from its aspect
       * ratio, so both stay inside the maximum and shrink on narrow layouts. */
      adw_clamp_set_maximum_size (ADW_CLAMP (clamp), MAX (1, (int) (width * scale)));
      adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), MAX (1, (int) (width * scale)));
      adw_clamp_set_child (ADW_CLAMP (clamp), picture);
      gtk_widget_set_halign (clamp, GTK_ALIGN_START);
      gtk_widget_add_css_class (clamp, "markdown-image");
      append_block (st, clamp);
    }
  else if (alt != NULL && alt[0] != '\0')
    {
      GtkWidget *label = text_label_new (GTK_ACCESSIBLE_ROLE_LABEL);

      /* Plain text, not markup: alt text comes from the pack too. */
      gtk_label_set_text (GTK_LABEL (label), alt);
      gtk_widget_add_css_class (label, "markdown-image-alt");
      append_block (st, label);
    }
}

static void
begin_inline_block (RenderState *st,
                    int          heading_level)
{
  g_string_truncate (st->markup, 0);
  g_string_truncate (st->block_plain, 0);
  g_hash_table_remove_all (st->links);
  st->markup_visible = FALSE;
  st->heading_level = heading_level;
  st->inline_depth = 0;
}

static void
end_inline_block (RenderState *st)
{
  flush_label (st);
  add_plain_block (st, st->block_plain->str);
  g_string_truncate (st->block_plain, 0);
  st->heading_level = 0;
}

/* Appends @box, which then receives the blocks; %NULL keeps the current container. */
static void
push_container (RenderState *st,
                GtkWidget   *box)
{
  Container container = *current_container (st);

  if (box != NULL)
    {
      append_block (st, box);
      container.widget = box;
      container.grid_row = -1;
    }
  g_array_append_val (st->containers, container);
}

static void
pop_container (RenderState *st)
{
  g_assert (st->containers->len > 1);
  g_array_set_size (st->containers, st->containers->len - 1);
}

/* A lone paragraph goes straight into the list's grid; anything else, an image
 * included, needs a box. Fewer widgets keep long documents fast. */
static gboolean
item_needs_box (cmark_node *item)
{
  cmark_node *child = cmark_node_first_child (item);
  g_autoptr(cmark_iter) iter = NULL;
  cmark_event_type ev;

  if (child == NULL)
    return FALSE;
  if (cmark_node_next (child) != NULL || cmark_node_get_type (child) != CMARK_NODE_PARAGRAPH)
    return TRUE;

  iter = cmark_iter_new (child);
  while ((ev = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    if (cmark_node_get_type (cmark_iter_get_node (iter)) == CMARK_NODE_IMAGE)
      return TRUE;
  return FALSE;
}

static void
enter_list (RenderState *st,
            cmark_node  *node)
{
  ListState list = { 0, };
  GtkWidget *grid = NULL;

  list.ordered = cmark_node_get_list_type (node) == CMARK_ORDERED_LIST;
  list.number = list.ordered ? cmark_node_get_list_start (node) : 0;
  list.delim = cmark_node_get_list_delim (node) == CMARK_PAREN_DELIM ? ')' : '.';
  list.depth = st->lists->len;
  g_array_append_val (st->lists, list);

  if (st->lists->len == 1)
    st->list_group = ++st->n_list_groups;

  if (!nesting_full (st))
    {
      /* A grid: the markers form a column as wide as the widest of them. */
      grid = gtk_grid_new ();
      gtk_grid_set_row_spacing (GTK_GRID (grid),
                                cmark_node_get_list_tight (node) ? TIGHT_ITEM_SPACING
                                                                 : BLOCK_SPACING);
      gtk_grid_set_column_spacing (GTK_GRID (grid), 10);
      gtk_widget_add_css_class (grid, "markdown-list");
      gtk_widget_add_css_class (grid, list.ordered ? "markdown-ordered" : "markdown-bullets");
      gtk_widget_set_margin_start (grid, INDENT);
    }
  push_container (st, grid);
}

static void
exit_list (RenderState *st)
{
  pop_container (st);
  g_array_set_size (st->lists, st->lists->len - 1);
  if (st->lists->len == 0)
    st->list_group = 0;
}

static void
enter_item (RenderState *st,
            cmark_node  *node)
{
  static const char * const bullets[] = { "•", "◦", "▪" };
  ListState *list = &g_array_index (st->lists, ListState, st->lists->len - 1);
  Container *container = current_container (st);
  g_autofree char *marker = NULL;
  GtkWidget *label;
  GtkWidget *content;
  int row;

  if (list->ordered)
    {
      marker = g_strdup_printf ("%d%c", list->number, list->delim);
      list->number++;
      g_free (st->item_prefix);
      st->item_prefix = g_strdup_printf ("%s ", marker);
    }
  else
    {
      marker = g_strdup (bullets[list->depth % G_N_ELEMENTS (bullets)]);
      /* Read aloud, a bullet is noise. */
      g_clear_pointer (&st->item_prefix, g_free);
    }

  /* Too deep: the item's blocks go on in the current container, unmarked. */
  if (!GTK_IS_GRID (container->widget) || container->grid_row >= 0)
    {
      push_container (st, NULL);
      return;
    }

  row = list->n_rows++;
  label = gtk_label_new (marker);
  gtk_widget_add_css_class (label, "markdown-list-marker");
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_grid_attach (GTK_GRID (container->widget), label, 0, row, 1, 1);

  if (item_needs_box (node))
    {
      content = gtk_box_new (GTK_ORIENTATION_VERTICAL, TIGHT_ITEM_SPACING);
      gtk_widget_set_hexpand (content, TRUE);
      gtk_widget_add_css_class (content, "markdown-item");
      gtk_grid_attach (GTK_GRID (container->widget), content, 1, row, 1, 1);
      g_array_append_val (st->containers, ((Container) { content, -1 }));
    }
  else
    {
      g_array_append_val (st->containers, ((Container) { container->widget, row }));
    }
}

static void
enter_link (RenderState *st,
            cmark_node  *node)
{
  const char *uri = cmark_node_get_url (node);
  g_autofree char *escaped = NULL;

  /* Anything but a web address stays plain text: no link, no signal. */
  if (!is_safe_link (uri))
    return;

  escaped = g_markup_escape_text (uri, -1);
  /* Underlined as well as coloured, so links do not depend on colour vision. */
  g_string_append_printf (st->markup, "<a href=\"%s\"><u>", escaped);
  st->link_uri = g_strdup (uri);
  st->link_text = g_string_new (NULL);
  st->inline_depth++;
}

static void
exit_link (RenderState *st)
{
  if (st->link_uri == NULL)
    return;

  g_string_append (st->markup, "</u></a>");
  if (!g_hash_table_contains (st->links, st->link_uri))
    g_hash_table_insert (st->links, g_steal_pointer (&st->link_uri),
                         g_string_free (g_steal_pointer (&st->link_text), FALSE));
  g_clear_pointer (&st->link_uri, g_free);
  if (st->link_text != NULL)
    g_string_free (g_steal_pointer (&st->link_text), TRUE);
  st->inline_depth--;
}

static void
visit_image (RenderState *st,
             cmark_iter  *iter,
             cmark_node  *node)
{
  g_autofree char *alt = collect_plain (node);

  if (st->inline_depth > 0)
    {
      /* Inside emphasis or a link the label cannot be split: keep the alt text. */
      append_text (st, alt);
    }
  else
    {
      flush_label (st);
      render_image (st, cmark_node_get_url (node), alt);
      g_string_append (st->block_plain, alt);
    }

  /* The alt text has been used; do not render the image's children again. */
  cmark_iter_reset (iter, node, CMARK_EVENT_EXIT);
}

static void
visit_code_block (RenderState *st,
                  cmark_node  *node)
{
  const char *literal = cmark_node_get_literal (node);
  g_autofree char *text = g_strdup (literal != NULL ? literal : "");
  gsize len = strlen (text);
  GtkWidget *frame;
  GtkWidget *label;

  if (len > 0 && text[len - 1] == '\n')
    text[len - 1] = '\0';

  label = text_label_new (GTK_ACCESSIBLE_ROLE_LABEL);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 16);
  gtk_widget_set_margin_end (label, 16);

  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), label);
  gtk_widget_add_css_class (frame, "markdown-code");
  append_block (st, frame);

  add_plain_block (st, text);
}

static void
visit_node (RenderState      *st,
            cmark_iter       *iter,
            cmark_node       *node,
            cmark_event_type  ev)
{
  gboolean enter = ev == CMARK_EVENT_ENTER;
  cmark_node_type type = cmark_node_get_type (node);

  switch (type)
    {
    case CMARK_NODE_DOCUMENT:
      break;

    case CMARK_NODE_BLOCK_QUOTE:
      if (enter)
        {
          GtkWidget *box = NULL;

          if (!nesting_full (st))
            {
              box = gtk_box_new (GTK_ORIENTATION_VERTICAL, BLOCK_SPACING);
              gtk_widget_add_css_class (box, "markdown-quote");
              gtk_widget_set_margin_start (box, INDENT);
            }
          push_container (st, box);
        }
      else
        {
          pop_container (st);
        }
      break;

    case CMARK_NODE_LIST:
      if (enter)
        enter_list (st, node);
      else
        exit_list (st);
      break;

    case CMARK_NODE_ITEM:
      if (enter)
        enter_item (st, node);
      else
        pop_container (st);
      break;

    case CMARK_NODE_CODE_BLOCK:
      visit_code_block (st, node);
      break;

    case CMARK_NODE_PARAGRAPH:
    case CMARK_NODE_HEADING:
      if (enter)
        begin_inline_block (st, type == CMARK_NODE_HEADING ? cmark_node_get_heading_level (node)
                                                           : 0);
      else
        end_inline_block (st);
      break;

    case CMARK_NODE_THEMATIC_BREAK:
      {
        GtkWidget *separator = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);

        gtk_widget_add_css_class (separator, "markdown-rule");
        gtk_widget_set_margin_top (separator, 8);
        gtk_widget_set_margin_bottom (separator, 8);
        append_block (st, separator);
      }
      break;

    case CMARK_NODE_TEXT:
      append_text (st, cmark_node_get_literal (node));
      break;

    case CMARK_NODE_SOFTBREAK:
      g_string_append_c (st->markup, ' ');
      g_string_append_c (st->block_plain, ' ');
      if (st->link_text != NULL)
        g_string_append_c (st->link_text, ' ');
      break;

    case CMARK_NODE_LINEBREAK:
      g_string_append_c (st->markup, '\n');
      g_string_append_c (st->block_plain, '\n');
      if (st->link_text != NULL)
        g_string_append_c (st->link_text, ' ');
      break;

    case CMARK_NODE_CODE:
      {
        const char *literal = cmark_node_get_literal (node);

        g_string_append (st->markup, "<tt>");
        append_text (st, literal);
        g_string_append (st->markup, "</tt>");
      }
      break;

    case CMARK_NODE_EMPH:
    case CMARK_NODE_STRONG:
      {
        const char *tag = type == CMARK_NODE_EMPH ? "i" : "b";

        if (enter)
          {
            g_string_append_printf (st->markup, "<%s>", tag);
            st->inline_depth++;
          }
        else
          {
            g_string_append_printf (st->markup, "</%s>", tag);
            st->inline_depth--;
          }
      }
      break;

    case CMARK_NODE_LINK:
      if (enter)
        enter_link (st, node);
      else
        exit_link (st);
      break;

    case CMARK_NODE_IMAGE:
      if (enter)
        visit_image (st, iter, node);
      break;

    /* Raw HTML is never rendered, not even as text: it is dropped. */
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_HTML_INLINE:
      break;

    /* The parser never produces these; skip whatever they might hold. */
    case CMARK_NODE_CUSTOM_BLOCK:
    case CMARK_NODE_CUSTOM_INLINE:
    case CMARK_NODE_NONE:
    default:
      if (enter && cmark_node_first_child (node) != NULL)
        cmark_iter_reset (iter, node, CMARK_EVENT_EXIT);
      break;
    }
}

static void
render_state_free (RenderState *st)
{
  cmark_iter_free (st->iter);
  cmark_node_free (st->document);
  g_array_unref (st->containers);
  g_array_unref (st->lists);
  if (st->plain != NULL)
    g_string_free (st->plain, TRUE);
  g_string_free (st->markup, TRUE);
  g_string_free (st->block_plain, TRUE);
  g_hash_table_unref (st->links);
  g_free (st->link_uri);
  if (st->link_text != NULL)
    g_string_free (st->link_text, TRUE);
  g_free (st->item_prefix);
  g_free (st);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RenderState, render_state_free)

static void
digithek_markdown_stop_render (DigithekMarkdown *self)
{
  g_clear_handle_id (&self->render_source, g_source_remove);
  g_clear_pointer (&self->render, render_state_free);
}

/* Walks on until the document is done (TRUE) or @deadline has passed (FALSE). The
 * clock is only read between top-level blocks, so that no block is left half built. */
static gboolean
digithek_markdown_render_until (DigithekMarkdown *self,
                                gint64            deadline)
{
  RenderState *st = self->render;
  cmark_event_type ev;

  while ((ev = cmark_iter_next (st->iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (st->iter);

      visit_node (st, st->iter, node, ev);
      if (cmark_node_parent (node) == st->document &&
          (ev == CMARK_EVENT_EXIT || cmark_node_first_child (node) == NULL) &&
          g_get_monotonic_time () >= deadline)
        return FALSE;
    }

  self->plain_text = g_string_free (g_steal_pointer (&st->plain), FALSE);
  g_clear_pointer (&self->render, render_state_free);
  return TRUE;
}

static gboolean
render_slice_cb (gpointer user_data)
{
  DigithekMarkdown *self = user_data;

  if (digithek_markdown_render_until (self, g_get_monotonic_time () + SLICE_BUDGET_US))
    {
      self->render_source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
digithek_markdown_finish_render (DigithekMarkdown *self)
{
  if (self->render != NULL)
    digithek_markdown_render_until (self, G_MAXINT64);
  g_clear_handle_id (&self->render_source, g_source_remove);
}

static void
digithek_markdown_render (DigithekMarkdown *self)
{
  g_autoptr(RenderState) st = g_new0 (RenderState, 1);
  GtkWidget *root;

  digithek_markdown_stop_render (self);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->plain_text, g_free);

  root = gtk_box_new (GTK_ORIENTATION_VERTICAL, BLOCK_SPACING);
  gtk_widget_add_css_class (root, "markdown-body");
  self->box = root;
  gtk_widget_set_parent (root, GTK_WIDGET (self));

  st->self = self;
  st->containers = g_array_new (FALSE, FALSE, sizeof (Container));
  st->lists = g_array_new (FALSE, TRUE, sizeof (ListState));
  st->plain = g_string_new (NULL);
  st->markup = g_string_new (NULL);
  st->block_plain = g_string_new (NULL);
  st->links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_array_append_val (st->containers, ((Container) { root, -1 }));
  st->document = cmark_parse_document (self->text, strlen (self->text), CMARK_OPT_DEFAULT);
  st->iter = cmark_iter_new (st->document);
  self->render = g_steal_pointer (&st);

  if (!digithek_markdown_render_until (self, g_get_monotonic_time () + SYNC_BUDGET_US))
    self->render_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, render_slice_cb, self, NULL);
}

static void
digithek_markdown_dispose (GObject *object)
{
  DigithekMarkdown *self = DIGITHEK_MARKDOWN (object);

  digithek_markdown_stop_render (self);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  if (self->image_destroy != NULL)
    self->image_destroy (self->image_data);
  self->image_func = NULL;
  self->image_data = NULL;
  self->image_destroy = NULL;

  G_OBJECT_CLASS (digithek_markdown_parent_class)->dispose (object);
}

static void
digithek_markdown_finalize (GObject *object)
{
  DigithekMarkdown *self = DIGITHEK_MARKDOWN (object);

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->plain_text, g_free);

  G_OBJECT_CLASS (digithek_markdown_parent_class)->finalize (object);
}

static void
digithek_markdown_class_init (DigithekMarkdownClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_markdown_dispose;
  object_class->finalize = digithek_markdown_finalize;

  /**
   * DigithekMarkdown::link-activated:
   * @self: the widget
   * @uri: the link's http or https address
   * @label: the link's text, without markup
   *
   * A link was tapped. Nothing is opened; the handler decides what to show.
   */
  signals[LINK_ACTIVATED] =
    g_signal_new ("link-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "markdown");
}

static void
digithek_markdown_init (DigithekMarkdown *self)
{
  self->text = g_strdup ("");
  digithek_markdown_render (self);
}

/**
 * digithek_markdown_new:
 *
 * Returns: (transfer floating): a new, empty #DigithekMarkdown
 */
GtkWidget *
digithek_markdown_new (void)
{
  return g_object_new (DIGITHEK_TYPE_MARKDOWN, NULL);
}

void
digithek_markdown_set_text (DigithekMarkdown *self,
                            const char       *text)
{
  g_autofree char *valid = NULL;

  g_return_if_fail (DIGITHEK_IS_MARKDOWN (self));

  /* Broken UTF-8 in a pack must not make GTK refuse the markup. */
  valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  if (g_strcmp0 (valid, self->text) == 0)
    return;

  g_free (self->text);
  self->text = g_steal_pointer (&valid);
  digithek_markdown_render (self);
}

/**
 * digithek_markdown_set_image_func:
 * @func: (nullable): loads the images the text refers to
 * @user_data: passed to @func
 * @destroy: (nullable): frees @user_data when the function is replaced or the widget
 *   is disposed
 *
 * Sets how images are loaded and renders the text again. The path given to @func is
 * as written in the Markdown: untrusted, so @func must keep it inside the pack.
 * Without a function, images show their alt text.
 */
void
digithek_markdown_set_image_func (DigithekMarkdown          *self,
                                  DigithekMarkdownImageFunc  func,
                                  gpointer                   user_data,
                                  GDestroyNotify             destroy)
{
  g_return_if_fail (DIGITHEK_IS_MARKDOWN (self));

  if (self->image_destroy != NULL)
    self->image_destroy (self->image_data);
  self->image_func = func;
  self->image_data = user_data;
  self->image_destroy = destroy;

  digithek_markdown_render (self);
}

/**
 * digithek_markdown_get_plain_text:
 *
 * Returns the rendered text without markup: blocks separated by a blank line, the
 * items of a list on lines of their own (ordered ones with their number), links as
 * their text, images as their alt text, raw HTML left out.
 *
 * Returns: (transfer full): the plain text, empty for an empty document
 */
char *
digithek_markdown_get_plain_text (DigithekMarkdown *self)
{
  g_return_val_if_fail (DIGITHEK_IS_MARKDOWN (self), NULL);

  digithek_markdown_finish_render (self);
  return g_strdup (self->plain_text);
}

const char *
digithek_markdown_skip_title_heading (const char *text)
{
  const char *end;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_str_has_prefix (text, "# "))
    return text;
  end = strchr (text, '\n');
  return end != NULL ? end + 1 : "";
}

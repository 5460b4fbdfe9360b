/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include <adwaita.h>

#include "digithek-markdown.h"

/* Test helpers: the widget tree is the interface the views build on. */

static GtkWidget *
new_markdown (const char *text)
{
  GtkWidget *md = g_object_ref_sink (digithek_markdown_new ());

  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md), text);
  return md;
}

static GtkWidget *
body_of (GtkWidget *md)
{
  GtkWidget *body = gtk_widget_get_first_child (md);

  g_assert_true (GTK_IS_BOX (body));
  g_assert_null (gtk_widget_get_next_sibling (body));
  return body;
}

static guint
n_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static GtkWidget *
child_at (GtkWidget *widget,
          guint      index)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  for (guint i = 0; i < index && child != NULL; i++)
    child = gtk_widget_get_next_sibling (child);
  g_assert_nonnull (child);
  return child;
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

static GPtrArray *
find_all (GtkWidget *widget,
          GType      type)
{
  GPtrArray *out = g_ptr_array_new ();

  collect (widget, type, out);
  return out;
}

static guint
tree_depth (GtkWidget *widget)
{
  guint depth = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    depth = MAX (depth, tree_depth (child));
  return depth + 1;
}

static guint
count_widgets (GtkWidget *widget)
{
  guint n = 1;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_widgets (child);
  return n;
}

static void
assert_text_label (GtkWidget  *widget,
                   const char *markup,
                   const char *text)
{
  GtkLabel *label;

  g_assert_true (GTK_IS_LABEL (widget));
  label = GTK_LABEL (widget);
  if (markup != NULL)
    {
      g_assert_true (gtk_label_get_use_markup (label));
      g_assert_cmpstr (gtk_label_get_label (label), ==, markup);
    }
  if (text != NULL)
    g_assert_cmpstr (gtk_label_get_text (label), ==, text);

  /* A kiosk label: wraps at any character if need be, starts left, never selects. */
  g_assert_true (gtk_label_get_wrap (label));
  g_assert_cmpint (gtk_label_get_wrap_mode (label), ==, PANGO_WRAP_WORD_CHAR);
  g_assert_cmpfloat (gtk_label_get_xalign (label), ==, 0.0);
  g_assert_false (gtk_label_get_selectable (label));
}

static void
assert_plain_text (GtkWidget  *md,
                   const char *expected)
{
  g_autofree char *plain = digithek_markdown_get_plain_text (DIGITHEK_MARKDOWN (md));

  g_assert_cmpstr (plain, ==, expected);
}

static void
test_markdown_empty (void)
{
  GtkWidget *md = new_markdown (NULL);

  g_assert_cmpuint (n_children (body_of (md)), ==, 0);
  assert_plain_text (md, "");

  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md), "");
  g_assert_cmpuint (n_children (body_of (md)), ==, 0);

  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md), "   \n\n\t\n");
  g_assert_cmpuint (n_children (body_of (md)), ==, 0);
  assert_plain_text (md, "");

  /* Replacing the text replaces the widgets. */
  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md), "one\n\ntwo");
  g_assert_cmpuint (n_children (body_of (md)), ==, 2);
  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md), NULL);
  g_assert_cmpuint (n_children (body_of (md)), ==, 0);

  g_assert_finalize_object (md);
}

static void
test_markdown_headings (void)
{
  static const char * const classes[] = { "title-1", "title-2", "title-3", "title-4", "title-4" };
  GtkWidget *md = new_markdown ("# One\n\n## Two *em*\n\n### Three\n\n#### Four\n\n"
                                "###### Six\n\nBody");
  GtkWidget *body = body_of (md);

  g_assert_cmpuint (n_children (body), ==, 6);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      GtkWidget *label = child_at (body, i);

      assert_text_label (label, NULL, NULL);
      g_assert_true (gtk_widget_has_css_class (label, "markdown-heading"));
      g_assert_true (gtk_widget_has_css_class (label, classes[i]));
      g_assert_false (gtk_widget_has_css_class (label, "markdown-paragraph"));
      g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (label)), ==,
                       GTK_ACCESSIBLE_ROLE_HEADING);
    }
  assert_text_label (child_at (body, 0), "One", "One");
  assert_text_label (child_at (body, 1), "Two <i>em</i>", "Two em");
  g_assert_true (gtk_widget_has_css_class (child_at (body, 0), "markdown-h1"));
  /* The first heading adds no space above the text. */
  g_assert_cmpint (gtk_widget_get_margin_top (child_at (body, 0)), ==, 0);
  g_assert_cmpint (gtk_widget_get_margin_top (child_at (body, 1)), >, 0);

  assert_text_label (child_at (body, 5), "Body", "Body");
  g_assert_true (gtk_widget_has_css_class (child_at (body, 5), "markdown-paragraph"));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (child_at (body, 5))),
                   ==, GTK_ACCESSIBLE_ROLE_LABEL);

  g_assert_finalize_object (md);
}

static void
test_markdown_inline (void)
{
  GtkWidget *md = new_markdown ("First *em* and **strong** and `co de`.\n"
                                "Soft  \nhard ***both***\n\nSecond _one_");
  GtkWidget *body = body_of (md);

  g_assert_cmpuint (n_children (body), ==, 2);
  assert_text_label (child_at (body, 0),
                     "First <i>em</i> and <b>strong</b> and <tt>co de</tt>. Soft\n"
                     "hard <i><b>both</b></i>",
                     "First em and strong and co de. Soft\nhard both");
  assert_text_label (child_at (body, 1), "Second <i>one</i>", "Second one");
  assert_plain_text (md, "First em and strong and co de. Soft\nhard both\n\nSecond one");

  g_assert_finalize_object (md);
}

/* The content cell of a list row: a label for a lone paragraph, a box otherwise. */
static GtkWidget *
item_content (GtkWidget  *list,
              int         row,
              const char *marker)
{
  GtkWidget *label;

  g_assert_true (GTK_IS_GRID (list));
  g_assert_true (gtk_widget_has_css_class (list, "markdown-list"));
  label = gtk_grid_get_child_at (GTK_GRID (list), 0, row);
  g_assert_true (GTK_IS_LABEL (label));
  g_assert_true (gtk_widget_has_css_class (label, "markdown-list-marker"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, marker);
  g_assert_cmpint (gtk_widget_get_valign (label), ==, GTK_ALIGN_START);
  g_assert_nonnull (gtk_grid_get_child_at (GTK_GRID (list), 1, row));
  return gtk_grid_get_child_at (GTK_GRID (list), 1, row);
}

static void
test_markdown_lists (void)
{
  GtkWidget *md = new_markdown ("- one\n"
                                "- two\n"
                                "  - nested *a*\n"
                                "  - nested b\n"
                                "    1. deep\n"
                                "- three\n"
                                "\n"
                                "9. nine\n"
                                "10. ten\n"
                                "\n"
                                "text\n"
                                "\n"
                                "1) paren\n");
  GtkWidget *body = body_of (md);
  GtkWidget *bullets, *ordered, *content, *nested, *deep;

  g_assert_cmpuint (n_children (body), ==, 4);
  bullets = child_at (body, 0);
  g_assert_true (gtk_widget_has_css_class (bullets, "markdown-bullets"));
  g_assert_cmpint (gtk_widget_get_margin_start (bullets), >, 0);
  /* A marker and a content cell per item. */
  g_assert_cmpuint (n_children (bullets), ==, 6);

  assert_text_label (item_content (bullets, 0, "•"), "one", "one");

  /* The nested list lives in the item's content column, indented again. */
  content = item_content (bullets, 1, "•");
  g_assert_true (GTK_IS_BOX (content));
  g_assert_true (gtk_widget_has_css_class (content, "markdown-item"));
  g_assert_cmpuint (n_children (content), ==, 2);
  assert_text_label (child_at (content, 0), "two", "two");
  nested = child_at (content, 1);
  g_assert_cmpint (gtk_widget_get_margin_start (nested), >, 0);
  g_assert_cmpuint (n_children (nested), ==, 4);
  assert_text_label (item_content (nested, 0, "◦"), "nested <i>a</i>", "nested a");
  content = item_content (nested, 1, "◦");
  deep = child_at (content, 1);
  g_assert_true (gtk_widget_has_css_class (deep, "markdown-ordered"));
  assert_text_label (item_content (deep, 0, "1."), "deep", "deep");

  assert_text_label (item_content (bullets, 2, "•"), "three", "three");

  /* Numbers start where the text says. */
  ordered = child_at (body, 1);
  g_assert_true (gtk_widget_has_css_class (ordered, "markdown-ordered"));
  item_content (ordered, 0, "9.");
  item_content (ordered, 1, "10.");

  assert_text_label (child_at (body, 2), "text", "text");
  item_content (child_at (body, 3), 0, "1)");

  assert_plain_text (md, "one\ntwo\nnested a\nnested b\n1. deep\nthree\n\n"
                         "9. nine\n10. ten\n\ntext\n\n1) paren");

  g_assert_finalize_object (md);
}

static void
test_markdown_quote (void)
{
  GtkWidget *md = new_markdown ("> quoted *text*\n>\n> second\n\nafter");
  GtkWidget *body = body_of (md);
  GtkWidget *quote;

  g_assert_cmpuint (n_children (body), ==, 2);
  quote = child_at (body, 0);
  g_assert_true (GTK_IS_BOX (quote));
  g_assert_true (gtk_widget_has_css_class (quote, "markdown-quote"));
  g_assert_cmpint (gtk_widget_get_margin_start (quote), >, 0);
  g_assert_cmpuint (n_children (quote), ==, 2);
  assert_text_label (child_at (quote, 0), "quoted <i>text</i>", "quoted text");
  assert_text_label (child_at (quote, 1), "second", "second");
  assert_text_label (child_at (body, 1), "after", "after");
  assert_plain_text (md, "quoted text\n\nsecond\n\nafter");

  g_assert_finalize_object (md);
}

static void
test_markdown_code_block (void)
{
  GtkWidget *md = new_markdown ("```sh\na < b && <span>x</span>\n  c\n```\n\n    indented\n");
  GtkWidget *body = body_of (md);
  GtkWidget *frame, *label;

  g_assert_cmpuint (n_children (body), ==, 2);
  frame = child_at (body, 0);
  g_assert_true (GTK_IS_FRAME (frame));
  g_assert_true (gtk_widget_has_css_class (frame, "markdown-code"));
  label = gtk_frame_get_child (GTK_FRAME (frame));
  g_assert_true (GTK_IS_LABEL (label));
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (label)));
  g_assert_true (gtk_widget_has_css_class (label, "monospace"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "a < b && <span>x</span>\n  c");

  label = gtk_frame_get_child (GTK_FRAME (child_at (body, 1)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "indented");
  assert_plain_text (md, "a < b && <span>x</span>\n  c\n\nindented");

  g_assert_finalize_object (md);
}

static void
test_markdown_thematic_break (void)
{
  GtkWidget *md = new_markdown ("a\n\n---\n\nb\n\n***\n");
  GtkWidget *body = body_of (md);

  g_assert_cmpuint (n_children (body), ==, 4);
  assert_text_label (child_at (body, 0), "a", "a");
  g_assert_true (GTK_IS_SEPARATOR (child_at (body, 1)));
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (child_at (body, 1))), ==,
                   GTK_ORIENTATION_HORIZONTAL);
  assert_text_label (child_at (body, 2), "b", "b");
  g_assert_true (GTK_IS_SEPARATOR (child_at (body, 3)));
  assert_plain_text (md, "a\n\nb");

  g_assert_finalize_object (md);
}

static void
assert_no_markup_from_text (GtkWidget *md)
{
  g_autoptr(GPtrArray) labels = find_all (md, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      const char *markup = gtk_label_get_label (labels->pdata[i]);

      g_assert_null (strstr (markup, "<span"));
      g_assert_null (strstr (markup, "<b>"));
      g_assert_null (strstr (markup, "<big"));
      g_assert_null (strstr (markup, "<script"));
      g_assert_null (strstr (markup, "<div"));
    }
}

static void
test_markdown_injection (void)
{
  GtkWidget *md = new_markdown (NULL);
  GtkWidget *body;
  GtkWidget *label;

  /* Inline HTML is raw HTML: dropped, only the text between the tags stays. */
  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md),
                              "a <b>bold</b> & <span foreground=\"red\">x</span>");
  body = body_of (md);
  g_assert_cmpuint (n_children (body), ==, 1);
  assert_text_label (child_at (body, 0), "a bold &amp; x", "a bold & x");

  /* Markup that reaches the text, by escapes or entities, shows literally. */
  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md),
                              "a \\<b>bold\\</b> & \\<span foreground=\"red\">x\\</span>\n\n"
                              "&lt;b&gt;y&lt;/b&gt; `<i>z</i>`\n\n"
                              "# \\<big>T\\</big> <big>U</big>\n\n"
                              "![<b>alt</b> \\<i>](x.png)");
  body = body_of (md);
  g_assert_cmpuint (n_children (body), ==, 4);
  assert_text_label (child_at (body, 0), NULL,
                     "a <b>bold</b> & <span foreground=\"red\">x</span>");
  assert_text_label (child_at (body, 1), NULL, "<b>y</b> <i>z</i>");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child_at (body, 1))), ==,
                   "&lt;b&gt;y&lt;/b&gt; <tt>&lt;i&gt;z&lt;/i&gt;</tt>");
  assert_text_label (child_at (body, 2), NULL, "<big>T</big> U");
  label = child_at (body, 3);
  g_assert_true (gtk_widget_has_css_class (label, "markdown-image-alt"));
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (label)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "alt <i>");
  assert_no_markup_from_text (md);

  /* HTML blocks and comments vanish entirely, text and all. */
  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md),
                              "<div>\n<b>hidden</b>\n</div>\n\n"
                              "<script>alert(1)</script>\n\n"
                              "<!-- comment -->\n\n"
                              "<style>\nlabel { color: red; }\n</style>\n\n"
                              "<span style=\"color:red\">inline</span> HTML\n\n"
                              "visible <!-- inline --> text");
  body = body_of (md);
  g_assert_cmpuint (n_children (body), ==, 2);
  /* A line that only starts with a tag is a paragraph: its tags are inline HTML. */
  assert_text_label (child_at (body, 0), "inline HTML", "inline HTML");
  assert_text_label (child_at (body, 1), "visible  text", "visible  text");
  assert_plain_text (md, "inline HTML\n\nvisible  text");

  /* A link's text and address are escaped like any text. */
  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md),
                              "[\\<b>x\\</b> &amp;](https://e.org/?a=1&b=\"2\")");
  body = body_of (md);
  assert_text_label (child_at (body, 0),
                     "<a href=\"https://e.org/?a=1&amp;b=&quot;2&quot;\">"
                     "<u>&lt;b&gt;x&lt;/b&gt; &amp;</u></a>",
                     "<b>x</b> &");
  assert_no_markup_from_text (md);

  g_assert_finalize_object (md);
}

typedef struct
{
  guint  n_emitted;
  char  *uri;
  char  *label;
} LinkLog;

static void
link_activated_cb (DigithekMarkdown *md,
                   const char       *uri,
                   const char       *label,
                   LinkLog          *log)
{
  log->n_emitted++;
  g_free (log->uri);
  g_free (log->label);
  log->uri = g_strdup (uri);
  log->label = g_strdup (label);
}

static gboolean
activate (GtkWidget  *label,
          const char *uri)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (label, "activate-link", uri, &handled);
  return handled;
}

static void
test_markdown_links (void)
{
  GtkWidget *md = new_markdown ("See [the link](https://example.org) and "
                                "[**other**](http://example.com/a?b=c) or "
                                "<https://example.net/x>.\n\n"
                                "[shouting](HTTPS://EXAMPLE.ORG/UP)");
  GtkWidget *body = body_of (md);
  GtkWidget *label;
  LinkLog log = { 0, };

  g_signal_connect (md, "link-activated", G_CALLBACK (link_activated_cb), &log);

  label = child_at (body, 0);
  assert_text_label (label,
                     "See <a href=\"https://example.org\"><u>the link</u></a> and "
                     "<a href=\"http://example.com/a?b=c\"><u><b>other</b></u></a> or "
                     "<a href=\"https://example.net/x\"><u>https://example.net/x</u></a>.",
                     "See the link and other or https://example.net/x.");

  /* Tapping emits the signal and never lets GtkLabel open a browser. */
  g_assert_true (activate (label, "https://example.org"));
  g_assert_cmpuint (log.n_emitted, ==, 1);
  g_assert_cmpstr (log.uri, ==, "https://example.org");
  g_assert_cmpstr (log.label, ==, "the link");

  g_assert_true (activate (label, "http://example.com/a?b=c"));
  g_assert_cmpuint (log.n_emitted, ==, 2);
  g_assert_cmpstr (log.uri, ==, "http://example.com/a?b=c");
  g_assert_cmpstr (log.label, ==, "other");

  g_assert_true (activate (label, "https://example.net/x"));
  g_assert_cmpstr (log.label, ==, "https://example.net/x");

  /* The scheme is matched without regard to case. */
  label = child_at (body, 1);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "<a href="));
  g_assert_true (activate (label, "HTTPS://EXAMPLE.ORG/UP"));
  g_assert_cmpstr (log.label, ==, "shouting");
  g_assert_cmpuint (log.n_emitted, ==, 4);

  assert_plain_text (md, "See the link and other or https://example.net/x.\n\nshouting");

  g_signal_handlers_disconnect_by_data (md, &log);
  g_free (log.uri);
  g_free (log.label);
  g_assert_finalize_object (md);
}

static void
test_markdown_unsafe_links (void)
{
  static const char * const texts[] = {
    "[click](javascript:alert(1))",
    "[click](JavaScript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "[click](file:///etc/passwd)",
    "[click](mailto:someone@example.org)",
    "[click](vbscript:msgbox)",
    "[click](relative/page.html)",
    "[click](//example.org/no-scheme)",
    "[click](<https:>)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      GtkWidget *md = new_markdown (texts[i]);
      GtkWidget *body = body_of (md);

      g_test_message ("%s", texts[i]);
      g_assert_cmpuint (n_children (body), ==, 1);
      /* Only the text, no link: nothing to tap. */
      assert_text_label (child_at (body, 0), "click", "click");
      g_assert_finalize_object (md);
    }
}

static guint n_image_calls;
static guint n_image_destroyed;

static GdkPaintable *
image_func (const char *path,
            gpointer    user_data)
{
  static const guint8 pixels[4 * 2 * 4] = { 0xff, };
  g_autoptr(GBytes) bytes = NULL;
  int width = GPOINTER_TO_INT (user_data);

  n_image_calls++;
  if (!g_str_equal (path, "images/a.png"))
    return NULL;

  if (width == 4)
    {
      bytes = g_bytes_new_static (pixels, sizeof pixels);
      return GDK_PAINTABLE (gdk_memory_texture_new (4, 2, GDK_MEMORY_R8G8B8A8, bytes, 16));
    }

  bytes = g_bytes_new_take (g_malloc0 ((gsize) width * 1000 * 4), (gsize) width * 1000 * 4);
  return GDK_PAINTABLE (gdk_memory_texture_new (width, 1000, GDK_MEMORY_R8G8B8A8, bytes,
                                                (gsize) width * 4));
}

static void
image_destroy (gpointer user_data)
{
  n_image_destroyed++;
}

static void
test_markdown_images (void)
{
  GtkWidget *md = new_markdown ("before ![A *map* of Konstanz](images/a.png) after\n\n"
                                "![missing](images/none.png)\n\n"
                                "![](images/none.png)");
  GtkWidget *body = body_of (md);
  g_autoptr(GPtrArray) pictures = NULL;
  GtkWidget *picture, *clamp;

  /* Without an image function: the alt text, in order, as a label. */
  g_assert_cmpuint (n_children (body), ==, 4);
  assert_text_label (child_at (body, 0), "before ", "before ");
  assert_text_label (child_at (body, 1), NULL, "A map of Konstanz");
  g_assert_true (gtk_widget_has_css_class (child_at (body, 1), "markdown-image-alt"));
  assert_text_label (child_at (body, 2), " after", " after");
  assert_text_label (child_at (body, 3), NULL, "missing");

  /* With one, a picture; the missing image still shows its alt text. */
  n_image_calls = n_image_destroyed = 0;
  digithek_markdown_set_image_func (DIGITHEK_MARKDOWN (md), image_func,
                                    GINT_TO_POINTER (4), image_destroy);
  g_assert_cmpuint (n_image_calls, ==, 3);
  body = body_of (md);
  g_assert_cmpuint (n_children (body), ==, 4);
  clamp = child_at (body, 1);
  g_assert_true (ADW_IS_CLAMP (clamp));
  g_assert_true (gtk_widget_has_css_class (clamp, "markdown-image"));
  picture = adw_clamp_get_child (ADW_CLAMP (clamp));
  g_assert_true (GTK_IS_PICTURE (picture));
  g_assert_nonnull (gtk_picture_get_paintable (GTK_PICTURE (picture)));
  g_assert_cmpint (gtk_picture_get_content_fit (GTK_PICTURE (picture)), ==,
                   GTK_CONTENT_FIT_CONTAIN);
  g_assert_cmpstr (gtk_picture_get_alternative_text (GTK_PICTURE (picture)), ==,
                   "A map of Konstanz");
  /* A small image is never blown up. */
  g_assert_cmpint (adw_clamp_get_maximum_size (ADW_CLAMP (clamp)), ==, 4);
  assert_text_label (child_at (body, 3), NULL, "missing");
  assert_plain_text (md, "before A map of Konstanz after\n\nmissing");

  /* A large one is capped in width, and in height through its aspect ratio. */
  digithek_markdown_set_image_func (DIGITHEK_MARKDOWN (md), image_func,
                                    GINT_TO_POINTER (4000), image_destroy);
  g_assert_cmpuint (n_image_destroyed, ==, 1);
  pictures = find_all (md, GTK_TYPE_PICTURE);
  g_assert_cmpuint (pictures->len, ==, 1);
  clamp = child_at (body_of (md), 1);
  g_assert_cmpint (adw_clamp_get_maximum_size (ADW_CLAMP (clamp)), ==, 720);
  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md), "![tall](images/a.png)");
  g_assert_cmpuint (n_children (body_of (md)), ==, 1);

  /* Images inside a link stay alt text: the link's label is not split. */
  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md),
                              "[![logo](images/a.png)](https://example.org)");
  g_clear_pointer (&pictures, g_ptr_array_unref);
  pictures = find_all (md, GTK_TYPE_PICTURE);
  g_assert_cmpuint (pictures->len, ==, 0);
  assert_text_label (child_at (body_of (md), 0),
                     "<a href=\"https://example.org\"><u>logo</u></a>", "logo");

  g_assert_finalize_object (md);
  g_assert_cmpuint (n_image_destroyed, ==, 2);
}

static void
test_markdown_plain_text (void)
{
  GtkWidget *md = new_markdown ("# Title\n\n"
                                "Para with *em* and [link](https://e.org) and [js](javascript:x).\n\n"
                                "- one\n"
                                "- two\n"
                                "  - nested\n\n"
                                "1. first\n"
                                "2. second\n\n"
                                "> quote\n\n"
                                "    code\n\n"
                                "---\n\n"
                                "![alt text](x.png)\n\n"
                                "<div>html</div>\n\n"
                                "End  \nline");

  assert_plain_text (md, "Title\n\n"
                         "Para with em and link and js.\n\n"
                         "one\ntwo\nnested\n\n"
                         "1. first\n2. second\n\n"
                         "quote\n\n"
                         "code\n\n"
                         "alt text\n\n"
                         "End\nline");

  g_assert_finalize_object (md);
}

static void
test_markdown_utf8 (void)
{
  GtkWidget *md = new_markdown ("# Grüße aus Konstanz 🚲\n\n"
                                "Äpfel *über* Straßen — 😀 ✓ 👩‍👩‍👧");
  GtkWidget *body = body_of (md);

  assert_text_label (child_at (body, 0), "Grüße aus Konstanz 🚲", NULL);
  assert_text_label (child_at (body, 1), "Äpfel <i>über</i> Straßen — 😀 ✓ 👩‍👩‍👧",
                     "Äpfel über Straßen — 😀 ✓ 👩‍👩‍👧");
  assert_plain_text (md, "Grüße aus Konstanz 🚲\n\nÄpfel über Straßen — 😀 ✓ 👩‍👩‍👧");

  /* Broken UTF-8 becomes replacement characters, not a GTK warning. */
  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md), "a\xff\xfe *b\xc3*");
  body = body_of (md);
  g_assert_cmpuint (n_children (body), ==, 1);
  assert_text_label (child_at (body, 0), NULL, "a\xef\xbf\xbd\xef\xbf\xbd b\xef\xbf\xbd");

  g_assert_finalize_object (md);
}

static void
test_markdown_deep_nesting (void)
{
  GString *text = g_string_new (NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *md;
  int min, nat;

  for (guint i = 0; i < 5000; i++)
    g_string_append (text, "> ");
  g_string_append (text, "quote\n\n");
  for (guint i = 0; i < 2000; i++)
    g_string_append (text, "- ");
  g_string_append (text, "item\n\n");
  for (guint i = 0; i < 3000; i++)
    g_string_append (text, "*a ");
  g_string_append (text, "end\n");

  md = new_markdown (text->str);
  /* Flattened, so that measuring cannot run out of stack. */
  g_assert_cmpuint (tree_depth (md), <, 40);
  gtk_window_set_child (GTK_WINDOW (window), md);
  gtk_widget_measure (md, GTK_ORIENTATION_VERTICAL, 800, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, >, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_string_free (text, TRUE);
  g_assert_finalize_object (md);
}

static void
test_markdown_large (void)
{
  GString *text = g_string_new (NULL);
  GtkWidget *md = g_object_ref_sink (digithek_markdown_new ());
  g_autoptr(GTimer) timer = NULL;
  g_autofree char *plain = NULL;
  double seconds, blocking;
  gint64 longest_slice = 0;
  guint section = 0;

  while (text->len < 1024 * 1024)
    {
      section++;
      g_string_append_printf (text,
                              "## Abschnitt %u\n\n"
                              "Die Anzeigetafeln zeigen, wie viele Plätze **frei** sind. Die "
                              "Zahlen kommen *nicht* von Hand, sondern aus `Sensoren`, über "
                              "[LoRaWAN](https://example.org/%u) & Gateways. Ein Sensor weiß "
                              "nur „belegt“ oder „frei“ und schickt es alle paar Minuten.\n"
                              "Eine Batterie hält so mehrere Jahre; das spart Wartung. 🚲\n\n"
                              "- Stellplätze insgesamt\n"
                              "- minus Autos, die hineingefahren sind\n"
                              "  1. an der Schranke\n"
                              "  2. an der Schleife\n\n"
                              "> LoRaWAN steht für „Long Range Wide Area Network“.\n\n",
                              section, section);
    }

  /* set_text() blocks only for the first part; the rest is built in slices on the
   * main loop, and get_plain_text() finishes it at once. */
  timer = g_timer_new ();
  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md), text->str);
  blocking = g_timer_elapsed (timer, NULL);
  plain = digithek_markdown_get_plain_text (DIGITHEK_MARKDOWN (md));
  seconds = g_timer_elapsed (timer, NULL);
  g_test_message ("1 MB Markdown (%zu bytes, %u sections, %u widgets): set_text() blocked "
                  "%.0f ms, whole document %.0f ms",
                  text->len, section, count_widgets (md), blocking * 1000, seconds * 1000);
#if !defined(__SANITIZE_ADDRESS__)
  /* Sanitizer builds run several times slower; the bound is for real builds. */
  g_assert_cmpfloat (blocking, <, 0.2);
#endif
  g_assert_true (g_str_has_prefix (plain, "Abschnitt 1\n\nDie Anzeigetafeln"));
  g_assert_true (g_str_has_suffix (plain, "Long Range Wide Area Network“."));
  g_assert_cmpuint (n_children (body_of (md)), ==, section * 4);

  /* Left to the main loop, the slices finish it too. */
  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md), "");
  digithek_markdown_set_text (DIGITHEK_MARKDOWN (md), text->str);
  g_timer_start (timer);
  while (n_children (body_of (md)) < section * 4)
    {
      gint64 before = g_get_monotonic_time ();

      g_main_context_iteration (NULL, TRUE);
      longest_slice = MAX (longest_slice, g_get_monotonic_time () - before);
    }
  g_test_message ("in slices: %.0f ms in all, longest slice %.1f ms",
                  g_timer_elapsed (timer, NULL) * 1000, longest_slice / 1000.0);

  g_string_free (text, TRUE);
  g_assert_finalize_object (md);
}

static void
test_markdown_demo_texts (void)
{
  const char *demo_dir = g_getenv ("DEMO_DIR");
  g_autofree char *texts_dir = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n_files = 0;

  if (demo_dir == NULL)
    {
      g_test_skip ("DEMO_DIR not set");
      return;
    }

  texts_dir = g_build_filename (demo_dir, "smart-city-konstanz", "texts", NULL);
  dir = g_dir_open (texts_dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (texts_dir, name, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *plain = NULL;
      g_autoptr(GPtrArray) headings = NULL;
      GtkWidget *md;

      if (!g_str_has_suffix (name, ".md"))
        continue;
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      md = new_markdown (contents);
      g_assert_cmpuint (n_children (body_of (md)), >, 3);
      plain = digithek_markdown_get_plain_text (DIGITHEK_MARKDOWN (md));
      g_assert_null (strchr (plain, '*'));
      g_assert_null (strchr (plain, '#'));
      headings = find_all (md, GTK_TYPE_LABEL);
      g_assert_true (gtk_widget_has_css_class (headings->pdata[0], "title-1"));
      g_assert_finalize_object (md);
      n_files++;
    }
  g_assert_cmpuint (n_files, >, 0);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/markdown/empty", test_markdown_empty);
  g_test_add_func ("/ui/markdown/headings", test_markdown_headings);
  g_test_add_func ("/ui/markdown/inline", test_markdown_inline);
  g_test_add_func ("/ui/markdown/lists", test_markdown_lists);
  g_test_add_func ("/ui/markdown/quote", test_markdown_quote);
  g_test_add_func ("/ui/markdown/code-block", test_markdown_code_block);
  g_test_add_func ("/ui/markdown/thematic-break", test_markdown_thematic_break);
  g_test_add_func ("/ui/markdown/injection", test_markdown_injection);
  g_test_add_func ("/ui/markdown/links", test_markdown_links);
  g_test_add_func ("/ui/markdown/unsafe-links", test_markdown_unsafe_links);
  g_test_add_func ("/ui/markdown/images", test_markdown_images);
  g_test_add_func ("/ui/markdown/plain-text", test_markdown_plain_text);
  g_test_add_func ("/ui/markdown/utf8", test_markdown_utf8);
  g_test_add_func ("/ui/markdown/deep-nesting", test_markdown_deep_nesting);
  g_test_add_func ("/ui/markdown/large", test_markdown_large);
  g_test_add_func ("/ui/markdown/demo-texts", test_markdown_demo_texts);

  return g_test_run ();
}

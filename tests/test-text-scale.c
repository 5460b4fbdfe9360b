/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text at 150 % in a portrait window (1080×1920): every view of the demo packs lays out
 * without a clipped label (cut short vertically, ellipsized, or sticking out of the
 * area that clips it) and without two sibling labels on top of each other. The checker
 * itself must catch a deliberately broken layout. With DIGITHEK_SCREENSHOT_DIR set,
 * each view is also saved as a PNG there (100 % and 150 %, normal and high contrast,
 * both orientations). */

#include <string.h>
#include <adwaita.h>

#include "a11y-test-util.h"
#include "digithek-display-menu.h"
#include "digithek-guide-view.h"
#include "digithek-tour-view.h"

/* ---- the checker ---- */

static const char *
label_text (GtkWidget *label)
{
  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
is_shown (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_child_visible (widget) &&
         gtk_widget_get_width (widget) > 0 && gtk_widget_get_height (widget) > 0 &&
         gtk_widget_get_opacity (widget) > 0;
}

/* The nearest ancestor that cuts off what lies outside it horizontally. */
static GtkWidget *
clipping_ancestor (GtkWidget *widget)
{
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_VIEWPORT (w) || GTK_IS_SCROLLED_WINDOW (w) || GTK_IS_WINDOW (w) ||
        gtk_widget_get_overflow (w) == GTK_OVERFLOW_HIDDEN)
      return w;
  return NULL;
}

static void
check_label (GtkWidget *label,
             GPtrArray *problems)
{
  int width = gtk_widget_get_width (label);
  int height = gtk_widget_get_height (label);
  int min_h, nat_h, min_w, nat_w;
  const char *text = label_text (label);
  GtkWidget *clip;
  graphene_rect_t bounds;
  GtkBorder margin, border, padding;

  if (text == NULL || *text == '\0')
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_margin (gtk_widget_get_style_context (label), &margin);
  gtk_style_context_get_border (gtk_widget_get_style_context (label), &border);
  gtk_style_context_get_padding (gtk_widget_get_style_context (label), &padding);
  G_GNUC_END_IGNORE_DEPRECATIONS
  /* A widget's width and height are its content box; measuring adds CSS margin, border
   * and padding and the widget's own margins. */
  width += margin.left + margin.right + border.left + border.right + padding.left + padding.right +
           gtk_widget_get_margin_start (label) + gtk_widget_get_margin_end (label);
  height += margin.top + margin.bottom + border.top + border.bottom + padding.top + padding.bottom +
            gtk_widget_get_margin_top (label) + gtk_widget_get_margin_bottom (label);
  gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, width, &min_h, &nat_h, NULL, NULL);
  gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
  if (min_h > height + 1)
    g_ptr_array_add (problems, g_strdup_printf ("cut off (needs %d px, has %d): \"%.60s\"", min_h, height, text));
  else if (gtk_label_get_ellipsize (GTK_LABEL (label)) != PANGO_ELLIPSIZE_NONE &&
           (nat_h > height + 1 || (!gtk_label_get_wrap (GTK_LABEL (label)) && nat_w > width + 1)))
    g_ptr_array_add (problems, g_strdup_printf ("ellipsized: \"%.60s\"", text));

  clip = clipping_ancestor (label);
  if (clip != NULL && gtk_widget_compute_bounds (label, clip, &bounds))
    {
      int clip_width = gtk_widget_get_width (clip);

      if (bounds.origin.x < -1 || bounds.origin.x + bounds.size.width > clip_width + 1)
        g_ptr_array_add (problems, g_strdup_printf ("outside its %s (%.0f..%.0f of %d): \"%.60s\"",
                                                    G_OBJECT_TYPE_NAME (clip), bounds.origin.x,
                                                    bounds.origin.x + bounds.size.width,
                                                    clip_width, text));
    }
}

static void
check_siblings (GtkWidget *parent,
                GPtrArray *problems)
{
  for (GtkWidget *a = gtk_widget_get_first_child (parent); a != NULL; a = gtk_widget_get_next_sibling (a))
    {
      graphene_rect_t ra;

      if (!GTK_IS_LABEL (a) || !is_shown (a) || !gtk_widget_compute_bounds (a, parent, &ra))
        continue;
      for (GtkWidget *b = gtk_widget_get_next_sibling (a); b != NULL; b = gtk_widget_get_next_sibling (b))
        {
          graphene_rect_t rb, both;

          if (!GTK_IS_LABEL (b) || !is_shown (b) || !gtk_widget_compute_bounds (b, parent, &rb))
            continue;
          if (graphene_rect_intersection (&ra, &rb, &both) &&
              both.size.width > 1 && both.size.height > 1)
            g_ptr_array_add (problems, g_strdup_printf ("overlap: \"%.40s\" and \"%.40s\"",
                                                        label_text (a), label_text (b)));
        }
    }
}

static void
check_tree (GtkWidget *widget,
            GPtrArray *problems)
{
  if (!is_shown (widget))
    return;
  if (GTK_IS_LABEL (widget))
    check_label (widget, problems);
  check_siblings (widget, problems);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_tree (child, problems);
}

/* Problems of @root and of the window's open popovers. */
static GPtrArray *
check_layout (GtkWidget *root)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);

  check_tree (root, problems);
  return problems;
}

static void
assert_no_problems (GPtrArray  *problems,
                    const char *where)
{
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s: %s", where, (const char *) g_ptr_array_index (problems, i));
  if (problems->len > 0)
    {
      g_test_fail_printf ("%s: %u layout problems, the first: %s", where, problems->len,
                          (const char *) g_ptr_array_index (problems, 0));
    }
}

/* ---- screenshots ---- */

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("DIGITHEK_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, path);
}

/* ---- the tests ---- */

typedef struct
{
  int width;
  int height;
  guint scale;
  gboolean high_contrast;
  gboolean check;
} Setup;

static void
check_view (A11yFixture *fixture,
            const Setup *setup,
            const char  *name)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *where = NULL;
  g_autofree char *file = NULL;
  int min_w, min_h;

  where = g_strdup_printf ("%s at %u %% in %d×%d%s", name, setup->scale, setup->width,
                           setup->height, setup->high_contrast ? ", high contrast" : "");
  file = g_strdup_printf ("%s-%u-%s%s.png", name, setup->scale,
                          setup->width > setup->height ? "landscape" : "portrait",
                          setup->high_contrast ? "-hc" : "");
  g_strdelimit (file, "/", '_');
  save_screenshot (GTK_WIDGET (fixture->window), file);
  if (!setup->check)
    return;

  /* The window must not have grown past the screen to fit its content. */
  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_VERTICAL, setup->width, &min_h, NULL, NULL, NULL);
  if (min_w > setup->width || min_h > setup->height)
    {
      g_test_message ("%s: the window needs %d×%d", where, min_w, min_h);
      g_test_fail_printf ("%s: the window needs %d×%d", where, min_w, min_h);
    }
  problems = check_layout (GTK_WIDGET (fixture->window));
  assert_no_problems (problems, where);
}

static void
walk_every_view (const Setup *setup)
{
  A11yFixture fixture;
  g_autoptr(GPtrArray) ids = NULL;
  const char *languages[] = { "de", "en" };

  a11y_fixture_set_up (&fixture, setup->width, setup->height);
  digithek_window_set_text_scale (fixture.window, setup->scale);
  digithek_window_set_high_contrast (fixture.window, setup->high_contrast);
  ids = a11y_list_item_ids (&fixture);

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autofree char *home = g_strdup_printf ("home-%s", languages[l]);

      a11y_show_home (&fixture, languages[l]);
      check_view (&fixture, setup, home);
      /* The text size menu, open. */
      if (l == 0)
        {
          digithek_display_menu_set_open (DIGITHEK_DISPLAY_MENU (digithek_window_get_display_menu (fixture.window)), TRUE);
          a11y_spin (300);
          check_view (&fixture, setup, "display-menu");
          {
            GtkWidget *button = digithek_display_menu_get_button (DIGITHEK_DISPLAY_MENU (digithek_window_get_display_menu (fixture.window)));
            GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
            g_autoptr(GPtrArray) problems = check_layout (popover);
            g_autofree char *file = g_strdup_printf ("display-popover-%u%s.png", setup->scale,
                                                     setup->high_contrast ? "-hc" : "");

            /* The popover is a surface of its own. */
            save_screenshot (popover, file);
            if (setup->check)
              assert_no_problems (problems, "the display menu's popover");
          }
          digithek_display_menu_set_open (DIGITHEK_DISPLAY_MENU (digithek_window_get_display_menu (fixture.window)), FALSE);
          a11y_spin (300);
        }

      for (guint i = 0; i < ids->len; i++)
        {
          const char *id = g_ptr_array_index (ids, i);
          g_autofree char *name = g_strdup_printf ("%s-%s", id, languages[l]);
          GtkWidget *view;

          a11y_open (&fixture, id);
          check_view (&fixture, setup, name);
          view = digithek_window_get_item_view (fixture.window);
          /* Every step of a guide, every stop of a tour. */
          if (DIGITHEK_IS_GUIDE_VIEW (view))
            for (guint s = 1; digithek_window_next (fixture.window); s++)
              {
                g_autofree char *step = g_strdup_printf ("%s-step%u", name, s + 1);

                a11y_wait_for_view (&fixture, NULL);
                check_view (&fixture, setup, step);
              }
          if (DIGITHEK_IS_TOUR_VIEW (view))
            for (guint s = 1; digithek_window_next (fixture.window); s++)
              {
                g_autofree char *stop = g_strdup_printf ("%s-stop%u", name, s + 1);

                a11y_wait_for_view (&fixture, NULL);
                check_view (&fixture, setup, stop);
              }
          digithek_window_go_home (fixture.window);
          a11y_wait_for_view (&fixture, "home");
        }
    }

  a11y_fixture_tear_down (&fixture);
}

static void
test_text_scale_150_portrait (void)
{
  Setup setup = { 1080, 1920, 150, FALSE, TRUE };

  walk_every_view (&setup);
}

static void
test_text_scale_150_landscape (void)
{
  Setup setup = { 1920, 1080, 150, FALSE, TRUE };

  walk_every_view (&setup);
}

static void
test_text_scale_150_high_contrast (void)
{
  Setup setup = { 1080, 1920, 150, TRUE, TRUE };

  walk_every_view (&setup);
}

/* Only with DIGITHEK_SCREENSHOT_DIR: the 100 % pictures to compare with. */
static void
test_text_scale_screenshots (void)
{
  const Setup setups[] = {
    { 1920, 1080, 100, FALSE, FALSE }, { 1080, 1920, 100, FALSE, FALSE },
    { 1920, 1080, 100, TRUE, FALSE }, { 1080, 1920, 100, TRUE, FALSE },
    { 1920, 1080, 150, TRUE, FALSE },
  };

  if (g_getenv ("DIGITHEK_SCREENSHOT_DIR") == NULL)
    {
      g_test_skip ("DIGITHEK_SCREENSHOT_DIR is not set");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (setups); i++)
    walk_every_view (&setups[i]);
}

/* The checker finds what it is there to find: a label cut short by ellipsizing, a
 * label pushed out of its scrolled area, and two labels on top of each other. */
static void
test_text_scale_detects_broken_layout (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *ellipsized = gtk_label_new ("A title far too long for the narrow window it is shown in");
  GtkWidget *fixed = gtk_fixed_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *wide = gtk_label_new ("An unwrapped line wider than the scrolled area around it");
  g_autoptr(GPtrArray) problems = NULL;
  gboolean ellipsis = FALSE, overlap = FALSE, outside = FALSE;

  gtk_label_set_ellipsize (GTK_LABEL (ellipsized), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), ellipsized);
  gtk_fixed_put (GTK_FIXED (fixed), gtk_label_new ("First label"), 10, 10);
  gtk_fixed_put (GTK_FIXED (fixed), gtk_label_new ("Second label"), 14, 12);
  gtk_box_append (GTK_BOX (box), fixed);
  /* Scrolled horizontally by no policy: the window clips the label. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_EXTERNAL, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), wide);
  gtk_widget_set_size_request (scrolled, 120, -1);
  gtk_widget_set_halign (scrolled, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 200, 200);
  gtk_window_present (GTK_WINDOW (window));
  a11y_spin (300);

  problems = check_layout (window);
  for (guint i = 0; i < problems->len; i++)
    {
      const char *p = g_ptr_array_index (problems, i);

      g_test_message ("found: %s", p);
      ellipsis |= g_str_has_prefix (p, "ellipsized");
      overlap |= g_str_has_prefix (p, "overlap");
      outside |= g_str_has_prefix (p, "outside");
    }
  g_assert_true (ellipsis);
  g_assert_true (overlap);
  g_assert_true (outside);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Text size and contrast reach the window's classes, the chart's fonts, and reset. */
static void
test_text_scale_api (void)
{
  A11yFixture fixture;
  GtkWidget *window;

  a11y_fixture_set_up (&fixture, 1080, 1920);
  window = GTK_WIDGET (fixture.window);
  g_assert_cmpuint (digithek_window_get_text_scale (fixture.window), ==, 100);
  digithek_window_set_text_scale (fixture.window, 150);
  g_assert_cmpuint (digithek_window_get_text_scale (fixture.window), ==, 150);
  g_assert_true (gtk_widget_has_css_class (window, "text-150"));
  digithek_window_set_text_scale (fixture.window, 120);
  g_assert_cmpuint (digithek_window_get_text_scale (fixture.window), ==, 125);
  g_assert_true (gtk_widget_has_css_class (window, "text-125"));
  g_assert_false (gtk_widget_has_css_class (window, "text-150"));
  digithek_window_set_high_contrast (fixture.window, TRUE);
  g_assert_true (gtk_widget_has_css_class (window, "high-contrast"));

  /* A view title really is larger at 150 % than at 100 %. */
  a11y_open (&fixture, "smart-city-konstanz/simra");
  {
    GtkWidget *view = digithek_window_get_item_view (fixture.window);
    int h100, h150;
    GtkWidget *title = gtk_widget_get_first_child (view);

    /* Find the first label (the title) depth first. */
    while (title != NULL && !GTK_IS_LABEL (title))
      title = gtk_widget_get_first_child (title) != NULL ? gtk_widget_get_first_child (title)
                                                         : gtk_widget_get_next_sibling (title);
    g_assert_nonnull (title);
    digithek_window_set_text_scale (fixture.window, 100);
    a11y_spin (100);
    gtk_widget_measure (title, GTK_ORIENTATION_VERTICAL, -1, NULL, &h100, NULL, NULL);
    digithek_window_set_text_scale (fixture.window, 150);
    a11y_spin (100);
    gtk_widget_measure (title, GTK_ORIENTATION_VERTICAL, -1, NULL, &h150, NULL, NULL);
    g_assert_cmpint (h150, >=, h100 * 1.4);
  }

  digithek_window_reset_display (fixture.window);
  g_assert_cmpuint (digithek_window_get_text_scale (fixture.window), ==, 100);
  g_assert_false (digithek_window_get_high_contrast (fixture.window));
  g_assert_false (gtk_widget_has_css_class (window, "text-150"));
  g_assert_false (gtk_widget_has_css_class (window, "high-contrast"));
  a11y_fixture_tear_down (&fixture);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  a11y_load_style ();

  g_test_add_func ("/ui/text-scale/detects-broken-layout", test_text_scale_detects_broken_layout);
  g_test_add_func ("/ui/text-scale/api", test_text_scale_api);
  g_test_add_func ("/ui/text-scale/150-portrait", test_text_scale_150_portrait);
  g_test_add_func ("/ui/text-scale/150-landscape", test_text_scale_150_landscape);
  g_test_add_func ("/ui/text-scale/150-high-contrast", test_text_scale_150_high_contrast);
  g_test_add_func ("/ui/text-scale/screenshots", test_text_scale_screenshots);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-qr-paintable.h"

struct _DigithekQrPaintable
{
  GObject        parent_instance;

  /* owned */
  DigithekQr    *qr;
  GskRenderNode *node;      /* the last drawing, reused at the same size */
  double         node_width;
  double         node_height;
};

static void digithek_qr_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DigithekQrPaintable, digithek_qr_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      digithek_qr_paintable_iface_init))

static GskRenderNode *
build_node (DigithekQrPaintable *self,
            double               width,
            double               height)
{
  static const GdkRGBA white = { 1, 1, 1, 1 };
  static const GdkRGBA black = { 0, 0, 0, 1 };
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  int modules = (int) digithek_qr_get_size (self->qr);
  int symbol = (int) digithek_qr_get_width (self->qr);
  int side = (int) MIN (width, height);
  int scale = MAX (1, side / modules);
  int x0 = (int) ((width - modules * scale) / 2);
  int y0 = (int) ((height - modules * scale) / 2);
  int origin_x = x0 + DIGITHEK_QR_QUIET_ZONE * scale;
  int origin_y = y0 + DIGITHEK_QR_QUIET_ZONE * scale;

  /* Whole pixels per module and a whole-pixel origin: a module blurred over two pixel
   * columns is what makes phones fail on screens. */
  gtk_snapshot_append_color (snapshot, &white,
                             &GRAPHENE_RECT_INIT (x0, y0, modules * scale, modules * scale));
  for (int y = 0; y < symbol; y++)
    {
      int x = 0;

      /* One rectangle per run of dark modules: a third of the nodes of one per module. */
      while (x < symbol)
        {
          int start;

          while (x < symbol && !digithek_qr_get_module (self->qr, x, y))
            x++;
          start = x;
          while (x < symbol && digithek_qr_get_module (self->qr, x, y))
            x++;
          if (x > start)
            gtk_snapshot_append_color (snapshot, &black,
                                       &GRAPHENE_RECT_INIT (origin_x + start * scale,
                                                            origin_y + y * scale,
                                                            (x - start) * scale, scale));
        }
    }
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static void
digithek_qr_paintable_snapshot (GdkPaintable *paintable,
                                GdkSnapshot  *snapshot,
                                double        width,
                                double        height)
{
  DigithekQrPaintable *self = DIGITHEK_QR_PAINTABLE (paintable);

  if (width <= 0 || height <= 0)
    return;
  if (self->node == NULL || self->node_width != width || self->node_height != height)
    {
      g_clear_pointer (&self->node, gsk_render_node_unref);
      self->node = build_node (self, width, height);
      self->node_width = width;
      self->node_height = height;
    }
  if (self->node != NULL)
    gtk_snapshot_append_node (GTK_SNAPSHOT (snapshot), self->node);
}

static int
digithek_qr_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  return digithek_qr_paintable_get_min_size (DIGITHEK_QR_PAINTABLE (paintable));
}

static int
digithek_qr_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  return digithek_qr_paintable_get_min_size (DIGITHEK_QR_PAINTABLE (paintable));
}

static GdkPaintableFlags
digithek_qr_paintable_get_flags (GdkPaintable *paintable)
{
  return GDK_PAINTABLE_STATIC_CONTENTS | GDK_PAINTABLE_STATIC_SIZE;
}

static void
digithek_qr_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = digithek_qr_paintable_snapshot;
  iface->get_intrinsic_width = digithek_qr_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = digithek_qr_paintable_get_intrinsic_height;
  iface->get_flags = digithek_qr_paintable_get_flags;
}

static void
digithek_qr_paintable_finalize (GObject *object)
{
  DigithekQrPaintable *self = DIGITHEK_QR_PAINTABLE (object);

  g_clear_pointer (&self->qr, digithek_qr_unref);
  g_clear_pointer (&self->node, gsk_render_node_unref);

  G_OBJECT_CLASS (digithek_qr_paintable_parent_class)->finalize (object);
}

static void
digithek_qr_paintable_class_init (DigithekQrPaintableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = digithek_qr_paintable_finalize;
}

static void
digithek_qr_paintable_init (DigithekQrPaintable *self)
{
}

DigithekQrPaintable *
digithek_qr_paintable_new (DigithekQr *qr)
{
  DigithekQrPaintable *self;

  g_return_val_if_fail (qr != NULL, NULL);

  self = g_object_new (DIGITHEK_TYPE_QR_PAINTABLE, NULL);
  self->qr = digithek_qr_ref (qr);
  return self;
}

DigithekQr *
digithek_qr_paintable_get_qr (DigithekQrPaintable *self)
{
  g_return_val_if_fail (DIGITHEK_IS_QR_PAINTABLE (self), NULL);
  return self->qr;
}

int
digithek_qr_paintable_get_min_size (DigithekQrPaintable *self)
{
  g_return_val_if_fail (DIGITHEK_IS_QR_PAINTABLE (self), 0);
  return (int) (digithek_qr_get_size (self->qr) * DIGITHEK_QR_MIN_PIXELS_PER_MODULE);
}

/* ---- the cache ---- */

/* Paintables keep their last render node: caching them (not only the matrices) makes
 * showing a code again cost nothing. A guide's steps and a text's links fit. */
#define CACHE_CAPACITY 16

static GQueue cache = G_QUEUE_INIT; /* DigithekQrPaintable, most recently used first */

DigithekQrPaintable *
digithek_qr_paintable_new_for_url (const char *url,
                                   GError    **error)
{
  g_autoptr(DigithekQr) qr = NULL;
  DigithekQrPaintable *self;

  g_return_val_if_fail (url != NULL, NULL);

  for (GList *l = cache.head; l != NULL; l = l->next)
    {
      DigithekQrPaintable *cached = l->data;

      if (g_str_equal (digithek_qr_get_text (cached->qr), url))
        {
          g_queue_unlink (&cache, l);
          g_queue_push_head_link (&cache, l);
          return g_object_ref (cached);
        }
    }

  qr = digithek_qr_lookup (url, error);
  if (qr == NULL)
    return NULL;
  self = digithek_qr_paintable_new (qr);
  g_queue_push_head (&cache, g_object_ref (self));
  while (cache.length > CACHE_CAPACITY)
    g_object_unref (g_queue_pop_tail (&cache));
  return self;
}

void
digithek_qr_paintable_cache_clear (void)
{
  g_queue_clear_full (&cache, g_object_unref);
}

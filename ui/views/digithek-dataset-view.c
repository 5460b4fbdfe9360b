/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <json-glib/json-glib.h>
#include <glib/gi18n.h>

#include "digithek-dataset-view.h"
#include "digithek-json.h"
#include "digithek-licence.h"
#include "digithek-pack.h"
#include "digithek-item-view.h"
#include "digithek-format.h"
#include "digithek-data-table.h"
#include "digithek-qr-card.h"
#include "digithek-read-aloud-button.h"

struct _DigithekDatasetView
{
  AdwBin          parent_instance;

  /* template widgets */
  GtkLabel       *title_label;
  GtkLabel       *summary_label;
  GtkLabel       *freshness_label;
  AdwButtonContent *reset_content;
  GtkWidget      *reset_button;
  GtkStack       *chart_stack;
  DigithekChart  *chart;
  AdwStatusPage  *error_page;
  GtkLabel       *source_label;
  DigithekQrCard *qr_card;
  /* a11y */
  GtkBox         *actions_box;
  GtkToggleButton *table_button;
  AdwButtonContent *table_content;
  DigithekDataTable *data_table;
  GtkLabel       *chart_summary_label;
  GtkWidget      *read_aloud_button;

  /* owned */
  DigithekStore  *store;
  GCancellable   *cancellable;
  char           *language;
  char           *pack_id;
  char           *item_id;
  JsonObject     *manifest;  /* the item's, parsed once by the window */
  DigithekHandoff *handoff;
  gboolean        prefer_local;
};

static void item_view_iface_init (DigithekItemViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DigithekDatasetView, digithek_dataset_view, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (DIGITHEK_TYPE_ITEM_VIEW, item_view_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static DigithekChartType
chart_type_from_string (const char *type)
{
  return g_strcmp0 (type, "bar") == 0 ? DIGITHEK_CHART_BAR : DIGITHEK_CHART_LINE;
}

/* ---- a11y: chart summary, data table, read-aloud ---- */

static void
chart_summary_changed_cb (DigithekDatasetView *self)
{
  const char *summary = digithek_chart_get_summary (self->chart);

  gtk_label_set_label (self->chart_summary_label, summary != NULL ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->chart_summary_label), summary != NULL && *summary != '\0');
  if (gtk_toggle_button_get_active (self->table_button))
    digithek_data_table_fill (self->data_table, self->chart, self->language);
}

static void
table_toggled_cb (DigithekDatasetView *self)
{
  gboolean table = gtk_toggle_button_get_active (self->table_button);

  if (table)
    digithek_data_table_fill (self->data_table, self->chart, self->language);
  adw_button_content_set_label (self->table_content,
                                table ? _("Chart") : _("Table"));
  adw_button_content_set_icon_name (self->table_content,
                                    table ? "view-paged-symbolic" : "view-list-symbolic");
  if (!digithek_item_view_get_loading (DIGITHEK_ITEM_VIEW (self)) && !g_str_equal (gtk_stack_get_visible_child_name (self->chart_stack), "error"))
    gtk_stack_set_visible_child_name (self->chart_stack, table ? "table" : "chart");
}

static char *
read_aloud_text (gpointer user_data)
{
  return digithek_dataset_view_get_read_aloud_text (DIGITHEK_DATASET_VIEW (user_data));
}

char *
digithek_dataset_view_get_read_aloud_text (DigithekDatasetView *self)
{
  GString *text;
  const char *summary;

  g_return_val_if_fail (DIGITHEK_IS_DATASET_VIEW (self), NULL);

  text = g_string_new (gtk_label_get_label (self->title_label));
  g_string_append (text, ".\n");
  if (gtk_widget_get_visible (GTK_WIDGET (self->summary_label)))
    g_string_append_printf (text, "%s\n", gtk_label_get_label (self->summary_label));
  summary = digithek_chart_get_summary (self->chart);
  if (summary != NULL && !digithek_item_view_get_loading (DIGITHEK_ITEM_VIEW (self)))
    g_string_append_printf (text, "%s\n", summary);
  return g_string_free (text, FALSE);
}

gboolean
digithek_dataset_view_get_table_shown (DigithekDatasetView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_DATASET_VIEW (self), FALSE);
  return gtk_toggle_button_get_active (self->table_button);
}

void
digithek_dataset_view_set_table_shown (DigithekDatasetView *self,
                                       gboolean             shown)
{
  g_return_if_fail (DIGITHEK_IS_DATASET_VIEW (self));
  gtk_toggle_button_set_active (self->table_button, shown);
}

DigithekDataTable *
digithek_dataset_view_get_data_table (DigithekDatasetView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_DATASET_VIEW (self), NULL);
  return self->data_table;
}

GtkWidget *
digithek_dataset_view_get_read_aloud_button (DigithekDatasetView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_DATASET_VIEW (self), NULL);
  return self->read_aloud_button;
}

static void
fill_chart (DigithekDatasetView  *self,
            DigithekStoreDataset *dataset)
{
  DigithekStoreColumn *x = &dataset->columns[dataset->x_column];
  g_autofree double *x_values = NULL;
  const double *xs = x->numbers;

  /* Categories are placed by row; their labels come from the texts. */
  if (dataset->x_kind == DIGITHEK_CSV_X_CATEGORY || xs == NULL)
    {
      x_values = g_new (double, MAX (dataset->n_rows, 1));
      for (guint64 i = 0; i < dataset->n_rows; i++)
        x_values[i] = (double) i;
      xs = x_values;
    }
  digithek_chart_set_x (self->chart, dataset->x_kind, xs,
                        dataset->x_kind == DIGITHEK_CSV_X_CATEGORY
                          ? (const char * const *) x->texts : NULL,
                        dataset->n_rows);

  for (guint i = 1; i <= dataset->n_y && i < dataset->n_columns; i++)
    {
      DigithekStoreColumn *column = &dataset->columns[i];

      /* Legend, table, summary and read-aloud all take the chart's series names. */
      if (column->numbers != NULL)
        digithek_chart_add_series (self->chart,
                                   digithek_json_series_label (self->manifest, column->name,
                                                               self->language),
                                   column->numbers, dataset->n_rows);
    }

  digithek_chart_set_chart_type (self->chart, chart_type_from_string (dataset->chart_type));
  digithek_chart_set_unit (self->chart, dataset->unit);
  digithek_chart_set_language (self->chart, self->language);

  if (dataset->last_time > 0)
    {
      g_autofree char *freshness = digithek_format_freshness (self->language, dataset->last_time);

      gtk_label_set_label (self->freshness_label, freshness);
    }

  gtk_stack_set_visible_child_name (self->chart_stack, "chart");
  gtk_widget_set_sensitive (GTK_WIDGET (self->table_button), TRUE);
  chart_summary_changed_cb (self);
}

static void
dataset_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DigithekDatasetView *self = user_data;
  g_autoptr(DigithekStoreDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  dataset = digithek_store_get_dataset_finish (DIGITHEK_STORE (source), result, &error);
  /* Cancelled in dispose: self is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (dataset == NULL)
    {
      g_debug ("Cannot load the dataset: %s", error->message);
      adw_status_page_set_title (self->error_page, _("The data cannot be shown right now."));
      gtk_stack_set_visible_child_name (self->chart_stack, "error");
    }
  else
    fill_chart (self, dataset);

  digithek_item_view_end_load (DIGITHEK_ITEM_VIEW (self));
}

/* "Quelle: NAME · Lizenz: Datenlizenz Deutschland – Namensnennung – Version 2.0
 * dl-de/by-2-0" from the manifest's source object, as Pango markup: a licence by its
 * name in @language with its id small beside it, an unknown one by its id. */
static char *
source_markup (JsonObject *manifest,
               const char *language)
{
  JsonObject *source = digithek_json_get_object (manifest, "source");
  g_autofree char *name = NULL;
  g_autofree char *licence = NULL;
  const char *source_name;
  const char *id;
  const char *licence_name;

  if (source == NULL)
    return NULL;
  source_name = digithek_json_get_string (source, "name");
  name = g_markup_escape_text (source_name != NULL ? source_name : "—", -1);
  id = digithek_json_get_string (source, "license");
  licence_name = digithek_licence_name (id, language);
  if (licence_name != NULL)
    licence = g_markup_printf_escaped ("%s <small>%s</small>", licence_name, id);
  else
    licence = g_markup_escape_text (id != NULL ? id : "—", -1);

  /* TRANSLATORS: under a chart: where the data comes from, and its licence */
  return g_strdup_printf (_("Source: %s · Licence: %s"), name, licence);
}

static void
update_qr_card (DigithekDatasetView *self)
{
  digithek_qr_card_show_item (self->qr_card, self->handoff, self->manifest,
                              self->pack_id, self->item_id, 0, self->language,
                              self->prefer_local);
}

static void
reset_zoom_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DigithekDatasetView *self = DIGITHEK_DATASET_VIEW (widget);

  digithek_chart_reset_zoom (self->chart);
}

static void
digithek_dataset_view_dispose (GObject *object)
{
  DigithekDatasetView *self = DIGITHEK_DATASET_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->handoff);

  G_OBJECT_CLASS (digithek_dataset_view_parent_class)->dispose (object);
}

static void
digithek_dataset_view_finalize (GObject *object)
{
  DigithekDatasetView *self = DIGITHEK_DATASET_VIEW (object);

  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->pack_id, g_free);
  g_clear_pointer (&self->item_id, g_free);
  g_clear_pointer (&self->manifest, json_object_unref);

  G_OBJECT_CLASS (digithek_dataset_view_parent_class)->finalize (object);
}

static void
digithek_dataset_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DigithekDatasetView *self = DIGITHEK_DATASET_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, digithek_item_view_get_loading (DIGITHEK_ITEM_VIEW (self)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_dataset_view_class_init (DigithekDatasetViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = digithek_dataset_view_dispose;
  object_class->finalize = digithek_dataset_view_finalize;
  object_class->get_property = digithek_dataset_view_get_property;

  g_object_class_override_property (object_class, PROP_LOADING, "loading");

  g_type_ensure (DIGITHEK_TYPE_CHART);
  g_type_ensure (DIGITHEK_TYPE_DATA_TABLE);
  g_type_ensure (DIGITHEK_TYPE_QR_CARD);
  g_type_ensure (DIGITHEK_TYPE_QR_CARD_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/digithek/Kiosk/digithek-dataset-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, qr_card);
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, title_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, freshness_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, reset_content);
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, chart_stack);
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, chart);
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, error_page);
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, source_label);
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, actions_box);
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, reset_button);
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, table_button);
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, table_content);
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, data_table);
  gtk_widget_class_bind_template_child (widget_class, DigithekDatasetView, chart_summary_label);
  gtk_widget_class_bind_template_callback (widget_class, table_toggled_cb);

  gtk_widget_class_install_action (widget_class, "dataset.reset-zoom", NULL, reset_zoom_action);
}

static void
digithek_dataset_view_init (DigithekDatasetView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  self->read_aloud_button = digithek_read_aloud_button_new ();
  gtk_widget_set_valign (self->read_aloud_button, GTK_ALIGN_CENTER);
  digithek_read_aloud_button_set_text_func (DIGITHEK_READ_ALOUD_BUTTON (self->read_aloud_button),
                                            read_aloud_text, self);
  gtk_box_prepend (self->actions_box, self->read_aloud_button);
  gtk_widget_set_sensitive (GTK_WIDGET (self->table_button), FALSE);
  g_signal_connect_swapped (self->chart, "notify::summary",
                            G_CALLBACK (chart_summary_changed_cb), self);
}

GtkWidget *
digithek_dataset_view_new (DigithekStore     *store,
                           DigithekStoreItem *item,
                           JsonObject        *manifest)
{
  DigithekDatasetView *self;
  g_autofree char *source = NULL;

  g_return_val_if_fail (DIGITHEK_IS_STORE (store), NULL);
  g_return_val_if_fail (item != NULL, NULL);

  self = g_object_new (DIGITHEK_TYPE_DATASET_VIEW, NULL);
  self->store = g_object_ref (store);
  self->language = g_strdup (item->language);
  self->pack_id = g_strdup (item->pack_id);
  self->item_id = g_strdup (item->item_id);
  self->manifest = manifest != NULL ? json_object_ref (manifest) : NULL;
  update_qr_card (self);

  gtk_label_set_label (self->title_label, item->title);
  gtk_label_set_label (self->summary_label, item->summary != NULL ? item->summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), item->summary != NULL);
  adw_button_content_set_label (self->reset_content, _("Show everything"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reset_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show everything"), -1);
  digithek_read_aloud_button_set_language (DIGITHEK_READ_ALOUD_BUTTON (self->read_aloud_button),
                                           self->language);
  table_toggled_cb (self);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reset_content), _("Reset the zoom"));

  /* Source and licence are a condition of the data's licence: always shown. */
  source = source_markup (manifest, self->language);
  gtk_label_set_markup (self->source_label, source != NULL ? source : "");

  digithek_item_view_begin_load (DIGITHEK_ITEM_VIEW (self));
  digithek_store_get_dataset_async (store, item->pack_id, item->item_id, self->cancellable,
                                    dataset_loaded_cb, self);

  return GTK_WIDGET (self);
}

gboolean
digithek_dataset_view_get_loading (DigithekDatasetView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_DATASET_VIEW (self), FALSE);
  return digithek_item_view_get_loading (DIGITHEK_ITEM_VIEW (self));
}

DigithekChart *
digithek_dataset_view_get_chart (DigithekDatasetView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_DATASET_VIEW (self), NULL);
  return self->chart;
}

const char *
digithek_dataset_view_get_source_text (DigithekDatasetView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_DATASET_VIEW (self), NULL);
  return gtk_label_get_text (self->source_label);
}

void
digithek_dataset_view_set_handoff (DigithekDatasetView *self,
                                   DigithekHandoff     *handoff,
                                   gboolean             prefer_local)
{
  g_return_if_fail (DIGITHEK_IS_DATASET_VIEW (self));
  g_return_if_fail (handoff == NULL || DIGITHEK_IS_HANDOFF (handoff));

  g_set_object (&self->handoff, handoff);
  self->prefer_local = prefer_local;
  update_qr_card (self);
}

DigithekQrCard *
digithek_dataset_view_get_qr_card (DigithekDatasetView *self)
{
  g_return_val_if_fail (DIGITHEK_IS_DATASET_VIEW (self), NULL);
  return self->qr_card;
}

/* ---- DigithekItemView ---- */

static void
item_view_set_handoff (DigithekItemView *view,
                       DigithekHandoff  *handoff,
                       gboolean          prefer_local)
{
  digithek_dataset_view_set_handoff (DIGITHEK_DATASET_VIEW (view), handoff, prefer_local);
}

static const char *
item_view_get_language (DigithekItemView *view)
{
  return DIGITHEK_DATASET_VIEW (view)->language;
}

static char *
item_view_get_read_aloud_text (DigithekItemView *view)
{
  return digithek_dataset_view_get_read_aloud_text (DIGITHEK_DATASET_VIEW (view));
}

static void
item_view_iface_init (DigithekItemViewInterface *iface)
{
  iface->set_handoff = item_view_set_handoff;
  iface->get_language = item_view_get_language;
  iface->get_read_aloud_text = item_view_get_read_aloud_text;
}

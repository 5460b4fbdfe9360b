/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The validator's dataset step: CSV options, and the data read once as the importer
 * will read it, with bad cells reported per column. */

#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "digithek-pack-private.h"

/* Bad cells reported per column before summing up the rest. */
#define MAX_BAD_CELLS 5
/* Columns named in a "not in the header" message before eliding the rest. */
#define MAX_LISTED_COLUMNS 20

/* ---- datasets ---- */

static gboolean
parse_csv_options (Validator          *v,
                   JsonObject         *object,
                   const char         *path,
                   DigithekCsvOptions *options)
{
  static const char * const known[] = {
    "delimiter", "decimal", "encoding", "header_row", "first_data_row", NULL
  };
  gboolean ok = TRUE;
  JsonNode *node;
  gint64 row;

  digithek_pack_check_members (v, object, path, known, NULL, NULL);

  if ((node = json_object_get_member (object, "delimiter")) != NULL)
    {
      g_autofree char *child = digithek_pack_path_key (path, "delimiter");

      if (!digithek_pack_node_is_string (node))
        {
          digithek_pack_problem (v, child, "must be one character in quotes, like \";\", not %s",
                                 digithek_pack_describe_node (node));
          ok = FALSE;
        }
      else
        {
          const char *text = json_node_get_string (node);

          if (strlen (text) != 1)
            {
              g_autofree char *quoted = digithek_pack_quote_value (text);
              digithek_pack_problem (v, child,
                                     "must be exactly one character, like \";\", \",\" or \"\\t\", "
                                     "not %s", quoted);
              ok = FALSE;
            }
          else if (text[0] == '"' || text[0] == '\n' || text[0] == '\r'
                   || (guchar) text[0] >= 0x80)
            {
              digithek_pack_problem (v, child,
                                     "cannot be a quote, a line break or a non-ASCII character; "
                                     "use \";\", \",\" or \"\\t\"");
              ok = FALSE;
            }
          else
            options->delimiter = text[0];
        }
    }
  if ((node = json_object_get_member (object, "decimal")) != NULL)
    {
      g_autofree char *child = digithek_pack_path_key (path, "decimal");

      if (!digithek_pack_node_is_string (node)
          || (strcmp (json_node_get_string (node), ".") != 0
              && strcmp (json_node_get_string (node), ",") != 0))
        {
          digithek_pack_problem (v, child,
                                 "must be \".\" or \",\" (the decimal mark of the numbers)");
          ok = FALSE;
        }
      else
        options->decimal = json_node_get_string (node)[0];
    }
  if (options->delimiter != 0 && options->delimiter == options->decimal)
    {
      g_autofree char *child = digithek_pack_path_key (path, "decimal");
      digithek_pack_problem (v, child, "cannot be the same character as the delimiter");
      ok = FALSE;
    }
  if ((node = json_object_get_member (object, "encoding")) != NULL)
    {
      g_autofree char *child = digithek_pack_path_key (path, "encoding");

      if (!digithek_pack_node_is_string (node))
        {
          digithek_pack_problem (v, child, "must be text in quotes, not %s",
                                 digithek_pack_describe_node (node));
          ok = FALSE;
        }
      else if (!digithek_csv_encoding_from_string (json_node_get_string (node),
                                                   &options->encoding))
        {
          g_autofree char *quoted = digithek_pack_quote_value (json_node_get_string (node));
          digithek_pack_problem (v, child, "unknown encoding %s; use \"UTF-8\", \"ISO-8859-1\" or "
                                 "\"Windows-1252\", or leave it out to detect it", quoted);
          ok = FALSE;
        }
    }
  if ((node = json_object_get_member (object, "header_row")) != NULL)
    {
      g_autofree char *child = digithek_pack_path_key (path, "header_row");

      if (digithek_pack_get_positive (v, node, child, G_MAXINT, &row))
        options->header_row = (guint) row;
      else
        ok = FALSE;
    }
  if ((node = json_object_get_member (object, "first_data_row")) != NULL)
    {
      g_autofree char *child = digithek_pack_path_key (path, "first_data_row");

      if (!digithek_pack_get_positive (v, node, child, G_MAXINT, &row))
        ok = FALSE;
      else if ((guint) row <= MAX (options->header_row, 1))
        {
          digithek_pack_problem (v, child,
                                 "must come after the header row (%u), not %" G_GINT64_FORMAT,
                                 MAX (options->header_row, 1), row);
          ok = FALSE;
        }
      else
        options->first_data_row = (guint) row;
    }
  return ok;
}

typedef struct
{
  guint64 line;
  char   *value;
} BadCell;

static void
bad_cell_clear (gpointer data)
{
  BadCell *cell = data;

  g_free (cell->value);
}

static GArray *
bad_cells_new (void)
{
  GArray *cells = g_array_new (FALSE, TRUE, sizeof (BadCell));

  g_array_set_clear_func (cells, bad_cell_clear);
  return cells;
}

static void
bad_cells_add (GArray     *cells,
               guint64     line,
               const char *value)
{
  BadCell cell = { line, g_strdup (value) };

  if (cells->len < MAX_BAD_CELLS)
    g_array_append_val (cells, cell);
  else
    g_free (cell.value);
}

static char *
header_list (DigithekCsv *csv)
{
  const char * const *header = digithek_csv_get_header (csv);
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; header != NULL && header[i] != NULL; i++)
    {
      g_autofree char *quoted = NULL;

      if (i == MAX_LISTED_COLUMNS)
        {
          g_string_append_printf (out, ", … (%u in all)", g_strv_length ((GStrv) header));
          break;
        }
      quoted = digithek_pack_quote_value (header[i]);
      g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", quoted);
    }
  return g_string_free (out, FALSE);
}

/* Reads the whole CSV once, as the importer will: the header must hold every column,
 * every y cell must be a number or empty, and x must be a time or a category. */
static void
check_csv_data (Validator                *v,
                const char               *path,
                DigithekPackItem         *item,
                const char               *real_path,
                const DigithekCsvOptions *options,
                gboolean                  columns_ok)
{
  g_autoptr(DigithekCsv) csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_path = digithek_pack_path_key (path, "data");
  g_autofree char *x_path = NULL;
  g_autofree char *file = digithek_pack_quote_value (item->data);
  g_autofree int *y_columns = NULL;
  g_autofree guint *y_bad = NULL;
  g_autoptr(GArray) x_empty = bad_cells_new ();
  g_autoptr(GArray) x_not_time = bad_cells_new ();
  g_autoptr(GArray) x_not_year = bad_cells_new ();
  guint n_x_empty = 0, n_time = 0, n_not_time = 0, n_year = 0, n_not_year = 0;
  guint64 n_rows = 0;
  guint n_y;
  int x_column = -1;
  char decimal;
  guint i;

  csv = digithek_csv_new_for_path (real_path, options, &error);
  if (csv == NULL)
    {
      if (g_error_matches (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_NO_HEADER))
        digithek_pack_problem (v, data_path,
                               "%s has no header row; its first line must name the columns",
                               file);
      else
        digithek_pack_problem (v, data_path, "%s cannot be read as CSV: %s", file, error->message);
      return;
    }
  if (!columns_ok)
    return;

  n_y = item->chart_y != NULL ? g_strv_length (item->chart_y) : 0;
  y_columns = g_new0 (int, n_y + 1);
  y_bad = g_new0 (guint, n_y + 1);

  if (item->chart_x != NULL)
    {
      x_path = g_strdup_printf ("%s.chart.x", path);
      x_column = digithek_csv_find_column (csv, item->chart_x);
      if (x_column < 0)
        {
          g_autofree char *columns = header_list (csv);
          g_autofree char *quoted = digithek_pack_quote_value (item->chart_x);
          digithek_pack_problem (v, x_path,
                                 "column %s is not in the header of %s (its columns are %s)",
                                 quoted, item->data, columns);
        }
    }
  for (i = 0; i < n_y; i++)
    {
      y_columns[i] = digithek_csv_find_column (csv, item->chart_y[i]);
      if (y_columns[i] < 0)
        {
          g_autofree char *y_path = g_strdup_printf ("%s.chart.y[%u]", path, i);
          g_autofree char *columns = header_list (csv);
          g_autofree char *quoted = digithek_pack_quote_value (item->chart_y[i]);
          digithek_pack_problem (v, y_path,
                                 "column %s is not in the header of %s (its columns are %s)",
                                 quoted, item->data, columns);
        }
    }

  decimal = digithek_csv_get_decimal (csv);
  if (decimal != '.' && decimal != ',')
    decimal = '.';
  while (digithek_csv_next_row (csv, &error))
    {
      guint64 line = digithek_csv_get_line (csv);

      n_rows++;
      if (x_column >= 0)
        {
          const char *cell = digithek_csv_get_field (csv, x_column);
          gint64 unix_time;
          int year;

          if (digithek_csv_is_missing (cell))
            {
              n_x_empty++;
              bad_cells_add (x_empty, line, cell);
            }
          else
            {
              if (digithek_csv_parse_time (cell, &unix_time))
                n_time++;
              else
                {
                  n_not_time++;
                  bad_cells_add (x_not_time, line, cell);
                }
              if (digithek_csv_parse_year (cell, &year))
                n_year++;
              else
                {
                  n_not_year++;
                  bad_cells_add (x_not_year, line, cell);
                }
            }
        }
      for (i = 0; i < n_y; i++)
        {
          const char *cell;
          double value;

          if (y_columns[i] < 0)
            continue;
          cell = digithek_csv_get_field (csv, y_columns[i]);
          if (digithek_csv_is_missing (cell) || digithek_csv_parse_number (cell, decimal, &value))
            continue;
          if (++y_bad[i] <= MAX_BAD_CELLS)
            {
              g_autofree char *y_path = g_strdup_printf ("%s.chart.y[%u]", path, i);
              g_autofree char *quoted = digithek_pack_quote_value (cell);
              g_autofree char *column = digithek_pack_quote_value (item->chart_y[i]);
              digithek_pack_problem (v, y_path,
                                     "%s line %" G_GUINT64_FORMAT ": %s in column %s is not a "
                                     "number; correct it or leave the cell empty",
                                     item->data, line, quoted, column);
            }
        }
    }
  if (error != NULL)
    digithek_pack_problem (v, data_path, "%s cannot be read to the end: %s", file, error->message);

  for (i = 0; i < n_y; i++)
    if (y_bad[i] > MAX_BAD_CELLS)
      {
        g_autofree char *y_path = g_strdup_printf ("%s.chart.y[%u]", path, i);
        g_autofree char *column = digithek_pack_quote_value (item->chart_y[i]);
        digithek_pack_problem (v, y_path, "… and %u more cells in column %s of %s are not numbers",
                               y_bad[i] - MAX_BAD_CELLS, column, item->data);
      }

  if (x_column >= 0)
    {
      g_autofree char *column = digithek_pack_quote_value (item->chart_x);
      GArray *bad = NULL;
      guint n_bad = 0;
      const char *expected = NULL;

      for (i = 0; i < x_empty->len; i++)
        digithek_pack_problem (v, x_path,
                               "%s line %" G_GUINT64_FORMAT ": the cell in column %s is empty; "
                               "every row needs an x value (a time or a label)",
                               item->data, g_array_index (x_empty, BadCell, i).line, column);
      if (n_x_empty > MAX_BAD_CELLS)
        digithek_pack_problem (v, x_path, "… and %u more empty cells in column %s of %s",
                               n_x_empty - MAX_BAD_CELLS, column, item->data);

      /* A column of labels may hold anything; one that is mostly dates or years is
       * meant as a time axis, and a cell that does not parse there is a typo. */
      if (n_time > 0 && n_not_time > 0 && n_time > n_not_time)
        {
          bad = x_not_time;
          n_bad = n_not_time;
          expected = "a valid date or time";
        }
      else if (n_year > 0 && n_not_year > 0 && n_year > n_not_year && n_time == 0)
        {
          bad = x_not_year;
          n_bad = n_not_year;
          expected = "a year";
        }
      for (i = 0; bad != NULL && i < bad->len; i++)
        {
          g_autofree char *quoted = digithek_pack_quote_value (g_array_index (bad, BadCell, i).value);
          digithek_pack_problem (v, x_path,
                                 "%s line %" G_GUINT64_FORMAT ": %s in column %s is not %s, "
                                 "though the other cells are; correct it",
                                 item->data, g_array_index (bad, BadCell, i).line, quoted, column, expected);
        }
      if (bad != NULL && n_bad > MAX_BAD_CELLS)
        digithek_pack_problem (v, x_path, "… and %u more cells in column %s of %s are not %s",
                               n_bad - MAX_BAD_CELLS, column, item->data, expected);
    }

  if (n_rows == 0 && error == NULL)
    digithek_pack_warning (v, data_path,
                           "%s has a header but no data rows; the chart will be empty", file);
}

/* chart.labels: what each series is, as a citizen reads it in the legend, the table,
 * the summary and read-aloud — a text map per column of chart.y. */
static void
parse_series_labels (Validator   *v,
                     JsonObject  *chart,
                     const char  *chart_path,
                     GStrv        columns)
{
  g_autofree char *labels_path = digithek_pack_path_key (chart_path, "labels");
  g_autoptr(GList) names = NULL;
  JsonObject *labels = digithek_pack_get_object (v, chart, chart_path, "labels", FALSE);

  if (labels == NULL)
    return;
  names = json_object_get_members (labels);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *column = l->data;
      g_autoptr(GHashTable) label = NULL;  /* checked, not kept: views read the manifest */

      if (columns != NULL && !g_strv_contains ((const char * const *) columns, column))
        {
          g_autofree char *child = digithek_pack_path_key (labels_path, column);
          g_autofree char *quoted = digithek_pack_quote_value (column);

          digithek_pack_problem (v, child, "%s is not one of the columns in chart.y", quoted);
          continue;
        }
      label = digithek_pack_get_text_map (v, labels, labels_path, column, TRUE, FALSE);
    }
}

void
digithek_pack_parse_dataset (Validator        *v,
                             JsonObject       *object,
                             const char       *path,
                             DigithekPackItem *item)
{
  static const char * const chart_known[] = { "type", "x", "y", "unit", "labels", NULL };
  static const char * const source_known[] = { "name", "license", "url", NULL };
  JsonObject *csv_object;
  JsonObject *chart;
  JsonObject *source;
  gboolean csv_ok = TRUE;
  gboolean columns_ok = TRUE;
  g_autofree char *csv_path = digithek_pack_path_key (path, "csv");
  g_autofree char *chart_path = digithek_pack_path_key (path, "chart");
  g_autofree char *source_path = digithek_pack_path_key (path, "source");

  item->data = digithek_pack_get_path (v, object, path, "data", TRUE, FILE_KIND_CSV);

  csv_object = digithek_pack_get_object (v, object, path, "csv", FALSE);
  if (csv_object != NULL)
    csv_ok = parse_csv_options (v, csv_object, csv_path, &item->csv);
  else if (json_object_has_member (object, "csv"))
    csv_ok = FALSE;

  chart = digithek_pack_get_object (v, object, path, "chart", TRUE);
  if (chart != NULL)
    {
      JsonArray *y;
      g_autofree char *type_path = digithek_pack_path_key (chart_path, "type");

      digithek_pack_check_members (v, chart, chart_path, chart_known, NULL, NULL);
      item->chart_type = digithek_pack_get_string (v, chart, chart_path, "type", TRUE);
      if (item->chart_type != NULL
          && strcmp (item->chart_type, "line") != 0 && strcmp (item->chart_type, "bar") != 0)
        {
          g_autofree char *quoted = digithek_pack_quote_value (item->chart_type);
          digithek_pack_problem (v, type_path, "must be \"line\" or \"bar\", not %s", quoted);
        }
      item->chart_x = digithek_pack_get_string (v, chart, chart_path, "x", TRUE);
      y = digithek_pack_get_array (v, chart, chart_path, "y", TRUE);
      if (y != NULL)
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          g_autofree char *y_path = digithek_pack_path_key (chart_path, "y");
          guint n = json_array_get_length (y);
          guint i;

          if (n == 0)
            digithek_pack_problem (v, y_path, "is empty; name at least one column to draw, like "
                                   "[\"Belegung\"]");
          for (i = 0; i < n; i++)
            {
              JsonNode *node = json_array_get_element (y, i);
              g_autofree char *element = digithek_pack_path_index (y_path, i);

              if (!digithek_pack_node_is_string (node))
                {
                  digithek_pack_problem (v, element, "must be a column name in quotes, not %s",
                                         digithek_pack_describe_node (node));
                  columns_ok = FALSE;
                }
              else if (digithek_pack_text_is_blank (json_node_get_string (node)))
                {
                  digithek_pack_problem (v, element, "is empty; write a column name");
                  columns_ok = FALSE;
                }
              else
                g_strv_builder_add (builder, json_node_get_string (node));
            }
          item->chart_y = g_strv_builder_end (builder);
        }
      else
        columns_ok = FALSE;
      if (json_object_has_member (chart, "unit"))
        item->chart_unit = digithek_pack_get_string (v, chart, chart_path, "unit", FALSE);
      if (json_object_has_member (chart, "labels"))
        parse_series_labels (v, chart, chart_path, item->chart_y);
    }
  if (item->chart_y == NULL)
    item->chart_y = g_new0 (char *, 1);

  source = digithek_pack_get_object (v, object, path, "source", TRUE);
  if (source != NULL)
    {
      digithek_pack_check_members (v, source, source_path, source_known, NULL, NULL);
      item->source_name = digithek_pack_get_string (v, source, source_path, "name", TRUE);
      item->source_license = digithek_pack_get_string (v, source, source_path, "license", TRUE);
      item->source_url = digithek_pack_get_web_url (v, source, source_path, "url");
    }

  if (item->data != NULL && csv_ok)
    {
      FileCheck *check = g_hash_table_lookup (v->files, item->data);

      if (check != NULL && check->real_path != NULL)
        check_csv_data (v, path, item, check->real_path, &item->csv, columns_ok);
    }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */

/* A first chart from a CSV header: which column is the x axis, which are measures. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "digithek-ckan-private.h"
#include "digithek-licence.h"

#define MAX_Y_COLUMNS 4

/* ---- chart guess ---- */

typedef struct
{
  guint64 n_present;
  guint64 n_missing;
  guint64 n_time;
  guint64 n_year;
  guint64 n_number;
} ColumnStats;

/* Numbers that are not measurements: charting them misleads. */
static gboolean
column_is_not_a_measure (const char *name)
{
  static const char * const words[] = {
    "id", "uuid", "objectid", "fid", "gid", "timestamp", "zeitstempel", "epoch",
    "lat", "lon", "lng", "latitude", "longitude", "breitengrad", "laengengrad",
    "plz", "postleitzahl", "nr", "nummer", "hausnummer",
  };
  g_autofree char *key = digithek_licence_normalise (name);
  g_auto(GStrv) parts = g_strsplit (key, "-", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    for (gsize j = 0; j < G_N_ELEMENTS (words); j++)
      if (g_str_equal (parts[i], words[j]))
        return TRUE;
  return FALSE;
}

/* A column the validator accepts as labels: not mostly times or years with a few
 * typos among them (see check_csv_data() in digithek-pack.c). */
static gboolean
column_is_category (const ColumnStats *stats)
{
  guint64 n_not_time = stats->n_present - stats->n_time;
  guint64 n_not_year = stats->n_present - stats->n_year;

  if (stats->n_present == 0 || stats->n_missing > 0)
    return FALSE;
  if (stats->n_time > 0 && n_not_time > 0 && stats->n_time > n_not_time)
    return FALSE;
  if (stats->n_time == 0 && stats->n_year > 0 && n_not_year > 0 && stats->n_year > n_not_year)
    return FALSE;
  return TRUE;
}

gboolean
digithek_ckan_guess_chart (const char               *csv_path,
                           const DigithekCsvOptions *options,
                           DigithekCkanChartGuess   *guess,
                           GError                  **error)
{
  g_autoptr(DigithekCsv) csv = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree ColumnStats *stats = NULL;
  g_autoptr(GStrvBuilder) y = g_strv_builder_new ();
  const char * const *header;
  guint n_columns;
  guint n_y = 0;
  int x = -1;
  gboolean time_x = FALSE;
  char decimal;

  memset (guess, 0, sizeof *guess);
  csv = digithek_csv_new_for_path (csv_path, options, &local_error);
  if (csv == NULL)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_CSV,
                   "the resource cannot be read as CSV: %s", local_error->message);
      return FALSE;
    }
  header = digithek_csv_get_header (csv);
  n_columns = digithek_csv_get_n_columns (csv);
  stats = g_new0 (ColumnStats, n_columns + 1);
  decimal = digithek_csv_get_decimal (csv);
  if (decimal != '.' && decimal != ',')
    decimal = '.';

  /* The whole file, as the validator will read it: a guess from the first rows only
   * would fail validation on a stray cell further down. */
  while (digithek_csv_next_row (csv, &local_error))
    {
      guess->n_rows++;
      for (guint i = 0; i < n_columns; i++)
        {
          const char *cell = digithek_csv_get_field (csv, i);
          gint64 unix_time;
          int year;
          double value;

          if (digithek_csv_is_missing (cell))
            {
              stats[i].n_missing++;
              continue;
            }
          stats[i].n_present++;
          if (digithek_csv_parse_time (cell, &unix_time))
            stats[i].n_time++;
          if (digithek_csv_parse_year (cell, &year))
            stats[i].n_year++;
          if (digithek_csv_parse_number (cell, decimal, &value))
            stats[i].n_number++;
        }
    }
  if (local_error != NULL)
    {
      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_CSV,
                   "the resource cannot be read to the end as CSV: %s", local_error->message);
      return FALSE;
    }

  for (guint i = 0; i < n_columns && x < 0; i++)
    if (stats[i].n_present > 0 && stats[i].n_missing == 0
        && (stats[i].n_time == stats[i].n_present || stats[i].n_year == stats[i].n_present))
      {
        x = i;
        time_x = TRUE;
      }
  for (guint i = 0; i < n_columns && x < 0; i++)
    if (column_is_category (&stats[i]) && stats[i].n_number < stats[i].n_present)
      x = i;
  /* A table of numbers only: its first complete column labels the bars. */
  for (guint i = 0; i < n_columns && x < 0; i++)
    if (column_is_category (&stats[i]))
      x = i;

  for (guint i = 0; i < n_columns && n_y < MAX_Y_COLUMNS; i++)
    if ((int) i != x && stats[i].n_present > 0 && stats[i].n_number == stats[i].n_present
        && *header[i] != '\0' && !column_is_not_a_measure (header[i]))
      {
        g_strv_builder_add (y, header[i]);
        n_y++;
      }

  if (x < 0 || n_y == 0)
    {
      g_autofree char *columns = g_strjoinv ("”, “", (char **) header);

      g_set_error (error, DIGITHEK_CKAN_ERROR, DIGITHEK_CKAN_ERROR_CSV,
                   "no chart can be made from the resource's %" G_GUINT64_FORMAT " rows: %s "
                   "(its columns are “%s”)", guess->n_rows,
                   x < 0 ? "no column of dates, years or labels without empty cells"
                         : "no column of numbers", columns);
      return FALSE;
    }

  guess->type = g_strdup (time_x ? "line" : "bar");
  guess->x = g_strdup (header[x]);
  guess->y = g_strv_builder_end (y);
  guess->delimiter = digithek_csv_get_delimiter (csv);
  guess->decimal = decimal;
  guess->encoding = digithek_csv_get_encoding (csv);
  return TRUE;
}

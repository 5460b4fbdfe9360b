/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer target for the CSV reader: any bytes, read through every option combination
 * a pack may set, every cell handed to the value parsers. Besides crashes, leaks and
 * undefined behaviour it checks what callers rely on: fields are UTF-8 and never NULL,
 * errors name a line. */

#include "digithek-csv.h"

#include <math.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static const DigithekCsvOptions option_sets[] = {
  { 0, },
  { .delimiter = ';', .decimal = ',', .encoding = DIGITHEK_CSV_ENCODING_UTF8, .header_row = 2 },
  { .delimiter = ',', .decimal = '.', .encoding = DIGITHEK_CSV_ENCODING_WINDOWS_1252,
    .header_row = 1, .first_data_row = 3 },
  { .delimiter = '\t', .encoding = DIGITHEK_CSV_ENCODING_ISO_8859_1 },
};

static void
check_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == DIGITHEK_CSV_ERROR);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (error->code != DIGITHEK_CSV_ERROR_IO)
    g_assert_true (g_str_has_prefix (error->message, "line ") ||
                   g_str_has_prefix (error->message, "the "));
}

static void
read_all (GInputStream             *stream,
          const DigithekCsvOptions *options)
{
  g_autoptr(DigithekCsv) csv = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *header;
  guint n_columns;
  char decimal;
  guint rows = 0;

  csv = digithek_csv_new_for_stream (stream, options, &error);
  if (csv == NULL)
    {
      check_error (error);
      return;
    }

  header = digithek_csv_get_header (csv);
  n_columns = digithek_csv_get_n_columns (csv);
  g_assert_null (header[n_columns]);
  for (guint i = 0; i < n_columns; i++)
    {
      g_assert_true (g_utf8_validate (header[i], -1, NULL));
      g_assert_cmpint (digithek_csv_find_column (csv, header[i]), <=, (int) i);
    }

  decimal = digithek_csv_get_decimal (csv);
  g_assert_true (decimal == '.' || decimal == ',');

  while (digithek_csv_next_row (csv, &error))
    {
      guint n_fields = digithek_csv_get_n_fields (csv);

      g_assert_cmpuint (n_fields, >=, n_columns);
      g_assert_cmpuint (digithek_csv_get_line (csv), >=, 1);

      for (guint i = 0; i <= n_fields; i++)
        {
          const char *cell = digithek_csv_get_field (csv, i);
          double number;
          gint64 unix_time;
          int year;

          g_assert_nonnull (cell);
          g_assert_true (g_utf8_validate (cell, -1, NULL));

          digithek_csv_is_missing (cell);
          if (digithek_csv_parse_number (cell, decimal, &number))
            g_assert_true (isfinite (number));
          digithek_csv_parse_number (cell, decimal == '.' ? ',' : '.', &number);
          digithek_csv_parse_time (cell, &unix_time);
          if (digithek_csv_parse_year (cell, &year))
            g_assert_true (year >= 1000 && year <= 2999);
        }
      rows++;
    }

  if (error != NULL)
    {
      check_error (error);
      g_clear_error (&error);
      /* The error sticks. */
      g_assert_false (digithek_csv_next_row (csv, &error));
      check_error (error);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  for (guint i = 0; i < G_N_ELEMENTS (option_sets); i++)
    {
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, size, NULL);

      read_all (stream, &option_sets[i]);
    }

  /* The cell parsers alone, on the raw input as one NUL-terminated cell. */
  if (size < 512)
    {
      g_autofree char *cell = g_strndup ((const char *) data, size);
      double number;
      gint64 unix_time;
      int year;

      digithek_csv_parse_number (cell, '.', &number);
      digithek_csv_parse_number (cell, ',', &number);
      digithek_csv_parse_time (cell, &unix_time);
      digithek_csv_parse_year (cell, &year);
      digithek_csv_is_missing (cell);
    }

  return 0;
}

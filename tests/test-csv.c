/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Tests of the streaming CSV reader: the quirks of real open-data files in
 * tests/data/realdata (see ORIGIN.md there for where each comes from), then synthetic
 * cases for what real files show too rarely to test reliably. */

#include "digithek-csv.h"

#include <string.h>

/* ---- helpers ---- */

static char *
realdata_path (const char *relative)
{
  const char *dir = g_getenv ("REALDATA_DIR");

  if (dir != NULL)
    return g_build_filename (dir, relative, NULL);

  return g_test_build_filename (G_TEST_DIST, "data", "realdata", relative, NULL);
}

static DigithekCsv *
open_real (const char               *relative,
           const DigithekCsvOptions *options)
{
  g_autofree char *path = realdata_path (relative);
  g_autoptr(GError) error = NULL;
  DigithekCsv *csv;

  csv = digithek_csv_new_for_path (path, options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (csv);

  return csv;
}

static DigithekCsv *
open_bytes (const char               *data,
            gssize                    len,
            const DigithekCsvOptions *options,
            GError                  **error)
{
  g_autoptr(GInputStream) stream = NULL;

  if (len < 0)
    len = strlen (data);
  stream = g_memory_input_stream_new_from_data (g_memdup2 (data, len), len, g_free);

  return digithek_csv_new_for_stream (stream, options, error);
}

static DigithekCsv *
open_string (const char               *data,
             const DigithekCsvOptions *options)
{
  g_autoptr(GError) error = NULL;
  DigithekCsv *csv = open_bytes (data, -1, options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (csv);

  return csv;
}

static void
next_row (DigithekCsv *csv)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (digithek_csv_next_row (csv, &error));
  g_assert_no_error (error);
}

static void
assert_end (DigithekCsv *csv)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (digithek_csv_next_row (csv, &error));
  g_assert_no_error (error);
}

/* Reads the remaining rows and returns how many there were. */
static guint
count_rows (DigithekCsv *csv)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  while (digithek_csv_next_row (csv, &error))
    n++;
  g_assert_no_error (error);

  return n;
}

static void
assert_header (DigithekCsv *csv,
               const char  *first,
               ...)
{
  const char * const *header = digithek_csv_get_header (csv);
  const char *name = first;
  guint i = 0;
  va_list args;

  va_start (args, first);
  for (; name != NULL; name = va_arg (args, const char *), i++)
    g_assert_cmpstr (header[i], ==, name);
  va_end (args);

  g_assert_cmpuint (digithek_csv_get_n_columns (csv), ==, i);
  g_assert_null (header[i]);
}

static double
number (const char *cell,
        char        decimal)
{
  double value = 0;

  g_assert_true (digithek_csv_parse_number (cell, decimal, &value));
  return value;
}

static gint64
unix_time (const char *cell)
{
  gint64 value = 0;

  g_assert_true (digithek_csv_parse_time (cell, &value));
  return value;
}

/* ---- real files ---- */

static void
test_real_lubw_hourly (void)
{
  g_autoptr(DigithekCsv) csv = open_real ("airquality/lubw_konstanz_Auszug_Stundenwerte.csv", NULL);
  int no2;

  g_assert_cmpint (digithek_csv_get_delimiter (csv), ==, ',');
  g_assert_cmpint (digithek_csv_get_decimal (csv), ==, '.');
  g_assert_cmpint (digithek_csv_get_encoding (csv), ==, DIGITHEK_CSV_ENCODING_UTF8);
  assert_header (csv, "startZeit", "no2", "o3", "pm10", "pm25", NULL);
  no2 = digithek_csv_find_column (csv, "no2");
  g_assert_cmpint (no2, ==, 1);
  g_assert_cmpint (digithek_csv_find_column (csv, "NO2"), ==, -1);

  next_row (csv);
  g_assert_cmpuint (digithek_csv_get_line (csv), ==, 2);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "2025-11-10T00:00:00+01:00");
  g_assert_cmpint (unix_time (digithek_csv_get_field (csv, 0)), ==, 1762729200);
  g_assert_cmpfloat (number (digithek_csv_get_field (csv, no2), '.'), ==, 19.57);

  /* The gap in the second hour: empty cells, which are missing values, not zero. */
  next_row (csv);
  g_assert_cmpstr (digithek_csv_get_field (csv, no2), ==, "");
  g_assert_true (digithek_csv_is_missing (digithek_csv_get_field (csv, no2)));
  g_assert_true (digithek_csv_is_missing (digithek_csv_get_field (csv, 2)));
  g_assert_cmpfloat (number (digithek_csv_get_field (csv, 3), '.'), ==, 17.23);
  g_assert_cmpint (unix_time (digithek_csv_get_field (csv, 0)), ==, 1762729200 + 3600);

  g_assert_cmpuint (count_rows (csv), ==, 168 - 2);
}

static void
test_real_dwd_years (void)
{
  g_autoptr(DigithekCsv) csv = open_real ("weather/dwd_konstanz_Jahreswerte.csv", NULL);
  int sun = digithek_csv_find_column (csv, "Sonnenscheindauer_Stunden_Summe");
  guint rows = 0;
  guint missing = 0;
  int year = 0;

  g_assert_cmpint (digithek_csv_get_delimiter (csv), ==, ',');
  g_assert_cmpint (digithek_csv_get_decimal (csv), ==, '.');
  g_assert_cmpuint (digithek_csv_get_n_columns (csv), ==, 14);
  g_assert_cmpstr (digithek_csv_get_header (csv)[0], ==, "Jahr");
  g_assert_cmpint (sun, ==, 6);

  while (digithek_csv_next_row (csv, NULL))
    {
      const char *cell = digithek_csv_get_field (csv, sun);
      double value;

      g_assert_true (digithek_csv_parse_year (digithek_csv_get_field (csv, 0), &year));
      g_assert_cmpint (year, ==, 1973 + (int) rows);
      if (digithek_csv_is_missing (cell))
        missing++;
      else
        g_assert_true (digithek_csv_parse_number (cell, '.', &value));
      /* Years are no dates: a plain number is not a time. */
      g_assert_false (digithek_csv_parse_time (digithek_csv_get_field (csv, 0), &(gint64) { 0 }));
      rows++;
    }

  g_assert_cmpuint (rows, ==, 52);
  g_assert_cmpint (year, ==, 2024);
  /* 2020 and 2021 have no sunshine figures. */
  g_assert_cmpuint (missing, ==, 2);
}

static void
test_real_population_float_integers (void)
{
  g_autoptr(DigithekCsv) csv = open_real ("population/bevoelkerung_historisch_nach_stadtteilen.csv",
                                          NULL);
  int year;

  g_assert_cmpint (digithek_csv_get_delimiter (csv), ==, ',');
  g_assert_cmpuint (digithek_csv_get_n_columns (csv), ==, 16);
  g_assert_cmpstr (digithek_csv_get_header (csv)[1], ==, "altstadt");

  next_row (csv);
  g_assert_true (digithek_csv_parse_year (digithek_csv_get_field (csv, 0), &year));
  g_assert_cmpint (year, ==, 1927);
  g_assert_cmpfloat (number (digithek_csv_get_field (csv, 1), '.'), ==, 21265);
  g_assert_true (digithek_csv_is_missing (digithek_csv_get_field (csv, 2)));

  next_row (csv);
  g_assert_cmpstr (digithek_csv_get_field (csv, 1), ==, "20696.0");
  g_assert_cmpfloat (number (digithek_csv_get_field (csv, 1), '.'), ==, 20696);
  g_assert_cmpfloat (number (digithek_csv_get_field (csv, 3), '.'), ==, 10443);

  g_assert_cmpuint (count_rows (csv), ==, 91 - 2);
}

static void
test_real_bietigheim_latin1 (void)
{
  g_autoptr(DigithekCsv) csv = open_real ("parking/bietigheim-bissingen.csv", NULL);
  int state;

  g_assert_cmpint (digithek_csv_get_delimiter (csv), ==, ';');
  g_assert_cmpint (digithek_csv_get_encoding (csv), ==, DIGITHEK_CSV_ENCODING_ISO_8859_1);
  g_assert_cmpint (digithek_csv_get_decimal (csv), ==, '.');
  /* Quoted names, without their quotes and without the CR of CRLF. */
  assert_header (csv, "Name", "OpeningState", "Capacity", "OccupiedSites", "Timestamp", NULL);
  state = digithek_csv_find_column (csv, "OpeningState");

  next_row (csv);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "Parkplatz Mühlwiesenstr.");
  g_assert_cmpstr (digithek_csv_get_field (csv, state), ==, "Geöffnet");
  g_assert_cmpfloat (number (digithek_csv_get_field (csv, 2), '.'), ==, 106);
  g_assert_cmpstr (digithek_csv_get_field (csv, 4), ==, "1740651467085");
  g_assert_cmpfloat (number (digithek_csv_get_field (csv, 4), '.'), ==, 1740651467085.0);

  for (guint i = 0; i < 7; i++)
    next_row (csv);
  g_assert_cmpuint (digithek_csv_get_line (csv), ==, 9);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "Parkplatz Löchgauer Str.");
  for (guint i = 0; i < 3; i++)
    next_row (csv);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "Parkplatz Am Japangarten");
  g_assert_cmpstr (digithek_csv_get_field (csv, state), ==, "Geschlossen");

  g_assert_cmpuint (count_rows (csv), ==, 14 - 11);
}

static void
test_real_friedrichshafen_bom_decimal_comma (void)
{
  g_autoptr(DigithekCsv) csv = open_real ("parking/friedrichshafen_easypark.csv", NULL);
  int length;

  g_assert_cmpint (digithek_csv_get_delimiter (csv), ==, ';');
  g_assert_cmpint (digithek_csv_get_decimal (csv), ==, ',');
  g_assert_cmpint (digithek_csv_get_encoding (csv), ==, DIGITHEK_CSV_ENCODING_UTF8);
  /* The BOM is gone: the first column is "id", not "\uFEFFid". */
  g_assert_cmpstr (digithek_csv_get_header (csv)[0], ==, "id");
  g_assert_cmpint (digithek_csv_find_column (csv, "id"), ==, 0);
  g_assert_cmpuint (digithek_csv_get_n_columns (csv), ==, 13);
  length = digithek_csv_find_column (csv, "length");
  g_assert_cmpint (length, ==, 12);

  next_row (csv);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "1");
  g_assert_cmpstr (digithek_csv_get_field (csv, 6), ==, "Gebührenfreies Parken ");
  g_assert_cmpstr (digithek_csv_get_field (csv, length), ==, "7,11523");
  g_assert_cmpfloat_with_epsilon (number (digithek_csv_get_field (csv, length), ','), 7.11523, 1e-12);
  g_assert_false (digithek_csv_parse_number (digithek_csv_get_field (csv, length), '.',
                                             &(double) { 0 }));
  /* The WKT geometry holds commas, which are text here. */
  g_assert_true (g_str_has_prefix (digithek_csv_get_field (csv, 11), "LINESTRING (9.49224"));

  g_assert_cmpuint (count_rows (csv), ==, 1697 - 1);
}

static void
test_real_neckarsulm_crlf_na (void)
{
  g_autoptr(DigithekCsv) csv = open_real ("parking/neckarsulm.csv", NULL);
  guint rows = 0;

  g_assert_cmpint (digithek_csv_get_delimiter (csv), ==, ';');
  g_assert_cmpint (digithek_csv_get_encoding (csv), ==, DIGITHEK_CSV_ENCODING_UTF8);
  g_assert_cmpuint (digithek_csv_get_n_columns (csv), ==, 67);
  g_assert_cmpstr (digithek_csv_get_header (csv)[66], ==, "cost_price");

  next_row (csv);
  g_assert_cmpstr (digithek_csv_get_field (csv, 3), ==, "AQUAtoll P1");
  g_assert_cmpstr (digithek_csv_get_field (csv, 4), ==, "N/A");
  g_assert_true (digithek_csv_is_missing (digithek_csv_get_field (csv, 4)));
  g_assert_cmpstr (digithek_csv_get_field (csv, digithek_csv_find_column (csv, "open_day")), ==,
                   "MO,DI,MI,DO,FR,SA,SO");
  g_assert_cmpstr (digithek_csv_get_field (csv, 66), ==, "");
  rows++;

  next_row (csv);
  next_row (csv);
  rows += 2;
  g_assert_cmpstr (digithek_csv_get_field (csv, 3), ==, "Stuttgarter Straße");

  while (digithek_csv_next_row (csv, NULL))
    {
      /* No CR of the CRLF ends up in the last field. */
      g_assert_null (strchr (digithek_csv_get_field (csv, 66), '\r'));
      rows++;
    }
  g_assert_cmpuint (rows, ==, 41);
}

static void
test_real_reutlingen_bom_comma (void)
{
  g_autoptr(DigithekCsv) csv = open_real ("parking/reutlingen_bike.csv", NULL);

  g_assert_cmpint (digithek_csv_get_delimiter (csv), ==, ',');
  g_assert_cmpint (digithek_csv_get_decimal (csv), ==, '.');
  g_assert_cmpint (digithek_csv_get_encoding (csv), ==, DIGITHEK_CSV_ENCODING_UTF8);
  assert_header (csv, "STANDORT", "ANZAHL", "ANLAGE", "GEOM", NULL);

  next_row (csv);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "Oberamteistraße / Heimatmuseum");
  g_assert_cmpfloat (number (digithek_csv_get_field (csv, 1), '.'), ==, 6);
  g_assert_cmpstr (digithek_csv_get_field (csv, 3), ==, "POINT (515638.229 5370830.304)");

  g_assert_cmpuint (count_rows (csv), ==, 334 - 1);
}

static void
test_real_obs_header_row (void)
{
  static const struct
  {
    const char *file;
    guint rows;
    const char *date_time;
    gint64 unix_time;
  } files[] = {
    { "obs/empty-metadata.csv", 1, "26.06.2021 14:39:39", 1624711179 },
    { "obs/gps-time.csv", 1, "26.06.2021 14:39:39", 1624711179 },
    { "obs/zero-zero-bug.csv", 6, "01.09.2021 17:22:53", 1630509773 },
  };
  DigithekCsvOptions options = { .header_row = 2 };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(DigithekCsv) csv = open_real (files[i].file, &options);
      g_autofree char *date_time = NULL;

      g_test_message ("%s", files[i].file);
      g_assert_cmpint (digithek_csv_get_delimiter (csv), ==, ';');
      g_assert_cmpint (digithek_csv_get_decimal (csv), ==, '.');
      g_assert_cmpstr (digithek_csv_get_header (csv)[0], ==, "Date");
      g_assert_cmpstr (digithek_csv_get_header (csv)[1], ==, "Time");
      g_assert_cmpint (digithek_csv_find_column (csv, "Latitude"), ==, 4);

      next_row (csv);
      g_assert_cmpuint (digithek_csv_get_line (csv), ==, 3);
      date_time = g_strdup_printf ("%s %s", digithek_csv_get_field (csv, 0),
                                   digithek_csv_get_field (csv, 1));
      g_assert_cmpstr (date_time, ==, files[i].date_time);
      g_assert_cmpint (unix_time (date_time), ==, files[i].unix_time);
      g_assert_true (digithek_csv_is_missing (digithek_csv_get_field (csv, 3)));

      g_assert_cmpuint (count_rows (csv), ==, files[i].rows - 1);
    }
}

static void
test_real_obs_date_only (void)
{
  DigithekCsvOptions options = { .header_row = 2 };
  g_autoptr(DigithekCsv) csv = open_real ("obs/zero-zero-bug.csv", &options);

  next_row (csv);
  /* A German date alone is midnight in Konstanz (CEST in September). */
  g_assert_cmpint (unix_time (digithek_csv_get_field (csv, 0)), ==, 1630447200);
  g_assert_cmpfloat (number (digithek_csv_get_field (csv, 4), '.'), ==, 48.441);
}

static void
test_real_smartcitizen_header_rows (void)
{
  DigithekCsvOptions options = { .header_row = 1, .first_data_row = 5 };
  g_autoptr(DigithekCsv) csv = open_real ("smartcitizen/example.head.csv", &options);
  g_autoptr(DigithekCsv) plain = open_real ("smartcitizen/example.head.csv", NULL);

  g_assert_cmpint (digithek_csv_get_delimiter (csv), ==, ',');
  g_assert_cmpuint (digithek_csv_get_n_columns (csv), ==, 16);
  g_assert_cmpstr (digithek_csv_get_header (csv)[0], ==, "TIME");
  g_assert_cmpstr (digithek_csv_get_header (csv)[15], ==, "PM_10");

  /* Units, long names and sensor ids are skipped. */
  next_row (csv);
  g_assert_cmpuint (digithek_csv_get_line (csv), ==, 5);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "2020-09-02T15:35:19Z");
  g_assert_cmpint (unix_time (digithek_csv_get_field (csv, 0)), ==, 1599060919);
  g_assert_cmpfloat (number (digithek_csv_get_field (csv, 1), '.'), ==, 26.92);
  g_assert_cmpstr (digithek_csv_get_field (csv, 7), ==, "null");
  g_assert_true (digithek_csv_is_missing (digithek_csv_get_field (csv, 7)));
  g_assert_cmpuint (count_rows (csv), ==, 3);

  /* Without the options the unit rows are data. */
  next_row (plain);
  g_assert_cmpstr (digithek_csv_get_field (plain, 0), ==, "ISO 8601");
  g_assert_cmpuint (count_rows (plain), ==, 6);
}

/* ---- synthetic: syntax ---- */

static void
test_quoted_newlines (void)
{
  g_autoptr(DigithekCsv) csv = open_string ("name,text\n"
                                            "a,\"first\nsecond\r\nthird\"\n"
                                            "b,plain\n", NULL);

  next_row (csv);
  g_assert_cmpuint (digithek_csv_get_line (csv), ==, 2);
  g_assert_cmpstr (digithek_csv_get_field (csv, 1), ==, "first\nsecond\r\nthird");
  next_row (csv);
  g_assert_cmpuint (digithek_csv_get_line (csv), ==, 5);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "b");
  assert_end (csv);
}

static void
test_doubled_quotes (void)
{
  g_autoptr(DigithekCsv) csv = open_string ("\"a \"\"b\"\"\";c\n"
                                            "\"say \"\"hi\"\"\";\"\"\"\"\n"
                                            "\"\";x\"y\n"
                                            "\"closed\"after;\"semi;colon\"\n", NULL);

  g_assert_cmpstr (digithek_csv_get_header (csv)[0], ==, "a \"b\"");
  next_row (csv);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "say \"hi\"");
  g_assert_cmpstr (digithek_csv_get_field (csv, 1), ==, "\"");
  next_row (csv);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "");
  /* A quote inside an unquoted field is just a character. */
  g_assert_cmpstr (digithek_csv_get_field (csv, 1), ==, "x\"y");
  next_row (csv);
  /* Text after a closing quote is kept, as spreadsheets do. */
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "closedafter");
  g_assert_cmpstr (digithek_csv_get_field (csv, 1), ==, "semi;colon");
  assert_end (csv);
}

static void
test_unterminated_quote (void)
{
  g_autoptr(DigithekCsv) csv = open_string ("a;b\n1;2\n3;\"open\nmore\nand more\n", NULL);
  g_autoptr(GError) error = NULL;

  next_row (csv);
  g_assert_false (digithek_csv_next_row (csv, &error));
  g_assert_error (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "line 3: quoted field is never closed");
  g_clear_error (&error);

  /* The error sticks. */
  g_assert_false (digithek_csv_next_row (csv, &error));
  g_assert_error (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_SYNTAX);
  g_assert_cmpuint (digithek_csv_get_n_fields (csv), ==, 0);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "");
}

static void
test_unterminated_quote_in_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekCsv) csv = open_bytes ("\n\n\"a;b\n1;2\n", -1, NULL, &error);

  g_assert_null (csv);
  g_assert_error (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "line 3: quoted field is never closed");
}

static void
test_line_endings (void)
{
  static const char * const files[] = {
    "a;b\n1;2\n3;4\n",
    "a;b\r\n1;2\r\n3;4\r\n",
    "a;b\r1;2\r3;4\r",
    "a;b\n1;2\r\n3;4",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(DigithekCsv) csv = open_string (files[i], NULL);

      g_assert_cmpint (digithek_csv_get_delimiter (csv), ==, ';');
      assert_header (csv, "a", "b", NULL);
      next_row (csv);
      g_assert_cmpstr (digithek_csv_get_field (csv, 1), ==, "2");
      next_row (csv);
      g_assert_cmpuint (digithek_csv_get_line (csv), ==, 3);
      g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "3");
      g_assert_cmpstr (digithek_csv_get_field (csv, 1), ==, "4");
      assert_end (csv);
    }
}

static void
test_blank_short_and_long_rows (void)
{
  g_autoptr(DigithekCsv) csv = open_string ("\n  a , b ,c\n\n1\r\n  \n1,2,3,4,\n\"\"\n,,\n", NULL);

  /* Leading blank lines are skipped and names are trimmed. */
  assert_header (csv, "a", "b", "c", NULL);
  g_assert_cmpint (digithek_csv_find_column (csv, "b"), ==, 1);

  next_row (csv);
  g_assert_cmpuint (digithek_csv_get_line (csv), ==, 4);
  g_assert_cmpuint (digithek_csv_get_n_fields (csv), ==, 3);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "1");
  g_assert_cmpstr (digithek_csv_get_field (csv, 1), ==, "");
  g_assert_cmpstr (digithek_csv_get_field (csv, 2), ==, "");
  g_assert_cmpstr (digithek_csv_get_field (csv, 99), ==, "");

  /* Extra fields are kept, the trailing empty one too. */
  next_row (csv);
  g_assert_cmpuint (digithek_csv_get_line (csv), ==, 6);
  g_assert_cmpuint (digithek_csv_get_n_fields (csv), ==, 5);
  g_assert_cmpstr (digithek_csv_get_field (csv, 3), ==, "4");
  g_assert_cmpstr (digithek_csv_get_field (csv, 4), ==, "");

  /* A quoted empty field is a row, as is a row of empty fields. */
  next_row (csv);
  g_assert_cmpuint (digithek_csv_get_line (csv), ==, 7);
  next_row (csv);
  g_assert_cmpuint (digithek_csv_get_n_fields (csv), ==, 3);
  assert_end (csv);
  g_assert_cmpuint (digithek_csv_get_n_fields (csv), ==, 0);
}

static void
test_no_header (void)
{
  static const struct
  {
    const char *data;
    guint header_row;
  } cases[] = {
    { "", 0 },
    { "\n\r\n  \n", 0 },
    { "\xEF\xBB\xBF", 0 },
    { "meta\n", 2 },
    { "meta", 2 },
    { "meta\nmore\n", 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DigithekCsvOptions options = { .header_row = cases[i].header_row };
      g_autoptr(GError) error = NULL;
      g_autoptr(DigithekCsv) csv = open_bytes (cases[i].data, -1, &options, &error);

      g_assert_null (csv);
      g_assert_error (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_NO_HEADER);
      g_assert_true (g_str_has_prefix (error->message, "line "));
    }
}

static void
test_header_only (void)
{
  g_autoptr(DigithekCsv) csv = open_string ("x;y", NULL);

  g_assert_cmpint (digithek_csv_get_delimiter (csv), ==, ';');
  assert_header (csv, "x", "y", NULL);
  assert_end (csv);
  assert_end (csv);
}

static void
test_header_row_crlf_and_quotes (void)
{
  /* Metadata lines with CRLF and a quoted line break above the header. */
  DigithekCsvOptions options = { .header_row = 3, .first_data_row = 5 };
  g_autoptr(DigithekCsv) csv = open_string ("title: \"two\r\nlines\"\r\n"
                                            "source: x\r\n"
                                            "a;b\r\n"
                                            "unit;unit\r\n"
                                            "1;2\r\n", &options);

  assert_header (csv, "a", "b", NULL);
  next_row (csv);
  g_assert_cmpuint (digithek_csv_get_line (csv), ==, 6);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "1");
  assert_end (csv);
}

static void
test_nul_byte (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekCsv) csv = open_bytes ("a,b\n1,2\n3,\0\n", 12, NULL, &error);

  g_assert_no_error (error);
  next_row (csv);
  g_assert_false (digithek_csv_next_row (csv, &error));
  g_assert_error (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_ENCODING);
  g_assert_true (g_str_has_prefix (error->message, "line 3: contains a NUL byte"));
}

static void
test_field_limit (void)
{
  gsize limit = 1024 * 1024;
  g_autoptr(GString) data = g_string_new ("a,b\n1,");
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekCsv) csv = NULL;

  /* Exactly the limit is fine; one byte more is not. */
  for (gsize i = 0; i < limit; i++)
    g_string_append_c (data, 'x');
  g_string_append (data, "\n2,\"");
  for (gsize i = 0; i <= limit; i++)
    g_string_append_c (data, i % 100 == 99 ? '\n' : 'y');
  g_string_append (data, "\"\n");

  csv = open_bytes (data->str, data->len, NULL, &error);
  g_assert_no_error (error);
  next_row (csv);
  g_assert_cmpuint (strlen (digithek_csv_get_field (csv, 1)), ==, limit);
  g_assert_false (digithek_csv_next_row (csv, &error));
  g_assert_error (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==,
                   "line 3: a field is longer than 1 MiB (is a quote never closed?)");
}

/* Moves a tricky row across the first 64 KiB boundary of the read buffer, byte by byte,
 * so that the boundary falls inside quotes, between doubled quotes, inside a multibyte
 * character and between CR and LF. Where exactly the reader cuts (a BOM shifts it) is
 * its own business, so the sweep is wider than the row. */
static void
test_chunk_boundaries (void)
{
  const gsize chunk = 64 * 1024;
  static const char tricky[] = "\"a\"\"b\r\nc\";\"d;e\";\xC3\xA4\xE2\x82\xAC\r\n";
  static const char * const encodings[] = { "UTF-8", "Windows-1252" };

  for (guint e = 0; e < G_N_ELEMENTS (encodings); e++)
    for (gsize shift = 0; shift < sizeof tricky + 16; shift++)
      {
        gboolean cp1252 = e == 1;
        /* Detection may not see the one non-ASCII row: Windows-1252 is declared. */
        DigithekCsvOptions options = {
          .encoding = cp1252 ? DIGITHEK_CSV_ENCODING_WINDOWS_1252 : DIGITHEK_CSV_ENCODING_AUTO,
        };
        g_autoptr(GString) data = g_string_new (cp1252 ? "" : "\xEF\xBB\xBF");
        g_autoptr(DigithekCsv) csv = NULL;
        g_autoptr(GError) error = NULL;
        gsize filler;

        g_string_append (data, "h1;h2;h3\r\n");

        /* One long row ends where the tricky one must start. */
        g_string_append (data, "f;");
        filler = chunk + 8 - shift - data->len - 2;
        for (gsize i = 0; i < filler; i++)
          g_string_append_c (data, (char) ('a' + i % 26));
        g_string_append (data, "\r\n");
        g_assert_cmpuint (data->len, ==, chunk + 8 - shift);
        if (cp1252)
          g_string_append (data, "\"a\"\"b\r\nc\";\"d;e\";\xE4\x80\r\n");
        else
          g_string_append (data, tricky);
        for (guint i = 0; i < 2000; i++)
          g_string_append_printf (data, "%u;\"%u\"\"\";%u\r\n", i, i, i);

        csv = open_bytes (data->str, data->len, &options, &error);
        g_assert_no_error (error);
        g_assert_cmpint (digithek_csv_get_delimiter (csv), ==, ';');
        g_assert_cmpint (digithek_csv_get_encoding (csv), ==,
                         cp1252 ? DIGITHEK_CSV_ENCODING_WINDOWS_1252 : DIGITHEK_CSV_ENCODING_UTF8);
        assert_header (csv, "h1", "h2", "h3", NULL);

        next_row (csv);
        g_assert_cmpuint (strlen (digithek_csv_get_field (csv, 1)), ==, filler);
        next_row (csv);
        g_assert_cmpuint (digithek_csv_get_line (csv), ==, 3);
        g_assert_cmpuint (digithek_csv_get_n_fields (csv), ==, 3);
        g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "a\"b\r\nc");
        g_assert_cmpstr (digithek_csv_get_field (csv, 1), ==, "d;e");
        g_assert_cmpstr (digithek_csv_get_field (csv, 2), ==, "ä€");

        for (guint i = 0; i < 2000; i++)
          {
            char expected[32];

            next_row (csv);
            g_assert_cmpuint (digithek_csv_get_line (csv), ==, 5 + i);
            g_assert_cmpuint (digithek_csv_get_n_fields (csv), ==, 3);
            g_snprintf (expected, sizeof expected, "%u\"", i);
            g_assert_cmpstr (digithek_csv_get_field (csv, 1), ==, expected);
            g_snprintf (expected, sizeof expected, "%u", i);
            g_assert_cmpstr (digithek_csv_get_field (csv, 2), ==, expected);
          }
        assert_end (csv);
      }
}

/* A file several read buffers long, with rows of varying length. */
static void
test_large_file (void)
{
  g_autoptr(GString) data = g_string_new ("id,label,value\n");
  g_autoptr(DigithekCsv) csv = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows = 20000;

  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (data, "%u,\"label, %*u\",%u.%u\n", i, (int) (i % 37), i, i, i % 10);
  g_assert_cmpuint (data->len, >, 5 * 64 * 1024);

  csv = open_bytes (data->str, data->len, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_rows; i++)
    {
      double value;

      next_row (csv);
      g_assert_cmpfloat (number (digithek_csv_get_field (csv, 0), '.'), ==, i);
      g_assert_true (g_str_has_prefix (digithek_csv_get_field (csv, 1), "label, "));
      g_assert_true (digithek_csv_parse_number (digithek_csv_get_field (csv, 2), '.', &value));
      g_assert_cmpfloat_with_epsilon (value, i + (i % 10) / 10.0, 1e-9);
    }
  assert_end (csv);
}

/* ---- synthetic: detection and encodings ---- */

static void
test_detect_delimiter (void)
{
  static const struct
  {
    const char *data;
    char delimiter;
  } cases[] = {
    { "a\tb\tc\n1\t2,5\t3\n", '\t' },
    { "a;b;c\n1;2,5;x, y\n4;5;6\n", ';' },
    { "a,b,c;d\n1,2,3;4\n4,5,6;7\n", ',' },
    /* Commas in every text field, but not in the header. */
    { "name;days\nx;MO,DI\ny;SA,SO\n", ';' },
    /* A quoted delimiter does not count. */
    { "\"a;b\",c\n\"1;2\",3\n", ',' },
    /* One column: nothing to split on. */
    { "value\n1\n2\n", ',' },
    /* More fields in the header line than elsewhere is less consistent. */
    { "a;b;c,d\n1;2;3\n4;5;6\n", ';' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DigithekCsv) csv = open_string (cases[i].data, NULL);

      g_test_message ("case %u", i);
      g_assert_cmpint (digithek_csv_get_delimiter (csv), ==, cases[i].delimiter);
    }
}

static void
test_detect_decimal (void)
{
  static const struct
  {
    const char *data;
    char decimal;
  } cases[] = {
    { "a;b\n1;12,5\n2;13,5\n", ',' },
    { "a;b\n1;12.5\n2;13.5\n", '.' },
    { "a;b\n1;\"12,5\"\n", ',' },
    { "a;b\n1;1.234,5\n", ',' },
    { "a;b\n1;1,234.5\n", '.' },
    /* Ambiguous: three digits after the mark may be thousands. */
    { "a;b\n1;1.234\n2;1,5\n", ',' },
    /* Dates and times are no decimals. */
    { "a;b\n27.11.2026;14:05\n", '.' },
    /* A comma delimiter leaves only '.'. */
    { "a,b\n1,2\n", '.' },
    { "a;b\nx;y\n", '.' },
    /* The header holds names, not numbers. */
    { "1,5;2,5\n3.5;4.5\n", '.' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DigithekCsv) csv = open_string (cases[i].data, NULL);

      g_test_message ("case %u", i);
      g_assert_cmpint (digithek_csv_get_decimal (csv), ==, cases[i].decimal);
    }
}

static void
test_windows_1252 (void)
{
  g_autoptr(DigithekCsv) csv = open_string ("Preis;W\xE4hrung;Zitat\n"
                                            "5;\x80;\x84gut\x93\n", NULL);

  g_assert_cmpint (digithek_csv_get_encoding (csv), ==, DIGITHEK_CSV_ENCODING_WINDOWS_1252);
  g_assert_cmpstr (digithek_csv_get_header (csv)[1], ==, "Währung");
  next_row (csv);
  g_assert_cmpstr (digithek_csv_get_field (csv, 1), ==, "€");
  g_assert_cmpstr (digithek_csv_get_field (csv, 2), ==, "„gut“");
}

static void
test_latin1 (void)
{
  g_autoptr(DigithekCsv) csv = open_string ("Stra\xDF" "e;Gr\xF6\xDF" "e\n"
                                            "K\xF6nigstra\xDF" "e;1\xB2\n", NULL);

  g_assert_cmpint (digithek_csv_get_encoding (csv), ==, DIGITHEK_CSV_ENCODING_ISO_8859_1);
  assert_header (csv, "Straße", "Größe", NULL);
  next_row (csv);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "Königstraße");
  g_assert_cmpstr (digithek_csv_get_field (csv, 1), ==, "1²");
}

static void
test_invalid_utf8_declared (void)
{
  DigithekCsvOptions options = { .encoding = DIGITHEK_CSV_ENCODING_UTF8 };
  g_autoptr(DigithekCsv) csv = open_string ("a;b\n1;ok \xC3\xA4\n2;\"two\nlines \xE4\"\n", &options);
  g_autoptr(GError) error = NULL;

  next_row (csv);
  g_assert_cmpstr (digithek_csv_get_field (csv, 1), ==, "ok ä");
  g_assert_false (digithek_csv_next_row (csv, &error));
  g_assert_error (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_ENCODING);
  g_assert_cmpstr (error->message, ==,
                   "line 4: not valid UTF-8 (declare \"encoding\": \"ISO-8859-1\" in the csv settings)");
}

static void
test_invalid_utf8_after_sample (void)
{
  /* Detection sees ASCII and UTF-8 only; a Latin-1 byte far down is still caught. */
  g_autoptr(GString) data = g_string_new ("name,value\nM\xC3\xBCnchen,1\n");
  g_autoptr(DigithekCsv) csv = NULL;
  g_autoptr(GError) error = NULL;
  guint rows = 0;

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (data, "row %u,%u\n", i, i);
  g_string_append (data, "M\xFCnchen,2\n");

  csv = open_bytes (data->str, data->len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (digithek_csv_get_encoding (csv), ==, DIGITHEK_CSV_ENCODING_UTF8);
  while (digithek_csv_next_row (csv, &error))
    rows++;
  g_assert_cmpuint (rows, ==, 10001);
  g_assert_error (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_ENCODING);
  g_assert_true (g_str_has_prefix (error->message, "line 10003: not valid UTF-8"));
}

static void
test_explicit_options_win (void)
{
  const char *data = "a;b,c\n1;2,5\n\xC3\xA4;x\n";
  DigithekCsvOptions options = {
    .delimiter = ',',
    .decimal = ',',
    .encoding = DIGITHEK_CSV_ENCODING_ISO_8859_1,
  };
  g_autoptr(DigithekCsv) detected = open_string (data, NULL);
  g_autoptr(DigithekCsv) csv = open_string (data, &options);

  g_assert_cmpint (digithek_csv_get_delimiter (detected), ==, ';');
  g_assert_cmpint (digithek_csv_get_encoding (detected), ==, DIGITHEK_CSV_ENCODING_UTF8);

  g_assert_cmpint (digithek_csv_get_delimiter (csv), ==, ',');
  g_assert_cmpint (digithek_csv_get_decimal (csv), ==, ',');
  g_assert_cmpint (digithek_csv_get_encoding (csv), ==, DIGITHEK_CSV_ENCODING_ISO_8859_1);
  assert_header (csv, "a;b", "c", NULL);
  next_row (csv);
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "1;2");
  next_row (csv);
  /* UTF-8 bytes read as ISO-8859-1, as asked. */
  g_assert_cmpstr (digithek_csv_get_field (csv, 0), ==, "Ã¤;x");
}

static void
test_bad_options (void)
{
  static const DigithekCsvOptions cases[] = {
    { .delimiter = '"' },
    { .delimiter = '\n' },
    { .delimiter = (char) 0xE4 },
    { .decimal = ';' },
    { .encoding = 42 },
    { .header_row = 2, .first_data_row = 2 },
    { .first_data_row = 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DigithekCsv) csv = open_bytes ("a;b\n1;2\n", -1, &cases[i], &error);
      int code = cases[i].encoding == 42 ? DIGITHEK_CSV_ERROR_ENCODING : DIGITHEK_CSV_ERROR_SYNTAX;

      g_assert_null (csv);
      g_assert_error (error, DIGITHEK_CSV_ERROR, code);
    }
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DigithekCsv) csv = digithek_csv_new_for_path ("/nonexistent/file.csv", NULL, &error);

  g_assert_null (csv);
  g_assert_error (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_IO);
}

static void
test_encoding_names (void)
{
  static const struct
  {
    const char *name;
    gboolean ok;
    DigithekCsvEncoding encoding;
  } cases[] = {
    { "UTF-8", TRUE, DIGITHEK_CSV_ENCODING_UTF8 },
    { "utf8", TRUE, DIGITHEK_CSV_ENCODING_UTF8 },
    { "ISO-8859-1", TRUE, DIGITHEK_CSV_ENCODING_ISO_8859_1 },
    { "latin1", TRUE, DIGITHEK_CSV_ENCODING_ISO_8859_1 },
    { "windows-1252", TRUE, DIGITHEK_CSV_ENCODING_WINDOWS_1252 },
    { "CP1252", TRUE, DIGITHEK_CSV_ENCODING_WINDOWS_1252 },
    { "UTF-16", FALSE, 0 },
    { "", FALSE, 0 },
  };
  DigithekCsvEncoding encoding;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      encoding = DIGITHEK_CSV_ENCODING_AUTO;
      g_assert_cmpint (digithek_csv_encoding_from_string (cases[i].name, &encoding), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpint (encoding, ==, cases[i].encoding);
    }

  for (DigithekCsvEncoding e = DIGITHEK_CSV_ENCODING_UTF8; e <= DIGITHEK_CSV_ENCODING_WINDOWS_1252; e++)
    {
      g_assert_true (digithek_csv_encoding_from_string (digithek_csv_encoding_to_string (e), &encoding));
      g_assert_cmpint (encoding, ==, e);
    }
}

/* ---- cell values ---- */

static void
test_decimal_comma (void)
{
  static const struct
  {
    const char *cell;
    char decimal;
    gboolean ok;
    double value;
  } cases[] = {
    { "12,5", ',', TRUE, 12.5 },
    { "1.234,5", ',', TRUE, 1234.5 },
    { "1.234.567,25", ',', TRUE, 1234567.25 },
    { "-0,5", ',', TRUE, -0.5 },
    { " 7,11523 ", ',', TRUE, 7.11523 },
    { "1.234", ',', TRUE, 1234 },
    { "12.5", ',', FALSE, 0 },
    { "1,2,3", ',', FALSE, 0 },
    { "1e3", ',', FALSE, 0 },
    { "1,234.5", '.', TRUE, 1234.5 },
    { "12.5", '.', TRUE, 12.5 },
    { "-3", '.', TRUE, -3 },
    { "+4.5", '.', TRUE, 4.5 },
    { "1e3", '.', TRUE, 1000 },
    { "2.5E-3", '.', TRUE, 0.0025 },
    { "  42  ", '.', TRUE, 42 },
    { "\t42\r", '.', TRUE, 42 },
    { "20696.0", '.', TRUE, 20696 },
    { ".5", '.', TRUE, 0.5 },
    { "0.1", '.', TRUE, 0.1 },
    { "0.000000000000000000000000001", '.', TRUE, 1e-27 },
    { "12345678901234567890", '.', TRUE, 12345678901234567890.0 },
    { "3.14159265358979323846", '.', TRUE, 3.14159265358979323846 },
    { "1740651467085", '.', TRUE, 1740651467085.0 },
    { "12,5", '.', FALSE, 0 },
    { "1,23", '.', FALSE, 0 },
    { "1234,567", '.', FALSE, 0 },
    { ",123", '.', FALSE, 0 },
    { "abc", '.', FALSE, 0 },
    { "1.2.3", '.', FALSE, 0 },
    { "1.2.3", ',', FALSE, 0 },
    { "inf", '.', FALSE, 0 },
    { "nan", '.', FALSE, 0 },
    { "NaN", '.', FALSE, 0 },
    { "infinity", '.', FALSE, 0 },
    { "1e999", '.', FALSE, 0 },
    { "0x10", '.', FALSE, 0 },
    { "", '.', FALSE, 0 },
    { "   ", '.', FALSE, 0 },
    { "-", '.', FALSE, 0 },
    { "+", '.', FALSE, 0 },
    { ".", '.', FALSE, 0 },
    { "1e", '.', FALSE, 0 },
    { "1 000", '.', FALSE, 0 },
    { "12 m", '.', FALSE, 0 },
    { "--1", '.', FALSE, 0 },
    { "12", ';', FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double value = -999;
      gboolean ok = digithek_csv_parse_number (cases[i].cell, cases[i].decimal, &value);

      g_test_message ("\"%s\" with '%c'", cases[i].cell, cases[i].decimal);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpfloat (value, ==, cases[i].value);
      else
        g_assert_cmpfloat (value, ==, -999);
    }
}

static void
test_parse_year (void)
{
  static const struct
  {
    const char *cell;
    int year;
  } cases[] = {
    { "2024", 2024 },
    { " 1973 ", 1973 },
    { "2024.0", 2024 },
    { "2024.00", 2024 },
    { "1000", 1000 },
    { "2999", 2999 },
    { "999", 0 },
    { "3000", 0 },
    { "02024", 0 },
    { "2024.5", 0 },
    { "2024.", 0 },
    { "-2024", 0 },
    { "2024-01-01", 0 },
    { "abcd", 0 },
    { "", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int year = -1;

      g_test_message ("\"%s\"", cases[i].cell);
      g_assert_cmpint (digithek_csv_parse_year (cases[i].cell, &year), ==, cases[i].year != 0);
      if (cases[i].year != 0)
        g_assert_cmpint (year, ==, cases[i].year);
      else
        g_assert_cmpint (year, ==, -1);
    }
}

static void
test_parse_time (void)
{
  static const struct
  {
    const char *cell;
    gboolean ok;
    gint64 unix_time;
  } cases[] = {
    /* ISO 8601 with offsets. */
    { "2025-11-10T00:00:00+01:00", TRUE, 1762729200 },
    { "2025-11-10T00:00:00+0100", TRUE, 1762729200 },
    { "2025-11-10T00:00:00+01", TRUE, 1762729200 },
    { "2025-11-09T23:00:00Z", TRUE, 1762729200 },
    { "2025-11-09 23:00Z", TRUE, 1762729200 },
    { "2025-11-09t23:00:00z", TRUE, 1762729200 },
    { "2020-09-02T15:35:19Z", TRUE, 1599060919 },
    { "2020-09-02T15:35:19.999Z", TRUE, 1599060919 },
    { "2020-09-02T15:35:19,5Z", TRUE, 1599060919 },
    { "2026-11-27T14:05:30.25-05:30", TRUE, 1795808130 },
    { "1969-07-20T20:17:40Z", TRUE, -14182940 },
    /* Without a zone: wall-clock time in Konstanz, CET in winter, CEST in summer. */
    { "27.11.2026 14:05", TRUE, 1795784700 },
    { "27.11.2026 14:05:00", TRUE, 1795784700 },
    { "2026-11-27 14:05", TRUE, 1795784700 },
    { "2026-11-27T14:05:00", TRUE, 1795784700 },
    { "01.07.2026 12:00", TRUE, 1782900000 },
    { "1.7.2026 12:00", TRUE, 1782900000 },
    { "01.07.2026 12:00:00.5", TRUE, 1782900000 },
    { " 2000-01-01 ", TRUE, 946681200 },
    { "01.01.2000", TRUE, 946681200 },
    { "1.1.2000", TRUE, 946681200 },
    { "29.02.2024", TRUE, 1709161200 },
    { "01.01.1973", TRUE, 94690800 },
    { "26.06.2021 9:05", TRUE, 1624691100 },
    /* The hour the clocks skip is read with the offset before the change; the hour
     * they go back is read as its first occurrence. */
    { "2026-03-29 02:30", TRUE, 1774747800 },
    { "2026-03-29 01:59:59", TRUE, 1774745999 },
    { "2026-03-29 03:00", TRUE, 1774746000 },
    { "2026-10-25 02:30", TRUE, 1792888200 },
    { "2026-10-25 03:30", TRUE, 1792895400 },
    /* Invalid dates and times. */
    { "31.02.2026", FALSE, 0 },
    { "29.02.2025", FALSE, 0 },
    { "2026-13-01", FALSE, 0 },
    { "2026-00-10", FALSE, 0 },
    { "2026-01-32", FALSE, 0 },
    { "00.01.2026", FALSE, 0 },
    { "27.11.2026 24:00", FALSE, 0 },
    { "2026-11-27T24:00:00Z", FALSE, 0 },
    { "27.11.2026 14:60", FALSE, 0 },
    { "27.11.2026 14:05:60", FALSE, 0 },
    { "2026-11-27T14:05+25:00", FALSE, 0 },
    { "2026-11-27T14:05+01:60", FALSE, 0 },
    { "2026-11-27T14:05+1", FALSE, 0 },
    { "2026-11-27T14:05:00.", FALSE, 0 },
    { "2026-11-27T", FALSE, 0 },
    { "2026-11-27 ", TRUE, 1795734000 },
    { "2026-11-27X14:05", FALSE, 0 },
    { "27.11.2026T14:05", FALSE, 0 },
    { "2026-1-27", FALSE, 0 },
    { "27.11.26", FALSE, 0 },
    { "27/11/2026", FALSE, 0 },
    { "2026-11-27T4:05", FALSE, 0 },
    { "2026-11-27T14", FALSE, 0 },
    { "2026-11-27T14:05 extra", FALSE, 0 },
    { "0000-01-01", FALSE, 0 },
    /* Numbers are no times. */
    { "2024", FALSE, 0 },
    { "1234567", FALSE, 0 },
    { "20241127", FALSE, 0 },
    { "12.5", FALSE, 0 },
    { "", FALSE, 0 },
    { "null", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 value = -1;
      gboolean ok = digithek_csv_parse_time (cases[i].cell, &value);

      g_test_message ("\"%s\"", cases[i].cell);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (value, ==, cases[i].unix_time);
      else
        g_assert_cmpint (value, ==, -1);
    }
}

static void
test_parse_time_matches_gdatetime (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");

  if (berlin == NULL)
    {
      g_test_skip ("no time zone data for Europe/Berlin");
      return;
    }

  /* Every hour over two years, DST changes included, against GDateTime. */
  for (gint64 t = 1735686000; t < 1735686000 + 2 * 366 * 86400; t += 3600 + 61)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, berlin);
      g_autofree char *german = g_date_time_format (local, "%d.%m.%Y %H:%M:%S");
      g_autofree char *iso = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
      g_autoptr(GDateTime) hour_before = g_date_time_add_hours (local, -1);
      gint64 value;

      /* The hour the clocks go back occurs twice; the reader takes the first (tested
       * above), so the second is skipped here. */
      if (!g_date_time_is_daylight_savings (local) &&
          g_date_time_is_daylight_savings (hour_before) &&
          g_date_time_get_hour (hour_before) == g_date_time_get_hour (local))
        continue;

      g_assert_true (digithek_csv_parse_time (german, &value));
      g_assert_cmpint (value, ==, t);
      g_assert_true (digithek_csv_parse_time (iso, &value));
      g_assert_cmpint (value, ==, t);
    }
}

static void
test_is_missing (void)
{
  static const char * const missing[] = {
    "", " ", "\t", "null", "NULL", "Null", " null ", "NaN", "nan", "N/A", "n/a", "NA", "-",
    " - ", "\xE2\x80\x93",
  };
  static const char * const present[] = {
    "0", "0.0", "x", "--", "nulls", "NAN1", "—", "n.a.", "-1", "none?",
  };

  for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
    g_assert_true (digithek_csv_is_missing (missing[i]));
  for (guint i = 0; i < G_N_ELEMENTS (present); i++)
    g_assert_false (digithek_csv_is_missing (present[i]));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/content/csv/real/lubw-hourly", test_real_lubw_hourly);
  g_test_add_func ("/content/csv/real/dwd-years", test_real_dwd_years);
  g_test_add_func ("/content/csv/real/population-float-integers",
                   test_real_population_float_integers);
  g_test_add_func ("/content/csv/real/bietigheim-latin1", test_real_bietigheim_latin1);
  g_test_add_func ("/content/csv/real/friedrichshafen-bom-decimal-comma",
                   test_real_friedrichshafen_bom_decimal_comma);
  g_test_add_func ("/content/csv/real/neckarsulm-crlf-na", test_real_neckarsulm_crlf_na);
  g_test_add_func ("/content/csv/real/reutlingen-bom-comma", test_real_reutlingen_bom_comma);
  g_test_add_func ("/content/csv/real/obs-header-row", test_real_obs_header_row);
  g_test_add_func ("/content/csv/real/obs-date-only", test_real_obs_date_only);
  g_test_add_func ("/content/csv/real/smartcitizen-header-rows",
                   test_real_smartcitizen_header_rows);

  g_test_add_func ("/content/csv/quoted-newlines", test_quoted_newlines);
  g_test_add_func ("/content/csv/doubled-quotes", test_doubled_quotes);
  g_test_add_func ("/content/csv/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/content/csv/unterminated-quote-in-header", test_unterminated_quote_in_header);
  g_test_add_func ("/content/csv/line-endings", test_line_endings);
  g_test_add_func ("/content/csv/blank-short-and-long-rows", test_blank_short_and_long_rows);
  g_test_add_func ("/content/csv/no-header", test_no_header);
  g_test_add_func ("/content/csv/header-only", test_header_only);
  g_test_add_func ("/content/csv/header-row-crlf-and-quotes", test_header_row_crlf_and_quotes);
  g_test_add_func ("/content/csv/nul-byte", test_nul_byte);
  g_test_add_func ("/content/csv/field-limit", test_field_limit);
  g_test_add_func ("/content/csv/chunk-boundaries", test_chunk_boundaries);
  g_test_add_func ("/content/csv/large-file", test_large_file);

  g_test_add_func ("/content/csv/detect-delimiter", test_detect_delimiter);
  g_test_add_func ("/content/csv/detect-decimal", test_detect_decimal);
  g_test_add_func ("/content/csv/windows-1252", test_windows_1252);
  g_test_add_func ("/content/csv/latin1", test_latin1);
  g_test_add_func ("/content/csv/invalid-utf8-declared", test_invalid_utf8_declared);
  g_test_add_func ("/content/csv/invalid-utf8-after-sample", test_invalid_utf8_after_sample);
  g_test_add_func ("/content/csv/explicit-options-win", test_explicit_options_win);
  g_test_add_func ("/content/csv/bad-options", test_bad_options);
  g_test_add_func ("/content/csv/missing-file", test_missing_file);
  g_test_add_func ("/content/csv/encoding-names", test_encoding_names);

  g_test_add_func ("/content/csv/decimal-comma", test_decimal_comma);
  g_test_add_func ("/content/csv/parse-year", test_parse_year);
  g_test_add_func ("/content/csv/parse-time", test_parse_time);
  g_test_add_func ("/content/csv/parse-time-matches-gdatetime", test_parse_time_matches_gdatetime);
  g_test_add_func ("/content/csv/is-missing", test_is_missing);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DIGITHEK_CSV_ERROR (digithek_csv_error_quark ())

typedef enum
{
  DIGITHEK_CSV_ERROR_IO,
  DIGITHEK_CSV_ERROR_NO_HEADER,   /* empty file, or nothing before end of file */
  DIGITHEK_CSV_ERROR_ENCODING,    /* bytes not valid in the declared or detected encoding */
  DIGITHEK_CSV_ERROR_SYNTAX,      /* unterminated quote, field over the size limit… */
} DigithekCsvError;

GQuark digithek_csv_error_quark (void);

typedef enum
{
  DIGITHEK_CSV_ENCODING_AUTO = 0,
  DIGITHEK_CSV_ENCODING_UTF8,
  DIGITHEK_CSV_ENCODING_ISO_8859_1,
  DIGITHEK_CSV_ENCODING_WINDOWS_1252,
} DigithekCsvEncoding;

/**
 * DigithekCsvOptions:
 * @delimiter: field separator, or 0 to detect (`;`, `,` or tab)
 * @decimal: `.` or `,`, or 0 to detect from the data
 * @encoding: the byte encoding, or %DIGITHEK_CSV_ENCODING_AUTO to detect
 * @header_row: 1-based row holding the column names (0 means 1); rows before it are skipped
 * @first_data_row: 1-based row where data starts (0 means header_row + 1); rows between
 *   the header and it (units, long names) are skipped
 *
 * Options of a CSV file, as given in a pack's `csv` object. Zeroed means "detect".
 * Rows count records from the top of the file, blank lines included (a line break inside
 * quotes does not start one); a blank header row means the next non-blank one.
 * Detection looks at the first 64 KiB from the header row on.
 */
typedef struct
{
  char delimiter;
  char decimal;
  DigithekCsvEncoding encoding;
  guint header_row;
  guint first_data_row;
} DigithekCsvOptions;

const char          *digithek_csv_encoding_to_string   (DigithekCsvEncoding encoding);
/* Accepts "UTF-8", "ISO-8859-1", "Windows-1252" (case-insensitive, common aliases). */
gboolean             digithek_csv_encoding_from_string (const char          *name,
                                                        DigithekCsvEncoding *out_encoding);

#define DIGITHEK_TYPE_CSV (digithek_csv_get_type ())
G_DECLARE_FINAL_TYPE (DigithekCsv, digithek_csv, DIGITHEK, CSV, GObject)

/**
 * digithek_csv_new_for_path:
 * @path: file to read
 * @options: (nullable): explicit settings; they win over detection
 * @error: return location for a #GError
 *
 * Opens @path, detects what @options leaves open from the first 64 KiB and reads the
 * header row. The file is streamed: memory use does not grow with its size.
 *
 * Returns: (transfer full): a reader positioned before the first data row, or %NULL
 */
DigithekCsv        *digithek_csv_new_for_path     (const char               *path,
                                                   const DigithekCsvOptions *options,
                                                   GError                  **error);
/* The same for an arbitrary stream (used by the fuzz target and by tests). */
DigithekCsv        *digithek_csv_new_for_stream   (GInputStream             *stream,
                                                   const DigithekCsvOptions *options,
                                                   GError                  **error);

/* The header's column names, UTF-8, surrounding white space trimmed. */
const char * const *digithek_csv_get_header       (DigithekCsv *self);
guint               digithek_csv_get_n_columns    (DigithekCsv *self);
/* Index of @name in the header, or -1. */
int                 digithek_csv_find_column      (DigithekCsv *self,
                                                   const char  *name);
/* What was used, after detection. */
char                digithek_csv_get_delimiter    (DigithekCsv *self);
char                digithek_csv_get_decimal      (DigithekCsv *self);
DigithekCsvEncoding digithek_csv_get_encoding     (DigithekCsv *self);

/**
 * digithek_csv_next_row:
 * @self: a #DigithekCsv
 * @error: return location for a #GError
 *
 * Advances to the next data row. Blank lines are skipped. A row with fewer fields than
 * the header is padded with empty fields; extra fields are kept.
 *
 * Returns: %TRUE when a row is available; %FALSE at the end (@error unset) or on an
 *   error (@error set, naming the line)
 */
gboolean            digithek_csv_next_row         (DigithekCsv  *self,
                                                   GError      **error);
/* Fields of the current row: at least the header's column count; 0 when there is none. */
guint               digithek_csv_get_n_fields     (DigithekCsv  *self);
/* Field @column of the current row, UTF-8 and never %NULL ("" when absent). Valid until
 * the next call to digithek_csv_next_row(). */
const char         *digithek_csv_get_field        (DigithekCsv  *self,
                                                   guint         column);
/* 1-based physical line where the current row starts, for messages. */
guint64             digithek_csv_get_line         (DigithekCsv  *self);

/* ---- cell values ---- */

/* Empty, blank, or a conventional "no value" marker (null, NULL, NaN, N/A, NA, -, –). */
gboolean            digithek_csv_is_missing       (const char  *cell);

/**
 * digithek_csv_parse_number:
 * @cell: a cell (UTF-8)
 * @decimal: `.` or `,`
 * @out_value: (out): the number
 *
 * Parses an integer or decimal number written with @decimal as decimal mark, allowing a
 * sign, surrounding white space, an exponent (with `.` only) and thousands separators
 * in their usual places (`1.234,5` with `,`; `1,234.5` with `.`).
 *
 * Returns: %TRUE when the whole cell is a finite number
 */
gboolean            digithek_csv_parse_number     (const char  *cell,
                                                   char         decimal,
                                                   double      *out_value);

/**
 * digithek_csv_parse_time:
 * @cell: a cell (UTF-8)
 * @out_unix: (out): seconds since 1970-01-01 UTC
 *
 * Parses ISO 8601 (`2026-11-27`, `2026-11-27T14:05:00+01:00`, `…Z`, `2026-11-27 14:05`,
 * fractional seconds) and German dates (`27.11.2026`, `27.11.2026 14:05`,
 * `27.11.2026 14:05:30`). Times without an offset are wall-clock times in
 * Europe/Berlin, where German open data is published.
 *
 * Returns: %TRUE when the whole cell is a valid date or time
 */
gboolean            digithek_csv_parse_time       (const char  *cell,
                                                   gint64      *out_unix);

typedef enum
{
  DIGITHEK_CSV_X_CATEGORY = 0, /* labels: anything that is not empty */
  DIGITHEK_CSV_X_TIME,         /* every cell a date or time (digithek_csv_parse_time()) */
  DIGITHEK_CSV_X_YEAR,         /* every cell an integer year from 1000 to 2999 */
} DigithekCsvXKind;

/* Parses an integer year from 1000 to 2999 ("2024", also "2024.0"). */
gboolean            digithek_csv_parse_year       (const char  *cell,
                                                   int         *out_year);

G_END_DECLS

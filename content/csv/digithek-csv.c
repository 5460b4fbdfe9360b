/* SPDX-License-Identifier: GPL-3.0-or-later */

/* A streaming CSV reader for the files open-data portals publish: `;` or `,` or tab,
 * decimal commas, a BOM or ISO-8859-1 bytes, metadata lines above the header. It reads
 * the stream in chunks and keeps one row at a time, so memory use does not depend on the
 * size of the file. */

#include "digithek-csv.h"
#include "digithek-csv-private.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (digithek-csv-error-quark, digithek_csv_error)

G_DEFINE_FINAL_TYPE (DigithekCsv, digithek_csv, G_TYPE_OBJECT)

const gunichar digithek_csv_cp1252_80_9f[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

void
digithek_csv_set_error (GError         **error,
                            DigithekCsvError code,
                            guint64          line,
                            const char      *format,
                            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, DIGITHEK_CSV_ERROR, code,
               "line %" G_GUINT64_FORMAT ": %s", line, message);
}

const char *
digithek_csv_encoding_to_string (DigithekCsvEncoding encoding)
{
  switch (encoding)
    {
    case DIGITHEK_CSV_ENCODING_UTF8:
      return "UTF-8";
    case DIGITHEK_CSV_ENCODING_ISO_8859_1:
      return "ISO-8859-1";
    case DIGITHEK_CSV_ENCODING_WINDOWS_1252:
      return "Windows-1252";
    case DIGITHEK_CSV_ENCODING_AUTO:
      return "auto";
    default:
      return "unknown";
    }
}

gboolean
digithek_csv_encoding_from_string (const char          *name,
                                   DigithekCsvEncoding *out_encoding)
{
  static const struct
  {
    const char *name;
    DigithekCsvEncoding encoding;
  } names[] = {
    { "UTF-8", DIGITHEK_CSV_ENCODING_UTF8 },
    { "UTF8", DIGITHEK_CSV_ENCODING_UTF8 },
    { "ISO-8859-1", DIGITHEK_CSV_ENCODING_ISO_8859_1 },
    { "ISO8859-1", DIGITHEK_CSV_ENCODING_ISO_8859_1 },
    { "ISO_8859-1", DIGITHEK_CSV_ENCODING_ISO_8859_1 },
    { "ISO-8859-15", DIGITHEK_CSV_ENCODING_ISO_8859_1 },
    { "Latin-1", DIGITHEK_CSV_ENCODING_ISO_8859_1 },
    { "Latin1", DIGITHEK_CSV_ENCODING_ISO_8859_1 },
    { "Windows-1252", DIGITHEK_CSV_ENCODING_WINDOWS_1252 },
    { "Windows1252", DIGITHEK_CSV_ENCODING_WINDOWS_1252 },
    { "CP1252", DIGITHEK_CSV_ENCODING_WINDOWS_1252 },
    { "CP-1252", DIGITHEK_CSV_ENCODING_WINDOWS_1252 },
    { "auto", DIGITHEK_CSV_ENCODING_AUTO },
  };

  g_return_val_if_fail (out_encoding != NULL, FALSE);

  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (name, names[i].name) == 0)
        {
          *out_encoding = names[i].encoding;
          return TRUE;
        }
    }

  return FALSE;
}

static void
digithek_csv_finalize (GObject *object)
{
  DigithekCsv *self = (DigithekCsv *) object;

  g_clear_object (&self->stream);
  g_clear_pointer (&self->buf, g_free);
  g_clear_pointer (&self->header, g_strfreev);
  g_clear_pointer (&self->row, g_free);
  g_clear_pointer (&self->fields, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (digithek_csv_parent_class)->finalize (object);
}

static void
digithek_csv_class_init (DigithekCsvClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = digithek_csv_finalize;
}

static void
digithek_csv_init (DigithekCsv *self)
{
  self->line = 1;
  self->row_line = 1;
  self->row_alloc = 256;
  self->row = g_malloc (self->row_alloc);
  self->fields_alloc = 16;
  self->fields = g_new (guint, self->fields_alloc);
}

static void
csv_build_tables (DigithekCsv *self)
{
  memset (self->class_unquoted, BYTE_PLAIN, sizeof self->class_unquoted);
  memset (self->class_quoted, BYTE_PLAIN, sizeof self->class_quoted);

  for (guint c = 0x80; c <= 0xFF; c++)
    {
      gunichar u = c;

      self->class_unquoted[c] = BYTE_HIGH;
      self->class_quoted[c] = BYTE_HIGH;

      if (self->encoding == DIGITHEK_CSV_ENCODING_WINDOWS_1252 && c <= 0x9F &&
          digithek_csv_cp1252_80_9f[c - 0x80] != 0)
        u = digithek_csv_cp1252_80_9f[c - 0x80];
      self->high_to_utf8[c - 0x80][0] =
        (guint8) g_unichar_to_utf8 (u, (char *) self->high_to_utf8[c - 0x80] + 1);
    }

  /* UTF-8 needs a look at non-ASCII bytes only to know the field must be validated; the
   * plain runs stay fast for the ASCII most fields are made of. */
  self->class_unquoted[(guint8) self->delimiter] = BYTE_DELIMITER;
  self->class_unquoted['\r'] = BYTE_CR;
  self->class_unquoted['\n'] = BYTE_LF;
  self->class_unquoted['\0'] = BYTE_NUL;

  self->class_quoted['"'] = BYTE_QUOTE;
  self->class_quoted['\n'] = BYTE_LF;
  self->class_quoted['\0'] = BYTE_NUL;
}

static gboolean
check_options (const DigithekCsvOptions  *options,
               GError                   **error)
{
  guint8 d = (guint8) options->delimiter;

  if (d != 0 && (d >= 0x80 || d == '"' || d == '\r' || d == '\n' ||
                 (d < 0x20 && d != '\t')))
    {
      g_set_error (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_SYNTAX,
                   "the delimiter must be one ASCII character other than a quote");
      return FALSE;
    }

  if (options->decimal != 0 && options->decimal != '.' && options->decimal != ',')
    {
      g_set_error (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_SYNTAX,
                   "the decimal mark must be \".\" or \",\"");
      return FALSE;
    }

  switch (options->encoding)
    {
    case DIGITHEK_CSV_ENCODING_AUTO:
    case DIGITHEK_CSV_ENCODING_UTF8:
    case DIGITHEK_CSV_ENCODING_ISO_8859_1:
    case DIGITHEK_CSV_ENCODING_WINDOWS_1252:
      break;
    default:
      g_set_error (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_ENCODING,
                   "unknown encoding");
      return FALSE;
    }

  if (options->first_data_row != 0 &&
      options->first_data_row <= MAX (options->header_row, 1))
    {
      g_set_error (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_SYNTAX,
                   "the first data row (%u) must come after the header row (%u)",
                   options->first_data_row, MAX (options->header_row, 1));
      return FALSE;
    }

  return TRUE;
}

static gboolean
csv_open (DigithekCsv               *self,
          const DigithekCsvOptions  *options,
          GError                   **error)
{
  static const DigithekCsvOptions defaults = { 0, };
  guint64 header_row;
  gboolean had_bom = FALSE;

  if (options == NULL)
    options = &defaults;
  if (!check_options (options, error))
    return FALSE;

  header_row = MAX (options->header_row, 1);
  self->first_data_row = options->first_data_row;
  self->buf = g_malloc (CHUNK_SIZE);

  if (!digithek_csv_fill (self, error))
    return FALSE;

  /* A BOM says UTF-8; it is dropped even when the settings say otherwise, because it
   * would otherwise stick to the first column's name. */
  if (self->buf_len >= 3 && memcmp (self->buf, "\xEF\xBB\xBF", 3) == 0)
    {
      self->buf_pos = 3;
      had_bom = TRUE;
    }

  if (!digithek_csv_skip_rows (self, header_row - 1, header_row, error) || !digithek_csv_fill (self, error))
    return FALSE;
  if (self->cr_pending && self->buf_len > 0 && self->buf[0] == '\n')
    {
      self->cr_pending = FALSE;
      self->buf_pos = 1;
      if (!digithek_csv_fill (self, error))
        return FALSE;
    }

  /* The buffer now starts at the header row and holds up to 64 KiB: the sample. */
  self->delimiter = options->delimiter;
  if (self->delimiter == 0)
    self->delimiter = digithek_csv_detect_delimiter (self->buf, self->buf_len, self->eof);

  self->encoding = options->encoding;
  if (self->encoding == DIGITHEK_CSV_ENCODING_AUTO)
    self->encoding = had_bom ? DIGITHEK_CSV_ENCODING_UTF8
                             : digithek_csv_detect_encoding (self->buf, self->buf_len, self->eof);

  self->decimal = options->decimal;
  if (self->decimal == 0)
    self->decimal = digithek_csv_detect_decimal (self->buf, self->buf_len, self->eof,
                                                 self->delimiter);

  csv_build_tables (self);

  /* The header: the configured row, or the first line with something on it after it. */
  for (;;)
    {
      gboolean blank;
      int r = digithek_csv_read_record (self, &blank, error);

      if (r < 0)
        return FALSE;
      if (r == 0)
        {
          digithek_csv_set_error (error, DIGITHEK_CSV_ERROR_NO_HEADER, self->line,
                                  self->row_number == 0 ? "the file is empty"
                                                        : "the file has no header row");
          return FALSE;
        }
      if (!blank)
        break;
    }

  self->n_columns = self->n_fields;
  self->header = g_new0 (char *, self->n_columns + 1);
  for (guint i = 0; i < self->n_columns; i++)
    self->header[i] = g_strstrip (g_strdup (self->row + self->fields[i]));

  self->n_fields = 0;
  self->row_len = 0;

  return TRUE;
}

/**
 * digithek_csv_new_for_stream:
 * @stream: the bytes of a CSV file
 * @options: (nullable): explicit settings; they win over detection
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a reader positioned before the first data row, or %NULL
 */
DigithekCsv *
digithek_csv_new_for_stream (GInputStream              *stream,
                             const DigithekCsvOptions  *options,
                             GError                   **error)
{
  g_autoptr(DigithekCsv) self = NULL;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (DIGITHEK_TYPE_CSV, NULL);
  self->stream = g_object_ref (stream);

  if (!csv_open (self, options, error))
    return NULL;

  return g_steal_pointer (&self);
}

DigithekCsv *
digithek_csv_new_for_path (const char                *path,
                           const DigithekCsvOptions  *options,
                           GError                   **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, DIGITHEK_CSV_ERROR, DIGITHEK_CSV_ERROR_IO,
                   "%s", local_error->message);
      return NULL;
    }

  return digithek_csv_new_for_stream (G_INPUT_STREAM (stream), options, error);
}

const char * const *
digithek_csv_get_header (DigithekCsv *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CSV (self), NULL);

  return (const char * const *) self->header;
}

guint
digithek_csv_get_n_columns (DigithekCsv *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CSV (self), 0);

  return self->n_columns;
}

int
digithek_csv_find_column (DigithekCsv *self,
                          const char  *name)
{
  g_return_val_if_fail (DIGITHEK_IS_CSV (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < self->n_columns; i++)
    {
      if (strcmp (self->header[i], name) == 0)
        return (int) i;
    }

  return -1;
}

char
digithek_csv_get_delimiter (DigithekCsv *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CSV (self), 0);

  return self->delimiter;
}

char
digithek_csv_get_decimal (DigithekCsv *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CSV (self), 0);

  return self->decimal;
}

DigithekCsvEncoding
digithek_csv_get_encoding (DigithekCsv *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CSV (self), DIGITHEK_CSV_ENCODING_AUTO);

  return self->encoding;
}

gboolean
digithek_csv_next_row (DigithekCsv  *self,
                       GError      **error)
{
  g_return_val_if_fail (DIGITHEK_IS_CSV (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->has_row = FALSE;

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }

  for (;;)
    {
      gboolean blank;
      int r = digithek_csv_read_record (self, &blank, &self->error);

      if (r < 0)
        {
          self->n_fields = 0;
          g_propagate_error (error, g_error_copy (self->error));
          return FALSE;
        }
      if (r == 0)
        {
          self->n_fields = 0;
          return FALSE;
        }
      /* Rows between the header and the data (units, long names) are skipped. */
      if (self->row_number < self->first_data_row || blank)
        continue;

      self->has_row = TRUE;
      return TRUE;
    }
}

guint
digithek_csv_get_n_fields (DigithekCsv *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CSV (self), 0);

  if (!self->has_row)
    return 0;

  return MAX (self->n_fields, self->n_columns);
}

const char *
digithek_csv_get_field (DigithekCsv *self,
                        guint        column)
{
  g_return_val_if_fail (DIGITHEK_IS_CSV (self), "");

  if (!self->has_row || column >= self->n_fields)
    return "";

  return self->row + self->fields[column];
}

guint64
digithek_csv_get_line (DigithekCsv *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CSV (self), 0);

  return self->row_line;
}

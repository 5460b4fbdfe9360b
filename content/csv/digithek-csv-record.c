/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Reading records: buffered bytes, quoting, line breaks and the size limits. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "digithek-csv-private.h"

/* A field this long is a forgotten quote far more often than real data. */
#define FIELD_MAX (1024 * 1024)
/* Bounds the memory one row may take, whatever the number of fields. */
#define ROW_MAX (8 * 1024 * 1024)

/* ---- reading ---- */

/* Moves what is left to the front of the buffer and reads until it is full or the
 * stream ends. */
gboolean
digithek_csv_fill (DigithekCsv  *self,
                       GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize want;
  gsize n = 0;

  if (self->buf_pos > 0)
    {
      memmove (self->buf, self->buf + self->buf_pos, self->buf_len - self->buf_pos);
      self->buf_len -= self->buf_pos;
      self->buf_pos = 0;
    }

  if (self->eof || self->buf_len == CHUNK_SIZE)
    return TRUE;

  want = CHUNK_SIZE - self->buf_len;
  if (!g_input_stream_read_all (self->stream, self->buf + self->buf_len, want, &n,
                                NULL, &local_error))
    {
      digithek_csv_set_error (error, DIGITHEK_CSV_ERROR_IO, self->line,
                              "could not read the file: %s", local_error->message);
      return FALSE;
    }

  /* read_all() only returns less than asked for at the end of the stream. */
  if (n < want)
    self->eof = TRUE;
  self->buf_len += n;

  return TRUE;
}

static void
csv_row_grow (DigithekCsv *self,
              gsize        extra)
{
  gsize wanted = self->row_len + extra + 1;

  if (wanted <= self->row_alloc)
    return;

  self->row_alloc = MAX (self->row_alloc * 2, wanted);
  self->row = g_realloc (self->row, self->row_alloc);
}

static inline void
csv_row_append (DigithekCsv  *self,
                const guint8 *data,
                gsize         len)
{
  if (G_UNLIKELY (self->row_len + len + 1 > self->row_alloc))
    csv_row_grow (self, len);
  memcpy (self->row + self->row_len, data, len);
  self->row_len += len;
}

static inline void
csv_row_append_byte (DigithekCsv *self,
                     char         c)
{
  if (G_UNLIKELY (self->row_len + 2 > self->row_alloc))
    csv_row_grow (self, 1);
  self->row[self->row_len++] = c;
}

/* Appends a byte from 0x80 to 0xFF: as it is for UTF-8 (checked when the field ends),
 * converted for the single-byte encodings. */
static inline void
csv_row_append_high (DigithekCsv *self,
                     guint8       c)
{
  const guint8 *utf8;

  if (self->encoding == DIGITHEK_CSV_ENCODING_UTF8)
    {
      csv_row_append_byte (self, (char) c);
      return;
    }

  utf8 = self->high_to_utf8[c - 0x80];
  csv_row_append (self, utf8 + 1, utf8[0]);
}

static gboolean
csv_check_size (DigithekCsv  *self,
                gsize         field_start,
                guint64       field_line,
                gboolean      quoted,
                GError      **error)
{
  if (G_UNLIKELY (self->row_len - field_start > FIELD_MAX))
    {
      digithek_csv_set_error (error, DIGITHEK_CSV_ERROR_SYNTAX, field_line,
                              quoted ? "a field is longer than 1 MiB (is a quote never closed?)"
                                     : "a field is longer than 1 MiB");
      return FALSE;
    }

  if (G_UNLIKELY (self->row_len > ROW_MAX))
    {
      digithek_csv_set_error (error, DIGITHEK_CSV_ERROR_SYNTAX, self->row_line,
                              "a row is longer than 8 MiB");
      return FALSE;
    }

  return TRUE;
}

static gboolean
csv_end_field (DigithekCsv  *self,
               gsize         field_start,
               guint64       field_line,
               gboolean      field_high,
               GError      **error)
{
  if (field_high && self->encoding == DIGITHEK_CSV_ENCODING_UTF8)
    {
      const char *bad = NULL;

      if (!g_utf8_validate_len (self->row + field_start, self->row_len - field_start, &bad))
        {
          guint64 line = field_line;

          /* A quoted field may span lines: name the one holding the bad byte. */
          for (const char *s = self->row + field_start; s < bad; s++)
            line += *s == '\n';

          digithek_csv_set_error (error, DIGITHEK_CSV_ERROR_ENCODING, line,
                                  "not valid UTF-8 (declare \"encoding\": \"ISO-8859-1\" "
                                  "in the csv settings)");
          return FALSE;
        }
    }

  csv_row_append_byte (self, '\0');

  if (G_UNLIKELY (self->n_fields == self->fields_alloc))
    {
      self->fields_alloc *= 2;
      self->fields = g_renew (guint, self->fields, self->fields_alloc);
    }
  self->fields[self->n_fields++] = (guint) field_start;

  return TRUE;
}

static void
csv_nul_error (DigithekCsv  *self,
               GError      **error)
{
  digithek_csv_set_error (error, DIGITHEK_CSV_ERROR_ENCODING, self->line,
                          "contains a NUL byte (is it UTF-16 or not a text file? "
                          "save it as UTF-8)");
}

/* Reads the next record into the row. Returns 1 for a record, 0 at the end of the file
 * and -1 on an error. @out_blank tells whether the record was an empty line. */
int
digithek_csv_read_record (DigithekCsv  *self,
                              gboolean     *out_blank,
                              GError      **error)
{
  ParseState state = STATE_FIELD_START;
  gsize field_start = 0;
  guint64 field_line = self->line;
  gboolean field_quoted = FALSE;
  gboolean field_high = FALSE;
  gboolean first_quoted = FALSE;

  self->row_len = 0;
  self->n_fields = 0;
  *out_blank = FALSE;

  if (self->buf_pos == self->buf_len && !digithek_csv_fill (self, error))
    return -1;

  if (self->cr_pending)
    {
      self->cr_pending = FALSE;
      if (self->buf_pos < self->buf_len && self->buf[self->buf_pos] == '\n')
        {
          self->buf_pos++;
          if (self->buf_pos == self->buf_len && !digithek_csv_fill (self, error))
            return -1;
        }
    }

  if (self->buf_pos == self->buf_len)
    return 0;

  self->row_line = self->line;

  for (;;)
    {
      const guint8 *p;
      const guint8 *end;
      const guint8 *run;

      if (self->buf_pos == self->buf_len)
        {
          if (!digithek_csv_fill (self, error))
            return -1;
          if (self->buf_len == 0)
            break;
        }

      p = self->buf + self->buf_pos;
      end = self->buf + self->buf_len;

      switch (state)
        {
        case STATE_FIELD_START:
          field_start = self->row_len;
          field_line = self->line;
          field_high = FALSE;
          field_quoted = *p == '"';
          if (field_quoted)
            {
              p++;
              state = STATE_QUOTED;
            }
          else
            {
              state = STATE_UNQUOTED;
            }
          break;

        case STATE_UNQUOTED:
          run = p;
          while (p < end && self->class_unquoted[*p] == BYTE_PLAIN)
            p++;
          csv_row_append (self, run, p - run);
          if (!csv_check_size (self, field_start, field_line, field_quoted, error))
            return -1;
          if (p == end)
            break;

          switch (self->class_unquoted[*p])
            {
            case BYTE_DELIMITER:
              p++;
              if (self->n_fields == 0)
                first_quoted = field_quoted;
              if (!csv_end_field (self, field_start, field_line, field_high, error))
                return -1;
              state = STATE_FIELD_START;
              break;

            case BYTE_CR:
            case BYTE_LF:
              if (*p == '\r')
                self->cr_pending = TRUE;
              p++;
              self->line++;
              self->buf_pos = p - self->buf;
              goto end_of_record;

            case BYTE_HIGH:
              field_high = TRUE;
              csv_row_append_high (self, *p);
              p++;
              break;

            case BYTE_NUL:
              csv_nul_error (self, error);
              return -1;

            case BYTE_PLAIN:
            case BYTE_QUOTE:
            default:
              g_assert_not_reached ();
            }
          break;

        case STATE_QUOTED:
          run = p;
          while (p < end && self->class_quoted[*p] == BYTE_PLAIN)
            p++;
          csv_row_append (self, run, p - run);
          if (!csv_check_size (self, field_start, field_line, field_quoted, error))
            return -1;
          if (p == end)
            break;

          switch (self->class_quoted[*p])
            {
            case BYTE_QUOTE:
              state = STATE_QUOTE_IN_QUOTED;
              break;

            case BYTE_LF:
              self->line++;
              csv_row_append_byte (self, '\n');
              break;

            case BYTE_HIGH:
              field_high = TRUE;
              csv_row_append_high (self, *p);
              break;

            case BYTE_NUL:
              csv_nul_error (self, error);
              return -1;

            case BYTE_PLAIN:
            case BYTE_DELIMITER:
            case BYTE_CR:
            default:
              g_assert_not_reached ();
            }
          p++;
          break;

        case STATE_QUOTE_IN_QUOTED:
          if (*p == '"')
            {
              /* A doubled quote stands for one quote. */
              csv_row_append_byte (self, '"');
              p++;
              state = STATE_QUOTED;
            }
          else
            {
              /* The field is closed. Whatever follows up to the delimiter is kept as it
               * is (`"a"b` reads `ab`), as spreadsheets do, rather than refusing it. */
              state = STATE_UNQUOTED;
            }
          break;

        default:
          g_assert_not_reached ();
        }

      self->buf_pos = p - self->buf;
    }

  /* The end of the file ends the record too. */
  switch (state)
    {
    case STATE_QUOTED:
      digithek_csv_set_error (error, DIGITHEK_CSV_ERROR_SYNTAX, field_line,
                              "quoted field is never closed");
      return -1;

    case STATE_FIELD_START:
      /* After a delimiter: the record ends with an empty field. */
      field_start = self->row_len;
      field_quoted = FALSE;
      field_high = FALSE;
      break;

    case STATE_UNQUOTED:
    case STATE_QUOTE_IN_QUOTED:
    default:
      break;
    }

end_of_record:
  if (self->n_fields == 0)
    first_quoted = field_quoted;
  if (!csv_end_field (self, field_start, field_line, field_high, error))
    return -1;

  self->row_number++;

  if (self->n_fields == 1 && !first_quoted)
    {
      const char *s = self->row;

      while (*s == ' ' || *s == '\t')
        s++;
      *out_blank = *s == '\0';
    }

  return 1;
}

/* Skips @n_rows records above the header without parsing them into fields: they may be
 * anything (the Open Bike Sensor puts URL-encoded metadata there). */
gboolean
digithek_csv_skip_rows (DigithekCsv  *self,
                            guint64       n_rows,
                            guint64       header_row,
                            GError      **error)
{
  gboolean in_quotes = FALSE;
  guint64 skipped = 0;

  while (skipped < n_rows)
    {
      guint8 c;

      if (self->buf_pos == self->buf_len)
        {
          if (!digithek_csv_fill (self, error))
            return FALSE;
          if (self->buf_len == 0)
            {
              digithek_csv_set_error (error, DIGITHEK_CSV_ERROR_NO_HEADER, self->line,
                                      "the file ends before the header row (row %" G_GUINT64_FORMAT ")",
                                      header_row);
              return FALSE;
            }
        }

      c = self->buf[self->buf_pos++];

      if (self->cr_pending)
        {
          self->cr_pending = FALSE;
          if (c == '\n')
            continue;
        }

      if (c == '"')
        {
          in_quotes = !in_quotes;
        }
      else if (c == '\n')
        {
          self->line++;
          if (!in_quotes)
            skipped++;
        }
      else if (c == '\r' && !in_quotes)
        {
          self->line++;
          self->cr_pending = TRUE;
          skipped++;
        }
    }

  self->row_number += skipped;

  return TRUE;
}

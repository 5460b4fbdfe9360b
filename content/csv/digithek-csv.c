/* SPDX-License-Identifier: GPL-3.0-or-later */

/* A streaming CSV reader for the files open-data portals publish: `;` or `,` or tab,
 * decimal commas, a BOM or ISO-8859-1 bytes, metadata lines above the header. It reads
 * the stream in chunks and keeps one row at a time, so memory use does not depend on the
 * size of the file. */

#include "digithek-csv.h"

#include <math.h>
#include <string.h>

/* The read buffer, and how much of the file (from the header row on) detection looks at. */
#define CHUNK_SIZE (64 * 1024)
/* A field this long is a forgotten quote far more often than real data. */
#define FIELD_MAX (1024 * 1024)
/* Bounds the memory one row may take, whatever the number of fields. */
#define ROW_MAX (8 * 1024 * 1024)
/* Longer cells are no number anybody typed; the bound keeps parsing on the stack. */
#define NUMBER_MAX 255

G_DEFINE_QUARK (digithek-csv-error-quark, digithek_csv_error)

/* What a byte means to the parser; one table per state, built for the delimiter. */
enum
{
  BYTE_PLAIN = 0,
  BYTE_DELIMITER,
  BYTE_QUOTE,
  BYTE_CR,
  BYTE_LF,
  BYTE_NUL,
  BYTE_HIGH,
};

typedef enum
{
  STATE_FIELD_START,
  STATE_UNQUOTED,
  STATE_QUOTED,
  STATE_QUOTE_IN_QUOTED,
} ParseState;

struct _DigithekCsv
{
  GObject parent_instance;

  /* owned */
  GInputStream *stream;
  guint8 *buf;
  gsize buf_len;
  gsize buf_pos;
  gboolean eof;
  /* The previous record ended with CR: a LF right after it belongs to the same break. */
  gboolean cr_pending;

  char delimiter;
  char decimal;
  DigithekCsvEncoding encoding;
  guint64 first_data_row;

  char **header;
  guint n_columns;

  /* The current row: fields one after another, each NUL-terminated, at fields[i]. */
  char *row;
  gsize row_len;
  gsize row_alloc;
  guint *fields;
  guint n_fields;
  guint fields_alloc;
  gboolean has_row;

  guint64 line;         /* 1-based line of the next unread byte */
  guint64 row_line;     /* line where the current row starts */
  guint64 row_number;   /* records consumed, blank ones and those above the header included */

  /* Once reading failed, every later call reports the same error. */
  GError *error;

  guint8 class_unquoted[256];
  guint8 class_quoted[256];
  /* UTF-8 for the bytes 0x80–0xFF of a single-byte encoding: length, then the bytes. */
  guint8 high_to_utf8[128][4];
};

G_DEFINE_FINAL_TYPE (DigithekCsv, digithek_csv, G_TYPE_OBJECT)

/* Windows-1252 differs from ISO-8859-1 in 0x80–0x9F only; 0 marks the five bytes it
 * leaves undefined, which decode as the C1 controls, as browsers do. */
static const gunichar cp1252_80_9f[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static void csv_set_error (GError         **error,
                           DigithekCsvError code,
                           guint64          line,
                           const char      *format,
                           ...) G_GNUC_PRINTF (4, 5);

static void
csv_set_error (GError         **error,
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

/* ---- reading ---- */

/* Moves what is left to the front of the buffer and reads until it is full or the
 * stream ends. */
static gboolean
csv_fill (DigithekCsv  *self,
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
      csv_set_error (error, DIGITHEK_CSV_ERROR_IO, self->line,
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
      csv_set_error (error, DIGITHEK_CSV_ERROR_SYNTAX, field_line,
                     quoted ? "a field is longer than 1 MiB (is a quote never closed?)"
                            : "a field is longer than 1 MiB");
      return FALSE;
    }

  if (G_UNLIKELY (self->row_len > ROW_MAX))
    {
      csv_set_error (error, DIGITHEK_CSV_ERROR_SYNTAX, self->row_line,
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

          csv_set_error (error, DIGITHEK_CSV_ERROR_ENCODING, line,
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
  csv_set_error (error, DIGITHEK_CSV_ERROR_ENCODING, self->line,
                 "contains a NUL byte (is it UTF-16 or not a text file? "
                 "save it as UTF-8)");
}

/* Reads the next record into the row. Returns 1 for a record, 0 at the end of the file
 * and -1 on an error. @out_blank tells whether the record was an empty line. */
static int
csv_read_record (DigithekCsv  *self,
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

  if (self->buf_pos == self->buf_len && !csv_fill (self, error))
    return -1;

  if (self->cr_pending)
    {
      self->cr_pending = FALSE;
      if (self->buf_pos < self->buf_len && self->buf[self->buf_pos] == '\n')
        {
          self->buf_pos++;
          if (self->buf_pos == self->buf_len && !csv_fill (self, error))
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
          if (!csv_fill (self, error))
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
      csv_set_error (error, DIGITHEK_CSV_ERROR_SYNTAX, field_line,
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
static gboolean
csv_skip_rows (DigithekCsv  *self,
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
          if (!csv_fill (self, error))
            return FALSE;
          if (self->buf_len == 0)
            {
              csv_set_error (error, DIGITHEK_CSV_ERROR_NO_HEADER, self->line,
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

/* ---- detection ---- */

/* Walks the cells of the detection sample for one candidate delimiter. The sample may
 * end in the middle of a record; that record is not reported. */
typedef struct
{
  const guint8 *s;
  gsize len;
  gsize pos;
  gboolean complete;   /* the sample is the whole rest of the file */
  gboolean in_record;  /* the last cell ended with a delimiter */
  guint8 delimiter;
} SampleScanner;

static gboolean
sample_next_cell (SampleScanner  *sc,
                  const guint8  **out_cell,
                  gsize          *out_len,
                  gboolean       *out_quoted,
                  gboolean       *out_end_of_record)
{
  const guint8 *s = sc->s;
  gsize pos = sc->pos;
  gsize start;
  gsize cell_end;

  if (pos >= sc->len)
    {
      if (sc->complete && sc->in_record)
        {
          sc->in_record = FALSE;
          *out_cell = s + pos;
          *out_len = 0;
          *out_quoted = FALSE;
          *out_end_of_record = TRUE;
          return TRUE;
        }
      return FALSE;
    }

  *out_quoted = s[pos] == '"';
  if (*out_quoted)
    {
      start = ++pos;
      for (;;)
        {
          if (pos >= sc->len)
            return FALSE;
          if (s[pos] == '"')
            {
              if (pos + 1 < sc->len && s[pos + 1] == '"')
                pos += 2;
              else
                break;
            }
          else
            {
              pos++;
            }
        }
      cell_end = pos++;
      while (pos < sc->len && s[pos] != sc->delimiter && s[pos] != '\r' && s[pos] != '\n')
        pos++;
    }
  else
    {
      start = pos;
      while (pos < sc->len && s[pos] != sc->delimiter && s[pos] != '\r' && s[pos] != '\n')
        pos++;
      cell_end = pos;
    }

  if (pos >= sc->len)
    {
      if (!sc->complete)
        return FALSE;
      sc->in_record = FALSE;
      *out_end_of_record = TRUE;
    }
  else if (s[pos] == sc->delimiter)
    {
      pos++;
      sc->in_record = TRUE;
      *out_end_of_record = FALSE;
    }
  else
    {
      if (s[pos] == '\r' && pos + 1 < sc->len && s[pos + 1] == '\n')
        pos++;
      pos++;
      sc->in_record = FALSE;
      *out_end_of_record = TRUE;
    }

  *out_cell = s + start;
  *out_len = cell_end - start;
  sc->pos = pos;

  return TRUE;
}

static gboolean
is_blank_cell (const guint8 *cell,
               gsize         len,
               gboolean      quoted)
{
  if (quoted)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (cell[i] != ' ' && cell[i] != '\t')
        return FALSE;
    }
  return TRUE;
}

/* Counts, for @delimiter, the delimiters in the header record and how many of the
 * following records have as many. */
static void
count_delimiters (const guint8 *sample,
                  gsize         len,
                  gboolean      complete,
                  guint8        delimiter,
                  guint        *out_header_count,
                  guint        *out_records,
                  guint        *out_consistent)
{
  SampleScanner sc = { sample, len, 0, complete, FALSE, delimiter };
  const guint8 *cell;
  gsize cell_len;
  gboolean quoted;
  gboolean end_of_record;
  gboolean have_header = FALSE;
  guint count = 0;
  guint cells = 0;

  *out_header_count = 0;
  *out_records = 0;
  *out_consistent = 0;

  while (sample_next_cell (&sc, &cell, &cell_len, &quoted, &end_of_record))
    {
      cells++;
      if (!end_of_record)
        {
          count++;
          continue;
        }

      if (!(cells == 1 && is_blank_cell (cell, cell_len, quoted)))
        {
          if (!have_header)
            {
              have_header = TRUE;
              *out_header_count = count;
            }
          else
            {
              (*out_records)++;
              if (count == *out_header_count)
                (*out_consistent)++;
            }
        }

      count = 0;
      cells = 0;
    }
}

static char
detect_delimiter (const guint8 *sample,
                  gsize         len,
                  gboolean      complete)
{
  /* On a tie the rarer character in running text wins. */
  static const guint8 candidates[] = { '\t', ';', ',' };
  char best = ',';
  guint best_header = 0;
  guint best_records = 1;
  guint best_consistent = 0;

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      guint header_count;
      guint records;
      guint consistent;
      guint64 score;
      guint64 best_score;

      count_delimiters (sample, len, complete, candidates[i],
                        &header_count, &records, &consistent);
      if (header_count == 0)
        continue;

      /* A header alone is perfectly consistent. */
      if (records == 0)
        records = consistent = 1;

      /* Compares consistent / records as fractions, then the count itself. */
      score = (guint64) consistent * best_records;
      best_score = (guint64) best_consistent * records;
      if (best_header == 0 || score > best_score ||
          (score == best_score && header_count > best_header))
        {
          best = (char) candidates[i];
          best_header = header_count;
          best_records = records;
          best_consistent = consistent;
        }
    }

  return best;
}

/* Votes for a decimal mark when @cell looks like a number written with one: `12,5`
 * votes ',' and `12.5` '.', `1.234,5` ','; `1.234` and `1,234` could be either. */
static char
classify_decimal (const guint8 *cell,
                  gsize         len)
{
  gsize i = 0;
  gsize n_dots = 0;
  gsize n_commas = 0;
  gsize last_sep = 0;
  char last = 0;

  while (len > 0 && (cell[len - 1] == ' ' || cell[len - 1] == '\t'))
    len--;
  while (i < len && (cell[i] == ' ' || cell[i] == '\t'))
    i++;
  if (i < len && (cell[i] == '-' || cell[i] == '+'))
    i++;
  if (i >= len || !g_ascii_isdigit (cell[i]) || !g_ascii_isdigit (cell[len - 1]))
    return 0;

  for (; i < len; i++)
    {
      if (g_ascii_isdigit (cell[i]))
        continue;
      if (cell[i] == '.')
        n_dots++;
      else if (cell[i] == ',')
        n_commas++;
      else
        return 0;
      /* Two separators in a row make no number. */
      if (last_sep == i - 1 && last != 0)
        return 0;
      last = (char) cell[i];
      last_sep = i;
    }

  if (last == 0)
    return 0;
  if (n_dots > 0 && n_commas > 0)
    {
      /* The decimal mark comes last and once. */
      if ((last == '.' && n_dots == 1) || (last == ',' && n_commas == 1))
        return last;
      return 0;
    }
  if (n_dots + n_commas > 1)
    return 0;
  /* One separator and three digits after it may be a thousands separator. */
  if (len - last_sep - 1 == 3)
    return 0;
  return last;
}

static char
detect_decimal (const guint8 *sample,
                gsize         len,
                gboolean      complete,
                char          delimiter)
{
  SampleScanner sc = { sample, len, 0, complete, FALSE, (guint8) delimiter };
  const guint8 *cell;
  gsize cell_len;
  gboolean quoted;
  gboolean end_of_record;
  gboolean in_header = TRUE;
  gboolean first_cell = TRUE;
  guint dots = 0;
  guint commas = 0;

  if (delimiter == ',')
    return '.';

  while (sample_next_cell (&sc, &cell, &cell_len, &quoted, &end_of_record))
    {
      gboolean blank_line = first_cell && end_of_record && is_blank_cell (cell, cell_len, quoted);

      first_cell = end_of_record;
      if (in_header)
        {
          /* The header holds names, not numbers. */
          if (end_of_record && !blank_line)
            in_header = FALSE;
          continue;
        }

      switch (classify_decimal (cell, cell_len))
        {
        case '.':
          dots++;
          break;
        case ',':
          commas++;
          break;
        default:
          break;
        }
    }

  return commas > dots ? ',' : '.';
}

/* Whether @sample is UTF-8, allowing a sequence cut off by the end of the sample. */
static gboolean
sample_is_utf8 (const guint8 *sample,
                gsize         len,
                gboolean      complete)
{
  const char *end = NULL;
  gsize rest;
  gsize need;

  if (g_utf8_validate_len ((const char *) sample, len, &end))
    return TRUE;
  if (complete)
    return FALSE;

  rest = (const guint8 *) end - sample;
  rest = len - rest;
  if ((guint8) end[0] >= 0xC2 && (guint8) end[0] <= 0xDF)
    need = 2;
  else if ((guint8) end[0] >= 0xE0 && (guint8) end[0] <= 0xEF)
    need = 3;
  else if ((guint8) end[0] >= 0xF0 && (guint8) end[0] <= 0xF4)
    need = 4;
  else
    return FALSE;
  if (rest >= need)
    return FALSE;
  for (gsize i = 1; i < rest; i++)
    {
      if (((guint8) end[i] & 0xC0) != 0x80)
        return FALSE;
    }
  return TRUE;
}

static DigithekCsvEncoding
detect_encoding (const guint8 *sample,
                 gsize         len,
                 gboolean      complete)
{
  if (sample_is_utf8 (sample, len, complete))
    return DIGITHEK_CSV_ENCODING_UTF8;

  /* ISO-8859-1 has only control characters there, which no text file holds, so bytes
   * Windows-1252 defines in that range tell it apart. */
  for (gsize i = 0; i < len; i++)
    {
      if (sample[i] >= 0x80 && sample[i] <= 0x9F && cp1252_80_9f[sample[i] - 0x80] != 0)
        return DIGITHEK_CSV_ENCODING_WINDOWS_1252;
    }

  return DIGITHEK_CSV_ENCODING_ISO_8859_1;
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
          cp1252_80_9f[c - 0x80] != 0)
        u = cp1252_80_9f[c - 0x80];
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

  if (!csv_fill (self, error))
    return FALSE;

  /* A BOM says UTF-8; it is dropped even when the settings say otherwise, because it
   * would otherwise stick to the first column's name. */
  if (self->buf_len >= 3 && memcmp (self->buf, "\xEF\xBB\xBF", 3) == 0)
    {
      self->buf_pos = 3;
      had_bom = TRUE;
    }

  if (!csv_skip_rows (self, header_row - 1, header_row, error) || !csv_fill (self, error))
    return FALSE;
  if (self->cr_pending && self->buf_len > 0 && self->buf[0] == '\n')
    {
      self->cr_pending = FALSE;
      self->buf_pos = 1;
      if (!csv_fill (self, error))
        return FALSE;
    }

  /* The buffer now starts at the header row and holds up to 64 KiB: the sample. */
  self->delimiter = options->delimiter;
  if (self->delimiter == 0)
    self->delimiter = detect_delimiter (self->buf, self->buf_len, self->eof);

  self->encoding = options->encoding;
  if (self->encoding == DIGITHEK_CSV_ENCODING_AUTO)
    self->encoding = had_bom ? DIGITHEK_CSV_ENCODING_UTF8
                             : detect_encoding (self->buf, self->buf_len, self->eof);

  self->decimal = options->decimal;
  if (self->decimal == 0)
    self->decimal = detect_decimal (self->buf, self->buf_len, self->eof, self->delimiter);

  csv_build_tables (self);

  /* The header: the configured row, or the first line with something on it after it. */
  for (;;)
    {
      gboolean blank;
      int r = csv_read_record (self, &blank, error);

      if (r < 0)
        return FALSE;
      if (r == 0)
        {
          csv_set_error (error, DIGITHEK_CSV_ERROR_NO_HEADER, self->line,
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
      int r = csv_read_record (self, &blank, &self->error);

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

/* ---- cell values ---- */

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Finds the cell without its surrounding white space, as [*out_start, *out_end). */
static inline void
trim (const char  *cell,
      const char **out_start,
      const char **out_end)
{
  const char *start = cell;
  const char *end;

  while (is_space (*start))
    start++;
  end = start + strlen (start);
  while (end > start && is_space (end[-1]))
    end--;

  *out_start = start;
  *out_end = end;
}

gboolean
digithek_csv_is_missing (const char *cell)
{
  static const char * const markers[] = { "null", "nan", "n/a", "na", "-", "\xE2\x80\x93" };
  const char *start;
  const char *end;
  gsize len;

  if (cell == NULL)
    return TRUE;

  trim (cell, &start, &end);
  len = end - start;
  if (len == 0)
    return TRUE;
  if (len > 4)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    {
      if (strlen (markers[i]) == len && g_ascii_strncasecmp (start, markers[i], len) == 0)
        return TRUE;
    }

  return FALSE;
}

gboolean
digithek_csv_parse_number (const char *cell,
                           char        decimal,
                           double     *out_value)
{
  /* Exact powers of ten: a mantissa below 2^53 divided by one of them is correctly
   * rounded, so the common cells need no strtod (Clinger's fast path). */
  static const double powers[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  };
  char normal[NUMBER_MAX + 1];
  gsize n = 0;
  const char *p;
  const char *end;
  char thousands;
  guint64 mantissa = 0;
  int significant = 0;
  int exp10 = 0;
  int digits = 0;
  guint group = 0;
  gboolean negative = FALSE;
  gboolean grouped = FALSE;
  gboolean exact = TRUE;
  double value;

  g_return_val_if_fail (cell != NULL, FALSE);
  g_return_val_if_fail (out_value != NULL, FALSE);

  if (decimal != '.' && decimal != ',')
    return FALSE;
  thousands = decimal == '.' ? ',' : '.';

  trim (cell, &p, &end);
  if (end - p > NUMBER_MAX)
    return FALSE;

  if (p < end && (*p == '+' || *p == '-'))
    {
      negative = *p == '-';
      normal[n++] = *p++;
    }

  /* The integer part, with thousands separators only between groups of three. */
  for (; p < end; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          normal[n++] = *p;
          group++;
          digits++;
          if (significant < 15)
            {
              mantissa = mantissa * 10 + (guint) (*p - '0');
              if (mantissa != 0)
                significant++;
            }
          else
            {
              exact = FALSE;
            }
        }
      else if (*p == thousands)
        {
          if (group == 0 || group > 3 || (grouped && group != 3))
            return FALSE;
          grouped = TRUE;
          group = 0;
        }
      else
        {
          break;
        }
    }
  if (grouped && group != 3)
    return FALSE;

  if (p < end && *p == decimal)
    {
      normal[n++] = '.';
      for (p++; p < end && g_ascii_isdigit (*p); p++)
        {
          normal[n++] = *p;
          digits++;
          if (significant < 15)
            {
              mantissa = mantissa * 10 + (guint) (*p - '0');
              if (mantissa != 0)
                significant++;
              exp10--;
            }
          else
            {
              exact = FALSE;
            }
        }
    }

  if (digits == 0)
    return FALSE;

  if (p < end && (*p == 'e' || *p == 'E') && decimal == '.')
    {
      exact = FALSE;
      normal[n++] = 'e';
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        normal[n++] = *p++;
      if (p == end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < end && g_ascii_isdigit (*p))
        normal[n++] = *p++;
    }

  if (p != end)
    return FALSE;

  if (exact && exp10 >= -22)
    {
      value = (double) mantissa / powers[-exp10];
      if (negative)
        value = -value;
    }
  else
    {
      char *parsed_end = NULL;

      normal[n] = '\0';
      value = g_ascii_strtod (normal, &parsed_end);
      if (parsed_end != normal + n)
        return FALSE;
    }

  if (!isfinite (value))
    return FALSE;

  *out_value = value;
  return TRUE;
}

gboolean
digithek_csv_parse_year (const char *cell,
                         int        *out_year)
{
  const char *p;
  const char *end;
  int year = 0;

  g_return_val_if_fail (cell != NULL, FALSE);
  g_return_val_if_fail (out_year != NULL, FALSE);

  trim (cell, &p, &end);
  if (end - p < 4)
    return FALSE;

  for (int i = 0; i < 4; i++, p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      year = year * 10 + (*p - '0');
    }

  /* Spreadsheets and pandas write years as `2024.0`. */
  if (p < end && (*p == '.' || *p == ','))
    {
      p++;
      if (p == end)
        return FALSE;
      while (p < end && *p == '0')
        p++;
    }

  if (p != end || year < 1000 || year > 2999)
    return FALSE;

  *out_year = year;
  return TRUE;
}

/* Reads @min to @max digits. */
static inline gboolean
parse_digits (const char **pp,
              const char  *end,
              int          min,
              int          max,
              int         *out_value)
{
  const char *p = *pp;
  int value = 0;
  int n = 0;

  while (p < end && n < max && g_ascii_isdigit (*p))
    {
      value = value * 10 + (*p - '0');
      p++;
      n++;
    }

  if (n < min)
    return FALSE;

  *pp = p;
  *out_value = value;
  return TRUE;
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's
 * days_from_civil). */
static gint64
days_from_civil (gint64 year,
                 int    month,
                 int    day)
{
  gint64 era;
  gint64 year_of_era;
  gint64 day_of_year;
  gint64 day_of_era;

  year -= month <= 2;
  era = (year >= 0 ? year : year - 399) / 400;
  year_of_era = year - era * 400;
  day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;

  return era * 146097 + day_of_era - 719468;
}

static int
days_in_month (int year,
               int month)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (month == 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
    return 29;
  return days[month - 1];
}

static GTimeZone *
get_berlin (void)
{
  static GTimeZone *berlin = NULL;

  if (g_once_init_enter (&berlin))
    {
      GTimeZone *tz = g_time_zone_new_identifier ("Europe/Berlin");

      if (tz == NULL)
        {
          g_debug ("No time zone data for Europe/Berlin; reading local times as UTC");
          tz = g_time_zone_new_utc ();
        }
      g_once_init_leave (&berlin, tz);
    }

  return berlin;
}

/* Seconds that wall-clock time @local in @tz is ahead of UTC. A time that occurs twice
 * (the hour the clocks go back) is read as the first; a time that does not exist (the
 * hour they skip) is read with the offset before the change, as a clock that missed it
 * would show. */
static gint64
zone_offset_for_local (GTimeZone *tz,
                       gint64     local)
{
  gint64 adjusted = local;
  int interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_DAYLIGHT, &adjusted);

  if (adjusted != local && interval > 0)
    return g_time_zone_get_offset (tz, interval - 1);

  return g_time_zone_get_offset (tz, interval);
}

#define OFFSET_CACHE_SIZE 256

typedef struct
{
  gint64 hour[OFFSET_CACHE_SIZE];
  gint32 offset[OFFSET_CACHE_SIZE];
} OffsetCache;

static OffsetCache *
offset_cache_new (void)
{
  OffsetCache *cache = g_new (OffsetCache, 1);

  for (guint i = 0; i < OFFSET_CACHE_SIZE; i++)
    cache->hour[i] = G_MININT64;

  return cache;
}

/* GTimeZone looks intervals up linearly; rows of a time series share a few hours, so a
 * small per-thread cache keyed by the local hour saves nearly all lookups. Only hours
 * with one offset throughout are cached. */
static GPrivate offset_cache_key = G_PRIVATE_INIT (g_free);

static gint64
berlin_to_unix (gint64 local)
{
  GTimeZone *tz = get_berlin ();
  OffsetCache *cache = g_private_get (&offset_cache_key);
  gint64 hour = local >= 0 ? local / 3600 : (local - 3599) / 3600;
  guint slot = (guint) (hour & (OFFSET_CACHE_SIZE - 1));
  gint64 offset;

  if (G_UNLIKELY (cache == NULL))
    {
      cache = offset_cache_new ();
      g_private_set (&offset_cache_key, cache);
    }

  if (cache->hour[slot] == hour)
    return local - cache->offset[slot];

  offset = zone_offset_for_local (tz, hour * 3600);
  if (offset == zone_offset_for_local (tz, hour * 3600 + 3599))
    {
      cache->hour[slot] = hour;
      cache->offset[slot] = (gint32) offset;
    }
  else
    {
      offset = zone_offset_for_local (tz, local);
    }

  return local - offset;
}

gboolean
digithek_csv_parse_time (const char *cell,
                         gint64     *out_unix)
{
  const char *p;
  const char *end;
  int year;
  int month;
  int day;
  int hour = 0;
  int minute = 0;
  int second = 0;
  gboolean iso;
  gboolean has_zone = FALSE;
  int zone_offset = 0;
  gint64 local;

  g_return_val_if_fail (cell != NULL, FALSE);
  g_return_val_if_fail (out_unix != NULL, FALSE);

  trim (cell, &p, &end);

  /* The date: 2026-11-27 or 27.11.2026 (also 7.1.2026). */
  iso = end - p >= 5 && g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) &&
        g_ascii_isdigit (p[2]) && g_ascii_isdigit (p[3]) && p[4] == '-';
  if (iso)
    {
      if (!parse_digits (&p, end, 4, 4, &year) || p == end || *p++ != '-' ||
          !parse_digits (&p, end, 2, 2, &month) || p == end || *p++ != '-' ||
          !parse_digits (&p, end, 2, 2, &day))
        return FALSE;
    }
  else
    {
      if (!parse_digits (&p, end, 1, 2, &day) || p == end || *p++ != '.' ||
          !parse_digits (&p, end, 1, 2, &month) || p == end || *p++ != '.' ||
          !parse_digits (&p, end, 4, 4, &year))
        return FALSE;
    }

  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month (year, month))
    return FALSE;

  /* The time: T14:05, 14:05:30, 14:05:30.123, then Z or an offset. */
  if (p < end)
    {
      if (iso && (*p == 'T' || *p == 't'))
        p++;
      else if (*p == ' ')
        while (p < end && *p == ' ')
          p++;
      else
        return FALSE;

      if (!parse_digits (&p, end, iso ? 2 : 1, 2, &hour) || p == end || *p++ != ':' ||
          !parse_digits (&p, end, 2, 2, &minute))
        return FALSE;

      if (p < end && *p == ':')
        {
          p++;
          if (!parse_digits (&p, end, 2, 2, &second))
            return FALSE;
          if (p < end && (*p == '.' || *p == ','))
            {
              p++;
              if (p == end || !g_ascii_isdigit (*p))
                return FALSE;
              /* Fractions of a second are dropped: the result counts whole seconds. */
              while (p < end && g_ascii_isdigit (*p))
                p++;
            }
        }

      /* 24:00 is not accepted: open data writes midnight as 00:00 of the next day, and
       * one spelling per instant keeps x values unique. */
      if (hour > 23 || minute > 59 || second > 59)
        return FALSE;

      if (p < end && (*p == 'Z' || *p == 'z'))
        {
          p++;
          has_zone = TRUE;
        }
      else if (p < end && (*p == '+' || *p == '-'))
        {
          int sign = *p++ == '-' ? -1 : 1;
          int zone_hours;
          int zone_minutes = 0;

          if (!parse_digits (&p, end, 2, 2, &zone_hours))
            return FALSE;
          if (p < end && *p == ':')
            {
              p++;
              if (!parse_digits (&p, end, 2, 2, &zone_minutes))
                return FALSE;
            }
          else if (p < end)
            {
              if (!parse_digits (&p, end, 2, 2, &zone_minutes))
                return FALSE;
            }
          if (zone_hours > 18 || zone_minutes > 59)
            return FALSE;
          has_zone = TRUE;
          zone_offset = sign * (zone_hours * 3600 + zone_minutes * 60);
        }
    }

  if (p != end)
    return FALSE;

  local = days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  *out_unix = has_zone ? local - zone_offset : berlin_to_unix (local);

  return TRUE;
}

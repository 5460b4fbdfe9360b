/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Detection from a sample of the file: the delimiter, the decimal mark and the
 * encoding. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "digithek-csv-private.h"

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

char
digithek_csv_detect_delimiter (const guint8 *sample,
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

char
digithek_csv_detect_decimal (const guint8 *sample,
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

DigithekCsvEncoding
digithek_csv_detect_encoding (const guint8 *sample,
                              gsize         len,
                              gboolean      complete)
{
  if (sample_is_utf8 (sample, len, complete))
    return DIGITHEK_CSV_ENCODING_UTF8;

  /* ISO-8859-1 has only control characters there, which no text file holds, so bytes
   * Windows-1252 defines in that range tell it apart. */
  for (gsize i = 0; i < len; i++)
    {
      if (sample[i] >= 0x80 && sample[i] <= 0x9F && digithek_csv_cp1252_80_9f[sample[i] - 0x80] != 0)
        return DIGITHEK_CSV_ENCODING_WINDOWS_1252;
    }

  return DIGITHEK_CSV_ENCODING_ISO_8859_1;
}

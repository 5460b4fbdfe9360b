/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to csv/: the reader's state, shared by digithek-csv.c (the object, opening,
 * rows), digithek-csv-record.c (bytes into records), digithek-csv-detect.c (delimiter,
 * decimal mark and encoding from a sample) and digithek-csv-values.c (cells as numbers,
 * years and times). */

#include "digithek-csv.h"

G_BEGIN_DECLS

/* The read buffer, and how much of the file (from the header row on) detection looks at. */
#define CHUNK_SIZE (64 * 1024)
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
/* Windows-1252 differs from ISO-8859-1 in 0x80–0x9F only; 0 marks the five bytes it
 * leaves undefined, which decode as the C1 controls, as browsers do. */
/* Windows-1252 0x80–0x9F as Unicode; 0 where it has no character. */
extern const gunichar digithek_csv_cp1252_80_9f[32];
void digithek_csv_set_error (GError         **error,
                             DigithekCsvError code,
                             guint64          line,
                             const char      *format,
                             ...) G_GNUC_PRINTF (4, 5);

/* ---- reading ---- */

/* Moves what is left to the front of the buffer and reads until it is full or the
 * stream ends. */
gboolean digithek_csv_fill (DigithekCsv  *self,
                            GError      **error);

/* Reads the next record into the row. Returns 1 for a record, 0 at the end of the file
 * and -1 on an error. @out_blank tells whether the record was an empty line. */
int digithek_csv_read_record (DigithekCsv  *self,
                              gboolean     *out_blank,
                              GError      **error);

/* Skips @n_rows records above the header without parsing them into fields: they may be
 * anything (the Open Bike Sensor puts URL-encoded metadata there). */
gboolean digithek_csv_skip_rows (DigithekCsv  *self,
                                 guint64       n_rows,
                                 guint64       header_row,
                                 GError      **error);

char digithek_csv_detect_delimiter (const guint8 *sample,
                                    gsize         len,
                                    gboolean      complete);

char digithek_csv_detect_decimal (const guint8 *sample,
                                  gsize         len,
                                  gboolean      complete,
                                  char          delimiter);

DigithekCsvEncoding digithek_csv_detect_encoding (const guint8 *sample,
                                                  gsize         len,
                                                  gboolean      complete);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Numbers, dates and times as a citizen reads them, per content language, never
 * through the process locale (a kiosk runs under one locale and shows two languages).
 * Tables exist for German ("de", also "de-x-easy", "de_DE"…) and English; any other
 * language falls back to English. Times are wall-clock times in Europe/Berlin.
 *
 * Every function returns a newly allocated UTF-8 string.
 */

/* "de" or "en": the table used for @language (%NULL means "en"). */
const char *digithek_format_table_language (const char *language);

/**
 * digithek_format_number:
 * @language: (nullable): a language code
 * @value: the number; NAN gives "–"
 * @decimals: digits after the decimal mark (0 to 9)
 *
 * `1.234,5` (de), `1,234.5` (en); negatives with a real minus sign (U+2212), e.g.
 * `−3,5`; a value that rounds to zero never shows a sign.
 */
char *digithek_format_number       (const char *language,
                                    double      value,
                                    int         decimals);
/* As digithek_format_number() with as many decimals as three significant digits need
 * (at most 2, trailing zeros dropped): 1234 → `1.234`, 19.57 → `19,6`, 0.125 → `0,13`. */
char *digithek_format_number_auto  (const char *language,
                                    double      value);
/* The decimals that tick labels @step apart need: 0.25 → 2, 5 → 0. */
int   digithek_format_decimals_for_step (double step);

/* `27.11.` / `Nov 27`, with the year `27.11.2026` / `Nov 27, 2026`. */
char *digithek_format_date         (const char *language,
                                    gint64      unix_time,
                                    gboolean    with_year);
/* `14:05` in both languages. */
char *digithek_format_time         (const char *language,
                                    gint64      unix_time);
/* `27.11.2026, 14:05` / `Nov 27, 2026, 14:05`. */
char *digithek_format_date_time    (const char *language,
                                    gint64      unix_time);
/* `Nov. 2026` / `Nov 2026`; without the year `Nov.` / `Nov`. */
char *digithek_format_month        (const char *language,
                                    gint64      unix_time,
                                    gboolean    with_year);
/* `2026`: years never get a thousands separator. */
char *digithek_format_year         (const char *language,
                                    int         year);
/* Freshness of a dataset from its last time value: `Stand: 27.11.2026` /
 * `as of Nov 27, 2026`. */
char *digithek_format_freshness    (const char *language,
                                    gint64      unix_time);

/* The Europe/Berlin zone (with a built-in CET/CEST rule when tzdata is missing). Owned
 * by the module; do not unref. */
GTimeZone *digithek_format_get_time_zone (void);

G_END_DECLS

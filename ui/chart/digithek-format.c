/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include "digithek-format.h"

#define MINUS_SIGN "\u2212"
#define MISSING "\u2013"

typedef struct
{
  const char *language;
  const char *decimal_mark;
  const char *group_mark;
  const char *months[12];       /* abbreviated, as written before a year or alone */
  const char *freshness_prefix;
} Table;

static const Table tables[] = {
  {
    "de", ",", ".",
    /* Abbreviations after Duden; short months are written out. */
    { "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni",
      "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez." },
    "Stand: ",
  },
  {
    "en", ".", ",",
    { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" },
    "as of ",
  },
};

static const Table *
get_table (const char *language)
{
  /* "de", "de-x-easy", "de_DE.UTF-8", "DE" all mean German. */
  if (language != NULL && g_ascii_strncasecmp (language, "de", 2) == 0 &&
      (language[2] == '\0' || language[2] == '-' || language[2] == '_'))
    return &tables[0];

  return &tables[1];
}

const char *
digithek_format_table_language (const char *language)
{
  return get_table (language)->language;
}

GTimeZone *
digithek_format_get_time_zone (void)
{
  static GTimeZone *zone = NULL;

  if (g_once_init_enter (&zone))
    {
      GTimeZone *tz = g_time_zone_new_identifier ("Europe/Berlin");

      /* The POSIX rule Germany has followed since 1996, for systems without tzdata. */
      if (tz == NULL)
        tz = g_time_zone_new_identifier ("CET-1CEST,M3.5.0,M10.5.0/3");
      if (tz == NULL)
        tz = g_time_zone_new_utc ();
      g_once_init_leave (&zone, tz);
    }

  return zone;
}

static void
append_grouped (GString    *out,
                guint64     integer,
                const char *group_mark)
{
  char digits[32];
  int n = 0;

  do
    {
      digits[n++] = (char) ('0' + integer % 10);
      integer /= 10;
    }
  while (integer > 0);

  for (int i = n - 1; i >= 0; i--)
    {
      g_string_append_c (out, digits[i]);
      if (i > 0 && i % 3 == 0)
        g_string_append (out, group_mark);
    }
}

char *
digithek_format_number (const char *language,
                        double      value,
                        int         decimals)
{
  const Table *table = get_table (language);
  GString *out;
  double scale, scaled;
  guint64 units, integer, fraction;

  if (!isfinite (value))
    return g_strdup (MISSING);

  decimals = CLAMP (decimals, 0, 9);
  scale = pow (10, decimals);
  scaled = round (fabs (value) * scale);

  /* Beyond 2^53 integer arithmetic is no longer exact: say it in scientific notation,
   * with the decimal mark of the language. */
  if (scaled >= 9007199254740992.0)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *text = NULL;

      g_ascii_formatd (buf, sizeof buf, "%.3e", fabs (value));
      text = g_strdup (buf);
      g_strdelimit (text, ".", table->decimal_mark[0]);
      return g_strconcat (value < 0 ? MINUS_SIGN : "", text, NULL);
    }

  units = (guint64) scaled;
  integer = units / (guint64) scale;
  fraction = units % (guint64) scale;

  out = g_string_new (NULL);
  if (value < 0 && units > 0)
    g_string_append (out, MINUS_SIGN);
  append_grouped (out, integer, table->group_mark);
  if (decimals > 0)
    {
      g_string_append (out, table->decimal_mark);
      g_string_append_printf (out, "%0*" G_GUINT64_FORMAT, decimals, fraction);
    }

  return g_string_free (out, FALSE);
}

int
digithek_format_decimals_for_step (double step)
{
  int decimals;

  if (!(step > 0) || !isfinite (step))
    return 0;

  /* The small tolerance keeps 0.1 (stored as 0.1000000000000000055…) at one decimal. */
  decimals = (int) ceil (-log10 (step) - 1e-9);
  /* A step such as 2.5 needs one more digit than its magnitude says. */
  while (decimals < 9 && fabs (step * pow (10, decimals) - round (step * pow (10, decimals))) > 1e-6)
    decimals++;

  return CLAMP (decimals, 0, 9);
}

char *
digithek_format_number_auto (const char *language,
                             double      value)
{
  double magnitude = fabs (value);
  int decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  char *text = digithek_format_number (language, value, decimals);
  const char *mark = get_table (language)->decimal_mark;

  /* Drop trailing zeros: 20,0 → 20. */
  if (decimals > 0 && strstr (text, mark) != NULL)
    {
      gsize len = strlen (text);

      while (len > 0 && text[len - 1] == '0')
        text[--len] = '\0';
      if (len > 0 && text[len - 1] == mark[0])
        text[--len] = '\0';
    }

  return text;
}

static GDateTime *
local_time (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);

  if (utc == NULL)
    return NULL;

  return g_date_time_to_timezone (utc, digithek_format_get_time_zone ());
}

char *
digithek_format_date (const char *language,
                      gint64      unix_time,
                      gboolean    with_year)
{
  const Table *table = get_table (language);
  g_autoptr(GDateTime) dt = local_time (unix_time);
  int day, month, year;

  if (dt == NULL)
    return g_strdup (MISSING);

  g_date_time_get_ymd (dt, &year, &month, &day);
  if (table == &tables[0])
    return with_year ? g_strdup_printf ("%02d.%02d.%04d", day, month, year)
                     : g_strdup_printf ("%02d.%02d.", day, month);

  return with_year ? g_strdup_printf ("%s %d, %d", table->months[month - 1], day, year)
                   : g_strdup_printf ("%s %d", table->months[month - 1], day);
}

char *
digithek_format_time (const char *language,
                      gint64      unix_time)
{
  g_autoptr(GDateTime) dt = local_time (unix_time);

  if (dt == NULL)
    return g_strdup (MISSING);

  return g_strdup_printf ("%02d:%02d", g_date_time_get_hour (dt), g_date_time_get_minute (dt));
}

char *
digithek_format_date_time (const char *language,
                           gint64      unix_time)
{
  g_autofree char *date = digithek_format_date (language, unix_time, TRUE);
  g_autofree char *time = digithek_format_time (language, unix_time);

  return g_strdup_printf ("%s, %s", date, time);
}

char *
digithek_format_month (const char *language,
                       gint64      unix_time,
                       gboolean    with_year)
{
  const Table *table = get_table (language);
  g_autoptr(GDateTime) dt = local_time (unix_time);

  if (dt == NULL)
    return g_strdup (MISSING);

  if (!with_year)
    return g_strdup (table->months[g_date_time_get_month (dt) - 1]);

  return g_strdup_printf ("%s %d", table->months[g_date_time_get_month (dt) - 1],
                          g_date_time_get_year (dt));
}

char *
digithek_format_year (const char *language,
                      int         year)
{
  if (year < 0)
    return g_strdup_printf (MINUS_SIGN "%d", -year);

  return g_strdup_printf ("%d", year);
}

char *
digithek_format_freshness (const char *language,
                           gint64      unix_time)
{
  const Table *table = get_table (language);
  g_autofree char *date = digithek_format_date (language, unix_time, TRUE);

  return g_strconcat (table->freshness_prefix, date, NULL);
}

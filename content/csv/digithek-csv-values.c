/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Cell values: missing markers, numbers in either decimal convention, years, and times
 * (local times read as Europe/Berlin). */

#include "config.h"

#include <math.h>
#include <string.h>

#include "digithek-csv-private.h"

/* Longer cells are no number anybody typed; the bound keeps parsing on the stack. */
#define NUMBER_MAX 255

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

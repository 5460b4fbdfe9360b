/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "digithek-csv.h"

G_BEGIN_DECLS

#define DIGITHEK_CKAN_ERROR (digithek_ckan_error_quark ())

typedef enum
{
  DIGITHEK_CKAN_ERROR_HTTP,      /* network failure or an HTTP error status */
  DIGITHEK_CKAN_ERROR_NOT_API,   /* the answer is not the Action API (HTML page, not JSON) */
  DIGITHEK_CKAN_ERROR_FAILED,    /* the API answered `success: false` */
  DIGITHEK_CKAN_ERROR_NO_CSV,    /* no CSV resource, or the named resource is not there */
  DIGITHEK_CKAN_ERROR_TOO_BIG,   /* the resource is over the size limit */
  DIGITHEK_CKAN_ERROR_CSV,       /* the resource cannot be read as CSV or has nothing to chart */
  DIGITHEK_CKAN_ERROR_PACK,      /* the pack folder is not fit (invalid, item exists…) */
  DIGITHEK_CKAN_ERROR_INVALID,   /* the resulting pack would not validate */
  DIGITHEK_CKAN_ERROR_IO,        /* writing the pack folder failed */
} DigithekCkanError;

GQuark digithek_ckan_error_quark (void);

/* The limit for a downloaded resource unless the options say otherwise: the pack
 * validator's default file size limit. */
#define DIGITHEK_CKAN_DEFAULT_MAX_SIZE (G_GUINT64_CONSTANT (64) * 1024 * 1024)

/**
 * DigithekCkanResource:
 * @id: the resource id (never %NULL, may be "")
 * @name: (nullable): its name
 * @format: (nullable): its format as the portal states it ("CSV", "csv", "text/csv"…)
 * @mimetype: (nullable): its MIME type
 * @url: (nullable): where to download it
 * @size: its size in bytes as the portal states it, or -1 (DKAN sends strings)
 * @last_modified: (nullable): the portal's modification time, as sent
 */
typedef struct
{
  char   *id;
  char   *name;
  char   *format;
  char   *mimetype;
  char   *url;
  gint64  size;
  char   *last_modified;
} DigithekCkanResource;

/**
 * DigithekCkanDataset:
 *
 * A `package_show` result, the same for both dialects. Texts are plain: HTML is
 * stripped, entities decoded and white space collapsed.
 */
typedef struct
{
  char      *id;
  char      *name;               /* the URL name ("slug"), may be %NULL on odd portals */
  char      *title;
  char      *notes;              /* plain text, "" when absent */
  char      *organization;       /* the organization's title, or %NULL */
  char      *license_id;         /* as sent, or %NULL */
  char      *license_title;      /* as sent, or %NULL */
  char      *metadata_modified;  /* as sent, or %NULL */
  GStrv      tags;               /* never %NULL */
  GPtrArray *resources;          /* of #DigithekCkanResource, in the portal's order */
  gboolean   dkan;               /* the result came wrapped in a one-element array */
} DigithekCkanDataset;

void digithek_ckan_dataset_free (DigithekCkanDataset *dataset);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekCkanDataset, digithek_ckan_dataset_free)

/**
 * digithek_ckan_dataset_parse:
 * @dataset_id: the id that was asked for, for messages
 * @content_type: (nullable): the response's Content-Type
 * @body: the response body
 * @error: return location for a #GError
 *
 * Reads a `package_show` answer of CKAN (`result` is the dataset) or DKAN (`result` is
 * a one-element array, numbers come as strings, `notes` are HTML).
 *
 * Returns: (transfer full): the dataset, or %NULL with %DIGITHEK_CKAN_ERROR_NOT_API
 *   (an HTML page, not JSON, not the Action API's shape) or %DIGITHEK_CKAN_ERROR_FAILED
 *   (`success: false`, the message naming @dataset_id and the portal's error)
 */
DigithekCkanDataset *digithek_ckan_dataset_parse (const char  *dataset_id,
                                                  const char  *content_type,
                                                  GBytes      *body,
                                                  GError     **error);

/**
 * digithek_ckan_dataset_pick_resource:
 * @dataset: a dataset
 * @name_or_id: (nullable): the resource wanted, by name or id; %NULL picks the first CSV
 *   resource (format "CSV" in any case, MIME type text/csv, or a URL ending in .csv)
 * @error: return location for a #GError
 *
 * Returns: (transfer none): the resource, or %NULL with %DIGITHEK_CKAN_ERROR_NO_CSV
 *   (the message lists the formats or names there are)
 */
const DigithekCkanResource *digithek_ckan_dataset_pick_resource (const DigithekCkanDataset  *dataset,
                                                                 const char                 *name_or_id,
                                                                 GError                    **error);

/**
 * digithek_ckan_license_to_id:
 * @license_id: (nullable): the portal's `license_id` (a CKAN id such as `cc-by` or a
 *   GovData URI such as `http://dcat-ap.de/def/licenses/dl-by-de/2.0`)
 * @license_title: (nullable): the portal's `license_title`
 * @out_known: (out) (optional): whether the licence was recognised
 *
 * Maps a portal's licence to the short ids packs use (`dl-de/by-2-0`, `dl-de/zero-2-0`,
 * `CC-BY-4.0`, `CC-BY-SA-4.0`, `CC0-1.0`, `ODbL-1.0`…). An unknown licence is kept
 * verbatim (the id, else the title), never dropped; with neither, "notspecified".
 *
 * Returns: (transfer full): the licence for `source.license`
 */
char *digithek_ckan_license_to_id (const char *license_id,
                                   const char *license_title,
                                   gboolean   *out_known);

/* An id for packs and items from any text: `[a-z0-9][a-z0-9-]{0,63}`, German umlauts
 * transliterated ("ä" → "ae"); "datensatz" when nothing usable is left. */
char *digithek_ckan_slugify      (const char *text);

/* Plain text from HTML: tags dropped (script and style with their content), entities
 * decoded, white space collapsed to single spaces and trimmed. Also fine on plain text. */
char *digithek_ckan_html_to_text (const char *html);

/* @text cut to at most @max_chars characters at a word boundary, with "…" appended
 * when something was cut. */
char *digithek_ckan_shorten      (const char *text,
                                  guint       max_chars);

/**
 * DigithekCkanChartGuess:
 * @type: "line" (time x) or "bar" (category x)
 * @x: the x column
 * @y: the numeric columns (1 to 4)
 * @delimiter: @decimal: @encoding: what the CSV reader detected
 * @n_rows: data rows read
 */
typedef struct
{
  char               *type;
  char               *x;
  GStrv               y;
  char                delimiter;
  char                decimal;
  DigithekCsvEncoding encoding;
  guint64             n_rows;
} DigithekCkanChartGuess;

void digithek_ckan_chart_guess_clear (DigithekCkanChartGuess *guess);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DigithekCkanChartGuess, digithek_ckan_chart_guess_clear)

/**
 * digithek_ckan_guess_chart:
 * @csv_path: a CSV file
 * @options: (nullable): CSV settings, %NULL to detect
 * @guess: (out caller-allocates): the guess; clear with digithek_ckan_chart_guess_clear()
 * @error: return location for a #GError
 *
 * Reads the whole file with the project's CSV reader and guesses a chart as the
 * validator will accept it: x is the first column whose cells are all dates, times or
 * years (a line chart), else the first column of labels without empty cells (a bar
 * chart); y are the first four other columns whose non-empty cells are all numbers,
 * leaving out ids, time stamps and coordinates.
 *
 * Returns: %FALSE with %DIGITHEK_CKAN_ERROR_CSV when the file cannot be read or has no
 *   column to chart
 */
gboolean digithek_ckan_guess_chart (const char               *csv_path,
                                    const DigithekCsvOptions *options,
                                    DigithekCkanChartGuess   *guess,
                                    GError                  **error);

typedef enum
{
  DIGITHEK_CKAN_IMPORT_NONE    = 0,
  DIGITHEK_CKAN_IMPORT_REFRESH = 1 << 0,  /* update an existing item's data */
} DigithekCkanImportFlags;

/**
 * DigithekCkanImportOptions:
 * @resource: (nullable): the resource by name or id; %NULL to pick the CSV one (or, on
 *   refresh, the one the item came from)
 * @flags: #DigithekCkanImportFlags
 * @max_size: the download limit in bytes; 0 for %DIGITHEK_CKAN_DEFAULT_MAX_SIZE
 * @timeout: HTTP timeout in seconds; 0 for 30
 */
typedef struct
{
  const char             *resource;
  DigithekCkanImportFlags flags;
  guint64                 max_size;
  guint                   timeout;
} DigithekCkanImportOptions;

/**
 * DigithekCkanReport:
 *
 * What an import did, for the terminal.
 */
typedef struct
{
  char     *pack_id;
  gint64    pack_version;     /* after the import */
  gboolean  created_pack;     /* there was no pack.json */
  gboolean  refreshed;        /* an existing item was updated */
  gboolean  version_bumped;
  char     *item_id;
  char     *title;            /* the item's title in the pack's first language */
  char     *data_path;        /* relative to the pack folder */
  char     *resource_name;
  char     *resource_url;
  guint64   n_bytes;
  char     *license;          /* what `source.license` holds */
  gboolean  license_known;    /* the portal's licence was recognised */
  char     *source_name;
  char     *source_url;
  char     *source_modified;  /* the portal's modification time, or %NULL */
  char     *chart_type;       /* the item's chart after the import */
  char     *chart_x;
  GStrv     chart_y;
  gboolean  chart_guessed;    /* the chart was guessed now (a new item) */
  char     *csv_settings;     /* the `csv` settings written, e.g. `encoding ISO-8859-1`, or %NULL */
  GPtrArray *notes;           /* lines for staff to read: missing columns, licence changes… */
} DigithekCkanReport;

void digithek_ckan_report_free (DigithekCkanReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DigithekCkanReport, digithek_ckan_report_free)

/**
 * digithek_ckan_import:
 * @portal_url: the portal's base address (`https://…`)
 * @dataset_id: the dataset's name or id
 * @pack_dir: the pack folder; created with a minimal pack when it holds no pack.json
 * @options: (nullable): options, %NULL for the defaults
 * @problems: (out) (optional) (transfer full) (element-type utf8): on
 *   %DIGITHEK_CKAN_ERROR_INVALID or an invalid existing pack, the validator's lines
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Fetches `PORTAL/api/3/action/package_show?id=DATASET` and adds a dataset item with
 * its CSV resource to the pack (or, with %DIGITHEK_CKAN_IMPORT_REFRESH, replaces an
 * existing item's data and keeps everything staff curated), bumping the version of an
 * existing pack. Blocks; run it in a thread from a main loop.
 *
 * The folder is never left half-written: the new files are staged in a hidden folder
 * inside @pack_dir, the staged pack is validated, and only then are the data file and
 * pack.json renamed into place (the data file first, restored if pack.json fails).
 *
 * Returns: (transfer full): what was done, or %NULL with @error set
 */
DigithekCkanReport *digithek_ckan_import (const char                       *portal_url,
                                          const char                       *dataset_id,
                                          const char                       *pack_dir,
                                          const DigithekCkanImportOptions  *options,
                                          GPtrArray                       **problems,
                                          GCancellable                     *cancellable,
                                          GError                          **error);

G_END_DECLS

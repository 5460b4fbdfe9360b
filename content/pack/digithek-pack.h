/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "digithek-csv.h"

G_BEGIN_DECLS

#define DIGITHEK_PACK_ERROR (digithek_pack_error_quark ())

typedef enum
{
  DIGITHEK_PACK_ERROR_NOT_FOUND,  /* no folder, or no pack.json in it */
  DIGITHEK_PACK_ERROR_INVALID,    /* validation found problems; the message lists them */
} DigithekPackError;

GQuark digithek_pack_error_quark (void);

typedef enum
{
  DIGITHEK_ITEM_DATASET,
  DIGITHEK_ITEM_EXPLAINER,
  DIGITHEK_ITEM_GUIDE,
  DIGITHEK_ITEM_TOUR,
} DigithekItemKind;

const char *digithek_item_kind_to_string   (DigithekItemKind  kind);
gboolean    digithek_item_kind_from_string (const char       *text,
                                            DigithekItemKind *out_kind);

/* `[a-z0-9][a-z0-9-]{0,63}`, for pack and item ids. */
gboolean    digithek_pack_id_is_valid      (const char       *id);
/* A language code as packs use them: a lower-case language of 2 or 3 letters, then
 * subtags of 1 to 8 letters or digits joined by "-" (`de`, `en`, `de-x-easy`, `de-AT`). */
gboolean    digithek_language_code_is_valid (const char      *code);

/**
 * DigithekPackLimits:
 * @max_file_size: largest referenced file, in bytes (default 64 MiB)
 * @max_pack_size: all referenced files together (default 1 GiB)
 * @max_image_side: largest image width or height in pixels (default 8192)
 */
typedef struct
{
  guint64 max_file_size;
  guint64 max_pack_size;
  guint   max_image_side;
} DigithekPackLimits;

void digithek_pack_limits_init_default (DigithekPackLimits *limits);

/* A text map: language code → text. Keys and values are owned by the table. */
typedef GHashTable DigithekTextMap;

typedef struct
{
  DigithekTextMap *title;
  DigithekTextMap *body;   /* language → relative path of a Markdown file */
  char            *image;  /* relative path, or %NULL */
} DigithekPackStep;

typedef struct
{
  char            *id;
  DigithekItemKind kind;
  DigithekTextMap *title;
  DigithekTextMap *summary;  /* %NULL when absent */
  char            *image;    /* relative path, or %NULL */
  GStrv            tags;     /* never %NULL */
  char            *web;      /* %NULL when absent */
  char            *web_step; /* guides; contains "{step}"; %NULL when absent */

  /* DIGITHEK_ITEM_DATASET */
  char              *data;    /* relative path of the CSV file */
  DigithekCsvOptions csv;     /* zeroed fields mean "detect" */
  char              *chart_type;  /* "line" or "bar" */
  char              *chart_x;
  GStrv              chart_y;
  char              *chart_unit;  /* %NULL when absent */
  char              *source_name;
  char              *source_license;
  char              *source_url;  /* %NULL when absent */

  /* DIGITHEK_ITEM_EXPLAINER */
  DigithekTextMap *body;      /* language → relative path of a Markdown file */

  /* DIGITHEK_ITEM_GUIDE: DigithekPackStep; %NULL for other kinds */
  GPtrArray *steps;

  /* DIGITHEK_ITEM_TOUR: "item" or "pack/item"; %NULL for other kinds */
  GStrv stops;
} DigithekPackItem;

/*
 * Manifest rules beyond DESIGN.md that staff should know:
 *
 * - Keys starting with "_" (such as "_comment") are comments, anywhere in pack.json,
 *   also inside text maps, and are ignored without a word. Other unknown keys are
 *   warnings ("unknown field, ignored (did you mean …?)"), not problems.
 * - A dataset's `csv` object also takes `header_row` and `first_data_row`: positive
 *   integers, 1-based, for files with lines above the header or between the header and
 *   the data (units, long names). They map to #DigithekCsvOptions; `first_data_row` must
 *   come after `header_row` (which defaults to 1).
 * - Integers are JSON integers: `1.5`, `1e3`, `"2"` and numbers beyond 2^63-1 are
 *   refused; so are numbers JSON does not allow (leading zeros, hex), which json-glib
 *   would otherwise read as octal or hex. A key given twice in one object is a problem.
 * - Paths are normalised: "./a//b.png" is stored and listed as "a/b.png".
 * - Messages use `(file)` as JSON-PATH for problems with pack.json as a whole, `(top
 *   level)` for its root object, `(files)` for the pack size, and `line L, column C`
 *   for JSON syntax errors.
 */

#define DIGITHEK_TYPE_PACK (digithek_pack_get_type ())
G_DECLARE_FINAL_TYPE (DigithekPack, digithek_pack, DIGITHEK, PACK, GObject)

/**
 * digithek_pack_load:
 * @dir: the pack folder (holding `pack.json`)
 * @limits: (nullable): size limits, or %NULL for the defaults
 * @problems: (out) (optional) (transfer full) (element-type utf8): every problem found,
 *   one line each, formatted `FILE: JSON-PATH: message` (e.g.
 *   `pack.json: items[3].chart.y[0]: column "Lago" is not in the header of data/parking.csv`)
 * @error: return location for a #GError
 *
 * Parses and validates a pack folder as deeply as a kiosk would: manifest structure,
 * ids, text maps, paths (no absolute paths, no `..`, no link leaving the folder), file
 * sizes, that images decode, that Markdown is UTF-8, that every chart column exists
 * and every `y` cell is a number, that `x` is a time or a category, and that tour stops
 * in this pack resolve. Every problem is reported, not just the first.
 *
 * Returns: (transfer full): the pack, or %NULL with @error set
 *   (%DIGITHEK_PACK_ERROR_INVALID with the message "N problems in DIR", while @problems
 *   holds the lines; %DIGITHEK_PACK_ERROR_NOT_FOUND when there is no folder or no
 *   pack.json, with one line in @problems too)
 */
DigithekPack     *digithek_pack_load            (const char                *dir,
                                                 const DigithekPackLimits  *limits,
                                                 GPtrArray                **problems,
                                                 GError                   **error);
/* digithek_pack_load() that also returns the warnings (unknown fields, texts in languages
 * the pack does not list, comments in the JSON…): lines in the same form that do not make
 * the pack invalid. @warnings is filled also when the pack is invalid. */
DigithekPack     *digithek_pack_load_full       (const char                *dir,
                                                 const DigithekPackLimits  *limits,
                                                 GPtrArray                **problems,
                                                 GPtrArray                **warnings,
                                                 GError                   **error);
/* The warnings of a valid pack (see digithek_pack_load_full()); never %NULL. */
const char * const *digithek_pack_get_warnings  (DigithekPack *self);

/* The folder it was loaded from (absolute). */
const char       *digithek_pack_get_dir         (DigithekPack *self);
const char       *digithek_pack_get_id          (DigithekPack *self);
gint64            digithek_pack_get_version     (DigithekPack *self);
DigithekTextMap  *digithek_pack_get_title       (DigithekPack *self);
/* The languages, fallback first. */
const char * const *digithek_pack_get_languages (DigithekPack *self);
const char       *digithek_pack_get_publisher   (DigithekPack *self);
guint             digithek_pack_get_n_items     (DigithekPack *self);
DigithekPackItem *digithek_pack_get_item        (DigithekPack *self,
                                                 guint         index);
DigithekPackItem *digithek_pack_find_item       (DigithekPack *self,
                                                 const char   *item_id);
/* Every file the manifest references, relative to the folder, sorted, each once.
 * Returns: (transfer full): free with g_strfreev() */
GStrv             digithek_pack_list_files      (DigithekPack *self);
/* The exact bytes of pack.json as read.
 * Returns: (transfer none): owned by the pack; g_bytes_ref() to keep it longer */
GBytes           *digithek_pack_get_manifest_bytes (DigithekPack *self);

/**
 * digithek_text_map_lookup:
 * @map: (nullable): a text map
 * @language: wanted language, e.g. "en" or "de-x-easy"
 * @fallback: the pack's first language
 *
 * Returns: (nullable): the text in @language, else in its base language ("de" for
 *   "de-x-easy"), else in @fallback, else %NULL
 */
const char *digithek_text_map_lookup (DigithekTextMap *map,
                                      const char      *language,
                                      const char      *fallback);

/**
 * digithek_json_text_map_lookup:
 * @map: (nullable): a text map as a JSON object (from a stored item manifest)
 * @language: (nullable): wanted language, e.g. "en" or "de-x-easy"
 * @fallback: (nullable): the pack's first language
 *
 * The JSON twin of digithek_text_map_lookup(), for views and pages that read stored
 * manifests: @language, then its base language ("de" for "de-x-easy"), then
 * @fallback, then the first entry that is not a comment (a validated map lists the
 * fallback language first anyway).
 *
 * Returns: (nullable): the text, owned by @map
 */
const char *digithek_json_text_map_lookup (JsonObject *map,
                                           const char *language,
                                           const char *fallback);

/* What the series drawn from @column is called in @language: its `chart.labels` text map
 * in the dataset item @manifest (a stored item manifest), else @column itself.
 * Returns: the label, owned by @manifest, or @column */
const char *digithek_json_series_label    (JsonObject *manifest,
                                           const char *column,
                                           const char *language);

G_END_DECLS

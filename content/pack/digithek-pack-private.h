/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Private to pack/: the validator's state and the helpers its files share.
 * digithek-pack.c loads a pack (model, loading, accessors); the validator is
 * digithek-pack-validate.c (problems, typed members, files, text maps), with
 * digithek-pack-dataset.c (CSV options and data), digithek-pack-items.c (items and the
 * top level) and digithek-pack-json-scan.c (the raw JSON checks json-glib does not do). */

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>

#include "digithek-pack.h"

G_BEGIN_DECLS

struct _DigithekPack
{
  GObject parent_instance;

  /* owned */
  char            *dir;
  char            *id;
  gint64           version;
  DigithekTextMap *title;
  GStrv            languages;
  char            *publisher;
  GPtrArray       *items;        /* DigithekPackItem */
  GHashTable      *items_by_id;  /* id → DigithekPackItem, borrowed from items */
  GStrv            files;
  GBytes          *manifest;
  GStrv            warnings;
};

typedef enum
{
  FILE_KIND_IMAGE,
  FILE_KIND_MARKDOWN,
  FILE_KIND_CSV,
} FileKind;

/* json-glib's parser recurses once per level and has no limit of its own: a file of
 * nothing but "[" would overflow the stack. Real manifests need about six levels. */
#define MAX_JSON_DEPTH 64
/* What is known about one referenced file, so that a file referenced twice is
 * measured, decoded and counted against the pack limit once. */
typedef struct
{
  char    *real_path;      /* NULL when the file is unusable */
  char    *problem;        /* why it is unusable */
  gboolean image_checked;
  char    *image_problem;
  gboolean text_checked;
  char    *text_problem;
} FileCheck;

typedef struct
{
  const DigithekPackLimits *limits;
  DigithekPack *pack;
  char         *real_dir;   /* realpath() of the pack folder */
  GPtrArray    *problems;
  GPtrArray    *warnings;
  GHashTable   *overflow;   /* JSON paths of integers too large for gint64 */
  GHashTable   *files;      /* canonical relative path → FileCheck */
  GHashTable   *item_index; /* item id → GUINT_TO_POINTER (index + 1) */
  GHashTable   *language_set;
  const char   *fallback;   /* first language, NULL while unknown */
  guint64       total_size;
} Validator;
typedef struct
{
  Validator  *v;
  const char *data;
  gsize       length;
  gsize       pos;
  guint       depth;
  gboolean    comment_warned;
  gboolean    quote_warned;
} Scan;

/* ---- the model ---- */
void digithek_pack_step_free (DigithekPackStep *step);

DigithekTextMap * digithek_pack_text_map_new (void);

DigithekPackItem * digithek_pack_item_new (void);

void digithek_pack_file_check_free (FileCheck *check);

void digithek_pack_problem (Validator  *v,
                            const char *path,
                            const char *format,
                            ...) G_GNUC_PRINTF (3, 4);

void digithek_pack_warning (Validator  *v,
                            const char *path,
                            const char *format,
                            ...) G_GNUC_PRINTF (3, 4);

char * digithek_pack_path_key (const char *parent,
                               const char *key);

char * digithek_pack_path_index (const char *parent,
                                 guint       index);

/* Quotes a value for a message, shortened so that a runaway cell stays readable;
 * letters beyond ASCII (umlauts) stay as they are, control characters are escaped. */
char * digithek_pack_quote_value (const char *value);

const char * digithek_pack_describe_node (JsonNode *node);

/* "4.2 KiB (4294 bytes)": exact, so that a file just over the limit shows why. */
char * digithek_pack_format_size (guint64 size);

gboolean digithek_pack_node_is_string (JsonNode *node);

gboolean digithek_pack_text_is_blank (const char *text);

/* Keys starting with "_" are comments ("_comment") and pass in silence. */
void digithek_pack_check_members (Validator          *v,
                                  JsonObject         *object,
                                  const char         *path,
                                  const char * const *known,
                                  const char * const *elsewhere,
                                  const char         *kind_name);

/* ---- typed members ---- */
JsonNode * digithek_pack_member (Validator  *v,
                                 JsonObject *object,
                                 const char *path,
                                 const char *key,
                                 gboolean    required);

char * digithek_pack_get_string (Validator  *v,
                                 JsonObject *object,
                                 const char *path,
                                 const char *key,
                                 gboolean    required);

JsonObject * digithek_pack_get_object (Validator  *v,
                                       JsonObject *object,
                                       const char *path,
                                       const char *key,
                                       gboolean    required);

JsonArray * digithek_pack_get_array (Validator  *v,
                                     JsonObject *object,
                                     const char *path,
                                     const char *key,
                                     gboolean    required);

/* Integers as json-glib gives them: 1.5 and 1e3 are doubles, and an integer too large
 * for gint64 silently wraps around, so the scan of the raw text flags those paths. */
gboolean digithek_pack_get_integer (Validator  *v,
                                    JsonNode   *node,
                                    const char *path,
                                    gint64     *out_value);

gboolean digithek_pack_get_positive (Validator  *v,
                                     JsonNode   *node,
                                     const char *path,
                                     gint64      max,
                                     gint64     *out_value);

/* ---- URLs ---- */
char * digithek_pack_web_url_problem (const char *text);

char * digithek_pack_get_web_url (Validator  *v,
                                  JsonObject *object,
                                  const char *path,
                                  const char *key);

char * digithek_pack_get_path (Validator  *v,
                               JsonObject *object,
                               const char *path,
                               const char *key,
                               gboolean    required,
                               FileKind    kind);

DigithekTextMap * digithek_pack_get_text_map (Validator  *v,
                                              JsonObject *object,
                                              const char *path,
                                              const char *key,
                                              gboolean    required,
                                              gboolean    of_paths);

void digithek_pack_parse_dataset (Validator        *v,
                                  JsonObject       *object,
                                  const char       *path,
                                  DigithekPackItem *item);

void digithek_pack_parse_root (Validator  *v,
                               JsonObject *root);

/* ---- raw JSON scans ---- */

/* Measures nesting before json-glib sees the text (see MAX_JSON_DEPTH). Strings and
 * comments are skipped the way json-glib's scanner reads them. */
gboolean digithek_pack_json_depth_ok (const char *data,
                                      gsize       length);

gboolean digithek_pack_scan_value (Scan       *s,
                                   const char *path);

G_END_DECLS

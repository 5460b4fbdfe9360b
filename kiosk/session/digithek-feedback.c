/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "digithek-feedback.h"
#include "digithek-store-wait.h"

G_DEFINE_QUARK (digithek-feedback-error-quark, digithek_feedback_error)

#define FORMAT 1

struct _DigithekFeedback
{
  GObject parent_instance;

  /* owned */
  GTree *counts;   /* "tour\tday" → DigithekFeedbackCounts; the tab sorts before any id
                    * character, so the order is by tour, then by day */
};

G_DEFINE_FINAL_TYPE (DigithekFeedback, digithek_feedback, G_TYPE_OBJECT)

static void
digithek_feedback_finalize (GObject *object)
{
  DigithekFeedback *self = DIGITHEK_FEEDBACK (object);

  g_clear_pointer (&self->counts, g_tree_unref);

  G_OBJECT_CLASS (digithek_feedback_parent_class)->finalize (object);
}

static void
digithek_feedback_class_init (DigithekFeedbackClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = digithek_feedback_finalize;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return strcmp (a, b);
}

static void
digithek_feedback_init (DigithekFeedback *self)
{
  self->counts = g_tree_new_full (compare_keys, NULL, g_free, g_free);
}

DigithekFeedback *
digithek_feedback_new (void)
{
  return g_object_new (DIGITHEK_TYPE_FEEDBACK, NULL);
}

/* --- validation ---------------------------------------------------------------------- */

/* One id as the pack format has it: [a-z0-9][a-z0-9-]{0,63}. Returns its end or NULL. */
static const char *
skip_id (const char *p)
{
  const char *start = p;

  if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p)))
    return NULL;
  while (g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-')
    p++;
  return p - start <= 64 ? p : NULL;
}

/* `item` or `pack/item`. Only such ids reach the CSV, so no cell needs quoting and none
 * can pass for a spreadsheet formula. */
static gboolean
tour_is_valid (const char *tour)
{
  const char *p = tour != NULL ? skip_id (tour) : NULL;

  if (p != NULL && *p == '/')
    p = skip_id (p + 1);
  return p != NULL && *p == '\0';
}

static gboolean
day_is_valid (const char *day)
{
  guint64 y, m, d;

  if (day == NULL || strlen (day) != 10 || day[4] != '-' || day[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (day[i]))
      return FALSE;
  y = g_ascii_strtoull (day, NULL, 10);
  m = g_ascii_strtoull (day + 5, NULL, 10);
  d = g_ascii_strtoull (day + 8, NULL, 10);
  return y >= 1 && m >= 1 && m <= 12 && d >= 1
         && g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

/* --- counting ------------------------------------------------------------------------ */

/* Counts stop at the maximum rather than wrap to zero. */
static guint
add_saturated (guint a,
               guint b)
{
  return a > G_MAXUINT - b ? G_MAXUINT : a + b;
}

static DigithekFeedbackCounts *
lookup_or_insert (DigithekFeedback *self,
                  const char       *tour,
                  const char       *day)
{
  g_autofree char *key = g_strconcat (tour, "\t", day, NULL);
  DigithekFeedbackCounts *counts = g_tree_lookup (self->counts, key);

  if (counts == NULL)
    {
      counts = g_new0 (DigithekFeedbackCounts, 1);
      g_tree_insert (self->counts, g_steal_pointer (&key), counts);
    }
  return counts;
}

static void
add_counts (DigithekFeedbackCounts       *to,
            const DigithekFeedbackCounts *from)
{
  for (guint i = 0; i < G_N_ELEMENTS (to->satisfaction); i++)
    to->satisfaction[i] = add_saturated (to->satisfaction[i], from->satisfaction[i]);
  to->again_yes = add_saturated (to->again_yes, from->again_yes);
  to->again_no = add_saturated (to->again_no, from->again_no);
}

gboolean
digithek_feedback_add (DigithekFeedback       *self,
                       const char             *tour,
                       const char             *day,
                       guint                   satisfaction,
                       DigithekFeedbackAgain   again,
                       GError                **error)
{
  DigithekFeedbackCounts one = { { 0 } };

  g_return_val_if_fail (DIGITHEK_IS_FEEDBACK (self), FALSE);

  if (!tour_is_valid (tour) || !day_is_valid (day) || satisfaction > 5
      || (again != DIGITHEK_FEEDBACK_AGAIN_UNANSWERED && again != DIGITHEK_FEEDBACK_AGAIN_YES
          && again != DIGITHEK_FEEDBACK_AGAIN_NO))
    {
      g_set_error_literal (error, DIGITHEK_FEEDBACK_ERROR, DIGITHEK_FEEDBACK_ERROR_INVALID,
                           "A feedback answer needs a tour id, a day YYYY-MM-DD, "
                           "a satisfaction from 0 (skipped) to 5 and a yes/no/skipped");
      return FALSE;
    }
  if (satisfaction == 0 && again == DIGITHEK_FEEDBACK_AGAIN_UNANSWERED)
    return TRUE;

  if (satisfaction > 0)
    one.satisfaction[satisfaction - 1] = 1;
  one.again_yes = again == DIGITHEK_FEEDBACK_AGAIN_YES;
  one.again_no = again == DIGITHEK_FEEDBACK_AGAIN_NO;
  add_counts (lookup_or_insert (self, tour, day), &one);
  return TRUE;
}

char *
digithek_feedback_day (GDateTime *when)
{
  g_autoptr(GDateTime) now = NULL;

  if (when == NULL)
    when = now = g_date_time_new_now_local ();
  return g_date_time_format (when, "%Y-%m-%d");
}

gboolean
digithek_feedback_get_counts (DigithekFeedback       *self,
                              const char             *tour,
                              const char             *day,
                              DigithekFeedbackCounts *out)
{
  g_autofree char *key = NULL;
  DigithekFeedbackCounts *counts;

  g_return_val_if_fail (DIGITHEK_IS_FEEDBACK (self), FALSE);
  g_return_val_if_fail (tour != NULL && day != NULL && out != NULL, FALSE);

  key = g_strconcat (tour, "\t", day, NULL);
  counts = g_tree_lookup (self->counts, key);
  if (counts == NULL)
    {
      memset (out, 0, sizeof *out);
      return FALSE;
    }
  *out = *counts;
  return TRUE;
}

typedef struct
{
  DigithekFeedbackFunc func;
  gpointer             user_data;
} ForeachData;

static gboolean
foreach_cb (gpointer key,
            gpointer value,
            gpointer user_data)
{
  ForeachData *data = user_data;
  const char *tab = strchr (key, '\t');
  g_autofree char *tour = g_strndup (key, (gsize) (tab - (const char *) key));

  data->func (tour, tab + 1, value, data->user_data);
  return FALSE;
}

void
digithek_feedback_foreach (DigithekFeedback     *self,
                           DigithekFeedbackFunc  func,
                           gpointer              user_data)
{
  ForeachData data = { func, user_data };

  g_return_if_fail (DIGITHEK_IS_FEEDBACK (self));
  g_return_if_fail (func != NULL);

  g_tree_foreach (self->counts, foreach_cb, &data);
}

static gboolean
merge_cb (gpointer key,
          gpointer value,
          gpointer user_data)
{
  DigithekFeedback *self = user_data;
  const char *tab = strchr (key, '\t');
  g_autofree char *tour = g_strndup (key, (gsize) (tab - (const char *) key));

  add_counts (lookup_or_insert (self, tour, tab + 1), value);
  return FALSE;
}

void
digithek_feedback_merge (DigithekFeedback *self,
                         DigithekFeedback *other)
{
  g_return_if_fail (DIGITHEK_IS_FEEDBACK (self));
  g_return_if_fail (DIGITHEK_IS_FEEDBACK (other));
  g_return_if_fail (self != other);

  g_tree_foreach (other->counts, merge_cb, self);
}

/* --- JSON ---------------------------------------------------------------------------- */

static gboolean
json_entry_cb (gpointer key,
               gpointer value,
               gpointer user_data)
{
  JsonBuilder *builder = user_data;
  DigithekFeedbackCounts *counts = value;
  const char *tab = strchr (key, '\t');
  g_autofree char *tour = g_strndup (key, (gsize) (tab - (const char *) key));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tour");
  json_builder_add_string_value (builder, tour);
  json_builder_set_member_name (builder, "day");
  json_builder_add_string_value (builder, tab + 1);
  json_builder_set_member_name (builder, "satisfaction");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (counts->satisfaction); i++)
    json_builder_add_int_value (builder, counts->satisfaction[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "again_yes");
  json_builder_add_int_value (builder, counts->again_yes);
  json_builder_set_member_name (builder, "again_no");
  json_builder_add_int_value (builder, counts->again_no);
  json_builder_end_object (builder);
  return FALSE;
}

char *
digithek_feedback_to_json (DigithekFeedback *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (DIGITHEK_IS_FEEDBACK (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, FORMAT);
  json_builder_set_member_name (builder, "counts");
  json_builder_begin_array (builder);
  g_tree_foreach (self->counts, json_entry_cb, builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* A whole number from 0 to G_MAXUINT, or FALSE. */
static gboolean
read_count (JsonNode *node,
            guint    *out)
{
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  value = json_node_get_int (node);
  if (value < 0 || value > G_MAXUINT)
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

static const char *
read_string (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
read_entry (DigithekFeedback *self,
            JsonNode         *node)
{
  DigithekFeedbackCounts counts = { { 0 } };
  JsonObject *object;
  JsonArray *satisfaction;
  JsonNode *member;
  const char *tour;
  const char *day;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  tour = read_string (object, "tour");
  day = read_string (object, "day");
  if (!tour_is_valid (tour) || !day_is_valid (day))
    return FALSE;

  member = json_object_get_member (object, "satisfaction");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return FALSE;
  satisfaction = json_node_get_array (member);
  if (json_array_get_length (satisfaction) != G_N_ELEMENTS (counts.satisfaction))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (counts.satisfaction); i++)
    if (!read_count (json_array_get_element (satisfaction, i), &counts.satisfaction[i]))
      return FALSE;
  if (!read_count (json_object_get_member (object, "again_yes"), &counts.again_yes)
      || !read_count (json_object_get_member (object, "again_no"), &counts.again_no))
    return FALSE;

  add_counts (lookup_or_insert (self, tour, day), &counts);
  return TRUE;
}

DigithekFeedback *
digithek_feedback_new_from_json (const char  *json,
                                 GError     **error)
{
  g_autoptr(DigithekFeedback) self = digithek_feedback_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root_node;
  JsonObject *root;
  JsonNode *format;
  JsonNode *counts;
  JsonArray *entries;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, DIGITHEK_FEEDBACK_ERROR, DIGITHEK_FEEDBACK_ERROR_INVALID,
                   "The feedback counts are not JSON: %s", local_error->message);
      return NULL;
    }
  /* An empty document parses, to no root at all. */
  root_node = json_parser_get_root (parser);
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    goto invalid;
  root = json_node_get_object (root_node);
  format = json_object_get_member (root, "format");
  counts = json_object_get_member (root, "counts");
  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format)
      || json_node_get_value_type (format) != G_TYPE_INT64 || json_node_get_int (format) != FORMAT
      || counts == NULL || !JSON_NODE_HOLDS_ARRAY (counts))
    goto invalid;

  entries = json_node_get_array (counts);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    if (!read_entry (self, json_array_get_element (entries, i)))
      goto invalid;
  return g_steal_pointer (&self);

invalid:
  g_set_error (error, DIGITHEK_FEEDBACK_ERROR, DIGITHEK_FEEDBACK_ERROR_INVALID,
               "The feedback counts are not in format %d", FORMAT);
  return NULL;
}

/* --- CSV ----------------------------------------------------------------------------- */

static gboolean
csv_row_cb (gpointer key,
            gpointer value,
            gpointer user_data)
{
  GString *out = user_data;
  DigithekFeedbackCounts *counts = value;
  const char *tab = strchr (key, '\t');

  /* Ids and days hold no comma, quote or line break (see tour_is_valid()). */
  g_string_append_len (out, key, tab - (const char *) key);
  g_string_append_printf (out, ",%s", tab + 1);
  for (guint i = 0; i < G_N_ELEMENTS (counts->satisfaction); i++)
    g_string_append_printf (out, ",%u", counts->satisfaction[i]);
  g_string_append_printf (out, ",%u,%u\r\n", counts->again_yes, counts->again_no);
  return FALSE;
}

char *
digithek_feedback_to_csv (DigithekFeedback *self)
{
  GString *out;

  g_return_val_if_fail (DIGITHEK_IS_FEEDBACK (self), NULL);

  out = g_string_new ("tour,day,satisfaction_1,satisfaction_2,satisfaction_3,"
                      "satisfaction_4,satisfaction_5,again_yes,again_no\r\n");
  g_tree_foreach (self->counts, csv_row_cb, out);
  return g_string_free (out, FALSE);
}

/* --- in the store -------------------------------------------------------------------- */

#define UNREADABLE_KEY DIGITHEK_FEEDBACK_META_KEY ".unreadable"

/* Parses the stored counts (%NULL: none yet). */
static DigithekFeedback *
feedback_from_meta (const char  *json,
                    GError     **error)
{
  if (json == NULL)
    return digithek_feedback_new ();
  return digithek_feedback_new_from_json (json, error);
}

static void
load_meta_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *json = NULL;
  GError *error = NULL;
  DigithekFeedback *feedback;

  json = digithek_store_get_meta_finish (DIGITHEK_STORE (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  feedback = feedback_from_meta (json, &error);
  if (feedback == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, feedback, g_object_unref);
}

void
digithek_feedback_load_async (DigithekStore       *store,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DIGITHEK_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, digithek_feedback_load_async);
  digithek_store_get_meta_async (store, DIGITHEK_FEEDBACK_META_KEY, cancellable, load_meta_cb,
                                 g_steal_pointer (&task));
}

DigithekFeedback *
digithek_feedback_load_finish (DigithekStore  *store,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_feedback_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Records run on a GTask thread, which may wait for the store's worker; one at a time,
 * so that no two read-add-write cycles interleave. */
static GMutex record_lock;

static char *
wait_get_meta (DigithekStoreWait  *wait,
               DigithekStore      *store,
               const char         *key,
               GError            **error)
{
  digithek_store_wait_begin (wait);
  digithek_store_get_meta_async (store, key, NULL, digithek_store_wait_cb, wait);
  return digithek_store_get_meta_finish (store, digithek_store_wait_end (wait), error);
}

static gboolean
wait_set_meta (DigithekStoreWait  *wait,
               DigithekStore      *store,
               const char         *key,
               const char         *value,
               GError            **error)
{
  digithek_store_wait_begin (wait);
  digithek_store_set_meta_async (store, key, value, NULL, digithek_store_wait_cb, wait);
  return digithek_store_set_meta_finish (store, digithek_store_wait_end (wait), error);
}

static gboolean
record_locked (DigithekStore     *store,
               DigithekFeedback  *one,
               GError           **error)
{
  g_autoptr(DigithekStoreWait) wait = digithek_store_wait_new ();
  g_autoptr(DigithekFeedback) stored = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *json = NULL;

  json = wait_get_meta (wait, store, DIGITHEK_FEEDBACK_META_KEY, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  stored = feedback_from_meta (json, &local_error);
  if (stored == NULL && g_error_matches (local_error, DIGITHEK_FEEDBACK_ERROR,
                                         DIGITHEK_FEEDBACK_ERROR_INVALID))
    {
      /* Keep what cannot be read for a person to look at; a broken value must not stop
       * the poll from counting. */
      g_warning ("Stored feedback counts unreadable (%s); kept under %s, counting afresh",
                 local_error->message, UNREADABLE_KEY);
      g_clear_error (&local_error);
      if (!wait_set_meta (wait, store, UNREADABLE_KEY, json, error))
        return FALSE;
      stored = digithek_feedback_new ();
    }
  else if (stored == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  digithek_feedback_merge (stored, one);
  g_clear_pointer (&json, g_free);
  json = digithek_feedback_to_json (stored);
  return wait_set_meta (wait, store, DIGITHEK_FEEDBACK_META_KEY, json, error);
}

static void
record_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DigithekFeedback *one = task_data;
  GError *error = NULL;
  gboolean ok;

  g_mutex_lock (&record_lock);
  ok = record_locked (DIGITHEK_STORE (source_object), one, &error);
  g_mutex_unlock (&record_lock);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
digithek_feedback_record_async (DigithekStore          *store,
                                const char             *tour,
                                guint                   satisfaction,
                                DigithekFeedbackAgain   again,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(DigithekFeedback) one = digithek_feedback_new ();
  g_autofree char *day = digithek_feedback_day (NULL);
  GError *error = NULL;

  g_return_if_fail (DIGITHEK_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, digithek_feedback_record_async);

  /* Checked before the store is touched, so a bad answer writes nothing. */
  if (!digithek_feedback_add (one, tour, day, satisfaction, again, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_tree_nnodes (one->counts) == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_set_task_data (task, g_steal_pointer (&one), g_object_unref);
  g_task_run_in_thread (task, record_thread);
}

gboolean
digithek_feedback_record_finish (DigithekStore  *store,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == digithek_feedback_record_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

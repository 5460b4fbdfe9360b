/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "digithek-config.h"

#define GROUP "kiosk"

struct _DigithekConfig
{
  GObject parent_instance;

  char   *path;
  char   *channel;
  GStrv   trusted_keys;
  guint   idle_timeout;
  char   *language;
  char   *store_path;
  guint   sync_interval;
  char   *metrics_file;
  DigithekHandoffMode handoff_mode;
  char   *handoff_listen;
  char   *handoff_base_url;
  char   *pin_hash;
};

G_DEFINE_FINAL_TYPE (DigithekConfig, digithek_config, G_TYPE_OBJECT)

G_DEFINE_QUARK (digithek-config-error-quark, digithek_config_error)

static void
digithek_config_finalize (GObject *object)
{
  DigithekConfig *self = DIGITHEK_CONFIG (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->channel, g_free);
  g_clear_pointer (&self->trusted_keys, g_strfreev);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->store_path, g_free);
  g_clear_pointer (&self->metrics_file, g_free);
  g_clear_pointer (&self->handoff_listen, g_free);
  g_clear_pointer (&self->handoff_base_url, g_free);
  g_clear_pointer (&self->pin_hash, g_free);

  G_OBJECT_CLASS (digithek_config_parent_class)->finalize (object);
}

static void
digithek_config_class_init (DigithekConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = digithek_config_finalize;
}

static void
digithek_config_init (DigithekConfig *self)
{
  self->trusted_keys = g_new0 (char *, 1);
  self->idle_timeout = 90;
  self->language = g_strdup ("de");
  self->sync_interval = 15;
}

DigithekConfig *
digithek_config_new_default (void)
{
  return g_object_new (DIGITHEK_TYPE_CONFIG, NULL);
}

static char *
read_string (GKeyFile   *file,
             const char *key)
{
  g_autofree char *value = g_key_file_get_string (file, GROUP, key, NULL);

  if (value == NULL)
    return NULL;
  g_strstrip (value);
  if (*value == '\0')
    return NULL;
  return g_steal_pointer (&value);
}

static gboolean
read_uint (GKeyFile    *file,
           const char  *path,
           const char  *key,
           guint        min,
           guint        max,
           guint       *out_value,
           GError     **error)
{
  g_autofree char *text = read_string (file, key);
  guint64 value;

  if (text == NULL)
    return TRUE;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    {
      g_set_error (error, DIGITHEK_CONFIG_ERROR, DIGITHEK_CONFIG_ERROR_INVALID,
                   _("%s: [%s] %s = “%s” is not a whole number from %u to %u"),
                   path, GROUP, key, text, min, max);
      return FALSE;
    }

  *out_value = (guint) value;
  return TRUE;
}

DigithekConfig *
digithek_config_load (const char  *path,
                      GError     **error)
{
  g_autoptr(DigithekConfig) self = digithek_config_new_default ();
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  gboolean explicit_path = path != NULL;
  g_autofree char *text = NULL;

  if (path == NULL)
    path = DIGITHEK_CONFIG_DEFAULT_PATH;
  self->path = g_strdup (path);

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      if (!explicit_path && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&self);

      g_set_error (error, DIGITHEK_CONFIG_ERROR, DIGITHEK_CONFIG_ERROR_INVALID,
                   _("Cannot read the config file %s: %s"), path, local_error->message);
      return NULL;
    }

  self->channel = read_string (file, "channel");
  self->store_path = read_string (file, "store");
  self->metrics_file = read_string (file, "metrics_file");
  self->handoff_listen = read_string (file, "handoff_listen");
  self->handoff_base_url = read_string (file, "handoff_base_url");
  self->pin_hash = read_string (file, "pin_hash");

  g_free (text);
  text = read_string (file, "handoff");
  if (text != NULL && g_str_equal (text, "local"))
    self->handoff_mode = DIGITHEK_HANDOFF_MODE_LOCAL;
  else if (text != NULL && !g_str_equal (text, "web"))
    {
      g_set_error (error, DIGITHEK_CONFIG_ERROR, DIGITHEK_CONFIG_ERROR_INVALID,
                   _("%s: [%s] handoff = “%s” must be “web” or “local”"), path, GROUP, text);
      return NULL;
    }
  g_clear_pointer (&text, g_free);

  text = read_string (file, "language");
  if (text != NULL)
    {
      g_free (self->language);
      self->language = g_steal_pointer (&text);
    }

  if (g_key_file_has_key (file, GROUP, "trusted_keys", NULL))
    {
      g_auto(GStrv) keys = g_key_file_get_string_list (file, GROUP, "trusted_keys", NULL, NULL);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
        {
          g_strstrip (keys[i]);
          if (keys[i][0] != '\0')
            g_strv_builder_add (builder, keys[i]);
        }
      g_strfreev (self->trusted_keys);
      self->trusted_keys = g_strv_builder_end (builder);
    }

  if (!read_uint (file, path, "idle_timeout", 10, 24 * 3600, &self->idle_timeout, error) ||
      !read_uint (file, path, "sync_interval", 1, 7 * 24 * 60, &self->sync_interval, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
digithek_config_get_path (DigithekConfig *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CONFIG (self), NULL);
  return self->path;
}

const char *
digithek_config_get_channel (DigithekConfig *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CONFIG (self), NULL);
  return self->channel;
}

void
digithek_config_set_channel (DigithekConfig *self,
                             const char     *channel)
{
  g_return_if_fail (DIGITHEK_IS_CONFIG (self));
  g_free (self->channel);
  self->channel = g_strdup (channel);
}

const char * const *
digithek_config_get_trusted_keys (DigithekConfig *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CONFIG (self), NULL);
  return (const char * const *) self->trusted_keys;
}

void
digithek_config_set_trusted_keys (DigithekConfig     *self,
                                  const char * const *keys)
{
  g_return_if_fail (DIGITHEK_IS_CONFIG (self));
  g_strfreev (self->trusted_keys);
  self->trusted_keys = keys != NULL ? g_strdupv ((char **) keys) : g_new0 (char *, 1);
}

guint
digithek_config_get_idle_timeout (DigithekConfig *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CONFIG (self), 0);
  return self->idle_timeout;
}

void
digithek_config_set_idle_timeout (DigithekConfig *self,
                                  guint           seconds)
{
  g_return_if_fail (DIGITHEK_IS_CONFIG (self));
  self->idle_timeout = seconds;
}

const char *
digithek_config_get_language (DigithekConfig *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CONFIG (self), NULL);
  return self->language;
}

const char *
digithek_config_get_store_path (DigithekConfig *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CONFIG (self), NULL);
  return self->store_path;
}

guint
digithek_config_get_sync_interval (DigithekConfig *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CONFIG (self), 0);
  return self->sync_interval;
}

const char *
digithek_config_get_metrics_file (DigithekConfig *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CONFIG (self), NULL);
  return self->metrics_file;
}

void
digithek_config_set_metrics_file (DigithekConfig *self,
                                  const char     *path)
{
  g_return_if_fail (DIGITHEK_IS_CONFIG (self));
  g_free (self->metrics_file);
  self->metrics_file = g_strdup (path);
}

DigithekHandoffMode
digithek_config_get_handoff_mode (DigithekConfig *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CONFIG (self), DIGITHEK_HANDOFF_MODE_WEB);
  return self->handoff_mode;
}

const char *
digithek_config_get_handoff_listen (DigithekConfig *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CONFIG (self), NULL);
  return self->handoff_listen;
}

const char *
digithek_config_get_handoff_base_url (DigithekConfig *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CONFIG (self), NULL);
  return self->handoff_base_url;
}

const char *
digithek_config_get_pin_hash (DigithekConfig *self)
{
  g_return_val_if_fail (DIGITHEK_IS_CONFIG (self), NULL);
  return self->pin_hash;
}

char *
digithek_config_default_store_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "digithek", "store.db", NULL);
}

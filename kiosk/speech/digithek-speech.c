/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "digithek-speech.h"

#include <locale.h>
#include <string.h>

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <pcaudiolib/audio.h>

/* espeak-ng keeps all of its state in globals: one engine per process, used by one
 * thread at a time. It runs in synchronous mode, handing samples to synth_cb(), which
 * either plays them (through pcaudiolib, as espeak-ng's own playback does) or collects
 * them for a WAV file. Playing from our callback rather than through espeak-ng's
 * asynchronous playback keeps every audio call on the thread that synthesises, and lets
 * the same engine render files without switching its output mode. */
static GMutex engine_lock;
static int engine_sample_rate;
static char *engine_failure;
static locale_t engine_locale;

/* Words per minute: espeak-ng's normal pace, and a slower one for easy language. */
#define RATE_NORMAL espeakRATE_NORMAL
#define RATE_EASY   130

G_DEFINE_QUARK (digithek-speech-error-quark, digithek_speech_error)

typedef struct
{
  GCancellable        *cancellable;   /* borrowed */
  GByteArray          *samples;       /* rendering: where samples go */
  struct audio_object *audio;         /* playing: where samples go */
  int                  audio_error;
} SynthJob;

static int
synth_cb (short        *wav,
          int           n_samples,
          espeak_EVENT *events)
{
  SynthJob *job = events != NULL ? events->user_data : NULL;

  if (job == NULL)
    return 0;
  /* Returning 1 makes espeak_Synth() stop at once: this is how a stop reaches a
   * synthesis in synchronous mode, where espeak_Cancel() has nothing to cancel. */
  if (g_cancellable_is_cancelled (job->cancellable))
    return 1;
  if (wav == NULL || n_samples <= 0)
    return 0;

  if (job->samples != NULL)
    g_byte_array_append (job->samples, (const guint8 *) wav, (guint) n_samples * 2);
  if (job->audio != NULL)
    {
      /* Blocks while the device's buffer is full: this paces the synthesis. */
      job->audio_error = audio_object_write (job->audio, wav, (size_t) n_samples * 2);
      if (job->audio_error != 0)
        return 1;
    }
  return 0;
}

/* Loads espeak-ng once. The first call should come from the main thread, before other
 * threads run: espeak-ng sets LC_CTYPE for the whole process while it initialises, and
 * we set it back. */
static gboolean
engine_ensure (GError **error)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_autofree char *saved_ctype = g_strdup (setlocale (LC_CTYPE, NULL));
      espeak_ng_ERROR_CONTEXT context = NULL;
      espeak_ng_STATUS status;

      espeak_ng_InitializePath (NULL);
      status = espeak_ng_Initialize (&context);
      if (status == ENS_OK)
        status = espeak_ng_InitializeOutput (ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
      if (saved_ctype != NULL)
        setlocale (LC_CTYPE, saved_ctype);

      if (status == ENS_OK)
        {
          espeak_SetSynthCallback (synth_cb);
          engine_sample_rate = espeak_ng_GetSampleRate ();
          /* espeak-ng classifies characters with the C library: in a UTF-8 locale,
           * or "ä" is not a letter. Set per thread, around each synthesis. */
          engine_locale = newlocale (LC_CTYPE_MASK, "C.UTF-8", (locale_t) 0);
        }
      else
        {
          char message[512];

          espeak_ng_GetStatusCodeMessage (status, message, sizeof message);
          engine_failure = g_strdup (message);
          espeak_ng_ClearErrorContext (&context);
        }
      g_once_init_leave (&initialized, 1);
    }

  if (engine_failure != NULL)
    {
      g_set_error (error, DIGITHEK_SPEECH_ERROR, DIGITHEK_SPEECH_ERROR_ENGINE,
                   "espeak-ng could not start: %s", engine_failure);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_language_tag (const char *language)
{
  gsize length = strlen (language);

  if (length < 2 || length > 35 || !g_ascii_isalpha (language[0]))
    return FALSE;
  for (const char *p = language; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
    }
  return TRUE;
}

/* Picks the voice and pace for a content language: "de", "en", "de-x-easy" (German,
 * slower), "en-GB" (tried whole, then as "en"). Called with engine_lock held. */
static gboolean
engine_set_language (const char  *language,
                     GError     **error)
{
  g_autofree char *base = g_strndup (language, strcspn (language, "-_"));
  gboolean easy = g_str_has_suffix (language, "-x-easy");

  /* espeak-ng reads a voice it does not know as a file under its voices folder: only a
   * language tag goes there, never a path. */
  if (!is_language_tag (language))
    {
      g_set_error (error, DIGITHEK_SPEECH_ERROR, DIGITHEK_SPEECH_ERROR_NO_VOICE,
                   "No voice for language “%s”", language);
      return FALSE;
    }
  if (espeak_ng_SetVoiceByName (language) != ENS_OK &&
      (*base == '\0' || espeak_ng_SetVoiceByName (base) != ENS_OK))
    {
      g_set_error (error, DIGITHEK_SPEECH_ERROR, DIGITHEK_SPEECH_ERROR_NO_VOICE,
                   "No voice for language “%s”", language);
      return FALSE;
    }
  espeak_ng_SetParameter (espeakRATE, easy ? RATE_EASY : RATE_NORMAL, 0);
  return TRUE;
}

/* Synthesises @text into @job's sink, on the calling thread. */
static gboolean
engine_synthesize (SynthJob    *job,
                   const char  *text,
                   const char  *language,
                   GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  espeak_ng_STATUS status;
  locale_t previous;

  if (!engine_ensure (error))
    return FALSE;

  locker = g_mutex_locker_new (&engine_lock);
  if (g_cancellable_set_error_if_cancelled (job->cancellable, error))
    return FALSE;
  if (!engine_set_language (language, error))
    return FALSE;

  previous = uselocale (engine_locale);
  status = espeak_ng_Synthesize (text, strlen (text) + 1, 0, POS_CHARACTER, 0,
                                 espeakCHARS_UTF8 | espeakENDPAUSE, NULL, job);
  uselocale (previous);

  if (g_cancellable_set_error_if_cancelled (job->cancellable, error))
    return FALSE;
  if (job->audio_error != 0)
    {
      g_set_error (error, DIGITHEK_SPEECH_ERROR, DIGITHEK_SPEECH_ERROR_NO_AUDIO,
                   "Audio output failed: %s",
                   audio_object_strerror (job->audio, job->audio_error));
      return FALSE;
    }
  if (status != ENS_OK)
    {
      char message[512];

      espeak_ng_GetStatusCodeMessage (status, message, sizeof message);
      g_set_error (error, DIGITHEK_SPEECH_ERROR, DIGITHEK_SPEECH_ERROR_FAILED,
                   "Speech synthesis failed: %s", message);
      return FALSE;
    }
  return TRUE;
}

struct _DigithekSpeech
{
  GObject       parent_instance;

  /* owned */
  char         *device;
  GCancellable *cancellable;   /* the utterance in progress, if any */
  gboolean      speaking;
};

G_DEFINE_FINAL_TYPE (DigithekSpeech, digithek_speech, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_SPEAKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_speaking (DigithekSpeech *self,
              gboolean        speaking)
{
  if (self->speaking == speaking)
    return;
  self->speaking = speaking;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEAKING]);
}

typedef struct
{
  char *text;
  char *language;
  char *device;
} SpeakData;

static void
speak_data_free (SpeakData *data)
{
  g_free (data->text);
  g_free (data->language);
  g_free (data->device);
  g_free (data);
}

static void
speak_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SpeakData *data = task_data;
  SynthJob job = { cancellable, NULL, NULL, 0 };
  GError *error = NULL;
  int rc;

  if (!engine_ensure (&error))
    {
      g_task_return_error (task, error);
      return;
    }

  job.audio = create_audio_device_object (data->device, "DigiThek", "Read-aloud");
  if (job.audio == NULL)
    {
      g_task_return_new_error (task, DIGITHEK_SPEECH_ERROR, DIGITHEK_SPEECH_ERROR_NO_AUDIO,
                               "No audio output");
      return;
    }
  rc = audio_object_open (job.audio, AUDIO_OBJECT_FORMAT_S16LE,
                          (uint32_t) engine_sample_rate, 1);
  if (rc != 0)
    {
      g_task_return_new_error (task, DIGITHEK_SPEECH_ERROR, DIGITHEK_SPEECH_ERROR_NO_AUDIO,
                               "No audio output: %s", audio_object_strerror (job.audio, rc));
      audio_object_destroy (job.audio);
      return;
    }

  if (engine_synthesize (&job, data->text, data->language, &error))
    audio_object_drain (job.audio);
  else
    /* Drops what the device still holds, so a stop is heard at once. */
    audio_object_flush (job.audio);
  audio_object_close (job.audio);
  audio_object_destroy (job.audio);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
speak_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  DigithekSpeech *self = DIGITHEK_SPEECH (object);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_message ("Read-aloud unavailable: %s", error->message);
      g_signal_emit (self, signals[FAILED], 0, error);
    }

  /* A stopped utterance finishing late must not end the one that replaced it. */
  if (g_task_get_cancellable (G_TASK (result)) == self->cancellable)
    {
      g_clear_object (&self->cancellable);
      set_speaking (self, FALSE);
    }
}

/**
 * digithek_speech_speak:
 * @self: a #DigithekSpeech
 * @text: the text to read, plain UTF-8
 * @language: a content language: "de", "en", "de-x-easy"…
 *
 * Stops what is being read and starts reading @text, on a worker thread. #DigithekSpeech:speaking
 * is %TRUE until the text has been played, stopped, or found unplayable (no audio
 * device, no voice), which is logged with g_message() and is not an error for the
 * caller: a kiosk without speakers simply stays silent.
 */
void
digithek_speech_speak (DigithekSpeech *self,
                       const char     *text,
                       const char     *language)
{
  g_autoptr(GTask) task = NULL;
  SpeakData *data;

  g_return_if_fail (DIGITHEK_IS_SPEECH (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (language != NULL);

  digithek_speech_stop (self);
  /* espeak-ng initialises here, on the caller's (main) thread: see engine_ensure(). */
  engine_ensure (NULL);

  self->cancellable = g_cancellable_new ();
  data = g_new0 (SpeakData, 1);
  data->text = g_utf8_make_valid (text, -1);
  data->language = g_strdup (language);
  data->device = g_strdup (self->device);

  task = g_task_new (self, self->cancellable, speak_done_cb, NULL);
  g_task_set_source_tag (task, digithek_speech_speak);
  g_task_set_task_data (task, data, (GDestroyNotify) speak_data_free);
  set_speaking (self, TRUE);
  g_task_run_in_thread (task, speak_thread);
}

/**
 * digithek_speech_stop:
 * @self: a #DigithekSpeech
 *
 * Stops reading now: the synthesis ends at its next block of samples (a fraction of a
 * second) and the device's buffer is dropped. #DigithekSpeech:speaking turns %FALSE
 * at once. Call it on navigation and on session reset.
 */
void
digithek_speech_stop (DigithekSpeech *self)
{
  g_return_if_fail (DIGITHEK_IS_SPEECH (self));

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  set_speaking (self, FALSE);
}

gboolean
digithek_speech_get_speaking (DigithekSpeech *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SPEECH (self), FALSE);

  return self->speaking;
}

const char *
digithek_speech_get_device (DigithekSpeech *self)
{
  g_return_val_if_fail (DIGITHEK_IS_SPEECH (self), NULL);

  return self->device;
}

static void
put_le16 (GByteArray *bytes,
          guint16     value)
{
  guint16 le = GUINT16_TO_LE (value);

  g_byte_array_append (bytes, (const guint8 *) &le, 2);
}

static void
put_le32 (GByteArray *bytes,
          guint32     value)
{
  guint32 le = GUINT32_TO_LE (value);

  g_byte_array_append (bytes, (const guint8 *) &le, 4);
}

/**
 * digithek_speech_render_wav:
 * @text: the text to read, plain UTF-8
 * @language: a content language, as for digithek_speech_speak()
 * @path: the WAV file to write (replaced atomically)
 * @error: return location for a #DIGITHEK_SPEECH_ERROR or #G_FILE_ERROR
 *
 * Synthesises @text into a 16-bit mono PCM WAV file at espeak-ng's sample rate, on the
 * calling thread; waits while another utterance is being synthesised.
 *
 * Returns: %TRUE when the file was written
 */
gboolean
digithek_speech_render_wav (const char  *text,
                            const char  *language,
                            const char  *path,
                            GError     **error)
{
  g_autoptr(GByteArray) samples = g_byte_array_new ();
  g_autoptr(GByteArray) wav = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *valid = NULL;
  SynthJob job = { NULL, NULL, NULL, 0 };

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (language != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  valid = g_utf8_make_valid (text, -1);
  job.cancellable = cancellable;
  job.samples = samples;
  if (!engine_synthesize (&job, valid, language, error))
    return FALSE;

  wav = g_byte_array_sized_new (44 + samples->len);
  g_byte_array_append (wav, (const guint8 *) "RIFF", 4);
  put_le32 (wav, 36 + samples->len);
  g_byte_array_append (wav, (const guint8 *) "WAVEfmt ", 8);
  put_le32 (wav, 16);                                  /* fmt chunk size */
  put_le16 (wav, 1);                                   /* PCM */
  put_le16 (wav, 1);                                   /* mono */
  put_le32 (wav, (guint32) engine_sample_rate);
  put_le32 (wav, (guint32) engine_sample_rate * 2);    /* bytes per second */
  put_le16 (wav, 2);                                   /* bytes per frame */
  put_le16 (wav, 16);                                  /* bits per sample */
  g_byte_array_append (wav, (const guint8 *) "data", 4);
  put_le32 (wav, samples->len);
  g_byte_array_append (wav, samples->data, samples->len);

  return g_file_set_contents (path, (const char *) wav->data, wav->len, error);
}

/* GObject */

/**
 * digithek_speech_new:
 * @device: (nullable): the audio device, see #DigithekSpeech:device; %NULL for the
 *   system's default
 *
 * Returns: (transfer full): a new #DigithekSpeech, silent until told to speak
 */
DigithekSpeech *
digithek_speech_new (const char *device)
{
  return g_object_new (DIGITHEK_TYPE_SPEECH, "device", device, NULL);
}

static void
digithek_speech_dispose (GObject *object)
{
  DigithekSpeech *self = DIGITHEK_SPEECH (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (digithek_speech_parent_class)->dispose (object);
}

static void
digithek_speech_finalize (GObject *object)
{
  DigithekSpeech *self = DIGITHEK_SPEECH (object);

  g_free (self->device);

  G_OBJECT_CLASS (digithek_speech_parent_class)->finalize (object);
}

static void
digithek_speech_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DigithekSpeech *self = DIGITHEK_SPEECH (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_string (value, self->device);
      break;
    case PROP_SPEAKING:
      g_value_set_boolean (value, self->speaking);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_speech_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DigithekSpeech *self = DIGITHEK_SPEECH (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      self->device = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
digithek_speech_class_init (DigithekSpeechClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = digithek_speech_dispose;
  object_class->finalize = digithek_speech_finalize;
  object_class->get_property = digithek_speech_get_property;
  object_class->set_property = digithek_speech_set_property;

  /**
   * DigithekSpeech:device:
   *
   * The audio device to play on, as pcaudiolib names it (an ALSA PCM such as "null"
   * or "hw:0", or a PulseAudio sink), or %NULL for the system's default.
   */
  properties[PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * DigithekSpeech:speaking:
   *
   * Whether a text is being read aloud; for the read-aloud button's state.
   */
  properties[PROP_SPEAKING] =
    g_param_spec_boolean ("speaking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DigithekSpeech::failed:
   * @error: why: no audio device, no voice, the engine
   *
   * A text could not be read (a stop is not a failure), so a view can say so.
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
digithek_speech_init (DigithekSpeech *self)
{
}

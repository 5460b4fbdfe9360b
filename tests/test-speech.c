/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "digithek-speech.h"
#include "digithek-test-util.h"

#define TEXT_DE "Willkommen in der DigiThek. Hier messen Radfahrende die Überholabstände " \
                "auf der Straße."
#define TEXT_EN "Welcome to the DigiThek. Cyclists measure how closely cars overtake them."

typedef struct
{
  guint         rate;
  guint         n_samples;
  double        rms;
  double        peak;
} WavInfo;

/* Reads the 16-bit mono PCM WAV that digithek_speech_render_wav() writes, checking its
 * header as any player would. */
static WavInfo
read_wav (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *p;
  gsize length = 0;
  guint32 data_size;
  double sum = 0;
  WavInfo info = { 0, 0, 0, 0 };

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 44);
  p = (const guint8 *) contents;
  g_assert_cmpmem (p, 4, "RIFF", 4);
  g_assert_cmpuint (GUINT32_FROM_LE (*(guint32 *) (p + 4)), ==, length - 8);
  g_assert_cmpmem (p + 8, 8, "WAVEfmt ", 8);
  g_assert_cmpuint (GUINT16_FROM_LE (*(guint16 *) (p + 20)), ==, 1);    /* PCM */
  g_assert_cmpuint (GUINT16_FROM_LE (*(guint16 *) (p + 22)), ==, 1);    /* mono */
  info.rate = GUINT32_FROM_LE (*(guint32 *) (p + 24));
  g_assert_cmpuint (GUINT16_FROM_LE (*(guint16 *) (p + 34)), ==, 16);
  g_assert_cmpmem (p + 36, 4, "data", 4);
  data_size = GUINT32_FROM_LE (*(guint32 *) (p + 40));
  g_assert_cmpuint (data_size, ==, length - 44);

  info.n_samples = data_size / 2;
  for (guint i = 0; i < info.n_samples; i++)
    {
      gint16 s = (gint16) GUINT16_FROM_LE (*(guint16 *) (p + 44 + 2 * i));
      double v = s / 32768.0;

      sum += v * v;
      info.peak = MAX (info.peak, ABS (v));
    }
  if (info.n_samples > 0)
    info.rms = sqrt (sum / info.n_samples);
  return info;
}

static double
duration (WavInfo info)
{
  return (double) info.n_samples / info.rate;
}

static WavInfo
render (const char *text,
        const char *language)
{
  g_autofree char *dir = dt_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "speech.wav", NULL);
  g_autoptr(GError) error = NULL;
  WavInfo info;

  g_assert_true (digithek_speech_render_wav (text, language, path, &error));
  g_assert_no_error (error);
  info = read_wav (path);
  dt_remove_tree (dir);
  return info;
}

static void
test_speech_render_de (void)
{
  WavInfo info = render (TEXT_DE, "de");

  g_assert_cmpuint (info.rate, >=, 8000);
  g_assert_cmpfloat (duration (info), >, 0.5);
  /* Speech, not silence: a clear peak and some energy. */
  g_assert_cmpfloat (info.peak, >, 0.1);
  g_assert_cmpfloat (info.rms, >, 0.01);
}

static void
test_speech_render_en (void)
{
  WavInfo info = render (TEXT_EN, "en");

  g_assert_cmpfloat (duration (info), >, 0.5);
  g_assert_cmpfloat (info.peak, >, 0.1);
  g_assert_cmpfloat (info.rms, >, 0.01);
}

static void
test_speech_render_easy (void)
{
  WavInfo normal = render (TEXT_DE, "de");
  WavInfo easy = render (TEXT_DE, "de-x-easy");
  WavInfo regional = render (TEXT_DE, "de-DE");

  /* Easy German is read with the German voice, more slowly. */
  g_assert_cmpfloat (duration (easy), >, duration (normal) * 1.15);
  g_assert_cmpfloat (easy.rms, >, 0.01);
  g_assert_cmpfloat (ABS (duration (regional) - duration (normal)), <, 0.05);
}

static void
test_speech_render_errors (void)
{
  g_autofree char *dir = dt_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "speech.wav", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "speech.wav", NULL);
  g_autoptr(GError) error = NULL;
  WavInfo info;

  g_assert_false (digithek_speech_render_wav (TEXT_DE, "xx-klingonisch", path, &error));
  g_assert_error (error, DIGITHEK_SPEECH_ERROR, DIGITHEK_SPEECH_ERROR_NO_VOICE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_false (digithek_speech_render_wav (TEXT_DE, "../../voices/de", path, &error));
  g_assert_error (error, DIGITHEK_SPEECH_ERROR, DIGITHEK_SPEECH_ERROR_NO_VOICE);
  g_clear_error (&error);
  g_assert_false (digithek_speech_render_wav (TEXT_DE, "", path, &error));
  g_assert_error (error, DIGITHEK_SPEECH_ERROR, DIGITHEK_SPEECH_ERROR_NO_VOICE);
  g_clear_error (&error);

  g_assert_false (digithek_speech_render_wav (TEXT_DE, "de", missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  /* Nothing to say is a valid, empty file; and text that is not UTF-8 is read as far
   * as it goes rather than refused. */
  g_assert_true (digithek_speech_render_wav ("", "de", path, &error));
  g_assert_no_error (error);
  info = read_wav (path);
  g_assert_cmpfloat (duration (info), <, 0.5);
  g_assert_true (digithek_speech_render_wav ("Stra\xdf" "e und Haus", "de", path, &error));
  g_assert_no_error (error);
  info = read_wav (path);
  g_assert_cmpfloat (duration (info), >, 0.5);

  dt_remove_tree (dir);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *fired = user_data;

  *fired = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate_for (guint ms)
{
  gboolean fired = FALSE;

  g_timeout_add (ms, timeout_cb, &fired);
  while (!fired)
    g_main_context_iteration (NULL, TRUE);
}

/* Waits until @speech is finalized, that is until its worker has returned; fails after
 * @limit_ms. Returns how long it took. */
static gint64
wait_finalized (DigithekSpeech *speech,
                guint           limit_ms)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + limit_ms * G_TIME_SPAN_MILLISECOND;

  g_object_add_weak_pointer (G_OBJECT (speech), (gpointer *) &speech);
  g_object_unref (speech);
  while (speech != NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return g_get_monotonic_time () - start;
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* The ALSA "null" device takes samples as a sound card would, and discards them: the
 * whole playback path runs on a machine without speakers. */
static void
test_speech_speak_to_end (void)
{
  DigithekSpeech *speech = digithek_speech_new ("null");
  guint notifies = 0;
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  g_signal_connect (speech, "notify::speaking", G_CALLBACK (notify_count_cb), &notifies);
  g_assert_false (digithek_speech_get_speaking (speech));
  g_assert_cmpstr (digithek_speech_get_device (speech), ==, "null");

  digithek_speech_speak (speech, "Hallo.", "de");
  g_assert_true (digithek_speech_get_speaking (speech));
  g_assert_cmpuint (notifies, ==, 1);
  while (digithek_speech_get_speaking (speech))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (notifies, ==, 2);

  wait_finalized (speech, 5000);
}

static void
test_speech_stop (void)
{
  DigithekSpeech *speech = digithek_speech_new ("null");
  g_autoptr(GString) long_text = g_string_new (NULL);
  gint64 took;

  /* Long enough to take seconds to synthesise, on any machine. */
  for (guint i = 0; i < 400; i++)
    g_string_append (long_text, TEXT_DE " ");

  digithek_speech_speak (speech, long_text->str, "de");
  iterate_for (200);
  g_assert_true (digithek_speech_get_speaking (speech));

  /* A second text replaces the first: still speaking, one worker stopped. */
  digithek_speech_speak (speech, long_text->str, "en");
  iterate_for (100);
  g_assert_true (digithek_speech_get_speaking (speech));

  digithek_speech_stop (speech);
  g_assert_false (digithek_speech_get_speaking (speech));
  digithek_speech_stop (speech);

  took = wait_finalized (speech, 5000);
  g_test_message ("stopped after %" G_GINT64_FORMAT " ms", took / 1000);
  g_assert_cmpint (took, <, 2 * G_TIME_SPAN_SECOND);
}

/* No such device: the kiosk stays silent and says so in the log, never crashes. */
static void
test_speech_no_device (void)
{
  DigithekSpeech *speech = digithek_speech_new ("digithek-no-such-device");
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_test_expect_message ("digithek-kiosk", G_LOG_LEVEL_MESSAGE, "Read-aloud unavailable: *");
  digithek_speech_speak (speech, TEXT_DE, "de");
  while (digithek_speech_get_speaking (speech))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_test_assert_expected_messages ();
  wait_finalized (speech, 5000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/speech/render-de", test_speech_render_de);
  g_test_add_func ("/kiosk/speech/render-en", test_speech_render_en);
  g_test_add_func ("/kiosk/speech/render-easy", test_speech_render_easy);
  g_test_add_func ("/kiosk/speech/render-errors", test_speech_render_errors);
  g_test_add_func ("/kiosk/speech/speak-to-end", test_speech_speak_to_end);
  g_test_add_func ("/kiosk/speech/stop", test_speech_stop);
  g_test_add_func ("/kiosk/speech/no-device", test_speech_no_device);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Read-aloud with espeak-ng, offline: one utterance at a time, synthesised and played
 * off the main thread, stoppable at once. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DIGITHEK_SPEECH_ERROR (digithek_speech_error_quark ())

typedef enum
{
  DIGITHEK_SPEECH_ERROR_ENGINE,     /* espeak-ng or its data could not be loaded */
  DIGITHEK_SPEECH_ERROR_NO_VOICE,   /* no voice for the language */
  DIGITHEK_SPEECH_ERROR_NO_AUDIO,   /* no audio device to play on */
  DIGITHEK_SPEECH_ERROR_FAILED,     /* synthesis or writing the file failed */
} DigithekSpeechError;

GQuark digithek_speech_error_quark (void);

#define DIGITHEK_TYPE_SPEECH (digithek_speech_get_type ())

G_DECLARE_FINAL_TYPE (DigithekSpeech, digithek_speech, DIGITHEK, SPEECH, GObject)

DigithekSpeech *digithek_speech_new          (const char      *device);
void            digithek_speech_speak        (DigithekSpeech  *self,
                                              const char      *text,
                                              const char      *language);
void            digithek_speech_stop         (DigithekSpeech  *self);
gboolean        digithek_speech_get_speaking (DigithekSpeech  *self);
const char     *digithek_speech_get_device   (DigithekSpeech  *self);

/* Signal "failed" (const GError *error): a text could not be read (no audio device,
 * no voice); a stop is not a failure. */

gboolean        digithek_speech_render_wav   (const char      *text,
                                              const char      *language,
                                              const char      *path,
                                              GError         **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DIGITHEK_TYPE_APPLICATION (digithek_application_get_type ())
G_DECLARE_FINAL_TYPE (DigithekApplication, digithek_application, DIGITHEK, APPLICATION,
                      AdwApplication)

/* The kiosk, with id org.digithek.Kiosk; one instance per session bus. */
DigithekApplication *digithek_application_new (void);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <locale.h>

#include "digithek-application.h"
#include "digithek-i18n.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(DigithekApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* Before any thread: it forgets $LANGUAGE. The window picks the UI language. */
  digithek_i18n_init ();

  app = digithek_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

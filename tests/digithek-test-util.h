/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small helpers shared by the tests that drive the programs from outside. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A fresh folder under the temp dir; remove it with dt_remove_tree(). */
char    *dt_make_tmp_dir (void);
void     dt_remove_tree  (const char *path);
/* Writes @text to @dir/@relative, creating folders on the way. */
void     dt_write_file   (const char *dir,
                          const char *relative,
                          const char *text);

/* Runs a built program (env DIGITHEK_BIN / DIGITHEK_PACK_BIN) with the NULL-terminated
 * arguments, waits, and returns its exit status; stdout and stderr are captured. */
int      dt_run_tool     (char      **out_stdout,
                          char      **out_stderr,
                          ...) G_GNUC_NULL_TERMINATED;
int      dt_run_kiosk    (char      **out_stdout,
                          char      **out_stderr,
                          ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS

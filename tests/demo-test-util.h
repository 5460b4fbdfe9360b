/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stores filled with the bundled demo packs ($DEMO_DIR), for the UI tests. */
#pragma once

#include "digithek-store.h"

G_BEGIN_DECLS

/* Imports the pack folder @path into @store; any problem fails the test. */
void dt_import_pack_dir   (DigithekStore *store,
                           const char    *path);
/* Imports every demo pack. */
void dt_import_demo_packs (DigithekStore *store);

G_END_DECLS

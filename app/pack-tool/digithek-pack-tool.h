/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes of the staff tool (a contract, see DESIGN.md). */
enum
{
  DIGITHEK_PACK_TOOL_OK = 0,
  DIGITHEK_PACK_TOOL_INPUT_WRONG = 1,
  DIGITHEK_PACK_TOOL_USAGE = 2,
};

/* Each subcommand gets argv with argv[0] being the subcommand's name. */
int digithek_pack_tool_init     (int argc, char **argv);
int digithek_pack_tool_validate (int argc, char **argv);
int digithek_pack_tool_keygen   (int argc, char **argv);
int digithek_pack_tool_publish  (int argc, char **argv);
int digithek_pack_tool_ckan     (int argc, char **argv);

G_END_DECLS

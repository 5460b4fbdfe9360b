/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The key policy of `--kiosk`, without widgets: which key presses the lockdown of the
 * window (ui/window/digithek-lockdown.c) swallows before any widget sees them. Key
 * values are X11/GDK keysyms and @state GDK modifier bits, passed as plain integers so
 * that this layer needs no GTK; the lockdown checks at build time that the values it
 * relies on are GDK's.
 */

/* GDK's modifier bits (GdkModifierType), as the policy reads them. */
#define DIGITHEK_KEY_SHIFT_MASK   (1u << 0)
#define DIGITHEK_KEY_CONTROL_MASK (1u << 2)
#define DIGITHEK_KEY_ALT_MASK     (1u << 3)
#define DIGITHEK_KEY_SUPER_MASK   (1u << 26)
#define DIGITHEK_KEY_HYPER_MASK   (1u << 27)
#define DIGITHEK_KEY_META_MASK    (1u << 28)

/* The keysyms the policy names (GDK_KEY_… with the same values). */
#define DIGITHEK_KEY_Pause            0xff13u
#define DIGITHEK_KEY_Sys_Req          0xff15u
#define DIGITHEK_KEY_Print            0xff61u
#define DIGITHEK_KEY_Execute          0xff62u
#define DIGITHEK_KEY_Undo             0xff65u
#define DIGITHEK_KEY_Redo             0xff66u
#define DIGITHEK_KEY_Menu             0xff67u
#define DIGITHEK_KEY_Find             0xff68u
#define DIGITHEK_KEY_Cancel           0xff69u
#define DIGITHEK_KEY_Help             0xff6au
#define DIGITHEK_KEY_Break            0xff6bu
#define DIGITHEK_KEY_Num_Lock         0xff7fu
#define DIGITHEK_KEY_F1               0xffbeu
#define DIGITHEK_KEY_F35              0xffe0u
#define DIGITHEK_KEY_Shift_L          0xffe1u
#define DIGITHEK_KEY_Shift_R          0xffe2u
#define DIGITHEK_KEY_Control_L        0xffe3u
#define DIGITHEK_KEY_Control_R        0xffe4u
#define DIGITHEK_KEY_Caps_Lock        0xffe5u
#define DIGITHEK_KEY_Meta_L           0xffe7u
#define DIGITHEK_KEY_Meta_R           0xffe8u
#define DIGITHEK_KEY_Alt_L            0xffe9u
#define DIGITHEK_KEY_Alt_R            0xffeau
#define DIGITHEK_KEY_Super_L          0xffebu
#define DIGITHEK_KEY_Super_R          0xffecu
#define DIGITHEK_KEY_Hyper_L          0xffedu
#define DIGITHEK_KEY_Hyper_R          0xffeeu
#define DIGITHEK_KEY_ISO_Level3_Shift 0xfe03u
#define DIGITHEK_KEY_Terminate_Server 0xfed5u
#define DIGITHEK_KEY_Switch_VT_1      0x1008fe01u
#define DIGITHEK_KEY_Switch_VT_12     0x1008fe0cu

/**
 * digithek_key_policy_is_blocked:
 * @keyval: the key, as GDK names it
 * @state: the modifiers held (GdkModifierType bits)
 *
 * %TRUE for any key with Control, Alt, Super, Hyper or Meta held, every function key,
 * Menu, Print, the Super/Hyper/Meta keys themselves and other keys that reach system
 * functions; %FALSE for what typing into a search field and moving through the kiosk
 * need (letters, digits, punctuation with or without Shift, space, Backspace, Delete,
 * Return, Tab, arrows, Home/End, Page Up/Down, Escape).
 */
gboolean digithek_key_policy_is_blocked (guint keyval,
                                         guint state);

G_END_DECLS

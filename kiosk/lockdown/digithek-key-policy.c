/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "digithek-key-policy.h"

/* Modifiers a citizen never needs: everything with them is a shortcut. AltGr (Mod5 or
 * ISO_Level3) stays allowed: German keyboards type @, € and | with it. */
#define BLOCKED_MODIFIERS (DIGITHEK_KEY_CONTROL_MASK | DIGITHEK_KEY_ALT_MASK | \
                           DIGITHEK_KEY_SUPER_MASK | DIGITHEK_KEY_HYPER_MASK | \
                           DIGITHEK_KEY_META_MASK)

gboolean
digithek_key_policy_is_blocked (guint keyval,
                                guint state)
{
  switch (keyval)
    {
    /* The modifiers themselves pass, so that the next key is seen with them held. */
    case DIGITHEK_KEY_Shift_L:
    case DIGITHEK_KEY_Shift_R:
    case DIGITHEK_KEY_Control_L:
    case DIGITHEK_KEY_Control_R:
    case DIGITHEK_KEY_Alt_L:
    case DIGITHEK_KEY_Alt_R:
    case DIGITHEK_KEY_ISO_Level3_Shift:
    case DIGITHEK_KEY_Caps_Lock:
    case DIGITHEK_KEY_Num_Lock:
      return FALSE;

    case DIGITHEK_KEY_Super_L:
    case DIGITHEK_KEY_Super_R:
    case DIGITHEK_KEY_Hyper_L:
    case DIGITHEK_KEY_Hyper_R:
    case DIGITHEK_KEY_Meta_L:
    case DIGITHEK_KEY_Meta_R:
    case DIGITHEK_KEY_Menu:
    case DIGITHEK_KEY_Print:
    case DIGITHEK_KEY_Sys_Req:
    case DIGITHEK_KEY_Break:
    case DIGITHEK_KEY_Pause:
    case DIGITHEK_KEY_Help:
    case DIGITHEK_KEY_Execute:
    case DIGITHEK_KEY_Terminate_Server:
    case DIGITHEK_KEY_Cancel:
    case DIGITHEK_KEY_Undo:
    case DIGITHEK_KEY_Redo:
    case DIGITHEK_KEY_Find:
      return TRUE;

    default:
      break;
    }

  if (state & BLOCKED_MODIFIERS)
    return TRUE;
  /* F1 (help), F10 (menu), F11 (fullscreen), Shift+F10 (context menu), and the rest. */
  if (keyval >= DIGITHEK_KEY_F1 && keyval <= DIGITHEK_KEY_F35)
    return TRUE;
  /* Switching virtual terminals and the like. */
  if (keyval >= DIGITHEK_KEY_Switch_VT_1 && keyval <= DIGITHEK_KEY_Switch_VT_12)
    return TRUE;
  /* Multimedia and launcher keys (XF86Calculator, XF86WWW, XF86Mail, XF86Explorer…). */
  if (keyval >= 0x1008FF00 && keyval <= 0x1008FFFF)
    return TRUE;
  return FALSE;
}

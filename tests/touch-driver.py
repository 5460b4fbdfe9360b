#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Real touch for test-touch.sh: drives mutter's RemoteDesktop D-Bus API, whose virtual
touchscreen gives the kiosk genuine wl_touch events (GdkTouchEvents), and reads the
screen through a linked ScreenCast stream (PipeWire) and the kiosk's accessibility tree.

Reads one command a line on stdin and answers each with one line, "ok ..." or
"error ...", so that the shell test can go step by step within one remote-desktop
session (mutter drops the virtual devices when the session ends):

  warmup X Y              a tap where nothing reacts: mutter announces its touchscreen to
                          clients with the first touch, which they miss
  tap X Y                 touch down and up
  longpress X Y MS        touch down, hold, up
  swipe X1 Y1 X2 Y2 MS    one finger from one point to another in MS milliseconds
  pinch CX CY D1 D2 MS    two fingers about a centre, from D1 to D2 pixels apart
  pointer X Y             move the mouse pointer
  shot FILE               a PNG of the screen, the pointer drawn in
  find [--role R] REGEX   "ok X Y W H" of the first accessible of the kiosk on screen whose
                          name matches (and role is R, "-" for " ", e.g. push-button), in
                          window coordinates (the kiosk is fullscreen)
  text [--role R] REGEX   "ok NAME|DESCRIPTION" of that accessible
  sleep SECONDS
"""

import re
import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, Gio, GLib  # noqa: E402

RD = "org.gnome.Mutter.RemoteDesktop"
SC = "org.gnome.Mutter.ScreenCast"
STEP = 0.016  # one finger update per frame at 60 Hz

bus = Gio.bus_get_sync(Gio.BusType.SESSION)


def call(dest, path, iface, method, args=None, reply=None):
    return bus.call_sync(dest, path, iface, method, args,
                         GLib.VariantType(reply) if reply else None,
                         Gio.DBusCallFlags.NONE, 10000, None)


session = call(RD, "/org/gnome/Mutter/RemoteDesktop", RD, "CreateSession", None, "(o)")[0]
session_id = call(RD, session, "org.freedesktop.DBus.Properties", "Get",
                  GLib.Variant("(ss)", (RD + ".Session", "SessionId")), "(v)")[0]
cast = call(SC, "/org/gnome/Mutter/ScreenCast", SC, "CreateSession",
            GLib.Variant("(a{sv})", ({"remote-desktop-session-id": GLib.Variant("s", session_id)},)),
            "(o)")[0]
# cursor-mode 1: the pointer drawn into the frames, so a test can see it hide.
stream = call(SC, cast, SC + ".Session", "RecordMonitor",
              GLib.Variant("(sa{sv})", ("", {"cursor-mode": GLib.Variant("u", 1)})), "(o)")[0]
node = []
bus.signal_subscribe(None, SC + ".Stream", "PipeWireStreamAdded", stream, None,
                     Gio.DBusSignalFlags.NONE,
                     lambda c, s, p, i, n, params: node.append(params[0]))
call(RD, session, RD + ".Session", "Start")
deadline = time.monotonic() + 10
context = GLib.MainContext.default()
while not node and time.monotonic() < deadline:
    context.iteration(False)
    time.sleep(0.01)
if not node:
    print("error no PipeWire stream from mutter", flush=True)
    sys.exit(1)


def notify(method, signature, *args):
    call(RD, session, RD + ".Session", method, GLib.Variant(signature, args))


def down(slot, x, y):
    notify("NotifyTouchDown", "(sudd)", stream, slot, float(x), float(y))


def motion(slot, x, y):
    notify("NotifyTouchMotion", "(sudd)", stream, slot, float(x), float(y))


def up(slot):
    notify("NotifyTouchUp", "(u)", slot)


def glide(ms, fingers):
    """fingers: [(slot, x1, y1, x2, y2)]; all move together, one update per frame."""
    steps = max(2, int(ms / 1000 / STEP))
    for i in range(1, steps + 1):
        t = i / steps
        for slot, x1, y1, x2, y2 in fingers:
            motion(slot, x1 + (x2 - x1) * t, y1 + (y2 - y1) * t)
        time.sleep(STEP)


def kiosk_app():
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is not None and (app.get_name() or "").startswith("digithek"):
            return app
    return None


def find(pattern, role=None):
    regex = re.compile(pattern)
    app = kiosk_app()
    if app is None:
        return None
    todo = [app]
    while todo:
        node_ = todo.pop(0)
        try:
            name = node_.get_name() or ""
            states = node_.get_state_set()
            role_name = node_.get_role_name()
        except GLib.Error:
            continue
        # GTK 4.8 sets no SHOWING state: an unmapped widget (a hidden stack page's)
        # has an empty box instead.
        if (regex.search(name) and states.contains(Atspi.StateType.VISIBLE) and
                (role is None or role_name == role)):
            box = node_.get_extents(Atspi.CoordType.WINDOW)
            if box.width > 0 and box.height > 0:
                return node_
        for i in range(node_.get_child_count()):
            child = node_.get_child_at_index(i)
            if child is not None:
                todo.append(child)
    return None


def run(words):
    cmd, args = words[0], words[1:]
    if cmd == "warmup":
        x, y = map(float, args)
        down(9, x, y)
        time.sleep(0.05)
        up(9)
        time.sleep(1.0)
    elif cmd == "tap":
        x, y = map(float, args)
        down(0, x, y)
        time.sleep(0.06)
        up(0)
    elif cmd == "longpress":
        x, y, ms = map(float, args)
        down(0, x, y)
        time.sleep(ms / 1000)
        up(0)
    elif cmd == "swipe":
        x1, y1, x2, y2, ms = map(float, args)
        down(0, x1, y1)
        glide(ms, [(0, x1, y1, x2, y2)])
        up(0)
    elif cmd == "pinch":
        cx, cy, d1, d2, ms = map(float, args)
        down(0, cx - d1 / 2, cy)
        down(1, cx + d1 / 2, cy)
        time.sleep(STEP)
        glide(ms, [(0, cx - d1 / 2, cy, cx - d2 / 2, cy), (1, cx + d1 / 2, cy, cx + d2 / 2, cy)])
        up(0)
        up(1)
    elif cmd == "sleep":
        time.sleep(float(args[0]))
    elif cmd == "pointer":
        x, y = map(float, args)
        notify("NotifyPointerMotionAbsolute", "(sdd)", stream, x, y)
    elif cmd == "shot":
        subprocess.run(["gst-launch-1.0", "-q", "pipewiresrc", "path=%d" % node[0],
                        "num-buffers=1", "!", "videoconvert", "!", "pngenc", "!",
                        "filesink", "location=" + args[0]],
                       check=True, timeout=30, stdout=subprocess.DEVNULL)
    elif cmd in ("find", "text"):
        role = None
        if args[0] == "--role":
            role, args = args[1].replace("-", " "), args[2:]
        accessible = find(" ".join(args), role)
        if accessible is None:
            return "error nothing on screen matches " + " ".join(args)
        if cmd == "text":
            return "ok %s|%s" % (accessible.get_name() or "", accessible.get_description() or "")
        box = accessible.get_extents(Atspi.CoordType.WINDOW)
        return "ok %d %d %d %d" % (box.x, box.y, box.width, box.height)
    else:
        return "error unknown command " + cmd
    return "ok"


print("ok ready", flush=True)
for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    try:
        answer = run(words)
    except Exception as e:  # an answer, not a traceback: the shell test reports it
        answer = "error %s: %s" % (type(e).__name__, e)
    print(answer.replace("\n", " "), flush=True)

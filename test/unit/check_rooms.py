#!/usr/bin/python3
"""check_rooms.py: the rooms of lib/ and drivers/ hold (suite unit, test
"rooms"; doc/design.md).

A room is a folder listed in evf_room_dirs of the top-level meson.build; its
meson.build declares room_uses, the rooms whose headers its files may
include. This checks, from the sources alone:

 1. every room_uses names a room, and the declared graph has no cycle;
 2. every quoted #include in a room's files names a header of the room
    itself or of a room it declares (meson compiles each room with exactly
    those include directories; this says which line is wrong, and covers
    headers, which meson never compiles alone);
 3. the graph of actual includes between rooms has no cycle either;
 4. a private header (one not named evf_*.h) is included only from its own
    room, never from another room, app/ or drivers/;
 5. a data-path file (lib/dp/*, or named *_dp.c / *_dp.h) never reaches a
    control header, directly or through other headers: a header named
    *_ctl.h, or any header of the rooms ctl (except evf_rcu.h and
    evf_chan.h, the workers' side of RCU and of their channels), route,
    ring and runtime.

Exit 0 when all hold; else 1 with one line per violation.
"""
import os
import re
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), "..", ".."))
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
CONTROL_ROOMS = {"ctl", "route", "ring", "runtime"}
WORKER_SIDE_OF_CTL = {"evf_rcu.h", "evf_chan.h"}


def room_dirs():
    text = open(os.path.join(ROOT, "meson.build")).read()
    m = re.search(r"evf_room_dirs\s*=\s*\[(.*?)\]", text, re.S)
    if not m:
        sys.exit("check_rooms: no evf_room_dirs in meson.build")
    return re.findall(r"'([^']+)'", m.group(1))


def room_name(d):
    parts = d.split("/")
    return ("drv-" + parts[1]) if parts[0] == "drivers" else parts[1]


def declared_uses(d):
    text = open(os.path.join(ROOT, d, "meson.build")).read()
    m = re.search(r"room_uses\s*=\s*\[(.*?)\]", text, re.S)
    if not m:
        return None
    return re.findall(r"'([^']+)'", m.group(1))


def sources(d):
    full = os.path.join(ROOT, d)
    return sorted(f for f in os.listdir(full) if f.endswith((".c", ".h")))


def includes(path):
    with open(path, errors="replace") as fh:
        return INCLUDE.findall(fh.read())


def find_cycle(graph):
    """A list of nodes forming a cycle, or None (iterative DFS)."""
    state = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(graph.get(start, ()))))]
        path = [start]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(sorted(graph.get(nxt, ())))))
    return None


def is_data_path(rel):
    base = os.path.basename(rel)
    return rel.startswith("lib/dp/") or base.endswith(("_dp.c", "_dp.h"))


def main():
    errors = []
    dirs = room_dirs()
    rooms = {room_name(d): d for d in dirs}
    header_room = {}          # header file name -> room
    for name, d in rooms.items():
        for f in sources(d):
            if f.endswith(".h"):
                if f in header_room:
                    errors.append("header %s is in two rooms: %s and %s" % (f, header_room[f], name))
                header_room[f] = name
    header_room.setdefault("evf_xdp_object.h", "drv-xdp")   # generated in the build tree

    uses = {}
    for name, d in rooms.items():
        u = declared_uses(d)
        if u is None:
            errors.append("%s/meson.build: no room_uses" % d)
            u = []
        for x in u:
            if x not in rooms:
                errors.append("%s/meson.build: room_uses names %s, not a room" % (d, x))
        uses[name] = set(x for x in u if x in rooms)
    cyc = find_cycle(uses)
    if cyc:
        errors.append("declared rooms form a cycle: " + " -> ".join(cyc))

    actual = {name: set() for name in rooms}
    header_deps = {}          # header -> headers it includes (project headers only)
    for name, d in rooms.items():
        for f in sources(d):
            rel = d + "/" + f
            incs = includes(os.path.join(ROOT, rel))
            if f.endswith(".h"):
                header_deps[f] = [h for h in incs if h in header_room]
            for h in incs:
                target = header_room.get(os.path.basename(h))
                if target is None:
                    continue          # not a project header
                if target != name:
                    actual[name].add(target)
                    if target not in uses[name]:
                        errors.append("%s: includes %s of room %s, which %s does not declare"
                                      % (rel, h, target, name))
                    if not h.startswith("evf_"):
                        errors.append("%s: includes %s, private to room %s" % (rel, h, target))
    cyc = find_cycle(actual)
    if cyc:
        errors.append("includes between rooms form a cycle: " + " -> ".join(cyc))

    # private headers from app/ (and from drivers/ outside their room: covered above)
    for top in ("app",):
        for dp, _, files in os.walk(os.path.join(ROOT, top)):
            for f in files:
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(dp, f)
                for h in includes(path):
                    target = header_room.get(os.path.basename(h))
                    if target and not os.path.basename(h).startswith("evf_"):
                        errors.append("%s: includes %s, private to room %s"
                                      % (os.path.relpath(path, ROOT), h, target))

    def control_header(h):
        room = header_room.get(h)
        if h.endswith("_ctl.h"):
            return True
        if room in CONTROL_ROOMS and not (room == "ctl" and h in WORKER_SIDE_OF_CTL):
            return True
        return False

    def reach(h, seen):
        for x in header_deps.get(h, ()):
            if x not in seen:
                seen.add(x)
                reach(x, seen)
        return seen

    for name, d in rooms.items():
        for f in sources(d):
            rel = d + "/" + f
            if not is_data_path(rel):
                continue
            for h in includes(os.path.join(ROOT, rel)):
                h = os.path.basename(h)
                if h not in header_room:
                    continue
                for x in sorted({h} | reach(h, set())):
                    if control_header(x):
                        via = "" if x == h else " (through %s)" % h
                        errors.append("%s: data-path file reaches control header %s%s"
                                      % (rel, x, via))
    for e in errors:
        print("check_rooms: " + e)
    print("check_rooms: %d rooms, %d header files, %d violation(s)"
          % (len(rooms), len(header_room), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""lagshow.py: tolerant parsers for evfwd's `show lacp`, `show lag` and
`show port stats all` output (doc/lag.md specifies their content loosely).

What is assumed (see SAMPLE_LACP / SAMPLE_LAG / EVF_LACP below; "python3
lagshow.py" checks the parsers against them):

* Per LAG, one or more heading lines that name the LAG (e.g. "LAG lag1: ..."),
  then evfwd's usual table (app/evfwd/show/table.c: a header line, a line of
  dashes, one row per member, columns separated by two or more spaces). The
  FIRST column is the member's port name (its header may be Member, Port,
  Interface, ...). A member may have rows in several tables (`show lacp`: the
  SR Linux-like table, then a detail table); their columns are merged, the
  first table's value winning. A line between two lines of dashes is a title
  (SR Linux's "LACP State for lag1" banner), not a table header. Column
  order and widths do not matter; header names are matched
  case-insensitively with '-', '_', '/', ' ' ignored, through the aliases in
  FIELDS. Cells must not contain two consecutive spaces.
* A per-member block layout is accepted too: a line "Member m1" (or
  "member m1:", "Port m1"), followed by indented "Name: value" or
  "Name : value" lines.
* Booleans: yes/no, true/false, y/n, 1/0, on/off. The actor state byte: 0x3f,
  3f or 63. SR Linux's State cell "IN_SYNC/True/True/True" (synchronization/
  aggregatable/collecting/distributing, OUT_SYNC when not in sync) gives the
  actor flags, even under a header that would otherwise name the state byte;
  Selected "standby" is false. System ids: the first xx:xx:xx:xx:xx:xx in
  the cell (so "11,00:00:00:00:00:11" or "00:00:00:00:00:11/11" work too).
* LAG-level values in the heading lines, as "word VALUE", "word: VALUE" or
  "word=VALUE": oper (or state/status) up|down, mode, min-links, tx-hash,
  management, interval, system, priority.
"""
import re

MAC_RE = re.compile(r"[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}")

# field -> regexes over normalized header names (lowercase, only [a-z0-9])
FIELDS = {
    "oper": [r"^oper(state|status)?$", r"^portstate$", r"^status$"],
    "link": [r"^link(state)?$"],
    "activity": [r"^(actor)?activity$", r"^(lacp)?mode$"],
    "timeout": [r"^(actor)?timeout$", r"^(lacp)?(interval|rate|period)$"],
    "sync": [r"^(actor)?(in)?sync(hronized)?$"],
    "collecting": [r"^(actor)?coll(ecting)?$"],
    "distributing": [r"^(actor)?dist(ributing|rib)?$"],
    "flags": [r"^(actor)?(in)?sync\w*coll\w*dist\w*$", r"^(actor)?flags$"],
    "state_byte": [r"^(actor)?state(byte|bits|hex)?$", r"^(actor)?st(ate)?$", r"^(actor)?statebyte$"],
    "system": [r"^(actor)?(sys|system)(id|mac)?$"],
    "key": [r"^(actor)?(oper)?key$"],
    "port_number": [r"^(actor)?port(num|number|no|nr|id)?$"],
    "partner_system": [r"^partner(sys|system)?(id|mac)?$"],
    "partner_key": [r"^partner(oper)?key$"],
    "partner_port": [r"^partnerport(num|number|no|nr|id)?$"],
    "partner_state": [r"^partnerstate(byte)?$"],
    "mux": [r"^mux(state)?$"],
    "rx": [r"^(rx|receive|recv)(state|machine)?$"],
    "selected": [r"^sel(ected|ection)?$"],
    "buckets": [r"^buckets?(held)?$", r"^hashbuckets?$"],
    "lacpdu_in": [r"^lacpdus?in$", r"^(lacp)?pdus?in$", r"^lacpdurx$"],
    "lacpdu_out": [r"^lacpdus?out$", r"^(lacp)?pdus?out$", r"^lacpdutx$"],
    "marker_in": [r"^markers?in$"],
    "marker_resp_out": [r"^markers?resp(onses?)?out$"],
    "unknown": [r"^unknown$"],
    "illegal": [r"^illegal$"],
    "timeouts": [r"^timeouts$"],
    "partner_changes": [r"^partnerchanges$"],
}

SYNC_WORDS = {"in_sync": True, "insync": True, "sync": True, "out_sync": False,
              "out_of_sync": False, "outofsync": False, "outsync": False}
TRUE = {"yes", "true", "y", "1", "on"}
FALSE = {"no", "false", "n", "0", "off", "-", "standby"}   # standby: selected? not yet


def norm(h):
    return re.sub(r"[^a-z0-9]", "", h.lower())


def _field_of(header):
    n = norm(header)
    for field, pats in FIELDS.items():
        if any(re.match(p, n) for p in pats):
            return field
    return None


def parse_bool(v, what="value"):
    t = str(v).strip().lower()
    if t in TRUE:
        return True
    if t in FALSE:
        return False
    raise AssertionError("%s: %r is not a boolean (yes/no, true/false, 1/0)" % (what, v))


def parse_state_byte(v, what="state byte"):
    t = str(v).strip().lower()
    m = re.match(r"^(?:0x)?([0-9a-f]{2})$", t)
    if m and (t.startswith("0x") or re.search(r"[a-f]", t) or len(t) == 2):
        return int(m.group(1), 16)
    if re.match(r"^\d{1,3}$", t) and int(t) < 256:
        return int(t)
    raise AssertionError("%s: %r is not a state byte (0x3f)" % (what, v))


def parse_mac(v, what="system id"):
    m = MAC_RE.search(str(v))
    if not m:
        raise AssertionError("%s: no MAC in %r" % (what, v))
    return m.group(0).lower()


def _split_cols(header):
    """Column names and start positions of a table header (2+ spaces between)."""
    return ([m.group(0) for m in re.finditer(r"\S+(?: \S+)*", header)],
            [m.start() for m in re.finditer(r"\S+(?: \S+)*", header)])


def _is_rule(line):
    return bool(line.strip()) and set(line.strip()) == {"-"}


def _tables(lines):
    """[(heading lines before the table, header names, [row cells...])]"""
    out = []
    i, heading = 0, []
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and _is_rule(lines[i + 1]) and line.strip() and \
                not _is_rule(line) and not (i > 0 and _is_rule(lines[i - 1])):
            names, pos = _split_cols(line)
            rows = []
            j = i + 2
            while j < len(lines) and lines[j].strip() and not set(lines[j].strip()) == {"-"}:
                row = lines[j]
                # next table's header? (a line followed by dashes)
                if j + 1 < len(lines) and lines[j + 1].strip() and \
                        set(lines[j + 1].strip()) == {"-"}:
                    break
                cells = []
                for k in range(len(names)):
                    end = pos[k + 1] if k + 1 < len(pos) else None
                    cells.append(row[pos[k]:end].strip() if end else row[pos[k]:].strip())
                # a cell wider than its header shifts nothing (table.c pads every
                # column to its widest cell), but check the split agrees with 2+ spaces
                toks = re.split(r"\s{2,}", row.strip())
                if len(toks) == len(names):
                    cells = toks
                rows.append(cells)
                j += 1
            out.append((heading, names, rows))
            heading = []
            i = j
            continue
        heading.append(line)
        i += 1
    return out


def _blocks(lines, members):
    """Per-member 'Name: value' blocks -> {member: {header: value}}"""
    out, cur = {}, None
    for line in lines:
        m = re.match(r"^\s*(?:member|port|interface)?\s*([A-Za-z0-9_.-]+)\s*:?\s*(\(.*\))?$",
                     line, re.I)
        if m and m.group(1) in members:
            cur = out.setdefault(m.group(1), {})
            continue
        m = re.match(r"^\s+([A-Za-z][\w /.-]*?)\s*:\s*(.*?)\s*$", line)
        if m and cur is not None:
            cur[m.group(1)] = m.group(2)
        elif not line.startswith((" ", "\t")):
            cur = None
    return out


def _sync_flags(v):
    """(in_sync, collecting, distributing) of an SR Linux State cell
    ("IN_SYNC/True/True/True": synchronization/aggregatable/collecting/
    distributing), else None."""
    parts = [p.strip() for p in str(v).split("/")]
    if len(parts) != 4 or parts[0].lower() not in SYNC_WORDS or \
            not all(p.lower() in TRUE | FALSE for p in parts[1:]):
        return None
    return (SYNC_WORDS[parts[0].lower()], parse_bool(parts[2]), parse_bool(parts[3]))


class MemberRow(dict):
    """{field: raw text} of one member, plus the raw {header: text}."""

    def __init__(self, name, raw, context):
        super().__init__()
        self.name, self.raw, self.context = name, raw, context
        for h, v in raw.items():
            f = _field_of(h)
            if f == "state_byte" and _sync_flags(v) is not None:
                f = "flags"
            if f is not None and f not in self:
                self[f] = v

    def _need(self, field):
        if field not in self:
            raise AssertionError("member %s: no %s column/field (headers: %s)\n%s"
                                 % (self.name, field, list(self.raw), self.context))
        return self[field]

    def text(self, field):
        return self._need(field).strip()

    def flag(self, field):
        return parse_bool(self._need(field), "%s %s" % (self.name, field))

    def num(self, field):
        v = self._need(field).strip()
        if not re.match(r"^\d+$", v):
            raise AssertionError("member %s %s: %r is not a number" % (self.name, field, v))
        return int(v)

    def mac(self, field):
        return parse_mac(self._need(field), "member %s %s" % (self.name, field))

    def actor_flags(self):
        """(in_sync, collecting, distributing) from the boolean columns and the state
        byte; when both are there they must agree."""
        got = {}
        if all(f in self for f in ("sync", "collecting", "distributing")):
            got["booleans"] = tuple(self.flag(f) for f in ("sync", "collecting", "distributing"))
        elif "flags" in self:
            parts = re.split(r"[/,| ]+", self["flags"].strip())
            if _sync_flags(self["flags"]) is not None:
                got["booleans"] = _sync_flags(self["flags"])
            elif len(parts) == 3 and all(p.lower() in TRUE | FALSE for p in parts):
                got["booleans"] = tuple(parse_bool(p) for p in parts)
            else:
                low = self["flags"].lower()
                got["booleans"] = ("sync" in low and "!sync" not in low and "-sync" not in low,
                                   "coll" in low, "dist" in low)
        if "state_byte" in self:
            b = parse_state_byte(self["state_byte"], "member %s state byte" % self.name)
            got["byte"] = (bool(b & 0x08), bool(b & 0x10), bool(b & 0x20))
        if not got:
            raise AssertionError("member %s: neither IN_SYNC/collecting/distributing nor a state "
                                 "byte (headers: %s)\n%s" % (self.name, list(self.raw),
                                                             self.context))
        if len(got) == 2 and got["booleans"] != got["byte"]:
            raise AssertionError("member %s: flags %s disagree with state byte %s"
                                 % (self.name, self.get("flags") or got["booleans"],
                                    self["state_byte"]))
        return got.get("booleans", got.get("byte"))


def parse_members(lines, members, what):
    """{member: MemberRow} from a show output (tables or blocks) for the given member
    names; every member must be found."""
    context = "---- %s ----\n%s" % (what, "\n".join(lines))
    raws = {}
    for heading, names, rows in _tables(lines):
        for cells in rows:
            if cells and cells[0] in members:
                raw = raws.setdefault(cells[0], {})
                for h, v in zip(names[1:], cells[1:]):
                    raw.setdefault(h, v)
    found = {m: MemberRow(m, raw, context) for m, raw in raws.items()}
    if len(found) < len(members):
        for m, raw in _blocks(lines, members).items():
            if m not in found and raw:
                found[m] = MemberRow(m, raw, context)
    missing = [m for m in members if m not in found]
    if missing:
        raise AssertionError("%s: no row for member(s) %s\n%s" % (what, missing, context))
    return found


def lag_values(lines, lag):
    """LAG-level values from the heading lines: {'oper': 'up', 'mode': 'lacp', ...}."""
    text = []
    in_lag = False
    for heading, names, rows in _tables(lines) or [(lines, [], [])]:
        for h in heading:
            if re.search(r"\b%s\b" % re.escape(lag), h):
                in_lag = True
            if in_lag:
                text.append(h)
    if not text:
        text = [l for l in lines if not set(l.strip()) <= {"-"}][:6]
    joined = " ".join(text)
    out = {}
    m = re.search(r"\b%s\b\s*[:,]\s*(up|down)\b" % re.escape(lag), joined, re.I)
    if m:
        out["oper"] = m.group(1).lower()
    for key, pat in (("oper", r"(?:oper(?:ational)?(?:[ -]state)?|state|status)"),
                     ("mode", r"mode"), ("min-links", r"min[ -]?links"),
                     ("tx-hash", r"tx[ -]?hash"), ("management", r"management(?:[ -]member)?"),
                     ("interval", r"interval"), ("system", r"system(?:[ -]id)?"),
                     ("priority", r"(?:system[ -])?priority"), ("key", r"key")):
        m = re.search(r"\b%s\b\s*[:=]?\s*([^\s,;()]+)" % pat, joined, re.I)
        if m and key not in out:
            out[key] = m.group(1).strip().lower()
    return out


def port_stats(lines):
    """'show port stats all' -> {port: {'rx': n, 'tx': n, 'link': .., 'dropped': n}}"""
    out = {}
    for heading, names, rows in _tables(lines):
        if not names or norm(names[0]) != "port":
            continue
        idx = {norm(n): k for k, n in enumerate(names)}
        if "rxpackets" not in idx or "txpackets" not in idx:
            continue
        for cells in rows:
            try:
                out[cells[0]] = {"rx": int(cells[idx["rxpackets"]]),
                                 "tx": int(cells[idx["txpackets"]]),
                                 "dropped": int(cells[idx["dropped"]]) if "dropped" in idx else 0,
                                 "link": cells[idx["link"]] if "link" in idx else None}
            except (ValueError, IndexError):
                raise AssertionError("show port stats: bad row %r (headers %s)" % (cells, names))
    if not out:
        raise AssertionError("show port stats: no port table in:\n%s" % "\n".join(lines))
    return out


def drops(lines):
    """'show drops' -> {reason: packets}"""
    out = {}
    for heading, names, rows in _tables(lines):
        if names and norm(names[0]) == "reason":
            for cells in rows:
                if len(cells) > 1 and cells[1].isdigit():
                    out[cells[0]] = int(cells[1])
    return out


# ------------------------------------------------------- the assumed format --

SAMPLE_LACP = """\
LAG lag1: mode lacp, interval fast, activity active, system 00:00:00:00:00:11, priority 11, key 11
Member  Oper  Activity  Timeout  Sync  Collecting  Distributing  State  System             Key  Partner            Partner-key  Port  Partner-port  Mux           Receive
------------------------------------------------------------------------------------------------------------------------------------------------------------------------------
m1      up    active    fast     yes   yes         yes           0x3f   00:00:00:00:00:11  11   02:00:00:00:0a:01  1            1     1             DISTRIBUTING  CURRENT
m2      down  active    fast     no    no          no            0x47   00:00:00:00:00:11  11   00:00:00:00:00:00  0            2     0             DETACHED      PORT_DISABLED
"""

SAMPLE_LAG = """\
LAG lag1: oper up, mode lacp, min-links 1, tx-hash l34, management m1
Member  Link  Selected  Mux           Distributing  Buckets  LACPDU-in  LACPDU-out  Marker-in  Marker-resp-out  Unknown  Illegal
---------------------------------------------------------------------------------------------------------------------------------
m1      up    yes       DISTRIBUTING  yes           256      25         26          0          0                0        0
m2      down  no        DETACHED      no            0        12         14          0          0                0        0
"""

# `show lacp` of app/evfwd/show/show_lag.c (captured from evfwd: lag1 with a
# partner on m2 only, lag2 static): SR Linux's lacp-state table, then a detail
# table per LAG
EVF_LACP = """\
----------------------------------------------------------------------------------------------------
LACP State for lag1
----------------------------------------------------------------------------------------------------
Lag Id         : lag1
Interval       : SLOW
Mode           : ACTIVE
System Id      : 00:00:00:00:00:11
System Priority: 11
Members  Oper state  Activity  Timeout  State                      System Id          Oper key  Partner Id         Partner Key  Port No  Partner Port No
--------------------------------------------------------------------------------------------------------------------------------------------------------
m1       up          ACTIVE    LONG     OUT_SYNC/True/False/False  00:00:00:00:00:11  11        00:00:00:00:00:00  0            1        0
m2       up          ACTIVE    LONG     IN_SYNC/True/True/True     00:00:00:00:00:11  11        00:C1:AB:00:00:11  22           2        1

Detail: aggregator partner 00:C1:AB:00:00:11, key 22, priority 22
Member  Actor state  Partner state  Selected  Mux           Receive
---------------------------------------------------------------------
m1      0x45         0x04           no        detached      defaulted
m2      0x3d         0x3d           yes       distributing  current

----------------------------------------------------------------------------------------------------
LACP State for lag2
----------------------------------------------------------------------------------------------------
Lag Id         : lag2
Mode           : STATIC (no LACP)
"""

# the earlier layout (one table, In sync / Collecting / Distributing columns)
OLD_LACP = """\
LACP state for lag1
  Lag Id         : lag1
  Interval       : FAST
  Mode           : ACTIVE
  System Id      : 00:00:00:00:00:11
  System Priority: 11
  Aggregator     : partner 02:00:00:00:0a:01, key 1, priority 100
Member  Oper state  Activity  Timeout  In sync  Collecting  Distributing  State  System Id          Oper key  Partner Id         Partner key  Port No  Partner Port No  Mux           Receive
--------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------
m1      up          ACTIVE    SHORT    True     True        True          0x3f   00:00:00:00:00:11  11        02:00:00:00:0a:01  1            1        1                distributing  current
m2      up          ACTIVE    SHORT    False    False       False         0x47   00:00:00:00:00:11  11        02:00:00:00:0a:01  1            2        2                attached      defaulted

"""

DRAFT_LAG = """\
LAG lag1: up, mode lacp, min-links 1, tx-hash l34, 1 of 2 member(s) distributing
  Management member: m1 (up), 1 MAC(s)
Member  Link  Selected  Mux           Collecting  Distributing  Buckets  LACPDU-in  LACPDU-out  Marker-in  Marker-resp-out  Unknown  Illegal  Timeouts  Partner-changes
---------------------------------------------------------------------------------------------------------------------------------------------------------------------
m1      up    yes       distributing  yes         yes           256      25         26          0          0                0        0        0         1
m2      up    no        attached      no          no            0        12         14          0          0                0        0        1         1

"""

SAMPLE_BLOCKS = """\
LAG lag1 (mode lacp, interval fast), oper up
  Member m1
    Oper state       : up
    Actor state      : 0x3f
    IN_SYNC/collecting/distributing : yes/yes/yes
    Partner system   : 32768,02:00:00:00:0a:01
    Partner key      : 1
    Mux state        : DISTRIBUTING
  Member m2
    Oper state       : up
    Actor state      : 0x07
    IN_SYNC/collecting/distributing : no/no/no
    Partner system   : 32768,02:00:00:00:0a:01
    Partner key      : 1
    Mux state        : WAITING
"""


def _selfcheck():
    m = parse_members(SAMPLE_LACP.splitlines(), ["m1", "m2"], "show lacp")
    assert m["m1"].actor_flags() == (True, True, True), m["m1"]
    assert m["m2"].actor_flags() == (False, False, False)
    assert m["m1"].mac("partner_system") == "02:00:00:00:0a:01"
    assert m["m1"].num("partner_key") == 1 and m["m1"].num("key") == 11
    assert m["m1"].mac("system") == "00:00:00:00:00:11"
    assert m["m2"].num("port_number") == 2 and m["m1"].num("partner_port") == 1
    assert m["m1"].text("mux").upper() == "DISTRIBUTING" and m["m1"].text("rx") == "CURRENT"
    assert m["m1"].text("oper") == "up" and m["m1"].text("timeout") == "fast"
    v = lag_values(SAMPLE_LACP.splitlines(), "lag1")
    assert v["interval"] == "fast" and v["system"] == "00:00:00:00:00:11", v
    g = parse_members(SAMPLE_LAG.splitlines(), ["m1", "m2"], "show lag")
    assert g["m1"].flag("distributing") and not g["m2"].flag("distributing")
    assert g["m1"].num("buckets") == 256 and g["m2"].num("lacpdu_out") == 14
    assert g["m1"].flag("selected") and g["m1"].text("link") == "up"
    v = lag_values(SAMPLE_LAG.splitlines(), "lag1")
    assert v == {"oper": "up", "mode": "lacp", "min-links": "1", "tx-hash": "l34",
                 "management": "m1"}, v
    b = parse_members(SAMPLE_BLOCKS.splitlines(), ["m1", "m2"], "show lacp (blocks)")
    assert b["m1"].actor_flags() == (True, True, True)
    assert b["m2"].actor_flags() == (False, False, False)
    assert b["m1"].mac("partner_system") == "02:00:00:00:0a:01"
    assert b["m2"].text("mux") == "WAITING"
    assert lag_values(SAMPLE_BLOCKS.splitlines(), "lag1")["oper"] == "up"
    d = parse_members(OLD_LACP.splitlines(), ["m1", "m2"], "show lacp (old layout)")
    assert d["m1"].actor_flags() == (True, True, True)
    assert d["m2"].actor_flags() == (False, False, False)
    assert d["m1"].mac("partner_system") == "02:00:00:00:0a:01" and d["m1"].num("key") == 11
    assert d["m2"].num("port_number") == 2 and d["m2"].num("partner_port") == 2
    assert d["m1"].num("partner_key") == 1 and d["m1"].mac("system") == "00:00:00:00:00:11"
    assert d["m1"].text("mux") == "distributing" and d["m2"].text("rx") == "defaulted"
    assert d["m1"].text("oper") == "up" and d["m1"].text("timeout") == "SHORT"
    v = lag_values(OLD_LACP.splitlines(), "lag1")
    assert v["interval"] == "fast" and v["system"] == "00:00:00:00:00:11", v
    g = parse_members(DRAFT_LAG.splitlines(), ["m1", "m2"], "show lag (draft)")
    assert g["m1"].flag("distributing") and not g["m2"].flag("collecting")
    assert g["m1"].num("buckets") == 256 and g["m2"].num("timeouts") == 1
    assert g["m2"].num("lacpdu_out") == 14 and g["m1"].num("partner_changes") == 1
    v = lag_values(DRAFT_LAG.splitlines(), "lag1")
    assert v["oper"] == "up" and v["tx-hash"] == "l34" and v["management"] == "m1", v
    e = parse_members(EVF_LACP.splitlines(), ["m1", "m2"], "show lacp (evfwd)")
    assert e["m1"].actor_flags() == (False, False, False), e["m1"]
    assert e["m2"].actor_flags() == (True, True, True), e["m2"]
    assert parse_state_byte(e["m2"]["state_byte"]) == 0x3d, e["m2"]
    assert parse_state_byte(e["m1"]["state_byte"]) == 0x45, e["m1"]
    assert e["m2"].mac("partner_system") == "00:c1:ab:00:00:11"
    assert e["m1"].mac("partner_system") == "00:00:00:00:00:00"
    assert e["m2"].mac("system") == "00:00:00:00:00:11" and e["m2"].num("key") == 11
    assert e["m2"].num("partner_key") == 22 and e["m1"].num("partner_key") == 0
    assert e["m1"].num("port_number") == 1 and e["m2"].num("port_number") == 2
    assert e["m2"].num("partner_port") == 1 and e["m1"].num("partner_port") == 0
    assert e["m2"].text("mux") == "distributing" and e["m2"].text("rx") == "current"
    assert e["m1"].text("mux") == "detached" and e["m1"].text("rx") == "defaulted"
    assert e["m2"].text("partner_state") == "0x3d" and e["m1"].text("partner_state") == "0x04"
    assert e["m1"].text("oper") == "up" and e["m2"].text("timeout") == "LONG"
    assert e["m2"].text("activity") == "ACTIVE" and e["m2"].flag("selected")
    assert e["m2"].raw["State"] == "IN_SYNC/True/True/True", e["m2"].raw
    v = lag_values(EVF_LACP.splitlines(), "lag1")
    assert v["interval"] == "slow" and v["system"] == "00:00:00:00:00:11", v
    assert v["priority"] == "11", v
    bad = EVF_LACP.replace("IN_SYNC/True/True/True", "IN_SYNC/True/True/False", 1)
    try:
        parse_members(bad.splitlines(), ["m2"], "show lacp")["m2"].actor_flags()
    except AssertionError:
        pass
    else:
        raise AssertionError("State cell / state byte disagreement not detected")
    bad = SAMPLE_LACP.replace("0x3f", "0x07", 1)
    try:
        parse_members(bad.splitlines(), ["m1", "m2"], "show lacp")["m1"].actor_flags()
    except AssertionError:
        pass
    else:
        raise AssertionError("flags/state byte disagreement not detected")
    print("lagshow: parsers agree with the sample outputs")


if __name__ == "__main__":
    _selfcheck()

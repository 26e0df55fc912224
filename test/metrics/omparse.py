#!/usr/bin/python3
"""omparse.py: a strict parser of the Prometheus text format 0.0.4 and of
OpenMetrics 1.0.0 text, for the metrics tests (suite "metrics"; run by the
test process, no thread of evfwd).

parse(text, openmetrics) checks what a scraper relies on and raises
FormatError naming the line otherwise:

- every line ends with a newline; no blank line; OpenMetrics ends with
  exactly one "# EOF" and nothing after it;
- every sample belongs to a family declared by a "# TYPE" line before it,
  and a family's samples are contiguous (never declared twice);
- metric and label names are valid ([a-zA-Z_:][a-zA-Z0-9_:]*,
  [a-zA-Z_][a-zA-Z0-9_]*), no label twice in one sample;
- label values are double-quoted with only \\\\, \\" and \\n as escapes;
- HELP text escapes only \\\\ and \\n (OpenMetrics also \\");
- a sample's name is its family's with the suffix its type allows
  (OpenMetrics: counter NAME_total, gauge NAME, info NAME_info with value 1;
  Prometheus text: the family is named as its samples, counters end _total);
- values are numbers (NaN, +Inf, -Inf allowed), counters never negative;
- no sample (name and labels) twice.

Returns {sample name: {frozenset of (label, value): float}} and the
families {family name: type}.
"""
import math
import re

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
PROM_TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}
OM_TYPES = {"counter", "gauge", "info", "stateset", "histogram", "gaugehistogram", "summary",
            "unknown"}


class FormatError(AssertionError):
    pass


def _unescape(s, i, allowed, lineno, what):
    """Read a value up to its closing quote from s[i:]; (text, index after the quote)."""
    out = []
    while i < len(s):
        c = s[i]
        if c == '"':
            return "".join(out), i + 1
        if c == "\\":
            if i + 1 >= len(s) or s[i + 1] not in allowed:
                raise FormatError("line %d: bad escape in %s: %r" % (lineno, what, s[i:i + 2]))
            out.append({"\\": "\\", '"': '"', "n": "\n"}[s[i + 1]])
            i += 2
            continue
        if c == "\n":
            raise FormatError("line %d: raw newline in %s" % (lineno, what))
        out.append(c)
        i += 1
    raise FormatError("line %d: %s not closed" % (lineno, what))


def _labels(s, i, lineno):
    """Parse {k="v",...} starting at s[i] == '{'; (dict, index after '}')."""
    labels = {}
    i += 1
    if i < len(s) and s[i] == "}":
        return labels, i + 1
    while True:
        m = LABEL.match(s, i)
        if not m:
            raise FormatError("line %d: bad label name at %r" % (lineno, s[i:i + 20]))
        k = m.group(0)
        i = m.end()
        if s[i:i + 2] != '="':
            raise FormatError("line %d: label %s not followed by =\"" % (lineno, k))
        v, i = _unescape(s, i + 2, '\\"n', lineno, "label %s" % k)
        if k in labels:
            raise FormatError("line %d: label %s twice" % (lineno, k))
        labels[k] = v
        if i < len(s) and s[i] == ",":
            i += 1
            continue
        if i < len(s) and s[i] == "}":
            return labels, i + 1
        raise FormatError("line %d: expected , or } after label %s" % (lineno, k))


def _value(text, lineno):
    if text in ("NaN", "+Inf", "-Inf", "Inf"):
        return float(text.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", text):
        raise FormatError("line %d: bad value %r" % (lineno, text))
    return float(text)


def _family_of(sample, fam, ftype, om):
    """True when sample is a valid sample name of family fam of type ftype."""
    if om:
        suffixes = {"counter": ("_total", "_created"), "gauge": ("",), "info": ("_info",),
                    "unknown": ("",), "stateset": ("",),
                    "histogram": ("_bucket", "_count", "_sum", "_created"),
                    "gaugehistogram": ("_bucket", "_gcount", "_gsum"),
                    "summary": ("", "_count", "_sum", "_created")}[ftype]
    else:
        suffixes = {"histogram": ("_bucket", "_count", "_sum"),
                    "summary": ("", "_count", "_sum")}.get(ftype, ("",))
    return any(sample == fam + suf for suf in suffixes)


def parse(text, openmetrics):
    if not text.endswith("\n"):
        raise FormatError("the exposition does not end with a newline")
    lines = text[:-1].split("\n")
    if openmetrics:
        if lines[-1] != "# EOF":
            raise FormatError("OpenMetrics exposition does not end with # EOF (last line %r)"
                              % lines[-1])
        if lines.count("# EOF") != 1:
            raise FormatError("# EOF more than once")
        lines = lines[:-1]
    samples, families, helps = {}, {}, set()
    cur = None
    for n, line in enumerate(lines, 1):
        if line == "":
            raise FormatError("line %d: blank line" % n)
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) < 3 or parts[0] != "#" or parts[1] not in ("HELP", "TYPE", "UNIT"):
                if openmetrics:
                    raise FormatError("line %d: comment that is no HELP/TYPE/UNIT: %r" % (n, line))
                continue
            kind, fam = parts[1], parts[2]
            if not NAME.fullmatch(fam):
                raise FormatError("line %d: bad family name %r" % (n, fam))
            if kind == "HELP":
                h = parts[3] if len(parts) > 3 else ""
                for m in re.finditer(r"\\(.?)", h):
                    if m.group(1) not in (("\\", "n", '"') if openmetrics else ("\\", "n")):
                        raise FormatError("line %d: bad escape in HELP: %r" % (n, m.group(0)))
                if fam in helps:
                    raise FormatError("line %d: HELP for %s twice" % (n, fam))
                helps.add(fam)
                continue
            if kind == "TYPE":
                t = parts[3] if len(parts) > 3 else ""
                if t not in (OM_TYPES if openmetrics else PROM_TYPES):
                    raise FormatError("line %d: bad type %r" % (n, t))
                if fam in families:
                    raise FormatError("line %d: family %s declared twice" % (n, fam))
                families[fam] = t
                cur = (fam, t)
            continue
        m = NAME.match(line)
        if not m:
            raise FormatError("line %d: bad sample name: %r" % (n, line))
        name, i = m.group(0), m.end()
        labels = {}
        if i < len(line) and line[i] == "{":
            labels, i = _labels(line, i, n)
        if i >= len(line) or line[i] != " ":
            raise FormatError("line %d: no space before the value: %r" % (n, line))
        rest = line[i + 1:].split(" ")
        if len(rest) > 2 or rest[0] == "":
            raise FormatError("line %d: bad value part %r" % (n, line[i + 1:]))
        v = _value(rest[0], n)
        if cur is None or not _family_of(name, cur[0], cur[1], openmetrics):
            raise FormatError("line %d: sample %s outside its family's block (no # TYPE for it, "
                              "or under %s)" % (n, name, cur[0] if cur else "none"))
        if cur[1] == "counter" and (v < 0 or math.isnan(v)):
            raise FormatError("line %d: counter %s is %r" % (n, name, v))
        if not openmetrics and cur[1] == "counter" and not name.endswith("_total"):
            raise FormatError("line %d: counter %s does not end in _total" % (n, name))
        if openmetrics and cur[1] == "info" and v != 1:
            raise FormatError("line %d: info %s is %r, not 1" % (n, name, v))
        key = frozenset(labels.items())
        per = samples.setdefault(name, {})
        if key in per:
            raise FormatError("line %d: sample %s%r twice" % (n, name, sorted(labels.items())))
        per[key] = v
    return samples, families


def value(samples, name, **labels):
    """The value of one sample; AssertionError when it is missing."""
    per = samples.get(name)
    if per is None:
        raise AssertionError("no sample named %s" % name)
    key = frozenset(labels.items())
    if key not in per:
        raise AssertionError("no sample %s with labels %r (has %r)"
                             % (name, labels, [dict(k) for k in list(per)[:8]]))
    return per[key]


if __name__ == "__main__":
    import sys
    data = sys.stdin.read()
    s, f = parse(data, "# EOF" in data)
    print("%d families, %d samples" % (len(f), sum(len(v) for v in s.values())))

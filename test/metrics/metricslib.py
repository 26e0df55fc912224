#!/usr/bin/python3
"""metricslib.py: shared pieces of the metrics tests (suite "metrics"; the
test process only).

- free_port(): a TCP port on 127.0.0.1 nobody listens on now;
- metrics_yaml(): the config's metrics section;
- curl(): one request with curl (the scraper the tests use, as an operator
  would), returning (HTTP status, headers, body, seconds);
- Scraper: scrape() parses the exposition with omparse (Prometheus text or
  OpenMetrics) and checks its content type.
"""
import os
import shutil
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
sys.path.insert(0, os.path.join(_HERE, "..", "cli"))
import clilib as C  # noqa: E402
import omparse as P  # noqa: E402

E = C.E
CURL = shutil.which("curl")
if CURL is None:
    E._die("curl not found (scripts/setup-deps.sh test installs it)")

PROM_TYPE = "text/plain; version=0.0.4; charset=utf-8"
OM_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8"
OM_ACCEPT = "application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5"


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def metrics_yaml(port, max_conns=None, timeout=None):
    y = "metrics:\n  listen: 127.0.0.1:%d\n" % port
    if max_conns is not None:
        y += "  max-connections: %d\n" % max_conns
    if timeout is not None:
        y += "  request-timeout: %d\n" % timeout
    return y


def curl(url, *args, timeout=20):
    """(status, {header lower-case: value}, body, seconds); status 0 when
    curl got no answer (connection refused or reset)."""
    t = time.monotonic()
    p = subprocess.run([CURL, "-sS", "-D", "-", "--max-time", str(timeout)] + list(args) + [url],
                       capture_output=True, timeout=timeout + 10)
    dt = time.monotonic() - t
    if p.returncode != 0:
        return 0, {}, p.stderr.decode(errors="replace"), dt
    raw = p.stdout
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for h in lines[1:]:
        k, _, v = h.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, body.decode("utf-8"), dt


class Scraper:
    def __init__(self, port):
        self.url = "http://127.0.0.1:%d/metrics" % port
        self.times = []

    def scrape(self, openmetrics=False):
        """(samples, families) of one scrape, checked."""
        args = ["-H", "Accept: " + OM_ACCEPT] if openmetrics else []
        status, headers, body, dt = curl(self.url, *args)
        if status != 200:
            raise AssertionError("scrape of %s: status %d: %s" % (self.url, status, body[:500]))
        want = OM_TYPE if openmetrics else PROM_TYPE
        if headers.get("content-type") != want:
            raise AssertionError("content type %r, expected %r" % (headers.get("content-type"),
                                                                    want))
        self.times.append(dt)
        return P.parse(body, openmetrics)

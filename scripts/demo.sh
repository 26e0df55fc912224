#!/usr/bin/env bash
# demo.sh: install what is missing, build, generate demo traffic, and run
# evfwd on conf/demo.yaml with virtual devices only, then show its tables.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh demo
scripts/build.sh
mkdir -p build/demo
/usr/bin/python3 scripts/demo_traffic.py build/demo
exec build/app/evfwd --no-huge --in-memory --no-pci -l 0-1 --log-level=lib.eal:error -- \
	--config conf/demo.yaml --cmdline-file conf/demo.cmds

#!/usr/bin/env bash
# setup-deps.sh: install the Debian 12 packages evfwd needs, only those missing.
#   scripts/setup-deps.sh build   -> compilers (C; C++ for the ABI header check), meson, DPDK, libbpf, libyaml, CUnit,
#                                    libedit (evfwd-cli), jansson (JSON output of the show commands),
#                                    libmicrohttpd (the OpenMetrics endpoint),
#                                    Go with GoBGP's API package (evfwd-gobgp; protobuf 1.5: with 1.3 every
#                                    gRPC reply fails to decode)
#   scripts/setup-deps.sh demo    -> build + scapy (demo traffic)
#   scripts/setup-deps.sh test    -> demo + tshark, testpmd, sanitizer/fuzzer runtime,
#                                    Open vSwitch and nftables (lacp lab), gobgpd and FRR (fabric lab),
#                                    curl (the metrics tests scrape with it), systemd-analyze (the unit),
#                                    matplotlib (scripts/bench_plot.py: the plot in doc/benchmark.md)
set -euo pipefail

level=${1:-test}
build_pkgs="meson ninja-build pkg-config gcc g++ clang libclang-rt-14-dev libdpdk-dev dpdk libbpf-dev
libyaml-dev libcunit1-dev libpcap-dev libedit-dev libjansson-dev libmicrohttpd-dev golang-go golang-github-osrg-gobgp-dev golang-github-golang-protobuf-1-5-dev"
demo_pkgs="python3 python3-scapy"
test_pkgs="dpdk-dev tshark iproute2 iputils-ping ethtool valgrind python3-matplotlib gobgpd openvswitch-switch nftables frr curl systemd"

case "$level" in
build) want="$build_pkgs" ;;
demo) want="$build_pkgs $demo_pkgs" ;;
test) want="$build_pkgs $demo_pkgs $test_pkgs" ;;
*) echo "usage: $0 build|demo|test" >&2; exit 2 ;;
esac

missing=()
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "setup-deps: missing packages: ${missing[*]} (run as root or install them)" >&2
	exit 1
fi
echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

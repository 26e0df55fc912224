#!/usr/bin/env bash
# bench_ab.sh A B [SECONDS [PROFILES]]: two evfwd binaries side by side, for
# measuring one optimization: ROUNDS (default 3) rounds, each running
# scripts/bench.sh once with A and once with B (each against its own
# testpmd io run, on the same inputs). Prints every round's ratio and the
# median ratio per scenario and binary. Output under BENCH_OUT (default
# build/bench-ab). The binaries' evfwd-ctl must sit beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1 b=$2 secs=${3:-3} profiles=${4:-${PROFILES:-single hosts scale alias flood}}
rounds=${ROUNDS:-3}
out=${BENCH_OUT:-build/bench-ab}
mkdir -p "$out"
: > "$out/rounds.txt"
for r in $(seq "$rounds"); do
	for side in A B; do
		bin=$a
		[ $side = B ] && bin=$b
		ROUNDS=1 BENCH_OUT="$out/$side" EVFWD="$bin" scripts/bench.sh "$secs" "$profiles" |
			sed -n "s/^\([a-z-]*\) round 1: .*ratio \([0-9.]*\), \([0-9.]*\) cycles.*/$side \1 \2 \3/p" |
			tee -a "$out/rounds.txt"
	done
done
echo "| scenario | A ratio | B ratio | B / A | A cycles/pkt | B cycles/pkt |"
echo "| --- | --- | --- | --- | --- | --- |"
awk '{k = $2; if (!(k in seen)) { seen[k] = 1; order[++n] = k }
	r[$1, k] = r[$1, k] " " $3; c[$1, k] = c[$1, k] " " $4}
function med(s,  a, m, i, j, t) { m = split(s, a, " ")
	for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return a[int((m + 1) / 2)] }
END { for (i = 1; i <= n; i++) { k = order[i]; ra = med(r["A", k]); rb = med(r["B", k])
	printf "| %s | %s | %s | %.3f | %s | %s |\n", k, ra, rb, (ra > 0 ? rb / ra : 0),
		med(c["A", k]), med(c["B", k]) } }' "$out/rounds.txt"

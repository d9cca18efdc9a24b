#!/bin/sh
# gapneb benchmark: wall time of the default table (s2s and e2e x hop, transfer, exchange x 5, 5.8
# and 8 Å: 18 rows with eam-pt, saddle orders and elementary steps) with --jobs 1 and --jobs 2,
# and the speed-up. Target (issue 10): under 5 s on 2 cores. For a ratio against another build,
# time both with farm-bench (A/B in turn): farm-bench --vs 'OLD/gapneb -q table ...' -- ./gapneb ...
# Usage: bench/table_time.sh [PATH/TO/gapneb] [RUNS]   (default: ./gapneb, 3 runs)
# Uses hyperfine when installed, otherwise repeats each run and takes the median.
set -eu
GAPNEB=${1:-./gapneb}
RUNS=${2:-3}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/gapneb-bench-XXXXXX")
trap 'rm -rf "$OUT"' EXIT INT TERM

run() { "$GAPNEB" --quiet table --no-figures --jobs "$1" --out "$OUT/j$1" >/dev/null; }

if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --runs "$RUNS" --warmup 1 --export-json "$OUT/h.json" \
        "$GAPNEB --quiet table --no-figures --jobs 1 --out $OUT/h1" \
        "$GAPNEB --quiet table --no-figures --jobs 2 --out $OUT/h2" >&2 || true
    if [ -s "$OUT/h.json" ] && command -v python3 >/dev/null 2>&1; then
        python3 - "$OUT/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
m1, m2 = r[0]["median"], r[1]["median"]
print(f"jobs 1: {m1:.2f} s   jobs 2: {m2:.2f} s   speed-up {m1 / m2:.2f}x (median of {len(r[0]['times'])})")
PY
        exit 0
    fi
fi

median_time() {
    jobs=$1
    for i in $(seq "$RUNS"); do
        s=$(date +%s.%N)
        run "$jobs" || true   # not-converged rows exit 1 and still count
        e=$(date +%s.%N)
        awk -v a="$s" -v b="$e" 'BEGIN { print b - a }'
    done | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
t1=$(median_time 1)
t2=$(median_time 2)
awk -v a="$t1" -v b="$t2" -v n="$RUNS" \
    'BEGIN { printf "jobs 1: %.2f s   jobs 2: %.2f s   speed-up %.2fx (median of %d)\n", a, b, a / b, n }'

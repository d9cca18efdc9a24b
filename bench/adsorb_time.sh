#!/bin/sh
# gapneb benchmark: the two runs of issue 12 on 2 threads, figures and pictures included:
#   gapneb adsorb s2s --adatoms 3 --gaps 5,5.8,8
#   gapneb adsorb e2e --adatoms 3 --sequential --gaps 5,6,8
# For each: the median over RUNS runs of the wall time, the CPU time (user + system, gnuplot
# included) and the peak memory (the largest single process), from /usr/bin/time.
# Aim: under a minute each on 2 cores.
# Usage: bench/adsorb_time.sh [PATH/TO/gapneb] [RUNS]   (default: ./gapneb, 3 runs)
set -eu
GAPNEB=${1:-./gapneb}
RUNS=${2:-3}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "adsorb_time.sh: needs GNU time ($TIME)" >&2; exit 2; }
OUT=$(mktemp -d "${TMPDIR:-/tmp}/gapneb-bench-XXXXXX")
trap 'rm -rf "$OUT"' EXIT INT TERM

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

bench() {
    name=$1
    shift
    : >"$OUT/$name.t"
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        rm -rf "$OUT/run"
        # relaxations that do not converge exit 1 and still count
        "$TIME" -f "%e %U %S %M" -o "$OUT/one.t" "$GAPNEB" --quiet adsorb "$@" --jobs 2 \
            --out "$OUT/run" >/dev/null 2>&1 || true
        tail -n 1 "$OUT/one.t" >>"$OUT/$name.t"
        i=$((i + 1))
    done
    wall=$(awk '{ print $1 }' "$OUT/$name.t" | median)
    cpu=$(awk '{ print $2 + $3 }' "$OUT/$name.t" | median)
    peak=$(awk '{ print $4 / 1024 }' "$OUT/$name.t" | median)
    printf "%-52s wall %6.2f s   cpu %6.2f s   peak %6.1f MiB   (median of %d)\n" \
        "adsorb $*" "$wall" "$cpu" "$peak" "$RUNS"
}

bench s2s s2s --adatoms 3 --gaps 5,5.8,8
bench e2e e2e --adatoms 3 --sequential --gaps 5,6,8

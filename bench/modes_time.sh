#!/bin/sh
# Benchmark of `gapneb modes`: Hessian time against slab size (bench/modes_time), then the wall
# time of `gapneb modes` on a surface-to-surface and an edge-to-edge hop run made with
# `gapneb table`. Run from a build directory after `make bench`:
#   sh /path/to/bench/modes_time.sh [GAP_Å] [POTENTIAL]
# Units: Å, s.
set -eu
gap=${1:-8}
pot=${2:-eam-pt}
./bench/modes_time "$pot"
out=$(mktemp -d /tmp/gapneb-modes-bench.XXXXXX)
./gapneb --quiet table --models s2s,e2e --processes hop --gaps "$gap" --potential "$pot" \
    --out "$out" >/dev/null || echo "# table exited with $? (unconverged rows are still timed)"
for run in "$out"/runs/*; do
    [ -f "$run/path.xyz" ] || continue
    t0=$(date +%s.%N)
    status=0
    ./gapneb --quiet modes "$run" >"$run/modes.out" || status=$?
    t1=$(date +%s.%N)
    printf '%s\t%.2f s\texit %d\t%s\n' "$(basename "$run")" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b - a}')" "$status" \
        "$(grep -E 'verified|prefactor|movable|degrees' "$run/modes.out" | tr -s ' ' | paste -sd ';')"
done
echo "# runs kept in $out"

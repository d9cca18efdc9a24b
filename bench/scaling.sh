#!/bin/sh
# gapneb benchmark: how one table row scales with the model size, saddle refinement on (the table
# default, 3 rounds) and off. The row is the s2s hop at 8 Å with eam-pt, 6 layers per slab, n x n
# surface cells (s2s_size n = 4, 8, 16, 32: 193, 769, 3073, 12289 atoms), computed by
# bench/scaling (the library as the table calls it: endpoints relaxed, CI-NEB, refinement).
# Then the same hop on the nc model (two truncated octahedra facing with (100) facets, the
# table's nc defaults) at NC_SIZES atoms per crystal (default "586 2000": 586 and 2406 atoms).
# Wall time and peak memory (maximum resident set) are measured with /usr/bin/time -v, RUNS runs
# each, on and off in turn; the medians and their ratios on/off are printed.
# Target (issue 14): on within 1.5x of off in time and within 2x in memory at every size.
# Usage, from a build directory after `make bench`:
#   sh bench/scaling.sh [RUNS] [SIZES] [LAYERS] [GAP]   (defaults 3, "4 8 16 32", 6, 8)
#   NC_SIZES="586 2000" sh bench/scaling.sh ...         (NC_SIZES="" skips the nc rows)
# Units: Å, s, MB.
set -eu
RUNS=${1:-3}
SIZES=${2:-4 8 16 32}
LAYERS=${3:-6}
GAP=${4:-8}
NC_SIZES=${NC_SIZES-586 2000}
PROG=${SCALING_PROG:-./bench/scaling}
TIME=/usr/bin/time
[ -x "$PROG" ] || { echo "scaling.sh: $PROG not found: run make bench first" >&2; exit 2; }
[ -x "$TIME" ] || { echo "scaling.sh: $TIME (GNU time) is needed for the peak memory" >&2; exit 2; }
OUT=$(mktemp -d "${TMPDIR:-/tmp}/gapneb-scaling-XXXXXX")
trap 'rm -rf "$OUT"' EXIT INT TERM

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# one run of model $3 at size $1, refinement $2: appends "wall_s peak_MB" to $OUT/$3$1-r$2.t and
# the program's TSV line to .tsv
run() {
    $TIME -v "$PROG" "$1" "$LAYERS" "$2" "$GAP" hop "$3" >>"$OUT/$3$1-r$2.tsv" 2>"$OUT/time.txt" ||
        true
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
                                           for (i = 1; i <= n; i++) s = s * 60 + p[i]; w = s }
                /Maximum resident set size/ { m = $2 / 1024 }
                END { printf "%.3f %.1f\n", w, m }' "$OUT/time.txt" >>"$OUT/$3$1-r$2.t"
}

printf '# hop at %s Å, eam-pt (s2s: %s layers); medians of %s runs; refinement 3 rounds (on) vs 0 (off)\n' \
    "$GAP" "$LAYERS" "$RUNS"
printf 'model\tn\tatoms\ttime_off_s\ttime_on_s\ttime_ratio\tmem_off_MB\tmem_on_MB\tmem_ratio\tcalls_off\tcalls_on\tsaddle_negative\tbarrier_off_eV\tbarrier_on_eV\n'
# one line of the table for model $1 at size $2
row() {
    model=$1 n=$2
    for i in $(seq "$RUNS"); do
        run "$n" 0 "$model"
        run "$n" 3 "$model"
    done
    t0=$(cut -d' ' -f1 "$OUT/$model$n-r0.t" | median)
    t3=$(cut -d' ' -f1 "$OUT/$model$n-r3.t" | median)
    m0=$(cut -d' ' -f2 "$OUT/$model$n-r0.t" | median)
    m3=$(cut -d' ' -f2 "$OUT/$model$n-r3.t" | median)
    # program line: atoms refine barrier converged saddle_negative refinements iterations calls wall
    set -- $(head -n 1 "$OUT/$model$n-r0.tsv")
    atoms=$1 b0=$3 c0=$8
    set -- $(head -n 1 "$OUT/$model$n-r3.tsv")
    b3=$3 neg=$5 c3=$8
    awk -v mo="$model" -v n="$n" -v at="$atoms" -v t0="$t0" -v t3="$t3" -v m0="$m0" -v m3="$m3" \
        -v c0="$c0" -v c3="$c3" -v neg="$neg" -v b0="$b0" -v b3="$b3" 'BEGIN {
        printf "%s\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.1f\t%.1f\t%.2f\t%d\t%d\t%d\t%.6f\t%.6f\n",
               mo, n, at, t0, t3, t3 / t0, m0, m3, m3 / m0, c0, c3, neg, b0, b3 }'
}
for n in $SIZES; do
    row s2s "$n"
done
for n in $NC_SIZES; do
    row nc "$n"
done

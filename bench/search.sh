#!/bin/sh
# gapneb benchmark: the cost of the automatic process search (gapneb search) from the adatom at
# A100:0 with eam-pt, on a Pt(100) slab (4x4 cells, 4 layers, 65 atoms) and on the s2s (129 atoms)
# and e2e (265 atoms) models at 5, 5.8 and 8 Å, computed by bench/search (the library as
# `gapneb search` calls it).
# Per case: SEARCHES searches with seed SEED on JOBS threads, RUNS runs. The counts and force
# calls do not depend on the run (same seed: same searches); the searches per second are the
# median over the runs. Columns:
#   converged   dimer runs that reached fmax 0.01 eV/Å with negative curvature
#   connected   of those, first-order saddles with the start as one of their two minima
#   unique      distinct processes among them (1 meV and 0.1 Å)
#   lowest_eV   the lowest barrier found
#   dimer_med, dimer_mean  dimer force calls per converged search (its initial rotation
#               included; not the saddle-order check nor the two relaxations)
#   calls_per_search       every force call of a search, divided by the searches
#   searches_per_s         median over the runs, JOBS threads
# Then, on Pt(100), the same searches with the Lanczos routine (lowmode.h) as the mode solver at
# every translation step and with a Lanczos initial mode, for the choice made in dimer.h.
# Usage, from a build directory after `make bench`:
#   sh bench/search.sh [RUNS] [SEARCHES] [JOBS] [SEED]   (defaults 3, 20, 2, 1)
# Units: eV, s.
set -eu
RUNS=${1:-3}
SEARCHES=${2:-20}
JOBS=${3:-2}
SEED=${4:-1}
PROG=${SEARCH_PROG:-./bench/search}
[ -x "$PROG" ] || { echo "search.sh: $PROG not found: run make bench first" >&2; exit 2; }
OUT=$(mktemp -d "${TMPDIR:-/tmp}/gapneb-search-XXXXXX")
trap 'rm -rf "$OUT"' EXIT INT TERM

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

printf '# process search from A100:0, eam-pt, %s searches (seed %s) on %s threads; medians of %s runs\n' \
    "$SEARCHES" "$SEED" "$JOBS" "$RUNS"
printf 'case\tvariant\tatoms\tconverged\tconnected\tunique\tlowest_eV\tdimer_med\tdimer_mean\tcalls_per_search\tsearches_per_s\n'
one() { # model gap variant
    : >"$OUT/runs"
    for i in $(seq "$RUNS"); do
        "$PROG" "$1" "$2" "$SEARCHES" "$SEED" "$JOBS" "$3" >>"$OUT/runs"
    done
    rate=$(cut -f11 "$OUT/runs" | median)
    case=$1; [ "$1" = pt100 ] || case="$1@$2"
    head -n1 "$OUT/runs" | awk -F'\t' -v c="$case" -v v="$3" -v r="$rate" \
        'BEGIN { OFS = "\t" } { print c, v, $1, $3, $4, $5, $6, $7, $8, $9, r }'
}
one pt100 0 dimer
for gap in 5 5.8 8; do one s2s "$gap" dimer; done
for gap in 5 5.8 8; do one e2e "$gap" dimer; done
one pt100 0 lanczos
one pt100 0 lowmode

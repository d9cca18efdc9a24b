#!/bin/sh
# gapneb measurement: how often the pre-screen of `gapneb adsorb` (classes relaxed for 40 FIRE
# steps, the best --keep (24) relaxed fully) would miss the most stable structure. Every run is
# --exhaustive, so every class is relaxed fully and the screen is only measured: for each gap
# with a screen, the best screen rank among the starts that relaxed into the most stable
# structure; the screen misses it when that rank exceeds keep.
# Usage: bench/adsorb_screen.sh [PATH/TO/gapneb]   (default ./gapneb; a few minutes on 2 cores)
set -eu
GAPNEB=${1:-./gapneb}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/gapneb-screen-XXXXXX")
trap 'rm -rf "$OUT"' EXIT INT TERM

n=0
run() {
    n=$((n + 1))
    "$GAPNEB" --quiet adsorb "$@" --exhaustive --no-figures --jobs 2 --out "$OUT/r$n" \
        >/dev/null 2>&1 || true
    python3 - "$OUT/r$n/adsorption.json" "$*" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
keep = r["keep"]
for g in r["gaps"]:
    if g["screened"]:
        k = g["screen_rank_of_best"]
        print(f"{sys.argv[2]:<44} gap {g['gap_A']:5.2f} A: {g['classes']:4d} classes, best at "
              f"screen rank {k:3d} -> {'kept' if k <= keep else 'MISSED'} (keep {keep})")
    else:
        print(f"{sys.argv[2]:<44} gap {g['gap_A']:5.2f} A: {g['classes']:4d} classes, no screen "
              f"(at most 64)")
PY
}

# the default s2s sets are small (at most 64 classes: no screen); a wider radius gives more
run s2s --adatoms 3 --site-radius 4 --gaps 5,6,7,8
run s2s --adatoms 4 --site-radius 4 --gaps 5,6,8
run e2e --adatoms 3 --gaps 5,6,8
run e2e --adatoms 4 --gaps 5,6

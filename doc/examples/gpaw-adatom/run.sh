#!/bin/sh
# GPAW LCAO against eam-pt on the same small Pt adatom hop (README, "Other force engines and
# DFT"): the endpoints are relaxed and the band (3 images) converged with each, then `modes`
# checks that the climbing image is a first-order saddle. GPAW runs as two i-PI clients started
# by gapneb, so two structures are computed at a time.
# Run from this folder: sh run.sh [PATH/TO/gapneb]   (minutes: not part of the test suite)
set -eu
gapneb=${1:-gapneb}
python=${PYTHON:-/usr/bin/python3}
engine="--engine-vacuum 8 --engine-timeout 3600 --engine-count 2"
"$python" make_patch.py
"$gapneb" -q neb initial.xyz final.xyz -p eam-pt -i 3 --fmax 0.02 -o neb-eam-pt
"$gapneb" -q modes neb-eam-pt
export OMP_NUM_THREADS=1
"$gapneb" neb initial.xyz final.xyz -i 3 --fmax 0.02 -o neb-gpaw -p ipi:unix:gapneb-gpaw $engine \
    --engine-command "$python gpaw_client.py initial.xyz" 2> neb-gpaw.log
"$gapneb" modes neb-gpaw -p ipi:unix:gapneb-gpaw $engine \
    --engine-command "$python gpaw_client.py initial.xyz" 2> modes-gpaw.log
grep -E 'engine client|evaluations by' neb-gpaw.log modes-gpaw.log

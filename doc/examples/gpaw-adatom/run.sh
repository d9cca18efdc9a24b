#!/bin/sh
# GPAW LCAO against eam-pt on the same small Pt adatom hop (README, "Other force engines and
# DFT"): the endpoints are relaxed and the band (3 images) converged with each; GPAW runs as
# two i-PI clients started by gapneb, so the images are computed two at a time.
# Run from this folder: sh run.sh [PATH/TO/gapneb]   (minutes: not part of the test suite)
set -eu
gapneb=${1:-gapneb}
python=${PYTHON:-/usr/bin/python3}
"$python" make_patch.py
"$gapneb" -q neb initial.xyz final.xyz -p eam-pt -i 3 --fmax 0.02 -o neb-eam-pt | grep -E 'barrier_forward|converged'
OMP_NUM_THREADS=1 "$gapneb" neb initial.xyz final.xyz -i 3 --fmax 0.02 -o neb-gpaw \
    -p ipi:unix:gapneb-gpaw-example --engine-vacuum 8 --engine-timeout 3600 \
    --engine-command "$python gpaw_client.py initial.xyz" --engine-count 2 \
    2> neb-gpaw.log | grep -E 'barrier_forward|converged'
grep -E 'engine client|evaluations by' neb-gpaw.log

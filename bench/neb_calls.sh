#!/bin/sh
# Force calls of gapneb's NEB against ASE's on the Pt(100) adatom hop with eam-pt (4x4 surface
# cells, 4 layers, bottom 2 fixed, 5 movable images, fmax 0.01 eV/Å), from the same relaxed
# endpoints. Run from the build tree after `make bench`:  sh $(srcdir)/bench/neb_calls.sh
# Needs /usr/bin/python3 with python3-ase. Units: eV, s.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${GN_BUILDDIR:-.}
py=${PYTHON3:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$build/gapneb" -q potentials --write-setfl "$tmp/Pt.eam.alloy"
echo "== gapneb (band force calls; endpoints relaxed beforehand to 1e-4 eV/Å)"
"$build/bench/neb_calls" "$tmp" | tee "$tmp/gapneb.tsv"
echo "== ASE $("$py" -c 'import ase; print(ase.__version__)') (NEB improvedtangent + climb, FIRE, EAM from the setfl file)"
printf '# k\tbarrier_eV\tconverged\titerations\tforce_calls\twall_s\n'
for k in 5.0 0.1; do
    printf '%s\t' "$k"
    "$py" "$here/neb_calls_ase.py" "$tmp/initial.xyz" "$tmp/final.xyz" "$tmp/Pt.eam.alloy" 5 0.01 "$k"
done

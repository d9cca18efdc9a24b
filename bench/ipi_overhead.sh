#!/bin/sh
# Benchmark of external engines over the i-PI socket (bench/ipi_overhead): the per-evaluation
# overhead of the socket against native evaluation for the 129-atom s2s model (gap 5 Å, adatom on
# A100:0) with LAMMPS fix ipi as client (pair_style eam on Pt_u3.eam, the same file gapneb reads
# natively), and the wall time of a band (adatom hop A100:0 -> A100:1, 7 images) on 1, 2 and 4
# LAMMPS clients. Run from a build directory after `make bench`:
#   sh /path/to/bench/ipi_overhead.sh [EVALS] [REPEATS]
# Units: µs per evaluation, s per band. Needs lmp and /usr/share/lammps/potentials/Pt_u3.eam.
set -eu
evals=${1:-300}
repeats=${2:-7}
eam=/usr/share/lammps/potentials/Pt_u3.eam
command -v lmp >/dev/null || { echo "ipi_overhead.sh: lmp not found" >&2; exit 77; }
[ -r "$eam" ] || { echo "ipi_overhead.sh: $eam not found" >&2; exit 77; }
top=$(pwd)
dir=$(mktemp -d /tmp/gapneb-ipi-bench.XXXXXX)
./gapneb -q build s2s --gap 5 --site A100:0 -p "$eam" -o "$dir/is.xyz"
./gapneb -q build s2s --gap 5 --site A100:1 -p "$eam" -o "$dir/fs.xyz"
./gapneb -q build s2s --gap 5 --site A100:0 -p "$eam" -o "$dir/model.data"
for style in eam zero; do
    if [ "$style" = eam ]; then pair="pair_style eam
pair_coeff 1 1 $eam"; else pair="pair_style zero 6.0
pair_coeff * *"; fi
    cat > "$dir/in.$style" <<EOT
units metal
atom_style atomic
atom_modify map array
boundary p p p
read_data $dir/model.data
$pair
thermo 0
variable name getenv GAPNEB_IPI_ADDRESS
fix ipi all ipi \${name} 31415 unix
run 100000000
EOT
done
echo "# $(nproc) cores; LAMMPS $(lmp -h | sed -n 's/^Large-scale[^-]*- //p' | head -1)"
cd "$dir"
"$top/bench/ipi_overhead" --initial is.xyz --final fs.xyz --eam "$eam" \
    --client "exec lmp -in $dir/in.eam -log none -screen none >/dev/null 2>&1" \
    --client-zero "exec lmp -in $dir/in.zero -log none -screen none >/dev/null 2>&1" \
    --evals "$evals" --repeats "$repeats"
cd "$top"
rm -rf "$dir"

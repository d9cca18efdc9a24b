#!/bin/sh
# Force-evaluation speed of gapneb against LAMMPS, in microseconds per atom per energy+force call
# (gapneb: gn_calc_compute; LAMMPS: one NVE step of `run`, from the "Loop time" line, one MPI
# rank, one thread). Both are CPU times (LAMMPS's wall loop time x its "% CPU use"), so that a
# loaded machine does not distort the comparison. Potentials: eam-pt (LAMMPS reads the setfl file
# gapneb writes for it, with pair_style eam/alloy) and Pt_u3.eam (pair_style eam). Structures: the
# 129-atom gap model (two 4x4x4-layer Pt(100) slabs across a 5 Å gap plus an adatom, free along
# z), a 4000-atom and a 108000-atom periodic fcc block. Both codes use a 1 Å neighbour skin.
# Prints medians of REPEATS runs and the ratio gapneb/LAMMPS (below 1: gapneb faster).
#
# Then the speed-up of one force call on 2 threads (gn_calc_set_threads) on the 10976- and
# 108000-atom blocks with eam-pt: wall time per call on 1 and on 2 threads, medians of REPEATS,
# and their ratio (ideal 2 on 2 idle cores; a loaded machine gives less).
#
# Usage: bench/force_eval.sh [BUILD_DIR]   (after `make bench`; env REPEATS, LMP, PT_U3, PARTS)
set -eu
build=${1:-.}
fe="$build/bench/force_eval"
lmp=${LMP:-lmp}
ptu3=${PT_U3:-/usr/share/lammps/potentials/Pt_u3.eam}
repeats=${REPEATS:-5}
parts=${PARTS:-lammps threads}
[ -x "$fe" ] || { echo "force_eval.sh: $fe not found (run make bench)" >&2; exit 2; }
export OMP_NUM_THREADS=1
tmp=$(mktemp -d /tmp/gn-bench-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
ratio() { echo "$1 $2" | awk '{print $1/$2}'; }

lammps_us() { # structure pair_style pair_coeff steps
    bnd="p p p"; [ "$1" = gap ] && bnd="p p f"
    cat > "$tmp/in.$1" <<IN
units metal
atom_style atomic
boundary $bnd
read_data $tmp/$1.data
pair_style $2
pair_coeff $3
neighbor 1.0 bin
neigh_modify every 1 delay 0 check yes
velocity all create 1.0 4928459 loop geom
fix 1 all nve
timestep 0.001
thermo 0
run $4
IN
    (cd "$tmp" && "$lmp" -in "in.$1" -log none -screen "$tmp/screen.$1" >/dev/null 2>&1) ||
        { echo "force_eval.sh: LAMMPS failed, see $tmp/screen.$1" >&2; cat "$tmp/screen.$1" >&2; exit 1; }
    # CPU time = Loop time x "% CPU use" (the machine may be shared; gapneb also reports CPU time)
    awk '/^Loop time of/ {t = $4 / $9 / $12 * 1e6}
         /% CPU use/ {c = $1; sub("%", "", c)}
         END {printf "%.6f\n", t * c / 100}' "$tmp/screen.$1"
}

case " $parts " in *" lammps "*)
command -v "$lmp" >/dev/null 2>&1 || { echo "force_eval.sh: no LAMMPS ($lmp)" >&2; exit 2; }
"$fe" --write-setfl "$tmp/eam-pt.eam.alloy"
for s in gap bulk bulk100k; do "$fe" --structure $s --write-data "$tmp/$s.data" 2>/dev/null; done
printf '%-10s %-9s %14s %14s %8s\n' potential struct "gapneb us/at" "LAMMPS us/at" ratio
for pot in eam-pt Pt_u3; do
    if [ $pot = eam-pt ]; then gpot=eam-pt; ps=eam/alloy; pc="* * $tmp/eam-pt.eam.alloy Pt"
    else gpot=$ptu3; ps=eam; pc="1 1 $ptu3"; fi
    for s in gap bulk bulk100k; do
        case $s in gap) calls=4000 ;; bulk) calls=150 ;; *) calls=6 ;; esac
        g=$(for r in $(seq "$repeats"); do
                "$fe" --structure $s --potential "$gpot" --calls $calls 2>/dev/null | awk '{print $2}'
            done | median)
        l=$(for r in $(seq "$repeats"); do lammps_us $s "$ps" "$pc" $calls; done | median)
        printf '%-10s %-9s %14.4f %14.4f %8.3f\n' $pot $s "$g" "$l" "$(ratio "$g" "$l")"
    done
done
;; esac

case " $parts " in *" threads "*)
echo "# one force call on 2 threads, eam-pt: wall us per atom per call, medians of $repeats"
printf '%-9s %12s %12s %9s\n' struct "1 thread" "2 threads" speed-up
for s in bulk10k bulk100k; do
    case $s in bulk10k) calls=60 ;; *) calls=6 ;; esac
    t1=$(for r in $(seq "$repeats"); do
             "$fe" --structure $s --calls $calls --threads 1 --clock wall 2>/dev/null | awk '{print $2}'
         done | median)
    t2=$(for r in $(seq "$repeats"); do
             "$fe" --structure $s --calls $calls --threads 2 --clock wall 2>/dev/null | awk '{print $2}'
         done | median)
    printf '%-9s %12.4f %12.4f %9.3f\n' $s "$t1" "$t2" "$(ratio "$t1" "$t2")"
done
;; esac

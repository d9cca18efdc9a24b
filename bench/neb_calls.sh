#!/bin/sh
# Force calls of gapneb's NEB (FIRE 2.0 and L-BFGS) against ASE's FIRE CI-NEB, and the optimiser
# choice over the processes of the table. Units: eV, s. Run from the build tree after
# `make bench`:  sh $(srcdir)/bench/neb_calls.sh   (env PYTHON3, PT_U3, GAPS, PARTS="1 2")
#
# Part 1, gapneb against ASE: the Pt(100) adatom hop (4x4 surface cells, 4 layers, bottom 2
# fixed, 5 movable images, fmax 0.01 eV/Å, k 5 eV/Å^2) with eam-pt and with Pt_u3.eam, from the
# same endpoints relaxed to 1e-4 eV/Å. Both codes start from IDPP pushed off the mirror plane by
# 0.05 Å (ASE could not leave it otherwise; gapneb's L-BFGS and FIRE leave it from a symmetric
# band too, see part 2). ASE reads the setfl file gapneb writes for the potential (for Pt_u3,
# whose densities stay below 0.25, tabulated up to rho 0.5: the writer's default range of 100
# would leave 12 points of F where it matters; ASE's own funcfl reader also uses the exact
# Hartree x Bohr where LAMMPS and gapneb use 27.2 x 0.529). ASE's FIRE on ASE's EAM takes minutes
# (pure Python). Columns:
# barrier, converged, optimiser iterations, force calls (image evaluations of the band),
# negative modes of the climbing image (finite-difference Hessian with gapneb: 1 = first-order
# saddle), wall time. Target: gapneb's default at most half of ASE's calls, the same barrier
# within 1 meV, a first-order saddle.
#
# Part 2, the optimiser choice: FIRE 2.0 against L-BFGS on the Pt(100) hop from a symmetric band
# and on the s2s hop, s2s transfer (with 3 saddle refinements, whose Hessians count as force
# calls) and e2e hop at the gaps GAPS (default "5 5.8 8"), eam-pt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${GN_BUILDDIR:-.}
py=${PYTHON3:-/usr/bin/python3}
ptu3=${PT_U3:-/usr/share/lammps/potentials/Pt_u3.eam}
gaps=${GAPS:-5 5.8 8}
parts=${PARTS:-1 2}
nc="$build/bench/neb_calls"
[ -x "$nc" ] || { echo "neb_calls.sh: $nc not found (run make bench)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case " $parts " in *" 1 "*)
echo "== Part 1: Pt(100) hop, gapneb against ASE $("$py" -c 'import ase; print(ase.__version__)')" \
     "(NEB improvedtangent + climb, FIRE), both from a band perturbed by 0.05 Å"
printf '# potential\tcode\tsetting\tbarrier_eV\tconverged\titerations\tforce_calls\tneg_modes\twall_s\n'
for pot in eam-pt Pt_u3; do
    gpot=eam-pt
    rhomax=100
    [ $pot = Pt_u3 ] && gpot=$ptu3 && rhomax=0.5
    if [ $pot = Pt_u3 ] && [ ! -r "$ptu3" ]; then
        echo "# $ptu3 not found: Pt_u3 skipped" && continue
    fi
    d="$tmp/$pot"
    mkdir -p "$d"
    "$build/gapneb" -q potentials --potential "$gpot" --write-setfl "$d/pot.eam.alloy" --rhomax $rhomax
    "$nc" --case pt100 --potential "$gpot" --perturb 0.05 "$d" | grep -v '^#' |
        awk -F'\t' -v p=$pot '{printf "%s\tgapneb\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p, $2, $3, $4, $5, $6, $8, $9}' |
        tee "$d/gapneb.tsv"
    row=$("$py" "$here/neb_calls_ase.py" "$d/initial.xyz" "$d/final.xyz" "$d/pot.eam.alloy" 5 0.01 5.0 \
          0.05 "$d/ase_ci.xyz")
    neg=$("$nc" --potential "$gpot" --saddle-order "$d/ase_ci.xyz")
    echo "$row" | awk -F'\t' -v p=$pot -v n="$neg" \
        '{printf "%s\tASE\tFIRE (ASE defaults)\t%s\t%s\t%s\t%s\t%s\t%s\n", p, $1, $2, $3, $4, n, $5}' |
        tee "$d/ase.tsv"
    # ratio of each gapneb setting's calls to ASE's, and the barrier difference
    awk -F'\t' 'NR == FNR {ab = $4; ac = $7; next}
        {printf "#   %s, %s: calls %.2f x ASE, barrier %+.2f meV from ASE\n", $1, $3, $7 / ac, 1000 * ($4 - ab)}' \
        "$d/ase.tsv" "$d/gapneb.tsv"
done
;; esac

case " $parts " in *" 2 "*)
echo "== Part 2: optimiser choice (eam-pt; s2s transfer with 3 saddle refinements)"
printf '# gap_A\tcase\tsetting\tbarrier_eV\tconverged\titerations\tforce_calls\tpushes\tneg_modes\twall_s\n'
run() { # gap case refine [potential]
    "$nc" --case "$2" --gap "$1" --refine "$3" --potential "${4:-eam-pt}" "$tmp" | grep -v '^#' |
        sed "s/^/$1\t/"
}
run 8 pt100 0
[ -r "$ptu3" ] && run 8 pt100 0 "$ptu3" | sed 's/pt100/pt100-Pt_u3/'
for g in $gaps; do run "$g" s2s-hop 0; done
for g in $gaps; do run "$g" s2s-transfer 3; done
for g in $gaps; do run "$g" e2e-hop 0; done
;; esac

#!/usr/bin/python3
"""ASE reference for bench/neb_calls: the same Pt(100) adatom hop, from the same relaxed endpoints,
with ASE's NEB (climb=True, method='improvedtangent', IDPP start with the minimum image),
ase.optimize.FIRE (its defaults: dt 0.1, maxstep 0.2 Å) and ASE's EAM calculator reading the setfl
file that `gapneb potentials --write-setfl` writes for eam-pt. Counts every image evaluation.
Units: Å, eV, eV/Å, s.

Usage: neb_calls_ase.py INITIAL.xyz FINAL.xyz POTENTIAL.eam.alloy [IMAGES] [FMAX] [K]
Prints one TSV row: barrier_eV converged iterations force_calls wall_s.
"""
import sys
import time

from ase.io import read
from ase.optimize import FIRE
from ase.calculators.eam import EAM
from ase.calculators.calculator import all_changes

try:
    from ase.mep import NEB
except ImportError:  # ASE < 3.23
    from ase.neb import NEB


class CountingEAM(EAM):
    """EAM that counts image evaluations: calls at a new configuration. ASE's NEB asks each image
    for its energy, then for its forces at the same positions; the second call only completes
    the same evaluation (system_changes is empty) and is not counted again."""
    calls = 0

    def calculate(self, atoms=None, properties=('energy',), system_changes=tuple(all_changes)):
        if system_changes:
            CountingEAM.calls += 1
        super().calculate(atoms, list(properties), list(system_changes))


def main():
    ini, fin, setfl = sys.argv[1:4]
    nimages = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    fmax = float(sys.argv[5]) if len(sys.argv) > 5 else 0.01
    k = float(sys.argv[6]) if len(sys.argv) > 6 else 5.0
    a = read(ini)
    b = read(fin)
    images = [a] + [a.copy() for _ in range(nimages)] + [b]
    for im in images:
        im.calc = CountingEAM(potential=setfl)
    t0 = time.time()
    neb = NEB(images, k=k, climb=True, method='improvedtangent')
    neb.interpolate(method='idpp', mic=True)
    opt = FIRE(neb, logfile=None)
    converged = opt.run(fmax=fmax, steps=2000)
    wall = time.time() - t0
    energies = [im.get_potential_energy() for im in images]
    barrier = max(energies[1:-1]) - energies[0]
    print("%.6f\t%d\t%d\t%d\t%.3f" % (barrier, int(bool(converged)), opt.nsteps,
                                       CountingEAM.calls, wall))


if __name__ == '__main__':
    main()

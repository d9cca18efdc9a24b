#!/usr/bin/python3
"""ASE reference for bench/neb_calls.sh: the same process from the same relaxed endpoints, with
ASE's NEB (climb=True, method='improvedtangent', IDPP start with the minimum image),
ase.optimize.FIRE (its defaults: dt 0.1, maxstep 0.2 Å) and ASE's EAM calculator reading a setfl
file that `gapneb potentials --write-setfl` writes. Counts every image evaluation. The starting
band may be pushed off the mirror planes (as gapneb's --perturb does, with numpy's generator):
one random pattern, uniform in [-1, 1] per movable coordinate, scaled so that its largest atom
displacement is PERTURB Å, times sin(pi i / (images + 1)) on image i. Writes the climbing image to
CI_OUT (extended XYZ) when given, for the saddle check. Units: Å, eV, eV/Å, s.

Usage: neb_calls_ase.py INITIAL.xyz FINAL.xyz POTENTIAL.eam.alloy [IMAGES] [FMAX] [K] [PERTURB]
                        [CI_OUT]
Prints one TSV row: barrier_eV converged iterations force_calls wall_s.
"""
import sys
import time

import numpy as np
from ase.io import read, write
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


def perturb(images, amplitude, seed=1):
    """Pushes the movable images by one seeded pattern, largest atom move amplitude (Å) at the
    middle; fixed atoms (FixAtoms from the file's move_mask) stay put."""
    if amplitude <= 0:
        return
    rng = np.random.default_rng(seed)
    n = len(images[0])
    u = rng.uniform(-1.0, 1.0, size=(n, 3))
    fixed = np.zeros(n, bool)
    for c in images[0].constraints:
        fixed[c.get_indices()] = True
    u[fixed] = 0.0
    u *= amplitude / np.max(np.linalg.norm(u, axis=1))
    m = len(images) - 1
    for i in range(1, m):
        images[i].set_positions(images[i].get_positions() + np.sin(np.pi * i / m) * u)


def main():
    ini, fin, setfl = sys.argv[1:4]
    nimages = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    fmax = float(sys.argv[5]) if len(sys.argv) > 5 else 0.01
    k = float(sys.argv[6]) if len(sys.argv) > 6 else 5.0
    amplitude = float(sys.argv[7]) if len(sys.argv) > 7 else 0.0
    ci_out = sys.argv[8] if len(sys.argv) > 8 else None
    a = read(ini)
    b = read(fin)
    images = [a] + [a.copy() for _ in range(nimages)] + [b]
    for im in images:
        im.calc = CountingEAM(potential=setfl)
    t0 = time.time()
    neb = NEB(images, k=k, climb=True, method='improvedtangent')
    neb.interpolate(method='idpp', mic=True)
    perturb(images, amplitude)
    opt = FIRE(neb, logfile=None)
    converged = opt.run(fmax=fmax, steps=2000)
    wall = time.time() - t0
    energies = [im.get_potential_energy() for im in images]
    top = 1 + int(np.argmax(energies[1:-1]))
    barrier = energies[top] - energies[0]
    if ci_out:
        write(ci_out, images[top], format='extxyz')
    print("%.6f\t%d\t%d\t%d\t%.3f" % (barrier, int(bool(converged)), opt.nsteps,
                                       CountingEAM.calls, wall))


if __name__ == '__main__':
    main()

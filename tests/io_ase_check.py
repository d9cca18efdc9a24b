"""Helper of tests/test_io_ase.c: ASE's side of the structure-file interoperability test.

  io_ase_check.py dump FILE FORMAT OUT   read every frame of FILE with ASE, write its numbers to OUT
  io_ase_check.py make DIR               write ase.xyz and POSCAR_ase with ASE, and what ASE reads
                                         back from them to ase_xyz_ref.txt and ase_poscar_ref.txt

Numbers go out as plain whitespace-separated text (lengths Å, energy eV, forces eV/Å), per frame:
n, 9 cell numbers (rows a, b, c), 3 pbc flags, the count of FixAtoms indices and the indices,
n atomic numbers, 3n positions, has_energy energy, has_forces [3n forces].
"""
import sys

import numpy as np
from ase.build import fcc100
from ase.calculators.singlepoint import SinglePointCalculator
from ase.constraints import FixAtoms
import ase.io


def fixed_indices(atoms):
    idx = set()
    for c in atoms.constraints:
        if isinstance(c, FixAtoms):
            idx.update(int(i) for i in c.get_indices())
    return sorted(idx)


def frame_numbers(atoms):
    out = [len(atoms)]
    out += [repr(float(x)) for x in np.asarray(atoms.cell).reshape(9)]
    out += [int(bool(p)) for p in atoms.pbc]
    fix = fixed_indices(atoms)
    out += [len(fix)] + fix
    out += [int(z) for z in atoms.numbers]
    out += [repr(float(x)) for x in atoms.positions.reshape(-1)]
    results = atoms.calc.results if atoms.calc is not None else {}
    if 'energy' in results:
        out += [1, repr(float(results['energy']))]
    else:
        out += [0, 0.0]
    if 'forces' in results:
        out += [1] + [repr(float(x)) for x in np.asarray(results['forces']).reshape(-1)]
    else:
        out += [0]
    return out


def dump(frames, path):
    words = [len(frames)]
    for atoms in frames:
        words += frame_numbers(atoms)
    with open(path, 'w') as f:
        f.write('\n'.join(str(w) for w in words) + '\n')


def make(folder):
    slab = fcc100('Pt', size=(2, 2, 3), vacuum=6.0, a=3.92)
    slab.info.clear()  # adsorbate_info is not a plain value extxyz can hold
    cell = slab.get_cell()
    cell[1, 0] += 0.7  # sheared, so that a transposed Lattice would show
    slab.set_cell(cell, scale_atoms=False)
    slab.set_constraint(FixAtoms(indices=[i for i, a in enumerate(slab) if a.tag == 3]))
    band = []
    rng = np.random.RandomState(7)
    for k in range(2):
        image = slab.copy()
        image.positions += 0.05 * rng.standard_normal(image.positions.shape)
        energy = -5.5 * len(image) + 0.1 * k
        forces = rng.standard_normal(image.positions.shape)
        image.calc = SinglePointCalculator(image, energy=energy, forces=forces)
        band.append(image)
    # ASE 3.22 writes the FixAtoms column (move_mask:L:1) only when asked for by name; tags is an
    # extra integer column that gapneb must skip.
    ase.io.write(folder + '/ase.xyz', band, format='extxyz',
                 columns=['symbols', 'positions', 'move_mask', 'tags'])
    ase.io.write(folder + '/POSCAR_ase', band[1], format='vasp', direct=True, vasp5=True)
    # The reference is what ASE itself reads back from the files it wrote.
    dump(ase.io.read(folder + '/ase.xyz', index=':', format='extxyz'), folder + '/ase_xyz_ref.txt')
    dump([ase.io.read(folder + '/POSCAR_ase', format='vasp')], folder + '/ase_poscar_ref.txt')


def main():
    if sys.argv[1] == 'dump':
        dump(ase.io.read(sys.argv[2], index=':', format=sys.argv[3]), sys.argv[4])
    elif sys.argv[1] == 'make':
        make(sys.argv[2])
    else:
        sys.exit('unknown mode ' + sys.argv[1])


if __name__ == '__main__':
    main()

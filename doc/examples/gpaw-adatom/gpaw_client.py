"""An i-PI client for gapneb: GPAW in LCAO mode through ASE's SocketClient.

Usage (gapneb starts it with --engine-command; the socket name comes from the environment):
    python3 gpaw_client.py STRUCTURE.xyz
Any ASE calculator works the same way: replace make_calc().
"""
import os
import sys

from ase.calculators.socketio import SocketClient
from ase.io import read


def make_calc():
    from gpaw import GPAW, FermiDirac, Mixer
    # LCAO with a single-zeta basis and LDA: a demonstration that runs in minutes, not a
    # converged DFT barrier (use dzp, PBE, finer grids and a real slab for that).
    return GPAW(mode="lcao", basis="sz(dzp)", h=0.3, xc="LDA", txt=None, symmetry="off",
                occupations=FermiDirac(0.2), mixer=Mixer(0.05, 5, 100), maxiter=300)


atoms = read(sys.argv[1])          # species and order must match what gapneb sends
atoms.calc = make_calc()
SocketClient(unixsocket=os.environ["GAPNEB_IPI_ADDRESS"]).run(atoms)

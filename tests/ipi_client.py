"""i-PI client and direct reference for gapneb's engine tests (ASE's SocketClient).

  ipi_client.py client --calc emt|gpaw --structure FILE --socket NAME [--record OUT.json]
      reads FILE with ASE, attaches the calculator and serves gapneb's UNIX socket /tmp/ipi_NAME
      until EXIT; --record writes the cell and positions of the last structure received (Å).
  ipi_client.py direct --calc emt|gpaw --structure FILE [--vacuum V]
      evaluates FILE directly; --vacuum centres a free cluster in a box with V Å between
      periodic images (ASE's atoms.center(vacuum=V/2): the box gapneb promises its engines).
      Prints {"energy": eV, "forces": [[eV/Å]*3]*n, "cell": [[Å]*3]*3} as JSON.

Run with the system python (/usr/bin/python3) that has ASE and GPAW.
"""
import argparse
import json
import sys

from ase.io import read


def make_calc(name):
    if name == "emt":
        from ase.calculators.emt import EMT
        return EMT()
    if name == "gpaw":
        # LCAO, single-zeta basis, LDA, Fermi smearing: seconds for a few Pt atoms; the SCF is
        # converged far below the 1e-6 eV the test compares.
        from gpaw import GPAW, FermiDirac
        return GPAW(mode="lcao", basis="sz(dzp)", h=0.25, xc="LDA", txt=None,
                    symmetry="off", occupations=FermiDirac(0.1),
                    convergence={"energy": 1e-9, "density": 1e-8})
    raise SystemExit("unknown calculator " + name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["client", "direct"])
    ap.add_argument("--calc", required=True)
    ap.add_argument("--structure", required=True)
    ap.add_argument("--socket")
    ap.add_argument("--record")
    ap.add_argument("--vacuum", type=float)
    a = ap.parse_args()
    atoms = read(a.structure)
    atoms.calc = make_calc(a.calc)
    if a.mode == "client":
        from ase.calculators.socketio import SocketClient
        client = SocketClient(unixsocket=a.socket)
        client.run(atoms)
        if a.record:
            with open(a.record, "w") as fp:
                json.dump({"cell": atoms.cell[:].tolist(),
                           "positions": atoms.positions.tolist()}, fp)
        return 0
    if a.vacuum:
        atoms.center(vacuum=a.vacuum / 2)
    e = atoms.get_potential_energy()
    f = atoms.get_forces()
    json.dump({"energy": e, "forces": f.tolist(), "cell": atoms.cell[:].tolist()}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

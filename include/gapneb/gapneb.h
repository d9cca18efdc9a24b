/* gapneb: climbing-image NEB diffusion barriers of atoms across nanometre gaps.
 *
 * This header includes the stable core of the library: structures and their files, potentials,
 * the minimiser, the NEB and its run folder, the models, normal modes. The application layer
 * above it (job settings, the barrier table, its files, reports and figures: settings.h, job.h,
 * row.h, table.h, table_io.h, crossover.h, reference.h, report.h, figures.h, gnuplot.h) is
 * installed too and included one header at a time.
 *
 * Units everywhere: length Å, energy eV, force eV/Å, mass amu, time fs, temperature K
 * (units.h). Thread safety: each header states its own; the library has no global mutable
 * state, a gn_potential is shared between threads and each thread evaluates through its own
 * gn_calc.
 */
#ifndef GAPNEB_GAPNEB_H
#define GAPNEB_GAPNEB_H

#include "gapneb/units.h"
#include "gapneb/error.h"
#include "gapneb/numparse.h"
#include "gapneb/cell.h"
#include "gapneb/element.h"
#include "gapneb/atoms.h"
#include "gapneb/fileio.h"
#include "gapneb/io_xyz.h"
#include "gapneb/io_poscar.h"
#include "gapneb/structure.h"
#include "gapneb/neighbor.h"
#include "gapneb/potential.h"
#include "gapneb/pot_pair.h"
#include "gapneb/pot_eam.h"
#include "gapneb/properties.h"
#include "gapneb/minimize.h"
#include "gapneb/relax.h"
#include "gapneb/interpolate.h"
#include "gapneb/profile.h"
#include "gapneb/neb.h"
#include "gapneb/rundir.h"
#include "gapneb/model.h"
#include "gapneb/model_gap.h"
#include "gapneb/modes.h"
#include "gapneb/lowmode.h"
#include "gapneb/dimer.h"
#include "gapneb/search.h"
#include "gapneb/engine_box.h"
#include "gapneb/ipi.h"
#include "gapneb/io_lammps.h"

#endif

/* gapneb: climbing-image NEB diffusion barriers of atoms across nanometre gaps.
 * Units everywhere: length Å, energy eV, force eV/Å, mass amu, time fs, temperature K.
 * This header includes every public module header. */
#ifndef GAPNEB_GAPNEB_H
#define GAPNEB_GAPNEB_H

#include "gapneb/error.h"
#include "gapneb/cell.h"
#include "gapneb/element.h"
#include "gapneb/atoms.h"
#include "gapneb/fileio.h"
#include "gapneb/potential.h"
#include "gapneb/minimize.h"
#include "gapneb/relax.h"
#include "gapneb/neighbor.h"
#include "gapneb/pot_pair.h"
#include "gapneb/neb.h"
#include "gapneb/interpolate.h"
#include "gapneb/profile.h"
#include "gapneb/model.h"
#include "gapneb/modes.h"
#include "gapneb/lowmode.h"
#include "gapneb/io_xyz.h"
#include "gapneb/io_poscar.h"
#include "gapneb/structure.h"
#include "gapneb/job.h"
#include "gapneb/table.h"
#include "gapneb/report.h"
#include "gapneb/pot_eam.h"
#include "gapneb/properties.h"

#endif

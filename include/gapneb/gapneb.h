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

#endif

/* Benchmark program for bench/scaling.sh: one s2s row of the table (eam-pt, hollow registry) at a
 * given slab size, computed with the library as the table does (endpoints relaxed, CI-NEB with the
 * default settings, saddle refinement on or off). Not run by make check.
 *
 * Usage: scaling N LAYERS REFINE [GAP] [PROCESS] [MODEL]
 *   N        s2s: s2s_size, N x N surface cells per slab; nc: atoms per crystal wanted (the
 *            truncated octahedron with the nearest atom count is built)
 *   LAYERS   s2s: layers per slab (the rows use 6); unused by nc
 *   REFINE   rounds of saddle refinement (0 = off; the table default is 3)
 *   GAP      Å (default 8); PROCESS hop (default) or transfer; MODEL s2s (default) or nc (two
 *            truncated octahedra facing with their (100) facets, the outer layer of the far
 *            halves fixed: the table's nc defaults)
 * Prints one TSV line: atoms, refine, barrier (eV), converged, saddle_negative (-1: not checked),
 * refinements, band iterations, force calls (endpoints, band and saddle checks), wall time (s).
 * Units: Å, eV, s. Exit status 0 when the band converged, 1 otherwise, 2 on error. */
#include "gapneb/gapneb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s N LAYERS REFINE [GAP] [hop|transfer] [s2s|nc]\n", argv[0]);
        return 2;
    }
    gn_error err;
    gn_potential *pot = NULL;
    gn_atoms *ini = NULL, *fin = NULL;
    gn_model_opts mo;
    int nc = argc > 6 && !strcmp(argv[6], "nc");
    gn_model_opts_default(&mo, nc ? GN_MODEL_NC : GN_MODEL_S2S);
    if (nc) {
        mo.natoms = atoi(argv[1]);
    } else {
        mo.n = atoi(argv[1]);
        mo.layers = atoi(argv[2]);
    }
    mo.gap = argc > 4 ? atof(argv[4]) : 8.0;
    gn_process proc = GN_PROCESS_HOP;
    int rc = gn_potential_alloc("eam-pt", &pot, &err);
    if (!rc)
        rc = gn_lattice_constant(pot, GN_Z_PT, &mo.a0, &err);
    if (!rc && argc > 5)
        rc = gn_process_parse(argv[5], &proc, &err);
    if (!rc)
        rc = gn_model_process(&mo, proc, &ini, &fin, &err);
    gn_neb_opts no;
    gn_neb_opts_default(&no);
    no.refine = atoi(argv[3]);
    gn_neb_result res = {0};
    if (!rc)
        rc = gn_neb_run(pot, ini, fin, &no, &res, &err);
    if (rc) {
        fprintf(stderr, "scaling: %s\n", err.msg);
    } else {
        printf("%zu\t%d\t%.6f\t%d\t%d\t%d\t%d\t%lu\t%.3f\n", ini->n, no.refine, res.barrier_fwd,
               res.converged, res.saddle_negative, res.refinements, res.iterations,
               res.force_calls, res.wall_time);
    }
    int status = rc ? 2 : res.converged ? 0 : 1;
    gn_neb_result_clear(&res);
    gn_atoms_free(ini);
    gn_atoms_free(fin);
    gn_potential_free(pot);
    return status;
}

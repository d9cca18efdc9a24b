/* Benchmark: force calls of the NEB on the Pt(100) adatom hop with eam-pt (4x4 surface cells,
 * 4 layers, bottom 2 fixed, 5 movable images, fmax 0.01 eV/Å), for the optimiser settings one may
 * choose (FIRE variant, dt, max_move, climbing threshold, interpolation). Not run by make check.
 *
 * Usage: neb_calls [OUTDIR]   writes OUTDIR/initial.xyz and OUTDIR/final.xyz (the relaxed
 * endpoints, for the ASE comparison in neb_calls.sh) and prints one TSV row per setting: barrier
 * (eV), converged, iterations, force calls (band only: the endpoints are relaxed beforehand),
 * wall time (s). Units: Å, eV, eV/Å.
 */
#include "gapneb/gapneb.h"
#include "gapneb/io_xyz.h"
#include "gapneb/model.h"
#include "gapneb/properties.h"
#include "gapneb/structure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct variant {
    const char *name;
    gn_fire_variant fire;
    double dt, max_move, climb_fmax;
    gn_interp interp;
} variant;

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    gn_error err;
    gn_potential *pot = NULL;
    gn_atoms *a = NULL, *b = NULL;
    double a0;
    int rc = gn_potential_alloc("eam-pt", &pot, &err);
    if (!rc)
        rc = gn_lattice_constant(pot, 78, &a0, &err);
    /* The Pt(100) hop of the issue: a single s2s crystal, 4x4 cells, 4 layers, bottom 2 fixed. */
    gn_model_opts mo;
    gn_model_opts_default(&mo, GN_MODEL_S2S);
    mo.single = 1;
    mo.a0 = a0;
    if (!rc)
        rc = gn_model_process(&mo, GN_PROCESS_HOP, &a, &b, &err);
    gn_fire_opts fo;
    gn_fire_opts_default(&fo, GN_FIRE_1);
    fo.fmax = 1e-4; /* tighter than any band fmax, so both codes start from the same minima */
    fo.max_steps = 20000;
    gn_fire_result fr;
    if (!rc)
        rc = gn_relax(pot, a, &fo, &fr, &err);
    if (!rc)
        rc = gn_relax(pot, b, &fo, &fr, &err);
    char path[4096];
    snprintf(path, sizeof path, "%s/initial.xyz", dir);
    if (!rc)
        rc = gn_structure_write(path, a, &err);
    snprintf(path, sizeof path, "%s/final.xyz", dir);
    if (!rc)
        rc = gn_structure_write(path, b, &err);
    if (rc) {
        fprintf(stderr, "neb_calls: %s\n", err.msg);
        return 1;
    }
    const variant vs[] = {
        {"default (FIRE 2.0, dt 0.1, max_move 0.2, climb 0.5, idpp)", GN_FIRE_2, 0.1, 0.2, 0.5,
         GN_INTERP_IDPP},
        {"FIRE 2.0, dt 0.05", GN_FIRE_2, 0.05, 0.2, 0.5, GN_INTERP_IDPP},
        {"FIRE 2.0, dt 0.15", GN_FIRE_2, 0.15, 0.2, 0.5, GN_INTERP_IDPP},
        {"FIRE 2.0, dt 0.2", GN_FIRE_2, 0.2, 0.2, 0.5, GN_INTERP_IDPP},
        {"FIRE 2.0, max_move 0.1", GN_FIRE_2, 0.1, 0.1, 0.5, GN_INTERP_IDPP},
        {"FIRE 2.0, max_move 0.3", GN_FIRE_2, 0.1, 0.3, 0.5, GN_INTERP_IDPP},
        {"FIRE 2.0, climb 0.2", GN_FIRE_2, 0.1, 0.2, 0.2, GN_INTERP_IDPP},
        {"FIRE 2.0, climb 1.0", GN_FIRE_2, 0.1, 0.2, 1.0, GN_INTERP_IDPP},
        {"FIRE 2.0, climb from the start", GN_FIRE_2, 0.1, 0.2, 100.0, GN_INTERP_IDPP},
        {"FIRE 2.0, linear interpolation", GN_FIRE_2, 0.1, 0.2, 0.5, GN_INTERP_LINEAR},
        {"FIRE 1, dt 0.1", GN_FIRE_1, 0.1, 0.2, 0.5, GN_INTERP_IDPP},
        {"FIRE 1, dt 0.05", GN_FIRE_1, 0.05, 0.2, 0.5, GN_INTERP_IDPP},
        {"FIRE 1, dt 0.2", GN_FIRE_1, 0.2, 0.2, 0.5, GN_INTERP_IDPP},
        {"FIRE 1, max_move 0.1", GN_FIRE_1, 0.1, 0.1, 0.5, GN_INTERP_IDPP},
        {"FIRE 1, climb from the start", GN_FIRE_1, 0.1, 0.2, 100.0, GN_INTERP_IDPP},
    };
    printf("# setting\tbarrier_eV\tconverged\titerations\tforce_calls\twall_s\n");
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        gn_neb_opts o;
        gn_neb_opts_default(&o);
        o.nimages = 5;
        o.fmax = 0.01;
        o.relax_endpoints = 0;
        o.fire = vs[i].fire;
        o.dt = vs[i].dt;
        o.max_move = vs[i].max_move;
        o.climb_fmax = vs[i].climb_fmax;
        o.interp = vs[i].interp;
        gn_neb_result r;
        rc = gn_neb_run(pot, a, b, &o, &r, &err);
        if (rc) {
            fprintf(stderr, "neb_calls: %s: %s\n", vs[i].name, err.msg);
            return 1;
        }
        printf("%s\t%.6f\t%d\t%d\t%lu\t%.4f\n", vs[i].name, r.barrier_fwd, r.converged,
               r.iterations, r.force_calls, r.wall_time);
        gn_neb_result_clear(&r);
    }
    gn_atoms_free(a);
    gn_atoms_free(b);
    gn_potential_free(pot);
    return 0;
}

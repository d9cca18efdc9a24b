/* Benchmark program for bench/search.sh: a process search from the adatom at A100:0 (eam-pt)
 * with the library as `gapneb search` calls it, and its cost. Not run by make check.
 *
 * Usage: search MODEL GAP SEARCHES SEED JOBS [VARIANT]
 *   MODEL    pt100 (crystal A of s2s alone: a Pt(100) slab, 4x4 cells, 4 layers), s2s or e2e
 *   GAP      Å (ignored for pt100)
 *   VARIANT  what is compared (default dimer): dimer (the defaults), lanczos (the Lanczos routine
 *            as the mode solver at every step), lowmode (initial orientation from Lanczos),
 *            displace=D (Gaussian width, Å), radius=R (Å), rotmax=N, rottol=DEG, fmax=F
 *            (eV/Å)
 * Prints one TSV line: atoms, searches, converged, first-order and connected (new + duplicate),
 * unique processes, the lowest barrier (eV), median and mean dimer force calls per converged
 * search, force calls per search (all), wall time (s), searches per second; then, with -v as 7th
 * argument, the processes (barrier, moved atoms, times found).
 * Units: Å, eV, s. Exit status 0, or 2 on error. */
#include "gapneb/gapneb.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_ul(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
    return (x > y) - (x < y);
}

static int variant(gn_search_opts *so, const char *v)
{
    if (!strcmp(v, "dimer"))
        return 0;
    if (!strcmp(v, "lanczos"))
        so->dimer.mode_solver = GN_DIMER_LANCZOS;
    else if (!strcmp(v, "lowmode"))
        so->dimer.init_lowmode = 1;
    else if (!strncmp(v, "displace=", 9))
        so->displace = atof(v + 9);
    else if (!strncmp(v, "radius=", 7))
        so->radius = atof(v + 7);
    else if (!strncmp(v, "rotmax=", 7))
        so->dimer.rot_max = atoi(v + 7);
    else if (!strncmp(v, "fmax=", 5))
        so->dimer.fmax = atof(v + 5);
    else if (!strncmp(v, "rottol=", 7))
        so->dimer.rot_tol = atof(v + 7) * M_PI / 180.0;
    else
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: %s pt100|s2s|e2e GAP SEARCHES SEED JOBS [VARIANT] [-v]\n",
                argv[0]);
        return 2;
    }
    gn_error err;
    gn_potential *pot = NULL;
    gn_atoms *start = NULL;
    gn_model_opts mo;
    int e2e = !strcmp(argv[1], "e2e");
    gn_model_opts_default(&mo, e2e ? GN_MODEL_E2E : GN_MODEL_S2S);
    mo.gap = atof(argv[2]);
    mo.single = !strcmp(argv[1], "pt100");
    gn_search_opts so;
    gn_search_opts_default(&so);
    so.nsearch = atoi(argv[3]);
    so.seed = strtoul(argv[4], NULL, 10);
    so.jobs = atoi(argv[5]);
    if (argc > 6 && variant(&so, argv[6])) {
        fprintf(stderr, "search: unknown variant %s\n", argv[6]);
        return 2;
    }
    int rc = gn_potential_alloc("eam-pt", &pot, &err);
    if (!rc)
        rc = gn_lattice_constant(pot, GN_Z_PT, &mo.a0, &err);
    if (!rc)
        rc = gn_model_with_adatom(&mo, "A100:0", &start, &err);
    gn_search_result res;
    memset(&res, 0, sizeof res);
    if (!rc)
        rc = gn_search_run(pot, start, &so, &res, &err);
    if (rc) {
        fprintf(stderr, "search: %s\n", err.msg);
    } else {
        unsigned long *calls = malloc((size_t)(res.nsearch + 1) * sizeof *calls);
        int nc = 0;
        for (int i = 0; i < res.nsearch; i++)
            if (res.attempts[i].e_saddle == res.attempts[i].e_saddle)
                calls[nc++] = res.attempts[i].dimer_calls;
        qsort(calls, (size_t)nc, sizeof *calls, cmp_ul);
        int connected = res.count[GN_SEARCH_NEW] + res.count[GN_SEARCH_DUPLICATE];
        printf("%zu\t%d\t%d\t%d\t%zu\t%.4f\t%lu\t%.1f\t%.1f\t%.3f\t%.2f\n", start->n, res.nsearch,
               res.nconverged, connected, res.nprocesses,
               res.nprocesses ? res.processes[0].barrier : -1.0, nc ? calls[nc / 2] : 0,
               nc ? (double)res.dimer_calls / nc : 0.0, (double)res.force_calls / res.nsearch,
               res.wall_time, res.nsearch / res.wall_time);
        if (argc > 7 && !strcmp(argv[7], "-v")) {
            for (int k = 0; k < GN_SEARCH_OUTCOME_COUNT; k++)
                printf("# %s: %d\n", gn_search_outcome_name((gn_search_outcome)k), res.count[k]);
            for (size_t k = 0; k < res.nprocesses; k++) {
                const gn_search_process *p = &res.processes[k];
                printf("# process %zu: barrier %.4f eV, reverse %.4f, moved", k + 1, p->barrier,
                       p->barrier_rev);
                for (size_t m = 0; m < p->nmoved; m++)
                    printf(" %zu", p->moved[m]);
                printf(", max move %.2f Å, found %d times, first by search %d\n", p->max_move,
                       p->count, p->search);
            }
        }
        free(calls);
    }
    gn_search_result_clear(&res);
    gn_atoms_free(start);
    gn_potential_free(pot);
    return rc ? 2 : 0;
}

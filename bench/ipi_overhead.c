/* Benchmark: the i-PI socket against native evaluation, and a band on 1, 2 and 4 engine clients.
 * Units: µs per evaluation, s per band.
 *
 *   ipi_overhead --initial IS.xyz --final FS.xyz --eam FILE --client CMD --client-zero CMD
 *                [--evals N] [--repeats R] [--images M]
 *
 * 1. Per evaluation (IS, one client): native gapneb with the EAM file; the socket with CMD (LAMMPS
 *    fix ipi with pair_style eam on the same file); the socket with CMD-ZERO (LAMMPS with
 *    pair_style zero: the protocol and LAMMPS's per-step machinery, no force field). R repeats
 *    of N evaluations each, the positions jiggled by up to 0.01 Å between evaluations (as in a
 *    relaxation); the median over the repeats of the mean wall time per evaluation, and the CPU
 *    time per evaluation of gapneb and the client together (on a shared machine the wall time
 *    of a socket round trip includes waiting for a processor; the CPU time does not).
 * 2. The band: IS and FS relaxed natively, then a climbing-image NEB of M movable images (fmax
 *    0.01 eV/Å, endpoints as given) natively and through 1, 2 and 4 clients (started together,
 *    all connected before the clock starts); the median of R runs, the speed-up against one
 *    client, the evaluations each client made.
 */
#include "gapneb/gapneb.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void die(const char *what, const gn_error *err)
{
    fprintf(stderr, "ipi_overhead: %s: %s\n", what, err->msg);
    exit(1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* An engine with count clients of cmd, every client connected and past its start-up (one
 * batch of count evaluations of warm). */
static gn_potential *engine(const char *cmd, int count, const gn_atoms *warm)
{
    static int serial;
    char spec[128];
    snprintf(spec, sizeof spec, "ipi:unix:gn-bench-%ld-%d", (long)getpid(), serial++);
    gn_ipi_opts o;
    gn_ipi_opts_default(&o);
    o.command = cmd;
    o.count = count;
    o.timeout = 120;
    gn_potential *p;
    gn_error err;
    if (gn_ipi_potential_alloc(spec, &o, &p, &err))
        die("engine", &err);
    double t0 = now_s();
    for (;;) {
        gn_ipi_stats st;
        if (gn_ipi_stats_get(p, &st, &err))
            die("stats", &err);
        size_t n = st.nclients;
        gn_ipi_stats_clear(&st);
        if (n >= (size_t)count)
            break;
        if (now_s() - t0 > 60) {
            fprintf(stderr, "ipi_overhead: %zu of %d clients connected after 60 s\n", n, count);
            exit(1);
        }
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    gn_calc *c[4];
    const gn_atoms *a[4];
    double e[4];
    for (int k = 0; k < count; k++) {
        if (gn_calc_alloc(p, &c[k], &err))
            die("calc", &err);
        a[k] = warm;
    }
    if (gn_calc_compute_batch(c, (size_t)count, a, e, NULL, &err))
        die("warm-up", &err);
    for (int k = 0; k < count; k++)
        gn_calc_free(c[k]);
    return p;
}

/* CPU seconds (user + system) a process has used so far, from /proc (0 if unreadable). */
static double proc_cpu_s(long pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0.0;
    char buf[2048];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    unsigned long ut = 0, st = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return 0.0;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double self_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The first client's pid (0 for a native potential). */
static long client_pid(const gn_potential *p)
{
    gn_ipi_stats st;
    gn_error err;
    long pid = 0;
    if (gn_ipi_is(p) && !gn_ipi_stats_get(p, &st, &err)) {
        pid = st.nclients ? st.client[0].pid : 0;
        gn_ipi_stats_clear(&st);
    }
    return pid;
}

/* Median over repeats of the mean µs per evaluation of a jiggled copy of a (wall time); *cpu_us
 * receives the CPU time per evaluation over all repeats, gapneb's process (server thread
 * included) plus the client's (what the machine spends, whatever else runs on it). */
static double per_eval_us(const gn_potential *p, const gn_atoms *a, int evals, int repeats,
                          double *cpu_us)
{
    gn_atoms *w;
    gn_calc *c;
    gn_error err;
    if (gn_atoms_copy(a, &w, &err) || gn_calc_alloc(p, &c, &err))
        die("per_eval", &err);
    double *f = malloc(3 * a->n * sizeof *f), e, *t = malloc((size_t)repeats * sizeof *t);
    unsigned long long s = 12345;
    long pid = client_pid(p);
    double c0 = 0.0, k0 = 0.0;
    for (int r = -1; r < repeats; r++) { /* r = -1: warm-up */
        if (r == 0) {
            c0 = self_cpu_s();
            k0 = pid ? proc_cpu_s(pid) : 0.0;
        }
        double t0 = now_s();
        for (int k = 0; k < evals; k++) {
            for (size_t i = 0; i < 3 * a->n; i++) {
                s = s * 6364136223846793005ULL + 1442695040888963407ULL;
                w->pos[i] = a->pos[i] + 0.01 * ((double)(s >> 11) / 9007199254740992.0 - 0.5);
            }
            if (gn_calc_compute(c, w, &e, f, NULL, &err))
                die("evaluation", &err);
        }
        if (r >= 0)
            t[r] = (now_s() - t0) / evals * 1e6;
    }
    *cpu_us = (self_cpu_s() - c0 + (pid ? proc_cpu_s(pid) - k0 : 0.0)) / evals / repeats * 1e6;
    double m = median(t, repeats);
    free(t);
    free(f);
    gn_calc_free(c);
    gn_atoms_free(w);
    return m;
}

static double band_s(const gn_potential *p, const gn_atoms *ini, const gn_atoms *fin, int images,
                     int repeats, double *barrier, unsigned long *calls)
{
    gn_neb_opts o;
    gn_neb_opts_default(&o);
    o.nimages = images;
    o.relax_endpoints = 0;
    double *t = malloc((size_t)repeats * sizeof *t);
    for (int r = 0; r < repeats; r++) {
        gn_neb_result res;
        gn_error err;
        double t0 = now_s();
        if (gn_neb_run(p, ini, fin, &o, &res, &err))
            die("band", &err);
        t[r] = now_s() - t0;
        *barrier = res.barrier_fwd;
        *calls = res.force_calls;
        gn_neb_result_clear(&res);
    }
    double m = median(t, repeats);
    free(t);
    return m;
}

int main(int argc, char **argv)
{
    const char *is = NULL, *fs = NULL, *eam = NULL, *cmd = NULL, *cmd0 = NULL;
    int evals = 200, repeats = 7, images = 7;
    static const struct option lo[] = {
        {"initial", required_argument, NULL, 'i'}, {"final", required_argument, NULL, 'f'},
        {"eam", required_argument, NULL, 'e'},     {"client", required_argument, NULL, 'c'},
        {"client-zero", required_argument, NULL, 'z'}, {"evals", required_argument, NULL, 'n'},
        {"repeats", required_argument, NULL, 'r'}, {"images", required_argument, NULL, 'm'},
        {NULL, 0, NULL, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (opt) {
        case 'i': is = optarg; break;
        case 'f': fs = optarg; break;
        case 'e': eam = optarg; break;
        case 'c': cmd = optarg; break;
        case 'z': cmd0 = optarg; break;
        case 'n': evals = atoi(optarg); break;
        case 'r': repeats = atoi(optarg); break;
        case 'm': images = atoi(optarg); break;
        default: return 2;
        }
    }
    if (!is || !fs || !eam || !cmd || !cmd0 || evals < 1 || repeats < 1 || images < 1) {
        fprintf(stderr, "usage: ipi_overhead --initial IS --final FS --eam FILE --client CMD "
                        "--client-zero CMD [--evals N] [--repeats R] [--images M]\n");
        return 2;
    }
    gn_error err;
    gn_atoms *ini, *fin;
    gn_potential *nat;
    if (gn_structure_read(is, &ini, &err) || gn_structure_read(fs, &fin, &err) ||
        gn_potential_alloc(eam, &nat, &err))
        die("input", &err);

    printf("# per evaluation, %zu atoms: median over %d repeats of %d evaluations (µs)\n",
           ini->n, repeats, evals);
    double cn, cs, cz;
    double tn = per_eval_us(nat, ini, evals, repeats, &cn);
    printf("native_gapneb_eam_us\t%.1f\tcpu %.1f\n", tn, cn);
    gn_potential *p = engine(cmd, 1, ini);
    double ts = per_eval_us(p, ini, evals, repeats, &cs);
    gn_potential_free(p);
    printf("socket_lammps_eam_us\t%.1f\tcpu %.1f (gapneb + LAMMPS)\n", ts, cs);
    p = engine(cmd0, 1, ini);
    double tz = per_eval_us(p, ini, evals, repeats, &cz);
    gn_potential_free(p);
    printf("socket_lammps_zero_us\t%.1f\tcpu %.1f (gapneb + LAMMPS)\n", tz, cz);
    printf("overhead_socket_vs_native_us\t%.1f\t(ratio %.2f); cpu %.1f (ratio %.2f)\n",
           ts - tn, ts / tn, cs - cn, cs / cn);

    gn_fire_result fr;
    if (gn_relax(nat, ini, NULL, &fr, &err) || gn_relax(nat, fin, NULL, &fr, &err))
        die("relax", &err);
    int br = repeats < 3 ? repeats : 3;
    printf("# band: %d movable images, endpoints relaxed natively; median of %d runs (s)\n",
           images, br);
    double b;
    unsigned long calls;
    double t_nat = band_s(nat, ini, fin, images, br, &b, &calls);
    printf("band_native_s\t%.3f\tbarrier %.6f eV\t%lu evaluations\n", t_nat, b, calls);
    double t1 = 0.0;
    const int counts[3] = {1, 2, 4};
    for (int k = 0; k < 3; k++) {
        p = engine(cmd, counts[k], ini);
        double t = band_s(p, ini, fin, images, br, &b, &calls);
        if (k == 0)
            t1 = t;
        gn_ipi_stats st;
        if (gn_ipi_stats_get(p, &st, &err))
            die("stats", &err);
        printf("band_%d_clients_s\t%.3f\tspeed-up %.2f\tbarrier %.6f eV\tevaluations per client",
               counts[k], t, t1 / t, b);
        for (size_t i = 0; i < st.nclients; i++)
            printf(" %lu", st.client[i].evals);
        printf("\n");
        gn_ipi_stats_clear(&st);
        gn_potential_free(p);
    }
    gn_potential_free(nat);
    gn_atoms_free(ini);
    gn_atoms_free(fin);
    return 0;
}

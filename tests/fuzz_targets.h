/* gapneb fuzzing: one entry point per input parser, shared by the byte-mutation test
 * (tests/test_io_fuzz.c, run by make check) and the libFuzzer targets (tests/fuzz/libfuzzer.c,
 * built with ./configure --enable-fuzzers, run by make fuzz). Header-only.
 *
 * The contract checked on every input: the parser either accepts it and returns an object that
 * is valid (a structure passes gn_atoms_validate and a pair potential evaluates it; a potential
 * has a positive finite cutoff and evaluates a dimer of its element; a job validates or is refused
 * with a message; a reference has sane rows), or refuses it with a status equal to the error's code
 * and a non-empty message, leaving no object. Anything else aborts, so both drivers see it as a
 * crash. Each parser gets an exact-size copy of the input, so the sanitizers catch any read past
 * its end. */
#ifndef GN_FUZZ_TARGETS_H
#define GN_FUZZ_TARGETS_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/gapneb.h"
#include "gapneb/job.h"
#include "gapneb/reference.h"
#include "gapneb/settings.h"

enum { GN_FUZZ_XYZ, GN_FUZZ_POSCAR, GN_FUZZ_FUNCFL, GN_FUZZ_SETFL, GN_FUZZ_INI, GN_FUZZ_CSV,
       GN_FUZZ_N };

/* Parser names: also the corpus folders tests/fuzz/NAME/. */
static const char *const gn_fuzz_names[GN_FUZZ_N] = {"xyz", "poscar", "funcfl",
                                                     "setfl", "ini", "csv"};

#define GN_FUZZ_CHECK(cond)                                                                   \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "fuzz contract broken at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                          \
        }                                                                                     \
    } while (0)

/* A refusal: status and message agree. */
static inline void gn_fuzz_refused(int rc, const gn_error *err)
{
    GN_FUZZ_CHECK(rc != GN_OK && err->code == rc && err->msg[0] != '\0');
}

/* An accepted structure is valid and can be evaluated (neighbour lists over its cell included):
 * a pair potential made for Pt gives numbers for any species. Large structures skip the energy
 * to keep the rate of inputs up. */
static inline void gn_fuzz_structure(const gn_atoms *a)
{
    gn_error err;
    GN_FUZZ_CHECK(a && a->n > 0);
    GN_FUZZ_CHECK(gn_atoms_validate(a, "fuzz", 0.5, &err) == GN_OK);
    if (a->n > 200)
        return;
    gn_potential *p;
    gn_calc *c;
    GN_FUZZ_CHECK(gn_potential_alloc("lj-pt", &p, &err) == GN_OK);
    GN_FUZZ_CHECK(gn_calc_alloc(p, &c, &err) == GN_OK);
    double e, *f = malloc(3 * a->n * sizeof *f);
    GN_FUZZ_CHECK(f != NULL);
    gn_error_clear(&err);
    int rc = gn_calc_compute(c, a, &e, f, NULL, &err);
    if (rc == GN_OK)
        GN_FUZZ_CHECK(isfinite(e));
    else
        gn_fuzz_refused(rc, &err);
    free(f);
    gn_calc_free(c);
    gn_potential_free(p);
}

/* An accepted potential has a cutoff and evaluates a dimer of one of its elements. */
static inline void gn_fuzz_potential(const gn_potential *p)
{
    gn_error err;
    double rc = gn_potential_cutoff(p);
    GN_FUZZ_CHECK(rc > 0.0 && isfinite(rc));
    int zs[GN_Z_MAX + 1];
    int nel = gn_potential_elements(p, zs, GN_Z_MAX + 1);
    GN_FUZZ_CHECK(nel >= 1 && gn_element_symbol(zs[0]));
    gn_atoms *a;
    GN_FUZZ_CHECK(gn_atoms_alloc(&a, 0, &err) == GN_OK);
    const double r0[3] = {0, 0, 0}, r1[3] = {0.6 * rc, 0, 0};
    GN_FUZZ_CHECK(gn_atoms_push(a, zs[0], r0, 0, &err) == GN_OK);
    GN_FUZZ_CHECK(gn_atoms_push(a, zs[nel - 1], r1, 0, &err) == GN_OK);
    gn_calc *c;
    GN_FUZZ_CHECK(gn_calc_alloc(p, &c, &err) == GN_OK);
    double e, f[6];
    gn_error_clear(&err);
    int st = gn_calc_compute(c, a, &e, f, NULL, &err);
    if (st == GN_OK)
        GN_FUZZ_CHECK(isfinite(e));
    else
        gn_fuzz_refused(st, &err);
    gn_calc_free(c);
    gn_atoms_free(a);
}

/* Runs parser `which` on data; returns 1 if the input was accepted, 0 if refused. */
static inline int gn_fuzz_one(int which, const uint8_t *data, size_t size)
{
    /* exact size, plus a NUL for the parsers that take C strings (not counted in size) */
    char *text = malloc(size + 1);
    GN_FUZZ_CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    gn_error err;
    gn_error_clear(&err);
    int rc, accepted = 0;
    switch (which) {
    case GN_FUZZ_XYZ: {
        gn_frame *fr = (gn_frame *)1;
        size_t n = 7;
        rc = gn_xyz_parse(text, size, "fuzz.xyz", &fr, &n, &err);
        if (rc == GN_OK) {
            GN_FUZZ_CHECK(n >= 1);
            for (size_t k = 0; k < n; k++)
                gn_fuzz_structure(fr[k].atoms);
            gn_frames_free(fr, n);
        } else {
            GN_FUZZ_CHECK(fr == NULL && n == 0);
        }
        break;
    }
    case GN_FUZZ_POSCAR: {
        gn_atoms *a = (gn_atoms *)1;
        rc = gn_poscar_parse(text, size, "fuzz/POSCAR", &a, &err);
        if (rc == GN_OK) {
            gn_fuzz_structure(a);
            gn_atoms_free(a);
        } else {
            GN_FUZZ_CHECK(a == NULL);
        }
        break;
    }
    case GN_FUZZ_FUNCFL:
    case GN_FUZZ_SETFL: {
        gn_potential *p = (gn_potential *)1;
        rc = gn_pot_eam_parse(text, size, "fuzz.eam", which == GN_FUZZ_SETFL, &p, &err);
        if (rc == GN_OK) {
            gn_fuzz_potential(p);
            gn_potential_free(p);
        } else {
            GN_FUZZ_CHECK(p == NULL);
        }
        break;
    }
    case GN_FUZZ_INI: {
        gn_job job;
        GN_FUZZ_CHECK(gn_job_init(&job, &err) == GN_OK);
        rc = gn_job_load_ini_string(&job, text, "fuzz.ini", &err);
        if (rc == GN_OK) {
            gn_error verr;
            gn_error_clear(&verr);
            int v = gn_job_validate(&job, &verr);
            if (v != GN_OK)
                gn_fuzz_refused(v, &verr);
        }
        gn_job_clear(&job);
        break;
    }
    case GN_FUZZ_CSV: {
        gn_reference ref;
        rc = gn_reference_parse(text, "fuzz.csv", &ref, &err);
        if (rc == GN_OK) {
            for (size_t k = 0; k < ref.n; k++)
                GN_FUZZ_CHECK(ref.rows[k].gap > 0.0 && isfinite(ref.rows[k].barrier));
            gn_reference_clear(&ref);
        } else {
            GN_FUZZ_CHECK(ref.n == 0 && ref.rows == NULL);
        }
        break;
    }
    default: rc = GN_EINVAL; err.code = rc; snprintf(err.msg, sizeof err.msg, "no parser");
    }
    if (rc == GN_OK)
        accepted = 1;
    else
        gn_fuzz_refused(rc, &err);
    free(text);
    return accepted;
}

#endif

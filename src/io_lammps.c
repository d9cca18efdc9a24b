/* gapneb: LAMMPS data files, atom_style atomic, in the engine box (Å, amu). See
 * include/gapneb/io_lammps.h. */
#include "gapneb/io_lammps.h"
#include "gapneb/element.h"
#include "gapneb/engine_box.h"
#include "gapneb/fileio.h"

#include <stdlib.h>
#include <string.h>

/* Atom types: species in order of first appearance. Returns the number of types. */
static int atom_types(const gn_atoms *a, int *type_z, int *type_of)
{
    int nt = 0;
    for (size_t i = 0; i < a->n; i++) {
        int t = 0;
        while (t < nt && type_z[t] != a->z[i])
            t++;
        if (t == nt)
            type_z[nt++] = a->z[i];
        type_of[i] = t + 1;
    }
    return nt;
}

int gn_lammps_data_fwrite(FILE *fp, const gn_atoms *a, double vacuum, gn_error *err)
{
    if (!a || a->n == 0)
        return gn_error_set(err, GN_EINVAL, "LAMMPS data: no atoms to write");
    for (size_t i = 0; i < a->n; i++)
        if (!gn_element_symbol(a->z[i]))
            return gn_error_set(err, GN_EINVAL, "LAMMPS data: atom %zu has atomic number %d",
                                i + 1, a->z[i]);
    gn_engine_box b;
    int rc = gn_engine_box_init(&b, a, NULL, vacuum > 0.0 ? vacuum : GN_ENGINE_VACUUM_DEFAULT,
                                err);
    if (rc)
        return gn_error_prefix(err, "LAMMPS data: ");
    int *type_z = malloc(a->n * sizeof *type_z), *type_of = malloc(a->n * sizeof *type_of);
    double *r = malloc(3 * a->n * sizeof *r);
    if (!type_z || !type_of || !r) {
        free(type_z);
        free(type_of);
        free(r);
        return gn_error_set(err, GN_ENOMEM, "LAMMPS data: out of memory");
    }
    int nt = atom_types(a, type_z, type_of);
    gn_engine_box_positions(&b, a->pos, a->n, r);
    fprintf(fp, "LAMMPS data file written by gapneb (atom_style atomic; boundary p p p; %g A of "
            "vacuum along free directions); types:", b.vacuum);
    for (int t = 0; t < nt; t++)
        fprintf(fp, " %d %s", t + 1, gn_element_symbol(type_z[t]));
    fprintf(fp, "\n\n%zu atoms\n%d atom types\n\n", a->n, nt);
    static const char *const ax[3] = {"x", "y", "z"};
    for (int k = 0; k < 3; k++)
        fprintf(fp, "0 %.16g %slo %shi\n", b.box[k][k], ax[k], ax[k]);
    if (b.box[1][0] != 0.0 || b.box[2][0] != 0.0 || b.box[2][1] != 0.0)
        fprintf(fp, "%.16g %.16g %.16g xy xz yz\n", b.box[1][0], b.box[2][0], b.box[2][1]);
    fprintf(fp, "\nMasses\n\n");
    for (int t = 0; t < nt; t++)
        fprintf(fp, "%d %.6f # %s\n", t + 1, gn_element_mass(type_z[t]),
                gn_element_symbol(type_z[t]));
    fprintf(fp, "\nAtoms # atomic\n\n");
    for (size_t i = 0; i < a->n; i++)
        fprintf(fp, "%zu %d %.16g %.16g %.16g\n", i + 1, type_of[i], r[3 * i], r[3 * i + 1],
                r[3 * i + 2]);
    free(type_z);
    free(type_of);
    free(r);
    if (ferror(fp))
        return gn_error_set(err, GN_EIO, "LAMMPS data: write error");
    return GN_OK;
}

typedef struct data_ctx {
    const gn_atoms *a;
    double vacuum;
} data_ctx;

static int write_cb(FILE *fp, void *ctx, gn_error *err)
{
    const data_ctx *d = ctx;
    return gn_lammps_data_fwrite(fp, d->a, d->vacuum, err);
}

int gn_lammps_data_write(const char *path, const gn_atoms *a, double vacuum, gn_error *err)
{
    data_ctx d = {a, vacuum};
    return gn_file_write_atomic(path, write_cb, &d, err);
}

/* gapneb: structure files by name or content: extended XYZ or VASP POSCAR, and LAMMPS data files
 * to write (lengths Å). */
#include "gapneb/structure.h"
#include "gapneb/fileio.h"
#include "gapneb/io_lammps.h"
#include "gapneb/io_poscar.h"
#include "gapneb/io_xyz.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Case-insensitive strstr for the basename checks. */
static int contains_ci(const char *s, const char *sub)
{
    size_t n = strlen(sub);
    for (; *s; s++)
        if (strncasecmp(s, sub, n) == 0)
            return 1;
    return 0;
}

gn_structure_format gn_structure_format_from_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *ext = gn_path_ext(path);
    if (strcasecmp(ext, "xyz") == 0 || strcasecmp(ext, "extxyz") == 0)
        return GN_FORMAT_XYZ;
    if (strcasecmp(ext, "vasp") == 0 || strcasecmp(ext, "poscar") == 0 ||
        contains_ci(base, "POSCAR") || contains_ci(base, "CONTCAR"))
        return GN_FORMAT_POSCAR;
    if (strcasecmp(ext, "data") == 0)
        return GN_FORMAT_LAMMPS_DATA;
    return GN_FORMAT_UNKNOWN;
}

gn_structure_format gn_structure_format_sniff(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    size_t digits = 0;
    while (i < len && isdigit((unsigned char)text[i])) {
        i++;
        digits++;
    }
    while (i < len && text[i] != '\n' && isspace((unsigned char)text[i]))
        i++;
    /* An XYZ file opens with a line holding just the atom count. */
    if (digits > 0 && (i == len || text[i] == '\n'))
        return GN_FORMAT_XYZ;
    return GN_FORMAT_POSCAR;
}

static int read_xyz_last(const char *buf, size_t len, const char *path, gn_atoms **out,
                         gn_error *err)
{
    gn_frame *fr;
    size_t n;
    int rc = gn_xyz_parse(buf, len, path, &fr, &n, err);
    if (rc)
        return rc;
    *out = fr[n - 1].atoms;
    fr[n - 1].atoms = NULL;
    gn_frames_free(fr, n);
    return GN_OK;
}

int gn_structure_read(const char *path, gn_atoms **out, gn_error *err)
{
    *out = NULL;
    if (gn_structure_format_from_name(path) == GN_FORMAT_LAMMPS_DATA)
        return gn_error_set(err, GN_EINVAL, "%s: LAMMPS data files are written, not read (use "
                            "extended XYZ or POSCAR)", path);
    char *buf;
    size_t len;
    int rc = gn_file_read_all(path, &buf, &len, err);
    if (rc)
        return rc;
    gn_structure_format f = gn_structure_format_from_name(path);
    int guessed = f == GN_FORMAT_UNKNOWN;
    if (guessed)
        f = gn_structure_format_sniff(buf, len);
    if (f == GN_FORMAT_XYZ)
        rc = read_xyz_last(buf, len, path, out, err);
    else
        rc = gn_poscar_parse(buf, len, path, out, err);
    free(buf);
    /* A guess gone wrong should say it was a guess, or the message misleads. */
    if (rc == GN_EPARSE && guessed)
        gn_error_prefix(err, "read as %s (the name does not say the format): ",
                        f == GN_FORMAT_XYZ ? "extended XYZ" : "POSCAR");
    return rc;
}

int gn_structure_write(const char *path, const gn_atoms *a, gn_error *err)
{
    switch (gn_structure_format_from_name(path)) {
    case GN_FORMAT_XYZ: {
        gn_frame f = {(gn_atoms *)a, 0.0, 0, NULL};
        return gn_xyz_write(path, &f, 1, err);
    }
    case GN_FORMAT_POSCAR:
        return gn_poscar_write(path, a, NULL, err);
    case GN_FORMAT_LAMMPS_DATA:
        return gn_lammps_data_write(path, a, 0.0, err);
    default:
        return gn_error_set(err, GN_EINVAL,
                            "%s: cannot tell the format from the name (use .xyz or .extxyz for "
                            "extended XYZ, POSCAR, CONTCAR, .vasp or .poscar for VASP, .data "
                            "for a LAMMPS data file)",
                            path);
    }
}

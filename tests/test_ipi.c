/* Tests of the i-PI engine server (ipi.h) and the engine box (engine_box.h), in one process: the
 * clients are threads speaking the i-PI protocol over real UNIX and TCP (127.0.0.1) sockets.
 * Units: Å, eV, eV/Å here; Bohr and Hartree on the wire.
 *
 * Independent knowledge used: a client with a linear field E = sum_i c.r_i (atomic units) fixes
 * the expected energy and forces in closed form, so the unit conversions and the cell layout of
 * POSDATA (H with the cell vectors as columns, row by row; its inverse) are checked number by
 * number; clients that evaluate gapneb's native eam-pt on what they receive must reproduce the
 * native energies, forces, NEB barrier and Hessian (rotation, shift and padding of the engine box
 * change nothing physical); faults (garbage, wrong atom count, NaN, a client that drops its
 * structure, no client, shutdown) must end in GN_EIO with a message, within their time bounds.
 */
#include "gn_test.h"
#include "gapneb/engine_box.h"
#include "gapneb/io_lammps.h"
#include "gapneb/ipi.h"

#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define BOHR GN_BOHR_A
#define HA GN_HARTREE_EV

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A socket name no other test run uses at the same time. */
static void unique_spec(char *spec, size_t size, char *path, size_t psize, const char *tag)
{
    static atomic_int serial;
    int k = atomic_fetch_add(&serial, 1);
    snprintf(spec, size, "ipi:unix:gn-test-%s-%ld-%d", tag, (long)getpid(), k);
    snprintf(path, psize, "/tmp/ipi_gn-test-%s-%ld-%d", tag, (long)getpid(), k);
}

/* ---- a fake client ----------------------------------------------------------------------- */

typedef enum {
    FK_NORMAL,
    FK_GARBAGE,         /* answers STATUS with a word that is not in the protocol */
    FK_WRONG_COUNT,     /* returns one force too many */
    FK_NAN,             /* returns a NaN energy */
    FK_DROP_AFTER_POS,  /* closes the connection after receiving positions */
    FK_SILENT_AFTER_POS /* receives positions, then never answers */
} fk_mode;

typedef struct fake {
    char path[100]; /* UNIX socket path, or "" for TCP */
    int port;
    fk_mode mode;
    int needinit;   /* answer NEEDINIT before each structure, as ASE's SocketClient does */
    int sleep_ms;   /* per evaluation */
    const gn_potential *pot; /* evaluate with it (NULL: linear field c) */
    double c[3];    /* Hartree/Bohr */
    atomic_int evals, got_exit, got_pos, connected;
    double cell[9], inv[9], pos0[3];
    int natoms;
    pthread_t th;
} fake;

static int read_n(int fd, void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len > 0) {
        ssize_t r = read(fd, p, len);
        if (r <= 0)
            return -1;
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

static void write_n(int fd, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    while (len > 0) {
        ssize_t w = send(fd, p, len, MSG_NOSIGNAL);
        if (w <= 0)
            return;
        p += w;
        len -= (size_t)w;
    }
}

static void write_word(int fd, const char *w)
{
    char h[12];
    memset(h, ' ', 12);
    memcpy(h, w, strlen(w));
    write_n(fd, h, 12);
}

static int is_word(const char *h, const char *w)
{
    size_t n = strlen(w);
    if (memcmp(h, w, n))
        return 0;
    for (size_t i = n; i < 12; i++)
        if (h[i] != ' ')
            return 0;
    return 1;
}

static int fake_connect(const fake *f)
{
    double t0 = now_s();
    while (now_s() - t0 < 5.0) {
        int fd;
        int ok;
        if (f->path[0]) {
            fd = socket(AF_UNIX, SOCK_STREAM, 0);
            struct sockaddr_un sa = {.sun_family = AF_UNIX};
            snprintf(sa.sun_path, sizeof sa.sun_path, "%s", f->path);
            ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
        } else {
            fd = socket(AF_INET, SOCK_STREAM, 0);
            struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(f->port)};
            inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
            ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
        }
        if (ok)
            return fd;
        close(fd);
        sleep_ms(10);
    }
    return -1;
}

/* Energy (Hartree) and forces (Hartree/Bohr) of what the client received. */
static double fake_eval(fake *f, int n, const double *cell, const double *x, double *force)
{
    if (!f->pot) {
        double e = 0.0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < 3; k++) {
                e += f->c[k] * x[3 * i + k];
                force[3 * i + k] = -f->c[k];
            }
        return e;
    }
    gn_atoms *a;
    gn_error err;
    gn_assert_ok(gn_atoms_alloc(&a, (size_t)n, &err), &err);
    double h[3][3];
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 3; k++)
            h[k][r] = cell[3 * r + k] * BOHR; /* columns of H are the cell vectors */
    const int pbc[3] = {1, 1, 1};
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    for (int i = 0; i < n; i++)
        a->z[i] = 78;
    for (int i = 0; i < 3 * n; i++)
        a->pos[i] = x[i] * BOHR;
    gn_calc *c;
    double e;
    gn_assert_ok(gn_calc_alloc(f->pot, &c, &err), &err);
    gn_assert_ok(gn_calc_compute(c, a, &e, force, NULL, &err), &err);
    for (int i = 0; i < 3 * n; i++)
        force[i] *= BOHR / HA;
    gn_calc_free(c);
    gn_atoms_free(a);
    return e / HA;
}

static void *fake_main(void *arg)
{
    fake *f = arg;
    int fd = fake_connect(f);
    if (fd < 0)
        return NULL;
    atomic_store(&f->connected, 1);
    const char *state = f->needinit ? "NEEDINIT" : "READY";
    double *x = NULL, *force = NULL, e = 0.0;
    int n = 0;
    char h[12];
    while (read_n(fd, h, 12) == 0) {
        if (is_word(h, "STATUS")) {
            if (f->mode == FK_GARBAGE) {
                write_n(fd, "HELLO\x01WORLD!", 12);
                continue;
            }
            if (f->mode == FK_SILENT_AFTER_POS && atomic_load(&f->got_pos))
                continue;
            write_word(fd, state);
        } else if (is_word(h, "INIT")) {
            int32_t bead, len;
            read_n(fd, &bead, 4);
            read_n(fd, &len, 4);
            char junk[64];
            if (len > 0 && len < 64)
                read_n(fd, junk, (size_t)len);
            state = "READY";
        } else if (is_word(h, "POSDATA")) {
            int32_t nat;
            read_n(fd, f->cell, 72);
            read_n(fd, f->inv, 72);
            read_n(fd, &nat, 4);
            n = nat;
            f->natoms = n;
            x = realloc(x, 3 * (size_t)(n + 1) * sizeof *x);
            force = realloc(force, 3 * (size_t)(n + 1) * sizeof *force);
            read_n(fd, x, 24 * (size_t)n);
            memcpy(f->pos0, x, sizeof f->pos0);
            atomic_store(&f->got_pos, 1);
            if (f->mode == FK_DROP_AFTER_POS)
                break;
            if (f->mode == FK_SILENT_AFTER_POS)
                continue;
            e = fake_eval(f, n, f->cell, x, force);
            if (f->mode == FK_NAN)
                e = NAN;
            if (f->sleep_ms)
                sleep_ms(f->sleep_ms);
            state = "HAVEDATA";
        } else if (is_word(h, "GETFORCE")) {
            int32_t nat = f->mode == FK_WRONG_COUNT ? n + 1 : n;
            if (f->mode == FK_WRONG_COUNT)
                force[3 * n] = force[3 * n + 1] = force[3 * n + 2] = 0.0;
            double vir[9] = {0};
            int32_t more = 1;
            write_word(fd, "FORCEREADY");
            write_n(fd, &e, 8);
            write_n(fd, &nat, 4);
            write_n(fd, force, 24 * (size_t)nat);
            write_n(fd, vir, 72);
            write_n(fd, &more, 4);
            write_n(fd, "", 1);
            atomic_fetch_add(&f->evals, 1);
            state = f->needinit ? "NEEDINIT" : "READY";
        } else if (is_word(h, "EXIT")) {
            atomic_store(&f->got_exit, 1);
            break;
        } else {
            break;
        }
    }
    free(x);
    free(force);
    close(fd);
    return NULL;
}

static fake *fake_start(const char *path, int port, fk_mode mode, const gn_potential *pot)
{
    fake *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->path, sizeof f->path, "%s", path ? path : "");
    f->port = port;
    f->mode = mode;
    f->pot = pot;
    f->c[0] = 0.01;
    f->c[1] = -0.02;
    f->c[2] = 0.03;
    assert_int_equal(pthread_create(&f->th, NULL, fake_main, f), 0);
    return f;
}

/* Waits for the client to end; 1 if it ended on EXIT. */
static int fake_join(fake *f)
{
    pthread_join(f->th, NULL);
    int got = atomic_load(&f->got_exit);
    free(f);
    return got;
}

/* ---- structures ------------------------------------------------------------------------- */

/* Pt(100) slab, 3x3 surface cells, 3 layers (bottom fixed), adatom in the hollow (ix, 1):
 * periodic x, y, free z. */
static gn_atoms *slab(double ix)
{
    const double a0 = 3.92, b = a0 / sqrt(2.0), L = 3 * b;
    gn_atoms *a;
    gn_error err;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double off = (l % 2) * 0.5 * b;
                double r[3] = {i * b + off, j * b + off, l * a0 / 2};
                gn_assert_ok(gn_atoms_push(a, 78, r, l == 0, &err), &err);
            }
    double r[3] = {fmod(ix * b + 0.5 * b, L), 1.5 * b, 3 * a0 / 2};
    gn_assert_ok(gn_atoms_push(a, 78, r, 0, &err), &err);
    const double h[3][3] = {{L, 0, 0}, {0, L, 0}, {0, 0, 0}};
    const int pbc[3] = {1, 1, 0};
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    return a;
}

/* Periodic fcc Pt, 2x2x2 conventional cells jiggled, with the cell h (rows). */
static gn_atoms *bulk(const double h[3][3], uint64_t seed)
{
    static const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    gn_atoms *a;
    gn_error err;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    const int pbc[3] = {1, 1, 1};
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    gn_rng rng = {seed};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            for (int k = 0; k < 2; k++)
                for (int q = 0; q < 4; q++) {
                    double s[3] = {(i + basis[q][0]) / 2, (j + basis[q][1]) / 2,
                                   (k + basis[q][2]) / 2}, r[3];
                    gn_cell_to_cart(&a->cell, s, r);
                    for (int d = 0; d < 3; d++)
                        r[d] += 0.1 * (2 * gn_rng_uniform(&rng) - 1);
                    gn_assert_ok(gn_atoms_push(a, 78, r, 0, &err), &err);
                }
    return a;
}

static gn_potential *engine(const char *spec, double timeout)
{
    gn_ipi_opts o;
    gn_ipi_opts_default(&o);
    o.timeout = timeout;
    gn_potential *p;
    gn_error err;
    gn_assert_ok(gn_ipi_potential_alloc(spec, &o, &p, &err), &err);
    return p;
}

static void native(const gn_potential *p, const gn_atoms *a, double *e, double *f)
{
    gn_calc *c;
    gn_error err;
    gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
    gn_assert_ok(gn_calc_compute(c, a, e, f, NULL, &err), &err);
    gn_calc_free(c);
}

/* Energy through the engine: GN_OK or the status, message in err. */
static int through(const gn_potential *p, const gn_atoms *a, double *e, double *f, gn_error *err)
{
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(p, &c, err), err);
    int rc = gn_calc_compute(c, a, e, f, NULL, err);
    gn_calc_free(c);
    return rc;
}

/* ---- engine box --------------------------------------------------------------------------- */

static void test_box_slab(void **state)
{
    (void)state;
    gn_atoms *a = slab(0);
    gn_engine_box b;
    gn_error err;
    gn_assert_ok(gn_engine_box_init(&b, a, NULL, 10.0, &err), &err);
    assert_true(b.identity);
    assert_true(!b.free_dir[0] && !b.free_dir[1] && b.free_dir[2]);
    /* extent along z: 3 a0/2 (the adatom), plus 10 Å */
    gn_assert_near(b.box[2][2], 3 * 3.92 / 2 + 10.0, 1e-12);
    gn_assert_near(b.box[0][0], a->cell.h[0][0], 0.0);
    double *r = malloc(3 * a->n * sizeof *r);
    gn_engine_box_positions(&b, a->pos, a->n, r);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < a->n; i++) {
        lo = fmin(lo, r[3 * i + 2]);
        hi = fmax(hi, r[3 * i + 2]);
        gn_assert_near(r[3 * i], a->pos[3 * i], 0.0); /* periodic directions untouched */
    }
    gn_assert_near(lo, 5.0, 1e-12); /* centred: half the vacuum below, half above */
    gn_assert_near(b.box[2][2] - hi, 5.0, 1e-12);
    assert_true(gn_engine_box_fits(&b, a->pos, a->n, 2.5));
    a->pos[3 * (a->n - 1) + 2] += 3.0; /* the adatom 3 Å up: 2 Å left above it */
    assert_false(gn_engine_box_fits(&b, a->pos, a->n, 2.5));
    assert_true(gn_engine_box_fits(&b, a->pos, a->n, 1.9));
    assert_int_equal(gn_engine_box_init(&b, a, NULL, 0.0, &err), GN_EINVAL);
    /* a slab with its own box along the free z (gapneb build --vacuum): kept as it is */
    const double h[3][3] = {{a->cell.h[0][0], 0, 0}, {0, a->cell.h[1][1], 0}, {0, 0, 20.0}};
    const int pbc[3] = {1, 1, 0};
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    for (size_t i = 0; i < a->n; i++)
        a->pos[3 * i + 2] += 4.0;
    gn_assert_ok(gn_engine_box_init(&b, a, NULL, 10.0, &err), &err);
    assert_true(b.given && b.identity && b.free_dir[2] && !b.free_dir[0]);
    gn_assert_near(b.box[2][2], 20.0, 0.0);
    gn_engine_box_positions(&b, a->pos, a->n, r);
    assert_memory_equal(r, a->pos, 3 * a->n * sizeof *r); /* not shifted */
    assert_true(gn_engine_box_fits(&b, a->pos, a->n, 3.9));
    assert_false(gn_engine_box_fits(&b, a->pos, a->n, 4.1)); /* the bottom layer is at z = 4 */
    free(r);
    gn_atoms_free(a);
}

static void test_box_wire_cluster(void **state)
{
    (void)state;
    gn_error err;
    gn_atoms *a;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    double r1[3] = {0, 0, 0}, r2[3] = {1.0, 2.0, -3.0};
    gn_assert_ok(gn_atoms_push(a, 78, r1, 0, &err), &err);
    gn_assert_ok(gn_atoms_push(a, 78, r2, 0, &err), &err);
    gn_engine_box b;
    gn_assert_ok(gn_engine_box_init(&b, a, NULL, 8.0, &err), &err); /* cluster: x, y, z */
    assert_true(b.identity);
    gn_assert_near(b.box[0][0], 9.0, 1e-12);
    gn_assert_near(b.box[1][1], 10.0, 1e-12);
    gn_assert_near(b.box[2][2], 11.0, 1e-12);
    gn_assert_near(b.box[0][1] + b.box[0][2] + b.box[1][0] + b.box[1][2] + b.box[2][0] +
                       b.box[2][1], 0.0, 0.0);
    /* wire along x (e2e): y and z padded */
    const double h[3][3] = {{5.0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
    const int pbc[3] = {1, 0, 0};
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    gn_assert_ok(gn_engine_box_init(&b, a, NULL, 8.0, &err), &err);
    assert_true(b.identity);
    gn_assert_near(b.box[0][0], 5.0, 0.0);
    gn_assert_near(b.box[1][1], 10.0, 1e-12);
    gn_assert_near(b.box[2][2], 11.0, 1e-12);
    gn_atoms_free(a);
}

/* A periodic cell not in LAMMPS's form is rotated into it: lengths, angles and the positions
 * relative to the cell are kept, and forces go back by the transpose. A left-handed cell is
 * refused. */
static void test_box_rotation(void **state)
{
    (void)state;
    const double h[3][3] = {{0.0, 7.0, 1.0}, {6.5, 0.5, 0.0}, {0.3, 0.2, 7.5}};
    gn_atoms *a = bulk(h, 7); /* det < 0: left-handed */
    gn_engine_box b;
    gn_error err;
    assert_int_equal(gn_engine_box_init(&b, a, NULL, 10.0, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "left-handed"));
    gn_atoms_free(a);
    const double g[3][3] = {{0.0, 7.0, 1.0}, {6.5, 0.5, 0.0}, {0.3, 0.2, -7.5}};
    const double *v = &g[0][0];
    double det = v[0] * (v[4] * v[8] - v[5] * v[7]) - v[1] * (v[3] * v[8] - v[5] * v[6]) +
                 v[2] * (v[3] * v[7] - v[4] * v[6]);
    assert_true(det > 0);
    a = bulk(g, 8);
    gn_assert_ok(gn_engine_box_init(&b, a, NULL, 10.0, &err), &err);
    assert_false(b.identity);
    assert_true(b.box[0][1] == 0.0 && b.box[0][2] == 0.0 && b.box[1][2] == 0.0);
    assert_true(b.box[0][0] > 0 && b.box[1][1] > 0 && b.box[2][2] > 0);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double dg = 0, db = 0;
            for (int d = 0; d < 3; d++) {
                dg += g[i][d] * g[j][d];
                db += b.box[i][d] * b.box[j][d];
            }
            gn_assert_near(db, dg, 1e-12); /* the metric: lengths and angles */
        }
    double *r = malloc(3 * a->n * sizeof *r);
    gn_engine_box_positions(&b, a->pos, a->n, r);
    for (size_t i = 1; i < a->n; i++) {
        double d0 = 0, d1 = 0;
        for (int d = 0; d < 3; d++) {
            d0 += pow(a->pos[3 * i + d] - a->pos[d], 2);
            d1 += pow(r[3 * i + d] - r[d], 2);
        }
        gn_assert_near(sqrt(d1), sqrt(d0), 1e-12);
    }
    double f[3] = {0.3, -0.2, 0.5}, g3[3];
    memcpy(g3, f, sizeof f);
    /* rot f, then back */
    double rf[3];
    for (int i = 0; i < 3; i++)
        rf[i] = b.rot[i][0] * f[0] + b.rot[i][1] * f[1] + b.rot[i][2] * f[2];
    gn_engine_box_forces_back(&b, rf, 1);
    for (int d = 0; d < 3; d++)
        gn_assert_near(rf[d], g3[d], 1e-15);
    free(r);
    gn_atoms_free(a);
}

/* The data file: header counts, the box of the engine, atoms in gapneb's order at the engine
 * positions. */
static void test_lammps_data(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("ipi-data");
    char path[256];
    snprintf(path, sizeof path, "%s/slab.data", dir);
    gn_atoms *a = slab(0);
    gn_error err;
    gn_assert_ok(gn_lammps_data_write(path, a, 9.0, &err), &err);
    gn_engine_box b;
    gn_assert_ok(gn_engine_box_init(&b, a, NULL, 9.0, &err), &err);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[512];
    size_t natoms = 0, got = 0;
    int ntypes = 0;
    double lo, hi, zhi = NAN;
    int in_atoms = 0;
    double *r = malloc(3 * a->n * sizeof *r);
    gn_engine_box_positions(&b, a->pos, a->n, r);
    while (fgets(line, sizeof line, fp)) {
        if (!in_atoms && strstr(line, " atom types")) {
            ntypes = atoi(line);
            continue;
        }
        if (!in_atoms && strstr(line, " atoms")) {
            natoms = (size_t)atol(line);
            continue;
        }
        if (strstr(line, "zlo zhi") && sscanf(line, "%lf %lf", &lo, &hi) == 2)
            zhi = hi;
        if (strstr(line, "Atoms # atomic")) {
            in_atoms = 1;
            continue;
        }
        size_t id;
        int type;
        double x[3];
        if (in_atoms && sscanf(line, "%zu %d %lf %lf %lf", &id, &type, &x[0], &x[1], &x[2]) == 5) {
            assert_int_equal(id, got + 1);
            assert_int_equal(type, 1);
            for (int d = 0; d < 3; d++)
                gn_assert_near(x[d], r[3 * got + d], 1e-12);
            got++;
        }
    }
    fclose(fp);
    assert_int_equal(natoms, a->n);
    assert_int_equal(got, a->n);
    assert_int_equal(ntypes, 1);
    gn_assert_near(zhi, b.box[2][2], 1e-12);
    free(r);
    gn_atoms_free(a);
    gn_test_rm_rf(dir);
    free(dir);
}

/* ---- protocol -------------------------------------------------------------------------------- */

static void test_specs(void **state)
{
    (void)state;
    static const char *bad[] = {"ipi:", "ipi:foo", "ipi:unix:", "ipi:unix:a/b", "ipi:unix:a b",
                                "ipi:inet:", "ipi:inet:0", "ipi:inet:70000", "ipi:inet:h:x",
                                "ipi:inet:localhost:"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        gn_potential *p = NULL;
        gn_error err;
        assert_int_equal(gn_potential_alloc(bad[i], &p, &err), GN_EINVAL);
        assert_null(p);
        assert_non_null(strstr(err.msg, "ipi:"));
    }
    gn_ipi_opts o;
    gn_ipi_opts_default(&o);
    gn_error err;
    o.timeout = 0;
    assert_int_equal(gn_ipi_opts_check(&o, &err), GN_EINVAL);
    gn_ipi_opts_default(&o);
    o.vacuum = -1;
    assert_int_equal(gn_ipi_opts_check(&o, &err), GN_EINVAL);
    gn_ipi_opts_default(&o);
    o.count = 0;
    assert_int_equal(gn_ipi_opts_check(&o, &err), GN_EINVAL);
    /* an engine command with a potential that is no engine */
    gn_ipi_opts_default(&o);
    o.command = "true";
    gn_potential *p = NULL;
    assert_int_equal(gn_potential_alloc_engine("eam-pt", &o, &p, &err), GN_EINVAL);
}

/* Linear field in atomic units: E = sum_i c.x_i Hartree, F_i = -c Hartree/Bohr. The cell sent is
 * H row by row (vectors as columns) in Bohr, the inverse row by row; positions are sent as they
 * are (periodic cell in LAMMPS's form: no rotation, no shift). The client asks for INIT first. */
static void test_units_and_cell(void **state)
{
    (void)state;
    char spec[128], path[100];
    unique_spec(spec, sizeof spec, path, sizeof path, "units");
    gn_potential *p = engine(spec, 10.0);
    fake *f = fake_start(path, 0, FK_NORMAL, NULL);
    f->needinit = 1;
    const double h[3][3] = {{8.0, 0, 0}, {1.5, 7.5, 0}, {0.7, -0.4, 7.9}};
    gn_atoms *a = bulk(h, 3);
    double e, *force = malloc(3 * a->n * sizeof *force);
    gn_error err;
    for (int rep = 0; rep < 3; rep++) /* NEEDINIT/INIT before every structure */
        gn_assert_ok(through(p, a, &e, force, &err), &err);
    double expect = 0.0;
    for (size_t i = 0; i < a->n; i++)
        for (int k = 0; k < 3; k++)
            expect += f->c[k] * a->pos[3 * i + k] / BOHR;
    gn_assert_near(e, expect * HA, 1e-12 * fabs(expect * HA));
    for (size_t i = 0; i < a->n; i++)
        for (int k = 0; k < 3; k++)
            gn_assert_near(force[3 * i + k], -f->c[k] * HA / BOHR, 1e-14);
    const double want[9] = {h[0][0], h[1][0], h[2][0], h[0][1], h[1][1], h[2][1],
                            h[0][2], h[1][2], h[2][2]};
    for (int k = 0; k < 9; k++)
        gn_assert_near(f->cell[k] * BOHR, want[k], 1e-13);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int k = 0; k < 3; k++)
                s += f->cell[3 * i + k] * f->inv[3 * k + j];
            gn_assert_near(s, i == j, 1e-14);
        }
    for (int k = 0; k < 3; k++)
        gn_assert_near(f->pos0[k] * BOHR, a->pos[k], 1e-13);
    assert_int_equal(f->natoms, (int)a->n);
    assert_int_equal(atomic_load(&f->evals), 3);
    gn_potential_free(p);
    assert_true(fake_join(f));
    assert_int_equal(access(path, F_OK), -1); /* the socket file is gone */
    free(force);
    gn_atoms_free(a);
}

/* A client evaluating eam-pt on what it receives reproduces the native energy and forces, for a
 * cell that must be rotated (forces back by the transpose) and a slab that is padded and
 * shifted; over TCP as well. */
static void test_native_through_engine(void **state)
{
    (void)state;
    gn_potential *eam;
    gn_error err;
    gn_assert_ok(gn_potential_alloc("eam-pt", &eam, &err), &err);
    const double g[3][3] = {{0.0, 8.0, 1.0}, {7.5, 0.5, 0.0}, {0.3, 0.2, -8.5}};
    gn_atoms *structs[2] = {bulk(g, 11), slab(0.3)};
    for (int tcp = 0; tcp < 2; tcp++) {
        char spec[128], path[100];
        gn_potential *p = NULL;
        int port = 0;
        if (tcp) {
            /* a free port: try a few from a pid-dependent start */
            for (int k = 0; k < 40 && !p; k++) {
                port = 20000 + (int)((getpid() * 7919L + k * 104729L) % 40000);
                snprintf(spec, sizeof spec, "ipi:inet:%d", port);
                gn_ipi_opts o;
                gn_ipi_opts_default(&o);
                o.timeout = 10.0;
                if (gn_ipi_potential_alloc(spec, &o, &p, &err))
                    p = NULL;
            }
            assert_non_null(p);
        } else {
            unique_spec(spec, sizeof spec, path, sizeof path, "native");
            p = engine(spec, 10.0);
        }
        fake *f = fake_start(tcp ? NULL : path, port, FK_NORMAL, eam);
        for (int s = 0; s < 2; s++) {
            gn_atoms *a = structs[s];
            double e0, e1, *f0 = malloc(3 * a->n * sizeof *f0), *f1 = malloc(3 * a->n * 8);
            native(eam, a, &e0, f0);
            gn_assert_ok(through(p, a, &e1, f1, &err), &err);
            gn_assert_near(e1, e0, 1e-9 * fabs(e0));
            for (size_t i = 0; i < 3 * a->n; i++)
                gn_assert_near(f1[i], f0[i], 1e-9);
            free(f0);
            free(f1);
        }
        gn_potential_free(p);
        assert_true(fake_join(f));
    }
    gn_atoms_free(structs[0]);
    gn_atoms_free(structs[1]);
    gn_potential_free(eam);
}

/* The batch interface of a native potential is k plain computes, bit for bit. */
static void test_batch_native(void **state)
{
    (void)state;
    gn_potential *eam;
    gn_error err;
    gn_assert_ok(gn_potential_alloc("eam-pt", &eam, &err), &err);
    assert_false(gn_potential_concurrent(eam));
    gn_atoms *a[3] = {slab(0), slab(0.4), slab(0.8)};
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(eam, &c, &err), &err);
    gn_calc *cs[3] = {c, c, c};
    double e[3], *f[3];
    for (int i = 0; i < 3; i++)
        f[i] = malloc(3 * a[i]->n * sizeof *f[i]);
    gn_assert_ok(gn_calc_compute_batch(cs, 3, (const gn_atoms *const *)a, e, f, &err), &err);
    assert_int_equal(gn_calc_calls(c), 3);
    for (int i = 0; i < 3; i++) {
        double e0, *f0 = malloc(3 * a[i]->n * sizeof *f0);
        native(eam, a[i], &e0, f0);
        assert_true(e0 == e[i]);
        assert_memory_equal(f0, f[i], 3 * a[i]->n * sizeof *f0);
        free(f0);
        free(f[i]);
        gn_atoms_free(a[i]);
    }
    gn_calc_free(c);
    gn_potential_free(eam);
}

/* A NEB and a Hessian through three clients running eam-pt: the native barrier and frequencies,
 * and every client had work (the band's images went out in parallel). */
static void test_band_and_hessian_parallel(void **state)
{
    (void)state;
    gn_potential *eam;
    gn_error err;
    gn_assert_ok(gn_potential_alloc("eam-pt", &eam, &err), &err);
    char spec[128], path[100];
    unique_spec(spec, sizeof spec, path, sizeof path, "band");
    gn_potential *p = engine(spec, 20.0);
    assert_true(gn_potential_concurrent(p));
    fake *f[3];
    for (int k = 0; k < 3; k++)
        f[k] = fake_start(path, 0, FK_NORMAL, eam);
    gn_atoms *ini = slab(0), *fin = slab(1);
    gn_neb_opts o;
    gn_neb_opts_default(&o);
    o.nimages = 5;
    o.fmax = 0.02;
    gn_neb_result r0, r1;
    gn_assert_ok(gn_neb_run(eam, ini, fin, &o, &r0, &err), &err);
    gn_assert_ok(gn_neb_run(p, ini, fin, &o, &r1, &err), &err);
    assert_true(r0.converged && r1.converged);
    /* the engine sees the slab shifted in z: a native run on a shifted copy differs from the
     * unshifted one by 4e-7 eV as well (rounding, amplified by FIRE at fmax 0.02) */
    gn_assert_near(r1.barrier_fwd, r0.barrier_fwd, 1e-5);
    gn_assert_near(r1.e_initial, r0.e_initial, 1e-9);
    gn_ipi_stats st;
    gn_assert_ok(gn_ipi_stats_get(p, &st, &err), &err);
    assert_int_equal(st.nclients, 3);
    unsigned long sum = 0;
    for (size_t i = 0; i < 3; i++) {
        assert_true(st.client[i].evals > 0);
        sum += st.client[i].evals;
    }
    assert_int_equal(sum, r1.force_calls);
    assert_int_equal(st.evals, r1.force_calls);
    assert_true(st.wait_s > 0.0);
    gn_ipi_stats_clear(&st);
    /* Hessian of the saddle */
    gn_atoms *sad = r0.band[r0.climb_index].atoms;
    gn_calc *c0, *c1;
    gn_assert_ok(gn_calc_alloc(eam, &c0, &err), &err);
    gn_assert_ok(gn_calc_alloc(p, &c1, &err), &err);
    gn_modes_set m0, m1;
    gn_assert_ok(gn_modes_compute(c0, sad, 0, 0, 0, &m0, &err), &err);
    gn_assert_ok(gn_modes_compute(c1, sad, 0, 0, 0, &m1, &err), &err);
    assert_int_equal(m0.dim, m1.dim);
    for (size_t k = 0; k < m0.dim; k++)
        gn_assert_near(m1.lambda[k], m0.lambda[k], 1e-6);
    assert_int_equal(m1.n_negative, m0.n_negative);
    assert_int_equal(gn_calc_calls(c1), 2 * m0.dim);
    gn_modes_set_clear(&m0);
    gn_modes_set_clear(&m1);
    gn_calc_free(c0);
    gn_calc_free(c1);
    gn_neb_result_clear(&r0);
    gn_neb_result_clear(&r1);
    gn_potential_free(p);
    for (int k = 0; k < 3; k++)
        assert_true(fake_join(f[k]));
    gn_atoms_free(ini);
    gn_atoms_free(fin);
    gn_potential_free(eam);
}

typedef struct compute_job {
    const gn_potential *p;
    const gn_atoms *a;
    double e;
    int rc;
    gn_error err;
    double seconds;
} compute_job;

static void *compute_thread(void *arg)
{
    compute_job *j = arg;
    double t0 = now_s();
    gn_calc *c;
    j->rc = gn_calc_alloc(j->p, &c, &j->err);
    if (!j->rc)
        j->rc = gn_calc_compute(c, j->a, &j->e, NULL, NULL, &j->err);
    gn_calc_free(c);
    j->seconds = now_s() - t0;
    return NULL;
}

/* A client that drops the structure it was given: the structure goes to the next client. */
static void test_resend(void **state)
{
    (void)state;
    char spec[128], path[100];
    unique_spec(spec, sizeof spec, path, sizeof path, "resend");
    gn_potential *p = engine(spec, 10.0);
    fake *dropper = fake_start(path, 0, FK_DROP_AFTER_POS, NULL);
    gn_atoms *a = slab(0);
    compute_job j = {.p = p, .a = a};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, compute_thread, &j), 0);
    fake_join(dropper); /* returns once it has dropped the structure */
    fake *good = fake_start(path, 0, FK_NORMAL, NULL);
    pthread_join(th, NULL);
    gn_assert_ok(j.rc, &j.err);
    /* the engine sees the slab shifted inside its padded box */
    gn_engine_box b;
    gn_error err;
    gn_assert_ok(gn_engine_box_init(&b, a, NULL, GN_ENGINE_VACUUM_DEFAULT, &err), &err);
    double expect = 0.0;
    for (size_t i = 0; i < a->n; i++)
        for (int k = 0; k < 3; k++)
            expect += good->c[k] * (a->pos[3 * i + k] + b.shift[k]) / BOHR;
    gn_assert_near(j.e, expect * HA, 1e-10);
    gn_ipi_stats st;
    gn_assert_ok(gn_ipi_stats_get(p, &st, &err), &err);
    assert_int_equal(st.resent, 1);
    assert_int_equal(st.evals, 1);
    assert_int_equal(st.nclients, 2);
    assert_int_equal(st.client[0].evals, 0);
    assert_false(st.client[0].connected);
    assert_int_equal(st.client[1].evals, 1);
    assert_true(st.client[1].pid == (long)getpid());
    gn_ipi_stats_clear(&st);
    gn_potential_free(p);
    assert_true(fake_join(good));
    gn_atoms_free(a);
}

/* A fault ends the run with GN_EIO, a message with the given words, within the time bound; later
 * evaluations fail at once. */
static void expect_fault(fk_mode mode, double timeout, const char *words, double bound)
{
    char spec[128], path[100];
    unique_spec(spec, sizeof spec, path, sizeof path, "fault");
    gn_potential *p = engine(spec, timeout);
    fake *f = mode == FK_NORMAL ? NULL : fake_start(path, 0, mode, NULL);
    gn_atoms *a = slab(0);
    compute_job j = {.p = p, .a = a};
    compute_thread(&j);
    assert_int_equal(j.rc, GN_EIO);
    if (!strstr(j.err.msg, words))
        fail_msg("message '%s' lacks '%s'", j.err.msg, words);
    if (!(j.seconds < bound))
        fail_msg("took %.2f s (bound %.2f s)", j.seconds, bound);
    compute_job again = {.p = p, .a = a};
    compute_thread(&again);
    assert_int_equal(again.rc, GN_EIO);
    assert_true(again.seconds < 0.5);
    assert_string_equal(again.err.msg, j.err.msg);
    gn_potential_free(p);
    if (f)
        fake_join(f); /* a client that broke the protocol may have been cut off without EXIT */
    assert_int_equal(access(path, F_OK), -1);
    gn_atoms_free(a);
}

static void test_fault_no_client(void **state)
{
    (void)state;
    expect_fault(FK_NORMAL, 0.4, "no client connected", 3.0);
}

static void test_fault_garbage(void **state)
{
    (void)state;
    expect_fault(FK_GARBAGE, 30.0, "'HELLO\\x01WORLD!' where READY or NEEDINIT was expected", 3.0);
}

static void test_fault_wrong_count(void **state)
{
    (void)state;
    expect_fault(FK_WRONG_COUNT, 30.0, "wrong atom count", 3.0);
}

static void test_fault_nan(void **state)
{
    (void)state;
    expect_fault(FK_NAN, 30.0, "non-finite energy", 3.0);
}

/* A client that takes its structure and never answers: after the timeout it is dropped, the
 * structure waits for another client, and none comes: the run ends. */
static void test_fault_silent(void **state)
{
    (void)state;
    expect_fault(FK_SILENT_AFTER_POS, 0.5, "no client connected", 4.0);
}

/* Shutdown from another thread while an evaluation waits: the waiting evaluation fails with the
 * reason, the client gets EXIT, the socket file goes. */
static void test_shutdown(void **state)
{
    (void)state;
    char spec[128], path[100];
    unique_spec(spec, sizeof spec, path, sizeof path, "stop");
    gn_potential *p = engine(spec, 30.0);
    fake *f = fake_start(path, 0, FK_SILENT_AFTER_POS, NULL);
    gn_atoms *a = slab(0);
    compute_job j = {.p = p, .a = a};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, compute_thread, &j), 0);
    double t0 = now_s();
    while (!atomic_load(&f->got_pos) && now_s() - t0 < 5.0)
        sleep_ms(5);
    assert_true(atomic_load(&f->got_pos));
    assert_int_equal(access(path, F_OK), 0);
    gn_assert_ok(gn_ipi_shutdown(p, "interrupted by the test"), &j.err);
    pthread_join(th, NULL);
    assert_int_equal(j.rc, GN_EIO);
    assert_non_null(strstr(j.err.msg, "interrupted by the test"));
    assert_true(j.seconds < 5.0);
    assert_true(fake_join(f)); /* it ended on EXIT */
    assert_int_equal(access(path, F_OK), -1);
    gn_potential_free(p);
    gn_atoms_free(a);
}

/* A second server on a live socket name is refused; a left-over socket file is reused. */
static void test_socket_in_use(void **state)
{
    (void)state;
    char spec[128], path[100];
    unique_spec(spec, sizeof spec, path, sizeof path, "inuse");
    gn_potential *p = engine(spec, 10.0), *q = NULL;
    gn_ipi_opts o;
    gn_ipi_opts_default(&o);
    gn_error err;
    assert_int_equal(gn_ipi_potential_alloc(spec, &o, &q, &err), GN_EIO);
    assert_non_null(strstr(err.msg, "in use"));
    gn_potential_free(p);
    /* a socket file nobody listens on (a killed run) */
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    close(fd);
    assert_int_equal(access(path, F_OK), 0);
    gn_assert_ok(gn_ipi_potential_alloc(spec, &o, &q, &err), &err);
    gn_potential_free(q);
    assert_int_equal(access(path, F_OK), -1);
    /* a plain file of that name is not touched */
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fclose(fp);
    assert_int_equal(gn_ipi_potential_alloc(spec, &o, &q, &err), GN_EIO);
    assert_non_null(strstr(err.msg, "not a socket"));
    assert_int_equal(access(path, F_OK), 0);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_box_slab),
        cmocka_unit_test(test_box_wire_cluster),
        cmocka_unit_test(test_box_rotation),
        cmocka_unit_test(test_lammps_data),
        cmocka_unit_test(test_specs),
        cmocka_unit_test(test_units_and_cell),
        cmocka_unit_test(test_native_through_engine),
        cmocka_unit_test(test_batch_native),
        cmocka_unit_test(test_band_and_hessian_parallel),
        cmocka_unit_test(test_resend),
        cmocka_unit_test(test_fault_no_client),
        cmocka_unit_test(test_fault_garbage),
        cmocka_unit_test(test_fault_wrong_count),
        cmocka_unit_test(test_fault_nan),
        cmocka_unit_test(test_fault_silent),
        cmocka_unit_test(test_shutdown),
        cmocka_unit_test(test_socket_in_use),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* gapneb: external force engines over the i-PI socket protocol (gapneb is the server).
 *
 * Any program that speaks i-PI as a client (Quantum ESPRESSO `pw.x --ipi`, CP2K, DFTB+, LAMMPS
 * `fix ipi`, any ASE calculator through ase.calculators.socketio.SocketClient) becomes a potential:
 * the spec `ipi:unix:NAME` listens on the UNIX socket /tmp/ipi_NAME (the i-PI convention),
 * `ipi:inet:PORT` on TCP 127.0.0.1:PORT, `ipi:inet:HOST:PORT` on HOST (`*` or 0.0.0.0: every
 * interface; IPv4). gn_potential_alloc accepts these specs with default options; every clause
 * below applies to a potential made either way.
 *
 * Protocol (i-PI; the layout read from LAMMPS src/MISC/fix_ipi.cpp, ASE
 * ase/calculators/socketio.py and i-PI ipi/interfaces/sockets.py, ipi/engine/forcefields.py):
 * 12-byte ASCII headers padded with spaces; int32 and float64 little-endian. The server sends
 * STATUS, the client answers READY, NEEDINIT or HAVEDATA; INIT is int32 bead index, int32 length
 * and that many bytes (gapneb sends bead 0 and one zero byte, as ASE does); POSDATA is the cell
 * matrix H (9 float64), its inverse (9), int32 natoms and 3 natoms positions; GETFORCE is answered
 * by FORCEREADY, float64 energy, int32 natoms, 3 natoms forces, 9 virial, int32 length and that
 * many bytes of extra text; EXIT ends the client. Cell layout: H has the cell vectors as columns
 * and is sent row by row, so the nine numbers are a_x b_x c_x a_y b_y c_y a_z b_z c_z (LAMMPS
 * reads xy = H[1], xz = H[2], yz = H[5]; ASE sends cell.T); the inverse is H^-1 row by row (as
 * i-PI sends it; ASE's own server sends its transpose, which no client reads). Atomic units on
 * the wire with gapneb's CODATA 2018 constants (units.h): 1 Bohr = GN_BOHR_A = 0.529177210903 Å,
 * 1 Hartree = GN_HARTREE_EV = 27.211386245988 eV, forces Hartree/Bohr. Clients convert with their
 * own constants: LAMMPS uses Bohr = 0.52917721 Å and Hartree = k_B(metal) / 3.1668152e-6 K^-1 =
 * 27.2113857 eV (relative differences -1.7e-9 and -1.8e-8), ASE 0.5291772106 Å and 27.2113860 eV.
 *
 * The engine box: free directions of a model are padded with vacuum (engine_box.h). The box of
 * the first structure of a model is kept for later ones as long as every atom stays at least a
 * quarter of the vacuum inside it, so a DFT engine sees one cell for a whole band; a model with a
 * box of its own (three non-zero cell vectors) is sent in that box in every run.
 *
 * Parallel evaluation: one queue of structures served by every connected client, first come
 * first served; gn_calc_compute_batch (potential.h) puts several structures in the queue at once
 * and returns when all are done. Clients may connect at any time, also while work is waiting.
 *
 * Faults: a client that disconnects (or takes longer than the timeout) has its structure sent to
 * another or a reconnecting client; a structure that three clients dropped ends the run. No
 * client connected within the timeout while work waits, a non-finite energy or force, a wrong
 * atom count, a malformed or unexpected message, or every client started with opts.command gone:
 * the run ends with GN_EIO and a message naming the socket, the client and the problem. After
 * such an end (or gn_ipi_shutdown) every evaluation fails at once with that message; nothing
 * waits longer than the timeout.
 *
 * Threads: the server runs in a thread of its own, started by the allocation, so the potential
 * may be shared by any number of evaluating threads (each with its own gn_calc). The library
 * installs no signal handlers (SIGPIPE is avoided with MSG_NOSIGNAL); a program that wants
 * Ctrl-C to end cleanly calls gn_ipi_shutdown from its own signal-watching thread.
 */
#ifndef GAPNEB_IPI_H
#define GAPNEB_IPI_H

#include <stddef.h>
#include "gapneb/error.h"
#include "gapneb/potential.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Seconds: the longest wait for a client while work is queued and none is connected, and for
 * one evaluation by one client. Long enough for clients started by hand or a DFT step of a few
 * minutes; clients queued on a cluster need more (the option says so). */
#define GN_IPI_TIMEOUT_DEFAULT 600.0

/* Receives one line (no newline) about connections, client processes and resent structures;
 * called from the server thread. */
typedef void (*gn_ipi_log_fn)(void *ctx, const char *line);

typedef struct gn_ipi_opts {
    double timeout;       /* s (GN_IPI_TIMEOUT_DEFAULT) */
    double vacuum;        /* Å, engine_box.h (GN_ENGINE_VACUUM_DEFAULT) */
    const char *command;  /* started count times with /bin/sh -c once the socket listens (NULL:
                             the user starts the clients). Environment: GAPNEB_IPI_MODE (unix or
                             inet), GAPNEB_IPI_ADDRESS (the NAME of a UNIX socket, or the host to
                             connect to), GAPNEB_IPI_PORT (inet; 31415 for unix, which ignore
                             it), GAPNEB_IPI_SOCKET (the UNIX socket path) and GAPNEB_ENGINE_INDEX
                             (1..count). Each runs in a process group of its own (Ctrl-C reaches
                             gapneb only, which sends EXIT), its standard output goes to gapneb's
                             standard error. */
    int count;            /* clients to start (1; used only with command) */
    gn_ipi_log_fn log;    /* may be NULL */
    void *log_ctx;
} gn_ipi_opts;

void gn_ipi_opts_default(gn_ipi_opts *o);

/* Checks ranges: 0 < timeout <= 1e7 s, 0 < vacuum <= 1000 Å, 1 <= count <= 256. */
int gn_ipi_opts_check(const gn_ipi_opts *o, gn_error *err);

/* 1 if name starts with "ipi:" (an engine spec, valid or not). */
int gn_ipi_is_spec(const char *name);

/* Creates the server: parses spec, binds and listens, starts opts->command clients (opts NULL:
 * defaults). The potential's name is the spec, its element Pt (what the clients compute is up to
 * them), its cutoff 0 (no neighbour list). Per-atom energies are not available (GN_ENOTIMPL). */
int gn_ipi_potential_alloc(const char *spec, const gn_ipi_opts *opts, gn_potential **out,
                           gn_error *err);

/* Any potential name: i-PI specs with opts, everything else through gn_potential_alloc (opts
 * must then not name a command: GN_EINVAL). */
int gn_potential_alloc_engine(const char *name, const gn_ipi_opts *opts, gn_potential **out,
                              gn_error *err);

/* 1 if p is an i-PI engine. */
int gn_ipi_is(const gn_potential *p);

/* Ends the service (thread-safe, from any thread while others wait for evaluations): sends EXIT
 * to every client, closes the sockets, removes the UNIX socket file; every waiting and later
 * evaluation fails with GN_EIO and reason. gn_potential_free is still needed. GN_EINVAL if p is
 * not an engine. */
int gn_ipi_shutdown(const gn_potential *p, const char *reason);

typedef struct gn_ipi_client_stats {
    int id;                /* 1, 2, ... in order of connection */
    long pid;              /* peer process of a UNIX-socket client, 0 if unknown */
    char peer[96];         /* "pid 1234" or "127.0.0.1:45678" */
    int connected;
    unsigned long evals;   /* evaluations returned */
    double busy_s;         /* wall time from positions sent to forces received, s */
} gn_ipi_client_stats;

typedef struct gn_ipi_stats {
    size_t nclients;               /* every client that ever connected */
    gn_ipi_client_stats *client;   /* nclients entries (free with gn_ipi_stats_clear) */
    unsigned long evals;           /* evaluations returned */
    unsigned long resent;          /* structures sent again after a client dropped them */
    double wait_s;                 /* wall time with at least one evaluation outstanding, s */
    double queue_s;                /* summed over evaluations: time queued before a client
                                      took it, s */
    int started;                   /* client processes started with opts.command */
} gn_ipi_stats;

/* A snapshot of the counters (thread-safe). */
int gn_ipi_stats_get(const gn_potential *p, gn_ipi_stats *out, gn_error *err);
void gn_ipi_stats_clear(gn_ipi_stats *s);

/* What a run on engine p states at its start, as one line to log: the clients started or
 * awaited, the vacuum padding the free directions of the box sent to them (the box itself is
 * logged through opts.log when a structure first needs it), the timeout. Nothing if p is not an
 * engine. Thread-safe. */
void gn_ipi_report_start(const gn_potential *p, gn_ipi_log_fn log, void *ctx);

/* The report at the end of a run on engine p, a line at a time: evaluations, structures resent,
 * wall time waiting for results and queued, then each client's evaluations and busy time.
 * Nothing if p is not an engine. Thread-safe. */
void gn_ipi_report(const gn_potential *p, gn_ipi_log_fn log, void *ctx);

#ifdef __cplusplus
}
#endif
#endif

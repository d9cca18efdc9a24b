/* gapneb: the i-PI server's internals, shared by its files (not installed). Lengths Å, energies
 * eV on gapneb's side; Bohr and Hartree on the wire. See include/gapneb/ipi.h.
 *
 * ipi_wire.c: bytes and headers on the wire, socket I/O with deadlines;
 * ipi_state.c: the queue, the end of the service, the log;
 * ipi_proc.c: the spec, the listening socket, client processes;
 * ipi_client.c: one client's exchange (positions out, forces in);
 * ipi.c: the server thread, evaluations, the potential. */
#ifndef GAPNEB_IPI_INTERNAL_H
#define GAPNEB_IPI_INTERNAL_H

#include "gapneb/engine_box.h"
#include "gapneb/ipi.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#if defined(__GNUC__)
#define GN_IPI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define GN_IPI_PRINTF(f, a)
#endif

#define HDR 12              /* header length, bytes */
#define MSG_TIMEOUT_MAX 10.0 /* s: a message once begun arrives whole within this */
#define MAX_DROPS 3         /* clients that may drop one structure before the run ends */
#define EXTRA_MAX (1 << 24) /* bytes of FORCEREADY extra text accepted */
#define BOX_CACHE 64        /* engine boxes remembered (one per model in a run, normally) */
#define UNIX_PREFIX "/tmp/ipi_"
#define CHILD_GRACE 5.0     /* s for started clients to leave after EXIT before SIGTERM */

typedef struct ipi_batch {
    size_t left;
    int rc;
    gn_error err;
} ipi_batch;

typedef struct ipi_job {
    const gn_atoms *a;
    double *energy, *forces;
    ipi_batch *batch;
    size_t index, count; /* position in its batch, for messages */
    int drops;
    double t_queued;
    struct ipi_job *next;
} ipi_job;

/* A client is asked for its status as soon as it connects and again as soon as it has returned
 * forces (as i-PI does), so that a structure goes out with one round trip less: ASKED (STATUS
 * sent, no structure), READY (waiting for a structure), BUSY (positions and STATUS sent). */
enum cl_state { CL_ASKED, CL_READY, CL_BUSY, CL_GONE };

typedef struct ipi_client {
    int fd;
    gn_ipi_client_stats st;
    enum cl_state state;
    ipi_job *job;
    gn_engine_box box; /* of the current job */
    int inits;
    double t_sent, deadline;
    unsigned char *buf;
    double *pos;
    size_t cap; /* atoms buf and pos hold */
} ipi_client;

typedef struct box_entry {
    size_t n;
    gn_cell cell;
    gn_engine_box box;
} box_entry;

typedef struct ipi_server {
    char spec[256];
    gn_ipi_opts o;
    char *command;
    double msg_timeout;
    int inet, port;
    char host[256];         /* inet: address bound ("" = every interface) */
    char connect_host[256]; /* what a local client connects to: the host, or the UNIX NAME */
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    char where[300];        /* "/tmp/ipi_x" or "127.0.0.1:31415", for messages */
    int lfd, wake[2];
    dev_t sock_dev;
    ino_t sock_ino;
    int own_file;
    pthread_t th;
    int th_started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int mu_ok, cv_ok;
    /* guarded by mu */
    ipi_job *head, *tail;
    size_t queued, outstanding;
    int failed, stopping;
    gn_error fail;
    char stop_reason[256];
    ipi_client **cl;
    size_t ncl, capcl, nconn;
    unsigned long evals, resent;
    double wait_s, wait_since, queue_s, t_noclient;
    /* server thread only */
    pid_t *child;
    int *child_done;
    int nchild, child_alive;
    char child_exit[160];
    box_entry *boxes;
    size_t nbox;
} ipi_server;

/* ---- ipi_wire.c ---- */
enum { IO_OK = 0, IO_CLOSED = 1, IO_TIMEOUT = 2, IO_ERROR = 3 };
double gn_ipi_now(void);
void gn_ipi_put_f64(unsigned char *p, double v);
void gn_ipi_put_i32(unsigned char *p, int32_t v);
double gn_ipi_get_f64(const unsigned char *p);
int32_t gn_ipi_get_i32(const unsigned char *p);
void gn_ipi_put_hdr(unsigned char *p, const char *word);
int gn_ipi_hdr_is(const unsigned char *h, const char *word);
const char *gn_ipi_hdr_show(const unsigned char *h, char out[64]);
/* 0 (IO_OK), or IO_CLOSED, IO_TIMEOUT, IO_ERROR; non-blocking sockets */
int gn_ipi_send_all(int fd, const void *buf, size_t len, double deadline);
int gn_ipi_recv_all(int fd, void *buf, size_t len, double deadline);
int gn_ipi_skip_bytes(int fd, size_t n, double deadline);
int gn_ipi_send_word(int fd, const char *word, double deadline);

/* ---- ipi_state.c (the *_locked ones with s->mu held) ---- */
void gn_ipi_log(const ipi_server *s, const char *fmt, ...) GN_IPI_PRINTF(2, 3);
void gn_ipi_wake(ipi_server *s);
void gn_ipi_fail_locked(ipi_server *s, int code, const char *msg);
void gn_ipi_fail(ipi_server *s, int code, const char *fmt, ...) GN_IPI_PRINTF(3, 4);
void gn_ipi_end_error(const ipi_server *s, gn_error *e);
void gn_ipi_complete_locked(ipi_server *s, ipi_job *j, int rc, const gn_error *e);
const char *gn_ipi_client_name(const ipi_client *c, char *buf, size_t size);
ipi_job *gn_ipi_pop_locked(ipi_server *s, double t);
void gn_ipi_push_front_locked(ipi_server *s, ipi_job *j, double t);

/* ---- ipi_proc.c ---- */
int gn_ipi_parse_spec(ipi_server *s, const char *spec, gn_error *err);
int gn_ipi_listen_unix(ipi_server *s, gn_error *err);
int gn_ipi_listen_inet(ipi_server *s, gn_error *err);
int gn_ipi_spawn_clients(ipi_server *s, gn_error *err);
void gn_ipi_reap_children(ipi_server *s);
void gn_ipi_end_children(ipi_server *s);

/* ---- ipi_client.c (server thread only) ---- */
void gn_ipi_accept_clients(ipi_server *s);
void gn_ipi_drop_client(ipi_server *s, ipi_client *c, const char *why);
void gn_ipi_io_trouble(ipi_server *s, ipi_client *c, int r, const char *what);
int gn_ipi_find_box(ipi_server *s, const gn_atoms *a, gn_engine_box *out, gn_error *err);
void gn_ipi_send_positions(ipi_server *s, ipi_client *c);
void gn_ipi_ask_status(ipi_server *s, ipi_client *c);
void gn_ipi_client_input(ipi_server *s, ipi_client *c);

#endif

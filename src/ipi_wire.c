/* gapneb: the i-PI server's wire: little-endian int32 and float64 whatever the host, 12-byte
 * headers, and socket I/O with deadlines on non-blocking sockets (so no read or write waits
 * without a bound). See src/ipi_internal.h. */
#define _GNU_SOURCE
#include "ipi_internal.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

double gn_ipi_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void put_u64(unsigned char *p, uint64_t u)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(u >> (8 * i));
}

void gn_ipi_put_f64(unsigned char *p, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    put_u64(p, u);
}

void gn_ipi_put_i32(unsigned char *p, int32_t v)
{
    uint32_t u = (uint32_t)v;
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(u >> (8 * i));
}

double gn_ipi_get_f64(const unsigned char *p)
{
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u |= (uint64_t)p[i] << (8 * i);
    double v;
    memcpy(&v, &u, 8);
    return v;
}

int32_t gn_ipi_get_i32(const unsigned char *p)
{
    uint32_t u = 0;
    for (int i = 0; i < 4; i++)
        u |= (uint32_t)p[i] << (8 * i);
    return (int32_t)u;
}

void gn_ipi_put_hdr(unsigned char *p, const char *word)
{
    memset(p, ' ', HDR);
    memcpy(p, word, strlen(word));
}

/* 1 if h is word padded with spaces (or NULs, which some C clients leave). */
int gn_ipi_hdr_is(const unsigned char *h, const char *word)
{
    size_t n = strlen(word);
    if (memcmp(h, word, n) != 0)
        return 0;
    for (size_t i = n; i < HDR; i++)
        if (h[i] != ' ' && h[i] != '\0')
            return 0;
    return 1;
}

/* A header as text for messages, control bytes escaped. */
const char *gn_ipi_hdr_show(const unsigned char *h, char out[64])
{
    size_t k = 0;
    size_t end = HDR;
    while (end > 0 && (h[end - 1] == ' ' || h[end - 1] == '\0'))
        end--;
    for (size_t i = 0; i < end; i++) {
        if (h[i] >= 32 && h[i] < 127 && h[i] != '\\')
            out[k++] = (char)h[i];
        else
            k += (size_t)snprintf(out + k, 8, "\\x%02x", h[i]);
    }
    out[k] = '\0';
    return out;
}

static int io_wait(int fd, short ev, double deadline)
{
    for (;;) {
        double left = deadline - gn_ipi_now();
        if (left <= 0.0)
            return IO_TIMEOUT;
        struct pollfd p = {fd, ev, 0};
        int r = poll(&p, 1, (int)fmin(ceil(left * 1000.0), 1e9));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return IO_ERROR;
        if (r == 0)
            return IO_TIMEOUT;
        return IO_OK;
    }
}

int gn_ipi_send_all(int fd, const void *buf, size_t len, double deadline)
{
    const unsigned char *p = buf;
    while (len > 0) {
        ssize_t w = send(fd, p, len, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            len -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int r = io_wait(fd, POLLOUT, deadline);
            if (r)
                return r;
            continue;
        }
        return (errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN) ? IO_CLOSED
                                                                             : IO_ERROR;
    }
    return IO_OK;
}

int gn_ipi_recv_all(int fd, void *buf, size_t len, double deadline)
{
    unsigned char *p = buf;
    while (len > 0) {
        ssize_t r = recv(fd, p, len, 0);
        if (r > 0) {
            p += r;
            len -= (size_t)r;
            continue;
        }
        if (r == 0)
            return IO_CLOSED;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int w = io_wait(fd, POLLIN, deadline);
            if (w)
                return w;
            continue;
        }
        return errno == ECONNRESET ? IO_CLOSED : IO_ERROR;
    }
    return IO_OK;
}

/* Reads and discards n bytes. */
int gn_ipi_skip_bytes(int fd, size_t n, double deadline)
{
    unsigned char junk[4096];
    while (n > 0) {
        size_t k = n < sizeof junk ? n : sizeof junk;
        int r = gn_ipi_recv_all(fd, junk, k, deadline);
        if (r)
            return r;
        n -= k;
    }
    return IO_OK;
}

/* One header word. */
int gn_ipi_send_word(int fd, const char *word, double deadline)
{
    unsigned char h[HDR];
    gn_ipi_put_hdr(h, word);
    return gn_ipi_send_all(fd, h, HDR, deadline);
}

/* gapneb: whole-file reads and atomic (temporary + rename) writes. */
#include "gapneb/fileio.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define GN_FILE_MAX ((size_t)1 << 30)

int gn_file_read_all(const char *path, char **buf, size_t *len, gn_error *err)
{
    *buf = NULL;
    if (len)
        *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return gn_error_set(err, GN_EIO, "%s: cannot open: %s", path, strerror(errno));
    /* a folder opens fine on Linux and only fails at the first read, with a vaguer message */
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(fp);
        return gn_error_set(err, GN_EIO, "%s: is a directory, not a file", path);
    }
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap + 1);
    if (!b) {
        fclose(fp);
        return gn_error_set(err, GN_ENOMEM, "%s: out of memory", path);
    }
    for (;;) {
        if (n == cap) {
            if (cap >= GN_FILE_MAX) {
                free(b);
                fclose(fp);
                return gn_error_set(err, GN_EIO, "%s: file larger than 1 GiB", path);
            }
            cap *= 2;
            char *nb = realloc(b, cap + 1);
            if (!nb) {
                free(b);
                fclose(fp);
                return gn_error_set(err, GN_ENOMEM, "%s: out of memory", path);
            }
            b = nb;
        }
        size_t got = fread(b + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(fp), e = errno;
    fclose(fp);
    if (bad) {
        free(b);
        return gn_error_set(err, GN_EIO, "%s: read error: %s", path, strerror(e ? e : EIO));
    }
    b[n] = '\0';
    *buf = b;
    if (len)
        *len = n;
    return GN_OK;
}

/* A fresh temporary name beside path, created exclusively with mode 0666 so that the process
 * umask applies as for any other output. (mkstemp creates 0600, and resetting the umask to
 * compute the right mode would be a race between threads writing rows at the same time.) */
static int open_temporary(const char *path, char **tmp_out, int *fd_out, gn_error *err)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 64);
    if (!tmp)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long salt = (unsigned long)ts.tv_nsec ^ ((unsigned long)(uintptr_t)tmp << 7);
    for (int attempt = 0; attempt < 100; attempt++) {
        snprintf(tmp, plen + 64, "%s.tmp.%ld.%lx", path, (long)getpid(),
                 (salt + 7919UL * (unsigned long)attempt) & 0xffffffffUL);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            *tmp_out = tmp;
            *fd_out = fd;
            return GN_OK;
        }
        if (errno != EEXIST)
            break;
    }
    int rc = gn_error_set(err, GN_EIO, "%s: cannot create a temporary file: %s", path,
                          strerror(errno));
    free(tmp);
    return rc;
}

int gn_file_write_atomic(const char *path, gn_writer_fn write, void *ctx, gn_error *err)
{
    char *tmp = NULL;
    int fd = -1;
    int rc = open_temporary(path, &tmp, &fd, err);
    if (rc)
        return rc;
    FILE *fp = fdopen(fd, "w");
    if (!fp) {
        close(fd);
        unlink(tmp);
        free(tmp);
        return gn_error_set(err, GN_EIO, "%s: cannot open a temporary file", path);
    }
    /* errno as the failing write left it is the reason to report ("No space left on device");
     * a writer that noticed the failure itself says only "write failed", so it is added here */
    errno = 0;
    rc = write(fp, ctx, err);
    int e = errno;
    if (fflush(fp) != 0) {
        e = errno;
        if (rc == GN_OK)
            rc = gn_error_set(err, GN_EIO, "%s: write failed: %s", path, strerror(e));
    }
    if (ferror(fp) && rc == GN_OK)
        rc = gn_error_set(err, GN_EIO, "%s: write failed: %s", path, strerror(e ? e : EIO));
    if (fclose(fp) != 0 && rc == GN_OK)
        rc = gn_error_set(err, GN_EIO, "%s: close failed: %s", path, strerror(errno));
    if (rc == GN_EIO && e && err && !strstr(err->msg, strerror(e))) {
        size_t len = strlen(err->msg);
        snprintf(err->msg + len, sizeof err->msg - len, ": %s", strerror(e));
    }
    if (rc == GN_OK && rename(tmp, path) != 0)
        rc = gn_error_set(err, GN_EIO, "%s: cannot rename the temporary file into place: %s",
                          path, strerror(errno));
    if (rc != GN_OK)
        unlink(tmp);
    free(tmp);
    return rc;
}

static int write_text(FILE *fp, void *ctx, gn_error *err)
{
    (void)err;
    fputs((const char *)ctx, fp);
    return GN_OK;
}

int gn_file_write_string(const char *path, const char *text, gn_error *err)
{
    return gn_file_write_atomic(path, write_text, (void *)text, err);
}

int gn_mkdir_p(const char *path, gn_error *err)
{
    size_t n = strlen(path);
    char *p = malloc(n + 1);
    if (!p)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    memcpy(p, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            int rc = gn_error_set(err, GN_EIO, "%s: cannot create folder: %s", p, strerror(errno));
            free(p);
            return rc;
        }
        p[i] = c;
    }
    free(p);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return gn_error_set(err, GN_EIO, "%s: not a folder", path);
    return GN_OK;
}

int gn_dir_lock(const char *dir, int *fd, gn_error *err)
{
    char path[4200];
    *fd = -1;
    int rc = gn_path_join(path, sizeof path, dir, ".gapneb.lock", err);
    if (rc)
        return rc;
    int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (f < 0)
        return gn_error_set(err, GN_EIO, "%s: cannot write in this folder (%s)", dir,
                            strerror(errno));
    if (flock(f, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t k = pread(f, pid, sizeof pid - 1, 0);
        pid[k > 0 ? k : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        close(f);
        return gn_error_set(err, GN_EIO, "%s is in use by another gapneb run%s%s%s; wait for it "
                            "or choose another output folder", dir, pid[0] ? " (pid " : "",
                            pid, pid[0] ? ")" : "");
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(f, 0) != 0 || pwrite(f, pid, (size_t)n, 0) != n) {
        int saved = errno;
        close(f);
        return gn_error_set(err, GN_EIO, "%s: cannot write the lock file (%s)", dir,
                            strerror(saved));
    }
    *fd = f;
    return GN_OK;
}

void gn_dir_unlock(int fd)
{
    if (fd >= 0)
        close(fd); /* closing releases the flock; the file stays, unlocked, for the next run */
}

int gn_path_join(char *out, size_t cap, const char *dir, const char *name, gn_error *err)
{
    int k = snprintf(out, cap, "%s/%s", dir, name);
    if (k < 0 || (size_t)k >= cap)
        return gn_error_set(err, GN_EINVAL, "path too long (%zu bytes at most): %s/%s",
                            cap ? cap - 1 : 0, dir, name);
    return GN_OK;
}

const char *gn_path_ext(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return (dot && dot != base) ? dot + 1 : "";
}

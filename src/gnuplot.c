/* gapneb: gnuplot scripts and drawing (see gnuplot.h and gnuplot_internal.h). */
#include "gnuplot_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gapneb/fileio.h"

/* Output of every script: PNG and SVG, with the cairo PNG terminal where gnuplot has one. A user
 * redraws a restyled figure with `gnuplot NAME.gp`; gapneb passes tmp='.tmpPID' so that the
 * figures appear whole or not at all. */
void gn_gp_head(gn_strbuf *b, const char *name, const char *what, const char *data)
{
    gn_strbuf_printf(
        b,
        "# gapneb: %s.\n# Data: %s (blocks separated by two blank lines; gnuplot 'index').\n"
        "# Redraw after restyling: gnuplot %s.gp   (writes %s.png and %s.svg)\n"
        "if (!exists('tmp')) tmp = ''\n"
        "if (!exists('formats')) formats = 'png svg'\n"
        "set encoding utf8\nset grid\nset key inside top left box opaque\n"
        "set offsets 0, 0, graph 0.3, 0\n",
        what, data, name, name, name);
}

void gn_gp_loop_open(gn_strbuf *b, const char *name) { gn_gp_loop_open_size(b, name, 900, 620); }

void gn_gp_loop_open_size(gn_strbuf *b, const char *name, int width, int height)
{
    gn_strbuf_printf(
        b,
        "do for [fmt in formats] {\n"
        "  if (fmt eq 'png') {\n"
        "    if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
        "      set terminal pngcairo size %d,%d noenhanced font ',11'\n"
        "    } else {\n"
        "      set terminal png size %d,%d noenhanced\n"
        "    }\n"
        "  } else {\n"
        "    set terminal svg size %d,%d noenhanced font 'sans,13' background rgb 'white'\n"
        "  }\n"
        "  set output '%s.'.fmt.tmp\n",
        width, height, width, height, width, height, name);
}

void gn_gp_loop_close(gn_strbuf *b) { gn_strbuf_printf(b, "\n  unset output\n}\n"); }

void gn_gp_quote(gn_strbuf *b, const char *s)
{
    gn_strbuf_printf(b, "'");
    for (; *s; s++)
        gn_strbuf_printf(b, *s == '\'' ? "''" : "%c", *s); /* only ' needs doubling */
    gn_strbuf_printf(b, "'");
}

int gn_gp_write(gn_strbuf *b, const char *path, gn_error *err)
{
    int rc = b->oom ? gn_error_set(err, GN_ENOMEM, "%s: out of memory", path)
                    : gn_file_write_string(path, gn_strbuf_text(b), err);
    gn_strbuf_clear(b);
    return rc;
}

int gn_gnuplot_find(const char *given, char *out, size_t cap)
{
    const char *name = given ? given : getenv("GNUPLOT");
    if (!name || !*name)
        name = "gnuplot";
    if (strchr(name, '/')) {
        if ((size_t)snprintf(out, cap, "%s", name) >= cap)
            return 0;
        return access(name, X_OK) == 0;
    }
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        const char *end = strchr(path, ':');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        if (len && (size_t)snprintf(out, cap, "%.*s/%s", (int)len, path, name) < cap &&
            access(out, X_OK) == 0)
            return 1;
        path += len + (end != NULL);
    }
    return 0;
}

static int run_gnuplot(const char *dir, const char *script, const char *gp, const char *tmp)
{
    char arg[64];
    snprintf(arg, sizeof arg, "tmp='%s'", tmp);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(127);
        execl(gp, gp, "-e", arg, script, (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Moves NAME.FMT.tmpPID over NAME.FMT for both formats (or removes them when gnuplot failed). */
static int publish(const char *dir, const char *base, const char *tmp, int ok, gn_error *err)
{
    static const char *const fmts[] = {"png", "svg"};
    int rc = GN_OK;
    for (int k = 0; k < 2; k++) {
        char from[6000], to[6000];
        snprintf(from, sizeof from, "%s/%s.%s%s", dir, base, fmts[k], tmp);
        snprintf(to, sizeof to, "%s/%s.%s", dir, base, fmts[k]);
        if (!ok)
            unlink(from);
        else if (rename(from, to) != 0 && rc == GN_OK)
            rc = gn_error_set(err, GN_EIO, "%s: gnuplot wrote no figure (%s)", to,
                              strerror(errno));
    }
    return rc;
}

int gn_gnuplot_draw(const char *script, const char *gnuplot, gn_error *err)
{
    char gp[4096];
    if (!gn_gnuplot_find(gnuplot, gp, sizeof gp))
        return gn_error_set(err, GN_EEXTERNAL, "gnuplot not found (install gnuplot or set "
                                               "GNUPLOT); draw later with: gnuplot %s", script);
    char dir[4096], base[1024];
    const char *slash = strrchr(script, '/');
    size_t dlen = slash ? (size_t)(slash - script) : 1, blen = strlen(slash ? slash + 1 : script);
    if (dlen >= sizeof dir || blen >= sizeof base) /* gnuplot would run elsewhere or publish
                                                      under a shortened name */
        return gn_error_set(err, GN_EINVAL, "%s: path too long for drawing (folder %zu, name "
                            "%zu bytes at most)", script, sizeof dir - 1, sizeof base - 1);
    snprintf(dir, sizeof dir, "%.*s", (int)dlen, slash ? script : ".");
    snprintf(base, sizeof base, "%s", slash ? slash + 1 : script);
    char *dot = strrchr(base, '.');
    if (dot && !strcmp(dot, ".gp"))
        *dot = '\0';
    char tmp[32];
    snprintf(tmp, sizeof tmp, ".tmp%ld", (long)getpid());
    int status = run_gnuplot(dir, slash ? slash + 1 : script, gp, tmp);
    int rc = publish(dir, base, tmp, status == 0, err);
    if (status != 0)
        return gn_error_set(err, GN_EEXTERNAL, "%s: gnuplot failed (exit status %d)", script,
                            status);
    return rc;
}

void gn_gnuplot_draw_all(char **scripts, size_t n, const char *gnuplot, const char *folder,
                         gn_figure_status *st)
{
    char gp[4096];
    st->gnuplot = gn_gnuplot_find(gnuplot, gp, sizeof gp);
    if (!st->gnuplot) {
        gn_fmt_trunc(st->note, sizeof st->note,
                 "gnuplot not found: figure data and scripts are in %s; draw them with "
                 "'cd %s && for f in *.gp; do gnuplot \"$f\"; done'",
                 folder, folder);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        gn_error e;
        if (gn_gnuplot_draw(scripts[i], gp, &e) == GN_OK)
            st->drawn++;
        else if (!st->note[0])
            gn_fmt_trunc(st->note, sizeof st->note, "%s", e.msg);
    }
}

/* Tests of the shared library's public face: every symbol it exports (nm -D --defined-only) is
 * gn_-prefixed and declared in an installed header (the headers in include/gapneb, comments removed, read
 * here independently of mk/export-symbols.sh), so internal helpers shared between library files
 * stay private. Skips (77) without nm or without a shared library (a static-only build). */
#define _XOPEN_SOURCE 700
#include "gn_test.h"

#include <ctype.h>
#include <dirent.h>
#include <unistd.h>

static char *read_all(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = calloc(1, (size_t)n + 1);
    if (fread(s, 1, (size_t)n, fp) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(fp);
    return s;
}

/* All installed headers, concatenated, with comments replaced by spaces. */
static char *headers_without_comments(void)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/include/gapneb", gn_test_srcdir());
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t cap = 1 << 20, len = 0;
    char *all = calloc(1, cap);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 3 || strcmp(e->d_name + n - 2, ".h"))
            continue;
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *s = read_all(path);
        assert_non_null(s);
        size_t k = strlen(s);
        while (len + k + 2 > cap)
            all = realloc(all, cap *= 2);
        memcpy(all + len, s, k);
        len += k;
        all[len++] = '\n';
        all[len] = '\0';
        free(s);
    }
    closedir(d);
    for (char *p = all; *p; p++)
        if (p[0] == '/' && p[1] == '*')
            for (; *p && !(p[0] == '*' && p[1] == '/'); p++)
                *p = ' ';
    return all;
}

/* NAME followed by '(' with only blanks between, not inside a longer identifier. */
static int declared(const char *headers, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(headers, name); p; p = strstr(p + 1, name)) {
        if (p > headers && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
            continue;
        const char *q = p + n;
        while (*q == ' ' || *q == '\t' || *q == '\n')
            q++;
        if (*q == '(')
            return 1;
    }
    return 0;
}

static void test_exports(void **state)
{
    (void)state;
    char lib[1024], cmd[1200];
    const char *bd = getenv("GN_BUILDDIR");
    snprintf(lib, sizeof lib, "%s/.libs/libgapneb.so", bd ? bd : GN_TEST_BUILDDIR);
    if (access(lib, R_OK) != 0 || system("nm --version > /dev/null 2>&1") != 0)
        skip();
    snprintf(cmd, sizeof cmd, "nm -D --defined-only '%s'", lib);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *headers = headers_without_comments();
    char line[512], bad[8192] = "";
    size_t nbad = 0, nexp = 0, len = 0;
    while (fgets(line, sizeof line, p)) {
        char addr[64], type[8], name[256];
        if (sscanf(line, "%63s %7s %255s", addr, type, name) != 3)
            continue;
        if (strchr("TDBRtdbr", type[0]) == NULL || islower((unsigned char)type[0]))
            continue; /* exported code and data only (lower case = local) */
        nexp++;
        if (strncmp(name, "gn_", 3) || !declared(headers, name)) {
            nbad++;
            len += (size_t)snprintf(bad + len, len < sizeof bad ? sizeof bad - len : 0, " %s",
                                    name);
        }
    }
    pclose(p);
    free(headers);
    print_message("%zu exported symbols\n", nexp);
    assert_true(nexp > 100);
    if (nbad)
        fail_msg("%zu exported symbols are not the documented gn_ API:%s", nbad, bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_exports)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

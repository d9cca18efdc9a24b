/* Tests of the code's layout, read from the sources themselves:
 * - no include or call cycle between files: every source and header file is a node; a file
 *   depends on a header it includes and on the source file that defines a function it calls;
 *   the graph must have no cycle (a header that only declares types and functions does not
 *   depend on the sources that define them, so a module's internal header may include its
 *   public header);
 * - no source file in src/ (command line included) is longer than GN_MAX_LINES lines;
 * - every installed header states its units or says it has none, and its thread safety.
 * The test fails by naming the files and the function or header that close the cycle. */
#define _XOPEN_SOURCE 700
#include "gn_test.h"

#include <dirent.h>
#include <ctype.h>

#define GN_MAX_LINES 700
#define MAX_FILES 256
#define MAX_DEFS 4096

typedef struct file {
    char path[512];   /* relative to the source tree */
    char unit[300];
    char *text;       /* comments and string literals blanked */
    char *raw;
} file;

typedef struct tree {
    file f[MAX_FILES];
    size_t n;
    char units[MAX_FILES][300];
    size_t nunits;
    int edge[MAX_FILES][MAX_FILES];
    char why[MAX_FILES][MAX_FILES][96];
    char def_name[MAX_DEFS][96];
    int def_file[MAX_DEFS];
    size_t ndefs;
} tree;

static char *read_text(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t k = fread(s, 1, (size_t)n, fp);
    s[k] = '\0';
    fclose(fp);
    return s;
}

/* Comments and the insides of string and character literals become spaces (newlines kept), so
 * that names in them are not taken for calls. */
static void blank_comments(char *s)
{
    for (char *p = s; *p; p++) {
        if (p[0] == '/' && p[1] == '*') {
            for (; *p && !(p[0] == '*' && p[1] == '/'); p++)
                if (*p != '\n')
                    *p = ' ';
            if (*p)
                p[0] = p[1] = ' ';
            else
                break;
        } else if (p[0] == '/' && p[1] == '/') {
            for (; *p && *p != '\n'; p++)
                *p = ' ';
            if (!*p)
                break;
        } else if (*p == '"' || *p == '\'') {
            char q = *p++;
            for (; *p && *p != q; p++) {
                if (*p == '\\' && p[1])
                    *p++ = ' ';
                if (*p != '\n')
                    *p = ' ';
            }
            if (!*p)
                break;
        }
    }
}

static const char *src(void) { return gn_test_srcdir(); }

static void add_file(tree *t, const char *rel)
{
    assert_true(t->n < MAX_FILES);
    file *f = &t->f[t->n++];
    char full[1024];
    snprintf(f->path, sizeof f->path, "%s", rel);
    snprintf(full, sizeof full, "%s/%s", src(), rel);
    f->raw = read_text(full);
    assert_non_null(f->raw);
    f->text = strdup(f->raw);
    blank_comments(f->text);
    snprintf(f->unit, sizeof f->unit, "%s", rel); /* every file is a node of its own */
}

static void add_dir(tree *t, const char *dir, const char *ext)
{
    char full[1024];
    snprintf(full, sizeof full, "%s/%s", src(), dir);
    DIR *d = opendir(full);
    assert_non_null(d);
    struct dirent *e;
    char names[MAX_FILES][128];
    size_t n = 0;
    while ((e = readdir(d)) && n < MAX_FILES) {
        size_t len = strlen(e->d_name);
        if (len > strlen(ext) && len < sizeof names[0] &&
            !strcmp(e->d_name + len - strlen(ext), ext))
            memcpy(names[n++], e->d_name, len + 1);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    for (size_t i = 0; i < n; i++) {
        char rel[300];
        assert_true(strlen(dir) + strlen(names[i]) + 2 <= sizeof rel);
        snprintf(rel, sizeof rel, "%.150s/%.128s", dir, names[i]);
        add_file(t, rel);
    }
}

static int unit_index(tree *t, const char *unit)
{
    for (size_t i = 0; i < t->nunits; i++)
        if (!strcmp(t->units[i], unit))
            return (int)i;
    assert_true(strlen(unit) < sizeof t->units[0] && t->nunits < MAX_FILES);
    memmove(t->units[t->nunits], unit, strlen(unit) + 1); /* unit may point into t */
    return (int)t->nunits++;
}

static int file_of_include(const tree *t, const file *from, const char *inc)
{
    char want[600];
    if (!strncmp(inc, "gapneb/", 7))
        snprintf(want, sizeof want, "include/%s", inc);
    else {
        const char *slash = strrchr(from->path, '/');
        snprintf(want, sizeof want, "%.*s/%s", (int)(slash - from->path), from->path, inc);
    }
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->f[i].path, want))
            return (int)i;
    return -1;
}

static void add_edge(tree *t, int a, int b, const char *why)
{
    if (a == b || t->edge[a][b])
        return;
    t->edge[a][b] = 1;
    snprintf(t->why[a][b], sizeof t->why[0][0], "%s", why);
}

/* Non-static functions defined in .c files: a line at column 0 that names gn_NAME( and is not
 * a declaration (no ';' before the body). */
static void collect_defs(tree *t)
{
    for (size_t i = 0; i < t->n; i++) {
        const file *f = &t->f[i];
        size_t len = strlen(f->path);
        if (strcmp(f->path + len - 2, ".c"))
            continue;
        for (const char *line = f->text; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
            if (!isalpha((unsigned char)*line) || !strncmp(line, "static", 6) ||
                !strncmp(line, "typedef", 7) || !strncmp(line, "extern", 6))
                continue;
            const char *g = strstr(line, "gn_");
            const char *eol = strchr(line, '\n');
            if (!g || (eol && g > eol))
                continue;
            const char *paren = strchr(g, '(');
            const char *semi = strchr(g, ';'), *brace = strchr(g, '{');
            if (!paren || (eol && paren > eol) || !brace || (semi && semi < brace))
                continue;
            assert_true(t->ndefs < MAX_DEFS);
            snprintf(t->def_name[t->ndefs], sizeof t->def_name[0], "%.*s", (int)(paren - g), g);
            t->def_file[t->ndefs++] = (int)i;
        }
    }
}

static int defined_in(const tree *t, const char *name)
{
    for (size_t k = 0; k < t->ndefs; k++)
        if (!strcmp(t->def_name[k], name))
            return t->def_file[k];
    return -1;
}

static void collect_edges(tree *t)
{
    for (size_t i = 0; i < t->n; i++) {
        const file *f = &t->f[i];
        int a = unit_index(t, f->unit);
        /* includes: read from the raw text (the name is a string literal) */
        for (const char *p = strstr(f->raw, "#include \""); p; p = strstr(p + 1, "#include \"")) {
            char inc[256];
            if (sscanf(p + 10, "%255[^\"]", inc) != 1)
                continue;
            int k = file_of_include(t, f, inc);
            if (k >= 0) {
                char why[96];
                snprintf(why, sizeof why, "#include \"%.80s\"", inc);
                add_edge(t, a, unit_index(t, t->f[k].unit), why);
            }
        }
        /* calls of functions defined in another source file (headers only declare them) */
        if (strcmp(f->path + strlen(f->path) - 2, ".c"))
            continue;
        for (const char *p = strstr(f->text, "gn_"); p; p = strstr(p + 1, "gn_")) {
            if (p > f->text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
                continue;
            size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");
            const char *q = p + n;
            while (*q == ' ')
                q++;
            if (*q != '(' || n >= 96)
                continue;
            char name[96];
            snprintf(name, sizeof name, "%.*s", (int)n, p);
            int k = defined_in(t, name);
            if (k >= 0)
                add_edge(t, a, unit_index(t, t->f[k].unit), name);
        }
    }
}

/* Depth-first search for a cycle; on finding one, fails with its path. */
static void dfs(tree *t, int u, int *state, int *stack, int depth)
{
    state[u] = 1;
    stack[depth] = u;
    for (size_t v = 0; v < t->nunits; v++) {
        if (!t->edge[u][v])
            continue;
        if (state[v] == 1) {
            char msg[4096] = "";
            size_t len = 0;
            int start = depth;
            while (stack[start] != (int)v)
                start--;
            for (int k = start; k <= depth; k++) {
                int from = stack[k], to = k < depth ? stack[k + 1] : (int)v;
                len += (size_t)snprintf(msg + len, sizeof msg - len, "  %s -> %s (%s)\n",
                                        t->units[from], t->units[to], t->why[from][to]);
            }
            fail_msg("dependency cycle between files:\n%s", msg);
        }
        if (state[v] == 0)
            dfs(t, (int)v, state, stack, depth + 1);
    }
    state[u] = 2;
}

static tree *load_tree(void)
{
    tree *t = calloc(1, sizeof *t);
    assert_non_null(t);
    add_dir(t, "include/gapneb", ".h");
    add_dir(t, "src", ".c");
    add_dir(t, "src", ".h");
    add_dir(t, "src/cli", ".c");
    add_dir(t, "src/cli", ".h");
    for (size_t i = 0; i < t->n; i++)
        unit_index(t, t->f[i].unit);
    collect_defs(t);
    collect_edges(t);
    return t;
}

static void free_tree(tree *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->f[i].text);
        free(t->f[i].raw);
    }
    free(t);
}

static void test_no_cycles(void **state)
{
    (void)state;
    tree *t = load_tree();
    print_message("%zu files, %zu units, %zu functions\n", t->n, t->nunits, t->ndefs);
    assert_true(t->ndefs > 100); /* the scanner found the library's functions */
    int st[MAX_FILES] = {0}, stack[MAX_FILES];
    for (size_t u = 0; u < t->nunits; u++)
        if (!st[u])
            dfs(t, (int)u, st, stack, 0);
    free_tree(t);
}

/* The scanner itself: a cycle it must see (two sources calling each other) and one it must
 * not (a call named only in a comment). */
static void test_scanner(void **state)
{
    (void)state;
    char s[] = "int a(void) { return gn_b(); } /* gn_c() */ const char *x = \"gn_d()\";";
    blank_comments(s);
    assert_non_null(strstr(s, "gn_b("));
    assert_null(strstr(s, "gn_c("));
    assert_null(strstr(s, "gn_d("));
}

static void test_file_lengths(void **state)
{
    (void)state;
    tree *t = load_tree();
    char msg[4096] = "";
    size_t len = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (strncmp(t->f[i].path, "src/", 4))
            continue;
        int lines = 0;
        for (const char *p = t->f[i].raw; *p; p++)
            lines += *p == '\n';
        if (lines > GN_MAX_LINES)
            len += (size_t)snprintf(msg + len, sizeof msg - len, "  %s: %d lines\n",
                                    t->f[i].path, lines);
    }
    free_tree(t);
    if (len)
        fail_msg("files longer than %d lines (split them by job):\n%s", GN_MAX_LINES, msg);
}

static void test_headers_state_units_and_threads(void **state)
{
    (void)state;
    tree *t = load_tree();
    for (size_t i = 0; i < t->n; i++) {
        const file *f = &t->f[i];
        if (strncmp(f->path, "include/gapneb/", 15))
            continue;
        /* the first comment of the header */
        const char *end = strstr(f->raw, "*/");
        char *head = strndup(f->raw, end ? (size_t)(end - f->raw) : 0);
        int units = strstr(head, "Å") || strstr(head, "eV") || strstr(head, "amu");
        for (char *p = head; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (!strstr(head, "thread"))
            fail_msg("%s: the header comment does not state its thread safety", f->path);
        if (!units && !strstr(head, "unit"))
            fail_msg("%s: the header comment states no units", f->path);
        free(head);
    }
    free_tree(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scanner),
        cmocka_unit_test(test_no_cycles),
        cmocka_unit_test(test_file_lengths),
        cmocka_unit_test(test_headers_state_units_and_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

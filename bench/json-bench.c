/* What a JSON library would cost cu, against its hand-written scanners
 * (bench/json-bench.sh builds and runs it; see bench/README.md):
 *
 *   jsons FILE   read a JSONS stream (one flat object per line) and touch
 *                every value: lib/stream's reader, against jansson
 *                (json_loadb per line, every member visited)
 *   blobs FILE   reduce Nova's JSON blobs (one per line: request_specs.spec)
 *                to the columns cu-dump derives (request_specs_derived,
 *                its own list): cu-dump's path scanner
 *                (tools/cu-dump/json.c), against jansson
 *                (json_loadb, then the same paths, nova_object.data
 *                skipped as cu-dump skips it)
 *
 * Prints the CPU seconds of each, best of ROUNDS, alternated. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cu-dump.h"
#include "stream.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The whole file, and its lines. */
struct lines {
    char *buf;
    size_t len;
    size_t *start, *end;
    size_t n;
};

/* Line i: where it starts, and its n bytes. */
static const char *line_at(const struct lines *L, size_t i, size_t *n)
{
    *n = L->end[i] - L->start[i];
    return L->buf + L->start[i];
}

static struct lines load_lines(const char *path)
{
    struct lines L = {0};
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    size_t cap = 1 << 20;
    L.buf = malloc(cap);
    size_t got;
    while ((got = fread(L.buf + L.len, 1, cap - L.len, f)) > 0) {
        L.len += got;
        if (L.len == cap)
            L.buf = realloc(L.buf, cap *= 2);
    }
    fclose(f);
    size_t lcap = 1024;
    L.start = malloc(lcap * sizeof *L.start);
    L.end = malloc(lcap * sizeof *L.end);
    for (size_t p = 0; p < L.len;) {
        char *nl = memchr(L.buf + p, '\n', L.len - p);
        size_t e = nl ? (size_t)(nl - L.buf) : L.len;
        if (L.n == lcap) {
            lcap *= 2;
            L.start = realloc(L.start, lcap * sizeof *L.start);
            L.end = realloc(L.end, lcap * sizeof *L.end);
        }
        L.start[L.n] = p;
        L.end[L.n++] = e;
        p = e + 1;
    }
    return L;
}

/* ---- JSONS */

static size_t jsons_cu(const char *path)
{
    const char *paths[] = {path};
    cu_reader *r = cu_reader_open(paths, 1, CU_FMT_JSONS);
    size_t sum = 0;
    enum cu_next nx;
    while ((nx = cu_reader_next(r)) != CU_EOF) {
        if (nx != CU_ROW)
            continue;
        for (size_t i = 0; i < cu_reader_ncols(r); i++)
            sum += cu_reader_field(r, i)->len;
    }
    cu_reader_close(r);
    return sum;
}

/* Line i parsed by jansson (a line it cannot parse ends the run). */
static json_t *load_line(const struct lines *L, size_t i)
{
    size_t n;
    const char *s = line_at(L, i, &n);
    json_error_t err;
    json_t *o = json_loadb(s, n, 0, &err);
    if (!o) {
        fprintf(stderr, "jansson: line %zu: %s\n", i + 1, err.text);
        exit(1);
    }
    return o;
}

static size_t jsons_jansson(const struct lines *L)
{
    size_t sum = 0;
    for (size_t i = 0; i < L->n; i++) {
        size_t n;
        const char *s = line_at(L, i, &n);
        if (n == 0 || s[0] != '{')
            continue; /* the stream's trailers */
        json_t *o = load_line(L, i);
        const char *key;
        json_t *v;
        json_object_foreach(o, key, v)
        {
            if (json_is_string(v))
                sum += json_string_length(v);
            else if (json_is_integer(v))
                sum += 8;
            else if (json_is_real(v))
                sum += 8;
        }
        json_decref(o);
    }
    return sum;
}

/* ---- blobs */


static size_t blobs_cu(const struct lines *L)
{
    struct jtargets t;
    jtargets_init(&t, request_specs_derived);
    struct jresult res[JMAX_TARGETS];
    memset(res, 0, sizeof res);
    struct sbuf key = {0};
    size_t sum = 0;
    for (size_t i = 0; i < L->n; i++) {
        size_t n;
        const char *s = line_at(L, i, &n);
        if (!json_extract(s, n, &t, res, &key)) {
            fprintf(stderr, "cu: line %zu: not JSON\n", i + 1);
            exit(1);
        }
        for (size_t k = 0; k < t.n; k++)
            sum += res[k].type == J_STRING ? res[k].str.len : res[k].rawlen;
    }
    for (size_t k = 0; k < t.n; k++)
        sb_free(&res[k].str);
    sb_free(&key);
    jtargets_free(&t);
    return sum;
}

/* The member name of o, through Nova's nova_object.data wrappers. */
static json_t *member(json_t *o, const char *name)
{
    json_t *data;
    while (json_is_object(o) && (data = json_object_get(o, "nova_object.data")))
        o = data;
    return json_is_object(o) ? json_object_get(o, name) : NULL;
}

/* The value at a dotted path (flavor.vcpus) of o. */
static json_t *at_path(json_t *o, const char *path)
{
    char name[64];
    while (o && *path) {
        size_t n = strcspn(path, ".");
        snprintf(name, sizeof name, "%.*s", (int)n, path);
        o = member(o, name);
        path += n + (path[n] == '.');
    }
    return o;
}

static size_t blobs_jansson(const struct lines *L)
{
    size_t sum = 0;
    for (size_t i = 0; i < L->n; i++) {
        json_t *o = load_line(L, i);
        for (size_t k = 0; request_specs_derived[k].name; k++) {
            json_t *v = at_path(o, request_specs_derived[k].path);
            while (json_is_array(v))
                v = json_array_get(v, 0);
            if (json_is_string(v))
                sum += json_string_length(v);
            else if (json_is_integer(v)) {
                char num[24];
                sum += (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
                                        json_integer_value(v));
            }
        }
        json_decref(o);
    }
    return sum;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: json-bench jsons|blobs FILE [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 3 ? atoi(argv[3]) : 3;
    bool jsons = strcmp(argv[1], "jsons") == 0;
    struct lines L = load_lines(argv[2]);
    double best[2] = {1e30, 1e30};
    size_t sums[2] = {0, 0};
    for (int k = 0; k < rounds; k++)
        for (int v = 0; v < 2; v++) {
            double t0 = cpu_now();
            if (jsons)
                sums[v] = v == 0 ? jsons_cu(argv[2]) : jsons_jansson(&L);
            else
                sums[v] = v == 0 ? blobs_cu(&L) : blobs_jansson(&L);
            double t = cpu_now() - t0;
            if (t < best[v])
                best[v] = t;
        }
    printf("%s: %zu lines, %.1f MB; cu %.3f s, jansson %.3f s: jansson "
           "%.2fx cu's time (values read: %zu, %zu bytes)\n",
           argv[1], L.n, (double)L.len / 1e6, best[0], best[1],
           best[1] / best[0], sums[0], sums[1]);
    return 0;
}

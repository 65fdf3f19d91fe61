/* Benchmark input for cu-timeline: a deterministic span stream of N spans
 * over the year 2024 for two sites, "bm" (bare metal: a node per instance)
 * and "kvm" (48-vCPU hypervisors: an instance is vcpus/48 of a node), with
 * hosts, reservable hosts, leases and instances in every state, booking and
 * audit. Times are whole seconds.
 *   cc -O2 -o cu-timeline-gen bench/cu-timeline-gen.c -lm
 *   ./cu-timeline-gen N [SEED] > spans.tsv */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define YEAR_START INT64_C(1704067200) /* 2024-01-01T00:00:00Z */
#define YEAR_SECS (366 * INT64_C(86400))
#define HOSTS 600

static void put_time(int64_t t)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t s = t - YEAR_START, d = s / 86400, r = s % 86400;
    int y = 2024, m = 0;
    while (d >= (m == 1 && y % 4 ? 28 : mdays[m])) {
        d -= m == 1 && y % 4 ? 28 : mdays[m];
        if (++m == 12) {
            m = 0;
            y++;
        }
    }
    printf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, m + 1, (int)d + 1,
           (int)(r / 3600), (int)(r / 60 % 60), (int)(r % 60));
}

static void put_span(const char *site, const char *kind, const char *state,
                     uint64_t id, int64_t start, int64_t end, int host,
                     const char *booking, int vcpus, int per_host_vcpus,
                     const char *audit)
{
    printf("%s\t%s\t%s\ts%" PRIu64 "\t", site, kind, state, id);
    put_time(start);
    putchar('\t');
    if (end < 0)
        fputs("\\N", stdout);
    else
        put_time(end);
    if (host < 0)
        printf("\t\\N");
    else
        printf("\th%d", host);
    printf("\tp%d\tu%d\t\\N\t\\N\tf%d\t%s\t", (int)(rnd() % 50),
           (int)(rnd() % 400), vcpus, booking);
    if (per_host_vcpus)
        printf("%.17g", (double)vcpus / per_host_vcpus);
    else
        putchar('1');
    printf("\t%d\t%d\t%d\t%s\n", vcpus, vcpus * 2048, vcpus * 20, audit);
}

int main(int argc, char **argv)
{
    uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    if (argc > 2)
        rng_state ^= strtoull(argv[2], NULL, 10) * UINT64_C(0x9e3779b97f4a7c15);
    static char buf[1 << 20];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    puts("site\tkind\tstate\tid\tstart\tend\thost\tproject\tuser\t"
         "reservation\tlease\tflavor\tbooking\tnodes\tvcpus\tmemory_mb\t"
         "disk_gb\taudit");
    static const int flavors[] = {1, 2, 4, 8, 16, 32};
    uint64_t id = 0;
    /* hosts: the whole year, two thirds reservable from a random day on */
    for (int s = 0; s < 2 && id < n; s++) {
        const char *site = s ? "kvm" : "bm";
        for (int h = 0; h < HOSTS && id < n; h++) {
            put_span(site, "total", "total", id++, YEAR_START, -1, h, "\\N",
                     s ? 48 : 24, 0, "ok");
            if (h % 3 && id < n)
                put_span(site, "reservable", "reservable", id++,
                         YEAR_START + (int64_t)(unif() * 86400 * 30), -1, h,
                         "\\N", s ? 48 : 24, 0, "ok");
        }
    }
    while (id < n) {
        int s = (int)(rnd() & 1);
        const char *site = s ? "kvm" : "bm";
        int64_t start = YEAR_START + (int64_t)(unif() * YEAR_SECS);
        double u = unif();
        if (u < 0.05) { /* a lease: a committed host for 1-7 days */
            int64_t end = start + 86400 * (1 + (int64_t)(rnd() % 7));
            put_span(site, "committed", "committed", id++, start, end,
                     (int)(rnd() % HOSTS), "\\N", s ? 48 : 24, 0,
                     unif() < 0.1 ? "clipped" : "ok");
            continue;
        }
        int vcpus = s ? flavors[rnd() % 6] : 24;
        /* durations from minutes to weeks, a few still running */
        int64_t dur = 60 + (int64_t)(-86400.0 * 3 * __builtin_log(1 - unif() * 0.999));
        int64_t end = unif() < 0.03 ? -1 : start + dur;
        double st = unif();
        const char *state = st < 0.70   ? "active"
                            : st < 0.85 ? "stopped"
                            : st < 0.90 ? "error"
                                        : "shelved";
        double a = unif();
        const char *audit = a < 0.95   ? "ok"
                            : a < 0.97 ? "clipped"
                            : a < 0.99 ? "fallback"
                                       : "orphan";
        int host = unif() < 0.01 ? -1 : (int)(rnd() % HOSTS);
        put_span(site, "instance", state, id++, start, end, host,
                 unif() < 0.3 ? "reservation" : "ondemand", vcpus,
                 s ? 48 : 0, audit);
    }
    return fflush(stdout) != 0;
}

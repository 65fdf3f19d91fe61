/* Benchmark input for cu-report: a deterministic span stream of about N
 * instance spans over 2024 in cu-spans order (by id, then start), after
 * 600 host rows: each instance lives from minutes to months through 1 to 6
 * spans (active, stopped, active again, a host move, shelved, error), in
 * one of 500 projects (a few large, many small) with one of 4000 users and
 * one of 8 flavors; 1 % of the spans are orphans, 2 % clipped, and the
 * instances alive at the end of the year stay open (\N). Times are whole
 * seconds.
 *   cc -O2 -o cu-report-gen bench/cu-report-gen.c -lm
 *   ./cu-report-gen N [SEED] > spans.tsv */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "rng.h"

#define YEAR_START INT64_C(1704067200) /* 2024-01-01T00:00:00Z */
#define YEAR_END INT64_C(1735689600)   /* 2025-01-01T00:00:00Z */

static void put_time(int64_t t)
{
    int64_t days = t / 86400, r = t % 86400;
    /* civil from days (Howard Hinnant's algorithm) */
    int64_t z = days + 719468, era = z / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    printf("%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T%02d:%02d:%02dZ",
           y + (m <= 2), m, d, (int)(r / 3600), (int)(r / 60 % 60),
           (int)(r % 60));
}

static const struct {
    const char *name;
    int vcpus, memory_mb, disk_gb;
} flavors[] = {{"m1.tiny", 1, 512, 1},       {"m1.small", 1, 2048, 20},
               {"m1.medium", 2, 4096, 40},   {"m1.large", 4, 8192, 80},
               {"m1.xlarge", 8, 16384, 160}, {"g1.a100", 16, 131072, 200},
               {"bm.compute", 48, 196608, 240}, {"bm.gpu", 64, 196608, 480}};

static const char *const states[] = {"active", "stopped", "active", "active",
                                     "shelved", "error"};

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    long long want = atoll(argv[1]);
    if (argc > 2)
        rng_state ^= (uint64_t)atoll(argv[2]) * UINT64_C(0x9e3779b97f4a7c15);
    puts("site\tkind\tstate\tid\tstart\tend\thost\tproject\tuser\treservation"
         "\tlease\tflavor\tbooking\tnodes\tvcpus\tmemory_mb\tdisk_gb\taudit");
    for (int h = 0; h < 600; h++)
        printf("uc\ttotal\ttotal\th%03d\t2024-01-01T00:00:00Z\t\\N\th%03d\t\\N"
               "\t\\N\t\\N\t\\N\t\\N\t\\N\t1\t48\t196608\t480\tok\n", h, h);
    long long n = 0;
    for (long long i = 0; n < want; i++) {
        /* projects: the first few large, a long tail */
        int project = (int)(500 * pow(unif(), 2.5));
        int user = project * 8 + (int)(unif() * 8);
        int f = (int)(unif() * unif() * 8);
        int64_t t = YEAR_START + (int64_t)(unif() * (double)(YEAR_END - YEAR_START));
        int host = (int)(unif() * 600);
        int nspans = 1 + (int)(unif() * unif() * 6);
        for (int k = 0; k < nspans && n < want; k++) {
            n++;
            int64_t len = (int64_t)exp(6 + unif() * 10); /* 7 min .. 8 months */
            int64_t e = t + len;
            bool open = e >= YEAR_END;
            if (k == 3)
                host = (int)(unif() * 600); /* a move */
            double a = unif();
            const char *audit = a < 0.01 ? "orphan" : a < 0.03 ? "clipped" : "ok";
            printf("uc\tinstance\t%s\ti%09lld\t", states[k], i);
            put_time(t);
            putchar('\t');
            if (open)
                fputs("\\N", stdout);
            else
                put_time(e);
            printf("\th%03d\tp%03d\tu%04d\t\\N\t\\N\t%s\tondemand\t%.4f\t%d\t%d"
                   "\t%d\t%s\n", host, project, user, flavors[f].name,
                   flavors[f].vcpus / 48.0, flavors[f].vcpus,
                   flavors[f].memory_mb, flavors[f].disk_gb, audit);
            if (open)
                break;
            t = e;
        }
    }
    return ferror(stdout) || fclose(stdout) ? 1 : 0;
}

/* cu-testcloud: a synthetic, deterministic OpenStack cloud history (nova,
 * nova_api, blazar, keystone) written as bulk-loadable TSV with a load
 * script per site, and the ground truth it was built from.
 *
 * The history is simulated, not sampled row by row: hosts are enrolled and
 * retired, Blazar leases commit hosts or flavor slots, instances arrive and
 * walk through a nova lifecycle, and every instance stretch is placed on a
 * host that has room for it (no overcommit), so the truth obeys the stack
 * occupied <= committed <= reservable <= total. The rows are then written the
 * way nova and blazar write them, and the truth is computed from the model,
 * never from the rows. The rules that link the two are in testcloud/README.md.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cutime.h"
#include "error.h"
#include "writer.h"

/* ---------------------------------------------------------------- time */

typedef int64_t tsec;            /* seconds since the epoch, UTC */
#define T_NONE INT64_MIN         /* NULL / still open */
#define MINUTE 60
#define HOUR 3600
#define DAY 86400

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* "2024-03-01 12:00:00" (sql) or "2024-03-01T12:00:00Z" (rfc) into buf[24];
 * called millions of times, so without going through text twice. */
static void fmt_time(tsec t, bool rfc, char *buf)
{
    int64_t days = floor_div(t, DAY), sod = t - days * DAY, y;
    unsigned m, d;
    cu_civil_from_days(days, &y, &m, &d);
    snprintf(buf, 24, rfc ? "%04d-%02u-%02uT%02d:%02d:%02dZ" : "%04d-%02u-%02u %02d:%02d:%02d",
             (int)y, m, d, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
}

/* A time option (lib/cutime: RFC 3339, MySQL DATETIME or a date), whole
 * seconds. */
static bool parse_time(const char *s, tsec *out)
{
    cu_time t;
    if (cu_time_parse(s, strlen(s), &t, NULL) != CU_TIME_OK || t % CU_USEC_PER_SEC)
        return false;
    *out = t / CU_USEC_PER_SEC;
    return true;
}

/* Buckets of the timeline truth: aligned as cu-timeline aligns them by
 * default (whole weeks from Monday 1970-01-05, other steps from the epoch,
 * months and years on the calendar). */
struct step {
    cu_duration d;
    cu_time origin;
};

static bool parse_step(const char *s, struct step *st)
{
    if (cu_duration_parse(s, &st->d, NULL) != 0 || (!st->d.months && st->d.usec % CU_USEC_PER_SEC))
        return false;
    bool weeks = !st->d.months && st->d.usec % (7 * DAY * CU_USEC_PER_SEC) == 0;
    st->origin = weeks ? 4 * DAY * CU_USEC_PER_SEC : 0;
    return true;
}

static tsec step_floor(tsec t, const struct step *st)
{
    return cu_time_floor(t * CU_USEC_PER_SEC, st->d, st->origin) / CU_USEC_PER_SEC;
}

static tsec step_next(tsec t, const struct step *st)
{
    return cu_time_add(t * CU_USEC_PER_SEC, st->d, 1) / CU_USEC_PER_SEC;
}

/* ---------------------------------------------------------------- PRNG */

/* xoshiro256** seeded by splitmix64: fast, and the same stream on every
 * machine (no libc rand). */
struct rng {
    uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03u);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_u64(struct rng *r)
{
    uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

static double rng_unit(struct rng *r) { return (double)(rng_u64(r) >> 11) * 0x1.0p-53; }
static bool rng_chance(struct rng *r, double p) { return rng_unit(r) < p; }

/* Uniform integer in [lo, hi]. */
static int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rng_u64(r) % (uint64_t)(hi - lo + 1));
}

static double rng_exp(struct rng *r, double mean) { return -mean * log(1.0 - rng_unit(r)); }

static double rng_normal(struct rng *r)
{
    double u = 1.0 - rng_unit(r), v = rng_unit(r);
    return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

static double rng_lognormal(struct rng *r, double median, double sigma)
{
    return median * exp(sigma * rng_normal(r));
}

static void rng_uuid(struct rng *r, char out[37])
{
    uint64_t a = rng_u64(r), b = rng_u64(r);
    a = (a & ~UINT64_C(0xf000)) | 0x4000;
    b = (b & ~(UINT64_C(3) << 62)) | (UINT64_C(2) << 62);
    snprintf(out, 37, "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
             a >> 32, (a >> 16) & 0xffff, a & 0xffff, b >> 48, b & UINT64_C(0xffffffffffff));
}

static void rng_hex(struct rng *r, char *out, int n)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < n; i++)
        out[i] = hex[rng_u64(r) & 15];
    out[n] = 0;
}

/* ---------------------------------------------------------------- output */

/* One bulk-load file: LOAD DATA's default format, which is also the cu TSV
 * convention (\\ \t \n \r escaped, \N is NULL). */
struct tbl {
    const char *name; /* db.table */
    const char *cols;
    FILE *f;
    char *path;
    uint64_t rows;
    bool first;
};

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = cu_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static FILE *xfopen(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        cu_die_errno(CU_EXIT_DATA, errno, "cannot create %s", path);
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    return f;
}

static void xfclose(FILE *f, const char *path)
{
    if (ferror(f) | (fclose(f) != 0))
        cu_die_errno(CU_EXIT_DATA, errno, "write error on %s", path);
}

static void tbl_open(struct tbl *t, const char *dir, const char *name, const char *cols)
{
    t->name = name;
    t->cols = cols;
    t->path = xasprintf("%s/%s.tsv", dir, name);
    t->f = xfopen(t->path);
    t->rows = 0;
    t->first = true;
}

static void sep(struct tbl *t)
{
    if (!t->first)
        putc('\t', t->f);
    t->first = false;
}

/* s as a TSV field, escaped by lib/writer's rules (the tools' own). */
static void put_escaped(FILE *f, const char *s)
{
    char small[256];
    size_t len = strlen(s), need = cu_tsv_escape(s, len, small, sizeof small);
    char *out = need <= sizeof small ? small : cu_xmalloc(need);
    if (out != small)
        cu_tsv_escape(s, len, out, need);
    fwrite(out, 1, need, f);
    if (out != small)
        free(out);
}

static void f_str(struct tbl *t, const char *s)
{
    sep(t);
    if (s)
        put_escaped(t->f, s);
    else
        fputs("\\N", t->f);
}

static void f_null(struct tbl *t) { f_str(t, NULL); }

static void f_int(struct tbl *t, int64_t v)
{
    sep(t);
    fprintf(t->f, "%" PRId64, v);
}

static void f_dbl(struct tbl *t, double v)
{
    sep(t);
    fprintf(t->f, "%.10g", v);
}

/* A DATETIME; zero = MySQL's zero date (a quirk). */
static void f_time(struct tbl *t, tsec v, bool zero)
{
    char b[24];
    if (zero) {
        f_str(t, "0000-00-00 00:00:00");
    } else if (v == T_NONE) {
        f_null(t);
    } else {
        fmt_time(v, false, b);
        f_str(t, b);
    }
}

static void f_end(struct tbl *t)
{
    putc('\n', t->f);
    t->rows++;
    t->first = true;
}

/* Growable string for JSON blobs. */
struct sbuf {
    char *p;
    size_t n, cap;
};

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = cu_xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void sb_puts(struct sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof tmp)
        cu_die(CU_EXIT_DATA, "internal: JSON fragment too long");
    sb_putn(b, tmp, (size_t)n);
}

static void sb_json_str(struct sbuf *b, const char *s)
{
    if (!s) {
        sb_putn(b, "null", 4);
        return;
    }
    sb_putn(b, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            sb_putn(b, e, 2);
        } else if (c == '\n') {
            sb_putn(b, "\\n", 2);
        } else if (c == '\t') {
            sb_putn(b, "\\t", 2);
        } else if (c < 0x20) {
            sb_printf(b, "\\u%04x", c);
        } else {
            sb_putn(b, (const char *)&c, 1);
        }
    }
    sb_putn(b, "\"", 1);
}

/* ---------------------------------------------------------------- model */

enum quirk {
    Q_ZERO_DATES,
    Q_LATE_HOST_RECORD,
    Q_NULL_NODE,
    Q_NULL_FINISH,
    Q_ALLOC_OUTSIDE,
    Q_ODD_NAMES,
    Q_COUNT
};
static const char *const quirk_names[Q_COUNT] = {
    "zero-dates", "late-host-record", "null-node", "null-finish", "alloc-outside", "odd-names",
};

struct opts {
    uint64_t seed;
    int nsites;
    char **site_names;
    long instances;      /* per site */
    int hosts;           /* per site; 0 = derived */
    tsec start, end;
    tsec truth_start, truth_end;
    struct step truth_step;
    int edge_devices; /* per site; 0: no edge */
    int snapshots;    /* zun snapshots, one a day up to --end */
    bool chameleon;
    bool quirk[Q_COUNT];
    const char *out;
};

static struct opts O;

struct flavor {
    int id; /* nova_api.flavors.id */
    char name[64];
    char flavorid[40];
    int vcpus, mem, disk;
    bool baremetal;
    bool listed; /* a row in nova_api.flavors at the end of history */
    tsec created;
};

/* Resource occupancy of a host (or of one reserved flavor slot) over time. */
struct occ {
    tsec s, e;
    int v, m, d;
};

struct bin {
    int cap_v, cap_m, cap_d;
    struct occ *o;
    size_t n, cap;
};

struct era { /* one nova.compute_nodes record of a host */
    int cn_id;
    char uuid[37];
    tsec start, end; /* end T_NONE: live at the end of history */
    int vcpus, mem, disk;
    bool res;        /* in Blazar during [rstart, rend) */
    tsec rstart, rend;
    tsec rec_created; /* compute_nodes.created_at (late-host-record quirk moves it) */
    char ch_id[37];   /* blazar.computehosts.id */
    bool zero_deleted;
    struct bin inst; /* instance stretches */
    struct bin com;  /* Blazar commitments */
};

struct host {
    char *name;    /* hypervisor_hostname */
    char *service; /* nova-compute service host (instances.host, event host) */
    bool ironic;
    int service_id;
    struct era era[2];
    int nera;
};

enum rtype { R_HOST, R_FLAVOR };

struct alloc {
    char id[37];
    int host, era;
    struct bin slot; /* R_FLAVOR: the slot's own capacity */
};

struct lease {
    char id[37], res_id[37], sub_id[37], trust[37];
    char name[96];
    int project, user;
    enum rtype type;
    int flavor; /* R_FLAVOR */
    tsec created, start, end, deleted; /* end as in the DB (early end applied) */
    tsec cs, ce;                       /* committed [cs, ce) */
    bool no_instances;
    bool quirk_outside;
    struct alloc *al;
    int nal;
    int aggregate;
};

enum state { S_ACTIVE, S_STOPPED, S_PAUSED, S_SUSPENDED, S_SHELVED, S_ERROR, S_DELETED };
static const char *const truth_state[] = {"active", "stopped", "stopped", "stopped", "shelved", "error", "deleted"};

enum action {
    A_CREATE, A_DELETE, A_STOP, A_START, A_REBOOT, A_PAUSE, A_UNPAUSE, A_SUSPEND, A_RESUME,
    A_SHELVE, A_SHELVE_OFFLOAD, A_UNSHELVE, A_REBUILD, A_RESIZE, A_CONFIRM_RESIZE, A_MIGRATE,
    A_LIVE_MIGRATION, A_COUNT
};
static const char *const action_names[A_COUNT] = {
    "create", "delete", "stop", "start", "reboot", "pause", "unpause", "suspend", "resume",
    "shelve", "shelveOffload", "unshelve", "rebuild", "resize", "confirmResize", "migrate",
    "live-migration",
};

/* One instance action as the model intends it. */
struct act {
    tsec t;
    uint8_t action, failed, state; /* state after the action */
    uint8_t moves;                 /* needs a (new) host */
    int host, era;                 /* where the instance is after it; -1 none */
    int src_host;                  /* where it was before (events) */
    int alloc;                     /* reserved: allocation (slot/host) index */
};

struct instance {
    char uuid[37];
    int project, user;
    int flavor;
    int lease; /* -1 ondemand */
    tsec created;
    tsec end;  /* T_NONE: still exists at the end of history */
    bool delete_action; /* ended by a delete action (else only deleted_at) */
    bool never_launched;
    bool null_node, zero_dates, late_record;
    size_t act0;
    int nact;
    char *display_name;
};

struct site {
    int idx;
    const char *name;
    struct rng r;
    struct host *h;
    int nh;
    struct lease *l;
    size_t nl, capl;
    struct instance *in;
    size_t nin;
    struct act *a;
    size_t na, capa;
    struct flavor *fl;
    int nfl;
    size_t capfl;
    long quirk_count[Q_COUNT];
    char ctl[32];
    int *od[2]; /* hosts that take on-demand instances: [0] KVM, [1] bare metal */
    int nod[2];
};

/* Identity: shared by every site (one keystone, as in a federation). */
struct project {
    char id[72], name[96];
    int parent; /* -1: top level (parent is the domain) */
    const char *institution[2];
    int share[2];
};
struct user {
    char id[72], name[96];
    int home;
    tsec created;
};
static struct project *P;
static int NP;
static struct user *U;
static int NU;

/* ---------------------------------------------------------------- bins */

static void bin_prune(struct bin *b, tsec now)
{
    for (size_t i = 0; i < b->n;) {
        if (b->o[i].e <= now)
            b->o[i] = b->o[--b->n];
        else
            i++;
    }
}

/* Does demand (v, m, d) fit over [s, e) next to what is booked already? The
 * peak of the booked load inside [s, e) is at s or at a booked start. */
static bool bin_fits(const struct bin *b, tsec s, tsec e, int v, int m, int d)
{
    if (v > b->cap_v || m > b->cap_m || d > b->cap_d)
        return false;
    for (size_t i = 0; i < b->n; i++) {
        const struct occ *p = &b->o[i];
        if (p->e <= s || p->s >= e)
            continue;
        tsec at = p->s > s ? p->s : s;
        int uv = v, um = m, ud = d;
        for (size_t j = 0; j < b->n; j++) {
            const struct occ *q = &b->o[j];
            if (q->s <= at && at < q->e) {
                uv += q->v;
                um += q->m;
                ud += q->d;
            }
        }
        if (uv > b->cap_v || um > b->cap_m || ud > b->cap_d)
            return false;
    }
    return true;
}

static void bin_add(struct bin *b, tsec s, tsec e, int v, int m, int d)
{
    b->o = cu_xgrow(b->o, &b->cap, b->n + 1, sizeof *b->o);
    b->o[b->n++] = (struct occ){s, e, v, m, d};
}

static void bin_free(struct bin *b)
{
    free(b->o);
    b->o = NULL;
    b->n = b->cap = 0;
}

/* ---------------------------------------------------------------- identity */

static const char *const institutions[] = {
    "University of Chicago", "Texas Advanced Computing Center", "Northwestern University",
    "Université de Lyon", "University of Utah", "Argonne National Laboratory",
    "Universität Stuttgart", "Clemson University",
};

/* Identifying values with escapes and non-ASCII, for a few rows. */
static const char *const odd_project_names[] = {"proj\twith-tab", "proj\nnewline", "proj\\back", "projé-ñandú"};
static const char *const odd_user_ids[] = {"user\tid-tab", "user\nid-nl", "user\\id-bs", "usér-ünïcode"};
static const char *const odd_display_names[] = {"vm\twith\ttabs", "vm\nwith newline", "C:\\vm\\path", "машина-δ-実験"};

static void make_identity(long total_instances)
{
    struct rng r;
    rng_seed(&r, O.seed, 1000);
    NP = (int)(total_instances / 60);
    if (NP < 6)
        NP = 6;
    if (NP > 3000)
        NP = 3000;
    NU = NP * 3;
    P = cu_xcalloc((size_t)NP, sizeof *P);
    U = cu_xcalloc((size_t)NU, sizeof *U);
    int ninst = (int)(sizeof institutions / sizeof *institutions);
    for (int i = 0; i < NP; i++) {
        struct project *p = &P[i];
        rng_hex(&r, p->id, 32);
        p->parent = (i >= 3 && rng_chance(&r, 0.25)) ? (int)rng_range(&r, 0, i - 1) : -1;
        if (p->parent >= 0 && P[p->parent].parent >= 0)
            p->parent = P[p->parent].parent; /* two levels under the domain at most */
        snprintf(p->name, sizeof p->name, "%s-%06d", p->parent >= 0 ? "SUB" : "CHI", 100000 + i);
        p->institution[0] = institutions[rng_range(&r, 0, ninst - 1)];
        p->share[0] = 100;
        if (rng_chance(&r, 0.15)) {
            p->institution[1] = institutions[rng_range(&r, 0, ninst - 1)];
            if (p->institution[1] == p->institution[0])
                p->institution[1] = NULL;
            else {
                p->share[0] = 60;
                p->share[1] = 40;
            }
        }
    }
    for (int i = 0; i < NU; i++) {
        struct user *u = &U[i];
        rng_hex(&r, u->id, 32);
        snprintf(u->name, sizeof u->name, "user%05d", i);
        u->home = i < NP ? i : (int)rng_range(&r, 0, NP - 1);
        u->created = O.start - rng_range(&r, 0, 400) * DAY;
    }
    if (O.quirk[Q_ODD_NAMES]) {
        for (int k = 0; k < 4; k++) {
            int pi = NP - 1 - k, ui = NU - 1 - k;
            snprintf(P[pi].name, sizeof P[pi].name, "%s", odd_project_names[k]);
            snprintf(U[ui].id, sizeof U[ui].id, "%s", odd_user_ids[k]);
            snprintf(U[ui].name, sizeof U[ui].name, "%s", odd_user_ids[3 - k]);
        }
        snprintf(P[NP - 1].id, sizeof P[NP - 1].id, "proj-id-ünï-%d", NP);
    }
}

/* ---------------------------------------------------------------- hosts */

static struct flavor *add_flavor(struct site *S, const char *name, const char *flavorid, int v, int m,
                                 int d, bool bm, bool listed, tsec created)
{
    S->fl = cu_xgrow(S->fl, &S->capfl, (size_t)S->nfl + 1, sizeof *S->fl);
    struct flavor *f = &S->fl[S->nfl++];
    memset(f, 0, sizeof *f);
    f->id = S->nfl;
    snprintf(f->name, sizeof f->name, "%s", name);
    snprintf(f->flavorid, sizeof f->flavorid, "%s", flavorid);
    f->vcpus = v;
    f->mem = m;
    f->disk = d;
    f->baremetal = bm;
    f->listed = listed;
    f->created = created;
    return f;
}

/* Node types: bare-metal flavors match their nodes exactly (nova-ironic
 * schedules whole nodes). */
static const struct { const char *flavor; int v, m, d; } bm_types[] = {
    {"baremetal.compute_skylake", 48, 196608, 240},
    {"baremetal.gpu_rtx6000", 64, 196608, 480},
};
static const struct { const char *name; int v, m, d; } vm_flavors[] = {
    {"m1.tiny", 1, 512, 1},    {"m1.small", 1, 2048, 20},  {"m1.medium", 2, 4096, 40},
    {"m1.large", 4, 8192, 80}, {"m1.xlarge", 8, 16384, 160},
};
#define N_VM_FLAVORS 5

/* The workload model. Leases drive the reserved instances: each lease
 * launches its instances minutes after it starts. On-demand instances arrive
 * uniformly and live for days (VMs) or about a day (bare metal). */
#define P_RES_IRONIC 0.7         /* share of bare-metal records in Blazar */
#define P_RES_KVM 0.35           /* share of KVM records in Blazar */
#define LEASE_MEDIAN (36 * HOUR) /* lease length: lognormal, 1 h .. 7 d */
#define LEASE_SIGMA 1.0
#define LEASE_GAP (36 * HOUR)    /* mean idle time between the leases of a host */
#define KVM_SLOT_VCPUS 8         /* a reservable KVM host takes one lease walk per 8 vcpus */
#define KVM_LEASE_SCALE 2.5      /* KVM leases (and the gaps between them) last longer */
#define P_LEASE_IDLE 0.08        /* leases whose instances never launch */
#define P_EARLY_DELETE 0.15      /* reserved instances deleted before the lease ends */
#define OD_KVM_MEDIAN (7 * DAY)  /* on-demand lifetime: lognormal */
#define OD_KVM_SIGMA 1.6
#define OD_BM_MEDIAN DAY
#define OD_BM_SIGMA 1.2
#define OD_KVM_LOAD 0.7          /* share of on-demand vcpus in use in steady state */
#define OD_BM_LOAD 0.5           /* share of on-demand bare-metal nodes in use in steady state */
#define MEAN_VM_VCPUS 3.2        /* mean of the m1.* flavors' vcpus */
#define MEAN_KVM_VCPUS 48        /* mean of the KVM hosts' vcpus (32 and 64) */

static double lognormal_mean(double median, double sigma) { return median * exp(sigma * sigma / 2); }

/* Instances a host of each kind takes per day under the model: sizes the
 * cloud from -n (calibrated against the generated truth). */
static double instances_per_host_day(double p_ironic)
{
    double od_bm = OD_BM_LOAD * DAY / lognormal_mean(OD_BM_MEDIAN, OD_BM_SIGMA);
    double od_kvm = OD_KVM_LOAD * MEAN_KVM_VCPUS / MEAN_VM_VCPUS * DAY /
                    lognormal_mean(OD_KVM_MEDIAN, OD_KVM_SIGMA);
    /* One walk of leases; the extra hosts of multi-host leases and the
     * leases cut short add about 10 % (measured). Each of a KVM host's walks
     * (one per 8 vcpus) with the VMs that fill a reserved KVM host makes
     * about 1.6 times as many (measured). */
    double walk = (1 - P_LEASE_IDLE) * DAY / (lognormal_mean(LEASE_MEDIAN, LEASE_SIGMA) + LEASE_GAP);
    double res_bm = 1.1 * walk;
    double res_kvm = 1.6 * MEAN_KVM_VCPUS / KVM_SLOT_VCPUS * walk / KVM_LEASE_SCALE;
    return p_ironic * (P_RES_IRONIC * res_bm + (1 - P_RES_IRONIC) * od_bm) +
           (1 - p_ironic) * (P_RES_KVM * res_kvm + (1 - P_RES_KVM) * od_kvm);
}

/* The k-th of a run of items, a share p of which have a property: does it? */
static bool spread(int k, double p) { return (int)((k + 1) * p + 0.5) > (int)(k * p + 0.5); }

static void make_hosts(struct site *S, long ninst)
{
    struct rng *r = &S->r;
    double span = (double)(O.end - O.start);
    double p_ironic = S->idx % 2 == 0 ? 0.6 : 0.2;
    /* Enough hosts to take the -n instances at the model's load. */
    int nh = O.hosts;
    if (nh <= 0) {
        double per_host = instances_per_host_day(p_ironic) * span / DAY * 0.9; /* enrolments */
        double want = (double)ninst / per_host + 2;
        nh = want > 20000 ? 20000 : (int)want;
        if (nh < 6)
            nh = 6;
    }
    snprintf(S->ctl, sizeof S->ctl, "ctl%02d-%s", 1, S->name);
    for (size_t k = 0; k < sizeof bm_types / sizeof *bm_types; k++)
        add_flavor(S, bm_types[k].flavor, bm_types[k].flavor, bm_types[k].v, bm_types[k].m,
                   bm_types[k].d, true, true, O.start - 30 * DAY);
    for (int k = 0; k < N_VM_FLAVORS; k++) {
        char fid[8];
        snprintf(fid, sizeof fid, "%d", k + 1);
        add_flavor(S, vm_flavors[k].name, fid, vm_flavors[k].v, vm_flavors[k].m, vm_flavors[k].d,
                   false, true, O.start - 30 * DAY);
    }
    S->h = cu_xcalloc((size_t)nh, sizeof *S->h);
    S->nh = nh;
    int cn = 0, nironic = 0;
    for (int i = 0; i < nh; i++) {
        struct host *h = &S->h[i];
        /* Kinds and Blazar membership are spread evenly over the hosts (the
         * first is bare metal, the second KVM), so that a small cloud has the
         * mix the sizing assumed. */
        h->ironic = i == 0 || (i > 1 && spread(i, p_ironic));
        int kind_k = h->ironic ? nironic : i - nironic;
        char u[37];
        rng_uuid(r, u);
        if (h->ironic) {
            h->name = cu_xstrdup(u); /* an ironic node uuid */
            h->service = xasprintf("%s-ironic-%d", S->name, nironic++ % 3 + 1);
            h->service_id = 1000 + nironic % 3;
        } else {
            h->name = xasprintf("%s-c%04d", S->name, i);
            if (O.quirk[Q_ODD_NAMES] && i == 1) {
                free(h->name);
                h->name = xasprintf("%s-nœud-%04d", S->name, i);
                S->quirk_count[Q_ODD_NAMES]++;
            }
            h->service = cu_xstrdup(h->name);
            h->service_id = 2000 + i;
        }
        int type = (int)rng_range(r, 0, 1);
        tsec enroll = rng_chance(r, 0.7) ? O.start + rng_range(r, 0, DAY - 1)
                                         : O.start + (tsec)(rng_unit(r) * span * 0.7);
        h->nera = 1;
        struct era *e = &h->era[0];
        e->start = enroll;
        e->end = T_NONE;
        if (h->ironic) {
            e->vcpus = bm_types[type].v;
            e->mem = bm_types[type].m;
            e->disk = bm_types[type].d;
        } else {
            /* powers of two: a VM's share of its host (nodes) is then a
             * dyadic fraction, and sums of shares are exact in floating point */
            e->vcpus = type ? 64 : 32;
            e->mem = type ? 262144 : 131072;
            e->disk = type ? 1800 : 900;
        }
        if (rng_chance(r, 0.15)) {
            tsec ret = enroll + 30 * DAY + (tsec)(rng_unit(r) * (double)(O.end - enroll - 30 * DAY));
            if (ret < O.end - DAY) {
                e->end = ret;
                if (rng_chance(r, 0.4)) { /* re-enrolled: a second record, maybe upgraded */
                    tsec back = ret + rng_range(r, DAY, 20 * DAY);
                    if (back < O.end - DAY) {
                        h->nera = 2;
                        h->era[1] = *e;
                        h->era[1].start = back;
                        h->era[1].end = T_NONE;
                        if (!h->ironic)
                            h->era[1].mem *= 2;
                    }
                }
            }
        }
        for (int k = 0; k < h->nera; k++) {
            struct era *x = &h->era[k];
            x->cn_id = ++cn;
            rng_uuid(r, x->uuid);
            x->rec_created = x->start;
            x->inst.cap_v = x->com.cap_v = x->vcpus;
            x->inst.cap_m = x->com.cap_m = x->mem;
            x->inst.cap_d = x->com.cap_d = x->disk;
            /* Reservable: most bare metal, some KVM hosts; upstream Blazar
             * hard-deletes hosts, so there only hosts that stay are in it. */
            double p_res = h->ironic ? P_RES_IRONIC : P_RES_KVM;
            bool want = k == 0 ? spread(kind_k, p_res) : rng_chance(r, p_res);
            if (O.chameleon ? want : (x->end == T_NONE && want)) {
                x->res = true;
                x->rstart = x->start + rng_range(r, HOUR, 5 * DAY);
                x->rend = x->end;
                if (O.chameleon && x->end == T_NONE && rng_chance(r, 0.1))
                    x->rend = x->rstart + (tsec)(rng_unit(r) * (double)(O.end - x->rstart));
                if (x->rend != T_NONE && x->rend <= x->rstart)
                    x->res = false;
                if (x->res)
                    rng_uuid(r, x->ch_id);
            }
        }
    }
}

/* The hosts on-demand instances may go to: those with a record that is not
 * in Blazar for good (a record that enters Blazar hours after enrolment is
 * left to the leases). */
static void list_ondemand_hosts(struct site *S)
{
    for (int k = 0; k < 2; k++)
        S->od[k] = cu_xcalloc((size_t)S->nh + 1, sizeof *S->od[k]);
    for (int i = 0; i < S->nh; i++) {
        const struct host *h = &S->h[i];
        bool od = false;
        for (int ei = 0; ei < h->nera; ei++)
            od |= !h->era[ei].res || h->era[ei].rend != T_NONE;
        if (od)
            S->od[h->ironic][S->nod[h->ironic]++] = i;
    }
}

/* ---------------------------------------------------------------- leases */

static struct lease *new_lease(struct site *S)
{
    S->l = cu_xgrow(S->l, &S->capl, S->nl + 1, sizeof *S->l);
    struct lease *L = &S->l[S->nl++];
    memset(L, 0, sizeof *L);
    return L;
}

static tsec era_rend(const struct era *x) { return x->rend == T_NONE ? O.end + 60 * DAY : x->rend; }

static bool alloc_fits(struct site *S, int hi, int ei, enum rtype type, const struct flavor *f,
                       tsec s, tsec e, bool outside_ok)
{
    struct era *x = &S->h[hi].era[ei];
    if (!x->res)
        return false;
    if (!outside_ok && (s < x->rstart || e > era_rend(x)))
        return false;
    if (type == R_HOST)
        return bin_fits(&x->com, s, e, x->vcpus, x->mem, x->disk);
    return bin_fits(&x->com, s, e, f->vcpus, f->mem, f->disk);
}

static void lease_add_alloc(struct site *S, struct lease *L, int hi, int ei)
{
    struct era *x = &S->h[hi].era[ei];
    L->al = cu_xrealloc(L->al, (size_t)(L->nal + 1) * sizeof *L->al);
    struct alloc *a = &L->al[L->nal++];
    memset(a, 0, sizeof *a);
    rng_uuid(&S->r, a->id);
    a->host = hi;
    a->era = ei;
    if (L->type == R_HOST) {
        bin_add(&x->com, L->cs, L->ce, x->vcpus, x->mem, x->disk);
    } else {
        const struct flavor *f = &S->fl[L->flavor];
        bin_add(&x->com, L->cs, L->ce, f->vcpus, f->mem, f->disk);
        a->slot.cap_v = f->vcpus;
        a->slot.cap_m = f->mem;
        a->slot.cap_d = f->disk;
    }
}

/* Fill the identity and DB-visible dates of a lease whose committed
 * interval [cs, ce) has been chosen. */
static void lease_dates(struct site *S, struct lease *L)
{
    struct rng *r = &S->r;
    rng_uuid(r, L->id);
    rng_uuid(r, L->res_id);
    rng_uuid(r, L->sub_id);
    rng_uuid(r, L->trust);
    L->user = (int)rng_range(r, 0, NU - 1);
    L->project = U[L->user].home;
    snprintf(L->name, sizeof L->name, "lease-%zu", S->nl);
    if (O.quirk[Q_ODD_NAMES] && S->nl % 97 == 5) {
        snprintf(L->name, sizeof L->name, "my\tlease \\%zu ünï", S->nl);
        S->quirk_count[Q_ODD_NAMES]++;
    }
    L->aggregate = (int)S->nl + 10;
    L->deleted = T_NONE;
    L->start = L->cs;
    L->end = L->ce;
    if (rng_chance(r, 0.3)) /* "start now": created a few seconds after start_date */
        L->created = L->cs, L->start = L->cs - rng_range(r, 1, 30);
    else
        L->created = L->cs - rng_range(r, HOUR, 7 * DAY);
    if (L->created >= O.end) { /* no row is created after the dump */
        L->created = O.end - rng_range(r, HOUR, 2 * DAY);
        L->start = L->cs;
    }
}

static void make_leases(struct site *S)
{
    struct rng *r = &S->r;
    int vmflavor_big = 2 + 3; /* m1.large */
    int nquirk = 0;
    for (int hi = 0; hi < S->nh; hi++) {
        struct host *h = &S->h[hi];
        for (int ei = 0; ei < h->nera; ei++) {
            struct era *x = &h->era[ei];
            if (!x->res)
                continue;
            tsec stop = era_rend(x);
            if (O.quirk[Q_ALLOC_OUTSIDE] && nquirk < 3 && x->rstart > O.start + DAY) {
                /* A lease that starts before its host was reservable. */
                struct lease *L = new_lease(S);
                L->type = R_HOST;
                L->cs = x->rstart - rng_range(r, HOUR, 12 * HOUR);
                L->ce = x->rstart + rng_range(r, HOUR, DAY);
                if (L->cs < x->start)
                    L->cs = x->start;
                lease_dates(S, L);
                L->start = L->cs;
                L->created = L->cs - HOUR;
                L->no_instances = true;
                L->quirk_outside = true;
                if (bin_fits(&x->com, L->cs, L->ce, x->vcpus, x->mem, x->disk))
                    lease_add_alloc(S, L, hi, ei);
                nquirk++;
            }
            /* One walk of back-to-back leases per bare-metal node; a KVM host
             * takes one walk per 8 vcpus (flavor:instance slots side by side). */
            int walks = h->ironic ? 1 : x->vcpus / KVM_SLOT_VCPUS;
            for (int w = 0; w < walks; w++) {
            double scale = h->ironic ? 1.0 : KVM_LEASE_SCALE;
            tsec t = x->rstart + (tsec)rng_exp(r, LEASE_GAP * scale);
            while (t < stop) {
                /* Chameleon's leases: hours to a week; a few extended past it. */
                tsec len = (tsec)rng_lognormal(r, LEASE_MEDIAN * scale, LEASE_SIGMA);
                if (len < HOUR)
                    len = HOUR;
                if (len > 7 * DAY)
                    len = 7 * DAY;
                if (rng_chance(r, 0.05))
                    len += rng_range(r, DAY, 7 * DAY);
                len -= len % MINUTE;
                tsec s = t - t % MINUTE, e = s + len;
                if (e > stop || s >= O.end + 30 * DAY)
                    break;
                enum rtype type = h->ironic || rng_chance(r, 0.1) ? R_HOST : R_FLAVOR;
                const struct flavor *f = &S->fl[vmflavor_big + (rng_chance(r, 0.6) ? 1 : 0)];
                if (!alloc_fits(S, hi, ei, type, f, s, e, false)) {
                    t += (tsec)rng_exp(r, 6 * HOUR) + HOUR;
                    continue;
                }
                struct lease *L = new_lease(S);
                L->type = type;
                L->cs = s;
                L->ce = e;
                if (type == R_FLAVOR) {
                    char name[64];
                    lease_dates(S, L);
                    snprintf(name, sizeof name, "reservation:%s", L->res_id);
                    struct flavor *rf = add_flavor(S, name, L->res_id, f->vcpus, f->mem, f->disk,
                                                   false, false, L->created);
                    L->flavor = (int)(rf - S->fl);
                } else {
                    lease_dates(S, L);
                }
                lease_add_alloc(S, L, hi, ei);
                /* more hosts (physical) or slots (flavor) in the same lease */
                int more = rng_chance(r, 0.3) ? (int)rng_range(r, 1, 3) : 0;
                for (int k = 0, tries = 0; k < more && tries < 12; tries++) {
                    int oh = (int)rng_range(r, 0, S->nh - 1);
                    if (S->h[oh].ironic != h->ironic)
                        continue;
                    for (int oe = 0; oe < S->h[oh].nera; oe++) {
                        bool dup = false;
                        for (int q = 0; q < L->nal; q++)
                            dup |= L->al[q].host == oh;
                        if (!dup && alloc_fits(S, oh, oe, L->type, &S->fl[L->flavor], s, e, false)) {
                            lease_add_alloc(S, L, oh, oe);
                            k++;
                            break;
                        }
                    }
                }
                L->no_instances = rng_chance(r, P_LEASE_IDLE);
                double u = rng_unit(r);
                if (u < 0.1 && e < O.end) { /* ended early: blazar rewrites end_date */
                    tsec early = s + (tsec)((double)(e - s) * (0.2 + 0.6 * rng_unit(r)));
                    L->ce = L->end = early;
                } else if (u < 0.15 && O.chameleon) { /* deleted while running */
                    tsec del = s + (tsec)((double)(e - s) * (0.2 + 0.6 * rng_unit(r)));
                    if (del < O.end)
                        L->deleted = L->ce = del;
                } else if (u < 0.2 && O.chameleon && L->created < L->cs - HOUR &&
                           L->created + (L->cs - L->created) / 2 + 1 < O.end) {
                    /* deleted before it started */
                    L->deleted = L->created + (L->cs - L->created) / 2 + 1;
                    L->ce = L->cs; /* nothing committed */
                    L->no_instances = true;
                }
                t = e + (tsec)rng_exp(r, LEASE_GAP * scale) + MINUTE;
            }
            }
        }
    }
}

/* ---------------------------------------------------------------- instances */

static struct act *new_act(struct site *S)
{
    S->a = cu_xgrow(S->a, &S->capa, S->na + 1, sizeof *S->a);
    struct act *a = &S->a[S->na++];
    memset(a, 0, sizeof *a);
    a->host = a->era = a->src_host = a->alloc = -1;
    return a;
}

/* The instance is deleted at t (with_action: nova recorded the delete as
 * an action, as it does but for one in ten). */
static void delete_at(struct site *S, struct instance *I, tsec t,
                      bool with_action)
{
    struct act *d = new_act(S);
    d->t = t;
    d->action = A_DELETE;
    d->state = S_DELETED;
    I->end = t;
    I->delete_action = with_action;
}

static bool holds_host(int st) { return st != S_SHELVED && st != S_DELETED; }

/* Next action from a state; false: none fits (the walk ends). */
static int pick_action(struct rng *r, int st, bool ironic, bool reserved)
{
    double u = rng_unit(r);
    switch (st) {
    case S_ACTIVE:
        if (u < 0.30) return A_STOP;
        if (u < 0.45) return A_REBOOT;
        if (u < 0.55) return ironic ? A_REBUILD : A_PAUSE;
        if (u < 0.63) return ironic ? A_REBOOT : A_SUSPEND;
        if (u < 0.73) return ironic ? A_STOP : A_SHELVE; /* ironic cannot snapshot */
        if (u < 0.78) return A_REBUILD;
        if (ironic || reserved) return A_REBOOT;
        if (u < 0.86) return A_LIVE_MIGRATION;
        if (u < 0.93) return A_RESIZE;
        return A_MIGRATE;
    case S_STOPPED:
        if (u < 0.8 || ironic) return A_START;
        return A_SHELVE;
    case S_PAUSED: return A_UNPAUSE;
    case S_SUSPENDED: return A_RESUME;
    case S_SHELVED: return A_UNSHELVE;
    case S_ERROR: return u < 0.6 ? A_REBOOT : A_REBUILD;
    }
    return A_REBOOT;
}

static int action_result(int action, int st)
{
    switch (action) {
    case A_STOP: return S_STOPPED;
    case A_PAUSE: return S_PAUSED;
    case A_SUSPEND: return S_SUSPENDED;
    case A_SHELVE: case A_SHELVE_OFFLOAD: return S_SHELVED;
    case A_DELETE: return S_DELETED;
    case A_CONFIRM_RESIZE: case A_MIGRATE: return st;
    default: return S_ACTIVE;
    }
}

static bool can_fail(int action)
{
    return action == A_START || action == A_STOP || action == A_REBOOT || action == A_REBUILD ||
           action == A_RESIZE || action == A_LIVE_MIGRATION || action == A_MIGRATE;
}

struct place_ctx {
    struct site *S;
    struct instance *I;
    const struct flavor *f;
    bool ironic;
    int alloc0; /* reserved: the allocation it was launched for */
};

/* Place a stretch [s, e) for the instance: a host (on demand: a host of the
 * right kind that is in nova and not in Blazar for the whole stretch; reserved:
 * one of the lease's allocations). Returns false when nothing has room. */
static bool place(struct place_ctx *c, tsec now, tsec s, tsec e, int avoid, int *host, int *era,
                  int *alloc)
{
    struct site *S = c->S;
    struct rng *r = &S->r;
    const struct flavor *f = c->f;
    if (c->I->lease >= 0) {
        struct lease *L = &S->l[c->I->lease];
        if (L->nal == 0)
            return false;
        int k0 = c->alloc0 >= 0 ? c->alloc0 : (int)rng_range(r, 0, L->nal - 1);
        for (int k = 0; k < L->nal; k++) {
            struct alloc *a = &L->al[(k0 + k) % L->nal];
            struct era *x = &S->h[a->host].era[a->era];
            if (a->host == avoid || s < L->cs || e > L->ce || s < x->start ||
                (x->end != T_NONE && e > x->end))
                continue;
            if (S->h[a->host].ironic && (f->vcpus != x->vcpus || f->mem != x->mem))
                continue;
            struct bin *b = L->type == R_HOST ? &x->inst : &a->slot;
            bin_prune(b, now);
            if (bin_fits(b, s, e, f->vcpus, f->mem, f->disk)) {
                bin_add(b, s, e, f->vcpus, f->mem, f->disk);
                *host = a->host;
                *era = a->era;
                *alloc = (int)(a - L->al);
                return true;
            }
        }
        return false;
    }
    /* a few random tries among the hosts of the kind that take on-demand
     * instances; all of them, from a random one, when they are few */
    int *cand = S->od[c->ironic], ncand = S->nod[c->ironic];
    if (ncand == 0)
        return false;
    int k0 = (int)rng_range(r, 0, ncand - 1);
    for (int tries = 0; tries < 24 && (ncand > 24 || tries < ncand); tries++) {
        int hi = cand[ncand > 24 ? (int)rng_range(r, 0, ncand - 1) : (k0 + tries) % ncand];
        struct host *h = &S->h[hi];
        if (hi == avoid)
            continue;
        for (int ei = 0; ei < h->nera; ei++) {
            struct era *x = &h->era[ei];
            tsec xe = x->end == T_NONE ? INT64_MAX : x->end;
            if (s < x->start || e > xe)
                continue;
            if (x->res && s < era_rend(x) && e > x->rstart)
                continue;
            if (h->ironic && (f->vcpus != x->vcpus || f->mem != x->mem))
                continue;
            bin_prune(&x->inst, now);
            if (!bin_fits(&x->inst, s, e, f->vcpus, f->mem, f->disk))
                continue;
            bin_add(&x->inst, s, e, f->vcpus, f->mem, f->disk);
            *host = hi;
            *era = ei;
            *alloc = -1;
            return true;
        }
    }
    return false;
}

/* When an instance is created: on demand (lease -1) or for one allocation of
 * a lease (a reserved node gets its instance minutes after the lease starts). */
struct arrival {
    tsec t;
    int lease, alloc;
};

static int cmp_arrival(const void *a, const void *b)
{
    const struct arrival *x = a, *y = b;
    if (x->t != y->t)
        return (x->t > y->t) - (x->t < y->t);
    if (x->lease != y->lease)
        return (x->lease > y->lease) - (x->lease < y->lease);
    return (x->alloc > y->alloc) - (x->alloc < y->alloc);
}

/* The instances leases launch, sorted by time; at most max of them, spread
 * evenly over the list, so that -n stays the instance count. */
static struct arrival *lease_arrivals(struct site *S, long max, size_t *count)
{
    struct rng *r = &S->r;
    struct arrival *v = NULL;
    size_t nv = 0, cap = 0;
    for (size_t li = 0; li < S->nl; li++) {
        struct lease *L = &S->l[li];
        if (L->no_instances || L->ce <= L->cs)
            continue;
        for (int k = 0; k < L->nal; k++) {
            const struct host *h = &S->h[L->al[k].host];
            const struct era *x = &h->era[L->al[k].era];
            /* a reserved KVM host is filled with a few large VMs */
            int copies = L->type == R_HOST && !h->ironic
                             ? (int)rng_range(r, x->vcpus / 16, x->vcpus / KVM_SLOT_VCPUS)
                             : 1;
            for (int c = 0; c < copies; c++) {
                tsec d = rng_chance(r, 0.1) ? rng_range(r, HOUR, (L->ce - L->cs) / 2 + HOUR)
                                            : MINUTE + (tsec)rng_lognormal(r, 8 * MINUTE, 0.8);
                tsec t = L->cs + d;
                if (t > L->ce - 15 * MINUTE || t >= O.end - MINUTE)
                    continue;
                v = cu_xgrow(v, &cap, nv + 1, sizeof *v);
                v[nv++] = (struct arrival){t, (int)li, k};
            }
        }
    }
    if (max < 0)
        max = 0;
    if (nv > (size_t)max) {
        size_t kept = 0;
        for (size_t i = 0; i < nv; i++)
            if ((i + 1) * (size_t)max / nv > i * (size_t)max / nv)
                v[kept++] = v[i];
        nv = kept;
    }
    if (nv > 0)
        qsort(v, nv, sizeof *v, cmp_arrival);
    *count = nv;
    return v;
}

/* An on-demand bare-metal user asks for a node type that is free: the
 * flavor of an on-demand node found free over [s, e) (a few random tries),
 * else k. */
static int free_node_flavor(struct site *S, tsec s, tsec e, int k)
{
    int *cand = S->od[1], ncand = S->nod[1];
    for (int tries = 0; ncand > 0 && tries < 32; tries++) {
        const struct host *h = &S->h[cand[rng_range(&S->r, 0, ncand - 1)]];
        for (int ei = 0; ei < h->nera; ei++) {
            const struct era *x = &h->era[ei];
            if (s < x->start || (x->end != T_NONE && e > x->end) ||
                (x->res && s < era_rend(x) && e > x->rstart))
                continue;
            if (bin_fits(&x->inst, s, e, x->vcpus, x->mem, x->disk))
                return x->vcpus == bm_types[0].v ? 0 : 1;
        }
    }
    return k;
}

/* The share of on-demand instances that are bare metal: in proportion to
 * what the on-demand hosts of each kind take at the model's load. */
static double ondemand_ironic_share(const struct site *S)
{
    double bm = 0, kvm = 0;
    for (int i = 0; i < S->nh; i++) {
        const struct era *x = &S->h[i].era[0];
        if (x->res)
            continue;
        if (S->h[i].ironic)
            bm += OD_BM_LOAD / lognormal_mean(OD_BM_MEDIAN, OD_BM_SIGMA);
        else
            kvm += OD_KVM_LOAD * x->vcpus / MEAN_VM_VCPUS / lognormal_mean(OD_KVM_MEDIAN, OD_KVM_SIGMA);
    }
    return bm + kvm > 0 ? bm / (bm + kvm) : 0.5;
}

static int cmp_lease_cs(const void *a, const void *b)
{
    const struct lease *x = a, *y = b;
    if (x->cs != y->cs)
        return (x->cs > y->cs) - (x->cs < y->cs);
    return strcmp(x->id, y->id); /* a total order: the same on every libc */
}

static void make_instances(struct site *S, long n)
{
    struct rng *r = &S->r;
    qsort(S->l, S->nl, sizeof *S->l, cmp_lease_cs);
    S->in = cu_xcalloc((size_t)n, sizeof *S->in);
    S->nin = (size_t)n;
    /* Reserved instances come from the leases (at most 3/4 of -n, so that
     * there are always on-demand ones); the rest arrive uniformly. */
    size_t nla = 0, li = 0;
    struct arrival *la = lease_arrivals(S, n * 3 / 4, &nla);
    long nod = n - (long)nla;
    double *gap = cu_xmalloc(((size_t)nod + 1) * sizeof *gap), sum = 0;
    for (long i = 0; i <= nod; i++)
        sum += gap[i] = rng_exp(r, 1.0);
    double span = (double)(O.end - O.start - HOUR), acc = 0;
    long oi = 0;
    double p_ironic = ondemand_ironic_share(S);

    for (long i = 0; i < n; i++) {
        /* merge the two streams in time order */
        struct arrival ar = {T_NONE, -1, -1};
        tsec tod = oi < nod ? O.start + (tsec)((acc + gap[oi]) / sum * span) : T_NONE;
        if (li < nla && (oi >= nod || la[li].t <= tod)) {
            ar = la[li++];
        } else {
            acc += gap[oi++];
            ar.t = tod;
        }
        struct instance *I = &S->in[i];
        tsec t0 = ar.t;
        rng_uuid(r, I->uuid);
        I->user = (int)rng_range(r, 0, NU - 1);
        I->project = rng_chance(r, 0.85) ? U[I->user].home : (int)rng_range(r, 0, NP - 1);
        I->created = t0;
        I->end = T_NONE;
        I->lease = ar.lease;
        I->act0 = S->na;
        I->display_name = NULL;
        bool ironic = rng_chance(r, p_ironic);
        if (I->lease >= 0) {
            struct lease *L = &S->l[I->lease];
            I->user = L->user;
            I->project = L->project;
            ironic = S->h[L->al[ar.alloc].host].ironic;
        }
        /* Flavor: bare metal matches a node type; VMs walk through resizes,
         * and the last flavor is the one the rows keep. */
        if (I->lease >= 0 && S->l[I->lease].type == R_FLAVOR) {
            I->flavor = S->l[I->lease].flavor;
        } else if (ironic) {
            int k = (int)rng_range(r, 0, 1);
            if (I->lease >= 0) {
                struct alloc *a0 = &S->l[I->lease].al[ar.alloc];
                k = S->h[a0->host].era[a0->era].vcpus == bm_types[0].v ? 0 : 1;
            }
            I->flavor = k;
        } else if (I->lease >= 0) {
            I->flavor = 2 + N_VM_FLAVORS - 1; /* a reserved KVM host: m1.xlarge VMs */
        } else {
            I->flavor = 2 + (int)rng_range(r, 0, N_VM_FLAVORS - 1);
        }

        /* Lifetime: a reserved instance runs until Blazar deletes it at the
         * end of the lease, unless its user deletes it earlier; on-demand
         * VMs live days to months, bare metal about a day. */
        tsec life = ironic ? (tsec)rng_lognormal(r, OD_BM_MEDIAN, OD_BM_SIGMA)
                           : (tsec)rng_lognormal(r, OD_KVM_MEDIAN, OD_KVM_SIGMA);
        if (life < 10 * MINUTE)
            life = 10 * MINUTE;
        tsec limit = O.end;
        tsec tdel = t0 + life;
        if (I->lease >= 0) {
            tsec lim = S->l[I->lease].ce - rng_range(r, MINUTE, 10 * MINUTE);
            tdel = lim;
            if (rng_chance(r, P_EARLY_DELETE))
                tdel = t0 + (tsec)((double)(lim - t0) * (0.1 + 0.8 * rng_unit(r)));
            if (tdel <= t0 + MINUTE) {
                I->lease = -1; /* too close to the end: go on demand */
                tdel = t0 + life;
            }
            life = tdel - t0;
        }
        if (I->lease < 0 && I->flavor >= 2 + N_VM_FLAVORS)
            I->flavor = 2 + 3;
        if (I->lease < 0 && ironic)
            I->flavor = free_node_flavor(S, t0, tdel < limit ? tdel : limit, I->flavor);
        struct act *c = new_act(S);
        c->t = t0;
        c->action = A_CREATE;
        c->state = S_ACTIVE;
        c->moves = 1;
        int st = S_ACTIVE;
        bool create_fails = rng_chance(r, 0.02);
        if (create_fails) {
            c->failed = 1;
            st = S_ERROR;
            c->state = S_ERROR;
            c->moves = 0;
        }
        double mean_dwell = (double)life / (1.0 + rng_exp(r, 2.5));
        tsec t = t0 + 5 * MINUTE;
        while (!create_fails) {
            double mult = st == S_ACTIVE ? 1.0 : st == S_SHELVED ? 2.0 : 0.7;
            tsec nt = t + MINUTE + (tsec)rng_exp(r, mean_dwell * mult);
            if (nt >= tdel - MINUTE || nt >= limit)
                break;
            int action = pick_action(r, st, ironic, I->lease >= 0);
            struct act *a = new_act(S);
            a->t = nt;
            a->action = (uint8_t)action;
            if (can_fail(action) && rng_chance(r, 0.04)) {
                a->failed = 1;
                a->state = S_ERROR;
            } else {
                a->state = (uint8_t)action_result(action, st);
                a->moves = action == A_UNSHELVE || action == A_MIGRATE || action == A_RESIZE ||
                           action == A_LIVE_MIGRATION;
                if (action == A_RESIZE) {
                    I->flavor = 2 + (int)rng_range(r, 1, N_VM_FLAVORS - 1);
                }
            }
            st = a->state;
            t = nt;
            if ((action == A_RESIZE || action == A_MIGRATE) && !a->failed) {
                tsec ct = nt + rng_range(r, MINUTE, 30 * MINUTE);
                if (ct < tdel - MINUTE && ct < limit) {
                    struct act *cf = new_act(S);
                    cf->t = ct;
                    cf->action = A_CONFIRM_RESIZE;
                    cf->state = (uint8_t)st;
                    t = ct;
                }
            }
            if (action == A_SHELVE && !a->failed && rng_chance(r, 0.3)) {
                tsec ot = nt + rng_range(r, MINUTE, 3 * HOUR);
                if (ot < tdel - MINUTE && ot < limit) {
                    struct act *of = new_act(S);
                    of->t = ot;
                    of->action = A_SHELVE_OFFLOAD;
                    of->state = S_SHELVED;
                    t = ot;
                }
            }
        }
        if (create_fails && tdel > t0 + 3 * DAY)
            tdel = t0 + rng_range(r, 10 * MINUTE, 3 * DAY);
        if (tdel < limit)
            delete_at(S, I, tdel, !rng_chance(r, 0.1));
        I->nact = (int)(S->na - I->act0);

        /* Place every stretch that holds a host, in order; a stretch that
         * finds no room ends the history there (the user deletes it). */
        struct place_ctx pc = {S, I, &S->fl[I->flavor], ironic, I->lease >= 0 ? ar.alloc : -1};
        int host = -1, era = -1, alloc = -1;
        for (int k = 0; k < I->nact; k++) {
            struct act *a = &S->a[I->act0 + (size_t)k];
            a->src_host = host;
            if (a->state == S_DELETED || a->state == S_SHELVED) {
                host = era = alloc = -1;
            } else if (a->moves || (host < 0 && holds_host(a->state) && a->action != A_CREATE)) {
                /* the stretch lasts until the next move, shelve or the end */
                tsec e = I->end != T_NONE ? I->end : I->lease >= 0 ? S->l[I->lease].ce : O.end + 365 * DAY;
                for (int q = k + 1; q < I->nact; q++) {
                    struct act *b = &S->a[I->act0 + (size_t)q];
                    if (b->moves || b->state == S_SHELVED || b->state == S_DELETED) {
                        e = b->t;
                        break;
                    }
                }
                int nh_, ne_, na_;
                if (place(&pc, t0, a->t, e, a->action == A_CREATE ? -1 : host, &nh_, &ne_, &na_)) {
                    host = nh_;
                    era = ne_;
                    alloc = na_;
                } else if (k == 0) {
                    /* No valid host: the create fails, the instance never runs. */
                    a->failed = 1;
                    a->moves = 0;
                    a->state = S_ERROR;
                    I->never_launched = true;
                    tsec d = a->t + rng_range(r, 10 * MINUTE, 2 * DAY);
                    S->na = I->act0 + 1;
                    I->nact = 1;
                    I->end = T_NONE;
                    if (d < limit) {
                        delete_at(S, I, d, true);
                        I->nact = 2;
                    }
                    break;
                } else {
                    /* no room to move or unshelve: deleted instead */
                    a->action = A_DELETE;
                    a->failed = 0;
                    a->moves = 0;
                    a->state = S_DELETED;
                    I->end = a->t;
                    I->delete_action = true;
                    S->na = I->act0 + (size_t)k + 1;
                    I->nact = k + 1;
                    host = era = alloc = -1;
                }
            }
            a->host = host;
            a->era = era;
            a->alloc = alloc;
        }
        if (I->nact > 0 && S->a[I->act0].failed)
            I->never_launched = true;
        if (O.quirk[Q_ODD_NAMES] && i % 1013 == 7) {
            I->display_name = cu_xstrdup(odd_display_names[(i / 1013) % 4]);
            S->quirk_count[Q_ODD_NAMES]++;
        }
    }
    free(gap);
    free(la);
}

/* Quirks that rewrite the model after the walk. */
static void apply_quirks(struct site *S)
{
    struct rng *r = &S->r;
    if (O.quirk[Q_NULL_NODE] || O.quirk[Q_ZERO_DATES]) {
        for (size_t i = 0; i < S->nin; i++) {
            struct instance *I = &S->in[i];
            struct act *last = &S->a[I->act0 + (size_t)I->nact - 1];
            int h = last->state == S_DELETED ? last->src_host : last->host;
            if (O.quirk[Q_NULL_NODE] && h >= 0 && !S->h[h].ironic && I->lease < 0 &&
                rng_chance(r, I->end == T_NONE ? 0.3 : 0.01)) {
                I->null_node = true;
                S->quirk_count[Q_NULL_NODE]++;
            }
            if (O.quirk[Q_ZERO_DATES] && I->end == T_NONE && rng_chance(r, 0.02)) {
                I->zero_dates = true;
                S->quirk_count[Q_ZERO_DATES]++;
            }
        }
    }
    if (O.quirk[Q_ZERO_DATES]) {
        for (int hi = 0; hi < S->nh; hi++) {
            struct era *x = &S->h[hi].era[S->h[hi].nera - 1];
            if (x->end == T_NONE && hi % 5 == 2) {
                x->zero_deleted = true;
                S->quirk_count[Q_ZERO_DATES]++;
            }
        }
    }
    if (O.quirk[Q_LATE_HOST_RECORD]) {
        /* The first instance on a non-reservable KVM host record starts
         * before the record: the record's created_at moves a little later. */
        for (int hi = 0; hi < S->nh && S->quirk_count[Q_LATE_HOST_RECORD] < 2; hi++) {
            struct host *h = &S->h[hi];
            struct era *x = &h->era[0];
            if (h->ironic || x->res)
                continue;
            tsec first = INT64_MAX, second = INT64_MAX;
            size_t who = 0;
            bool first_create = false;
            for (size_t i = 0; i < S->nin; i++) {
                struct instance *I = &S->in[i];
                for (int k = 0; k < I->nact; k++) {
                    struct act *a = &S->a[I->act0 + (size_t)k];
                    if (a->host == hi && a->era == 0 && a->t < second) {
                        if (a->t < first) {
                            second = first;
                            first = a->t;
                            who = i;
                            first_create = a->action == A_CREATE;
                        } else if (a->t > first) {
                            second = a->t;
                        }
                    }
                }
            }
            if (first == INT64_MAX || !first_create)
                continue; /* it must be where the instance was created */
            tsec moved = first + 15 * MINUTE;
            if (moved >= second || (x->end != T_NONE && moved >= x->end))
                continue;
            x->rec_created = moved;
            S->in[who].late_record = true;
            S->quirk_count[Q_LATE_HOST_RECORD]++;
        }
    }
}

/* ---------------------------------------------------------------- SQL rows */

struct tables {
    struct tbl cn, inst, act, ev, extra; /* nova */
    struct tbl flv, rs;                          /* nova_api */
    struct tbl lease, resv, ch, chr, cha, ir;    /* blazar */
    struct tbl proj, user, luser;                /* keystone */
    struct tbl edge[6];                          /* --edge-devices */
    int nedge;
};

static const char *rfc(tsec t, char *b)
{
    fmt_time(t, true, b);
    return b;
}

static void flavor_json(struct sbuf *b, const struct flavor *f)
{
    char t[24];
    sb_printf(b, "{\"nova_object.name\": \"Flavor\", \"nova_object.namespace\": \"nova\", "
                 "\"nova_object.version\": \"1.2\", \"nova_object.data\": {\"id\": %d, \"name\": ",
              f->id);
    sb_json_str(b, f->name);
    sb_printf(b, ", \"memory_mb\": %d, \"vcpus\": %d, \"root_gb\": %d, \"ephemeral_gb\": 0, "
                 "\"flavorid\": ", f->mem, f->vcpus, f->disk);
    sb_json_str(b, f->flavorid);
    sb_printf(b, ", \"swap\": 0, \"rxtx_factor\": 1.0, \"vcpu_weight\": 0, \"disabled\": false, "
                 "\"is_public\": %s, \"extra_specs\": {", f->listed && strncmp(f->name, "reservation:", 12) ? "true" : "false");
    if (f->baremetal)
        sb_printf(b, "\"resources:CUSTOM_BAREMETAL\": \"1\", \"resources:VCPU\": \"0\", "
                     "\"resources:MEMORY_MB\": \"0\", \"resources:DISK_GB\": \"0\"");
    else if (!strncmp(f->name, "reservation:", 12))
        sb_printf(b, "\"aggregate_instance_extra_specs:reservation\": \"%s\"", f->flavorid);
    sb_printf(b, "}, \"description\": null, \"created_at\": \"%s\", \"updated_at\": null, "
                 "\"deleted_at\": null, \"deleted\": false}, "
                 "\"nova_object.changes\": [\"extra_specs\"]}", rfc(f->created, t));
}

static void write_keystone(struct tables *T)
{
    /* The root row keystone's first migration inserts, then the domain. */
    f_str(&T->proj, "<<keystone.domain.root>>"); f_str(&T->proj, "<<keystone.domain.root>>");
    f_str(&T->proj, "{}"); f_str(&T->proj, ""); f_int(&T->proj, 0);
    f_str(&T->proj, "<<keystone.domain.root>>"); f_null(&T->proj); f_int(&T->proj, 1);
    f_end(&T->proj);
    f_str(&T->proj, "default"); f_str(&T->proj, "Default"); f_str(&T->proj, "{}");
    f_str(&T->proj, "The default domain"); f_int(&T->proj, 1);
    f_str(&T->proj, "<<keystone.domain.root>>"); f_null(&T->proj); f_int(&T->proj, 1);
    f_end(&T->proj);
    for (int i = 0; i < NP; i++) {
        struct project *p = &P[i];
        f_str(&T->proj, p->id); f_str(&T->proj, p->name); f_str(&T->proj, "{}");
        f_str(&T->proj, "synthetic project"); f_int(&T->proj, 1); f_str(&T->proj, "default");
        f_str(&T->proj, p->parent >= 0 ? P[p->parent].id : "default"); f_int(&T->proj, 0);
        f_end(&T->proj);
    }
    for (int i = 0; i < NU; i++) {
        struct user *u = &U[i];
        f_str(&T->user, u->id); f_str(&T->user, "{}"); f_int(&T->user, 1);
        f_str(&T->user, P[u->home].id); f_time(&T->user, u->created, false); f_null(&T->user);
        f_str(&T->user, "default"); f_end(&T->user);
        f_int(&T->luser, i + 1); f_str(&T->luser, u->id); f_str(&T->luser, "default");
        f_str(&T->luser, u->name); f_int(&T->luser, 0); f_null(&T->luser); f_end(&T->luser);
    }
}

static void write_hosts(struct site *S, struct tables *T)
{
    for (int hi = 0; hi < S->nh; hi++) {
        struct host *h = &S->h[hi];
        for (int ei = 0; ei < h->nera; ei++) {
            struct era *x = &h->era[ei];
            struct tbl *t = &T->cn;
            f_time(t, x->rec_created, false);
            f_time(t, x->end != T_NONE ? x->end : O.end - rng_range(&S->r, 1, 60), false);
            f_time(t, x->end, x->zero_deleted);
            f_int(t, x->cn_id); f_int(t, h->service_id);
            f_int(t, x->vcpus); f_int(t, x->mem); f_int(t, x->disk);
            f_int(t, 0); f_int(t, 512); f_int(t, 0);
            f_str(t, h->ironic ? "ironic" : "QEMU"); f_int(t, h->ironic ? 1 : 8002000);
            f_str(t, h->ironic ? "{}" : "{\"arch\": \"x86_64\", \"model\": \"Cascadelake-Server\", "
                                         "\"vendor\": \"Intel\", \"topology\": {\"cells\": 2, "
                                         "\"sockets\": 1, \"cores\": 12, \"threads\": 2}}");
            f_int(t, x->disk); f_int(t, x->mem - 512); f_int(t, x->disk); f_int(t, 0); f_int(t, 0);
            f_str(t, h->name);
            f_int(t, x->end != T_NONE ? x->cn_id : 0);
            char ip[64];
            snprintf(ip, sizeof ip, "10.%d.%d.%d", 20 + S->idx, hi / 250, hi % 250 + 1);
            f_str(t, ip);
            f_str(t, h->ironic ? "[[\"x86_64\", \"baremetal\", \"hvm\"]]" : "[[\"x86_64\", \"qemu\", \"hvm\"], [\"x86_64\", \"kvm\", \"hvm\"]]");
            f_null(t); f_str(t, "[]"); f_null(t); f_str(t, "{}"); f_null(t);
            f_str(t, h->service);
            f_dbl(t, 1.0); f_dbl(t, 1.0); f_str(t, x->uuid); f_dbl(t, 1.0); f_int(t, 1);
            f_end(t);

            if (!x->res)
                continue;
            t = &T->ch;
            f_time(t, x->rstart, false); f_null(t); f_str(t, x->ch_id);
            f_int(t, x->vcpus); f_str(t, h->ironic ? "baremetal cpu" : "{\"arch\": \"x86_64\"}");
            f_str(t, h->ironic ? "ironic" : "QEMU"); f_int(t, h->ironic ? 1 : 8002000);
            f_str(t, h->name); f_int(t, x->mem); f_int(t, x->disk); f_null(t);
            f_str(t, h->service); f_str(t, "00000000-0000-4000-8000-000000000000");
            f_int(t, 1); f_str(t, "nova");
            if (O.chameleon) {
                if (x->rend != T_NONE && x->rend <= O.end) {
                    f_str(t, x->ch_id);
                    f_time(t, x->rend, false);
                } else {
                    f_null(t);
                    f_null(t);
                }
                f_int(t, 0);
            }
            f_end(t);
        }
    }
}

/* blazar: leases, reservations, computehost_reservations or
 * instance_reservations, computehost_allocations, as Blazar leaves them at
 * the end of history. Upstream Blazar hard-deletes ended allocations and
 * deleted leases; the Chameleon fork soft-deletes them. */
static bool lease_in_db(const struct lease *L)
{
    return O.chameleon || L->deleted == T_NONE;
}

static bool allocs_in_db(const struct lease *L)
{
    return O.chameleon || L->ce > O.end;
}

static void write_leases(struct site *S, struct tables *T)
{
    for (size_t li = 0; li < S->nl; li++) {
        struct lease *L = &S->l[li];
        if (!lease_in_db(L))
            continue;
        bool ended = L->ce <= O.end || L->deleted != T_NONE;
        bool started = L->cs <= O.end && L->cs < L->ce;
        const char *status = L->deleted != T_NONE && L->ce <= L->cs ? "TERMINATED"
                             : ended ? "TERMINATED" : started ? "ACTIVE" : "PENDING";
        const char *rstatus = ended ? "deleted" : started ? "active" : "pending";
        tsec upd = ended ? (L->deleted != T_NONE ? L->deleted : L->end) + 3 : started ? L->cs + 2 : T_NONE;
        struct tbl *t = &T->lease;
        f_time(t, L->created, false); f_time(t, upd, false); f_str(t, L->id); f_str(t, L->name);
        f_str(t, U[L->user].id); f_str(t, P[L->project].id); f_time(t, L->start, false);
        f_time(t, L->end, false); f_str(t, L->trust); f_str(t, status); f_int(t, 0);
        if (O.chameleon) {
            if (L->deleted != T_NONE) { f_str(t, L->id); f_time(t, L->deleted, false); }
            else { f_null(t); f_null(t); }
        }
        f_end(t);
        t = &T->resv;
        f_time(t, L->created, false); f_time(t, upd, false); f_str(t, L->res_id); f_str(t, L->id);
        f_str(t, L->sub_id); f_str(t, L->type == R_HOST ? "physical:host" : "flavor:instance");
        f_str(t, rstatus); f_int(t, 0); f_int(t, 0);
        if (O.chameleon) {
            if (L->deleted != T_NONE) { f_str(t, L->res_id); f_time(t, L->deleted, false); }
            else { f_null(t); f_null(t); }
        }
        f_end(t);
        if (L->type == R_HOST) {
            t = &T->chr;
            char cr[16];
            snprintf(cr, sizeof cr, "%d-%d", L->nal, L->nal);
            f_time(t, L->created, false); f_null(t); f_str(t, L->sub_id); f_str(t, L->res_id);
            f_str(t, ""); f_str(t, cr); f_str(t, ""); f_int(t, L->aggregate); f_str(t, "default");
            if (O.chameleon) {
                if (L->deleted != T_NONE) { f_str(t, L->sub_id); f_time(t, L->deleted, false); }
                else { f_null(t); f_null(t); }
                f_str(t, "default");
            }
            f_end(t);
        } else {
            const struct flavor *f = &S->fl[L->flavor];
            t = &T->ir;
            f_time(t, L->created, false); f_null(t); f_str(t, L->sub_id); f_str(t, L->res_id);
            f_int(t, f->vcpus); f_int(t, f->mem); f_int(t, f->disk); f_int(t, L->nal);
            f_int(t, 0); f_str(t, L->res_id); f_int(t, L->aggregate); f_null(t); f_str(t, "");
            if (O.chameleon) {
                if (L->deleted != T_NONE) { f_str(t, L->sub_id); f_time(t, L->deleted, false); }
                else { f_null(t); f_null(t); }
            }
            f_end(t);
        }
        if (!allocs_in_db(L))
            continue;
        for (int k = 0; k < L->nal; k++) {
            struct alloc *a = &L->al[k];
            struct era *x = &S->h[a->host].era[a->era];
            t = &T->cha;
            if (L->quirk_outside)
                S->quirk_count[Q_ALLOC_OUTSIDE]++;
            f_time(t, L->created, false); f_null(t); f_str(t, a->id); f_str(t, x->ch_id);
            f_str(t, L->res_id);
            if (O.chameleon) {
                tsec gone = L->deleted != T_NONE ? L->deleted : L->ce <= O.end ? L->ce + 2 : T_NONE;
                if (gone != T_NONE) { f_str(t, a->id); f_time(t, gone, false); }
                else { f_null(t); f_null(t); }
            }
            f_end(t);
        }
    }
}

static void write_flavors(struct site *S, struct tables *T)
{
    bool *live = cu_xcalloc((size_t)S->nfl, sizeof *live);
    for (size_t li = 0; li < S->nl; li++)
        if (S->l[li].type == R_FLAVOR)
            live[S->l[li].flavor] = S->l[li].ce > O.end && S->l[li].deleted == T_NONE;
    for (int i = 0; i < S->nfl; i++) {
        struct flavor *f = &S->fl[i];
        bool reserved = !strncmp(f->name, "reservation:", 12);
        /* Blazar deletes a reservation's flavor when the lease ends. */
        if (reserved && !live[i])
            continue;
        struct tbl *t = &T->flv;
        f_time(t, f->created, false); f_null(t); f_str(t, f->name); f_int(t, f->id);
        f_int(t, f->mem); f_int(t, f->vcpus); f_int(t, 0); f_null(t); f_str(t, f->flavorid);
        f_dbl(t, 1.0); f_int(t, f->disk); f_int(t, 0); f_int(t, 0); f_int(t, reserved ? 0 : 1);
        f_null(t); f_end(t);
    }
    free(live);
}

/* Events of one action: (name, where) pairs; where: 's' source host, 'd'
 * destination host, 'c' conductor. The last compute event of a successful
 * move runs on the destination. */
static const char *const *events_of(int action, bool failed, const char **where)
{
    static const char *const create[] = {"conductor_schedule_and_build_instances", "compute__do_build_and_run_instance", NULL};
    static const char *const del[] = {"compute_terminate_instance", NULL};
    static const char *const stop[] = {"compute_stop_instance", NULL};
    static const char *const start[] = {"compute_start_instance", NULL};
    static const char *const reboot[] = {"compute_reboot_instance", NULL};
    static const char *const pause[] = {"compute_pause_instance", NULL};
    static const char *const unpause[] = {"compute_unpause_instance", NULL};
    static const char *const suspend[] = {"compute_suspend_instance", NULL};
    static const char *const resume[] = {"compute_resume_instance", NULL};
    static const char *const shelve[] = {"compute_shelve_instance", NULL};
    static const char *const offload[] = {"compute_shelve_offload_instance", NULL};
    static const char *const unshelve[] = {"conductor_unshelve_instance", "compute_unshelve_instance", NULL};
    static const char *const rebuild[] = {"compute_rebuild_instance", NULL};
    static const char *const resize[] = {"conductor_migrate_server", "compute_prep_resize", "compute_resize_instance", "compute_finish_resize", NULL};
    static const char *const resize_failed[] = {"conductor_migrate_server", "compute_prep_resize", NULL};
    static const char *const confirm[] = {"compute_confirm_resize", NULL};
    static const char *const live[] = {"conductor_live_migrate_instance", "compute_check_can_live_migrate_destination", "compute_check_can_live_migrate_source", "compute_pre_live_migration", "compute_live_migration", "compute_post_live_migration_at_destination", NULL};
    static const char *const live_failed[] = {"conductor_live_migrate_instance", "compute_check_can_live_migrate_destination", "compute_check_can_live_migrate_source", "compute_pre_live_migration", "compute_live_migration", NULL};
    /* the events of each action, and where each runs (s: the source host,
       c: the conductor, d: the destination host) */
    static const struct {
        const char *const *events;
        const char *where;
    } plain[] = {
        [A_CREATE] = {create, "cd"},     [A_DELETE] = {del, "s"},
        [A_STOP] = {stop, "s"},          [A_START] = {start, "s"},
        [A_REBOOT] = {reboot, "s"},      [A_PAUSE] = {pause, "s"},
        [A_UNPAUSE] = {unpause, "s"},    [A_SUSPEND] = {suspend, "s"},
        [A_RESUME] = {resume, "s"},      [A_SHELVE] = {shelve, "ss"},
        [A_SHELVE_OFFLOAD] = {offload, "s"}, [A_UNSHELVE] = {unshelve, "cd"},
        [A_REBUILD] = {rebuild, "s"},    [A_CONFIRM_RESIZE] = {confirm, "s"},
    };
    if (action == A_RESIZE || action == A_MIGRATE) {
        *where = failed ? "cd" : "cdsd";
        return failed ? resize_failed : resize;
    }
    if (action == A_LIVE_MIGRATION) {
        *where = failed ? "cdsds" : "cdsdsd";
        return failed ? live_failed : live;
    }
    if (action >= 0 && (size_t)action < sizeof plain / sizeof *plain &&
        plain[action].events) {
        *where = plain[action].where;
        return plain[action].events;
    }
    *where = "";
    return del + 1;
}

static const char tb_novalid[] =
    "Traceback (most recent call last):\n"
    "  File \"/usr/lib/python3/dist-packages/nova/conductor/manager.py\", line 1589, in schedule_and_build_instances\n"
    "nova.exception.NoValidHost: No valid host was found. ";
static const char tb_libvirt[] =
    "Traceback (most recent call last):\n"
    "  File \"/usr/lib/python3/dist-packages/nova/compute/manager.py\", line 10408, in wrapped\n"
    "libvirt.libvirtError: internal error: qemu unexpectedly closed the monitor";

static void write_instance(struct site *S, struct tables *T, struct instance *I, int64_t id,
                           int64_t *act_id, int64_t *ev_id, struct sbuf *b)
{
    struct rng *r = &S->r;
    const struct flavor *f = &S->fl[I->flavor];
    struct act *A = &S->a[I->act0];
    struct act *last = &A[I->nact - 1];
    int final_state = last->state;
    int hnow = final_state == S_DELETED ? last->src_host : last->host;
    int enow = -1;
    for (int k = I->nact - 1; k >= 0; k--)
        if (A[k].host == hnow && hnow >= 0) {
            enow = A[k].era;
            break;
        }
    const char *uid = U[I->user].id, *pid = P[I->project].id;
    struct lease *L = I->lease >= 0 ? &S->l[I->lease] : NULL;
    tsec launched = I->never_launched ? T_NONE : I->created + rng_range(r, 30, 600);
    tsec upd = last->t + 2;
    bool deleted = final_state == S_DELETED;
    tsec term = T_NONE, del = T_NONE;
    if (deleted) {
        if (I->delete_action) {
            term = last->t + rng_range(r, 2, 20);
            del = term + rng_range(r, 0, 2);
        } else {
            term = rng_chance(r, 0.5) ? last->t : T_NONE;
            del = last->t;
        }
    }

    /* nova.instances */
    struct tbl *ti = &T->inst;
    f_time(ti, I->created, false); f_time(ti, upd, false);
    f_time(ti, del, I->zero_dates);
    f_int(ti, id); f_null(ti); f_str(ti, uid); f_str(ti, pid);
    char img[37], rid[16];
    rng_uuid(r, img);
    f_str(ti, img); f_str(ti, ""); f_str(ti, ""); f_int(ti, 0);
    f_str(ti, rng_chance(r, 0.7) ? "default-key" : NULL); f_null(ti);
    static const int power[] = {1, 4, 3, 7, 4, 0, 0};
    static const char *const vm[] = {"active", "stopped", "paused", "suspended", "shelved_offloaded", "error", "deleted"};
    f_int(ti, power[final_state]); f_str(ti, vm[final_state]);
    f_int(ti, f->mem); f_int(ti, f->vcpus);
    char name[64];
    snprintf(name, sizeof name, "%s-%" PRId64, f->baremetal ? "node" : "vm", id);
    f_str(ti, I->display_name ? I->display_name : name); /* hostname */
    bool show_host = hnow >= 0 && !I->null_node && (final_state != S_SHELVED);
    f_str(ti, show_host ? S->h[hnow].service : NULL);
    f_null(ti); /* user_data */
    rid[0] = 'r';
    rid[1] = '-';
    rng_hex(r, rid + 2, 8);
    f_str(ti, rid); /* nova's multi-create reservation id, not Blazar's */
    f_time(ti, launched, I->zero_dates && launched == T_NONE);
    f_time(ti, term, I->zero_dates);
    f_str(ti, I->display_name ? I->display_name : name); f_str(ti, "");
    f_str(ti, L ? "blazar_reservations" : "nova"); f_int(ti, 0); f_null(ti);
    int first_host = -1;
    for (int k = 0; k < I->nact && first_host < 0; k++)
        first_host = A[k].host;
    f_str(ti, first_host >= 0 ? S->h[first_host].service : NULL);
    f_int(ti, f->id); f_null(ti); f_str(ti, I->uuid); f_str(ti, "x86_64");
    f_str(ti, "/dev/vda"); f_null(ti); f_null(ti); f_str(ti, ""); f_null(ti);
    f_null(ti); f_null(ti); f_int(ti, 0); f_int(ti, 0); f_int(ti, 0); f_int(ti, 0);
    f_int(ti, f->disk); f_int(ti, 0); f_null(ti);
    f_str(ti, show_host ? S->h[hnow].name : NULL);
    f_int(ti, deleted ? id : 0); f_null(ti); f_int(ti, deleted ? 1 : 0); f_null(ti); f_int(ti, 0);
    if (show_host && enow >= 0)
        f_int(ti, S->h[hnow].era[enow].cn_id);
    else
        f_null(ti);
    f_end(ti);

    /* nova.instance_extra: the flavor envelope */
    b->n = 0;
    sb_puts(b, "{\"cur\": ");
    flavor_json(b, f);
    sb_puts(b, ", \"old\": null, \"new\": null}");
    struct tbl *te = &T->extra;
    f_time(te, I->created, false); f_time(te, upd, false); f_time(te, del, false);
    f_int(te, deleted ? id : 0); f_int(te, id); f_str(te, I->uuid); f_null(te);
    f_str(te, "{\"nova_object.name\": \"InstancePCIRequests\", \"nova_object.namespace\": \"nova\", "
              "\"nova_object.version\": \"1.1\", \"nova_object.data\": {\"requests\": []}}");
    f_str(te, b->p); f_null(te); f_null(te); f_null(te); f_null(te); f_null(te); f_null(te);
    f_null(te); f_end(te);

    /* nova_api.request_specs: the RequestSpec envelope */
    b->n = 0;
    sb_puts(b, "{\"nova_object.name\": \"RequestSpec\", \"nova_object.namespace\": \"nova\", "
               "\"nova_object.version\": \"1.14\", \"nova_object.data\": {\"image\": "
               "{\"nova_object.name\": \"ImageMeta\", \"nova_object.namespace\": \"nova\", "
               "\"nova_object.version\": \"1.8\", \"nova_object.data\": {\"id\": ");
    sb_json_str(b, img);
    sb_printf(b, ", \"name\": \"%s\", \"status\": \"active\", \"container_format\": \"bare\", "
                 "\"disk_format\": \"qcow2\", \"min_ram\": 0, \"min_disk\": 0, \"size\": 3145728000}}, "
                 "\"numa_topology\": null, \"pci_requests\": null, \"project_id\": ",
              f->baremetal ? "CC-Ubuntu22.04" : "Ubuntu 22.04");
    sb_json_str(b, pid);
    sb_puts(b, ", \"user_id\": ");
    sb_json_str(b, uid);
    sb_printf(b, ", \"availability_zone\": %s, \"flavor\": ", L ? "\"blazar_reservations\"" : "null");
    flavor_json(b, f);
    sb_puts(b, ", \"num_instances\": 1, \"ignore_hosts\": null, \"force_hosts\": null, "
               "\"force_nodes\": null, \"limits\": {\"nova_object.name\": \"SchedulerLimits\", "
               "\"nova_object.namespace\": \"nova\", \"nova_object.version\": \"1.0\", "
               "\"nova_object.data\": {\"numa_topology\": null, \"vcpu\": null, \"disk_gb\": null, "
               "\"memory_mb\": null}}, \"instance_group\": null, \"scheduler_hints\": ");
    if (L && L->type == R_HOST)
        sb_printf(b, "{\"reservation\": [\"%s\"]}", L->res_id);
    else
        sb_putn(b, "{}", 2);
    sb_puts(b, ", \"instance_uuid\": ");
    sb_json_str(b, I->uuid);
    sb_puts(b, ", \"is_bfv\": false}, \"nova_object.changes\": [\"flavor\", \"instance_uuid\", "
               "\"scheduler_hints\"]}");
    struct tbl *tr = &T->rs;
    f_time(tr, I->created, false); f_time(tr, last->t, false); f_int(tr, id);
    f_str(tr, I->uuid); f_str(tr, b->p); f_end(tr);

    /* nova.instance_actions and their events */
    for (int k = 0; k < I->nact; k++) {
        struct act *a = &A[k];
        if (a->action == A_DELETE && !I->delete_action)
            continue;
        int64_t aid = ++*act_id;
        const char *where;
        const char *const *ev = events_of(a->action, a->failed, &where);
        /* shelved instances are deleted in the API: no compute event */
        if (a->action == A_DELETE && (a->src_host < 0))
            ev = ev + 1, where = "";
        tsec et = a->t + rng_range(r, 0, 2), last_fin = a->t;
        struct tbl *te2 = &T->ev;
        int nev = 0;
        while (ev[nev])
            nev++;
        for (int q = 0; q < nev; q++) {
            int src = a->src_host, dst = a->host;
            /* offload and confirm run where the instance was before the
             * shelve or the move */
            if ((a->action == A_SHELVE_OFFLOAD || a->action == A_CONFIRM_RESIZE) && k > 0)
                src = A[k - 1].src_host;
            if (a->action == A_CREATE)
                src = dst;
            const char *eh;
            if (where[q] == 'c')
                eh = S->ctl;
            else if (where[q] == 'd')
                eh = a->failed ? S->h[(int)rng_range(r, 0, S->nh - 1)].service
                               : (dst >= 0 ? S->h[dst].service : NULL);
            else
                eh = src >= 0 ? S->h[src].service : (dst >= 0 ? S->h[dst].service : NULL);
            if (a->action == A_CREATE && a->failed && where[q] == 'd')
                break; /* never launched: the conductor found no host */
            tsec dur = rng_range(r, 1, where[q] == 'c' ? 3 : 40);
            bool err = a->failed && q == nev - 1 - (a->action == A_CREATE && a->failed);
            if (a->failed && a->action == A_CREATE)
                err = where[q] == 'c';
            bool nofin = O.quirk[Q_NULL_FINISH] && rng_chance(r, 0.002);
            if (nofin)
                S->quirk_count[Q_NULL_FINISH]++;
            f_time(te2, et, false); f_time(te2, nofin ? T_NONE : et + dur, false); f_null(te2);
            f_int(te2, ++*ev_id); f_str(te2, ev[q]); f_int(te2, aid); f_time(te2, et, false);
            f_time(te2, nofin ? T_NONE : et + dur, false); f_str(te2, err ? "Error" : "Success");
            f_str(te2, err ? (a->action == A_CREATE ? tb_novalid : tb_libvirt) : NULL);
            f_int(te2, 0); f_str(te2, eh);
            f_str(te2, err ? (a->action == A_CREATE ? "No valid host was found. " : "internal error: qemu unexpectedly closed the monitor") : NULL);
            f_end(te2);
            last_fin = et + dur;
            et += dur + rng_range(r, 0, 3);
        }
        struct tbl *ta = &T->act;
        f_time(ta, a->t, false); f_time(ta, last_fin, false); f_null(ta); f_int(ta, aid);
        f_str(ta, action_names[a->action]); f_str(ta, I->uuid);
        snprintf(name, sizeof name, "req-");
        rng_uuid(r, name + 4);
        f_str(ta, name); f_str(ta, uid); f_str(ta, pid); f_time(ta, a->t, false); f_null(ta);
        f_str(ta, a->failed ? "Error" : NULL); f_int(ta, 0); f_end(ta);
    }
}

/* ---------------------------------------------------------------- truth */

enum res { R_NODES, R_VCPUS, R_MEM, R_DISK, R_INST, N_RES };
static const char *const res_names[N_RES] = {"nodes", "vcpus", "memory_mb", "disk_gb", "instances"};
enum met {
    M_TOTAL, M_RESERVABLE, M_COMMITTED, M_OCC_RES, M_OCC_OD, M_ACT_RES, M_ACT_OD, M_STOP_RES,
    M_STOP_OD, M_ERR_RES, M_ERR_OD, N_BASE_MET,
    M_OD_CAP = N_BASE_MET, M_AVAIL_RES, M_IDLE, M_AVAIL_OD, N_MET
};
static const char *const met_names[N_MET] = {
    "total", "reservable", "committed", "occupied_reservation", "occupied_ondemand",
    "active_reservation", "active_ondemand", "stopped_reservation", "stopped_ondemand",
    "error_reservation", "error_ondemand", "ondemand_capacity", "available_reservable", "idle",
    "available_ondemand",
};

struct truth {
    FILE *spans, *secs, *tl;
    char *spans_path, *secs_path, *tl_path;
    tsec *bucket; /* nb + 1 boundaries */
    size_t nb;
    double *integral; /* [site][bucket][metric][res] */
};

static double *cell(struct truth *X, int site, size_t b, int m, int r)
{
    return &X->integral[(((size_t)site * X->nb + b) * N_MET + (size_t)m) * N_RES + (size_t)r];
}

/* Add value * seconds of [s, e) inside the window to each bucket. */
static void accumulate(struct truth *X, int site, tsec s, tsec e, int m, const double v[N_RES])
{
    if (e == T_NONE || e > O.truth_end)
        e = O.truth_end;
    if (s < O.truth_start)
        s = O.truth_start;
    if (s >= e)
        return;
    /* first bucket holding s: binary search */
    size_t lo = 0, hi = X->nb;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (X->bucket[mid] <= s)
            lo = mid;
        else
            hi = mid;
    }
    for (size_t b = lo; b < X->nb && X->bucket[b] < e; b++) {
        tsec a = s > X->bucket[b] ? s : X->bucket[b];
        tsec z = e < X->bucket[b + 1] ? e : X->bucket[b + 1];
        if (z <= a)
            continue;
        for (int r = 0; r < N_RES; r++)
            *cell(X, site, b, m, r) += v[r] * (double)(z - a);
    }
}

static void put_field(FILE *f, const char *s, bool last)
{
    if (s)
        put_escaped(f, s);
    else
        fputs("\\N", f);
    putc(last ? '\n' : '\t', f);
}

static void put_time_field(FILE *f, tsec t)
{
    char b[24];
    if (t == T_NONE)
        fputs("\\N\t", f);
    else {
        fmt_time(t, true, b);
        fputs(b, f);
        putc('\t', f);
    }
}

/* One row of the span stream (DESIGN.md). */
static void put_span(FILE *f, const char *site, const char *kind, const char *state, const char *id,
                     tsec s, tsec e, const char *host, const char *project, const char *user,
                     const char *resv, const char *lease, const char *flavor, const char *booking,
                     const double v[N_RES], const char *audit)
{
    put_field(f, site, false);
    put_field(f, kind, false);
    put_field(f, state, false);
    put_field(f, id, false);
    put_time_field(f, s);
    put_time_field(f, e);
    put_field(f, host, false);
    put_field(f, project, false);
    put_field(f, user, false);
    put_field(f, resv, false);
    put_field(f, lease, false);
    put_field(f, flavor, false);
    put_field(f, booking, false);
    for (int r = R_NODES; r <= R_DISK; r++) /* NaN: no size (\N) */
        if (isnan(v[r]))
            fputs("\\N\t", f);
        else
            fprintf(f, "%.10g\t", v[r]);
    put_field(f, audit, true);
}

static tsec clip_end(tsec e) { return e == T_NONE ? O.truth_end : e < O.truth_end ? e : O.truth_end; }

static tsec overlap(tsec s, tsec e)
{
    tsec a = s > O.truth_start ? s : O.truth_start, z = clip_end(e);
    return z > a ? z - a : 0;
}

static void truth_hosts(struct site *S, struct truth *X)
{
    for (int hi = 0; hi < S->nh; hi++) {
        struct host *h = &S->h[hi];
        for (int ei = 0; ei < h->nera; ei++) {
            struct era *x = &h->era[ei];
            double v[N_RES] = {1, x->vcpus, x->mem, x->disk, 0};
            put_span(X->spans, S->name, "total", "total", h->name, x->rec_created, x->end, h->name,
                     NULL, NULL, NULL, NULL, NULL, NULL, v, "ok");
            accumulate(X, S->idx, x->rec_created, x->end, M_TOTAL, v);
            if (x->res) {
                tsec re = x->rend != T_NONE && x->rend <= O.end ? x->rend : T_NONE;
                put_span(X->spans, S->name, "reservable", "reservable", h->name, x->rstart, re,
                         h->name, NULL, NULL, NULL, NULL, NULL, NULL, v, "ok");
                accumulate(X, S->idx, x->rstart, re, M_RESERVABLE, v);
            }
        }
    }
    for (size_t li = 0; li < S->nl; li++) {
        struct lease *L = &S->l[li];
        if (!lease_in_db(L) || !allocs_in_db(L) || L->cs >= L->ce)
            continue;
        for (int k = 0; k < L->nal; k++) {
            struct alloc *a = &L->al[k];
            struct host *h = &S->h[a->host];
            struct era *x = &h->era[a->era];
            tsec s = L->cs, e = L->ce;
            const char *audit = "ok";
            if (s < x->rstart) {
                s = x->rstart;
                audit = "clipped";
            }
            if (x->rend != T_NONE && e > x->rend) {
                e = x->rend;
                audit = "clipped";
            }
            if (s >= e)
                continue;
            double v[N_RES] = {1, x->vcpus, x->mem, x->disk, 0};
            const char *fname = NULL;
            if (L->type == R_FLAVOR) {
                const struct flavor *f = &S->fl[L->flavor];
                v[R_NODES] = (double)f->vcpus / x->vcpus;
                v[R_VCPUS] = f->vcpus;
                v[R_MEM] = f->mem;
                v[R_DISK] = f->disk;
                fname = f->name;
            }
            tsec pe = e; /* a future end is known: the lease's end_date */
            put_span(X->spans, S->name, "committed", "committed", L->res_id, s, pe, h->name,
                     P[L->project].id, U[L->user].id, L->res_id, L->id, fname, NULL, v, audit);
            accumulate(X, S->idx, s, pe, M_COMMITTED, v);
        }
    }
}

static void truth_instances(struct site *S, struct truth *X)
{
    for (size_t i = 0; i < S->nin; i++) {
        struct instance *I = &S->in[i];
        const struct flavor *f = &S->fl[I->flavor];
        struct lease *L = I->lease >= 0 ? &S->l[I->lease] : NULL;
        const char *booking = L ? "reservation" : "ondemand";
        tsec secs[4] = {0, 0, 0, 0}; /* active stopped error shelved */
        struct act *A = &S->a[I->act0];
        int k = 0;
        while (k < I->nact && A[k].state != S_DELETED) {
            /* merge following actions that keep the same truth state and host */
            const char *st = truth_state[A[k].state];
            int host = A[k].host, era = A[k].era;
            int q = k + 1;
            while (q < I->nact && A[q].state != S_DELETED && !strcmp(truth_state[A[q].state], st) &&
                   A[q].host == host)
                q++;
            tsec s = A[k].t, e = q < I->nact ? A[q].t : T_NONE;
            double v[N_RES] = {0, f->vcpus, f->mem, f->disk, 1};
            const char *hname = NULL, *audit = "ok";
            /* Upstream Blazar destroyed this reservation's allocations (or
             * the whole lease): nothing to clamp the instance to. */
            bool orphan = L && (!lease_in_db(L) || !allocs_in_db(L));
            if (host >= 0) {
                struct era *x = &S->h[host].era[era];
                v[R_NODES] = S->h[host].ironic ? 1.0 : (double)f->vcpus / x->vcpus;
                hname = S->h[host].name;
                if (s < x->rec_created)
                    audit = "fallback";
            } else {
                v[R_NODES] = 0;
            }
            if (orphan)
                audit = "orphan";
            put_span(X->spans, S->name, "instance", st, I->uuid, s, e, hname, P[I->project].id,
                     U[I->user].id, L ? L->res_id : NULL, L ? L->id : NULL, f->name, booking, v, audit);
            int si = !strcmp(st, "active") ? 0 : !strcmp(st, "stopped") ? 1 : !strcmp(st, "error") ? 2 : 3;
            secs[si] += overlap(s, e);
            if (host >= 0 && si < 3 && !orphan) {
                int m = si == 0 ? (L ? M_ACT_RES : M_ACT_OD)
                      : si == 1 ? (L ? M_STOP_RES : M_STOP_OD) : (L ? M_ERR_RES : M_ERR_OD);
                accumulate(X, S->idx, s, e, m, v);
                accumulate(X, S->idx, s, e, L ? M_OCC_RES : M_OCC_OD, v);
            }
            k = q;
        }
        tsec life = overlap(I->created, I->end);
        FILE *o = X->secs;
        put_field(o, S->name, false);
        put_field(o, I->uuid, false);
        put_field(o, P[I->project].id, false);
        put_field(o, U[I->user].id, false);
        put_field(o, booking, false);
        put_field(o, L ? L->res_id : NULL, false);
        put_field(o, f->name, false);
        put_time_field(o, I->created);
        put_time_field(o, I->end);
        fprintf(o, "%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\n", secs[0],
                secs[1], secs[2], secs[3], life);
    }
}

static void truth_timeline(struct truth *X, const char *site, int idx)
{
    for (size_t b = 0; b < X->nb; b++) {
        double len = (double)(X->bucket[b + 1] - X->bucket[b]);
        char t[24];
        fmt_time(X->bucket[b], true, t);
        for (int r = 0; r < N_RES; r++) {
            double m[N_MET];
            for (int k = 0; k < N_BASE_MET; k++)
                m[k] = *cell(X, idx, b, k, r) / len;
            m[M_OD_CAP] = m[M_TOTAL] - m[M_RESERVABLE];
            m[M_AVAIL_RES] = m[M_RESERVABLE] - m[M_COMMITTED];
            m[M_IDLE] = m[M_COMMITTED] - m[M_OCC_RES];
            m[M_AVAIL_OD] = m[M_OD_CAP] - m[M_OCC_OD];
            for (int k = 0; k < N_MET; k++) {
                /* a count of instances has no capacity (as in cu-timeline) */
                if (r == R_INST && (k <= M_COMMITTED || k >= N_BASE_MET))
                    continue;
                put_field(X->tl, site, false);
                fprintf(X->tl, "%s\t%s\t%s\t%.6f\n", t, res_names[r], met_names[k],
                        fabs(m[k]) < 5e-7 ? 0.0 : m[k]);
            }
        }
    }
}

/* ---------------------------------------------------------------- driver */

static void xmkdir(const char *p)
{
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        cu_die_errno(CU_EXIT_DATA, errno, "cannot create directory %s", p);
}

#define COLS_CN "created_at,updated_at,deleted_at,id,service_id,vcpus,memory_mb,local_gb,vcpus_used,memory_mb_used,local_gb_used,hypervisor_type,hypervisor_version,cpu_info,disk_available_least,free_ram_mb,free_disk_gb,current_workload,running_vms,hypervisor_hostname,deleted,host_ip,supported_instances,pci_stats,metrics,extra_resources,stats,numa_topology,host,ram_allocation_ratio,cpu_allocation_ratio,uuid,disk_allocation_ratio,mapped"
#define COLS_INST "created_at,updated_at,deleted_at,id,internal_id,user_id,project_id,image_ref,kernel_id,ramdisk_id,launch_index,key_name,key_data,power_state,vm_state,memory_mb,vcpus,hostname,host,user_data,reservation_id,launched_at,terminated_at,display_name,display_description,availability_zone,locked,os_type,launched_on,instance_type_id,vm_mode,uuid,architecture,root_device_name,access_ip_v4,access_ip_v6,config_drive,task_state,default_ephemeral_device,default_swap_device,progress,auto_disk_config,shutdown_terminate,disable_terminate,root_gb,ephemeral_gb,cell_name,node,deleted,locked_by,cleaned,ephemeral_key_uuid,hidden,compute_id"
#define COLS_ACT "created_at,updated_at,deleted_at,id,action,instance_uuid,request_id,user_id,project_id,start_time,finish_time,message,deleted"
#define COLS_EV "created_at,updated_at,deleted_at,id,event,action_id,start_time,finish_time,result,traceback,deleted,host,details"
#define COLS_EXTRA "created_at,updated_at,deleted_at,deleted,id,instance_uuid,numa_topology,pci_requests,flavor,vcpu_model,migration_context,keypairs,device_metadata,trusted_certs,vpmems,resources"
#define COLS_FLV "created_at,updated_at,name,id,memory_mb,vcpus,swap,vcpu_weight,flavorid,rxtx_factor,root_gb,ephemeral_gb,disabled,is_public,description"
#define COLS_RS "created_at,updated_at,id,instance_uuid,spec"
#define COLS_PROJ "id,name,extra,description,enabled,domain_id,parent_id,is_domain"
#define COLS_USER "id,extra,enabled,default_project_id,created_at,last_active_at,domain_id"
#define COLS_LUSER "id,user_id,domain_id,name,failed_auth_count,failed_auth_at"
#define SD ",deleted,deleted_at"
/* Blazar's tables; the Chameleon fork soft-deletes (SD) and adds some */
#define COLS_LEASE "created_at,updated_at,id,name,user_id,project_id,start_date,end_date,trust_id,status,degraded"
#define COLS_RESV "created_at,updated_at,id,lease_id,resource_id,resource_type,status,missing_resources,resources_changed"
#define COLS_CH "created_at,updated_at,id,vcpus,cpu_info,hypervisor_type,hypervisor_version,hypervisor_hostname,memory_mb,local_gb,status,service_name,trust_id,reservable,availability_zone"
#define COLS_CHR "created_at,updated_at,id,reservation_id,resource_properties,count_range,hypervisor_properties,aggregate_id,before_end"
#define COLS_CHA "created_at,updated_at,id,compute_host_id,reservation_id"
#define COLS_IR "created_at,updated_at,id,reservation_id,vcpus,memory_mb,disk_gb,amount,affinity,flavor_id,aggregate_id,server_group_id,resource_properties"

static void open_tables(struct tables *T, const char *dir)
{
    bool c = O.chameleon;
    T->nedge = 0;
    tbl_open(&T->cn, dir, "nova.compute_nodes", COLS_CN);
    tbl_open(&T->inst, dir, "nova.instances", COLS_INST);
    tbl_open(&T->act, dir, "nova.instance_actions", COLS_ACT);
    tbl_open(&T->ev, dir, "nova.instance_actions_events", COLS_EV);
    tbl_open(&T->extra, dir, "nova.instance_extra", COLS_EXTRA);
    tbl_open(&T->flv, dir, "nova_api.flavors", COLS_FLV);
    tbl_open(&T->rs, dir, "nova_api.request_specs", COLS_RS);
    tbl_open(&T->lease, dir, "blazar.leases",
             c ? COLS_LEASE SD : COLS_LEASE);
    tbl_open(&T->resv, dir, "blazar.reservations",
             c ? COLS_RESV SD : COLS_RESV);
    tbl_open(&T->ch, dir, "blazar.computehosts",
             c ? COLS_CH SD ",disabled" : COLS_CH);
    tbl_open(&T->chr, dir, "blazar.computehost_reservations",
             c ? COLS_CHR SD ",on_start" : COLS_CHR);
    tbl_open(&T->cha, dir, "blazar.computehost_allocations",
             c ? COLS_CHA SD : COLS_CHA);
    tbl_open(&T->ir, dir, "blazar.instance_reservations",
             c ? COLS_IR SD : COLS_IR);
    tbl_open(&T->proj, dir, "keystone.project", COLS_PROJ);
    tbl_open(&T->user, dir, "keystone.user", COLS_USER);
    tbl_open(&T->luser, dir, "keystone.local_user", COLS_LUSER);
}

/* Close the tables, and write the load script and the row counts. Parents
 * load before children, so the foreign keys hold even when checked. */
static void close_tables(struct tables *T, const char *dir)
{
    struct tbl *order[] = {&T->proj, &T->user, &T->luser, &T->cn, &T->inst, &T->act, &T->ev,
                           &T->extra, &T->flv, &T->rs, &T->lease, &T->resv, &T->ch, &T->chr,
                           &T->cha, &T->ir};
    char *lp = xasprintf("%s/load.sql", dir), *cp = xasprintf("%s/counts.tsv", dir);
    FILE *l = xfopen(lp), *c = xfopen(cp);
    fprintf(l, "-- Load this site into a server that has the schema "
               "(tests/fixtures/openstack-schema). Run from this directory:\n"
               "--   mariadb --local-infile=1 < load.sql\n"
               "SET time_zone = '+00:00';\n"
               "SET foreign_key_checks = 0, unique_checks = 0;\n"
               "SET sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';\n"
               "SET autocommit = 0;\n");
    fprintf(c, "table\trows\n");
    size_t norder = sizeof order / sizeof *order;
    for (size_t i = 0; i < norder + (size_t)T->nedge; i++) {
        struct tbl *t = i < norder ? order[i] : &T->edge[i - norder];
        xfclose(t->f, t->path);
        const char *base = strrchr(t->path, '/') + 1;
        fprintf(l, "LOAD DATA LOCAL INFILE '%s' INTO TABLE %s CHARACTER SET utf8mb4 (%s);\n", base,
                t->name, t->cols);
        fprintf(c, "%s\t%" PRIu64 "\n", t->name, t->rows);
        free(t->path);
    }
    fprintf(l, "COMMIT;\nSET foreign_key_checks = 1, unique_checks = 1;\n");
    xfclose(l, lp);
    xfclose(c, cp);
    free(lp);
    free(cp);
}

static void free_site(struct site *S)
{
    free(S->od[0]);
    free(S->od[1]);
    for (int i = 0; i < S->nh; i++) {
        free(S->h[i].name);
        free(S->h[i].service);
        for (int k = 0; k < S->h[i].nera; k++) {
            bin_free(&S->h[i].era[k].inst);
            bin_free(&S->h[i].era[k].com);
        }
    }
    free(S->h);
    for (size_t i = 0; i < S->nl; i++) {
        for (int k = 0; k < S->l[i].nal; k++)
            bin_free(&S->l[i].al[k].slot);
        free(S->l[i].al);
    }
    free(S->l);
    for (size_t i = 0; i < S->nin; i++)
        free(S->in[i].display_name);
    free(S->in);
    free(S->a);
    free(S->fl);
}

/* ---------------------------------------------------------------- edge */

/* CHI@Edge (--edge-devices N): Blazar devices, leases on them, and Zun
 * containers run on the leased devices, one after another on a device
 * (never two at once), by the lease's project. Zun deletes a container's
 * rows, with its actions and events: a container deleted before the dump
 * is in no table, only in the truth of the history (--snapshots), and
 * Blazar's device plugin deletes what still runs when the lease ends. */

enum { ZA_CREATE, ZA_START, ZA_STOP, ZA_DELETE, ZA_COUNT };
static const char *const za_names[ZA_COUNT] = {"create", "start", "stop", "delete"};
static const char *const za_events[ZA_COUNT] = {
    "compute__do_container_create", "compute__do_container_start",
    "compute__do_container_stop", "compute__do_container_delete"};

struct zact {
    tsec t;
    uint8_t action, failed;
};

struct zcont {
    char uuid[37];
    int64_t id;  /* zun.container.id */
    int lease;   /* -1: never scheduled */
    int project, user;
    bool capsule;
    bool scheduled;
    tsec created, run;     /* run: started by `zun run` (no start action) */
    tsec deleted;          /* hard delete; T_NONE: exists at the dump */
    tsec synced;           /* Docker's sync stopped it (no action); T_NONE */
    int cpu, mem, disk;
    struct zact act[6];
    int nact;
};

struct dlease {
    char id[37], res_id[37], sub_id[37], alloc_id[37];
    int project, user, device;
    tsec created, start, end;
};

struct device {
    char id[37], name[48];
    bool reservable;
    tsec created;
};

struct edge {
    struct device *d;
    int nd;
    struct dlease *l;
    size_t nl, capl;
    struct zcont *c;
    size_t nc, capc;
};

static struct zact *zadd(struct zcont *c, tsec t, int action, bool failed)
{
    struct zact *a = &c->act[c->nact++];
    a->t = t;
    a->action = (uint8_t)action;
    a->failed = failed;
    return a;
}

/* The containers of lease L, one after another from its start. */
static void edge_containers(struct edge *E, struct rng *r, int li)
{
    const struct dlease *L = &E->l[li];
    tsec until = L->end < O.end ? L->end : O.end;
    tsec t = L->start + 60 + (tsec)rng_exp(r, 3600);
    for (int k = 0; k < 3 && t < until - 600; k++) {
        E->c = cu_xgrow(E->c, &E->capc, E->nc + 1, sizeof *E->c);
        struct zcont *c = &E->c[E->nc];
        memset(c, 0, sizeof *c);
        rng_uuid(r, c->uuid);
        c->id = (int64_t)E->nc + 1;
        c->lease = li;
        c->project = L->project;
        c->user = L->user;
        c->scheduled = !rng_chance(r, 0.04);
        c->capsule = c->scheduled && rng_chance(r, 0.25);
        c->created = t;
        c->run = c->deleted = c->synced = T_NONE;
        c->cpu = (int)rng_range(r, 1, 4);
        c->mem = 256 * (int)rng_range(r, 1, 8);
        c->disk = (int)rng_range(r, 1, 20);
        if (c->capsule) { /* two containers' sizes */
            c->cpu *= 2;
            c->mem *= 2;
            c->disk *= 2;
        }
        E->nc++;
        if (!c->scheduled) { /* no host found: the create fails */
            zadd(c, t, ZA_CREATE, true);
            c->lease = -1;
            t += 600 + (tsec)rng_exp(r, 1800);
            continue;
        }
        zadd(c, t, ZA_CREATE, false);
        tsec now = t + (tsec)rng_range(r, 5, 120);
        if (rng_chance(r, 0.7)) {
            c->run = now; /* zun run */
        } else {
            bool fail = rng_chance(r, 0.08);
            zadd(c, now, ZA_START, fail);
        }
        now += 600 + (tsec)rng_exp(r, 4 * 3600);
        if (now < until && rng_chance(r, 0.3)) {
            zadd(c, now, ZA_STOP, false);
            now += 60 + (tsec)rng_exp(r, 3600);
            if (now < until)
                zadd(c, now, ZA_START, false);
            now += 600 + (tsec)rng_exp(r, 2 * 3600);
        }
        if (now < until && rng_chance(r, 0.6)) {
            zadd(c, now, ZA_DELETE, false);
            c->deleted = now;
        } else if (L->end <= O.end) {
            c->deleted = L->end + 60; /* Blazar's cleanup at the lease end */
        } else {
            if (rng_chance(r, 0.15) && now < O.end - 60)
                c->synced = now + 30; /* Docker stopped it, no action */
            return; /* it still runs at the dump: the device is taken */
        }
        t = c->deleted + 60 + (tsec)rng_exp(r, 3600);
    }
}

static void make_edge(struct site *S, struct edge *E, int ndev)
{
    struct rng r;
    rng_seed(&r, O.seed, 1000 + (uint64_t)S->idx);
    E->d = cu_xcalloc((size_t)ndev, sizeof *E->d);
    E->nd = ndev;
    for (int i = 0; i < ndev; i++) {
        struct device *d = &E->d[i];
        rng_uuid(&r, d->id);
        snprintf(d->name, sizeof d->name, "%s-dev-%03d", S->name, i + 1);
        d->reservable = i % 10 != 9;
        d->created = O.start + (tsec)rng_range(&r, 0, DAY);
    }
    for (int i = 0; i < ndev; i++) {
        if (!E->d[i].reservable)
            continue;
        tsec t = E->d[i].created + (tsec)rng_exp(&r, 2 * DAY);
        while (t < O.end - DAY) {
            E->l = cu_xgrow(E->l, &E->capl, E->nl + 1, sizeof *E->l);
            struct dlease *L = &E->l[E->nl];
            rng_uuid(&r, L->id);
            rng_uuid(&r, L->res_id);
            rng_uuid(&r, L->sub_id);
            rng_uuid(&r, L->alloc_id);
            L->project = (int)rng_range(&r, 0, NP - 1);
            L->user = (int)rng_range(&r, 0, NU - 1);
            L->device = i;
            L->created = t - (tsec)rng_range(&r, 600, DAY);
            if (L->created < E->d[i].created)
                L->created = E->d[i].created;
            L->start = t;
            L->end = t + (tsec)rng_range(&r, DAY, 7 * DAY);
            E->nl++;
            edge_containers(E, &r, (int)E->nl - 1);
            t = L->end + (tsec)rng_exp(&r, 2 * DAY);
        }
    }
}

/* The states of container c up to time upto, as (time, state) changes in
 * the truth's words ("stopped", "active", "error"); zchanges returns how
 * many (at least the first, at its creation). */
struct zchange {
    tsec t;
    const char *state;
};

static int zchanges(const struct zcont *c, tsec upto, struct zchange *out)
{
    int n = 0;
    /* created: stopped; a create that failed: error */
    const char *st = c->act[0].failed ? "error" : "stopped";
    out[n++] = (struct zchange){c->created, st};
    bool run_done = c->run == T_NONE;
    for (int i = 1; i <= c->nact; i++) {
        bool last = i == c->nact;
        if (!run_done && (last || c->run <= c->act[i].t) && c->run <= upto) {
            if (strcmp(st, "active") && strcmp(st, "error"))
                out[n++] = (struct zchange){c->run, st = "active"};
            run_done = true;
        }
        if (last || c->act[i].t > upto)
            break;
        const struct zact *a = &c->act[i];
        const char *nst = st;
        if (a->action == ZA_DELETE)
            break;
        if (a->failed)
            nst = a->action == ZA_START ? "error" : st;
        else
            nst = a->action == ZA_START ? "active" : "stopped";
        if (strcmp(nst, st))
            out[n++] = (struct zchange){a->t, st = nst};
    }
    if (c->synced != T_NONE && c->synced <= upto && strcmp(st, "stopped"))
        out[n++] = (struct zchange){c->synced, st = "stopped"};
    return n;
}

static const char *zstatus(const char *state)
{
    return !strcmp(state, "active") ? "Running" : !strcmp(state, "error") ? "Error" : "Stopped";
}

/* The rows of the containers that exist at time now (a snapshot), into
 * the zun tables of T; ids of actions and events continue from *aid. */
static void write_zun(const struct edge *E, struct tbl *zc, struct tbl *za, struct tbl *ze,
                      tsec now)
{
    for (size_t i = 0; i < E->nc; i++) {
        const struct zcont *c = &E->c[i];
        if (c->created > now || (c->deleted != T_NONE && c->deleted <= now))
            continue;
        struct zchange ch[16];
        int n = zchanges(c, now, ch);
        tsec upd = ch[n - 1].t;
        for (int k = 0; k < c->nact; k++)
            if (c->act[k].t <= now && c->act[k].t + 3 > upd)
                upd = c->act[k].t + 3;
        const struct dlease *L = c->lease >= 0 ? &E->l[c->lease] : NULL;
        tsec started = c->run != T_NONE && c->run <= now ? c->run : T_NONE;
        for (int k = 0; k < c->nact; k++) /* Docker's StartedAt: the last start */
            if (c->act[k].t <= now && c->act[k].action == ZA_START && !c->act[k].failed)
                started = c->act[k].t;
        char mem[16];
        snprintf(mem, sizeof mem, i % 3 ? "%d" : "%dM", c->mem);
        f_time(zc, c->created, false); f_time(zc, upd, false); f_int(zc, c->id);
        f_str(zc, P[c->project].id); f_str(zc, U[c->user].id); f_str(zc, c->uuid);
        f_str(zc, c->capsule ? "capsule" : "ctr"); f_str(zc, "alpine");
        f_str(zc, zstatus(ch[n - 1].state)); f_str(zc, mem); f_int(zc, c->cpu);
        f_str(zc, L ? E->d[L->device].name : NULL); f_int(zc, c->disk);
        f_time(zc, started, false);
        f_int(zc, c->capsule ? 1 : 0); f_null(zc); f_null(zc);
        f_end(zc);
        if (c->capsule) /* its two containers: not counted, the capsule is */
            for (int m = 0; m < 2; m++) {
                char u[37];
                snprintf(u, sizeof u, "%.30s-m%d", c->uuid, m);
                f_time(zc, c->created, false); f_time(zc, upd, false);
                f_int(zc, 100000 + c->id * 2 + m); f_str(zc, P[c->project].id);
                f_str(zc, U[c->user].id); f_str(zc, u); f_str(zc, "member");
                f_str(zc, "alpine"); f_str(zc, zstatus(ch[n - 1].state));
                f_int(zc, c->mem / 2); f_int(zc, c->cpu / 2);
                f_str(zc, E->d[L->device].name); f_int(zc, c->disk / 2);
                f_time(zc, started, false);
                f_int(zc, m ? 3 : 2); f_int(zc, c->id); f_null(zc);
                f_end(zc);
            }
        for (int k = 0; k < c->nact; k++) {
            const struct zact *a = &c->act[k];
            if (a->t > now)
                break;
            /* ids stay with their rows from snapshot to snapshot */
            int64_t aid = c->id * 8 + k, eid = aid;
            /* `zun run`: the create finishes when the container runs */
            tsec fin = k == 0 && c->run != T_NONE ? c->run : a->t + 3;
            f_time(za, a->t, false); f_time(za, fin, false); f_int(za, aid);
            f_str(za, za_names[a->action]); f_str(za, c->uuid); f_null(za);
            f_str(za, U[c->user].id); f_str(za, P[c->project].id);
            f_time(za, a->t, false); f_time(za, fin, false);
            f_str(za, a->failed && a->action == ZA_CREATE ? "Error" : NULL);
            f_end(za);
            f_time(ze, a->t, false); f_time(ze, a->t + 3, false); f_int(ze, eid);
            f_str(ze, za_events[a->action]); f_int(ze, aid); f_time(ze, a->t, false);
            f_time(ze, a->t + 3, false); f_str(ze, a->failed ? "Error" : "Success");
            f_end(ze);
        }
    }
}

#define COLS_ZC "created_at,updated_at,id,project_id,user_id,uuid,name,image,status,memory,cpu,host,disk,started_at,container_type,capsule_id,task_state"
#define COLS_ZA "created_at,updated_at,id,action,container_uuid,request_id,user_id,project_id,start_time,finish_time,message"
#define COLS_ZE "created_at,updated_at,id,event,action_id,start_time,finish_time,result"

static void write_edge(const struct edge *E, struct tables *T, const char *dir)
{
    tbl_open(&T->edge[0], dir, "blazar.devices",
             "created_at,updated_at,id,name,device_type,device_driver,reservable,deleted,deleted_at");
    tbl_open(&T->edge[1], dir, "blazar.device_reservations",
             "created_at,updated_at,deleted_at,deleted,id,reservation_id,count_range,resource_properties,before_end");
    tbl_open(&T->edge[2], dir, "blazar.device_allocations",
             "created_at,updated_at,deleted_at,deleted,id,device_id,reservation_id");
    tbl_open(&T->edge[3], dir, "zun.container", COLS_ZC);
    tbl_open(&T->edge[4], dir, "zun.container_actions", COLS_ZA);
    tbl_open(&T->edge[5], dir, "zun.container_actions_events", COLS_ZE);
    T->nedge = 6;
    for (int i = 0; i < E->nd; i++) {
        const struct device *d = &E->d[i];
        struct tbl *t = &T->edge[0];
        f_time(t, d->created, false); f_null(t); f_str(t, d->id); f_str(t, d->name);
        f_str(t, "container"); f_str(t, "zun"); f_int(t, d->reservable); f_null(t); f_null(t);
        f_end(t);
    }
    for (size_t i = 0; i < E->nl; i++) {
        const struct dlease *L = &E->l[i];
        bool ended = L->end <= O.end, started = L->start <= O.end;
        tsec gone = ended ? L->end + 2 : T_NONE;
        struct tbl *t = &T->lease;
        f_time(t, L->created, false); f_null(t); f_str(t, L->id); f_str(t, "edge-lease");
        f_str(t, U[L->user].id); f_str(t, P[L->project].id); f_time(t, L->start, false);
        f_time(t, L->end, false); f_str(t, L->sub_id);
        f_str(t, ended ? "TERMINATED" : started ? "ACTIVE" : "PENDING"); f_int(t, 0);
        f_null(t); f_null(t);
        f_end(t);
        t = &T->resv;
        f_time(t, L->created, false); f_null(t); f_str(t, L->res_id); f_str(t, L->id);
        f_str(t, L->sub_id); f_str(t, "device");
        f_str(t, ended ? "deleted" : started ? "active" : "pending"); f_int(t, 0); f_int(t, 0);
        f_null(t); f_null(t);
        f_end(t);
        t = &T->edge[1];
        f_time(t, L->created, false); f_null(t); f_null(t); f_null(t); f_str(t, L->sub_id);
        f_str(t, L->res_id); f_str(t, "1-1"); f_str(t, ""); f_str(t, "");
        f_end(t);
        t = &T->edge[2];
        f_time(t, L->created, false); f_null(t); f_time(t, gone, false);
        if (gone != T_NONE) f_str(t, L->alloc_id); else f_null(t);
        f_str(t, L->alloc_id); f_str(t, E->d[L->device].id); f_str(t, L->res_id);
        f_end(t);
    }
    write_zun(E, &T->edge[3], &T->edge[4], &T->edge[5], O.end);
}

/* The truth spans of the edge: devices (total, reservable), their leases
 * (committed) and the containers the dump at time now shows (all of them,
 * with their true ends, when all is set: the history's truth). */
static void edge_truth(const struct site *S, const struct edge *E, FILE *f, tsec now, bool all)
{
    const double none[N_RES] = {1, NAN, NAN, NAN, 0};
    for (int i = 0; i < E->nd && !all; i++) {
        const struct device *d = &E->d[i];
        put_span(f, S->name, "total", "total", d->name, d->created, T_NONE, d->name, NULL,
                    NULL, NULL, NULL, NULL, NULL, none, "ok");
        if (d->reservable)
            put_span(f, S->name, "reservable", "reservable", d->name, d->created, T_NONE,
                        d->name, NULL, NULL, NULL, NULL, NULL, NULL, none, "ok");
    }
    for (size_t i = 0; i < E->nl && !all; i++) {
        const struct dlease *L = &E->l[i];
        put_span(f, S->name, "committed", "committed", L->res_id, L->start, L->end,
                    E->d[L->device].name, P[L->project].id, U[L->user].id, L->res_id, L->id,
                    NULL, NULL, none, "ok");
    }
    for (size_t i = 0; i < E->nc; i++) {
        const struct zcont *c = &E->c[i];
        if (!all && c->deleted != T_NONE && c->deleted <= now)
            continue; /* Zun deleted its rows */
        struct zchange ch[16];
        int n = zchanges(c, all ? INT64_MAX : now, ch);
        const struct dlease *L = c->lease >= 0 ? &E->l[c->lease] : NULL;
        double v[N_RES] = {L ? 1 : 0, c->cpu, c->mem, c->disk, 0};
        tsec end = c->deleted;
        for (int k = 0; k < n; k++) {
            tsec s = ch[k].t, e = k + 1 < n ? ch[k + 1].t : end;
            const char *audit = "ok";
            if (L && (e == T_NONE || e > L->end)) { /* clamped to the lease */
                e = L->end;
                audit = "clipped";
            }
            if (e != T_NONE && s >= e)
                continue;
            put_span(f, S->name, "container", ch[k].state, c->uuid, s, e,
                        L ? E->d[L->device].name : NULL, P[c->project].id, U[c->user].id,
                        L ? L->res_id : NULL, L ? L->id : NULL, NULL,
                        L ? "reservation" : "ondemand", v, audit);
        }
    }
}


/* The history's truth (every container, with its true end) and, with
 * --snapshots K, the zun tables as K daily snapshots up to --end would
 * show them: DIR/SITE/snap-K/ with a load.sql that replaces the zun rows,
 * and its snapshot time in DIR/SITE/snap-K/time. */
static void edge_history(const struct site *S, const struct edge *E, const char *dir,
                         const char *tdir)
{
    char *hp = xasprintf("%s/containers-%s.tsv", tdir, S->name);
    FILE *h = xfopen(hp);
    fputs("site\tkind\tstate\tid\tstart\tend\thost\tproject\tuser\treservation\tlease\t"
          "flavor\tbooking\tnodes\tvcpus\tmemory_mb\tdisk_gb\taudit\n", h);
    edge_truth(S, E, h, O.end, true);
    xfclose(h, hp);
    free(hp);
    for (int k = 1; k <= O.snapshots; k++) {
        tsec t = O.end - (tsec)(O.snapshots - k) * DAY;
        char *sd = xasprintf("%s/snap-%d", dir, k);
        xmkdir(sd);
        struct tbl zc, za, ze;
        tbl_open(&zc, sd, "zun.container", COLS_ZC);
        tbl_open(&za, sd, "zun.container_actions", COLS_ZA);
        tbl_open(&ze, sd, "zun.container_actions_events", COLS_ZE);
        write_zun(E, &zc, &za, &ze, t);
        struct tbl *all[3] = {&zc, &za, &ze};
        char *lp = xasprintf("%s/load.sql", sd), *tp = xasprintf("%s/time", sd);
        FILE *l = xfopen(lp), *tf = xfopen(tp);
        fprintf(l, "SET time_zone = '+00:00';\nSET foreign_key_checks = 0;\n"
                   "DELETE FROM zun.container_actions_events;\n"
                   "DELETE FROM zun.container_actions;\nDELETE FROM zun.container;\n");
        for (int i = 0; i < 3; i++) {
            xfclose(all[i]->f, all[i]->path);
            fprintf(l, "LOAD DATA LOCAL INFILE '%s' INTO TABLE %s CHARACTER SET utf8mb4 (%s);\n",
                    strrchr(all[i]->path, '/') + 1, all[i]->name, all[i]->cols);
            free(all[i]->path);
        }
        fprintf(l, "SET foreign_key_checks = 1;\n");
        char b[24];
        fmt_time(t, true, b);
        fprintf(tf, "%s\n", b);
        xfclose(l, lp);
        xfclose(tf, tp);
        free(lp);
        free(tp);
        free(sd);
    }
}

static void free_edge(struct edge *E)
{
    free(E->d);
    free(E->l);
    free(E->c);
}

static void usage(void)
{
    printf("Usage: cu-testcloud [OPTION]... --out DIR\n"
           "Write a deterministic synthetic OpenStack cloud (nova, nova_api, blazar,\n"
           "keystone rows as LOAD DATA files with a load.sql per site) and its ground truth.\n"
           "\n"
           "  -o, --out DIR           output directory (created; required)\n"
           "  -s, --seed N            PRNG seed (default 1); same seed, same files\n"
           "      --sites N           number of sites (default 1)\n"
           "      --site-names A,B    site names (default site1,site2,...)\n"
           "  -n, --instances N       instances per site (default 1000)\n"
           "      --hosts N           hosts per site (default: sized from -n)\n"
           "      --start T           start of history (default 2024-01-01)\n"
           "      --end T             end of history = time of the dump (default 2025-01-01)\n"
           "      --blazar VARIANT    upstream or chameleon (soft-delete fork; default)\n"
           "      --quirks LIST       data-quality quirks: all, none (default), or a comma list\n"
           "                          of zero-dates, late-host-record, null-node, null-finish,\n"
           "                          alloc-outside, odd-names\n"
           "      --truth-start T     truth window start (default --start)\n"
           "      --truth-end T       truth window end (default --end)\n"
           "      --truth-step D      timeline truth bucket: Ns, Nm, Nh, Nd, Nw, Nmo, Ny (default 1d)\n"
           "      --edge-devices N    per site, N CHI@Edge devices with leases and Zun containers\n"
           "                          (needs the zun schema; truth in truth/spans.tsv and\n"
           "                          truth/containers-SITE.tsv, every container's true life)\n"
           "      --snapshots K       with --edge-devices: the zun tables as K daily snapshots\n"
           "                          ending at --end, in SITE/snap-1..K (load.sql, time)\n"
           "  -h, --help              this help\n"
           "\n"
           "Times: RFC 3339 (2024-03-01T12:00:00Z), MySQL DATETIME or YYYY-MM-DD; UTC\n"
           "unless a zone is given. Layout and truth columns:\n"
           "testcloud/README.md and cu-testcloud(1).\n");
}

static long parse_count(const char *s, const char *what, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < 0 || v > max)
        cu_usage_error("invalid %s: '%s'", what, s);
    return v;
}

static void parse_quirks(const char *s)
{
    if (!strcmp(s, "none"))
        return;
    if (!strcmp(s, "all")) {
        for (int i = 0; i < Q_COUNT; i++)
            O.quirk[i] = true;
        return;
    }
    char *copy = cu_xstrdup(s), *save = NULL;
    for (char *q = strtok_r(copy, ",", &save); q; q = strtok_r(NULL, ",", &save)) {
        int i = 0;
        while (i < Q_COUNT && strcmp(q, quirk_names[i]))
            i++;
        if (i == Q_COUNT)
            cu_usage_error("unknown quirk '%s'", q);
        O.quirk[i] = true;
    }
    free(copy);
}

int main(int argc, char **argv)
{
    cu_set_program_name(argv[0]);
    atexit(cu_close_stdout); /* a failed write of --help or the files' list is an error */
    static const struct option lo[] = {
        {"out", required_argument, NULL, 'o'},   {"seed", required_argument, NULL, 's'},
        {"sites", required_argument, NULL, 1},   {"site-names", required_argument, NULL, 2},
        {"instances", required_argument, NULL, 'n'}, {"hosts", required_argument, NULL, 3},
        {"start", required_argument, NULL, 4},   {"end", required_argument, NULL, 5},
        {"blazar", required_argument, NULL, 6},  {"quirks", required_argument, NULL, 7},
        {"truth-start", required_argument, NULL, 8}, {"truth-end", required_argument, NULL, 9},
        {"truth-step", required_argument, NULL, 10}, {"help", no_argument, NULL, 'h'},
        {"edge-devices", required_argument, NULL, 11}, {"snapshots", required_argument, NULL, 12},
        {NULL, 0, NULL, 0},
    };
    O.seed = 1;
    O.nsites = 1;
    O.instances = 1000;
    O.chameleon = true;
    parse_time("2024-01-01", &O.start);
    parse_time("2025-01-01", &O.end);
    O.truth_start = O.truth_end = T_NONE;
    parse_step("1d", &O.truth_step);
    const char *names = NULL;
    int c;
    opterr = 0; /* one message, ours */
    while ((c = getopt_long(argc, argv, "o:s:n:h", lo, NULL)) != -1) {
        switch (c) {
        case 'o': O.out = optarg; break;
        case 's': {
            char *end;
            errno = 0;
            O.seed = strtoull(optarg, &end, 10);
            if (errno || *end || end == optarg)
                cu_usage_error("invalid seed: '%s'", optarg);
            break;
        }
        case 1: O.nsites = (int)parse_count(optarg, "number of sites", 26); break;
        case 2: names = optarg; break;
        case 'n': O.instances = parse_count(optarg, "number of instances", 100000000); break;
        case 3: O.hosts = (int)parse_count(optarg, "number of hosts", 100000); break;
        case 4: if (!parse_time(optarg, &O.start)) cu_usage_error("invalid time: '%s'", optarg); break;
        case 5: if (!parse_time(optarg, &O.end)) cu_usage_error("invalid time: '%s'", optarg); break;
        case 6:
            if (!strcmp(optarg, "upstream")) O.chameleon = false;
            else if (!strcmp(optarg, "chameleon")) O.chameleon = true;
            else cu_usage_error("--blazar must be upstream or chameleon, not '%s'", optarg);
            break;
        case 7: parse_quirks(optarg); break;
        case 8: if (!parse_time(optarg, &O.truth_start)) cu_usage_error("invalid time: '%s'", optarg); break;
        case 9: if (!parse_time(optarg, &O.truth_end)) cu_usage_error("invalid time: '%s'", optarg); break;
        case 10: if (!parse_step(optarg, &O.truth_step)) cu_usage_error("invalid step: '%s'", optarg); break;
        case 11: O.edge_devices = (int)strtol(optarg, NULL, 10); break;
        case 12: O.snapshots = (int)strtol(optarg, NULL, 10); break;
        case 'h': usage(); return 0;
        default: cu_usage_error("unknown option or missing argument: '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        cu_usage_error("unexpected argument '%s'", argv[optind]);
    if (!O.out)
        cu_usage_error("--out DIR is required");
    if (O.nsites < 1)
        cu_usage_error("--sites must be at least 1");
    if (O.end - O.start < 7 * DAY)
        cu_usage_error("the history must span at least 7 days");
    if (O.hosts && O.hosts < 2)
        cu_usage_error("--hosts must be at least 2");
    if (O.truth_start == T_NONE)
        O.truth_start = O.start;
    if (O.truth_end == T_NONE)
        O.truth_end = O.end;
    if (O.truth_end <= O.truth_start)
        cu_usage_error("--truth-end must be after --truth-start");
    if (O.edge_devices < 0 || O.snapshots < 0 || (O.snapshots && !O.edge_devices))
        cu_usage_error("--snapshots needs --edge-devices N > 0");
    if (O.edge_devices && !O.chameleon)
        cu_usage_error("--edge-devices writes the Chameleon fork's device tables: "
                       "drop --blazar upstream");
    O.site_names = cu_xcalloc((size_t)O.nsites, sizeof *O.site_names);
    {
        char *copy = names ? cu_xstrdup(names) : NULL, *save = NULL, *tok = copy ? strtok_r(copy, ",", &save) : NULL;
        for (int i = 0; i < O.nsites; i++) {
            if (names && !tok)
                cu_usage_error("--site-names gives fewer names than --sites");
            O.site_names[i] = tok ? cu_xstrdup(tok) : xasprintf("site%d", i + 1);
            for (const char *p = O.site_names[i]; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
                    cu_usage_error("site name '%s': use a-z, 0-9 and '-'", O.site_names[i]);
            if (names)
                tok = strtok_r(NULL, ",", &save);
        }
        free(copy);
    }

    xmkdir(O.out);
    char *tdir = xasprintf("%s/truth", O.out);
    xmkdir(tdir);
    make_identity(O.instances * O.nsites);

    struct truth X = {0};
    X.spans_path = xasprintf("%s/spans.tsv", tdir);
    X.secs_path = xasprintf("%s/instance_seconds.tsv", tdir);
    X.tl_path = xasprintf("%s/timeline.tsv", tdir);
    X.spans = xfopen(X.spans_path);
    X.secs = xfopen(X.secs_path);
    X.tl = xfopen(X.tl_path);
    fputs("site\tkind\tstate\tid\tstart\tend\thost\tproject\tuser\treservation\tlease\tflavor\t"
          "booking\tnodes\tvcpus\tmemory_mb\tdisk_gb\taudit\n", X.spans);
    fputs("site\tinstance\tproject\tuser\tbooking\treservation\tflavor\tcreated\tend\t"
          "active_s\tstopped_s\terror_s\tshelved_s\tlifetime_s\n", X.secs);
    fputs("site\ttime\tresource\tmetric\tvalue\n", X.tl);
    size_t capb = 0;
    for (tsec b = step_floor(O.truth_start, &O.truth_step);; b = step_next(b, &O.truth_step)) {
        X.bucket = cu_xgrow(X.bucket, &capb, X.nb + 2, sizeof *X.bucket);
        X.bucket[X.nb] = b < O.truth_start ? O.truth_start : b;
        if (b >= O.truth_end) {
            X.bucket[X.nb] = O.truth_end;
            break;
        }
        X.nb++;
        if (X.nb > 2000000)
            cu_usage_error("--truth-step gives too many buckets");
    }
    X.integral = cu_xcalloc((size_t)O.nsites * X.nb * N_MET * N_RES, sizeof *X.integral);

    char *qp = xasprintf("%s/quirks.tsv", tdir);
    FILE *qf = xfopen(qp);
    fputs("site\tquirk\tenabled\tcount\n", qf);
    for (int si = 0; si < O.nsites; si++) {
        struct site S;
        memset(&S, 0, sizeof S);
        S.idx = si;
        S.name = O.site_names[si];
        rng_seed(&S.r, O.seed, (uint64_t)si + 1);
        char *dir = xasprintf("%s/%s", O.out, S.name);
        xmkdir(dir);
        if (O.quirk[Q_ODD_NAMES])
            S.quirk_count[Q_ODD_NAMES] = 9; /* 4 project names, 4 user ids, 1 project id */
        make_hosts(&S, O.instances);
        list_ondemand_hosts(&S);
        make_leases(&S);
        make_instances(&S, O.instances);
        apply_quirks(&S);
        struct tables T;
        open_tables(&T, dir);
        write_keystone(&T);
        write_hosts(&S, &T);
        write_leases(&S, &T);
        write_flavors(&S, &T);
        int64_t act_id = 0, ev_id = 0;
        struct sbuf b = {0};
        for (size_t i = 0; i < S.nin; i++)
            write_instance(&S, &T, &S.in[i], (int64_t)i + 1, &act_id, &ev_id, &b);
        free(b.p);
        struct edge E = {0};
        if (O.edge_devices > 0) {
            make_edge(&S, &E, O.edge_devices);
            write_edge(&E, &T, dir);
        }
        close_tables(&T, dir);
        truth_hosts(&S, &X);
        truth_instances(&S, &X);
        if (O.edge_devices > 0) {
            edge_truth(&S, &E, X.spans, O.end, false);
            edge_history(&S, &E, dir, tdir);
            free_edge(&E);
        }
        truth_timeline(&X, S.name, si);
        for (int q = 0; q < Q_COUNT; q++)
            fprintf(qf, "%s\t%s\t%d\t%ld\n", S.name, quirk_names[q], O.quirk[q], S.quirk_count[q]);
        free_site(&S);
        free(dir);
    }
    xfclose(qf, qp);
    free(qp);

    /* Inputs that are not OpenStack tables: institutions of projects. */
    char *ip = xasprintf("%s/institutions.tsv", O.out);
    FILE *inf = xfopen(ip);
    fputs("project\tinstitution\tshare\n", inf);
    for (int i = 0; i < NP; i++)
        for (int k = 0; k < 2; k++)
            if (P[i].institution[k]) {
                put_field(inf, P[i].id, false);
                put_field(inf, P[i].institution[k], false);
                fprintf(inf, "%d\n", P[i].share[k]);
            }
    xfclose(inf, ip);
    free(ip);

    char *mp = xasprintf("%s/manifest.tsv", O.out);
    FILE *mf = xfopen(mp);
    char t1[24], t2[24], t3[24], t4[24];
    fprintf(mf, "key\tvalue\nseed\t%" PRIu64 "\nsites\t", O.seed);
    for (int i = 0; i < O.nsites; i++)
        fprintf(mf, "%s%s", i ? "," : "", O.site_names[i]);
    fprintf(mf, "\ninstances_per_site\t%ld\nstart\t%s\nend\t%s\nblazar\t%s\ntruth_start\t%s\n"
                "truth_end\t%s\nquirks\t",
            O.instances, rfc(O.start, t1), rfc(O.end, t2), O.chameleon ? "blazar-chameleon" : "blazar",
            rfc(O.truth_start, t3), rfc(O.truth_end, t4));
    int nq = 0;
    for (int q = 0; q < Q_COUNT; q++)
        if (O.quirk[q])
            fprintf(mf, "%s%s", nq++ ? "," : "", quirk_names[q]);
    fprintf(mf, "%s\n", nq ? "" : "none");
    xfclose(mf, mp);
    free(mp);

    xfclose(X.spans, X.spans_path);
    xfclose(X.secs, X.secs_path);
    xfclose(X.tl, X.tl_path);
    free(X.spans_path);
    free(X.secs_path);
    free(X.tl_path);
    free(X.bucket);
    free(X.integral);
    free(tdir);
    for (int i = 0; i < O.nsites; i++)
        free(O.site_names[i]);
    free(O.site_names);
    free(P);
    free(U);
    return 0;
}

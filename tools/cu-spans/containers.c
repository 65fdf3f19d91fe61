/* cu-spans: zun's containers (CHI@Edge). A container's actions in time
 * order, its status and Docker's start time make its stretches of one
 * state; on a Blazar device it holds the device (nodes 1) and is clamped
 * to its project's lease on it. The rules are in cu-spans(1). */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "spans.h"

static const struct named_effect caction_table[] = {
    {NAMED("create"), E_CREATE},  {NAMED("start"), E_ACTIVE},
    {NAMED("reboot"), E_ACTIVE},  {NAMED("restart"), E_ACTIVE},
    {NAMED("unpause"), E_ACTIVE}, {NAMED("rebuild"), E_ACTIVE},
    {NAMED("stop"), E_STOPPED},   {NAMED("kill"), E_STOPPED},
    {NAMED("pause"), E_STOPPED},  {NAMED("delete"), E_DELETE},
};

enum effect caction_effect(const cu_field *f)
{
    return effect_named(caction_table,
                        sizeof caction_table / sizeof *caction_table, f);
}

/* A device's committed stretch, by host: where a container finds the lease
 * of its project that holds its device. */
struct hcommit {
    sid host, resv;
    struct ival iv;
};

static int hcommit_cmp(const void *pa, const void *pb, void *ctx)
{
    const struct hcommit *x = pa, *y = pb;
    (void)ctx;
    int c = cmp_u64(x->host, y->host);
    return c ? c : cmp_i64(x->iv.s, y->iv.s);
}

/* What the containers are built from, beside the spans' arrays. */
struct container_ctx {
    struct run *R;
    struct idmap by_uuid, devices, action_by_id;
    struct hcommit *hc;
    size_t nhc;
};

/* The reservation of k's project holding k's device at t0, else the first
 * one over [t0, end); 0 if none. */
static sid container_resv(const struct container_ctx *cx,
                          const struct container *k, cu_time t0, cu_time end)
{
    const struct run *R = cx->R;
    size_t lo = 0, hi = cx->nhc;
    sid first = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cx->hc[mid].host < k->host)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < cx->nhc && cx->hc[i].host == k->host; i++) {
        const struct hcommit *h = &cx->hc[i];
        uint32_t ri = idget(&R->ix.resv_by_id, h->resv);
        uint32_t li =
            ri ? idget(&R->ix.lease_by_id, R->in.resvs.v[ri - 1].lease) : 0;
        if (!li || R->in.leases.v[li - 1].project != k->project)
            continue;
        if (h->iv.s <= t0 && t0 < h->iv.e)
            return h->resv;
        if (!first && h->iv.s < end && t0 < h->iv.e)
            first = h->resv;
    }
    return first;
}

/* The state a container's status says (zun's values, set by its API and
 * by the periodic sync with Docker): -1 for none (Deleting, Rebuilding,
 * unknown words keep the state), ST_N for Deleted. */
static int status_state(const struct strings *S, sid status)
{
    static const struct {
        const char *name;
        int st;
    } map[] = {
        {"Running", ST_ACTIVE},  {"Restarting", ST_ACTIVE},
        {"Created", ST_STOPPED}, {"Creating", ST_STOPPED},
        {"Stopped", ST_STOPPED}, {"Paused", ST_STOPPED},
        {"Dead", ST_STOPPED},    {"Error", ST_ERROR},
        {"Unknown", ST_ERROR},   {"Deleted", ST_N},
    };
    if (!status)
        return -1;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (len_of(S, status) == strlen(map[i].name) &&
            memcmp(str_of(S, status), map[i].name, len_of(S, status)) == 0)
            return map[i].st;
    return -1;
}

/* One stretch of a container in one state. */
static void emit_container(struct run *R, struct span sp, enum state st,
                           cu_time s, cu_time e)
{
    if (s >= e)
        return;
    sp.s = s;
    sp.e = e;
    sp.state = (unsigned)st & 7u;
    if (!sp.host) {
        /* never scheduled: holds nothing; any state but error needs a
           host we do not know */
        sp.nodes = 0;
        if (st != ST_ERROR)
            sp.audit = A_NULL_KEY;
        emit(R, sp);
        return;
    }
    if (sp.resv) {
        const struct pentry *p;
        size_t np = parents_of(&R->ix.parents_commit, sp.resv,
                               sp.host, &p);
        emit_clamped(R, sp, p, np);
        return;
    }
    emit(R, sp);
}

static int caction_cmp(const void *pa, const void *pb, void *ctx)
{
    const struct caction *x = pa, *y = pb;
    (void)ctx;
    int c = cmp_u64(x->k, y->k);
    return c ? c : cmp_i64(x->t, y->t);
}

/* The state a container's action leads to from st (rules in cu-spans(1)). */
static enum state caction_state(struct run *R, const struct caction *a,
                                enum state st)
{
    if (a->failed) {
        if (a->eff == E_CREATE || a->eff == E_ACTIVE)
            return ST_ERROR;
        R->st.drops[D_FAILED_OTHER][K_CONTAINER]++;
        return st;
    }
    switch ((enum effect)a->eff) {
    case E_CREATE:
    case E_STOPPED:
        return ST_STOPPED;
    case E_ACTIVE:
        return ST_ACTIVE;
    default:
        return st;
    }
}

/* When `zun run` started container k, or T_OPEN: it ran (started_at is
 * set) and its first action after the create is no start. started_at is
 * Docker's StartedAt, the last start: the run's own when no start action
 * followed, else lost, and then the run began when the create action
 * finished (zun's run starts the container within the create). */
static cu_time run_start(const struct container *k, const struct caction *a,
                         size_t na)
{
    const struct caction *create = NULL, *next = NULL;
    if (k->started == CU_TIME_NULL)
        return T_OPEN;
    for (size_t i = 0; i < na && !next; i++) {
        if (a[i].eff == E_CREATE && !create)
            create = &a[i];
        else if (a[i].eff != E_NONE)
            next = &a[i];
    }
    if (next && next->eff == E_ACTIVE)
        return T_OPEN; /* created, then started: no run */
    bool restarted = false;
    for (size_t i = 0; i < na; i++)
        restarted |= a[i].eff == E_ACTIVE && !a[i].failed;
    if (!restarted)
        return k->started; /* its only start */
    if (create && create->fin != CU_TIME_NULL)
        return create->fin;
    return create ? create->t : k->c;
}

static void build_container(const struct container_ctx *cx,
                            const struct container *k,
                            const struct caction *a, size_t na)
{
    struct run *R = cx->R;
    struct span sp = span_base(K_CONTAINER);
    sp.id = k->uuid;
    sp.project = k->project;
    sp.user = k->user;
    sp.host = k->host;
    sp.vcpus = k->vcpus;
    sp.mem = k->mem;
    sp.disk = k->disk;
    sp.booking = B_ONDEMAND;
    bool on_device = k->host && idget(&cx->devices, k->host);
    sp.nodes = on_device ? 1 : 0;

    cu_time t0 = k->c, end = T_OPEN;
    for (size_t i = 0; i < na; i++)
        if (a[i].eff == E_DELETE && !a[i].failed && end == T_OPEN)
            end = a[i].t > t0 ? a[i].t : t0;
    cu_time run_at = run_start(k, a, na);
    int final = status_state(&R->str, k->status);
    if (end == T_OPEN && final == ST_N && k->u != CU_TIME_NULL)
        end = k->u > t0 ? k->u : t0;
    bool gone = end == T_OPEN && k->gone != CU_TIME_NULL;
    if (gone) /* Zun deleted the row: the last snapshot that saw it */
        end = k->gone > t0 ? k->gone : t0;
    if (t0 >= end) {
        R->st.drops[D_START_GE_END][K_CONTAINER]++;
        return;
    }
    if (on_device) {
        sp.resv = container_resv(cx, k, t0, end);
        if (sp.resv) {
            sp.booking = B_RESERVATION;
            sp.lease =
                R->in.resvs.v[idget(&R->ix.resv_by_id, sp.resv) - 1].lease;
        } else {
            sp.audit = A_ORPHAN; /* a device, but no lease of the project */
        }
    }

    /* created: holds its device, not running */
    enum state st = ST_STOPPED;
    cu_time cur = t0, last = t0;
    for (size_t i = 0; i <= na; i++) {
        cu_time t = i < na ? (a[i].t > t0 ? a[i].t : t0) : T_OPEN;
        if (run_at <= t && run_at < end) {
            cu_time ts = run_at > t0 ? run_at : t0;
            if (st != ST_ERROR && st != ST_ACTIVE) {
                emit_container(R, sp, st, cur, ts);
                cur = ts;
                st = ST_ACTIVE;
            }
            last = ts;
            run_at = T_OPEN;
        }
        if (i == na || t >= end)
            break;
        enum state nst = caction_state(R, &a[i], st);
        last = t;
        if (nst != st) {
            emit_container(R, sp, st, cur, t);
            cur = t;
            st = nst;
        }
    }
    /* a status changed with no action (Docker's sync): from updated_at */
    if (final >= 0 && final != ST_N && (enum state)final != st &&
        k->u != CU_TIME_NULL && k->u > last && k->u < end) {
        emit_container(R, sp, st, cur, k->u);
        cur = k->u;
        st = (enum state)final;
    }
    if (gone && sp.audit == A_OK)
        sp.audit = A_INFERRED;
    emit_container(R, sp, st, cur, end);
}

void build_containers(struct run *R)
{
    struct container_ctx cx = {
        R, INDEX_BY(&R->str, R->in.containers, struct container, uuid),
        idmap_new(&R->str),
        INDEX_BY(&R->str, R->in.cactions, struct caction, id), NULL, 0};
    for (size_t i = 0; i < R->in.chosts.n; i++)
        if (R->in.chosts.v[i].device)
            idset(&cx.devices, R->in.chosts.v[i].hh, 1);
    for (size_t i = 0; i < R->in.cfailed.n; i++) {
        uint32_t ai = idget(&cx.action_by_id, R->in.cfailed.v[i]);
        if (ai)
            R->in.cactions.v[ai - 1].failed = 1;
        else
            R->st.drops[D_NO_CONTAINER][K_CONTAINER]++;
    }
    cx.hc = cu_xmalloc((R->ix.parents_commit.n ? R->ix.parents_commit.n : 1) *
                       sizeof *cx.hc);
    for (size_t i = 0; i < R->ix.parents_commit.n; i++)
        if (idget(&cx.devices, R->ix.parents_commit.v[i].b))
            cx.hc[cx.nhc++] = (struct hcommit){R->ix.parents_commit.v[i].b,
                                               R->ix.parents_commit.v[i].a,
                                               R->ix.parents_commit.v[i].iv};
    sort_array(cx.hc, cx.nhc, sizeof *cx.hc, hcommit_cmp, NULL);
    size_t kept = 0;
    for (size_t i = 0; i < R->in.cactions.n; i++) {
        R->in.cactions.v[i].k = idget(&cx.by_uuid, R->in.cactions.v[i].uuid);
        if (!R->in.cactions.v[i].k)
            R->st.drops[D_NO_CONTAINER][K_CONTAINER]++;
        else
            R->in.cactions.v[kept++] = R->in.cactions.v[i];
    }
    R->in.cactions.n = kept;
    sort_array(R->in.cactions.v, R->in.cactions.n, sizeof *R->in.cactions.v,
               caction_cmp, NULL);
    size_t j = 0;
    for (size_t i = 0; i < R->in.containers.n; i++) {
        size_t j0 = j;
        while (j < R->in.cactions.n && R->in.cactions.v[j].k == i + 1)
            j++;
        /* (no actions at all: no pointer arithmetic on a NULL array) */
        build_container(&cx, &R->in.containers.v[i],
                        j > j0 ? R->in.cactions.v + j0 : NULL, j - j0);
    }
    free(cx.hc);
    idmap_free(&cx.by_uuid);
    idmap_free(&cx.devices);
    idmap_free(&cx.action_by_id);
}

/* ---- the columns of zun's tables that need more than a type (read.c
 * lists them) */

const char *decode_caction_effect(const cu_field *f, void *dst)
{
    uint8_t v = (uint8_t)caction_effect(f);
    memcpy(dst, &v, 1);
    return NULL;
}

const char *decode_cpu(const cu_field *f, void *dst)
{
    char buf[64], *end;
    int64_t v = NO_INT;
    memcpy(dst, &v, sizeof v);
    if (cu_field_is_null(f))
        return NULL;
    if (f->len == 0 || f->len >= sizeof buf)
        return "not a CPU count";
    memcpy(buf, f->s, f->len);
    buf[f->len] = '\0';
    double d = strtod(buf, &end);
    if (*end || !(d >= 0) || d > 1e6)
        return "not a CPU count";
    v = (int64_t)ceil(d);
    memcpy(dst, &v, sizeof v);
    return NULL;
}

const char *decode_memory_mb(const cu_field *f, void *dst)
{
    int64_t v = NO_INT;
    memcpy(dst, &v, sizeof v);
    if (cu_field_is_null(f))
        return NULL;
    size_t n = f->len;
    if (n > 1 && (f->s[n - 1] == 'M' || f->s[n - 1] == 'm'))
        n--;
    v = 0;
    for (size_t k = 0; k < n; k++) {
        if (f->s[k] < '0' || f->s[k] > '9' || v > (INT64_C(1) << 40))
            return "not a memory size in MB";
        v = v * 10 + (f->s[k] - '0');
    }
    if (n == 0)
        return "not a memory size in MB";
    memcpy(dst, &v, sizeof v);
    return NULL;
}

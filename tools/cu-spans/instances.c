/* cu-spans: nova's instances. Each instance's actions (with what their
 * events say: failures, the hosts that placed it) in time order drive a
 * small state machine whose stretches of one state on one host are the
 * instance spans; reserved ones are clamped to their reservation's
 * committed time on that host. The rules are in cu-spans(1). */
#include "config.h"

#include <math.h>

#include <strings.h>

#include "columns.h"
#include "error.h"
#include "spans.h"

/* ---- actions and events: the transition table */

static const struct named_effect action_table[] = {
    {NAMED("create"), E_CREATE},         {NAMED("start"), E_ACTIVE},
    {NAMED("reboot"), E_ACTIVE},         {NAMED("unpause"), E_ACTIVE},
    {NAMED("resume"), E_ACTIVE},         {NAMED("rebuild"), E_ACTIVE},
    {NAMED("restore"), E_ACTIVE},        {NAMED("unshelve"), E_UNSHELVE},
    {NAMED("stop"), E_STOPPED},          {NAMED("pause"), E_STOPPED},
    {NAMED("suspend"), E_STOPPED},       {NAMED("shelve"), E_SHELVED},
    {NAMED("shelveOffload"), E_SHELVED}, {NAMED("delete"), E_DELETE},
    {NAMED("resize"), E_MOVE},           {NAMED("migrate"), E_MOVE},
    {NAMED("live-migration"), E_MOVE},   {NAMED("evacuate"), E_MOVE},
    {NAMED("revertResize"), E_MOVE},     {NAMED("confirmResize"), E_KEEP},
};

enum effect effect_named(const struct named_effect *t, size_t n,
                         const cu_field *f)
{
    for (size_t i = 0; i < n && !cu_field_is_null(f); i++)
        if (t[i].len == f->len && memcmp(t[i].name, f->s, f->len) == 0)
            return t[i].eff;
    return E_NONE;
}

enum effect action_effect(const cu_field *f)
{
    return effect_named(action_table,
                        sizeof action_table / sizeof *action_table, f);
}

/* Events whose host is where the instance runs once the action is done, by
 * preference (the finishing event over the preparing one). */
static const struct {
    const char *name;
    size_t len;
    uint8_t prio;
} place_table[] = {
    {NAMED("compute__do_build_and_run_instance"), 4},
    {NAMED("compute_finish_resize"), 4},
    {NAMED("compute_finish_revert_resize"), 4},
    {NAMED("compute_post_live_migration_at_destination"), 4},
    {NAMED("compute_rebuild_instance"), 4},
    {NAMED("compute_unshelve_instance"), 4},
    {NAMED("compute_pre_live_migration"), 3},
    {NAMED("compute_prep_resize"), 2},
};

/* 0: not a compute_* event (its host is no compute host: a conductor's,
 * a scheduler's); 1: a compute event that does not place; more: placing. */
uint8_t event_place_prio(const cu_field *f)
{
    if (cu_field_is_null(f) || f->len < 8 || memcmp(f->s, "compute_", 8))
        return 0;
    for (size_t i = 0; i < sizeof place_table / sizeof *place_table; i++)
        if (place_table[i].len == f->len &&
            memcmp(place_table[i].name, f->s, f->len) == 0)
            return place_table[i].prio;
    return 1;
}

/* ---- one reader per table */

/* ---- actions and their events */

/* Action keys to action index + 1. Action ids are database row ids: almost
 * always dense, and the events come in about the order of their actions,
 * so a table indexed by the key itself is both small and read in order.
 * Keys spread wider (several cells) go through open addressing. */
struct action_index {
    bool direct;
    uint64_t min, span; /* direct: idx[key - min] for key - min < span */
    uint64_t *key;
    uint32_t *idx;
    size_t mask;
};

static bool action_keys_dense(const struct run *R, struct action_index *AH)
{
    if (R->in.actions.n == 0)
        return false;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < R->in.actions.n; i++) {
        uint64_t k = R->in.actions.v[i].key;
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    if (hi - lo >= 2 * (uint64_t)R->in.actions.n + 1024)
        return false;
    AH->min = lo;
    AH->span = hi - lo + 1;
    return true;
}

static void action_hash_build(const struct run *R, struct action_index *AH)
{
    AH->direct = action_keys_dense(R, AH);
    if (AH->direct) {
        AH->idx = cu_xcalloc(AH->span, sizeof *AH->idx);
        for (size_t i = 0; i < R->in.actions.n;
             i++) /* a duplicate: last wins */
            AH->idx[R->in.actions.v[i].key - AH->min] = (uint32_t)i + 1;
        return;
    }
    size_t cap = 1024;
    while (cap < R->in.actions.n * 2 + 1)
        cap *= 2;
    AH->key = cu_xmalloc(cap * sizeof *AH->key);
    AH->idx = cu_xcalloc(cap, sizeof *AH->idx);
    AH->mask = cap - 1;
    for (size_t i = 0; i < R->in.actions.n; i++) {
        uint64_t k = R->in.actions.v[i].key;
        size_t j = (size_t)((k * 0x9E3779B97F4A7C15ULL) >> 20) & AH->mask;
        while (AH->idx[j] && AH->key[j] != k)
            j = (j + 1) & AH->mask;
        AH->key[j] = k;
        AH->idx[j] = (uint32_t)i + 1; /* a duplicate id: the last row wins */
    }
}

static uint32_t action_lookup(const struct action_index *AH, uint64_t k)
{
    if (AH->direct)
        return k - AH->min < AH->span ? AH->idx[k - AH->min] : 0;
    size_t j = (size_t)((k * 0x9E3779B97F4A7C15ULL) >> 20) & AH->mask;
    while (AH->idx[j]) {
        if (AH->key[j] == k)
            return AH->idx[j];
        j = (j + 1) & AH->mask;
    }
    return 0;
}

static void apply_events(struct run *R)
{
    struct action_index AH_ = {0}, *AH = &AH_;
    action_hash_build(R, AH);
    for (size_t i = 0; i < R->in.events.n; i++) {
        const struct event *e = &R->in.events.v[i];
        uint32_t ai = action_lookup(AH, e->akey);
        if (!ai) {
            R->st.drops[D_NO_ACTION][K_INSTANCE]++;
            continue;
        }
        struct action *a = &R->in.actions.v[ai - 1];
        if (e->error)
            a->failed = 1;
        else if (e->host && e->place_prio > 1 &&
                 e->place_prio > a->place_prio) {
            a->place = e->host;
            a->place_prio = e->place_prio;
        }
        if (e->host && e->place_prio > 0 && !a->anyhost)
            a->anyhost = e->host;
    }
    free(AH->key);
    free(AH->idx);
    cu_big_free(R->in.events.v, R->in.events.cap, sizeof *R->in.events.v);
    R->in.events.v = NULL;
    R->in.events.n = R->in.events.cap = 0;
}

static int action_cmp(const void *pa, const void *pb, void *ctx)
{
    const struct action *x = pa, *y = pb;
    (void)ctx;
    int c = cmp_i64(x->t, y->t);
    return c ? c : cmp_u64(x->key, y->key);
}



static int64_t first_int(int64_t a, int64_t b, int64_t c)
{
    return a != NO_INT ? a : b != NO_INT ? b : c;
}

/* One (state, host) stretch of an instance, [s, e). */
struct stretch {
    enum state st;
    sid host;
    bool inferred; /* the host is a fallback's */
    cu_time s, e;
};

/* What one instance's spans share. */
struct inst_ctx {
    struct run *R;
    const struct inst *in;
    struct span base;
    sid resv;
    bool pending;         /* held is a stretch not yet emitted */
    struct stretch held;
};

static void inst_sizes(struct inst_ctx *cx)
{
    struct run *R = cx->R;
    const struct inst *in = cx->in;
    uint32_t ei = idget(&R->ix.extra_by_uuid, in->uuid);
    uint32_t si = idget(&R->ix.spec_by_uuid, in->uuid);
    const struct extra *ex = ei ? &R->in.extras.v[ei - 1] : NULL;
    const struct extra *sp = si ? &R->in.rspecs.v[si - 1] : NULL;
    int64_t none = NO_INT;
    struct span *b = &cx->base;
    b->vcpus = first_int(in->vcpus, ex ? ex->vcpus : none,
                         sp ? sp->vcpus : none);
    b->mem = first_int(in->mem, ex ? ex->mem : none, sp ? sp->mem : none);
    int64_t root = in->root, eph = in->eph;
    if (root == NO_INT) {
        root = first_int(ex ? ex->root : none, sp ? sp->root : none, none);
        eph = first_int(ex ? ex->eph : none, sp ? sp->eph : none, none);
    }
    b->disk = root == NO_INT ? NO_INT : root + (eph == NO_INT ? 0 : eph);
    b->flavor = ex && ex->flavor ? ex->flavor : sp ? sp->flavor : 0;
    const size_t plen = RESV_FLAVOR_PREFIX_LEN;
    sid resv = sp ? sp->reservation : 0;
    if (!resv && b->flavor && len_of(&R->str, b->flavor) > plen &&
        !memcmp(str_of(&R->str, b->flavor), RESV_FLAVOR_PREFIX, plen))
        resv = intern(&R->str, str_of(&R->str, b->flavor) + plen,
                      len_of(&R->str, b->flavor) - plen);
    cx->resv = resv;
    b->booking = resv ? B_RESERVATION : B_ONDEMAND;
    b->resv = resv;
    uint32_t vi = resv ? idget(&R->ix.resv_by_id, resv) : 0;
    b->lease = vi ? R->in.resvs.v[vi - 1].lease : 0;
}

static void emit_stretch_now(struct inst_ctx *cx, const struct stretch *t)
{
    struct run *R = cx->R;
    struct span sp = cx->base;
    enum state st = t->st;
    sid host = t->host;
    cu_time s = t->s;
    sp.s = s;
    sp.e = t->e;
    sp.state = (unsigned)st & 7u;
    if (st == ST_SHELVED) {
        sp.host = 0;
        sp.nodes = 0;
        emit(R, sp);
        return;
    }
    sp.host = host;
    if (!host) {
        /* A build that failed before a host was chosen holds nothing; any
         * other state needs a host we do not know. */
        if (st == ST_ERROR)
            sp.nodes = 0;
        else
            sp.audit = A_NULL_KEY;
        emit(R, sp);
        return;
    }
    if (t->inferred)
        sp.audit = A_FALLBACK;
    bool fallback;
    const struct cnode *n = cnode_at(R, host, s, &fallback);
    if (n) {
        if (n->ironic)
            sp.nodes = 1;
        else if (n->vcpus > 0 && sp.vcpus != NO_INT)
            sp.nodes = (double)sp.vcpus / (double)n->vcpus;
        if (fallback)
            sp.audit = A_FALLBACK;
    }
    if (cx->resv) {
        const struct pentry *p;
        size_t np = parents_of(&R->ix.parents_commit, cx->resv,
                               host, &p);
        emit_clamped(R, sp, p, np);
        return;
    }
    emit(R, sp);
}

/* Stretches go through here so that two that touch with the same state and
 * host (a stop and a start at the same instant) become one span. */
static void emit_stretch(struct inst_ctx *cx, enum state st, sid host,
                         bool inferred, cu_time s, cu_time e)
{
    if (s >= e)
        return;
    struct stretch *h = &cx->held;
    if (cx->pending && h->st == st && h->host == host &&
        h->inferred == inferred && h->e == s) {
        h->e = e;
        return;
    }
    if (cx->pending)
        emit_stretch_now(cx, h);
    cx->pending = true;
    *h = (struct stretch){st, host, inferred, s, e};
}

static void flush_stretch(struct inst_ctx *cx)
{
    if (cx->pending)
        emit_stretch_now(cx, &cx->held);
    cx->pending = false;
}

/* Does compute service host svc run node hh? */
static bool service_runs(const struct run *R, sid svc, sid hh)
{
    uint32_t first = idget(&R->ix.cn_first, hh),
             n = idget(&R->ix.cn_count, hh);
    for (uint32_t i = 0; i < n; i++)
        if (R->in.cnodes.v[first + i].svc == svc)
            return true;
    return false;
}

/* The node an event's service host stands for: map_service_host, or, for
 * a service that runs several nodes (ironic), the only node of it that the
 * instance's reservation holds (*inferred set); 0 when unknown. */
static sid resolve_host(const struct inst_ctx *cx, sid svc, bool *inferred)
{
    const struct run *R = cx->R;
    *inferred = false;
    if (!svc)
        return 0;
    sid h = map_service_host(&R->ix, svc);
    if (h || !cx->resv)
        return h;
    uint32_t first = idget(&R->ix.resv_hfirst, cx->resv);
    uint32_t n = idget(&R->ix.resv_hcount, cx->resv);
    for (uint32_t i = 0; i < n; i++) {
        sid hh = R->ix.resv_hosts.v[first + i];
        if (!service_runs(R, svc, hh))
            continue;
        if (h)
            return 0; /* several candidates */
        h = hh;
    }
    *inferred = h != 0;
    return h;
}

static sid event_host(const struct inst_ctx *cx, const struct action *a,
                      bool *inferred)
{
    return resolve_host(cx, a->place ? a->place : a->anyhost, inferred);
}

/* Whether action a moves the instance: a successful move or unshelve whose
 * placing event names a usable host. */
static sid move_target(const struct inst_ctx *cx, const struct action *a,
                       bool *inferred)
{
    *inferred = false;
    if ((a->eff != E_MOVE && a->eff != E_UNSHELVE) || a->failed)
        return 0;
    return resolve_host(cx, a->place, inferred);
}

/* The host an instance starts on, before any move (*inferred: from its
 * reservation); *moves tells whether any action moves it. */
static sid initial_host(const struct inst_ctx *cx, const struct action *a,
                        size_t na, bool *moves, bool *inferred)
{
    const struct inst *in = cx->in;
    sid row = in->node ? in->node : map_service_host(&cx->R->ix, in->host);
    sid early = 0;
    bool early_inf = false, inf;
    *moves = false;
    *inferred = false;
    for (size_t i = 0; i < na; i++) {
        if (move_target(cx, &a[i], &inf)) {
            *moves = true;
            break;
        }
        if (!early)
            early = event_host(cx, &a[i], &early_inf);
    }
    if (*moves && early) {
        *inferred = early_inf && early != in->node;
        return early;
    }
    if (row)
        return row;
    for (size_t i = 0; i < na; i++) {
        sid h = event_host(cx, &a[i], inferred);
        if (h)
            return h;
    }
    return 0;
}

static void build_instance(struct run *R, const struct inst *in,
                           const struct action *a,
                           size_t na)
{
    struct inst_ctx cx = {.R = R, .in = in, .base = span_base(K_INSTANCE)};
    cx.base.id = in->uuid;
    cx.base.project = in->project;
    cx.base.user = in->user;
    inst_sizes(&cx);

    cu_time t0 = in->c;
    cu_time end = end_or_open(tmin(in->d, in->term));
    for (size_t i = 0; i < na; i++)
        if (a[i].eff == E_DELETE && !a[i].failed) {
            cu_time t = a[i].t > t0 ? a[i].t : t0;
            if (t < end)
                end = t;
            break;
        }
    if (t0 >= end) {
        R->st.drops[D_START_GE_END][K_INSTANCE]++;
        return;
    }

    bool moves, inferred;
    sid host = initial_host(&cx, a, na, &moves, &inferred);
    enum state st = ST_ACTIVE;
    if (!R->ix.error) /* (interned when first needed, as it always was) */
        R->ix.error = intern_cstr(&R->str, "error");
    if (na == 0 && in->vm_state == R->ix.error && in->launched == CU_TIME_NULL)
        st = ST_ERROR; /* never launched, no actions recorded */
    if (na > 0 && a[0].eff == E_CREATE && a[0].failed)
        st = ST_ERROR; /* a failed create was never active */

    cu_time cur = t0;
    for (size_t i = 0; i < na; i++) {
        cu_time t = a[i].t > t0 ? a[i].t : t0;
        if (t >= end)
            break;
        enum state nst = st;
        sid nhost = host;
        bool ninferred = inferred, inf;
        enum effect eff = (enum effect)a[i].eff;
        if (eff == E_NONE) {
            if (a[i].failed)
                R->st.drops[D_FAILED_OTHER][K_INSTANCE]++;
            continue;
        }
        if (a[i].failed) {
            nst = ST_ERROR;
        } else {
            switch (eff) {
            case E_CREATE:
            case E_ACTIVE:
                nst = ST_ACTIVE;
                break;
            case E_STOPPED:
                nst = ST_STOPPED;
                break;
            case E_SHELVED:
                nst = ST_SHELVED;
                break;
            case E_UNSHELVE:
            case E_MOVE: {
                if (eff == E_UNSHELVE)
                    nst = ST_ACTIVE;
                sid to = move_target(&cx, &a[i], &inf);
                if (to) {
                    nhost = to;
                    ninferred = inf && to != in->node;
                }
                break;
            }
            default:
                break;
            }
        }
        if (nst != st || nhost != host) {
            emit_stretch(&cx, st, host, inferred, cur, t);
            cur = t > cur ? t : cur;
            st = nst;
            host = nhost;
            inferred = ninferred;
        }
    }
    if (in->gone && end == in->d) {
        /* the row left the history (--history): the last stretch ends
           where the last snapshot saw it */
        flush_stretch(&cx);
        cx.base.audit = A_INFERRED;
    }
    emit_stretch(&cx, st, host, inferred, cur, end);
    flush_stretch(&cx);
}

/* The instances' spans: each instance with its actions in time order. */
void build_instances(struct run *R)
{
    R->ix.inst_by_uuid = INDEX_BY(&R->str, R->in.insts, struct inst, uuid);
    R->ix.extra_by_uuid =
        INDEX_BY(&R->str, R->in.extras, struct extra, uuid);
    R->ix.spec_by_uuid = idmap_new(&R->str);
    for (size_t i = 0; i < R->in.rspecs.n; i++) {
        if (!idget(&R->ix.inst_by_uuid, R->in.rspecs.v[i].uuid))
            R->st.drops[D_NO_INSTANCE][K_INSTANCE]++;
        idset(&R->ix.spec_by_uuid, R->in.rspecs.v[i].uuid, (uint32_t)i + 1);
    }
    apply_events(R);
    for (size_t i = 0; i < R->in.actions.n; i++) {
        R->in.actions.v[i].inst =
            idget(&R->ix.inst_by_uuid, R->in.actions.v[i].uuid);
        if (!R->in.actions.v[i].inst)
            R->st.drops[D_NO_INSTANCE][K_INSTANCE]++;
    }
    /* The actions of each instance: a counting sort on the instance
     * (actions stay in the order read within one), then the few actions of
     * each instance put in time order as it is built. */
    size_t *first = cu_xcalloc(R->in.insts.n + 2, sizeof *first);
    for (size_t i = 0; i < R->in.actions.n; i++)
        first[R->in.actions.v[i].inst + 1]++;
    for (size_t k = 1; k <= R->in.insts.n + 1; k++)
        first[k] += first[k - 1];
    uint32_t *by_inst = cu_xmalloc((R->in.actions.n ? R->in.actions.n : 1) *
                                   sizeof *by_inst);
    for (size_t i = 0; i < R->in.actions.n; i++)
        by_inst[first[R->in.actions.v[i].inst]++] = (uint32_t)i;
    /* first[k] is now where instance k's actions end */
    struct action *mine = NULL;
    size_t mine_cap = 0;
    for (size_t i = 0; i < R->in.insts.n; i++) {
        /* what the instances a few ahead will look up, all at random */
        if (i + 8 < R->in.insts.n) {
            sid ahead = R->in.insts.v[i + 8].uuid;
            __builtin_prefetch(&R->ix.inst_by_uuid.v[ahead]);
            __builtin_prefetch(&R->ix.extra_by_uuid.v[ahead]);
            __builtin_prefetch(&R->ix.spec_by_uuid.v[ahead]);
        }
        if (i + 4 < R->in.insts.n) {
            uint32_t ei = idget(&R->ix.extra_by_uuid,
                                R->in.insts.v[i + 4].uuid),
                     si =
                         idget(&R->ix.spec_by_uuid, R->in.insts.v[i + 4].uuid);
            if (ei)
                __builtin_prefetch(&R->in.extras.v[ei - 1]);
            if (si)
                __builtin_prefetch(&R->in.rspecs.v[si - 1]);
        }
        if (idget(&R->ix.inst_by_uuid, R->in.insts.v[i].uuid) != i + 1)
            continue; /* a duplicate uuid (several cells): the last wins */
        size_t from = first[i], to = first[i + 1];
        mine = cu_xgrow(mine, &mine_cap, to - from + 1, sizeof *mine);
        for (size_t k = from; k < to; k++) {
            if (k + 16 < R->in.actions.n)
                __builtin_prefetch(&R->in.actions.v[by_inst[k + 16]]);
            mine[k - from] = R->in.actions.v[by_inst[k]];
        }
        sort_few(mine, to - from, sizeof *mine, action_cmp,
                 NULL); /* by time */
        build_instance(R, &R->in.insts.v[i], mine, to - from);
    }
    cu_free_all(mine, by_inst, first);
}

/* ------------------------------------------------------------ done */

/* ---- the columns of nova's tables that need more than a type
 * (read.c lists them) */

const char *decode_action_effect(const cu_field *f, void *dst)
{
    uint8_t v = (uint8_t)action_effect(f);
    memcpy(dst, &v, 1);
    return NULL;
}

const char *decode_place_prio(const cu_field *f, void *dst)
{
    uint8_t v = event_place_prio(f);
    memcpy(dst, &v, 1);
    return NULL;
}

const char *decode_error(const cu_field *f, void *dst)
{
    uint8_t v = !cu_field_is_null(f) && f->len == 5 &&
                strncasecmp(f->s, "error", 5) == 0;
    memcpy(dst, &v, 1);
    return NULL;
}

const char *decode_action_id(const cu_field *f, void *dst)
{
    int64_t id;
    const char *why = cu_col_parse_int(f, &id);
    if (why)
        return why;
    if (id == CU_INT_NULL)
        return "missing key";
    if (id < 0 || id > UINT32_MAX)
        return "id out of range";
    uint64_t key = (uint32_t)id;
    memcpy(dst, &key, sizeof key);
    return NULL;
}

/* cu-spans: Blazar's leases. A committed span per allocation of a host
 * or device to a reservation (sized by the host, or by the reservation's
 * share of flavors), clamped to the host's reservable spans; those pieces
 * are the parents of the reserved instances and containers. */
#include "config.h"

#include "error.h"
#include "radix.h"
#include "spans.h"

void index_blazar(struct run *R)
{
    R->ix.lease_by_id = INDEX_BY(&R->str, R->in.leases, struct lease, id);
    R->ix.resv_by_id = INDEX_BY(&R->str, R->in.resvs, struct resv, id);
    R->ix.ires_by_resv = INDEX_BY(&R->str, R->in.ireses, struct ires, resv);
    /* (the three types in the order they always were interned in: ids
       are numbered in order, and the order of ids is that of the spans
       made for them) */
    (void)intern_cstr(&R->str, "physical:host");
    R->ix.type_instance = intern_cstr(&R->str, "flavor:instance");
    (void)intern_cstr(&R->str, "device");
}

/* Allocations grouped by reservation, each reservation's in the order of
 * their rows (which of them get a remainder slot: whatever order the
 * sections come in). */
static void sort_allocations(struct run *R)
{
    size_t n = R->in.allocs.n;
    struct cu_radix_pair *v = cu_xmalloc((n ? n : 1) * sizeof *v),
                         *tmp = cu_xmalloc((n ? n : 1) * sizeof *tmp);
    for (size_t i = 0; i < n; i++)
        v[i] = (struct cu_radix_pair){R->in.allocs.v[i].resv, i};
    struct cu_radix_pair *sorted = cu_radix_sort_pairs(v, tmp, n, 32);
    struct alloc *out = cu_xmalloc((n ? n : 1) * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = R->in.allocs.v[sorted[i].value];
    if (n)
        memcpy(R->in.allocs.v, out, n * sizeof *out);
    cu_free_all(out, v, tmp);
}

/* A share of n slots: allocation k of nalloc holds amount/nalloc slots, the
 * first amount%nalloc one more, so the shares sum to amount. */
static int64_t slots_of(int64_t amount, size_t k, size_t nalloc)
{
    if (amount == NO_INT || nalloc == 0)
        return amount;
    int64_t q = amount / (int64_t)nalloc, rem = amount % (int64_t)nalloc;
    return q + ((int64_t)k < rem ? 1 : 0);
}

static int64_t mul_or_null(int64_t v, int64_t n)
{
    return v == NO_INT || n == NO_INT ? NO_INT : v * n;
}

/* One committed span: the interval of the allocation, sized by its host
 * (physical:host) or its share of the reserved flavors (flavor:instance). */
static void emit_committed(struct run *R, const struct alloc *a,
                           const struct resv *v, const struct lease *l,
                           size_t k, size_t nalloc)
{
    struct span sp = span_base(K_COMMITTED);
    sp.s = l->c != CU_TIME_NULL && l->c > l->start ? l->c : l->start;
    sp.e = end_or_open(tmin(tmin(l->end, l->d), tmin(a ? a->d : CU_TIME_NULL,
                                                     v->d)));
    if (sp.s >= sp.e) {
        R->st.drops[D_START_GE_END][K_COMMITTED]++;
        return;
    }
    if (a && a->gone && sp.e == a->d)
        sp.audit = A_INFERRED; /* the end a later snapshot implies */
    sp.id = v->id;
    sp.resv = v->id;
    sp.lease = l->id;
    sp.project = l->project;
    sp.user = l->user;
    const struct chost *h = NULL;
    if (a && a->host_id) {
        uint32_t hi = idget(
            a->device ? &R->ix.device_by_id : &R->ix.chost_by_id, a->host_id);
        h = hi ? &R->in.chosts.v[hi - 1] : NULL;
    }
    sp.host = h ? h->hh : 0;
    if (v->type == R->ix.type_instance) {
        sp.flavor_is_resv = 1; /* the flavor Blazar made: reservation:ID */
        uint32_t ii = idget(&R->ix.ires_by_resv, v->id);
        const struct ires *ir = ii ? &R->in.ireses.v[ii - 1] : NULL;
        int64_t slots = ir ? slots_of(ir->amount, k, nalloc) : NO_INT;
        if (ir) {
            sp.vcpus = mul_or_null(ir->vcpus, slots);
            sp.mem = mul_or_null(ir->mem, slots);
            sp.disk = mul_or_null(ir->disk, slots);
        }
        if (h && h->vcpus > 0 && sp.vcpus != NO_INT)
            sp.nodes = (double)sp.vcpus / (double)h->vcpus;
        if (!ir)
            sp.audit = A_NULL_KEY;
    } else {
        sp.nodes = 1;
        if (h) {
            sp.vcpus = h->vcpus;
            sp.mem = h->mem;
            sp.disk = h->disk;
        }
    }
    if (!h) {
        sp.audit = A_NULL_KEY;
        emit(R, sp);
        return;
    }
    const struct pentry *p;
    size_t np = parents_of(&R->ix.parents_resv, h->hh, 0, &p);
    emit_clamped(R, sp, p, np);
    /* Parents for reserved instances: the committed time on this host. */
    for (size_t i = 0; i < np; i++) {
        cu_time s = sp.s > p[i].iv.s ? sp.s : p[i].iv.s;
        cu_time e = sp.e < p[i].iv.e ? sp.e : p[i].iv.e;
        if (s < e)
            PUSH(R->ix.parents_commit) = (struct pentry){v->id, h->hh, {s, e}};
    }
}

/* The hosts each reservation holds (distinct hypervisor_hostnames of its
 * allocations), to place reserved instances whose rows lost their host. */

static void note_reservation_hosts(struct run *R, sid resv,
                                   const struct alloc *a, size_t n)
{
    size_t first = R->ix.resv_hosts.n;
    for (size_t k = 0; k < n; k++) {
        uint32_t hi = a[k].host_id ? idget(a[k].device ? &R->ix.device_by_id
                                                       : &R->ix.chost_by_id,
                                           a[k].host_id)
                                   : 0;
        sid h = hi ? R->in.chosts.v[hi - 1].hh : 0;
        bool dup = !h;
        for (size_t j = first; j < R->ix.resv_hosts.n && !dup; j++)
            dup = R->ix.resv_hosts.v[j] == h;
        if (!dup)
            PUSH(R->ix.resv_hosts) = h;
    }
    idset(&R->ix.resv_hfirst, resv, (uint32_t)first);
    idset(&R->ix.resv_hcount, resv, (uint32_t)(R->ix.resv_hosts.n - first));
}

void build_committed(struct run *R)
{
    R->ix.resv_hfirst = idmap_new(&R->str);
    R->ix.resv_hcount = idmap_new(&R->str);
    sort_allocations(R);
    bool *seen = cu_xcalloc(R->in.resvs.n + 1, 1);
    for (size_t i = 0; i < R->in.allocs.n;) {
        size_t j = i;
        while (j < R->in.allocs.n &&
               R->in.allocs.v[j].resv == R->in.allocs.v[i].resv)
            j++;
        uint32_t vi = idget(&R->ix.resv_by_id, R->in.allocs.v[i].resv);
        if (!vi) {
            R->st.drops[D_NO_RESERVATION][K_COMMITTED] += j - i;
            i = j;
            continue;
        }
        seen[vi] = true;
        const struct resv *v = &R->in.resvs.v[vi - 1];
        uint32_t li = idget(&R->ix.lease_by_id, v->lease);
        if (!li) {
            R->st.drops[D_NO_LEASE][K_COMMITTED] += j - i;
            i = j;
            continue;
        }
        for (size_t k = i; k < j; k++)
            emit_committed(R, &R->in.allocs.v[k], v, &R->in.leases.v[li - 1],
                           k - i, j - i);
        note_reservation_hosts(R, v->id, R->in.allocs.v + i, j - i);
        i = j;
    }
    /* A flavor:instance reservation without allocation rows still commits
     * its flavors, on no known host. */
    for (size_t i = 0; i < R->in.resvs.n; i++) {
        const struct resv *v = &R->in.resvs.v[i];
        if (seen[i + 1] || v->type != R->ix.type_instance)
            continue;
        uint32_t li = idget(&R->ix.lease_by_id, v->lease);
        if (!li) {
            R->st.drops[D_NO_LEASE][K_COMMITTED]++;
            continue;
        }
        emit_committed(R, NULL, v, &R->in.leases.v[li - 1], 0, 1);
    }
    free(seen);
    parents_finish(&R->ix.parents_commit);
}

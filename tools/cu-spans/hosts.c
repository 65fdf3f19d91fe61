/* cu-spans: emitting spans (the window, clamping to parents), and the
 * spans of hosts: total (nova.compute_nodes, Blazar's devices) and
 * reservable (Blazar's hosts and devices). */
#include "config.h"

#include <math.h>

#include "spans.h"

/* ------------------------------------------------------------ intervals */

static int pentry_cmp(const void *pa, const void *pb, void *ctx)
{
    const struct pentry *x = pa, *y = pb;
    (void)ctx;
    int c = cmp_u64(x->a, y->a);
    c = c ? c : cmp_u64(x->b, y->b);
    return c ? c : cmp_i64(x->iv.s, y->iv.s);
}

void parents_finish(pentries *pe)
{
    struct pentry **v = &pe->v;
    size_t *n = &pe->n;
    sort_array(*v, *n, sizeof **v, pentry_cmp, NULL);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        struct pentry *p = &(*v)[i];
        if (k && (*v)[k - 1].a == p->a && (*v)[k - 1].b == p->b &&
            p->iv.s <= (*v)[k - 1].iv.e) {
            if (p->iv.e > (*v)[k - 1].iv.e)
                (*v)[k - 1].iv.e = p->iv.e;
        } else {
            (*v)[k++] = *p;
        }
    }
    *n = k;
}

/* The parent intervals of key (a, b): *out points into the array. */
size_t parents_of(const pentries *pe, sid a, sid b, const struct pentry **out)
{
    const struct pentry *v = pe->v;
    size_t n = pe->n;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].a < a || (v[mid].a == a && v[mid].b < b))
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = lo;
    while (k < n && v[k].a == a && v[k].b == b)
        k++;
    *out = n ? v + lo : v; /* v may be NULL when there are none */
    return k - lo;
}

/* ------------------------------------------------------------ emitting */

/* Keep sp if its kind is asked for and it overlaps the window; clip it. */
void emit(struct run *R, struct span sp)
{
    const struct options *opt = R->opt;
    if (!opt->kinds[sp.kind])
        return;
    if (sp.e <= opt->wstart || sp.s >= opt->wend) {
        R->st.drops[D_OUTSIDE_WINDOW][sp.kind]++;
        return;
    }
    if (sp.s < opt->wstart)
        sp.s = opt->wstart;
    if (sp.e > opt->wend)
        sp.e = opt->wend;
    PUSH(R->spans) = sp;
}

/* Cut child to its parents: the pieces that overlap a parent, `clipped`
 * where a piece is not the whole child; the whole child as `orphan` when no
 * parent overlaps. */
void emit_clamped(struct run *R, struct span child, const struct pentry *p,
                  size_t np)
{
    bool any = false;
    for (size_t i = 0; i < np; i++) {
        cu_time s = child.s > p[i].iv.s ? child.s : p[i].iv.s;
        cu_time e = child.e < p[i].iv.e ? child.e : p[i].iv.e;
        if (s >= e)
            continue;
        struct span piece = child;
        piece.s = s;
        piece.e = e;
        if (s != child.s || e != child.e)
            piece.audit = A_CLIPPED;
        emit(R, piece);
        any = true;
    }
    if (!any) {
        child.audit = A_ORPHAN;
        emit(R, child);
    }
}

struct span span_base(enum kind k)
{
    return (struct span){.kind = (unsigned)k & 7u, .state = ST_KIND,
                         .audit = A_OK, .booking = B_NONE, .nodes = NAN,
                         .vcpus = NO_INT, .mem = NO_INT, .disk = NO_INT};
}

cu_time end_or_open(cu_time t) { return t == CU_TIME_NULL ? T_OPEN : t; }

cu_time tmin(cu_time a, cu_time b)
{
    if (a == CU_TIME_NULL)
        return b;
    if (b == CU_TIME_NULL)
        return a;
    return a < b ? a : b;
}

/* ------------------------------------------------------------ total */

#define SVC_AMBIGUOUS UINT32_MAX

static int cnode_cmp(const void *a, const void *b, void *ctx)
{
    const struct cnode *x = a, *y = b;
    (void)ctx;
    int c = cmp_u64(x->hh, y->hh);
    return c ? c : cmp_i64(x->c, y->c);
}

/* A whole host's span of kind k over [c, d) (d NULL: open) of the sizes
 * in v (vcpus, memory, disk); false, counted, when it is empty. */
static bool host_span(struct run *R, enum kind k, sid hh, cu_time c,
                      cu_time d, const int64_t v[3], struct span *sp)
{
    *sp = span_base(k);
    sp->s = c;
    sp->e = end_or_open(d);
    if (sp->s >= sp->e) {
        R->st.drops[D_START_GE_END][k]++;
        return false;
    }
    sp->id = sp->host = hh;
    sp->nodes = 1;
    sp->vcpus = v[0];
    sp->mem = v[1];
    sp->disk = v[2];
    return true;
}

void build_total(struct run *R)
{
    struct index *ix = &R->ix;
    sort_array(R->in.cnodes.v, R->in.cnodes.n, sizeof *R->in.cnodes.v,
               cnode_cmp, NULL);
    ix->cn_first = idmap_new(&R->str);
    ix->cn_count = idmap_new(&R->str);
    ix->svc_host = idmap_new(&R->str);
    for (size_t i = 0; i < R->in.cnodes.n; i++) {
        struct cnode *n = &R->in.cnodes.v[i];
        if (!idget(&ix->cn_count, n->hh))
            idset(&ix->cn_first, n->hh, (uint32_t)i);
        idset(&ix->cn_count, n->hh, idget(&ix->cn_count, n->hh) + 1);
        if (n->svc) {
            uint32_t m = idget(&ix->svc_host, n->svc);
            if (!m)
                idset(&ix->svc_host, n->svc, n->hh);
            else if (m != n->hh)
                idset(&ix->svc_host, n->svc, SVC_AMBIGUOUS);
        }
        struct span sp;
        const int64_t size[3] = {n->vcpus, n->mem, n->disk};
        if (host_span(R, K_TOTAL, n->hh, n->c, n->d, size, &sp))
            emit(R, sp);
    }
}

/* The hypervisor_hostname a compute service host stands for: itself when
 * compute_nodes does not know it, 0 when it runs several nodes (ironic). */
sid map_service_host(const struct index *ix, sid h)
{
    if (!h)
        return 0;
    uint32_t m = idget(&ix->svc_host, h);
    if (m == SVC_AMBIGUOUS)
        return 0;
    return m ? m : h;
}

/* The compute_nodes record of host hh valid at t, else the nearest one
 * (*fallback set); NULL when the host has none. */
const struct cnode *cnode_at(const struct run *R, sid hh, cu_time t,
                             bool *fallback)
{
    const struct index *ix = &R->ix;
    *fallback = false;
    if (!hh || !idget(&ix->cn_count, hh))
        return NULL;
    const struct cnode *best = NULL;
    cu_time bestd = T_OPEN;
    for (uint32_t i = 0; i < idget(&ix->cn_count, hh); i++) {
        const struct cnode *n = &R->in.cnodes.v[idget(&ix->cn_first, hh) + i];
        cu_time e = end_or_open(n->d);
        if (n->c <= t && t < e)
            return n;
        cu_time d = t < n->c ? n->c - t : t - e + 1;
        if (d < bestd) {
            bestd = d;
            best = n;
        }
    }
    *fallback = true;
    return best;
}

/* ------------------------------------------------------------ blazar */


void build_reservable(struct run *R)
{
    struct index *ix = &R->ix;
    ix->chost_by_id = idmap_new(&R->str);
    ix->device_by_id = idmap_new(&R->str);
    for (size_t i = 0; i < R->in.chosts.n; i++) {
        struct chost *h = &R->in.chosts.v[i];
        struct span sp;
        const int64_t size[3] = {h->vcpus, h->mem, h->disk};
        if (!host_span(R, K_RESERVABLE, h->hh, h->c, h->d, size, &sp))
            continue;
        if (h->gone)
            sp.audit = A_INFERRED;
        if (h->device) {
            /* an edge device is in no nova table: Blazar's row is the
               record of its existence, reservable or not */
            struct span total = sp;
            total.kind = K_TOTAL;
            emit(R, total);
        }
        if (h->unreservable) {
            R->st.drops[D_NOT_RESERVABLE][K_RESERVABLE]++;
            continue;
        }
        idset(h->device ? &ix->device_by_id : &ix->chost_by_id, h->id,
              (uint32_t)i + 1);
        emit(R, sp);
        PUSH(ix->parents_resv) = (struct pentry){h->hh, 0, {sp.s, sp.e}};
    }
    parents_finish(&ix->parents_resv);
}


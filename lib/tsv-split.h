/* One build of the TSV row splitter of stream.c: each instruction-set file
 * (tsv-split-sse2.c, tsv-split-avx2.c) includes this once, with SPLIT(name)
 * naming its functions, and SPLIT(classify) and SPLIT_COUNT (a popcount)
 * defined before. The first part is the same for every build. */
#ifndef CU_TSV_SPLIT_COMMON
#define CU_TSV_SPLIT_COMMON

enum { CHUNK = 64 };

static inline size_t bit_offset(uint64_t m)
{
    return (size_t)__builtin_ctzll(m);
}

/* Field i of the row spans line[start..end) (before its tab, newline or
 * CR); bs_next points at the offset of the next backslash not yet used. */
static inline void tsv_fast_field(cu_reader *r, size_t i, char *line,
                                  size_t start, size_t end,
                                  const size_t **bs_next, char **decp)
{
    cu_field *f = &r->fields[i];
    char *p = line + start;
    f->raw = p;
    f->raw_len = end - start;
    if (**bs_next < end) {
        const char *bs = line + **bs_next;
        while (**bs_next < end)
            (*bs_next)++;
        if (end - start == 2 && p[0] == '\\' && p[1] == 'N') { /* NULL */
            f->s = "";
            f->len = 0;
            f->type = CU_VAL_NULL;
            return;
        }
        cu__tsv_unescape(r, f, i, p, end - start, bs, decp);
        return;
    }
    line[end] = '\0'; /* the tab, newline or CR that ended it */
    f->s = p;
    f->len = end - start;
    f->type = CU_VAL_STRING;
}

/* Are the backslashes of line[0..len) (offsets bs[0..nbs)) all escapes
 * that decode without a message: \\ \t \n \r \# anywhere, \N as a whole
 * field? Checked where they stand, before the line's tabs become NULs, so
 * that the fields not asked for need not be decoded. Anything else (a bad
 * escape) is left to decoding every field, which says what is wrong. */
static bool escapes_plain(const char *line, size_t len, const size_t *bs,
                          size_t nbs)
{
    for (size_t k = 0; k < nbs; k++) {
        size_t b = bs[k];
        if (b + 1 >= len || line[b] == '\r')
            return false;
        switch (line[b + 1]) {
        case '\\':
            k++; /* the escaped backslash is the next offset */
            break;
        case 't': case 'n': case 'r': case '#':
            break;
        case 'N':
            if ((b > 0 && line[b - 1] != '\t') ||
                (b + 2 < len && line[b + 2] != '\t'))
                return false;
            break;
        default:
            return false;
        }
    }
    return true;
}

#endif /* CU_TSV_SPLIT_COMMON */

/* Append the byte offsets (base + offset) of the set bits of m to out[k..),
 * returning the new count. Four slots are written whatever the count, so
 * that a chunk with few hits (the common case) costs no branch; out needs
 * room for k + CHUNK. */
static inline size_t SPLIT(offsets_of)(size_t *out, size_t k, uint64_t m,
                                       size_t base)
{
    size_t c = SPLIT_COUNT(m);
    uint64_t top = UINT64_C(1) << 63; /* keeps ctz defined when m is 0 */
#pragma GCC unroll 4
    for (int j = 0; j < 4; j++) {
        out[k + (size_t)j] = base + bit_offset(m | top);
        m &= m - 1;
    }
    for (size_t j = 4; j < c; j++) {
        out[k + j] = base + bit_offset(m);
        m &= m - 1;
    }
    return k + c;
}

/* The next data row, split in one pass over its bytes that finds the
 * newline, the tabs and the backslashes together, a chunk at a time
 * (instead of a memchr for the line and two for every field). Only the
 * common case: a data row of exactly ncols fields whose newline is already
 * in the buffer. Anything else (a directive, a header, a line crossing the
 * end of the buffer or of the file, a wrong field count) returns false
 * having changed nothing, and the general path reads the line and says
 * what is wrong with it. */
bool SPLIT(cu__tsv_fast_row)(cu_reader *r)
{
    char *line = r->buf + r->pos, *dec;
    size_t avail = r->end - r->pos, n = r->ncols, off = 0, ntab = 0, nbs = 0;
    size_t len; /* of the line, without its newline (and CR) */
    const size_t *bs_next;
    if (r->need_header || r->section_ended || n == 0 || avail == 0 ||
        line[0] == '#')
        return false;
    need_fields(r, n);
    if (r->tab_cap < n + CHUNK)
        r->tab_at = cu_xgrow(r->tab_at, &r->tab_cap, n + CHUNK,
                             sizeof *r->tab_at);
    for (;; off += CHUNK) {
        uint64_t tabs, nls, bss;
        if (avail - off < CHUNK) {
            /* the tail of the buffer: give the line to next_line, which
             * reads more */
            return false;
        }
        SPLIT(classify)(line + off, &tabs, &nls, &bss);
        if (nls) {
            uint64_t before = (nls & -nls) - 1; /* bytes before the newline */
            tabs &= before;
            bss &= before;
        }
        if (bss) {
            if (r->bs_cap < nbs + CHUNK + 1)
                r->bs_at = cu_xgrow(r->bs_at, &r->bs_cap, nbs + CHUNK + 1,
                                    sizeof *r->bs_at);
            nbs = SPLIT(offsets_of)(r->bs_at, nbs, bss, off);
        }
        if (tabs) { /* a long text has chunks without one */
            ntab = SPLIT(offsets_of)(r->tab_at, ntab, tabs, off);
            if (ntab > n - 1)
                return false; /* too many fields */
        }
        if (nls) {
            len = off + bit_offset(nls);
            break;
        }
    }
    if (ntab != n - 1)
        return false; /* too few fields */
    /* the row is good: consume the line, then decode its fields */
    r->pos += len + 1;
    r->lineno++;
    r->row_line = r->lineno;
    if (len > 0 && line[len - 1] == '\r' && r->crlf) {
        len--; /* CRLF: the CR was classified with the backslashes */
        nbs--;
    }
    r->tab_at[n - 1] = len;
    if (nbs) {
        need_dec(r, len);
        bs_next = r->bs_at;
        r->bs_at[nbs] = SIZE_MAX; /* a sentinel past every field */
    } else {
        static const size_t none = SIZE_MAX;
        bs_next = &none;
    }
    dec = r->dec;
    if (r->skipping && (!nbs || escapes_plain(line, len, r->bs_at, nbs))) {
        /* only the fields asked for (cu_reader_only) */
        for (size_t k = 0; k < r->nwanted; k++) {
            size_t i = r->wanted[k], start = i ? r->tab_at[i - 1] + 1 : 0;
            while (*bs_next < start) /* in fields not asked for */
                bs_next++;
            tsv_fast_field(r, i, line, start, r->tab_at[i], &bs_next, &dec);
        }
        return true;
    }
    for (size_t i = 0, start = 0; i < n; i++) {
        tsv_fast_field(r, i, line, start, r->tab_at[i], &bs_next, &dec);
        start = r->tab_at[i] + 1;
    }
    if (r->skipping) /* as the selective path leaves them */
        mark_unread(r);
    return true;
}


/* Stream writer: TSV, JSONS and CSV through one block buffer, optionally
 * compressed (lib/compress: zstd or gzip), every write(2) checked. */
#include "config.h"

#include "number.h"
#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "compress.h"
#include "error.h"

struct cu_writer {
    int fd;
    bool own_fd;
    char *name;
    enum cu_format fmt;
    unsigned flags;

    char *buf; /* CU_WRITER_BUFSZ bytes, len used */
    size_t len;

    cu_encoder *enc; /* NULL: not compressed */

    /* current section */
    bool in_section;
    char *table;
    char **cols;
    size_t ncols;
    char *row_open;     /* JSONS: `{` or `{"_table":"..."` */
    size_t row_open_len;
    char **keys;        /* JSONS: `"col":` per column */
    size_t *key_lens;
    size_t field;       /* fields written in the current row */
    size_t tsv_fast;    /* TSV in a section: ncols - 1, else 0 (the fields
                           1..ncols-1 may take the fast path) */
    bool trailers;      /* #cu, #end, #eof (TSV, JSONS) */
    bool announced;     /* #cu written */
    uint64_t section_rows0; /* rows before the current section */

    uint64_t rows, bytes, bytes_out, invalid_utf8;
};

/* ---- the end of the line: write(2), EPIPE, errors ---- */

/* The reader went away: end as if the write had been killed by SIGPIPE,
 * whatever the parent did with the signal, and say nothing. */
static _Noreturn void die_of_sigpipe(void)
{
    sigset_t set;
    signal(SIGPIPE, SIG_DFL);
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(SIGPIPE);
    _exit(128 + SIGPIPE);
}

static _Noreturn void die_write(const cu_writer *w, int err)
{
    if (err == EPIPE)
        die_of_sigpipe();
    cu_die_errno(CU_EXIT_DATA, err, "%s: write error", w->name);
}

static void write_all(cu_writer *w, const void *p, size_t n)
{
    const char *s = p;
    while (n > 0) {
        ssize_t k = write(w->fd, s, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                /* a descriptor left non-blocking by whoever gave it to
                 * us: wait until it takes more */
                struct pollfd pfd = {.fd = w->fd, .events = POLLOUT};
                if (poll(&pfd, 1, -1) >= 0 || errno == EINTR)
                    continue;
            }
            die_write(w, errno);
        }
        if (k == 0)
            die_write(w, EIO);
        s += k;
        n -= (size_t)k;
        w->bytes_out += (uint64_t)k;
    }
}

static void write_compressed(void *w, const void *p, size_t n)
{
    write_all(w, p, n);
}

static void flush_buffer(cu_writer *w, enum cu_encode_mode mode)
{
    if (w->enc)
        cu_encoder_put(w->enc, w->buf, w->len, mode, write_compressed, w);
    else if (w->len)
        write_all(w, w->buf, w->len);
    w->len = 0;
}

/* ---- the buffer ---- */

static void put(cu_writer *w, const void *p, size_t n)
{
    const char *s = p;
    w->bytes += n;
    while (n > 0) {
        size_t room = CU_WRITER_BUFSZ - w->len, k;
        if (room == 0) {
            flush_buffer(w, CU_ENCODE_MORE);
            room = CU_WRITER_BUFSZ;
        }
        k = n < room ? n : room;
        memcpy(w->buf + w->len, s, k);
        w->len += k;
        s += k;
        n -= k;
    }
}

static inline void putch(cu_writer *w, char c)
{
    if (w->len == CU_WRITER_BUFSZ)
        flush_buffer(w, CU_ENCODE_MORE);
    w->buf[w->len++] = c;
    w->bytes++;
}

static inline void put2(cu_writer *w, char a, char b)
{
    putch(w, a);
    putch(w, b);
}

static void puts_(cu_writer *w, const char *s) { put(w, s, strlen(s)); }

/* ---- TSV ---- */

/* The escape letter of a byte that TSV escapes, else 0. */
static const char tsv_escape_letter[256] = {
    ['\\'] = '\\', ['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r'};

static inline char tsv_escape_of(unsigned char c)
{
    return tsv_escape_letter[c];
}

/* Eight bytes at a time (SWAR): nonzero iff the word holds a byte that TSV
 * escapes; its lowest set bit is in the first such byte (bit 7 of it) once
 * the word is read in little-endian order. */
#define ONES UINT64_C(0x0101010101010101)
#define LOW7 UINT64_C(0x7f7f7f7f7f7f7f7f)
#define HIGH UINT64_C(0x8080808080808080)

static inline uint64_t bytes_equal(uint64_t v, unsigned char c)
{
    uint64_t x = v ^ (ONES * c);
    return ~(((x & LOW7) + LOW7) | x) & HIGH; /* exact, no borrows */
}

static inline uint64_t tsv_specials(uint64_t v)
{
    return bytes_equal(v, '\\') | bytes_equal(v, '\t') |
           bytes_equal(v, '\n') | bytes_equal(v, '\r');
}

static inline uint64_t load_le64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

/* Escape s[0..len) into out, which has room for 2 * len + ESCAPE_SLACK
 * bytes (every byte escaped, and one word more); returns the end. Clean
 * runs go eight bytes at a time: each word is stored whole (the room
 * allows it) and the output advances past its clean prefix only. The last
 * few bytes of a string of eight or more are read as the word that ends the
 * string (overlapping bytes already done): ids of 36 bytes would otherwise
 * end with a byte at a time. */
enum { ESCAPE_SLACK = 8 };

static char *tsv_escape_into(char *out, const char *s, size_t len)
{
    const char *end = s + len;
    while (end - s >= 8) {
        uint64_t v = load_le64(s), m = tsv_specials(v);
        size_t k;
        memcpy(out, s, 8);
        if (!m) {
            out += 8;
            s += 8;
            continue;
        }
        k = (size_t)(__builtin_ctzll(m) >> 3);
        out += k;
        s += k;
        *out++ = '\\';
        *out++ = tsv_escape_of((unsigned char)*s++);
    }
    if (s < end && len >= 8) {
        size_t done = (size_t)(8 - (end - s)); /* bytes of the word before s */
        uint64_t v = load_le64(end - 8) >> (8 * done);
        if (!tsv_specials(v)) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            v = __builtin_bswap64(v);
#endif
            memcpy(out, &v, 8); /* the tail, then zeros within the slack */
            return out + (end - s);
        }
    }
    for (; s < end; s++) {
        char e = tsv_escape_of((unsigned char)*s);
        if (e) {
            *out++ = '\\';
            *out++ = e;
        } else
            *out++ = *s;
    }
    return out;
}

/* at_line_start: the field begins a line, where a `#` would read as a
 * directive. */
static void tsv_str(cu_writer *w, const char *s, size_t len,
                    bool at_line_start)
{
    const char *run = s, *end = s + len;
    if (at_line_start && len > 0 && s[0] == '#') {
        put2(w, '\\', '#');
        run = ++s;
        len--;
    }
    if (len + ESCAPE_SLACK / 2 <= (CU_WRITER_BUFSZ - w->len) / 2) {
        /* fits even if every byte needs an escape: straight into the
         * buffer */
        char *o = w->buf + w->len, *e = tsv_escape_into(o, s, len);
        w->len += (size_t)(e - o);
        w->bytes += (size_t)(e - o);
        return;
    }
    for (; s < end; s++) {
        char e = tsv_escape_of((unsigned char)*s);
        if (e) {
            put(w, run, (size_t)(s - run));
            put2(w, '\\', e);
            run = s + 1;
        }
    }
    put(w, run, (size_t)(end - run));
}

size_t cu_tsv_escape(const char *s, size_t len, char *out, size_t cap)
{
    size_t need = 0;
    if (!s) {
        if (cap >= 2)
            memcpy(out, "\\N", 2);
        return 2;
    }
    for (size_t i = 0; i < len; i++)
        need += tsv_escape_of((unsigned char)s[i]) ? 2 : 1;
    if (need > cap)
        return need;
    for (size_t i = 0; i < len; i++) {
        char e = tsv_escape_of((unsigned char)s[i]);
        if (e) {
            *out++ = '\\';
            *out++ = e;
        } else
            *out++ = s[i];
    }
    return need;
}

/* ---- JSON strings ---- */

/* Length of the valid UTF-8 sequence at s[0..n) (s[0] >= 0x80), or, when
 * it is invalid, minus the length of its maximal invalid subpart (>= 1):
 * the bytes one U+FFFD replaces (Unicode 3.9, "best practice"). */
static long utf8_sequence(const unsigned char *s, size_t n)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t need, i;
    if (c >= 0xC2 && c <= 0xDF)
        need = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* beyond U+10FFFF */
    } else
        return -1;
    for (i = 1; i <= need; i++) {
        if (i >= n || s[i] < lo || s[i] > hi)
            return -(long)i;
        lo = 0x80;
        hi = 0xBF;
    }
    return (long)i;
}

static void json_escape_byte(cu_writer *w, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
    switch (c) {
    case '"': put2(w, '\\', '"'); break;
    case '\\': put2(w, '\\', '\\'); break;
    case '\n': put2(w, '\\', 'n'); break;
    case '\t': put2(w, '\\', 't'); break;
    case '\r': put2(w, '\\', 'r'); break;
    case '\b': put2(w, '\\', 'b'); break;
    case '\f': put2(w, '\\', 'f'); break;
    default: put(w, u, sizeof u);
    }
}

static void note_invalid_utf8(cu_writer *w)
{
    if (w->invalid_utf8++ == 0)
        cu_warn("%s: row %" PRIu64 ": invalid UTF-8 written as U+FFFD "
                "(JSON cannot carry it; --tsv keeps the bytes)",
                w->name, w->rows + 1);
}

/* The string body, quotes included. Returns whether it had to replace
 * invalid UTF-8. */
static bool json_quoted(cu_writer *w, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + len;
    const unsigned char *run = s;
    bool replaced = false;
    putch(w, '"');
    while (s < end) {
        unsigned char c = *s;
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
            s++;
            continue;
        }
        if (c >= 0x80) {
            long k = utf8_sequence(s, (size_t)(end - s));
            if (k > 0) {
                s += k;
                continue;
            }
            put(w, run, (size_t)(s - run));
            put(w, "\xEF\xBF\xBD", 3);
            replaced = true;
            s += -k;
        } else {
            put(w, run, (size_t)(s - run));
            json_escape_byte(w, c);
            s++;
        }
        run = s;
    }
    put(w, run, (size_t)(end - run));
    putch(w, '"');
    return replaced;
}

static void json_str(cu_writer *w, const char *s, size_t len)
{
    if (json_quoted(w, s, len))
        note_invalid_utf8(w);
}

/* JSON text `"s"` (escaped) in a fresh string, for keys and the table. */
static char *json_quote_alloc(const char *s, size_t *outlen)
{
    /* Reuse the escaper through a scratch writer on no descriptor: the
     * names are short and never reach the buffer's end. */
    cu_writer scratch = {.fd = -1, .name = (char *)"(json key)"};
    size_t n = strlen(s);
    char *out;
    scratch.buf = cu_xmalloc(CU_WRITER_BUFSZ);
    if (n * 6 + 2 > CU_WRITER_BUFSZ)
        cu_die(CU_EXIT_DATA, "name too long for JSON output: '%.40s...'", s);
    if (json_quoted(&scratch, s, n))
        cu_warn("invalid UTF-8 in the name '%s' written as U+FFFD", s);
    out = cu_xstrndup(scratch.buf, scratch.len);
    *outlen = scratch.len;
    free(scratch.buf);
    return out;
}

/* RFC 8259 number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool is_json_number(const char *s, size_t len)
{
    size_t i = 0, d;
    if (i < len && s[i] == '-')
        i++;
    if (i < len && s[i] == '0')
        i++;
    else if (i < len && s[i] >= '1' && s[i] <= '9')
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    else
        return false;
    if (i < len && s[i] == '.') {
        for (d = ++i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            ;
        if (i == d)
            return false;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        for (d = i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            ;
        if (i == d)
            return false;
    }
    return i == len;
}

/* ---- CSV ---- */

static bool csv_needs_quotes(const char *s, size_t len)
{
    if (len == 0)
        return true; /* "" is the empty string; nothing at all is NULL */
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return true;
    return false;
}

static void csv_str(cu_writer *w, const char *s, size_t len)
{
    const char *run = s, *end = s + len;
    if (!csv_needs_quotes(s, len)) {
        put(w, s, len);
        return;
    }
    putch(w, '"');
    for (; s < end; s++)
        if (*s == '"') {
            put(w, run, (size_t)(s + 1 - run)); /* the quote itself... */
            run = s;                            /* ...and once again */
        }
    put(w, run, (size_t)(end - run));
    putch(w, '"');
}

/* ---- rows ---- */

static const char *table_for_messages(const cu_writer *w)
{
    return w->table ? w->table : "(unnamed)";
}

/* Start field number w->field: the separator (and JSON key) before it. */
static void begin_field(cu_writer *w)
{
    if (!w->in_section)
        cu_die(CU_EXIT_DATA, "%s: program error: field written before any "
               "section", w->name);
    if (w->field >= w->ncols)
        cu_die(CU_EXIT_DATA, "%s: program error: row %" PRIu64 " of "
               "section %s has more fields than its %zu columns",
               w->name, w->rows + 1, table_for_messages(w), w->ncols);
    switch (w->fmt) {
    case CU_FMT_JSONS:
        if (w->field == 0)
            put(w, w->row_open, w->row_open_len);
        if (w->field > 0 || w->table)
            putch(w, ',');
        put(w, w->keys[w->field], w->key_lens[w->field]);
        break;
    case CU_FMT_CSV:
        if (w->field > 0)
            putch(w, ',');
        break;
    default:
        if (w->field > 0)
            putch(w, '\t');
    }
}

static void end_field(cu_writer *w) { w->field++; }

/* The common case, a TSV field that does not begin its row, skips the
 * general path when the buffer has room: the tab and the bytes go straight
 * in. tsv_fast_begin returns where the bytes go, or NULL. */
static inline char *tsv_fast_begin(cu_writer *w, size_t room)
{
    /* field 0 wraps around to SIZE_MAX */
    if (w->field - 1 >= w->tsv_fast || CU_WRITER_BUFSZ - w->len <= room)
        return NULL;
    char *o = w->buf + w->len;
    *o = '\t';
    return o + 1;
}

static inline void tsv_fast_end(cu_writer *w, const char *end)
{
    size_t n = (size_t)(end - (w->buf + w->len));
    w->len += n;
    w->bytes += n;
    w->field++;
}

void cu_writer_null(cu_writer *w)
{
    char *o = tsv_fast_begin(w, 2);
    if (o) {
        o[0] = '\\';
        o[1] = 'N';
        tsv_fast_end(w, o + 2);
        return;
    }
    begin_field(w);
    if (w->fmt == CU_FMT_JSONS)
        put(w, "null", 4);
    else if (w->fmt != CU_FMT_CSV)
        put2(w, '\\', 'N');
    end_field(w);
}

void cu_writer_str(cu_writer *w, const char *s, size_t len)
{
    char *o = len <= CU_WRITER_BUFSZ / 4
                  ? tsv_fast_begin(w, 2 * len + ESCAPE_SLACK)
                  : NULL;
    if (o) {
        tsv_fast_end(w, tsv_escape_into(o, s, len));
        return;
    }
    begin_field(w);
    if (w->fmt == CU_FMT_JSONS)
        json_str(w, s, len);
    else if (w->fmt == CU_FMT_CSV)
        csv_str(w, s, len);
    else
        tsv_str(w, s, len, w->field == 0);
    end_field(w);
}

void cu_writer_plain(cu_writer *w, const char *s, size_t len)
{
    char *o = len <= CU_WRITER_BUFSZ / 4 ? tsv_fast_begin(w, len) : NULL;
    if (o) {
        memcpy(o, s, len);
        tsv_fast_end(w, o + len);
        return;
    }
    cu_writer_str(w, s, len);
}

void cu_writer_cstr(cu_writer *w, const char *s)
{
    if (s)
        cu_writer_str(w, s, strlen(s));
    else
        cu_writer_null(w);
}

/* Text that needs no escaping in any format (digits, signs, letters). */
static void bare(cu_writer *w, const char *s, size_t len)
{
    char *o = tsv_fast_begin(w, len);
    if (o) {
        memcpy(o, s, len);
        tsv_fast_end(w, o + len);
        return;
    }
    begin_field(w);
    put(w, s, len);
    end_field(w);
}

void cu_writer_num(cu_writer *w, const char *s, size_t len)
{
    if (w->fmt != CU_FMT_JSONS) {
        cu_writer_str(w, s, len);
        return;
    }
    if (!is_json_number(s, len)) {
        const char *col = w->field < w->ncols ? w->cols[w->field] : "?";
        cu_die_at(w->name, 0, w->field + 1, col, s, len,
                  "row %" PRIu64 ": not a JSON number", w->rows + 1);
    }
    bare(w, s, len);
}

void cu_writer_int(cu_writer *w, int64_t v)
{
    char buf[CU_NUMBER_BUFSZ];
    bare(w, buf, cu_format_int(v, buf));
}

void cu_writer_double(cu_writer *w, double v)
{
    char buf[CU_NUMBER_BUFSZ];
    if (!isfinite(v)) {
        cu_writer_null(w);
        return;
    }
    bare(w, buf, cu_format_double(v, buf));
}

void cu_writer_bool(cu_writer *w, bool v)
{
    if (v)
        bare(w, "true", 4);
    else
        bare(w, "false", 5);
}

void cu_writer_time(cu_writer *w, cu_time t)
{
    char buf[CU_TIME_BUFSZ + 2];
    size_t n;
    if (t == CU_TIME_NULL) {
        cu_writer_null(w);
        return;
    }
    n = cu_time_format(t, buf + 1);
    if (w->fmt == CU_FMT_JSONS) {
        buf[0] = '"';
        buf[n + 1] = '"';
        bare(w, buf, n + 2);
    } else
        bare(w, buf + 1, n);
}

void cu_writer_field(cu_writer *w, const cu_field *f)
{
    switch (f->type) {
    case CU_VAL_NULL:
        cu_writer_null(w);
        break;
    case CU_VAL_NUMBER:
        cu_writer_num(w, f->s, f->len);
        break;
    case CU_VAL_BOOL:
        if (w->fmt == CU_FMT_JSONS)
            bare(w, f->s, f->len);
        else
            cu_writer_str(w, f->s, f->len);
        break;
    default:
        cu_writer_str(w, f->s, f->len);
    }
}

void cu_writer_raw(cu_writer *w, const char *raw, size_t len)
{
    if (w->fmt == CU_FMT_CSV) {
        cu_writer_str(w, raw, len);
        return;
    }
    begin_field(w);
    if (w->fmt == CU_FMT_TSV && w->field == 0 && len > 0 && raw[0] == '#') {
        put2(w, '\\', '#'); /* never let a row look like a directive */
        raw++;
        len--;
    }
    put(w, raw, len);
    end_field(w);
}

void cu_writer_end_row(cu_writer *w)
{
    if (!w->in_section)
        cu_die(CU_EXIT_DATA, "%s: program error: row ended before any "
               "section", w->name);
    if (w->field != w->ncols)
        cu_die(CU_EXIT_DATA, "%s: program error: row %" PRIu64 " of "
               "section %s has %zu fields for %zu columns", w->name,
               w->rows + 1, table_for_messages(w), w->field, w->ncols);
    switch (w->fmt) {
    case CU_FMT_JSONS:
        if (w->ncols == 0)
            put(w, w->row_open, w->row_open_len);
        put2(w, '}', '\n');
        break;
    case CU_FMT_CSV:
        put2(w, '\r', '\n');
        break;
    default:
        putch(w, '\n');
    }
    w->field = 0;
    w->rows++;
    if (w->flags & CU_WRITE_LINE_BUFFERED)
        cu_writer_flush(w);
}

char *cu_writer_tsv_row(cu_writer *w, size_t max)
{
    if (w->fmt != CU_FMT_TSV || !w->in_section || w->field != 0 ||
        max > CU_WRITER_BUFSZ / 4)
        return NULL;
    if (CU_WRITER_BUFSZ - w->len < max)
        flush_buffer(w, CU_ENCODE_MORE);
    return w->buf + w->len;
}

void cu_writer_tsv_row_end(cu_writer *w, const char *end)
{
    size_t n = (size_t)(end - (w->buf + w->len));
    w->len += n;
    w->bytes += n;
    w->rows++;
    if (w->flags & CU_WRITE_LINE_BUFFERED)
        cu_writer_flush(w);
}

/* ---- sections ---- */

static void free_section(cu_writer *w)
{
    for (size_t i = 0; i < w->ncols; i++) {
        free(w->cols[i]);
        if (w->keys)
            free(w->keys[i]);
    }
    cu_free_all(w->cols, w->keys, w->key_lens, w->table, w->row_open);
    w->cols = w->keys = NULL;
    w->key_lens = NULL;
    w->table = w->row_open = NULL;
    w->ncols = 0;
}

static bool same_section(const cu_writer *w, const char *table,
                         const char *const *cols, size_t ncols)
{
    if (!w->in_section || ncols != w->ncols)
        return false;
    if ((table == NULL) != (w->table == NULL) ||
        (table && strcmp(table, w->table) != 0))
        return false;
    for (size_t i = 0; i < ncols; i++)
        if (strcmp(cols[i], w->cols[i]) != 0)
            return false;
    return true;
}

static void prepare_json_keys(cu_writer *w)
{
    size_t n;
    w->keys = cu_xcalloc(w->ncols ? w->ncols : 1, sizeof *w->keys);
    w->key_lens = cu_xcalloc(w->ncols ? w->ncols : 1, sizeof *w->key_lens);
    for (size_t i = 0; i < w->ncols; i++) {
        char *q;
        if (strcmp(w->cols[i], "_table") == 0)
            cu_die(CU_EXIT_DATA, "%s: a column named _table cannot be "
                   "written as JSONS (it is the section key)", w->name);
        q = json_quote_alloc(w->cols[i], &n);
        w->keys[i] = cu_xmalloc(n + 2);
        memcpy(w->keys[i], q, n);
        w->keys[i][n] = ':';
        w->keys[i][n + 1] = '\0';
        w->key_lens[i] = n + 1;
        free(q);
    }
    if (w->table) {
        char *q = json_quote_alloc(w->table, &n);
        w->row_open_len = strlen("{\"_table\":") + n;
        w->row_open = cu_xmalloc(w->row_open_len + 1);
        snprintf(w->row_open, w->row_open_len + 1, "{\"_table\":%s", q);
        free(q);
    } else {
        w->row_open = cu_xstrdup("{");
        w->row_open_len = 1;
    }
}

/* ---- trailers ---- */

static void announce(cu_writer *w)
{
    if (!w->trailers || w->announced)
        return;
    w->announced = true;
    puts_(w, w->fmt == CU_FMT_JSONS ? "{\"_cu\":1}\n" : "#cu\t1\n");
}

/* The JSONS opening of an object about the current or a named table. */
static void json_table_key(cu_writer *w, const char *table)
{
    putch(w, '{');
    if (table) {
        puts_(w, "\"_table\":");
        json_str(w, table, strlen(table));
        putch(w, ',');
    }
}

static void end_section(cu_writer *w)
{
    if (!w->trailers || !w->in_section)
        return;
    char num[CU_NUMBER_BUFSZ];
    size_t n = cu_format_int((int64_t)(w->rows - w->section_rows0), num);
    if (w->fmt == CU_FMT_JSONS) {
        json_table_key(w, w->table);
        puts_(w, "\"_end\":");
        put(w, num, n);
        put2(w, '}', '\n');
    } else {
        puts_(w, "#end\t");
        put(w, num, n);
        putch(w, '\n');
    }
}

void cu_writer_table_status(cu_writer *w, const char *table,
                            const char *status)
{
    if (w->field != 0)
        cu_die(CU_EXIT_DATA, "%s: program error: a table status inside a "
               "row", w->name);
    if (w->fmt == CU_FMT_CSV)
        cu_usage_error("%s: CSV cannot say that table %s is %s: use --tsv "
                       "or --jsons", w->name, table, status);
    announce(w);
    if (w->fmt == CU_FMT_JSONS) {
        json_table_key(w, table);
        puts_(w, "\"_status\":");
        json_str(w, status, strlen(status));
        put2(w, '}', '\n');
    } else {
        puts_(w, "#status\t");
        tsv_str(w, table, strlen(table), false);
        putch(w, '\t');
        tsv_str(w, status, strlen(status), false);
        putch(w, '\n');
    }
}

static void write_header(cu_writer *w)
{
    if (w->fmt == CU_FMT_CSV) {
        for (size_t i = 0; i < w->ncols; i++) {
            if (i)
                putch(w, ',');
            csv_str(w, w->cols[i], strlen(w->cols[i]));
        }
        put2(w, '\r', '\n');
        return;
    }
    if (w->table) {
        puts_(w, "#table\t");
        tsv_str(w, w->table, strlen(w->table), false);
        putch(w, '\n');
    }
    for (size_t i = 0; i < w->ncols; i++) {
        if (i)
            putch(w, '\t');
        tsv_str(w, w->cols[i], strlen(w->cols[i]), i == 0);
    }
    putch(w, '\n');
}

void cu_writer_section(cu_writer *w, const char *table,
                       const char *const *cols, size_t ncols)
{
    if (w->field != 0)
        cu_die(CU_EXIT_DATA, "%s: program error: new section %s while a "
               "row is open", w->name, table ? table : "(unnamed)");
    if (same_section(w, table, cols, ncols))
        return;
    if (w->in_section) {
        if (w->fmt == CU_FMT_CSV)
            cu_usage_error("%s: CSV output holds one table, but a second "
                           "section %s follows %s: use --tsv or --jsons",
                           w->name, table ? table : "(unnamed)",
                           table_for_messages(w));
        if (!table)
            cu_die(CU_EXIT_DATA, "%s: an unnamed section with other columns "
                   "cannot follow section %s (a reader could not tell where "
                   "it starts)", w->name, table_for_messages(w));
    }
    announce(w);
    end_section(w);
    free_section(w);
    w->section_rows0 = w->rows;
    w->table = table ? cu_xstrdup(table) : NULL;
    w->cols = cu_xcalloc(ncols ? ncols : 1, sizeof *w->cols);
    for (size_t i = 0; i < ncols; i++)
        w->cols[i] = cu_xstrdup(cols[i]);
    w->ncols = ncols;
    w->in_section = true;
    w->tsv_fast = w->fmt == CU_FMT_TSV && ncols > 0 ? ncols - 1 : 0;
    if (w->fmt == CU_FMT_JSONS)
        prepare_json_keys(w);
    else {
        write_header(w);
        if (!w->enc)
            cu_writer_flush(w);
    }
}

/* ---- opening, flushing, closing ---- */

static cu_writer *writer_new(int fd, bool own_fd, const char *name,
                             enum cu_format fmt, unsigned flags)
{
    cu_writer *w = cu_xcalloc(1, sizeof *w);
    w->fd = fd;
    w->own_fd = own_fd;
    w->name = cu_xstrdup(name);
    w->fmt = fmt == CU_FMT_AUTO ? CU_FMT_TSV : fmt;
    w->flags = flags;
    w->trailers = w->fmt != CU_FMT_CSV && !(flags & CU_WRITE_NO_TRAILERS);
    w->buf = cu_xmalloc(CU_WRITER_BUFSZ);
    if (flags & (CU_WRITE_GZIP | CU_WRITE_ZSTD))
        w->enc = cu_encoder_new(flags & CU_WRITE_ZSTD ? CU_COMPRESS_ZSTD
                                                      : CU_COMPRESS_GZIP,
                                w->name);
    return w;
}

cu_writer *cu_writer_fdopen(int fd, const char *name, enum cu_format fmt,
                            unsigned flags)
{
    return writer_new(fd, false, name, fmt, flags);
}

cu_writer *cu_writer_open_path(const char *path, enum cu_format fmt,
                               unsigned flags)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        cu_die_errno(CU_EXIT_DATA, errno, "%s: cannot open for writing",
                     path);
    return writer_new(fd, true, path, fmt, flags);
}

void cu_writer_flush(cu_writer *w)
{
    flush_buffer(w, CU_ENCODE_FLUSH);
}

void cu_writer_close(cu_writer *w)
{
    cu_writer_close_counted(w, NULL);
}

void cu_writer_close_counted(cu_writer *w, struct cu_write_counts *c)
{
    if (!w)
        return;
    if (w->field != 0)
        cu_die(CU_EXIT_DATA, "%s: program error: closed in the middle of "
               "row %" PRIu64, w->name, w->rows + 1);
    if (w->trailers) {
        announce(w);
        end_section(w);
        puts_(w, w->fmt == CU_FMT_JSONS ? "{\"_eof\":true}\n" : "#eof\n");
    }
    flush_buffer(w, CU_ENCODE_END);
    cu_encoder_free(w->enc);
    /* A file the writer created is on disk before it is closed, so that a
       caller's rename() into place never publishes a file a crash could
       still empty (EINVAL: pipes and devices have nothing to sync). */
    if (w->own_fd && fsync(w->fd) != 0 && errno != EINVAL && errno != EROFS)
        die_write(w, errno);
    if (w->own_fd && close(w->fd) != 0)
        die_write(w, errno);
    if (w->invalid_utf8 > 1)
        cu_warn("%s: %" PRIu64 " strings with invalid UTF-8 written with "
                "U+FFFD", w->name, w->invalid_utf8);
    if (c)
        *c = (struct cu_write_counts){w->rows, w->bytes, w->bytes_out};
    free_section(w);
    cu_free_all(w->buf, w->name, w);
}

unsigned cu_write_compress_flag(enum cu_compress c)
{
    return c == CU_COMPRESS_ZSTD   ? CU_WRITE_ZSTD
           : c == CU_COMPRESS_GZIP ? CU_WRITE_GZIP
                                   : 0;
}

uint64_t cu_writer_bytes(const cu_writer *w) { return w->bytes; }
const char *cu_writer_name(const cu_writer *w) { return w->name; }
uint64_t cu_writer_rows(const cu_writer *w) { return w->rows; }
uint64_t cu_writer_bytes_out(const cu_writer *w) { return w->bytes_out; }
uint64_t cu_writer_invalid_utf8(const cu_writer *w)
{
    return w->invalid_utf8;
}

/* ---- stdout, as coreutils' close_stdout does it ---- */

/* What a tool wrote to stderr on purpose (--stats, a summary) is output
 * too: a write that failed there (a full disk behind 2>file) must not end
 * in exit 0. Nothing can be said about it on stderr itself. */
static void close_stderr_checked(void)
{
    if (fflush(stderr) != 0 || ferror(stderr))
        _exit(CU_EXIT_DATA);
}

void cu_close_stdout(void)
{
    static bool done;
    bool had_error, pending, close_failed;
    int err;
    if (done)
        return;
    done = true;
    close_stderr_checked();
    had_error = ferror(stdout) != 0;
    pending = __fpending(stdout) != 0;
    errno = 0;
    close_failed = fclose(stdout) != 0;
    err = errno;
    /* A stdout that was closed before we ran, with nothing to write, is
     * not an error. */
    if (close_failed && err == EBADF && !pending && !had_error)
        return;
    if (!close_failed && !had_error)
        return;
    if (err == EPIPE)
        die_of_sigpipe();
    if (close_failed && err)
        fprintf(stderr, "%s: (stdout): write error: %s\n", cu_program_name(),
                strerror(err));
    else
        fprintf(stderr, "%s: (stdout): write error\n", cu_program_name());
    _exit(CU_EXIT_DATA);
}

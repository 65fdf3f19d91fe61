/* Reading cu streams (see stream.h and cu(7)).
 *
 * Bytes come from read(2), or through lib/compress when a file starts with
 * the gzip or zstd magic; they land in one growing block buffer, and lines
 * are handed out as views into it. TSV fields without a backslash stay where
 * they are (their terminating tab or newline is overwritten with a NUL);
 * escaped TSV fields and every JSONS string are decoded into a second
 * reusable buffer at least as long as the line, since decoding never makes
 * a value longer. So once both buffers have grown to the longest line, a
 * row costs no allocation. A TSV data row lying whole in the buffer is split
 * in one SSE2 pass (tsv_fast_row); every other line, and every line with
 * something wrong, goes through the line-at-a-time path. CSV goes through
 * libcsv, whose callbacks copy the fields into a queue of records that is
 * reused the same way. */
#include "config.h"

#include "stream.h"

#include "cutime.h"
#include "archive.h"
#include "compress.h"
#include "error.h"
#include "hex.h"
#include "intern.h"
#include "json.h"
#include "hmac.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stream-impl.h"

/* Internal outcome of reading one file: its rows, or its end. */
enum { FILE_DONE = -1 };

static const char *const stdin_name = "(stdin)";

/* ---- messages ---------------------------------------------------------- */

__attribute__((__noreturn__, format(printf, 3, 4)))
static void die_line(const cu_reader *r, unsigned long line, const char *fmt,
                     ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cu_die_at(r->filename, line, 0, NULL, NULL, 0, "%s", msg);
}

__attribute__((__noreturn__, format(printf, 7, 8)))
static void die_value(const cu_reader *r, unsigned long line, size_t field,
                      const char *name, const char *value, size_t len,
                      const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cu_die_at(r->filename, line, field, name, value, len, "%s", msg);
}

/* A column's name for messages: the header is not a section yet. */
static const char *name_for(const cu_reader *r, size_t i)
{
    return !r->need_header && i < r->ncols ? r->cols[i] : NULL;
}

/* ---- bytes in ---------------------------------------------------------- */

static size_t read_raw(cu_reader *r, void *dst, size_t len)
{
    for (;;) {
        ssize_t n = read(r->fd, dst, len);
        if (n >= 0) {
            if (r->sha)
                cu_sha256_add(r->sha, dst, (size_t)n);
            return (size_t)n;
        }
        if (errno != EINTR)
            cu_die_errno(CU_EXIT_DATA, errno, "%s: read error", r->filename);
    }
}

static void refill_zin(cu_reader *r)
{
    size_t n = read_raw(r, r->zin, ZIN_SIZE);
    if (n == 0)
        r->in_eof = true;
    r->znext = r->zin;
    r->zavail = n;
}

/* Decompress into dst[0..len); 0 only after the last member ended. The end
 * of the file inside a member is an error, not a short read; members may
 * follow one another (as `cat a.gz b.gz` or `cat a.zst b.zst` make). */
static size_t read_compressed(cu_reader *r, unsigned char *dst, size_t len)
{
    const char *what = cu_compress_name(r->compressed);
    for (;;) {
        size_t got = 0;
        const char *err = NULL;
        enum cu_decode_rc rc;
        if (r->zavail == 0 && !r->in_eof)
            refill_zin(r);
        if (r->member_done) {
            if (r->zavail == 0)
                return 0; /* in_eof: the file ends after a member */
            cu_decoder_start(r->unz, r->compressed);
            r->member_done = false;
        }
        rc = cu_decoder_run(r->unz, &r->znext, &r->zavail, dst, len, &got,
                            &err);
        if (rc == CU_DECODE_ERROR)
            die_line(r, r->lineno + 1,
                     "corrupt %s data while reading this line: %s", what,
                     err);
        if (rc == CU_DECODE_FRAME_END)
            r->member_done = true;
        if (got)
            return got;
        if (rc == CU_DECODE_OK && r->zavail == 0 && r->in_eof)
            die_line(r, r->lineno + 1,
                     "truncated %s file (unexpected end of file while "
                     "reading this line)", what);
    }
}

/* Append more bytes after buf[end), moving the unread part to the front
 * and growing the buffer when a line does not fit. One byte always stays
 * free after end, for the NUL that ends a last line without a newline. */
static void fill(cu_reader *r)
{
    size_t want, n;
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->end -= r->pos;
        r->pos = 0;
    }
    if (r->cap - r->end < READ_BLOCK + 1)
        r->buf = cu_xgrow(r->buf, &r->cap, r->end + READ_BLOCK + 1, 1);
    want = r->cap - r->end - 1;
    if (want > MAX_REQUEST)
        want = MAX_REQUEST;
    if (r->compressed != CU_COMPRESS_NONE)
        n = read_compressed(r, (unsigned char *)r->buf + r->end, want);
    else
        n = r->in_eof ? 0 : read_raw(r, r->buf + r->end, want);
    if (n == 0)
        r->eof = true;
    r->end += n;
}

/* The next physical line without its newline, or false at the end of the
 * file. The line stays valid, and may be written to (up to and including
 * line[len]), until the next call. */
static bool next_line(cu_reader *r, char **line, size_t *len)
{
    for (;;) {
        char *start = r->buf + r->pos;
        size_t avail = r->end - r->pos;
        char *nl = avail > r->scanned
                       ? memchr(start + r->scanned, '\n', avail - r->scanned)
                       : NULL;
        if (nl) {
            *line = start;
            *len = (size_t)(nl - start);
            r->pos += *len + 1;
            r->scanned = 0;
            r->lineno++;
            return true;
        }
        r->scanned = avail;
        if (r->eof) {
            if (avail == 0)
                return false;
            *line = start;
            *len = avail;
            r->pos = r->end;
            r->scanned = 0;
            r->lineno++;
            return true;
        }
        fill(r);
    }
}

static void strip_cr(const char *line, size_t *len)
{
    if (*len > 0 && line[*len - 1] == '\r')
        (*len)--;
}

/* A TSV line's end: the first line of a file says whether lines end in
 * CRLF; a CR before the LF of a file whose lines end in LF is a raw CR in
 * the last field, which the field's decoding refuses (as one anywhere
 * else), rather than a byte silently dropped. Directives are not data:
 * their CR always goes. */
static void tsv_line_end(cu_reader *r, const char *line, size_t *len)
{
    if (r->lineno == 1)
        r->crlf = *len > 0 && line[*len - 1] == '\r';
    if (r->crlf || (*len > 0 && line[0] == '#'))
        strip_cr(line, len);
}

/* ---- files ------------------------------------------------------------- */

static void reset_csv(cu_reader *r);

/* Open the next input, sniff its compression and (if asked) its format. */
static void open_input(cu_reader *r, const struct input *in)
{
    size_t have = 0;
    if (in->path) {
        r->fd = open(in->path, O_RDONLY | O_CLOEXEC);
        if (r->fd < 0)
            cu_die_errno(CU_EXIT_DATA, errno, "%s", in->name);
        r->close_fd = true;
    } else {
        r->fd = STDIN_FILENO;
        r->close_fd = false;
    }
    r->filename = in->name;
    r->file_open = true;
    r->trailers = r->eof_seen = r->section_ended = false;
    r->cu_line = 0;
    if (in->sha256)
        r->sha = cu_sha256_begin(); /* before the first byte is read */
    r->pos = r->end = r->scanned = 0;
    r->lineno = r->row_line = 0;
    r->crlf = false;
    r->eof = r->in_eof = false;
    r->compressed = CU_COMPRESS_NONE;
    r->member_done = false;

    if (!r->zin)
        r->zin = cu_xmalloc(ZIN_SIZE);
    while (have < 4) {
        size_t n = read_raw(r, r->zin + have, ZIN_SIZE - have);
        if (n == 0) {
            r->in_eof = true;
            break;
        }
        have += n;
    }
    /* the line buffer exists from here on, whatever the file holds: the
       splitters take pointers into it before the first fill */
    if (r->cap < have + READ_BLOCK + 1)
        r->buf = cu_xgrow(r->buf, &r->cap, have + READ_BLOCK + 1, 1);
    r->compressed = cu_compress_sniff(r->zin, have);
    if (r->compressed != CU_COMPRESS_NONE) {
        if (!r->unz)
            r->unz = cu_decoder_new();
        cu_decoder_start(r->unz, r->compressed);
        r->znext = r->zin;
        r->zavail = have;
    } else {
        memcpy(r->buf, r->zin, have);
        r->end = have;
        r->eof = r->in_eof;
    }

    r->fmt = in->detect ? CU_FMT_AUTO : r->want;
    if (r->fmt == CU_FMT_AUTO) {
        while (r->pos == r->end && !r->eof)
            fill(r);
        r->fmt = r->pos < r->end && r->buf[r->pos] == '{' ? CU_FMT_JSONS
                                                          : CU_FMT_TSV;
    }

    free(r->table);
    r->table = in->table ? cu_xstrdup(in->table) : NULL;
    r->file_table = in->table;
    r->need_header = true;
    r->directive_line = 0;
    r->pending_row = false;
    if (r->fmt == CU_FMT_CSV)
        reset_csv(r);
}

static void close_input(cu_reader *r)
{
    if (r->close_fd && close(r->fd) != 0)
        cu_die_errno(CU_EXIT_DATA, errno, "%s: close", r->filename);
    r->file_open = false;
    r->close_fd = false;
}

/* ---- the current section's columns ------------------------------------- */

static long find_col(const cu_reader *r, const char *s, size_t len)
{
    uint32_t id = r->col_ids ? cu_intern_find(r->col_ids, s, len)
                             : CU_INTERN_NONE;
    return id == CU_INTERN_NONE ? -1 : (long)r->col_of_id[id];
}

/* Make names[0..n) the columns. A repeated name keeps its first index in
 * the lookup table. The names may point into the line or decode buffers:
 * they are copied first. */
static void set_columns(cu_reader *r, size_t n, const char *const *names,
                        const size_t *lens)
{
    size_t total = 0, off = 0;
    for (size_t i = 0; i < n; i++)
        total += lens[i] + 1;
    r->names = cu_xgrow(r->names, &r->names_cap, total, 1);
    if (n > r->cols_cap) {
        size_t cap = r->cols_cap;
        r->cols = cu_xgrow(r->cols, &cap, n, sizeof *r->cols);
        r->col_len = cu_xrealloc(r->col_len, cap * sizeof *r->col_len);
        r->zero_warned =
            cu_xrealloc(r->zero_warned, cap * sizeof *r->zero_warned);
        r->seen = cu_xrealloc(r->seen, cap);
        r->cols_cap = cap;
    }
    if (n > r->fields_cap)
        r->fields = cu_xgrow(r->fields, &r->fields_cap, n, sizeof *r->fields);
    for (size_t i = 0; i < n; i++) {
        memcpy(r->names + off, names[i], lens[i]);
        r->names[off + lens[i]] = '\0';
        r->cols[i] = r->names + off;
        r->col_len[i] = lens[i];
        r->zero_warned[i] = false;
        off += lens[i] + 1;
    }
    r->ncols = n;

    cu_intern_free(r->col_ids);
    r->col_ids = cu_intern_new();
    r->col_of_id = cu_xgrow(r->col_of_id, &r->col_of_id_cap, n ? n : 1,
                            sizeof *r->col_of_id);
    for (size_t i = 0; i < n; i++) {
        size_t before = cu_intern_count(r->col_ids);
        uint32_t id = cu_intern_add(r->col_ids, r->cols[i], r->col_len[i]);
        if (id == before) /* a repeated name keeps its first column */
            r->col_of_id[id] = i;
    }
    r->need_header = false;
    r->directive_line = 0;
    r->header_line = r->row_line;
}

/* Column names taken from decoded fields (TSV and CSV headers). */
static void set_columns_from_fields(cu_reader *r, size_t n)
{
    const char **names = cu_xmalloc((n ? n : 1) * sizeof *names);
    size_t *lens = cu_xmalloc((n ? n : 1) * sizeof *lens);
    for (size_t i = 0; i < n; i++) {
        names[i] = r->fields[i].s;
        lens[i] = r->fields[i].len;
    }
    set_columns(r, n, names, lens);
    free(names);
    free(lens);
}

static void set_table(cu_reader *r, const char *name, size_t len)
{
    free(r->table);
    r->table = name ? cu_xstrndup(name, len) : NULL;
}

/* ---- TSV --------------------------------------------------------------- */

static size_t count_tabs(const char *p, size_t len)
{
    size_t n = 0;
    const char *end = p + len;
    while ((p = memchr(p, '\t', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

__attribute__((__noreturn__))
static void die_escape(const cu_reader *r, size_t i, const char *field,
                       size_t len, const char *bs)
{
    const char *name = name_for(r, i);
    unsigned char c;
    if (bs + 1 == field + len)
        die_value(r, r->lineno, i + 1, name, field, len,
                  "backslash at the end of the field");
    c = (unsigned char)bs[1];
    if (c == 'N')
        die_value(r, r->lineno, i + 1, name, field, len,
                  "\\N inside a field (NULL is a field that is exactly \\N)");
    if (isprint(c))
        die_value(r, r->lineno, i + 1, name, field, len,
                  "unknown escape '\\%c'", c);
    die_value(r, r->lineno, i + 1, name, field, len,
              "unknown escape '\\' followed by byte 0x%02x", c);
}

__attribute__((__noreturn__))
static void die_raw_cr(const cu_reader *r, size_t i, const char *field,
                       size_t len)
{
    die_value(r, r->lineno, i + 1, name_for(r, i), field, len,
              "raw carriage return in a field (TSV writes it as \\r)");
}

/* The first backslash or CR of p[0..len), or NULL. */
static const char *backslash_or_cr(const char *p, size_t len)
{
    const char *bs = memchr(p, '\\', len);
    const char *cr = memchr(p, '\r', bs ? (size_t)(bs - p) : len);
    return cr ? cr : bs;
}

/* Decode field i, p[0..len), whose first backslash (or raw CR, an error)
 * is at bs, into *decp. */
void cu__tsv_unescape(cu_reader *r, cu_field *f, size_t i, char *p,
                      size_t len, const char *bs, char **decp)
{
    char *out = *decp, *o = out;
    const char *q = p, *end = p + len;
    if (len == 2 && p[0] == '\\' && p[1] == 'N') {
        f->s = "";
        f->len = 0;
        f->type = CU_VAL_NULL;
        return;
    }
    while (bs) {
        if (*bs == '\r')
            die_raw_cr(r, i, p, len);
        memcpy(o, q, (size_t)(bs - q));
        o += bs - q;
        if (bs + 1 == end)
            die_escape(r, i, p, len, bs);
        switch (bs[1]) {
        case '\\': *o++ = '\\'; break;
        case 't': *o++ = '\t'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case '#': *o++ = '#'; break; /* how a row may start with # */
        default: die_escape(r, i, p, len, bs);
        }
        q = bs + 2;
        bs = backslash_or_cr(q, (size_t)(end - q));
    }
    memcpy(o, q, (size_t)(end - q));
    o += end - q;
    *o++ = '\0';
    f->s = out;
    f->len = (size_t)(o - out - 1);
    f->type = CU_VAL_STRING;
    *decp = o;
}

static inline void tsv_field(cu_reader *r, cu_field *f, size_t i, char *p,
                             size_t len, char **decp)
{
    const char *bs = backslash_or_cr(p, len);
    f->raw = p;
    f->raw_len = len;
    if (!bs) {
        p[len] = '\0'; /* the tab or newline that ended it */
        f->s = p;
        f->len = len;
        f->type = CU_VAL_STRING;
        return;
    }
    cu__tsv_unescape(r, f, i, p, len, bs, decp);
}

__attribute__((__noreturn__))
static void die_field_count(const cu_reader *r, size_t expected, size_t got)
{
    die_line(r, r->lineno,
             "wrong number of fields: expected %zu (as in the header at line "
             "%lu), got %zu",
             expected, r->header_line, got);
}

/* Split line[0..len) into exactly n fields (n == 0: as many as it has,
 * for a header); returns the count. */
static size_t tsv_split(cu_reader *r, char *line, size_t len, size_t n)
{
    char *p = line, *end = line + len, *dec;
    size_t got = n ? n : count_tabs(line, len) + 1;
    need_fields(r, got);
    need_dec(r, len);
    dec = r->dec;
    for (size_t i = 0;; i++) {
        char *tab = memchr(p, '\t', (size_t)(end - p));
        size_t flen = (size_t)((tab ? tab : end) - p);
        /* fields before i had their tab overwritten: count from here */
        if (i >= got)
            die_field_count(r, got, i + 1 + count_tabs(p, (size_t)(end - p)));
        if (!tab && i + 1 < got)
            die_field_count(r, got, i + 1);
        tsv_field(r, &r->fields[i], i, p, flen, &dec);
        if (!tab)
            return got;
        p = tab + 1;
    }
}

static void tsv_header(cu_reader *r, char *line, size_t len)
{
    size_t n;
    if (len == 0)
        die_line(r, r->lineno, "empty header line");
    r->row_line = r->lineno;
    n = tsv_split(r, line, len, 0);
    for (size_t i = 0; i < n; i++)
        if (r->fields[i].type == CU_VAL_NULL)
            die_value(r, r->lineno, i + 1, NULL, "\\N", 2,
                      "NULL as a column name in the header");
    set_columns_from_fields(r, n);
}

/* A directive word: line starts with `#word` followed by a tab or the
 * end of the line. */
static bool is_directive(const char *line, size_t len, const char *word)
{
    size_t n = strlen(word);
    return len >= n && memcmp(line, word, n) == 0 &&
           (len == n || line[n] == '\t');
}

static void add_status(cu_reader *r, const char *table, size_t tlen,
                       const char *status, size_t slen, const char *source)
{
    r->statuses = cu_xgrow(r->statuses, &r->statuses_cap, r->nstatuses + 1,
                           sizeof *r->statuses);
    struct status_entry *e = &r->statuses[r->nstatuses++];
    e->table = cu_xstrndup(table, tlen);
    e->status = cu_xstrndup(status, slen);
    e->source = cu_xstrdup(source);
}

/* The stream's own trailer directives (writer.h): #cu starts a stream that
 * promises them, #end closes a section with its row count, #eof ends the
 * stream. A stream without #cu (hand-made, or filtered by grep) is read
 * as it is; an #end is checked wherever it stands. */
static void trailer_cu(cu_reader *r, const char *arg, size_t alen)
{
    if (r->trailers && !r->eof_seen)
        die_line(r, r->lineno, "#cu inside a stream (a stream that was cut "
                 "short, then another one appended?)");
    if (alen != 1 || arg[0] != '1')
        die_value(r, r->lineno, 0, NULL, arg, alen,
                  "unknown cu stream version (this reader knows 1)");
    if (r->eof_seen) { /* another stream follows (cat a b): it starts
                          over, with its own header */
        set_table(r, r->file_table,
                  r->file_table ? strlen(r->file_table) : 0);
        r->need_header = true;
        r->section_ended = false;
    }
    r->trailers = true;
    r->eof_seen = false;
    r->cu_line = r->lineno;
}

static void trailer_end(cu_reader *r, const char *arg, size_t alen)
{
    char *e;
    errno = 0;
    unsigned long long n = alen ? strtoull(arg, &e, 10) : 0;
    if (alen == 0 || e != arg + alen || errno || !isdigit((unsigned char)*arg))
        die_value(r, r->lineno, 0, NULL, arg, alen,
                  "malformed #end (expected #end<TAB>ROWS)");
    if (r->need_header && n == 0)
        return; /* a section without a header line has no rows */
    if (r->need_header || r->section_ended)
        die_line(r, r->lineno, "#end without a section");
    if (n != r->section_rows)
        die_line(r, r->lineno,
                 "section %s has %" PRIu64 " data rows, but its #end says "
                 "%llu (rows lost or added)",
                 r->table ? r->table : "(unnamed)", r->section_rows, n);
    r->section_ended = true;
}

static void trailer_eof(cu_reader *r)
{
    if (r->trailers && !r->need_header && !r->section_ended)
        die_line(r, r->lineno, "#eof before the #end of section %s",
                 r->table ? r->table : "(unnamed)");
    r->eof_seen = true;
}

/* At the end of a file: a stream that promised trailers must have ended
 * with #eof, else it was cut (inside or after its last line). */
static void check_stream_end(const cu_reader *r)
{
    if (r->trailers && !r->eof_seen)
        cu_die(CU_EXIT_DATA,
               "%s: truncated stream: it ends after line %lu without the "
               "#eof its #cu (line %lu) promised",
               r->filename, r->lineno, r->cu_line);
}

/* `#table<TAB>name` starts a section; `#status<TAB>table<TAB>status`
 * records a table the writer could not deliver; the trailers; other
 * directives are ignored, so that streams may carry comments and future
 * directives. */
static void tsv_directive(cu_reader *r, const char *line, size_t len)
{
    const char *name = line + 7;
    size_t nlen = len > 7 ? len - 7 : 0;
    if (is_directive(line, len, "#cu")) {
        trailer_cu(r, line + 4, len > 4 ? len - 4 : 0);
        return;
    }
    if (is_directive(line, len, "#end")) {
        trailer_end(r, line + 5, len > 5 ? len - 5 : 0);
        return;
    }
    if (is_directive(line, len, "#eof")) {
        trailer_eof(r);
        return;
    }
    if (is_directive(line, len, "#status")) {
        const char *t = line + 8, *tab = len > 8 ? memchr(t, '\t', len - 8)
                                                 : NULL;
        if (!tab || tab == t || tab + 1 == line + len ||
            memchr(tab + 1, '\t', (size_t)(line + len - tab - 1)))
            die_value(r, r->lineno, 0, NULL, line, len,
                      "malformed directive (expected "
                      "#status<TAB>schema.table<TAB>status)");
        add_status(r, t, (size_t)(tab - t), tab + 1,
                   (size_t)(line + len - tab - 1), r->filename);
        return;
    }
    if (len < 6 || memcmp(line, "#table", 6) != 0 ||
        (len > 6 && line[6] != '\t' && line[6] != ' '))
        return;
    if (len == 6 || line[6] != '\t' || nlen == 0 ||
        memchr(name, '\t', nlen))
        die_value(r, r->lineno, 0, NULL, line, len,
                  "malformed directive (expected #table<TAB>schema.table)");
    if (r->directive_line)
        die_line(r, r->directive_line,
                 "#table directive without a header line");
    if (r->trailers && !r->need_header && !r->section_ended)
        die_line(r, r->lineno, "section %s has no #end before this #table",
                 r->table ? r->table : "(unnamed)");
    set_table(r, name, nlen);
    r->need_header = true;
    r->section_ended = false;
    r->directive_line = r->lineno;
}

/* ---- TSV: the one-pass row splitter ------------------------------------ */

/* The splitter classifies 64 bytes at a time into bit masks of tabs,
 * newlines and backslashes (and CRs): SSE2 on every x86-64
 * (tsv-split-sse2.c), AVX2 where the CPU has it (tsv-split-avx2.c), chosen
 * here, once, at run time; CU_NO_AVX2 in the environment forces SSE2, so
 * tests run both. Built with configure --disable-simd (CU_NO_SSE2), or
 * elsewhere, every line takes the general path: an 8-byte SWAR version was
 * measured slower than glibc's memchr on lines with long fields. */
#ifndef CU_SSE2_SPLIT
static bool tsv_no_fast_row(cu_reader *r)
{
    (void)r;
    return false;
}
#endif

static bool (*choose_splitter(void))(cu_reader *)
{
#ifdef CU_AVX2_SPLIT
    if (!getenv("CU_NO_AVX2") && __builtin_cpu_supports("avx2") &&
        __builtin_cpu_supports("bmi") && __builtin_cpu_supports("popcnt"))
        return cu__tsv_fast_row_avx2;
#endif
#ifdef CU_SSE2_SPLIT
    return cu__tsv_fast_row_sse2;
#else
    return tsv_no_fast_row;
#endif
}

static int tsv_next(cu_reader *r)
{
    char *line;
    size_t len;
    for (;;) {
        if ((r->row_fast = r->fast_row(r)))
            return CU_ROW;
        if (!next_line(r, &line, &len))
            break;
        tsv_line_end(r, line, &len);
        if (len > 0 && line[0] == '#') {
            tsv_directive(r, line, len);
            continue;
        }
        if (r->eof_seen)
            die_line(r, r->lineno, "a line after #eof");
        if (r->need_header) {
            tsv_header(r, line, len);
            r->section_ended = false;
            return CU_SECTION;
        }
        if (r->section_ended)
            die_line(r, r->lineno, "a row after the #end of section %s",
                     r->table ? r->table : "(unnamed)");
        r->row_line = r->lineno;
        tsv_split(r, line, len, r->ncols);
        return CU_ROW;
    }
    if (r->directive_line)
        die_line(r, r->directive_line,
                 "#table directive without a header line");
    check_stream_end(r);
    return FILE_DONE;
}

/* ---- JSONS ------------------------------------------------------------- */

struct json {
    cu_reader *r;
    const char *line, *p, *end;
    char *dec; /* where the next decoded value goes */
    size_t member;   /* 1-based member whose value is being read; 0 none */
    const char *key; /* its key */
};

/* A syntax error: the field (the member whose value it is in, by position
 * and key) where there is one, and the byte column. */
__attribute__((__noreturn__, format(printf, 3, 4)))
static void json_die(const struct json *j, const char *at, const char *fmt,
                     ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cu_die_at(j->r->filename, j->r->lineno, j->member, j->key, NULL, 0,
              "column %zu: %s", (size_t)(at - j->line) + 1, msg);
}

static void json_ws(struct json *j) { j->p = cu_json_ws(j->p, j->end); }

/* A string at j->p (on its opening quote), decoded into j->dec. */
static void json_string(struct json *j, const char **s, size_t *len)
{
    struct cu_json_error err;
    const char *after = cu_json_string(j->p, j->end, j->dec, len, &err);
    if (!after)
        json_die(j, err.at, "%s", err.msg);
    j->dec[*len] = '\0';
    *s = j->dec;
    j->dec += *len + 1;
    j->p = after;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* A number in JSON's grammar, kept as written. */
static void json_number(struct json *j, cu_field *f)
{
    const char *start = j->p, *q = cu_json_number(j->p, j->end);
    if (!q) {
        q = start;
        while (q < j->end && *q != ',' && *q != '}' && *q != ' ')
            q++;
        json_die(j, start, "invalid number '%.*s'", (int)(q - start), start);
    }
    memcpy(j->dec, start, (size_t)(q - start));
    j->dec[q - start] = '\0';
    f->s = j->dec;
    f->len = (size_t)(q - start);
    f->type = CU_VAL_NUMBER;
    j->dec += f->len + 1;
    j->p = q;
}

static bool json_literal(struct json *j, const char *word)
{
    const char *after = cu_json_literal(j->p, j->end, word);
    if (after)
        j->p = after;
    return after != NULL;
}

static void json_value(struct json *j, cu_field *f)
{
    const char *start = j->p;
    if (j->p >= j->end)
        json_die(j, j->p, "value expected");
    switch (*j->p) {
    case '"':
        json_string(j, &f->s, &f->len);
        f->type = CU_VAL_STRING;
        break;
    case '{':
        json_die(j, j->p, "nested object (objects must be flat)");
        break;
    case '[':
        json_die(j, j->p, "array (objects must be flat)");
        break;
    case 't':
    case 'f':
    case 'n':
        if (json_literal(j, "true")) {
            f->s = "true";
            f->len = 4;
            f->type = CU_VAL_BOOL;
        } else if (json_literal(j, "false")) {
            f->s = "false";
            f->len = 5;
            f->type = CU_VAL_BOOL;
        } else if (json_literal(j, "null")) {
            f->s = "";
            f->len = 0;
            f->type = CU_VAL_NULL;
        } else {
            json_die(j, j->p, "unexpected word (true, false or null?)");
        }
        break;
    default:
        if (*j->p == '-' || is_digit(*j->p))
            json_number(j, f);
        else
            json_die(j, j->p, "unexpected character '%c'", *j->p);
    }
    f->raw = start;
    f->raw_len = (size_t)(j->p - start);
}

static void add_member(cu_reader *r, const struct json_member *m)
{
    if (r->nmembers == r->members_cap)
        r->members = cu_xgrow(r->members, &r->members_cap, r->nmembers + 1,
                              sizeof *r->members);
    r->members[r->nmembers++] = *m;
}

/* Parse line[0..len) as one flat object into r->members. */
static void json_object(cu_reader *r, const char *line, size_t len)
{
    struct json j = {r, line, line, line + len, NULL, 0, NULL};
    need_dec(r, len);
    j.dec = r->dec;
    r->nmembers = 0;
    json_ws(&j);
    if (j.p >= j.end || *j.p != '{')
        json_die(&j, j.p, "a line must be one JSON object");
    j.p++;
    json_ws(&j);
    if (j.p < j.end && *j.p == '}')
        json_die(&j, j.p, "empty object");
    for (;;) {
        struct json_member m;
        if (j.p >= j.end || *j.p != '"')
            json_die(&j, j.p, "key (a string) expected");
        m.column = (size_t)(j.p - line) + 1;
        json_string(&j, &m.key, &m.key_len);
        if (strlen(m.key) != m.key_len)
            json_die(&j, line + m.column - 1, "NUL character in a key");
        json_ws(&j);
        if (j.p >= j.end || *j.p != ':')
            json_die(&j, j.p, "':' expected after the key");
        j.p++;
        json_ws(&j);
        j.member = r->nmembers + 1;
        j.key = m.key;
        json_value(&j, &m.val);
        j.member = 0;
        j.key = NULL;
        add_member(r, &m);
        json_ws(&j);
        if (j.p < j.end && *j.p == ',') {
            j.p++;
            json_ws(&j);
            continue;
        }
        if (j.p < j.end && *j.p == '}')
            break;
        json_die(&j, j.p, "',' or '}' expected");
    }
    j.p++;
    json_ws(&j);
    if (j.p < j.end)
        json_die(&j, j.p, "text after the end of the object");
}

__attribute__((__noreturn__))
static void die_member(const cu_reader *r, const struct json_member *m,
                       const char *what)
{
    die_line(r, r->lineno, "column %zu: %s '%s'", m->column, what, m->key);
}

static bool same_table(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* The first object of a section: its keys, in order, are the columns. */
static void json_start_section(cu_reader *r, const struct json_member *tm)
{
    size_t n = 0;
    const char **names = cu_xmalloc(r->nmembers * sizeof *names);
    size_t *lens = cu_xmalloc(r->nmembers * sizeof *lens);
    for (size_t k = 0; k < r->nmembers; k++) {
        if (&r->members[k] == tm)
            continue;
        names[n] = r->members[k].key;
        lens[n++] = r->members[k].key_len;
    }
    if (n == 0)
        die_line(r, r->lineno, "object without columns (only _table)");
    if (tm)
        set_table(r, tm->val.s, tm->val.len);
    else
        set_table(r, r->file_table,
                  r->file_table ? strlen(r->file_table) : 0);
    set_columns(r, n, names, lens);
    free(names);
    free(lens);
    n = 0;
    for (size_t k = 0; k < r->nmembers; k++) {
        const struct json_member *m = &r->members[k];
        if (m == tm)
            continue;
        if (find_col(r, m->key, m->key_len) != (long)n)
            die_member(r, m, "duplicate key");
        r->fields[n++] = m->val;
    }
}

/* A later object: its keys, in any order, must be the section's columns. */
static void json_fill_row(cu_reader *r, const struct json_member *tm)
{
    size_t n = 0;
    memset(r->seen, 0, r->ncols);
    for (size_t k = 0; k < r->nmembers; k++) {
        const struct json_member *m = &r->members[k];
        long c;
        if (m == tm)
            continue;
        /* usually the keys come in the order of the first object */
        if (n < r->ncols && r->col_len[n] == m->key_len &&
            memcmp(r->cols[n], m->key, m->key_len) == 0)
            c = (long)n;
        else
            c = find_col(r, m->key, m->key_len);
        if (c < 0) {
            char what[160];
            snprintf(what, sizeof what,
                     "key not in the first object of the section (line %lu):",
                     r->header_line);
            die_member(r, m, what);
        }
        if (r->seen[c])
            die_member(r, m, "duplicate key");
        r->seen[c] = 1;
        r->fields[c] = m->val;
        n++;
    }
    if (n != r->ncols)
        for (size_t c = 0; c < r->ncols; c++)
            if (!r->seen[c])
                die_value(r, r->lineno, c + 1, r->cols[c], NULL, 0,
                          "missing key '%s' (the first object of the "
                          "section, line %lu, has it)",
                          r->cols[c], r->header_line);
}

static bool blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            return false;
    return true;
}

static const struct json_member *member_named(const cu_reader *r,
                                              const char *key)
{
    size_t n = strlen(key);
    for (size_t k = 0; k < r->nmembers; k++)
        if (r->members[k].key_len == n &&
            memcmp(r->members[k].key, key, n) == 0)
            return &r->members[k];
    return NULL;
}

/* The JSONS forms of the trailers and of #status (writer.h): objects
 * whose only keys are _cu, _eof, _end or _status (and _table). True when
 * the object was one. */
static bool jsons_directive(cu_reader *r)
{
    const struct json_member *cu = member_named(r, "_cu"),
                             *eof = member_named(r, "_eof"),
                             *end = member_named(r, "_end"),
                             *st = member_named(r, "_status"),
                             *tm = member_named(r, "_table");
    const struct json_member *d = cu ? cu : eof ? eof : end ? end : st;
    if (!d)
        return false;
    size_t expect = 1 + (tm != NULL);
    if ((cu || eof) && tm)
        die_member(r, tm, "unexpected key beside a stream trailer:");
    if (r->nmembers != expect)
        die_member(r, d, "a trailer object holds one key (and _table):");
    if (cu) {
        trailer_cu(r, cu->val.raw, cu->val.raw_len);
    } else if (eof) {
        trailer_eof(r);
    } else if (end) {
        const char *t = tm ? tm->val.s : r->file_table;
        if (!end->val.raw_len || end->val.type != CU_VAL_NUMBER)
            die_member(r, end, "a row count expected in");
        /* a JSONS section starts with its first object: an empty one has
           its _end alone */
        if ((r->need_header || !same_table(t, r->table)) &&
            strcmp(end->val.s, "0") == 0)
            return true;
        if (!same_table(t, r->table))
            die_member(r, end, "the _end of a section that is not the "
                               "current one:");
        trailer_end(r, end->val.raw, end->val.raw_len);
    } else {
        if (!tm || tm->val.type != CU_VAL_STRING ||
            st->val.type != CU_VAL_STRING)
            die_member(r, st, "a _status needs _table, both strings:");
        add_status(r, tm->val.s, tm->val.len, st->val.s, st->val.len,
                   r->filename);
    }
    return true;
}

static int jsons_next(cu_reader *r)
{
    char *line;
    size_t len;
    if (r->pending_row) {
        r->pending_row = false;
        return CU_ROW;
    }
    while (next_line(r, &line, &len)) {
        const struct json_member *tm = NULL;
        const char *table;
        if (blank(line, len) || line[0] == '#')
            continue;
        json_object(r, line, len);
        r->row_line = r->lineno;
        if (jsons_directive(r))
            continue;
        if (r->eof_seen)
            die_line(r, r->lineno, "an object after {\"_eof\":true}");
        for (size_t k = 0; k < r->nmembers; k++) {
            const struct json_member *m = &r->members[k];
            if (m->key_len == 6 && memcmp(m->key, "_table", 6) == 0) {
                if (tm)
                    die_member(r, m, "duplicate key");
                if (m->val.type != CU_VAL_STRING || m->val.len == 0 ||
                    strlen(m->val.s) != m->val.len)
                    die_line(r, r->lineno,
                             "column %zu: _table must be a non-empty string",
                             m->column);
                tm = m;
            }
        }
        table = tm ? tm->val.s : r->file_table;
        if (r->need_header || !same_table(table, r->table)) {
            if (r->trailers && !r->need_header && !r->section_ended)
                die_line(r, r->lineno, "section %s has no _end before "
                         "this object of section %s",
                         r->table ? r->table : "(unnamed)",
                         table ? table : "(unnamed)");
            json_start_section(r, tm);
            r->section_ended = false;
            r->pending_row = true;
            return CU_SECTION;
        }
        if (r->section_ended)
            die_line(r, r->lineno, "an object after the _end of section %s",
                     r->table ? r->table : "(unnamed)");
        json_fill_row(r, tm);
        return CU_ROW;
    }
    check_stream_end(r);
    return FILE_DONE;
}

/* ---- CSV --------------------------------------------------------------- */

static void csv_on_field(void *data, size_t len, void *ctx)
{
    cu_reader *r = ctx;
    struct csv_field *f;
    r->csv_data = cu_xgrow(r->csv_data, &r->csv_data_cap,
                           r->csv_data_len + len + 1, 1);
    if (len)
        memcpy(r->csv_data + r->csv_data_len, data, len);
    r->csv_data[r->csv_data_len + len] = '\0';
    r->csv_fields = cu_xgrow(r->csv_fields, &r->csv_fields_cap,
                             r->csv_nfields + 1, sizeof *r->csv_fields);
    f = &r->csv_fields[r->csv_nfields++];
    f->off = r->csv_data_len;
    f->len = len;
    f->null = data == NULL; /* CSV_EMPTY_IS_NULL */
    r->csv_data_len += len + 1;
    r->csv_partial++;
}

static void csv_on_record(int c, void *ctx)
{
    cu_reader *r = ctx;
    struct csv_record *rec;
    (void)c;
    r->csv_in_record = false;
    if (r->csv_partial == 0)
        return;
    r->csv_records = cu_xgrow(r->csv_records, &r->csv_records_cap,
                              r->csv_nrecords + 1, sizeof *r->csv_records);
    rec = &r->csv_records[r->csv_nrecords++];
    rec->first = r->csv_nfields - r->csv_partial;
    rec->n = r->csv_partial;
    rec->line = r->csv_record_line;
    r->csv_partial = 0;
}

static int csv_keep_spaces(unsigned char c)
{
    (void)c;
    return 0;
}

static void reset_csv(cu_reader *r)
{
    if (r->csv_ready)
        csv_free(&r->csv);
    if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0)
        cu_die(CU_EXIT_DATA, "%s: cannot start the CSV parser", r->filename);
    /* RFC 4180: spaces are part of a field */
    csv_set_space_func(&r->csv, csv_keep_spaces);
    r->csv_ready = true;
    r->csv_finished = false;
    r->csv_in_record = false;
    r->csv_data_len = r->csv_nfields = r->csv_partial = 0;
    r->csv_nrecords = r->csv_head = 0;
}

/* All queued records were handed out: keep only the unfinished one. */
static void csv_compact(cu_reader *r)
{
    size_t first = r->csv_nfields - r->csv_partial, base;
    r->csv_nrecords = r->csv_head = 0;
    if (r->csv_partial == 0) {
        r->csv_nfields = r->csv_data_len = 0;
        return;
    }
    base = r->csv_fields[first].off;
    memmove(r->csv_data, r->csv_data + base, r->csv_data_len - base);
    r->csv_data_len -= base;
    for (size_t k = 0; k < r->csv_partial; k++) {
        r->csv_fields[k] = r->csv_fields[first + k];
        r->csv_fields[k].off -= base;
    }
    r->csv_nfields = r->csv_partial;
}

static void csv_check(cu_reader *r, unsigned long line)
{
    int e = csv_error(&r->csv);
    if (e == CSV_EPARSE)
        die_line(r, line,
                 "malformed CSV (a quote inside an unquoted field, or text "
                 "after a closing quote)");
    cu_die(CU_EXIT_DATA, "%s:%lu: CSV parser: %s", r->filename, line,
           csv_strerror(e));
}

/* Feed lines to libcsv until a record is queued; false at the end. */
static bool csv_fetch(cu_reader *r)
{
    char *line;
    size_t len;
    while (r->csv_head == r->csv_nrecords) {
        csv_compact(r);
        if (r->csv_finished)
            return false;
        if (!next_line(r, &line, &len)) {
            r->csv_finished = true;
            if (csv_fini(&r->csv, csv_on_field, csv_on_record, r) != 0) {
                if (csv_error(&r->csv) == CSV_EPARSE)
                    die_line(r, r->csv_record_line,
                             "unterminated quoted field at the end of the "
                             "file");
                csv_check(r, r->csv_record_line);
            }
            continue;
        }
        if (!r->csv_in_record && !blank(line, len)) {
            r->csv_in_record = true;
            r->csv_record_line = r->lineno;
        }
        /* the newline is still in the buffer after the line, except on a
         * last line without one */
        if (line + len < r->buf + r->pos)
            len++;
        if (csv_parse(&r->csv, line, len, csv_on_field, csv_on_record, r) !=
            len)
            csv_check(r, r->lineno);
    }
    return true;
}

static int csv_next(cu_reader *r)
{
    const struct csv_record *rec;
    if (!csv_fetch(r))
        return FILE_DONE;
    rec = &r->csv_records[r->csv_head++];
    r->row_line = rec->line;
    if (!r->need_header && rec->n != r->ncols)
        die_line(r, rec->line,
                 "wrong number of fields: expected %zu (as in the header at "
                 "line %lu), got %zu",
                 r->ncols, r->header_line, rec->n);
    need_fields(r, rec->n);
    for (size_t i = 0; i < rec->n; i++) {
        const struct csv_field *cf = &r->csv_fields[rec->first + i];
        cu_field *f = &r->fields[i];
        f->s = f->raw = r->csv_data + cf->off;
        f->len = f->raw_len = cf->len;
        f->type = cf->null ? CU_VAL_NULL : CU_VAL_STRING;
    }
    if (r->need_header) {
        set_columns_from_fields(r, rec->n);
        return CU_SECTION;
    }
    return CU_ROW;
}

/* ---- opening: files, stdin, archives ------------------------------------ */

static struct input *add_input(cu_reader *r, const char *path,
                               const char *table)
{
    struct input *in;
    size_t cap = r->ninputs;
    r->inputs = cu_xgrow(r->inputs, &cap, r->ninputs + 1, sizeof *r->inputs);
    in = &r->inputs[r->ninputs++];
    in->path = path ? cu_xstrdup(path) : NULL;
    in->name = cu_xstrdup(path ? path : stdin_name);
    in->table = table ? cu_xstrdup(table) : NULL;
    in->rows = -1;
    in->manifest = NULL;
    in->detect = false;
    in->sha256 = NULL;
    return in;
}

/* Fail now, not after other files were read, when a file can't be read.
 * Only regular files are tried: opening a FIFO would wait for its writer,
 * and closing it again would lose what it wrote. */
static void check_readable(const char *path, const struct stat *st)
{
    int fd;
    if (!S_ISREG(st->st_mode))
        return;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        cu_die_errno(CU_EXIT_DATA, errno, "%s", path);
    close(fd);
}

static bool unsafe_name(const char *s)
{
    const char *p = s;
    if (*s == '\0' || *s == '/')
        return true;
    while ((p = strstr(p, "..")) != NULL) {
        if ((p == s || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
            return true;
        p += 2;
    }
    return false;
}

/* An archive written by cu-dump -o: the tables listed in MANIFEST.tsv.
 * Only `ok` tables have a file (the others have \N there). When the
 * manifest has a `rows` column, each file must hold exactly that many data
 * rows: a plain TSV cut at a line boundary would otherwise pass unseen. */
static void add_archive(cu_reader *r, const char *dir)
{
    char *manifest = cu_path_join(dir, "MANIFEST.tsv");
    const char *paths[1] = {manifest};
    cu_reader *m;
    enum cu_next k;
    size_t ct = 0, cf = 0, cs = 0;
    long crows = -1, csha = -1;
    struct stat st;
    if (stat(manifest, &st) != 0)
        cu_die_errno(CU_EXIT_DATA, errno,
                     "%s: a directory, but not a cu archive (no MANIFEST.tsv)",
                     dir);
    m = cu_reader_open(paths, 1, CU_FMT_TSV);
    while ((k = cu_reader_next(m)) != CU_EOF) {
        const cu_field *table, *file, *status;
        if (k == CU_SECTION) {
            ct = cu_reader_need_col(m, "table");
            cf = cu_reader_need_col(m, "file");
            cs = cu_reader_need_col(m, "status");
            crows = cu_reader_col(m, "rows");
            csha = cu_reader_col(m, "sha256");
            continue;
        }
        table = cu_reader_field(m, ct);
        file = cu_reader_field(m, cf);
        status = cu_reader_field(m, cs);
        if (cu_field_is_null(table) || table->len == 0)
            cu_reader_die_field(m, ct, "table name missing");
        if (cu_field_is_null(status) || strcmp(status->s, "ok") != 0) {
            /* "absent" is an optional table this cloud does not have (zun,
               Blazar devices): nothing is missing, so nothing to warn of */
            const char *word = cu_field_is_null(status) ? "NULL" : status->s;
            if (strcmp(word, "absent") != 0)
                cu_warn("%s: table %s has status '%s' in the manifest: "
                        "skipped", dir, table->s, word);
            add_status(r, table->s, table->len, word, strlen(word), manifest);
            continue;
        }
        if (cu_field_is_null(file) || unsafe_name(file->s))
            cu_reader_die_field(m, cf,
                                "not a file name inside the archive");
        {
            char *path = cu_path_join(dir, file->s);
            struct input *in;
            int64_t rows = crows < 0 ? -1 : cu_reader_int(m, (size_t)crows, -1);
            if (crows >= 0 && rows < -1)
                cu_reader_die_field(m, (size_t)crows, "negative row count");
            if (stat(path, &st) != 0)
                cu_die_errno(CU_EXIT_DATA, errno, "%s", path);
            check_readable(path, &st);
            in = add_input(r, path, table->s);
            in->rows = rows;
            in->manifest = manifest;
            if (csha >= 0) {
                const cu_field *h = cu_reader_field(m, (size_t)csha);
                if (cu_field_is_null(h) || h->len != CU_SHA256_HEX ||
                    strspn(h->s, "0123456789abcdef") != CU_SHA256_HEX)
                    cu_reader_die_field(m, (size_t)csha,
                                        "not a SHA-256 (64 hex digits)");
                in->sha256 = cu_xstrndup(h->s, h->len);
            }
            in->detect = true;
            free(path);
        }
    }
    cu_reader_close(m);
    r->manifests = cu_xrealloc(r->manifests,
                               (r->nmanifests + 1) * sizeof *r->manifests);
    r->manifests[r->nmanifests++] = manifest;
}

cu_reader *cu_reader_open(const char *const *paths, size_t n,
                          enum cu_format fmt)
{
    cu_reader *r = cu_xcalloc(1, sizeof *r);
    r->want = fmt;
    r->fd = -1;
    r->fast_row = choose_splitter();
    if (n == 0)
        add_input(r, NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") == 0) {
            add_input(r, NULL, NULL);
            continue;
        }
        if (stat(paths[i], &st) != 0)
            cu_die_errno(CU_EXIT_DATA, errno, "%s", paths[i]);
        if (S_ISDIR(st.st_mode)) {
            add_archive(r, paths[i]);
            continue;
        }
        check_readable(paths[i], &st);
        add_input(r, paths[i], NULL);
    }
    return r;
}

void cu_reader_close(cu_reader *r)
{
    if (!r)
        return;
    if (r->file_open)
        close_input(r);
    for (size_t i = 0; i < r->ninputs; i++) {
        cu_free_all(r->inputs[i].path, r->inputs[i].name, r->inputs[i].table,
                    r->inputs[i].sha256);
    }
    if (r->sha) {
        char hex[CU_SHA256_HEX + 1];
        cu_sha256_end(r->sha, hex);
    }
    for (size_t i = 0; i < r->nstatuses; i++) {
        cu_free_all(r->statuses[i].table, r->statuses[i].status,
                    r->statuses[i].source);
    }
    cu_free_all(r->statuses, r->status_view, r->inputs);
    cu_free_strings(r->manifests, r->nmanifests);
    cu_decoder_free(r->unz);
    if (r->csv_ready)
        csv_free(&r->csv);
    cu_free_all(r->zin, r->buf, r->table, r->cols, r->col_len, r->names);
    cu_intern_free(r->col_ids);
    cu_free_all(r->col_of_id, r->zero_warned, r->fields, r->dec, r->tab_at,
                r->bs_at, r->skip, r->wanted, r->members, r->seen, r->csv_data,
                r->csv_fields, r->csv_records, r);
}

static void check_row_count(const cu_reader *r, const struct input *in)
{
    if (in->rows >= 0 && r->file_rows != (uint64_t)in->rows)
        cu_die(CU_EXIT_DATA,
               "%s: %" PRIu64 " data rows, but %s says %" PRId64
               " (a truncated or altered archive)",
               r->filename, r->file_rows, in->manifest, in->rows);
}

/* An archive member is the file its manifest describes, byte for byte
 * (the row count alone misses a changed value). */
static void check_digest(cu_reader *r, const struct input *in)
{
    if (!r->sha)
        return;
    char hex[CU_SHA256_HEX + 1];
    cu_sha256_end(r->sha, hex);
    r->sha = NULL;
    if (strcmp(hex, in->sha256) != 0)
        cu_die(CU_EXIT_DATA,
               "%s: sha256 %s, but %s says %s (a corrupted or altered "
               "archive)",
               r->filename, hex, in->manifest, in->sha256);
}

enum cu_next cu_reader_next(cu_reader *r)
{
    while (!r->done) {
        int got;
        if (!r->file_open) {
            if (r->next_input == r->ninputs) {
                r->done = true;
                break;
            }
            open_input(r, &r->inputs[r->next_input++]);
            r->file_rows = 0;
        }
        r->row_fast = false;
        switch (r->fmt) {
        case CU_FMT_JSONS: got = jsons_next(r); break;
        case CU_FMT_CSV: got = csv_next(r); break;
        default: got = tsv_next(r); break;
        }
        if (got == CU_ROW) {
            r->file_rows++;
            r->section_rows++;
            if (r->skipping && !r->row_fast)
                mark_unread(r);
        } else if (got == CU_SECTION) {
            r->skipping = false;
            r->section_rows = 0;
        }
        if (got != FILE_DONE)
            return (enum cu_next)got;
        check_row_count(r, &r->inputs[r->next_input - 1]);
        check_digest(r, &r->inputs[r->next_input - 1]);
        close_input(r);
    }
    return CU_EOF;
}

/* ---- the current section and row --------------------------------------- */

const char *cu_reader_table(const cu_reader *r) { return r->table; }

size_t cu_reader_ncols(const cu_reader *r) { return r->ncols; }

const char *cu_reader_colname(const cu_reader *r, size_t i)
{
    return i < r->ncols ? r->cols[i] : NULL;
}

const char *const *cu_reader_colnames(const cu_reader *r)
{
    return (const char *const *)r->cols;
}

long cu_reader_col(const cu_reader *r, const char *name)
{
    return find_col(r, name, strlen(name));
}

size_t cu_reader_need_col(const cu_reader *r, const char *name)
{
    long c = cu_reader_col(r, name);
    if (c < 0) {
        if (r->table)
            die_line(r, r->header_line, "table %s has no column '%s'",
                     r->table, name);
        die_line(r, r->header_line, "no column '%s' in the header", name);
    }
    return (size_t)c;
}

enum cu_format cu_reader_format(const cu_reader *r) { return r->fmt; }

const char *cu_reader_filename(const cu_reader *r)
{
    return r->filename ? r->filename : "(no input)";
}

unsigned long cu_reader_lineno(const cu_reader *r) { return r->row_line; }

const cu_field *cu_reader_field(const cu_reader *r, size_t i)
{
    if (i >= r->ncols)
        cu_die(CU_EXIT_DATA,
               "internal error: field %zu asked of a row of %zu fields",
               i + 1, r->ncols);
    if (r->fields[i].type == VAL_UNREAD)
        cu_die(CU_EXIT_DATA, "internal error: field %zu (%s) was not asked "
               "for (cu_reader_only)", i + 1, r->cols[i]);
    return &r->fields[i];
}

void cu_reader_only(cu_reader *r, const long *cols, size_t n)
{
    r->skip = cu_xgrow(r->skip, &r->skip_cap, r->ncols, 1);
    r->wanted = cu_xgrow(r->wanted, &r->wanted_cap, r->ncols,
                         sizeof *r->wanted);
    if (r->ncols) /* (no pointer to set when there are no columns) */
        memset(r->skip, 1, r->ncols);
    for (size_t k = 0; k < n; k++)
        if (cols[k] >= 0 && (size_t)cols[k] < r->ncols)
            r->skip[cols[k]] = 0;
    r->nwanted = 0;
    for (size_t i = 0; i < r->ncols; i++)
        if (!r->skip[i])
            r->wanted[r->nwanted++] = i;
    r->skipping = true;
    need_fields(r, r->ncols);
    mark_unread(r);
}

/* ---- messages about fields --------------------------------------------- */

/* What a message shows of a field: its text, or for NULL how it was
 * written (`\N`, `null`). */
static void shown_value(const cu_field *f, const char **v, size_t *len)
{
    if (f->type == CU_VAL_NULL) {
        *v = f->raw;
        *len = f->raw_len;
    } else {
        *v = f->s;
        *len = f->len;
    }
}

/* The standard field message about field i of the current row, fatal or a
 * warning. */
static void report_field(const cu_reader *r, size_t i, bool fatal,
                         const char *fmt, va_list ap)
{
    char msg[512];
    const char *v;
    size_t len;
    vsnprintf(msg, sizeof msg, fmt, ap);
    shown_value(cu_reader_field(r, i), &v, &len);
    if (fatal)
        cu_die_at(cu_reader_filename(r), r->row_line, i + 1, r->cols[i], v,
                  len, "%s", msg);
    cu_warn_at(cu_reader_filename(r), r->row_line, i + 1, r->cols[i], v, len,
               "%s", msg);
}

void cu_reader_die_field(const cu_reader *r, size_t i, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_field(r, i, true, fmt, ap);
    va_end(ap);
    abort(); /* not reached: report_field exits */
}

void cu_reader_warn_field(const cu_reader *r, size_t i, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_field(r, i, false, fmt, ap);
    va_end(ap);
}

/* ---- typed accessors --------------------------------------------------- */

const char *cu_field_int(const cu_field *f, int64_t *out, unsigned flags)
{
    const char *p = f->s, *end = f->s + f->len;
    uint64_t v = 0, limit = INT64_MAX;
    bool neg = false;
    if ((flags & CU_INT_BOOL) && f->type == CU_VAL_BOOL) {
        *out = f->s[0] == 't';
        return NULL;
    }
    if (p < end && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    if (neg)
        limit = (uint64_t)INT64_MAX + 1;
    if (p == end)
        return "not an integer";
    for (; p < end && is_digit(*p); p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (limit - d) / 10)
            return "integer out of range";
        v = v * 10 + d;
    }
    if ((flags & CU_INT_POINT_ZERO) && p < end && *p == '.')
        for (p++; p < end && *p == '0'; p++)
            ;
    if (p != end)
        return "not an integer";
    *out = !neg ? (int64_t)v
           : v == (uint64_t)INT64_MAX + 1 ? INT64_MIN
                                         : -(int64_t)v;
    return NULL;
}

int64_t cu_reader_int(const cu_reader *r, size_t i, int64_t if_null)
{
    const cu_field *f = cu_reader_field(r, i);
    int64_t v;
    if (f->type == CU_VAL_NULL)
        return if_null;
    const char *why = cu_field_int(f, &v, CU_INT_BOOL);
    if (why)
        cu_reader_die_field(r, i, "%s", why);
    return v;
}

/* Decimal text only: strtod alone would also take hex, inf and nan. */
static bool decimal_number(const char *p, const char *end)
{
    bool digits = false;
    if (p < end && (*p == '-' || *p == '+'))
        p++;
    while (p < end && is_digit(*p)) {
        p++;
        digits = true;
    }
    if (p < end && *p == '.') {
        p++;
        while (p < end && is_digit(*p)) {
            p++;
            digits = true;
        }
    }
    if (!digits)
        return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '-' || *p == '+'))
            p++;
        if (p == end || !is_digit(*p))
            return false;
        while (p < end && is_digit(*p))
            p++;
    }
    return p == end;
}

double cu_reader_double(const cu_reader *r, size_t i, double if_null)
{
    const cu_field *f = cu_reader_field(r, i);
    double v;
    char *stop;
    if (f->type == CU_VAL_NULL)
        return if_null;
    if (!decimal_number(f->s, f->s + f->len))
        cu_reader_die_field(r, i, "not a number");
    errno = 0;
    v = strtod(f->s, &stop);
    if (stop != f->s + f->len)
        cu_reader_die_field(r, i, "not a number");
    if (errno == ERANGE && (v > 1.0 || v < -1.0))
        cu_reader_die_field(r, i, "number out of range");
    return v;
}

int64_t cu_reader_time(const cu_reader *r, size_t i)
{
    const cu_field *f = cu_reader_field(r, i);
    const char *why = NULL;
    cu_time t;
    if (f->type == CU_VAL_NULL)
        return CU_TIME_NULL;
    switch (cu_time_parse(f->s, f->len, &t, &why)) {
    case CU_TIME_OK:
        return t;
    case CU_TIME_ZERO:
        if (!r->zero_warned[i]) {
            r->zero_warned[i] = true;
            cu_reader_warn_field(r, i,
                                 "MySQL zero date read as NULL (not reported "
                                 "again for this column)");
        }
        return CU_TIME_NULL;
    default:
        cu_reader_die_field(r, i, "bad time (%s)", why ? why : "invalid");
    }
}

/* ---- tables the input could not deliver --------------------------------- */

size_t cu_reader_statuses(cu_reader *r, const struct cu_table_status **out)
{
    r->status_view = cu_xrealloc(r->status_view,
                                 (r->nstatuses ? r->nstatuses : 1) *
                                     sizeof *r->status_view);
    for (size_t i = 0; i < r->nstatuses; i++)
        r->status_view[i] = (struct cu_table_status){
            r->statuses[i].table, r->statuses[i].status,
            r->statuses[i].source};
    *out = r->status_view;
    return r->nstatuses;
}

const char *cu_table_short_name(const char *table)
{
    if (!table)
        return NULL;
    const char *dot = strrchr(table, '.');
    return dot ? dot + 1 : table;
}

const char *cu_table_entity_name(const char *table)
{
    const char *t = cu_table_short_name(table);
    return t && strncmp(t, "shadow_", 7) == 0 ? t + 7 : t;
}

static bool name_listed(const char *table, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], table) == 0 ||
            strcmp(list[i], cu_table_short_name(table)) == 0)
            return true;
    return false;
}

size_t cu_reader_require(cu_reader *r, const char *const *need, size_t nneed,
                         const char *const *allow, size_t nallow,
                         const char *what)
{
    size_t allowed = 0;
    for (size_t i = 0; i < r->nstatuses; i++) {
        const struct status_entry *e = &r->statuses[i];
        if (strcmp(e->status, "absent") == 0 ||
            !name_listed(e->table, need, nneed))
            continue;
        if (name_listed(e->table, allow, nallow)) {
            cu_warn("%s: table %s is %s: going on without it "
                    "(--allow-missing)", e->source, e->table, e->status);
            allowed++;
            continue;
        }
        cu_die(CU_EXIT_DATA,
               "%s: table %s is %s, and %s needs it: its output would be "
               "short (--allow-missing %s to go on without it)",
               e->source, e->table, e->status, what, e->table);
    }
    return allowed;
}

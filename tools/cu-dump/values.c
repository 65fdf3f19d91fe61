/* Values as the stream writes them, and the progress line. */
#include "config.h"

#include "cu-dump.h"

enum conv conv_of(const MYSQL_FIELD *f)
{
    switch (f->type) {
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
        return CV_DATETIME;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
        return CV_DATE;
    case MYSQL_TYPE_NULL:
        return CV_STR;
    default:
        return IS_NUM(f->type) ? CV_NUM : CV_STR;
    }
}

bool is_zero_date(const char *s, size_t len)
{
    /* 0000-00-00, and the partial zeros MySQL allows: 2024-00-00 */
    if (len < 10)
        return true;
    return memcmp(s, "0000", 4) == 0 || memcmp(s + 5, "00", 2) == 0 ||
           memcmp(s + 8, "00", 2) == 0;
}

/* Values that never need escaping (numbers and times from the server) go
 * to the writer already encoded when its format allows (the output format
 * is opt.common.out_format): this skips the escape scan, the hot spot of a
 * dump. */

/* YYYY-MM-DD HH:MM:SS[.ffffff] -> YYYY-MM-DDTHH:MM:SS[.ffffff]Z; an all-zero
 * fraction (DATETIME(6) of a whole second) is dropped. */
bool put_datetime(cu_writer *w, const char *s, size_t len)
{
    char buf[48];
    if (is_zero_date(s, len)) {
        cu_writer_null(w);
        return false;
    }
    if (len < 19 || len > 40 || s[10] != ' ') {
        cu_writer_str(w, s, len); /* not what the server sends: keep it */
        return true;
    }
    if (len > 19 && s[19] == '.') {
        size_t k = 20;
        while (k < len && s[k] == '0')
            k++;
        if (k == len)
            len = 19;
    }
    bool quote = opt.common.out_format == CU_FMT_JSONS;
    char *b = buf + quote;
    buf[0] = '"';
    memcpy(b, s, len);
    b[10] = 'T';
    b[len] = 'Z';
    b[len + 1] = '"';
    if (opt.common.out_format == CU_FMT_CSV)
        cu_writer_str(w, b, len + 1);
    else
        cu_writer_raw(w, buf, len + 1 + 2 * quote);
    return true;
}

void put_number(cu_writer *w, const char *s, size_t len)
{
    if (opt.common.out_format == CU_FMT_TSV)
        cu_writer_raw(w, s, len);
    else
        cu_writer_num(w, s, len); /* JSONS: validated, written bare */
}

double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

cu_time wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (cu_time)ts.tv_sec * CU_USEC_PER_SEC + ts.tv_nsec / 1000;
}

void progress_show(struct progress *p, uint64_t rows, bool final)
{
    if (!p->on)
        return;
    double t = now_sec();
    if (!final && t - p->last < 0.5)
        return;
    p->last = t;
    double dt = t - p->t0;
    fprintf(stderr, "\r%s: %" PRIu64 " rows, %.0f rows/s%s", p->name, rows,
            dt > 0 ? (double)rows / dt : 0.0, final ? "\n" : "\033[K");
}

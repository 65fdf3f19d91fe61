/* gzip and zstd, streaming, both ways (see compress.h). */
#include "config.h"

#include "compress.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "error.h"

/* gzip at zlib's fastest level: gzip is the compatible choice, not the
 * small one (zstd is both smaller and faster), so it should at least not
 * hold its writer back. */
enum { GZIP_LEVEL = Z_BEST_SPEED };
/* zstd's default level: at about 400 MB/s per worker on cu's TSV it keeps
 * ahead of every tool feeding it, and its files are smaller than gzip -6's. */
enum { ZSTD_LEVEL = 3, ZSTD_MAX_WORKERS = 4 };

bool cu_compress_parse(const char *s, enum cu_compress *c)
{
    static const struct { const char *name; enum cu_compress c; } names[] = {
        {"zstd", CU_COMPRESS_ZSTD},
        {"gzip", CU_COMPRESS_GZIP},
        {"none", CU_COMPRESS_NONE},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *c = names[i].c;
            return true;
        }
    return false;
}

const char *cu_compress_name(enum cu_compress c)
{
    return c == CU_COMPRESS_ZSTD ? "zstd" : c == CU_COMPRESS_GZIP ? "gzip"
                                                                  : "none";
}

const char *cu_compress_suffix(enum cu_compress c)
{
    return c == CU_COMPRESS_ZSTD ? ".zst" : c == CU_COMPRESS_GZIP ? ".gz"
                                                                  : "";
}

enum cu_compress cu_compress_sniff(const void *p, size_t n)
{
    const unsigned char *b = p;
    if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
        return CU_COMPRESS_GZIP;
    if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f &&
        b[3] == 0xfd)
        return CU_COMPRESS_ZSTD;
    return CU_COMPRESS_NONE;
}

/* ---- compressing ---- */

struct cu_encoder {
    enum cu_compress c;
    char *name;
    z_stream z;
    ZSTD_CCtx *zc;
    unsigned char *out;
    size_t cap;
};

/* Worker threads for zstd: the CPUs there are, up to a few (more only
 * costs memory: one tool's output never needs more), and at least one, so
 * that the output is the multi-threaded mode's on every machine. */
static int zstd_workers(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 1)
        return 1;
    return cpus > ZSTD_MAX_WORKERS ? ZSTD_MAX_WORKERS : (int)cpus;
}

static void start_zstd(cu_encoder *e)
{
    e->zc = ZSTD_createCCtx();
    if (!e->zc ||
        ZSTD_isError(ZSTD_CCtx_setParameter(e->zc, ZSTD_c_compressionLevel,
                                            ZSTD_LEVEL)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(e->zc, ZSTD_c_checksumFlag, 1)))
        cu_die(CU_EXIT_DATA, "%s: cannot start zstd compression", e->name);
    /* a libzstd built without threads refuses workers: it then compresses
       in this thread, still correctly */
    (void)ZSTD_CCtx_setParameter(e->zc, ZSTD_c_nbWorkers, zstd_workers());
    e->cap = ZSTD_CStreamOutSize();
    e->out = cu_xmalloc(e->cap);
}

static void start_gzip(cu_encoder *e)
{
    /* windowBits 15 + 16: a gzip wrapper (mtime 0), readable by gzip(1) */
    if (deflateInit2(&e->z, GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        cu_die(CU_EXIT_DATA, "%s: cannot start gzip compression", e->name);
    e->cap = 64 * 1024;
    e->out = cu_xmalloc(e->cap);
}

cu_encoder *cu_encoder_new(enum cu_compress c, const char *name)
{
    cu_encoder *e = cu_xcalloc(1, sizeof *e);
    e->c = c;
    e->name = cu_xstrdup(name);
    if (c == CU_COMPRESS_ZSTD)
        start_zstd(e);
    else
        start_gzip(e);
    return e;
}

static void put_gzip(cu_encoder *e, const void *in, size_t n,
                     enum cu_encode_mode mode, cu_encoder_sink *sink,
                     void *ctx)
{
    static const int flushes[] = {[CU_ENCODE_MORE] = Z_NO_FLUSH,
                                  [CU_ENCODE_FLUSH] = Z_SYNC_FLUSH,
                                  [CU_ENCODE_END] = Z_FINISH};
    int flush = flushes[mode];
    int rc;
    e->z.next_in = (unsigned char *)in;
    e->z.avail_in = (uInt)n; /* the writer's buffer: far below 4 GB */
    do {
        e->z.next_out = e->out;
        e->z.avail_out = (uInt)e->cap;
        rc = deflate(&e->z, flush);
        if (rc == Z_STREAM_ERROR)
            cu_die(CU_EXIT_DATA, "%s: gzip compression failed", e->name);
        if (e->cap - e->z.avail_out)
            sink(ctx, e->out, e->cap - e->z.avail_out);
    } while (e->z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
}

static void put_zstd(cu_encoder *e, const void *in, size_t n,
                     enum cu_encode_mode mode, cu_encoder_sink *sink,
                     void *ctx)
{
    static const ZSTD_EndDirective ends[] = {
        [CU_ENCODE_MORE] = ZSTD_e_continue,
        [CU_ENCODE_FLUSH] = ZSTD_e_flush,
        [CU_ENCODE_END] = ZSTD_e_end};
    ZSTD_EndDirective end = ends[mode];
    ZSTD_inBuffer ib = {in, n, 0};
    for (;;) {
        ZSTD_outBuffer ob = {e->out, e->cap, 0};
        size_t left = ZSTD_compressStream2(e->zc, &ob, &ib, end);
        if (ZSTD_isError(left))
            cu_die(CU_EXIT_DATA, "%s: zstd compression failed: %s", e->name,
                   ZSTD_getErrorName(left));
        if (ob.pos)
            sink(ctx, e->out, ob.pos);
        /* continue: done once the input is taken (the workers keep the
           rest); flush and end: once nothing is left to write out */
        if (end == ZSTD_e_continue ? ib.pos == ib.size : left == 0)
            return;
    }
}

void cu_encoder_put(cu_encoder *e, const void *in, size_t n,
                    enum cu_encode_mode mode, cu_encoder_sink *sink,
                    void *ctx)
{
    if (e->c == CU_COMPRESS_ZSTD)
        put_zstd(e, in, n, mode, sink, ctx);
    else
        put_gzip(e, in, n, mode, sink, ctx);
}

void cu_encoder_free(cu_encoder *e)
{
    if (!e)
        return;
    if (e->c == CU_COMPRESS_ZSTD)
        ZSTD_freeCCtx(e->zc);
    else
        deflateEnd(&e->z);
    cu_free_all(e->out, e->name, e);
}

/* ---- decompressing ---- */

struct cu_decoder {
    enum cu_compress c;
    bool z_ready;
    z_stream z;
    ZSTD_DCtx *zd;
};

cu_decoder *cu_decoder_new(void)
{
    return cu_xcalloc(1, sizeof(cu_decoder));
}

void cu_decoder_start(cu_decoder *d, enum cu_compress c)
{
    d->c = c;
    if (c == CU_COMPRESS_GZIP) {
        if (d->z_ready)
            inflateReset(&d->z);
        else if (inflateInit2(&d->z, 15 + 16) == Z_OK) /* gzip wrapper */
            d->z_ready = true;
        else
            cu_die(CU_EXIT_DATA, "cannot start zlib");
    } else if (c == CU_COMPRESS_ZSTD) {
        if (!d->zd && !(d->zd = ZSTD_createDCtx()))
            cu_die(CU_EXIT_DATA, "cannot start zstd");
        ZSTD_DCtx_reset(d->zd, ZSTD_reset_session_only);
    }
}

enum cu_compress cu_decoder_kind(const cu_decoder *d) { return d->c; }

static enum cu_decode_rc run_gzip(cu_decoder *d, const unsigned char **in,
                                  size_t *in_len, unsigned char *out,
                                  size_t cap, size_t *produced,
                                  const char **err)
{
    z_stream *z = &d->z;
    size_t in_n = *in_len > UINT_MAX ? UINT_MAX : *in_len;
    size_t out_n = cap > UINT_MAX ? UINT_MAX : cap;
    int ret;
    z->next_in = (unsigned char *)*in;
    z->avail_in = (uInt)in_n;
    z->next_out = out;
    z->avail_out = (uInt)out_n;
    ret = inflate(z, Z_NO_FLUSH);
    *in += in_n - z->avail_in;
    *in_len -= in_n - z->avail_in;
    *produced = out_n - z->avail_out;
    switch (ret) {
    case Z_STREAM_END:
        return CU_DECODE_FRAME_END;
    case Z_OK:
    case Z_BUF_ERROR: /* no progress possible now: more input needed */
        return CU_DECODE_OK;
    default:
        *err = z->msg ? z->msg : zError(ret);
        return CU_DECODE_ERROR;
    }
}

static enum cu_decode_rc run_zstd(cu_decoder *d, const unsigned char **in,
                                  size_t *in_len, unsigned char *out,
                                  size_t cap, size_t *produced,
                                  const char **err)
{
    ZSTD_inBuffer ib = {*in, *in_len, 0};
    ZSTD_outBuffer ob = {out, cap, 0};
    size_t ret = ZSTD_decompressStream(d->zd, &ob, &ib);
    *in += ib.pos;
    *in_len -= ib.pos;
    *produced = ob.pos;
    if (ZSTD_isError(ret)) {
        *err = ZSTD_getErrorName(ret);
        return CU_DECODE_ERROR;
    }
    return ret == 0 ? CU_DECODE_FRAME_END : CU_DECODE_OK;
}

enum cu_decode_rc cu_decoder_run(cu_decoder *d, const unsigned char **in,
                                 size_t *in_len, unsigned char *out,
                                 size_t cap, size_t *produced,
                                 const char **err)
{
    if (d->c == CU_COMPRESS_ZSTD)
        return run_zstd(d, in, in_len, out, cap, produced, err);
    return run_gzip(d, in, in_len, out, cap, produced, err);
}

void cu_decoder_free(cu_decoder *d)
{
    if (!d)
        return;
    if (d->z_ready)
        inflateEnd(&d->z);
    ZSTD_freeDCtx(d->zd);
    free(d);
}

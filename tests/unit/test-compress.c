/* lib/compress on its own (the writer's and reader's tests use it through
 * files): names, suffixes, sniffing, and the encoder and decoder directly:
 * round trips in pieces, reproducible output, concatenated frames, a cut
 * and a flipped byte found. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compress.h"
#include "tap.h"

struct buf {
    unsigned char *p;
    size_t n, cap;
};

static void sink(void *ctx, const void *p, size_t n)
{
    struct buf *b = ctx;
    if (n == 0)
        return;
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

/* text compressed with c, handed to the encoder in pieces of `piece`. */
static struct buf compress_text(enum cu_compress c, const char *text,
                                size_t len, size_t piece)
{
    struct buf out = {0};
    cu_encoder *e = cu_encoder_new(c, "(test)");
    for (size_t at = 0; at < len; at += piece) {
        size_t n = len - at < piece ? len - at : piece;
        cu_encoder_put(e, text + at, n, CU_ENCODE_MORE, sink, &out);
    }
    cu_encoder_put(e, "", 0, CU_ENCODE_END, sink, &out);
    cu_encoder_free(e);
    return out;
}

/* in decompressed; *frames: the frames or members that ended; NULL and
 * *why on an error or a cut. */
static struct buf decompress(enum cu_compress c, const struct buf *in,
                             int *frames, const char **why)
{
    struct buf out = {0};
    cu_decoder *d = cu_decoder_new();
    cu_decoder_start(d, c);
    const unsigned char *p = in->p;
    size_t left = in->n;
    unsigned char chunk[100];
    *frames = 0;
    *why = NULL;
    for (;;) {
        size_t produced = 0;
        enum cu_decode_rc rc =
            cu_decoder_run(d, &p, &left, chunk, sizeof chunk, &produced, why);
        sink(&out, chunk, produced);
        if (rc == CU_DECODE_ERROR)
            break;
        if (rc == CU_DECODE_FRAME_END) {
            ++*frames;
            if (left == 0)
                break;
            cu_decoder_start(d, c);
            continue;
        }
        if (left == 0 && produced == 0) {
            *why = "truncated";
            break;
        }
    }
    cu_decoder_free(d);
    return out;
}

static void round_trips(enum cu_compress c)
{
    const char *name = cu_compress_name(c);
    char *text = malloc(200000);
    size_t len = 0;
    for (int i = 0; len < 190000; i++)
        len += (size_t)sprintf(text + len, "site1\tinstance\t%08d\tactive\n",
                               i * 7919 % 100000);
    struct buf a = compress_text(c, text, len, len);
    struct buf b = compress_text(c, text, len, 333);
    ok(a.n > 0 && a.n < len / 3, "%s: compresses (%zu -> %zu bytes)", name,
       len, a.n);
    ok(a.n == b.n && memcmp(a.p, b.p, a.n) == 0,
       "%s: the same bytes in any pieces give the same output", name);
    ok(cu_compress_sniff(a.p, a.n) == c, "%s: told by its first bytes",
       name);
    int frames;
    const char *why;
    struct buf back = decompress(c, &a, &frames, &why);
    ok(!why && frames == 1 && back.n == len && memcmp(back.p, text, len) == 0,
       "%s: decompresses to the input, one frame", name);
    free(back.p);
    /* two frames one after the other are one stream */
    struct buf two = a;
    two.p = malloc(2 * a.n);
    memcpy(two.p, a.p, a.n);
    memcpy(two.p + a.n, b.p, b.n);
    two.n = a.n + b.n;
    back = decompress(c, &two, &frames, &why);
    ok(!why && frames == 2 && back.n == 2 * len,
       "%s: concatenated frames read on", name);
    free(back.p);
    /* a cut and a flipped byte do not pass silently */
    struct buf cut = a;
    cut.n = a.n / 2;
    back = decompress(c, &cut, &frames, &why);
    ok(why != NULL && frames == 0, "%s: a file cut in half is an error (%s)",
       name, why ? why : "none");
    free(back.p);
    a.p[a.n / 2] ^= 0x40;
    back = decompress(c, &a, &frames, &why);
    ok(why != NULL, "%s: a flipped byte is an error (%s)", name,
       why ? why : "none");
    free(back.p);
    free(two.p);
    free(a.p);
    free(b.p);
    free(text);
}

int main(void)
{
    plan(0);
    enum cu_compress c;
    ok(cu_compress_parse("zstd", &c) && c == CU_COMPRESS_ZSTD &&
           cu_compress_parse("gzip", &c) && c == CU_COMPRESS_GZIP &&
           cu_compress_parse("none", &c) && c == CU_COMPRESS_NONE,
       "the names --compress takes");
    ok(!cu_compress_parse("bzip2", &c) && !cu_compress_parse("", &c),
       "anything else refused");
    is_str(cu_compress_suffix(CU_COMPRESS_ZSTD), ".zst", "zstd suffix");
    is_str(cu_compress_suffix(CU_COMPRESS_GZIP), ".gz", "gzip suffix");
    is_str(cu_compress_suffix(CU_COMPRESS_NONE), "", "no suffix");
    ok(cu_compress_sniff("site\tkind\n", 10) == CU_COMPRESS_NONE &&
           cu_compress_sniff("\x28\xb5", 2) == CU_COMPRESS_NONE,
       "text is plain; two bytes cannot tell zstd");
    round_trips(CU_COMPRESS_ZSTD);
    round_trips(CU_COMPRESS_GZIP);
    return done_testing();
}

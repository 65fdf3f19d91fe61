/* Compression of cu's files, both ways: zstd (libzstd, the default for
 * archives and the pipeline's outputs: several times faster than gzip at a
 * better ratio) and gzip (zlib, for readers that know nothing else).
 * Readers never ask which: cu_compress_sniff tells it from a file's first
 * bytes, and plain files pass through.
 *
 * Output is reproducible: the same bytes in, in any pieces, give the same
 * compressed bytes, on any machine. zstd always runs in its multi-threaded
 * mode (at least one worker thread), whose output does not depend on the
 * number of workers, unlike its single-threaded mode's. */
#ifndef CU_COMPRESS_H
#define CU_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>

enum cu_compress { CU_COMPRESS_NONE, CU_COMPRESS_GZIP, CU_COMPRESS_ZSTD };

/* "zstd", "gzip" or "none" (what --compress takes); false for anything
 * else. */
bool cu_compress_parse(const char *s, enum cu_compress *c);
const char *cu_compress_name(enum cu_compress c);
/* The file name suffix: ".zst", ".gz" or "". */
const char *cu_compress_suffix(enum cu_compress c);
/* What a file starting with p[0..n) holds (n >= 4 to tell zstd). */
enum cu_compress cu_compress_sniff(const void *p, size_t n);

/* ---- compressing ---- */

typedef struct cu_encoder cu_encoder;

enum cu_encode_mode {
    CU_ENCODE_MORE,  /* more input follows */
    CU_ENCODE_FLUSH, /* a reader can decompress all input so far */
    CU_ENCODE_END,   /* the last input: finish the gzip member or frame */
};

/* Where compressed bytes go (the writer's checked write(2)). */
typedef void cu_encoder_sink(void *ctx, const void *p, size_t n);

/* An encoder for c (GZIP or ZSTD); name is the output's, for messages.
 * Failing to start is fatal. */
cu_encoder *cu_encoder_new(enum cu_compress c, const char *name);
/* Compress in[0..n) and hand what comes out to sink. */
void cu_encoder_put(cu_encoder *e, const void *in, size_t n,
                    enum cu_encode_mode mode, cu_encoder_sink *sink,
                    void *ctx);
void cu_encoder_free(cu_encoder *e);

/* ---- decompressing ---- */

typedef struct cu_decoder cu_decoder;

enum cu_decode_rc {
    CU_DECODE_OK,        /* progress, or more input needed */
    CU_DECODE_FRAME_END, /* a gzip member or zstd frame ended */
    CU_DECODE_ERROR,     /* corrupt data: *err says what */
};

/* A decoder for c (GZIP or ZSTD); cu_decoder_start makes it ready for a
 * new file (of either kind) or the next member of the same file. */
cu_decoder *cu_decoder_new(void);
void cu_decoder_start(cu_decoder *d, enum cu_compress c);
/* Decompress from *in (*in_len bytes; both advanced past what was taken)
 * into out[0..cap); *produced says how much came out. A file's end with
 * *in_len == 0, nothing produced and no FRAME_END is a truncated file. */
enum cu_decode_rc cu_decoder_run(cu_decoder *d, const unsigned char **in,
                                 size_t *in_len, unsigned char *out,
                                 size_t cap, size_t *produced,
                                 const char **err);
enum cu_compress cu_decoder_kind(const cu_decoder *d);
void cu_decoder_free(cu_decoder *d);

#endif

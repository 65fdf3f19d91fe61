#include "config.h"

#include "hmac.h"

#include "hex.h"

#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* SHA-256 works on 64-byte blocks; HMAC pads the key to one block. */
#define BLOCK 64

/* Failures inside libcrypto mean a broken installation: fatal. */
static noreturn void crypto_die(const char *what)
{
    unsigned long e = ERR_get_error();
    char msg[256] = "unknown error";
    if (e)
        ERR_error_string_n(e, msg, sizeof msg);
    cu_die(CU_EXIT_DATA, "libcrypto: %s failed: %s", what, msg);
}

/* SHA-256 fetched once: an explicit fetch avoids OpenSSL 3's implicit
 * lookup on every EVP_DigestInit_ex. Kept for the life of the process. */
static EVP_MD *sha256_md(void)
{
    static EVP_MD *md;
    if (!md && !(md = EVP_MD_fetch(NULL, "SHA256", NULL)))
        crypto_die("fetching SHA-256");
    return md;
}

static EVP_MD_CTX *ctx_new(void)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c)
        crypto_die("allocating a digest context");
    return c;
}

static inline void ctx_update(EVP_MD_CTX *c, const void *p, size_t n)
{
    if (n && !EVP_DigestUpdate(c, p, n))
        crypto_die("SHA-256 update");
}

static inline void ctx_copy(EVP_MD_CTX *to, const EVP_MD_CTX *from)
{
    if (!EVP_MD_CTX_copy_ex(to, from))
        crypto_die("copying a digest context");
}

static inline void ctx_final(EVP_MD_CTX *c, unsigned char out[CU_SHA256_BYTES])
{
    if (!EVP_DigestFinal_ex(c, out, NULL))
        crypto_die("SHA-256 final");
}

/* ---- HMAC-SHA256 ------------------------------------------------------ */

/* HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)). The two padded key
 * blocks are absorbed once here; each message then starts from a copy of
 * those states, so a message costs the compression of its own blocks and
 * one outer block, never the key's. */
struct cu_hmac {
    EVP_MD_CTX *inner; /* state after (K ^ ipad) */
    EVP_MD_CTX *outer; /* state after (K ^ opad) */
    EVP_MD_CTX *work;  /* scratch for one message (not shared across threads) */
};

cu_hmac *cu_hmac_new(const unsigned char *key, size_t keylen)
{
    unsigned char k[BLOCK] = {0}, pad[BLOCK];
    cu_hmac *h = cu_xmalloc(sizeof *h);
    EVP_MD *md = sha256_md();

    h->inner = ctx_new();
    h->outer = ctx_new();
    h->work = ctx_new();
    if (keylen > BLOCK) {
        /* RFC 2104: a key longer than a block is replaced by its hash. */
        if (!EVP_DigestInit_ex(h->work, md, NULL))
            crypto_die("SHA-256 init");
        ctx_update(h->work, key, keylen);
        ctx_final(h->work, k);
    } else if (keylen) {
        memcpy(k, key, keylen);
    }

    for (int i = 0; i < BLOCK; i++)
        pad[i] = k[i] ^ 0x36;
    if (!EVP_DigestInit_ex(h->inner, md, NULL))
        crypto_die("SHA-256 init");
    ctx_update(h->inner, pad, BLOCK);
    for (int i = 0; i < BLOCK; i++)
        pad[i] = k[i] ^ 0x5c;
    if (!EVP_DigestInit_ex(h->outer, md, NULL))
        crypto_die("SHA-256 init");
    ctx_update(h->outer, pad, BLOCK);

    cu_wipe(k, sizeof k);
    cu_wipe(pad, sizeof pad);
    return h;
}

void cu_hmac_free(cu_hmac *h)
{
    if (!h)
        return;
    /* OpenSSL's digest contexts cleanse their state when freed. */
    EVP_MD_CTX_free(h->inner);
    EVP_MD_CTX_free(h->outer);
    EVP_MD_CTX_free(h->work);
    cu_wipe(h, sizeof *h);
    free(h);
}

/* HMAC of the concatenation of up to three parts, into mac. */
static void hmac_parts(const cu_hmac *h, const void *a, size_t alen,
                       const void *b, size_t blen, const void *c, size_t clen,
                       unsigned char mac[CU_SHA256_BYTES])
{
    unsigned char ih[CU_SHA256_BYTES];

    ctx_copy(h->work, h->inner);
    ctx_update(h->work, a, alen);
    ctx_update(h->work, b, blen);
    ctx_update(h->work, c, clen);
    ctx_final(h->work, ih);
    ctx_copy(h->work, h->outer);
    ctx_update(h->work, ih, sizeof ih);
    ctx_final(h->work, mac);
}

void cu_hmac_sha256(const cu_hmac *h, const void *msg, size_t len,
                    unsigned char mac[CU_SHA256_BYTES])
{
    hmac_parts(h, msg, len, NULL, 0, NULL, 0, mac);
}

static const char hexdigits[] = "0123456789abcdef";

/* The first hexlen digits of the hex form of a 32-byte digest. */
static void digest_hex(const unsigned char d[CU_SHA256_BYTES], char *out,
                       size_t hexlen)
{
    if (hexlen > CU_SHA256_HEX)
        hexlen = CU_SHA256_HEX;
    for (size_t i = 0; i < hexlen; i++)
        out[i] = hexdigits[i & 1 ? d[i / 2] & 0xf : d[i / 2] >> 4];
    out[hexlen] = '\0';
}

void cu_hmac_hex(const cu_hmac *h, const char *domain, const void *msg,
                 size_t len, char *out, size_t hexlen)
{
    unsigned char mac[CU_SHA256_BYTES];

    if (domain)
        /* The NUL after the domain keeps ("ab", "c") apart from ("a", "bc"). */
        hmac_parts(h, domain, strlen(domain) + 1, msg, len, NULL, 0, mac);
    else
        hmac_parts(h, msg, len, NULL, 0, NULL, 0, mac);
    digest_hex(mac, out, hexlen);
}

/* ---- salted SHA-256 --------------------------------------------------- */

/* Compatibility mode hashes millions of values with one salt: the state
 * after the salt is kept and reused while the salt stays the same. */
static struct {
    EVP_MD_CTX *salted, *work;
    unsigned char *salt;
    size_t saltlen;
    bool ready;
} salted_cache;

static void salted_cache_free(void)
{
    EVP_MD_CTX_free(salted_cache.salted);
    EVP_MD_CTX_free(salted_cache.work);
    if (salted_cache.salt) {
        cu_wipe(salted_cache.salt, salted_cache.saltlen);
        free(salted_cache.salt);
    }
    memset(&salted_cache, 0, sizeof salted_cache);
}

static void salted_cache_set(const void *salt, size_t saltlen)
{
    if (!salted_cache.salted) {
        salted_cache.salted = ctx_new();
        salted_cache.work = ctx_new();
        atexit(salted_cache_free);
    }
    if (salted_cache.salt) {
        cu_wipe(salted_cache.salt, salted_cache.saltlen);
        free(salted_cache.salt);
    }
    salted_cache.salt = cu_xmalloc(saltlen ? saltlen : 1);
    if (saltlen)
        memcpy(salted_cache.salt, salt, saltlen);
    salted_cache.saltlen = saltlen;
    if (!EVP_DigestInit_ex(salted_cache.salted, sha256_md(), NULL))
        crypto_die("SHA-256 init");
    ctx_update(salted_cache.salted, salt, saltlen);
    salted_cache.ready = true;
}

void cu_sha256_salted_hex(const void *salt, size_t saltlen, const void *msg,
                          size_t len, char *out, size_t hexlen)
{
    unsigned char d[CU_SHA256_BYTES];

    if (!salted_cache.ready || salted_cache.saltlen != saltlen ||
        (saltlen && memcmp(salted_cache.salt, salt, saltlen) != 0))
        salted_cache_set(salt, saltlen);
    ctx_copy(salted_cache.work, salted_cache.salted);
    ctx_update(salted_cache.work, msg, len);
    ctx_final(salted_cache.work, d);
    digest_hex(d, out, hexlen);
}

struct cu_sha256 {
    EVP_MD_CTX *ctx;
};

cu_sha256 *cu_sha256_begin(void)
{
    cu_sha256 *h = cu_xmalloc(sizeof *h);
    h->ctx = ctx_new();
    if (!EVP_DigestInit_ex(h->ctx, sha256_md(), NULL))
        crypto_die("SHA-256 init");
    return h;
}

void cu_sha256_add(cu_sha256 *h, const void *p, size_t n)
{
    ctx_update(h->ctx, p, n);
}

void cu_sha256_end(cu_sha256 *h, char hex[CU_SHA256_HEX + 1])
{
    unsigned char md[CU_SHA256_BYTES];
    ctx_final(h->ctx, md);
    EVP_MD_CTX_free(h->ctx);
    free(h);
    cu_hex(md, sizeof md, hex);
}

void cu_sha256_file(const char *path, char hex[CU_SHA256_HEX + 1],
                    uint64_t *bytes)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        cu_die_errno(CU_EXIT_DATA, errno, "%s", path);
    cu_sha256 *h = cu_sha256_begin();
    unsigned char buf[65536];
    uint64_t total = 0;
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) != 0) {
        if (got < 0) {
            if (errno == EINTR)
                continue;
            cu_die_errno(CU_EXIT_DATA, errno, "%s", path);
        }
        cu_sha256_add(h, buf, (size_t)got);
        total += (uint64_t)got;
    }
    close(fd);
    cu_sha256_end(h, hex);
    if (bytes)
        *bytes = total;
}

/* ---- bytes ------------------------------------------------------------ */



void cu_random_bytes(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        /* getrandom returns at most 32 MiB per call, and may be cut short
         * by a signal: loop until all n bytes have come. */
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            cu_die_errno(CU_EXIT_DATA, errno,
                         "cannot read random bytes (getrandom)");
        }
        p += got;
        n -= (size_t)got;
    }
}

void cu_wipe(void *p, size_t n)
{
    if (p && n)
        OPENSSL_cleanse(p, n);
}

/* ---- key files -------------------------------------------------------- */

static bool key_error(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool key_error(char *errbuf, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (errbuf && errlen) {
        va_start(ap, fmt);
        vsnprintf(errbuf, errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* Exactly 2*CU_KEY_BYTES hex digits then one newline. */
static bool parse_key_text(const unsigned char *text, size_t n,
                           unsigned char key[CU_KEY_BYTES])
{
    if (n != 2 * CU_KEY_BYTES + 1 || text[2 * CU_KEY_BYTES] != '\n')
        return false;
    for (size_t i = 0; i < CU_KEY_BYTES; i++) {
        int hi = cu_hex_value(text[2 * i]);
        int lo = cu_hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        key[i] = (unsigned char)(hi << 4 | lo);
    }
    return true;
}

bool cu_key_file_read(const char *path, unsigned char key[CU_KEY_BYTES],
                      char *errbuf, size_t errlen)
{
    /* One byte more than a well-formed file, to notice a longer one. */
    unsigned char text[2 * CU_KEY_BYTES + 2];
    size_t n = 0;
    struct stat st;
    bool good;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

    if (fd < 0)
        return key_error(errbuf, errlen, "%s: cannot open key file: %s", path,
                         strerror(errno));
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return key_error(errbuf, errlen, "%s: cannot stat key file: %s", path,
                         strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return key_error(errbuf, errlen, "%s: key file is not a regular file",
                         path);
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        close(fd);
        return key_error(errbuf, errlen,
                         "%s: key file is accessible by group or others "
                         "(mode %04o); make it private with chmod 600",
                         path, (unsigned)(st.st_mode & 07777));
    }
    while (n < sizeof text) {
        ssize_t got = read(fd, text + n, sizeof text - n);
        if (got < 0) {
            int e = errno;
            if (e == EINTR)
                continue;
            close(fd);
            cu_wipe(text, sizeof text);
            return key_error(errbuf, errlen, "%s: cannot read key file: %s",
                             path, strerror(e));
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    good = parse_key_text(text, n, key);
    cu_wipe(text, sizeof text);
    if (!good) {
        cu_wipe(key, CU_KEY_BYTES);
        return key_error(errbuf, errlen,
                         "%s: malformed key file: expected %d hex digits and "
                         "a newline",
                         path, 2 * CU_KEY_BYTES);
    }
    return true;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

bool cu_key_file_create(const char *path, char *errbuf, size_t errlen)
{
    unsigned char key[CU_KEY_BYTES];
    char text[2 * CU_KEY_BYTES + 2];
    int fd, e = 0;

    /* O_EXCL: never replace a key someone may still need; O_NOFOLLOW with
     * O_EXCL also refuses a planted symlink. */
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return key_error(errbuf, errlen,
                             "%s: already exists; refusing to overwrite a key "
                             "file",
                             path);
        return key_error(errbuf, errlen, "%s: cannot create key file: %s",
                         path, strerror(errno));
    }
    cu_random_bytes(key, sizeof key);
    cu_hex(key, sizeof key, text);
    text[2 * CU_KEY_BYTES] = '\n';
    if (!write_all(fd, text, 2 * CU_KEY_BYTES + 1) || fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    cu_wipe(key, sizeof key);
    cu_wipe(text, sizeof text);
    if (e) {
        unlink(path); /* no half-written key left behind */
        return key_error(errbuf, errlen, "%s: cannot write key file: %s", path,
                         strerror(e));
    }
    return true;
}

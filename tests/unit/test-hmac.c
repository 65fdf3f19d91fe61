/* Unit tests of lib/hash: HMAC-SHA256 against RFC 4231 and against
 * libcrypto's one-shot HMAC(), domain separation, the salted SHA-256 of
 * published traces against sha256sum(1), hex, random bytes and key files. */
#include "config.h"

#include "hex.h"
#include "hmac.h"
#include "tap.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- helpers -------------------------------------------------------- */

static char *hmac_hex_of(const unsigned char *key, size_t keylen,
                         const void *msg, size_t len)
{
    static char hex[CU_SHA256_HEX + 1];
    unsigned char mac[CU_SHA256_BYTES];
    cu_hmac *h = cu_hmac_new(key, keylen);
    cu_hmac_sha256(h, msg, len, mac);
    cu_hmac_free(h);
    cu_hex(mac, sizeof mac, hex);
    return hex;
}

/* libcrypto's one-shot HMAC(): an independent reference (tests only). */
static void reference_hmac(const unsigned char *key, size_t keylen,
                           const void *msg, size_t len,
                           unsigned char mac[CU_SHA256_BYTES])
{
    unsigned int n = 0;
    static const unsigned char empty[1];
    if (!HMAC(EVP_sha256(), keylen ? key : empty, (int)keylen,
              len ? msg : empty, len, mac, &n) ||
        n != CU_SHA256_BYTES) {
        fprintf(stderr, "reference HMAC failed\n");
        exit(99);
    }
}

static char *read_file(const char *path, size_t *len)
{
    static char buf[4096];
    FILE *f = fopen(path, "rb");
    size_t n = 0;
    if (f) {
        n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static unsigned file_mode(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (unsigned)(st.st_mode & 07777) : 0xffffu;
}

/* ---- RFC 4231 ------------------------------------------------------- */

static void test_rfc4231(void)
{
    unsigned char k20[20], k25[25], k131[131], d50[50];
    const char *msg;

    /* Test case 1 */
    memset(k20, 0x0b, sizeof k20);
    is_str(hmac_hex_of(k20, 20, "Hi There", 8),
           "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
           "RFC 4231 test case 1");
    /* Test case 2: a key shorter than the output */
    msg = "what do ya want for nothing?";
    is_str(hmac_hex_of((const unsigned char *)"Jefe", 4, msg, strlen(msg)),
           "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
           "RFC 4231 test case 2");
    /* Test case 3 */
    memset(k20, 0xaa, sizeof k20);
    memset(d50, 0xdd, sizeof d50);
    is_str(hmac_hex_of(k20, 20, d50, 50),
           "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
           "RFC 4231 test case 3");
    /* Test case 4 */
    for (int i = 0; i < 25; i++)
        k25[i] = (unsigned char)(i + 1);
    memset(d50, 0xcd, sizeof d50);
    is_str(hmac_hex_of(k25, 25, d50, 50),
           "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
           "RFC 4231 test case 4");
    /* Test case 5: output truncated to 128 bits */
    memset(k20, 0x0c, sizeof k20);
    {
        char hex[CU_SHA256_HEX + 1];
        cu_hmac *h = cu_hmac_new(k20, 20);
        cu_hmac_hex(h, NULL, "Test With Truncation", 20, hex, 32);
        is_str(hex, "a3b6167473100ee06e0c796c2955552b",
               "RFC 4231 test case 5 (truncated to 128 bits)");
        cu_hmac_free(h);
    }
    /* Test case 6: a 131-byte key, hashed first */
    memset(k131, 0xaa, sizeof k131);
    msg = "Test Using Larger Than Block-Size Key - Hash Key First";
    is_str(hmac_hex_of(k131, 131, msg, strlen(msg)),
           "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
           "RFC 4231 test case 6 (131-byte key)");
    /* Test case 7: a 131-byte key and data longer than a block */
    msg = "This is a test using a larger than block-size key and a larger "
          "than block-size data. The key needs to be hashed before being "
          "used by the HMAC algorithm.";
    is_str(hmac_hex_of(k131, 131, msg, strlen(msg)),
           "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
           "RFC 4231 test case 7 (131-byte key, long data)");
}

/* Key and message lengths around the block size (64) and the padding
 * boundary (55/56), compared with the one-shot HMAC(). One cu_hmac serves
 * many messages, so reuse of the precomputed pads is covered too. */
static void test_against_reference(void)
{
    static const size_t keylens[] = {0, 1, 31, 32, 63, 64, 65, 127, 128, 131, 200};
    unsigned char key[200], msg[300], mac[CU_SHA256_BYTES], ref[CU_SHA256_BYTES];
    long bad = 0, runs = 0;

    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (unsigned char)(i * 7 + 3);
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (unsigned char)(i * 13 + 5);
    for (size_t k = 0; k < sizeof keylens / sizeof *keylens; k++) {
        cu_hmac *h = cu_hmac_new(key, keylens[k]);
        for (size_t len = 0; len <= sizeof msg; len++, runs++) {
            cu_hmac_sha256(h, msg, len, mac);
            reference_hmac(key, keylens[k], msg, len, ref);
            if (memcmp(mac, ref, sizeof mac) != 0 && bad++ == 0)
                diag("key length %zu, message length %zu differ", keylens[k],
                     len);
        }
        cu_hmac_free(h);
    }
    is_int(bad, 0, "HMAC equals libcrypto's HMAC() for 11 key lengths x 301 "
                   "message lengths");
    is_int(runs, 11 * 301, "... all of them ran");

    /* A 64-byte key is used as is, a 65-byte one hashed: they differ. */
    unsigned char m64[CU_SHA256_BYTES], m65[CU_SHA256_BYTES];
    cu_hmac *h64 = cu_hmac_new(key, 64), *h65 = cu_hmac_new(key, 65);
    cu_hmac_sha256(h64, "x", 1, m64);
    cu_hmac_sha256(h65, "x", 1, m65);
    ok(memcmp(m64, m65, sizeof m64) != 0, "64- and 65-byte keys differ");
    cu_hmac_free(h64);
    cu_hmac_free(h65);

    /* A key longer than a block equals the HMAC with its SHA-256 as key. */
    unsigned char kd[CU_SHA256_BYTES], a[CU_SHA256_BYTES], b[CU_SHA256_BYTES];
    unsigned int kdn = 0;
    EVP_Digest(key, 131, kd, &kdn, EVP_sha256(), NULL);
    cu_hmac *hl = cu_hmac_new(key, 131), *hd = cu_hmac_new(kd, kdn);
    cu_hmac_sha256(hl, "abc", 3, a);
    cu_hmac_sha256(hd, "abc", 3, b);
    ok(kdn == 32 && memcmp(a, b, sizeof a) == 0,
       "a 131-byte key acts as its SHA-256 (RFC 2104)");
    cu_hmac_free(hl);
    cu_hmac_free(hd);
    cu_hmac_free(NULL);
    ok(1, "cu_hmac_free(NULL) is fine");
}

/* ---- hex output and domain separation ------------------------------- */

static void test_hmac_hex(void)
{
    unsigned char key[CU_KEY_BYTES], ref[CU_SHA256_BYTES];
    char got[CU_SHA256_HEX + 8], want[CU_SHA256_HEX + 1], other[CU_SHA256_HEX + 1];
    for (int i = 0; i < CU_KEY_BYTES; i++)
        key[i] = (unsigned char)(0xa0 + i);
    cu_hmac *h = cu_hmac_new(key, sizeof key);

    reference_hmac(key, sizeof key, "compute-1", 9, ref);
    cu_hex(ref, sizeof ref, want);
    cu_hmac_hex(h, NULL, "compute-1", 9, got, 64);
    is_str(got, want, "NULL domain = plain HMAC of the message");

    /* HMAC(key, "host" || 0x00 || msg), built by hand. */
    reference_hmac(key, sizeof key, "host\0compute-1", 14, ref);
    cu_hex(ref, sizeof ref, want);
    cu_hmac_hex(h, "host", "compute-1", 9, got, 64);
    is_str(got, want, "domain 'host' = HMAC of 'host' NUL message");

    cu_hmac_hex(h, "project", "compute-1", 9, other, 64);
    ok(strcmp(got, other) != 0, "domains 'host' and 'project' differ");
    cu_hmac_hex(h, "", "compute-1", 9, other, 64);
    ok(strcmp(got, other) != 0 && strcmp(want, other) != 0,
       "the empty domain differs from NULL and from 'host'");
    reference_hmac(key, sizeof key, "\0compute-1", 10, ref);
    cu_hex(ref, sizeof ref, want);
    is_str(other, want, "the empty domain is HMAC of NUL message");

    /* The separator keeps ("ab","c") apart from ("a","bc"). */
    cu_hmac_hex(h, "ab", "c", 1, got, 64);
    cu_hmac_hex(h, "a", "bc", 2, other, 64);
    ok(strcmp(got, other) != 0, "domain ab + c differs from domain a + bc");

    /* Messages may contain NUL bytes and be empty. */
    reference_hmac(key, sizeof key, "user\0a\0b", 8, ref);
    cu_hex(ref, sizeof ref, want);
    cu_hmac_hex(h, "user", "a\0b", 3, got, 64);
    is_str(got, want, "a message with a NUL byte");
    reference_hmac(key, sizeof key, "user", 5, ref);
    cu_hex(ref, sizeof ref, want);
    cu_hmac_hex(h, "user", "", 0, got, 64);
    is_str(got, want, "an empty message");

    /* Truncation: hexlen digits then a NUL, nothing written beyond. */
    cu_hmac_hex(h, "host", "compute-1", 9, want, 64);
    for (size_t n = 1; n <= 64; n++) {
        memset(got, '#', sizeof got);
        cu_hmac_hex(h, "host", "compute-1", 9, got, n);
        if (strlen(got) != n || memcmp(got, want, n) != 0 || got[n + 1] != '#') {
            ok(false, "hexlen %zu", n);
            cu_hmac_free(h);
            return;
        }
    }
    ok(1, "hexlen 1..64: a prefix of the full hex, NUL-terminated, no overrun");
    memset(got, '#', sizeof got);
    cu_hmac_hex(h, "host", "compute-1", 9, got, 16);
    is_int((int64_t)strlen(got), 16, "hexlen 16 writes 16 digits");
    ok(strspn(got, "0123456789abcdef") == 16, "lower-case hex digits only");
    cu_hmac_free(h);
}

static void test_hex_and_wipe(void)
{
    char out[16];
    const unsigned char in[] = {0x00, 0xff, 0x0a, 0xb5, 0x7c};
    memset(out, '#', sizeof out);
    cu_hex(in, sizeof in, out);
    is_str(out, "00ff0ab57c", "cu_hex");
    is_int(out[11], '#', "cu_hex writes 2n digits and a NUL only");
    cu_hex(in, 0, out);
    is_str(out, "", "cu_hex of nothing");

    unsigned char secret[40];
    memset(secret, 0x5a, sizeof secret);
    cu_wipe(secret, 32);
    bool zero = true;
    for (int i = 0; i < 32; i++)
        zero = zero && secret[i] == 0;
    ok(zero && secret[32] == 0x5a, "cu_wipe clears exactly n bytes");
    cu_wipe(NULL, 0);
    ok(1, "cu_wipe(NULL, 0) is fine");
}

/* ---- salted SHA-256 ------------------------------------------------- */

/* The expected values come from sha256sum(1), computed here with
 * `printf '%s' SALT VALUE | sha256sum` through popen: an implementation
 * independent of lib/hash and of libcrypto. The arguments are plain
 * alphanumerics, safe inside single quotes. */
static void sha256sum_of(const char *salt, const char *value, char *out)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "printf '%%s' '%s' '%s' | sha256sum", salt, value);
    FILE *p = popen(cmd, "r");
    out[0] = '\0';
    if (!p || !fgets(out, CU_SHA256_HEX + 1, p)) {
        fprintf(stderr, "cannot run: %s\n", cmd);
        exit(99);
    }
    pclose(p);
}

static void salted_is(const char *salt, const char *value)
{
    char want[CU_SHA256_HEX + 1], got[CU_SHA256_HEX + 1];
    sha256sum_of(salt, value, want);
    cu_sha256_salted_hex(salt, strlen(salt), value, strlen(value), got, 64);
    char name[160];
    snprintf(name, sizeof name, "sha256('%s' || '%s') = sha256sum", salt, value);
    is_str(got, want, name);
}

static void test_salted(void)
{
    salted_is("s3cr3tSalt", "c0a7e2b4a1f94e0b9e1c3f5d7a9b2c4d");
    salted_is("s3cr3tSalt", "compute-17");
    salted_is("otherSalt", "compute-17"); /* a new salt: state recomputed */
    salted_is("s3cr3tSalt", "compute-17"); /* and back */
    salted_is("s3cr3tSalt", "");
    salted_is("", "compute-17");
    salted_is("s3cr3tSal", "tcompute-17"); /* same bytes, other split */

    char a[CU_SHA256_HEX + 1], b[CU_SHA256_HEX + 1];
    cu_sha256_salted_hex("salt", 4, "x", 1, a, 64);
    cu_sha256_salted_hex("salt", 4, "x", 1, b, 12);
    ok(strlen(b) == 12 && strncmp(a, b, 12) == 0, "salted hex truncates");
    /* A salt with the same prefix and length but other bytes. */
    cu_sha256_salted_hex("salu", 4, "x", 1, b, 64);
    ok(strcmp(a, b) != 0, "a salt differing in its last byte is noticed");
    /* A long salt (beyond one block) and a long value. */
    char salt[200], value[300], want[CU_SHA256_HEX + 1], got[CU_SHA256_HEX + 1];
    for (int i = 0; i < 199; i++)
        salt[i] = (char)('a' + i % 26);
    salt[199] = '\0';
    for (int i = 0; i < 299; i++)
        value[i] = (char)('A' + i % 26);
    value[299] = '\0';
    sha256sum_of(salt, value, want);
    cu_sha256_salted_hex(salt, 199, value, 299, got, 64);
    is_str(got, want, "salted sha256 with a 199-byte salt and 299-byte value");
}

/* ---- random bytes --------------------------------------------------- */

static void test_random(void)
{
    unsigned char a[CU_KEY_BYTES], b[CU_KEY_BYTES], zero[CU_KEY_BYTES] = {0};
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    cu_random_bytes(a, sizeof a);
    cu_random_bytes(b, sizeof b);
    ok(memcmp(a, zero, sizeof a) != 0, "random bytes are not all zero");
    ok(memcmp(a, b, sizeof a) != 0, "two calls give different bytes");

    /* A large request is filled to the end. */
    size_t n = (size_t)40 << 20; /* over getrandom's 32 MiB per call */
    unsigned char *big = calloc(n, 1);
    if (!big)
        exit(99);
    cu_random_bytes(big, n);
    ok(memcmp(big + n - sizeof zero, zero, sizeof zero) != 0 &&
           memcmp(big + ((size_t)33 << 20), zero, sizeof zero) != 0,
       "a 40 MiB request is filled to its end");
    free(big);
    cu_random_bytes(a, 0);
    ok(1, "a request for 0 bytes is fine");
}

/* In a child: make getrandom(2) fail with ENOSYS through a seccomp filter,
 * then ask for random bytes; cu_random_bytes must die. Exit 77 when the
 * filter cannot be installed. */
static void random_without_getrandom(void *arg)
{
    (void)arg;
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getrandom, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {sizeof filter / sizeof *filter, filter};
    unsigned char buf[16];
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
        _exit(77);
    cu_random_bytes(buf, sizeof buf);
    _exit(0);
}

static void test_random_failure(void)
{
    struct child_result r = run_child(random_without_getrandom, NULL);
    if (r.status == 77) {
        skip("cannot install a seccomp filter here");
    } else {
        ok(r.status == 1 &&
               strstr(r.err, "cannot read random bytes (getrandom): "
                             "Function not implemented"),
           "a failing getrandom is fatal with a message");
        if (r.status != 1)
            diag("status %d, stderr '%s'", r.status, r.err);
    }
    child_result_free(&r);
}

/* ---- key files ------------------------------------------------------ */

static void key_read_fails(const char *path, const char *msg, const char *name)
{
    unsigned char key[CU_KEY_BYTES];
    char err[512] = "";
    memset(key, 0x77, sizeof key);
    bool rc = cu_key_file_read(path, key, err, sizeof err);
    if (!ok(!rc && strstr(err, msg) && strstr(err, path), "%s", name))
        diag("rc %d, message '%s', expected '%s'", rc, err, msg);
}

/* A key file with the given text; its path is valid until the next call. */
static const char *key_text_file(const char *text, unsigned mode)
{
    static char path[512];
    char *p = tmpfile_with(text, strlen(text), ".key");
    snprintf(path, sizeof path, "%s", p);
    free(p);
    if (chmod(path, mode) != 0)
        exit(99);
    return path;
}

static void test_key_files(void)
{
    char *dir = tmpdir_make();
    char path[512], err[512] = "", text[CU_SHA256_HEX + 2];
    unsigned char key[CU_KEY_BYTES], key2[CU_KEY_BYTES];
    size_t len;

    snprintf(path, sizeof path, "%s/pseudonym.key", dir);
    ok(cu_key_file_create(path, err, sizeof err), "create a key file");
    is_int(file_mode(path), 0600, "... with mode 0600");
    char *content = read_file(path, &len);
    is_int((int64_t)len, 65, "... of 65 bytes");
    ok(strspn(content, "0123456789abcdef") == 64 && content[64] == '\n',
       "... 64 lower-case hex digits and a newline");
    memcpy(text, content, 65);
    text[65] = '\0';

    ok(cu_key_file_read(path, key, err, sizeof err), "read it back");
    char hex[CU_SHA256_HEX + 1];
    cu_hex(key, sizeof key, hex);
    ok(strncmp(hex, text, 64) == 0, "the key read is the key written");

    ok(!cu_key_file_create(path, err, sizeof err) &&
           strstr(err, "already exists; refusing to overwrite") &&
           strstr(err, path),
       "refuse to overwrite an existing key file");
    ok(strcmp(read_file(path, NULL), text) == 0, "... and it is unchanged");

    /* A second key differs from the first. */
    char path2[520];
    snprintf(path2, sizeof path2, "%s/second.key", dir);
    ok(cu_key_file_create(path2, err, sizeof err) &&
           cu_key_file_read(path2, key2, err, sizeof err) &&
           memcmp(key, key2, sizeof key) != 0,
       "two fresh keys differ");

    /* A symlink in place of the key file is refused, not followed. */
    char link[520], target[520];
    snprintf(link, sizeof link, "%s/link.key", dir);
    snprintf(target, sizeof target, "%s/target", dir);
    if (symlink(target, link) != 0)
        exit(99);
    ok(!cu_key_file_create(link, err, sizeof err) &&
           strstr(err, "refusing to overwrite") && access(target, F_OK) != 0,
       "refuse to create through a dangling symlink");

    snprintf(path2, sizeof path2, "%s/no/such/dir.key", dir);
    ok(!cu_key_file_create(path2, err, sizeof err) &&
           strstr(err, "cannot create key file: No such file or directory"),
       "create in a missing directory: %s", err);

    /* Permissions. */
    chmod(path, 0644);
    key_read_fails(path, "key file is accessible by group or others (mode 0644)",
                   "refuse a 0644 key file");
    chmod(path, 0640);
    key_read_fails(path, "(mode 0640)", "refuse a 0640 key file");
    chmod(path, 0602);
    key_read_fails(path, "(mode 0602)", "refuse a 0602 key file (others write)");
    chmod(path, 0610);
    key_read_fails(path, "(mode 0610)", "refuse a 0610 key file");
    chmod(path, 0400);
    ok(cu_key_file_read(path, key2, err, sizeof err) &&
           memcmp(key, key2, sizeof key) == 0,
       "a 0400 key file is fine");

    /* Malformed contents. */
    const char *good = "00112233445566778899aabbccddeeff"
                       "00112233445566778899AABBCCDDEEFF\n";
    const char *p = key_text_file(good, 0600);
    ok(cu_key_file_read(p, key, err, sizeof err) && key[0] == 0x00 &&
           key[5] == 0x55 && key[10] == 0xaa && key[31] == 0xff &&
           key[26] == 0xaa,
       "upper- and lower-case hex digits are read");
    const char *malformed_msg = "malformed key file: expected 64 hex digits "
                                "and a newline";
    key_read_fails(key_text_file("", 0600), malformed_msg, "refuse an empty key file");
    key_read_fails(key_text_file("00112233445566778899aabbccddeeff"
                                 "00112233445566778899aabbccddeef\n", 0600),
                   malformed_msg, "refuse 63 digits");
    key_read_fails(key_text_file("00112233445566778899aabbccddeeff"
                                 "00112233445566778899aabbccddeeff", 0600),
                   malformed_msg, "refuse 64 digits without a newline");
    key_read_fails(key_text_file("00112233445566778899aabbccddeeff"
                                 "00112233445566778899aabbccddeeff0\n", 0600),
                   malformed_msg, "refuse 65 digits");
    key_read_fails(key_text_file("00112233445566778899aabbccddeeff"
                                 "00112233445566778899aabbccddeeff\n\n", 0600),
                   malformed_msg, "refuse a second line");
    key_read_fails(key_text_file("00112233445566778899aabbccddeeff"
                                 "00112233445566778899aabbccddeefg\n", 0600),
                   malformed_msg, "refuse a non-hex digit");
    key_read_fails(key_text_file("00112233445566778899aabbccddeeff"
                                 "00112233445566778899aabbccddeeff\r\n", 0600),
                   malformed_msg, "refuse a CRLF line end");
    key_read_fails(key_text_file(" 0112233445566778899aabbccddeeff"
                                 "00112233445566778899aabbccddeeff\n", 0600),
                   malformed_msg, "refuse a leading space");
    {
        unsigned char k[CU_KEY_BYTES];
        memset(k, 0x77, sizeof k);
        cu_key_file_read(key_text_file("00112233445566778899aabbccddeeff"
                                       "0011223344556677889Xaabbccddeeff\n",
                                       0600),
                         k, err, sizeof err);
        bool cleared = true;
        for (int i = 0; i < CU_KEY_BYTES; i++)
            cleared = cleared && k[i] == 0;
        ok(cleared, "a malformed file leaves no partial key behind");
    }

    snprintf(path2, sizeof path2, "%s/missing.key", dir);
    key_read_fails(path2, "cannot open key file: No such file or directory",
                   "a missing key file");
    chmod(dir, 0700);
    key_read_fails(dir, "key file is not a regular file", "a directory");
    ok(!cu_key_file_read(path2, key, NULL, 0), "errbuf may be NULL");
    free(dir);
}

int main(void)
{
    plan(0);
    test_rfc4231();
    test_against_reference();
    test_hmac_hex();
    test_hex_and_wipe();
    test_salted();
    test_random();
    test_random_failure();
    test_key_files();
    return done_testing();
}

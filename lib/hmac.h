/* Keyed hashing for pseudonyms: HMAC-SHA256 through OpenSSL libcrypto with
 * the inner and outer pads hashed once per key, keys from the OS CSPRNG and
 * key files, and the salted SHA-256 of published Chameleon traces. */
#ifndef CU_HMAC_H
#define CU_HMAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CU_KEY_BYTES 32     /* a fresh key: 256 bits */
#define CU_SHA256_BYTES 32
#define CU_SHA256_HEX 64

typedef struct cu_hmac cu_hmac;

/* Precompute the pads for key (any length; > 64 bytes is hashed first, as
 * RFC 2104 says). A cu_hmac holds a scratch context: use one per thread.
 * Per value no allocation happens in cu (libcrypto 3.0's context copy still
 * allocates internally). A libcrypto failure is fatal (exit 1). */
cu_hmac *cu_hmac_new(const unsigned char *key, size_t keylen);
/* Wipes the key material from memory, then frees. NULL is fine. */
void cu_hmac_free(cu_hmac *h);
/* HMAC-SHA256(key, msg): 32 raw bytes into mac. */
void cu_hmac_sha256(const cu_hmac *h, const void *msg, size_t len,
                    unsigned char mac[CU_SHA256_BYTES]);
/* HMAC-SHA256(key, domain || 0x00 || msg) as lower-case hex, hexlen digits
 * (1..64; more is taken as 64) plus a NUL into out, so out needs hexlen + 1
 * bytes. The domain (a class name such as "host") keeps equal strings of
 * different classes apart; NULL domain = plain HMAC of msg, while "" is
 * HMAC of 0x00 || msg. */
void cu_hmac_hex(const cu_hmac *h, const char *domain, const void *msg,
                 size_t len, char *out, size_t hexlen);

/* sha256(salt || value) as lower-case hex, hexlen digits (1..64) plus NUL.
 * The state after the salt is cached while the salt stays the same, so a
 * run with one salt hashes only the values. Not thread-safe (one cache). */
void cu_sha256_salted_hex(const void *salt, size_t saltlen, const void *msg,
                          size_t len, char *out, size_t hexlen);

/* sha256 of the file at path as 64 lower-case hex digits plus NUL, and its
 * size in *bytes (bytes may be NULL). A read error is fatal: exit 1 with
 * "cu-x: PATH: strerror". */
void cu_sha256_file(const char *path, char hex[CU_SHA256_HEX + 1],
                    uint64_t *bytes);

/* SHA-256 of bytes given piece by piece (a file as it is read). */
typedef struct cu_sha256 cu_sha256;
cu_sha256 *cu_sha256_begin(void);
void cu_sha256_add(cu_sha256 *h, const void *p, size_t n);
/* The digest as 64 lower-case hex digits plus NUL; frees h. */
void cu_sha256_end(cu_sha256 *h, char hex[CU_SHA256_HEX + 1]);


/* n bytes from the OS CSPRNG (getrandom(2)); fatal if it fails. */
void cu_random_bytes(void *buf, size_t n);

/* Key files hold the key as 64 hex digits (either case) and one newline,
 * nothing else. Reading refuses a file that group or others may read, write
 * or execute, a non-regular file, or a malformed one: returns false with a
 * message that starts with the path in errbuf (may be NULL), e.g.
 * "k.key: key file is accessible by group or others (mode 0644); make it
 * private with chmod 600". On a malformed file key is zeroed. */
bool cu_key_file_read(const char *path, unsigned char key[CU_KEY_BYTES],
                      char *errbuf, size_t errlen);
/* Create path with a fresh key from cu_random_bytes, mode 0600 (O_CREAT |
 * O_EXCL, fsync'ed); refuses to overwrite anything, a symlink included:
 * false with "PATH: already exists; refusing to overwrite a key file" (or
 * another message) in errbuf. A failed write removes the partial file. */
bool cu_key_file_create(const char *path, char *errbuf, size_t errlen);

/* Overwrite memory so the compiler cannot drop it. */
void cu_wipe(void *p, size_t n);

#endif

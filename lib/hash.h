/* Keyed hashing for pseudonyms: HMAC-SHA256 through OpenSSL libcrypto with
 * the inner and outer pads hashed once per key, keys from the OS CSPRNG and
 * key files, and the salted SHA-256 of published Chameleon traces. */
#ifndef CU_HASH_H
#define CU_HASH_H

#include <stdbool.h>
#include <stddef.h>

#define CU_KEY_BYTES 32     /* a fresh key: 256 bits */
#define CU_SHA256_BYTES 32
#define CU_SHA256_HEX 64

typedef struct cu_hmac cu_hmac;

/* Precompute the pads for key (any length; > 64 bytes is hashed first, as
 * RFC 2104 says). */
cu_hmac *cu_hmac_new(const unsigned char *key, size_t keylen);
/* Wipes the key material from memory, then frees. NULL is fine. */
void cu_hmac_free(cu_hmac *h);
/* HMAC-SHA256(key, msg): 32 raw bytes into mac. */
void cu_hmac_sha256(const cu_hmac *h, const void *msg, size_t len,
                    unsigned char mac[CU_SHA256_BYTES]);
/* HMAC-SHA256(key, domain || 0x00 || msg) as lower-case hex, hexlen digits
 * (1..64) plus a NUL into out. The domain (a class name such as "host")
 * keeps equal strings of different classes apart; NULL domain = plain
 * HMAC of msg. */
void cu_hmac_hex(const cu_hmac *h, const char *domain, const void *msg,
                 size_t len, char *out, size_t hexlen);

/* sha256(salt || value) as lower-case hex, hexlen digits plus NUL. */
void cu_sha256_salted_hex(const void *salt, size_t saltlen, const void *msg,
                          size_t len, char *out, size_t hexlen);

/* Bytes to lower-case hex: 2*n digits plus NUL. */
void cu_hex(const unsigned char *in, size_t n, char *out);

/* n bytes from the OS CSPRNG (getrandom(2)); fatal if it fails. */
void cu_random_bytes(void *buf, size_t n);

/* Key files hold the key as 64 hex digits and a newline. Reading refuses a
 * file that group or others may read or write, or a malformed one: returns
 * false with a message in why (static or errbuf). */
bool cu_key_file_read(const char *path, unsigned char key[CU_KEY_BYTES],
                      char *errbuf, size_t errlen);
/* Create path with a fresh key, mode 0600; refuses to overwrite. */
bool cu_key_file_create(const char *path, char *errbuf, size_t errlen);

/* Overwrite memory so the compiler cannot drop it. */
void cu_wipe(void *p, size_t n);

#endif

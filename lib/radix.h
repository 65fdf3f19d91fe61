/* LSD radix sort of 64-bit words by a bit field of theirs: the sort that
 * cu-timeline's events and cu-spans' output order both need. A caller packs
 * its key and a payload (an index, a type) into one word, so each pass moves
 * 8 bytes per item and the payload rides along. */
#ifndef CU_RADIX_H
#define CU_RADIX_H

#include <stddef.h>
#include <stdint.h>

/* Digits of at most 11 bits (a 16 KiB histogram that stays in L1), as few
 * passes as the key's width needs. */
#define CU_RADIX_MAX_BITS 11

struct cu_radix_plan {
    unsigned passes, width, bits;
};

/* The digit of pass d: its last pass stops at the field's top bit, so the
 * bits of a word above the field do not take part. */
static inline size_t cu_radix_digit(uint64_t w, unsigned shift,
                                    struct cu_radix_plan p, unsigned d)
{
    unsigned lo = d * p.width, n = p.bits - lo < p.width ? p.bits - lo
                                                          : p.width;
    return (size_t)((w >> (shift + lo)) & ((UINT64_C(1) << n) - 1));
}

struct cu_radix_plan cu_radix_plan(unsigned bits);

/* The number of bits that values up to x need (0 for 0). */
unsigned cu_bit_length(uint64_t x);

/* Sort the n words of a stably by their bits [shift, shift + bits); tmp has
 * room for n words. Returns the buffer that holds the result: a or tmp. */
uint64_t *cu_radix_sort_words(uint64_t *a, uint64_t *tmp, size_t n,
                              unsigned shift, unsigned bits);

/* The same, for a caller that counted the digit histograms itself while it
 * packed the words: count[(d << p.width) + cu_radix_digit(w, shift, p, d)]
 * for every pass d; count is used up. */
uint64_t *cu_radix_scatter_words(uint64_t *a, uint64_t *tmp, size_t n,
                                 unsigned shift, struct cu_radix_plan p,
                                 size_t *count);

/* A key and its payload, for keys that need all 64 bits. */
struct cu_radix_pair {
    uint64_t key, value;
};

/* Sort the n pairs of a stably by the low `bits` bits of their keys (the
 * bits above must be zero); tmp has room for n pairs. Returns the buffer
 * that holds the result: a or tmp. */
struct cu_radix_pair *cu_radix_sort_pairs(struct cu_radix_pair *a,
                                          struct cu_radix_pair *tmp, size_t n,
                                          unsigned bits);

#endif

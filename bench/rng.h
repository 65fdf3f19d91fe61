/* The benchmark generators' random numbers: xorshift64*, from a fixed
 * seed (a generator may reseed rng_state), so that a benchmark's input is
 * the same on every machine. One generator is one program: the state is
 * its one global. */
#ifndef CU_BENCH_RNG_H
#define CU_BENCH_RNG_H

#include <stdint.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}

/* Uniform in [0, 1), 53 bits. */
static double unif(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

#endif

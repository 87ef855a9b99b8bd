/* Reconnect delays: exponential, capped, with jitter so that devices do not reconnect in step. */
#include "sf_protocol.h"

/* xorshift32: tiny and good enough to spread reconnects; never seeded with 0. */
static uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

void sf_backoff_init(sf_backoff_t *backoff, uint32_t base_ms, uint32_t cap_ms, uint32_t seed)
{
    backoff->base_ms = base_ms == 0 ? 1 : base_ms;
    backoff->cap_ms = cap_ms < backoff->base_ms ? backoff->base_ms : cap_ms;
    backoff->attempt = 0;
    backoff->rng = seed == 0 ? 0x9E3779B9u : seed;
}

uint32_t sf_backoff_ceiling(const sf_backoff_t *backoff)
{
    uint64_t ceiling = backoff->base_ms;
    for (uint32_t i = 0; i < backoff->attempt && ceiling < backoff->cap_ms; i++) {
        ceiling *= 2;
    }
    return ceiling > backoff->cap_ms ? backoff->cap_ms : (uint32_t) ceiling;
}

uint32_t sf_backoff_next(sf_backoff_t *backoff)
{
    uint32_t ceiling = sf_backoff_ceiling(backoff);
    uint32_t half = ceiling / 2;
    uint32_t spread = ceiling - half;
    uint32_t delay = half + (spread == 0 ? 0 : next_random(&backoff->rng) % (spread + 1));
    if (ceiling < backoff->cap_ms) {
        backoff->attempt++;
    }
    return delay;
}

void sf_backoff_reset(sf_backoff_t *backoff)
{
    backoff->attempt = 0;
}

/* Reads a RIFF WAV of 16-bit mono PCM into memory. */
#ifndef SF_WAV_H
#define SF_WAV_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int16_t *samples;
    size_t count;
    int sample_rate;
} sf_wav_t;

/** 0 on success; otherwise writes why into error. */
int sf_wav_read(const char *path, sf_wav_t *wav, char *error, size_t error_cap);
void sf_wav_free(sf_wav_t *wav);

/**
 * Appends {@code gap} samples of silence and then the samples of {@code more} (same rate) to
 * {@code into}; an empty {@code into} takes {@code more}'s rate. 0 on success, -1 out of memory.
 */
int sf_wav_append(sf_wav_t *into, const sf_wav_t *more, size_t gap);

#endif

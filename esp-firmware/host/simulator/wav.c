#include "wav.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t) (p[0] | p[1] << 8);
}

static int fail(char *error, size_t cap, const char *path, const char *why)
{
    snprintf(error, cap, "%s: %s", path, why);
    return -1;
}

int sf_wav_read(const char *path, sf_wav_t *wav, char *error, size_t error_cap)
{
    memset(wav, 0, sizeof(*wav));
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return fail(error, error_cap, path, "cannot open");
    }
    uint8_t header[12];
    if (fread(header, 1, 12, f) != 12 || memcmp(header, "RIFF", 4) != 0 || memcmp(header + 8, "WAVE", 4) != 0) {
        fclose(f);
        return fail(error, error_cap, path, "not a RIFF WAVE file");
    }
    int format_seen = 0;
    uint8_t chunk[8];
    while (fread(chunk, 1, 8, f) == 8) {
        uint32_t size = le32(chunk + 4);
        if (memcmp(chunk, "fmt ", 4) == 0) {
            uint8_t fmt[16];
            if (size < 16 || fread(fmt, 1, 16, f) != 16) {
                break;
            }
            if (le16(fmt) != 1 || le16(fmt + 2) != 1 || le16(fmt + 14) != 16) {
                fclose(f);
                return fail(error, error_cap, path, "must be 16-bit mono PCM (convert with sox -b 16 -c 1)");
            }
            wav->sample_rate = (int) le32(fmt + 4);
            format_seen = 1;
            fseek(f, (long) (size - 16 + (size & 1)), SEEK_CUR);
        } else if (memcmp(chunk, "data", 4) == 0 && format_seen) {
            wav->count = size / 2;
            wav->samples = malloc(wav->count * sizeof(int16_t) + 1);
            uint8_t *raw = (uint8_t *) wav->samples;
            size_t got = fread(raw, 1, wav->count * 2, f);
            wav->count = got / 2;
            for (size_t i = 0; i < wav->count; i++) { /* little-endian on disk, host order in memory */
                wav->samples[i] = (int16_t) le16(raw + 2 * i);
            }
            fclose(f);
            return 0;
        } else {
            fseek(f, (long) (size + (size & 1)), SEEK_CUR);
        }
    }
    fclose(f);
    return fail(error, error_cap, path, "no fmt and data chunks");
}

void sf_wav_free(sf_wav_t *wav)
{
    free(wav->samples);
    memset(wav, 0, sizeof(*wav));
}

int sf_wav_append(sf_wav_t *into, const sf_wav_t *more, size_t gap)
{
    size_t count = into->count + gap + more->count;
    int16_t *samples = realloc(into->samples, count * sizeof(int16_t) + 1);
    if (samples == NULL) {
        return -1;
    }
    memset(samples + into->count, 0, gap * sizeof(int16_t));
    if (more->count > 0) { /* the trailing gap appends an empty wav, whose samples are NULL */
        memcpy(samples + into->count + gap, more->samples, more->count * sizeof(int16_t));
    }
    into->samples = samples;
    into->count = count;
    if (into->sample_rate == 0) {
        into->sample_rate = more->sample_rate;
    }
    return 0;
}

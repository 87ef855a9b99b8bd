/* Audio bookkeeping of the device: ring on the session clock, bounded send queue, pacing, silence, framing. */
#include "sf_protocol.h"

#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------- ring */

void sf_ring_init(sf_ring_t *ring, int16_t *storage, size_t capacity)
{
    ring->samples = storage;
    ring->capacity = capacity;
    ring->written = 0;
}

void sf_ring_write(sf_ring_t *ring, const int16_t *samples, size_t count)
{
    if (count > ring->capacity) {
        /* Only the newest capacity samples can be kept. */
        ring->written += count - ring->capacity;
        samples += count - ring->capacity;
        count = ring->capacity;
    }
    size_t at = (size_t) (ring->written % ring->capacity);
    size_t first = count < ring->capacity - at ? count : ring->capacity - at;
    memcpy(ring->samples + at, samples, first * sizeof(int16_t));
    memcpy(ring->samples, samples + first, (count - first) * sizeof(int16_t));
    ring->written += count;
}

uint64_t sf_ring_oldest(const sf_ring_t *ring)
{
    return ring->written > ring->capacity ? ring->written - ring->capacity : 0;
}

size_t sf_ring_read(const sf_ring_t *ring, uint64_t position, int16_t *out, size_t count)
{
    if (position < sf_ring_oldest(ring) || position >= ring->written) {
        return 0;
    }
    uint64_t available = ring->written - position;
    if (count > available) {
        count = (size_t) available;
    }
    size_t at = (size_t) (position % ring->capacity);
    size_t first = count < ring->capacity - at ? count : ring->capacity - at;
    memcpy(out, ring->samples + at, first * sizeof(int16_t));
    memcpy(out + first, ring->samples, (count - first) * sizeof(int16_t));
    return count;
}

/* ---------------------------------------------------------------- send queue */

void sf_sendq_init(sf_sendq_t *queue, uint8_t *storage, uint16_t *lengths, int64_t *positions_ms, size_t capacity,
                   size_t slot_bytes, uint32_t frame_ms, uint32_t bound_ms)
{
    memset(queue, 0, sizeof(*queue));
    queue->storage = storage;
    queue->lengths = lengths;
    queue->positions_ms = positions_ms;
    queue->capacity = capacity;
    queue->slot_bytes = slot_bytes;
    queue->frame_ms = frame_ms;
    queue->bound_ms = bound_ms;
}

static void drop_oldest(sf_sendq_t *queue)
{
    queue->head = (queue->head + 1) % queue->capacity;
    queue->count--;
    queue->dropped++;
    queue->lost_pending++;
}

bool sf_sendq_push(sf_sendq_t *queue, const uint8_t *data, size_t length, int64_t position_ms)
{
    if (length > queue->slot_bytes || length > UINT16_MAX || queue->capacity == 0) {
        return false;
    }
    /* Never block the producer: what is too old, or what does not fit, makes room. */
    while (queue->count > 0
           && position_ms + (int64_t) queue->frame_ms - queue->positions_ms[queue->head] > (int64_t) queue->bound_ms) {
        drop_oldest(queue);
    }
    if (queue->count == queue->capacity) {
        drop_oldest(queue);
    }
    size_t slot = (queue->head + queue->count) % queue->capacity;
    memcpy(queue->storage + slot * queue->slot_bytes, data, length);
    queue->lengths[slot] = (uint16_t) length;
    queue->positions_ms[slot] = position_ms;
    queue->count++;
    return true;
}

bool sf_sendq_peek(const sf_sendq_t *queue, sf_packet_t *packet)
{
    if (queue->lost_pending > 0) {
        packet->data = NULL;
        packet->length = SF_LOST_FRAME_BYTES;
        packet->position_ms = -1;
        return true;
    }
    if (queue->count == 0) {
        return false;
    }
    packet->data = queue->storage + queue->head * queue->slot_bytes;
    packet->length = queue->lengths[queue->head];
    packet->position_ms = queue->positions_ms[queue->head];
    return true;
}

void sf_sendq_pop(sf_sendq_t *queue)
{
    if (queue->lost_pending > 0) {
        queue->lost_pending--;
    } else if (queue->count > 0) {
        queue->head = (queue->head + 1) % queue->capacity;
        queue->count--;
    }
}

void sf_sendq_clear(sf_sendq_t *queue)
{
    queue->head = 0;
    queue->count = 0;
    queue->lost_pending = 0;
}

size_t sf_sendq_pending(const sf_sendq_t *queue)
{
    return queue->count + queue->lost_pending;
}

/* ---------------------------------------------------------------- pacing */

void sf_pacer_start(sf_pacer_t *pacer, uint64_t now_ms, uint32_t burst_ms, float factor)
{
    pacer->start_ms = now_ms;
    pacer->sent_ms = 0;
    pacer->burst_ms = burst_ms;
    pacer->factor = factor;
}

bool sf_pacer_may_send(const sf_pacer_t *pacer, uint64_t now_ms, uint32_t frame_ms)
{
    uint64_t elapsed = now_ms > pacer->start_ms ? now_ms - pacer->start_ms : 0;
    double allowed = (double) pacer->burst_ms + (double) pacer->factor * (double) elapsed;
    return (double) (pacer->sent_ms + frame_ms) <= allowed;
}

void sf_pacer_sent(sf_pacer_t *pacer, uint32_t frame_ms)
{
    pacer->sent_ms += frame_ms;
}

/* ---------------------------------------------------------------- levels and silence */

float sf_level_dbfs(const int16_t *samples, size_t count)
{
    if (count == 0) {
        return -120.0f;
    }
    double sum = 0;
    for (size_t i = 0; i < count; i++) {
        sum += (double) samples[i] * samples[i];
    }
    double rms = sqrt(sum / (double) count) / 32768.0;
    return rms <= 1e-6 ? -120.0f : (float) (20.0 * log10(rms));
}

/* Speech: 12 dB over an adaptive floor and louder than -50 dBFS (the router's VAD works alike, ADR 0033). */
#define SF_SPEECH_OVER_FLOOR_DB 12.0f
#define SF_SPEECH_MIN_DBFS -50.0f
#define SF_FLOOR_RISE_DB_PER_S 3.0f

void sf_silence_init(sf_silence_t *detector, uint32_t silence_ms, uint32_t min_speech_ms)
{
    memset(detector, 0, sizeof(*detector));
    detector->silence_ms = silence_ms;
    detector->min_speech_ms = min_speech_ms;
    detector->floor_db = SF_SPEECH_MIN_DBFS;
}

bool sf_silence_feed(sf_silence_t *detector, const int16_t *samples, size_t count, int sample_rate)
{
    uint32_t ms = (uint32_t) (count * 1000u / (uint32_t) sample_rate);
    float level = sf_level_dbfs(samples, count);
    if (level < detector->floor_db) {
        detector->floor_db = level;
    } else {
        detector->floor_db += SF_FLOOR_RISE_DB_PER_S * (float) ms / 1000.0f;
    }
    bool speech = level > detector->floor_db + SF_SPEECH_OVER_FLOOR_DB && level > SF_SPEECH_MIN_DBFS;
    if (speech) {
        detector->speech_ms += ms;
        detector->quiet_ms = 0;
        if (detector->speech_ms >= detector->min_speech_ms) {
            detector->primed = true;
        }
        return false;
    }
    detector->quiet_ms += ms;
    if (detector->primed && detector->quiet_ms >= detector->silence_ms) {
        detector->primed = false;
        detector->speech_ms = 0;
        return true;
    }
    if (!detector->primed && detector->quiet_ms >= detector->silence_ms) {
        detector->speech_ms = 0; /* a click long ago does not add up with the next word */
    }
    return false;
}

/* ---------------------------------------------------------------- framing */

bool sf_frame_ms_valid(int frame_ms)
{
    return frame_ms == 20 || frame_ms == 40 || frame_ms == 60;
}

size_t sf_frame_samples(int sample_rate, int frame_ms)
{
    return (size_t) sample_rate * (size_t) frame_ms / 1000u;
}

void sf_i2s32_to_pcm16(const int32_t *in, int16_t *out, size_t count, int shift)
{
    for (size_t i = 0; i < count; i++) {
        int32_t v = in[i] >> shift;
        out[i] = (int16_t) (v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
    }
}

int64_t sf_samples_to_ms(uint64_t samples, int sample_rate)
{
    return (int64_t) (samples * 1000u / (uint64_t) sample_rate);
}

uint64_t sf_ms_to_samples(int64_t ms, int sample_rate)
{
    return ms <= 0 ? 0 : (uint64_t) ms * (uint64_t) sample_rate / 1000u;
}

/* Ring on the session clock, bounded send queue, pacing under the router's limit, silence, framing. */
#include <math.h>

#include "sf_protocol.h"
#include "sf_test.h"

static void fill_pattern(int16_t *out, uint64_t from, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = (int16_t) ((from + i) % 32000);
    }
}

static void the_ring_keeps_the_newest_capacity_samples_in_any_chunking(void)
{
    int16_t storage[1000];
    sf_ring_t ring;
    sf_ring_init(&ring, storage, 1000);
    int16_t chunk[337];
    while (ring.written < 3500) {
        size_t n = 337;
        fill_pattern(chunk, ring.written, n);
        sf_ring_write(&ring, chunk, n);
    }
    CHECK_EQ_INT(ring.written - 1000, sf_ring_oldest(&ring));
    int16_t out[1000];
    CHECK_EQ_INT(1000, sf_ring_read(&ring, sf_ring_oldest(&ring), out, 1000));
    bool all = true;
    for (int i = 0; i < 1000; i++) {
        all = all && out[i] == (int16_t) ((sf_ring_oldest(&ring) + (uint64_t) i) % 32000);
    }
    CHECK(all);
    CHECK_EQ_INT(0, sf_ring_read(&ring, sf_ring_oldest(&ring) - 1, out, 10));
    CHECK_EQ_INT(0, sf_ring_read(&ring, ring.written, out, 10));
    CHECK_EQ_INT(5, sf_ring_read(&ring, ring.written - 5, out, 10));
    CHECK_EQ_INT((ring.written - 5) % 32000, out[0]);
}

static void a_write_longer_than_the_ring_keeps_its_end(void)
{
    int16_t storage[100];
    sf_ring_t ring;
    sf_ring_init(&ring, storage, 100);
    int16_t big[250];
    fill_pattern(big, 0, 250);
    sf_ring_write(&ring, big, 250);
    CHECK_EQ_INT(250, ring.written);
    CHECK_EQ_INT(150, sf_ring_oldest(&ring));
    int16_t out[100];
    CHECK_EQ_INT(100, sf_ring_read(&ring, 150, out, 100));
    CHECK_EQ_INT(150, out[0]);
    CHECK_EQ_INT(249, out[99]);
}

typedef struct {
    uint8_t storage[8 * 64];
    uint16_t lengths[8];
    int64_t positions[8];
    sf_sendq_t queue;
} queue_fixture_t;

static void queue_init(queue_fixture_t *f, uint32_t bound_ms)
{
    sf_sendq_init(&f->queue, f->storage, f->lengths, f->positions, 8, 64, 20, bound_ms);
}

static void the_send_queue_hands_out_frames_in_order(void)
{
    queue_fixture_t f;
    queue_init(&f, 1000);
    uint8_t frame[10];
    for (int i = 0; i < 3; i++) {
        memset(frame, i + 1, sizeof(frame));
        CHECK(sf_sendq_push(&f.queue, frame, (size_t) (5 + i), i * 20));
    }
    sf_packet_t packet;
    for (int i = 0; i < 3; i++) {
        CHECK(sf_sendq_peek(&f.queue, &packet));
        CHECK(packet.data != NULL && packet.data[0] == i + 1);
        CHECK_EQ_INT(5 + i, packet.length);
        CHECK_EQ_INT(i * 20, packet.position_ms);
        sf_sendq_pop(&f.queue);
    }
    CHECK(!sf_sendq_peek(&f.queue, &packet));
    CHECK_EQ_INT(0, f.queue.dropped);
}

static void audio_older_than_the_bound_is_dropped_counted_and_announced_as_lost(void)
{
    queue_fixture_t f;
    queue_init(&f, 100); /* 100 ms: five 20 ms frames */
    uint8_t frame[4] = {1, 2, 3, 4};
    for (int i = 0; i < 7; i++) {
        CHECK(sf_sendq_push(&f.queue, frame, 4, i * 20)); /* the network is stalled: nothing is sent */
    }
    CHECK_EQ_INT(2, f.queue.dropped);
    CHECK_EQ_INT(7, sf_sendq_pending(&f.queue));
    sf_packet_t packet;
    for (int i = 0; i < 2; i++) {
        CHECK(sf_sendq_peek(&f.queue, &packet));
        CHECK(packet.data == NULL);
        CHECK_EQ_INT(0, packet.length);
        sf_sendq_pop(&f.queue);
    }
    CHECK(sf_sendq_peek(&f.queue, &packet));
    CHECK_EQ_INT(40, packet.position_ms);
}

static void a_full_queue_drops_its_oldest_frame_and_never_blocks(void)
{
    queue_fixture_t f;
    queue_init(&f, 100000);
    uint8_t frame[4] = {0};
    for (int i = 0; i < 20; i++) {
        CHECK(sf_sendq_push(&f.queue, frame, 4, i * 20));
    }
    CHECK_EQ_INT(12, f.queue.dropped);
    CHECK_EQ_INT(8, f.queue.count);
    sf_packet_t packet;
    for (int i = 0; i < 12; i++) {
        sf_sendq_pop(&f.queue);
    }
    CHECK(sf_sendq_peek(&f.queue, &packet));
    CHECK_EQ_INT(240, packet.position_ms);
}

static void a_frame_longer_than_a_slot_is_refused_and_clear_empties(void)
{
    queue_fixture_t f;
    queue_init(&f, 1000);
    uint8_t big[65] = {0};
    CHECK(!sf_sendq_push(&f.queue, big, 65, 0));
    CHECK(sf_sendq_push(&f.queue, big, 64, 0));
    sf_sendq_clear(&f.queue);
    CHECK_EQ_INT(0, sf_sendq_pending(&f.queue));
}

static void the_pacer_keeps_catch_up_under_the_routers_too_fast_limit(void)
{
    sf_pacer_t pacer;
    sf_pacer_start(&pacer, 1000, 2000, 1.25f);
    /* A device with 30 s of backlog sends whatever the pacer allows, checked every 5 ms for a minute. */
    uint64_t sent = 0;
    for (uint64_t now = 1000; now <= 61000; now += 5) {
        while (sent < 30000 && sf_pacer_may_send(&pacer, now, 20)) {
            sf_pacer_sent(&pacer, 20);
            sent += 20;
        }
        double router_allows = 3000 + 1.5 * (double) (now - 1000);
        CHECK(sent <= router_allows);
    }
    CHECK_EQ_INT(30000, sent);
    CHECK(!sf_pacer_may_send(&pacer, 1000, 20) || pacer.sent_ms + 20 <= 2000);
}

static void the_pacer_allows_the_burst_at_once(void)
{
    sf_pacer_t pacer;
    sf_pacer_start(&pacer, 0, 2000, 1.25f);
    int frames = 0;
    while (sf_pacer_may_send(&pacer, 0, 20)) {
        sf_pacer_sent(&pacer, 20);
        frames++;
    }
    CHECK_EQ_INT(100, frames);
    CHECK(sf_pacer_may_send(&pacer, 20, 20));
}

static void tone(int16_t *out, size_t n, double amplitude, size_t from)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = (int16_t) (amplitude * sin(2 * M_PI * 220.0 * (double) (from + i) / 16000.0));
    }
}

static void noise(int16_t *out, size_t n, uint32_t *state, int amplitude)
{
    for (size_t i = 0; i < n; i++) {
        *state = *state * 1664525u + 1013904223u;
        out[i] = (int16_t) ((int) (*state >> 16) % (2 * amplitude + 1) - amplitude);
    }
}

/* Feeds frames: speech_ms of tone, then quiet_ms of low noise; returns the ms of quiet at the flush, or -1. */
static int run_silence(sf_silence_t *detector, int speech_ms, int quiet_ms)
{
    int16_t frame[320];
    uint32_t state = 42;
    int flushed_at = -1;
    for (int ms = 0; ms < 1000; ms += 20) {
        noise(frame, 320, &state, 30);
        sf_silence_feed(detector, frame, 320, 16000);
    }
    for (int ms = 0; ms < speech_ms; ms += 20) {
        tone(frame, 320, 8000, (size_t) ms * 16);
        CHECK(!sf_silence_feed(detector, frame, 320, 16000));
    }
    for (int ms = 20; ms <= quiet_ms; ms += 20) {
        noise(frame, 320, &state, 30);
        if (sf_silence_feed(detector, frame, 320, 16000)) {
            CHECK(flushed_at < 0);
            flushed_at = ms;
        }
    }
    return flushed_at;
}

static void silence_after_speech_flushes_once(void)
{
    sf_silence_t detector;
    sf_silence_init(&detector, 600, 200);
    CHECK_EQ_INT(600, run_silence(&detector, 800, 3000));
}

static void a_click_shorter_than_speech_does_not_flush(void)
{
    sf_silence_t detector;
    sf_silence_init(&detector, 600, 200);
    CHECK_EQ_INT(-1, run_silence(&detector, 100, 3000));
}

static void noise_alone_never_flushes(void)
{
    sf_silence_t detector;
    sf_silence_init(&detector, 600, 200);
    CHECK_EQ_INT(-1, run_silence(&detector, 0, 10000));
}

static void i2s_slots_become_saturated_16_bit_samples(void)
{
    int32_t in[4] = {0x12345600, -0x12345600, 0x7fffff00, (int32_t) 0x80000000};
    int16_t out[4];
    sf_i2s32_to_pcm16(in, out, 4, 16);
    CHECK_EQ_INT(0x1234, out[0]);
    CHECK_EQ_INT(-0x1235, out[1]);
    CHECK_EQ_INT(0x7fff, out[2]);
    CHECK_EQ_INT(-32768, out[3]);
    int32_t loud[2] = {0x40000000, -0x40000000};
    sf_i2s32_to_pcm16(loud, out, 2, 14); /* 6 dB of gain over >> 15: loud samples saturate */
    CHECK_EQ_INT(32767, out[0]);
    CHECK_EQ_INT(-32768, out[1]);
    sf_i2s32_to_pcm16(in, out, 1, 14);
    CHECK_EQ_INT(0x12345600 >> 14, out[0]);
}

static void frames_and_clock_conversions(void)
{
    CHECK(sf_frame_ms_valid(20) && sf_frame_ms_valid(40) && sf_frame_ms_valid(60));
    CHECK(!sf_frame_ms_valid(10) && !sf_frame_ms_valid(100) && !sf_frame_ms_valid(0));
    CHECK_EQ_INT(320, sf_frame_samples(16000, 20));
    CHECK_EQ_INT(960, sf_frame_samples(16000, 60));
    CHECK_EQ_INT(2600, sf_samples_to_ms(41600, 16000));
    CHECK_EQ_INT(41600, sf_ms_to_samples(2600, 16000));
    CHECK_EQ_INT(0, sf_ms_to_samples(-5, 16000));
    int16_t quiet[320] = {0};
    CHECK(sf_level_dbfs(quiet, 320) <= -119.0f);
    int16_t loud[320];
    tone(loud, 320, 32767, 0);
    CHECK(fabsf(sf_level_dbfs(loud, 320) + 3.0f) < 0.2f);
}

int main(int argc, char **argv)
{
    static const sf_test_case cases[] = {
        TEST_CASE(the_ring_keeps_the_newest_capacity_samples_in_any_chunking),
        TEST_CASE(a_write_longer_than_the_ring_keeps_its_end),
        TEST_CASE(the_send_queue_hands_out_frames_in_order),
        TEST_CASE(audio_older_than_the_bound_is_dropped_counted_and_announced_as_lost),
        TEST_CASE(a_full_queue_drops_its_oldest_frame_and_never_blocks),
        TEST_CASE(a_frame_longer_than_a_slot_is_refused_and_clear_empties),
        TEST_CASE(the_pacer_keeps_catch_up_under_the_routers_too_fast_limit),
        TEST_CASE(the_pacer_allows_the_burst_at_once),
        TEST_CASE(silence_after_speech_flushes_once),
        TEST_CASE(a_click_shorter_than_speech_does_not_flush),
        TEST_CASE(noise_alone_never_flushes),
        TEST_CASE(i2s_slots_become_saturated_16_bit_samples),
        TEST_CASE(frames_and_clock_conversions),
    };
    return sf_test_run("audio", cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
}

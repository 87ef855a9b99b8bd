/*
 * Speech fleet device protocol v1 (docs/protocol.md), in plain C99 with cJSON and nothing of
 * ESP-IDF, so that the firmware and the host (tests, device simulator) run the same code.
 *
 *   sf_build_*        the device's text messages: start, flush, stop
 *   sf_parse_server   the router's text messages: ready, transcript, error
 *   sf_session_*      which seqs the device has, what a reconnect sends and resumes from
 *   sf_backoff_*      reconnect delays: exponential, capped, jittered
 *   sf_close_action   what a close code means for the device
 *   sf_ring_*         recent PCM on the session clock, so a resume can resend it
 *   sf_sendq_*        bounded send queue: audio older than its bound is dropped and counted
 *   sf_pacer_*        catch-up pacing under the router's too_fast limit
 *   sf_silence_*      local end-of-speech detection that triggers a flush
 *   sf_framing        frame sizes, I2S sample conversion
 *
 * Nothing here allocates or locks: callers own the memory and serialise access.
 */
#ifndef SF_PROTOCOL_H
#define SF_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SF_SESSION_ID_MAX 64
#define SF_TEXT_MAX 1024
#define SF_CODE_MAX 48
#define SF_MESSAGE_MAX 256
#define SF_PROVIDER_MAX 32
#define SF_RESULT_ID_MAX 64
/* A lost frame is sent as an empty binary message: the router conceals it (docs/protocol.md). */
#define SF_LOST_FRAME_BYTES 0

/* ---------------------------------------------------------------- messages */

typedef enum { SF_ENCODING_PCM_S16LE = 0, SF_ENCODING_OPUS = 1 } sf_encoding_t;

/** The wire name of an encoding ("pcm_s16le", "opus"). */
const char *sf_encoding_name(sf_encoding_t encoding);

typedef struct {
    const char *session_id;        /* resume this session; NULL for a new one */
    int64_t last_seq;              /* resume only: last seq the device has, -1 for none */
    int sample_rate;               /* 16000 */
    sf_encoding_t encoding;
    const char *language;          /* BCP-47; NULL omits it (router default "en") */
    const char *policy;            /* NULL omits it (the device's policy applies) */
    const char *const *consensus;  /* provider names, NULL or at least two */
    size_t consensus_count;
    bool has_audio_ms;             /* resume only: where the first binary frame sits */
    int64_t audio_ms;
} sf_start_t;

/* Each writes a NUL-terminated message into out and returns its length, or -1 if cap is too small
 * or the start is inconsistent (last_seq or audio_ms without session_id, one consensus provider). */
int sf_build_start(const sf_start_t *start, char *out, size_t cap);
int sf_build_flush(char *out, size_t cap);
int sf_build_stop(char *out, size_t cap);

typedef enum {
    SF_MSG_READY,
    SF_MSG_TRANSCRIPT,
    SF_MSG_ERROR,
    SF_MSG_UNKNOWN,   /* valid JSON object of a type this device does not know: ignore it */
    SF_MSG_MALFORMED  /* not a JSON object with a string type, or a known type with bad fields */
} sf_msg_kind_t;

typedef struct {
    sf_msg_kind_t kind;
    const char *problem;          /* SF_MSG_MALFORMED: what is wrong (static text) */
    /* ready */
    char session_id[SF_SESSION_ID_MAX + 1];
    bool resumed;
    bool has_audio_ms;
    int64_t audio_ms;
    /* transcript (seq also for an error about one utterance) */
    char id[SF_RESULT_ID_MAX + 1];
    bool has_seq;
    int64_t seq;
    char text[SF_TEXT_MAX + 1];
    bool text_truncated;
    double confidence;
    char provider[SF_PROVIDER_MAX + 1];
    int64_t start_ms;
    int64_t end_ms;
    /* error */
    char code[SF_CODE_MAX + 1];
    char message[SF_MESSAGE_MAX + 1];
} sf_server_msg_t;

/** Parses one text message of the router; never reads past len. Returns msg->kind. */
sf_msg_kind_t sf_parse_server(const char *json, size_t len, sf_server_msg_t *msg);

/* ---------------------------------------------------------------- session */

typedef struct {
    bool has_session;
    char session_id[SF_SESSION_ID_MAX + 1];
    int64_t last_seq;         /* every result up to it received; -1 none */
    int64_t sent_ms;          /* session clock: audio sent on sockets so far (next frame's position) */
    bool has_restart_ms;      /* the ring lost what the router wanted: the next start says where audio starts */
    int64_t restart_ms;
    uint32_t results;         /* transcripts and seq errors delivered */
    uint32_t duplicates;      /* results ignored because their seq was had already */
} sf_session_t;

/** What a ready means for the audio. */
typedef struct {
    bool resumed;
    int64_t send_from_ms;     /* session clock position of the next frame to send */
    bool gap;                 /* the ring no longer has the router's position: reconnect at once; the next
                                 start carries audio_ms = send_from_ms and the router reports the gap */
} sf_ready_plan_t;

/* How far past the ring's oldest sample a restart after a gap begins: the ring moves on while reconnecting. */
#define SF_GAP_MARGIN_MS 1000

typedef enum {
    SF_RESULT_NEW,            /* deliver it (transcript, or error with seq) */
    SF_RESULT_DUPLICATE,      /* a seq the device has: ignore */
    SF_RESULT_NONE            /* not a result (ready, error without seq, unknown, malformed) */
} sf_result_kind_t;

void sf_session_init(sf_session_t *session);
/** Fills the session part of the next start: new, or a resume with session_id, last_seq (and audio_ms after a gap). */
void sf_session_fill_start(const sf_session_t *session, sf_start_t *start);
/**
 * Takes a ready: remembers the session id and plans where audio continues. ring_oldest_ms is the
 * oldest position the device still holds (INT64_MIN: holds everything). A new session starts at 0.
 * A resumed one continues at ready.audio_ms, or, from a router that does not send it, at sent_ms; after a
 * gap, at the audio_ms the start declared.
 */
sf_ready_plan_t sf_session_on_ready(sf_session_t *session, const sf_server_msg_t *ready, int64_t ring_oldest_ms);
/** Classifies a transcript or error and, for a new seq, records it. */
sf_result_kind_t sf_session_on_result(sf_session_t *session, const sf_server_msg_t *msg);
/** Counts audio sent on the session clock (the position of the next frame). */
void sf_session_sent(sf_session_t *session, uint32_t frame_ms);
/** The session is gone (unknown_session, max_duration): the next start begins a new one. */
void sf_session_forget(sf_session_t *session);

/* ---------------------------------------------------------------- closes and reconnects */

typedef enum {
    SF_CLOSE_DONE,            /* 1000 after stop: the session ended */
    SF_CLOSE_RESUME,          /* network loss, unavailable, idle, slow reader, too fast…: resume */
    SF_CLOSE_NEW_SESSION,     /* the session cannot be resumed (unknown_session, max_duration) */
    SF_CLOSE_RETRY_SLOWLY     /* configuration or auth problem: retry at the longest backoff */
} sf_close_action_t;

/** What to do after a close with this code; stopping says whether stop had been sent. */
sf_close_action_t sf_close_action(int close_code, bool stopping);

typedef struct {
    uint32_t base_ms;
    uint32_t cap_ms;
    uint32_t attempt;
    uint32_t rng;
} sf_backoff_t;

/** Delays grow from base_ms by doubling up to cap_ms; seed must differ between devices. */
void sf_backoff_init(sf_backoff_t *backoff, uint32_t base_ms, uint32_t cap_ms, uint32_t seed);
/**
 * The next delay: a uniform draw in [ceiling/2, ceiling] where ceiling = min(cap, base * 2^attempt),
 * so devices that lost the same router spread out and never wait longer than cap_ms.
 */
uint32_t sf_backoff_next(sf_backoff_t *backoff);
/** After a connection that reached ready. */
void sf_backoff_reset(sf_backoff_t *backoff);
/** The ceiling of the next delay. */
uint32_t sf_backoff_ceiling(const sf_backoff_t *backoff);

/* ---------------------------------------------------------------- audio */

/** Recent PCM addressed by absolute sample position; writing never blocks and overwrites the oldest. */
typedef struct {
    int16_t *samples;
    size_t capacity;
    uint64_t written;          /* samples ever written = position of the next one */
} sf_ring_t;

void sf_ring_init(sf_ring_t *ring, int16_t *storage, size_t capacity);
void sf_ring_write(sf_ring_t *ring, const int16_t *samples, size_t count);
/** The oldest position still held. */
uint64_t sf_ring_oldest(const sf_ring_t *ring);
/** Copies up to count samples from position; returns how many (0 when position is gone or not yet written). */
size_t sf_ring_read(const sf_ring_t *ring, uint64_t position, int16_t *out, size_t count);

typedef struct {
    uint8_t *storage;          /* capacity slots of slot_bytes */
    uint16_t *lengths;
    int64_t *positions_ms;
    size_t capacity;
    size_t slot_bytes;
    size_t head;
    size_t count;
    uint32_t bound_ms;         /* audio older than this behind the newest is dropped */
    uint32_t frame_ms;
    uint32_t lost_pending;     /* dropped frames still to announce as empty messages */
    uint64_t dropped;          /* frames ever dropped */
} sf_sendq_t;

typedef struct {
    const uint8_t *data;       /* NULL for a lost frame (send an empty binary message) */
    size_t length;
    int64_t position_ms;
} sf_packet_t;

void sf_sendq_init(sf_sendq_t *queue, uint8_t *storage, uint16_t *lengths, int64_t *positions_ms, size_t capacity,
                   size_t slot_bytes, uint32_t frame_ms, uint32_t bound_ms);
/** Queues a frame; drops (and counts) the oldest ones to keep within capacity and bound. False if data is too long. */
bool sf_sendq_push(sf_sendq_t *queue, const uint8_t *data, size_t length, int64_t position_ms);
/** The next thing to send: a lost-frame marker before any queued frame. False when empty. */
bool sf_sendq_peek(const sf_sendq_t *queue, sf_packet_t *packet);
/** Removes what peek returned (after it was sent). */
void sf_sendq_pop(sf_sendq_t *queue);
/** Drops everything (a resume resends from the ring instead). */
void sf_sendq_clear(sf_sendq_t *queue);
size_t sf_sendq_pending(const sf_sendq_t *queue);

/** Keeps a socket's audio within burst_ms + factor x the time since start (the router allows 3 s + 1.5x). */
typedef struct {
    uint64_t start_ms;
    uint64_t sent_ms;
    uint32_t burst_ms;
    float factor;
} sf_pacer_t;

void sf_pacer_start(sf_pacer_t *pacer, uint64_t now_ms, uint32_t burst_ms, float factor);
bool sf_pacer_may_send(const sf_pacer_t *pacer, uint64_t now_ms, uint32_t frame_ms);
void sf_pacer_sent(sf_pacer_t *pacer, uint32_t frame_ms);

/** End of speech on the device: true once, when silence_ms of quiet follows at least min_speech_ms of speech. */
typedef struct {
    float floor_db;
    uint32_t speech_ms;
    uint32_t quiet_ms;
    uint32_t silence_ms;
    uint32_t min_speech_ms;
    bool primed;
} sf_silence_t;

void sf_silence_init(sf_silence_t *detector, uint32_t silence_ms, uint32_t min_speech_ms);
bool sf_silence_feed(sf_silence_t *detector, const int16_t *samples, size_t count, int sample_rate);

/** Level of PCM in dBFS (-120 for digital silence). */
float sf_level_dbfs(const int16_t *samples, size_t count);
/** Whether frame_ms is one the protocol recommends for Opus (20, 40, 60). */
bool sf_frame_ms_valid(int frame_ms);
/** Samples of one frame. */
size_t sf_frame_samples(int sample_rate, int frame_ms);
/** I2S 32-bit slots (24-bit MEMS data left-aligned) to 16-bit PCM: shift right, saturate. */
void sf_i2s32_to_pcm16(const int32_t *in, int16_t *out, size_t count, int shift);
/** Milliseconds of a sample position at sample_rate. */
int64_t sf_samples_to_ms(uint64_t samples, int sample_rate);
uint64_t sf_ms_to_samples(int64_t ms, int sample_rate);

#ifdef __cplusplus
}
#endif

#endif

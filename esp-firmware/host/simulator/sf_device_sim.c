/*
 * sf-device-sim: a device on the host. It runs the firmware's protocol code (components/sf_protocol)
 * the way the firmware does — capture into a ring buffer at real time, encode (Opus with libopus, or
 * PCM) into the bounded send queue, send under the pacer, resume with backoff after a drop — over a
 * libwebsockets client instead of esp_websocket_client, with a WAV file instead of the microphone.
 * It prints every transcript and a summary, and exits 0 when the session ended normally (close 1000
 * after stop) with every result in seq order.
 */
#include <errno.h>
#include <libwebsockets.h>
#include <opus.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "sf_protocol.h"
#include "wav.h"

#define SAMPLE_RATE 16000
#define TICK_US 5000
#define MAX_FRAME_SAMPLES (SAMPLE_RATE * 100 / 1000)
#define SLOT_BYTES (MAX_FRAME_SAMPLES * 2)
#define QUEUE_SLOTS 128
#define RX_MAX 8192

typedef struct {
    const char *host;
    int port;
    bool tls;
    const char *device;
    const char *token;
    const char *wav_paths[16];
    int wav_count;
    int gap_ms;
    sf_encoding_t encoding;
    int frame_ms;
    int bitrate;
    double speed;
    int drop_after_seq;
    int drop_at_ms;
    int stall_at_ms;
    int stall_for_ms;
    int timeout_s;
    int ring_seconds;
    int queue_bound_ms;
    int flush_silence_ms;
    const char *language;
    const char *policy;
    bool verbose;
} options_t;

typedef enum { LINK_IDLE, LINK_CONNECTING, LINK_AWAIT_READY, LINK_STREAMING, LINK_DONE } link_state_t;

static struct {
    options_t opt;
    struct lws_context *context;
    struct lws *wsi;
    lws_sorted_usec_list_t tick_sul;
    link_state_t state;
    bool stop_sent;          /* stop was sent on this socket */
    bool stopping;           /* the device wants the session to end (all audio out) */
    bool abort_socket;       /* simulate losing the network on the next callback */
    bool dropped_once;
    bool gap_restart;        /* reconnect at once with start.audio_ms: the ring lost what the router wants */
    int close_code;
    uint64_t stall_until_ms;  /* the network stalls: nothing is sent until then */
    uint64_t reconnect_at_ms;
    uint64_t started_ms;

    sf_wav_t wav;
    sf_ring_t ring;
    int16_t *ring_storage;
    uint64_t origin;         /* ring position of the session clock's 0 */
    uint64_t encode_pos;     /* ring position of the next frame to encode */
    bool capture_done;

    OpusEncoder *opus;
    sf_sendq_t queue;
    uint8_t *queue_storage;
    uint16_t queue_lengths[QUEUE_SLOTS];
    int64_t queue_positions[QUEUE_SLOTS];
    sf_pacer_t pacer;
    sf_silence_t silence;
    int64_t flush_at_ms;     /* send a flush once audio up to here is out (-1: none) */

    sf_session_t session;
    sf_backoff_t backoff;
    char text_out[LWS_PRE + 512];
    size_t text_len;         /* a text message waiting to be written */
    char rx[RX_MAX + 1];
    size_t rx_len;
    bool rx_overflow;

    /* figures */
    int64_t previous_seq;
    bool in_order;
    uint32_t transcripts, seq_errors, reconnects;
    uint64_t payload_bytes, wire_bytes, messages, lost_frames_sent;
    int exit_code;
} sim;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000u + (uint64_t) ts.tv_nsec / 1000000u;
}

/* --verbose: the link's events on stderr, with the wall clock (to match the router's log) and the socket's local port. */
static void trace(struct lws *wsi, const char *format, ...)
{
    if (!sim.opt.verbose) {
        return;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    localtime_r(&ts.tv_sec, &tm);
    int port = 0;
    lws_sockfd_type fd = wsi != NULL ? lws_get_socket_fd(wsi) : -1;
    struct sockaddr_in local;
    socklen_t length = sizeof(local);
    if (fd >= 0 && getsockname(fd, (struct sockaddr *) &local, &length) == 0 && local.sin_family == AF_INET) {
        port = ntohs(local.sin_port);
    }
    char message[512];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof(message), format, args);
    va_end(args);
    fprintf(stderr, "sim %02d:%02d:%02d.%03ld port=%d state=%d: %s\n", tm.tm_hour, tm.tm_min, tm.tm_sec,
            ts.tv_nsec / 1000000, port, (int) sim.state, message);
}

static size_t frame_samples(void)
{
    return sf_frame_samples(SAMPLE_RATE, sim.opt.frame_ms);
}

/* A client frame on the wire: 2 header bytes, extended length, 4-byte mask, payload. */
static uint64_t wire_size(size_t payload)
{
    return 2 + (payload > 65535 ? 8 : payload > 125 ? 2 : 0) + 4 + payload;
}

static void queue_text(int length)
{
    if (length < 0) {
        fprintf(stderr, "sim: message does not fit its buffer\n");
        exit(3);
    }
    sim.text_len = (size_t) length;
}

/* ---------------------------------------------------------------- audio path (as the firmware's tasks) */

static void capture(void)
{
    if (sim.capture_done) {
        return;
    }
    uint64_t due = (uint64_t) ((double) (now_ms() - sim.started_ms) * sim.opt.speed * SAMPLE_RATE / 1000.0);
    if (due > sim.wav.count) {
        due = sim.wav.count;
    }
    if (due > sim.ring.written) {
        sf_ring_write(&sim.ring, sim.wav.samples + sim.ring.written, (size_t) (due - sim.ring.written));
    }
    if (sim.ring.written >= sim.wav.count) {
        /* The last partial frame is completed with silence, as a microphone would go on. */
        size_t tail = (size_t) ((frame_samples() - sim.ring.written % frame_samples()) % frame_samples());
        int16_t zeros[MAX_FRAME_SAMPLES] = {0};
        sf_ring_write(&sim.ring, zeros, tail);
        sim.capture_done = true;
    }
}

static int64_t session_ms(uint64_t ring_position)
{
    return ring_position <= sim.origin ? 0 : sf_samples_to_ms(ring_position - sim.origin, SAMPLE_RATE);
}

static void encode(void)
{
    if (sim.state != LINK_STREAMING) {
        return; /* while disconnected the ring keeps the audio; a resume encodes from where the router is */
    }
    int16_t pcm[MAX_FRAME_SAMPLES];
    uint8_t packet[SLOT_BYTES];
    size_t n = frame_samples();
    while (sim.encode_pos + n <= sim.ring.written) {
        if (sf_ring_read(&sim.ring, sim.encode_pos, pcm, n) != n) {
            fprintf(stderr, "sim: audio at %llu left the ring before it was encoded\n",
                    (unsigned long long) sim.encode_pos);
            sim.encode_pos = sf_ring_oldest(&sim.ring);
            continue;
        }
        int length;
        if (sim.opt.encoding == SF_ENCODING_OPUS) {
            length = opus_encode(sim.opus, pcm, (int) n, packet, (opus_int32) sizeof(packet));
            if (length < 0) {
                fprintf(stderr, "sim: opus_encode: %s\n", opus_strerror(length));
                exit(3);
            }
        } else {
            for (size_t i = 0; i < n; i++) { /* s16le on the wire whatever the host's byte order */
                packet[2 * i] = (uint8_t) (pcm[i] & 0xff);
                packet[2 * i + 1] = (uint8_t) ((uint16_t) pcm[i] >> 8);
            }
            length = (int) (n * 2);
        }
        int64_t position = session_ms(sim.encode_pos);
        sf_sendq_push(&sim.queue, packet, (size_t) length, position);
        sim.encode_pos += n;
        if (sim.opt.flush_silence_ms > 0 && sf_silence_feed(&sim.silence, pcm, n, SAMPLE_RATE)) {
            sim.flush_at_ms = position + sim.opt.frame_ms;
        }
    }
    if (sim.capture_done && sim.encode_pos >= sim.ring.written && sf_sendq_pending(&sim.queue) == 0) {
        sim.stopping = true;
    }
}

/* ---------------------------------------------------------------- link */

static void connect_now(void)
{
    struct lws_client_connect_info info;
    memset(&info, 0, sizeof(info));
    static char path[256];
    snprintf(path, sizeof(path), "/ws/%s", sim.opt.device);
    info.context = sim.context;
    info.address = sim.opt.host;
    info.port = sim.opt.port;
    info.path = path;
    info.host = sim.opt.host;
    info.origin = sim.opt.host;
    info.ssl_connection = sim.opt.tls ? LCCSCF_USE_SSL : 0;
    info.protocol = NULL;
    info.pwsi = &sim.wsi;
    sim.state = LINK_CONNECTING;
    sim.close_code = 0;
    sim.stop_sent = false;
    trace(NULL, "connecting");
    if (lws_client_connect_via_info(&info) == NULL) {
        trace(NULL, "connect failed at once");
        sim.wsi = NULL;
        sim.state = LINK_IDLE;
        sim.reconnect_at_ms = now_ms() + sf_backoff_next(&sim.backoff);
    }
}

static void send_start(void)
{
    sf_start_t start = {.sample_rate = SAMPLE_RATE, .encoding = sim.opt.encoding, .language = sim.opt.language,
                        .policy = sim.opt.policy};
    sf_session_fill_start(&sim.session, &start);
    queue_text(sf_build_start(&start, sim.text_out + LWS_PRE, sizeof(sim.text_out) - LWS_PRE));
}

/* Where the audio goes on after ready: a new session from the next unsent frame, a resume from the router's position. */
static void on_ready(const sf_server_msg_t *msg)
{
    bool had_session = sim.session.has_session;
    int64_t oldest_ms = session_ms(sf_ring_oldest(&sim.ring));
    if (sf_ring_oldest(&sim.ring) <= sim.origin) {
        oldest_ms = 0;
    }
    sf_ready_plan_t plan = sf_session_on_ready(&sim.session, msg, oldest_ms);
    if (!plan.resumed) {
        if (had_session) {
            printf("ready: the session could not be resumed; new session %s\n", msg->session_id);
        } else {
            printf("ready: new session %s\n", msg->session_id);
        }
        /* The new session starts where sending stopped, as far as the ring still has it. */
        uint64_t oldest = sf_ring_oldest(&sim.ring);
        sim.origin = sim.encode_pos > oldest ? sim.encode_pos : oldest;
        sim.encode_pos = sim.origin;
        sim.previous_seq = -1;
    } else if (plan.gap) {
        printf("ready: resumed, but the ring no longer holds %lld ms; reconnecting to start at %lld ms\n",
               (long long) msg->audio_ms, (long long) plan.send_from_ms);
        sim.gap_restart = true;
        sim.abort_socket = true;
        return;
    } else {
        printf("ready: resumed session %s at %lld ms%s\n", msg->session_id, (long long) plan.send_from_ms,
               msg->has_audio_ms || sim.gap_restart ? "" : " (what was sent; the router gave no audio_ms)");
        sim.encode_pos = sim.origin + sf_ms_to_samples(plan.send_from_ms, SAMPLE_RATE);
    }
    sim.gap_restart = false;
    sim.stopping = false;
    sim.flush_at_ms = -1;
    sf_sendq_clear(&sim.queue);
    if (sim.opus != NULL) {
        opus_encoder_ctl(sim.opus, OPUS_RESET_STATE); /* the router decodes each socket with a fresh decoder */
    }
    sf_pacer_start(&sim.pacer, now_ms(), 2000, 1.25f);
    sf_backoff_reset(&sim.backoff);
    sim.state = LINK_STREAMING;
}

static void on_result(const sf_server_msg_t *msg)
{
    sf_result_kind_t kind = sf_session_on_result(&sim.session, msg);
    if (kind == SF_RESULT_DUPLICATE) {
        printf("(ignored seq %lld: already received)\n", (long long) msg->seq);
        return;
    }
    if (msg->seq != sim.previous_seq + 1) {
        printf("OUT OF ORDER: seq %lld after %lld\n", (long long) msg->seq, (long long) sim.previous_seq);
        sim.in_order = false;
    }
    sim.previous_seq = msg->seq;
    if (msg->kind == SF_MSG_TRANSCRIPT) {
        sim.transcripts++;
        printf("#%lld [%.2f-%.2f s] %s %.2f: %s\n", (long long) msg->seq, msg->start_ms / 1000.0,
               msg->end_ms / 1000.0, msg->provider, msg->confidence, msg->text);
    } else {
        sim.seq_errors++;
        printf("#%lld error %s: %s\n", (long long) msg->seq, msg->code, msg->message);
    }
    if (sim.opt.drop_after_seq >= 0 && msg->seq >= sim.opt.drop_after_seq && !sim.dropped_once) {
        sim.dropped_once = true;
        sim.abort_socket = true;
        printf("dropping the connection after seq %lld (simulated network loss)\n", (long long) msg->seq);
    }
}

static void on_text(const char *text, size_t len)
{
    sf_server_msg_t msg;
    switch (sf_parse_server(text, len, &msg)) {
    case SF_MSG_READY:
        on_ready(&msg);
        break;
    case SF_MSG_TRANSCRIPT:
        on_result(&msg);
        break;
    case SF_MSG_ERROR:
        if (msg.has_seq) {
            on_result(&msg);
        } else {
            printf("router error %s: %s\n", msg.code, msg.message);
        }
        break;
    case SF_MSG_UNKNOWN:
        printf("(ignored a message of a type this device does not know)\n");
        break;
    case SF_MSG_MALFORMED:
        printf("(ignored a malformed message: %s)\n", msg.problem);
        break;
    }
}

static void on_closed(void)
{
    int code = sim.close_code == 0 ? 1006 : sim.close_code;
    sim.wsi = NULL;
    if (sim.state == LINK_DONE) {
        return;
    }
    sf_close_action_t action = sf_close_action(code, sim.stop_sent);
    if (action == SF_CLOSE_DONE) {
        printf("closed %d: session ended\n", code);
        sim.state = LINK_DONE;
        return;
    }
    if (action == SF_CLOSE_RETRY_SLOWLY) {
        /* A device would retry at its longest backoff; the simulator reports the configuration error. */
        printf("closed %d: the router refuses this device or its start; giving up\n", code);
        sim.exit_code = 4;
        sim.state = LINK_DONE;
        return;
    }
    if (action == SF_CLOSE_NEW_SESSION) {
        sf_session_forget(&sim.session);
    }
    uint32_t delay = sim.gap_restart ? 0 : sf_backoff_next(&sim.backoff);
    printf("closed %d; reconnecting in %u ms\n", code, delay);
    sim.reconnects++;
    sim.state = LINK_IDLE;
    sim.reconnect_at_ms = now_ms() + delay;
}

/* Writes one message: pending text first, then a flush that is due, then audio the pacer allows, then stop. */
static int write_next(struct lws *wsi)
{
    if (sim.text_len > 0) {
        size_t len = sim.text_len;
        sim.text_len = 0;
        sim.payload_bytes += len;
        sim.wire_bytes += wire_size(len);
        sim.messages++;
        trace(wsi, "sending text: %.*s", (int) len, sim.text_out + LWS_PRE); /* lws_write masks it in place */
        int written = lws_write(wsi, (unsigned char *) sim.text_out + LWS_PRE, len, LWS_WRITE_TEXT);
        if (written < (int) len) {
            trace(wsi, "lws_write wrote %d of %zu bytes", written, len);
        }
        return written < (int) len ? -1 : 0;
    }
    if (sim.state != LINK_STREAMING) {
        return 0;
    }
    sf_packet_t packet;
    bool have = sf_sendq_peek(&sim.queue, &packet);
    if (sim.flush_at_ms >= 0 && (!have || (packet.data != NULL && packet.position_ms >= sim.flush_at_ms))) {
        sim.flush_at_ms = -1;
        queue_text(sf_build_flush(sim.text_out + LWS_PRE, sizeof(sim.text_out) - LWS_PRE));
        return write_next(wsi);
    }
    if (sim.opt.stall_at_ms >= 0 && sim.stall_until_ms == 0 && sim.session.sent_ms >= sim.opt.stall_at_ms) {
        sim.stall_until_ms = now_ms() + (uint64_t) sim.opt.stall_for_ms;
        printf("the network stalls for %d ms at %lld ms of audio\n", sim.opt.stall_for_ms,
               (long long) sim.session.sent_ms);
    }
    if (now_ms() < sim.stall_until_ms) {
        return 0;
    }
    if (have) {
        if (!sf_pacer_may_send(&sim.pacer, now_ms(), (uint32_t) sim.opt.frame_ms)) {
            return 0;
        }
        static unsigned char buffer[LWS_PRE + SLOT_BYTES];
        if (packet.length > 0) {
            memcpy(buffer + LWS_PRE, packet.data, packet.length);
        } else {
            sim.lost_frames_sent++;
        }
        size_t len = packet.length;
        sf_sendq_pop(&sim.queue);
        sf_pacer_sent(&sim.pacer, (uint32_t) sim.opt.frame_ms);
        sf_session_sent(&sim.session, (uint32_t) sim.opt.frame_ms);
        sim.payload_bytes += len;
        sim.wire_bytes += wire_size(len);
        sim.messages++;
        if (sim.opt.drop_at_ms >= 0 && sim.session.sent_ms >= sim.opt.drop_at_ms && !sim.dropped_once) {
            sim.dropped_once = true;
            sim.abort_socket = true;
            printf("dropping the connection at %lld ms of audio (simulated network loss)\n",
                   (long long) sim.session.sent_ms);
        }
        int written = lws_write(wsi, buffer + LWS_PRE, len, LWS_WRITE_BINARY);
        if (sim.abort_socket || written < (int) len) {
            trace(wsi, "sent audio up to %lld ms (%d of %zu bytes)", (long long) sim.session.sent_ms, written, len);
        }
        return written < (int) len ? -1 : 0;
    }
    if (sim.stopping && !sim.stop_sent) {
        sim.stop_sent = true;
        queue_text(sf_build_stop(sim.text_out + LWS_PRE, sizeof(sim.text_out) - LWS_PRE));
        printf("all audio sent (%.1f s); stop\n", sim.session.sent_ms / 1000.0);
        return write_next(wsi);
    }
    return 0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    (void) user;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
        unsigned char **p = (unsigned char **) in;
        unsigned char *end = *p + len;
        char value[300];
        int n = snprintf(value, sizeof(value), "Bearer %s", sim.opt.token);
        if (lws_add_http_header_by_name(wsi, (const unsigned char *) "authorization:", (unsigned char *) value, n,
                                        p, end)) {
            return -1;
        }
        break;
    }
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        trace(wsi, "established%s", sim.text_len > 0 ? " (a text was pending)" : "");
        sim.state = LINK_AWAIT_READY;
        sim.rx_len = 0;
        send_start();
        lws_callback_on_writable(wsi);
        break;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (lws_is_first_fragment(wsi)) {
            sim.rx_len = 0;
            sim.rx_overflow = false;
        }
        if (sim.rx_len + len > RX_MAX) {
            sim.rx_overflow = true;
        } else {
            memcpy(sim.rx + sim.rx_len, in, len);
            sim.rx_len += len;
        }
        if (lws_is_final_fragment(wsi) && !lws_frame_is_binary(wsi)) {
            trace(wsi, "received %.*s", (int) (sim.rx_len > 300 ? 300 : sim.rx_len), sim.rx);
            if (sim.rx_overflow) {
                printf("(ignored a text message longer than %d bytes)\n", RX_MAX);
            } else {
                on_text(sim.rx, sim.rx_len);
            }
        }
        if (sim.abort_socket) {
            trace(wsi, "hanging up after a receive");
            sim.abort_socket = false;
            return -1; /* hang up without a close handshake, as a lost network does */
        }
        break;
    case LWS_CALLBACK_CLIENT_WRITEABLE: {
        if (sim.abort_socket) {
            trace(wsi, "hanging up");
            sim.abort_socket = false;
            return -1;
        }
        uint64_t before = sim.messages;
        int result = write_next(wsi);
        if (result == 0 && sim.messages > before) {
            lws_callback_on_writable(wsi); /* drain as fast as the socket takes it, as the device's sender does */
        }
        return result;
    }
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (len >= 2) {
            const unsigned char *code = in;
            sim.close_code = code[0] << 8 | code[1];
        }
        trace(wsi, "the router closes with %d", sim.close_code);
        break;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        printf("connection failed: %s\n", in ? (const char *) in : "(no reason)");
        trace(wsi, "connection error");
        sim.close_code = 1006;
        on_closed();
        break;
    case LWS_CALLBACK_CLIENT_CLOSED:
        trace(wsi, "closed");
        on_closed();
        break;
    default:
        break;
    }
    return 0;
}

static void tick(lws_sorted_usec_list_t *sul)
{
    capture();
    encode();
    uint64_t now = now_ms();
    if (sim.state == LINK_IDLE && now >= sim.reconnect_at_ms) {
        connect_now();
    }
    if (sim.wsi != NULL && (sim.state == LINK_STREAMING || sim.text_len > 0 || sim.abort_socket)) {
        lws_callback_on_writable(sim.wsi);
    }
    if (sim.state != LINK_DONE && now - sim.started_ms > (uint64_t) sim.opt.timeout_s * 1000u) {
        printf("timed out after %d s\n", sim.opt.timeout_s);
        sim.exit_code = 2;
        sim.state = LINK_DONE;
    }
    lws_sul_schedule(sim.context, 0, sul, tick, TICK_US);
}

/* ---------------------------------------------------------------- command line */

static void usage(void)
{
    fprintf(stderr,
            "usage: sf-device-sim --url ws://HOST:PORT --device ID --token TOKEN --wav FILE [--wav FILE …]\n"
            "                     [--gap-ms MS] (silence before each file and after the last)\n"
            "                     [--encoding opus|pcm] [--frame-ms 20|40|60] [--bitrate BPS] [--speed X]\n"
            "                     [--drop-after-seq N | --drop-at-ms MS] [--flush-silence-ms MS] [--timeout S]\n"
            "                     [--stall-at-ms MS --stall-for-ms MS] [--queue-bound-ms MS] [--verbose 1]\n"
            "Streams a 16 kHz mono 16-bit WAV as a device would and prints the transcripts; --verbose 1 traces\n"
            "the link (connect, handshake, texts sent and received, closes) on stderr.\n");
    exit(64);
}

static void parse_url(const char *url, options_t *opt)
{
    static char host[256];
    const char *rest;
    if (strncmp(url, "ws://", 5) == 0) {
        rest = url + 5;
        opt->tls = false;
        opt->port = 80;
    } else if (strncmp(url, "wss://", 6) == 0) {
        rest = url + 6;
        opt->tls = true;
        opt->port = 443;
    } else {
        usage();
        return;
    }
    size_t n = strcspn(rest, ":/");
    if (n == 0 || n >= sizeof(host)) {
        usage();
    }
    memcpy(host, rest, n);
    host[n] = '\0';
    opt->host = host;
    if (rest[n] == ':') {
        opt->port = atoi(rest + n + 1);
    }
}

static void parse_options(int argc, char **argv, options_t *opt)
{
    *opt = (options_t){.encoding = SF_ENCODING_OPUS, .frame_ms = 20, .bitrate = 24000, .speed = 1.0,
                       .drop_after_seq = -1, .drop_at_ms = -1, .stall_at_ms = -1, .stall_for_ms = 0, .timeout_s = 120, .ring_seconds = 10, .queue_bound_ms = 2000,
                       .flush_silence_ms = 0, .language = "en", .policy = NULL, .device = NULL};
    const char *url = NULL;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (value == NULL) {
            usage();
        }
        i++;
        if (strcmp(arg, "--url") == 0) {
            url = value;
        } else if (strcmp(arg, "--device") == 0) {
            opt->device = value;
        } else if (strcmp(arg, "--token") == 0) {
            opt->token = value;
        } else if (strcmp(arg, "--wav") == 0) {
            if (opt->wav_count == (int) (sizeof(opt->wav_paths) / sizeof(opt->wav_paths[0]))) {
                usage();
            }
            opt->wav_paths[opt->wav_count++] = value;
        } else if (strcmp(arg, "--gap-ms") == 0) {
            opt->gap_ms = atoi(value);
        } else if (strcmp(arg, "--encoding") == 0) {
            opt->encoding = strcmp(value, "pcm") == 0 || strcmp(value, "pcm_s16le") == 0 ? SF_ENCODING_PCM_S16LE
                                                                                         : SF_ENCODING_OPUS;
        } else if (strcmp(arg, "--frame-ms") == 0) {
            opt->frame_ms = atoi(value);
        } else if (strcmp(arg, "--bitrate") == 0) {
            opt->bitrate = atoi(value);
        } else if (strcmp(arg, "--speed") == 0) {
            opt->speed = atof(value);
        } else if (strcmp(arg, "--drop-after-seq") == 0) {
            opt->drop_after_seq = atoi(value);
        } else if (strcmp(arg, "--drop-at-ms") == 0) {
            opt->drop_at_ms = atoi(value);
        } else if (strcmp(arg, "--stall-at-ms") == 0) {
            opt->stall_at_ms = atoi(value);
        } else if (strcmp(arg, "--stall-for-ms") == 0) {
            opt->stall_for_ms = atoi(value);
        } else if (strcmp(arg, "--queue-bound-ms") == 0) {
            opt->queue_bound_ms = atoi(value);
        } else if (strcmp(arg, "--flush-silence-ms") == 0) {
            opt->flush_silence_ms = atoi(value);
        } else if (strcmp(arg, "--timeout") == 0) {
            opt->timeout_s = atoi(value);
        } else if (strcmp(arg, "--verbose") == 0) {
            opt->verbose = strcmp(value, "0") != 0;
        } else if (strcmp(arg, "--policy") == 0) {
            opt->policy = value;
        } else {
            usage();
        }
    }
    if (url == NULL || opt->device == NULL || opt->token == NULL || opt->wav_count == 0 || opt->gap_ms < 0) {
        usage();
    }
    parse_url(url, opt);
    if (!sf_frame_ms_valid(opt->frame_ms) || opt->speed <= 0 || opt->speed > 1.2) {
        fprintf(stderr, "sim: --frame-ms must be 20, 40 or 60 and --speed in (0, 1.2]\n");
        exit(64);
    }
}

/* The files back to back, --gap-ms of silence before each and after the last, into sim.wav. */
static int read_audio(void)
{
    char error[512];
    size_t gap = (size_t) sim.opt.gap_ms * SAMPLE_RATE / 1000;
    sf_wav_t empty = {0};
    for (int i = 0; i < sim.opt.wav_count; i++) {
        sf_wav_t part;
        if (sf_wav_read(sim.opt.wav_paths[i], &part, error, sizeof(error)) != 0) {
            fprintf(stderr, "sim: %s\n", error);
            return -1;
        }
        if (part.sample_rate != SAMPLE_RATE) {
            fprintf(stderr, "sim: %s is %d Hz; the device protocol streams 16000 Hz\n", sim.opt.wav_paths[i],
                    part.sample_rate);
            sf_wav_free(&part);
            return -1;
        }
        int failed = sf_wav_append(&sim.wav, &part, gap);
        sf_wav_free(&part);
        if (failed) {
            fprintf(stderr, "sim: out of memory reading %s\n", sim.opt.wav_paths[i]);
            return -1;
        }
    }
    return sf_wav_append(&sim.wav, &empty, gap);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    parse_options(argc, argv, &sim.opt);
    if (read_audio() != 0) {
        return 64;
    }
    size_t ring_samples = (size_t) sim.opt.ring_seconds * SAMPLE_RATE;
    sim.ring_storage = calloc(ring_samples, sizeof(int16_t));
    sf_ring_init(&sim.ring, sim.ring_storage, ring_samples);
    sim.queue_storage = calloc(QUEUE_SLOTS, SLOT_BYTES);
    sf_sendq_init(&sim.queue, sim.queue_storage, sim.queue_lengths, sim.queue_positions, QUEUE_SLOTS, SLOT_BYTES,
                  (uint32_t) sim.opt.frame_ms, (uint32_t) sim.opt.queue_bound_ms);
    sf_silence_init(&sim.silence, (uint32_t) (sim.opt.flush_silence_ms > 0 ? sim.opt.flush_silence_ms : 1), 200);
    sf_session_init(&sim.session);
    sf_backoff_init(&sim.backoff, 250, 5000, (uint32_t) time(NULL) ^ (uint32_t) getpid());
    sim.flush_at_ms = -1;
    sim.previous_seq = -1;
    sim.in_order = true;
    if (sim.opt.encoding == SF_ENCODING_OPUS) {
        int err;
        sim.opus = opus_encoder_create(SAMPLE_RATE, 1, OPUS_APPLICATION_VOIP, &err);
        if (err != OPUS_OK) {
            fprintf(stderr, "sim: opus_encoder_create: %s\n", opus_strerror(err));
            return 3;
        }
        opus_encoder_ctl(sim.opus, OPUS_SET_BITRATE(sim.opt.bitrate));
        opus_encoder_ctl(sim.opus, OPUS_SET_VBR(1));
        opus_encoder_ctl(sim.opus, OPUS_SET_COMPLEXITY(5));
        opus_encoder_ctl(sim.opus, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
    }

    static const struct lws_protocols protocols[] = {{"speechfleet-device", callback, 0, RX_MAX, 0, NULL, 0},
                                                     {NULL, NULL, 0, 0, 0, NULL, 0}};
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    lws_set_log_level(LLL_ERR, NULL);
    sim.context = lws_create_context(&info);
    if (sim.context == NULL) {
        fprintf(stderr, "sim: lws_create_context failed\n");
        return 3;
    }
    printf("streaming %.1f s of %s as %s (%s, %d ms frames) to %s:%d\n", sim.wav.count / (double) SAMPLE_RATE,
           sim.opt.wav_count == 1 ? sim.opt.wav_paths[0] : "several files", sim.opt.device, sf_encoding_name(sim.opt.encoding), sim.opt.frame_ms, sim.opt.host,
           sim.opt.port);
    sim.started_ms = now_ms();
    sim.state = LINK_IDLE;
    sim.reconnect_at_ms = 0;
    lws_sul_schedule(sim.context, 0, &sim.tick_sul, tick, 1);
    while (sim.state != LINK_DONE) {
        if (lws_service(sim.context, 0) < 0) {
            break;
        }
    }
    lws_context_destroy(sim.context);

    double seconds = sim.session.sent_ms / 1000.0;
    printf("summary: results=%u transcripts=%u seq_errors=%u in_order=%s duplicates_ignored=%u reconnects=%u "
           "lost_frames=%llu dropped_frames=%llu audio_s=%.1f messages=%llu payload_Bps=%.0f websocket_Bps=%.0f\n",
           sim.transcripts + sim.seq_errors, sim.transcripts, sim.seq_errors, sim.in_order ? "yes" : "no",
           sim.session.duplicates, sim.reconnects, (unsigned long long) sim.lost_frames_sent,
           (unsigned long long) sim.queue.dropped, seconds, (unsigned long long) sim.messages,
           seconds > 0 ? sim.payload_bytes / seconds : 0, seconds > 0 ? sim.wire_bytes / seconds : 0);
    if (sim.opus != NULL) {
        opus_encoder_destroy(sim.opus);
    }
    free(sim.ring_storage);
    free(sim.queue_storage);
    sf_wav_free(&sim.wav);
    if (sim.exit_code != 0) {
        return sim.exit_code;
    }
    return sim.in_order ? 0 : 1;
}

package dev.speechfleet.router.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Configuration of the router service ({@code router.*}). */
@ConfigMapping(prefix = "router")
public interface RouterConfig {

    /** The admin REST API. */
    Admin admin();

    /** Device authentication before the WebSocket upgrade. */
    Auth auth();

    /** Protocol limits of one device session. */
    Limits limits();

    /** Session state in Redis. */
    Session session();

    /** Voice-activity detection that cuts the PCM stream into utterances. */
    Vad vad();

    /** Provider choice per utterance. */
    Routing routing();

    /** Result delivery back to the devices. */
    Delivery delivery();

    /** Getting cut utterances into Redis. */
    Dispatch dispatch();

    interface Admin {
        /** Bearer token of the admin API; without one the admin API refuses every call. */
        Optional<String> token();

        /**
         * Port of a separate admin server; when set, the admin API is served there only and the device
         * port does not serve it at all (0 takes any free port). Absent: the admin API is on the device port.
         */
        Optional<Integer> port();

        /** Interface the separate admin server listens on (only with {@code port}). */
        @WithDefault("0.0.0.0")
        String host();
    }

    interface Auth {
        /** How long a device record read from Redis is trusted before it is read again (revocations take this long at most on other instances). */
        @WithDefault("5s")
        Duration cacheTtl();

        /** Most device records kept in the in-process cache. */
        @WithDefault("10000")
        int cacheSize();

        /**
         * Most unknown device ids remembered as unknown, each for {@code cache-ttl}, so that guessed ids do not
         * cost a Redis read each (an admin create on this instance forgets the id at once).
         */
        @WithDefault("10000")
        int unknownCacheSize();

        /** Failed authentications (device or admin) one remote address may make per {@code failure-window}; then HTTP 429. */
        @WithDefault("10")
        int maxFailures();

        /** The window of {@code max-failures}: an address earns one more attempt every window / max-failures. */
        @WithDefault("1m")
        Duration failureWindow();

        /** Most remote addresses whose failures are tracked; the least recently failing are forgotten first. */
        @WithDefault("50000")
        int failureAddresses();
    }

    interface Limits {
        /** Sample rates a session may declare, in Hz. */
        @WithDefault("8000,16000")
        List<Integer> sampleRates();

        /** Longest binary frame accepted, in milliseconds of audio (the protocol asks for 20 to 100 ms). */
        @WithDefault("100")
        int maxFrameMs();

        /** Audio may run ahead of wall-clock time by at most this much before the session is closed as too fast. */
        @WithDefault("3s")
        Duration maxAudioAhead();

        /** Audio may arrive at most this many times faster than real time, on top of {@code max-audio-ahead}. */
        @WithDefault("1.5")
        double maxRealTimeFactor();

        /** Sessions one device may have open at once on one router instance. */
        @WithDefault("2")
        int maxSessionsPerDevice();

        /** A session that receives nothing for this long is closed. */
        @WithDefault("60s")
        Duration idleTimeout();

        /** A session is closed once it has been open this long. */
        @WithDefault("4h")
        Duration maxDuration();

        /** Longest text message accepted, in bytes. */
        @WithDefault("4096")
        int maxTextBytes();

        /**
         * Largest WebSocket message (text or binary, however fragmented) read at all, in bytes; a larger one
         * closes the socket with 1009. It also sets websockets-next's frame and message limits.
         */
        @WithDefault("65536")
        int maxMessageBytes();

        /** How often idle and duration limits are checked. */
        @WithDefault("1s")
        Duration checkInterval();

        /**
         * Audio a resumed socket may send ahead of the wall clock on top of {@code max-audio-ahead}: the
         * recent audio a device resends from the position {@code ready} reports.
         */
        @WithDefault("30s")
        Duration maxResend();

        /**
         * Received messages of one socket the router may hold before it has handled them; past it the
         * socket is not read (TCP pushes back on the device) until half of it is handled. At least
         * {@code max-message-bytes}.
         */
        @WithDefault("64K")
        MemorySize inboundBacklog();

        /** Device sockets one router instance holds at once; a further upgrade is refused with HTTP 503 (load shedding). */
        @WithDefault("2000")
        int maxSockets();

        /**
         * A new socket is refused with HTTP 503 while the heap in use after the latest garbage collection is
         * above this share of the maximum heap, so that the sessions already open keep their memory (1 turns
         * it off).
         */
        @WithDefault("0.8")
        double shedHeapRatio();

        /** The {@code Retry-After} of a shed upgrade: how long a device should wait before it tries again. */
        @WithDefault("5s")
        Duration shedRetryAfter();
    }

    interface Session {
        /** Lifetime of {@code session:{id}} after its last change; a session can be resumed within it. */
        @WithDefault("1h")
        Duration ttl();

        /** Lifetime of a consensus chunk's shared audio blob: only a safety net, far beyond any backlog. */
        @WithDefault("24h")
        Duration blobSafetyTtl();

        /** After {@code stop}, how long the socket waits for outstanding transcripts before it closes. */
        @WithDefault("30s")
        Duration stopDrainTimeout();

        /**
         * How often an open session refreshes the TTL of {@code session:{id}} and records how far its
         * audio is settled; keep it well below {@code ttl}.
         */
        @WithDefault("60s")
        Duration checkpointInterval();
    }

    interface Vad {
        /** Analysis frame length in milliseconds. */
        @WithDefault("20")
        int frameMs();

        /** Speech must be this many dB above the adaptive noise floor. */
        @WithDefault("10")
        double thresholdDb();

        /** Frames quieter than this (dBFS) are never speech, whatever the noise floor. */
        @WithDefault("-50")
        double minSpeechDbfs();

        /** Audio kept before the detected onset so that the first syllable is not cut. */
        @WithDefault("100")
        int preRollMs();

        /** Consecutive speech frames needed to start an utterance, in milliseconds. */
        @WithDefault("40")
        int onsetMs();

        /** Silence that ends an utterance, in milliseconds. */
        @WithDefault("400")
        int hangoverMs();

        /** Audio kept after the last speech frame, in milliseconds (must not exceed the hangover). */
        @WithDefault("100")
        int tailMs();

        /** Utterances with less speech than this are dropped as clicks or noise bursts. */
        @WithDefault("200")
        int minUtteranceMs();

        /** An utterance is cut at this length even while speech goes on. */
        @WithDefault("15000")
        int maxUtteranceMs();

        /** How fast the noise floor rises towards louder background, in dB per second (it falls at once). */
        @WithDefault("3")
        double floorRiseDbPerSecond();
    }

    interface Routing {
        /** Providers the router may choose from, in order of preference on a tie. */
        @WithDefault("whisper,deepgram,assemblyai,parakeet")
        List<String> providers();

        /** Most providers one consensus session may fan each utterance out to (each is a paid call or a worker's time). */
        @WithDefault("3")
        int maxConsensusProviders();

        /** Policy of a device that has none set and does not ask for one. */
        @WithDefault("balanced")
        String defaultPolicy();

        /**
         * How often live figures (XINFO GROUPS/CONSUMERS, provider health) are read in the background.
         * Who counts as a live consumer is {@code fleet.providers.live-idle}, shared with the workers.
         */
        @WithDefault("1s")
        Duration refreshInterval();

        /** Processing time assumed for a provider that has not reported any yet, in milliseconds. */
        @WithDefault("2000")
        long defaultP95Ms();

        /** Balanced policy: weight of latency. */
        @WithDefault("0.4")
        double weightLatency();

        /** Balanced policy: weight of accuracy (catalog WER). */
        @WithDefault("0.3")
        double weightAccuracy();

        /** Balanced policy: weight of price. */
        @WithDefault("0.2")
        double weightCost();

        /** Balanced policy: weight of queue length. */
        @WithDefault("0.1")
        double weightQueue();
    }

    interface Delivery {
        /** How long a result is held back while an earlier seq is missing, before that seq is reported as missing. */
        @WithDefault("20s")
        Duration holdTimeout();

        /** How often sessions still waiting for results are read without a notification (lost notifications only delay). */
        @WithDefault("1s")
        Duration sweepInterval();

        /** Most result entries read per session per read. */
        @WithDefault("200")
        int readBatch();

        /** Bytes queued for one socket at which it counts as full: results are read for it only once it drains. */
        @WithDefault("64K")
        MemorySize outboxBytes();

        /** Bytes queued for one socket at which nothing more is queued and the socket is closed as a slow reader. */
        @WithDefault("1M")
        MemorySize outboxMaxBytes();

        /** A socket whose outbox stays full this long is closed with {@code slow_reader} (4420). */
        @WithDefault("10s")
        Duration slowReaderTimeout();

        /**
         * How long a device has to take a close the router sent (or queued) before its TCP connection
         * is aborted: a device that does not read would otherwise keep its socket for ever.
         */
        @WithDefault("10s")
        Duration closeTimeout();
    }

    interface Dispatch {
        /**
         * How long a session keeps utterances that Redis did not take and retries them; past it the
         * socket is closed with {@code unavailable} (4503) and the device resends after resuming.
         */
        @WithDefault("30s")
        Duration retryWindow();

        /** Most utterances one session keeps waiting for Redis; one more closes the socket with 4503. */
        @WithDefault("16")
        int maxWaiting();
    }
}

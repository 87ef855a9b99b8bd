package dev.speechfleet.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How one simulated device behaves.
 *
 * @param server       the router's base URI, {@code ws://host:port}
 * @param deviceId     the device
 * @param token        its token
 * @param audio        what it says
 * @param speed        1.0 streams at real-time pace, 2.0 twice as fast; 0 sends as fast as the socket takes it
 * @param frameMs      milliseconds of audio per binary frame (the protocol allows 20 to 100)
 * @param language     BCP-47 language of the speech
 * @param policy       routing policy, or {@code null} for the device's default
 * @param consensus    providers to combine, empty for single-provider routing
 * @param dropAfterSeq drop the socket once this seq has arrived and resume the session; negative never
 * @param resultWait   how long to wait for the last transcripts after {@code stop}
 * @param reconnectFor how long to keep trying to resume after the router lost the socket (crash,
 *                     restart, 4503); zero never resumes an unplanned loss
 * @param keepAudio    how much recent audio the device keeps to resend after a resume, like a
 *                     device's ring buffer
 * @param keyterms     phrases the providers should expect, sent as {@code start.keyterms}; empty for none
 */
public record DeviceOptions(URI server, String deviceId, String token, PcmAudio audio, double speed, int frameMs,
        String language, String policy, List<String> consensus, long dropAfterSeq, Duration resultWait,
        Duration reconnectFor, Duration keepAudio, List<String> keyterms) {

    /** How long a device tries to get back to its session by default. */
    public static final Duration DEFAULT_RECONNECT_FOR = Duration.ofSeconds(60);
    /** Recent audio a device keeps by default (the router accepts up to 30 s of resend). */
    public static final Duration DEFAULT_KEEP_AUDIO = Duration.ofSeconds(30);

    public DeviceOptions {
        if (frameMs < 20 || frameMs > 100) {
            throw new IllegalArgumentException("frame length must be 20 to 100 ms, not " + frameMs);
        }
        if (speed < 0) {
            throw new IllegalArgumentException("speed must not be negative");
        }
        if (reconnectFor.isNegative() || keepAudio.isNegative()) {
            throw new IllegalArgumentException("reconnect and keep-audio times must not be negative");
        }
        consensus = consensus == null ? List.of() : List.copyOf(consensus);
        keyterms = keyterms == null ? List.of() : List.copyOf(keyterms);
    }

    /** A device without key terms that resumes for the default time and keeps the default amount of audio. */
    public DeviceOptions(URI server, String deviceId, String token, PcmAudio audio, double speed, int frameMs,
            String language, String policy, List<String> consensus, long dropAfterSeq, Duration resultWait) {
        this(server, deviceId, token, audio, speed, frameMs, language, policy, consensus, dropAfterSeq, resultWait,
                DEFAULT_RECONNECT_FOR, DEFAULT_KEEP_AUDIO, List.of());
    }

    /** The same device with key terms. */
    public DeviceOptions withKeyterms(List<String> newKeyterms) {
        return new DeviceOptions(server, deviceId, token, audio, speed, frameMs, language, policy, consensus,
                dropAfterSeq, resultWait, reconnectFor, keepAudio, newKeyterms);
    }

    public DeviceOptions withDevice(String id, String newToken) {
        return new DeviceOptions(server, id, newToken, audio, speed, frameMs, language, policy, consensus,
                dropAfterSeq, resultWait, reconnectFor, keepAudio, keyterms);
    }

    public DeviceOptions withRecovery(Duration newReconnectFor, Duration newKeepAudio) {
        return new DeviceOptions(server, deviceId, token, audio, speed, frameMs, language, policy, consensus,
                dropAfterSeq, resultWait, newReconnectFor, newKeepAudio, keyterms);
    }
}

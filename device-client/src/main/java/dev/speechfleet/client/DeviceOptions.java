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
 * @param keyterms     phrases the providers should expect, sent as {@code start.keyterms}; empty for none
 */
public record DeviceOptions(URI server, String deviceId, String token, PcmAudio audio, double speed, int frameMs,
        String language, String policy, List<String> consensus, long dropAfterSeq, Duration resultWait,
        List<String> keyterms) {

    /** A device without key terms. */
    public DeviceOptions(URI server, String deviceId, String token, PcmAudio audio, double speed, int frameMs,
            String language, String policy, List<String> consensus, long dropAfterSeq, Duration resultWait) {
        this(server, deviceId, token, audio, speed, frameMs, language, policy, consensus, dropAfterSeq, resultWait,
                List.of());
    }

    public DeviceOptions {
        if (frameMs < 20 || frameMs > 100) {
            throw new IllegalArgumentException("frame length must be 20 to 100 ms, not " + frameMs);
        }
        if (speed < 0) {
            throw new IllegalArgumentException("speed must not be negative");
        }
        consensus = consensus == null ? List.of() : List.copyOf(consensus);
        keyterms = keyterms == null ? List.of() : List.copyOf(keyterms);
    }

    public DeviceOptions withDevice(String id, String newToken) {
        return new DeviceOptions(server, id, newToken, audio, speed, frameMs, language, policy, consensus,
                dropAfterSeq, resultWait, keyterms);
    }
}

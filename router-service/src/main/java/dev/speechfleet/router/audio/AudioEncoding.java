package dev.speechfleet.router.audio;

import dev.speechfleet.core.stream.AudioEncodings;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The encodings a {@code start} may declare for its binary messages. */
public enum AudioEncoding {
    /** Raw 16-bit little-endian mono samples. */
    PCM_S16LE(AudioEncodings.PCM_S16LE, null),
    /** One Opus packet per message (RFC 6716), decoded to PCM at the session's sample rate. */
    OPUS(AudioEncodings.OPUS, Set.of(8000, 12000, 16000, 24000, 48000));

    private final String wire;
    private final Set<Integer> sampleRates;

    AudioEncoding(String wire, Set<Integer> sampleRates) {
        this.wire = wire;
        this.sampleRates = sampleRates;
    }

    /** The {@code encoding} value of the protocol. */
    public String wire() {
        return wire;
    }

    /** Whether this encoding can carry audio at {@code sampleRate} (the router's own list still applies). */
    public boolean supports(int sampleRate) {
        return sampleRates == null || sampleRates.contains(sampleRate);
    }

    public static Optional<AudioEncoding> fromWire(String wire) {
        return Arrays.stream(values()).filter(e -> e.wire.equals(wire)).findFirst();
    }

    /** Every wire name, for error messages. */
    public static List<String> names() {
        return Arrays.stream(values()).map(AudioEncoding::wire).toList();
    }
}

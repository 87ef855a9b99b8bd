package dev.speechfleet.core.stream;

/**
 * Names of the audio encodings of the fleet: what a device declares in {@code start.encoding}, and
 * what audio entries carry in {@link AudioFields#ENCODING} (DESIGN.md sections 3 and 6).
 */
public final class AudioEncodings {

    /** Raw 16-bit little-endian mono PCM: the only encoding of audio entries, and a device encoding. */
    public static final String PCM_S16LE = "pcm_s16le";
    /** One Opus packet per binary message (16 kHz mono); the router decodes it to {@link #PCM_S16LE}. */
    public static final String OPUS = "opus";

    private AudioEncodings() {
    }
}

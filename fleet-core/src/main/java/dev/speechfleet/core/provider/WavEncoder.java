package dev.speechfleet.core.provider;

import dev.speechfleet.core.stream.AudioEncodings;
import dev.speechfleet.core.stream.AudioChunk;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Wraps a chunk's raw PCM in a 44-byte RIFF/WAVE header, the container every HTTP provider accepts
 * without format parameters (provider-contracts.md §1.1 recommends it over raw linear16).
 */
public final class WavEncoder {

    /** Length of the header this encoder writes. */
    public static final int HEADER_BYTES = 44;

    private static final int BITS_PER_SAMPLE = 16;
    private static final int MONO = 1;
    private static final int FORMAT_PCM = 1;

    private WavEncoder() {
    }

    /**
     * The chunk's audio as a mono 16-bit WAV file.
     *
     * @throws TranscriptionException {@code PERMANENT} when the chunk cannot be a valid WAV (wrong
     *                                encoding, no sample rate, no audio, odd byte count): no provider can
     *                                transcribe it, so retrying is pointless
     */
    public static byte[] wav(AudioChunk chunk) throws TranscriptionException {
        if (chunk.audio() == null) {
            throw TranscriptionException.permanent("chunk " + chunk.chunkId() + " has no inline audio");
        }
        try {
            if (!AudioEncodings.PCM_S16LE.equals(chunk.encoding())) {
                throw new IllegalArgumentException("unsupported encoding '" + chunk.encoding() + "', expected "
                        + AudioEncodings.PCM_S16LE);
            }
            return wav(chunk.audio(), chunk.sampleRate());
        } catch (IllegalArgumentException e) {
            throw TranscriptionException.permanent("bad audio in chunk " + chunk.chunkId() + ": " + e.getMessage());
        }
    }

    /**
     * Mono 16-bit little-endian PCM as a WAV file.
     *
     * @throws IllegalArgumentException when the PCM is empty or has an odd length, or the rate is not positive
     */
    public static byte[] wav(byte[] pcm, int sampleRate) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
        }
        if (pcm.length == 0) {
            throw new IllegalArgumentException("no audio samples");
        }
        if (pcm.length % 2 != 0) {
            throw new IllegalArgumentException("16-bit PCM needs an even byte count, got " + pcm.length);
        }
        int blockAlign = MONO * BITS_PER_SAMPLE / 8;
        ByteBuffer wav = ByteBuffer.allocate(HEADER_BYTES + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        wav.put(ascii("RIFF")).putInt(36 + pcm.length).put(ascii("WAVE"));
        wav.put(ascii("fmt ")).putInt(16).putShort((short) FORMAT_PCM).putShort((short) MONO).putInt(sampleRate)
                .putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) BITS_PER_SAMPLE);
        wav.put(ascii("data")).putInt(pcm.length).put(pcm);
        return wav.array();
    }

    private static byte[] ascii(String tag) {
        return tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}

package dev.speechfleet.router.audio;

import dev.speechfleet.router.protocol.ProtocolViolation;

/**
 * Turns each binary message of one socket into 16-bit little-endian mono PCM for the segmenter.
 * Everything after it sees PCM only. One per socket (a decoder has state); messages arrive one at a
 * time, so implementations need no locking.
 *
 * <p>An empty message stands for one frame the device lost (its send queue dropped it): the decoder
 * conceals it with audio of the previous frame's length, so the session's clock stays the device's.
 */
public interface FrameDecoder {

    /** The concealed length of a lost frame before any frame was received. */
    int DEFAULT_FRAME_MS = 20;

    /**
     * The PCM of one binary message.
     *
     * @throws ProtocolViolation for a message the encoding cannot carry; it is dropped
     */
    byte[] decode(byte[] message);

    /** A decoder for a session that declared {@code encoding} at {@code sampleRate}. */
    static FrameDecoder of(AudioEncoding encoding, int sampleRate, int maxFrameMs) {
        return switch (encoding) {
            case PCM_S16LE -> new PcmFrames(sampleRate, maxFrameMs);
            case OPUS -> new OpusFrames(sampleRate, maxFrameMs);
        };
    }
}

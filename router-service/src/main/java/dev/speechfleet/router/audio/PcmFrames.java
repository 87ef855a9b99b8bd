package dev.speechfleet.router.audio;

import dev.speechfleet.router.protocol.ProtocolError;
import dev.speechfleet.router.protocol.ProtocolViolation;

/** {@code pcm_s16le}: the message is the PCM, checked for whole samples and the frame limit. */
final class PcmFrames implements FrameDecoder {

    private final int sampleRate;
    private final int maxFrameMs;
    private int lastFrameBytes;

    PcmFrames(int sampleRate, int maxFrameMs) {
        this.sampleRate = sampleRate;
        this.maxFrameMs = maxFrameMs;
        this.lastFrameBytes = sampleRate * DEFAULT_FRAME_MS / 1000 * 2;
    }

    @Override
    public byte[] decode(byte[] message) {
        if (message.length == 0) {
            return new byte[lastFrameBytes]; // silence stands in for the lost frame
        }
        if (message.length % 2 != 0) {
            throw new ProtocolViolation(ProtocolError.INVALID_FRAME, "a frame must hold whole 16-bit samples");
        }
        long frameMs = message.length * 1000L / (2L * sampleRate);
        if (frameMs > maxFrameMs) {
            throw new ProtocolViolation(ProtocolError.FRAME_TOO_LARGE, "frame of " + frameMs
                    + " ms exceeds the limit of " + maxFrameMs + " ms");
        }
        lastFrameBytes = message.length;
        return message;
    }
}

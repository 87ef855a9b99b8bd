package dev.speechfleet.router.audio;

import dev.speechfleet.router.protocol.ProtocolError;
import dev.speechfleet.router.protocol.ProtocolViolation;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusPacketInfo;

/**
 * {@code opus}: one Opus packet per message, decoded with Concentus (pure Java) at the session's
 * sample rate, mono. A lost frame (empty message) is concealed by the decoder's packet-loss
 * concealment for the previous packet's duration. A packet the decoder rejects is dropped with
 * {@code invalid_packet}; the session goes on.
 */
final class OpusFrames implements FrameDecoder {

    /** The longest packet Opus has (RFC 6716 §3.2.5): the output buffer holds one. */
    private static final int MAX_PACKET_MS = 120;

    private final OpusDecoder decoder;
    private final int sampleRate;
    private final int maxFrameMs;
    private final short[] samples;
    private int lastPacketSamples;

    OpusFrames(int sampleRate, int maxFrameMs) {
        try {
            this.decoder = new OpusDecoder(sampleRate, 1);
        } catch (OpusException e) {
            throw new IllegalArgumentException("Opus cannot decode at " + sampleRate + " Hz", e);
        }
        this.sampleRate = sampleRate;
        this.maxFrameMs = maxFrameMs;
        this.samples = new short[sampleRate * MAX_PACKET_MS / 1000];
        this.lastPacketSamples = sampleRate * DEFAULT_FRAME_MS / 1000;
    }

    @Override
    public byte[] decode(byte[] message) {
        if (message.length == 0) {
            return conceal();
        }
        int packetSamples = OpusPacketInfo.getNumSamples(message, 0, message.length, sampleRate);
        if (packetSamples <= 0) {
            throw invalid("not an Opus packet (its table of contents is malformed)");
        }
        long packetMs = packetSamples * 1000L / sampleRate;
        if (packetMs > maxFrameMs) {
            throw new ProtocolViolation(ProtocolError.FRAME_TOO_LARGE, "Opus packet of " + packetMs
                    + " ms exceeds the limit of " + maxFrameMs + " ms");
        }
        int decoded;
        try {
            decoded = decoder.decode(message, 0, message.length, samples, 0, samples.length, false);
        } catch (OpusException | RuntimeException | AssertionError e) {
            // Concentus can fail deep inside a frame on hostile input; start the next packet from a clean state.
            decoder.resetState();
            throw invalid("the Opus packet could not be decoded (" + e.getMessage() + ")");
        }
        lastPacketSamples = decoded;
        return littleEndian(samples, decoded);
    }

    private byte[] conceal() {
        try {
            int concealed = decoder.decode(null, 0, 0, samples, 0, lastPacketSamples, false);
            return littleEndian(samples, concealed);
        } catch (OpusException | RuntimeException | AssertionError e) {
            decoder.resetState();
            return new byte[lastPacketSamples * 2];
        }
    }

    private static ProtocolViolation invalid(String message) {
        return new ProtocolViolation(ProtocolError.INVALID_PACKET, message);
    }

    private static byte[] littleEndian(short[] samples, int count) {
        byte[] out = new byte[count * 2];
        for (int i = 0; i < count; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }
}

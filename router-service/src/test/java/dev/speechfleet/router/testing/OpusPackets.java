package dev.speechfleet.router.testing;

import dev.speechfleet.client.Pcm;
import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Encodes PCM to Opus packets as a device does: 16 kHz mono, VoIP, one packet per {@code frameMs}. */
public final class OpusPackets {

    /** The bit rate the firmware uses by default. */
    public static final int BITRATE = 24_000;

    private OpusPackets() {
    }

    /** One packet per {@code frameMs} (20, 40 or 60); a last partial frame is padded with silence. */
    public static List<byte[]> encode(byte[] pcm, int sampleRate, int frameMs) {
        try {
            OpusEncoder encoder = new OpusEncoder(sampleRate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
            encoder.setBitrate(BITRATE);
            encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
            encoder.setComplexity(5);
            short[] samples = Pcm.samples(pcm);
            int frame = sampleRate * frameMs / 1000;
            byte[] out = new byte[1275];
            List<byte[]> packets = new ArrayList<>();
            for (int at = 0; at < samples.length; at += frame) {
                short[] input = Arrays.copyOfRange(samples, at, at + frame);
                int length = encoder.encode(input, 0, frame, out, 0, out.length);
                packets.add(Arrays.copyOf(out, length));
            }
            return packets;
        } catch (OpusException e) {
            throw new IllegalStateException(e);
        }
    }
}

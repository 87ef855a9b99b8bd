package dev.speechfleet.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mono 16-bit little-endian PCM at a known sample rate: what a device streams.
 *
 * @param pcm        the samples
 * @param sampleRate samples per second
 */
public record PcmAudio(byte[] pcm, int sampleRate) {

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    public long durationMs() {
        return pcm.length / 2 * 1000L / sampleRate;
    }

    /** Bytes of {@code ms} milliseconds of audio (whole samples). */
    public int bytesFor(int ms) {
        return sampleRate * ms / 1000 * 2;
    }

    /**
     * Reads a WAV file of mono 16-bit PCM. Anything else is refused with a message that says how to
     * convert it (the device protocol carries {@code pcm_s16le} mono only).
     */
    public static PcmAudio readWav(Path file) throws IOException {
        return parseWav(Files.readAllBytes(file), file.toString());
    }

    /** Reads a WAV of mono 16-bit PCM from a stream (a class path resource); {@code name} is for messages. */
    public static PcmAudio readWav(InputStream in, String name) throws IOException {
        return parseWav(in.readAllBytes(), name);
    }

    private static PcmAudio parseWav(byte[] bytes, String file) throws IOException {
        ByteBuffer wav = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.remaining() < 12 || wav.getInt(0) != 0x46464952 || wav.getInt(8) != 0x45564157) {
            throw new IOException(file + " is not a WAV (RIFF/WAVE) file");
        }
        int position = 12;
        int sampleRate = 0;
        while (position + 8 <= wav.limit()) {
            int id = wav.getInt(position);
            int size = wav.getInt(position + 4);
            int body = position + 8;
            if (size < 0 || body + size > wav.limit()) {
                size = wav.limit() - body;
            }
            if (id == 0x20746d66) {
                sampleRate = checkFormat(file, wav, body);
            } else if (id == 0x61746164) {
                if (sampleRate == 0) {
                    throw new IOException(file + ": data chunk before fmt chunk");
                }
                byte[] pcm = new byte[size - size % 2];
                wav.get(body, pcm);
                return new PcmAudio(pcm, sampleRate);
            }
            position = body + size + (size & 1);
        }
        throw new IOException(file + " has no data chunk");
    }

    /** Writes this audio as a WAV file of mono 16-bit PCM, the format {@link #readWav(Path)} reads. */
    public void writeWav(Path file) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0x46464952).putInt(36 + pcm.length).putInt(0x45564157);
        header.putInt(0x20746d66).putInt(16).putShort((short) FORMAT_PCM).putShort((short) 1).putInt(sampleRate)
                .putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        header.putInt(0x61746164).putInt(pcm.length);
        try (var out = Files.newOutputStream(file)) {
            out.write(header.array());
            out.write(pcm);
        }
    }

    private static int checkFormat(String file, ByteBuffer wav, int body) throws IOException {
        int format = Short.toUnsignedInt(wav.getShort(body));
        int channels = wav.getShort(body + 2);
        int sampleRate = wav.getInt(body + 4);
        int bits = wav.getShort(body + 14);
        if ((format != FORMAT_PCM && format != FORMAT_EXTENSIBLE) || channels != 1 || bits != 16) {
            throw new IOException(file + " is format " + format + ", " + channels + " channel(s), " + bits
                    + " bit; the device protocol needs mono 16-bit PCM (sox in.wav -r 16000 -c 1 -b 16 out.wav)");
        }
        return sampleRate;
    }
}

package dev.speechfleet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcmAudioTest {

    @TempDir
    Path dir;

    private static byte[] wav(int channels, int bits, int rate, byte[] data, boolean extraChunk) {
        int extra = extraChunk ? 8 + 4 : 0;
        ByteBuffer b = ByteBuffer.allocate(44 + extra + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + extra + data.length).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        if (extraChunk) {
            b.putInt(0x5453494c).putInt(4).putInt(0);
        }
        b.putInt(0x61746164).putInt(data.length).put(data);
        return b.array();
    }

    @Test
    void readsMono16BitPcmAndSkipsOtherChunks() throws IOException {
        byte[] samples = {1, 2, 3, 4, 5, 6};
        Path file = Files.write(dir.resolve("a.wav"), wav(1, 16, 16000, samples, true));

        PcmAudio audio = PcmAudio.readWav(file);

        assertThat(audio.pcm()).containsExactly(samples);
        assertThat(audio.sampleRate()).isEqualTo(16000);
    }

    @Test
    void refusesStereoWithHowToConvert() throws IOException {
        Path file = Files.write(dir.resolve("s.wav"), wav(2, 16, 44100, new byte[8], false));

        assertThatThrownBy(() -> PcmAudio.readWav(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("2 channel(s)").hasMessageContaining("sox in.wav -r 16000 -c 1 -b 16 out.wav");
    }

    @Test
    void refusesWhatIsNotAWav() throws IOException {
        Path file = Files.writeString(dir.resolve("x.wav"), "hello, this is text");

        assertThatThrownBy(() -> PcmAudio.readWav(file)).hasMessageContaining("not a WAV");
    }

    @Test
    void whatItWritesItReadsBack() throws IOException {
        PcmAudio audio = new PcmAudio(new byte[] {1, 2, 3, 4, -1, -2}, 16000);
        Path file = dir.resolve("w.wav");

        audio.writeWav(file);

        assertThat(Files.readAllBytes(file)).containsExactly(wav(1, 16, 16000, audio.pcm(), false));
        assertThat(PcmAudio.readWav(file).pcm()).containsExactly(audio.pcm());
    }

    @Test
    void knowsItsDurationAndFrameSize() {
        PcmAudio audio = new PcmAudio(new byte[32000], 16000);

        assertThat(audio.durationMs()).isEqualTo(1000);
        assertThat(audio.bytesFor(40)).isEqualTo(1280);
    }
}

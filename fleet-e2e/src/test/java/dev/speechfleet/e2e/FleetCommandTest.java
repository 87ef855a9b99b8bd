package dev.speechfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.client.Pcm;
import dev.speechfleet.client.PcmAudio;
import dev.speechfleet.client.SampleSpeech;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, as {@code ./fleet} runs it: the whole fleet in one process, with its own
 * embedded Redis, streaming audio as a device and printing one line per utterance. Every run gets a
 * PATH without any program on it: the fleet needs no speech tools unless asked to speak text.
 */
class FleetCommandTest {

    @TempDir
    Path dir;

    @Test
    void theReadmeCommandStreamsTheBundledSampleAndSaysThatTheTestModelRecognisedNothing() throws Exception {
        FleetProcess.Result result = fleet("--model", FleetProcess.stubModel().toString());

        assertThat(result.exitCode()).as("exit code; output:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("streaming 10.0 s of audio as dev-device: the sample recording");
        assertThat(result.output().lines().filter(line -> line.startsWith("dev-device #")))
                .as("transcript lines").hasSize(4)
                .allMatch(line -> line.contains(" whisper ") && line.endsWith(": (nothing recognised)"));
        assertThat(result.output()).contains("4 result(s) (4 transcript(s), 0 error(s)), in order, no gaps")
                .contains("the model recognised nothing: all 4 transcript(s) are empty")
                .contains("--model tiny.en").contains("\ndone\n");
    }

    @Test
    void aRecordedWavGivesOneTranscriptLinePerUtteranceAndExitCodeZero() throws Exception {
        Path wav = recording("turn on the kitchen lights", "what is the weather today", "set a timer for ten minutes");

        FleetProcess.Result result = fleet("--model", FleetProcess.stubModel().toString(), "--wav", wav.toString(), "--speed", "2");

        assertThat(result.exitCode()).as("exit code; output:%n%s", result.output()).isZero();
        assertThat(result.output().lines().filter(line -> line.startsWith("dev-device #")))
                .as("transcript lines").hasSize(3).allMatch(line -> line.contains(" whisper "));
        assertThat(result.output()).contains("3 result(s) (3 transcript(s), 0 error(s)), in order, no gaps");
    }

    @Test
    void withoutAnyProviderItSaysSoAndExitsNonZero() throws Exception {
        FleetProcess.Result result = fleet("--model", dir.resolve("no-such-model.bin").toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("no speech-to-text provider is available")
                .contains("no-such-model.bin does not exist").contains("DEEPGRAM_API_KEY");
    }

    @Test
    void sayWithoutTheSpeechToolsSaysWhatToInstallBeforeStartingAnything() throws Exception {
        FleetProcess.Result result = fleet("--model", FleetProcess.stubModel().toString(), "--say", "hello");

        assertThat(result.exitCode()).as("exit code; output:%n%s", result.output()).isEqualTo(2);
        assertThat(result.output()).contains("--say: speaking text needs espeak-ng and sox, which are not installed")
                .contains("apt-get install espeak-ng sox").contains("bundled sample recording")
                .doesNotContain("choosing providers");
    }

    private FleetProcess.Result fleet(String... args) throws Exception {
        return FleetProcess.run(FleetProcess.command(dir, Map.of(), args));
    }

    /** A 16 kHz mono WAV of recorded sentences, each with 300 ms of silence before it and 800 ms after. */
    private Path recording(String... sentences) throws IOException {
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        for (String sentence : sentences) {
            pcm.writeBytes(Pcm.silence(16000, 300));
            pcm.writeBytes(SampleSpeech.sentence(sentence).pcm());
            pcm.writeBytes(Pcm.silence(16000, 800));
        }
        Path wav = dir.resolve("speech.wav");
        new PcmAudio(pcm.toByteArray(), 16000).writeWav(wav);
        return wav;
    }
}

package dev.speechfleet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether the speech tools are there is decided from PATH, before anything is run. */
class SpeechSynthTest {

    // Named through the constant, so that no test source spells a speech tool as a program to run.
    private static final String ESPEAK = SpeechSynth.TOOLS.get(0);
    private static final String SOX = SpeechSynth.TOOLS.get(1);

    @TempDir
    Path dir;

    @Test
    void withoutTheToolsOnThePathItSaysWhatToInstall() {
        assertThat(SpeechSynth.missingTools(dir.toString())).containsExactly(ESPEAK, SOX);
        assertThatThrownBy(() -> SpeechSynth.requireTools(dir.toString())).isInstanceOf(IOException.class)
                .hasMessageContaining("needs espeak-ng and sox, which are not installed")
                .hasMessageContaining("apt-get install espeak-ng sox").hasMessageContaining("--wav");
    }

    @Test
    void oneMissingToolIsNamedAlone() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        executable(bin.resolve(ESPEAK));

        assertThat(SpeechSynth.whatToInstall(dir + File.pathSeparator + bin)).hasValueSatisfying(message ->
                assertThat(message).contains("needs espeak-ng and sox, and sox is not installed")
                        .doesNotContain("espeak-ng is"));
    }

    @Test
    void executablesAnywhereOnThePathAreFound() throws IOException {
        Path one = Files.createDirectories(dir.resolve("one"));
        Path two = Files.createDirectories(dir.resolve("two"));
        executable(one.resolve(SOX));
        executable(two.resolve(ESPEAK));
        Files.writeString(one.resolve(ESPEAK), "not executable");

        assertThat(SpeechSynth.missingTools(String.join(File.pathSeparator, List.of(one.toString(), "",
                two.toString())))).isEmpty();
        assertThat(SpeechSynth.missingTools("")).containsExactly(ESPEAK, SOX);
    }

    @Test
    void joinedSentencesHaveTheLeadAndThePauses() {
        PcmAudio joined = SpeechSynth.join(List.of(new byte[3200], new byte[6400]));

        assertThat(joined.durationMs()).isEqualTo(300 + 100 + 800 + 200 + 800);
    }

    private static void executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}

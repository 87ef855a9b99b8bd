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

    @TempDir
    Path dir;

    @Test
    void withoutTheToolsOnThePathItSaysWhatToInstall() {
        assertThat(SpeechSynth.missingTools(dir.toString())).containsExactly("espeak-ng", "sox");
        assertThatThrownBy(() -> SpeechSynth.requireTools(dir.toString())).isInstanceOf(IOException.class)
                .hasMessageContaining("needs espeak-ng and sox, which are not installed")
                .hasMessageContaining("apt-get install espeak-ng sox").hasMessageContaining("--wav");
    }

    @Test
    void oneMissingToolIsNamedAlone() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        executable(bin.resolve("espeak-ng"));

        assertThat(SpeechSynth.whatToInstall(dir + File.pathSeparator + bin)).hasValueSatisfying(message ->
                assertThat(message).contains("needs espeak-ng and sox, and sox is not installed")
                        .doesNotContain("espeak-ng is"));
    }

    @Test
    void executablesAnywhereOnThePathAreFound() throws IOException {
        Path one = Files.createDirectories(dir.resolve("one"));
        Path two = Files.createDirectories(dir.resolve("two"));
        executable(one.resolve("sox"));
        executable(two.resolve("espeak-ng"));
        Files.writeString(one.resolve("espeak-ng"), "not executable");

        assertThat(SpeechSynth.missingTools(String.join(File.pathSeparator, List.of(one.toString(), "",
                two.toString())))).isEmpty();
        assertThat(SpeechSynth.missingTools("")).containsExactly("espeak-ng", "sox");
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

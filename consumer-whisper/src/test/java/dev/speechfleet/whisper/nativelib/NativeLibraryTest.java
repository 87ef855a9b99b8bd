package dev.speechfleet.whisper.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.givimad.whisperjni.WhisperJNI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryTest {

    @TempDir
    Path nativeDir;

    @Test
    void librariesAreExtractedIntoTheConfiguredDirectoryAndLoadedFromIt() throws IOException {
        Path dir = NativeLibrary.load(nativeDir);

        assertThat(dir).startsWith(nativeDir).endsWith(Path.of("whisper-jni-1.7.1", NativeLibrary.platform()));
        assertThat(dir.resolve("libwhisper-jni.so")).isRegularFile();
        assertThat(dir.resolve("libwhisper.so.1")).isRegularFile();
        assertThat(dir.resolve("libggml.so")).isRegularFile();
        assertThat(System.getProperty(NativeLibrary.LIBDIR_PROPERTY)).isEqualTo(dir.toAbsolutePath().toString());
        assertThat(new WhisperJNI().getSystemInfo()).isNotBlank();
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers).noneMatch(p -> p.toString().endsWith(".part"));
        }
    }

    @Test
    void theAvx2BuildOfGgmlIsChosenOnlyWhenTheCpuHasEveryFlagItNeeds() {
        assertThat(NativeLibrary.ggmlVariant("debian-amd64", Set.of("avx", "avx2", "fma", "f16c", "sse4_2")))
                .isEqualTo("libggml+mf16c+mfma+mavx+mavx2.so");
        assertThat(NativeLibrary.ggmlVariant("debian-amd64", Set.of("avx", "avx2", "f16c"))).isEqualTo("libggml.so");
    }

    @Test
    void aSecondStartFindsTheLibrariesInPlaceAndLeavesThemAlone() throws IOException {
        Path dir = nativeDir.resolve("second-start");
        NativeLibrary.extractAll(dir, Set.of());
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(dir.resolve("libwhisper-jni.so"), old);

        NativeLibrary.extractAll(dir, Set.of());

        assertThat(Files.getLastModifiedTime(dir.resolve("libwhisper-jni.so"))).isEqualTo(old);
    }

    @Test
    void aDamagedLibraryIsReplaced() throws IOException {
        Path dir = nativeDir.resolve("damaged");
        NativeLibrary.extractAll(dir, Set.of());
        Files.writeString(dir.resolve("libwhisper.so.1"), "damaged");

        NativeLibrary.extractAll(dir, Set.of());

        try (var in = WhisperJNI.class.getResourceAsStream("/" + NativeLibrary.platform() + "/libwhisper.so.1")) {
            assertThat(Files.readAllBytes(dir.resolve("libwhisper.so.1"))).isEqualTo(in.readAllBytes());
        }
    }
}

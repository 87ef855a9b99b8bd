package dev.speechfleet.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The ELF reader on the running JDK's own launcher and JVM library. */
class ElfTest {

    private final Path javaHome = Path.of(System.getProperty("java.home"));

    @Test
    void theJavaLauncherNamesItsLoaderAndItsLibraries() throws Exception {
        Elf java = Elf.read(javaHome.resolve("bin/java"));

        assertThat(java.interpreter()).hasValueSatisfying(i -> assertThat(i).startsWith("/lib").contains("ld-linux"));
        assertThat(java.needed()).contains("libjli.so").anySatisfy(l -> assertThat(l).startsWith("libc.so"));
    }

    @Test
    void aSharedLibraryHasNoInterpreter() throws Exception {
        Elf jvm = Elf.read(javaHome.resolve("lib/server/libjvm.so"));

        assertThat(jvm.interpreter()).isEmpty();
        assertThat(jvm.needed()).anySatisfy(l -> assertThat(l).startsWith("libc.so"));
    }
}

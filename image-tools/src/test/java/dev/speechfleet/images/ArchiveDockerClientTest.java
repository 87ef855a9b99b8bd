package dev.speechfleet.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.DockerClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Jib finds the archive client through its ServiceLoader, and only when the build names an archive. */
class ArchiveDockerClientTest {

    @Test
    void jibsServiceLoaderFindsTheArchiveClient() {
        assertThat(ServiceLoader.load(DockerClient.class)).hasAtLeastOneElementOfType(ArchiveDockerClient.class);
    }

    @Test
    void itAnswersOnlyForABuildThatNamesAnArchive() {
        ArchiveDockerClient client = new ArchiveDockerClient();

        assertThat(client.supported(Map.of())).isFalse();
        assertThat(client.supported(Map.of("DOCKER_HOST", "unix:///var/run/docker.sock"))).isFalse();
        assertThat(client.supported(Map.of(ArchiveDockerClient.ARCHIVE, Path.of("target/x.tar").toString()))).isTrue();
    }
}

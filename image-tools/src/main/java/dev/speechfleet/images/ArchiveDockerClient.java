package dev.speechfleet.images;

import com.google.cloud.tools.jib.api.DockerClient;
import com.google.cloud.tools.jib.api.ImageDetails;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.image.ImageTarball;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A {@link DockerClient} that writes the image Jib would pipe into {@code docker load} to a file
 * instead: the same {@code docker save} archive, with no daemon involved. Jib finds it through its
 * own extension point (a {@link java.util.ServiceLoader} of {@code DockerClient}s asked whether they
 * support the build's Docker environment); it answers only when that environment names
 * {@value #ARCHIVE}, which the {@code images} profile sets to {@code target/jib-image.tar}
 * ({@code quarkus.jib.docker-environment.SPEECHFLEET_IMAGE_ARCHIVE}). Without it, Jib uses its own
 * {@code docker} command line client as usual.
 */
public final class ArchiveDockerClient implements DockerClient {

    /** The Docker environment entry naming the archive to write. */
    public static final String ARCHIVE = "SPEECHFLEET_IMAGE_ARCHIVE";

    private Path archive;

    @Override
    public boolean supported(Map<String, String> parameters) {
        String path = parameters.get(ARCHIVE);
        if (path == null || path.isBlank()) {
            return false;
        }
        archive = Path.of(path).toAbsolutePath();
        return true;
    }

    /** Writes the image archive (atomically: a reader never sees half an image); reports bytes written. */
    @Override
    public String load(ImageTarball imageTarball, Consumer<Long> writtenByteCountListener) throws IOException {
        Files.createDirectories(archive.getParent());
        Path partial = archive.resolveSibling(archive.getFileName() + ".part");
        try (OutputStream out = new Counting(Files.newOutputStream(partial), writtenByteCountListener)) {
            imageTarball.writeTo(out);
        }
        Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return "Image archive written to " + archive;
    }

    @Override
    public void save(ImageReference imageReference, Path outputPath, Consumer<Long> writtenByteCountListener)
            throws IOException {
        throw new IOException("no Docker daemon to save " + imageReference + " from: " + getClass().getSimpleName()
                + " only writes archives");
    }

    @Override
    public ImageDetails inspect(ImageReference imageReference) throws IOException {
        throw new IOException("no Docker daemon to inspect " + imageReference + " in: " + getClass().getSimpleName()
                + " only writes archives");
    }

    /** Passes on how many bytes went through, as Jib's progress display expects. */
    private static final class Counting extends FilterOutputStream {
        private final Consumer<Long> listener;

        Counting(OutputStream out, Consumer<Long> listener) {
            super(out);
            this.listener = listener;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            listener.accept(1L);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            listener.accept((long) len);
        }
    }
}

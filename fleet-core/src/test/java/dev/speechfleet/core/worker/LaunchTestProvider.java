package dev.speechfleet.core.worker;

import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.stream.AudioChunk;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The provider bean of {@link WorkerLauncherTest}: a service that contains it gets a worker. */
@ApplicationScoped
public class LaunchTestProvider implements TranscriptionProvider {

    @Override
    public String name() {
        return "launchtest";
    }

    @Override
    public Transcript transcribe(AudioChunk chunk) {
        return new Transcript("launched " + chunk.seq(), 0.5, List.of(), "en", "");
    }

    @Override
    public int defaultConcurrency() {
        return 3;
    }
}

package dev.speechfleet.core.worker;

import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.stream.AudioChunk;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The provider bean of {@link WorkerLauncherTest}: a service that contains it gets a worker. */
@ApplicationScoped
@Named("launchtest")
public class LaunchTestProvider implements TranscriptionProvider {

    /** How many instances were created: a provider that is not served is never created. */
    static final AtomicInteger CREATED = new AtomicInteger();

    public LaunchTestProvider() {
        CREATED.incrementAndGet();
    }

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

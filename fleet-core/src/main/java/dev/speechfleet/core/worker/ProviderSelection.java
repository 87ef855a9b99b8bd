package dev.speechfleet.core.worker;

import dev.speechfleet.core.config.FleetConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;

/**
 * Which providers this process serves ({@code fleet.worker.providers}; all when unset). A provider
 * module consults it before doing costly start-up work (loading a model) for a provider that this
 * process will not serve.
 */
@ApplicationScoped
public class ProviderSelection {

    private final boolean workersEnabled;
    private final Optional<Set<String>> selected;

    @Inject
    ProviderSelection(FleetConfig config) {
        this(config.worker().enabled(), config.worker().providers());
    }

    /**
     * @param workersEnabled whether the process runs workers at all
     * @param selected       the providers it serves, empty for all
     */
    public ProviderSelection(boolean workersEnabled, Optional<Set<String>> selected) {
        this.workersEnabled = workersEnabled;
        this.selected = selected;
    }

    /** Every provider the process has. */
    public static ProviderSelection all() {
        return new ProviderSelection(true, Optional.empty());
    }

    /** Whether this process runs a worker for {@code provider}. */
    public boolean serves(String provider) {
        return workersEnabled && selected.map(s -> s.contains(provider)).orElse(true);
    }
}

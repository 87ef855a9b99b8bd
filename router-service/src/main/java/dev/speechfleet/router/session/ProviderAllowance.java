package dev.speechfleet.router.session;

import dev.speechfleet.router.protocol.ClientMessage;
import dev.speechfleet.router.protocol.ProtocolError;
import dev.speechfleet.router.protocol.ProtocolViolation;
import dev.speechfleet.router.config.RouterConfig;
import dev.speechfleet.router.routing.FiguresSnapshot;
import dev.speechfleet.router.routing.LiveFigures;
import dev.speechfleet.router.routing.RouteChooser;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import jakarta.inject.Singleton;

/**
 * Which providers a session may use: those of its device's record (every provider when it names
 * none), and in a consensus at most {@code router.routing.max-consensus-providers} of them, so that
 * no device fans every utterance out to every paid provider. Refusals are {@code provider_not_allowed}.
 */
@Singleton
final class ProviderAllowance {

    private final RouteChooser chooser;
    private final Supplier<FiguresSnapshot> figures;
    private final int maxConsensus;

    ProviderAllowance(RouteChooser chooser, LiveFigures figures, RouterConfig config) {
        this.chooser = chooser;
        this.figures = figures::snapshot;
        this.maxConsensus = config.routing().maxConsensusProviders();
    }

    /** The device's providers as handed over by the upgrade check (a comma list, empty for every provider). */
    static List<String> parse(String commaList) {
        if (commaList == null || commaList.isBlank()) {
            return List.of();
        }
        return Arrays.stream(commaList.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
    }

    /** Checks a validated {@code start} against the device's providers ({@code allowed}, empty for all). */
    void check(ClientMessage.Start start, List<String> allowed) {
        List<String> consensus = start.consensus();
        if (consensus.size() > maxConsensus) {
            throw refused("a consensus may use at most " + maxConsensus + " providers, not " + consensus.size());
        }
        if (allowed.isEmpty()) {
            return;
        }
        for (String provider : consensus) {
            if (!allowed.contains(provider)) {
                throw refused("this device may not use provider '" + provider + "'; it may use " + allowed);
            }
        }
        if (chooser.restrictedTo(allowed).serving(start.language(), start.sampleRate(), figures.get()).isEmpty()) {
            throw refused("none of the providers this device may use " + allowed + " serves language '"
                    + start.language() + "' at " + start.sampleRate() + " Hz");
        }
    }

    private static ProtocolViolation refused(String message) {
        return new ProtocolViolation(ProtocolError.PROVIDER_NOT_ALLOWED, message);
    }
}

package dev.speechfleet.router.session;

import dev.speechfleet.router.audio.AudioEncoding;
import dev.speechfleet.router.config.RouterConfig;
import dev.speechfleet.router.protocol.ClientMessage;
import dev.speechfleet.router.protocol.ProtocolError;
import dev.speechfleet.router.protocol.ProtocolViolation;
import dev.speechfleet.router.routing.FiguresSnapshot;
import dev.speechfleet.router.routing.LiveFigures;
import dev.speechfleet.router.routing.RouteChooser;
import dev.speechfleet.router.routing.RoutingPolicy;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import jakarta.inject.Singleton;

/**
 * Checks a {@code start} against what the router supports and what the providers' consumers serve
 * (their published capabilities, ADR 0024); every refusal is a {@link ProtocolViolation}.
 */
@Singleton
final class StartValidator {

    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*");
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final RouterConfig config;
    private final RouteChooser chooser;
    private final Supplier<FiguresSnapshot> figures;

    StartValidator(RouterConfig config, RouteChooser chooser, LiveFigures figures) {
        this.config = config;
        this.chooser = chooser;
        this.figures = figures::snapshot;
    }

    /** The policy the session routes with: its own, else the device's, else the router default. */
    RoutingPolicy validate(ClientMessage.Start start, String devicePolicy) {
        AudioEncoding encoding = AudioEncoding.fromWire(start.encoding()).orElseThrow(() -> new ProtocolViolation(
                ProtocolError.UNSUPPORTED_ENCODING, "encoding '" + start.encoding() + "' is not supported; send one of "
                + AudioEncoding.names()));
        if (!config.limits().sampleRates().contains(start.sampleRate())) {
            throw new ProtocolViolation(ProtocolError.UNSUPPORTED_SAMPLE_RATE, "sample_rate " + start.sampleRate()
                    + " is not supported; use one of " + config.limits().sampleRates());
        }
        if (!encoding.supports(start.sampleRate())) {
            throw new ProtocolViolation(ProtocolError.UNSUPPORTED_ENCODING, "encoding '" + start.encoding()
                    + "' cannot carry sample_rate " + start.sampleRate());
        }
        FiguresSnapshot snapshot = figures.get();
        if (!LANGUAGE.matcher(start.language()).matches() || !chooser.servesLanguage(start.language(), snapshot)) {
            throw invalid("no provider serves language '" + start.language() + "'");
        }
        if (start.consensus().isEmpty()
                && chooser.serving(start.language(), start.sampleRate(), snapshot).isEmpty()) {
            throw new ProtocolViolation(ProtocolError.UNSUPPORTED_SAMPLE_RATE, "no provider serves '"
                    + start.language() + "' at " + start.sampleRate() + " Hz");
        }
        if (start.sessionId().isPresent() && !SESSION_ID.matcher(start.sessionId().get()).matches()) {
            throw new ProtocolViolation(ProtocolError.UNKNOWN_SESSION, "session_id is not a session of this fleet");
        }
        if (start.lastSeq().isPresent() && start.sessionId().isEmpty()) {
            throw invalid("last_seq is only meaningful with session_id");
        }
        if (start.audioMs().isPresent() && start.sessionId().isEmpty()) {
            throw invalid("audio_ms is only meaningful with session_id");
        }
        validateConsensus(start, snapshot);
        return policy(start, devicePolicy);
    }

    private RoutingPolicy policy(ClientMessage.Start start, String devicePolicy) {
        String wanted = start.policy().orElse(devicePolicy == null || devicePolicy.isEmpty()
                ? config.routing().defaultPolicy() : devicePolicy);
        return RoutingPolicy.fromWire(wanted).orElseThrow(() -> invalid("policy '" + wanted + "' is not one of "
                + RoutingPolicy.names()));
    }

    private void validateConsensus(ClientMessage.Start start, FiguresSnapshot snapshot) {
        List<String> consensus = start.consensus();
        if (consensus.isEmpty()) {
            return;
        }
        if (consensus.size() < 2) {
            throw invalid("consensus needs at least two providers");
        }
        for (String provider : consensus) {
            boolean usable = config.routing().providers().contains(provider)
                    && snapshot.capabilitiesOf(provider).serves(start.language(), start.sampleRate());
            if (!usable) {
                throw invalid("provider '" + provider + "' cannot take part in a consensus for language '"
                        + start.language() + "' at " + start.sampleRate() + " Hz");
            }
        }
    }

    private static ProtocolViolation invalid(String message) {
        return new ProtocolViolation(ProtocolError.INVALID_START, message);
    }
}

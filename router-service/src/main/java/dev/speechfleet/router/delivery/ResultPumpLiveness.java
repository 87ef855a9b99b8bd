package dev.speechfleet.router.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN once the result pump has stopped for good (an {@link Error} such as running out of memory):
 * the instance still accepts audio but can deliver nothing, so it must be restarted, and its devices
 * resume on another instance.
 */
@Liveness
@ApplicationScoped
class ResultPumpLiveness implements HealthCheck {

    private final ResultPump pump;

    ResultPumpLiveness(ResultPump pump) {
        this.pump = pump;
    }

    @Override
    public HealthCheckResponse call() {
        Throwable stoppedBy = pump.stoppedBy();
        return stoppedBy == null ? HealthCheckResponse.up("result-pump")
                : HealthCheckResponse.builder().name("result-pump").down().withData("stopped_by",
                        String.valueOf(stoppedBy)).build();
    }
}

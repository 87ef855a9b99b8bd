package dev.speechfleet.router.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoadShedderTest {

    private final AtomicLong open = new AtomicLong();
    private final AtomicReference<Double> heap = new AtomicReference<>(0.0);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private LoadShedder shedder(int maxSockets, double heapRatio) {
        return new LoadShedder(maxSockets, heapRatio, 7, open::get, heap::get, meters);
    }

    @Test
    void belowBothLimitsAnUpgradeGoesOn() {
        open.set(9);
        heap.set(0.79);

        assertThat(shedder(10, 0.8).check()).isEmpty();
    }

    @Test
    void atTheSocketLimitAnUpgradeIsRefusedWithItsRetryAfter() {
        open.set(10);

        var refusal = shedder(10, 0.8).check();

        assertThat(refusal).hasValueSatisfying(r -> {
            assertThat(r.retryAfterSeconds()).isEqualTo(7);
            assertThat(r.reason()).contains("10 sockets", "router.limits.max-sockets 10");
        });
        assertThat(meters.counter("router.upgrades.shed", "reason", "sockets").count()).isEqualTo(1);
    }

    @Test
    void aboveTheHeapRatioAnUpgradeIsRefused() {
        open.set(1);
        heap.set(0.86);

        var refusal = shedder(10, 0.85).check();

        assertThat(refusal).hasValueSatisfying(r -> assertThat(r.reason()).contains("86 %", "0.85"));
        assertThat(meters.counter("router.upgrades.shed", "reason", "heap").count()).isEqualTo(1);
    }

    @Test
    void aRatioOfOneNeverShedsOnHeap() {
        heap.set(1.0);

        assertThat(shedder(10, 1).check()).isEmpty();
    }

    @Test
    void onceTheHeapIsBackUnderTheRatioUpgradesGoOnAgain() {
        LoadShedder shedder = shedder(10, 0.8);
        heap.set(0.9);
        assertThat(shedder.check()).isPresent();

        heap.set(0.5);

        assertThat(shedder.check()).isEmpty();
    }

    @Test
    void limitsOutsideTheirRangeAreRefusedAtStart() {
        assertThatThrownBy(() -> shedder(0, 0.8)).hasMessageContaining("router.limits.max-sockets");
        assertThatThrownBy(() -> shedder(10, 0)).hasMessageContaining("router.limits.shed-heap-ratio");
        assertThatThrownBy(() -> shedder(10, 1.5)).hasMessageContaining("router.limits.shed-heap-ratio");
    }
}

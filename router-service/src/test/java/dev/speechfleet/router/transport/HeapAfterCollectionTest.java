package dev.speechfleet.router.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeapAfterCollectionTest {

    private final HeapAfterCollection heap = new HeapAfterCollection();

    @AfterEach
    void stop() {
        heap.onStop(null);
    }

    @Test
    void aCollectionGivesTheShareOfTheHeapStillInUse() {
        long before = heap.collections();

        System.gc();

        await().atMost(Duration.ofSeconds(10)).until(() -> heap.collections() > before);
        assertThat(heap.share()).isGreaterThan(0).isLessThan(1);
    }

    @Test
    void theShareFollowsWhatTheProcessHolds() {
        System.gc();
        await().atMost(Duration.ofSeconds(10)).until(() -> heap.collections() > 0);
        long seen = heap.collections();
        double empty = heap.share();
        // 256 MiB held across the collection.
        byte[][] held = new byte[64][];
        for (int i = 0; i < held.length; i++) {
            held[i] = new byte[4 << 20];
        }
        double heldShare = (256.0 * 1024 * 1024) / Runtime.getRuntime().maxMemory();

        System.gc();

        await().atMost(Duration.ofSeconds(10)).until(() -> heap.collections() > seen);
        assertThat(heap.share()).isGreaterThan(empty + heldShare * 0.9);
        assertThat(held[held.length - 1]).hasSize(4 << 20); // keeps the blocks reachable until here
    }
}

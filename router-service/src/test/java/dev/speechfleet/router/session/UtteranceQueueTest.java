package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.redis.RedisUnavailableException;
import dev.speechfleet.router.vad.Utterance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order, retries and bounds of a session's undispatched utterances, with Redis steps scripted. */
class UtteranceQueueTest {

    private static final long MS = 1_000_000L;
    private static final Duration WINDOW = Duration.ofSeconds(4);

    /** Redis steps that fail while {@code down} is set, recording what went through. */
    private static class Steps implements UtteranceQueue.Steps {
        boolean down;
        long nextSeq;
        int seqCalls;
        final List<String> log = new ArrayList<>();

        @Override
        public long takeSeq(Utterance utterance) {
            fail();
            seqCalls++;
            return nextSeq++;
        }

        @Override
        public void enqueue(long seq, Utterance utterance) {
            fail();
            log.add("enqueue " + seq + "@" + utterance.startMs());
        }

        @Override
        public void confirm(long seq, Utterance utterance) {
            fail();
            log.add("confirm " + seq);
        }

        private void fail() {
            if (down) {
                throw new RedisUnavailableException("connection refused", null);
            }
        }
    }

    private static Utterance at(long startMs) {
        return new Utterance(startMs, 400, 300, new byte[12_800], false);
    }

    @Test
    void utterancesGoOutInOrderOfSpeechOnceRedisIsBack() {
        UtteranceQueue queue = new UtteranceQueue(8, WINDOW);
        Steps steps = new Steps();
        steps.down = true;

        queue.add(at(0), steps, 0);
        queue.add(at(1000), steps, 10 * MS);
        steps.down = false;

        assertThat(queue.retry(steps, 5_000 * MS)).isTrue();
        assertThat(steps.log).containsExactly("enqueue 0@0", "confirm 0", "enqueue 1@1000", "confirm 1");
    }

    @Test
    void aStepThatWentThroughIsNotRepeatedOnRetry() {
        UtteranceQueue queue = new UtteranceQueue(8, WINDOW);
        Steps steps = new Steps() {
            int confirms;

            @Override
            public void confirm(long seq, Utterance utterance) {
                if (confirms++ == 0) {
                    throw new RedisUnavailableException("lost the connection", null);
                }
                super.confirm(seq, utterance);
            }
        };

        queue.add(at(0), steps, 0);
        queue.retry(steps, 5_000 * MS);

        assertThat(steps.seqCalls).isEqualTo(1);
        assertThat(steps.log).containsExactly("enqueue 0@0", "confirm 0");
    }

    @Test
    void retriesBackOffWhileRedisStaysAway() {
        UtteranceQueue queue = new UtteranceQueue(8, WINDOW);
        Steps steps = new Steps();
        steps.down = true;
        queue.add(at(0), steps, 0);
        steps.down = false;

        assertThat(queue.retry(steps, 50 * MS)).as("first retry only after 100 ms").isFalse();
        assertThat(queue.retry(steps, 100 * MS)).isTrue();
    }

    @Test
    void theLastRetryFallsAtTheEndOfTheRetryWindowWhateverTheBackoff() {
        UtteranceQueue queue = new UtteranceQueue(8, WINDOW);
        Steps steps = new Steps();
        steps.down = true;
        queue.add(at(0), steps, 0);
        for (long t = 0; t < 4_000; t += 200) { // the router's limit check runs every 200 ms
            queue.retry(steps, t * MS);
        }
        steps.down = false; // Redis is back just before the window closes

        assertThat(queue.retry(steps, 4_000 * MS)).as("retried at the window's end").isTrue();
        assertThat(steps.log).containsExactly("enqueue 0@0", "confirm 0");
    }

    @Test
    void reportsHowLongRedisHasBeenRefusing() {
        UtteranceQueue queue = new UtteranceQueue(8, WINDOW);
        Steps steps = new Steps();
        steps.down = true;
        queue.add(at(0), steps, 1_000 * MS);
        queue.retry(steps, 2_000 * MS);

        assertThat(queue.failingForNanos(3_500 * MS)).isEqualTo(2_500 * MS);
        assertThat(queue.lastFailure()).contains("connection refused");
        steps.down = false;
        queue.retry(steps, 4_000 * MS);
        assertThat(queue.failingForNanos(5_000 * MS)).isZero();
    }

    @Test
    void keepsNoMoreThanItsBound() {
        UtteranceQueue queue = new UtteranceQueue(2, WINDOW);
        Steps steps = new Steps();
        steps.down = true;

        assertThat(queue.add(at(0), steps, 0)).isTrue();
        assertThat(queue.add(at(1000), steps, 0)).isTrue();
        assertThat(queue.add(at(2000), steps, 0)).isFalse();
        assertThat(queue.waiting()).isEqualTo(2);
    }
}

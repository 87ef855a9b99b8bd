package dev.speechfleet.whisper.engine;

import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A fixed set of {@link WhisperState}s over one context. A transcription borrows a state for the
 * duration of one native call, so no state is ever used by two threads at once; callers beyond the
 * pool's size wait for a state.
 */
final class StatePool {

    private static final Logger LOG = Logger.getLogger(StatePool.class);

    private final WhisperJNI whisper;
    private final List<WhisperState> all;
    private final BlockingQueue<WhisperState> idle;

    StatePool(WhisperJNI whisper, WhisperContext context, int size) {
        this.whisper = whisper;
        this.all = new ArrayList<>(size);
        this.idle = new ArrayBlockingQueue<>(size);
        NativeLifecycle.LOCK.lock();
        try {
            for (int i = 0; i < size; i++) {
                WhisperState state = whisper.initState(context);
                if (state == null) {
                    freeAll();
                    throw new IllegalStateException("whisper.cpp could not allocate state " + (i + 1) + " of " + size);
                }
                all.add(state);
                idle.add(state);
            }
        } finally {
            NativeLifecycle.LOCK.unlock();
        }
    }

    int size() {
        return all.size();
    }

    WhisperState borrow() throws InterruptedException {
        return idle.take();
    }

    void release(WhisperState state) {
        idle.add(state);
    }

    /**
     * Frees the states once every borrowed one is back. A state still in a native call after
     * {@code wait} is not freed: freeing memory under a running call would crash the process.
     *
     * @return whether every state was freed
     */
    boolean close(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<WhisperState> returned = new ArrayList<>(all.size());
        try {
            while (returned.size() < all.size()) {
                long left = deadline - System.nanoTime();
                WhisperState state = left > 0 ? idle.poll(left, TimeUnit.NANOSECONDS) : null;
                if (state == null) {
                    break;
                }
                returned.add(state);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        NativeLifecycle.LOCK.lock();
        try {
            returned.forEach(whisper::free);
        } finally {
            NativeLifecycle.LOCK.unlock();
        }
        if (returned.size() < all.size()) {
            LOG.warnf("%d whisper state(s) still busy after %s; leaving them allocated", all.size() - returned.size(),
                    wait);
            return false;
        }
        return true;
    }

    private void freeAll() {
        all.forEach(whisper::free);
        all.clear();
        idle.clear();
    }
}

package dev.speechfleet.whisper.engine;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The one lock under which contexts and states are created and freed. whisper.cpp's model loading
 * and state allocation touch process-wide ggml state that is not thread-safe, and every engine in
 * the process (tests and the benchmark run several) shares it.
 */
final class NativeLifecycle {

    static final ReentrantLock LOCK = new ReentrantLock();

    private NativeLifecycle() {
    }
}

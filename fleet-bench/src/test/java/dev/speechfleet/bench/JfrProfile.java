package dev.speechfleet.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a process spent its time, from its JFR recording ({@code settings=profile}): execution
 * samples by thread, by the method on top of the stack (self), and by the fleet's own methods
 * anywhere on the stack (inclusive); allocation samples by class and by the fleet method that
 * allocated. What {@code jfr print --events jdk.ExecutionSample} shows, counted.
 */
final class JfrProfile {

    private static final String OWN = "dev.speechfleet.";

    private JfrProfile() {
    }

    /** The summary of the events recorded from {@code since} on (start-up left out). */
    static List<String> summarize(Path recording, java.time.Instant since, int top) throws IOException {
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> selfByPackage = new HashMap<>();
        Map<String, Long> ownInclusive = new HashMap<>();
        Map<String, Long> allocatedClass = new HashMap<>();
        Map<String, Long> allocatedBy = new HashMap<>();
        long samples = 0;
        long allocated = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (event.getStartTime().isBefore(since)) {
                    continue;
                }
                String type = event.getEventType().getName();
                if (type.equals("jdk.ExecutionSample")) {
                    samples++;
                    RecordedThread thread = event.getThread("sampledThread");
                    threads.merge(threadGroup(thread), 1L, Long::sum);
                    RecordedStackTrace stack = event.getStackTrace();
                    if (stack == null || stack.getFrames().isEmpty()) {
                        continue;
                    }
                    self.merge(name(stack.getFrames().getFirst()), 1L, Long::sum);
                    selfByPackage.merge(packageGroup(stack.getFrames().getFirst()), 1L, Long::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame frame : stack.getFrames()) {
                        String method = name(frame);
                        if (method.startsWith(OWN) && seen.add(method)) {
                            ownInclusive.merge(method, 1L, Long::sum);
                        }
                    }
                } else if (type.equals("jdk.ObjectAllocationSample")) {
                    long weight = event.getLong("weight");
                    allocated += weight;
                    allocatedClass.merge(event.getClass("objectClass").getName(), weight, Long::sum);
                    RecordedStackTrace stack = event.getStackTrace();
                    String by = "(no fleet frame)";
                    if (stack != null) {
                        for (RecordedFrame frame : stack.getFrames()) {
                            if (name(frame).startsWith(OWN)) {
                                by = name(frame);
                                break;
                            }
                        }
                    }
                    allocatedBy.merge(by, weight, Long::sum);
                }
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%s: %d execution samples, %.1f MB allocated (sampled weight),"
                + " from %s on", recording.getFileName(), samples, allocated / 1e6, since));
        table(lines, "threads (share of samples)", threads, samples, top);
        table(lines, "self, by code base: where the method on top of the stack comes from", selfByPackage, samples,
                top / 2);
        table(lines, "self: method on top of the stack", self, samples, top);
        table(lines, "inclusive: fleet methods anywhere on the stack", ownInclusive, samples, top);
        table(lines, "allocation by class (share of bytes)", allocatedClass, allocated, top / 2);
        table(lines, "allocation by the fleet method nearest the allocation", allocatedBy, allocated, top / 2);
        return lines;
    }

    private static void table(List<String> lines, String title, Map<String, Long> counts, long total, int top) {
        lines.add("  " + title + ":");
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(top)
                .forEach(e -> lines.add(String.format(Locale.ROOT, "    %5.1f %%  %s",
                        100.0 * e.getValue() / Math.max(1, total), e.getKey())));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** The code base a frame belongs to: the fleet's modules, Netty, Vert.x, Jackson, the JDK, … */
    private static String packageGroup(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        String[] parts = type.split("\\.");
        int depth = type.startsWith(OWN) ? 3 : type.startsWith("java.") || type.startsWith("jdk.")
                || type.startsWith("sun.") ? 2 : type.startsWith("com.fasterxml") ? 3 : 2;
        return String.join(".", java.util.Arrays.copyOf(parts, Math.min(depth, parts.length - 1)));
    }

    /** A thread's name without its number, so a pool's threads count together. */
    private static String threadGroup(RecordedThread thread) {
        String name = thread == null ? "?" : thread.getJavaName() == null ? thread.getOSName() : thread.getJavaName();
        return name == null ? "?" : name.replaceAll("\\d+", "#");
    }
}

package dev.speechfleet.bench;

import dev.speechfleet.whisper.engine.DecodingSettings;
import dev.speechfleet.whisper.engine.Pcm16;
import dev.speechfleet.whisper.nativelib.NativeLibrary;
import io.github.givimad.whisperjni.WhisperFullParams;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * whisper.cpp's own timers for the benchmark's calls: where a call's time goes (mel, encoder, one
 * decoder step per token) and how many tokens it decodes, with the full window and with the encoder
 * context sized to the utterance. whisper-jni 1.7.1 exposes neither {@code whisper_print_timings} nor
 * token counts, nor the native pointer of its contexts, so this calls whisper-jni's own
 * {@code libwhisper.so.1} directly through the foreign-function API: {@code whisper_init_from_file} (a
 * context with its own state, whose timers {@code whisper_print_timings} reads), {@code whisper_full}
 * with the very parameters the consumer's {@link DecodingSettings} give whisper-jni (copied field by
 * field into whisper.cpp 1.7.1's {@code whisper_full_params}), then the timers, which whisper.cpp logs
 * to whisper-jni's library logger. The foreign-function API is final from Java 22 and a preview in 21,
 * which this project compiles for, so it is reached by reflection; the benchmark JVMs run on 25.
 *
 * <p>With random weights the decoder never writes its end token and runs to whisper.cpp's limit of 220
 * tokens a segment; {@code bench.max-tokens} (whisper.cpp's {@code max_tokens}, which whisper-jni 1.7.1
 * does not pass) adds both modes again with decoding stopped after that many tokens, the length of a
 * real transcript of the utterance, to measure what the encoder context gains then.
 *
 * <p>System properties: {@code bench.model}, {@code bench.utterance-ms}, {@code bench.calls},
 * {@code bench.threads}, {@code bench.audio-ctx-floor}, {@code bench.max-tokens}. Prints per mode one
 * line {@code TIMINGS <mode> key=value …} (milliseconds per call, tokens per call), then {@code DONE}.
 */
public final class WhisperTimingsMain {

    /** Size of whisper.cpp 1.7.1's {@code whisper_full_params} on x86-64 and its fields' offsets (whisper.h). */
    private static final int PARAMS_SIZE = 264;
    /** {@code WHISPER_SAMPLING_GREEDY}: the benchmark decodes greedily, as the service does by default. */
    private static final int GREEDY = 0;

    private static final StringBuilder LOG = new StringBuilder();

    private WhisperTimingsMain() {
    }

    public static void main(String[] args) throws Throwable {
        Path model = Path.of(System.getProperty("bench.model"));
        int calls = Integer.getInteger("bench.calls", 3);
        int threads = Integer.getInteger("bench.threads", 1);
        float[] samples = Pcm16.toSamples(BenchAudio.recordedSpeech(Integer.getInteger("bench.utterance-ms", 2500)));
        Path dir = NativeLibrary.load(Path.of(System.getProperty("user.home"), ".cache/speech-fleet/whisper/native"));
        Ffm ffm = new Ffm(dir.resolve("libwhisper.so.1"));
        // whisper-jni's own log proxy cannot be called from a foreign-function call: whisper.cpp logs here instead.
        ffm.call("whisper_log_set", ffm.upcall(WhisperTimingsMain.class, "log"), ffm.nullPointer());
        // One context per mode, their calls alternating, so that the machine's drift weighs on both alike.
        List<Mode> modes = new ArrayList<>();
        int maxTokens = Integer.getInteger("bench.max-tokens", 0);
        for (int limit : maxTokens > 0 ? List.of(0, maxTokens) : List.of(0)) {
            for (String window : List.of("full", "sized")) {
                DecodingSettings decoding = new DecodingSettings(threads, 1, false,
                        window.equals("full") ? 0 : Integer.getInteger("bench.audio-ctx-floor", 256));
                WhisperFullParams params = decoding.params("en", null, samples.length);
                String name = limit == 0 ? window : window + "-" + limit + "-tokens";
                modes.add(new Mode(name, params, ffm.call("whisper_init_from_file", ffm.string(model.toString())),
                        ffm.params(params, limit)));
            }
        }
        Object audio = ffm.floats(samples);
        try {
            for (Mode mode : modes) {
                mode.call(ffm, audio, samples.length);
                ffm.call("whisper_reset_timings", mode.context);
                mode.tokens = 0;
            }
            for (int c = 0; c < calls; c++) {
                for (Mode mode : modes) {
                    long start = System.nanoTime();
                    mode.call(ffm, audio, samples.length);
                    mode.wallNanos += System.nanoTime() - start;
                }
            }
            for (Mode mode : modes) {
                System.out.println("TIMINGS " + mode.name + " " + report(ffm, mode, calls));
            }
            System.out.println("DONE");
        } finally {
            for (Mode mode : modes) {
                ffm.call("whisper_free", mode.context);
            }
        }
    }

    /** A context (with its own state and timers) and the parameters of one mode. */
    private static final class Mode {
        final String name;
        final WhisperFullParams params;
        final Object context;
        final Ffm.Struct nativeParams;
        long tokens;
        long wallNanos;

        Mode(String name, WhisperFullParams params, Object context, Ffm.Struct nativeParams) {
            this.name = name;
            this.params = params;
            this.context = context;
            this.nativeParams = nativeParams;
        }

        void call(Ffm ffm, Object audio, int samples) throws Throwable {
            int status = (int) ffm.call("whisper_full", context, nativeParams, audio, samples);
            if (status != 0) {
                throw new IllegalStateException("whisper_full failed: " + status);
            }
            int segments = (int) ffm.call("whisper_full_n_segments", context);
            for (int s = 0; s < segments; s++) {
                tokens += (int) ffm.call("whisper_full_n_tokens", context, s);
            }
        }
    }

    private static String report(Ffm ffm, Mode mode, int calls) throws Throwable {
        String timings;
        synchronized (LOG) {
            LOG.setLength(0);
            ffm.call("whisper_print_timings", mode.context);
            timings = LOG.toString();
        }
        return String.format(Locale.ROOT, "calls=%d wall=%.1f mel=%.1f encode=%.1f decode=%.1f decode-steps=%.1f"
                + " batchd=%.1f prompt=%.1f sample=%.1f result-tokens=%.1f fallbacks-p=%d fallbacks-h=%d audio-ctx=%d",
                calls, mode.wallNanos / 1e6 / calls, time(timings, "mel") / calls, time(timings, "encode") / calls,
                time(timings, "decode") / calls, runs(timings, "decode") / (double) calls,
                time(timings, "batchd") / calls, time(timings, "prompt") / calls, time(timings, "sample") / calls,
                mode.tokens / (double) calls, fallbacks(timings, 1), fallbacks(timings, 2), mode.params.audioCtx);
    }

    /** whisper.cpp's log callback: {@code (ggml_log_level level, const char * text, void * user)}. */
    static void log(int level, Object text, Object user) {
        try {
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            Object whole = segment.getMethod("reinterpret", long.class).invoke(text, Long.MAX_VALUE);
            String line = (String) segment.getMethod("getString", long.class).invoke(whole, 0L);
            synchronized (LOG) {
                LOG.append(line);
            }
        } catch (ReflectiveOperationException e) {
            // An exception must not leave an upcall (the JVM would end): the timings then say what is missing.
            System.err.println("cannot read a whisper.cpp log line: " + e);
        }
    }

    /** Total milliseconds of {@code what} in whisper_print_timings' output. */
    private static double time(String timings, String what) {
        Matcher m = Pattern.compile(what + " time = +([0-9.]+) ms").matcher(timings);
        if (!m.find()) {
            throw new IllegalStateException("no " + what + " time in whisper's timings:\n" + timings);
        }
        return Double.parseDouble(m.group(1));
    }

    private static int runs(String timings, String what) {
        Matcher m = Pattern.compile(what + " time = +[0-9.]+ ms / +(\\d+) runs").matcher(timings);
        if (!m.find()) {
            throw new IllegalStateException("no " + what + " runs in whisper's timings:\n" + timings);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Temperature fallbacks: group 1 for the log-probability threshold, 2 for the entropy threshold. */
    private static int fallbacks(String timings, int group) {
        Matcher m = Pattern.compile("fallbacks = +(\\d+) p / +(\\d+) h").matcher(timings);
        if (!m.find()) {
            throw new IllegalStateException("no fallbacks in whisper's timings:\n" + timings);
        }
        return Integer.parseInt(m.group(group));
    }

    /** The few foreign-function calls this needs, through reflection (see the class comment). */
    private static final class Ffm {

        private final Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
        private final Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
        private final Class<?> valueLayouts = Class.forName("java.lang.foreign.ValueLayout");
        private final Class<?> allocatorClass = Class.forName("java.lang.foreign.SegmentAllocator");
        private final Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
        private final Object arena;
        private final Object linker;
        private final Object lookup;
        private final Object address = layout("ADDRESS");
        private final Object int32 = layout("JAVA_INT");
        private final Object paramsLayout;

        Ffm(Path library) throws ReflectiveOperationException {
            Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
            arena = arenaClass.getMethod("global").invoke(null);
            linker = Class.forName("java.lang.foreign.Linker").getMethod("nativeLinker").invoke(null);
            lookup = lookupClass.getMethod("libraryLookup", Path.class, arenaClass)
                    .invoke(null, library, arena);
            // Passed by value: larger than 16 bytes, so the x86-64 ABI copies it to memory whatever its fields are.
            Object longs = layoutClass.getMethod("sequenceLayout", long.class, layoutClass)
                    .invoke(null, PARAMS_SIZE / 8, layout("JAVA_LONG"));
            Object members = Array.newInstance(layoutClass, 1);
            Array.set(members, 0, longs);
            paramsLayout = layoutClass.getMethod("structLayout", members.getClass()).invoke(null, members);
        }

        private Object layout(String name) throws ReflectiveOperationException {
            return valueLayouts.getField(name).get(null);
        }

        /** Calls {@code function}: pointers are MemorySegments, the parameters a struct, ints ints. */
        Object call(String function, Object... args) throws Throwable {
            Object returns = switch (function) {
                case "whisper_init_from_file", "whisper_full_default_params_by_ref" -> address;
                case "whisper_full", "whisper_full_n_segments", "whisper_full_n_tokens" -> int32;
                default -> null;
            };
            Object argLayouts = Array.newInstance(layoutClass, args.length);
            for (int i = 0; i < args.length; i++) {
                Array.set(argLayouts, i, args[i] instanceof Integer ? int32
                        : args[i] instanceof Struct ? paramsLayout : address);
            }
            Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
            Object function0 = returns == null
                    ? descriptor.getMethod("ofVoid", argLayouts.getClass()).invoke(null, argLayouts)
                    : descriptor.getMethod("of", layoutClass, argLayouts.getClass()).invoke(null, returns, argLayouts);
            Object symbol = ((Optional<?>) lookupClass.getMethod("find", String.class).invoke(lookup, function))
                    .orElseThrow(() -> new IllegalStateException("no " + function + " in libwhisper"));
            Object options = Array.newInstance(Class.forName("java.lang.foreign.Linker$Option"), 0);
            Method downcall = Class.forName("java.lang.foreign.Linker").getMethod("downcallHandle", segmentClass,
                    descriptor, options.getClass());
            MethodHandle handle = (MethodHandle) downcall.invoke(linker, symbol, function0, options);
            Object[] actual = args.clone();
            for (int i = 0; i < actual.length; i++) {
                if (actual[i] instanceof Struct struct) {
                    actual[i] = struct.segment();
                }
            }
            return handle.invokeWithArguments(actual);
        }

        /** whisper_full_params in native memory, passed by value. */
        record Struct(Object segment) {
        }

        Object nullPointer() throws ReflectiveOperationException {
            return segmentClass.getField("NULL").get(null);
        }

        /** A function pointer to {@code owner.name(int, Object, Object)}, called with two pointers. */
        Object upcall(Class<?> owner, String name) throws ReflectiveOperationException {
            MethodHandle target = java.lang.invoke.MethodHandles.lookup().findStatic(owner, name,
                    java.lang.invoke.MethodType.methodType(void.class, int.class, Object.class, Object.class))
                    .asType(java.lang.invoke.MethodType.methodType(void.class, int.class, segmentClass, segmentClass));
            Object argLayouts = Array.newInstance(layoutClass, 3);
            Array.set(argLayouts, 0, int32);
            Array.set(argLayouts, 1, address);
            Array.set(argLayouts, 2, address);
            Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
            Object signature = descriptor.getMethod("ofVoid", argLayouts.getClass()).invoke(null, argLayouts);
            Object options = Array.newInstance(Class.forName("java.lang.foreign.Linker$Option"), 0);
            return Class.forName("java.lang.foreign.Linker").getMethod("upcallStub", MethodHandle.class, descriptor,
                    Class.forName("java.lang.foreign.Arena"), options.getClass())
                    .invoke(linker, target, signature, arena, options);
        }

        Object string(String text) throws ReflectiveOperationException {
            return allocatorClass.getMethod("allocateFrom", String.class).invoke(arena, text);
        }

        Object floats(float[] values) throws ReflectiveOperationException {
            Object floatLayout = layout("JAVA_FLOAT");
            Class<?> ofFloat = Class.forName("java.lang.foreign.ValueLayout$OfFloat");
            return allocatorClass.getMethod("allocateFrom", ofFloat,
                    float[].class).invoke(arena, floatLayout, values);
        }

        /**
         * whisper.cpp's greedy defaults ({@code whisper_full_default_params_by_ref}) overwritten with every field
         * whisper-jni sets from {@code params}, and {@code maxTokens} (tokens per segment, 0 for no limit: the
         * one field whisper-jni 1.7.1 does not pass, set here to measure what a shorter decode costs).
         */
        Struct params(WhisperFullParams p, int maxTokens) throws Throwable {
            Object defaults = call("whisper_full_default_params_by_ref", GREEDY);
            Object struct = allocatorClass.getMethod("allocate", long.class, long.class).invoke(arena,
                    (long) PARAMS_SIZE, 8L);
            Object source = segmentClass.getMethod("reinterpret", long.class).invoke(defaults, (long) PARAMS_SIZE);
            segmentClass.getMethod("copyFrom", segmentClass).invoke(struct, source);
            putInt(struct, 0, GREEDY);
            putInt(struct, 4, p.nThreads);
            putInt(struct, 8, p.nMaxTextCtx);
            putInt(struct, 12, p.offsetMs);
            putInt(struct, 16, p.durationMs);
            putBool(struct, 20, p.translate);
            putBool(struct, 21, p.noContext);
            putBool(struct, 22, p.noTimestamps);
            putBool(struct, 23, p.singleSegment);
            putBool(struct, 24, p.printSpecial);
            putBool(struct, 25, p.printProgress);
            putBool(struct, 26, p.printRealtime);
            putBool(struct, 27, p.printTimestamps);
            putInt(struct, 48, maxTokens);
            putInt(struct, 56, p.audioCtx);
            putAddress(struct, 72, p.initialPrompt == null ? null : string(p.initialPrompt));
            putAddress(struct, 96, string(p.language));
            putBool(struct, 104, p.detectLanguage);
            putBool(struct, 105, p.suppressBlank);
            putBool(struct, 106, p.suppressNonSpeechTokens);
            putFloat(struct, 108, p.temperature);
            putFloat(struct, 112, p.maxInitialTs);
            putFloat(struct, 116, p.lengthPenalty);
            putFloat(struct, 120, p.temperatureInc);
            putFloat(struct, 124, p.entropyThold);
            putFloat(struct, 128, p.logprobThold);
            putFloat(struct, 132, p.noSpeechThold);
            putInt(struct, 136, p.greedyBestOf);
            putInt(struct, 140, p.beamSearchBeamSize);
            putFloat(struct, 144, p.beamSearchPatience);
            return new Struct(struct);
        }

        private void putInt(Object segment, long offset, int value) throws ReflectiveOperationException {
            segmentClass.getMethod("set", Class.forName("java.lang.foreign.ValueLayout$OfInt"), long.class, int.class)
                    .invoke(segment, int32, offset, value);
        }

        private void putFloat(Object segment, long offset, float value) throws ReflectiveOperationException {
            segmentClass.getMethod("set", Class.forName("java.lang.foreign.ValueLayout$OfFloat"), long.class,
                    float.class).invoke(segment, layout("JAVA_FLOAT"), offset, value);
        }

        private void putBool(Object segment, long offset, boolean value) throws ReflectiveOperationException {
            segmentClass.getMethod("set", Class.forName("java.lang.foreign.ValueLayout$OfBoolean"), long.class,
                    boolean.class).invoke(segment, layout("JAVA_BOOLEAN"), offset, value);
        }

        private void putAddress(Object segment, long offset, Object value) throws ReflectiveOperationException {
            Object target = value != null ? value : segmentClass.getField("NULL").get(null);
            segmentClass.getMethod("set", Class.forName("java.lang.foreign.AddressLayout"), long.class, segmentClass)
                    .invoke(segment, address, offset, target);
        }
    }
}

package dev.speechfleet.fleet;

import java.nio.file.Path;
import java.util.Map;

/**
 * The command line and environment of the one-process fleet.
 *
 * @param wav          a WAV file to stream through the device protocol, or {@code null}
 * @param say          text to speak (espeak-ng) and stream, or {@code null}
 * @param serve        stream nothing and run until stopped (else the bundled sample is streamed when
 *                     neither {@code wav} nor {@code say} is given)
 * @param model        Whisper model: a name (tiny.en, base.en, …) or a path to a ggml file
 * @param modelBaseUrl where named models are downloaded from ({@code WHISPER_MODEL_BASE_URL}, as for the
 *                     Whisper service)
 * @param speed        streaming pace, 1 = real time, 0 = as fast as the router allows
 * @param deepgramKey  {@code DEEPGRAM_API_KEY}, or {@code null}
 * @param assemblyKey  {@code ASSEMBLYAI_API_KEY}, or {@code null}
 * @param parakeetUrl  {@code PARAKEET_BASE_URL}, or {@code null}
 * @param withoutWhisper leave local Whisper out
 */
record FleetOptions(Path wav, String say, boolean serve, String model, String modelBaseUrl, double speed,
        String deepgramKey, String assemblyKey, String parakeetUrl, boolean withoutWhisper) {

    static final String DEFAULT_MODEL = "tiny.en";
    static final String DEFAULT_MODEL_BASE_URL = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";

    static final String USAGE = """
            usage: fleet [--wav FILE | --say "TEXT|MORE TEXT" | --serve] [--model NAME|PATH] [--speed X]
                         [--no-whisper]
              Runs router, aggregator, local Whisper and every cloud consumer whose key or URL is set,
              in one process, streams audio through it as a device would, prints the transcripts and
              exits. The audio is a bundled sample recording of four sentences, or:
              --wav FILE   a WAV file (16-bit mono PCM)
              --say TEXT   your own sentences, spoken by espeak-ng (needs espeak-ng and sox); | separates them
              --serve      no audio: run until stopped and let devices connect
              --model      Whisper model name (tiny.en, base.en, small, …; downloaded once) or ggml file
                           (default: $WHISPER_MODEL, else tiny.en)
              --speed      1 = real time (default), 2 = twice as fast
              --no-whisper serve only the cloud providers
            environment: REDIS_URL (else an embedded Redis), WHISPER_MODEL, WHISPER_MODEL_BASE_URL (where
                         named models come from), DEEPGRAM_API_KEY, ASSEMBLYAI_API_KEY, PARAKEET_BASE_URL,
                         FLEET_PORT (default 8080)
            """;

    static FleetOptions parse(String[] args, Map<String, String> env) {
        Path wav = null;
        String say = null;
        boolean serve = false;
        String model = blankToNull(env.get("WHISPER_MODEL"));
        double speed = 1;
        boolean withoutWhisper = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--wav" -> wav = Path.of(value(args, ++i, "--wav"));
                case "--say" -> say = value(args, ++i, "--say");
                case "--serve" -> serve = true;
                case "--model" -> model = value(args, ++i, "--model");
                case "--speed" -> speed = Double.parseDouble(value(args, ++i, "--speed"));
                case "--no-whisper" -> withoutWhisper = true;
                case "--help", "-h" -> throw new IllegalArgumentException("");
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if ((wav != null ? 1 : 0) + (say != null ? 1 : 0) + (serve ? 1 : 0) > 1) {
            throw new IllegalArgumentException("give one of --wav, --say and --serve");
        }
        String baseUrl = blankToNull(env.get("WHISPER_MODEL_BASE_URL"));
        return new FleetOptions(wav, say, serve, model == null ? DEFAULT_MODEL : model,
                baseUrl == null ? DEFAULT_MODEL_BASE_URL : baseUrl, speed,
                blankToNull(env.get("DEEPGRAM_API_KEY")), blankToNull(env.get("ASSEMBLYAI_API_KEY")),
                blankToNull(env.get("PARAKEET_BASE_URL")), withoutWhisper);
    }

    boolean streamsAudio() {
        return !serve;
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException("missing value for " + name);
        }
        return args[i];
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

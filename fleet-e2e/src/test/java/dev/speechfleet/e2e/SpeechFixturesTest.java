package dev.speechfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.client.PcmAudio;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The recorded speech is what {@code scripts/make-speech.sh} makes, and no test makes speech itself:
 * every set the script names is committed with a WAV per row of its sentences.tsv, each matching
 * the sha256 the script wrote into SHA256SUMS beside it; they are 16 kHz mono 16-bit PCM and under
 * 1 MiB in all; and no test source runs espeak-ng or sox, so {@code ./mvnw -B verify} needs neither.
 */
class SpeechFixturesTest {

    private static final Path ROOT = Path.of(System.getProperty("fleet.root", "..")).toAbsolutePath().normalize();
    private static final Path SCRIPT = ROOT.resolve("scripts/make-speech.sh");
    private static final long ONE_MIB = 1 << 20;
    /** A speech tool's name as a whole string literal: how a test would run it through a process. */
    private static final Pattern TOOL_LITERAL = Pattern.compile("\"(espeak-ng|espeak|sox|soxi)\"");
    private static final Pattern SPEAKS_TEXT = Pattern.compile("SpeechSynth\\s*\\.\\s*say\\s*\\(");

    /** A row of a sentences.tsv: file, espeak-ng voice, words per minute, edges, sentence. */
    private record Row(String file, String voice, String wordsPerMinute, String edges, String sentence) {
    }

    @Test
    void everySetTheScriptMakesIsCommittedWithTheChecksumsItWrote() throws IOException {
        List<Path> sets = setsOfTheScript();

        assertThat(sets).as("sets in %s", SCRIPT).hasSize(3);
        for (Path set : sets) {
            List<String> rows = rows(set).stream().map(Row::file).toList();
            Map<String, String> sums = sha256Sums(set);
            assertThat(sums.keySet()).as("files in %s/SHA256SUMS", set).containsExactlyInAnyOrderElementsOf(rows);
            assertThat(wavFiles(set)).as("WAV files in %s", set).containsExactlyInAnyOrderElementsOf(rows);
            for (String file : rows) {
                assertThat(sha256(set.resolve(file))).as("sha256 of %s/%s", set, file).isEqualTo(sums.get(file));
            }
        }
    }

    @Test
    void everyRowSaysHowItWasSpoken() throws IOException {
        for (Path set : setsOfTheScript()) {
            assertThat(rows(set)).as("rows of %s/sentences.tsv", set).isNotEmpty().allSatisfy(row -> {
                assertThat(row.file()).matches("[a-z0-9-]+\\.wav");
                assertThat(row.voice()).matches("[a-z-]+");
                assertThat(row.wordsPerMinute()).matches("[0-9]{2,3}");
                assertThat(row.edges()).isIn("trimmed", "as-spoken");
                assertThat(row.sentence()).isNotBlank();
            });
        }
    }

    @Test
    void everyRecordingIs16KHzMono16BitSpeech() throws IOException {
        for (Path set : setsOfTheScript()) {
            for (Row row : rows(set)) {
                PcmAudio audio = PcmAudio.readWav(set.resolve(row.file()));
                assertThat(audio.sampleRate()).as(row.file()).isEqualTo(16_000);
                assertThat(audio.durationMs()).as("ms of %s", row.file()).isBetween(300L, 5_000L);
            }
        }
    }

    @Test
    void allAudioInTheRepositoryIsRecordedSpeechUnder1MiBInAll() throws IOException {
        List<Path> listed = new ArrayList<>();
        for (Path set : setsOfTheScript()) {
            rows(set).forEach(row -> listed.add(set.resolve(row.file())));
        }

        List<Path> audio = sources().filter(p -> p.toString().endsWith(".wav")).toList();

        assertThat(audio).as("WAV files in the repository").containsExactlyInAnyOrderElementsOf(listed);
        long bytes = 0;
        for (Path file : audio) {
            bytes += Files.size(file);
        }
        System.out.printf("[speech] %d recordings, %d bytes%n", audio.size(), bytes);
        assertThat(bytes).isLessThan(ONE_MIB);
    }

    @Test
    void noTestSourceRunsEspeakNgOrSox() throws IOException {
        List<String> offenders = new ArrayList<>();
        List<Path> testSources = sources().filter(p -> ROOT.relativize(p).toString().contains("/src/test/"))
                .filter(p -> !p.toString().endsWith(".wav")).toList();
        for (Path source : testSources) {
            String text = Files.readString(source, StandardCharsets.ISO_8859_1);
            for (Pattern pattern : List.of(TOOL_LITERAL, SPEAKS_TEXT)) {
                Matcher matcher = pattern.matcher(text);
                if (matcher.find()) {
                    offenders.add(ROOT.relativize(source) + ": " + matcher.group());
                }
            }
        }

        assertThat(testSources).as("test sources scanned").hasSizeGreaterThan(50);
        assertThat(offenders).as("test sources that run a speech tool").isEmpty();
    }

    /** The directories in the script's SETS=( … ) list. */
    private static List<Path> setsOfTheScript() throws IOException {
        Matcher sets = Pattern.compile("(?s)\\nSETS=\\((.*?)\\n\\)").matcher(Files.readString(SCRIPT));
        assertThat(sets.find()).as("SETS=( … ) in %s", SCRIPT).isTrue();
        return sets.group(1).lines().map(String::strip).filter(line -> !line.isEmpty()).map(ROOT::resolve).toList();
    }

    private static List<Row> rows(Path set) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(set.resolve("sentences.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            assertThat(columns).as("columns of '%s' in %s/sentences.tsv", line, set).hasSize(5);
            rows.add(new Row(columns[0], columns[1], columns[2], columns[3], columns[4]));
        }
        return rows;
    }

    /** SHA256SUMS as sha256sum writes it: {@code <hex>  <file>} per line. */
    private static Map<String, String> sha256Sums(Path set) throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : Files.readAllLines(set.resolve("SHA256SUMS"))) {
            Matcher m = Pattern.compile("([0-9a-f]{64}) [ *](.+)").matcher(line);
            assertThat(m.matches()).as("line '%s' of %s/SHA256SUMS", line, set).isTrue();
            sums.put(m.group(2), m.group(1));
        }
        return sums;
    }

    private static List<String> wavFiles(Path set) throws IOException {
        try (Stream<Path> files = Files.list(set)) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".wav")).toList();
        }
    }

    /** Every file of the repository's modules and scripts, without build output. */
    private static Stream<Path> sources() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROOT)) {
            files = walk.filter(Files::isRegularFile).filter(p -> {
                String relative = ROOT.relativize(p).toString();
                return !relative.startsWith(".git/") && !relative.contains("/target/") && !relative.startsWith("target/")
                        && !relative.startsWith(".mvn/") && !relative.contains("/node_modules/");
            }).toList();
        }
        return files.stream();
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

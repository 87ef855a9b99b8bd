package dev.speechfleet.assemblyai;

import static dev.speechfleet.core.stream.AssemblyAiTranscriptFields.SUBMITTING;
import static dev.speechfleet.core.stream.AssemblyAiTranscriptFields.TRANSCRIPT_ID;
import static dev.speechfleet.core.stream.AssemblyAiTranscriptFields.UPLOAD_URL;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * What AssemblyAI already holds for a chunk, kept in Redis so that every retry, redelivery and other
 * consumer sees it: the upload URL, whether a transcript was being created, and its id. This is what
 * keeps a retry from creating a second transcript for the same chunk. Entries expire after
 * {@code assemblyai.transcript-memory}.
 */
@ApplicationScoped
class TranscriptLedger {

    /** One key, so atomic on Redis Cluster too: no record is ever left without its TTL by a crash. */
    private static final String WRITE_WITH_TTL = """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            return redis.call('PEXPIRE', KEYS[1], ARGV[3])""";

    /**
     * What is known about one chunk; every field may be absent.
     *
     * @param submittingSinceMillis when a submit was started (epoch ms), 0 when none was or it is not known
     */
    record Entry(Optional<String> uploadUrl, boolean submitting, long submittingSinceMillis,
            Optional<String> transcriptId) {
    }

    private final RedisStreams redis;
    private final Duration memory;

    TranscriptLedger(RedisStreams redis, AssemblyAiConfig config) {
        this.redis = redis;
        this.memory = config.transcriptMemory();
    }

    Entry find(String chunkId) {
        Response values = redis.send(Request.cmd(Command.HMGET).arg(StreamKeys.assemblyAiTranscript(chunkId))
                .arg(UPLOAD_URL).arg(SUBMITTING).arg(TRANSCRIPT_ID));
        Optional<String> submitting = text(values.get(1));
        return new Entry(text(values.get(0)), submitting.isPresent(), submitting.map(TranscriptLedger::millis)
                .orElse(0L), text(values.get(2)));
    }

    void uploaded(String chunkId, String uploadUrl) {
        write(chunkId, UPLOAD_URL, uploadUrl);
    }

    /**
     * Written before {@code POST /v2/transcript}, with the time: if no id follows, the next attempt must
     * look for the transcript before posting, back to about that time.
     */
    void submitting(String chunkId, long nowMillis) {
        write(chunkId, SUBMITTING, Long.toString(nowMillis));
    }

    void submitted(String chunkId, String transcriptId) {
        write(chunkId, TRANSCRIPT_ID, transcriptId);
    }

    /** Forgets a transcript AssemblyAI no longer has (404), keeping the upload. */
    void forgetTranscript(String chunkId) {
        redis.send(Request.cmd(Command.HDEL).arg(StreamKeys.assemblyAiTranscript(chunkId)).arg(TRANSCRIPT_ID)
                .arg(SUBMITTING));
    }

    /** Forgets the chunk entirely: its transcript and upload were deleted at AssemblyAI. */
    void forget(String chunkId) {
        redis.send(Request.cmd(Command.DEL).arg(StreamKeys.assemblyAiTranscript(chunkId)));
    }

    /** Epoch ms of a {@code submitting} mark; 0 for a mark without a time (written by older consumers). */
    private static long millis(String mark) {
        try {
            return Long.parseLong(mark);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void write(String chunkId, String field, String value) {
        redis.send(Request.cmd(Command.EVAL).arg(WRITE_WITH_TTL).arg(1).arg(StreamKeys.assemblyAiTranscript(chunkId))
                .arg(field).arg(value).arg(memory.toMillis()));
    }

    private static Optional<String> text(Response value) {
        return value == null ? Optional.empty() : Optional.of(value.toString()).filter(s -> !s.isEmpty());
    }
}

package dev.speechfleet.core.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.RedisPerClass;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AudioBlobStoreTest {

    private static final byte[] PCM = "pcm bytes".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    private AudioBlobStore blobs;

    @BeforeEach
    void setUp() {
        blobs = new AudioBlobStore(redis.streams());
    }

    @Test
    void aHolderThatReleasesTwiceReleasesOnce() {
        String ref = blobs.store("s1:0", PCM, 2, Duration.ofHours(1));

        assertThat(blobs.release(ref, "whisper")).isEqualTo(1);
        assertThat(blobs.release(ref, "whisper")).isEqualTo(1);

        assertThat(blobs.load(ref)).isEqualTo(PCM);
        assertThat(blobs.release(ref, "deepgram")).isZero();
        assertThat(blobs.load(ref)).isNull();
        assertThat(exists(StreamKeys.audioBlobRefs(ref))).isFalse();
        assertThat(exists(StreamKeys.audioBlobReleased(ref))).isFalse();
    }

    @Test
    void releasingAGoneBlobLeavesNoKeyBehind() {
        assertThat(blobs.release("s2:0", "whisper")).isZero();

        assertThat(exists(StreamKeys.audioBlobReleased("s2:0"))).isFalse();
        assertThat(exists(StreamKeys.audioBlobRefs("s2:0"))).isFalse();
    }

    @Test
    void releaseMarksExpireWithTheBlob() {
        String ref = blobs.store("s3:0", PCM, 3, Duration.ofMinutes(10));

        blobs.release(ref, "whisper");

        long ttl = redis.streams().send(Request.cmd(Command.PTTL).arg(StreamKeys.audioBlobReleased(ref))).toLong();
        assertThat(ttl).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
    }

    private boolean exists(String key) {
        return redis.streams().send(Request.cmd(Command.EXISTS).arg(key)).toLong() == 1;
    }
}

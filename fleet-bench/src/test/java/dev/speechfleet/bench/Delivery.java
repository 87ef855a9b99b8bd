package dev.speechfleet.bench;

import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.ServerMessage;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * What reached the devices against what the router issued: an utterance is lost when its session
 * issued its seq ({@code next_seq} of {@code session:{id}}, counting every seq the router took) and
 * the device never received a result for it.
 *
 * @param issued      seqs the router issued in all
 * @param transcripts transcripts received
 * @param errors      error results received for a failed transcription (answered, not transcribed)
 * @param lost        issued seqs without a result at their device, or answered {@code result_missing}
 *                    (the router gave up waiting for them)
 * @param duplicates  results a device received twice (it ignores them)
 * @param problems    devices out of order, with gaps, or closed other than normally, as text
 */
record Delivery(long issued, long transcripts, long errors, long lost, long duplicates, List<String> problems) {

    static Delivery of(List<DeviceReport> reports, RedisStreams redis) {
        long issued = 0;
        long transcripts = 0;
        long errors = 0;
        long lost = 0;
        long duplicates = 0;
        List<String> problems = new ArrayList<>();
        for (DeviceReport report : reports) {
            long sessionIssued = issued(redis, report.sessionId());
            long received = report.results().stream().mapToLong(DeviceReport.Result::seq).distinct().count();
            long missing = report.results().stream().filter(r -> r.message() instanceof ServerMessage.Error e
                    && "result_missing".equals(e.code())).count();
            issued += sessionIssued;
            transcripts += report.transcripts();
            errors += report.results().size() - report.transcripts() - missing;
            lost += Math.max(0, sessionIssued - received) + missing;
            duplicates += report.duplicates();
            if (!report.inOrder() || !report.gaps().isEmpty() || report.closeCode() != 1000) {
                problems.add(report.deviceId() + ": in order " + report.inOrder() + ", gaps " + report.gaps()
                        + ", close " + report.closeCode());
            }
        }
        return new Delivery(issued, transcripts, errors, lost, duplicates, List.copyOf(problems));
    }

    private static long issued(RedisStreams redis, String sessionId) {
        Response next = redis.send(Request.cmd(Command.HGET).arg(StreamKeys.session(sessionId)).arg("next_seq"));
        return next == null ? 0 : next.toLong();
    }

    @Override
    public String toString() {
        return issued + " issued, " + transcripts + " transcripts, " + errors + " error results, " + lost + " lost, "
                + duplicates + " duplicates ignored" + (problems.isEmpty() ? "" : ", problems: " + problems);
    }
}

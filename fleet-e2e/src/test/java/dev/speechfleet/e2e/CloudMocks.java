package dev.speechfleet.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deepgram, AssemblyAI and Parakeet on one loopback HTTP server, answering the documented request
 * shapes with the documented bodies (provider-contracts.md). Deepgram can be switched into an
 * outage (HTTP 503) mid-run. The modules' own tests check the requests field by field; here the
 * mocks check auth scheme and content type and count what they served.
 */
final class CloudMocks implements AutoCloseable {

    static final String KEY = "e2e-key";

    private final HttpServer server;
    private final AtomicBoolean parakeetRejects = new AtomicBoolean();
    /** The Deepgram call (counted from 1) from which on every call answers 503. */
    private final AtomicInteger deepgramOutageFromCall = new AtomicInteger(Integer.MAX_VALUE);
    /** The one Deepgram call (counted from 1) that answers 400, as for audio Deepgram cannot decode. */
    private final AtomicInteger deepgramRejectsCall = new AtomicInteger(-1);
    private final AtomicInteger transcripts = new AtomicInteger();
    final AtomicInteger deepgramCalls = new AtomicInteger();
    final AtomicInteger deepgramRefused = new AtomicInteger();
    final AtomicInteger assemblyAiSubmits = new AtomicInteger();
    final AtomicInteger parakeetCalls = new AtomicInteger();

    CloudMocks() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/v1/listen", this::deepgram);
        server.createContext("/v2/upload", this::assemblyAiUpload);
        server.createContext("/v2/transcript", this::assemblyAiTranscript);
        server.createContext("/v1/audio/transcriptions", this::parakeet);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Deepgram answers its first {@code calls} calls and every later one with 503, as in an outage
     * that begins mid-run: counted in calls, not in time, so that later calls meet the outage however
     * slowly the fleet runs.
     */
    void failDeepgramAfter(int calls) {
        deepgramOutageFromCall.set(calls + 1);
    }

    /** Deepgram's {@code call}-th call (counted from 1) answers 400, a permanent failure of that one request. */
    void rejectDeepgramCall(int call) {
        deepgramRejectsCall.set(call);
    }

    /** From the next call on, every Deepgram call answers 503 (an outage that begins now). */
    void failDeepgram() {
        deepgramOutageFromCall.set(deepgramCalls.get() + 1);
    }

    /** Deepgram answers again (the outage is over). */
    void restoreDeepgram() {
        deepgramOutageFromCall.set(Integer.MAX_VALUE);
    }

    /** From now on every Parakeet call answers 400, as an endpoint that rejects the audio does. */
    void rejectParakeet() {
        parakeetRejects.set(true);
    }

    /** Parakeet accepts audio again. */
    void acceptParakeet() {
        parakeetRejects.set(false);
    }

    private void deepgram(HttpExchange exchange) throws IOException {
        int call = deepgramCalls.incrementAndGet();
        if (!("Token " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))
                || !"audio/wav".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
            answer(exchange, 401, "{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\"}");
            return;
        }
        exchange.getRequestBody().readAllBytes();
        if (call == deepgramRejectsCall.get()) {
            answer(exchange, 400, "{\"err_code\":\"Bad Request\",\"err_msg\":\"Bad Request: failed to process"
                    + " audio: corrupt or unsupported data\",\"request_id\":\"e2e\"}");
            return;
        }
        if (call >= deepgramOutageFromCall.get()) {
            deepgramRefused.incrementAndGet();
            answer(exchange, 503, "{\"err_code\":\"SERVICE_UNAVAILABLE\",\"err_msg\":\"Service unavailable\"}");
            return;
        }
        answer(exchange, 200, """
                {"metadata":{"request_id":"e2e","sha256":"00","created":"2026-11-21T00:00:00Z","duration":1.0,
                 "channels":1,"models":["m"],"model_info":{"m":{"name":"general-nova-3","version":"x","arch":"nova-3"}}},
                 "results":{"channels":[{"alternatives":[{"transcript":"deepgram heard you","confidence":0.97,
                 "words":[{"word":"deepgram","start":0.1,"end":0.4,"confidence":0.98,"punctuated_word":"deepgram"},
                          {"word":"heard","start":0.4,"end":0.7,"confidence":0.97,"punctuated_word":"heard"},
                          {"word":"you","start":0.7,"end":0.9,"confidence":0.96,"punctuated_word":"you"}]}]}]}}""");
    }

    private void assemblyAiUpload(HttpExchange exchange) throws IOException {
        if (!rawKey(exchange)) {
            return;
        }
        exchange.getRequestBody().readAllBytes();
        answer(exchange, 200, "{\"upload_url\":\"" + baseUrl() + "/cdn/" + transcripts.incrementAndGet() + "\"}");
    }

    private void assemblyAiTranscript(HttpExchange exchange) throws IOException {
        if (!rawKey(exchange)) {
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestMethod().equals("POST")) {
            exchange.getRequestBody().readAllBytes();
            assemblyAiSubmits.incrementAndGet();
            answer(exchange, 200, "{\"id\":\"t" + transcripts.incrementAndGet() + "\",\"status\":\"queued\"}");
        } else if (path.equals("/v2/transcript")) {
            answer(exchange, 200, "{\"transcripts\":[]}");
        } else {
            String id = path.substring(path.lastIndexOf('/') + 1);
            answer(exchange, 200, "{\"id\":\"" + id + "\",\"status\":\"completed\",\"text\":\"assembly heard you\","
                    + "\"confidence\":0.91,\"speech_model_used\":\"universal-2\",\"words\":["
                    + "{\"text\":\"assembly\",\"start\":100,\"end\":400,\"confidence\":0.9},"
                    + "{\"text\":\"heard\",\"start\":400,\"end\":700,\"confidence\":0.92},"
                    + "{\"text\":\"you\",\"start\":700,\"end\":900,\"confidence\":0.91}]}");
        }
    }

    private void parakeet(HttpExchange exchange) throws IOException {
        parakeetCalls.incrementAndGet();
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        exchange.getRequestBody().readAllBytes();
        if (type == null || !type.startsWith("multipart/form-data")) {
            answer(exchange, 400, "{\"error\":\"No file part in the request\"}");
            return;
        }
        if (parakeetRejects.get()) {
            answer(exchange, 400, "{\"error\":\"Invalid audio: could not decode the uploaded file\"}");
            return;
        }
        answer(exchange, 200, "{\"text\":\"parakeet heard you\"}");
    }

    private boolean rawKey(HttpExchange exchange) throws IOException {
        if (KEY.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        exchange.getRequestBody().readAllBytes();
        answer(exchange, 401, "{\"error\":\"Authentication error, API token missing/invalid\"}");
        return false;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

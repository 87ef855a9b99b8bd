package dev.speechfleet.bench.router;

import dev.speechfleet.router.config.RouterConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark harness's handle on this router, on the device port, behind the admin token:
 * {@code GET /bench/clock} (this process's {@code System.nanoTime()}, to check the clocks agree),
 * {@code GET /bench/sessions} (sessions open for audio), {@code POST /bench/inject} (runs an
 * injection, answers one line per utterance) and {@code GET /bench/memory} (heap after a full
 * collection). None of this exists in router-service.
 */
@ApplicationScoped
public class BenchRoutes {

    private static final int MAX_AUDIO_BYTES = 4 * 1024 * 1024;

    private final UtteranceInjector injector;
    private final byte[] token;

    BenchRoutes(UtteranceInjector injector, RouterConfig config) {
        this.injector = injector;
        this.token = config.admin().token().orElse("").getBytes(StandardCharsets.UTF_8);
    }

    void register(@Observes Router router) {
        router.route("/bench/*").handler(this::guard);
        router.get("/bench/clock").handler(ctx -> ctx.response().end(Long.toString(System.nanoTime())));
        router.get("/bench/sessions").handler(ctx -> ctx.response().end(
                Integer.toString(injector.openSessions().size())));
        router.post("/bench/inject").handler(BodyHandler.create().setBodyLimit(MAX_AUDIO_BYTES))
                .blockingHandler(this::inject, false);
        router.get("/bench/memory").blockingHandler(this::memory, false);
    }

    private void guard(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        byte[] presented = (header == null ? "" : header.replaceFirst("(?i)^Bearer ", "")).getBytes(
                StandardCharsets.UTF_8);
        if (token.length == 0 || !MessageDigest.isEqual(presented, token)) {
            ctx.response().setStatusCode(401).end("admin token missing or wrong");
            return;
        }
        ctx.next();
    }

    /** {@code ?count=N&rate=R}, body: the utterance's PCM. Answers {@code session seq due started dispatched error}. */
    private void inject(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        try {
            int count = Integer.parseInt(ctx.request().getParam("count"));
            double rate = Double.parseDouble(ctx.request().getParam("rate", "0"));
            List<UtteranceInjector.Injected> done = injector.run(new UtteranceInjector.Plan(count, rate,
                    body == null ? new byte[0] : body.getBytes()));
            StringBuilder out = new StringBuilder(done.size() * 80);
            for (UtteranceInjector.Injected i : done) {
                out.append(i.sessionId()).append(' ').append(i.seq()).append(' ').append(i.dueNanos()).append(' ')
                        .append(i.startedNanos()).append(' ').append(i.dispatchedNanos()).append(' ')
                        .append(i.error().replace('\n', ' ')).append('\n');
            }
            ctx.response().putHeader("Content-Type", "text/plain").end(out.toString());
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            ctx.response().setStatusCode(400).end(String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.response().setStatusCode(503).end("interrupted");
        }
    }

    /** Heap in use after full collections, direct buffers, and the sessions open, as JSON. */
    private void memory(RoutingContext ctx) {
        try {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        ctx.response().putHeader("Content-Type", "application/json").end(String.format(Locale.ROOT,
                "{\"heap_used\":%d,\"direct_used\":%d,\"sessions\":%d}", heap, direct,
                injector.openSessions().size()));
    }
}

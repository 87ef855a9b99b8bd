package dev.speechfleet.router.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speechfleet.core.redis.RedisUnavailableException;
import dev.speechfleet.router.config.RouterConfig;
import dev.speechfleet.router.device.AuthFailureLimiter;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The admin REST API as Vert.x Web routes, the same on the device port and on a separate admin port
 * ({@link AdminServer}). Every route starts with the {@link AdminGuard}; the actions run on a worker
 * thread (they read and write Redis).
 */
@ApplicationScoped
public class AdminRoutes {

    private static final Logger LOG = Logger.getLogger(AdminRoutes.class);
    /** Admin requests are small JSON objects. */
    private static final long MAX_BODY_BYTES = 16 * 1024;

    private interface Action {
        void run(RoutingContext ctx) throws JsonProcessingException;
    }

    private final DeviceAdmin admin;
    private final AdminGuard guard;
    private final ObjectMapper json;

    AdminRoutes(DeviceAdmin admin, RouterConfig config, ObjectMapper json, AuthFailureLimiter failures) {
        this.admin = admin;
        this.guard = new AdminGuard(config, failures);
        this.json = json;
    }

    /** Adds every admin route to {@code router}. */
    public void register(Router router) {
        route(router, HttpMethod.POST, "/admin/devices",
                ctx -> reply(ctx, 201, admin.create(body(ctx, AdminDtos.CreateDevice.class))));
        route(router, HttpMethod.GET, "/admin/devices", ctx -> reply(ctx, 200, admin.list()));
        route(router, HttpMethod.POST, "/admin/devices/:id/revoke", ctx -> {
            admin.revoke(ctx.pathParam("id"));
            ctx.response().setStatusCode(204).end();
        });
        route(router, HttpMethod.POST, "/admin/devices/:id/token", ctx -> reply(ctx, 200,
                admin.rotate(ctx.pathParam("id"))));
        route(router, HttpMethod.PUT, "/admin/devices/:id/policy", ctx -> reply(ctx, 200,
                admin.setPolicy(ctx.pathParam("id"), body(ctx, AdminDtos.SetPolicy.class))));
        route(router, HttpMethod.PUT, "/admin/devices/:id/providers", ctx -> reply(ctx, 200,
                admin.setProviders(ctx.pathParam("id"), body(ctx, AdminDtos.SetProviders.class))));
    }

    private void route(Router router, HttpMethod method, String path, Action action) {
        // Vert.x Web runs body handlers before any other; the bounded body is read, then the guard decides.
        router.route(method, path).handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES)).handler(guard)
                .blockingHandler(ctx -> run(ctx, action), false);
    }

    private void run(RoutingContext ctx, Action action) {
        try {
            action.run(ctx);
        } catch (AdminException e) {
            problem(ctx, e.status(), e.code(), e.getMessage());
        } catch (JsonProcessingException e) {
            problem(ctx, 400, "invalid_body", "the body is not the expected JSON object");
        } catch (RedisUnavailableException e) {
            LOG.warnf("admin request failed, Redis unavailable: %s", e.getMessage());
            problem(ctx, 503, "unavailable", "the router cannot reach Redis");
        } catch (RuntimeException e) {
            LOG.errorf(e, "admin request %s %s failed", ctx.request().method(), ctx.normalizedPath());
            problem(ctx, 500, "internal_error", "the admin request failed");
        }
    }

    /** The request body as {@code type}; {@code null} when there is none. */
    private <T> T body(RoutingContext ctx, Class<T> type) throws JsonProcessingException {
        String text = ctx.body().asString();
        return text == null || text.isBlank() ? null : json.readValue(text, type);
    }

    private void reply(RoutingContext ctx, int status, Object body) throws JsonProcessingException {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(json.writeValueAsString(body));
    }

    /** An error answer: {@code {"error": code, "message": …}}. */
    static void problem(RoutingContext ctx, int status, String code, String message) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new io.vertx.core.json.JsonObject().put("error", code).put("message", message).encode());
    }
}

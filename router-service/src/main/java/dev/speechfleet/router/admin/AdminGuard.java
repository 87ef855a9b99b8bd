package dev.speechfleet.router.admin;

import dev.speechfleet.router.config.RouterConfig;
import dev.speechfleet.router.device.AuthFailureLimiter;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The first handler of every admin route ({@link AdminRoutes}): {@code Authorization: Bearer
 * <router.admin.token>}, compared in constant time. Bound to the routes themselves, not to a path
 * prefix, so no spelling of a path that reaches an admin action passes by it. Wrong tokens count as
 * failed authentications of the remote address ({@link AuthFailureLimiter}, HTTP 429).
 */
final class AdminGuard implements Handler<RoutingContext> {

    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> expected;
    private final AuthFailureLimiter failures;

    AdminGuard(RouterConfig config, AuthFailureLimiter failures) {
        this.expected = config.admin().token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.failures = failures;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (expected.isEmpty()) {
            AdminRoutes.problem(ctx, 403, "admin_disabled", "no router.admin.token is configured");
            return;
        }
        String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        OptionalLong retryAfter = failures.retryAfterSeconds(address);
        if (retryAfter.isPresent()) {
            ctx.response().putHeader("Retry-After", String.valueOf(retryAfter.getAsLong()));
            AdminRoutes.problem(ctx, 429, "too_many_failures", "too many failed authentications from this address");
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        String presented = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : "";
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected.get())) {
            failures.failed(address);
            AdminRoutes.problem(ctx, 401, "unauthorized", "admin token missing or wrong");
            return;
        }
        ctx.next();
    }
}

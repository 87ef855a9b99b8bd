package dev.speechfleet.router.admin;

import dev.speechfleet.router.config.RouterConfig;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The first handler of every admin route ({@link AdminRoutes}): {@code Authorization: Bearer
 * <router.admin.token>}, compared in constant time. Bound to the routes themselves, not to a path
 * prefix, so no spelling of a path that reaches an admin action passes by it.
 */
final class AdminGuard implements Handler<RoutingContext> {

    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> expected;

    AdminGuard(RouterConfig config) {
        this.expected = config.admin().token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (expected.isEmpty()) {
            AdminRoutes.problem(ctx, 403, "admin_disabled", "no router.admin.token is configured");
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        String presented = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : "";
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected.get())) {
            AdminRoutes.problem(ctx, 401, "unauthorized", "admin token missing or wrong");
            return;
        }
        ctx.next();
    }
}

package dev.speechfleet.router.admin;

import dev.speechfleet.router.config.RouterConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Guards {@code /admin}: {@code Authorization: Bearer <router.admin.token>}, compared in constant time. */
public class AdminTokenFilter {

    private final RouterConfig config;

    AdminTokenFilter(RouterConfig config) {
        this.config = config;
    }

    @ServerRequestFilter
    public Optional<Response> requireAdminToken(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/admin")) {
            return Optional.empty();
        }
        Optional<String> expected = config.admin().token().filter(t -> !t.isBlank());
        if (expected.isEmpty()) {
            return Optional.of(problem(403, "admin_disabled", "no router.admin.token is configured"));
        }
        String header = request.getHeaderString("Authorization");
        String presented = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : "";
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(problem(401, "unauthorized", "admin token missing or wrong"));
        }
        return Optional.empty();
    }

    @ServerExceptionMapper
    public Response refused(AdminException e) {
        return problem(e.status(), e.code(), e.getMessage());
    }

    private static Response problem(int status, String code, String message) {
        return Response.status(status).entity(new AdminDtos.Problem(code, message))
                .type("application/json").build();
    }
}

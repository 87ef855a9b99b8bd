package dev.speechfleet.router.admin;

import dev.speechfleet.router.config.RouterConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Where the admin API is served (ADR 0037): on the device port by default; with
 * {@code router.admin.port} on a server of its own, and then not on the device port at all.
 */
@ApplicationScoped
public class AdminServer {

    private static final Logger LOG = Logger.getLogger(AdminServer.class);

    private final RouterConfig config;
    private final AdminRoutes routes;
    private HttpServer server;

    AdminServer(RouterConfig config, AdminRoutes routes) {
        this.config = config;
        this.routes = routes;
    }

    /** The device port's router, when the admin API stays there. */
    void onDevicePort(@Observes Router devicePort) {
        if (config.admin().port().isEmpty()) {
            routes.register(devicePort);
        }
    }

    void onStart(@Observes StartupEvent event, Vertx vertx) throws Exception {
        if (config.admin().port().isEmpty()) {
            return;
        }
        Router router = Router.router(vertx);
        routes.register(router);
        server = vertx.createHttpServer(new HttpServerOptions().setHost(config.admin().host())
                .setPort(config.admin().port().get())).requestHandler(router)
                .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.infof("admin API listening on %s:%d (not on the device port)", config.admin().host(), server.actualPort());
    }

    void onStop(@Observes ShutdownEvent event) throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The port of the separate admin server, -1 when the admin API is on the device port. */
    public int port() {
        return server == null ? -1 : server.actualPort();
    }
}

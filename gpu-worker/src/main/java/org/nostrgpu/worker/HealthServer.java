package org.nostrgpu.worker;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.nostrgpu.common.inspect.StatusPage;
import org.nostrgpu.common.metrics.PrometheusMetrics;

import java.util.function.Supplier;

/**
 * The worker's small HTTP server: {@code GET /health} answers the {@link WorkerStatus} as JSON (200 while up,
 * 503 while stopping), {@code GET /metrics} the Prometheus text of the process's registry and {@code GET /status}
 * the live cluster page ({@link StatusPage}). Anything else: 404, or 405 for another method on those paths.
 */
final class HealthServer {
    private final Vertx vertx;
    private final Supplier<WorkerStatus> status;
    private final Handler<HttpServerRequest> metrics;
    private final StatusPage statusPage;
    private HttpServer server;

    HealthServer(Vertx vertx, Supplier<WorkerStatus> status, PrometheusMeterRegistry registry) {
        this.vertx = vertx;
        this.status = status;
        this.metrics = PrometheusMetrics.scrapeHandler(registry);
        this.statusPage = new StatusPage(vertx);
    }

    /** @return the port listened on */
    Future<Integer> listen(String host, int port) {
        return vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(port, host)
                .map(listening -> {
                    server = listening;
                    return listening.actualPort();
                });
    }

    Future<Void> close() {
        statusPage.close();
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (StatusPage.serves(path)) {
            statusPage.handle(request);
            return;
        }
        if (!path.equals("/health") && !path.equals("/metrics")) {
            request.response().setStatusCode(404).end("not found: try /health, /metrics or /status\n");
            return;
        }
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD").end();
            return;
        }
        if (path.equals("/metrics")) {
            metrics.handle(request);
            return;
        }
        WorkerStatus now = status.get();
        request.response()
                .setStatusCode(now.up() ? 200 : 503)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(now.toJson().encode());
    }
}

package org.nostrgpu.relay.health;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers {@code GET /health/live} and {@code GET /health/ready} (HEAD too) with JSON, 200 when up and 503 when not:
 * {@code {"status":"UP"}} for liveness; for readiness also each named {@link ReadinessCheck} with its detail, e.g.
 * {@code {"status":"DOWN","checks":{"store":{"ready":true,"detail":"open"},"verification":{...}}}}.
 */
public final class HealthRequestHandler implements Handler<HttpServerRequest> {
    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";

    private final Map<String, ReadinessCheck> checks;

    /** @param checks the conditions of readiness by name, reported in this order */
    public HealthRequestHandler(Map<String, ReadinessCheck> checks) {
        this.checks = new LinkedHashMap<>(checks);
    }

    /** Whether a request to this path belongs here. */
    public static boolean handles(String path) {
        return LIVE_PATH.equals(path) || READY_PATH.equals(path);
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD").end();
            return;
        }
        if (LIVE_PATH.equals(request.path())) {
            answer(request, true, new JsonObject());
            return;
        }
        List<String> names = new ArrayList<>(checks.keySet());
        List<Future<ReadinessCheck.Outcome>> outcomes = new ArrayList<>();
        for (String name : names) {
            outcomes.add(checks.get(name).check()
                    .otherwise(failure -> ReadinessCheck.Outcome.notReady("check failed: " + failure.getMessage())));
        }
        Future.join(outcomes).onComplete(done -> {
            JsonObject report = new JsonObject();
            boolean ready = true;
            for (int i = 0; i < names.size(); i++) {
                ReadinessCheck.Outcome outcome = outcomes.get(i).result();
                ready &= outcome.ready();
                report.put(names.get(i), new JsonObject().put("ready", outcome.ready()).put("detail", outcome.detail()));
            }
            answer(request, ready, new JsonObject().put("checks", report));
        });
    }

    private static void answer(HttpServerRequest request, boolean up, JsonObject body) {
        JsonObject json = new JsonObject().put("status", up ? "UP" : "DOWN").mergeIn(body);
        request.response()
                .setStatusCode(up ? 200 : 503)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(json.encode());
    }
}

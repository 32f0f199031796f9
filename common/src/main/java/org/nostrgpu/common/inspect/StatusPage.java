package org.nostrgpu.common.inspect;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /status}: a self-contained HTML page (no external script, style or font, so it works offline) that
 * shows the cluster as {@code inspect} does, live; {@code GET /status/stream}: the Server-Sent Events it reads, one
 * {@link ClusterView} a second. The stats rounds run only while at least one page is open, so a relay nobody
 * watches pays nothing.
 */
public final class StatusPage implements Handler<HttpServerRequest>, AutoCloseable {
    public static final String PATH = "/status";
    public static final String STREAM_PATH = "/status/stream";
    /** One round a second; replies are gathered for the first part of it. */
    static final long INTERVAL_MS = 1_000;
    static final long WINDOW_MS = 400;
    private static final System.Logger LOG = System.getLogger(StatusPage.class.getName());
    private static final byte[] HTML = loadPage();

    private final Vertx vertx;
    private final Set<HttpServerResponse> streams = ConcurrentHashMap.newKeySet();
    private Future<ClusterStatsCollector> collector;
    private ClusterSnapshot previous;
    private long timer = -1;
    private boolean closed;

    public StatusPage(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Whether {@code path} is one of the page's. */
    public static boolean serves(String path) {
        return PATH.equals(path) || STREAM_PATH.equals(path);
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD").end();
            return;
        }
        if (STREAM_PATH.equals(request.path())) {
            stream(request.response());
            return;
        }
        request.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(io.vertx.core.buffer.Buffer.buffer(HTML));
    }

    @Override
    public synchronized void close() {
        closed = true;
        stopRounds();
        streams.forEach(response -> response.end().recover(ignored -> Future.succeededFuture()));
        streams.clear();
        if (collector != null) {
            collector.onSuccess(ClusterStatsCollector::close);
        }
    }

    private synchronized void stream(HttpServerResponse response) {
        if (closed) {
            response.setStatusCode(503).end();
            return;
        }
        response.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .write("retry: 2000\n\n");
        streams.add(response);
        response.closeHandler(ignored -> forget(response));
        response.exceptionHandler(ignored -> forget(response));
        if (timer < 0) {
            if (collector == null) {
                collector = ClusterStatsCollector.start(vertx);
            }
            timer = vertx.setPeriodic(0, INTERVAL_MS, ignored -> round());
        }
    }

    private synchronized void forget(HttpServerResponse response) {
        streams.remove(response);
        if (streams.isEmpty()) {
            stopRounds();
        }
    }

    private void stopRounds() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
            previous = null;
        }
    }

    private void round() {
        collector.compose(asking -> asking.collect(null, WINDOW_MS)).onComplete(done -> {
            if (done.failed()) {
                LOG.log(Level.WARNING, "status page: stats round failed: " + done.cause().getMessage());
                return;
            }
            JsonObject view;
            synchronized (this) {
                view = ClusterView.of(previous, done.result());
                previous = done.result();
            }
            String event = "data: " + view.encode() + "\n\n";
            for (HttpServerResponse response : streams) {
                if (!response.writeQueueFull()) { // a page that does not read skips rounds rather than piling them up
                    response.write(event);
                }
            }
        });
    }

    private static byte[] loadPage() {
        try (InputStream page = StatusPage.class.getResourceAsStream("status.html")) {
            if (page == null) {
                throw new IllegalStateException("status.html is missing from the jar");
            }
            return page.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String html() {
        return new String(HTML, StandardCharsets.UTF_8);
    }
}

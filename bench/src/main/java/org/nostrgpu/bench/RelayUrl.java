package org.nostrgpu.bench;

import io.vertx.core.http.WebSocketConnectOptions;

import java.net.URI;

/** ws:// or wss:// URL to Vert.x connect options. */
final class RelayUrl {
    private RelayUrl() {
    }

    static WebSocketConnectOptions parse(String url) {
        URI uri = URI.create(url);
        boolean tls = "wss".equals(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 443 : 80);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new WebSocketConnectOptions().setHost(uri.getHost()).setPort(port).setURI(path).setSsl(tls);
    }
}

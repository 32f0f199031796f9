package org.nostrgpu.relay.info;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Plain HTTP on the relay's port (WebSocket upgrades never reach it): the NIP-11 document on {@code GET /}
 * with {@code Accept: application/nostr+json}, a short text page for other {@code GET /}, CORS preflight,
 * 404 for other paths and 405 for other methods.
 */
public final class InfoRequestHandler implements Handler<HttpServerRequest> {
    static final String NOSTR_JSON = "application/nostr+json";

    private final String document;
    private final String textPage;

    public InfoRequestHandler(JsonObject document) {
        this.document = document.encode();
        this.textPage = document.getString("name", RelayInformationDocument.SOFTWARE)
                + " is a Nostr relay. Connect with a Nostr client over WebSocket to this address;"
                + " request it with 'Accept: " + NOSTR_JSON + "' for the NIP-11 relay information document.\n";
    }

    @Override
    public void handle(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        cors(response);
        if (!"/".equals(request.path())) {
            response.setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("not found\n");
            return;
        }
        if (request.method() == HttpMethod.OPTIONS) {
            response.setStatusCode(204).end();
            return;
        }
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            response.setStatusCode(405).putHeader("Allow", "GET, HEAD, OPTIONS").end();
            return;
        }
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains(NOSTR_JSON)) {
            response.putHeader("Content-Type", NOSTR_JSON).end(document);
        } else {
            response.putHeader("Content-Type", "text/plain; charset=utf-8").end(textPage);
        }
    }

    private static void cors(HttpServerResponse response) {
        response.putHeader("Access-Control-Allow-Origin", "*")
                .putHeader("Access-Control-Allow-Headers", "*")
                .putHeader("Access-Control-Allow-Methods", "GET, OPTIONS");
    }
}

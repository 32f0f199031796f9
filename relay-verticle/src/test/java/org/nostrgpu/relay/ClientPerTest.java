package org.nostrgpu.relay;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.nostrgpu.common.event.EventSigner;

/** Base of the socket tests that give each test its own connection to the class's relay and a new author. */
abstract class ClientPerTest {
    RelayTestClient client;
    EventSigner author;

    /** The relay of the test class, usually its {@code @RegisterExtension static final SharedRelay}. */
    abstract SharedRelay relay();

    @BeforeEach
    void connect() throws Exception {
        client = relay().connect();
        author = EventSigner.random();
    }

    @AfterEach
    void disconnect() throws Exception {
        client.close();
    }
}

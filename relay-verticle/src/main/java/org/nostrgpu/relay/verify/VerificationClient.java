package org.nostrgpu.relay.verify;

import io.vertx.core.Future;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.verify.Verdict;

/**
 * How the ingest stage gets a signature checked. The answer is per event; implementations batch internally.
 * A failed future (for example an overloaded queue) means the event could not be checked and must be refused.
 */
public interface VerificationClient {

    /** The BIP-340 verdict for the event's signature over its id with its pubkey. The id must already be checked. */
    Future<Verdict> verify(Event event);

    /** Which backend answers, for logs and health output, e.g. "cpu(2 threads)". */
    String describe();

    /** Releases the backend; call once no verification is pending (the relay drains ingest first). */
    Future<Void> close();
}

package org.nostrgpu.app;

import org.nostrgpu.relay.info.RelayVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the same version the relay reports in NIP-11. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"nostr-gpu-relay " + RelayVersion.get()};
    }
}

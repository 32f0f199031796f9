package org.nostrgpu.common.filter;

/** Strict parsing of a NIP-01 filter object; failures carry the reason sent after {@code invalid: }. */
public final class FilterParser {
    private FilterParser() {
    }
}

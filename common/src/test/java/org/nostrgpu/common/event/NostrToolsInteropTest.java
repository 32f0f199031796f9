package org.nostrgpu.common.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import fr.acinq.secp256k1.Secp256k1;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our parse → canonical serialization → id against events that nostr-tools (JavaScript, an independent
 * implementation) signed; see src/test/fixtures/generate-signed-events.mjs.
 */
class NostrToolsInteropTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Fixture(String name, String serialized, String eventJson) {
    }

    static List<Fixture> fixtures() throws IOException {
        List<Fixture> fixtures = new ArrayList<>();
        try (InputStream in = NostrToolsInteropTest.class.getResourceAsStream("/nostr-tools-signed-events.jsonl");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode node = MAPPER.readTree(line);
                fixtures.add(new Fixture(node.get("name").asText(), node.get("serialized").asText(),
                        node.get("eventJson").asText()));
            }
        }
        return fixtures;
    }

    @Test
    void fixtureFileCoversTheTrickyCases() throws IOException {
        List<Fixture> fixtures = fixtures();
        assertTrue(fixtures.size() >= 20, "fixture file looks truncated: " + fixtures.size());
        String all = String.join("", fixtures.stream().map(Fixture::serialized).toList());
        for (String needle : List.of("\\u0000", "\\u001f", "\\b", "\\f", "\u2028", "\u2029", "\u007f", "😀", "𝄞")) {
            assertTrue(all.contains(needle), "no fixture contains " + needle);
        }
    }

    @TestFactory
    Stream<DynamicTest> ourCanonicalSerializationIsByteForByteWhatNostrToolsHashed() throws IOException {
        return fixtures().stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            Event event = EventParser.parse(f.eventJson());
            assertArrayEquals(f.serialized().getBytes(StandardCharsets.UTF_8), CanonicalJson.idPreimage(event));
            assertEquals(event.id(), EventIds.computeHex(event));
            assertTrue(EventIds.hasValidId(event));
        }));
    }

    @TestFactory
    Stream<DynamicTest> nostrToolsSignaturesVerifyWithLibsecp256k1() throws IOException {
        return fixtures().stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            Event event = EventParser.parse(f.eventJson());
            assertTrue(Secp256k1.get().verifySchnorr(
                    Hex.decode(event.sig()), Hex.decode(event.id()), Hex.decode(event.pubkey())));
        }));
    }

    @TestFactory
    Stream<DynamicTest> storedFormReparsesToTheSameEvent() throws IOException {
        return fixtures().stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            Event event = EventParser.parse(f.eventJson());
            Event again = EventParser.parse(event.toJson());
            assertEquals(event, again);
            assertEquals(event.toJson(), again.toJson());
        }));
    }

    /**
     * The same events written the way other clients might: every non-ASCII and control character as an
     * uppercase backslash-u escape, '/' as backslash-slash, an escaped field name, other field order, whitespace
     * and an unknown field. Parsing must decode them to the very same strings, so the id still matches.
     */
    @TestFactory
    Stream<DynamicTest> nonCanonicalEscapesDecodeToTheSameId() throws IOException {
        return fixtures().stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            Event event = EventParser.parse(f.eventJson());
            String variant = escapedVariant(event);
            Event reparsed = EventParser.parse(variant);
            assertEquals(event, reparsed);
            assertEquals(event.id(), EventIds.computeHex(reparsed));
        }));
    }

    @Test
    void theEscapedVariantReallyIsNonCanonical() throws Exception {
        Fixture controls = fixtures().stream().filter(f -> f.name().startsWith("every control")).findFirst().orElseThrow();
        String variant = escapedVariant(EventParser.parse(controls.eventJson()));
        assertTrue(variant.contains("\\u001F"), variant);
        assertTrue(variant.contains("\\u000A"), variant);
        Fixture slashes = fixtures().stream().filter(f -> f.name().startsWith("slashes")).findFirst().orElseThrow();
        assertTrue(escapedVariant(EventParser.parse(slashes.eventJson())).contains("a\\/b"));
        Fixture emoji = fixtures().stream().filter(f -> f.name().equals("emoji")).findFirst().orElseThrow();
        assertTrue(escapedVariant(EventParser.parse(emoji.eventJson())).contains("\\uD83D\\uDE00"));
    }

    /** An even run of backslashes (escaped backslashes, group 1) followed by the backslash that starts an escape. */
    private static final String UNESCAPED_BACKSLASH_RUN = "(?<!\\\\)((?:\\\\\\\\)*)\\\\";

    private static String escapedVariant(Event event) throws IOException {
        StringWriter out = new StringWriter();
        JsonMapper asciiMapper = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
        try (JsonGenerator g = asciiMapper.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("sig", event.sig());
            g.writeArrayFieldStart("ignored_extension");
            g.writeString("unknown fields are skipped");
            g.writeEndArray();
            g.writeNumberField("kind", event.kind());
            g.writeFieldName("tags");
            g.writeStartArray();
            for (List<String> tag : event.tags()) {
                g.writeStartArray();
                for (String value : tag) {
                    g.writeString(value);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeStringField("CONTENT_PLACEHOLDER", event.content());
            g.writeNumberField("created_at", event.createdAt());
            g.writeStringField("pubkey", event.pubkey());
            g.writeStringField("id", event.id());
            g.writeEndObject();
        }
        // Jackson escapes control characters with uppercase hex but writes \n etc. short; force the long form
        // too. '/' only occurs inside string values, where \/ is a legal escape for it.
        return out.toString()
                .replace("\"CONTENT_PLACEHOLDER\"", "\"\\u0063ontent\"")
                .replaceAll(UNESCAPED_BACKSLASH_RUN + "n", "$1\\\\u000A")
                .replaceAll(UNESCAPED_BACKSLASH_RUN + "t", "$1\\\\u0009")
                .replace("/", "\\/");
    }
}

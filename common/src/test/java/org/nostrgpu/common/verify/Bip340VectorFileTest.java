package org.nostrgpu.common.verify;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Bip340VectorFileTest {

    static List<Bip340VectorFile.Vector> officialVectors() throws IOException {
        try (var in = new InputStreamReader(Objects.requireNonNull(
                Bip340VectorFileTest.class.getResourceAsStream("/bip340-final-test-vectors.csv")),
                StandardCharsets.UTF_8)) {
            return Bip340VectorFile.read(in);
        }
    }

    @Test
    void readsEveryThirtyTwoByteRowAndLibsecp256k1AgreesWithEachResult() throws Exception {
        List<Bip340VectorFile.Vector> vectors = officialVectors();
        assertEquals(15, vectors.size());
        assertEquals("public key not on the curve", vectors.get(5).comment());
        try (CpuSchnorrVerifier cpu = new CpuSchnorrVerifier(1)) {
            List<Verdict> verdicts = cpu.verifyChecks(vectors.stream().map(Bip340VectorFile.Vector::check).toList());
            for (int i = 0; i < vectors.size(); i++) {
                assertEquals(vectors.get(i).expectedValid() ? Verdict.VALID : Verdict.INVALID, verdicts.get(i),
                        "vector " + vectors.get(i).index());
            }
        }
    }

    @Test
    void skipsOtherMessageLengthsAndRejectsGarbage() throws Exception {
        String header = "index,secret key,public key,aux_rand,message,signature,verification result,comment\n";
        String key = "F9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9";
        String sig = "00".repeat(64);
        String text = header + "15,," + key + ",,,\"" + sig + "\",TRUE,empty message\n"
                + "16,," + key + ",,11," + sig + ",TRUE,one byte\n";
        assertTrue(Bip340VectorFile.read(new StringReader(text)).isEmpty());

        assertThrows(IOException.class, () -> Bip340VectorFile.read(new StringReader("nope\n")));
        assertThrows(IOException.class, () -> Bip340VectorFile.read(new StringReader(
                header + "0,," + key + ",," + "00".repeat(32) + "," + sig + ",MAYBE,\n")));
        assertThrows(IOException.class, () -> Bip340VectorFile.read(new StringReader(
                header + "0,," + key + "00,," + "00".repeat(32) + "," + sig + ",TRUE,\n")));
    }
}

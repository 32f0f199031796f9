package org.nostrgpu.worker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackendChoiceTest {

    @Test
    void parsesTheThreeSettings() {
        assertEquals(BackendChoice.AUTO, BackendChoice.parse("auto"));
        assertEquals(BackendChoice.CPU, BackendChoice.parse(" CPU "));
        assertEquals(BackendChoice.CUDA, BackendChoice.parse("Cuda"));
    }

    @Test
    void rejectsAnythingElseSayingWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendChoice.parse("gpu"));
        assertEquals("backend must be auto, cpu or cuda, got: gpu", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BackendChoice.parse(null));
    }
}

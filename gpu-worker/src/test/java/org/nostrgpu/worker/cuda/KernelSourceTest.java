package org.nostrgpu.worker.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelSourceTest {

    @Test
    void aPtxFileIsReadWithTheTerminatingZeroTheDriverNeeds(@TempDir Path dir) throws Exception {
        Path ptx = dir.resolve("k.ptx");
        Files.writeString(ptx, ".version 9.0\n", StandardCharsets.US_ASCII);
        byte[] loaded = KernelSource.load(ptx);
        assertEquals(14, loaded.length);
        assertEquals(0, loaded[13]);
        assertEquals('.', loaded[0]);
    }

    @Test
    void aMissingOrEmptyFileIsAReasonNotACrash(@TempDir Path dir) throws Exception {
        CudaUnavailableException missing = assertThrows(CudaUnavailableException.class,
                () -> KernelSource.load(dir.resolve("absent.ptx")));
        assertTrue(missing.getMessage().startsWith("kernel missing: cannot read "), missing.getMessage());
        Path empty = Files.createFile(dir.resolve("empty.ptx"));
        assertEquals("kernel missing: the PTX is empty",
                assertThrows(CudaUnavailableException.class, () -> KernelSource.load(empty)).getMessage());
    }

    @Test
    void theBundledKernelIsPtxForTheVerifyFunction() throws Exception {
        // committed, so every build ships it (kernels/build.sh regenerates it)
        try (var in = KernelSource.class.getResourceAsStream(KernelSource.RESOURCE)) {
            assertNotNull(in, "the committed PTX " + KernelSource.RESOURCE + " is not on the classpath");
        }
        String text = new String(KernelSource.load(null), StandardCharsets.US_ASCII);
        assertTrue(text.contains(".entry " + KernelSource.FUNCTION) || text.contains(".entry\t" + KernelSource.FUNCTION),
                "exports " + KernelSource.FUNCTION);
    }
}

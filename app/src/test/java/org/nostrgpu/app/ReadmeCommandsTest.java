package org.nostrgpu.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every class the README tells a reader to run with {@code java -cp app/target/nostr-gpu-relay.jar} is in the jar. */
class ReadmeCommandsTest {
    private static final Pattern CLASS_NAME = Pattern.compile("\\borg\\.nostrgpu\\.(?:[a-z0-9]+\\.)*[A-Z]\\w*");

    @Test
    void everyClassTheReadmeRunsHasAMain() throws IOException {
        String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
        TreeSet<String> named = new TreeSet<>();
        Matcher matcher = CLASS_NAME.matcher(readme);
        while (matcher.find()) {
            named.add(matcher.group());
        }
        assertTrue(named.size() >= 5, "the README's benchmark table names its tools: " + named);
        List<String> notRunnable = new ArrayList<>();
        for (String name : named) {
            if (!hasMain(name)) {
                notRunnable.add(name);
            }
        }
        assertEquals(List.of(), notRunnable, "classes named in README.md that the jar cannot run");
    }

    private static boolean hasMain(String className) {
        try {
            Method main = Class.forName(className, false, ReadmeCommandsTest.class.getClassLoader())
                    .getMethod("main", String[].class);
            return Modifier.isStatic(main.getModifiers());
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return false;
        }
    }
}

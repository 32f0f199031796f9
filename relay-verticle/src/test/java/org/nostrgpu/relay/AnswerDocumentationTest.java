package org.nostrgpu.relay;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.answer.Answer;
import org.nostrgpu.common.answer.AnswerPrefix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The answer lists a client or operator reads (README "Answers a client can see", and the full list in this
 * package's documentation) say what {@link AnswerPrefix} and {@link Answer} say, and the relay's code writes no
 * prefix of its own.
 */
class AnswerDocumentationTest {
    /** A quoted answer in the documents: {@code "invalid: bad signature"} or {@code "error: ..."}. */
    private static final Pattern QUOTED_ANSWER = Pattern.compile("\"([a-z][a-z-]*): ([^\"]*)\"");
    /** A string literal in code that starts with a prefix-like word. */
    private static final Pattern PREFIX_LITERAL = Pattern.compile("\"(" + Arrays.stream(AnswerPrefix.values())
            .map(AnswerPrefix::text).collect(Collectors.joining("|")) + "): ");

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path README = MODULE.getParent().resolve("README.md");
    private static final Path PACKAGE_INFO =
            MODULE.resolve("src/main/java/org/nostrgpu/relay/package-info.java");

    @Test
    void theReadmeNamesEveryPrefixAndNoOther() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("Answers a client can see");
        assertTrue(start >= 0, "README.md has no \"Answers a client can see\"");
        int end = readme.indexOf("\n## ", start);
        String section = readme.substring(start, end < 0 ? readme.length() : end);

        assertEquals(allPrefixes(), prefixesQuotedIn(section), "prefixes in README.md's answer list");
    }

    @Test
    void thePackageDocumentationListsEveryPrefixAndEveryStandardAnswerAndNoOther() throws IOException {
        String documentation = javadocText(Files.readString(PACKAGE_INFO));

        assertEquals(allPrefixes(), prefixesQuotedIn(documentation), "prefixes in " + PACKAGE_INFO);
        Set<String> standard = Arrays.stream(Answer.values()).map(Answer::text).collect(Collectors.toSet());
        Set<String> listed = new TreeSet<>();
        Matcher quoted = QUOTED_ANSWER.matcher(documentation);
        while (quoted.find()) {
            if (!quoted.group(2).equals("...")) {
                listed.add(quoted.group(1) + ": " + quoted.group(2));
            }
        }
        assertEquals(new TreeSet<>(standard), listed,
                "the fixed answers listed in " + PACKAGE_INFO + " (a \"prefix: ...\" stands for a detailed message)");
    }

    @Test
    void theRelaysCodeTakesEveryPrefixFromTheOwner() throws IOException {
        List<String> literals;
        try (Stream<Path> files = Files.walk(MODULE.resolve("src/main/java"))) {
            literals = files.filter(file -> file.toString().endsWith(".java"))
                    .flatMap(AnswerDocumentationTest::codeLines)
                    .filter(line -> PREFIX_LITERAL.matcher(line).find())
                    .toList();
        }
        assertEquals(List.of(), literals, "answers are built from AnswerPrefix and Answer, not written as literals");
    }

    private static Set<String> allPrefixes() {
        return Arrays.stream(AnswerPrefix.values()).map(AnswerPrefix::text).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> prefixesQuotedIn(String text) {
        Set<String> prefixes = new TreeSet<>();
        Matcher quoted = QUOTED_ANSWER.matcher(text);
        while (quoted.find()) {
            prefixes.add(quoted.group(1));
        }
        return prefixes;
    }

    /** The comment's text as one line: the leading {@code *} of each line removed, whitespace folded. */
    private static String javadocText(String source) {
        return source.lines()
                .map(line -> line.replaceFirst("^\\s*(/\\*\\*|\\*/|\\*)\\s?", ""))
                .collect(Collectors.joining(" "))
                .replaceAll("\\s+", " ");
    }

    /** Lines of a source file that are code, not comments. */
    private static Stream<String> codeLines(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> !line.strip().startsWith("*") && !line.strip().startsWith("/*")
                            && !line.strip().startsWith("//"))
                    .map(line -> file.getFileName() + ": " + line.strip());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

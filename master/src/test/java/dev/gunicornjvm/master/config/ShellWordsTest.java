package dev.gunicornjvm.master.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellWordsTest {
    @Test
    void whitespaceSeparatesWords() {
        assertEquals(List.of("-w", "2", "-b", "127.0.0.1:9000"), ShellWords.split("  -w 2\t-b \n 127.0.0.1:9000 "));
        assertEquals(List.of(), ShellWords.split(""));
        assertEquals(List.of(), ShellWords.split("   "));
        assertEquals(List.of(), ShellWords.split(null), "an unset variable is no arguments");
    }

    @Test
    void singleQuotesKeepEverythingLiterally() {
        assertEquals(List.of("--name", "my app"), ShellWords.split("--name 'my app'"));
        assertEquals(List.of("a\\b \"c\""), ShellWords.split("'a\\b \"c\"'"));
    }

    @Test
    void doubleQuotesAllowEscapedQuotesAndBackslashes() {
        assertEquals(List.of("--name", "say \"hi\" \\ \\n"), ShellWords.split("--name \"say \\\"hi\\\" \\\\ \\n\""));
        assertEquals(List.of("it's"), ShellWords.split("\"it's\""));
    }

    @Test
    void quotedPartsJoinTheWordAroundThem() {
        assertEquals(List.of("--worker-java-opts=-Xmx1g -Xss1m"), ShellWords.split("--worker-java-opts='-Xmx1g -Xss1m'"));
        assertEquals(List.of("abcd"), ShellWords.split("a'b'\"c\"d"));
    }

    @Test
    void emptyQuotesAreAnEmptyArgument() {
        assertEquals(List.of("-p", ""), ShellWords.split("-p ''"));
        assertEquals(List.of("-p", ""), ShellWords.split("-p \"\""));
    }

    @Test
    void backslashOutsideQuotesEscapesTheNextCharacter() {
        assertEquals(List.of("my app", "'"), ShellWords.split("my\\ app \\'"));
    }

    @Test
    void anUnclosedQuoteIsAnError() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShellWords.split("--name 'x"))
                .getMessage().contains("no closing ' quote"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShellWords.split("--name \"x\\\""))
                .getMessage().contains("no closing \" quote"));
    }
}

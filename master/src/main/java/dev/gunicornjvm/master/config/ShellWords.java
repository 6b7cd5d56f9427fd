package dev.gunicornjvm.master.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a string into arguments the way a POSIX shell would, as Gunicorn does for GUNICORN_CMD_ARGS
 * (with Python's shlex.split): whitespace separates words; inside single quotes everything is
 * literal; inside double quotes a backslash escapes only {@code "} and {@code \}; outside quotes a
 * backslash escapes any character. No variables, globs or comments: the value is data, not a script.
 */
final class ShellWords {
    private ShellWords() {
    }

    /** @throws IllegalArgumentException on an unclosed quote */
    static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        if (text == null) {
            return words;
        }
        StringBuilder word = new StringBuilder();
        boolean inWord = false; // separate from word.length(), so that '' is an empty argument
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hasNext = i + 1 < text.length();
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && hasNext && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && hasNext) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("no closing " + quote + " quote (close it, or put a \\ before it)");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}

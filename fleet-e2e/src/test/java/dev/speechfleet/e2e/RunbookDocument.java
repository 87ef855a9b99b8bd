package dev.speechfleet.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runbook of docs/operations.md, read the way an operator reads it: the {@code ## Runbook}
 * section's {@code sh} blocks, each one {@code redis-cli} command (split into words as a POSIX shell
 * does, quotes and line continuations included), each followed by the {@code text} block of the
 * output a healthy fleet gives.
 */
final class RunbookDocument {

    private static final Pattern BLOCK = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PLACEHOLDER = Pattern.compile("<([a-z_-]+)>");

    /** One command: the words after {@code redis-cli}, and the output the document shows. */
    record Step(List<String> words, String expectedOutput) {
        String display() {
            return String.join(" ", words);
        }
    }

    private RunbookDocument() {
    }

    /** Every step of the runbook section, with {@code <placeholders>} replaced from {@code values}. */
    static List<Step> steps(String markdown, Map<String, String> values) {
        String section = section(markdown, "## Runbook");
        List<Step> steps = new ArrayList<>();
        Matcher block = BLOCK.matcher(section);
        List<String> command = null;
        while (block.find()) {
            String language = block.group(1);
            String body = block.group(2);
            if (language.equals("sh")) {
                if (command != null) {
                    throw new IllegalArgumentException("no output shown after: " + String.join(" ", command));
                }
                command = redisCliWords(substitute(body, values));
            } else if (language.equals("text") && command != null) {
                steps.add(new Step(command, body));
                command = null;
            }
        }
        if (command != null) {
            throw new IllegalArgumentException("no output shown after: " + String.join(" ", command));
        }
        return steps;
    }

    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        if (start < 0) {
            throw new IllegalArgumentException("no section " + heading);
        }
        int end = markdown.indexOf("\n## ", start + heading.length() + 2);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    private static String substitute(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("the test has no value for <" + m.group(1) + ">");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /** The words of the block's one command, which must start with {@code redis-cli}. */
    static List<String> redisCliWords(String shell) {
        List<String> words = shellWords(shell);
        if (words.isEmpty() || !words.getFirst().equals("redis-cli")) {
            throw new IllegalArgumentException("a runbook block holds one redis-cli command, not: " + shell);
        }
        return words.subList(1, words.size());
    }

    /** POSIX shell word splitting: blanks separate, '…' is literal, "…" honours \" \\ \$, \ newline continues. */
    static List<String> shellWords(String shell) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < shell.length(); i++) {
            char c = shell.charAt(i);
            if (c == '\\' && i + 1 < shell.length() && shell.charAt(i + 1) == '\n') {
                i++;
            } else if (c == ' ' || c == '\t' || c == '\n') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '\'') {
                int end = shell.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed ' in: " + shell);
                }
                word = (word == null ? new StringBuilder() : word).append(shell, i + 1, end);
                i = end;
            } else if (c == '"') {
                word = word == null ? new StringBuilder() : word;
                for (i++; i < shell.length() && shell.charAt(i) != '"'; i++) {
                    char d = shell.charAt(i);
                    if (d == '\\' && i + 1 < shell.length() && "\"\\$`".indexOf(shell.charAt(i + 1)) >= 0) {
                        d = shell.charAt(++i);
                    }
                    word.append(d);
                }
            } else {
                word = (word == null ? new StringBuilder() : word).append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}

package dev.speechfleet.e2e;

import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replies as {@code redis-cli} prints them on a terminal (RESP2: {@code 1) "name"}, {@code (integer) 3},
 * {@code (nil)}, {@code (empty array)}), both ways: a reply is formatted the way redis-cli does, and the
 * text docs/operations.md shows is parsed back into a tree of lists, strings, longs and nulls. Two trees
 * are compared by shape: the same kinds of values, and every field a documented field list shows.
 */
final class RedisCliText {

    private static final Pattern MARKER = Pattern.compile("^( *\\d+)\\) ");
    private static final Pattern FIELD_NAME = Pattern.compile("[a-z][a-z0-9_-]*");

    private RedisCliText() {
    }

    /** A status reply such as {@code OK}, printed without quotes. */
    record Status(String text) {
    }

    // ---- reply -> tree ----

    static Object tree(Response reply) {
        if (reply == null) {
            return null;
        }
        if (reply.type() == ResponseType.MULTI) {
            List<Object> items = new ArrayList<>();
            for (Response item : reply) {
                items.add(tree(item));
            }
            return items;
        }
        if (reply.type() == ResponseType.NUMBER) {
            return reply.toLong();
        }
        if (reply.type() == ResponseType.SIMPLE) {
            return new Status(reply.toString());
        }
        return new String(reply.toBytes(), StandardCharsets.ISO_8859_1);
    }

    // ---- tree -> text, as redis-cli's cliFormatReplyTTY ----

    static String format(Object tree) {
        return format(tree, "");
    }

    private static String format(Object value, String prefix) {
        if (value == null) {
            return "(nil)\n";
        }
        if (value instanceof Long n) {
            return "(integer) " + n + "\n";
        }
        if (value instanceof Status s) {
            return s.text() + "\n";
        }
        if (value instanceof String s) {
            return quote(s) + "\n";
        }
        List<?> items = (List<?>) value;
        if (items.isEmpty()) {
            return "(empty array)\n";
        }
        int width = Integer.toString(items.size()).length();
        String nested = prefix + " ".repeat(width + 2);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "" : prefix).append(String.format("%" + width + "d) ", i + 1));
            out.append(format(items.get(i), nested));
        }
        return out.toString();
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    // ---- text -> tree ----

    static Object parse(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        int[] next = {0};
        Object value = parse(lines, next, 0);
        if (next[0] != lines.size()) {
            throw new IllegalArgumentException("unparsed output from line " + (next[0] + 1) + ": " + lines.get(next[0]));
        }
        return value;
    }

    private static Object parse(List<String> lines, int[] at, int column) {
        String line = lines.get(at[0]);
        String text = line.substring(column);
        Matcher marker = MARKER.matcher(text);
        if (marker.find()) {
            int width = marker.group(1).length();
            List<Object> items = new ArrayList<>();
            while (true) {
                items.add(parse(lines, at, column + width + 2));
                if (at[0] >= lines.size()) {
                    break;
                }
                String following = lines.get(at[0]);
                if (following.length() < column + width + 2 || !following.substring(0, column).isBlank()
                        || !following.substring(column, column + width + 2).matches(" *\\d+\\) ")) {
                    break;
                }
            }
            return items;
        }
        at[0]++;
        if (text.equals("(empty array)")) {
            return new ArrayList<>();
        }
        if (text.equals("(nil)")) {
            return null;
        }
        if (text.startsWith("(integer) ")) {
            return Long.parseLong(text.substring("(integer) ".length()).strip());
        }
        if (text.startsWith("\"")) {
            return unquote(text);
        }
        return new Status(text);
    }

    private static String unquote(String quoted) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = quoted.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'x' -> {
                    out.append((char) Integer.parseInt(quoted.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    // ---- shape ----

    /**
     * How {@code actual} differs in shape from {@code expected}: value kinds, every field of a documented
     * field list ({@code "name" value "name" value …}, as XINFO and stream entries print), and at least
     * one element wherever the document shows some. Values themselves (ids, counts, times) may differ.
     */
    static List<String> shapeDifferences(Object expected, Object actual) {
        List<String> differences = new ArrayList<>();
        compare(expected, actual, "reply", differences);
        return differences;
    }

    private static void compare(Object expected, Object actual, String path, List<String> out) {
        if (expected == null || actual == null) {
            if (!Objects.equals(expected == null, actual == null)) {
                out.add(path + ": expected " + describe(expected) + ", got " + describe(actual));
            }
            return;
        }
        if (expected instanceof List<?> e) {
            if (!(actual instanceof List<?> a)) {
                out.add(path + ": expected an array, got " + describe(actual));
                return;
            }
            if (isFieldList(e)) {
                compareFields(e, a, path, out);
            } else {
                compareItems(e, a, path, out);
            }
            return;
        }
        if (expected.getClass() != actual.getClass()) {
            out.add(path + ": expected " + describe(expected) + ", got " + describe(actual));
        }
    }

    private static void compareFields(List<?> expected, List<?> actual, String path, List<String> out) {
        if (!isFieldList(actual)) {
            out.add(path + ": expected fields " + fieldNames(expected) + ", got " + describe(actual));
            return;
        }
        for (int i = 0; i < expected.size(); i += 2) {
            String field = (String) expected.get(i);
            int at = indexOfField(actual, field);
            if (at < 0) {
                out.add(path + ": field \"" + field + "\" is missing (got " + fieldNames(actual) + ")");
            } else {
                compare(expected.get(i + 1), actual.get(at + 1), path + "." + field, out);
            }
        }
    }

    private static void compareItems(List<?> expected, List<?> actual, String path, List<String> out) {
        if (expected.isEmpty() != actual.isEmpty()) {
            out.add(path + ": expected " + (expected.isEmpty() ? "no elements" : "elements") + ", got "
                    + actual.size());
            return;
        }
        for (int i = 0; i < actual.size(); i++) {
            compare(expected.get(Math.min(i, expected.size() - 1)), actual.get(i), path + "[" + (i + 1) + "]", out);
        }
    }

    private static boolean isFieldList(List<?> items) {
        if (items.isEmpty() || items.size() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < items.size(); i += 2) {
            if (!(items.get(i) instanceof String s) || !FIELD_NAME.matcher(s).matches()) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfField(List<?> items, String field) {
        for (int i = 0; i < items.size(); i += 2) {
            if (field.equals(items.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static List<Object> fieldNames(List<?> items) {
        List<Object> names = new ArrayList<>();
        for (int i = 0; i < items.size(); i += 2) {
            names.add(items.get(i));
        }
        return names;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "(nil)";
        }
        if (value instanceof List<?> list) {
            return "an array of " + list.size();
        }
        return value.getClass().getSimpleName() + " " + value;
    }
}

package dev.speechfleet.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.router.session.SessionManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router's packages depend on each other one way only: what {@code jdeps} finds in the compiled
 * main classes (every reference, imported or not) forms no cycle.
 */
class RouterPackagesTest {

    private static final String ROOT = "dev.speechfleet.router.";
    private static final Pattern EDGE = Pattern.compile("^\\s*(" + Pattern.quote(ROOT) + "\\S+)\\s+->\\s+("
            + Pattern.quote(ROOT) + "\\S+)\\s");

    private static Map<String, Set<String>> dependencies;

    @BeforeAll
    static void readDependencies() throws URISyntaxException {
        Path classes = Path.of(SessionManager.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-e",
                ROOT.replace(".", "\\.") + ".*",
                classes.toString());
        assertThat(exit).as("jdeps output: %s", out).isZero();
        dependencies = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher edge = EDGE.matcher(line);
            if (edge.find() && !edge.group(1).equals(edge.group(2))) {
                dependencies.computeIfAbsent(local(edge.group(1)), p -> new TreeSet<>()).add(local(edge.group(2)));
            }
        }
    }

    @Test
    void theRouterPackagesFormNoCycle() {
        assertThat(dependencies).as("packages read from the router's classes").containsKeys("session", "routing",
                "admin");
        assertThat(cycles()).as("package cycles in %s", dependencies).isEmpty();
    }

    @Test
    void resultDeliveryKnowsNothingOfTheSessions() {
        assertThat(reachableFrom("delivery")).as("what delivery depends on, directly or not").doesNotContain("session");
        assertThat(dependencies.get("session")).as("the session package hands its results to delivery")
                .contains("delivery");
    }

    private static String local(String pkg) {
        return pkg.substring(ROOT.length());
    }

    private static Set<String> reachableFrom(String start) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            for (String next : dependencies.getOrDefault(todo.pop(), Set.of())) {
                if (seen.add(next)) {
                    todo.push(next);
                }
            }
        }
        return seen;
    }

    /** Strongly connected components of more than one package (Tarjan). */
    private static List<Set<String>> cycles() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> found = new ArrayList<>();
        for (String pkg : dependencies.keySet()) {
            if (!index.containsKey(pkg)) {
                connect(pkg, index, low, stack, found);
            }
        }
        return found;
    }

    private static void connect(String pkg, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
            List<Set<String>> found) {
        index.put(pkg, index.size());
        low.put(pkg, index.get(pkg));
        stack.push(pkg);
        for (String next : dependencies.getOrDefault(pkg, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, index, low, stack, found);
                low.put(pkg, Math.min(low.get(pkg), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(pkg, Math.min(low.get(pkg), index.get(next)));
            }
        }
        if (low.get(pkg).equals(index.get(pkg))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(pkg));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}

package dev.speechfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/speech-fleet.json queries only the fleet's metric names, which its description
 * lists, and shows every one of them.
 */
class GrafanaDashboardTest {

    private static final Pattern METRIC = Pattern.compile("\\b([a-z]+(?:_[a-z0-9]+)+)\\b");
    private static final Set<String> PROMQL_WORDS = Set.of("histogram_quantile", "__rate_interval");
    private static final List<String> SUFFIXES = List.of("_bucket", "_sum", "_count");

    private final CodeFacts code = CodeFacts.ofRepository();

    @Test
    void everyPanelQueriesTheFleetsMetricsAndEveryMetricIsShown() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(code.root().resolve("deploy/grafana/speech-fleet.json").toFile());
        String description = dashboard.path("description").asText();
        Set<String> listed = new TreeSet<>();
        Matcher names = Pattern.compile("metric names \\([^)]*\\): ([^.]*)\\.").matcher(description);
        assertThat(names.find()).as("the description lists the fleet's metric names").isTrue();
        for (String name : names.group(1).split(",\\s*")) {
            listed.add(name.strip());
        }

        Set<String> queried = new TreeSet<>();
        List<String> strangers = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    String metric = base(m.group(1));
                    if (PROMQL_WORDS.contains(metric) || isLabel(metric)) {
                        continue;
                    }
                    (listed.contains(metric) ? queried : new TreeSet<String>()).add(metric);
                    if (!listed.contains(metric)) {
                        strangers.add(panel.path("title").asText() + ": " + metric);
                    }
                }
            }
        }

        assertThat(listed).hasSize(15);
        assertThat(strangers).as("queried names that are not the fleet's").isEmpty();
        assertThat(queried).as("fleet metrics shown on some panel").isEqualTo(listed);
    }

    @Test
    void everyMetricTheDashboardListsIsRegisteredByTheServices() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(code.root().resolve("deploy/grafana/speech-fleet.json").toFile());
        Matcher names = Pattern.compile("metric names \\([^)]*\\): ([^.]*)\\.").matcher(
                dashboard.path("description").asText());
        assertThat(names.find()).isTrue();
        Set<String> registered = code.meterNames();
        List<String> missing = new ArrayList<>();
        for (String name : names.group(1).split(",\\s*")) {
            if (!registered.contains(meterName(name.strip()))) {
                missing.add(name.strip());
            }
        }
        assertThat(missing).as("dashboard metrics no service registers (meter names found: %s)", registered).isEmpty();
    }

    /** The Micrometer name behind a Prometheus name, dots as underscores: without the counter's or timer's suffix. */
    private static String meterName(String prometheus) {
        for (String suffix : List.of("_total", "_seconds")) {
            if (prometheus.endsWith(suffix)) {
                return prometheus.substring(0, prometheus.length() - suffix.length());
            }
        }
        return prometheus;
    }

    private static String base(String name) {
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private static boolean isLabel(String word) {
        return Set.of("error_class").contains(word);
    }
}

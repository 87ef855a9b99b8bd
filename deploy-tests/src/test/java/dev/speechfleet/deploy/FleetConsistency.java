package dev.speechfleet.deploy;

import dev.speechfleet.core.stream.StreamKeys;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.quarkus.websockets.next.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Everything a rendered set of manifests must agree on with the code: each service module has its
 * Deployment, on the port its application.properties names, probed on the health endpoints it
 * serves, with only environment variables that some configuration key of that module reads; every
 * stream and consumer group a ScaledObject names is the one {@link StreamKeys} gives the provider of
 * the Deployment it scales; every reference (Secret, ConfigMap, Service, volume, TriggerAuthentication)
 * resolves; and the operational rules of docs/adr/0071 and 0062 hold. {@link #problems} lists every
 * disagreement in words an operator understands.
 */
final class FleetConsistency {

    /** Providers that run on the operator's own hardware, and only those, may scale to zero. */
    static final Set<String> SELF_HOSTED = Set.of("whisper", "parakeet");
    /** What KEDA's redis-streams scaler reads from a trigger's metadata (keda.sh/docs/scalers/redis-streams). */
    static final Set<String> REDIS_STREAMS_METADATA = Set.of("address", "addressFromEnv", "host", "hostFromEnv",
            "port", "portFromEnv", "username", "usernameFromEnv", "password", "passwordFromEnv", "stream",
            "consumerGroup", "pendingEntriesCount", "streamLength", "lagCount", "activationLagCount",
            "activationStreamLength", "databaseIndex", "enableTLS", "unsafeSsl");
    private static final String SCALE_FROM_ZERO_ENV = "FLEET_PROVIDERS_SCALE_FROM_ZERO";
    private static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(15);
    private static final Pattern FLEET_KEY = Pattern.compile("(audio:stream:[a-z0-9_-]+|transcription:[a-z:{}<>_]+)");

    private final CodeFacts code;
    private final List<HasMetadata> resources;
    private final Set<String> externalSecrets;
    private final List<String> problems = new ArrayList<>();

    private FleetConsistency(CodeFacts code, List<HasMetadata> resources, Set<String> externalSecrets) {
        this.code = code;
        this.resources = resources;
        this.externalSecrets = externalSecrets;
    }

    /**
     * Every disagreement between the rendered {@code resources} and the code. Secrets named in
     * {@code externalSecrets} are created by the operator (docs/operations.md), not by the overlay.
     */
    static List<String> problems(CodeFacts code, List<HasMetadata> resources, Set<String> externalSecrets) {
        FleetConsistency check = new FleetConsistency(code, resources, externalSecrets);
        check.services();
        check.scaledObjects();
        check.scaleFromZero();
        check.routingOfServices();
        check.ingress();
        check.networkPolicies();
        check.workloadsAreLockedDown();
        check.redis();
        check.fleetKeysNamedAnywhere();
        return check.problems;
    }

    // ---- service Deployments ----

    private void services() {
        for (String module : CodeFacts.SERVICE_MODULES) {
            List<Deployment> found = of(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(module))
                    .toList();
            if (found.size() != 1) {
                problems.add("module " + module + " needs exactly one Deployment named " + module + ", found "
                        + found.size());
                continue;
            }
            Deployment deployment = found.getFirst();
            Container container = mainContainer(deployment, module);
            if (container == null) {
                continue;
            }
            port(module, container);
            probes(module, container);
            environment(module, deployment, container);
            consumerName(module, container);
            gracePeriod(module, deployment, container);
            writableDirectories(module, deployment, container);
            disruptionBudget(module, deployment);
        }
    }

    private Container mainContainer(Deployment deployment, String module) {
        Optional<Container> container = deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(module)).findFirst();
        if (container.isEmpty()) {
            problems.add("Deployment " + module + " has no container named " + module);
        }
        return container.orElse(null);
    }

    private void port(String module, Container container) {
        int expected = code.httpPort(module);
        boolean declared = container.getPorts().stream()
                .anyMatch(p -> "http".equals(p.getName()) && p.getContainerPort() == expected);
        if (!declared) {
            problems.add(module + ": container port 'http' must be " + expected
                    + " (quarkus.http.port of the module), declared " + container.getPorts());
        }
    }

    private void probes(String module, Container container) {
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("/q/health/started", container.getStartupProbe());
        probes.put("/q/health/ready", container.getReadinessProbe());
        probes.put("/q/health/live", container.getLivenessProbe());
        Set<String> served = code.healthPaths(module);
        probes.forEach((expected, probe) -> {
            if (probe == null || probe.getHttpGet() == null) {
                problems.add(module + ": needs an HTTP probe on " + expected);
                return;
            }
            String path = probe.getHttpGet().getPath();
            if (!served.contains(path)) {
                problems.add(module + ": probe path " + path + " is not served by the module (it serves "
                        + (served.isEmpty() ? "no health endpoint: add quarkus-smallrye-health" : served) + ")");
            } else if (!path.equals(expected)) {
                problems.add(module + ": probe on " + path + " where " + expected + " is expected");
            }
            if (!namesContainerPort(container, probe.getHttpGet().getPort())) {
                problems.add(module + ": probe port " + probe.getHttpGet().getPort().getStrVal()
                        + " is not a port of the container");
            }
        });
    }

    private void environment(String module, Deployment deployment, Container container) {
        for (Map.Entry<String, String> env : effectiveEnvironment(deployment, container).entrySet()) {
            String name = env.getKey();
            if (code.keyForEnv(module, name).isEmpty()) {
                problems.add(module + ": environment variable " + name
                        + " sets no configuration key the module reads (mappings, application.properties, Quarkus)");
            }
        }
        for (EnvVar env : container.getEnv()) {
            if (env.getValueFrom() == null) {
                continue;
            }
            var secretRef = env.getValueFrom().getSecretKeyRef();
            if (secretRef != null && !Boolean.TRUE.equals(secretRef.getOptional())) {
                requireSecretKey(module + " " + env.getName(), secretRef.getName(), secretRef.getKey());
            }
            var mapRef = env.getValueFrom().getConfigMapKeyRef();
            if (mapRef != null && configMapData(mapRef.getName()).map(d -> !d.containsKey(mapRef.getKey())).orElse(true)) {
                problems.add(module + " " + env.getName() + ": ConfigMap " + mapRef.getName() + " has no key "
                        + mapRef.getKey());
            }
        }
        for (EnvFromSource from : container.getEnvFrom()) {
            if (from.getConfigMapRef() != null && configMapData(from.getConfigMapRef().getName()).isEmpty()) {
                problems.add(module + ": envFrom names ConfigMap " + from.getConfigMapRef().getName()
                        + ", which is not rendered");
            }
        }
    }

    private void consumerName(String module, Container container) {
        String env = code.providerByModule().containsKey(module) ? "FLEET_WORKER_CONSUMER_NAME"
                : module.equals("results-aggregator") ? "AGGREGATOR_CONSUMER_NAME" : null;
        if (env == null) {
            return;
        }
        boolean fromPodName = container.getEnv().stream().anyMatch(e -> e.getName().equals(env)
                && e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null
                && "metadata.name".equals(e.getValueFrom().getFieldRef().getFieldPath()));
        if (!fromPodName) {
            problems.add(module + ": " + env + " must come from the pod name (fieldRef metadata.name)");
        }
    }

    /** The pod's grace period must outlast the service's own drain time plus the JVM's shutdown. */
    private void gracePeriod(String module, Deployment deployment, Container container) {
        String key = code.providerByModule().containsKey(module) ? "fleet.worker.shutdown-grace"
                : module.equals("results-aggregator") ? "aggregator.shutdown-grace" : "router.session.stop-drain-timeout";
        String value = effectiveEnvironment(deployment, container).getOrDefault(CodeFacts.envName(key),
                code.defaultOf(module, key).orElse(null));
        if (value == null) {
            problems.add(module + ": no value nor default for " + key);
            return;
        }
        Duration drain = parseDuration(value);
        Long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        long needed = drain.plus(SHUTDOWN_MARGIN).toSeconds();
        if (grace == null || grace < needed) {
            problems.add(module + ": terminationGracePeriodSeconds " + grace + " must be at least " + needed
                    + " (" + key + " " + value + " + " + SHUTDOWN_MARGIN.toSeconds() + " s)");
        }
    }

    /** Whisper writes its native libraries and models: both must be on mounted volumes, /tmp too. */
    private void writableDirectories(String module, Deployment deployment, Container container) {
        List<String> mounts = container.getVolumeMounts().stream().map(VolumeMount::getMountPath).toList();
        List<String> needed = new ArrayList<>(List.of("/tmp"));
        Map<String, String> env = effectiveEnvironment(deployment, container);
        for (String key : List.of("whisper.native-dir", "whisper.model.cache-dir")) {
            if (code.knowsKey(module, key)) {
                needed.add(env.getOrDefault(CodeFacts.envName(key), code.defaultOf(module, key).orElse("")));
            }
        }
        for (String dir : needed) {
            if (mounts.stream().noneMatch(m -> dir.equals(m) || dir.startsWith(m + "/"))) {
                problems.add(module + ": " + dir + " is written at run time but is not on a mounted volume "
                        + "(the root file system is read-only)");
            }
        }
        Set<String> volumes = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .map(v -> v.getName()).collect(Collectors.toSet());
        container.getVolumeMounts().stream().filter(m -> !volumes.contains(m.getName()))
                .forEach(m -> problems.add(module + ": volume mount " + m.getName() + " names no volume of the pod"));
    }

    private void disruptionBudget(String module, Deployment deployment) {
        boolean covered = of(PodDisruptionBudget.class).stream()
                .anyMatch(pdb -> selects(pdb.getSpec().getSelector(), deployment.getSpec().getTemplate()));
        if (!covered) {
            problems.add(module + ": no PodDisruptionBudget selects its pods");
        }
    }

    // ---- KEDA ----

    private void scaledObjects() {
        Map<String, String> providerByDeployment = code.providerByModule();
        Map<String, Integer> scaledPerModule = new HashMap<>();
        for (GenericKubernetesResource so : custom("ScaledObject")) {
            String name = so.getMetadata().getName();
            String target = string(so, "spec", "scaleTargetRef", "name");
            String provider = providerByDeployment.get(target);
            if (of(Deployment.class).stream().noneMatch(d -> d.getMetadata().getName().equals(target))) {
                problems.add("ScaledObject " + name + " scales Deployment " + target + ", which is not rendered");
            }
            if (provider == null) {
                problems.add("ScaledObject " + name + " scales " + target
                        + ", which is not a provider consumer (router and aggregator scale with an HPA)");
                continue;
            }
            scaledPerModule.merge(target, 1, Integer::sum);
            triggers(so, provider);
        }
        for (String module : providerByDeployment.keySet()) {
            if (scaledPerModule.getOrDefault(module, 0) != 1) {
                problems.add(module + ": needs exactly one ScaledObject, found " + scaledPerModule.getOrDefault(module, 0));
            }
        }
        for (HorizontalPodAutoscaler hpa : of(HorizontalPodAutoscaler.class)) {
            if (providerByDeployment.containsKey(hpa.getSpec().getScaleTargetRef().getName())) {
                problems.add("HPA " + hpa.getMetadata().getName() + " scales a consumer that KEDA scales");
            }
        }
        for (String module : List.of("router-service", "results-aggregator")) {
            if (of(HorizontalPodAutoscaler.class).stream()
                    .noneMatch(h -> module.equals(h.getSpec().getScaleTargetRef().getName()))) {
                problems.add(module + ": needs a HorizontalPodAutoscaler");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void triggers(GenericKubernetesResource so, String provider) {
        String name = so.getMetadata().getName();
        List<Map<String, Object>> triggers = (List<Map<String, Object>>) spec(so).getOrDefault("triggers", List.of());
        boolean lag = false;
        boolean pending = false;
        for (Map<String, Object> trigger : triggers) {
            if (!"redis-streams".equals(trigger.get("type"))) {
                problems.add("ScaledObject " + name + ": trigger type " + trigger.get("type") + " is not redis-streams");
                continue;
            }
            Map<String, Object> metadata = (Map<String, Object>) trigger.getOrDefault("metadata", Map.of());
            Object stream = metadata.get("stream");
            Object group = metadata.get("consumerGroup");
            if (!StreamKeys.audioStream(provider).equals(stream)) {
                problems.add("ScaledObject " + name + ": stream " + stream + " is not a stream the code uses for "
                        + provider + " (StreamKeys.audioStream: " + StreamKeys.audioStream(provider) + ")");
            }
            if (!StreamKeys.workerGroup(provider).equals(group)) {
                problems.add("ScaledObject " + name + ": consumer group " + group + " is not the group the code reads "
                        + StreamKeys.audioStream(provider) + " in (StreamKeys.workerGroup: "
                        + StreamKeys.workerGroup(provider) + ")");
            }
            metadata.keySet().stream().filter(k -> !REDIS_STREAMS_METADATA.contains(k)).forEach(k -> problems.add(
                    "ScaledObject " + name + ": redis-streams has no parameter " + k));
            lag |= metadata.containsKey("lagCount");
            pending |= metadata.containsKey("pendingEntriesCount");
            authentication(name, (Map<String, Object>) trigger.get("authenticationRef"));
        }
        if (!lag || !pending) {
            problems.add("ScaledObject " + name + ": a lagCount trigger must be paired with a pendingEntriesCount "
                    + "trigger (lag can be unknown, ADR 0071)");
        }
    }

    @SuppressWarnings("unchecked")
    private void authentication(String scaledObject, Map<String, Object> ref) {
        if (ref == null) {
            problems.add("ScaledObject " + scaledObject + ": a trigger has no authenticationRef");
            return;
        }
        Optional<GenericKubernetesResource> auth = custom("TriggerAuthentication").stream()
                .filter(a -> a.getMetadata().getName().equals(ref.get("name"))).findFirst();
        if (auth.isEmpty()) {
            problems.add("ScaledObject " + scaledObject + ": TriggerAuthentication " + ref.get("name") + " is not rendered");
            return;
        }
        for (Map<String, Object> secretRef : (List<Map<String, Object>>) spec(auth.get()).getOrDefault("secretTargetRef",
                List.of())) {
            requireSecretKey("TriggerAuthentication " + ref.get("name"), (String) secretRef.get("name"),
                    (String) secretRef.get("key"));
        }
    }

    /** Providers that scale to zero are exactly the self-hosted ones routed while at zero. */
    private void scaleFromZero() {
        Set<String> declared = new TreeSet<>();
        for (ConfigMap map : of(ConfigMap.class)) {
            String value = map.getData() == null ? null : map.getData().get(SCALE_FROM_ZERO_ENV);
            if (value != null) {
                declared.addAll(List.of(value.split("\\s*,\\s*")));
            }
        }
        Set<String> known = new TreeSet<>(code.providerByModule().values());
        declared.stream().filter(p -> !known.contains(p)).forEach(p -> problems.add(SCALE_FROM_ZERO_ENV
                + " names " + p + ", which no consumer module serves"));
        for (GenericKubernetesResource so : custom("ScaledObject")) {
            String provider = code.providerByModule().get(string(so, "spec", "scaleTargetRef", "name"));
            Object min = spec(so).get("minReplicaCount");
            boolean toZero = min instanceof Number n && n.intValue() == 0;
            if (provider == null) {
                continue;
            }
            if (toZero && !SELF_HOSTED.contains(provider)) {
                problems.add("ScaledObject " + so.getMetadata().getName() + " scales cloud provider " + provider
                        + " to zero: a cloud provider with no live consumer is not routed to");
            }
            if (toZero != declared.contains(provider)) {
                problems.add("ScaledObject " + so.getMetadata().getName() + ": minReplicaCount "
                        + min + " disagrees with " + SCALE_FROM_ZERO_ENV + " " + declared + " for " + provider);
            }
        }
    }

    // ---- Services, Ingress, NetworkPolicies ----

    private void routingOfServices() {
        for (Service service : of(Service.class)) {
            List<PodTemplateSpec> pods = podTemplates().stream()
                    .filter(t -> matches(service.getSpec().getSelector(), t.getMetadata().getLabels())).toList();
            if (pods.isEmpty()) {
                problems.add("Service " + service.getMetadata().getName() + " selects no pods");
                continue;
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                boolean served = pods.stream().allMatch(t -> t.getSpec().getContainers().stream()
                        .anyMatch(c -> namesContainerPort(c, port.getTargetPort())));
                if (!served) {
                    problems.add("Service " + service.getMetadata().getName() + ": target port "
                            + port.getTargetPort().getStrVal() + " is not a port of its pods");
                }
            }
        }
    }

    private void ingress() {
        String socketPath = webSocketPrefix();
        Duration idle = parseDuration(code.defaultOf("router-service", "router.limits.idle-timeout").orElseThrow());
        for (Ingress ingress : of(Ingress.class)) {
            Map<String, String> annotations = Objects.requireNonNullElse(ingress.getMetadata().getAnnotations(), Map.of());
            for (String timeout : List.of("nginx.ingress.kubernetes.io/proxy-read-timeout",
                    "nginx.ingress.kubernetes.io/proxy-send-timeout")) {
                String value = annotations.get(timeout);
                if (value == null || Long.parseLong(value) <= idle.toSeconds()) {
                    problems.add("Ingress " + ingress.getMetadata().getName() + ": " + timeout + " must exceed the "
                            + "router's idle timeout (" + idle.toSeconds() + " s), is " + value);
                }
            }
            ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths().forEach(path -> {
                var backend = path.getBackend().getService();
                Optional<Service> service = of(Service.class).stream()
                        .filter(s -> s.getMetadata().getName().equals(backend.getName())).findFirst();
                if (service.isEmpty() || service.get().getSpec().getPorts().stream()
                        .noneMatch(p -> Objects.equals(p.getName(), backend.getPort().getName()))) {
                    problems.add("Ingress " + ingress.getMetadata().getName() + ": backend " + backend.getName() + ":"
                            + backend.getPort().getName() + " is not a rendered Service port");
                }
                if (!path.getPath().equals(socketPath)) {
                    problems.add("Ingress " + ingress.getMetadata().getName() + ": path " + path.getPath()
                            + " is not the router's WebSocket path " + socketPath);
                }
            }));
        }
    }

    /** {@code /ws/} of the router's {@code @WebSocket(path = "/ws/{device_id}")}. */
    private static String webSocketPrefix() {
        try {
            String path = Class.forName("dev.speechfleet.router.session.DeviceSocket").getAnnotation(WebSocket.class)
                    .path();
            return path.substring(0, path.indexOf('{'));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every fleet pod is under a policy that denies ingress by default; a rule open to every source
     * may only select the router.
     */
    private void networkPolicies() {
        for (PodTemplateSpec pod : podTemplates()) {
            Map<String, String> labels = pod.getMetadata().getLabels();
            if (!"speech-fleet".equals(labels.get("app.kubernetes.io/part-of"))) {
                continue;
            }
            List<NetworkPolicy> selecting = of(NetworkPolicy.class).stream()
                    .filter(p -> selects(p.getSpec().getPodSelector(), labels)).toList();
            if (selecting.stream().noneMatch(p -> p.getSpec().getPolicyTypes().contains("Ingress"))) {
                problems.add("pods " + labels.get("app.kubernetes.io/name") + " are under no ingress NetworkPolicy");
            }
            boolean router = "router-service".equals(labels.get("app.kubernetes.io/name"));
            for (NetworkPolicy policy : selecting) {
                for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                    if (!router && openToAll(rule)) {
                        problems.add("NetworkPolicy " + policy.getMetadata().getName() + " lets any source reach "
                                + labels.get("app.kubernetes.io/name") + ": only the router takes outside traffic");
                    }
                }
            }
        }
    }

    private static boolean openToAll(NetworkPolicyIngressRule rule) {
        return rule.getFrom().isEmpty() || rule.getFrom().stream().anyMatch(peer ->
                peer.getIpBlock() != null && peer.getIpBlock().getCidr().endsWith("/0")
                        || peer.getNamespaceSelector() != null && peer.getPodSelector() == null
                                && isEmpty(peer.getNamespaceSelector()));
    }

    // ---- every workload ----

    private void workloadsAreLockedDown() {
        for (HasMetadata workload : workloads()) {
            PodSpec pod = podTemplate(workload).getSpec();
            String name = workload.getKind() + " " + workload.getMetadata().getName();
            if (pod.getSecurityContext() == null || !Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot())) {
                problems.add(name + ": pod must set runAsNonRoot: true");
            }
            for (Container c : pod.getContainers()) {
                var security = c.getSecurityContext();
                if (security == null || !Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())
                        || !Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())
                        || security.getCapabilities() == null || !security.getCapabilities().getDrop().contains("ALL")) {
                    problems.add(name + " container " + c.getName() + ": needs a read-only root file system, no "
                            + "privilege escalation and every capability dropped");
                }
                var resources = c.getResources();
                if (resources == null || !resources.getRequests().containsKey("cpu")
                        || !resources.getRequests().containsKey("memory") || !resources.getLimits().containsKey("memory")) {
                    problems.add(name + " container " + c.getName() + ": needs cpu and memory requests and a memory limit");
                }
            }
        }
    }

    /** A Redis in the overlay persists with AOF and never evicts. */
    private void redis() {
        for (StatefulSet set : of(StatefulSet.class)) {
            for (Container c : set.getSpec().getTemplate().getSpec().getContainers()) {
                if (!c.getImage().startsWith("redis:")) {
                    continue;
                }
                String args = String.join(" ", c.getArgs());
                if (!args.contains("--appendonly yes") || !args.contains("--maxmemory-policy noeviction")) {
                    problems.add("StatefulSet " + set.getMetadata().getName()
                            + ": Redis needs --appendonly yes and --maxmemory-policy noeviction, has: " + args);
                }
                if (!c.getImage().matches("redis:7(\\.\\d+)*(-.*)?")) {
                    problems.add("StatefulSet " + set.getMetadata().getName() + ": the fleet needs Redis 7, not "
                            + c.getImage());
                }
            }
        }
    }

    /** Any stream name written anywhere in the manifests (comments aside) is one the code uses. */
    private void fleetKeysNamedAnywhere() {
        Set<String> known = new TreeSet<>(List.of(StreamKeys.HYPOTHESES, StreamKeys.FAILURES, StreamKeys.DEAD,
                StreamKeys.RESULTS_ALL));
        code.providerByModule().values().forEach(p -> known.add(StreamKeys.audioStream(p)));
        for (HasMetadata resource : resources) {
            Matcher m = FLEET_KEY.matcher(TypedManifests.SERIALIZATION.asJson(resource));
            while (m.find()) {
                if (!known.contains(m.group(1))) {
                    problems.add(resource.getKind() + " " + resource.getMetadata().getName() + " names stream "
                            + m.group(1) + ", which the code does not use");
                }
            }
        }
    }

    // ---- helpers ----

    private void requireSecretKey(String who, String secret, String key) {
        if (externalSecrets.contains(secret)) {
            return;
        }
        Optional<Secret> found = of(Secret.class).stream().filter(s -> s.getMetadata().getName().equals(secret))
                .findFirst();
        if (found.isEmpty()) {
            problems.add(who + ": Secret " + secret + " is neither rendered nor one the operator creates "
                    + "(docs/operations.md)");
        } else if (found.get().getData() == null || !found.get().getData().containsKey(key)) {
            problems.add(who + ": Secret " + secret + " has no key " + key);
        }
    }

    /** The variables a container gets: its envFrom ConfigMaps' keys, overridden by its own env entries. */
    private Map<String, String> effectiveEnvironment(Deployment deployment, Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                configMapData(from.getConfigMapRef().getName()).ifPresent(env::putAll);
            }
            if (from.getSecretRef() != null) {
                of(Secret.class).stream().filter(s -> s.getMetadata().getName().equals(from.getSecretRef().getName()))
                        .findFirst().ifPresent(s -> s.getData().forEach((k, v) -> env.put(k, new String(
                                Base64.getDecoder().decode(v), StandardCharsets.UTF_8))));
            }
        }
        for (EnvVar var : container.getEnv()) {
            env.put(var.getName(), var.getValue());
        }
        return env;
    }

    private Optional<Map<String, String>> configMapData(String name) {
        return of(ConfigMap.class).stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst()
                .map(m -> Objects.requireNonNullElse(m.getData(), Map.of()));
    }

    private List<HasMetadata> workloads() {
        List<HasMetadata> workloads = new ArrayList<>(of(Deployment.class));
        workloads.addAll(of(StatefulSet.class));
        return workloads;
    }

    private List<PodTemplateSpec> podTemplates() {
        return workloads().stream().map(FleetConsistency::podTemplate).toList();
    }

    private static PodTemplateSpec podTemplate(HasMetadata workload) {
        return workload instanceof Deployment d ? d.getSpec().getTemplate() : ((StatefulSet) workload).getSpec().getTemplate();
    }

    private static boolean namesContainerPort(Container container, IntOrString port) {
        return container.getPorts().stream().anyMatch(p -> port.getStrVal() != null ? port.getStrVal().equals(p.getName())
                : Objects.equals(port.getIntVal(), p.getContainerPort()));
    }

    private static boolean selects(LabelSelector selector, PodTemplateSpec pod) {
        return selects(selector, pod.getMetadata().getLabels());
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            throw new IllegalArgumentException("matchExpressions are not used by the fleet's manifests");
        }
        return matches(Objects.requireNonNullElse(selector.getMatchLabels(), Map.of()), labels);
    }

    private static boolean isEmpty(LabelSelector selector) {
        return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }

    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private <T> List<T> of(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private List<GenericKubernetesResource> custom(String kind) {
        return of(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().getOrDefault("spec", Map.of());
    }

    @SuppressWarnings("unchecked")
    private static String string(GenericKubernetesResource resource, String... path) {
        Object node = resource.getAdditionalProperties();
        for (String step : path) {
            node = node instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(step) : null;
        }
        return node == null ? null : node.toString();
    }

    /** SmallRye's duration forms: {@code 30s}, {@code 10m}, {@code 500ms}, {@code PT30S}. */
    static Duration parseDuration(String value) {
        String v = value.strip();
        if (v.startsWith("P") || v.startsWith("p")) {
            return Duration.parse(v);
        }
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + value);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }
}

package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

/**
 * The sample Kubernetes topology (deploy/kubernetes) says what docs/operations.md says: two
 * command, two projection and one query process, each playing only its roles, probed on the paths
 * and ports the server serves, on a three-node KurrentDB cluster; and its configuration parses.
 * Never applied to a cluster here.
 */
@SuppressWarnings("unchecked") // YAML documents are maps of maps
class DeploymentManifestsTest {

    private static final Path MANIFESTS = Path.of("..", "deploy", "kubernetes");

    @Test
    void theTopologySplitsTheRolesAsDocumented() throws IOException {
        Map<String, Map<String, Object>> deployments = documents().stream()
                .filter(d -> "Deployment".equals(d.get("kind")))
                .collect(Collectors.toMap(d -> name(d), d -> d));
        assertThat(deployments).containsOnlyKeys("minqing-command", "minqing-projections", "minqing-query");
        assertRoles(deployments.get("minqing-command"), 2, "true", "false", "false", "true");
        assertRoles(deployments.get("minqing-projections"), 2, "false", "true", "false", "false");
        assertRoles(deployments.get("minqing-query"), 1, "false", "false", "true", "false");

        Map<String, Object> kurrentDb = documents().stream().filter(d -> "StatefulSet".equals(d.get("kind")))
                .findFirst().orElseThrow();
        assertThat(at(kurrentDb, "spec", "replicas")).isEqualTo(3);
    }

    @Test
    void probesAskWhatTheManagementPortServes() throws IOException {
        Map<String, Object> defaults = new Yaml().load(new ClassPathResource("application.yml").getInputStream());
        int management = (Integer) at(defaults, "management", "server", "port");
        int http = (Integer) at(defaults, "server", "port");
        int grpc = (Integer) at(defaults, "spring", "grpc", "server", "port");
        for (Map<String, Object> deployment : documents()) {
            if (!"Deployment".equals(deployment.get("kind"))) {
                continue;
            }
            Map<String, Object> container = container(deployment);
            Map<String, Integer> ports = ((List<Map<String, Object>>) container.get("ports")).stream()
                    .collect(Collectors.toMap(p -> (String) p.get("name"), p -> (Integer) p.get("containerPort")));
            assertThat(ports).containsEntry("management", management).containsEntry("grpc", grpc);
            if (!name(deployment).equals("minqing-projections")) { // the processes that serve the API
                assertThat(ports).containsEntry("http", http);
            }
            assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
            assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        }
    }

    @Test
    void theSharedConfigurationParsesAndPointsAtTheCluster() throws IOException {
        Map<String, Object> configMap = documents().stream().filter(d -> "ConfigMap".equals(d.get("kind")))
                .findFirst().orElseThrow();
        Map<String, Object> application = new Yaml().load((String) at(configMap, "data", "application.yml"));
        assertThat(at(application, "minqing", "event-store", "engine")).isEqualTo("kurrentdb");
        assertThat((String) at(application, "minqing", "event-store", "kurrentdb", "connection-string"))
                .startsWith("kurrentdb+discover://").contains("tls=true");
        assertThat((String) at(application, "spring", "datasource", "url")).startsWith("jdbc:postgresql://");
    }

    private static void assertRoles(Map<String, Object> deployment, int replicas, String command, String projections,
                                    String query, String audit) {
        assertThat(at(deployment, "spec", "replicas")).as(name(deployment)).isEqualTo(replicas);
        Map<String, Object> env = ((List<Map<String, Object>>) container(deployment).get("env")).stream()
                .filter(e -> e.containsKey("value"))
                .collect(Collectors.toMap(e -> (String) e.get("name"), e -> e.get("value")));
        assertThat(env).as(name(deployment)).containsEntry("MINQING_ROLES_COMMAND", command)
                .containsEntry("MINQING_ROLES_PROJECTIONS", projections).containsEntry("MINQING_ROLES_QUERY", query)
                .containsEntry("MINQING_ROLES_AUDIT", audit);
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        return ((List<Map<String, Object>>) at(deployment, "spec", "template", "spec", "containers")).get(0);
    }

    private static String name(Map<String, Object> document) {
        return (String) at(document, "metadata", "name");
    }

    private static Object at(Map<String, Object> map, String... path) {
        Object value = map;
        for (String key : path) {
            assertThat(value).as("%s in %s", key, String.join(".", path)).isInstanceOf(Map.class);
            value = ((Map<String, Object>) value).get(key);
        }
        return value;
    }

    private static List<Map<String, Object>> documents() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (var files = Files.list(MANIFESTS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    for (Object document : new Yaml().loadAll(reader)) {
                        documents.add((Map<String, Object>) document);
                    }
                }
            }
        }
        assertThat(documents).isNotEmpty();
        return documents;
    }
}

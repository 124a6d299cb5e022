package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The Open311 GeoReport v2 gateway over real HTTP, in JSON and XML: the service list and a service
 * definition from the category register, a partner reporting through POST requests (idempotent on
 * its reference), reading its requests back and their updates, and every refusal in Open311's
 * error shape with nothing created.
 */
class Open311EndToEndTest {

    @TempDir
    static Path dataDir;
    static MinqingServer server;
    static JdbcTemplate jdbc;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = MinqingServer.start(dataDir);
        jdbc = server.context.getBean(JdbcTemplate.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.httpPort() + "/open311/v2/" + path);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<Struct> json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        ListValue.Builder list = ListValue.newBuilder();
        JsonFormat.parser().merge(response.body(), list);
        return list.getValuesList().stream().map(Value::getStructValue).toList();
    }

    static Element xml(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        assertThat(response.body()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
        return document.getDocumentElement();
    }

    static String text(Element parent, String name) {
        return parent.getElementsByTagName(name).item(0).getTextContent();
    }

    static String field(Struct record, String name) {
        return record.getFieldsOrThrow(name).getStringValue();
    }

    static Map<String, String> report(String reference) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("api_key", MinqingClient.PARTNER_KEY);
        form.put("service_code", "water");
        form.put("lat", "39.92");
        form.put("long", "116.44");
        form.put("address_string", "某街 3号楼");
        form.put("description", "No water since morning\nBuilding 3, all floors");
        form.put("first_name", "芳");
        form.put("last_name", "王");
        form.put("phone", "13800000000");
        form.put("attribute[district]", "chaoyang");
        form.put("attribute[partner_reference]", reference);
        return form;
    }

    static long storedEvents() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
    }

    @Test
    void theServiceListAndADefinitionComeFromTheRegisterInBothFormats() throws Exception {
        HttpResponse<String> services = get("services.json");
        assertThat(services.statusCode()).isEqualTo(200);
        Struct water = json(services).stream().filter(s -> field(s, "service_code").equals("water")).findFirst().orElseThrow();
        assertThat(field(water, "service_name")).isEqualTo("供水");
        assertThat(field(water, "group")).isEqualTo("市政公用");
        assertThat(field(water, "keywords")).contains("停水");
        assertThat(water.getFieldsOrThrow("metadata").getBoolValue()).isTrue();
        assertThat(field(water, "type")).isEqualTo("realtime");

        Element xml = xml(get("services.xml"));
        assertThat(xml.getTagName()).isEqualTo("services");
        assertThat(xml.getElementsByTagName("service").getLength()).isEqualTo(json(services).size());
        assertThat(text((Element) xml.getElementsByTagName("service").item(0), "service_code")).isNotEmpty();

        HttpResponse<String> definition = get("services/water.json");
        assertThat(definition.statusCode()).isEqualTo(200);
        Struct.Builder parsed = Struct.newBuilder();
        JsonFormat.parser().merge(definition.body(), parsed);
        assertThat(parsed.getFieldsOrThrow("attributes").getListValue().getValuesList())
                .extracting(v -> field(v.getStructValue(), "code")).containsExactly("district", "grid", "urgency", "partner_reference");
        Element definitionXml = xml(get("services/water.xml"));
        assertThat(definitionXml.getTagName()).isEqualTo("service_definition");
        assertThat(definitionXml.getElementsByTagName("attribute").getLength()).isEqualTo(4);
        assertThat(definitionXml.getElementsByTagName("value").getLength()).isEqualTo(4);

        HttpResponse<String> unknown = get("services/teleportation.json");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get(0).getFieldsOrThrow("code").getNumberValue()).isEqualTo(404);
        HttpResponse<String> unknownXml = get("services/teleportation.xml");
        assertThat(unknownXml.statusCode()).isEqualTo(404);
        assertThat(text(xml(unknownXml), "code")).isEqualTo("404");
    }

    @Test
    void aPartnerReportsReadsAndFollowsItsRequest() throws Exception {
        String reference = "FMS-" + UUID.randomUUID();
        HttpResponse<String> created = post("requests.json", report(reference));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = field(json(created).get(0), "service_request_id");
        long stored = storedEvents();
        HttpResponse<String> again = post("requests.xml", report(reference));
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(text(xml(again), "service_request_id")).as("a retry with the same reference").isEqualTo(id);
        assertThat(storedEvents()).isEqualTo(stored);

        Struct request = await("the request readable").atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> json(get("requests/" + id + ".json?api_key=" + MinqingClient.PARTNER_KEY)).get(0), r -> true);
        assertThat(field(request, "status")).isEqualTo("open");
        assertThat(field(request, "service_code")).isEqualTo("water");
        assertThat(field(request, "service_name")).isEqualTo("供水");
        assertThat(field(request, "description")).startsWith("No water since morning");
        assertThat(field(request, "status_notes")).contains("Reported");
        assertThat(field(request, "requested_datetime")).endsWith("Z");
        Element requestXml = xml(get("requests/" + id + ".xml?api_key=" + MinqingClient.PARTNER_KEY));
        assertThat(requestXml.getTagName()).isEqualTo("service_requests");
        assertThat(text(requestXml, "service_request_id")).isEqualTo(id);
        assertThat(text(requestXml, "status")).isEqualTo("open");

        try (MinqingClient centre = server.client(MinqingClient.DEV_KEY)) {
            centre.commands.acceptCase(AcceptCaseRequest.newBuilder().setName("cases/" + id)
                    .setRequestId(MinqingClient.requestId()).build());
            centre.awaitRevision("cases/" + id, 2);
        }
        List<Struct> open = json(get("requests.json?api_key=" + MinqingClient.PARTNER_KEY + "&service_code=water&status=open"));
        assertThat(open).extracting(r -> field(r, "service_request_id")).contains(id);
        assertThat(json(get("requests.json?api_key=" + MinqingClient.PARTNER_KEY + "&status=closed")))
                .extracting(r -> field(r, "service_request_id")).doesNotContain(id);
        assertThat(json(get("requests.json?api_key=" + MinqingClient.PARTNER_KEY + "&service_request_id=" + id + ",nope")))
                .extracting(r -> field(r, "service_request_id")).containsExactly(id);

        String since = URLEncoder.encode(Instant.now().minus(Duration.ofHours(1)).toString(), StandardCharsets.UTF_8);
        List<Struct> updates = json(get("servicerequestupdates.json?api_key=" + MinqingClient.PARTNER_KEY + "&start_date=" + since));
        assertThat(updates).filteredOn(u -> field(u, "service_request_id").equals(id))
                .extracting(u -> field(u, "update_id")).containsExactly(id + "/timelineEntries/0", id + "/timelineEntries/1");
        Element updatesXml = xml(get("servicerequestupdates.xml?api_key=" + MinqingClient.PARTNER_KEY + "&start_date=" + since));
        assertThat(updatesXml.getTagName()).isEqualTo("service_request_updates");
        assertThat(updatesXml.getElementsByTagName("request_update").getLength()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anotherPartnerDoesNotSeeTheRequest() throws Exception {
        String id = field(json(post("requests.json", report("FMS-" + UUID.randomUUID()))).get(0), "service_request_id");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> get("requests/" + id + ".json?api_key=" + MinqingClient.PARTNER_KEY).statusCode() == 200);
        HttpResponse<String> department = get("requests/" + id + ".json?api_key=minqing-dev-water-bureau");
        assertThat(department.statusCode()).as("a department the case is not dispatched to").isEqualTo(403);
    }

    @Test
    void refusalsAreInOpen311sErrorShapeAndCreateNothing() throws Exception {
        long before = storedEvents();
        Map<String, String> noKey = report("FMS-" + UUID.randomUUID());
        noKey.remove("api_key");
        expectError(post("requests.json", noKey), 403, "api_key");
        Map<String, String> badKey = report("FMS-" + UUID.randomUUID());
        badKey.put("api_key", "not-a-key");
        expectError(post("requests.json", badKey), 403, "invalid api_key");
        Map<String, String> noService = report("FMS-" + UUID.randomUUID());
        noService.remove("service_code");
        expectError(post("requests.json", noService), 400, "service_code");
        Map<String, String> unknownService = report("FMS-" + UUID.randomUUID());
        unknownService.put("service_code", "teleportation");
        expectError(post("requests.json", unknownService), 404, "teleportation");
        Map<String, String> noDistrict = report("FMS-" + UUID.randomUUID());
        noDistrict.remove("attribute[district]");
        expectError(post("requests.json", noDistrict), 400, "attribute[district]");
        Map<String, String> badLat = report("FMS-" + UUID.randomUUID());
        badLat.put("lat", "north");
        expectError(post("requests.json", badLat), 400, "lat");
        Map<String, String> nowhere = report("FMS-" + UUID.randomUUID());
        nowhere.remove("lat");
        nowhere.remove("long");
        nowhere.remove("address_string");
        expectError(post("requests.json", nowhere), 400, "location");
        Map<String, String> nobody = report("FMS-" + UUID.randomUUID());
        nobody.remove("first_name");
        nobody.remove("last_name");
        nobody.remove("phone");
        expectError(post("requests.json", nobody), 400, "first_name/last_name/phone");
        expectError(get("requests.json?api_key=" + MinqingClient.PARTNER_KEY + "&start_date=yesterday"), 400, "start_date");
        expectError(get("requests.json?api_key=" + MinqingClient.PARTNER_KEY + "&status=pending"), 400, "status");
        expectError(get("requests/nope.json?api_key=" + MinqingClient.PARTNER_KEY), 403, "");
        expectError(get("requests.json"), 403, "api_key");
        expectError(get("teleport.json"), 404, "no such resource");
        Map<String, String> huge = report("FMS-" + UUID.randomUUID());
        huge.put("description", "x".repeat(100_000));
        expectError(post("requests.json", huge), 413, "limit");
        HttpResponse<String> xmlError = post("requests.xml", unknownService);
        assertThat(xmlError.statusCode()).isEqualTo(404);
        assertThat(xml(xmlError).getTagName()).isEqualTo("errors");
        assertThat(storedEvents()).as("events stored by the refused requests").isEqualTo(before);
    }

    private static void expectError(HttpResponse<String> response, int status, String mentioned) throws Exception {
        assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(status);
        Struct error = json(response).get(0);
        assertThat(error.getFieldsOrThrow("code").getNumberValue()).isEqualTo(status);
        assertThat(field(error, "description")).contains(mentioned);
    }
}

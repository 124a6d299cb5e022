package org.minqing.edge.open311;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.protobuf.util.Timestamps;
import com.google.rpc.BadRequest;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.minqing.api.v1.Attachment;
import org.minqing.api.v1.Case;
import org.minqing.api.v1.CaseChange;
import org.minqing.api.v1.CaseCommandServiceGrpc;
import org.minqing.api.v1.CaseQueryServiceGrpc;
import org.minqing.api.v1.CaseState;
import org.minqing.api.v1.Category;
import org.minqing.api.v1.Citizen;
import org.minqing.api.v1.GeoPoint;
import org.minqing.api.v1.GetCaseRequest;
import org.minqing.api.v1.ListCasesRequest;
import org.minqing.api.v1.ListCasesResponse;
import org.minqing.api.v1.ListTimelineEntriesRequest;
import org.minqing.api.v1.ProtoTime;
import org.minqing.api.v1.Location;
import org.minqing.api.v1.ReportCaseRequest;
import org.minqing.api.v1.TimelineEntry;
import org.minqing.api.v1.Urgency;
import org.minqing.edge.AuthenticationInterceptor;
import org.minqing.edge.categories.CategoryRegister;
import org.minqing.edge.open311.Open311Documents.Document;
import org.minqing.edge.open311.Open311Documents.Format;

/**
 * Open311 GeoReport v2 (docs/open311.md) at {@code /open311/v2/}: the category register as the
 * service list, service requests as cases, mySociety's {@code servicerequestupdates}; JSON or XML
 * by the path's extension. Every case operation is a call to the gRPC services through the
 * in-process channel with the request's {@code api_key} as the caller's key, so the caller's role
 * and scope decide as everywhere; only the service list is open without a key.
 */
final class Open311Servlet extends HttpServlet {

    private static final Pattern PATH = Pattern.compile("/(services|requests|servicerequestupdates)(?:/([^/]+?))?\\.(json|xml)");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<CaseState> CLOSED = Set.of(CaseState.CASE_STATE_CLOSED, CaseState.CASE_STATE_REJECTED,
            CaseState.CASE_STATE_MERGED);
    private static final int MAX_REQUESTS = 1000;
    /** A report's form: a description of 5,000 characters and the rest fit well within it. */
    private static final long MAX_BODY = 64 * 1024;
    private static final Duration DEFAULT_WINDOW = Duration.ofDays(90);
    /** The gRPC request fields a refusal names, as the Open311 parameters a client sent. */
    private static final Map<String, String> PARAMETERS = Map.of(
            "location.district", "attribute[district]", "location.grid", "attribute[grid]",
            "partner_reference", "attribute[partner_reference]", "category", "service_code",
            "citizen", "first_name/last_name/phone", "citizen.phone", "phone", "citizen.name", "first_name/last_name",
            "attachments[0].uri", "media_url", "location.position", "lat/long", "location.address", "address_string");

    private final CategoryRegister register;
    private final Channel channel;
    private final Clock clock;

    Open311Servlet(CategoryRegister register, Channel channel, Clock clock) {
        this.register = register;
        this.channel = channel;
        this.clock = clock;
    }

    /** A request answered with Open311's error list. */
    private static final class Refused extends Exception {
        final int status;

        Refused(int status, String description) {
            super(description, null, false, false);
            this.status = status;
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        Matcher route = PATH.matcher(path);
        Format format = path.endsWith(".xml") ? Format.XML : Format.JSON;
        try {
            if (!route.matches()) {
                throw new Refused(404, "no such resource: " + path + " (services.json, services/{service_code}.json, "
                        + "requests.json, requests/{service_request_id}.json, servicerequestupdates.json; or .xml)");
            }
            format = route.group(3).equals("xml") ? Format.XML : Format.JSON;
            String resource = route.group(1);
            String id = route.group(2);
            boolean post = request.getMethod().equals("POST");
            if (!request.getMethod().equals("GET") && !(post && resource.equals("requests") && id == null)) {
                response.setHeader("Allow", resource.equals("requests") && id == null ? "GET, POST" : "GET");
                throw new Refused(405, request.getMethod() + " " + path + " is not served");
            }
            if (post && request.getContentLengthLong() > MAX_BODY) {
                throw new Refused(413, "the request body is over the limit of " + MAX_BODY + " bytes");
            }
            if (resource.equals("services")) {
                if (id == null) {
                    write(response, 200, format, services());
                } else {
                    writeDefinition(response, format, definition(id));
                }
            } else if (resource.equals("servicerequestupdates")) {
                write(response, 200, format, updates(request));
            } else if (post) {
                write(response, 201, format, report(request));
            } else if (id != null) {
                write(response, 200, format, new Document("service_requests", "request", List.of(request(caller(request), id))));
            } else {
                write(response, 200, format, requests(request));
            }
        } catch (Refused refused) {
            write(response, refused.status, format, new Document("errors", "error",
                    List.of(record("code", refused.status, "description", refused.getMessage()))));
        }
    }

    private Document services() {
        List<Map<String, Object>> services = new ArrayList<>();
        for (Category category : register.list(false)) {
            services.add(record("service_code", code(category), "service_name", category.getDisplayName(),
                    "description", category.getDescription().isEmpty() ? category.getEnglishName() : category.getDescription(),
                    "metadata", true, "type", "realtime", "keywords", String.join(", ", category.getKeywordsList()),
                    "group", category.getGroup()));
        }
        return new Document("services", "service", services);
    }

    /** What a report of this service takes beyond Open311's own fields: where, how urgent, the partner's reference. */
    private Map<String, Object> definition(String code) throws Refused {
        Category category = register.find(code).filter(c -> !c.getRetired())
                .orElseThrow(() -> new Refused(404, "service_code " + code + " is not in the register"));
        List<Map<String, Object>> urgencies = List.of(
                record("key", "normal", "name", "一般 (normal)"), record("key", "urgent", "name", "紧急 (urgent)"),
                record("key", "emergency", "name", "特急 (emergency)"), record("key", "complex", "name", "复杂 (complex)"));
        return record("service_code", code(category), "attributes", List.of(
                attribute("district", "string", true, 1, "The district (区) the problem is in, as Minqing's district codes", null),
                attribute("grid", "string", false, 2, "The grid (网格) within the district, if known", null),
                attribute("urgency", "singlevaluelist", false, 3, "How urgent (normal when not given)", urgencies),
                attribute("partner_reference", "string", false, 4,
                        "Your own reference for this report: a retry with the same reference returns the same request", null)));
    }

    private static Map<String, Object> attribute(String code, String datatype, boolean required, int order,
                                                 String description, List<Map<String, Object>> values) {
        Map<String, Object> attribute = record("variable", true, "code", code, "datatype", datatype,
                "required", required, "datatype_description", "", "order", order, "description", description);
        if (values != null) {
            attribute.put("values", values);
        }
        return attribute;
    }

    private Document report(HttpServletRequest request) throws Refused {
        Channel caller = caller(request);
        String code = required(request, "service_code");
        Category category = register.find(code).filter(c -> !c.getRetired())
                .orElseThrow(() -> new Refused(404, "service_code " + code + " is not in the register (GET services.json)"));
        Location.Builder location = Location.newBuilder()
                .setDistrict(text(request, "attribute[district]")).setGrid(text(request, "attribute[grid]"))
                .setAddress(text(request, "address_string"));
        String lat = request.getParameter("lat");
        String lon = request.getParameter("long");
        if ((lat == null) != (lon == null)) {
            throw new Refused(400, "lat and long go together");
        }
        if (lat != null) {
            location.setPosition(GeoPoint.newBuilder().setLatitude(number("lat", lat)).setLongitude(number("long", lon)));
        } else if (location.getAddress().isEmpty()) {
            throw new Refused(400, "a location is required: lat and long, or address_string");
        }
        String description = text(request, "description");
        String reference = text(request, "attribute[partner_reference]");
        String firstLine = description.lines().findFirst().orElse("").strip();
        ReportCaseRequest.Builder report = ReportCaseRequest.newBuilder()
                // a retry with the same reference is the same request; without one, each POST is a new one
                .setRequestId(reference.isEmpty() ? UUID.randomUUID().toString() : "open311-" + sha256(code + "\n" + reference))
                .setChannel(org.minqing.api.v1.Channel.CHANNEL_PARTNER_SYSTEM)
                .setPartnerReference(reference)
                .setCitizen(Citizen.newBuilder()
                        .setName((text(request, "first_name") + " " + text(request, "last_name")).strip())
                        .setPhone(text(request, "phone")))
                .setCategory(code)
                .setUrgency(urgency(text(request, "attribute[urgency]")))
                .setTitle(firstLine.isEmpty() ? category.getDisplayName() : firstLine.length() > 200 ? firstLine.substring(0, 200) : firstLine)
                .setDescription(description)
                .setLocation(location);
        String media = text(request, "media_url");
        if (!media.isEmpty()) {
            report.addAttachments(Attachment.newBuilder().setUri(media));
        }
        CaseChange change = call(() -> CaseCommandServiceGrpc.newBlockingStub(caller).withDeadlineAfter(30, TimeUnit.SECONDS)
                .reportCase(report.build()));
        return new Document("service_requests", "request", List.of(record(
                "service_request_id", change.getCase().substring("cases/".length()), "service_notice", "", "account_id", null)));
    }

    private Map<String, Object> request(Channel caller, String id) throws Refused {
        if (!ID.matcher(id).matches()) {
            throw new Refused(404, "service_request_id " + id + " not found");
        }
        Case found = call(() -> CaseQueryServiceGrpc.newBlockingStub(caller).withDeadlineAfter(30, TimeUnit.SECONDS)
                .getCase(GetCaseRequest.newBuilder().setName("cases/" + id).build()));
        List<TimelineEntry> timeline = call(() -> CaseQueryServiceGrpc.newBlockingStub(caller).withDeadlineAfter(30, TimeUnit.SECONDS)
                .listTimelineEntries(ListTimelineEntriesRequest.newBuilder().setParent(found.getName()).build()))
                .getTimelineEntriesList();
        return serviceRequest(found, timeline.isEmpty() ? "" : timeline.get(timeline.size() - 1).getSummary());
    }

    private Document requests(HttpServletRequest request) throws Refused {
        Channel caller = caller(request);
        List<Map<String, Object>> found = new ArrayList<>();
        String ids = request.getParameter("service_request_id");
        if (ids != null) {
            for (String id : ids.split(",")) {
                try {
                    found.add(request(caller, id.strip()));
                } catch (Refused notThere) {
                    if (notThere.status != 404 && notThere.status != 403) {
                        throw notThere;
                    }
                }
            }
            return new Document("service_requests", "request", found);
        }
        Instant end = date(request, "end_date");
        Instant start = date(request, "start_date");
        Instant to = end != null ? end : clock.instant().plusSeconds(1);
        Instant from = start != null ? start : to.minus(DEFAULT_WINDOW);
        if (!to.isAfter(from)) {
            throw new Refused(400, "end_date must be after start_date");
        }
        ListCasesRequest.Builder list = ListCasesRequest.newBuilder().setPageSize(MAX_REQUESTS)
                .setCategory(text(request, "service_code")).setReportTimeFrom(ProtoTime.timestamp(from)).setReportTimeTo(ProtoTime.timestamp(to));
        String status = request.getParameter("status");
        if (status != null) {
            List<CaseState> states = switch (status) {
                case "open" -> java.util.Arrays.stream(CaseState.values())
                        .filter(s -> s != CaseState.UNRECOGNIZED && s != CaseState.CASE_STATE_UNSPECIFIED && !CLOSED.contains(s)).toList();
                case "closed" -> List.copyOf(CLOSED);
                default -> throw new Refused(400, "status must be open or closed");
            };
            list.addAllStates(states);
        }
        ListCasesResponse cases = call(() -> CaseQueryServiceGrpc.newBlockingStub(caller).withDeadlineAfter(30, TimeUnit.SECONDS)
                .listCases(list.build()));
        cases.getCasesList().forEach(c -> found.add(serviceRequest(c, words(c.getState()))));
        return new Document("service_requests", "request", found);
    }

    /** mySociety's extension: every update (timeline entry) of the caller's requests in a window. */
    private Document updates(HttpServletRequest request) throws Refused {
        Channel caller = caller(request);
        Instant end = date(request, "end_date");
        Instant start = date(request, "start_date");
        Instant to = end != null ? end : clock.instant().plusSeconds(1);
        Instant from = start != null ? start : to.minus(Duration.ofDays(1));
        if (!to.isAfter(from)) {
            throw new Refused(400, "end_date must be after start_date");
        }
        ListCasesResponse changed = call(() -> CaseQueryServiceGrpc.newBlockingStub(caller).withDeadlineAfter(30, TimeUnit.SECONDS)
                .listCases(ListCasesRequest.newBuilder().setPageSize(MAX_REQUESTS).setUpdateTimeFrom(ProtoTime.timestamp(from))
                        .setOrderBy("update_time asc").build()));
        List<Map<String, Object>> updates = new ArrayList<>();
        for (Case c : changed.getCasesList()) {
            List<TimelineEntry> entries = call(() -> CaseQueryServiceGrpc.newBlockingStub(caller).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .listTimelineEntries(ListTimelineEntriesRequest.newBuilder().setParent(c.getName()).build()))
                    .getTimelineEntriesList();
            for (TimelineEntry entry : entries) {
                Instant at = ProtoTime.instant(entry.getEventTime());
                if (!at.isBefore(from) && at.isBefore(to)) {
                    updates.add(record("update_id", entry.getName().substring("cases/".length()),
                            "service_request_id", c.getName().substring("cases/".length()),
                            "status", closingEvent(entry.getEventType()) ? "closed" : "open",
                            "updated_datetime", Timestamps.toString(entry.getEventTime()),
                            "description", entry.getSummary(), "media_url", ""));
                }
            }
        }
        updates.sort(java.util.Comparator.comparing(u -> (String) u.get("updated_datetime")));
        return new Document("service_request_updates", "request_update", updates);
    }

    private Map<String, Object> serviceRequest(Case c, String notes) {
        Map<String, Object> request = record(
                "service_request_id", c.getName().substring("cases/".length()),
                "status", CLOSED.contains(c.getState()) ? "closed" : "open",
                "status_notes", notes,
                "service_name", register.find(c.getCategory()).map(Category::getDisplayName).orElse(c.getCategory()),
                "service_code", c.getCategory(),
                "description", c.getDescription(),
                "agency_responsible", c.getDepartment(),
                "service_notice", "",
                "requested_datetime", Timestamps.toString(c.getReportTime()),
                "updated_datetime", Timestamps.toString(c.getUpdateTime()),
                "expected_datetime", c.hasResolutionDeadline() ? Timestamps.toString(c.getResolutionDeadline()) : null);
        request.put("media_url", c.getAttachmentsCount() > 0 ? c.getAttachments(0).getUri() : "");
        return request;
    }

    /** The caller's channel: the in-process one with the request's api_key as its key. */
    private Channel caller(HttpServletRequest request) throws Refused {
        String key = request.getParameter("api_key");
        if (key == null || key.isBlank()) {
            throw new Refused(403, "api_key is required");
        }
        Metadata headers = new Metadata();
        headers.put(AuthenticationInterceptor.API_KEY, key);
        return io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** A gRPC refusal as an Open311 error: the status's HTTP code, the offending fields named as the client sent them. */
    private static <T> T call(java.util.function.Supplier<T> call) throws Refused {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            String description = e.getStatus().getDescription() == null ? code.name() : e.getStatus().getDescription();
            com.google.rpc.Status details = StatusProto.fromThrowable(e);
            if (details != null) {
                List<String> fields = new ArrayList<>();
                for (com.google.protobuf.Any detail : details.getDetailsList()) {
                    if (detail.is(BadRequest.class)) {
                        try {
                            detail.unpack(BadRequest.class).getFieldViolationsList().forEach(v -> fields.add(
                                    PARAMETERS.getOrDefault(v.getField(), v.getField()) + ": " + v.getDescription()));
                        } catch (com.google.protobuf.InvalidProtocolBufferException unreadable) {
                            // the description above still says it
                        }
                    }
                }
                if (!fields.isEmpty()) {
                    description = String.join("; ", fields);
                }
            }
            throw new Refused(switch (code) {
                case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
                case UNAUTHENTICATED, PERMISSION_DENIED -> 403;
                case NOT_FOUND -> 404;
                case ALREADY_EXISTS, ABORTED -> 409;
                case RESOURCE_EXHAUSTED -> 429;
                case UNAVAILABLE, DEADLINE_EXCEEDED -> 503;
                case UNIMPLEMENTED -> 501; // a process without the command or query role
                default -> 500;
            }, code == Status.Code.UNAUTHENTICATED ? "invalid api_key: " + description : description);
        }
    }

    private static String required(HttpServletRequest request, String name) throws Refused {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            throw new Refused(400, name + " is required");
        }
        return value.strip();
    }

    private static String text(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        return value == null ? "" : value.strip();
    }

    private static double number(String name, String value) throws Refused {
        try {
            double number = Double.parseDouble(value.strip());
            if (Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new Refused(400, name + " must be a decimal number (WGS84 degrees)");
    }

    private static Urgency urgency(String value) throws Refused {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "", "normal" -> Urgency.URGENCY_NORMAL;
            case "urgent" -> Urgency.URGENCY_URGENT;
            case "emergency" -> Urgency.URGENCY_EMERGENCY;
            case "complex" -> Urgency.URGENCY_COMPLEX;
            default -> throw new Refused(400, "attribute[urgency] must be normal, urgent, emergency or complex");
        };
    }

    private static Instant date(HttpServletRequest request, String name) throws Refused {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new Refused(400, name + " must be a W3C date and time with a zone, e.g. 2026-12-01T08:00:00+08:00");
        }
    }

    private static boolean closingEvent(String eventType) {
        return eventType.equals("minqing.v1.CaseClosed") || eventType.equals("minqing.v1.CaseRejected")
                || eventType.equals("minqing.v1.CaseMerged");
    }

    /** A state in words: CASE_STATE_IN_PROGRESS → in progress. */
    private static String words(CaseState state) {
        return state.name().substring("CASE_STATE_".length()).replace('_', ' ').toLowerCase(Locale.ROOT);
    }

    private static String code(Category category) {
        return category.getName().substring("categories/".length());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An ordered record from alternating names and values. */
    private static Map<String, Object> record(Object... namesAndValues) {
        Map<String, Object> record = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            record.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return record;
    }

    private static void write(HttpServletResponse response, int status, Format format, Document document) throws IOException {
        byte[] body = format == Format.JSON ? Open311Documents.json(document) : Open311Documents.xml(document);
        respond(response, status, format, body);
    }

    private static void writeDefinition(HttpServletResponse response, Format format, Map<String, Object> definition)
            throws IOException {
        byte[] body = format == Format.JSON ? Open311Documents.json(definition) : Open311Documents.xml("service_definition", definition);
        respond(response, 200, format, body);
    }

    private static void respond(HttpServletResponse response, int status, Format format, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType(format.contentType);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}

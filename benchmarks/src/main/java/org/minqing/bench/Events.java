package org.minqing.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import com.google.protobuf.Message;
import com.google.protobuf.util.Timestamps;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.minqing.api.v1.*;

/**
 * Deterministic events for bulk loading: the same seed always gives the same cases, ids, times and
 * metadata. Shapes and metadata are those the server records for the same commands.
 */
final class Events {

    static final Instant EPOCH = Instant.parse("2026-01-05T00:00:00Z");
    private static final String[] DEPARTMENTS = {"water-bureau", "power-bureau", "gas-bureau", "heating-bureau",
        "environment-bureau", "sanitation-bureau", "roads-bureau", "housing-bureau"};

    private Events() {
    }

    static String caseId(long seed, long n) {
        SplittableRandom r = new SplittableRandom(seed * 31 + n);
        return new UUID(r.nextLong(), r.nextLong()).toString();
    }

    /** Event {@code seq} of a case, with the server's metadata keys. */
    static GenericDomainEventMessage<Message> event(String caseId, long seq, Message payload, Instant at) {
        String requestId = caseId.substring(0, 8) + "-" + seq;
        Map<String, Object> metadata = Map.of(
                EventMetadata.ACTOR_ID, "dev",
                EventMetadata.ACTOR_ROLE, "dispatcher",
                EventMetadata.ACTOR_ORGANIZATION, "dev-console",
                EventMetadata.PARTNER_SYSTEM, "dev-console",
                EventMetadata.CORRELATION_ID, requestId,
                EventMetadata.CAUSATION_ID, requestId,
                EventMetadata.REQUEST_ID, requestId,
                EventMetadata.METHOD, "minqing.v1.CaseCommandService/" + payload.getDescriptorForType().getName());
        String eventId = UUID.nameUUIDFromBytes((caseId + "/" + seq).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
        return new GenericDomainEventMessage<>("Case", caseId, seq, payload, metadata, eventId, at);
    }

    static CaseReported reported(String caseId, long n, SplittableRandom r, Instant at) {
        String district = CaseRun.DISTRICTS[r.nextInt(CaseRun.DISTRICTS.length)];
        return CaseReported.newBuilder().setCaseId(caseId)
                .setChannel(r.nextInt(3) == 0 ? Channel.CHANNEL_WEB : Channel.CHANNEL_HOTLINE_12345)
                .setPartnerReference("BULK-" + n)
                .setCitizen(Citizen.newBuilder().setName("王芳").setPhone("138" + String.format("%08d", n % 100_000_000)))
                .setCategory(CaseRun.CATEGORIES[r.nextInt(CaseRun.CATEGORIES.length)])
                .setUrgency(Urgency.URGENCY_NORMAL)
                .setTitle("No water in building " + (n % 40) + " since morning")
                .setDescription("Residents have had no running water since 7am.")
                .setLocation(Location.newBuilder().setAddress("某街 " + (n % 200) + "号楼").setDistrict(district)
                        .setGrid(district + "-" + String.format("%03d", r.nextInt(40)))
                        .setPosition(GeoPoint.newBuilder().setLatitude(39.9).setLongitude(116.4)))
                .setReportTime(Timestamps.fromMillis(at.toEpochMilli()))
                .build();
    }

    /**
     * A case of the 1M data set: reported; every fourth case also accepted, every eighth also
     * dispatched, so state and department filters have something to select.
     */
    static List<GenericDomainEventMessage<Message>> bulkCase(long seed, long n) {
        String caseId = caseId(seed, n);
        SplittableRandom r = new SplittableRandom(seed ^ (n * 0x9E3779B97F4A7C15L));
        Instant at = EPOCH.plusSeconds(n * 3);
        List<GenericDomainEventMessage<Message>> events = new ArrayList<>(3);
        events.add(event(caseId, 0, reported(caseId, n, r, at), at));
        if (n % 4 == 0) {
            events.add(event(caseId, 1, CaseAccepted.newBuilder().setCaseId(caseId).build(), at.plusSeconds(60)));
        }
        if (n % 8 == 0) {
            Instant dispatched = at.plusSeconds(120);
            events.add(event(caseId, 2, CaseDispatched.newBuilder().setCaseId(caseId)
                    .setDepartment(DEPARTMENTS[(int) (n / 8 % DEPARTMENTS.length)]).setHandler("zhang-san")
                    .setDeadlines(Deadlines.newBuilder().setResponseLimit("24h").setResolutionLimit("7 working days")
                            .setResponseDeadline(Timestamps.fromMillis(dispatched.plusSeconds(86_400).toEpochMilli()))
                            .setResolutionDeadline(Timestamps.fromMillis(dispatched.plusSeconds(9 * 86_400).toEpochMilli())))
                    .build(), dispatched));
        }
        return events;
    }

    static GenericDomainEventMessage<Message> accepted(String caseId, Instant at) {
        return event(caseId, 1, CaseAccepted.newBuilder().setCaseId(caseId).build(), at);
    }

    static GenericDomainEventMessage<Message> note(String caseId, long seq, Instant at) {
        return event(caseId, seq, ProgressNoteAdded.newBuilder().setCaseId(caseId)
                .setNote("Called the property manager (" + seq + ")").build(), at);
    }
}

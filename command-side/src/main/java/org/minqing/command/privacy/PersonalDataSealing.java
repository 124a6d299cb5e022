package org.minqing.command.privacy;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BiFunction;

import com.google.protobuf.Message;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.minqing.api.v1.CaseReported;
import org.minqing.api.v1.Citizen;
import org.minqing.api.v1.EventMetadata;
import org.minqing.api.v1.PersonalDataCipher;
import org.minqing.api.v1.PersonalDataErased;
import org.minqing.privacy.DataKeys;
import org.minqing.privacy.Envelopes;
import org.minqing.privacy.PersonalFields;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The event bus's dispatch interceptor that keeps personal data out of the log. Axon applies it
 * as the unit of work prepares its commit, inside the command's transaction, to the events about
 * to be stored — after the case has applied them, so the case decides on what the command said.
 *
 * <ul>
 * <li>An event with personal fields has them sealed with its citizen's live data key: the
 * citizen named by the report's ID number or phone for {@code CaseReported} (recorded as the
 * case's citizen, in the same transaction), the case's recorded citizen for later events.
 * <li>{@code PersonalDataErased} gets the case's citizen named in it, destroys the citizen's keys
 * in the same transaction, so the event is stored if and only if the keys are gone, and queues the
 * citizen's other cases for theirs ({@link ErasureQueue}).
 * </ul>
 */
public class PersonalDataSealing implements MessageDispatchInterceptor<EventMessage<?>> {

    private final DataKeys keys;
    private final PersonalDataCipher cipher;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    public PersonalDataSealing(DataKeys keys, PersonalDataCipher cipher, JdbcTemplate jdbc, Clock clock) {
        this.keys = keys;
        this.cipher = cipher;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        return (index, message) -> message instanceof DomainEventMessage<?> domain
                && domain.getPayload() instanceof Message event ? intercept(domain, event) : message;
    }

    private EventMessage<?> intercept(DomainEventMessage<?> message, Message event) {
        if (event instanceof PersonalDataErased erasure) {
            PersonalDataErased erased = erasure.toBuilder()
                    .setCitizen(keys.citizenOfCase(message.getAggregateIdentifier()).orElse("")).build();
            erase(erased, message);
            return replacePayload(message, erased);
        }
        if (PersonalFields.envelope(event.getDescriptorForType()) == null) {
            return message;
        }
        String caseId = message.getAggregateIdentifier();
        String citizen = event instanceof CaseReported report
                ? keys.citizenOf(report.getCitizen(), caseId)
                : keys.citizenOfCase(caseId).orElseGet(() -> keys.citizenOf(Citizen.getDefaultInstance(), caseId));
        Message sealed = Envelopes.seal(event, keys.liveKeyOf(citizen), cipher);
        if (sealed == event) {
            return message;
        }
        keys.recordCase(caseId, citizen);
        return replacePayload(message, sealed);
    }

    private static EventMessage<?> replacePayload(DomainEventMessage<?> message, Message payload) {
        return new GenericDomainEventMessage<>(message.getType(), message.getAggregateIdentifier(),
                message.getSequenceNumber(), payload, message.getMetaData(), message.getIdentifier(),
                message.getTimestamp());
    }

    private void erase(PersonalDataErased erased, DomainEventMessage<?> message) {
        if (erased.getCitizen().isEmpty()) {
            return; // a case whose report predates sealing: no key to destroy
        }
        String by = String.valueOf(message.getMetaData().getOrDefault(EventMetadata.ACTOR_ID, ""));
        if (!keys.erase(erased.getCitizen(), by, erased.getReason())) {
            return; // erased before: the other cases were queued then
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        for (String other : keys.casesOf(erased.getCitizen())) {
            if (!other.equals(erased.getCaseId()) && jdbc.queryForObject(
                    "SELECT COUNT(*) FROM personal_data_erasure WHERE case_id = ?", Integer.class, other) == 0) {
                jdbc.update("""
                        INSERT INTO personal_data_erasure (case_id, citizen, reason, requested_by, request_time)
                        VALUES (?, ?, ?, ?, ?)""", other, erased.getCitizen(), erased.getReason(), by, now);
            }
        }
    }
}

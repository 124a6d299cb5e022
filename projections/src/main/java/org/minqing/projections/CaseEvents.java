package org.minqing.projections;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import org.axonframework.eventhandling.DomainEventMessage;

/** What every case event has in common, for handlers that take any event. */
public final class CaseEvents {

    private CaseEvents() {
    }

    /**
     * The case an event belongs to: its {@code case_id} field, which every minqing.v1 case event
     * has; the aggregate identifier for any that does not.
     */
    public static String caseId(Message event, DomainEventMessage<?> message) {
        FieldDescriptor field = event.getDescriptorForType().findFieldByName("case_id");
        if (field != null && field.getType() == FieldDescriptor.Type.STRING) {
            String id = (String) event.getField(field);
            if (!id.isEmpty()) {
                return id;
            }
        }
        return message.getAggregateIdentifier();
    }
}

package org.minqing.edge.audit;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import org.minqing.api.v1.AuditedEvent;
import org.minqing.api.v1.EventsProto;
import org.minqing.api.v1.SealedPersonalData;
import org.minqing.privacy.KeyStates;
import org.minqing.privacy.PersonalFields;

/** Says of each audited event with a sealed envelope whether its personal data still exists. */
final class SealedStates {

    private final KeyStates keys;

    SealedStates(KeyStates keys) {
        this.keys = keys;
    }

    AuditedEvent annotate(AuditedEvent event) {
        if (!event.hasEvent()) {
            return event;
        }
        String typeUrl = event.getEvent().getTypeUrl();
        String type = typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
        Descriptor descriptor = EventsProto.getDescriptor().getMessageTypes().stream()
                .filter(d -> d.getFullName().equals(type)).findFirst().orElse(null);
        FieldDescriptor envelope = descriptor == null ? null : PersonalFields.envelope(descriptor);
        if (envelope == null) {
            return event;
        }
        try {
            DynamicMessage decoded = DynamicMessage.parseFrom(descriptor, event.getEvent().getValue());
            if (!decoded.hasField(envelope)) {
                return event;
            }
            SealedPersonalData sealed = SealedPersonalData.parseFrom(((DynamicMessage) decoded.getField(envelope)).toByteString());
            return event.toBuilder().setPersonalData(keys.of(sealed.getKey())).build();
        } catch (InvalidProtocolBufferException e) {
            return event; // undecodable events are reported as such by the chain check
        }
    }
}

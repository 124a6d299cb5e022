package org.minqing.privacy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import org.minqing.api.v1.PersonalDataProto;
import org.minqing.api.v1.SealedPersonalData;

/**
 * Which fields of a message hold personal data, read from the contract: a field marked
 * {@code (minqing.v1.personal) = true}, or a message field whose own fields include one (a
 * {@code Location}'s address inside a {@code CaseReported}). An event type that has any carries
 * them sealed in its {@code personal_data} envelope.
 */
public final class PersonalFields {

    static final String ENVELOPE = "personal_data";

    private static final Map<Descriptor, Boolean> HOLDS = new ConcurrentHashMap<>();

    private PersonalFields() {
    }

    /** Whether messages of this type can hold personal data. */
    public static boolean holdsPersonalData(Descriptor type) {
        Boolean known = HOLDS.get(type);
        if (known == null) {
            HOLDS.put(type, false); // a type that nests itself is decided by its other fields
            known = type.getFields().stream().anyMatch(field -> isPersonal(field) || nestsPersonal(field));
            HOLDS.put(type, known);
        }
        return known;
    }

    /** The event type's envelope field; null when the type has none. */
    public static FieldDescriptor envelope(Descriptor type) {
        FieldDescriptor field = type.findFieldByName(ENVELOPE);
        return field != null && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                && field.getMessageType().equals(SealedPersonalData.getDescriptor()) ? field : null;
    }

    /** The message with only its personal fields set (and the messages that lead to them). */
    public static Message personalPart(Message message) {
        Message.Builder part = message.newBuilderForType();
        message.getAllFields().forEach((field, value) -> {
            if (isPersonal(field)) {
                part.setField(field, value);
            } else if (nestsPersonal(field)) {
                Message nested = personalPart((Message) value);
                if (!nested.equals(nested.getDefaultInstanceForType())) {
                    part.setField(field, nested);
                }
            }
        });
        return part.build();
    }

    /** The message without its personal fields and without an envelope. */
    public static Message withoutPersonalData(Message message) {
        Message.Builder rest = message.toBuilder();
        message.getAllFields().forEach((field, value) -> {
            if (isPersonal(field) || field.getName().equals(ENVELOPE) && envelope(message.getDescriptorForType()) != null) {
                rest.clearField(field);
            } else if (nestsPersonal(field)) {
                rest.setField(field, withoutPersonalData((Message) value));
            }
        });
        return rest.build();
    }

    private static boolean isPersonal(FieldDescriptor field) {
        return field.getOptions().getExtension(PersonalDataProto.personal);
    }

    /** A singular message field (repeated ones holding personal data are refused by the contract test). */
    private static boolean nestsPersonal(FieldDescriptor field) {
        return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()
                && !field.getMessageType().equals(SealedPersonalData.getDescriptor())
                && holdsPersonalData(field.getMessageType());
    }
}

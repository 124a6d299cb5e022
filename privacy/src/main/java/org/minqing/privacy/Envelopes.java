package org.minqing.privacy;

import java.security.GeneralSecurityException;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import org.minqing.api.v1.PersonalDataCipher;
import org.minqing.api.v1.PersonalDataState;
import org.minqing.api.v1.SealedPersonalData;

/**
 * Seals an event's personal fields into its {@code personal_data} envelope, and opens them again
 * for whoever may read them: with the data key while it lives, as empty fields once it is erased
 * or cannot be read.
 */
public class Envelopes {

    private final DataKeys keys;

    public Envelopes(DataKeys keys) {
        this.keys = keys;
    }

    /**
     * The event with its personal fields moved into its envelope, sealed with the key by the
     * cipher; the event itself when it has no envelope or no personal field set.
     */
    public static Message seal(Message event, DataKeys.Key key, PersonalDataCipher cipher) {
        FieldDescriptor envelope = PersonalFields.envelope(event.getDescriptorForType());
        if (envelope == null || event.hasField(envelope)) {
            return event;
        }
        Message personal = PersonalFields.personalPart(event);
        if (personal.equals(personal.getDefaultInstanceForType())) {
            return event;
        }
        String associatedData = associatedData(event, key.id());
        byte[] sealed = cipher == PersonalDataCipher.PERSONAL_DATA_CIPHER_SM4_GCM
                ? Aead.sealSm4(key.bytes(), personal.toByteArray(), associatedData)
                : Aead.seal(key.bytes(), personal.toByteArray(), associatedData);
        return PersonalFields.withoutPersonalData(event).toBuilder()
                .setField(envelope, SealedPersonalData.newBuilder().setKey(key.id()).setCipher(
                                cipher == PersonalDataCipher.PERSONAL_DATA_CIPHER_SM4_GCM ? cipher
                                        : PersonalDataCipher.PERSONAL_DATA_CIPHER_AES_256_GCM)
                        .setCiphertext(ByteString.copyFrom(sealed)).build())
                .build();
    }

    /**
     * The event with its personal fields back in place, or empty with the reason. An event without
     * an envelope is as it was stored (recorded before sealing, or with nothing personal).
     */
    public Opened open(Message event) {
        FieldDescriptor envelope = PersonalFields.envelope(event.getDescriptorForType());
        if (envelope == null || !event.hasField(envelope)) {
            return new Opened(event, PersonalDataState.PERSONAL_DATA_STATE_AVAILABLE);
        }
        SealedPersonalData sealed = (SealedPersonalData) event.getField(envelope);
        DataKeys.Opening opening = keys.open(sealed.getKey());
        Message without = PersonalFields.withoutPersonalData(event);
        if (opening.key() == null) {
            return new Opened(without, opening.state());
        }
        try {
            String associatedData = associatedData(event, sealed.getKey());
            byte[] personal = sealed.getCipher() == PersonalDataCipher.PERSONAL_DATA_CIPHER_SM4_GCM
                    ? Aead.openSm4(opening.key(), sealed.getCiphertext().toByteArray(), associatedData)
                    : Aead.open(opening.key(), sealed.getCiphertext().toByteArray(), associatedData);
            return new Opened(without.toBuilder().mergeFrom(personal).build(),
                    PersonalDataState.PERSONAL_DATA_STATE_AVAILABLE);
        } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
            keys.reportDamaged(sealed.getKey(), "the envelope of a " + event.getDescriptorForType().getName()
                    + " does not open: " + e.getMessage());
            return new Opened(without, PersonalDataState.PERSONAL_DATA_STATE_UNAVAILABLE);
        }
    }

    private static String associatedData(Message event, String keyId) {
        return event.getDescriptorForType().getFullName() + "\n" + keyId;
    }

    /** An event as its reader may see it, and whether its personal data could be opened. */
    public record Opened(Message event, PersonalDataState state) {

        @SuppressWarnings("unchecked")
        public <T extends Message> T as(Class<T> type) {
            return (T) event;
        }
    }
}

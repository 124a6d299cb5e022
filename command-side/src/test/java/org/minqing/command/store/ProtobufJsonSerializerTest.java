package org.minqing.command.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.google.protobuf.util.Timestamps;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseDispatched;
import org.minqing.api.v1.Deadlines;
import org.minqing.api.v1.EventsProto;

class ProtobufJsonSerializerTest {

    private final ProtobufJsonSerializer serializer = new ProtobufJsonSerializer(
            new EventStoreConfiguration().serializer(), List.of(EventsProto.getDescriptor()));

    private final CaseDispatched event = CaseDispatched.newBuilder()
            .setCaseId("c-1").setDepartment("water-bureau").setHandler("张三")
            .setDeadlines(Deadlines.newBuilder().setResolutionLimit("7 working days")
                    .setResolutionDeadline(Timestamps.parseUnchecked("2026-12-01T16:00:00Z")))
            .build();

    @Test
    void storesAnEventAsCompactCanonicalJsonTypedByItsProtobufName() {
        SerializedObject<byte[]> stored = serializer.serialize(event, byte[].class);
        assertThat(stored.getType().getName()).isEqualTo("minqing.v1.CaseDispatched");
        assertThat(stored.getType().getRevision()).isNull();
        assertThat(new String(stored.getData(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"caseId\":\"c-1\",\"department\":\"water-bureau\",\"handler\":\"张三\","
                        + "\"deadlines\":{\"resolutionLimit\":\"7 working days\","
                        + "\"resolutionDeadline\":\"2026-12-01T16:00:00Z\"}}");
    }

    @Test
    void readsBackTheSameEventAndTheSameBytes() {
        SerializedObject<byte[]> stored = serializer.serialize(event, byte[].class);
        CaseDispatched read = serializer.deserialize(stored);
        assertThat(read).isEqualTo(event);
        assertThat(serializer.serialize(read, byte[].class).getData()).isEqualTo(stored.getData());
        assertThat(serializer.classForType(stored.getType())).isEqualTo(CaseDispatched.class);
    }

    @Test
    void ignoresFieldsAddedByANewerVersionOfTheContract() {
        byte[] newer = "{\"caseId\":\"c-1\",\"department\":\"d\",\"fieldFromTheFuture\":42}"
                .getBytes(StandardCharsets.UTF_8);
        CaseDispatched read = serializer.deserialize(new SimpleSerializedObject<>(newer, byte[].class,
                new SimpleSerializedType("minqing.v1.CaseDispatched", null)));
        assertThat(read.getDepartment()).isEqualTo("d");
    }

    @Test
    void leavesEverythingElseToTheDelegateWithSortedKeys() {
        MetaData metaData = MetaData.from(Map.of("zeta", "1", "alpha", "2", "actorId", "dev"));
        SerializedObject<byte[]> stored = serializer.serialize(metaData, byte[].class);
        assertThat(new String(stored.getData(), StandardCharsets.UTF_8))
                .isEqualTo("{\"actorId\":\"dev\",\"alpha\":\"2\",\"zeta\":\"1\"}");
        MetaData read = serializer.deserialize(stored);
        assertThat(read).isEqualTo(metaData);
    }
}

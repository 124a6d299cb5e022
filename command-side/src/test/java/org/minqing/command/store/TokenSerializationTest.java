package org.minqing.command.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** Tracking tokens go through the JSON serializer into token_entry and must come back intact. */
class TokenSerializationTest {

    private final Serializer serializer = new EventStoreConfiguration().serializer();

    private TrackingToken roundTrip(TrackingToken token) {
        SerializedObject<byte[]> stored = serializer.serialize(token, byte[].class);
        return serializer.deserialize(stored);
    }

    @Test
    void gapAwareTokensSurvive() {
        TrackingToken token = GapAwareTrackingToken.newInstance(42, List.of(40L, 41L));
        assertThat(roundTrip(token)).isEqualTo(token);
    }

    @Test
    void replayTokensSurviveSoThatAProcessorCanBeResetAndRebuilt() {
        TrackingToken token = ReplayToken.createReplayToken(GapAwareTrackingToken.newInstance(100, List.of()),
                GapAwareTrackingToken.newInstance(7, List.of()));
        assertThat(roundTrip(token)).isEqualTo(token);
    }

    @Test
    void replayTokensOfKurrentDbPositionsSurvive() {
        TrackingToken position = new org.minqing.command.store.kurrentdb.KurrentDbTrackingToken(1200, 1100);
        TrackingToken token = ReplayToken.createReplayToken(position,
                new org.minqing.command.store.kurrentdb.KurrentDbTrackingToken(300, 300));
        assertThat(roundTrip(token)).isEqualTo(token);
    }
}

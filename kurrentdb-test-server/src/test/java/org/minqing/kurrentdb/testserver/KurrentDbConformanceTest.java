package org.minqing.kurrentdb.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import io.grpc.Metadata;
import io.grpc.Status;
import io.kurrent.dbclient.AppendToStreamOptions;
import io.kurrent.dbclient.EventData;
import io.kurrent.dbclient.EventDataBuilder;
import io.kurrent.dbclient.KurrentDBClient;
import io.kurrent.dbclient.KurrentDBConnectionString;
import io.kurrent.dbclient.Position;
import io.kurrent.dbclient.ReadAllOptions;
import io.kurrent.dbclient.ReadStreamOptions;
import io.kurrent.dbclient.RecordedEvent;
import io.kurrent.dbclient.ResolvedEvent;
import io.kurrent.dbclient.StreamMetadata;
import io.kurrent.dbclient.StreamNotFoundException;
import io.kurrent.dbclient.StreamState;
import io.kurrent.dbclient.WrongExpectedVersionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the engine relies on a KurrentDB server to do, written from the server's documented
 * behaviour and checked through the real client: against the protocol test server in every build,
 * and, unchanged, against a real server when {@code KURRENTDB_CONNECTION_STRING} names one
 * (docs/eventstoredb.md, "Checking against a real server"). Every test writes streams of its own
 * (fresh names), so a shared, non-empty server does; nothing here sets a test-server knob.
 */
class KurrentDbConformanceTest {

    KurrentDbTestServer testServer;
    KurrentDBClient client;
    /** Unique to the test: stream names start with it. */
    String prefix;

    @BeforeEach
    void connect() {
        String real = System.getenv("KURRENTDB_CONNECTION_STRING");
        if (real == null || real.isBlank()) {
            testServer = KurrentDbTestServer.start();
        }
        client = KurrentDBClient.create(KurrentDBConnectionString.parseOrThrow(
                testServer != null ? testServer.connectionString() : real));
        prefix = "conformance-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    @AfterEach
    void disconnect() throws Exception {
        client.shutdown().get();
        if (testServer != null) {
            testServer.close();
        }
    }

    private static EventData event(UUID id, String type) {
        return EventDataBuilder.json(id, type, "{}".getBytes(StandardCharsets.UTF_8)).build();
    }

    private List<RecordedEvent> read(String stream) throws Exception {
        return client.readStream(stream, ReadStreamOptions.get()).get().getEvents().stream()
                .map(ResolvedEvent::getOriginalEvent).toList();
    }

    @Test
    void theSameAppendAtTheSameExpectedStateIsIdempotentAndADifferentOneConflicts() throws Exception {
        String s = prefix + "s";
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        AppendToStreamOptions fresh = AppendToStreamOptions.get().streamState(StreamState.noStream());
        client.appendToStream(s, fresh, event(a, "A"), event(b, "B")).get();

        assertThat(client.appendToStream(s, fresh, event(a, "A"), event(b, "B")).get()
                .getNextExpectedRevision().toRawLong()).isEqualTo(1);
        assertThat(read(s)).hasSize(2);
        assertThatThrownBy(() -> client.appendToStream(s, fresh, event(UUID.randomUUID(), "C")).get())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WrongExpectedVersionException.class);
        assertThatThrownBy(() -> client.appendToStream(s, AppendToStreamOptions.get().streamState(
                StreamState.streamRevision(0)), event(UUID.randomUUID(), "C")).get())
                .hasCauseInstanceOf(WrongExpectedVersionException.class);
        assertThat(read(s)).extracting(RecordedEvent::getEventType).containsExactly("A", "B");
    }

    @Test
    void aResentAppendIsAnsweredAsTheOriginalWasEvenAfterTheStreamGrew() throws Exception {
        String r = prefix + "r";
        UUID a = UUID.randomUUID();
        AppendToStreamOptions fresh = AppendToStreamOptions.get().streamState(StreamState.noStream());
        long original = client.appendToStream(r, fresh, event(a, "A")).get().getNextExpectedRevision().toRawLong();
        client.appendToStream(r, AppendToStreamOptions.get().streamState(StreamState.streamRevision(0)),
                event(UUID.randomUUID(), "B"), event(UUID.randomUUID(), "C")).get();

        assertThat(client.appendToStream(r, fresh, event(a, "A")).get().getNextExpectedRevision().toRawLong())
                .isEqualTo(original).isZero();
        assertThat(read(r)).hasSize(3);
    }

    @Test
    void aStreamReadShowsOnlyTheLastMaxCountEventsOnceItsMetadataSetsThem() throws Exception {
        String kept = prefix + "kept";
        for (int i = 0; i < 5; i++) {
            client.appendToStream(kept, event(UUID.randomUUID(), "E" + i)).get();
        }
        StreamMetadata metadata = new StreamMetadata();
        metadata.setMaxCount(2L);
        client.setStreamMetadata(kept, metadata).get();

        assertThat(read(kept)).extracting(RecordedEvent::getEventType).containsExactly("E3", "E4");
        assertThat(client.readStream(kept, ReadStreamOptions.get().backwards().fromEnd()).get().getEvents())
                .extracting(e -> e.getOriginalEvent().getEventType()).containsExactly("E4", "E3");
        assertThat(read(kept)).extracting(RecordedEvent::getRevision).containsExactly(3L, 4L);
        client.appendToStream(kept, event(UUID.randomUUID(), "E5")).get();
        assertThat(read(kept)).extracting(RecordedEvent::getEventType).containsExactly("E4", "E5");
    }

    @Test
    void aMissingStreamIsNotFoundAndStreamsReadBackwards() throws Exception {
        assertThatThrownBy(() -> read(prefix + "missing")).hasCauseInstanceOf(StreamNotFoundException.class);
        String t = prefix + "t";
        client.appendToStream(t, event(UUID.randomUUID(), "1"), event(UUID.randomUUID(), "2")).get();

        assertThat(client.readStream(t, ReadStreamOptions.get().backwards().fromEnd().maxCount(1)).get()
                .getEvents()).extracting(e -> e.getOriginalEvent().getEventType()).containsExactly("2");
    }

    @Test
    void allIsReadForwardsFromAnEventsPositionInclusively() throws Exception {
        String u = prefix + "u";
        client.appendToStream(u, event(UUID.randomUUID(), "1"), event(UUID.randomUUID(), "2")).get();
        List<RecordedEvent> latest = client.readAll(ReadAllOptions.get().backwards().fromEnd().maxCount(50)).get()
                .getEvents().stream().map(ResolvedEvent::getOriginalEvent)
                .filter(event -> event.getStreamId().equals(u)).toList();
        assertThat(latest).extracting(RecordedEvent::getEventType).containsExactly("2", "1");
        Position first = latest.get(1).getPosition();

        assertThat(client.readAll(ReadAllOptions.get().fromPosition(first).maxCount(50)).get().getEvents().stream()
                .map(ResolvedEvent::getOriginalEvent).filter(event -> event.getStreamId().equals(u)))
                .extracting(RecordedEvent::getEventType).containsExactly("1", "2");
    }

    @Test
    void anAppendOverTheServersMaximumAppendSizeIsRefusedNamingTheLimit() throws Exception {
        String m = prefix + "m";
        byte[] large = new byte[(1 << 20) + 1]; // over the default MaxAppendSize of 1 MiB
        java.util.Arrays.fill(large, (byte) 'x');
        EventData tooLarge = EventDataBuilder.binary(UUID.randomUUID(), "Large", large).build();

        assertThatThrownBy(() -> client.appendToStream(m, tooLarge).get())
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> {
                    assertThat(Status.fromThrowable(e.getCause()).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    Metadata trailers = Status.trailersFromThrowable(e.getCause());
                    assertThat(trailers.get(Metadata.Key.of("exception", Metadata.ASCII_STRING_MARSHALLER)))
                            .isEqualTo("maximum-append-size-exceeded");
                    assertThat(trailers.get(Metadata.Key.of("maximum-append-size", Metadata.ASCII_STRING_MARSHALLER)))
                            .matches("[0-9]+");
                });
        assertThatThrownBy(() -> read(m)).as("nothing written").hasCauseInstanceOf(StreamNotFoundException.class);
    }
}

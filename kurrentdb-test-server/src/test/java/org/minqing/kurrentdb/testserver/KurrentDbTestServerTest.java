package org.minqing.kurrentdb.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

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
import io.kurrent.dbclient.StreamNotFoundException;
import io.kurrent.dbclient.StreamState;
import io.kurrent.dbclient.WrongExpectedVersionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The test server's documented semantics, checked through the real client. */
class KurrentDbTestServerTest {

    KurrentDbTestServer server;
    KurrentDBClient client;

    @BeforeEach
    void start() {
        server = KurrentDbTestServer.start();
        client = KurrentDBClient.create(KurrentDBConnectionString.parseOrThrow(server.connectionString()));
    }

    @AfterEach
    void stop() throws Exception {
        client.shutdown().get();
        server.close();
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
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        AppendToStreamOptions fresh = AppendToStreamOptions.get().streamState(StreamState.noStream());
        client.appendToStream("s", fresh, event(a, "A"), event(b, "B")).get();

        assertThat(client.appendToStream("s", fresh, event(a, "A"), event(b, "B")).get()
                .getNextExpectedRevision().toRawLong()).isEqualTo(1);
        assertThat(read("s")).hasSize(2);
        assertThatThrownBy(() -> client.appendToStream("s", fresh, event(UUID.randomUUID(), "C")).get())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WrongExpectedVersionException.class);
        assertThatThrownBy(() -> client.appendToStream("s", AppendToStreamOptions.get().streamState(
                StreamState.streamRevision(0)), event(UUID.randomUUID(), "C")).get())
                .hasCauseInstanceOf(WrongExpectedVersionException.class);
        assertThat(read("s")).extracting(RecordedEvent::getEventType).containsExactly("A", "B");
    }

    @Test
    void aMissingStreamIsNotFoundAndStreamsReadBackwards() throws Exception {
        assertThatThrownBy(() -> read("missing")).hasCauseInstanceOf(StreamNotFoundException.class);
        client.appendToStream("t", event(UUID.randomUUID(), "1"), event(UUID.randomUUID(), "2")).get();

        assertThat(client.readStream("t", ReadStreamOptions.get().backwards().fromEnd().maxCount(1)).get()
                .getEvents()).extracting(e -> e.getOriginalEvent().getEventType()).containsExactly("2");
    }

    @Test
    void allIsReadFromAnEventBoundaryInclusivelyAndOtherPositionsAreRefused() throws Exception {
        client.appendToStream("u", event(UUID.randomUUID(), "1"), event(UUID.randomUUID(), "2")).get();
        List<RecordedEvent> all = client.readAll(ReadAllOptions.get()).get().getEvents().stream()
                .map(ResolvedEvent::getOriginalEvent).toList();
        assertThat(all).extracting(RecordedEvent::getStreamId).containsExactly("$stats-127.0.0.1:2113", "u", "u");
        Position second = all.get(1).getPosition();

        assertThat(client.readAll(ReadAllOptions.get().fromPosition(second)).get().getEvents())
                .extracting(e -> e.getOriginalEvent().getEventType()).containsExactly("1", "2");
        Position between = new Position(second.getCommitUnsigned() + 1, second.getPrepareUnsigned() + 1);
        assertThatThrownBy(() -> client.readAll(ReadAllOptions.get().fromPosition(between)).get())
                .isInstanceOf(ExecutionException.class);
    }
}

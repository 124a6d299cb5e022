package org.minqing.edge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.stub.ServerCallStreamObserver;
import org.junit.jupiter.api.Test;

/** A slow client holds the read: nothing is read from the log while the transport is not ready. */
class FlowControlTest {

    @Test
    void readsOnlyWhatTheClientCanTakeAndResumesWhenItIsReadyAgain() {
        AtomicInteger read = new AtomicInteger();
        Iterator<Integer> log = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return read.get() < 1_000;
            }

            @Override
            public Integer next() {
                return read.incrementAndGet();
            }
        };
        SlowClient client = new SlowClient(3);
        AtomicBoolean closed = new AtomicBoolean();

        FlowControl.stream(client, log, () -> closed.set(true));

        assertThat(client.received).hasSize(3);
        assertThat(read.get()).as("nothing read ahead of the client").isEqualTo(3);
        client.take(500);
        assertThat(read.get()).isEqualTo(503);
        assertThat(client.completed).isFalse();
        client.take(1_000);
        assertThat(client.received).hasSize(1_000);
        assertThat(client.completed).isTrue();
        assertThat(closed).isTrue();
    }

    @Test
    void aCancelledCallClosesTheReadAndStopsSending() {
        SlowClient client = new SlowClient(2);
        AtomicBoolean closed = new AtomicBoolean();
        FlowControl.stream(client, List.of(1, 2, 3, 4).iterator(), () -> closed.set(true));

        client.onCancel.run();
        client.take(10);

        assertThat(closed).isTrue();
        assertThat(client.received).hasSize(2);
    }

    /** A client whose transport buffer takes {@code room} more messages at a time. */
    private static final class SlowClient extends ServerCallStreamObserver<Integer> {
        final List<Integer> received = new ArrayList<>();
        int room;
        boolean completed;
        Runnable onReady;
        Runnable onCancel;

        SlowClient(int room) {
            this.room = room;
        }

        void take(int more) {
            room += more;
            onReady.run();
        }

        @Override
        public boolean isReady() {
            return room > 0;
        }

        @Override
        public void onNext(Integer value) {
            room--;
            received.add(value);
        }

        @Override
        public void onError(Throwable t) {
            throw new AssertionError(t);
        }

        @Override
        public void onCompleted() {
            completed = true;
        }

        @Override
        public void setOnReadyHandler(Runnable handler) {
            onReady = handler;
        }

        @Override
        public void setOnCancelHandler(Runnable handler) {
            onCancel = handler;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void setCompression(String compression) {
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }

        @Override
        public void request(int count) {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }
    }
}

package org.minqing.edge.audit;

import java.util.Iterator;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.minqing.edge.Responses;

/**
 * Sends a lazily read source to a server stream only as fast as the client takes it: the next
 * item is read only while the transport is ready, so a slow auditor holds the read, not the
 * server's memory. Must be started from the RPC method itself (before it returns).
 */
final class FlowControl {

    private FlowControl() {
    }

    static <T> void stream(StreamObserver<T> out, Iterator<T> source, Runnable close) {
        ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) out;
        Object lock = new Object();
        boolean[] done = {false};
        Runnable finish = () -> {
            done[0] = true;
            close.run();
        };
        call.setOnCancelHandler(() -> {
            synchronized (lock) {
                if (!done[0]) {
                    finish.run();
                }
            }
        });
        Runnable pump = () -> {
            synchronized (lock) {
                if (done[0]) {
                    return;
                }
                try {
                    while (call.isReady() && !done[0]) {
                        if (!source.hasNext()) {
                            finish.run();
                            call.onCompleted();
                            return;
                        }
                        call.onNext(source.next());
                    }
                } catch (RuntimeException e) {
                    finish.run();
                    call.onError(Responses.toStatus(e));
                }
            }
        };
        call.setOnReadyHandler(pump);
        pump.run();
    }
}

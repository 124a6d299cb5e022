package org.minqing.edge.queries;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.grpc.stub.ServerCallStreamObserver;
import org.awaitility.Awaitility;

/**
 * What a gRPC server call would see of a service's responses, with a client that can cancel
 * and that can stop and resume taking messages (flow control).
 */
final class RecordingObserver<T> extends ServerCallStreamObserver<T> {

    final List<T> values = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Throwable error;
    private volatile boolean completed;
    private volatile boolean ready = true;
    /** How often the stream asked whether it may send: each poll with something to send asks. */
    final java.util.concurrent.atomic.AtomicInteger readinessChecks = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean cancelled;
    private volatile Runnable onCancel = () -> { };
    private volatile Runnable onReady = () -> { };

    @Override
    public void onNext(T value) {
        values.add(value);
    }

    @Override
    public void onError(Throwable t) {
        error = t;
        closed.countDown();
    }

    @Override
    public void onCompleted() {
        completed = true;
        closed.countDown();
    }

    T single() {
        if (error instanceof RuntimeException e) {
            throw e;
        }
        if (!completed || values.size() != 1) {
            throw new AssertionError("expected one response and completion, got " + values + " completed=" + completed);
        }
        return values.get(0);
    }

    Throwable error() {
        return error;
    }

    boolean isCompleted() {
        return completed;
    }

    boolean awaitClose(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void awaitValues(int count) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> values.size() >= count);
    }

    /** The client cancels (or its deadline passes). */
    void cancel() {
        cancelled = true;
        onCancel.run();
    }

    /** The client stops or resumes taking messages. */
    void setReady(boolean ready) {
        this.ready = ready;
        if (ready) {
            onReady.run();
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void setOnCancelHandler(Runnable handler) {
        onCancel = handler;
    }

    @Override
    public boolean isReady() {
        readinessChecks.incrementAndGet();
        return ready;
    }

    @Override
    public void setOnReadyHandler(Runnable handler) {
        onReady = handler;
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

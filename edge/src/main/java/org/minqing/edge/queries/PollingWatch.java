package org.minqing.edge.queries;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live stream served by polling: a periodic task on the shared scheduler, so no thread waits on
 * a stream between polls. It stops when the client cancels, when {@link #poll()} finishes it, or
 * when a read fails (UNAVAILABLE, saying where to watch again from); each way runs {@code onStop}.
 */
abstract class PollingWatch<T> implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(PollingWatch.class);

    protected final ServerCallStreamObserver<T> observer;
    private final Runnable onStop;
    private volatile boolean finished;
    private volatile ScheduledFuture<?> polling;

    /** @param onStop run when the stream ends, however it ends (it may run more than once) */
    PollingWatch(ServerCallStreamObserver<T> observer, Runnable onStop) {
        this.observer = observer;
        this.onStop = onStop;
    }

    /** Starts polling; call from the service method (gRPC allows handlers only to be set there). */
    public void start(ScheduledExecutorService scheduler, Duration interval) {
        observer.setOnCancelHandler(this::stop);
        polling = scheduler.scheduleWithFixedDelay(this, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** One round: send what is new while {@code observer.isReady()}; {@link #complete()} to end the stream. */
    protected abstract void poll();

    /** What the client is told when a read fails: what could not be read and how to watch again. */
    protected abstract String unavailable();

    /** This stream, as the log names it. */
    @Override
    public abstract String toString();

    protected boolean isFinished() {
        return finished;
    }

    /** Ends the stream normally. */
    protected void complete() {
        stop();
        observer.onCompleted();
    }

    @Override
    public final synchronized void run() {
        if (finished || observer.isCancelled()) {
            stop();
            return;
        }
        try {
            poll();
        } catch (RuntimeException e) {
            log.warn("{} failed", this, e);
            stop();
            observer.onError(Status.UNAVAILABLE.withDescription(unavailable()).withCause(e).asRuntimeException());
        }
    }

    private void stop() {
        finished = true;
        ScheduledFuture<?> task = polling;
        if (task != null) {
            task.cancel(false);
        }
        onStop.run();
    }
}

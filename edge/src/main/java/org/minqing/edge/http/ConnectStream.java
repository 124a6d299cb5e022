package org.minqing.edge.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server stream of the HTTP face: each answer of the gRPC call written as an envelope as it
 * comes (the next asked for once it is out), then the end-of-stream envelope. Over HTTP/1.1 a client
 * that goes away is seen only when a write fails, so a stream also ends at its maximum duration
 * (with {@code unavailable}: open it again, as after a gRPC connection's renewal); until then it
 * holds one of the caller's watch slots.
 */
final class ConnectStream extends ClientCall.Listener<byte[]> implements AsyncListener {

    /** Writes an answer's bytes in the stream's format (JSON or protobuf). */
    interface Encoder {
        byte[] encode(byte[] answer) throws IOException;
    }

    /** Writes the end-of-stream message of a status and its trailers. */
    interface Ending {
        byte[] end(Status status, Metadata trailers) throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(ConnectStream.class);
    static final int MESSAGE = 0;
    static final int END_OF_STREAM = 2;

    private final String method;
    private final HttpServletResponse response;
    private final AsyncContext async;
    private final ClientCall<byte[], byte[]> call;
    private final Encoder encoder;
    private final Ending ending;
    private final Duration maxDuration;
    private final OutputStream out;
    private boolean ended; // guarded by this: the call's thread and the container's both end streams

    ConnectStream(String method, HttpServletResponse response, AsyncContext async, ClientCall<byte[], byte[]> call,
                  Encoder encoder, Ending ending, Duration maxDuration) throws IOException {
        this.method = method;
        this.response = response;
        this.async = async;
        this.call = call;
        this.encoder = encoder;
        this.ending = ending;
        this.maxDuration = maxDuration;
        this.out = response.getOutputStream();
        async.setTimeout(maxDuration.toMillis());
        async.addListener(this);
    }

    /** Starts the call with its one request message. */
    void start(byte[] request, Metadata headers) {
        call.start(this, headers);
        call.sendMessage(request);
        call.halfClose();
        call.request(1);
    }

    @Override
    public synchronized void onHeaders(Metadata headers) {
        ConnectServlet.copy(headers, response, "");
    }

    @Override
    public void onMessage(byte[] answer) {
        byte[] encoded;
        try {
            encoded = encoder.encode(answer);
        } catch (IOException unprintable) {
            log.error("an answer of {} could not be written", method, unprintable);
            call.cancel("an answer could not be written", unprintable);
            return;
        }
        synchronized (this) {
            if (ended) {
                return;
            }
            try {
                envelope(out, MESSAGE, encoded);
                out.flush();
            } catch (IOException gone) {
                log.debug("the HTTP client of {} went away: {}", method, gone.toString());
                call.cancel("the HTTP client went away", null);
                return;
            }
        }
        call.request(1);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
        end(status, trailers);
    }

    /** The stream's time is up: it ends here, and the call is cancelled. */
    @Override
    public void onTimeout(AsyncEvent event) {
        end(Status.UNAVAILABLE.withDescription("this HTTP stream reached its maximum duration of " + maxDuration
                + " (minqing.http.max-stream-duration): open it again; a watch or export resumes from where it got to"), null);
        call.cancel("the HTTP stream reached its maximum duration", null);
    }

    @Override
    public void onError(AsyncEvent event) {
        call.cancel("the HTTP client went away", null);
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }

    private synchronized void end(Status status, Metadata trailers) {
        if (ended) {
            return;
        }
        ended = true;
        try {
            envelope(out, END_OF_STREAM, ending.end(status, trailers));
            out.flush();
        } catch (IOException gone) {
            log.debug("the HTTP client of {} went away before the end of the stream", method);
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException over) {
                // the container ended the request first (its client went away)
            }
        }
    }

    static void envelope(OutputStream out, int flags, byte[] message) throws IOException {
        out.write(ByteBuffer.allocate(5 + message.length).put((byte) flags).putInt(message.length).put(message).array());
    }
}

package org.minqing.kurrentdb.testserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kurrent.dbclient.proto.shared.Shared;
import io.kurrent.dbclient.proto.streams.StreamsGrpc;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.AppendReq;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.AppendResp;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.ReadReq;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.ReadResp;

/**
 * The {@code Streams} service over an {@link EventLog}: appends with expected-state checks, stream
 * and {@code $all} reads in both directions, and catch-up subscriptions. Position semantics follow
 * the server's documentation: a forward read of {@code $all} from a position includes the event
 * there, a backward read returns the events before it, a subscription starts after its position
 * (or revision), and a position that is not an event boundary is refused.
 */
final class StreamsService extends StreamsGrpc.StreamsImplBase {

    private static final Metadata.Key<String> EXCEPTION = Metadata.Key.of("exception", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> MAXIMUM_APPEND_SIZE =
            Metadata.Key.of("maximum-append-size", Metadata.ASCII_STRING_MARSHALLER);

    private final EventLog log;
    private final AppendConditions appends;
    private final AtomicLong appendsApplied;
    private final AtomicLong subscriptionsToAll;

    StreamsService(EventLog log, AppendConditions appends, AtomicLong appendsApplied, AtomicLong subscriptionsToAll) {
        this.log = log;
        this.appends = appends;
        this.appendsApplied = appendsApplied;
        this.subscriptionsToAll = subscriptionsToAll;
    }

    @Override
    public StreamObserver<AppendReq> append(StreamObserver<AppendResp> response) {
        return new StreamObserver<>() {
            private AppendReq.Options options;
            private final List<ProposedEvent> events = new ArrayList<>();

            @Override
            public void onNext(AppendReq request) {
                if (request.hasOptions()) {
                    options = request.getOptions();
                } else {
                    AppendReq.ProposedMessage message = request.getProposedMessage();
                    events.add(new ProposedEvent(Wire.uuid(message.getId()), message.getMetadataMap(),
                            message.getCustomMetadata(), message.getData()));
                }
            }

            @Override
            public void onError(Throwable error) {
                // The client went away: nothing was appended.
            }

            @Override
            public void onCompleted() {
                if (options == null) {
                    response.onError(Status.INVALID_ARGUMENT.withDescription("append without options").asRuntimeException());
                    return;
                }
                for (ProposedEvent event : events) {
                    if (!event.metadata().containsKey("type") || !event.metadata().containsKey("content-type")) {
                        response.onError(Status.INVALID_ARGUMENT
                                .withDescription("an event needs the type and content-type metadata").asRuntimeException());
                        return;
                    }
                }
                long size = events.stream()
                        .mapToLong(event -> event.data().size() + event.customMetadata().size()).sum();
                int maxSize = appends.maxSize.get();
                if (size > maxSize) {
                    // As a real server refuses it: INVALID_ARGUMENT, the kind and the limit in the trailers.
                    Metadata trailers = new Metadata();
                    trailers.put(EXCEPTION, "maximum-append-size-exceeded");
                    trailers.put(MAXIMUM_APPEND_SIZE, Integer.toString(maxSize));
                    response.onError(Status.INVALID_ARGUMENT.withDescription("Maximum Append Size of " + maxSize
                            + " Exceeded.").asRuntimeException(trailers));
                    return;
                }
                pause(appends.delay.get());
                String stream = options.getStreamIdentifier().getStreamName().toStringUtf8();
                AppendOutcome outcome = log.append(stream, expected(options), events);
                appendsApplied.incrementAndGet();
                if (appends.unanswered(outcome.resent())) {
                    return; // no answer: the caller's deadline ends the call
                }
                response.onNext(outcome.success() ? success(outcome) : wrongExpectedVersion(options, outcome));
                response.onCompleted();
            }
        };
    }

    private static Expected expected(AppendReq.Options options) {
        return switch (options.getExpectedStreamRevisionCase()) {
            case REVISION -> Expected.revision(options.getRevision());
            case NO_STREAM -> Expected.of(Expected.Kind.NO_STREAM);
            case STREAM_EXISTS -> Expected.of(Expected.Kind.STREAM_EXISTS);
            case ANY, EXPECTEDSTREAMREVISION_NOT_SET -> Expected.of(Expected.Kind.ANY);
        };
    }

    private static AppendResp success(AppendOutcome outcome) {
        AppendResp.Success.Builder success = AppendResp.Success.newBuilder();
        if (outcome.currentRevision() < 0) {
            success.setNoStream(Shared.Empty.getDefaultInstance()).setNoPosition(Shared.Empty.getDefaultInstance());
        } else {
            success.setCurrentRevision(outcome.currentRevision()).setPosition(AppendResp.Position.newBuilder()
                    .setCommitPosition(outcome.position()).setPreparePosition(outcome.position()));
        }
        return AppendResp.newBuilder().setSuccess(success).build();
    }

    private static AppendResp wrongExpectedVersion(AppendReq.Options options, AppendOutcome outcome) {
        AppendResp.WrongExpectedVersion.Builder wrong = AppendResp.WrongExpectedVersion.newBuilder();
        if (outcome.currentRevision() < 0) {
            wrong.setCurrentNoStream(Shared.Empty.getDefaultInstance());
        } else {
            wrong.setCurrentRevision(outcome.currentRevision());
        }
        switch (options.getExpectedStreamRevisionCase()) {
            case REVISION -> wrong.setExpectedRevision(options.getRevision());
            case NO_STREAM -> wrong.setExpectedNoStream(Shared.Empty.getDefaultInstance());
            case STREAM_EXISTS -> wrong.setExpectedStreamExists(Shared.Empty.getDefaultInstance());
            default -> wrong.setExpectedAny(Shared.Empty.getDefaultInstance());
        }
        return AppendResp.newBuilder().setWrongExpectedVersion(wrong).build();
    }

    @Override
    public void read(ReadReq request, StreamObserver<ReadResp> response) {
        ReadReq.Options options = request.getOptions();
        if (options.hasAll() && !Users.mayReadAll()) {
            response.onError(io.grpc.Status.PERMISSION_DENIED.withDescription("Access denied").asRuntimeException());
            return;
        }
        boolean structuredIds = !options.getUuidOption().hasString();
        if (options.hasSubscription()) {
            subscribe(options, (ServerCallStreamObserver<ReadResp>) response, structuredIds);
            return;
        }
        boolean forwards = options.getReadDirection() == ReadReq.Options.ReadDirection.Forwards;
        List<Recorded> selected;
        if (options.hasStream()) {
            String stream = options.getStream().getStreamIdentifier().getStreamName().toStringUtf8();
            List<Recorded> events = log.stream(stream);
            if (events == null) {
                response.onNext(ReadResp.newBuilder().setStreamNotFound(ReadResp.StreamNotFound.newBuilder()
                        .setStreamIdentifier(Wire.stream(stream))).build());
                response.onCompleted();
                return;
            }
            selected = streamSlice(events, options.getStream(), forwards).stream().filter(log.retained(stream)).toList();
        } else {
            List<Recorded> all = log.all();
            OptionalInt from = allStart(all, options.getAll(), forwards);
            if (from.isEmpty()) {
                response.onError(invalidPosition());
                return;
            }
            selected = forwards ? all.subList(from.getAsInt(), all.size())
                    : reversed(all.subList(0, from.getAsInt()));
            if (options.hasFilter()) {
                Predicate<Recorded> filter = ReadFilter.of(options.getFilter());
                selected = selected.stream().filter(filter).toList();
            }
        }
        long count = options.getCount();
        for (int i = 0; i < selected.size() && i < count; i++) {
            response.onNext(Wire.event(selected.get(i), structuredIds));
        }
        response.onCompleted();
    }

    private static List<Recorded> streamSlice(List<Recorded> events, ReadReq.Options.StreamOptions options,
                                              boolean forwards) {
        switch (options.getRevisionOptionCase()) {
            case START -> {
                return forwards ? events : List.of();
            }
            case END -> {
                return forwards ? List.of() : reversed(events);
            }
            default -> {
                int revision = (int) Math.min(options.getRevision(), Integer.MAX_VALUE);
                if (forwards) {
                    return revision >= events.size() ? List.of() : events.subList(revision, events.size());
                }
                return reversed(events.subList(0, Math.min(revision + 1, events.size())));
            }
        }
    }

    /**
     * Where a read of {@code $all} starts, as an index into the log: forwards, the event at the
     * position; backwards, the events before it. Empty when the position is not an event boundary.
     */
    private static OptionalInt allStart(List<Recorded> all, ReadReq.Options.AllOptions options, boolean forwards) {
        return switch (options.getAllOptionCase()) {
            case START -> OptionalInt.of(0);
            case END, ALLOPTION_NOT_SET -> OptionalInt.of(all.size());
            case POSITION -> boundary(all, options.getPosition().getCommitPosition(),
                    options.getPosition().getPreparePosition());
        };
    }

    /** The index of the event at a position in a snapshot of the log, or its size for the end of it. */
    private static OptionalInt boundary(List<Recorded> all, long commit, long prepare) {
        if (commit != prepare) {
            return OptionalInt.empty();
        }
        long end = all.isEmpty() ? 0 : all.get(all.size() - 1).next();
        if (commit == end) {
            return OptionalInt.of(all.size());
        }
        int low = 0;
        int high = all.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long at = all.get(mid).position();
            if (at == commit) {
                return OptionalInt.of(mid);
            }
            if (at < commit) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return OptionalInt.empty();
    }

    private static RuntimeException invalidPosition() {
        return Status.INVALID_ARGUMENT.withDescription("invalid position: not an event boundary in $all")
                .asRuntimeException();
    }

    private void subscribe(ReadReq.Options options, ServerCallStreamObserver<ReadResp> response, boolean structuredIds) {
        if (options.hasStream()) {
            String stream = options.getStream().getStreamIdentifier().getStreamName().toStringUtf8();
            ReadReq.Options.StreamOptions from = options.getStream();
            long after = switch (from.getRevisionOptionCase()) {
                case START -> -1;
                case END -> {
                    List<Recorded> events = log.stream(stream);
                    yield events == null ? -1 : events.size() - 1;
                }
                default -> from.getRevision();
            };
            new Subscription(UUID.randomUUID().toString(), log,
                    record -> record.stream().equals(stream) && record.revision() > after, null, 0, response,
                    structuredIds).start();
        } else {
            ReadReq.Options.AllOptions from = options.getAll();
            long after;
            switch (from.getAllOptionCase()) {
                case START -> after = -1;
                case POSITION -> {
                    List<Recorded> all = log.all();
                    if (boundary(all, from.getPosition().getCommitPosition(),
                            from.getPosition().getPreparePosition()).isEmpty()) {
                        response.onError(invalidPosition());
                        return;
                    }
                    after = from.getPosition().getCommitPosition();
                }
                default -> after = log.end() - 1; // live events only
            }
            subscriptionsToAll.incrementAndGet();
            new Subscription(UUID.randomUUID().toString(), log, record -> record.position() > after,
                    options.hasFilter() ? ReadFilter.of(options.getFilter()) : null,
                    options.hasFilter() ? ReadFilter.checkpointInterval(options.getFilter()) : 0, response,
                    structuredIds).start();
        }
    }

    private static List<Recorded> reversed(List<Recorded> events) {
        List<Recorded> copy = new ArrayList<>(events);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static void pause(Duration delay) {
        if (delay == null || delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

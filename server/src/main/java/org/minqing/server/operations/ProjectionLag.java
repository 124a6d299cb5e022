package org.minqing.server.operations;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * How far each tracking processor of this process is behind the head of the event log: the
 * positions between the head and the processor's slowest segment (events on the JDBC engines, log
 * bytes on KurrentDB), whether every segment has caught up with the head since the processor
 * started, and whether one has failed. The metrics and the readiness probe read it.
 */
public class ProjectionLag {

    /**
     * @param segments the segments this process holds (0: another process holds them all — standby)
     * @param behind   positions behind the head (all of them while no segment has a position yet)
     */
    public record Processor(String name, int segments, long behind, boolean caughtUp, boolean failed,
                            boolean running) {
    }

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;

    public ProjectionLag(EventProcessingConfiguration processing, EventStore eventStore) {
        this.processing = processing;
        this.eventStore = eventStore;
    }

    public List<Processor> now() {
        OptionalLong head = head();
        List<Processor> processors = new ArrayList<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                processors.add(of(name, streaming, head));
            }
        });
        return processors;
    }

    /** The named processor as it is now (a metric reads one processor, not all of them). */
    public Optional<Processor> now(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class).map(p -> of(name, p, head()));
    }

    private OptionalLong head() {
        TrackingToken headToken = eventStore.createHeadToken();
        return headToken == null ? OptionalLong.empty() : headToken.position();
    }

    private static Processor of(String name, StreamingEventProcessor processor, OptionalLong head) {
        Collection<EventTrackerStatus> segments = processor.processingStatus().values();
        OptionalLong slowest = segments.stream().map(EventTrackerStatus::getCurrentPosition)
                .filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).min();
        long behind = head.isEmpty() || segments.isEmpty() ? 0
                : Math.max(0, head.getAsLong() - (slowest.isPresent() ? slowest.getAsLong() : -1));
        boolean caughtUp = segments.stream().allMatch(EventTrackerStatus::isCaughtUp);
        boolean failed = segments.stream().anyMatch(EventTrackerStatus::isErrorState) || processor.isError();
        return new Processor(name, segments.size(), behind, caughtUp, failed, processor.isRunning());
    }
}

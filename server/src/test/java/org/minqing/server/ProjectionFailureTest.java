package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.LongStream;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.api.v1.CaseChange;
import org.minqing.api.v1.TimelineEntry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A projection whose writes fail for a while does not skip the events it could not write: once the
 * database takes its writes again, the timeline holds every event of the case, in order.
 */
class ProjectionFailureTest {

    @TempDir
    Path dataDir;

    @Test
    void aTimelineWhoseWritesFailedForAWhileCatchesUpWithoutAHole() throws Exception {
        try (MinqingServer server = MinqingServer.start(dataDir); MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            JdbcTemplate jdbc = server.context.getBean(JdbcTemplate.class);
            String name = client.commands.reportCase(CaseLifecycleEndToEndTest.report("PF-" + requestId())).getCase();
            client.awaitTimeline(name, 1);

            jdbc.execute("ALTER TABLE case_timeline RENAME TO case_timeline_away"); // every timeline write fails
            CaseChange accepted = client.commands.acceptCase(
                    AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
            client.awaitRevision(name, accepted.getRevision()); // the summary moved on: the event was handled there
            awaitTimelineProcessorMetTheEvent(server);
            jdbc.execute("ALTER TABLE case_timeline_away RENAME TO case_timeline");

            List<TimelineEntry> timeline = client.awaitTimeline(name, 2);
            assertThat(timeline).extracting(TimelineEntry::getEventType)
                    .containsExactly("minqing.v1.CaseReported", "minqing.v1.CaseAccepted");
        }
    }

    /**
     * Until the timeline's processor has either failed on the event or moved past it (as far as
     * the summary's). It held its segment before: the report's entry was written.
     */
    private static void awaitTimelineProcessorMetTheEvent(MinqingServer server) {
        EventProcessingConfiguration processing = server.context.getBean(EventProcessingConfiguration.class);
        StreamingEventProcessor timeline = processing.eventProcessor("case-timeline", StreamingEventProcessor.class).orElseThrow();
        StreamingEventProcessor summary = processing.eventProcessor("case-summary", StreamingEventProcessor.class).orElseThrow();
        await("the timeline's processor failing on the event or moving past it").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    long summaryAt = positions(summary).max().orElse(-1);
                    // A failed segment shows its error, or is released for a retry after a pause (no status then).
                    return timeline.processingStatus().isEmpty()
                            || timeline.processingStatus().values().stream().anyMatch(EventTrackerStatus::isErrorState)
                            || positions(timeline).min().orElse(-1) >= summaryAt;
                });
    }

    private static LongStream positions(StreamingEventProcessor processor) {
        return processor.processingStatus().values().stream()
                .map(EventTrackerStatus::getCurrentPosition).filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong);
    }
}

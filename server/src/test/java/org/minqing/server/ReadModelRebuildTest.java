package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.*;

/**
 * Rebuilding the read models from the log, in a running server, gives exactly the live views:
 * summaries, timelines and supervision rates. The projections' processors are reset the way an
 * operator would (shut down, reset tokens, start) while the server keeps serving.
 */
class ReadModelRebuildTest {

    private static final List<String> PROCESSORS = List.of("case-summary", "case-timeline", "supervision");

    @TempDir
    Path dataDir;

    @Test
    void resettingTheProjectionsRebuildsIdenticalViews() throws Exception {
        try (MinqingServer server = MinqingServer.start(dataDir); MinqingClient client = server.client(MinqingClient.DEV_KEY);
             MinqingClient waterBureau = server.client(MinqingClient.departmentKey("water-bureau"))) {
            var c = client.commands;
            List<String> cases = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String name = c.reportCase(CaseLifecycleEndToEndTest.report("RB-" + requestId())).getCase();
                cases.add(name);
                c.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
                c.dispatchCase(DispatchCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                        .setDepartment(i % 2 == 0 ? "water-bureau" : "roads-bureau").build());
            }
            String handled = cases.get(0);
            waterBureau.commands.acknowledgeCase(AcknowledgeCaseRequest.newBuilder().setName(handled).setRequestId(requestId()).build());
            waterBureau.commands.recordCitizenContact(RecordCitizenContactRequest.newBuilder().setName(handled).setRequestId(requestId())
                    .setMethod(ContactMethod.CONTACT_METHOD_PHONE).build());
            waterBureau.commands.resolveCase(ResolveCaseRequest.newBuilder().setName(handled).setRequestId(requestId()).setSummary("fixed").build());
            c.recordFeedback(RecordFeedbackRequest.newBuilder().setName(handled).setRequestId(requestId())
                    .setSolved(true).setSatisfaction(Satisfaction.SATISFACTION_BASICALLY_SATISFIED).build());
            CaseChange closed = c.closeCase(CloseCaseRequest.newBuilder().setName(handled).setRequestId(requestId()).build());
            CaseChange transferred = c.transferCase(TransferCaseRequest.newBuilder().setName(cases.get(1))
                    .setRequestId(requestId()).setDepartment("housing-bureau").setReason("wrong department").build());
            client.awaitRevision(handled, closed.getRevision());
            client.awaitRevision(cases.get(1), transferred.getRevision());
            client.awaitTimeline(handled, (int) closed.getRevision());

            Supplier<Views> views = () -> Views.read(client, cases);
            EventProcessingConfiguration processing = server.context.getBean(EventProcessingConfiguration.class);
            awaitHeadOfTheLog(processing, server.context.getBean(EventStore.class));
            Views live = views.get();

            for (String processor : PROCESSORS) {
                StreamingEventProcessor p = processing.eventProcessor(processor, StreamingEventProcessor.class)
                        .orElseThrow(() -> new AssertionError("no processor " + processor));
                p.shutDown();
                p.resetTokens();
                p.start();
            }

            Views rebuilt = await("identical views after the rebuild").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).until(views::get, live::equals);
            assertThat(rebuilt).isEqualTo(live);
        }
    }

    /** Waits until every projection processor has handled everything the log held when asked. */
    private static void awaitHeadOfTheLog(EventProcessingConfiguration processing, EventStore store) {
        long head = store.createHeadToken().position().orElse(-1);
        await("the projections at the head of the log").atMost(Duration.ofSeconds(30)).until(() -> PROCESSORS.stream()
                .map(name -> processing.eventProcessor(name, StreamingEventProcessor.class).orElseThrow())
                .allMatch(p -> !p.processingStatus().isEmpty() && p.processingStatus().values().stream()
                        .allMatch(status -> status.getCurrentPosition().orElse(-1) >= head)));
    }

    /** What supervisors see: summaries, timelines and this month's rates per department. */
    private record Views(List<Case> summaries, List<List<TimelineEntry>> timelines, List<RateRow> rates) {

        static Views read(MinqingClient client, List<String> cases) {
            List<Case> summaries = new ArrayList<>();
            List<List<TimelineEntry>> timelines = new ArrayList<>();
            for (String name : cases) {
                try {
                    summaries.add(client.queries.getCase(GetCaseRequest.newBuilder().setName(name).build()));
                } catch (io.grpc.StatusRuntimeException notYetRebuilt) {
                    summaries.add(null);
                }
                try {
                    timelines.add(client.queries.listTimelineEntries(ListTimelineEntriesRequest.newBuilder()
                            .setParent(name).setPageSize(1000).build()).getTimelineEntriesList());
                } catch (io.grpc.StatusRuntimeException notYetRebuilt) {
                    timelines.add(null); // NOT_FOUND while the reset timeline has no entry of the case yet
                }
            }
            LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
            List<RateRow> rates = client.supervision.listRates(ListRatesRequest.newBuilder()
                    .setDimension(RateDimension.RATE_DIMENSION_DEPARTMENT)
                    .setGranularity(PeriodGranularity.PERIOD_GRANULARITY_MONTH)
                    .setStartDate(today.minusDays(1).toString()).setEndDate(today.plusDays(1).toString())
                    .setPageSize(1000).build()).getRatesList();
            return new Views(summaries, timelines, rates);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Views v && Objects.equals(summaries, v.summaries) && Objects.equals(timelines, v.timelines)
                    && Objects.equals(rates, v.rates);
        }

        @Override
        public int hashCode() {
            return Objects.hash(summaries, timelines, rates);
        }
    }
}

package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.command.handling.BatchingCommandBus;

/**
 * Commands arriving together on the embedded store share transactions: over real gRPC, many at
 * once on one lane, acceptances racing each other and acceptances of cases nobody reported.
 * Every acknowledged command is in the log, every refused one changed nothing, and a refusal in a
 * batch never takes its neighbours' work with it.
 */
class BatchedCommandsEndToEndTest {

    private static final int CASES = 30;

    @TempDir
    static Path dataDir;
    static MinqingServer server;
    static MinqingClient client;

    @BeforeAll
    static void start() {
        server = MinqingServer.start(dataDir, "minqing.commands.lanes=1");
        client = server.client(MinqingClient.DEV_KEY);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        client.close();
        server.close();
    }

    @Test
    void refusalsInABatchChangeNothingAndEveryAcknowledgedCommandIsInTheLog() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            names.add(client.commands.reportCase(CaseLifecycleEndToEndTest.report("batched-" + i)).getCase());
        }
        // Two acceptances of each case (one must be refused) and one of a case nobody reported,
        // all released at once.
        List<Callable<Status.Code>> calls = new ArrayList<>();
        List<String> requestIds = new ArrayList<>();
        for (String name : names) {
            for (String target : List.of(name, name, name.replace("cases/", "cases/missing-"))) {
                String requestId = requestId();
                requestIds.add(requestId);
                calls.add(() -> accept(target, requestId));
            }
        }
        ExecutorService threads = Executors.newFixedThreadPool(calls.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Status.Code>> answers = new ArrayList<>();
        for (Callable<Status.Code> call : calls) {
            answers.add(threads.submit(() -> {
                go.await();
                return call.call();
            }));
        }
        go.countDown();
        List<Status.Code> codes = new ArrayList<>();
        for (Future<Status.Code> answer : answers) {
            codes.add(answer.get(60, TimeUnit.SECONDS));
        }
        threads.shutdown();

        EventStore events = server.context.getBean(EventStore.class);
        for (int i = 0; i < CASES; i++) {
            assertThat(codes.subList(3 * i, 3 * i + 2)).as(names.get(i))
                    .containsExactlyInAnyOrder(Status.Code.OK, Status.Code.FAILED_PRECONDITION);
            assertThat(codes.get(3 * i + 2)).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(events.readEvents(names.get(i).substring("cases/".length())).asStream()
                    .map(e -> e.getPayloadType().getSimpleName()))
                    .as("the report and the one acceptance of " + names.get(i))
                    .containsExactly("CaseReported", "CaseAccepted");
            // The acceptance's request record was kept with it: its retry is answered, not run again.
            int accepted = 3 * i + codes.subList(3 * i, 3 * i + 2).indexOf(Status.Code.OK);
            assertThat(accept(names.get(i), requestIds.get(accepted))).as("retry of " + names.get(i))
                    .isEqualTo(Status.Code.OK);
        }
        if (server.context.getBean(CommandBus.class) instanceof BatchingCommandBus) { // not on PostgreSQL
            assertThat(server.context.getBean(MeterRegistry.class).get("minqing.commands.batch.size").summary().max())
                    .as("commands shared a transaction").isGreaterThan(1);
        }
    }

    private static Status.Code accept(String name, String requestId) {
        try {
            client.commands.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId).build());
            return Status.Code.OK;
        } catch (io.grpc.StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}

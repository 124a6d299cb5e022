package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.api.v1.CaseFeedEntry;
import org.minqing.api.v1.WatchCaseFeedRequest;

/**
 * The change feed resumes from a token across a restart of the server on the same store: the
 * entries after the token's, and nothing before it, in the order recorded.
 */
class CaseFeedRestartTest {

    @TempDir
    static Path dataDir;

    @Test
    void aTokenFromBeforeARestartResumesRightAfterItsEntry() throws Exception {
        String first;
        String token;
        try (MinqingServer server = MinqingServer.start(dataDir); MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            List<CaseFeedEntry> seen = new ArrayList<>();
            try (Context.CancellableContext watch = Context.current().withCancellation()) {
                Iterator<CaseFeedEntry> feed = watch.call(() -> client.queries.withDeadlineAfter(60, TimeUnit.SECONDS)
                        .watchCaseFeed(WatchCaseFeedRequest.getDefaultInstance()));
                first = client.commands.reportCase(CaseLifecycleEndToEndTest.report("FEED-1")).getCase();
                client.commands.acceptCase(AcceptCaseRequest.newBuilder().setName(first)
                        .setRequestId(MinqingClient.requestId()).build());
                while (seen.size() < 2) {
                    seen.add(feed.next());
                }
            }
            assertThat(seen).extracting(e -> e.getTimelineEntry().getName())
                    .containsExactly(first + "/timelineEntries/0", first + "/timelineEntries/1");
            token = seen.get(0).getResumeToken();
        }

        try (MinqingServer server = MinqingServer.start(dataDir); MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            String second = client.commands.reportCase(CaseLifecycleEndToEndTest.report("FEED-2")).getCase();
            List<String> resumed = new ArrayList<>();
            try (Context.CancellableContext watch = Context.current().withCancellation()) {
                Iterator<CaseFeedEntry> feed = watch.call(() -> client.queries.withDeadlineAfter(60, TimeUnit.SECONDS)
                        .watchCaseFeed(WatchCaseFeedRequest.newBuilder().setResumeToken(token).build()));
                while (resumed.size() < 2) {
                    resumed.add(feed.next().getTimelineEntry().getName());
                }
            }
            assertThat(resumed).containsExactly(first + "/timelineEntries/1", second + "/timelineEntries/0");
        }
    }
}

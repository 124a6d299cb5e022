package org.minqing.edge.queries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class WatchQuotaTest {

    private final WatchQuota quota = new WatchQuota(2);

    @Test
    void aCallerGetsItsSlotsAndOneMoreIsResourceExhaustedNamingTheSetting() {
        quota.acquire("p1");
        quota.acquire("p1");

        Throwable refused = catchThrowable(() -> quota.acquire("p1"));

        assertThat(QueryFixture.code(refused)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(refused).hasMessageContaining("minqing.query.max-watches-per-caller");
        quota.acquire("p2"); // another caller is not affected
    }

    @Test
    void releasingTwiceGivesBackOneSlotOnly() {
        Runnable first = quota.acquire("p1");
        quota.acquire("p1");
        first.run();
        first.run();

        quota.acquire("p1");
        assertThat(QueryFixture.code(catchThrowable(() -> quota.acquire("p1")))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void countsTheStreamsOpenOverAllCallers() {
        Runnable first = quota.acquire("p1");
        quota.acquire("p1");
        quota.acquire("p2");
        catchThrowable(() -> quota.acquire("p1"));
        assertThat(quota.open()).as("a refused stream is not open").isEqualTo(3);
        first.run();
        assertThat(quota.open()).isEqualTo(2);
    }
}

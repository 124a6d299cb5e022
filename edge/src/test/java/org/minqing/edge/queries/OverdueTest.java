package org.minqing.edge.queries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minqing.projections.SampleEvents.dispatched;
import static org.minqing.projections.SampleEvents.reported;
import static org.minqing.projections.SampleEvents.ts;
import static org.minqing.edge.queries.QueryFixture.SUPERVISOR;
import static org.minqing.edge.queries.QueryFixture.T0;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.Case;
import org.minqing.api.v1.CaseAcknowledged;
import org.minqing.api.v1.CaseResolved;
import org.minqing.api.v1.CitizenContacted;
import org.minqing.api.v1.ContactMethod;
import org.minqing.api.v1.GetCaseRequest;
import org.minqing.api.v1.ListCasesRequest;

/** Overdue flags at a fixed "now", two days after the cases were dispatched. */
class OverdueTest {

    private static final Instant NOW = T0.plus(Duration.ofDays(2));
    private static final Instant DAY_1 = T0.plus(Duration.ofDays(1));

    private final QueryFixture fixture = new QueryFixture(NOW);

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aResponseIsOverdueWhenLateOrStillMissingPastItsDeadline() {
        dispatch("unanswered", DAY_1, null);
        dispatch("answered-in-time", DAY_1, null);
        respond("answered-in-time", T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)));
        dispatch("contacted-late", DAY_1, null);
        respond("contacted-late", T0.plus(Duration.ofHours(1)), DAY_1.plus(Duration.ofHours(1)));
        dispatch("not-yet-due", NOW.plus(Duration.ofHours(1)), null);
        fixture.feed.publish(reported("not-dispatched", T0).build());

        assertThat(get("unanswered").getResponseOverdue()).isTrue();
        assertThat(get("answered-in-time").getResponseOverdue()).isFalse();
        assertThat(get("contacted-late").getResponseOverdue()).as("complete, but after the deadline").isTrue();
        assertThat(get("not-yet-due").getResponseOverdue()).isFalse();
        assertThat(get("not-dispatched").getResponseOverdue()).isFalse();
        assertThat(overdueOnly()).containsExactlyInAnyOrder("cases/unanswered", "cases/contacted-late");
    }

    @Test
    void aResolutionIsOverdueWhenLateOrStillMissingPastItsDeadline() {
        Instant farAway = NOW.plus(Duration.ofDays(10));
        dispatch("unresolved", farAway, DAY_1);
        dispatch("resolved-late", farAway, DAY_1);
        resolve("resolved-late", DAY_1.plus(Duration.ofHours(3)));
        dispatch("resolved-in-time", farAway, DAY_1);
        resolve("resolved-in-time", DAY_1.minus(Duration.ofHours(3)));
        dispatch("due-later", farAway, NOW.plusSeconds(60));

        assertThat(get("unresolved").getResolutionOverdue()).isTrue();
        assertThat(get("resolved-late").getResolutionOverdue()).isTrue();
        assertThat(get("resolved-in-time").getResolutionOverdue()).isFalse();
        assertThat(get("due-later").getResolutionOverdue()).isFalse();
        assertThat(get("unresolved").getResponseOverdue()).isFalse();
        assertThat(overdueOnly()).containsExactlyInAnyOrder("cases/unresolved", "cases/resolved-late");
    }

    private void dispatch(String caseId, Instant respondBy, Instant resolveBy) {
        fixture.feed.at(T0).publish(reported(caseId, T0).build());
        fixture.feed.publish(dispatched(caseId, "water-bureau", respondBy, resolveBy).build());
    }

    private void respond(String caseId, Instant acknowledged, Instant contacted) {
        fixture.feed.at(acknowledged).publish(CaseAcknowledged.newBuilder().setCaseId(caseId).build());
        fixture.feed.publish(CitizenContacted.newBuilder().setCaseId(caseId).setMethod(ContactMethod.CONTACT_METHOD_PHONE)
                .setContactTime(ts(contacted))
                .setResponseTime(ts(contacted.isAfter(acknowledged) ? contacted : acknowledged)).build());
    }

    private void resolve(String caseId, Instant at) {
        fixture.feed.at(at.minus(Duration.ofHours(1))).publish(CaseAcknowledged.newBuilder().setCaseId(caseId).build());
        fixture.feed.at(at).publish(CaseResolved.newBuilder().setCaseId(caseId).setSummary("fixed").build());
    }

    private Case get(String caseId) {
        return fixture.call(SUPERVISOR, fixture.service::getCase,
                GetCaseRequest.newBuilder().setName("cases/" + caseId).build());
    }

    private java.util.List<String> overdueOnly() {
        return fixture.<ListCasesRequest, org.minqing.api.v1.ListCasesResponse>call(SUPERVISOR,
                fixture.service::listCases, ListCasesRequest.newBuilder().setOverdueOnly(true).build())
                .getCasesList().stream().map(Case::getName).toList();
    }
}

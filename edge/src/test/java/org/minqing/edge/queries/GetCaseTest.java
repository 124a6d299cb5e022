package org.minqing.edge.queries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.minqing.projections.SampleEvents.dispatched;
import static org.minqing.projections.SampleEvents.reported;
import static org.minqing.projections.SampleEvents.ts;
import static org.minqing.edge.queries.QueryFixture.DISPATCHER;
import static org.minqing.edge.queries.QueryFixture.SUPERVISOR;
import static org.minqing.edge.queries.QueryFixture.T0;

import java.time.Duration;
import java.util.List;

import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.AssistanceRequested;
import org.minqing.api.v1.Case;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.api.v1.CaseState;
import org.minqing.api.v1.CaseView;
import org.minqing.api.v1.Channel;
import org.minqing.api.v1.GetCaseRequest;
import org.minqing.api.v1.ReportLinked;
import org.minqing.api.v1.VisitScheduled;
import org.minqing.api.v1.VisitState;
import org.minqing.edge.Caller;
import org.minqing.projections.SampleEvents;
import org.minqing.privacy.PrivacyProperties;

class GetCaseTest {

    private final QueryFixture fixture = new QueryFixture(T0.plus(Duration.ofHours(2)));

    @BeforeEach
    void aDispatchedCaseWithAVisit() {
        fixture.feed.via("hotline-12345").publish(reported("c1", T0).build());
        fixture.feed.publish(CaseAccepted.newBuilder().setCaseId("c1").build());
        fixture.feed.publish(dispatched("c1", "water-bureau", T0.plus(Duration.ofHours(24)), T0.plus(Duration.ofDays(7)))
                .setHandler("张三").build());
        fixture.feed.publish(AssistanceRequested.newBuilder().setCaseId("c1").addDepartments("police").build());
        fixture.feed.publish(ReportLinked.newBuilder().setCaseId("c1").setSourceCaseId("c0")
                .setChannel(Channel.CHANNEL_WEB).build());
        fixture.feed.publish(VisitScheduled.newBuilder().setCaseId("c1").setVisitId("v1")
                .setScheduledTime(ts(T0.plus(Duration.ofDays(1)))).setPlace("pump room").addVisitors("李四").build());
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void theBasicViewIsTheWholeCaseButItsPersonalData() {
        Case c = get(SUPERVISOR, "cases/c1", CaseView.CASE_VIEW_UNSPECIFIED);

        assertThat(c.getName()).isEqualTo("cases/c1");
        assertThat(c.getState()).isEqualTo(CaseState.CASE_STATE_DISPATCHED);
        assertThat(c.getPartnerSystem()).isEqualTo("hotline-12345");
        assertThat(c.getDepartment()).isEqualTo("water-bureau");
        assertThat(c.getHandler()).isEqualTo("张三");
        assertThat(c.getResponseDeadline()).isEqualTo(ts(T0.plus(Duration.ofHours(24))));
        assertThat(c.getReportTime()).isEqualTo(ts(T0));
        assertThat(c.getAssistingDepartmentsList()).containsExactly("police");
        assertThat(c.getLinkedCasesList()).containsExactly("cases/c0");
        assertThat(c.getAttachmentsList()).hasSize(1);
        assertThat(c.getVisitsList()).singleElement().satisfies(v -> {
            assertThat(v.getName()).isEqualTo("cases/c1/visits/v1");
            assertThat(v.getState()).isEqualTo(VisitState.VISIT_STATE_SCHEDULED);
            assertThat(v.getVisitorsList()).containsExactly("李四");
        });
        assertThat(c.getRevision()).isEqualTo(6);
        assertThat(c.getLocation().getDistrict()).isEqualTo("dongcheng");
        assertThat(c.getLocation().getGrid()).isEqualTo("hpl-07");
        assertThat(c.hasCitizen()).isFalse();
        assertThat(c.getLocation().getAddress()).isEmpty();
        assertThat(c.getLocation().hasPosition()).isFalse();
        assertThat(c.toString()).doesNotContain(SampleEvents.CITIZEN_PHONE);
        assertThat(get(SUPERVISOR, "cases/c1", CaseView.CASE_VIEW_BASIC)).isEqualTo(c);
    }

    @Test
    void theFullViewAddsCitizenAndAddressForRolesAllowedToSeeThem() {
        Case c = get(DISPATCHER, "cases/c1", CaseView.CASE_VIEW_FULL);

        assertThat(c.getCitizen().getName()).isEqualTo(SampleEvents.CITIZEN_NAME);
        assertThat(c.getCitizen().getPhone()).isEqualTo(SampleEvents.CITIZEN_PHONE);
        assertThat(c.getCitizen().getIdNumber()).isEqualTo(SampleEvents.CITIZEN_ID_NUMBER);
        assertThat(c.getLocation().getAddress()).isEqualTo(SampleEvents.ADDRESS);
        assertThat(c.getLocation().getPosition().getLatitude()).isEqualTo(39.9612);
    }

    @Test
    void theFullViewIsRefusedToOtherRoles() {
        Throwable error = catchThrowable(() -> get(SUPERVISOR, "cases/c1", CaseView.CASE_VIEW_FULL));

        assertThat(QueryFixture.code(error)).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(error).hasMessageContaining("role supervisor");
    }

    @Test
    void theRolesThatMaySeePersonalDataAreConfigured() {
        try (QueryFixture auditorsOnly = new QueryFixture(T0, new PrivacyProperties(List.of("auditor"), null, null, null, null, null))) {
            auditorsOnly.feed.publish(reported("c9", T0).build());
            GetCaseRequest full = GetCaseRequest.newBuilder().setName("cases/c9").setView(CaseView.CASE_VIEW_FULL).build();

            assertThat(auditorsOnly.<GetCaseRequest, Case>call(new Caller("a-1", "auditor", "audit-office"),
                    auditorsOnly.service::getCase, full).hasCitizen()).isTrue();
            assertThat(QueryFixture.code(catchThrowable(() -> auditorsOnly.<GetCaseRequest, Case>call(DISPATCHER,
                    auditorsOnly.service::getCase, full)))).isEqualTo(Status.Code.PERMISSION_DENIED);
        }
    }

    @Test
    void anUnknownCaseIsNotFound() {
        Throwable error = catchThrowable(() -> get(SUPERVISOR, "cases/nope", CaseView.CASE_VIEW_BASIC));

        assertThat(QueryFixture.code(error)).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(error).hasMessageContaining("case cases/nope not found");
    }

    @Test
    void aMalformedNameIsAnInvalidArgument() {
        assertThat(QueryFixture.violatedFields(catchThrowable(() -> get(SUPERVISOR, "case/c1", CaseView.CASE_VIEW_BASIC))))
                .containsExactly("name");
        assertThat(QueryFixture.violatedFields(catchThrowable(() -> get(SUPERVISOR, "", CaseView.CASE_VIEW_BASIC))))
                .containsExactly("name");
    }

    private Case get(Caller caller, String name, CaseView view) {
        return fixture.call(caller, fixture.service::getCase,
                GetCaseRequest.newBuilder().setName(name).setView(view).build());
    }
}

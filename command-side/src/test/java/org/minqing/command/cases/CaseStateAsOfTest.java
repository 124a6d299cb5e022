package org.minqing.command.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.minqing.command.cases.CaseAction.*;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseAggregateState;
import org.minqing.api.v1.CaseState;
import org.minqing.api.v1.CaseStateAsOf;
import org.minqing.command.audit.CaseAudit;
import org.minqing.command.store.EventStorageContract;

/**
 * The audit service's state as of each revision of a long case equals the state the repository
 * loaded for the command handlers right after that revision was written.
 */
class CaseStateAsOfTest {

    private static final String NAME = "cases/" + CaseHistory.CASE_ID;
    private static final List<CaseAction> LIFE = List.of(ACCEPT, URGE, DISPATCH, RETURN, DISPATCH,
            REQUEST_ASSISTANCE, ACKNOWLEDGE, RECORD_CONTACT, SCHEDULE_VISIT, RESCHEDULE_VISIT, CHECK_IN_VISIT,
            COMPLETE_VISIT, ADD_PROGRESS_NOTE, REQUEST_EXTENSION, APPROVE_EXTENSION, SUPERVISE, RESOLVE,
            RECORD_FEEDBACK, REOPEN, RESOLVE, RECORD_FEEDBACK, CLOSE);

    private final AxonHarness axon = new AxonHarness(CaseSteps.POLICY);
    private final CaseAudit audit = new CaseAudit(axon.storage,
            EventStorageContract.eventSerializer(EventStorageContract.snapshotSerializer()), CaseSteps.POLICY);

    @AfterEach
    void close() {
        axon.close();
    }

    @Test
    void theStateAsOfEveryRevisionIsTheStateTheAggregateHeldThen() {
        List<CaseAggregateState> held = new ArrayList<>();
        List<Long> revisions = new ArrayList<>();
        axon.gateway.sendAndWait(CaseHistory.report(CaseHistory.CASE_ID));
        held.add(axon.state(CaseHistory.CASE_ID));
        revisions.add(revision());
        for (CaseAction action : LIFE) {
            // The fixture's dates are fixed in March 2026; this harness runs on the real clock.
            axon.gateway.sendAndWait(switch (action) {
                case REQUEST_EXTENSION -> new CaseCommands.RequestExtension(CaseHistory.CASE_ID,
                        java.time.Instant.now().plusSeconds(400L * 86_400), "waiting for asphalt");
                case RECORD_CONTACT -> new CaseCommands.RecordCitizenContact(CaseHistory.CASE_ID,
                        org.minqing.api.v1.ContactMethod.CONTACT_METHOD_PHONE, null, "called");
                case CHECK_IN_VISIT -> new CaseCommands.CheckInVisit(CaseHistory.CASE_ID, "v1", null, null, "grid-worker-wang");
                default -> CaseSteps.legal(action).command();
            });
            held.add(axon.state(CaseHistory.CASE_ID));
            revisions.add(revision());
        }
        assertThat(held.get(held.size() - 1).getState()).isEqualTo(CaseState.CASE_STATE_CLOSED);

        for (long revision = 1; revision <= revisions.get(revisions.size() - 1); revision++) {
            CaseAggregateState asOf = asOf(revision).getState();
            int command = revisions.indexOf(revision);
            if (command >= 0) {
                assertThat(asOf).as("revision " + revision).isEqualTo(held.get(command));
            }
            assertThat(asOf.getCaseId()).isEqualTo(CaseHistory.CASE_ID);
        }
        assertThat(revisions).as("every command's revision was checked").doesNotHaveDuplicates();
    }

    @Test
    void anInstantAppliesEveryEventRecordedByThen() {
        axon.gateway.sendAndWait(CaseHistory.report(CaseHistory.CASE_ID));
        axon.gateway.sendAndWait(CaseSteps.legal(ACCEPT).command());
        var last = axon.storage.readEvents(CaseHistory.CASE_ID).asStream().reduce((a, b) -> b).orElseThrow();
        CaseStateAsOf asOf = audit.stateAt(NAME, CaseHistory.CASE_ID, last.getTimestamp().plusSeconds(1));

        assertThat(asOf.getRevision()).isEqualTo(2);
        assertThat(asOf.getState().getState()).isEqualTo(CaseState.CASE_STATE_ACCEPTED);
    }

    @Test
    void outOfRangeNamesTheValidRangeAndAnUnknownCaseHasNoHistory() {
        axon.gateway.sendAndWait(CaseHistory.report(CaseHistory.CASE_ID));

        assertThatThrownBy(() -> asOf(2)).isInstanceOf(CaseAudit.OutsideHistoryException.class).hasMessageContaining("1..1");
        assertThatThrownBy(() -> audit.stateAt(NAME, CaseHistory.CASE_ID, java.time.Instant.ofEpochSecond(1)))
                .isInstanceOf(CaseAudit.OutsideHistoryException.class);
        assertThatThrownBy(() -> audit.stateAtRevision("cases/nobody", "nobody", 1))
                .isInstanceOf(CaseAudit.NoHistoryException.class);
    }

    private long revision() {
        return axon.storage.lastSequenceNumberFor(CaseHistory.CASE_ID).orElseThrow() + 1;
    }

    private CaseStateAsOf asOf(long revision) {
        return audit.stateAtRevision(NAME, CaseHistory.CASE_ID, revision);
    }
}

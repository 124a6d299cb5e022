package org.minqing.command.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.minqing.command.cases.CaseHistory.reported;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.minqing.api.v1.CaseMerged;
import org.minqing.api.v1.Channel;
import org.minqing.api.v1.ReportLinked;
import org.minqing.command.cases.CaseCommands.MergeCase;
import org.minqing.command.deadlines.DeadlinePolicy;

/** Merging a duplicate (并单) changes two cases in one unit of work, or neither. */
class MergeCaseHandlerTest {

    private static final String DUPLICATE = "case-dup";
    private static final String TARGET = "case-target";

    private final AxonHarness axon = new AxonHarness(DeadlinePolicy.defaults());

    @AfterEach
    void tearDown() {
        axon.close();
    }

    private void givenDuplicate(CaseStatus status) {
        List<Object> history = CaseHistory.to(status);
        history.set(0, reported().toBuilder().setChannel(Channel.CHANNEL_WECHAT).setPartnerReference("wx-9").build());
        axon.given(DUPLICATE, history);
    }

    @ParameterizedTest
    @EnumSource(value = CaseStatus.class, names = {"REPORTED", "ACCEPTED"})
    void theDuplicateIsMergedAndTheTargetLinksItsReport(CaseStatus duplicateStatus) {
        givenDuplicate(duplicateStatus);
        axon.given(TARGET, CaseHistory.to(CaseStatus.IN_PROGRESS));
        int duplicateBefore = axon.events(DUPLICATE).size();
        int targetBefore = axon.events(TARGET).size();

        axon.gateway.sendAndWait(new MergeCase(DUPLICATE, TARGET, "same pothole"));

        assertThat(axon.events(DUPLICATE)).hasSize(duplicateBefore + 1).last().isEqualTo(CaseMerged.newBuilder()
                .setCaseId(DUPLICATE).setTargetCaseId(TARGET).setReason("same pothole").build());
        assertThat(axon.events(TARGET)).hasSize(targetBefore + 1).last().isEqualTo(ReportLinked.newBuilder()
                .setCaseId(TARGET).setSourceCaseId(DUPLICATE)
                .setChannel(Channel.CHANNEL_WECHAT).setPartnerReference("wx-9").build());
        assertThat(axon.status(DUPLICATE)).isEqualTo(CaseStatus.MERGED);
        assertThat(axon.status(TARGET)).isEqualTo(CaseStatus.IN_PROGRESS);
    }

    @Test
    void aCaseCannotBeMergedIntoItself() {
        givenDuplicate(CaseStatus.REPORTED);

        assertThatThrownBy(() -> axon.gateway.sendAndWait(new MergeCase(DUPLICATE, DUPLICATE, "")))
                .isInstanceOf(CaseRefusedException.class)
                .hasMessage("case case-dup cannot be merged into itself");
        assertThat(axon.events(DUPLICATE)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = CaseStatus.class, names = {"REJECTED", "MERGED", "CLOSED"})
    void nothingIsMergedIntoAFinishedCase(CaseStatus targetStatus) {
        givenDuplicate(CaseStatus.ACCEPTED);
        axon.given(TARGET, CaseHistory.to(targetStatus));
        List<Object> duplicateBefore = axon.events(DUPLICATE);
        List<Object> targetBefore = axon.events(TARGET);

        assertThatThrownBy(() -> axon.gateway.sendAndWait(new MergeCase(DUPLICATE, TARGET, "")))
                .isInstanceOfSatisfying(CaseRefusedException.class, e -> {
                    assertThat(e.caseId()).isEqualTo(TARGET);
                    assertThat(e.status()).isEqualTo(targetStatus);
                    assertThat(e.action()).isEqualTo(CaseAction.MERGE);
                })
                .hasMessage("case case-dup cannot be merged into case case-target: case case-target is "
                        + targetStatus);
        assertThat(axon.events(DUPLICATE)).isEqualTo(duplicateBefore);
        assertThat(axon.events(TARGET)).isEqualTo(targetBefore);
    }

    static Stream<CaseStatus> statusesRefusingMerge() {
        return Arrays.stream(CaseStatus.values()).filter(s -> !s.allows(CaseAction.MERGE));
    }

    @ParameterizedTest
    @MethodSource("statusesRefusingMerge")
    void aDuplicateWhoseStatusDoesNotAllowMergingIsRefused(CaseStatus duplicateStatus) {
        givenDuplicate(duplicateStatus);
        axon.given(TARGET, CaseHistory.to(CaseStatus.DISPATCHED));
        List<Object> duplicateBefore = axon.events(DUPLICATE);
        List<Object> targetBefore = axon.events(TARGET);

        assertThatThrownBy(() -> axon.gateway.sendAndWait(new MergeCase(DUPLICATE, TARGET, "")))
                .isInstanceOfSatisfying(CaseRefusedException.class, e -> {
                    assertThat(e.caseId()).isEqualTo(DUPLICATE);
                    assertThat(e.status()).isEqualTo(duplicateStatus);
                })
                .hasMessageStartingWith("case case-dup is " + duplicateStatus + ": MERGE is not allowed");
        assertThat(axon.events(DUPLICATE)).isEqualTo(duplicateBefore);
        assertThat(axon.events(TARGET)).isEqualTo(targetBefore);
    }

    @Test
    void anUnknownTargetIsNotFoundAndTheDuplicateStaysAsItWas() {
        givenDuplicate(CaseStatus.ACCEPTED);
        List<Object> before = axon.events(DUPLICATE);

        assertThatThrownBy(() -> axon.gateway.sendAndWait(new MergeCase(DUPLICATE, "case-nowhere", "")))
                .isInstanceOf(AggregateNotFoundException.class);
        assertThat(axon.events(DUPLICATE)).isEqualTo(before);
    }

    @Test
    void anUnknownDuplicateIsNotFound() {
        axon.given(TARGET, CaseHistory.to(CaseStatus.ACCEPTED));

        assertThatThrownBy(() -> axon.gateway.sendAndWait(new MergeCase("case-nowhere", TARGET, "")))
                .isInstanceOf(AggregateNotFoundException.class);
        assertThat(axon.events(TARGET)).hasSize(2);
    }
}

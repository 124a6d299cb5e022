package org.minqing.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;

import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;
import org.minqing.api.requests.FieldViolations;
import org.minqing.api.requests.RequestChecks;

/** What a gRPC client receives for a request refused for its fields. */
class FieldViolationsTest {

    @Test
    void aMillionViolationsAreCappedAndTheErrorStaysSmall() {
        com.google.rpc.Status status = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            FieldViolations violations = new FieldViolations();
            for (int i = 0; i < 1_000_000; i++) {
                violations.add("filter.statuses", "must be AT_RISK or OVERDUE");
            }
            return StatusProto.fromThrowable(Responses.toStatus(violations.asException()));
        });
        assertThat(status.getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
        assertThat(badRequest(status).getFieldViolationsCount()).isEqualTo(FieldViolations.MAX_REPORTED);
        assertThat(status.getMessage()).endsWith("; and " + (1_000_000 - FieldViolations.MAX_REPORTED)
                + " more violations not listed (at most " + FieldViolations.MAX_REPORTED + " are reported)");
        assertThat(status.getMessage().length()).isLessThan(2048);
    }

    @Test
    void theMessageJoinsEveryReportedViolation() {
        FieldViolations violations = new FieldViolations().add("a", "required").add("b", "too long");
        assertThat(Responses.toStatus(violations.asException()).getStatus().getDescription()).isEqualTo("a: required; b: too long");
    }

    @Test
    void textsMustNotContainNul() {
        FieldViolations violations = new FieldViolations()
                .requireText("title", "broken\u0000title", 200)
                .limitText("note", "\u0000", 200)
                .requireText("fine", "fine", 200)
                .limitText("long", "\u0000".repeat(300), 200);
        List<BadRequest.FieldViolation> reported = badRequest(Responses.toStatus(violations.asException())).getFieldViolationsList();
        assertThat(reported).extracting(BadRequest.FieldViolation::getField).containsExactly("title", "note", "long");
        assertThat(reported.get(0).getDescription()).isEqualTo("must not contain NUL characters");
        assertThat(reported.get(2).getDescription()).isEqualTo("must be at most 200 characters, was 300");
    }

    @Test
    void codesAndAttachmentsGoThroughTheTextChecks() {
        FieldViolations violations = new FieldViolations();
        RequestChecks.codes("departments", List.of("roads", "wa\u0000ter"), 10, 128, violations);
        assertThat(fields(violations)).containsExactly("departments[1]");
    }

    @Test
    void aHugeListOfCodesIsRefusedWithoutReadingItAll() {
        FieldViolations violations = new FieldViolations();
        RequestChecks.codes("departments", java.util.Collections.nCopies(1_000_000, "x"), 10, 128, violations);
        assertThat(fields(violations)).containsExactly("departments");
    }

    @Test
    void quotesOnlyAShortPrefixOfAClientsValue() {
        assertThat(FieldViolations.quote("report_time up")).isEqualTo("\"report_time up\"");
        String quoted = FieldViolations.quote("x".repeat(10_000));
        assertThat(quoted).isEqualTo("\"" + "x".repeat(FieldViolations.MAX_ECHO) + "...\" (10000 characters)");
        // never half a surrogate pair
        String emoji = "a".repeat(FieldViolations.MAX_ECHO - 1) + "\uD83D\uDE00" + "b";
        assertThat(FieldViolations.quote(emoji)).startsWith("\"" + "a".repeat(FieldViolations.MAX_ECHO - 1) + "...");
    }

    @Test
    void invalidTimestampsAreViolationsNotErrors() {
        for (Timestamp bad : List.of(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE).build(),
                Timestamp.newBuilder().setSeconds(253_402_300_800L).build(), // 10000-01-01
                Timestamp.newBuilder().setSeconds(0).setNanos(-1).build())) {
            FieldViolations violations = new FieldViolations();
            assertThat(RequestChecks.instant("report_time_from", true, bad, violations)).isNull();
            assertThat(fields(violations)).containsExactly("report_time_from");
        }
    }

    private static List<String> fields(FieldViolations violations) {
        return badRequest(Responses.toStatus(violations.asException())).getFieldViolationsList().stream()
                .map(BadRequest.FieldViolation::getField).toList();
    }

    private static BadRequest badRequest(StatusRuntimeException error) {
        return badRequest(StatusProto.fromThrowable(error));
    }

    private static BadRequest badRequest(com.google.rpc.Status status) {
        try {
            return status.getDetails(0).unpack(BadRequest.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}

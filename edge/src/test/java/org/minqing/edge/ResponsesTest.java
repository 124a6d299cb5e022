package org.minqing.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class ResponsesTest {

    @Test
    void aDatabaseRestartIsUnavailable() {
        SQLException restart = new SQLException("terminating connection due to administrator command", "57P01");
        assertThat(Responses.toStatus(new RuntimeException("Failed to read", restart)).getStatus().getCode())
                .isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void aConnectionThePoolEvictedIsUnavailable() {
        // As Axon wraps it after it went on past a failed snapshot read on the same connection.
        SQLException evicted = new SQLException("Connection is closed");
        assertThat(Responses.toStatus(new IllegalStateException("Failed to create a SQL statement", evicted))
                .getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void otherDatabaseFailuresAreBugs() {
        SQLException syntax = new SQLException("syntax error at or near \"SELEC\"", "42601");
        assertThat(Responses.toStatus(new RuntimeException(syntax)).getStatus().getCode())
                .isEqualTo(Status.Code.INTERNAL);
        assertThat(Responses.toStatus(new RuntimeException(new SQLException("Connection is broken", (String) null)))
                .getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    }
}

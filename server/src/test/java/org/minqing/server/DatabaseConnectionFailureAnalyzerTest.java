package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

class DatabaseConnectionFailureAnalyzerTest {

    private final DatabaseConnectionFailureAnalyzer analyzer = new DatabaseConnectionFailureAnalyzer(
            new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/minqing"));

    @Test
    void explainsAnUnreachableDatabaseInOneReport() {
        var failure = new BeanCreationException("flywayInitializer",
                new RuntimeException(new SQLException("Connection to db:5432 refused.", "08001")));
        FailureAnalysis analysis = analyzer.analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription())
                .contains("jdbc:postgresql://db:5432/minqing", "Connection to db:5432 refused", "08001");
        assertThat(analysis.getAction()).contains("spring.datasource.url");
    }

    @Test
    void neverPrintsAPasswordThatIsInTheUrl() {
        var withPassword = new DatabaseConnectionFailureAnalyzer(new MockEnvironment().withProperty(
                "spring.datasource.url", "jdbc:postgresql://db:5432/minqing?user=minqing&password=s3cret&ssl=true"));
        String description = withPassword.analyze(new SQLException("refused", "08001")).getDescription();
        assertThat(description).doesNotContain("s3cret").contains("password=***&ssl=true");
        assertThat(DatabaseConnectionFailureAnalyzer.redacted("jdbc:postgresql://minqing:s3cret@db:5432/minqing"))
                .isEqualTo("jdbc:postgresql://minqing:***@db:5432/minqing");
        assertThat(DatabaseConnectionFailureAnalyzer.redacted("jdbc:h2:file:./data/m;USER=sa;PASSWORD=s3cret;LOCK_TIMEOUT=1"))
                .isEqualTo("jdbc:h2:file:./data/m;USER=sa;PASSWORD=***;LOCK_TIMEOUT=1");
    }

    @Test
    void explainsRefusedCredentialsAndUnknownDatabases() {
        assertThat(analyzer.analyze(new SQLException("password authentication failed", "28P01"))).isNotNull();
        assertThat(analyzer.analyze(new SQLException("database \"minqing\" does not exist", "3D000"))).isNotNull();
    }

    @Test
    void namesTheDataDirectoryWhenAnotherProcessHoldsTheEmbeddedStore() {
        var locked = new DatabaseConnectionFailureAnalyzer(new MockEnvironment().withProperty("minqing.data-dir", "/srv/minqing"));
        FailureAnalysis analysis = locked.analyze(new SQLException("Database may be already in use", "90020", 90020));
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).isEqualTo(
                "Another process is using the data directory /srv/minqing (its H2 file is locked).");
        assertThat(analysis.getAction()).contains("minqing.data-dir");
    }

    @Test
    void leavesOtherSqlFailuresToTheDefaultReport() {
        assertThat(analyzer.analyze(new SQLException("duplicate key", "23505"))).isNull();
        assertThat(analyzer.analyze(new IllegalStateException("not a database problem"))).isNull();
    }
}

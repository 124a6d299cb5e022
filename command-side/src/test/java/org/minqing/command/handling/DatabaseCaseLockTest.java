package org.minqing.command.handling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two "processes" (two connections, two lock objects) writing to one case on PostgreSQL: the
 * second waits until the first's transaction ends; a different case does not wait. Runs in the
 * PostgreSQL pass ({@code -Dminqing.test.database=postgresql}).
 */
@EnabledIfSystemProperty(named = "minqing.test.database", matches = "postgresql")
class DatabaseCaseLockTest {

    private static final String URL = System.getProperty("minqing.test.postgres-url",
            "jdbc:postgresql://127.0.0.1:5432/test");

    private final DriverManagerDataSource dataSource = new DriverManagerDataSource(URL, "postgres", "");
    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    private final TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

    @Test
    void aSecondWriterOfTheSameCaseWaitsForTheFirstTransactionToEnd() throws Exception {
        DatabaseCaseLock first = new DatabaseCaseLock(jdbc, true);
        DatabaseCaseLock second = new DatabaseCaseLock(jdbc, true);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(tx -> {
            first.acquireForTransaction("case-a");
            held.countDown();
            await(release);
        }));
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> sameCase = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(
                tx -> second.acquireForTransaction("case-a")));
        CompletableFuture<Void> otherCase = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(
                tx -> second.acquireForTransaction("case-b")));

        otherCase.get(10, TimeUnit.SECONDS);
        try {
            sameCase.get(500, TimeUnit.MILLISECONDS);
            throw new AssertionError("the second writer of case-a got the lock while the first held it");
        } catch (TimeoutException expected) {
            // still waiting, as it should
        }
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        sameCase.get(10, TimeUnit.SECONDS);
        assertThat(sameCase).isCompleted();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.minqing.command.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lock's rules, on stand-in connections whose first commit is held open: whoever must wait is
 * seen parked on the lock, whoever need not finishes meanwhile.
 */
class OneCommitAtATimeTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);
    private final Connection first = mock(Connection.class);
    private final Connection second = mock(Connection.class);
    private final DataSource target = mock(DataSource.class);
    private DataSource serialized;
    private Thread holder;

    OneCommitAtATimeTest() throws SQLException {
        when(target.getConnection()).thenReturn(first, second);
        doAnswer(invocation -> {
            holding.countDown();
            release.await();
            return null;
        }).when(first).commit();
        serialized = (DataSource) new OneCommitAtATime("jdbc:h2:file:/var/lib/minqing/minqing;WRITE_DELAY=0")
                .postProcessAfterInitialization(target, "dataSource");
    }

    @AfterEach
    void releaseTheHolder() throws InterruptedException {
        release.countDown();
        if (holder != null) {
            holder.join();
        }
    }

    @Test
    void aCommitWaitsForAnotherCommitToFinish() throws Exception {
        holdFirstCommit();
        Connection other = serialized.getConnection();

        Thread waiter = start(() -> other.commit());

        awaitParkedOnTheLock(waiter);
        verify(second, never()).commit();
        release.countDown();
        waiter.join();
        verify(second).commit();
    }

    @Test
    void aStatementThatCommitsItselfWaitsForACommit() throws Exception {
        holdFirstCommit();
        Statement checkpoint = mock(Statement.class);
        when(second.getAutoCommit()).thenReturn(true);
        when(second.createStatement()).thenReturn(checkpoint);
        Statement statement = serialized.getConnection().createStatement();

        Thread waiter = start(() -> statement.execute("CHECKPOINT SYNC"));

        awaitParkedOnTheLock(waiter);
        verify(checkpoint, never()).execute(anyString());
    }

    @Test
    void aWriteOutsideATransactionRunsAsOneWhoseCommitWaits() throws Exception {
        holdFirstCommit();
        PreparedStatement delete = mock(PreparedStatement.class);
        when(second.getAutoCommit()).thenReturn(true);
        when(second.prepareStatement("DELETE FROM deadline_timer WHERE case_id = ?")).thenReturn(delete);
        PreparedStatement statement = serialized.getConnection().prepareStatement("DELETE FROM deadline_timer WHERE case_id = ?");

        Thread writer = start(statement::executeUpdate);

        awaitParkedOnTheLock(writer);
        verify(second).setAutoCommit(false);
        verify(delete).executeUpdate();
        verify(second, never()).commit();
        release.countDown();
        writer.join();
        var order = inOrder(second, delete);
        order.verify(second).setAutoCommit(false);
        order.verify(delete).executeUpdate();
        order.verify(second).commit();
        order.verify(second).setAutoCommit(true);
    }

    @Test
    void switchingAutoCommitOnCommitsAndSoWaits() throws Exception {
        holdFirstCommit();
        when(second.getAutoCommit()).thenReturn(false);
        Connection other = serialized.getConnection();

        Thread waiter = start(() -> other.setAutoCommit(true));

        awaitParkedOnTheLock(waiter);
        verify(second, never()).setAutoCommit(true);
    }

    @Test
    void queriesAndBackupsDoNotWait() throws Exception {
        holdFirstCommit();
        PreparedStatement query = mock(PreparedStatement.class);
        Statement backup = mock(Statement.class);
        when(second.getAutoCommit()).thenReturn(true);
        when(second.prepareStatement("SELECT 1")).thenReturn(query);
        when(second.createStatement()).thenReturn(backup);
        Connection other = serialized.getConnection();

        Thread reader = start(() -> {
            other.prepareStatement("SELECT 1").executeQuery();
            other.createStatement().execute("BACKUP TO 'backup.zip'");
        });
        reader.join(10_000);

        assertThat(reader.isAlive()).isFalse();
        verify(query).executeQuery();
        verify(backup).execute("BACKUP TO 'backup.zip'");
    }

    @Test
    void aStatementInATransactionDoesNotWait() throws Exception {
        holdFirstCommit();
        PreparedStatement insert = mock(PreparedStatement.class);
        when(second.getAutoCommit()).thenReturn(false);
        when(second.prepareStatement("INSERT INTO t VALUES (1)")).thenReturn(insert);
        PreparedStatement statement = serialized.getConnection().prepareStatement("INSERT INTO t VALUES (1)");

        Thread writer = start(statement::executeUpdate);
        writer.join(10_000);

        assertThat(writer.isAlive()).isFalse();
        verify(insert).executeUpdate();
    }

    @Test
    void onlyAnH2FileIsSerialized() {
        Object postgres = new OneCommitAtATime("jdbc:postgresql://127.0.0.1:5432/minqing")
                .postProcessAfterInitialization(target, "dataSource");
        Object inMemory = new OneCommitAtATime("jdbc:h2:mem:test").postProcessAfterInitialization(target, "dataSource");

        assertThat(postgres).isSameAs(target);
        assertThat(inMemory).isSameAs(target);
        assertThat(serialized).isNotSameAs(target);
    }

    private void holdFirstCommit() throws Exception {
        Connection connection = serialized.getConnection();
        holder = start(connection::commit);
        holding.await();
    }

    private static void awaitParkedOnTheLock(Thread waiter) {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                LockSupport.getBlocker(waiter) != null
                        && LockSupport.getBlocker(waiter).getClass().getEnclosingClass() == ReentrantLock.class);
    }

    private interface Jdbc {
        void run() throws Exception;
    }

    private static Thread start(Jdbc work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        thread.start();
        return thread;
    }
}

package org.minqing.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * A scheduled round in progress when the application stops finishes before the database is
 * closed: the scheduler is created before the data source, so it is destroyed after it, and only
 * its lifecycle stop can hold the data source back (seen on CI as a round's rollback on a closed
 * PostgreSQL connection, with a stack trace, during a SIGTERM).
 */
class SchedulerShutdownTest {

    /** Stands for the data source: remembers whether a round was still running when it closed. */
    static final class Database implements DisposableBean {
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicReference<String> closedDuring = new AtomicReference<>("nothing yet");
        volatile boolean roundRunning;

        @Override
        public void destroy() {
            closedDuring.set(roundRunning ? "a round" : "no round");
            closed.countDown();
        }
    }

    /** A round that, once the context is closing, waits for the database to close under it (or 2 s). */
    static final class Round {
        final Database database;
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch closing = new CountDownLatch(1);

        Round(Database database) {
            this.database = database;
        }

        @Scheduled(fixedDelay = 60_000)
        void run() throws InterruptedException {
            database.roundRunning = true;
            started.countDown();
            try {
                closing.await(10, TimeUnit.SECONDS);
                database.closed.await(2, TimeUnit.SECONDS);
            } finally {
                database.roundRunning = false;
            }
        }
    }

    @EnableScheduling
    static class Scheduling {
    }

    @Test
    void theDatabaseClosesOnlyAfterTheRoundInProgressHasFinished() throws Exception {
        Database database = new Database();
        Round round = new Round(database);
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.register(Scheduling.class);
        context.registerBean("taskScheduler", ThreadPoolTaskScheduler.class, () -> new OperationsConfiguration().taskScheduler());
        context.registerBean("dataSource", Database.class, () -> database);
        context.registerBean(Round.class, () -> round);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                round.closing.countDown();
            }
        });
        context.refresh();
        assertThat(round.started.await(10, TimeUnit.SECONDS)).as("the round started").isTrue();

        context.close();

        assertThat(database.closedDuring.get()).as("what was running when the database closed").isEqualTo("no round");
    }
}

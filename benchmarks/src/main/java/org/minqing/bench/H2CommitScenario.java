package org.minqing.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.minqing.command.store.OneCommitAtATime;

/**
 * Commits torn by a kill, on the embedded store alone: a child process commits transactions of ten
 * rows in each of two tables from eight threads while another thread runs {@code CHECKPOINT SYNC}
 * (as {@code GroupCommit} does), and is killed with SIGKILL at a random moment. After each kill the
 * file is reopened and checked: both tables hold the same ids (a transaction is whole or absent), and
 * each thread's next id is free in both (no invisible row holds a key). Once with H2's own
 * concurrent commits, once with {@link OneCommitAtATime}'s — what the server runs.
 */
final class H2CommitScenario {

    private static final int LANES = 8;
    private static final int ROWS = 10;
    private static final long SPAN = 1_000_000_000L;

    private final Options options;
    private final Path work;

    H2CommitScenario(Options options, Path work) {
        this.options = options;
        this.work = work;
    }

    void run(String command) throws Exception {
        int kills = (int) options.count("cycles", 200);
        Report report = new Report("Torn commits on the embedded store: kill -9 while committing", command);
        Report.Table t = report.table("Kill -9 at a random moment 1.0–1.6 s after each start (8 threads committing, "
                        + "one checkpointing), then the file reopened and checked",
                "commits", "kills", "transactions kept", "kills after which a transaction was torn",
                "kills after which an invisible row held a key", "run s");
        for (boolean serialized : new boolean[] {false, true}) {
            Path dir = Files.createDirectories(work.resolve(serialized ? "one-at-a-time" : "concurrent"));
            Random random = new Random(options.seed());
            long started = System.nanoTime();
            check(url(dir)); // creates the tables
            int torn = 0;
            int held = 0;
            long kept = 0;
            for (int kill = 0; kill < kills; kill++) {
                Process child = new ProcessBuilder(Machine.javaBinary(), "-jar", System.getProperty("java.class.path"),
                        "h2-commits-child", dir.toString(), String.valueOf(serialized)).inheritIO().start();
                Thread.sleep(1000 + random.nextInt(600));
                child.destroyForcibly().waitFor();
                Check check = check(url(dir));
                torn += check.torn ? 1 : 0;
                held += check.held ? 1 : 0;
                if (check.torn || check.held) {
                    System.out.printf("%s, kill %d: torn %s, key held by an invisible row %s%n",
                            serialized ? "one at a time" : "concurrent", kill, check.torn, check.held);
                    // Such rows outlive repair and reopening: the next kill starts on a new file.
                    kept += kept(url(dir));
                    TempFiles.delete(dir);
                    Files.createDirectories(dir);
                    check(url(dir));
                }
            }
            t.row(serialized ? "one at a time (OneCommitAtATime)" : "concurrent (H2 alone)", kills,
                    kept + kept(url(dir)), torn, held, (System.nanoTime() - started) / 1_000_000_000L);
        }
        t.end();
        report.note("H2 " + org.h2.engine.Constants.VERSION + ", URL settings as the server's: WRITE_DELAY=0; "
                + "after a kill that found damage the next starts on a new file, so each kill counts on its own; seed "
                + options.seed());
        report.write(options.docs());
    }

    /** The child: commits until it is killed. */
    static void child(Path dir, boolean serialized) throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url(dir));
        h2.setUser("sa");
        DataSource dataSource = serialized
                ? (DataSource) new OneCommitAtATime(url(dir)).postProcessAfterInitialization(h2, "dataSource")
                : h2;
        List<Thread> threads = new ArrayList<>();
        for (int lane = 0; lane < LANES; lane++) {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            long first = next(connection, lane);
            threads.add(new Thread(() -> commit(connection, first)));
        }
        Connection checkpoints = dataSource.getConnection();
        threads.add(new Thread(() -> checkpoint(checkpoints)));
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void commit(Connection connection, long first) {
        String payload = "x".repeat(600);
        try (PreparedStatement a = connection.prepareStatement("INSERT INTO a VALUES (?, ?)");
             PreparedStatement b = connection.prepareStatement("INSERT INTO b VALUES (?)")) {
            for (long id = first; ; id += ROWS) {
                for (int row = 0; row < ROWS; row++) {
                    a.setLong(1, id + row);
                    a.setString(2, payload);
                    a.executeUpdate();
                }
                for (int row = 0; row < ROWS; row++) {
                    b.setLong(1, id + row);
                    b.executeUpdate();
                }
                connection.commit();
            }
        } catch (SQLException e) {
            System.err.println("a committing thread stopped: " + e);
        }
    }

    private static void checkpoint(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            while (true) {
                statement.execute("CHECKPOINT SYNC");
                Thread.sleep(2);
            }
        } catch (SQLException | InterruptedException e) {
            System.err.println("the checkpointing thread stopped: " + e);
        }
    }

    private record Check(boolean torn, boolean held) {
    }

    private static Check check(String url) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS a(id BIGINT PRIMARY KEY, payload VARCHAR(2000))");
            s.execute("CREATE TABLE IF NOT EXISTS b(id BIGINT PRIMARY KEY)");
            long inA = single(s, "SELECT COUNT(*) FROM a");
            long inB = single(s, "SELECT COUNT(*) FROM b");
            long inBoth = single(s, "SELECT COUNT(*) FROM a JOIN b ON a.id = b.id");
            boolean torn = inA != inBoth || inB != inBoth;
            if (torn) {
                s.executeUpdate("DELETE FROM a WHERE id NOT IN (SELECT id FROM b)");
                s.executeUpdate("DELETE FROM b WHERE id NOT IN (SELECT id FROM a)");
            }
            boolean held = false;
            for (int lane = 0; lane < LANES; lane++) {
                long next = next(c, lane);
                for (String table : List.of("a", "b")) {
                    try (PreparedStatement insert = c.prepareStatement(table.equals("a")
                            ? "INSERT INTO a VALUES (?, 'check')" : "INSERT INTO b VALUES (?)")) {
                        insert.setLong(1, next);
                        insert.executeUpdate();
                        s.executeUpdate("DELETE FROM " + table + " WHERE id = " + next);
                    } catch (SQLException taken) {
                        held = true;
                    }
                }
            }
            return new Check(torn, held);
        }
    }

    private static long kept(String url) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            return single(s, "SELECT COUNT(*) FROM b") / ROWS;
        }
    }

    /** A lane's next id: after the highest it committed to {@code a}. */
    private static long next(Connection c, int lane) throws SQLException {
        try (Statement s = c.createStatement()) {
            long floor = lane * SPAN;
            return single(s, "SELECT COALESCE(MAX(id) + 1, " + floor + ") FROM a WHERE id >= " + floor
                    + " AND id < " + (floor + SPAN));
        }
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String url(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("commits") + ";LOCK_TIMEOUT=10000;WRITE_DELAY=0";
    }
}

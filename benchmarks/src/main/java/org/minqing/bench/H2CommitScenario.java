package org.minqing.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.h2.engine.Constants;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Transactions torn by a kill, on the embedded store alone: a child process commits transactions of
 * ten rows in each of two tables from eight threads while another thread runs {@code CHECKPOINT
 * SYNC} (as {@code GroupCommit} does), and is killed with SIGKILL at a random moment once it is
 * committing. After each kill the file is reopened and checked: both tables hold the same ids (a
 * transaction is whole or absent), and each thread's next id is free in both (no invisible row holds
 * a key). {@code --lock=} narrows down the cause: {@code none} (as H2 runs them), {@code commits}
 * (commits and checkpoints take one lock: no file is written while another commit is half applied),
 * {@code statements} (besides, no file is written while an insert is under way).
 */
final class H2CommitScenario {

    private static final int LANES = 8;
    private static final int ROWS = 10;
    private static final long SPAN = 1_000_000_000L;
    private static final String COMMITTING = "committing";

    /** What the child's threads take turns at ({@code --lock=}). */
    enum Turns {
        NONE("as H2 runs them (--lock=none)"),
        COMMITS("one commit or checkpoint at a time (--lock=commits)"),
        STATEMENTS("besides, no insert while committing (--lock=statements)");

        final String label;

        Turns(String label) {
            this.label = label;
        }

        static Turns of(String option) {
            try {
                return valueOf(option.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--lock= is none, commits or statements, not " + option);
            }
        }
    }

    private final Options options;
    private final Path work;

    H2CommitScenario(Options options, Path work) {
        this.options = options;
        this.work = work;
    }

    void run(String command) throws Exception {
        int kills = (int) options.count("cycles", 200);
        Turns turns = Turns.of(options.get("lock", "none"));
        Report report = new Report("Torn transactions on the embedded store: kill -9 while committing", command);
        Report.Table t = report.table("Kill -9 at a random moment 0.3–1.3 s after the child began committing (8 "
                        + "threads committing, one checkpointing), then the file reopened and checked",
                "commits", "kills", "transactions kept (all kills)", "kills after which a transaction was torn",
                "kills after which an invisible row held a key", "run s");
        Path dir = work.resolve("commits");
        Random random = new Random(options.seed());
        long started = System.nanoTime();
        int torn = 0;
        int held = 0;
        long kept = 0;
        for (int kill = 0; kill < kills; kill++) {
            // Each kill on a new file: damaged rows outlive repair and reopening, and a growing file
            // would make every check slower than the last.
            TempFiles.delete(dir);
            Files.createDirectories(dir);
            createTables(url(dir));
            Process child = new ProcessBuilder(Machine.javaBinary(), "-jar", System.getProperty("java.class.path"),
                    "h2-commits-child", dir.toString(), turns.name())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            awaitCommitting(child);
            Thread.sleep(300 + random.nextInt(1000));
            child.destroyForcibly().waitFor();
            Check check = check(url(dir));
            torn += check.torn ? 1 : 0;
            held += check.held ? 1 : 0;
            kept += check.kept;
            if (check.torn || check.held) {
                System.out.printf("kill %d: torn %s, key held by an invisible row %s%n", kill, check.torn, check.held);
            }
        }
        t.row(turns.label, kills, kept, torn, held, (System.nanoTime() - started) / 1_000_000_000L);
        t.end();
        report.note("H2 " + Constants.VERSION + ", URL settings as the server's: WRITE_DELAY=0; "
                + "each kill on a new file; seed " + options.seed());
        report.write(options.docs());
    }

    private static void awaitCommitting(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); !COMMITTING.equals(line); line = out.readLine()) {
            if (line == null) {
                throw new IllegalStateException("the committing child stopped before it began: exit " + child.waitFor());
            }
        }
    }

    /** The child: commits until it is killed. */
    static void child(Path dir, Turns turns) throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url(dir));
        h2.setUser("sa");
        ReentrantReadWriteLock locks = new ReentrantReadWriteLock();
        Lock commits = turns == Turns.NONE ? null : locks.writeLock();
        Lock inserts = turns == Turns.STATEMENTS ? locks.readLock() : null;
        List<Thread> threads = new ArrayList<>();
        for (int lane = 0; lane < LANES; lane++) {
            Connection connection = h2.getConnection();
            connection.setAutoCommit(false);
            long first = next(connection, lane);
            connection.commit();
            threads.add(new Thread(() -> commit(connection, first, commits, inserts)));
        }
        Connection checkpoints = h2.getConnection();
        threads.add(new Thread(() -> checkpoint(checkpoints, commits)));
        threads.forEach(Thread::start);
        System.out.println(COMMITTING);
        System.out.flush();
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void commit(Connection connection, long first, Lock commits, Lock inserts) {
        String payload = "x".repeat(600);
        try (PreparedStatement a = connection.prepareStatement("INSERT INTO a VALUES (?, ?)");
             PreparedStatement b = connection.prepareStatement("INSERT INTO b VALUES (?)")) {
            for (long id = first; ; id += ROWS) {
                for (int row = 0; row < ROWS; row++) {
                    a.setLong(1, id + row);
                    a.setString(2, payload);
                    locked(inserts, a::executeUpdate);
                }
                for (int row = 0; row < ROWS; row++) {
                    b.setLong(1, id + row);
                    locked(inserts, b::executeUpdate);
                }
                locked(commits, connection::commit);
            }
        } catch (SQLException e) {
            System.err.println("a committing thread stopped: " + e);
        }
    }

    private static void checkpoint(Connection connection, Lock commits) {
        try (Statement statement = connection.createStatement()) {
            while (true) {
                locked(commits, () -> statement.execute("CHECKPOINT SYNC"));
                Thread.sleep(2);
            }
        } catch (SQLException | InterruptedException e) {
            System.err.println("the checkpointing thread stopped: " + e);
        }
    }

    private interface Jdbc {
        void run() throws SQLException;
    }

    private static void locked(Lock lock, Jdbc work) throws SQLException {
        if (lock == null) {
            work.run();
            return;
        }
        lock.lock();
        try {
            work.run();
        } finally {
            lock.unlock();
        }
    }

    /** What one reopening found; {@code kept}: whole transactions in {@code b}. */
    private record Check(boolean torn, boolean held, long kept) {
    }

    private static void createTables(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE a(id BIGINT PRIMARY KEY, payload VARCHAR(2000))");
            s.execute("CREATE TABLE b(id BIGINT PRIMARY KEY)");
        }
    }

    private static Check check(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            long inA = single(s, "SELECT COUNT(*) FROM a");
            long inB = single(s, "SELECT COUNT(*) FROM b");
            long inBoth = single(s, "SELECT COUNT(*) FROM a JOIN b ON a.id = b.id");
            boolean torn = inA != inBoth || inB != inBoth;
            boolean held = false;
            for (int lane = 0; lane < LANES; lane++) {
                long next = next(c, lane);
                for (String table : List.of("a", "b")) {
                    if (single(s, "SELECT COUNT(*) FROM " + table + " WHERE id = " + next) > 0) {
                        continue; // a torn transaction's row, counted above
                    }
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
            return new Check(torn, held, inB / ROWS);
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

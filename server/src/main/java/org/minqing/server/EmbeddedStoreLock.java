package org.minqing.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Refuses to start, within a second, when another process holds the embedded store's H2 file —
 * rather than after the whole context has been built, when H2 itself would refuse. H2 locks the
 * file for as long as it has it open; a lock already held in this JVM means H2 here shares the
 * database, which is allowed (only tests run two contexts in one JVM: closing the probe's channel
 * may then drop this JVM's lock, as POSIX locks go, which weakens only their cross-process check).
 */
class EmbeddedStoreLock implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final String H2_FILE = "jdbc:h2:file:";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String url = context.getEnvironment().getProperty("spring.datasource.url", "");
        if (!url.startsWith(H2_FILE)) {
            return;
        }
        String base = url.substring(H2_FILE.length());
        int settings = base.indexOf(';');
        Path file = Path.of((settings < 0 ? base : base.substring(0, settings)) + ".mv.db");
        if (Files.isRegularFile(file) && heldByAnotherProcess(file)) {
            // H2's own error for this, so that DatabaseConnectionFailureAnalyzer explains it the same way.
            throw new IllegalStateException(new SQLException("Database may be already in use: " + file, "90020", 90020));
        }
    }

    private static boolean heldByAnotherProcess(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException inThisProcess) {
            return false;
        } catch (IOException unreadable) {
            return false; // H2 will say what is wrong with the file
        }
    }
}

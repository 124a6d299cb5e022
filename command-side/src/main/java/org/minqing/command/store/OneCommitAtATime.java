package org.minqing.command.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Lets the embedded H2 store commit one transaction at a time, so that H2 never writes its file
 * while a commit is half applied.
 *
 * <p>H2's MVStore writes a chunk — a snapshot of every table — at each commit and at each
 * {@code CHECKPOINT}. A commit first marks its undo log committed, then turns its rows committed
 * one by one. A chunk written by another thread meanwhile (another commit, {@link GroupCommit}'s
 * {@code CHECKPOINT SYNC}) holds that transaction marked committed and half applied; if the process
 * dies before the next chunk, H2 reopens the half. It was seen torn (one of a transaction's two rows
 * present, the other not), and in {@code CrashRecoveryIT} as rows invisible yet holding their keys,
 * then visible, then gone (H2 2.4.240 finishes such a leftover without ending it). So on an H2 file
 * every commit takes one lock — a commit, switching auto-commit on, {@code CHECKPOINT SYNC} — and
 * every chunk is written between commits. A write outside a transaction, which would commit itself,
 * runs as a transaction of its own whose commit takes the lock. Queries do not take it.
 *
 * <p>Not covered, and why: {@code BACKUP} copies the whole file, seconds during which commands would
 * wait, so it runs beside commits (its one flush is the one chunk written outside the lock); H2 also
 * writes from whichever thread is writing once unsaved changes pass its buffer (about 14 MB; with
 * every commit written at once, only transactions in flight are unsaved); DDL in a transaction
 * commits it unlocked (only migrations run DDL, before any command).
 */
public final class OneCommitAtATime implements BeanPostProcessor {

    private final boolean h2File;

    /** @param url {@code spring.datasource.url}: only an H2 file gets the lock */
    public OneCommitAtATime(String url) {
        this.h2File = url.startsWith("jdbc:h2:file:");
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return h2File && bean instanceof DataSource dataSource && !(bean instanceof Serialized)
                ? new Serialized(dataSource)
                : bean;
    }

    /** The application's data source, its connections committing under one lock. */
    static final class Serialized extends DelegatingDataSource {

        private final ReentrantLock commits = new ReentrantLock();

        Serialized(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return serialized(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return serialized(super.getConnection(username, password));
        }

        private Connection serialized(Connection target) {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "commit" -> locked(target, method, args);
                        case "setAutoCommit" -> (boolean) args[0] && !target.getAutoCommit()
                                ? locked(target, method, args)
                                : call(target, method, args);
                        case "createStatement", "prepareStatement", "prepareCall" ->
                                serialized((Connection) proxy, target, (Statement) call(target, method, args),
                                        method.getReturnType(), args);
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> call(target, method, args);
                    });
        }

        private Statement serialized(Connection connection, Connection target, Statement statement, Class<?> type,
                                     Object[] prepared) {
            String preparedSql = prepared != null && prepared.length > 0 && prepared[0] instanceof String sql ? sql : null;
            return (Statement) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> {
                        String name = method.getName();
                        if (name.equals("getConnection")) {
                            return connection;
                        }
                        if (!name.startsWith("execute") || name.equals("executeQuery") || !target.getAutoCommit()) {
                            return call(statement, method, args);
                        }
                        String sql = args != null && args.length > 0 && args[0] instanceof String given ? given : preparedSql;
                        String command = sql == null ? "" : sql.stripLeading().toUpperCase(Locale.ROOT);
                        if (command.startsWith("BACKUP")) {
                            return call(statement, method, args);
                        }
                        if (command.startsWith("CHECKPOINT")) {
                            return locked(statement, method, args);
                        }
                        return inTransaction(target, statement, method, args);
                    });
        }

        /**
         * A statement that would commit itself, run as a transaction whose commit takes the lock:
         * holding the lock while it runs could wait for a row another transaction holds, whose
         * commit waits for the lock.
         */
        private Object inTransaction(Connection target, Statement statement, Method method, Object[] args) throws Throwable {
            target.setAutoCommit(false);
            try {
                Object result = call(statement, method, args);
                commits.lock();
                try {
                    target.commit();
                } finally {
                    commits.unlock();
                }
                return result;
            } catch (Throwable failure) {
                target.rollback();
                throw failure;
            } finally {
                target.setAutoCommit(true); // nothing is pending: no commit, no write
            }
        }

        private Object locked(Object target, Method method, Object[] args) throws Throwable {
            commits.lock();
            try {
                return call(target, method, args);
            } finally {
                commits.unlock();
            }
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

package org.minqing.privacy;

/** The master key is missing, malformed, or not the one that wrapped this database's keys: the server does not start. */
public class MasterKeyException extends IllegalStateException {

    public MasterKeyException(String message) {
        super(message);
    }
}

package org.minqing.command.store.chain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Fresh SHA-256 digests for the chain and the Merkle log, cloned from one prototype: the provider
 * lookup of {@code getInstance} is a large share of hashing inputs this small.
 */
public final class Sha256 {

    private static final MessageDigest PROTOTYPE = lookedUp();

    private Sha256() {
    }

    public static MessageDigest newDigest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookedUp();
        }
    }

    private static MessageDigest lookedUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

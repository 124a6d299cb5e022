package org.minqing.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The key that wraps every data key and secret: 32 random bytes from configuration, never stored
 * in the database. Its id (8 hex digits of a hash of it) is stored beside what it wrapped, so the
 * server can tell a wrong master key from a damaged entry.
 */
public final class MasterKey {

    private final byte[] key;
    private final String id;

    private MasterKey(byte[] key) {
        this.key = key;
        this.id = id(key);
    }

    /** A master key from its base64 text; {@code source} names where it came from, for the refusal. */
    public static MasterKey parse(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new MasterKeyException(source + " is not base64: it must hold 32 random bytes in base64"
                    + " (make one with: openssl rand -base64 32)");
        }
        if (key.length != Aead.KEY_BYTES) {
            throw new MasterKeyException(source + " holds " + key.length + " bytes: a master key is "
                    + Aead.KEY_BYTES + " random bytes in base64 (make one with: openssl rand -base64 32)");
        }
        return new MasterKey(key);
    }

    public static MasterKey read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.US_ASCII), "the master key file " + file);
        } catch (IOException e) {
            throw new MasterKeyException("cannot read the master key file " + file + ": " + e.getMessage());
        }
    }

    /** A new random master key, base64. */
    public static String generate() {
        return Base64.getEncoder().encodeToString(Aead.newKey());
    }

    public String id() {
        return id;
    }

    byte[] wrap(byte[] secret, String purpose) {
        return Aead.seal(key, secret, associatedData(purpose));
    }

    byte[] unwrap(byte[] wrapped, String purpose) throws GeneralSecurityException {
        return Aead.open(key, wrapped, associatedData(purpose));
    }

    private String associatedData(String purpose) {
        return "minqing wrapped key\n" + id + "\n" + purpose;
    }

    private static String id(byte[] key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("minqing master key id\n".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha256.digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

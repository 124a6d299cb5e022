package org.minqing.command.audit.merkle;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys of C2SP signed notes, in the text forms the Go and C2SP tools use:
 * a verifier key {@code <name>+<key id, 8 hex>+<base64(0x01 ‖ public key)>} and a signer key
 * {@code PRIVATE+KEY+<name>+<key id>+<base64(0x01 ‖ 32-byte seed)>}; the key id is the first four
 * bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key).
 */
public final class NoteKeys {

    private static final byte ED25519 = 0x01;
    private static final HexFormat HEX = HexFormat.of();

    private NoteKeys() {
    }

    /** A verifier's key: the name and id that sign lines carry, and the public key. */
    public record Verifier(String name, byte[] keyId, PublicKey publicKey, String text) {

        public boolean verify(byte[] message, byte[] signature) {
            try {
                Signature ed = Signature.getInstance("Ed25519");
                ed.initVerify(publicKey);
                ed.update(message);
                return ed.verify(signature);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
    }

    /** A signer's key and the verifier key that goes with it. */
    public record Signer(String name, byte[] keyId, PrivateKey privateKey, Verifier verifier, String text) {

        public byte[] sign(byte[] message) {
            try {
                Signature ed = Signature.getInstance("Ed25519");
                ed.initSign(privateKey);
                ed.update(message);
                return ed.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A new key pair for {@code name} (a checkpoint origin such as {@code minqing.example.gov.cn/12345}). */
    public static Signer generate(String name) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return signer(name, seed);
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    public static Signer parseSigner(String text) {
        String[] parts = text.strip().split("\\+", 5); // base64 may hold '+' too
        if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY")) {
            throw new IllegalArgumentException("a signer key reads PRIVATE+KEY+<name>+<key id>+<key>");
        }
        byte[] key = base64(parts[4]);
        if (key.length != 33 || key[0] != ED25519) {
            throw new IllegalArgumentException("the signer key is not an Ed25519 key (0x01 and 32 bytes)");
        }
        Signer signer = signer(parts[2], Arrays.copyOfRange(key, 1, 33));
        if (!HEX.formatHex(signer.keyId()).equals(parts[3])) {
            throw new IllegalArgumentException("the signer key's id " + parts[3] + " is not its key's ("
                    + HEX.formatHex(signer.keyId()) + ")");
        }
        return signer;
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    public static Verifier parseVerifier(String text) {
        String[] parts = text.strip().split("\\+", 3);
        if (parts.length != 3 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("a verifier key reads <name>+<key id>+<key>");
        }
        byte[] key = base64(parts[2]);
        if (key.length != 33 || key[0] != ED25519) {
            throw new IllegalArgumentException("the verifier key is not an Ed25519 key (0x01 and 32 bytes)");
        }
        Verifier verifier = verifier(parts[0], Arrays.copyOfRange(key, 1, 33));
        if (!HEX.formatHex(verifier.keyId()).equals(parts[1])) {
            throw new IllegalArgumentException("the verifier key's id " + parts[1] + " is not its key's ("
                    + HEX.formatHex(verifier.keyId()) + ")");
        }
        return verifier;
    }

    private static Signer signer(String name, byte[] seed) {
        try {
            // Java derives an Ed25519 public key only while generating the pair: the generator
            // draws the 32-byte private key from the random source, so it is handed the seed.
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, bytes.length);
                }
            });
            KeyPair pair = generator.generateKeyPair();
            Verifier verifier = verifier(name, rawPublic(pair.getPublic()));
            String text = "PRIVATE+KEY+" + name + "+" + HEX.formatHex(verifier.keyId()) + "+" + keyText(seed);
            return new Signer(name, verifier.keyId(), pair.getPrivate(), verifier, text);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Verifier verifier(String name, byte[] publicKey) {
        if (name.isEmpty() || name.contains("+") || name.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("a key name has no spaces and no '+': " + name);
        }
        byte[] keyId = keyId(name, publicKey);
        String text = name + "+" + HEX.formatHex(keyId) + "+" + keyText(publicKey);
        return new Verifier(name, keyId, publicKeyOf(publicKey), text);
    }

    private static byte[] keyId(String name, byte[] publicKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(ED25519);
            sha.update(publicKey);
            return Arrays.copyOf(sha.digest(), 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 32-byte encoding of an Ed25519 public key (RFC 8032): the last 32 bytes of its X.509 form. */
    private static byte[] rawPublic(PublicKey key) {
        byte[] encoded = key.getEncoded();
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }

    private static PublicKey publicKeyOf(byte[] raw) {
        try {
            // RFC 8032: y little-endian, the top bit of the last byte is x's parity.
            byte[] y = raw.clone();
            boolean xOdd = (y[31] & 0x80) != 0;
            y[31] &= 0x7f;
            for (int i = 0; i < 16; i++) {
                byte b = y[i];
                y[i] = y[31 - i];
                y[31 - i] = b;
            }
            EdECPoint point = new EdECPoint(xOdd, new java.math.BigInteger(1, y));
            return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /** base64(0x01 ‖ key): the algorithm byte, then the key. */
    private static String keyText(byte[] key) {
        byte[] typed = new byte[key.length + 1];
        typed[0] = ED25519;
        System.arraycopy(key, 0, typed, 1, key.length);
        return Base64.getEncoder().encodeToString(typed);
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is not base64");
        }
    }
}

package org.minqing.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-256-GCM as every key and envelope here uses it (and SM4-GCM for envelopes where 商用密码 is
 * required): a fresh 12-byte nonce, then the ciphertext with its 16-byte tag; the associated data
 * binds the bytes to where they belong.
 */
final class Aead {

    static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Aead() {
    }

    static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    static byte[] seal(byte[] key, byte[] plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce, associatedData);
            byte[] sealed = Arrays.copyOf(nonce, NONCE_BYTES + plaintext.length + TAG_BITS / 8);
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, NONCE_BYTES);
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    /** SM4-GCM under the first 16 bytes of the key (SM4's key length). */
    static byte[] sealSm4(byte[] key, byte[] plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        GCMModeCipher cipher = sm4(true, key, nonce, associatedData);
        byte[] sealed = Arrays.copyOf(nonce, NONCE_BYTES + cipher.getOutputSize(plaintext.length));
        int written = cipher.processBytes(plaintext, 0, plaintext.length, sealed, NONCE_BYTES);
        try {
            cipher.doFinal(sealed, NONCE_BYTES + written);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e); // sealing cannot fail its own tag
        }
        return sealed;
    }

    /** @throws GeneralSecurityException when the bytes were not sealed with this key and associated data */
    static byte[] openSm4(byte[] key, byte[] sealed, String associatedData) throws GeneralSecurityException {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("sealed bytes too short: " + sealed.length);
        }
        GCMModeCipher cipher = sm4(false, key, Arrays.copyOf(sealed, NONCE_BYTES), associatedData);
        byte[] plaintext = new byte[cipher.getOutputSize(sealed.length - NONCE_BYTES)];
        int written = cipher.processBytes(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES, plaintext, 0);
        try {
            cipher.doFinal(plaintext, written);
        } catch (InvalidCipherTextException e) {
            throw new GeneralSecurityException("SM4-GCM: " + e.getMessage(), e);
        }
        return plaintext;
    }

    private static GCMModeCipher sm4(boolean encrypt, byte[] key, byte[] nonce, String associatedData) {
        GCMModeCipher cipher = GCMBlockCipher.newInstance(new SM4Engine());
        cipher.init(encrypt, new AEADParameters(new KeyParameter(key, 0, 16), TAG_BITS, nonce,
                associatedData.getBytes(StandardCharsets.UTF_8)));
        return cipher;
    }

    /** @throws GeneralSecurityException when the bytes were not sealed with this key and associated data */
    static byte[] open(byte[] key, byte[] sealed, String associatedData) throws GeneralSecurityException {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("sealed bytes too short: " + sealed.length);
        }
        Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(sealed, NONCE_BYTES), associatedData);
        return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, String associatedData)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}

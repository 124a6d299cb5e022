package org.minqing.command.audit.merkle;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A signed checkpoint of the Merkle log: the C2SP tlog-checkpoint body (origin, tree size, root
 * hash in base64, one per line) in a C2SP signed note — the body, an empty line, and a signature
 * line {@code — <key name> base64(key id ‖ Ed25519 signature of the body)}.
 */
public record Checkpoint(String origin, long size, byte[] root, String note) {

    private static final String DASH = "\u2014 ";

    /** The checkpoint of {@code size} leaves with {@code root}, signed. */
    public static Checkpoint sign(NoteKeys.Signer signer, String origin, long size, byte[] root) {
        String body = body(origin, size, root);
        byte[] signature = signer.sign(body.getBytes(StandardCharsets.UTF_8));
        byte[] line = new byte[4 + signature.length];
        System.arraycopy(signer.keyId(), 0, line, 0, 4);
        System.arraycopy(signature, 0, line, 4, signature.length);
        String note = body + "\n" + DASH + signer.name() + " " + Base64.getEncoder().encodeToString(line) + "\n";
        return new Checkpoint(origin, size, root, note);
    }

    /**
     * Reads a signed checkpoint and checks it was signed by {@code verifier}.
     *
     * @throws IllegalArgumentException saying why the note is not such a checkpoint
     */
    public static Checkpoint open(String note, NoteKeys.Verifier verifier) {
        int end = note.indexOf("\n\n");
        if (end < 0 || !note.endsWith("\n")) {
            throw new IllegalArgumentException("not a signed note: no empty line between text and signatures");
        }
        String body = note.substring(0, end + 1);
        String[] lines = body.split("\n", -1);
        if (lines.length < 4) {
            throw new IllegalArgumentException("not a checkpoint: it needs an origin, a size and a root hash");
        }
        long size;
        byte[] root;
        try {
            size = Long.parseLong(lines[1]);
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a checkpoint: the size or the root hash does not parse");
        }
        if (size < 0 || root.length != 32) {
            throw new IllegalArgumentException("not a checkpoint: a size of 0 or more and a 32-byte root hash");
        }
        boolean signed = false;
        for (String line : note.substring(end + 2).split("\n")) {
            if (!line.startsWith(DASH)) {
                throw new IllegalArgumentException("not a signed note: a signature line starts with '\u2014 '");
            }
            String[] nameAndSignature = line.substring(DASH.length()).split(" ");
            if (nameAndSignature.length != 2 || !nameAndSignature[0].equals(verifier.name())) {
                continue; // another witness's signature: not ours to check
            }
            byte[] signature = Base64.getDecoder().decode(nameAndSignature[1]);
            if (signature.length == 68 && Arrays.equals(Arrays.copyOf(signature, 4), verifier.keyId())
                    && verifier.verify(body.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(signature, 4, 68))) {
                signed = true;
            }
        }
        if (!signed) {
            throw new IllegalArgumentException("the checkpoint is not signed by " + verifier.name()
                    + " with the key given (or its text was changed)");
        }
        return new Checkpoint(lines[0], size, root, note);
    }

    private static String body(String origin, long size, byte[] root) {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }
}

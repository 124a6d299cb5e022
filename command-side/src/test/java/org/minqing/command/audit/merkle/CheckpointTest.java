package org.minqing.command.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CheckpointTest {

    private final NoteKeys.Signer signer = NoteKeys.generate("minqing.example/12345");

    @Test
    void aSignedCheckpointOpensWithItsVerifierKeyAndItsTextForm() {
        Checkpoint signed = Checkpoint.sign(signer, "minqing.example/12345", 8, MerkleHashes.emptyRoot());
        assertThat(signed.note()).startsWith("minqing.example/12345\n8\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n\u2014 minqing.example/12345 ");

        NoteKeys.Verifier verifier = NoteKeys.parseVerifier(signer.verifier().text());
        Checkpoint opened = Checkpoint.open(signed.note(), verifier);
        assertThat(opened.size()).isEqualTo(8);
        assertThat(opened.root()).isEqualTo(MerkleHashes.emptyRoot());
        assertThat(opened.origin()).isEqualTo("minqing.example/12345");
    }

    @Test
    void theSignerKeysTextFormGivesTheSameKey() {
        NoteKeys.Signer again = NoteKeys.parseSigner(signer.text());
        assertThat(again.verifier().text()).isEqualTo(signer.verifier().text());
        Checkpoint signed = Checkpoint.sign(again, "o", 1, MerkleHashes.emptyRoot());
        assertThat(Checkpoint.open(signed.note(), signer.verifier()).size()).isEqualTo(1);
    }

    @Test
    void anAlteredCheckpointOrAnotherKeyIsRefused() {
        String note = Checkpoint.sign(signer, "minqing.example/12345", 8, MerkleHashes.emptyRoot()).note();
        assertThatThrownBy(() -> Checkpoint.open(note.replace("\n8\n", "\n9\n"), signer.verifier()))
                .hasMessageContaining("not signed by");
        NoteKeys.Verifier other = NoteKeys.generate("minqing.example/12345").verifier();
        assertThatThrownBy(() -> Checkpoint.open(note, other)).hasMessageContaining("not signed by");
        assertThatThrownBy(() -> Checkpoint.open("garbage", signer.verifier())).hasMessageContaining("not a signed note");
    }

    @Test
    void keysWithAWrongIdOrAlgorithmAreRefused() {
        String text = signer.verifier().text();
        String wrongId = text.replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");
        assertThatThrownBy(() -> NoteKeys.parseVerifier(wrongId)).hasMessageContaining("id");
        assertThatThrownBy(() -> NoteKeys.parseVerifier("name+00000000+AAAA")).hasMessageContaining("Ed25519");
        assertThatThrownBy(() -> NoteKeys.parseSigner(text)).hasMessageContaining("PRIVATE+KEY");
    }
}

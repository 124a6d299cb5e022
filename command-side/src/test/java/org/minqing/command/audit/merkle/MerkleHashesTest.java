package org.minqing.command.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * RFC 6962/9162 hashing against the published test vectors (Certificate Transparency's eight
 * leaves and the roots of each prefix), and proofs made and verified for every tree up to 40 leaves,
 * each refused once a byte or a position is changed.
 */
class MerkleHashesTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final List<byte[]> LEAVES = List.of("", "00", "10", "2021", "3031", "40414243",
            "5051525354555657", "606162636465666768696a6b6c6d6e6f").stream()
            .map(h -> MerkleHashes.leafOf(HEX.parseHex(h))).toList();
    private static final List<String> ROOTS = List.of(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @Test
    void rootsOfThePublishedVectors() {
        assertThat(HEX.formatHex(MerkleHashes.emptyRoot()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        for (int size = 1; size <= 8; size++) {
            assertThat(HEX.formatHex(MerkleHashes.root(LEAVES.subList(0, size)))).as("root of %d", size)
                    .isEqualTo(ROOTS.get(size - 1));
            assertThat(HEX.formatHex(subtrees(LEAVES).hash(0, size))).isEqualTo(ROOTS.get(size - 1));
        }
    }

    @Test
    void thePublishedInclusionProofOfTheFirstLeafInEight() {
        assertThat(MerkleHashes.inclusionProof(0, 8, subtrees(LEAVES))).extracting(HEX::formatHex).containsExactly(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    }

    @Test
    void everyInclusionProofVerifiesAndNoAlteredOneDoes() {
        List<byte[]> leaves = leaves(40);
        for (int size = 1; size <= leaves.size(); size++) {
            byte[] root = MerkleHashes.root(leaves.subList(0, size));
            for (int index = 0; index < size; index++) {
                List<byte[]> proof = MerkleHashes.inclusionProof(index, size, subtrees(leaves));
                assertThat(MerkleHashes.verifyInclusion(index, size, leaves.get(index), proof, root))
                        .as("leaf %d of %d", index, size).isTrue();
                assertThat(MerkleHashes.verifyInclusion(index, size, leaves.get((index + 1) % size), proof, root)
                        && size > 1).as("another leaf").isFalse();
                if (size > 1) {
                    assertThat(MerkleHashes.verifyInclusion((index + 1) % size, size, leaves.get(index), proof, root))
                            .as("another position").isFalse();
                    List<byte[]> altered = new ArrayList<>(proof);
                    byte[] first = altered.get(0).clone();
                    first[0] ^= 1;
                    altered.set(0, first);
                    assertThat(MerkleHashes.verifyInclusion(index, size, leaves.get(index), altered, root)).isFalse();
                }
            }
        }
    }

    @Test
    void everyConsistencyProofVerifiesAndNoneBetweenDifferentHistories() {
        List<byte[]> leaves = leaves(40);
        List<byte[]> rewritten = new ArrayList<>(leaves);
        rewritten.set(2, MerkleHashes.leafOf(new byte[] {42}));
        for (int second = 1; second <= leaves.size(); second++) {
            byte[] secondRoot = MerkleHashes.root(leaves.subList(0, second));
            for (int first = 1; first <= second; first++) {
                List<byte[]> proof = MerkleHashes.consistencyProof(first, second, subtrees(leaves));
                byte[] firstRoot = MerkleHashes.root(leaves.subList(0, first));
                assertThat(MerkleHashes.verifyConsistency(first, second, firstRoot, secondRoot, proof))
                        .as("%d -> %d", first, second).isTrue();
                if (first > 2) {
                    byte[] otherHistory = MerkleHashes.root(rewritten.subList(0, first));
                    assertThat(MerkleHashes.verifyConsistency(first, second, otherHistory, secondRoot, proof))
                            .as("%d (rewritten) -> %d", first, second).isFalse();
                }
            }
        }
    }

    @Test
    void aMinqingLeafCommitsToCaseSequenceAndChainHash() {
        byte[] hash = new byte[32];
        byte[] leaf = MerkleHashes.leaf("c-1", 0, hash);
        assertThat(leaf).isNotEqualTo(MerkleHashes.leaf("c-2", 0, hash)).isNotEqualTo(MerkleHashes.leaf("c-1", 1, hash));
        hash[31] = 1;
        assertThat(leaf).isNotEqualTo(MerkleHashes.leaf("c-1", 0, hash));
    }

    @Test
    void theFrontierGivesEveryPrefixsRoot() {
        List<byte[]> leaves = leaves(40);
        MerkleHashes.Frontier frontier = new MerkleHashes.Frontier();
        for (int size = 1; size <= leaves.size(); size++) {
            frontier.add(leaves.get(size - 1));
            assertThat(frontier.root()).isEqualTo(MerkleHashes.root(leaves.subList(0, size)))
                    .isEqualTo(subtrees(leaves).hash(0, size));
        }
    }

    private static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(MerkleHashes.leaf("case-" + (i % 7), i / 7, MerkleHashes.leafOf(new byte[] {(byte) i})));
        }
        return leaves;
    }

    /** RFC 9162's MTH, straight from its definition: what a stored tree must answer. */
    private static MerkleHashes.Subtrees subtrees(List<byte[]> leaves) {
        return new MerkleHashes.Subtrees() {
            @Override
            public byte[] hash(long from, long to) {
                if (to - from == 1) {
                    return leaves.get((int) from);
                }
                long k = MerkleHashes.split(to - from);
                return MerkleHashes.node(hash(from, from + k), hash(from + k, to));
            }
        };
    }

    /** docs/audit.md's worked example, checkpoint included (Ed25519 signatures are deterministic). */
    @Test
    void theDocumentedWorkedExample() {
        String a = "5b0f1f6e-2c1a-3d4e-9f00-000000000001";
        List<byte[]> leaves = List.of(MerkleHashes.leaf(a, 0, filled(0x1f)), MerkleHashes.leaf(a, 1, filled(0x2f)),
                MerkleHashes.leaf("8c2d0a11-7e3b-3c5d-8a00-000000000002", 0, filled(0x3f)));
        assertThat(leaves).extracting(HEX::formatHex).containsExactly(
                "e8513b1e503516da73753147f44c626850f5c39d7dc24734da68e4c660e550c4",
                "2a585151dd48d4835ecc594c79c92a5f1acdc3c99539929e11ba3ee7267e3946",
                "8d2001d347e196648ec2f1983ee88240d86aca1fa89e23bf861f23a515caf549");
        byte[] root = MerkleHashes.root(leaves);
        assertThat(HEX.formatHex(root)).isEqualTo("fad7c4798cc45edea8718e9ae23ef3cd090969782dd1e3c75718859e04080f00");
        NoteKeys.Signer dev = NoteKeys.parseSigner("PRIVATE+KEY+minqing.dev/12345+56b62fce+AaKvDTx4XiYRlHZl7U8GoWvkks+awPL4q0e6gj4Jowx+");
        assertThat(dev.verifier().text()).isEqualTo("minqing.dev/12345+56b62fce+AVW4hRNW1UtntH7OY143ecWKzeQqq7c/TYH6jUyvyIn2");
        assertThat(Checkpoint.sign(dev, "minqing.dev/12345", 3, root).note()).isEqualTo("minqing.dev/12345\n3\n"
                + "+tfEeYzEXt6ocY6a4j7zzQkJaXgt0ePHVxiFngQIDwA=\n\n\u2014 minqing.dev/12345 "
                + "VrYvzuRXUuEYhy9hugoOvBC5oquVjTso++ULiAB2t/E/EpBQqUEnv1JbIBcRXlnNY49Gilvw7Sg9zpxvNVtU8KqI5go=\n");
    }

    private static byte[] filled(int value) {
        byte[] hash = new byte[32];
        java.util.Arrays.fill(hash, (byte) value);
        return hash;
    }
}

package org.minqing.command.audit.merkle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.minqing.command.store.chain.Sha256;

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0, as RFC 6962): SHA-256, leaves hashed
 * with a 0x00 prefix and interior nodes with 0x01, a tree of n leaves split at the largest power
 * of two below n. Inclusion and consistency proofs are made from a {@link Subtrees} source (the
 * stored tree) and verified from hashes alone, the way an auditor's tool does.
 */
public final class MerkleHashes {

    /** Version label of Minqing's leaf data (docs/audit.md, "The Merkle log"). */
    public static final String LEAF_VERSION = "minqing-leaf-v1";

    private MerkleHashes() {
    }

    /** The hash of the root of a subtree: what a stored tree can answer for a range of leaves. */
    public interface Subtrees {
        /** The root of leaves {@code [from, to)}, {@code to - from >= 1}. */
        byte[] hash(long from, long to);
    }

    /** The root of a perfect subtree: {@code 2^level} leaves from {@code index * 2^level}. */
    public interface PerfectSubtrees {
        byte[] node(long level, long index);
    }

    /** RFC 9162's subtree roots, each one of the perfect subtrees or made of two. */
    public static Subtrees fromPerfect(PerfectSubtrees nodes) {
        return new Subtrees() {
            @Override
            public byte[] hash(long from, long to) {
                long n = to - from;
                if (Long.bitCount(n) == 1 && from % n == 0) {
                    return nodes.node(Long.numberOfTrailingZeros(n), from / n);
                }
                long k = split(n);
                return node(hash(from, from + k), hash(from + k, to));
            }
        };
    }

    /** SHA-256(0x00 ‖ F(label) ‖ F(case) ‖ F(sequence) ‖ F(chain hash)): one event's leaf. */
    public static byte[] leaf(String caseId, long sequence, byte[] chainHash) {
        MessageDigest sha = Sha256.newDigest();
        sha.update((byte) 0);
        field(sha, LEAF_VERSION.getBytes(StandardCharsets.US_ASCII));
        field(sha, caseId.getBytes(StandardCharsets.UTF_8));
        field(sha, Long.toString(sequence).getBytes(StandardCharsets.US_ASCII));
        field(sha, chainHash);
        return sha.digest();
    }

    /** SHA-256(0x00 ‖ data): RFC 9162's leaf hash of arbitrary data (its test vectors use it). */
    public static byte[] leafOf(byte[] data) {
        MessageDigest sha = Sha256.newDigest();
        sha.update((byte) 0);
        sha.update(data);
        return sha.digest();
    }

    /** SHA-256(0x01 ‖ left ‖ right). */
    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest sha = Sha256.newDigest();
        sha.update((byte) 1);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /** The root of the empty tree: SHA-256 of nothing. */
    public static byte[] emptyRoot() {
        return Sha256.newDigest().digest();
    }

    /** The root over leaf hashes in order, in one pass and O(log n) memory. */
    public static byte[] root(List<byte[]> leaves) {
        Frontier frontier = new Frontier();
        leaves.forEach(frontier::add);
        return frontier.root();
    }

    /**
     * The perfect subtrees a growing tree has completed, right to left: adding leaves one by one
     * and asking the root at any moment costs O(log n) each (an offline verifier's tree).
     */
    public static final class Frontier {
        private final List<byte[]> hashes = new ArrayList<>();
        private final List<Long> sizes = new ArrayList<>();
        private long size;

        public void add(byte[] leafHash) {
            byte[] hash = leafHash;
            long subtree = 1;
            while (!sizes.isEmpty() && sizes.get(sizes.size() - 1) == subtree) {
                hash = node(hashes.remove(hashes.size() - 1), hash);
                sizes.remove(sizes.size() - 1);
                subtree *= 2;
            }
            hashes.add(hash);
            sizes.add(subtree);
            size++;
        }

        public long size() {
            return size;
        }

        public byte[] root() {
            if (hashes.isEmpty()) {
                return emptyRoot();
            }
            byte[] root = hashes.get(hashes.size() - 1);
            for (int i = hashes.size() - 2; i >= 0; i--) {
                root = node(hashes.get(i), root);
            }
            return root;
        }
    }

    /** RFC 9162 2.1.3.1: the audit path of leaf {@code index} in the tree of the first {@code size} leaves. */
    public static List<byte[]> inclusionProof(long index, long size, Subtrees tree) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> path = new ArrayList<>();
        path(index, 0, size, tree, path);
        return path;
    }

    private static void path(long index, long from, long to, Subtrees tree, List<byte[]> path) {
        long n = to - from;
        if (n == 1) {
            return;
        }
        long k = split(n);
        if (index - from < k) {
            path(index, from, from + k, tree, path);
            path.add(tree.hash(from + k, to));
        } else {
            path(index, from + k, to, tree, path);
            path.add(tree.hash(from, from + k));
        }
    }

    /** RFC 9162 2.1.4.1: proof that the tree of {@code first} leaves is a prefix of the tree of {@code second}. */
    public static List<byte[]> consistencyProof(long first, long second, Subtrees tree) {
        if (first < 1 || first > second) {
            throw new IllegalArgumentException("no consistency proof from " + first + " to " + second);
        }
        List<byte[]> proof = new ArrayList<>();
        subproof(first, 0, second, true, tree, proof);
        return proof;
    }

    private static void subproof(long m, long from, long to, boolean complete, Subtrees tree, List<byte[]> proof) {
        long n = to - from;
        if (m == n) {
            if (!complete) {
                proof.add(tree.hash(from, to));
            }
            return;
        }
        long k = split(n);
        if (m <= k) {
            subproof(m, from, from + k, complete, tree, proof);
            proof.add(tree.hash(from + k, to));
        } else {
            subproof(m - k, from + k, to, false, tree, proof);
            proof.add(tree.hash(from, from + k));
        }
    }

    /** RFC 9162 2.1.3.2. */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    /** RFC 9162 2.1.4.2. */
    public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot,
                                            List<byte[]> proof) {
        if (first < 1 || first > second) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstRoot);
        }
        if (path.isEmpty()) {
            return false;
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = node(c, fr);
                sr = node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
    }

    /** The largest power of two below {@code n} (n ≥ 2). */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static void field(MessageDigest sha, byte[] value) {
        sha.update(new byte[] {(byte) (value.length >>> 24), (byte) (value.length >>> 16),
                (byte) (value.length >>> 8), (byte) value.length});
        sha.update(value);
    }
}

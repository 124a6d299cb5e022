package org.minqing.server.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.minqing.command.audit.merkle.MerkleHashes;

/**
 * The leaves of an export's first events, kept to answer the root of any prefix of them in
 * O(log n): what bisecting against a checkpoint needs. 32 bytes and a line number per leaf, and as
 * much again for the perfect subtrees, hashed once when the first root is asked.
 */
final class ExportTree {

    private byte[] leaves = new byte[32 * 1024];
    private long[] lines = new long[1024];
    private int size;
    private List<byte[]> levels;

    void add(byte[] leafHash, long line) {
        if (size == lines.length) {
            leaves = Arrays.copyOf(leaves, leaves.length * 2);
            lines = Arrays.copyOf(lines, lines.length * 2);
        }
        System.arraycopy(leafHash, 0, leaves, size * 32, 32);
        lines[size++] = line;
        levels = null;
    }

    int size() {
        return size;
    }

    /** The NDJSON line the leaf at {@code index} was read from. */
    long lineOf(long index) {
        return lines[(int) index];
    }

    /** The root of the first {@code prefix} leaves (1 ≤ prefix ≤ size). */
    byte[] root(long prefix) {
        if (levels == null) {
            levels = perfectSubtrees();
        }
        return MerkleHashes.fromPerfect((level, index) -> Arrays.copyOfRange(levels.get((int) level),
                (int) index * 32, (int) index * 32 + 32)).hash(0, prefix);
    }

    /** Level 0 is the leaves; level l holds the roots of the aligned runs of 2^l leaves. */
    private List<byte[]> perfectSubtrees() {
        List<byte[]> built = new ArrayList<>();
        byte[] below = leaves; // rows past size are unused
        built.add(below);
        for (int count = size / 2; count >= 1; count /= 2) {
            byte[] level = new byte[count * 32];
            for (int i = 0; i < count; i++) {
                byte[] node = MerkleHashes.node(Arrays.copyOfRange(below, 2 * i * 32, 2 * i * 32 + 32),
                        Arrays.copyOfRange(below, (2 * i + 1) * 32, (2 * i + 1) * 32 + 32));
                System.arraycopy(node, 0, level, i * 32, 32);
            }
            built.add(level);
            below = level;
        }
        return built;
    }
}

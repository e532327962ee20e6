package dev.seldonj.node.volume;

import java.util.Arrays;

/** One file of a Secret, ConfigMap, downward API or projected volume: its bytes and permission bits. */
public record FileContent(byte[] data, int mode) {

    @Override
    public boolean equals(Object o) {
        return o instanceof FileContent other && other.mode == mode && Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + mode;
    }

    @Override
    public String toString() {
        return "FileContent[" + data.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
    }
}

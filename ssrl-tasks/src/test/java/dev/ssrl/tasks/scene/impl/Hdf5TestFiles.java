package dev.ssrl.tasks.scene.impl;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.checksum.ChecksumUtils;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Builds HDF5 files that jHDF's writer cannot make (link cycles, soft links, unsigned 64-bit data,
 * never-written datasets): the file is written with jHDF, then one message of one object header is
 * edited in place and the header's checksum recomputed. Only the layout jHDF writes is handled:
 * superblock version 2 or 3 at offset 0 with 8-byte offsets, version 2 object headers in one chunk,
 * link messages with a one-byte name length. The offsets follow the HDF5 file format specification,
 * version 3.0 (superblock, object header, link, datatype and data layout messages).
 */
final class Hdf5TestFiles {
  private Hdf5TestFiles() {}

  static final int DATATYPE = 0x03;
  static final int LAYOUT = 0x08;
  static final int LINK = 0x06;

  /** A file written by jHDF's writer, as bytes. */
  static byte[] write(Path scratch, Consumer<WritableHdfFile> build) throws IOException {
    try (WritableHdfFile f = HdfFile.write(scratch)) {
      build.accept(f);
    }
    byte[] b = Files.readAllBytes(scratch);
    Files.delete(scratch);
    return b;
  }

  /** The address of the root group's object header (superblock v2/v3). */
  static long rootAddress(byte[] b) {
    if (b[8] != 2 && b[8] != 3 || b[9] != 8) {
      throw new IllegalStateException("unexpected superblock version " + b[8] + " / " + b[9]);
    }
    return le(b, 36, 8);
  }

  /** The address the hard link {@code name} in the group at {@code group} points to. */
  static long linkAddress(byte[] b, long group, String name) {
    return le(b, linkData(b, group, name) + 4 + name.length(), 8);
  }

  /** Points the hard link {@code name} of the group at {@code group} to {@code target}. */
  static void retarget(byte[] b, long group, String name, long target) {
    int at = linkData(b, group, name) + 4 + name.length();
    putLe(b, at, 8, target);
    rehash(b, group);
  }

  /**
   * Turns the hard link {@code name} into a soft link to {@code target}, which must be 5 bytes
   * long: a hard link message (version, flags, charset, name length, name, 8-byte address) and a
   * soft one (version, flags, type, charset, name length, name, 2-byte length, path) then have the
   * same size, so the header keeps its layout.
   */
  static void soften(byte[] b, long group, String name, String target) {
    if (target.length() != 5) {
      throw new IllegalArgumentException("target must be 5 bytes: " + target);
    }
    int at = linkData(b, group, name);
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    int p = at;
    b[p++] = 1; // version
    b[p++] = 0x18; // link type and charset present, one-byte name length
    b[p++] = 1; // soft link
    b[p++] = 1; // UTF-8
    b[p++] = (byte) n.length;
    System.arraycopy(n, 0, b, p, n.length);
    p += n.length;
    putLe(b, p, 2, 5);
    System.arraycopy(target.getBytes(StandardCharsets.US_ASCII), 0, b, p + 2, 5);
    rehash(b, group);
  }

  /** Marks the integer dataset at {@code dataset} unsigned (clears the datatype's signed bit). */
  static void makeUnsigned(byte[] b, long dataset) {
    int at = message(b, dataset, DATATYPE);
    if ((b[at] & 0x0F) != 0) {
      throw new IllegalStateException("not a fixed-point datatype");
    }
    b[at + 1] &= ~0x08;
    rehash(b, dataset);
  }

  /** Sets the contiguous data address of the dataset at {@code dataset} to "undefined". */
  static void unallocate(byte[] b, long dataset) {
    int at = message(b, dataset, LAYOUT);
    if (b[at] != 3 || b[at + 1] != 1) {
      throw new IllegalStateException("not a version 3 contiguous layout");
    }
    putLe(b, at + 2, 8, -1L);
    rehash(b, dataset);
  }

  /** Offset of the data of the first message of {@code type} in the header at {@code header}. */
  static int message(byte[] b, long header, int type) {
    Header h = header(b, header);
    int p = h.messages;
    while (p + 4 <= h.checksum) {
      int t = b[p] & 0xFF;
      int size = (int) le(b, p + 1, 2);
      int data = p + 4 + (h.creationOrder ? 2 : 0);
      if (t == type) {
        return data;
      }
      p = data + size;
    }
    throw new IllegalStateException("no message of type " + type + " at " + header);
  }

  private static int linkData(byte[] b, long group, String name) {
    Header h = header(b, group);
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    int p = h.messages;
    while (p + 4 <= h.checksum) {
      int t = b[p] & 0xFF;
      int size = (int) le(b, p + 1, 2);
      int data = p + 4 + (h.creationOrder ? 2 : 0);
      // jHDF writes hard links as: version 1, flags 0x10, charset, one-byte name length, name.
      if (t == LINK && b[data + 1] == 0x10 && (b[data + 3] & 0xFF) == n.length) {
        boolean same = true;
        for (int i = 0; i < n.length; i++) {
          same &= b[data + 4 + i] == n[i];
        }
        if (same) {
          return data;
        }
      }
      p = data + size;
    }
    throw new IllegalStateException("no hard link '" + name + "' in the group at " + group);
  }

  private record Header(int start, int messages, int checksum, boolean creationOrder) {}

  private static Header header(byte[] b, long address) {
    int h = Math.toIntExact(address);
    if (b[h] != 'O' || b[h + 1] != 'H' || b[h + 2] != 'D' || b[h + 3] != 'R' || b[h + 4] != 2) {
      throw new IllegalStateException("no version 2 object header at " + address);
    }
    int flags = b[h + 5] & 0xFF;
    int p = h + 6;
    if ((flags & 0x20) != 0) {
      p += 16; // access, modification, change and birth times
    }
    if ((flags & 0x10) != 0) {
      p += 4; // attribute phase change values
    }
    int sizeBytes = 1 << (flags & 3);
    int chunk = (int) le(b, p, sizeBytes);
    p += sizeBytes;
    return new Header(h, p, p + chunk, (flags & 0x04) != 0);
  }

  private static void rehash(byte[] b, long address) {
    Header h = header(b, address);
    byte[] covered = new byte[h.checksum - h.start];
    System.arraycopy(b, h.start, covered, 0, covered.length);
    ByteBuffer.wrap(b, h.checksum, 4)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(ChecksumUtils.checksum(covered));
  }

  private static long le(byte[] b, int at, int n) {
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = v << 8 | (b[at + i] & 0xFF);
    }
    return v;
  }

  private static void putLe(byte[] b, int at, int n, long v) {
    for (int i = 0; i < n; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }
}

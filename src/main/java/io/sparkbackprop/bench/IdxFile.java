package io.sparkbackprop.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The IDX format of (Fashion-)MNIST, unsigned bytes only: magic {@code 0x00 0x00 0x08 ndim},
 * {@code ndim} big-endian int32 dimensions, then the values in row-major order. Files ending in
 * {@code .gz} are gunzipped on the fly.
 *
 * @param shape dimensions, e.g. (60000, 28, 28) for images or (60000) for labels
 * @param values every value, row-major, as unsigned bytes stored in a byte array
 */
public record IdxFile(int[] shape, byte[] values) {
  private static final int UNSIGNED_BYTE = 0x08;

  public IdxFile {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
          + " values, got " + values.length);
    }
  }

  /** Number of items (the first dimension). */
  public int items() {
    return shape[0];
  }

  /** Values per item (the product of the other dimensions). */
  public int itemSize() {
    int s = 1;
    for (int i = 1; i < shape.length; i++) {
      s *= shape[i];
    }
    return s;
  }

  /** Unsigned value {@code j} of item {@code i}. */
  public int get(int i, int j) {
    return values[i * itemSize() + j] & 0xff;
  }

  public static IdxFile read(Path path) throws IOException {
    try (InputStream raw = Files.newInputStream(path);
        DataInputStream in = new DataInputStream(new BufferedInputStream(
            path.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16))) {
      int magic = in.readInt();
      int type = (magic >>> 8) & 0xff;
      int ndim = magic & 0xff;
      if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || ndim < 1) {
        throw new IOException(path + ": not an unsigned-byte IDX file (magic 0x"
            + Integer.toHexString(magic) + ")");
      }
      int[] shape = new int[ndim];
      long n = 1;
      for (int i = 0; i < ndim; i++) {
        shape[i] = in.readInt();
        if (shape[i] < 0) {
          throw new IOException(path + ": dimension " + i + " is negative: " + shape[i]);
        }
        n *= shape[i];
      }
      if (n > Integer.MAX_VALUE - 8) {
        throw new IOException(path + ": " + n + " values are more than one array holds");
      }
      byte[] values = new byte[(int) n];
      try {
        in.readFully(values);
      } catch (EOFException e) {
        throw new IOException(path + ": truncated, expected " + n + " values after the header", e);
      }
      return new IdxFile(shape, values);
    }
  }

  /** Writes this file, gzipped when {@code path} ends in {@code .gz} (for tests and samples). */
  public void write(Path path) throws IOException {
    try (OutputStream raw = Files.newOutputStream(path);
        OutputStream out = path.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw) {
      java.io.DataOutputStream d = new java.io.DataOutputStream(out);
      d.writeInt((UNSIGNED_BYTE << 8) | shape.length);
      for (int s : shape) {
        d.writeInt(s);
      }
      d.write(values);
      d.flush();
    }
  }
}

package io.sparkbackprop.optim;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Everything an optimizer needs to continue exactly: the number of steps taken and named buffers,
 * each as long as the parameter vector and in its layout. Made by {@link Optimizer#init}, updated
 * in place by {@link Optimizer#step}, owned by the caller (who checkpoints it with
 * {@link #writeTo}). A state restored by {@link #readFrom} continues bit-for-bit like the original.
 *
 * <p>Buffer names, by optimizer: momentum and nesterov {@code momentumBuffer}; adam and adamw
 * {@code expAvg}, {@code expAvgSq}; rmsprop {@code squareAvg}; adagrad {@code sum}; sgd none.
 * They are PyTorch's state keys in camel case, so a checkpoint can be mapped to torch's.
 */
public final class OptimizerState {
  /** "OPTS": tells an optimizer state stream from anything else handed to {@link #readFrom}. */
  static final int MAGIC = 0x4F505453;
  static final int VERSION = 1;
  /** No optimizer has more than two buffers; a larger count means a corrupt stream. */
  private static final int MAX_BUFFERS = 64;

  private long step;
  private final String[] names;
  private final double[][] buffers;

  OptimizerState(long step, String[] names, double[][] buffers) {
    this.step = step;
    this.names = names;
    this.buffers = buffers;
  }

  /** A fresh state: step 0 and every buffer zero, as PyTorch's lazily created state. */
  static OptimizerState zeros(List<String> names, int numParams) {
    double[][] buffers = new double[names.size()][];
    for (int b = 0; b < buffers.length; b++) {
      buffers[b] = new double[numParams];
    }
    return new OptimizerState(0, names.toArray(new String[0]), buffers);
  }

  /** Number of optimizer steps taken so far; the next step is number {@code step() + 1}. */
  public long step() {
    return step;
  }

  void advance() {
    step++;
  }

  /**
   * The live buffer (not a copy) called {@code name}, laid out like the parameters.
   *
   * @throws IllegalArgumentException if this state has no such buffer, e.g. a state made by
   *     another kind of optimizer
   */
  public double[] buffer(String name) {
    for (int b = 0; b < names.length; b++) {
      if (names[b].equals(name)) {
        return buffers[b];
      }
    }
    throw new IllegalArgumentException(
        "optimizer state has no buffer '" + name + "', has " + Arrays.toString(names));
  }

  /** Buffer names in the order they are stored and serialized. */
  public List<String> bufferNames() {
    return List.of(names);
  }

  /** A deep copy: stepping either afterwards does not affect the other. */
  public OptimizerState copy() {
    double[][] copies = new double[buffers.length][];
    for (int b = 0; b < buffers.length; b++) {
      copies[b] = buffers[b].clone();
    }
    return new OptimizerState(step, names.clone(), copies);
  }

  /**
   * Writes magic, version, step, buffer count, then per buffer its name, length and values.
   * Doubles go one at a time, so pass a buffered stream for large models.
   */
  public void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(step);
    out.writeInt(names.length);
    for (int b = 0; b < names.length; b++) {
      out.writeUTF(names[b]);
      double[] values = buffers[b];
      out.writeInt(values.length);
      for (int i = 0; i < values.length; i++) {
        out.writeDouble(values[i]);
      }
    }
  }

  /**
   * Reads what {@link #writeTo} wrote: the rest of {@code in}, which must hold exactly one state.
   *
   * @throws IOException naming the problem when the stream is not an optimizer state, has an
   *     unknown version, is corrupt, ends early or has bytes left over
   */
  public static OptimizerState readFrom(DataInputStream in) throws IOException {
    return read(in.readAllBytes());
  }

  /**
   * Reads a state from the whole of {@code bytes}. Every length is checked against the bytes that
   * remain before anything is allocated for it, so a corrupt or hostile file fails with an
   * {@link IOException} rather than an {@link OutOfMemoryError}.
   */
  public static OptimizerState read(byte[] bytes) throws IOException {
    ByteArrayInputStream remaining = new ByteArrayInputStream(bytes);
    DataInputStream in = new DataInputStream(remaining);
    try {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IOException(String.format(
            "not an optimizer state: magic 0x%08X, expected 0x%08X", magic, MAGIC));
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException(
            "unsupported optimizer state version " + version + ", this build reads " + VERSION);
      }
      long step = in.readLong();
      if (step < 0) {
        throw new IOException("corrupt optimizer state: step must be >= 0, was " + step);
      }
      int count = in.readInt();
      if (count < 0 || count > MAX_BUFFERS) {
        throw new IOException("corrupt optimizer state: buffer count " + count
            + " outside [0, " + MAX_BUFFERS + "]");
      }
      String[] names = new String[count];
      double[][] buffers = new double[count][];
      for (int b = 0; b < count; b++) {
        names[b] = in.readUTF();
        for (int prev = 0; prev < b; prev++) {
          if (names[prev].equals(names[b])) {
            throw new IOException("corrupt optimizer state: buffer '" + names[b] + "' twice");
          }
        }
        int length = in.readInt();
        if (length < 0) {
          throw new IOException("corrupt optimizer state: buffer '" + names[b]
              + "' has length " + length);
        }
        if (length > remaining.available() / Double.BYTES) {
          throw new IOException("truncated optimizer state: buffer '" + names[b] + "' has length " + length
              + ", but only " + remaining.available() + " bytes remain");
        }
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
          values[i] = in.readDouble();
        }
        buffers[b] = values;
      }
      if (remaining.available() > 0) {
        throw new IOException("corrupt optimizer state: " + remaining.available() + " bytes after the last buffer");
      }
      return new OptimizerState(step, names, buffers);
    } catch (EOFException e) {
      throw new IOException("truncated optimizer state: stream ended early", e);
    }
  }

  /** Equal when step, buffer names (in order) and every buffer value are equal. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof OptimizerState other)) {
      return false;
    }
    // Arrays.equals on double[] compares bit patterns, so a restored state must match exactly.
    return step == other.step
        && Arrays.equals(names, other.names)
        && Arrays.deepEquals(buffers, other.buffers);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Long.hashCode(step) + Arrays.hashCode(names)) + Arrays.deepHashCode(buffers);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("OptimizerState[step=").append(step);
    for (int b = 0; b < names.length; b++) {
      sb.append(", ").append(names[b]).append("=double[").append(buffers[b].length).append(']');
    }
    return sb.append(']').toString();
  }
}

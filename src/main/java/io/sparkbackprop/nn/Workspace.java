package io.sparkbackprop.nn;

/**
 * Reusable buffers for forward and backward passes over up to {@code capacity} rows of one
 * network: a caller fills {@link #input} and {@link #labels}, then calls {@link FeedForward}.
 * Not thread-safe: one workspace per thread. Allocating it once per partition and reusing it every
 * step keeps the hot path free of allocation.
 */
public final class Workspace {
  private final NetworkSpec spec;
  private final int capacity;
  /** (capacity, inputSize) row-major: the rows to run. */
  public final double[] input;
  /** (capacity): one label per row, see {@link LossType}. */
  public final double[] labels;
  /** Per layer, (capacity, units) row-major: activations (pre-activations only transiently). */
  final double[][] activations;
  /** (capacity, outputSize) row-major: pre-activations (logits) of the output layer. */
  final double[] logits;
  /** Per layer, (capacity, units) row-major: dL/dz, then reused for dL/da of the layer below. */
  final double[][] deltas;

  public Workspace(NetworkSpec spec, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("workspace capacity must be >= 1, was " + capacity);
    }
    this.spec = spec;
    this.capacity = capacity;
    int n = spec.layers().size();
    input = new double[Math.multiplyExact(capacity, spec.inputSize())];
    labels = new double[capacity];
    activations = new double[n][];
    deltas = new double[n][];
    for (int i = 0; i < n; i++) {
      int units = spec.layers().get(i).units();
      activations[i] = new double[Math.multiplyExact(capacity, units)];
      deltas[i] = new double[capacity * units];
    }
    logits = new double[capacity * spec.outputSize()];
  }

  public NetworkSpec spec() {
    return spec;
  }

  /** Maximum number of rows one pass can take. */
  public int capacity() {
    return capacity;
  }

  /**
   * Pre-activations (logits) of the output layer, (rows, outputSize) row-major, of the last
   * forward pass; scoring reports them as Spark ML's {@code rawPrediction}.
   */
  public double[] logits() {
    return logits;
  }

  /** Output activations (rows, outputSize) row-major of the last forward pass. */
  public double[] output() {
    return activations[activations.length - 1];
  }
}

package io.sparkbackprop.nn;

/**
 * The buffers of a forward/backward pass over up to {@code capacity} rows, for one element type
 * {@code A} ({@code double[]} or {@code float[]}); {@link Workspace} and {@link FloatWorkspace}
 * fix the type. Labels stay float64 in both: they are class indices or regression targets.
 */
abstract class Buffers<A> {
  private final NetworkSpec spec;
  private final int capacity;
  /** (capacity, inputSize) row-major: the rows to run. */
  public final A input;
  /** (capacity): one label per row, see {@link LossType}. */
  public final double[] labels;
  /** Per layer, (capacity, units) row-major: activations (pre-activations only transiently). */
  final A[] activations;
  /** (capacity, outputSize) row-major: pre-activations (logits) of the output layer. */
  final A logits;
  /** Per layer, (capacity, units) row-major: dL/dz, then reused for dL/da of the layer below. */
  final A[] deltas;
  /** (outputSize) each: one output row widened to float64 for the loss (float32 passes only). */
  final double[] rowZ;
  final double[] rowA;
  final double[] rowD;

  Buffers(Ops<A> ops, NetworkSpec spec, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("workspace capacity must be >= 1, was " + capacity);
    }
    this.spec = spec;
    this.capacity = capacity;
    int n = spec.layers().size();
    input = ops.newArray(Math.multiplyExact(capacity, spec.inputSize()));
    labels = new double[capacity];
    activations = ops.newArrays(n);
    deltas = ops.newArrays(n);
    for (int i = 0; i < n; i++) {
      int units = spec.layers().get(i).units();
      activations[i] = ops.newArray(Math.multiplyExact(capacity, units));
      deltas[i] = ops.newArray(capacity * units);
    }
    logits = ops.newArray(capacity * spec.outputSize());
    rowZ = new double[spec.outputSize()];
    rowA = new double[spec.outputSize()];
    rowD = new double[spec.outputSize()];
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
  public A logits() {
    return logits;
  }

  /** Output activations (rows, outputSize) row-major of the last forward pass. */
  public A output() {
    return activations[activations.length - 1];
  }
}

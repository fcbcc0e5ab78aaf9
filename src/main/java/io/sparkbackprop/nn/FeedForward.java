package io.sparkbackprop.nn;

/**
 * Forward and backward passes of a dense feed-forward network on a mini-batch, as matrix products.
 *
 * <p>Parameters live in one flat array laid out by {@link ParameterLayout}. The layer maths, with
 * {@code A_0 = X}:
 * <pre>
 *   forward   Z_i = A_{i-1} W_i^T + b_i          A_i = f_i(Z_i)
 *   backward  D_L = dLoss/dZ_L (fused with the output activation, see {@link LossType})
 *             dW_i += D_i^T A_{i-1}     db_i += colsum(D_i)     D_{i-1} = f'_{i-1}(D_i W_i)
 * </pre>
 * BLAS is column-major, so a row-major (r, c) matrix is handed to it as the column-major (c, r)
 * matrix, its transpose; every call below is written in those terms.
 *
 * <p>Gradients are summed over rows, never averaged: callers add sums from many batches or
 * partitions and divide once.
 */
public final class FeedForward {
  private final NetworkSpec spec;
  private final ParameterLayout layout;
  private final LossType loss;
  private final Reduction reduction;

  public FeedForward(NetworkSpec spec, LossType loss, Reduction reduction) {
    String problem = loss.incompatibility(spec.outputLayer());
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    this.spec = spec;
    this.layout = spec.layout();
    this.loss = loss;
    this.reduction = reduction;
  }

  public NetworkSpec spec() {
    return spec;
  }

  public ParameterLayout layout() {
    return layout;
  }

  public LossType loss() {
    return loss;
  }

  public Reduction reduction() {
    return reduction;
  }

  /** Name of the BLAS implementation in use, e.g. for a log line. */
  public static String blasImplementation() {
    return Ops.BLAS_INSTANCE.getClass().getName();
  }

  /**
   * Runs the first {@code rows} rows of {@code ws.input} forward; the outputs are then in
   * {@link Workspace#output()}, (rows, outputSize) row-major.
   */
  public void forward(double[] params, Workspace ws, int rows) {
    forward(Ops.F64, params, ws, rows);
  }

  /** The float32 {@link #forward(double[], Workspace, int)}: sgemm on float32 weights. */
  public void forward(float[] params, FloatWorkspace ws, int rows) {
    forward(Ops.F32, params, ws, rows);
  }

  /**
   * Forward and backward over the first {@code rows} rows of {@code ws.input} / {@code ws.labels}.
   * Adds the gradient of the summed per-row loss into {@code gradSum} (layout order) and returns
   * the summed per-row loss. Divide both by the row count for reduction mean.
   */
  public double lossAndGradient(double[] params, Workspace ws, int rows, double[] gradSum) {
    return lossAndGradient(Ops.F64, params, ws, rows, gradSum);
  }

  /**
   * The float32 {@link #lossAndGradient(double[], Workspace, int, double[])}. Products are summed
   * over the {@code rows} rows inside sgemm in float32; per-row losses are computed and summed
   * in float64. Keep {@code rows} moderate (a chunk, not a partition) and add chunk gradients in
   * float64 where many chunks are summed.
   */
  public double lossAndGradient(float[] params, FloatWorkspace ws, int rows, float[] gradSum) {
    return lossAndGradient(Ops.F32, params, ws, rows, gradSum);
  }

  /**
   * Summed per-row loss of the first {@code rows} rows, forward only (for evaluation). The
   * workspace's deltas are used as scratch.
   */
  public double lossSum(double[] params, Workspace ws, int rows) {
    return lossSum(Ops.F64, params, ws, rows);
  }

  /** The float32 {@link #lossSum(double[], Workspace, int)}. */
  public double lossSum(float[] params, FloatWorkspace ws, int rows) {
    return lossSum(Ops.F32, params, ws, rows);
  }

  private <A> void forward(Ops<A> ops, A params, Buffers<A> ws, int rows) {
    checkRows(ws, rows);
    int last = spec.layers().size() - 1;
    for (int i = 0; i <= last; i++) {
      LayerSpec layer = spec.layers().get(i);
      int in = layout.fanIn(i);
      int out = layer.units();
      A prev = i == 0 ? ws.input : ws.activations[i - 1];
      A z = i == last ? ws.logits : ws.activations[i];
      double beta = 0.0;
      int b = layout.biasOffset(i);
      if (b >= 0) {
        for (int r = 0; r < rows; r++) {
          System.arraycopy(params, b, z, r * out, out);
        }
        beta = 1.0;
      }
      // Z^T (out, rows) = W (out, in) * A_prev^T (in, rows); W stored row-major is W^T column-major.
      ops.gemm("T", "N", out, rows, in, params, layout.weightOffset(i), in,
          prev, 0, in, beta, z, 0, out);
      if (i == last) {
        System.arraycopy(z, 0, ws.activations[i], 0, rows * out);
      }
      ops.forward(layer.activation(), ws.activations[i], rows, out);
    }
  }

  private <A> double lossAndGradient(Ops<A> ops, A params, Buffers<A> ws, int rows, A gradSum) {
    double lossSum = outputLossAndDelta(ops, params, ws, rows);
    int last = spec.layers().size() - 1;
    for (int i = last; i >= 0; i--) {
      int in = layout.fanIn(i);
      int out = layout.fanOut(i);
      A prev = i == 0 ? ws.input : ws.activations[i - 1];
      A delta = ws.deltas[i];
      // dW^T (in, out) += A_prev^T (in, rows) * D (rows, out); D row-major is D^T column-major.
      ops.gemm("N", "T", in, out, rows, prev, 0, in, delta, 0, out, 1.0,
          gradSum, layout.weightOffset(i), in);
      int b = layout.biasOffset(i);
      if (b >= 0) {
        ops.addColumnSums(delta, rows, out, gradSum, b);
      }
      if (i > 0) {
        // dA_prev^T (in, rows) = W^T (in, out) * D^T (out, rows).
        A below = ws.deltas[i - 1];
        ops.gemm("N", "N", in, rows, out, params, layout.weightOffset(i), in,
            delta, 0, out, 0.0, below, 0, in);
        ops.backward(spec.layers().get(i - 1).activation(), ws.activations[i - 1], below, rows, in);
      }
    }
    return lossSum;
  }

  private <A> double lossSum(Ops<A> ops, A params, Buffers<A> ws, int rows) {
    return outputLossAndDelta(ops, params, ws, rows);
  }

  /** Forward, then the summed per-row loss; the output layer's dL/dz is left in the deltas. */
  private <A> double outputLossAndDelta(Ops<A> ops, A params, Buffers<A> ws, int rows) {
    forward(ops, params, ws, rows);
    int last = spec.layers().size() - 1;
    int outUnits = spec.outputSize();
    Activation outAct = spec.outputLayer().activation();
    double lossSum = 0;
    A dz = ws.deltas[last];
    for (int r = 0; r < rows; r++) {
      lossSum += ops.rowLossAndDelta(loss, ws, dz, r * outUnits, outUnits, ws.labels[r], outAct,
          reduction);
    }
    return lossSum;
  }

  /** The objective of {@code count} rows whose per-row losses sum to {@code lossSum}. */
  public double objective(double lossSum, long count) {
    return reduction == Reduction.MEAN ? lossSum / count : lossSum;
  }

  /**
   * Outputs for {@code rows} rows of {@code x}, (rows, inputSize) row-major, as a new
   * (rows, outputSize) row-major array; runs in chunks of the workspace's capacity.
   */
  public double[] predict(double[] params, double[] x, int rows, Workspace ws) {
    int inSize = spec.inputSize();
    int outSize = spec.outputSize();
    double[] result = new double[Math.multiplyExact(rows, outSize)];
    for (int start = 0; start < rows; start += ws.capacity()) {
      int n = Math.min(ws.capacity(), rows - start);
      System.arraycopy(x, start * inSize, ws.input, 0, n * inSize);
      forward(params, ws, n);
      System.arraycopy(ws.output(), 0, result, start * outSize, n * outSize);
    }
    return result;
  }

  private void checkRows(Buffers<?> ws, int rows) {
    if (ws.spec() != spec && !ws.spec().equals(spec)) {
      throw new IllegalArgumentException("workspace was made for a different network");
    }
    if (rows < 0 || rows > ws.capacity()) {
      throw new IllegalArgumentException("rows must be in 0.." + ws.capacity() + ", was " + rows);
    }
  }
}

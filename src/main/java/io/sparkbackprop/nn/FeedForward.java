package io.sparkbackprop.nn;

import dev.ludovic.netlib.blas.BLAS;

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
  private static final BLAS BLAS_INSTANCE = BLAS.getInstance();

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
    return BLAS_INSTANCE.getClass().getName();
  }

  /**
   * Runs the first {@code rows} rows of {@code ws.input} forward; the outputs are then in
   * {@link Workspace#output()}, (rows, outputSize) row-major.
   */
  public void forward(double[] params, Workspace ws, int rows) {
    checkRows(ws, rows);
    int last = spec.layers().size() - 1;
    for (int i = 0; i <= last; i++) {
      LayerSpec layer = spec.layers().get(i);
      int in = layout.fanIn(i);
      int out = layer.units();
      double[] prev = i == 0 ? ws.input : ws.activations[i - 1];
      double[] z = i == last ? ws.logits : ws.activations[i];
      double beta = 0.0;
      int b = layout.biasOffset(i);
      if (b >= 0) {
        for (int r = 0; r < rows; r++) {
          System.arraycopy(params, b, z, r * out, out);
        }
        beta = 1.0;
      }
      // Z^T (out, rows) = W (out, in) * A_prev^T (in, rows); W stored row-major is W^T column-major.
      BLAS_INSTANCE.dgemm("T", "N", out, rows, in, 1.0, params, layout.weightOffset(i), in,
          prev, 0, in, beta, z, 0, out);
      if (i == last) {
        System.arraycopy(z, 0, ws.activations[i], 0, rows * out);
      }
      layer.activation().forward(ws.activations[i], 0, rows, out);
    }
  }

  /**
   * Forward and backward over the first {@code rows} rows of {@code ws.input} / {@code ws.labels}.
   * Adds the gradient of the summed per-row loss into {@code gradSum} (layout order) and returns
   * the summed per-row loss. Divide both by the row count for reduction mean.
   */
  public double lossAndGradient(double[] params, Workspace ws, int rows, double[] gradSum) {
    forward(params, ws, rows);
    int last = spec.layers().size() - 1;
    int outUnits = spec.outputSize();
    Activation outAct = spec.outputLayer().activation();
    double lossSum = 0;
    double[] dz = ws.deltas[last];
    for (int r = 0; r < rows; r++) {
      lossSum += loss.rowLossAndDelta(ws.logits, ws.activations[last], dz, r * outUnits, outUnits,
          ws.labels[r], outAct, reduction);
    }
    for (int i = last; i >= 0; i--) {
      int in = layout.fanIn(i);
      int out = layout.fanOut(i);
      double[] prev = i == 0 ? ws.input : ws.activations[i - 1];
      double[] delta = ws.deltas[i];
      // dW^T (in, out) += A_prev^T (in, rows) * D (rows, out); D row-major is D^T column-major.
      BLAS_INSTANCE.dgemm("N", "T", in, out, rows, 1.0, prev, 0, in, delta, 0, out, 1.0,
          gradSum, layout.weightOffset(i), in);
      int b = layout.biasOffset(i);
      if (b >= 0) {
        for (int r = 0; r < rows; r++) {
          int base = r * out;
          for (int j = 0; j < out; j++) {
            gradSum[b + j] += delta[base + j];
          }
        }
      }
      if (i > 0) {
        // dA_prev^T (in, rows) = W^T (in, out) * D^T (out, rows).
        double[] below = ws.deltas[i - 1];
        BLAS_INSTANCE.dgemm("N", "N", in, rows, out, 1.0, params, layout.weightOffset(i), in,
            delta, 0, out, 0.0, below, 0, in);
        spec.layers().get(i - 1).activation().backward(ws.activations[i - 1], below, 0, rows, in);
      }
    }
    return lossSum;
  }

  /**
   * Summed per-row loss of the first {@code rows} rows, forward only (for evaluation). The
   * workspace's deltas are used as scratch.
   */
  public double lossSum(double[] params, Workspace ws, int rows) {
    forward(params, ws, rows);
    int last = spec.layers().size() - 1;
    int outUnits = spec.outputSize();
    Activation outAct = spec.outputLayer().activation();
    double lossSum = 0;
    for (int r = 0; r < rows; r++) {
      lossSum += loss.rowLossAndDelta(ws.logits, ws.activations[last], ws.deltas[last],
          r * outUnits, outUnits, ws.labels[r], outAct, reduction);
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

  private void checkRows(Workspace ws, int rows) {
    if (ws.spec() != spec && !ws.spec().equals(spec)) {
      throw new IllegalArgumentException("workspace was made for a different network");
    }
    if (rows < 0 || rows > ws.capacity()) {
      throw new IllegalArgumentException("rows must be in 0.." + ws.capacity() + ", was " + rows);
    }
  }
}

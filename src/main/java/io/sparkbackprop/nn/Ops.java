package io.sparkbackprop.nn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The array operations a forward/backward pass needs, for one element type: {@link #F64} on
 * {@code double[]} (dgemm), {@link #F32} on {@code float[]} (sgemm). {@link FeedForward} writes the
 * pass once against this; the per-call dispatch is a handful of virtual calls per layer.
 */
abstract class Ops<A> {
  static final BLAS BLAS_INSTANCE = BLAS.getInstance();
  static final Ops<double[]> F64 = new F64();
  static final Ops<float[]> F32 = new F32();

  abstract A newArray(int n);

  abstract A[] newArrays(int n);

  /** {@code C = op(A) op(B) + beta C}, column-major as BLAS sees it. */
  abstract void gemm(String transA, String transB, int m, int n, int k, A a, int aOff, int lda,
      A b, int bOff, int ldb, double beta, A c, int cOff, int ldc);

  /** {@code target[off + j] += sum_r rows[r * width + j]} for the first {@code count} rows. */
  abstract void addColumnSums(A rows, int count, int width, A target, int off);

  abstract void forward(Activation f, A z, int rows, int units);

  abstract void backward(Activation f, A a, A d, int rows, int units);

  /** One row's loss and {@code dL/dz}, as {@link LossType#rowLossAndDelta}, computed in float64. */
  abstract double rowLossAndDelta(LossType loss, Buffers<A> ws, A dz, int off, int units,
      double label, Activation act, Reduction reduction);

  private static final class F64 extends Ops<double[]> {
    @Override
    double[] newArray(int n) {
      return new double[n];
    }

    @Override
    double[][] newArrays(int n) {
      return new double[n][];
    }

    @Override
    void gemm(String transA, String transB, int m, int n, int k, double[] a, int aOff, int lda,
        double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
      BLAS_INSTANCE.dgemm(transA, transB, m, n, k, 1.0, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    void addColumnSums(double[] rows, int count, int width, double[] target, int off) {
      for (int r = 0; r < count; r++) {
        int base = r * width;
        for (int j = 0; j < width; j++) {
          target[off + j] += rows[base + j];
        }
      }
    }

    @Override
    void forward(Activation f, double[] z, int rows, int units) {
      f.forward(z, 0, rows, units);
    }

    @Override
    void backward(Activation f, double[] a, double[] d, int rows, int units) {
      f.backward(a, d, 0, rows, units);
    }

    @Override
    double rowLossAndDelta(LossType loss, Buffers<double[]> ws, double[] dz, int off, int units,
        double label, Activation act, Reduction reduction) {
      return loss.rowLossAndDelta(ws.logits, ws.output(), dz, off, units, label, act, reduction);
    }
  }

  private static final class F32 extends Ops<float[]> {
    @Override
    float[] newArray(int n) {
      return new float[n];
    }

    @Override
    float[][] newArrays(int n) {
      return new float[n][];
    }

    @Override
    void gemm(String transA, String transB, int m, int n, int k, float[] a, int aOff, int lda,
        float[] b, int bOff, int ldb, double beta, float[] c, int cOff, int ldc) {
      BLAS_INSTANCE.sgemm(transA, transB, m, n, k, 1.0f, a, aOff, lda, b, bOff, ldb, (float) beta,
          c, cOff, ldc);
    }

    @Override
    void addColumnSums(float[] rows, int count, int width, float[] target, int off) {
      for (int r = 0; r < count; r++) {
        int base = r * width;
        for (int j = 0; j < width; j++) {
          target[off + j] += rows[base + j];
        }
      }
    }

    @Override
    void forward(Activation f, float[] z, int rows, int units) {
      f.forward(z, 0, rows, units);
    }

    @Override
    void backward(Activation f, float[] a, float[] d, int rows, int units) {
      f.backward(a, d, 0, rows, units);
    }

    @Override
    double rowLossAndDelta(LossType loss, Buffers<float[]> ws, float[] dz, int off, int units,
        double label, Activation act, Reduction reduction) {
      // Widen the row, so softmax/log-sum-exp and the loss sum are float64 as in the F64 pass.
      float[] z = ws.logits;
      float[] a = ws.output();
      for (int j = 0; j < units; j++) {
        ws.rowZ[j] = z[off + j];
        ws.rowA[j] = a[off + j];
      }
      double rowLoss = loss.rowLossAndDelta(ws.rowZ, ws.rowA, ws.rowD, 0, units, label, act, reduction);
      for (int j = 0; j < units; j++) {
        dz[off + j] = (float) ws.rowD[j];
      }
      return rowLoss;
    }
  }
}

package io.sparkbackprop.nn;

/**
 * Reusable float64 buffers for forward and backward passes over up to {@code capacity} rows of one
 * network: a caller fills {@link #input} and {@link #labels}, then calls {@link FeedForward}.
 * Not thread-safe: one workspace per thread. Allocating it once per partition and reusing it every
 * step keeps the hot path free of allocation.
 */
public final class Workspace extends Buffers<double[]> {
  public Workspace(NetworkSpec spec, int capacity) {
    super(Ops.F64, spec, capacity);
  }
}

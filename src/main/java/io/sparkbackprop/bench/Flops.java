package io.sparkbackprop.bench;

import io.sparkbackprop.nn.NetworkSpec;

/** Floating-point operations of the kernel, counted as the BLAS calls of FeedForward make them. */
final class Flops {
  private Flops() {
  }

  /**
   * Per training row: forward {@code 2W} (multiply-add per weight), weight gradient {@code 2W},
   * and the gradient for the layer below {@code 2W_i} for every layer but the first (the input
   * needs none). {@code W_i} is layer i's weight count; biases and activations are ignored.
   */
  static double perTrainingRow(NetworkSpec spec) {
    double total = 0;
    for (int i = 0; i < spec.layers().size(); i++) {
      double w = (double) spec.fanIn(i) * spec.layers().get(i).units();
      total += (i == 0 ? 4 : 6) * w;
    }
    return total;
  }

  /** Per row of a forward pass (evaluation). */
  static double perForwardRow(NetworkSpec spec) {
    double total = 0;
    for (int i = 0; i < spec.layers().size(); i++) {
      total += 2.0 * spec.fanIn(i) * spec.layers().get(i).units();
    }
    return total;
  }
}

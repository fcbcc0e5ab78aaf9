package io.sparkbackprop.nn;

/**
 * Where each layer's parameters sit in the one flat parameter array.
 *
 * <p>Order, the same as the tensors of the model file: {@code layers.0.weight} (out, in) row-major,
 * {@code layers.0.bias} (out) if present, then layer 1, and so on. Gradients and optimizer state
 * use the same layout.
 */
public final class ParameterLayout {
  private final NetworkSpec spec;
  private final int[] weightOffset;
  private final int[] biasOffset;
  private final int size;

  ParameterLayout(NetworkSpec spec) {
    this.spec = spec;
    int n = spec.layers().size();
    weightOffset = new int[n];
    biasOffset = new int[n];
    long off = 0;
    for (int i = 0; i < n; i++) {
      LayerSpec l = spec.layers().get(i);
      weightOffset[i] = (int) off;
      off += (long) l.units() * spec.fanIn(i);
      biasOffset[i] = l.bias() ? (int) off : -1;
      if (l.bias()) {
        off += l.units();
      }
      if (off > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("network has more than 2^31 parameters at layer " + i);
      }
    }
    size = (int) off;
  }

  public NetworkSpec spec() {
    return spec;
  }

  public int numLayers() {
    return weightOffset.length;
  }

  /** Offset of layer {@code i}'s weight matrix, shape (out, in) row-major. */
  public int weightOffset(int i) {
    return weightOffset[i];
  }

  /** Offset of layer {@code i}'s bias vector, or -1 when the layer has no bias. */
  public int biasOffset(int i) {
    return biasOffset[i];
  }

  public int fanIn(int i) {
    return spec.fanIn(i);
  }

  public int fanOut(int i) {
    return spec.layers().get(i).units();
  }

  /** Total number of parameters. */
  public int size() {
    return size;
  }
}

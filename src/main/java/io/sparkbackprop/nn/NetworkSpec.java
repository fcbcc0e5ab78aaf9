package io.sparkbackprop.nn;

import java.util.List;

/**
 * Architecture of a feed-forward network: the input size and the dense layers in order.
 * Immutable; bind it to a flat parameter array through {@link #layout()}.
 */
public record NetworkSpec(int inputSize, List<LayerSpec> layers) implements java.io.Serializable {

  public NetworkSpec {
    if (inputSize < 1) {
      throw new IllegalArgumentException("inputSize must be >= 1, was " + inputSize);
    }
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("a network needs at least one layer");
    }
    layers = List.copyOf(layers);
  }

  public int outputSize() {
    return layers.get(layers.size() - 1).units();
  }

  public LayerSpec outputLayer() {
    return layers.get(layers.size() - 1);
  }

  /** Input size of layer {@code i}. */
  public int fanIn(int i) {
    return i == 0 ? inputSize : layers.get(i - 1).units();
  }

  public ParameterLayout layout() {
    return new ParameterLayout(this);
  }

  public int numParameters() {
    return layout().size();
  }
}

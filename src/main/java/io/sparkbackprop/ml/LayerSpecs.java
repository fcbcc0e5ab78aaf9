package io.sparkbackprop.ml;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.LayerSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The text form of a list of dense layers, as the {@code hiddenLayers} param holds it: layers
 * separated by commas, each {@code units:activation}, optionally followed by {@code :nobias} (or
 * {@code :bias}); e.g. {@code "64:relu,32:tanh:nobias"}. Activations use the config names
 * ({@code sigmoid, tanh, relu, leakyRelu, softmax, linear}). The empty string is no layers. A
 * string, so that a param grid, a saved pipeline and Python all see a plain value.
 */
public final class LayerSpecs {
  private LayerSpecs() {
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the layer and what is wrong with it
   */
  public static List<LayerSpec> parse(String text) {
    List<LayerSpec> layers = new ArrayList<>();
    if (text == null) {
      throw new IllegalArgumentException("layers must be given, was null");
    }
    if (text.isBlank()) {
      return layers;
    }
    String[] parts = text.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      layers.add(parseLayer(parts[i].trim(), i));
    }
    return layers;
  }

  private static LayerSpec parseLayer(String s, int index) {
    String[] f = s.split(":", -1);
    String where = "layer " + index + " '" + s + "'";
    if (f.length < 2 || f.length > 3) {
      throw new IllegalArgumentException(where + " must look like units:activation[:nobias], e.g. 16:relu");
    }
    int units;
    try {
      units = Integer.parseInt(f[0].trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": units must be an integer, was '" + f[0].trim() + "'");
    }
    if (units < 1) {
      throw new IllegalArgumentException(where + ": units must be >= 1, was " + units);
    }
    Activation activation;
    try {
      activation = Activation.fromConfigName(f[1].trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
    boolean bias = LayerSpec.DEFAULT_BIAS;
    if (f.length == 3) {
      String b = f[2].trim();
      if (!b.equals("bias") && !b.equals("nobias")) {
        throw new IllegalArgumentException(where + ": the third part must be bias or nobias, was '" + b + "'");
      }
      bias = b.equals("bias");
    }
    return new LayerSpec(units, activation, bias);
  }

  /** The text form of {@code layers}; {@link #parse} gives them back. */
  public static String format(List<LayerSpec> layers) {
    StringBuilder b = new StringBuilder();
    for (LayerSpec l : layers) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(l.units()).append(':').append(l.activation().configName());
      if (l.bias() != LayerSpec.DEFAULT_BIAS) {
        b.append(l.bias() ? ":bias" : ":nobias");
      }
    }
    return b.toString();
  }

  /** Why {@code text} does not parse, or null when it does. */
  static String problem(String text) {
    try {
      parse(text);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}

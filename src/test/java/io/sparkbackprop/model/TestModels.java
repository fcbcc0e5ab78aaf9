package io.sparkbackprop.model;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Reduction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Models shared by the tests of this package. */
final class TestModels {

  /** The minimal model.json of DESIGN.md, verbatim. */
  static final String MINIMAL_JSON = """
      {"format": "spark-backprop-mlp", "formatVersion": 1, "inputSize": 3,
       "layers": [{"units": 4, "activation": "sigmoid", "bias": false},
                  {"units": 1, "activation": "sigmoid", "bias": false}]}
      """;

  private TestModels() {
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** 3 inputs, 4 tanh units, 2 softmax units, biases: 26 parameters. */
  static NetworkSpec network() {
    return new NetworkSpec(3, List.of(LayerSpec.dense(4, Activation.TANH), LayerSpec.dense(2, Activation.SOFTMAX)));
  }

  /** Distinct, non-round parameter values, so a value in the wrong place shows. */
  static double[] parameters(int n) {
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      p[i] = (i + 1) * 0.1 - 1.3 + i * i * 1e-3;
    }
    return p;
  }

  /** A model with every optional field set. */
  static SavedModel full() {
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("config", Map.of("optimizer", Map.of("type", "adam", "learningRate", 0.001)));
    provenance.put("seed", 42L);
    provenance.put("dataFingerprint", "sha256:0123abcd");
    provenance.put("versions", Map.of("spark-backprop", "0.1.0-SNAPSHOT", "spark", "4.2.0"));
    provenance.put("createdAt", "2025-01-02T03:04:05Z");
    provenance.put("finalMetrics", Map.of("trainLoss", 0.125, "validationAccuracy", 0.9375));
    NetworkSpec network = network();
    return SavedModel.builder(network, parameters(network.numParameters()))
        .loss(LossType.CROSS_ENTROPY, Reduction.MEAN)
        .task(SavedModel.CLASSIFICATION)
        .labels(List.of("cat", "dog"))
        .features(Features.columns(List.of("a", "b", "c")))
        .preprocessing(new Preprocessing(new double[] {1.5, -2, 0.25}, new double[] {0.5, 3, 1e-3}))
        .provenance(provenance)
        .build();
  }
}

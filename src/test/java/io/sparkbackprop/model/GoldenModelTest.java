package io.sparkbackprop.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Reduction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * golden-models/xor-v1 is a fixed artefact of model format version 1: written once, committed,
 * never regenerated. It must keep loading to exactly these values; a change of the format that
 * breaks this test breaks every model users have saved. Its weights compute XOR of two 0/1 inputs
 * after the standardisation it records (OR and NAND units, then AND).
 */
class GoldenModelTest {

  private static SavedModel load(String name) throws Exception {
    Path dir = Path.of(GoldenModelTest.class.getResource("/golden-models/" + name).toURI());
    return ModelCodec.decode(new LocalModelStore(), dir.toString());
  }

  @Test
  void xorV1LoadsToTheSameParameters() throws Exception {
    SavedModel m = load("xor-v1");

    assertArrayEquals(new double[] {
        10.5, 9.75, -10.25, -9.5, // layers.0.weight (2, 2)
        9.875, 10.125, // layers.0.bias (2)
        20.0625, 19.9375, // layers.1.weight (1, 2)
        -30.1, // layers.1.bias (1)
    }, m.parameters());
    assertEquals(Dtype.F64, m.dtype());
  }

  @Test
  void xorV1LoadsEveryDescriptiveField() throws Exception {
    SavedModel m = load("xor-v1");

    assertEquals(new NetworkSpec(2, List.of(LayerSpec.dense(2, Activation.SIGMOID),
        LayerSpec.dense(1, Activation.SIGMOID))), m.network());
    assertEquals(1, m.formatVersion());
    assertEquals(LossType.BINARY_CROSS_ENTROPY, m.loss());
    assertEquals(Reduction.MEAN, m.reduction());
    assertEquals("classification", m.task());
    assertEquals(List.of("false", "true"), m.labels());
    assertEquals(Features.columns(List.of("x1", "x2")), m.features());
    assertEquals(new Preprocessing(new double[] {0.5, 0.5}, new double[] {0.5, 0.5}), m.preprocessing());
    assertEquals(Map.of(
        "createdBy", "hand-made golden file for model format version 1",
        "createdAt", "2025-01-01T00:00:00Z",
        "seed", 7,
        "config", Map.of("model", Map.of("init", "xavier")),
        "finalMetrics", Map.of("trainLoss", 4.5e-5)), m.provenance());
  }
}

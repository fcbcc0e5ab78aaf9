package io.sparkbackprop.model;

import static io.sparkbackprop.model.TestModels.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkbackprop.nn.NetworkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCodecTest {

  @TempDir
  Path tmp;

  private final LocalModelStore store = new LocalModelStore();

  @Test
  void fullModelRoundTripKeepsEveryField() throws Exception {
    SavedModel model = TestModels.full();

    SavedModel back = ModelCodec.decode(ModelCodec.encode(model));

    assertEquals(model, back);
    assertArrayEquals(model.parameters(), back.parameters());
    assertEquals(model.provenance(), back.provenance());
    assertEquals(42, ((Number) back.provenance().get("seed")).intValue());
  }

  @Test
  void f32ModelRoundTripRoundsEachParameterToFloat() throws Exception {
    SavedModel model = TestModels.full().toBuilder().dtype(Dtype.F32).build();

    SavedModel back = ModelCodec.decode(ModelCodec.encode(model));

    assertEquals(Dtype.F32, back.dtype());
    double[] p = model.parameters();
    double[] q = back.parameters();
    for (int i = 0; i < p.length; i++) {
      assertEquals((double) (float) p[i], q[i], "parameter " + i);
    }
  }

  @Test
  void weightsAreNamedAndShapedLikePyTorchLinear() {
    SavedModel model = TestModels.full();
    double[] p = model.parameters();

    LinkedHashMap<String, Tensor> t = SafeTensors.decode(ModelCodec.encode(model).get("weights.safetensors"));

    assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"), List.copyOf(t.keySet()));
    assertArrayEquals(new int[] {4, 3}, t.get("layers.0.weight").shape());
    assertArrayEquals(new int[] {4}, t.get("layers.0.bias").shape());
    assertArrayEquals(new int[] {2, 4}, t.get("layers.1.weight").shape());
    assertArrayEquals(new int[] {2}, t.get("layers.1.bias").shape());
    assertEquals(p[1 * 3 + 2], t.get("layers.0.weight").value(1 * 3 + 2), "row 1, column 2: (out, in) row-major");
    assertEquals(p[12 + 3], t.get("layers.0.bias").value(3));
    assertEquals(p[16 + 4 + 1], t.get("layers.1.weight").value(4 + 1));
    assertEquals(p[24 + 1], t.get("layers.1.bias").value(1));
  }

  @Test
  void modelJsonRecordsTheWeightsSha256() throws Exception {
    Map<String, byte[]> files = ModelCodec.encode(TestModels.full());

    String recorded = Json.MAPPER.readTree(files.get("model.json")).get("weights").get("sha256").asText();

    assertEquals(ModelCodec.sha256(files.get("weights.safetensors")), recorded);
  }

  @Test
  void flippedByteInWeightsIsASha256Mismatch() {
    Map<String, byte[]> files = ModelCodec.encode(TestModels.full());
    byte[] weights = files.get("weights.safetensors");
    String recorded = ModelCodec.sha256(weights);
    weights[weights.length - 3] ^= 0x10;

    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelCodec.decode(files));

    assertEquals("weights.safetensors: integrity check failed: sha256 is " + ModelCodec.sha256(weights)
        + ", model.json says " + recorded, e.getMessage());
  }

  /** model.json without a sha256 (hand-written), and the given tensors as weights. */
  private static Map<String, byte[]> minimalWith(Object... nameTensor) {
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    for (int i = 0; i < nameTensor.length; i += 2) {
      tensors.put((String) nameTensor[i], (Tensor) nameTensor[i + 1]);
    }
    return Map.of("model.json", utf8(TestModels.MINIMAL_JSON), "weights.safetensors", SafeTensors.encode(tensors));
  }

  private static Tensor zeros(int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return Tensor.f64(shape, new double[n]);
  }

  @Test
  void minimalHandWrittenFormDecodes() throws Exception {
    double[] w0 = TestModels.parameters(12);
    double[] w1 = {0.5, -0.25, 0.125, 2};
    Map<String, byte[]> files = minimalWith("layers.0.weight", Tensor.f64(new int[] {4, 3}, w0),
        "layers.1.weight", Tensor.f64(new int[] {1, 4}, w1));

    SavedModel m = ModelCodec.decode(files);

    double[] expected = new double[16];
    System.arraycopy(w0, 0, expected, 0, 12);
    System.arraycopy(w1, 0, expected, 12, 4);
    assertArrayEquals(expected, m.parameters());
    assertEquals(Dtype.F64, m.dtype());
    assertNull(m.loss());
  }

  @Test
  void wrongTensorShapeIsRefused() {
    Map<String, byte[]> files = minimalWith("layers.0.weight", zeros(4, 3), "layers.1.weight", zeros(4, 3));

    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelCodec.decode(files));
    assertEquals("weights.safetensors: tensor layers.1.weight has shape [4, 3], expected [1, 4]", e.getMessage());
  }

  @Test
  void missingTensorIsRefused() {
    Map<String, byte[]> files = minimalWith("layers.0.weight", zeros(4, 3));

    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelCodec.decode(files));
    assertEquals("weights.safetensors: missing tensor layers.1.weight", e.getMessage());
  }

  @Test
  void unexpectedTensorIsRefused() {
    Map<String, byte[]> files = minimalWith("layers.0.weight", zeros(4, 3), "layers.0.bias", zeros(4),
        "layers.1.weight", zeros(1, 4));

    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelCodec.decode(files));
    assertEquals("weights.safetensors: unexpected tensor layers.0.bias; the network in model.json needs exactly "
        + "[layers.0.weight, layers.1.weight]", e.getMessage());
  }

  @Test
  void mixedDtypesAreRefused() {
    Map<String, byte[]> files = minimalWith("layers.0.weight", zeros(4, 3),
        "layers.1.weight", new Tensor(Dtype.F32, new int[] {1, 4}, new double[4]));

    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelCodec.decode(files));
    assertEquals("weights.safetensors: tensor layers.1.weight has dtype F32, expected F64 like layers.0.weight",
        e.getMessage());
  }

  @Test
  void malformedWeightsFileErrorNamesTheFile() {
    Map<String, byte[]> files = Map.of("model.json", utf8(TestModels.MINIMAL_JSON),
        "weights.safetensors", new byte[] {1, 2});

    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelCodec.decode(files));
    assertEquals("weights.safetensors: integrity check failed: file has 2 bytes, fewer than the 72 that the 16"
        + " parameters of the layers in model.json need (truncated, or model.json edited?)", e.getMessage());
  }

  @Test
  void missingDirectoryIsModelNotFound() {
    String dir = tmp.resolve("nope").toString();

    ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> ModelCodec.decode(store, dir));
    assertEquals("model directory " + dir + " does not exist", e.getMessage());
  }

  @Test
  void directoryWithoutModelJsonIsModelNotFound() throws Exception {
    Files.writeString(tmp.resolve("weights.safetensors"), "x");

    ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
        () -> ModelCodec.decode(store, tmp.toString()));
    assertEquals(tmp + "/model.json does not exist; is " + tmp + " a model directory?", e.getMessage());
  }

  @Test
  void missingWeightsFileIsBadContentNamingModelJson() throws Exception {
    Files.writeString(tmp.resolve("model.json"), TestModels.MINIMAL_JSON);

    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelCodec.decode(store, tmp.toString()));
    assertEquals(tmp + "/model.json: weights.file names weights.safetensors, which does not exist", e.getMessage());
  }

  @Test
  void errorsFromADirectoryNameItsPath() throws Exception {
    Files.writeString(tmp.resolve("model.json"), TestModels.MINIMAL_JSON.replace("\"units\": 1, \"activation\": \"sigmoid\"",
        "\"units\": 1, \"activation\": \"foo\""));

    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelCodec.decode(store, tmp.toString()));
    assertEquals(tmp + "/model.json: layers[1].activation: unknown activation 'foo', expected one of "
        + "[sigmoid, tanh, relu, leakyRelu, softmax, linear]", e.getMessage());
  }

  @Test
  void saveThenDecodeThroughAStore() throws Exception {
    SavedModel model = TestModels.full();
    String dir = tmp.resolve("models/m1").toString();

    ModelCodec.save(store, dir, model, false);

    assertEquals(model, ModelCodec.decode(store, dir));
  }

  @Test
  void parameterCountMustMatchTheNetwork() {
    NetworkSpec network = TestModels.network();

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SavedModel.builder(network, new double[25]).build());
    assertEquals("parameters has 25 values, the network needs 26", e.getMessage());
  }
}

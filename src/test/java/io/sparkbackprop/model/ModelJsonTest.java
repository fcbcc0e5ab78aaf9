package io.sparkbackprop.model;

import static io.sparkbackprop.model.TestModels.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.NetworkSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelJsonTest {

  private static ModelJson.Document read(String json) {
    return ModelJson.read(utf8(json), "model.json");
  }

  @Test
  void minimalHandWrittenFormLoads() {
    ModelJson.Document doc = read(TestModels.MINIMAL_JSON);

    SavedModel m = doc.template();
    assertEquals(new NetworkSpec(3, List.of(new LayerSpec(4, Activation.SIGMOID, false),
        new LayerSpec(1, Activation.SIGMOID, false))), m.network());
    assertEquals(1, m.formatVersion());
    assertNull(m.loss());
    assertNull(m.reduction());
    assertNull(m.task());
    assertNull(m.labels());
    assertNull(m.features());
    assertNull(m.preprocessing());
    assertEquals(Map.of(), m.provenance());
    assertEquals(Dtype.F64, m.dtype());
    assertEquals(new ModelJson.WeightsRef("weights.safetensors", null, null), doc.weights());
  }

  @Test
  void biasDefaultsToTrueWhenAbsent() {
    SavedModel m = read("""
        {"format": "spark-backprop-mlp", "formatVersion": 1, "inputSize": 2,
         "layers": [{"units": 3, "activation": "relu"}, {"units": 1, "activation": "linear", "bias": false}]}
        """).template();

    assertEquals(List.of(true, false), m.network().layers().stream().map(LayerSpec::bias).toList());
  }

  @Test
  void unknownFieldsAreIgnoredForForwardCompatibility() {
    SavedModel m = read("""
        {"format": "spark-backprop-mlp", "formatVersion": 1, "inputSize": 2, "futureField": {"x": [1]},
         "layers": [{"units": 1, "activation": "sigmoid", "dropout": 0.5}]}
        """).template();

    assertEquals(1, m.network().layers().size());
  }

  @Test
  void jsonNullCountsAsAbsent() {
    SavedModel m = read("""
        {"format": "spark-backprop-mlp", "formatVersion": 1, "inputSize": 2,
         "layers": [{"units": 1, "activation": "sigmoid", "bias": null}],
         "loss": null, "task": null, "labels": null, "features": null, "preprocessing": null,
         "weights": null, "provenance": null}
        """).template();

    assertEquals(true, m.network().layers().get(0).bias());
    assertNull(m.loss());
  }

  @Test
  void saveWritesEveryFieldEvenWhenAbsent() throws Exception {
    SavedModel minimal = read(TestModels.MINIMAL_JSON).template();

    JsonNode json = Json.MAPPER.readTree(ModelJson.write(minimal, new ModelJson.WeightsRef("w.st", "ab", Dtype.F64)));

    assertEquals(List.of("format", "formatVersion", "inputSize", "layers", "loss", "task", "labels", "features",
        "preprocessing", "weights", "provenance"), names(json));
    assertEquals("{\"units\":4,\"activation\":\"sigmoid\",\"bias\":false}", json.get("layers").get(0).toString());
    assertEquals("{\"file\":\"w.st\",\"sha256\":\"ab\",\"dtype\":\"F64\"}", json.get("weights").toString());
  }

  @Test
  void fullModelSurvivesWriteAndRead() {
    SavedModel full = TestModels.full();
    SavedModel zeroed = full.toBuilder().parameters(new double[full.parameters().length]).build();

    ModelJson.Document doc = read(new String(ModelJson.write(full, new ModelJson.WeightsRef("weights.safetensors",
        "0".repeat(64), Dtype.F64)), StandardCharsets.UTF_8));

    assertEquals(zeroed, doc.template(), "every field but the parameters, which live in the weights file");
    assertEquals("0".repeat(64), doc.weights().sha256());
  }

  @Test
  void vectorFeaturesRoundTrip() {
    SavedModel m = TestModels.full().toBuilder().features(Features.vector("features", 3)).build();

    SavedModel back = read(new String(ModelJson.write(m, new ModelJson.WeightsRef("weights.safetensors", null, null)),
        StandardCharsets.UTF_8)).template();

    assertEquals(Features.vector("features", 3), back.features());
  }

  private static final String HEAD = "{\"format\": \"spark-backprop-mlp\", \"formatVersion\": 1, ";
  private static final String NET = "\"inputSize\": 3, \"layers\": [{\"units\": 4, \"activation\": \"tanh\"}, "
      + "{\"units\": 2, \"activation\": \"softmax\"}]";

  static Stream<Arguments> invalidFiles() {
    return Stream.of(
        Arguments.of("{\"format\": \"keras\", \"formatVersion\": 1, " + NET + "}",
            "model.json: format: expected 'spark-backprop-mlp', was 'keras'"),
        Arguments.of("{\"formatVersion\": 1, " + NET + "}", "model.json: format: required field is missing"),
        Arguments.of("{\"format\": \"spark-backprop-mlp\", \"formatVersion\": 2, " + NET + "}",
            "model.json: formatVersion: 2 is newer than this build reads (1); load it with a newer spark-backprop"),
        Arguments.of("{\"format\": \"spark-backprop-mlp\", \"formatVersion\": 0, " + NET + "}",
            "model.json: formatVersion: must be an integer >= 1, was 0"),
        Arguments.of(HEAD + "\"layers\": []}", "model.json: inputSize: required field is missing"),
        Arguments.of(HEAD + "\"inputSize\": 3}", "model.json: layers: required field is missing"),
        Arguments.of(HEAD + "\"inputSize\": 3, \"layers\": []}", "model.json: layers: must list at least one layer"),
        Arguments.of(HEAD + "\"inputSize\": 3.5, \"layers\": []}", "model.json: inputSize: must be an integer >= 1, was 3.5"),
        Arguments.of(HEAD + "\"inputSize\": 3, \"layers\": [{\"units\": 4, \"activation\": \"tanh\"}, "
            + "{\"units\": 1, \"activation\": \"foo\"}]}", "model.json: layers[1].activation: unknown activation 'foo', "
            + "expected one of [sigmoid, tanh, relu, leakyRelu, softmax, linear]"),
        Arguments.of(HEAD + "\"inputSize\": 3, \"layers\": [{\"units\": 0, \"activation\": \"tanh\"}]}",
            "model.json: layers[0].units: must be an integer >= 1, was 0"),
        Arguments.of(HEAD + "\"inputSize\": 3, \"layers\": [{\"units\": \"4\", \"activation\": \"tanh\"}]}",
            "model.json: layers[0].units: must be an integer >= 1, was \"4\""),
        Arguments.of(HEAD + "\"inputSize\": 3, \"layers\": [{\"units\": 4}]}",
            "model.json: layers[0].activation: required field is missing"),
        Arguments.of(HEAD + "\"inputSize\": 3, \"layers\": [{\"units\": 4, \"activation\": \"tanh\", \"bias\": \"no\"}]}",
            "model.json: layers[0].bias: must be true or false, was \"no\""),
        Arguments.of(HEAD + NET + ", \"loss\": {\"type\": \"hinge\"}}",
            "model.json: loss.type: unknown loss 'hinge', expected one of [mse, crossEntropy, binaryCrossEntropy]"),
        Arguments.of(HEAD + NET + ", \"loss\": {\"type\": \"binaryCrossEntropy\"}}",
            "model.json: loss binaryCrossEntropy needs the last layer's activation to be sigmoid, was softmax"),
        Arguments.of(HEAD + NET + ", \"task\": \"ranking\"}",
            "model.json: task must be 'classification' or 'regression', was 'ranking'"),
        Arguments.of(HEAD + NET + ", \"labels\": [\"a\", \"b\", \"c\"]}",
            "model.json: labels has 3 names, expected 2, one per output unit"),
        Arguments.of(HEAD + NET + ", \"features\": {\"columns\": [\"a\", \"b\"]}}",
            "model.json: features.size is 2 but inputSize is 3"),
        Arguments.of(HEAD + NET + ", \"features\": {\"vectorColumn\": \"v\"}}",
            "model.json: features.size: required field is missing (the size of vector column v)"),
        Arguments.of(HEAD + NET + ", \"preprocessing\": {\"means\": [0, 0, 0], \"stds\": [1, 1]}}",
            "model.json: preprocessing.means has 3 values but stds has 2"),
        Arguments.of(HEAD + NET + ", \"weights\": {\"file\": \"../other.safetensors\"}}",
            "model.json: weights.file: must be a file name inside the model directory, was '../other.safetensors'"),
        Arguments.of(HEAD + NET + ", \"weights\": {\"sha256\": \"abc\"}}",
            "model.json: weights.sha256: must be 64 hex digits, was 'abc'"),
        Arguments.of(HEAD + NET + ", \"provenance\": [1]}", "model.json: provenance: must be an object, was [1]"),
        Arguments.of("[" + NET + "]", "model.json: invalid JSON at line 1, column 13: Unexpected character (':' "
            + "(code 58)): was expecting comma to separate Array entries"),
        Arguments.of("\"a model\"", "model.json: must be a JSON object, was \"a model\""));
  }

  @ParameterizedTest
  @MethodSource("invalidFiles")
  void invalidFilesAreRefusedWithOneLineNamingTheField(String json, String message) {
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> read(json));
    assertEquals(message, e.getMessage());
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }
}

package io.sparkbackprop.model;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.NetworkSpec;
import io.sparkbackprop.nn.Reduction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * model.json: reading and writing. Required on load: {@code format}, {@code formatVersion},
 * {@code inputSize}, {@code layers} (each {@code units}, {@code activation}, {@code bias} default
 * true). Optional on load, always written on save (JSON null when absent): {@code loss},
 * {@code task}, {@code labels}, {@code features}, {@code preprocessing}, {@code weights},
 * {@code provenance}.
 *
 * <p>Unknown fields are ignored on load, so a later version can add fields that this one skips;
 * a change an old reader must not skip raises {@code formatVersion}, which this reader refuses
 * when it is newer than {@link SavedModel#FORMAT_VERSION}. The price: a misspelt optional field
 * ({@code "bais": false}) is ignored rather than refused.
 */
final class ModelJson {
  static final String FORMAT = "spark-backprop-mlp";
  static final String DEFAULT_WEIGHTS_FILE = "weights.safetensors";
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** The {@code weights} object: file name inside the directory; sha256 and dtype may be null. */
  record WeightsRef(String file, String sha256, Dtype dtype) {
  }

  /** A parsed model.json: the model with zero parameters (all its checks passed) and its weights. */
  record Document(SavedModel template, WeightsRef weights) {
  }

  private ModelJson() {
  }

  static byte[] write(SavedModel m, WeightsRef weights) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("formatVersion", SavedModel.FORMAT_VERSION);
    root.put("inputSize", m.network().inputSize());
    ArrayNode layers = root.putArray("layers");
    for (LayerSpec l : m.network().layers()) {
      layers.addObject().put("units", l.units()).put("activation", l.activation().configName()).put("bias", l.bias());
    }
    if (m.loss() == null) {
      root.putNull("loss");
    } else {
      root.putObject("loss").put("type", m.loss().configName())
          .put("reduction", m.reduction() == null ? null : m.reduction().configName());
    }
    root.put("task", m.task());
    if (m.labels() == null) {
      root.putNull("labels");
    } else {
      m.labels().forEach(root.putArray("labels")::add);
    }
    if (m.features() == null) {
      root.putNull("features");
    } else if (m.features().isVector()) {
      root.putObject("features").put("vectorColumn", m.features().vectorColumn()).put("size", m.features().size());
    } else {
      ObjectNode f = root.putObject("features");
      m.features().columns().forEach(f.putArray("columns")::add);
      f.put("size", m.features().size());
    }
    if (m.preprocessing() == null) {
      root.putNull("preprocessing");
    } else {
      ObjectNode p = root.putObject("preprocessing");
      for (double v : m.preprocessing().means()) {
        p.withArray("means").add(v);
      }
      for (double v : m.preprocessing().stds()) {
        p.withArray("stds").add(v);
      }
    }
    root.putObject("weights").put("file", weights.file()).put("sha256", weights.sha256())
        .put("dtype", weights.dtype() == null ? null : weights.dtype().name());
    root.set("provenance", Json.MAPPER.valueToTree(m.provenance()));
    DefaultPrettyPrinter pretty = new DefaultPrettyPrinter().withSeparators(
        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    try {
      return (Json.MAPPER.writer(pretty).writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks, before any parameter array is allocated, that the weights file model.json names can
   * hold the number of parameters its layers need; throws a {@link ModelFormatException} if not.
   */
  interface WeightsCheck {
    void check(String weightsFile, long numParameters);
  }

  /** Parses and checks model.json; {@code file} starts every error message. */
  static Document read(byte[] json, String file) {
    return read(json, file, (weightsFile, numParameters) -> { });
  }

  /** {@link #read(byte[], String)}, asking {@code weightsCheck} before the parameters are allocated. */
  static Document read(byte[] json, String file, WeightsCheck weightsCheck) {
    JsonFields f = new JsonFields(file);
    JsonNode root = Json.parse(json, file);
    if (!root.isObject()) {
      throw new ModelFormatException(file + ": must be a JSON object, was " + SafeTensors.brief(root));
    }
    String format = f.string(f.require(root, "format", "format"), "format");
    if (!format.equals(FORMAT)) {
      throw f.fail("format", "expected '" + FORMAT + "', was '" + format + "'");
    }
    int version = f.integer(f.require(root, "formatVersion", "formatVersion"), "formatVersion", 1);
    if (version > SavedModel.FORMAT_VERSION) {
      throw f.fail("formatVersion", version + " is newer than this build reads (" + SavedModel.FORMAT_VERSION
          + "); load it with a newer spark-backprop");
    }
    int inputSize = f.integer(f.require(root, "inputSize", "inputSize"), "inputSize", 1);
    JsonNode layersNode = f.array(f.require(root, "layers", "layers"), "layers");
    if (layersNode.isEmpty()) {
      throw f.fail("layers", "must list at least one layer");
    }
    List<LayerSpec> layers = new ArrayList<>();
    for (int i = 0; i < layersNode.size(); i++) {
      layers.add(layer(f, f.object(layersNode.get(i), "layers[" + i + "]"), "layers[" + i + "]"));
    }
    WeightsRef weights = weights(f, JsonFields.get(root, "weights"));
    weightsCheck.check(weights.file(), numParameters(inputSize, layers));
    NetworkSpec network = parse("layers", f, () -> {
      NetworkSpec n = new NetworkSpec(inputSize, layers);
      n.numParameters();   // refuses more than 2^31 parameters
      return n;
    });
    SavedModel.Builder b = SavedModel.builder(network, new double[network.numParameters()]).formatVersion(version);
    JsonNode loss = JsonFields.get(root, "loss");
    if (loss != null) {
      f.object(loss, "loss");
      String type = f.string(f.require(loss, "type", "loss.type"), "loss.type");
      JsonNode reduction = JsonFields.get(loss, "reduction");
      b.loss(parse("loss.type", f, () -> LossType.fromConfigName(type)), reduction == null ? null
          : parse("loss.reduction", f, () -> Reduction.fromConfigName(f.string(reduction, "loss.reduction"))));
    }
    JsonNode task = JsonFields.get(root, "task");
    b.task(task == null ? null : f.string(task, "task"));
    JsonNode labels = JsonFields.get(root, "labels");
    b.labels(labels == null ? null : f.strings(labels, "labels"));
    JsonNode features = JsonFields.get(root, "features");
    if (features != null) {
      b.features(parse(null, f, () -> features(f, f.object(features, "features"))));
    }
    JsonNode pre = JsonFields.get(root, "preprocessing");
    if (pre != null) {
      f.object(pre, "preprocessing");
      double[] means = f.doubles(f.require(pre, "means", "preprocessing.means"), "preprocessing.means");
      double[] stds = f.doubles(f.require(pre, "stds", "preprocessing.stds"), "preprocessing.stds");
      b.preprocessing(parse(null, f, () -> new Preprocessing(means, stds)));
    }
    if (weights.dtype() != null) {
      b.dtype(weights.dtype());
    }
    JsonNode provenance = JsonFields.get(root, "provenance");
    if (provenance != null) {
      b.provenance(Json.toMap(f.object(provenance, "provenance")));
    }
    return new Document(parse(null, f, b::build), weights);
  }

  /** Weights and biases of {@code layers}, counted without overflow (the layers may be hand-edited). */
  private static long numParameters(int inputSize, List<LayerSpec> layers) {
    long n = 0;
    long fanIn = inputSize;
    for (LayerSpec l : layers) {
      // Each term is below 2^63; saturate rather than wrap when their sum is not.
      n += l.units() * fanIn + (l.bias() ? l.units() : 0);
      if (n < 0) {
        return Long.MAX_VALUE;
      }
      fanIn = l.units();
    }
    return n;
  }

  private static LayerSpec layer(JsonFields f, JsonNode node, String path) {
    int units = f.integer(f.require(node, "units", path + ".units"), path + ".units", 1);
    String name = f.string(f.require(node, "activation", path + ".activation"), path + ".activation");
    Activation activation = parse(path + ".activation", f, () -> Activation.fromConfigName(name));
    JsonNode bias = JsonFields.get(node, "bias");
    return new LayerSpec(units, activation, bias == null || f.bool(bias, path + ".bias"));
  }

  private static Features features(JsonFields f, JsonNode node) {
    JsonNode columns = JsonFields.get(node, "columns");
    JsonNode vector = JsonFields.get(node, "vectorColumn");
    JsonNode size = JsonFields.get(node, "size");
    if (columns != null && vector == null) {
      List<String> names = f.strings(columns, "features.columns");
      return new Features(names, null, size == null ? names.size() : f.integer(size, "features.size", 1));
    }
    String column = vector == null ? null : f.string(vector, "features.vectorColumn");
    if (vector != null && columns == null && size == null) {
      throw f.fail("features.size", "required field is missing (the size of vector column " + column + ")");
    }
    return new Features(null, column, size == null ? 0 : f.integer(size, "features.size", 1));
  }

  private static WeightsRef weights(JsonFields f, JsonNode node) {
    if (node == null) {
      return new WeightsRef(DEFAULT_WEIGHTS_FILE, null, null);
    }
    f.object(node, "weights");
    JsonNode fileNode = JsonFields.get(node, "file");
    String file = fileNode == null ? DEFAULT_WEIGHTS_FILE : f.string(fileNode, "weights.file");
    if (file.isEmpty() || file.contains("/") || file.contains("\\") || file.equals(".") || file.equals("..")) {
      throw f.fail("weights.file", "must be a file name inside the model directory, was '" + file + "'");
    }
    JsonNode shaNode = JsonFields.get(node, "sha256");
    String sha = shaNode == null ? null : f.string(shaNode, "weights.sha256").toLowerCase(Locale.ROOT);
    if (sha != null && !SHA256.matcher(sha).matches()) {
      throw f.fail("weights.sha256", "must be 64 hex digits, was '" + shaNode.asText() + "'");
    }
    JsonNode dtypeNode = JsonFields.get(node, "dtype");
    Dtype dtype = dtypeNode == null ? null
        : parse("weights.dtype", f, () -> Dtype.fromName(f.string(dtypeNode, "weights.dtype")));
    return new WeightsRef(file, sha, dtype);
  }

  /**
   * Runs a parse whose IllegalArgumentException becomes a one-line error at {@code path}, or at
   * the file alone when the message already names the field ({@code path} null).
   */
  private static <T> T parse(String path, JsonFields f, Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException e) {
      throw path == null ? f.fail(e.getMessage()) : f.fail(path, e.getMessage());
    }
  }
}

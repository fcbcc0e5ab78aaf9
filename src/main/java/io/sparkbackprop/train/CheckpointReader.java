package io.sparkbackprop.train;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sparkbackprop.model.Json;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.model.ModelFormatException;
import io.sparkbackprop.model.ModelStore;
import io.sparkbackprop.model.SafeTensors;
import io.sparkbackprop.model.Tensor;
import io.sparkbackprop.optim.OptimizerState;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads one checkpoint directory and checks it before anything in it is used: checkpoint.json is
 * strict JSON of bounded size with every field of the right type; the data files have the size
 * and sha256 that checkpoint.json records (checkpoints written before the sha256 was recorded get
 * only the structural checks); and the pieces agree with each other (the epoch in the directory's
 * name, the history's length and last step, the optimizer buffers' and best weights' lengths).
 * Every problem is a {@link ModelFormatException} whose message starts with the file's path.
 */
final class CheckpointReader {
  /** Far above a checkpoint.json's size: its history grows by about 300 bytes per epoch. */
  static final long MAX_JSON_BYTES = 64L << 20;
  /** The model files' strict mapper: duplicate keys and trailing tokens are errors. */
  private static final JsonMapper JSON = Json.MAPPER;

  private final ModelStore store;
  private final String dir;

  private CheckpointReader(ModelStore store, String dir) {
    this.store = store;
    this.dir = dir;
  }

  /** The checkpoint in {@code dir}, whose name is {@code epoch-NNNNNN}. */
  static Checkpoints.Loaded load(ModelStore store, String dir, int epochInName) throws IOException {
    return new CheckpointReader(store, dir).load(epochInName);
  }

  private String path(String file) {
    return dir + "/" + file;
  }

  private ModelFormatException fail(String file, String message) {
    return new ModelFormatException(path(file) + ": " + message);
  }

  private Checkpoints.Loaded load(int epochInName) throws IOException {
    JsonNode json = readJson();
    int version = integer(json, "formatVersion", 1);
    if (version != Checkpoints.FORMAT_VERSION) {
      return new Checkpoints.Loaded(dir, version, null, null);
    }
    JsonNode files = json.get("files");
    byte[] paramBytes = readVerified(Checkpoints.PARAMS, files);
    byte[] optimizerBytes = readVerified(Checkpoints.OPTIMIZER, files);

    Map<String, Tensor> tensors;
    try {
      tensors = SafeTensors.decode(paramBytes);
    } catch (ModelFormatException e) {
      throw fail(Checkpoints.PARAMS, e.getMessage());
    }
    double[] params = vector(tensors, "params", -1);
    OptimizerState optimizerState;
    try {
      optimizerState = OptimizerState.read(optimizerBytes);
    } catch (IOException e) {
      throw fail(Checkpoints.OPTIMIZER, e.getMessage());
    }
    for (String name : optimizerState.bufferNames()) {
      if (optimizerState.buffer(name).length != params.length) {
        throw fail(Checkpoints.OPTIMIZER, "buffer '" + name + "' has " + optimizerState.buffer(name).length
            + " values, " + Checkpoints.PARAMS + " has " + params.length + " parameters");
      }
    }

    int epochsDone = integer(json, "epochsDone", 0);
    if (epochsDone != epochInName) {
      throw fail(Checkpoints.JSON, "epochsDone is " + epochsDone + ", but the directory is "
          + Checkpoints.name(epochInName));
    }
    long globalStep = field("globalStep", () -> {
      JsonNode n = json.get("globalStep");
      if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
        throw new IllegalArgumentException("must be an integer >= 0");
      }
      return n.asLong();
    });
    List<EpochStats> history = history(json, epochsDone, globalStep);
    RunFingerprint fingerprint = field("fingerprint", () -> {
      RunFingerprint f = RunFingerprint.fromMap(map(json.get("fingerprint")));
      for (Object value : ((Map<?, ?>) f.config()).values()) {
        if (!(value instanceof String)) {
          throw new IllegalArgumentException("config values must be strings, found " + value);
        }
      }
      return f;
    });
    EarlyStopping.State early = null;
    JsonNode e = json.get("earlyStopping");
    if (e != null && !e.isNull()) {
      double[] best = tensors.containsKey("bestParams") ? vector(tensors, "bestParams", params.length) : null;
      early = field("earlyStopping", () -> new EarlyStopping.State(
          e.get("bestValue").isNull() ? Double.NaN : number(e.get("bestValue")),
          integer(e, "bestEpoch", 0), best, integer(e, "epochsWithoutImprovement", 0)));
    }
    TrainerState state = new TrainerState(epochsDone, globalStep, params, optimizerState, history, early);
    return new Checkpoints.Loaded(dir, version, fingerprint, state);
  }

  private JsonNode readJson() throws IOException {
    long size = store.size(dir, Checkpoints.JSON);
    if (size > MAX_JSON_BYTES) {
      throw fail(Checkpoints.JSON, "file has " + size + " bytes, more than the " + MAX_JSON_BYTES
          + " a checkpoint.json may have");
    }
    JsonNode json;
    try {
      json = JSON.readTree(store.read(dir, Checkpoints.JSON));
    } catch (JacksonException e) {
      throw fail(Checkpoints.JSON, "not valid JSON: " + e.getOriginalMessage().replaceAll("\\s*\\R\\s*", " "));
    }
    if (json == null || !json.isObject()) {
      throw fail(Checkpoints.JSON, "must be a JSON object");
    }
    return json;
  }

  /**
   * The file's bytes, after checking its size (before reading) and sha256 against what
   * checkpoint.json records; a checkpoint without the record is read as it is.
   */
  private byte[] readVerified(String file, JsonNode files) throws IOException {
    JsonNode record = files == null || files.isNull() ? null : files.get(file);
    long size;
    try {
      size = store.size(dir, file);
    } catch (NoSuchFileException e) {
      throw fail(file, "missing from the checkpoint");
    }
    if (record == null) {
      if (size > Integer.MAX_VALUE - 8) {
        throw fail(file, "file has " + size + " bytes, more than this reader supports");
      }
      return store.read(dir, file);
    }
    long recordedSize = field("files." + file + ".bytes", () -> {
      JsonNode n = record.get("bytes");
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        throw new IllegalArgumentException("must be an integer");
      }
      return n.asLong();
    });
    String recordedSha = field("files." + file + ".sha256", () -> {
      JsonNode n = record.get("sha256");
      if (!n.isTextual() || !n.asText().matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("must be 64 lower-case hex digits");
      }
      return n.asText();
    });
    if (size != recordedSize) {
      throw fail(file, "integrity check failed: file has " + size + " bytes, " + Checkpoints.JSON + " says "
          + recordedSize);
    }
    byte[] bytes = store.read(dir, file);
    String actual = ModelCodec.sha256(bytes);
    if (!actual.equals(recordedSha)) {
      throw fail(file, "integrity check failed: sha256 is " + actual + ", " + Checkpoints.JSON + " says "
          + recordedSha);
    }
    return bytes;
  }

  /** A one-dimensional F64 tensor; {@code length} -1 for any. */
  private double[] vector(Map<String, Tensor> tensors, String name, int length) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw fail(Checkpoints.PARAMS, "missing tensor " + name);
    }
    if (t.shape().length != 1 || (length >= 0 && t.shape()[0] != length)) {
      throw fail(Checkpoints.PARAMS, "tensor " + name + " has shape " + java.util.Arrays.toString(t.shape())
          + ", expected " + (length >= 0 ? "[" + length + "]" : "one dimension"));
    }
    return t.values();
  }

  private List<EpochStats> history(JsonNode json, int epochsDone, long globalStep) {
    List<EpochStats> history = field("history", () -> {
      JsonNode h = json.get("history");
      if (!h.isArray()) {
        throw new IllegalArgumentException("must be an array");
      }
      List<EpochStats> out = new ArrayList<>();
      for (JsonNode e : h) {
        out.add(HistoryCodec.fromMap(map(e)));
      }
      return out;
    });
    if (history.size() != epochsDone) {
      throw fail(Checkpoints.JSON, "history has " + history.size() + " epochs, epochsDone is " + epochsDone);
    }
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i).epoch() != i + 1) {
        throw fail(Checkpoints.JSON, "history[" + i + "] is epoch " + history.get(i).epoch() + ", expected " + (i + 1));
      }
    }
    long lastStep = history.isEmpty() ? 0 : history.get(history.size() - 1).step();
    if (lastStep != globalStep) {
      throw fail(Checkpoints.JSON, "globalStep is " + globalStep + ", the history's last epoch ended at step "
          + lastStep);
    }
    return history;
  }

  private int integer(JsonNode object, String name, int min) {
    return field(name, () -> {
      JsonNode n = object.get(name);
      if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min) {
        throw new IllegalArgumentException("must be an integer >= " + min + ", was " + n);
      }
      return n.asInt();
    });
  }

  private static double number(JsonNode n) {
    if (!n.isNumber()) {
      throw new IllegalArgumentException("must be a number, was " + n);
    }
    return n.asDouble();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("must be an object, was " + n);
    }
    return JSON.convertValue(n, Map.class);
  }

  /**
   * Runs one field's conversion; a missing field or a value of the wrong type (which the
   * conversion meets as a null, a ClassCastException or an IllegalArgumentException) becomes one
   * line naming the field.
   */
  private <T> T field(String name, Supplier<T> conversion) {
    try {
      return conversion.get();
    } catch (ModelFormatException e) {
      throw e;
    } catch (NullPointerException | ClassCastException e) {
      throw fail(Checkpoints.JSON, name + ": missing or of the wrong type");
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() == null ? "malformed" : e.getMessage();
      throw fail(Checkpoints.JSON, name + ": " + message);
    }
  }
}

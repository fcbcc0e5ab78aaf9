package io.sparkbackprop.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.model.ModelFormatException;
import io.sparkbackprop.model.ModelStore;
import io.sparkbackprop.model.SafeTensors;
import io.sparkbackprop.model.Tensor;
import io.sparkbackprop.optim.OptimizerState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checkpoints of a run under one root directory, one subdirectory per saved epoch
 * ({@code epoch-000012}), each written aside and renamed into place, so a crash while writing
 * leaves the previous checkpoint loadable. The newest {@code keep} are kept.
 *
 * <p>A checkpoint holds {@code checkpoint.json} (epoch, step, history, early-stopping tracker and
 * the {@link RunFingerprint} a resume is checked against), {@code params.safetensors} (weights,
 * and the best weights so far under early stopping) and {@code optimizer.bin}.
 */
public final class Checkpoints implements CheckpointSink {
  /** Version of the checkpoint layout; a resume refuses any other. */
  public static final int FORMAT_VERSION = 1;
  static final String JSON = "checkpoint.json";
  static final String PARAMS = "params.safetensors";
  static final String OPTIMIZER = "optimizer.bin";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ModelStore store;
  private final String root;
  private final int keep;
  private final RunFingerprint fingerprint;

  public Checkpoints(ModelStore store, String root, int keep, RunFingerprint fingerprint) {
    this.store = store;
    this.root = root;
    this.keep = keep;
    this.fingerprint = fingerprint;
  }

  /** A checkpoint read back: the state to continue from and the fingerprint it was saved with. */
  public record Loaded(String dir, int formatVersion, RunFingerprint fingerprint, TrainerState state) {
  }

  @Override
  public void save(TrainerState s) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("formatVersion", FORMAT_VERSION);
    json.put("epochsDone", s.epochsDone());
    json.put("globalStep", s.globalStep());
    json.put("fingerprint", fingerprint.toMap());
    json.put("history", s.history().stream().map(HistoryCodec::toMap).toList());
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("params", Tensor.f64(new int[] {s.params().length}, s.params()));
    if (s.early() != null) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("bestValue", HistoryCodec.finite(s.early().bestValue()));
      e.put("bestEpoch", s.early().bestEpoch());
      e.put("epochsWithoutImprovement", s.early().epochsWithoutImprovement());
      json.put("earlyStopping", e);
      if (s.early().bestParams() != null) {
        tensors.put("bestParams", Tensor.f64(new int[] {s.early().bestParams().length}, s.early().bestParams()));
      }
    }
    try {
      files.put(JSON, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
      files.put(PARAMS, SafeTensors.encode(tensors));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        s.optimizerState().writeTo(out);
      }
      files.put(OPTIMIZER, bytes.toByteArray());
      store.writeDirectory(store.resolve(root, name(s.epochsDone())), files, true);
      List<String> all = checkpointNames();
      for (int i = 0; i < all.size() - keep; i++) {
        store.delete(store.resolve(root, all.get(i)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint under " + root + ": " + e.getMessage(), e);
    }
  }

  static String name(int epochsDone) {
    return String.format(Locale.ROOT, "epoch-%06d", epochsDone);
  }

  private List<String> checkpointNames() throws IOException {
    return store.listDirectories(root).stream().filter(n -> n.matches("epoch-\\d{6}")).toList();
  }

  /** The newest checkpoint under {@code root}, or null when there is none. */
  public static Loaded latest(ModelStore store, String root) throws IOException {
    List<String> names = new Checkpoints(store, root, 1, null).checkpointNames();
    if (names.isEmpty()) {
      return null;
    }
    String dir = store.resolve(root, names.get(names.size() - 1));
    return load(store, dir);
  }

  @SuppressWarnings("unchecked")
  static Loaded load(ModelStore store, String dir) throws IOException {
    Map<String, Object> json;
    try {
      json = MAPPER.readValue(store.read(dir, JSON), Map.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new ModelFormatException(dir + "/" + JSON + ": not valid JSON: " + e.getOriginalMessage());
    }
    int version = ((Number) json.get("formatVersion")).intValue();
    if (version != FORMAT_VERSION) {
      return new Loaded(dir, version, null, null);
    }
    Map<String, Tensor> tensors = SafeTensors.decode(store.read(dir, PARAMS));
    OptimizerState optimizerState;
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(store.read(dir, OPTIMIZER)))) {
      optimizerState = OptimizerState.readFrom(in);
    }
    EarlyStopping.State early = null;
    Map<String, Object> e = (Map<String, Object>) json.get("earlyStopping");
    if (e != null) {
      Tensor best = tensors.get("bestParams");
      early = new EarlyStopping.State(HistoryCodec.number(e.get("bestValue")),
          ((Number) e.get("bestEpoch")).intValue(), best == null ? null : best.values(),
          ((Number) e.get("epochsWithoutImprovement")).intValue());
    }
    List<EpochStats> history = ((List<Map<String, Object>>) json.get("history")).stream()
        .map(HistoryCodec::fromMap).toList();
    TrainerState state = new TrainerState(((Number) json.get("epochsDone")).intValue(),
        ((Number) json.get("globalStep")).longValue(), tensors.get("params").values(),
        optimizerState, history, early);
    return new Loaded(dir, version, RunFingerprint.fromMap((Map<String, Object>) json.get("fingerprint")), state);
  }
}

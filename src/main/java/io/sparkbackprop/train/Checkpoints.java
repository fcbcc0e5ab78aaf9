package io.sparkbackprop.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.model.ModelFormatException;
import io.sparkbackprop.model.ModelStore;
import io.sparkbackprop.model.SafeTensors;
import io.sparkbackprop.model.Tensor;
import java.io.ByteArrayOutputStream;
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

  /**
   * A checkpoint read back: the state to continue from and the fingerprint it was saved with.
   * {@code fingerprint} and {@code state} are null when {@code formatVersion} is not this build's.
   * {@code older} is the next older checkpoint's directory, or null when there is none.
   */
  public record Loaded(String dir, int formatVersion, RunFingerprint fingerprint, TrainerState state, String older) {
    Loaded(String dir, int formatVersion, RunFingerprint fingerprint, TrainerState state) {
      this(dir, formatVersion, fingerprint, state, null);
    }

    /** What a user can do about a checkpoint that cannot be used, naming the older one if any. */
    public String olderHint() {
      return older == null ? "there is no older checkpoint"
          : "an older checkpoint exists: move " + dir + " aside and --resume again to continue from " + older;
    }
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
      byte[] params = SafeTensors.encode(tensors);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        s.optimizerState().writeTo(out);
      }
      // Verified before a resume uses the files (CheckpointReader).
      json.put("files", Map.of(PARAMS, fileRecord(params), OPTIMIZER, fileRecord(bytes.toByteArray())));
      files.put(JSON, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
      files.put(PARAMS, params);
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

  private static Map<String, Object> fileRecord(byte[] content) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bytes", content.length);
    m.put("sha256", ModelCodec.sha256(content));
    return m;
  }

  static String name(int epochsDone) {
    return String.format(Locale.ROOT, "epoch-%06d", epochsDone);
  }

  private List<String> checkpointNames() throws IOException {
    return store.listDirectories(root).stream().filter(n -> n.matches("epoch-\\d{6}")).toList();
  }

  /**
   * The newest checkpoint under {@code root}, checked (see {@link CheckpointReader}), or null when
   * there is none. A corrupt one is refused, naming the older checkpoint a user could resume from.
   */
  public static Loaded latest(ModelStore store, String root) throws IOException {
    List<String> names = new Checkpoints(store, root, 1, null).checkpointNames();
    if (names.isEmpty()) {
      return null;
    }
    String newest = names.get(names.size() - 1);
    String dir = store.resolve(root, newest);
    String older = names.size() < 2 ? null : store.resolve(root, names.get(names.size() - 2));
    Loaded loaded;
    try {
      loaded = CheckpointReader.load(store, dir, Integer.parseInt(newest.substring("epoch-".length())));
    } catch (ModelFormatException e) {
      throw new ModelFormatException(e.getMessage() + "; " + new Loaded(dir, 0, null, null, older).olderHint(), e);
    }
    return new Loaded(loaded.dir(), loaded.formatVersion(), loaded.fingerprint(), loaded.state(), older);
  }

  /**
   * Deletes the checkpoints under {@code root} (the {@code epoch-NNNNNN} directories and what an
   * interrupted write left of them) and then {@code root} itself if nothing else is in it: a
   * checkpoint directory set to a path that holds other things loses only the checkpoints.
   */
  public static void deleteAll(ModelStore store, String root) throws IOException {
    for (String name : store.list(root)) {
      if (name.matches("\\.?epoch-\\d{6}(\\.(tmp|old)-[A-Za-z0-9-]+)?")) {
        store.delete(store.resolve(root, name));
      }
    }
    if (store.exists(root) && store.list(root).isEmpty()) {
      store.delete(root);
    }
  }
}

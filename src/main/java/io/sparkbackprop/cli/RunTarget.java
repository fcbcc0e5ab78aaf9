package io.sparkbackprop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.config.InvalidConfigException;
import io.sparkbackprop.config.OutputSettings;
import io.sparkbackprop.data.InputMissingException;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.model.ModelFormatException;
import io.sparkbackprop.model.ModelStore;
import io.sparkbackprop.model.OutputExistsException;
import io.sparkbackprop.train.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a training run's output goes and how it is published: the model directory, the status
 * file beside it ({@code <name>.status.json}, success or the failure's exit code and message, for
 * schedulers whose spark-submit does not return the exit code), and in versioned mode the
 * {@code LATEST} pointer and the pruning of old versions.
 */
final class RunTarget {
  static final String LATEST = "LATEST";
  static final String SUCCESS = "_SUCCESS";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ModelStore store;
  private final OutputSettings out;
  private final Redactor redactor;

  RunTarget(ModelStore store, OutputSettings out, Redactor redactor) {
    this.store = store;
    this.out = out;
    this.redactor = redactor;
  }

  String modelDir() {
    return out.modelDir();
  }

  /** The directory holding the model directory, and the model directory's own name. */
  private String[] parentAndName() {
    String dir = modelDir().replaceAll("/+$", "");
    int slash = dir.lastIndexOf('/');
    return slash < 0 ? new String[] {".", dir} : new String[] {dir.substring(0, Math.max(slash, 1)), dir.substring(slash + 1)};
  }

  String statusFile() {
    String[] pn = parentAndName();
    return pn[0] + "/" + pn[1] + ".status.json";
  }

  /** The version LATEST points to, or null. */
  String latestVersion() throws IOException {
    if (!out.versioned() || !store.fileExists(out.root(), LATEST)) {
      return null;
    }
    if (store.size(out.root(), LATEST) > 1024) {
      throw new ModelFormatException(store.resolve(out.root(), LATEST) + ": larger than a version name can be");
    }
    String version = new String(store.read(out.root(), LATEST), StandardCharsets.UTF_8).trim();
    if (!OutputSettings.isVersionName(version)) {
      // A hand-edited pointer must not lead outside the root ("../other", "/etc").
      throw new ModelFormatException(store.resolve(out.root(), LATEST) + ": '" + version
          + "' is not a version name (letters, digits, '.', '_' or '-')");
    }
    return version;
  }

  /** {@code --init-model} argument to a directory: {@code LATEST} means the current version. */
  String resolveInitModel(String arg) throws IOException {
    if (!LATEST.equals(arg)) {
      return arg;
    }
    if (!out.versioned()) {
      throw new InvalidConfigException("--init-model LATEST needs output.root (versioned output)");
    }
    String latest = latestVersion();
    if (latest == null) {
      throw new InputMissingException("--init-model LATEST: " + out.root() + " has no LATEST model yet");
    }
    return store.resolve(out.root(), latest);
  }

  /**
   * Refuses, before training, to replace what is at the model directory unless it is an earlier
   * output of this project: an empty directory, or one with a spark-backprop model.json.
   * {@code output.overwrite} must never delete a user's other files.
   */
  void checkReplaceable() throws IOException {
    String dir = modelDir();
    String[] pn = parentAndName();
    String key = out.versioned() ? "output.root/output.version" : "output.model";
    if (!store.exists(dir)) {
      if (store.fileExists(pn[0], pn[1])) {
        throw new OutputExistsException(dir, key + " " + dir + " is a file, not a model directory; refusing to"
            + " replace it (remove it or choose another path)");
      }
      return;
    }
    if (!store.list(dir).isEmpty() && !ModelCodec.isModelDirectory(store, dir)) {
      throw new OutputExistsException(dir, key + " " + dir + " exists and is not a spark-backprop model (no"
          + " model.json with format spark-backprop-mlp); output.overwrite replaces only a model or an empty"
          + " directory, so remove it yourself or choose another path");
    }
  }

  /** A run of this version already finished successfully (its model has _SUCCESS). */
  boolean alreadyComplete() throws IOException {
    return out.versioned() && !out.overwrite() && store.fileExists(modelDir(), SUCCESS);
  }

  /** Final metrics of the LATEST model, or null when there is none. */
  JsonNode latestMetrics() throws IOException {
    String latest = latestVersion();
    if (latest == null) {
      return null;
    }
    try {
      return JSON.readTree(store.read(store.resolve(out.root(), latest), "metrics.json"));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Points LATEST at this run's version and deletes the oldest versions beyond keepVersions. */
  List<String> publish() throws IOException {
    List<String> deleted = new ArrayList<>();
    if (!out.versioned()) {
      return deleted;
    }
    store.writeFile(out.root(), LATEST, (out.version() + "\n").getBytes(StandardCharsets.UTF_8));
    List<String> versions = new ArrayList<>();
    for (String v : store.listDirectories(out.root())) {
      // Only what this job publishes: a version name holding a completed spark-backprop model.
      String dir = store.resolve(out.root(), v);
      if (OutputSettings.isVersionName(v) && store.fileExists(dir, SUCCESS) && ModelCodec.isModelDirectory(store, dir)) {
        versions.add(v);
      }
    }
    // Oldest first by name; LATEST (this version) is never deleted.
    for (int i = 0; i < versions.size() - out.keepVersions(); i++) {
      if (!versions.get(i).equals(out.version())) {
        store.delete(store.resolve(out.root(), versions.get(i)));
        store.delete(out.root() + "/" + versions.get(i) + ".status.json");
        deleted.add(versions.get(i));
      }
    }
    return deleted;
  }

  void writeStatus(String status, int exitCode, String message, Map<String, Object> extra) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status);
    m.put("exitCode", exitCode);
    if (message != null) {
      m.put("message", redactor.text(message));
    }
    m.put("model", redactor.text(modelDir()));
    if (out.versioned()) {
      m.put("version", out.version());
    }
    m.put("time", Instant.now().toString());
    m.putAll(extra);
    String[] pn = parentAndName();
    try {
      store.writeFile(pn[0], pn[1] + ".status.json",
          JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
    } catch (IOException | RuntimeException e) {
      System.err.println(redactor.text("warning: could not write the status file " + statusFile() + ": "
          + e.getMessage()));
    }
  }
}

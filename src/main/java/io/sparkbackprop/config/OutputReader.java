package io.sparkbackprop.config;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Reads and checks the {@code output} section: one model directory, or versions with a gate. */
final class OutputReader {
  private OutputReader() {
  }

  static OutputSettings read(ConfigReader r) {
    boolean overwrite = r.bool("output.overwrite");
    int keep = r.intAtLeast("output.keepVersions", 1);
    String model = r.optionalString("output.model");
    String root = r.optionalString("output.root");
    if ((model == null) == (root == null)) {
      throw new InvalidConfigException(r.where(model == null ? "output" : "output.root") + ": set "
          + "either output.model (one model directory) or output.root (a directory of versions)");
    }
    String version = null;
    if (root != null) {
      version = r.has("output.version") ? r.string("output.version")
          : DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
              .withZone(ZoneOffset.UTC).format(Instant.now());
      if (!OutputSettings.isVersionName(version)) {
        throw r.error("output.version", "must be letters, digits, '.', '_' or '-' (and not LATEST), was '"
            + version + "'");
      }
    } else if (r.has("output.version")) {
      throw r.error("output.version", "only applies with output.root");
    }
    GateSettings gate = null;
    if (r.has("output.gate.metric")) {
      String metric = r.string("output.gate.metric");
      if (!GateSettings.METRICS.contains(metric)) {
        throw r.error("output.gate.metric", "must be one of " + GateSettings.METRICS + ", was '" + metric + "'");
      }
      double threshold = r.has("output.gate.threshold") ? r.number("output.gate.threshold") : Double.NaN;
      double worse = r.has("output.gate.maxWorseThanLatest") ? r.number("output.gate.maxWorseThanLatest") : Double.NaN;
      if (worse < 0) {
        throw r.error("output.gate.maxWorseThanLatest", "must be >= 0, was " + worse);
      }
      if (Double.isNaN(threshold) && Double.isNaN(worse)) {
        throw r.error("output.gate.metric", "needs output.gate.threshold or output.gate.maxWorseThanLatest");
      }
      if (!Double.isNaN(worse) && root == null) {
        throw r.error("output.gate.maxWorseThanLatest", "compares with LATEST, so it needs output.root");
      }
      gate = new GateSettings(metric, threshold, worse);
    } else if (r.has("output.gate.threshold") || r.has("output.gate.maxWorseThanLatest")) {
      throw r.error(r.has("output.gate.threshold") ? "output.gate.threshold" : "output.gate.maxWorseThanLatest",
          "needs output.gate.metric");
    }
    return new OutputSettings(model, root, version, keep, overwrite, gate);
  }
}

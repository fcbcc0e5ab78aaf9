package io.sparkbackprop.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.data.BlockedDataset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What must be the same for a checkpoint to be continued exactly: the training config (except
 * where the output goes, Spark settings and the checkpoint settings themselves) and the shape of
 * the data (features, rows per partition).
 *
 * @param config the user's config flattened to {@code key -> JSON value}, sorted
 */
public record RunFingerprint(Map<String, String> config, int numFeatures, List<Long> rowsPerPartition) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static RunFingerprint of(String configJson, BlockedDataset train) {
    Map<String, String> flat = new TreeMap<>();
    try {
      flatten("", MAPPER.readTree(configJson), flat);
    } catch (IOException e) {
      throw new IllegalStateException("config JSON does not parse: " + e.getMessage(), e);
    }
    flat.keySet().removeIf(k -> k.startsWith("output.") || k.startsWith("spark.")
        || k.startsWith("training.checkpoint."));
    List<Long> rows = new ArrayList<>();
    for (long r : train.rowsPerPartition()) {
      rows.add(r);
    }
    return new RunFingerprint(flat, train.numFeatures(), rows);
  }

  private static void flatten(String prefix, com.fasterxml.jackson.databind.JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
          e.getValue(), out));
    } else {
      out.put(prefix, node.toString());
    }
  }

  /** The first difference from {@code other} (the checkpoint's), as a phrase, or null. */
  public String differenceFrom(RunFingerprint saved) {
    TreeMap<String, String> keys = new TreeMap<>(config);
    saved.config.forEach(keys::putIfAbsent);
    for (String k : keys.keySet()) {
      String now = config.get(k);
      String then = saved.config.get(k);
      if (!java.util.Objects.equals(now, then)) {
        return "config key " + k + " is " + (now == null ? "unset" : now) + ", the checkpoint's was "
            + (then == null ? "unset" : then);
      }
    }
    if (numFeatures != saved.numFeatures) {
      return "the data has " + numFeatures + " features, the checkpoint's had " + saved.numFeatures;
    }
    if (!rowsPerPartition.equals(saved.rowsPerPartition)) {
      long now = rowsPerPartition.stream().mapToLong(Long::longValue).sum();
      long then = saved.rowsPerPartition.stream().mapToLong(Long::longValue).sum();
      return now != then ? "the data has " + now + " rows, the checkpoint's had " + then
          : "the data is split into partitions differently (" + rowsPerPartition.size() + " partitions"
              + " now, " + saved.rowsPerPartition.size() + " in the checkpoint)";
    }
    return null;
  }

  Map<String, Object> toMap() {
    return Map.of("config", config, "numFeatures", numFeatures, "rowsPerPartition", rowsPerPartition);
  }

  @SuppressWarnings("unchecked")
  static RunFingerprint fromMap(Map<String, Object> m) {
    List<Long> rows = ((List<Number>) m.get("rowsPerPartition")).stream().map(Number::longValue).toList();
    return new RunFingerprint(new TreeMap<>((Map<String, String>) m.get("config")),
        ((Number) m.get("numFeatures")).intValue(), rows);
  }
}

package io.sparkbackprop.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Figures of one benchmark run: printed as {@code key: value} lines as they come, and appended as
 * one JSON object per run to a results file, so docs/benchmarks.md can quote them.
 */
final class Report {
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final PrintStream out;

  Report(String benchmark, PrintStream out) {
    this.out = out;
    put("benchmark", benchmark);
    put("date", Instant.now().toString());
    put("cores", Runtime.getRuntime().availableProcessors());
    put("java", System.getProperty("java.version"));
  }

  Report put(String key, Object value) {
    if (value instanceof double[] a) {
      value = java.util.Arrays.stream(a).boxed().toList();
    }
    figures.put(key, value);
    out.println(key + ": " + (value instanceof Double d ? String.format("%.4g", d) : value));
    return this;
  }

  Map<String, Object> figures() {
    return figures;
  }

  /** Appends this run as one JSON line to {@code file}; nothing when {@code file} is null. */
  void append(Path file) throws IOException {
    if (file == null) {
      return;
    }
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    String line = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .writeValueAsString(figures) + "\n";
    Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}

package io.sparkbackprop.config;

import java.util.Locale;
import java.util.Set;

/** A dataset by path and Spark format ({@code csv}, {@code libsvm}, {@code parquet}, {@code json}, {@code orc}). */
public record DataSource(String path, String format) {
  public static final Set<String> FORMATS = Set.of("csv", "libsvm", "parquet", "json", "orc");

  /** The format implied by a path's extension, or null when the extension says nothing. */
  public static String formatFromExtension(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    for (String ext : new String[] {".gz", ".bz2", ".snappy", ".zst"}) {
      if (p.endsWith(ext)) {
        p = p.substring(0, p.length() - ext.length());
      }
    }
    if (p.endsWith(".csv")) {
      return "csv";
    }
    if (p.endsWith(".libsvm") || p.endsWith(".svm")) {
      return "libsvm";
    }
    if (p.endsWith(".parquet")) {
      return "parquet";
    }
    if (p.endsWith(".json") || p.endsWith(".jsonl")) {
      return "json";
    }
    if (p.endsWith(".orc")) {
      return "orc";
    }
    return null;
  }
}

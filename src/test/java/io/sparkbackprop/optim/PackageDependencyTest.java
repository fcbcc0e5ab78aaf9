package io.sparkbackprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The optimizers are plain JDK code: no Spark, no libraries, so they test and port alone. */
class PackageDependencyTest {
  /** Surefire runs with the project directory as working directory. */
  private static final Path SOURCES = Path.of("src/main/java/io/sparkbackprop/optim");

  @Test
  void mainSourcesImportOnlyTheJdk() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(SOURCES)) {
      files = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertTrue(files.size() >= 10, "no sources under " + SOURCES.toAbsolutePath());
    List<String> offending = new ArrayList<>();
    for (Path f : files) {
      for (String line : Files.readAllLines(f)) {
        String t = line.strip();
        boolean foreignImport = t.startsWith("import ") && !t.matches("import (static )?java\\..*");
        if (foreignImport || t.contains("org.apache.spark") || t.contains("com.google.")) {
          offending.add(f.getFileName() + ": " + t);
        }
      }
    }
    assertEquals(List.of(), offending);
  }
}

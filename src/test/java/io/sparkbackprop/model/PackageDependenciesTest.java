package io.sparkbackprop.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The model package sits below data/train/ml/cli: no Spark, no Hadoop, no later package. */
class PackageDependenciesTest {

  private static final List<String> FORBIDDEN = List.of("import org.apache.spark", "import org.apache.hadoop",
      "import io.sparkbackprop.data", "import io.sparkbackprop.train", "import io.sparkbackprop.ml",
      "import io.sparkbackprop.cli");

  @Test
  void modelPackageImportsNoSparkHadoopOrLaterPackage() throws Exception {
    Path sources = Path.of("src/main/java/io/sparkbackprop/model");
    List<String> offending = new ArrayList<>();
    try (Stream<Path> files = Files.list(sources)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(f)) {
          if (FORBIDDEN.stream().anyMatch(line.strip()::startsWith)) {
            offending.add(f.getFileName() + ": " + line.strip());
          }
        }
      }
    }
    assertEquals(List.of(), offending);
  }
}

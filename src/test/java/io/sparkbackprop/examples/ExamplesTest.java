package io.sparkbackprop.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples under src/examples run, and learn. */
class ExamplesTest {
  /** Iris held-out accuracy of a tuned small network: typically 0.93-1.0 on its 20%. */
  private static final double MIN_TEST_ACCURACY = 0.85;
  /** Diabetes held-out RMSE; the train job's sample config reaches about 51 (targets 25-346). */
  private static final double MAX_DIABETES_RMSE = 65;

  @TempDir
  Path dir;

  @Test
  void javaPipelineExampleTunesSavesLoadsAndPredicts() throws IOException {
    Path out = dir.resolve("model");
    double accuracy = JavaPipelineExample.run(SparkTestSession.get(), "data-samples/iris/iris.csv", out.toString());
    assertTrue(accuracy >= MIN_TEST_ACCURACY, "accuracy " + accuracy);
    assertTrue(Files.isDirectory(out.resolve("stages")), "the PipelineModel was saved");
  }

  @Test
  void scalaExampleCompilesAndRuns() throws Exception {
    Path classes = Files.createDirectories(dir.resolve("scala-classes"));
    String classpath = Files.readString(Path.of(System.getProperty("test.classpath.file"))).trim()
        + File.pathSeparator + Path.of(ExamplesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolveSibling("classes");
    boolean compiled = scala.tools.nsc.Main.process(new String[] {"-nowarn", "-classpath", classpath,
        "-d", classes.toString(), "src/examples/scala/io/sparkbackprop/examples/ScalaPipelineExample.scala"});
    assertTrue(compiled, "scalac compiled the example (its errors are above)");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        ExamplesTest.class.getClassLoader())) {
      Method run = loader.loadClass("io.sparkbackprop.examples.ScalaPipelineExample")
          .getMethod("run", SparkSession.class, String.class, String.class);
      scala.Tuple2<?, ?> result = (scala.Tuple2<?, ?>) run.invoke(null, SparkTestSession.get(), "data-samples",
          dir.resolve("scala-out").toString());
      assertTrue((Double) result._1() >= MIN_TEST_ACCURACY, "accuracy " + result._1());
      assertTrue((Double) result._2() < MAX_DIABETES_RMSE, "rmse " + result._2());
    }
  }
}

package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparkbackprop.model.LocalModelStore;
import io.sparkbackprop.model.ModelCodec;
import io.sparkbackprop.optim.Optimizer;
import io.sparkbackprop.optim.OptimizerSpec;
import io.sparkbackprop.optim.OptimizerType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a model or a checkpoint never deserializes Java objects: a file from an untrusted place
 * is parsed as bytes and JSON only. Checked twice: no source file uses Java deserialization, and
 * loading both with every Java deserialization on the test's thread rejected works.
 */
class NoJavaDeserializationTest {
  private static final List<String> FORBIDDEN = List.of("ObjectInputStream", "readObject", "readUnshared",
      "JavaSerializer", "SerializationUtils", "XMLDecoder");
  /** On while the current thread must not deserialize; the JVM-wide filter below consults it. */
  private static final ThreadLocal<Boolean> FORBID = ThreadLocal.withInitial(() -> false);
  private static boolean filterInstalled;

  @TempDir
  Path tmp;

  @Test
  void noMainSourceUsesJavaDeserialization() throws Exception {
    List<String> offending = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          if (FORBIDDEN.stream().anyMatch(line::contains)) {
            offending.add(f + ":" + (i + 1) + ": " + line.strip());
          }
        }
      }
    }
    assertEquals(List.of(), offending);
  }

  /** Installs, once per JVM, a filter that rejects every class while {@link #FORBID} is on. */
  private static synchronized void installFilter() {
    if (!filterInstalled) {
      assumeTrue(ObjectInputFilter.Config.getSerialFilter() == null, "another serial filter is installed");
      ObjectInputFilter.Config.setSerialFilter(info -> FORBID.get() ? ObjectInputFilter.Status.REJECTED
          : ObjectInputFilter.Status.UNDECIDED);
      filterInstalled = true;
    }
  }

  private interface Load {
    void run() throws Exception;
  }

  private static void withoutDeserialization(Load load) throws Exception {
    FORBID.set(true);
    try {
      load.run();
    } finally {
      FORBID.set(false);
    }
  }

  @Test
  void modelsAndCheckpointsLoadWithJavaDeserializationRejected() throws Exception {
    installFilter();
    ByteArrayOutputStream serialized = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
      out.writeObject(new ArrayList<>(List.of("x")));
    }
    // The filter works: deserializing anything on this thread now fails.
    assertThrows(InvalidClassException.class, () -> withoutDeserialization(() -> {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized.toByteArray()))) {
        in.readObject();
      }
    }));

    LocalModelStore store = new LocalModelStore();
    String model = "src/test/resources/golden-models/xor-v1";
    String checkpoints = tmp.resolve("ckpt").toString();
    new Checkpoints(store, checkpoints, 1, new RunFingerprint(Map.of("training.seed", "1"), 2, List.of(4L)))
        .save(new TrainerState(0, 0, new double[9],
            Optimizer.create(OptimizerSpec.defaults(OptimizerType.ADAM)).init(9), List.of(), null));

    withoutDeserialization(() -> {
      assertEquals(9, ModelCodec.decode(store, model).parameters().length);
      assertEquals(9, Checkpoints.latest(store, checkpoints).state().params().length);
    });
  }
}

package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets given in spark.conf, or as the user:password of a URI, appear in no file a run writes
 * (model.json, history, metrics, status, checkpoint.json) and in none of its printed lines.
 */
class SecretsTest {
  private static final String S3_SECRET = "FAKE-S3-SECRET-4f2a9";
  private static final String TOKEN = "FAKE-TOKEN-c81e7";
  private static final String PASSWORD = "FAKE-PASSWORD-0d3b";
  private static final List<String> SECRETS = List.of(S3_SECRET, TOKEN, PASSWORD);

  @TempDir
  Path dir;

  /** Every file under {@code dir} whose bytes contain one of the secrets. */
  private List<String> filesHoldingASecret() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        SECRETS.stream().filter(content::contains).forEach(s -> found.add(f + " holds " + s));
      }
    }
    return found;
  }

  private static void assertNoSecret(JobHarness.Result r) {
    for (String s : SECRETS) {
      assertFalse(r.out().contains(s), "stdout shows " + s + ": " + r.out());
      assertFalse(r.err().contains(s), "stderr shows " + s + ": " + r.err());
    }
  }

  @Test
  void secretsAreRedactedFromEveryWrittenFileAndPrintedLine() throws IOException {
    Path model = dir.resolve("model");
    JobHarness.Result ok = JobHarness.run(TrainJob::run, "conf/xor.conf", "--set", "training.epochs=4",
        "--set", "output.model=\"" + model + "\"",
        "--set", "training.checkpoint.everyEpochs=2", "--set", "training.checkpoint.dir=\"" + dir.resolve("ckpt") + "\"",
        "--set", "spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=" + S3_SECRET,
        "--set", "spark.conf.\"spark.myapp.apiToken\"=" + TOKEN);
    assertEquals(0, ok.exitCode(), ok.err());
    assertNoSecret(ok);
    assertTrue(Files.exists(dir.resolve("ckpt/epoch-000004/checkpoint.json")));
    assertTrue(Files.exists(dir.resolve("model.status.json")));
    JsonNode conf = new ObjectMapper().readTree(model.resolve("model.json").toFile())
        .get("provenance").get("config").get("spark").get("conf");
    assertEquals("*********(redacted)", conf.get("spark.hadoop.fs.s3a.secret.key").asText());
    assertEquals("*********(redacted)", conf.get("spark.myapp.apiToken").asText());

    // A URI with user:password reaches the error line and the status file of a failed run.
    JobHarness.Result failed = JobHarness.run(TrainJob::run, "conf/xor.conf", "--set", "training.epochs=4",
        "--set", "output.model=\"" + dir.resolve("failed") + "\"",
        "--set", "data.train.path=\"file://alice:" + PASSWORD + "@localhost/no/such/xor.csv\"",
        "--set", "spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=" + S3_SECRET);
    assertNotEquals(0, failed.exitCode());
    assertNoSecret(failed);
    assertTrue(failed.err().contains("file://*********(redacted)@localhost/no/such/xor.csv"), failed.err());
    assertTrue(new ObjectMapper().readTree(dir.resolve("failed.status.json").toFile()).get("message").asText()
        .contains("file://*********(redacted)@localhost/no/such/xor.csv"));

    assertEquals(List.of(), filesHoldingASecret());
  }
}

package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private static final String R = "*********(redacted)";

  @Test
  void settingsMatchingSparksRedactionRegexAndUriPasswordsAreRedacted() {
    Redactor r = Redactor.of(new SparkConf(false), Map.of("spark.hadoop.fs.s3a.secret.key", "FAKE-S3-SECRET",
        "spark.executor.memory", "2g", "spark.myapp.url", "jdbc:x?password=hunter22"));
    String config = "{\"spark\":{\"conf\":{\"spark.hadoop.fs.s3a.secret.key\":\"FAKE-S3-SECRET\","
        + "\"spark.executor.memory\":\"2g\",\"spark.myapp.url\":\"jdbc:x?password=hunter22\"}},"
        + "\"data\":{\"train\":{\"path\":\"s3a://AKIAFAKE:pw-123@bucket/x\"},\"features\":[\"a\",\"b\"]},"
        + "\"optimizer\":{\"learningRate\":0.5}}";

    assertEquals("{\"spark\":{\"conf\":{\"spark.hadoop.fs.s3a.secret.key\":\"" + R + "\","
        + "\"spark.executor.memory\":\"2g\",\"spark.myapp.url\":\"" + R + "\"}},"
        + "\"data\":{\"train\":{\"path\":\"s3a://" + R + "@bucket/x\"},\"features\":[\"a\",\"b\"]},"
        + "\"optimizer\":{\"learningRate\":0.5}}", r.configJson(config));
    assertEquals("cannot read s3a://" + R + "@bucket/x with key " + R,
        r.text("cannot read s3a://AKIAFAKE:pw-123@bucket/x with key FAKE-S3-SECRET"));
    assertEquals("hdfs://alice@nn:8020/data", r.text("hdfs://alice@nn:8020/data"), "a user name alone is kept");
  }

  @Test
  void theRegexIsSparksOwnSetting() {
    Redactor r = Redactor.of(new SparkConf(false).set("spark.redaction.regex", "(?i)colour"),
        Map.of("spark.myapp.colour", "teal-77", "spark.myapp.password", "kept-because-not-matched"));

    assertEquals("{\"spark\":{\"conf\":{\"spark.myapp.colour\":\"" + R + "\",\"spark.myapp.password\":"
        + "\"kept-because-not-matched\"}}}", r.configJson("{\"spark\":{\"conf\":{\"spark.myapp.colour\":\"teal-77\","
        + "\"spark.myapp.password\":\"kept-because-not-matched\"}}}"));
  }

  @Test
  void aVeryShortSecretIsRedactedAsASettingButNotSearchedForInText() {
    Redactor r = Redactor.of(new SparkConf(false), Map.of("spark.authenticate.secret", "1"));

    assertEquals("{\"spark.authenticate.secret\":\"" + R + "\"}", r.configJson("{\"spark.authenticate.secret\":\"1\"}"));
    assertEquals("epoch 1/10, step 11", r.text("epoch 1/10, step 11"));
  }
}

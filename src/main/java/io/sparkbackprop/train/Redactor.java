package io.sparkbackprop.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.internal.config.package$;
import org.apache.spark.util.Utils$;
import scala.Tuple2;

/**
 * Keeps secrets out of what a run writes and prints (model.json provenance, checkpoint.json,
 * status files, the job's lines), as Spark keeps them out of its UI and event logs: a setting
 * whose key or value matches Spark's {@code spark.redaction.regex} (default
 * {@code (?i)secret|password|token|access[.]?key}) has its value replaced by
 * {@code *********(redacted)}, and so has the {@code user:password} part of any URI
 * ({@code s3a://user:password@bucket/...}).
 */
public final class Redactor {
  /** Spark's own replacement text. */
  public static final String REPLACEMENT = Utils$.MODULE$.REDACTION_REPLACEMENT_TEXT();
  private static final Pattern USER_PASSWORD = Pattern.compile("(?<=://)[^/?#@\\s\"']*:[^/?#@\\s\"']*(?=@)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MIN_TEXT_SECRET = 4;

  private final Pattern secretSetting;
  /** Values of the secret settings, longest first, so one containing another is replaced whole. */
  private final List<String> secretValues;

  private Redactor(Pattern secretSetting, List<String> secretValues) {
    this.secretSetting = secretSetting;
    this.secretValues = secretValues;
  }

  /**
   * The redactor for a session's Spark settings plus a config's {@code spark.conf} entries (which
   * an already running session may not have taken up); the regex is Spark's, as set there.
   */
  public static Redactor of(SparkConf sessionConf, Map<String, String> configSparkConf) {
    SparkConf conf = sessionConf.clone();
    configSparkConf.forEach(conf::set);
    Pattern regex = conf.get(package$.MODULE$.SECRET_REDACTION_PATTERN()).pattern();
    List<String> values = new ArrayList<>();
    for (Tuple2<String, String> kv : conf.getAll()) {
      // Values shorter than 4 characters are redacted where they are settings (configJson), but not
      // searched for in free text, where "1" or "yes" would blank out unrelated words and numbers.
      if (kv._2().length() >= MIN_TEXT_SECRET && (regex.matcher(kv._1()).find() || regex.matcher(kv._2()).find())) {
        values.add(kv._2());
      }
    }
    values.sort(Comparator.comparingInt(String::length).reversed());
    return new Redactor(regex, List.copyOf(values));
  }

  /** Only the {@code user:password@} of URIs: for text written before any settings are known. */
  public static String userPasswords(String text) {
    return text == null ? null : USER_PASSWORD.matcher(text).replaceAll(Matcher.quoteReplacement(REPLACEMENT));
  }

  /** {@code text} with every secret setting's value and every URI's user:password replaced. */
  public String text(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secretValues) {
      out = out.replace(secret, REPLACEMENT);
    }
    return userPasswords(out);
  }

  /**
   * A config rendered as JSON with every value whose dotted key or whose value matches the
   * redaction regex replaced, and the rest of its strings passed through {@link #text}.
   */
  public String configJson(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      return JSON.writeValueAsString(redact("", root));
    } catch (IOException e) {
      return text(json);
    }
  }

  private JsonNode redact(String key, JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      node.properties().forEach(e -> out.set(e.getKey(), redact(key.isEmpty() ? e.getKey() : key + "." + e.getKey(),
          e.getValue())));
      return out;
    }
    if (node.isArray()) {
      var out = JSON.createArrayNode();
      node.forEach(v -> out.add(redact(key, v)));
      return out;
    }
    if (node.isNull()) {
      return node;
    }
    String value = node.asText();
    if (secretSetting.matcher(key).find() || secretSetting.matcher(value).find()) {
      return TextNode.valueOf(REPLACEMENT);
    }
    return node.isTextual() ? TextNode.valueOf(text(value)) : node;
  }
}

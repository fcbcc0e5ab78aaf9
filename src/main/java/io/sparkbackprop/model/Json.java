package io.sparkbackprop.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The one Jackson mapper for reading the files a run writes (models here, checkpoints in
 * {@code train}), strict where a lenient parse would hide a broken file.
 */
public final class Json {

  /** Duplicate keys and anything after the top-level value are errors, not silently dropped. */
  public static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

  private Json() {
  }

  /** Parses {@code bytes}; a syntax error becomes one line {@code <label>: invalid JSON at line L, column C: ...}. */
  static JsonNode parse(byte[] bytes, String label) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      return node == null ? MAPPER.missingNode() : node;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new ModelFormatException(label + ": invalid JSON" + where + ": "
          + e.getOriginalMessage().replaceAll("\\s*\\R\\s*", " "), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A deep copy of a JSON-like map with the value types a parse of its JSON text gives (Integer or
   * Long, Double, String, Boolean, List, Map), so a map equals itself after a save and a load.
   */
  static Map<String, Object> normalize(Map<String, ?> map) {
    try {
      return MAPPER.readValue(MAPPER.writeValueAsBytes(map), MAP);
    } catch (IOException e) {
      throw new IllegalArgumentException("provenance must be JSON-serializable: "
          + String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " "), e);
    }
  }

  /** Converts an object node (already parsed) into the same normalized map. */
  static Map<String, Object> toMap(JsonNode node) {
    return MAPPER.convertValue(node, MAP);
  }
}

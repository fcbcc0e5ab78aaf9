package io.sparkbackprop.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads from a parsed JSON tree whose failures are one line: {@code <file>: <path>: <what>},
 * e.g. {@code model.json: layers[1].units: must be an integer >= 1, was 0}. A JSON null counts as
 * absent.
 */
final class JsonFields {
  private final String file;

  JsonFields(String file) {
    this.file = file;
  }

  ModelFormatException fail(String path, String message) {
    return new ModelFormatException(file + ": " + path + ": " + message);
  }

  /** An error about the file as a whole, or whose message names the field itself. */
  ModelFormatException fail(String message) {
    return new ModelFormatException(file + ": " + message);
  }

  /** The field, or null when it is absent or JSON null. */
  static JsonNode get(JsonNode object, String field) {
    JsonNode v = object.get(field);
    return v == null || v.isNull() ? null : v;
  }

  JsonNode require(JsonNode object, String field, String path) {
    JsonNode v = get(object, field);
    if (v == null) {
      throw fail(path, "required field is missing");
    }
    return v;
  }

  JsonNode object(JsonNode node, String path) {
    if (!node.isObject()) {
      throw fail(path, "must be an object, was " + SafeTensors.brief(node));
    }
    return node;
  }

  int integer(JsonNode node, String path, int min) {
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min) {
      throw fail(path, "must be an integer >= " + min + ", was " + SafeTensors.brief(node));
    }
    return node.asInt();
  }

  String string(JsonNode node, String path) {
    if (!node.isTextual()) {
      throw fail(path, "must be a string, was " + SafeTensors.brief(node));
    }
    return node.asText();
  }

  boolean bool(JsonNode node, String path) {
    if (!node.isBoolean()) {
      throw fail(path, "must be true or false, was " + SafeTensors.brief(node));
    }
    return node.asBoolean();
  }

  JsonNode array(JsonNode node, String path) {
    if (!node.isArray()) {
      throw fail(path, "must be an array, was " + SafeTensors.brief(node));
    }
    return node;
  }

  List<String> strings(JsonNode node, String path) {
    array(node, path);
    List<String> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      out.add(string(node.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  double[] doubles(JsonNode node, String path) {
    array(node, path);
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      if (!node.get(i).isNumber()) {
        throw fail(path + "[" + i + "]", "must be a number, was " + SafeTensors.brief(node.get(i)));
      }
      out[i] = node.get(i).asDouble();
    }
    return out;
  }
}

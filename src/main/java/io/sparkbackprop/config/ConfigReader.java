package io.sparkbackprop.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to a resolved config in which every failure is an {@link InvalidConfigException}
 * naming where the value was written ({@code file:line}) and the key.
 */
final class ConfigReader {
  private final Config config;
  private final String fallbackOrigin;

  ConfigReader(Config config, String fallbackOrigin) {
    this.config = config;
    this.fallbackOrigin = fallbackOrigin;
  }

  boolean has(String path) {
    return config.hasPath(path);
  }

  InvalidConfigException error(String path, String problem) {
    return new InvalidConfigException(where(path) + ": " + path + " " + problem);
  }

  String where(String path) {
    if (config.hasPath(path)) {
      return describe(config.getValue(path).origin());
    }
    return fallbackOrigin;
  }

  static String describe(ConfigOrigin origin) {
    if (origin.filename() != null && origin.lineNumber() > 0) {
      return origin.filename() + ":" + origin.lineNumber();
    }
    // A --set override is one line; Typesafe Config appends ": 1" to its description.
    return origin.description().replaceFirst(": \\d+$", "");
  }

  ConfigValue value(String path) {
    if (!config.hasPath(path)) {
      throw new InvalidConfigException(fallbackOrigin + ": " + path + " is required");
    }
    return config.getValue(path);
  }

  String string(String path) {
    ConfigValue v = value(path);
    if (v.valueType() != ConfigValueType.STRING) {
      throw error(path, "must be a string, was " + render(v));
    }
    String s = ((String) v.unwrapped()).trim();
    if (s.isEmpty()) {
      throw error(path, "must not be empty");
    }
    return s;
  }

  String optionalString(String path) {
    return has(path) ? string(path) : null;
  }

  long longValue(String path) {
    ConfigValue v = value(path);
    try {
      if (v.valueType() != ConfigValueType.NUMBER) {
        throw new ConfigException.WrongType(v.origin(), path, "NUMBER", v.valueType().name());
      }
      double d = ((Number) v.unwrapped()).doubleValue();
      if (d != Math.rint(d)) {
        throw error(path, "must be an integer, was " + render(v));
      }
      return config.getLong(path);
    } catch (ConfigException e) {
      throw error(path, "must be an integer, was " + render(v));
    }
  }

  int intAtLeast(String path, int min) {
    long v = longValue(path);
    if (v < min || v > Integer.MAX_VALUE) {
      throw error(path, "must be >= " + min + ", was " + v);
    }
    return (int) v;
  }

  double number(String path) {
    ConfigValue v = value(path);
    if (v.valueType() != ConfigValueType.NUMBER) {
      throw error(path, "must be a number, was " + render(v));
    }
    double d = ((Number) v.unwrapped()).doubleValue();
    if (!Double.isFinite(d)) {
      throw error(path, "must be a finite number, was " + render(v));
    }
    return d;
  }

  boolean bool(String path) {
    ConfigValue v = value(path);
    if (v.valueType() != ConfigValueType.BOOLEAN) {
      throw error(path, "must be true or false, was " + render(v));
    }
    return (Boolean) v.unwrapped();
  }

  /** A list of non-empty strings. */
  List<String> stringList(String path) {
    ConfigValue v = value(path);
    if (v.valueType() != ConfigValueType.LIST) {
      throw error(path, "must be a list of strings, was " + render(v));
    }
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) v.unwrapped()) {
      if (!(o instanceof String s) || s.isBlank()) {
        throw error(path, "must be a list of non-empty strings, has " + o);
      }
      out.add(s.trim());
    }
    return out;
  }

  Config config() {
    return config;
  }

  static String render(ConfigValue v) {
    return switch (v.valueType()) {
      case STRING -> "'" + v.unwrapped() + "'";
      case NULL -> "null";
      case LIST -> "a list";
      case OBJECT -> "an object";
      default -> String.valueOf(v.unwrapped());
    };
  }
}

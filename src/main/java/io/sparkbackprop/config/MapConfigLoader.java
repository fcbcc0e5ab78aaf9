package io.sparkbackprop.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.util.List;
import java.util.Map;

/**
 * The training config of the Spark ML API: settings given as a map of config keys, read with the
 * same defaults (defaults.conf) and the same checks as a config file ({@link ConfigLoader}).
 */
public final class MapConfigLoader {
  private MapConfigLoader() {
  }

  /**
   * A config for rows that come as DataFrames: {@code settings} maps config keys (e.g.
   * {@code "training.epochs"}, {@code "model.layers"} as a list of maps) to values; everything a file
   * may hold is accepted except {@code data.train.*}, {@code data.validation.path} and
   * {@code output.*}, which do not apply. {@code origin} names the settings in errors.
   *
   * @throws InvalidConfigException naming the key and the problem, as for a file
   */
  public static TrainConfig fromSettings(Map<String, ?> settings, String origin) {
    Config user;
    try {
      user = ConfigFactory.parseMap(settings, origin);
    } catch (ConfigException e) {
      throw new InvalidConfigException(origin + ": " + e.getMessage());
    }
    ConfigLoader.checkKnownKeys(user);
    for (String section : List.of("data.train", "data.validation.path", "output")) {
      if (user.hasPath(section)) {
        throw new InvalidConfigException(origin + ": " + section + " does not apply to DataFrame input");
      }
    }
    Config full;
    try {
      full = user.withFallback(ConfigFactory.parseResources(ConfigLoader.DEFAULTS)).resolve();
    } catch (ConfigException e) {
      throw new InvalidConfigException(e.getMessage());
    }
    return ConfigLoader.read(new ConfigReader(full, origin), user.root().render(ConfigRenderOptions.concise()),
        true);
  }

  /**
   * The default of optional key {@code key} as defaults.conf writes it (an Integer, Double,
   * Boolean or String), for the Spark ML params, so that no default is written twice.
   *
   * @throws IllegalArgumentException when defaults.conf has no value for the key
   */
  public static Object defaultValue(String key) {
    Config defaults = ConfigFactory.parseResources(ConfigLoader.DEFAULTS);
    if (!defaults.hasPath(key)) {
      throw new IllegalArgumentException("defaults.conf has no default for " + key);
    }
    return defaults.getValue(key).unwrapped();
  }
}

package io.sparkbackprop.ml;

import io.sparkbackprop.config.MapConfigLoader;
import io.sparkbackprop.config.InvalidConfigException;
import io.sparkbackprop.config.TrainConfig;
import io.sparkbackprop.nn.LayerSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.Param;

/**
 * An estimator's params as a {@link TrainConfig}: the params become config keys and go through
 * {@link MapConfigLoader#fromSettings}, so the API and {@code jobs/train.sh} share the defaults, the
 * checks (including those across keys) and the trainer. A config error comes back as an
 * {@link IllegalArgumentException} that names params, not config keys.
 */
final class TrainConfigs {
  /** Config keys the estimators fill from something other than a same-named param. */
  private static final Map<String, String> OTHER_KEYS = Map.of(
      "data.features", "featuresCol",
      "data.label", "labelCol",
      "loss.type", "loss",
      "model.layers", "outputActivation",
      // The config offers a validation path too; the estimators only a fraction.
      "data.validation.path or data.validation.fraction", "validationFraction");

  private TrainConfigs() {
  }

  /**
   * @param output the output layer the task needs (after the hidden layers)
   * @param loss the loss's config name
   */
  static TrainConfig build(NetworkParams<?> params, String featuresCol, String labelCol, String loss,
      LayerSpec output) {
    Map<String, Object> settings = settings(params, featuresCol, labelCol, loss, output);
    String origin = "params of " + params.uid();
    try {
      return MapConfigLoader.fromSettings(settings, origin);
    } catch (InvalidConfigException e) {
      throw new IllegalArgumentException(params.uid() + ": "
          + paramNames(e.getMessage(), origin, params.networkParamSet().configKeys()), e);
    }
  }

  /** The config keys and values {@link #build} checks: every defined param, and the data and layers. */
  static Map<String, Object> settings(NetworkParams<?> params, String featuresCol, String labelCol,
      String loss, LayerSpec output) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("data.features", featuresCol);
    settings.put("data.label", labelCol);
    List<Map<String, Object>> layers = new ArrayList<>();
    List<LayerSpec> all = new ArrayList<>(params.getHiddenLayerSpecs());
    all.add(output);
    for (LayerSpec l : all) {
      layers.add(Map.of("units", l.units(), "activation", l.activation().configName(), "bias", l.bias()));
    }
    settings.put("model.layers", layers);
    settings.put("loss.type", loss);
    Map<String, String> keys = params.networkParamSet().configKeys();
    for (Map.Entry<String, String> e : keys.entrySet()) {
      Param<Object> p = params.getParam(e.getKey());
      if (params.isDefined(p)) {
        Object value = params.getOrDefault(p);
        // The one value whose config form differs: batch size 0 is the config's "full".
        settings.put(e.getValue(), configValue(e.getKey(), value));
      }
    }
    return settings;
  }

  /** A param's value as its config key takes it: the same, except batch size 0, the config's "full". */
  static Object configValue(String param, Object value) {
    return param.equals("batchSize") && value instanceof Integer i && i == 0 ? "full" : value;
  }

  /** {@code message} with the config keys replaced by the params that set them, longest key first. */
  static String paramNames(String message, String origin, Map<String, String> keys) {
    String m = message.startsWith(origin + ": ") ? message.substring(origin.length() + 2) : message;
    Map<String, String> all = new LinkedHashMap<>(OTHER_KEYS);
    keys.forEach((param, key) -> all.put(key, param));
    List<String> ordered = new ArrayList<>(all.keySet());
    ordered.sort(Comparator.comparingInt(String::length).reversed());
    for (String key : ordered) {
      m = m.replace(key, all.get(key));
    }
    return m;
  }
}

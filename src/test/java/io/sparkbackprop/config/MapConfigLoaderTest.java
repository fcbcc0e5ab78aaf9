package io.sparkbackprop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MapConfigLoaderTest {
  private static Map<String, Object> minimal() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("data.features", "features");
    s.put("data.label", "label");
    s.put("model.layers", List.of(Map.of("units", 1, "activation", "linear")));
    s.put("loss.type", "mse");
    return s;
  }

  @Test
  void dataFrameSettingsNeedNoSourceAndNoOutput() {
    TrainConfig c = MapConfigLoader.fromSettings(minimal(), "params of x");
    assertNull(c.data().train());
    assertEquals("features", c.data().features().vectorColumn());
    assertNull(c.output().modelDir());
    assertEquals(MapConfigLoader.defaultValue("training.epochs"), c.training().epochs());
  }

  @Test
  void sourcesOutputsAndUnknownKeysAreRefused() {
    Map<String, Object> s = minimal();
    s.put("output.model", "/tmp/m");
    assertEquals("params of x: output does not apply to DataFrame input",
        assertThrows(InvalidConfigException.class, () -> MapConfigLoader.fromSettings(s, "params of x")).getMessage());
    Map<String, Object> t = minimal();
    t.put("training.Epochs", 3);
    assertEquals("params of x: training.Epochs is not a known key (did you mean training.epochs?)",
        assertThrows(InvalidConfigException.class, () -> MapConfigLoader.fromSettings(t, "params of x")).getMessage());
    assertEquals("defaults.conf has no default for loss.type",
        assertThrows(IllegalArgumentException.class, () -> MapConfigLoader.defaultValue("loss.type")).getMessage());
  }
}

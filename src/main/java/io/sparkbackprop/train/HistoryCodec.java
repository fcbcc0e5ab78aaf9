package io.sparkbackprop.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@link EpochStats} to and from JSON-ready maps, losslessly (NaN as null), for checkpoints. */
final class HistoryCodec {
  private HistoryCodec() {
  }

  static Map<String, Object> toMap(EpochStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", s.epoch());
    m.put("epochs", s.epochs());
    m.put("step", s.step());
    m.put("elapsedSeconds", s.elapsedSeconds());
    m.put("trainLoss", finite(s.trainLoss()));
    m.put("rowsPerSecond", finite(s.rowsPerSecond()));
    Metrics v = s.validation();
    if (v != null) {
      Map<String, Object> vm = new LinkedHashMap<>();
      vm.put("loss", finite(v.loss()));
      vm.put("accuracy", finite(v.accuracy()));
      vm.put("rmse", finite(v.rmse()));
      vm.put("mae", finite(v.mae()));
      vm.put("rows", v.rows());
      m.put("validation", vm);
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  static EpochStats fromMap(Map<String, Object> m) {
    Map<String, Object> vm = (Map<String, Object>) m.get("validation");
    Metrics v = vm == null ? null : new Metrics(number(vm.get("loss")), number(vm.get("accuracy")),
        number(vm.get("rmse")), number(vm.get("mae")), ((Number) vm.get("rows")).longValue());
    return new EpochStats(((Number) m.get("epoch")).intValue(), ((Number) m.get("epochs")).intValue(),
        ((Number) m.get("step")).longValue(), number(m.get("elapsedSeconds")), number(m.get("trainLoss")),
        number(m.get("rowsPerSecond")), v);
  }

  static Double finite(double d) {
    return Double.isFinite(d) ? d : null;
  }

  static double number(Object o) {
    return o == null ? Double.NaN : ((Number) o).doubleValue();
  }
}

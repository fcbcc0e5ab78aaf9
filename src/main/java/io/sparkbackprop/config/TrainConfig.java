package io.sparkbackprop.config;

import io.sparkbackprop.nn.Init;
import io.sparkbackprop.nn.LayerSpec;
import io.sparkbackprop.nn.LossType;
import io.sparkbackprop.nn.Reduction;
import io.sparkbackprop.optim.OptimizerSpec;
import java.util.List;
import java.util.Map;

/**
 * A complete, validated training configuration. Built by {@link ConfigLoader} from HOCON; every
 * field has been range-checked, so the trainer can trust it.
 *
 * @param layers the dense layers; the input size comes from the data
 * @param sparkConf extra Spark settings ({@code spark.conf { ... }}), applied as given
 * @param source the resolved config as JSON, recorded in the model's provenance
 */
public record TrainConfig(DataSettings data, List<LayerSpec> layers, Init init, LossType loss,
    Reduction reduction, OptimizerSpec optimizer, ScheduleSettings schedule,
    TrainingSettings training, OutputSettings output, String sparkMaster,
    Map<String, String> sparkConf, String source) {

  public TrainConfig {
    layers = List.copyOf(layers);
    sparkConf = Map.copyOf(sparkConf);
  }
}

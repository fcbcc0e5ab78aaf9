/**
 * The model directory: the files a trained network is saved as, and their integrity.
 *
 * <pre>
 * model.json            architecture, loss, task, labels, features, preprocessing, provenance
 * weights.safetensors   the parameters, safetensors format, named and shaped like nn.Linear's
 * </pre>
 *
 * <p>{@link io.sparkbackprop.model.SavedModel} is everything a directory holds;
 * {@link io.sparkbackprop.model.ModelCodec} turns it into the two files and back, checking every
 * field, tensor shape and the weights' sha256; {@link io.sparkbackprop.model.SafeTensors} is the
 * weights file format on its own; {@link io.sparkbackprop.model.ModelStore} writes a directory so
 * that it appears complete or not at all, on the local disk ({@link
 * io.sparkbackprop.model.LocalModelStore}) or on any Hadoop filesystem
 * ({@code io.sparkbackprop.train.HadoopModelStore}).
 *
 * <p>Errors a user can cause are one line naming the file and the field or tensor:
 * {@link io.sparkbackprop.model.ModelNotFoundException} (input missing, exit 66),
 * {@link io.sparkbackprop.model.ModelFormatException} (bad content, exit 65),
 * {@link io.sparkbackprop.model.OutputExistsException} (cannot write output, exit 73).
 *
 * <p>No Spark here; Jackson for JSON, java.nio for the local filesystem.
 */
package io.sparkbackprop.model;

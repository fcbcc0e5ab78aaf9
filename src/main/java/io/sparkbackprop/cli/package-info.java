/**
 * The job entry points behind {@code jobs/*.sh}, usable with spark-submit or embedded: argument
 * parsing (picocli), progress output, and the mapping of failures to the documented exit codes
 * ({@link io.sparkbackprop.cli.ExitCodes}) with a one-line message.
 */
package io.sparkbackprop.cli;

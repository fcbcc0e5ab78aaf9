/**
 * Input data: opening any Spark source by path and format, checking feature and label columns
 * against the schema, and packing each partition's rows into one dense, cached
 * {@link io.sparkbackprop.data.DataBlock}. Errors name the column and row
 * ({@link io.sparkbackprop.data.DataException}, exit 65) or the missing path
 * ({@link io.sparkbackprop.data.InputMissingException}, exit 66).
 */
package io.sparkbackprop.data;

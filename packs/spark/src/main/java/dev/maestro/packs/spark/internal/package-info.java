/**
 * The Spark pack's machinery: reading event logs ({@link dev.maestro.packs.spark.internal.Logs}),
 * the report ({@link dev.maestro.packs.spark.internal.Report}) and its rendering. Public for the
 * pack's commands, tools and benchmarks only; not an API other modules should build on.
 */
package dev.maestro.packs.spark.internal;

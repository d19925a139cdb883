/**
 * The Spark pack ({@link dev.maestro.packs.spark.SparkPack}): diagnoses Apache Spark applications
 * from their event logs, with {@code maestro spark analyze}, six tools and two agents.
 */
package dev.maestro.packs.spark;

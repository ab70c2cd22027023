/**
 * Reading dataset rows for every command: JSON Lines, JSON arrays and Parquet, one file or a glob of files
 * ({@link dev.mathtune.data.DatasetRows}). Rows keep their file and line for one-line error messages.
 */
package dev.mathtune.data;

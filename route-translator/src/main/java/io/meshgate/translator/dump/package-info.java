/** Writes snapshots and diagnostics as YAML, in a stable order, for the CLI, golden files and operators. */
@NullMarked
package io.meshgate.translator.dump;

import org.jspecify.annotations.NullMarked;

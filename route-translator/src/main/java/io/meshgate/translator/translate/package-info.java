/** The pure translation pipeline: loaded resources in, an immutable IR snapshot and diagnostics out. */
@NullMarked
package io.meshgate.translator.translate;

import org.jspecify.annotations.NullMarked;

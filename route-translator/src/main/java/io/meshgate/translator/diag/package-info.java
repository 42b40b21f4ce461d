/** Diagnostics: problems in user configuration, as data with a catalog of codes. */
@NullMarked
package io.meshgate.translator.diag;

import org.jspecify.annotations.NullMarked;

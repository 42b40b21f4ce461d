/** The command line: {@code validate}, {@code dump} and {@code explain}, on the same pure translation as the app. */
@NullMarked
package io.meshgate.translator.cli;

import org.jspecify.annotations.NullMarked;

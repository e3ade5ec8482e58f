package dev.weft.benchmarks;

import picocli.CommandLine.Option;

/**
 * The {@code --help} of every program in this jar, mixed into its command ({@code @Mixin}): picocli
 * prints the usage, drawn from the command's options, and the program ends with status 0. A
 * mistaken command line gets the same usage on standard error and status 2.
 */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Prints this help and exits.")
    boolean help;
}

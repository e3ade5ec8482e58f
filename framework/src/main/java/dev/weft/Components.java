package dev.weft;

import java.util.List;

/**
 * What the API's value classes keep of a record: its text. The configurations and the values that
 * may gain fields ({@link Pool.Worker}, {@link ClusterPool.Member}, {@link Futures.Waited}) are
 * final classes, not records, so that a new field changes no constructor and no deconstruction
 * pattern in users' code. Each lists its component values once, in a private
 * {@code components()} (an {@link java.util.Arrays#asList} list, which allows nulls), and its
 * component names once beside it: {@code equals} and {@code hashCode} are those of the list, and
 * {@link #text} is a record's {@code toString}.
 */
final class Components {
    private Components() {
    }

    /** A record's text: {@code Type[first=value, second=value]}. */
    static String text(String type, List<String> names, List<?> values) {
        StringBuilder text = new StringBuilder(type).append('[');
        for (int i = 0; i < names.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(names.get(i)).append('=').append(values.get(i));
        }
        return text.append(']').toString();
    }
}

package org.example;

import java.io.Serializable;

/** A class outside the default allow-list ({@code java.**}, {@code dev.weft.**}), for its tests. */
public record Outsider(int value) implements Serializable {
}

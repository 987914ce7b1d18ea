package org.layerwise.builder.method;

/** One entry of a component registry: its name in configs and what it is. */
public record Component(String name, String description) {}

package org.layerwise.app.shell;

import java.time.Instant;

/** One line of the log console: when, how severe, where from (a logger or a job title), what. */
public record LogLine(Instant time, Level level, String source, String text) {
    public enum Level { DEBUG, INFO, WARN, ERROR }
}

package org.layerwise.app.shell;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogBufferTest {
    @Test
    void linesArriveInOneBatchPerPulseAndOnlyTheNewestAreKept() {
        List<Runnable> pulses = new ArrayList<>();
        LogBuffer buffer = new LogBuffer(5, pulses::add);
        for (int i = 0; i < 8; i++) buffer.append(LogLine.Level.INFO, "job", "line " + i);
        assertThat(pulses).hasSize(1);
        assertThat(buffer.lines()).isEmpty();
        pulses.get(0).run();
        assertThat(buffer.lines()).extracting(LogLine::text).containsExactly("line 3", "line 4", "line 5", "line 6", "line 7");

        buffer.append(LogLine.Level.WARN, "app", "a\nb");
        pulses.get(1).run();
        assertThat(buffer.lines()).extracting(LogLine::text).containsExactly("line 5", "line 6", "line 7", "a", "b");
        assertThat(buffer.lines().get(4).level()).isEqualTo(LogLine.Level.WARN);
    }
}

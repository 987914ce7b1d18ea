package org.layerwise.app.shell;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

/** Logback appender that feeds the GUI's log console (configured in logback.xml). */
public final class ShellLogAppender extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
        String text = event.getFormattedMessage();
        if (event.getThrowableProxy() != null) {
            text = text + "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
        }
        String logger = event.getLoggerName();
        String source = logger.substring(logger.lastIndexOf('.') + 1);
        LogBuffer.shared().append(level(event.getLevel()), source, text);
    }

    private static LogLine.Level level(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) return LogLine.Level.ERROR;
        if (level.isGreaterOrEqual(Level.WARN)) return LogLine.Level.WARN;
        if (level.isGreaterOrEqual(Level.INFO)) return LogLine.Level.INFO;
        return LogLine.Level.DEBUG;
    }
}

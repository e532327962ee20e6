package dev.seldonj.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class LogConfigurationTest {

    private final LoggerContext context = new LoggerContext();

    private String viaPattern(LoggingEvent event) {
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(context);
        pattern.setPattern(LogConfiguration.PATTERN);
        pattern.start();
        return pattern.doLayout(event);
    }

    private String viaLine(LoggingEvent event) {
        LogConfiguration.Line line = new LogConfiguration.Line();
        line.setContext(context);
        line.start();
        return line.doLayout(event);
    }

    @Test
    void writesWhatThePatternWrites() {
        LoggingEvent event = new LoggingEvent(
                getClass().getName(),
                context.getLogger("dev.seldonj.engine.EngineMain"),
                Level.INFO,
                "serving predictor '{}' on {}",
                null,
                new Object[] {"p", 8000});
        assertThat(viaLine(event))
                .isEqualTo(viaPattern(event))
                .endsWith("INFO  EngineMain - serving predictor 'p' on 8000" + System.lineSeparator());
        LoggingEvent warning =
                new LoggingEvent(getClass().getName(), context.getLogger("Plain"), Level.WARN, "w", null, null);
        assertThat(viaLine(warning)).isEqualTo(viaPattern(warning)).contains(" WARN  Plain - w");
    }

    @Test
    void writesAnExceptionsStackTraceAsThePatternDoes() {
        LoggingEvent event = new LoggingEvent(
                getClass().getName(),
                context.getLogger("a.b.Node"),
                Level.ERROR,
                "cannot call",
                new IllegalStateException("outer", new IllegalArgumentException("inner")),
                null);
        assertThat(viaLine(event))
                .isEqualTo(viaPattern(event))
                .contains(
                        "java.lang.IllegalStateException: outer",
                        "Caused by: java.lang.IllegalArgumentException: inner");
    }

    @Test
    void leavesTheConfigurationToALogbackFileOnTheClassPath() {
        // The tests' logback-test.xml is on the class path.
        assertThat(new LogConfiguration().configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger("ROOT").iteratorForAppenders().hasNext()).isFalse();
    }
}

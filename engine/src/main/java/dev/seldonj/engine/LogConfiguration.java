package dev.seldonj.engine;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.CachingDateFormatter;

/**
 * The engine's logging, set up in code: reading a {@code logback.xml} (Joran) loads some 600 classes,
 * and logback's {@code PatternLayout} spins some 60 lambdas for its converters, together about a tenth
 * of a second of start-up. Found by logback through {@code META-INF/services}. The lines are what the
 * pattern {@value #PATTERN} gives, at INFO, with {@code io.netty} and {@code io.grpc} at WARN.
 *
 * <p>A user's file still wins: with {@code -Dlogback.configurationFile=/path/logback.xml} (e.g. in
 * {@code JAVA_TOOL_OPTIONS}), or a {@code logback.xml}/{@code logback-test.xml} on the class path (the
 * tests' one), this steps aside and logback reads that file as usual.
 */
public final class LogConfiguration extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null
                || System.getProperty(ClassicConstants.MODEL_CONFIG_FILE_PROPERTY) != null
                || onClassPath(ClassicConstants.TEST_AUTOCONFIG_FILE)
                || onClassPath(ClassicConstants.AUTOCONFIG_FILE)) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Line line = new Line();
        line.setContext(context);
        line.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(line);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("io.grpc").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static boolean onClassPath(String resource) {
        return LogConfiguration.class.getClassLoader().getResource(resource) != null;
    }

    /** One event as {@value #PATTERN} formats it, followed by the stack trace of its exception, if any. */
    static final class Line extends LayoutBase<ILoggingEvent> {

        private final CachingDateFormatter time = new CachingDateFormatter("HH:mm:ss.SSS");

        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(128)
                    .append(time.format(event.getTimeStamp()))
                    .append(' ');
            String level = event.getLevel().toString();
            line.append(level);
            for (int i = level.length(); i < 5; i++) {
                line.append(' ');
            }
            String logger = event.getLoggerName();
            line.append(' ')
                    .append(logger, logger.lastIndexOf('.') + 1, logger.length())
                    .append(" - ")
                    .append(event.getFormattedMessage())
                    .append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown));
            }
            return line.toString();
        }
    }
}

package dev.seldonj.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedWarningTest {

    @Test
    void writesAtMostOncePerIntervalAndCountsWhatItHeldBack() {
        Logger log = (Logger) LoggerFactory.getLogger("rate-limited-test");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        log.addAppender(seen);
        AtomicLong now = new AtomicLong(1_000);
        RateLimitedWarning w = new RateLimitedWarning(log, 10, TimeUnit.SECONDS, now::get);

        assertThat(w.warn(() -> "first")).isTrue();
        now.addAndGet(TimeUnit.SECONDS.toNanos(9));
        assertThat(w.warn(() -> "second")).isFalse();
        assertThat(w.warn(() -> "third")).isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(w.warn(() -> "fourth")).isTrue();

        assertThat(seen.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("first", "fourth (and 2 more since the last warning)");
    }
}

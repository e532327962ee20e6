package dev.seldonj.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescerTest {

    @Test
    void aBurstOfRequestsIsOneRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(1);
        try (Coalescer coalescer = new Coalescer("test", Duration.ofMillis(100), () -> {
            runs.incrementAndGet();
            ran.countDown();
        })) {
            long start = System.nanoTime();
            for (int i = 0; i < 10_000; i++) {
                coalescer.request();
            }
            long burstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            // Runs are at least 100 ms apart, so a burst shorter than that gives exactly one.
            assertThat(runs.get()).isLessThanOrEqualTo(1 + (int) (burstMillis / 100));
        }
    }

    @Test
    void aRequestDuringARunIsNotLost() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch firstRunStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstRun = new CountDownLatch(1);
        try (Coalescer coalescer = new Coalescer("test", Duration.ofMillis(10), () -> {
            if (runs.incrementAndGet() == 1) {
                firstRunStarted.countDown();
                try {
                    releaseFirstRun.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        })) {
            coalescer.request();
            assertThat(firstRunStarted.await(10, TimeUnit.SECONDS)).isTrue();
            coalescer.request(); // the change the running task may already have missed
            releaseFirstRun.countDown();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(runs.get()).isEqualTo(2));
        }
    }

    @Test
    void aFailingRunDoesNotStopLaterOnes() {
        AtomicInteger runs = new AtomicInteger();
        try (Coalescer coalescer = new Coalescer("test", Duration.ofMillis(10), () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
        })) {
            coalescer.request();
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 1);
            coalescer.request();
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 2);
        }
    }
}

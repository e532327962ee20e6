package dev.seldonj.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    @Test
    void reservationsFitOrAreRefusedWholeAndReleaseMakesRoom() {
        MemoryBudget budget = new MemoryBudget(100);
        assertThat(budget.tryReserve(60)).isTrue();
        assertThat(budget.tryReserve(41)).isFalse();
        assertThat(budget.used()).isEqualTo(60);
        assertThat(budget.tryReserve(40)).isTrue();
        budget.release(60);
        assertThat(budget.tryReserve(60)).isTrue();
        budget.reserve(500); // received already: counted, never refused
        assertThat(budget.used()).isEqualTo(600);
        assertThat(budget.tryReserve(1)).isFalse();
        assertThat(budget.tryReserve(0)).isTrue();
    }

    @Test
    void theDerivedLimitIsHalfTheSmallerOfHeapAndDirectMemory() {
        long heap = Runtime.getRuntime().maxMemory();
        assertThat(MemoryBudget.derivedLimit()).isPositive().isLessThanOrEqualTo(Math.max(1L << 20, heap / 2));
    }

    @Test
    void theRefusalSaysWhatToDoWithoutFigures() {
        EngineException e = MemoryBudget.overloaded();
        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(e.kind().reason).isEqualTo("ENGINE_OVERLOADED");
        assertThat(e.getMessage()).doesNotContainPattern("\\d");
        assertThat(e.grpcStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(EngineException.of(new OutOfMemoryError("Cannot reserve 4194304 bytes of direct buffer memory"))
                        .getMessage())
                .isEqualTo(e.getMessage());
        assertThat(EngineException.of(new IllegalStateException("com.example.Secret failed"))
                        .getMessage())
                .isEqualTo("internal error");
    }
}

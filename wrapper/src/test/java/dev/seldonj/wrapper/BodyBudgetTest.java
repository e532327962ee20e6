package dev.seldonj.wrapper;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BodyBudgetTest {

    @Test
    void takesWhatFitsAndALoneBodyAlways() {
        BodyBudget budget = new BodyBudget(100);
        assertThat(budget.tryTake(250)).as("alone, over the budget").isTrue();
        assertThat(budget.tryTake(1)).as("nothing beside it").isFalse();
        budget.giveBack(250);
        assertThat(budget.tryTake(60)).isTrue();
        assertThat(budget.tryTake(40)).isTrue();
        assertThat(budget.tryTake(1)).isFalse();
        assertThat(budget.held()).isEqualTo(100);
        budget.giveBack(40);
        assertThat(budget.tryTake(41)).isFalse();
        assertThat(budget.tryTake(40)).isTrue();
    }
}

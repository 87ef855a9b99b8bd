package dev.speechfleet.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeadlineMemberTest {

    @Test
    void namesItsChunkEvenWhenTheSessionIdHasColons() {
        String member = new DeadlineMember("dev-7:abc", 12).encode();

        assertThat(DeadlineMember.parse(member)).isEqualTo(new DeadlineMember("dev-7:abc", 12));
    }

    @Test
    void unreadableMemberIsRefused() {
        assertThatThrownBy(() -> DeadlineMember.parse("x:session"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x:session");
    }

    @Test
    void sessionIdWithBracesIsRefused() {
        assertThatThrownBy(() -> new DeadlineMember("a{b}", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}

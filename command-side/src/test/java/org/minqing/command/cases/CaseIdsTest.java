package org.minqing.command.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.minqing.api.v1.Channel;

class CaseIdsTest {

    @Test
    void a_retried_report_gets_the_same_case_id() {
        String first = CaseIds.forReport("hotline-bj", Channel.CHANNEL_HOTLINE_12345, "A-1");
        String retry = CaseIds.forReport("hotline-bj", Channel.CHANNEL_HOTLINE_12345, "A-1");

        assertThat(retry).isEqualTo(first);
        assertThat(UUID.fromString(first).version()).isEqualTo(3);
    }

    @Test
    void each_part_of_the_report_key_tells_cases_apart() {
        String id = CaseIds.forReport("hotline-bj", Channel.CHANNEL_HOTLINE_12345, "A-1");

        assertThat(CaseIds.forReport("portal-bj", Channel.CHANNEL_HOTLINE_12345, "A-1")).isNotEqualTo(id);
        assertThat(CaseIds.forReport("hotline-bj", Channel.CHANNEL_WEB, "A-1")).isNotEqualTo(id);
        assertThat(CaseIds.forReport("hotline-bj", Channel.CHANNEL_HOTLINE_12345, "A-2")).isNotEqualTo(id);
    }

    @Test
    void parts_cannot_run_into_each_other() {
        assertThat(CaseIds.forReport("ab", Channel.CHANNEL_WEB, "c"))
                .isNotEqualTo(CaseIds.forReport("a", Channel.CHANNEL_WEB, "bc"));
    }

    @Test
    void random_ids_differ() {
        assertThat(CaseIds.random()).isNotEqualTo(CaseIds.random());
    }
}

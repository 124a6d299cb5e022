package org.minqing.command.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.minqing.api.v1.Channel;

class CaseIdsTest {

    @Test
    void aRetriedReportGetsTheSameCaseId() {
        String first = CaseIds.forReport("hotline-bj", Channel.CHANNEL_HOTLINE_12345, "A-1");
        String retry = CaseIds.forReport("hotline-bj", Channel.CHANNEL_HOTLINE_12345, "A-1");

        assertThat(retry).isEqualTo(first);
        assertThat(UUID.fromString(first).version()).isEqualTo(3);
    }

    @Test
    void eachPartOfTheReportKeyTellsCasesApart() {
        String id = CaseIds.forReport("hotline-bj", Channel.CHANNEL_HOTLINE_12345, "A-1");

        assertThat(CaseIds.forReport("portal-bj", Channel.CHANNEL_HOTLINE_12345, "A-1")).isNotEqualTo(id);
        assertThat(CaseIds.forReport("hotline-bj", Channel.CHANNEL_WEB, "A-1")).isNotEqualTo(id);
        assertThat(CaseIds.forReport("hotline-bj", Channel.CHANNEL_HOTLINE_12345, "A-2")).isNotEqualTo(id);
    }

    @Test
    void partsCannotRunIntoEachOther() {
        assertThat(CaseIds.forReport("ab", Channel.CHANNEL_WEB, "c"))
                .isNotEqualTo(CaseIds.forReport("a", Channel.CHANNEL_WEB, "bc"));
    }

    @Test
    void randomIdsDiffer() {
        assertThat(CaseIds.random()).isNotEqualTo(CaseIds.random());
    }
}

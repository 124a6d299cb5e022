package org.minqing.query.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.minqing.api.requests.FieldViolations;

/** Which filtered lists lead their ORDER BY with the filter column, to match an index (V5, V6). */
class CaseOrderTest {

    @Test
    void newestReportsFirstAreLedByTheMostSelectiveFilter() {
        assertThat(order("").orderBy(Set.of("state", "district", "grid")))
                .isEqualTo("grid, report_time DESC, case_id DESC");
        assertThat(order("report_time desc").orderBy(Set.of())).isEqualTo("report_time DESC, case_id DESC");
    }

    @Test
    void recentlyUpdatedFirstIsLedByStateOnly() {
        assertThat(order("update_time desc").orderBy(Set.of("grid", "state")))
                .isEqualTo("state, update_time DESC, case_id DESC");
        assertThat(order("update_time desc").orderBy(Set.of("grid"))).isEqualTo("update_time DESC, case_id DESC");
        assertThat(order("update_time").orderBy(Set.of("state"))).isEqualTo("update_time ASC, case_id ASC");
    }

    @Test
    void queuesBySoonestResolutionDeadlineAreLedByGridOrDepartment() {
        assertThat(order("resolution_deadline").orderBy(Set.of("department", "grid", "state")))
                .isEqualTo("grid, resolution_deadline ASC NULLS LAST, case_id ASC");
        assertThat(order("resolution_deadline asc").orderBy(Set.of("department")))
                .isEqualTo("department, resolution_deadline ASC NULLS LAST, case_id ASC");
        assertThat(order("resolution_deadline desc").orderBy(Set.of("department")))
                .isEqualTo("resolution_deadline DESC NULLS LAST, case_id DESC");
    }

    private static CaseOrder order(String orderBy) {
        FieldViolations violations = new FieldViolations();
        CaseOrder order = CaseOrder.parse(orderBy, violations);
        assertThat(order).isNotNull();
        return order;
    }
}

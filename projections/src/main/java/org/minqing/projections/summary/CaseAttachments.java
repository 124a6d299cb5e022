package org.minqing.projections.summary;

import java.util.List;

import org.minqing.api.v1.Attachment;
import org.springframework.jdbc.core.JdbcTemplate;

/** Rows of {@code case_attachment}: the report's files and each visit's evidence. */
final class CaseAttachments {

    /** The {@code visit_id} of the report's own attachments. */
    static final String REPORT = "";

    private CaseAttachments() {
    }

    static void insert(JdbcTemplate jdbc, String caseId, String visitId, List<Attachment> attachments) {
        for (int i = 0; i < attachments.size(); i++) {
            Attachment a = attachments.get(i);
            jdbc.update("""
                    INSERT INTO case_attachment (case_id, visit_id, ordinal, uri, sha256, media_type)
                    VALUES (?, ?, ?, ?, ?, ?)""", caseId, visitId, i, a.getUri(), a.getSha256(), a.getMediaType());
        }
    }
}

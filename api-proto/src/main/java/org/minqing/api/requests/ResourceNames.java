package org.minqing.api.requests;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource names of the API (AIP-122): {@code cases/{case}} and {@code cases/{case}/visits/{visit}}.
 * Parsing reports a malformed name as a field violation.
 */
public final class ResourceNames {

    private static final String SEGMENT = "([A-Za-z0-9_-]{1,64})";
    private static final Pattern CASE = Pattern.compile("cases/" + SEGMENT);
    private static final Pattern VISIT = Pattern.compile("cases/" + SEGMENT + "/visits/" + SEGMENT);

    private ResourceNames() {
    }

    public static String caseName(String caseId) {
        return "cases/" + caseId;
    }

    public static String visitName(String caseId, String visitId) {
        return "cases/" + caseId + "/visits/" + visitId;
    }

    /** The case id in {@code cases/{case}}, or null after adding a violation for {@code field}. */
    public static String caseId(String field, String name, FieldViolations violations) {
        Matcher m = CASE.matcher(name);
        if (m.matches()) {
            return m.group(1);
        }
        violations.add(field, name.isEmpty() ? "required" : "must be a case name: cases/{case}");
        return null;
    }

    /** The case and visit ids in {@code cases/{case}/visits/{visit}}, or null after adding a violation. */
    public static String[] visitIds(String field, String name, FieldViolations violations) {
        Matcher m = VISIT.matcher(name);
        if (m.matches()) {
            return new String[] {m.group(1), m.group(2)};
        }
        violations.add(field, name.isEmpty() ? "required" : "must be a visit name: cases/{case}/visits/{visit}");
        return null;
    }
}

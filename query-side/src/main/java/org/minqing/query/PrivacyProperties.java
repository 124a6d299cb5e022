package org.minqing.query;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may see citizens' personal data (PIPL).
 *
 * @param personalDataRoles caller roles allowed CASE_VIEW_FULL (citizen, address, position);
 *                          default dispatcher, department and grid_worker (who visits the citizen)
 */
@ConfigurationProperties("minqing.privacy")
public record PrivacyProperties(List<String> personalDataRoles) {

    public PrivacyProperties {
        personalDataRoles = personalDataRoles == null ? List.of("dispatcher", "department", "grid_worker")
                : List.copyOf(personalDataRoles);
    }
}

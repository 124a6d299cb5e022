package org.minqing.edge.open311;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The register of case categories (服务事项): what a citizen can report, published as Open311's
 * service list (docs/open311.md). Reference data kept by the operators in configuration; the
 * deadline rules ({@code minqing.deadlines}) match the same codes.
 *
 * @param categories none by default (the dev profile has a sample)
 */
@ConfigurationProperties("minqing")
public record CategoryProperties(List<Category> categories) {

    public CategoryProperties {
        categories = categories == null ? List.of() : List.copyOf(categories);
        Set<String> codes = new HashSet<>();
        for (Category category : categories) {
            if (!codes.add(category.code())) {
                throw new IllegalArgumentException("minqing.categories: two have the code " + category.code());
            }
        }
    }

    public Optional<Category> find(String code) {
        return categories.stream().filter(c -> c.code().equals(code)).findFirst();
    }

    /**
     * @param code        the category reports carry (Open311's service_code); 1–128 letters, digits, ., _ or -
     * @param nameZh      its name in Chinese (Open311's service_name)
     * @param nameEn      its name in English
     * @param group       the group it is listed under (e.g. 城市管理)
     * @param keywords    words a citizen might use for it
     * @param department  the department that usually handles it (a suggestion for dispatch)
     * @param description what it covers
     */
    public record Category(String code, String nameZh, String nameEn, String group, List<String> keywords,
                           String department, String description) {

        public Category {
            if (code == null || !code.matches("[A-Za-z0-9._-]{1,128}")) {
                throw new IllegalArgumentException("minqing.categories[].code: 1-128 letters, digits, '.', '_' or '-'");
            }
            if (nameZh == null || nameZh.isBlank()) {
                throw new IllegalArgumentException("minqing.categories[" + code + "].name-zh is required");
            }
            nameEn = nameEn == null ? "" : nameEn;
            group = group == null ? "" : group;
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
            department = department == null ? "" : department;
            description = description == null ? "" : description;
        }
    }
}

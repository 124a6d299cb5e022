package org.minqing.edge.categories;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.google.protobuf.Timestamp;
import org.minqing.api.v1.Category;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The category register in its table ({@code category}, migration V15): what reports may carry,
 * changed by operators with an optimistic version (the etag), read by the command API (when reports
 * are held to it) and the Open311 gateway.
 */
public final class CategoryRegister {

    private final JdbcTemplate jdbc;
    private final boolean enforced;

    public CategoryRegister(JdbcTemplate jdbc, boolean enforced) {
        this.jdbc = jdbc;
        this.enforced = enforced;
    }

    /** Whether a report may carry {@code code}: any code while the register is not enforced. */
    public boolean admits(String code) {
        return !enforced || find(code).filter(c -> !c.getRetired()).isPresent();
    }

    public boolean enforced() {
        return enforced;
    }

    public List<Category> list(boolean showRetired) {
        return jdbc.query("SELECT * FROM category" + (showRetired ? "" : " WHERE retired = FALSE") + " ORDER BY code",
                CategoryRegister::category);
    }

    public Optional<Category> find(String code) {
        return jdbc.query("SELECT * FROM category WHERE code = ?", CategoryRegister::category, code).stream().findFirst();
    }

    /** @throws DuplicateKeyException when the code is taken */
    Category create(String code, Category category, String by, Instant now) {
        jdbc.update("""
                INSERT INTO category (code, display_name, english_name, group_name, keywords, default_department,
                    deadline_class, description, retired, update_time, updated_by, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)""",
                code, category.getDisplayName(), category.getEnglishName(), category.getGroup(),
                String.join("\n", category.getKeywordsList()), category.getDefaultDepartment(), category.getDeadlineClass(),
                category.getDescription(), category.getRetired(), at(now), by);
        return find(code).orElseThrow();
    }

    /** Replaces what the category says; empty when it changed since {@code etag} (or is gone). */
    Optional<Category> update(String code, Category category, String etag, String by, Instant now) {
        List<Object> values = new java.util.ArrayList<>(List.of(category.getDisplayName(), category.getEnglishName(),
                category.getGroup(), String.join("\n", category.getKeywordsList()), category.getDefaultDepartment(),
                category.getDeadlineClass(), category.getDescription(), category.getRetired(), at(now), by, code));
        if (!etag.isEmpty()) {
            values.add(version(etag));
        }
        int updated = jdbc.update("""
                UPDATE category SET display_name = ?, english_name = ?, group_name = ?, keywords = ?,
                    default_department = ?, deadline_class = ?, description = ?, retired = ?, update_time = ?,
                    updated_by = ?, version = version + 1
                WHERE code = ?""" + (etag.isEmpty() ? "" : " AND version = ?"), values.toArray());
        return updated == 0 ? Optional.empty() : find(code);
    }

    /** The category whose deadline rules {@code code} follows: its deadline class, or itself. */
    public String deadlineClassOf(String code) {
        return find(code).map(Category::getDeadlineClass).filter(c -> !c.isEmpty()).orElse(code);
    }

    /** Enters each seed whose code the register lacks (another process may have entered it first). */
    void seed(List<CategoryRegisterProperties.Seed> seeds, Instant now) {
        for (CategoryRegisterProperties.Seed seed : seeds) {
            if (find(seed.code()).isPresent()) {
                continue;
            }
            try {
                create(seed.code(), Category.newBuilder().setDisplayName(text(seed.displayName()))
                        .setEnglishName(text(seed.englishName())).setGroup(text(seed.group()))
                        .addAllKeywords(seed.keywords() == null ? List.of() : seed.keywords())
                        .setDefaultDepartment(text(seed.defaultDepartment())).setDeadlineClass(text(seed.deadlineClass()))
                        .setDescription(text(seed.description()))
                        .build(), "minqing.category-register.seed", now);
            } catch (DuplicateKeyException anotherProcessFirst) {
                // entered meanwhile
            }
        }
    }

    /** The etag's version, or -1 for an etag this register did not give (which then matches nothing). */
    static long version(String etag) {
        try {
            return Long.parseLong(etag.replace("\"", ""));
        } catch (NumberFormatException forged) {
            return -1;
        }
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Category category(ResultSet rs, int row) throws SQLException {
        String keywords = rs.getString("keywords");
        Instant updated = rs.getObject("update_time", OffsetDateTime.class).toInstant();
        return Category.newBuilder()
                .setName("categories/" + rs.getString("code"))
                .setDisplayName(rs.getString("display_name"))
                .setEnglishName(rs.getString("english_name"))
                .setGroup(rs.getString("group_name"))
                .addAllKeywords(keywords.isEmpty() ? List.of() : Arrays.asList(keywords.split("\n")))
                .setDefaultDepartment(rs.getString("default_department"))
                .setDeadlineClass(rs.getString("deadline_class"))
                .setDescription(rs.getString("description"))
                .setRetired(rs.getBoolean("retired"))
                .setUpdateTime(Timestamp.newBuilder().setSeconds(updated.getEpochSecond()).setNanos(updated.getNano()))
                .setUpdatedBy(rs.getString("updated_by"))
                .setEtag("\"" + rs.getLong("version") + "\"")
                .build();
    }
}

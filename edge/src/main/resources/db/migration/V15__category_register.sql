-- The category register (CategoryService, docs/api.md "Categories"): reference data kept by the
-- operators, not events. version counts the changes (the etag).
CREATE TABLE category (
    code               VARCHAR(128)  NOT NULL PRIMARY KEY,
    display_name       VARCHAR(200)  NOT NULL,
    english_name       VARCHAR(200)  NOT NULL,
    group_name         VARCHAR(200)  NOT NULL,
    -- One keyword per line.
    keywords           VARCHAR(4000) NOT NULL,
    default_department VARCHAR(128)  NOT NULL,
    -- The category whose deadline rules it follows; empty: its own code.
    deadline_class     VARCHAR(128)  NOT NULL,
    description        VARCHAR(1000) NOT NULL,
    retired            BOOLEAN       NOT NULL,
    update_time        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by         VARCHAR(200)  NOT NULL,
    version            BIGINT        NOT NULL
);

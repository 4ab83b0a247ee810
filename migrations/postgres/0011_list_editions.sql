-- PostgreSQL: the same schema change as ../0011_list_editions.sql.
ALTER TABLE list_versions ADD COLUMN edition TEXT;

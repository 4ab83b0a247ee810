-- PostgreSQL: the same schema change as ../0009_key_owners.sql.
ALTER TABLE api_keys ADD COLUMN owner TEXT;

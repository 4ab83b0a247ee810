-- The person (or system) each API key belongs to: four eyes needs two different people, not two keys, and nobody
-- reviews their own screen. Keys created before this have none and stand for their name.
ALTER TABLE api_keys ADD COLUMN owner TEXT;

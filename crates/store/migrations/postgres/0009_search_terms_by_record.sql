-- A record's search terms are found by the record (to remove or replace them when it changes), without
-- scanning the terms: the primary key leads with the term.
CREATE INDEX search_terms_by_record ON search_terms (kind, ref_id);

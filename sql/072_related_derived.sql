-- 072_related_derived: related words may also be WordNet's derivationally
-- related forms (relation 4: "decide" and "decision", "argue" and
-- "argument"), which the Snowball stemmer does not conflate
-- (src/library/README.md, "Related words"; docs/performance.md, rank25).
ALTER TABLE related_terms DROP CONSTRAINT related_terms_rel_check,
    ADD CONSTRAINT related_terms_rel_check CHECK (rel BETWEEN 1 AND 4);

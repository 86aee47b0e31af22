-- A member's consents, withdrawn ones included, found by member: removing members (an import's undo) checks that
-- none is referenced, and the undo's own check looks for them; the partial index of consents in force cannot
-- answer either, and each deleted member scanned the whole table.
CREATE INDEX member_consents_by_member ON member_consents(member_id);

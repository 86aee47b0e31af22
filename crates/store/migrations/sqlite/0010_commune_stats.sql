-- Each commune's counts for the province overview, kept by the store after every change that can move them
-- (see counts.rs), so that the overview reads one row per commune instead of summing every team.
CREATE TABLE commune_stats (
    commune_code TEXT PRIMARY KEY REFERENCES communes(code),
    teams BIGINT NOT NULL DEFAULT 0,
    members BIGINT NOT NULL DEFAULT 0,
    teams_without_leader BIGINT NOT NULL DEFAULT 0,
    teams_without_decision BIGINT NOT NULL DEFAULT 0,
    teams_understaffed BIGINT NOT NULL DEFAULT 0,
    members_without_phone BIGINT NOT NULL DEFAULT 0
);

INSERT INTO commune_stats (commune_code, teams, members, teams_without_leader, teams_without_decision,
                           teams_understaffed, members_without_phone)
SELECT t.commune_code, COUNT(*), SUM(t.active_members),
       SUM(CASE WHEN t.active_leaders = 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN t.decisions = 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN t.active_members < COALESCE(s.min_members, 3) THEN 1 ELSE 0 END),
       SUM(t.members_without_phone)
FROM teams t
JOIN communes c ON c.code = t.commune_code
LEFT JOIN province_settings s ON s.province_code = c.province_code
WHERE t.status = 'active'
GROUP BY t.commune_code;

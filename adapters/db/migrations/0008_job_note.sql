-- Why a job finished without doing its work (a disable or remove job
-- overtaken by a renewal); null for jobs that ran.
ALTER TABLE jobs ADD COLUMN note text;

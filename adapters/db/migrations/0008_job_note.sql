-- Why a job finished without doing its work (a disable or remove job
-- overtaken by a renewal); null for jobs that ran.
ALTER TABLE jobs ADD COLUMN note text;

-- lease_jobs takes a subject's jobs one at a time, oldest first: the
-- unfinished jobs by subject.
CREATE INDEX jobs_unfinished_by_subject ON jobs (subject_id, id)
  WHERE state IN ('queued', 'running');

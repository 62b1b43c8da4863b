-- The admin's progress message of a broadcast started in the bot, kept up
-- to date by the broadcaster: where it is, in which language, what it shows
-- now (so an unchanged text is never sent again) and when it was last
-- looked at (so it is edited at most once per interval).
ALTER TABLE broadcasts
  ADD COLUMN progress_chat_id    bigint,
  ADD COLUMN progress_message_id bigint,
  ADD COLUMN progress_language   text,
  ADD COLUMN progress_text       text,
  ADD COLUMN progress_shown_at   timestamptz;

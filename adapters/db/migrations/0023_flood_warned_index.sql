-- A turn looks for the flood warning only when the user reached the flood
-- limit; this index holds only the warned updates, so that look is one probe.
CREATE INDEX telegram_updates_flood_warned ON telegram_updates (user_id, received_at)
  WHERE note = 'flood_warned';

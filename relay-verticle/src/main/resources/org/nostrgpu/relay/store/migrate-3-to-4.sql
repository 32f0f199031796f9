-- Schema version 3 to 4, in one transaction (Schema.java sets user_version to 4 after it). Version 4 drops
-- tags_by_event (event_seq, name, value), which cost a B-tree insert per tag row on every write: the trigger that
-- removes a deleted event's tag rows finds them through the tags key, reading the tags from the event's JSON, and
-- tag conditions on an event found through another index look the row up by (name, value, created_at, event_id).
-- The statements are those of schema.sql.
DROP TRIGGER events_delete_tags
;
DROP INDEX tags_by_event
;
CREATE TRIGGER events_delete_tags AFTER DELETE ON events
BEGIN
    DELETE FROM tags
    WHERE created_at = old.created_at AND event_id = old.id
      AND (name, value) IN (
          SELECT t.value ->> 0,
                 CASE WHEN length(t.value ->> 1) = 64 AND (t.value ->> 1) NOT GLOB '*[^0-9a-f]*'
                      THEN unhex(t.value ->> 1) ELSE t.value ->> 1 END
          FROM json_each(old.json, '$.tags') t
          WHERE length(t.value ->> 0) = 1 AND json_array_length(t.value) >= 2);
END
;

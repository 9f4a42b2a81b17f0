-- The public base URL of the request that created the task (its own URLs, the webhook's audio_url): behind a
-- proxy it is what the client sees. NULL on tasks made before it was kept: the node's configured base.
ALTER TABLE tasks ADD COLUMN base_url TEXT;

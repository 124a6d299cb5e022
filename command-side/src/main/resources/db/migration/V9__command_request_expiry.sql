-- Request records expire after minqing.requests.retention: found oldest first by this index.
CREATE INDEX command_request_created_at ON command_request (created_at);

-- Seeds :n assets (with a ready current version each) into project :'project', owned by
-- :'owner': a realistic mix of media types, ratings, statuses, labels, tags, platforms, due
-- dates, cameras and lenses, and a comment on every tenth asset. Deterministic (setseed).
SELECT setseed(0.42) \gset
CREATE TEMP TABLE seed AS
SELECT gen_random_uuid() AS id, g AS n,
       (ARRAY['image','image','image','video','audio'])[1 + (g % 5)] AS media_type,
       (ARRAY[-1,0,0,0,1,2,3,3,4,4,5])[1 + floor(random() * 11)::int] AS rating,
       (ARRAY['needs_review','in_progress','changes_requested','approved'])[1 + floor(random() * 4)::int] AS status,
       (ARRAY[NULL,NULL,'red','yellow','green','blue'])[1 + floor(random() * 6)::int] AS label,
       (ARRAY['Canon EOS 5D Mark IV','Canon EOS R5','NIKON D850','NIKON Z 9','ILCE-7M4','X-T4','ARRI ALEXA Mini LF','iPhone 15 Pro'])[1 + floor(random() * 8)::int] AS model,
       (ARRAY['EF24-70mm f/2.8L II USM','RF50mm F1.2 L USM','NIKKOR Z 24-70mm f/2.8 S','FE 85mm F1.4 GM',NULL])[1 + floor(random() * 5)::int] AS lens,
       now() - (g || ' minutes')::interval AS created_at
FROM generate_series(1, :n) g;

INSERT INTO assets (id, project_id, name, media_type, created_by, created_at, updated_at, rating, label, review_status,
                    description, tags, platforms, due_date)
SELECT id, :'project', format('%s_%s.%s', (ARRAY['A001','B002','C003','D004'])[1 + n % 4], lpad(n::text, 6, '0'),
                              CASE media_type WHEN 'image' THEN 'jpg' WHEN 'video' THEN 'mov' ELSE 'wav' END),
       media_type, :'owner', created_at, created_at, rating, label, status,
       CASE WHEN n % 7 = 0 THEN 'Golden hour exterior, wide' ELSE '' END,
       CASE n % 5 WHEN 0 THEN ARRAY['hero'] WHEN 1 THEN ARRAY['b-roll'] WHEN 2 THEN ARRAY['hero', 'selects']
                  WHEN 3 THEN ARRAY[]::text[] ELSE ARRAY['interview'] END,
       CASE n % 4 WHEN 0 THEN ARRAY['instagram'] WHEN 1 THEN ARRAY['youtube', 'web'] WHEN 2 THEN ARRAY[]::text[]
                  ELSE ARRAY['tiktok'] END,
       CASE WHEN n % 3 = 0 THEN current_date + (n % 40) - 20 END
FROM seed;

INSERT INTO asset_versions (id, asset_id, number, state, original_name, size, mime, metadata, derivatives, progress, phase, uploaded_by, created_at)
SELECT gen_random_uuid(), id, 1, 'ready', 'seed', 1000000 + n, 'image/jpeg',
       jsonb_strip_nulls(jsonb_build_object('width', 6000, 'height', 4000, 'camera_model', model, 'lens', lens,
           'camera_make', split_part(model, ' ', 1),
           'captured_at', to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS'),
           'duration_seconds', CASE WHEN media_type <> 'image' THEN 5 + n % 600 END)),
       '[]', 100, 'ready', :'owner', created_at
FROM seed;

INSERT INTO comments (id, asset_id, version, author_id, body, created_at)
SELECT gen_random_uuid(), id, 1, :'owner',
       (ARRAY['Lift the shadows a touch','The boom dips into frame here','Love this one','Flamingo in the background, lose it','Check focus on the eyes'])[1 + (n / 10) % 5],
       created_at
FROM seed WHERE n % 10 = 0;
-- As autovacuum leaves a table in steady use: statistics and the visibility map (index-only
-- scans need it).
VACUUM ANALYZE assets; VACUUM ANALYZE asset_versions; VACUUM ANALYZE comments;

-- patient_state is small and written on every visit and flag change: each write clears its page's
-- all-visible bit, and the worklist counts (an index-only scan of patient_state_open_idx) then
-- read the heap for those pages (at 100 000 patients, 1 300 visit writes took the counts from
-- 15 ms to 60 ms). The default autovacuum waits for 20 % of the rows (19 000 writes); vacuum it
-- after 1 000 instead (about 0.1 s of work each time). PGlite runs no autovacuum (only the bulk
-- seed's VACUUM sets the bits there); it is not meant for that size.
ALTER TABLE "patient_state" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0.05);

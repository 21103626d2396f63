-- A tiny library for t/integration/search.sh: two books, chapters, chunks
-- on different PLC topics, and front matter (labels i..xii) so that body
-- page labels differ from page indexes.
INSERT INTO books (id, title, authors, sha256, format, sample, page_count) VALUES
 ('b0000000-0000-0000-0000-000000000001', 'Learning Together', '{"Ana Rivera","Sam Okafor"}',
  repeat('a', 64), 'markdown', true, 60),
 ('b0000000-0000-0000-0000-000000000002', 'Leading the Work', '{"Jo Park"}',
  repeat('b', 64), 'markdown', true, 40);
INSERT INTO chapters (id, book_id, ordinal, number, title, page_start, page_end, page_index_start, page_index_end) VALUES
 ('c0000000-0000-0000-0000-000000000001', 'b0000000-0000-0000-0000-000000000001', 0, '1', 'Common Formative Assessments', '12', '20', 23, 31),
 ('c0000000-0000-0000-0000-000000000002', 'b0000000-0000-0000-0000-000000000001', 1, '2', 'When Students Struggle', '30', '38', 41, 49),
 ('c0000000-0000-0000-0000-000000000003', 'b0000000-0000-0000-0000-000000000002', 0, '1', 'Team Norms', '5', '9', 4, 8),
 ('c0000000-0000-0000-0000-000000000004', 'b0000000-0000-0000-0000-000000000002', 1, '2', 'Goals and Curriculum', '20', '30', 19, 29);
INSERT INTO chunks (id, book_id, chapter_id, ordinal, text, page_start, page_end, page_index_start, page_index_end, domains) VALUES
 ('d0000000-0000-0000-0000-000000000001', 'b0000000-0000-0000-0000-000000000001', 'c0000000-0000-0000-0000-000000000001', 0,
  'A common formative assessment is a short check for understanding that a grade-level team writes together and gives to every student in the same window. Teams agree on the essential standard, design a few items, score them with a shared rubric and meet within days to compare results.',
  '12', '13', 23, 24, '{assessment,collaboration}'),
 ('d0000000-0000-0000-0000-000000000002', 'b0000000-0000-0000-0000-000000000001', 'c0000000-0000-0000-0000-000000000001', 1,
  'Scoring common formative assessments together calibrates the team. Teachers bring student work, sort it into proficient and not yet proficient piles and name the misconceptions they see, item by item.',
  '13', '14', 24, 25, '{assessment,data_analysis}'),
 ('d0000000-0000-0000-0000-000000000003', 'b0000000-0000-0000-0000-000000000001', 'c0000000-0000-0000-0000-000000000002', 2,
  'Response to intervention organises extra time and support in tiers. When students struggle or fall behind, the school provides additional help during a protected intervention period, so that no child misses new core instruction, and teams monitor progress every few weeks.',
  '31', '32', 42, 43, '{student_learning}'),
 ('d0000000-0000-0000-0000-000000000004', 'b0000000-0000-0000-0000-000000000002', 'c0000000-0000-0000-0000-000000000003', 0,
  'Team norms are the written agreements that govern how a collaborative team meets: start and end on time, every voice is heard, decisions are made by consensus, and conflict is addressed openly. The principal asks each team to review its norms at the start of every meeting.',
  '5', '6', 4, 5, '{collaboration,leadership,school_culture}'),
 ('d0000000-0000-0000-0000-000000000005', 'b0000000-0000-0000-0000-000000000002', 'c0000000-0000-0000-0000-000000000004', 1,
  'SMART goals are specific, measurable, attainable, results-oriented and time-bound. A team might set the goal that ninety percent of students will reach proficiency on the fractions unit assessment by March.',
  '22', '22', 21, 21, '{data_analysis,leadership}'),
 ('d0000000-0000-0000-0000-000000000006', 'b0000000-0000-0000-0000-000000000002', 'c0000000-0000-0000-0000-000000000004', 2,
  'A guaranteed and viable curriculum means every student has access to the same essential standards no matter which teacher they have, and that there is enough time to teach them well. Teams prioritise standards by endurance, leverage and readiness for the next grade.',
  '25', '26', 24, 25, '{curriculum}'),
 ('d0000000-0000-0000-0000-000000000007', 'b0000000-0000-0000-0000-000000000002', 'c0000000-0000-0000-0000-000000000004', 3,
  'Celebrating small wins builds a culture of shared responsibility. Leaders recognise teams publicly when students improve, tell the story behind the data and thank the people who did the work.',
  '28', '28', 27, 27, '{school_culture,leadership}');

// The coach page's list of conversations: the search (debounced), the
// archived switch, pages by cursor, and the error to show when the list
// could not be loaded.

import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client';
import { teacherMessage } from '../../api/errors';
import type { ConversationSummary } from '../../api/types';

export function useConversationList() {
  const [items, setItems] = useState<ConversationSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  const [archived, setArchived] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    const t = setTimeout(() => setDebounced(query.trim()), 250);
    return () => clearTimeout(t);
  }, [query]);

  /** Loads the first page again, or (cursor) the next one after it. */
  const load = useCallback(async (cursor?: string | null) => {
    setLoading(true);
    try {
      const r = await api.conversations({ q: debounced, archived: archived ? 'true' : 'false', cursor, limit: 30 });
      setItems((old) => (cursor ? [...old, ...r.conversations] : r.conversations));
      setNextCursor(r.next_cursor);
      setError('');
    } catch (e) {
      setError(teacherMessage(e, 'Your conversations could not be loaded.'));
    } finally {
      setLoading(false);
    }
  }, [debounced, archived]);

  useEffect(() => {
    void load();
  }, [load]);

  return { items, nextCursor, query, setQuery, archived, setArchived, loading, error, load };
}

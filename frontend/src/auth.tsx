// The signed-in user: loaded from GET /api/me (which also gives the CSRF
// token), set by the sign-in form, cleared by sign-out.

import { createContext, useContext } from 'react';
import type { Profile } from './api/types';

export interface AuthState {
  user: Profile | null;
  setUser: (u: Profile | null) => void;
}

export const AuthContext = createContext<AuthState>({ user: null, setUser: () => undefined });

export function useAuth(): AuthState {
  return useContext(AuthContext);
}

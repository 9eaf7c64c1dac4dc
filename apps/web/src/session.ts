/** The credential lives in sessionStorage: gone when the tab closes, never in a cookie. */
const KEY = 'tollgate.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  signIn: (token: string) => sessionStorage.setItem(KEY, token.trim()),
  signOut: () => sessionStorage.removeItem(KEY),
};

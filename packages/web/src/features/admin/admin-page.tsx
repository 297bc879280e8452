/** Placeholder until this feature lands. */
export function AdminPage() {
  return <p>AdminPage</p>;
}

/** Placeholder until this feature lands. */
export function AgentsPage() {
  return <p>AgentsPage</p>;
}

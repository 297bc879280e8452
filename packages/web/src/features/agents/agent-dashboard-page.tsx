/** Placeholder until this feature lands. */
export function AgentDashboardPage() {
  return <p>AgentDashboardPage</p>;
}

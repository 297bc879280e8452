/** Placeholder until this feature lands. */
export function AlertsPage() {
  return <p>AlertsPage</p>;
}

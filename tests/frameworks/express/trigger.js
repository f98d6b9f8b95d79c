// Changes a flight through the backend's private admin endpoint, for the conformance suite's webhook checks:
//   node trigger.js <port> <flight_id> delay <minutes>
//   node trigger.js <port> <flight_id> cancellation
// Exits non-zero when the backend refuses or cannot be reached.
const [port, flightId, kind, minutes] = process.argv.slice(2);

async function main() {
  if (!port || !flightId || !kind) throw new Error('usage: node trigger.js <port> <flight_id> <delay|cancellation> [minutes]');
  const body = kind === 'delay' ? { kind, minutes: Number(minutes ?? 15) } : { kind };
  const answer = await fetch(`http://127.0.0.1:${port}/admin/flights/${encodeURIComponent(flightId)}/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`HTTP ${answer.status}: ${await answer.text()}`);
}

main().catch((error) => {
  console.error(`trigger ${flightId} ${kind}: ${error.message}`);
  process.exit(1);
});

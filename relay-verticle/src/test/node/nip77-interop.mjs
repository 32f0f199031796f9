// NIP-77 with nostr-tools' negentropy (an implementation independent of ours), driven by
// NostrToolsNegentropyInteropTest. The test installs nostr-tools and ws next to a copy of this script under
// target/, never into the repository.
//
//   node nip77-interop.mjs client URL ITEMS.json FILTER_JSON
//       nostr-tools' NegentropySync against the relay at URL with the items of ITEMS.json ([[created_at, "id"], ...]);
//       prints {"have":[...],"need":[...]} (or {"error": ...}) on one line.
//   node nip77-interop.mjs initiate ITEMS.json FRAME_SIZE_LIMIT
//       nostr-tools' Negentropy as the initiator, in lockstep with the test: prints its initial message, then reads
//       one responder message per line on stdin and prints its next message (or null when done); at the end prints
//       {"have":[...],"need":[...]}. The test runs its own initiator beside it and compares every message.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import { nip77 } from 'nostr-tools';

// nip77 is not among the package's export paths; the main entry carries it
const { Negentropy, NegentropyStorageVector, NegentropySync } = nip77;

useWebSocketImplementation(WebSocket);

function storageOf(file) {
  const storage = new NegentropyStorageVector();
  for (const [timestamp, id] of JSON.parse(readFileSync(file, 'utf8'))) {
    storage.insert(timestamp, id);
  }
  storage.seal();
  return storage;
}

async function client(url, itemsFile, filterJson) {
  const relay = await Relay.connect(url);
  const have = [];
  const need = [];
  const done = new Promise((resolve) => {
    const sync = new NegentropySync(relay, storageOf(itemsFile), JSON.parse(filterJson), {
      onhave: (id) => have.push(id),
      onneed: (id) => need.push(id),
      onclose: (reason) => resolve(reason),
    });
    sync.start();
  });
  const reason = await done;
  relay.close();
  console.log(JSON.stringify(reason ? { error: String(reason) } : { have, need }));
}

async function initiate(itemsFile, frameSizeLimit) {
  const negentropy = new Negentropy(storageOf(itemsFile), Number(frameSizeLimit));
  const have = [];
  const need = [];
  console.log(negentropy.initiate());
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const next = negentropy.reconcile(line.trim(), (id) => have.push(id), (id) => need.push(id));
    console.log(next === null ? 'null' : next);
    if (next === null) break;
  }
  console.log(JSON.stringify({ have, need }));
}

const [mode, ...args] = process.argv.slice(2);
const run = mode === 'client' ? client(...args) : mode === 'initiate' ? initiate(...args)
  : Promise.reject(new Error('mode must be client or initiate'));
run.then(() => process.exit(0), (error) => {
  console.log(JSON.stringify({ error: String(error && error.stack || error) }));
  process.exit(1);
});

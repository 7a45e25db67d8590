// Prints the server's advertised capabilities as JSON, so suites outside the protocol (the
// end-to-end test) can skip, with a reason, what the server does not offer yet.
import { startSession } from "./session.mjs";

const session = await startSession();
process.stdout.write(JSON.stringify(session.capabilities) + "\n");
await session.shutdown();

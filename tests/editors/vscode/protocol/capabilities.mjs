// Prints what the server offers, as JSON — its advertised capabilities and what its analysis
// finds in a fixture — so the end-to-end test can skip, with a reason, what has not landed.
import { analysisOf, startSession } from "./session.mjs";

const session = await startSession();
const report = { capabilities: session.capabilities, analysis: analysisOf(process.argv[2] ?? "harbour-vote.txt") };
process.stdout.write(JSON.stringify(report) + "\n");
await session.shutdown();

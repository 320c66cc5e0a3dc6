export { startFakeUpstream, refusedUrl } from "./server.js";
export type { FakeUpstream, FakeUpstreamOptions, Fault, RecordedRequest } from "./server.js";
export type { DialectName, Recording, Recordings } from "./dialects.js";

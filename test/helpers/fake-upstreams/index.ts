export { startFakeUpstream, refusedUrl } from "./server.js";
export type { FakeUpstream, FakeUpstreamOptions, Fault, RecordedRequest } from "./server.js";
export { loadRecordings } from "./dialects.js";
export type { DialectName, Recording, Recordings } from "./dialects.js";

export { Advertiser, serviceRecords, type Advertisement } from "./advertise.js";
export { Browser, servicesIn, type FoundService } from "./browse.js";
export { PeerDirectory, type PeerDirectoryOptions, type PeerEntry } from "./directory.js";
export { keyFingerprint } from "./fingerprint.js";
export { fetchPeerInfo, PEER_INFO_PATH } from "./info-client.js";
export { SERVICE_TYPE } from "./mdns.js";
export { peerInfo, type ServedModelFacts } from "./serve-info.js";
export { checkPeersConfig, discovers, peerName } from "./setup.js";

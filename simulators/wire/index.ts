/**
 * The wire world's entry for `mxlab serve`: the fake ISP fleet over real SMTP and DNS on loopback,
 * its routing maps for a real MTA, the follow-ups' return path, address truths and the control API.
 * (Wire-mode runs are built by runner/wire-ports.ts.)
 */
export { startControlApi } from './control-api.ts';
export { parseReturnTarget } from './follow-up-return.ts';
export { formatServeMap, type ServeOptions, startServe } from './serve.ts';
export { formatRoutingMap, MAP_FORMATS, type MapFormat } from './serve-maps.ts';
export { formatWindows, parseTruthFile } from './serve-truths.ts';
export { scaledWallClock } from './wall-clock.ts';

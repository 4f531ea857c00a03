/** ISP profiles fitted to a run store (`mxlab calibrate`). */
export {
  type Calibration,
  calibrate,
  DEFAULT_FIT,
  type FitSettings,
  type FittedProfile,
  type HourMix,
  templateOf,
} from './fit.ts';
export { writeCalibration } from './write.ts';

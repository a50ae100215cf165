/*
 * `Setting.replaced` and `replacedOf` now live in src/model/setting.ts; this module re-exports them for readers
 * that still import from here (Compose). Import from the model instead.
 */
export { type ReplacedAssignment, replacedOf } from '../../model/setting.js';

// What other features may use of supervision (eslint.config.js: a feature imports another only
// through its index.ts). Add here what another feature needs; routes and tests import any file.
export { extraMinutes } from './status.ts'
export { endSessionAccesses, findAttendance, markArrived } from './supervision.repository.ts'
export { startCourse } from './supervision-changes.service.ts'
export { attendanceColumns } from './supervision.service.ts'
export { loadSessionClocks } from './time-control.service.ts'

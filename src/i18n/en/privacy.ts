import type { Translation } from '../index.ts'
import type { privacy as fr } from '../fr/privacy.ts'

export const privacy: Translation<typeof fr> = {
  'privacy.footer.label': 'Information',
  'privacy.footer.personal_data': 'Personal data',
  'privacy.footer.accessibility': 'Accessibility',
  'privacy.erased_candidate': 'Candidate erased',
  'privacy.erased_name': '(name erased)',
  'privacy.loopback_notice':
    'Warning: the address printed ({url}) is a local address, candidates will not be able to open it. Open Certisalle by its address on the school’s network, or ask IT to set PUBLIC_URL.',
  'privacy.hold.title': 'Keeping personal data',
  'privacy.hold.held': 'Keep: dispute in progress. Since {date}, the personal data of this session will not be erased.',
  'privacy.hold.retention': {
    one: 'Candidates’ personal data is erased {count} month after the session is finalised.',
    other: 'Candidates’ personal data is erased {count} months after the session is finalised.',
  },
  'privacy.hold.erased': 'The personal data of this session’s candidates was erased on {date}.',
  'privacy.hold.set': 'Keep: dispute in progress',
  'privacy.hold.release': 'Stop keeping',
  'privacy.hold.saved_set': 'The session is kept: its personal data will not be erased while the dispute is in progress.',
  'privacy.hold.saved_released': 'No longer kept: the personal data will be erased at the end of the retention period.',
  'privacy.hold.already_held': 'This session is already kept.',
  'privacy.hold.not_held': 'This session is not kept.',
  'privacy.erase.link': 'Erase',
  'privacy.erase.link_label': 'Erase the data of {name}',
  'privacy.erase.title': 'Erase a candidate’s data',
  'privacy.erase.intro': 'Erase the personal data of {name}, at their request:',
  'privacy.erase.what':
    'their name, date and place of birth, e-mail, external ID, accessibility arrangement, the details of their reports and their convocations; their name is also removed from the history.',
  'privacy.erase.placeholder':
    'The candidate started their test or the session is finalised: a “Candidate erased” row stays in the list so that the candidate counts stay right.',
  'privacy.erase.deleted': 'The candidate has not started their test: they are removed from the list.',
  'privacy.erase.irreversible': 'This cannot be undone.',
  'privacy.erase.submit': 'Erase for good',
  'privacy.erase.cancel': 'Cancel',
  'privacy.erase.done': 'The candidate’s personal data has been erased.',
  'privacy.erase.already': 'This candidate’s data has already been erased.',
  'privacy.page.personal_data.title': 'Personal data',
  'privacy.page.accessibility.title': 'Accessibility statement',
  'privacy.export.title': 'Export the centre’s data',
  'privacy.export.intro':
    'One .ods file with every session, candidate, report and history entry of the centre: to answer a subject access request, or to leave the app. The download is recorded in the history.',
  'privacy.export.link': 'Download the centre’s export (.ods)',
  'history.action.retention_hold_set': 'Keep: dispute in progress',
  'history.action.retention_hold_released': 'No longer kept',
  'history.action.candidate_erased': 'A candidate’s data erased at their request',
  'history.action.personal_data_purged': {
    zero: 'Retention period reached: personal data erased',
    one: 'Retention period reached: personal data erased ({count} candidate)',
    other: 'Retention period reached: personal data erased ({count} candidates)',
  },
  'history.action.personal_data_printed': 'Personal data printed: {subject}',
  'history.action.personal_data_exported': 'Personal data exported: {subject}',
}

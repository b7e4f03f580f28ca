import type { Translation } from '../index.ts'
import type { batchImport as fr } from '../fr/batch-import.ts'

/** "Créer/éditer plusieurs sessions" (create/edit several sessions). The template itself stays French, as Pix's. */
export const batchImport: Translation<typeof fr> = {
  'batch.title': 'Create/edit several sessions',
  'batch.list_link': 'Create/edit several sessions',
  'batch.steps.label': 'Steps',
  'batch.step1': 'Import the template',
  'batch.step2': 'Summary',
  'batch.step_current': '(current step)',
  'batch.intro.create_title': 'To create sessions?',
  'batch.intro.create_with': 'With candidates: fill in the whole template, one row per candidate (the session columns are repeated on every row).',
  'batch.intro.create_without': 'Without candidates: fill in only the session columns.',
  'batch.intro.edit_title': 'To edit the list of candidates of sessions already created?',
  'batch.intro.edit':
    'Give the session number in the “Numéro de session préexistante” (existing session number) column and leave the other session columns blank: its list of candidates will be replaced by the rows that name it.',
  'batch.intro.warning': 'Make sure you give the session number without the other session details (date, time…) to avoid duplicates when creating.',
  'batch.download.title': 'Download the template',
  'batch.download.text': 'Do not change the names or the order of the columns. Both templates have the same columns.',
  'batch.download.csv': 'Download the template (.csv)',
  'batch.download.ods': 'Download the template (.ods)',
  'batch.upload.title': 'Import the filled-in template',
  'batch.upload.again_title': 'Import a new file',
  'batch.upload.label': 'Filled-in template (.csv or .ods, 5 MB at most)',
  'batch.upload.button': 'Import the filled-in template',
  'batch.upload.again': 'Import a new file',
  'batch.upload.limits': 'At most {sessions} sessions and {candidates} candidates per file.',
  'batch.cancel': 'Cancel the import',
  'batch.template.sheet_name': 'Sessions',

  'batch.col.session_number': 'Existing session number',
  'batch.col.site_name': '* Site name',
  'batch.col.room': '* Room name',
  'batch.col.date': '* Start date (format: dd/mm/yyyy)',
  'batch.col.start_time': '* Start time (local time, format: hh:mm)',
  'batch.col.invigilators': '* Invigilator(s)',
  'batch.col.observations': 'Observations (optional)',

  'batch.file.no_file': 'Choose the filled-in template (.csv or .ods) to import.',
  'batch.file.empty_file': 'The file is empty. Choose the filled-in template, saved as .csv or .ods.',
  'batch.file.too_large': 'The file is larger than 5 MB. Check that you chose the right file, or spread the sessions over several files.',
  'batch.file.not_text': 'This file is neither a .csv nor an .ods file. Save the filled-in template as “CSV” or “ODF Spreadsheet (.ods)”, then import it.',
  'batch.file.no_header':
    'This file is not a “Créer/éditer plusieurs sessions” template: its first row holds none of the expected titles (“Numéro de session préexistante”, “* Nom du site”…, Certisalle’s as well as Pix Certif’s). Download the template again and copy your rows into it.',
  'batch.file.missing_columns':
    'The file’s row of titles is incomplete: {columns} is missing (for each column, one of the titles separated by “/” is enough). Do not delete or rename the columns; download the template again if needed.',
  'batch.file.pix_missing_columns':
    'This file looks like a Pix Certif file: its titles are read here, but {columns} is missing (for each column, one of the titles separated by “/” is enough). Add the missing column, then import the file again.',
  'batch.file.ignored_columns': 'Columns ignored: {columns}. Certisalle does not use their content.',
  'batch.file.empty':
    'The imported template has not been filled in: complete it (one row per candidate, or one row per session without candidates) before importing it again.',
  'batch.file.too_many_candidates': 'The file contains {count} candidates, over the limit of {max} per file. Spread the sessions over several files.',
  'batch.file.too_many_sessions': 'The file describes {count} sessions, over the limit of {max} per file. Spread them over several files.',
  'batch.file.too_many_lines':
    'The file contains more than {max} rows, beyond the limits of one file (200 sessions, 5,000 candidates). Spread the sessions over several files.',
  'batch.csv.too_many_fields':
    'Line {line}: the row has more than {max} columns. Check the separator (semicolon or comma) and the quotation marks, or download the template again.',
  'batch.csv.record_too_long': 'Line {line}: the row is longer than {max} characters. Check that a quotation mark has not been left out.',
  'batch.csv.unclosed_quote': 'Line {line}: a quotation mark is opened but never closed. Correct the cell in your spreadsheet and save it again as CSV.',
  'batch.csv.stray_quote': 'Line {line}: a quotation mark is misplaced in a cell. Correct the cell in your spreadsheet and save it again as CSV.',

  'batch.session_number.invalid':
    'the session number “{value}” is not a number. Give the number shown in the list of sessions (for example 307), or leave the column blank to create a session.',
  'batch.session_number.with_info':
    'Session number given: delete the session details on the row (site, room, date, time, invigilators, observations): they cannot be changed here.',
  'batch.session_number.unknown':
    'This session number does not exist. Check the number in the list of sessions, or leave the column blank to create a session.',
  'batch.session_number.started':
    'The candidates cannot be edited: session {id} has already started (at least one candidate has joined it). Remove its rows from the file.',
  'batch.session_number.finalised': 'The candidates cannot be edited: session {id} is finalised. Remove its rows from the file.',
  'batch.session.past': 'The date and/or time given are before today: give a date and time to come.',
  'batch.session.exists':
    'A session has already been created with these details (same site, room, date and time). To add candidates to a session, give only its session number, without the session details.',
  'batch.session.conflict':
    'this row has the same site, room, date and time as row {first} but not the same invigilators or observations. Copy the session details exactly on each of its rows.',
  'batch.session.empty': 'The session has no candidate: it will be created without candidates.',
  'batch.session.emptied': 'Session {id} has no candidate: its list of candidates will be emptied.',
  'batch.candidate.duplicate': 'The candidate is registered several times for the same session (already on row {first}): only one registration will be kept.',

  'batch.recap.counts': '{sessions} including {empty}, {candidates}',
  'batch.recap.sessions': { zero: '0 sessions', one: '1 session', other: '{count} sessions' },
  'batch.recap.empty': { zero: '0 without candidates', one: '1 without candidates', other: '{count} without candidates' },
  'batch.recap.candidates': { zero: '0 candidates', one: '1 candidate', other: '{count} candidates' },
  'batch.recap.split': '{created} to create, {replaced} whose list of candidates will be replaced.',
  'batch.recap.errors_title': 'Blocking errors',
  'batch.recap.errors_count': { one: '1 error', other: '{count} errors' },
  'batch.recap.errors_text': 'Correct all the blocking errors before importing the file again. Nothing has been created or changed.',
  'batch.recap.warnings_title': 'Non-blocking points to check',
  'batch.recap.warnings_count': { one: '1 point to check', other: '{count} points to check' },
  'batch.recap.warnings_text': 'We found non-blocking points to check during the import: read them before going on.',
  'batch.recap.warnings_recall': {
    one: 'By confirming, you accept the point to check above.',
    other: 'By confirming, you accept the {count} points to check above.',
  },
  'batch.recap.no_problem': 'No errors: the file is ready.',
  'batch.recap.line': 'Line {line}: column “{column}” — {message}',
  'batch.recap.line_plain': 'Line {line}: {message}',
  'batch.recap.print': 'Print this summary',
  'batch.recap.confirm': 'Create/edit the sessions',
  'batch.recap.expired': 'This summary has expired (it is kept for one hour). Import the file again.',
  'batch.recap.not_found': 'This summary does not exist or is no longer available.',

  'batch.confirm.expired': 'This summary has expired (it is kept for one hour): nothing has been created or changed. Import the file again.',
  'batch.confirm.has_errors': 'The file contains blocking errors: nothing has been created or changed.',
  'batch.confirm.gone': 'Session {id} no longer exists: nothing has been created or changed. Remove its rows from the file and import it again.',
  'batch.confirm.started':
    'Session {id} has started in the meantime (a candidate has joined it): nothing has been created or changed. Remove its rows from the file and import it again.',
  'batch.confirm.finalised':
    'Session {id} has been finalised in the meantime: nothing has been created or changed. Remove its rows from the file and import it again.',
  'batch.confirm.past':
    'Line {line}: the date and time of the session have passed in the meantime: nothing has been created or changed. Correct the file and import it again.',
  'batch.confirm.exists':
    'Line {line}: a session with the same site, room, date and time has been created in the meantime: nothing has been created or changed. Correct the file and import it again.',
  'batch.confirm.already': 'These sessions have already been created.',

  'batch.result.title': 'Sessions created and edited',
  'batch.result.summary': '{created}, {modified}, {candidates}',
  'batch.result.created': { zero: '0 sessions created', one: '1 session created', other: '{count} sessions created' },
  'batch.result.modified': { zero: '0 edited', one: '1 edited', other: '{count} edited' },
  'batch.result.candidates': { zero: '0 candidates imported', one: '1 candidate imported', other: '{count} candidates imported' },
  'batch.result.created_title': 'Sessions created',
  'batch.result.created_caption': 'Sessions created, with their access codes',
  'batch.result.modified_title': 'Sessions whose list of candidates was replaced',
  'batch.result.col.id': 'Session no.',
  'batch.result.col.site': 'Site name',
  'batch.result.col.room': 'Room',
  'batch.result.col.date': 'Date',
  'batch.result.col.time': 'Time',
  'batch.result.col.access_code': 'Access code (candidates)',
  'batch.result.col.invigilator_password': 'Session password / Invigilator',
  'batch.result.col.candidates': 'Candidates',
  'batch.result.print': 'Print the list',
  'batch.result.back': 'Back to the list of sessions',
}

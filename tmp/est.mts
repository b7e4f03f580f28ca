import { rowHeight, sheetRow, wrappedLines } from '../src/features/printables/attendance-sheet.ts'
const base = { last_name: 'Nom0', first_name: 'Julie', birthdate: '1996-03-13', birth_city: 'Le Havre', birth_department_code: '76', birth_country: 'France', email: 'a@b.fr', external_id: null, extra_time_percentage: null }
console.log(rowHeight(sheetRow({ ...base, last_name: 'Wolfeschlegelsteinhausenbergerdorff-Delacroix-Montmorency' })))
console.log(rowHeight(sheetRow({ ...base, email: 'marie-bernadette.wolfeschlegelsteinhausenbergerdorff@academie-exemple.fr' })))
console.log(wrappedLines('Wolfeschlegelsteinhausenbergerdorff-Delacroix-Montmorency', 0.105*277-2.4, 8.5, true))
console.log(wrappedLines('marie-bernadette.wolfeschlegelsteinhausenbergerdorff@academie-exemple.fr', 0.15*277-2.4, 7.5))
